//! Library-level tests of name resolution, annotation targeting and selection.

use std::collections::BTreeSet;
use std::path::Path;

use csdl_codegen::csdl::{parse_document, OperationKind, Value};
use csdl_codegen::model::{resolve, Model, OperationId, Primitive, Target, TypeId, TypeKind};
use csdl_codegen::select::{select, Selection, Step};
use csdl_codegen::{ErrorKind, Generator, Root};

/// Two schemas: `microsoft.graph` (alias `graph`) and `other.ns` (alias `self`). The second
/// one refers to the first through its alias and holds most annotation blocks.
const DOC: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="microsoft.graph" Alias="graph" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="entity" Abstract="true">
        <Key><PropertyRef Name="id"/></Key>
        <Property Name="id" Type="Edm.String" Nullable="false"/>
      </EntityType>
      <EntityType Name="a" BaseType="graph.entity">
        <Property Name="p" Type="graph.c"/>
        <Property Name="when" Type="Edm.DateTimeOffset"/>
        <Property Name="appId" Type="Edm.String">
          <Annotation Term="Org.OData.Core.V1.Revisions">
            <Collection>
              <Record>
                <PropertyValue Property="Date" Date="2024-01-02"/>
                <PropertyValue Property="Kind">
                  <EnumMember>Org.OData.Core.V1.RevisionKind/Deprecated</EnumMember>
                </PropertyValue>
                <PropertyValue Property="RemovalDate" Date="2025-01-02"/>
                <PropertyValue Property="Version" String="2024-01/AppId"/>
                <PropertyValue Property="Description" String="use p instead"/>
              </Record>
            </Collection>
          </Annotation>
        </Property>
        <NavigationProperty Name="bs" Type="Collection(graph.b)" ContainsTarget="true"/>
        <NavigationProperty Name="other" Type="other.ns.x"/>
        <Annotation Term="Org.OData.Core.V1.AlternateKeys">
          <Collection>
            <Record Type="Org.OData.Core.V1.AlternateKey">
              <PropertyValue Property="Key">
                <Collection>
                  <Record Type="Org.OData.Core.V1.PropertyRef">
                    <PropertyValue Property="Alias" String="appId"/>
                    <PropertyValue Property="Name" PropertyPath="appId"/>
                  </Record>
                </Collection>
              </PropertyValue>
            </Record>
            <Record Type="Org.OData.Core.V1.AlternateKey">
              <PropertyValue Property="Key">
                <Collection>
                  <Record Type="Org.OData.Core.V1.PropertyRef">
                    <PropertyValue Property="Name" PropertyPath="when"/>
                  </Record>
                </Collection>
              </PropertyValue>
            </Record>
          </Collection>
        </Annotation>
      </EntityType>
      <EntityType Name="b" BaseType="graph.entity"/>
      <EntityType Name="derivedA" BaseType="graph.a">
        <Property Name="extra" Type="graph.onlyDerived"/>
      </EntityType>
      <ComplexType Name="onlyDerived"/>
      <ComplexType Name="c">
        <Property Name="color" Type="graph.color"/>
        <Property Name="tags" Type="Collection(Edm.String)"/>
      </ComplexType>
      <EnumType Name="color">
        <Member Name="red"/>
        <Member Name="green"/>
      </EnumType>
      <ComplexType Name="r1"/>
      <ComplexType Name="r2"/>
      <ComplexType Name="p1"/>
      <ComplexType Name="unreached"/>
      <EntityType Name="z" BaseType="graph.entity"/>
      <Function Name="op" IsBound="true">
        <Parameter Name="bindingParameter" Type="graph.a"/>
        <Parameter Name="items" Type="Collection(graph.b)"/>
        <ReturnType Type="graph.r1"/>
      </Function>
      <Function Name="op" IsBound="true">
        <Parameter Name="bindingParameter" Type="graph.a"/>
        <Parameter Name="items" Type="Edm.String"/>
        <ReturnType Type="Edm.String"/>
      </Function>
      <Function Name="op" IsBound="true">
        <Parameter Name="bindingParameter" Type="Collection(graph.a)"/>
        <ReturnType Type="Collection(graph.r2)"/>
      </Function>
      <Action Name="act" IsBound="true">
        <Parameter Name="bindingParameter" Type="graph.a"/>
        <Parameter Name="payload" Type="graph.p1"/>
        <Annotation Term="Org.OData.Core.V1.Revisions">
          <Collection>
            <Record>
              <PropertyValue Property="Date" Date="2026-02-06"/>
              <PropertyValue Property="Kind">
                <EnumMember>Org.OData.Core.V1.RevisionKind/Deprecated</EnumMember>
              </PropertyValue>
              <PropertyValue Property="RemovalDate" Date="2027-07-06"/>
            </Record>
          </Collection>
        </Annotation>
      </Action>
      <Action Name="act" IsBound="true">
        <Parameter Name="bindingParameter" Type="Collection(graph.a)"/>
      </Action>
      <Action Name="act">
        <Parameter Name="something" Type="Edm.Int32"/>
      </Action>
      <Action Name="forZ" IsBound="true">
        <Parameter Name="bindingParameter" Type="graph.z"/>
        <Parameter Name="x" Type="graph.unreached"/>
      </Action>
      <Action Name="unboundAct">
        <Parameter Name="p" Type="Edm.String"/>
      </Action>
      <Function Name="unboundFn">
        <ReturnType Type="Collection(graph.a)"/>
      </Function>
      <Function Name="unboundFn">
        <Parameter Name="n" Type="Edm.Int32"/>
        <ReturnType Type="Collection(graph.a)"/>
      </Function>
      <EntityContainer Name="GraphService">
        <EntitySet Name="as" EntityType="graph.a">
          <NavigationPropertyBinding Path="other" Target="xs"/>
        </EntitySet>
        <EntitySet Name="derivedAs" EntityType="microsoft.graph.derivedA"/>
        <EntitySet Name="xs" EntityType="self.x"/>
        <Singleton Name="me" Type="graph.a">
          <NavigationPropertyBinding Path="other" Target="xs"/>
        </Singleton>
        <ActionImport Name="doIt" Action="graph.unboundAct"/>
        <FunctionImport Name="getIt" Function="microsoft.graph.unboundFn" EntitySet="as"/>
      </EntityContainer>
    </Schema>
    <Schema Namespace="other.ns" Alias="self" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="x" BaseType="graph.entity">
        <Property Name="y" Type="self.enumy"/>
      </EntityType>
      <EnumType Name="enumy" UnderlyingType="Edm.Byte" IsFlags="true">
        <Member Name="one" Value="1"/>
        <Member Name="two" Value="2"/>
      </EnumType>
      <Annotations Target="graph.a">
        <Annotation Term="Org.OData.Core.V1.Description" String="An a."/>
        <Annotation Term="Org.OData.Capabilities.V1.UpdateRestrictions">
          <Record>
            <PropertyValue Property="UpdateMethod">
              <EnumMember>Org.OData.Capabilities.V1.HttpMethod/PUT</EnumMember>
            </PropertyValue>
          </Record>
        </Annotation>
        <Annotation Term="Vendor.Unknown.Term" String="kept"/>
        <Annotation Term="Org.OData.Core.V1.Description" Qualifier="short" String="qualified"/>
      </Annotations>
      <Annotations Target="microsoft.graph.c/tags">
        <Annotation Term="Core.Description" String="Tags."/>
      </Annotations>
      <Annotations Target="graph.color/green">
        <Annotation Term="Core.Description" String="Green."/>
      </Annotations>
      <Annotations Target="microsoft.graph.a/bs" Qualifier="q1">
        <Annotation Term="Vendor.Nav" Bool="true"/>
      </Annotations>
      <Annotations Target="microsoft.graph.b">
        <Annotation Term="Capabilities.UpdateRestrictions">
          <Record>
            <PropertyValue Property="UpdateMethod" EnumMember="Capabilities.HttpMethod/patch"/>
          </Record>
        </Annotation>
      </Annotations>
      <Annotations Target="graph.op(graph.a, Collection(graph.b))">
        <Annotation Term="Vendor.FirstOverload" Bool="true"/>
      </Annotations>
      <Annotations Target="microsoft.graph.op(microsoft.graph.a,Edm.String)">
        <Annotation Term="Vendor.SecondOverload" Bool="true"/>
      </Annotations>
      <Annotations Target="self.op(Collection(graph.a))">
        <Annotation Term="Vendor.NeverLands" Bool="true"/>
      </Annotations>
      <Annotations Target="graph.op(Collection(graph.a))">
        <Annotation Term="Vendor.ThirdOverload" Bool="true"/>
      </Annotations>
      <Annotations Target="graph.op">
        <Annotation Term="Vendor.AllOverloads" Bool="true"/>
      </Annotations>
      <Annotations Target="graph.op(graph.a, Collection(graph.b))/items">
        <Annotation Term="Vendor.FirstItems" Bool="true"/>
      </Annotations>
      <Annotations Target="graph.act(graph.a, graph.p1)">
        <Annotation Term="Vendor.ActGraphStyle" Bool="true"/>
      </Annotations>
      <Annotations Target="graph.GraphService">
        <Annotation Term="Vendor.Container" Bool="true"/>
      </Annotations>
      <Annotations Target="graph.GraphService/as">
        <Annotation Term="Vendor.Set" Bool="true"/>
      </Annotations>
      <Annotations Target="graph.GraphService/me">
        <Annotation Term="Vendor.Singleton" Bool="true"/>
      </Annotations>
      <Annotations Target="graph.GraphService/getIt">
        <Annotation Term="Vendor.Import" Bool="true"/>
      </Annotations>
      <Annotations Target="graph.nowhere">
        <Annotation Term="Core.Description" String="lost"/>
      </Annotations>
      <Annotations Target="graph.a/nothing">
        <Annotation Term="Core.Description" String="lost"/>
      </Annotations>
      <Annotations Target="graph.a/p/color">
        <Annotation Term="Core.Description" String="lost"/>
      </Annotations>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;

fn model() -> Model {
    resolve(&parse_document(DOC).unwrap()).unwrap()
}

fn id(m: &Model, name: &str) -> TypeId {
    m.find_type(name)
        .unwrap_or_else(|| panic!("{name} is not defined"))
}

/// The overloads of `name` (qualified), in document order.
fn overloads(m: &Model, name: &str) -> Vec<OperationId> {
    m.operations
        .iter()
        .enumerate()
        .filter(|(_, o)| o.qualified_name() == name)
        .map(|(i, _)| OperationId(i))
        .collect()
}

/// Terms of the annotations kept raw.
fn other_terms(a: &csdl_codegen::model::Annotations) -> Vec<&str> {
    a.other.iter().map(|x| x.term.as_str()).collect()
}

fn property<'m>(m: &'m Model, ty: &str, name: &str) -> &'m csdl_codegen::model::Property {
    m.ty(id(m, ty))
        .structured()
        .unwrap()
        .properties
        .iter()
        .find(|p| p.name == name)
        .unwrap()
}

fn qualified(m: &Model, ids: &BTreeSet<TypeId>) -> Vec<String> {
    ids.iter().map(|&i| m.ty(i).qualified_name()).collect()
}

#[test]
fn namespaces_and_aliases() {
    let m = model();
    assert_eq!(
        m.namespaces,
        vec![
            ("microsoft.graph".to_string(), Some("graph".to_string())),
            ("other.ns".to_string(), Some("self".to_string())),
        ]
    );
    // `graph.c` resolves to microsoft.graph.c.
    let p = property(&m, "microsoft.graph.a", "p");
    assert_eq!(p.ty.target, Target::Type(id(&m, "microsoft.graph.c")));
    assert!(!p.ty.collection);
    // `self.enumy` inside other.ns, `graph.entity` across schemas.
    let y = property(&m, "other.ns.x", "y");
    assert_eq!(y.ty.target, Target::Type(id(&m, "other.ns.enumy")));
    let x = m.ty(id(&m, "other.ns.x")).structured().unwrap();
    assert_eq!(x.base, Some(id(&m, "microsoft.graph.entity")));
    // Full names in another schema: the nav `other` of `a`.
    let a = m.ty(id(&m, "microsoft.graph.a")).structured().unwrap();
    let other = a.navigations.iter().find(|n| n.name == "other").unwrap();
    assert_eq!(other.ty.type_id(), Some(id(&m, "other.ns.x")));
    // Aliases are not names: `find_type` only takes namespaces.
    assert_eq!(m.find_type("graph.a"), None);
    assert_eq!(m.find_type("self.x"), None);
}

#[test]
fn several_schemas_keep_their_namespaces() {
    let m = model();
    let in_other: Vec<_> = m
        .types
        .iter()
        .filter(|t| t.namespace == "other.ns")
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(in_other, ["x", "enumy"]);
    let TypeKind::Enum(e) = &m.ty(id(&m, "other.ns.enumy")).kind else {
        panic!("enumy is an enum");
    };
    assert_eq!(e.underlying, Primitive::Byte);
    assert!(e.is_flags);
    assert_eq!(
        e.members
            .iter()
            .map(|m| (m.name.as_str(), m.value))
            .collect::<Vec<_>>(),
        [("one", 1), ("two", 2)]
    );
    // Implicit enum values count from 0.
    let TypeKind::Enum(color) = &m.ty(id(&m, "microsoft.graph.color")).kind else {
        panic!("color is an enum");
    };
    assert_eq!(color.underlying, Primitive::Int32);
    assert_eq!(color.members[1].value, 1);
    // Derived lists and inherited members.
    let entity = m.ty(id(&m, "microsoft.graph.entity")).structured().unwrap();
    let derived: Vec<_> = entity
        .derived
        .iter()
        .map(|&d| m.ty(d).qualified_name())
        .collect();
    assert_eq!(
        derived,
        [
            "microsoft.graph.a",
            "microsoft.graph.b",
            "microsoft.graph.z",
            "other.ns.x"
        ]
    );
    let derived_a = id(&m, "microsoft.graph.derivedA");
    assert_eq!(m.key_of(derived_a), ["id"]);
    assert!(m.inherits_from(derived_a, id(&m, "microsoft.graph.entity")));
    let names: Vec<_> = m
        .all_properties(derived_a)
        .iter()
        .map(|(_, p)| p.name.as_str())
        .collect();
    assert_eq!(names, ["id", "p", "when", "appId", "extra"]);
}

#[test]
fn annotation_blocks_target_other_schemas() {
    let m = model();
    let a = &m.ty(id(&m, "microsoft.graph.a")).annotations;
    assert_eq!(a.description.as_deref(), Some("An a."));
    let tags = property(&m, "microsoft.graph.c", "tags");
    assert_eq!(tags.annotations.description.as_deref(), Some("Tags."));
    let TypeKind::Enum(color) = &m.ty(id(&m, "microsoft.graph.color")).kind else {
        panic!()
    };
    assert_eq!(color.members[0].annotations.description, None);
    assert_eq!(
        color.members[1].annotations.description.as_deref(),
        Some("Green.")
    );
    // The block qualifier is given to its annotations, which are then kept raw.
    let bs = &m
        .ty(id(&m, "microsoft.graph.a"))
        .structured()
        .unwrap()
        .navigations[0];
    assert_eq!(bs.name, "bs");
    assert_eq!(bs.annotations.other.len(), 1);
    assert_eq!(bs.annotations.other[0].term, "Vendor.Nav");
    assert_eq!(bs.annotations.other[0].qualifier.as_deref(), Some("q1"));
}

#[test]
fn unknown_and_qualified_terms_are_kept_raw() {
    let m = model();
    let a = &m.ty(id(&m, "microsoft.graph.a")).annotations;
    let unknown = a
        .other
        .iter()
        .find(|x| x.term == "Vendor.Unknown.Term")
        .unwrap();
    assert_eq!(unknown.value, Value::String("kept".into()));
    // A qualified Core.Description does not replace the description.
    let q = a
        .other
        .iter()
        .find(|x| x.qualifier.as_deref() == Some("short"))
        .unwrap();
    assert_eq!(q.term, "Org.OData.Core.V1.Description");
    assert_eq!(q.value, Value::String("qualified".into()));
    assert_eq!(a.description.as_deref(), Some("An a."));
}

#[test]
fn revisions_on_type_property_and_operation() {
    let m = model();
    // Property, inline.
    let app_id = property(&m, "microsoft.graph.a", "appId");
    let dep = app_id.annotations.deprecation().unwrap();
    assert_eq!(dep.kind, "Deprecated");
    assert_eq!(dep.date.as_deref(), Some("2024-01-02"));
    assert_eq!(dep.removal_date.as_deref(), Some("2025-01-02"));
    assert_eq!(dep.version.as_deref(), Some("2024-01/AppId"));
    assert_eq!(dep.description.as_deref(), Some("use p instead"));
    // Operation, inline: only the overload that carries it.
    let acts = overloads(&m, "microsoft.graph.act");
    assert_eq!(acts.len(), 3);
    let dep = m.operations[acts[0].0].annotations.deprecation().unwrap();
    assert_eq!(dep.date.as_deref(), Some("2026-02-06"));
    assert_eq!(dep.removal_date.as_deref(), Some("2027-07-06"));
    assert!(m.operations[acts[1].0].annotations.deprecation().is_none());
    // Type, through an annotation block (from the pinned beta metadata shape).
    let doc = DOC.replace(
        "<Annotations Target=\"graph.nowhere\">",
        r#"<Annotations Target="graph.b">
        <Annotation Term="Org.OData.Core.V1.Revisions">
          <Collection>
            <Record>
              <PropertyValue Property="Date" Date="2023-03-01"/>
              <PropertyValue Property="Kind" EnumMember="Org.OData.Core.V1.RevisionKind/Deprecated"/>
              <PropertyValue Property="RemovalDate" Date="2024-03-01"/>
            </Record>
            <Record>
              <PropertyValue Property="Kind" EnumMember="Org.OData.Core.V1.RevisionKind/Added"/>
            </Record>
          </Collection>
        </Annotation>
      </Annotations>
      <Annotations Target="graph.nowhere">"#,
    );
    let m = resolve(&parse_document(&doc).unwrap()).unwrap();
    let b = &m.ty(id(&m, "microsoft.graph.b")).annotations;
    assert_eq!(b.revisions.len(), 2);
    assert_eq!(b.revisions[1].kind, "Added");
    let dep = b.deprecation().unwrap();
    assert_eq!(dep.date.as_deref(), Some("2023-03-01"));
    assert_eq!(dep.removal_date.as_deref(), Some("2024-03-01"));
    assert!(m
        .ty(id(&m, "microsoft.graph.a"))
        .annotations
        .deprecation()
        .is_none());
}

#[test]
fn alternate_keys() {
    let m = model();
    let keys = &m.ty(id(&m, "microsoft.graph.a")).annotations.alternate_keys;
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0].parts, [("appId".to_string(), "appId".to_string())]);
    // Without an alias, the alias is the property name.
    assert_eq!(keys[1].parts, [("when".to_string(), "when".to_string())]);
}

#[test]
fn update_restrictions_update_method() {
    let m = model();
    let a = &m.ty(id(&m, "microsoft.graph.a")).annotations;
    assert_eq!(a.update_method.as_deref(), Some("PUT"));
    // The record is also kept raw (it says more than the method).
    assert!(other_terms(a).contains(&"Org.OData.Capabilities.V1.UpdateRestrictions"));
    // Short vocabulary alias, attribute form, lowercase member.
    let b = &m.ty(id(&m, "microsoft.graph.b")).annotations;
    assert_eq!(b.update_method.as_deref(), Some("PATCH"));
    assert_eq!(
        m.ty(id(&m, "microsoft.graph.c")).annotations.update_method,
        None
    );
}

#[test]
fn overload_signature_targets_land_on_one_overload() {
    let m = model();
    let ops = overloads(&m, "microsoft.graph.op");
    assert_eq!(
        ops.len(),
        3,
        "same name bound three ways is three operations"
    );
    let terms: Vec<Vec<&str>> = ops
        .iter()
        .map(|o| other_terms(&m.operations[o.0].annotations))
        .collect();
    assert_eq!(terms[0], ["Vendor.FirstOverload", "Vendor.AllOverloads"]);
    assert_eq!(terms[1], ["Vendor.SecondOverload", "Vendor.AllOverloads"]);
    assert_eq!(terms[2], ["Vendor.ThirdOverload", "Vendor.AllOverloads"]);
    // A parameter of one overload.
    let first = &m.operations[ops[0].0];
    assert_eq!(
        other_terms(&first.parameters[0].annotations),
        ["Vendor.FirstItems"]
    );
    assert!(m.operations[ops[1].0].parameters[0]
        .annotations
        .other
        .is_empty());
    // Graph's spelling of action overloads: every parameter type.
    let acts = overloads(&m, "microsoft.graph.act");
    assert_eq!(
        other_terms(&m.operations[acts[0].0].annotations),
        ["Vendor.ActGraphStyle"]
    );
    assert!(m.operations[acts[1].0].annotations.other.is_empty());
    assert!(m.operations[acts[2].0].annotations.other.is_empty());
}

#[test]

fn action_overload_targets_follow_the_spec() {
    let doc = DOC.replace(
        "<Annotations Target=\"graph.nowhere\">",
        r#"<Annotations Target="graph.act(graph.a)">
        <Annotation Term="Vendor.ActBound" Bool="true"/>
      </Annotations>
      <Annotations Target="graph.act()">
        <Annotation Term="Vendor.ActUnbound" Bool="true"/>
      </Annotations>
      <Annotations Target="graph.act(Collection(graph.a))">
        <Annotation Term="Vendor.ActCollection" Bool="true"/>
      </Annotations>
      <Annotations Target="graph.nowhere">"#,
    );
    let m = resolve(&parse_document(&doc).unwrap()).unwrap();
    let acts = overloads(&m, "microsoft.graph.act");
    assert_eq!(
        other_terms(&m.operations[acts[0].0].annotations),
        ["Vendor.ActGraphStyle", "Vendor.ActBound"]
    );
    assert_eq!(
        other_terms(&m.operations[acts[1].0].annotations),
        ["Vendor.ActCollection"]
    );
    assert_eq!(
        other_terms(&m.operations[acts[2].0].annotations),
        ["Vendor.ActUnbound"]
    );
}

#[test]
fn targets_pointing_nowhere_are_warnings() {
    let m = model();
    // `self.op(...)` names other.ns.op, which does not exist.
    let expected = [
        "self.op(Collection(graph.a))",
        "graph.nowhere",
        "graph.a/nothing",
        "graph.a/p/color",
    ];
    assert_eq!(m.warnings.len(), expected.len(), "{:#?}", m.warnings);
    for (w, target) in m.warnings.iter().zip(expected) {
        assert!(w.message.contains(&format!("`{target}`")), "{w}");
    }
    // With the position of the block (column 7 of its line).
    let line = DOC
        .lines()
        .position(|l| l.contains("Target=\"graph.nowhere\""))
        .unwrap()
        + 1;
    assert_eq!(
        m.warnings[1].pos,
        Some(csdl_codegen::Pos {
            line: line as u32,
            col: 7
        })
    );
    assert!(
        m.warnings[1]
            .to_string()
            .starts_with(&format!("{line}:7: ")),
        "{}",
        m.warnings[1]
    );

    // Through the generator: warnings, not an error, prefixed with the input path.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("doc.csdl.xml");
    std::fs::write(&input, DOC).unwrap();
    let output = Generator::new(&input).all(true).generate().unwrap();
    assert_eq!(output.warnings.len(), 4);
    assert_eq!(output.warnings[1].file.as_deref(), Some(input.as_path()));
    assert!(output.warnings[1]
        .to_string()
        .starts_with(&format!("{}:{line}:7: ", input.display())));
}

#[test]
fn entity_container() {
    let m = model();
    assert_eq!(m.containers.len(), 1);
    let c = &m.containers[0];
    assert_eq!(
        (c.namespace.as_str(), c.name.as_str()),
        ("microsoft.graph", "GraphService")
    );
    let sets: Vec<_> = c
        .entity_sets
        .iter()
        .map(|s| (s.name.as_str(), m.ty(s.entity_type).qualified_name()))
        .collect();
    assert_eq!(
        sets,
        [
            ("as", "microsoft.graph.a".to_string()),
            ("derivedAs", "microsoft.graph.derivedA".to_string()),
            ("xs", "other.ns.x".to_string()),
        ]
    );
    assert_eq!(
        c.entity_sets[0].bindings,
        [("other".to_string(), "xs".to_string())]
    );
    assert_eq!(c.singletons.len(), 1);
    assert_eq!(c.singletons[0].name, "me");
    assert_eq!(c.singletons[0].entity_type, id(&m, "microsoft.graph.a"));
    assert_eq!(
        c.singletons[0].bindings,
        [("other".to_string(), "xs".to_string())]
    );
    assert_eq!(c.imports.len(), 2);
    let do_it = &c.imports[0];
    assert_eq!(
        (do_it.kind, do_it.name.as_str()),
        (OperationKind::Action, "doIt")
    );
    assert_eq!(do_it.overloads, overloads(&m, "microsoft.graph.unboundAct"));
    let get_it = &c.imports[1];
    assert_eq!(get_it.kind, OperationKind::Function);
    assert_eq!(get_it.entity_set.as_deref(), Some("as"));
    // Both unbound overloads.
    assert_eq!(get_it.overloads.len(), 2);
    assert_eq!(get_it.overloads, overloads(&m, "microsoft.graph.unboundFn"));
    // Annotation blocks on the container and its children.
    assert_eq!(other_terms(&c.annotations), ["Vendor.Container"]);
    assert_eq!(other_terms(&c.entity_sets[0].annotations), ["Vendor.Set"]);
    assert_eq!(
        other_terms(&c.singletons[0].annotations),
        ["Vendor.Singleton"]
    );
    assert_eq!(other_terms(&get_it.annotations), ["Vendor.Import"]);
}

#[test]
fn operation_identity() {
    let m = model();
    let ops = overloads(&m, "microsoft.graph.op");
    let a = id(&m, "microsoft.graph.a");
    let bindings: Vec<_> = ops
        .iter()
        .map(|o| {
            let b = m.operations[o.0].binding.as_ref().unwrap();
            (b.type_id(), b.collection)
        })
        .collect();
    assert_eq!(
        bindings,
        [(Some(a), false), (Some(a), false), (Some(a), true)]
    );
    // The binding parameter is not a parameter.
    assert_eq!(m.operations[ops[0].0].parameters.len(), 1);
    assert_eq!(m.operations[ops[2].0].parameters.len(), 0);
    let r2 = m.operations[ops[2].0].return_type.as_ref().unwrap();
    assert!(r2.ty.collection);
    assert_eq!(r2.ty.type_id(), Some(id(&m, "microsoft.graph.r2")));
    let acts = overloads(&m, "microsoft.graph.act");
    assert_eq!(
        acts.iter()
            .map(|o| m.operations[o.0].binding.as_ref().map(|b| b.collection))
            .collect::<Vec<_>>(),
        [Some(false), Some(true), None]
    );
    assert!(acts
        .iter()
        .all(|o| m.operations[o.0].kind == OperationKind::Action));
}

fn selected(m: &Model, roots: &[Root]) -> Selection {
    select(m, roots).unwrap()
}

fn op_names(m: &Model, sel: &Selection) -> Vec<String> {
    sel.operations
        .iter()
        .map(|o| {
            let op = &m.operations[o.0];
            let binding = op.binding.as_ref().map(|b| {
                let name = m.ty(b.type_id().unwrap()).name.clone();
                if b.collection {
                    format!("Collection({name})")
                } else {
                    name
                }
            });
            format!("{}({})", op.name, binding.unwrap_or_default())
        })
        .collect()
}

#[test]
fn selection_closure() {
    let m = model();
    let sel = selected(&m, &[Root::parse("graph.a")]);
    // Type ids are in document order.
    assert_eq!(
        qualified(&m, &sel.types),
        [
            "microsoft.graph.entity", // base type
            "microsoft.graph.a",
            "microsoft.graph.b",     // navigation
            "microsoft.graph.c",     // property
            "microsoft.graph.color", // property of a property
            "microsoft.graph.r1",    // return type of a bound function
            "microsoft.graph.r2",    // return type of a function bound to Collection(a)
            "microsoft.graph.p1",    // parameter of a bound action
            "other.ns.x",            // navigation into another schema
            "other.ns.enumy",
        ]
    );
    assert_eq!(
        op_names(&m, &sel),
        [
            "op(a)",
            "op(a)",
            "op(Collection(a))",
            "act(a)",
            "act(Collection(a))"
        ]
    );
    assert!(sel.paths.is_empty());
    assert!(!sel.all);
}

#[test]
fn selection_does_not_follow_derived_types() {
    let m = model();
    let sel = selected(&m, &[Root::Type("microsoft.graph.entity".into())]);
    assert_eq!(qualified(&m, &sel.types), ["microsoft.graph.entity"]);
    assert!(sel.operations.is_empty());
    let sel = selected(&m, &[Root::parse("microsoft.graph.a")]);
    let names = qualified(&m, &sel.types);
    assert!(!names.contains(&"microsoft.graph.derivedA".to_string()));
    assert!(!names.contains(&"microsoft.graph.onlyDerived".to_string()));
    // An operation bound to an unselected type is not followed either.
    assert!(!names.contains(&"microsoft.graph.unreached".to_string()));
    assert!(!op_names(&m, &sel).contains(&"forZ(z)".to_string()));
    // Selecting the derived type selects its bases.
    let sel = selected(&m, &[Root::parse("microsoft.graph.derivedA")]);
    let names = qualified(&m, &sel.types);
    assert!(names.contains(&"microsoft.graph.a".to_string()));
    assert!(names.contains(&"microsoft.graph.onlyDerived".to_string()));
}

#[test]
fn selection_from_path_roots() {
    let m = model();
    let root = Root::parse("as/{id}/bs");
    assert_eq!(root, Root::Path("as/{id}/bs".into()));
    let sel = selected(&m, &[root]);
    assert_eq!(sel.paths.len(), 1);
    let p = &sel.paths[0];
    assert_eq!((p.set.as_str(), p.singleton, p.container), ("as", false, 0));
    assert_eq!(p.set_type, id(&m, "microsoft.graph.a"));
    assert_eq!(
        p.steps,
        [Step {
            owner: id(&m, "microsoft.graph.a"),
            name: "bs".into(),
            target: id(&m, "microsoft.graph.b"),
            collection: true,
        }]
    );
    assert_eq!(p.target(), id(&m, "microsoft.graph.b"));
    // The end of the path joins the closure; the set's type is selected shallowly (its
    // properties, not its navigations or operations).
    assert_eq!(
        qualified(&m, &sel.types),
        [
            "microsoft.graph.entity",
            "microsoft.graph.a",
            "microsoft.graph.b",
            "microsoft.graph.c",
            "microsoft.graph.color"
        ]
    );
    assert_eq!(qualified(&m, &sel.shallow), ["microsoft.graph.a"]);
    assert!(sel.is_deep(id(&m, "microsoft.graph.b")));
    assert!(!sel.is_deep(id(&m, "microsoft.graph.a")));

    // A singleton, a leading slash, an inherited navigation property.
    let sel = selected(
        &m,
        &[Root::parse("/me/other"), Root::parse("derivedAs/{id}/bs")],
    );
    assert_eq!(sel.paths.len(), 2);
    assert!(sel.paths[0].singleton);
    assert_eq!(sel.paths[0].set, "me");
    assert_eq!(sel.paths[0].target(), id(&m, "other.ns.x"));
    let inherited = &sel.paths[1].steps[0];
    assert_eq!(inherited.owner, id(&m, "microsoft.graph.a"));
    assert_eq!(inherited.target, id(&m, "microsoft.graph.b"));

    // A bare set name is a path with no steps.
    let sel = selected(&m, &[Root::parse("xs")]);
    assert!(sel.paths[0].steps.is_empty());
    assert_eq!(
        qualified(&m, &sel.types),
        ["microsoft.graph.entity", "other.ns.x", "other.ns.enumy"]
    );
}

#[test]
fn selection_errors() {
    let m = model();
    for (root, needle) in [
        ("nope/x", "nope"),
        ("as/{id}/p", "`p`"),
        ("as/{id}/nothing", "nothing"),
        ("microsoft.graph.nothing", "nothing"),
    ] {
        let err = select(&m, &[Root::parse(root)]).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Config, "{root}: {err}");
        assert_eq!(err.name.as_deref(), Some(root));
        assert!(err.message.contains(needle), "{err}");
    }
}

fn pinned(name: &str) -> Model {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../specs")
        .join(name);
    resolve(&csdl_codegen::csdl::read_file(&path).unwrap()).unwrap()
}

#[test]
fn pinned_specs_resolve_without_warnings() {
    for name in ["graph-v1.0.sync.csdl.xml", "graph-beta.sync.csdl.xml"] {
        let m = pinned(name);
        assert!(m.warnings.is_empty(), "{name}: {:#?}", m.warnings);
    }
}

#[test]
fn pinned_beta_signature_targets() {
    let m = pinned("graph-beta.sync.csdl.xml");
    let acquire = overloads(&m, "microsoft.graph.acquireAccessToken");
    assert_eq!(acquire.len(), 1);
    let dep = m.operations[acquire[0].0]
        .annotations
        .deprecation()
        .unwrap();
    assert_eq!(dep.date.as_deref(), Some("2026-02-06"));
    assert_eq!(dep.removal_date.as_deref(), Some("2027-07-06"));
    // Both validateCredentials overloads (job and collection of jobs) have their own block.
    let validate = overloads(&m, "microsoft.graph.validateCredentials");
    assert_eq!(validate.len(), 2);
    for o in &validate {
        let op = &m.operations[o.0];
        assert_eq!(op.annotations.revisions.len(), 1, "{:?}", op.binding);
    }
    // Beta: the synchronization type is updated with PUT; its `secrets` are deprecated.
    let sync = id(&m, "microsoft.graph.synchronization");
    assert_eq!(m.ty(sync).annotations.update_method.as_deref(), Some("PUT"));
    let dep = secrets(&m).annotations.deprecation().unwrap();
    assert_eq!(
        dep.version.as_deref(),
        Some("2026-02/SynchronizationSecret_Deprecation")
    );
    // v1.0: the block targets the property `synchronization/secrets`.
    let m = pinned("graph-v1.0.sync.csdl.xml");
    assert_eq!(
        secrets(&m).annotations.update_method.as_deref(),
        Some("PUT")
    );
}

fn secrets(m: &Model) -> &csdl_codegen::model::Property {
    property(m, "microsoft.graph.synchronization", "secrets")
}

/// An entity type reached only as a value inside a payload (an action's result whose
/// complex type holds it by a structural property or a navigation) is selected shallowly:
/// its properties, not its navigations or the operations bound to it. Reached through an
/// entity's navigation, the same type is selected with everything.
#[test]
fn entities_inside_payloads_are_selected_shallowly() {
    const PAYLOADS: &str = r#"<?xml version="1.0"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="Ns" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="template">
        <Key><PropertyRef Name="id"/></Key>
        <Property Name="id" Type="Edm.String" Nullable="false"/>
      </EntityType>
      <EntityType Name="app">
        <Key><PropertyRef Name="id"/></Key>
        <Property Name="id" Type="Edm.String" Nullable="false"/>
        <Property Name="info" Type="Ns.info"/>
        <NavigationProperty Name="owners" Type="Collection(Ns.owner)"/>
      </EntityType>
      <EntityType Name="principal">
        <Key><PropertyRef Name="id"/></Key>
        <Property Name="id" Type="Edm.String" Nullable="false"/>
      </EntityType>
      <EntityType Name="owner">
        <Key><PropertyRef Name="id"/></Key>
        <Property Name="id" Type="Edm.String" Nullable="false"/>
      </EntityType>
      <ComplexType Name="info"><Property Name="note" Type="Edm.String"/></ComplexType>
      <ComplexType Name="created">
        <Property Name="principal" Type="Ns.principal"/>
        <NavigationProperty Name="app" Type="Ns.app"/>
      </ComplexType>
      <Action Name="instantiate" IsBound="true">
        <Parameter Name="bindingParameter" Type="Ns.template"/>
        <ReturnType Type="Ns.created"/>
      </Action>
      <Action Name="rename" IsBound="true">
        <Parameter Name="bindingParameter" Type="Ns.app"/>
      </Action>
      <EntityContainer Name="C">
        <EntitySet Name="templates" EntityType="Ns.template"/>
        <EntitySet Name="apps" EntityType="Ns.app"/>
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>"#;
    let m = resolve(&parse_document(PAYLOADS).unwrap()).unwrap();
    let sel = selected(&m, &[Root::parse("templates")]);
    assert_eq!(
        qualified(&m, &sel.types),
        [
            "Ns.template",
            "Ns.app",
            "Ns.principal",
            "Ns.info",
            "Ns.created"
        ]
    );
    assert_eq!(qualified(&m, &sel.shallow), ["Ns.app", "Ns.principal"]);
    assert_eq!(op_names(&m, &sel).len(), 1, "{:?}", op_names(&m, &sel));
    // The app's own set reaches it the ordinary way: navigations and operations too.
    let sel = selected(&m, &[Root::parse("templates"), Root::parse("apps")]);
    assert!(sel.is_deep(id(&m, "Ns.app")));
    assert!(qualified(&m, &sel.types).contains(&"Ns.owner".to_string()));
    assert_eq!(op_names(&m, &sel).len(), 2, "{:?}", op_names(&m, &sel));
}

/// With roots, the names, kinds and base types of every type are checked, and the members
/// of the types the roots reach (ARCHITECTURE.md, resolve): an error in the base-type chain
/// of a type no root reaches fails the run with the message it has under `--all`; an error
/// in its members fails `--all` only (`lazy_resolve.rs` shows it reported once reached).
#[test]
fn errors_of_unreached_types() {
    let doc = |broken: &str| {
        format!(
            r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="Ns" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="thing">
        <Key><PropertyRef Name="id"/></Key>
        <Property Name="id" Type="Edm.String" Nullable="false"/>
      </EntityType>
      {broken}
      <EntityContainer Name="C">
        <EntitySet Name="things" EntityType="Ns.thing"/>
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>"#
        )
    };
    let dir = tempfile::tempdir().unwrap();
    for (broken, kind, message, always) in [
        (
            r#"<ComplexType Name="loose"><Property Name="p" Type="Ns.missing"/></ComplexType>"#,
            ErrorKind::Unresolved,
            "type `Ns.missing` is not defined",
            false,
        ),
        (
            r#"<ComplexType Name="one" BaseType="Ns.two"/><ComplexType Name="two" BaseType="Ns.one"/>"#,
            ErrorKind::Cycle,
            "Ns.one",
            true,
        ),
        (
            r#"<ComplexType Name="derived" BaseType="Ns.nowhere"/>"#,
            ErrorKind::Unresolved,
            "type `Ns.nowhere` is not defined",
            true,
        ),
        (
            r#"<ComplexType Name="twice"><Property Name="p" Type="Edm.String"/><Property Name="p" Type="Edm.Int32"/></ComplexType>"#,
            ErrorKind::Csdl,
            "declares `p` more than once",
            false,
        ),
    ] {
        let input = dir.path().join("doc.csdl.xml");
        std::fs::write(&input, doc(broken)).unwrap();
        let rooted = Generator::new(&input)
            .roots(vec![Root::parse("things")])
            .generate();
        let all = Generator::new(&input)
            .all(true)
            .generate()
            .expect_err(broken);
        assert_eq!(all.kind, kind, "{all}");
        assert!(all.to_string().contains(message), "{all}");
        if always {
            assert_eq!(rooted.expect_err(broken).to_string(), all.to_string());
        } else {
            rooted.expect(broken);
        }
    }
}

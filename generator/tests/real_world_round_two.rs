//! The second round of real-world CSDL: errors that name the document holding their line
//! when several are loaded, missing references a structure depends on, narrower
//! redeclarations and members declared twice, keys that are paths into complex
//! properties, and names across namespaces. The compiled counterparts are the `lenient`,
//! `key_paths` and `versioned_namespaces` fixtures (`tests/tests/real_world_round_two.rs`).

use std::path::{Path, PathBuf};

use csdl_codegen::csdl::parse_document;
use csdl_codegen::diagnostics::render;
use csdl_codegen::model::{resolve, KeyPart, Primitive, Target, TypeRef};
use csdl_codegen::{Error, ErrorKind, Generator, Pos};

fn edmx(references: &str, schema: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
{references}
  <edmx:DataServices>
    <Schema Namespace="Main.Ns" Alias="m" xmlns="http://docs.oasis-open.org/odata/ns/edm">
{schema}
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#
    )
}

fn library(namespace: &str, body: &str) -> String {
    edmx("", body)
        .replace("Main.Ns", namespace)
        .replace(" Alias=\"m\"", "")
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const CORE: &str = r#"  <edmx:Reference Uri="https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Core.V1.xml">
    <edmx:Include Namespace="Org.OData.Core.V1" Alias="Core"/>
  </edmx:Reference>"#;

/// A main document that uses a built-in vocabulary, a document next to it and one found
/// in a reference directory; `main`, `near` and `far` are the bodies of their schemas.
struct Documents {
    _tmp: tempfile::TempDir,
    input: PathBuf,
    near: PathBuf,
    far: PathBuf,
    far_dir: PathBuf,
}

fn documents(main: &str, near: &str, far: &str) -> Documents {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().to_path_buf();
    let refs = format!(
        r#"{CORE}
  <edmx:Reference Uri="near.xml"><edmx:Include Namespace="Near.Lib" Alias="near"/></edmx:Reference>
  <edmx:Reference Uri="https://example.test/far.xml"><edmx:Include Namespace="Far.Lib" Alias="far"/></edmx:Reference>"#
    );
    let input = root.join("main.xml");
    write(&input, &edmx(&refs, main));
    let near_path = root.join("near.xml");
    write(&near_path, &library("Near.Lib", near));
    let far_dir = root.join("vocabularies");
    let far_path = far_dir.join("far.xml");
    write(&far_path, &library("Far.Lib", far));
    Documents {
        _tmp: tmp,
        input,
        near: near_path,
        far: far_path,
        far_dir,
    }
}

const MAIN_OK: &str = r#"      <ComplexType Name="order">
        <Property Name="size" Type="near.size"/>
        <Property Name="rate" Type="far.rate"/>
        <Property Name="tags" Type="Core.Tag"/>
      </ComplexType>"#;
const NEAR_OK: &str =
    r#"      <ComplexType Name="size"><Property Name="v" Type="Edm.Int32"/></ComplexType>"#;
const FAR_OK: &str =
    r#"      <ComplexType Name="rate"><Property Name="v" Type="Edm.Double"/></ComplexType>"#;

/// The error of generating `docs`, with its rendering.
fn failure(docs: &Documents) -> (Error, String) {
    let err = Generator::new(&docs.input)
        .all(true)
        .reference_dir(&docs.far_dir)
        .generate()
        .unwrap_err();
    let text = render(&err, false);
    (err, text)
}

/// Line `line` (1-based) of the file at `path`.
fn line_of(path: &Path, line: u32) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines().nth(line as usize - 1).unwrap().to_string()
}

#[test]
fn an_error_names_the_document_that_holds_its_line() {
    // Every document fine: it generates.
    let docs = documents(MAIN_OK, NEAR_OK, FAR_OK);
    Generator::new(&docs.input)
        .all(true)
        .reference_dir(&docs.far_dir)
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    // A key naming nothing, checked once every document is read, in each document in turn.
    let bad_key = r#"      <EntityType Name="broken"><Key><PropertyRef Name="nope"/></Key>
        <Property Name="id" Type="Edm.Int32" Nullable="false"/>
      </EntityType>"#;
    let cases = [
        (
            documents(&format!("{MAIN_OK}\n{bad_key}"), NEAR_OK, FAR_OK),
            "main",
        ),
        (
            documents(MAIN_OK, &format!("{NEAR_OK}\n{bad_key}"), FAR_OK),
            "near",
        ),
        (
            documents(MAIN_OK, NEAR_OK, &format!("{FAR_OK}\n{bad_key}")),
            "far",
        ),
    ];
    for (docs, which) in cases {
        let (err, text) = failure(&docs);
        let file = match which {
            "main" => &docs.input,
            "near" => &docs.near,
            _ => &docs.far,
        };
        assert_eq!(err.file.as_deref(), Some(file.as_path()), "{which}: {err}");
        let pos = err.pos.expect("a position");
        let line = line_of(file, pos.line);
        assert!(line.contains("Name=\"broken\""), "{which}: {line}");
        assert!(
            text.contains(&format!("{}:{}", file.display(), pos.line)),
            "{text}"
        );
        assert!(
            text.contains(line.trim()),
            "{which}: the snippet shows the line\n{text}"
        );
    }
}

#[test]
fn a_line_of_a_built_in_vocabulary_is_shown_from_the_generator_s_own_text() {
    let text = csdl_codegen::csdl::vocabularies::builtin("Org.OData.Core.V1").unwrap();
    let (n, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("Name=\"Description\""))
        .unwrap();
    let err = Error::new(ErrorKind::Csdl, "an example problem")
        .at(Pos {
            line: n as u32 + 1,
            col: 1,
        })
        .in_file(Path::new("built-in Org.OData.Core.V1"));
    let rendered = render(&err, false);
    assert!(
        rendered.contains(&format!("built-in Org.OData.Core.V1:{}", n + 1)),
        "{rendered}"
    );
    assert!(rendered.contains(line.trim()), "{rendered}");
}

#[test]
fn a_structure_that_needs_a_missing_reference_is_an_error_that_names_it() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("main.xml");
    let refs = r#"  <edmx:Reference Uri="https://example.test/missing/Shared.xml">
    <edmx:Include Namespace="Shared.Lib" Alias="lib"/>
  </edmx:Reference>
  <edmx:Reference Uri="https://example.test/missing/Notes.xml">
    <edmx:Include Namespace="Notes.V1" Alias="Notes"/>
  </edmx:Reference>"#;
    let check = |schema: &str| {
        write(&input, &edmx(refs, schema));
        Generator::new(&input).all(true).generate()
    };
    // A base type and a key's type: errors naming the reference and how to supply it.
    for schema in [
        r#"      <EntityType Name="order" BaseType="lib.document"/>"#,
        r#"      <EntityType Name="order"><Key><PropertyRef Name="id"/></Key>
        <Property Name="id" Type="lib.code" Nullable="false"/>
      </EntityType>"#,
        r#"      <EntityContainer Name="service"><EntitySet Name="orders" EntityType="lib.order"/></EntityContainer>"#,
    ] {
        let err = check(schema).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Unresolved, "{err}");
        let text = err.to_string();
        assert!(
            text.contains("https://example.test/missing/Shared.xml"),
            "{text}"
        );
        assert!(text.contains("--reference-dir"), "{text}");
        assert!(text.contains("main.xml:"), "{text}");
        assert!(!text.contains("is not a structured type"), "{text}");
    }
    // Only annotations (and a plain property) use them: warnings, untyped JSON.
    let output = check(
        r#"      <EntityType Name="order"><Key><PropertyRef Name="id"/></Key>
        <Property Name="id" Type="Edm.Int32" Nullable="false"/>
        <Property Name="code" Type="lib.code"/>
        <Annotation Term="Notes.Remark" String="kept"/>
      </EntityType>"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let warnings: String = output.warnings.iter().map(|w| format!("{w}\n")).collect();
    assert!(warnings.contains("Shared.xml"), "{warnings}");
    assert!(warnings.contains("Notes.xml"), "{warnings}");
}

fn untyped() -> TypeRef {
    TypeRef {
        collection: false,
        target: Target::Primitive(Primitive::Untyped),
    }
}

fn primitive(p: Primitive) -> TypeRef {
    TypeRef {
        collection: false,
        target: Target::Primitive(p),
    }
}

/// A base type `base` with `base_props` and a derived type `derived` with `derived_props`.
fn inheritance(base_props: &str, derived_props: &str) -> String {
    edmx(
        "",
        &format!(
            r#"      <ComplexType Name="shape"><Property Name="label" Type="Edm.String"/></ComplexType>
      <ComplexType Name="circle" BaseType="m.shape"/>
      <ComplexType Name="base">{base_props}</ComplexType>
      <ComplexType Name="derived" BaseType="m.base">{derived_props}</ComplexType>"#
        ),
    )
}

#[test]
fn a_narrower_redeclaration_is_accepted_with_a_warning_and_a_wider_one_is_not() {
    let narrower = [
        ("Edm.Untyped", "Edm.PrimitiveType"),
        ("Edm.Untyped", "Edm.String"),
        ("Edm.Untyped", "m.shape"),
        ("Edm.PrimitiveType", "Edm.Int32"),
        ("Edm.ComplexType", "m.circle"),
        ("m.shape", "m.circle"),
        ("Collection(m.shape)", "Collection(m.circle)"),
    ];
    for (base, derived) in narrower {
        let text = inheritance(
            &format!(r#"<Property Name="v" Type="{base}"/>"#),
            &format!(r#"<Property Name="v" Type="{derived}"/>"#),
        );
        let model = resolve(&parse_document(&text).unwrap())
            .unwrap_or_else(|e| panic!("{base} -> {derived}: {e}"));
        let warning = model
            .warnings
            .iter()
            .find(|w| w.message.contains("narrower type"))
            .unwrap_or_else(|| panic!("{base} -> {derived}: {:?}", model.warnings));
        let spelled = if derived.starts_with("Edm.") {
            derived.to_string()
        } else {
            derived.replacen("m.", "Main.Ns.", 1)
        };
        assert!(warning.message.contains(&spelled), "{}", warning.message);
        assert_eq!(warning.pos.map(|p| p.line), Some(9), "{warning}");
        // The derived type's field has the narrower type, the base's keeps its own.
        let derived_id = model.find_type("Main.Ns.derived").unwrap();
        let base_id = model.find_type("Main.Ns.base").unwrap();
        let field = |id| model.all_properties(id)[0].1.ty.clone();
        assert_ne!(field(derived_id), field(base_id), "{base} -> {derived}");
        if base == "Edm.Untyped" && derived == "Edm.String" {
            assert_eq!(field(base_id), untyped());
            assert_eq!(field(derived_id), primitive(Primitive::String));
        }
    }
    for (base, derived) in [
        ("Edm.String", "Edm.Untyped"),
        ("Edm.String", "Edm.Int32"),
        ("m.circle", "m.shape"),
        ("Edm.PrimitiveType", "m.shape"),
        ("Collection(Edm.Untyped)", "Edm.String"),
    ] {
        let text = inheritance(
            &format!(r#"<Property Name="v" Type="{base}"/>"#),
            &format!(r#"<Property Name="v" Type="{derived}"/>"#),
        );
        let err = resolve(&parse_document(&text).unwrap()).unwrap_err();
        assert!(
            err.message.contains("with another type"),
            "{base} -> {derived}: {err}"
        );
    }
}

#[test]
fn members_declared_twice_alike_are_merged_and_differing_ones_stay_errors() {
    let text = edmx(
        "",
        r#"      <EnumType Name="tone">
        <Member Name="calm" Value="1"/>
        <Member Name="calm" Value="1"/>
      </EnumType>
      <EntityType Name="item"><Key><PropertyRef Name="id"/></Key>
        <Property Name="id" Type="Edm.Int32" Nullable="false"/>
        <Property Name="note" Type="Edm.String" MaxLength="10"/>
        <Property Name="note" Type="Edm.String" MaxLength="10">
          <Annotation Term="Org.OData.Core.V1.Description" String="A short note."/>
        </Property>
        <NavigationProperty Name="next" Type="m.item"/>
        <NavigationProperty Name="next" Type="m.item"/>
      </EntityType>"#,
    );
    let model = resolve(&parse_document(&text).unwrap()).unwrap_or_else(|e| panic!("{e}"));
    let mut merged: Vec<(u32, &str)> = model
        .warnings
        .iter()
        .filter(|w| w.message.contains("twice alike"))
        .map(|w| (w.pos.unwrap().line, w.message.as_str()))
        .collect();
    assert_eq!(merged.len(), 3, "{merged:?}");
    merged.sort();
    assert_eq!(
        merged.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
        [8, 13, 17],
        "{merged:?}"
    );
    let item = model.find_type("Main.Ns.item").unwrap();
    let props = model.all_properties(item);
    assert_eq!(props.len(), 2);
    // The second declaration's annotations join the first.
    assert_eq!(
        props[1].1.annotations.description.as_deref(),
        Some("A short note.")
    );
    assert_eq!(model.all_navigations(item).len(), 1);
    let tone = model.find_type("Main.Ns.tone").unwrap();
    match &model.ty(tone).kind {
        csdl_codegen::model::TypeKind::Enum(e) => assert_eq!(e.members.len(), 1),
        other => panic!("{other:?}"),
    }
    // Declarations that differ stay errors.
    for (body, what) in [
        (
            r#"<EnumType Name="tone"><Member Name="calm" Value="1"/><Member Name="calm" Value="2"/></EnumType>"#,
            "calm",
        ),
        (
            r#"<ComplexType Name="c"><Property Name="p" Type="Edm.String"/><Property Name="p" Type="Edm.Int32"/></ComplexType>"#,
            "p",
        ),
        (
            r#"<ComplexType Name="c"><Property Name="p" Type="Edm.String"/><Property Name="p" Type="Edm.String" Nullable="false"/></ComplexType>"#,
            "p",
        ),
        (
            r#"<EntityType Name="e"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.Int32" Nullable="false"/><NavigationProperty Name="id" Type="m.e"/></EntityType>"#,
            "id",
        ),
    ] {
        let err = resolve(&parse_document(&edmx("", body)).unwrap()).unwrap_err();
        assert!(
            err.message
                .contains(&format!("declares `{what}` more than once")),
            "{body}: {err}"
        );
    }
}

#[test]
fn a_key_path_is_typed_by_its_target_and_named_by_its_alias() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/key_paths.csdl.xml");
    let text = std::fs::read_to_string(path).unwrap();
    let model = resolve(&parse_document(&text).unwrap()).unwrap_or_else(|e| panic!("{e}"));
    assert!(model.warnings.is_empty(), "{:?}", model.warnings);
    let part = |path: &str, wire: &str, p: Primitive| KeyPart {
        path: path.into(),
        wire: wire.into(),
        ty: primitive(p),
    };
    let product = model.find_type("Fabrikam.Keys.Product").unwrap();
    assert_eq!(
        model.key_parts(product),
        [part("Info/ID", "InfoID", Primitive::Int32)]
    );
    // Inherited with the key.
    let special = model.find_type("Fabrikam.Keys.SpecialProduct").unwrap();
    assert_eq!(model.key_parts(special), model.key_parts(product));
    let shipment = model.find_type("Fabrikam.Keys.Shipment").unwrap();
    assert_eq!(
        model.key_parts(shipment),
        [
            part("Number", "Number", Primitive::Int64),
            part("Info/Origin/Region", "Region", Primitive::String),
        ]
    );
    // A path that ends nowhere, or passes through a collection, is an error; one without
    // an alias is named by its last segment, with a warning.
    let keyed = |key: &str| {
        edmx(
            "",
            &format!(
                r#"      <ComplexType Name="info"><Property Name="id" Type="Edm.Int32" Nullable="false"/></ComplexType>
      <EntityType Name="e"><Key>{key}</Key>
        <Property Name="info" Type="m.info" Nullable="false"/>
        <Property Name="infos" Type="Collection(m.info)"/>
      </EntityType>"#
            ),
        )
    };
    for key in [
        r#"<PropertyRef Name="info/nope" Alias="x"/>"#,
        r#"<PropertyRef Name="infos/id" Alias="x"/>"#,
    ] {
        let err = resolve(&parse_document(&keyed(key)).unwrap()).unwrap_err();
        assert!(err.message.contains("is not a path"), "{key}: {err}");
    }
    let model = resolve(&parse_document(&keyed(r#"<PropertyRef Name="info/id"/>"#)).unwrap())
        .unwrap_or_else(|e| panic!("{e}"));
    let e = model.find_type("Main.Ns.e").unwrap();
    assert_eq!(model.key_parts(e)[0].wire, "id");
    assert!(
        model
            .warnings
            .iter()
            .any(|w| w.message.contains("has no alias")),
        "{:?}",
        model.warnings
    );
}

#[test]
fn namespaces_whose_module_names_agree_get_two_modules() {
    let text = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="Rack.v1_0" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <ComplexType Name="thing"><Property Name="a" Type="Edm.String"/></ComplexType>
    </Schema>
    <Schema Namespace="Rack_v1.0" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <ComplexType Name="thing"><Property Name="b" Type="Edm.String"/></ComplexType>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("racks.xml");
    write(&input, text);
    let output = Generator::new(&input).all(true).generate().unwrap();
    let lib = output
        .models
        .iter()
        .find(|f| f.path == "src/lib.rs")
        .unwrap();
    assert!(
        lib.contents.contains("pub mod rack_v1_0;"),
        "{}",
        lib.contents
    );
    assert!(
        lib.contents.contains("pub mod rack_v1_0_2;"),
        "{}",
        lib.contents
    );
    let renamed = output
        .models
        .iter()
        .find(|f| f.path == "src/rack_v1_0_2/mod.rs")
        .unwrap();
    assert!(
        renamed.contents.contains("`Rack_v1.0`")
            && renamed
                .contents
                .contains("Named `rack_v1_0_2` because `rack_v1_0` is taken"),
        "{}",
        renamed.contents
    );
}

#[test]
fn a_referenced_document_s_leniency_is_silent() {
    // What a referenced vocabulary does (SAP's UI vocabulary narrows inherited
    // properties) is its publisher's to fix: accepted without a warning on every run.
    let near = r#"      <ComplexType Name="size"><Property Name="v" Type="Edm.Untyped"/></ComplexType>
      <ComplexType Name="exact" BaseType="Near.Lib.size">
        <Property Name="v" Type="Edm.Int32"/>
        <Property Name="unit" Type="Edm.String"/>
        <Property Name="unit" Type="Edm.String"/>
      </ComplexType>"#;
    let main = MAIN_OK.replace("near.size", "near.exact");
    let docs = documents(&main, near, FAR_OK);
    let output = Generator::new(&docs.input)
        .all(true)
        .reference_dir(&docs.far_dir)
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(output.warnings.is_empty(), "{:?}", output.warnings);
    let text: String = output.models.iter().map(|f| f.contents.clone()).collect();
    assert!(text.contains("pub v: Option<i32>"), "{text}");
    assert_eq!(text.matches("pub unit:").count(), 1, "{text}");
}

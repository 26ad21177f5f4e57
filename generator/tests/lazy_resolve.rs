//! Resolution of only what the roots need (`model::resolve_lazy`, ARCHITECTURE.md, resolve):
//! a type filled on demand is the type `resolve_all` gives, and what the overrides, the docs
//! overlay, annotation blocks and selection read is filled before they read it.

use std::path::{Path, PathBuf};

use csdl_codegen::csdl::load;
use csdl_codegen::model::{resolve_all, resolve_lazy, Model, TypeId};
use csdl_codegen::{Generator, Root};

/// What a model says, in a form two models can be compared by: types, operations and
/// containers in order, and the warnings as a sorted list (a lazy model gives them in the
/// order it fills types).
fn facts(m: &Model) -> (Vec<String>, Vec<String>) {
    let mut lines: Vec<String> = m.types.iter().map(|t| format!("{t:?}")).collect();
    lines.extend(m.operations.iter().map(|o| format!("{o:?}")));
    lines.extend(m.containers.iter().map(|c| format!("{c:?}")));
    let mut warnings: Vec<String> = m.warnings.iter().map(|w| w.to_string()).collect();
    warnings.sort();
    (lines, warnings)
}

fn documents() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut out = Vec::new();
    for dir in ["tests/fixtures", "tests/fixtures/references", "specs"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.to_string_lossy().ends_with(".xml") {
                out.push(path);
            }
        }
    }
    out.sort();
    assert!(out.len() > 20, "{out:?}");
    out
}

#[test]
fn filling_every_type_gives_what_resolve_all_gives() {
    for path in documents() {
        let loaded = load(&path, &[]).unwrap();
        let eager = resolve_all(&loaded);
        let lazy = resolve_lazy(loaded).and_then(|mut m| {
            let ids: Vec<TypeId> = (0..m.types.len()).map(TypeId).collect();
            m.fill(&ids).map(|()| m)
        });
        match (eager, lazy) {
            (Ok(eager), Ok(lazy)) => {
                assert!(
                    facts(&eager) == facts(&lazy),
                    "{}: the lazily filled model differs",
                    path.display()
                );
            }
            (Err(e), Err(l)) => assert_eq!(e.to_string(), l.to_string(), "{}", path.display()),
            (e, l) => panic!("{}: {:?} against {:?}", path.display(), e.err(), l.err()),
        }
    }
}

/// `Ns.thing` (entity set `things`) derives from `Ns.base` and holds an `Ns.info`; `Ns.other`
/// is reached by no root. `{base}`, `{thing}` and `{info}` go into those types, `{extra}`
/// after them.
fn doc(base: &str, thing: &str, info: &str, extra: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="Ns" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="base" Abstract="true">
        <Key><PropertyRef Name="id"/></Key>
        <Property Name="id" Type="Edm.String" Nullable="false"/>
        {base}
      </EntityType>
      <EntityType Name="thing" BaseType="Ns.base">
        <Property Name="name" Type="Edm.String"/>
        <Property Name="info" Type="Ns.info"/>
        {thing}
      </EntityType>
      <ComplexType Name="info">
        <Property Name="size" Type="Edm.Int32"/>
        {info}
      </ComplexType>
      <EntityType Name="other">
        <Key><PropertyRef Name="id"/></Key>
        <Property Name="id" Type="Edm.String" Nullable="false"/>
        <Property Name="p" Type="Edm.String"/>
      </EntityType>
      {extra}
      <EntityContainer Name="C">
        <EntitySet Name="things" EntityType="Ns.thing"/>
        <EntitySet Name="others" EntityType="Ns.other"/>
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>"#
    )
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn rooted(input: &Path) -> Generator {
    Generator::new(input).roots(vec![Root::parse("things")])
}

fn models_text(output: &csdl_codegen::Output) -> String {
    output
        .models
        .iter()
        .map(|f| f.contents.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// An error in the members of a type the roots reach (the root's own, an inherited one, a
/// complex type's, a redeclaration of an inherited member) fails the run with the message
/// `--all` gives.
#[test]
fn errors_in_reached_members_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            doc(r#"<Property Name="bad" Type="Ns.missing"/>"#, "", "", ""),
            "type `Ns.missing` is not defined",
        ),
        (
            doc("", r#"<Property Name="name" Type="Edm.Int32"/>"#, "", ""),
            "declares `name` more than once",
        ),
        (
            doc("", "", r#"<Property Name="size" Type="Edm.String"/>"#, ""),
            "declares `size` more than once",
        ),
        (
            doc(
                r#"<Property Name="kind" Type="Edm.String"/>"#,
                r#"<Property Name="kind" Type="Edm.Int32"/>"#,
                "",
                "",
            ),
            "redeclares the inherited property `kind` with another type",
        ),
        (
            doc(
                "",
                r#"<NavigationProperty Name="i" Type="Ns.info"/>"#,
                "",
                "",
            ),
            "must target an entity type",
        ),
    ];
    for (text, message) in cases {
        let input = write(dir.path(), "doc.csdl.xml", &text);
        let rooted = rooted(&input).generate().expect_err(message);
        let all = Generator::new(&input)
            .all(true)
            .generate()
            .expect_err(message);
        assert!(rooted.to_string().contains(message), "{rooted}");
        assert_eq!(rooted.to_string(), all.to_string());
    }
}

/// An error in the members of a type no root reaches is reported when something reaches
/// the type, and by `--all`, not by a run whose roots do not reach it.
#[test]
fn errors_of_unreached_members_are_reported_when_reached() {
    let dir = tempfile::tempdir().unwrap();
    let broken =
        r#"<ComplexType Name="loose"><Property Name="p" Type="Ns.missing"/></ComplexType>"#;
    let input = write(dir.path(), "doc.csdl.xml", &doc("", "", "", broken));
    rooted(&input)
        .generate()
        .expect("`Ns.loose` is not reached");
    let message = "type `Ns.missing` is not defined";
    let reached = Generator::new(&input)
        .roots(vec![Root::parse("Ns.loose")])
        .generate()
        .expect_err("reached");
    let all = Generator::new(&input)
        .all(true)
        .generate()
        .expect_err("all");
    assert!(reached.to_string().contains(message), "{reached}");
    assert_eq!(reached.to_string(), all.to_string());
}

/// Override entries find the members of the types they name, reached or not: the navigation
/// an override adds follows the declared ones, and a property of an unreached type is found.
#[test]
fn overrides_fill_the_types_they_name() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "doc.csdl.xml", &doc("", "", "", ""));
    let overrides = write(
        dir.path(),
        "overrides.toml",
        r#"
[[update_method]]
target = "Ns.other/p"
method = "PUT"
reason = "a property of a type no root reaches"

[[add_navigation]]
owner = "Ns.thing"
name = "buddy"
type = "Ns.thing"
reason = "a navigation after the declared members"
"#,
    );
    let rooted = rooted(&input).overrides(&overrides).generate().unwrap();
    assert!(
        rooted
            .overrides
            .iter()
            .any(|l| l.starts_with("update_method Ns.other/p: PUT")),
        "{:?}",
        rooted.overrides
    );
    let text = models_text(&rooted);
    let (name, buddy) = (
        text.find("pub name:").unwrap(),
        text.find("pub buddy:").unwrap(),
    );
    assert!(name < buddy, "{text}");
}

/// Docs overlay entries and `<Annotations Target>` blocks reach the members of types that
/// are filled after them; targets that match nothing are reported as under `--all`.
#[test]
fn docs_and_annotation_blocks_reach_filled_members() {
    let dir = tempfile::tempdir().unwrap();
    let blocks = r#"
      <Annotations Target="Ns.thing/name">
        <Annotation Term="Org.OData.Core.V1.Description" String="What the thing is called, from a block."/>
      </Annotations>
      <Annotations Target="Ns.other/nope">
        <Annotation Term="Org.OData.Core.V1.Description" String="Nothing."/>
      </Annotations>"#;
    let input = write(dir.path(), "doc.csdl.xml", &doc("", "", "", blocks));
    let docs = write(
        dir.path(),
        "docs.toml",
        r#"
["Ns.info/size"]
description = "How big the thing is, from the overlay."

["Ns.other/p"]
description = "A property of a type no root reaches."

["Ns.other/q"]
description = "A property that does not exist."
"#,
    );
    let rooted = rooted(&input).docs(&docs).generate().unwrap();
    let all = Generator::new(&input)
        .all(true)
        .docs(&docs)
        .generate()
        .unwrap();
    let text = models_text(&rooted);
    assert!(
        text.contains("What the thing is called, from a block."),
        "{text}"
    );
    assert!(
        text.contains("How big the thing is, from the overlay."),
        "{text}"
    );
    let warnings = |o: &csdl_codegen::Output| {
        let mut w: Vec<String> = o.warnings.iter().map(|w| w.to_string()).collect();
        w.sort();
        w
    };
    let (rooted_warnings, all_warnings) = (warnings(&rooted), warnings(&all));
    assert_eq!(rooted_warnings, all_warnings);
    assert!(
        rooted_warnings
            .iter()
            .any(|w| w.contains("`Ns.other/nope` does not resolve")),
        "{rooted_warnings:?}"
    );
    assert!(
        rooted_warnings
            .iter()
            .any(|w| w.contains("`Ns.other/q` matches nothing")),
        "{rooted_warnings:?}"
    );
    assert!(
        !rooted_warnings.iter().any(|w| w.contains("Ns.other/p")),
        "{rooted_warnings:?}"
    );
}

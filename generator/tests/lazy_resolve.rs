//! Resolution of only what the roots need (`model::resolve_lazy`, ARCHITECTURE.md, resolve):
//! a type filled on demand is the type `resolve_all` gives, and what the overrides, the docs
//! overlay, annotation blocks and selection read is filled before they read it.

use std::path::{Path, PathBuf};

use csdl_codegen::csdl::{load, load_deferred};
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

/// Filling every type of a lazily resolved model gives the model `resolve_all` gives, with
/// the document read eagerly or its members left unread (`load_deferred`) alike.
#[test]
fn filling_every_type_gives_what_resolve_all_gives() {
    for path in documents() {
        let eager = resolve_all(&load(&path, &[]).unwrap());
        let all_deferred = load_deferred(&path, &[]).and_then(|loaded| resolve_all(&loaded));
        for (how, loaded) in [
            ("read eagerly", load(&path, &[])),
            ("read deferred", load_deferred(&path, &[])),
        ] {
            let lazy = loaded.unwrap().pipe(resolve_lazy).and_then(|mut m| {
                let ids: Vec<TypeId> = (0..m.types.len()).map(TypeId).collect();
                m.fill(&ids).map(|()| m)
            });
            let place = format!("{} ({how})", path.display());
            match (&eager, lazy) {
                (Ok(eager), Ok(lazy)) => {
                    assert!(
                        facts(eager) == facts(&lazy),
                        "{place}: the filled model differs"
                    );
                }
                (Err(e), Err(l)) => assert_eq!(e.to_string(), l.to_string(), "{place}"),
                (e, l) => panic!("{place}: {:?} against {:?}", e.as_ref().err(), l.err()),
            }
        }
        match (&eager, all_deferred) {
            (Ok(eager), Ok(deferred)) => assert!(
                facts(eager) == facts(&deferred),
                "{}: resolve_all of the deferred read differs",
                path.display()
            ),
            (Err(e), Err(d)) => assert_eq!(e.to_string(), d.to_string(), "{}", path.display()),
            (e, d) => panic!(
                "{}: {:?} against {:?}",
                path.display(),
                e.as_ref().err(),
                d.err()
            ),
        }
    }
}

trait Pipe: Sized {
    fn pipe<R>(self, f: impl FnOnce(Self) -> R) -> R {
        f(self)
    }
}

impl<T> Pipe for T {}

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

/// The error of generating everything in `input` (`--all`, which reads every member).
fn all_error(input: &Path, what: &str) -> csdl_codegen::Error {
    Generator::new(input).all(true).generate().expect_err(what)
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
        let all = all_error(&input, message);
        assert!(rooted.to_string().contains(message), "{rooted}");
        assert_eq!(rooted.to_string(), all.to_string());
    }
}

/// Members and annotation blocks the reader reads only when generation reaches them
/// (`csdl::Deferred`): malformed ones in a reached type fail the run with the error, file,
/// line and column of `--all`, which reads everything; in a type no root reaches they are
/// not read.
#[test]
fn malformed_members_are_reported_where_they_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let bad_flag = r#"<Property Name="flag" Type="Edm.Boolean" Nullable="maybe"/>"#;
    let nameless = r#"<NavigationProperty Type="Ns.other"/>"#;
    let unnamed_term =
        r#"<Annotations Target="Ns.info/size"><Annotation Qualifier="q"/></Annotations>"#;
    let bad_member = r#"<EnumType Name="level"><Member Name="low" Value="x"/></EnumType>"#;
    let uses_level = r#"<Property Name="level" Type="Ns.level"/>"#;
    let cases = [
        (
            doc("", bad_flag, "", ""),
            "attribute `Nullable` must be true or false",
        ),
        (
            doc(nameless, "", "", ""),
            "<NavigationProperty> is missing the `Name` attribute",
        ),
        (
            doc("", "", "", unnamed_term),
            "<Annotation> is missing the `Term` attribute",
        ),
        (
            doc("", uses_level, "", bad_member),
            "enum member value `x` is not a 64-bit integer",
        ),
    ];
    for (text, message) in cases {
        // Two byte-order marks, which the eager reader strips, count alike.
        let text = format!("\u{feff}\u{feff}{text}");
        let input = write(dir.path(), "doc.csdl.xml", &text);
        let rooted = rooted(&input).generate().expect_err(message).to_string();
        let all = all_error(&input, message);
        assert!(rooted.contains(message), "{rooted}");
        assert!(rooted.contains("doc.csdl.xml:"), "{rooted}");
        assert_eq!(rooted, all.to_string());
    }
    // The same elements in `Ns.other`, which the roots do not reach: not read.
    let other = r#"<EntityType Name="other">"#;
    for broken in [bad_flag, nameless] {
        let text = doc("", "", "", "").replace(other, &format!("{other}{broken}"));
        let input = write(dir.path(), "doc.csdl.xml", &text);
        rooted(&input)
            .generate()
            .expect("`Ns.other` is not reached");
        all_error(&input, "read by --all");
    }
}

/// Where a document holds two errors, runs that read members when they reach them report
/// the error an eager read reports: the first in document order when the document fails
/// to read, and the eager reader's and resolver's first for a service without roots.
#[test]
fn the_first_error_is_the_eager_reads() {
    let dir = tempfile::tempdir().unwrap();
    let bad_flag = r#"<Property Name="flag" Type="Edm.Boolean" Nullable="maybe"/>"#;
    let other = r#"<EntityType Name="other">"#;
    let flag_message = "attribute `Nullable` must be true or false";
    // A malformed member of `Ns.other`, which no root reaches, before a malformed entity
    // set: the document fails to read, and the member's error comes first.
    let text = doc("", "", "", "")
        .replace(other, &format!("{other}{bad_flag}"))
        .replace(r#"<EntitySet Name="others""#, r#"<EntitySet"#);
    let input = write(dir.path(), "doc.csdl.xml", &text);
    let rooted = rooted(&input).generate().expect_err("malformed");
    assert!(rooted.to_string().contains(flag_message), "{rooted}");
    // A service without roots (everything is generated): a malformed member before a type
    // declared twice. The default run reads members as it resolves them; it reports what
    // an eager read does.
    let twice = r#"<ComplexType Name="info"><Property Name="x" Type="Edm.String"/></ComplexType>"#;
    let text = doc("", bad_flag, "", twice);
    let input = write(dir.path(), "doc.csdl.xml", &text);
    let default = Generator::new(&input).generate().expect_err("malformed");
    let all = all_error(&input, "malformed");
    assert!(default.to_string().contains(flag_message), "{default}");
    assert_eq!(default.to_string(), all.to_string());
}

/// A type's key and its members are read in one pass's order: of two errors, the one
/// earlier in the file is reported.
#[test]
fn of_a_bad_member_and_a_bad_key_the_earlier_is_reported() {
    let text = |body: &str| {
        doc("", "", "", "").replace(
            r#"<EntityType Name="other">"#,
            &format!(r#"<EntityType Name="other2">{body}</EntityType><EntityType Name="other">"#),
        )
    };
    let bad_property = r#"<Property Name="p" Type="Edm.String" Nullable="maybe"/>"#;
    let bad_key = r#"<Key><PropertyRef/></Key>"#;
    let member_first =
        csdl_codegen::csdl::parse_document(&text(&format!("{bad_property}{bad_key}")))
            .expect_err("malformed");
    assert!(
        member_first.to_string().contains("Nullable"),
        "{member_first}"
    );
    let key_first = csdl_codegen::csdl::parse_document(&text(&format!("{bad_key}{bad_property}")))
        .expect_err("malformed");
    assert!(key_first.to_string().contains("PropertyRef"), "{key_first}");
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
    let all = all_error(&input, "all");
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

/// A document with more annotation blocks than are looked up on one thread
/// (`Resolver::find_targets`, on a machine with two cores or more): each annotation lands on
/// the element its block names, in a lazily filled model as in an eager one, and the
/// unresolvable targets are warned about in document order.
#[test]
fn many_annotation_blocks_land_where_they_point() {
    const TYPES: usize = 600;
    const ACTIONS: usize = 50;
    const MISSING: usize = 30;
    let describe = |target: String, text: String| {
        format!(
            "<Annotations Target=\"{target}\"><Annotation Term=\"Org.OData.Core.V1.Description\" String=\"{text}\"/></Annotations>\n"
        )
    };
    let mut schema = String::new();
    for i in 0..TYPES {
        schema.push_str(&format!(
            "<ComplexType Name=\"t{i}\"><Property Name=\"p\" Type=\"Edm.String\"/></ComplexType>\n"
        ));
    }
    for j in 0..ACTIONS {
        schema.push_str(&format!(
            "<Action Name=\"act{j}\"><Parameter Name=\"x\" Type=\"Edm.String\"/></Action>\n"
        ));
    }
    schema.push_str("<EntityType Name=\"e\"><Key><PropertyRef Name=\"id\"/></Key><Property Name=\"id\" Type=\"Edm.String\" Nullable=\"false\"/></EntityType>\n");
    schema.push_str("<EntityContainer Name=\"C\"><EntitySet Name=\"es\" EntityType=\"Ns.e\"/></EntityContainer>\n");
    // Blocks of every kind of target, interleaved, so both halves of the lookup hold some.
    for i in 0..TYPES {
        schema.push_str(&describe(format!("Ns.t{i}/p"), format!("p{i}")));
        // Spelled with the schema's alias: resolved as the block's document spells names.
        schema.push_str(&describe(format!("n.t{i}"), format!("t{i}")));
        if i < ACTIONS {
            schema.push_str(&describe(format!("Ns.act{i}/x"), format!("x{i}")));
        }
        if i % (TYPES / MISSING) == 0 {
            schema.push_str(&describe(format!("Ns.missing{i}"), "lost".into()));
        }
    }
    schema.push_str(&describe("Ns.C/es".into(), "es".into()));
    let text = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">\n<edmx:DataServices>\n<Schema Namespace=\"Ns\" Alias=\"n\" xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">\n{schema}</Schema>\n</edmx:DataServices>\n</edmx:Edmx>\n"
    );
    assert!(text.matches("<Annotations ").count() > 1024);
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "many.xml", &text);
    let eager = resolve_all(&load(&path, &[]).unwrap()).unwrap();
    let lazy = load_deferred(&path, &[])
        .and_then(resolve_lazy)
        .and_then(|mut m| {
            let ids: Vec<TypeId> = (0..m.types.len()).map(TypeId).collect();
            m.fill(&ids).map(|()| m)
        })
        .unwrap();
    let expected_warnings: Vec<String> = (0..TYPES)
        .step_by(TYPES / MISSING)
        .map(|i| format!("Ns.missing{i}"))
        .collect();
    for (how, m) in [("eager", &eager), ("lazy", &lazy)] {
        for i in 0..TYPES {
            let t = m.ty(m.find_type(&format!("Ns.t{i}")).unwrap());
            assert_eq!(t.annotations.description, Some(format!("t{i}")), "{how}");
            let p = &t.structured().unwrap().properties[0];
            assert_eq!(p.annotations.description, Some(format!("p{i}")), "{how}");
        }
        assert_eq!(m.operations.len(), ACTIONS, "{how}");
        for (j, op) in m.operations.iter().enumerate() {
            assert_eq!(op.name, format!("act{j}"), "{how}");
            let x = &op.parameters[0].annotations.description;
            assert_eq!(x, &Some(format!("x{j}")), "{how}");
        }
        let es = &m.containers[0].entity_sets[0].annotations.description;
        assert_eq!(es.as_deref(), Some("es"), "{how}");
        let warned: Vec<String> = m
            .warnings
            .iter()
            .filter_map(|w| {
                let message = w.to_string();
                let start = message.find("`Ns.missing")? + 1;
                let end = start + message[start..].find('`')?;
                Some(message[start..end].to_string())
            })
            .collect();
        assert_eq!(warned, expected_warnings, "{how}: in document order");
    }
}

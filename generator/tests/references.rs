//! The real-world CSDL front end: references (local files, reference directories, built-in
//! vocabularies, unavailable documents, cycles, malformed files), OData versions,
//! inheritance as real services use it, and term definitions. The compiled counterpart is
//! the `real_world` fixture (`tests/tests/real_world.rs`).

use std::path::{Path, PathBuf};
use std::process::Command;

use csdl_codegen::{ErrorKind, Generator};

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
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="{namespace}" xmlns="http://docs.oasis-open.org/odata/ns/edm">
{body}
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#
    )
}

struct Dir {
    _tmp: tempfile::TempDir,
    root: PathBuf,
}

fn dir() -> Dir {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().to_path_buf();
    Dir { _tmp: tmp, root }
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The text of every generated model file, joined.
fn models_text(g: &Generator) -> String {
    let output = g.generate().unwrap_or_else(|e| panic!("{e}"));
    output
        .models
        .iter()
        .map(|f| f.contents.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

const USES_LIBRARY: &str = r#"      <ComplexType Name="order">
        <Property Name="total" Type="lib.amount"/>
      </ComplexType>"#;

fn reference(uri: &str) -> String {
    format!(
        r#"  <edmx:Reference Uri="{uri}">
    <edmx:Include Namespace="Shared.Lib" Alias="lib"/>
  </edmx:Reference>"#
    )
}

const LIBRARY_BODY: &str = r#"      <ComplexType Name="amount"><Property Name="value" Type="Edm.Decimal"/></ComplexType>
      <ComplexType Name="unused"><Property Name="x" Type="Edm.String"/></ComplexType>"#;

#[test]
fn a_relative_reference_is_read_and_only_what_is_used_is_generated() {
    let d = dir();
    let input = d.root.join("main.xml");
    write(&input, &edmx(&reference("libs/shared.xml"), USES_LIBRARY));
    write(
        &d.root.join("libs/shared.xml"),
        &library("Shared.Lib", LIBRARY_BODY),
    );
    let text = models_text(&Generator::new(&input).all(true));
    assert!(text.contains("pub struct Amount"), "{text}");
    assert!(!text.contains("pub struct Unused"));
}

/// With `--all`, an entity type of a referenced document that the main document uses only
/// as a property's type (a value inside a payload) is generated, navigations included.
#[test]
fn a_referenced_entity_type_used_as_a_value_is_generated_under_all() {
    let d = dir();
    let input = d.root.join("main.xml");
    let main = r#"      <ComplexType Name="receipt">
        <Property Name="customer" Type="lib.customer"/>
      </ComplexType>"#;
    write(&input, &edmx(&reference("libs/shared.xml"), main));
    let body = r#"      <EntityType Name="customer">
        <Key><PropertyRef Name="id"/></Key>
        <Property Name="id" Type="Edm.String" Nullable="false"/>
        <NavigationProperty Name="address" Type="Shared.Lib.address"/>
      </EntityType>
      <EntityType Name="address">
        <Key><PropertyRef Name="id"/></Key>
        <Property Name="id" Type="Edm.String" Nullable="false"/>
      </EntityType>"#;
    write(
        &d.root.join("libs/shared.xml"),
        &library("Shared.Lib", body),
    );
    let text = models_text(&Generator::new(&input).all(true));
    assert!(text.contains("pub struct Customer"), "{text}");
    assert!(text.contains("pub struct Address"), "{text}");
}

#[test]
fn a_reference_dir_supplies_a_document_named_by_an_http_uri() {
    let d = dir();
    let input = d.root.join("main.xml");
    write(
        &input,
        &edmx(
            &reference("https://example.test/vocabs/shared.xml"),
            USES_LIBRARY,
        ),
    );
    let vocabs = d.root.join("elsewhere");
    write(
        &vocabs.join("shared.xml"),
        &library("Shared.Lib", LIBRARY_BODY),
    );
    // Without the folder: unavailable, untyped, one warning that says how to supply it.
    let output = Generator::new(&input).all(true).generate().unwrap();
    let text: String = output.models.iter().map(|f| f.contents.clone()).collect();
    assert!(text.contains("pub total: Option<edm::Untyped>"), "{text}");
    assert_eq!(output.warnings.len(), 1, "{:?}", output.warnings);
    let warning = output.warnings[0].to_string();
    assert!(
        warning.contains("https://example.test/vocabs/shared.xml"),
        "{warning}"
    );
    assert!(warning.contains("Shared.Lib"), "{warning}");
    assert!(warning.contains("--reference-dir"), "{warning}");
    // With it, through the CLI flag.
    let out = d.root.join("out");
    let status = Command::new(env!("CARGO_BIN_EXE_csdl-codegen"))
        .args(["generate", "--all", "--input"])
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .arg("--reference-dir")
        .arg(&vocabs)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let lib = std::fs::read_to_string(out.join("src/shared_lib/complex_types.rs")).unwrap();
    assert!(lib.contains("pub struct Amount"));
}

#[test]
fn a_name_from_a_namespace_nobody_includes_is_still_an_error() {
    let d = dir();
    let input = d.root.join("main.xml");
    write(
        &input,
        &edmx(
            "",
            r#"      <ComplexType Name="order"><Property Name="total" Type="Nowhere.amount"/></ComplexType>"#,
        ),
    );
    let err = Generator::new(&input).all(true).generate().unwrap_err();
    assert_eq!(err.kind, ErrorKind::Unresolved, "{err}");
    assert!(err.to_string().contains("Nowhere.amount"), "{err}");
}

#[test]
fn cycles_and_repeated_references_end() {
    let d = dir();
    let input = d.root.join("main.xml");
    let refs = format!("{}\n{}", reference("shared.xml"), reference("./shared.xml"));
    write(&input, &edmx(&refs, USES_LIBRARY));
    // The library references the main document back.
    let back = library("Shared.Lib", LIBRARY_BODY).replace(
        "  <edmx:DataServices>",
        "  <edmx:Reference Uri=\"main.xml\"><edmx:Include Namespace=\"Main.Ns\"/></edmx:Reference>\n  <edmx:DataServices>",
    );
    write(&d.root.join("shared.xml"), &back);
    let output = Generator::new(&input).all(true).generate().unwrap();
    assert!(output.warnings.is_empty(), "{:?}", output.warnings);
}

#[test]
fn a_malformed_referenced_file_is_an_error_in_that_file() {
    let d = dir();
    let input = d.root.join("main.xml");
    write(&input, &edmx(&reference("shared.xml"), USES_LIBRARY));
    let shared = d.root.join("shared.xml");
    write(&shared, "<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">\n  <edmx:DataServices>\n    <Schema\n");
    let err = Generator::new(&input).all(true).generate().unwrap_err();
    assert_eq!(err.file.as_deref(), Some(shared.as_path()), "{err}");
    assert!(err.pos.is_some(), "{err}");
    // A dangling type inside the referenced document names that document too.
    write(
        &shared,
        &library(
            "Shared.Lib",
            r#"      <ComplexType Name="amount"><Property Name="v" Type="Shared.Lib.nothing"/></ComplexType>"#,
        ),
    );
    let err = Generator::new(&input).all(true).generate().unwrap_err();
    assert_eq!(err.file.as_deref(), Some(shared.as_path()), "{err}");
    assert_eq!(err.pos.map(|p| p.line), Some(5), "{err}");
}

#[test]
fn standard_vocabularies_are_built_in() {
    let d = dir();
    let input = d.root.join("main.xml");
    let refs = r#"  <edmx:Reference Uri="https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Core.V1.xml">
    <edmx:Include Namespace="Org.OData.Core.V1" Alias="Core"/>
  </edmx:Reference>
  <edmx:Reference Uri="https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Capabilities.V1.xml">
    <edmx:Include Namespace="Org.OData.Capabilities.V1" Alias="Capabilities"/>
  </edmx:Reference>
  <edmx:Reference Uri="https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Authorization.V1.xml">
    <edmx:Include Namespace="Org.OData.Authorization.V1" Alias="Authorization"/>
  </edmx:Reference>"#;
    let schema = r#"      <ComplexType Name="settings">
        <Property Name="bag" Type="Core.Dictionary"/>
        <Property Name="restriction" Type="Capabilities.NavigationPropertyRestriction"/>
        <Property Name="scheme" Type="Authorization.SchemeName"/>
      </ComplexType>"#;
    write(&input, &edmx(refs, schema));
    let output = Generator::new(&input).all(true).generate().unwrap();
    assert!(output.warnings.is_empty(), "{:?}", output.warnings);
    let paths: Vec<&str> = output.models.iter().map(|f| f.path.as_str()).collect();
    assert!(
        paths
            .iter()
            .any(|p| p.starts_with("src/org_o_data_core_v1/")),
        "{paths:?}"
    );
    assert!(paths
        .iter()
        .any(|p| p.starts_with("src/org_o_data_capabilities_v1/")));
    // Every built-in vocabulary resolves on its own, with its own references.
    for ns in csdl_codegen::csdl::vocabularies::namespaces() {
        let text = csdl_codegen::csdl::vocabularies::builtin(ns).unwrap();
        let path = d.root.join(format!("{ns}.check.xml"));
        write(&path, text);
        let selected = Generator::new(&path).all(true).select();
        assert!(selected.is_ok(), "{ns}: {:?}", selected.err());
    }
}

fn cli_error(text: &str) -> String {
    let d = dir();
    let input = d.root.join("old.xml");
    write(&input, text);
    let output = Command::new(env!("CARGO_BIN_EXE_csdl-codegen"))
        .args(["generate", "--all", "--input"])
        .arg(&input)
        .arg("--out")
        .arg(d.root.join("out"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(!d.root.join("out").exists());
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn odata_v2_and_v3_are_refused_clearly() {
    let v2 = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx">
  <edmx:DataServices m:DataServiceVersion="2.0" xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">
    <Schema Namespace="NorthwindModel" xmlns="http://schemas.microsoft.com/ado/2008/09/edm">
      <EntityType Name="Category"><Key><PropertyRef Name="CategoryID"/></Key>
        <Property Name="CategoryID" Type="Edm.Int32" Nullable="false"/>
        <NavigationProperty Name="Products" Relationship="NorthwindModel.FK" FromRole="a" ToRole="b"/>
      </EntityType>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;
    let stderr = cli_error(v2);
    assert!(stderr.contains("OData v2/v3 is not supported"), "{stderr}");
    assert!(stderr.contains("Version=\"1.0\""), "{stderr}");
    assert!(
        stderr.contains(":2:"),
        "points at the root element: {stderr}"
    );
    let v3 = v2
        .replace("2.0\" xmlns:m", "3.0\" xmlns:m")
        .replace("2008/09/edm", "2009/11/edm");
    assert!(cli_error(&v3).contains("OData v2/v3 is not supported"));
    // A v4 EDMX element with a schema in an old EDM namespace.
    let mixed = edmx("", "").replace(
        "http://docs.oasis-open.org/odata/ns/edm\"",
        "http://schemas.microsoft.com/ado/2009/11/edm\"",
    );
    let stderr = cli_error(&mixed);
    assert!(stderr.contains("2009/11/edm"), "{stderr}");
    // A future version.
    let stderr = cli_error(&edmx("", "").replace("Version=\"4.0\"", "Version=\"5.0\""));
    assert!(stderr.contains("Version=\"5.0\""), "{stderr}");
    assert!(stderr.contains("4.0 or 4.01"), "{stderr}");
}

#[test]
fn keys_and_properties_across_inheritance() {
    let d = dir();
    let input = d.root.join("main.xml");
    let base = r#"      <EntityType Name="activity"><Key><PropertyRef Name="id"/></Key>
        <Property Name="id" Type="Edm.String" Nullable="false"/>
        <Property Name="note" Type="Edm.String" MaxLength="100"/>
      </EntityType>"#;
    // An inherited key, repeated on the derived type: fine.
    write(
        &input,
        &edmx(
            "",
            &format!(
                "{base}\n      <EntityType Name=\"call\" BaseType=\"m.activity\"><Key><PropertyRef Name=\"id\"/></Key></EntityType>"
            ),
        ),
    );
    Generator::new(&input).all(true).generate().unwrap();
    // A key that is nowhere: an error that says where it looked.
    write(
        &input,
        &edmx(
            "",
            &format!(
                "{base}\n      <EntityType Name=\"call\" BaseType=\"m.activity\"><Key><PropertyRef Name=\"nope\"/></Key></EntityType>"
            ),
        ),
    );
    let err = Generator::new(&input).all(true).generate().unwrap_err();
    assert!(err.to_string().contains("or of its base types"), "{err}");
    // A redeclared property with other facets: a warning; the derived declaration is used.
    write(
        &input,
        &edmx(
            "",
            &format!(
                "{base}\n      <EntityType Name=\"call\" BaseType=\"m.activity\"><Property Name=\"note\" Type=\"Edm.String\" MaxLength=\"500\"/></EntityType>"
            ),
        ),
    );
    let output = Generator::new(&input).all(true).generate().unwrap();
    assert_eq!(output.warnings.len(), 1, "{:?}", output.warnings);
    assert!(output.warnings[0]
        .message
        .contains("redeclares the inherited property `note`"));
    let text: String = output.models.iter().map(|f| f.contents.clone()).collect();
    assert_eq!(text.matches("pub note:").count(), 2, "one field per type");
    // With another type: an error.
    write(
        &input,
        &edmx(
            "",
            &format!(
                "{base}\n      <EntityType Name=\"call\" BaseType=\"m.activity\"><Property Name=\"note\" Type=\"Edm.Int32\"/></EntityType>"
            ),
        ),
    );
    let err = Generator::new(&input).all(true).generate().unwrap_err();
    assert!(err.to_string().contains("with another type"), "{err}");
}

#[test]
fn terms_are_listed_by_inspect() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_csdl-codegen"))
        .args(["inspect", "--all"])
        .arg(root.join("tests/fixtures/vocabulary_only.csdl.xml"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(
        stdout.contains(
            "Tailspin.Vocabulary.displayLabel: Tailspin.Vocabulary.label (applies to Property EntityType)"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("Tailspin.Vocabulary.hidden: Org.OData.Core.V1.Tag"),
        "{stdout}"
    );
}

#[test]
fn references_cannot_reach_files_outside_the_input_and_reference_folders() {
    let d = dir();
    let secret = d.root.join("secret.xml");
    write(&secret, "SECRET_TOKEN=abc123 <not xml");
    let input = d.root.join("in/main.xml");
    for uri in [
        secret.display().to_string(),
        format!("file://{}", secret.display()),
        "../secret.xml".to_string(),
    ] {
        write(&input, &edmx(&reference(&uri), USES_LIBRARY));
        let output = Generator::new(&input)
            .all(true)
            .generate()
            .unwrap_or_else(|e| panic!("{uri}: {e}"));
        let text: String = output.warnings.iter().map(|w| format!("{w}\n")).collect();
        assert!(text.contains("is not available"), "{uri}: {text}");
        assert!(!text.contains("SECRET_TOKEN"), "{uri}: {text}");
    }
}

#[test]
fn a_namespace_missing_for_two_documents_is_untyped_for_both() {
    let d = dir();
    let input = d.root.join("main.xml");
    let refs = format!(
        "{}\n  <edmx:Reference Uri=\"b.xml\"><edmx:Include Namespace=\"Second.Lib\"/></edmx:Reference>",
        reference("a.xml")
    );
    write(
        &input,
        &edmx(
            &refs,
            r#"      <ComplexType Name="order">
        <Property Name="total" Type="lib.amount"/>
        <Property Name="other" Type="Second.Lib.thing"/>
      </ComplexType>"#,
        ),
    );
    // a.xml does not declare Shared.Lib; b.xml includes it from a.xml too.
    write(&d.root.join("a.xml"), &library("Other.Ns", ""));
    let b = library(
        "Second.Lib",
        r#"      <ComplexType Name="thing"><Property Name="t" Type="lib.amount"/></ComplexType>"#,
    )
    .replace(
        "  <edmx:DataServices>",
        "  <edmx:Reference Uri=\"a.xml\"><edmx:Include Namespace=\"Shared.Lib\" Alias=\"lib\"/></edmx:Reference>\n  <edmx:DataServices>",
    );
    write(&d.root.join("b.xml"), &b);
    let output = Generator::new(&input)
        .all(true)
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    let text: String = output.models.iter().map(|f| f.contents.clone()).collect();
    assert!(text.contains("pub t: Option<edm::Untyped>"), "{text}");
}

//! `Generator::build_script`: what Cargo is told. The script must rerun when any file the
//! run read changes (referenced documents, the override file and the schemas it adds, the
//! documentation overlay, not only the input) and when a missing reference could appear,
//! and every warning must reach the user as one `cargo:warning=` line.

use std::path::{Path, PathBuf};

use csdl_codegen::{BuildScript, Generator};

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn edmx(namespace: &str, references: &str, body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
{references}
  <edmx:DataServices>
    <Schema Namespace="{namespace}" xmlns="http://docs.oasis-open.org/odata/ns/edm">
{body}
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#
    )
}

fn reference(uri: &str, namespace: &str) -> String {
    format!(
        r#"  <edmx:Reference Uri="{uri}">
    <edmx:Include Namespace="{namespace}"/>
  </edmx:Reference>"#
    )
}

/// A document in `dir/spec/` that references a file beside it, one in a reference folder
/// and one found nowhere (whose `Uri` carries a line break and a Cargo directive).
fn service(dir: &Path) -> PathBuf {
    let references = [
        reference("libs/shared.xml", "Shared.Lib"),
        reference("https://example.test/other.xml", "Other.Ns"),
        reference("missing&#10;cargo:rustc-cfg=injected", "Gone.Ns"),
    ]
    .join("\n");
    let body = r#"      <ComplexType Name="order">
        <Property Name="total" Type="Shared.Lib.amount"/>
        <Property Name="tag" Type="Other.Ns.tag"/>
        <Property Name="gone" Type="Gone.Ns.thing"/>
      </ComplexType>"#;
    let input = dir.join("spec/main.xml");
    write(&input, &edmx("Main.Ns", &references, body));
    write(
        &dir.join("spec/libs/shared.xml"),
        &edmx(
            "Shared.Lib",
            "",
            r#"      <ComplexType Name="amount"><Property Name="value" Type="Edm.Decimal"/></ComplexType>"#,
        ),
    );
    write(
        &dir.join("refs/Other.Ns.xml"),
        &edmx(
            "Other.Ns",
            "",
            r#"      <ComplexType Name="tag"><Property Name="name" Type="Edm.String"/></ComplexType>"#,
        ),
    );
    write(
        &dir.join("fix/overrides.toml"),
        "[[add_schema]]\nfile = \"extra.xml\"\nreason = \"a type the service returns but does not declare\"\n",
    );
    write(
        &dir.join("fix/extra.xml"),
        &edmx(
            "Extra.Ns",
            "",
            r#"      <ComplexType Name="note"><Property Name="text" Type="Edm.String"/></ComplexType>"#,
        ),
    );
    write(
        &dir.join("docs.toml"),
        "[\"Main.Ns.order\"]\ndescription = \"An order.\"\n",
    );
    write(
        &dir.join("permissions.tsv"),
        "GET\t/orders\tDelegated\tOrders.Read\n",
    );
    input
}

fn run(dir: &Path, input: &Path, out_dir: &Path) -> BuildScript {
    std::fs::create_dir_all(out_dir).unwrap();
    Generator::new(input)
        .reference_dir(dir.join("refs"))
        .overrides(dir.join("fix/overrides.toml"))
        .docs(dir.join("docs.toml"))
        .permissions(dir.join("permissions.tsv"))
        .build_script_in(out_dir, "service.rs")
        .unwrap_or_else(|e| panic!("{e}"))
}

fn reruns(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter_map(|l| l.strip_prefix("cargo:rerun-if-changed="))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_file_read_and_every_folder_a_reference_could_appear_in_is_watched() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let input = service(dir);
    let out_dir = dir.join("target/out");
    let run = run(dir, &input, &out_dir);
    assert_eq!(run.path, out_dir.join("service.rs"));
    assert!(std::fs::read_to_string(&run.path)
        .unwrap()
        .contains("pub struct Order "));
    let shown = |p: &str| dir.join(p).display().to_string();
    assert_eq!(
        reruns(&run.cargo_lines()),
        vec![
            shown("spec/main.xml"),
            shown("spec/libs/shared.xml"),
            shown("refs/Other.Ns.xml"),
            shown("fix/overrides.toml"),
            shown("fix/extra.xml"),
            shown("docs.toml"),
            shown("permissions.tsv"),
            // The reference folder, and the folder of the document whose reference was
            // found nowhere.
            shown("refs"),
            shown("spec"),
        ]
    );
}

#[test]
fn warnings_are_forwarded_one_line_each() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let input = service(dir);
    let lines = run(dir, &input, &dir.join("target/out")).cargo_lines();
    assert!(lines.iter().all(|l| l.starts_with("cargo:")), "{lines:#?}");
    assert!(
        lines.iter().all(|l| !l.contains(['\n', '\r'])),
        "{lines:#?}"
    );
    let warnings: Vec<&String> = lines
        .iter()
        .filter(|l| l.starts_with("cargo:warning="))
        .collect();
    // The missing reference is a warning; its `Uri`'s line break did not start a directive.
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("is not available") && w.contains("cargo:rustc-cfg=injected")),
        "{warnings:#?}"
    );
    assert!(!lines.iter().any(|l| l.starts_with("cargo:rustc-cfg")));
}

#[test]
fn a_folder_that_holds_the_output_is_not_watched() {
    // The input sits in the package root, beside `target/`: watching that folder would
    // rerun the script after every build.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let input = dir.join("main.xml");
    write(
        &input,
        &edmx(
            "Main.Ns",
            &reference("missing.xml", "Gone.Ns"),
            r#"      <ComplexType Name="order"><Property Name="gone" Type="Gone.Ns.thing"/></ComplexType>"#,
        ),
    );
    let build = |out_dir: &Path| {
        std::fs::create_dir_all(out_dir).unwrap();
        let run = Generator::new(&input)
            .build_script_in(out_dir, "service.rs")
            .unwrap_or_else(|e| panic!("{e}"));
        reruns(&run.cargo_lines())
    };
    let input_shown = input.display().to_string();
    assert_eq!(
        build(&dir.join("target/debug/build/x/out")),
        vec![input_shown.clone()]
    );
    // Elsewhere, the folder is watched: a `missing.xml` put there later is read.
    let elsewhere = tempfile::tempdir().unwrap();
    assert_eq!(
        build(elsewhere.path()),
        vec![input_shown, dir.display().to_string()]
    );
}

#[test]
fn outside_a_build_script_it_says_what_is_missing() {
    // Cargo sets OUT_DIR only for build scripts; the test harness does not.
    assert!(std::env::var_os("OUT_DIR").is_none());
    let err = Generator::new("unused.xml")
        .build_script("x.rs")
        .unwrap_err();
    assert!(err.message.contains("OUT_DIR is not set"), "{err}");
}

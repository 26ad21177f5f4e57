//! The pinned subsets under `specs/` are faithful: generating the synchronization selection
//! from the full Graph metadata gives the same crates as generating it from the subset.
//!
//! The full files live outside the repository, in `../shared/specs/` (relative to the
//! workspace root); CI has them and fails without them. Elsewhere, without them, these tests
//! say so on stderr and pass.

use std::path::Path;

use csdl_codegen::{ClientInfo, Generator, OutputFile};

mod support;
use support::{sync_roots, workspace_root};

/// Models and client files generated from `input` with the synchronization roots and the
/// built-in Graph fixes. Both runs of a comparison use the same labels, so only the selection and
/// the metadata can make them differ.
fn generate(input: &Path) -> (Vec<OutputFile>, Vec<OutputFile>, Vec<csdl_codegen::Warning>) {
    let output = Generator::new(input)
        .roots(sync_roots())
        .crate_name("graph-synchronization-models")
        .source_label("graph.csdl.xml")
        .command("cargo xtask codegen")
        .client(
            ClientInfo::new("https://graph.microsoft.com/v1.0")
                .crate_name("graph-synchronization-client")
                .models(csdl_codegen::Dependency::path("../models"))
                .runtime(csdl_codegen::Dependency::path("../runtime")),
        )
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    (output.models, output.client, output.warnings)
}

/// The file without the lines that name the input; with `strict: false`, also without the
/// descriptions of deprecation notes (`deprecated on D, ..., revision V: description`).
fn comparable(text: &str, strict: bool) -> String {
    let text = text
        .lines()
        .filter(|l| {
            !(l.starts_with("// Source:")
                || l.starts_with("# Source:")
                || l.starts_with("description = "))
        })
        // Without `strict`, doc comments are not compared: the full file's descriptions are
        // prose, which the pinned subsets leave out on purpose.
        .filter(|l| strict || !l.trim_start().starts_with("///"))
        .map(|l| {
            if strict {
                l.to_string()
            } else {
                without_revision_description(l)
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    if strict {
        return text;
    }
    // Deprecation notes carry the revision's prose too; prettyplease may spread a long
    // note over several lines, so notes are compared without their text.
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(start) = rest.find("#[deprecated(") {
        out.push_str(&rest[..start]);
        out.push_str("#[deprecated]");
        rest = &rest[start..];
        rest = rest.find(")]").map_or("", |end| &rest[end + 2..]);
    }
    out.push_str(rest);
    out
}

fn without_revision_description(line: &str) -> String {
    let Some(start) = line.find("deprecated") else {
        return line.to_string();
    };
    match line[start..].find(": ") {
        Some(i) => {
            let mut cut = line[..start + i].to_string();
            if line.ends_with('"') {
                cut.push('"');
            }
            cut
        }
        None => line.to_string(),
    }
}

fn assert_same(what: &str, full: &[OutputFile], pinned: &[OutputFile], strict: bool) {
    let paths = |files: &[OutputFile]| files.iter().map(|f| f.path.clone()).collect::<Vec<_>>();
    assert_eq!(paths(full), paths(pinned), "{what}: file lists differ");
    for (f, p) in full.iter().zip(pinned) {
        let (f_text, p_text) = (
            comparable(&f.contents, strict),
            comparable(&p.contents, strict),
        );
        if f_text != p_text {
            let first = f_text
                .lines()
                .zip(p_text.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(f_text.lines().count().min(p_text.lines().count()));
            panic!(
                "{what}: {} differs from line {} on:\n  full:   {:?}\n  pinned: {:?}",
                f.path,
                first + 1,
                f_text.lines().nth(first),
                p_text.lines().nth(first)
            );
        }
    }
}

fn compare(full_name: &str, pinned: &str, strict: bool) {
    let full = workspace_root().join("../shared/specs").join(full_name);
    if !full.exists() {
        // CI has the files: there, a missing one is a failure, never a silent pass.
        assert!(
            std::env::var_os("CI").is_none_or(|v| v.is_empty()),
            "{} is absent in CI",
            full.display()
        );
        eprintln!(
            "SKIPPED: {} is absent; the pinned {pinned} was not checked against the full metadata",
            full.display()
        );
        return;
    }
    let (full_models, full_client, _) = generate(&full);
    let (pinned_models, pinned_client, pinned_warnings) = generate(&workspace_root().join(pinned));
    assert!(pinned_warnings.is_empty(), "{pinned_warnings:#?}");
    let what = |crate_: &str| format!("{full_name} {crate_}");
    assert_same(&what("models"), &full_models, &pinned_models, strict);
    assert_same(&what("client"), &full_client, &pinned_client, strict);
}

#[test]
fn pinned_v1_is_faithful() {
    compare(
        "graph-v1.0.csdl.xml",
        "specs/graph-v1.0.sync.csdl.xml",
        true,
    );
}

/// Everything but prose (descriptions, `Core.Revisions` descriptions), which the pinned
/// subsets leave out on purpose; the code itself must be identical.
#[test]
fn pinned_beta_is_faithful() {
    compare(
        "graph-beta-usnat.raw.csdl.xml",
        "specs/graph-beta.sync.csdl.xml",
        false,
    );
}

//! `--all` over the whole Microsoft Graph metadata: for each of the four metadata files in
//! `../shared/specs`, the generated models crate and client crate must pass
//! `cargo clippy -D warnings` (which includes `cargo check`).
//!
//! This takes minutes, so the test is ignored in a plain `cargo test`; CI runs it with
//! `--ignored` (see `.ci/run`), and so can anyone:
//! `cargo test -p csdl-codegen --test whole_graph_compiles -- --ignored`. When it runs, a
//! missing metadata file is a failure, never a silent pass.

use std::path::Path;
use std::process::Command;

use csdl_codegen::{ClientInfo, Generator, WriteMode};

mod support;
use support::workspace_root;

const FILES: &[&str] = &[
    "graph-v1.0.csdl.xml",
    "graph-v1.0.raw.csdl.xml",
    "graph-beta-2021-06.csdl.xml",
    "graph-beta-usnat.raw.csdl.xml",
];

#[test]
#[ignore = "compiles the whole Graph metadata (minutes); CI runs it with --ignored"]
fn all_of_graph_compiles_without_warnings() {
    let root = workspace_root();
    let shared = root.join("../shared/specs");
    let missing: Vec<&str> = FILES
        .iter()
        .copied()
        .filter(|f| !shared.join(f).is_file())
        .collect();
    assert!(
        missing.is_empty(),
        "the whole-Graph check needs {missing:?} in {} (CI has them)",
        shared.display()
    );
    let work = root.join("target/whole-graph");
    for file in FILES {
        check_file(&root, &shared.join(file), &work);
    }
}

/// Generates models and client for `input` with `--all` into a workspace of their own and
/// runs clippy over both.
fn check_file(root: &Path, input: &Path, work: &Path) {
    let file = input.file_name().unwrap().to_string_lossy().into_owned();
    let name = format!(
        "whole-{}",
        file.trim_end_matches(".csdl.xml").replace('.', "-")
    );
    let dir = work.join(&name);
    let runtime = root.join("runtime").display().to_string();
    let started = std::time::Instant::now();
    let output = Generator::new(input)
        .all(true)
        .crate_name(&name)
        .runtime(csdl_codegen::Dependency::path(runtime.clone()))
        .client(
            ClientInfo::new("https://graph.microsoft.com/v1.0")
                .crate_name(format!("{name}-client"))
                .models(csdl_codegen::Dependency::path("../models")),
        )
        .generate()
        .unwrap_or_else(|e| panic!("{file}: {e}"));
    let generated = started.elapsed();
    // The scratch directory is this test's own: earlier runs may have left anything there.
    output
        .write(
            dir.join("models"),
            Some(&dir.join("client")),
            WriteMode::Force,
        )
        .expect("write");
    // A workspace of its own, so the main workspace does not adopt the crates.
    std::fs::write(
        dir.join("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = [\"models\", \"client\"]\n",
    )
    .expect("workspace manifest");
    let started = std::time::Instant::now();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(&cargo)
        .args([
            "clippy",
            "--quiet",
            "--workspace",
            "--message-format",
            "short",
            "--",
            "-D",
            "warnings",
        ])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", work.join("target"))
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{file}: the --all models and client crates are not clippy-clean:\n{}",
        stderr.lines().take(40).collect::<Vec<_>>().join("\n")
    );
    let size = |f: &[csdl_codegen::OutputFile]| f.iter().map(|f| f.contents.len()).sum::<usize>();
    eprintln!(
        "{file}: {} types, {} operations; generated in {generated:.1?} (models {} KiB, client {} KiB); clippy in {:.0?}",
        output.counts.0,
        output.counts.1,
        size(&output.models) / 1024,
        size(&output.client) / 1024,
        started.elapsed()
    );
}

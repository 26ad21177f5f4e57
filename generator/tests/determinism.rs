//! The same input gives byte-identical output: twice in one process, in two processes with
//! different environments (and so different hash seeds), and on disk.

use std::path::{Path, PathBuf};
use std::process::Command;

use csdl_codegen::Generator;

mod support;
use support::{as_tree, entries, tree, without_command, workspace_root};

fn input() -> PathBuf {
    workspace_root().join("specs/graph-v1.0.sync.csdl.xml")
}

/// The generator as the CLI configures it for `generate --input I --crate-name
/// graph-synchronization-models` (the Graph fixes are built in and apply by default).
fn generator() -> Generator {
    Generator::new(input()).crate_name("graph-synchronization-models")
}

#[test]
fn twice_in_one_process() {
    let a = generator().generate().unwrap();
    let b = generator().generate().unwrap();
    assert_eq!(a.models, b.models);
    assert_eq!(a.warnings, b.warnings);
    assert_eq!(a.overrides, b.overrides);
    assert_eq!(a.counts, b.counts);
    // The paths come out in a stable, sorted-by-construction order too.
    let paths: Vec<_> = a.models.iter().map(|f| f.path.as_str()).collect();
    let mut unique = paths.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), paths.len(), "duplicate paths: {paths:?}");
}

fn run_cli(out: &Path, cwd: &Path, env: &[(&str, &str)], clear: bool) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_csdl-codegen"));
    if clear {
        cmd.env_clear();
    }
    cmd.current_dir(cwd)
        .envs(env.iter().copied())
        .arg("generate")
        .arg("--input")
        .arg(input())
        .arg("--out")
        .arg(out)
        .arg("--crate-name")
        .arg("graph-synchronization-models");
    let output = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    stderr
}

#[test]
fn two_processes_with_different_environments() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let log_a = run_cli(
        &a,
        &workspace_root(),
        &[("RUST_MIN_STACK", "16777216"), ("LC_ALL", "C")],
        false,
    );
    let log_b = run_cli(
        &b,
        dir.path(),
        &[
            ("RUST_MIN_STACK", "65536"),
            ("LANG", "tr_TR.UTF-8"),
            ("TZ", "Pacific/Kiritimati"),
            ("RUST_BACKTRACE", "1"),
        ],
        true,
    );
    let (tree_a, tree_b) = (tree(&a), tree(&b));
    assert!(!tree_a.is_empty());
    assert_eq!(
        tree_a.keys().collect::<Vec<_>>(),
        tree_b.keys().collect::<Vec<_>>()
    );
    // Byte-identical but for the recorded command line, which names the output directory
    // and the input as each process was given them.
    let (plain_a, plain_b) = (without_command(&tree_a), without_command(&tree_b));
    for (path, bytes) in &plain_a {
        assert!(bytes == &plain_b[path], "{path} differs between processes");
    }
    // Same report, apart from the output directory.
    assert_eq!(
        log_a.replace(&a.display().to_string(), "OUT"),
        log_b.replace(&b.display().to_string(), "OUT")
    );
    // And the library, configured as the CLI is, agrees with both.
    let output = generator().generate().unwrap();
    let library = as_tree(&output.models);
    assert_eq!(
        library.keys().collect::<Vec<_>>(),
        tree_a.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &without_command(&library) {
        assert!(bytes == &plain_a[path], "library and CLI differ in {path}");
    }
}

#[test]
fn writing_twice_gives_identical_trees() {
    let output = generator().generate().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("nested/b"));
    output.write_models(&a).unwrap();
    let first = tree(&a);
    assert!(first == as_tree(&output.models));
    // Over the previous tree, and into a fresh directory.
    output.write_models(&a).unwrap();
    output.write_models(&b).unwrap();
    assert!(tree(&a) == first, "rewriting changed the tree");
    assert!(tree(&b) == first);
    // No staging or backup directories left behind.
    assert_eq!(entries(dir.path()), ["a", "nested"]);
    assert_eq!(entries(&dir.path().join("nested")), ["b"]);
}

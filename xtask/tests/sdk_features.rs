//! The whole-Graph SDKs (`generated/graph-sdk*`) compile clippy-clean (`-D warnings`) with
//! no feature, five single areas, one pair and `full`, for v1.0 and beta: the invariant of
//! `plan::features` on the real metadata (the fixture test `generator/tests/area_features.rs`
//! covers every area of a small service).
//!
//! `full` takes minutes, so the test is ignored in a plain `cargo test`:
//! `cargo test -p xtask --test sdk_features -- --ignored` (BENCHMARKS.md has the times).

use std::process::Command;

use xtask::workspace_root;

/// Five single areas of different shapes (a large entity set with deep containment, a
/// singleton, directory objects, files, audit logs), one pair, and everything.
const SETS: &[&[&str]] = &[
    &[],
    &["users"],
    &["me"],
    &["groups"],
    &["drives"],
    &["audit_logs"],
    &["users", "groups"],
    &["full"],
];

fn clippy(package: &str, features: &[&str]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(workspace_root())
        .args([
            "clippy",
            "--quiet",
            "--message-format",
            "short",
            "-p",
            package,
        ])
        .args(["-p", &format!("{package}-models")]);
    if !features.is_empty() {
        cmd.args(["--features", &features.join(",")]);
    }
    let out = cmd
        .args(["--", "-D", "warnings"])
        .output()
        .expect("cargo runs");
    if out.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    Err(format!(
        "{package} with {features:?}:\n{}",
        stderr.lines().take(30).collect::<Vec<_>>().join("\n")
    ))
}

#[test]
#[ignore = "compiles the whole Graph SDKs with several feature sets (minutes)"]
fn graph_sdks_compile_with_single_areas_a_pair_and_full() {
    let mut failures = Vec::new();
    for package in ["graph-sdk", "graph-sdk-beta"] {
        for set in SETS {
            let started = std::time::Instant::now();
            if let Err(e) = clippy(package, set) {
                failures.push(e);
            }
            eprintln!("{package} {set:?}: {:.1?}", started.elapsed());
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

//! `--all` over the whole Microsoft Graph metadata: the generated models crate of each of
//! the four metadata files in `../shared/specs` must compile (`cargo check`) without a
//! warning.
//!
//! This takes minutes, so it runs when `CI` is set (CI has `../shared`) or when
//! `CSDL_WHOLE_GRAPH=1`; otherwise, and when the files are absent, it says so and passes.

use std::path::{Path, PathBuf};
use std::process::Command;

use csdl_codegen::Generator;

const FILES: &[&str] = &[
    "graph-v1.0.csdl.xml",
    "graph-v1.0.raw.csdl.xml",
    "graph-beta-2021-06.csdl.xml",
    "graph-beta-usnat.raw.csdl.xml",
];

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

#[test]
fn all_of_graph_compiles_without_warnings() {
    let root = workspace_root();
    let shared = root.join("../shared/specs");
    let wanted = std::env::var_os("CI").is_some_and(|v| !v.is_empty())
        || std::env::var("CSDL_WHOLE_GRAPH").is_ok_and(|v| v == "1");
    if !wanted {
        eprintln!("skipped: set CSDL_WHOLE_GRAPH=1 (CI does) to compile the whole Graph metadata");
        return;
    }
    let present: Vec<&str> = FILES
        .iter()
        .copied()
        .filter(|f| shared.join(f).is_file())
        .collect();
    if present.is_empty() {
        eprintln!(
            "skipped: none of {FILES:?} is in {} (CI has them)",
            shared.display()
        );
        return;
    }
    let work = root.join("target/whole-graph");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    for file in present {
        let name = format!(
            "whole-{}",
            file.trim_end_matches(".csdl.xml").replace('.', "-")
        );
        let dir = work.join(&name);
        let runtime = root.join("runtime");
        let output = Generator::new(shared.join(file))
            .all(true)
            .crate_name(&name)
            .runtime_dependency(format!(
                "graph-odata-runtime = {{ path = {:?}, default-features = false }}",
                runtime.display().to_string()
            ))
            .generate()
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        output.write_models(&dir).expect("write");
        // A workspace of its own, so the main workspace does not adopt it.
        let manifest = dir.join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest).expect("manifest") + "\n[workspace]\n";
        std::fs::write(&manifest, text).expect("manifest");
        let started = std::time::Instant::now();
        let out = Command::new(&cargo)
            .args(["check", "--quiet", "--message-format", "short"])
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", work.join("target"))
            .env("RUSTFLAGS", "-D warnings")
            .output()
            .expect("cargo runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success(),
            "{file}: the --all models crate does not compile cleanly:\n{}",
            stderr.lines().take(40).collect::<Vec<_>>().join("\n")
        );
        eprintln!(
            "{file}: {} types, {} operations, cargo check in {:.0?}",
            output.counts.0,
            output.counts.1,
            started.elapsed()
        );
    }
}

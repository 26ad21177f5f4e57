//! The library is what a build script compiles: it must not pull in the command line's
//! argument parser or its allocator (C code built by `cc`). `cargo tree` (offline, from the
//! lock file) lists what `csdl-codegen` compiles with the features a `[build-dependencies]`
//! entry gets.

use std::collections::BTreeSet;
use std::process::Command;

/// The packages `cargo tree` lists for the library (normal and build dependencies, so C
/// code compiled by a dependency's build script shows up as `cc`).
fn packages(features: &[&str]) -> BTreeSet<String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "tree",
            "--offline",
            "-p",
            "csdl-codegen",
            "-e",
            "normal,build",
        ])
        .args(["--prefix", "none", "--format", "{p}"])
        .args(features)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("UTF-8")
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

const CLI_ONLY: [&str; 5] = ["clap", "clap_builder", "mimalloc", "libmimalloc-sys", "cc"];

#[test]
fn the_library_compiles_neither_clap_nor_c_code() {
    for features in [&[][..], &["--no-default-features"][..]] {
        let tree = packages(features);
        // The tree is real: the library's own parser is in it.
        assert!(tree.contains("roxmltree"), "{features:?}: {tree:?}");
        let cli: Vec<&str> = CLI_ONLY.into_iter().filter(|p| tree.contains(*p)).collect();
        assert!(
            cli.is_empty(),
            "{features:?}: the library depends on {cli:?}; make them optional behind the feature `cli`"
        );
    }
}

#[test]
fn the_cli_feature_brings_its_dependencies() {
    let tree = packages(&["--features", "cli"]);
    for package in ["clap", "mimalloc", "libmimalloc-sys"] {
        assert!(tree.contains(package), "{package} missing: {tree:?}");
    }
}

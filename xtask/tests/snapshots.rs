//! insta snapshots of every generated file of every job of `cargo xtask codegen` (the
//! synchronization crates, the second Graph area, the feature fixtures), generated in memory
//! with the very settings xtask uses. The generated text must also equal the checked-in
//! crates, so snapshots and checked-in code never disagree.
//!
//! After an intended change: `INSTA_UPDATE=always cargo test -p xtask --test snapshots`
//! (or `cargo insta test --accept`), then `cargo xtask codegen`.

use csdl_codegen::{write, OutputFile};
use xtask::{generate, jobs, workspace_root};

/// One snapshot per file, named `<crate directory>__<path with / as __>`.
fn snapshot_all(crate_dir: &str, files: &[OutputFile]) {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        for file in files {
            assert!(
                !file.path.contains('\\'),
                "generated paths use `/`: {}",
                file.path
            );
            let name = format!("{crate_dir}__{}", file.path.replace('/', "__"));
            insta::assert_snapshot!(name, file.contents);
        }
    });
}

#[test]
fn every_generated_file() {
    let root = workspace_root();
    let mut crates = 0;
    for job in jobs(&root) {
        let trees =
            generate(&root, &job).unwrap_or_else(|e| panic!("{}: {e}", job.input.display()));
        for (dir, files) in trees {
            let name = dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            snapshot_all(&name, &files);
            let problems = write::diff_tree(&root.join(&dir), &files);
            assert!(
                problems.is_empty(),
                "{} disagrees with the generator (run `cargo xtask codegen`):\n  {}",
                dir.display(),
                problems.join("\n  ")
            );
            crates += 1;
        }
    }
    // 4 synchronization crates, 2 for the second Graph area, the fixtures and their clients.
    assert!(crates >= 16, "only {crates} crates generated");
}

//! The expected output of `cargo xtask codegen` lives in one place: the checked-in crates
//! (`generated/`, `tests/generated/`). This test generates every job in memory with the very
//! settings xtask uses and fails when a file differs from the checked-in one, so a change of
//! the generator shows up once, as a diff of those crates.
//!
//! What insta keeps is a different view: one snapshot per crate of its public API (types,
//! fields, variants and methods by signature), so a review sees at a glance whether a
//! change breaks users. After an intended change: `cargo xtask codegen`, then
//! `INSTA_UPDATE=always cargo test -p xtask --test snapshots` when the API changed.

use csdl_codegen::write;
use xtask::api_diff::surface_of_files;
use xtask::{generate, jobs, workspace_root};

#[test]
fn every_generated_crate_matches_the_checked_in_one_and_its_api_snapshot() {
    let root = workspace_root();
    let mut crates = 0;
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    for job in jobs(&root) {
        let trees =
            generate(&root, &job).unwrap_or_else(|e| panic!("{}: {e}", job.input.display()));
        for (dir, files) in trees {
            for file in &files {
                assert!(
                    !file.path.contains('\\'),
                    "generated paths use `/`: {}",
                    file.path
                );
            }
            let problems = write::diff_tree(&root.join(&dir), &files);
            assert!(
                problems.is_empty(),
                "{} disagrees with the generator (run `cargo xtask codegen` and review the diff):\n  {}",
                dir.display(),
                problems.join("\n  ")
            );
            crates += 1;
            // The whole-Graph SDKs' API is all of Graph's metadata: its snapshot would be
            // megabytes that no review reads; their files are compared above.
            if job.area_features {
                continue;
            }
            let name = dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let api: Vec<String> =
                surface_of_files(files.iter().map(|f| (f.path.as_str(), f.contents.as_str())))
                    .into_iter()
                    .collect();
            assert!(!api.is_empty(), "{name}: no public API found");
            settings.bind(|| insta::assert_snapshot!(format!("{name}__api"), api.join("\n")));
        }
    }
    // 4 synchronization crates, 2 for the second Graph area, the fixtures and their clients.
    assert!(crates >= 16, "only {crates} crates generated");
}

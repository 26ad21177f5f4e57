//! Defaults a new user meets: crate names (validated, the client's derived from the models
//! crate), no license stamped on the user's crates, no local path in generated files,
//! suggestions for mistyped roots, and root paths that skip a key.

use std::path::Path;
use std::process::Command;

mod support;
use support::workspace_root;

fn run(cwd: &Path, args: &[&str]) -> (Option<i32>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_csdl-codegen"))
        .current_dir(cwd)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn input() -> String {
    workspace_root()
        .join("specs/graph-v1.0.sync.csdl.xml")
        .display()
        .to_string()
}

#[test]
fn invalid_crate_names_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["my.models", "9lives", "", "a b"] {
        let (code, stderr) = run(
            dir.path(),
            &[
                "generate",
                "--input",
                &input(),
                "--out",
                "m",
                "--crate-name",
                name,
            ],
        );
        assert_eq!(code, Some(1), "{name}: {stderr}");
        assert!(stderr.contains("is not a valid crate name"), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    let (code, stderr) = run(
        dir.path(),
        &[
            "generate",
            "--input",
            &input(),
            "--out",
            "m",
            "--client-out",
            "c",
            "--client-crate-name",
            "my.client",
        ],
    );
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("my.client"), "{stderr}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn the_client_is_named_after_the_models_crate_and_no_license_is_stamped() {
    let dir = tempfile::tempdir().unwrap();
    // An output folder whose name is not a crate name.
    let (code, stderr) = run(
        dir.path(),
        &[
            "generate",
            "--input",
            &input(),
            "--out",
            "trippin-v9.1",
            "--client-out",
            "c_identityProtection",
            "--crate-name",
            "trippin",
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    let manifest =
        std::fs::read_to_string(dir.path().join("c_identityProtection/Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"trippin-client\""), "{manifest}");
    assert!(!manifest.contains("license"), "{manifest}");
    // No local path anywhere in what was written.
    let local = dir.path().display().to_string();
    let workspace = workspace_root().display().to_string();
    for crate_dir in ["trippin-v9.1", "c_identityProtection"] {
        for (path, bytes) in support::tree(&dir.path().join(crate_dir)) {
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains(&local), "{crate_dir}/{path} names {local}");
            // Dependencies on the runtime are by version here (no --runtime-path).
            assert!(
                !text.contains(&workspace),
                "{crate_dir}/{path} names {workspace}"
            );
        }
    }
    // With --license, it is.
    let (code, stderr) = run(
        dir.path(),
        &[
            "generate",
            "--input",
            &input(),
            "--out",
            "trippin-v9.1",
            "--license",
            "Apache-2.0",
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    let manifest = std::fs::read_to_string(dir.path().join("trippin-v9.1/Cargo.toml")).unwrap();
    assert!(manifest.contains("license = \"Apache-2.0\""), "{manifest}");
}

#[test]
fn mistyped_roots_get_suggestions_and_keys_are_not_skipped() {
    let dir = tempfile::tempdir().unwrap();
    for (root, needle) in [
        ("servicePrincipls", "did you mean `servicePrincipals`?"),
        (
            "microsoft.graph.synchronizationJb",
            "did you mean `microsoft.graph.synchronizationJob`?",
        ),
        (
            "servicePrincipals/{id}/synchronisation",
            "did you mean `synchronization`?",
        ),
        (
            "servicePrincipals/synchronization",
            "name one item with a key before `synchronization`",
        ),
    ] {
        let (code, stderr) = run(dir.path(), &["inspect", &input(), "--root", root]);
        assert_eq!(code, Some(1), "{root}: {stderr}");
        assert!(stderr.contains(needle), "{root}: {stderr}");
    }
}

#[test]
fn metadata_that_is_not_graph_gets_everything_without_roots() {
    let dir = tempfile::tempdir().unwrap();
    let service = workspace_root().join("tests/fixtures/service.csdl.xml");
    let (code, stderr) = run(
        dir.path(),
        &[
            "generate",
            "--input",
            &service.display().to_string(),
            "--out",
            "m",
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    // The same selection as --all: no Graph synchronization roots asked of a CRM-like service.
    let (code, all) = run(
        dir.path(),
        &[
            "generate",
            "--all",
            "--input",
            &service.display().to_string(),
            "--out",
            "m",
        ],
    );
    assert_eq!(code, Some(0), "{all}");
    let summary = |text: &str| {
        text.lines()
            .find(|l| l.starts_with("generated "))
            .map(str::to_string)
    };
    assert_eq!(summary(&stderr), summary(&all), "{stderr}");
    assert!(
        summary(&stderr).is_some_and(|l| !l.starts_with("generated 0 types")),
        "{stderr}"
    );
}

#[test]
fn crates_of_metadata_that_is_not_graph_are_named_after_its_namespace() {
    let dir = tempfile::tempdir().unwrap();
    let service = workspace_root().join("tests/fixtures/service.csdl.xml");
    let (code, stderr) = run(
        dir.path(),
        &[
            "generate",
            "--input",
            &service.display().to_string(),
            "--out",
            "m",
            "--client-out",
            "c",
            "--base-url",
            "https://crm.example/odata",
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    let manifest = |dir_name: &str| {
        std::fs::read_to_string(dir.path().join(dir_name).join("Cargo.toml")).unwrap()
    };
    let models = manifest("m");
    assert!(
        models.contains("name = \"northwind-trading-models\""),
        "{models}"
    );
    let client = manifest("c");
    assert!(
        client.contains("name = \"northwind-trading-models-client\""),
        "{client}"
    );
    // Graph metadata keeps Graph's name.
    let (code, stderr) = run(dir.path(), &["generate", "--input", &input(), "--out", "g"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(manifest("g").contains("name = \"graph-models\""));
}

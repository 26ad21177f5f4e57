//! Snapshots of every generated file: the synchronization models and client crates and every
//! fixture crate,
//! generated in memory with the settings of `cargo xtask codegen`. The generated text must
//! also equal the checked-in crates, so snapshots and checked-in code never disagree.
//!
//! After an intended change: `INSTA_UPDATE=always cargo test -p csdl-codegen --test snapshots`
//! (or `cargo insta test --accept`), then `cargo xtask codegen`.

use std::path::{Path, PathBuf};

use csdl_codegen::{write, ClientInfo, Generator, OutputFile, Root};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// One xtask job: `input` and `out` are relative to the workspace root; `roots: None`
/// selects everything.
struct Job<'a> {
    input: &'a str,
    crate_name: &'a str,
    out: &'a str,
    roots: Option<Vec<Root>>,
    overrides: Option<&'a str>,
    /// `(crate name, output directory, base URL)` of the client crate.
    client: Option<(&'a str, &'a str, &'a str)>,
    /// Fixtures may exercise warnings (annotation targets that point nowhere).
    warnings_allowed: bool,
}

/// Generates a job exactly as xtask's `generate()` does: `(output directory, crate name,
/// files)` for the models crate and, when there is one, the client crate.
fn generate_like_xtask(job: Job) -> Vec<(String, String, Vec<OutputFile>)> {
    let root = workspace_root();
    let depth = Path::new(job.out).components().count();
    let runtime = format!("{}runtime", "../".repeat(depth));
    let mut g = Generator::new(root.join(job.input))
        .crate_name(job.crate_name)
        .source_label(job.input)
        .command("cargo xtask codegen")
        .runtime_dependency(format!(
            "graph-odata-runtime = {{ path = \"{runtime}\", version = \"0.1.0\", default-features = false }}"
        ));
    g = match job.roots {
        Some(roots) => g.roots(roots),
        None => g.all(true),
    };
    if let Some(o) = job.overrides {
        g = g.overrides(root.join(o));
    }
    if let Some((name, out, base_url)) = job.client {
        let depth = Path::new(out).components().count();
        g = g.client(ClientInfo {
            crate_name: name.to_string(),
            models_crate: job.crate_name.to_string(),
            models_dependency: format!(
                "{} = {{ path = \"{}{}\", version = \"0.1.0\" }}",
                job.crate_name,
                "../".repeat(depth),
                job.out
            ),
            runtime_dependency: format!(
                "graph-odata-runtime = {{ path = \"{}runtime\", version = \"0.1.0\" }}",
                "../".repeat(depth)
            ),
            base_url: base_url.to_string(),
            // As in xtask: the hand-written examples go into the v1.0 client.
            examples: if name == "graph-synchronization-client" {
                vec![(
                    "provisioning.rs".to_string(),
                    std::fs::read_to_string(root.join("specs/examples/provisioning.rs"))
                        .expect("specs/examples/provisioning.rs"),
                )]
            } else {
                Vec::new()
            },
            ..Default::default()
        });
    }
    let output = g
        .generate()
        .unwrap_or_else(|e| panic!("generating {}: {e}", job.crate_name));
    assert!(
        job.warnings_allowed || output.warnings.is_empty(),
        "{}: {:#?}",
        job.input,
        output.warnings
    );
    let mut crates = vec![(
        job.out.to_string(),
        job.crate_name.to_string(),
        output.models,
    )];
    if let Some((name, out, _)) = job.client {
        crates.push((out.to_string(), name.to_string(), output.client));
    }
    crates
}

/// One snapshot per file, named `<crate>__<path with / as __>`.
fn snapshot_all(crate_name: &str, files: &[OutputFile]) {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        for file in files {
            let name = format!("{crate_name}__{}", file.path.replace('/', "__"));
            assert!(
                !file.path.contains('\\'),
                "generated paths use `/`: {}",
                file.path
            );
            insta::assert_snapshot!(name, file.contents);
        }
    });
}

/// The checked-in crate at `out` must hold exactly `files`.
fn assert_checked_in(out: &str, files: &[OutputFile]) {
    let problems = write::diff_tree(&workspace_root().join(out), files);
    assert!(
        problems.is_empty(),
        "{out} disagrees with the generator (run `cargo xtask codegen`):\n  {}",
        problems.join("\n  ")
    );
}

fn sync_crates(input: &str, models: &str, client: &str, base_url: &str) {
    let models_out = format!("generated/{models}");
    let client_out = format!("generated/{client}");
    let crates = generate_like_xtask(Job {
        input,
        crate_name: models,
        out: &models_out,
        roots: Some(Root::synchronization()),
        overrides: Some("specs/overrides.toml"),
        client: Some((client, &client_out, base_url)),
        warnings_allowed: false,
    });
    assert_eq!(crates.len(), 2);
    for (out, crate_name, files) in &crates {
        assert!(files.iter().any(|f| f.path == "Cargo.toml"), "{crate_name}");
        assert!(files.iter().any(|f| f.path == "src/lib.rs"), "{crate_name}");
        snapshot_all(crate_name, files);
        assert_checked_in(out, files);
    }
}

#[test]
fn synchronization_v1() {
    sync_crates(
        "specs/graph-v1.0.sync.csdl.xml",
        "graph-synchronization-models",
        "graph-synchronization-client",
        "https://graph.microsoft.com/v1.0",
    );
}

#[test]
fn synchronization_beta() {
    sync_crates(
        "specs/graph-beta.sync.csdl.xml",
        "graph-synchronization-beta-models",
        "graph-synchronization-beta-client",
        "https://graph.microsoft.com/beta",
    );
}

/// Every `tests/fixtures/*.csdl.xml` present when the test runs.
#[test]
fn fixtures() {
    let dir = workspace_root().join("tests/fixtures");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".csdl.xml"))
                .map(str::to_string)
        })
        .collect();
    names.sort();
    if names.is_empty() {
        eprintln!("no fixtures under {}: nothing to snapshot", dir.display());
        return;
    }
    for name in &names {
        let crate_name = format!("fixture-{name}");
        let out = format!("tests/generated/{name}");
        let input = format!("tests/fixtures/{name}.csdl.xml");
        let (_, _, files) = generate_like_xtask(Job {
            input: &input,
            crate_name: &crate_name,
            out: &out,
            roots: None,
            overrides: None,
            client: None,
            warnings_allowed: true,
        })
        .remove(0);
        snapshot_all(&crate_name, &files);
        if workspace_root().join(&out).exists() {
            assert_checked_in(&out, &files);
        } else {
            eprintln!("{out} is not generated yet: only the snapshots were checked");
        }
    }
}

//! The generation jobs of this workspace, shared by `cargo xtask` and the snapshot tests,
//! so both generate with exactly the same settings.

pub mod api_diff;
pub mod package;
pub mod parallel;

use std::path::{Path, PathBuf};

use csdl_codegen::{CrateKind, Dependency, Generator, OutputFile, Root};

/// The version of the generator that generated crates are versioned after.
pub const GENERATOR_VERSION: &str = "0.1.0";

/// Repository URL written into generated manifests.
pub const REPOSITORY: &str = "https://github.com/csdl-codegen/csdl-codegen";

/// One generated crate: input, crate name, output directory, roots (`None` = all).
#[derive(Clone)]
pub struct Job {
    /// The metadata snapshot the input was pinned from (build metadata of the version).
    pub snapshot: &'static str,
    pub input: PathBuf,
    /// The full metadata file in `../shared/specs` that `input` is extracted from (by
    /// `cargo xtask update-specs`, with `roots`); `None` for hand-written fixtures.
    pub source: Option<&'static str>,
    pub crate_name: String,
    pub out: PathBuf,
    pub roots: Option<Vec<Root>>,
    pub overrides: Option<PathBuf>,
    /// Documentation overlay (the project's own descriptions, statuses and permissions).
    pub docs: Option<PathBuf>,
    /// Permissions table ([`Generator::permissions`]): the whole-Graph SDKs.
    pub permissions: Option<PathBuf>,
    /// README texts for users ([`Generator::readme_intro`]): what the crates are for, with
    /// examples; empty for the generic text.
    pub readme: Vec<(CrateKind, PathBuf)>,
    /// Client crate: (crate name, output directory, base URL).
    pub client: Option<(String, PathBuf, String)>,
    /// One Cargo feature per area ([`Generator::area_features`]): the whole-Graph SDKs.
    pub area_features: bool,
    /// Models in part crates, at most this many side by side per layer
    /// ([`Generator::split_models`]): the whole-Graph SDKs.
    pub split_models: Option<std::num::NonZeroUsize>,
}

/// How many model parts of a whole-Graph SDK cargo may check side by side: on the 2-core CI
/// machine four are as fast as two (BENCHMARKS.md, "Models in part crates"), and on a
/// machine with more cores they are faster.
pub const SDK_PARTS_PER_LAYER: usize = 4;

/// The project's documentation of the synchronization surface, for both sync crates.
pub const SYNC_DOCS: &str = "specs/docs/synchronization.toml";

/// Which permission grants which Graph request, transcribed from Microsoft's public
/// permission tables (facts only; the header says which families), for both SDKs.
pub const GRAPH_PERMISSIONS: &str = "specs/graph.permissions.tsv";

/// The roots of the synchronization crates (one per line, `#` comments), shared with the
/// generator's tests so the pinned subsets are checked with the same selection.
pub const SYNC_ROOTS: &str = "specs/synchronization.roots";

/// The roots listed in [`SYNC_ROOTS`] under `root`.
///
/// # Panics
/// When the file cannot be read: it is part of the repository, and generating with fewer
/// roots would silently drop requests from the crates.
pub fn sync_roots(root: &Path) -> Vec<Root> {
    let path = root.join(SYNC_ROOTS);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read the roots of the synchronization crates, {}: {e}",
            path.display()
        )
    });
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(Root::parse)
        .collect()
}

/// The README texts of the synchronization crates; a client's opens with the whole
/// provisioning workflow (beta's `instantiate` takes its one parameter directly, hence two
/// texts), and `beta` adds the paragraph on the beta metadata.
fn sync_readme(beta: bool) -> Vec<(CrateKind, PathBuf)> {
    let workflow = if beta {
        "specs/docs/synchronization.workflow.beta.md"
    } else {
        "specs/docs/synchronization.workflow.md"
    };
    let mut files = vec![
        (
            CrateKind::Models,
            "specs/docs/synchronization.models.md".into(),
        ),
        (CrateKind::Client, workflow.into()),
        (
            CrateKind::Client,
            "specs/docs/synchronization.client.md".into(),
        ),
    ];
    if beta {
        files.push((
            CrateKind::Models,
            "specs/docs/synchronization.beta.md".into(),
        ));
        files.push((
            CrateKind::Client,
            "specs/docs/synchronization.beta.md".into(),
        ));
    }
    files
}

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

pub fn jobs(root: &Path) -> Vec<Job> {
    let mut jobs = vec![
        Job {
            snapshot: "graph.v1.0.2026-08-04",
            input: "specs/graph-v1.0.sync.csdl.xml".into(),
            source: Some("graph-v1.0.csdl.xml"),
            crate_name: "graph-synchronization-models".into(),
            out: "generated/graph-synchronization-models".into(),
            roots: Some(sync_roots(root)),
            // The built-in Graph fixes (generator/overrides/graph.toml) apply by default.
            overrides: None,
            docs: Some(SYNC_DOCS.into()),
            permissions: None,
            readme: sync_readme(false),
            client: Some((
                "graph-synchronization-client".into(),
                "generated/graph-synchronization-client".into(),
                "https://graph.microsoft.com/v1.0".into(),
            )),
            area_features: false,
            split_models: None,
        },
        Job {
            snapshot: "graph.beta-usnat.2026-08-05",
            input: "specs/graph-beta.sync.csdl.xml".into(),
            source: Some("graph-beta-usnat.raw.csdl.xml"),
            crate_name: "graph-synchronization-beta-models".into(),
            out: "generated/graph-synchronization-beta-models".into(),
            roots: Some(sync_roots(root)),
            // The built-in Graph fixes (generator/overrides/graph.toml) apply by default.
            overrides: None,
            docs: Some(SYNC_DOCS.into()),
            permissions: None,
            readme: sync_readme(true),
            client: Some((
                "graph-synchronization-beta-client".into(),
                "generated/graph-synchronization-beta-client".into(),
                "https://graph.microsoft.com/beta".into(),
            )),
            area_features: false,
            split_models: None,
        },
        // A second Graph area, to show the client emitter is not tied to synchronization.
        Job {
            snapshot: "graph.v1.0.2026-08-04",
            input: "specs/graph-v1.0.identity-protection.csdl.xml".into(),
            source: Some("graph-v1.0.csdl.xml"),
            crate_name: "graph-identity-protection-models".into(),
            out: "tests/generated/graph-identity-protection".into(),
            roots: Some(vec![Root::parse("identityProtection")]),
            overrides: None,
            docs: None,
            permissions: None,
            readme: Vec::new(),
            client: Some((
                "graph-identity-protection-client".into(),
                "tests/generated/graph-identity-protection-client".into(),
                "https://graph.microsoft.com/v1.0".into(),
            )),
            area_features: false,
            split_models: None,
        },
        // The whole-Graph SDKs: everything the metadata declares, one feature per area.
        sdk_job(
            "graph.v1.0.2026-08-04",
            "v1.0",
            "graph-v1.0.csdl.xml",
            "graph-sdk",
            "https://graph.microsoft.com/v1.0",
        ),
        sdk_job(
            "graph.beta-usnat.2026-08-05",
            "beta",
            "graph-beta-usnat.raw.csdl.xml",
            "graph-sdk-beta",
            "https://graph.microsoft.com/beta",
        ),
    ];
    // Feature fixtures: tests/fixtures/<name>.csdl.xml -> tests/generated/<name>, everything selected.
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(root.join("tests/fixtures"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".csdl.xml"))
        .collect();
    fixtures.sort();
    for f in fixtures {
        let name = f
            .file_name()
            .map(|n| {
                n.to_string_lossy()
                    .trim_end_matches(".csdl.xml")
                    .to_string()
            })
            .unwrap_or_default();
        // A `<name>.client` file beside the fixture (holding the base URL) asks for a client
        // crate too, in tests/generated/<name>-client.
        let client =
            std::fs::read_to_string(root.join("tests/fixtures").join(format!("{name}.client")))
                .ok()
                .map(|base_url| {
                    (
                        format!("fixture-{name}-client"),
                        PathBuf::from("tests/generated").join(format!("{name}-client")),
                        base_url.trim().to_string(),
                    )
                });
        let fixture = Job {
            snapshot: "fixture",
            input: PathBuf::from("tests/fixtures").join(format!("{name}.csdl.xml")),
            source: None,
            crate_name: format!("fixture-{name}"),
            out: PathBuf::from("tests/generated").join(&name),
            roots: None,
            overrides: None,
            docs: None,
            permissions: None,
            readme: Vec::new(),
            client,
            area_features: false,
            split_models: None,
        };
        // A `<name>.split` file (holding the parts per layer) asks for the same models in
        // part crates too, in tests/generated/<name>-split, so the fixture's tests run
        // against both forms.
        let split =
            std::fs::read_to_string(root.join("tests/fixtures").join(format!("{name}.split")))
                .ok()
                .map(|n| {
                    n.trim().parse().unwrap_or_else(|e| {
                        panic!(
                            "tests/fixtures/{name}.split must hold a count of parts above 0: {e}"
                        )
                    })
                });
        let split = split.map(|n| Job {
            crate_name: format!("fixture-{name}-split"),
            out: PathBuf::from("tests/generated").join(format!("{name}-split")),
            client: None,
            split_models: Some(n),
            ..fixture.clone()
        });
        jobs.push(fixture);
        jobs.extend(split);
    }
    jobs
}

/// A whole-Graph SDK: `<name>` (client) and `<name>-models`, from `specs/graph-<version>.csdl.xml`
/// (all of `source` without prose).
fn sdk_job(
    snapshot: &'static str,
    version: &str,
    source: &'static str,
    name: &str,
    base_url: &str,
) -> Job {
    Job {
        snapshot,
        input: format!("specs/graph-{version}.csdl.xml").into(),
        source: Some(source),
        crate_name: format!("{name}-models"),
        out: format!("generated/{name}-models").into(),
        roots: Some(Vec::new()),
        overrides: None,
        docs: None,
        permissions: Some(GRAPH_PERMISSIONS.into()),
        readme: sdk_readme(version),
        client: Some((
            name.to_string(),
            format!("generated/{name}").into(),
            base_url.to_string(),
        )),
        area_features: true,
        split_models: std::num::NonZeroUsize::new(SDK_PARTS_PER_LAYER),
    }
}

/// The README texts of a whole-Graph SDK; the v1.0 client, which has the worked examples
/// (`specs/examples/sdk/`), lists them.
fn sdk_readme(version: &str) -> Vec<(CrateKind, PathBuf)> {
    let mut files = vec![
        (CrateKind::Models, "specs/docs/sdk.models.md".into()),
        (CrateKind::Client, "specs/docs/sdk.client.md".into()),
    ];
    if version == "v1.0" {
        files.push((CrateKind::Client, "specs/docs/sdk.examples.md".into()));
    }
    files
}

/// The files of a job: `(output directory, files)` for the models and the client crate.
pub fn generate(root: &Path, job: &Job) -> csdl_codegen::Result<Vec<(PathBuf, Vec<OutputFile>)>> {
    // Path dependencies inside the workspace, with the version crates.io needs.
    let in_workspace = |from: &Path, to: &str| {
        Dependency::path_and_version(
            format!("{}{to}", "../".repeat(from.components().count())),
            GENERATOR_VERSION,
        )
    };
    let mut g = Generator::new(root.join(&job.input))
        .crate_name(&job.crate_name)
        .source_label(job.input.display().to_string().replace('\\', "/"))
        .command("cargo xtask codegen")
        // Version rule: the generator's version, with the metadata snapshot as build
        // metadata; the API diff printed by `codegen` says which part to bump.
        .version(format!("{}+{}", GENERATOR_VERSION, job.snapshot))
        .repository(REPOSITORY)
        .license("MIT")
        .runtime(in_workspace(&job.out, "runtime"));
    g = match &job.roots {
        Some(roots) if !roots.is_empty() => g.roots(roots.clone()),
        _ => g.all(true),
    };
    g = g.area_features(job.area_features);
    if let Some(n) = job.split_models {
        g = g.split_models(n);
    }
    if let Some(o) = &job.overrides {
        g = g.overrides(root.join(o));
    }
    if let Some(d) = &job.docs {
        g = g.docs(root.join(d));
    }
    if let Some(p) = &job.permissions {
        g = g.permissions(root.join(p));
    }
    for (kind, path) in &job.readme {
        g = g.readme_intro(*kind, root.join(path));
    }
    if let Some((name, out, base_url)) = &job.client {
        let models_dir = job.out.display().to_string().replace('\\', "/");
        let client = csdl_codegen::ClientInfo::new(base_url.clone())
            .crate_name(name.clone())
            .models(in_workspace(out, &models_dir))
            .runtime(in_workspace(out, "runtime"))
            .client_name(if name.starts_with("fixture-") {
                "ServiceClient"
            } else {
                "GraphClient"
            });
        g = g.client(
            examples(root, name)
                .into_iter()
                .fold(client, |c, (file, source, features)| {
                    c.example_requiring(file, source, features)
                }),
        );
    }
    let output = g.generate()?;
    // Feature fixtures may carry warnings on purpose (annotation targets that point nowhere,
    // tested in generator/tests); a clean regeneration prints only the others.
    if job.snapshot != "fixture" {
        for w in &output.warnings {
            eprintln!("warning: {w}");
        }
    }
    let mut trees = vec![(job.out.clone(), output.models)];
    if let Some((_, out, _)) = &job.client {
        trees.push((out.clone(), output.client));
    }
    Ok(trees)
}

/// Hand-written examples for a client crate, with the features each requires:
/// `specs/examples/*.rs` go into the v1.0 synchronization client, `specs/examples/sdk/*.rs`
/// into the v1.0 SDK. An example names its features in a doc line
/// `//! Required features: groups, users` (the manifest's `required-features`).
fn examples(root: &Path, crate_name: &str) -> Vec<(String, String, Vec<String>)> {
    let dir = match crate_name {
        "graph-synchronization-client" => root.join("specs/examples"),
        "graph-sdk" => root.join("specs/examples/sdk"),
        _ => return Vec::new(),
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    files
        .into_iter()
        .filter_map(|p| {
            let name = p.file_name()?.to_string_lossy().to_string();
            let source = std::fs::read_to_string(&p).ok()?;
            let features = required_features(&source);
            Some((name, source, features))
        })
        .collect()
}

/// The features an example's `//! Required features: a, b` line names (none without it).
fn required_features(source: &str) -> Vec<String> {
    source
        .lines()
        .find_map(|line| line.trim().strip_prefix("//! Required features:"))
        .map(|list| {
            list.split(',')
                .map(|f| f.trim().to_string())
                .filter(|f| !f.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::required_features;

    #[test]
    fn an_example_names_its_features_in_one_doc_line() {
        let source =
            "//! Lists things.\n//!\n//! Required features: groups, users\n\nfn main() {}\n";
        assert_eq!(required_features(source), ["groups", "users"]);
        assert!(required_features("//! Needs nothing.\nfn main() {}\n").is_empty());
    }
}

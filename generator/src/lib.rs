//! `csdl-codegen` turns OData v4 CSDL metadata (such as Microsoft Graph's) into Rust crates.
//!
//! The pipeline, one module per stage: `csdl` (read XML) → `model` (resolve names) →
//! `overrides` (patch known gaps) and [`docs`] (the documentation overlay) → `select` (what
//! the roots reach) → `plan` (Rust names and types) → `emit` (tokens, formatted) →
//! [`write`](mod@write) (files, owned and swapped in together).
//!
//! The public API is [`Generator`] (settings and runs), its results ([`Output`],
//! [`Report`], [`Inspection`]), the errors and warnings, [`write`](mod@write)'s ownership
//! rules, [`inspect`]'s report, [`docs`]'s file format and [`extract`]. The stages
//! themselves are private; the feature `internals` makes them public (hidden, no semver
//! promise) for this workspace's benchmarks, fuzz targets and tests.
//!
//! The library has no default features and depends on no C code: a build script compiles
//! only the pipeline. The feature `cli` builds the `csdl-codegen` binary (its argument
//! parser and allocator): `cargo install csdl-codegen --features cli`.
//!
//! ```no_run
//! use csdl_codegen::{Generator, Root};
//!
//! let output = Generator::new("specs/graph-v1.0.sync.csdl.xml")
//!     .roots(Root::synchronization())
//!     .crate_name("graph-synchronization-models")
//!     .generate()?;
//! output.write_models("generated/graph-synchronization-models")?;
//! # Ok::<(), csdl_codegen::Error>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

/// Declares a struct that is public (hidden, unstable) only with the feature `internals`,
/// because its fields are stage types.
macro_rules! internal_struct {
    ($(#[$meta:meta])* struct $name:ident { $($(#[$fmeta:meta])* $field:ident: $ty:ty,)* }) => {
        #[cfg(feature = "internals")]
        #[doc(hidden)]
        $(#[$meta])*
        pub struct $name { $($(#[$fmeta])* pub $field: $ty,)* }
        #[cfg(not(feature = "internals"))]
        $(#[$meta])*
        pub(crate) struct $name { $($(#[$fmeta])* pub(crate) $field: $ty,)* }
    };
}

// The pipeline stages: private, or public but hidden and unstable with the feature
// `internals` (the workspace's benchmarks, fuzz targets and tests reach into stages).
// Declared one by one rather than by a macro so that `cargo fmt` reaches their files.
#[cfg(feature = "internals")]
#[doc(hidden)]
pub mod csdl;
#[cfg(not(feature = "internals"))]
mod csdl;
#[cfg(feature = "internals")]
#[doc(hidden)]
pub mod emit;
#[cfg(not(feature = "internals"))]
mod emit;
#[cfg(feature = "internals")]
#[doc(hidden)]
pub mod model;
#[cfg(not(feature = "internals"))]
mod model;
#[cfg(feature = "internals")]
#[doc(hidden)]
pub mod overrides;
#[cfg(not(feature = "internals"))]
mod overrides;
#[cfg(feature = "internals")]
#[doc(hidden)]
pub mod plan;
#[cfg(not(feature = "internals"))]
mod plan;
#[cfg(feature = "internals")]
#[doc(hidden)]
pub mod select;
#[cfg(not(feature = "internals"))]
mod select;

pub mod diagnostics;
pub mod docs;
pub mod error;
pub mod extract;
pub mod inspect;
pub mod permissions;
pub mod readme;
mod runtime_items;
pub mod settings;
pub mod write;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use error::{Error, ErrorKind, Pos, Result, Warning};
pub use readme::CrateKind;
pub use select::Root;
pub use settings::{ClientInfo, Dependency, Example};
pub use write::{OutputFile, WriteMode};

/// Generator settings; build with [`Generator::new`] and the setters, then call
/// [`Generator::generate`].
#[derive(Debug, Clone)]
pub struct Generator {
    input: PathBuf,
    /// `None`: chosen by the metadata (see [`Generator::roots`]).
    roots: Option<Vec<Root>>,
    all: bool,
    overrides: Option<PathBuf>,
    docs: Option<PathBuf>,
    /// [`Generator::permissions`].
    permissions: Option<PathBuf>,
    readme_intros: Vec<(CrateKind, PathBuf)>,
    /// `None`: chosen by the metadata (see [`Generator::crate_name`]).
    crate_name: Option<String>,
    version: String,
    source_label: Option<String>,
    command: String,
    runtime: Dependency,
    client: Option<ClientInfo>,
    repository: Option<String>,
    reference_dirs: Vec<PathBuf>,
    graph_fixes: bool,
    license: Option<String>,
    /// [`Generator::area_features`].
    area_features: bool,
    /// [`Generator::split_models`].
    split_models: Option<std::num::NonZeroUsize>,
}

/// What a generation run produced.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Output {
    /// The models crate: `Cargo.toml` and sources, paths relative to the crate directory.
    pub models: Vec<OutputFile>,
    /// The client crate, when [`Generator::client`] was set.
    pub client: Vec<OutputFile>,
    /// Problems that did not stop generation.
    pub warnings: Vec<Warning>,
    /// One line per override entry.
    pub overrides: Vec<String>,
    /// Number of selected types and operations.
    pub counts: (usize, usize),
    /// Wall time of each stage, in pipeline order.
    pub timings: Vec<(&'static str, Duration)>,
}

/// What [`Generator::generate_into`] reports: everything of [`Output`] but the files, which
/// are on disk.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Report {
    /// Problems that did not stop generation.
    pub warnings: Vec<Warning>,
    /// One line per override entry.
    pub overrides: Vec<String>,
    /// Number of selected types and operations.
    pub counts: (usize, usize),
    /// Wall time of each stage, in pipeline order.
    pub timings: Vec<(&'static str, Duration)>,
}

/// What [`Generator::build_script_in`] did: the file it wrote, and what Cargo should hear.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct BuildScript {
    /// The file written (`<out_dir>/<file_name>`).
    pub path: PathBuf,
    /// Every file the run read (the input, the referenced documents found on disk, the
    /// override file and the schemas it adds, the documentation overlay) and the folders
    /// where a reference could appear (the reference folders, and the folder of a document
    /// whose reference was found nowhere, unless it holds the output).
    pub rerun_if_changed: Vec<PathBuf>,
    /// Problems that did not stop generation.
    pub warnings: Vec<Warning>,
}

impl BuildScript {
    /// The lines a build script prints: `cargo:rerun-if-changed=<path>` for each path, and
    /// `cargo:warning=<warning>` for each warning, on one line (line breaks become spaces;
    /// a path with a line break cannot be watched and gets a warning instead).
    pub fn cargo_lines(&self) -> Vec<String> {
        let one_line = |text: &str| text.replace(['\r', '\n'], " ");
        let mut lines = Vec::new();
        let mut unwatched = Vec::new();
        for path in &self.rerun_if_changed {
            let shown = path.display().to_string();
            if shown.contains(['\r', '\n']) {
                unwatched.push(format!(
                    "cargo:warning={} has a line break in its name: Cargo cannot watch it, so a change to it does not rerun this build script",
                    shown.escape_debug()
                ));
            } else {
                lines.push(format!("cargo:rerun-if-changed={shown}"));
            }
        }
        lines.extend(unwatched);
        lines.extend(
            self.warnings
                .iter()
                .map(|w| format!("cargo:warning={}", one_line(&w.to_string()))),
        );
        lines
    }
}

/// What `inspect` reports: the report itself, and what the run noticed on the way.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Inspection {
    /// What the roots reach.
    pub report: inspect::Report,
    /// Problems that did not stop the run.
    pub warnings: Vec<Warning>,
    /// One line per override entry.
    pub overrides: Vec<String>,
    /// Wall time of each stage.
    pub timings: Vec<(&'static str, Duration)>,
}

internal_struct! {
/// The first stages of the pipeline: the resolved (and patched) model and what the roots
/// reach. `Generator::select` returns it.
#[derive(Debug, Clone)]
struct Selected {
    /// The resolved model, overrides applied.
    model: model::Model,
    /// What the roots reach.
    selection: select::Selection,
    /// One line per override entry.
    overrides: Vec<String>,
    /// The model's warnings, those of the main document placed in the input file.
    warnings: Vec<Warning>,
    /// Wall time of each stage so far.
    timings: Vec<(&'static str, Duration)>,
    /// Every file the run read and every folder where a document it looked for could
    /// appear, in the order met: a build script reruns when one of them changes.
    read: Vec<PathBuf>,
}
}

/// A Cargo package name: ASCII letters, digits, `-` and `_`, starting with a letter, at most
/// 64 characters. The error says what to use instead.
pub fn check_crate_name(name: &str) -> Result<()> {
    let valid = !name.is_empty()
        && name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if valid {
        return Ok(());
    }
    let suggestion: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let suggestion = if suggestion.starts_with(|c: char| c.is_ascii_alphabetic()) {
        suggestion
    } else {
        format!("crate-{suggestion}")
    };
    Err(Error::new(
        ErrorKind::Config,
        format!(
            "`{name}` is not a valid crate name: use ASCII letters, digits, `-` and `_`, starting with a letter (for example `{suggestion}`)"
        ),
    )
    .named(name))
}

/// Checks the Cargo package names of the crates to generate.
fn check_crate_names(models: &str, client: Option<&ClientInfo>) -> Result<()> {
    check_crate_name(models)?;
    if let Some(c) = client {
        check_crate_name(&c.crate_name)?;
        if c.crate_name == models {
            return Err(Error::new(
                ErrorKind::Config,
                format!(
                    "the models and client crates are both named `{}`",
                    c.crate_name
                ),
            )
            .named(&c.crate_name));
        }
    }
    Ok(())
}

/// The models crate's name when none is given: `graph-models` for Microsoft Graph's
/// metadata, otherwise the primary namespace in kebab case with `-models`
/// (`Contoso.Sales` gives `contoso-sales-models`), so the crates of two services do not
/// share a name. Always a valid crate name.
fn default_crate_name(graph: bool, namespace: &str) -> String {
    use heck::ToKebabCase;
    const SUFFIX: &str = "-models";
    if graph {
        return format!("graph{SUFFIX}");
    }
    let ascii: String = namespace
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let mut base = ascii.to_kebab_case();
    if !base.starts_with(|c: char| c.is_ascii_alphabetic()) {
        base = format!("odata-{base}");
    }
    base.truncate(64 - SUFFIX.len());
    format!("{}{SUFFIX}", base.trim_end_matches('-'))
}

/// The model's warnings with the input named where a warning names no file (problems of
/// the main document).
fn located(input: &Path, warnings: &[Warning]) -> Vec<Warning> {
    warnings.iter().map(|w| w.clone().or_in(input)).collect()
}

fn timed<T>(
    timings: &mut Vec<(&'static str, Duration)>,
    stage: &'static str,
    f: impl FnOnce() -> T,
) -> T {
    let start = Instant::now();
    let value = f();
    timings.push((stage, start.elapsed()));
    value
}

impl Output {
    /// Writes the models crate into `dir` (replacing it atomically). An existing `dir` must
    /// be empty or hold only an earlier output of the generator (see [`write`](mod@write)).
    pub fn write_models(&self, dir: impl AsRef<Path>) -> Result<()> {
        write::write_tree(dir.as_ref(), &self.models)
    }

    /// Writes the client crate into `dir`, like [`Output::write_models`].
    pub fn write_client(&self, dir: impl AsRef<Path>) -> Result<()> {
        write::write_tree(dir.as_ref(), &self.client)
    }

    /// Writes the models crate and, when `client_dir` is given, the client crate: both or
    /// neither. The two directories must not overlap. With [`WriteMode::OwnOutputOnly`] an
    /// existing directory that holds files the generator did not write is an error and
    /// nothing is written.
    pub fn write(
        &self,
        models_dir: impl AsRef<Path>,
        client_dir: Option<&Path>,
        mode: WriteMode,
    ) -> Result<()> {
        let mut targets = vec![write::Target {
            dir: models_dir.as_ref(),
            files: &self.models,
        }];
        if let Some(dir) = client_dir {
            targets.push(write::Target {
                dir,
                files: &self.client,
            });
        }
        write::write_trees(&targets, mode)
    }
}

impl Generator {
    /// A generator for the CSDL file at `input`. Every setting has a default that suits the
    /// metadata: Microsoft Graph's gets Graph's (the synchronization roots, `graph-models`,
    /// its service root, its fixes), any other service's is named after its own namespace
    /// and gets everything it declares.
    pub fn new(input: impl Into<PathBuf>) -> Self {
        Generator {
            input: input.into(),
            roots: None,
            all: false,
            overrides: None,
            docs: None,
            permissions: None,
            readme_intros: Vec::new(),
            crate_name: None,
            version: env!("CARGO_PKG_VERSION").into(),
            source_label: None,
            command: "csdl-codegen generate".into(),
            runtime: Dependency::version(env!("CARGO_PKG_VERSION")),
            client: None,
            repository: None,
            reference_dirs: Vec::new(),
            graph_fixes: true,
            license: None,
            area_features: false,
            split_models: None,
        }
    }

    /// One Cargo feature per area (entity set or singleton) in both crates, so a user
    /// compiles only the areas they enable (`full`: all); off by default. How types,
    /// builders and methods are assigned to features: `plan::features`. Build scripts
    /// ([`Generator::generate_module`]) always get everything.
    pub fn area_features(mut self, on: bool) -> Self {
        self.area_features = on;
        self
    }

    /// Splits the models crate into part crates, at most `parts_per_layer` of them
    /// independent of each other in each layer, under `parts/part-<n>/` of the models
    /// directory; the models crate re-exports every type at the same path. Cargo checks
    /// independent parts at the same time and no rustc holds all the models, which is
    /// what makes a large service's models (all of Graph) cheap to compile; for small
    /// ones one crate is cheaper. How items are assigned: `plan::parts`. One crate by
    /// default, and always for build scripts ([`Generator::generate_module`]).
    pub fn split_models(mut self, parts_per_layer: std::num::NonZeroUsize) -> Self {
        self.split_models = Some(parts_per_layer);
        self
    }

    /// Also emit a client crate (request builders) with these settings.
    pub fn client(mut self, client: ClientInfo) -> Self {
        self.client = Some(client);
        self
    }

    /// A folder where referenced documents (`edmx:Reference`) are looked for, by their
    /// `Uri`'s file name or `<namespace>.xml` (repeatable). References are also looked for
    /// relative to the input file; the standard OASIS vocabularies are built in.
    pub fn reference_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.reference_dirs.push(dir.into());
        self
    }

    /// Replaces the roots selection starts from. Without roots, Microsoft Graph metadata gets
    /// [`Root::synchronization`] and other metadata everything it declares (as
    /// [`all`](Self::all)).
    pub fn roots(mut self, roots: Vec<Root>) -> Self {
        self.roots = Some(roots);
        self
    }

    /// Selects every type and operation of the document instead of a closure.
    pub fn all(mut self, all: bool) -> Self {
        self.all = all;
        self
    }

    /// Whether the generator's built-in fixes of Microsoft Graph's metadata
    /// (`generator/overrides/graph.toml`: the schema is updated with PUT, the secrets are
    /// replaced with PUT, ...) apply when the input is Graph metadata (it declares
    /// `microsoft.graph`). On by default; an [`overrides`](Self::overrides) file applies on
    /// top.
    pub fn graph_fixes(mut self, on: bool) -> Self {
        self.graph_fixes = on;
        self
    }

    /// An override file to apply before selection (after the built-in Graph fixes).
    pub fn overrides(mut self, path: impl Into<PathBuf>) -> Self {
        self.overrides = Some(path.into());
        self
    }

    /// A documentation overlay (see [`docs`](mod@docs)) merged into the model after the
    /// overrides: its descriptions, statuses and permissions end up in the generated docs.
    pub fn docs(mut self, path: impl Into<PathBuf>) -> Self {
        self.docs = Some(path.into());
        self
    }

    /// A permissions table (see [`permissions`](mod@permissions)): each request method's
    /// docs name the permissions that grant its HTTP method and URL template, narrowest
    /// first, or say that the table lists none. Requests whose docs overlay names
    /// permissions keep the overlay's.
    pub fn permissions(mut self, path: impl Into<PathBuf>) -> Self {
        self.permissions = Some(path.into());
        self
    }

    /// A Markdown file that says what the `kind` crate is for, shown in its `README.md` (and
    /// so its crate docs) under the title instead of the generic text and example
    /// (repeatable: the files of one crate are joined in order). Its code blocks become
    /// doctests; placeholders such as `{{client_path}}` name the generated crates (see
    /// [`readme`](mod@readme)).
    pub fn readme_intro(mut self, kind: CrateKind, path: impl Into<PathBuf>) -> Self {
        self.readme_intros.push((kind, path.into()));
        self
    }

    /// The Cargo package name of the models crate. Default: `graph-models` for Microsoft
    /// Graph metadata; for any other, the primary namespace in kebab case with `-models`
    /// (`Contoso.Sales` gives `contoso-sales-models`).
    pub fn crate_name(mut self, name: impl Into<String>) -> Self {
        self.crate_name = Some(name.into());
        self
    }

    /// The version written into the generated `Cargo.toml`.
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.version = version.into();
        self
    }

    /// How the input is named in generated headers (default: the input path as given).
    pub fn source_label(mut self, label: impl Into<String>) -> Self {
        self.source_label = Some(label.into());
        self
    }

    /// The regeneration command shown in generated headers.
    pub fn command(mut self, command: impl Into<String>) -> Self {
        self.command = command.into();
        self
    }

    /// Where the generated crates find `graph-odata-runtime` (default: the generator's own
    /// version on crates.io; a workspace uses a path). The models crate takes it without
    /// default features (no HTTP stack), the client crate with them.
    pub fn runtime(mut self, dependency: Dependency) -> Self {
        self.runtime = dependency;
        self
    }

    /// Runs the first stages (unstable, with the feature `internals`).
    #[cfg(feature = "internals")]
    #[doc(hidden)]
    pub fn select(&self) -> Result<Selected> {
        self.front()
    }

    /// Runs the pipeline up to selection and reports what the roots reach: types,
    /// operations, request builders and their URLs (with a permissions table, the
    /// permissions of each request), documentation coverage (`inspect`).
    pub fn inspect(&self) -> Result<Inspection> {
        let permissions = self.permissions_table()?;
        let Selected {
            model,
            selection,
            overrides,
            warnings,
            mut timings,
            ..
        } = self.front()?;
        let report = timed(&mut timings, "inspect", || {
            inspect::Report::new(&model, &selection, permissions)
        });
        Ok(Inspection {
            report,
            warnings,
            overrides,
            timings,
        })
    }

    /// The permissions table of the run, if it has one (read first: a malformed row fails
    /// the run before the CSDL is read).
    fn permissions_table(&self) -> Result<Option<permissions::Table>> {
        self.permissions
            .as_deref()
            .map(permissions::Table::read)
            .transpose()
    }

    /// Runs the first stages: read, resolve, apply overrides and docs, select.
    fn front(&self) -> Result<Selected> {
        let mut timings = Vec::new();
        let in_input = |e: Error| e.in_file(&self.input);
        // Override files first: their `add_schema` documents join the input's before it
        // resolves.
        let user_overrides = match &self.overrides {
            Some(path) => Some((overrides::Overrides::read(path)?, path)),
            None => None,
        };
        let docs = match &self.docs {
            Some(path) => Some(docs::DocsOverlay::read(path)?),
            None => None,
        };
        // Generation from roots reads the members of the types it reaches only
        // (`csdl::Deferred`); selecting everything reads them all at once. A document that
        // fails to read is read again eagerly, so its error is the first in document
        // order, as an eager read reports it (the cost falls on failures only).
        let mut documents = timed(&mut timings, "read", || {
            if self.all {
                csdl::load(&self.input, &self.reference_dirs)
            } else {
                csdl::load_deferred(&self.input, &self.reference_dirs)
                    .or_else(|_| csdl::load(&self.input, &self.reference_dirs))
            }
        })?;
        let mut read: Vec<PathBuf> = documents.files().map(Path::to_path_buf).collect();
        read.extend(self.overrides.iter().cloned());
        let is_graph = documents
            .documents
            .first()
            .is_some_and(|d| d.document.is_graph());
        let graph_fixes = (self.graph_fixes && is_graph).then(overrides::Overrides::graph);
        let mut added = Vec::new();
        if let Some(fixes) = &graph_fixes {
            added.extend(fixes.schemas(None)?);
        }
        if let Some((user, path)) = &user_overrides {
            let dir = path.parent().unwrap_or_else(|| Path::new("."));
            added.extend(user.schemas(Some(dir)).map_err(|e| e.in_file(path))?);
        }
        read.extend(added.iter().filter_map(|d| d.path.clone()));
        read.extend(self.docs.iter().cloned());
        read.extend(self.permissions.iter().cloned());
        // A reference found nowhere may appear later in a reference folder or beside the
        // document that names it; so may one that would be found earlier in the search.
        read.extend(self.reference_dirs.iter().cloned());
        read.extend(
            documents
                .documents
                .iter()
                .filter(|d| !d.unavailable.is_empty())
                .filter_map(|d| d.path.as_deref()?.parent())
                .map(|dir| {
                    if dir.as_os_str().is_empty() {
                        PathBuf::from(".")
                    } else {
                        dir.to_path_buf()
                    }
                }),
        );
        for mut doc in added {
            // A namespace already declared (the same schema named by the built-in fixes and
            // a user's copy of them) is read once.
            doc.document.schemas.retain(|s| {
                !documents.documents.iter().any(|d| {
                    d.document
                        .schemas
                        .iter()
                        .any(|e| e.namespace == s.namespace)
                })
            });
            if !doc.document.schemas.is_empty() {
                documents.documents.push(doc);
            }
        }
        // Selecting everything resolves everything at once; roots resolve the members of
        // only the types the overrides, the docs overlay and selection read
        // (`model::resolve_lazy`, ARCHITECTURE.md).
        let all = self.all || (self.roots.is_none() && !is_graph);
        let mut model = timed(&mut timings, "resolve", || {
            if !all {
                return model::resolve_lazy(documents);
            }
            // Any other service without roots, loaded deferred before that was known:
            // `resolve_all` reads the members as it resolves each type, so on a failure
            // the main document is read again eagerly, for the error an eager read and
            // resolution report (a malformed member before a later error in the file).
            model::resolve_all(&documents).or_else(|e| {
                if self.all {
                    return Err(e);
                }
                let eager = csdl::read_file(&self.input)?;
                documents.documents[0].document = eager;
                model::resolve_all(&documents)
            })
        })
        .map_err(in_input)?;
        let overrides = timed(&mut timings, "overrides", || -> Result<Vec<String>> {
            let mut report = Vec::new();
            let fixes = graph_fixes.iter().flat_map(|f| f.type_names());
            let user = user_overrides.iter().flat_map(|(u, _)| u.type_names());
            let documented = docs.iter().flat_map(|d| d.targets());
            model
                .fill_named(fixes.chain(user).chain(documented))
                .map_err(in_input)?;
            if let Some(fixes) = &graph_fixes {
                let applied = fixes.apply_where_present(&mut model)?;
                report.extend(
                    applied
                        .into_iter()
                        .map(|l| format!("built-in Graph fix: {l}")),
                );
            }
            if let Some((user, path)) = &user_overrides {
                report.extend(user.apply(&mut model).map_err(|e| e.in_file(path))?);
            }
            if let (Some(docs), Some(path)) = (&docs, &self.docs) {
                let unmatched = docs.apply(&mut model);
                model
                    .warnings
                    .extend(unmatched.into_iter().map(|w| Warning::new(w).in_file(path)));
            }
            Ok(report)
        })?;
        let selection = timed(&mut timings, "select", || {
            // Without roots, Graph metadata gets the synchronization roots and any other
            // service everything it declares.
            match (&self.roots, self.all, is_graph) {
                (_, true, _) | (None, false, false) => Ok(select::select_all(&model)),
                (Some(roots), false, _) => {
                    select::select_filling(&mut model, roots).map_err(in_input)
                }
                (None, false, true) => {
                    select::select_filling(&mut model, &Root::synchronization()).map_err(in_input)
                }
            }
        })?;
        // The documents are not needed once selection has filled what it reads.
        model.release_in_background();
        let mut seen = std::collections::HashSet::new();
        read.retain(|p| seen.insert(p.clone()));
        Ok(Selected {
            warnings: located(&self.input, &model.warnings),
            model,
            selection,
            overrides,
            timings,
            read,
        })
    }

    fn crate_info(&self, crate_name: String, graph: bool) -> emit::CrateInfo {
        emit::CrateInfo {
            crate_name,
            version: self.version.clone(),
            // The file name, not the path: generated files never carry a local path.
            source: self.source_label.clone().unwrap_or_else(|| {
                self.input.file_name().map_or_else(
                    || self.input.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                )
            }),
            command: self.command.clone(),
            runtime: self.runtime.clone(),
            repository: self.repository.clone(),
            license: self.license.clone(),
            readme: readme::ReadmeTexts::default(),
            graph,
        }
    }

    /// The crate settings of a run (the models crate's name, the client's settings with
    /// their defaults filled in, both checked) for the metadata `plan` was made from.
    fn crates(&self, plan: &plan::Plan<'_>) -> Result<(emit::CrateInfo, Option<ClientInfo>)> {
        let graph = plan.model.graph;
        let crate_name = self.crate_name.clone().unwrap_or_else(|| {
            let primary = plan.modules.get(plan.primary);
            default_crate_name(graph, primary.map_or("", |m| m.namespace.as_str()))
        });
        let client = self.client_for(&crate_name, graph)?;
        check_crate_names(&crate_name, client.as_ref())?;
        Ok((self.crate_info(crate_name, graph), client))
    }

    /// [`crates`](Self::crates) with the README texts read.
    fn crates_with_readme(
        &self,
        plan: &plan::Plan<'_>,
    ) -> Result<(emit::CrateInfo, Option<ClientInfo>)> {
        let (mut info, client) = self.crates(plan)?;
        info.readme = readme::ReadmeTexts::read(
            &self.readme_intros,
            &readme::Names {
                models_crate: &info.crate_name,
                client_crate: client.as_ref().map(|c| c.crate_name.as_str()),
                version: &self.version,
            },
        )?;
        Ok((info, client))
    }

    /// The `license` (an SPDX expression) written into generated manifests; none by
    /// default.
    pub fn license(mut self, license: impl Into<String>) -> Self {
        self.license = Some(license.into());
        self
    }

    /// The client settings of a run, with the defaults filled in: the crate name is the
    /// models crate's name with `-client`, the base URL Graph's for Graph metadata (any
    /// other service must give its own); the base URL and the entry type's name checked.
    fn client_for(&self, models_crate: &str, is_graph: bool) -> Result<Option<ClientInfo>> {
        let Some(mut client) = self.client.clone() else {
            return Ok(None);
        };
        if client.crate_name.is_empty() {
            client.crate_name = format!("{models_crate}-client");
        }
        if client.base_url.trim().is_empty() {
            // A client of another service must not default to Graph: its requests, and the
            // tokens they carry, would go to the wrong service.
            if !is_graph {
                return Err(Error::new(
                    ErrorKind::Config,
                    "the client needs the service's root URL, which metadata does not contain: \
                     pass it with --base-url (library: ClientInfo::base_url), for example \
                     `https://services.example.com/odata/v4`",
                ));
            }
            client.base_url = settings::GRAPH_V1_BASE_URL.into();
        }
        settings::check_base_url(&client.base_url)?;
        if let Some(name) = &client.client_name {
            settings::check_client_name(name)?;
        }
        Ok(Some(client))
    }

    /// Checks the names given before the input is read, so that a typo fails at once.
    fn check_given_names(&self) -> Result<()> {
        let given = self.crate_name.iter();
        let client = self.client.iter().map(|c| &c.crate_name);
        for name in given.chain(client.filter(|n| !n.is_empty())) {
            check_crate_name(name)?;
        }
        Ok(())
    }

    /// The `repository` URL written into generated manifests.
    pub fn repository(mut self, url: impl Into<String>) -> Self {
        self.repository = Some(url.into());
        self
    }

    /// Runs the pipeline and returns one Rust file for `include!`: `pub mod models` (and
    /// `pub mod client` when [`Generator::client`] was set). The including crate depends on
    /// `graph-odata-runtime` (feature `client` for the client), `serde` and `serde_json`.
    pub fn generate_module(&self) -> Result<String> {
        self.module().map(|(text, _)| text)
    }

    /// [`generate_module`](Self::generate_module), and what the run read and warned about.
    fn module(&self) -> Result<(String, Selected)> {
        self.check_given_names()?;
        let selected = self.front()?;
        let plan = plan::Plan::new(&selected.model, &selected.selection);
        let (info, client) = self.crates(&plan)?;
        let text = emit::single_file(&plan, &info, client.as_ref())?;
        drop(plan);
        Ok((text, selected))
    }

    /// For `build.rs`: writes [`Generator::generate_module`]'s file to `$OUT_DIR/<file_name>`
    /// (only when its content changed), prints [`BuildScript::cargo_lines`] (Cargo reruns
    /// the script when a file it read changes, and shows its warnings) and returns the path
    /// written.
    ///
    /// ```no_run
    /// // In build.rs:
    /// let result = csdl_codegen::Generator::new("specs/graph-v1.0.sync.csdl.xml")
    ///     .roots(vec![csdl_codegen::Root::parse("servicePrincipals/{id}/synchronization/jobs")])
    ///     .build_script("graph.rs");
    /// if let Err(e) = result {
    ///     panic!("{e}");
    /// }
    /// // In src/lib.rs: mod graph { include!(concat!(env!("OUT_DIR"), "/graph.rs")); }
    /// ```
    pub fn build_script(&self, file_name: &str) -> Result<PathBuf> {
        let out_dir = std::env::var_os("OUT_DIR").ok_or_else(|| {
            Error::new(
                ErrorKind::Config,
                "OUT_DIR is not set: build_script runs from a Cargo build script",
            )
        })?;
        let run = self.build_script_in(Path::new(&out_dir), file_name)?;
        for line in run.cargo_lines() {
            println!("{line}");
        }
        Ok(run.path)
    }

    /// [`build_script`](Self::build_script) without the environment: writes the file into
    /// `out_dir` and returns what Cargo needs to hear instead of printing it.
    pub fn build_script_in(&self, out_dir: &Path, file_name: &str) -> Result<BuildScript> {
        let (text, selected) = self.module()?;
        let path = out_dir.join(file_name);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            let tmp = path.with_extension("rs.tmp");
            std::fs::write(&tmp, &text).map_err(|e| Error::io(&tmp, &e))?;
            std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, &e))?;
        }
        // Cargo watches a folder with everything below it: one that holds the output
        // (the package root, when a document there misses a reference) would change with
        // every build and rerun the script every time.
        let out = out_dir.canonicalize().ok();
        let holds_output = |p: &Path| {
            p.is_dir()
                && out
                    .as_deref()
                    .is_some_and(|o| p.canonicalize().is_ok_and(|p| o.starts_with(p)))
        };
        let rerun_if_changed = selected
            .read
            .into_iter()
            .filter(|p| !holds_output(p))
            .collect();
        Ok(BuildScript {
            path,
            rerun_if_changed,
            warnings: selected.warnings,
        })
    }

    /// Runs the pipeline and writes the models crate into `models_dir` and, when
    /// [`Generator::client`] was set, the client crate into `client_dir`: both or neither,
    /// with the ownership rules of [`Output::write`]. Unlike [`Generator::generate`] followed
    /// by [`Output::write`], each file goes to disk while it is formatted, so the output is
    /// never held in memory as a whole (the whole of Graph's models are 25 MB of text).
    pub fn generate_into(
        &self,
        models_dir: &Path,
        client_dir: Option<&Path>,
        mode: WriteMode,
    ) -> Result<Report> {
        self.check_given_names()?;
        if self.client.is_some() != client_dir.is_some() {
            return Err(Error::new(
                ErrorKind::Config,
                "a client crate needs both its settings (Generator::client) and a directory",
            ));
        }
        let dirs: Vec<&Path> = std::iter::once(models_dir).chain(client_dir).collect();
        write::check_targets(&dirs, mode)?;
        let ((), report) = self.run("emit + write", |plan, info, client| {
            let mut targets = vec![write::PendingTarget::new(models_dir, move || {
                emit::models_files(plan, info)
            })];
            if let (Some(dir), Some(client)) = (client_dir, client) {
                // The client plan is made once nearly every model file is taken (by the first
                // pool thread that finds few left), beside the last model files only.
                targets.push(write::PendingTarget::new(dir, move || {
                    emit::client_files(plan, info, client)
                }));
            }
            write::write_pending(targets, mode)
        })?;
        Ok(report)
    }

    /// Runs the pipeline in memory.
    pub fn generate(&self) -> Result<Output> {
        self.check_given_names()?;
        let ((models, client), report) = self.run("emit", |plan, info, client| {
            let models = emit::models_crate(plan, info)?;
            let client = match client {
                Some(c) => emit::client_crate(plan, info, c)?,
                None => Vec::new(),
            };
            Ok((models, client))
        })?;
        let Report {
            warnings,
            overrides,
            counts,
            timings,
        } = report;
        Ok(Output {
            models,
            client,
            warnings,
            overrides,
            counts,
            timings,
        })
    }

    /// The stages every run shares: front end, plan, crate settings, then `emit` (timed as
    /// `stage`), and the report of the run.
    fn run<T>(
        &self,
        stage: &'static str,
        emit: impl FnOnce(&plan::Plan<'_>, &emit::CrateInfo, Option<&ClientInfo>) -> Result<T>,
    ) -> Result<(T, Report)> {
        let permissions = self.permissions_table()?;
        let Selected {
            model,
            selection,
            overrides,
            warnings,
            mut timings,
            ..
        } = self.front()?;
        let plan = timed(&mut timings, "plan", || {
            let mut plan = plan::Plan::new(&model, &selection);
            if self.area_features {
                plan.plan_features();
            }
            if let Some(n) = self.split_models {
                plan.plan_parts(n.get());
            }
            plan.permissions = permissions;
            plan
        });
        let (info, client) = self.crates_with_readme(&plan)?;
        let value = timed(&mut timings, stage, || emit(&plan, &info, client.as_ref()))?;
        let report = Report {
            warnings,
            overrides,
            counts: (selection.types.len(), selection.operations.len()),
            timings,
        };
        Ok((value, report))
    }
}

#[cfg(test)]
mod tests {
    use super::{check_crate_name, default_crate_name};
    use super::{emit, plan, ClientInfo, Generator};

    /// A service whose docs take every form a doc line can: long, with escapes, a leading
    /// `/`, several lines, on types, properties, enum members, entity sets and actions.
    const DOCUMENTED: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:Reference Uri="https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Core.V1.xml">
    <edmx:Include Namespace="Org.OData.Core.V1" Alias="Core"/>
  </edmx:Reference>
  <edmx:DataServices>
    <Schema Namespace="Docs.Ns" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EnumType Name="color">
        <Member Name="red"><Annotation Term="Core.Description" String="/ Red, with a leading slash."/></Member>
        <Member Name="blue"/>
      </EnumType>
      <ComplexType Name="address">
        <Annotation Term="Core.Description" String="A postal address &quot;quoted&quot;, with a \ and &#233; and a line long enough to pass the printer's margin of one hundred columns by far."/>
        <Property Name="street" Type="Edm.String">
          <Annotation Term="Core.LongDescription" String="First line.&#10;/ Second line, with a slash.&#10;&#10;Third, after a blank one."/>
        </Property>
      </ComplexType>
      <EntityType Name="thing">
        <Annotation Term="Core.Description" String="A thing   "/>
        <Key><PropertyRef Name="id"/></Key>
        <Property Name="id" Type="Edm.String" Nullable="false"/>
        <Property Name="color" Type="Docs.Ns.color"/>
        <Property Name="address" Type="Docs.Ns.address"/>
      </EntityType>
      <Action Name="paint" IsBound="true">
        <Annotation Term="Core.Description" String="Paints the thing."/>
        <Parameter Name="thing" Type="Docs.Ns.thing"/>
        <Parameter Name="color" Type="Docs.Ns.color"/>
      </Action>
      <EntityContainer Name="Service">
        <EntitySet Name="things" EntityType="Docs.Ns.thing">
          <Annotation Term="Core.Description" String="Every thing."/>
        </EntitySet>
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;

    /// The single-file output defers its doc lines (`emit::doc_lines`); its text is the
    /// one the lines' literals print.
    #[test]
    fn the_single_file_prints_deferred_doc_lines_as_their_literals() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let input = dir.path().join("docs.xml");
        std::fs::write(&input, DOCUMENTED).expect("writes the input");
        let generator = Generator::new(&input).client(ClientInfo::new("https://example.com/odata"));
        let deferred = generator.generate_module().expect("generates");
        let selected = generator.front().expect("reads");
        let plan = plan::Plan::new(&selected.model, &selected.selection);
        let (info, client) = generator.crates(&plan).expect("names the crates");
        let literal = emit::single_file_text(&plan, &info, client.as_ref()).expect("emits");
        assert_eq!(deferred, literal);
        for line in [
            "/// A thing\n",
            "by far.\n",
            "/// / Red, with a leading slash.\n",
            "/// / Second line, with a slash.\n",
            "/// Paints the thing.\n",
        ] {
            assert!(deferred.contains(line), "{line:?} in {deferred}");
        }
        assert!(!deferred.contains('\t'));
    }

    #[test]
    fn default_crate_names_follow_the_metadata_and_are_valid() {
        for (graph, namespace, name) in [
            (true, "microsoft.graph", "graph-models"),
            (false, "Contoso.Sales", "contoso-sales-models"),
            (false, "SAP__core.SalesOrder", "sap-core-sales-order-models"),
            (false, "Trippin", "trippin-models"),
            (false, "9Lives.Ns", "odata-9lives-ns-models"),
            (false, "Ünïcode.Ns", "n-code-ns-models"),
            (false, "", "odata-models"),
        ] {
            let made = default_crate_name(graph, namespace);
            assert_eq!(made, name, "{namespace}");
            check_crate_name(&made).unwrap_or_else(|e| panic!("{namespace}: {e}"));
        }
        let long = default_crate_name(false, &"Segment.".repeat(20));
        assert!(long.len() <= 64 && long.ends_with("-models"), "{long}");
        check_crate_name(&long).unwrap();
    }
}

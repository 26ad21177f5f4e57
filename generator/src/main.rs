//! The `csdl-codegen` command line: a thin layer over the library.
//!
//! Exit status: 0 on success, 1 on any error (rendered with the source line and a caret by
//! [`csdl_codegen::diagnostics`]), 2 on a usage error (clap's). Status messages go to stderr,
//! `inspect`'s report to stdout.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Args, Parser, Subcommand};

use csdl_codegen::{
    diagnostics, extract, write, Dependency, Error, ErrorKind, Generator, Root, WriteMode,
};

/// Generation allocates and frees many small strings and token trees; mimalloc handles that
/// faster than the system allocator (measured in BENCHMARKS.md). Blocks of a mebibyte and
/// more (the input's text, the XML tree's node and attribute tables) go to the system
/// allocator instead: on Linux glibc maps such a block on its own and grows it in place
/// (`mremap`), where mimalloc allocates anew and copies, and the node table grows twice
/// while the input is parsed (BENCHMARKS.md, "Generation from roots reads what it reaches").
#[global_allocator]
static ALLOCATOR: SplitAllocator = SplitAllocator;

/// [`ALLOCATOR`]: which allocator owns a block follows from its size alone, which every
/// call of [`GlobalAlloc`] passes.
struct SplitAllocator;

/// The smallest block the system allocator holds.
const LARGE_BLOCK: usize = 1 << 20;

// SAFETY: each block is allocated, grown and freed by the allocator its size selects
// (`size >= LARGE_BLOCK`); `GlobalAlloc` passes the size a block was allocated or last
// reallocated with to `dealloc` and `realloc`, so the same allocator frees it. A block
// that crosses the threshold is moved: allocated in the other allocator, copied, freed.
unsafe impl GlobalAlloc for SplitAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.size() >= LARGE_BLOCK {
            unsafe { System.alloc(layout) }
        } else {
            unsafe { mimalloc::MiMalloc.alloc(layout) }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if layout.size() >= LARGE_BLOCK {
            unsafe { System.alloc_zeroed(layout) }
        } else {
            unsafe { mimalloc::MiMalloc.alloc_zeroed(layout) }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if layout.size() >= LARGE_BLOCK {
            unsafe { System.dealloc(ptr, layout) }
        } else {
            unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        match (layout.size() >= LARGE_BLOCK, new_size >= LARGE_BLOCK) {
            (true, true) => unsafe { System.realloc(ptr, layout, new_size) },
            (false, false) => unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) },
            _ => {
                // The caller guarantees `new_size`, rounded up to the alignment, fits.
                let new_layout =
                    unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
                let moved = unsafe { self.alloc(new_layout) };
                if !moved.is_null() {
                    unsafe {
                        std::ptr::copy_nonoverlapping(ptr, moved, layout.size().min(new_size));
                        self.dealloc(ptr, layout);
                    }
                }
                moved
            }
        }
    }
}

/// `mi_option_purge_delay` in mimalloc.h (the same index in mimalloc v2 and v3; the Rust
/// bindings do not name it): how many milliseconds freed memory stays resident before it
/// is returned to the system (10 by default).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// How long freed memory stays resident, in milliseconds: [`MI_OPTION_PURGE_DELAY`].
///
/// Generation frees the syntax tree once the model is built, and the tokens, syntax tree
/// and text of each item as soon as it is written. Returning that memory soon keeps the
/// peak resident set of `--all` on Graph v1.0 about a quarter lower than mimalloc's default
/// of 10 ms does (45 to 31 MiB, measured with 0 ms). Returning it at once (0) costs a
/// `madvise`, with its TLB flushes on every core, for each page freed, and a page fault
/// when the page is used again: a millisecond lets the frees of one item go back together,
/// for about 10% less time on `--all` (the same peak, 35 MiB) and 2 ms less on the
/// synchronization roots, with the peak of `--all --client-out` 0.5-1 MB higher (2-3 ms
/// raised it by up to 2 MB; BENCHMARKS.md, "Issue 25 in the tenth session").
const PURGE_DELAY_MS: std::os::raw::c_long = 1;

/// Sets [`PURGE_DELAY_MS`].
fn return_freed_memory_soon() {
    // SAFETY: `mi_option_set` stores a value in mimalloc's option table and reads nothing
    // through pointers; the option index is one mimalloc declares, and purging is read by
    // each later purge, so setting it after allocation has begun is allowed.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) }
}

const EXAMPLES: &str = "\
Examples:
  # What the synchronization roots reach (types, operations, URL paths):
  csdl-codegen inspect graph-v1.0.csdl.xml

  # Generate the models crate for them:
  csdl-codegen generate --input graph-v1.0.csdl.xml --out models --crate-name my-models

  # Any other area of Graph, with warnings, overrides applied and stage timings:
  csdl-codegen -v generate --input graph-v1.0.csdl.xml --out users --root 'users/{id}'

  # Pin the subset of the metadata that the roots reach:
  csdl-codegen extract --input graph-v1.0.csdl.xml --out graph-v1.0.sync.csdl.xml";

const GENERATE_EXAMPLES: &str = "\
Examples:
  # The Graph synchronization roots (the default):
  csdl-codegen generate --input graph-v1.0.csdl.xml --out models --crate-name my-models

  # Another area of Graph; a root is a path or a qualified type name:
  csdl-codegen generate --input graph-v1.0.csdl.xml --out users --root 'users/{id}'
  csdl-codegen generate --input graph-v1.0.csdl.xml --out jobs \\
      --root microsoft.graph.synchronizationJob

  # Everything in the document, with the override file applied:
  csdl-codegen generate --input graph-v1.0.csdl.xml --out all --all \\
      --overrides generator/overrides/graph.toml

  # Show warnings, the override report and stage timings:
  csdl-codegen generate --verbose --input graph-v1.0.csdl.xml --out models

On an error, --out is left exactly as it was. An existing --out (or --client-out) is
replaced only when it holds nothing but an earlier output of csdl-codegen; --force
replaces it whatever it holds, --check compares without writing.";

const EXTRACT_EXAMPLES: &str = "\
Examples:
  # The subset the Graph synchronization roots reach (the default):
  csdl-codegen extract --input graph-v1.0.csdl.xml --out specs/graph-v1.0.sync.csdl.xml

  # The subset for another root:
  csdl-codegen extract --input graph-v1.0.csdl.xml --out users.csdl.xml --root 'users/{id}'";

const INSPECT_EXAMPLES: &str = "\
Examples:
  # What the Graph synchronization roots (the default) reach:
  csdl-codegen inspect graph-v1.0.csdl.xml

  # Try other roots before generating:
  csdl-codegen inspect graph-v1.0.csdl.xml --root 'users/{id}' --root 'groups/{id}'
  csdl-codegen inspect graph-v1.0.csdl.xml --root microsoft.graph.synchronizationJob

  # With the override file applied, and its report and the timings on stderr:
  csdl-codegen inspect -v graph-beta.csdl.xml --overrides generator/overrides/graph.toml

  # The permissions of each request, as the generated docs name them:
  csdl-codegen inspect graph-v1.0.csdl.xml --root 'users/{id}' --permissions specs/graph.permissions.tsv

  # Every URL path (the first 500 are listed by default):
  csdl-codegen inspect graph-v1.0.csdl.xml --root 'users/{id}' --max-urls 0 > users.txt

The report lists counts, the selected types by kind, the selected operations with their
binding, the path roots, vocabulary terms, and the URL of each request builder a generated
client has, with its operations (`-` marks a segment the client only navigates through;
`+N other paths` counts the other links that reach the same builder). With --permissions,
each request is followed by the permissions the client's docs name for it.";

#[derive(Parser)]
#[command(
    name = "csdl-codegen",
    version,
    about = "Generate Rust crates from OData CSDL metadata",
    long_about = "Generate Rust crates (typed serde models) from OData v4 CSDL metadata such as \
                  Microsoft Graph's, inspect what a set of roots selects, or extract the subset \
                  of a metadata file that the roots reach.",
    after_help = EXAMPLES,
    // Never wrap: help reads the same in every build (clap's `wrap_help` feature can be
    // switched on by another crate of the workspace) and every terminal.
    term_width = 0
)]
struct Cli {
    /// Print nothing on success.
    ///
    /// Errors still go to stderr, and `inspect` still prints its report on stdout.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print warnings, the override report and stage timings (on stderr).
    #[arg(short, long, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

/// What to select: roots or everything, and the override file applied before selection.
#[derive(Args)]
struct Selecting {
    /// A root: a qualified type name or a path (repeatable).
    ///
    /// For example `microsoft.graph.synchronizationJob` or
    /// `servicePrincipals/{id}/synchronization`. Default: the Graph synchronization roots for
    /// Microsoft Graph metadata, everything (as --all) for other metadata.
    #[arg(long = "root", value_name = "ROOT")]
    roots: Vec<String>,
    /// Select every type and operation of the document.
    #[arg(long, conflicts_with = "roots")]
    all: bool,
    /// Override file (TOML) applied before selection, after the built-in Graph fixes.
    #[arg(long, value_name = "FILE")]
    overrides: Option<PathBuf>,
    /// Documentation overlay (TOML): descriptions, success statuses and permissions keyed by
    /// CSDL target (`ns.Type/property`, `ns.action(ns.Binding)`), merged as if the metadata
    /// carried them. `inspect` reports what is documented.
    #[arg(long, value_name = "FILE")]
    docs: Option<PathBuf>,
    /// Permissions table (tab-separated: method, path, scheme, permission; one fact a
    /// line): each request method's docs name the permissions that grant it, narrowest
    /// first (`inspect` lists them under each URL).
    #[arg(long, value_name = "FILE")]
    permissions: Option<PathBuf>,
    /// Do not apply the generator's built-in fixes of Microsoft Graph's metadata (applied by
    /// default when the input declares `microsoft.graph`; `-v` lists them).
    #[arg(long)]
    no_graph_fixes: bool,
    /// A folder holding documents the input references (`edmx:Reference`), found by the
    /// reference's file name or as `<namespace>.xml` (repeatable).
    ///
    /// References are also looked for relative to the input file; the standard OASIS
    /// vocabularies (Core, Capabilities, ...) are built in. A reference found nowhere is a
    /// warning, and what uses its types is typed as untyped JSON.
    #[arg(long = "reference-dir", value_name = "DIR")]
    reference_dirs: Vec<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a models crate.
    #[command(after_help = GENERATE_EXAMPLES)]
    Generate {
        /// The CSDL (EDMX) file.
        #[arg(long, value_name = "CSDL")]
        input: PathBuf,
        /// The crate directory to create or replace.
        ///
        /// An existing directory is replaced only when it is empty or holds nothing but an
        /// earlier output of csdl-codegen (the files its `.csdl-codegen.toml` lists);
        /// otherwise nothing is written (see --force).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Also write a client crate (request builders) into this directory; it depends on
        /// the models crate by path.
        #[arg(long, value_name = "DIR")]
        client_out: Option<PathBuf>,
        /// The client's default service root (users can still set another at run time).
        ///
        /// Default for Microsoft Graph metadata: `https://graph.microsoft.com/v1.0`. Required
        /// with --client-out for any other service: metadata does not say where its service
        /// is.
        #[arg(long, value_name = "URL", requires = "client_out")]
        base_url: Option<String>,
        /// The client's entry type (default: the primary namespace's last segment with
        /// `Client`, such as `GraphClient` for `microsoft.graph`).
        #[arg(long, value_name = "IDENT", requires = "client_out")]
        client_name: Option<String>,
        /// Depend on `graph-odata-runtime` by path (a checkout of this repository's
        /// `runtime/`) instead of by version from crates.io.
        #[arg(long, value_name = "DIR")]
        runtime_path: Option<PathBuf>,
        #[command(flatten)]
        selecting: Selecting,
        /// Cargo package name of the generated crate.
        ///
        /// Default: `graph-models` for Microsoft Graph metadata; for other metadata the
        /// primary namespace in kebab case with `-models` (`Contoso.Sales` gives
        /// `contoso-sales-models`).
        #[arg(long, value_name = "NAME")]
        crate_name: Option<String>,
        /// Cargo package name of the client crate (default: the models crate's name with
        /// `-client`).
        #[arg(long, value_name = "NAME")]
        client_crate_name: Option<String>,
        /// The `license` (SPDX expression) written into the generated manifests; none by
        /// default.
        #[arg(long, value_name = "SPDX")]
        license: Option<String>,
        /// One Cargo feature per entity set or singleton (and `full`) in both crates, so a
        /// user compiles only the areas they enable.
        #[arg(long)]
        area_features: bool,
        /// Split the models crate into part crates (under `parts/` of --out), at most N of
        /// them side by side in each layer, so cargo checks them in parallel and no rustc
        /// holds all the models: for large metadata, N the cores its users build on.
        #[arg(long, value_name = "N")]
        split_models: Option<std::num::NonZeroUsize>,
        /// Replace --out and --client-out even when they hold files that csdl-codegen did
        /// not write; those files are deleted.
        #[arg(long, conflicts_with = "check")]
        force: bool,
        /// Write nothing: compare what would be generated with --out (and --client-out) and
        /// exit with status 1 when they differ.
        #[arg(long)]
        check: bool,
    },
    /// Print what a selection reaches: types, operations, path roots and URL paths.
    #[command(after_help = INSPECT_EXAMPLES)]
    Inspect {
        /// The CSDL (EDMX) file.
        #[arg(value_name = "CSDL")]
        input: PathBuf,
        #[command(flatten)]
        selecting: Selecting,
        /// List at most N URL paths (0: all of them).
        #[arg(long, value_name = "N", default_value_t = 500)]
        max_urls: usize,
    },
    /// Write the subset of a CSDL file that the roots reach, without prose.
    #[command(after_help = EXTRACT_EXAMPLES)]
    Extract {
        /// The full CSDL (EDMX) file.
        #[arg(long, value_name = "CSDL")]
        input: PathBuf,
        /// The subset file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// A root, as for `generate` (repeatable; default: the Graph synchronization roots).
        #[arg(long = "root", value_name = "ROOT")]
        roots: Vec<String>,
    },
}

/// How much to print on stderr.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

fn print_timings(timings: &[(&'static str, Duration)], start: Instant) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    for (name, d) in timings {
        eprintln!("timing: {name:<9} {:>10.1} ms", ms(*d));
    }
    eprintln!("timing: {:<9} {:>10.1} ms", "total", ms(start.elapsed()));
}

fn main() -> ExitCode {
    return_freed_memory_soon();
    let cli = Cli::parse();
    let verbosity = match (cli.quiet, cli.verbose) {
        (true, _) => Verbosity::Quiet,
        (_, true) => Verbosity::Verbose,
        _ => Verbosity::Normal,
    };
    // A panic is a bug, but it still exits with 1 like every other error (not 101).
    let result = std::panic::catch_unwind(|| run(cli.command, verbosity)).unwrap_or_else(|_| {
        Err(Error::new(
            ErrorKind::Internal,
            "internal error: csdl-codegen panicked (see the message above); please report it",
        ))
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprint!("{}", diagnostics::render(&e, diagnostics::stderr_color()));
            ExitCode::from(1)
        }
    }
}

fn parse_roots(roots: &[String]) -> Vec<Root> {
    if roots.is_empty() {
        Root::synchronization()
    } else {
        roots.iter().map(|r| Root::parse(r)).collect()
    }
}

/// The library's generator for the shared selection options.
fn generator(input: &Path, s: &Selecting) -> Generator {
    let mut g = Generator::new(input)
        .all(s.all)
        .graph_fixes(!s.no_graph_fixes);
    if !s.roots.is_empty() {
        g = g.roots(parse_roots(&s.roots));
    }
    if let Some(o) = &s.overrides {
        g = g.overrides(o);
    }
    if let Some(d) = &s.docs {
        g = g.docs(d);
    }
    if let Some(p) = &s.permissions {
        g = g.permissions(p);
    }
    for dir in &s.reference_dirs {
        g = g.reference_dir(dir);
    }
    g
}

/// `to` as seen from the directory `from` (for path dependencies), absolute when the two
/// share nothing.
fn relative(from: &Path, to: &Path) -> String {
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (from, to) = (abs(from), abs(to));
    let common = from
        .components()
        .zip(to.components())
        .take_while(|(a, b)| a == b)
        .count();
    if common == 0 {
        return to.display().to_string();
    }
    let ups = from.components().count() - common;
    let mut parts: Vec<String> = vec!["..".to_string(); ups];
    parts.extend(
        to.components()
            .skip(common)
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// Prints warnings and the override report when verbose; otherwise returns how many
/// warnings there are, as a note (empty when there are none).
fn report_notes(
    warnings: &[csdl_codegen::Warning],
    overrides: &[String],
    verbosity: Verbosity,
) -> String {
    if verbosity == Verbosity::Verbose {
        for w in warnings {
            eprintln!("warning: {w}");
        }
        for o in overrides {
            eprintln!("override: {o}");
        }
        return String::new();
    }
    match warnings.len() {
        0 => String::new(),
        1 => "1 warning: rerun with --verbose to see it".into(),
        n => format!("{n} warnings: rerun with --verbose to see them"),
    }
}

fn run(command: Command, verbosity: Verbosity) -> csdl_codegen::Result<()> {
    let start = Instant::now();
    match command {
        Command::Generate {
            input,
            out,
            client_out,
            base_url,
            client_name,
            runtime_path,
            selecting,
            crate_name,
            client_crate_name,
            license,
            area_features,
            split_models,
            force,
            check,
        } => {
            let mode = if force {
                WriteMode::Force
            } else {
                WriteMode::OwnOutputOnly
            };
            let dirs: Vec<&Path> = std::iter::once(out.as_path())
                .chain(client_out.as_deref())
                .collect();
            let mut g = generator(&input, &selecting)
                .area_features(area_features)
                .command(regenerate_command());
            if let Some(n) = split_models {
                g = g.split_models(n);
            }
            if let Some(name) = &crate_name {
                g = g.crate_name(name);
            }
            if let Some(license) = &license {
                g = g.license(license);
            }
            // The runtime: by version, or by path relative to each crate.
            let runtime = |crate_dir: &Path| match &runtime_path {
                Some(p) => Dependency::path(relative(crate_dir, p)),
                None => Dependency::version(env!("CARGO_PKG_VERSION")),
            };
            g = g.runtime(runtime(&out));
            if let Some(client_dir) = &client_out {
                // Empty: the library's default, the models crate's name with `-client`.
                let client_crate_name = client_crate_name.clone().unwrap_or_default();
                // An empty base URL: the library's default for Graph, an error for other
                // services.
                let mut client = csdl_codegen::ClientInfo::new(base_url.unwrap_or_default())
                    .crate_name(client_crate_name)
                    .models(Dependency::path(relative(client_dir, &out)))
                    .runtime(runtime(client_dir));
                if let Some(name) = client_name {
                    client = client.client_name(name);
                }
                g = g.client(client);
            }
            if check {
                let output = g.generate()?;
                let mut stale = write::diff_tree(&out, &output.models);
                if let Some(client_dir) = &client_out {
                    stale.extend(write::diff_tree(client_dir, &output.client));
                }
                if stale.is_empty() {
                    if verbosity != Verbosity::Quiet {
                        eprintln!("up to date: {}", dirs_list(&dirs));
                    }
                    return Ok(());
                }
                return Err(Error::new(
                    ErrorKind::Config,
                    format!(
                        "the generated output differs from {} (rerun without --check to \
                         update it):\n  {}",
                        dirs_list(&dirs),
                        stale.join("\n  ")
                    ),
                ));
            }
            // Each file goes to disk as soon as it is formatted.
            let report = g.generate_into(&out, client_out.as_deref(), mode)?;
            if runtime_path.is_none() && verbosity != Verbosity::Quiet {
                eprintln!(
                    "note: the generated crates depend on graph-odata-runtime {} from crates.io; \
                     until it is published there, pass --runtime-path <checkout>/runtime",
                    env!("CARGO_PKG_VERSION")
                );
            }
            let notes = report_notes(&report.warnings, &report.overrides, verbosity);
            if verbosity == Verbosity::Verbose {
                print_timings(&report.timings, start);
            }
            if verbosity != Verbosity::Quiet {
                let notes = if notes.is_empty() {
                    notes
                } else {
                    format!(" ({notes})")
                };
                eprintln!(
                    "generated {} types and {} operations into {}{notes}",
                    report.counts.0,
                    report.counts.1,
                    out.display()
                );
            }
            Ok(())
        }
        Command::Inspect {
            input,
            selecting,
            max_urls,
        } => {
            let inspection = generator(&input, &selecting).inspect()?;
            let max_urls = (max_urls > 0).then_some(max_urls);
            let report = &inspection.report;
            let (text, urls) = (report.render(max_urls), report.urls.len());
            let notes = report_notes(&inspection.warnings, &inspection.overrides, verbosity);
            if verbosity == Verbosity::Verbose {
                print_timings(&inspection.timings, start);
            }
            if verbosity != Verbosity::Quiet {
                if !notes.is_empty() {
                    eprintln!("note: {notes}");
                }
                if let Some(max) = max_urls.filter(|m| *m < urls) {
                    eprintln!(
                        "note: {} of {urls} URL paths listed: --max-urls 0 lists them all",
                        max
                    );
                }
            }
            print_stdout(&text)
        }
        Command::Extract { input, out, roots } => {
            let extract_start = Instant::now();
            let (types, ops) = extract::extract_file(&input, &out, &parse_roots(&roots))?;
            if verbosity == Verbosity::Verbose {
                print_timings(&[("extract", extract_start.elapsed())], start);
            }
            if verbosity != Verbosity::Quiet {
                eprintln!(
                    "kept {types} types and {ops} operations in {}",
                    out.display()
                );
            }
            Ok(())
        }
    }
}

/// The command line that regenerates the output, for the headers of generated files: the
/// arguments as given (without flags that do not change the output), with absolute paths
/// made relative to the current directory (or
/// shortened to their file name), so no local path ends up in the files.
fn regenerate_command() -> String {
    let cwd = std::env::current_dir().ok();
    let mut parts = vec!["csdl-codegen".to_string()];
    for arg in std::env::args().skip(1) {
        // Flags that do not change the output are not part of it: `--check` must compare
        // equal with what a plain run wrote.
        if matches!(
            arg.as_str(),
            "--check" | "--force" | "-q" | "--quiet" | "-v" | "--verbose"
        ) {
            continue;
        }
        let path = Path::new(&arg);
        let shown = if path.is_absolute() {
            cwd.as_deref()
                .and_then(|c| path.strip_prefix(c).ok())
                .map(|p| p.display().to_string())
                .or_else(|| path.file_name().map(|n| n.to_string_lossy().into_owned()))
                .unwrap_or(arg)
        } else {
            arg
        };
        let quoted = if shown.is_empty()
            || shown.contains(|c: char| c.is_whitespace() || "'\"$`\\{}*?".contains(c))
        {
            format!("'{}'", shown.replace('\'', "'\\''"))
        } else {
            shown
        };
        parts.push(quoted);
    }
    parts.join(" ")
}

/// `a`, `a and b` for messages.
fn dirs_list(dirs: &[&Path]) -> String {
    let names: Vec<String> = dirs.iter().map(|d| format!("`{}`", d.display())).collect();
    names.join(" and ")
}

/// Writes to stdout; a closed pipe (`| head`) is not an error.
fn print_stdout(text: &str) -> csdl_codegen::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::new(
            ErrorKind::Io,
            format!("cannot write to stdout: {e}"),
        )),
        _ => Ok(()),
    }
}

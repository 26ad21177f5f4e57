//! Stage 6: write files.
//!
//! The generator owns only what it wrote. Every output directory gets a manifest,
//! [`MANIFEST`], that lists the files of the run; a later run replaces the directory only
//! when it does not exist, is empty, or holds nothing but the files its manifest lists.
//! Anything else (a user's notes, a cargo project, a `.git` directory, a file added next to
//! generated ones) stops the run with an error listing those files, unless the caller forces
//! it ([`WriteMode::Force`]).
//!
//! All directories of one run (models and client) are written into temporary siblings first
//! and swapped in together after every file was written: both or neither. A failure before
//! the swap leaves every output as it was. The swap itself is two renames per directory;
//! between them the directory briefly does not exist, and a process killed there leaves the
//! previous tree in a `.<name>.old-*` sibling.

use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, ErrorKind, Result};
use crate::settings::toml_str;

mod pieces;

/// The name of the manifest written into every output directory.
pub const MANIFEST: &str = ".csdl-codegen.toml";

/// How many foreign files an ownership error lists by name.
const LISTED_FOREIGN_FILES: usize = 5;

/// One generated file, with a `/`-separated path relative to the output directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output directory, `/`-separated.
    pub path: String,
    /// The whole text of the file.
    pub contents: String,
}

impl OutputFile {
    /// A new file.
    pub fn new(path: impl Into<String>, contents: impl Into<String>) -> Self {
        OutputFile {
            path: path.into(),
            contents: contents.into(),
        }
    }
}

/// Whether an existing directory that holds files the generator did not write may be
/// replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum WriteMode {
    /// Replace a directory only when it is empty or holds only the generator's own output
    /// (the files its manifest lists). The default.
    #[default]
    OwnOutputOnly,
    /// Replace the directory whatever it holds (the CLI's `--force`).
    Force,
}

/// One output directory and the files that make it up.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// The directory, as the user named it (errors show it this way).
    pub dir: &'a Path,
    /// Its files, without the manifest (it is added).
    pub files: &'a [OutputFile],
}

/// Where a file's text goes while it is produced: a string in memory, or the file itself.
pub(crate) trait TextSink {
    /// Appends `text`.
    fn push(&mut self, text: &str) -> Result<()>;
}

impl TextSink for String {
    fn push(&mut self, text: &str) -> Result<()> {
        self.push_str(text);
        Ok(())
    }
}

/// Produces the text of one file into a sink; files are produced on several threads
/// ([`pieces::produce_files`]).
pub(crate) type Produce<'a> = Box<dyn FnOnce(&mut dyn TextSink) -> Result<()> + Send + 'a>;

/// A file whose text is produced while it is written, piece by piece: a multi-megabyte
/// module then never exists in memory as a whole, only the part being formatted.
pub(crate) struct PendingFile<'a> {
    /// Path relative to the output directory, `/`-separated.
    pub path: String,
    produce: Produce<'a>,
    /// The text after `produce`'s, in pieces that threads produce at the same time
    /// ([`pieces::produce_files`]).
    rest: Vec<Produce<'a>>,
}

impl<'a> PendingFile<'a> {
    /// A file made by `produce`.
    pub fn new(
        path: impl Into<String>,
        produce: impl FnOnce(&mut dyn TextSink) -> Result<()> + Send + 'a,
    ) -> Self {
        PendingFile {
            path: path.into(),
            produce: Box::new(produce),
            rest: Vec::new(),
        }
    }

    /// A file whose text is that of `first`, then of each of `rest` in order. The pieces
    /// may be produced on several threads at once, each into memory, and are written in
    /// order: for a large file, whose pieces would otherwise be produced one after the
    /// other while the other threads have nothing left to do.
    pub fn in_pieces(path: impl Into<String>, first: Produce<'a>, rest: Vec<Produce<'a>>) -> Self {
        PendingFile {
            path: path.into(),
            produce: first,
            rest,
        }
    }

    /// A file whose text is already known.
    pub fn ready(file: OutputFile) -> Self {
        let OutputFile { path, contents } = file;
        PendingFile::new(path, move |sink| sink.push(&contents))
    }

    /// Every file with its whole text, in memory and in order, produced in parallel.
    pub fn all_into_output(files: Vec<PendingFile<'a>>) -> Result<Vec<OutputFile>> {
        let done = std::sync::Mutex::new(Vec::with_capacity(files.len()));
        let paths: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
        pieces::produce_files(
            files,
            |_| Ok(String::new()),
            |i, contents| {
                done.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push((i, contents));
                Ok(())
            },
            || (),
        )?;
        let mut done = done.into_inner().unwrap_or_else(|e| e.into_inner());
        done.sort_by_key(|(i, _)| *i);
        Ok(done
            .into_iter()
            .map(|(i, contents)| OutputFile {
                path: paths[i].clone(),
                contents,
            })
            .collect())
    }
}

/// How many threads can run at once (`available_parallelism`), asked once: on Linux each
/// answer reads three files of `/proc` and `/sys` (the cgroup's CPU quota).
pub(crate) fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Runs `here` on this thread while `there` runs on another, and returns both results.
/// When no thread starts, `there` runs here after `here`; a panic in `there` is resumed
/// here. For two halves of one piece of work whose results are joined in order.
pub(crate) fn on_two_threads<A, B: Send>(
    here: impl FnOnce() -> A,
    there: impl Fn() -> B + Sync,
) -> (A, B) {
    std::thread::scope(|scope| {
        let other = std::thread::Builder::new().spawn_scoped(scope, &there);
        let a = here();
        let b = match other {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => there(),
        };
        (a, b)
    })
}

/// [`each_in_parallel_then`] with nothing to run after the items.
#[cfg(test)]
pub(crate) fn each_in_parallel<T: Send>(
    items: Vec<T>,
    work: impl Fn(T) -> Result<()> + Sync,
) -> Result<()> {
    each_in_parallel_then(items, work, || ())
}

/// Runs `work` on every item on a pool of threads (as many as the machine has cores, at
/// most four) that take the next item as they finish one, so the cores stay busy until the
/// last item and each thread's caches (`emit::syntax` templates) last the whole run. Each
/// thread holds one item at a time. The error of the lowest item that failed is returned
/// (no new item starts after a failure); a panic is an internal error of that item.
/// `then` is run by the first thread that finds at most [`then_ahead`] items left (all of
/// them, with 16 items or fewer), so work that must wait for most of the items' memory to go
/// (the next output's plan) runs while the other threads finish the last items, not after
/// them. `then` runs even after a failure.
pub(crate) fn each_in_parallel_then<T: Send>(
    items: Vec<T>,
    work: impl Fn(T) -> Result<()> + Sync,
    then: impl FnOnce() + Send,
) -> Result<()> {
    let then = std::sync::Mutex::new(Some(then));
    // Whether this call ran `then` (it runs once).
    let run_then = || {
        let then = then.lock().unwrap_or_else(|e| e.into_inner()).take();
        then.map(|then| then()).is_some()
    };
    let threads = cores().clamp(1, 4).min(items.len());
    let ahead = then_ahead(threads);
    let queue = std::sync::Mutex::new(items.into_iter().enumerate());
    let failed: std::sync::Mutex<Option<(usize, Error)>> = std::sync::Mutex::new(None);
    let stop = std::sync::atomic::AtomicBool::new(false);
    let worker = || loop {
        if stop.load(std::sync::atomic::Ordering::Relaxed) {
            break;
        }
        let left = queue.lock().unwrap_or_else(|e| e.into_inner()).len();
        if left <= ahead && run_then() {
            // An item may have failed while `then` ran: look again before taking one.
            continue;
        }
        let next = queue.lock().unwrap_or_else(|e| e.into_inner()).next();
        let Some((i, item)) = next else {
            break;
        };
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(item)))
            .unwrap_or_else(|_| {
                Err(Error::new(
                    ErrorKind::Internal,
                    "internal error: producing a generated file panicked",
                ))
            });
        if let Err(e) = result {
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
            let mut failed = failed.lock().unwrap_or_else(|e| e.into_inner());
            if failed.as_ref().is_none_or(|(first, _)| i < *first) {
                *failed = Some((i, e));
            }
        }
    };
    std::thread::scope(|scope| {
        let mut started = 0;
        for _ in 0..threads {
            // An explicit stack: RUST_MIN_STACK must not decide whether syn's recursion
            // fits.
            if std::thread::Builder::new()
                .stack_size(16 << 20)
                .spawn_scoped(scope, worker)
                .is_ok()
            {
                started += 1;
            }
        }
        // No thread could be started: the items are produced here.
        if started == 0 {
            worker();
        }
    });
    // After a failure the threads stop before the queue is empty.
    if let Some(then) = then.into_inner().unwrap_or_else(|e| e.into_inner()) {
        then();
    }
    match failed.into_inner().unwrap_or_else(|e| e.into_inner()) {
        Some((_, e)) => Err(e),
        None => Ok(()),
    }
}

/// How many items may be left when `then` of [`each_in_parallel_then`] starts: with Graph
/// v1.0's models, the last 16 to 24 pieces and small files are about as much work as the
/// client plan that `then` makes (24 raised the peak memory by 2 MB).
const THEN_AHEAD: usize = 16;

/// [`THEN_AHEAD`] when other threads can write the last items while `then` runs; none on
/// one thread, where starting early would only keep `then`'s memory beside them.
fn then_ahead(threads: usize) -> usize {
    if threads > 1 {
        THEN_AHEAD
    } else {
        0
    }
}

/// Makes the files of a target when its turn to be written comes.
type MakeFiles<'a> = Box<dyn FnOnce() -> Result<Vec<PendingFile<'a>>> + Send + 'a>;

/// One output directory and its files, produced while they are written.
pub(crate) struct PendingTarget<'a> {
    /// The directory, as the user named it (errors show it this way).
    pub dir: &'a Path,
    /// Its files, without the manifest (it is added), made when the files of the target
    /// before it are nearly all taken (by the first pool thread that finds at most
    /// [`then_ahead`] left): what they need (a client plan) then exists beside the last files
    /// of that target only, and is made while the other threads write them. Making it while
    /// the models are written from the start raised the peak memory by 2 to 9 MiB
    /// (BENCHMARKS.md).
    pub files: MakeFiles<'a>,
}

impl<'a> PendingTarget<'a> {
    /// A target whose files `make` returns when it is staged.
    pub fn new(
        dir: &'a Path,
        make: impl FnOnce() -> Result<Vec<PendingFile<'a>>> + Send + 'a,
    ) -> Self {
        PendingTarget {
            dir,
            files: Box::new(make),
        }
    }
}

/// The manifest's text for `files`: a sorted TOML list of their paths.
pub fn manifest(files: &[OutputFile]) -> String {
    manifest_of(files.iter().map(|f| f.path.as_str()))
}

/// The manifest's text for the files at `paths`.
fn manifest_of<'p>(paths: impl Iterator<Item = &'p str>) -> String {
    let mut paths: Vec<&str> = paths.filter(|p| *p != MANIFEST).collect();
    paths.sort_unstable();
    paths.dedup();
    let mut text = String::from(
        "# Written by csdl-codegen: the files it generated in this directory. It replaces the\n\
         # directory only while it holds these files and nothing else; regenerate instead of\n\
         # editing them.\nfiles = [\n",
    );
    for p in paths {
        text.push_str("    ");
        text.push_str(&toml_str(p));
        text.push_str(",\n");
    }
    text.push_str("]\n");
    text
}

#[derive(serde::Deserialize)]
struct Manifest {
    files: Vec<String>,
}

/// Replaces `dir` with exactly `files` (plus the manifest), refusing a directory that holds
/// files the generator did not write.
pub fn write_tree(dir: &Path, files: &[OutputFile]) -> Result<()> {
    write_trees(&[Target { dir, files }], WriteMode::OwnOutputOnly)
}

/// Checks that the output directories `dirs` can be written without losing anything: no
/// output is a file or inside one, no two outputs overlap, and (unless forced) each
/// existing directory holds only the generator's own output. [`write_trees`] runs it
/// first; front ends call it before generating so that a mistake is reported at once.
pub fn check_targets(dirs: &[&Path], mode: WriteMode) -> Result<()> {
    for dir in dirs {
        check_not_a_file(dir)?;
    }
    for (i, a) in dirs.iter().enumerate() {
        for b in &dirs[i + 1..] {
            let (ra, rb) = (resolved(a), resolved(b));
            if ra.starts_with(&rb) || rb.starts_with(&ra) {
                return Err(Error::new(
                    ErrorKind::Config,
                    format!(
                        "the output directories `{}` and `{}` overlap: each crate needs a \
                         directory of its own, neither inside the other",
                        a.display(),
                        b.display()
                    ),
                ));
            }
        }
    }
    if mode == WriteMode::OwnOutputOnly {
        for dir in dirs {
            check_owned(dir)?;
        }
    }
    Ok(())
}

/// Writes every target, all or nothing: each is staged in a temporary sibling, and only when
/// all of them were written completely are they swapped in.
pub fn write_trees(targets: &[Target<'_>], mode: WriteMode) -> Result<()> {
    let pending = targets
        .iter()
        .map(|t| {
            PendingTarget::new(t.dir, move || {
                Ok(t.files
                    .iter()
                    .map(|f| PendingFile::new(f.path.clone(), |sink| sink.push(&f.contents)))
                    .collect())
            })
        })
        .collect();
    write_pending(pending, mode)
}

/// [`write_trees`] for files produced while they are written. Each file is produced once,
/// straight into its staged copy.
pub(crate) fn write_pending(targets: Vec<PendingTarget<'_>>, mode: WriteMode) -> Result<()> {
    let dirs: Vec<&Path> = targets.iter().map(|t| t.dir).collect();
    check_targets(&dirs, mode)?;
    let mut staged: Vec<(PathBuf, &Path)> = Vec::new();
    let mut result = Ok(());
    let mut targets = targets.into_iter();
    let mut current = targets.next().map(|t| (t.dir, (t.files)()));
    while let Some((dir, files)) = current {
        let next = targets.next();
        let made = std::sync::Mutex::new(None);
        let then = next.as_ref().map(|_| &made);
        let next_files = next.map(|t| (t.dir, t.files));
        let (next_dir, make_next) = match next_files {
            Some((d, f)) => (Some(d), Some(f)),
            None => (None, None),
        };
        let staging = files.and_then(|files| {
            stage(dir, files, move || {
                if let (Some(slot), Some(make)) = (then, make_next) {
                    *slot.lock().unwrap_or_else(|e| e.into_inner()) = Some(make());
                }
            })
        });
        match staging {
            Ok(staging) => staged.push((staging, dir)),
            Err(e) => {
                result = Err(e);
                break;
            }
        }
        current = next_dir.map(|d| {
            let made = made.into_inner().unwrap_or_else(|e| e.into_inner());
            (
                d,
                made.unwrap_or_else(|| {
                    Err(Error::new(
                        ErrorKind::Internal,
                        "internal error: making the files of an output panicked",
                    ))
                }),
            )
        });
    }
    if result.is_ok() {
        result = swap_all(&staged, mode);
    }
    for (staging, _) in &staged {
        if staging.exists() {
            let _ = fs::remove_dir_all(staging);
        }
    }
    result
}

/// A hidden sibling of `dir` that no other writer uses.
fn sibling(dir: &Path, tag: &str) -> Result<PathBuf> {
    let name = dir.file_name().ok_or_else(|| {
        Error::new(
            ErrorKind::Config,
            "the output directory needs a final path component",
        )
        .in_file(dir)
    })?;
    let parent = dir.parent().unwrap_or_else(|| Path::new("."));
    // Two writers in one process (tests) must not share a temporary directory.
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let c = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    Ok(parent.join(format!(
        ".{}.{tag}-{}-{c}",
        name.to_string_lossy(),
        std::process::id()
    )))
}

/// `dir` made absolute with `.` and `..` removed and symbolic links of the part that
/// exists resolved, so that two spellings of one directory compare equal.
fn resolved(dir: &Path) -> PathBuf {
    let abs = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let mut lexical = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                lexical.pop();
            }
            other => lexical.push(other),
        }
    }
    // Canonicalize the longest existing prefix, then add the rest back.
    let mut rest = Vec::new();
    let mut head = lexical.clone();
    loop {
        if let Ok(canon) = head.canonicalize() {
            let mut out = canon;
            out.extend(rest.iter().rev());
            return out;
        }
        match (head.file_name().map(|n| n.to_os_string()), head.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                head = parent.to_path_buf();
            }
            _ => return lexical,
        }
    }
}

/// The output must be a directory or not exist, and no path above it may be a file.
fn check_not_a_file(dir: &Path) -> Result<()> {
    // A symbolic link would be replaced by a directory, not written through.
    if fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(Error::new(
            ErrorKind::Config,
            "the output path is a symbolic link; name the directory it points to",
        )
        .in_file(dir));
    }
    let mut current = Some(dir);
    while let Some(p) = current {
        if p.as_os_str().is_empty() {
            break;
        }
        match fs::metadata(p) {
            Ok(m) if m.is_dir() => return Ok(()),
            Ok(_) if p == dir => {
                return Err(Error::new(
                    ErrorKind::Io,
                    "the output path is a file, not a directory; it is left as it is",
                )
                .in_file(dir))
            }
            Ok(_) => {
                return Err(Error::new(
                    ErrorKind::Io,
                    format!(
                        "`{}` is a file, so the output directory `{}` cannot be created in it",
                        p.display(),
                        dir.display()
                    ),
                )
                .in_file(p))
            }
            Err(_) => current = p.parent(),
        }
    }
    Ok(())
}

/// Every file below `dir` (symbolic links included, not followed), as sorted `/`-separated
/// relative paths. Directories are not listed: an empty one holds nothing to lose.
fn files_below(dir: &Path) -> Result<Vec<String>> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = fs::read_dir(&d).map_err(|e| Error::io(&d, &e))?;
        for entry in entries {
            let entry = entry.map_err(|e| Error::io(&d, &e))?;
            let path = entry.path();
            let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
            if is_dir {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(dir) {
                found.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found.sort();
    Ok(found)
}

/// An existing `dir` may be replaced when it holds no file, or only its manifest and files
/// that manifest lists.
fn check_owned(dir: &Path) -> Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    let present = files_below(dir)?;
    if present.is_empty() {
        return Ok(());
    }
    let listed: Vec<String> = fs::read_to_string(dir.join(MANIFEST))
        .ok()
        .and_then(|text| toml::from_str::<Manifest>(&text).ok())
        .map(|m| m.files)
        .unwrap_or_default();
    let has_manifest = present.iter().any(|p| p == MANIFEST) && !listed.is_empty();
    let foreign: Vec<&String> = present
        .iter()
        .filter(|p| !(has_manifest && (*p == MANIFEST || listed.contains(p))))
        .collect();
    if foreign.is_empty() {
        return Ok(());
    }
    // A top-level directory with nothing of the generator's in it is named once (`.git/`,
    // not each of its files); a foreign file among generated ones is named in full.
    let mut entries: Vec<String> = Vec::new();
    for p in &foreign {
        let entry = match p.split_once('/') {
            Some((first, _)) => {
                let dir = format!("{first}/");
                let shared = has_manifest && listed.iter().any(|l| l.starts_with(&dir));
                if shared {
                    p.to_string()
                } else {
                    dir
                }
            }
            None => p.to_string(),
        };
        if !entries.contains(&entry) {
            entries.push(entry);
        }
    }
    let mut names: Vec<String> = entries.iter().take(LISTED_FOREIGN_FILES).cloned().collect();
    if entries.len() > LISTED_FOREIGN_FILES {
        names.push(format!("and {} more", entries.len() - LISTED_FOREIGN_FILES));
    }
    let why = if has_manifest {
        format!("files that csdl-codegen did not write (its {MANIFEST} does not list them)")
    } else {
        format!("files and no {MANIFEST} that says csdl-codegen wrote them")
    };
    Err(Error::new(
        ErrorKind::Config,
        format!(
            "the output directory holds {why}: {}. Nothing was written. Choose another \
             directory, move those files away, or pass --force (in the library: WriteMode::Force) to replace \
             the directory with everything in it",
            names.join(", ")
        ),
    )
    .in_file(dir))
}

/// Writes the files of `target` into a new temporary sibling and returns its path. Errors
/// name the file as the user will see it (`dir/rel`), not the temporary directory.
/// `then` runs once nearly every file is taken ([`each_in_parallel_then`]).
fn stage(
    dir: &Path,
    mut files: Vec<PendingFile<'_>>,
    then: impl FnOnce() + Send,
) -> Result<PathBuf> {
    let staging = sibling(dir, "new")?;
    if let Some(parent) = staging.parent() {
        if !parent.as_os_str().is_empty() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, &e))?;
        }
    }
    let user_path = |rel: &Path| dir.join(rel);
    let manifest_text = manifest_of(files.iter().map(|f| f.path.as_str()));
    files.push(PendingFile::ready(OutputFile::new(MANIFEST, manifest_text)));
    // Not run when the staging directory cannot be made: nothing is written then.
    let mut then = Some(then);
    let result = (|| {
        fs::create_dir(&staging).map_err(|e| Error::io(dir, &e))?;
        for file in &files {
            let rel = Path::new(&file.path);
            if rel.is_absolute()
                || rel
                    .components()
                    .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
            {
                return Err(Error::new(
                    ErrorKind::Config,
                    "generated path escapes the output directory",
                )
                .named(&file.path));
            }
        }
        let then = then.take().expect("the files are written once");
        pieces::produce_files(
            files,
            |path: &str| {
                let rel = Path::new(path);
                let path = staging.join(rel);
                if let (Some(parent), Some(rel_parent)) = (path.parent(), rel.parent()) {
                    // Safe to race: another thread creating the same directory is no error.
                    fs::create_dir_all(parent)
                        .map_err(|e| Error::io(&user_path(rel_parent), &e))?;
                }
                let shown = user_path(rel);
                let handle = fs::File::create(&path).map_err(|e| Error::io(&shown, &e))?;
                Ok(FileSink {
                    out: std::io::BufWriter::with_capacity(1 << 16, handle),
                    shown,
                })
            },
            |_, mut sink: FileSink| sink.out.flush().map_err(|e| Error::io(&sink.shown, &e)),
            then,
        )
    })();
    match result {
        Ok(()) => Ok(staging),
        Err(e) => {
            let _ = fs::remove_dir_all(&staging);
            Err(e)
        }
    }
}

/// A file being written, named as the user will see it in errors.
struct FileSink {
    out: std::io::BufWriter<fs::File>,
    shown: PathBuf,
}

impl TextSink for FileSink {
    fn push(&mut self, text: &str) -> Result<()> {
        self.out
            .write_all(text.as_bytes())
            .map_err(|e| Error::io(&self.shown, &e))
    }
}

/// Swaps every staged directory in. If one swap fails, the ones already done are undone, so
/// every output keeps its previous tree.
fn swap_all(staged: &[(PathBuf, &Path)], mode: WriteMode) -> Result<()> {
    // (output directory, where its previous tree went)
    let mut done: Vec<(&Path, Option<PathBuf>, &Path)> = Vec::new();
    for (staging, dir) in staged {
        let dir = *dir;
        let old = if dir.exists() {
            let old = sibling(dir, "old")?;
            if let Err(e) = fs::rename(dir, &old) {
                undo(&done);
                return Err(Error::io(dir, &e));
            }
            // Checked again now that nobody can add to it: a file that appeared in the
            // directory since the first check (an editor's save, another run) is not the
            // generator's to delete.
            if mode == WriteMode::OwnOutputOnly {
                if let Err(mut e) = check_owned(&old) {
                    let _ = fs::rename(&old, dir);
                    undo(&done);
                    e.file = Some(dir.to_path_buf());
                    return Err(e);
                }
            }
            Some(old)
        } else {
            None
        };
        if let Err(e) = fs::rename(staging, dir) {
            if let Some(old) = &old {
                let _ = fs::rename(old, dir);
            }
            undo(&done);
            return Err(Error::io(dir, &e));
        }
        done.push((dir, old, staging));
    }
    for (_, old, _) in &done {
        if let Some(old) = old {
            fs::remove_dir_all(old).map_err(|e| Error::io(old, &e))?;
        }
    }
    Ok(())
}

/// Puts back the previous trees of swaps already done (the new trees go back to their
/// staging paths, which the caller removes).
fn undo(done: &[(&Path, Option<PathBuf>, &Path)]) {
    for (dir, old, staging) in done.iter().rev() {
        let _ = fs::rename(dir, staging);
        if let Some(old) = old {
            let _ = fs::rename(old, dir);
        }
    }
}

/// Compares `dir` with `files` and their manifest; returns one line per difference (empty
/// when up to date). Nothing is written.
pub fn diff_tree(dir: &Path, files: &[OutputFile]) -> Vec<String> {
    let mut problems = Vec::new();
    let manifest_file = OutputFile::new(MANIFEST, manifest(files));
    let mut expected: Vec<&str> = Vec::new();
    for file in files.iter().chain([&manifest_file]) {
        expected.push(&file.path);
        match fs::read_to_string(dir.join(&file.path)) {
            Ok(text) if text == file.contents => {}
            Ok(_) => problems.push(format!("changed: {}", dir.join(&file.path).display())),
            Err(_) => problems.push(format!("missing: {}", dir.join(&file.path).display())),
        }
    }
    for rel in files_below(dir).unwrap_or_default() {
        if !expected.contains(&rel.as_str()) {
            problems.push(format!("not generated: {}", dir.join(&rel).display()));
        }
    }
    problems.sort();
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Files produced on the pool come back whole and in their order.
    #[test]
    fn files_produced_in_parallel_keep_their_order() {
        let files: Vec<PendingFile> = (0..50)
            .map(|i| {
                PendingFile::new(format!("f{i}.rs"), move |sink| {
                    for _ in 0..i {
                        sink.push("x")?;
                    }
                    Ok(())
                })
            })
            .collect();
        let out = PendingFile::all_into_output(files).expect("produced");
        for (i, file) in out.iter().enumerate() {
            assert_eq!(file.path, format!("f{i}.rs"));
            assert_eq!(file.contents, "x".repeat(i));
        }
    }

    /// `then` runs once, when at most `then_ahead` items are left (beside the items other
    /// threads work on), and also after a failure. The last items wait for `then` to start
    /// (for at most five seconds each, so a `then` that comes too late fails the test instead
    /// of hanging it); one that comes too early fails it too.
    #[test]
    fn two_threads_return_both_results_and_a_panic_there_is_resumed_here() {
        let here_thread = std::thread::current().id();
        let (a, b) = on_two_threads(|| (1, std::thread::current().id()), || 2);
        assert_eq!((a, b), ((1, here_thread), 2));
        let panicked =
            std::panic::catch_unwind(|| on_two_threads(|| 1, || -> u8 { panic!("there") }));
        assert!(panicked.is_err());
    }

    #[test]
    fn then_runs_once_before_the_last_items() {
        use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
        const ITEMS: usize = 40;
        let threads = cores().clamp(1, 4);
        let ahead = then_ahead(threads);
        for fail in [None, Some(5)] {
            let taken = AtomicUsize::new(0);
            let runs = AtomicUsize::new(0);
            let seen = AtomicUsize::new(usize::MAX);
            let started = AtomicBool::new(false);
            let result = each_in_parallel_then(
                (0..ITEMS).collect(),
                |i: usize| {
                    taken.fetch_add(1, Ordering::SeqCst);
                    if Some(i) == fail {
                        return Err(Error::new(ErrorKind::Config, "fails"));
                    }
                    let waits_from = std::time::Instant::now();
                    while i >= ITEMS - ahead
                        && !started.load(Ordering::SeqCst)
                        && waits_from.elapsed() < std::time::Duration::from_secs(5)
                    {
                        std::thread::yield_now();
                    }
                    Ok(())
                },
                || {
                    seen.store(taken.load(Ordering::SeqCst), Ordering::SeqCst);
                    started.store(true, Ordering::SeqCst);
                    runs.fetch_add(1, Ordering::SeqCst);
                },
            );
            assert_eq!(result.is_err(), fail.is_some());
            assert_eq!(runs.load(Ordering::SeqCst), 1);
            if fail.is_none() {
                // Each other thread may have taken an item it has not counted yet, or be
                // waiting in one of the last items.
                let seen = seen.load(Ordering::SeqCst);
                let (low, high) = (ITEMS - ahead - (threads - 1), ITEMS - ahead + (threads - 1));
                assert!((low..=high).contains(&seen), "{seen} not in {low}..={high}");
            }
        }
    }

    /// The error of the lowest failing item is the one returned, and a panic is an
    /// internal error instead of a crash.
    #[test]
    fn the_first_failure_is_reported_and_a_panic_is_an_error() {
        let items: Vec<usize> = (0..40).collect();
        let err = each_in_parallel(items.clone(), |i| {
            if i == 3 || i == 30 {
                Err(Error::new(ErrorKind::Config, format!("item {i}")))
            } else {
                Ok(())
            }
        })
        .expect_err("fails");
        assert_eq!(err.message, "item 3");
        let err = each_in_parallel(items, |i| {
            assert_ne!(i, 7, "emitter bug");
            Ok(())
        })
        .expect_err("the panic is reported");
        assert_eq!(err.kind, ErrorKind::Internal);
    }
}

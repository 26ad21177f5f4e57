//! Stage 6: write files.
//!
//! A generated crate directory is owned by the generator: it is replaced as a whole, through
//! a temporary sibling directory that is renamed into place only after every file was
//! written. A failure (or an interrupted run) leaves the previous directory as it was.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorKind, Result};

/// One generated file, with a `/`-separated path relative to the output directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
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

fn sibling(dir: &Path, tag: &str) -> Result<PathBuf> {
    let name = dir.file_name().ok_or_else(|| {
        Error::new(
            ErrorKind::Config,
            "the output directory needs a final path component",
        )
        .in_file(dir)
    })?;
    let parent = dir.parent().unwrap_or_else(|| Path::new("."));
    let mut n = format!(".{}.{tag}-{}", name.to_string_lossy(), std::process::id());
    // Two writers in one process (tests) must not share a temporary directory.
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let c = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    n.push_str(&format!("-{c}"));
    Ok(parent.join(n))
}

/// Replaces `dir` with exactly `files`, atomically as seen by readers of `dir`: either the
/// old tree or the new one, never a mix.
pub fn write_tree(dir: &Path, files: &[OutputFile]) -> Result<()> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::new(
            ErrorKind::Io,
            "the output path exists and is not a directory; it is left as it is",
        )
        .in_file(dir));
    }
    let staging = sibling(dir, "new")?;
    if let Some(parent) = staging.parent() {
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, &e))?;
    }
    let result = write_all(&staging, files).and_then(|()| swap_in(&staging, dir));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn write_all(root: &Path, files: &[OutputFile]) -> Result<()> {
    for file in files {
        let rel = Path::new(&file.path);
        if rel.is_absolute()
            || rel
                .components()
                .any(|c| matches!(c, std::path::Component::ParentDir))
        {
            return Err(Error::new(
                ErrorKind::Config,
                "generated path escapes the output directory",
            )
            .named(&file.path));
        }
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, &e))?;
        }
        fs::write(&path, &file.contents).map_err(|e| Error::io(&path, &e))?;
    }
    Ok(())
}

fn swap_in(staging: &Path, dir: &Path) -> Result<()> {
    if dir.exists() {
        let old = sibling(dir, "old")?;
        fs::rename(dir, &old).map_err(|e| Error::io(dir, &e))?;
        if let Err(e) = fs::rename(staging, dir) {
            // Put the previous tree back before reporting.
            let _ = fs::rename(&old, dir);
            return Err(Error::io(dir, &e));
        }
        fs::remove_dir_all(&old).map_err(|e| Error::io(&old, &e))?;
    } else {
        fs::rename(staging, dir).map_err(|e| Error::io(dir, &e))?;
    }
    Ok(())
}

/// Compares `dir` with `files`; returns one line per difference (empty when up to date).
pub fn diff_tree(dir: &Path, files: &[OutputFile]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut expected: Vec<&str> = Vec::new();
    for file in files {
        expected.push(&file.path);
        match fs::read_to_string(dir.join(&file.path)) {
            Ok(text) if text == file.contents => {}
            Ok(_) => problems.push(format!("changed: {}", dir.join(&file.path).display())),
            Err(_) => problems.push(format!("missing: {}", dir.join(&file.path).display())),
        }
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(dir) {
                let rel = rel.to_string_lossy().replace('\\', "/");
                if !expected.contains(&rel.as_str()) {
                    problems.push(format!("not generated: {}", path.display()));
                }
            }
        }
    }
    problems.sort();
    problems
}

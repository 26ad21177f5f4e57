//! Errors that point at the input: file, line, column and the offending name.

use std::fmt;
use std::path::{Path, PathBuf};

/// A position in a source file (1-based line and column, in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub col: u32,
}

impl Pos {
    /// The position of byte `offset` of `text` (clamped to its end).
    pub fn of_offset(text: &str, offset: usize) -> Pos {
        let mut end = offset.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let before = &text[..end];
        Pos {
            line: before.matches('\n').count() as u32 + 1,
            col: before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1,
        }
    }
}

/// A problem that did not stop generation, with where it is when that is known. Shown as
/// `file:line:col: message`, leaving out what is unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Warning {
    /// The file it is about; the generator fills in the input for problems of the main
    /// document.
    pub file: Option<PathBuf>,
    /// Where in the file.
    pub pos: Option<Pos>,
    /// What is wrong and what happens instead.
    pub message: String,
}

impl Warning {
    /// A warning without a place.
    pub fn new(message: impl Into<String>) -> Self {
        Warning {
            file: None,
            pos: None,
            message: message.into(),
        }
    }

    /// The same warning at `pos`.
    pub fn at(mut self, pos: Pos) -> Self {
        self.pos = Some(pos);
        self
    }

    /// The same warning in `file`.
    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// The same warning, in `file` when it names no file yet.
    pub(crate) fn or_in(self, file: &Path) -> Self {
        match self.file {
            Some(_) => self,
            None => self.in_file(file),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{}:", file.display())?;
        }
        if let Some(pos) = self.pos {
            write!(f, "{}:{}:", pos.line, pos.col)?;
        }
        if self.file.is_some() || self.pos.is_some() {
            f.write_str(" ")?;
        }
        f.write_str(&self.message)
    }
}

/// What went wrong, broadly; lets callers and tests match without parsing messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Reading or writing a file failed.
    Io,
    /// The input is not well-formed XML (or is not UTF-8, or declares a DTD).
    Xml,
    /// The XML is well formed but not valid CSDL (missing attribute, bad value, duplicate name).
    Csdl,
    /// A type or element reference that does not resolve.
    Unresolved,
    /// A base-type chain that loops.
    Cycle,
    /// A root, override or setting that does not fit the input.
    Config,
    /// A CSDL name that cannot be turned into a Rust name.
    Naming,
    /// A bug in the generator (it caught its own panic); please report it.
    Internal,
}

/// An error from any stage of the pipeline.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Error {
    /// Broad category.
    pub kind: ErrorKind,
    /// Human-readable description (without location).
    pub message: String,
    /// The file the error is in, when known.
    pub file: Option<PathBuf>,
    /// Where in the file, when known.
    pub pos: Option<Pos>,
    /// The offending CSDL name (type, property, target...), when there is one.
    pub name: Option<String>,
}

/// Result alias used throughout the generator.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A new error of `kind` with `message` and no location yet.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            file: None,
            pos: None,
            name: None,
        }
    }

    /// Attaches the position.
    pub fn at(mut self, pos: Pos) -> Self {
        self.pos = Some(pos);
        self
    }

    /// Attaches the offending name.
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Attaches the file, unless one is already set.
    pub fn in_file(mut self, file: &Path) -> Self {
        if self.file.is_none() {
            self.file = Some(file.to_path_buf());
        }
        self
    }

    pub(crate) fn io(path: &Path, err: &std::io::Error) -> Self {
        Error::new(ErrorKind::Io, format!("cannot access file: {err}")).in_file(path)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, self.pos) {
            (Some(file), Some(pos)) => write!(f, "{}:{}:{}: ", file.display(), pos.line, pos.col)?,
            (Some(file), None) => write!(f, "{}: ", file.display())?,
            (None, Some(pos)) => write!(f, "{}:{}: ", pos.line, pos.col)?,
            (None, None) => {}
        }
        f.write_str(&self.message)?;
        if let Some(name) = &self.name {
            if !self.message.contains(name.as_str()) {
                write!(f, " (`{name}`)")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// `; did you mean `x`?` for the candidate closest to `wanted` (edit distance, ignoring
/// case), when one is close enough; empty otherwise.
pub(crate) fn did_you_mean<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    let wanted_lower = wanted.to_lowercase();
    let limit = (wanted.chars().count() / 3).max(2);
    candidates
        .map(|c| (edit_distance(&wanted_lower, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, c)| format!("; did you mean `{c}`?"))
        .unwrap_or_default()
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

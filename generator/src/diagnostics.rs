//! Errors rendered as rustc renders them: the `error: file:line:column: message` line, then
//! the offending source line with a caret under the offending text.
//!
//! Built on `codespan-reporting` rather than `miette`: codespan-reporting adds two small
//! crates (termcolor, unicode-width) and renders one snippet from a position we already
//! have, while miette's snippet renderer needs its `fancy` feature (owo-colors, textwrap,
//! terminal_size, supports-color/-unicode/-hyperlinks, backtrace) and a diagnostic protocol
//! we do not need.
//!
//! Only the line the error points at is read (the file is scanned, not decoded whole), and
//! lines longer than [`MAX_LINE_CHARS`] are cut to a window around the column, so an error
//! in a multi-megabyte, single-line metadata file still renders as a short snippet.
//! Colour is used only when asked for; [`stderr_color`] asks for it when stderr is a
//! terminal and `NO_COLOR` is not set.

use std::io::IsTerminal;
use std::ops::Range;
use std::path::Path;

use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, termcolor, Chars, Config};

use crate::error::Error;

/// Source lines longer than this (in characters) are shown as a window around the column.
pub const MAX_LINE_CHARS: usize = 120;

/// Characters shown before the column when a long line is cut.
const WINDOW_BEFORE: usize = 50;

/// Renders `error` with a snippet of the file it points at (read from disk, or the
/// generator's own text of a built-in vocabulary), or as the
/// single `error: ...` line when it has no file or position, or the file cannot be read.
///
/// The first line is always `error: ` followed by the error's [`Display`](std::fmt::Display)
/// form (`file:line:column: message`); the output ends with a newline.
pub fn render(error: &Error, color: bool) -> String {
    let line = match (&error.file, error.pos) {
        (Some(file), Some(pos)) if pos.line > 0 => read_line(file, pos.line as usize),
        _ => None,
    };
    render_with_line(error, line.as_deref(), color)
}

/// Renders `error` with its source taken from `source` (the whole file text) instead of the
/// file system. A leading byte-order mark is skipped, as the reader does.
pub fn render_with_source(error: &Error, source: &str, color: bool) -> String {
    let line = match error.pos {
        Some(pos) if pos.line > 0 => nth_line(source.as_bytes(), pos.line as usize),
        _ => None,
    };
    render_with_line(error, line.as_deref(), color)
}

/// Whether diagnostics written to stderr should be coloured: stderr is a terminal,
/// `NO_COLOR` is unset or empty, and `TERM` is not `dumb`.
pub fn stderr_color() -> bool {
    color_choice(
        std::io::stderr().is_terminal(),
        std::env::var_os("NO_COLOR").as_deref(),
        std::env::var_os("TERM").as_deref(),
    )
}

/// The colour decision of [`stderr_color`], from its inputs (see <https://no-color.org>).
pub fn color_choice(
    is_terminal: bool,
    no_color: Option<&std::ffi::OsStr>,
    term: Option<&std::ffi::OsStr>,
) -> bool {
    is_terminal && no_color.is_none_or(|v| v.is_empty()) && term.is_none_or(|t| t != "dumb")
}

/// Reads line `line` (1-based) of `path`, or `None` when the file cannot be read or is
/// shorter. A built-in vocabulary (named `built-in <namespace>`, as the loader labels it)
/// is read from the text the generator carries.
fn read_line(path: &Path, line: usize) -> Option<String> {
    let builtin = path
        .to_str()
        .and_then(|p| p.strip_prefix("built-in "))
        .and_then(crate::csdl::vocabularies::builtin);
    match builtin {
        Some(text) => nth_line(text.as_bytes(), line),
        None => nth_line(&std::fs::read(path).ok()?, line),
    }
}

/// Line `line` (1-based) of `bytes`, decoded lossily, without its line ending. A leading
/// byte-order mark is not part of the first line, as positions are counted after it.
fn nth_line(bytes: &[u8], line: usize) -> Option<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let raw = bytes.split(|b| *b == b'\n').nth(line.checked_sub(1)?)?;
    let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
    Some(String::from_utf8_lossy(raw).into_owned())
}

/// The line shown in the snippet: possibly a window of the source line.
struct Excerpt {
    /// The file name as shown in the `-->` line.
    name: String,
    /// 1-based line number in the file.
    line: usize,
    /// The text shown (with `...` markers where the line was cut).
    text: String,
    /// Characters of the source line before the first character of `text`, minus the
    /// length of a leading `...` marker (so `column = chars before + offset + 1`).
    column_offset: isize,
}

impl<'a> Files<'a> for Excerpt {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), _byte_index: usize) -> Result<usize, FilesError> {
        Ok(0)
    }

    fn line_number(&'a self, (): (), _line_index: usize) -> Result<usize, FilesError> {
        Ok(self.line)
    }

    fn column_number(
        &'a self,
        (): (),
        _line_index: usize,
        byte_index: usize,
    ) -> Result<usize, FilesError> {
        let chars = self.text[..byte_index.min(self.text.len())].chars().count() as isize;
        Ok((chars + self.column_offset).max(0) as usize + 1)
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, FilesError> {
        if line_index == 0 {
            Ok(0..self.text.len())
        } else {
            Err(FilesError::LineTooLarge {
                given: line_index,
                max: 0,
            })
        }
    }
}

fn render_with_line(error: &Error, line: Option<&str>, color: bool) -> String {
    let mut diagnostic = Diagnostic::error();
    let mut located = error.clone();
    let excerpt = match (&error.file, error.pos, line) {
        (Some(file), Some(pos), Some(line)) => {
            let (excerpt, span, column) = excerpt(
                file.display().to_string(),
                pos.line as usize,
                pos.col as usize,
                line,
                error.name.as_deref(),
            );
            diagnostic = diagnostic.with_labels(vec![Label::primary((), span)]);
            // One position: the header names the column the caret points at (the offending
            // name, when the line spells it after the element's start).
            if let Some(p) = located.pos.as_mut() {
                p.col = column as u32;
            }
            Some(excerpt)
        }
        _ => None,
    };
    diagnostic = diagnostic.with_message(located.to_string());
    let files = excerpt.unwrap_or(Excerpt {
        name: String::new(),
        line: 0,
        text: String::new(),
        column_offset: 0,
    });
    let config = Config {
        chars: Chars::ascii(),
        ..Config::default()
    };
    let rendered = if color {
        let mut buffer = termcolor::Buffer::ansi();
        term::emit_to_write_style(&mut buffer, &config, &files, &diagnostic)
            .map(|()| String::from_utf8_lossy(buffer.as_slice()).into_owned())
    } else {
        term::emit_into_string(&config, &files, &diagnostic)
    };
    match rendered {
        // One trailing newline, with or without a snippet.
        Ok(text) if text.starts_with("error") || text.starts_with('\u{1b}') => {
            format!("{}\n", text.trim_end())
        }
        // Rendering cannot fail on an in-memory excerpt; never lose the error if it does.
        _ => format!("error: {error}\n"),
    }
}

/// Builds the excerpt for line `line_no`, the byte span to underline in it, and the
/// 1-based column (in characters of the whole line) where that span starts.
fn excerpt(
    name: String,
    line_no: usize,
    col: usize,
    line: &str,
    offending: Option<&str>,
) -> (Excerpt, Range<usize>, usize) {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let char_count = chars.len();
    // The 0-based character index of the column, clamped to just past the end of the line.
    let start_char = col.saturating_sub(1).min(char_count);
    let byte_of = |ci: usize| chars.get(ci).map_or(line.len(), |(b, _)| *b);
    let span = span_in_line(line, byte_of(start_char), offending);
    let column = line[..span.start].chars().count() + 1;
    if char_count <= MAX_LINE_CHARS {
        return (
            Excerpt {
                name,
                line: line_no,
                text: line.to_string(),
                column_offset: 0,
            },
            span,
            column,
        );
    }
    // A window of at most MAX_LINE_CHARS characters that starts a little before the span.
    let span_char = line[..span.start].chars().count();
    let first = span_char.saturating_sub(WINDOW_BEFORE);
    let last = (first + MAX_LINE_CHARS).min(char_count);
    let (from, to) = (byte_of(first), byte_of(last));
    let prefix = if first > 0 { "..." } else { "" };
    let suffix = if last < char_count { "..." } else { "" };
    let text = format!("{prefix}{}{suffix}", &line[from..to]);
    let shift = |b: usize| (b.clamp(from, to) - from) + prefix.len();
    let span = shift(span.start)..shift(span.end);
    (
        Excerpt {
            name,
            line: line_no,
            text,
            column_offset: first as isize - prefix.len() as isize,
        },
        span,
        column,
    )
}

/// The bytes to underline, starting at byte `start` of `line`: the offending name when the
/// line spells it at or after the column (quoted, its last dotted segment quoted, or a
/// qualified name anywhere, as in `Collection(ns.missing)`), else the tag name when the
/// column is at a `<`, else the one character at the column (or the end of the line).
fn span_in_line(line: &str, start: usize, offending: Option<&str>) -> Range<usize> {
    let rest = &line[start..];
    if let Some(name) = offending.filter(|n| !n.is_empty()) {
        let last_segment = name.rsplit_once('.').map(|(_, s)| s);
        let quoted = |n: &str| {
            rest.find(&format!("\"{n}\""))
                .or_else(|| rest.find(&format!("'{n}'")))
                .map(|i| start + i + 1..start + i + 1 + n.len())
        };
        let found = quoted(name)
            .or_else(|| last_segment.and_then(quoted))
            .or_else(|| {
                (name.contains('.') || name.contains('('))
                    .then(|| rest.find(name).map(|i| start + i..start + i + name.len()))
                    .flatten()
            });
        if let Some(span) = found {
            return span;
        }
    }
    if let Some(tag) = rest.strip_prefix('<') {
        // `<Name`, or `</Name` for a closing tag.
        let slash = usize::from(tag.starts_with('/'));
        let len = tag[slash..]
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(tag.len() - slash);
        if len > 0 {
            return start..start + 1 + slash + len;
        }
    }
    let len = rest.chars().next().map_or(0, char::len_utf8);
    start..start + len
}

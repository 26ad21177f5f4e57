//! Doc lines written beside the printed code instead of through string literals.
//!
//! prettyplease prints `#[doc = "text"]` as `///text`, but to get there the text is escaped
//! into a literal one `char` at a time (`proc_macro2`) and unescaped again when printed
//! (`syn::LitStr::value`): together close to a fifth of `--all --client-out` on Graph v1.0
//! (BENCHMARKS.md, "Doc lines without literals"). While a file's items are built and
//! printed ([`deferred`]), a doc line is kept here and its attribute holds only a *mark*:
//! the character [`MARK`] (a tab) and the line's number. prettyplease prints the mark where the
//! line belongs (`///` + mark), and [`write_resolved`] puts the line in its place as the
//! text is written, so the file is the same as if the line's own literal had been printed.
//! Consecutive lines built together ([`values`], `syntax::docs`) are one attribute and one
//! mark, each line written after the indentation and `///` printed before the mark.
//! Lines prettyplease prints in another form (with a line break, or an outer one starting
//! with `/`: a block comment or `#[doc]`) keep their literal, and so does any doc built
//! outside a deferral.
//!
//! The layout cannot change with the shorter text: a doc line's length matters to
//! prettyplease only through a soft break before it in an inconsistent box, and every doc
//! attribute comes after a hard break, in a box its own hard break breaks.
//!
//! A mark cannot be mistaken for text: [`MARK`] is a control character, which
//! [`super::sanitize`] turns into a space in metadata text and [`value`] in any doc line
//! (names, the only other text in generated code, cannot hold it). A mark printed twice
//! or in another deferral is an internal error; a line never printed fails a debug
//! assertion.

use std::borrow::Cow;
use std::cell::RefCell;

use proc_macro2::Span;

use crate::error::{Error, ErrorKind, Result};
use crate::write::TextSink;

/// Starts a mark in printed text; the line's number follows, then the end of the line. A
/// tab, since the printer writes none (it indents with spaces and escapes literals), and
/// making its literal is cheap (`\t`; another control character is escaped as `\u{..}`).
const MARK: char = '\t';

/// The lines of the file being produced on this thread.
#[derive(Default)]
struct Lines {
    /// Lines `first..first + texts.len()` by number; `None` once printed.
    texts: Vec<Option<String>>,
    /// The number of `texts[0]`. Numbers are never given twice in one deferral: a mark
    /// printed twice, or never printed, is found, not resolved to another line.
    first: usize,
    /// How many of `texts` are still to be printed: when none is, the printed ones are
    /// dropped, so the table holds the lines of what is built and not printed yet (one
    /// item, in `stream_parts`), not of the whole file.
    waiting: usize,
}

thread_local! {
    /// `Some` while this thread produces a file ([`deferred`]).
    static LINES: RefCell<Option<Lines>> = const { RefCell::new(None) };
}

/// Runs `produce` (the building and printing of the file `what`) with doc lines deferred to
/// [`write_resolved`]. Nested calls share the outer table; when the outermost returns, no
/// line may wait (checked with debug assertions).
pub(crate) fn deferred<R>(what: &str, produce: impl FnOnce() -> Result<R>) -> Result<R> {
    /// Ends the deferral, however `produce` returns, if this call started it.
    struct End {
        outermost: bool,
    }
    impl Drop for End {
        fn drop(&mut self) {
            if self.outermost {
                LINES.with(|lines| *lines.borrow_mut() = None);
            }
        }
    }
    let end = LINES.with(|lines| {
        let mut lines = lines.borrow_mut();
        let outermost = lines.is_none();
        if outermost {
            *lines = Some(Lines::default());
        }
        End { outermost }
    });
    let produced = produce()?;
    if end.outermost {
        // A line built and never printed changes no output (its attribute is not in the
        // printed tree), but it is work thrown away and, with marks, a sign that an
        // emitter keeps trees it does not print: tests find it, users are not stopped.
        let waiting = LINES.with(|lines| lines.borrow().as_ref().map_or(0, |l| l.waiting));
        debug_assert_eq!(waiting, 0, "doc lines of {what} built and never printed");
    }
    Ok(produced)
}

/// What a doc attribute holds for `text`: a mark when this thread defers doc lines and
/// prettyplease would print the line as `///` or `//!` text (`inner`; an outer line
/// starting with `/` prints as `/**` or `#[doc]`; a `\r` is left to the literal too), else
/// the text for its literal. [`MARK`] in the text becomes a space either way (as
/// [`super::sanitize`] does with every control character), so no doc line built here
/// prints one.
pub(crate) fn value(text: &str, inner: bool) -> DocValue<'_> {
    let (text, deferrable) = prepared(text, inner);
    if !deferrable {
        return DocValue::Literal(text);
    }
    LINES.with(|lines| match lines.borrow_mut().as_mut() {
        Some(lines) => lines.defer(text.trim_end_matches(' ').to_owned()),
        None => DocValue::Literal(text),
    })
}

/// What the outer doc attributes of consecutive `lines` hold ([`value`]), with each run of lines
/// that would be marks one by one as a single mark: [`write_resolved`] writes each line of
/// the run after the indentation and `///` printed before the mark. prettyplease
/// prints a doc attribute at a cost of about 1,500 instructions, and building one costs
/// about a thousand more; Graph's items have one and a half doc lines on average, its
/// request methods about four. The text is the same, since prettyplease prints
/// consecutive doc lines each after a hard break at one indentation.
pub(crate) fn values<'a>(lines: impl IntoIterator<Item = &'a str>) -> Vec<DocValue<'a>> {
    // Taken before the table is borrowed: an iterator that built docs would borrow it too.
    let lines: Vec<&str> = lines.into_iter().collect();
    LINES.with(|cell| {
        let mut table = cell.borrow_mut();
        let mut values = Vec::new();
        // The lines of the current run, joined with `\n`.
        let mut run: Option<String> = None;
        for line in lines {
            let (text, deferrable) = prepared(line, false);
            match table.as_mut() {
                Some(_) if deferrable => {
                    // prettyplease drops a doc line's trailing spaces before printing it.
                    let text = text.trim_end_matches(' ');
                    match &mut run {
                        Some(run) => {
                            run.push('\n');
                            run.push_str(text);
                        }
                        None => run = Some(text.to_owned()),
                    }
                }
                lines => {
                    if let (Some(lines), Some(run)) = (lines, run.take()) {
                        values.push(lines.defer(run));
                    }
                    values.push(DocValue::Literal(text));
                }
            }
        }
        if let (Some(lines), Some(run)) = (table.as_mut(), run) {
            values.push(lines.defer(run));
        }
        values
    })
}

/// `text` with [`MARK`] made a space, and whether prettyplease prints it as `///` or `//!`
/// text, so it can be deferred.
fn prepared(text: &str, inner: bool) -> (Cow<'_, str>, bool) {
    // One search for the three characters that need a look (most lines have none).
    let (text, literal) = match memchr::memchr3(b'\n', b'\r', MARK as u8, text.as_bytes()) {
        None => (Cow::Borrowed(text), false),
        Some(_) => {
            let text = text.replace(MARK, " ");
            // A `\r` would be dropped by `write_spaced` at a line's end and kept inside
            // one: the literal's printing decides.
            let literal = text.contains(['\n', '\r']);
            (Cow::Owned(text), literal)
        }
    };
    let deferrable = !literal && (inner || !text.starts_with('/'));
    (text, deferrable)
}

impl Lines {
    /// Keeps `text` (one line, or the lines of a run joined with `\n`, trailing spaces
    /// dropped) until its mark is printed.
    fn defer<'a>(&mut self, text: String) -> DocValue<'a> {
        let number = self.first + self.texts.len();
        self.texts.push(Some(text));
        self.waiting += 1;
        DocValue::Marked(mark_literal(number))
    }
}

/// Marks cached per thread: numbers start over with every file, so the first ones
/// repeat. Making a literal costs more than cloning one (about 4M instructions of
/// synchronization generation); the cache is bounded, since a file may have thousands of
/// doc lines.
const CACHED_MARKS: usize = 2048;

thread_local! {
    /// The marks of numbers `0..CACHED_MARKS` made so far on this thread.
    static MARKS: RefCell<Vec<syn::LitStr>> = const { RefCell::new(Vec::new()) };
}

/// The literal of the mark of line `number`.
fn mark_literal(number: usize) -> syn::LitStr {
    MARKS.with(|marks| {
        let mut marks = marks.borrow_mut();
        if let Some(cached) = marks.get(number) {
            return cached.clone();
        }
        let mut marked = String::with_capacity(8);
        marked.push(MARK);
        marked.push_str(itoa(number, &mut [0; 20]));
        let made = syn::LitStr::new(&marked, Span::call_site());
        // Numbers are handed out in order from 0 in every deferral, so the cache grows
        // one number at a time.
        if marks.len() == number && number < CACHED_MARKS {
            marks.push(made.clone());
        }
        made
    })
}

/// See [`value`].
pub(crate) enum DocValue<'a> {
    /// The mark of a deferred line, as a literal.
    Marked(syn::LitStr),
    /// The text itself.
    Literal(Cow<'a, str>),
}

/// How many lines wait for their marks to be printed, `None` outside a deferral (for
/// tests that must know the deferral took place).
#[cfg(test)]
pub(crate) fn waiting() -> Option<usize> {
    LINES.with(|lines| lines.borrow().as_ref().map(|l| l.waiting))
}

/// `number` in decimal, written into `buffer`.
fn itoa(mut number: usize, buffer: &mut [u8; 20]) -> &str {
    let mut start = buffer.len();
    loop {
        start -= 1;
        buffer[start] = b'0' + (number % 10) as u8;
        number /= 10;
        if number == 0 {
            break;
        }
    }
    std::str::from_utf8(&buffer[start..]).expect("decimal digits are ASCII")
}

/// Writes `printed` (prettyplease's text, or a run of its whole lines) into `sink` with
/// every mark replaced by its line. A mark and its number are never split between two
/// calls, since they end with their line. Outside a deferral there are no marks, and the
/// text is written as it is.
pub(crate) fn write_resolved(printed: &str, sink: &mut dyn TextSink) -> Result<()> {
    let bytes = printed.as_bytes();
    let mut marks = memchr::memchr_iter(MARK as u8, bytes).peekable();
    if marks.peek().is_none() {
        return sink.push(printed);
    }
    // Taken out while the sink writes (a sink never sees the table), put back after.
    let Some(mut lines) = LINES.with(|lines| lines.borrow_mut().take()) else {
        return sink.push(printed);
    };
    let written = replace_marks(printed, marks, &mut lines, sink);
    if lines.waiting == 0 {
        lines.first += lines.texts.len();
        lines.texts.clear();
    }
    LINES.with(|cell| *cell.borrow_mut() = Some(lines));
    written
}

/// [`write_resolved`] of text with `marks` (their offsets).
fn replace_marks(
    printed: &str,
    marks: impl Iterator<Item = usize>,
    lines: &mut Lines,
    sink: &mut dyn TextSink,
) -> Result<()> {
    let bytes = printed.as_bytes();
    let mut copied = 0;
    for at in marks {
        let digits = bytes[at + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let end = at + 1 + digits;
        let number: usize = printed[at + 1..end].parse().map_err(|_| lost())?;
        let line = number
            .checked_sub(lines.first)
            .and_then(|i| lines.texts.get_mut(i))
            .and_then(Option::take)
            .ok_or_else(lost)?;
        lines.waiting -= 1;
        sink.push(&printed[copied..at])?;
        let mut run = line.split('\n');
        sink.push(run.next().unwrap_or_default())?;
        // The other lines of a run ([`values`], outer lines only): each on a line of its
        // own, after what was printed before the mark on its line (the indentation and
        // `///`; `printed` starts at the start of a line).
        let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
        let prefix = &printed[start..at];
        let mut run = run.peekable();
        if run.peek().is_some() && prefix.trim_start_matches(' ') != "///" {
            return Err(Error::new(
                ErrorKind::Internal,
                "internal error: a run of doc lines was printed other than as `///` at the start of a line",
            ));
        }
        for next in run {
            sink.push("\n")?;
            sink.push(prefix)?;
            sink.push(next)?;
        }
        copied = end;
    }
    sink.push(&printed[copied..])
}

/// `printed` with every mark replaced by its line ([`write_resolved`]): the tests' view of
/// what `write_spaced` writes.
#[cfg(test)]
fn resolve(printed: String) -> Result<String> {
    if memchr::memchr(MARK as u8, printed.as_bytes()).is_none() {
        return Ok(printed);
    }
    let mut text = String::with_capacity(printed.len() + printed.len() / 2);
    write_resolved(&printed, &mut text)?;
    Ok(text)
}

/// A mark printed twice, or in another file than the one it was built for, or a stray
/// tab in generated text: a bug of the emitters.
fn lost() -> Error {
    Error::new(
        ErrorKind::Internal,
        "internal error: a doc line's mark was printed twice or in another file",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::syntax::{doc, inner_doc, path_of, path_type, type_alias};

    /// `pub type T = u8;` with `attrs`, as prettyplease prints it.
    fn printed(attrs: Vec<syn::Attribute>) -> String {
        printed_file(Vec::new(), attrs)
    }

    /// A file with `inner` attributes and `pub type T = u8;` with `attrs`.
    fn printed_file(inner: Vec<syn::Attribute>, attrs: Vec<syn::Attribute>) -> String {
        prettyplease::unparse(&syn::File {
            shebang: None,
            attrs: inner,
            items: vec![type_alias(
                attrs,
                quote::format_ident!("T"),
                path_type(path_of(&["u8"])),
            )],
        })
    }

    const LINES_OF_ALL_KINDS: [&str; 9] = [
        " Plain.",
        "",
        " Trailing spaces.   ",
        " \"Quotes\", a \\ backslash, \u{e9}, \t a tab and \u{1F600}.",
        "/ starts with a slash",
        " Two\n lines.",
        " Holds a mark \t3 in its text",
        " Ends with a carriage return\r",
        " A \r inside",
    ];

    fn attrs() -> Vec<syn::Attribute> {
        LINES_OF_ALL_KINDS.iter().map(|l| doc(l)).collect()
    }

    /// Deferred lines print exactly as their literals do, whatever the order in which
    /// items are built and printed; lines printed in another form keep their literals, and
    /// the table empties once every line is printed.
    #[test]
    fn deferred_lines_print_as_their_literals() {
        let plain = printed(attrs());
        assert!(plain.contains("/// Trailing spaces.\n"), "{plain}");
        assert!(
            plain.contains("#[doc = \"/ starts with a slash\"]"),
            "{plain}"
        );
        assert!(
            plain.contains("/// Holds a mark  3 in its text\n"),
            "{plain}"
        );
        let inner = printed_file(vec![inner_doc("/ an inner line")], Vec::new());
        assert!(inner.starts_with("//!/ an inner line\n"), "{inner}");
        deferred("test", || {
            let (first, second) = (attrs(), attrs());
            let marked = printed(second.clone());
            assert!(marked.contains(MARK), "{marked}");
            assert_eq!(resolve(marked)?, plain);
            assert_eq!(resolve(printed(first))?, plain);
            let inner_marked = printed_file(vec![inner_doc("/ an inner line")], Vec::new());
            assert!(inner_marked.contains(MARK), "{inner_marked}");
            assert_eq!(resolve(inner_marked)?, inner);
            LINES.with(|l| assert!(l.borrow().as_ref().unwrap().texts.is_empty()));
            Ok(())
        })
        .unwrap();
    }

    /// A mark printed twice (before or after the table empties), or in another deferral,
    /// is an internal error, and a line never printed fails a debug assertion; the
    /// deferral ends with the outermost call (even by a panic), and outside one, text is
    /// written as it is.
    #[test]
    fn a_lost_mark_is_an_error() {
        let attrs = deferred("test", || {
            let attrs = vec![doc(" Once.")];
            let text = printed(attrs.clone());
            assert_eq!(resolve(text.clone())?, "/// Once.\npub type T = u8;\n");
            assert!(resolve(text.clone()).is_err());
            let next = printed(vec![doc(" Next.")]);
            assert!(resolve(text).is_err());
            assert_eq!(resolve(next)?, "/// Next.\npub type T = u8;\n");
            assert!(deferred("test", || Ok(
                LINES.with(|l| l.borrow().is_some())
            ))?);
            assert!(LINES.with(|l| l.borrow().is_some()));
            Ok(attrs)
        })
        .unwrap();
        assert!(LINES.with(|l| l.borrow().is_none()));
        let again = deferred("test", || resolve(printed(attrs.clone())));
        assert!(again.is_err());
        assert!(resolve(printed(attrs)).unwrap().contains(MARK));
        if cfg!(debug_assertions) {
            let unprinted = std::panic::catch_unwind(|| deferred("test", || Ok(doc(" Never."))));
            assert!(unprinted.is_err(), "a line never printed is found");
        }
        assert!(LINES.with(|l| l.borrow().is_none()));
    }

    /// A struct in a module, with `docs` on the struct and on its field: doc lines at two
    /// indentations.
    fn nested(docs: impl Fn() -> Vec<syn::Attribute>) -> String {
        use crate::emit::syntax::{field, inline_module, named_struct};
        let field = field(
            docs(),
            quote::format_ident!("f"),
            path_type(path_of(&["u8"])),
        );
        let item = named_struct(docs(), quote::format_ident!("S"), [field]);
        let module = inline_module(Some(Vec::new()), quote::format_ident!("m"), vec![item]);
        prettyplease::unparse(&syn::File {
            shebang: None,
            attrs: Vec::new(),
            items: vec![module],
        })
    }

    /// Consecutive lines that would be marks one by one are one mark, whose lines are each
    /// written after the indentation and `///` of the mark; lines printed in another form
    /// keep their own literals and end a run. The text is what one literal per line prints.
    #[test]
    fn a_run_of_lines_is_one_mark() {
        let docs = || crate::emit::syntax::docs(LINES_OF_ALL_KINDS);
        let plain = nested(docs);
        let flat = printed(docs());
        assert_eq!(docs().len(), LINES_OF_ALL_KINDS.len());
        assert!(
            plain.contains("        /// Trailing spaces.\n        ///"),
            "{plain}"
        );
        deferred("test", || {
            // Lines 0-3 and 6 are marks; 4, 5, 7 and 8 keep literals.
            let counted = docs();
            assert_eq!(counted.len(), 6);
            assert_eq!(resolve(printed(counted))?, flat);
            let marked = nested(docs);
            assert_eq!(marked.matches(MARK).count(), 4, "{marked}");
            assert_eq!(resolve(marked)?, plain);
            assert_eq!(waiting(), Some(0));
            Ok(())
        })
        .unwrap();
    }

    /// A run's mark written from the middle of its line cannot have its other lines put
    /// after the right prefix: an internal error, not wrong code.
    #[test]
    fn a_run_written_mid_line_is_an_error() {
        deferred("test", || {
            let text = printed(crate::emit::syntax::docs([" One.", " Two."]));
            assert!(text.starts_with("///\t"), "{text}");
            let mut out = String::new();
            let error = write_resolved(&text[1..], &mut out).unwrap_err();
            assert!(error.to_string().contains("run of doc lines"), "{error}");
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn numbers_are_decimal() {
        for n in [0, 7, 10, 99, 12345, usize::MAX] {
            assert_eq!(itoa(n, &mut [0; 20]), n.to_string());
        }
    }
}

//! Doc lines written beside the printed code instead of through string literals.
//!
//! prettyplease prints `#[doc = "text"]` as `///text`, but to get there the text is escaped
//! into a literal one `char` at a time (`proc_macro2`) and unescaped again when printed
//! (`syn::LitStr::value`): together close to a fifth of `--all --client-out` on Graph v1.0
//! (BENCHMARKS.md, "Doc lines without literals"). While a file's items are built and
//! printed ([`deferred`]), a doc line is kept here and its attribute holds only a *mark*:
//! the character [`MARK`] and the line's number. prettyplease prints the mark where the
//! line belongs (`///` + mark), and [`write_resolved`] puts the line in its place as the
//! text is written, so the file is the same as if the line's own literal had been printed.
//! Lines prettyplease prints in another form (with a line break, or an outer one starting
//! with `/`: a block comment or `#[doc]`) keep their literal, and so does any doc built
//! outside a deferral.
//!
//! A mark cannot be mistaken for text: [`MARK`] is a control character, which
//! [`super::sanitize`] turns into a space in metadata text and [`value`] in any doc line.
//! A mark whose line is missing is an internal error, never wrong docs.

use std::borrow::Cow;
use std::cell::RefCell;

use proc_macro2::Span;

use crate::error::{Error, ErrorKind, Result};
use crate::write::TextSink;

/// Starts a mark in printed text; the line's number follows, then the end of the line.
const MARK: char = '\u{1}';

/// The lines of the file being produced on this thread.
#[derive(Default)]
struct Lines {
    /// By number; `None` once printed.
    texts: Vec<Option<String>>,
    /// The mark of each number, made once: numbers start over with every item, and
    /// making a literal escapes its text (the mark's control character the slow way).
    marks: Vec<syn::LitStr>,
    /// How many of `texts` are still to be printed: none left means the numbers can start
    /// over, so the table holds the lines of what is built and not printed yet, not of the
    /// whole file.
    waiting: usize,
}

thread_local! {
    /// `Some` while this thread produces a file ([`deferred`]).
    static LINES: RefCell<Option<Lines>> = const { RefCell::new(None) };
}

/// Runs `produce` (the building and printing of one file) with doc lines deferred to
/// [`write_resolved`]. Nested calls share the outer table.
pub(crate) fn deferred<R>(produce: impl FnOnce() -> R) -> R {
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
    let _end = LINES.with(|lines| {
        let mut lines = lines.borrow_mut();
        let outermost = lines.is_none();
        if outermost {
            *lines = Some(Lines::default());
        }
        End { outermost }
    });
    produce()
}

/// What a doc attribute holds for `text`: a mark when this thread defers doc lines and
/// prettyplease would print the line as `///` or `//!` text (`inner`; an outer line
/// starting with `/` prints as `/**` or `#[doc]`), else the text for its literal. [`MARK`]
/// in the text becomes a space either way (as [`super::sanitize`] does with every control
/// character), so every [`MARK`] in printed text is a mark.
pub(crate) fn value(text: &str, inner: bool) -> DocValue<'_> {
    let text = if text.contains(MARK) {
        Cow::Owned(text.replace(MARK, " "))
    } else {
        Cow::Borrowed(text)
    };
    if text.contains('\n') || (!inner && text.starts_with('/')) {
        return DocValue::Literal(text);
    }
    LINES.with(|lines| {
        let mut lines = lines.borrow_mut();
        let Some(lines) = lines.as_mut() else {
            return DocValue::Literal(text);
        };
        let number = lines.texts.len();
        // prettyplease drops a doc line's trailing spaces before printing it.
        lines
            .texts
            .push(Some(text.trim_end_matches(' ').to_owned()));
        lines.waiting += 1;
        if lines.marks.len() == number {
            let mut marked = String::with_capacity(8);
            marked.push(MARK);
            marked.push_str(itoa(number, &mut [0; 20]));
            lines
                .marks
                .push(syn::LitStr::new(&marked, Span::call_site()));
        }
        DocValue::Marked(lines.marks[number].clone())
    })
}

/// See [`value`].
pub(crate) enum DocValue<'a> {
    /// The mark of a deferred line, as a literal.
    Marked(syn::LitStr),
    /// The text itself.
    Literal(Cow<'a, str>),
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
/// calls, since they end with their line.
pub(crate) fn write_resolved(printed: &str, sink: &mut dyn TextSink) -> Result<()> {
    let bytes = printed.as_bytes();
    let mut marks = memchr::memchr_iter(MARK as u8, bytes).peekable();
    if marks.peek().is_none() {
        return sink.push(printed);
    }
    LINES.with(|lines| {
        let mut lines = lines.borrow_mut();
        let lines = lines.as_mut().ok_or_else(lost)?;
        let mut copied = 0;
        for at in marks {
            let digits = bytes[at + 1..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            let end = at + 1 + digits;
            let number: usize = printed[at + 1..end].parse().map_err(|_| lost())?;
            let line = lines
                .texts
                .get_mut(number)
                .and_then(Option::take)
                .ok_or_else(lost)?;
            lines.waiting -= 1;
            sink.push(&printed[copied..at])?;
            sink.push(&line)?;
            copied = end;
        }
        if lines.waiting == 0 {
            lines.texts.clear();
        }
        sink.push(&printed[copied..])
    })
}

/// `printed` with every mark replaced by its line ([`write_resolved`]).
pub(crate) fn resolve(printed: String) -> Result<String> {
    if memchr::memchr(MARK as u8, printed.as_bytes()).is_none() {
        return Ok(printed);
    }
    let mut text = String::with_capacity(printed.len() + printed.len() / 2);
    write_resolved(&printed, &mut text)?;
    Ok(text)
}

/// A mark printed outside its file's production, or twice: a bug of the emitters.
fn lost() -> Error {
    Error::new(
        ErrorKind::Internal,
        "internal error: a doc line was printed outside the file it was built for",
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

    const LINES_OF_ALL_KINDS: [&str; 7] = [
        " Plain.",
        "",
        " Trailing spaces.   ",
        " \"Quotes\", a \\ backslash, \u{e9}, \t a tab and \u{1F600}.",
        "/ starts with a slash",
        " Two\n lines.",
        " Holds a mark \u{1}3 in its text",
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
        deferred(|| {
            let (first, second) = (attrs(), attrs());
            let marked = printed(second.clone());
            assert!(marked.contains(MARK), "{marked}");
            assert_eq!(resolve(marked).unwrap(), plain);
            assert_eq!(resolve(printed(first)).unwrap(), plain);
            let inner_marked = printed_file(vec![inner_doc("/ an inner line")], Vec::new());
            assert!(inner_marked.contains(MARK), "{inner_marked}");
            assert_eq!(resolve(inner_marked).unwrap(), inner);
            LINES.with(|l| assert!(l.borrow().as_ref().unwrap().texts.is_empty()));
        });
    }

    /// A mark printed twice, or after its file's production, is an internal error; the
    /// deferral ends with the outermost call.
    #[test]
    fn a_lost_mark_is_an_error() {
        let attrs = deferred(|| {
            let attrs = vec![doc(" Once.")];
            let text = printed(attrs.clone());
            assert_eq!(
                resolve(text.clone()).unwrap(),
                "/// Once.\npub type T = u8;\n"
            );
            assert!(resolve(text).is_err());
            assert!(deferred(|| LINES.with(|l| l.borrow().is_some())));
            assert!(LINES.with(|l| l.borrow().is_some()));
            attrs
        });
        assert!(LINES.with(|l| l.borrow().is_none()));
        assert!(resolve(printed(attrs)).is_err());
    }

    #[test]
    fn numbers_are_decimal() {
        for n in [0, 7, 10, 99, 12345, usize::MAX] {
            assert_eq!(itoa(n, &mut [0; 20]), n.to_string());
        }
    }
}

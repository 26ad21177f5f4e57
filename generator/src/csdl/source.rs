//! The text and XML trees of a document read for roots ([`super::read_file_deferred`]):
//! kept while any of its types may still read its members ([`super::Deferred`]), and
//! parsed in two halves on two threads when it is large (`halves.rs`).

use std::sync::Arc;

use super::halves::{OpenCopies, Split};
use super::position::Lines;
use crate::error::{Error, Result};

self_cell::self_cell!(
    /// A document's text and the XML trees that borrow it.
    struct Tree {
        owner: String,
        #[covariant]
        dependent: Trees,
    }
);

/// The XML tree of a whole text, or the trees of its two halves (`halves.rs`): the first
/// is the text up to the inserted end tags, the second the rest.
struct Trees<'a> {
    first: roxmltree::Document<'a>,
    second: Option<(roxmltree::Document<'a>, OpenCopies)>,
}

/// The text and XML tree of a document whose members are read when asked for; it lives
/// as long as one of its types does.
pub(super) struct Source {
    tree: Tree,
    /// Whether the text has a `\r` (positions then count `\r\n` and a lone `\r` as line
    /// ends); found once for every later read.
    pub(super) has_cr: bool,
    /// Where the text to parse starts in the buffer (after any byte-order marks, which are
    /// skipped rather than removed: removing moved the whole text).
    start: usize,
    /// Parsed in halves: where the second half starts in the buffer, the length of the
    /// start tags it opens with, and the line of the original text it continues.
    second: Option<(usize, usize, u32)>,
}

/// The second half of a document parsed in halves, as the reader reads it.
pub(super) struct SecondHalf<'a> {
    pub(super) xml: &'a roxmltree::Document<'a>,
    pub(super) text: &'a str,
    /// Its copies of the elements open at the split.
    pub(super) open: OpenCopies,
    /// The length of the start tags the half opens with: its own text starts there.
    pub(super) open_len: usize,
    /// The line of the original text the half's own text starts on.
    pub(super) line: u32,
}

impl SecondHalf<'_> {
    /// The line and byte its own text (after the copied start tags) starts at.
    pub(super) fn home(&self) -> (u32, usize) {
        (self.line, self.open_len)
    }
}

/// A text with this many `xmlns` is parsed whole: roxmltree refuses more than 2^16
/// distinct namespaces in one document (the count is of the text, so a bound that leaves
/// room for the predefined `xml` namespace and the second half's copied declarations).
const NAMESPACE_DECLARATIONS: usize = (1 << 16) - 64;

/// Parses a text (the whole, or a half with a node limit) as CSDL is parsed.
pub(super) type Parse = for<'a> fn(&'a str, u32) -> Result<roxmltree::Document<'a>>;

impl Source {
    /// Parses `text[start..]` whole with `parse` (node limit `nodes`), keeping both.
    pub(super) fn new(text: String, start: usize, parse: Parse, nodes: u32) -> Result<Arc<Source>> {
        let has_cr = memchr::memchr(b'\r', text.as_bytes()).is_some();
        let tree = Tree::try_new(text, |text| {
            Ok::<_, Error>(Trees {
                first: parse(&text[start..], nodes)?,
                second: None,
            })
        })?;
        Ok(Arc::new(Source {
            tree,
            has_cr,
            start,
            second: None,
        }))
    }

    /// [`Self::new`], parsing a large text in two halves on two threads when it splits
    /// (`halves.rs`: each half with half the node limit, so the whole stays within it).
    /// When it does not, or a half fails to parse or to verify, the text is put back and
    /// parsed whole, so errors are those of a whole parse.
    pub(super) fn new_in_halves(
        mut text: String,
        start: usize,
        parse: Parse,
        nodes: u32,
    ) -> Result<Arc<Source>> {
        let split = if crate::write::cores() >= 2 {
            Split::find(&text[start..])
        } else {
            None
        };
        let Some(split) = split else {
            return Source::new(text, start, parse, nodes);
        };
        let has_cr = memchr::memchr(b'\r', text.as_bytes()).is_some();
        // The line the second half's own text starts on, counted before the tags go in:
        // the split follows a `\n`, and without a `\r` each `\n` ends a line.
        let before = &text[start..start + split.at];
        let line = if has_cr {
            Lines::new(before).line_of(split.at).0
        } else {
            let ends = memchr::memchr_iter(b'\n', before.as_bytes()).count();
            u32::try_from(ends + 1).unwrap_or(u32::MAX)
        };
        split.insert(&mut text, start);
        let second_at = start + split.first_len();
        let parsed = Tree::try_new_or_recover(text, |text| {
            let (first, second) = text.split_at(second_at);
            let first = &first[start..];
            // Each half also counts its namespace declarations: roxmltree refuses a document
            // with more than 2^16 distinct namespaces, which two halves could each stay
            // under.
            fn parse_and_count(
                parse: Parse,
                half: &str,
                nodes: u32,
            ) -> (Result<roxmltree::Document<'_>>, usize) {
                let tree = parse(half, nodes);
                let declarations = memchr::memmem::find_iter(half.as_bytes(), b"xmlns").count();
                (tree, declarations)
            }
            let (first, second) = std::thread::scope(|scope| {
                // roxmltree keeps its own stack of open elements: the default stack does.
                let second = std::thread::Builder::new()
                    .spawn_scoped(scope, || parse_and_count(parse, second, nodes / 2));
                let first = parse_and_count(parse, first, nodes / 2);
                let second = match second {
                    Ok(handle) => handle.join().ok(),
                    Err(_) => None,
                };
                (first, second)
            });
            match (first, second) {
                ((Ok(first), a), Some((Ok(second), b))) if a + b < NAMESPACE_DECLARATIONS => {
                    match OpenCopies::verify(&split, &first, &second) {
                        Some(open) => Ok(Trees {
                            first,
                            second: Some((second, open)),
                        }),
                        None => Err(()),
                    }
                }
                _ => Err(()),
            }
        });
        match parsed {
            Ok(tree) => Ok(Arc::new(Source {
                tree,
                has_cr,
                start,
                second: Some((second_at, split.open_len(), line)),
            })),
            Err((mut text, ())) => {
                split.remove(&mut text, start);
                Source::new(text, start, parse, nodes)
            }
        }
    }

    /// The text of the first half (the whole text when it was parsed whole).
    pub(super) fn text(&self) -> &str {
        let text = self.tree.borrow_owner();
        match self.second {
            Some((at, _, _)) => &text[self.start..at],
            None => &text[self.start..],
        }
    }

    /// The tree of the first half (of the whole text when it was parsed whole).
    pub(super) fn xml(&self) -> &roxmltree::Document<'_> {
        &self.tree.borrow_dependent().first
    }

    /// The second half, when the text was parsed in halves.
    pub(super) fn second_half(&self) -> Option<SecondHalf<'_>> {
        let (at, open_len, line) = self.second?;
        let (xml, open) = self.tree.borrow_dependent().second.as_ref()?;
        Some(SecondHalf {
            xml,
            text: &self.tree.borrow_owner()[at..],
            open: *open,
            open_len,
            line,
        })
    }

    /// The tree and text of one half (`second`), or of the whole, with the line and byte
    /// its original text starts at.
    pub(super) fn part(
        &self,
        second: bool,
    ) -> Option<(&roxmltree::Document<'_>, &str, (u32, usize))> {
        if second {
            self.second_half().map(|h| (h.xml, h.text, h.home()))
        } else {
            Some((self.xml(), self.text(), (1, 0)))
        }
    }
}

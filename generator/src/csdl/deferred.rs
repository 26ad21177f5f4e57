//! Members read when first asked for.
//!
//! Generating for a few roots reads a few hundred of Graph's 4,000 types; reading the
//! members of all of them, and the annotations of every `<Annotations>` block, was about a
//! quarter of the instructions generation ran beyond the parse (BENCHMARKS.md, "Generation from roots reads what
//! it reaches"). A document loaded for roots ([`super::load_deferred`]) keeps its text and
//! XML tree, and each structured and enum type and each annotation block keeps where its
//! contents are: they are read, with the same code, messages and positions as an eager
//! read, the first time [`Deferred::get`] asks. A document read eagerly
//! ([`super::read_file`], [`super::parse_document`]) has everything read already and keeps
//! no tree.

use std::sync::{Arc, OnceLock};

use super::halves::{Halves, Split};
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
    second: Option<(roxmltree::Document<'a>, Halves)>,
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
    pub(super) halves: Halves,
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
                    match Halves::verify(&split, &first, &second) {
                        Some(halves) => Ok(Trees {
                            first,
                            second: Some((second, halves)),
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
        let (xml, halves) = self.tree.borrow_dependent().second.as_ref()?;
        Some(SecondHalf {
            xml,
            text: &self.tree.borrow_owner()[at..],
            halves: *halves,
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

/// Where unread members are: the element that holds them and the line it starts on, from
/// which the positions of its children are counted.
#[derive(Clone)]
pub(super) struct Place {
    pub(super) source: Arc<Source>,
    /// Whether the element is in the second half of a document parsed in halves.
    pub(super) second: bool,
    pub(super) node: roxmltree::NodeId,
    pub(super) line: u32,
    pub(super) line_start: usize,
}

impl Place {
    fn node(&self) -> Option<roxmltree::Node<'_, '_>> {
        self.source.part(self.second)?.0.get_node(self.node)
    }
}

/// Members of a type: read with it, or read from its element when first asked for (see
/// the module docs). A failed read is not kept: asking again reports the same error.
#[derive(Clone)]
pub struct Deferred<T> {
    value: OnceLock<T>,
    place: Option<Place>,
    /// The names of the unread element's children that [`Self::has_named_child`] asks
    /// about, sorted: annotation targets name hundreds of members of one type (Graph's
    /// `user`), and each would walk all its children again.
    child_names: OnceLock<Box<[Box<str>]>>,
}

impl<T> Deferred<T> {
    /// Members read already.
    pub fn new(value: T) -> Self {
        Deferred {
            value: OnceLock::from(value),
            place: None,
            child_names: OnceLock::new(),
        }
    }

    pub(super) fn unread(place: Place) -> Self {
        Deferred {
            value: OnceLock::new(),
            place: Some(place),
            child_names: OnceLock::new(),
        }
    }

    /// Whether the unread element is in the second half of a document parsed in halves.
    #[cfg(test)]
    pub(super) fn in_second_half(&self) -> bool {
        self.place.as_ref().is_some_and(|p| p.second)
    }

    /// The members if they are read, without reading them.
    pub fn read(&self) -> Option<&T> {
        self.value.get()
    }

    /// The members, read now (by `read`) if they were not yet.
    pub(super) fn get_with(&self, read: fn(&Place) -> Result<T>) -> Result<&T> {
        if let Some(value) = self.value.get() {
            return Ok(value);
        }
        match &self.place {
            Some(place) => {
                let value = read(place)?;
                Ok(self.value.get_or_init(|| value))
            }
            // `new` and `Default` set the value, `unread` the place.
            None => unreachable!("deferred members without a value or a place"),
        }
    }

    /// Whether the unread element has a child element of one of the local names `kinds`
    /// whose `Name` is `name`, found without reading the members (false once they are
    /// read: ask [`Self::read`] first). Every call for one value passes the same `kinds`.
    pub(super) fn has_named_child(&self, kinds: &[&str], name: &str) -> bool {
        let names = self.child_names.get_or_init(|| {
            let Some(node) = self.place.as_ref().and_then(Place::node) else {
                return Box::default();
            };
            let mut names: Vec<Box<str>> = node
                .children()
                .filter(|c| c.is_element() && kinds.contains(&c.tag_name().name()))
                .filter_map(|c| c.attribute("Name").map(Box::from))
                .collect();
            names.sort_unstable();
            names.into_boxed_slice()
        });
        names.binary_search_by(|n| (**n).cmp(name)).is_ok()
    }
}

impl<T> Deferred<T> {
    /// Whether the unread element has a child element of local name `kind` (false once
    /// the value is read: ask [`Self::read`] first).
    pub(super) fn has_child(&self, kind: &str) -> bool {
        self.place
            .as_ref()
            .and_then(Place::node)
            .is_some_and(|node| {
                node.children()
                    .any(|c| c.is_element() && c.tag_name().name() == kind)
            })
    }
}

impl<T: Default> Default for Deferred<T> {
    fn default() -> Self {
        Deferred::new(T::default())
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Deferred<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.value.get() {
            Some(value) => value.fmt(f),
            None => f.write_str("Deferred(unread)"),
        }
    }
}

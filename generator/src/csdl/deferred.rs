//! Members read when first asked for.
//!
//! Generating for a few roots reads a few hundred of Graph's 4,000 types; reading the
//! members of all of them, and the annotations of every `<Annotations>` block, was about a
//! quarter of the instructions generation ran beyond the parse (BENCHMARKS.md,
//! "Generation from roots reads what it reaches"). A document loaded for roots
//! ([`super::load_deferred`]) keeps its text and XML tree (`source.rs`), and each
//! structured and enum type and each annotation block keeps where its contents are: they
//! are read, with the same code, messages and positions as an eager read, the first time
//! [`Deferred::get`] asks. A document read eagerly ([`super::read_file`],
//! [`super::parse_document`]) has everything read already and keeps no tree.

use std::sync::{Arc, OnceLock};

use super::source::Source;
use crate::error::Result;

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

//! [`Field`]: one declared property of a generated struct, named on the wire.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

/// A declared property of the model struct `T`, by its name on the wire: what `$select`,
/// `$expand`, `$orderby` and `set_null` take.
///
/// Generated crates name each one as a constant of the struct's `<Name>Field` type
/// (`SynchronizationJobField::TemplateId` is `Field<SynchronizationJob>` for
/// `templateId`), so a property of another type, or one that does not exist, does not
/// compile. Every trait here is implemented once for all `T`: a models crate with thousands
/// of structs would otherwise compile a `Debug`, `Hash`, `Ord`, ... per struct.
pub struct Field<T> {
    wire: &'static str,
    of: PhantomData<fn() -> T>,
}

impl<T> Field<T> {
    /// The property `wire` of `T` (generated code only: it cannot check that `T` has it).
    #[doc(hidden)]
    pub const fn new(wire: &'static str) -> Self {
        Field {
            wire,
            of: PhantomData,
        }
    }

    /// The property name on the wire.
    pub const fn as_str(self) -> &'static str {
        self.wire
    }
}

impl<T> Clone for Field<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Field<T> {}

impl<T> PartialEq for Field<T> {
    fn eq(&self, other: &Self) -> bool {
        self.wire == other.wire
    }
}

impl<T> Eq for Field<T> {}

impl<T> Hash for Field<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.wire.hash(state);
    }
}

/// By wire name.
impl<T> PartialOrd for Field<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<T> Ord for Field<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.wire.cmp(other.wire)
    }
}

/// `Field("templateId")`.
impl<T> fmt::Debug for Field<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Field").field(&self.wire).finish()
    }
}

/// The wire name.
impl<T> fmt::Display for Field<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.wire)
    }
}

impl<T> AsRef<str> for Field<T> {
    fn as_ref(&self) -> &str {
        self.wire
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeSet, HashSet};

    use super::*;

    struct Job;
    // `T` needs no trait of its own: model structs are not `Eq`, `Hash` or `Ord`.
    const ID: Field<Job> = Field::new("id");
    const STATUS: Field<Job> = Field::new("status");

    #[test]
    fn compares_hashes_and_prints_by_wire_name() {
        assert_eq!(ID.as_str(), "id");
        assert_eq!(ID, Field::new("id"));
        assert_ne!(ID, STATUS);
        assert!(ID < STATUS);
        let copied = ID;
        assert_eq!(copied.as_ref(), ID.as_ref());
        assert_eq!(HashSet::from([ID, STATUS, ID]).len(), 2);
        assert_eq!(
            BTreeSet::from([STATUS, ID]).into_iter().collect::<Vec<_>>(),
            [ID, STATUS]
        );
        assert_eq!(format!("{ID:?} {STATUS}"), "Field(\"id\") status");
    }
}

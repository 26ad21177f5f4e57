//! The vocabulary terms the generator understands, pulled out of raw annotations.
//! Unknown terms are kept in [`AnnotationData::other`], never an error.

use std::collections::BTreeMap;
use std::ops::{Deref, DerefMut};

use crate::csdl::{Annotation, Value};

/// Understood annotations of one model element, read through `Deref` as
/// [`AnnotationData`].
///
/// Most elements carry none, and a Graph-sized model has tens of thousands of properties,
/// navigations and members: the data sits behind one pointer that is null while empty (a
/// `Default` value allocates nothing), instead of about 270 bytes inline in every element.
/// Writing through `DerefMut` allocates it.
#[derive(Clone, Default)]
pub struct Annotations(Option<Box<AnnotationData>>);

/// What an element without annotations reads.
static EMPTY: AnnotationData = AnnotationData {
    description: None,
    long_description: None,
    revisions: Vec::new(),
    computed: false,
    permissions: Vec::new(),
    alternate_keys: Vec::new(),
    update_method: None,
    optional_parameter: false,
    facts: None,
    requests: BTreeMap::new(),
    other: Vec::new(),
};

impl Deref for Annotations {
    type Target = AnnotationData;

    fn deref(&self) -> &AnnotationData {
        self.0.as_deref().unwrap_or(&EMPTY)
    }
}

impl DerefMut for Annotations {
    fn deref_mut(&mut self) -> &mut AnnotationData {
        self.0.get_or_insert_with(Box::default)
    }
}

impl PartialEq for Annotations {
    fn eq(&self, other: &Annotations) -> bool {
        **self == **other
    }
}

impl std::fmt::Debug for Annotations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

/// The understood annotations themselves (see [`Annotations`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AnnotationData {
    /// `Core.Description`.
    pub description: Option<String>,
    /// `Core.LongDescription`.
    pub long_description: Option<String>,
    /// `Core.Revisions` entries.
    pub revisions: Vec<Revision>,
    /// `Core.Computed` (true when present without a value).
    pub computed: bool,
    /// `Core.Permissions` member names.
    pub permissions: Vec<String>,
    /// `Core.AlternateKeys`.
    pub alternate_keys: Vec<AlternateKey>,
    /// `Capabilities.UpdateRestrictions/UpdateMethod` (`PATCH` or `PUT`).
    pub update_method: Option<String>,
    /// `Core.OptionalParameter`: a parameter the caller may leave out.
    pub optional_parameter: bool,
    /// Documented success status and permissions of an operation (docs overlay).
    pub facts: Option<RequestFacts>,
    /// Docs of the plain requests on a navigation property or entity set, by the client's
    /// verb (`list`, `get`, `create`, `update`, `replace`, `delete`; docs overlay).
    pub requests: BTreeMap<String, RequestDoc>,
    /// Every other annotation, verbatim.
    pub other: Vec<Annotation>,
}

/// What the documentation says about one request: its success status and its
/// least-privileged permissions (`None`: not documented; empty: no permission of that kind
/// can call it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestFacts {
    /// `204 No Content`, ...
    pub status: Option<String>,
    /// Delegated permissions (a signed-in user).
    pub delegated: Option<Vec<String>>,
    /// Application permissions (an app acting as itself).
    pub application: Option<Vec<String>>,
}

/// The docs of one plain request (not a CSDL operation): what it does and its facts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestDoc {
    /// What the request does.
    pub description: Option<String>,
    /// Status and permissions.
    pub facts: RequestFacts,
}

/// One `Core.Revisions` record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Revision {
    /// `Added`, `Modified` or `Deprecated`.
    pub kind: String,
    pub date: Option<String>,
    pub removal_date: Option<String>,
    pub version: Option<String>,
    pub description: Option<String>,
}

/// One `Core.AlternateKey`: `(alias, property path)` pairs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AlternateKey {
    pub parts: Vec<(String, String)>,
}

/// Terms arrive with aliases resolved to namespaces (`SAP__core.Description` becomes
/// `Org.OData.Core.V1.Description`); the conventional alias (`Core.Description`) is accepted
/// too, for documents that use it without declaring a reference.
fn term_is(term: &str, vocabulary: &str, name: &str) -> bool {
    let Some(rest) = term.strip_suffix(name).and_then(|t| t.strip_suffix('.')) else {
        return false;
    };
    rest == vocabulary
        || rest
            .strip_prefix("Org.OData.")
            .and_then(|r| r.strip_suffix(".V1"))
            == Some(vocabulary)
}

impl Annotations {
    /// Interprets and adds `annotation`.
    pub fn add(&mut self, annotation: &Annotation) {
        let term = annotation.term.as_str();
        let value = &annotation.value;
        if annotation.qualifier.is_some() {
            // Qualified annotations target a specific consumer; keep them raw.
            self.other.push(annotation.clone());
        } else if term_is(term, "Core", "Description") {
            self.description = value.as_str().map(str::to_string);
        } else if term_is(term, "Core", "LongDescription") {
            self.long_description = value.as_str().map(str::to_string);
        } else if term_is(term, "Core", "Computed") {
            self.computed = !matches!(value, Value::Bool(false));
        } else if term_is(term, "Core", "OptionalParameter") {
            self.optional_parameter = !matches!(value, Value::Bool(false));
        } else if term_is(term, "Core", "Revisions") {
            if let Value::Collection(items) = value {
                for item in items {
                    if let Value::Record(r) = item {
                        let text = |n: &str| r.get(n).and_then(Value::as_str).map(str::to_string);
                        let kind = text("Kind").unwrap_or_default();
                        self.revisions.push(Revision {
                            kind: kind.rsplit('/').next().unwrap_or_default().to_string(),
                            date: text("Date"),
                            removal_date: text("RemovalDate"),
                            version: text("Version"),
                            description: text("Description"),
                        });
                    }
                }
            }
        } else if term_is(term, "Core", "Permissions") {
            let members = value.as_str().unwrap_or_default();
            self.permissions = members
                .split_whitespace()
                .map(|m| m.rsplit('/').next().unwrap_or(m).to_string())
                .collect();
        } else if term_is(term, "Core", "AlternateKeys")
            || term == "OData.Community.Keys.V1.AlternateKeys"
        {
            if let Value::Collection(keys) = value {
                for key in keys {
                    let Value::Record(record) = key else { continue };
                    let Some(Value::Collection(refs)) = record.get("Key") else {
                        continue;
                    };
                    let parts = refs
                        .iter()
                        .filter_map(|r| match r {
                            Value::Record(r) => {
                                let name = r.get("Name").and_then(Value::as_str)?.to_string();
                                let alias = r
                                    .get("Alias")
                                    .and_then(Value::as_str)
                                    .map_or_else(|| name.clone(), str::to_string);
                                Some((alias, name))
                            }
                            _ => None,
                        })
                        .collect::<Vec<_>>();
                    if !parts.is_empty() {
                        self.alternate_keys.push(AlternateKey { parts });
                    }
                }
            }
        } else if term_is(term, "Capabilities", "UpdateRestrictions") {
            if let Value::Record(r) = value {
                if let Some(method) = r.get("UpdateMethod").and_then(Value::as_str) {
                    self.update_method =
                        Some(method.rsplit('/').next().unwrap_or(method).to_uppercase());
                }
            }
            self.other.push(annotation.clone());
        } else {
            self.other.push(annotation.clone());
        }
    }
}

impl AnnotationData {
    /// The value of an unqualified annotation of a term this type does not interpret, by
    /// vocabulary and name (`("Capabilities", "KeyAsSegmentSupported")`).
    pub fn term(&self, vocabulary: &str, name: &str) -> Option<&Value> {
        self.other
            .iter()
            .find(|a| a.qualifier.is_none() && term_is(&a.term, vocabulary, name))
            .map(|a| &a.value)
    }

    /// The `Deprecated` revision, if any.
    pub fn deprecation(&self) -> Option<&Revision> {
        self.revisions.iter().find(|r| r.kind == "Deprecated")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_annotations_take_one_pointer_and_read_as_defaults() {
        assert_eq!(
            std::mem::size_of::<Annotations>(),
            std::mem::size_of::<usize>()
        );
        let mut a = Annotations::default();
        assert!(a.0.is_none());
        assert_eq!(a.description, None);
        assert!(a.other.is_empty() && !a.computed);
        // Equal to written-but-empty data: emptiness is not a second state.
        let mut b = Annotations::default();
        // Borrowing the data mutably allocates it, empty.
        let _: &mut AnnotationData = &mut b;
        assert!(b.0.is_some());
        assert_eq!(a, b);
        a.description = Some("d".into());
        assert_eq!(a.description.as_deref(), Some("d"));
        assert_ne!(a, b);
    }
}

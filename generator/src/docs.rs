//! The documentation overlay: descriptions, success statuses and permissions that the
//! metadata lacks, supplied as data (`--docs FILE`, [`crate::Generator::docs`]).
//!
//! Each entry is keyed by a CSDL annotation target and merged into the model as if the
//! metadata had carried `Core.Description` / `Core.LongDescription` there; an entry wins over
//! the metadata's own text. Operations also get their documented success status and
//! least-privileged permissions, and navigation properties and entity sets the docs of
//! their plain requests (`list`, `get`, `create`, `update`, `replace`, `delete`, `count`,
//! `content`), which the client plan attaches to those methods.
//!
//! Targets, always namespace-qualified (aliases are not accepted):
//!
//! | key | element |
//! |---|---|
//! | `ns.Type` | an entity, complex, enum or type definition |
//! | `ns.Type/name` | a property or navigation property declared on that type |
//! | `ns.EnumType/Member` | an enum member |
//! | `ns.op(ns.Binding)`, `ns.op(Collection(ns.Binding))` | the operation overloads with that binding |
//! | `ns.op()`, `ns.op` | the unbound overloads; `ns.op` alone: every overload |
//! | `ns.op(...)/param` | a parameter of those overloads |
//! | `ns.Container/set` | an entity set or singleton |

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Deserialize;

use crate::error::{did_you_mean, Error, ErrorKind, Pos, Result};
use crate::model::{Annotations, Model, RequestDoc, RequestFacts, TypeKind};

/// The verbs a `requests` table may name: the client's methods for plain requests, `count`
/// for a collection's `$count` and `content` for raw content (a media entity's `$value` on the
/// link of its collection, a stream property on the property itself).
pub const VERBS: [&str; 8] = [
    "list", "get", "create", "update", "replace", "delete", "count", "content",
];

/// A parsed overlay file.
#[derive(Debug, Clone, Default)]
pub struct DocsOverlay {
    entries: BTreeMap<String, Entry>,
}

/// One entry of the file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    description: Option<String>,
    long_description: Option<String>,
    status: Option<String>,
    delegated: Option<Vec<String>>,
    application: Option<Vec<String>>,
    #[serde(default)]
    requests: BTreeMap<String, Request>,
    /// The element exists only in some versions of the metadata: no warning when it is
    /// absent.
    #[serde(default)]
    optional: bool,
}

/// The docs of one plain request.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Request {
    description: Option<String>,
    status: Option<String>,
    delegated: Option<Vec<String>>,
    application: Option<Vec<String>>,
}

impl DocsOverlay {
    /// Reads and checks an overlay file. Errors name the file (and, for a TOML mistake, the
    /// line and column).
    pub fn read(path: &Path) -> Result<DocsOverlay> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, &e))?;
        Self::parse(&text).map_err(|e| e.in_file(path))
    }

    /// Parses overlay text.
    pub fn parse(text: &str) -> Result<DocsOverlay> {
        let entries: BTreeMap<String, Entry> = toml::from_str(text).map_err(|e| {
            let mut err = Error::new(ErrorKind::Config, format!("docs overlay: {}", e.message()));
            if let Some(span) = e.span() {
                err = err.at(Pos::of_offset(text, span.start));
            }
            err
        })?;
        for (target, entry) in &entries {
            if let Some(verb) = entry.requests.keys().find(|v| !VERBS.contains(&v.as_str())) {
                return Err(Error::new(
                    ErrorKind::Config,
                    format!(
                        "docs overlay: `{target}` documents the request `{verb}`; requests are {}",
                        VERBS.join(", ")
                    ),
                )
                .named(verb));
            }
        }
        Ok(DocsOverlay { entries })
    }

    /// The targets of the entries (`ns.Type/property`, ...): what a lazily resolved model
    /// fills before the overlay applies ([`Model::fill_named`]).
    pub(crate) fn targets(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    /// Merges the overlay into `model`. Returns one warning per entry that matches nothing
    /// (unless it is marked `optional`), with the closest target when there is one.
    pub(crate) fn apply(&self, model: &mut Model) -> Vec<String> {
        let index = TargetIndex::new(model);
        let mut missing = Vec::new();
        for (target, entry) in &self.entries {
            let found = index.find(model, target);
            if found.is_empty() {
                if !entry.optional {
                    missing.push(format!(
                        "docs overlay: `{target}` matches nothing in the metadata{}",
                        index.closest(model, target)
                    ));
                }
                continue;
            }
            for element in found {
                entry.merge_into(annotations_mut(model, element));
            }
        }
        missing
    }
}

impl Entry {
    fn merge_into(&self, a: &mut Annotations) {
        if let Some(d) = &self.description {
            a.description = Some(d.clone());
        }
        if let Some(d) = &self.long_description {
            a.long_description = Some(d.clone());
        }
        let facts = facts_of(&self.status, &self.delegated, &self.application);
        if facts != RequestFacts::default() {
            a.facts = Some(facts);
        }
        for (verb, r) in &self.requests {
            a.requests.insert(
                verb.clone(),
                RequestDoc {
                    description: r.description.clone(),
                    facts: facts_of(&r.status, &r.delegated, &r.application),
                },
            );
        }
    }
}

fn facts_of(
    status: &Option<String>,
    delegated: &Option<Vec<String>>,
    application: &Option<Vec<String>>,
) -> RequestFacts {
    RequestFacts {
        status: status.clone(),
        delegated: delegated.clone(),
        application: application.clone(),
    }
}

/// A model element a target names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Element {
    Type(usize),
    Property(usize, usize),
    Navigation(usize, usize),
    Member(usize, usize),
    Operation(usize),
    Http(usize),
    Parameter(usize, usize),
    EntitySet(usize, usize),
    Singleton(usize, usize),
}

fn annotations_mut(model: &mut Model, element: Element) -> &mut Annotations {
    match element {
        Element::Type(t) => &mut model.types[t].annotations,
        Element::Property(t, i) => match &mut model.types[t].kind {
            TypeKind::Entity(s) | TypeKind::Complex(s) => &mut s.properties[i].annotations,
            _ => unreachable!("properties belong to structured types"),
        },
        Element::Navigation(t, i) => match &mut model.types[t].kind {
            TypeKind::Entity(s) | TypeKind::Complex(s) => &mut s.navigations[i].annotations,
            _ => unreachable!("navigations belong to structured types"),
        },
        Element::Member(t, i) => match &mut model.types[t].kind {
            TypeKind::Enum(e) => &mut e.members[i].annotations,
            _ => unreachable!("members belong to enum types"),
        },
        Element::Operation(o) => &mut model.operations[o].annotations,
        Element::Http(o) => &mut model.http_operations[o].annotations,
        Element::Parameter(o, i) => &mut model.operations[o].parameters[i].annotations,
        Element::EntitySet(c, i) => &mut model.containers[c].entity_sets[i].annotations,
        Element::Singleton(c, i) => &mut model.containers[c].singletons[i].annotations,
    }
}

/// Every target of the model by name, built once.
struct TargetIndex {
    types: HashMap<String, usize>,
    operations: HashMap<String, Vec<usize>>,
    containers: HashMap<String, usize>,
}

impl TargetIndex {
    fn new(model: &Model) -> Self {
        let types = model
            .types
            .iter()
            .enumerate()
            .map(|(i, t)| (t.qualified_name(), i))
            .collect();
        let mut operations: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, op) in model.operations.iter().enumerate() {
            operations.entry(op.qualified_name()).or_default().push(i);
        }
        let containers = model
            .containers
            .iter()
            .enumerate()
            .map(|(i, c)| (format!("{}.{}", c.namespace, c.name), i))
            .collect();
        TargetIndex {
            types,
            operations,
            containers,
        }
    }

    /// The elements `target` names (several for an operation with overloads).
    fn find(&self, model: &Model, target: &str) -> Vec<Element> {
        // `ns.op(Binding)/param`: the parameter part follows the closing parenthesis.
        let (head, child) = match target.rfind(')') {
            Some(close) => match target[close + 1..].strip_prefix('/') {
                Some(child) => (&target[..=close], Some(child)),
                None if close + 1 == target.len() => (target, None),
                None => return Vec::new(),
            },
            None => match target.split_once('/') {
                Some((h, c)) => (h, Some(c)),
                None => (target, None),
            },
        };
        if let Some((name, binding)) = head.split_once('(') {
            let binding = binding.strip_suffix(')').unwrap_or(binding);
            return self.operation(model, name, Some(binding), child);
        }
        if let Some(&t) = self.types.get(head) {
            return type_child(model, t, child);
        }
        if let (Some(&c), Some(child)) = (self.containers.get(head), child) {
            let container = &model.containers[c];
            if let Some(i) = container.entity_sets.iter().position(|s| s.name == child) {
                return vec![Element::EntitySet(c, i)];
            }
            if let Some(i) = container.singletons.iter().position(|s| s.name == child) {
                return vec![Element::Singleton(c, i)];
            }
            return Vec::new();
        }
        self.operation(model, head, None, child)
    }

    fn operation(
        &self,
        model: &Model,
        name: &str,
        binding: Option<&str>,
        child: Option<&str>,
    ) -> Vec<Element> {
        let mut out = Vec::new();
        // Requests an override file added (not CSDL operations) are documented the same way.
        if child.is_none() {
            for (i, h) in model.http_operations.iter().enumerate() {
                let qualified = model.ty(h.binding).qualified_name();
                let (ns, _) = qualified.rsplit_once('.').unwrap_or(("", ""));
                if name == format!("{ns}.{}", h.name) && binding.is_none_or(|b| b == qualified) {
                    out.push(Element::Http(i));
                }
            }
        }
        let Some(overloads) = self.operations.get(name) else {
            return out;
        };
        for &o in overloads {
            let op = &model.operations[o];
            let matches = match (binding, &op.binding) {
                (None, _) => true,
                (Some(""), None) => true,
                (Some(wanted), Some(b)) => {
                    let (collection, inner) = match wanted
                        .strip_prefix("Collection(")
                        .and_then(|w| w.strip_suffix(')'))
                    {
                        Some(inner) => (true, inner),
                        None => (false, wanted),
                    };
                    b.collection == collection
                        && b.type_id()
                            .is_some_and(|t| model.ty(t).qualified_name() == inner)
                }
                (Some(_), None) => false,
            };
            if !matches {
                continue;
            }
            match child {
                None => out.push(Element::Operation(o)),
                Some(p) => {
                    if let Some(i) = op.parameters.iter().position(|x| x.name == p) {
                        out.push(Element::Parameter(o, i));
                    }
                }
            }
        }
        out
    }

    /// `; did you mean ...?` for the member of a known type closest to `target`, or else
    /// the type, operation or container closest to its head; empty when none is close.
    fn closest(&self, model: &Model, target: &str) -> String {
        let head = target.split(['/', '(']).next().unwrap_or(target);
        if let (Some(&t), Some((_, child))) = (self.types.get(head), target.split_once('/')) {
            let names: Vec<&str> = match &model.types[t].kind {
                TypeKind::Entity(s) | TypeKind::Complex(s) => s
                    .properties
                    .iter()
                    .map(|p| p.name.as_str())
                    .chain(s.navigations.iter().map(|n| n.name.as_str()))
                    .collect(),
                TypeKind::Enum(e) => e.members.iter().map(|m| m.name.as_str()).collect(),
                _ => Vec::new(),
            };
            return did_you_mean(child, names.into_iter());
        }
        let candidates = self
            .types
            .keys()
            .chain(self.operations.keys())
            .chain(self.containers.keys())
            .map(String::as_str);
        did_you_mean(head, candidates)
    }
}

fn type_child(model: &Model, t: usize, child: Option<&str>) -> Vec<Element> {
    let Some(child) = child else {
        return vec![Element::Type(t)];
    };
    match &model.types[t].kind {
        TypeKind::Entity(s) | TypeKind::Complex(s) => {
            if let Some(i) = s.properties.iter().position(|p| p.name == child) {
                return vec![Element::Property(t, i)];
            }
            if let Some(i) = s.navigations.iter().position(|n| n.name == child) {
                return vec![Element::Navigation(t, i)];
            }
            Vec::new()
        }
        TypeKind::Enum(e) => e
            .members
            .iter()
            .position(|m| m.name == child)
            .map(|i| vec![Element::Member(t, i)])
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

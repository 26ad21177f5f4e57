//! Stage 3: select what the roots reach.
//!
//! Closure rule: from each root type, follow base types, structural property types,
//! navigation targets and the parameter and return types of every bound operation whose
//! binding type (or collection of it) is selected, to a fixpoint. Derived types are not
//! followed: a property typed with a base type dispatches only to derived types that are
//! selected for another reason.

use std::collections::BTreeSet;

use crate::error::{did_you_mean, Error, ErrorKind, Result};
use crate::model::{Model, OperationId, Target, TypeId, TypeRef};

/// Where selection starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Root {
    /// A qualified type name, e.g. `microsoft.graph.synchronization`: the type and its closure.
    Type(String),
    /// A URL path template from an entity set or singleton through single-valued navigation
    /// properties, e.g. `servicePrincipals/{id}/synchronization`. Only the last segment's type
    /// joins the model closure; the path itself is what a client exposes.
    Path(String),
}

impl Root {
    /// Parses a `--root` argument: a path when it contains `/`, else a type name, else an
    /// entity set or singleton name.
    pub fn parse(s: &str) -> Root {
        let s = s.trim();
        if s.contains('/') || !s.contains('.') {
            Root::Path(s.trim_start_matches('/').to_string())
        } else {
            Root::Type(s.to_string())
        }
    }

    /// The roots of the Graph synchronization API.
    pub fn synchronization() -> Vec<Root> {
        vec![
            Root::Path("servicePrincipals/{id}/synchronization".into()),
            Root::Path("applications/{id}/synchronization".into()),
        ]
    }
}

/// A navigation step of a [`PathRoot`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The type that declares (or inherits) the navigation property.
    pub owner: TypeId,
    /// The navigation property's name.
    pub name: String,
    /// Its target type.
    pub target: TypeId,
    /// Collection-valued.
    pub collection: bool,
}

/// A resolved path root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathRoot {
    /// Index of the container in [`Model::containers`].
    pub container: usize,
    /// The entity set or singleton name.
    pub set: String,
    /// Whether `set` is a singleton.
    pub singleton: bool,
    /// The entity type of the set.
    pub set_type: TypeId,
    /// Navigation steps after the key segment.
    pub steps: Vec<Step>,
}

impl PathRoot {
    /// The type the path ends at.
    pub fn target(&self) -> TypeId {
        self.steps.last().map_or(self.set_type, |s| s.target)
    }
}

/// What the roots reach.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Selected types (sorted by id: document order within each schema).
    pub types: BTreeSet<TypeId>,
    /// Selected operations.
    pub operations: BTreeSet<OperationId>,
    /// Path roots, in the order given.
    pub paths: Vec<PathRoot>,
    /// Whether everything was selected (`--all`).
    pub all: bool,
    /// Types selected *shallowly*: the entity types a path root starts from or passes
    /// through (and their base types), with their structural properties, so a client can
    /// `list` and `get` them (`servicePrincipals?$filter=appId eq '...'`), but without
    /// their navigations and bound operations, so the selection stays lean. A type that is
    /// also reached the ordinary way is not shallow.
    pub shallow: BTreeSet<TypeId>,
}

impl Selection {
    /// Whether `ty` is selected with its navigations and operations.
    pub fn is_deep(&self, ty: TypeId) -> bool {
        self.types.contains(&ty) && !self.shallow.contains(&ty)
    }
}

/// Selects everything the main document declares, and what of referenced documents it
/// uses; every entity set and singleton is a path root.
pub fn select_all(model: &Model) -> Selection {
    let mut paths = Vec::new();
    for (ci, c) in model.containers.iter().enumerate() {
        for (sets, singleton) in [(&c.entity_sets, false), (&c.singletons, true)] {
            for s in sets {
                paths.push(PathRoot {
                    container: ci,
                    set: s.name.clone(),
                    singleton,
                    set_type: s.entity_type,
                    steps: Vec::new(),
                });
            }
        }
    }
    let mut sel = Selection {
        paths,
        all: true,
        ..Selection::default()
    };
    let mut pending: Vec<TypeId> = (0..model.types.len())
        .map(TypeId)
        .filter(|id| !model.ty(*id).external)
        .collect();
    for (i, op) in model.operations.iter().enumerate() {
        if !op.external {
            sel.operations.insert(OperationId(i));
            pending.extend(op.binding.iter().filter_map(TypeRef::type_id));
            pending.extend(op.parameters.iter().filter_map(|p| p.ty.type_id()));
            pending.extend(op.return_type.iter().filter_map(|r| r.ty.type_id()));
        }
    }
    // Everything is selected whole here: an entity type of a referenced document that is
    // reached only as a value inside a payload joins like any other.
    while !pending.is_empty() {
        let mut values = BTreeSet::new();
        close(&mut &*model, &mut sel, pending, &mut values)
            .expect("a model resolved whole needs no filling");
        pending = values
            .into_iter()
            .filter(|t| !sel.types.contains(t))
            .collect();
    }
    sel
}

/// How selection reads types: a model resolved whole as it is, one from
/// [`crate::model::resolve_lazy`] after filling each type whose members it reads.
trait Types {
    fn model(&self) -> &Model;
    /// Makes the members of `id` (and of its base types) readable.
    fn need(&mut self, id: TypeId) -> Result<()>;
}

impl Types for &Model {
    fn model(&self) -> &Model {
        self
    }

    fn need(&mut self, _: TypeId) -> Result<()> {
        Ok(())
    }
}

impl Types for &mut Model {
    fn model(&self) -> &Model {
        self
    }

    fn need(&mut self, id: TypeId) -> Result<()> {
        self.fill(&[id])
    }
}

/// Selects what `roots` reach in a model resolved whole.
pub fn select(model: &Model, roots: &[Root]) -> Result<Selection> {
    select_in(model, roots)
}

/// Selects what `roots` reach in a model from [`crate::model::resolve_lazy`], filling the
/// types selection reads (and only those).
pub fn select_filling(model: &mut Model, roots: &[Root]) -> Result<Selection> {
    select_in(model, roots)
}

fn select_in(mut m: impl Types, roots: &[Root]) -> Result<Selection> {
    let mut sel = Selection::default();
    let mut pending: Vec<TypeId> = Vec::new();
    for root in roots {
        match root {
            Root::Type(name) => {
                let model = m.model();
                let id = find_type(model, name).ok_or_else(|| {
                    let names: Vec<String> =
                        model.types.iter().map(|t| t.qualified_name()).collect();
                    Error::new(
                        ErrorKind::Config,
                        format!(
                            "root type `{name}` is not defined{}",
                            did_you_mean(name, names.iter().map(String::as_str))
                        ),
                    )
                    .named(name)
                })?;
                pending.push(id);
            }
            Root::Path(path) => {
                let p = resolve_path(&mut m, path)?;
                pending.push(p.target());
                sel.paths.push(p);
            }
        }
    }
    let mut values = BTreeSet::new();
    close(&mut m, &mut sel, pending, &mut values)?;
    // The entity types a path starts from or passes through, and those reached only as a
    // value inside a payload (a structural property, a complex type's navigation: an
    // action's result holding an `application`, not an address the client can navigate
    // from), shallowly.
    let mut passed: Vec<TypeId> = values.into_iter().collect();
    for p in &sel.paths {
        passed.push(p.set_type);
        passed.extend(p.steps.iter().map(|s| s.target));
    }
    while !passed.is_empty() {
        let mut added = Vec::new();
        for ty in passed {
            for t in m.model().lineage(ty) {
                if !sel.types.contains(&t) && sel.shallow.insert(t) {
                    added.push(t);
                }
            }
        }
        sel.types.extend(added.iter().copied());
        // Their structural property types, the ordinary way.
        let mut pending: Vec<TypeId> = Vec::new();
        for t in added {
            m.need(t)?;
            if let Some(s) = m.model().ty(t).structured() {
                pending.extend(s.properties.iter().filter_map(|p| p.ty.type_id()));
            }
        }
        pending.retain(|t| !sel.types.contains(t));
        let mut values = BTreeSet::new();
        close(&mut m, &mut sel, pending, &mut values)?;
        passed = values
            .into_iter()
            .filter(|t| !sel.types.contains(t))
            .collect();
    }
    Ok(sel)
}

/// Adds `pending` and everything it needs to `sel`: base types, property and navigation
/// types, and the operations bound to selected types with their parameter and return types,
/// to a fixpoint. Entity types reached only as a structural property's type or through a
/// complex type's navigation go to `values` instead, for the caller to select shallowly.
fn close(
    m: &mut impl Types,
    sel: &mut Selection,
    mut pending: Vec<TypeId>,
    values: &mut BTreeSet<TypeId>,
) -> Result<()> {
    loop {
        while let Some(id) = pending.pop() {
            if !sel.types.insert(id) {
                continue;
            }
            m.need(id)?;
            let model = m.model();
            let ty = model.ty(id);
            if let Some(s) = ty.structured() {
                pending.extend(s.base);
                for t in s.properties.iter().filter_map(|p| p.ty.type_id()) {
                    if model.ty(t).is_entity() {
                        values.insert(t);
                    } else {
                        pending.push(t);
                    }
                }
                // A complex type's navigation has no URL of its own (the client addresses
                // entities through entity sets and entity navigations): its targets are
                // values in a payload too.
                let navigations = s.navigations.iter().filter_map(|n| n.ty.type_id());
                if ty.is_entity() {
                    pending.extend(navigations);
                } else {
                    values.extend(navigations);
                }
            }
        }
        let before = sel.operations.len();
        let model = m.model();
        for (i, op) in model.operations.iter().enumerate() {
            let Some(binding) = op.binding.as_ref().and_then(TypeRef::type_id) else {
                continue;
            };
            if sel.is_deep(binding) && sel.operations.insert(OperationId(i)) {
                pending.extend(op.parameters.iter().filter_map(|p| p.ty.type_id()));
                pending.extend(op.return_type.iter().filter_map(|r| r.ty.type_id()));
            }
        }
        // Requests added by override files, on selected entity types: their body and
        // response types.
        for op in &model.http_operations {
            if sel.is_deep(op.binding) {
                pending.extend(
                    op.body
                        .iter()
                        .chain(&op.response)
                        .filter_map(TypeRef::type_id)
                        .filter(|t| !sel.types.contains(t)),
                );
            }
        }
        if pending.is_empty() && sel.operations.len() == before {
            return Ok(());
        }
    }
}

fn find_type(model: &Model, name: &str) -> Option<TypeId> {
    let canonical = match name.rsplit_once('.') {
        Some((ns, rest)) => model
            .namespaces
            .iter()
            .find(|(n, a)| n == ns || a.as_deref() == Some(ns))
            .map_or_else(|| name.to_string(), |(n, _)| format!("{n}.{rest}")),
        None => name.to_string(),
    };
    model.find_type(&canonical)
}

fn resolve_path(m: &mut impl Types, path: &str) -> Result<PathRoot> {
    let model = m.model();
    let config = |msg: String| Error::new(ErrorKind::Config, msg).named(path);
    let raw: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let is_key = |s: &str| s.starts_with('{') && s.ends_with('}');
    let mut segments = raw.iter().copied().filter(|s| !is_key(s));
    let first = segments
        .next()
        .ok_or_else(|| config(format!("root path `{path}` is empty")))?;
    let (container, set_type, singleton) = model
        .containers
        .iter()
        .enumerate()
        .find_map(|(ci, c)| {
            c.entity_sets
                .iter()
                .find(|s| s.name == first)
                .map(|s| (ci, s.entity_type, false))
                .or_else(|| {
                    c.singletons
                        .iter()
                        .find(|s| s.name == first)
                        .map(|s| (ci, s.entity_type, true))
                })
        })
        .ok_or_else(|| {
            let names: Vec<&str> = model
                .containers
                .iter()
                .flat_map(|c| c.entity_sets.iter().chain(&c.singletons))
                .map(|s| s.name.as_str())
                .collect();
            config(format!(
                "root path `{path}`: `{first}` is not an entity set or singleton{}",
                did_you_mean(first, names.iter().copied())
            ))
        })?;
    // After a collection (an entity set, a collection-valued navigation) a navigation
    // needs the key of one item first: `servicePrincipals/{id}/synchronization`.
    check_keys(m, path, &raw, set_type, !singleton)?;
    let mut root = PathRoot {
        container,
        set: first.to_string(),
        singleton,
        set_type,
        steps: Vec::new(),
    };
    let mut current = set_type;
    for seg in segments {
        m.need(current)?;
        let model = m.model();
        let nav = model
            .all_navigations(current)
            .into_iter()
            .find(|(_, n)| n.name == seg)
            .map(|(owner, n)| (owner, n.ty.clone()))
            .ok_or_else(|| {
                let navs = model.all_navigations(current);
                config(format!(
                    "root path `{path}`: `{}` has no navigation property `{seg}`{}",
                    model.ty(current).qualified_name(),
                    did_you_mean(seg, navs.iter().map(|(_, n)| n.name.as_str()))
                ))
            })?;
        let (owner, ty) = nav;
        let Target::Type(target) = ty.target else {
            return Err(config(format!(
                "root path `{path}`: `{seg}` is not a navigation"
            )));
        };
        root.steps.push(Step {
            owner,
            name: seg.to_string(),
            target,
            collection: ty.collection,
        });
        current = target;
    }
    Ok(root)
}

/// Every navigation after a collection segment must follow a key segment (`{id}`), and a
/// key segment must follow a collection.
fn check_keys(
    m: &mut impl Types,
    path: &str,
    raw: &[&str],
    set_type: TypeId,
    set_is_collection: bool,
) -> Result<()> {
    let config = |msg: String| Error::new(ErrorKind::Config, msg).named(path);
    let mut collection = set_is_collection;
    let mut current = set_type;
    let mut previous = raw.first().copied().unwrap_or_default();
    for seg in raw.iter().skip(1) {
        if seg.starts_with('{') && seg.ends_with('}') {
            if !collection {
                return Err(config(format!(
                    "root path `{path}`: `{previous}` is a single entity, so it takes no key `{seg}`"
                )));
            }
            collection = false;
            continue;
        }
        if collection {
            return Err(config(format!(
                "root path `{path}`: `{previous}` is a collection; name one item with a key before `{seg}` (`{previous}/{{id}}/{seg}`)"
            )));
        }
        m.need(current)?;
        let model = m.model();
        let Some((_, nav)) = model
            .all_navigations(current)
            .into_iter()
            .find(|(_, n)| n.name == *seg)
        else {
            // Reported by the caller, with suggestions.
            return Ok(());
        };
        let Some(target) = nav.ty.type_id() else {
            return Ok(());
        };
        collection = nav.ty.collection;
        current = target;
        previous = seg;
    }
    Ok(())
}

//! The request surface of a selection: the request builders a client has and how they link.
//!
//! A builder is one (entity type, kind) pair, shared by every URL path that reaches it, so
//! the surface grows with types + navigations + operations, never with the number of
//! paths. It is found by one breadth-first walk from the path roots (entity sets,
//! singletons, and the navigation steps of path roots): each builder is expanded once, each
//! navigation is one edge. The first (shortest) URL that reaches a builder is its canonical
//! template; the others are only counted, with a short sample kept for documentation.
//!
//! The client plan names what this finds; `inspect` lists it.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

use super::request::Http;
use crate::model::{Model, OperationId, Primitive, Target, TypeId};
use crate::select::Selection;

/// How many other URLs a builder's documentation names as examples.
pub const SAMPLE_PATHS: usize = 3;

/// What a builder addresses.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BuilderKind {
    /// One entity.
    Item,
    /// An entity collection.
    Collection,
    /// A structural collection property the metadata marks updatable.
    Property(String),
}

/// A link from one builder to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    /// The URL segment: a navigation or property name, or a qualified type name for a cast.
    pub segment: String,
    /// The builder it leads to.
    pub target: usize,
}

/// One request builder.
#[derive(Debug, Clone)]
pub struct Builder {
    /// The entity type.
    pub ty: TypeId,
    /// What it addresses.
    pub kind: BuilderKind,
    /// Whether the type has a model (it is selected): `get`, `list`, `create`, `update`,
    /// `delete` are there.
    pub typed: bool,
    /// Deeply selected types also get their navigations, operations and casts; others
    /// (types a root path starts from or passes through) get just the navigation along the
    /// path.
    pub full: bool,
    /// The first URL template that reaches it (`{id}` for keys).
    pub canonical: String,
    /// How many other links (navigations, casts, entry points) reach it.
    pub other_parents: usize,
    /// Up to [`SAMPLE_PATHS`] URL templates of those other links.
    pub sample: Vec<String>,
    /// Item builders: navigation properties, by name.
    pub navigations: Vec<Edge>,
    /// Item builders: updatable structural collection properties.
    pub properties: Vec<Edge>,
    /// Type casts to selected derived types that add navigations or operations (segment:
    /// the derived type's qualified name).
    pub casts: Vec<Edge>,
    /// Bound operations (bound to the type or a base, single or collection per kind).
    pub operations: Vec<OperationId>,
    /// Collection builders: the builder of one item.
    pub item: Option<usize>,
    /// The link of the canonical URL: where the docs of its plain requests are.
    pub via: Option<Via>,
}

/// The element a builder's canonical URL ends with: it carries the docs of the plain
/// requests (`list`, `get`, `create`, ...) on the builder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// An entity set or singleton of the container.
    Set(String),
    /// A navigation property or updatable collection property of a type (declared on it or
    /// a base).
    Member {
        /// The type the member is reached from.
        owner: TypeId,
        /// The member's name.
        name: String,
    },
}

/// An entity set or singleton a path root starts from: a method of the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The entity set or singleton name.
    pub set: String,
    /// Whether it is a singleton.
    pub singleton: bool,
    /// Its builder.
    pub builder: usize,
}

/// All builders of a selection and the client's entry points.
#[derive(Debug, Clone, Default)]
pub struct Surface {
    /// Builders in discovery order (breadth first from the entries).
    pub builders: Vec<Builder>,
    /// Entry points, sorted by name.
    pub entries: Vec<Entry>,
    /// Whether single keys are path segments (`/set/{id}`) rather than in parentheses
    /// (`/set({id})`); see [`Model::key_as_segment`].
    pub key_as_segment: bool,
    /// The URL template of each path root of the selection, in its order: a key after
    /// every collection the path passes through (`/orders/{id}/lines/{id}/product`).
    pub roots: Vec<String>,
}

impl Surface {
    /// Walks the selection's path roots.
    pub fn new(model: &Model, selection: &Selection) -> Surface {
        let mut walk = Walk::new(model, selection);
        let mut entries: BTreeMap<String, Entry> = BTreeMap::new();
        let mut roots = Vec::with_capacity(selection.paths.len());
        for path in &selection.paths {
            let mut template = format!("/{}", path.set);
            let mut collection = !path.singleton;
            for step in &path.steps {
                if collection {
                    template = item_template(&template, walk.key_as_segment);
                }
                template.push('/');
                template.push_str(&step.name);
                collection = step.collection;
            }
            roots.push(template);
            let kind = if path.singleton {
                BuilderKind::Item
            } else {
                BuilderKind::Collection
            };
            let builder = walk.reach(
                path.set_type,
                kind,
                format!("/{}", path.set),
                Some(Via::Set(path.set.clone())),
            );
            entries.entry(path.set.clone()).or_insert(Entry {
                set: path.set.clone(),
                singleton: path.singleton,
                builder,
            });
            // The navigation steps of the path are links even where the type is only passed
            // through.
            let mut ty = path.set_type;
            for step in &path.steps {
                walk.path_steps
                    .entry(ty)
                    .or_default()
                    .insert(step.name.clone(), (step.target, step.collection));
                ty = step.target;
            }
        }
        while let Some(index) = walk.queue.pop_front() {
            walk.expand(index);
        }
        Surface {
            builders: walk.builders,
            entries: entries.into_values().collect(),
            key_as_segment: walk.key_as_segment,
            roots,
        }
    }
}

/// The URL template of one entity of the collection at `base`: `{base}/{id}` when keys are
/// segments, `{base}({id})` otherwise.
pub fn item_template(base: &str, key_as_segment: bool) -> String {
    if key_as_segment {
        format!("{base}/{{id}}")
    } else {
        format!("{base}({{id}})")
    }
}

struct Walk<'a> {
    model: &'a Model,
    selection: &'a Selection,
    builders: Vec<Builder>,
    index: HashMap<(TypeId, BuilderKind), usize>,
    queue: VecDeque<usize>,
    /// Navigations along path roots, by the type they start from.
    path_steps: HashMap<TypeId, BTreeMap<String, (TypeId, bool)>>,
    /// Selected bound operations by (binding type, bound to a collection).
    bound: HashMap<(TypeId, bool), Vec<OperationId>>,
    /// Types that declare navigations to selected types or have operations bound to them.
    adds_requests: HashSet<TypeId>,
    /// [`Model::key_as_segment`], asked once.
    key_as_segment: bool,
}

impl<'a> Walk<'a> {
    fn new(model: &'a Model, selection: &'a Selection) -> Self {
        let mut bound: HashMap<(TypeId, bool), Vec<OperationId>> = HashMap::new();
        for &op in &selection.operations {
            if let Some(b) = &model.operations[op.0].binding {
                if let Some(t) = b.type_id() {
                    bound.entry((t, b.collection)).or_default().push(op);
                }
            }
        }
        let mut adds_requests: HashSet<TypeId> = bound.keys().map(|(t, _)| *t).collect();
        for &id in &selection.types {
            if let Some(s) = model.ty(id).structured() {
                let navigates = s
                    .navigations
                    .iter()
                    .any(|n| n.ty.type_id().is_some_and(|t| selection.types.contains(&t)));
                if navigates {
                    adds_requests.insert(id);
                }
            }
        }
        Walk {
            model,
            selection,
            builders: Vec::new(),
            index: HashMap::new(),
            queue: VecDeque::new(),
            path_steps: HashMap::new(),
            bound,
            adds_requests,
            key_as_segment: model.key_as_segment(),
        }
    }

    /// Selected with navigations and operations.
    fn selected(&self, ty: TypeId) -> bool {
        self.selection.is_deep(ty)
    }

    /// The builder of `(ty, kind)`, created (and queued) the first time it is reached.
    fn reach(
        &mut self,
        ty: TypeId,
        kind: BuilderKind,
        template: String,
        via: Option<Via>,
    ) -> usize {
        let key = (ty, kind);
        if let Some(&index) = self.index.get(&key) {
            let b = &mut self.builders[index];
            b.other_parents += 1;
            if b.sample.len() < SAMPLE_PATHS && b.canonical != template {
                b.sample.push(template);
            }
            return index;
        }
        let index = self.builders.len();
        self.builders.push(Builder {
            ty,
            kind: key.1.clone(),
            typed: self.selection.types.contains(&ty),
            full: self.selected(ty),
            canonical: template,
            other_parents: 0,
            sample: Vec::new(),
            navigations: Vec::new(),
            properties: Vec::new(),
            casts: Vec::new(),
            operations: Vec::new(),
            item: None,
            via,
        });
        self.index.insert(key, index);
        self.queue.push_back(index);
        index
    }

    /// Finds the links of builder `index` and reaches their targets.
    fn expand(&mut self, index: usize) {
        let (ty, kind, full, base) = {
            let b = &self.builders[index];
            (b.ty, b.kind.clone(), b.full, b.canonical.clone())
        };
        match kind {
            BuilderKind::Item => {
                let mut navs: BTreeMap<String, (TypeId, bool)> = BTreeMap::new();
                if full {
                    for (_, n) in self.model.all_navigations(ty) {
                        if let Some(t) = n.ty.type_id().filter(|t| self.selection.types.contains(t))
                        {
                            navs.insert(n.name.clone(), (t, n.ty.collection));
                        }
                    }
                }
                if let Some(steps) = self.path_steps.get(&ty) {
                    for (name, target) in steps {
                        navs.entry(name.clone()).or_insert(*target);
                    }
                }
                let mut navigations = Vec::new();
                for (name, (target, collection)) in navs {
                    let k = if collection {
                        BuilderKind::Collection
                    } else {
                        BuilderKind::Item
                    };
                    let via = Via::Member {
                        owner: ty,
                        name: name.clone(),
                    };
                    let t = self.reach(target, k, format!("{base}/{name}"), Some(via));
                    navigations.push(Edge {
                        segment: name,
                        target: t,
                    });
                }
                let mut properties = Vec::new();
                if full {
                    for prop in updatable_collections(self.model, ty) {
                        let via = Via::Member {
                            owner: ty,
                            name: prop.clone(),
                        };
                        let t = self.reach(
                            ty,
                            BuilderKind::Property(prop.clone()),
                            format!("{base}/{prop}"),
                            Some(via),
                        );
                        properties.push(Edge {
                            segment: prop,
                            target: t,
                        });
                    }
                }
                let b = &mut self.builders[index];
                b.navigations = navigations;
                b.properties = properties;
            }
            BuilderKind::Collection => {
                // An item is documented by the link of its collection.
                let via = self.builders[index].via.clone();
                let item = self.reach(
                    ty,
                    BuilderKind::Item,
                    item_template(&base, self.key_as_segment),
                    via,
                );
                self.builders[index].item = Some(item);
            }
            BuilderKind::Property(_) => return,
        }
        if !full {
            return;
        }
        let collection = kind == BuilderKind::Collection;
        let mut casts = Vec::new();
        for derived in self.cast_targets(ty) {
            let name = self.model.ty(derived).qualified_name();
            let t = self.reach(derived, kind.clone(), format!("{base}/{name}"), None);
            casts.push(Edge {
                segment: name,
                target: t,
            });
        }
        let mut operations = Vec::new();
        for t in self.model.lineage(ty) {
            if let Some(ops) = self.bound.get(&(t, collection)) {
                operations.extend(ops.iter().copied());
            }
        }
        operations.sort();
        operations.dedup();
        let b = &mut self.builders[index];
        b.casts = casts;
        b.operations = operations;
    }

    /// Selected types derived from `ty` (at any depth) that add navigations or operations
    /// to what `ty` has, sorted by qualified name.
    fn cast_targets(&self, ty: TypeId) -> Vec<TypeId> {
        let mut out = Vec::new();
        let mut stack: Vec<(TypeId, bool)> = self
            .model
            .ty(ty)
            .structured()
            .map(|s| s.derived.iter().map(|d| (*d, false)).collect())
            .unwrap_or_default();
        while let Some((d, added_above)) = stack.pop() {
            let adds = added_above || self.adds_requests.contains(&d);
            if adds && self.selected(d) {
                out.push(d);
            }
            if let Some(s) = self.model.ty(d).structured() {
                stack.extend(s.derived.iter().map(|dd| (*dd, adds)));
            }
        }
        out.sort_by_cached_key(|d| self.model.ty(*d).qualified_name());
        out.dedup();
        out
    }
}

/// Structural collection properties the metadata marks updatable (`UpdateRestrictions`).
pub fn updatable_collections(model: &Model, ty: TypeId) -> Vec<String> {
    model
        .all_properties(ty)
        .into_iter()
        .filter(|(_, p)| p.ty.collection && p.annotations.update_method.is_some())
        .map(|(_, p)| p.name.clone())
        .collect()
}

/// The stream properties (`Edm.Stream`, own and inherited) of an entity type: each is raw
/// content at `<entity URL>/<name>`, read with `GET` and written with `PUT`.
pub fn stream_properties(model: &Model, ty: TypeId) -> Vec<String> {
    model
        .all_properties(ty)
        .into_iter()
        .filter(|(_, p)| {
            !p.ty.collection && matches!(p.ty.target, Target::Primitive(Primitive::Stream))
        })
        .map(|(_, p)| p.name.clone())
        .collect()
}

/// The navigations of (typed) item builder `b` whose links (`$ref`) can be managed: those
/// that do not contain their targets, as `(name, collection-valued)`.
pub fn reference_navigations(model: &Model, b: &Builder) -> Vec<(String, bool)> {
    if b.kind != BuilderKind::Item || !b.typed || b.navigations.is_empty() {
        return Vec::new();
    }
    let declared = model.all_navigations(b.ty);
    b.navigations
        .iter()
        .filter_map(|e| {
            let (_, n) = declared.iter().find(|(_, n)| n.name == e.segment)?;
            (!n.contains_target).then(|| (e.segment.clone(), n.ty.collection))
        })
        .collect()
}

/// The update method of a type: `UpdateRestrictions/UpdateMethod` on it or a base (PUT or
/// PATCH), else PATCH.
pub fn update_method(model: &Model, ty: TypeId) -> Http {
    model
        .lineage(ty)
        .iter()
        .rev()
        .find_map(|t| model.ty(*t).annotations.update_method.as_deref())
        .and_then(Http::parse)
        .filter(|h| *h == Http::Put)
        .unwrap_or(Http::Patch)
}

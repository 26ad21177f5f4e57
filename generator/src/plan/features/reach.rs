//! What each area reaches, and the step that brought each builder and type in: the rules
//! of [`super`], kept apart from the grouping so that `explain` prints exactly what the
//! feature plan decides.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};

use super::super::client::{Action, Body, ClientPlan, MethodKind, MethodPlan, Response};
use super::super::request::ArgPlan;
use super::super::surface::BuilderKind;
use super::super::Plan;
use crate::model::{TypeId, TypeRef};

/// How a builder came into an area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuilderStep {
    /// It is the area's entry (the entity set or singleton).
    Entry,
    /// From builder `from` along `segment`: a key (`{id}`), a contained navigation, an
    /// updatable property or a cast (a qualified type name).
    Contained {
        /// The builder it is reached from.
        from: usize,
        /// The URL segment.
        segment: String,
    },
    /// Opened by a link (a navigation that does not contain its targets) of builder `from`.
    Link {
        /// The builder it is reached from.
        from: usize,
        /// The navigation.
        segment: String,
    },
    /// Nothing else reaches it: it is in the areas of the builder of the same kind of its
    /// nearest base type that has areas (a cast target).
    Base {
        /// That builder.
        of: usize,
    },
}

/// The areas of every builder, and how each area reached it.
#[derive(Debug, Clone, Default)]
pub struct Builders {
    /// Per builder, its areas.
    pub areas: Vec<BTreeSet<usize>>,
    /// Per (builder, area), the step that brought it in first.
    pub steps: HashMap<(usize, usize), BuilderStep>,
    /// Per builder, the areas that have it only because a link opens it (round 3): they
    /// compile its plain requests, not its bound operations, unless it has no other area.
    pub linked: Vec<BTreeSet<usize>>,
}

impl Builders {
    /// The areas that compile the bound operations of builder `b`, when they are fewer than
    /// its areas: those that do not have it only through a link.
    pub fn operation_areas(&self, b: usize) -> Option<BTreeSet<usize>> {
        let own: BTreeSet<usize> = self.areas[b].difference(&self.linked[b]).copied().collect();
        (!own.is_empty() && own.len() < self.areas[b].len()).then_some(own)
    }

    /// Whether area `area` compiles the bound operations of builder `b`.
    pub fn has_operations(&self, b: usize, area: usize) -> bool {
        self.operation_areas(b)
            .is_none_or(|own| own.contains(&area))
    }
}

/// What an edge of the builder graph is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EdgeKind {
    /// A key, a contained navigation or an updatable property: the target is part of the
    /// entity.
    Contained,
    /// A navigation that contains its targets.
    Nav,
    /// A cast to a derived type.
    Cast,
    /// A navigation that does not contain its targets.
    Link,
}

/// The edges of builder `b`: `(kind, segment, target)`.
fn edges<'c>(plan: &Plan, cp: &'c ClientPlan, b: usize) -> Vec<(EdgeKind, &'c str, usize)> {
    let builder = &cp.surface.builders[b];
    let navigations = plan.model.all_navigations(builder.ty);
    let mut out: Vec<(EdgeKind, &'c str, usize)> = Vec::new();
    out.extend(builder.item.map(|t| (EdgeKind::Contained, "{id}", t)));
    out.extend(
        builder
            .properties
            .iter()
            .map(|e| (EdgeKind::Contained, e.segment.as_str(), e.target)),
    );
    out.extend(builder.navigations.iter().map(|e| {
        let contained = navigations
            .iter()
            .any(|(_, n)| n.name == e.segment && n.contains_target);
        let kind = if contained {
            EdgeKind::Nav
        } else {
            EdgeKind::Link
        };
        (kind, e.segment.as_str(), e.target)
    }));
    out.extend(
        builder
            .casts
            .iter()
            .map(|e| (EdgeKind::Cast, e.segment.as_str(), e.target)),
    );
    out
}

/// Finds the areas of every builder (`area_of_set` maps an entry's entity set or singleton
/// to its area), in four rounds:
/// 1. *Owned*: each entry and what it reaches through keys, contained navigations and
///    updatable properties, except a contained navigation to the entity type an entity set
///    of another area holds (such as a user's drive, held by `drives`): that is a link.
/// 2. *Casts*: from there also through casts, into builders no area owns (a cast to
///    another area's builder is compiled with that area).
/// 3. *Links*: a builder a link opens joins the areas of the builder linking to it, and so
///    does the item of a collection it opens (`linked`: they compile its plain requests,
///    not its bound operations). What it links to, casts to or contains does not, unless no
///    area owns the builder a link opens: then what it contains and nobody owns comes too.
/// 4. *Bases*: a builder none of these reach that a cast leads to (from a builder only a
///    link opens) is in the areas that own the builder of the same kind of its nearest base
///    type that has one, with what nobody owns below it.
///
/// A builder still without an area (only a link from a builder of round 3 or 4 leads to
/// it: links are followed one hop) is compiled only with `full`.
pub fn builders(plan: &Plan, cp: &ClientPlan, area_of_set: &HashMap<String, usize>) -> Builders {
    let surface = &cp.surface;
    let n = surface.builders.len();
    let edges: Vec<Vec<(EdgeKind, &str, usize)>> = (0..n).map(|b| edges(plan, cp, b)).collect();
    let mut out = Builders {
        areas: vec![BTreeSet::new(); n],
        steps: HashMap::new(),
        linked: vec![BTreeSet::new(); n],
    };
    // The area of the entity set holding each entity type.
    let held: HashMap<TypeId, usize> = surface
        .entries
        .iter()
        .filter(|e| !e.singleton)
        .map(|e| (surface.builders[e.builder].ty, area_of_set[e.set.as_str()]))
        .collect();
    let held_elsewhere = |t: usize, area: usize| {
        held.get(&surface.builders[t].ty)
            .is_some_and(|a| *a != area)
    };
    // Whether area `area` reaches builder `t` along an edge of `kind` in round 1 (`owned`
    // is `None`) or 2, and whether that edge is a link for it.
    let follows =
        |out: &Builders, owned: Option<&[bool]>, kind: EdgeKind, t: usize, area: usize| {
            let free = owned.is_none_or(|o| !o[t] || out.areas[t].contains(&area));
            match kind {
                EdgeKind::Contained => free,
                EdgeKind::Nav => free && !held_elsewhere(t, area),
                EdgeKind::Cast => owned.is_some() && free,
                EdgeKind::Link => false,
            }
        };
    let is_link = |kind: EdgeKind, t: usize, area: usize| {
        kind == EdgeKind::Link || (kind == EdgeKind::Nav && held_elsewhere(t, area))
    };
    let add = |out: &mut Builders, b: usize, area: usize, step: BuilderStep| -> bool {
        if out.areas[b].insert(area) {
            out.steps.insert((b, area), step);
            true
        } else {
            false
        }
    };

    // 1 and 2.
    for round in [1, 2] {
        let owned: Vec<bool> = out.areas.iter().map(|a| !a.is_empty()).collect();
        let owned = (round == 2).then_some(owned.as_slice());
        for e in &surface.entries {
            let area = area_of_set[e.set.as_str()];
            add(&mut out, e.builder, area, BuilderStep::Entry);
            let mut queue = VecDeque::from([e.builder]);
            let mut seen = vec![false; n];
            while let Some(b) = queue.pop_front() {
                if std::mem::replace(&mut seen[b], true) {
                    continue;
                }
                for &(kind, segment, t) in &edges[b] {
                    if follows(&out, owned, kind, t, area) {
                        let step = BuilderStep::Contained {
                            from: b,
                            segment: segment.to_string(),
                        };
                        add(&mut out, t, area, step);
                        queue.push_back(t);
                    }
                }
            }
        }
    }

    // 3.
    let owners: Vec<BTreeSet<usize>> = out.areas.clone();
    let link = |out: &mut Builders, t: usize, area: usize, step: BuilderStep| {
        if add(out, t, area, step) {
            out.linked[t].insert(area);
        }
    };
    for b in 0..n {
        for &(kind, segment, t) in &edges[b] {
            for &area in owners[b].iter().filter(|a| is_link(kind, t, **a)) {
                let step = BuilderStep::Link {
                    from: b,
                    segment: segment.to_string(),
                };
                link(&mut out, t, area, step);
                // The item of the collection, and what nobody owns below a builder nobody owns.
                let mut queue = VecDeque::from([t]);
                while let Some(x) = queue.pop_front() {
                    for &(kind, segment, y) in &edges[x] {
                        let item = surface.builders[x].item == Some(y);
                        let below = owners[t].is_empty()
                            && owners[y].is_empty()
                            && matches!(kind, EdgeKind::Contained | EdgeKind::Nav)
                            && !is_link(kind, y, area);
                        if (x == t && item) || below {
                            let step = BuilderStep::Contained {
                                from: x,
                                segment: segment.to_string(),
                            };
                            if !out.areas[y].contains(&area) {
                                link(&mut out, y, area, step);
                                queue.push_back(y);
                            }
                        }
                    }
                }
            }
        }
    }

    // 4.
    let by_type: HashMap<(TypeId, &BuilderKind), usize> = surface
        .builders
        .iter()
        .enumerate()
        .map(|(i, b)| ((b.ty, &b.kind), i))
        .collect();
    let placed: Vec<bool> = out.areas.iter().map(|a| !a.is_empty()).collect();
    let mut cast_to = vec![false; n];
    for b in (0..n).filter(|b| placed[*b]) {
        for &(kind, _, t) in &edges[b] {
            cast_to[t] |= kind == EdgeKind::Cast;
        }
    }
    for b in (0..n).filter(|b| !placed[*b] && cast_to[*b]) {
        let builder = &surface.builders[b];
        let lineage = plan.model.lineage(builder.ty);
        let Some(&of) = lineage
            .iter()
            .rev()
            .skip(1)
            .filter_map(|t| by_type.get(&(*t, &builder.kind)))
            .find(|i| placed[**i])
        else {
            continue;
        };
        let areas = out
            .operation_areas(of)
            .unwrap_or_else(|| out.areas[of].clone());
        for area in areas {
            add(&mut out, b, area, BuilderStep::Base { of });
            // What nobody owns below it.
            let mut queue = VecDeque::from([b]);
            while let Some(x) = queue.pop_front() {
                for &(kind, segment, y) in &edges[x] {
                    let below = !placed[y]
                        && matches!(kind, EdgeKind::Contained | EdgeKind::Nav)
                        && !is_link(kind, y, area);
                    let step = BuilderStep::Contained {
                        from: x,
                        segment: segment.to_string(),
                    };
                    if below && add(&mut out, y, area, step) {
                        queue.push_back(y);
                    }
                }
            }
        }
    }
    out
}

/// Why a type is in an area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeStep {
    /// The entity type of a builder of the area (its `get`, `list`, ... read it).
    Builder(usize),
    /// Named by a method's request or response: of builder `builder`, or of the client
    /// when `None`; `method` indexes its methods.
    Request {
        /// The builder, or `None` for the client's methods.
        builder: Option<usize>,
        /// The method's index among its owner's.
        method: usize,
    },
    /// A structural property's type.
    Property(String),
    /// A base type (reached as a base: its other derived types do not come).
    Base,
    /// A derived type of a type reached as a value.
    Derived,
}

/// One state of the walk over types: a type reached as a value (`true`, bringing its
/// derived types) or only as a base.
pub type State = (TypeId, bool);

/// The types an area reaches, with the step that reached each state first.
#[derive(Debug, Clone, Default)]
pub struct Types {
    /// Per state: the state it was reached from (`None` for a seed) and the step.
    pub steps: HashMap<State, (Option<State>, TypeStep)>,
}

impl Types {
    /// Every type reached (as a value or a base).
    pub fn ids(&self) -> BTreeSet<TypeId> {
        self.steps.keys().map(|(id, _)| *id).collect()
    }
}

/// The seeds of every area (the types its builders' and client methods' requests name,
/// with the first step naming each) and the areas sending each parameters struct.
pub struct Seeds {
    /// Per area, its seeds.
    pub types: Vec<BTreeMap<TypeId, TypeStep>>,
    /// The areas whose requests send each parameters struct.
    pub parameters: BTreeMap<crate::model::OperationId, BTreeSet<usize>>,
}

/// The seeds of `areas` areas, given each builder's areas and each client method's area.
pub fn seeds(
    cp: &ClientPlan,
    areas: usize,
    builders: &Builders,
    client_method_area: &[usize],
) -> Seeds {
    let mut out = Seeds {
        types: vec![BTreeMap::new(); areas],
        parameters: BTreeMap::new(),
    };
    let seed_method =
        |out: &mut Seeds, area: usize, builder: Option<usize>, method: usize, m: &MethodPlan| {
            let mut named = BTreeSet::new();
            request_types(cp, &m.action, &mut named);
            for id in named {
                out.types[area]
                    .entry(id)
                    .or_insert(TypeStep::Request { builder, method });
            }
            if let Action::Send(r) = &m.action {
                if let Body::Parameters(op) = r.body {
                    out.parameters.entry(op).or_default().insert(area);
                }
            }
        };
    for (i, b) in cp.surface.builders.iter().enumerate() {
        for &area in &builders.areas[i] {
            if b.typed {
                out.types[area].entry(b.ty).or_insert(TypeStep::Builder(i));
            }
            let operations = builders.has_operations(i, area);
            for (n, m) in cp.methods[i].iter().enumerate() {
                if operations || !matches!(m.kind, MethodKind::Operation(_)) {
                    seed_method(&mut out, area, Some(i), n, m);
                }
            }
        }
    }
    for (n, (m, &area)) in cp.client_methods.iter().zip(client_method_area).enumerate() {
        seed_method(&mut out, area, None, n, m);
    }
    out
}

/// The model types a request or opened builder names.
fn request_types(cp: &ClientPlan, action: &Action, out: &mut BTreeSet<TypeId>) {
    let arg = |a: &ArgPlan, out: &mut BTreeSet<TypeId>| out.extend(a.ty.type_id());
    let type_ref = |t: &TypeRef, out: &mut BTreeSet<TypeId>| out.extend(t.type_id());
    match action {
        Action::Open(o) => o.args.iter().for_each(|a| arg(a, out)),
        Action::Send(r) => {
            r.args.iter().for_each(|a| arg(a, out));
            match &r.body {
                Body::Entity(id) => {
                    out.insert(*id);
                }
                Body::Parameters(op) => {
                    if let Some(s) = cp.parameters.get(op) {
                        s.fields.iter().for_each(|a| arg(a, out));
                    }
                }
                Body::Items(t) | Body::Typed { ty: t, .. } => type_ref(t, out),
                Body::None | Body::Member | Body::Bytes | Body::Raw(_) | Body::Reference => {}
            }
            match &r.response {
                Response::Json(t) | Response::Value(t) | Response::Page(t) => type_ref(t, out),
                Response::Created(id) => {
                    out.insert(*id);
                }
                Response::Empty
                | Response::Count
                | Response::Media
                | Response::ReferencePage
                | Response::Reference => {}
            }
        }
    }
}

/// The types some area's requests name ([`Seeds::types`] of every area): each one's own
/// areas compile it, and an area that reaches only its base does not bring it.
pub fn claimed(seeds: &Seeds) -> HashSet<TypeId> {
    seeds.types.iter().flat_map(|s| s.keys().copied()).collect()
}

/// What using `seeds` as values needs: property types and base types of every type
/// reached, and the derived types of every type reached as a value, except those `claimed`
/// (named by some area's requests: the areas naming them compile them, and an `Any<Base>`
/// without them reads their values as the base). Breadth first, so each chain is a
/// shortest one.
pub fn types(plan: &Plan, seeds: &BTreeMap<TypeId, TypeStep>, claimed: &HashSet<TypeId>) -> Types {
    let model = plan.model;
    let mut out = Types::default();
    let mut queue: VecDeque<(State, Option<State>, TypeStep)> = seeds
        .iter()
        .map(|(&id, step)| ((id, true), None, step.clone()))
        .collect();
    while let Some((state, parent, step)) = queue.pop_front() {
        let (id, value) = state;
        if !plan.names.contains_key(&id)
            || out.steps.contains_key(&state)
            || (!value && out.steps.contains_key(&(id, true)))
        {
            continue;
        }
        out.steps.insert(state, (parent, step));
        let Some(s) = model.ty(id).structured() else {
            continue;
        };
        if let Some(base) = s.base {
            queue.push_back(((base, false), Some(state), TypeStep::Base));
        }
        for (_, p) in model.all_properties(id) {
            if let Some(t) = p.ty.type_id() {
                queue.push_back(((t, true), Some(state), TypeStep::Property(p.name.clone())));
            }
        }
        if value {
            for &d in s.derived.iter().filter(|d| !claimed.contains(d)) {
                queue.push_back(((d, true), Some(state), TypeStep::Derived));
            }
        }
    }
    out
}

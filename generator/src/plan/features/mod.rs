//! Per-area Cargo features (`Generator::area_features`; off by default).
//!
//! An *area* is an entry of the client (a top-level entity set or singleton), plus one area
//! for the operation imports when there are any. A user enables the areas they call, and
//! compiles the builders, operations and types those reach, nothing else.
//!
//! * Builders (`reach::builders`): an area owns its entry and what that contains (keys,
//!   contained navigations, updatable properties; `users` and `me` share the user's
//!   builders), except the entity type another area's entity set holds; casts lead into
//!   builders no other area owns; a link (or a contained navigation to a held type) opens
//!   one hop: the opened builder's plain requests join the linking areas, its bound
//!   operations stay with the areas that own it. A cast target only a link-opened builder
//!   reaches goes with its base's builder; what only a second link reaches is compiled with
//!   `full`. A method that opens a builder that some area of its owner lacks is compiled
//!   only with the target's areas.
//! * Types: each type has exactly one *home*, a hidden feature of the models crate
//!   (`_<name>`) holding a group of types. An area reaches the types its builders'
//!   requests use (entity, bodies, parameters, responses) and, from each, what compiling
//!   and reading it needs: the types of its properties, its base types, and the derived
//!   types of every type used as a value that no area's requests name (those are compiled
//!   with their own areas; a type reached only as a base does not bring its other derived
//!   types). Types reached by the same set of areas share a home, so an area's
//!   feature enables exactly the homes it reaches. When there are more such sets than fit in
//!   [`MAX_FEATURES`], the smallest groups join the group whose area set they widen least;
//!   every group's feature then also enables the homes its types' properties need, so any
//!   set of features compiles. Types no area reaches are in one group only `full` enables.
//! * What is compiled only with another home: a navigation property's field (without it,
//!   an expanded navigation stays in `additional_properties`), an `Any<Base>` variant (a
//!   value of a disabled derived type is read as the base, which keeps its members), a
//!   method that opens a builder of a disabled area, and a bound operation of a builder
//!   an area has only through a link.
//!
//! `explain` (with the feature `internals`) prints why an area holds what it holds.
//!
//! Invariant: every type and builder has one `cfg` (a method at most two; parameter
//! structs one `any` of the areas that use them), and every feature list is
//! bounded by the number of areas and groups, so the generated size stays linear. The test
//! `generator/tests/area_features.rs` compiles each area alone, pairs and `full`
//! clippy-clean.

use std::collections::{BTreeMap, BTreeSet, HashMap};

#[cfg(feature = "internals")]
mod explain;
mod reach;

#[cfg(feature = "internals")]
pub use explain::{explain, summary};

use super::client::{Action, ClientPlan, MethodKind, MethodPlan};
use super::naming::{assign_wanted, snake, Case};
use super::request::BuilderRef;
use super::Plan;
use crate::model::{OperationId, TypeId};

/// At most this many features per crate (crates.io's limit): the areas, `full`, the group
/// of types no area reaches, and the other type groups.
pub const MAX_FEATURES: usize = 300;

/// The features of a models crate and its client.
#[derive(Debug, Clone, Default)]
pub struct FeaturePlan {
    /// Areas in feature-name order.
    pub areas: Vec<Area>,
    /// Type groups, each a hidden feature of the models crate.
    pub groups: Vec<Group>,
    /// The home group of every selected type.
    pub home: HashMap<TypeId, usize>,
    /// The areas of every builder (index in `Surface::builders`), sorted: it is compiled
    /// with any of them (with `full` only when there are none).
    pub builder_areas: Vec<Vec<usize>>,
    /// Per builder, the areas that compile its bound operations when they are fewer than
    /// its areas (those that do not have it only through a link).
    pub operation_areas: Vec<Option<Vec<usize>>>,
    /// The area of every method of the client type (entries, operation imports).
    pub client_method_area: Vec<usize>,
    /// The areas whose builders send each parameters struct.
    pub parameter_areas: BTreeMap<OperationId, BTreeSet<usize>>,
}

/// One area: a public feature of both crates.
#[derive(Debug, Clone)]
pub struct Area {
    /// The feature name (snake case of the entity set or singleton).
    pub feature: String,
    /// What it covers: the entity set or singleton, or `None` for the operation imports.
    pub set: Option<String>,
    /// The groups it enables in the models crate.
    pub groups: Vec<usize>,
    /// How many builders it has.
    pub builders: usize,
}

/// A group of types with one hidden feature.
#[derive(Debug, Clone)]
pub struct Group {
    /// The feature name, with its leading `_`.
    pub feature: String,
    /// The groups its types' properties need.
    pub requires: Vec<usize>,
    /// How many types it holds.
    pub types: usize,
}

/// A set of areas (bits by area index).
type AreaSet = Vec<u64>;

fn set_bit(set: &mut AreaSet, i: usize) {
    set[i / 64] |= 1 << (i % 64);
}

fn bits(set: &AreaSet) -> impl Iterator<Item = usize> + '_ {
    set.iter().enumerate().flat_map(|(w, word)| {
        (0..64)
            .filter(move |b| word & (1 << b) != 0)
            .map(move |b| w * 64 + b)
    })
}

fn count(set: &AreaSet) -> usize {
    set.iter().map(|w| w.count_ones() as usize).sum()
}

fn minus(a: &AreaSet, b: &AreaSet) -> usize {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x & !y).count_ones() as usize)
        .sum()
}

impl FeaturePlan {
    /// Plans the features of `plan`'s crates from its client plan.
    pub fn new(plan: &Plan, cp: &ClientPlan) -> FeaturePlan {
        let model = plan.model;
        let mut areas = areas(cp);
        let area_of_set = area_of_set(&areas);
        let imports = areas.iter().position(|a| a.set.is_none());

        let builders = reach::builders(plan, cp, &area_of_set);
        let builder_areas: Vec<Vec<usize>> = builders
            .areas
            .iter()
            .map(|s| s.iter().copied().collect())
            .collect();
        for b in &builder_areas {
            for &a in b {
                areas[a].builders += 1;
            }
        }
        let operation_areas = (0..builder_areas.len())
            .map(|b| builders.operation_areas(b).map(|s| s.into_iter().collect()))
            .collect();
        let client_method_area = client_method_areas(cp, &area_of_set, imports);
        let seeds = reach::seeds(cp, areas.len(), &builders, &client_method_area);
        let claimed = reach::claimed(&seeds);
        let parameter_areas = seeds.parameters;

        // Which areas reach each type.
        let words = areas.len().div_ceil(64).max(1);
        let mut reached: HashMap<TypeId, AreaSet> =
            plan.names.keys().map(|&id| (id, vec![0; words])).collect();
        for (area, seeds) in seeds.types.iter().enumerate() {
            for id in reach::types(plan, seeds, &claimed).ids() {
                if let Some(set) = reached.get_mut(&id) {
                    set_bit(set, area);
                }
            }
        }

        // Groups: one per set of areas, the smallest merged beyond the budget.
        let mut by_set: BTreeMap<AreaSet, Vec<TypeId>> = BTreeMap::new();
        for (&id, set) in &reached {
            by_set.entry(set.clone()).or_default().push(id);
        }
        let unreached = by_set.remove(&vec![0; words]);
        let mut groups: Vec<(AreaSet, Vec<TypeId>)> = by_set.into_iter().collect();
        for (_, ids) in &mut groups {
            ids.sort_by_key(|id| model.ty(*id).qualified_name());
        }
        // Larger groups first; the order among equals is the area sets' (deterministic).
        groups.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
        let budget = MAX_FEATURES.saturating_sub(areas.len() + 2).max(1);
        if groups.len() > budget {
            let small = groups.split_off(budget);
            for (set, ids) in small {
                let cost = |(s, members): &(AreaSet, Vec<TypeId>)| {
                    ids.len() * minus(s, &set) + members.len() * minus(&set, s)
                };
                let (best, _) = groups
                    .iter()
                    .enumerate()
                    .min_by_key(|(i, g)| (cost(g), *i))
                    .expect("the budget keeps some groups");
                let target = &mut groups[best];
                for (w, word) in set.iter().enumerate() {
                    target.0[w] |= word;
                }
                target.1.extend(ids);
            }
        }
        if let Some(ids) = unreached {
            groups.push((vec![0; words], ids));
        }

        // Names: a group of one area is named after it, others after their first type.
        let wanted: Vec<(String, String)> = groups
            .iter()
            .enumerate()
            .map(|(i, (set, ids))| {
                let name = if count(set) == 0 {
                    "unreached".to_string()
                } else if count(set) == 1 {
                    areas[bits(set).next().unwrap_or(0)].feature.clone()
                } else {
                    let first = ids.iter().min_by_key(|id| model.ty(**id).qualified_name());
                    first.map_or_else(|| "types".into(), |id| snake(&model.ty(*id).name))
                };
                (format!("{i:08}"), name)
            })
            .collect();
        let group_names = assign_wanted(wanted, Case::Snake, &[]);
        let mut home = HashMap::new();
        for (g, (_, ids)) in groups.iter().enumerate() {
            for &id in ids {
                home.insert(id, g);
            }
        }
        let mut out_groups = Vec::with_capacity(groups.len());
        for (g, (set, ids)) in groups.iter().enumerate() {
            let mut requires = BTreeSet::new();
            for &id in ids
                .iter()
                .filter(|id| model.ty(**id).structured().is_some())
            {
                for (_, p) in model.all_properties(id) {
                    if let Some(&h) = p.ty.type_id().and_then(|t| home.get(&t)) {
                        requires.insert(h);
                    }
                }
            }
            requires.remove(&g);
            for a in bits(set) {
                areas[a].groups.push(g);
            }
            out_groups.push(Group {
                feature: format!("_{}", group_names[&format!("{g:08}")].ident),
                requires: requires.into_iter().collect(),
                types: ids.len(),
            });
        }
        FeaturePlan {
            areas,
            groups: out_groups,
            home,
            builder_areas,
            operation_areas,
            client_method_area,
            parameter_areas,
        }
    }

    /// The feature of `id`'s home group.
    pub fn home_feature(&self, id: TypeId) -> Option<&str> {
        self.home.get(&id).map(|g| self.groups[*g].feature.as_str())
    }

    /// The feature a member of a type in `owner`'s home needs to reach `target`, when it
    /// is another home (a navigation field, an `Any` variant).
    pub fn other_home(&self, owner: TypeId, target: TypeId) -> Option<&str> {
        let (o, t) = (self.home.get(&owner)?, self.home.get(&target)?);
        (o != t).then(|| self.groups[*t].feature.as_str())
    }

    /// The features builder `b` is compiled with (any of them): its areas', or `full`.
    pub fn builder_features(&self, b: usize) -> Vec<&str> {
        self.features_or_full(&self.builder_areas[b])
    }

    /// What a method of builder `owner` needs beyond its owner's features, as lists of
    /// features of which it needs one each: a bound operation, the areas that own the
    /// builder (not those that have it only through a link); a method that opens another
    /// builder, that builder's features unless every area of the owner has it.
    pub fn method_features(&self, owner: usize, method: &MethodPlan) -> Vec<Vec<&str>> {
        let mut out = Vec::new();
        let own = &self.builder_areas[owner];
        if let (MethodKind::Operation(_), Some(areas)) =
            (&method.kind, &self.operation_areas[owner])
        {
            out.push(self.features_or_full(areas));
        }
        if let Action::Open(o) = &method.action {
            if let BuilderRef::Planned(target) = o.target {
                let target = &self.builder_areas[target];
                if !own.iter().all(|a| target.contains(a)) {
                    out.push(self.features_or_full(target));
                }
            }
        }
        out
    }

    /// The feature names of `areas`, or `full` when there are none.
    fn features_or_full(&self, areas: &[usize]) -> Vec<&str> {
        if areas.is_empty() {
            vec!["full"]
        } else {
            areas
                .iter()
                .map(|a| self.areas[*a].feature.as_str())
                .collect()
        }
    }

    /// The `[features]` lines of the models crate: `full`, the areas, the groups.
    pub fn models_features(&self) -> Vec<(String, Vec<String>)> {
        let mut out = vec![(
            "full".to_string(),
            self.areas
                .iter()
                .map(|a| a.feature.clone())
                .chain(self.groups.iter().map(|g| g.feature.clone()))
                .collect(),
        )];
        out.extend(self.areas.iter().map(|a| {
            (
                a.feature.clone(),
                a.groups
                    .iter()
                    .map(|g| self.groups[*g].feature.clone())
                    .collect(),
            )
        }));
        out.extend(self.groups.iter().map(|g| {
            (
                g.feature.clone(),
                g.requires
                    .iter()
                    .map(|r| self.groups[*r].feature.clone())
                    .collect(),
            )
        }));
        out
    }

    /// The `[features]` lines of the client crate: each area enables its models.
    pub fn client_features(&self, models_crate: &str) -> Vec<(String, Vec<String>)> {
        let mut out = vec![(
            "full".to_string(),
            std::iter::once(format!("{models_crate}/full"))
                .chain(self.areas.iter().map(|a| a.feature.clone()))
                .collect(),
        )];
        out.extend(self.areas.iter().map(|a| {
            (
                a.feature.clone(),
                vec![format!("{models_crate}/{}", a.feature)],
            )
        }));
        out
    }
}

/// The areas of a client: its entries, then the operation imports, in feature-name order.
pub(super) fn areas(cp: &ClientPlan) -> Vec<Area> {
    // Areas: the entries, then the operation imports.
    let mut wanted: Vec<(String, String)> = cp
        .surface
        .entries
        .iter()
        .map(|e| (format!("1{}", e.set), snake(&e.set)))
        .collect();
    let has_imports = cp
        .client_methods
        .iter()
        .any(|m| !matches!(m.kind, MethodKind::Entry { .. }));
    if has_imports {
        wanted.push(("2".into(), "operation_imports".into()));
    }
    let names = assign_wanted(wanted.clone(), Case::Snake, &["default", "full"]);
    let mut areas: Vec<Area> = wanted
        .iter()
        .map(|(key, _)| Area {
            feature: names[key].ident.clone(),
            set: key.strip_prefix('1').map(str::to_string),
            groups: Vec::new(),
            builders: 0,
        })
        .collect();
    areas.sort_by(|a, b| a.feature.cmp(&b.feature));
    areas
}

/// The area of each entry's entity set or singleton.
pub(super) fn area_of_set(areas: &[Area]) -> HashMap<String, usize> {
    areas
        .iter()
        .enumerate()
        .filter_map(|(i, a)| a.set.clone().map(|s| (s, i)))
        .collect()
}

/// The area of every method of the client: an entry's, else the operation imports'.
pub(super) fn client_method_areas(
    cp: &ClientPlan,
    area_of_set: &HashMap<String, usize>,
    imports: Option<usize>,
) -> Vec<usize> {
    cp.client_methods
        .iter()
        .map(|m| match (&m.action, &m.kind) {
            (Action::Open(o), MethodKind::Entry { .. }) => match o.target {
                BuilderRef::Planned(i) => cp
                    .surface
                    .entries
                    .iter()
                    .find(|e| e.builder == i)
                    .map_or(0, |e| area_of_set[e.set.as_str()]),
                BuilderRef::Shared(_) => imports.unwrap_or(0),
            },
            _ => imports.unwrap_or(0),
        })
        .collect()
}

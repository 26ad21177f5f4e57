//! Part crates: a large models crate split into crates that cargo checks side by side.
//!
//! rustc checks one crate on one thread, and keeps every body's borrow-checking results to
//! the end, so one crate of all of Graph's models takes the whole check's time and memory
//! on one core (BENCHMARKS.md, "Where the models' check cost lives"). Split into parts,
//! each part is a crate of its own: cargo checks the parts that do not depend on each
//! other at the same time, and each rustc holds only its part.
//!
//! A crate may only name types of the crates it depends on, and crates may not depend on
//! each other in a cycle. So the items (a type with its companions; an `Any<Base>` enum,
//! which names the base and every derived type, separately from the base) form a graph by
//! the types they name; its strongly connected components stay together, and each
//! component gets a *level* (`levels`: as late as what names it allows, and what nothing
//! names beside the heaviest component). Levels in order are gathered into *layers*
//! (`layered_groups`: a layer ends at [`LAYER_SHARE`] of the total weight, or before a
//! level that would make a group heavier than a part's share), within a layer the
//! components that name each other are kept together, and the groups are packed into at
//! most `per_layer` parts of about equal weight (`pack`). Every item therefore names only
//! items of its own part or of parts of earlier layers, and the parts of one layer are
//! independent.
//! The order depends only on the plan, so the output is deterministic.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{strongly_connected, Plan};
use crate::model::{Target, TypeId, TypeKind};

/// An item that goes to one part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Item {
    /// A type with its companions (field constants, trait impls).
    Type(TypeId),
    /// The `Any<Base>` enum of a polymorphic base (all of its pieces).
    Any(TypeId),
}

/// A layer ends once it holds this share of the total weight (it may end earlier, see
/// `layered_groups`); chosen by measuring the whole of Graph's models
/// (BENCHMARKS.md, "Models in part crates").
pub const LAYER_SHARE: f64 = 0.15;

/// The parts of a split models crate.
#[derive(Debug, Clone)]
pub struct PartsPlan {
    /// In dependency order: a part names types of earlier parts only.
    pub parts: Vec<PartPlan>,
    of: HashMap<Item, usize>,
}

/// One part crate.
#[derive(Debug, Clone, Default)]
pub struct PartPlan {
    /// The parts whose types this one names (all earlier), sorted.
    pub deps: Vec<usize>,
    /// The area homes (`_<name>` features) its items belong to or name, which its `cfg`s
    /// may test.
    pub features: BTreeSet<String>,
    /// The modules (indices into `Plan::modules`) its items belong to.
    pub modules: BTreeSet<usize>,
}

impl PartsPlan {
    /// Splits `plan`'s items into layers of at most `per_layer` parts (at least one).
    pub fn new(plan: &Plan, per_layer: usize) -> PartsPlan {
        let edges = edges(plan);
        let component = strongly_connected(&edges);
        let count = component.values().max().map_or(0, |m| m + 1);
        // The weight of each component, and the other components it names.
        let mut weights = vec![0usize; count];
        let mut names: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); count];
        for (item, targets) in &edges {
            let c = component[item];
            weights[c] += weight(plan, *item);
            names[c].extend(targets.iter().map(|t| component[t]).filter(|&t| t != c));
        }
        let level = levels(&names, &weights);
        let per_layer = per_layer.max(1);
        let groups = layered_groups(&level, &names, &weights, per_layer);
        let part_of_component = pack(&groups, &weights, per_layer);
        let parts_count = part_of_component.iter().max().map_or(0, |m| m + 1);
        let of: HashMap<Item, usize> = component
            .iter()
            .map(|(item, c)| (*item, part_of_component[*c]))
            .collect();
        let mut parts = vec![PartPlan::default(); parts_count];
        let mut deps: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); parts_count];
        for (item, targets) in &edges {
            let part = of[item];
            parts[part].modules.insert(plan.name(item.type_id()).module);
            let features = &mut parts[part].features;
            for id in std::iter::once(item).chain(targets).map(Item::type_id) {
                if let Some(home) = plan.features.as_ref().and_then(|f| f.home_feature(id)) {
                    if !features.contains(home) {
                        features.insert(home.to_string());
                    }
                }
            }
            deps[part].extend(targets.iter().map(|t| of[t]).filter(|&p| p != part));
        }
        for (part, deps) in parts.iter_mut().zip(deps) {
            part.deps = deps.into_iter().collect();
        }
        PartsPlan { parts, of }
    }

    /// The part an item is in.
    pub fn part(&self, item: Item) -> usize {
        self.of[&item]
    }

    /// Whether any item of `part` belongs to a type of module `module`.
    pub fn has_module(&self, part: usize, module: usize) -> bool {
        self.parts[part].modules.contains(&module)
    }
}

impl Item {
    fn type_id(&self) -> TypeId {
        match *self {
            Item::Type(id) | Item::Any(id) => id,
        }
    }
}

/// The level of each component: as late as the components that name it allow (one below
/// the lowest of theirs); what nothing names goes beside the heaviest component (at its
/// level, or as low above it as what it names allows). Components are numbered after
/// everything they name (Tarjan's order), so what a component names has a lower number
/// and, here, a lower level.
///
/// Why: the heaviest component (Graph's `user` cycle, a tenth of the weight) needs nearly
/// everything below it, so it is checked when little else is left; what nothing names is
/// the work that can be checked beside it, instead of before everything or after it.
fn levels(names: &[BTreeSet<usize>], weights: &[usize]) -> Vec<usize> {
    let count = names.len();
    // The longest chain of names below each component, in one pass up.
    let mut earliest = vec![0usize; count];
    for c in 0..count {
        earliest[c] = names[c].iter().map(|&n| earliest[n] + 1).max().unwrap_or(0);
    }
    let top = earliest.iter().copied().max().unwrap_or(0);
    let named: Vec<bool> = {
        let mut named = vec![false; count];
        for n in names.iter().flatten() {
            named[*n] = true;
        }
        named
    };
    let as_late_as_allowed = |sources: &dyn Fn(usize) -> usize| {
        let mut level: Vec<usize> = (0..count)
            .map(|c| if named[c] { top } else { sources(c) })
            .collect();
        for c in (0..count).rev() {
            for &n in &names[c] {
                // `level[c] >= earliest[c] > earliest[n] >= 0`.
                level[n] = level[n].min(level[c] - 1);
            }
        }
        level
    };
    let level = as_late_as_allowed(&|_| top);
    let heaviest = (0..count).max_by_key(|&c| (weights[c], std::cmp::Reverse(c)));
    match heaviest {
        Some(h) => {
            let beside = level[h];
            as_late_as_allowed(&|c| beside.max(earliest[c]))
        }
        None => level,
    }
}

/// A group of components of one layer that must share a part: its layer, weight and
/// components.
struct Group {
    layer: usize,
    weight: usize,
    components: Vec<usize>,
}

/// Gathers the levels in order into layers and each layer's components into groups of
/// what names each other within the layer. A layer ends once it holds [`LAYER_SHARE`] of
/// the weight, or before a level whose components would join a group of the layer into
/// more than a part's share (the layer's share over `per_layer`): the heaviest component
/// of a service (Graph's `user` cycle) would otherwise take everything it names one level
/// below into its part, and that part would be checked alone at the end.
fn layered_groups(
    level: &[usize],
    names: &[BTreeSet<usize>],
    weights: &[usize],
    per_layer: usize,
) -> Vec<Group> {
    let count = level.len();
    let total: usize = weights.iter().sum();
    let share = (total as f64 * LAYER_SHARE).ceil() as usize;
    let part_share = share / per_layer;
    let levels = level.iter().max().map_or(0, |m| m + 1);
    let mut by_level: Vec<Vec<usize>> = vec![Vec::new(); levels];
    for c in 0..count {
        by_level[level[c]].push(c);
    }
    // Union-find over the components of the current layer, with each root's weight.
    let mut group: Vec<usize> = (0..count).collect();
    let mut group_weight = weights.to_vec();
    fn root(group: &mut [usize], mut c: usize) -> usize {
        while group[c] != c {
            group[c] = group[group[c]];
            c = group[c];
        }
        c
    }
    let mut layer_of = vec![0usize; count];
    let (mut layer, mut held) = (0, 0);
    for components in &by_level {
        if held > 0 {
            let joins_heavy = components.iter().any(|&c| {
                let mut roots: Vec<usize> = names[c]
                    .iter()
                    .filter(|&&n| layer_of[n] == layer)
                    .map(|&n| root(&mut group, n))
                    .collect();
                roots.sort_unstable();
                roots.dedup();
                let joined: usize = roots.iter().map(|&r| group_weight[r]).sum();
                joined > 0 && weights[c] + joined > part_share
            });
            if held >= share || joins_heavy {
                layer += 1;
                held = 0;
            }
        }
        for &c in components {
            layer_of[c] = layer;
            held += weights[c];
            // What `c` names is on a lower level, so already placed.
            for &n in &names[c] {
                if layer_of[n] == layer {
                    let (a, b) = (root(&mut group, c), root(&mut group, n));
                    if a != b {
                        group[a.max(b)] = a.min(b);
                        group_weight[a.min(b)] += group_weight[a.max(b)];
                    }
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Group> = BTreeMap::new();
    for c in 0..count {
        let g = groups.entry(root(&mut group, c)).or_insert(Group {
            layer: layer_of[c],
            weight: 0,
            components: Vec::new(),
        });
        g.weight += weights[c];
        g.components.push(c);
    }
    groups.into_values().collect()
}

/// Packs each layer's groups, heaviest first, into the lightest of at most `per_layer`
/// parts (the first of equals), and numbers the parts layer by layer: the part of each
/// component.
fn pack(groups: &[Group], weights: &[usize], per_layer: usize) -> Vec<usize> {
    let mut part_of = vec![0usize; weights.len()];
    let layers = groups.iter().map(|g| g.layer + 1).max().unwrap_or(0);
    let mut next = 0;
    for layer in 0..layers {
        let mut in_layer: Vec<&Group> = groups.iter().filter(|g| g.layer == layer).collect();
        in_layer.sort_by_key(|g| (std::cmp::Reverse(g.weight), g.components[0]));
        let bins_count = per_layer.min(in_layer.len());
        let mut bins: Vec<(usize, Vec<usize>)> = vec![(0, Vec::new()); bins_count];
        for g in in_layer {
            let lightest = (0..bins_count).min_by_key(|&b| (bins[b].0, b)).unwrap_or(0);
            bins[lightest].0 += g.weight;
            bins[lightest].1.extend(&g.components);
        }
        for (_, components) in bins {
            for c in components {
                part_of[c] = next;
            }
            next += 1;
        }
    }
    part_of
}

/// Each item and the items it names: a struct its fields' types (`Any<T>` for a
/// polymorphic `T`), an `Any<Base>` enum its base and derived types.
fn edges(plan: &Plan) -> BTreeMap<Item, BTreeSet<Item>> {
    let value = |t: TypeId| {
        if plan.polymorphic.contains_key(&t) {
            Item::Any(t)
        } else {
            Item::Type(t)
        }
    };
    let mut edges: BTreeMap<Item, BTreeSet<Item>> = BTreeMap::new();
    for module in &plan.modules {
        for &id in &module.types {
            let targets = edges.entry(Item::Type(id)).or_default();
            for field in plan.fields.get(&id).into_iter().flatten() {
                if let Target::Type(t) = field.ty.target {
                    if plan.names.contains_key(&t) {
                        targets.insert(value(t));
                    }
                }
            }
        }
    }
    for (&base, derived) in &plan.polymorphic {
        let targets = edges.entry(Item::Any(base)).or_default();
        targets.insert(Item::Type(base));
        targets.extend(derived.iter().map(|&d| Item::Type(d)));
    }
    edges
}

/// What an item costs to check, in units of about one field: a struct's bodies (derives,
/// trait impls, field constants) weigh about twenty fields, an evolvable enum's derives
/// about twelve, an `Any<Base>` enum two a variant (its arm and its `From`).
fn weight(plan: &Plan, item: Item) -> usize {
    match item {
        Item::Any(id) => 2 + 2 * plan.polymorphic.get(&id).map_or(0, Vec::len),
        Item::Type(id) => match &plan.model.ty(id).kind {
            TypeKind::Entity(_) | TypeKind::Complex(_) => {
                20 + plan.fields.get(&id).map_or(0, Vec::len)
            }
            TypeKind::Enum(_) => 12 + plan.variants.get(&id).map_or(0, Vec::len) / 8,
            TypeKind::Definition(_) => 2,
        },
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::fmt::Write as _;

    use super::{edges, Item, PartsPlan};
    use crate::plan::test_documents::{document, select_all};
    use crate::plan::Plan;

    /// The shapes that decide a split: a long chain of complex types, an enum many types
    /// use, a polymorphic base whose `Any` enum closes a cycle through one derived type,
    /// a ring of navigations, and many types independent of each other.
    fn service() -> String {
        let mut types = String::from(
            r#"<EnumType Name="color"><Member Name="red" Value="0"/><Member Name="blue" Value="1"/></EnumType>
            <EntityType Name="root"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/></EntityType>
            <ComplexType Name="holder"><Property Name="roots" Type="Collection(S.root)"/></ComplexType>"#,
        );
        for i in 0..40 {
            let _ = write!(
                types,
                r#"<ComplexType Name="c{i}"><Property Name="color" Type="S.color"/>{}</ComplexType>"#,
                if i + 1 < 40 {
                    format!(r#"<Property Name="next" Type="S.c{}"/>"#, i + 1)
                } else {
                    String::new()
                }
            );
        }
        for i in 0..30 {
            let _ = write!(
                types,
                r#"<EntityType Name="d{i}" BaseType="S.root"><Property Name="shape" Type="S.c{i}"/>{}</EntityType>"#,
                if i == 0 {
                    r#"<NavigationProperty Name="any" Type="S.root"/>"#.to_string()
                } else {
                    String::new()
                }
            );
        }
        for i in 0..5 {
            let _ = write!(
                types,
                r#"<EntityType Name="ring{i}"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/><NavigationProperty Name="next" Type="S.ring{}"/></EntityType>"#,
                (i + 1) % 5
            );
        }
        // A ring of heavy entity types, each naming three light complex types of its own.
        for i in 0..6 {
            let mut props = String::new();
            for j in 0..3 {
                let _ = write!(props, r#"<Property Name="p{j}" Type="S.leaf{i}_{j}"/>"#);
                let _ = write!(
                    types,
                    r#"<ComplexType Name="leaf{i}_{j}"><Property Name="a" Type="Edm.String"/><Property Name="b" Type="Edm.String"/></ComplexType>"#
                );
            }
            for j in 0..100 {
                let _ = write!(props, r#"<Property Name="s{j}" Type="Edm.String"/>"#);
            }
            let _ = write!(
                types,
                r#"<EntityType Name="big{i}"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/>{props}<NavigationProperty Name="next" Type="S.big{}"/></EntityType>"#,
                (i + 1) % 6
            );
        }
        for i in 0..200 {
            let _ = write!(
                types,
                r#"<ComplexType Name="x{i}"><Property Name="a" Type="Edm.String"/><Property Name="b" Type="Edm.Int32"/><Property Name="color" Type="S.color"/></ComplexType>"#
            );
        }
        document("S", &types, "roots", "S.root")
    }

    /// Every item is in one part, names only its own part's items and its dependencies'
    /// (all earlier parts), strongly connected items share a part, parts of one layer do
    /// not depend on each other, and the split is the same every time.
    #[test]
    fn parts_name_only_earlier_parts_and_run_side_by_side() {
        let selected = select_all(&service());
        let plan = Plan::new(&selected.model, &selected.selection);
        let parts = PartsPlan::new(&plan, 2);
        let items = edges(&plan);
        assert_eq!(
            items.len(),
            1 + 2 + 40 + 30 + 5 + 6 * 4 + 200 + 1,
            "types and the one Any enum"
        );
        assert!(parts.parts.len() > 2, "{} parts", parts.parts.len());
        for (item, targets) in &items {
            let part = parts.part(*item);
            let (Item::Type(id) | Item::Any(id)) = *item;
            assert!(parts.has_module(part, plan.name(id).module));
            for target in targets {
                let other = parts.part(*target);
                assert!(
                    other == part || parts.parts[part].deps.contains(&other),
                    "{item:?} in part {part} names {target:?} in part {other}, not a dependency"
                );
                assert!(other <= part, "{item:?} names a later part");
            }
        }
        for (part, plan_part) in parts.parts.iter().enumerate() {
            assert!(plan_part.deps.iter().all(|&d| d < part));
        }
        let part_of = |name: &str| {
            let id = plan
                .names
                .iter()
                .find(|(_, n)| n.ident == name)
                .map(|(id, _)| *id)
                .unwrap_or_else(|| panic!("{name} is planned"));
            parts.part(Item::Type(id))
        };
        // The ring, and `d0` with the `Any` enum of `root` it names.
        let ring: BTreeSet<usize> = (0..5).map(|i| part_of(&format!("Ring{i}"))).collect();
        assert_eq!(ring.len(), 1, "a ring of navigations is one part");
        // The heavy ring does not take what it names into its part: that is checked
        // earlier, beside other parts.
        let heavy = part_of("Big0");
        assert!((1..6).all(|i| part_of(&format!("Big{i}")) == heavy));
        for i in 0..6 {
            for j in 0..3 {
                assert_ne!(part_of(&format!("Leaf{i}{j}")), heavy, "leaf{i}_{j}");
            }
        }
        // At most two parts side by side: no more parts than two per layer, and each part
        // is named by or independent of the others as the layers say.
        assert!(parts.parts.len() <= 2 * (1.0 / super::LAYER_SHARE).ceil() as usize + 2);
        let root = plan
            .polymorphic
            .keys()
            .next()
            .copied()
            .expect("root is polymorphic");
        assert_eq!(parts.part(Item::Any(root)), part_of("D0"));
        // Two parts neither of which needs the other: cargo checks them at the same time.
        let mut needs: Vec<BTreeSet<usize>> = Vec::new();
        for plan_part in &parts.parts {
            let mut all: BTreeSet<usize> = plan_part.deps.iter().copied().collect();
            for &d in &plan_part.deps {
                all.extend(needs[d].iter().copied());
            }
            needs.push(all);
        }
        let independent = (0..needs.len()).any(|b| (0..b).any(|a| !needs[b].contains(&a)));
        assert!(independent, "some parts are independent");
        let again = PartsPlan::new(&plan, 2);
        assert_eq!(format!("{:?}", again.parts), format!("{:?}", parts.parts));
        for item in items.keys() {
            assert_eq!(again.part(*item), parts.part(*item));
        }
        // One part per layer is a chain, still complete.
        let chain = PartsPlan::new(&plan, 1);
        for (part, plan_part) in chain.parts.iter().enumerate() {
            assert!(plan_part.deps.iter().all(|&d| d < part));
        }
    }
}

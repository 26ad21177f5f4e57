//! Stage 4: plan Rust names and types for the selection.
//!
//! Every name is registered here before anything is emitted (the two-phase type space), so
//! the emitters only look names up and collisions are settled in one place.

pub mod client;
pub mod features;
mod methods;
pub mod naming;
pub mod parts;
pub mod permissions;
pub mod request;
pub mod status;
pub mod surface;
mod types;

use std::collections::{BTreeMap, BTreeSet, HashMap};

pub use types::RustType;

use crate::model::{Model, Property, TypeId, TypeKind, TypeRef};
use crate::runtime_items;
use crate::select::Selection;
use naming::{assign, assign_each, assign_wanted, module_name, Case, Conversions};

/// Field name reserved in every struct for undeclared properties and annotations.
pub const ADDITIONAL_PROPERTIES: &str = "additional_properties";
/// Variant reserved in every evolvable enum for unknown members.
pub const UNKNOWN_VARIANT: &str = "UnknownValue";

/// A Rust module holding one CSDL namespace.
#[derive(Debug, Clone)]
pub struct ModulePlan {
    pub namespace: String,
    pub ident: String,
    /// The plain conversion this name collided with (another namespace's module has it).
    pub collided_with: Option<String>,
    /// Types of this module, in CSDL-name order.
    pub types: Vec<TypeId>,
}

/// The Rust name of a type.
#[derive(Debug, Clone)]
pub struct TypeName {
    pub module: usize,
    pub ident: String,
    /// The plain conversion this name collided with, if it was changed.
    pub collided_with: Option<String>,
    /// Name of the companion field type (a namespace of `Field` constants) (structured types only).
    pub field_enum: Option<String>,
    /// The plain name of the field type when the collision rule changed it.
    pub field_enum_collided: Option<String>,
    /// Name of the `Any<Name>` enum when values of this type are polymorphic (see
    /// [`Plan::polymorphic`]).
    pub any_enum: Option<String>,
    /// The plain name of the `Any` enum when the collision rule changed it.
    pub any_enum_collided: Option<String>,
}

/// A struct field (declared or inherited property, or navigation property).
#[derive(Debug, Clone)]
pub struct FieldPlan<'m> {
    /// The property's name (borrowed from the model: a Graph-sized plan has tens of
    /// thousands of fields).
    pub wire: &'m str,
    pub ident: String,
    pub collided_with: Option<String>,
    /// Constant name in the companion field type.
    pub variant: String,
    pub declared_in: TypeId,
    pub kind: FieldKind<'m>,
    pub ty: TypeRef,
    /// Single-valued structured field on a by-value cycle: stored as `Box<T>`.
    pub boxed: bool,
}

/// Where a field comes from.
#[derive(Debug, Clone)]
pub enum FieldKind<'m> {
    Property(&'m Property),
    Navigation(&'m crate::model::Navigation),
}

/// An enum variant or flag constant.
#[derive(Debug, Clone)]
pub struct VariantPlan<'m> {
    /// The member's name (borrowed from the model).
    pub wire: &'m str,
    pub ident: String,
    pub value: i64,
    pub collided_with: Option<String>,
    pub member: usize,
}

/// The complete naming plan.
#[derive(Debug)]
pub struct Plan<'m> {
    pub model: &'m Model,
    pub selection: &'m Selection,
    pub modules: Vec<ModulePlan>,
    /// Index of the module re-exported at the crate root.
    pub primary: usize,
    pub names: HashMap<TypeId, TypeName>,
    pub fields: HashMap<TypeId, Vec<FieldPlan<'m>>>,
    pub variants: HashMap<TypeId, Vec<VariantPlan<'m>>>,
    /// Structured types that are used as property, navigation, parameter or return types
    /// and have selected concrete derived types: base -> those derived types (sorted by
    /// qualified name). Values of these types are read by `@odata.type`.
    pub polymorphic: BTreeMap<TypeId, Vec<TypeId>>,
    /// The variant and method names of each `Any<Base>` enum (keys of `polymorphic`).
    pub any: HashMap<TypeId, AnyNames>,
    /// The per-area Cargo features, when the crates have them
    /// (`Generator::area_features`; set after planning, see [`features`]).
    pub features: Option<features::FeaturePlan>,
    /// The permissions table the method docs consult (`Generator::permissions`).
    pub permissions: Option<crate::permissions::Table>,
    /// The part crates of a split models crate (`Generator::split_models`; set after the
    /// features, whose homes the parts declare, see [`parts`]).
    pub parts: Option<parts::PartsPlan>,
}

/// The names inside an `Any<Base>` enum: one variant and one `as_*` method per type. The
/// base type's variant is its type name.
#[derive(Debug, Clone)]
pub struct AnyNames {
    /// `as_<base>`.
    pub base_method: String,
    /// Per derived type, in the order of [`Plan::polymorphic`]: `(variant, method)`.
    pub variants: Vec<(String, String)>,
}

impl<'m> Plan<'m> {
    /// Plans names for everything `selection` holds.
    pub fn new(model: &'m Model, selection: &'m Selection) -> Plan<'m> {
        Plan::with_field_threads(model, selection, None)
    }

    /// [`Plan::new`], with the structs' fields planned on two threads or one as `two` says
    /// (`None`: by the machine and the model's size); tests plan both ways.
    fn with_field_threads(
        model: &'m Model,
        selection: &'m Selection,
        two: Option<bool>,
    ) -> Plan<'m> {
        // Modules: one per namespace that has selected types, in document order.
        let mut by_ns: BTreeMap<&str, Vec<TypeId>> = BTreeMap::new();
        for &id in &selection.types {
            by_ns
                .entry(model.ty(id).namespace.as_str())
                .or_default()
                .push(id);
        }
        let ns_order: Vec<&str> = model
            .namespaces
            .iter()
            .map(|(n, _)| n.as_str())
            .chain(model.types.iter().map(|t| t.namespace.as_str()))
            .filter(|n| by_ns.contains_key(n))
            .fold(Vec::new(), |mut v, n| {
                if !v.contains(&n) {
                    v.push(n);
                }
                v
            });
        // Keyed by namespace: two namespaces whose snake case agrees (`A.b_c`, `A_b.c`)
        // still get two modules, the later one numbered.
        let module_idents = assign_wanted(
            ns_order
                .iter()
                .map(|n| (n.to_string(), module_name(n)))
                .collect(),
            Case::Snake,
            // `edm` and `model` are imported into every model file; `models` is the client's
            // path to the models.
            &[
                "models",
                runtime_items::EDM.name_text(),
                runtime_items::MODEL.name_text(),
            ],
        );
        let mut modules = Vec::new();
        for ns in &ns_order {
            let mut types = by_ns[ns].clone();
            types.sort_by(|a, b| model.ty(*a).name.cmp(&model.ty(*b).name));
            let named = &module_idents[*ns];
            modules.push(ModulePlan {
                namespace: ns.to_string(),
                ident: named.ident.clone(),
                collided_with: named.collided_with.clone(),
                types,
            });
        }
        // Primary module: the namespace of the first path or type root, else the largest.
        let primary_ns = selection
            .paths
            .first()
            .map(|p| model.ty(p.target()).namespace.clone())
            .or_else(|| {
                modules
                    .iter()
                    .max_by_key(|m| m.types.len())
                    .map(|m| m.namespace.clone())
            })
            .unwrap_or_default();
        let primary = modules
            .iter()
            .position(|m| m.namespace == primary_ns)
            .unwrap_or(0);

        // Each struct's members, inherited first, found once: the polymorphic bases, the
        // by-value cycles and the fields all read them.
        let members: Vec<(TypeId, Members<'m>)> = selection
            .types
            .iter()
            .filter(|id| model.ty(**id).structured().is_some())
            .map(|&id| (id, Members::of(model, selection, id)))
            .collect();
        let polymorphic = polymorphic_bases(model, selection, &members);

        // Type names, per module; then the companions structured types claim (field types
        // first: they win a collision)
        // (`<Name>Field`) and polymorphic ones (`Any<Name>`), through the same rule with
        // every type name of the module taken, so a companion never collides with a type or
        // with another companion.
        let mut names = HashMap::new();
        for (mi, m) in modules.iter().enumerate() {
            let csdl: Vec<&str> = m
                .types
                .iter()
                .map(|&id| model.ty(id).name.as_str())
                .collect();
            let assigned = assign(&csdl, Case::Type, &[]);
            let taken: Vec<&str> = assigned.values().map(|n| n.ident.as_str()).collect();
            let mut wanted = Vec::new();
            for &id in &m.types {
                let ty = model.ty(id);
                let ident = &assigned[&ty.name].ident;
                if ty.structured().is_some() {
                    wanted.push((format!("1field:{}", ty.name), format!("{ident}Field")));
                }
                if polymorphic.contains_key(&id) {
                    wanted.push((format!("2any:{}", ty.name), format!("Any{ident}")));
                }
            }
            let mut companions = assign_wanted(wanted, Case::Type, &taken);
            for &id in &m.types {
                let ty = model.ty(id);
                let n = &assigned[&ty.name];
                let mut companion = |kind: &str| {
                    companions
                        .remove(&format!("{kind}:{}", ty.name))
                        .map_or((None, None), |c| (Some(c.ident), c.collided_with))
                };
                let (field_enum, field_enum_collided) = companion("1field");
                let (any_enum, any_enum_collided) = companion("2any");
                names.insert(
                    id,
                    TypeName {
                        module: mi,
                        ident: n.ident.clone(),
                        collided_with: n.collided_with.clone(),
                        field_enum,
                        field_enum_collided,
                        any_enum,
                        any_enum_collided,
                    },
                );
            }
        }
        let any = polymorphic
            .iter()
            .map(|(base, derived)| (*base, any_names(model, &modules, &names, *base, derived)))
            .collect();

        let boxed_edges = by_value_cycles(model, selection, &members);
        let mut fields = HashMap::with_capacity(members.len());
        fields.extend(plan_all_fields(members, &boxed_edges, two));
        let mut conversions = Conversions::default();
        let mut variants = HashMap::new();
        for &id in &selection.types {
            match &model.ty(id).kind {
                TypeKind::Entity(_) | TypeKind::Complex(_) => {}
                TypeKind::Enum(e) => {
                    let wire: Vec<&str> = e.members.iter().map(|m| m.name.as_str()).collect();
                    let (case, reserved): (Case, &[&str]) = if e.is_flags {
                        (Case::Screaming, &[])
                    } else {
                        (Case::Variant, &[UNKNOWN_VARIANT])
                    };
                    let assigned = assign_each(&wire, case, reserved, &mut conversions);
                    let list = e
                        .members
                        .iter()
                        .zip(assigned)
                        .enumerate()
                        .map(|(i, (m, named))| VariantPlan {
                            wire: m.name.as_str(),
                            ident: named.ident,
                            value: m.value,
                            collided_with: named.collided_with,
                            member: i,
                        })
                        .collect();
                    variants.insert(id, list);
                }
                TypeKind::Definition(_) => {}
            }
        }
        Plan {
            model,
            selection,
            modules,
            primary,
            names,
            fields,
            variants,
            polymorphic,
            any,
            features: None,
            permissions: None,
            parts: None,
        }
    }

    /// Plans the per-area features (from the client plan, whose builders and requests
    /// decide what each area reaches).
    pub fn plan_features(&mut self) {
        let cp = client::ClientPlan::new(self, None);
        self.features = Some(features::FeaturePlan::new(self, &cp));
    }

    /// Splits the models into part crates, at most `per_layer` side by side.
    pub fn plan_parts(&mut self, per_layer: usize) {
        self.parts = Some(parts::PartsPlan::new(self, per_layer));
    }

    /// The identifier values of type `id` have: `Any<Name>` for polymorphic bases.
    pub fn value_ident(&self, id: TypeId) -> &str {
        let name = self.name(id);
        name.any_enum.as_deref().unwrap_or(&name.ident)
    }

    /// The Rust name of a selected type.
    pub fn name(&self, id: TypeId) -> &TypeName {
        &self.names[&id]
    }
}

/// The names inside `Any<base>`: variants are the derived types' names (prefixed with their
/// module's name when it is another module), methods `as_<variant>`; both unique in the
/// enum by the collision rule, the base's own variant and method and `odata_type` taken.
fn any_names(
    model: &Model,
    modules: &[ModulePlan],
    names: &HashMap<TypeId, TypeName>,
    base: TypeId,
    derived: &[TypeId],
) -> AnyNames {
    let base_name = &names[&base];
    let base_method = format!("as_{}", naming::snake(&base_name.ident));
    // Keyed by qualified name (made once per type: the largest base has over a thousand).
    let keys: Vec<String> = derived
        .iter()
        .map(|&id| model.ty(id).qualified_name())
        .collect();
    let wanted_variants = derived
        .iter()
        .zip(&keys)
        .map(|(&id, key)| {
            let n = &names[&id];
            let variant = if n.module == base_name.module {
                n.ident.clone()
            } else {
                naming::type_name(&format!("{}_{}", modules[n.module].ident, n.ident))
            };
            (key.clone(), variant)
        })
        .collect();
    let mut variants = assign_wanted(wanted_variants, Case::Variant, &[base_name.ident.as_str()]);
    let variants: Vec<String> = keys
        .iter()
        .map(|key| variants.remove(key).expect("every key is assigned").ident)
        .collect();
    let wanted_methods = keys
        .iter()
        .zip(&variants)
        .map(|(key, variant)| (key.clone(), format!("as_{}", naming::snake(variant))))
        .collect();
    let mut methods = assign_wanted(
        wanted_methods,
        Case::Snake,
        &[base_method.as_str(), "odata_type"],
    );
    AnyNames {
        base_method,
        variants: variants
            .into_iter()
            .zip(&keys)
            .map(|(variant, key)| {
                let method = methods.remove(key).expect("every key is assigned").ident;
                (variant, method)
            })
            .collect(),
    }
}

/// Bases whose values can be derived types: referenced structured types with selected,
/// non-abstract derived types (transitively).
fn polymorphic_bases(
    model: &Model,
    selection: &Selection,
    members: &[(TypeId, Members<'_>)],
) -> BTreeMap<TypeId, Vec<TypeId>> {
    let mut referenced: BTreeSet<TypeId> = BTreeSet::new();
    for (_, m) in members {
        referenced.extend(m.properties.iter().filter_map(|(_, p)| p.ty.type_id()));
        referenced.extend(m.navigations.iter().filter_map(|(_, n)| n.ty.type_id()));
    }
    for &op in &selection.operations {
        let o = &model.operations[op.0];
        referenced.extend(o.parameters.iter().filter_map(|p| p.ty.type_id()));
        referenced.extend(o.return_type.iter().filter_map(|r| r.ty.type_id()));
    }
    let mut out = BTreeMap::new();
    for base in referenced {
        if model.ty(base).structured().is_none() {
            continue;
        }
        let mut derived = Vec::new();
        let mut stack: Vec<TypeId> = model
            .ty(base)
            .structured()
            .map_or(Vec::new(), |s| s.derived.clone());
        while let Some(d) = stack.pop() {
            if let Some(s) = model.ty(d).structured() {
                stack.extend(s.derived.iter().copied());
                if selection.types.contains(&d) && !s.is_abstract {
                    derived.push(d);
                }
            }
        }
        if !derived.is_empty() {
            // By qualified name, compared in place (a `String` made per comparison cost
            // 33M instructions on Graph).
            derived.sort_by(|a, b| qualified_order(model, *a, *b));
            derived.dedup();
            out.insert(base, derived);
        }
    }
    out
}

/// The fields of every struct of `members`. Planning runs on the main thread before any
/// file is written, so with more than one core the structs are planned in two halves on
/// two threads (each struct's fields depend only on its members, so the halves agree with
/// one pass; each half keeps its own conversions).
fn plan_all_fields<'m>(
    mut members: Vec<(TypeId, Members<'m>)>,
    boxed_edges: &BTreeSet<(TypeId, TypeId)>,
    two: Option<bool>,
) -> Vec<(TypeId, Vec<FieldPlan<'m>>)> {
    let plan = |members: Vec<(TypeId, Members<'m>)>| {
        let mut conversions = Conversions::default();
        members
            .into_iter()
            .map(|(id, m)| (id, plan_fields(id, m, boxed_edges, &mut conversions)))
            .collect::<Vec<_>>()
    };
    let two = two.unwrap_or_else(|| {
        // A small model is not worth a thread.
        members.len() >= 256 && crate::write::cores() >= 2
    });
    if !two {
        return plan(members);
    }
    // Taken by the thread, or here when no thread could be started.
    let second = std::sync::Mutex::new(Some(members.split_off(members.len() / 2)));
    let take = || {
        second
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .unwrap_or_default()
    };
    std::thread::scope(|scope| {
        let other = std::thread::Builder::new().spawn_scoped(scope, || plan(take()));
        let mut first = plan(members);
        match other.map(|handle| handle.join()) {
            Ok(Ok(planned)) => first.extend(planned),
            Ok(Err(panic)) => std::panic::resume_unwind(panic),
            Err(_) => first.extend(plan(take())),
        }
        first
    })
}

/// `a` and `b` in the byte order of their qualified names (`namespace.name`), without
/// making the names.
fn qualified_order(model: &Model, a: TypeId, b: TypeId) -> std::cmp::Ordering {
    let bytes = |id: TypeId| {
        let t = model.ty(id);
        t.namespace
            .bytes()
            .chain(std::iter::once(b'.'))
            .chain(t.name.bytes())
    };
    bytes(a).cmp(bytes(b))
}

/// The members of a selected struct, inherited first: its properties, and its navigations
/// unless it is selected shallowly (their targets are not selected; an expanded navigation
/// is kept in `additional_properties`).
struct Members<'m> {
    properties: Vec<(TypeId, &'m Property)>,
    navigations: Vec<(TypeId, &'m crate::model::Navigation)>,
}

impl<'m> Members<'m> {
    fn of(model: &'m Model, selection: &Selection, id: TypeId) -> Members<'m> {
        Members {
            properties: model.all_properties(id),
            navigations: if selection.shallow.contains(&id) {
                Vec::new()
            } else {
                model.all_navigations(id)
            },
        }
    }
}

/// The fields of struct `id`: its properties and navigations ([`Members`]), inherited
/// first.
fn plan_fields<'m>(
    id: TypeId,
    members: Members<'m>,
    boxed_edges: &BTreeSet<(TypeId, TypeId)>,
    conversions: &mut Conversions<'m>,
) -> Vec<FieldPlan<'m>> {
    let Members {
        properties,
        navigations,
    } = members;
    let wire: Vec<&'m str> = properties
        .iter()
        .map(|(_, p)| p.name.as_str())
        .chain(navigations.iter().map(|(_, n)| n.name.as_str()))
        .collect();
    let idents = assign_each(&wire, Case::Snake, &[ADDITIONAL_PROPERTIES], conversions);
    // Constants of the field type, beside its `ALL`.
    let variants = assign_each(&wire, Case::Variant, &["ALL"], conversions);
    let kinds = properties
        .into_iter()
        .map(|(owner, p)| (owner, &p.ty, FieldKind::Property(p)))
        .chain(
            navigations
                .into_iter()
                .map(|(owner, n)| (owner, &n.ty, FieldKind::Navigation(n))),
        );
    wire.iter()
        .zip(idents.into_iter().zip(variants))
        .zip(kinds)
        .map(|((wire, (named, variant)), (declared_in, ty, kind))| {
            let boxed =
                !ty.collection && ty.type_id().is_some_and(|t| boxed_edges.contains(&(id, t)));
            FieldPlan {
                wire,
                ident: named.ident,
                collided_with: named.collided_with,
                variant: variant.ident,
                declared_in,
                kind,
                ty: ty.clone(),
                boxed,
            }
        })
        .collect()
}

/// Edges `(struct, field type)` that must be boxed: single-valued structured fields whose
/// target can reach the struct again through single-valued fields (same strongly connected
/// component). Collections already add indirection.
fn by_value_cycles(
    model: &Model,
    selection: &Selection,
    members: &[(TypeId, Members<'_>)],
) -> BTreeSet<(TypeId, TypeId)> {
    let mut edges: BTreeMap<TypeId, BTreeSet<TypeId>> = BTreeMap::new();
    for (id, m) in members {
        let targets = edges.entry(*id).or_default();
        let singles = m
            .properties
            .iter()
            .map(|(_, p)| &p.ty)
            .chain(m.navigations.iter().map(|(_, n)| &n.ty));
        for ty in singles {
            if let (false, Some(t)) = (ty.collection, ty.type_id()) {
                if model.ty(t).structured().is_some() && selection.types.contains(&t) {
                    targets.insert(t);
                }
            }
        }
    }
    let component = strongly_connected(&edges);
    let mut boxed = BTreeSet::new();
    for (from, targets) in &edges {
        for to in targets {
            if component.get(from) == component.get(to) {
                boxed.insert((*from, *to));
            }
        }
    }
    boxed
}

/// Tarjan's algorithm, iterative (deep graphs must not overflow the stack).
/// Components are numbered in the order they complete, so a component's successors in other
/// components have smaller numbers.
pub(crate) fn strongly_connected<N: Copy + Ord + std::hash::Hash>(
    edges: &BTreeMap<N, BTreeSet<N>>,
) -> HashMap<N, usize> {
    let mut index: HashMap<N, usize> = HashMap::new();
    let mut low: HashMap<N, usize> = HashMap::new();
    let mut on_stack: BTreeSet<N> = BTreeSet::new();
    let mut stack: Vec<N> = Vec::new();
    let mut component: HashMap<N, usize> = HashMap::new();
    let mut next = 0usize;
    let mut components = 0usize;
    let empty = BTreeSet::new();
    for &start in edges.keys() {
        if index.contains_key(&start) {
            continue;
        }
        // Call stack of (node, successors iterator position).
        let mut call: Vec<(N, Vec<N>, usize)> = Vec::new();
        let succ = |n: N| {
            edges
                .get(&n)
                .unwrap_or(&empty)
                .iter()
                .copied()
                .collect::<Vec<_>>()
        };
        index.insert(start, next);
        low.insert(start, next);
        next += 1;
        stack.push(start);
        on_stack.insert(start);
        call.push((start, succ(start), 0));
        while let Some((node, succs, pos)) = call.last_mut() {
            if *pos < succs.len() {
                let w = succs[*pos];
                *pos += 1;
                let node = *node;
                if let std::collections::hash_map::Entry::Vacant(e) = index.entry(w) {
                    e.insert(next);
                    low.insert(w, next);
                    next += 1;
                    stack.push(w);
                    on_stack.insert(w);
                    call.push((w, succ(w), 0));
                } else if on_stack.contains(&w) {
                    let l = low[&node].min(index[&w]);
                    low.insert(node, l);
                }
            } else {
                let node = *node;
                call.pop();
                if let Some((parent, _, _)) = call.last() {
                    let l = low[parent].min(low[&node]);
                    low.insert(*parent, l);
                }
                if low[&node] == index[&node] {
                    while let Some(w) = stack.pop() {
                        on_stack.remove(&w);
                        component.insert(w, components);
                        if w == node {
                            break;
                        }
                    }
                    components += 1;
                }
            }
        }
    }
    component
}

/// Documents for the plan's unit tests.
#[cfg(test)]
pub(crate) mod test_documents {
    use crate::Generator;

    /// An EDMX document of one schema `namespace` holding `types` and a container with the
    /// entity set `set` of `entity_type`.
    pub(crate) fn document(namespace: &str, types: &str, set: &str, entity_type: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="{namespace}" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      {types}
      <EntityContainer Name="Service"><EntitySet Name="{set}" EntityType="{entity_type}"/></EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#
        )
    }

    /// What the front end selects of `document` with everything selected (`--all`).
    pub(crate) fn select_all(document: &str) -> crate::Selected {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let input = dir.path().join("service.xml");
        std::fs::write(&input, document).expect("writes the input");
        Generator::new(&input).all(true).front().expect("reads")
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::test_documents::{document, select_all};
    use super::Plan;

    /// A model of 300 structs: chains of derived types, properties whose names collide once
    /// converted (`Value`, `value`, `VALUE`), by-value cycles (each type holds the next, the
    /// last the first) and navigations.
    fn many_structs() -> String {
        let mut types = String::new();
        for i in 0..300 {
            let next = (i + 1) % 300;
            // A chain's first type declares `type` (a keyword), the others inherit it.
            let (base, keyword) = if i % 10 == 0 {
                (
                    String::new(),
                    format!(r#"<Property Name="type" Type="Collection(Many.Ns.t{next})"/>"#),
                )
            } else {
                (format!(" BaseType=\"Many.Ns.t{}\"", i - 1), String::new())
            };
            let _ = write!(
                types,
                r#"<ComplexType Name="t{i}"{base}>
                  <Property Name="Value{i}" Type="Edm.String"/>
                  <Property Name="value{i}" Type="Edm.Int32"/>
                  <Property Name="VALUE{i}" Type="Edm.Boolean"/>
                  <Property Name="next{i}" Type="Many.Ns.t{next}"/>
                  {keyword}
                </ComplexType>
                <EntityType Name="e{i}">
                  <Key><PropertyRef Name="id"/></Key>
                  <Property Name="id" Type="Edm.String" Nullable="false"/>
                  <Property Name="shape" Type="Many.Ns.t{i}"/>
                  <NavigationProperty Name="other" Type="Many.Ns.e{next}"/>
                </EntityType>"#
            );
        }
        document("Many.Ns", &types, "es", "Many.Ns.e0")
    }

    /// The structs' fields planned in two halves on two threads are the fields planned in
    /// one pass.
    #[test]
    fn fields_on_two_threads_are_the_fields_of_one() {
        let selected = select_all(&many_structs());
        let fields = |two| {
            let plan = Plan::with_field_threads(&selected.model, &selected.selection, Some(two));
            let mut fields: Vec<_> = plan.fields.iter().collect();
            fields.sort_by_key(|(id, _)| **id);
            assert_eq!(fields.len(), 600);
            format!("{fields:?}")
        };
        let one = fields(false);
        for planned in ["ident: \"value0_2\"", "boxed: true", "ident: \"type\""] {
            assert!(one.contains(planned), "{planned} is not in the plan");
        }
        assert!(
            fields(true) == one,
            "two threads plan other fields than one"
        );
    }
}

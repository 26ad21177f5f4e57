//! The client plan: every name and shape decision of the client crate, made before anything
//! is emitted (the emitter only renders it).
//!
//! * builder type names are unique in the builders module (`naming::assign_wanted` over the
//!   whole surface, keyed by qualified type name and kind);
//! * method names are unique per builder (fixed verbs first, then navigations, properties,
//!   operations, casts, alternate keys, in that order of precedence);
//! * parameter structs are keyed by operation identity (one per action overload with two
//!   or more parameters), named uniquely in the parameters module;
//! * argument names are unique per operation;
//! * every method's [`Action`] says what it does: the request it sends (HTTP method, URL
//!   template and form, arguments and how each is passed, body, response kind) or the
//!   builder it opens and the path step, so `emit::client` and `inspect` only render;
//! * the shared builders (raw content, `$ref` links) exist when some method opens them;
//! * with a permissions table, what each method documents of its permissions
//!   ([`MethodPermissions`], `plan::permissions`);
//! * the README's example request is found here too ([`Example`]).
//!
//! Renamed items keep the plain name in `collided_with`, which their docs show.

use std::collections::BTreeMap;

use super::methods;
use super::naming::{assign_wanted, namespace_prefix, type_name, Case, Named};
use super::permissions::MethodPermissions;
pub use super::request::{
    Action, ArgPlan, Body, BuilderRef, Element, Http, LiteralKind, OpenPlan, Pass, RequestPlan,
    Response, Shared, Step, Url,
};
use super::surface::{Builder, BuilderKind, Surface, Via};
use super::Plan;
use crate::model::{Annotations, Model, OperationId, RequestDoc, RequestFacts};

/// Builder names the emitted module uses for itself.
pub const MEDIA_BUILDER: &str = "MediaContentRequestBuilder";
/// The builder of the links (`$ref`) of a collection-valued navigation property.
pub const REFERENCES_BUILDER: &str = "ReferenceCollectionRequestBuilder";
/// The builder of the link (`$ref`) of a single-valued navigation property.
pub const REFERENCE_BUILDER: &str = "ReferenceRequestBuilder";

/// Method names no builder or client method may take: methods of std traits the builders
/// implement or that clippy expects to be trait methods. An inherent `clone()` would shadow
/// `Clone::clone` on every builder; such an operation or navigation gets the numbered name.
pub const TRAIT_METHODS: &[&str] = &[
    "as_mut",
    "as_ref",
    "borrow",
    "borrow_mut",
    "clone",
    "clone_from",
    "cmp",
    "default",
    "deref",
    "deref_mut",
    "drop",
    "eq",
    "fmt",
    "from",
    "from_iter",
    "from_str",
    "hash",
    "into",
    "into_iter",
    "ne",
    "next",
    "partial_cmp",
    "to_owned",
    "to_string",
    "try_from",
    "try_into",
    "type_id",
];

/// The client crate's plan.
#[derive(Debug)]
pub struct ClientPlan {
    /// Builders and how they link.
    pub surface: Surface,
    /// The entry-point type (`GraphClient`).
    pub client_ident: String,
    /// Per builder (same index as [`Surface::builders`]): its type name.
    pub builder_names: Vec<Named>,
    /// Per builder: its methods, in emission order.
    pub methods: Vec<Vec<MethodPlan>>,
    /// Methods of the client type: entity sets, singletons, operation imports.
    pub client_methods: Vec<MethodPlan>,
    /// The shared builders some method opens, with their methods, in [`Shared`] order.
    pub shared: Vec<SharedPlan>,
    /// Parameter structs of actions with two or more parameters, by operation.
    pub parameters: BTreeMap<OperationId, ParameterStruct>,
    /// The README's example request, when the first path root can be written as one.
    pub example: Option<Example>,
}

/// One method of a builder or of the client.
#[derive(Debug, Clone)]
pub struct MethodPlan {
    /// The method name.
    pub ident: String,
    /// The plain name, when the collision rule changed it.
    pub collided_with: Option<String>,
    /// What it is for (its documentation follows from this).
    pub kind: MethodKind,
    /// What it does: the request it sends or the builder it opens.
    pub action: Action,
    /// What the docs say of it, when they do: the documented request for the plain requests
    /// (`get`, `list`, `create`, ...) of a builder whose link a docs overlay documents; the
    /// navigation property's description for a navigation.
    pub request: Option<RequestDoc>,
    /// What its docs say of its permissions, with a permissions table (`None`: the run has
    /// none, or the method opens a builder of the surface and sends nothing).
    pub permissions: Option<MethodPermissions>,
}

impl MethodPlan {
    /// The facts (status, permissions) a docs overlay gives the method, if any: an
    /// operation's or an override request's own, else those of its documented request.
    pub fn overlay_facts<'s>(&'s self, model: &'s Model) -> Option<&'s RequestFacts> {
        match &self.kind {
            MethodKind::Operation(op) => model.operations[op.0].annotations.facts.as_ref(),
            MethodKind::Http(index) => model.http_operations[*index].annotations.facts.as_ref(),
            _ => self.request.as_ref().map(|r| &r.facts),
        }
    }
}

/// What a method is for. How it does it is its [`Action`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MethodKind {
    /// Reads the entity.
    Get,
    /// Updates the entity with `PATCH`.
    Update,
    /// Replaces the entity with `PUT` (the update method the metadata names).
    Replace,
    /// Deletes the entity.
    Delete,
    /// The media content (`$value`).
    Content,
    /// A stream property (`Edm.Stream`, such as a file's `content` or an application's
    /// `logo`).
    StreamProperty,
    /// The links (`$ref`) of a navigation property that does not contain its targets
    /// (`members`, `manager`): collection-valued (list/add/remove) or single-valued
    /// (get/set/delete).
    Reference {
        /// Collection-valued.
        collection: bool,
    },
    /// A page of the collection.
    List,
    /// The collection's `$count`.
    Count,
    /// Creates an entity in the collection.
    Create,
    /// One entity of the collection by its key.
    Key,
    /// One entity by an alternate key.
    AlternateKey,
    /// A navigation property.
    Navigation,
    /// An updatable structural collection property.
    Property,
    /// A type cast to a derived type.
    Cast,
    /// A bound operation, or an operation import on the client.
    Operation(OperationId),
    /// A request an override file adds (index in `Model::http_operations`).
    Http(usize),
    /// An entity at a path below this one, added by an override file (index in
    /// `Model::path_addresses`).
    PathAddress(usize),
    /// An entity set or singleton, on the client.
    Entry {
        /// Whether it is a singleton.
        singleton: bool,
    },
    /// Reads a structural collection property.
    PropertyGet,
    /// Replaces a structural collection property.
    PropertyReplace,
    /// The `$count` of a structural collection property.
    PropertyCount,
    /// Downloads raw content.
    Download,
    /// Uploads raw content.
    Upload,
    /// Deletes raw content.
    DeleteContent,
    /// Lists the links of a collection-valued navigation.
    ListLinks,
    /// Links an existing entity to a collection-valued navigation.
    AddLink,
    /// Unlinks an entity from a collection-valued navigation.
    RemoveLink,
    /// Reads the link of a single-valued navigation.
    GetLink,
    /// Sets the link of a single-valued navigation.
    SetLink,
    /// Removes the link of a single-valued navigation.
    DeleteLink,
}

/// A builder every crate that needs it has once.
#[derive(Debug, Clone)]
pub struct SharedPlan {
    /// Which one.
    pub kind: Shared,
    /// Its type name.
    pub ident: &'static str,
    /// Its methods; their templates are relative to the URL that opened the builder.
    pub methods: Vec<MethodPlan>,
}

/// The parameters struct of one action overload. Every field is an `Option`, like a
/// model's fields: `None` is left out of the body, so a struct is built with
/// `..Default::default()` and the service's default applies to what is not set;
/// [`ArgPlan::optional`] only says whether the metadata marks the parameter optional.
#[derive(Debug, Clone)]
pub struct ParameterStruct {
    /// The struct name.
    pub ident: String,
    /// The plain name, when the collision rule changed it.
    pub collided_with: Option<String>,
    /// Its fields.
    pub fields: Vec<ArgPlan>,
}

/// The README's example: `client.<call>(<arg>)...<verb>().build()?`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// The calls from the client to the last builder.
    pub calls: Vec<ExampleCall>,
    /// The request method that ends it (`get` or `list`).
    pub verb: String,
}

/// One call of the README's example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleCall {
    /// The method.
    pub ident: String,
    /// Its sample key, if it takes one.
    pub key: Option<SampleKey>,
}

/// A sample key value for an example.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SampleKey {
    /// `"id"`.
    Text,
    /// `1`.
    Integer,
}

impl ClientPlan {
    /// Plans the client of `plan`'s selection. The entry type is `client_name`, or named
    /// after the primary namespace ([`default_client_ident`]).
    pub fn new(plan: &Plan, client_name: Option<&str>) -> ClientPlan {
        let client_ident = client_name.map_or_else(|| default_client_ident(plan), str::to_string);
        let client_ident = client_ident.as_str();
        let model = plan.model;
        let surface = Surface::new(model, plan.selection);
        let builder_names = builder_names(plan, &surface, client_ident);
        let mut parameters = BTreeMap::new();
        let mut methods = Vec::with_capacity(surface.builders.len());
        for index in 0..surface.builders.len() {
            let mut built = methods::builder_methods(plan, &surface, index, &mut parameters);
            document_links(plan.model, &surface.builders[index], &mut built);
            if let Some(docs) = request_docs(plan.model, &surface.builders[index]) {
                for m in &mut built {
                    let verb = match m.kind {
                        MethodKind::Get | MethodKind::PropertyGet => "get",
                        MethodKind::Update => "update",
                        MethodKind::Replace | MethodKind::PropertyReplace => "replace",
                        MethodKind::Delete => "delete",
                        MethodKind::List => "list",
                        MethodKind::Create => "create",
                        MethodKind::Count | MethodKind::PropertyCount => "count",
                        MethodKind::Content => "content",
                        _ => continue,
                    };
                    m.request = docs.get(verb).cloned();
                }
            }
            methods.push(built);
        }
        let client_methods = methods::client_methods(plan, &surface, &mut parameters);
        let parameters = name_parameter_structs(model, parameters);
        let shared = methods::shared_builders(&methods, surface.key_as_segment);
        let mut cp = ClientPlan {
            surface,
            client_ident: client_ident.to_string(),
            builder_names,
            methods,
            client_methods,
            shared,
            parameters,
            example: None,
        };
        cp.example = methods::example(plan, &cp);
        if let Some(table) = &plan.permissions {
            super::permissions::decide(model, table, &mut cp);
        }
        cp
    }

    /// The type name of builder `index`.
    pub fn builder_ident(&self, index: usize) -> &str {
        &self.builder_names[index].ident
    }

    /// The type name of a builder a method opens.
    pub fn target_ident(&self, target: BuilderRef) -> &str {
        match target {
            BuilderRef::Planned(index) => self.builder_ident(index),
            BuilderRef::Shared(kind) => shared_ident(kind),
        }
    }

    /// Builder indices in the order of their names (the order of the emitted file).
    pub fn builders_by_name(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.builder_names.len()).collect();
        order.sort_by(|a, b| self.builder_ident(*a).cmp(self.builder_ident(*b)));
        order
    }

    /// The shared builder of kind `kind`, if the crate has it.
    pub fn shared(&self, kind: Shared) -> Option<&SharedPlan> {
        self.shared.iter().find(|s| s.kind == kind)
    }
}

/// The type name of a shared builder.
pub(super) fn shared_ident(kind: Shared) -> &'static str {
    match kind {
        Shared::Media => MEDIA_BUILDER,
        Shared::References => REFERENCES_BUILDER,
        Shared::Reference => REFERENCE_BUILDER,
    }
}

/// The entry type's default name: the last segment of the primary namespace with `Client`
/// (`microsoft.graph` gives `GraphClient`, `Contoso.Sales` gives `SalesClient`), by the
/// naming rules of types.
pub fn default_client_ident(plan: &Plan) -> String {
    let namespace = plan
        .modules
        .get(plan.primary)
        .map_or("", |m| m.namespace.as_str());
    let last = namespace.rsplit('.').next().unwrap_or_default();
    type_name(&format!("{last} client"))
}

/// Builder type names: `<Type>RequestBuilder`, `<Type>CollectionRequestBuilder`,
/// `<Type><Property>RequestBuilder`; types outside the primary namespace are prefixed with
/// their namespace.
fn builder_names(plan: &Plan, surface: &Surface, client_ident: &str) -> Vec<Named> {
    let model = plan.model;
    let primary = plan
        .modules
        .get(plan.primary)
        .map(|m| m.namespace.as_str())
        .unwrap_or_default();
    let mut wanted = Vec::with_capacity(surface.builders.len());
    let mut keys = Vec::with_capacity(surface.builders.len());
    for b in &surface.builders {
        let t = model.ty(b.ty);
        let base = match plan.names.get(&b.ty) {
            Some(n) => n.ident.clone(),
            None => type_name(&t.name),
        };
        let base = if t.namespace == primary {
            base
        } else {
            format!("{}{base}", namespace_prefix(&t.namespace))
        };
        let (suffix, kind) = match &b.kind {
            BuilderKind::Item => ("RequestBuilder".to_string(), "item".to_string()),
            BuilderKind::Collection => (
                "CollectionRequestBuilder".to_string(),
                "collection".to_string(),
            ),
            BuilderKind::Property(p) => (
                format!("{}RequestBuilder", type_name(p)),
                format!("property:{p}"),
            ),
        };
        // `/` sorts before every name character: a type's own builders come before those
        // of a type whose name extends it (`drive` before `driveCollection`).
        let key = format!("{}/{kind}", t.qualified_name());
        wanted.push((key.clone(), format!("{base}{suffix}")));
        keys.push(key);
    }
    let mut assigned = assign_wanted(
        wanted,
        Case::Type,
        &[
            client_ident,
            MEDIA_BUILDER,
            REFERENCES_BUILDER,
            REFERENCE_BUILDER,
            "Method",
            "Request",
        ],
    );
    keys.into_iter()
        .map(|k| assigned.remove(&k).expect("every key is assigned"))
        .collect()
}

/// Navigation methods of builder `b` open with the navigation property's description; a
/// stream property's method carries the documented `content` request of the property.
fn document_links(model: &Model, b: &Builder, methods: &mut [MethodPlan]) {
    for m in methods {
        let Some(segment) = m.action.segment() else {
            continue;
        };
        let link = Via::Member {
            owner: b.ty,
            name: segment.to_string(),
        };
        match m.kind {
            MethodKind::Navigation => m.request = described(link_annotations(model, &link)),
            MethodKind::StreamProperty => {
                m.request = link_annotations(model, &link)
                    .and_then(|a| a.requests.get("content"))
                    .cloned();
            }
            _ => {}
        }
    }
}

/// The docs of the plain requests of builder `b`: those of the entity set, navigation or
/// property its canonical URL ends with.
fn request_docs<'m>(model: &'m Model, b: &Builder) -> Option<&'m BTreeMap<String, RequestDoc>> {
    link_annotations(model, b.via.as_ref()?).map(|a| &a.requests)
}

/// The annotations of the entity set, navigation or property a link names (members
/// declared on the owner or a base).
pub(super) fn link_annotations<'m>(model: &'m Model, link: &Via) -> Option<&'m Annotations> {
    match link {
        Via::Set(name) => model
            .containers
            .iter()
            .flat_map(|c| c.entity_sets.iter().chain(&c.singletons))
            .find(|s| &s.name == name)
            .map(|s| &s.annotations),
        Via::Member { owner, name } => {
            // The declaration `all_navigations` (else `all_properties`) keeps: the last of
            // that name, from the most derived type up, without listing every member.
            let lineage = model.lineage(*owner);
            let structs = || {
                lineage
                    .iter()
                    .rev()
                    .filter_map(|t| model.ty(*t).structured())
            };
            structs()
                .find_map(|s| s.navigations.iter().rev().find(|n| &n.name == name))
                .map(|n| &n.annotations)
                .or_else(|| {
                    structs()
                        .find_map(|s| s.properties.iter().rev().find(|p| &p.name == name))
                        .map(|p| &p.annotations)
                })
        }
    }
}

/// A method's docs from a link's description, when it has one.
pub(super) fn described(annotations: Option<&Annotations>) -> Option<RequestDoc> {
    let description = annotations?.description.clone()?;
    Some(RequestDoc {
        description: Some(description),
        ..RequestDoc::default()
    })
}

/// Names the parameter structs, unique in the parameters module, keyed by the operation's
/// identity (qualified name, binding, position).
fn name_parameter_structs(
    model: &Model,
    parameters: BTreeMap<OperationId, Vec<ArgPlan>>,
) -> BTreeMap<OperationId, ParameterStruct> {
    let key = |op: OperationId| {
        let o = &model.operations[op.0];
        let binding = o.binding.as_ref().map_or(String::new(), |b| {
            let name = b
                .type_id()
                .map_or_else(String::new, |t| model.ty(t).qualified_name());
            if b.collection {
                format!("Collection({name})")
            } else {
                name
            }
        });
        format!("{}({binding})#{:08}", o.qualified_name(), op.0)
    };
    // `<Action>Parameters`; where several actions want that name, each takes its binding
    // type's name in front (`<Type>Collection<Action>Parameters` for collections), and the
    // collision rule settles what is still shared (overloads on one type).
    let plain = |op: OperationId| format!("{}Parameters", type_name(&model.operations[op.0].name));
    let mut wanting: BTreeMap<String, usize> = BTreeMap::new();
    for op in parameters.keys() {
        *wanting.entry(plain(*op)).or_default() += 1;
    }
    let wanted = parameters
        .keys()
        .map(|op| {
            let o = &model.operations[op.0];
            let name = match (&o.binding, wanting[&plain(*op)] > 1) {
                (Some(b), true) => {
                    let binding = b
                        .type_id()
                        .map_or_else(String::new, |t| type_name(&model.ty(t).name));
                    let collection = if b.collection { "Collection" } else { "" };
                    format!("{binding}{collection}{}", plain(*op))
                }
                _ => plain(*op),
            };
            (key(*op), name)
        })
        .collect();
    let mut assigned = assign_wanted(wanted, Case::Type, &[]);
    parameters
        .into_iter()
        .map(|(op, fields)| {
            let named = assigned.remove(&key(op)).expect("every key is assigned");
            (
                op,
                ParameterStruct {
                    ident: named.ident,
                    collided_with: named.collided_with,
                    fields,
                },
            )
        })
        .collect()
}

//! The client plan: every name and shape decision of the client crate, made before anything
//! is emitted (the emitter only renders it).
//!
//! * builder type names are unique in the builders module (`naming::assign_wanted` over the
//!   whole surface, keyed by qualified type name and kind);
//! * method names are unique per builder (fixed verbs first, then navigations, properties,
//!   operations, casts, alternate keys, in that order of precedence);
//! * parameter structs are keyed by operation identity (one per action overload with two
//!   or more parameters), named uniquely in the parameters module;
//! * argument names are unique per operation.
//!
//! Renamed items keep the plain name in `collided_with`, which their docs show.

use std::collections::BTreeMap;

use super::naming::{assign, assign_wanted, namespace_prefix, snake, type_name, Case, Named};
use super::surface::{Builder, BuilderKind, Surface, Via};
use super::Plan;
use crate::csdl::OperationKind;
use crate::model::{
    Annotations, Model, OperationId, Primitive, RequestDoc, Target, TypeKind, TypeRef,
};

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
    /// Parameter structs of actions with two or more parameters, by operation.
    pub parameters: BTreeMap<OperationId, ParameterStruct>,
}

/// One method of a builder or of the client.
#[derive(Debug, Clone)]
pub struct MethodPlan {
    /// The method name.
    pub ident: String,
    /// The plain name, when the collision rule changed it.
    pub collided_with: Option<String>,
    /// What it does.
    pub kind: MethodKind,
    /// What the docs say of it, when they do: the documented request for the plain requests
    /// (`get`, `list`, `create`, ...) of a builder whose link a docs overlay documents; the
    /// navigation property's description for a navigation.
    pub request: Option<RequestDoc>,
}

/// What a method does.
#[derive(Debug, Clone)]
pub enum MethodKind {
    /// `GET` the entity.
    Get,
    /// Update the entity with its update method (`PATCH`, or `PUT` where the metadata says).
    Update {
        /// `PATCH` or `PUT`.
        http: String,
    },
    /// `PUT` the whole entity.
    Replace,
    /// `DELETE` the entity.
    Delete,
    /// The media content (`$value`).
    Content,
    /// The links (`$ref`) of a navigation property that does not contain its targets
    /// (`members`, `manager`): list, add and remove links to existing entities.
    Reference {
        /// The navigation property (the URL segment before `$ref`).
        segment: String,
        /// Collection-valued (list/add/remove) or single-valued (get/set/delete).
        collection: bool,
    },
    /// A stream property (`Edm.Stream`, such as a file's `content` or an application's
    /// `logo`): its raw content at `.../<segment>`.
    StreamProperty {
        /// The property name (the URL segment).
        segment: String,
    },
    /// `GET` a page of the collection.
    List,
    /// `GET .../$count`.
    Count,
    /// `POST` a new entity.
    Create,
    /// One entity by its single key, as a path segment (`/set/{id}`).
    ById,
    /// One entity by its key in parentheses: a single key's literal (`/set(42)`), or the
    /// parts of a composite key (`/set(a=1,b='x')`).
    ByKey(Vec<ArgPlan>),
    /// One entity by an alternate key (`/set(alias='value')`).
    AlternateKey(Vec<ArgPlan>),
    /// A navigation property.
    Navigation {
        /// Its wire name.
        segment: String,
        /// The builder it returns.
        target: usize,
    },
    /// An updatable structural collection property.
    Property {
        /// Its wire name.
        segment: String,
        /// The builder it returns.
        target: usize,
    },
    /// A type cast to a derived type.
    Cast {
        /// The derived type's qualified name (the URL segment).
        segment: String,
        /// The builder it returns.
        target: usize,
    },
    /// A bound operation, or an operation import on the client.
    Operation(OperationPlan),
    /// A request an override file adds (index in `Model::http_operations`).
    Http(usize),
    /// An entity set or singleton, on the client.
    Entry {
        /// Its name (the URL segment).
        set: String,
        /// Whether it is a singleton.
        singleton: bool,
        /// The builder it returns.
        target: usize,
    },
    /// `GET` a structural collection property.
    PropertyGet,
    /// Replace a structural collection property.
    PropertyReplace {
        /// `PUT` unless the metadata says otherwise.
        http: String,
    },
    /// `GET .../$count` of a structural collection property.
    PropertyCount,
}

/// An action or function as a method.
#[derive(Debug, Clone)]
pub struct OperationPlan {
    /// The operation.
    pub op: OperationId,
    /// The URL segment (the operation's name, or the import's name).
    pub segment: String,
    /// Function arguments (URL literals), or the single parameter of an action.
    pub args: Vec<ArgPlan>,
    /// How an action sends its parameters.
    pub body: ActionBody,
}

/// The body of an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionBody {
    /// A function, or an action without parameters.
    None,
    /// One parameter: the method's argument, sent as `{"<name>": value}`.
    Single,
    /// Two or more: the parameters struct of [`ClientPlan::parameters`].
    Struct,
}

/// A method argument: a key part, function parameter or single action parameter.
#[derive(Debug, Clone)]
pub struct ArgPlan {
    /// The CSDL name (wire name).
    pub wire: String,
    /// The argument or field name.
    pub ident: String,
    /// The plain name, when the collision rule changed it.
    pub collided_with: Option<String>,
    /// Its type.
    pub ty: TypeRef,
    /// The caller may leave it out (`Core.OptionalParameter`, or a nullable function
    /// parameter): the argument is an `Option`, and `None` is not sent.
    pub optional: bool,
    /// How the value becomes a URL literal.
    pub literal: LiteralKind,
}

/// How an argument becomes a URL literal. One mapping for keys and function parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiteralKind {
    /// A primitive (or a type definition over one): `ToODataLiteral`.
    Primitive(Primitive),
    /// An enumeration member, qualified by its type (`ns.color'red'`).
    Enum(String),
    /// A structured value or a collection: its JSON text.
    Json,
}

/// The parameters struct of one action overload.
#[derive(Debug, Clone)]
pub struct ParameterStruct {
    /// The struct name.
    pub ident: String,
    /// The plain name, when the collision rule changed it.
    pub collided_with: Option<String>,
    /// Its fields.
    pub fields: Vec<ArgPlan>,
}

/// The literal kind of a value of type `ty` (collections are JSON).
pub fn literal_kind(model: &Model, ty: &TypeRef) -> LiteralKind {
    if ty.collection {
        return LiteralKind::Json;
    }
    match &ty.target {
        Target::Primitive(p) => match p {
            Primitive::Stream
            | Primitive::Untyped
            | Primitive::Spatial(_)
            | Primitive::Abstract(_) => LiteralKind::Json,
            p => LiteralKind::Primitive(p.clone()),
        },
        Target::Type(id) => match &model.ty(*id).kind {
            TypeKind::Enum(_) => LiteralKind::Enum(model.ty(*id).qualified_name()),
            TypeKind::Definition(p) => literal_kind(
                model,
                &TypeRef {
                    collection: false,
                    target: Target::Primitive(p.clone()),
                },
            ),
            TypeKind::Entity(_) | TypeKind::Complex(_) => LiteralKind::Json,
        },
    }
}

/// Sort keys of the method kinds that compete for names: lower wins a collision.
const NAV: &str = "1nav:";
const PROPERTY: &str = "2property:";
const STREAM: &str = "2stream:";
const REFERENCE: &str = "2reference:";
const OPERATION: &str = "3operation:";
const HTTP: &str = "3http:";
const CAST: &str = "4cast:";
const ALTERNATE_KEY: &str = "5key:";
const ENTRY: &str = "1set:";

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
            let mut built = builder_methods(plan, &surface, index, &mut parameters);
            document_links(plan.model, &surface.builders[index], &mut built);
            if let Some(docs) = request_docs(plan.model, &surface.builders[index]) {
                for m in &mut built {
                    let verb = match m.kind {
                        MethodKind::Get | MethodKind::PropertyGet => "get",
                        MethodKind::Update { .. } => "update",
                        MethodKind::Replace | MethodKind::PropertyReplace { .. } => "replace",
                        MethodKind::Delete => "delete",
                        MethodKind::List => "list",
                        MethodKind::Create => "create",
                        _ => continue,
                    };
                    m.request = docs.get(verb).cloned();
                }
            }
            methods.push(built);
        }
        let client_methods = client_methods(plan, &surface, &mut parameters);
        let parameters = name_parameter_structs(model, parameters);
        ClientPlan {
            surface,
            client_ident: client_ident.to_string(),
            builder_names,
            methods,
            client_methods,
            parameters,
        }
    }

    /// The type name of builder `index`.
    pub fn builder_ident(&self, index: usize) -> &str {
        &self.builder_names[index].ident
    }

    /// Builder indices in the order of their names (the order of the emitted file).
    pub fn builders_by_name(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.builder_names.len()).collect();
        order.sort_by(|a, b| self.builder_ident(*a).cmp(self.builder_ident(*b)));
        order
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

/// A method whose name is not contested (fixed verbs).
fn fixed(ident: &str, kind: MethodKind) -> MethodPlan {
    MethodPlan {
        ident: ident.to_string(),
        collided_with: None,
        kind,
        request: None,
    }
}

/// Navigation methods of builder `b` open with the navigation property's description.
fn document_links(model: &Model, b: &Builder, methods: &mut [MethodPlan]) {
    for m in methods {
        if let MethodKind::Navigation { segment, .. } = &m.kind {
            let link = Via::Member {
                owner: b.ty,
                name: segment.clone(),
            };
            m.request = described(link_annotations(model, &link));
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
fn link_annotations<'m>(model: &'m Model, link: &Via) -> Option<&'m Annotations> {
    match link {
        Via::Set(name) => model
            .containers
            .iter()
            .flat_map(|c| c.entity_sets.iter().chain(&c.singletons))
            .find(|s| &s.name == name)
            .map(|s| &s.annotations),
        Via::Member { owner, name } => model
            .all_navigations(*owner)
            .into_iter()
            .find(|(_, n)| &n.name == name)
            .map(|(_, n)| &n.annotations)
            .or_else(|| {
                model
                    .all_properties(*owner)
                    .into_iter()
                    .find(|(_, p)| &p.name == name)
                    .map(|(_, p)| &p.annotations)
            }),
    }
}

/// A method's docs from a link's description, when it has one.
fn described(annotations: Option<&Annotations>) -> Option<RequestDoc> {
    let description = annotations?.description.clone()?;
    Some(RequestDoc {
        description: Some(description),
        ..RequestDoc::default()
    })
}

/// Names `contested` (sort key, wanted name, kind) in a scope where `fixed` are taken, and
/// returns all methods: fixed ones first, then the others in sort-key order.
fn name_methods(
    mut methods: Vec<MethodPlan>,
    contested: Vec<(String, String, MethodKind)>,
    reserved: &[&str],
) -> Vec<MethodPlan> {
    let mut taken: Vec<&str> = methods.iter().map(|m| m.ident.as_str()).collect();
    taken.extend_from_slice(reserved);
    taken.extend_from_slice(TRAIT_METHODS);
    let wanted = contested
        .iter()
        .map(|(k, w, _)| (k.clone(), w.clone()))
        .collect();
    let mut assigned = assign_wanted(wanted, Case::Snake, &taken);
    let mut contested = contested;
    contested.sort_by(|a, b| a.0.cmp(&b.0));
    for (key, _, kind) in contested {
        let named = assigned.remove(&key).expect("every key is assigned");
        methods.push(MethodPlan {
            ident: named.ident,
            collided_with: named.collided_with,
            kind,
            request: None,
        });
    }
    methods
}

fn builder_methods(
    plan: &Plan,
    surface: &Surface,
    index: usize,
    parameters: &mut BTreeMap<OperationId, Vec<ArgPlan>>,
) -> Vec<MethodPlan> {
    let model = plan.model;
    let b = &surface.builders[index];
    let mut methods = Vec::new();
    let mut contested = Vec::new();
    match &b.kind {
        BuilderKind::Item => {
            if b.typed {
                // `update` is PATCH and `replace` is PUT. The metadata (or the override file)
                // names the one update method the service takes; where that is PUT, there is
                // no `update`, so a PATCH the service refuses cannot be written.
                let update = super::surface::update_method(model, b.ty);
                methods.push(fixed("get", MethodKind::Get));
                if update == "PUT" {
                    methods.push(fixed("replace", MethodKind::Replace));
                } else {
                    methods.push(fixed(
                        "update",
                        MethodKind::Update {
                            http: "PATCH".into(),
                        },
                    ));
                }
                methods.push(fixed("delete", MethodKind::Delete));
                let media = model
                    .lineage(b.ty)
                    .iter()
                    .any(|t| model.ty(*t).structured().is_some_and(|s| s.has_stream));
                if media {
                    methods.push(fixed("content", MethodKind::Content));
                }
                for segment in super::surface::stream_properties(model, b.ty) {
                    contested.push((
                        format!("{STREAM}{segment}"),
                        snake(&segment),
                        MethodKind::StreamProperty { segment },
                    ));
                }
            }
            for e in &b.navigations {
                contested.push((
                    format!("{NAV}{}", e.segment),
                    snake(&e.segment),
                    MethodKind::Navigation {
                        segment: e.segment.clone(),
                        target: e.target,
                    },
                ));
            }
            // Links between existing entities: only where the navigation does not contain
            // its targets (a contained entity cannot exist unlinked).
            for (segment, collection) in super::surface::reference_navigations(model, b) {
                contested.push((
                    format!("{REFERENCE}{segment}"),
                    format!("{}_ref", snake(&segment)),
                    MethodKind::Reference {
                        segment,
                        collection,
                    },
                ));
            }
            for e in &b.properties {
                contested.push((
                    format!("{PROPERTY}{}", e.segment),
                    snake(&e.segment),
                    MethodKind::Property {
                        segment: e.segment.clone(),
                        target: e.target,
                    },
                ));
            }
        }
        BuilderKind::Collection => {
            if b.typed {
                methods.push(fixed("list", MethodKind::List));
                methods.push(fixed("count", MethodKind::Count));
                methods.push(fixed("create", MethodKind::Create));
            }
            let key = model.key_parts(b.ty);
            // One key property is a segment (`/set/{id}`, a string) only where the service
            // takes it so; elsewhere it is a typed literal in parentheses (`/set(42)`).
            // A part is named by its wire name (a key path's alias) and typed by the
            // property it ends at.
            if key.len() > 1 || (key.len() == 1 && !surface.key_as_segment) {
                let parts: Vec<(String, TypeRef)> =
                    key.into_iter().map(|k| (k.wire, k.ty)).collect();
                let mut parts = args(model, &parts);
                for part in &mut parts {
                    // A key is a primitive or enumeration value; anything else (invalid CSDL
                    // that got this far) is given as its literal text.
                    if part.literal == LiteralKind::Json {
                        part.literal = LiteralKind::Primitive(Primitive::String);
                        part.ty = TypeRef {
                            collection: false,
                            target: Target::Primitive(Primitive::String),
                        };
                    }
                }
                let name = if parts.len() == 1 { "by_id" } else { "by_key" };
                methods.push(fixed(name, MethodKind::ByKey(parts)));
            } else {
                methods.push(fixed("by_id", MethodKind::ById));
            }
            let mut seen = Vec::new();
            for t in model.lineage(b.ty) {
                for alt in &model.ty(t).annotations.alternate_keys {
                    let aliases: Vec<String> = alt.parts.iter().map(|(a, _)| a.clone()).collect();
                    if seen.contains(&aliases) {
                        continue;
                    }
                    seen.push(aliases.clone());
                    let wanted = format!(
                        "by_{}",
                        aliases
                            .iter()
                            .map(|a| snake(a))
                            .collect::<Vec<_>>()
                            .join("_and_")
                    );
                    let string = TypeRef {
                        collection: false,
                        target: Target::Primitive(Primitive::String),
                    };
                    let parts: Vec<(String, TypeRef)> = aliases
                        .iter()
                        .map(|a| (a.clone(), string.clone()))
                        .collect();
                    contested.push((
                        format!("{ALTERNATE_KEY}{}", aliases.join(",")),
                        wanted,
                        MethodKind::AlternateKey(args(model, &parts)),
                    ));
                }
            }
        }
        BuilderKind::Property(prop) => {
            let http = model
                .all_properties(b.ty)
                .into_iter()
                .find(|(_, p)| &p.name == prop)
                .and_then(|(_, p)| p.annotations.update_method.clone())
                .unwrap_or_else(|| "PUT".into());
            methods.push(fixed("get", MethodKind::PropertyGet));
            methods.push(fixed("replace", MethodKind::PropertyReplace { http }));
            methods.push(fixed("count", MethodKind::PropertyCount));
        }
    }
    for e in &b.casts {
        let derived = model.ty(surface.builders[e.target].ty);
        contested.push((
            format!("{CAST}{}", e.segment),
            format!("as_{}", snake(&derived.name)),
            MethodKind::Cast {
                segment: e.segment.clone(),
                target: e.target,
            },
        ));
    }
    contested.extend(operation_methods(
        model,
        b.operations.iter().map(|op| {
            let o = &model.operations[op.0];
            (*op, o.name.clone(), model.bound_operation_segment(o))
        }),
        parameters,
    ));
    if b.full && b.kind == BuilderKind::Item {
        let lineage = model.lineage(b.ty);
        for (i, op) in model.http_operations.iter().enumerate() {
            if lineage.contains(&op.binding) {
                contested.push((
                    format!("{HTTP}{}#{i:08}", op.name),
                    snake(&op.name),
                    MethodKind::Http(i),
                ));
            }
        }
    }
    name_methods(methods, contested, &[])
}

/// Methods for operations, `(operation, name, URL segment)`: the method is named after the
/// name, and overloads that share a name are told apart by their position in the document.
fn operation_methods(
    model: &Model,
    ops: impl Iterator<Item = (OperationId, String, String)>,
    parameters: &mut BTreeMap<OperationId, Vec<ArgPlan>>,
) -> Vec<(String, String, MethodKind)> {
    let mut out = Vec::new();
    for (op, name, segment) in ops {
        let o = &model.operations[op.0];
        let is_action = o.kind == OperationKind::Action;
        let parts: Vec<(String, TypeRef)> = o
            .parameters
            .iter()
            .map(|p| (p.name.clone(), p.ty.clone()))
            .collect();
        let mut planned = args(model, &parts);
        for (arg, p) in planned.iter_mut().zip(&o.parameters) {
            arg.optional =
                p.annotations.optional_parameter || (!is_action && p.nullable && !p.ty.collection);
        }
        let body = if !is_action || planned.is_empty() {
            ActionBody::None
        } else if planned.len() == 1 {
            ActionBody::Single
        } else {
            parameters.insert(op, std::mem::take(&mut planned));
            ActionBody::Struct
        };
        out.push((
            format!("{OPERATION}{name}#{:08}", op.0),
            snake(&name),
            MethodKind::Operation(OperationPlan {
                op,
                segment,
                args: planned,
                body,
            }),
        ));
    }
    out
}

/// Arguments for `(wire name, type)` pairs: names unique among themselves, `self` taken.
fn args(model: &Model, parts: &[(String, TypeRef)]) -> Vec<ArgPlan> {
    let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
    let idents = assign(&names, Case::Snake, &["self"]);
    parts
        .iter()
        .map(|(wire, ty)| ArgPlan {
            wire: wire.clone(),
            ident: idents[wire].ident.clone(),
            collided_with: idents[wire].collided_with.clone(),
            ty: ty.clone(),
            optional: false,
            literal: literal_kind(model, ty),
        })
        .collect()
}

fn client_methods(
    plan: &Plan,
    surface: &Surface,
    parameters: &mut BTreeMap<OperationId, Vec<ArgPlan>>,
) -> Vec<MethodPlan> {
    let model = plan.model;
    let mut contested: Vec<(String, String, MethodKind)> = surface
        .entries
        .iter()
        .map(|e| {
            (
                format!("{ENTRY}{}", e.set),
                snake(&e.set),
                MethodKind::Entry {
                    set: e.set.clone(),
                    singleton: e.singleton,
                    target: e.builder,
                },
            )
        })
        .collect();
    let mut imports = Vec::new();
    for c in &model.containers {
        for import in &c.imports {
            for &op in &import.overloads {
                if plan.selection.operations.contains(&op) {
                    // Imports are called by their own, unqualified name.
                    imports.push((op, import.name.clone(), import.name.clone()));
                }
            }
        }
    }
    contested.extend(operation_methods(model, imports.into_iter(), parameters));
    let mut methods = name_methods(
        Vec::new(),
        contested,
        &["builder", "new", "from_client", "client"],
    );
    // Entry points open with the entity set's description.
    for m in &mut methods {
        if let MethodKind::Entry { set, .. } = &m.kind {
            m.request = described(link_annotations(model, &Via::Set(set.clone())));
        }
    }
    methods
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

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
//! * the README's example request is found here too ([`Example`]).
//!
//! Renamed items keep the plain name in `collided_with`, which their docs show.

use std::collections::BTreeMap;

use super::naming::{assign, assign_wanted, snake, type_name, Case, Named};
pub use super::request::{
    Action, ArgPlan, Body, BuilderRef, Element, Http, LiteralKind, OpenPlan, Pass, RequestPlan,
    Response, Shared, Step, Url,
};
use super::surface::{item_template, Builder, BuilderKind, Surface, Via};
use super::Plan;
use crate::csdl::OperationKind;
use crate::model::{
    Annotations, HttpOperation, Model, OperationId, Primitive, RequestDoc, Target, TypeId,
    TypeKind, TypeRef,
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
            TypeKind::Definition(p) => literal_kind(model, &TypeRef::primitive(p.clone())),
            TypeKind::Entity(_) | TypeKind::Complex(_) => LiteralKind::Json,
        },
    }
}

/// Whether a primitive is passed by value (it is `Copy` and small).
fn by_value(p: &Primitive) -> bool {
    matches!(
        p,
        Primitive::Boolean
            | Primitive::Byte
            | Primitive::SByte
            | Primitive::Int16
            | Primitive::Int32
            | Primitive::Int64
            | Primitive::Single
            | Primitive::Double
            | Primitive::Guid
    )
}

/// The Rust element type and passing of a value of type `ty` written as `literal`: the one
/// rule for keys, function parameters and action parameters. Strings are `&str`, small
/// primitives by value, collections slices, everything else by reference; a type
/// definition is taken as its primitive.
fn passing(ty: &TypeRef, literal: &LiteralKind) -> (Element, Pass) {
    let of_target = || match &ty.target {
        Target::Primitive(p) => Element::Primitive(p.clone()),
        Target::Type(id) => Element::Model(*id),
    };
    match literal {
        LiteralKind::Primitive(Primitive::String) => {
            (Element::Primitive(Primitive::String), Pass::Str)
        }
        LiteralKind::Primitive(p) if by_value(p) => (Element::Primitive(p.clone()), Pass::Value),
        LiteralKind::Primitive(p) => (Element::Primitive(p.clone()), Pass::Ref),
        LiteralKind::Json if ty.collection => (of_target(), Pass::Slice),
        LiteralKind::Enum(_) | LiteralKind::Json => (of_target(), Pass::Ref),
        LiteralKind::Text => (Element::Primitive(Primitive::String), Pass::AsRefStr),
    }
}

/// An argument taken as text (`impl AsRef<str>`): a key segment or an alternate key part.
fn text_arg(wire: &str, ident: &str) -> ArgPlan {
    ArgPlan {
        wire: wire.to_string(),
        ident: ident.to_string(),
        collided_with: None,
        ty: TypeRef::primitive(Primitive::String),
        optional: false,
        literal: LiteralKind::Text,
        element: Element::Primitive(Primitive::String),
        pass: Pass::AsRefStr,
    }
}

/// The `url: &str` argument of the `$ref` requests: an entity's URL.
fn url_arg() -> ArgPlan {
    ArgPlan {
        pass: Pass::Str,
        ..text_arg("url", "url")
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

/// A contested method before naming: sort key, wanted name, purpose, action.
type Contested = (String, String, MethodKind, Action);

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
                        MethodKind::Update => "update",
                        MethodKind::Replace | MethodKind::PropertyReplace => "replace",
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
        let shared = shared_builders(&methods, surface.key_as_segment);
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
        cp.example = example(plan, &cp);
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
fn shared_ident(kind: Shared) -> &'static str {
    match kind {
        Shared::Media => MEDIA_BUILDER,
        Shared::References => REFERENCES_BUILDER,
        Shared::Reference => REFERENCE_BUILDER,
    }
}

/// The shared builders that some method opens, with their requests.
fn shared_builders(methods: &[Vec<MethodPlan>], key_as_segment: bool) -> Vec<SharedPlan> {
    let mut opened: Vec<Shared> = methods
        .iter()
        .flatten()
        .filter_map(|m| match &m.action {
            Action::Open(OpenPlan {
                target: BuilderRef::Shared(kind),
                ..
            }) => Some(*kind),
            _ => None,
        })
        .collect();
    opened.sort();
    opened.dedup();
    let method = |ident: &str, kind: MethodKind, request: RequestPlan| MethodPlan {
        ident: ident.to_string(),
        collided_with: None,
        kind,
        action: Action::Send(request),
        request: None,
    };
    let request = |http: Http, template: &str, url: Url, args: Vec<ArgPlan>, body, response| {
        RequestPlan {
            http,
            template: template.to_string(),
            url,
            args,
            body,
            response,
        }
    };
    let dollar_ref = || Url::Segment("$ref".into());
    opened
        .into_iter()
        .map(|kind| {
            let methods = match kind {
                Shared::Media => vec![
                    method(
                        "get",
                        MethodKind::Download,
                        request(Http::Get, "", Url::Same, vec![], Body::None, Response::Media),
                    ),
                    method(
                        "put",
                        MethodKind::Upload,
                        request(Http::Put, "", Url::Same, vec![], Body::Bytes, Response::Empty),
                    ),
                    method(
                        "delete",
                        MethodKind::DeleteContent,
                        request(Http::Delete, "", Url::Same, vec![], Body::None, Response::Empty),
                    ),
                ],
                Shared::References => {
                    // Keys as segments unlink at `.../{id}/$ref` (Graph); OData 4.0 names the
                    // entity by its URL in `$id`.
                    let remove = if key_as_segment {
                        request(
                            Http::Delete,
                            "/{id}/$ref",
                            Url::KeyThenSegment("$ref".into()),
                            vec![text_arg("id", "id")],
                            Body::None,
                            Response::Empty,
                        )
                    } else {
                        request(
                            Http::Delete,
                            "/$ref?$id={url}",
                            Url::SegmentWithId("$ref".into()),
                            vec![url_arg()],
                            Body::None,
                            Response::Empty,
                        )
                    };
                    vec![
                        method(
                            "list",
                            MethodKind::ListLinks,
                            request(Http::Get, "/$ref", dollar_ref(), vec![], Body::None, Response::ReferencePage),
                        ),
                        method(
                            "add",
                            MethodKind::AddLink,
                            request(Http::Post, "/$ref", dollar_ref(), vec![url_arg()], Body::Reference, Response::Empty),
                        ),
                        method("remove", MethodKind::RemoveLink, remove),
                    ]
                }
                Shared::Reference => vec![
                    method(
                        "get",
                        MethodKind::GetLink,
                        request(Http::Get, "/$ref", dollar_ref(), vec![], Body::None, Response::Reference),
                    ),
                    method(
                        "set",
                        MethodKind::SetLink,
                        request(Http::Put, "/$ref", dollar_ref(), vec![url_arg()], Body::Reference, Response::Empty),
                    ),
                    method(
                        "delete",
                        MethodKind::DeleteLink,
                        request(Http::Delete, "/$ref", dollar_ref(), vec![], Body::None, Response::Empty),
                    ),
                ],
            };
            SharedPlan {
                kind,
                ident: shared_ident(kind),
                methods,
            }
        })
        .collect()
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
            format!("{}{base}", type_name(&t.namespace.replace('.', "_")))
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

/// Navigation methods of builder `b` open with the navigation property's description.
fn document_links(model: &Model, b: &Builder, methods: &mut [MethodPlan]) {
    for m in methods {
        if let (MethodKind::Navigation, Some(segment)) = (&m.kind, m.action.segment()) {
            let link = Via::Member {
                owner: b.ty,
                name: segment.to_string(),
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

/// A method whose name is not contested (fixed verbs).
fn fixed(ident: &str, kind: MethodKind, action: Action) -> MethodPlan {
    MethodPlan {
        ident: ident.to_string(),
        collided_with: None,
        kind,
        action,
        request: None,
    }
}

/// A request with neither arguments nor body at `template`.
fn send(http: Http, template: String, url: Url, body: Body, response: Response) -> Action {
    Action::Send(RequestPlan {
        http,
        template,
        url,
        args: Vec::new(),
        body,
        response,
    })
}

/// Opens `target` one segment further.
fn open_segment(target: BuilderRef, base: &str, segment: &str) -> Action {
    Action::Open(OpenPlan {
        target,
        step: Step::Segment(segment.to_string()),
        template: format!("{base}/{segment}"),
        args: Vec::new(),
    })
}

/// The type `ty` itself (not a collection).
fn entity(ty: TypeId) -> TypeRef {
    TypeRef {
        collection: false,
        target: Target::Type(ty),
    }
}

fn builder_methods(
    plan: &Plan,
    surface: &Surface,
    index: usize,
    parameters: &mut BTreeMap<OperationId, Vec<ArgPlan>>,
) -> Vec<MethodPlan> {
    let model = plan.model;
    let b = &surface.builders[index];
    let t = b.canonical.as_str();
    let mut methods = Vec::new();
    let mut contested: Vec<Contested> = Vec::new();
    match &b.kind {
        BuilderKind::Item => {
            if b.typed {
                methods.push(fixed(
                    "get",
                    MethodKind::Get,
                    send(Http::Get, t.into(), Url::Same, Body::None, Response::Json(entity(b.ty))),
                ));
                // `update` is PATCH and `replace` is PUT. The metadata (or the override file)
                // names the one update method the service takes; where that is PUT, there is
                // no `update`, so a PATCH the service refuses cannot be written.
                let (name, kind, http) = match super::surface::update_method(model, b.ty) {
                    Http::Put => ("replace", MethodKind::Replace, Http::Put),
                    _ => ("update", MethodKind::Update, Http::Patch),
                };
                methods.push(fixed(
                    name,
                    kind,
                    send(http, t.into(), Url::Same, Body::Entity(b.ty), Response::Empty),
                ));
                methods.push(fixed(
                    "delete",
                    MethodKind::Delete,
                    send(Http::Delete, t.into(), Url::Same, Body::None, Response::Empty),
                ));
                let media = model
                    .lineage(b.ty)
                    .iter()
                    .any(|t| model.ty(*t).structured().is_some_and(|s| s.has_stream));
                if media {
                    methods.push(fixed(
                        "content",
                        MethodKind::Content,
                        open_segment(BuilderRef::Shared(Shared::Media), t, "$value"),
                    ));
                }
                for segment in super::surface::stream_properties(model, b.ty) {
                    contested.push((
                        format!("{STREAM}{segment}"),
                        snake(&segment),
                        MethodKind::StreamProperty,
                        open_segment(BuilderRef::Shared(Shared::Media), t, &segment),
                    ));
                }
            }
            for e in &b.navigations {
                contested.push((
                    format!("{NAV}{}", e.segment),
                    snake(&e.segment),
                    MethodKind::Navigation,
                    open_segment(BuilderRef::Planned(e.target), t, &e.segment),
                ));
            }
            // Links between existing entities: only where the navigation does not contain
            // its targets (a contained entity cannot exist unlinked).
            for (segment, collection) in super::surface::reference_navigations(model, b) {
                let shared = if collection {
                    Shared::References
                } else {
                    Shared::Reference
                };
                contested.push((
                    format!("{REFERENCE}{segment}"),
                    format!("{}_ref", snake(&segment)),
                    MethodKind::Reference { collection },
                    open_segment(BuilderRef::Shared(shared), t, &segment),
                ));
            }
            for e in &b.properties {
                contested.push((
                    format!("{PROPERTY}{}", e.segment),
                    snake(&e.segment),
                    MethodKind::Property,
                    open_segment(BuilderRef::Planned(e.target), t, &e.segment),
                ));
            }
        }
        BuilderKind::Collection => {
            if b.typed {
                methods.push(fixed(
                    "list",
                    MethodKind::List,
                    send(Http::Get, t.into(), Url::Same, Body::None, Response::Page(entity(b.ty))),
                ));
                methods.push(fixed(
                    "count",
                    MethodKind::Count,
                    send(
                        Http::Get,
                        format!("{t}/$count"),
                        Url::Segment("$count".into()),
                        Body::None,
                        Response::Count,
                    ),
                ));
                methods.push(fixed(
                    "create",
                    MethodKind::Create,
                    send(Http::Post, t.into(), Url::Same, Body::Entity(b.ty), Response::Created(b.ty)),
                ));
            }
            let item = b.item.unwrap_or(index);
            methods.push(key_method(model, surface, b, item));
            contested.extend(alternate_keys(model, b, item));
        }
        BuilderKind::Property(prop) => {
            let property = model
                .all_properties(b.ty)
                .into_iter()
                .find(|(_, p)| &p.name == prop)
                .map(|(_, p)| p);
            let http = property
                .and_then(|p| p.annotations.update_method.as_deref())
                .and_then(Http::parse)
                .unwrap_or(Http::Put);
            let ty = property.map_or_else(|| TypeRef::primitive(Primitive::Untyped), |p| p.ty.clone());
            methods.push(fixed(
                "get",
                MethodKind::PropertyGet,
                send(Http::Get, t.into(), Url::Same, Body::None, Response::Value(ty.clone())),
            ));
            methods.push(fixed(
                "replace",
                MethodKind::PropertyReplace,
                send(http, t.into(), Url::Same, Body::Items(ty), Response::Empty),
            ));
            methods.push(fixed(
                "count",
                MethodKind::PropertyCount,
                send(
                    Http::Get,
                    format!("{t}/$count"),
                    Url::Segment("$count".into()),
                    Body::None,
                    Response::Count,
                ),
            ));
        }
    }
    for e in &b.casts {
        let derived = model.ty(surface.builders[e.target].ty);
        contested.push((
            format!("{CAST}{}", e.segment),
            format!("as_{}", snake(&derived.name)),
            MethodKind::Cast,
            open_segment(BuilderRef::Planned(e.target), t, &e.segment),
        ));
    }
    contested.extend(operation_methods(
        model,
        t,
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
                    http_request(op, t),
                ));
            }
        }
    }
    name_methods(methods, contested, &[])
}

/// The method that opens one item of collection builder `b` by its key: `by_id` (one
/// part), `by_key` (several). One key property is a segment (`/set/{id}`, a string) only
/// where the service takes it so; elsewhere it is a typed literal in parentheses
/// (`/set(42)`).
fn key_method(model: &Model, surface: &Surface, b: &Builder, item: usize) -> MethodPlan {
    let template = item_template(&b.canonical, surface.key_as_segment);
    let key = model.key_of(b.ty);
    let open = |step: Step, args: Vec<ArgPlan>| {
        Action::Open(OpenPlan {
            target: BuilderRef::Planned(item),
            step,
            template: template.clone(),
            args,
        })
    };
    if key.is_empty() || (key.len() == 1 && surface.key_as_segment) {
        return fixed("by_id", MethodKind::Key, open(Step::KeySegment, vec![text_arg("id", "id")]));
    }
    let props = model.all_properties(b.ty);
    let parts: Vec<(String, TypeRef)> = key
        .iter()
        .map(|k| {
            let ty = props
                .iter()
                .find(|(_, p)| &p.name == k)
                .map_or_else(|| TypeRef::primitive(Primitive::String), |(_, p)| p.ty.clone());
            (k.clone(), ty)
        })
        .collect();
    let mut parts = args(model, &parts);
    for part in &mut parts {
        // A key is a primitive or enumeration value; anything else (invalid CSDL that got
        // this far) is given as its literal text.
        if part.literal == LiteralKind::Json {
            part.literal = LiteralKind::Primitive(Primitive::String);
            part.ty = TypeRef::primitive(Primitive::String);
            (part.element, part.pass) = passing(&part.ty, &part.literal);
        }
    }
    if parts.len() == 1 {
        fixed("by_id", MethodKind::Key, open(Step::KeyValue, parts))
    } else {
        fixed("by_key", MethodKind::Key, open(Step::CompositeKey, parts))
    }
}

/// `by_<alias>` methods for the alternate keys of collection builder `b` (declared on its
/// type or a base), each part a string.
fn alternate_keys(model: &Model, b: &Builder, item: usize) -> Vec<Contested> {
    let mut seen = Vec::new();
    let mut out = Vec::new();
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
            let names: Vec<&str> = aliases.iter().map(String::as_str).collect();
            let idents = assign(&names, Case::Snake, &["self"]);
            let args = aliases
                .iter()
                .map(|a| ArgPlan {
                    collided_with: idents[a].collided_with.clone(),
                    ..text_arg(a, &idents[a].ident)
                })
                .collect();
            let parts: Vec<String> = aliases.iter().map(|a| format!("{a}='...'")).collect();
            out.push((
                format!("{ALTERNATE_KEY}{}", aliases.join(",")),
                wanted,
                MethodKind::AlternateKey,
                Action::Open(OpenPlan {
                    target: BuilderRef::Planned(item),
                    step: Step::AlternateKey,
                    template: format!("{}({})", b.canonical, parts.join(",")),
                    args,
                }),
            ));
        }
    }
    out
}

/// The request an override file adds, sent to the entity's URL `base` (or a segment under
/// it).
fn http_request(op: &HttpOperation, base: &str) -> Action {
    let (template, url) = match &op.segment {
        Some(segment) => (format!("{base}/{segment}"), Url::Segment(segment.clone())),
        None => (base.to_string(), Url::Same),
    };
    let body = match &op.body {
        Some(ty) => Body::Typed {
            ty: ty.clone(),
            content_type: op.content_type.clone(),
        },
        None => Body::None,
    };
    let response = op
        .response
        .as_ref()
        .map_or(Response::Empty, |r| Response::Json(r.clone()));
    // The override file accepts only the five methods (`overrides.rs`).
    let http = Http::parse(&op.method).unwrap_or(Http::Post);
    send(http, template, url, body, response)
}

/// Methods for operations at `base`, `(operation, name, URL segment)`: the method is named
/// after the name, and overloads that share a name are told apart by their position in the
/// document. Actions are `POST` with their parameters in the body; functions are `GET` with
/// their parameters as URL literals.
fn operation_methods(
    model: &Model,
    base: &str,
    ops: impl Iterator<Item = (OperationId, String, String)>,
    parameters: &mut BTreeMap<OperationId, Vec<ArgPlan>>,
) -> Vec<Contested> {
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
        let response = match &o.return_type {
            None => Response::Empty,
            Some(r) if r.ty.collection => Response::Page(TypeRef {
                collection: false,
                target: r.ty.target.clone(),
            }),
            Some(r) if is_value(model, &r.ty) => Response::Value(r.ty.clone()),
            Some(r) => Response::Json(r.ty.clone()),
        };
        let request = if is_action {
            let body = match planned.len() {
                0 => Body::None,
                1 => Body::Member,
                _ => {
                    parameters.insert(op, std::mem::take(&mut planned));
                    Body::Parameters(op)
                }
            };
            RequestPlan {
                http: Http::Post,
                template: format!("{base}/{segment}"),
                url: Url::Action(segment),
                args: planned,
                body,
                response,
            }
        } else {
            RequestPlan {
                http: Http::Get,
                template: format!("{base}/{segment}(...)"),
                url: Url::Function(segment),
                args: planned,
                body: Body::None,
                response,
            }
        };
        out.push((
            format!("{OPERATION}{name}#{:08}", op.0),
            snake(&name),
            MethodKind::Operation(op),
            Action::Send(request),
        ));
    }
    out
}

/// Whether a single value of type `r` comes wrapped as `{"value": ...}` (primitives, enums,
/// type definitions) rather than as an object.
fn is_value(model: &Model, r: &TypeRef) -> bool {
    match &r.target {
        Target::Primitive(_) => true,
        Target::Type(id) => matches!(
            model.ty(*id).kind,
            TypeKind::Enum(_) | TypeKind::Definition(_)
        ),
    }
}

/// Arguments for `(wire name, type)` pairs: names unique among themselves, `self` taken.
fn args(model: &Model, parts: &[(String, TypeRef)]) -> Vec<ArgPlan> {
    let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
    let idents = assign(&names, Case::Snake, &["self"]);
    parts
        .iter()
        .map(|(wire, ty)| {
            let literal = literal_kind(model, ty);
            let (element, pass) = passing(ty, &literal);
            ArgPlan {
                wire: wire.clone(),
                ident: idents[wire].ident.clone(),
                collided_with: idents[wire].collided_with.clone(),
                ty: ty.clone(),
                optional: false,
                literal,
                element,
                pass,
            }
        })
        .collect()
}

fn client_methods(
    plan: &Plan,
    surface: &Surface,
    parameters: &mut BTreeMap<OperationId, Vec<ArgPlan>>,
) -> Vec<MethodPlan> {
    let model = plan.model;
    let mut contested: Vec<Contested> = surface
        .entries
        .iter()
        .map(|e| {
            (
                format!("{ENTRY}{}", e.set),
                snake(&e.set),
                MethodKind::Entry {
                    singleton: e.singleton,
                },
                open_segment(BuilderRef::Planned(e.builder), "", &e.set),
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
    contested.extend(operation_methods(model, "", imports.into_iter(), parameters));
    let mut methods = name_methods(
        Vec::new(),
        contested,
        &["builder", "new", "from_client", "client"],
    );
    // Entry points open with the entity set's description.
    for m in &mut methods {
        if let (MethodKind::Entry { .. }, Some(set)) = (&m.kind, m.action.segment()) {
            m.request = described(link_annotations(model, &Via::Set(set.to_string())));
        }
    }
    methods
}

/// Names `contested` (sort key, wanted name, purpose, action) in a scope where `fixed` are
/// taken, and returns all methods: fixed ones first, then the others in sort-key order.
fn name_methods(
    mut methods: Vec<MethodPlan>,
    contested: Vec<Contested>,
    reserved: &[&str],
) -> Vec<MethodPlan> {
    let mut taken: Vec<&str> = methods.iter().map(|m| m.ident.as_str()).collect();
    taken.extend_from_slice(reserved);
    taken.extend_from_slice(TRAIT_METHODS);
    let wanted = contested
        .iter()
        .map(|(k, w, _, _)| (k.clone(), w.clone()))
        .collect();
    let mut assigned = assign_wanted(wanted, Case::Snake, &taken);
    let mut contested = contested;
    contested.sort_by(|a, b| a.0.cmp(&b.0));
    for (key, _, kind, action) in contested {
        let named = assigned.remove(&key).expect("every key is assigned");
        methods.push(MethodPlan {
            ident: named.ident,
            collided_with: named.collided_with,
            kind,
            action,
            request: None,
        });
    }
    methods
}

/// The README's example request: the first path root followed through the planned
/// methods, with a sample key where a collection is passed (a string, or a number for an
/// integer key in parentheses; other key types leave the README without an example), ending
/// in `get` or `list`.
fn example(plan: &Plan, cp: &ClientPlan) -> Option<Example> {
    let path = plan.selection.paths.first()?;
    if !plan.selection.types.contains(&path.target()) {
        return None;
    }
    let opens = |m: &MethodPlan| match &m.action {
        Action::Open(OpenPlan {
            target: BuilderRef::Planned(target),
            ..
        }) => Some(*target),
        _ => None,
    };
    let entry = cp
        .client_methods
        .iter()
        .find(|m| matches!(m.kind, MethodKind::Entry { .. }) && m.action.segment() == Some(&path.set))?;
    let mut current = opens(entry)?;
    let mut calls = vec![ExampleCall {
        ident: entry.ident.clone(),
        key: None,
    }];
    let is_collection = |index: usize| cp.surface.builders[index].kind == BuilderKind::Collection;
    let by_key = |index: usize| -> Option<(usize, ExampleCall)> {
        cp.methods[index].iter().find_map(|m| {
            let Action::Open(open) = &m.action else {
                return None;
            };
            let key = match (&open.step, open.args.first().map(|a| &a.literal)) {
                (Step::KeySegment, _) => SampleKey::Text,
                (Step::KeyValue, Some(LiteralKind::Primitive(Primitive::String))) => SampleKey::Text,
                (
                    Step::KeyValue,
                    Some(LiteralKind::Primitive(
                        Primitive::Byte
                        | Primitive::SByte
                        | Primitive::Int16
                        | Primitive::Int32
                        | Primitive::Int64,
                    )),
                ) => SampleKey::Integer,
                _ => return None,
            };
            let target = opens(m)?;
            Some((
                target,
                ExampleCall {
                    ident: m.ident.clone(),
                    key: Some(key),
                },
            ))
        })
    };
    for step in &path.steps {
        if is_collection(current) {
            let (item, call) = by_key(current)?;
            current = item;
            calls.push(call);
        }
        let nav = cp.methods[current]
            .iter()
            .find(|m| m.kind == MethodKind::Navigation && m.action.segment() == Some(&step.name))?;
        current = opens(nav)?;
        calls.push(ExampleCall {
            ident: nav.ident.clone(),
            key: None,
        });
    }
    if path.steps.is_empty() && is_collection(current) {
        let (item, call) = by_key(current)?;
        current = item;
        calls.push(call);
    }
    let verb = if is_collection(current) { "list" } else { "get" };
    Some(Example {
        calls,
        verb: verb.to_string(),
    })
}

impl Action {
    /// The segment a method opens (a navigation, property, cast, entity set), if it opens one.
    pub fn segment(&self) -> Option<&str> {
        match self {
            Action::Open(OpenPlan {
                step: Step::Segment(segment),
                ..
            }) => Some(segment),
            _ => None,
        }
    }
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

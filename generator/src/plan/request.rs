//! The request plan: what one client method does, decided before anything is rendered.
//!
//! A method either sends one request ([`Action::Send`], a [`RequestPlan`]: HTTP method, URL
//! template, how the path is built, arguments and how each is passed, body, response kind)
//! or opens another builder ([`Action::Open`]: which builder and the path step). The emitter
//! renders these as Rust and `inspect` lists them as URLs; neither decides anything of its
//! own, so the two cannot disagree.

use crate::model::{OperationId, Primitive, TypeId, TypeRef};

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Http {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `PATCH`.
    Patch,
    /// `DELETE`.
    Delete,
}

impl Http {
    /// The method as written on the wire (and as `http::Method`'s constant).
    pub fn as_str(self) -> &'static str {
        match self {
            Http::Get => "GET",
            Http::Post => "POST",
            Http::Put => "PUT",
            Http::Patch => "PATCH",
            Http::Delete => "DELETE",
        }
    }

    /// The method an override file or annotation names (`PATCH`, `put`); `None` for others.
    pub fn parse(name: &str) -> Option<Http> {
        Some(match name.to_ascii_uppercase().as_str() {
            "GET" => Http::Get,
            "POST" => Http::Post,
            "PUT" => Http::Put,
            "PATCH" => Http::Patch,
            "DELETE" => Http::Delete,
            _ => return None,
        })
    }
}

/// What a method does.
#[derive(Debug, Clone)]
pub enum Action {
    /// Sends one request.
    Send(RequestPlan),
    /// Returns another builder.
    Open(OpenPlan),
}

/// A builder a method returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuilderRef {
    /// A builder of the surface (index in `Surface::builders`).
    Planned(usize),
    /// One of the builders every crate shares ([`Shared`]).
    Shared(Shared),
}

/// The builders of fixed shape that a crate has once (when some method opens them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Shared {
    /// Raw content: a media entity's `$value`, a stream property (`GET`/`PUT`/`DELETE`).
    Media,
    /// The links (`$ref`) of a collection-valued navigation (list, add, remove).
    References,
    /// The link (`$ref`) of a single-valued navigation (get, set, delete).
    Reference,
}

/// How a method opens a builder.
#[derive(Debug, Clone)]
pub struct OpenPlan {
    /// The builder it returns.
    pub target: BuilderRef,
    /// How the returned builder's path is made from this builder's.
    pub step: Step,
    /// The URL template of the returned builder (`{id}` for keys).
    pub template: String,
    /// The method's arguments (key parts).
    pub args: Vec<ArgPlan>,
}

/// One step of a URL path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A segment: a navigation, property, entity set, cast (qualified type name), `$value`.
    Segment(String),
    /// A single key as a path segment (`/set/{id}`, the argument as given).
    KeySegment,
    /// A single key in parentheses (`/set(42)`), the one argument as a typed literal.
    KeyValue,
    /// A composite key in parentheses (`/set(a=1,b='x')`), one argument per part.
    CompositeKey,
    /// An alternate key in parentheses (`/set(alias='value')`), one string per part.
    AlternateKey,
    /// A path below the entity (`<entity>:/folder/file.txt:`), from the one `path` argument:
    /// each of its segments percent-encoded as data, `/` kept between them (an override
    /// file's `path_address`).
    PathAddress,
}

/// One request a method sends.
#[derive(Debug, Clone)]
pub struct RequestPlan {
    /// The HTTP method.
    pub http: Http,
    /// The URL template, `{id}` for keys, `(...)` for function arguments; for the methods of a
    /// [`Shared`] builder, the part after the URL that opened it (`/$ref`, `/{id}/$ref`).
    pub template: String,
    /// What is appended to the builder's path.
    pub url: Url,
    /// The method's arguments, in order.
    pub args: Vec<ArgPlan>,
    /// The body.
    pub body: Body,
    /// How the response is read.
    pub response: Response,
}

/// The URL of a request relative to its builder's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Url {
    /// The builder's own path.
    Same,
    /// One more segment (`$ref`, an override request's segment).
    Segment(String),
    /// The single key argument as a segment, then a segment (`/{id}/$ref`).
    KeyThenSegment(String),
    /// A segment and the `$id` query option from the single `url` argument
    /// (`/$ref?$id=...`).
    SegmentWithId(String),
    /// An action's segment (qualified or plain name, no parentheses).
    Action(String),
    /// A function call with every argument as a URL literal (`name(a=1,b='x')`);
    /// optional arguments are left out when `None`.
    Function(String),
}

/// The body of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// None.
    None,
    /// The builder's entity as JSON (`body: &Model`).
    Entity(TypeId),
    /// `{"<wire>": value}`: the single parameter of an action, the method's one argument.
    Member,
    /// The parameters struct of an action with several parameters.
    Parameters(OperationId),
    /// `{"value": [...]}`: a structural collection property replaced whole.
    Items(TypeRef),
    /// A JSON body of the given type with its own content type (requests an override file
    /// adds).
    Typed {
        /// The body's type.
        ty: TypeRef,
        /// The `Content-Type`.
        content_type: String,
    },
    /// Raw bytes with a content type given by the caller.
    Bytes,
    /// Raw bytes the caller gives, sent with this fixed content type (an override request
    /// whose body is `Edm.Stream`: a MIME message as `text/plain`).
    Raw(String),
    /// `{"@odata.id": url}` from the single `url` argument.
    Reference,
}

/// How a response is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Response {
    /// No body is read.
    Empty,
    /// A JSON object of this type (an entity, a complex value, a JSON response of an
    /// override request).
    Json(TypeRef),
    /// A value wrapped as `{"value": ...}` (primitives, enums, type definitions,
    /// collections of a structural property).
    Value(TypeRef),
    /// One page of a collection of this element type (`@odata.nextLink` followed by
    /// `into_stream`).
    Page(TypeRef),
    /// The created entity (`Prefer: return=representation`).
    Created(TypeId),
    /// The `$count` of a collection (`text/plain`).
    Count,
    /// Raw content (bytes and content type).
    Media,
    /// One page of entity references (`$ref` of a collection).
    ReferencePage,
    /// One entity reference (`$ref` of a single-valued navigation).
    Reference,
}

/// A method argument: a key part, a function parameter, the single parameter of an
/// action, a field of a parameters struct, or a `$ref` URL.
#[derive(Debug, Clone)]
pub struct ArgPlan {
    /// The CSDL name (wire name).
    pub wire: String,
    /// The argument or field name.
    pub ident: String,
    /// The plain name, when the collision rule changed it.
    pub collided_with: Option<String>,
    /// Its CSDL type.
    pub ty: TypeRef,
    /// The caller may leave it out (`Core.OptionalParameter`, or a nullable function
    /// parameter): the argument is an `Option`, and `None` is not sent.
    pub optional: bool,
    /// How the value becomes a URL literal.
    pub literal: LiteralKind,
    /// The Rust type of one value.
    pub element: Element,
    /// How the method takes it.
    pub pass: Pass,
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
    /// The text as given (key segments, alternate keys, entity URLs).
    Text,
}

/// The Rust type of one argument value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Element {
    /// A primitive's Rust type (`i32`, `edm::Date`; `str` for strings).
    Primitive(Primitive),
    /// A model type (enum, complex or entity type, type definition).
    Model(TypeId),
}

/// How a method takes an argument: one rule for keys, function parameters and action
/// parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    /// `&str`.
    Str,
    /// `impl AsRef<str>`: any string-like value (keys as segments, alternate keys).
    AsRefStr,
    /// By value: small `Copy` primitives (numbers, booleans, GUIDs).
    Value,
    /// By reference: `&T`.
    Ref,
    /// A slice: `&[T]` (collections).
    Slice,
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

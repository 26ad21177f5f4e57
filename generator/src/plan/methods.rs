//! The methods of the client plan: what each builder method is for and does (the request
//! it sends or the builder it opens), named by the collision rule. One rule maps EDM types
//! to arguments (literal kind, Rust element type, passing) for keys, function and action
//! parameters alike.

use std::collections::BTreeMap;

use super::client::{
    described, link_annotations, shared_ident, ClientPlan, Example, ExampleCall, MethodKind,
    MethodPlan, SampleKey, SharedPlan, TRAIT_METHODS,
};
use super::naming::{assign, assign_wanted, snake, Case};
use super::request::{
    Action, ArgPlan, Body, BuilderRef, Element, Http, LiteralKind, OpenPlan, Pass, RequestPlan,
    Response, Shared, Step, Url,
};
use super::surface::{item_template, Builder, BuilderKind, Surface, Via};
use super::{Plan, ADDITIONAL_PROPERTIES};
use crate::csdl::OperationKind;
use crate::model::{
    HttpOperation, Model, OperationId, Primitive, Target, TypeId, TypeKind, TypeRef,
};

/// The literal kind of a value of type `ty` (collections are JSON).
fn literal_kind(model: &Model, ty: &TypeRef) -> LiteralKind {
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
const PATH_ADDRESS: &str = "3path:";
const CAST: &str = "4cast:";
const ALTERNATE_KEY: &str = "5key:";
const ENTRY: &str = "1set:";

/// A contested method before naming: sort key, wanted name, purpose, action.
type Contested = (String, String, MethodKind, Action);

/// The shared builders that some method opens, with their requests.
pub(super) fn shared_builders(
    methods: &[Vec<MethodPlan>],
    key_as_segment: bool,
) -> Vec<SharedPlan> {
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
        permissions: None,
    };
    let request =
        |http: Http, template: &str, url: Url, args: Vec<ArgPlan>, body, response| RequestPlan {
            http,
            template: template.to_string(),
            url,
            args,
            body,
            response,
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
                        request(
                            Http::Get,
                            "",
                            Url::Same,
                            vec![],
                            Body::None,
                            Response::Media,
                        ),
                    ),
                    method(
                        "put",
                        MethodKind::Upload,
                        request(
                            Http::Put,
                            "",
                            Url::Same,
                            vec![],
                            Body::Bytes,
                            Response::Empty,
                        ),
                    ),
                    method(
                        "delete",
                        MethodKind::DeleteContent,
                        request(
                            Http::Delete,
                            "",
                            Url::Same,
                            vec![],
                            Body::None,
                            Response::Empty,
                        ),
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
                            request(
                                Http::Get,
                                "/$ref",
                                dollar_ref(),
                                vec![],
                                Body::None,
                                Response::ReferencePage,
                            ),
                        ),
                        method(
                            "add",
                            MethodKind::AddLink,
                            request(
                                Http::Post,
                                "/$ref",
                                dollar_ref(),
                                vec![url_arg()],
                                Body::Reference,
                                Response::Empty,
                            ),
                        ),
                        method("remove", MethodKind::RemoveLink, remove),
                    ]
                }
                Shared::Reference => vec![
                    method(
                        "get",
                        MethodKind::GetLink,
                        request(
                            Http::Get,
                            "/$ref",
                            dollar_ref(),
                            vec![],
                            Body::None,
                            Response::Reference,
                        ),
                    ),
                    method(
                        "set",
                        MethodKind::SetLink,
                        request(
                            Http::Put,
                            "/$ref",
                            dollar_ref(),
                            vec![url_arg()],
                            Body::Reference,
                            Response::Empty,
                        ),
                    ),
                    method(
                        "delete",
                        MethodKind::DeleteLink,
                        request(
                            Http::Delete,
                            "/$ref",
                            dollar_ref(),
                            vec![],
                            Body::None,
                            Response::Empty,
                        ),
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

/// A method whose name is not contested (fixed verbs).
fn fixed(ident: &str, kind: MethodKind, action: Action) -> MethodPlan {
    MethodPlan {
        ident: ident.to_string(),
        collided_with: None,
        kind,
        action,
        request: None,
        permissions: None,
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

pub(super) fn builder_methods(
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
                    send(
                        Http::Get,
                        t.into(),
                        Url::Same,
                        Body::None,
                        Response::Json(entity(b.ty)),
                    ),
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
                    send(
                        http,
                        t.into(),
                        Url::Same,
                        Body::Entity(b.ty),
                        Response::Empty,
                    ),
                ));
                methods.push(fixed(
                    "delete",
                    MethodKind::Delete,
                    send(
                        Http::Delete,
                        t.into(),
                        Url::Same,
                        Body::None,
                        Response::Empty,
                    ),
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
                // What a path reaches is known only to be of the binding type, so a derived
                // type's builder opens the binding type's.
                let lineage = model.lineage(b.ty);
                for (i, address) in model.path_addresses.iter().enumerate() {
                    let target = lineage.contains(&address.binding).then(|| {
                        surface
                            .builders
                            .iter()
                            .position(|x| x.ty == address.binding && x.kind == BuilderKind::Item)
                    });
                    if let Some(Some(target)) = target {
                        contested.push((
                            format!("{PATH_ADDRESS}{}#{i:08}", address.name),
                            snake(&address.name),
                            MethodKind::PathAddress(i),
                            Action::Open(OpenPlan {
                                target: BuilderRef::Planned(target),
                                step: Step::PathAddress,
                                template: format!("{t}:/{{path}}:"),
                                args: vec![text_arg("path", "path")],
                            }),
                        ));
                    }
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
                    send(
                        Http::Get,
                        t.into(),
                        Url::Same,
                        Body::None,
                        Response::Page(entity(b.ty)),
                    ),
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
                    send(
                        Http::Post,
                        t.into(),
                        Url::Same,
                        Body::Entity(b.ty),
                        Response::Created(b.ty),
                    ),
                ));
            }
            if b.typed {
                contested.extend(http_requests(model, b, true));
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
            let ty =
                property.map_or_else(|| TypeRef::primitive(Primitive::Untyped), |p| p.ty.clone());
            methods.push(fixed(
                "get",
                MethodKind::PropertyGet,
                send(
                    Http::Get,
                    t.into(),
                    Url::Same,
                    Body::None,
                    Response::Value(ty.clone()),
                ),
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
        contested.extend(http_requests(model, b, false));
    }
    name_methods(methods, contested, &[])
}

/// The requests an override file adds to builder `b`: on one entity, those bound to its
/// type or a base (a derived entity's URL is an entity's URL); on a collection
/// (`collection`), those bound to a collection of exactly its type (a cast collection's URL
/// is not the documented one).
fn http_requests(model: &Model, b: &Builder, collection: bool) -> Vec<Contested> {
    let lineage = model.lineage(b.ty);
    let binds = |binding: TypeId| match collection {
        true => binding == b.ty,
        false => lineage.contains(&binding),
    };
    model
        .http_operations
        .iter()
        .enumerate()
        .filter(|(_, op)| op.collection == collection && binds(op.binding))
        .map(|(i, op)| {
            (
                format!("{HTTP}{}#{i:08}", op.name),
                snake(&op.name),
                MethodKind::Http(i),
                http_request(op, &b.canonical),
            )
        })
        .collect()
}

/// The method that opens one item of collection builder `b` by its key: `by_id` (one
/// part), `by_key` (several). One key property is a segment (`/set/{id}`, a string) only
/// where the service takes it so; elsewhere it is a typed literal in parentheses
/// (`/set(42)`). A part is named by its wire name (a key path's alias) and typed by the
/// property it ends at; a single part that is a path goes out with its alias
/// (`/set(InfoID=42)`), as OData 4.0 writes key paths.
fn key_method(model: &Model, surface: &Surface, b: &Builder, item: usize) -> MethodPlan {
    let template = item_template(&b.canonical, surface.key_as_segment);
    let key = model.key_parts(b.ty);
    let open = |step: Step, args: Vec<ArgPlan>| {
        Action::Open(OpenPlan {
            target: BuilderRef::Planned(item),
            step,
            template: template.clone(),
            args,
        })
    };
    if key.is_empty() || (key.len() == 1 && surface.key_as_segment) {
        return fixed(
            "by_id",
            MethodKind::Key,
            open(Step::KeySegment, vec![text_arg("id", "id")]),
        );
    }
    let aliased = key.iter().any(|k| k.path != k.wire);
    let parts: Vec<(String, TypeRef)> = key.into_iter().map(|k| (k.wire, k.ty)).collect();
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
    match parts.len() {
        1 if !aliased => fixed("by_id", MethodKind::Key, open(Step::KeyValue, parts)),
        1 => fixed("by_id", MethodKind::Key, open(Step::CompositeKey, parts)),
        _ => fixed("by_key", MethodKind::Key, open(Step::CompositeKey, parts)),
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
    let raw = |ty: &TypeRef| ty.target == Target::Primitive(Primitive::Stream);
    let body = match &op.body {
        Some(ty) if raw(ty) => Body::Raw(op.content_type.clone()),
        Some(ty) => Body::Typed {
            ty: ty.clone(),
            content_type: op.content_type.clone(),
        },
        None => Body::None,
    };
    let response = match &op.response {
        Some(r) if raw(r) => Response::Media,
        Some(r) => Response::Json(r.clone()),
        None => Response::Empty,
    };
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
            for arg in &mut planned {
                arg.wire = body_member(model, &arg.wire);
            }
            let body = match planned.len() {
                0 => Body::None,
                1 => Body::Member,
                _ => {
                    // Fields of a struct that also holds `additional_properties`.
                    let mut fields = args_with(model, &parts, &["self", ADDITIONAL_PROPERTIES]);
                    for (field, arg) in fields.iter_mut().zip(std::mem::take(&mut planned)) {
                        field.optional = arg.optional;
                        field.wire = arg.wire;
                    }
                    parameters.insert(op, fields);
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
    args_with(model, parts, &["self"])
}

/// [`args`] with the names in `reserved` taken.
/// The JSON member that carries an action parameter in the request body. Graph documents
/// every action body in lowerCamelCase (`message`, `saveToSentItems`) while its metadata
/// spells the parameters of older actions in PascalCase (`Message`, `SaveToSentItems`); the
/// service matches them without regard to case, so a Graph client sends the documented
/// spelling. Other services get the metadata's spelling, which OData matches exactly.
/// A leading capital followed by a lowercase letter is lowered; `ID` or `URL` stay.
fn body_member(model: &Model, name: &str) -> String {
    let mut chars = name.chars();
    match (model.graph, chars.next(), chars.next()) {
        (true, Some(first), Some(second))
            if first.is_ascii_uppercase() && second.is_ascii_lowercase() =>
        {
            let mut out = String::with_capacity(name.len());
            out.push(first.to_ascii_lowercase());
            out.push_str(&name[1..]);
            out
        }
        _ => name.to_string(),
    }
}

fn args_with(model: &Model, parts: &[(String, TypeRef)], reserved: &[&str]) -> Vec<ArgPlan> {
    let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
    let idents = assign(&names, Case::Snake, reserved);
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

pub(super) fn client_methods(
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
    contested.extend(operation_methods(
        model,
        "",
        imports.into_iter(),
        parameters,
    ));
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
            permissions: None,
        });
    }
    methods
}

/// The README's example request: the first path root followed through the planned
/// methods, with a sample key where a collection is passed (a string, or a number for an
/// integer key in parentheses; other key types leave the README without an example), ending
/// in `get` or `list`.
pub(super) fn example(plan: &Plan, cp: &ClientPlan) -> Option<Example> {
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
    let entry = cp.client_methods.iter().find(|m| {
        matches!(m.kind, MethodKind::Entry { .. }) && m.action.segment() == Some(&path.set)
    })?;
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
                (Step::KeyValue, Some(LiteralKind::Primitive(Primitive::String))) => {
                    SampleKey::Text
                }
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
    let verb = if is_collection(current) {
        "list"
    } else {
        "get"
    };
    Some(Example {
        calls,
        verb: verb.to_string(),
    })
}

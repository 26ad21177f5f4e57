//! Renders the methods of the client plan: each [`MethodPlan`] as a Rust method whose
//! signature, URL, body and response reading follow its [`Action`] one for one. What a
//! method is for ([`MethodKind`]) only chooses its doc text.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};
use syn::{Attribute, Expr, Type};

use super::docs::{deprecated_attribute, doc_attributes_with, request_lead, sanitize};
use super::ident;
use super::syntax::{
    array, array_ref, borrow, call, closure, docs, impl_trait, let_stmt, list_attr,
    method as method_fn, method_call, pair, path as syn_path, path_expr, path_of, path_type,
    reference, self_field, slice, struct_expr, tail, template, typed_arg, unit_type, with_args,
    wrapped,
};
use crate::csdl::OperationKind;
use crate::model::{Target, TypeRef};
use crate::plan::client::{
    Action, ArgPlan, Body, BuilderRef, ClientPlan, Element, LiteralKind, MethodKind, MethodPlan,
    OpenPlan, Pass, RequestPlan, Response, SampleKey, Step, Url,
};
use crate::plan::surface::BuilderKind;
use crate::plan::{Plan, RustType};
use crate::runtime_items::{self, RuntimeItem};

/// Clippy's `too_many_arguments` limit, `self` included.
const MAX_ARGUMENTS: usize = 7;

/// Renders the methods of one client plan.
pub(super) struct Methods<'a, 'm> {
    pub plan: &'a Plan<'m>,
    pub cp: &'a ClientPlan,
}

/// Where a method is rendered: the builder it belongs to and the expression of its path.
pub(super) struct Owner {
    /// The builder (`None`: the client type or a shared builder).
    pub builder: Option<usize>,
    /// The builder's path (`self.path.clone()`, `ODataPath::root()`).
    pub path: Expr,
    /// What the `HTTP:` lines put before a request's template: nothing, or `...` in a
    /// shared builder, whose templates follow the URL that opened it.
    pub prefix: &'static str,
}

/// The type of a reference as the client names it: models through `models::`.
pub(super) fn client_type(plan: &Plan, r: &TypeRef) -> Type {
    let element = element_type(plan, r);
    if r.collection {
        wrapped("Vec", element)
    } else {
        element
    }
}

/// The element type of a reference (the type itself when it is not a collection).
fn element_type(plan: &Plan, r: &TypeRef) -> Type {
    match &r.target {
        // Primitive types are std types or `edm::X`; client files import `models::edm`.
        Target::Primitive(p) => RustType::primitive_type(p),
        Target::Type(id) => model_type(plan, *id),
    }
}

/// A model type, `models::<module>::<Name>` (`Any<Name>` for polymorphic bases).
fn model_type(plan: &Plan, id: crate::model::TypeId) -> Type {
    let name = plan.name(id);
    let module = format_ident!("{}", plan.modules[name.module].ident);
    let ident = format_ident!("{}", plan.value_ident(id));
    path_type(syn_path([format_ident!("models"), module, ident]))
}

/// The Rust type of an argument, as the plan says it is passed.
fn arg_type(plan: &Plan, arg: &ArgPlan) -> Type {
    let element = || match &arg.element {
        Element::Primitive(p) => RustType::primitive_type(p),
        Element::Model(id) => model_type(plan, *id),
    };
    let base = match arg.pass {
        Pass::Str => reference(named("str")),
        Pass::AsRefStr => impl_trait(with_args(path_of(&["AsRef"]), [named("str")])),
        Pass::Value => element(),
        Pass::Ref => reference(element()),
        Pass::Slice => reference(slice(element())),
    };
    if arg.optional {
        wrapped("Option", base)
    } else {
        base
    }
}

/// A type named by one identifier (`str`, `u64`).
fn named(name: &str) -> Type {
    path_type(path_of(&[name]))
}

/// `runtime::<item>::<name>`, a function of a runtime type.
fn runtime_fn(item: RuntimeItem, name: &str) -> syn::Path {
    let mut p = item.reexported_path();
    p.segments.push(Ident::new(name, Span::call_site()).into());
    p
}

/// The variable `name` (an argument of the method).
fn var(name: &Ident) -> Expr {
    path_expr(syn_path([name.clone()]))
}

/// `Result<ODataLiteral, runtime::Error>` of the value `v` of a function argument.
fn literal_result(arg: &ArgPlan, v: Expr) -> Expr {
    let literal = runtime_items::ODATA_LITERAL;
    match &arg.literal {
        LiteralKind::Enum(q) => call(runtime_fn(literal, "enum_member"), [lit(q), borrow(v)]),
        LiteralKind::Json => call(runtime_fn(literal, "json"), [borrow(v)]),
        LiteralKind::Primitive(_) | LiteralKind::Text => {
            call(runtime_fn(literal, "of"), [borrow(v)])
        }
    }
}

/// The `ODataLiteral` of a key part (keys are primitives or enumeration members).
fn key_literal(arg: &ArgPlan, v: Expr) -> Expr {
    match &arg.literal {
        LiteralKind::Enum(q) => call(
            runtime_fn(runtime_items::ODATA_LITERAL, "enum_literal"),
            [lit(q), borrow(v)],
        ),
        _ => call(
            runtime_fn(runtime_items::TO_ODATA_LITERAL, "to_odata_literal"),
            [borrow(v)],
        ),
    }
}

/// A string literal.
fn lit(text: &str) -> Expr {
    super::syntax::lit_str(text)
}

/// `Option<&V>` of an argument, for a JSON member body.
fn member_value(arg: &ArgPlan) -> Expr {
    let v = var(&ident(&arg.ident));
    let some = |e| call(path_of(&["Some"]), [e]);
    match (arg.optional, arg.pass == Pass::Value) {
        (true, true) => method_call(v, "as_ref", []),
        (true, false) => v,
        (false, true) => some(borrow(v)),
        (false, false) => some(v),
    }
}

/// `#[allow(clippy::too_many_arguments)]` with its reason, when a method needs it.
fn many_arguments(count: usize) -> Vec<Attribute> {
    if count + 1 > MAX_ARGUMENTS {
        vec![list_attr(
            "allow",
            quote!(
                clippy::too_many_arguments,
                reason = "one argument per parameter of the OData operation or key"
            ),
        )]
    } else {
        Vec::new()
    }
}

/// Each line as a paragraph of its own: an empty doc line, then the line.
pub(super) fn paragraphs(lines: impl IntoIterator<Item = String>) -> Vec<String> {
    lines.into_iter().flat_map(|l| [String::new(), l]).collect()
}

/// The doc lines of a renamed method and of its renamed arguments.
fn renamed_doc(m: &MethodPlan) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(plain) = &m.collided_with {
        lines.push(format!(
            " Named `{}` because `{plain}` is taken here (by another method, or by a standard trait method of the builders).",
            m.ident
        ));
    }
    let args = match &m.action {
        Action::Send(r) => &r.args,
        Action::Open(o) => &o.args,
    };
    for a in args {
        if let Some(plain) = &a.collided_with {
            lines.push(format!(
                " The argument `{}` is the parameter `{}`: `{plain}` is taken by another argument.",
                a.ident, a.wire
            ));
        }
    }
    paragraphs(lines)
}

/// `HTTP: <methods> <template>` doc lines, one per template in first-seen order, methods
/// joined by `/`.
fn http_docs<'r>(requests: impl IntoIterator<Item = (&'r RequestPlan, &'r str)>) -> Vec<String> {
    let mut lines: Vec<(String, Vec<&str>)> = Vec::new();
    for (r, prefix) in requests {
        let template = format!("{prefix}{}", r.template);
        match lines.iter_mut().find(|(t, _)| *t == template) {
            Some((_, methods)) => methods.push(r.http.as_str()),
            None => lines.push((template, vec![r.http.as_str()])),
        }
    }
    paragraphs(
        lines
            .into_iter()
            .map(|(t, methods)| format!(" HTTP: `{} {t}`", methods.join("/"))),
    )
}

/// The `#[derive(serde::Serialize)] struct Body` that wraps the items a method replaces a
/// collection with: the same in every such method, so parsed once.
fn items_body() -> syn::Stmt {
    syn::Stmt::Item(template("client.items_body", || {
        quote! {
            #[derive(serde::Serialize)]
            struct Body<'a, T> { value: &'a [T] }
        }
    }))
}

impl Methods<'_, '_> {
    /// One method: its docs, then its signature and body.
    pub fn method(&self, m: &MethodPlan, owner: &Owner) -> syn::ImplItemFn {
        let mut attrs = request_lead(m.request.as_ref());
        attrs.extend(self.docs(m, owner));
        // After `#[deprecated]`, as one run of its own (rare: a name that collided).
        let renamed = renamed_doc(m);
        attrs.extend(docs(renamed.iter().map(String::as_str)));
        let name = ident(&m.ident);
        let mut f = match &m.action {
            Action::Send(r) => self.send(name, r, owner),
            Action::Open(o) => self.open(name, o, owner),
        };
        attrs.append(&mut f.attrs);
        // Every method is `#[inline]`, so that rustc compiles it (and the decoding and
        // encoding of the models it names, which a request instantiates) in the crate that
        // calls it, not in the client crate: a client crate then costs almost no code
        // generation, and an application pays for the requests it sends (BENCHMARKS.md).
        attrs.push(super::syntax::inline());
        f.attrs = attrs;
        f
    }

    /// A method that sends `r`.
    fn send(&self, name: Ident, r: &RequestPlan, owner: &Owner) -> syn::ImplItemFn {
        let plan = self.plan;
        let path = &owner.path;
        let mut params: Vec<syn::FnArg> = r
            .args
            .iter()
            .map(|a| typed_arg(ident(&a.ident), arg_type(plan, a)))
            .collect();
        let page = |e| path_type(with_args(runtime_items::PAGE.reexported_path(), [e]));
        let runtime_type = |item: RuntimeItem| path_type(item.reexported_path());
        let (ret, ctor) = match &r.response {
            Response::Empty => (unit_type(), "empty"),
            Response::Json(t) => (client_type(plan, t), "json"),
            Response::Value(t) => (client_type(plan, t), "value"),
            Response::Page(t) => (page(element_type(plan, t)), "page"),
            Response::Created(id) => (model_type(plan, *id), "created"),
            Response::Count => (named("u64"), "dollar_count"),
            Response::Media => (runtime_type(runtime_items::MEDIA), "media"),
            Response::ReferencePage => {
                (page(runtime_type(runtime_items::ENTITY_REFERENCE)), "page")
            }
            Response::Reference => (runtime_type(runtime_items::ENTITY_REFERENCE), "json"),
        };
        let ret = path_type(with_args(path_of(&["Request"]), [ret]));
        // The plan gives the URL forms and bodies that name the first argument one.
        let first = || {
            let a = r
                .args
                .first()
                .expect("the request has the argument its URL or body names");
            var(&ident(&a.ident))
        };
        let url = match &r.url {
            Url::Same => path.clone(),
            Url::Segment(s) | Url::SegmentWithId(s) => {
                method_call(path.clone(), "segment", [lit(s)])
            }
            Url::KeyThenSegment(s) => {
                let key = method_call(path.clone(), "key", [method_call(first(), "as_ref", [])]);
                method_call(key, "segment", [lit(s)])
            }
            Url::Action(s) => method_call(path.clone(), "action", [lit(s)]),
            Url::Function(s) if r.args.is_empty() => {
                method_call(path.clone(), "operation", [lit(s), array_ref([])])
            }
            Url::Function(s) => {
                // Parameters go into the URL as literals; optional ones only when set.
                let entries = r.args.iter().map(|a| {
                    let v = var(&ident(&a.ident));
                    let value = if a.optional {
                        let lit = literal_result(a, path_expr(path_of(&["value"])));
                        method_call(v, "map", [closure("value", lit)])
                    } else {
                        call(path_of(&["Some"]), [literal_result(a, v)])
                    };
                    pair(lit(&a.wire), value)
                });
                method_call(path.clone(), "function", [lit(s), array(entries)])
            }
        };
        let method = path_expr(path_of(&["Method", r.http.as_str()]));
        let client = || borrow(self_field("client"));
        let request_fn = |name: &str| path_of(&["Request", name]);
        let fallible = matches!(&r.url, Url::Function(_)) && !r.args.is_empty();
        let request = match (&r.response, fallible) {
            (_, true) => call(
                request_fn("with_path"),
                [
                    client(),
                    method.clone(),
                    path_expr(path_of(&["path"])),
                    path_expr(request_fn(ctor)),
                ],
            ),
            // `dollar_count` takes the collection's path and appends `/$count` itself.
            (Response::Count, false) => call(request_fn(ctor), [client(), path.clone()]),
            (Response::Created(_), false) => call(request_fn(ctor), [client(), url.clone()]),
            (_, false) => call(request_fn(ctor), [client(), method.clone(), url.clone()]),
        };
        let arg = |name: &str, ty: Type| typed_arg(format_ident!("{name}"), ty);
        let named_var = |name: &str| path_expr(path_of(&[name]));
        let body: Option<(&str, Vec<Expr>)> = match &r.body {
            Body::None => None,
            Body::Entity(id) => {
                params.push(arg("body", reference(model_type(plan, *id))));
                Some(("json_body", vec![named_var("body")]))
            }
            Body::Typed { ty, content_type } => {
                params.push(arg("body", reference(client_type(plan, ty))));
                Some(("json_body_as", vec![named_var("body"), lit(content_type)]))
            }
            Body::Parameters(op) => {
                let s = format_ident!("{}", self.cp.parameters[op].ident);
                let ty = path_type(syn_path([
                    format_ident!("super"),
                    format_ident!("parameters"),
                    s,
                ]));
                params.push(arg("parameters", reference(ty)));
                Some(("json_body", vec![named_var("parameters")]))
            }
            Body::Member => {
                let a = r.args.first().expect("a member body has its argument");
                Some(("json_member_body", vec![lit(&a.wire), member_value(a)]))
            }
            Body::Items(ty) => {
                params.push(arg("items", reference(slice(element_type(plan, ty)))));
                let items = struct_expr(
                    path_of(&["Body"]),
                    [(format_ident!("value"), named_var("items"))],
                );
                let request = call(request_fn(ctor), [client(), method, url]);
                let stmts = vec![
                    items_body(),
                    tail(method_call(request, "json_body", [borrow(items)])),
                ];
                return method_fn(Vec::new(), name, params, ret, stmts);
            }
            Body::Bytes => {
                params.push(arg("bytes", wrapped("Vec", named("u8"))));
                params.push(arg("content_type", reference(named("str"))));
                Some((
                    "bytes_body",
                    vec![named_var("bytes"), named_var("content_type")],
                ))
            }
            Body::Raw(content_type) => {
                let into = with_args(path_of(&["Into"]), [wrapped("Vec", named("u8"))]);
                params.push(arg("body", impl_trait(into)));
                let body = method_call(named_var("body"), "into", []);
                Some(("bytes_body", vec![body, lit(content_type)]))
            }
            Body::Reference => Some(("reference_body", vec![first()])),
        };
        let mut expr = request;
        if let Some((with, args)) = body {
            expr = method_call(expr, with, args);
        }
        let allow = many_arguments(params.len());
        if fallible {
            let stmts = vec![let_stmt("path", url), tail(expr)];
            return method_fn(allow, name, params, ret, stmts);
        }
        if let Url::SegmentWithId(_) = &r.url {
            expr = method_call(expr, "reference_id", [first()]);
        }
        method_fn(allow, name, params, ret, vec![tail(expr)])
    }

    /// A method that opens another builder.
    fn open(&self, name: Ident, o: &OpenPlan, owner: &Owner) -> syn::ImplItemFn {
        let t = format_ident!("{}", self.cp.target_ident(o.target));
        let ret = path_type(syn_path([t.clone()]));
        let path = &owner.path;
        let params: Vec<syn::FnArg> = o
            .args
            .iter()
            .map(|a| typed_arg(ident(&a.ident), arg_type(self.plan, a)))
            .collect();
        let args: Vec<Expr> = o.args.iter().map(|a| var(&ident(&a.ident))).collect();
        let client = (
            format_ident!("client"),
            method_call(self_field("client"), "clone", []),
        );
        let target_path = match &o.step {
            Step::Segment(s) => {
                let collection = matches!(o.target, BuilderRef::Planned(i)
                    if self.cp.surface.builders[i].kind == BuilderKind::Collection);
                if collection {
                    let fields = [
                        client,
                        (format_ident!("parent"), path.clone()),
                        (format_ident!("segment"), lit(s)),
                    ];
                    let stmts = vec![tail(struct_expr(syn_path([t.clone()]), fields))];
                    return method_fn(Vec::new(), name, [], ret, stmts);
                }
                method_call(path.clone(), "segment", [lit(s)])
            }
            Step::KeySegment => method_call(
                path.clone(),
                "key",
                [method_call(args[0].clone(), "as_ref", [])],
            ),
            Step::KeyValue => method_call(
                self_field("parent"),
                "key_value",
                [
                    self_field("segment"),
                    key_literal(&o.args[0], args[0].clone()),
                ],
            ),
            Step::CompositeKey => {
                let literals = o
                    .args
                    .iter()
                    .zip(args)
                    .map(|(a, v)| pair(lit(&a.wire), key_literal(a, v)));
                method_call(
                    self_field("parent"),
                    "composite_key",
                    [self_field("segment"), array_ref(literals)],
                )
            }
            Step::AlternateKey => {
                let pairs = o
                    .args
                    .iter()
                    .zip(args)
                    .map(|(a, v)| pair(lit(&a.wire), method_call(v, "as_ref", [])));
                method_call(
                    self_field("parent"),
                    "alternate_key",
                    [self_field("segment"), array_ref(pairs)],
                )
            }
            Step::PathAddress => method_call(
                path.clone(),
                "path_address",
                [method_call(args[0].clone(), "as_ref", [])],
            ),
        };
        let allow = many_arguments(params.len());
        let fields = [client, (format_ident!("path"), target_path)];
        let stmts = vec![tail(struct_expr(syn_path([t]), fields))];
        method_fn(allow, name, params, ret, stmts)
    }

    /// The doc text of method `m`: what it is for, its URL or HTTP lines (one run of doc
    /// lines), then its deprecation.
    fn docs(&self, m: &MethodPlan, owner: &Owner) -> Vec<Attribute> {
        let request = runtime_items::REQUEST.reexported_text();
        let send = match &m.action {
            Action::Send(r) => Some(r),
            Action::Open(_) => None,
        };
        let http = match &m.action {
            Action::Send(r) => http_docs([(r, owner.prefix)]),
            Action::Open(o) => match o.target {
                BuilderRef::Shared(kind) => match self.cp.shared(kind) {
                    Some(shared) => {
                        http_docs(shared.methods.iter().filter_map(|sm| match &sm.action {
                            Action::Send(r) => Some((r, o.template.as_str())),
                            Action::Open(_) => None,
                        }))
                    }
                    None => Vec::new(),
                },
                BuilderRef::Planned(_) => {
                    let url = format!(" URL: `{}`", o.template);
                    // A path address's own text names its URL.
                    if matches!(
                        m.kind,
                        MethodKind::Entry { .. }
                            | MethodKind::Key
                            | MethodKind::AlternateKey
                            | MethodKind::PathAddress(_)
                    ) {
                        Vec::new()
                    } else {
                        paragraphs([url])
                    }
                }
            },
        };
        // The success status and permissions follow the `HTTP:` lines (`request_facts.rs`).
        let mut http = http;
        http.extend(self.request_facts(m));
        let segment = m.action.segment().unwrap_or_default();
        let open_template = match &m.action {
            Action::Open(o) => o.template.as_str(),
            Action::Send(r) => r.template.as_str(),
        };
        let args = match &m.action {
            Action::Open(o) => &o.args[..],
            Action::Send(r) => &r.args[..],
        };
        let wires: Vec<&str> = args.iter().map(|a| a.wire.as_str()).collect();
        let text: Vec<String> = match &m.kind {
            MethodKind::Get => vec![
                format!(" Reads the entity; [`.select()`]({request}::select) and"),
                format!(" [`.expand()`]({request}::expand) take the model's field constants."),
            ],
            MethodKind::Update => vec![" Updates the entity with `PATCH`: only the properties that are set (and explicit nulls) are sent.".into()],
            MethodKind::Replace => vec![
                " Replaces the entity (`PUT`): send the whole entity; properties left".into(),
                " out are reset by the service. The metadata (or the override file)".into(),
                " names PUT as the only update method here, so there is no `update`".into(),
                " (PATCH).".into(),
            ],
            MethodKind::Delete => vec![" Deletes the entity.".into()],
            MethodKind::Content => vec![" The media content of this entity.".into()],
            MethodKind::StreamProperty => vec![format!(" The content of the stream property `{segment}`.")],
            MethodKind::Reference { collection: true } => vec![format!(" Links (`$ref`) of `{segment}` to existing entities.")],
            MethodKind::Reference { collection: false } => vec![format!(" The link (`$ref`) of `{segment}` to an existing entity.")],
            MethodKind::List => vec![
                format!(" Lists one page of the collection; [`.into_stream()`]({request}::into_stream)"),
                " yields every item, following `@odata.nextLink`.".into(),
            ],
            MethodKind::Count => vec![" Counts the collection (`$count`; sent to Microsoft Graph with `ConsistencyLevel: eventual`).".into()],
            MethodKind::Create => vec![
                " Creates an entity in the collection and returns it as created (asked".into(),
                " for with `Prefer: return=representation`). Where the service creates it".into(),
                " later (`202 Accepted` with a `Location` and no body), send it with".into(),
                format!(" [`.start()`]({request}::start) and wait on the operation."),
            ],
            MethodKind::Key => match args {
                [_] if matches!(m.action, Action::Open(OpenPlan { step: Step::KeySegment, .. })) => {
                    vec![" One entity of the collection by key; the key is percent-encoded as one path segment.".into()]
                }
                [one] => vec![format!(
                    " One entity of the collection by its key `{}`, written in parentheses: `{open_template}`.",
                    one.wire
                )],
                _ => vec![format!(" One entity of the collection by its composite key ({}).", wires.join(", "))],
            },
            MethodKind::AlternateKey => vec![format!(
                " One entity by the alternate key `{}`: `{open_template}`; quotes are escaped OData-style.",
                wires.join(", ")
            )],
            MethodKind::Navigation => vec![format!(" Navigation property `{segment}`.")],
            MethodKind::Property => vec![format!(" The collection property `{segment}`.")],
            MethodKind::Cast => vec![format!(" Cast to the derived type `{segment}`: its navigations and operations.")],
            MethodKind::Entry { singleton } => vec![format!(
                " `/{segment}`{}",
                if *singleton { " (singleton)" } else { "" }
            )],
            MethodKind::Operation(op) => return self.operation_docs(*op, send, http),
            MethodKind::Http(index) => {
                let op = &self.plan.model.http_operations[*index];
                let body = match &op.body {
                    Some(_) => format!(" with a `{}` body", op.content_type),
                    None => String::new(),
                };
                let mut own = vec![format!(
                    "Sends the request{body}; the service answers `{}` on success.",
                    op.status
                )];
                // Without docs of its own, the override's reason says what it is for.
                if op.annotations.description.is_none() {
                    own.push(String::new());
                    own.push(format!("Added by the override file: {}", sanitize(&op.reason)));
                }
                return doc_attributes_with(&op.annotations, &own, &http);
            }
            MethodKind::PathAddress(index) => {
                let address = &self.plan.model.path_addresses[*index];
                let lines = [
                    format!(" The entity at `path` below this one: `{open_template}`. Every request of the"),
                    " entity continues from it (`.../children`, `.../content`); each segment of `path`".into(),
                    " is percent-encoded, `/` separates them, and `.`/`..` are resolved inside `path`.".into(),
                    String::new(),
                    format!(" Added by the override file: {}", sanitize(&address.reason)),
                ];
                return docs(lines.iter().map(String::as_str));
            }
            MethodKind::PropertyGet => vec![" Reads the collection.".into()],
            MethodKind::PropertyReplace => vec![" Replaces the whole collection (sent as `{\"value\": [...]}`).".into()],
            MethodKind::PropertyCount => vec![" Counts the items (`$count`).".into()],
            MethodKind::Download => vec![" Downloads the content: its bytes and content type.".into()],
            MethodKind::Upload => vec![" Uploads the content with its content type.".into()],
            MethodKind::DeleteContent => vec![" Deletes the content.".into()],
            MethodKind::ListLinks => vec![" Lists one page of the linked entities' URLs.".into()],
            MethodKind::AddLink => vec![format!(" Links an existing entity (its `@odata.id` in the body); {URL_DOC}")],
            MethodKind::RemoveLink if wires == ["url"] => {
                vec![format!(" Unlinks an entity; the entity itself stays. {URL_DOC}")]
            }
            MethodKind::RemoveLink => vec![" Unlinks the entity with key `id`; the entity itself stays.".into()],
            MethodKind::GetLink => vec![" Reads the linked entity's URL.".into()],
            MethodKind::SetLink => vec![format!(" Links an existing entity in place of the current one (its `@odata.id` in the body); {URL_DOC}")],
            MethodKind::DeleteLink => vec![" Removes the link; the entity itself stays.".into()],
        };
        let mut docs = docs(text.iter().chain(&http).map(String::as_str));
        docs.extend(self.deprecation(m, owner));
        docs
    }

    /// The docs of an operation: its description and facts, its kind, optional parameters.
    fn operation_docs(
        &self,
        op: crate::model::OperationId,
        request: Option<&RequestPlan>,
        http: Vec<String>,
    ) -> Vec<Attribute> {
        let op = &self.plan.model.operations[op.0];
        let kind = match op.kind {
            OperationKind::Action => "action",
            OperationKind::Function => "function",
        };
        let bound = if op.binding.is_some() {
            "Bound"
        } else {
            "Unbound"
        };
        let mut extra = vec![format!("{bound} {kind} `{}`.", op.qualified_name())];
        let optional: Vec<String> = request
            .map(|r| &r.args[..])
            .unwrap_or_default()
            .iter()
            .filter(|a| a.optional)
            .map(|a| format!("`{}`", a.ident))
            .collect();
        if !optional.is_empty() {
            extra.push(String::new());
            extra.push(format!(
                "Optional parameters ({}): `None` leaves them out of the request.",
                optional.join(", ")
            ));
        }
        let mut docs = doc_attributes_with(&op.annotations, &extra, &http);
        docs.extend(deprecated_attribute(&op.annotations));
        docs
    }

    /// `#[deprecated]` of the structural property a method reaches, if the metadata
    /// deprecates it.
    fn deprecation(&self, m: &MethodPlan, owner: &Owner) -> Option<Attribute> {
        let index = owner.builder?;
        let b = &self.cp.surface.builders[index];
        let name = match (&m.kind, &b.kind) {
            (MethodKind::Navigation | MethodKind::Property, _) => m.action.segment(),
            (
                MethodKind::PropertyGet | MethodKind::PropertyReplace | MethodKind::PropertyCount,
                BuilderKind::Property(p),
            ) => Some(p.as_str()),
            _ => None,
        };
        let name = name?;
        self.plan
            .model
            .all_properties(b.ty)
            .into_iter()
            .find(|(_, p)| p.name == name)
            .and_then(|(_, p)| deprecated_attribute(&p.annotations))
    }

    /// The README's example request, from the plan's [`Example`](crate::plan::client::Example).
    pub fn example(&self) -> Option<TokenStream> {
        let example = self.cp.example.as_ref()?;
        let calls = example.calls.iter().map(|c| {
            let name = ident(&c.ident);
            match c.key {
                Some(SampleKey::Text) => quote!(.#name("id")),
                Some(SampleKey::Integer) => quote!(.#name(1)),
                None => quote!(.#name()),
            }
        });
        let verb = ident(&example.verb);
        Some(quote!(client #(#calls)* .#verb() .build()?))
    }
}

/// What the `$ref` methods say of their `url` argument.
const URL_DOC: &str = "`url` is the entity's URL, absolute or relative to the service root (`directoryObjects/{id}`, `accounts(42)`).";

//! Renders the methods of the client plan: each [`MethodPlan`] as a Rust method whose
//! signature, URL, body and response reading follow its [`Action`] one for one. What a
//! method is for ([`MethodKind`]) only chooses its doc text.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{deprecated_attr, doc_lines, request_lead, sanitize};
use super::ident;
use crate::csdl::OperationKind;
use crate::model::{Target, TypeRef};
use crate::plan::client::{
    Action, ArgPlan, Body, BuilderRef, ClientPlan, Element, LiteralKind, MethodKind, MethodPlan,
    OpenPlan, Pass, RequestPlan, Response, SampleKey, Step, Url,
};
use crate::plan::surface::BuilderKind;
use crate::plan::{Plan, RustType};
use crate::runtime_items;

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
    pub path: TokenStream,
    /// What the `HTTP:` lines put before a request's template: nothing, or `...` in a
    /// shared builder, whose templates follow the URL that opened it.
    pub prefix: &'static str,
}

/// The type of a reference as the client names it: models through `models::`.
pub(super) fn client_type(plan: &Plan, r: &TypeRef) -> TokenStream {
    let element = element_type(plan, r);
    if r.collection {
        quote!(Vec<#element>)
    } else {
        element
    }
}

/// The element type of a reference (the type itself when it is not a collection).
fn element_type(plan: &Plan, r: &TypeRef) -> TokenStream {
    match &r.target {
        // Primitive tokens are std types or `edm::X`; client files import `models::edm`.
        Target::Primitive(p) => RustType::primitive(p),
        Target::Type(id) => model_type(plan, *id),
    }
}

/// A model type, `models::<module>::<Name>` (`Any<Name>` for polymorphic bases).
fn model_type(plan: &Plan, id: crate::model::TypeId) -> TokenStream {
    let name = plan.name(id);
    let module = format_ident!("{}", plan.modules[name.module].ident);
    let ident = format_ident!("{}", plan.value_ident(id));
    quote!(models::#module::#ident)
}

/// The Rust type of an argument, as the plan says it is passed.
fn arg_type(plan: &Plan, arg: &ArgPlan) -> TokenStream {
    let element = match &arg.element {
        Element::Primitive(p) => RustType::primitive(p),
        Element::Model(id) => model_type(plan, *id),
    };
    let base = match arg.pass {
        Pass::Str => quote!(&str),
        Pass::AsRefStr => quote!(impl AsRef<str>),
        Pass::Value => element,
        Pass::Ref => quote!(&#element),
        Pass::Slice => quote!(&[#element]),
    };
    if arg.optional {
        quote!(Option<#base>)
    } else {
        base
    }
}

/// `Result<ODataLiteral, runtime::Error>` of the value `v` of a function argument.
fn literal_result(arg: &ArgPlan, v: &TokenStream) -> TokenStream {
    let literal = runtime_items::ODATA_LITERAL.reexported();
    match &arg.literal {
        LiteralKind::Enum(q) => quote!(#literal::enum_member(#q, &#v)),
        LiteralKind::Json => quote!(#literal::json(&#v)),
        LiteralKind::Primitive(_) | LiteralKind::Text => quote!(#literal::of(&#v)),
    }
}

/// The `ODataLiteral` of a key part (keys are primitives or enumeration members).
fn key_literal(arg: &ArgPlan, v: &TokenStream) -> TokenStream {
    match &arg.literal {
        LiteralKind::Enum(q) => {
            let literal = runtime_items::ODATA_LITERAL.reexported();
            quote!(#literal::enum_literal(#q, &#v))
        }
        _ => {
            let to_literal = runtime_items::TO_ODATA_LITERAL.reexported();
            quote!(#to_literal::to_odata_literal(&#v))
        }
    }
}

/// `Option<&V>` of an argument, for a JSON member body.
fn member_value(arg: &ArgPlan) -> TokenStream {
    let v = ident(&arg.ident);
    match (arg.optional, arg.pass == Pass::Value) {
        (true, true) => quote!(#v.as_ref()),
        (true, false) => quote!(#v),
        (false, true) => quote!(Some(&#v)),
        (false, false) => quote!(Some(#v)),
    }
}

/// `#[allow(clippy::too_many_arguments)]` with its reason, when a method needs it.
fn many_arguments(count: usize) -> TokenStream {
    if count + 1 > MAX_ARGUMENTS {
        quote!(#[allow(clippy::too_many_arguments, reason = "one argument per parameter of the OData operation or key")])
    } else {
        quote!()
    }
}

/// The doc lines of a renamed method and of its renamed arguments.
fn renamed_doc(m: &MethodPlan) -> TokenStream {
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
    quote!(#(#[doc = ""] #[doc = #lines])*)
}

/// `HTTP: <methods> <template>` doc lines, one per template in first-seen order, methods
/// joined by `/`.
pub(super) fn http_docs<'r>(requests: impl IntoIterator<Item = (&'r RequestPlan, &'r str)>) -> TokenStream {
    let mut lines: Vec<(String, Vec<&str>)> = Vec::new();
    for (r, prefix) in requests {
        let template = format!("{prefix}{}", r.template);
        match lines.iter_mut().find(|(t, _)| *t == template) {
            Some((_, methods)) => methods.push(r.http.as_str()),
            None => lines.push((template, vec![r.http.as_str()])),
        }
    }
    let lines = lines
        .into_iter()
        .map(|(t, methods)| format!(" HTTP: `{} {t}`", methods.join("/")));
    quote!(#(#[doc = ""] #[doc = #lines])*)
}

impl Methods<'_, '_> {
    /// One method: its docs, then its signature and body.
    pub fn method(&self, m: &MethodPlan, owner: &Owner) -> TokenStream {
        let lead = request_lead(m.request.as_ref());
        let docs = self.docs(m, owner);
        let renamed = renamed_doc(m);
        let name = ident(&m.ident);
        let body = match &m.action {
            Action::Send(r) => self.send(&name, r, owner),
            Action::Open(o) => self.open(&name, o, owner),
        };
        quote!(#lead #docs #renamed #body)
    }

    /// A method that sends `r`.
    fn send(&self, name: &proc_macro2::Ident, r: &RequestPlan, owner: &Owner) -> TokenStream {
        let plan = self.plan;
        let path = &owner.path;
        let mut params: Vec<TokenStream> = r
            .args
            .iter()
            .map(|a| {
                let v = ident(&a.ident);
                let t = arg_type(plan, a);
                quote!(#v: #t)
            })
            .collect();
        let (ret, ctor) = match &r.response {
            Response::Empty => (quote!(()), quote!(empty)),
            Response::Json(t) => (client_type(plan, t), quote!(json)),
            Response::Value(t) => (client_type(plan, t), quote!(value)),
            Response::Page(t) => {
                let page = runtime_items::PAGE.reexported();
                let e = element_type(plan, t);
                (quote!(#page<#e>), quote!(page))
            }
            Response::Created(id) => (model_type(plan, *id), quote!(created)),
            Response::Count => (quote!(u64), quote!(dollar_count)),
            Response::Media => (runtime_items::MEDIA.reexported(), quote!(media)),
            Response::ReferencePage => {
                let page = runtime_items::PAGE.reexported();
                let reference = runtime_items::ENTITY_REFERENCE.reexported();
                (quote!(#page<#reference>), quote!(page))
            }
            Response::Reference => (runtime_items::ENTITY_REFERENCE.reexported(), quote!(json)),
        };
        let first = r.args.first().map(|a| ident(&a.ident));
        let url = match &r.url {
            Url::Same => quote!(#path),
            Url::Segment(s) | Url::SegmentWithId(s) => quote!(#path.segment(#s)),
            Url::KeyThenSegment(s) => quote!(#path.key(#first.as_ref()).segment(#s)),
            Url::Action(s) => quote!(#path.action(#s)),
            Url::Function(s) if r.args.is_empty() => quote!(#path.operation(#s, &[])),
            Url::Function(s) => {
                // Parameters go into the URL as literals; optional ones only when set.
                let entries = r.args.iter().map(|a| {
                    let wire = &a.wire;
                    let v = ident(&a.ident);
                    if a.optional {
                        let lit = literal_result(a, &quote!(value));
                        quote!((#wire, #v.map(|value| #lit)))
                    } else {
                        let lit = literal_result(a, &quote!(#v));
                        quote!((#wire, Some(#lit)))
                    }
                });
                quote!(#path.function(#s, [#(#entries),*]))
            }
        };
        let method = format_ident!("{}", r.http.as_str());
        let fallible = matches!(&r.url, Url::Function(_)) && !r.args.is_empty();
        let request = match (&r.response, fallible) {
            (_, true) => quote!(Request::with_path(&self.client, Method::#method, path, Request::#ctor)),
            // `dollar_count` takes the collection's path and appends `/$count` itself.
            (Response::Count, false) => quote!(Request::#ctor(&self.client, #path)),
            (Response::Created(_), false) => quote!(Request::#ctor(&self.client, #url)),
            (_, false) => quote!(Request::#ctor(&self.client, Method::#method, #url)),
        };
        let body = match &r.body {
            Body::None => quote!(),
            Body::Entity(id) => {
                let t = model_type(plan, *id);
                params.push(quote!(body: &#t));
                quote!(.json_body(body))
            }
            Body::Typed { ty, content_type } => {
                let t = client_type(plan, ty);
                params.push(quote!(body: &#t));
                quote!(.json_body_as(body, #content_type))
            }
            Body::Parameters(op) => {
                let s = format_ident!("{}", self.cp.parameters[op].ident);
                params.push(quote!(parameters: &super::parameters::#s));
                quote!(.json_body(parameters))
            }
            Body::Member => {
                let Some(arg) = r.args.first() else {
                    return quote!();
                };
                let wire = &arg.wire;
                let value = member_value(arg);
                quote!(.json_member_body(#wire, #value))
            }
            Body::Items(ty) => {
                let e = element_type(plan, ty);
                params.push(quote!(items: &[#e]));
                return quote! {
                    pub fn #name(&self, #(#params),*) -> Request<#ret> {
                        #[derive(serde::Serialize)]
                        struct Body<'a, T> { value: &'a [T] }
                        Request::#ctor(&self.client, Method::#method, #url).json_body(&Body { value: items })
                    }
                };
            }
            Body::Bytes => {
                params.push(quote!(bytes: Vec<u8>));
                params.push(quote!(content_type: &str));
                quote!(.bytes_body(bytes, content_type))
            }
            Body::Raw(content_type) => {
                params.push(quote!(body: impl Into<Vec<u8>>));
                quote!(.bytes_body(body.into(), #content_type))
            }
            Body::Reference => quote!(.reference_body(#first)),
        };
        let query = match &r.url {
            Url::SegmentWithId(_) => quote!(.reference_id(#first)),
            _ => quote!(),
        };
        let allow = many_arguments(params.len());
        if fallible {
            return quote! {
                #allow
                pub fn #name(&self, #(#params),*) -> Request<#ret> {
                    let path = #url;
                    #request #body
                }
            };
        }
        quote! {
            #allow
            pub fn #name(&self, #(#params),*) -> Request<#ret> {
                #request #body #query
            }
        }
    }

    /// A method that opens another builder.
    fn open(&self, name: &proc_macro2::Ident, o: &OpenPlan, owner: &Owner) -> TokenStream {
        let t = format_ident!("{}", self.cp.target_ident(o.target));
        let path = &owner.path;
        let params: Vec<TokenStream> = o
            .args
            .iter()
            .map(|a| {
                let v = ident(&a.ident);
                let ty = arg_type(self.plan, a);
                quote!(#v: #ty)
            })
            .collect();
        let args: Vec<_> = o.args.iter().map(|a| ident(&a.ident)).collect();
        let wires = o.args.iter().map(|a| a.wire.as_str());
        let target_path = match &o.step {
            Step::Segment(s) => {
                let collection = matches!(o.target, BuilderRef::Planned(i)
                    if self.cp.surface.builders[i].kind == BuilderKind::Collection);
                if collection {
                    return quote! {
                        pub fn #name(&self) -> #t {
                            #t { client: self.client.clone(), parent: #path, segment: #s }
                        }
                    };
                }
                quote!(#path.segment(#s))
            }
            Step::KeySegment => {
                let id = &args[0];
                quote!(#path.key(#id.as_ref()))
            }
            Step::KeyValue => {
                let literal = key_literal(&o.args[0], &quote!(#(#args)*));
                quote!(self.parent.key_value(self.segment, #literal))
            }
            Step::CompositeKey => {
                let literals = o
                    .args
                    .iter()
                    .zip(&args)
                    .map(|(a, v)| key_literal(a, &quote!(#v)));
                quote!(self.parent.composite_key(self.segment, &[#((#wires, #literals)),*]))
            }
            Step::AlternateKey => {
                quote!(self.parent.alternate_key(self.segment, &[#((#wires, #args.as_ref())),*]))
            }
            Step::PathAddress => {
                let path_arg = &args[0];
                quote!(#path.path_address(#path_arg.as_ref()))
            }
        };
        let allow = many_arguments(params.len());
        quote! {
            #allow
            pub fn #name(&self, #(#params),*) -> #t {
                #t { client: self.client.clone(), path: #target_path }
            }
        }
    }

    /// The doc text of method `m`: what it is for, its URL or HTTP lines, deprecation.
    fn docs(&self, m: &MethodPlan, owner: &Owner) -> TokenStream {
        let request = runtime_items::REQUEST.reexported_text();
        let send = match &m.action {
            Action::Send(r) => Some(r),
            Action::Open(_) => None,
        };
        let http = match &m.action {
            Action::Send(r) => http_docs([(r, owner.prefix)]),
            Action::Open(o) => match o.target {
                BuilderRef::Shared(kind) => match self.cp.shared(kind) {
                    Some(shared) => http_docs(shared.methods.iter().filter_map(|sm| match &sm.action {
                        Action::Send(r) => Some((r, o.template.as_str())),
                        Action::Open(_) => None,
                    })),
                    None => quote!(),
                },
                BuilderRef::Planned(_) => {
                    let url = format!(" URL: `{}`", o.template);
                    if matches!(m.kind, MethodKind::Entry { .. } | MethodKind::Key | MethodKind::AlternateKey) {
                        quote!()
                    } else {
                        quote!(#[doc = ""] #[doc = #url])
                    }
                }
            },
        };
        // The success status and permissions follow the `HTTP:` lines (`request_facts.rs`).
        let facts = self.request_facts(m);
        let http = quote!(#http #facts);
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
                let doc = doc_lines(&op.annotations, &own);
                return quote!(#doc #http);
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
                return quote!(#(#[doc = #lines])*);
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
        let dep = self.deprecation(m, owner);
        quote!(#(#[doc = #text])* #http #dep)
    }

    /// The docs of an operation: its description and facts, its kind, optional parameters.
    fn operation_docs(
        &self,
        op: crate::model::OperationId,
        request: Option<&RequestPlan>,
        http: TokenStream,
    ) -> TokenStream {
        let op = &self.plan.model.operations[op.0];
        let kind = match op.kind {
            OperationKind::Action => "action",
            OperationKind::Function => "function",
        };
        let bound = if op.binding.is_some() { "Bound" } else { "Unbound" };
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
        let docs = doc_lines(&op.annotations, &extra);
        let deprecated = deprecated_attr(&op.annotations);
        quote!(#docs #http #deprecated)
    }

    /// `#[deprecated]` of the structural property a method reaches, if the metadata
    /// deprecates it.
    fn deprecation(&self, m: &MethodPlan, owner: &Owner) -> TokenStream {
        let Some(index) = owner.builder else {
            return quote!();
        };
        let b = &self.cp.surface.builders[index];
        let name = match (&m.kind, &b.kind) {
            (MethodKind::Navigation | MethodKind::Property, _) => m.action.segment(),
            (
                MethodKind::PropertyGet | MethodKind::PropertyReplace | MethodKind::PropertyCount,
                BuilderKind::Property(p),
            ) => Some(p.as_str()),
            _ => None,
        };
        let Some(name) = name else {
            return quote!();
        };
        self.plan
            .model
            .all_properties(b.ty)
            .into_iter()
            .find(|(_, p)| p.name == name)
            .map(|(_, p)| deprecated_attr(&p.annotations))
            .unwrap_or_default()
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

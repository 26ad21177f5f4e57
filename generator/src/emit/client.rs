//! Renders the client plan ([`crate::plan::client`]) as request builders: one builder type
//! per (entity type, kind), shared by every path that reaches it.
//!
//! * `<Type>RequestBuilder`: a single entity (`get`, `update`, `replace` when the update
//!   method is PUT, `delete`, navigations, bound operations, casts, `content()` for media);
//! * `<Type>CollectionRequestBuilder`: an entity collection (`list`, `count`, `create`,
//!   `by_id` or `by_key`, `by_<alternate key>`, collection-bound operations, casts);
//! * `<Owner><Property>RequestBuilder`: a structural collection property that the metadata
//!   says is updatable (`get`, `replace`, `count`);
//! * types a root path only passes through (not selected) get builders with just the
//!   navigation along the path and the key segments.
//!
//! Every name comes from the plan; this module decides nothing.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{deprecated_attr, doc_lines, request_lead};
use super::{ident, render, stream_parts, CrateInfo};
use crate::csdl::OperationKind;
use crate::error::Result;
use crate::model::{Operation, Primitive, Target, TypeKind, TypeRef};
use crate::plan::client::{
    ActionBody, ArgPlan, ClientPlan, LiteralKind, MethodKind, MethodPlan, OperationPlan,
    MEDIA_BUILDER, REFERENCES_BUILDER, REFERENCE_BUILDER,
};
use crate::plan::surface::{unlink_template, Builder, BuilderKind};
use crate::plan::{Plan, RustType};
use crate::runtime_items;
use crate::settings::{ClientInfo, Dependency};
use crate::write::{OutputFile, PendingFile};

/// Clippy's `too_many_arguments` limit, `self` included.
const MAX_ARGUMENTS: usize = 7;

/// The client crate's files.
pub fn client_crate(plan: &Plan, info: &CrateInfo, client: &ClientInfo) -> Result<Vec<OutputFile>> {
    client_files(plan, info, client)?
        .into_iter()
        .map(PendingFile::into_output)
        .collect()
}

/// The files of the client crate; `src/builders.rs`, the large one, is produced while it is
/// written.
pub(crate) fn client_files<'a>(
    plan: &'a Plan,
    info: &'a CrateInfo,
    client: &ClientInfo,
) -> Result<Vec<PendingFile<'a>>> {
    let cp = ClientPlan::new(plan, client.client_name.as_deref());
    let r = Renderer { plan, cp: &cp };
    let head = r.head(client);
    let params_file = render(info, r.parameters_file(), "src/parameters.rs")?;
    let first_request = r.first_request();
    let client_ident = format_ident!("{}", cp.client_ident);
    let builders_file = PendingFile::new("src/builders.rs", move |sink| {
        let r = Renderer { plan, cp: &cp };
        stream_parts(
            sink,
            info,
            head,
            &cp.builders_by_name(),
            |i| r.builder(*i),
            |i| cp.methods[*i].len(),
            "src/builders.rs",
        )
    });
    client_crate_files(
        plan,
        first_request,
        info,
        client,
        &client_ident,
        builders_file,
        params_file,
    )
}

/// The tokens of the builders module and of the parameters module (for the single-file
/// output of build scripts).
pub(crate) fn client_tokens(
    plan: &Plan,
    client: &ClientInfo,
) -> Result<(TokenStream, TokenStream)> {
    let cp = ClientPlan::new(plan, client.client_name.as_deref());
    let r = Renderer { plan, cp: &cp };
    let head = r.head(client);
    let builders = cp.builders_by_name().into_iter().map(|i| r.builder(i));
    Ok((quote!(#head #(#builders)*), r.parameters_file()))
}

fn client_crate_files<'a>(
    plan: &Plan,
    first_request: Option<TokenStream>,
    info: &CrateInfo,
    client: &ClientInfo,
    client_ident: &proc_macro2::Ident,
    builders_file: PendingFile<'a>,
    params_file: String,
) -> Result<Vec<PendingFile<'a>>> {
    let models_ident = format_ident!("{}", info.crate_name.replace('-', "_"));
    let doc = format!(
        " Typed async request builders generated from `{}`, on `graph-odata-runtime`.",
        info.source
    );
    let request = runtime_items::REQUEST.reexported_text();
    let start_doc = format!(
        " Start from [`{client_ident}`]; every request is a [`{request}`] that `.await` sends, or that [`{request}::build`] turns into an inspectable request."
    );
    let runtime_crate = runtime_items::crate_root();
    let runtime_reexport = runtime_items::reexport_name();
    let lib = quote! {
        #![doc = #doc]
        //!
        #![doc = #start_doc]
        #![doc = ""]
        #![doc = include_str!("../README.md")]
        #![forbid(unsafe_code)]
        #![allow(deprecated)]
        #![allow(rustdoc::bare_urls)]

        mod builders;
        pub mod parameters;

        pub use builders::*;
        /// The models this client reads and writes.
        pub use #models_ident as models;
        /// The runtime (client, credentials, errors, requests).
        pub use #runtime_crate as #runtime_reexport;
    };
    let manifest = super::package::Manifest {
        info,
        name: &client.crate_name,
        description: format!(
            "Typed async request builders generated by csdl-codegen from {}",
            info.source
        ),
        keywords: &["odata", "client", "async", "rest"],
        categories: &["api-bindings", "web-programming::http-client"],
        dependencies: vec![
            client
                .models
                .clone()
                .unwrap_or_else(|| Dependency::version(info.version.clone()))
                .manifest_line(&info.crate_name, &[]),
            client
                .runtime
                .as_ref()
                .unwrap_or(&info.runtime)
                .manifest_line("graph-odata-runtime", &[]),
            "serde = { version = \"1\", features = [\"derive\"] }".into(),
            "serde_json = \"1\"".into(),
        ],
        // Hand-written examples and README code run requests: an async runtime, and
        // `StreamExt` for the streams of `into_stream`.
        dev_dependencies: if client.examples.is_empty() && info.readme.client.is_none() {
            Vec::new()
        } else {
            vec![
                "futures-util = \"0.3\"".into(),
                "tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\", \"time\"] }".into(),
            ]
        },
    };
    let cargo = manifest.render();
    let readme = super::package::client_readme(
        plan,
        info,
        &client.crate_name,
        client_ident,
        first_request,
    )?;
    let examples = client
        .examples
        .iter()
        .map(|(name, source)| OutputFile::new(format!("examples/{name}"), source.clone()));
    let mut files: Vec<PendingFile<'a>> = examples
        .chain([
            OutputFile::new("Cargo.toml", cargo),
            OutputFile::new("README.md", readme),
        ])
        .map(PendingFile::ready)
        .collect();
    files.push(builders_file);
    files.push(PendingFile::ready(OutputFile::new(
        "src/lib.rs",
        render(info, lib, "src/lib.rs")?,
    )));
    files.push(PendingFile::ready(OutputFile::new(
        "src/parameters.rs",
        params_file,
    )));
    Ok(files)
}

/// Renders one client plan.
struct Renderer<'a, 'm> {
    plan: &'a Plan<'m>,
    cp: &'a ClientPlan,
}

/// The type of a reference as the client names it: models through `models::`.
fn client_type(plan: &Plan, r: &TypeRef) -> TokenStream {
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
        Target::Type(id) => {
            let name = plan.name(*id);
            let module = format_ident!("{}", plan.modules[name.module].ident);
            let ident = format_ident!("{}", plan.value_ident(*id));
            quote!(models::#module::#ident)
        }
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

/// The argument type of a key part or function parameter (before `Option` for optional
/// ones): the one mapping from EDM types to arguments.
fn arg_type(plan: &Plan, arg: &ArgPlan) -> TokenStream {
    let base = match &arg.literal {
        LiteralKind::Primitive(Primitive::String) => quote!(&str),
        LiteralKind::Primitive(p) if by_value(p) => RustType::primitive(p),
        LiteralKind::Primitive(p) => {
            let t = RustType::primitive(p);
            quote!(&#t)
        }
        LiteralKind::Enum(_) => {
            let t = element_type(plan, &arg.ty);
            quote!(&#t)
        }
        LiteralKind::Json if arg.ty.collection => {
            let t = element_type(plan, &arg.ty);
            quote!(&[#t])
        }
        LiteralKind::Json => {
            let t = element_type(plan, &arg.ty);
            quote!(&#t)
        }
    };
    if arg.optional {
        quote!(Option<#base>)
    } else {
        base
    }
}

/// `Result<ODataLiteral, runtime::Error>` (client code's paths) for the value `v` of `arg` (function arguments).
fn literal_result(arg: &ArgPlan, v: &TokenStream) -> TokenStream {
    let literal = runtime_items::ODATA_LITERAL.reexported();
    match &arg.literal {
        LiteralKind::Primitive(_) => quote!(#literal::of(&#v)),
        LiteralKind::Enum(q) => quote!(#literal::enum_member(#q, &#v)),
        LiteralKind::Json => quote!(#literal::json(&#v)),
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

/// `#[allow(clippy::too_many_arguments)]` with its reason, when a method needs it.
fn many_arguments(count: usize) -> TokenStream {
    if count + 1 > MAX_ARGUMENTS {
        quote!(#[allow(clippy::too_many_arguments, reason = "one argument per parameter of the OData operation or key")])
    } else {
        quote!()
    }
}

/// The doc line of a renamed item.
fn renamed_doc(m: &MethodPlan) -> TokenStream {
    match &m.collided_with {
        Some(plain) => {
            let line = format!(
                " Named `{}` because `{plain}` is taken here (by another method, or by a standard trait method of the builders).",
                m.ident
            );
            quote!(#[doc = ""] #[doc = #line])
        }
        None => quote!(),
    }
}

/// `HTTP: <method> <template>` as a doc line.
fn http_doc(method: &str, template: &str) -> TokenStream {
    let line = format!(" HTTP: `{method} {template}`");
    quote!(#[doc = ""] #[doc = #line])
}

impl Renderer<'_, '_> {
    fn builder_ident(&self, index: usize) -> proc_macro2::Ident {
        format_ident!("{}", self.cp.builder_ident(index))
    }

    /// The client type, the media builder and the imports.
    fn head(&self, client: &ClientInfo) -> TokenStream {
        let rt_client = runtime_items::CLIENT.reexported();
        let rt_token_credential = runtime_items::TOKEN_CREDENTIAL.reexported();
        let rt_client_builder = runtime_items::CLIENT_BUILDER.reexported();
        let rt_error = runtime_items::ERROR.reexported();
        let rt_odata_path = runtime_items::ODATA_PATH.reexported();
        let rt_media = runtime_items::MEDIA.reexported();
        let client_ident = format_ident!("{}", self.cp.client_ident);
        let base_url = &client.base_url;
        let methods = self
            .cp
            .client_methods
            .iter()
            .map(|m| self.method(m, None, &quote!(#rt_odata_path::root()), ""));
        let builder_doc = format!(
            " A client builder with this crate's defaults (base URL, user agent); set timeouts, retry policy, proxy, transport, scopes or a national cloud (`.national_cloud({}::UsGovL4)`) on it, then [`{client_ident}::from_client`].",
            runtime_items::NATIONAL_CLOUD.reexported_text()
        );
        let runtime_reexport = runtime_items::reexport_name();
        let imports = runtime_items::import_group(
            quote!(super::#runtime_reexport),
            &[runtime_items::METHOD, runtime_items::REQUEST],
        );
        let media = format_ident!("{}", MEDIA_BUILDER);
        let references = self.reference_builders();
        quote! {
            use super::models;
            #[allow(unused_imports)]
            use super::models::edm;
            use super::#runtime_reexport;
            #[allow(unused_imports)]
            #imports

            /// Entry point: a typed client for the service.
            #[derive(Clone, Debug)]
            pub struct #client_ident {
                client: #rt_client,
            }

            impl #client_ident {
                /// The service root this crate was generated for.
                pub const DEFAULT_BASE_URL: &'static str = #base_url;

                #[doc = #builder_doc]
                pub fn builder(credential: impl #rt_token_credential + 'static) -> #rt_client_builder {
                    #rt_client::builder(Self::DEFAULT_BASE_URL, credential)
                        .user_agent(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")))
                }

                /// A client with default settings.
                pub fn new(credential: impl #rt_token_credential + 'static) -> Result<Self, #rt_error> {
                    Ok(Self::from_client(Self::builder(credential).build()?))
                }

                /// Wraps a configured runtime client.
                pub fn from_client(client: #rt_client) -> Self {
                    Self { client }
                }

                /// The underlying runtime client.
                pub fn client(&self) -> &#rt_client {
                    &self.client
                }

                #(#methods)*
            }

            /// Raw content: the `$value` of a media entity, or a stream property.
            #[derive(Clone, Debug)]
            pub struct #media {
                client: #rt_client,
                path: #rt_odata_path,
            }

            impl #media {
                /// Downloads the content (`GET`): its bytes and content type.
                pub fn get(&self) -> Request<#rt_media> {
                    Request::media(&self.client, Method::GET, self.path.clone())
                }

                /// Uploads the content (`PUT`) with its content type.
                pub fn put(&self, bytes: Vec<u8>, content_type: &str) -> Request<()> {
                    Request::empty(&self.client, Method::PUT, self.path.clone()).bytes_body(bytes, content_type)
                }

                /// Deletes the content (`DELETE`).
                pub fn delete(&self) -> Request<()> {
                    Request::empty(&self.client, Method::DELETE, self.path.clone())
                }
            }

            #references
        }
    }

    /// The builders of `$ref` links, when some navigation has them. `path` is the
    /// navigation property's URL; the links are at `<path>/$ref`.
    fn reference_builders(&self) -> TokenStream {
        let used = |wanted: bool| {
            self.cp.methods.iter().flatten().any(
                |m| matches!(m.kind, MethodKind::Reference { collection, .. } if collection == wanted),
            )
        };
        let rt_client = runtime_items::CLIENT.reexported();
        let rt_odata_path = runtime_items::ODATA_PATH.reexported();
        let rt_page = runtime_items::PAGE.reexported();
        let reference = runtime_items::ENTITY_REFERENCE.reexported();
        let url_doc = "`url` is the entity's URL, absolute or relative to the service root (`directoryObjects/{id}`, `accounts(42)`).";
        let collection = used(true).then(|| {
            let builder = format_ident!("{}", REFERENCES_BUILDER);
            let add_doc = format!(" Links an existing entity (`POST .../$ref` with its `@odata.id`); {url_doc}");
            let remove = if self.cp.surface.key_as_segment {
                quote! {
                    /// Unlinks the entity with key `id` (`DELETE .../{id}/$ref`); the entity
                    /// itself stays.
                    pub fn remove(&self, id: impl AsRef<str>) -> Request<()> {
                        Request::empty(&self.client, Method::DELETE, self.path.key(id.as_ref()).segment("$ref"))
                    }
                }
            } else {
                let remove_doc = format!(" Unlinks an entity (`DELETE .../$ref?$id=<url>`); the entity itself stays. {url_doc}");
                quote! {
                    #[doc = #remove_doc]
                    pub fn remove(&self, url: &str) -> Request<()> {
                        Request::empty(&self.client, Method::DELETE, self.path.segment("$ref")).reference_id(url)
                    }
                }
            };
            quote! {
                /// The links (`$ref`) of a collection-valued navigation property to existing
                /// entities.
                #[derive(Clone, Debug)]
                pub struct #builder {
                    client: #rt_client,
                    path: #rt_odata_path,
                }

                impl #builder {
                    /// Lists one page of the linked entities' URLs (`GET .../$ref`).
                    pub fn list(&self) -> Request<#rt_page<#reference>> {
                        Request::page(&self.client, Method::GET, self.path.segment("$ref"))
                    }

                    #[doc = #add_doc]
                    pub fn add(&self, url: &str) -> Request<()> {
                        Request::empty(&self.client, Method::POST, self.path.segment("$ref")).reference_body(url)
                    }

                    #remove
                }
            }
        });
        let single = used(false).then(|| {
            let builder = format_ident!("{}", REFERENCE_BUILDER);
            let set_doc = format!(" Links an existing entity in place of the current one (`PUT .../$ref` with its `@odata.id`); {url_doc}");
            quote! {
                /// The link (`$ref`) of a single-valued navigation property to an existing
                /// entity.
                #[derive(Clone, Debug)]
                pub struct #builder {
                    client: #rt_client,
                    path: #rt_odata_path,
                }

                impl #builder {
                    /// Reads the linked entity's URL (`GET .../$ref`).
                    pub fn get(&self) -> Request<#reference> {
                        Request::json(&self.client, Method::GET, self.path.segment("$ref"))
                    }

                    #[doc = #set_doc]
                    pub fn set(&self, url: &str) -> Request<()> {
                        Request::empty(&self.client, Method::PUT, self.path.segment("$ref")).reference_body(url)
                    }

                    /// Removes the link (`DELETE .../$ref`); the entity itself stays.
                    pub fn delete(&self) -> Request<()> {
                        Request::empty(&self.client, Method::DELETE, self.path.segment("$ref"))
                    }
                }
            }
        });
        quote!(#collection #single)
    }

    /// One builder type and its methods.
    fn builder(&self, index: usize) -> TokenStream {
        let rt_client = runtime_items::CLIENT.reexported();
        let rt_odata_path = runtime_items::ODATA_PATH.reexported();
        let b: &Builder = &self.cp.surface.builders[index];
        let b_ident = self.builder_ident(index);
        let qualified = self.plan.model.ty(b.ty).qualified_name();
        let mut docs = vec![match &b.kind {
            BuilderKind::Item => format!(" Requests for one `{qualified}`."),
            BuilderKind::Collection => format!(" Requests for a collection of `{qualified}`."),
            BuilderKind::Property(p) => {
                format!(" Requests for the property `{p}` of `{qualified}`.")
            }
        }];
        if let Some(plain) = &self.cp.builder_names[index].collided_with {
            docs.push(String::new());
            docs.push(format!(
                " Named `{b_ident}` because `{plain}` is the name of another builder."
            ));
        }
        docs.push(String::new());
        docs.push(format!(" URL: `{}`", b.canonical));
        if b.other_parents > 0 {
            let sample: Vec<String> = b.sample.iter().map(|t| format!("`{t}`")).collect();
            let more = if b.other_parents > sample.len() {
                ", ..."
            } else {
                ""
            };
            docs.push(String::new());
            docs.push(format!(
                " Also reached by {} other link{}: {}{more}.",
                b.other_parents,
                if b.other_parents == 1 { "" } else { "s" },
                sample.join(", ")
            ));
        }
        let (fields, path_expr) = match b.kind {
            BuilderKind::Collection => (
                quote!(client: #rt_client, parent: #rt_odata_path, segment: &'static str,),
                quote!(self.parent.segment(self.segment)),
            ),
            _ => (
                quote!(client: #rt_client, path: #rt_odata_path,),
                quote!(self.path.clone()),
            ),
        };
        let methods = self.cp.methods[index]
            .iter()
            .map(|m| self.method(m, Some(index), &path_expr, &b.canonical));
        let docs = docs.iter();
        quote! {
            #(#[doc = #docs])*
            #[derive(Clone, Debug)]
            pub struct #b_ident { #fields }

            impl #b_ident {
                #(#methods)*
            }
        }
    }

    /// The model type of builder `index`'s entity type.
    fn model_type(&self, index: usize) -> TokenStream {
        let ty = self.cp.surface.builders[index].ty;
        element_type(
            self.plan,
            &TypeRef {
                collection: false,
                target: Target::Type(ty),
            },
        )
    }

    /// A builder of kind `target` for the path `path` (for collections: `parent` and
    /// `segment`).
    fn construct(&self, target: usize, parent: TokenStream, segment: &str) -> TokenStream {
        let t = self.builder_ident(target);
        match self.cp.surface.builders[target].kind {
            BuilderKind::Collection => {
                quote!(#t { client: self.client.clone(), parent: #parent, segment: #segment })
            }
            _ => quote!(#t { client: self.client.clone(), path: #parent.segment(#segment) }),
        }
    }

    /// One method of builder `owner` (`None`: of the client type, which has only entry
    /// points and operation imports).
    fn method(
        &self,
        m: &MethodPlan,
        owner: Option<usize>,
        path: &TokenStream,
        template: &str,
    ) -> TokenStream {
        let lead = request_lead(m.request.as_ref());
        let body = self.method_body(m, owner, path, template);
        quote!(#lead #body)
    }

    /// [`Renderer::method`] without the documented request's lead.
    fn method_body(
        &self,
        m: &MethodPlan,
        owner: Option<usize>,
        path: &TokenStream,
        template: &str,
    ) -> TokenStream {
        let rt_page = runtime_items::PAGE.reexported();
        let name = ident(&m.ident);
        let renamed = renamed_doc(m);
        let current = owner.unwrap_or_default();
        match &m.kind {
            MethodKind::Get => {
                let t = self.model_type(current);
                let http = http_doc("GET", template);
                let request = runtime_items::REQUEST.reexported_text();
                let doc = [
                    format!(" Reads the entity; [`.select()`]({request}::select) and"),
                    format!(" [`.expand()`]({request}::expand) take the model's field constants."),
                ];
                quote! {
                    #(#[doc = #doc])*
                    #http
                    pub fn #name(&self) -> Request<#t> {
                        Request::json(&self.client, Method::GET, #path)
                    }
                }
            }
            MethodKind::Update { http: verb } => {
                let t = self.model_type(current);
                let http = http_doc(verb, template);
                let method = format_ident!("{}", verb);
                let text = if verb == "PUT" {
                    " Updates the entity with `PUT`, the update method the metadata (or the override file) declares for this type: send the whole entity."
                } else {
                    " Updates the entity with `PATCH`: only the properties that are set (and explicit nulls) are sent."
                };
                quote! {
                    #[doc = #text]
                    #http
                    pub fn #name(&self, body: &#t) -> Request<()> {
                        Request::empty(&self.client, Method::#method, #path).json_body(body)
                    }
                }
            }
            MethodKind::Replace => {
                let t = self.model_type(current);
                let http = http_doc("PUT", template);
                quote! {
                    /// Replaces the entity (`PUT`): send the whole entity; properties left
                    /// out are reset by the service. The metadata (or the override file)
                    /// names PUT as the only update method here, so there is no `update`
                    /// (PATCH).
                    #http
                    pub fn #name(&self, body: &#t) -> Request<()> {
                        Request::empty(&self.client, Method::PUT, #path).json_body(body)
                    }
                }
            }
            MethodKind::Delete => {
                let http = http_doc("DELETE", template);
                quote! {
                    /// Deletes the entity.
                    #http
                    pub fn #name(&self) -> Request<()> {
                        Request::empty(&self.client, Method::DELETE, #path)
                    }
                }
            }
            MethodKind::Content => {
                let http = http_doc("GET/PUT/DELETE", &format!("{template}/$value"));
                let media = format_ident!("{}", MEDIA_BUILDER);
                quote! {
                    /// The media content of this entity.
                    #http
                    pub fn #name(&self) -> #media {
                        #media { client: self.client.clone(), path: #path.segment("$value") }
                    }
                }
            }
            MethodKind::Reference {
                segment,
                collection,
            } => {
                let refs = format!("{template}/{segment}/$ref");
                let (builder, doc, http) = if *collection {
                    let remove = unlink_template(
                        &format!("{template}/{segment}"),
                        self.cp.surface.key_as_segment,
                    );
                    let http = [http_doc("GET/POST", &refs), http_doc("DELETE", &remove)];
                    (
                        REFERENCES_BUILDER,
                        format!(" Links (`$ref`) of `{segment}` to existing entities."),
                        quote!(#(#http)*),
                    )
                } else {
                    (
                        REFERENCE_BUILDER,
                        format!(" The link (`$ref`) of `{segment}` to an existing entity."),
                        http_doc("GET/PUT/DELETE", &refs),
                    )
                };
                let builder = format_ident!("{}", builder);
                quote! {
                    #[doc = #doc]
                    #renamed
                    #http
                    pub fn #name(&self) -> #builder {
                        #builder { client: self.client.clone(), path: #path.segment(#segment) }
                    }
                }
            }
            MethodKind::StreamProperty { segment } => {
                let http = http_doc("GET/PUT/DELETE", &format!("{template}/{segment}"));
                let media = format_ident!("{}", MEDIA_BUILDER);
                let doc = format!(" The content of the stream property `{segment}`.");
                quote! {
                    #[doc = #doc]
                    #renamed
                    #http
                    pub fn #name(&self) -> #media {
                        #media { client: self.client.clone(), path: #path.segment(#segment) }
                    }
                }
            }
            MethodKind::List => {
                let t = self.model_type(current);
                let http = http_doc("GET", template);
                let doc = [
                    format!(
                        " Lists one page of the collection; [`.into_stream()`]({}::into_stream)",
                        runtime_items::REQUEST.reexported_text()
                    ),
                    " yields every item, following `@odata.nextLink`.".to_string(),
                ];
                quote! {
                    #(#[doc = #doc])*
                    #http
                    pub fn #name(&self) -> Request<#rt_page<#t>> {
                        Request::page(&self.client, Method::GET, #path)
                    }
                }
            }
            MethodKind::Count => {
                let http = http_doc("GET", &format!("{template}/$count"));
                quote! {
                    /// Counts the collection (`$count`, sent with `ConsistencyLevel: eventual`).
                    #http
                    pub fn #name(&self) -> Request<u64> {
                        Request::dollar_count(&self.client, #path)
                    }
                }
            }
            MethodKind::Create => {
                let t = self.model_type(current);
                let http = http_doc("POST", template);
                quote! {
                    /// Creates an entity in the collection and returns it as created (asked
                    /// for with `Prefer: return=representation`).
                    #http
                    pub fn #name(&self, body: &#t) -> Request<#t> {
                        Request::created(&self.client, #path).json_body(body)
                    }
                }
            }
            MethodKind::ById => {
                let item = self.item_of(current);
                quote! {
                    /// One entity of the collection by key; the key is percent-encoded as one path segment.
                    pub fn #name(&self, id: impl AsRef<str>) -> #item {
                        #item { client: self.client.clone(), path: self.parent.segment(self.segment).key(id.as_ref()) }
                    }
                }
            }
            MethodKind::ByKey(parts) if parts.len() == 1 => {
                let item = self.item_of(current);
                let part = &parts[0];
                let arg = ident(&part.ident);
                let ty = arg_type(self.plan, part);
                let literal = key_literal(part, &quote!(#arg));
                let doc = format!(
                    " One entity of the collection by its key `{}`, written in parentheses: `{template}(...)`.",
                    part.wire
                );
                quote! {
                    #[doc = #doc]
                    pub fn #name(&self, #arg: #ty) -> #item {
                        #item {
                            client: self.client.clone(),
                            path: self.parent.key_value(self.segment, #literal),
                        }
                    }
                }
            }
            MethodKind::ByKey(parts) => {
                let item = self.item_of(current);
                let args: Vec<_> = parts.iter().map(|a| ident(&a.ident)).collect();
                let types = parts.iter().map(|a| arg_type(self.plan, a));
                let wires = parts.iter().map(|a| a.wire.as_str());
                let literals = parts
                    .iter()
                    .zip(&args)
                    .map(|(a, v)| key_literal(a, &quote!(#v)));
                let names: Vec<&str> = parts.iter().map(|a| a.wire.as_str()).collect();
                let doc = format!(
                    " One entity of the collection by its composite key ({}).",
                    names.join(", ")
                );
                let allow = many_arguments(parts.len());
                quote! {
                    #[doc = #doc]
                    #allow
                    pub fn #name(&self, #(#args: #types),*) -> #item {
                        #item {
                            client: self.client.clone(),
                            path: self.parent.composite_key(self.segment, &[#((#wires, #literals)),*]),
                        }
                    }
                }
            }
            MethodKind::AlternateKey(parts) => {
                let item = self.item_of(current);
                let args: Vec<_> = parts.iter().map(|a| ident(&a.ident)).collect();
                let aliases: Vec<&str> = parts.iter().map(|a| a.wire.as_str()).collect();
                let doc = format!(
                    " One entity by the alternate key `{}`: `{template}({})`; quotes are escaped OData-style.",
                    aliases.join(", "),
                    aliases
                        .iter()
                        .map(|a| format!("{a}='...'"))
                        .collect::<Vec<_>>()
                        .join(",")
                );
                let allow = many_arguments(parts.len());
                quote! {
                    #[doc = #doc]
                    #renamed
                    #allow
                    pub fn #name(&self, #(#args: impl AsRef<str>),*) -> #item {
                        #item {
                            client: self.client.clone(),
                            path: self.parent.alternate_key(self.segment, &[#((#aliases, #args.as_ref())),*]),
                        }
                    }
                }
            }
            MethodKind::Navigation { segment, target }
            | MethodKind::Property { segment, target } => {
                let t = self.builder_ident(*target);
                let doc = match m.kind {
                    MethodKind::Navigation { .. } => format!(" Navigation property `{segment}`."),
                    _ => format!(" The collection property `{segment}`."),
                };
                let url = format!(" URL: `{template}/{segment}`");
                let dep = self.property_deprecation(current, segment);
                let construct = self.construct(*target, path.clone(), segment);
                quote! {
                    #[doc = #doc]
                    #[doc = ""]
                    #[doc = #url]
                    #renamed
                    #dep
                    pub fn #name(&self) -> #t {
                        #construct
                    }
                }
            }
            MethodKind::Cast { segment, target } => {
                let t = self.builder_ident(*target);
                let doc = format!(
                    " Cast to the derived type `{segment}`: its navigations and operations."
                );
                let url = format!(" URL: `{template}/{segment}`");
                let construct = self.construct(*target, path.clone(), segment);
                quote! {
                    #[doc = #doc]
                    #[doc = ""]
                    #[doc = #url]
                    #renamed
                    pub fn #name(&self) -> #t {
                        #construct
                    }
                }
            }
            MethodKind::Entry {
                set,
                singleton,
                target,
            } => {
                let t = self.builder_ident(*target);
                let doc = format!(" `/{set}`{}", if *singleton { " (singleton)" } else { "" });
                let root = runtime_items::ODATA_PATH.reexported();
                let construct = self.construct(*target, quote!(#root::root()), set);
                quote! {
                    #[doc = #doc]
                    #renamed
                    pub fn #name(&self) -> #t {
                        #construct
                    }
                }
            }
            MethodKind::Operation(op) => self.operation(m, op, path, template),
            MethodKind::Http(index) => self.http_operation(m, *index, path, template),
            MethodKind::PropertyGet
            | MethodKind::PropertyReplace { .. }
            | MethodKind::PropertyCount => self.property_method(m, current, template),
        }
    }

    /// The item builder of collection builder `index`.
    fn item_of(&self, index: usize) -> proc_macro2::Ident {
        let item = self.cp.surface.builders[index].item.unwrap_or(index);
        self.builder_ident(item)
    }

    /// `#[deprecated]` of a structural property of builder `index`'s type, if any.
    fn property_deprecation(&self, index: usize, name: &str) -> TokenStream {
        let ty = self.cp.surface.builders[index].ty;
        self.plan
            .model
            .all_properties(ty)
            .into_iter()
            .find(|(_, p)| p.name == name)
            .map(|(_, p)| deprecated_attr(&p.annotations))
            .unwrap_or_default()
    }

    fn property_method(&self, m: &MethodPlan, index: usize, template: &str) -> TokenStream {
        let b = &self.cp.surface.builders[index];
        let BuilderKind::Property(prop) = &b.kind else {
            return quote!();
        };
        let Some((_, p)) = self
            .plan
            .model
            .all_properties(b.ty)
            .into_iter()
            .find(|(_, p)| &p.name == prop)
        else {
            return quote!();
        };
        let name = ident(&m.ident);
        let elem = element_type(self.plan, &p.ty);
        let dep = deprecated_attr(&p.annotations);
        match &m.kind {
            MethodKind::PropertyGet => {
                let http = http_doc("GET", template);
                quote! {
                    /// Reads the collection.
                    #http
                    #dep
                    pub fn #name(&self) -> Request<Vec<#elem>> {
                        Request::value(&self.client, Method::GET, self.path.clone())
                    }
                }
            }
            MethodKind::PropertyReplace { http: verb } => {
                let http = http_doc(verb, template);
                let method = format_ident!("{}", verb);
                quote! {
                    /// Replaces the whole collection (sent as `{"value": [...]}`).
                    #http
                    #dep
                    pub fn #name(&self, items: &[#elem]) -> Request<()> {
                        #[derive(serde::Serialize)]
                        struct Body<'a, T> { value: &'a [T] }
                        Request::empty(&self.client, Method::#method, self.path.clone()).json_body(&Body { value: items })
                    }
                }
            }
            _ => {
                let http = http_doc("GET", &format!("{template}/$count"));
                quote! {
                    /// Counts the items (`$count`).
                    #http
                    #dep
                    pub fn #name(&self) -> Request<u64> {
                        Request::dollar_count(&self.client, self.path.clone())
                    }
                }
            }
        }
    }

    fn operation(
        &self,
        m: &MethodPlan,
        plan_op: &OperationPlan,
        path: &TokenStream,
        template: &str,
    ) -> TokenStream {
        let plan = self.plan;
        let op: &Operation = &plan.model.operations[plan_op.op.0];
        let method = ident(&m.ident);
        let segment = plan_op.segment.as_str();
        let is_action = op.kind == OperationKind::Action;
        let doc_http = if is_action {
            http_doc("POST", &format!("{template}/{segment}"))
        } else {
            http_doc("GET", &format!("{template}/{segment}(...)"))
        };
        let kind = if is_action { "action" } else { "function" };
        let bound = if op.binding.is_some() {
            "Bound"
        } else {
            "Unbound"
        };
        let mut extra = vec![format!("{bound} {kind} `{}`.", op.qualified_name())];
        let optional: Vec<String> = plan_op
            .args
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
        let renamed = renamed_doc(m);
        let deprecated = deprecated_attr(&op.annotations);
        let (ret_ty, ctor) = match &op.return_type {
            None => (quote!(()), quote!(empty)),
            Some(r) if r.ty.collection => {
                let e = element_type(plan, &r.ty);
                let page = runtime_items::PAGE.reexported();
                (quote!(#page<#e>), quote!(page))
            }
            Some(r) => {
                let t = element_type(plan, &r.ty);
                if is_value_return(plan, &r.ty) {
                    (t, quote!(value))
                } else {
                    (t, quote!(json))
                }
            }
        };
        let attrs = quote!(#docs #doc_http #renamed #deprecated);
        if !is_action {
            if plan_op.args.is_empty() {
                return quote! {
                    #attrs
                    pub fn #method(&self) -> Request<#ret_ty> {
                        Request::#ctor(&self.client, Method::GET, #path.operation(#segment, &[]))
                    }
                };
            }
            // Functions: parameters go into the URL as literals; optional ones only when set.
            let args: Vec<_> = plan_op.args.iter().map(|a| ident(&a.ident)).collect();
            let types = plan_op.args.iter().map(|a| arg_type(plan, a));
            let entries = plan_op.args.iter().zip(&args).map(|(a, v)| {
                let wire = &a.wire;
                if a.optional {
                    let lit = literal_result(a, &quote!(value));
                    quote!((#wire, #v.map(|value| #lit)))
                } else {
                    let lit = literal_result(a, &quote!(#v));
                    quote!((#wire, Some(#lit)))
                }
            });
            let allow = many_arguments(plan_op.args.len());
            return quote! {
                #attrs
                #allow
                pub fn #method(&self, #(#args: #types),*) -> Request<#ret_ty> {
                    let path = #path.function(#segment, [#(#entries),*]);
                    Request::with_path(&self.client, Method::GET, path, Request::#ctor)
                }
            };
        }
        match plan_op.body {
            ActionBody::None => quote! {
                #attrs
                pub fn #method(&self) -> Request<#ret_ty> {
                    Request::#ctor(&self.client, Method::POST, #path.action(#segment))
                }
            },
            ActionBody::Single => {
                let Some(p) = plan_op.args.first() else {
                    return quote!();
                };
                let arg = ident(&p.ident);
                let wire = &p.wire;
                let (arg_ty, by_ref) = match &p.ty.target {
                    _ if p.ty.collection => {
                        let e = element_type(plan, &p.ty);
                        (quote!(&[#e]), true)
                    }
                    Target::Primitive(Primitive::String) => (quote!(&str), true),
                    Target::Primitive(prim) if by_value(prim) => (RustType::primitive(prim), false),
                    _ => {
                        let e = element_type(plan, &p.ty);
                        (quote!(&#e), true)
                    }
                };
                let (arg_ty, value) = match (p.optional, by_ref) {
                    (true, true) => (quote!(Option<#arg_ty>), quote!(#arg)),
                    (true, false) => (quote!(Option<#arg_ty>), quote!(#arg.as_ref())),
                    (false, true) => (arg_ty, quote!(Some(#arg))),
                    (false, false) => (arg_ty, quote!(Some(&#arg))),
                };
                quote! {
                    #attrs
                    pub fn #method(&self, #arg: #arg_ty) -> Request<#ret_ty> {
                        Request::#ctor(&self.client, Method::POST, #path.action(#segment)).json_member_body(#wire, #value)
                    }
                }
            }
            ActionBody::Struct => {
                let s = &self.cp.parameters[&plan_op.op];
                let s_ident = format_ident!("{}", s.ident);
                quote! {
                    #attrs
                    pub fn #method(&self, parameters: &super::parameters::#s_ident) -> Request<#ret_ty> {
                        Request::#ctor(&self.client, Method::POST, #path.action(#segment)).json_body(parameters)
                    }
                }
            }
        }
    }

    /// A request an override file adds: its method, content type, body and response.
    fn http_operation(
        &self,
        m: &MethodPlan,
        index: usize,
        path: &TokenStream,
        template: &str,
    ) -> TokenStream {
        let op = &self.plan.model.http_operations[index];
        let name = ident(&m.ident);
        let renamed = renamed_doc(m);
        let url = match &op.segment {
            Some(segment) => format!("{template}/{segment}"),
            None => template.to_string(),
        };
        let path = match &op.segment {
            Some(segment) => quote!(#path.segment(#segment)),
            None => path.clone(),
        };
        let http = http_doc(&op.method, &url);
        let method = format_ident!("{}", op.method);
        let own = format!(
            "Sends the request with a `{}` body; the service answers `{}` on success.",
            op.content_type, op.status
        );
        let doc = doc_lines(&op.annotations, &[own]);
        let (ret, ctor) = match &op.response {
            Some(r) => (client_type(self.plan, r), quote!(json)),
            None => (quote!(()), quote!(empty)),
        };
        let content_type = &op.content_type;
        match &op.body {
            Some(body) => {
                let t = client_type(self.plan, body);
                quote! {
                    #doc
                    #http
                    #renamed
                    pub fn #name(&self, body: &#t) -> Request<#ret> {
                        Request::#ctor(&self.client, Method::#method, #path).json_body_as(body, #content_type)
                    }
                }
            }
            None => quote! {
                #doc
                #http
                #renamed
                pub fn #name(&self) -> Request<#ret> {
                    Request::#ctor(&self.client, Method::#method, #path)
                }
            },
        }
    }

    /// The parameters module: one struct per action overload with several parameters.
    fn parameters_file(&self) -> TokenStream {
        let plan = self.plan;
        let structs = self.cp.parameters.iter().map(|(op, s)| {
            let op = &plan.model.operations[op.0];
            let s_ident = format_ident!("{}", s.ident);
            let fields = s.fields.iter().map(|p| {
                let f = ident(&p.ident);
                let wire = &p.wire;
                let t = client_type(plan, &p.ty);
                let doc = if p.optional {
                    format!(" Parameter `{wire}` (optional).")
                } else {
                    format!(" Parameter `{wire}`.")
                };
                quote! {
                    #[doc = #doc]
                    #[serde(rename = #wire, default, skip_serializing_if = "Option::is_none")]
                    pub #f: Option<#t>,
                }
            });
            let binding = op.binding.as_ref().map_or(String::from("unbound"), |b| {
                let name = b
                    .type_id()
                    .map_or_else(String::new, |t| plan.model.ty(t).qualified_name());
                if b.collection {
                    format!("bound to `Collection({name})`")
                } else {
                    format!("bound to `{name}`")
                }
            });
            let sdoc = format!(
                " Parameters of the action `{}` ({binding}).",
                op.qualified_name()
            );
            let renamed = s.collided_with.as_ref().map(|plain| {
                let line = format!(
                    " Named `{}` because `{plain}` is the name of another action's parameters.",
                    s.ident
                );
                quote!(#[doc = ""] #[doc = #line])
            });
            quote! {
                #[doc = #sdoc]
                #renamed
                #[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
                pub struct #s_ident { #(#fields)* }
            }
        });
        quote! {
            //! Request bodies of actions with several parameters.
            #[allow(unused_imports)]
            use super::models;
            #[allow(unused_imports)]
            use super::models::edm;
            #(#structs)*
        }
    }

    /// The README's example request: the first path root, followed through the planned
    /// method names, ending in `.get()` or `.list()` and `.build()?`.
    fn first_request(&self) -> Option<TokenStream> {
        let plan = self.plan;
        let path = plan.selection.paths.first()?;
        if !plan.selection.types.contains(&path.target()) {
            return None;
        }
        let entry = self
            .cp
            .client_methods
            .iter()
            .find(|m| matches!(&m.kind, MethodKind::Entry { set, .. } if *set == path.set))?;
        let MethodKind::Entry { target, .. } = entry.kind else {
            return None;
        };
        let name = ident(&entry.ident);
        let mut calls = vec![quote!(.#name())];
        let mut current = target;
        // The item builder and the call that reaches it, with a sample key: a string, or a
        // number for an integer key in parentheses (other key types end the example).
        let by_id = |index: usize| {
            let b = &self.cp.surface.builders[index];
            let (method, key) = self.cp.methods[index].iter().find_map(|m| {
                let key = match &m.kind {
                    MethodKind::ById => quote!("id"),
                    MethodKind::ByKey(parts) if parts.len() == 1 => match &parts[0].literal {
                        LiteralKind::Primitive(Primitive::String) => quote!("id"),
                        LiteralKind::Primitive(
                            Primitive::Byte
                            | Primitive::SByte
                            | Primitive::Int16
                            | Primitive::Int32
                            | Primitive::Int64,
                        ) => quote!(1),
                        _ => return None,
                    },
                    _ => return None,
                };
                Some((ident(&m.ident), key))
            })?;
            let item = b.item?;
            Some((item, quote!(.#method(#key))))
        };
        let is_collection =
            |index: usize| self.cp.surface.builders[index].kind == BuilderKind::Collection;
        for step in &path.steps {
            if is_collection(current) {
                let (item, call) = by_id(current)?;
                current = item;
                calls.push(call);
            }
            let nav = self.cp.methods[current].iter().find(|m| {
                matches!(&m.kind, MethodKind::Navigation { segment, .. } if *segment == step.name)
            })?;
            let MethodKind::Navigation { target, .. } = nav.kind else {
                return None;
            };
            let name = ident(&nav.ident);
            calls.push(quote!(.#name()));
            current = target;
        }
        if path.steps.is_empty() && is_collection(current) {
            let (item, call) = by_id(current)?;
            current = item;
            calls.push(call);
        }
        let verb = if is_collection(current) {
            quote!(.list())
        } else {
            quote!(.get())
        };
        Some(quote!(client #(#calls)* #verb .build()?))
    }
}

fn is_value_return(plan: &Plan, r: &TypeRef) -> bool {
    match &r.target {
        Target::Primitive(_) => true,
        Target::Type(id) => matches!(
            plan.model.ty(*id).kind,
            TypeKind::Enum(_) | TypeKind::Definition(_)
        ),
    }
}

//! Request builders: one builder type per path segment kind, operations as methods.
//!
//! * `<Type>RequestBuilder`: a single entity (`get`, `update`, `replace` when the update
//!   method is PUT, `delete`, navigations, bound operations, `content()` for media);
//! * `<Type>CollectionRequestBuilder`: an entity collection (`list`, `count`, `create`,
//!   `by_id`, `by_<alternate key>`, collection-bound operations);
//! * `<Owner><Property>RequestBuilder`: a structural collection property that the metadata
//!   says is updatable (`get`, `replace`, `count`);
//! * types a root path only passes through (not selected) get builders with just the
//!   navigation along the path and the key segments.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{deprecated_attr, doc_lines};
use super::{ident, render, CrateInfo};
use crate::csdl::OperationKind;
use crate::error::Result;
use crate::model::{Operation, OperationId, Primitive, Target, TypeId, TypeKind, TypeRef};
use crate::paths::{self, Kind, Segment as Builder};
use crate::plan::naming::{snake, type_name};
use crate::plan::{Plan, RustType};
use crate::write::OutputFile;

/// Settings of the client crate.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    /// Name of the entry-point type (default `GraphClient` when empty).
    pub client_name: String,
    /// Cargo package name.
    pub crate_name: String,
    /// Package name of the models crate it builds on.
    pub models_crate: String,
    /// Dependency line for the models crate.
    pub models_dependency: String,
    /// Dependency line for the runtime (with the `client` feature).
    pub runtime_dependency: String,
    /// Default service root, e.g. `https://graph.microsoft.com/v1.0`.
    pub base_url: String,
    /// Hand-written examples copied into `examples/`: `(file name, source)`. They get
    /// `tokio` as a dev-dependency.
    pub examples: Vec<(String, String)>,
}

fn builder_name(plan: &Plan, ty: TypeId, kind: &Kind) -> String {
    // The planned type name (collision-free within its module); types outside the primary
    // namespace are prefixed with their module so builder names stay unique.
    let t = plan.model.ty(ty);
    let (base, module) = match plan.names.get(&ty) {
        Some(n) => (n.ident.clone(), plan.modules[n.module].namespace.clone()),
        None => (type_name(&t.name), t.namespace.clone()),
    };
    let primary = plan
        .modules
        .get(plan.primary)
        .map(|m| m.namespace.as_str())
        .unwrap_or_default();
    let base = if module == primary {
        base
    } else {
        format!("{}{base}", type_name(&module.replace('.', "_")))
    };
    match kind {
        Kind::Item => format!("{base}RequestBuilder"),
        Kind::Collection => format!("{base}CollectionRequestBuilder"),
        Kind::Property(p) => format!("{base}{}RequestBuilder", type_name(p)),
    }
}

struct Ctx<'p, 'm> {
    plan: &'p Plan<'m>,
    /// The request surface of the selection, by builder name.
    builders: BTreeMap<String, Builder>,
    params: BTreeMap<String, TokenStream>,
}

/// The client type for a reference: models are reached through `models::`.
fn client_type(plan: &Plan, r: &TypeRef) -> TokenStream {
    let element = match &r.target {
        // Primitive tokens are std types or `edm::X`; client files import `models::edm`.
        Target::Primitive(p) => RustType::primitive(p),
        Target::Type(id) => {
            let name = plan.name(*id);
            let module = format_ident!("{}", plan.modules[name.module].ident);
            let ident = format_ident!("{}", plan.value_ident(*id));
            quote!(models::#module::#ident)
        }
    };
    if r.collection {
        quote!(Vec<#element>)
    } else {
        element
    }
}

fn element_type(plan: &Plan, r: &TypeRef) -> TokenStream {
    client_type(
        plan,
        &TypeRef {
            collection: false,
            target: r.target.clone(),
        },
    )
}

fn http_doc(method: &str, suffix: &str, templates: &BTreeSet<String>) -> TokenStream {
    let lines: Vec<String> = templates
        .iter()
        .map(|t| format!(" - `{method} {t}{suffix}`"))
        .collect();
    let lines = lines.iter();
    quote! {
        #[doc = ""]
        #[doc = " HTTP:"]
        #(#[doc = #lines])*
    }
}

/// Emits the client crate.
fn client_type_ident(client: &ClientInfo) -> proc_macro2::Ident {
    format_ident!(
        "{}",
        if client.client_name.is_empty() {
            "GraphClient"
        } else {
            client.client_name.as_str()
        }
    )
}

/// The client crate's files.
pub fn client_crate(plan: &Plan, info: &CrateInfo, client: &ClientInfo) -> Result<Vec<OutputFile>> {
    let (builders_file, params_file) = client_tokens(plan, client)?;
    let client_ident = client_type_ident(client);
    let models_ident = format_ident!("{}", client.models_crate.replace('-', "_"));
    let first_request = plan
        .selection
        .paths
        .iter()
        .find_map(|p| super::package::first_request(plan, p));
    client_crate_files(
        plan,
        first_request,
        info,
        client,
        &client_ident,
        &models_ident,
        builders_file,
        params_file,
    )
}

/// The tokens of the builders module and of the parameters module.
pub(crate) fn client_tokens(
    plan: &Plan,
    client: &ClientInfo,
) -> Result<(TokenStream, TokenStream)> {
    let builders = paths::walk(plan.model, plan.selection)
        .into_iter()
        .map(|((ty, kind), segment)| (builder_name(plan, ty, &kind), segment))
        .collect();
    let mut ctx = Ctx {
        plan,
        builders,
        params: BTreeMap::new(),
    };
    // Root methods of the client: one per entity set or singleton a path starts from.
    let mut root_methods: BTreeMap<String, (TypeId, bool, String)> = BTreeMap::new();
    for path in &plan.selection.paths {
        let first_kind = if path.singleton {
            Kind::Item
        } else {
            Kind::Collection
        };
        root_methods.insert(
            path.set.clone(),
            (
                path.set_type,
                path.singleton,
                builder_name(plan, path.set_type, &first_kind),
            ),
        );
    }

    let names: Vec<String> = ctx.builders.keys().cloned().collect();
    let mut items = Vec::new();
    for name in names {
        items.push(emit_builder(&mut ctx, &name));
    }
    let roots = root_methods.iter().map(|(set, (_, singleton, builder))| {
        let method = ident(&snake(set));
        let b = format_ident!("{}", builder);
        let doc = format!(" `/{set}`{}", if *singleton { " (singleton)" } else { "" });
        if *singleton {
            quote! {
                #[doc = #doc]
                pub fn #method(&self) -> #b {
                    #b { client: self.client.clone(), path: runtime::ODataPath::root().segment(#set) }
                }
            }
        } else {
            quote! {
                #[doc = #doc]
                pub fn #method(&self) -> #b {
                    #b { client: self.client.clone(), parent: runtime::ODataPath::root(), segment: #set }
                }
            }
        }
    });
    let base_url = &client.base_url;
    let client_ident = format_ident!(
        "{}",
        if client.client_name.is_empty() {
            "GraphClient"
        } else {
            client.client_name.as_str()
        }
    );
    // Unbound operations, through action and function imports, are methods of the client.
    let mut used_roots: BTreeSet<String> = root_methods.keys().map(|s| snake(s)).collect();
    used_roots.extend(["builder", "new", "from_client", "client"].map(String::from));
    let mut import_methods = Vec::new();
    let root_templates: BTreeSet<String> = [String::new()].into_iter().collect();
    for c in &plan.model.containers {
        for import in &c.imports {
            for &op in &import.overloads {
                if plan.selection.operations.contains(&op) {
                    import_methods.push(operation_method(
                        &mut ctx,
                        op,
                        &import.name,
                        &quote!(runtime::ODataPath::root()),
                        &root_templates,
                        &mut used_roots,
                    ));
                }
            }
        }
    }
    let builder_doc = format!(
        " A client builder with this crate's defaults (base URL, user agent); set timeouts, retry policy, transport or scopes on it, then [`{client_ident}::from_client`]."
    );
    let builders_file = quote! {
        use super::models;
        #[allow(unused_imports)]
        use super::models::edm;
        use super::runtime;
        #[allow(unused_imports)]
        use super::runtime::{Method, Request};

        /// Entry point: a typed client for the service.
        #[derive(Clone, Debug)]
        pub struct #client_ident {
            client: runtime::Client,
        }

        impl #client_ident {
            /// The service root this crate was generated for.
            pub const DEFAULT_BASE_URL: &'static str = #base_url;

            #[doc = #builder_doc]
            pub fn builder(credential: impl runtime::TokenCredential + 'static) -> runtime::ClientBuilder {
                runtime::Client::builder(Self::DEFAULT_BASE_URL, credential)
                    .user_agent(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")))
            }

            /// A client with default settings.
            pub fn new(credential: impl runtime::TokenCredential + 'static) -> Result<Self, runtime::Error> {
                Ok(Self::from_client(Self::builder(credential).build()?))
            }

            /// Wraps a configured runtime client.
            pub fn from_client(client: runtime::Client) -> Self {
                Self { client }
            }

            /// The underlying runtime client.
            pub fn client(&self) -> &runtime::Client {
                &self.client
            }

            #(#roots)*

            #(#import_methods)*
        }

        /// The content (`$value`) of a media entity.
        #[derive(Clone, Debug)]
        pub struct MediaContentRequestBuilder {
            client: runtime::Client,
            path: runtime::ODataPath,
        }

        impl MediaContentRequestBuilder {
            /// Downloads the content (`GET .../$value`).
            pub fn get(&self) -> Request<runtime::Media> {
                Request::media(&self.client, Method::GET, self.path.clone())
            }

            /// Uploads the content (`PUT .../$value`) with its content type.
            pub fn put(&self, bytes: Vec<u8>, content_type: &str) -> Request<()> {
                Request::empty(&self.client, Method::PUT, self.path.clone()).bytes_body(bytes, content_type)
            }

            /// Deletes the content (`DELETE .../$value`).
            pub fn delete(&self) -> Request<()> {
                Request::empty(&self.client, Method::DELETE, self.path.clone())
            }
        }

        #(#items)*
    };
    let params = ctx.params.values();
    let params_file = quote! {
        //! Request bodies of actions with several parameters.
        #[allow(unused_imports)]
        use super::models;
        #[allow(unused_imports)]
        use super::models::edm;
        #(#params)*
    };
    Ok((builders_file, params_file))
}

#[allow(clippy::too_many_arguments)]
fn client_crate_files(
    plan: &Plan,
    first_request: Option<TokenStream>,
    info: &CrateInfo,
    client: &ClientInfo,
    client_ident: &proc_macro2::Ident,
    models_ident: &proc_macro2::Ident,
    builders_file: TokenStream,
    params_file: TokenStream,
) -> Result<Vec<OutputFile>> {
    let doc = format!(
        " Typed async request builders generated from `{}`, on `graph-odata-runtime`.",
        info.source
    );
    let start_doc = format!(
        " Start from [`{client_ident}`]; every request is a [`runtime::Request`] that `.await` sends, or that [`runtime::Request::build`] turns into an inspectable request."
    );
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
        pub use graph_odata_runtime as runtime;
    };
    let manifest = super::package::Manifest {
        info,
        name: &client.crate_name,
        description: format!(
            "Typed async request builders generated by csdl-codegen from {}",
            info.source
        ),
        keywords: &["odata", "microsoft-graph", "client", "async", "rest"],
        categories: &["api-bindings", "web-programming::http-client"],
        dependencies: vec![
            client.models_dependency.clone(),
            client.runtime_dependency.clone(),
            "serde = { version = \"1\", features = [\"derive\"] }".into(),
            "serde_json = \"1\"".into(),
        ],
        dev_dependencies: if client.examples.is_empty() {
            Vec::new()
        } else {
            vec!["tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\", \"time\"] }".into()]
        },
    };
    let cargo = manifest.render();
    let readme =
        super::package::client_readme(plan, info, &client.crate_name, client_ident, first_request)?;
    let examples = client
        .examples
        .iter()
        .map(|(name, source)| OutputFile::new(format!("examples/{name}"), source.clone()));
    Ok(examples
        .chain([
            OutputFile::new("Cargo.toml", cargo),
            OutputFile::new("README.md", readme),
            OutputFile::new(
                "src/builders.rs",
                render(info, builders_file, "src/builders.rs")?,
            ),
            OutputFile::new("src/lib.rs", render(info, lib, "src/lib.rs")?),
            OutputFile::new(
                "src/parameters.rs",
                render(info, params_file, "src/parameters.rs")?,
            ),
        ])
        .collect())
}

fn operations_for(plan: &Plan, ty: TypeId, collection: bool) -> Vec<OperationId> {
    let lineage = plan.model.lineage(ty);
    plan.selection
        .operations
        .iter()
        .copied()
        .filter(|id| {
            plan.model.operations[id.0]
                .binding
                .as_ref()
                .is_some_and(|b| {
                    b.collection == collection && b.type_id().is_some_and(|t| lineage.contains(&t))
                })
        })
        .collect()
}

fn emit_builder(ctx: &mut Ctx, name: &str) -> TokenStream {
    let plan = ctx.plan;
    let b = &ctx.builders[name];
    let b_ident = format_ident!("{}", name);
    let ty = plan.model.ty(b.ty);
    let templates = b.templates.clone();
    let type_doc = format!(
        " Requests for {} `{}`.",
        match &b.kind {
            Kind::Item => "one".to_string(),
            Kind::Collection => "the collection of".to_string(),
            Kind::Property(p) => format!("the property `{p}` of"),
        },
        ty.qualified_name()
    );
    let path_docs = templates.iter().map(|t| format!(" - `{t}`"));
    let mut methods: Vec<TokenStream> = Vec::new();
    let mut used: BTreeSet<String> = BTreeSet::new();
    let model_ty = if b.full {
        Some(element_type(
            plan,
            &TypeRef {
                collection: false,
                target: Target::Type(b.ty),
            },
        ))
    } else {
        None
    };
    let (fields, path_expr) = match b.kind {
        Kind::Collection => (
            quote!(client: runtime::Client, parent: runtime::ODataPath, segment: &'static str,),
            quote!(self.parent.segment(self.segment)),
        ),
        _ => (
            quote!(client: runtime::Client, path: runtime::ODataPath,),
            quote!(self.path.clone()),
        ),
    };
    match &b.kind {
        Kind::Item => {
            if let Some(t) = &model_ty {
                let update = paths::update_method(plan.model, b.ty);
                let get_doc = http_doc("GET", "", &templates);
                let upd_doc = http_doc(&update, "", &templates);
                let del_doc = http_doc("DELETE", "", &templates);
                let upd_method = format_ident!("{}", update);
                let upd_text = if update == "PUT" {
                    " Updates the entity with `PUT`, the update method the metadata (or the override file) declares for this type: send the whole entity."
                } else {
                    " Updates the entity with `PATCH`: only the properties that are set (and explicit nulls) are sent."
                };
                methods.push(quote! {
                    /// Reads the entity (`$select` and `$expand` take the field enum).
                    #get_doc
                    pub fn get(&self) -> Request<#t> {
                        Request::json(&self.client, Method::GET, #path_expr)
                    }
                    #[doc = #upd_text]
                    #upd_doc
                    pub fn update(&self, body: &#t) -> Request<()> {
                        Request::empty(&self.client, Method::#upd_method, #path_expr).json_body(body)
                    }
                    /// Deletes the entity.
                    #del_doc
                    pub fn delete(&self) -> Request<()> {
                        Request::empty(&self.client, Method::DELETE, #path_expr)
                    }
                });
                used.extend(["get", "update", "delete"].map(String::from));
                if update == "PUT" {
                    let doc = http_doc("PUT", "", &templates);
                    methods.push(quote! {
                        /// Replaces the entity (`PUT`).
                        #doc
                        pub fn replace(&self, body: &#t) -> Request<()> {
                            Request::empty(&self.client, Method::PUT, #path_expr).json_body(body)
                        }
                    });
                    used.insert("replace".into());
                }
                if ty.structured().is_some_and(|s| s.has_stream)
                    || plan
                        .model
                        .lineage(b.ty)
                        .iter()
                        .any(|t| plan.model.ty(*t).structured().is_some_and(|s| s.has_stream))
                {
                    let doc = http_doc("GET/PUT/DELETE", "/$value", &templates);
                    methods.push(quote! {
                        /// The media content of this entity.
                        #doc
                        pub fn content(&self) -> MediaContentRequestBuilder {
                            MediaContentRequestBuilder { client: self.client.clone(), path: #path_expr.segment("$value") }
                        }
                    });
                    used.insert("content".into());
                }
            }
            for (nav, (target, collection)) in &b.navs {
                let m = snake(nav);
                let method = ident(&m);
                used.insert(m);
                let doc = format!(" Navigation property `{nav}`.");
                if *collection {
                    let tb = format_ident!("{}", builder_name(plan, *target, &Kind::Collection));
                    methods.push(quote! {
                        #[doc = #doc]
                        pub fn #method(&self) -> #tb {
                            #tb { client: self.client.clone(), parent: #path_expr, segment: #nav }
                        }
                    });
                } else {
                    let tb = format_ident!("{}", builder_name(plan, *target, &Kind::Item));
                    methods.push(quote! {
                        #[doc = #doc]
                        pub fn #method(&self) -> #tb {
                            #tb { client: self.client.clone(), path: #path_expr.segment(#nav) }
                        }
                    });
                }
            }
            if b.full {
                for prop in paths::updatable_collections(plan.model, b.ty) {
                    let m = snake(&prop);
                    let method = ident(&m);
                    used.insert(m);
                    let tb = format_ident!(
                        "{}",
                        builder_name(plan, b.ty, &Kind::Property(prop.clone()))
                    );
                    let doc = format!(" The collection property `{prop}`.");
                    let dep = plan
                        .model
                        .all_properties(b.ty)
                        .into_iter()
                        .find(|(_, p)| p.name == prop)
                        .map(|(_, p)| deprecated_attr(&p.annotations))
                        .unwrap_or_default();
                    methods.push(quote! {
                        #[doc = #doc]
                        #dep
                        pub fn #method(&self) -> #tb {
                            #tb { client: self.client.clone(), path: #path_expr.segment(#prop) }
                        }
                    });
                }
                for op in operations_for(plan, b.ty, false) {
                    let name = plan.model.operations[op.0].name.clone();
                    methods.push(operation_method(
                        ctx, op, &name, &path_expr, &templates, &mut used,
                    ));
                }
            }
        }
        Kind::Collection => {
            let item = format_ident!("{}", builder_name(plan, b.ty, &Kind::Item));
            if let Some(t) = &model_ty {
                let list_doc = http_doc("GET", "", &templates);
                let count_doc = http_doc("GET", "/$count", &templates);
                let create_doc = http_doc("POST", "", &templates);
                methods.push(quote! {
                    /// Lists the collection; follow `@odata.nextLink` with `.into_stream()`.
                    #list_doc
                    pub fn list(&self) -> Request<runtime::Page<#t>> {
                        Request::page(&self.client, Method::GET, #path_expr)
                    }
                    /// Counts the collection (`$count`, sent with `ConsistencyLevel: eventual`).
                    #count_doc
                    pub fn count(&self) -> Request<u64> {
                        Request::dollar_count(&self.client, #path_expr)
                    }
                    /// Creates an entity in the collection and returns it as created.
                    #create_doc
                    pub fn create(&self, body: &#t) -> Request<#t> {
                        Request::json(&self.client, Method::POST, #path_expr).json_body(body)
                    }
                });
                used.extend(["list", "count", "create"].map(String::from));
            }
            let key = plan.model.key_of(b.ty);
            if key.len() > 1 {
                // Composite key: `/set(a=1,b='x')`, each part as its typed literal.
                let props = plan.model.all_properties(b.ty);
                let parts: Vec<_> = key
                    .iter()
                    .map(|k| {
                        let ty = props
                            .iter()
                            .find(|(_, p)| &p.name == k)
                            .map(|(_, p)| p.ty.clone());
                        (k.clone(), ty)
                    })
                    .collect();
                let args: Vec<_> = parts.iter().map(|(k, _)| ident(&snake(k))).collect();
                let arg_types = parts.iter().map(|(_, t)| key_arg_type(t.as_ref()));
                let literals = parts
                    .iter()
                    .zip(&args)
                    .map(|((_, t), a)| key_literal(t.as_ref(), a));
                let names: Vec<_> = key.iter().map(String::as_str).collect();
                let doc = format!(
                    " One entity of the collection by its composite key ({}).",
                    names.join(", ")
                );
                methods.push(quote! {
                    #[doc = #doc]
                    pub fn by_key(&self, #(#args: #arg_types),*) -> #item {
                        #item {
                            client: self.client.clone(),
                            path: self.parent.composite_key(self.segment, &[#((#names, #literals)),*]),
                        }
                    }
                });
                used.insert("by_key".into());
            } else {
                methods.push(quote! {
                    /// One entity of the collection by key; the key is percent-encoded as one path segment.
                    pub fn by_id(&self, id: impl AsRef<str>) -> #item {
                        #item { client: self.client.clone(), path: self.parent.segment(self.segment).key(id.as_ref()) }
                    }
                });
                used.insert("by_id".into());
            }
            for key in plan
                .model
                .lineage(b.ty)
                .iter()
                .flat_map(|t| plan.model.ty(*t).annotations.alternate_keys.clone())
            {
                let m = format!(
                    "by_{}",
                    key.parts
                        .iter()
                        .map(|(a, _)| snake(a))
                        .collect::<Vec<_>>()
                        .join("_and_")
                );
                if !used.insert(m.clone()) {
                    continue;
                }
                let method = ident(&m);
                let args: Vec<_> = key.parts.iter().map(|(a, _)| ident(&snake(a))).collect();
                let aliases: Vec<_> = key.parts.iter().map(|(a, _)| a.clone()).collect();
                let doc = format!(
                    " One entity by the alternate key `{}` (`{}(...)`); quotes are escaped OData-style.",
                    aliases.join(", "),
                    "segment"
                );
                methods.push(quote! {
                    #[doc = #doc]
                    pub fn #method(&self, #(#args: impl AsRef<str>),*) -> #item {
                        #item {
                            client: self.client.clone(),
                            path: self.parent.alternate_key(self.segment, &[#((#aliases, #args.as_ref())),*]),
                        }
                    }
                });
            }
            if b.full {
                for op in operations_for(plan, b.ty, true) {
                    let name = plan.model.operations[op.0].name.clone();
                    methods.push(operation_method(
                        ctx, op, &name, &path_expr, &templates, &mut used,
                    ));
                }
            }
        }
        Kind::Property(prop) => {
            let p = plan
                .model
                .all_properties(b.ty)
                .into_iter()
                .find(|(_, p)| &p.name == prop)
                .map(|(_, p)| p);
            if let Some(p) = p {
                let elem = element_type(plan, &p.ty);
                let method = format_ident!(
                    "{}",
                    p.annotations
                        .update_method
                        .clone()
                        .unwrap_or_else(|| "PUT".into())
                );
                let get_doc = http_doc("GET", "", &templates);
                let put_doc = http_doc(&method.to_string(), "", &templates);
                let count_doc = http_doc("GET", "/$count", &templates);
                let dep = deprecated_attr(&p.annotations);
                methods.push(quote! {
                    /// Reads the collection.
                    #get_doc
                    #dep
                    pub fn get(&self) -> Request<Vec<#elem>> {
                        Request::value(&self.client, Method::GET, self.path.clone())
                    }
                    /// Replaces the whole collection (sent as `{"value": [...]}`).
                    #put_doc
                    #dep
                    pub fn replace(&self, items: &[#elem]) -> Request<()> {
                        #[derive(serde::Serialize)]
                        struct Body<'a, T> { value: &'a [T] }
                        Request::empty(&self.client, Method::#method, self.path.clone()).json_body(&Body { value: items })
                    }
                    /// Counts the items (`$count`).
                    #count_doc
                    #dep
                    pub fn count(&self) -> Request<u64> {
                        Request::dollar_count(&self.client, self.path.clone())
                    }
                });
            }
        }
    }
    quote! {
        #[doc = #type_doc]
        #[doc = ""]
        #[doc = " Paths:"]
        #(#[doc = #path_docs])*
        #[derive(Clone, Debug)]
        pub struct #b_ident { #fields }

        impl #b_ident {
            #(#methods)*
        }
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

fn operation_method(
    ctx: &mut Ctx,
    id: OperationId,
    segment: &str,
    path_expr: &TokenStream,
    templates: &BTreeSet<String>,
    used: &mut BTreeSet<String>,
) -> TokenStream {
    let plan = ctx.plan;
    let op: &Operation = &plan.model.operations[id.0];
    let mut m = snake(segment);
    while !used.insert(m.clone()) {
        m.push_str("_op");
    }
    let method = ident(&m);
    let name = segment;
    let is_action = op.kind == OperationKind::Action;
    let http = if is_action { "POST" } else { "GET" };
    let suffix = if is_action {
        format!("/{name}")
    } else {
        format!("/{name}(...)")
    };
    let doc_http = http_doc(http, &suffix, templates);
    let kind = if is_action { "action" } else { "function" };
    // Parameter names that collide after snake case get the naming rule's suffixes; `self`
    // cannot be an argument name, so it is reserved.
    let names: Vec<&str> = op.parameters.iter().map(|p| p.name.as_str()).collect();
    let param_idents =
        crate::plan::naming::assign(&names, crate::plan::naming::Case::Snake, &["self"]);
    let bound = if op.binding.is_some() {
        "Bound"
    } else {
        "Unbound"
    };
    let docs = doc_lines(
        &op.annotations,
        &[format!("{bound} {kind} `{}`.", op.qualified_name())],
    );
    let deprecated = deprecated_attr(&op.annotations);
    let (ret_ty, ctor) = match &op.return_type {
        None => (quote!(()), quote!(empty)),
        Some(r) if r.ty.collection => {
            let e = element_type(plan, &r.ty);
            (quote!(runtime::Page<#e>), quote!(page))
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
    let http_method = format_ident!("{}", http);
    if !is_action {
        // Functions: parameters go into the URL as literals.
        let args: Vec<_> = op
            .parameters
            .iter()
            .map(|p| ident(&param_idents[&p.name].ident))
            .collect();
        let types: Vec<_> = op
            .parameters
            .iter()
            .map(|p| function_arg_type(plan, &p.ty))
            .collect();
        let wires: Vec<_> = op.parameters.iter().map(|p| p.name.as_str()).collect();
        let literals = op
            .parameters
            .iter()
            .zip(&args)
            .map(|(p, a)| function_literal(&p.ty, a));
        return quote! {
            #docs
            #doc_http
            #deprecated
            pub fn #method(&self, #(#args: #types),*) -> Request<#ret_ty> {
                let path = #path_expr.operation(#name, &[#((#wires, #literals)),*]);
                Request::#ctor(&self.client, Method::#http_method, path)
            }
        };
    }
    match op.parameters.len() {
        0 => quote! {
            #docs
            #doc_http
            #deprecated
            pub fn #method(&self) -> Request<#ret_ty> {
                Request::#ctor(&self.client, Method::POST, #path_expr.action(#name))
            }
        },
        1 => {
            let p = &op.parameters[0];
            let arg = ident(&snake(&p.name));
            let wire = &p.name;
            let (arg_ty, field_ty) = if p.ty.collection {
                let e = element_type(plan, &p.ty);
                (quote!(&[#e]), quote!(&'a [#e]))
            } else if p.ty.target == Target::Primitive(Primitive::String) {
                (quote!(&str), quote!(&'a str))
            } else {
                let e = element_type(plan, &p.ty);
                (quote!(&#e), quote!(&'a #e))
            };
            quote! {
                #docs
                #doc_http
                #deprecated
                pub fn #method(&self, #arg: #arg_ty) -> Request<#ret_ty> {
                    #[derive(serde::Serialize)]
                    struct Body<'a> {
                        #[serde(rename = #wire)]
                        value: #field_ty,
                    }
                    Request::#ctor(&self.client, Method::POST, #path_expr.action(#name)).json_body(&Body { value: #arg })
                }
            }
        }
        _ => {
            let struct_name = format!("{}Parameters", type_name(&op.name));
            let s_ident = format_ident!("{}", struct_name);
            let fields = op.parameters.iter().map(|p| {
                let f = ident(&param_idents[&p.name].ident);
                let wire = &p.name;
                let t = client_type(plan, &p.ty);
                let doc = format!(" Parameter `{wire}`.");
                quote! {
                    #[doc = #doc]
                    #[serde(rename = #wire, skip_serializing_if = "Option::is_none")]
                    pub #f: Option<#t>,
                }
            });
            let sdoc = format!(" Parameters of the action `{}`.", op.qualified_name());
            ctx.params.entry(struct_name).or_insert_with(|| {
                quote! {
                    #[doc = #sdoc]
                    #[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
                    pub struct #s_ident { #(#fields)* }
                }
            });
            quote! {
                #docs
                #doc_http
                #deprecated
                pub fn #method(&self, parameters: &super::parameters::#s_ident) -> Request<#ret_ty> {
                    Request::#ctor(&self.client, Method::POST, #path_expr.action(#name)).json_body(parameters)
                }
            }
        }
    }
}

fn key_arg_type(r: Option<&TypeRef>) -> TokenStream {
    match r.map(|r| &r.target) {
        Some(Target::Primitive(
            Primitive::Int16
            | Primitive::Int32
            | Primitive::Int64
            | Primitive::Byte
            | Primitive::SByte,
        )) => quote!(i64),
        Some(Target::Primitive(Primitive::Boolean)) => quote!(bool),
        _ => quote!(impl AsRef<str>),
    }
}

fn key_literal(r: Option<&TypeRef>, arg: &proc_macro2::Ident) -> TokenStream {
    match r.map(|r| &r.target) {
        Some(Target::Primitive(
            Primitive::Int16
            | Primitive::Int32
            | Primitive::Int64
            | Primitive::Byte
            | Primitive::SByte,
        )) => quote!(runtime::ODataLiteral::Int(#arg)),
        Some(Target::Primitive(Primitive::Boolean)) => quote!(runtime::ODataLiteral::Bool(#arg)),
        Some(Target::Primitive(Primitive::String)) | None => {
            quote!(runtime::ODataLiteral::String(#arg.as_ref().to_owned()))
        }
        // GUIDs, dates and other literals are written bare.
        _ => quote!(runtime::ODataLiteral::Raw(#arg.as_ref().to_owned())),
    }
}

fn function_arg_type(plan: &Plan, r: &TypeRef) -> TokenStream {
    match (&r.target, r.collection) {
        (Target::Primitive(Primitive::String), false) => quote!(&str),
        (Target::Primitive(Primitive::Boolean), false) => quote!(bool),
        (
            Target::Primitive(
                Primitive::Int32 | Primitive::Int16 | Primitive::Byte | Primitive::SByte,
            ),
            false,
        ) => quote!(i32),
        (Target::Primitive(Primitive::Int64), false) => quote!(i64),
        _ => {
            let t = client_type(plan, r);
            quote!(&#t)
        }
    }
}

fn function_literal(r: &TypeRef, arg: &proc_macro2::Ident) -> TokenStream {
    match (&r.target, r.collection) {
        (Target::Primitive(Primitive::String), false) => quote!(runtime::ODataLiteral::from(#arg)),
        (Target::Primitive(Primitive::Boolean), false) => quote!(runtime::ODataLiteral::Bool(#arg)),
        (
            Target::Primitive(
                Primitive::Int32 | Primitive::Int16 | Primitive::Byte | Primitive::SByte,
            ),
            false,
        ) => {
            quote!(runtime::ODataLiteral::Int(i64::from(#arg)))
        }
        (Target::Primitive(Primitive::Int64), false) => quote!(runtime::ODataLiteral::Int(#arg)),
        // Other values use their JSON form, which is the OData literal for enums and
        // structured values.
        _ => quote!(runtime::ODataLiteral::Raw(serde_json::to_string(#arg).unwrap_or_default())),
    }
}

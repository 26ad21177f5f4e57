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
use syn::ImplItem;

use super::model_impls::{reading_impls, ImplField, Keys};
use super::models::property_reader;
use super::request::{client_type, Methods, Owner};
use super::syntax::{
    borrow, call, derive, docs, field, field_of, field_with, impl_for, inherent_impl, lit_str,
    method_call, named_struct, parse_impl, path, path_expr, path_of, path_type, pub_super,
    self_expr, self_field, static_ref, with_args, wrapped,
};
use super::{
    cfg_any_attribute, format_part, ident, push_formatted, render, stream_parts, stream_written,
    Code, CrateInfo,
};
use crate::error::{did_you_mean, Error, ErrorKind, Result};
use crate::model::OperationId;
use crate::plan::client::{ClientPlan, Shared, SharedPlan};
use crate::plan::surface::{Builder, BuilderKind};
use crate::plan::Plan;
use crate::runtime_items;
use crate::settings::{ClientInfo, Dependency};
use crate::write::{OutputFile, PendingFile, TextSink};

/// The client crate's files.
pub fn client_crate(plan: &Plan, info: &CrateInfo, client: &ClientInfo) -> Result<Vec<OutputFile>> {
    PendingFile::all_into_output(client_files(plan, info, client)?)
}

/// The files of the client crate; `src/builders.rs`, the large one, is produced while it is
/// written.
pub(crate) fn client_files<'a>(
    plan: &'a Plan,
    info: &'a CrateInfo,
    client: &'a ClientInfo,
) -> Result<Vec<PendingFile<'a>>> {
    let cp = std::sync::Arc::new(ClientPlan::new(plan, client.client_name.as_deref()));
    let parts = super::chunks(cp.builders_by_name(), |i| {
        super::ITEM_BYTES + super::WEIGHT_BYTES * cp.methods[*i].len()
    });
    // A large surface is split into `src/builders/part_<n>.rs`, children of `builders`
    // (whose builders then construct each other through `pub(super)` fields).
    let chunked = parts.len() > 1;
    let r = Renderer {
        plan,
        cp: &cp,
        chunked,
    };
    let params_files = Renderer::parameters_files(plan, chunked, info, &cp)?;
    let first_request = r.methods().example();
    let client_ident = format_ident!("{}", cp.client_ident);
    let mut part_files = Vec::new();
    let part_count = if chunked { parts.len() } else { 0 };
    // Syntax trees are not `Send`: each file's head is built by the thread that writes it.
    let head = move |r: &Renderer| {
        let mut head = r.head(client, plan.model.graph);
        if part_count > 0 {
            let mods: Vec<_> = (1..=part_count)
                .map(|n| format_ident!("part_{n}"))
                .collect();
            head.push_tokens(quote! {
                // Methods name `super::parameters`, which from a part is this module's.
                #[allow(unused_imports)]
                use super::parameters;
                // A part may hold no builder the enabled features compile.
                #(mod #mods; #[allow(unused_imports)] pub use #mods::*;)*
            });
        }
        head
    };
    let builders = if chunked {
        for (n, part) in parts.into_iter().enumerate() {
            let path = format!("src/builders/part_{}.rs", n + 1);
            let head = |_: &Renderer| {
                Code::from(quote! {
                    #[allow(unused_imports)]
                    use super::*;
                })
            };
            part_files.push(builders_file(
                plan,
                info,
                cp.clone(),
                chunked,
                path,
                head,
                part,
            ));
        }
        Vec::new()
    } else {
        parts.into_iter().flatten().collect()
    };
    let builders_file = builders_file(
        plan,
        info,
        cp.clone(),
        chunked,
        "src/builders.rs".to_string(),
        head,
        builders,
    );
    let mut files = client_crate_files(
        plan,
        first_request,
        info,
        client,
        &client_ident,
        builders_file,
        params_files,
    )?;
    files.extend(part_files);
    Ok(files)
}

/// A file of builders (`src/builders.rs` or one of its parts): `head`, then `builders` in
/// order, produced while it is written.
fn builders_file<'a>(
    plan: &'a Plan,
    info: &'a CrateInfo,
    cp: std::sync::Arc<ClientPlan>,
    chunked: bool,
    path: String,
    head: impl FnOnce(&Renderer) -> Code + Send + 'a,
    builders: Vec<usize>,
) -> PendingFile<'a> {
    PendingFile::new(path.clone(), move |sink| {
        let r = Renderer {
            plan,
            cp: &cp,
            chunked,
        };
        let write = |i: &usize, sink: &mut dyn TextSink| r.write_builder(sink, *i, &path);
        stream_written(sink, info, head(&r), &builders, write, &path)
    })
}

/// The doc lines `first`, then, after an empty line, the line that says why a name was
/// renamed (if it was), as one run.
fn docs_then_renamed(first: &str, renamed: Option<&str>) -> Vec<syn::Attribute> {
    let mut lines = vec![first];
    if let Some(line) = renamed {
        lines.extend(["", line]);
    }
    docs(lines)
}

/// Methods printed at a time in the `impl` of a builder that has more
/// ([`Renderer::write_builder`]).
const METHODS_PER_PRINT: usize = 64;

/// Writes `imp` with `items` as its items, as the part after an item that ends at column 0
/// (a blank line first), printing [`METHODS_PER_PRINT`] items at a time: the text of the
/// `impl` printed whole, without its tree or its text ever being whole.
fn write_impl_in_slices(
    sink: &mut dyn TextSink,
    imp: syn::ItemImpl,
    items: impl Iterator<Item = ImplItem>,
    what: &str,
) -> Result<()> {
    let sliced = |reason: &str| {
        Error::new(
            ErrorKind::Internal,
            format!("internal error: the impl of {what} cannot be printed in slices: {reason}"),
        )
        .named(what)
    };
    // The `impl` without items prints its attributes and `impl T {}`; with items, the same
    // lines end `impl T {` and each item follows on lines of its own, then `}`.
    let empty = format_part(Code::from(syn::Item::Impl(imp.clone())), what)?;
    let mut head = empty
        .strip_suffix("{}\n")
        .ok_or_else(|| sliced("its empty form does not end with `{}`"))?
        .to_string();
    head.push_str("{\n");
    sink.push("\n")?;
    sink.push(&head)?;
    let mut items = items.peekable();
    while items.peek().is_some() {
        let slice = syn::ItemImpl {
            items: items.by_ref().take(METHODS_PER_PRINT).collect(),
            ..imp.clone()
        };
        let text = format_part(Code::from(syn::Item::Impl(slice)), what)?;
        let body = text
            .strip_prefix(head.as_str())
            .and_then(|t| t.strip_suffix("}\n"))
            .ok_or_else(|| sliced("a slice does not print between its head and `}`"))?;
        sink.push(body)?;
    }
    sink.push("}\n")
}

/// The code of the builders module and of the parameters module (for the single-file
/// output of build scripts).
pub(crate) fn client_code(plan: &Plan, client: &ClientInfo) -> Result<(Code, Code)> {
    let cp = ClientPlan::new(plan, client.client_name.as_deref());
    let r = Renderer {
        plan,
        cp: &cp,
        chunked: false,
    };
    let mut code = r.head(client, plan.model.graph);
    for i in cp.builders_by_name() {
        code.append(r.builder(i));
    }
    Ok((code, r.parameters_file()))
}

/// The `[[example]]` targets of the examples that need features (`required-features`),
/// each feature checked against the client's own: a misspelt one would leave the example
/// out of every build without a word.
fn example_targets(
    client: &ClientInfo,
    features: &[(String, Vec<String>)],
) -> Result<Vec<(String, Vec<String>)>> {
    let mut targets = Vec::new();
    for example in &client.examples {
        if example.required_features.is_empty() {
            continue;
        }
        for wanted in &example.required_features {
            if features.iter().any(|(name, _)| name == wanted) {
                continue;
            }
            let hint = if features.is_empty() {
                "; the client has no features (they come with Generator::area_features)".to_string()
            } else {
                did_you_mean(wanted, features.iter().map(|(name, _)| name.as_str()))
            };
            return Err(Error::new(
                ErrorKind::Config,
                format!(
                    "the example `{}` requires the feature `{wanted}`, which the client crate `{}` does not have{hint}",
                    example.file_name, client.crate_name
                ),
            )
            .named(wanted));
        }
        let name = example
            .file_name
            .strip_suffix(".rs")
            .filter(|stem| !stem.is_empty() && !stem.contains(['/', '\\']))
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Config,
                    format!(
                        "the example `{}` requires features, so it needs a Cargo target: name its file `<name>.rs` directly in `examples/`",
                        example.file_name
                    ),
                )
                .named(&example.file_name)
            })?;
        targets.push((name.to_string(), example.required_features.clone()));
    }
    Ok(targets)
}

fn client_crate_files<'a>(
    plan: &Plan,
    first_request: Option<TokenStream>,
    info: &CrateInfo,
    client: &ClientInfo,
    client_ident: &proc_macro2::Ident,
    builders_file: PendingFile<'a>,
    params_files: Vec<PendingFile<'a>>,
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
    let readme = super::readme_doc(plan);
    let lib = quote! {
        #![doc = #doc]
        //!
        #![doc = #start_doc]
        #![doc = ""]
        #readme
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
    let features = plan
        .features
        .as_ref()
        .map_or_else(Vec::new, |f| f.client_features(&info.crate_name));
    let manifest = super::package::Manifest {
        info,
        name: &client.crate_name,
        description: format!(
            "Typed async request builders generated by csdl-codegen from {}",
            info.source
        ),
        keywords: &["odata", "client", "async", "rest"],
        categories: &["api-bindings", "web-programming::http-client"],
        examples: example_targets(client, &features)?,
        features,
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
    let readme =
        super::package::client_readme(plan, info, &client.crate_name, client_ident, first_request)?;
    let examples = client
        .examples
        .iter()
        .map(|e| OutputFile::new(format!("examples/{}", e.file_name), e.source.clone()));
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
    files.extend(params_files);
    Ok(files)
}

/// Renders one client plan.
struct Renderer<'a, 'm> {
    plan: &'a Plan<'m>,
    cp: &'a ClientPlan,
    /// The builders are split over several files.
    chunked: bool,
}

impl Renderer<'_, '_> {
    fn methods(&self) -> Methods<'_, '_> {
        Methods {
            plan: self.plan,
            cp: self.cp,
        }
    }

    /// The client type, the shared builders and the imports. A client for Microsoft Graph
    /// (`graph`) says so to the runtime, which then sends Graph's advanced-query header.
    fn head(&self, client: &ClientInfo, graph: bool) -> Code {
        let graph_service = graph.then(|| quote!(.graph_service(true)));
        let rt_client = runtime_items::CLIENT.reexported();
        let rt_token_credential = runtime_items::TOKEN_CREDENTIAL.reexported();
        let rt_client_builder = runtime_items::CLIENT_BUILDER.reexported();
        let rt_error = runtime_items::ERROR.reexported();
        let mut root = runtime_items::ODATA_PATH.reexported_path();
        root.segments.push(format_ident!("root").into());
        let client_ident = format_ident!("{}", self.cp.client_ident);
        let base_url = &client.base_url;
        let owner = Owner {
            builder: None,
            path: call(root, []),
            prefix: "",
        };
        // Entries and operation imports are compiled with their area.
        let methods = self.cp.client_methods.iter().enumerate().map(|(i, m)| {
            let mut method = self.methods().method(m, &owner);
            let area = self
                .features()
                .map(|f| f.areas[f.client_method_area[i]].feature.as_str());
            if let Some(cfg) = super::syntax::cfg(area) {
                method.attrs.insert(0, cfg);
            }
            ImplItem::Fn(method)
        });
        let builder_doc = format!(
            " A client builder with this crate's defaults (base URL, user agent); set timeouts, retry policy, proxy, transport, scopes or a national cloud (`.national_cloud({}::UsGovL4)`) on it, then [`{client_ident}::from_client`].",
            runtime_items::NATIONAL_CLOUD.reexported_text()
        );
        let runtime_reexport = runtime_items::reexport_name();
        let imports = runtime_items::import_group(
            quote!(super::#runtime_reexport),
            &[runtime_items::METHOD, runtime_items::REQUEST],
        );
        // With area features, no enabled builder may name a model.
        let allow_models = if self.features().is_some() {
            quote!(#[allow(unused_imports)])
        } else {
            quote!()
        };
        let mut code = Code::from(quote! {
            #allow_models
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
        });
        // The fixed methods are parsed (once per crate), the requests built.
        let mut root_impl = parse_impl(quote! {
            impl #client_ident {
                /// The service root this crate was generated for.
                pub const DEFAULT_BASE_URL: &'static str = #base_url;

                #[doc = #builder_doc]
                pub fn builder(credential: impl #rt_token_credential + 'static) -> #rt_client_builder {
                    #rt_client::builder(Self::DEFAULT_BASE_URL, credential)
                        .user_agent(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")))
                        #graph_service
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
            }
        });
        root_impl.items.extend(methods);
        code.push(syn::Item::Impl(root_impl));
        for s in &self.cp.shared {
            code.append(self.shared(s));
        }
        code
    }

    /// A shared builder (raw content, `$ref` links) and its methods.
    fn shared(&self, s: &SharedPlan) -> Code {
        let doc = match s.kind {
            Shared::Media => " Raw content: the `$value` of a media entity, or a stream property.",
            Shared::References => {
                " The links (`$ref`) of a collection-valued navigation property to existing entities."
            }
            Shared::Reference => {
                " The link (`$ref`) of a single-valued navigation property to an existing entity."
            }
        };
        let owner = Owner {
            builder: None,
            path: method_call(self_field("path"), "clone", []),
            prefix: "...",
        };
        let methods = s.methods.iter().map(|m| self.methods().method(m, &owner));
        self.builder_items(
            vec![super::syntax::doc(doc)],
            s.ident,
            false,
            false,
            methods,
        )
    }

    /// A builder's struct (`client` and its path: `path`, or for a collection `parent`
    /// and `segment`, `pub(super)` when the builders are split over files) and its `impl`.
    fn builder_items(
        &self,
        attrs: Vec<syn::Attribute>,
        name: &str,
        collection: bool,
        chunked: bool,
        methods: impl Iterator<Item = syn::ImplItemFn>,
    ) -> Code {
        let (item, mut imp) = self.builder_struct(attrs, name, collection, chunked);
        imp.items = methods.map(ImplItem::Fn).collect();
        let mut code = Code::from(item);
        code.push(syn::Item::Impl(imp));
        code
    }

    /// A builder's struct, and its `impl` without items.
    fn builder_struct(
        &self,
        mut attrs: Vec<syn::Attribute>,
        name: &str,
        collection: bool,
        chunked: bool,
    ) -> (syn::Item, syn::ItemImpl) {
        let vis = || {
            if chunked {
                pub_super()
            } else {
                syn::Visibility::Inherited
            }
        };
        let runtime_type = |item: runtime_items::RuntimeItem| path_type(item.reexported_path());
        let field = |name: &str, ty| field_with(Vec::new(), vis(), format_ident!("{name}"), ty);
        let mut fields = vec![field("client", runtime_type(runtime_items::CLIENT))];
        if collection {
            fields.push(field("parent", runtime_type(runtime_items::ODATA_PATH)));
            fields.push(field("segment", static_ref(path_type(path_of(&["str"])))));
        } else {
            fields.push(field("path", runtime_type(runtime_items::ODATA_PATH)));
        }
        attrs.push(derive(&["Clone", "Debug"]));
        let b_ident = format_ident!("{}", name);
        let item = named_struct(attrs, b_ident.clone(), fields);
        let self_ty = path_type(path([b_ident]));
        let syn::Item::Impl(imp) = inherent_impl(Vec::new(), self_ty, Vec::new()) else {
            unreachable!("inherent_impl makes an impl")
        };
        (item, imp)
    }

    /// One builder type and its methods.
    fn builder(&self, index: usize) -> Code {
        let (mut code, mut imp, methods) = self.builder_parts(index);
        imp.items = methods.map(ImplItem::Fn).collect();
        code.push(syn::Item::Impl(imp));
        code
    }

    /// Writes builder `index` as [`Renderer::builder`] prints it, one part of the file
    /// (after a blank line). A builder of many methods is printed [`METHODS_PER_PRINT`]
    /// methods at a time, each method built just before it is printed, so its syntax tree
    /// and its text are never whole (Graph's `EntityRequestBuilder` has 855 methods, 300 KB
    /// of text; its tree made the peak memory of `--all --client-out`). The printed
    /// methods of an `impl` do not depend on each other (prettyplease ends each with a
    /// hard break at the same indentation), so the `impl` printed in slices is the same
    /// text, which `methods_printed_in_slices_are_the_whole_impl` checks.
    fn write_builder(&self, sink: &mut dyn TextSink, index: usize, what: &str) -> Result<()> {
        if self.cp.methods[index].len() <= METHODS_PER_PRINT {
            return push_formatted(sink, &format_part(self.builder(index), what)?);
        }
        let (code, imp, methods) = self.builder_parts(index);
        push_formatted(sink, &format_part(code, what)?)?;
        write_impl_in_slices(sink, imp, methods.map(ImplItem::Fn), what)
    }

    /// One builder's parts: its struct, its `impl` without items, and its methods, made as
    /// they are taken.
    fn builder_parts(
        &self,
        index: usize,
    ) -> (
        Code,
        syn::ItemImpl,
        impl Iterator<Item = syn::ImplItemFn> + '_,
    ) {
        let b: &Builder = &self.cp.surface.builders[index];
        let b_ident = self.cp.builder_ident(index);
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
        let collection = b.kind == BuilderKind::Collection;
        let path = if collection {
            method_call(self_field("parent"), "segment", [self_field("segment")])
        } else {
            method_call(self_field("path"), "clone", [])
        };
        let owner = Owner {
            builder: Some(index),
            path,
            prefix: "",
        };
        // A method that opens a builder of another area is compiled with that area, a bound
        // operation with the areas that own the builder.
        let methods = self.cp.methods[index].iter().map(move |m| {
            let mut method = self.methods().method(m, &owner);
            if let Some(f) = self.features() {
                let needs = f
                    .method_features(index, m)
                    .into_iter()
                    .filter_map(cfg_any_attribute);
                method.attrs.splice(0..0, needs);
            }
            method
        });
        let docs = super::syntax::docs(docs.iter().map(String::as_str));
        let areas = self
            .features()
            .and_then(|f| cfg_any_attribute(f.builder_features(index)));
        let (code, imp) = self.builder_struct(docs, b_ident, collection, self.chunked);
        let mut imp = syn::Item::Impl(imp);
        if let Some(attr) = &areas {
            super::syntax::gate(&mut imp, attr.clone());
        }
        let syn::Item::Impl(imp) = imp else {
            unreachable!("an impl was made")
        };
        (Code::from(code).gated(areas), imp, methods)
    }

    /// The area features, when the crate has them.
    fn features(&self) -> Option<&crate::plan::features::FeaturePlan> {
        self.plan.features.as_ref()
    }

    /// `src/parameters.rs`, split like the builders when its estimated text is over the
    /// file size (`src/parameters/part_<n>.rs`, re-exported, so `parameters::X` names a
    /// struct wherever it is).
    fn parameters_files<'a>(
        plan: &'a Plan,
        chunked: bool,
        info: &'a CrateInfo,
        cp: &std::sync::Arc<ClientPlan>,
    ) -> Result<Vec<PendingFile<'a>>> {
        let ops: Vec<OperationId> = cp.parameters.keys().copied().collect();
        let parts = super::chunks(ops, |op| {
            2 * super::ITEM_BYTES + super::WEIGHT_BYTES * cp.parameters[op].fields.len()
        });
        // Each file is produced by the thread that writes it, one struct at a time.
        let file = |path: String, ops: Vec<OperationId>, head: bool| {
            let cp = cp.clone();
            PendingFile::new(path.clone(), move |sink| {
                let r = Renderer {
                    plan,
                    cp: &cp,
                    chunked,
                };
                let head = if head {
                    Code::from(Renderer::parameters_head())
                } else {
                    Code::from(quote! {
                        #[allow(unused_imports)]
                        use super::*;
                    })
                };
                stream_parts(sink, info, head, &ops, |op| r.parameter_struct(op), &path)
            })
        };
        if parts.len() < 2 {
            let ops = parts.into_iter().flatten().collect();
            return Ok(vec![file("src/parameters.rs".to_string(), ops, true)]);
        }
        let head = Self::parameters_head();
        let mods: Vec<_> = (1..=parts.len())
            .map(|n| format_ident!("part_{n}"))
            .collect();
        let main = quote! {
            #head
            // A part may hold no struct the enabled features compile.
            #(mod #mods; #[allow(unused_imports)] pub use #mods::*;)*
        };
        let mut files = vec![PendingFile::ready(OutputFile::new(
            "src/parameters.rs",
            render(info, main, "src/parameters.rs")?,
        ))];
        for (n, part) in parts.into_iter().enumerate() {
            files.push(file(
                format!("src/parameters/part_{}.rs", n + 1),
                part,
                false,
            ));
        }
        Ok(files)
    }

    /// The parameters module: one struct per action overload with several parameters,
    /// read and written like a model: a member is matched whatever its ASCII case (Graph
    /// documents camelCase bodies for PascalCase parameters and accepts both), a primitive
    /// that does not fit is kept verbatim, and members the action does not declare are kept
    /// in `additional_properties` and sent back.
    fn parameters_file(&self) -> Code {
        let head = Self::parameters_head();
        let structs = self
            .cp
            .parameters
            .keys()
            .map(|op_id| self.parameter_struct(op_id));
        let mut code = Code::from(head);
        for s in structs {
            code.append(s);
        }
        code
    }

    /// The top of `src/parameters.rs`: its doc and the imports its structs use.
    fn parameters_head() -> TokenStream {
        quote! {
            //! Request bodies of actions with several parameters.
            #[allow(unused_imports)]
            use super::models;
            #[allow(unused_imports)]
            use super::models::edm;
        }
    }

    /// One parameters struct with its `Serialize` and reading impls: the struct and
    /// `Serialize` built, the reading impls (shared with the models) still parsed.
    fn parameter_struct(&self, op_id: &crate::model::OperationId) -> Code {
        let plan = self.plan;
        let s = &self.cp.parameters[op_id];
        let op = &plan.model.operations[op_id.0];
        let s_ident = format_ident!("{}", s.ident);
        let fields = s.fields.iter().map(|p| {
            let doc_text = if p.optional {
                format!(" Parameter `{}` (optional).", p.wire)
            } else {
                format!(" Parameter `{}`.", p.wire)
            };
            let renamed = p
                .collided_with
                .as_ref()
                .map(|plain| format!(" Named `{}` because `{plain}` is taken here.", p.ident));
            let attrs = docs_then_renamed(&doc_text, renamed.as_deref());
            field(
                attrs,
                ident(&p.ident),
                wrapped("Option", client_type(plan, &p.ty)),
            )
        });
        let json = |name: &str| path_type(path_of(&["serde_json", name]));
        let map = with_args(
            path_of(&["serde_json", "Map"]),
            [path_type(path_of(&["String"])), json("Value")],
        );
        let extra = field(
            docs([
                " Members the action does not declare, and values that did not fit",
                " their parameter's type, kept verbatim and sent back as they are.",
            ]),
            format_ident!("additional_properties"),
            path_type(map),
        );
        let writes = s.fields.iter().map(|p| {
            let value = borrow(field_of(self_expr(), ident(&p.ident)));
            let object = path_expr(path_of(&["object"]));
            syn::Stmt::Expr(
                method_call(object, "property", [lit_str(&p.wire), value]),
                Some(Default::default()),
            )
        });
        // An action's parameters struct has two or more fields, so it is never empty.
        let readers: Vec<ImplField> = s
            .fields
            .iter()
            .map(|p| ImplField {
                wire: &p.wire,
                ident: &p.ident,
                reader: property_reader(plan, &p.ty),
                cfg: None,
            })
            .collect();
        let reading = reading_impls(&s_ident, &readers, Keys::IgnoreAsciiCase);
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
            format!(
                " Named `{}` because `{plain}` is the name of another action's parameters.",
                s.ident
            )
        });
        let mut attrs = docs_then_renamed(&sdoc, renamed.as_deref());
        attrs.push(derive(&["Debug", "Clone", "PartialEq", "Default"]));
        let mut code = Code::from(named_struct(attrs, s_ident.clone(), fields.chain([extra])));
        code.push(syn::Item::Impl(self.serialize_impl(s_ident, writes)));
        for item in reading {
            code.push(syn::Item::Impl(item));
        }
        // The struct and its impls are compiled with any area whose requests send it.
        let cfg = self.features().and_then(|f| {
            cfg_any_attribute(
                f.parameter_areas
                    .get(op_id)
                    .into_iter()
                    .flatten()
                    .map(|a| f.areas[*a].feature.as_str()),
            )
        });
        code.gated(cfg)
    }

    /// `impl serde::Serialize` of a parameters struct: the same for every struct but its
    /// `writes` (one `object.property(...)` per field), which go after the first line.
    fn serialize_impl(
        &self,
        s_ident: proc_macro2::Ident,
        writes: impl Iterator<Item = syn::Stmt>,
    ) -> syn::ItemImpl {
        let object_serializer = runtime_items::OBJECT_SERIALIZER.path();
        let mut item = impl_for(
            "client.parameters_serialize",
            path_type(path([s_ident])),
            || {
                quote! {
                    impl serde::Serialize for Parameters {
                        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                            let mut object = #object_serializer::with_type(serializer, &self.additional_properties, None)?;
                            object.end()
                        }
                    }
                }
            },
        );
        match item.items.first_mut() {
            Some(ImplItem::Fn(f)) => {
                f.block.stmts.splice(1..1, writes);
            }
            _ => unreachable!("the template is one function"),
        }
        item
    }
}

#[cfg(test)]
mod tests {
    use quote::format_ident;

    use super::*;

    /// An `impl` of more methods than one print takes, written in slices after its
    /// struct, is the text of the two printed whole: with long `cfg` attributes that wrap,
    /// methods with docs, with signatures that wrap and without a body.
    #[test]
    fn methods_printed_in_slices_are_the_whole_impl() {
        let features: Vec<String> = (0..12).map(|i| format!("area-number-{i}")).collect();
        let gate: syn::Attribute = syn::parse_quote!(#[cfg(any(#(feature = #features),*))]);
        let structure: syn::Item = syn::parse_quote! {
            #gate
            /// A builder.
            pub struct LongNamedRequestBuilder {
                client: runtime::Client,
            }
        };
        let imp: syn::ItemImpl = syn::parse_quote! {
            #gate
            impl LongNamedRequestBuilder {}
        };
        let methods = (0..METHODS_PER_PRINT * 2 + 3).map(|i| -> ImplItem {
            let name = format_ident!("method_number_{i}");
            let arg = format_ident!("{}", "argument_with_a_long_name_".repeat(i % 4 + 1));
            match i % 3 {
                0 => syn::parse_quote! {
                    /// Reads it.
                    ///
                    /// HTTP: `GET /things/{id}`
                    pub fn #name(&self, #arg: &str) -> Request<models::Thing> {
                        Request::json(&self.client, Method::GET, self.path.clone())
                    }
                },
                1 => syn::parse_quote! {
                    #[cfg(feature = "other")]
                    pub fn #name(&self) {}
                },
                _ => syn::parse_quote! {
                    pub fn #name(&self, #arg: impl AsRef<str>, second: u32) -> ThingRequestBuilder {
                        ThingRequestBuilder { client: self.client.clone(), path: self.path.clone().segment("x") }
                    }
                },
            }
        });
        let mut whole_code = Code::from(structure.clone());
        whole_code.push(syn::Item::Impl(syn::ItemImpl {
            items: methods.clone().collect(),
            ..imp.clone()
        }));
        let mut whole = String::new();
        push_formatted(&mut whole, &format_part(whole_code, "test.rs").unwrap()).unwrap();
        let mut sliced = String::new();
        push_formatted(
            &mut sliced,
            &format_part(Code::from(structure), "test.rs").unwrap(),
        )
        .unwrap();
        write_impl_in_slices(&mut sliced, imp, methods, "test.rs").unwrap();
        assert!(whole.contains("    pub fn method_number_130("), "{whole}");
        assert_eq!(sliced, whole);
    }
}

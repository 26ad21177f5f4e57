//! Structs for entity and complex types, their field constants, and type definitions.

use quote::{format_ident, quote};
use syn::Attribute;

use super::docs::{deprecated_attribute, doc_attributes};
use super::model_impls::{model_impls, ImplField};
use super::syntax::{self, path_of, path_type};
use super::{ident, Code};
use crate::model::{Target, TypeId, TypeKind, TypeRef};
use crate::plan::{FieldKind, FieldPlan, Plan, RustType};
use crate::runtime_items;

/// Structs (and their field constants) for `ids`, in order.
/// The struct of `id` with its impls and companion enums.
pub(super) fn structure(plan: &Plan, module: usize, id: TypeId, piece: Piece) -> Code {
    match piece {
        Piece::Type => one_struct(plan, module, id),
        Piece::Any(part) => any_enum(plan, module, id, part),
    }
}

/// What of a type one part of its file holds. A polymorphic base's `Any<Base>` enum comes
/// in several parts (the enum, chunks of its `as_*` methods and `From` conversions,
/// serialization, deserialization), each built only when it is formatted: for Graph's `entity` the enum
/// has about a thousand variants, and one part per concern would be hundreds of kilobytes of
/// code held as tokens and syntax tree at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Piece {
    /// The type itself.
    Type,
    /// A part of its `Any<Base>` enum.
    Any(AnyPart),
}

/// The parts of an `Any<Base>` enum, in file order. `Enum` is the enum with what concerns
/// the base type; `Methods` and `Conversions` cover the derived types of one chunk
/// ([`ANY_CHUNK`] of them, by index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AnyPart {
    Enum,
    Methods(usize),
    Conversions(usize),
    Serialize,
    Deserialize,
}

/// Derived types per `Methods` or `Conversions` part: one `impl` block each.
const ANY_CHUNK: usize = 128;

impl AnyPart {
    /// Every part of an `Any<Base>` enum over `derived` derived types, in file order.
    pub(crate) fn all(derived: usize) -> Vec<AnyPart> {
        let chunks = derived.div_ceil(ANY_CHUNK).max(1);
        let mut parts = vec![AnyPart::Enum];
        parts.extend((0..chunks).map(AnyPart::Methods));
        parts.extend((0..chunks).map(AnyPart::Conversions));
        parts.extend([AnyPart::Serialize, AnyPart::Deserialize]);
        parts
    }
}

fn type_label(plan: &Plan, r: &TypeRef) -> String {
    let inner = match &r.target {
        Target::Primitive(p) => p.edm_name(),
        Target::Type(id) => plan.model.ty(*id).qualified_name(),
    };
    if r.collection {
        ["Collection(", &inner, ")"].concat()
    } else {
        inner
    }
}

fn field_doc(plan: &Plan, id: TypeId, f: &FieldPlan) -> Vec<Attribute> {
    let (annotations, what) = match f.kind {
        FieldKind::Property(p) => {
            let mut facts = vec![["`", &type_label(plan, &f.ty), "`"].concat()];
            if !p.nullable {
                facts.push("not nullable".into());
            }
            if let Some(d) = &p.default_value {
                facts.push(format!("default `{}`", super::sanitize(d)));
            }
            if p.annotations.computed {
                facts.push("computed by the service (read-only)".into());
            }
            (
                &p.annotations,
                ["Property `", f.wire, "`: ", &facts.join(", "), "."].concat(),
            )
        }
        FieldKind::Navigation(n) => {
            let mut facts = vec![["`", &type_label(plan, &f.ty), "`"].concat()];
            if n.contains_target {
                facts.push("contained".into());
            }
            (
                &n.annotations,
                [
                    "Navigation property `",
                    f.wire,
                    "`: ",
                    &facts.join(", "),
                    "; present when expanded (`$expand`).",
                ]
                .concat(),
            )
        }
    };
    let mut extra = vec![what];
    if f.declared_in != id {
        extra.push(
            [
                "Inherited from `",
                &plan.model.ty(f.declared_in).qualified_name(),
                "`.",
            ]
            .concat(),
        );
    }
    if let Some(plain) = &f.collided_with {
        extra.push(format!(
            "Named `{}` because `{plain}` is taken by another property of this type.",
            f.ident
        ));
    }
    let mut attrs = doc_attributes(annotations, &extra);
    attrs.extend(deprecated_attribute(annotations));
    attrs
}

/// The feature a navigation field needs when its target has another home
/// (`plan::features`): without it, an expanded navigation stays in `additional_properties`.
fn field_feature<'p>(plan: &'p Plan, id: TypeId, f: &FieldPlan) -> Option<&'p str> {
    let features = plan.features.as_ref()?;
    match f.kind {
        FieldKind::Navigation(_) => features.other_home(id, f.ty.type_id()?),
        FieldKind::Property(_) => None,
    }
}

/// The feature of derived type `derived` in `Any<base>`, when it has another home.
fn variant_feature<'p>(plan: &'p Plan, base: TypeId, derived: TypeId) -> Option<&'p str> {
    plan.features.as_ref()?.other_home(base, derived)
}

fn one_struct(plan: &Plan, module: usize, id: TypeId) -> Code {
    let ty = plan.model.ty(id);
    let s = ty
        .structured()
        .expect("only structured types are passed here");
    let name = plan.name(id);
    let struct_ident = format_ident!("{}", name.ident);
    let types = RustType::new(plan, module);
    let fields = &plan.fields[&id];

    let kind = if ty.is_entity() {
        "CSDL entity type `"
    } else {
        "CSDL complex type `"
    };
    let mut facts = vec![[kind, &ty.qualified_name(), "`"].concat()];
    if let Some(base) = s.base {
        facts.push(["base type `", &plan.model.ty(base).qualified_name(), "`"].concat());
    }
    if s.is_abstract {
        facts.push("abstract".into());
    }
    if s.open {
        facts.push("open type: dynamic properties land in `additional_properties`".into());
    }
    if s.has_stream {
        facts.push("media entity (has a stream)".into());
    }
    if ty.is_entity() {
        let key = plan.model.key_of(id);
        if !key.is_empty() {
            facts.push(["key `", &key.join(", "), "`"].concat());
        }
    }
    let mut extra = vec![[&facts.join("; "), "."].concat()];
    if let Some(plain) = &name.collided_with {
        extra.push(format!(
            "Named `{}` because `{plain}` is taken by another type of this namespace.",
            name.ident
        ));
    }
    let mut attrs = doc_attributes(&ty.annotations, &extra);
    attrs.extend(deprecated_attribute(&ty.annotations));

    let cfgs: Vec<Option<Attribute>> = fields
        .iter()
        .map(|f| syntax::cfg(field_feature(plan, id, f)))
        .collect();
    // With fields left out by features, what reads and writes them may go unused.
    let allow_unused = cfgs.iter().any(Option::is_some).then(|| {
        syntax::list_attr(
            "allow",
            quote!(
                unused_mut,
                unused_variables,
                unused_imports,
                clippy::match_single_binding
            ),
        )
    });
    let declaration = declaration(plan, id, attrs, &struct_ident, &types);
    let impl_fields: Vec<ImplField> = fields
        .iter()
        .zip(cfgs)
        .map(|(field, cfg)| ImplField {
            wire: field.wire,
            ident: &field.ident,
            reader: property_reader(plan, &field.ty),
            cfg,
        })
        .collect();
    let odata_type = ["#", &ty.qualified_name()].concat();
    let field_enum = if fields.is_empty() {
        Code::default()
    } else {
        field_enum(plan, id, &struct_ident, fields)
    };

    let mut code = Code::from(declaration);
    for item in model_impls(&struct_ident, &odata_type, &impl_fields, allow_unused) {
        code.push(item);
    }
    code.append(field_enum);
    code
}

/// `pub struct <Name> { ... }`: a documented `Option` field per property (gated by its
/// feature), then `additional_properties`.
fn declaration(
    plan: &Plan,
    id: TypeId,
    mut attrs: Vec<Attribute>,
    struct_ident: &proc_macro2::Ident,
    types: &RustType,
) -> syn::Item {
    attrs.push(syntax::derive(&["Debug", "Clone", "PartialEq", "Default"]));
    let fields = plan.fields[&id].iter().map(|f| {
        let mut attrs = field_doc(plan, id, f);
        attrs.extend(syntax::cfg(field_feature(plan, id, f)));
        let value = types.value_type(&f.ty, f.boxed);
        syntax::field(attrs, ident(&f.ident), syntax::wrapped("Option", value))
    });
    let json = |name| path_type(path_of(&["serde_json", name]));
    let map = syntax::with_args(
        path_of(&["serde_json", "Map"]),
        [path_type(path_of(&["String"])), json("Value")],
    );
    let additional = syntax::field(
        syntax::docs([
            " Properties the metadata does not declare and instance annotations",
            " (`@odata.type`, `@odata.etag`, ...), kept verbatim. An entry `\"name\": null`",
            " for an unset declared property sends an explicit JSON `null`.",
        ]),
        ident("additional_properties"),
        path_type(map),
    );
    syntax::named_struct(attrs, struct_ident.clone(), fields.chain([additional]))
}

/// The runtime function that reads a property of type `ty`: primitive values (and type
/// definitions) leniently, a value that does not fit kept raw; structured and enumeration
/// values must have the right shape. Both keep an explicit `null`.
pub(super) fn property_reader(plan: &Plan, ty: &TypeRef) -> runtime_items::RuntimeItem {
    let primitive = match &ty.target {
        Target::Primitive(_) => true,
        Target::Type(t) => matches!(plan.model.ty(*t).kind, TypeKind::Definition(_)),
    };
    if primitive {
        runtime_items::READ_LENIENT
    } else {
        runtime_items::READ_NULLABLE
    }
}

/// The doc lines of a field type or `Any` enum the collision rule renamed.
fn renamed_companion(ident: &str, plain: Option<&str>) -> Vec<Attribute> {
    match plain {
        Some(plain) => syntax::docs([
            "",
            &format!(" Named `{ident}` because `{plain}` is taken in this module."),
        ]),
        None => Vec::new(),
    }
}

/// `Any<Base>`: a value of a polymorphic base, read by `@odata.type`. Everything that grows
/// with the derived types (variants, match arms, methods, conversions) is built as syntax
/// trees; the few items of a fixed shape that name the base are tokens, parsed once per base.
fn any_enum(plan: &Plan, module: usize, base: TypeId, part: AnyPart) -> Code {
    let name = plan.name(base);
    let any_ident = format_ident!("{}", name.any_enum.clone().unwrap_or_default());
    let base_ident = format_ident!("{}", name.ident);
    let all = &plan.polymorphic[&base];
    // Each part renders only its derived types: a chunk of methods or conversions, or all.
    let range = match part {
        AnyPart::Methods(chunk) | AnyPart::Conversions(chunk) => chunk_range(chunk, all.len()),
        AnyPart::Enum | AnyPart::Serialize | AnyPart::Deserialize => 0..all.len(),
    };
    let derived = &all[range.clone()];
    // Variant and method names come from the plan.
    let names = &plan.any[&base].variants[range];
    let variants: Vec<_> = names.iter().map(|(v, _)| format_ident!("{}", v)).collect();
    let paths: Vec<syn::Path> = derived
        .iter()
        .map(|&id| {
            let n = plan.name(id);
            let ident = format_ident!("{}", n.ident);
            if n.module == module {
                syntax::path([ident])
            } else {
                let m = format_ident!("{}", plan.modules[n.module].ident);
                syntax::path([format_ident!("super"), format_ident!("super"), m, ident])
            }
        })
        .collect();
    // A derived type of another home is a variant only with its feature; without it, its
    // values are read as the base.
    let cfgs: Vec<Option<Attribute>> = derived
        .iter()
        .map(|&d| syntax::cfg(variant_feature(plan, base, d)))
        .collect();
    let gated = cfgs.iter().any(Option::is_some);
    // Attributes of the item or arm of derived type `i`: its `cfg`, after `first`.
    let with_cfg = |i: usize, first: Option<Attribute>| -> Vec<Attribute> {
        first.into_iter().chain(cfgs[i].clone()).collect()
    };
    let variant_path = |v: &proc_macro2::Ident| syntax::path([format_ident!("Self"), v.clone()]);
    let any_ty = || path_type(syntax::path([any_ident.clone()]));
    let mut code = Code::default();
    match part {
        AnyPart::Enum => {
            let doc = format!(
                " A `{}` value: the base type or one of its derived types, chosen by `@odata.type`. A derived type this crate does not know is read as [`{base_ident}`], which keeps its properties and `@odata.type` in `additional_properties`.",
                plan.model.ty(base).qualified_name()
            );
            let mut attrs = vec![syntax::doc(&doc)];
            attrs.extend(renamed_companion(
                &any_ident.to_string(),
                name.any_enum_collided.as_deref(),
            ));
            attrs.push(syntax::derive(&["Debug", "Clone", "PartialEq"]));
            let boxed = |p: &syn::Path| syntax::wrapped("Box", path_type(p.clone()));
            let base_variant = syntax::variant(
                vec![syntax::doc(
                    " The base type itself, or a derived type unknown to this crate.",
                )],
                base_ident.clone(),
                Some(boxed(&syntax::path([base_ident.clone()]))),
            );
            let derived_variants = derived.iter().enumerate().map(|(i, &d)| {
                let doc = [" `", &plan.model.ty(d).qualified_name(), "`"].concat();
                let attrs = with_cfg(i, Some(syntax::doc(&doc)));
                syntax::variant(attrs, variants[i].clone(), Some(boxed(&paths[i])))
            });
            code.push(syntax::enumeration(
                attrs,
                any_ident.clone(),
                std::iter::once(base_variant).chain(derived_variants),
            ));

            let as_base = format_ident!("{}", plan.any[&base].base_method);
            let as_base_doc = format!(
                " The value if it is a plain [`{base_ident}`] (or of an unknown derived type)."
            );
            // A `_` arm after the base's may cover nothing when every variant is left out.
            let allow_unreachable = if gated {
                quote!(#[allow(unreachable_patterns)])
            } else {
                quote!()
            };
            let mut methods = syntax::parse_impl(quote! {
                impl #any_ident {
                    /// The `@odata.type` of the variant (the base type's for unknown derived types).
                    pub fn odata_type(&self) -> &'static str {
                        match self {
                            Self::#base_ident(_) => #base_ident::ODATA_TYPE,
                        }
                    }

                    #[doc = #as_base_doc]
                    #allow_unreachable
                    pub fn #as_base(&self) -> Option<&#base_ident> {
                        match self {
                            Self::#base_ident(value) => Some(value),
                            _ => None,
                        }
                    }
                }
            });
            let arms = (0..derived.len()).map(|i| {
                let pat = syntax::tuple_pat(variant_path(&variants[i]), syntax::wild_pat());
                let mut odata_type = paths[i].clone();
                odata_type.segments.push(format_ident!("ODATA_TYPE").into());
                syntax::arm(with_cfg(i, None), pat, syntax::path_expr(odata_type))
            });
            syntax::match_of(&mut methods, "odata_type")
                .arms
                .extend(arms);
            code.push(syn::Item::Impl(methods));
            code.push_tokens(quote! {
                impl Default for #any_ident {
                    fn default() -> Self {
                        Self::#base_ident(Box::default())
                    }
                }

                impl From<#base_ident> for #any_ident {
                    fn from(value: #base_ident) -> Self {
                        Self::#base_ident(Box::new(value))
                    }
                }
            });
        }
        AnyPart::Methods(_) => {
            let methods = names.iter().enumerate().map(|(i, (v, m))| {
                let doc = format!(" The value if it is a [`{any_ident}::{v}`] variant.");
                let mut f = syntax::impl_fn("models.any.as_variant", || {
                    quote! {
                        impl T {
                            pub fn as_variant(&self) -> Option<&V> {
                                match self {
                                    Self::V(value) => Some(value),
                                    _ => None,
                                }
                            }
                        }
                    }
                });
                f.attrs = with_cfg(i, Some(syntax::doc(&doc)));
                f.sig.ident = format_ident!("{}", m);
                let returns =
                    syntax::wrapped("Option", syntax::reference(path_type(paths[i].clone())));
                f.sig.output = syn::ReturnType::Type(Default::default(), Box::new(returns));
                match f.block.stmts.as_mut_slice() {
                    [syn::Stmt::Expr(syn::Expr::Match(m), None)] => {
                        let value = syntax::ident_pat("value");
                        m.arms[0].pat = syntax::tuple_pat(variant_path(&variants[i]), value);
                    }
                    _ => unreachable!("the template is one `match`"),
                }
                syn::ImplItem::Fn(f)
            });
            code.push(syntax::inherent_impl(
                Vec::new(),
                any_ty(),
                methods.collect(),
            ));
        }
        AnyPart::Conversions(_) => {
            for i in 0..derived.len() {
                let mut conversion = syntax::impl_for("models.any.from", any_ty(), || {
                    quote! {
                        impl From<P> for T {
                            fn from(value: P) -> Self {
                                Self::V(Box::new(value))
                            }
                        }
                    }
                });
                conversion.attrs = with_cfg(i, None);
                let derived_ty = path_type(paths[i].clone());
                if let Some((_, trait_path, _)) = &mut conversion.trait_ {
                    *trait_path =
                        syntax::with_args(syntax::path_of(&["From"]), [derived_ty.clone()]);
                }
                let Some(syn::ImplItem::Fn(f)) = conversion.items.first_mut() else {
                    unreachable!("the template is one function");
                };
                if let Some(syn::FnArg::Typed(arg)) = f.sig.inputs.first_mut() {
                    *arg.ty = derived_ty;
                }
                let body = f.block.stmts.as_mut_slice();
                if let [syn::Stmt::Expr(syn::Expr::Call(call), None)] = body {
                    *call.func = syntax::path_expr(variant_path(&variants[i]));
                }
                code.push(syn::Item::Impl(conversion));
            }
        }
        AnyPart::Serialize => {
            let mut serialize = syntax::parse_impl(quote! {
                impl serde::Serialize for #any_ident {
                    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        match self {
                            Self::#base_ident(value) => value.serialize_with_type(serializer, None),
                        }
                    }
                }
            });
            let arms = (0..derived.len()).map(|i| {
                let pat = syntax::tuple_pat(variant_path(&variants[i]), syntax::ident_pat("value"));
                let mut odata_type = paths[i].clone();
                odata_type.segments.push(format_ident!("ODATA_TYPE").into());
                let some =
                    syntax::call(syntax::path_of(&["Some"]), [syntax::path_expr(odata_type)]);
                let body = syntax::method_call(
                    syntax::path_expr(syntax::path_of(&["value"])),
                    "serialize_with_type",
                    [syntax::path_expr(syntax::path_of(&["serializer"])), some],
                );
                syntax::arm(with_cfg(i, None), pat, body)
            });
            syntax::match_of(&mut serialize, "serialize")
                .arms
                .extend(arms);
            code.push(syn::Item::Impl(serialize));
        }
        AnyPart::Deserialize => {
            let odata_type_of = runtime_items::ODATA_TYPE_OF.path();
            let mut deserialize = syntax::parse_impl(quote! {
                impl<'de> serde::Deserialize<'de> for #any_ident {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        use serde::de::Error as _;
                        let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                        let read = match #odata_type_of(&value) {
                            _ => serde_json::from_value(value).map(Self::#base_ident),
                        };
                        read.map_err(D::Error::custom)
                    }
                }
            });
            // `@odata.type` may use the namespace or its alias.
            let arms = derived.iter().enumerate().map(|(i, &d)| {
                let ty = plan.model.ty(d);
                let mut names = vec![syntax::lit_pat(&ty.qualified_name())];
                if let Some((_, Some(alias))) = plan
                    .model
                    .namespaces
                    .iter()
                    .find(|(n, _)| n == &ty.namespace)
                {
                    names.push(syntax::lit_pat(&format!("{alias}.{}", ty.name)));
                }
                let from_value = syntax::call(
                    syntax::path_of(&["serde_json", "from_value"]),
                    [syntax::path_expr(syntax::path_of(&["value"]))],
                );
                let body = syntax::method_call(
                    from_value,
                    "map",
                    [syntax::path_expr(variant_path(&variants[i]))],
                );
                syntax::arm(with_cfg(i, None), syntax::or_pat(names), body)
            });
            read_match(&mut deserialize).arms.splice(0..0, arms);
            code.push(syn::Item::Impl(deserialize));
        }
    }
    code
}

/// The `match` of `let read = match ...;` in the `Deserialize` of an `Any<Base>`.
fn read_match(item: &mut syn::ItemImpl) -> &mut syn::ExprMatch {
    let Some(syn::ImplItem::Fn(f)) = item.items.first_mut() else {
        unreachable!("`deserialize` is the impl's function");
    };
    f.block
        .stmts
        .iter_mut()
        .find_map(|s| match s {
            syn::Stmt::Local(syn::Local {
                init: Some(init), ..
            }) => match init.expr.as_mut() {
                syn::Expr::Match(m) => Some(m),
                _ => None,
            },
            _ => None,
        })
        .expect("`deserialize` reads with a `match`")
}

/// How big the code of one part is, in fields, members or variants (see
/// [`super::chunks`]).
pub(crate) fn weight(plan: &Plan, id: TypeId, piece: Piece) -> usize {
    match piece {
        Piece::Type => plan
            .fields
            .get(&id)
            .map(Vec::len)
            .or_else(|| plan.variants.get(&id).map(Vec::len))
            .unwrap_or(1),
        Piece::Any(AnyPart::Methods(_) | AnyPart::Conversions(_)) => ANY_CHUNK,
        Piece::Any(AnyPart::Enum | AnyPart::Serialize | AnyPart::Deserialize) => {
            plan.polymorphic.get(&id).map_or(1, Vec::len)
        }
    }
}

/// The derived types (by index) of chunk `chunk` of `len`.
fn chunk_range(chunk: usize, len: usize) -> std::ops::Range<usize> {
    (chunk * ANY_CHUNK).min(len)..((chunk + 1) * ANY_CHUNK).min(len)
}

fn field_enum(
    plan: &Plan,
    id: TypeId,
    struct_ident: &proc_macro2::Ident,
    fields: &[FieldPlan],
) -> Code {
    let enum_name = plan.name(id).field_enum.clone().unwrap_or_default();
    let enum_ident = format_ident!("{}", enum_name);
    let enum_doc = format!(
        " The properties of [`{}`] by wire name, each a [`Field<{}>`]({}): for `$select`, `$expand`, `$orderby` and [`{}::set_null`].",
        struct_ident,
        struct_ident,
        runtime_items::FIELD.path_text(),
        struct_ident
    );
    let mut enum_attrs = vec![syntax::doc(&enum_doc)];
    enum_attrs.extend(renamed_companion(
        &enum_name,
        plan.name(id).field_enum_collided.as_deref(),
    ));
    // Constants of one runtime type instead of an enum per struct: `Field`'s traits are
    // compiled once, not a derived `Debug`, `Hash`, `Ord`, ... for each of thousands of
    // structs (BENCHMARKS.md). The constants keep the enum-like `<Name>Field::Variant`.
    //
    // `set_null` is `#[inline]` so that it is compiled only where it is called: it
    // instantiates `read_property` (and the readers of every field type) for a null value,
    // which would otherwise lengthen every models crate's build.
    let set_null_impl = syntax::impl_for(
        "models.set_null",
        path_type(syntax::path([struct_ident.clone()])),
        || {
            let field = runtime_items::FIELD.in_module();
            let set_null = runtime_items::SET_NULL.path();
            quote! {
                impl T {
                    /// Clears `field` and records an explicit JSON `null` for it, so an update
                    /// (`PATCH`) payload resets the property on the service.
                    #[inline]
                    pub fn set_null(&mut self, field: #field<Self>) -> &mut Self {
                        #set_null(self, field.as_str());
                        self
                    }
                }
            }
        },
    );
    let mut code = Code::from(syn::Item::Impl(set_null_impl));
    code.push(syntax::enumeration(enum_attrs, enum_ident.clone(), []));
    code.push(field_constants(struct_ident, &enum_ident, fields));
    code
}

/// `impl <Name>Field { pub const <Variant>: Field<Name> = Field::new("wire"); ... ALL }`.
fn field_constants(
    struct_ident: &proc_macro2::Ident,
    enum_ident: &proc_macro2::Ident,
    fields: &[FieldPlan],
) -> syn::Item {
    let field = runtime_items::FIELD.in_module_path();
    let field_type = || {
        path_type(syntax::with_args(
            field.clone(),
            [path_type(syntax::path([struct_ident.clone()]))],
        ))
    };
    let mut new = field.clone();
    new.segments.push(format_ident!("new").into());
    let self_variant = |v: &str| syntax::path([format_ident!("Self"), format_ident!("{}", v)]);
    let mut items: Vec<syn::ImplItem> = fields
        .iter()
        .map(|f| {
            syntax::assoc_const(
                vec![syntax::doc(&[" `", f.wire, "`"].concat())],
                syntax::public(),
                format_ident!("{}", f.variant),
                field_type(),
                syntax::call(new.clone(), [syntax::lit_str(f.wire)]),
            )
        })
        .collect();
    items.push(syntax::assoc_const(
        vec![syntax::doc(
            " Every property, in declaration order (inherited first).",
        )],
        syntax::public(),
        format_ident!("ALL"),
        syntax::static_ref(syntax::slice(field_type())),
        syntax::array_ref(
            fields
                .iter()
                .map(|f| syntax::path_expr(self_variant(&f.variant))),
        ),
    ));
    syntax::inherent_impl(
        vec![syntax::list_attr("allow", quote!(non_upper_case_globals))],
        path_type(syntax::path([enum_ident.clone()])),
        items,
    )
}

/// The `pub type` alias of a type definition.
pub(super) fn type_definition(plan: &Plan, _module: usize, id: TypeId) -> Code {
    let ty = plan.model.ty(id);
    let TypeKind::Definition(p) = &ty.kind else {
        return Code::default();
    };
    let mut attrs = doc_attributes(
        &ty.annotations,
        &[format!(
            "CSDL type definition `{}` over `{}`.",
            ty.qualified_name(),
            p.edm_name()
        )],
    );
    attrs.extend(deprecated_attribute(&ty.annotations));
    let name = format_ident!("{}", plan.name(id).ident);
    syntax::type_alias(attrs, name, RustType::primitive_type(p)).into()
}

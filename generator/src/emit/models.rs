//! Structs for entity and complex types, their field constants, and type definitions.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{deprecated_attr, doc_lines};
use super::{cfg_attr, ident};
use crate::model::{Target, TypeId, TypeKind, TypeRef};
use crate::runtime_items;
use crate::plan::{FieldKind, FieldPlan, Plan, RustType};

/// Structs (and their field constants) for `ids`, in order.
/// The struct of `id` with its impls and companion enums.
pub(super) fn structure(plan: &Plan, module: usize, id: TypeId, piece: Piece) -> TokenStream {
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
        format!("Collection({inner})")
    } else {
        inner
    }
}

fn field_doc(plan: &Plan, id: TypeId, f: &FieldPlan) -> TokenStream {
    let (annotations, what) = match f.kind {
        FieldKind::Property(p) => {
            let mut facts = vec![format!("`{}`", type_label(plan, &f.ty))];
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
                format!("Property `{}`: {}.", f.wire, facts.join(", ")),
            )
        }
        FieldKind::Navigation(n) => {
            let mut facts = vec![format!("`{}`", type_label(plan, &f.ty))];
            if n.contains_target {
                facts.push("contained".into());
            }
            (
                &n.annotations,
                format!(
                    "Navigation property `{}`: {}; present when expanded (`$expand`).",
                    f.wire,
                    facts.join(", ")
                ),
            )
        }
    };
    let mut extra = vec![what];
    if f.declared_in != id {
        extra.push(format!(
            "Inherited from `{}`.",
            plan.model.ty(f.declared_in).qualified_name()
        ));
    }
    if let Some(plain) = &f.collided_with {
        extra.push(format!(
            "Named `{}` because `{plain}` is taken by another property of this type.",
            f.ident
        ));
    }
    let docs = doc_lines(annotations, &extra);
    let deprecated = deprecated_attr(annotations);
    quote!(#docs #deprecated)
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

fn one_struct(plan: &Plan, module: usize, id: TypeId) -> TokenStream {
    let ty = plan.model.ty(id);
    let s = ty
        .structured()
        .expect("only structured types are passed here");
    let name = plan.name(id);
    let struct_ident = format_ident!("{}", name.ident);
    let types = RustType::new(plan, module);
    let fields = &plan.fields[&id];

    let mut facts = vec![format!(
        "CSDL {} `{}`",
        if ty.is_entity() {
            "entity type"
        } else {
            "complex type"
        },
        ty.qualified_name()
    )];
    if let Some(base) = s.base {
        facts.push(format!(
            "base type `{}`",
            plan.model.ty(base).qualified_name()
        ));
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
            facts.push(format!("key `{}`", key.join(", ")));
        }
    }
    let mut extra = vec![format!("{}.", facts.join("; "))];
    if let Some(plain) = &name.collided_with {
        extra.push(format!(
            "Named `{}` because `{plain}` is taken by another type of this namespace.",
            name.ident
        ));
    }
    let docs = doc_lines(&ty.annotations, &extra);
    let deprecated = deprecated_attr(&ty.annotations);

    let cfgs: Vec<TokenStream> = fields
        .iter()
        .map(|f| cfg_attr(field_feature(plan, id, f)))
        .collect();
    // With fields left out by features, what reads and writes them may go unused.
    let allow_unused = if cfgs.iter().any(|c| !c.is_empty()) {
        quote!(#[allow(unused_mut, unused_variables, unused_imports, clippy::match_single_binding)])
    } else {
        quote!()
    };
    let field_defs = fields.iter().zip(&cfgs).map(|(f, cfg)| {
        let doc = field_doc(plan, id, f);
        let ident = ident(&f.ident);
        let value = types.value(&f.ty, f.boxed);
        quote! {
            #doc
            #cfg
            pub #ident: Option<#value>,
        }
    });
    let writes = fields.iter().zip(&cfgs).map(|(f, cfg)| {
        let ident = ident(&f.ident);
        let wire = &f.wire;
        quote!(#cfg object.property(#wire, &self.#ident);)
    });

    let odata_type = format!("#{}", ty.qualified_name());
    // Empty structs touch neither the serializer's state nor the key.
    let mutability = if fields.is_empty() {
        quote!()
    } else {
        quote!(mut)
    };
    let object_serializer = runtime_items::OBJECT_SERIALIZER.path();
    let read_body = if fields.is_empty() {
        quote!(Ok(false))
    } else {
        let mut readers = std::collections::BTreeMap::new();
        let arms: Vec<_> = fields
            .iter()
            .zip(&cfgs)
            .map(|(f, cfg)| {
                let ident = ident(&f.ident);
                let wire = &f.wire;
                let reader = property_reader(plan, &f.ty);
                readers.insert(reader.name().to_string(), reader);
                let reader = reader.name();
                quote!(#cfg #wire => #reader(map, key, &mut self.#ident, extra),)
            })
            .collect();
        let readers: Vec<_> = readers.into_values().collect();
        let import = runtime_items::import_group(runtime_items::crate_root(), &readers);
        // Each arm is the reader's `Result` itself: no `?` per property (each costs the
        // type checker and the borrow checker a little; there are tens of thousands).
        quote! {
            #import
            let extra = &mut self.additional_properties;
            match key {
                #(#arms)*
                _ => Ok(false),
            }
        }
    };
    let reading = reading_impls(&struct_ident, read_body, fields.is_empty(), allow_unused.clone());
    let field_enum = if fields.is_empty() {
        quote!()
    } else {
        field_enum(plan, id, &struct_ident, fields)
    };

    quote! {
        #docs
        #deprecated
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct #struct_ident {
            #(#field_defs)*
            /// Properties the metadata does not declare and instance annotations
            /// (`@odata.type`, `@odata.etag`, ...), kept verbatim. An entry `"name": null`
            /// for an unset declared property sends an explicit JSON `null`.
            pub additional_properties: serde_json::Map<String, serde_json::Value>,
        }

        impl serde::Serialize for #struct_ident {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                self.serialize_with_type(serializer, None)
            }
        }

        #allow_unused
        impl #struct_ident {
            /// The CSDL qualified name, as `@odata.type` spells it.
            pub const ODATA_TYPE: &'static str = #odata_type;

            /// Serializes with `"@odata.type": odata_type` first, unless
            /// `additional_properties` already has one (used for derived values).
            pub fn serialize_with_type<S: serde::Serializer>(
                &self,
                serializer: S,
                odata_type: Option<&'static str>,
            ) -> Result<S::Ok, S::Error> {
                let #mutability object = #object_serializer::with_type(
                    serializer,
                    &self.additional_properties,
                    odata_type,
                )?;
                #(#writes)*
                object.end()
            }
        }

        #reading

        #field_enum
    }
}

/// `Deserialize` and `ODataObject` of a struct with an `additional_properties` map, whose
/// `read_property` (with `key` and `map` in scope) is `read_body`: one runtime reader call per
/// declared member, unknown members left to the runtime, which keeps them. `allow` goes on the
/// `ODataObject` impl (lints of readers that features may leave unused).
pub(super) fn reading_impls(
    struct_ident: &proc_macro2::Ident,
    read_body: TokenStream,
    empty: bool,
    allow: TokenStream,
) -> TokenStream {
    let deserialize_object = runtime_items::DESERIALIZE_OBJECT.path();
    let odata_object = runtime_items::ODATA_OBJECT.path();
    // Empty structs touch neither the key nor the map.
    let (key_arg, map_arg) = if empty {
        (quote!(_key), quote!(_map))
    } else {
        (quote!(key), quote!(map))
    };
    quote! {
        impl<'de> serde::Deserialize<'de> for #struct_ident {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #deserialize_object(deserializer)
            }
        }

        #allow
        impl #odata_object for #struct_ident {
            fn read_property<'de, A: serde::de::MapAccess<'de>>(
                &mut self,
                #key_arg: &str,
                #map_arg: &mut A,
            ) -> Result<bool, A::Error> {
                #read_body
            }

            fn additional_properties_mut(&mut self) -> &mut serde_json::Map<String, serde_json::Value> {
                &mut self.additional_properties
            }
        }
    }
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
fn renamed_companion(ident: &str, plain: Option<&str>) -> TokenStream {
    match plain {
        Some(plain) => {
            let line = format!(" Named `{ident}` because `{plain}` is taken in this module.");
            quote!(#[doc = ""] #[doc = #line])
        }
        None => quote!(),
    }
}

/// `Any<Base>`: a value of a polymorphic base, read by `@odata.type`.
fn any_enum(plan: &Plan, module: usize, base: TypeId, part: AnyPart) -> TokenStream {
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
    let as_methods: Vec<_> = names.iter().map(|(_, m)| format_ident!("{}", m)).collect();
    let paths: Vec<_> = derived
        .iter()
        .map(|&id| {
            let n = plan.name(id);
            let ident = format_ident!("{}", n.ident);
            if n.module == module {
                quote!(#ident)
            } else {
                let m = format_ident!("{}", plan.modules[n.module].ident);
                quote!(super::super::#m::#ident)
            }
        })
        .collect();
    // A derived type of another home is a variant only with its feature; without it, its
    // values are read as the base.
    let cfgs: Vec<TokenStream> = derived
        .iter()
        .map(|&d| cfg_attr(variant_feature(plan, base, d)))
        .collect();
    let gated = cfgs.iter().any(|c| !c.is_empty());
    // A `_` arm after the base's may cover nothing when every variant is left out.
    let allow_unreachable = if gated {
        quote!(#[allow(unreachable_patterns)])
    } else {
        quote!()
    };
    match part {
        AnyPart::Enum => {
            let doc = format!(
                " A `{}` value: the base type or one of its derived types, chosen by `@odata.type`. A derived type this crate does not know is read as [`{base_ident}`], which keeps its properties and `@odata.type` in `additional_properties`.",
                plan.model.ty(base).qualified_name()
            );
            let variant_docs = derived
                .iter()
                .map(|&d| format!(" `{}`", plan.model.ty(d).qualified_name()));
            let as_base = format_ident!("{}", plan.any[&base].base_method);
            let as_base_doc = format!(
                " The value if it is a plain [`{base_ident}`] (or of an unknown derived type)."
            );
            let renamed = renamed_companion(&any_ident.to_string(), name.any_enum_collided.as_deref());
            quote! {
            #[doc = #doc]
            #renamed
            #[derive(Debug, Clone, PartialEq)]
            pub enum #any_ident {
                /// The base type itself, or a derived type unknown to this crate.
                #base_ident(Box<#base_ident>),
                #(#[doc = #variant_docs] #cfgs #variants(Box<#paths>),)*
            }

            impl #any_ident {
                /// The `@odata.type` of the variant (the base type's for unknown derived types).
                pub fn odata_type(&self) -> &'static str {
                    match self {
                        Self::#base_ident(_) => #base_ident::ODATA_TYPE,
                        #(#cfgs Self::#variants(_) => #paths::ODATA_TYPE,)*
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
            }
        }
        AnyPart::Methods(_) => {
            let as_docs = variants
                .iter()
                .map(|v| format!(" The value if it is a [`{any_ident}::{v}`] variant."));
            quote! {
            impl #any_ident {
                #(
                    #[doc = #as_docs]
                    #cfgs
                    pub fn #as_methods(&self) -> Option<&#paths> {
                        match self {
                            Self::#variants(value) => Some(value),
                            _ => None,
                        }
                    }
                )*
            }
            }
        }
        AnyPart::Conversions(_) => quote! {
        #(#cfgs impl From<#paths> for #any_ident {
            fn from(value: #paths) -> Self {
                Self::#variants(Box::new(value))
            }
        })*
        },
        AnyPart::Serialize => quote! {
        impl serde::Serialize for #any_ident {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    Self::#base_ident(value) => value.serialize_with_type(serializer, None),
                    #(#cfgs Self::#variants(value) => value.serialize_with_type(serializer, Some(#paths::ODATA_TYPE)),)*
                }
            }
        }
        },
        AnyPart::Deserialize => {
            let odata_type_of = runtime_items::ODATA_TYPE_OF.path();
            // `@odata.type` may use the namespace or its alias.
            let patterns = derived.iter().map(|&d| {
                let ty = plan.model.ty(d);
                let mut names = vec![ty.qualified_name()];
                if let Some((_, Some(alias))) = plan
                    .model
                    .namespaces
                    .iter()
                    .find(|(n, _)| n == &ty.namespace)
                {
                    names.push(format!("{alias}.{}", ty.name));
                }
                quote!(#(#names)|*)
            });
            quote! {
        impl<'de> serde::Deserialize<'de> for #any_ident {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                use serde::de::Error as _;
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                let read = match #odata_type_of(&value) {
                    #(#cfgs #patterns => serde_json::from_value(value).map(Self::#variants),)*
                    _ => serde_json::from_value(value).map(Self::#base_ident),
                };
                read.map_err(D::Error::custom)
            }
        }
            }
        }
    }
}

/// How big the code of one part is, in fields, members or variants (see
/// [`super::stream_parts`]).
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
) -> TokenStream {
    let enum_name = plan.name(id).field_enum.clone().unwrap_or_default();
    let enum_ident = format_ident!("{}", enum_name);
    let variants: Vec<_> = fields
        .iter()
        .map(|f| format_ident!("{}", f.variant))
        .collect();
    let wires: Vec<_> = fields.iter().map(|f| f.wire).collect();
    let variant_docs = wires.iter().map(|w| format!(" `{w}`"));
    let enum_doc = format!(
        " The properties of [`{}`] by wire name, each a [`Field<{}>`]({}): for `$select`, `$expand`, `$orderby` and [`{}::set_null`].",
        struct_ident,
        struct_ident,
        runtime_items::FIELD.path_text(),
        struct_ident
    );
    let renamed = renamed_companion(&enum_name, plan.name(id).field_enum_collided.as_deref());
    let field = runtime_items::FIELD.in_module();
    let set_null = runtime_items::SET_NULL.path();
    // Constants of one runtime type instead of an enum per struct: `Field`'s traits are
    // compiled once, not a derived `Debug`, `Hash`, `Ord`, ... for each of thousands of
    // structs (BENCHMARKS.md). The constants keep the enum-like `<Name>Field::Variant`.
    //
    // `set_null` is `#[inline]` so that it is compiled only where it is called: it
    // instantiates `read_property` (and the readers of every field type) for a null value,
    // which would otherwise lengthen every models crate's build.
    quote! {
        impl #struct_ident {
            /// Clears `field` and records an explicit JSON `null` for it, so an update
            /// (`PATCH`) payload resets the property on the service.
            #[inline]
            pub fn set_null(&mut self, field: #field<Self>) -> &mut Self {
                #set_null(self, field.as_str());
                self
            }
        }

        #[doc = #enum_doc]
        #renamed
        pub enum #enum_ident {}

        #[allow(non_upper_case_globals)]
        impl #enum_ident {
            #(
                #[doc = #variant_docs]
                pub const #variants: #field<#struct_ident> = #field::new(#wires);
            )*

            /// Every property, in declaration order (inherited first).
            pub const ALL: &'static [#field<#struct_ident>] = &[#(Self::#variants),*];
        }
    }
}

/// The `pub type` alias of a type definition.
pub(super) fn type_definition(plan: &Plan, _module: usize, id: TypeId) -> TokenStream {
    {
        let ty = plan.model.ty(id);
        let TypeKind::Definition(p) = &ty.kind else {
            return quote!();
        };
        let name = format_ident!("{}", plan.name(id).ident);
        let target = RustType::primitive(p);
        let docs = doc_lines(
            &ty.annotations,
            &[format!(
                "CSDL type definition `{}` over `{}`.",
                ty.qualified_name(),
                p.edm_name()
            )],
        );
        let deprecated = deprecated_attr(&ty.annotations);
        quote! {
            #docs
            #deprecated
            pub type #name = #target;
        }
    }
}

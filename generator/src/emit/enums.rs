//! Evolvable enums and flag sets.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{deprecated_attr, doc_lines};
use crate::model::{TypeId, TypeKind};
use crate::plan::{Plan, VariantPlan};
use crate::runtime_items;

/// Enums for `ids`, in order.
/// The enum (evolvable or flags) of `id`.
pub(super) fn enumeration(plan: &Plan, _module: usize, id: TypeId) -> TokenStream {
    let TypeKind::Enum(e) = &plan.model.ty(id).kind else {
        return quote!();
    };
    if e.is_flags {
        flags(plan, id)
    } else {
        evolvable(plan, id)
    }
}

fn member_docs(plan: &Plan, id: TypeId, v: &VariantPlan) -> TokenStream {
    let TypeKind::Enum(e) = &plan.model.ty(id).kind else {
        return quote!();
    };
    let member = &e.members[v.member];
    let mut extra = vec![format!("`{}` = {}", v.wire, v.value)];
    if let Some(plain) = &v.collided_with {
        extra.push(format!(
            "Named `{}` because `{plain}` is taken by another member.",
            v.ident
        ));
    }
    let docs = doc_lines(&member.annotations, &extra);
    let deprecated = deprecated_attr(&member.annotations);
    quote!(#docs #deprecated)
}

fn type_docs(plan: &Plan, id: TypeId, what: &str) -> TokenStream {
    let ty = plan.model.ty(id);
    let name = plan.name(id);
    let mut extra = vec![format!(
        "CSDL {} `{}`; {what}.",
        "enum type",
        ty.qualified_name()
    )];
    if let Some(plain) = &name.collided_with {
        extra.push(format!(
            "Named `{}` because `{plain}` is taken by another type of this namespace.",
            name.ident
        ));
    }
    let docs = doc_lines(&ty.annotations, &extra);
    let deprecated = deprecated_attr(&ty.annotations);
    quote!(#docs #deprecated)
}

fn evolvable(plan: &Plan, id: TypeId) -> TokenStream {
    let evolvable_enum = runtime_items::EVOLVABLE_ENUM.path();
    let serialize = runtime_items::SERIALIZE_EVOLVABLE.path();
    let deserialize = runtime_items::DESERIALIZE_EVOLVABLE.path();
    let name = format_ident!("{}", plan.name(id).ident);
    let variants = &plan.variants[&id];
    let docs = type_docs(
        plan,
        id,
        "evolvable: unknown members are kept in `UnknownValue`",
    );
    let idents: Vec<_> = variants
        .iter()
        .map(|v| format_ident!("{}", v.ident))
        .collect();
    let wires: Vec<_> = variants.iter().map(|v| v.wire).collect();
    let values: Vec<_> = variants
        .iter()
        .map(|v| proc_macro2::Literal::i64_unsuffixed(v.value))
        .collect();
    let vdocs = variants.iter().map(|v| member_docs(plan, id, v));
    // An enum without members (Graph has some) matches nothing: no single-arm `match`.
    let from_wire = if wires.is_empty() {
        quote!(Self::UnknownValue(value.to_owned()))
    } else {
        quote! {
            match value {
                #(#wires => Self::#idents,)*
                other => Self::UnknownValue(other.to_owned()),
            }
        }
    };
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#vdocs #idents,)*
            /// A member this version of the metadata does not define, kept verbatim.
            UnknownValue(String),
        }

        impl #evolvable_enum for #name {
            const MEMBERS: &'static [(&'static str, i64)] = &[#((#wires, #values)),*];

            fn from_wire(value: &str) -> Self {
                #from_wire
            }

            fn as_wire(&self) -> &str {
                match self {
                    #(Self::#idents => #wires,)*
                    Self::UnknownValue(value) => value,
                }
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #serialize(self, serializer)
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #deserialize(deserializer)
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(#evolvable_enum::as_wire(self))
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                #evolvable_enum::from_wire(value)
            }
        }
    }
}

fn flags(plan: &Plan, id: TypeId) -> TokenStream {
    let flag_set = runtime_items::FLAG_SET.path();
    let flags_enum = runtime_items::FLAGS_ENUM.path();
    let debug_flags = runtime_items::DEBUG_FLAGS.path();
    let fmt_flags = runtime_items::FMT_FLAGS.path();
    let parse_flags = runtime_items::PARSE_FLAGS.path();
    let serialize = runtime_items::SERIALIZE_FLAGS.path();
    let deserialize = runtime_items::DESERIALIZE_FLAGS.path();
    let name = format_ident!("{}", plan.name(id).ident);
    let variants = &plan.variants[&id];
    let docs = type_docs(
        plan,
        id,
        "flags (`IsFlags`): comma-separated member names on the wire, unknown names are kept",
    );
    let consts = variants.iter().map(|v| {
        let c = format_ident!("{}", v.ident);
        let value = proc_macro2::Literal::i64_unsuffixed(v.value);
        let doc = member_docs(plan, id, v);
        quote! {
            #doc
            pub const #c: Self = Self(#flag_set::from_bits(#value));
        }
    });
    let wires = variants.iter().map(|v| v.wire);
    let values = variants
        .iter()
        .map(|v| proc_macro2::Literal::i64_unsuffixed(v.value));
    quote! {
        #docs
        #[derive(Clone, PartialEq, Eq, Hash, Default)]
        pub struct #name(#flag_set);

        impl #name {
            #(#consts)*
        }

        impl #flags_enum for #name {
            const MEMBERS: &'static [(&'static str, i64)] = &[#((#wires, #values)),*];

            fn from_set(set: #flag_set) -> Self {
                Self(set)
            }

            fn as_set(&self) -> &#flag_set {
                &self.0
            }
        }

        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                #debug_flags(self, f)
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                #fmt_flags(self, f)
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(#parse_flags(s))
            }
        }

        impl std::ops::BitOr for #name {
            type Output = Self;

            fn bitor(self, rhs: Self) -> Self {
                #flags_enum::union(&self, &rhs)
            }
        }

        impl std::ops::BitOrAssign for #name {
            fn bitor_assign(&mut self, rhs: Self) {
                *self = #flags_enum::union(self, &rhs);
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #serialize(self, serializer)
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #deserialize(deserializer)
            }
        }
    }
}

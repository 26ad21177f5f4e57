//! Evolvable enums and flag sets.
//!
//! The declarations and what lists the members are built as syntax trees; the trait impls
//! whose bodies only call the runtime are templates (`syntax::impl_for`), the same code for
//! every enum.

use quote::{format_ident, quote};
use syn::{Attribute, Item};

use super::docs::{deprecated_attribute, doc_attributes};
use super::syntax::{self, path_of, path_type};
use super::Code;
use crate::model::{TypeId, TypeKind};
use crate::plan::{Plan, VariantPlan};
use crate::runtime_items;

/// The enum (evolvable or flags) of `id`.
pub(super) fn enumeration(plan: &Plan, _module: usize, id: TypeId) -> Code {
    let TypeKind::Enum(e) = &plan.model.ty(id).kind else {
        return Code::default();
    };
    let items = if e.is_flags {
        flags(plan, id)
    } else {
        evolvable(plan, id)
    };
    let mut code = Code::default();
    for item in items {
        code.push(item);
    }
    code
}

fn member_docs(plan: &Plan, id: TypeId, v: &VariantPlan) -> Vec<Attribute> {
    let TypeKind::Enum(e) = &plan.model.ty(id).kind else {
        return Vec::new();
    };
    let member = &e.members[v.member];
    let mut extra = vec![format!("`{}` = {}", v.wire, v.value)];
    if let Some(plain) = &v.collided_with {
        extra.push(format!(
            "Named `{}` because `{plain}` is taken by another member.",
            v.ident
        ));
    }
    let mut attrs = doc_attributes(&member.annotations, &extra);
    attrs.extend(deprecated_attribute(&member.annotations));
    attrs
}

fn type_docs(plan: &Plan, id: TypeId, what: &str) -> Vec<Attribute> {
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
    let mut attrs = doc_attributes(&ty.annotations, &extra);
    attrs.extend(deprecated_attribute(&ty.annotations));
    attrs
}

/// `&[("wire", value), ...]`: the `MEMBERS` of either kind of enum.
fn members(variants: &[VariantPlan]) -> syn::Expr {
    syntax::array_ref(
        variants
            .iter()
            .map(|v| syntax::pair(syntax::lit_str(v.wire), syntax::lit_int(v.value))),
    )
}

/// Sets the value of the `MEMBERS` constant of a template.
fn set_members(item: &mut syn::ItemImpl, variants: &[VariantPlan]) {
    for i in &mut item.items {
        if let syn::ImplItem::Const(c) = i {
            if c.ident == "MEMBERS" {
                c.expr = members(variants);
                return;
            }
        }
    }
    panic!("template has `MEMBERS`");
}

fn self_path(name: &str) -> syn::Path {
    syntax::path([format_ident!("Self"), format_ident!("{}", name)])
}

fn evolvable(plan: &Plan, id: TypeId) -> Vec<Item> {
    let name = format_ident!("{}", plan.name(id).ident);
    let self_ty = || path_type(syntax::path([name.clone()]));
    let variants = &plan.variants[&id];
    let mut attrs = type_docs(
        plan,
        id,
        "evolvable: unknown members are kept in `UnknownValue`",
    );
    attrs.push(syntax::derive(&[
        "Debug",
        "Clone",
        "PartialEq",
        "Eq",
        "Hash",
        "PartialOrd",
        "Ord",
    ]));
    let declaration = syntax::enumeration(
        attrs,
        name.clone(),
        variants
            .iter()
            .map(|v| syntax::variant(member_docs(plan, id, v), format_ident!("{}", v.ident), None))
            .chain([syntax::variant(
                vec![syntax::doc(
                    " A member this version of the metadata does not define, kept verbatim.",
                )],
                format_ident!("UnknownValue"),
                Some(path_type(path_of(&["String"]))),
            )]),
    );

    // An enum without members (Graph has some) matches nothing: no single-arm `match`.
    let mut evolvable_impl = if variants.is_empty() {
        syntax::impl_for("enums.evolvable.empty", self_ty(), || {
            let evolvable_enum = runtime_items::EVOLVABLE_ENUM.path();
            quote! {
                impl #evolvable_enum for T {
                    const MEMBERS: &'static [(&'static str, i64)] = &[];

                    fn from_wire(value: &str) -> Self {
                        Self::UnknownValue(value.to_owned())
                    }

                    fn as_wire(&self) -> &str {
                        match self {
                            Self::UnknownValue(value) => value,
                        }
                    }
                }
            }
        })
    } else {
        let mut i = syntax::impl_for("enums.evolvable", self_ty(), || {
            let evolvable_enum = runtime_items::EVOLVABLE_ENUM.path();
            quote! {
                impl #evolvable_enum for T {
                    const MEMBERS: &'static [(&'static str, i64)] = &[];

                    fn from_wire(value: &str) -> Self {
                        match value {
                            other => Self::UnknownValue(other.to_owned()),
                        }
                    }

                    fn as_wire(&self) -> &str {
                        match self {
                            Self::UnknownValue(value) => value,
                        }
                    }
                }
            }
        });
        let from_wire = variants.iter().map(|v| {
            let body = syntax::path_expr(self_path(&v.ident));
            syntax::arm(Vec::new(), syntax::lit_pat(v.wire), body)
        });
        syntax::match_of(&mut i, "from_wire")
            .arms
            .splice(0..0, from_wire);
        i
    };
    set_members(&mut evolvable_impl, variants);
    let as_wire = variants.iter().map(|v| {
        let pat = syntax::path_pat(self_path(&v.ident));
        syntax::arm(Vec::new(), pat, syntax::lit_str(v.wire))
    });
    syntax::match_of(&mut evolvable_impl, "as_wire")
        .arms
        .splice(0..0, as_wire);

    let serialize = syntax::impl_for("enums.evolvable.serialize", self_ty(), || {
        let serialize = runtime_items::SERIALIZE_EVOLVABLE.path();
        quote! {
            impl serde::Serialize for T {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    #serialize(self, serializer)
                }
            }
        }
    });
    let deserialize = syntax::impl_for("enums.evolvable.deserialize", self_ty(), || {
        let deserialize = runtime_items::DESERIALIZE_EVOLVABLE.path();
        quote! {
            impl<'de> serde::Deserialize<'de> for T {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    #deserialize(deserializer)
                }
            }
        }
    });
    let display = syntax::impl_for("enums.evolvable.display", self_ty(), || {
        let evolvable_enum = runtime_items::EVOLVABLE_ENUM.path();
        quote! {
            impl std::fmt::Display for T {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(#evolvable_enum::as_wire(self))
                }
            }
        }
    });
    let from_str = syntax::impl_for("enums.evolvable.from", self_ty(), || {
        let evolvable_enum = runtime_items::EVOLVABLE_ENUM.path();
        quote! {
            impl From<&str> for T {
                fn from(value: &str) -> Self {
                    #evolvable_enum::from_wire(value)
                }
            }
        }
    });
    vec![
        declaration,
        Item::Impl(evolvable_impl),
        Item::Impl(serialize),
        Item::Impl(deserialize),
        Item::Impl(display),
        Item::Impl(from_str),
    ]
}

fn flags(plan: &Plan, id: TypeId) -> Vec<Item> {
    let flag_set = runtime_items::FLAG_SET.syn_path();
    let name = format_ident!("{}", plan.name(id).ident);
    let self_ty = || path_type(syntax::path([name.clone()]));
    let variants = &plan.variants[&id];
    let mut attrs = type_docs(
        plan,
        id,
        "flags (`IsFlags`): comma-separated member names on the wire, unknown names are kept",
    );
    attrs.push(syntax::derive(&[
        "Clone",
        "PartialEq",
        "Eq",
        "Hash",
        "Default",
    ]));
    let declaration = syntax::tuple_struct(attrs, name.clone(), path_type(flag_set.clone()));
    let mut from_bits = flag_set;
    from_bits.segments.push(format_ident!("from_bits").into());
    let consts = variants
        .iter()
        .map(|v| {
            let bits = syntax::call(from_bits.clone(), [syntax::lit_int(v.value)]);
            syntax::assoc_const(
                member_docs(plan, id, v),
                syntax::public(),
                format_ident!("{}", v.ident),
                path_type(path_of(&["Self"])),
                syntax::call(path_of(&["Self"]), [bits]),
            )
        })
        .collect();
    let constants = syntax::inherent_impl(Vec::new(), self_ty(), consts);

    let mut flags_impl = syntax::impl_for("enums.flags", self_ty(), || {
        let flag_set = runtime_items::FLAG_SET.path();
        let flags_enum = runtime_items::FLAGS_ENUM.path();
        quote! {
            impl #flags_enum for T {
                const MEMBERS: &'static [(&'static str, i64)] = &[];

                fn from_set(set: #flag_set) -> Self {
                    Self(set)
                }

                fn as_set(&self) -> &#flag_set {
                    &self.0
                }
            }
        }
    });
    set_members(&mut flags_impl, variants);
    // The rest is the same for every flags type: the runtime does the work.
    let fixed = [
        syntax::impl_for("enums.flags.debug", self_ty(), || {
            let debug_flags = runtime_items::DEBUG_FLAGS.path();
            quote! {
                impl std::fmt::Debug for T {
                    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        #debug_flags(self, f)
                    }
                }
            }
        }),
        syntax::impl_for("enums.flags.display", self_ty(), || {
            let fmt_flags = runtime_items::FMT_FLAGS.path();
            quote! {
                impl std::fmt::Display for T {
                    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        #fmt_flags(self, f)
                    }
                }
            }
        }),
        syntax::impl_for("enums.flags.from_str", self_ty(), || {
            let parse_flags = runtime_items::PARSE_FLAGS.path();
            quote! {
                impl std::str::FromStr for T {
                    type Err = std::convert::Infallible;

                    fn from_str(s: &str) -> Result<Self, Self::Err> {
                        Ok(#parse_flags(s))
                    }
                }
            }
        }),
        syntax::impl_for("enums.flags.bitor", self_ty(), || {
            let flags_enum = runtime_items::FLAGS_ENUM.path();
            quote! {
                impl std::ops::BitOr for T {
                    type Output = Self;

                    fn bitor(self, rhs: Self) -> Self {
                        #flags_enum::union(&self, &rhs)
                    }
                }
            }
        }),
        syntax::impl_for("enums.flags.bitor_assign", self_ty(), || {
            let flags_enum = runtime_items::FLAGS_ENUM.path();
            quote! {
                impl std::ops::BitOrAssign for T {
                    fn bitor_assign(&mut self, rhs: Self) {
                        *self = #flags_enum::union(self, &rhs);
                    }
                }
            }
        }),
        syntax::impl_for("enums.flags.serialize", self_ty(), || {
            let serialize = runtime_items::SERIALIZE_FLAGS.path();
            quote! {
                impl serde::Serialize for T {
                    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        #serialize(self, serializer)
                    }
                }
            }
        }),
        syntax::impl_for("enums.flags.deserialize", self_ty(), || {
            let deserialize = runtime_items::DESERIALIZE_FLAGS.path();
            quote! {
                impl<'de> serde::Deserialize<'de> for T {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        #deserialize(deserializer)
                    }
                }
            }
        }),
    ];
    let mut items = vec![declaration, constants, Item::Impl(flags_impl)];
    items.extend(fixed.into_iter().map(Item::Impl));
    items
}

//! EDM and named types to Rust type tokens.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Plan;
use crate::model::{Primitive, Target, TypeId, TypeRef};
use crate::runtime_items;

/// Builds Rust type tokens for references, as seen from one module.
pub struct RustType<'p, 'm> {
    plan: &'p Plan<'m>,
    /// The module the tokens are emitted into.
    module: usize,
}

impl<'p, 'm> RustType<'p, 'm> {
    /// Type tokens for use inside module `module` of the plan.
    pub fn new(plan: &'p Plan<'m>, module: usize) -> Self {
        RustType { plan, module }
    }

    /// The Rust type of a primitive: a std type, or `edm::X` (files import the runtime's
    /// `edm` module).
    pub fn primitive(p: &Primitive) -> TokenStream {
        match p {
            Primitive::String => quote!(String),
            Primitive::Boolean => quote!(bool),
            Primitive::Byte => quote!(u8),
            Primitive::SByte => quote!(i8),
            Primitive::Int16 => quote!(i16),
            Primitive::Int32 => quote!(i32),
            Primitive::Int64 => quote!(i64),
            Primitive::Single => quote!(f32),
            Primitive::Double => quote!(f64),
            Primitive::Decimal => runtime_items::DECIMAL.in_module(),
            Primitive::Guid => runtime_items::GUID.in_module(),
            Primitive::Date => runtime_items::DATE.in_module(),
            Primitive::TimeOfDay => runtime_items::TIME_OF_DAY.in_module(),
            Primitive::DateTimeOffset => runtime_items::DATE_TIME_OFFSET.in_module(),
            Primitive::Duration => runtime_items::DURATION.in_module(),
            Primitive::Binary => runtime_items::BINARY.in_module(),
            Primitive::Stream => runtime_items::STREAM.in_module(),
            Primitive::Untyped | Primitive::Spatial(_) | Primitive::Abstract(_) => {
                runtime_items::UNTYPED.in_module()
            }
        }
    }

    /// The path to a named type.
    pub fn named(&self, id: TypeId) -> TokenStream {
        let name = self.plan.name(id);
        let ident = format_ident!("{}", self.plan.value_ident(id));
        if name.module == self.module {
            quote!(#ident)
        } else {
            let module = format_ident!("{}", self.plan.modules[name.module].ident);
            // Files sit one level below their namespace module (`ns/entity_types.rs`), in the
            // crate and in the single-file form alike, so the path is relative.
            quote!(super::super::#module::#ident)
        }
    }

    /// The element type of a reference (without `Vec`/`Option`).
    pub fn element(&self, r: &TypeRef) -> TokenStream {
        match &r.target {
            Target::Primitive(p) => Self::primitive(p),
            Target::Type(id) => self.named(*id),
        }
    }

    /// `T` or `Vec<T>`, with `Box<T>` for boxed single values.
    pub fn value(&self, r: &TypeRef, boxed: bool) -> TokenStream {
        let element = self.element(r);
        if r.collection {
            quote!(Vec<#element>)
        } else if boxed {
            quote!(Box<#element>)
        } else {
            element
        }
    }
}

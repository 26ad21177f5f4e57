//! EDM and named types to Rust types (syntax trees, or their tokens), as seen from one
//! module.

use proc_macro2::{Ident, Span};
use syn::Type;

use super::Plan;
use crate::model::{Primitive, Target, TypeId, TypeRef};
use crate::runtime_items;

/// Builds Rust types for references, as seen from one module.
pub struct RustType<'p, 'm> {
    plan: &'p Plan<'m>,
    /// The module the types are emitted into.
    module: usize,
}

/// A type named by a path of identifiers.
fn path_type(segments: impl IntoIterator<Item = Ident>) -> Type {
    Type::Path(syn::TypePath {
        qself: None,
        path: syn::Path {
            leading_colon: None,
            segments: segments.into_iter().map(syn::PathSegment::from).collect(),
        },
    })
}

/// `outer<inner>` (`Vec`, `Box`).
fn wrapped(outer: &str, inner: Type) -> Type {
    let mut segment = syn::PathSegment::from(Ident::new(outer, Span::call_site()));
    segment.arguments = syn::PathArguments::AngleBracketed(syn::AngleBracketedGenericArguments {
        colon2_token: None,
        lt_token: Default::default(),
        args: std::iter::once(syn::GenericArgument::Type(inner)).collect(),
        gt_token: Default::default(),
    });
    Type::Path(syn::TypePath {
        qself: None,
        path: segment.into(),
    })
}

fn std_type(name: &str) -> Type {
    path_type([Ident::new(name, Span::call_site())])
}

impl<'p, 'm> RustType<'p, 'm> {
    /// Types for use inside module `module` of the plan.
    pub fn new(plan: &'p Plan<'m>, module: usize) -> Self {
        RustType { plan, module }
    }

    /// The Rust type of a primitive: a std type, or `edm::X` (files import the runtime's
    /// `edm` module).
    pub fn primitive_type(p: &Primitive) -> Type {
        let runtime = match p {
            Primitive::String => return std_type("String"),
            Primitive::Boolean => return std_type("bool"),
            Primitive::Byte => return std_type("u8"),
            Primitive::SByte => return std_type("i8"),
            Primitive::Int16 => return std_type("i16"),
            Primitive::Int32 => return std_type("i32"),
            Primitive::Int64 => return std_type("i64"),
            Primitive::Single => return std_type("f32"),
            Primitive::Double => return std_type("f64"),
            Primitive::Decimal => runtime_items::DECIMAL,
            Primitive::Guid => runtime_items::GUID,
            Primitive::Date => runtime_items::DATE,
            Primitive::TimeOfDay => runtime_items::TIME_OF_DAY,
            Primitive::DateTimeOffset => runtime_items::DATE_TIME_OFFSET,
            Primitive::Duration => runtime_items::DURATION,
            Primitive::Binary => runtime_items::BINARY,
            Primitive::Stream => runtime_items::STREAM,
            Primitive::Untyped | Primitive::Spatial(_) | Primitive::Abstract(_) => {
                runtime_items::UNTYPED
            }
        };
        Type::Path(syn::TypePath {
            qself: None,
            path: runtime.in_module_path(),
        })
    }

    /// The path to a named type.
    pub fn named_type(&self, id: TypeId) -> Type {
        let name = self.plan.name(id);
        let ident = Ident::new(self.plan.value_ident(id), Span::call_site());
        if name.module == self.module {
            path_type([ident])
        } else {
            let module = Ident::new(&self.plan.modules[name.module].ident, Span::call_site());
            let up = || Ident::new("super", Span::call_site());
            // Files sit one level below their namespace module (`ns/entity_types.rs`), in the
            // crate and in the single-file form alike, so the path is relative.
            path_type([up(), up(), module, ident])
        }
    }

    /// The element type of a reference (without `Vec`/`Option`).
    pub fn element_type(&self, r: &TypeRef) -> Type {
        match &r.target {
            Target::Primitive(p) => Self::primitive_type(p),
            Target::Type(id) => self.named_type(*id),
        }
    }

    /// `T` or `Vec<T>`, with `Box<T>` for boxed single values.
    pub fn value_type(&self, r: &TypeRef, boxed: bool) -> Type {
        let element = self.element_type(r);
        if r.collection {
            wrapped("Vec", element)
        } else if boxed {
            wrapped("Box", element)
        } else {
            element
        }
    }
}

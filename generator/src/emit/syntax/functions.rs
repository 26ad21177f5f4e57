//! Constructors of methods and of the expressions their bodies are made of (field access,
//! references, struct literals, closures, `let`), for the client's request methods: a
//! whole-Graph client has tens of thousands of them, which cost more to parse back than to
//! print (BENCHMARKS.md, "Syntax trees built, not parsed").

use proc_macro2::{Ident, Span};
use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, Type};

use super::{path_expr, path_of, path_type, public};

/// `self`.
pub(crate) fn self_expr() -> Expr {
    path_expr(path_of(&["self"]))
}

/// `base.name`.
pub(crate) fn field_of(base: Expr, name: Ident) -> Expr {
    Expr::Field(syn::ExprField {
        attrs: Vec::new(),
        base: Box::new(base),
        dot_token: Default::default(),
        member: syn::Member::Named(name),
    })
}

/// `self.name` of a field named by a plain identifier.
pub(crate) fn self_field(name: &str) -> Expr {
    field_of(self_expr(), Ident::new(name, Span::call_site()))
}

/// `&expr`.
pub(crate) fn borrow(expr: Expr) -> Expr {
    Expr::Reference(syn::ExprReference {
        attrs: Vec::new(),
        and_token: Default::default(),
        mutability: None,
        expr: Box::new(expr),
    })
}

/// `[elems, ...]`.
pub(crate) fn array(elems: impl IntoIterator<Item = Expr>) -> Expr {
    Expr::Array(syn::ExprArray {
        attrs: Vec::new(),
        bracket_token: Default::default(),
        elems: elems.into_iter().collect(),
    })
}

/// `path { name: value, ... }`.
pub(crate) fn struct_expr(
    path: syn::Path,
    fields: impl IntoIterator<Item = (Ident, Expr)>,
) -> Expr {
    Expr::Struct(syn::ExprStruct {
        attrs: Vec::new(),
        qself: None,
        path,
        brace_token: Default::default(),
        fields: fields
            .into_iter()
            .map(|(name, expr)| syn::FieldValue {
                attrs: Vec::new(),
                member: syn::Member::Named(name),
                colon_token: Some(Default::default()),
                expr,
            })
            .collect(),
        dot2_token: None,
        rest: None,
    })
}

/// `|param| body`.
pub(crate) fn closure(param: &str, body: Expr) -> Expr {
    Expr::Closure(syn::ExprClosure {
        attrs: Vec::new(),
        lifetimes: None,
        constness: None,
        movability: None,
        asyncness: None,
        capture: None,
        or1_token: Default::default(),
        inputs: Punctuated::from_iter([super::ident_pat(param)]),
        or2_token: Default::default(),
        output: syn::ReturnType::Default,
        body: Box::new(body),
    })
}

/// `let name = expr;`.
pub(crate) fn let_stmt(name: &str, expr: Expr) -> syn::Stmt {
    syn::Stmt::Local(syn::Local {
        attrs: Vec::new(),
        let_token: Default::default(),
        pat: super::ident_pat(name),
        init: Some(syn::LocalInit {
            eq_token: Default::default(),
            expr: Box::new(expr),
            diverge: None,
        }),
        semi_token: Default::default(),
    })
}

/// `()`.
pub(crate) fn unit_type() -> Type {
    Type::Tuple(syn::TypeTuple {
        paren_token: Default::default(),
        elems: Punctuated::new(),
    })
}

/// `impl Trait` of a trait named by `path`.
pub(crate) fn impl_trait(path: syn::Path) -> Type {
    Type::ImplTrait(syn::TypeImplTrait {
        impl_token: Default::default(),
        bounds: Punctuated::from_iter([syn::TypeParamBound::Trait(syn::TraitBound {
            paren_token: None,
            modifier: syn::TraitBoundModifier::None,
            lifetimes: None,
            path,
        })]),
    })
}

/// `name: ty`, an argument of a function.
pub(crate) fn typed_arg(name: Ident, ty: Type) -> syn::FnArg {
    syn::FnArg::Typed(syn::PatType {
        attrs: Vec::new(),
        pat: Box::new(syn::Pat::Ident(syn::PatIdent {
            attrs: Vec::new(),
            by_ref: None,
            mutability: None,
            ident: name,
            subpat: None,
        })),
        colon_token: Default::default(),
        ty: Box::new(ty),
    })
}

/// `&self`.
fn ref_self() -> syn::FnArg {
    syn::FnArg::Receiver(syn::Receiver {
        attrs: Vec::new(),
        reference: Some((Default::default(), None)),
        mutability: None,
        self_token: Default::default(),
        colon_token: None,
        ty: Box::new(super::reference(path_type(path_of(&["Self"])))),
    })
}

/// `attrs pub fn name(&self, args, ...) -> ret { stmts }`, a method of an `impl` block.
pub(crate) fn method(
    attrs: Vec<Attribute>,
    name: Ident,
    args: impl IntoIterator<Item = syn::FnArg>,
    ret: Type,
    stmts: Vec<syn::Stmt>,
) -> syn::ImplItemFn {
    syn::ImplItemFn {
        attrs,
        vis: public(),
        defaultness: None,
        sig: syn::Signature {
            constness: None,
            asyncness: None,
            unsafety: None,
            abi: None,
            fn_token: Default::default(),
            ident: name,
            generics: Default::default(),
            paren_token: Default::default(),
            inputs: std::iter::once(ref_self()).chain(args).collect(),
            variadic: None,
            output: syn::ReturnType::Type(Default::default(), Box::new(ret)),
        },
        block: syn::Block {
            brace_token: Default::default(),
            stmts,
        },
    }
}

/// The statement that ends a block with `expr`, its value.
pub(crate) fn tail(expr: Expr) -> syn::Stmt {
    syn::Stmt::Expr(expr, None)
}

/// `attrs vis name: ty` (a named field of the given visibility).
pub(crate) fn field_with(
    attrs: Vec<Attribute>,
    vis: syn::Visibility,
    name: Ident,
    ty: Type,
) -> syn::Field {
    syn::Field {
        vis,
        ..super::field(attrs, name, ty)
    }
}

/// `pub(super)`.
pub(crate) fn pub_super() -> syn::Visibility {
    syn::Visibility::Restricted(syn::VisRestricted {
        pub_token: Default::default(),
        paren_token: Default::default(),
        in_token: None,
        path: Box::new(path_of(&["super"])),
    })
}

#[cfg(test)]
mod tests {
    use quote::{format_ident, quote};
    use syn::ImplItem;

    use super::super::tests::assert_prints_like;
    use super::super::*;
    use super::*;

    /// A method of every shape the client builds prints as its tokens parsed would.
    #[test]
    fn methods_and_their_expressions_print_as_parsed() {
        let optional = wrapped(
            "Option",
            impl_trait(with_args(
                path_of(&["AsRef"]),
                [path_type(path_of(&["str"]))],
            )),
        );
        let request = path_type(with_args(path_of(&["Request"]), [unit_type()]));
        let mapped = method_call(
            path_expr(path_of(&["name"])),
            "map",
            [closure(
                "value",
                call(path_of(&["lit"]), [borrow(path_expr(path_of(&["value"])))]),
            )],
        );
        let built = method(
            vec![doc(" Sends it.")],
            format_ident!("send"),
            [typed_arg(format_ident!("name"), optional)],
            request,
            vec![
                let_stmt("path", method_call(self_field("path"), "clone", [])),
                tail(struct_expr(
                    path_of(&["Target"]),
                    [
                        (format_ident!("client"), borrow(self_field("client"))),
                        (format_ident!("path"), array([pair(lit_str("a"), mapped)])),
                    ],
                )),
            ],
        );
        let field = field_with(
            Vec::new(),
            pub_super(),
            format_ident!("path"),
            path_type(path_of(&["P"])),
        );
        let items = vec![
            named_struct(Vec::new(), format_ident!("B"), [field]),
            inherent_impl(
                Vec::new(),
                path_type(path_of(&["B"])),
                vec![ImplItem::Fn(built)],
            ),
        ];
        assert_prints_like(
            items,
            quote! {
                pub struct B { pub(super) path: P }
                impl B {
                    /// Sends it.
                    pub fn send(&self, name: Option<impl AsRef<str>>) -> Request<()> {
                        let path = self.path.clone();
                        Target { client: &self.client, path: [("a", name.map(|value| lit(&value)))] }
                    }
                }
            },
        );
    }
}

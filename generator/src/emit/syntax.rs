//! Syntax trees built without parsing: small constructors for the paths, types, attributes,
//! expressions and items the emitters write, so `format_part` prints them as they are.
//! Parsing `quote!` tokens back into a tree cost more than printing it (BENCHMARKS.md,
//! "Formatting without a second parse"); a tree built here is what that parse would give.
//!
//! Code whose shape never changes (the `impl` of a trait whose body only calls the runtime)
//! is a [`template`]: its tokens are parsed once per thread and the tree is cloned for each
//! type, with its self type set.

use std::cell::RefCell;
use std::collections::HashMap;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use syn::punctuated::Punctuated;
use syn::{token, Attribute, Expr, Item, Type};

use super::doc_lines::DocValue;

mod functions;
pub(crate) use functions::*;

/// A path of identifiers (`a::b::C`).
pub(crate) fn path(segments: impl IntoIterator<Item = Ident>) -> syn::Path {
    syn::Path {
        leading_colon: None,
        segments: segments.into_iter().map(syn::PathSegment::from).collect(),
    }
}

/// A path of names (`"Self"`, `"serde"`): each must be an identifier.
pub(crate) fn path_of(names: &[&str]) -> syn::Path {
    path(names.iter().map(|n| Ident::new(n, Span::call_site())))
}

/// `path` with generic arguments on its last segment (`Option<T>`).
pub(crate) fn with_args(mut path: syn::Path, args: impl IntoIterator<Item = Type>) -> syn::Path {
    let last = path.segments.last_mut().expect("a path has a segment");
    last.arguments = syn::PathArguments::AngleBracketed(syn::AngleBracketedGenericArguments {
        colon2_token: None,
        lt_token: Default::default(),
        args: args.into_iter().map(syn::GenericArgument::Type).collect(),
        gt_token: Default::default(),
    });
    path
}

/// A type named by a path.
pub(crate) fn path_type(path: syn::Path) -> Type {
    Type::Path(syn::TypePath { qself: None, path })
}

/// `outer<inner>` for a std type in scope (`Option`, `Vec`, `Box`).
pub(crate) fn wrapped(outer: &str, inner: Type) -> Type {
    path_type(with_args(path_of(&[outer]), [inner]))
}

/// `&'static T`.
pub(crate) fn static_ref(inner: Type) -> Type {
    Type::Reference(syn::TypeReference {
        and_token: Default::default(),
        lifetime: Some(syn::Lifetime::new("'static", Span::call_site())),
        mutability: None,
        elem: Box::new(inner),
    })
}

/// `[T]`.
pub(crate) fn slice(inner: Type) -> Type {
    Type::Slice(syn::TypeSlice {
        bracket_token: Default::default(),
        elem: Box::new(inner),
    })
}

/// `#[doc = "text"]`, which prettyplease prints as `///text`; while a file is produced,
/// the line's mark instead ([`super::doc_lines`]).
pub(crate) fn doc(text: &str) -> Attribute {
    outer(doc_meta(text, false))
}

/// The `#[doc]` attributes of consecutive lines, as [`doc`] makes each; while a file is
/// produced, a run of lines is one attribute with one mark ([`super::doc_lines::values`]).
pub(crate) fn docs<'a>(lines: impl IntoIterator<Item = &'a str>) -> Vec<Attribute> {
    super::doc_lines::values(lines)
        .into_iter()
        .map(|value| outer(doc_value_meta(value)))
        .collect()
}

fn doc_meta(text: &str, inner: bool) -> syn::Meta {
    doc_value_meta(super::doc_lines::value(text, inner))
}

fn doc_value_meta(value: DocValue<'_>) -> syn::Meta {
    let value = match value {
        DocValue::Marked(mark) => lit(syn::Lit::Str(mark)),
        DocValue::Literal(text) => lit_str(&text),
    };
    syn::Meta::NameValue(syn::MetaNameValue {
        path: path_of(&["doc"]),
        eq_token: Default::default(),
        value,
    })
}

/// Slots of the per-thread cache of string literals ([`string_literal`]): enough for the
/// lines that repeat most, at about 40 KiB per thread with Graph's doc lines (1024 slots
/// saved a little more time and raised the peak memory).
const LITERAL_SLOTS: usize = 256;

thread_local! {
    /// Recent string literals by their text, one per slot ([`slot_of`]):
    /// a literal from `proc_macro2` escapes its text one `char` at a time, which cost more
    /// than a seventh of `--all --client-out` on v1.0, and doc lines repeat (every struct's
    /// `additional_properties` docs, an inherited property's docs in each derived type, the
    /// fixed sentences of request methods). A frequent line keeps its slot; a line seen
    /// once only takes a slot until another line needs it, so memory stays bounded.
    static LITERALS: RefCell<Vec<Slot>> = RefCell::new(vec![None; LITERAL_SLOTS]);
}

/// A cached literal with its text.
type Slot = Option<(Box<str>, syn::LitStr)>;

/// The slot of `text`: a hash of its length and of at most 16 bytes at each end, which
/// tells doc lines apart in constant time (hashing whole lines cost about half of what the
/// cache saves). Two texts in one slot only take turns; the text is compared on a hit.
fn slot_of(text: &str) -> usize {
    let bytes = text.as_bytes();
    let ends = bytes.iter().take(16).chain(bytes.iter().rev().take(16));
    let hash = ends.fold(bytes.len() as u64, |h, &b| {
        (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x517c_c1b7_2722_0a95)
    });
    (hash >> 32) as usize % LITERAL_SLOTS
}

/// The string literal of `text`, from the cache when this thread made it recently.
fn string_literal(text: &str) -> syn::LitStr {
    let slot = slot_of(text);
    LITERALS.with(|cell| {
        let mut slots = cell.borrow_mut();
        match &slots[slot] {
            Some((cached, lit)) if **cached == *text => lit.clone(),
            _ => {
                let lit = syn::LitStr::new(text, Span::call_site());
                slots[slot] = Some((text.into(), lit.clone()));
                lit
            }
        }
    })
}

/// `#![doc = "text"]`.
pub(crate) fn inner_doc(text: &str) -> Attribute {
    Attribute {
        style: syn::AttrStyle::Inner(Default::default()),
        ..outer(doc_meta(text, true))
    }
}

/// `#[name(tokens)]` (`derive`, `allow`, `cfg`, `deprecated`): the tokens are kept as they
/// are, as a parse would keep them.
pub(crate) fn list_attr(name: &str, tokens: TokenStream) -> Attribute {
    outer(syn::Meta::List(syn::MetaList {
        path: path_of(&[name]),
        delimiter: syn::MacroDelimiter::Paren(Default::default()),
        tokens,
    }))
}

/// `#[inline]`.
pub(crate) fn inline() -> Attribute {
    outer(syn::Meta::Path(path_of(&["inline"])))
}

fn outer(meta: syn::Meta) -> Attribute {
    Attribute {
        pound_token: Default::default(),
        style: syn::AttrStyle::Outer,
        bracket_token: Default::default(),
        meta,
    }
}

/// `#[derive(A, B, ...)]` of std traits (and `Default`).
pub(crate) fn derive(traits: &[&str]) -> Attribute {
    let traits = traits.iter().map(|t| Ident::new(t, Span::call_site()));
    list_attr("derive", quote::quote!(#(#traits),*))
}

/// `#[cfg(feature = "...")]` when an item needs a feature.
pub(crate) fn cfg(feature: Option<&str>) -> Option<Attribute> {
    feature.map(|f| list_attr("cfg", quote::quote!(feature = #f)))
}

/// Adds `attr` before every other attribute of `item` (a `cfg` gate).
pub(crate) fn gate(item: &mut Item, attr: Attribute) {
    if let Some(attrs) = attrs_mut(item) {
        attrs.insert(0, attr);
    }
}

fn attrs_mut(item: &mut Item) -> Option<&mut Vec<Attribute>> {
    Some(match item {
        Item::Const(i) => &mut i.attrs,
        Item::Enum(i) => &mut i.attrs,
        Item::ExternCrate(i) => &mut i.attrs,
        Item::Fn(i) => &mut i.attrs,
        Item::ForeignMod(i) => &mut i.attrs,
        Item::Impl(i) => &mut i.attrs,
        Item::Macro(i) => &mut i.attrs,
        Item::Mod(i) => &mut i.attrs,
        Item::Static(i) => &mut i.attrs,
        Item::Struct(i) => &mut i.attrs,
        Item::Trait(i) => &mut i.attrs,
        Item::TraitAlias(i) => &mut i.attrs,
        Item::Type(i) => &mut i.attrs,
        Item::Union(i) => &mut i.attrs,
        Item::Use(i) => &mut i.attrs,
        _ => return None,
    })
}

/// `mod name;` (a module in its own file).
pub(crate) fn module_decl(name: Ident) -> Item {
    Item::Mod(syn::ItemMod {
        attrs: Vec::new(),
        vis: syn::Visibility::Inherited,
        unsafety: None,
        mod_token: Default::default(),
        ident: name,
        content: None,
        semi: Some(Default::default()),
    })
}

/// `mod name { items }`, public with its attributes when `public` gives them.
pub(crate) fn inline_module(public: Option<Vec<Attribute>>, name: Ident, items: Vec<Item>) -> Item {
    let (attrs, vis) = match public {
        Some(attrs) => (attrs, self::public()),
        None => (Vec::new(), syn::Visibility::Inherited),
    };
    Item::Mod(syn::ItemMod {
        attrs,
        vis,
        unsafety: None,
        mod_token: Default::default(),
        ident: name,
        content: Some((Default::default(), items)),
        semi: None,
    })
}

/// `attrs pub use module::*;`.
pub(crate) fn glob_reexport(attrs: Vec<Attribute>, module: Ident) -> Item {
    Item::Use(syn::ItemUse {
        attrs,
        vis: public(),
        use_token: Default::default(),
        leading_colon: None,
        tree: syn::UseTree::Path(syn::UsePath {
            ident: module,
            colon2_token: Default::default(),
            tree: Box::new(syn::UseTree::Glob(syn::UseGlob {
                star_token: Default::default(),
            })),
        }),
        semi_token: Default::default(),
    })
}

/// `pub`.
pub(crate) fn public() -> syn::Visibility {
    syn::Visibility::Public(Default::default())
}

/// A string literal expression.
pub(crate) fn lit_str(text: &str) -> Expr {
    lit(syn::Lit::Str(string_literal(text)))
}

/// An integer literal without suffix.
pub(crate) fn lit_int(value: i64) -> Expr {
    lit(syn::Lit::Int(Literal::i64_unsuffixed(value).into()))
}

fn lit(lit: syn::Lit) -> Expr {
    Expr::Lit(syn::ExprLit {
        attrs: Vec::new(),
        lit,
    })
}

/// An expression that is a path (`Self::A`).
pub(crate) fn path_expr(path: syn::Path) -> Expr {
    Expr::Path(syn::ExprPath {
        attrs: Vec::new(),
        qself: None,
        path,
    })
}

/// `func(args, ...)`.
pub(crate) fn call(func: syn::Path, args: impl IntoIterator<Item = Expr>) -> Expr {
    Expr::Call(syn::ExprCall {
        attrs: Vec::new(),
        func: Box::new(path_expr(func)),
        paren_token: Default::default(),
        args: args.into_iter().collect(),
    })
}

/// `&[elems, ...]`.
pub(crate) fn array_ref(elems: impl IntoIterator<Item = Expr>) -> Expr {
    Expr::Reference(syn::ExprReference {
        attrs: Vec::new(),
        and_token: Default::default(),
        mutability: None,
        expr: Box::new(Expr::Array(syn::ExprArray {
            attrs: Vec::new(),
            bracket_token: Default::default(),
            elems: elems.into_iter().collect(),
        })),
    })
}

/// `(a, b)`.
pub(crate) fn pair(a: Expr, b: Expr) -> Expr {
    Expr::Tuple(syn::ExprTuple {
        attrs: Vec::new(),
        paren_token: Default::default(),
        elems: Punctuated::from_iter([a, b]),
    })
}

/// `attrs pub name: ty` (a named field).
pub(crate) fn field(attrs: Vec<Attribute>, name: Ident, ty: Type) -> syn::Field {
    syn::Field {
        attrs,
        vis: public(),
        mutability: syn::FieldMutability::None,
        ident: Some(name),
        colon_token: Some(Default::default()),
        ty,
    }
}

/// `attrs pub struct name { fields }`.
pub(crate) fn named_struct(
    attrs: Vec<Attribute>,
    name: Ident,
    fields: impl IntoIterator<Item = syn::Field>,
) -> Item {
    Item::Struct(syn::ItemStruct {
        attrs,
        vis: public(),
        struct_token: Default::default(),
        ident: name,
        generics: Default::default(),
        fields: syn::Fields::Named(syn::FieldsNamed {
            brace_token: Default::default(),
            named: fields.into_iter().collect(),
        }),
        semi_token: None,
    })
}

/// `attrs pub struct name(ty);`.
pub(crate) fn tuple_struct(attrs: Vec<Attribute>, name: Ident, ty: Type) -> Item {
    Item::Struct(syn::ItemStruct {
        attrs,
        vis: public(),
        struct_token: Default::default(),
        ident: name,
        generics: Default::default(),
        fields: syn::Fields::Unnamed(syn::FieldsUnnamed {
            paren_token: Default::default(),
            unnamed: Punctuated::from_iter([syn::Field {
                attrs: Vec::new(),
                vis: syn::Visibility::Inherited,
                mutability: syn::FieldMutability::None,
                ident: None,
                colon_token: None,
                ty,
            }]),
        }),
        semi_token: Some(Default::default()),
    })
}

/// An enum variant: `attrs Name` or `attrs Name(ty)`.
pub(crate) fn variant(attrs: Vec<Attribute>, name: Ident, ty: Option<Type>) -> syn::Variant {
    let fields = match ty {
        None => syn::Fields::Unit,
        Some(ty) => syn::Fields::Unnamed(syn::FieldsUnnamed {
            paren_token: Default::default(),
            unnamed: Punctuated::from_iter([syn::Field {
                attrs: Vec::new(),
                vis: syn::Visibility::Inherited,
                mutability: syn::FieldMutability::None,
                ident: None,
                colon_token: None,
                ty,
            }]),
        }),
    };
    syn::Variant {
        attrs,
        ident: name,
        fields,
        discriminant: None,
    }
}

/// `attrs pub enum name { variants }`.
pub(crate) fn enumeration(
    attrs: Vec<Attribute>,
    name: Ident,
    variants: impl IntoIterator<Item = syn::Variant>,
) -> Item {
    Item::Enum(syn::ItemEnum {
        attrs,
        vis: public(),
        enum_token: Default::default(),
        ident: name,
        generics: Default::default(),
        brace_token: Default::default(),
        variants: variants.into_iter().collect(),
    })
}

/// `attrs pub type name = ty;`.
pub(crate) fn type_alias(attrs: Vec<Attribute>, name: Ident, ty: Type) -> Item {
    Item::Type(syn::ItemType {
        attrs,
        vis: public(),
        type_token: Default::default(),
        ident: name,
        generics: Default::default(),
        eq_token: Default::default(),
        ty: Box::new(ty),
        semi_token: Default::default(),
    })
}

/// `attrs pub const name: ty = expr;` in an `impl` block.
pub(crate) fn assoc_const(
    attrs: Vec<Attribute>,
    vis: syn::Visibility,
    name: Ident,
    ty: Type,
    expr: Expr,
) -> syn::ImplItem {
    syn::ImplItem::Const(syn::ImplItemConst {
        attrs,
        vis,
        defaultness: None,
        const_token: Default::default(),
        ident: name,
        generics: Default::default(),
        colon_token: Default::default(),
        ty,
        eq_token: Default::default(),
        expr,
        semi_token: Default::default(),
    })
}

/// `attrs impl self_ty { items }`.
pub(crate) fn inherent_impl(
    attrs: Vec<Attribute>,
    self_ty: Type,
    items: Vec<syn::ImplItem>,
) -> Item {
    Item::Impl(syn::ItemImpl {
        attrs,
        defaultness: None,
        unsafety: None,
        impl_token: Default::default(),
        generics: Default::default(),
        trait_: None,
        self_ty: Box::new(self_ty),
        brace_token: token::Brace::default(),
        items,
    })
}

/// The `match` an `impl` template's function `name` consists of, to add arms to.
pub(crate) fn match_of<'i>(item: &'i mut syn::ItemImpl, name: &str) -> &'i mut syn::ExprMatch {
    let body = item.items.iter_mut().find_map(|i| match i {
        syn::ImplItem::Fn(f) if f.sig.ident == name => Some(&mut f.block.stmts),
        _ => None,
    });
    match body.map(|stmts| stmts.as_mut_slice()) {
        Some([syn::Stmt::Expr(Expr::Match(m), None)]) => m,
        _ => panic!("template function `{name}` is one `match`"),
    }
}

/// `pat => body,`.
pub(crate) fn arm(attrs: Vec<Attribute>, pat: syn::Pat, body: Expr) -> syn::Arm {
    syn::Arm {
        attrs,
        pat,
        guard: None,
        fat_arrow_token: Default::default(),
        body: Box::new(body),
        comma: Some(Default::default()),
    }
}

/// A string literal pattern.
pub(crate) fn lit_pat(text: &str) -> syn::Pat {
    match lit_str(text) {
        Expr::Lit(l) => syn::Pat::Lit(l),
        _ => unreachable!("a literal"),
    }
}

/// A path pattern (`Self::A`).
pub(crate) fn path_pat(path: syn::Path) -> syn::Pat {
    syn::Pat::Path(syn::ExprPath {
        attrs: Vec::new(),
        qself: None,
        path,
    })
}

/// `&T`.
pub(crate) fn reference(inner: Type) -> Type {
    Type::Reference(syn::TypeReference {
        and_token: Default::default(),
        lifetime: None,
        mutability: None,
        elem: Box::new(inner),
    })
}

/// `receiver.method(args, ...)`.
pub(crate) fn method_call(
    receiver: Expr,
    method: &str,
    args: impl IntoIterator<Item = Expr>,
) -> Expr {
    Expr::MethodCall(syn::ExprMethodCall {
        attrs: Vec::new(),
        receiver: Box::new(receiver),
        dot_token: Default::default(),
        method: Ident::new(method, Span::call_site()),
        turbofish: None,
        paren_token: Default::default(),
        args: args.into_iter().collect(),
    })
}

/// `path(elem)` as a pattern (`Self::A(value)`).
pub(crate) fn tuple_pat(path: syn::Path, elem: syn::Pat) -> syn::Pat {
    syn::Pat::TupleStruct(syn::PatTupleStruct {
        attrs: Vec::new(),
        qself: None,
        path,
        paren_token: Default::default(),
        elems: Punctuated::from_iter([elem]),
    })
}

/// `_`.
pub(crate) fn wild_pat() -> syn::Pat {
    syn::Pat::Wild(syn::PatWild {
        attrs: Vec::new(),
        underscore_token: Default::default(),
    })
}

/// A binding (`value`).
pub(crate) fn ident_pat(name: &str) -> syn::Pat {
    syn::Pat::Ident(syn::PatIdent {
        attrs: Vec::new(),
        by_ref: None,
        mutability: None,
        ident: Ident::new(name, Span::call_site()),
        subpat: None,
    })
}

/// `a | b | ...`, or the one pattern.
pub(crate) fn or_pat(mut cases: Vec<syn::Pat>) -> syn::Pat {
    if cases.len() == 1 {
        return cases.remove(0);
    }
    syn::Pat::Or(syn::PatOr {
        attrs: Vec::new(),
        leading_vert: None,
        cases: cases.into_iter().collect(),
    })
}

/// An `impl` block of a shape that names its type, parsed: the callers add what grows with
/// the model (match arms) as trees, so what is parsed is a few lines per type.
pub(crate) fn parse_impl(tokens: TokenStream) -> syn::ItemImpl {
    syn::parse2(tokens).unwrap_or_else(|e| panic!("generated impl parses: {e}"))
}

thread_local! {
    /// Parsed templates by name. Syntax trees are not `Send`, so each formatting thread
    /// keeps its own.
    static TEMPLATES: RefCell<HashMap<&'static str, Item>> = RefCell::new(HashMap::new());
}

/// The fixed item `name`, parsed from `make()` the first time this thread asks for it.
/// `name` must identify the code: two different codes under one name would print wrong.
pub(crate) fn template(name: &'static str, make: impl FnOnce() -> TokenStream) -> Item {
    TEMPLATES.with(|cell| {
        let mut templates = cell.borrow_mut();
        templates
            .entry(name)
            .or_insert_with(|| {
                syn::parse2(make()).unwrap_or_else(|e| panic!("template {name} parses: {e}"))
            })
            .clone()
    })
}

/// The `impl` template `name` (written for any type, its own named `Self` inside) for
/// `self_ty`.
pub(crate) fn impl_for(
    name: &'static str,
    self_ty: Type,
    make: impl FnOnce() -> TokenStream,
) -> syn::ItemImpl {
    match template(name, make) {
        Item::Impl(mut i) => {
            i.self_ty = Box::new(self_ty);
            i
        }
        _ => panic!("template {name} is an impl"),
    }
}

/// The first function of the `impl` template `name`, to fill in.
pub(crate) fn impl_fn(name: &'static str, make: impl FnOnce() -> TokenStream) -> syn::ImplItemFn {
    match template(name, make) {
        Item::Impl(i) => i
            .items
            .into_iter()
            .find_map(|i| match i {
                syn::ImplItem::Fn(f) => Some(f),
                _ => None,
            })
            .unwrap_or_else(|| panic!("template {name} has a function")),
        _ => panic!("template {name} is an impl"),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use quote::quote;

    use super::*;

    /// `built` prints exactly as `tokens` parsed would.
    pub(crate) fn assert_prints_like(built: Vec<Item>, tokens: TokenStream) {
        let parsed: syn::File = syn::parse2(tokens).expect("reference tokens parse");
        let built = syn::File {
            shebang: None,
            attrs: Vec::new(),
            items: built,
        };
        assert_eq!(
            prettyplease::unparse(&built),
            prettyplease::unparse(&parsed)
        );
    }

    fn id(s: &str) -> Ident {
        Ident::new(s, Span::call_site())
    }

    #[test]
    fn structs_fields_and_attributes_print_as_parsed() {
        let mut item = named_struct(
            vec![doc(" A thing."), doc(""), derive(&["Debug", "Clone"])],
            id("Thing"),
            [
                field(
                    vec![doc(" The name."), cfg(Some("area")).unwrap()],
                    id("name"),
                    wrapped(
                        "Option",
                        wrapped("Vec", path_type(path_of(&["edm", "Guid"]))),
                    ),
                ),
                field(
                    Vec::new(),
                    crate::emit::ident("type"),
                    path_type(path_of(&["String"])),
                ),
            ],
        );
        gate(&mut item, cfg(Some("home")).unwrap());
        assert_prints_like(
            vec![item],
            quote! {
                #[cfg(feature = "home")]
                /// A thing.
                #[doc = ""]
                #[derive(Debug, Clone)]
                pub struct Thing {
                    /// The name.
                    #[cfg(feature = "area")]
                    pub name: Option<Vec<edm::Guid>>,
                    pub r#type: String,
                }
            },
        );
    }

    #[test]
    fn consts_enums_and_aliases_print_as_parsed() {
        let members = static_ref(slice(path_type(path_of(&["Field"]))));
        let konst = assoc_const(
            vec![doc(" All.")],
            public(),
            id("ALL"),
            members,
            array_ref([
                pair(lit_str("a\"b"), lit_int(-3)),
                call(path_of(&["Field", "new"]), [lit_str("x")]),
            ]),
        );
        let items = vec![
            inherent_impl(
                vec![list_attr("allow", quote!(unused))],
                path_type(path_of(&["T"])),
                vec![konst],
            ),
            enumeration(
                vec![inner_doc_free()],
                id("E"),
                [
                    variant(vec![doc(" One.")], id("One"), None),
                    variant(Vec::new(), id("Two"), Some(path_type(path_of(&["String"])))),
                ],
            ),
            type_alias(Vec::new(), id("Alias"), path_type(path_of(&["i64"]))),
            tuple_struct(Vec::new(), id("Set"), path_type(path_of(&["u8"]))),
        ];
        assert_prints_like(
            items,
            quote! {
                #[allow(unused)]
                impl T {
                    /// All.
                    pub const ALL: &'static [Field] = &[("a\"b", -3), Field::new("x")];
                }
                #[allow(dead_code)]
                pub enum E {
                    /// One.
                    One,
                    Two(String),
                }
                pub type Alias = i64;
                pub struct Set(u8);
            },
        );
    }

    /// Cached string literals are those of their own text, also when more texts than
    /// slots take turns (each slot is reused), and print as a fresh literal does.
    #[test]
    fn cached_literals_keep_their_text() {
        let texts: Vec<String> = (0..3 * LITERAL_SLOTS)
            .map(|i| format!(" Line {i} with \"quotes\", a \\ and \u{e9}."))
            .collect();
        for _ in 0..2 {
            for text in &texts {
                assert_eq!(string_literal(text).value(), *text);
            }
        }
        assert_prints_like(
            vec![type_alias(
                vec![doc(&texts[0]), doc(&texts[0])],
                id("A"),
                path_type(path_of(&["u8"])),
            )],
            quote! {
                #[doc = " Line 0 with \"quotes\", a \\ and \u{e9}."]
                #[doc = " Line 0 with \"quotes\", a \\ and \u{e9}."]
                pub type A = u8;
            },
        );
    }

    fn inner_doc_free() -> Attribute {
        list_attr("allow", quote!(dead_code))
    }

    #[test]
    fn templates_take_their_self_type_and_arms() {
        let make = || {
            quote! {
                impl X for T {
                    fn f(&self) -> &str {
                        match self {
                            Self::Other(v) => v,
                        }
                    }
                }
            }
        };
        let mut i = impl_for("test.template", path_type(path_of(&["Mine"])), make);
        match_of(&mut i, "f").arms.insert(
            0,
            arm(Vec::new(), path_pat(path_of(&["Self", "A"])), lit_str("a")),
        );
        assert_prints_like(
            vec![Item::Impl(i)],
            quote! {
                impl X for Mine {
                    fn f(&self) -> &str {
                        match self {
                            Self::A => "a",
                            Self::Other(v) => v,
                        }
                    }
                }
            },
        );
    }
}

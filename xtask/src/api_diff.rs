//! A short API diff between two versions of a generated crate, to pick the semver bump:
//! public types, fields, enum variants and methods, compared by signature.

use std::collections::BTreeSet;
use std::path::Path;

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use quote::ToTokens;

/// The public surface of the Rust files under `dir/src` (and the files given in memory).
/// The part crates of a split models crate (`parts/<part>/src/`) count as its own files:
/// it re-exports all of them at the same paths.
pub fn surface_of_files<'a>(files: impl Iterator<Item = (&'a str, &'a str)>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (path, text) in files {
        if !path.ends_with(".rs") || !(path.starts_with("src/") || in_a_part(path)) {
            continue;
        }
        let Ok(tokens) = text.parse::<proc_macro2::TokenStream>() else {
            continue;
        };
        if let Ok(file) = syn::parse2::<syn::File>(without_bodies(tokens)) {
            items(&file.items, &mut out);
        }
    }
    out
}

/// `tokens` with every function body emptied (`fn f() -> T { .. }` becomes `fn f() -> T {}`),
/// in item lists and in the bodies of `impl`, `trait` and `mod` blocks. The surface reads
/// signatures only, and the bodies (serialization above all) are most of what `syn` would
/// otherwise parse: of the whole-Graph crates, about half of `cargo xtask codegen`'s time.
fn without_bodies(tokens: TokenStream) -> TokenStream {
    let mut out: Vec<TokenTree> = Vec::new();
    // Inside a function's signature: from its `fn` to its body or to a `;` (a declaration,
    // or a `fn(..)` pointer type of a `type` or `const` item).
    let mut in_signature = false;
    // The last keyword that opens a block of items (`impl`, `trait`, `mod`).
    let mut opens_items = false;
    for tree in tokens {
        match tree {
            TokenTree::Ident(ident) => {
                if ident == "fn" {
                    in_signature = true;
                } else if ident == "impl" || ident == "trait" || ident == "mod" {
                    opens_items = !in_signature;
                }
                out.push(TokenTree::Ident(ident));
            }
            TokenTree::Punct(p) => {
                if p.as_char() == ';' {
                    in_signature = false;
                    opens_items = false;
                }
                out.push(TokenTree::Punct(p));
            }
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace && in_signature => {
                let mut empty = Group::new(Delimiter::Brace, TokenStream::new());
                empty.set_span(g.span());
                out.push(TokenTree::Group(empty));
                in_signature = false;
            }
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace && opens_items => {
                let mut inner = Group::new(Delimiter::Brace, without_bodies(g.stream()));
                inner.set_span(g.span());
                out.push(TokenTree::Group(inner));
                opens_items = false;
            }
            TokenTree::Group(g) => {
                // Any other braces (a struct's fields, an enum's variants) end an item.
                if g.delimiter() == Delimiter::Brace {
                    opens_items = false;
                }
                out.push(TokenTree::Group(g));
            }
            other => out.push(other),
        }
    }
    out.into_iter().collect()
}

/// Whether `path` is a source file of a part crate (`parts/<part>/src/...`).
fn in_a_part(path: &str) -> bool {
    path.strip_prefix("parts/")
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(_, rest)| rest.starts_with("src/"))
}

/// The public surface of the crate at `dir` as it is on disk.
pub fn surface_of_dir(dir: &Path) -> BTreeSet<String> {
    let mut files = Vec::new();
    let mut stack = vec![dir.join("src"), dir.join("parts")];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let (Ok(text), Ok(rel)) = (std::fs::read_to_string(&p), p.strip_prefix(dir)) {
                files.push((rel.to_string_lossy().replace('\\', "/"), text));
            }
        }
    }
    surface_of_files(files.iter().map(|(p, t)| (p.as_str(), t.as_str())))
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

/// Token text with the spaces proc-macro2 puts between all tokens removed, except between
/// two words (`fn f`, `impl Trait`).
fn squash(tokens: impl ToTokens) -> String {
    let text = tokens.to_token_stream().to_string();
    let chars: Vec<char> = text.chars().collect();
    let word = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric() || *c == '_');
    let mut out = String::with_capacity(text.len());
    for (i, c) in chars.iter().enumerate() {
        if *c == ' ' && !(word(out.chars().last().as_ref()) && word(chars.get(i + 1))) {
            continue;
        }
        out.push(*c);
    }
    out
}

fn items(list: &[syn::Item], out: &mut BTreeSet<String>) {
    for item in list {
        match item {
            syn::Item::Struct(s) if is_pub(&s.vis) => {
                out.insert(format!("struct {}", s.ident));
                for f in &s.fields {
                    if let (true, Some(name)) = (is_pub(&f.vis), &f.ident) {
                        out.insert(format!("field {}.{}: {}", s.ident, name, squash(&f.ty)));
                    }
                }
            }
            syn::Item::Enum(e) if is_pub(&e.vis) => {
                out.insert(format!("enum {}", e.ident));
                for v in &e.variants {
                    out.insert(format!("variant {}::{}", e.ident, v.ident));
                }
            }
            syn::Item::Type(t) if is_pub(&t.vis) => {
                out.insert(format!("type {} = {}", t.ident, squash(&t.ty)));
            }
            syn::Item::Impl(i) if i.trait_.is_none() => {
                let self_ty = squash(&i.self_ty);
                for it in &i.items {
                    match it {
                        syn::ImplItem::Fn(f) if is_pub(&f.vis) => {
                            out.insert(format!("fn {self_ty}::{}", squash(&f.sig)));
                        }
                        syn::ImplItem::Const(c) if is_pub(&c.vis) => {
                            out.insert(format!("const {self_ty}::{}", c.ident));
                        }
                        _ => {}
                    }
                }
            }
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    items(inner, out);
                }
            }
            _ => {}
        }
    }
}

/// Lines `+ ...` and `- ...`, and the bump they call for.
pub fn report(old: &BTreeSet<String>, new: &BTreeSet<String>) -> (Vec<String>, &'static str) {
    let removed: Vec<_> = old.difference(new).map(|s| format!("- {s}")).collect();
    let added: Vec<_> = new.difference(old).map(|s| format!("+ {s}")).collect();
    let bump = if !removed.is_empty() {
        "breaking (removed or changed items): bump the minor version while 0.x, else the major"
    } else if !added.is_empty() {
        "additive: bump the patch version while 0.x, else the minor"
    } else {
        "no API change"
    };
    (removed.into_iter().chain(added).collect(), bump)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Emptying function bodies changes no surface: signatures, `impl Trait` return types,
    /// function pointer types and nested blocks of items are read as before.
    #[test]
    fn bodies_are_skipped_without_changing_the_surface() {
        let text = r#"
            pub type Callback = fn(u8) -> u8;
            pub const LIMIT: usize = { 3 };
            pub struct A { pub f: fn(u8) -> u8, pub x: Option<String> }
            pub mod m {
                pub struct B { pub y: u8 }
                impl B {
                    pub fn iter(&self) -> impl Iterator<Item = u8> + '_ { std::iter::once(self.y) }
                    pub const C: u8 = 1;
                }
            }
            impl A {
                pub fn f(&self, g: fn(u8) -> u8) -> u8 {
                    struct Inner { pub hidden: u8 }
                    impl Inner { pub fn not_api(&self) {} }
                    fn helper() {}
                    if true { g(1) } else { 2 }
                }
                pub fn g() where Self: Sized {}
            }
            impl std::fmt::Debug for A {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str("A") }
            }
        "#;
        let full = syn::parse_file(text).expect("parses");
        let mut expected = BTreeSet::new();
        items(&full.items, &mut expected);
        let surface = surface_of_files([("src/lib.rs", text)].into_iter());
        assert_eq!(surface, expected);
        assert!(
            surface.contains("fn A::fn f(&self,g:fn(u8)->u8)->u8"),
            "{surface:?}"
        );
        assert!(surface.contains("const B::C"), "{surface:?}");
        assert!(!surface.iter().any(|s| s.contains("Inner")), "{surface:?}");
    }

    #[test]
    fn diff_classifies_changes() {
        let old = surface_of_files(
            [(
                "src/lib.rs",
                "pub struct A { pub x: Option<String>, y: u8 } pub enum E { One, Two } impl A { pub fn f(&self) {} fn g() {} }",
            )]
            .into_iter(),
        );
        assert!(old.contains("field A.x: Option<String>"), "{old:?}");
        assert!(!old.iter().any(|s| s.contains(".y")));
        assert!(old.contains("fn A::fn f(&self)"));
        let new = surface_of_files(
            [(
                "src/lib.rs",
                "pub struct A { pub x: Option<String>, pub z: Option<i64> } pub enum E { One, Two } impl A { pub fn f(&self) {} }",
            )]
            .into_iter(),
        );
        let (lines, bump) = report(&old, &new);
        assert_eq!(lines, ["+ field A.z: Option<i64>"]);
        assert!(bump.starts_with("additive"));
        let (lines, bump) = report(&new, &old);
        assert_eq!(lines, ["- field A.z: Option<i64>"]);
        assert!(bump.starts_with("breaking"));
    }

    /// Moving the types into part crates (which the crate re-exports) changes no API; files
    /// elsewhere (a part's manifest, another directory) are not read.
    #[test]
    fn part_crates_are_the_crates_surface() {
        let whole = surface_of_files(
            [(
                "src/ns/types.rs",
                "pub struct A { pub x: Option<String> } pub struct B {}",
            )]
            .into_iter(),
        );
        let split = surface_of_files(
            [
                (
                    "src/ns/mod.rs",
                    "pub use part_1::ns::*; pub use part_2::ns::*;",
                ),
                (
                    "parts/part-1/src/ns/types.rs",
                    "pub struct A { pub x: Option<String> }",
                ),
                ("parts/part-2/src/ns/types.rs", "pub struct B {}"),
                ("parts/src/stray.rs", "pub struct C {}"),
                ("other/part-3/src/stray.rs", "pub struct D {}"),
            ]
            .into_iter(),
        );
        assert_eq!(report(&whole, &split).0, Vec::<String>::new());
    }
}

//! Every item of `graph-odata-runtime` that generated code names, in one table
//! (`runtime_items/table.rs`), so a change of the runtime's API has one place to follow.
//!
//! The emitters and the plan never spell a runtime path themselves: they take a constant
//! from here and render it the way their file refers to the runtime. The same table is
//! compiled against the real runtime by `tests/tests/runtime_items.rs`.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{quote, ToTokens};

/// The runtime crate as generated models crates name it (their dependency).
const RUNTIME_CRATE: &str = "graph_odata_runtime";
/// The runtime as generated client code names it (`pub use graph_odata_runtime as runtime`).
const RUNTIME_REEXPORT: &str = "runtime";

/// The runtime crate's name in code: `graph_odata_runtime`.
pub(crate) fn crate_root() -> Ident {
    Ident::new(RUNTIME_CRATE, Span::call_site())
}

/// The name client crates re-export the runtime under: `runtime`.
pub(crate) fn reexport_name() -> Ident {
    Ident::new(RUNTIME_REEXPORT, Span::call_site())
}

/// An item of the runtime: its path from the runtime crate's root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RuntimeItem(&'static [&'static str]);

impl RuntimeItem {
    /// `graph_odata_runtime::a::b`, for code in a crate that depends on the runtime.
    pub(crate) fn path(self) -> TokenStream {
        self.under_root(RUNTIME_CRATE)
    }

    /// `runtime::a::b`, for client code, which reaches the runtime through its re-export.
    pub(crate) fn reexported(self) -> TokenStream {
        self.under_root(RUNTIME_REEXPORT)
    }

    /// `a::b` from the item's own module, for files that import that module
    /// (`use graph_odata_runtime::edm;` then `edm::Guid`).
    pub(crate) fn in_module(self) -> TokenStream {
        let segments = self.idents();
        let from = segments.len().saturating_sub(2);
        let segments = &segments[from..];
        quote!(#(#segments)::*)
    }

    /// [`Self::path`] as a syntax tree.
    pub(crate) fn syn_path(self) -> syn::Path {
        let root = Ident::new(RUNTIME_CRATE, Span::call_site());
        syn_path(std::iter::once(root).chain(self.idents()))
    }

    /// [`Self::reexported`] as a syntax tree.
    pub(crate) fn reexported_path(self) -> syn::Path {
        let root = Ident::new(RUNTIME_REEXPORT, Span::call_site());
        syn_path(std::iter::once(root).chain(self.idents()))
    }

    /// [`Self::in_module`] as a syntax tree.
    pub(crate) fn in_module_path(self) -> syn::Path {
        let segments = self.idents();
        let from = segments.len().saturating_sub(2);
        syn_path(segments.into_iter().skip(from))
    }

    /// The item's own name, for code that imports the item itself.
    pub(crate) fn name(self) -> Ident {
        Ident::new(self.name_text(), Span::call_site())
    }

    /// The item's own name as text (`edm` for the module `edm`).
    pub(crate) fn name_text(self) -> &'static str {
        self.0[self.0.len() - 1]
    }

    /// `graph_odata_runtime::a::b` as text, for intra-doc links in models crates.
    pub(crate) fn path_text(self) -> String {
        self.text_from(RUNTIME_CRATE)
    }

    /// `runtime::a::b` as text, for intra-doc links in client crates.
    pub(crate) fn reexported_text(self) -> String {
        self.text_from(RUNTIME_REEXPORT)
    }

    fn idents(self) -> Vec<Ident> {
        self.0
            .iter()
            .map(|s| Ident::new(s, Span::call_site()))
            .collect()
    }

    fn under_root(self, root: &str) -> TokenStream {
        let root = Ident::new(root, Span::call_site());
        let segments = self.idents();
        quote!(#root #(::#segments)*)
    }

    fn text_from(self, root: &str) -> String {
        let mut text = root.to_string();
        for segment in self.0 {
            text.push_str("::");
            text.push_str(segment);
        }
        text
    }
}

fn syn_path(segments: impl IntoIterator<Item = Ident>) -> syn::Path {
    syn::Path {
        leading_colon: None,
        segments: segments.into_iter().map(syn::PathSegment::from).collect(),
    }
}

/// Makes each line of the table a [`RuntimeItem`] constant.
macro_rules! runtime_items {
    ($($(#[$meta:meta])* $name:ident = $($segment:ident)::+;)*) => {
        $(
            $(#[$meta])*
            pub(crate) const $name: RuntimeItem = RuntimeItem(&[$(stringify!($segment)),+]);
        )*
        /// Every item of the table.
        #[cfg(test)]
        pub(crate) const ALL: &[RuntimeItem] = &[$($name),*];
    };
}

include!("runtime_items/table.rs");

/// `use <root>::<module>::{A, B};` for items of one runtime module, where `root` is how the
/// file reaches the runtime (`graph_odata_runtime`, `super::runtime`).
pub(crate) fn import_group(root: impl ToTokens, items: &[RuntimeItem]) -> TokenStream {
    let module = items.first().map_or(&[][..], |i| &i.0[..i.0.len() - 1]);
    debug_assert!(
        items.iter().all(|i| &i.0[..i.0.len() - 1] == module),
        "a group import takes items of one module"
    );
    let module = module.iter().map(|s| Ident::new(s, Span::call_site()));
    let names = items.iter().map(|i| i.name());
    quote!(use #root #(::#module)*::{#(#names),*};)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_each_way() {
        assert_eq!(
            FLAG_SET.path().to_string(),
            "graph_odata_runtime :: enums :: FlagSet"
        );
        assert_eq!(CLIENT.reexported().to_string(), "runtime :: Client");
        assert_eq!(GUID.in_module().to_string(), "edm :: Guid");
        // The syntax trees are the same paths.
        assert_eq!(
            FLAG_SET.syn_path().to_token_stream().to_string(),
            FLAG_SET.path().to_string()
        );
        assert_eq!(
            GUID.in_module_path().to_token_stream().to_string(),
            "edm :: Guid"
        );
        assert_eq!(EDM.in_module().to_string(), "edm");
        assert_eq!(FIELD.name().to_string(), "Field");
        assert_eq!(FIELD.path_text(), "graph_odata_runtime::model::Field");
        assert_eq!(REQUEST.reexported_text(), "runtime::Request");
    }

    #[test]
    fn names_are_unique_and_paths_are_identifiers() {
        let mut seen = std::collections::BTreeSet::new();
        for item in ALL {
            assert!(seen.insert(item.0), "{:?} twice", item.0);
            for segment in item.0 {
                assert!(syn::parse_str::<Ident>(segment).is_ok(), "{segment}");
            }
        }
    }

    #[test]
    fn client_code_writes_the_names_it_imports() {
        // `emit/client.rs` imports these two by name and then writes `Request::json(..)`,
        // `Request<T>` and `Method::GET` throughout: a rename here must be followed there.
        assert_eq!(REQUEST.name(), "Request");
        assert_eq!(METHOD.name(), "Method");
    }

    #[test]
    fn group_imports_name_the_items_module() {
        assert_eq!(
            import_group(quote!(super::runtime), &[METHOD, REQUEST]).to_string(),
            "use super :: runtime :: { Method , Request } ;"
        );
        assert_eq!(
            import_group(crate_root(), &[READ_LENIENT]).to_string(),
            "use graph_odata_runtime :: model :: { read_lenient } ;"
        );
    }
}

//! Formatting of emitted code: each top-level item is printed on its own (items still
//! emitted as tokens are parsed first), and the items of a large file are built, formatted
//! and written one after the other ([`stream_parts`]), so neither a file's syntax tree nor
//! its text is ever held whole. Files are produced in parallel (`write::each_in_parallel_then`),
//! a large model file in pieces ([`stream_in_pieces`]).

use proc_macro2::TokenStream;
use quote::ToTokens;

use super::{header, CrateInfo};
use crate::error::{Error, ErrorKind, Result};
use crate::write::{Produce, TextSink};

/// The code of one part of a file, in order: syntax trees the emitters built
/// (`emit::syntax`), printed as they are, and `quote!` tokens of emitters not converted
/// yet, which are parsed before printing. Both print alike; the trees skip the parse,
/// which cost more than printing (BENCHMARKS.md).
#[derive(Default)]
pub(crate) struct Code(Vec<Chunk>);

enum Chunk {
    Tokens(TokenStream),
    /// Items with the inner attributes before them (`#![doc]` of a module file).
    Tree(syn::File),
}

impl Code {
    /// Appends a built item.
    pub(crate) fn push(&mut self, item: syn::Item) {
        self.tree().items.push(item);
    }

    /// Appends an inner attribute; it must come before any item.
    pub(crate) fn push_inner(&mut self, attr: syn::Attribute) {
        self.tree().attrs.push(attr);
    }

    /// Appends tokens, parsed when the part is formatted.
    pub(crate) fn push_tokens(&mut self, tokens: TokenStream) {
        if !tokens.is_empty() {
            self.0.push(Chunk::Tokens(tokens));
        }
    }

    /// Appends another part's code.
    pub(crate) fn append(&mut self, other: Code) {
        self.0.extend(other.0);
    }

    /// The tree at the end, started when the last chunk is tokens.
    fn tree(&mut self) -> &mut syn::File {
        if !matches!(self.0.last(), Some(Chunk::Tree(_))) {
            self.0.push(Chunk::Tree(syn::File {
                shebang: None,
                attrs: Vec::new(),
                items: Vec::new(),
            }));
        }
        match self.0.last_mut() {
            Some(Chunk::Tree(file)) => file,
            _ => unreachable!("a tree was just pushed"),
        }
    }

    /// Every top-level item compiled only with `attr` (a `cfg` attribute), put before its
    /// other attributes.
    pub(crate) fn gated(self, attr: Option<syn::Attribute>) -> Code {
        let Some(attr) = attr else { return self };
        let chunks = self.0.into_iter().map(|chunk| match chunk {
            Chunk::Tokens(tokens) => {
                Chunk::Tokens(super::gate_with(attr.to_token_stream(), tokens))
            }
            Chunk::Tree(mut file) => {
                for item in &mut file.items {
                    super::syntax::gate(item, attr.clone());
                }
                Chunk::Tree(file)
            }
        });
        Code(chunks.collect())
    }

    /// The code as items, for output that nests it in a module (`single_file`): tokens are
    /// parsed, trees kept. Inner attributes are for files only and must not be present.
    pub(crate) fn into_items(self, what: &str) -> Result<Vec<syn::Item>> {
        let (attrs, items) = self.into_module_parts(what)?;
        debug_assert!(attrs.is_empty(), "inner attributes in {what}");
        Ok(items)
    }

    /// The code of a file as the inner attributes and items of a `mod` that nests it
    /// (`single_file`): the file's `//!` docs become the module's.
    pub(crate) fn into_module_parts(
        self,
        what: &str,
    ) -> Result<(Vec<syn::Attribute>, Vec<syn::Item>)> {
        let (mut attrs, mut items) = (Vec::new(), Vec::new());
        for chunk in self.0 {
            let file = match chunk {
                Chunk::Tokens(tokens) => parse(tokens, what)?,
                Chunk::Tree(file) => file,
            };
            attrs.extend(file.attrs);
            items.extend(file.items);
        }
        Ok((attrs, items))
    }
}

impl From<TokenStream> for Code {
    fn from(tokens: TokenStream) -> Code {
        let mut code = Code::default();
        code.push_tokens(tokens);
        code
    }
}

impl From<syn::Item> for Code {
    fn from(item: syn::Item) -> Code {
        let mut code = Code::default();
        code.push(item);
        code
    }
}

/// Prints one part of a file. Tokens are parsed and printed one top-level item at a time
/// (and dropped as they go), so the syntax tree in memory is that of one item, not of a
/// whole part: the polymorphic enum of Graph's `entity` and its impls are a megabyte of
/// code.
pub(crate) fn format_part(code: impl Into<Code>, what: &str) -> Result<String> {
    let text = print_part(code.into(), what)?;
    let mut spaced = String::with_capacity(text.len() + text.len() / 16);
    write_spaced(&text, &mut spaced)?;
    Ok(spaced)
}

/// The printed items of a part, back to back (before [`write_spaced`], which puts the
/// deferred doc lines in).
fn print_part(code: Code, what: &str) -> Result<String> {
    let mut text = String::new();
    // The first item's text is taken as it is: a part of one item (most are) is never
    // copied, which matters for the largest (hundreds of kilobytes).
    let mut add = |printed: String| {
        if text.is_empty() {
            text = printed;
        } else {
            text.push_str(&printed);
        }
    };
    for chunk in code.0 {
        match chunk {
            Chunk::Tree(file) => add(prettyplease::unparse(&file)),
            Chunk::Tokens(tokens) => {
                for item in split_items(tokens) {
                    add(prettyplease::unparse(&parse(item, what)?));
                }
            }
        }
    }
    Ok(text)
}

/// Parses emitted tokens; a failure is a bug of the emitter of `what`.
fn parse(tokens: TokenStream, what: &str) -> Result<syn::File> {
    syn::parse2(tokens).map_err(|e| {
        Error::new(
            ErrorKind::Internal,
            format!("internal error: generated code for {what} does not parse: {e}"),
        )
        .named(what)
    })
}

/// Splits tokens into top-level items: an item ends with a `;` or with a `{ ... }` block
/// that no `;` follows (`struct S { .. }`, `impl T { .. }`, `fn f() { .. }`, `mod m { .. }`;
/// a `const C: T = T { .. };` ends at its `;`). Inner attributes (`#![...]`) stay with what
/// follows them. Generated code has no braces in other top-level places, and a wrong split
/// would only make the part fail to parse, never print differently.
pub(super) fn split_items(tokens: TokenStream) -> Vec<TokenStream> {
    use proc_macro2::{Delimiter, TokenTree};
    let mut items = Vec::new();
    let mut current: Vec<TokenTree> = Vec::new();
    let mut iter = tokens.into_iter().peekable();
    while let Some(tree) = iter.next() {
        let ends = match &tree {
            TokenTree::Punct(p) => p.as_char() == ';',
            TokenTree::Group(g) => {
                g.delimiter() == Delimiter::Brace
                    && !matches!(iter.peek(), Some(TokenTree::Punct(p)) if p.as_char() == ';')
            }
            _ => false,
        };
        current.push(tree);
        if ends {
            items.push(current.drain(..).collect());
        }
    }
    if !current.is_empty() {
        items.push(current.into_iter().collect());
    }
    items
}

/// Appends one formatted part of a file (parts are separated by a blank line).
fn push_part(sink: &mut dyn TextSink, text: &str) -> Result<()> {
    if text.is_empty() {
        return Ok(());
    }
    sink.push("\n")?;
    write_spaced(text, sink)
}

/// Produces a file made of independent parts: the header, `head`, then `make(item)` for
/// every item, each built, formatted and written before the next is built, so what is in
/// memory is one item's tree and text. Files are produced in parallel, one per thread
/// (`write::each_in_parallel_then`). The items' doc lines skip their literals
/// (`emit::doc_lines`); `head` was built before and keeps them.
pub(crate) fn stream_parts<T>(
    sink: &mut dyn TextSink,
    info: &CrateInfo,
    head: Code,
    items: &[T],
    make: impl Fn(&T) -> Code,
    what: &str,
) -> Result<()> {
    let write = |item: &T, sink: &mut dyn TextSink| write_item(sink, make(item), what);
    stream_written(sink, info, head, items, write, what)
}

/// Prints one item of [`stream_parts`] and writes it after a blank line.
fn write_item(sink: &mut dyn TextSink, code: Code, what: &str) -> Result<()> {
    push_part(sink, &print_part(code, what)?)
}

/// How many items a piece of a file produced in pieces ([`stream_in_pieces`]) holds: the
/// largest model file of the Graph synchronization roots (`complex_types.rs`) becomes three
/// pieces, and a piece of Graph's largest files a few hundred kilobytes of text.
const ITEMS_PER_PIECE: usize = 32;

/// [`stream_parts`] as the pieces of a [`crate::write::PendingFile::in_pieces`]: the
/// header, `head` and the first items, then the other items [`ITEMS_PER_PIECE`] at a time.
/// Each piece is produced on its own thread and defers its own doc lines; the text is the
/// same as [`stream_parts`] gives, since each item is printed on its own either way.
pub(crate) fn stream_in_pieces<'a, T: Send + 'a>(
    info: &'a CrateInfo,
    head: impl FnOnce() -> Code + Send + 'a,
    items: Vec<T>,
    make: impl Fn(&T) -> Code + Send + Sync + Copy + 'a,
    what: String,
) -> (Produce<'a>, Vec<Produce<'a>>) {
    let mut chunks = Vec::with_capacity(items.len().div_ceil(ITEMS_PER_PIECE).max(1));
    let mut drained = items.into_iter();
    loop {
        let chunk: Vec<T> = drained.by_ref().take(ITEMS_PER_PIECE).collect();
        if chunk.is_empty() && !chunks.is_empty() {
            break;
        }
        chunks.push(chunk);
    }
    let mut chunks = chunks.into_iter();
    let first_items = chunks.next().unwrap_or_default();
    let first_what = what.clone();
    let first: Produce<'a> = Box::new(move |sink: &mut dyn TextSink| {
        stream_parts(sink, info, head(), &first_items, make, &first_what)
    });
    let rest = chunks
        .map(|chunk| {
            let what = what.clone();
            Box::new(move |sink: &mut dyn TextSink| {
                super::doc_lines::deferred(&what, || {
                    chunk
                        .iter()
                        .try_for_each(|item| write_item(sink, make(item), &what))
                })
            }) as Produce<'a>
        })
        .collect();
    (first, rest)
}

/// [`stream_parts`] for items that write themselves, each as parts after a blank line
/// ([`push_formatted`]), so one item can be printed in pieces.
pub(crate) fn stream_written<T>(
    sink: &mut dyn TextSink,
    info: &CrateInfo,
    head: Code,
    items: &[T],
    write: impl Fn(&T, &mut dyn TextSink) -> Result<()>,
    what: &str,
) -> Result<()> {
    sink.push(&header(info))?;
    push_part(sink, &print_part(head, what)?)?;
    // The items' doc lines are written as each item is printed (`emit::doc_lines`).
    super::doc_lines::deferred(what, || {
        for item in items {
            write(item, sink)?;
        }
        Ok(())
    })
}

/// Appends a part that [`format_part`] formatted: after a blank line, as [`stream_parts`]
/// writes its parts.
pub(crate) fn push_formatted(sink: &mut dyn TextSink, text: &str) -> Result<()> {
    if text.is_empty() {
        return Ok(());
    }
    sink.push("\n")?;
    sink.push(text)
}

/// prettyplease puts top-level items back to back; a blank line after each one that ends
/// at column 0 makes the files readable (and diffs quieter). Writes `text` with those blank
/// lines into `sink`, in slices between them (every line ends with `\n`).
/// The doc lines deferred while the items were built are put in as the text is written
/// (`emit::doc_lines`): marks do not change where blank lines go, since a doc line starts
/// with `/` or an indent either way, and every slice written ends with a whole line.
fn write_spaced(text: &str, sink: &mut dyn TextSink) -> Result<()> {
    let sink = &mut Resolving(sink);
    // A line as `str::lines` gives it: without its `\n` or `\r\n`.
    let bare = |piece: &'_ str| -> usize {
        let line = piece.strip_suffix('\n').unwrap_or(piece);
        line.strip_suffix('\r').unwrap_or(line).len()
    };
    // `text[start..]` is written yet.
    let mut start = 0;
    let mut offset = 0;
    // `str::split_inclusive('\n')`, with the vectorised search of `memchr` (the
    // standard library's search for a `char` cost about a third of this function).
    let mut newlines = memchr::memchr_iter(b'\n', text.as_bytes());
    let mut from = 0;
    let mut pieces = std::iter::from_fn(|| {
        let to = newlines.next().map_or(text.len(), |i| i + 1);
        (from < to).then(|| {
            let piece = &text[from..to];
            from = to;
            piece
        })
    })
    .peekable();
    while let Some(piece) = pieces.next() {
        let line = &piece[..bare(piece)];
        let end = offset + piece.len();
        if line.len() + 1 != piece.len() {
            // No `\n` at the end of the text, or a `\r\n`: the line is ended with `\n`.
            sink.push(&text[start..offset])?;
            sink.push(line)?;
            sink.push("\n")?;
            start = end;
        }
        offset = end;
        let Some(next) = pieces.peek() else { break };
        if blank_after(line, &next[..bare(next)]) {
            sink.push(&text[start..offset])?;
            sink.push("\n")?;
            start = offset;
        }
    }
    sink.push(&text[start..offset])
}

/// A sink that puts deferred doc lines in place of their marks.
struct Resolving<'a>(&'a mut dyn TextSink);

impl TextSink for Resolving<'_> {
    fn push(&mut self, text: &str) -> Result<()> {
        super::doc_lines::write_resolved(text, self.0)
    }
}

/// Whether a blank line goes between `line` and `next`: after an item that ends at column 0,
/// except between lines of one group of `use`s or `mod`s.
fn blank_after(line: &str, next: &str) -> bool {
    let ends_item = line == "}"
        || (!line.starts_with([' ', '/', '#']) && (line.ends_with(';') || line.ends_with("{}")));
    let same_group = line.starts_with("use ") && next.starts_with("use ")
        || line.starts_with("pub use ") && next.starts_with("pub use ")
        || line.starts_with("mod ") && next.starts_with("pub use ")
        || line.starts_with("pub mod ") && next.starts_with("pub mod ");
    ends_item && !next.is_empty() && !same_group
}

#[cfg(test)]
mod tests {
    use quote::{format_ident, quote};

    use super::*;

    /// A file nested as a module keeps its `//!` docs, whether they were tokens or built.
    #[test]
    fn module_parts_keep_the_inner_docs_in_order() {
        let mut code = Code::from(quote! {
            //! Tokens.
            use a::b;
        });
        code.push_inner(crate::emit::syntax::inner_doc(" Built."));
        code.push(crate::emit::syntax::module_decl(format_ident!("c")));
        let (attrs, items) = code.into_module_parts("test").unwrap();
        let module = crate::emit::syntax::inline_module(Some(attrs), format_ident!("m"), items);
        let file = syn::File {
            shebang: None,
            attrs: Vec::new(),
            items: vec![module],
        };
        assert_eq!(
            prettyplease::unparse(&file),
            "pub mod m {\n    //! Tokens.\n    //! Built.\n    use a::b;\n    mod c;\n}\n"
        );
    }

    fn info() -> CrateInfo {
        CrateInfo {
            crate_name: "c".into(),
            version: "0.1.0".into(),
            source: "in.xml".into(),
            command: "test".into(),
            runtime: crate::Dependency::version("0.1.0"),
            repository: None,
            license: None,
            readme: Default::default(),
            graph: false,
        }
    }

    /// Built items and tokens print in the order they were added, each gated alike, and a
    /// built item prints as its tokens parsed would.
    #[test]
    fn trees_and_tokens_print_in_order_and_gate_alike() {
        let built = |name: &str| {
            super::super::syntax::type_alias(
                vec![super::super::syntax::doc(" Built.")],
                format_ident!("{name}"),
                super::super::syntax::path_type(super::super::syntax::path_of(&["u8"])),
            )
        };
        let mut code = Code::from(built("A"));
        code.push_tokens(quote! {
            /// Parsed.
            pub type B = u8;
        });
        code.push(built("C"));
        let gate = super::super::syntax::cfg(Some("x"));
        let text = format_part(code.gated(gate), "test.rs").expect("formats");
        let expected = format_part(
            quote! {
                #[cfg(feature = "x")] /// Built.
                pub type A = u8;
                #[cfg(feature = "x")] /// Parsed.
                pub type B = u8;
                #[cfg(feature = "x")] /// Built.
                pub type C = u8;
            },
            "test.rs",
        )
        .expect("formats");
        assert_eq!(text, expected);
        assert!(text.find("type A").unwrap() < text.find("type B").unwrap());
        assert!(text.find("type B").unwrap() < text.find("type C").unwrap());
    }

    /// Blank lines go after items that end at column 0, not inside `use` groups nor at the
    /// end; a last line without `\n` and a `\r\n` are ended with `\n`, as `str::lines`
    /// reads them.
    #[test]
    fn items_are_spaced_and_lines_ended() {
        let spaced = |text: &str| {
            let mut out = String::new();
            write_spaced(text, &mut out).expect("a string takes text");
            out
        };
        assert_eq!(
            spaced("use a;\nuse b;\nfn f() {}\nstruct S {\n    x: u8,\n}\nconst C: u8 = 1;\n"),
            "use a;\nuse b;\n\nfn f() {}\n\nstruct S {\n    x: u8,\n}\n\nconst C: u8 = 1;\n"
        );
        assert_eq!(spaced("fn f() {}\r\nfn g() {}"), "fn f() {}\n\nfn g() {}\n");
        assert_eq!(
            spaced("fn f() {}\n\nfn g() {}\n"),
            "fn f() {}\n\nfn g() {}\n"
        );
        assert_eq!(spaced(""), "");
    }

    /// One item of every kind that carries doc lines, built by the emitters' constructors:
    /// docs on a struct, its fields (after a `cfg`), an enum's variants, an impl's items, an
    /// inline module (inner docs) and tokens that interpolate a built attribute; lines
    /// longer than the margin, with trailing spaces, escapes, a `\r`, a line break, a
    /// leading `/` and the mark's own character.
    fn documented_item(i: usize) -> Code {
        use crate::emit::syntax::*;
        use proc_macro2::{Ident, Span};
        let id = |s: &str| Ident::new(s, Span::call_site());
        let long = format!(" A long line: {}.", "words that go on ".repeat(12));
        let docs = || {
            [
                " Plain.",
                "",
                long.as_str(),
                " Trailing spaces.   ",
                " \"Quotes\", a \\, \u{e9}, \t and \u{1F600}.",
                " A \r inside.",
                " Two\n lines.",
                "/ a leading slash",
                " A mark \t0 in the text.",
            ]
            .map(doc)
            .to_vec()
        };
        match i {
            0 => {
                let mut field_attrs = vec![cfg(Some("area")).unwrap()];
                field_attrs.extend(docs());
                named_struct(
                    docs(),
                    id("Thing"),
                    [field(field_attrs, id("name"), path_type(path_of(&["u8"])))],
                )
                .into()
            }
            1 => enumeration(
                docs(),
                id("E"),
                [
                    variant(docs(), id("One"), None),
                    variant(docs(), id("Two"), None),
                ],
            )
            .into(),
            2 => {
                let konst = assoc_const(
                    docs(),
                    public(),
                    id("C"),
                    path_type(path_of(&["u8"])),
                    lit_int(1),
                );
                inherent_impl(docs(), path_type(path_of(&["Thing"])), vec![konst]).into()
            }
            3 => {
                let mut attrs = vec![inner_doc(" Inner."), inner_doc("/ inner slash")];
                attrs.extend(docs().into_iter().map(|mut a| {
                    a.style = syn::AttrStyle::Inner(Default::default());
                    a
                }));
                let alias = type_alias(docs(), id("A"), path_type(path_of(&["u8"])));
                inline_module(Some(attrs), id("m"), vec![alias]).into()
            }
            _ => {
                let attrs = docs();
                quote! {
                    #(#attrs)*
                    pub type B = u8;
                }
                .into()
            }
        }
    }

    /// Items built while their file is produced print their doc lines through marks
    /// (`emit::doc_lines`); the file is byte for byte the one their literals print (items
    /// built before, outside the deferral).
    #[test]
    fn deferred_doc_lines_stream_as_their_literals() {
        let indices: Vec<usize> = (0..5).collect();
        let prebuilt: Vec<std::cell::RefCell<Code>> = indices
            .iter()
            .map(|i| std::cell::RefCell::new(documented_item(*i)))
            .collect();
        let mut literal = String::new();
        stream_parts(
            &mut literal,
            &info(),
            Code::default(),
            &indices,
            |i| std::mem::take(&mut *prebuilt[*i].borrow_mut()),
            "test.rs",
        )
        .expect("formats");
        let mut marked = String::new();
        stream_parts(
            &mut marked,
            &info(),
            Code::default(),
            &indices,
            |i| {
                let item = documented_item(*i);
                let waiting = crate::emit::doc_lines::waiting();
                assert!(waiting.is_some_and(|n| n > 0), "{waiting:?}");
                item
            },
            "test.rs",
        )
        .expect("formats");
        assert_eq!(marked, literal);
        for line in [
            "/// Trailing spaces.\n",
            "    /// Plain.\n",
            "#[doc = \"/ a leading slash\"]",
            "    //!/ inner slash\n",
            "/// A mark  0 in the text.\n",
        ] {
            assert!(literal.contains(line), "{line:?} in {literal}");
        }
        assert!(!literal.contains('\t'), "{literal}");
    }

    /// A file's items come out in order after its head, each part after a blank line.
    #[test]
    fn parts_are_written_in_order_after_the_head() {
        let items: Vec<usize> = (0..5).collect();
        let mut text = String::new();
        stream_parts(
            &mut text,
            &info(),
            Code::from(quote! { use a::b; }),
            &items,
            |i| {
                let f = format_ident!("f{i}");
                quote! { fn #f() {} }.into()
            },
            "test.rs",
        )
        .expect("formats");
        let body = text
            .strip_prefix(&header(&info()))
            .expect("the header first");
        assert_eq!(
            body,
            "\nuse a::b;\n\nfn f0() {}\n\nfn f1() {}\n\nfn f2() {}\n\nfn f3() {}\n\nfn f4() {}\n"
        );
    }
}

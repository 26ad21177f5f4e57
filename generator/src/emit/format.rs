//! Formatting of emitted code: each top-level item is printed on its own (items still
//! emitted as tokens are parsed first), and the items of a large file are formatted on
//! worker threads and written in order ([`stream_parts`]), so neither a file's syntax tree
//! nor its text is ever held whole.

use proc_macro2::TokenStream;
use quote::ToTokens;

use super::{header, CrateInfo};
use crate::error::{Error, ErrorKind, Result};
use crate::write::TextSink;

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
    let mut text = String::new();
    for chunk in code.into().0 {
        match chunk {
            Chunk::Tree(file) => text.push_str(&prettyplease::unparse(&file)),
            Chunk::Tokens(tokens) => {
                for item in split_items(tokens) {
                    text.push_str(&prettyplease::unparse(&parse(item, what)?));
                }
            }
        }
    }
    Ok(space_items(&text))
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

/// How far formatting may run ahead of writing, in items. Items are formatted out of order
/// on several threads but written in order; the window bounds what waits in memory, so a
/// file's memory is a few dozen items whatever its size (the largest Graph modules are
/// over 10 MB).
const WINDOW: usize = 64;

/// The weight (see [`stream_parts`]) from which an item is formatted alone: Graph's
/// `Any<Entity>` parts (about a thousand variants) and its largest enums (over a thousand
/// members) are; a struct of a few hundred fields is not.
const HEAVY: usize = 512;

/// Appends one formatted part of a file (parts are separated by a blank line).
fn push_part(sink: &mut dyn TextSink, text: &str) -> Result<()> {
    if text.is_empty() {
        return Ok(());
    }
    sink.push("\n")?;
    sink.push(text)
}

/// Produces a file made of independent parts: the header, `head`, then `make(item)` for
/// every item. Items are built and formatted on up to four threads that live as long as the
/// file, and written in order as soon as they are ready.
///
/// `weight` estimates an item's size (fields, members, variants or methods). An item of
/// [`HEAVY`] or more holds its tokens, syntax tree and text at a size of hundreds of
/// kilobytes, so only one such item is formatted at a time; light items go on beside it.
pub(crate) fn stream_parts<T: Sync>(
    sink: &mut dyn TextSink,
    info: &CrateInfo,
    head: Code,
    items: &[T],
    make: impl Fn(&T) -> Code + Sync,
    weight: impl Fn(&T) -> usize + Sync,
    what: &str,
) -> Result<()> {
    sink.push(&header(info))?;
    push_part(sink, &format_part(head, what)?)?;
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 4)
        .min(items.len());
    if threads <= 1 {
        for item in items {
            push_part(sink, &format_part(make(item), what)?)?;
        }
        return Ok(());
    }
    let window = Window::default();
    let (tx, rx) = std::sync::mpsc::channel::<(usize, Result<String>)>();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let tx = tx.clone();
            let (window, make, weight) = (&window, &make, &weight);
            let work = move || {
                while let Some(i) = window.take(items.len()) {
                    let _turn = (weight(&items[i]) >= HEAVY).then(|| window.heavy_turn());
                    // A bug in an emitter is an error of this run, not a panic of the scope.
                    let text = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        format_part(make(&items[i]), what)
                    }))
                    .unwrap_or_else(|_| {
                        Err(Error::new(
                            ErrorKind::Internal,
                            format!("internal error: formatting {what} panicked"),
                        ))
                    });
                    if tx.send((i, text)).is_err() {
                        break;
                    }
                }
            };
            // An explicit stack: RUST_MIN_STACK must not decide whether syn's recursion
            // fits. A thread that cannot be started leaves its share to the others.
            let _ = std::thread::Builder::new()
                .stack_size(16 << 20)
                .spawn_scoped(scope, work);
        }
        drop(tx);
        let result = write_in_order(sink, &rx, &window, items.len(), what);
        // Release workers waiting for room before the scope joins them.
        window.stop();
        result
    })
}

/// Receives formatted items and writes them in index order. When every worker is gone
/// with items left (a panic, or no thread could be started), it says so.
fn write_in_order(
    sink: &mut dyn TextSink,
    rx: &std::sync::mpsc::Receiver<(usize, Result<String>)>,
    window: &Window,
    count: usize,
    what: &str,
) -> Result<()> {
    let mut ready: std::collections::BTreeMap<usize, String> = std::collections::BTreeMap::new();
    let mut cursor = 0;
    while cursor < count {
        let Ok((i, text)) = rx.recv() else {
            return Err(Error::new(
                ErrorKind::Internal,
                format!("internal error: formatting {what} stopped at item {cursor} of {count}"),
            ));
        };
        ready.insert(i, text?);
        while let Some(text) = ready.remove(&cursor) {
            push_part(sink, &text)?;
            cursor += 1;
            window.advance(cursor);
        }
    }
    Ok(())
}

/// Which item a worker takes next, and how far ahead of the writer it may go.
#[derive(Default)]
struct Window {
    state: std::sync::Mutex<WindowState>,
    moved: std::sync::Condvar,
}

#[derive(Default)]
struct WindowState {
    next: usize,
    written: usize,
    stopped: bool,
    /// A heavy item is being formatted.
    heavy: bool,
}

/// The turn of a heavy item; the next one may start when it is dropped (also on a panic).
struct HeavyTurn<'w>(&'w Window);

impl Drop for HeavyTurn<'_> {
    fn drop(&mut self) {
        let mut state = self.0.state.lock().unwrap_or_else(|e| e.into_inner());
        state.heavy = false;
        self.0.moved.notify_all();
    }
}

impl Window {
    /// The next item to format, once it is within the window; `None` when all are taken or
    /// the writer stopped. The item at the write cursor is always within the window, so
    /// the writer never waits for an item nobody may take.
    fn take(&self, count: usize) -> Option<usize> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if state.stopped || state.next >= count {
                return None;
            }
            if state.next < state.written + WINDOW {
                state.next += 1;
                return Some(state.next - 1);
            }
            state = self.moved.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Waits until no other heavy item is being formatted. The holder of the turn waits
    /// for nothing but its own item, so the writer always gets it.
    fn heavy_turn(&self) -> HeavyTurn<'_> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        while state.heavy {
            state = self.moved.wait(state).unwrap_or_else(|e| e.into_inner());
        }
        state.heavy = true;
        HeavyTurn(self)
    }

    fn advance(&self, written: usize) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.written = written;
        self.moved.notify_all();
    }

    fn stop(&self) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.stopped = true;
        self.moved.notify_all();
    }
}

/// prettyplease puts top-level items back to back; a blank line after each one that ends
/// at column 0 makes the files readable (and diffs quieter).
fn space_items(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for (i, line) in lines.iter().enumerate() {
        out.push_str(line);
        out.push('\n');
        let Some(next) = lines.get(i + 1) else { break };
        let ends_item = *line == "}"
            || (!line.starts_with([' ', '/', '#'])
                && (line.ends_with(';') || line.ends_with("{}")));
        let same_group = line.starts_with("use ") && next.starts_with("use ")
            || line.starts_with("pub use ") && next.starts_with("pub use ")
            || line.starts_with("mod ") && next.starts_with("pub use ")
            || line.starts_with("pub mod ") && next.starts_with("pub mod ");
        if ends_item && !next.is_empty() && !same_group {
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

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

    /// Items come out in order whatever the threads do, and two heavy items are never
    /// built and formatted at the same time.
    #[test]
    fn heavy_items_are_formatted_one_at_a_time_and_in_order() {
        // Every third item is heavy.
        let items: Vec<usize> = (0..200).collect();
        let heavy = |i: &usize| if i % 3 == 0 { HEAVY } else { 1 };
        let (in_flight, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let mut text = String::new();
        stream_parts(
            &mut text,
            &info(),
            Code::default(),
            &items,
            |i| {
                let f = format_ident!("f{i}");
                if heavy(i) >= HEAVY {
                    let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(1));
                    in_flight.fetch_sub(1, Ordering::SeqCst);
                }
                quote! { fn #f() {} }.into()
            },
            heavy,
            "test.rs",
        )
        .expect("formats");
        assert_eq!(most.load(Ordering::SeqCst), 1);
        let order: Vec<usize> = text
            .lines()
            .filter_map(|l| l.strip_prefix("fn f")?.strip_suffix("() {}")?.parse().ok())
            .collect();
        assert_eq!(order, items);
    }

    /// A panic in a heavy item is an error of the run and gives the turn back (the run
    /// ends instead of hanging).
    #[test]
    fn a_panicking_heavy_item_is_an_error() {
        let items: Vec<usize> = (0..20).collect();
        let mut text = String::new();
        let err = stream_parts(
            &mut text,
            &info(),
            Code::default(),
            &items,
            |i| {
                assert_ne!(*i, 4, "emitter bug");
                let f = format_ident!("f{i}");
                quote! { fn #f() {} }.into()
            },
            |_| HEAVY,
            "test.rs",
        )
        .expect_err("the panic is reported");
        assert_eq!(err.kind, ErrorKind::Internal);
    }
}

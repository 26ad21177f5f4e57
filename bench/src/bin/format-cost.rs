//! What the formatting step costs per part, to choose how emitters should hand code to the
//! printer (BENCHMARKS.md, "Formatting without a second parse"):
//!
//! ```text
//! format-cost DIR
//! ```
//!
//! reads the Rust files of a generated crate (`DIR/src/**.rs`), and for every top-level item
//! runs the three ways an item can reach `prettyplease`, each in its own function so
//! `valgrind --tool=callgrind` gives each one's instructions (inclusive cost of
//! `format_cost::parse_tokens`, `format_cost::build_tree`, `format_cost::print_tree`):
//! - `parse_tokens`: today's path, the item's tokens (as `quote!` builds them, doc comments
//!   as `#[doc = "..."]`) parsed by `syn` (what `parse_quote!` also does);
//! - `build_tree`: the syntax tree made without parsing, measured as a clone of the parsed
//!   item, which allocates and fills the same nodes a tree built with `syn`'s constructors
//!   would (the least such an emitter can cost);
//! - `print_tree`: `prettyplease` printing the item, which every design keeps.
//!
//! It prints the wall time of each (one run; use callgrind for repeatable figures).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use quote::ToTokens;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[inline(never)]
fn parse_tokens(tokens: proc_macro2::TokenStream) -> syn::File {
    syn::parse2(tokens).expect("generated items parse")
}

#[inline(never)]
fn build_tree(item: &syn::Item) -> syn::File {
    syn::File {
        shebang: None,
        attrs: Vec::new(),
        items: vec![item.clone()],
    }
}

#[inline(never)]
fn print_tree(file: &syn::File) -> String {
    prettyplease::unparse(file)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: format-cost DIR (a generated crate)");
        return ExitCode::FAILURE;
    };
    let mut files = Vec::new();
    rust_files(&Path::new(&dir).join("src"), &mut files);
    files.sort();
    let mut items = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("readable file");
        let file = syn::parse_file(&text).expect("generated file parses");
        items.extend(file.items);
    }
    let tokens: Vec<proc_macro2::TokenStream> =
        items.iter().map(ToTokens::to_token_stream).collect();
    let (mut parse, mut build, mut print) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let mut bytes = 0;
    for (item, tokens) in items.iter().zip(tokens) {
        let t = Instant::now();
        let parsed = parse_tokens(tokens);
        parse += t.elapsed();
        let t = Instant::now();
        let built = build_tree(item);
        build += t.elapsed();
        let t = Instant::now();
        bytes += print_tree(&built).len();
        print += t.elapsed();
        drop(parsed);
    }
    println!(
        "{} files, {} items, {bytes} bytes printed: parse {:.1} ms, build {:.1} ms, print {:.1} ms",
        files.len(),
        items.len(),
        parse.as_secs_f64() * 1e3,
        build.as_secs_f64() * 1e3,
        print.as_secs_f64() * 1e3,
    );
    ExitCode::SUCCESS
}

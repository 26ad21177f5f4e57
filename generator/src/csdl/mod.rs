//! Stage 1: read a CSDL (EDMX) document into a syntax tree that keeps source positions.
//!
//! Nothing is resolved here: type references stay strings, annotations stay where they were
//! written. The tree is the input of [`crate::model`].

mod ast;
mod deferred;
mod halves;
mod load;
mod position;
mod reader;
mod source;
pub mod vocabularies;

pub use ast::*;
// Some of these serve only the workspace's tests, through the feature `internals`.
#[allow(unused_imports)]
pub use load::{load, load_deferred, load_references, Loaded, LoadedDocument};
#[allow(unused_imports)]
pub use reader::{parse_document, read_file, read_file_deferred, EDMX_NAMESPACE, EDM_NAMESPACE};

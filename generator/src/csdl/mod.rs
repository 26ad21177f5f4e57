//! Stage 1: read a CSDL (EDMX) document into a syntax tree that keeps source positions.
//!
//! Nothing is resolved here: type references stay strings, annotations stay where they were
//! written. The tree is the input of [`crate::model`].

mod ast;
mod reader;

pub use ast::*;
pub use reader::{parse_document, read_file};

//! One test module per CSDL feature fixture (`tests/fixtures/<feature>.csdl.xml`, generated
//! into `tests/generated/<feature>` by `cargo xtask codegen`), proving the generated behaviour.

#[path = "../common/mod.rs"]
mod common;

mod aliases;
mod annotations;
mod evolvable_enums;
mod flags;
mod inheritance;
mod keywords;
mod open_types;
mod polymorphism;
mod primitives;
mod recursion;

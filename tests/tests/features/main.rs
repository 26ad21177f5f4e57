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
/// The `polymorphism` cases against the same fixture generated in part crates
/// (`tests/fixtures/polymorphism.split`): `Any<Base>` enums, their base and derived types
/// and the types that hold them are then in different crates.
mod polymorphism_split {
    use fixture_polymorphism_split as fx;
    include!("polymorphism_cases.rs");
}
mod primitives;
mod recursion;

//! The emitters' table of runtime items (`generator/src/runtime_items/table.rs`) compiled
//! against the real runtime: each line becomes a `use`, so a renamed or moved runtime item
//! fails here with the table's line, before any generated crate is built.

#![allow(unused_imports)]

macro_rules! runtime_items {
    ($($(#[$meta:meta])* $name:ident = $($segment:ident)::+;)*) => {
        $(use graph_odata_runtime::$($segment)::+ as $name;)*

        /// The table's names, so the test can count them.
        const NAMES: &[&str] = &[$(stringify!($name)),*];
    };
}

include!("../../generator/src/runtime_items/table.rs");

#[test]
fn every_runtime_item_the_emitters_name_exists() {
    // The `use`s above are the check; this only makes sure the table was not empty.
    assert!(NAMES.len() > 40, "{NAMES:?}");
}

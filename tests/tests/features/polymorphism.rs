//! `polymorphism`: properties and navigations typed with a base type that has derived types
//! read `@odata.type` into the derived type, keep unknown derived types intact, and write
//! `@odata.type` for derived values.

use fixture_polymorphism as fx;

include!("polymorphism_cases.rs");

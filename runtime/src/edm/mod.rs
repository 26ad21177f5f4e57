//! EDM primitive types.
//!
//! Rust types for the OData EDM primitives that have no exact std equivalent. Every type is a
//! small newtype that serializes as its OData JSON wire form, so it can be used directly inside
//! `Option<Vec<T>>` fields of generated structs without per-field serde attributes.
//!
//! | EDM type              | Rust type                         | JSON wire form                        |
//! |-----------------------|-----------------------------------|---------------------------------------|
//! | `Edm.DateTimeOffset`  | [`DateTimeOffset`]                | `"2024-05-01T10:00:00.1234567Z"`      |
//! | `Edm.Date`            | [`Date`]                          | `"2024-05-01"`                        |
//! | `Edm.TimeOfDay`       | [`TimeOfDay`]                     | `"10:00:00.5"`                        |
//! | `Edm.Duration`        | [`Duration`]                      | `"P1DT2H30M"`                         |
//! | `Edm.Binary`          | [`Binary`]                        | `"AAEC/w=="`                          |
//! | `Edm.Decimal`         | [`Decimal`]                       | `1.25` or `"1.25"`                    |
//! | `Edm.Guid`            | [`Guid`] (= [`uuid::Uuid`])       | `"01234567-89ab-cdef-0123-456789abcdef"` |
//! | `Edm.Untyped`         | [`Untyped`] (= [`serde_json::Value`]) | any JSON value                    |
//! | `Edm.Stream`          | [`Stream`] (= [`serde_json::Value`])  | any JSON value                    |
//!
//! All string-based types implement [`FromStr`] (error: [`ParseEdmError`]) and [`Display`]
//! (the wire form). Parsing never panics, whatever the input.
//!
//! [`Display`]: std::fmt::Display
//! [`FromStr`]: std::str::FromStr

// One module per type family: `datetime` (DateTimeOffset, Date, TimeOfDay), `duration`,
// `binary`, `decimal`; `error` holds ParseEdmError and `wire` the cursor and serde helpers
// they share. Guid, Untyped and Stream are aliases of other crates' types, declared here.
// Every type is re-exported, so its path stays `graph_odata_runtime::edm::<Type>`.
// `wire` comes first: the modules after it use its macros.
#[macro_use]
mod wire;
mod binary;
mod datetime;
mod decimal;
mod duration;
mod error;

pub use binary::Binary;
pub use datetime::{Date, DateTimeOffset, TimeOfDay};
pub use decimal::Decimal;
pub use duration::Duration;
pub use error::ParseEdmError;

/// `Edm.Guid`: a UUID, serialized as its hyphenated lowercase string form.
pub type Guid = uuid::Uuid;

/// `Edm.Untyped`: a JSON value of any shape (object, array, string, number, boolean or null).
pub type Untyped = serde_json::Value;

/// `Edm.Stream`: the JSON representation of a stream property.
///
/// Stream content is normally fetched separately (via its media read link); when a stream value
/// appears inline in a JSON payload it is kept as an arbitrary JSON value.
pub type Stream = serde_json::Value;

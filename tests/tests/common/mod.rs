//! Helpers shared by the behaviour test binaries (`mod common;` in each).
#![allow(dead_code)]

use std::fmt::Debug;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// Parses JSON text (a test payload) into a [`Value`].
pub fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("test payload is not JSON: {e}"))
}

/// Deserializes `text` as `T`, or panics with the serde error.
pub fn read<T: DeserializeOwned>(text: &str) -> T {
    serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("deserializing {} failed: {e}", std::any::type_name::<T>()))
}

/// Serializes `value` to JSON text and parses that text back into a [`Value`], as a service
/// would see it.
pub fn write<T: Serialize>(value: &T) -> Value {
    let text = serde_json::to_string(value).expect("serialization must not fail");
    json(&text)
}

/// `value` with every object member whose value is `null` removed, recursively (array
/// elements are kept). Only meaningful for payloads whose nulls all sit on declared
/// properties: those are the nulls a round trip drops.
pub fn without_null_members(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_null_members(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_null_members).collect()),
        other => other.clone(),
    }
}

/// Reads `text` as `T`, writes it back, and asserts that the written JSON equals `expected`.
/// Also asserts that reading the written JSON gives an equal `T` (the round trip is stable).
/// Returns the typed value.
pub fn assert_writes_back<T>(text: &str, expected: &Value) -> T
where
    T: DeserializeOwned + Serialize + PartialEq + Debug,
{
    let typed: T = read(text);
    let written = write(&typed);
    assert_eq!(
        &written,
        expected,
        "{} did not write back the expected JSON.\nwritten:  {}\nexpected: {}",
        std::any::type_name::<T>(),
        serde_json::to_string_pretty(&written).unwrap_or_default(),
        serde_json::to_string_pretty(expected).unwrap_or_default(),
    );
    let again: T = serde_json::from_value(written).expect("the written JSON must read back");
    assert_eq!(
        again, typed,
        "reading the written JSON gave a different value"
    );
    typed
}

/// [`assert_writes_back`] with the input itself as the expectation: nothing is lost,
/// explicit nulls and values that do not fit their type included.
pub fn assert_round_trip<T>(text: &str) -> T
where
    T: DeserializeOwned + Serialize + PartialEq + Debug,
{
    assert_writes_back(text, &json(text))
}

//! The decode benchmark's payload is what BENCHMARKS.md says it is (untimed checks).

use csdl_codegen_bench::payload;
use graph_synchronization_models::SynchronizationSchema;
use serde_json::Value;

#[test]
fn payload_is_large_and_round_trips_through_the_typed_model() {
    let bytes = payload::large_payload();
    assert!(bytes.len() >= 1_000_000, "payload is {} bytes", bytes.len());
    assert_eq!(bytes, payload::large_payload(), "payload is deterministic");
    let value: Value = serde_json::from_slice(&bytes).unwrap();
    let typed: SynchronizationSchema = serde_json::from_slice(&bytes).unwrap();
    let rules = typed.synchronization_rules.as_ref().unwrap();
    let mappings = rules[0].object_mappings.as_ref().unwrap();
    let attribute = &mappings[0].attribute_mappings.as_ref().unwrap()[1];
    // Unknown properties and annotations are kept at every level.
    assert!(typed.additional_properties.contains_key("@odata.type"));
    assert!(attribute.additional_properties.contains_key("@odata.type"));
    assert!(attribute
        .additional_properties
        .contains_key("name@odata.type"));
    // Nested sources decode into typed values.
    let source = attribute.source.as_ref().unwrap();
    assert!(source.parameters.as_ref().is_some_and(|p| !p.is_empty()));
    let back: Value = serde_json::from_slice(&serde_json::to_vec(&typed).unwrap()).unwrap();
    assert!(back == value, "typed round trip changed the payload");
}

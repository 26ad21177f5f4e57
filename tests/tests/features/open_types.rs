//! `open_types`: an open entity type and an open complex type keep dynamic properties.

use crate::common::{assert_round_trip, json, write};
use fixture_open_types as fx;
use serde_json::Value;

const SUBMISSION: &str = r##"{
  "@odata.etag": "W/\"3\"",
  "id": "sub-1",
  "formName": "Feedback",
  "favouriteColour": "teal",
  "rating": 4.5,
  "rating@odata.type": "#Double",
  "tags": ["new", "mobile"],
  "device": { "os": "android", "version": 14 },
  "answers": [
    { "question": "How did you hear about us?", "answer": "podcast", "confidence": 0.9 },
    { "question": "Would you recommend us?", "answer": true, "followUp": { "allowed": false } }
  ]
}"##;

#[test]
fn open_entity_and_open_complex_type_keep_dynamic_properties() {
    let s: fx::Submission = assert_round_trip(SUBMISSION);
    assert_eq!(s.id.as_deref(), Some("sub-1"));
    assert_eq!(s.form_name.as_deref(), Some("Feedback"));
    let dynamic = &s.additional_properties;
    assert_eq!(dynamic.get("favouriteColour"), Some(&Value::from("teal")));
    assert_eq!(dynamic.get("rating"), Some(&Value::from(4.5)));
    assert_eq!(
        dynamic.get("rating@odata.type"),
        Some(&Value::from("#Double"))
    );
    assert_eq!(
        dynamic.get("device"),
        Some(&json(r#"{ "os": "android", "version": 14 }"#))
    );
    assert_eq!(dynamic.get("@odata.etag"), Some(&Value::from("W/\"3\"")));
    assert_eq!(dynamic.len(), 6);

    let answers = s.answers.as_deref().expect("answers");
    assert_eq!(
        answers[0].question.as_deref(),
        Some("How did you hear about us?")
    );
    assert_eq!(
        answers[0].additional_properties.get("answer"),
        Some(&Value::from("podcast"))
    );
    assert_eq!(
        answers[1].additional_properties.get("answer"),
        Some(&Value::Bool(true))
    );
    assert_eq!(
        answers[1].additional_properties.get("followUp"),
        Some(&json(r#"{ "allowed": false }"#))
    );
}

#[test]
fn dynamic_properties_can_be_added_and_are_written() {
    let mut answer = fx::Answer {
        question: Some("Size?".into()),
        ..Default::default()
    };
    answer
        .additional_properties
        .insert("answer".into(), Value::from("XL"));
    answer
        .additional_properties
        .insert("answer@odata.type".into(), Value::from("#String"));
    assert_eq!(
        write(&answer),
        json(r##"{ "question": "Size?", "answer": "XL", "answer@odata.type": "#String" }"##)
    );
}

#[test]
fn closed_types_keep_undeclared_properties_too() {
    // Models never drop data: a closed type keeps what a newer service version sends.
    let r: fx::Reviewer =
        assert_round_trip(r#"{ "displayName": "Ana", "addedInV2": { "x": [1, 2] } }"#);
    assert_eq!(r.display_name.as_deref(), Some("Ana"));
    assert_eq!(
        r.additional_properties.get("addedInV2"),
        Some(&json(r#"{ "x": [1, 2] }"#))
    );
}

//! `evolvable_enums`: camelCase and PascalCase members, `unknownFutureValue` and members
//! after it, unknown members kept verbatim.

use crate::common::{assert_round_trip, json, read, write};
use fixture_evolvable_enums as fx;
use graph_odata_runtime::enums::EvolvableEnum;

#[test]
fn members_map_to_upper_camel_variants_and_keep_their_wire_names() {
    use fx::DeliveryChannel as D;
    let cases = [
        (D::Email, "email", 0),
        (D::TextMessage, "textMessage", 1),
        (D::PushNotification, "PushNotification", 2),
        (D::UnknownFutureValue, "unknownFutureValue", 3),
        (D::VoiceCall, "VoiceCall", 4),
    ];
    for (variant, wire, value) in cases {
        assert_eq!(variant.as_wire(), wire);
        assert_eq!(variant.to_string(), wire);
        assert_eq!(variant.value(), Some(value));
        assert!(!variant.is_unknown());
        assert_eq!(D::from(wire), variant);
        assert_eq!(
            serde_json::to_value(&variant).expect("serialize"),
            json(&format!("\"{wire}\""))
        );
    }
    assert_eq!(
        fx::AlertState::UnknownFutureValue.as_wire(),
        "UnknownFutureValue"
    );
    assert_eq!(fx::AlertState::InProgress.value(), Some(1));
}

#[test]
fn matching_is_case_sensitive_and_unknown_members_round_trip() {
    use fx::DeliveryChannel as D;
    assert_eq!(D::from("Email"), D::UnknownValue("Email".into()));
    assert_eq!(
        D::from("carrierPigeon"),
        D::UnknownValue("carrierPigeon".into())
    );
    assert!(D::from("carrierPigeon").is_unknown());
    assert_eq!(D::from("carrierPigeon").value(), None);

    let s: fx::Subscription = assert_round_trip(
        r#"{
          "channel": "carrierPigeon",
          "fallbacks": ["email", "VoiceCall", "smokeSignal", "unknownFutureValue"],
          "state": "Escalated"
        }"#,
    );
    assert_eq!(s.channel, Some(D::UnknownValue("carrierPigeon".into())));
    assert_eq!(
        s.fallbacks,
        Some(vec![
            D::Email,
            D::VoiceCall,
            D::UnknownValue("smokeSignal".into()),
            D::UnknownFutureValue
        ])
    );
    assert_eq!(
        s.state,
        Some(fx::AlertState::UnknownValue("Escalated".into()))
    );
}

#[test]
fn integer_values_read_as_members() {
    let s: fx::Subscription = read(r#"{ "channel": 4, "state": 2, "fallbacks": [1, 99] }"#);
    assert_eq!(s.channel, Some(fx::DeliveryChannel::VoiceCall));
    assert_eq!(s.state, Some(fx::AlertState::Resolved));
    assert_eq!(
        write(&s),
        json(
            r#"{ "channel": "VoiceCall", "state": "Resolved", "fallbacks": ["textMessage", "99"] }"#
        )
    );
}

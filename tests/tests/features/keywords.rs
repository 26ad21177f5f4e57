//! `keywords`: Rust keywords as property names, names colliding after case conversion,
//! `additionalProperties` as a property, and type names colliding with each other or with
//! std names.

use crate::common::{assert_round_trip, json, write};
use fixture_keywords as fx;
use graph_odata_runtime::enums::{EvolvableEnum, FlagsEnum};
use serde_json::Value;

const WORDS: &str = r#"{
  "type": "hammer",
  "default": true,
  "match": "exact",
  "self": "me",
  "Self": "myself",
  "crate": "box-7",
  "async": 3,
  "fooBar": "camel",
  "foo_bar": "snake",
  "additionalProperties": "a declared property",
  "tool": "remote_Control_Software",
  "undeclared": "goes to the map"
}"#;

#[test]
fn keyword_properties_keep_their_exact_wire_names() {
    let w: fx::ReservedWords = assert_round_trip(WORDS);
    assert_eq!(w.r#type.as_deref(), Some("hammer"));
    assert_eq!(w.default, Some(true));
    assert_eq!(w.r#match.as_deref(), Some("exact"));
    // `Self` sorts before `self`, so it keeps `self_`; `self` becomes `self_2` (not `self__2`).
    assert_eq!(w.self_2.as_deref(), Some("me"));
    assert_eq!(w.self_.as_deref(), Some("myself"));
    assert_eq!(w.crate_.as_deref(), Some("box-7"));
    assert_eq!(w.r#async, Some(3));
    // fooBar and foo_bar both convert to foo_bar: byte order decides who keeps it.
    assert_eq!(w.foo_bar.as_deref(), Some("camel"));
    assert_eq!(w.foo_bar_2.as_deref(), Some("snake"));
    // The declared `additionalProperties` is a field; the map holds only undeclared data.
    assert_eq!(
        w.additional_properties_2.as_deref(),
        Some("a declared property")
    );
    assert_eq!(w.additional_properties.len(), 1);
    assert_eq!(
        w.additional_properties.get("undeclared"),
        Some(&Value::from("goes to the map"))
    );
    assert_eq!(w.tool, Some(fx::ToolKind::RemoteControlSoftware2));

    let names: Vec<&str> = fx::ReservedWordsField::ALL
        .iter()
        .map(|f| f.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "type",
            "default",
            "match",
            "self",
            "Self",
            "crate",
            "async",
            "fooBar",
            "foo_bar",
            "additionalProperties",
            "tool"
        ]
    );
    assert_eq!(fx::ReservedWordsField::FooBar2.as_str(), "foo_bar");
    assert_eq!(fx::ReservedWordsField::Self_.as_str(), "Self");
    assert_eq!(fx::ReservedWordsField::Self2.as_str(), "self");
}

#[test]
fn set_null_on_renamed_fields_uses_the_wire_name() {
    let mut w = fx::ReservedWords {
        r#type: Some("saw".into()),
        foo_bar_2: Some("x".into()),
        ..Default::default()
    };
    w.set_null(fx::ReservedWordsField::FooBar2)
        .set_null(fx::ReservedWordsField::AdditionalProperties)
        .set_null(fx::ReservedWordsField::Crate);
    assert_eq!(w.foo_bar_2, None);
    assert_eq!(
        write(&w),
        json(r#"{ "type": "saw", "foo_bar": null, "additionalProperties": null, "crate": null }"#)
    );
}

#[test]
fn colliding_enum_members_and_reserved_variant_name() {
    use fx::ToolKind as K;
    let cases = [
        (K::RemoteControlSoftware, "remoteControlSoftware"),
        (K::RemoteControlSoftware2, "remote_Control_Software"),
        // A member literally named unknownValue does not take the catch-all variant's name.
        (K::UnknownValue2, "unknownValue"),
        (K::Self_, "Self"),
        (K::None, "None"),
    ];
    for (variant, wire) in cases {
        assert_eq!(variant.as_wire(), wire);
        assert_eq!(K::from(wire), variant);
        assert!(!variant.is_unknown());
    }
    assert_eq!(
        K::from("UnknownValue"),
        K::UnknownValue("UnknownValue".into())
    );
    assert_eq!(K::UnknownValue2.value(), Some(2));

    assert_eq!(fx::ToolFlags::REMOTE_CONTROL_SOFTWARE.bits(), 1);
    assert_eq!(fx::ToolFlags::REMOTE_CONTROL_SOFTWARE_2.bits(), 2);
    assert_eq!(
        (fx::ToolFlags::REMOTE_CONTROL_SOFTWARE | fx::ToolFlags::REMOTE_CONTROL_SOFTWARE_2)
            .to_string(),
        "remoteControlSoftware, remote_Control_Software"
    );
}

#[test]
fn colliding_and_std_like_type_names() {
    let text = r#"{
      "type": "drawer-3",
      "small": { "size": 2 },
      "large": { "colour": "red" },
      "option": { "enabled": false },
      "result": { "passed": true },
      "words": { "type": "nested" },
      "flags": "remote_Control_Software"
    }"#;
    let tb: fx::Toolbox = assert_round_trip(text);
    assert_eq!(tb.r#type.as_deref(), Some("drawer-3"));
    // `widget` and `Widget` both convert to Widget: `Widget` keeps it, `widget` is Widget2.
    let small: &fx::Widget2 = tb.small.as_ref().expect("small");
    assert_eq!(small.size, Some(2));
    let large: &fx::Widget = tb.large.as_ref().expect("large");
    assert_eq!(large.colour.as_deref(), Some("red"));
    // `option` and `result` do not shadow std's Option and Result.
    let option: &fx::OptionType = tb.option.as_ref().expect("option");
    assert_eq!(option.enabled, Some(false));
    let result: &fx::ResultType = tb.result.as_ref().expect("result");
    assert_eq!(result.passed, Some(true));
    assert_eq!(
        tb.words.as_ref().and_then(|w| w.r#type.as_deref()),
        Some("nested")
    );
    assert_eq!(tb.flags, Some(fx::ToolFlags::REMOTE_CONTROL_SOFTWARE_2));
    assert_eq!(fx::Widget2Field::Size.as_str(), "size");
    assert_eq!(fx::OptionTypeField::Enabled.as_str(), "enabled");
}

#[test]
fn companion_names_never_collide() {
    // `anyPart` is `AnyPart` with the field type `AnyPartField`; the polymorphic `partField`
    // wanted `AnyPartField` for its `Any` enum too and gets the numbered name.
    let text = r##"{
      "type": "drawer-4",
      "anyPart": { "count": 3 },
      "part": { "@odata.type": "#wingtip.naming.partFieldLong", "label": "a", "length": 7 }
    }"##;
    let tb: fx::Toolbox = assert_round_trip(text);
    assert_eq!(tb.any_part.as_ref().and_then(|p| p.count), Some(3));
    assert_eq!(fx::AnyPartField::Count.as_str(), "count");
    let part: &fx::AnyPartField2 = tb.part.as_ref().expect("part");
    let long = part.as_part_field_long().expect("the derived type");
    assert_eq!(long.length, Some(7));
    assert!(part.as_part_field().is_none());
}

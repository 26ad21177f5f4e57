//! `flags`: IsFlags enums with a composite (`Everything = 15`) and a zero (`Nothing`) member,
//! an Edm.Byte flags enum without a zero member, an Edm.Byte enum, implicit member values and
//! a negative Int64 value.

use crate::common::{assert_round_trip, assert_writes_back, json, read, write};
use fixture_flags as fx;
use graph_odata_runtime::enums::{EvolvableEnum, FlagsEnum};

#[test]
fn flags_members_composite_and_zero() {
    assert_eq!(fx::AccessRights::NOTHING.bits(), 0);
    assert_eq!(fx::AccessRights::EVERYTHING.bits(), 15);
    assert_eq!(
        fx::AccessRights::READ
            | fx::AccessRights::WRITE
            | fx::AccessRights::EXECUTE
            | fx::AccessRights::SHARE,
        fx::AccessRights::EVERYTHING
    );
    assert_eq!(
        <fx::AccessRights as FlagsEnum>::MEMBERS,
        &[
            ("Nothing", 0),
            ("Read", 1),
            ("Write", 2),
            ("Execute", 4),
            ("Share", 8),
            ("Everything", 15),
            ("Audit", 64)
        ]
    );
    assert_eq!(
        (fx::AccessRights::READ | fx::AccessRights::SHARE).to_string(),
        "Read, Share"
    );
    assert_eq!(fx::AccessRights::EVERYTHING.to_string(), "Everything");
    assert_eq!(
        (fx::AccessRights::EVERYTHING | fx::AccessRights::AUDIT).to_string(),
        "Everything, Audit"
    );
    assert_eq!(fx::AccessRights::NOTHING.to_string(), "Nothing");
    assert_eq!(fx::AccessRights::default(), fx::AccessRights::NOTHING);
    assert!(fx::AccessRights::NOTHING.is_empty());
    assert!(fx::AccessRights::EVERYTHING.contains(&fx::AccessRights::WRITE));
    assert!(!fx::AccessRights::EVERYTHING.contains(&fx::AccessRights::AUDIT));
}

#[test]
fn grant_round_trip_with_flags_and_enums() {
    let text = r#"{
      "principal": "ops-team",
      "rights": "Read, Write, Execute, Share",
      "history": ["Nothing", "Read", "Everything, Audit", "Read, Teleport"],
      "activeDays": "Monday, Friday",
      "severity": "High",
      "shade": "Dark",
      "balance": "Overdrawn"
    }"#;
    let expected = json(
        r#"{
      "principal": "ops-team",
      "rights": "Everything",
      "history": ["Nothing", "Read", "Everything, Audit", "Read, Teleport"],
      "activeDays": "Monday, Friday",
      "severity": "High",
      "shade": "Dark",
      "balance": "Overdrawn"
    }"#,
    );
    // All four bits of the composite member are written as that member.
    let grant: fx::Grant = assert_writes_back(text, &expected);
    assert_eq!(grant.rights, Some(fx::AccessRights::EVERYTHING));
    let history = grant.history.as_deref().expect("history");
    assert!(history[0].is_empty());
    assert_eq!(history[2].bits(), 15 | 64);
    // An unknown member name is kept next to the known bits.
    assert_eq!(history[3].bits(), 1);
    assert_eq!(history[3].unknown_members(), ["Teleport".to_string()]);
    assert_eq!(
        grant.active_days.as_ref().map(FlagsEnum::bits),
        Some(1 | 16)
    );
    assert_eq!(grant.severity, Some(fx::Severity::High));
    assert_eq!(grant.shade, Some(fx::Shade::Dark));
    assert_eq!(grant.balance, Some(fx::BalanceState::Overdrawn));
}

#[test]
fn flags_read_integers_and_write_names() {
    let grant: fx::Grant = read(r#"{ "rights": 5, "activeDays": 96 }"#);
    assert_eq!(
        grant.rights,
        Some(fx::AccessRights::READ | fx::AccessRights::EXECUTE)
    );
    assert_eq!(
        write(&grant),
        json(r#"{ "rights": "Read, Execute", "activeDays": "Saturday, Sunday" }"#)
    );
    // Bits no member covers are written as a number after the names.
    let odd: fx::Grant = read(r#"{ "rights": 81 }"#);
    assert_eq!(write(&odd), json(r#"{ "rights": "Read, Audit, 16" }"#));
}

#[test]
fn flags_without_zero_member_write_zero_as_a_number() {
    // weekdays has no member with value 0.
    let g: fx::Grant =
        assert_writes_back(r#"{ "activeDays": "" }"#, &json(r#"{ "activeDays": "0" }"#));
    assert!(g.active_days.expect("activeDays").is_empty());
    let zero: fx::Grant = assert_round_trip(r#"{ "rights": "Nothing", "activeDays": "0" }"#);
    assert_eq!(zero.rights.as_ref().map(FlagsEnum::bits), Some(0));
}

#[test]
fn explicit_underlying_types_and_values() {
    // Edm.Byte enum: values up to 255.
    assert_eq!(
        <fx::Severity as EvolvableEnum>::MEMBERS,
        &[("Low", 10), ("Medium", 20), ("High", 250)]
    );
    assert_eq!(fx::Severity::High.value(), Some(250));
    let by_number: fx::Grant = read(r#"{ "severity": 20 }"#);
    assert_eq!(by_number.severity, Some(fx::Severity::Medium));
    // Edm.Byte flags enum.
    assert_eq!(fx::Weekdays::SUNDAY.bits(), 64);

    // Members without Value attributes are numbered from 0 in document order.
    assert_eq!(
        <fx::Shade as EvolvableEnum>::MEMBERS,
        &[("Light", 0), ("Medium", 1), ("Dark", 2)]
    );
    assert_eq!(fx::Shade::from_value(1), Some(fx::Shade::Medium));

    // Int64 enum with values beyond i32, one negative.
    assert_eq!(fx::BalanceState::Overdrawn.value(), Some(-9_000_000_000));
    assert_eq!(fx::BalanceState::Funded.value(), Some(9_000_000_000));
    let negative: fx::Grant = read(r#"{ "balance": -9000000000 }"#);
    assert_eq!(negative.balance, Some(fx::BalanceState::Overdrawn));
    assert_eq!(write(&negative), json(r#"{ "balance": "Overdrawn" }"#));
    let unknown_number: fx::Grant = read(r#"{ "balance": 5 }"#);
    assert_eq!(
        unknown_number.balance,
        Some(fx::BalanceState::UnknownValue("5".into()))
    );
}

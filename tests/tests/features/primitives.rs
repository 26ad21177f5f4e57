//! `primitives`: one property of every EDM primitive type, a spatial type, a type definition
//! and collections of primitives.

use crate::common::{assert_writes_back, json, read, write};
use fixture_primitives as fx;
use fx::edm;
use serde_json::Value;

const SAMPLE: &str = r##"{
  "@odata.context": "https://fourthcoffee.example/odata/$metadata#samples/$entity",
  "id": "0f8fad5b-d9cb-469f-a165-70867728950e",
  "text": "naïve café ☕ \"quoted\" \\ back\nslash",
  "flag": true,
  "byteValue": 255,
  "sbyteValue": -128,
  "int16Value": -32768,
  "int32Value": 2147483647,
  "int64Value": 9007199254740993,
  "singleValue": 1.5,
  "doubleValue": 0.1,
  "decimalValue": 1234.5678,
  "guidValue": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
  "dateValue": "2024-02-29",
  "timeValue": "23:59:59.999",
  "timestamp": "2024-05-01T10:00:00.1234567+05:30",
  "elapsed": "-P1DT2H30M15.25S",
  "payload": "AAEC/w==",
  "attachment@odata.mediaReadLink": "samples(0f8fad5b-d9cb-469f-a165-70867728950e)/attachment",
  "attachment@odata.mediaContentType": "image/png",
  "extra": { "any": [1, "two", null, { "three": 3.5 }], "nested": { "deep": null }, "ok": false },
  "location": {
    "type": "Point",
    "coordinates": [-122.1215, 47.674],
    "crs": { "type": "name", "properties": { "name": "EPSG:4326" } }
  },
  "contact": "barista@fourthcoffee.example",
  "tags": ["espresso", "", "décaf"],
  "readings": [0.0, -1.5, 1e300],
  "counts": [-9223372036854775808, 0, 9223372036854775807],
  "days": ["0001-01-01", "9999-12-31"],
  "intervals": ["PT0S", "PT40M", "P7D", "-PT0.5S"],
  "blobs": ["", "Zm9vYmFy"],
  "ids": ["00000000-0000-0000-0000-000000000000"],
  "amounts": [0.5, 7, "12345678901234567890.123456"],
  "contacts": ["a@example.com", "b@example.com"]
}"##;

#[test]
fn every_primitive_reads_its_typed_value() {
    let s: fx::Sample = read(SAMPLE);
    assert_eq!(
        s.id,
        Some(edm::Guid::parse_str("0f8fad5b-d9cb-469f-a165-70867728950e").expect("uuid"))
    );
    assert_eq!(
        s.text.as_deref(),
        Some("naïve café ☕ \"quoted\" \\ back\nslash")
    );
    assert_eq!(s.flag, Some(true));
    assert_eq!(s.byte_value, Some(u8::MAX));
    assert_eq!(s.sbyte_value, Some(i8::MIN));
    assert_eq!(s.int16_value, Some(i16::MIN));
    assert_eq!(s.int32_value, Some(i32::MAX));
    // 2^53 + 1: not representable as f64, exact as i64.
    assert_eq!(s.int64_value, Some(9_007_199_254_740_993));
    assert_eq!(s.single_value, Some(1.5_f32));
    assert_eq!(s.double_value, Some(0.1_f64));
    let decimal = s.decimal_value.as_ref().expect("decimal");
    assert_eq!(decimal.as_str(), "1234.5678");
    assert_eq!(
        decimal,
        &"1234.56780".parse::<edm::Decimal>().expect("decimal")
    );
    assert_eq!(
        s.guid_value.map(|g| g.to_string()).as_deref(),
        Some("7c9e6679-7425-40de-944b-e07fc1f90ae7")
    );
    let date = s.date_value.expect("date");
    assert_eq!(
        (date.year(), u8::from(date.month()), date.day()),
        (2024, 2, 29)
    );
    let time = s.time_value.expect("time");
    assert_eq!(
        (
            time.hour(),
            time.minute(),
            time.second(),
            time.millisecond()
        ),
        (23, 59, 59, 999)
    );
    let timestamp = s.timestamp.expect("timestamp");
    assert_eq!(timestamp.offset().whole_minutes(), 330);
    assert_eq!(timestamp.unix_timestamp(), 1_714_537_800);
    assert_eq!(timestamp.nanosecond(), 123_456_700);
    let elapsed = s.elapsed.expect("elapsed");
    assert!(elapsed.is_negative());
    assert_eq!(
        elapsed.whole_seconds(),
        -(86_400 + 2 * 3_600 + 30 * 60 + 15)
    );
    assert_eq!(elapsed.subsec_nanos(), 250_000_000);
    assert_eq!(elapsed.as_secs_f64(), -95_415.25);
    assert_eq!(elapsed.to_std(), None);
    assert_eq!(
        s.payload.as_ref().map(|b| b.0.as_slice()),
        Some(&[0u8, 1, 2, 255][..])
    );

    // Edm.Stream: the value itself is not inline; its media annotations are kept.
    assert_eq!(s.attachment, None);
    assert_eq!(
        s.additional_properties
            .get("attachment@odata.mediaContentType"),
        Some(&Value::from("image/png"))
    );
    // Edm.Untyped: any JSON, nulls inside included.
    let extra = s.extra.as_ref().expect("extra");
    assert_eq!(extra["any"][2], Value::Null);
    assert_eq!(extra["any"][3]["three"], 3.5);
    assert!(extra["nested"]
        .as_object()
        .is_some_and(|o| o.contains_key("deep")));
    // Edm.GeographyPoint: GeoJSON, kept as JSON.
    let location = s.location.as_ref().expect("location");
    assert_eq!(location["type"], "Point");
    assert_eq!(location["coordinates"], json("[-122.1215, 47.674]"));
    // Type definition over Edm.String.
    let contact: &fx::EmailAddress = s.contact.as_ref().expect("contact");
    assert_eq!(contact, "barista@fourthcoffee.example");

    assert_eq!(s.tags.as_deref().map(<[String]>::len), Some(3));
    assert_eq!(s.readings, Some(vec![0.0, -1.5, 1e300]));
    assert_eq!(s.counts, Some(vec![i64::MIN, 0, i64::MAX]));
    let days: Vec<String> = s.days.iter().flatten().map(ToString::to_string).collect();
    assert_eq!(days, ["0001-01-01", "9999-12-31"]);
    let intervals: Vec<i128> = s
        .intervals
        .iter()
        .flatten()
        .map(|d| d.whole_seconds())
        .collect();
    assert_eq!(intervals, [0, 2_400, 7 * 86_400, 0]);
    assert!(s.intervals.as_ref().is_some_and(|i| i[3].is_negative()));
    let blobs: Vec<&[u8]> = s.blobs.iter().flatten().map(|b| b.0.as_slice()).collect();
    assert_eq!(blobs, [&b""[..], &b"foobar"[..]]);
    assert_eq!(s.ids, Some(vec![edm::Guid::nil()]));
    let amounts: Vec<&str> = s
        .amounts
        .iter()
        .flatten()
        .map(edm::Decimal::as_str)
        .collect();
    assert_eq!(amounts, ["0.5", "7", "12345678901234567890.123456"]);
    assert_eq!(
        s.contacts,
        Some(vec![
            "a@example.com".to_string(),
            "b@example.com".to_string()
        ])
    );
}

#[test]
fn every_primitive_round_trips() {
    // No declared property is null here, so the expectation is the input itself (the nulls
    // inside the Untyped value are data and must survive).
    let s: fx::Sample = assert_writes_back(SAMPLE, &json(SAMPLE));
    let written = write(&s);
    assert_eq!(written["payload"], "AAEC/w==");
    assert_eq!(written["elapsed"], "-P1DT2H30M15.25S");
    assert_eq!(written["timestamp"], "2024-05-01T10:00:00.1234567+05:30");
    assert_eq!(written["amounts"][2], "12345678901234567890.123456");
    assert_eq!(written["int64Value"], json("9007199254740993"));
}

#[test]
fn primitives_built_in_code_write_their_wire_forms() {
    let s = fx::Sample {
        payload: Some(edm::Binary(vec![0xfb, 0xff])),
        elapsed: Some(edm::Duration::new(true, 90, 500_000_000)),
        decimal_value: Some(edm::Decimal::from(-42_i64)),
        date_value: Some("2000-01-01".parse().expect("date")),
        time_value: Some("07:05".parse().expect("time")),
        ..Default::default()
    };
    assert_eq!(
        write(&s),
        json(
            r#"{
              "payload": "+/8=",
              "elapsed": "-PT1M30.5S",
              "decimalValue": -42,
              "dateValue": "2000-01-01",
              "timeValue": "07:05:00"
            }"#
        )
    );
    // URL-safe base64 is accepted on read; standard base64 is written.
    let url_safe: fx::Sample = read(r#"{ "payload": "-_8" }"#);
    assert_eq!(url_safe.payload, Some(edm::Binary(vec![0xfb, 0xff])));
}

#[test]
fn decimal_strings_are_written_as_numbers_when_exact() {
    // Documented runtime behaviour: the IEEE754Compatible string form is accepted, and
    // written as a JSON number whenever the number is exact; the value is equal.
    let s: fx::Sample = read(r#"{ "decimalValue": "2.50", "amounts": ["0.1", "1e400"] }"#);
    assert_eq!(
        s.decimal_value.as_ref().map(edm::Decimal::as_str),
        Some("2.50")
    );
    assert_eq!(
        write(&s),
        json(r#"{ "decimalValue": 2.5, "amounts": [0.1, "1e400"] }"#)
    );
}

#[test]
fn invalid_primitive_values_are_kept_verbatim_and_never_fail_the_object() {
    // Values real services send that do not fit their EDM type: the object decodes, the
    // typed field is unset, the value is kept under its name and written back unchanged.
    for (text, field) in [
        (r#"{"dateValue":"2024-02-30"}"#, "dateValue"),
        (r#"{"timeValue":"24:00:00"}"#, "timeValue"),
        (r#"{"timestamp":""}"#, "timestamp"),
        (r#"{"timestamp":"2024-05-01 10:00"}"#, "timestamp"),
        (r#"{"elapsed":"P1Y2M3DT4H5M6S"}"#, "elapsed"),
        (r#"{"payload":"***"}"#, "payload"),
        (r#"{"decimalValue":"NaN"}"#, "decimalValue"),
        (r#"{"byteValue":256}"#, "byteValue"),
        (r#"{"sbyteValue":128}"#, "sbyteValue"),
        (r#"{"guidValue":"{id}"}"#, "guidValue"),
        (r#"{"guidValue":"not-a-guid","text":"kept"}"#, "guidValue"),
    ] {
        let s: fx::Sample = serde_json::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert!(
            s.additional_properties.contains_key(field),
            "{text}: the raw value is kept"
        );
        let written = serde_json::to_string(&s).unwrap();
        // The same value, byte for byte (declared properties are written first, so only
        // the order of members may differ).
        assert_eq!(
            serde_json::from_str::<Value>(&written).unwrap(),
            serde_json::from_str::<Value>(text).unwrap(),
            "{text}"
        );
        if !text.contains(',') {
            assert_eq!(written, text, "byte-identical");
        }
    }
    // A typed value that fits is still typed, next to one that does not.
    let s: fx::Sample =
        serde_json::from_str(r#"{"dateValue":"2024-02-29","timeValue":"25:00:00"}"#).unwrap();
    assert!(s.date_value.is_some());
    assert!(s.time_value.is_none());
    assert_eq!(s.additional_properties["timeValue"], "25:00:00");
}

#[test]
fn explicit_null_of_untyped_or_spatial_property_reads_as_unset() {
    let text = r#"{"extra":null,"location":null,"text":null}"#;
    let s: fx::Sample = read(text);
    assert_eq!((&s.extra, &s.location, &s.text), (&None, &None, &None));
    // The nulls are kept, so the object is written back as it was read.
    assert_eq!(s.additional_properties.len(), 3);
    assert_eq!(serde_json::to_string(&s).unwrap(), text);
}

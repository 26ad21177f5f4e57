//! `inheritance`: abstract entity base with a key, a three-deep derived chain, complex type
//! inheritance and an abstract complex type.

use crate::common::{assert_round_trip, json, read, write};
use fixture_inheritance as fx;

const THERMOMETER: &str = r##"{
  "@odata.type": "#tailspin.devices.thermometer",
  "assetTag": "TS-0042",
  "purchased": "2023-11-05",
  "model": "Therm-9",
  "footprint": {
    "@odata.type": "#tailspin.devices.ring",
    "label": "mount",
    "radius": 2.5,
    "innerRadius": 1.25
  },
  "samplingRateHz": 0.5,
  "minCelsius": -40.0,
  "maxCelsius": 125.5,
  "outline": { "label": "case", "radius": 3.75 }
}"##;

#[test]
fn derived_entity_has_every_inherited_property() {
    let t: fx::Thermometer = assert_round_trip(THERMOMETER);
    // From asset (two levels up), device, sensor, and its own.
    assert_eq!(t.asset_tag.as_deref(), Some("TS-0042"));
    assert_eq!(
        t.purchased.map(|d| d.to_string()).as_deref(),
        Some("2023-11-05")
    );
    assert_eq!(t.model.as_deref(), Some("Therm-9"));
    assert_eq!(t.sampling_rate_hz, Some(0.5));
    assert_eq!(t.min_celsius, Some(-40.0));
    assert_eq!(t.max_celsius, Some(125.5));
    let outline: &fx::Circle = t
        .outline
        .as_ref()
        .and_then(|o| o.as_circle())
        .expect("outline");
    assert_eq!(outline.label.as_deref(), Some("case"));
    assert_eq!(outline.radius, Some(3.75));
    assert_eq!(
        t.additional_properties.get("@odata.type"),
        Some(&json(r##""#tailspin.devices.thermometer""##))
    );

    let names: Vec<&str> = fx::ThermometerField::ALL
        .iter()
        .map(|f| f.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "assetTag",
            "purchased",
            "model",
            "footprint",
            "samplingRateHz",
            "minCelsius",
            "maxCelsius",
            "outline"
        ]
    );
    let ring_fields: Vec<&str> = fx::RingField::ALL.iter().map(|f| f.as_str()).collect();
    assert_eq!(ring_fields, ["label", "radius", "innerRadius"]);
}

#[test]
fn property_of_an_abstract_complex_type_reads_the_derived_type() {
    let t: fx::Thermometer = read(THERMOMETER);
    // `footprint` is typed `shape` (abstract); `@odata.type` selects the derived `ring`.
    let footprint = t.footprint.as_ref().expect("footprint");
    assert_eq!(footprint.odata_type(), "#tailspin.devices.ring");
    let ring = footprint.as_ring().expect("a ring");
    assert_eq!(ring.label.as_deref(), Some("mount"));
    assert_eq!(ring.radius, Some(2.5));
    assert_eq!(ring.inner_radius, Some(1.25));
    assert_eq!(
        ring.additional_properties.len(),
        1,
        "only @odata.type remains"
    );
    // Written back with its @odata.type, once.
    assert_eq!(
        write(footprint)["@odata.type"],
        json(r##""#tailspin.devices.ring""##)
    );
}

#[test]
fn abstract_base_entity_reads_any_derived_payload() {
    let asset: fx::Asset = assert_round_trip(THERMOMETER);
    assert_eq!(asset.asset_tag.as_deref(), Some("TS-0042"));
    assert_eq!(
        asset.purchased.map(|d| d.to_string()).as_deref(),
        Some("2023-11-05")
    );
    for derived in [
        "model",
        "footprint",
        "samplingRateHz",
        "outline",
        "@odata.type",
    ] {
        assert!(
            asset.additional_properties.contains_key(derived),
            "{derived} must be kept"
        );
    }
    // A middle link of the chain.
    let sensor: fx::Sensor = read(THERMOMETER);
    assert_eq!(sensor.sampling_rate_hz, Some(0.5));
    assert_eq!(sensor.model.as_deref(), Some("Therm-9"));
    assert!(sensor.additional_properties.contains_key("minCelsius"));
    assert!(!sensor.additional_properties.contains_key("samplingRateHz"));
}

#[test]
fn derived_structs_are_built_and_written_with_inherited_fields() {
    let device = fx::Device {
        asset_tag: Some("D-1".into()),
        model: Some("M".into()),
        footprint: Some(
            fx::Shape {
                label: Some("flat".into()),
                ..Default::default()
            }
            .into(),
        ),
        ..Default::default()
    };
    assert_eq!(
        write(&device),
        json(r#"{ "assetTag": "D-1", "model": "M", "footprint": { "label": "flat" } }"#)
    );
    let rect: fx::Rectangle = assert_round_trip(r#"{ "label": "r", "width": 2.0, "height": 3.5 }"#);
    assert_eq!((rect.width, rect.height), (Some(2.0), Some(3.5)));
}

//! `aliases`: two schemas with aliases (one of them `self`), references across namespaces
//! through an alias, and `label` declared in both namespaces.

use crate::common::{assert_round_trip, json, write};
use fixture_aliases as fx;
use fx::fabrikam_common as common_ns;
use fx::fabrikam_shipping as shipping_ns;

const PARCEL: &str = r##"{
  "@odata.context": "https://fabrikam.example/odata/$metadata#parcels/$entity",
  "trackingCode": "FAB-000123",
  "sender": { "street": "1 Harbour Rd", "city": "Porto", "region": "south" },
  "recipient": { "street": "9 Fjord Gate", "city": "Tromsø", "region": "north" },
  "stops": [
    { "city": "Lyon", "region": "south" },
    { "city": "Hamburg", "region": "north", "dock": 7 }
  ],
  "homeRegion": "east",
  "shippingLabel": { "barcode": "0123456789012", "weightGrams": 1250 },
  "customsLabel": { "text": "Books", "language": "en", "barcode": "not-a-customs-field" },
  "history": [
    { "location": { "barcode": "HUB-1", "weightGrams": 1249 }, "region": "south" }
  ],
  "depot": {
    "street": "Kai 3",
    "city": "Bergen",
    "region": "north",
    "depotCode": "BGO-2",
    "servedRegions": ["north", "south", "west"]
  },
  "carrier": {
    "id": "c-42",
    "headquarters": { "street": "Main St 5", "city": "Oslo", "region": "north" }
  }
}"##;

#[test]
fn primary_namespace_is_at_the_root_and_the_other_is_a_module() {
    // `fabrikam.shipping` (the larger namespace) is re-exported at the crate root.
    let at_root = fx::Parcel::default();
    let in_module: shipping_ns::Parcel = at_root.clone();
    assert_eq!(in_module, at_root);
    // Same CSDL name, two namespaces: two distinct Rust types with their own fields.
    let shipping = shipping_ns::Label {
        barcode: Some("1".into()),
        weight_grams: Some(10),
        ..Default::default()
    };
    let common = common_ns::Label {
        text: Some("Books".into()),
        language: Some("en".into()),
        ..Default::default()
    };
    assert_eq!(
        write(&shipping),
        json(r#"{ "barcode": "1", "weightGrams": 10 }"#)
    );
    assert_eq!(
        write(&common),
        json(r#"{ "text": "Books", "language": "en" }"#)
    );
    let root_label: fx::Label = shipping;
    assert_eq!(root_label.weight_grams, Some(10));
}

#[test]
fn references_through_aliases_resolve_to_the_right_types() {
    let parcel: fx::Parcel = assert_round_trip(PARCEL);
    assert_eq!(parcel.tracking_code.as_deref(), Some("FAB-000123"));

    // `common.postalAddress` and `fabrikam.common.postalAddress` are the same type.
    let sender: &common_ns::PostalAddress = parcel
        .sender
        .as_ref()
        .and_then(|a| a.as_postal_address())
        .expect("sender");
    let recipient: &common_ns::PostalAddress = parcel
        .recipient
        .as_ref()
        .and_then(|a| a.as_postal_address())
        .expect("recipient");
    assert_eq!(sender.region, Some(common_ns::Region::South));
    assert_eq!(recipient.city.as_deref(), Some("Tromsø"));
    assert_eq!(recipient.region, Some(common_ns::Region::North));
    let stops = parcel.stops.as_deref().expect("stops");
    assert_eq!(stops.len(), 2);
    let stop = stops[1].as_postal_address().expect("a plain address");
    assert_eq!(stop.additional_properties.get("dock"), Some(&json("7")));
    assert_eq!(
        parcel.home_region,
        Some(common_ns::Region::UnknownValue("east".into()))
    );

    // `self.label` is fabrikam.shipping.label; `common.label` is fabrikam.common.label.
    let shipping_label: &shipping_ns::Label = parcel.shipping_label.as_ref().expect("label");
    assert_eq!(shipping_label.weight_grams, Some(1250));
    let customs: &common_ns::Label = parcel.customs_label.as_ref().expect("customs");
    assert_eq!(customs.text.as_deref(), Some("Books"));
    // A shipping-label property on the common label is not one of its fields.
    assert_eq!(
        customs.additional_properties.get("barcode"),
        Some(&json(r#""not-a-customs-field""#))
    );

    let scan = &parcel.history.as_deref().expect("history")[0];
    assert_eq!(
        scan.location.as_ref().and_then(|l| l.barcode.as_deref()),
        Some("HUB-1")
    );
    assert_eq!(scan.region, Some(common_ns::Region::South));

    // A shipping type derived from a common type inherits members typed in `common`.
    let depot: &shipping_ns::DepotAddress = parcel.depot.as_ref().expect("depot");
    assert_eq!(depot.city.as_deref(), Some("Bergen"));
    assert_eq!(depot.region, Some(common_ns::Region::North));
    assert_eq!(depot.depot_code.as_deref(), Some("BGO-2"));
    assert_eq!(
        depot.served_regions,
        Some(vec![
            common_ns::Region::North,
            common_ns::Region::South,
            common_ns::Region::UnknownValue("west".into())
        ])
    );
    let depot_fields: Vec<&str> = shipping_ns::DepotAddressField::ALL
        .iter()
        .map(|f| f.as_str())
        .collect();
    assert_eq!(
        depot_fields,
        ["street", "city", "region", "depotCode", "servedRegions"]
    );

    let carrier: &shipping_ns::Carrier = parcel.carrier.as_ref().expect("carrier");
    assert_eq!(
        carrier
            .headquarters
            .as_ref()
            .and_then(|h| h.as_postal_address())
            .and_then(|h| h.city.as_deref()),
        Some("Oslo")
    );
}

//! Real-world CSDL shapes (`tests/fixtures/real_world.csdl.xml`): types from a referenced
//! local document and from the built-in standard vocabularies, the core vocabulary under an
//! SAP-style alias (its alternate keys and descriptions still count), community alternate
//! keys, an inherited key, a redeclared property and `_`-style names, decoded, re-encoded
//! and requested.

use fixture_real_world_client::models::{contoso_units as units, fabrikam_erp as erp};
use fixture_real_world_client::runtime::{Method, StaticTokenCredential};
use fixture_real_world_client::ServiceClient;
use serde_json::{json, Value};

#[test]
fn a_product_with_referenced_and_vocabulary_types_round_trips() {
    let payload = json!({
        "id": "p1",
        "sku": "SKU-1",
        "_": "underscore",
        "__": 2,
        "_1": true,
        "price": {"amount": 12.50, "currency": "EUR"},
        "extensions": {"color": "red", "weight": 3},
        "restriction": {
            "NavigationProperty": "items",
            "Navigability": "Single",
            "FilterFunctions": ["contains"]
        },
        "scheme": "oauth",
        "size": {"@odata.type": "#Fabrikam.Erp.preciseMeasure", "Value": 1.25, "unit": "m", "digits": 2},
        "unknown": [1, 2]
    });
    let product: erp::Product = serde_json::from_value(payload.clone()).unwrap();
    assert_eq!(product.unnamed.as_deref(), Some("underscore"));
    assert_eq!(product.unnamed_2, Some(2));
    assert_eq!(product._1, Some(true));
    let price = product.price.as_ref().unwrap();
    assert_eq!(price.currency, Some(units::Currency::Eur));
    // Core.Dictionary is an open type: everything is kept.
    let extensions = product.extensions.as_ref().unwrap();
    assert_eq!(extensions.additional_properties["color"], json!("red"));
    assert_eq!(product.scheme.as_deref(), Some("oauth"));
    let restriction = product.restriction.as_ref().unwrap();
    assert_eq!(
        restriction.filter_functions.as_deref(),
        Some(&["contains".to_string()][..])
    );
    // The derived measure redeclares `Value`; it is one field, not two.
    match product.size.as_ref().unwrap() {
        erp::AnyMeasure::PreciseMeasure(m) => {
            assert_eq!(m.digits, Some(2));
            assert!(m.value.is_some());
        }
        other => panic!("expected the derived measure, got {other:?}"),
    }
    let back: Value = serde_json::to_value(&product).unwrap();
    assert_eq!(back, payload);
}

#[test]
fn appointments_use_the_inherited_key() {
    let appointment: erp::Appointment = serde_json::from_value(json!({
        "activityid": "6f9619ff-8b86-d011-b42d-00c04fc964ff",
        "subject": "review",
        "location": "room 1"
    }))
    .unwrap();
    assert!(appointment.activityid.is_some());
    assert_eq!(appointment.location.as_deref(), Some("room 1"));
}

#[test]
fn aliased_and_community_alternate_keys_become_methods() {
    let client = ServiceClient::new(StaticTokenCredential::new("t")).unwrap();
    let base = "https://erp.fabrikam.test/api/data/v9.2";
    let built = client.products().by_sku("SKU 1").get().build().unwrap();
    assert_eq!(built.method, Method::GET);
    assert_eq!(
        built.url.as_str(),
        format!("{base}/products(sku='SKU%201')")
    );
    let built = client
        .accounts()
        .by_accountnumber("A-7")
        .get()
        .build()
        .unwrap();
    assert_eq!(
        built.url.as_str(),
        format!("{base}/accounts(accountnumber='A-7')")
    );
    // The service does not take keys as segments: a single key is a typed literal in
    // parentheses (a GUID bare).
    let id: fixture_real_world_client::models::edm::Guid =
        "5e4b7c38-0000-4000-8000-000000000001".parse().unwrap();
    let built = client.appointments().by_id(id).get().build().unwrap();
    assert_eq!(
        built.url.as_str(),
        format!("{base}/appointments(5e4b7c38-0000-4000-8000-000000000001)")
    );
}

#[test]
fn the_aliased_core_description_documents_the_type() {
    let source = include_str!("../generated/real_world/src/fabrikam_erp/entity_types.rs");
    assert!(source.contains("/// A product of the catalog."));
    // Types of the referenced library that nothing uses are not generated.
    let units = include_str!("../generated/real_world/src/contoso_units/complex_types.rs");
    assert!(units.contains("pub struct Money"));
    assert!(!units.contains("UnusedThing"));
}

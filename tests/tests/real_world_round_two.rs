//! The second round of real-world shapes, compiled: narrower redeclarations and members
//! declared twice alike (`tests/fixtures/lenient.csdl.xml`), keys that are paths into
//! complex properties (`key_paths.csdl.xml`), and versioned namespaces whose names differ
//! only in where the digits split (`versioned_namespaces.csdl.xml`).

use fixture_key_paths_client::runtime::{Method, Request, StaticTokenCredential};
use fixture_lenient::northwind_lenient as lenient;
use serde_json::{json, Value};

/// (method, URL) of a request as it would be sent.
fn sent<T>(request: Request<T>) -> (Method, String) {
    let built = request.build().expect("the request builds");
    (built.method, built.url.to_string())
}

#[test]
fn a_narrower_redeclaration_types_the_derived_field() {
    let payload = json!({
        "ID": 7,
        "Tone": "Positive",
        "Fields": [
            {
                "@odata.type": "#Northwind.Lenient.TextField",
                "Value": "hello",
                "Sample": 3,
                "Outline": {"Label": "dot", "Radius": 1.5},
                "Outlines": [{"Radius": 2.0}],
                "Hint": "say hi"
            },
            {"@odata.type": "#Northwind.Lenient.PrimitiveField", "Value": 42}
        ]
    });
    let form: lenient::Form = serde_json::from_value(payload.clone()).unwrap();
    assert_eq!(form.tone, Some(lenient::Tone::Positive));
    let fields = form.fields.as_ref().unwrap();
    let text = fields[0].as_text_field().expect("a text field");
    // The base declares `Value` untyped, `Sample` any primitive, `Outline` a shape; the
    // derived type narrows them, and its struct has the narrower types.
    let value: Option<&String> = text.value.as_ref();
    assert_eq!(value.map(String::as_str), Some("hello"));
    let sample: Option<i32> = text.sample;
    assert_eq!(sample, Some(3));
    let outline: &lenient::Circle = text.outline.as_ref().unwrap();
    assert_eq!(outline.radius, Some(1.5));
    assert_eq!(text.outlines.as_ref().unwrap()[0].radius, Some(2.0));
    assert_eq!(text.hint.as_deref(), Some("say hi"));
    let primitive = fields[1].as_primitive_field().expect("a primitive field");
    assert_eq!(primitive.value, Some(json!(42)));
    assert_eq!(serde_json::to_value(&form).unwrap(), payload);
}

#[test]
fn a_key_path_is_typed_by_its_target_and_named_by_its_alias() {
    use fixture_key_paths_client::ServiceClient;
    let c = ServiceClient::new(StaticTokenCredential::new("t0k3n")).unwrap();
    let base = "https://store.fabrikam.test/odata";
    // One part (`Info/ID` as `InfoID`, an `Edm.Int32`): named by its alias, as OData 4.0
    // writes a key path.
    let (m, url) = sent(c.products().by_id(42).get());
    assert_eq!(
        (m, url),
        (Method::GET, format!("{base}/Products(InfoID=42)"))
    );
    // Two parts, one a two-level path: each named, the path by its alias.
    let (m, url) = sent(c.shipments().by_key(9, "EU").get());
    assert_eq!(
        (m, url),
        (
            Method::GET,
            format!("{base}/Shipments(Number=9,Region='EU')")
        )
    );
}

#[test]
fn versioned_namespaces_keep_their_own_builders_and_modules() {
    use fixture_versioned_namespaces_client::models::{rack_v1_11_0, rack_v1_1_10, rack_v1_1_1_0};
    use fixture_versioned_namespaces_client::{
        ChassisRequestBuilder, RackV1_11_0ChassisRequestBuilder, RackV1_1_1_0ChassisRequestBuilder,
        ServiceClient,
    };
    // Both clients share the runtime, so its types are the same.
    let c = ServiceClient::new(StaticTokenCredential::new("t0k3n")).unwrap();
    let old: ChassisRequestBuilder = c.old_chassis().by_id("a");
    let new: RackV1_11_0ChassisRequestBuilder = c.new_chassis().by_id("b");
    let other: RackV1_1_1_0ChassisRequestBuilder = c.other_chassis().by_id("c");
    let base = "https://racks.example.test/odata";
    let (_, url) = sent(old.fans().by_id("f").get());
    assert_eq!(url, format!("{base}/OldChassis('a')/Fans('f')"));
    let _: Request<rack_v1_11_0::Fan> = new.fans().by_id("g").get();
    let _: Request<rack_v1_1_1_0::Chassis> = other.get();
    // Same names in three namespaces, three types.
    let fan: rack_v1_11_0::Fan = serde_json::from_value(json!({"Id": "g", "Power": "On"})).unwrap();
    assert_eq!(fan.power, Some(rack_v1_1_10::PowerState::On));
    let chassis: Value = serde_json::to_value(rack_v1_11_0::Chassis {
        power: Some(rack_v1_11_0::PowerState::PoweringOn),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(chassis, json!({"Power": "PoweringOn"}));
}

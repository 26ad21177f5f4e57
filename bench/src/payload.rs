//! A large, realistic `synchronizationSchema` payload, built deterministically.
//!
//! Shaped like what `GET .../synchronization/jobs/{id}/schema` returns for a provisioning
//! app: synchronization rules with many object mappings, each with many attribute mappings
//! whose sources nest functions (`Join`, `Switch`, `IIF`, ...) two and three levels deep,
//! scoping filters, metadata entries, and directory definitions with attribute definitions.
//! Every object also carries properties the metadata does not declare and instance
//! annotations (`@odata.type`, `name@odata.type`, nested unknown objects and arrays, an
//! unknown enum member), which a typed decode must keep to write them back.
//!
//! Declared properties are never `null` here: an explicit `null` of a declared property is
//! the one thing a typed round trip does not keep (it becomes "unset").

use serde_json::{json, Map, Value};

/// Knobs for [`synchronization_schema`].
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    /// Synchronization rules.
    pub rules: usize,
    /// Object mappings per rule.
    pub object_mappings: usize,
    /// Attribute mappings per object mapping.
    pub attribute_mappings: usize,
    /// Directory definitions.
    pub directories: usize,
    /// Object definitions per directory.
    pub objects: usize,
    /// Attribute definitions per object definition.
    pub attributes: usize,
}

impl Shape {
    /// The benchmark's payload: about 1.5 MB of compact JSON.
    pub const LARGE: Shape = Shape {
        rules: 5,
        object_mappings: 8,
        attribute_mappings: 30,
        directories: 2,
        objects: 8,
        attributes: 40,
    };
}

/// Tiny deterministic generator (xorshift), so the payload is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const ATTRS: &[&str] = &[
    "mail",
    "userPrincipalName",
    "displayName",
    "givenName",
    "surname",
    "jobTitle",
    "department",
    "employeeId",
    "mobile",
    "telephoneNumber",
    "streetAddress",
    "city",
    "state",
    "postalCode",
    "country",
    "preferredLanguage",
    "extensionAttribute1",
    "manager",
    "objectId",
    "accountEnabled",
];

/// Unknown properties and annotations added to an object; `i` varies them.
fn extras(rng: &mut Rng, map: &mut Map<String, Value>, odata_type: &str, i: usize) {
    map.insert(
        "@odata.type".into(),
        json!(format!("#microsoft.graph.{odata_type}")),
    );
    match i % 4 {
        0 => {
            map.insert(
                "futureSetting".into(),
                json!({"mode": "strict", "retries": rng.below(10), "weights": [0.5, 1.25, -3.0], "enabled": true}),
            );
        }
        1 => {
            map.insert("name@odata.type".into(), json!("#String"));
            map.insert("legacyFlags".into(), json!([1, 2, 3, rng.below(1000)]));
        }
        2 => {
            map.insert(
                "extensionData".into(),
                json!({"tags": ["hr", "sync", format!("t{}", rng.below(100))], "owner": null, "nested": {"depth": 2, "values": [{"k": "a"}, {"k": "b"}]}}),
            );
        }
        _ => {
            map.insert(
                "vendor.annotation".into(),
                json!(format!("v{}", rng.below(100_000))),
            );
        }
    }
}

fn with_extras(rng: &mut Rng, mut value: Value, odata_type: &str, i: usize) -> Value {
    if let Value::Object(map) = &mut value {
        extras(rng, map, odata_type, i);
    }
    value
}

fn attribute_source(rng: &mut Rng, depth: usize, i: usize) -> Value {
    let attr = rng.pick(ATTRS);
    let v = if depth == 0 || i % 3 == 0 {
        json!({"type": "Attribute", "name": attr, "expression": format!("[{attr}]"), "parameters": []})
    } else if i % 3 == 1 {
        let sep = rng.pick(&[",", ";", " ", "@contoso.com"]);
        json!({
            "type": "Function",
            "name": "Join",
            "expression": format!("Join(\"{sep}\", [{attr}], [surname])"),
            "parameters": [
                {"key": "separator", "value": {"type": "Constant", "name": sep, "expression": format!("\"{sep}\""), "parameters": []}},
                {"key": "source1", "value": attribute_source(rng, depth - 1, i + 1)},
                {"key": "source2", "value": attribute_source(rng, depth - 1, i + 2)},
            ]
        })
    } else {
        json!({
            "type": rng.pick(&["Function", "Function", "FutureSourceType"]),
            "name": "Switch",
            "expression": format!("Switch([{attr}], \"Default\", \"1\", \"One\", \"2\", \"Two\")"),
            "parameters": [
                {"key": "source", "value": attribute_source(rng, depth - 1, i + 1)},
                {"key": "defaultValue", "value": {"type": "Constant", "name": "Default", "expression": "\"Default\"", "parameters": []}},
                {"key": "key1", "value": {"type": "Constant", "name": "1", "expression": "\"1\"", "parameters": []}},
                {"key": "value1", "value": {"type": "Constant", "name": "One", "expression": "\"One\"", "parameters": []}},
            ]
        })
    };
    if i % 5 == 0 {
        with_extras(rng, v, "attributeMappingSource", i)
    } else {
        v
    }
}

fn attribute_mapping(rng: &mut Rng, i: usize) -> Value {
    let target = format!("{}{}", rng.pick(ATTRS), i);
    let v = json!({
        "defaultValue": if i % 4 == 0 { "n/a" } else { "" },
        "exportMissingReferences": i % 7 == 0,
        "flowBehavior": rng.pick(&["FlowWhenChanged", "FlowAlways"]),
        "flowType": rng.pick(&["Always", "ObjectAddOnly", "MultiValueAddOnly", "ValueAddOnly", "AttributeAddOnly", "FlowSometimes"]),
        "matchingPriority": if i == 0 { 1 } else { 0 },
        "targetAttributeName": target,
        "source": attribute_source(rng, 2 + i % 2, i),
    });
    with_extras(rng, v, "attributeMapping", i)
}

fn filter(rng: &mut Rng, i: usize) -> Value {
    let group = |rng: &mut Rng, g: usize| {
        json!({
            "name": format!("group{g}"),
            "clauses": (0..3).map(|c| json!({
                "operatorName": rng.pick(&["EQUALS", "NOT EQUALS", "REGEX MATCH", "IS TRUE", "Greater_Than"]),
                "sourceOperandName": rng.pick(ATTRS),
                "targetOperand": {"values": [format!("value{c}"), "contoso", "fabrikam"]},
            })).collect::<Vec<_>>(),
        })
    };
    json!({
        "categoryFilterGroups": [],
        "groups": (0..1 + i % 2).map(|g| group(rng, g)).collect::<Vec<_>>(),
        "inputFilterGroups": [group(rng, 9)],
    })
}

fn object_mapping(rng: &mut Rng, shape: &Shape, i: usize) -> Value {
    let source = rng.pick(&["User", "Group", "Contact", "Device"]);
    let v = json!({
        "enabled": i % 5 != 4,
        "flowTypes": rng.pick(&["Add, Update, Delete", "Add, Update", "Update"]),
        "name": format!("Provision Active Directory {source}s ({i})"),
        "sourceObjectName": source,
        "targetObjectName": format!("urn:ietf:params:scim:schemas:core:2.0:{source}"),
        "metadata": [
            {"key": "Disposition", "value": "Normal"},
            {"key": "EscrowBehavior", "value": "Default"},
            {"key": "SomeNewMetadataKey", "value": format!("{}", rng.below(100))},
        ],
        "scope": filter(rng, i),
        "attributeMappings": (0..shape.attribute_mappings).map(|a| attribute_mapping(rng, a)).collect::<Vec<_>>(),
    });
    with_extras(rng, v, "objectMapping", i)
}

fn rule(rng: &mut Rng, shape: &Shape, i: usize) -> Value {
    let v = json!({
        "id": format!("{:016x}.{i}", rng.next()),
        "name": format!("USER_OUTBOUND_{i}"),
        "editable": true,
        "priority": i,
        "sourceDirectoryName": "Azure Active Directory",
        "targetDirectoryName": format!("customappsso{i}"),
        "metadata": [
            {"key": "defaultSourceObjectMappings", "value": "true"},
            {"key": "AzureActiveDirectory.AttributeMappingVersion", "value": "2"},
        ],
        "containerFilter": {"includedContainers": ["OU=Sales,DC=contoso,DC=com", "OU=HR,DC=contoso,DC=com"]},
        "groupFilter": {"includedGroups": [format!("{:08x}-0000-0000-0000-000000000000", rng.next() as u32)]},
        "objectMappings": (0..shape.object_mappings).map(|m| object_mapping(rng, shape, m)).collect::<Vec<_>>(),
    });
    with_extras(rng, v, "synchronizationRule", i)
}

fn attribute_definition(rng: &mut Rng, i: usize) -> Value {
    let v = json!({
        "anchor": i == 0,
        "caseExact": i % 3 == 0,
        "defaultValue": "",
        "flowNullValues": false,
        "multivalued": i % 6 == 0,
        "mutability": rng.pick(&["ReadWrite", "ReadOnly", "Immutable", "WriteOnly"]),
        "name": format!("{}{}", rng.pick(ATTRS), i),
        "required": i % 8 == 0,
        "type": rng.pick(&["String", "Integer", "Reference", "Binary", "Boolean", "DateTime"]),
        "apiExpressions": [{"key": "Get", "value": format!("$.{}", rng.pick(ATTRS))}],
        "metadata": [{"key": "MaximumLength", "value": "256"}, {"key": "IsCustomerDefined", "value": "false"}],
        "referencedObjects": if i % 6 == 5 { json!([{"referencedObjectName": "User", "referencedProperty": "objectId"}]) } else { json!([]) },
    });
    if i % 2 == 0 {
        with_extras(rng, v, "attributeDefinition", i)
    } else {
        v
    }
}

fn object_definition(rng: &mut Rng, shape: &Shape, o: usize) -> Value {
    let v = json!({
        "name": format!("object{o}"),
        "supportedApis": ["SCIM", "Graph"],
        "metadata": [{"key": "BaseObjectName", "value": "User"}, {"key": "Extensions", "value": "[]"}],
        "attributes": (0..shape.attributes).map(|a| attribute_definition(rng, a)).collect::<Vec<_>>(),
    });
    with_extras(rng, v, "objectDefinition", o)
}

fn directory(rng: &mut Rng, shape: &Shape, i: usize) -> Value {
    let v = json!({
        "id": format!("{:016x}", rng.next()),
        "name": format!("directory{i}"),
        "discoverabilities": "AttributeNames, AttributeDataTypes",
        "discoveryDateTime": "2024-03-01T12:00:00Z",
        "readOnly": i == 0,
        "version": format!("Date:2024-03-0{}", 1 + i % 9),
        "objects": (0..shape.objects).map(|o| object_definition(rng, shape, o)).collect::<Vec<_>>(),
    });
    with_extras(rng, v, "directoryDefinition", i)
}

/// A `synchronizationSchema` JSON value of the given shape.
pub fn synchronization_schema(shape: &Shape) -> Value {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let v = json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals('00000000-0000-0000-0000-000000000001')/synchronization/jobs('customappsso.0001')/schema/$entity",
        "id": "customappsso.0001",
        "version": "Date:2024-03-01 12:00:00Z;Version=42",
        "synchronizationRules": (0..shape.rules).map(|r| rule(&mut rng, shape, r)).collect::<Vec<_>>(),
        "directories": (0..shape.directories).map(|d| directory(&mut rng, shape, d)).collect::<Vec<_>>(),
    });
    with_extras(&mut rng, v, "synchronizationSchema", 2)
}

/// The benchmark payload as compact JSON bytes.
pub fn large_payload() -> Vec<u8> {
    serde_json::to_vec(&synchronization_schema(&Shape::LARGE)).expect("a Value always serializes")
}

/// Counts of the interesting parts of a payload, for the report.
pub fn describe(v: &Value) -> String {
    fn walk(v: &Value, key: &str, counts: &mut [usize; 4]) {
        match v {
            Value::Object(m) => {
                counts[0] += 1;
                for (k, v) in m {
                    if k.contains('@')
                        || k.starts_with("future")
                        || k.starts_with("legacy")
                        || k.starts_with("extension")
                        || k.starts_with("vendor")
                    {
                        counts[3] += 1;
                    }
                    walk(v, k, counts);
                }
            }
            Value::Array(a) => {
                for item in a {
                    if key == "objectMappings" {
                        counts[1] += 1;
                    }
                    if key == "attributeMappings" {
                        counts[2] += 1;
                    }
                    walk(item, "", counts);
                }
            }
            _ => {}
        }
    }
    let mut counts = [0usize; 4];
    walk(v, "", &mut counts);
    format!(
        "{} JSON objects, {} object mappings, {} attribute mappings, {} unknown properties/annotations",
        counts[0], counts[1], counts[2], counts[3]
    )
}

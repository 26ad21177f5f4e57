//! `annotations`: descriptions, deprecations (type, property, enum), Core.Computed, targets in
//! another schema, an unknown term and dangling targets (warnings only). The models behave
//! normally; the vocabulary shows up as docs and `#[deprecated]` in the generated source.

use crate::common::{assert_round_trip, json, write};
use fixture_annotations as fx;
use fx::relecloud_notes as notes;

const CATALOG_ENTITIES: &str =
    include_str!("../../generated/annotations/src/relecloud_catalog/entity_types.rs");
const CATALOG_COMPLEX: &str =
    include_str!("../../generated/annotations/src/relecloud_catalog/complex_types.rs");
const CATALOG_ENUMS: &str =
    include_str!("../../generated/annotations/src/relecloud_catalog/enum_types.rs");

/// The generated lines just above `item`: its docs and attributes.
fn preamble(source: &str, item: &str) -> String {
    let at = source
        .find(item)
        .unwrap_or_else(|| panic!("`{item}` not in generated source"));
    let line_start = source[..at].rfind('\n').map_or(0, |i| i + 1);
    let mut lines: Vec<&str> = source[..line_start]
        .lines()
        .rev()
        .take_while(|line| {
            let t = line.trim();
            t.starts_with("///")
                || t.starts_with("#[")
                || !(t.is_empty() || t.ends_with([',', '{', '}', ';']))
        })
        .collect();
    lines.reverse();
    lines.join("\n")
}

#[test]
#[allow(deprecated)]
fn deprecated_and_computed_items_still_read_and_write() {
    let text = r#"{
      "sku": "RC-1001",
      "title": "Travel mug",
      "price": { "amount": 19.99, "currency": "EUR" },
      "legacyCode": "MUG-OLD-7",
      "createdAt": "2024-02-29T12:00:00Z",
      "stock": "soldOut"
    }"#;
    let p: fx::Product = assert_round_trip(text);
    assert_eq!(p.legacy_code.as_deref(), Some("MUG-OLD-7"));
    assert_eq!(p.stock, Some(fx::StockLevel::SoldOut));
    assert_eq!(
        p.price
            .as_ref()
            .and_then(|m| m.amount.as_ref())
            .map(|a| a.as_str()),
        Some("19.99")
    );
    assert_eq!(
        p.created_at.map(|t| t.unix_timestamp()),
        Some(1_709_208_000)
    );

    let note: notes::Note = assert_round_trip(
        r#"{ "text": "legacy", "tier": "silver", "discount": { "percent": 15 } }"#,
    );
    assert_eq!(note.tier, Some(fx::LegacyTier::Silver));
    let discount: &fx::OldDiscount = note.discount.as_ref().expect("discount");
    assert_eq!(discount.percent, Some(15));

    let built = fx::OldDiscount {
        percent: Some(5),
        ..Default::default()
    };
    assert_eq!(write(&built), json(r#"{ "percent": 5 }"#));
}

#[test]
fn descriptions_become_docs_including_targets_from_another_schema() {
    let product = preamble(CATALOG_ENTITIES, "pub struct Product");
    assert!(
        product.contains("/// An item offered in the store."),
        "{product}"
    );
    let sku = preamble(CATALOG_ENTITIES, "pub sku:");
    assert!(sku.contains("/// Stock keeping unit of the item."), "{sku}");
    // Annotated from the relecloud.notes schema.
    let title = preamble(CATALOG_ENTITIES, "pub title:");
    assert!(
        title.contains("/// Display name shown to shoppers."),
        "{title}"
    );
    assert!(
        title.contains("/// Up to 80 characters; shown in listings and on the detail page."),
        "{title}"
    );
    let money = preamble(CATALOG_COMPLEX, "pub struct Money");
    assert!(money.contains("/// An amount in one currency."), "{money}");
    assert!(
        money.contains("/// Amounts are exact decimals, never rounded by the service."),
        "{money}"
    );
    // Markdown and HTML in descriptions are escaped, so rustdoc shows the text as written.
    let stock = preamble(CATALOG_ENTITIES, "pub stock:");
    assert!(
        stock.contains(r"e.g. \[low\] or \<b\>soldOut\</b\>"),
        "{stock}"
    );
    let sold_out = preamble(CATALOG_ENUMS, "SoldOut,");
    assert!(sold_out.contains("/// No units left."), "{sold_out}");
    let computed = preamble(CATALOG_ENTITIES, "pub created_at:");
    assert!(computed.contains("computed by the service"), "{computed}");
    // The unknown term and the dangling targets leave no trace.
    for source in [CATALOG_ENTITIES, CATALOG_COMPLEX, CATALOG_ENUMS] {
        assert!(!source.contains("Nothing here"));
        assert!(!source.contains("Searchable"));
    }
}

#[test]
fn revisions_become_deprecated_attributes() {
    let property = preamble(CATALOG_ENTITIES, "pub legacy_code:");
    assert!(property.contains("#[deprecated("), "{property}");
    assert!(property.contains("2025-03-01"), "{property}");
    assert!(property.contains("2026-03-01"), "{property}");
    assert!(property.contains("2025-03/LegacyCode"), "{property}");
    assert!(property.contains("Use sku instead."), "{property}");

    let ty = preamble(CATALOG_COMPLEX, "pub struct OldDiscount");
    assert!(ty.contains("#[deprecated("), "{ty}");
    assert!(ty.contains("planned removal on 2026-04-01"), "{ty}");
    assert!(ty.contains("Discounts moved to promotions."), "{ty}");

    let enumeration = preamble(CATALOG_ENUMS, "pub enum LegacyTier");
    assert!(enumeration.contains("#[deprecated("), "{enumeration}");
    assert!(enumeration.contains("2025-05/Tiers"), "{enumeration}");

    // Undeprecated neighbours carry no attribute.
    assert!(!preamble(CATALOG_ENTITIES, "pub title:").contains("deprecated"));
    assert!(!preamble(CATALOG_ENUMS, "pub enum StockLevel").contains("deprecated"));
}

//! URL conventions where OData leaves the service a choice.
//!
//! - One entity by its single key: in parentheses as a typed literal (`/orders(42)`,
//!   OData's standard form, the only one many services accept), or as a path segment
//!   (`/orders/42`) where the container declares `Capabilities.KeyAsSegmentSupported` or
//!   the metadata is Microsoft Graph's.
//! - A bound operation: by its namespace-qualified name, which every service must accept,
//!   except for Graph, whose documented URLs use the plain name.
//! - Unlinking an entity (`$ref`): `.../nav/$ref?$id=<url>`, or `.../nav/{id}/$ref` where
//!   keys are segments.
//!
//! The HTTP behaviour of both is tested in `tests/tests/other_services.rs` and
//! `tests/tests/client_shapes.rs`.

use csdl_codegen::{ClientInfo, Generator};

mod support;
use support::file;

/// A one-entity-set service in namespace `namespace`, with `container_annotation` inside
/// an `Annotations` block targeting its container.
fn document(namespace: &str, container_annotation: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="{namespace}" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="order">
        <Key><PropertyRef Name="orderId"/></Key>
        <Property Name="orderId" Type="Edm.Int32" Nullable="false"/>
        <NavigationProperty Name="lines" Type="Collection({namespace}.line)" ContainsTarget="true"/>
        <NavigationProperty Name="related" Type="Collection({namespace}.order)"/>
      </EntityType>
      <EntityType Name="line">
        <Key><PropertyRef Name="lineId"/></Key>
        <Property Name="lineId" Type="Edm.Guid" Nullable="false"/>
      </EntityType>
      <Action Name="cancel" IsBound="true">
        <Parameter Name="bindingParameter" Type="{namespace}.order"/>
      </Action>
      <EntityContainer Name="Shop">
        <EntitySet Name="orders" EntityType="{namespace}.order"/>
      </EntityContainer>
      <Annotations Target="{namespace}.Shop">{container_annotation}</Annotations>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#
    )
}

/// The client's `src/builders.rs` and the `inspect` report for `document`.
fn generate(document: &str) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("shop.csdl.xml");
    std::fs::write(&input, document).unwrap();
    let generator = Generator::new(&input)
        .all(true)
        .client(ClientInfo::new("https://shop.example/odata"));
    let output = generator.generate().unwrap();
    let builders = file(&output.client, "src/builders.rs").to_string();
    let report = generator.inspect().unwrap().report.to_string();
    (builders, report)
}

#[test]
fn keys_are_typed_literals_in_parentheses_by_default() {
    let (builders, report) = generate(&document("Contoso.Shop", ""));
    assert!(builders.contains("pub fn by_id(&self, order_id: i32) -> OrderRequestBuilder"));
    assert!(builders.contains("pub fn by_id(&self, line_id: edm::Guid) -> LineRequestBuilder"));
    assert!(builders.contains(".key_value("), "{builders}");
    assert!(!builders.contains(".key(id.as_ref())"), "{builders}");
    assert!(
        builders.contains("/// URL: `/orders({id})/lines({id})`"),
        "{builders}"
    );
    assert!(report.contains("/orders({id})/lines({id})"), "{report}");
    // Bound operations by qualified name; the method keeps the plain one.
    assert!(builders.contains("pub fn cancel(&self)"), "{builders}");
    assert!(
        builders.contains(".action(\"Contoso.Shop.cancel\")"),
        "{builders}"
    );
    assert!(
        report.contains("/orders({id})/Contoso.Shop.cancel"),
        "{report}"
    );
    // Links of a navigation that does not contain its targets; none for contained `lines`.
    assert!(builders.contains("pub fn related_ref(&self) -> ReferenceCollectionRequestBuilder"));
    assert!(!builders.contains("pub fn lines_ref"), "{builders}");
    assert!(builders.contains("pub fn remove(&self, url: &str) -> Request<()>"));
    assert!(
        report.contains("/orders({id})/related/$ref?$id={url}"),
        "{report}"
    );
}

#[test]
fn a_container_that_takes_keys_as_segments_gets_segments() {
    for annotation in [
        r#"<Annotation Term="Org.OData.Capabilities.V1.KeyAsSegmentSupported"/>"#,
        r#"<Annotation Term="Org.OData.Capabilities.V1.KeyAsSegmentSupported" Bool="true"/>"#,
    ] {
        let (builders, report) = generate(&document("Contoso.Shop", annotation));
        assert!(
            builders.contains("pub fn by_id(&self, id: impl AsRef<str>) -> OrderRequestBuilder"),
            "{annotation}: {builders}"
        );
        assert!(builders.contains("/// URL: `/orders/{id}/lines/{id}`"));
        assert!(report.contains("/orders/{id}/lines/{id}"), "{report}");
        // Unlinking names the entity by its key segment, as Graph does.
        assert!(builders.contains("pub fn remove(&self, id: impl AsRef<str>) -> Request<()>"));
        assert!(
            report.contains("/orders/{id}/related/{id}/$ref"),
            "{report}"
        );
    }
}

#[test]
fn graph_takes_keys_as_segments_and_plain_operation_names() {
    let (builders, _) = generate(&document("microsoft.graph", ""));
    assert!(builders.contains("pub fn by_id(&self, id: impl AsRef<str>) -> OrderRequestBuilder"));
    assert!(builders.contains(".action(\"cancel\")"), "{builders}");

    let (builders, _) = generate(&document(
        "microsoft.graph",
        r#"<Annotation Term="Org.OData.Capabilities.V1.KeyAsSegmentSupported" Bool="false"/>"#,
    ));
    assert!(builders.contains("pub fn by_id(&self, order_id: i32) -> OrderRequestBuilder"));
}

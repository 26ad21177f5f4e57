//! The client emitter beyond synchronization: a second Graph area (`identityProtection`, a
//! singleton root with collection-bound actions) and a small non-Graph OData service
//! (composite keys, a singleton, navigation bindings, unbound action and function imports,
//! bound functions returning primitives), each called over HTTP against a local server.

mod http_support;
use http_support::local_client;

use fixture_service_client::models::northwind_trading as nw;
use fixture_service_client::ServiceClient;
use graph_identity_protection_client::models::microsoft_graph as graph;
use graph_identity_protection_client::GraphClient;
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn expect(server: &MockServer, verb: &str, p: &str, response: ResponseTemplate) {
    Mock::given(method(verb))
        .and(path(p))
        .and(header("authorization", "Bearer t0k3n"))
        .respond_with(response)
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn identity_protection_area() {
    let server = MockServer::start().await;
    let graph = GraphClient::from_client(local_client(&format!("{}/v1.0", server.uri())));
    let risky = graph.identity_protection().risky_users();

    Mock::given(method("GET"))
        .and(path("/v1.0/identityProtection/riskyUsers"))
        .and(query_param("$top", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [
                {"id": "u1", "riskLevel": "high", "riskState": "atRisk", "userPrincipalName": "a@contoso.test"},
                {"id": "u2", "riskLevel": "someNewLevel"}
            ]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let page = risky.list().top(2).await.unwrap();
    assert_eq!(page.value.len(), 2);
    let first = page.value[0].as_risky_user().expect("a plain riskyUser");
    assert_eq!(first.risk_level, Some(graph::RiskLevel::High));
    assert_eq!(first.user_principal_name.as_deref(), Some("a@contoso.test"));
    let second = page.value[1].as_risky_user().unwrap();
    assert_eq!(
        second.risk_level,
        Some(graph::RiskLevel::UnknownValue("someNewLevel".into()))
    );

    // A collection-bound action with its parameter in the body.
    Mock::given(method("POST"))
        .and(path(
            "/v1.0/identityProtection/riskyUsers/confirmCompromised",
        ))
        .and(body_json(json!({"userIds": ["u1", "u2"]})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    risky
        .confirm_compromised(&["u1".to_string(), "u2".to_string()])
        .await
        .unwrap();

    // Navigation into a contained collection whose items are a derived type.
    expect(
        &server,
        "GET",
        "/v1.0/identityProtection/riskyUsers/u1/history",
        ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"@odata.type": "#microsoft.graph.riskyUserHistoryItem", "id": "h1", "userId": "u1"}]
        })),
    )
    .await;
    let history = risky.by_id("u1").history().list().await.unwrap();
    assert_eq!(history.value[0].user_id.as_deref(), Some("u1"));
    server.verify().await;
}

#[tokio::test]
async fn non_graph_service() {
    let server = MockServer::start().await;
    let svc = ServiceClient::from_client(local_client(&format!("{}/odata", server.uri())));

    // Composite key with typed literals.
    expect(
        &server,
        "GET",
        "/odata/OrderLines(OrderID=7,LineNumber=2)",
        ResponseTemplate::new(200).set_body_json(
            json!({"OrderID": 7, "LineNumber": 2, "Product": "Chai", "Quantity": 12}),
        ),
    )
    .await;
    let line = svc.order_lines().by_key(7, 2).get().await.unwrap();
    assert_eq!(
        (line.product.as_deref(), line.quantity),
        (Some("Chai"), Some(12))
    );

    // Singleton.
    expect(
        &server,
        "GET",
        "/odata/Company",
        ResponseTemplate::new(200)
            .set_body_json(json!({"Name": "Northwind", "Founded": "1990-05-01"})),
    )
    .await;
    let company = svc.company().get().await.unwrap();
    assert_eq!(
        company.founded.map(|d| d.to_string()).as_deref(),
        Some("1990-05-01")
    );

    // Navigation along a binding (not contained), by a single integer key, which this
    // service (like most outside Graph) takes in parentheses.
    expect(
        &server,
        "GET",
        "/odata/Orders(7)/Customer",
        ResponseTemplate::new(200).set_body_json(json!({"CustomerID": "ALFKI"})),
    )
    .await;
    let customer = svc.orders().by_id(7).customer().get().await.unwrap();
    assert_eq!(customer.customer_id.as_deref(), Some("ALFKI"));

    // Bound action with a parameter and an entity result, called by its qualified name.
    Mock::given(method("POST"))
        .and(path("/odata/Orders(7)/Northwind.Trading.Ship"))
        .and(body_json(json!({"TrackingCode": "1Z999"})))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"OrderID": 7, "Freight": 32.38})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let shipped: nw::Order = svc.orders().by_id(7).ship("1Z999").await.unwrap();
    assert_eq!(shipped.freight.as_ref().map(|d| d.as_str()), Some("32.38"));

    // Bound function returning a primitive (`{"value": ...}`), key with a quote (doubled
    // inside the string literal).
    expect(
        &server,
        "GET",
        "/odata/Customers('O%27%27NEIL')/Northwind.Trading.TotalSpent()",
        ResponseTemplate::new(200).set_body_json(json!({"@odata.context": "x", "value": 1234.5})),
    )
    .await;
    let spent = svc.customers().by_id("O'NEIL").total_spent().await.unwrap();
    assert_eq!(spent.as_str(), "1234.5");

    // Unbound action and function imports are methods of the client.
    expect(
        &server,
        "POST",
        "/odata/ResetData",
        ResponseTemplate::new(204),
    )
    .await;
    svc.reset_data().await.unwrap();
    expect(
        &server,
        "GET",
        "/odata/TopCustomers(count=3)",
        ResponseTemplate::new(200)
            .set_body_json(json!({"value": [{"CustomerID": "A"}, {"CustomerID": "B"}]})),
    )
    .await;
    let top = svc.top_customers(3).await.unwrap();
    assert_eq!(top.value.len(), 2);

    // A string key stays inside its literal and its segment.
    let built = svc
        .customers()
        .by_id("a/b")
        .orders()
        .list()
        .build()
        .unwrap();
    assert_eq!(built.url.path(), "/odata/Customers('a%2Fb')/Orders");
    server.verify().await;
}

#[tokio::test]
async fn links_between_existing_entities() {
    // `$ref` of navigations that do not contain their targets: OData's standard forms
    // (this service takes keys in parentheses, so an unlink names the entity with `$id`).
    let server = MockServer::start().await;
    let base = format!("{}/odata", server.uri());
    let svc = ServiceClient::from_client(local_client(&base));
    let orders = svc.customers().by_id("ALFKI").orders_ref();

    Mock::given(method("POST"))
        .and(path("/odata/Customers('ALFKI')/Orders/$ref"))
        .and(body_json(json!({"@odata.id": format!("{base}/Orders(7)")})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    orders.add("Orders(7)").await.unwrap();

    Mock::given(method("DELETE"))
        .and(path("/odata/Customers('ALFKI')/Orders/$ref"))
        .and(query_param("$id", format!("{base}/Orders(7)").as_str()))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    orders.remove("Orders(7)").await.unwrap();

    expect(
        &server,
        "GET",
        "/odata/Customers('ALFKI')/Orders/$ref",
        ResponseTemplate::new(200).set_body_json(json!({
            "@odata.context": "$metadata#Collection($ref)",
            "value": [{"@odata.id": "Orders(7)"}, {"@odata.id": "Orders(8)"}],
        })),
    )
    .await;
    let links = orders.list().await.unwrap();
    let ids: Vec<&str> = links.value.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["Orders(7)", "Orders(8)"]);

    // A single-valued navigation: read, set (an absolute URL is sent as given), remove.
    let customer = svc.orders().by_id(7).customer_ref();
    Mock::given(method("PUT"))
        .and(path("/odata/Orders(7)/Customer/$ref"))
        .and(body_json(
            json!({"@odata.id": "https://elsewhere.example/odata/Customers('ANATR')"}),
        ))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    customer
        .set("https://elsewhere.example/odata/Customers('ANATR')")
        .await
        .unwrap();
    expect(
        &server,
        "GET",
        "/odata/Orders(7)/Customer/$ref",
        ResponseTemplate::new(200).set_body_json(json!({"@odata.id": "Customers('ANATR')"})),
    )
    .await;
    assert_eq!(customer.get().await.unwrap().id, "Customers('ANATR')");
    expect(
        &server,
        "DELETE",
        "/odata/Orders(7)/Customer/$ref",
        ResponseTemplate::new(204),
    )
    .await;
    customer.delete().await.unwrap();
    server.verify().await;
}

//! Following `@odata.nextLink`.

mod http_support;

use futures_util::StreamExt;
use graph_odata_runtime::{Error, Method, ODataPath, Page, Request};
use http_support::{builder, client, users, TOKEN};
use serde::Deserialize;
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Debug, Deserialize, PartialEq)]
struct Item {
    id: u32,
}

async fn mount_page(server: &MockServer, skiptoken: Option<&str>, body: serde_json::Value) {
    let mock = Mock::given(method("GET")).and(path("/v1.0/users"));
    let mock = match skiptoken {
        Some(t) => mock.and(query_param("$skiptoken", t)),
        None => mock.and(query_param_is_missing("$skiptoken")),
    };
    mock.respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(server)
        .await;
}

#[tokio::test]
async fn three_pages_are_followed() {
    let server = MockServer::start().await;
    let base = format!("{}/v1.0", server.uri());
    mount_page(
        &server,
        None,
        json!({"@odata.context": "ctx", "@odata.count": 5, "value": [{"id": 1}, {"id": 2}],
               "@odata.nextLink": format!("{base}/users?$top=2&$skiptoken=p2")}),
    )
    .await;
    mount_page(
        &server,
        Some("p2"),
        json!({"value": [{"id": 3}, {"id": 4}],
               "@odata.nextLink": format!("{base}/users?$top=2&$skiptoken=p3")}),
    )
    .await;
    mount_page(
        &server,
        Some("p3"),
        json!({"value": [{"id": 5}], "@odata.deltaLink": format!("{base}/users?$deltatoken=d")}),
    )
    .await;
    let client = client(&base);

    let request = Request::<Page<Item>>::page(&client, Method::GET, users())
        .top(2)
        .count(true)
        .header("ConsistencyLevel", "eventual");
    let items: Vec<u32> = request
        .clone()
        .into_stream()
        .map(|r| r.unwrap().id)
        .collect()
        .await;
    assert_eq!(items, [1, 2, 3, 4, 5]);

    let received = server.received_requests().await.unwrap();
    let queries: Vec<_> = received
        .iter()
        .map(|r| r.url.query().unwrap_or(""))
        .collect();
    // Next links are used verbatim: no `$count=true` added to pages 2 and 3.
    assert_eq!(
        queries,
        [
            "$top=2&$count=true",
            "$top=2&$skiptoken=p2",
            "$top=2&$skiptoken=p3"
        ]
    );
    for r in &received {
        assert_eq!(
            r.headers["authorization"],
            format!("Bearer {TOKEN}").as_str()
        );
        assert_eq!(r.headers["consistencylevel"], "eventual");
    }

    let pages: Vec<Page<Item>> = request.into_pages().map(|p| p.unwrap()).collect().await;
    assert_eq!(pages.len(), 3);
    assert_eq!(pages[0].count, Some(5));
    assert_eq!(pages[0].additional["@odata.context"], "ctx");
    assert!(pages[2].next_link.is_none());
    assert_eq!(
        pages[2].delta_link,
        Some(format!("{base}/users?$deltatoken=d"))
    );
}

#[tokio::test]
async fn relative_next_links_are_resolved() {
    let server = MockServer::start().await;
    mount_page(
        &server,
        None,
        json!({"value": [{"id": 1}], "@odata.nextLink": "users?$skiptoken=p2"}),
    )
    .await;
    mount_page(&server, Some("p2"), json!({"value": [{"id": 2}]})).await;
    let client = client(&format!("{}/v1.0/", server.uri()));
    let items: Vec<Item> = Request::<Page<Item>>::page(&client, Method::GET, users())
        .into_stream()
        .map(|r| r.unwrap())
        .collect()
        .await;
    assert_eq!(items, [Item { id: 1 }, Item { id: 2 }]);
}

#[tokio::test]
async fn relative_next_links_follow_the_context_url() {
    // A nested collection whose relative link is written from the service root, as the
    // context URL `<root>/$metadata#...` says (OData JSON format; SAP sends these). The
    // context URL itself is relative to the request URL.
    let server = MockServer::start().await;
    let first = json!({
        "@odata.context": "../$metadata#Orders('1')/Items",
        "value": [{"id": 1}],
        "@odata.nextLink": "Orders('1')/Items?$skiptoken=p2",
    });
    Mock::given(method("GET"))
        .and(path("/svc/Orders('1')/Items"))
        .and(query_param_is_missing("$skiptoken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(first))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/svc/Orders('1')/Items"))
        .and(query_param("$skiptoken", "p2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [{"id": 2}]})))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&format!("{}/svc/", server.uri()));
    let items = ODataPath::root()
        .key_value("Orders", graph_odata_runtime::ODataLiteral::from("1"))
        .segment("Items");
    let items: Vec<Item> = Request::<Page<Item>>::page(&client, Method::GET, items)
        .into_stream()
        .map(|r| r.unwrap())
        .collect()
        .await;
    assert_eq!(items, [Item { id: 1 }, Item { id: 2 }]);
    server.verify().await;
}

#[tokio::test]
async fn a_context_url_cannot_send_the_next_page_elsewhere() {
    // The context only changes what a relative link is relative to; the origin rule holds.
    let server = MockServer::start().await;
    mount_page(
        &server,
        None,
        json!({
            "@odata.context": "https://elsewhere.example/v1.0/$metadata#users",
            "value": [{"id": 1}],
            "@odata.nextLink": "users?$skiptoken=p2",
        }),
    )
    .await;
    let client = client(&format!("{}/v1.0/", server.uri()));
    let results: Vec<Result<Item, Error>> =
        Request::<Page<Item>>::page(&client, Method::GET, users())
            .into_stream()
            .collect()
            .await;
    assert!(results[0].is_ok());
    let err = results[1].as_ref().unwrap_err();
    assert!(matches!(err, Error::Paging(_)), "{err:?}");
    assert!(err.to_string().contains("elsewhere.example"), "{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn next_link_loops_are_refused() {
    let server = MockServer::start().await;
    let base = format!("{}/v1.0", server.uri());
    mount_page(
        &server,
        None,
        json!({"value": [{"id": 1}], "@odata.nextLink": format!("{base}/users?$skiptoken=p2")}),
    )
    .await;
    mount_page(
        &server,
        Some("p2"),
        json!({"value": [{"id": 2}], "@odata.nextLink": format!("{base}/users?$skiptoken=p2")}),
    )
    .await;
    let client = client(&base);
    let results: Vec<Result<Item, Error>> =
        Request::<Page<Item>>::page(&client, Method::GET, users())
            .into_stream()
            .collect()
            .await;
    assert_eq!(results.len(), 3, "{results:?}");
    assert_eq!(results[0].as_ref().unwrap().id, 1);
    assert_eq!(results[1].as_ref().unwrap().id, 2);
    match &results[2] {
        Err(Error::Paging(m)) => assert!(m.contains("already visited"), "{m}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn next_links_to_other_hosts_are_refused_and_get_no_token() {
    let server = MockServer::start().await;
    let foreign = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [{"id": 99}]})))
        .mount(&foreign)
        .await;
    let base = format!("{}/v1.0", server.uri());
    mount_page(
        &server,
        None,
        json!({"value": [{"id": 1}], "@odata.nextLink": format!("{}/v1.0/users?$skiptoken=p2", foreign.uri())}),
    )
    .await;

    let client = client(&base);
    let results: Vec<Result<Item, Error>> =
        Request::<Page<Item>>::page(&client, Method::GET, users())
            .into_stream()
            .collect()
            .await;
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].as_ref().unwrap().id, 1);
    match &results[1] {
        Err(Error::Paging(m)) => assert!(m.contains("not the service's origin"), "{m}"),
        other => panic!("{other:?}"),
    }
    assert!(foreign.received_requests().await.unwrap().is_empty());

    // The client refuses such URLs on any path, not only while paging.
    let mut prepared = Request::<()>::empty(&client, Method::GET, users())
        .build()
        .unwrap();
    prepared.url = format!("{}/steal", foreign.uri()).parse().unwrap();
    assert!(matches!(
        client.execute(prepared).await,
        Err(Error::InvalidRequest(_))
    ));
    assert!(foreign.received_requests().await.unwrap().is_empty());

    // Allowed explicitly: followed.
    let allowed = builder(&base)
        .allowed_next_link_hosts([foreign.uri()])
        .build()
        .unwrap();
    let ids: Vec<u32> = Request::<Page<Item>>::page(&allowed, Method::GET, users())
        .into_stream()
        .map(|r| r.unwrap().id)
        .collect()
        .await;
    assert_eq!(ids, [1, 99]);
    assert_eq!(foreign.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn errors_end_the_stream() {
    let server = MockServer::start().await;
    let base = format!("{}/v1.0", server.uri());
    mount_page(
        &server,
        None,
        json!({"value": [{"id": 1}], "@odata.nextLink": format!("{base}/users?$skiptoken=p2")}),
    )
    .await;
    Mock::given(query_param("$skiptoken", "p2"))
        .respond_with(ResponseTemplate::new(403).set_body_string("nope"))
        .mount(&server)
        .await;
    let client = client(&base);
    let results: Vec<Result<Item, Error>> =
        Request::<Page<Item>>::page(&client, Method::GET, users())
            .into_stream()
            .collect()
            .await;
    assert_eq!(results.len(), 2);
    assert_eq!(
        results[1].as_ref().unwrap_err().status(),
        Some(http::StatusCode::FORBIDDEN)
    );
}

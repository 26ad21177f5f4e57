//! Paths, keys, query options, headers and `build()`: checked on the exact request line a
//! raw server receives.

mod http_support;

use std::collections::HashMap;

use graph_odata_runtime::{Error, Method, ODataLiteral, ODataPath, Request};
use http_support::{builder, client, users, RawServer, TOKEN};
use serde_json::Value;

#[tokio::test]
async fn keys_with_reserved_characters_keep_the_path_shape() {
    let server = RawServer::json(r#"{"id":"x"}"#).await;
    let client = client(&server.base());
    for id in ["a/b?c#d%e f'g..h", "ü", "..", ".", "", "a\r\nHost: evil"] {
        let _: Value = Request::json(&client, Method::GET, users().key(id).segment("manager"))
            .await
            .unwrap();
    }
    assert_eq!(
        server.targets(),
        [
            "/v1.0/users/a%2Fb%3Fc%23d%25e%20f%27g..h/manager",
            "/v1.0/users/%C3%BC/manager",
            "/v1.0/users('..')/manager",
            "/v1.0/users('.')/manager",
            "/v1.0/users('')/manager",
            "/v1.0/users/a%0D%0AHost%3A%20evil/manager",
        ]
    );
}

#[tokio::test]
async fn alternate_keys_and_functions() {
    let server = RawServer::json(r#"{"value":"ok"}"#).await;
    let client = client(&server.base());
    let _: Value = Request::json(
        &client,
        Method::GET,
        ODataPath::root().alternate_key("applications", &[("appId", "O'Neil/#1")]),
    )
    .await
    .unwrap();
    let s: String = Request::value(
        &client,
        Method::GET,
        ODataPath::root().segment("reports").operation(
            "microsoft.graph.getTeamsUserActivityUserDetail",
            &[
                ("period", ODataLiteral::from("D7")),
                ("date", ODataLiteral::Raw("2024-01-31".into())),
            ],
        ),
    )
    .await
    .unwrap();
    assert_eq!(s, "ok");
    let _: Value = Request::json(
        &client,
        Method::GET,
        ODataPath::root()
            .segment("me")
            .operation("microsoft.graph.delta", &[]),
    )
    .await
    .unwrap();
    assert_eq!(
        server.targets(),
        [
            "/v1.0/applications(appId='O%27%27Neil%2F%231')",
            "/v1.0/reports/microsoft.graph.getTeamsUserActivityUserDetail(period='D7',date=2024-01-31)",
            "/v1.0/me/microsoft.graph.delta()",
        ]
    );
}

#[tokio::test]
async fn query_options_are_encoded() {
    let server = RawServer::json(r#"{"value":[]}"#).await;
    let client = client(&server.base());
    let filter = "displayName eq 'A&B=C' or startswith(mail,'x#y+z')";
    let page = Request::<graph_odata_runtime::Page<Value>>::page(&client, Method::GET, users())
        .select(["id", "displayName"])
        .expand(["manager($select=id)"])
        .filter(filter)
        .orderby(["displayName desc", "id"])
        .top(5)
        .top(7) // last value wins
        .skip(1)
        .count(true)
        .search("\"displayName:al ice\"")
        .query("custom opt", "a;b")
        .await
        .unwrap();
    assert!(page.value.is_empty());

    let target = &server.targets()[0];
    assert_eq!(
        target,
        "/v1.0/users?$select=id,displayName&$expand=manager($select%3Did)\
         &$filter=displayName%20eq%20%27A%26B%3DC%27%20or%20startswith(mail,%27x%23y%2Bz%27)\
         &$orderby=displayName%20desc,id&$top=7&$skip=1&$count=true\
         &$search=%22displayName:al%20ice%22&custom%20opt=a%3Bb"
    );
    // And a standard query parser gets the original values back.
    let url = url::Url::parse(&format!("http://h{target}")).unwrap();
    let q: HashMap<String, String> = url.query_pairs().into_owned().collect();
    assert_eq!(q["$filter"], filter);
    assert_eq!(q["$select"], "id,displayName");
    assert_eq!(q["$top"], "7");
    assert_eq!(q["custom opt"], "a;b");
}

#[tokio::test]
async fn standard_headers_are_sent() {
    let server = RawServer::json(r#"{"id":"1"}"#).await;
    let client = builder(&server.base())
        .user_agent("graph-rs/1.2.3")
        .header("x-default", "d")
        .build()
        .unwrap();
    let _: Value = Request::json(&client, Method::POST, users())
        .json_body(&serde_json::json!({"displayName": "A"}))
        .header("ConsistencyLevel", "eventual")
        .await
        .unwrap();
    let _: Value = Request::json(&client, Method::GET, users()).await.unwrap();
    let requests = server.requests();
    let r = &requests[0];
    assert_eq!(r.method, "POST");
    assert_eq!(
        r.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(r.header("accept"), Some("application/json"));
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.header("user-agent"), Some("graph-rs/1.2.3"));
    assert_eq!(r.header("consistencylevel"), Some("eventual"));
    assert_eq!(r.header("x-default"), Some("d"));
    assert_eq!(r.body, br#"{"displayName":"A"}"#);
    let id1 = uuid::Uuid::parse_str(r.header("client-request-id").unwrap()).unwrap();
    assert_eq!(id1.get_version_num(), 4);
    let id2 = requests[1].header("client-request-id").unwrap();
    assert_ne!(id1.to_string(), id2, "a new id per request");
    assert_eq!(requests[1].header("consistencylevel"), None);
    assert_eq!(requests[1].header("content-type"), None);
}

#[tokio::test]
async fn default_user_agent_and_scope() {
    let server = RawServer::json("{}").await;
    let client = client(&server.base());
    assert_eq!(
        client.scopes(),
        [format!("http://{}/.default", server.addr)]
    );
    assert_eq!(client.base_url().as_str(), server.base());
    let _: Value = Request::json(&client, Method::GET, ODataPath::root())
        .await
        .unwrap();
    let r = &server.requests()[0];
    assert_eq!(r.target, "/v1.0");
    assert_eq!(
        r.header("user-agent").unwrap(),
        format!("graph-odata-runtime/{}", env!("CARGO_PKG_VERSION"))
    );
}

#[tokio::test]
async fn build_is_inspectable_and_sends_nothing() {
    let server = RawServer::json("{}").await;
    let client = client(&server.base());
    let request = Request::<Value>::json(&client, Method::PATCH, users().key("42"))
        .json_body(&serde_json::json!({"a": 1}))
        .header("If-Match", "*")
        .select(["id"]);
    let prepared = request.build().unwrap();
    assert_eq!(prepared.method, Method::PATCH);
    assert_eq!(
        prepared.url.as_str(),
        format!("{}/users/42?$select=id", server.base())
    );
    assert_eq!(prepared.headers["accept"], "application/json");
    assert_eq!(prepared.headers["content-type"], "application/json");
    assert_eq!(prepared.headers["if-match"], "*");
    assert!(prepared.headers.contains_key("client-request-id"));
    assert!(!prepared.headers.contains_key("authorization"));
    assert_eq!(prepared.body.as_deref(), Some(&br#"{"a":1}"#[..]));
    assert!(!format!("{prepared:?}").contains(TOKEN));
    assert!(server.requests().is_empty(), "building sends nothing");
}

#[tokio::test]
async fn invalid_headers_and_bodies_are_errors_not_panics() {
    let server = RawServer::json("{}").await;
    let client = client(&server.base());

    let bad_value = Request::<Value>::json(&client, Method::GET, users()).header("X-A", "a\r\nb");
    assert!(matches!(bad_value.build(), Err(Error::InvalidRequest(_))));
    assert!(matches!(bad_value.await, Err(Error::InvalidRequest(_))));

    let bad_name = Request::<Value>::json(&client, Method::GET, users()).header("bad name", "x");
    assert!(matches!(bad_name.build(), Err(Error::InvalidRequest(_))));

    let bad_ct = Request::<()>::empty(&client, Method::PUT, users()).bytes_body(vec![1], "a\nb");
    assert!(matches!(bad_ct.await, Err(Error::InvalidRequest(_))));

    // Maps with non-string keys cannot be JSON.
    let mut map = HashMap::new();
    map.insert((1, 2), 3);
    let bad_body = Request::<()>::empty(&client, Method::POST, users()).json_body(&map);
    match bad_body.await {
        Err(Error::InvalidRequest(m)) => assert!(m.contains("serialize"), "{m}"),
        other => panic!("{other:?}"),
    }
    assert!(server.requests().is_empty());

    for base in ["not a url", "ftp://h/x", "http://h/v1.0?x=1", "mailto:a@b"] {
        let r = builder(base).build();
        assert!(matches!(r, Err(Error::Config(_))), "{base}");
    }
    assert!(matches!(
        builder("http://h").header("a b", "c").build(),
        Err(Error::Config(_))
    ));
    assert!(matches!(
        builder("http://h").user_agent("x\ny").build(),
        Err(Error::Config(_))
    ));
}

#[test]
fn entity_urls_are_made_absolute_under_the_service_root() {
    for base in ["https://svc.example/odata", "https://svc.example/odata/"] {
        let client = client(base);
        assert_eq!(
            client.entity_url("Orders(7)"),
            "https://svc.example/odata/Orders(7)"
        );
        assert_eq!(
            client.entity_url("/Orders(7)"),
            "https://svc.example/odata/Orders(7)"
        );
        assert_eq!(
            client.entity_url("https://other.example/v1.0/directoryObjects/1"),
            "https://other.example/v1.0/directoryObjects/1"
        );
    }
    // The body of a link carries that URL; a `DELETE .../$ref` names it with `$id`.
    let client = client("https://svc.example/odata");
    let built = Request::empty(&client, Method::POST, users().segment("$ref"))
        .reference_body("directoryObjects/1")
        .build()
        .unwrap();
    let body: Value = serde_json::from_slice(built.body.as_deref().unwrap()).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"@odata.id": "https://svc.example/odata/directoryObjects/1"})
    );
    let built = Request::empty(&client, Method::DELETE, users().segment("$ref"))
        .reference_id("users('a b')")
        .build()
        .unwrap();
    assert_eq!(
        built.url.as_str(),
        "https://svc.example/odata/users/$ref?$id=https://svc.example/odata/users(%27a%20b%27)"
    );
}

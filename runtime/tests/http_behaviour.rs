//! Retries, errors, timeouts, decoding, media, `$count`, token caching and redaction,
//! against local servers.

mod http_support;

use std::future::IntoFuture;
use std::time::Duration;

use graph_odata_runtime::{
    AccessToken, Client, Error, Media, Method, ODataPath, Request, RetryPolicy, TransportErrorKind,
};
use http_support::{
    builder, client, fast_retries, response, users, CountingCredential, InProcess, RawServer, TOKEN,
};
use serde::Deserialize;
use serde_json::Value;
use wiremock::matchers::{body_bytes, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn base(server: &MockServer) -> String {
    format!("{}/v1.0", server.uri())
}

async fn request_count(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[derive(Debug, Deserialize)]
struct User {
    #[allow(dead_code)]
    id: String,
}

#[tokio::test(start_paused = true)]
async fn status_429_is_retried_after_retry_after_even_for_post() {
    let service = InProcess::scripted(|n| {
        if n == 0 {
            b"HTTP/1.1 429 X\r\nretry-after: 1\r\ncontent-length: 0\r\n\r\n".to_vec()
        } else {
            response(201, "application/json", br#"{"id":"new"}"#)
        }
    });
    let client = service
        .builder()
        .retry_policy(fast_retries(3).max_delay(Duration::from_secs(5)))
        .build()
        .unwrap();
    let start = tokio::time::Instant::now();
    let user: User = Request::json(&client, Method::POST, users())
        .json_body(&serde_json::json!({}))
        .await
        .unwrap();
    assert_eq!(user.id, "new");
    assert_eq!(start.elapsed(), Duration::from_secs(1), "the Retry-After");
    let requests = service.requests();
    assert_eq!(requests.len(), 2);
    // One logical request: the same client-request-id on both attempts.
    assert_eq!(
        requests[0].header("client-request-id"),
        requests[1].header("client-request-id")
    );
}

#[tokio::test]
async fn status_503_is_retried_for_get_only() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"id":"1"}"#))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = client(&base(&server));

    let user: User = Request::json(&client, Method::GET, users().key("1"))
        .await
        .unwrap();
    assert_eq!(user.id, "1");
    assert_eq!(request_count(&server).await, 3);

    let err = Request::<()>::empty(&client, Method::POST, users())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(http::StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(err.attempts(), 1);
    assert_eq!(request_count(&server).await, 4, "POST was not retried");

    // Unless configured.
    let client = builder(&base(&server))
        .retry_policy(fast_retries(2).retry_non_idempotent_5xx(true))
        .build()
        .unwrap();
    let err = Request::<()>::empty(&client, Method::POST, users())
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), 2);
    assert_eq!(request_count(&server).await, 6);
}

#[tokio::test]
async fn retries_are_bounded_and_return_the_last_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(504)
                .insert_header("Retry-After", "not-a-number")
                .set_body_string("gateway timeout"),
        )
        .mount(&server)
        .await;
    let client = client(&base(&server));
    let err = Request::<Value>::json(&client, Method::GET, users())
        .await
        .unwrap_err();
    match &err {
        Error::Http(e) => {
            assert_eq!(e.status, 504);
            assert_eq!(e.attempts, 3);
            assert_eq!(e.body_excerpt, "gateway timeout");
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("after 3 attempts"), "{err}");
    assert_eq!(request_count(&server).await, 3);

    // Statuses not in the policy are not retried.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let err = Request::<Value>::json(&client_for(&server), Method::GET, users())
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_beyond_the_time_budget_is_not_waited() {
    let service = InProcess::start(|_| {
        b"HTTP/1.1 429 X\r\nretry-after: 86400\r\ncontent-length: 0\r\n\r\n".to_vec()
    });
    let client = service
        .builder()
        .retry_policy(
            RetryPolicy::default()
                .max_delay(Duration::from_secs(3600))
                .max_total_time(Duration::from_millis(500)),
        )
        .build()
        .unwrap();
    let start = tokio::time::Instant::now();
    let err = Request::<Value>::json(&client, Method::GET, users())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(http::StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(start.elapsed(), Duration::ZERO);
    assert_eq!(service.requests().len(), 1);
}

fn client_for(server: &MockServer) -> Client {
    client(&base(server))
}

#[tokio::test]
async fn odata_error_body_is_parsed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("request-id", "rid-1")
                .set_body_raw(
                    r#"{"error":{"code":"Request_ResourceNotFound","message":"Resource 'u1' does not exist or one of its queried reference-property objects are not present.","innerError":{"date":"2024-05-01T10:00:00","request-id":"rid-1","client-request-id":"cid-1"}}}"#,
                    "application/json",
                ),
        )
        .mount(&server)
        .await;
    let err = Request::<Value>::json(&client_for(&server), Method::GET, users().key("u1"))
        .await
        .unwrap_err();
    let Error::Http(http_error) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(http_error.status, 404);
    assert_eq!(http_error.headers["request-id"], "rid-1");
    let odata = err.odata_error().unwrap();
    assert_eq!(odata.code, "Request_ResourceNotFound");
    assert!(odata.message.starts_with("Resource 'u1' does not exist"));
    let inner = odata.inner_error.as_ref().unwrap();
    assert_eq!(inner.request_id.as_deref(), Some("rid-1"));
    assert_eq!(inner.client_request_id.as_deref(), Some("cid-1"));
    assert_eq!(inner.date.as_deref(), Some("2024-05-01T10:00:00"));
    let text = err.to_string();
    assert!(text.contains("404"), "{text}");
    assert!(text.contains("Request_ResourceNotFound"), "{text}");
    assert!(text.contains("rid-1"), "{text}");
}

#[tokio::test]
async fn non_json_error_body() {
    let server = MockServer::start().await;
    let html = format!(
        "<html><body>{}</body></html>",
        "Bad gateway ü ".repeat(1000)
    );
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502).set_body_raw(html.clone(), "text/html"))
        .mount(&server)
        .await;
    let err = Request::<Value>::json(&client_for(&server), Method::GET, users())
        .await
        .unwrap_err();
    let Error::Http(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.status, 502);
    assert!(e.odata.is_none());
    assert!(e.body_excerpt.starts_with("<html><body>Bad gateway"));
    assert!(e.body_excerpt.len() <= 4096 + 3);
    assert!(err.to_string().len() < 400, "Display stays short");
}

#[tokio::test]
async fn malformed_success_bodies_are_decode_errors() {
    let server = MockServer::start().await;
    Mock::given(path("/v1.0/wrong-type"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"id": 5}"#, "application/json"))
        .mount(&server)
        .await;
    Mock::given(path("/v1.0/html"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw("<!DOCTYPE html><html>login</html>", "text/html"),
        )
        .mount(&server)
        .await;
    Mock::given(path("/v1.0/truncated"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(r#"{"value":[{"id":"1"},"#, "application/json"),
        )
        .mount(&server)
        .await;
    Mock::given(path("/v1.0/empty"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(path("/v1.0/flaky"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/v1.0/flaky"))
        .respond_with(ResponseTemplate::new(200).set_body_string("not json"))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let root = ODataPath::root();

    let err = Request::<User>::json(&client, Method::GET, root.segment("flaky"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    assert_eq!(err.attempts(), 2);

    let err = Request::<User>::json(&client, Method::GET, root.segment("wrong-type"))
        .await
        .unwrap_err();
    let Error::Decode(d) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(d.status, 200);
    assert!(
        d.message.contains("invalid type: integer `5`"),
        "{}",
        d.message
    );
    assert!(d.message.contains("column"), "{}", d.message);
    assert_eq!(d.body_excerpt, r#"{"id": 5}"#);

    let err = Request::<User>::json(&client, Method::GET, root.segment("html"))
        .await
        .unwrap_err();
    let Error::Decode(d) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(d.content_type.as_deref(), Some("text/html"));
    assert!(d.body_excerpt.contains("login"));

    let err = Request::<graph_odata_runtime::Page<User>>::page(
        &client,
        Method::GET,
        root.segment("truncated"),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");

    // An empty body is `null`: fine for Option, an error otherwise, `()` for empty().
    let none: Option<User> = Request::json(&client, Method::GET, root.segment("empty"))
        .await
        .unwrap();
    assert!(none.is_none());
    let err = Request::<User>::json(&client, Method::GET, root.segment("empty"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode(_)));
    Request::<()>::empty(&client, Method::DELETE, root.segment("empty"))
        .await
        .unwrap();
}

#[tokio::test(start_paused = true)]
async fn timeouts_are_reported_and_retried_for_get() {
    // A service that never answers.
    let service = InProcess::start(|_| Vec::new());
    let client = service
        .builder()
        .timeout(Duration::from_millis(150))
        .retry_policy(fast_retries(2))
        .build()
        .unwrap();
    let start = tokio::time::Instant::now();
    let err = Request::<Value>::json(&client, Method::GET, users())
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(err.attempts(), 2);
    // Two timeouts and one backoff of 2.5 to 5 ms between them.
    let took = start.elapsed();
    assert!(
        (Duration::from_millis(302)..=Duration::from_millis(305)).contains(&took),
        "{took:?}"
    );
    assert_eq!(service.requests().len(), 2);
}

#[tokio::test]
async fn connection_failures_are_transport_errors() {
    // Bind, then free the port so nothing listens there.
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let client = client(&format!("http://{addr}/v1.0"));
    let err = Request::<Value>::json(&client, Method::GET, users())
        .await
        .unwrap_err();
    match &err {
        Error::Transport { source, attempts } => {
            assert_eq!(source.kind(), TransportErrorKind::Connect);
            assert_eq!(*attempts, 3, "GET is retried");
        }
        other => panic!("{other:?}"),
    }
    let err = Request::<Value>::json(&client, Method::POST, users())
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), 1, "POST is not retried");
}

#[tokio::test]
async fn response_size_is_capped() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("x".repeat(1000)))
        .mount(&server)
        .await;
    let client = builder(&base(&server))
        .max_response_size(100)
        .build()
        .unwrap();
    let err = Request::<Media>::media(&client, Method::GET, users())
        .await
        .unwrap_err();
    match err {
        Error::Transport { source, attempts } => {
            assert_eq!(source.kind(), TransportErrorKind::BodyTooLarge);
            assert_eq!(attempts, 1);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn dollar_count_is_parsed_from_text() {
    let server = MockServer::start().await;
    // ConsistencyLevel is Graph's alone (http_options.rs tests that rule).
    Mock::given(path("/v1.0/users/$count"))
        .and(header("accept", "text/plain"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("\u{feff} 42\r\n", "text/plain"))
        .mount(&server)
        .await;
    Mock::given(path("/v1.0/groups/$count"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("lots", "text/plain"))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let n = Request::dollar_count(&client, users()).await.unwrap();
    assert_eq!(n, 42);
    let n = Request::dollar_count(&client, users().segment("$count"))
        .await
        .unwrap();
    assert_eq!(n, 42);
    let err = Request::dollar_count(&client, ODataPath::root().segment("groups"))
        .await
        .unwrap_err();
    let Error::Decode(d) = err else { panic!() };
    assert_eq!(d.body_excerpt, "lots");
}

#[tokio::test]
async fn media_round_trip() {
    let server = MockServer::start().await;
    let png: Vec<u8> = vec![0x89, b'P', b'N', b'G', 0, 0xff, 0xfe, 13, 10];
    let photo = ODataPath::root()
        .segment("me")
        .segment("photo")
        .segment("$value");
    Mock::given(method("PUT"))
        .and(path("/v1.0/me/photo/$value"))
        .and(header("content-type", "image/png"))
        .and(body_bytes(png.clone()))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/photo/$value"))
        .and(header("accept", "*/*"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(png.clone(), "image/png"))
        .mount(&server)
        .await;
    let client = client_for(&server);
    Request::<()>::empty(&client, Method::PUT, photo.clone())
        .bytes_body(png.clone(), "image/png")
        .await
        .unwrap();
    let media = Request::media(&client, Method::GET, photo).await.unwrap();
    assert_eq!(
        media,
        Media {
            content_type: Some("image/png".into()),
            bytes: png
        }
    );
}

#[tokio::test(start_paused = true)]
async fn concurrent_requests_share_one_token_refresh() {
    let service = InProcess::json(r#"{"id":"1"}"#);
    // The credential takes 50 ms (of the paused clock), so all 200 tasks ask while the
    // first refresh is under way.
    let credential = CountingCredential::new(Duration::from_secs(3600), Duration::from_millis(50));
    let client = Client::builder(InProcess::BASE, credential.clone())
        .transport(service.clone())
        .build()
        .unwrap();
    let tasks: Vec<_> = (0..200)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move {
                Request::<User>::json(&client, Method::GET, users().key(&i.to_string())).await
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(credential.calls(), 1);
    let requests = service.requests();
    assert_eq!(requests.len(), 200);
    let bearer = format!("Bearer {TOKEN}-1");
    assert!(requests
        .iter()
        .all(|r| r.header("authorization") == Some(bearer.as_str())));
}

#[tokio::test]
async fn tokens_are_refreshed_before_expiry_and_after_401() {
    let server = MockServer::start().await;
    Mock::given(path("/v1.0/denied"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    Mock::given(path("/v1.0/ok"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let ok = || ODataPath::root().segment("ok");

    // Expires in 2 minutes, inside the default 5-minute margin: the margin shrinks to half
    // the lifetime, so the token is still reused.
    let short = CountingCredential::new(Duration::from_secs(120), Duration::ZERO);
    let client = Client::builder(&base(&server), short.clone())
        .build()
        .unwrap();
    for _ in 0..2 {
        Request::<()>::empty(&client, Method::GET, ok())
            .await
            .unwrap();
    }
    assert_eq!(short.calls(), 1);

    // With a 1-minute margin the same token is cached.
    let short = CountingCredential::new(Duration::from_secs(120), Duration::ZERO);
    let client = Client::builder(&base(&server), short.clone())
        .token_refresh_margin(Duration::from_secs(60))
        .build()
        .unwrap();
    for _ in 0..2 {
        Request::<()>::empty(&client, Method::GET, ok())
            .await
            .unwrap();
    }
    assert_eq!(short.calls(), 1);

    // A 401 drops the cached token.
    let err = Request::<()>::empty(&client, Method::GET, ODataPath::root().segment("denied"))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(http::StatusCode::UNAUTHORIZED));
    assert_eq!(err.attempts(), 1);
    Request::<()>::empty(&client, Method::GET, ok())
        .await
        .unwrap();
    assert_eq!(short.calls(), 2);
}

#[tokio::test]
async fn credential_errors_are_reported() {
    struct Failing;
    impl graph_odata_runtime::TokenCredential for Failing {
        fn get_token<'a>(
            &'a self,
            _: &'a [String],
        ) -> graph_odata_runtime::BoxFuture<'a, Result<AccessToken, Error>> {
            Box::pin(async { Err(Error::credential("no login", None)) })
        }
    }
    let server = RawServer::json("{}").await;
    let client = Client::builder(&server.base(), Failing).build().unwrap();
    let err = Request::<Value>::json(&client, Method::GET, users())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Credential { .. }), "{err:?}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn value_and_into_future() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"@odata.context":"$metadata#Edm.String","value":"hello"}"#,
            "application/json; odata.metadata=minimal",
        ))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let request = Request::<String>::value(&client, Method::GET, users());
    // `.await` works on the request itself and on a spawned clone.
    let spawned = tokio::spawn(request.clone().into_future());
    assert_eq!(request.await.unwrap(), "hello");
    assert_eq!(spawned.await.unwrap().unwrap(), "hello");
}

#[tokio::test]
async fn created_asks_for_the_entity_and_reads_it() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/users"))
        .and(header("Prefer", "return=representation"))
        .respond_with(ResponseTemplate::new(201).set_body_string(r#"{"id":"new"}"#))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&base(&server));
    let user: User = Request::created(&client, users())
        .json_body(&serde_json::json!({"displayName": "A"}))
        .await
        .unwrap();
    assert_eq!(user.id, "new");
    server.verify().await;
}

#[tokio::test]
async fn a_create_answered_without_a_body_says_the_entity_exists() {
    // Services that ignore `Prefer: return=representation` answer 204 and the new URL.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(204)
                .insert_header("OData-EntityId", "https://svc.example/users('new')"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&base(&server));
    let err = Request::<User>::created(&client, users())
        .json_body(&serde_json::json!({}))
        .await
        .unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(decode.status, 204);
    let text = err.to_string();
    assert!(
        text.contains("created (at https://svc.example/users('new'))"),
        "{text}"
    );
    assert!(text.contains("do not retry"), "{text}");
    // A create is sent once: it is not retried on a decode error.
    server.verify().await;
}

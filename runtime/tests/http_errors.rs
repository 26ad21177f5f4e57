//! Errors a person can read: `Display` says each fact once, the causes stay reachable through
//! `source()`, `Debug` stays short, and every error of a sent request names it (method, path
//! without the query, `client-request-id`, `request-id`). Successful responses expose the same
//! through `send_with_response`. Local servers only.

mod http_support;

use std::error::Error as _;
use std::time::Duration;

use graph_odata_runtime::{
    Client, Error, Method, Request, Response, RetryPolicy, StaticTokenCredential,
};
use http_support::{builder, fast_retries, response, users, InProcess, RawServer, TOKEN};
use serde::Deserialize;
use serde_json::{json, Value};

/// No piece of `text` (split at `: `, ` (` and `, `) longer than three characters appears
/// twice.
fn assert_each_fact_once(text: &str) {
    let pieces: Vec<&str> = text
        .split(": ")
        .flat_map(|p| p.split(" ("))
        .flat_map(|p| p.split(", "))
        .map(|p| p.trim_end_matches(')'))
        .filter(|p| p.len() > 3)
        .collect();
    for (i, piece) in pieces.iter().enumerate() {
        assert!(
            !pieces[i + 1..].contains(piece),
            "`{piece}` twice in: {text}"
        );
    }
}

/// The texts of `err`'s sources, outermost first.
fn chain(err: &Error) -> Vec<String> {
    let mut out = Vec::new();
    let mut next = err.source();
    while let Some(cause) = next {
        out.push(cause.to_string());
        next = cause.source();
    }
    out
}

/// A port on 127.0.0.1 where nothing listens.
async fn closed_port() -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    port
}

#[tokio::test]
async fn a_transport_error_says_each_fact_once_and_keeps_its_causes() {
    let base = format!("http://127.0.0.1:{}/v1.0", closed_port().await);
    let client = builder(&base)
        .retry_policy(fast_retries(2))
        .build()
        .unwrap();
    let err = Request::<Value>::json(&client, Method::GET, users().key("a@b.com"))
        .filter("displayName eq 'secret-query'")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    let text = err.to_string();
    assert_eq!(
        text, "GET /v1.0/users/a%40b.com: connection failed (after 2 attempts)",
        "{text}"
    );
    assert_each_fact_once(&text);
    // The causes are one `source()` away, each said once along the chain.
    let causes = chain(&err);
    assert!(!causes.is_empty());
    assert!(
        causes.iter().all(|c| !text.contains(c.as_str())),
        "{causes:?}"
    );
    let report = err.report().to_string();
    assert!(report.starts_with(&text), "{report}");
    assert!(report.len() > text.len(), "{report}");
    assert_eq!(
        report.matches("error sending request").count(),
        1,
        "{report}"
    );
    // Correlation, and never the query (nor the token).
    let request = err.request().expect("the request");
    assert_eq!(request.method(), Method::GET);
    assert_eq!(request.path(), "/v1.0/users/a%40b.com");
    assert_eq!(err.client_request_id().map(str::len), Some(36));
    assert_eq!(err.request_id(), None, "no response, no request-id");
    for shown in [text, report, format!("{err:?}")] {
        assert!(!shown.contains("secret-query"), "{shown}");
        assert!(!shown.contains("displayName"), "{shown}");
        assert!(!shown.contains(TOKEN), "{shown}");
    }
}

#[tokio::test(start_paused = true)]
async fn a_timeout_names_the_request() {
    // A service that never answers.
    let service = InProcess::start(|_| Vec::new());
    let client = service
        .builder()
        .timeout(Duration::from_millis(150))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = Request::<()>::empty(&client, Method::DELETE, users().key("x"))
        .query("token", "q-secret")
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    let text = err.to_string();
    assert!(
        text.starts_with("DELETE /v1.0/users/x: timed out"),
        "{text}"
    );
    assert_each_fact_once(&text);
    assert!(!format!("{err:?}").contains("q-secret"));
    assert_eq!(err.request().unwrap().method(), Method::DELETE);
}

#[tokio::test]
async fn an_http_error_names_the_request_and_its_ids_once() {
    let server = RawServer::start(|_| {
        let body = br#"{"error":{"code":"Request_ResourceNotFound","message":"Resource 'x' does not exist.","innerError":{"request-id":"rid-1","client-request-id":"cid-1","date":"2024-01-01T00:00:00"}}}"#;
        let mut out = format!(
            "HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\nrequest-id: rid-1\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        )
        .into_bytes();
        out.extend_from_slice(body);
        out
    })
    .await;
    let client = builder(&server.base()).build().unwrap();
    let err = Request::<Value>::json(&client, Method::GET, users().key("x"))
        .select(["id"])
        .await
        .unwrap_err();
    let text = err.to_string();
    assert_eq!(
        text,
        "GET /v1.0/users/x: HTTP 404 Not Found: Request_ResourceNotFound: Resource 'x' does not exist. (request-id rid-1)"
    );
    assert_each_fact_once(&text);
    assert!(err.source().is_none());
    let Error::Http(e) = &err else { panic!() };
    assert_eq!(e.method(), Method::GET);
    assert_eq!(e.path(), "/v1.0/users/x");
    assert_eq!(e.request_id(), Some("rid-1"));
    let sent = server.requests()[0]
        .header("client-request-id")
        .unwrap()
        .to_owned();
    assert_eq!(e.client_request_id(), Some(sent.as_str()));
    assert_eq!(err.client_request_id(), Some(sent.as_str()));
    assert_eq!(err.request_id(), Some("rid-1"));
    assert!(!format!("{err:?}").contains("$select"));
}

#[tokio::test]
async fn the_request_id_of_the_inner_error_is_used_when_the_header_is_missing() {
    let server = RawServer::start(|_| {
        response(
            400,
            "application/json",
            br#"{"error":{"code":"BadRequest","message":"Nope.","innerError":{"request-id":"inner-rid"}}}"#,
        )
    })
    .await;
    let client = builder(&server.base()).build().unwrap();
    let err = Request::<Value>::json(&client, Method::POST, users())
        .json_body(&json!({}))
        .await
        .unwrap_err();
    assert_eq!(err.request_id(), Some("inner-rid"));
    let text = err.to_string();
    assert_eq!(text.matches("inner-rid").count(), 1, "{text}");
    assert!(text.starts_with("POST /v1.0/users: HTTP 400"), "{text}");
}

#[tokio::test]
async fn debug_and_display_stay_short_for_huge_error_bodies() {
    let message = "m".repeat(1_000_000);
    let body = json!({"error": {"code": "Huge", "message": message, "innerError": {"x": "y".repeat(100_000)}}});
    let body = serde_json::to_vec(&body).unwrap();
    let server = RawServer::start(move |_| response(500, "application/json", &body)).await;
    let client = builder(&server.base()).build().unwrap();
    let err = Request::<Value>::json(&client, Method::GET, users())
        .await
        .unwrap_err();
    let debug = format!("{err:?}");
    let display = err.to_string();
    assert!(debug.len() < 2048, "{} bytes of Debug", debug.len());
    assert!(display.len() < 1024, "{} bytes of Display", display.len());
    assert!(debug.contains("Huge"), "{debug}");
    // The full message is still in the parsed error.
    assert_eq!(err.odata_error().unwrap().message.len(), 1_000_000);
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct User {
    id: String,
    age: u8,
}

#[tokio::test]
async fn a_decode_error_names_the_request_and_bounds_the_message() {
    // serde quotes the offending string in its message: a megabyte of it.
    let body = format!(r#"{{"id":"1","age":"{}"}}"#, "9".repeat(1_000_000));
    let server =
        RawServer::start(move |_| response(200, "application/json", body.as_bytes())).await;
    let client = builder(&server.base()).build().unwrap();
    let err = Request::<User>::json(&client, Method::GET, users().key("1"))
        .await
        .unwrap_err();
    let Error::Decode(d) = &err else {
        panic!("{err:?}")
    };
    assert!(d.message.len() < 1100, "{}", d.message.len());
    assert!(
        d.message.ends_with("at line 1 column 1000018"),
        "{}",
        d.message
    );
    assert_eq!(d.path.as_deref(), Some("$.age"));
    let text = err.to_string();
    assert!(
        text.starts_with("GET /v1.0/users/1: could not decode"),
        "{text}"
    );
    assert!(text.len() < 1500);
    assert!(format!("{err:?}").len() < 2048);
    assert_eq!(err.request().unwrap().path(), "/v1.0/users/1");
}

#[test]
fn every_other_variant_says_each_fact_once() {
    let io = std::io::Error::other("keychain locked");
    let err = Error::credential("no cached login", Some(Box::new(io)));
    assert_eq!(err.to_string(), "credential error: no cached login");
    assert_eq!(chain(&err), ["keychain locked"]);
    assert_eq!(
        err.report().to_string(),
        "credential error: no cached login: keychain locked"
    );
    for err in [
        Error::Paging("a loop".into()),
        Error::InvalidRequest("invalid header name \"a b\"".into()),
        Error::Config("invalid base URL".into()),
    ] {
        assert_each_fact_once(&err.to_string());
        assert!(err.source().is_none());
        assert!(err.request().is_none());
    }
}

#[tokio::test]
async fn send_with_response_gives_status_headers_and_ids() {
    let server = RawServer::start(|_| {
        let body = br#"{"id":"new"}"#;
        let mut out = format!(
            "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\nrequest-id: rid-ok\r\nx-ms-throttle-limit-percentage: 0.8\r\nlocation: /v1.0/users/new\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        )
        .into_bytes();
        out.extend_from_slice(body);
        out
    })
    .await;
    let client = Client::builder(&server.base(), StaticTokenCredential::new(TOKEN))
        .build()
        .unwrap();
    let response: Response<Value> = Request::json(&client, Method::POST, users())
        .json_body(&json!({"displayName": "n"}))
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.status, 201);
    assert_eq!(response.value, json!({"id": "new"}));
    assert_eq!(response.attempts, 1);
    assert_eq!(response.request_id(), Some("rid-ok"));
    assert_eq!(
        response.header("X-MS-Throttle-Limit-Percentage"),
        Some("0.8")
    );
    assert_eq!(response.header("location"), Some("/v1.0/users/new"));
    assert_eq!(response.request().method(), Method::POST);
    assert_eq!(response.request().path(), "/v1.0/users");
    let sent = server.requests()[0]
        .header("client-request-id")
        .unwrap()
        .to_owned();
    assert_eq!(response.client_request_id(), Some(sent.as_str()));
    let debug = format!("{response:?}");
    assert!(
        debug.contains("rid-ok") && !debug.contains("0.8"),
        "{debug}"
    );
    assert_eq!(response.into_value()["id"], "new");

    // A decoding failure is still an error.
    let err = Request::<u64>::json(&client, Method::GET, users())
        .send_with_response()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
}

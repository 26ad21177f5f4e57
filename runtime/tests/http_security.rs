//! What must never happen, against local servers (loopback only): a request body or a token
//! reaching another origin through a redirect, a JSON answer taken from another origin, a
//! call outliving its timeout because the credential hangs, and a 2xx OData error passing
//! as a success.

mod http_support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use graph_odata_runtime::{
    AccessToken, BoxFuture, Client, Error, Media, Method, ODataPath, Request, RetryPolicy,
    StaticTokenCredential, TokenCredential,
};
use http_support::{builder, client, response, InProcess, RawRequest, RawServer, TOKEN};
use serde_json::{json, Value};
use tokio::time::Instant;

/// A response with a status, headers and an empty body.
fn redirect(status: u16, location: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status} X\r\nlocation: {location}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
    )
    .into_bytes()
}

fn secrets() -> ODataPath {
    ODataPath::root()
        .segment("servicePrincipals")
        .key("sp1")
        .segment("synchronization")
        .segment("secrets")
}

/// A listener on another port that records what reaches it and answers 200 with JSON.
async fn foreign() -> RawServer {
    RawServer::start(|_| response(200, "application/json", br#"{"id":"stolen"}"#)).await
}

fn no_token_in(requests: &[RawRequest]) {
    for r in requests {
        assert_eq!(r.header("authorization"), None, "{r:?}");
        let text = format!("{r:?}");
        assert!(!text.contains(TOKEN), "{text}");
    }
}

#[tokio::test]
async fn a_request_body_never_follows_a_redirect_to_another_origin() {
    let elsewhere = foreign().await;
    for status in [301, 302, 307, 308] {
        let location = format!("http://{}/v1.0/collect", elsewhere.addr);
        let server = RawServer::start(move |_| redirect(status, &location)).await;
        let body = json!({"value": [{"key": "SecretToken", "value": "hunter2"}]});
        let request: Request<()> =
            Request::empty(&client(&server.base()), Method::PUT, secrets()).json_body(&body);
        let err = request.await.unwrap_err();
        match &err {
            Error::Redirect {
                status: s,
                location,
                ..
            } => {
                assert_eq!(s.as_u16(), status);
                assert!(location.contains(&elsewhere.addr.to_string()), "{err}");
            }
            other => panic!("{status}: expected a refused redirect, got {other:?}"),
        }
        assert!(err.to_string().contains("/v1.0/collect"), "{err}");
        assert_eq!(server.requests().len(), 1, "sent once, not retried");
    }
    // A request sent there would have been answered, so recorded, before the call returned.
    assert!(
        elsewhere.requests().is_empty(),
        "the other origin received {:?}",
        elsewhere.requests()
    );
}

#[tokio::test]
async fn a_json_answer_is_never_taken_from_another_origin() {
    let elsewhere = foreign().await;
    let location = format!("http://{}/v1.0/job", elsewhere.addr);
    let server = RawServer::start(move |_| redirect(302, &location)).await;
    let result: Result<Value, Error> =
        Request::json(&client(&server.base()), Method::GET, secrets()).await;
    let err = result.unwrap_err();
    assert!(matches!(err, Error::Redirect { .. }), "{err:?}");
    // The query of the location (it may hold a signature) is not in the message.
    let location = format!("http://{}/v1.0/job?sig=abc", elsewhere.addr);
    let server = RawServer::start(move |_| redirect(307, &location)).await;
    let err = Request::<Value>::json(&client(&server.base()), Method::GET, secrets())
        .await
        .unwrap_err();
    assert!(!err.to_string().contains("sig=abc"), "{err}");
    // A request sent there would have been answered, so recorded, before the call returned.
    assert!(elsewhere.requests().is_empty());
}

#[tokio::test]
async fn redirects_within_the_origin_keep_method_body_and_token() {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let server = RawServer::start(move |r| {
        counter.fetch_add(1, Ordering::SeqCst);
        if r.target.ends_with("/synchronization/secrets") {
            redirect(307, "/v1.0/moved/secrets")
        } else {
            response(204, "application/json", b"")
        }
    })
    .await;
    let request: Request<()> = Request::empty(&client(&server.base()), Method::PUT, secrets())
        .json_body(&json!({"value": []}));
    request.await.unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let moved = &requests[1];
    assert_eq!(moved.method, "PUT");
    assert_eq!(moved.target, "/v1.0/moved/secrets");
    assert_eq!(moved.body, br#"{"value":[]}"#);
    assert_eq!(
        moved.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
}

#[tokio::test]
async fn see_other_continues_as_a_get_without_the_body() {
    let server = RawServer::start(|r| {
        if r.method == "POST" {
            redirect(303, "/v1.0/result")
        } else {
            response(200, "application/json", br#"{"done":true}"#)
        }
    })
    .await;
    let request: Request<Value> = Request::json(
        &client(&server.base()),
        Method::POST,
        ODataPath::root().segment("jobs"),
    )
    .json_body(&json!({"templateId": "x"}));
    assert_eq!(request.await.unwrap(), json!({"done": true}));
    let requests = server.requests();
    assert_eq!(requests[1].method, "GET");
    assert!(requests[1].body.is_empty());
    assert_eq!(requests[1].header("content-type"), None);
}

#[tokio::test]
async fn a_redirect_loop_ends() {
    let server = RawServer::start(|_| redirect(302, "/v1.0/again")).await;
    let err = Request::<Value>::json(&client(&server.base()), Method::GET, secrets())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Redirect { .. }), "{err:?}");
    assert_eq!(
        server.requests().len(),
        11,
        "the first request and ten redirects"
    );
}

#[tokio::test]
async fn a_content_download_may_leave_the_origin_without_the_token() {
    let cdn = RawServer::start(|_| response(200, "image/png", b"\x89PNG")).await;
    let location = format!("http://{}/blob/photo?sig=1", cdn.addr);
    let server = RawServer::start(move |_| redirect(302, &location)).await;
    let client = builder(&server.base())
        .header("x-api-key", "k-123")
        .build()
        .unwrap();
    let media: Media = Request::media(
        &client,
        Method::GET,
        ODataPath::root().segment("photo").segment("$value"),
    )
    .await
    .unwrap();
    assert_eq!(&media.bytes[..], b"\x89PNG");
    let reached = cdn.requests();
    assert_eq!(reached.len(), 1);
    no_token_in(&reached);
    assert_eq!(
        reached[0].header("x-api-key"),
        None,
        "client headers stay home"
    );
    // An upload of content never leaves.
    let upload: Request<()> = Request::empty(
        &client,
        Method::PUT,
        ODataPath::root().segment("photo").segment("$value"),
    )
    .bytes_body(b"data".to_vec(), "image/png");
    assert!(matches!(upload.await, Err(Error::Redirect { .. })));
    assert_eq!(cdn.requests().len(), 1);
}

/// A credential that never answers.
struct Hung;

impl TokenCredential for Hung {
    fn get_token<'a>(&'a self, _: &'a [String]) -> BoxFuture<'a, Result<AccessToken, Error>> {
        Box::pin(std::future::pending())
    }
}

#[tokio::test(start_paused = true)]
async fn a_hung_credential_does_not_outlive_the_timeout() {
    let server = InProcess::json(r#"{"id":"1"}"#);
    let client = Client::builder(InProcess::BASE, Hung)
        .transport(server.clone())
        .timeout(Duration::from_millis(300))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let started = Instant::now();
    // Several callers at once: none waits past its own deadline behind the stuck refresh.
    let calls = (0..5).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { Request::<Value>::json(&client, Method::GET, secrets()).await })
    });
    let results = futures_util::future::join_all(calls).await;
    let elapsed = started.elapsed();
    for r in results {
        let err = r.unwrap().unwrap_err();
        assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    }
    assert_eq!(elapsed, Duration::from_millis(300));
    assert!(server.requests().is_empty());
}

/// Hangs on the first call only, then answers at once.
struct HungOnce(AtomicUsize);

impl TokenCredential for HungOnce {
    fn get_token<'a>(&'a self, _: &'a [String]) -> BoxFuture<'a, Result<AccessToken, Error>> {
        let n = self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(async move {
            if n == 0 {
                std::future::pending::<()>().await;
            }
            Ok(AccessToken::new(
                TOKEN.to_string(),
                SystemTime::now() + Duration::from_secs(3600),
            ))
        })
    }
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_a_stuck_refresh_gets_a_token() {
    let server = InProcess::json(r#"{"id":"1"}"#);
    let client = Client::builder(InProcess::BASE, HungOnce(AtomicUsize::new(0)))
        .transport(server.clone())
        .timeout(Duration::from_millis(200))
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(2)
                .base_delay(Duration::from_millis(5))
                .max_delay(Duration::from_millis(10)),
        )
        .build()
        .unwrap();
    let value: Value = Request::json(&client, Method::GET, secrets())
        .await
        .unwrap();
    assert_eq!(value, json!({"id": "1"}));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_2xx_odata_error_is_an_error() {
    let server = RawServer::start(|_| {
        response(
            200,
            "application/json",
            br#"{"error":{"code":"Request_ResourceNotFound","message":"Job not found."}}"#,
        )
    })
    .await;
    let client = builder(&server.base()).build().unwrap();
    let err = Request::<Value>::json(&client, Method::GET, secrets())
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    let odata = err.odata_error().expect("parsed");
    assert_eq!(odata.code, "Request_ResourceNotFound");
    assert_eq!(odata.message, "Job not found.");
    assert_eq!(server.requests().len(), 1, "not retried");

    // An entity that merely has an `error` property is data.
    let server = RawServer::json(r#"{"id":"1","error":{"code":"x","message":"y"}}"#).await;
    let value: Value = Request::json(&client_for(&server), Method::GET, secrets())
        .await
        .unwrap();
    assert_eq!(value["id"], "1");
    // And an answer to `$select=error` shaped like an envelope (no `@odata.context` with
    // `odata.metadata=none`) is the selected property.
    let server = RawServer::start(|_| {
        response(
            200,
            "application/json",
            br#"{"error":{"code":"quota","message":"over"}}"#,
        )
    })
    .await;
    let value: Value = Request::json(&client_for(&server), Method::GET, secrets())
        .select(["error"])
        .await
        .unwrap();
    assert_eq!(value["error"]["code"], "quota");
    // So is a download whose content happens to look like an error.
    let server =
        RawServer::start(|_| response(200, "application/json", br#"{"error":{"code":"a"}}"#)).await;
    let media = Request::media(&client_for(&server), Method::GET, secrets())
        .await
        .unwrap();
    assert_eq!(&media.bytes[..], br#"{"error":{"code":"a"}}"#);
}

#[tokio::test]
async fn a_download_is_what_the_constructor_says_not_what_accept_says() {
    let elsewhere = foreign().await;
    let location = format!("http://{}/blob", elsewhere.addr);
    let server = RawServer::start(move |_| redirect(302, &location)).await;
    let client = client_for(&server);
    // A JSON call whose `Accept` the caller widened is still an API call: it never takes
    // its answer from another origin, and a 2xx error envelope is still an error.
    let widened = Request::<Value>::json(&client, Method::GET, secrets()).header("Accept", "*/*");
    assert!(!widened.build().unwrap().content_download);
    let err = widened.await.unwrap_err();
    assert!(matches!(err, Error::Redirect { .. }), "{err:?}");
    assert!(elsewhere.requests().is_empty());
    let err = Request::<Value>::json(
        &client_for(&envelope_server().await),
        Method::GET,
        secrets(),
    )
    .header("Accept", "*/*")
    .await
    .unwrap_err();
    assert_eq!(err.odata_error().map(|e| e.code.as_str()), Some("a"));
    // And a download that asks for one media type is still a download.
    let narrowed = Request::media(&client, Method::GET, secrets()).header("Accept", "image/png");
    assert!(narrowed.build().unwrap().content_download);
    let media = narrowed.await.unwrap();
    assert_eq!(&media.bytes[..], br#"{"id":"stolen"}"#);
}

#[tokio::test]
async fn only_a_select_option_makes_an_error_shaped_answer_data() {
    let server = envelope_server().await;
    let client = client_for(&server);
    let get = || Request::<Value>::json(&client, Method::GET, secrets());
    // The text `select=` in another option's name or value is not a `$select`.
    for request in [
        get().query("preselect", "error"),
        get().filter("note eq '$select=error'"),
        get().query("$skiptoken", "$select=error"),
    ] {
        assert!(!request.build().unwrap().selects);
        let err = request.await.unwrap_err();
        assert_eq!(err.odata_error().map(|e| e.code.as_str()), Some("a"));
    }
    // The option itself is, however it is set.
    for request in [get().select(["error"]), get().query("$SELECT", "error")] {
        assert!(request.build().unwrap().selects);
        assert_eq!(request.await.unwrap()["error"]["code"], "a");
    }
}

#[tokio::test]
async fn a_next_link_keeps_the_select_of_its_first_page() {
    use futures_util::StreamExt as _;
    // The next link's own text mentions `$select=` in a filter; what counts is whether the
    // first request selected.
    let server = RawServer::start(|r| {
        if r.target.contains("skiptoken") {
            response(200, "application/json", ENVELOPE)
        } else {
            response(
                200,
                "application/json",
                br#"{"value":[1],"@odata.nextLink":"/v1.0/n?$filter=x%20eq%20'$select=error'&$skiptoken=2"}"#,
            )
        }
    })
    .await;
    let client = client_for(&server);
    let pages = |request: Request<graph_odata_runtime::Page<u32>>| async move {
        let mut pages = request.into_pages();
        assert_eq!(pages.next().await.unwrap().unwrap().value, [1]);
        pages.next().await.unwrap().unwrap_err()
    };
    let plain = Request::page(&client, Method::GET, secrets());
    let err = pages(plain).await;
    assert_eq!(err.odata_error().map(|e| e.code.as_str()), Some("a"));
    // A selecting request's pages read the same answer as data (here: not a page).
    let selecting = Request::page(&client, Method::GET, secrets()).select(["error"]);
    let err = pages(selecting).await;
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
}

/// Exactly an OData error envelope (code `a`), or data shaped like one.
const ENVELOPE: &[u8] = br#"{"error":{"code":"a","message":"b"}}"#;

/// A server answering every request `200` with [`ENVELOPE`].
async fn envelope_server() -> RawServer {
    RawServer::start(|_| response(200, "application/json", ENVELOPE)).await
}

fn client_for(server: &RawServer) -> Client {
    Client::builder(&server.base(), StaticTokenCredential::new(TOKEN))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

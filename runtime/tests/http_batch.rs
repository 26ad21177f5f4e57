//! JSON batching (`POST /$batch`) against an in-process service that answers each
//! sub-request: the wire format, typed answers, per-request errors, and throttled requests
//! sent again (on tokio's paused clock, so the waits are exact and cost no real time).

mod http_support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use graph_odata_runtime::batch::Batch;
use graph_odata_runtime::{Error, Media, Method, ODataPath, Page, Request, RetryPolicy};
use http_support::{fast_retries, response, users, InProcess, RawRequest};
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::time::Instant;

#[derive(Debug, Deserialize, PartialEq)]
struct User {
    id: String,
}

/// A batch server: `answer(round, sub_request)` gives each sub-response (`None` leaves it
/// out); answers are sent in reverse order, as the service may reorder them.
fn batch_server(
    answer: impl Fn(usize, &Value) -> Option<Value> + Send + Sync + 'static,
) -> InProcess {
    let rounds = Arc::new(AtomicUsize::new(0));
    InProcess::start(move |r: &RawRequest| {
        assert_eq!(r.method, "POST");
        assert_eq!(r.target, "/v1.0/$batch");
        let round = rounds.fetch_add(1, Ordering::SeqCst) + 1;
        let body: Value = serde_json::from_slice(&r.body).unwrap();
        let mut responses: Vec<Value> = body["requests"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|sub| answer(round, sub))
            .collect();
        responses.reverse();
        let out = serde_json::to_vec(&json!({ "responses": responses })).unwrap();
        response(200, "application/json", &out)
    })
}

/// The sub-requests of the `n`-th batch the server received.
fn sub_requests(server: &InProcess, n: usize) -> Vec<Value> {
    let body: Value = serde_json::from_slice(&server.requests()[n].body).unwrap();
    body["requests"].as_array().unwrap().clone()
}

fn ok(id: &Value, body: Value) -> Option<Value> {
    Some(
        json!({"id": id, "status": 200, "headers": {"content-type": "application/json"}, "body": body}),
    )
}

#[tokio::test(start_paused = true)]
async fn requests_go_out_as_one_batch_and_come_back_typed() {
    let server = batch_server(|_, sub| {
        let id = &sub["id"];
        match id.as_str().unwrap() {
            "1" => ok(id, json!({"id": "me"})),
            "2" => ok(
                id,
                json!({"value": [{"id": "a"}, {"id": "b"}], "@odata.nextLink": "https://x/next"}),
            ),
            "3" => Some(json!({"id": id, "status": 204})),
            "4" => Some(
                json!({"id": id, "status": 200, "headers": {"content-type": "image/png"}, "body": "iVBORw=="}),
            ),
            "5" => Some(
                json!({"id": id, "status": 201, "headers": {"Content-Type": "application/json", "Location": "/users/new"}, "body": {"id": "new"}}),
            ),
            _ => None,
        }
    });
    let client = server.client();
    let mut batch = Batch::new(&client);
    let me = batch
        .add(Request::<User>::json(
            &client,
            Method::GET,
            ODataPath::root().segment("me"),
        ))
        .unwrap();
    let page = batch
        .add(
            Request::<Page<User>>::page(&client, Method::GET, users())
                .filter("startswith(displayName,'a b')")
                .select(["id"])
                .header("ConsistencyLevel", "eventual"),
        )
        .unwrap();
    let deleted = batch
        .add_after(
            Request::<()>::empty(&client, Method::DELETE, users().key("old")),
            &[me.id()],
        )
        .unwrap();
    let photo = batch
        .add(Request::media(
            &client,
            Method::GET,
            ODataPath::root()
                .segment("me")
                .segment("photo")
                .segment("$value"),
        ))
        .unwrap();
    let created = batch
        .add_after(
            Request::<User>::json(&client, Method::POST, users())
                .json_body(&json!({"displayName": "N"})),
            &[me.id(), deleted.id()],
        )
        .unwrap();
    assert_eq!(batch.len(), 5);
    let answers = batch.send().await.unwrap();

    assert_eq!(answers.get(&me).unwrap(), User { id: "me".into() });
    let page = answers.get(&page).unwrap();
    assert_eq!(page.value.len(), 2);
    assert_eq!(page.next_link.as_deref(), Some("https://x/next"));
    answers.get(&deleted).unwrap();
    assert_eq!(
        answers.get(&photo).unwrap(),
        Media {
            content_type: Some("image/png".into()),
            bytes: b"\x89PNG".to_vec(),
        }
    );
    assert_eq!(answers.get(&created).unwrap().id, "new");
    assert_eq!(answers.status(&created).map(|s| s.as_u16()), Some(201));
    assert_eq!(answers.headers(&created).unwrap()["location"], "/users/new");
    // `get` can be asked again.
    assert_eq!(answers.get(&me).unwrap().id, "me");

    // One request on the wire, holding all five.
    assert_eq!(server.requests().len(), 1);
    let subs = sub_requests(&server, 0);
    assert_eq!(subs.len(), 5);
    assert_eq!(subs[0]["id"], "1");
    assert_eq!(subs[0]["method"], "GET");
    assert_eq!(subs[0]["url"], "/me");
    assert_eq!(
        subs[1]["url"],
        "/users?$filter=startswith(displayName,%27a%20b%27)&$select=id"
    );
    assert_eq!(subs[1]["headers"]["consistencylevel"], "eventual");
    assert_eq!(subs[2]["method"], "DELETE");
    assert_eq!(subs[2]["dependsOn"], json!(["1"]));
    assert_eq!(subs[3]["headers"]["accept"], "*/*");
    assert_eq!(subs[4]["body"], json!({"displayName": "N"}));
    assert_eq!(subs[4]["headers"]["content-type"], "application/json");
    assert_eq!(subs[4]["dependsOn"], json!(["1", "3"]));
    assert!(subs
        .iter()
        .all(|s| s["headers"].get("user-agent").is_none()));
}

#[tokio::test(start_paused = true)]
async fn each_request_gets_its_own_error() {
    let server = batch_server(|_, sub| {
        let id = &sub["id"];
        match id.as_str().unwrap() {
            "1" => ok(id, json!({"id": "fine"})),
            "2" => Some(json!({"id": id, "status": 404,
                "headers": {"content-type": "application/json", "request-id": "sub-rid"},
                "body": {"error": {"code": "Request_ResourceNotFound", "message": "No user 'x'."}}})),
            "3" => ok(
                id,
                json!({"error": {"code": "Failed", "message": "2xx, but an error."}}),
            ),
            "4" => ok(id, json!({"id": 7})),
            "5" => Some(json!({"id": id, "status": 424})),
            "7" => ok(
                id,
                json!({"error": {"code": "quota", "message": "selected"}}),
            ),
            _ => None,
        }
    });
    let client = server.client();
    let mut batch = Batch::new(&client);
    let get = |key: &str| Request::<User>::json(&client, Method::GET, users().key(key));
    let fine = batch.add(get("fine")).unwrap();
    let missing_user = batch.add(get("x")).unwrap();
    let envelope = batch.add(get("e")).unwrap();
    let undecodable = batch.add(get("n")).unwrap();
    let dependent = batch.add_after(get("d"), &[missing_user.id()]).unwrap();
    let unanswered = batch.add(get("gone")).unwrap();
    // The same shape answering a `$select` is the selected property, as outside a batch.
    let selected = batch
        .add(Request::<Value>::json(&client, Method::GET, users().key("s")).select(["error"]))
        .unwrap();
    let answers = batch.send().await.unwrap();

    assert_eq!(answers.get(&fine).unwrap().id, "fine");
    let err = answers.get(&missing_user).unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(err.odata_error().unwrap().code, "Request_ResourceNotFound");
    assert_eq!(err.request_id(), Some("sub-rid"));
    let request = err.request().unwrap();
    assert_eq!(request.path(), "/v1.0/users/x");
    assert_eq!(request.method(), Method::GET);
    assert!(
        err.to_string().starts_with("GET /v1.0/users/x: HTTP 404"),
        "{err}"
    );

    let err = answers.get(&envelope).unwrap_err();
    assert_eq!(err.odata_error().unwrap().code, "Failed");
    let err = answers.get(&undecodable).unwrap_err();
    let Error::Decode(d) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(d.path.as_deref(), Some("$.id"));
    assert_eq!(
        answers
            .get(&dependent)
            .unwrap_err()
            .status()
            .map(|s| s.as_u16()),
        Some(424)
    );
    let err = answers.get(&unanswered).unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    assert!(err.to_string().contains("no answer for request 6"), "{err}");
    assert_eq!(answers.status(&unanswered), None);
    assert_eq!(answers.get(&selected).unwrap()["error"]["code"], "quota");
    assert_eq!(
        server.requests().len(),
        1,
        "errors that are not throttling are final"
    );
}

#[tokio::test(start_paused = true)]
async fn throttled_requests_are_sent_again_after_their_retry_after() {
    // Round 1: request 2 is throttled (1 s) and request 3, which depends on it, fails
    // with 424. Round 2: both succeed.
    let server = batch_server(|round, sub| {
        let id = &sub["id"];
        match (round, id.as_str().unwrap()) {
            (1, "2") => Some(
                json!({"id": id, "status": 429, "headers": {"Retry-After": "1"},
                "body": {"error": {"code": "TooManyRequests", "message": "Slow down."}}}),
            ),
            (1, "3") => Some(json!({"id": id, "status": 424})),
            (_, _) => ok(
                id,
                json!({"id": format!("{}-{round}", id.as_str().unwrap())}),
            ),
        }
    });
    let client = server
        .builder()
        .retry_policy(fast_retries(3).max_delay(Duration::from_secs(2)))
        .build()
        .unwrap();
    let mut batch = Batch::new(&client);
    let one = batch
        .add(Request::<User>::json(
            &client,
            Method::GET,
            users().key("1"),
        ))
        .unwrap();
    let two = batch
        .add(Request::<User>::json(&client, Method::POST, users()).json_body(&json!({})))
        .unwrap();
    let three = batch
        .add_after(
            Request::<User>::json(&client, Method::GET, users().key("3")),
            &[one.id(), two.id()],
        )
        .unwrap();
    let start = Instant::now();
    let answers = batch.send().await.unwrap();
    let took = start.elapsed();
    assert_eq!(took, Duration::from_secs(1), "the Retry-After of request 2");
    assert_eq!(answers.get(&one).unwrap().id, "1-1");
    assert_eq!(answers.get(&two).unwrap().id, "2-2");
    assert_eq!(answers.get(&three).unwrap().id, "3-2");

    assert_eq!(server.requests().len(), 2);
    let second = sub_requests(&server, 1);
    let ids: Vec<_> = second.iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        ["2", "3"],
        "only the throttled request and its dependent"
    );
    assert_eq!(
        second[1]["dependsOn"],
        json!(["2"]),
        "the dependency that already succeeded is dropped"
    );
}

#[tokio::test(start_paused = true)]
async fn throttling_retries_are_bounded() {
    // Always throttled: as many rounds as the policy allows, then the 429.
    let server = batch_server(|_, sub| {
        Some(json!({"id": sub["id"], "status": 429, "headers": {"retry-after": "0"}}))
    });
    let client = server
        .builder()
        .retry_policy(fast_retries(3))
        .build()
        .unwrap();
    let mut batch = Batch::new(&client);
    let item = batch
        .add(Request::<User>::json(&client, Method::GET, users()))
        .unwrap();
    let answers = batch.send().await.unwrap();
    let err = answers.get(&item).unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(err.attempts(), 3);
    assert_eq!(server.requests().len(), 3);

    // A wait longer than max_delay: not sent again; the wait is on the error.
    let server = batch_server(|_, sub| {
        Some(json!({"id": sub["id"], "status": 429, "headers": {"retry-after": "3600"}}))
    });
    let client = server
        .builder()
        .retry_policy(RetryPolicy::default().max_delay(Duration::from_secs(30)))
        .build()
        .unwrap();
    let mut batch = Batch::new(&client);
    let item = batch
        .add(Request::<User>::json(&client, Method::GET, users()))
        .unwrap();
    let start = Instant::now();
    let answers = batch.send().await.unwrap();
    assert_eq!(start.elapsed(), Duration::ZERO);
    let err = answers.get(&item).unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn what_a_batch_refuses() {
    let server = batch_server(|_, sub| ok(&sub["id"], json!({"id": "x"})));
    let client = server.client();
    // (Any number of requests is taken: http_batch_split.rs.)
    let mut batch = Batch::new(&client);
    let err = batch
        .add_after(Request::<User>::json(&client, Method::GET, users()), &["7"])
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    // A request for another service.
    let other = http_support::client("http://127.0.0.1:9/beta");
    let err = batch
        .add(Request::<User>::json(&other, Method::GET, users()))
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    // A request that cannot be built.
    let err = batch
        .add(Request::<User>::json(&client, Method::GET, users()).header("bad name", "x"))
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(batch.is_empty());

    // An empty batch sends nothing.
    let answers = batch.send().await.unwrap();
    assert!(answers.is_empty());
    assert!(server.requests().is_empty());
}

#[tokio::test(start_paused = true)]
async fn a_failed_batch_request_is_the_error() {
    let server = InProcess::start(|_| {
        response(
            400,
            "application/json",
            br#"{"error":{"code":"BadRequest","message":"Invalid batch payload."}}"#,
        )
    });
    let client = server.client();
    let mut batch = Batch::new(&client);
    batch
        .add(Request::<User>::json(&client, Method::GET, users()))
        .unwrap();
    let err = batch.send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(err.request().unwrap().path(), "/v1.0/$batch");

    // A 200 that is not a batch response.
    let server = InProcess::json(r#"{"value":[]}"#);
    let client = server.client();
    let mut batch = Batch::new(&client);
    batch
        .add(Request::<User>::json(&client, Method::GET, users()))
        .unwrap();
    let err = batch.send().await.unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
}

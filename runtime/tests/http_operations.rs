//! Long-running operations (`Request::start`, `Operation::wait`): `202 Accepted` with a
//! `Location`, followed until the operation ends, against the in-process service on tokio's
//! paused clock.

mod http_support;

use std::time::Duration;

use graph_odata_runtime::operation::{Accepted, OperationState};
use graph_odata_runtime::poll::PollPolicy;
use graph_odata_runtime::{Error, Method, ODataPath, Request};
use http_support::{response, InProcess, TOKEN};
use serde_json::{json, Value};
use tokio::time::Instant;

/// A raw answer with extra headers and a JSON body (empty for none).
fn answer(status: u16, headers: &[(&str, &str)], body: &str) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n");
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str(&format!("content-length: {}\r\n\r\n{body}", body.len()));
    out.into_bytes()
}

fn teams() -> ODataPath {
    ODataPath::root().segment("teams")
}

fn policy() -> PollPolicy {
    PollPolicy::default()
        .initial_interval(Duration::from_secs(1))
        .max_interval(Duration::from_secs(4))
}

#[tokio::test(start_paused = true)]
async fn a_202_is_followed_until_the_operation_succeeds_and_yields_the_resource() {
    let service = InProcess::scripted(|n| match n {
        0 => answer(
            202,
            &[
                ("location", "/teams('t1')/operations('o1')"),
                ("content-location", "/teams('t1')"),
                ("retry-after", "2"),
            ],
            "",
        ),
        1 => answer(200, &[], r#"{"id":"o1","status":"notStarted"}"#),
        2 => answer(200, &[], r#"{"id":"o1","status":"inProgress"}"#),
        3 => answer(
            200,
            &[],
            r#"{"id":"o1","status":"succeeded","targetResourceLocation":"/teams('t1')"}"#,
        ),
        _ => answer(200, &[], r#"{"id":"t1","displayName":"Launch"}"#),
    });
    let client = service.client();
    let started = Request::<Value>::created(&client, teams())
        .json_body(&json!({"displayName": "Launch"}))
        .start()
        .await
        .unwrap();
    let Accepted::Running(operation) = started else {
        panic!("expected a running operation");
    };
    assert_eq!(
        operation.monitor_url().as_str(),
        "https://service.test/v1.0/teams('t1')/operations('o1')"
    );
    let start = Instant::now();
    let team = operation.wait(policy()).await.unwrap();
    assert_eq!(team["displayName"], "Launch");
    // Retry-After before the first poll, then the policy's doubling intervals.
    assert_eq!(start.elapsed(), Duration::from_secs(2 + 1 + 2));
    let requests = service.requests();
    let targets: Vec<_> = requests
        .iter()
        .map(|r| format!("{} {}", r.method, r.target))
        .collect();
    assert_eq!(
        targets,
        [
            "POST /v1.0/teams",
            "GET /v1.0/teams('t1')/operations('o1')",
            "GET /v1.0/teams('t1')/operations('o1')",
            "GET /v1.0/teams('t1')/operations('o1')",
            "GET /v1.0/teams('t1')",
        ]
    );
    // The monitor is on the service's origin: it gets the token.
    let bearer = format!("Bearer {TOKEN}");
    assert!(requests
        .iter()
        .all(|r| r.header("authorization") == Some(bearer.as_str())));
}

#[tokio::test(start_paused = true)]
async fn a_failed_operation_is_its_error() {
    let service = InProcess::scripted(|n| match n {
        0 => answer(202, &[("location", "/teams('t1')/operations('o1')")], ""),
        _ => answer(
            200,
            &[],
            r#"{"status":"failed","error":{"code":"NameTaken","message":"the name is taken"}}"#,
        ),
    });
    let err = Request::<Value>::created(&service.client(), teams())
        .start()
        .await
        .unwrap()
        .wait(policy())
        .await
        .unwrap_err();
    let Error::OperationFailed { status, error, .. } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(status, "failed");
    assert_eq!(error.as_ref().unwrap().code, "NameTaken");
    assert!(err.to_string().contains("the name is taken"), "{err}");
}

#[tokio::test(start_paused = true)]
async fn waiting_is_bounded_by_the_policys_polls_and_time() {
    let service = InProcess::start(|request| match request.method.as_str() {
        "POST" => answer(202, &[("location", "/operations('o1')")], ""),
        _ => answer(200, &[], r#"{"status":"running"}"#),
    });
    let start = Instant::now();
    let err = Request::empty(&service.client(), Method::POST, teams())
        .start()
        .await
        .unwrap()
        .wait(policy().max_polls(3))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::PollExhausted { polls: 3, .. }),
        "{err:?}"
    );
    assert_eq!(start.elapsed(), Duration::from_secs(1 + 2));

    let start = Instant::now();
    let err = Request::empty(&service.client(), Method::POST, teams())
        .start()
        .await
        .unwrap()
        .wait(policy().max_total_time(Duration::from_secs(10)))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::PollExhausted { .. }), "{err:?}");
    assert!(start.elapsed() <= Duration::from_secs(10));
}

#[tokio::test(start_paused = true)]
async fn a_monitor_on_another_host_gets_neither_the_token_nor_the_clients_headers() {
    // A drive item copy: the monitor is pre-authenticated and redirects to the new item
    // when done.
    let service = InProcess::scripted(|n| match n {
        0 => answer(
            202,
            &[("location", "https://monitor.test/monitor/abc?sig=secret")],
            "",
        ),
        1 => answer(
            200,
            &[],
            r#"{"status":"inProgress","percentageComplete":50.0}"#,
        ),
        2 => answer(303, &[("location", "/v1.0/drives/d/items/new")], ""),
        _ => answer(200, &[], r#"{"id":"new"}"#),
    });
    let client = service.builder().header("x-api-key", "k").build().unwrap();
    let Accepted::Running(operation) = Request::<Value>::json(&client, Method::POST, teams())
        .start()
        .await
        .unwrap()
    else {
        panic!("expected a running operation");
    };
    let status = operation.status().await.unwrap();
    assert_eq!(status.state(), OperationState::Running);
    assert_eq!(status.percentage_complete, Some(50.0));
    // The URL's query is a credential: Debug shows the path only.
    assert!(!format!("{operation:?}").contains("secret"));
    let item = operation.wait(policy()).await.unwrap();
    assert_eq!(item["id"], "new");
    let requests = service.requests();
    assert_eq!(requests[1].target, "/monitor/abc?sig=secret");
    for monitor in &requests[1..3] {
        assert_eq!(monitor.header("authorization"), None);
        assert_eq!(monitor.header("x-api-key"), None);
    }
    // The item itself is read from the service, with the token.
    assert_eq!(requests[3].target, "/v1.0/drives/d/items/new");
    assert!(requests[3].header("authorization").is_some());
    assert_eq!(requests[3].header("x-api-key"), Some("k"));
}

#[tokio::test(start_paused = true)]
async fn an_answer_with_a_body_is_done_at_once_and_an_action_may_make_nothing() {
    let service = InProcess::scripted(|n| match n {
        0 => response(201, "application/json", br#"{"id":"t2"}"#),
        1 => answer(202, &[("location", "/operations('o2')")], ""),
        _ => answer(200, &[], r#"{"status":"succeeded"}"#),
    });
    let client = service.client();
    let done = Request::<Value>::created(&client, teams())
        .start()
        .await
        .unwrap();
    assert!(matches!(&done, Accepted::Done(v) if v["id"] == "t2"));
    assert_eq!(done.wait(policy()).await.unwrap()["id"], "t2");
    Request::empty(&client, Method::POST, teams().segment("archive"))
        .start()
        .await
        .unwrap()
        .wait(policy())
        .await
        .unwrap();
    assert_eq!(service.requests().len(), 3);
}

/// An item a copy makes (a model: an empty answer does not decode into it).
#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct DriveItem {
    id: String,
}

#[tokio::test(start_paused = true)]
async fn a_monitor_that_reports_only_a_resource_id_says_so() {
    // A drive item copy whose monitor ends with `completed` and the new item's id, no
    // location: `wait` cannot read the item and says which id the service reported;
    // `wait_status` gives that status to open the item by id.
    let script = |n| match n {
        0 => answer(
            202,
            &[("location", "https://monitor.test/monitor/abc?sig=secret")],
            "",
        ),
        1 => answer(200, &[], r#"{"status":"inProgress"}"#),
        _ => answer(
            200,
            &[],
            r#"{"status":"completed","resourceId":"01NEWITEM","percentageComplete":100.0}"#,
        ),
    };
    let service = InProcess::scripted(script);
    let client = service.client();
    let copy = ODataPath::root()
        .segment("drives")
        .key("d")
        .segment("items")
        .key("i")
        .segment("copy");
    let err = Request::<DriveItem>::json(&client, Method::POST, copy.clone())
        .start()
        .await
        .unwrap()
        .wait(policy())
        .await
        .unwrap_err();
    let Error::ResourceNotLocated {
        resource_id,
        monitor,
    } = &err
    else {
        panic!("expected ResourceNotLocated, got {err:?}");
    };
    assert_eq!(resource_id.as_deref(), Some("01NEWITEM"));
    assert_eq!(monitor, "https://monitor.test/monitor/abc");
    assert!(err.to_string().contains("01NEWITEM"), "{err}");
    assert!(!err.to_string().contains("secret"), "{err}");
    // No request for a resource was made: the monitor's answers only.
    assert_eq!(service.requests().len(), 3);

    let service = InProcess::scripted(script);
    let client = service.client();
    let Accepted::Running(operation) = Request::<DriveItem>::json(&client, Method::POST, copy)
        .start()
        .await
        .unwrap()
    else {
        panic!("expected a running operation");
    };
    let status = operation.wait_status(policy()).await.unwrap();
    assert_eq!(status.state(), OperationState::Succeeded);
    assert_eq!(status.resource_id.as_deref(), Some("01NEWITEM"));
    assert_eq!(status.resource_location, None);
    assert_eq!(service.requests().len(), 3);
}

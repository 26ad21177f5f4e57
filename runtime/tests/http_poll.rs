//! `poll::poll_until` against a local server whose answer changes after some polls.

mod http_support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use graph_odata_runtime::poll::{poll_until, PollPolicy};
use graph_odata_runtime::{Client, Error, Method, ODataPath, Request};
use http_support::{client, response, RawServer};
use serde::Deserialize;

#[derive(Debug, Deserialize, PartialEq)]
struct Job {
    status: String,
}

fn job() -> ODataPath {
    ODataPath::root().segment("jobs").key("j1")
}

fn running() -> Vec<u8> {
    response(200, "application/json", br#"{"status":"running"}"#)
}

fn succeeded() -> Vec<u8> {
    response(200, "application/json", br#"{"status":"succeeded"}"#)
}

/// A server answering the n-th request (0-based) with `script(n)`.
async fn scripted(script: impl Fn(usize) -> Vec<u8> + Send + Sync + 'static) -> RawServer {
    let count = Arc::new(AtomicUsize::new(0));
    RawServer::start(move |_| script(count.fetch_add(1, Ordering::SeqCst))).await
}

fn fast() -> PollPolicy {
    PollPolicy::default()
        .initial_interval(Duration::from_millis(10))
        .max_interval(Duration::from_millis(40))
        .max_total_time(Duration::from_secs(5))
}

async fn poll(client: &Client, policy: PollPolicy) -> Result<Job, Error> {
    poll_until(
        || Request::json(client, Method::GET, job()),
        |j: &Job| j.status != "running",
        policy,
    )
    .await
}

#[tokio::test]
async fn polls_until_the_answer_changes_with_backoff() {
    let server = scripted(|n| if n < 3 { running() } else { succeeded() }).await;
    let start = Instant::now();
    let done = poll(&client(&server.base()), fast()).await.unwrap();
    let took = start.elapsed();
    assert_eq!(done.status, "succeeded");
    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    // Waits of 10, 20 and 40 ms.
    assert!(took >= Duration::from_millis(70), "{took:?}");
    assert!(took < Duration::from_secs(2), "{took:?}");
    // Every poll is its own request.
    let mut ids: Vec<_> = requests
        .iter()
        .map(|r| r.header("client-request-id").unwrap().to_owned())
        .collect();
    ids.dedup();
    assert_eq!(ids.len(), 4);
}

#[tokio::test]
async fn gives_up_after_max_polls() {
    let server = scripted(|_| running()).await;
    let err = poll(&client(&server.base()), fast().max_polls(3))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::PollExhausted { polls: 3, .. }),
        "{err:?}"
    );
    assert_eq!(server.requests().len(), 3);
    assert!(
        err.to_string().contains("not done after 3 poll(s)"),
        "{err}"
    );
}

#[tokio::test]
async fn gives_up_when_time_runs_out() {
    let server = scripted(|_| running()).await;
    let policy = fast()
        .initial_interval(Duration::from_millis(40))
        .max_total_time(Duration::from_millis(150));
    let start = Instant::now();
    let err = poll(&client(&server.base()), policy).await.unwrap_err();
    assert!(start.elapsed() < Duration::from_millis(400));
    let Error::PollExhausted { polls, elapsed } = err else {
        panic!("{err:?}")
    };
    assert!((2..=4).contains(&polls), "{polls}");
    assert!(elapsed <= Duration::from_millis(400));
}

#[tokio::test]
async fn errors_stop_polling_unless_the_predicate_says_otherwise() {
    // Two 404s (the job is not visible yet), then done.
    let script = |n: usize| {
        if n < 2 {
            response(
                404,
                "application/json",
                br#"{"error":{"code":"NotFound","message":"No job."}}"#,
            )
        } else {
            succeeded()
        }
    };
    let server = scripted(script).await;
    let err = poll(&client(&server.base()), fast()).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(server.requests().len(), 1);

    let server = scripted(script).await;
    let policy = fast().stop_on_error(|e| e.status().map(|s| s.as_u16()) != Some(404));
    let done = poll(&client(&server.base()), policy).await.unwrap();
    assert_eq!(done.status, "succeeded");
    assert_eq!(server.requests().len(), 3);

    // Other errors still stop it.
    let server = scripted(|_| response(400, "application/json", b"{}")).await;
    let policy = fast().stop_on_error(|e| e.status().map(|s| s.as_u16()) != Some(404));
    let err = poll(&client(&server.base()), policy).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
}

#[tokio::test]
async fn retry_after_on_an_answer_makes_the_wait_longer() {
    let server = scripted(|n| {
        if n == 0 {
            b"HTTP/1.1 202 Accepted\r\ncontent-type: application/json\r\nretry-after: 1\r\ncontent-length: 20\r\nconnection: close\r\n\r\n{\"status\":\"running\"}".to_vec()
        } else {
            succeeded()
        }
    })
    .await;
    let start = Instant::now();
    let done = poll(&client(&server.base()), fast()).await.unwrap();
    assert_eq!(done.status, "succeeded");
    let took = start.elapsed();
    assert!(took >= Duration::from_millis(990), "{took:?}");
    assert!(took < Duration::from_secs(3), "{took:?}");

    // A wait past the time budget ends polling at once.
    let server = scripted(|_| {
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nretry-after: 3600\r\ncontent-length: 20\r\nconnection: close\r\n\r\n{\"status\":\"running\"}".to_vec()
    })
    .await;
    let start = Instant::now();
    let err = poll(&client(&server.base()), fast()).await.unwrap_err();
    assert!(start.elapsed() < Duration::from_millis(500));
    assert!(
        matches!(err, Error::PollExhausted { polls: 1, .. }),
        "{err:?}"
    );
}

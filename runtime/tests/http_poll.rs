//! `poll::poll_until` against an in-process service whose answer changes after some polls,
//! on tokio's paused clock: the intervals are exact and cost no real time.

mod http_support;

use std::time::Duration;

use graph_odata_runtime::poll::{poll_until, PollPolicy};
use graph_odata_runtime::{Client, Error, Method, ODataPath, Request};
use http_support::{response, InProcess};
use serde::Deserialize;
use tokio::time::Instant;

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

#[tokio::test(start_paused = true)]
async fn polls_until_the_answer_changes_with_backoff() {
    let server = InProcess::scripted(|n| if n < 3 { running() } else { succeeded() });
    let start = Instant::now();
    let done = poll(&server.client(), fast()).await.unwrap();
    let took = start.elapsed();
    assert_eq!(done.status, "succeeded");
    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    // Waits of 10, 20 and 40 ms.
    assert_eq!(took, Duration::from_millis(70));
    // Every poll is its own request.
    let mut ids: Vec<_> = requests
        .iter()
        .map(|r| r.header("client-request-id").unwrap().to_owned())
        .collect();
    ids.dedup();
    assert_eq!(ids.len(), 4);
}

#[tokio::test(start_paused = true)]
async fn gives_up_after_max_polls() {
    let server = InProcess::scripted(|_| running());
    let err = poll(&server.client(), fast().max_polls(3))
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

#[tokio::test(start_paused = true)]
async fn gives_up_when_time_runs_out() {
    let server = InProcess::scripted(|_| running());
    let policy = fast()
        .initial_interval(Duration::from_millis(40))
        .max_total_time(Duration::from_millis(150));
    let start = Instant::now();
    let err = poll(&server.client(), policy).await.unwrap_err();
    let Error::PollExhausted { polls, elapsed } = err else {
        panic!("{err:?}")
    };
    // Polls at 0, 40, 80 and 120 ms (the interval is capped at 40 ms); the next wait would
    // end after the 150 ms budget.
    assert_eq!(polls, 4);
    assert_eq!(elapsed, Duration::from_millis(120));
    assert_eq!(start.elapsed(), elapsed, "gave up without waiting");
}

#[tokio::test(start_paused = true)]
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
    let server = InProcess::scripted(script);
    let err = poll(&server.client(), fast()).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(server.requests().len(), 1);

    let server = InProcess::scripted(script);
    let policy = fast().stop_on_error(|e| e.status().map(|s| s.as_u16()) != Some(404));
    let done = poll(&server.client(), policy).await.unwrap();
    assert_eq!(done.status, "succeeded");
    assert_eq!(server.requests().len(), 3);

    // Other errors still stop it.
    let server = InProcess::scripted(|_| response(400, "application/json", b"{}"));
    let policy = fast().stop_on_error(|e| e.status().map(|s| s.as_u16()) != Some(404));
    let err = poll(&server.client(), policy).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
}

#[tokio::test(start_paused = true)]
async fn retry_after_on_an_answer_makes_the_wait_longer() {
    let server = InProcess::scripted(|n| {
        if n == 0 {
            b"HTTP/1.1 202 Accepted\r\ncontent-type: application/json\r\nretry-after: 1\r\ncontent-length: 20\r\nconnection: close\r\n\r\n{\"status\":\"running\"}".to_vec()
        } else {
            succeeded()
        }
    });
    let start = Instant::now();
    let done = poll(&server.client(), fast()).await.unwrap();
    assert_eq!(done.status, "succeeded");
    let took = start.elapsed();
    assert_eq!(took, Duration::from_secs(1));

    // A wait past the time budget ends polling at once.
    let server = InProcess::scripted(|_| {
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nretry-after: 3600\r\ncontent-length: 20\r\nconnection: close\r\n\r\n{\"status\":\"running\"}".to_vec()
    });
    let start = Instant::now();
    let err = poll(&server.client(), fast()).await.unwrap_err();
    assert_eq!(start.elapsed(), Duration::ZERO);
    assert!(
        matches!(err, Error::PollExhausted { polls: 1, .. }),
        "{err:?}"
    );
}

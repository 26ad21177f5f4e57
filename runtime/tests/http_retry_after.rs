//! `Retry-After` is honoured: a wait that fits the retry policy is waited in full; a longer
//! one is not cut short but returned at once, with the wait on the error. Against an
//! in-process service on tokio's paused clock, so each wait is exact and costs no real time.

mod http_support;

use std::time::{Duration, SystemTime};

use graph_odata_runtime::{Method, ODataPath, Request, RetryPolicy};
use http_support::InProcess;
use serde_json::{json, Value};
use tokio::time::Instant;

fn jobs() -> ODataPath {
    ODataPath::root().segment("jobs")
}

/// A response with `status`, a `Retry-After` and an empty body.
fn throttled(status: u16, retry_after: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status} X\r\nretry-after: {retry_after}\r\nrequest-id: rid-{status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
    )
    .into_bytes()
}

fn ok() -> Vec<u8> {
    http_support::response(200, "application/json", br#"{"done":true}"#)
}

fn policy(max_delay: Duration) -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(4)
        .base_delay(Duration::from_millis(5))
        .max_delay(max_delay)
        .max_total_time(Duration::from_secs(30))
}

#[tokio::test(start_paused = true)]
async fn a_wait_longer_than_max_delay_returns_the_error_at_once() {
    for status in [429, 503] {
        let server = InProcess::scripted(move |_| throttled(status, "2"));
        let client = server
            .builder()
            .retry_policy(policy(Duration::from_secs(1)))
            .build()
            .unwrap();
        let start = Instant::now();
        let err = Request::<Value>::json(&client, Method::GET, jobs())
            .await
            .unwrap_err();
        assert_eq!(start.elapsed(), Duration::ZERO, "{status}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(err.attempts(), 1, "{status}: not retried early");
        assert_eq!(err.retry_after(), Some(Duration::from_secs(2)));
        assert_eq!(server.requests().len(), 1);
        let text = err.to_string();
        assert!(text.contains("retry after 2s"), "{text}");
        assert!(text.contains(&format!("request-id rid-{status}")), "{text}");
    }
}

#[tokio::test(start_paused = true)]
async fn an_http_date_is_a_wait_too() {
    let at = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3600));
    let server = InProcess::scripted(move |_| throttled(429, &at));
    let client = server
        .builder()
        .retry_policy(policy(Duration::from_secs(30)))
        .build()
        .unwrap();
    let start = Instant::now();
    let err = Request::<Value>::json(&client, Method::POST, jobs())
        .json_body(&json!({}))
        .await
        .unwrap_err();
    assert_eq!(start.elapsed(), Duration::ZERO);
    let wait = err.retry_after().unwrap();
    assert!(
        wait > Duration::from_secs(3500) && wait <= Duration::from_secs(3600),
        "{wait:?}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_wait_within_max_delay_is_waited_in_full() {
    // 429 with 1 s, then success: the retry starts no earlier than the server asked.
    let server = InProcess::scripted(|n| if n == 0 { throttled(429, "1") } else { ok() });
    let client = server
        .builder()
        .retry_policy(policy(Duration::from_secs(2)))
        .build()
        .unwrap();
    let start = Instant::now();
    let value: Value = Request::json(&client, Method::GET, jobs()).await.unwrap();
    let took = start.elapsed();
    assert_eq!(value, json!({"done": true}));
    assert!(
        (Duration::from_secs(1)..Duration::from_millis(1005)).contains(&took),
        "{took:?}"
    );
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_later_longer_wait_ends_the_retries_with_that_wait() {
    // A short wait is retried; the next answer asks for more than max_delay.
    let server = InProcess::scripted(|n| {
        if n == 0 {
            throttled(503, "0")
        } else {
            throttled(503, "120")
        }
    });
    let client = server
        .builder()
        .retry_policy(policy(Duration::from_secs(60)))
        .build()
        .unwrap();
    let start = Instant::now();
    let err = Request::<Value>::json(&client, Method::GET, jobs())
        .await
        .unwrap_err();
    assert_eq!(start.elapsed(), Duration::ZERO);
    assert_eq!(err.attempts(), 2);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(120)));
    let text = err.to_string();
    assert!(text.contains("after 2 attempts"), "{text}");
    assert!(text.contains("retry after 120s"), "{text}");
}

#[tokio::test(start_paused = true)]
async fn without_retry_after_the_backoff_still_applies() {
    let server = InProcess::scripted(|n| {
        if n < 2 {
            http_support::response(503, "text/plain", b"busy")
        } else {
            ok()
        }
    });
    let client = server
        .builder()
        .retry_policy(policy(Duration::from_millis(20)))
        .build()
        .unwrap();
    let value: Value = Request::json(&client, Method::GET, jobs()).await.unwrap();
    assert_eq!(value["done"], true);
    assert_eq!(server.requests().len(), 3);
}

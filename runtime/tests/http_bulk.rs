//! `bulk::Bulk`: operations cut into requests of bounded size, throttling waited out by the
//! client's retry policy, one outcome per operation with its request's ids. Local servers
//! only.

mod http_support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use graph_odata_runtime::bulk::{Bulk, OperationOutcome};
use graph_odata_runtime::{Client, Method, ODataPath, Request, RetryPolicy};
use http_support::builder;
use serde_json::{json, Value};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// `n` SCIM-like operations, each naming its index.
fn operations(n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| json!({"method": "POST", "bulkId": i.to_string(), "path": "/Users"}))
        .collect()
}

/// Sends one chunk as a SCIM bulk request, the way a generated `submit` does.
async fn send(
    client: &Client,
    chunk: &[Value],
) -> Result<graph_odata_runtime::Response<()>, graph_odata_runtime::Error> {
    Request::<()>::empty(client, Method::POST, ODataPath::root().segment("bulkUpload"))
        .json_body_as(
            &json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], "Operations": chunk}),
            "application/scim+json",
        )
        .send_with_response()
        .await
}

/// `202 Accepted` with the n-th request id (0-based) and a `Location`.
fn accepted(n: usize) -> ResponseTemplate {
    ResponseTemplate::new(202)
        .insert_header("request-id", format!("rid-{n}").as_str())
        .insert_header("location", format!("https://logs.example/{n}").as_str())
}

/// A server answering the n-th bulk request with `script(n)`.
async fn scripted(
    script: impl Fn(usize) -> ResponseTemplate + Send + Sync + 'static,
) -> MockServer {
    let server = MockServer::start().await;
    let count = Arc::new(AtomicUsize::new(0));
    Mock::given(method("POST"))
        .and(path("/v1.0/bulkUpload"))
        .and(header("content-type", "application/scim+json"))
        .respond_with(move |_: &wiremock::Request| script(count.fetch_add(1, Ordering::SeqCst)))
        .mount(&server)
        .await;
    server
}

/// The `bulkId`s of each request the server received, in order.
async fn received(server: &MockServer) -> Vec<Vec<String>> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| {
            let body: Value = serde_json::from_slice(&r.body).unwrap();
            body["Operations"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["bulkId"].as_str().unwrap().to_owned())
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn operations_go_out_fifty_at_a_time_each_mapped_to_its_request() {
    let server = scripted(accepted).await;
    let client = builder(&format!("{}/v1.0", server.uri())).build().unwrap();
    let ops = operations(120);
    let result = Bulk::new(50)
        .send(&ops, async |chunk| send(&client, chunk).await)
        .await;

    let sent = received(&server).await;
    assert_eq!(sent.iter().map(Vec::len).collect::<Vec<_>>(), [50, 50, 20]);
    // In order, none lost or repeated.
    let flat: Vec<String> = sent.concat();
    assert_eq!(flat, (0..120).map(|i| i.to_string()).collect::<Vec<_>>());

    assert!(result.all_accepted());
    assert_eq!(result.requests.len(), 3);
    assert_eq!(result.requests[2].operations, 100..120);
    let receipt = result.requests[1].result.as_ref().unwrap();
    assert_eq!(receipt.status.as_u16(), 202);
    assert_eq!(receipt.request_id.as_deref(), Some("rid-1"));
    assert!(receipt.client_request_id.is_some());
    assert_eq!(result.operations.len(), 120);
    for (i, outcome) in result.operations.iter().enumerate() {
        let n = i / 50;
        assert_eq!(
            outcome,
            &OperationOutcome::Accepted {
                request: n,
                request_id: Some(format!("rid-{n}")),
                location: Some(format!("https://logs.example/{n}")),
            },
            "operation {i}"
        );
    }
}

#[tokio::test]
async fn a_throttled_request_is_sent_again_after_its_retry_after() {
    // The first answer is a 429; backoff alone would wait far longer than the server's
    // one second, so an accepted result means `Retry-After` was the wait used.
    let server = scripted(|n| match n {
        0 => ResponseTemplate::new(429).insert_header("retry-after", "1"),
        n => accepted(n),
    })
    .await;
    let policy = RetryPolicy::default()
        .max_attempts(3)
        .base_delay(Duration::from_secs(20))
        .max_delay(Duration::from_secs(30));
    let client = builder(&format!("{}/v1.0", server.uri()))
        .retry_policy(policy)
        .build()
        .unwrap();
    let ops = operations(3);
    let result = Bulk::new(50)
        .send(&ops, async |chunk| send(&client, chunk).await)
        .await;
    assert!(result.all_accepted(), "{result:?}");
    let receipt = result.requests[0].result.as_ref().unwrap();
    assert_eq!(receipt.attempts, 2);
    assert_eq!(receipt.request_id.as_deref(), Some("rid-1"));
    assert_eq!(received(&server).await.len(), 2);
    assert_eq!(result.retry_after(), None);
}

#[tokio::test]
async fn throttling_beyond_the_policy_stops_the_bulk_and_says_when_to_resume() {
    let server = scripted(|n| match n {
        0 => accepted(0),
        _ => ResponseTemplate::new(429)
            .insert_header("retry-after", "120")
            .insert_header("request-id", "rid-throttled"),
    })
    .await;
    let client = builder(&format!("{}/v1.0", server.uri())).build().unwrap();
    let ops = operations(5);
    let result = Bulk::new(2)
        .send(&ops, async |chunk| send(&client, chunk).await)
        .await;
    // The third request is never sent.
    assert_eq!(received(&server).await.len(), 2);
    assert_eq!(result.requests.len(), 2);
    assert!(matches!(
        result.operations[1],
        OperationOutcome::Accepted { request: 0, .. }
    ));
    assert_eq!(
        result.operations[2],
        OperationOutcome::Failed {
            request: 1,
            status: Some(graph_odata_runtime::http::StatusCode::TOO_MANY_REQUESTS),
            request_id: Some("rid-throttled".into()),
        }
    );
    assert_eq!(result.operations[4], OperationOutcome::NotSent);
    assert_eq!(result.not_accepted(), [2, 3, 4]);
    assert_eq!(result.retry_after(), Some(Duration::from_secs(120)));
}

#[tokio::test]
async fn a_rejected_request_fails_its_operations_only() {
    let server = scripted(|n| match n {
        1 => ResponseTemplate::new(400)
            .set_body_json(json!({"error": {"code": "BadRequest", "message": "no schemas"}})),
        n => accepted(n),
    })
    .await;
    let client = builder(&format!("{}/v1.0", server.uri())).build().unwrap();
    let ops = operations(7);
    let result = Bulk::new(3)
        .send(&ops, async |chunk| send(&client, chunk).await)
        .await;
    assert_eq!(received(&server).await.len(), 3);
    let failed: Vec<usize> = result.not_accepted();
    assert_eq!(failed, [3, 4, 5]);
    assert!(matches!(
        result.operations[4],
        OperationOutcome::Failed { request: 1, status: Some(s), .. } if s.as_u16() == 400
    ));
    assert!(matches!(
        result.operations[6],
        OperationOutcome::Accepted { request: 2, .. }
    ));
    let error = result.requests[1].result.as_ref().unwrap_err();
    assert_eq!(
        error.odata_error().map(|e| e.code.as_str()),
        Some("BadRequest")
    );
    assert_eq!(result.retry_after(), None);
}

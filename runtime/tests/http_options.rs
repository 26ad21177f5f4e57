//! Per-request options (timeout, retry policy, headers), `ConsistencyLevel` for Graph's
//! advanced queries, and optimistic concurrency (`@odata.etag`, `If-Match`, `412`),
//! against the in-process service on tokio's paused clock.

mod http_support;

use std::time::Duration;

use graph_odata_runtime::model::{etag, ODataObject};
use graph_odata_runtime::{Error, Method, Page, Request, RetryPolicy};
use http_support::{fast_retries, response, users, InProcess};
use serde_json::{json, Value};
use tokio::time::Instant;

#[tokio::test(start_paused = true)]
async fn a_request_timeout_and_retry_policy_replace_the_clients_for_that_request_only() {
    // Every answer hangs: only the timeout ends an attempt.
    let service = InProcess::start(|_| Vec::new());
    let client = service
        .builder()
        .timeout(Duration::from_secs(100))
        .retry_policy(fast_retries(3).max_total_time(Duration::from_secs(1000)))
        .build()
        .unwrap();
    let start = Instant::now();
    let err = Request::<Value>::json(&client, Method::GET, users())
        .timeout(Duration::from_secs(5))
        .retry_policy(RetryPolicy::none())
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(err.attempts(), 1);
    assert_eq!(start.elapsed(), Duration::from_secs(5));
    assert_eq!(service.requests().len(), 1);

    // The client's own settings are untouched: three attempts of 100 s each.
    let start = Instant::now();
    let err = Request::<Value>::json(&client, Method::GET, users())
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), 3);
    assert!(
        start.elapsed() >= Duration::from_secs(300),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test(start_paused = true)]
async fn a_request_may_retry_where_the_client_does_not() {
    let service = InProcess::scripted(|n| {
        if n < 2 {
            response(503, "text/plain", b"busy")
        } else {
            response(200, "application/json", b"{}")
        }
    });
    let client = service
        .builder()
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = Request::<Value>::json(&client, Method::GET, users())
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    let value = Request::<Value>::json(&client, Method::GET, users())
        .retry_policy(fast_retries(3))
        .await
        .unwrap();
    assert_eq!(value, json!({}));
    assert_eq!(service.requests().len(), 3);
}

#[tokio::test]
async fn a_request_header_replaces_a_client_header_for_that_request_only() {
    let service = InProcess::json("{}");
    let client = service.builder().header("x-tenant", "a").build().unwrap();
    Request::<Value>::json(&client, Method::GET, users())
        .header("x-tenant", "b")
        .await
        .unwrap();
    Request::<Value>::json(&client, Method::GET, users())
        .await
        .unwrap();
    let tenants: Vec<_> = service
        .requests()
        .iter()
        .map(|r| r.header("x-tenant").unwrap().to_owned())
        .collect();
    assert_eq!(tenants, ["b", "a"]);
}

/// The `ConsistencyLevel` header of each request, in order.
fn consistency(service: &InProcess) -> Vec<Option<String>> {
    service
        .requests()
        .iter()
        .map(|r| r.header("consistencylevel").map(str::to_owned))
        .collect()
}

const PAGE: &str = r#"{"value":[]}"#;

#[tokio::test]
async fn graph_gets_consistency_level_eventual_for_advanced_queries_only() {
    let service = InProcess::start(|request| {
        if request.target.contains("$count") && !request.target.contains("$count=") {
            response(200, "text/plain", b"7")
        } else {
            response(200, "application/json", PAGE.as_bytes())
        }
    });
    let client = service.builder().graph_service(true).build().unwrap();
    assert!(client.is_graph());
    let page = || Request::<Page<Value>>::page(&client, Method::GET, users());
    page().search("\"displayName:a\"").await.unwrap();
    page().count(true).await.unwrap();
    page().query("$COUNT", "TRUE").await.unwrap();
    assert_eq!(Request::dollar_count(&client, users()).await.unwrap(), 7);
    page().await.unwrap();
    page().count(false).filter("a eq 1").await.unwrap();
    page()
        .search("\"displayName:a\"")
        .eventual_consistency(false)
        .await
        .unwrap();
    let eventual = Some("eventual".to_owned());
    assert_eq!(
        consistency(&service),
        [
            eventual.clone(),
            eventual.clone(),
            eventual.clone(),
            eventual,
            None,
            None,
            None
        ]
    );
}

#[tokio::test]
async fn other_services_never_get_consistency_level_unless_asked() {
    let service = InProcess::start(|request| {
        if request.target.ends_with("$count") {
            response(200, "text/plain", b"7")
        } else {
            response(200, "application/json", PAGE.as_bytes())
        }
    });
    let client = service.client();
    assert!(!client.is_graph());
    let page = || Request::<Page<Value>>::page(&client, Method::GET, users());
    page().search("a").await.unwrap();
    page().count(true).await.unwrap();
    Request::dollar_count(&client, users()).await.unwrap();
    page().eventual_consistency(true).await.unwrap();
    assert_eq!(
        consistency(&service),
        [None, None, None, Some("eventual".to_owned())]
    );
}

#[tokio::test]
async fn the_next_pages_of_a_search_keep_consistency_level() {
    let service = InProcess::scripted(|n| {
        let body = if n == 0 {
            r#"{"value":[1],"@odata.nextLink":"https://service.test/v1.0/users?$skiptoken=x"}"#
        } else {
            r#"{"value":[2]}"#
        };
        response(200, "application/json", body.as_bytes())
    });
    let client = service.builder().graph_service(true).build().unwrap();
    let pages = Request::<Page<u32>>::page(&client, Method::GET, users()).search("\"a\"");
    let items: Vec<u32> = futures_util::TryStreamExt::try_collect(pages.into_stream())
        .await
        .unwrap();
    assert_eq!(items, [1, 2]);
    assert_eq!(
        consistency(&service),
        [Some("eventual".to_owned()), Some("eventual".to_owned())]
    );
}

/// A minimal model the way generated ones are: declared fields, the rest in
/// `additional_properties`.
#[derive(Default, serde::Serialize)]
struct Task {
    title: Option<String>,
    #[serde(flatten)]
    additional_properties: serde_json::Map<String, Value>,
}

impl ODataObject for Task {
    fn read_property<'de, A: serde::de::MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<bool, A::Error> {
        if key == "title" {
            self.title = map.next_value()?;
            return Ok(true);
        }
        Ok(false)
    }

    fn additional_properties_mut(&mut self) -> &mut serde_json::Map<String, Value> {
        &mut self.additional_properties
    }
}

impl<'de> serde::Deserialize<'de> for Task {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        graph_odata_runtime::model::deserialize_object(deserializer)
    }
}

#[tokio::test]
async fn an_update_sends_the_entitys_etag_and_a_412_is_its_own_error() {
    let service = InProcess::scripted(|n| match n {
        0 => response(
            200,
            "application/json",
            br#"{"title":"plan","@odata.etag":"W/\"JzEtVGFzayAg\""}"#,
        ),
        _ => response(
            412,
            "application/json",
            br#"{"error":{"code":"PreconditionFailed","message":"changed"}}"#,
        ),
    });
    let client = service.client();
    let path = graph_odata_runtime::ODataPath::root()
        .segment("planner")
        .segment("tasks")
        .key("t1");
    let task: Task = Request::json(&client, Method::GET, path.clone())
        .await
        .unwrap();
    let version = task.etag().expect("an etag");
    assert_eq!(version, "W/\"JzEtVGFzayAg\"");
    assert_eq!(etag(&task).as_deref(), Some(version.as_str()));

    let err = Request::empty(&client, Method::PATCH, path.clone())
        .json_body(&json!({"title": "new"}))
        .if_match(&version)
        .await
        .unwrap_err();
    let Error::PreconditionFailed(e) = &err else {
        panic!("expected PreconditionFailed, got {err:?}");
    };
    assert_eq!(e.status.as_u16(), 412);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(412));
    assert_eq!(err.odata_error().unwrap().code, "PreconditionFailed");
    // Not retried: another attempt cannot succeed.
    assert_eq!(err.attempts(), 1);

    Request::<Value>::json(&client, Method::GET, path)
        .if_none_match(&version)
        .await
        .unwrap_err();
    let requests = service.requests();
    assert_eq!(requests[1].header("if-match"), Some("W/\"JzEtVGFzayAg\""));
    assert_eq!(
        requests[2].header("if-none-match"),
        Some("W/\"JzEtVGFzayAg\"")
    );
}

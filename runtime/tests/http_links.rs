//! Requests to absolute links the service handed out (`Request::at_url`,
//! `Request::from_url`) and delta rounds (`collect_delta`, `resume_delta`), against the
//! in-process service.

mod http_support;

use graph_odata_runtime::request::decode_json;
use graph_odata_runtime::{Error, Method, Page, Request};
use http_support::{response, users, InProcess};
use serde::Deserialize;

#[derive(Clone, Debug, Deserialize, PartialEq)]
struct User {
    id: String,
}

fn json(body: &str) -> Vec<u8> {
    response(200, "application/json", body.as_bytes())
}

/// A delta service: two pages in the first round, two in the resumed one.
fn delta_service() -> InProcess {
    InProcess::start(|request| {
        let body = match request.target.as_str() {
            "/v1.0/users/delta?$select=id" => {
                r#"{"value":[{"id":"1"},{"id":"2"}],"@odata.nextLink":"https://service.test/v1.0/users/delta?$skiptoken=a"}"#
            }
            "/v1.0/users/delta?$skiptoken=a" => {
                r#"{"value":[{"id":"3"}],"@odata.deltaLink":"https://service.test/v1.0/users/delta?$deltatoken=d1"}"#
            }
            "/v1.0/users/delta?$deltatoken=d1" => {
                r#"{"value":[{"id":"2","@removed":{"reason":"deleted"}}],"@odata.nextLink":"users/delta?$skiptoken=b","@odata.context":"https://service.test/v1.0/$metadata#users"}"#
            }
            "/v1.0/users/delta?$skiptoken=b" => {
                r#"{"value":[{"id":"4"}],"@odata.deltaLink":"https://service.test/v1.0/users/delta?$deltatoken=d2"}"#
            }
            "/v1.0/users/delta?$deltatoken=last" => r#"{"value":[{"id":"5"}]}"#,
            other => panic!("unexpected request {other}"),
        };
        json(body)
    })
}

fn delta_request(service: &InProcess) -> Request<Page<User>> {
    Request::page(&service.client(), Method::GET, users().segment("delta"))
        .select(["id"])
        .header("Prefer", "return=minimal")
}

#[tokio::test]
async fn a_delta_round_collects_every_page_and_the_delta_link() {
    let service = delta_service();
    let round = delta_request(&service).collect_delta().await.unwrap();
    let ids: Vec<_> = round.items.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["1", "2", "3"]);
    assert_eq!(
        round.delta_link,
        "https://service.test/v1.0/users/delta?$deltatoken=d1"
    );
    assert_eq!(service.requests().len(), 2);
}

#[tokio::test]
async fn a_stored_delta_link_resumes_typed_and_configured_like_the_first_round() {
    let service = delta_service();
    // Stored by an earlier run: only the link survives.
    let stored = "https://service.test/v1.0/users/delta?$deltatoken=d1";
    let round = delta_request(&service).resume_delta(stored).await.unwrap();
    let ids: Vec<_> = round.items.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["2", "4"]);
    assert_eq!(
        round.delta_link,
        "https://service.test/v1.0/users/delta?$deltatoken=d2"
    );
    let requests = service.requests();
    // The link is sent verbatim ($select is not added again) with the request's headers,
    // and the relative next link is resolved against the context URL.
    assert_eq!(
        requests
            .iter()
            .map(|r| r.target.as_str())
            .collect::<Vec<_>>(),
        [
            "/v1.0/users/delta?$deltatoken=d1",
            "/v1.0/users/delta?$skiptoken=b"
        ]
    );
    for request in &requests {
        assert_eq!(request.header("prefer"), Some("return=minimal"));
        assert_eq!(
            request.header("authorization"),
            Some("Bearer sekrit-token-0123456789")
        );
    }
}

#[tokio::test]
async fn a_round_without_a_delta_link_is_a_paging_error() {
    let service = delta_service();
    let err = delta_request(&service)
        .resume_delta("https://service.test/v1.0/users/delta?$deltatoken=last")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Paging(m) if m.contains("no @odata.deltaLink")),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_link_to_another_origin_is_refused_before_anything_is_sent() {
    let service = delta_service();
    for link in [
        "https://evil.example/v1.0/users/delta?$deltatoken=d1",
        "http://service.test/v1.0/users/delta?$deltatoken=d1",
        "https://service.test:8443/v1.0/users/delta",
    ] {
        let err = delta_request(&service)
            .resume_delta(link)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::InvalidRequest(m) if m.contains("refusing to send the access token")),
            "{link}: {err:?}"
        );
    }
    assert!(service.requests().is_empty());
}

#[tokio::test]
async fn an_allowed_next_link_host_may_be_resumed() {
    let service = InProcess::json(r#"{"value":[],"@odata.deltaLink":"https://pages.test/d3"}"#);
    let client = service
        .builder()
        .allowed_next_link_hosts(["pages.test"])
        .build()
        .unwrap();
    let round = Request::<Page<User>>::page(&client, Method::GET, users())
        .resume_delta("https://pages.test/v1.0/users/delta?$deltatoken=x")
        .await
        .unwrap();
    assert_eq!(round.delta_link, "https://pages.test/d3");
    assert_eq!(
        service.requests()[0].target,
        "/v1.0/users/delta?$deltatoken=x"
    );
}

#[tokio::test]
async fn from_url_resolves_service_relative_links() {
    let service = InProcess::json(r#"{"id":"t1"}"#);
    let client = service.client();
    for (link, target) in [
        // Graph writes links from the service root with a leading slash.
        ("/teams('t1')", "/v1.0/teams('t1')"),
        ("/v1.0/teams('t1')", "/v1.0/teams('t1')"),
        ("teams('t1')?$select=id", "/v1.0/teams('t1')?$select=id"),
        (
            "https://service.test/v1.0/teams('t1')#frag",
            "/v1.0/teams('t1')",
        ),
    ] {
        let user: User = Request::from_url(&client, Method::GET, link, decode_json::<User>)
            .await
            .unwrap();
        assert_eq!(user.id, "t1");
        assert_eq!(service.requests().last().unwrap().target, target, "{link}");
    }
    // Query option methods add nothing to a link.
    let request = Request::from_url(&client, Method::GET, "/teams", decode_json::<User>).top(3);
    assert_eq!(
        request.build().unwrap().url.as_str(),
        "https://service.test/v1.0/teams"
    );
}

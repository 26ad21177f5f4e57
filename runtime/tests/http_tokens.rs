//! Token caching that fits the token's lifetime, and claims challenges, against local
//! servers.

mod http_support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use graph_odata_runtime::{
    AccessToken, BoxFuture, Client, Error, Method, ODataPath, Request, RetryPolicy, TokenCredential,
};
use http_support::{fast_retries, CountingCredential, RawServer, TOKEN};
use serde_json::{json, Value};

fn me() -> ODataPath {
    ODataPath::root().segment("me")
}

async fn get(client: &Client) {
    Request::<()>::empty(client, Method::GET, me())
        .await
        .unwrap();
}

fn client(server: &RawServer, credential: &CountingCredential) -> Client {
    Client::builder(&server.base(), credential.clone())
        .retry_policy(fast_retries(1))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_short_token_is_reused_with_the_default_margin() {
    let server = RawServer::json("{}").await;
    // Four minutes: shorter than the default five-minute margin.
    let credential = CountingCredential::new(Duration::from_secs(240), Duration::ZERO);
    let client = client(&server, &credential);
    for _ in 0..20 {
        get(&client).await;
    }
    assert_eq!(credential.calls(), 1, "one token for all requests");
    let requests = server.requests();
    assert_eq!(requests.len(), 20);
    let expected = format!("Bearer {TOKEN}-1");
    assert!(requests
        .iter()
        .all(|r| r.header("authorization") == Some(expected.as_str())));
}

#[tokio::test]
async fn a_short_token_is_replaced_after_half_its_lifetime() {
    let server = RawServer::json("{}").await;
    let credential = CountingCredential::new(Duration::from_millis(1000), Duration::ZERO);
    let client = client(&server, &credential);
    get(&client).await;
    get(&client).await;
    assert_eq!(credential.calls(), 1);
    // Past half of the lifetime (the margin is 500 ms), before the expiry. Real time on
    // purpose, here and below: a token's expiry is a `SystemTime` (what credentials report),
    // which tokio's paused clock does not move, and the cache keeps to it so that a machine
    // that slept never uses a token that expired meanwhile.
    tokio::time::sleep(Duration::from_millis(650)).await;
    get(&client).await;
    assert_eq!(credential.calls(), 2);
    let last = server.requests().pop().unwrap();
    assert_eq!(
        last.header("authorization"),
        Some(format!("Bearer {TOKEN}-2").as_str())
    );
}

#[tokio::test]
async fn a_configured_margin_shorter_than_half_the_lifetime_wins() {
    let server = RawServer::json("{}").await;
    let credential = CountingCredential::new(Duration::from_millis(1000), Duration::ZERO);
    let client = Client::builder(&server.base(), credential.clone())
        .token_refresh_margin(Duration::from_millis(100))
        .retry_policy(fast_retries(1))
        .build()
        .unwrap();
    get(&client).await;
    tokio::time::sleep(Duration::from_millis(650)).await;
    get(&client).await;
    assert_eq!(
        credential.calls(),
        1,
        "still 350 ms before the 100 ms margin"
    );
}

#[tokio::test]
async fn an_already_expired_token_is_fetched_for_every_request() {
    let server = RawServer::json("{}").await;
    let credential = CountingCredential::new(Duration::ZERO, Duration::ZERO);
    let client = client(&server, &credential);
    for _ in 0..3 {
        get(&client).await;
    }
    assert_eq!(credential.calls(), 3);
}

// ---------------------------------------------------------------------------------------
// Claims challenges: a 401 with `WWW-Authenticate: Bearer ... claims="<base64>"`.

const CLAIMS: &str = r#"{"access_token":{"nbf":{"essential":true,"value":"1604106651"}}}"#;

/// A 401 claims challenge as Microsoft Graph sends it.
fn challenge() -> Vec<u8> {
    use base64::Engine as _;
    let claims = base64::engine::general_purpose::STANDARD.encode(CLAIMS);
    let body = br#"{"error":{"code":"InvalidAuthenticationToken","message":"Continuous access evaluation resulted in challenge"}}"#;
    let mut out = format!(
        "HTTP/1.1 401 Unauthorized\r\nwww-authenticate: Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", error=\"insufficient_claims\", claims=\"{claims}\"\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

/// A credential that hands out `plain-N` tokens, and `claims-N` tokens for claims, which it
/// records.
#[derive(Clone, Default)]
struct ClaimsCredential {
    calls: Arc<AtomicUsize>,
    claims: Arc<Mutex<Vec<String>>>,
}

impl ClaimsCredential {
    fn token(&self, kind: &str) -> AccessToken {
        let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        AccessToken::new(
            format!("{kind}-{n}"),
            SystemTime::now() + Duration::from_secs(3600),
        )
    }
}

impl TokenCredential for ClaimsCredential {
    fn get_token<'a>(&'a self, _: &'a [String]) -> BoxFuture<'a, Result<AccessToken, Error>> {
        let token = self.token("plain");
        Box::pin(async move { Ok(token) })
    }

    fn get_token_with_claims<'a>(
        &'a self,
        _: &'a [String],
        claims: &'a str,
    ) -> BoxFuture<'a, Result<AccessToken, Error>> {
        self.claims.lock().unwrap().push(claims.to_owned());
        let token = self.token("claims");
        Box::pin(async move { Ok(token) })
    }
}

#[tokio::test]
async fn a_claims_challenge_gets_a_token_with_the_claims_and_one_more_try() {
    // Challenges any token but one obtained with claims.
    let server = RawServer::start(|r| {
        if r.header("authorization")
            .is_some_and(|a| a.starts_with("Bearer claims-"))
        {
            http_support::response(200, "application/json", br#"{"ok":true}"#)
        } else {
            challenge()
        }
    })
    .await;
    let credential = ClaimsCredential::default();
    // No retries configured: answering a challenge is not a retry.
    let client = Client::builder(&server.base(), credential.clone())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let body = json!({"message": {"subject": "hi"}});
    let value: Value = Request::json(
        &client,
        Method::POST,
        me().action("microsoft.graph.sendMail"),
    )
    .json_body(&body)
    .await
    .unwrap();
    assert_eq!(value, json!({"ok": true}));
    assert_eq!(*credential.claims.lock().unwrap(), [CLAIMS]);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].header("authorization"), Some("Bearer plain-1"));
    assert_eq!(requests[1].header("authorization"), Some("Bearer claims-2"));
    assert_eq!(requests[1].body, requests[0].body, "the body is sent again");
    assert_eq!(
        requests[0].header("client-request-id"),
        requests[1].header("client-request-id")
    );

    // The token with the claims is cached for the next requests.
    get(&client).await;
    assert_eq!(credential.calls.load(Ordering::SeqCst), 2);
    assert_eq!(
        server.requests()[2].header("authorization"),
        Some("Bearer claims-2")
    );
}

#[tokio::test]
async fn a_second_claims_challenge_is_returned() {
    let server = RawServer::start(|_| challenge()).await;
    let credential = ClaimsCredential::default();
    let client = Client::builder(&server.base(), credential.clone())
        .retry_policy(fast_retries(4))
        .build()
        .unwrap();
    let err = Request::<Value>::json(&client, Method::GET, me())
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(err.attempts(), 2);
    assert_eq!(server.requests().len(), 2, "answered once, not in a loop");
    assert_eq!(credential.claims.lock().unwrap().len(), 1);
    assert_eq!(
        err.odata_error().map(|o| o.code.as_str()),
        Some("InvalidAuthenticationToken")
    );
}

#[tokio::test]
async fn a_credential_without_claims_support_gets_a_fresh_token() {
    // CountingCredential implements only get_token: the default asks it again.
    let server = RawServer::start(|r| {
        if r.header("authorization") == Some(&format!("Bearer {TOKEN}-1")) {
            challenge()
        } else {
            http_support::response(204, "application/json", b"")
        }
    })
    .await;
    let credential = CountingCredential::new(Duration::from_secs(3600), Duration::ZERO);
    let client = client(&server, &credential);
    get(&client).await;
    assert_eq!(credential.calls(), 2);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_401_without_claims_is_not_sent_again() {
    // `claims` that are not base64 of a JSON object ("not json") are no challenge.
    let server = RawServer::start(|_| {
        b"HTTP/1.1 401 Unauthorized\r\nwww-authenticate: Bearer error=\"invalid_token\", claims=\"bm90IGpzb24=\"\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_vec()
    })
    .await;
    let credential = ClaimsCredential::default();
    let client = Client::builder(&server.base(), credential.clone())
        .retry_policy(fast_retries(4))
        .build()
        .unwrap();
    let err = Request::<Value>::json(&client, Method::GET, me())
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), 1);
    assert_eq!(server.requests().len(), 1);
    assert!(credential.claims.lock().unwrap().is_empty());
}

#[tokio::test]
async fn another_origin_cannot_challenge_or_drop_the_token() {
    // A content download redirected to another origin (which gets no token) answers with a
    // claims challenge: ignored, and the cached token stays.
    let cdn = RawServer::start(|_| challenge()).await;
    let location = format!("http://{}/blob", cdn.addr);
    let server = RawServer::start(move |r| {
        if r.target.ends_with("/$value") {
            format!("HTTP/1.1 302 Found\r\nlocation: {location}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").into_bytes()
        } else {
            http_support::response(204, "application/json", b"")
        }
    })
    .await;
    let credential = ClaimsCredential::default();
    let client = Client::builder(&server.base(), credential.clone())
        .retry_policy(fast_retries(3))
        .build()
        .unwrap();
    let err = Request::media(
        &client,
        Method::GET,
        me().segment("photo").segment("$value"),
    )
    .await
    .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(err.attempts(), 1);
    assert!(credential.claims.lock().unwrap().is_empty());
    assert_eq!(cdn.requests()[0].header("authorization"), None);
    get(&client).await;
    assert_eq!(
        credential.calls.load(Ordering::SeqCst),
        1,
        "the token was kept"
    );
}

#[tokio::test]
async fn no_credential_sends_no_authorization_of_its_own() {
    use wiremock::matchers::{header, method};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    let anonymous = Client::builder(&server.uri(), graph_odata_runtime::NoCredential)
        .build()
        .unwrap();
    get(&anonymous).await;
    let requests = server.received_requests().await.unwrap();
    assert!(
        !requests[0].headers.contains_key("authorization"),
        "{:?}",
        requests[0].headers
    );

    // A service authenticated by its own header (Basic, an API key) gets exactly that.
    server.reset().await;
    Mock::given(method("GET"))
        .and(header("authorization", "Basic dXNlcjpwYXNz"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .expect(1)
        .mount(&server)
        .await;
    let basic = Client::builder(&server.uri(), graph_odata_runtime::NoCredential)
        .header("Authorization", "Basic dXNlcjpwYXNz")
        .build()
        .unwrap();
    get(&basic).await;
    server.verify().await;
}

//! Helpers shared by the `http_*` integration tests: clients with the test token, a raw
//! local server ([`RawServer`]), and an in-process service ([`InProcess`]) for tests that
//! run on tokio's paused clock.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use graph_odata_runtime::bytes::Bytes;
use graph_odata_runtime::{
    AccessToken, BoxFuture, Client, ClientBuilder, Error, ODataPath, RetryPolicy,
    StaticTokenCredential, TokenCredential, Transport, TransportError,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

pub const TOKEN: &str = "sekrit-token-0123456789";

/// `/users`, the collection most tests ask for.
pub fn users() -> ODataPath {
    ODataPath::root().segment("users")
}

/// Retries with tiny delays, so tests stay fast.
pub fn fast_retries(max_attempts: u32) -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(max_attempts)
        .base_delay(Duration::from_millis(5))
        .max_delay(Duration::from_millis(20))
        .max_total_time(Duration::from_secs(10))
}

/// A builder for `base` (e.g. `http://127.0.0.1:1234/v1.0`) with the static test token.
pub fn builder(base: &str) -> ClientBuilder {
    Client::builder(base, StaticTokenCredential::new(TOKEN)).retry_policy(fast_retries(3))
}

pub fn client(base: &str) -> Client {
    builder(base).build().expect("client")
}

/// A credential that counts its calls and hands out tokens valid for `lifetime`.
#[derive(Clone)]
pub struct CountingCredential {
    pub calls: Arc<AtomicUsize>,
    pub lifetime: Duration,
    pub delay: Duration,
}

impl CountingCredential {
    pub fn new(lifetime: Duration, delay: Duration) -> Self {
        CountingCredential {
            calls: Arc::new(AtomicUsize::new(0)),
            lifetime,
            delay,
        }
    }

    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

impl TokenCredential for CountingCredential {
    fn get_token<'a>(&'a self, scopes: &'a [String]) -> BoxFuture<'a, Result<AccessToken, Error>> {
        Box::pin(async move {
            assert!(!scopes.is_empty());
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            tokio::time::sleep(self.delay).await;
            Ok(AccessToken::new(
                format!("{TOKEN}-{n}"),
                SystemTime::now() + self.lifetime,
            ))
        })
    }
}

/// One request as a raw server received it.
#[derive(Clone, Debug)]
pub struct RawRequest {
    /// The request target exactly as sent (`/v1.0/users/a%2Fb?x=1`).
    pub target: String,
    pub method: String,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A minimal HTTP/1.1 server on 127.0.0.1 that records every request byte-exactly and
/// answers each with `respond(request)` (a complete response, sent before closing).
pub struct RawServer {
    pub addr: SocketAddr,
    pub requests: Arc<Mutex<Vec<RawRequest>>>,
}

impl RawServer {
    pub async fn start<F>(respond: F) -> Self
    where
        F: Fn(&RawRequest) -> Vec<u8> + Send + Sync + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let recorded = requests.clone();
        let respond = Arc::new(respond);
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let recorded = recorded.clone();
                let respond = respond.clone();
                tokio::spawn(async move {
                    let Some(request) = read_request(&mut socket).await else {
                        return;
                    };
                    let response = respond(&request);
                    recorded.lock().unwrap().push(request);
                    let _ = socket.write_all(&response).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        RawServer { addr, requests }
    }

    /// A server answering every request with `200` and a JSON body.
    pub async fn json(body: &'static str) -> Self {
        Self::start(move |_| response(200, "application/json", body.as_bytes())).await
    }

    pub fn base(&self) -> String {
        format!("http://{}/v1.0", self.addr)
    }

    pub fn requests(&self) -> Vec<RawRequest> {
        self.requests.lock().unwrap().clone()
    }

    pub fn targets(&self) -> Vec<String> {
        self.requests().into_iter().map(|r| r.target).collect()
    }
}

/// A complete HTTP/1.1 response with `Connection: close`.
pub fn response(status: u16, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<RawRequest> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos;
        }
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 || buf.len() > 1 << 20 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_owned();
    let target = first.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < len {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(RawRequest {
        target,
        method,
        headers,
        body,
    })
}

/// Turns a script of answers by position (`script(n)` for the n-th request, 0-based) into a
/// responder for [`RawServer::start`] or [`InProcess::start`].
pub fn nth(
    script: impl Fn(usize) -> Vec<u8> + Send + Sync + 'static,
) -> impl Fn(&RawRequest) -> Vec<u8> + Send + Sync + 'static {
    let count = AtomicUsize::new(0);
    move |_| script(count.fetch_add(1, Ordering::SeqCst))
}

type Responder = dyn Fn(&RawRequest) -> Vec<u8> + Send + Sync;

/// The service of a [`RawServer`] without the socket: a [`Transport`] that records each
/// request and answers it with `respond(request)` (the same raw HTTP/1.1 text; an empty
/// answer is never sent, so the attempt waits until its timeout). Nothing waits on I/O, so
/// tests using it run on tokio's paused clock (`#[tokio::test(start_paused = true)]`): the
/// client's waits (Retry-After, backoff, polling intervals, timeouts) pass at once and last
/// exactly what the client asked for, measured with `tokio::time::Instant`.
#[derive(Clone)]
pub struct InProcess {
    respond: Arc<Responder>,
    requests: Arc<Mutex<Vec<RawRequest>>>,
}

impl InProcess {
    /// The base URL of every in-process client.
    pub const BASE: &'static str = "https://service.test/v1.0";

    pub fn start(respond: impl Fn(&RawRequest) -> Vec<u8> + Send + Sync + 'static) -> Self {
        InProcess {
            respond: Arc::new(respond),
            requests: Arc::default(),
        }
    }

    /// A service answering every request with `200` and a JSON body.
    pub fn json(body: &'static str) -> Self {
        Self::start(move |_| response(200, "application/json", body.as_bytes()))
    }

    /// A service answering the n-th request (0-based) with `script(n)`.
    pub fn scripted(script: impl Fn(usize) -> Vec<u8> + Send + Sync + 'static) -> Self {
        Self::start(nth(script))
    }

    /// A [`builder`] for [`Self::BASE`] that sends through this service.
    pub fn builder(&self) -> ClientBuilder {
        builder(Self::BASE).transport(self.clone())
    }

    pub fn client(&self) -> Client {
        self.builder().build().expect("client")
    }

    pub fn requests(&self) -> Vec<RawRequest> {
        self.requests.lock().unwrap().clone()
    }
}

impl Transport for InProcess {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        let (parts, body) = request.into_parts();
        let recorded = RawRequest {
            target: parts
                .uri
                .path_and_query()
                .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned()),
            method: parts.method.as_str().to_owned(),
            headers: parts
                .headers
                .iter()
                .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
                .collect(),
            body: body.to_vec(),
        };
        let answer = (self.respond)(&recorded);
        self.requests.lock().unwrap().push(recorded);
        Box::pin(async move {
            if answer.is_empty() {
                std::future::pending::<()>().await;
            }
            Ok(parse_response(&answer))
        })
    }
}

/// The `http::Response` a raw HTTP/1.1 answer (as [`response`] writes it) stands for.
fn parse_response(raw: &[u8]) -> http::Response<Bytes> {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response head");
    let head = std::str::from_utf8(&raw[..end]).expect("an ASCII head");
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let mut response = http::Response::builder().status(status);
    for (name, value) in lines.filter_map(|l| l.split_once(':')) {
        response = response.header(name.trim(), value.trim());
    }
    response
        .body(Bytes::copy_from_slice(&raw[end + 4..]))
        .expect("a valid response")
}

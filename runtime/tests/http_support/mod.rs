//! Helpers shared by the `http_*` integration tests.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use graph_odata_runtime::{
    AccessToken, BoxFuture, Client, ClientBuilder, Error, RetryPolicy, StaticTokenCredential,
    TokenCredential,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

pub const TOKEN: &str = "sekrit-token-0123456789";

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

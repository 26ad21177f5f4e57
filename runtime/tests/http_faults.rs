//! The client against servers that misbehave on purpose: broken connections and bodies,
//! huge and invalid headers, 429 storms, silence, trickles, hostile next links and
//! redirects, awkward keys, and many concurrent tasks.
//!
//! Already covered elsewhere (not repeated here): a truncated JSON body and a 200 with an
//! HTML body (`http_behaviour::malformed_success_bodies_are_decode_errors`), a simple
//! paging loop and a next link to another host (`http_paging`), reserved characters and
//! CR/LF in keys (`http_paths::keys_with_reserved_characters_keep_the_path_shape`), 200
//! concurrent requests sharing one token (`http_behaviour::concurrent_requests_share_one_token_refresh`).

mod http_support;

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use graph_odata_runtime::error::BODY_EXCERPT_LIMIT;
use graph_odata_runtime::{
    Client, Error, Method, ODataLiteral, ODataPath, Page, Request, RetryPolicy, TransportErrorKind,
};
use http_support::{
    builder, client, fast_retries, response, users, CountingCredential, InProcess, RawServer, TOKEN,
};
use serde::Deserialize;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Debug, Deserialize, PartialEq)]
struct Item {
    id: u32,
}

// ---------------------------------------------------------------------------------------
// A server whose every connection runs a script: it gets the request head (as text) and
// the socket, and may write anything, slowly, partly, or nothing.

type Script =
    Arc<dyn Fn(usize, String, TcpStream) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

struct FaultServer {
    addr: SocketAddr,
    /// Connections accepted.
    connections: Arc<AtomicUsize>,
    /// Request heads received, in order.
    heads: Arc<Mutex<Vec<String>>>,
}

impl FaultServer {
    async fn start<F, Fut>(script: F) -> Self
    where
        F: Fn(usize, String, TcpStream) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let script: Script = Arc::new(move |n, head, socket| Box::pin(script(n, head, socket)));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let connections = Arc::new(AtomicUsize::new(0));
        let heads = Arc::new(Mutex::new(Vec::new()));
        let (c, h) = (connections.clone(), heads.clone());
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                c.fetch_add(1, Ordering::SeqCst);
                let (script, heads) = (script.clone(), h.clone());
                tokio::spawn(async move {
                    let Some(head) = read_head(&mut socket).await else {
                        return;
                    };
                    let n = {
                        let mut heads = heads.lock().unwrap();
                        heads.push(head.clone());
                        heads.len()
                    };
                    script(n, head, socket).await;
                });
            }
        });
        FaultServer {
            addr,
            connections,
            heads,
        }
    }

    fn base(&self) -> String {
        format!("http://{}/v1.0", self.addr)
    }

    fn requests(&self) -> usize {
        self.heads.lock().unwrap().len()
    }

    fn heads(&self) -> Vec<String> {
        self.heads.lock().unwrap().clone()
    }
}

/// Reads up to the end of the request head (requests here have no body worth reading).
async fn read_head(socket: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            return Some(String::from_utf8_lossy(&buf[..end]).into_owned());
        }
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 || buf.len() > 1 << 20 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// Writes `bytes` and closes the connection.
async fn send_and_close(mut socket: TcpStream, bytes: &[u8]) {
    let _ = socket.write_all(bytes).await;
    let _ = socket.shutdown().await;
}

/// A status line and headers (`Connection: close`), no body.
fn head(status: u16, headers: &[(&str, &str)]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status} X\r\nconnection: close\r\n").into_bytes();
    for (name, value) in headers {
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    out
}

/// The request target of a request head (`GET /v1.0/users HTTP/1.1` -> `/v1.0/users`).
fn target(head: &str) -> &str {
    head.split(' ').nth(1).unwrap_or("")
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.split("\r\n").skip(1).find_map(|line| {
        let (n, v) = line.split_once(':')?;
        n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

fn assert_no_token(err: &Error) {
    for text in [format!("{err}"), format!("{err:?}")] {
        assert!(!text.contains(TOKEN), "{text}");
    }
}

// ---------------------------------------------------------------------------------------
// Broken connections and bodies.

#[tokio::test]
async fn connection_closed_mid_body() {
    // Content-Length promises 1000 bytes; 100 arrive, then the connection closes.
    let server = FaultServer::start(|_, _, socket| async move {
        let mut bytes = head(
            200,
            &[
                ("content-type", "application/json"),
                ("content-length", "1000"),
            ],
        );
        bytes.extend_from_slice(&br#"{"value":["#.repeat(10)[..100]);
        send_and_close(socket, &bytes).await;
    })
    .await;
    let client = client(&server.base());
    let err = Request::<Value>::json(&client, Method::GET, users())
        .await
        .unwrap_err();
    match &err {
        Error::Transport { source, attempts } => {
            assert_eq!(source.kind(), TransportErrorKind::Body, "{err}");
            assert_eq!(*attempts, 3, "GET is retried");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.requests(), 3);
    assert_no_token(&err);
    // Not retried for POST: the first attempt may have taken effect.
    let err = Request::<Value>::json(&client, Method::POST, users())
        .json_body(&serde_json::json!({}))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Transport { attempts: 1, .. }),
        "{err:?}"
    );
    assert_eq!(server.requests(), 4);
}

#[tokio::test]
async fn chunked_body_cut_inside_a_chunk() {
    let server = FaultServer::start(|_, _, socket| async move {
        let mut bytes = head(
            200,
            &[
                ("content-type", "application/json"),
                ("transfer-encoding", "chunked"),
            ],
        );
        bytes.extend_from_slice(b"a\r\n{\"value\":[\r\n100\r\n{\"id\":1},");
        send_and_close(socket, &bytes).await;
    })
    .await;
    let client = builder(&server.base())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = Request::<Page<Item>>::page(&client, Method::GET, users())
        .await
        .unwrap_err();
    match &err {
        Error::Transport {
            source,
            attempts: 1,
        } => {
            assert_eq!(source.kind(), TransportErrorKind::Body, "{err}")
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn connection_closed_before_any_response() {
    let server = FaultServer::start(|_, _, socket| async move { drop(socket) }).await;
    let client = client(&server.base());
    let err = Request::<Value>::json(&client, Method::GET, users())
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Transport { attempts: 3, .. }),
        "{err:?}"
    );
    assert_eq!(server.requests(), 3);
}

#[tokio::test]
async fn garbage_instead_of_http() {
    for reply in [
        &b"this is not HTTP at all\r\n\r\n"[..],
        b"HTTP/1.1 abc Broken\r\n\r\n",
        b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\ncontent-length: 7\r\n\r\nhello",
        b"HTTP/1.1 200 OK\r\nbad header line\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nx-nul: a\0b\r\ncontent-length: 2\r\n\r\n{}",
    ] {
        let server = FaultServer::start(move |_, _, socket| async move {
            send_and_close(socket, reply).await;
        })
        .await;
        let client = builder(&server.base())
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap();
        let err = Request::<Value>::json(&client, Method::GET, users())
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::Transport { attempts: 1, .. }),
            "{:?}: {err:?}",
            String::from_utf8_lossy(reply)
        );
        assert_no_token(&err);
    }
}

// ---------------------------------------------------------------------------------------
// Huge bodies and headers with invalid values.

#[tokio::test]
async fn ten_megabyte_error_body_gives_a_bounded_excerpt() {
    const SIZE: usize = 10 << 20;
    // Plain text, and JSON whose OData error message alone is 10 MB.
    let server = FaultServer::start(|n, _, socket| async move {
        let body = if n == 1 {
            "E".repeat(SIZE).into_bytes()
        } else {
            format!(
                r#"{{"error":{{"code":"Huge","message":"{}"}}}}"#,
                "m".repeat(SIZE)
            )
            .into_bytes()
        };
        send_and_close(socket, &response(500, "application/json", &body)).await;
    })
    .await;
    let client = client(&server.base());
    for expect_odata in [false, true] {
        let err = Request::<Value>::json(&client, Method::GET, users())
            .await
            .unwrap_err();
        let Error::Http(e) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(e.status, 500);
        assert!(e.body_excerpt.len() <= BODY_EXCERPT_LIMIT + '…'.len_utf8());
        assert!(e.body_excerpt.ends_with('…'));
        assert_eq!(e.odata.is_some(), expect_odata);
        let display = err.to_string();
        assert!(display.len() < 1024, "{} bytes of Display", display.len());
        assert!(
            format!("{err:?}").len() < 16 * 1024 + e.odata.as_ref().map_or(0, |o| o.message.len())
        );
    }
}

#[tokio::test]
async fn error_body_larger_than_the_response_limit_keeps_the_status() {
    // A 503 from a proxy with a big HTML page, and a client with a small body limit: the
    // status must survive (it decides retries), with an excerpt of the page.
    let server = FaultServer::start(|n, _, socket| async move {
        let bytes = if n == 1 {
            response(
                503,
                "text/html",
                "<html>busy</html>".repeat(10_000).as_bytes(),
            )
        } else {
            response(200, "application/json", br#"{"id":7}"#)
        };
        send_and_close(socket, &bytes).await;
    })
    .await;
    let client = builder(&server.base())
        .max_response_size(64 * 1024)
        .build()
        .unwrap();
    let item: Item = Request::json(&client, Method::GET, users()).await.unwrap();
    assert_eq!(item, Item { id: 7 });
    assert_eq!(server.requests(), 2, "the 503 was retried");

    // A success body over the limit stays a BodyTooLarge error.
    let server = FaultServer::start(|_, _, socket| async move {
        send_and_close(
            socket,
            &response(200, "application/json", &vec![b' '; 100_000]),
        )
        .await;
    })
    .await;
    let client = builder(&server.base())
        .max_response_size(64 * 1024)
        .build()
        .unwrap();
    let err = Request::<Value>::json(&client, Method::GET, users())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport { source, .. } if source.kind() == TransportErrorKind::BodyTooLarge),
        "{err:?}"
    );
}

#[tokio::test]
async fn response_headers_with_invalid_values() {
    // obs-text (Latin-1 bytes) in headers is legal HTTP but not UTF-8: kept, never a panic.
    let server = FaultServer::start(|n, _, socket| async move {
        let bytes = match n {
            // An error whose request-id, content-type and Retry-After are not text.
            1 => b"HTTP/1.1 404 X\r\nconnection: close\r\nrequest-id: caf\xe9\r\ncontent-type: appl\xffication/json\r\nretry-after: \xff\xfe\r\ncontent-length: 2\r\n\r\n{}".to_vec(),
            // A success with a non-text content type and an undecodable body.
            _ => b"HTTP/1.1 200 X\r\nconnection: close\r\ncontent-type: text/\xe9\r\ncontent-length: 3\r\n\r\n\xff\xfe\xfd".to_vec(),
        };
        send_and_close(socket, &bytes).await;
    })
    .await;
    let client = client(&server.base());
    let err = Request::<Value>::json(&client, Method::GET, users())
        .await
        .unwrap_err();
    let Error::Http(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.status, 404);
    assert_eq!(e.headers["request-id"].as_bytes(), b"caf\xe9");
    assert!(err.to_string().contains("404"));
    let err = Request::<Value>::json(&client, Method::GET, users())
        .await
        .unwrap_err();
    let Error::Decode(d) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        d.content_type, None,
        "a content type that is not text is left out"
    );
    assert_eq!(d.body_excerpt, "\u{fffd}\u{fffd}\u{fffd}");
}

// ---------------------------------------------------------------------------------------
// 429 storms: bounded waits, then a clear error. On tokio's paused clock against the
// in-process service: what counts is how long the client waits, not the socket.

#[tokio::test(start_paused = true)]
async fn huge_retry_after_is_not_cut_short() {
    for (retry_after, at_least) in [
        ("1000000000", Duration::from_secs(1_000_000_000)),
        ("99999999999999999999999999", Duration::from_secs(u64::MAX)),
        (
            "Fri, 31 Dec 9999 23:59:59 GMT",
            Duration::from_secs(200 * 365 * 24 * 3600),
        ),
    ] {
        let server = InProcess::start(move |_| {
            head(
                429,
                &[("retry-after", retry_after), ("content-length", "0")],
            )
        });
        let policy = RetryPolicy::default()
            .max_attempts(5)
            .max_delay(Duration::from_millis(50))
            .max_total_time(Duration::from_secs(30));
        let client = server.builder().retry_policy(policy).build().unwrap();
        let start = tokio::time::Instant::now();
        let err = Request::<Value>::json(&client, Method::POST, users())
            .json_body(&serde_json::json!({}))
            .await
            .unwrap_err();
        // The server asked for far longer than max_delay: asking again early would only be
        // refused again, so the 429 comes back at once, with the wait on it.
        assert_eq!(start.elapsed(), Duration::ZERO, "{retry_after}");
        assert_eq!(err.status(), Some(http::StatusCode::TOO_MANY_REQUESTS));
        assert_eq!(err.attempts(), 1);
        assert_eq!(server.requests().len(), 1);
        let wait = err.retry_after().expect("the requested wait");
        assert!(wait >= at_least, "{retry_after}: {wait:?}");
        assert!(err.to_string().contains("retry after "), "{err}");
    }
}

#[tokio::test(start_paused = true)]
async fn storm_of_429_with_invalid_retry_after_backs_off() {
    for retry_after in [
        "-5",
        "1.5",
        "soon",
        "",
        "0x10",
        "١٢",
        "Mon, 99 Foo 2024 25:61:61 GMT",
    ] {
        let server = InProcess::start(move |_| {
            head(
                429,
                &[("retry-after", retry_after), ("content-length", "0")],
            )
        });
        let client = server
            .builder()
            .retry_policy(fast_retries(4))
            .build()
            .unwrap();
        let start = tokio::time::Instant::now();
        let err = Request::<Value>::json(&client, Method::GET, users())
            .await
            .unwrap_err();
        // Three backoffs of 5, 10 and 20 ms with jitter (half to all of each), rounded up
        // to the timer's millisecond: the unusable waits are ignored, the backoff is not.
        let took = start.elapsed();
        assert!(
            (Duration::from_millis(17)..Duration::from_millis(40)).contains(&took),
            "{retry_after:?}: {took:?}"
        );
        assert_eq!(err.attempts(), 4, "{retry_after:?}");
        assert_eq!(server.requests().len(), 4, "{retry_after:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn retry_after_beyond_the_total_budget_gives_up_at_once() {
    // A Retry-After that fits max_delay but ends after the total budget: no retry either.
    let server = InProcess::start(|_| head(429, &[("retry-after", "15"), ("content-length", "0")]));
    let client = server
        .builder()
        .retry_policy(
            RetryPolicy::default()
                .max_delay(Duration::from_secs(20))
                .max_total_time(Duration::from_secs(10)),
        )
        .build()
        .unwrap();
    let start = tokio::time::Instant::now();
    let err = Request::<Value>::json(&client, Method::GET, users())
        .await
        .unwrap_err();
    assert_eq!(start.elapsed(), Duration::ZERO);
    assert_eq!(err.attempts(), 1);
    let Error::Http(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.headers["retry-after"], "15");
    assert_eq!(
        e.retry_after(),
        Some(Duration::from_secs(15)),
        "the caller can see the wait"
    );
}

// ---------------------------------------------------------------------------------------
// Silence and trickles: the per-attempt timeout covers connecting, headers and the body.
// These run in real time on purpose: what they test is reqwest reading a real socket
// inside the client's timeout, and a paused clock would jump past the timeout while the
// runtime waits for the socket, which is not the behaviour under test.

#[tokio::test]
async fn a_server_that_never_answers() {
    // Accepts, reads the request, then holds the connection open forever.
    let server = FaultServer::start(|_, _, socket| async move {
        tokio::time::sleep(Duration::from_secs(3600)).await;
        drop(socket);
    })
    .await;
    let client = builder(&server.base())
        .timeout(Duration::from_millis(200))
        .retry_policy(fast_retries(2))
        .build()
        .unwrap();
    let start = Instant::now();
    let err = Request::<Value>::json(&client, Method::GET, users())
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(err.attempts(), 2);
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(server.requests(), 2);

    // A listener that never accepts: the kernel completes the handshake, nothing answers.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let client = builder(&format!("http://{}/v1.0", silent.local_addr().unwrap()))
        .timeout(Duration::from_millis(200))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let start = Instant::now();
    let err = Request::<Value>::json(&client, Method::POST, users())
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(start.elapsed() < Duration::from_secs(2));
}

/// A server that sends the head at once, then `body` one byte every `every`.
async fn trickle(body: &'static [u8], every: Duration) -> FaultServer {
    FaultServer::start(move |_, _, mut socket| async move {
        let len = body.len().to_string();
        let bytes = head(
            200,
            &[
                ("content-type", "application/json"),
                ("content-length", &len),
            ],
        );
        if socket.write_all(&bytes).await.is_err() {
            return;
        }
        for b in body {
            tokio::time::sleep(every).await;
            if socket.write_all(&[*b]).await.is_err() {
                return;
            }
        }
        let _ = socket.shutdown().await;
    })
    .await
}

#[tokio::test]
async fn slow_trickled_bodies() {
    // Slower than the timeout in total: a timeout, although bytes keep arriving.
    let server = trickle(
        // About 140 bytes, 20 ms apart: nearly 3 s in total, ten times the timeout.
        br#"{"id":1,"padding":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}"#,
        Duration::from_millis(20),
    )
    .await;
    let client = builder(&server.base())
        .timeout(Duration::from_millis(300))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let start = Instant::now();
    let err = Request::<Item>::json(&client, Method::GET, users())
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );

    // Within the timeout: the complete body, decoded.
    let server = trickle(br#"{"id":42}"#, Duration::from_millis(10)).await;
    let client = builder(&server.base())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let item: Item = Request::json(&client, Method::GET, users()).await.unwrap();
    assert_eq!(item, Item { id: 42 });
}

#[tokio::test]
async fn slow_trickled_headers() {
    let server = FaultServer::start(|_, _, mut socket| async move {
        for b in b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nx-slow: yyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\r\n\r\n{}" {
            tokio::time::sleep(Duration::from_millis(20)).await;
            if socket.write_all(&[*b]).await.is_err() {
                return;
            }
        }
    })
    .await;
    let client = builder(&server.base())
        .timeout(Duration::from_millis(300))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = Request::<Value>::json(&client, Method::GET, users())
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
}

// ---------------------------------------------------------------------------------------
// Paging that loops, and next links or redirects that lead elsewhere.

/// A paging server: `pages(target)` gives the JSON of the page at that target.
async fn pager(pages: impl Fn(&str) -> String + Send + Sync + 'static) -> FaultServer {
    let pages = Arc::new(pages);
    FaultServer::start(move |_, head, socket| {
        let body = pages(target(&head));
        async move { send_and_close(socket, &response(200, "application/json", body.as_bytes())).await }
    })
    .await
}

async fn collect(client: &Client) -> Vec<Result<Item, Error>> {
    Request::<Page<Item>>::page(client, Method::GET, users())
        .into_stream()
        .take(100) // a test bound: a working loop detection ends far earlier
        .collect()
        .await
}

#[tokio::test]
async fn paging_loop_through_three_relative_links() {
    // users -> a -> b -> c -> a: relative links, one of them `./`, one with a query.
    let server = pager(|target| {
        let (id, next) = match target {
            "/v1.0/users" => (1, "users/a"),
            "/v1.0/users/a" => (2, "./b"),
            "/v1.0/users/b" => (3, "c?x=1"),
            "/v1.0/users/c?x=1" => (4, "/v1.0/users/a"),
            _ => (99, ""),
        };
        format!(r#"{{"value":[{{"id":{id}}}],"@odata.nextLink":"{next}"}}"#)
    })
    .await;
    let results = collect(&client(&server.base())).await;
    let ids: Vec<u32> = results
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .map(|i| i.id)
        .collect();
    assert_eq!(ids, [1, 2, 3, 4]);
    assert!(
        matches!(results.last(), Some(Err(Error::Paging(m))) if m.contains("already visited")),
        "{results:?}"
    );
    assert_eq!(server.requests(), 4);
}

#[tokio::test]
async fn paging_loop_disguised_by_fragments() {
    // The same page again and again, each link with another `#fragment` (never sent to the
    // server, so it is the same request).
    let counter = Arc::new(AtomicUsize::new(0));
    let c = counter.clone();
    let server = pager(move |_| {
        let n = c.fetch_add(1, Ordering::SeqCst);
        format!(r#"{{"value":[{{"id":{n}}}],"@odata.nextLink":"users?$skiptoken=x#{n}"}}"#)
    })
    .await;
    let results = collect(&client(&server.base())).await;
    assert!(
        matches!(results.last(), Some(Err(Error::Paging(_)))),
        "{results:?}"
    );
    assert!(
        results.len() <= 3,
        "{} items before the loop was seen",
        results.len()
    );
    assert!(counter.load(Ordering::SeqCst) <= 2);
}

#[tokio::test]
async fn next_links_that_smuggle_another_host() {
    // A second listener that must never see a connection.
    let foreign = FaultServer::start(|_, _, socket| async move {
        send_and_close(
            socket,
            &response(200, "application/json", br#"{"value":[{"id":666}]}"#),
        )
        .await;
    })
    .await;
    let f = foreign.addr;
    let links = [
        format!("http://{f}/v1.0/users?$skiptoken=2"),
        format!("//{f}/v1.0/users"),
        format!("HTTP://{f}/v1.0/users"),
        "http://BASE@{F}/v1.0/users".replace("{F}", &f.to_string()),
        format!("http://{f}\\@BASE/v1.0/users"),
        format!("http://[::ffff:127.0.0.1]:{}/v1.0/users", f.port()),
        "https://BASE/v1.0/users".to_string(),
    ];
    for link in links {
        let server = FaultServer::start({
            let link = link.clone();
            move |_, _, socket| {
                let base = socket.local_addr().unwrap().to_string();
                let body = format!(
                    r#"{{"value":[{{"id":1}}],"@odata.nextLink":"{}"}}"#,
                    link.replace("BASE", &base).replace('\\', "\\\\")
                );
                async move {
                    send_and_close(socket, &response(200, "application/json", body.as_bytes()))
                        .await
                }
            }
        })
        .await;
        let results = collect(&client(&server.base())).await;
        assert_eq!(results.len(), 2, "{link}: {results:?}");
        assert!(
            matches!(&results[1], Err(Error::Paging(_))),
            "{link}: {results:?}"
        );
        assert_eq!(server.requests(), 1, "{link}");
    }
    // A connection there would have been answered, so counted, before the call returned.
    assert_eq!(
        foreign.connections.load(Ordering::SeqCst),
        0,
        "a connection reached the other host"
    );
}

#[tokio::test]
async fn redirects_to_another_host_are_refused_and_never_carry_the_token() {
    // Every redirect status, to another host: a JSON call is refused before anything
    // reaches the other host (`http_security.rs` has the body and download cases).
    let foreign = FaultServer::start(|_, _, socket| async move {
        send_and_close(socket, &response(200, "application/json", br#"{"id":5}"#)).await;
    })
    .await;
    let location = format!("http://{}/v1.0/stolen", foreign.addr);
    let server = FaultServer::start(move |n, _, socket| {
        let location = location.clone();
        async move {
            let status = [301, 302, 303, 307, 308][(n - 1) % 5];
            send_and_close(
                socket,
                &head(status, &[("location", &location), ("content-length", "0")]),
            )
            .await;
        }
    })
    .await;
    let client = client(&server.base());
    for _ in 0..5 {
        let result: Result<Item, Error> = Request::json(&client, Method::GET, users()).await;
        assert!(matches!(result, Err(Error::Redirect { .. })), "{result:?}");
    }
    // A request there would have been answered, so recorded, before the call returned.
    assert!(foreign.heads().is_empty(), "{:?}", foreign.heads());
    // The original server did get the token.
    assert!(server
        .heads()
        .iter()
        .all(|h| header(h, "authorization") == Some(&format!("Bearer {TOKEN}"))));
}

// ---------------------------------------------------------------------------------------
// Keys, alternate keys and function parameters with hostile characters: the path never
// changes shape, and decoding the segment gives the value back.

fn percent_decode(s: &str) -> Vec<u8> {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// Hand-picked hostile values, then pseudo-random strings over a hostile alphabet.
fn hostile_values() -> Vec<String> {
    let mut values: Vec<String> = [
        "/",
        "?",
        "#",
        "%",
        "'",
        "''",
        "..",
        ".",
        "",
        " ",
        "a/../../b",
        "../x",
        "%2e%2e",
        "%2F",
        "%",
        "%%",
        "%zz",
        "a b",
        "tab\there",
        "nul\0nul",
        "del\u{7f}",
        "esc\u{1b}[1m",
        "\r\nHost: evil",
        "\u{202e}rtl",
        "ü",
        "日本語",
        "😀",
        "a'b'c",
        "x=1&y=2",
        "(a)",
        "a,b",
        "a+b",
        "a;b",
        "\\",
        "\"",
        "`",
        "{}",
        "[]",
        "|",
        "^",
        "~",
        "@",
        "$value",
        "$ref",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let alphabet: Vec<char> = "/?#%'. \t\0\r\n\u{7f}aZ9-_~(),;=+&$@üß日😀\u{202e}\u{feff}\\\""
        .chars()
        .collect();
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..100 {
        let mut s = String::new();
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        for _ in 0..(seed >> 60) + 1 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            s.push(alphabet[(seed >> 33) as usize % alphabet.len()]);
        }
        values.push(s);
    }
    values
}

#[tokio::test]
async fn hostile_keys_alternate_keys_and_parameters_keep_the_path_shape() {
    let server = RawServer::json(r#"{"id":1}"#).await;
    let client = client(&server.base());
    let values = hostile_values();
    for v in &values {
        let paths = [
            users().key(v).segment("manager"),
            ODataPath::root().alternate_key("users", &[("userPrincipalName", v)]),
            users().operation(
                "microsoft.graph.f",
                &[("p", ODataLiteral::from(v.as_str()))],
            ),
        ];
        for path in paths {
            let _: Value = Request::json(&client, Method::GET, path).await.unwrap();
        }
    }
    let targets = server.targets();
    assert_eq!(targets.len(), values.len() * 3);
    for (v, t) in values.iter().zip(targets.chunks(3)) {
        for target in t {
            // Printable ASCII only, no query, no fragment, no dot segments.
            assert!(
                target.bytes().all(|b| b.is_ascii_graphic()),
                "{v:?}: {target}"
            );
            assert!(
                !target.contains('?') && !target.contains('#'),
                "{v:?}: {target}"
            );
            assert!(
                !target.split('/').any(|s| s == "." || s == ".."),
                "{v:?}: {target}"
            );
        }
        // /v1.0/users/<key>/manager, or /v1.0/users('<key>')/manager for "", ".", "..".
        let key = if matches!(v.as_str(), "" | "." | "..") {
            t[0].strip_prefix("/v1.0/users('")
                .and_then(|r| r.strip_suffix("')/manager"))
        } else {
            t[0].strip_prefix("/v1.0/users/")
                .and_then(|r| r.strip_suffix("/manager"))
        };
        let key = key.unwrap_or_else(|| panic!("{v:?}: {}", t[0]));
        assert!(!key.contains('/'), "{v:?}: {}", t[0]);
        assert_eq!(percent_decode(key), v.as_bytes(), "{v:?}: {}", t[0]);

        let quoted = v.replace('\'', "''");
        let alt = t[1]
            .strip_prefix("/v1.0/users(userPrincipalName='")
            .and_then(|r| r.strip_suffix("')"))
            .unwrap_or_else(|| panic!("{v:?}: {}", t[1]));
        assert_eq!(percent_decode(alt), quoted.as_bytes(), "{v:?}: {}", t[1]);
        let param = t[2]
            .strip_prefix("/v1.0/users/microsoft.graph.f(p='")
            .and_then(|r| r.strip_suffix("')"))
            .unwrap_or_else(|| panic!("{v:?}: {}", t[2]));
        assert_eq!(percent_decode(param), quoted.as_bytes(), "{v:?}: {}", t[2]);
    }
}

// ---------------------------------------------------------------------------------------
// Concurrency: one client, many tasks, a token that expires between two waves.

#[tokio::test]
async fn two_hundred_tasks_per_wave_one_refresh_per_expiry() {
    let server = RawServer::json(r#"{"id":1}"#).await;
    // Tokens live 1 s; no refresh margin; the credential is slow (50 ms), so every task
    // of a wave is waiting for the same refresh.
    let credential =
        CountingCredential::new(Duration::from_millis(1000), Duration::from_millis(50));
    let client = Client::builder(&server.base(), credential.clone())
        .token_refresh_margin(Duration::ZERO)
        .retry_policy(fast_retries(1))
        .build()
        .unwrap();
    for wave in 1..=2 {
        let tasks: Vec<_> = (0..200)
            .map(|i| {
                let client = client.clone();
                tokio::spawn(async move {
                    Request::<Item>::json(&client, Method::GET, users().key(&format!("{wave}-{i}")))
                        .await
                })
            })
            .collect();
        for task in tasks {
            assert_eq!(task.await.unwrap().unwrap(), Item { id: 1 });
        }
        assert_eq!(credential.calls(), wave, "one refresh per wave");
        if wave == 1 {
            // Real time on purpose: a token's expiry is a `SystemTime` (what credentials
            // report), which tokio's paused clock does not move.
            tokio::time::sleep(Duration::from_millis(1100)).await;
        }
    }
    let requests = server.requests();
    assert_eq!(requests.len(), 400);
    for (i, r) in requests.iter().enumerate() {
        let wave = r
            .target
            .strip_prefix("/v1.0/users/")
            .unwrap()
            .split('-')
            .next()
            .unwrap();
        assert_eq!(
            r.header("authorization"),
            Some(format!("Bearer {TOKEN}-{wave}").as_str()),
            "request {i}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// A response the models cannot represent never loses data silently: what they do not
// declare round-trips through `additional_properties`; what does not fit a declared type
// is an error that names the JSON path of the field.

/// A model as csdl-codegen generates it (see generated/*/src/*/entity_types.rs).
#[derive(Debug, Clone, Default, PartialEq)]
struct User {
    id: Option<String>,
    age: Option<u8>,
    additional_properties: serde_json::Map<String, Value>,
}

impl serde::Serialize for User {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut object = graph_odata_runtime::model::ObjectSerializer::new(
            serializer,
            &self.additional_properties,
        )?;
        object.field("id", self.id.as_ref())?;
        object.field("age", self.age.as_ref())?;
        object.end()
    }
}

impl<'de> serde::Deserialize<'de> for User {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        graph_odata_runtime::model::deserialize_object(deserializer)
    }
}

impl graph_odata_runtime::model::ODataObject for User {
    fn read_property<'de, A: serde::de::MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<bool, A::Error> {
        match key {
            "id" => self.id = map.next_value()?,
            "age" => self.age = map.next_value()?,
            _ => return Ok(false),
        }
        Ok(true)
    }
    fn additional_properties_mut(&mut self) -> &mut serde_json::Map<String, Value> {
        &mut self.additional_properties
    }
}

#[tokio::test]
async fn unrepresentable_responses_round_trip_or_name_the_field() {
    let representable = r##"{"value":[{"id":"1","age":30,"@odata.type":"#x.user","future":{"deep":[1,2.5e300,null,"\u0000"]},"age@odata.type":"#Byte"}],"@odata.nextLink":null,"@odata.count":1}"##;
    let wrong_type =
        "{\"value\":[\n  {\"id\":\"1\",\"age\":30},\n  {\"id\":\"2\",\"age\":\"thirty\"}\n]}";
    let out_of_range = r#"{"value":[{"id":"1","age":300}]}"#;
    let server = FaultServer::start(move |n, _, socket| async move {
        let body = [representable, wrong_type, out_of_range][(n - 1).min(2)];
        send_and_close(socket, &response(200, "application/json", body.as_bytes())).await;
    })
    .await;
    let client = client(&server.base());

    let page = Request::<Page<User>>::page(&client, Method::GET, users())
        .await
        .unwrap();
    let user = &page.value[0];
    assert_eq!(user.age, Some(30));
    let original: Value = serde_json::from_str(representable).unwrap();
    assert_eq!(
        serde_json::to_value(user).unwrap(),
        original["value"][0],
        "the entity round-trips"
    );

    for (expected_path, says) in [
        ("$.value[1].age", "invalid type"),
        ("$.value[0].age", "invalid value"),
    ] {
        let err = Request::<Page<User>>::page(&client, Method::GET, users())
            .await
            .unwrap_err();
        let Error::Decode(d) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(d.path.as_deref(), Some(expected_path), "{err}");
        assert!(d.message.contains(says), "{err}");
        let text = err.to_string();
        assert!(text.contains(expected_path), "{text}");
    }
}

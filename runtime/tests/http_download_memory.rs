//! A 512 MiB download through `Request::download` keeps the process's peak resident memory
//! under 64 MiB (the old cap on buffered bodies): the body streams through, it is never
//! held whole. Alone in its test binary, so the peak (`VmHWM`) is this test's. Linux only
//! (`/proc/self/status`). Bounded by size, not timed.

#![cfg(target_os = "linux")]

mod http_support;

use graph_odata_runtime::{Method, ODataPath, Request};
use http_support::builder;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;

const SIZE: u64 = 512 * 1024 * 1024;
const LIMIT_KIB: u64 = 64 * 1024;

/// The process's peak resident set size, in KiB.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM")
}

/// A server on 127.0.0.1 that answers one request with `SIZE` bytes, written 64 KiB at a
/// time from one buffer.
async fn streaming_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            if socket.read(&mut byte).await.unwrap() == 0 {
                return;
            }
            head.push(byte[0]);
        }
        let header = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: {SIZE}\r\nconnection: close\r\n\r\n"
        );
        socket.write_all(header.as_bytes()).await.unwrap();
        let chunk: Vec<u8> = (0..64 * 1024).map(|i| (i % 251) as u8).collect();
        let mut left = SIZE;
        while left > 0 {
            let n = left.min(chunk.len() as u64) as usize;
            if socket.write_all(&chunk[..n]).await.is_err() {
                return;
            }
            left -= n as u64;
        }
        let _ = socket.shutdown().await;
    });
    format!("http://{addr}/v1.0")
}

#[tokio::test]
async fn a_512_mib_download_streams_in_constant_memory() {
    let base = streaming_server().await;
    let client = builder(&base).build().unwrap();
    let path = ODataPath::root()
        .segment("files")
        .key("big")
        .segment("content");
    let mut download = Request::media(&client, Method::GET, path)
        .download()
        .await
        .unwrap();
    let expected = |at: u64| ((at % (64 * 1024)) % 251) as u8;
    let mut received = 0u64;
    while let Some(chunk) = download.chunk().await {
        let chunk = chunk.unwrap();
        // The ends of each chunk are checked, so a reordered or wrong body is noticed.
        let last = received + chunk.len() as u64 - 1;
        assert_eq!(chunk[0], expected(received), "byte {received}");
        assert_eq!(chunk[chunk.len() - 1], expected(last), "byte {last}");
        received += chunk.len() as u64;
    }
    assert_eq!(received, SIZE);
    let peak = peak_rss_kib();
    assert!(
        peak < LIMIT_KIB,
        "peak resident memory {peak} KiB for a {SIZE}-byte download"
    );
    println!("peak resident memory: {peak} KiB");
}

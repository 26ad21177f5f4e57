//! The default transport asks for compressed responses and decodes gzip and deflate, with
//! the size cap counted after decompression. Local servers only.

mod http_support;

use std::io::Write;
use std::time::{Duration, Instant};

use flate2::write::{GzEncoder, ZlibEncoder};
use flate2::Compression;
use graph_odata_runtime::{Error, Media, Method, ODataPath, Request, TransportErrorKind};
use http_support::{builder, client, users, RawServer};
use serde_json::{json, Value};

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut e = ZlibEncoder::new(Vec::new(), Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// A 200 response with `content-encoding: encoding` and `body`.
fn encoded(encoding: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\ncontent-encoding: {encoding}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

#[tokio::test]
async fn gzip_and_deflate_responses_are_decoded() {
    let page = json!({"value": vec![json!({"id": "1", "displayName": "Ada"}); 50]});
    let plain = serde_json::to_vec(&page).unwrap();
    for (encoding, body) in [("gzip", gzip(&plain)), ("deflate", zlib(&plain))] {
        assert!(body.len() < plain.len());
        let server = RawServer::start(move |_| encoded(encoding, "application/json", &body)).await;
        let value: Value = Request::json(&client(&server.base()), Method::GET, users())
            .await
            .unwrap();
        assert_eq!(value, page, "{encoding}");
        let accept = server.requests()[0]
            .header("accept-encoding")
            .unwrap_or_default()
            .to_owned();
        assert!(
            accept.contains("gzip") && accept.contains("deflate"),
            "{accept}"
        );
    }
}

#[tokio::test]
async fn compressed_error_bodies_are_decoded_too() {
    let body = gzip(br#"{"error":{"code":"Request_ResourceNotFound","message":"Gone."}}"#);
    let server = RawServer::start(move |_| {
        let mut out = format!(
            "HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-encoding: gzip\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        )
        .into_bytes();
        out.extend_from_slice(&body);
        out
    })
    .await;
    let err = Request::<Value>::json(&client(&server.base()), Method::GET, users())
        .await
        .unwrap_err();
    assert_eq!(
        err.odata_error().map(|o| o.code.as_str()),
        Some("Request_ResourceNotFound")
    );
}

#[tokio::test]
async fn a_media_download_is_decoded_by_content_encoding_only() {
    // A gzip *file* (no Content-Encoding) stays as it is.
    let file = gzip(b"archive contents");
    let served = file.clone();
    let server =
        RawServer::start(move |_| http_support::response(200, "application/gzip", &served)).await;
    let media: Media = Request::media(
        &client(&server.base()),
        Method::GET,
        ODataPath::root().segment("content"),
    )
    .await
    .unwrap();
    assert_eq!(media.bytes, file);
}

#[tokio::test]
async fn a_decompression_bomb_hits_the_size_cap() {
    // 64 MiB of spaces compress to about 64 KiB; the cap is 1 MiB of decoded body.
    let bomb = {
        let mut e = GzEncoder::new(Vec::new(), Compression::best());
        let chunk = vec![b' '; 1 << 20];
        e.write_all(b"{\"value\":[]").unwrap();
        for _ in 0..64 {
            e.write_all(&chunk).unwrap();
        }
        e.write_all(b"}").unwrap();
        e.finish().unwrap()
    };
    assert!(bomb.len() < 1 << 20, "{} bytes", bomb.len());
    let server = RawServer::start(move |_| encoded("gzip", "application/json", &bomb)).await;
    let client = builder(&server.base())
        .max_response_size(1 << 20)
        .build()
        .unwrap();
    let start = Instant::now();
    let err = Request::<Value>::json(&client, Method::GET, users())
        .await
        .unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(5));
    assert!(
        matches!(&err, Error::Transport { source, .. } if source.kind() == TransportErrorKind::BodyTooLarge),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_corrupt_compressed_body_is_a_body_error() {
    let server = RawServer::start(|_| {
        encoded(
            "gzip",
            "application/json",
            b"\x1f\x8b\x08\x00garbage-not-gzip",
        )
    })
    .await;
    let err = Request::<Value>::json(&client(&server.base()), Method::GET, users())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport { source, .. } if source.kind() == TransportErrorKind::Body),
        "{err:?}"
    );
}

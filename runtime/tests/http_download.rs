//! Streamed downloads (`Request::download`): no size cap, the redirect rule of content
//! downloads, writing to a file, errors, and a stalled body; against local servers on
//! loopback and an in-process transport on tokio's paused clock.

mod http_support;

use std::time::Duration;

use futures_util::StreamExt as _;
use graph_odata_runtime::bytes::Bytes;
use graph_odata_runtime::transport::ByteStream;
use graph_odata_runtime::{
    BoxFuture, Error, Media, Method, ODataPath, Request, Transport, TransportError,
    TransportErrorKind,
};
use http_support::{builder, response, RawServer, TOKEN};

fn content() -> ODataPath {
    ODataPath::root()
        .segment("drives")
        .key("d")
        .segment("items")
        .key("1")
        .segment("content")
}

/// `len` bytes of a repeating pattern.
fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

#[tokio::test]
async fn a_download_is_not_capped_where_a_buffered_read_is() {
    let body = pattern(3 * 1024 * 1024 + 17);
    let served = body.clone();
    let server =
        RawServer::start(move |_| response(200, "application/octet-stream", &served)).await;
    let client = builder(&server.base())
        .max_response_size(1024 * 1024)
        .build()
        .unwrap();
    let err = Request::media(&client, Method::GET, content())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport { source, .. } if source.kind() == TransportErrorKind::BodyTooLarge),
        "{err:?}"
    );

    let mut download = Request::media(&client, Method::GET, content())
        .download()
        .await
        .unwrap();
    assert_eq!(download.status().as_u16(), 200);
    assert_eq!(download.content_type(), Some("application/octet-stream"));
    assert_eq!(download.content_length(), Some(body.len() as u64));
    let mut received = Vec::new();
    let mut chunks = 0;
    while let Some(chunk) = download.chunk().await {
        received.extend_from_slice(&chunk.unwrap());
        chunks += 1;
    }
    assert_eq!(received, body);
    assert!(chunks > 1, "the body came in one piece");
}

#[tokio::test]
async fn a_download_redirected_elsewhere_goes_without_the_token_and_is_saved_to_a_file() {
    let body = pattern(200_000);
    let served = body.clone();
    let storage =
        RawServer::start(move |_| response(200, "application/octet-stream", &served)).await;
    let blob = format!("http://{}/blob?sig=abc", storage.addr);
    let service = RawServer::start(move |_| {
        format!("HTTP/1.1 302 Found\r\nlocation: {blob}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
            .into_bytes()
    })
    .await;
    let client = builder(&service.base())
        .header("x-api-key", "k")
        .build()
        .unwrap();
    let path = std::env::temp_dir().join(format!("odata-download-{}.bin", std::process::id()));
    let written = Request::media(&client, Method::GET, content())
        .download()
        .await
        .unwrap()
        .save_to_file(&path)
        .await
        .unwrap();
    let saved = std::fs::read(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(written, body.len() as u64);
    assert_eq!(saved, body);

    let at_service = &service.requests()[0];
    assert_eq!(
        at_service.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    let at_storage = &storage.requests()[0];
    assert_eq!(at_storage.target, "/blob?sig=abc");
    assert_eq!(at_storage.header("authorization"), None);
    assert_eq!(at_storage.header("x-api-key"), None);
}

#[tokio::test]
async fn a_failed_download_is_the_services_error() {
    let server = RawServer::start(|_| {
        response(
            404,
            "application/json",
            br#"{"error":{"code":"itemNotFound","message":"no such item"}}"#,
        )
    })
    .await;
    let client = builder(&server.base()).build().unwrap();
    let err = Request::media(&client, Method::GET, content())
        .download()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(err.odata_error().unwrap().code, "itemNotFound");
}

/// Answers every request with a 200 whose body sends one chunk and then stalls.
struct Stalling;

impl Transport for Stalling {
    fn send(
        &self,
        _: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        Box::pin(std::future::pending())
    }

    fn send_streaming(
        &self,
        _: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<ByteStream>, TransportError>> {
        Box::pin(async {
            let body: ByteStream = Box::pin(
                futures_util::stream::once(async { Ok(Bytes::from_static(b"first")) })
                    .chain(futures_util::stream::pending()),
            );
            Ok(http::Response::new(body))
        })
    }
}

#[tokio::test(start_paused = true)]
async fn a_stalled_body_ends_after_the_timeout_without_data() {
    let client = builder("https://service.test/v1.0")
        .transport(Stalling)
        .build()
        .unwrap();
    let start = tokio::time::Instant::now();
    let mut download = Request::<Media>::media(&client, Method::GET, content())
        .timeout(Duration::from_secs(7))
        .download()
        .await
        .unwrap();
    assert_eq!(&download.chunk().await.unwrap().unwrap()[..], b"first");
    let err = download.chunk().await.unwrap().unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(start.elapsed(), Duration::from_secs(7));
    assert!(download.chunk().await.is_none());
}

//! Streamed downloads: a response body read chunk by chunk, with no size cap, so a file of
//! any size passes through a small, constant amount of memory.
//!
//! ```no_run
//! # async fn run(client: graph_odata_runtime::Client) -> Result<(), graph_odata_runtime::Error> {
//! use graph_odata_runtime::{Method, ODataPath, Request};
//!
//! let content = ODataPath::root().segment("me").segment("drive").segment("items")
//!     .key("01ABC").segment("content");
//! let written = Request::media(&client, Method::GET, content)
//!     .download()
//!     .await?
//!     .save_to_file("report.pdf")
//!     .await?;
//! # Ok(()) }
//! ```

use std::fmt;
use std::path::Path;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use futures_util::StreamExt as _;
use http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use http::{HeaderMap, StatusCode};
use tokio::io::{AsyncWrite, AsyncWriteExt as _};

use crate::client::Attempts;
use crate::error::Error;
use crate::request::{Media, Request};
use crate::request_info::RequestInfo;
use crate::transport::ByteStream;

impl Request<Media> {
    /// Sends the request and returns the answer as soon as its head arrived, the body to be
    /// read as a stream ([`Download`]), with no size cap
    /// ([`max_response_size`](crate::ClientBuilder::max_response_size) does not apply).
    /// Redirects follow the rule of content downloads: to another origin without the token
    /// and the client's headers. Retries (the retry policy) happen before the body starts;
    /// after that, each chunk must arrive within the per-attempt timeout.
    pub async fn download(self) -> Result<Download, Error> {
        let prepared = self.build()?;
        let response = self.client().execute_streaming(prepared).await?;
        let attempts = response.extensions().get::<Attempts>().map_or(1, |a| a.0);
        let request = response.extensions().get::<RequestInfo>().cloned();
        let (parts, body) = response.into_parts();
        Ok(Download {
            status: parts.status,
            headers: parts.headers,
            body,
            attempts,
            request,
        })
    }
}

/// A response whose body is still to be read ([`Request::download`]); a [`Stream`] of its
/// chunks.
pub struct Download {
    status: StatusCode,
    headers: HeaderMap,
    body: ByteStream,
    attempts: u32,
    request: Option<RequestInfo>,
}

impl Download {
    /// The status (a 2xx).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `Content-Type` header, if any.
    pub fn content_type(&self) -> Option<&str> {
        self.headers.get(CONTENT_TYPE)?.to_str().ok()
    }

    /// The size the service announced (`Content-Length`), if any (none for a compressed
    /// body, which is decoded while read).
    pub fn content_length(&self) -> Option<u64> {
        self.headers
            .get(CONTENT_LENGTH)?
            .to_str()
            .ok()?
            .parse()
            .ok()
    }

    /// The next chunk of the body, `None` at its end.
    pub async fn chunk(&mut self) -> Option<Result<Bytes, Error>> {
        self.next().await
    }

    /// Writes the whole body to `writer` (flushed at the end) and returns how many bytes
    /// were written.
    pub async fn write_to<W: AsyncWrite + Unpin>(mut self, writer: &mut W) -> Result<u64, Error> {
        let mut written = 0u64;
        while let Some(chunk) = self.next().await {
            let chunk = chunk?;
            writer
                .write_all(&chunk)
                .await
                .map_err(|e| write_error(&self, e))?;
            written += chunk.len() as u64;
        }
        writer.flush().await.map_err(|e| write_error(&self, e))?;
        Ok(written)
    }

    /// Writes the whole body to a new file at `path` (an existing one is replaced) and
    /// returns how many bytes were written. A failed download leaves the partial file.
    pub async fn save_to_file(self, path: impl AsRef<Path>) -> Result<u64, Error> {
        let path = path.as_ref();
        let io = |e| Error::Io {
            context: format!("cannot write the download to {}", path.display()),
            source: e,
        };
        let mut file = tokio::fs::File::create(path).await.map_err(io)?;
        let written = self.write_to(&mut file).await?;
        file.sync_all().await.map_err(io)?;
        Ok(written)
    }
}

fn write_error(download: &Download, e: std::io::Error) -> Error {
    let what = download
        .request
        .as_ref()
        .map_or_else(String::new, |r| format!(" of {r}"));
    Error::Io {
        context: format!("cannot write the download{what}"),
        source: e,
    }
}

impl Stream for Download {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let attempts = self.attempts;
        let request = self.request.clone();
        self.body.as_mut().poll_next(cx).map(|item| {
            item.map(|chunk| {
                chunk.map_err(|e| {
                    let e = match request {
                        Some(request) => e.with_request(request),
                        None => e,
                    };
                    Error::from_transport(e, attempts)
                })
            })
        })
    }
}

impl fmt::Debug for Download {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Download")
            .field("status", &self.status)
            .field("content_type", &self.content_type())
            .field("content_length", &self.content_length())
            .finish_non_exhaustive()
    }
}

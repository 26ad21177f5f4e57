//! Upload sessions: a large file sent in byte ranges to the session URL a service handed out
//! (Graph's `createUploadSession` answers with one).
//!
//! The session URL is pre-authenticated and usually on another host: the ranges go there
//! without the access token and without the client's default headers, whatever the URL.
//! Each range is a multiple of 320 KiB (Graph's rule; the last one may be shorter). A range
//! that fails is sent again by the client's retry policy; when that gives up, the session is
//! asked which bytes it still expects (`nextExpectedRanges`) and the upload goes on from
//! there, up to [`UploadSession::max_range_failures`] times. A byte is sent again only when
//! a range failed or the session asks for it again.
//!
//! ```no_run
//! # async fn run(client: graph_odata_runtime::Client, session_url: &str) -> Result<(), graph_odata_runtime::Error> {
//! use graph_odata_runtime::upload::UploadSession;
//!
//! let file = tokio::fs::File::open("video.mp4").await.expect("file");
//! let size = file.metadata().await.expect("metadata").len();
//! let item: serde_json::Value = UploadSession::new(&client, session_url)?
//!     .on_progress(|p| println!("{} of {} bytes", p.sent, p.total))
//!     .upload(file, size)
//!     .await?;
//! # Ok(()) }
//! ```

use std::fmt;
use std::io::SeekFrom;
use std::sync::Arc;

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, ACCEPT, CONTENT_RANGE, CONTENT_TYPE, USER_AGENT};
use http::{HeaderMap, Method, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncSeek, AsyncSeekExt as _};
use url::Url;

use crate::client::Client;
use crate::error::Error;
use crate::prepared::PreparedRequest;
use crate::request::decode_json;

/// The unit range sizes are multiples of: 320 KiB.
pub const RANGE_UNIT: usize = 320 * 1024;

/// The default range size: 10 MiB (32 units).
pub const DEFAULT_RANGE_SIZE: usize = 32 * RANGE_UNIT;

/// How far an upload has come; passed to [`UploadSession::on_progress`] after each range
/// the session accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UploadProgress {
    /// Bytes the session has (the start of the next range it expects).
    pub sent: u64,
    /// The file's size.
    pub total: u64,
}

/// What the session says it still expects (`GET` of the session URL).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct UploadStatus {
    /// The ranges still missing, as `(first, last)` byte positions; `last` is `None` for
    /// "to the end" (`"26-"`).
    pub next_expected_ranges: Vec<(u64, Option<u64>)>,
    /// `expirationDateTime`, as sent.
    pub expiration: Option<String>,
}

type ProgressFn = Arc<dyn Fn(UploadProgress) + Send + Sync>;

/// An upload to one session URL.
#[derive(Clone)]
pub struct UploadSession {
    client: Client,
    url: Url,
    range_size: usize,
    max_range_failures: u32,
    progress: Option<ProgressFn>,
}

impl UploadSession {
    /// An upload to `upload_url` (absolute `http`/`https`), sent through `client`'s
    /// transport, timeout and retry policy but never with its token or default headers.
    pub fn new(client: &Client, upload_url: &str) -> Result<Self, Error> {
        let url = Url::parse(upload_url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.has_host())
            .ok_or_else(|| {
                Error::InvalidRequest("the upload URL must be an absolute http(s) URL".into())
            })?;
        Ok(UploadSession {
            client: client.clone(),
            url,
            range_size: DEFAULT_RANGE_SIZE,
            max_range_failures: 5,
            progress: None,
        })
    }

    /// The size of each range: rounded down to a multiple of [`RANGE_UNIT`], at least one
    /// unit (default [`DEFAULT_RANGE_SIZE`]; Graph takes at most 60 MiB per range).
    pub fn range_size(mut self, bytes: usize) -> Self {
        self.range_size = (bytes / RANGE_UNIT).max(1) * RANGE_UNIT;
        self
    }

    /// How many times a range may fail for good (after the client's retries) before the
    /// upload gives up with that failure (default 5); each time the upload resumes from
    /// what the session expects.
    pub fn max_range_failures(mut self, n: u32) -> Self {
        self.max_range_failures = n;
        self
    }

    /// Calls `report` after each range the session accepted.
    pub fn on_progress(mut self, report: impl Fn(UploadProgress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(report));
        self
    }

    /// Uploads `total` bytes from `reader` (read from position 0), from the first byte, and
    /// decodes the session's last answer (the uploaded item) as `T`.
    pub async fn upload<T, R>(&self, reader: R, total: u64) -> Result<T, Error>
    where
        T: DeserializeOwned,
        R: AsyncRead + AsyncSeek + Unpin,
    {
        self.send_from(reader, total, (0, None), 0).await
    }

    /// Resumes an interrupted upload of the same `total` bytes: asks the session which
    /// bytes it still expects and sends only those.
    pub async fn resume<T, R>(&self, reader: R, total: u64) -> Result<T, Error>
    where
        T: DeserializeOwned,
        R: AsyncRead + AsyncSeek + Unpin,
    {
        let range = self.expected().await?;
        self.send_from(reader, total, range, 0).await
    }

    /// Asks the session which bytes it still expects.
    pub async fn status(&self) -> Result<UploadStatus, Error> {
        let response = self.client.execute(self.request(Method::GET, None)).await?;
        let value: Value = decode_json(response)?;
        Ok(UploadStatus {
            next_expected_ranges: value["nextExpectedRanges"]
                .as_array()
                .map(|ranges| {
                    ranges
                        .iter()
                        .filter_map(|r| parse_range(r.as_str()?))
                        .collect()
                })
                .unwrap_or_default(),
            expiration: value["expirationDateTime"].as_str().map(str::to_owned),
        })
    }

    /// Ends the session; the bytes sent so far are discarded.
    pub async fn cancel(&self) -> Result<(), Error> {
        self.client
            .execute(self.request(Method::DELETE, None))
            .await
            .map(drop)
    }

    /// The first range the session expects.
    async fn expected(&self) -> Result<(u64, Option<u64>), Error> {
        self.status()
            .await?
            .next_expected_ranges
            .first()
            .copied()
            .ok_or_else(|| Error::InvalidRequest("the upload session expects no more bytes".into()))
    }

    async fn send_from<T, R>(
        &self,
        mut reader: R,
        total: u64,
        mut range: (u64, Option<u64>),
        mut failures: u32,
    ) -> Result<T, Error>
    where
        T: DeserializeOwned,
        R: AsyncRead + AsyncSeek + Unpin,
    {
        if total == 0 {
            return Err(Error::InvalidRequest(
                "an upload session cannot take an empty file".into(),
            ));
        }
        loop {
            let (start, last) = range;
            if start >= total {
                return Err(Error::InvalidRequest(format!(
                    "the upload session expects byte {start} of a {total}-byte file"
                )));
            }
            let end = last.map_or(total, |l| l.saturating_add(1).min(total));
            let len = (end.saturating_sub(start))
                .min(self.range_size as u64)
                .max(1);
            let chunk = read_range(&mut reader, start, len).await?;
            let content_range = format!("bytes {start}-{}/{total}", start + len - 1);
            let mut request = self.request(Method::PUT, Some(chunk));
            if let Ok(value) = HeaderValue::try_from(content_range) {
                request.headers.insert(CONTENT_RANGE, value);
            }
            match self.client.execute(request).await {
                Ok(response) if response.status() == StatusCode::ACCEPTED => {
                    let value: Value = decode_json(response)?;
                    range = value["nextExpectedRanges"]
                        .as_array()
                        .and_then(|r| parse_range(r.first()?.as_str()?))
                        .unwrap_or((start + len, None));
                    self.report(range.0.min(total), total);
                }
                Ok(response) => {
                    self.report(total, total);
                    return decode_json(response);
                }
                Err(error) if failures < self.max_range_failures && recoverable(&error) => {
                    failures += 1;
                    tracing::debug!(start, len, failures, error = %error, "range failed; asking the session where to go on");
                    range = self.expected().await?;
                }
                Err(error) => return Err(error),
            }
        }
    }

    fn report(&self, sent: u64, total: u64) {
        if let Some(report) = &self.progress {
            report(UploadProgress { sent, total });
        }
    }

    /// A request to the session URL: no token, none of the client's headers.
    fn request(&self, method: Method, body: Option<Bytes>) -> PreparedRequest {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(USER_AGENT, self.client.user_agent().clone());
        if body.is_some() {
            headers.insert(
                CONTENT_TYPE,
                HeaderValue::from_static("application/octet-stream"),
            );
        }
        if let Ok(id) = HeaderValue::try_from(uuid::Uuid::new_v4().to_string()) {
            headers.insert(HeaderName::from_static("client-request-id"), id);
        }
        PreparedRequest::without_token(method, self.url.clone(), headers, body)
    }
}

impl fmt::Debug for UploadSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The path only: the session URL's query is a credential.
        f.debug_struct("UploadSession")
            .field(
                "url",
                &format!(
                    "{}{}",
                    self.url.origin().ascii_serialization(),
                    self.url.path()
                ),
            )
            .field("range_size", &self.range_size)
            .field("max_range_failures", &self.max_range_failures)
            .finish_non_exhaustive()
    }
}

/// Whether a failed range is worth resuming: the connection failed or timed out, the
/// session was busy or failed (`5xx`, `429`), or it already had some of the bytes (`416`).
fn recoverable(error: &Error) -> bool {
    match error {
        Error::Transport { .. } | Error::Timeout { .. } => true,
        Error::Http(e) => {
            e.status.is_server_error()
                || e.status == StatusCode::TOO_MANY_REQUESTS
                || e.status == StatusCode::RANGE_NOT_SATISFIABLE
        }
        _ => false,
    }
}

/// `"26-"` or `"26-99"`.
fn parse_range(text: &str) -> Option<(u64, Option<u64>)> {
    let (first, last) = text.split_once('-')?;
    let first = first.trim().parse().ok()?;
    let last = match last.trim() {
        "" => None,
        last => Some(last.parse().ok()?),
    };
    Some((first, last))
}

async fn read_range<R: AsyncRead + AsyncSeek + Unpin>(
    reader: &mut R,
    start: u64,
    len: u64,
) -> Result<Bytes, Error> {
    let io = |e| Error::Io {
        context: format!("cannot read bytes {start}.. of the file to upload"),
        source: e,
    };
    reader.seek(SeekFrom::Start(start)).await.map_err(io)?;
    let mut buf = vec![0; len as usize];
    reader.read_exact(&mut buf).await.map_err(io)?;
    Ok(Bytes::from(buf))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_parse_open_and_closed() {
        assert_eq!(parse_range("26-"), Some((26, None)));
        assert_eq!(parse_range("0-99"), Some((0, Some(99))));
        assert_eq!(parse_range("x-"), None);
        assert_eq!(parse_range("12"), None);
    }
}

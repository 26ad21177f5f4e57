//! The pluggable HTTP layer: [`Transport`] sends one fully built request and returns the
//! whole response. [`ReqwestTransport`] is the default.
//!
//! A transport does no retries, authentication or decoding; the [`Client`](crate::Client)
//! does those, and also enforces the per-attempt timeout around [`Transport::send`], so a
//! custom transport gets it too.

use std::fmt;
use std::time::Duration;

use bytes::{Bytes, BytesMut};

use crate::credential::BoxFuture;
use crate::error::BoxError;

/// Sends one HTTP request and reads the whole response.
///
/// Implementations must not panic, must return the response for every status (an error
/// status is not a transport error), and must not follow redirects: a `3xx` response goes
/// back to the [`Client`](crate::Client), which decides whether the next origin may receive
/// the token and the body.
pub trait Transport: Send + Sync {
    /// Sends `request` and returns the response with its complete body.
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>>;
}

impl<T: Transport + ?Sized> Transport for std::sync::Arc<T> {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        (**self).send(request)
    }
}

/// What kind of failure a [`TransportError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connection could not be made or broke before a response arrived (DNS, TCP, TLS,
    /// reset).
    Connect,
    /// The attempt took too long.
    Timeout,
    /// The response started but its body could not be read completely.
    Body,
    /// The response body was larger than the configured limit.
    BodyTooLarge,
    /// Anything else (an invalid request, a redirect loop, ...).
    Other,
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportErrorKind::Connect => "connection failed",
            TransportErrorKind::Timeout => "timed out",
            TransportErrorKind::Body => "reading the response body failed",
            TransportErrorKind::BodyTooLarge => "response body too large",
            TransportErrorKind::Other => "request failed",
        })
    }
}

/// An error reported by a [`Transport`].
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
    source: Option<BoxError>,
}

impl TransportError {
    /// Creates an error of `kind` described by `message`.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        TransportError {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// Attaches the underlying error.
    pub fn with_source(mut self, source: impl Into<BoxError>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// The description given when the error was created.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.message.is_empty() {
            write!(f, "{}", self.kind)
        } else {
            write!(f, "{}: {}", self.kind, self.message)
        }
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|e| &**e as &(dyn std::error::Error + 'static))
    }
}

/// The default largest response body [`ReqwestTransport`] reads: 64 MiB.
pub const DEFAULT_MAX_BODY_SIZE: usize = 64 * 1024 * 1024;

/// A [`Transport`] built on a [`reqwest::Client`] (rustls, HTTP/1.1 and HTTP/2).
///
/// Reads response bodies up to a size cap ([`DEFAULT_MAX_BODY_SIZE`] unless changed with
/// [`ReqwestTransport::max_body_size`]); a larger 2xx body is a
/// [`TransportErrorKind::BodyTooLarge`] error, a larger error body is cut at the cap (only an
/// excerpt of it is kept anyway).
#[derive(Clone, Debug)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    max_body_size: usize,
}

impl ReqwestTransport {
    /// A transport with a new `reqwest` client: the given connect timeout, redirects not
    /// followed (the [`Client`](crate::Client) follows them itself, because only it knows
    /// which origins may receive the token and the body).
    pub fn new(connect_timeout: Duration) -> Result<Self, crate::Error> {
        let client = reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| crate::Error::Config(format!("cannot build the HTTP client: {e}")))?;
        Ok(Self::from_client(client))
    }

    /// A transport using `client` as it is configured (proxy, TLS roots, pool, redirects).
    pub fn from_client(client: reqwest::Client) -> Self {
        ReqwestTransport {
            client,
            max_body_size: DEFAULT_MAX_BODY_SIZE,
        }
    }

    /// Sets the largest response body, in bytes, that is read.
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body_size = bytes;
        self
    }

    async fn send_inner(
        &self,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, TransportError> {
        let request = reqwest::Request::try_from(request).map_err(classify)?;
        let mut response = self.client.execute(request).await.map_err(classify)?;
        // Of an error response only an excerpt is kept: a body over the limit is cut there
        // instead of failing, so the status (which decides retries) is not lost.
        let cut_at_limit = !response.status().is_success();
        if let Some(len) = response.content_length() {
            if len > self.max_body_size as u64 && !cut_at_limit {
                return Err(too_large(self.max_body_size));
            }
        }
        let mut builder = http::Response::builder()
            .status(response.status())
            .version(response.version());
        if let Some(headers) = builder.headers_mut() {
            *headers = std::mem::take(response.headers_mut());
        }
        let mut body = BytesMut::new();
        while let Some(chunk) = response.chunk().await.map_err(classify)? {
            if body.len() + chunk.len() > self.max_body_size {
                if cut_at_limit {
                    body.extend_from_slice(&chunk[..self.max_body_size - body.len()]);
                    break;
                }
                return Err(too_large(self.max_body_size));
            }
            body.extend_from_slice(&chunk);
        }
        builder.body(body.freeze()).map_err(|e| {
            TransportError::new(TransportErrorKind::Other, "invalid response").with_source(e)
        })
    }
}

impl Transport for ReqwestTransport {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        Box::pin(self.send_inner(request))
    }
}

fn too_large(limit: usize) -> TransportError {
    TransportError::new(
        TransportErrorKind::BodyTooLarge,
        format!("the response body exceeds {limit} bytes"),
    )
}

fn classify(e: reqwest::Error) -> TransportError {
    let kind = if e.is_timeout() {
        TransportErrorKind::Timeout
    } else if e.is_connect() {
        TransportErrorKind::Connect
    } else if e.is_body() || e.is_decode() {
        TransportErrorKind::Body
    } else if e.is_request() {
        // Failures while sending (connection reset, HTTP/2 stream errors) that are not
        // flagged as connect errors.
        TransportErrorKind::Connect
    } else {
        TransportErrorKind::Other
    };
    // reqwest's message names the URL (never headers), so it is safe to keep.
    TransportError::new(kind, e.to_string()).with_source(e)
}

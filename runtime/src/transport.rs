//! The pluggable HTTP layer: [`Transport`] sends one fully built request and returns the
//! whole response (or, for downloads, its body as a stream). [`ReqwestTransport`] is the
//! default.
//!
//! A transport does no retries, authentication or decoding; the [`Client`](crate::Client)
//! does those, and also enforces the per-attempt timeout around [`Transport::send`], so a
//! custom transport gets it too.

use std::fmt;
use std::pin::Pin;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use futures_util::{StreamExt as _, TryStreamExt as _};

use crate::boxed::BoxFuture;
pub use crate::transport_error::{TransportError, TransportErrorKind};

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

    /// Sends `request` and returns the response as soon as its head arrived, with the body
    /// as a stream of chunks read on demand and not capped in size (streamed downloads).
    /// The default reads the whole body with [`send`](Self::send) and yields it as one
    /// chunk; [`ReqwestTransport`] streams.
    fn send_streaming(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<ByteStream>, TransportError>> {
        Box::pin(async move {
            let response = self.send(request).await?;
            Ok(response.map(|body| -> ByteStream {
                Box::pin(futures_util::stream::once(async move { Ok(body) }))
            }))
        })
    }
}

/// A response body read chunk by chunk ([`Transport::send_streaming`]).
pub type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes, TransportError>> + Send>>;

impl<T: Transport + ?Sized> Transport for std::sync::Arc<T> {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        (**self).send(request)
    }

    fn send_streaming(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<ByteStream>, TransportError>> {
        (**self).send_streaming(request)
    }
}

/// Which proxy the default transport uses.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum ProxySetting {
    /// The standard environment variables, read when the client is built.
    Environment,
    /// No proxy, whatever the environment says.
    Direct,
    /// This proxy for every request (an `http` or `https` URL, checked when set).
    Url(url::Url),
}

/// The proxy's scheme, host and port; never its user name or password.
impl fmt::Debug for ProxySetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProxySetting::Environment => f.write_str("Environment"),
            ProxySetting::Direct => f.write_str("Direct"),
            ProxySetting::Url(url) => write!(f, "Url({})", url.origin().ascii_serialization()),
        }
    }
}

/// The default largest response body [`ReqwestTransport`] reads: 64 MiB.
pub const DEFAULT_MAX_BODY_SIZE: usize = 64 * 1024 * 1024;

/// A [`Transport`] built on a [`reqwest::Client`] (rustls, HTTP/1.1 and HTTP/2).
///
/// Sends `Accept-Encoding: gzip, deflate` (unless the request sets its own) and decodes
/// `gzip` and `deflate` response bodies; the headers it returns then no longer carry
/// `Content-Encoding` and `Content-Length`. A body that does not decode is a
/// [`TransportErrorKind::Body`] error.
///
/// Reads response bodies up to a size cap ([`DEFAULT_MAX_BODY_SIZE`] unless changed with
/// [`ReqwestTransport::max_body_size`]), counted after decompression, so a small compressed
/// body cannot expand without bound; a larger 2xx body is a
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
    ///
    /// Proxies come from the environment, as [`ClientBuilder::proxy`](crate::ClientBuilder::proxy)
    /// describes.
    pub fn new(connect_timeout: Duration) -> Result<Self, crate::Error> {
        Self::configured(connect_timeout, &ProxySetting::Environment)
    }

    /// [`new`](Self::new) with the given proxy setting.
    pub(crate) fn configured(
        connect_timeout: Duration,
        proxy: &ProxySetting,
    ) -> Result<Self, crate::Error> {
        let mut builder = reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .redirect(reqwest::redirect::Policy::none());
        builder = match proxy {
            // reqwest reads the proxy variables when the client is built.
            ProxySetting::Environment => builder,
            ProxySetting::Direct => builder.no_proxy(),
            ProxySetting::Url(url) => builder.proxy(reqwest::Proxy::all(url.as_str()).map_err(
                // The URL is not echoed: it may hold a password.
                |_| crate::Error::Config("invalid proxy URL".into()),
            )?),
        };
        let client = builder
            .build()
            .map_err(|e| crate::Error::Config(format!("cannot build the HTTP client: {e}")))?;
        Ok(Self::from_client(client))
    }

    /// A transport using `client` as it is configured (proxy, TLS roots, pool). Build the
    /// client with `redirect(reqwest::redirect::Policy::none())`: reqwest follows redirects
    /// by default, and a [`Transport`] must not, or the [`Client`](crate::Client)'s rules
    /// on which origins may receive the token and the body are bypassed.
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

    /// Streams the body with no size cap ([`max_body_size`](Self::max_body_size) applies to
    /// [`send`](Transport::send) only); `gzip` and `deflate` are decoded as they arrive.
    fn send_streaming(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<ByteStream>, TransportError>> {
        Box::pin(async move {
            let request = reqwest::Request::try_from(request).map_err(classify)?;
            let mut response = self.client.execute(request).await.map_err(classify)?;
            let mut builder = http::Response::builder()
                .status(response.status())
                .version(response.version());
            if let Some(headers) = builder.headers_mut() {
                *headers = std::mem::take(response.headers_mut());
            }
            let body: ByteStream = Box::pin(response.bytes_stream().map_err(classify).boxed());
            builder.body(body).map_err(|e| {
                TransportError::new(TransportErrorKind::Other, "invalid response").with_source(e)
            })
        })
    }
}

fn too_large(limit: usize) -> TransportError {
    TransportError::new(
        TransportErrorKind::BodyTooLarge,
        format!("more than {limit} bytes"),
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
    // The kind says what failed and the source says how; reqwest's own message would repeat
    // the source, and its URL (query included) is left out: the client adds the method and
    // the path.
    TransportError::new(kind, "").with_source(e.without_url())
}

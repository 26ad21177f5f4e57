//! What a [`Transport`](crate::Transport) reports when it fails. Not in the transport
//! module: [`Error`](crate::Error) holds a `TransportError`, and the transport module
//! returns `Error`s (building the default transport), so with the type here both depend on
//! this module instead of on each other.

use std::fmt;

use crate::boxed::BoxError;
use crate::request_info::RequestInfo;

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
    /// Anything else (a request the HTTP library refused to send, an invalid response,
    /// ...).
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

/// An error reported by a [`Transport`](crate::Transport).
///
/// `Display` shows the kind and the message; the underlying error is the
/// [`source`](std::error::Error::source), not repeated in the message.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
    source: Option<BoxError>,
    request: Option<Box<RequestInfo>>,
}

impl TransportError {
    /// Creates an error of `kind` described by `message`.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        TransportError {
            kind,
            message: message.into(),
            source: None,
            request: None,
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

    /// The request that failed (method, URL path, `client-request-id`), set by the
    /// [`Client`](crate::Client).
    pub fn request(&self) -> Option<&RequestInfo> {
        self.request.as_deref()
    }

    pub(crate) fn with_request(mut self, request: RequestInfo) -> Self {
        self.request = Some(Box::new(request));
        self
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

//! The error type returned by every fallible operation of the HTTP client.
//!
//! [`Error`] is one enum whose variants tell apart where a request failed: before it was
//! sent ([`Error::InvalidRequest`], [`Error::Config`], [`Error::Credential`]), on the way
//! ([`Error::Transport`], [`Error::Timeout`], [`Error::Redirect`]), at the service
//! ([`Error::Http`]), while reading the answer ([`Error::Decode`]), while following pages
//! ([`Error::Paging`]) or while waiting for an operation to finish
//! ([`Error::PollExhausted`]).
//!
//! `Display` is one line that says each fact once and does not repeat the underlying
//! error, which [`source`](std::error::Error::source) returns; [`Error::report`] prints the
//! whole chain. Errors of sent requests name the request ([`Error::request`]: method, URL
//! path without the query, `client-request-id` and the service's `request-id`).
//!
//! No variant ever holds an access token: request headers are not kept in errors, and the
//! response headers and body excerpts come from the server.

use std::fmt;
use std::time::Duration;

use http::StatusCode;

pub use crate::boxed::BoxError;
use crate::request_info::RequestInfo;
use crate::transport_error::{TransportError, TransportErrorKind};

mod http_error;
mod json_path;
mod odata;
mod text;

pub use http_error::{DecodeError, HttpError};
pub use odata::{InnerError, ODataError, ODataErrorDetail};

pub(crate) use json_path::json_path_at;
pub(crate) use text::strip_bom;

/// The largest body excerpt, in bytes, kept in [`HttpError`] and [`DecodeError`].
pub const BODY_EXCERPT_LIMIT: usize = 4096;

/// Everything that can go wrong when building, sending or decoding a request.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The connection failed, or the response body could not be read (see
    /// [`TransportError::kind`]). `Display` shows the transport's kind and message;
    /// `source()` is the transport's underlying error.
    Transport {
        /// What the transport reported, and which request it was
        /// ([`TransportError::request`]).
        source: TransportError,
        /// How many attempts were made, retries included.
        attempts: u32,
    },
    /// An attempt took longer than the configured per-attempt timeout.
    Timeout {
        /// What the transport (or the client's own timer) reported.
        source: TransportError,
        /// How many attempts were made, retries included.
        attempts: u32,
    },
    /// The service answered with a status other than 2xx, or with a 2xx whose body is
    /// nothing but an OData error (`{"error": {...}}`).
    Http(Box<HttpError>),
    /// The service answered `412 Precondition Failed`: the entity no longer has the version
    /// a request's [`if_match`](crate::Request::if_match) named (someone else changed it),
    /// or [`if_none_match`](crate::Request::if_none_match) found one. Read the entity again
    /// for its new [`etag`](crate::model::etag) before retrying.
    PreconditionFailed(Box<HttpError>),
    /// The service answered 2xx, but the body was not what the request expected.
    Decode(Box<DecodeError>),
    /// The credential could not produce an access token.
    Credential {
        /// A description of the failure (never contains a token).
        message: String,
        /// The underlying error, if any.
        source: Option<BoxError>,
    },
    /// Following `@odata.nextLink` was refused: a link that is not a URL, a loop, or a link
    /// to a host that is not allowed to receive the access token.
    Paging(String),
    /// A redirect was refused: to another origin (a request with a body, or an API call,
    /// whose answer or body must not come from or go to another host), from `https` to
    /// `http`, or more than ten in a row. Only raw content downloads follow redirects to
    /// another origin, without the access token.
    Redirect {
        /// The redirect's status.
        status: StatusCode,
        /// Where it pointed: scheme, host, port and path (no query, which may hold secrets).
        location: String,
        /// Why it was refused.
        reason: &'static str,
    },
    /// The request could not be built or was refused before it was sent: an invalid
    /// header, a body or function argument that failed to serialize, an invalid URL, a URL
    /// whose origin may not receive the access token, a request a batch cannot hold.
    InvalidRequest(String),
    /// The client could not be built from its configuration.
    Config(String),
    /// Reading or writing local data failed: the file a download is saved to, the reader
    /// an upload sends from. `source()` is the I/O error.
    Io {
        /// What was being done (`writing the download to report.pdf`).
        context: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A long-running operation ([`Operation`](crate::operation::Operation)) ended without
    /// success: the service reported it `failed` (or another end state that is not success).
    OperationFailed {
        /// The status the service reported, verbatim (`failed`).
        status: String,
        /// The operation's error, when the service sent one (`code`, `message`).
        error: Option<crate::error::ODataErrorDetail>,
        /// The monitor URL's scheme, host and path (no query, which may hold secrets).
        monitor: String,
    },
    /// A long-running operation succeeded without saying where its resource is (no
    /// `resourceLocation`, redirect or `Content-Location`), and the request expects one.
    /// Some monitors report the resource's id instead (a drive item copy's `resourceId`:
    /// open it with the id, e.g. `items().by_id(resource_id)` of the target drive).
    ResourceNotLocated {
        /// The `resourceId` the monitor reported, if any.
        resource_id: Option<String>,
        /// The monitor URL's scheme, host and path (no query, which may hold secrets).
        monitor: String,
    },
    /// [`poll_until`](crate::poll::poll_until) gave up: the operation was not done within
    /// the [`PollPolicy`](crate::poll::PollPolicy)'s polls or time.
    PollExhausted {
        /// How many polls were made.
        polls: u32,
        /// How long polling took.
        elapsed: Duration,
    },
}

impl Error {
    /// Creates an [`Error::Credential`]; for implementors of
    /// [`TokenCredential`](crate::credential::TokenCredential). Keep `message` to what
    /// `source` does not already say.
    pub fn credential(
        message: impl Into<String>,
        source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) -> Self {
        Error::Credential {
            message: message.into(),
            source,
        }
    }

    /// The HTTP status of the response this error came from, if any.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Http(e) | Error::PreconditionFailed(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            _ => None,
        }
    }

    /// The parsed OData error body of an [`Error::Http`], if the service sent one.
    pub fn odata_error(&self) -> Option<&ODataError> {
        match self {
            Error::Http(e) | Error::PreconditionFailed(e) => e.odata.as_ref(),
            _ => None,
        }
    }

    /// How many attempts were made before this error was returned (`0` when the request
    /// was never sent).
    pub fn attempts(&self) -> u32 {
        match self {
            Error::Transport { attempts, .. } | Error::Timeout { attempts, .. } => *attempts,
            Error::Http(e) | Error::PreconditionFailed(e) => e.attempts,
            Error::Decode(e) => e.attempts,
            _ => 0,
        }
    }

    /// `true` for [`Error::Timeout`].
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// The request this error is about (method, URL path, correlation ids), for errors of
    /// requests that were sent.
    pub fn request(&self) -> Option<&RequestInfo> {
        match self {
            Error::Transport { source, .. } | Error::Timeout { source, .. } => source.request(),
            Error::Http(e) | Error::PreconditionFailed(e) => Some(e.request()),
            Error::Decode(e) => e.request(),
            _ => None,
        }
    }

    /// The service's `request-id` of the failed request (quote it in a support case).
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Http(e) | Error::PreconditionFailed(e) => e.request_id(),
            _ => self.request()?.request_id(),
        }
    }

    /// The `client-request-id` the client sent with the failed request.
    pub fn client_request_id(&self) -> Option<&str> {
        self.request()?.client_request_id()
    }

    /// How long the service asked to wait before trying again (`Retry-After` of a 429 or
    /// 503 the retry policy did not wait for; see [`HttpError::retry_after`]).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Http(e) => e.retry_after(),
            _ => None,
        }
    }

    /// This error and all its sources on one line, joined by `: `, each said once (a source
    /// whose text the line already holds is skipped):
    /// `GET /v1.0/users: connection failed: error sending request: tcp connect error:
    /// Connection refused (os error 111)`.
    pub fn report(&self) -> Report<'_> {
        Report(self)
    }

    /// The error for a service's answer: [`Error::PreconditionFailed`] for a `412`, else
    /// [`Error::Http`].
    pub(crate) fn from_http(error: HttpError) -> Self {
        if error.status == StatusCode::PRECONDITION_FAILED {
            Error::PreconditionFailed(Box::new(error))
        } else {
            Error::Http(Box::new(error))
        }
    }

    pub(crate) fn from_transport(source: TransportError, attempts: u32) -> Self {
        if source.kind() == TransportErrorKind::Timeout {
            Error::Timeout { source, attempts }
        } else {
            Error::Transport { source, attempts }
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Transport { source, attempts } | Error::Timeout { source, attempts } => {
                if let Some(request) = source.request() {
                    write!(f, "{request}: ")?;
                }
                write!(f, "{source}")?;
                if *attempts > 1 {
                    write!(f, " (after {attempts} attempts)")?;
                }
                Ok(())
            }
            Error::Http(e) | Error::PreconditionFailed(e) => e.fmt(f),
            Error::Decode(e) => e.fmt(f),
            Error::Credential { message, .. } => write!(f, "credential error: {message}"),
            Error::Paging(message) => write!(f, "paging error: {message}"),
            Error::Redirect {
                status,
                location,
                reason,
            } => write!(
                f,
                "refused to follow a {status} redirect to {location}: {reason}"
            ),
            Error::InvalidRequest(message) => write!(f, "invalid request: {message}"),
            Error::Config(message) => write!(f, "invalid client configuration: {message}"),
            Error::Io { context, .. } => write!(f, "{context}"),
            Error::OperationFailed {
                status,
                error,
                monitor,
            } => {
                write!(f, "the operation at {monitor} ended with status {status:?}")?;
                if let Some(error) = error {
                    write!(f, ": {}: {}", error.code, error.message)?;
                }
                Ok(())
            }
            Error::ResourceNotLocated {
                resource_id,
                monitor,
            } => {
                write!(
                    f,
                    "the operation at {monitor} succeeded without a location for its resource"
                )?;
                match resource_id {
                    Some(id) => write!(f, "; it reported the resource id {id:?}"),
                    None => Ok(()),
                }
            }
            Error::PollExhausted { polls, elapsed } => write!(
                f,
                "the operation was not done after {polls} poll(s) in {elapsed:.1?}"
            ),
        }
    }
}

impl std::error::Error for Error {
    /// For [`Error::Transport`] and [`Error::Timeout`], the transport's underlying error
    /// (the [`TransportError`] itself is what `Display` already shows); for
    /// [`Error::Credential`], its source; for [`Error::Io`], the I/O error.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } | Error::Timeout { source, .. } => {
                std::error::Error::source(source)
            }
            Error::Credential {
                source: Some(source),
                ..
            } => Some(&**source as &(dyn std::error::Error + 'static)),
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// An [`Error`] with its chain of sources; made by [`Error::report`].
pub struct Report<'a>(&'a Error);

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut line = self.0.to_string();
        let mut next = std::error::Error::source(self.0);
        while let Some(cause) = next {
            let text = cause.to_string();
            if !text.is_empty() && !line.contains(&text) {
                line.push_str(": ");
                line.push_str(&text);
            }
            next = cause.source();
        }
        f.write_str(&line)
    }
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

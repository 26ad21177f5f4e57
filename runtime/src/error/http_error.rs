//! Errors about a response that arrived: a non-2xx status ([`HttpError`]) or a 2xx body
//! that did not decode ([`DecodeError`]).

use std::fmt;
use std::time::Duration;

use http::{HeaderMap, Method, StatusCode};

use super::odata::ODataError;
use super::text::{elide, excerpt, one_line, short};
use crate::request_info::RequestInfo;

/// How much of a body excerpt `Debug` shows.
const DEBUG_EXCERPT: usize = 300;
/// How much of an OData error message `Display` and `Debug` show.
const MESSAGE_LIMIT: usize = 500;
/// The longest decoding message kept (serde quotes the offending value, which may be huge).
const DECODE_MESSAGE_LIMIT: usize = 1024;

/// A non-2xx response (or a 2xx one whose body is an OData error).
///
/// `Display` gives one line with each fact once: request, status, OData code and message
/// (or the start of the body), `request-id`, attempts and the requested wait. `Debug` is
/// short too; the whole excerpt and the headers are in the fields.
#[derive(Clone)]
#[non_exhaustive]
pub struct HttpError {
    /// The response status.
    pub status: StatusCode,
    /// The response headers (`request-id`, `Retry-After`, `WWW-Authenticate`, ...).
    pub headers: HeaderMap,
    /// The OData error body, when the body was one.
    pub odata: Option<ODataError>,
    /// The start of the body (at most [`BODY_EXCERPT_LIMIT`](super::BODY_EXCERPT_LIMIT)
    /// bytes, invalid UTF-8 replaced).
    pub body_excerpt: String,
    /// How many attempts were made, retries included.
    pub attempts: u32,
    request: RequestInfo,
    retry_after: Option<Duration>,
}

impl HttpError {
    pub(crate) fn from_response(
        status: StatusCode,
        headers: HeaderMap,
        body: &[u8],
        attempts: u32,
        request: RequestInfo,
    ) -> Self {
        HttpError {
            status,
            odata: ODataError::from_body(body),
            body_excerpt: excerpt(body),
            retry_after: crate::retry::retry_after(&headers),
            request: request.answered(&headers),
            headers,
            attempts,
        }
    }

    /// The request this response answered.
    pub fn request(&self) -> &RequestInfo {
        &self.request
    }

    /// The request's method.
    pub fn method(&self) -> &Method {
        self.request.method()
    }

    /// The request's URL path, without the query.
    pub fn path(&self) -> &str {
        self.request.path()
    }

    /// The service's id of the request: the `request-id` header, else the `request-id` of
    /// the OData `innerError`.
    pub fn request_id(&self) -> Option<&str> {
        self.request.request_id().or_else(|| {
            self.odata
                .as_ref()?
                .inner_error
                .as_ref()?
                .request_id
                .as_deref()
        })
    }

    /// The `client-request-id` the client sent.
    pub fn client_request_id(&self) -> Option<&str> {
        self.request.client_request_id()
    }

    /// How long the service asked to wait before trying again (`Retry-After`, in seconds or
    /// as an HTTP date, measured when the response arrived). The client retries only when
    /// this fits its [`RetryPolicy`](crate::RetryPolicy); otherwise the error comes back at
    /// once and the caller decides.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: HTTP {}", self.request, self.status)?;
        if let Some(odata) = &self.odata {
            if !odata.code.is_empty() {
                write!(f, ": {}", odata.code)?;
            }
            if !odata.message.is_empty() {
                write!(f, ": {}", one_line(short(&odata.message, MESSAGE_LIMIT)))?;
            }
        } else if !self.body_excerpt.is_empty() {
            write!(f, ": {}", one_line(short(&self.body_excerpt, 200)))?;
        }
        let mut notes = Vec::new();
        if let Some(id) = self.request_id() {
            notes.push(format!("request-id {id}"));
        }
        if self.attempts > 1 {
            notes.push(format!("after {} attempts", self.attempts));
        }
        if let Some(wait) = self.retry_after {
            notes.push(format!("retry after {}", seconds(wait)));
        }
        if !notes.is_empty() {
            write!(f, " ({})", notes.join(", "))?;
        }
        Ok(())
    }
}

impl fmt::Debug for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpError")
            .field("status", &self.status.as_u16())
            .field("request", &format_args!("{}", self.request))
            .field("request_id", &self.request_id())
            .field("client_request_id", &self.client_request_id())
            .field("attempts", &self.attempts)
            .field("retry_after", &self.retry_after)
            .field(
                "odata",
                &self.odata.as_ref().map(|o| {
                    format!(
                        "{}: {}",
                        short(&o.code, 100),
                        short(&o.message, MESSAGE_LIMIT)
                    )
                }),
            )
            .field("body_excerpt", &Excerpt(&self.body_excerpt))
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// A 2xx response whose body could not be decoded into the expected type.
#[derive(Clone)]
#[non_exhaustive]
pub struct DecodeError {
    /// The response status.
    pub status: StatusCode,
    /// The response `Content-Type`, if any.
    pub content_type: Option<String>,
    /// What failed, with the position (serde_json's message, e.g.
    /// ``invalid type: integer `1`, expected a string at line 1 column 20``); a long one
    /// keeps its start and its end.
    pub message: String,
    /// Where in the JSON document it failed, e.g. `$.value[3].createdDateTime` (for a
    /// missing field: the object that lacks it), when the body is JSON that far.
    pub path: Option<String>,
    /// The start of the body (at most [`BODY_EXCERPT_LIMIT`](super::BODY_EXCERPT_LIMIT)
    /// bytes, invalid UTF-8 replaced).
    pub body_excerpt: String,
    /// How many attempts the response took, retries included.
    pub attempts: u32,
    request: Option<RequestInfo>,
}

impl DecodeError {
    pub(crate) fn new(
        status: StatusCode,
        content_type: Option<String>,
        message: String,
        body: &[u8],
        attempts: u32,
        request: Option<RequestInfo>,
    ) -> Self {
        DecodeError {
            status,
            content_type,
            message: elide(&message, DECODE_MESSAGE_LIMIT),
            path: None,
            body_excerpt: excerpt(body),
            attempts,
            request,
        }
    }

    /// Attaches the JSON path of the failure.
    pub(crate) fn with_path(mut self, path: Option<String>) -> Self {
        self.path = path;
        self
    }

    /// The request the response answered (`None` when the response did not come through a
    /// [`Client`](crate::Client)).
    pub fn request(&self) -> Option<&RequestInfo> {
        self.request.as_ref()
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(request) = &self.request {
            write!(f, "{request}: ")?;
        }
        write!(f, "could not decode the HTTP {} response body", self.status)?;
        if let Some(path) = &self.path {
            write!(f, " at `{path}`")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(ct) = &self.content_type {
            write!(f, " (content-type {ct})")?;
        }
        Ok(())
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("status", &self.status.as_u16())
            .field("request", &self.request.as_ref().map(|r| format!("{r}")))
            .field("content_type", &self.content_type)
            .field("message", &self.message)
            .field("path", &self.path)
            .field("attempts", &self.attempts)
            .field("body_excerpt", &Excerpt(&self.body_excerpt))
            .finish()
    }
}

/// `Debug` of a body excerpt: its start, and its length when cut.
struct Excerpt<'a>(&'a str);

impl fmt::Debug for Excerpt<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let head = short(self.0, DEBUG_EXCERPT);
        if head.len() == self.0.len() {
            write!(f, "{head:?}")
        } else {
            write!(f, "{head:?}… ({} bytes)", self.0.len())
        }
    }
}

/// A wait in whole seconds, rounded up (`0s` for none).
pub(crate) fn seconds(wait: Duration) -> String {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    format!("{secs}s")
}

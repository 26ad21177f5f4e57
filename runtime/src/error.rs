//! The error type returned by every fallible operation of the HTTP client.
//!
//! [`Error`] is one enum whose variants tell apart where a request failed: before it was
//! sent ([`Error::InvalidRequest`], [`Error::Config`], [`Error::Credential`]), on the way
//! ([`Error::Transport`], [`Error::Timeout`]), at the service ([`Error::Http`]), while reading
//! the answer ([`Error::Decode`]) or while following pages ([`Error::Paging`]).
//!
//! No variant ever holds an access token: request headers are not kept in errors, and the
//! response headers and body excerpts come from the server.

use std::fmt;

use http::{HeaderMap, StatusCode};
use serde_json::{Map, Value};

use crate::transport::{TransportError, TransportErrorKind};

/// The largest body excerpt, in bytes, kept in [`HttpError`] and [`DecodeError`].
pub const BODY_EXCERPT_LIMIT: usize = 4096;

/// A boxed error usable as an error source.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Everything that can go wrong when building, sending or decoding a request.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The connection failed, or the response body could not be read (see
    /// [`TransportError::kind`]).
    #[error("transport error after {attempts} attempt(s): {source}")]
    Transport {
        /// What the transport reported.
        #[source]
        source: TransportError,
        /// How many attempts were made, retries included.
        attempts: u32,
    },
    /// An attempt took longer than the configured per-attempt timeout.
    #[error("request timed out after {attempts} attempt(s): {source}")]
    Timeout {
        /// What the transport (or the client's own timer) reported.
        #[source]
        source: TransportError,
        /// How many attempts were made, retries included.
        attempts: u32,
    },
    /// The service answered with a status other than 2xx.
    #[error("{0}")]
    Http(Box<HttpError>),
    /// The service answered 2xx, but the body was not what the request expected.
    #[error("{0}")]
    Decode(Box<DecodeError>),
    /// The credential could not produce an access token.
    #[error("credential error: {message}")]
    Credential {
        /// A description of the failure (never contains a token).
        message: String,
        /// The underlying error, if any.
        #[source]
        source: Option<BoxError>,
    },
    /// Following `@odata.nextLink` was refused: a loop, or a link to a host that is not
    /// allowed to receive the access token.
    #[error("paging error: {0}")]
    Paging(String),
    /// A redirect was refused: to another origin (a request with a body, or an API call,
    /// whose answer or body must not come from or go to another host), from `https` to
    /// `http`, or more than ten in a row. Only raw content downloads follow redirects to
    /// another origin, without the access token.
    #[error("refused to follow a {status} redirect to {location}: {reason}")]
    Redirect {
        /// The redirect's status.
        status: StatusCode,
        /// Where it pointed: scheme, host, port and path (no query, which may hold secrets).
        location: String,
        /// Why it was refused.
        reason: &'static str,
    },
    /// The request could not be built: an invalid header, a body that failed to serialize,
    /// an invalid URL.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The client could not be built from its configuration.
    #[error("invalid client configuration: {0}")]
    Config(String),
}

impl Error {
    /// Creates an [`Error::Credential`]; for implementors of
    /// [`TokenCredential`](crate::credential::TokenCredential).
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
            Error::Http(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            _ => None,
        }
    }

    /// The parsed OData error body of an [`Error::Http`], if the service sent one.
    pub fn odata_error(&self) -> Option<&ODataError> {
        match self {
            Error::Http(e) => e.odata.as_ref(),
            _ => None,
        }
    }

    /// How many attempts were made before this error was returned (`0` when the request
    /// was never sent).
    pub fn attempts(&self) -> u32 {
        match self {
            Error::Transport { attempts, .. } | Error::Timeout { attempts, .. } => *attempts,
            Error::Http(e) => e.attempts,
            Error::Decode(e) => e.attempts,
            _ => 0,
        }
    }

    /// `true` for [`Error::Timeout`].
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    pub(crate) fn from_transport(source: TransportError, attempts: u32) -> Self {
        if source.kind() == TransportErrorKind::Timeout {
            Error::Timeout { source, attempts }
        } else {
            Error::Transport { source, attempts }
        }
    }
}

/// A non-2xx response.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct HttpError {
    /// The response status.
    pub status: StatusCode,
    /// The response headers (`request-id`, `Retry-After`, `WWW-Authenticate`, ...).
    pub headers: HeaderMap,
    /// The OData error body, when the body was one.
    pub odata: Option<ODataError>,
    /// The start of the body (at most [`BODY_EXCERPT_LIMIT`] bytes, invalid UTF-8 replaced).
    pub body_excerpt: String,
    /// How many attempts were made, retries included.
    pub attempts: u32,
}

impl HttpError {
    pub(crate) fn from_response(
        status: StatusCode,
        headers: HeaderMap,
        body: &[u8],
        attempts: u32,
    ) -> Self {
        HttpError {
            status,
            odata: ODataError::from_body(body),
            body_excerpt: excerpt(body),
            headers,
            attempts,
        }
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        if let Some(odata) = &self.odata {
            write!(f, ": {odata}")?;
        } else if !self.body_excerpt.is_empty() {
            write!(f, ": {}", short(&self.body_excerpt, 200))?;
        }
        if self.attempts > 1 {
            write!(f, " (after {} attempts)", self.attempts)?;
        }
        Ok(())
    }
}

/// A 2xx response whose body could not be decoded into the expected type.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DecodeError {
    /// The response status.
    pub status: StatusCode,
    /// The response `Content-Type`, if any.
    pub content_type: Option<String>,
    /// What failed, with the position (serde_json's message, e.g.
    /// ``invalid type: integer `1`, expected a string at line 1 column 20``).
    pub message: String,
    /// Where in the JSON document it failed, e.g. `$.value[3].createdDateTime` (for a
    /// missing field: the object that lacks it), when the body is JSON that far.
    pub path: Option<String>,
    /// The start of the body (at most [`BODY_EXCERPT_LIMIT`] bytes, invalid UTF-8 replaced).
    pub body_excerpt: String,
    /// How many attempts the response took, retries included.
    pub attempts: u32,
}

impl DecodeError {
    pub(crate) fn new(
        status: StatusCode,
        content_type: Option<String>,
        message: String,
        body: &[u8],
        attempts: u32,
    ) -> Self {
        DecodeError {
            status,
            content_type,
            message,
            path: None,
            body_excerpt: excerpt(body),
            attempts,
        }
    }

    /// Attaches the JSON path of the failure.
    pub(crate) fn with_path(mut self, path: Option<String>) -> Self {
        self.path = path;
        self
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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

/// The JSON path (`$.value[3].name`) of the value that `body` has open at 1-based `line`
/// and byte `column` (a serde_json error position). With `container`, the path of the
/// object or array around that point instead (for "missing field" errors, reported after
/// the object's closing brace). `None` when the position is outside any value.
pub(crate) fn json_path_at(
    body: &[u8],
    line: usize,
    column: usize,
    container: bool,
) -> Option<String> {
    enum Frame {
        Object { key: Option<String>, want_key: bool },
        Array(usize),
    }
    let line_start = if line <= 1 {
        0
    } else {
        body.iter()
            .enumerate()
            .filter(|(_, &b)| b == b'\n')
            .nth(line - 2)
            .map(|(i, _)| i + 1)?
    };
    let mut end = (line_start + column).min(body.len());
    if container {
        // Step back over the closing bracket the error position is just after.
        while end > 0 && !matches!(body[end - 1], b'}' | b']') {
            end -= 1;
        }
        end = end.saturating_sub(1);
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < end {
        match body[i] {
            b'{' => stack.push(Frame::Object {
                key: None,
                want_key: true,
            }),
            b'[' => stack.push(Frame::Array(0)),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array(n)) => *n += 1,
                Some(Frame::Object { want_key, .. }) => *want_key = true,
                None => {}
            },
            b':' => {
                if let Some(Frame::Object { want_key, .. }) = stack.last_mut() {
                    *want_key = false;
                }
            }
            b'"' => {
                let start = i;
                i += 1;
                while i < body.len() && body[i] != b'"' {
                    i += if body[i] == b'\\' { 2 } else { 1 };
                }
                if let Some(Frame::Object {
                    key,
                    want_key: true,
                }) = stack.last_mut()
                {
                    *key = body
                        .get(start..=i)
                        .and_then(|quoted| serde_json::from_slice::<String>(quoted).ok());
                }
            }
            _ => {}
        }
        i += 1;
    }
    if stack.is_empty() {
        return None;
    }
    let last = stack.len() - 1;
    let mut path = String::from("$");
    for (depth, frame) in stack.iter().enumerate() {
        match frame {
            Frame::Array(n) => path.push_str(&format!("[{n}]")),
            // The key an object is at only counts once its value has started (and not at
            // all for the container itself).
            Frame::Object {
                key: Some(k),
                want_key,
            } if depth < last || !(*want_key || container) => {
                if !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                    path.push('.');
                    path.push_str(k);
                } else {
                    path.push_str(&format!("[{}]", Value::String(k.clone())));
                }
            }
            Frame::Object { .. } => {}
        }
    }
    Some(path)
}

/// An OData error body: `{"error": {"code": .., "message": .., "innerError": {..}}}`.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct ODataError {
    /// The service-defined error code, e.g. `Request_ResourceNotFound`.
    pub code: String,
    /// The human-readable message.
    pub message: String,
    /// The target of the error (a property name, ...), if given.
    pub target: Option<String>,
    /// Further errors, if given.
    pub details: Vec<ODataErrorDetail>,
    /// The `innerError` (or `innererror`) object, if given.
    pub inner_error: Option<InnerError>,
}

/// One entry of [`ODataError::details`].
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct ODataErrorDetail {
    /// The error code.
    pub code: String,
    /// The message.
    pub message: String,
    /// The target, if given.
    pub target: Option<String>,
}

/// The `innerError` of an OData error, with the fields Microsoft Graph fills in.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct InnerError {
    /// `request-id`: the service's id of the failed request (quote it in support cases).
    pub request_id: Option<String>,
    /// `client-request-id`: the id this client sent in the `client-request-id` header.
    pub client_request_id: Option<String>,
    /// `date`, as sent.
    pub date: Option<String>,
    /// The whole inner error object, as sent.
    pub raw: Map<String, Value>,
}

impl ODataError {
    /// Whether `body` is nothing but an OData error envelope (`{"error": {"code": ..,
    /// "message": ..}}`): a 2xx response with such a body is an error all the same.
    pub fn is_envelope(body: &[u8]) -> bool {
        let body = strip_bom(body);
        let trimmed = body.trim_ascii_start();
        if !trimmed.starts_with(b"{") {
            return false;
        }
        let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) else {
            return false;
        };
        map.len() == 1
            && map
                .get("error")
                .and_then(Value::as_object)
                .is_some_and(|e| {
                    e.get("code").is_some_and(Value::is_string)
                        || e.get("message").is_some_and(Value::is_string)
                })
    }

    /// Parses an OData error body. Returns `None` when the body is not JSON or has no
    /// `error` object; never fails otherwise (missing fields become empty strings).
    ///
    /// Also accepts OData v3 `{"odata.error": {"message": {"value": ..}}}` bodies.
    pub fn from_body(body: &[u8]) -> Option<Self> {
        let body = strip_bom(body);
        let value: Value = serde_json::from_slice(body).ok()?;
        let obj = value.get("error").or_else(|| value.get("odata.error"))?;
        let obj = obj.as_object()?;
        let details = obj
            .get("details")
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(Value::as_object)
                    .map(|d| ODataErrorDetail {
                        code: text(d.get("code")).unwrap_or_default(),
                        message: text(d.get("message")).unwrap_or_default(),
                        target: text(d.get("target")),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let inner_error = obj
            .get("innerError")
            .or_else(|| obj.get("innererror"))
            .and_then(Value::as_object)
            .map(|inner| InnerError {
                request_id: text(inner.get("request-id")),
                client_request_id: text(inner.get("client-request-id")),
                date: text(inner.get("date")),
                raw: inner.clone(),
            });
        Some(ODataError {
            code: text(obj.get("code")).unwrap_or_default(),
            message: text(obj.get("message")).unwrap_or_default(),
            target: text(obj.get("target")),
            details,
            inner_error,
        })
    }
}

impl fmt::Display for ODataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code)?;
        if !self.message.is_empty() {
            write!(f, ": {}", short(&self.message, 500))?;
        }
        if let Some(id) = self
            .inner_error
            .as_ref()
            .and_then(|i| i.request_id.as_ref())
        {
            write!(f, " (request-id {id})")?;
        }
        Ok(())
    }
}

/// A JSON value as text: strings as they are, numbers and booleans printed, OData v3
/// `{"lang": .., "value": ..}` messages unwrapped; `null`, arrays and other objects give `None`.
fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Object(o) => o.get("value").and_then(Value::as_str).map(str::to_owned),
        _ => None,
    }
}

pub(crate) fn strip_bom(body: &[u8]) -> &[u8] {
    body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body)
}

/// The first [`BODY_EXCERPT_LIMIT`] bytes of `body` as text, cut on a char boundary,
/// with `…` appended when cut.
pub(crate) fn excerpt(body: &[u8]) -> String {
    // Look at a few bytes more than the limit so a multi-byte char at the cut is seen whole.
    let head = &body[..body.len().min(BODY_EXCERPT_LIMIT + 4)];
    let text = String::from_utf8_lossy(head);
    if body.len() <= BODY_EXCERPT_LIMIT {
        return text.into_owned();
    }
    let mut out = short(&text, BODY_EXCERPT_LIMIT).to_owned();
    out.push('…');
    out
}

/// The longest prefix of `s` of at most `max` bytes that ends on a char boundary.
pub(crate) fn short(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_graph_error() {
        let body = br#"{"error":{"code":"Request_ResourceNotFound","message":"Resource 'x' does not exist.","innerError":{"date":"2024-01-01T00:00:00","request-id":"rid","client-request-id":"cid"}}}"#;
        let e = ODataError::from_body(body).unwrap();
        assert_eq!(e.code, "Request_ResourceNotFound");
        assert_eq!(e.message, "Resource 'x' does not exist.");
        let inner = e.inner_error.unwrap();
        assert_eq!(inner.request_id.as_deref(), Some("rid"));
        assert_eq!(inner.client_request_id.as_deref(), Some("cid"));
        assert_eq!(inner.date.as_deref(), Some("2024-01-01T00:00:00"));
        assert_eq!(inner.raw.len(), 3);
    }

    #[test]
    fn odd_error_bodies_do_not_fail() {
        assert!(ODataError::from_body(b"<html>").is_none());
        assert!(ODataError::from_body(b"{\"error\": 5}").is_none());
        assert!(ODataError::from_body(b"").is_none());
        let e = ODataError::from_body(
            br#"{"error":{"code":7,"details":[1,{"code":"c"}],"innererror":[]}}"#,
        )
        .unwrap();
        assert_eq!(e.code, "7");
        assert_eq!(e.details.len(), 1);
        assert!(e.inner_error.is_none());
        let v3 = ODataError::from_body(
            br#"{"odata.error":{"code":"x","message":{"lang":"en","value":"m"}}}"#,
        )
        .unwrap();
        assert_eq!(v3.message, "m");
    }

    /// The path serde_json's error position points at, as decode_json computes it.
    fn failing_path<T: serde::de::DeserializeOwned + fmt::Debug>(body: &str) -> Option<String> {
        let e = serde_json::from_str::<T>(body).unwrap_err();
        let missing = e.to_string().starts_with("missing field");
        json_path_at(body.as_bytes(), e.line(), e.column(), missing)
    }

    #[test]
    fn decode_failures_name_the_json_path() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Item {
            id: String,
            #[serde(default)]
            n: Option<u8>,
            #[serde(default)]
            tags: Vec<u32>,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Page {
            value: Vec<Item>,
        }
        let cases = [
            (
                r#"{"value":[{"id":"a"},{"id":"b","n":300}]}"#,
                "$.value[1].n",
            ),
            (
                r#"{"value":[{"id":"a","tags":[1,2,"x"]}]}"#,
                "$.value[0].tags[2]",
            ),
            ("{\n \"value\": [\n  {\"id\": 5}\n ]\n}", "$.value[0].id"),
            (r#"{"value":[{"id":"a"},{"n":1}]}"#, "$.value[1]"),
            (
                r#"{"value":[{"id":"a\"},{"},{"id":"b","n":-1}]}"#,
                "$.value[1].n",
            ),
            (r#"{"value":{"id":"a"}}"#, "$.value"),
            (r#"{"value":[{"id":"é😀","n":"7"}]}"#, "$.value[0].n"),
        ];
        for (body, path) in cases {
            assert_eq!(failing_path::<Page>(body).as_deref(), Some(path), "{body}");
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Odd {
            #[serde(rename = "@odata.count")]
            count: u32,
        }
        assert_eq!(
            failing_path::<Odd>(r#"{"@odata.count":"x"}"#).as_deref(),
            Some(r#"$["@odata.count"]"#)
        );
        // Syntax errors too: the place a truncated body stopped.
        assert_eq!(
            failing_path::<Page>(r#"{"value":[{"id":"a"},{"id":"b"#).as_deref(),
            Some("$.value[1].id")
        );
        assert_eq!(failing_path::<Page>("5"), None);
        assert_eq!(json_path_at(b"", 3, 9, false), None);
        // Any position in any prefix of a body: an answer, never a panic.
        let body = "{\"a\":[1,{\"b\\\"\":\"x\\\"y\"}],\n\"é\":{\"\":[[]]}}";
        for cut in 0..=body.len() {
            let prefix = &body.as_bytes()[..cut];
            for line in 0..4 {
                for column in 0..body.len() + 2 {
                    for container in [false, true] {
                        let _ = json_path_at(prefix, line, column, container);
                    }
                }
            }
        }
    }

    #[test]
    fn excerpt_is_bounded_and_char_safe() {
        let body = "é".repeat(5000);
        let e = excerpt(body.as_bytes());
        assert!(e.len() <= BODY_EXCERPT_LIMIT + '…'.len_utf8());
        assert!(e.ends_with('…'));
        assert_eq!(excerpt(b"short"), "short");
        assert_eq!(excerpt(&[0xff, b'a']), "\u{fffd}a");
        let exact = "a".repeat(BODY_EXCERPT_LIMIT);
        assert_eq!(excerpt(exact.as_bytes()), exact);
    }
}

//! Which request a response or an error belongs to.

use std::fmt;

use http::{HeaderMap, Method};
use url::Url;

/// The method and URL path of a sent request, and the ids that tie it to the service's logs.
///
/// Errors ([`Error::request`](crate::Error::request)) and successful responses
/// ([`Response::request`](crate::Response::request)) carry one. The query is never kept: it
/// may hold personal data or a signature.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestInfo {
    method: Method,
    path: String,
    client_request_id: Option<String>,
    request_id: Option<String>,
}

impl RequestInfo {
    /// The request as it is about to be sent: its `client-request-id` is read from `headers`.
    pub(crate) fn new(method: &Method, url: &Url, headers: &HeaderMap) -> Self {
        RequestInfo {
            method: method.clone(),
            path: url.path().to_owned(),
            client_request_id: header(headers, "client-request-id"),
            request_id: None,
        }
    }

    /// Adds what the response tells: its `request-id`, and the `client-request-id` it echoes
    /// when the request sent none.
    pub(crate) fn answered(mut self, headers: &HeaderMap) -> Self {
        self.request_id = header(headers, "request-id").or(self.request_id);
        if self.client_request_id.is_none() {
            self.client_request_id = header(headers, "client-request-id");
        }
        self
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The percent-encoded URL path (`/v1.0/users/a%40b.com`), without the query.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The `client-request-id` the client generated and sent (the same for every attempt).
    pub fn client_request_id(&self) -> Option<&str> {
        self.client_request_id.as_deref()
    }

    /// The `request-id` response header: the service's id of the request, to quote in a
    /// support case. `None` before a response arrived.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

/// `GET /v1.0/users`.
impl fmt::Display for RequestInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    let value = headers.get(name)?.to_str().ok()?.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

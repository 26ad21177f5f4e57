//! A decoded value together with the response it came from.

use std::fmt;
use std::time::Duration;

use http::{HeaderMap, StatusCode};

use crate::request_info::RequestInfo;

/// What [`Request::send_with_response`](crate::Request::send_with_response) returns: the
/// decoded value, the status and headers of the 2xx response (`request-id`, throttling
/// headers such as `x-ms-throttle-limit-percentage`, `Location`, `ETag`), and which request
/// it answered.
#[derive(Clone)]
#[non_exhaustive]
pub struct Response<T> {
    /// The decoded body.
    pub value: T,
    /// The response status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// How many attempts the request took, retries included.
    pub attempts: u32,
    request: RequestInfo,
}

impl<T> Response<T> {
    pub(crate) fn new(
        value: T,
        status: StatusCode,
        headers: HeaderMap,
        attempts: u32,
        request: RequestInfo,
    ) -> Self {
        Response {
            value,
            status,
            headers,
            attempts,
            request,
        }
    }

    /// The request this response answered (method, URL path, correlation ids).
    pub fn request(&self) -> &RequestInfo {
        &self.request
    }

    /// The service's `request-id` of this request.
    pub fn request_id(&self) -> Option<&str> {
        self.request.request_id()
    }

    /// The `client-request-id` the client sent.
    pub fn client_request_id(&self) -> Option<&str> {
        self.request.client_request_id()
    }

    /// The value of response header `name` (case-insensitive), if present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }

    /// The `Retry-After` of the response, if any (a 2xx may carry one, e.g. a `202
    /// Accepted` of a long-running operation saying when to poll).
    pub fn retry_after(&self) -> Option<Duration> {
        crate::retry::retry_after(&self.headers)
    }

    /// The decoded body alone.
    pub fn into_value(self) -> T {
        self.value
    }
}

/// Header names only: values are the server's, and may be long or sensitive (cookies).
impl<T: fmt::Debug> fmt::Debug for Response<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status.as_u16())
            .field("request", &format_args!("{}", self.request))
            .field("request_id", &self.request_id())
            .field("attempts", &self.attempts)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("value", &self.value)
            .finish()
    }
}

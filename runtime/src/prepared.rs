//! The request as it will be sent. Not in the request module: the client takes it
//! ([`Client::execute`](crate::Client::execute)) while [`Request`](crate::Request) holds a
//! client, so with the type here the request module depends on the client and not the
//! other way round.

use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Method};
use url::Url;

use crate::retry::RetryPolicy;

/// What [`Request::build`](crate::Request::build) produces: the request as it will be
/// sent, except for the `Authorization` header, which is added per attempt.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct PreparedRequest {
    /// The method.
    pub method: Method,
    /// The full URL, query included.
    pub url: Url,
    /// All headers but `Authorization`.
    pub headers: HeaderMap,
    /// The body, if any.
    pub body: Option<Bytes>,
    /// A download of raw content: made by [`Request::media`](crate::Request::media) and
    /// without a body (never read from the headers, which a user may change). It may follow
    /// a redirect to another origin (without the `Authorization` header), and its body is
    /// not read as an OData error. Every other request refuses cross-origin redirects.
    pub content_download: bool,
    /// The request has a `$select` query option (set by
    /// [`Request::select`](crate::Request::select) or a query option of that name, and kept
    /// by the next links of its pages; never found by searching the URL). Its answer may
    /// hold nothing but a property named `error`, which is then data, not an OData error.
    pub selects: bool,
    /// This request's own per-attempt timeout, replacing the client's
    /// ([`Request::timeout`](crate::Request::timeout)).
    pub timeout: Option<Duration>,
    /// This request's own retry policy, replacing the client's
    /// ([`Request::retry_policy`](crate::Request::retry_policy)).
    pub retry: Option<RetryPolicy>,
    /// Sent without the access token and without the client's default headers, to a URL of
    /// any origin: a pre-authenticated URL of another host (an upload session, a copy
    /// monitor). Such a request follows no redirect; a `3xx` is its answer.
    pub anonymous: bool,
}

impl PreparedRequest {
    /// A request to a pre-authenticated URL ([`anonymous`](Self::anonymous)): only the
    /// headers given, and `User-Agent`.
    pub(crate) fn without_token(
        method: Method,
        url: Url,
        headers: HeaderMap,
        body: Option<Bytes>,
    ) -> Self {
        PreparedRequest {
            method,
            url,
            headers,
            body,
            content_download: false,
            selects: false,
            timeout: None,
            retry: None,
            anonymous: true,
        }
    }

    /// Whether a 2xx body that is exactly an OData error envelope is that error: not for
    /// raw content (any bytes are data) nor for a `$select` (see
    /// [`selects`](Self::selects)). The client and a batch's answers use this one rule.
    pub(crate) fn envelope_is_error(&self) -> bool {
        !self.content_download && !self.selects
    }
}

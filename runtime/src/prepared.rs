//! The request as it will be sent. Not in the request module: the client takes it
//! ([`Client::execute`](crate::Client::execute)) while [`Request`](crate::Request) holds a
//! client, so with the type here the request module depends on the client and not the
//! other way round.

use bytes::Bytes;
use http::{HeaderMap, Method};
use url::Url;

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
    /// A download of raw content (`$value`, `Accept: */*`): it may follow a redirect to
    /// another origin (without the `Authorization` header), and its body is not read as an
    /// OData error. Every other request refuses cross-origin redirects.
    pub content_download: bool,
}

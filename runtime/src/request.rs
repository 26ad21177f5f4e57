//! One OData request: method, path, query options, headers, body, and how to decode the
//! answer. Built by generated request builders, sent with `.await` or [`Request::send`].

use std::fmt;
use std::future::IntoFuture;
use std::time::Duration;

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE, USER_AGENT};
use http::{HeaderMap, Method};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use url::Url;

use crate::boxed::BoxFuture;
use crate::client::Client;
use crate::error::{json_path_at, strip_bom, DecodeError, Error};
pub use crate::page::{Delta, Page};
use crate::path::ODataPath;
pub use crate::prepared::PreparedRequest;
use crate::request_info::RequestInfo;
use crate::response::Response;
use crate::retry::RetryPolicy;

/// Query names and values keep the unreserved characters and `$ ( ) , / : @ *` (readable
/// `$select=id,displayName`); everything else, `& = + # ' ;` and spaces included, is
/// percent-encoded.
const QUERY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'$')
    .remove(b'(')
    .remove(b')')
    .remove(b',')
    .remove(b'/')
    .remove(b':')
    .remove(b'@')
    .remove(b'*');

const JSON: &str = "application/json";

/// What a request asks the service for, fixed by its constructor: it sets the `Accept`
/// header, and the client reads it (through [`PreparedRequest::content_download`]) instead
/// of guessing from headers, which a user may change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Wants {
    /// A JSON answer (`Accept: application/json`): every constructor but the two below.
    Json,
    /// A `text/plain` number ([`Request::dollar_count`]).
    Count,
    /// Raw content, any media type (`Accept: */*`, [`Request::media`]).
    Content,
}

impl Wants {
    fn accept(self) -> &'static str {
        match self {
            Wants::Json => JSON,
            Wants::Count => "text/plain",
            Wants::Content => "*/*",
        }
    }
}

/// Whether a query option is `$select` (OData 4.01 lets clients write system query option
/// names in any case).
fn is_select(name: &str) -> bool {
    name.eq_ignore_ascii_case("$select")
}

/// Turns a 2xx response into the request's output type.
pub type Decoder<T> = fn(http::Response<Bytes>) -> Result<T, Error>;

#[derive(Clone, Debug)]
enum Target {
    /// Relative to the client's base URL; query options are appended.
    Path(ODataPath),
    /// An absolute URL used verbatim (a next link).
    Absolute(Url),
}

/// A request ready to be configured and sent. `T` is what a successful response decodes to.
///
/// Query option methods replace an earlier value of the same option.
pub struct Request<T> {
    client: Client,
    method: Method,
    target: Target,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Option<(Bytes, String)>,
    wants: Wants,
    /// Whether the request has a `$select` query option ([`select`](Self::select), or
    /// [`query`](Self::query) with that name); a next link keeps the flag of the request
    /// that led to it, since the service carries the option over into the link.
    selects: bool,
    /// An error found while configuring (a body that failed to serialize), reported by
    /// `build`/`send`.
    deferred: Option<String>,
    decode: Decoder<T>,
    /// Per-request options replacing the client's ([`timeout`](Self::timeout),
    /// [`retry_policy`](Self::retry_policy)).
    timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    /// `ConsistencyLevel: eventual` set explicitly (`Some`), or left to the rule of
    /// [`eventual_consistency`](Self::eventual_consistency) (`None`).
    consistency: Option<bool>,
}

impl<T> Request<T> {
    /// A request whose 2xx response is turned into `T` by `decode`; the building block of
    /// the other constructors. Sends `Accept: application/json`.
    pub fn custom(client: &Client, method: Method, path: ODataPath, decode: Decoder<T>) -> Self {
        Request {
            client: client.clone(),
            method,
            target: Target::Path(path),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            wants: Wants::Json,
            selects: false,
            deferred: None,
            decode,
            timeout: None,
            retry: None,
            consistency: None,
        }
    }

    /// A request of the given method to an absolute URL the service handed out earlier (a
    /// stored `@odata.deltaLink` or `@odata.nextLink`, a `Location` header), sent verbatim:
    /// query option methods add nothing to it. A relative `url` is resolved as
    /// [`Client::resolve_link`] says. Like a next link, it must point to the service's origin or an allowed
    /// next-link host ([`ClientBuilder::allowed_next_link_hosts`](crate::ClientBuilder::allowed_next_link_hosts)),
    /// since the token goes along; otherwise [`build`](Self::build) and `send` report
    /// [`Error::InvalidRequest`]. See also [`at_url`](Self::at_url), which keeps a typed
    /// request's decoder and options.
    pub fn from_url(client: &Client, method: Method, url: &str, decode: Decoder<T>) -> Self {
        Request::custom(client, method, ODataPath::root(), decode).at_url(url)
    }

    /// This request, typed and configured as it is (method, headers, body, options,
    /// decoder), sent to an absolute URL the service handed out instead of its path: how a
    /// stored delta link is resumed (`client.users().delta().at_url(&stored)`). The rules of
    /// [`from_url`](Self::from_url) apply; earlier query options are dropped, the URL
    /// carries its own.
    pub fn at_url(mut self, url: &str) -> Self {
        match self.client.resolve_link(url) {
            Ok(url) if self.client.is_allowed_origin(&url) => {
                // The rule that added `ConsistencyLevel` still holds for the link.
                self.consistency = Some(self.eventual());
                self.target = Target::Absolute(url);
                self.query.clear();
            }
            Ok(url) => {
                self.deferred = Some(format!(
                    "refusing to send the access token to {}: not the service's origin nor an allowed next-link host",
                    url.origin().ascii_serialization()
                ));
            }
            Err(e) => {
                self.deferred = Some(match e {
                    Error::InvalidRequest(message) => message,
                    other => other.to_string(),
                })
            }
        }
        self
    }

    /// The longest time one attempt of this request may take, replacing the client's
    /// [`timeout`](crate::ClientBuilder::timeout) (a slow export, a large upload).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// When and how this request is retried, replacing the client's
    /// [`retry_policy`](crate::ClientBuilder::retry_policy) (`RetryPolicy::none()` for a
    /// request that must be tried once).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// `If-Match: <etag>`: the update or delete applies only while the entity still has
    /// this version (its [`etag`](crate::model::etag)); otherwise the service answers `412`,
    /// reported as [`Error::PreconditionFailed`]. `"*"` means any version.
    pub fn if_match(self, etag: &str) -> Self {
        self.header("If-Match", etag)
    }

    /// `If-None-Match: <etag>`: a read answers `304 Not Modified` while the entity still has
    /// this version (an [`Error::Http`] whose [`status`](Error::status) is 304: nothing new
    /// to decode); `"*"` makes a create fail with `412` when the entity exists.
    pub fn if_none_match(self, etag: &str) -> Self {
        self.header("If-None-Match", etag)
    }

    /// Whether `ConsistencyLevel: eventual` is sent. By default it is sent only to Microsoft
    /// Graph ([`ClientBuilder::graph_service`](crate::ClientBuilder::graph_service)) and only
    /// where Graph needs it for advanced queries: with `$search`, with `$count=true` and for
    /// `/$count`. `true` sends it to any service, `false` never.
    pub fn eventual_consistency(mut self, yes: bool) -> Self {
        self.consistency = Some(yes);
        self
    }

    /// Whether this request sends `ConsistencyLevel: eventual` (the rule of
    /// [`eventual_consistency`](Self::eventual_consistency)).
    fn eventual(&self) -> bool {
        self.consistency.unwrap_or_else(|| {
            self.client.is_graph()
                && (self.wants == Wants::Count
                    || self.query.iter().any(|(name, value)| {
                        name.eq_ignore_ascii_case("$search")
                            || (name.eq_ignore_ascii_case("$count")
                                && value.eq_ignore_ascii_case("true"))
                    }))
        })
    }

    /// For generated code: a request at `path` made by `make` (one of the constructors), or,
    /// when the path could not be built (a function argument that did not serialize), a
    /// request that reports that error from [`build`](Self::build) and `send`.
    pub fn with_path(
        client: &Client,
        method: Method,
        path: Result<ODataPath, Error>,
        make: fn(&Client, Method, ODataPath) -> Self,
    ) -> Self {
        match path {
            Ok(path) => make(client, method, path),
            Err(e) => {
                let mut request = make(client, method, ODataPath::root());
                request.deferred = Some(match e {
                    Error::InvalidRequest(message) => message,
                    other => other.to_string(),
                });
                request
            }
        }
    }

    fn set_query(mut self, name: &str, value: String) -> Self {
        self.selects |= is_select(name);
        if let Some(entry) = self.query.iter_mut().find(|(n, _)| n == name) {
            entry.1 = value;
        } else {
            self.query.push((name.to_owned(), value));
        }
        self
    }

    /// `$top=n`.
    pub fn top(self, n: u64) -> Self {
        self.set_query("$top", n.to_string())
    }

    /// `$skip=n`.
    pub fn skip(self, n: u64) -> Self {
        self.set_query("$skip", n.to_string())
    }

    /// `$filter=expr`; `expr` is OData syntax (`startswith(displayName,'a')`), encoded here.
    pub fn filter(self, expr: impl Into<String>) -> Self {
        self.set_query("$filter", expr.into())
    }

    /// `$search=expr` (Graph expects the quotes: `"displayName:alice"`).
    pub fn search(self, expr: impl Into<String>) -> Self {
        self.set_query("$search", expr.into())
    }

    /// `$orderby=a desc,b`.
    pub fn orderby<I, S>(self, items: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let joined = items
            .into_iter()
            .map(Into::into)
            .collect::<Vec<_>>()
            .join(",");
        self.set_query("$orderby", joined)
    }

    /// `$select=a,b`; takes wire names, such as the generated field constants ([`model::Field`](crate::model::Field)).
    pub fn select<I, F>(self, fields: I) -> Self
    where
        I: IntoIterator<Item = F>,
        F: AsRef<str>,
    {
        let joined = join(fields);
        self.set_query("$select", joined)
    }

    /// `$expand=a,b`; takes wire names (nested options allowed: `members($select=id)`).
    pub fn expand<I, F>(self, fields: I) -> Self
    where
        I: IntoIterator<Item = F>,
        F: AsRef<str>,
    {
        let joined = join(fields);
        self.set_query("$expand", joined)
    }

    /// `$count=true` (or `false`): ask for `@odata.count` in a collection response.
    pub fn count(self, yes: bool) -> Self {
        self.set_query("$count", yes.to_string())
    }

    /// Any other query option (a custom one, `$skiptoken`, `$format`, a parameter alias
    /// `@p1`). Name and value are percent-encoded.
    pub fn query(self, name: &str, value: impl Into<String>) -> Self {
        self.set_query(name, value.into())
    }

    /// A header for this request only (`ConsistencyLevel: eventual`, `Prefer: ...`),
    /// replacing a default one. An invalid name or value is reported by
    /// [`build`](Self::build)/[`send`](Self::send).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Serializes `body` as the JSON body (`Content-Type: application/json`). A
    /// serialization error is reported by [`build`](Self::build)/[`send`](Self::send).
    pub fn json_body(mut self, body: &impl Serialize) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some((Bytes::from(bytes), JSON.to_owned())),
            Err(e) => self.deferred = Some(format!("cannot serialize the request body: {e}")),
        }
        self
    }

    /// Serializes `body` as JSON sent with another JSON-based content type
    /// (`application/scim+json`, `application/merge-patch+json`). A serialization error is
    /// reported by [`build`](Self::build)/`send`.
    pub fn json_body_as(mut self, body: &impl Serialize, content_type: &str) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some((Bytes::from(bytes), content_type.to_owned())),
            Err(e) => self.deferred = Some(format!("cannot serialize the request body: {e}")),
        }
        self
    }

    /// A JSON object body with one member, `{"<name>": value}`, or `{}` when `value` is
    /// `None` (an action with one parameter, optional or not).
    pub fn json_member_body<V: Serialize + ?Sized>(self, name: &str, value: Option<&V>) -> Self {
        struct One<'a, V: ?Sized>(&'a str, Option<&'a V>);
        impl<V: Serialize + ?Sized> Serialize for One<'_, V> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(Some(usize::from(self.1.is_some())))?;
                if let Some(value) = self.1 {
                    map.serialize_entry(self.0, value)?;
                }
                map.end()
            }
        }
        self.json_body(&One(name, value))
    }

    /// `{"@odata.id": "<url>"}` as the body: links an existing entity through a navigation
    /// property (`POST .../members/$ref`, `PUT .../manager/$ref`). `url` is the entity's
    /// URL, absolute or relative to the service root (`directoryObjects/{id}`,
    /// `accounts(42)`); a relative one is made absolute, as Graph requires.
    pub fn reference_body(self, url: &str) -> Self {
        let id = self.client.entity_url(url);
        self.json_member_body("@odata.id", Some(id.as_str()))
    }

    /// `$id=<url>`: the entity that `DELETE .../$ref` unlinks from a collection, in OData's
    /// standard form (`url` as in [`reference_body`](Self::reference_body)).
    pub fn reference_id(self, url: &str) -> Self {
        let id = self.client.entity_url(url);
        self.query("$id", id)
    }

    /// A raw body with its content type (uploading a photo or file content).
    pub fn bytes_body(mut self, bytes: Vec<u8>, content_type: &str) -> Self {
        self.body = Some((Bytes::from(bytes), content_type.to_owned()));
        self
    }

    /// The client this request is sent with.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// Builds the request as it would be sent (URL, headers but `Authorization`, body),
    /// without sending it. Each call makes a new `client-request-id`.
    pub fn build(&self) -> Result<PreparedRequest, Error> {
        if let Some(message) = &self.deferred {
            return Err(Error::InvalidRequest(message.clone()));
        }
        let url = match &self.target {
            Target::Absolute(url) => url.clone(),
            Target::Path(path) => {
                let mut text = format!("{}{}", self.client.base_prefix(), path.as_str());
                for (i, (name, value)) in self.query.iter().enumerate() {
                    text.push(if i == 0 { '?' } else { '&' });
                    text.extend(utf8_percent_encode(name, QUERY));
                    text.push('=');
                    text.extend(utf8_percent_encode(value, QUERY));
                }
                Url::parse(&text)
                    .map_err(|e| Error::InvalidRequest(format!("invalid request URL: {e}")))?
            }
        };

        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static(self.wants.accept()));
        headers.insert(USER_AGENT, self.client.user_agent().clone());
        if let Ok(id) = HeaderValue::try_from(uuid::Uuid::new_v4().to_string()) {
            headers.insert(HeaderName::from_static("client-request-id"), id);
        }
        if let Some((_, content_type)) = &self.body {
            let value = HeaderValue::try_from(content_type.as_str())
                .map_err(|_| Error::InvalidRequest("invalid content type".into()))?;
            headers.insert(CONTENT_TYPE, value);
        }
        for (name, value) in self.client.default_headers() {
            headers.insert(name.clone(), value.clone());
        }
        if self.eventual() {
            headers.insert(
                HeaderName::from_static("consistencylevel"),
                HeaderValue::from_static("eventual"),
            );
        }
        for (name, value) in &self.headers {
            let header_name = HeaderName::try_from(name.as_str())
                .map_err(|_| Error::InvalidRequest(format!("invalid header name {name:?}")))?;
            // The value is not echoed: it may be a secret.
            let header_value = HeaderValue::try_from(value.as_str())
                .map_err(|_| Error::InvalidRequest(format!("invalid value for header {name:?}")))?;
            headers.insert(header_name, header_value);
        }

        Ok(PreparedRequest {
            method: self.method.clone(),
            url,
            headers,
            body: self.body.as_ref().map(|(b, _)| b.clone()),
            content_download: self.wants == Wants::Content && self.body.is_none(),
            selects: self.selects,
            timeout: self.timeout,
            retry: self.retry.clone(),
            anonymous: false,
        })
    }

    /// Sends the request (with retries) and decodes the 2xx response.
    pub async fn send(self) -> Result<T, Error> {
        let prepared = self.build()?;
        self.send_prepared(prepared).await
    }

    /// Sends the request like [`send`](Self::send) and returns the decoded value with the
    /// response's status and headers (`request-id`, throttling headers, `Location`, ...).
    pub async fn send_with_response(self) -> Result<Response<T>, Error> {
        let prepared = self.build()?;
        let info = RequestInfo::new(&prepared.method, &prepared.url, &prepared.headers);
        let response = self.client.execute(prepared).await?;
        let status = response.status();
        let headers = response.headers().clone();
        let attempts = response
            .extensions()
            .get::<crate::client::Attempts>()
            .map_or(1, |a| a.0);
        let info = response
            .extensions()
            .get::<RequestInfo>()
            .cloned()
            .unwrap_or(info);
        let value = (self.decode)(response)?;
        Ok(Response::new(value, status, headers, attempts, info))
    }

    pub(crate) async fn send_prepared(&self, prepared: PreparedRequest) -> Result<T, Error> {
        let response = self.client.execute(prepared).await?;
        (self.decode)(response)
    }

    /// The decoder of the 2xx response (for batching, which decodes answers later).
    pub(crate) fn decoder(&self) -> Decoder<T> {
        self.decode
    }

    /// The request for a next link: GET of `url` verbatim, same headers and decoder.
    pub(crate) fn follow(&self, url: Url) -> Self {
        Request {
            client: self.client.clone(),
            method: Method::GET,
            target: Target::Absolute(url),
            query: Vec::new(),
            headers: self.headers.clone(),
            body: None,
            wants: self.wants,
            selects: self.selects,
            deferred: None,
            decode: self.decode,
            timeout: self.timeout,
            retry: self.retry.clone(),
            consistency: Some(self.eventual()),
        }
    }
}

impl<T: DeserializeOwned> Request<T> {
    /// A request whose 2xx JSON body is decoded into `T` (an empty body decodes as `null`,
    /// so `Option<_>` accepts it).
    pub fn json(client: &Client, method: Method, path: ODataPath) -> Self {
        Request::custom(client, method, path, decode_json::<T>)
    }

    /// `POST` of a new entity to a collection, answered with the entity as created. Sends
    /// `Prefer: return=representation`: without it many OData services (Dynamics 365
    /// among them) answer `204 No Content` and only the entity's URL. A service that
    /// still answers without a body gets [`Error::Decode`] saying that the entity was
    /// created and naming its URL (`OData-EntityId` or `Location`), so that nobody retries
    /// a create that succeeded.
    pub fn created(client: &Client, path: ODataPath) -> Self {
        Request::custom(client, Method::POST, path, decode_created::<T>)
            .header("Prefer", "return=representation")
    }

    /// A request whose 2xx JSON body is `{"value": <T>, ...}` and yields the `value`
    /// (functions returning a primitive or a collection of primitives).
    pub fn value(client: &Client, method: Method, path: ODataPath) -> Self {
        Request::custom(client, method, path, decode_value::<T>)
    }
}

impl Request<()> {
    /// A request whose 2xx response body is ignored (`204 No Content`, or a body nobody
    /// needs).
    pub fn empty(client: &Client, method: Method, path: ODataPath) -> Self {
        Request::custom(client, method, path, |_| Ok(()))
    }
}

impl<T: DeserializeOwned> Request<Page<T>> {
    /// A request for one page of a collection; see also
    /// [`into_stream`](Request::into_stream) and [`into_pages`](Request::into_pages).
    pub fn page(client: &Client, method: Method, path: ODataPath) -> Self {
        Request::custom(client, method, path, decode_json::<Page<T>>)
    }
}

impl Request<u64> {
    /// `GET <path>/$count` (the segment is appended unless `path` already ends with it):
    /// the number of items, answered as `text/plain`. Sends `ConsistencyLevel: eventual` to
    /// Microsoft Graph, which needs it for counts of directory objects (see
    /// [`eventual_consistency`](Request::eventual_consistency)).
    ///
    /// (Named `dollar_count` because `count` is the `$count=true` query option.)
    pub fn dollar_count(client: &Client, path: ODataPath) -> Self {
        let path = if path.as_str().ends_with("/$count") {
            path
        } else {
            path.segment("$count")
        };
        let mut request = Request::custom(client, Method::GET, path, decode_count);
        request.wants = Wants::Count;
        request
    }
}

impl Request<Media> {
    /// A request for raw content (`/photo/$value`, `/content`): the body's bytes and
    /// content type. Sends `Accept: */*`. Without a body it is a content download
    /// ([`PreparedRequest::content_download`]), whatever `Accept` header is set later.
    pub fn media(client: &Client, method: Method, path: ODataPath) -> Self {
        let mut request = Request::custom(client, method, path, decode_media);
        request.wants = Wants::Content;
        request
    }
}

impl<T: Send + 'static> IntoFuture for Request<T> {
    type Output = Result<T, Error>;
    type IntoFuture = BoxFuture<'static, Result<T, Error>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl<T> Clone for Request<T> {
    fn clone(&self) -> Self {
        Request {
            client: self.client.clone(),
            method: self.method.clone(),
            target: self.target.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            body: self.body.clone(),
            wants: self.wants,
            selects: self.selects,
            deferred: self.deferred.clone(),
            decode: self.decode,
            timeout: self.timeout,
            retry: self.retry.clone(),
            consistency: self.consistency,
        }
    }
}

impl<T> fmt::Debug for Request<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("target", &self.target)
            .field("query", &self.query)
            // Header values may be secrets: names only.
            .field(
                "headers",
                &self.headers.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field("body_len", &self.body.as_ref().map(|(b, _)| b.len()))
            .field("wants", &self.wants)
            .field("selects", &self.selects)
            .field("timeout", &self.timeout)
            .field("consistency", &self.consistency)
            .finish_non_exhaustive()
    }
}

fn join<I, F>(fields: I) -> String
where
    I: IntoIterator<Item = F>,
    F: AsRef<str>,
{
    let mut out = String::new();
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(f.as_ref());
    }
    out
}

/// A link to an entity, as `GET .../$ref` answers: `{"@odata.id": "<url>"}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityReference {
    /// The entity's URL (`@odata.id`).
    #[serde(rename = "@odata.id", default)]
    pub id: String,
    /// Every other member (`@odata.context`, other annotations).
    #[serde(flatten)]
    pub additional: Map<String, Value>,
}

/// Raw bytes of a response, with their content type.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Media {
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// The body.
    pub bytes: Vec<u8>,
}

fn content_type(response: &http::Response<Bytes>) -> Option<String> {
    response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

fn decode_error(response: &http::Response<Bytes>, message: String) -> Error {
    Error::Decode(Box::new(DecodeError::new(
        response.status(),
        content_type(response),
        message,
        response.body(),
        response
            .extensions()
            .get::<crate::client::Attempts>()
            .map_or(1, |a| a.0),
        response.extensions().get::<RequestInfo>().cloned(),
    )))
}

/// Decodes a JSON body (UTF-8 BOM allowed; an empty body decodes as `null`).
pub fn decode_json<T: DeserializeOwned>(response: http::Response<Bytes>) -> Result<T, Error> {
    let body = if is_empty_body(response.body()) {
        &b"null"[..]
    } else {
        strip_bom(response.body())
    };
    serde_json::from_slice(body).map_err(|e| {
        // Which value failed: for a missing field, the object that lacks it.
        let missing = e.is_data() && e.to_string().starts_with("missing field");
        let path = json_path_at(body, e.line(), e.column(), missing);
        match decode_error(&response, e.to_string()) {
            Error::Decode(d) => Error::Decode(Box::new(d.with_path(path))),
            other => other,
        }
    })
}

/// Decodes the answer to a create: the entity, or an error saying it was created without
/// one (see [`Request::created`]).
pub fn decode_created<T: DeserializeOwned>(response: http::Response<Bytes>) -> Result<T, Error> {
    if is_empty_body(response.body()) {
        let url = ["OData-EntityId", "Location"]
            .iter()
            .find_map(|name| response.headers().get(*name)?.to_str().ok())
            .map_or_else(|| "no URL given".to_string(), |u| format!("at {u}"));
        return Err(decode_error(
            &response,
            format!(
                "the entity was created ({url}), but the answer ({}) has no body to read it from; do not retry the create",
                response.status()
            ),
        ));
    }
    decode_json(response)
}

/// Whether a body holds no JSON value: nothing but a BOM and whitespace.
fn is_empty_body(body: &[u8]) -> bool {
    strip_bom(body).iter().all(u8::is_ascii_whitespace)
}

/// Decodes `{"value": <T>, ...}` into `T`.
pub fn decode_value<T: DeserializeOwned>(response: http::Response<Bytes>) -> Result<T, Error> {
    #[derive(Deserialize)]
    #[serde(bound = "T: DeserializeOwned")]
    struct Envelope<T> {
        value: T,
    }
    decode_json::<Envelope<T>>(response).map(|e| e.value)
}

/// Decodes a `text/plain` integer (surrounding whitespace and a BOM allowed).
pub fn decode_count(response: http::Response<Bytes>) -> Result<u64, Error> {
    let text = match std::str::from_utf8(response.body()) {
        Ok(text) => text,
        Err(e) => {
            return Err(decode_error(
                &response,
                format!("the count is not UTF-8: {e}"),
            ))
        }
    };
    let text = text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    text.parse::<u64>()
        .map_err(|e| decode_error(&response, format!("the count is not an integer: {e}")))
}

/// Takes the body and its content type as they are.
pub fn decode_media(response: http::Response<Bytes>) -> Result<Media, Error> {
    Ok(Media {
        content_type: content_type(&response),
        bytes: response.into_body().to_vec(),
    })
}

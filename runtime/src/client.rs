//! The [`Client`]: base URL, credential, transport, retries; shared by all requests.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::header::{HeaderValue, AUTHORIZATION};
use http::{HeaderMap, StatusCode};
// The retry budget is measured on tokio's clock, the one the waits between attempts
// (`tokio::time::sleep`) and the attempt timeout use: the system's, unless a test pauses it.
use tokio::time::Instant;
use tracing::Instrument;
use url::Url;

mod builder;

pub use builder::ClientBuilder;

use crate::challenge;
use crate::credential::{TokenCache, TokenCredential};
use crate::error::{Error, HttpError, ODataError};
use crate::prepared::PreparedRequest;
use crate::redirect::{Hop, Origins};
use crate::request_info::RequestInfo;
use crate::retry::{is_idempotent, RetryPolicy};
use crate::transport::{ByteStream, ProxySetting, Transport, TransportError, TransportErrorKind};

/// The default per-attempt timeout: 100 seconds.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(100);
/// The default connect timeout of the default transport: 10 seconds.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long before its expiry a cached token is refreshed by default: 5 minutes (or half
/// the token's lifetime, when that is shorter).
pub const DEFAULT_TOKEN_REFRESH_MARGIN: Duration = Duration::from_secs(300);

/// A client for one OData service. Cheap to clone (an `Arc`), `Send + Sync`; clones share the
/// token cache and the connection pool.
///
/// ```no_run
/// # async fn run() -> Result<(), graph_odata_runtime::Error> {
/// use graph_odata_runtime::{Client, Method, ODataPath, Request, StaticTokenCredential};
///
/// let client = Client::builder(
///     "https://graph.microsoft.com/v1.0",
///     StaticTokenCredential::new("eyJ0..."),
/// )
/// .user_agent("my-app/1.0")
/// .build()?;
///
/// let me: serde_json::Value =
///     Request::json(&client, Method::GET, ODataPath::root().segment("me")).await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    base_url: Url,
    /// `base_url` as text without a trailing `/`; paths are appended to it.
    base_prefix: String,
    tokens: TokenCache,
    transport: Box<dyn Transport>,
    timeout: Duration,
    retry: RetryPolicy,
    user_agent: HeaderValue,
    default_headers: HeaderMap,
    origins: Origins,
    graph: bool,
    batch_format: crate::batch::BatchFormat,
}

impl Client {
    /// Starts configuring a client for the service at `base_url` (e.g.
    /// `https://graph.microsoft.com/v1.0`) that authenticates with `credential`.
    /// The URL is checked by [`ClientBuilder::build`].
    pub fn builder(base_url: &str, credential: impl TokenCredential + 'static) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.to_owned(),
            credential: Box::new(credential),
            scopes: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            retry: RetryPolicy::default(),
            user_agent: None,
            transport: None,
            max_response_size: None,
            allowed_next_link_hosts: Vec::new(),
            headers: Vec::new(),
            token_refresh_margin: DEFAULT_TOKEN_REFRESH_MARGIN,
            proxy: Ok(ProxySetting::Environment),
            graph: false,
            batch_format: crate::batch::BatchFormat::Json,
        }
    }

    /// The wire format of this client's batches ([`ClientBuilder::batch_format`]).
    pub fn batch_format(&self) -> crate::batch::BatchFormat {
        self.inner.batch_format
    }

    /// Whether the service is Microsoft Graph ([`ClientBuilder::graph_service`]), whose
    /// advanced queries need `ConsistencyLevel: eventual`.
    pub fn is_graph(&self) -> bool {
        self.inner.graph
    }

    /// The service root URL.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// The URL of an entity as OData's `@odata.id` wants it: `url` itself when it is
    /// absolute, else `url` under the service root (`directoryObjects/{id}` becomes
    /// `https://graph.microsoft.com/v1.0/directoryObjects/{id}`).
    pub fn entity_url(&self, url: &str) -> String {
        if Url::parse(url).is_ok_and(|u| u.has_host()) {
            return url.to_owned();
        }
        let root = self.inner.base_url.as_str().trim_end_matches('/');
        format!("{root}/{}", url.trim_start_matches('/'))
    }

    /// A link the service handed out (`@odata.deltaLink`, `Location`, `resourceLocation`)
    /// as an absolute URL: an absolute link as it is; a link starting with `/` under the
    /// service root unless it already starts with the root's path (Graph writes
    /// `/teams('1')/operations('2')` meaning `<root>/teams('1')/...`); any other relative
    /// link against the service root. The fragment is dropped.
    pub fn resolve_link(&self, link: &str) -> Result<Url, Error> {
        let root = &self.inner.base_url;
        let root_path = root.path().trim_end_matches('/');
        let text = match link.strip_prefix('/') {
            Some(rest) if root_path.is_empty() || !link.starts_with(&format!("{root_path}/")) => {
                format!("{}/{rest}", self.inner.base_prefix)
            }
            _ => link.to_owned(),
        };
        let mut url = Url::parse(&format!("{}/", self.inner.base_prefix))
            .and_then(|base| base.join(&text))
            .map_err(|e| Error::InvalidRequest(format!("invalid link {link:?}: {e}")))?;
        url.set_fragment(None);
        Ok(url)
    }

    /// The scopes tokens are requested for.
    pub fn scopes(&self) -> &[String] {
        self.inner.tokens.scopes()
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    pub(crate) fn base_prefix(&self) -> &str {
        &self.inner.base_prefix
    }

    pub(crate) fn user_agent(&self) -> &HeaderValue {
        &self.inner.user_agent
    }

    pub(crate) fn default_headers(&self) -> &HeaderMap {
        &self.inner.default_headers
    }

    /// Whether the token may be sent to `url`: its scheme, host and port are the base URL's
    /// or one of the allowed next-link hosts.
    pub fn is_allowed_origin(&self, url: &Url) -> bool {
        self.inner.origins.allow(url)
    }

    /// Sends a prepared request with the access token, retrying as the
    /// [`RetryPolicy`] says (the request's own, else the client's), and returns the 2xx
    /// response (its extensions hold the [`Attempts`] it took and the [`RequestInfo`]). A
    /// non-2xx response, or a 2xx whose body is nothing but an OData error, is an
    /// [`Error::Http`] ([`Error::PreconditionFailed`] for a `412`).
    ///
    /// Refuses ([`Error::InvalidRequest`]) a URL whose origin is not the base URL's nor an
    /// allowed next-link host, so the token is never sent elsewhere; an
    /// [`anonymous`](PreparedRequest::anonymous) request, which carries no token, may go
    /// anywhere.
    pub async fn execute(&self, request: PreparedRequest) -> Result<http::Response<Bytes>, Error> {
        match self.execute_answer(request, false).await? {
            Answer::Full(response) => Ok(response),
            // Only asked for when streaming.
            Answer::Stream(response) => Ok(response.map(|_| Bytes::new())),
        }
    }

    /// [`execute`](Self::execute), returning a 2xx response as soon as its head arrived, the
    /// body a stream read on demand with no size cap ([`Transport::send_streaming`]).
    /// Retries happen before the body starts; each chunk must then arrive within the
    /// per-attempt timeout.
    pub async fn execute_streaming(
        &self,
        request: PreparedRequest,
    ) -> Result<http::Response<ByteStream>, Error> {
        let timeout = request.timeout.unwrap_or(self.inner.timeout);
        match self.execute_answer(request, true).await? {
            Answer::Full(response) => Ok(response.map(|body| -> ByteStream {
                Box::pin(futures_util::stream::once(async move { Ok(body) }))
            })),
            Answer::Stream(response) => Ok(response.map(|body| idle_timeout(body, timeout))),
        }
    }

    async fn execute_answer(
        &self,
        request: PreparedRequest,
        streaming: bool,
    ) -> Result<Answer, Error> {
        if !request.anonymous && !self.is_allowed_origin(&request.url) {
            return Err(Error::InvalidRequest(format!(
                "refusing to send the access token to {}",
                request.url.origin().ascii_serialization()
            )));
        }
        let client_request_id = request
            .headers
            .get("client-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let span = tracing::debug_span!(
            "odata_request",
            method = %request.method,
            path = %request.url.path(),
            client_request_id = %client_request_id,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
        );
        self.execute_with_retries(request, streaming, span.clone())
            .instrument(span)
            .await
    }

    async fn execute_with_retries(
        &self,
        request: PreparedRequest,
        streaming: bool,
        span: tracing::Span,
    ) -> Result<Answer, Error> {
        let policy = request.retry.as_ref().unwrap_or(&self.inner.retry);
        let timeout = request.timeout.unwrap_or(self.inner.timeout);
        let max_attempts = policy.max_attempts.max(1);
        let idempotent = is_idempotent(&request.method);
        let info = RequestInfo::new(&request.method, &request.url, &request.headers);
        let start = Instant::now();
        let mut attempt: u32 = 0;
        // The claims of a 401 claims challenge, for the next attempt's token; answered once.
        let mut claims: Option<String> = None;
        let mut challenged = false;
        loop {
            attempt += 1;
            span.record("attempt", attempt);
            // The timeout bounds the whole attempt: the token (a stuck credential gives up
            // the cache lock when this future is dropped), the request and its redirects.
            // The claims stay wanted until a response arrives: an attempt that timed out or
            // failed to connect asks for them again.
            let attempt_future = self.attempt(&request, claims.clone(), streaming);
            let outcome = tokio::time::timeout(timeout, attempt_future).await;
            let (error, delay) = match outcome {
                Ok(Err(fatal)) => return Err(fatal),
                Ok(Ok(Sent::Stream(mut response))) => {
                    span.record("status", response.status().as_u16());
                    tracing::debug!(attempt, status = response.status().as_u16(), "response");
                    let answered = info.clone().answered(response.headers());
                    response.extensions_mut().insert(Attempts(attempt));
                    response.extensions_mut().insert(answered);
                    return Ok(Answer::Stream(response));
                }
                Ok(Ok(Sent::Response(response, token, trusted))) => {
                    claims = None;
                    let status = response.status();
                    span.record("status", status.as_u16());
                    let envelope =
                        request.envelope_is_error() && ODataError::is_envelope(response.body());
                    if status.is_success() && !envelope {
                        tracing::debug!(attempt, status = status.as_u16(), "response");
                        let mut response = response;
                        let answered = info.clone().answered(response.headers());
                        response.extensions_mut().insert(Attempts(attempt));
                        response.extensions_mut().insert(answered);
                        return Ok(Answer::Full(response));
                    }
                    // Only an origin that received the token can reject it or challenge it.
                    if status == StatusCode::UNAUTHORIZED && trusted {
                        if let Some(token) = &token {
                            self.inner.tokens.invalidate(token).await;
                        }
                        // A claims challenge: a token with those claims, and once more. Not
                        // a retry of a transient failure, so outside the retry policy.
                        if !challenged {
                            if let Some(wanted) = challenge::bearer_claims(response.headers()) {
                                tracing::debug!(
                                    attempt,
                                    "claims challenge; asking for a new token"
                                );
                                challenged = true;
                                claims = Some(wanted);
                                continue;
                            }
                        }
                    }
                    let (parts, body) = response.into_parts();
                    let http_error = HttpError::from_response(
                        status,
                        parts.headers,
                        &body,
                        attempt,
                        info.clone(),
                    );
                    // A 2xx carrying an OData error is that error, not retried. A longer wait
                    // than the policy allows is not shortened: the error comes back at once.
                    let retry =
                        !status.is_success() && policy.status_is_retryable(&request.method, status);
                    let delay = if retry {
                        policy.delay(attempt, http_error.retry_after())
                    } else {
                        None
                    };
                    (Error::from_http(http_error), delay)
                }
                Ok(Ok(Sent::Failed(transport_error))) => {
                    let retry = idempotent
                        && matches!(
                            transport_error.kind(),
                            TransportErrorKind::Connect
                                | TransportErrorKind::Timeout
                                | TransportErrorKind::Body
                        );
                    let delay = if retry {
                        policy.delay(attempt, None)
                    } else {
                        None
                    };
                    let error = transport_error.with_request(info.clone());
                    (Error::from_transport(error, attempt), delay)
                }
                Err(_elapsed) => {
                    let e = TransportError::new(
                        TransportErrorKind::Timeout,
                        format!("no complete response within {timeout:?}"),
                    )
                    .with_request(info.clone());
                    let delay = if idempotent {
                        policy.delay(attempt, None)
                    } else {
                        None
                    };
                    (Error::from_transport(e, attempt), delay)
                }
            };
            let Some(delay) = delay else {
                tracing::debug!(attempt, error = %error, "request failed");
                return Err(error);
            };
            let ends = start.elapsed().saturating_add(delay);
            if attempt >= max_attempts || ends > policy.max_total_time {
                tracing::debug!(attempt, error = %error, "request failed; no retries left");
                return Err(error);
            }
            tracing::debug!(attempt, delay_ms = delay.as_millis() as u64, error = %error, "retrying");
            tokio::time::sleep(delay).await;
        }
    }

    /// One attempt: the access token (one satisfying `claims` after a claims challenge;
    /// none for an anonymous request), the request, and the redirects the rules of
    /// [`crate::redirect`] allow (none for an anonymous request).
    async fn attempt(
        &self,
        request: &PreparedRequest,
        claims: Option<String>,
        streaming: bool,
    ) -> Result<Sent, Error> {
        let token = match (request.anonymous, claims) {
            (true, _) => None,
            (false, Some(claims)) => Some(self.inner.tokens.token_with_claims(&claims).await?),
            (false, None) => Some(self.inner.tokens.token().await?),
        };
        // An empty token (`NoCredential`) means no `Authorization` header of ours.
        let auth = match &token {
            Some(token) if !token.expose().is_empty() => {
                let mut auth = HeaderValue::try_from(format!("Bearer {}", token.expose()))
                    .map_err(|_| {
                        Error::credential("the access token is not a valid header value", None)
                    })?;
                auth.set_sensitive(true);
                Some(auth)
            }
            _ => None,
        };
        let mut hop = Hop::start(request);
        hop.trusted = !request.anonymous;
        loop {
            let uri = http::Uri::try_from(hop.url.as_str())
                .map_err(|e| Error::InvalidRequest(format!("invalid URL: {e}")))?;
            let mut http_request = http::Request::new(hop.body.clone());
            *http_request.method_mut() = hop.method.clone();
            *http_request.uri_mut() = uri;
            *http_request.headers_mut() = hop.headers.clone();
            if let (true, Some(auth)) = (hop.trusted, &auth) {
                http_request
                    .headers_mut()
                    .insert(AUTHORIZATION, auth.clone());
            }
            let response = if streaming {
                let response = match self.inner.transport.send_streaming(http_request).await {
                    Ok(response) => response,
                    Err(e) => return Ok(Sent::Failed(e)),
                };
                if response.status().is_success() {
                    return Ok(Sent::Stream(response));
                }
                // Redirects and errors are read whole (an error body only up to a bound:
                // an excerpt is all an error keeps).
                match collect_bounded(response).await {
                    Ok(response) => response,
                    Err(e) => return Ok(Sent::Failed(e)),
                }
            } else {
                match self.inner.transport.send(http_request).await {
                    Ok(response) => response,
                    Err(e) => return Ok(Sent::Failed(e)),
                }
            };
            let next = if request.anonymous {
                None
            } else {
                hop.redirect_target(&response)
            };
            let Some(next) = next else {
                return Ok(Sent::Response(response, token, hop.trusted));
            };
            hop.follow(response.status(), next, &self.inner.origins)?;
        }
    }
}

/// The largest body of a non-2xx streamed answer that is read.
const STREAMED_ERROR_BODY_LIMIT: usize = 64 * 1024;

/// A streamed non-2xx response with its body read up to [`STREAMED_ERROR_BODY_LIMIT`].
async fn collect_bounded(
    response: http::Response<ByteStream>,
) -> Result<http::Response<Bytes>, TransportError> {
    use futures_util::StreamExt as _;
    let (parts, mut stream) = response.into_parts();
    let mut body = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        let room = STREAMED_ERROR_BODY_LIMIT - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() >= STREAMED_ERROR_BODY_LIMIT {
            break;
        }
    }
    Ok(http::Response::from_parts(parts, Bytes::from(body)))
}

/// `body` failing with a [`TransportErrorKind::Timeout`] when no chunk arrives within
/// `timeout` (a stalled download does not hang forever; a long one is not cut).
fn idle_timeout(body: ByteStream, timeout: Duration) -> ByteStream {
    Box::pin(futures_util::stream::unfold(
        Some(body),
        move |body| async move {
            let mut body = body?;
            use futures_util::StreamExt as _;
            match tokio::time::timeout(timeout, body.next()).await {
                Ok(Some(chunk)) => Some((chunk, Some(body))),
                Ok(None) => None,
                Err(_) => Some((
                    Err(TransportError::new(
                        TransportErrorKind::Timeout,
                        format!("no data for {timeout:?} while reading the body"),
                    )),
                    None,
                )),
            }
        },
    ))
}

/// What [`Client::execute_answer`] returns: a body read whole, or a streamed one.
enum Answer {
    Full(http::Response<Bytes>),
    Stream(http::Response<ByteStream>),
}

/// What one attempt produced.
enum Sent {
    /// A response (any status), with the token that was sent (none for an anonymous
    /// request), and whether it came from an origin that received the token (not a content
    /// download redirected elsewhere, not an anonymous request).
    Response(
        http::Response<Bytes>,
        Option<crate::credential::Secret>,
        bool,
    ),
    /// A streamed 2xx response.
    Stream(http::Response<ByteStream>),
    /// The transport failed.
    Failed(TransportError),
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &i.base_url.as_str())
            .field("scopes", &i.tokens.scopes())
            .field("timeout", &i.timeout)
            .field("retry", &i.retry)
            .field("user_agent", &i.user_agent)
            // Header values may be secrets (API keys): names only.
            .field(
                "default_headers",
                &i.default_headers.keys().collect::<Vec<_>>(),
            )
            .field(
                "allowed_next_link_hosts",
                &i.origins.next_link_origins().collect::<Vec<_>>(),
            )
            .field("token_refresh_margin", &i.tokens.refresh_margin())
            .field("graph", &i.graph)
            .field("batch_format", &i.batch_format)
            .finish_non_exhaustive()
    }
}

/// How many attempts a response took; put into the response's extensions by
/// [`Client::execute`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attempts(pub u32);

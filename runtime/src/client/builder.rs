//! [`ClientBuilder`]: the settings of a [`Client`] and how they are checked.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::header::{HeaderName, HeaderValue};
use http::HeaderMap;
use url::Url;

use super::{Client, Inner};
#[cfg(doc)]
use super::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, DEFAULT_TOKEN_REFRESH_MARGIN};
use crate::credential::{TokenCache, TokenCredential};
use crate::error::Error;
use crate::redirect::Origins;
use crate::retry::RetryPolicy;
use crate::transport::{ProxySetting, ReqwestTransport, Transport};

/// Configures a [`Client`]; made by [`Client::builder`].
pub struct ClientBuilder {
    pub(super) base_url: String,
    pub(super) credential: Box<dyn TokenCredential>,
    pub(super) scopes: Option<Vec<String>>,
    pub(super) timeout: Duration,
    pub(super) connect_timeout: Duration,
    pub(super) retry: RetryPolicy,
    pub(super) user_agent: Option<String>,
    pub(super) transport: Option<Box<dyn Transport>>,
    pub(super) max_response_size: Option<usize>,
    pub(super) allowed_next_link_hosts: Vec<String>,
    pub(super) headers: Vec<(String, String)>,
    pub(super) token_refresh_margin: Duration,
    /// The proxy setting, or why the given proxy URL was refused (reported by `build`).
    pub(super) proxy: Result<ProxySetting, String>,
    pub(super) graph: bool,
    pub(super) batch_format: crate::batch::BatchFormat,
}

impl ClientBuilder {
    /// Replaces the service root (`https://graph.microsoft.us/v1.0`), keeping every other
    /// setting (a generated crate's user agent among them).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Points the client at a national cloud: the base URL's scheme and host become the
    /// cloud's (the path, such as `/v1.0` or `/beta`, stays), and tokens are requested for
    /// the cloud's `/.default` scope unless [`scopes`](Self::scopes) is called afterwards.
    pub fn national_cloud(mut self, cloud: crate::NationalCloud) -> Self {
        let path = url::Url::parse(&self.base_url)
            .map(|u| u.path().trim_end_matches('/').to_owned())
            .unwrap_or_default();
        self.base_url = format!("{}{path}", cloud.origin());
        self.scopes = Some(vec![cloud.scope()]);
        self
    }

    /// The scopes to request tokens for. Default: the base URL's origin + `/.default`
    /// (`https://graph.microsoft.com/.default`).
    pub fn scopes(mut self, scopes: Vec<String>) -> Self {
        self.scopes = Some(scopes);
        self
    }

    /// The longest time one attempt may take, connecting and reading the whole body
    /// included (default [`DEFAULT_TIMEOUT`]). Applies to any transport.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The connect timeout of the default transport (default [`DEFAULT_CONNECT_TIMEOUT`]).
    /// Ignored when [`transport`](Self::transport) is set.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The largest response body the default transport reads (default
    /// [`DEFAULT_MAX_BODY_SIZE`](crate::transport::DEFAULT_MAX_BODY_SIZE)). Ignored when
    /// [`transport`](Self::transport) is set.
    pub fn max_response_size(mut self, bytes: usize) -> Self {
        self.max_response_size = Some(bytes);
        self
    }

    /// When and how failed attempts are retried (default [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The `User-Agent` header (default `graph-odata-runtime/<version>`). Generated crates
    /// pass their own `name/version`.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Sends requests through `transport` instead of a new [`ReqwestTransport`].
    pub fn transport(mut self, transport: impl Transport + 'static) -> Self {
        self.transport = Some(Box::new(transport));
        self
    }

    /// Further origins `@odata.nextLink` may point to (and the token may be sent to),
    /// besides the base URL's: each either a URL (`https://host:8443`; only scheme, host and
    /// port count) or a bare host name (meaning `https://host`). Replaces earlier values.
    pub fn allowed_next_link_hosts<I, S>(mut self, hosts: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.allowed_next_link_hosts = hosts.into_iter().map(Into::into).collect();
        self
    }

    /// A header sent with every request. Checked by [`build`](Self::build).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// How long before its expiry a cached token is replaced (default
    /// [`DEFAULT_TOKEN_REFRESH_MARGIN`]). A token that lives less than twice the margin is
    /// replaced after half its lifetime instead (measured when it is received), so a short
    /// token is still reused.
    pub fn token_refresh_margin(mut self, margin: Duration) -> Self {
        self.token_refresh_margin = margin;
        self
    }

    /// Sends every request of the default transport through the HTTP proxy at `url`
    /// (`http://proxy.example:3128`; `https://` for a proxy reached over TLS; a user name and
    /// password in the URL are sent to the proxy as `Proxy-Authorization`). Requests to
    /// `https` services are tunnelled (`CONNECT`), so the proxy sees neither the token nor
    /// the content; requests to `http` services are not. The proxy environment variables
    /// are then ignored. Checked by [`build`](Self::build); ignored when
    /// [`transport`](Self::transport) is set.
    ///
    /// Without this option (and without [`no_proxy`](Self::no_proxy)) the default
    /// transport follows the standard environment variables, read when the client is built:
    /// `HTTPS_PROXY`/`https_proxy` for `https` URLs, `HTTP_PROXY`/`http_proxy` for `http`
    /// URLs (ignored when `REQUEST_METHOD` is set, i.e. inside a CGI program, where a request
    /// header could set it), `ALL_PROXY`/`all_proxy` for both, and
    /// `NO_PROXY`/`no_proxy` (comma-separated hosts, domains, IP addresses or CIDR ranges,
    /// or `*`) for the destinations that bypass them.
    pub fn proxy(mut self, url: impl AsRef<str>) -> Self {
        self.proxy = match Url::parse(url.as_ref()) {
            Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.has_host() => {
                Ok(ProxySetting::Url(parsed))
            }
            // The URL is not echoed: it may hold a password.
            _ => Err("the proxy must be an http:// or https:// URL with a host".into()),
        };
        self
    }

    /// Says that the service is Microsoft Graph (default `false`; crates generated for
    /// Graph set it). Graph's advanced queries then get `ConsistencyLevel: eventual`
    /// where Graph needs it ([`Request::eventual_consistency`](crate::Request::eventual_consistency));
    /// other services never get it unasked.
    pub fn graph_service(mut self, yes: bool) -> Self {
        self.graph = yes;
        self
    }

    /// The wire format of [`Batch`](crate::batch::Batch)es sent with this client (default
    /// JSON; `multipart/mixed` for OData 4.0 services that take only that).
    pub fn batch_format(mut self, format: crate::batch::BatchFormat) -> Self {
        self.batch_format = format;
        self
    }

    /// Connects directly, ignoring the proxy environment variables and an earlier
    /// [`proxy`](Self::proxy). Ignored when [`transport`](Self::transport) is set.
    pub fn no_proxy(mut self) -> Self {
        self.proxy = Ok(ProxySetting::Direct);
        self
    }

    /// Builds the client. Fails ([`Error::Config`]) on a base URL that is not an absolute
    /// `http`/`https` URL without query or fragment, an invalid header, user agent or
    /// allowed host or proxy URL, or when the default transport cannot be created.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = Url::parse(&self.base_url)
            .map_err(|e| Error::Config(format!("invalid base URL {:?}: {e}", self.base_url)))?;
        if !matches!(base_url.scheme(), "http" | "https") || !base_url.has_host() {
            return Err(Error::Config(format!(
                "the base URL must be an http or https URL with a host: {base_url}"
            )));
        }
        if base_url.query().is_some() || base_url.fragment().is_some() {
            return Err(Error::Config(format!(
                "the base URL must have no query or fragment: {base_url}"
            )));
        }
        let base_prefix = base_url.as_str().trim_end_matches('/').to_owned();

        let scopes = self.scopes.unwrap_or_else(|| {
            vec![format!(
                "{}/.default",
                base_url.origin().ascii_serialization()
            )]
        });

        let user_agent = self.user_agent.unwrap_or_else(|| {
            concat!("graph-odata-runtime/", env!("CARGO_PKG_VERSION")).to_owned()
        });
        let user_agent = HeaderValue::try_from(user_agent)
            .map_err(|_| Error::Config("the user agent is not a valid header value".into()))?;

        let mut default_headers = HeaderMap::new();
        for (name, value) in self.headers {
            let header_name = HeaderName::try_from(name.as_str())
                .map_err(|_| Error::Config(format!("invalid header name {name:?}")))?;
            let header_value = HeaderValue::try_from(value)
                .map_err(|_| Error::Config(format!("invalid value for header {name:?}")))?;
            default_headers.insert(header_name, header_value);
        }

        let origins = Origins::new(&base_url, self.allowed_next_link_hosts)?;

        let proxy = self.proxy.map_err(Error::Config)?;
        let transport = match self.transport {
            Some(t) => t,
            None => {
                let mut t = ReqwestTransport::configured(self.connect_timeout, &proxy)?;
                if let Some(max) = self.max_response_size {
                    t = t.max_body_size(max);
                }
                Box::new(t)
            }
        };

        Ok(Client {
            inner: Arc::new(Inner {
                base_url,
                base_prefix,
                tokens: TokenCache::new(self.credential, scopes, self.token_refresh_margin),
                transport,
                timeout: self.timeout,
                retry: self.retry,
                user_agent,
                default_headers,
                origins,
                graph: self.graph,
                batch_format: self.batch_format,
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("scopes", &self.scopes)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("user_agent", &self.user_agent)
            .field(
                "headers",
                &self.headers.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field("proxy", &self.proxy)
            .field("graph", &self.graph)
            .field("batch_format", &self.batch_format)
            .finish_non_exhaustive()
    }
}

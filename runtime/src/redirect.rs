//! Where a request may go: the origins that receive the token ([`Origins`]) and the rules
//! for following a redirect ([`Hop`]). The client follows redirects itself, not the
//! transport, because only it knows which origins may see the token and the body.
//!
//! A redirect within the allowed origins is followed with the token. One to another origin
//! is refused ([`Error::Redirect`]) for a request with a body and for an API call; only a
//! raw content download ([`PreparedRequest::content_download`]) without a body follows it,
//! without the token and the client's headers. `https` to `http` is always refused, and so
//! is an eleventh redirect in a row.

use bytes::Bytes;
use http::header::{ACCEPT, CONTENT_TYPE, LOCATION, USER_AGENT};
use http::{HeaderMap, Method, StatusCode};
use url::{Origin, Url};

use crate::error::Error;
use crate::prepared::PreparedRequest;

/// How many redirects one attempt follows at most.
const MAX_REDIRECTS: u32 = 10;

/// The origins (scheme, host, port) that may receive the token and request bodies: the
/// base URL's and the allowed next-link hosts.
#[derive(Clone, Debug)]
pub(crate) struct Origins {
    base: Origin,
    allowed: Vec<Origin>,
}

impl Origins {
    /// The base URL's origin plus `hosts`, each a URL (`https://host:8443`; only scheme,
    /// host and port count) or a bare host name (meaning `https://host`).
    pub(crate) fn new(base_url: &Url, hosts: Vec<String>) -> Result<Self, Error> {
        let mut allowed = Vec::new();
        for host in hosts {
            let text = if host.contains("://") {
                host.clone()
            } else {
                format!("https://{host}")
            };
            let url = Url::parse(&text)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https") && u.has_host())
                .ok_or_else(|| Error::Config(format!("invalid allowed next-link host {host:?}")))?;
            allowed.push(url.origin());
        }
        Ok(Origins {
            base: base_url.origin(),
            allowed,
        })
    }

    /// Whether `url`'s scheme, host and port are one of the origins.
    pub(crate) fn allow(&self, url: &Url) -> bool {
        let origin = url.origin();
        origin == self.base || self.allowed.contains(&origin)
    }

    /// The allowed next-link origins (for `Debug`).
    pub(crate) fn next_link_origins(&self) -> impl Iterator<Item = String> + '_ {
        self.allowed.iter().map(Origin::ascii_serialization)
    }
}

/// The request as it goes from redirect to redirect within one attempt.
#[derive(Debug)]
pub(crate) struct Hop {
    pub(crate) method: Method,
    pub(crate) url: Url,
    pub(crate) body: Bytes,
    pub(crate) headers: HeaderMap,
    /// Whether this hop's origin receives the token (false once a content download has
    /// left the allowed origins, and from then on).
    pub(crate) trusted: bool,
    content_download: bool,
    hops: u32,
}

impl Hop {
    /// The first hop: the request as prepared.
    pub(crate) fn start(request: &PreparedRequest) -> Self {
        Hop {
            method: request.method.clone(),
            url: request.url.clone(),
            body: request.body.clone().unwrap_or_default(),
            headers: request.headers.clone(),
            trusted: true,
            content_download: request.content_download,
            hops: 0,
        }
    }

    /// Where `response` redirects this hop to: its `Location` resolved against this hop's
    /// URL, when the status is a redirect.
    pub(crate) fn redirect_target(&self, response: &http::Response<Bytes>) -> Option<Url> {
        if !is_redirect(response.status()) {
            return None;
        }
        let location = response.headers().get(LOCATION)?.to_str().ok()?;
        self.url.join(location).ok()
    }

    /// Moves to `next` after a `status` redirect, as the rules say (the module docs), or
    /// the [`Error::Redirect`] saying why not.
    pub(crate) fn follow(
        &mut self,
        status: StatusCode,
        next: Url,
        origins: &Origins,
    ) -> Result<(), Error> {
        let refuse = |reason: &'static str| Error::Redirect {
            status,
            location: format!("{}{}", next.origin().ascii_serialization(), next.path()),
            reason,
        };
        self.hops += 1;
        if self.hops > MAX_REDIRECTS {
            return Err(refuse("more than ten redirects in a row"));
        }
        if self.url.scheme() == "https" && next.scheme() != "https" {
            return Err(refuse("it leaves https"));
        }
        // 303, and 301/302 after a POST, continue as a GET without the body.
        if (status == StatusCode::SEE_OTHER && self.method != Method::HEAD)
            || (self.method == Method::POST
                && matches!(status, StatusCode::MOVED_PERMANENTLY | StatusCode::FOUND))
        {
            self.method = Method::GET;
            self.body = Bytes::new();
            // Nothing that described the body goes on without it.
            for name in [
                CONTENT_TYPE,
                http::header::CONTENT_ENCODING,
                http::header::CONTENT_LENGTH,
                http::header::CONTENT_LANGUAGE,
            ] {
                self.headers.remove(name);
            }
        }
        if !(self.trusted && origins.allow(&next)) {
            if !self.body.is_empty() {
                return Err(refuse(
                    "another origin must not receive the request body (only the service's origin may)",
                ));
            }
            if !self.content_download || self.method != Method::GET {
                return Err(refuse(
                    "an API response must come from the service's origin (only content downloads may be redirected elsewhere)",
                ));
            }
            // A content download leaves the service: no token, none of its headers.
            self.trusted = false;
            let mut kept = HeaderMap::new();
            for name in [ACCEPT, USER_AGENT] {
                if let Some(value) = self.headers.get(&name) {
                    kept.insert(name, value.clone());
                }
            }
            self.headers = kept;
        }
        self.url = next;
        Ok(())
    }
}

fn is_redirect(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::MOVED_PERMANENTLY
            | StatusCode::FOUND
            | StatusCode::SEE_OTHER
            | StatusCode::TEMPORARY_REDIRECT
            | StatusCode::PERMANENT_REDIRECT
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    fn origins() -> Origins {
        Origins::new(
            &url("https://service.example/v1.0"),
            vec!["pages.example".into(), "http://localhost:8080".into()],
        )
        .unwrap()
    }

    fn hop(method: Method, body: &[u8], content_download: bool) -> Hop {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("*/*"));
        headers.insert(USER_AGENT, HeaderValue::from_static("test/1"));
        headers.insert("x-api-key", HeaderValue::from_static("secret"));
        if !body.is_empty() {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        Hop::start(&PreparedRequest {
            method,
            url: url("https://service.example/v1.0/files/1/content"),
            headers,
            body: (!body.is_empty()).then(|| Bytes::copy_from_slice(body)),
            content_download,
            selects: false,
            timeout: None,
            retry: None,
            anonymous: false,
        })
    }

    fn reason(result: Result<(), Error>) -> &'static str {
        match result {
            Err(Error::Redirect { reason, .. }) => reason,
            other => panic!("expected a refused redirect, got {other:?}"),
        }
    }

    #[test]
    fn origins_are_the_base_url_and_the_allowed_hosts() {
        let origins = origins();
        assert!(origins.allow(&url("https://service.example/other")));
        // A bare host means https on the default port.
        assert!(origins.allow(&url("https://pages.example/next")));
        assert!(!origins.allow(&url("http://pages.example/next")));
        assert!(!origins.allow(&url("https://pages.example:8443/next")));
        assert!(origins.allow(&url("http://localhost:8080/x")));
        assert!(!origins.allow(&url("https://service.example.evil/v1.0")));
        assert_eq!(
            origins.next_link_origins().collect::<Vec<_>>(),
            ["https://pages.example", "http://localhost:8080"]
        );
        for bad in ["ftp://host", "https://", "not a host"] {
            let err = Origins::new(&url("https://s.example"), vec![bad.into()]).unwrap_err();
            assert!(matches!(err, Error::Config(_)), "{bad}: {err:?}");
        }
    }

    #[test]
    fn only_redirect_statuses_with_a_location_redirect() {
        let hop = hop(Method::GET, b"", false);
        let response = |status: u16, location: Option<&str>| {
            let mut builder = http::Response::builder().status(status);
            if let Some(location) = location {
                builder = builder.header(LOCATION, location);
            }
            builder.body(Bytes::new()).unwrap()
        };
        assert_eq!(
            hop.redirect_target(&response(307, Some("../other"))),
            Some(url("https://service.example/v1.0/files/other"))
        );
        assert_eq!(hop.redirect_target(&response(307, None)), None);
        assert_eq!(hop.redirect_target(&response(200, Some("/x"))), None);
        assert_eq!(hop.redirect_target(&response(304, Some("/x"))), None);
    }

    #[test]
    fn within_the_allowed_origins_the_token_and_headers_go_along() {
        let mut hop = hop(Method::PATCH, b"{}", false);
        hop.follow(
            StatusCode::TEMPORARY_REDIRECT,
            url("https://pages.example/v1.0/x"),
            &origins(),
        )
        .unwrap();
        assert!(hop.trusted);
        assert_eq!(hop.method, Method::PATCH);
        assert_eq!(&hop.body[..], b"{}");
        assert!(hop.headers.contains_key("x-api-key"));
        assert_eq!(hop.url.as_str(), "https://pages.example/v1.0/x");
    }

    #[test]
    fn a_content_download_leaves_without_the_token_and_the_clients_headers() {
        let mut hop = hop(Method::GET, b"", true);
        hop.follow(
            StatusCode::FOUND,
            url("https://cdn.example/blob"),
            &origins(),
        )
        .unwrap();
        assert!(!hop.trusted);
        let names: Vec<_> = hop.headers.keys().map(|n| n.as_str()).collect();
        assert_eq!(names, ["accept", "user-agent"]);
        // Once outside, it stays untrusted even when led back to the service.
        hop.follow(
            StatusCode::FOUND,
            url("https://service.example/v1.0/files/1/content"),
            &origins(),
        )
        .unwrap();
        assert!(!hop.trusted);
    }

    #[test]
    fn other_requests_never_leave_the_allowed_origins() {
        let elsewhere = url("https://cdn.example/blob");
        let mut api_call = hop(Method::GET, b"", false);
        assert!(
            reason(api_call.follow(StatusCode::FOUND, elsewhere.clone(), &origins()))
                .contains("API response")
        );
        let mut upload = hop(Method::PUT, b"{}", true);
        assert!(reason(upload.follow(
            StatusCode::TEMPORARY_REDIRECT,
            elsewhere.clone(),
            &origins()
        ))
        .contains("request body"));
        let mut delete = hop(Method::DELETE, b"", true);
        assert!(
            reason(delete.follow(StatusCode::FOUND, elsewhere, &origins()))
                .contains("only content downloads")
        );
    }

    #[test]
    fn https_to_http_is_refused_even_within_the_origins() {
        let mut hop = hop(Method::GET, b"", true);
        let err = hop.follow(
            StatusCode::FOUND,
            url("http://localhost:8080/x"),
            &origins(),
        );
        assert_eq!(reason(err), "it leaves https");
    }

    #[test]
    fn see_other_and_a_moved_post_continue_as_a_get_without_the_body() {
        for (method, status) in [
            (Method::POST, StatusCode::SEE_OTHER),
            (Method::PUT, StatusCode::SEE_OTHER),
            (Method::POST, StatusCode::FOUND),
            (Method::POST, StatusCode::MOVED_PERMANENTLY),
        ] {
            let mut hop = hop(method.clone(), b"{}", false);
            hop.follow(status, url("https://service.example/v1.0/y"), &origins())
                .unwrap();
            assert_eq!(hop.method, Method::GET, "{method} {status}");
            assert!(hop.body.is_empty());
            assert!(!hop.headers.contains_key(CONTENT_TYPE));
        }
        // 307 and 308 keep the method and the body.
        let mut kept = hop(Method::POST, b"{}", false);
        kept.follow(
            StatusCode::PERMANENT_REDIRECT,
            url("https://service.example/v1.0/y"),
            &origins(),
        )
        .unwrap();
        assert_eq!(kept.method, Method::POST);
        assert_eq!(&kept.body[..], b"{}");
    }

    #[test]
    fn the_eleventh_redirect_in_a_row_is_refused() {
        let mut hop = hop(Method::GET, b"", false);
        let next = url("https://service.example/v1.0/loop");
        for _ in 0..MAX_REDIRECTS {
            hop.follow(StatusCode::FOUND, next.clone(), &origins())
                .unwrap();
        }
        let err = hop.follow(StatusCode::FOUND, next, &origins());
        assert_eq!(reason(err), "more than ten redirects in a row");
    }
}

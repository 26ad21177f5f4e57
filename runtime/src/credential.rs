//! Access tokens and where they come from.
//!
//! A [`TokenCredential`] produces bearer tokens for a list of scopes. The
//! [`Client`](crate::Client) caches the token it gets and asks the credential again only
//! shortly before the token expires; concurrent requests share one refresh.
//!
//! Tokens are held in [`Secret`], whose `Debug` and `Display` print `<redacted>`.

use std::fmt;
use std::time::{Duration, SystemTime};

pub use crate::boxed::BoxFuture;
use crate::Error;

/// A secret string (an access token). `Debug` and `Display` print `<redacted>`; the value is
/// only reachable through [`Secret::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps `value`.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret value. Do not log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

/// A bearer token and the time it expires.
#[derive(Clone, Debug)]
pub struct AccessToken {
    /// The token, sent as `Authorization: Bearer <token>`.
    pub token: Secret,
    /// When the token stops being valid.
    pub expires_on: SystemTime,
}

impl AccessToken {
    /// A token that expires at `expires_on`.
    pub fn new(token: impl Into<Secret>, expires_on: SystemTime) -> Self {
        AccessToken {
            token: token.into(),
            expires_on,
        }
    }
}

/// A source of access tokens.
///
/// Implement it for your own token source; the method returns a boxed future so the trait
/// stays object safe without an `async-trait` dependency:
///
/// ```
/// use graph_odata_runtime::{AccessToken, BoxFuture, Error, TokenCredential};
/// use std::time::{Duration, SystemTime};
///
/// struct FromEnv;
///
/// impl TokenCredential for FromEnv {
///     fn get_token<'a>(&'a self, _scopes: &'a [String]) -> BoxFuture<'a, Result<AccessToken, Error>> {
///         Box::pin(async move {
///             let token = std::env::var("GRAPH_TOKEN")
///                 .map_err(|e| Error::credential("GRAPH_TOKEN is not set", Some(Box::new(e))))?;
///             Ok(AccessToken::new(token, SystemTime::now() + Duration::from_secs(3600)))
///         })
///     }
/// }
/// ```
pub trait TokenCredential: Send + Sync {
    /// Gets a token valid for `scopes` (for Microsoft Graph, e.g.
    /// `["https://graph.microsoft.com/.default"]`).
    fn get_token<'a>(&'a self, scopes: &'a [String]) -> BoxFuture<'a, Result<AccessToken, Error>>;

    /// Gets a new token for `scopes` that satisfies `claims`, after the service answered
    /// `401` with a claims challenge (`WWW-Authenticate: Bearer ... claims="..."`, sent by
    /// Microsoft Graph for continuous access evaluation and conditional access). `claims`
    /// is the decoded JSON object, ready for the identity provider's `claims` parameter.
    ///
    /// The client calls this at most once per request and then sends the request again.
    /// The default calls [`get_token`](Self::get_token), ignoring the claims; credentials
    /// that can ask for claims should override it.
    fn get_token_with_claims<'a>(
        &'a self,
        scopes: &'a [String],
        claims: &'a str,
    ) -> BoxFuture<'a, Result<AccessToken, Error>> {
        let _ = claims;
        self.get_token(scopes)
    }
}

impl<C: TokenCredential + ?Sized> TokenCredential for std::sync::Arc<C> {
    fn get_token<'a>(&'a self, scopes: &'a [String]) -> BoxFuture<'a, Result<AccessToken, Error>> {
        (**self).get_token(scopes)
    }

    fn get_token_with_claims<'a>(
        &'a self,
        scopes: &'a [String],
        claims: &'a str,
    ) -> BoxFuture<'a, Result<AccessToken, Error>> {
        (**self).get_token_with_claims(scopes, claims)
    }
}

impl<C: TokenCredential + ?Sized> TokenCredential for Box<C> {
    fn get_token<'a>(&'a self, scopes: &'a [String]) -> BoxFuture<'a, Result<AccessToken, Error>> {
        (**self).get_token(scopes)
    }

    fn get_token_with_claims<'a>(
        &'a self,
        scopes: &'a [String],
        claims: &'a str,
    ) -> BoxFuture<'a, Result<AccessToken, Error>> {
        (**self).get_token_with_claims(scopes, claims)
    }
}

/// A credential that always returns the same token, which it reports as valid for ten
/// years. Useful for tests, tools that receive a token from elsewhere, and services
/// that need no real token.
#[derive(Clone, Debug)]
pub struct StaticTokenCredential {
    token: Secret,
}

impl StaticTokenCredential {
    /// A credential returning `token`.
    pub fn new(token: impl Into<Secret>) -> Self {
        StaticTokenCredential {
            token: token.into(),
        }
    }
}

impl TokenCredential for StaticTokenCredential {
    fn get_token<'a>(&'a self, _scopes: &'a [String]) -> BoxFuture<'a, Result<AccessToken, Error>> {
        ten_year_token(self.token.clone())
    }
}

/// `token`, reported as valid for ten years (the static credentials never refresh).
fn ten_year_token(token: Secret) -> BoxFuture<'static, Result<AccessToken, Error>> {
    let expires_on = SystemTime::now() + Duration::from_secs(10 * 365 * 24 * 3600);
    Box::pin(std::future::ready(Ok(AccessToken::new(token, expires_on))))
}

/// A credential for services that take no bearer token: public services, and services
/// authenticated by a header set with [`ClientBuilder::header`](crate::ClientBuilder::header)
/// (`Authorization: Basic ...`, an API key). Requests carry no `Authorization` header of
/// the client's own; like every header the client adds, a header set on the builder goes
/// only to the allowed origins.
///
/// (It hands the client an empty token, and the client never sends an empty token: `Bearer`
/// without a token is not a valid credential anyway.)
#[derive(Clone, Copy, Debug, Default)]
pub struct NoCredential;

impl TokenCredential for NoCredential {
    fn get_token<'a>(&'a self, _scopes: &'a [String]) -> BoxFuture<'a, Result<AccessToken, Error>> {
        ten_year_token(Secret::new(String::new()))
    }
}

/// The client's token cache: one token, refreshed under a lock so that concurrent requests
/// share one call to the credential.
///
/// A token is replaced `margin` before it expires, where `margin` is the configured refresh
/// margin or half the token's lifetime, whichever is shorter (decided when the token is
/// cached): a token valid for four minutes is used for two, not refetched on every request
/// because the default margin is five minutes.
pub(crate) struct TokenCache {
    credential: Box<dyn TokenCredential>,
    scopes: Vec<String>,
    refresh_margin: Duration,
    current: tokio::sync::Mutex<Option<Cached>>,
}

/// A cached token and the time to replace it.
struct Cached {
    token: AccessToken,
    refresh_at: SystemTime,
}

impl Cached {
    fn new(token: AccessToken, margin: Duration) -> Self {
        let lifetime = token
            .expires_on
            .duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO);
        let margin = margin.min(lifetime / 2);
        let refresh_at = token
            .expires_on
            .checked_sub(margin)
            .unwrap_or(token.expires_on);
        Cached { token, refresh_at }
    }
}

impl TokenCache {
    pub(crate) fn new(
        credential: Box<dyn TokenCredential>,
        scopes: Vec<String>,
        refresh_margin: Duration,
    ) -> Self {
        TokenCache {
            credential,
            scopes,
            refresh_margin,
            current: tokio::sync::Mutex::new(None),
        }
    }

    pub(crate) fn scopes(&self) -> &[String] {
        &self.scopes
    }

    pub(crate) fn refresh_margin(&self) -> Duration {
        self.refresh_margin
    }

    /// The cached token, or a new one when none is cached or the cached one is due for
    /// refresh. If refreshing fails while the cached token is still valid, the cached token
    /// is used.
    pub(crate) async fn token(&self) -> Result<Secret, Error> {
        let mut current = self.current.lock().await;
        if let Some(cached) = current.as_ref() {
            if SystemTime::now() < cached.refresh_at {
                return Ok(cached.token.token.clone());
            }
        }
        match self.credential.get_token(&self.scopes).await {
            Ok(fresh) => {
                let secret = fresh.token.clone();
                *current = Some(Cached::new(fresh, self.refresh_margin));
                Ok(secret)
            }
            Err(err) => match current.as_ref() {
                Some(old) if old.token.expires_on > SystemTime::now() => {
                    tracing::warn!(error = %err, "token refresh failed; using the cached token until it expires");
                    Ok(old.token.token.clone())
                }
                _ => Err(credential_error(err)),
            },
        }
    }

    /// A new token that satisfies `claims` (after a claims challenge), which replaces the
    /// cached one. The rejected token is never used again.
    pub(crate) async fn token_with_claims(&self, claims: &str) -> Result<Secret, Error> {
        let mut current = self.current.lock().await;
        let fresh = self
            .credential
            .get_token_with_claims(&self.scopes, claims)
            .await
            .map_err(credential_error)?;
        let secret = fresh.token.clone();
        *current = Some(Cached::new(fresh, self.refresh_margin));
        Ok(secret)
    }

    /// Forgets the cached token if it is `used` (after a 401), so the next request gets a
    /// new one. A token refreshed meanwhile by another request is kept.
    pub(crate) async fn invalidate(&self, used: &Secret) {
        let mut current = self.current.lock().await;
        if current.as_ref().is_some_and(|c| &c.token.token == used) {
            *current = None;
        }
    }
}

/// `err` as an [`Error::Credential`].
fn credential_error(err: Error) -> Error {
    match err {
        e @ Error::Credential { .. } => e,
        other => Error::credential(
            "the credential returned another kind of error",
            Some(Box::new(other)),
        ),
    }
}

#[cfg(feature = "azure-identity")]
pub use azure::AzureIdentityCredential;

#[cfg(feature = "azure-identity")]
mod azure {
    use std::sync::Arc;
    use std::time::SystemTime;

    use super::{AccessToken, BoxFuture, TokenCredential};
    use crate::Error;

    /// Adapts an [`azure_core::credentials::TokenCredential`] (any `azure_identity`
    /// credential: `DeveloperToolsCredential`, `ClientSecretCredential`,
    /// `ManagedIdentityCredential`, ...) to this crate's [`TokenCredential`].
    ///
    /// Available with the `azure-identity` feature. `azure_core` 0.30 has no way to pass
    /// the claims of a claims challenge, so after one this asks for a new token without
    /// them (the default of [`TokenCredential::get_token_with_claims`]).
    ///
    /// ```no_run
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use graph_odata_runtime::{AzureIdentityCredential, Client};
    ///
    /// let azure = azure_identity::DeveloperToolsCredential::new(None)?;
    /// let client = Client::builder(
    ///     "https://graph.microsoft.com/v1.0",
    ///     AzureIdentityCredential::new(azure),
    /// )
    /// .build()?;
    /// # Ok(()) }
    /// ```
    #[derive(Clone)]
    pub struct AzureIdentityCredential {
        inner: Arc<dyn azure_core::credentials::TokenCredential>,
    }

    impl AzureIdentityCredential {
        /// Wraps `credential`.
        pub fn new(credential: Arc<dyn azure_core::credentials::TokenCredential>) -> Self {
            AzureIdentityCredential { inner: credential }
        }
    }

    impl std::fmt::Debug for AzureIdentityCredential {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("AzureIdentityCredential")
                .finish_non_exhaustive()
        }
    }

    impl TokenCredential for AzureIdentityCredential {
        fn get_token<'a>(
            &'a self,
            scopes: &'a [String],
        ) -> BoxFuture<'a, Result<AccessToken, Error>> {
            Box::pin(async move {
                let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
                let token = self.inner.get_token(&scopes, None).await.map_err(|e| {
                    Error::credential("azure_identity could not get a token", Some(Box::new(e)))
                })?;
                let expires_on = SystemTime::from(token.expires_on);
                Ok(AccessToken::new(
                    token.token.secret().to_owned(),
                    expires_on,
                ))
            })
        }
    }

    #[cfg(test)]
    mod tests {
        use std::future::Future;
        use std::pin::Pin;
        use std::sync::Arc;
        use std::time::{Duration, SystemTime};

        use azure_core::credentials::{AccessToken as AzureToken, TokenRequestOptions};
        use azure_core::time::OffsetDateTime;

        use super::{AzureIdentityCredential, TokenCredential};

        #[derive(Debug)]
        struct Fake;

        // What `#[async_trait]` expands to, written out to avoid the macro dependency.
        impl azure_core::credentials::TokenCredential for Fake {
            fn get_token<'s, 'a, 'b, 'c, 'f>(
                &'s self,
                scopes: &'a [&'b str],
                _options: Option<TokenRequestOptions<'c>>,
            ) -> Pin<Box<dyn Future<Output = azure_core::Result<AzureToken>> + Send + 'f>>
            where
                's: 'f,
                'a: 'f,
                'b: 'f,
                'c: 'f,
                Self: 'f,
            {
                let scope = scopes.join(" ");
                Box::pin(async move {
                    if scope == "bad" {
                        return Err(azure_core::Error::with_message(
                            azure_core::error::ErrorKind::Credential,
                            "no login",
                        ));
                    }
                    Ok(AzureToken::new(
                        format!("tok:{scope}"),
                        OffsetDateTime::now_utc() + Duration::from_secs(3600),
                    ))
                })
            }
        }

        #[tokio::test]
        async fn adapts_azure_credentials() {
            let credential = AzureIdentityCredential::new(Arc::new(Fake));
            let scopes = vec!["https://graph.microsoft.com/.default".to_owned()];
            let token = credential.get_token(&scopes).await.unwrap();
            assert_eq!(
                token.token.expose(),
                "tok:https://graph.microsoft.com/.default"
            );
            let left = token.expires_on.duration_since(SystemTime::now()).unwrap();
            assert!(left > Duration::from_secs(3500));
            assert!(!format!("{credential:?}").contains("tok"));

            let err = credential.get_token(&["bad".to_owned()]).await.unwrap_err();
            assert!(matches!(err, crate::Error::Credential { .. }), "{err:?}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cached(lifetime: Duration, margin: Duration) -> Duration {
        let now = SystemTime::now();
        let c = Cached::new(AccessToken::new("t", now + lifetime), margin);
        c.refresh_at.duration_since(now).unwrap_or(Duration::ZERO)
    }

    #[test]
    fn the_refresh_margin_fits_the_token() {
        let five_min = Duration::from_secs(300);
        // A one-hour token is replaced five minutes before it expires.
        let used = cached(Duration::from_secs(3600), five_min);
        assert!(used > Duration::from_secs(3290) && used <= Duration::from_secs(3300));
        // A four-minute token is used for about two minutes, not refetched every time.
        let used = cached(Duration::from_secs(240), five_min);
        assert!(used > Duration::from_secs(119) && used < Duration::from_secs(121));
        // An expired token is due at once.
        assert_eq!(cached(Duration::ZERO, five_min), Duration::ZERO);
        let now = SystemTime::now();
        let c = Cached::new(
            AccessToken::new("t", now - Duration::from_secs(5)),
            five_min,
        );
        assert!(c.refresh_at <= now);
        // A zero margin uses the token to the end.
        let used = cached(Duration::from_secs(60), Duration::ZERO);
        assert!(used > Duration::from_secs(59));
    }
}

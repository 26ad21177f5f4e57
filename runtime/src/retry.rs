//! When and how long to wait before sending a request again.

use std::time::{Duration, SystemTime};

use http::{HeaderMap, Method, StatusCode};

/// Which failed attempts are sent again, how often and after how long.
///
/// * Status `429 Too Many Requests` is retried for every method.
/// * Any other status in [`retry_statuses`](Self::retry_statuses) (by default 503 and 504)
///   is retried only for idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS, TRACE),
///   unless [`retry_non_idempotent_5xx`](Self::retry_non_idempotent_5xx) is set.
/// * Connection failures and timeouts are retried only for idempotent methods.
/// * The wait is the response's `Retry-After` (delta-seconds or HTTP-date) when it has a
///   valid one, else exponential backoff from [`base_delay`](Self::base_delay) with jitter
///   (at most [`max_delay`](Self::max_delay)).
/// * The server's wait is never cut short: when `Retry-After` asks for longer than
///   [`max_delay`](Self::max_delay), the error is returned at once, and
///   [`Error::retry_after`](crate::Error::retry_after) tells how long the server asked for.
/// * No attempt starts after [`max_attempts`](Self::max_attempts) attempts, or when the
///   wait would end later than [`max_total_time`](Self::max_total_time) after the first
///   attempt started; the last error is then returned at once, with its attempt count.
///
/// Fields are public; the same-named methods set them in a chain:
///
/// ```
/// use graph_odata_runtime::RetryPolicy;
/// use std::time::Duration;
///
/// let policy = RetryPolicy::default().max_attempts(6).max_delay(Duration::from_secs(10));
/// assert_eq!(policy.max_attempts, 6);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// The most attempts per request, the first included (default 4; 0 counts as 1).
    pub max_attempts: u32,
    /// The first backoff delay, doubled after every attempt (default 500 ms).
    pub base_delay: Duration,
    /// The longest single wait (default 30 s). A response whose `Retry-After` asks for longer
    /// is not retried.
    pub max_delay: Duration,
    /// The longest time from the start of the first attempt to the start of the last one
    /// (default 60 s). Single attempts are bounded by the client's timeout instead.
    pub max_total_time: Duration,
    /// The statuses that are retried (default 429, 503, 504).
    pub retry_statuses: Vec<u16>,
    /// Whether statuses other than 429 are retried for non-idempotent methods (POST,
    /// PATCH) too (default `false`: the first attempt may have taken effect).
    pub retry_non_idempotent_5xx: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_total_time: Duration::from_secs(60),
            retry_statuses: vec![429, 503, 504],
            retry_non_idempotent_5xx: false,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Sets [`max_attempts`](Self::max_attempts).
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n;
        self
    }

    /// Sets [`base_delay`](Self::base_delay).
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// Sets [`max_delay`](Self::max_delay).
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Sets [`max_total_time`](Self::max_total_time).
    pub fn max_total_time(mut self, total: Duration) -> Self {
        self.max_total_time = total;
        self
    }

    /// Sets [`retry_statuses`](Self::retry_statuses).
    pub fn retry_statuses(mut self, statuses: impl IntoIterator<Item = u16>) -> Self {
        self.retry_statuses = statuses.into_iter().collect();
        self
    }

    /// Sets [`retry_non_idempotent_5xx`](Self::retry_non_idempotent_5xx).
    pub fn retry_non_idempotent_5xx(mut self, yes: bool) -> Self {
        self.retry_non_idempotent_5xx = yes;
        self
    }

    /// Whether a response with `status` to a `method` request may be retried.
    pub(crate) fn status_is_retryable(&self, method: &Method, status: StatusCode) -> bool {
        if !self.retry_statuses.contains(&status.as_u16()) {
            return false;
        }
        status == StatusCode::TOO_MANY_REQUESTS
            || is_idempotent(method)
            || self.retry_non_idempotent_5xx
    }

    /// The wait before attempt `attempt + 1` after attempt `attempt` (1-based) failed:
    /// the server's `retry_after` when it sent one, else backoff. `None` (do not retry) when
    /// the server asks for longer than [`max_delay`](Self::max_delay): retrying earlier
    /// would only be refused again.
    pub(crate) fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Option<Duration> {
        match retry_after {
            Some(wait) if wait > self.max_delay => None,
            Some(wait) => Some(wait),
            None => Some(self.backoff(attempt)),
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let exp = attempt.saturating_sub(1).min(30);
        let full = self
            .base_delay
            .saturating_mul(1u32 << exp)
            .min(self.max_delay);
        // "Equal jitter": between half and all of the exponential delay.
        Duration::try_from_secs_f64(full.as_secs_f64() * (0.5 + fastrand::f64() * 0.5))
            .unwrap_or(full)
    }
}

/// GET, HEAD, PUT, DELETE, OPTIONS and TRACE.
pub(crate) fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
    )
}

/// The `Retry-After` header as a wait: delta-seconds, or an HTTP-date (a date in the past
/// is no wait). `None` when absent or invalid.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Saturate absurd values instead of failing; they are longer than any max_delay.
        let secs = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(http::header::RETRY_AFTER, v.parse().unwrap());
        h
    }

    #[test]
    fn parses_retry_after() {
        assert_eq!(retry_after(&headers("1")), Some(Duration::from_secs(1)));
        assert_eq!(retry_after(&headers(" 7 ")), Some(Duration::from_secs(7)));
        assert_eq!(
            retry_after(&headers("99999999999999999999999999")),
            Some(Duration::from_secs(u64::MAX))
        );
        assert_eq!(retry_after(&headers("-1")), None);
        assert_eq!(retry_after(&headers("soon")), None);
        assert_eq!(retry_after(&HeaderMap::new()), None);
        assert_eq!(
            retry_after(&headers("Sun, 06 Nov 1994 08:49:37 GMT")),
            Some(Duration::ZERO)
        );
        let future = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(120));
        let d = retry_after(&headers(&future)).unwrap();
        assert!(d > Duration::from_secs(100) && d <= Duration::from_secs(120));
    }

    #[test]
    fn retry_after_is_honoured_or_refused_and_backoff_is_capped() {
        let p = RetryPolicy::default()
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_secs(2));
        let wait = |v: &str| p.delay(1, retry_after(&headers(v)));
        assert_eq!(wait("2"), Some(Duration::from_secs(2)));
        assert_eq!(wait("0"), Some(Duration::ZERO));
        assert_eq!(wait("3"), None, "longer than max_delay: not retried early");
        assert_eq!(wait("3600"), None);
        assert_eq!(wait("99999999999999999999"), None);
        let d = wait("bogus").unwrap();
        assert!(d >= Duration::from_millis(50) && d <= Duration::from_millis(100));
        let d = p.delay(3, None).unwrap();
        assert!(d >= Duration::from_millis(200) && d <= Duration::from_millis(400));
        assert!(p.delay(100, None).unwrap() <= Duration::from_secs(2));
    }

    #[test]
    fn which_statuses_are_retried() {
        let p = RetryPolicy::default();
        assert!(p.status_is_retryable(&Method::POST, StatusCode::TOO_MANY_REQUESTS));
        assert!(p.status_is_retryable(&Method::GET, StatusCode::SERVICE_UNAVAILABLE));
        assert!(!p.status_is_retryable(&Method::POST, StatusCode::SERVICE_UNAVAILABLE));
        assert!(!p.status_is_retryable(&Method::PATCH, StatusCode::GATEWAY_TIMEOUT));
        assert!(!p.status_is_retryable(&Method::GET, StatusCode::INTERNAL_SERVER_ERROR));
        let p = p.retry_non_idempotent_5xx(true);
        assert!(p.status_is_retryable(&Method::POST, StatusCode::SERVICE_UNAVAILABLE));
    }
}

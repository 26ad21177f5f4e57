//! Polling a resource until it reaches a state: a long-running operation, a provisioning job,
//! a replicated change.
//!
//! ```no_run
//! # async fn run(client: graph_odata_runtime::Client) -> Result<(), graph_odata_runtime::Error> {
//! use graph_odata_runtime::poll::{poll_until, PollPolicy};
//! use graph_odata_runtime::{Method, ODataPath, Request};
//! use serde_json::Value;
//! use std::time::Duration;
//!
//! let job = ODataPath::root().segment("jobs").key("j1");
//! let finished: Value = poll_until(
//!     || Request::json(&client, Method::GET, job.clone()),
//!     |job: &Value| job["status"] != "running",
//!     PollPolicy::default().max_total_time(Duration::from_secs(120)),
//! )
//! .await?;
//! # Ok(()) }
//! ```

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

// Tokio's clock, which is the system's unless a test pauses it: the budget and the waits
// (`tokio::time::sleep`) are then measured on one clock.
use tokio::time::Instant;

use crate::error::Error;
use crate::request::Request;

/// When to poll again and when to give up.
///
/// The wait after a poll starts at [`initial_interval`](Self::initial_interval) and doubles
/// up to [`max_interval`](Self::max_interval); a `Retry-After` on the answer makes it longer
/// (never shorter). Polling ends with [`Error::PollExhausted`] after
/// [`max_polls`](Self::max_polls) polls, or when the next poll would start later than
/// [`max_total_time`](Self::max_total_time) after the first. Each poll is one request with
/// the client's own retries.
#[derive(Clone)]
#[non_exhaustive]
pub struct PollPolicy {
    /// The most polls (default 60; 0 counts as 1).
    pub max_polls: u32,
    /// The longest time from the first poll to the start of the last (default 10 min).
    pub max_total_time: Duration,
    /// The wait after the first poll (default 1 s).
    pub initial_interval: Duration,
    /// The longest wait chosen by backoff (default 30 s); a longer `Retry-After` is waited.
    pub max_interval: Duration,
    stop_on_error: Arc<dyn Fn(&Error) -> bool + Send + Sync>,
}

impl Default for PollPolicy {
    fn default() -> Self {
        PollPolicy {
            max_polls: 60,
            max_total_time: Duration::from_secs(600),
            initial_interval: Duration::from_secs(1),
            max_interval: Duration::from_secs(30),
            stop_on_error: Arc::new(|_| true),
        }
    }
}

impl PollPolicy {
    /// Sets [`max_polls`](Self::max_polls).
    pub fn max_polls(mut self, n: u32) -> Self {
        self.max_polls = n;
        self
    }

    /// Sets [`max_total_time`](Self::max_total_time).
    pub fn max_total_time(mut self, total: Duration) -> Self {
        self.max_total_time = total;
        self
    }

    /// Sets [`initial_interval`](Self::initial_interval).
    pub fn initial_interval(mut self, interval: Duration) -> Self {
        self.initial_interval = interval;
        self
    }

    /// Sets [`max_interval`](Self::max_interval).
    pub fn max_interval(mut self, interval: Duration) -> Self {
        self.max_interval = interval;
        self
    }

    /// Which failed polls end polling: `stop(&error)` returning `true` returns that error,
    /// `false` polls again (e.g. a `404` while a new object replicates). By default every
    /// error ends polling.
    pub fn stop_on_error(mut self, stop: impl Fn(&Error) -> bool + Send + Sync + 'static) -> Self {
        self.stop_on_error = Arc::new(stop);
        self
    }

    /// Whether `error` ends polling ([`stop_on_error`](Self::stop_on_error)).
    pub(crate) fn stops_on(&self, error: &Error) -> bool {
        (self.stop_on_error)(error)
    }

    pub(crate) fn interval(&self, polls: u32) -> Duration {
        let exp = polls.saturating_sub(1).min(30);
        self.initial_interval
            .saturating_mul(1u32 << exp)
            .min(self.max_interval.max(self.initial_interval))
    }
}

impl fmt::Debug for PollPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PollPolicy")
            .field("max_polls", &self.max_polls)
            .field("max_total_time", &self.max_total_time)
            .field("initial_interval", &self.initial_interval)
            .field("max_interval", &self.max_interval)
            .finish_non_exhaustive()
    }
}

/// Sends `make_request()` until `done` accepts the answer, and returns that answer.
///
/// A new request is made for every poll (so each has its own `client-request-id`). Between
/// polls it waits as [`PollPolicy`] says. A failed poll ends polling with its error unless
/// [`PollPolicy::stop_on_error`] says to go on; running out of polls or time is
/// [`Error::PollExhausted`].
pub async fn poll_until<T, F, D>(
    mut make_request: F,
    done: D,
    policy: PollPolicy,
) -> Result<T, Error>
where
    F: FnMut() -> Request<T>,
    D: Fn(&T) -> bool,
{
    let start = Instant::now();
    let max_polls = policy.max_polls.max(1);
    let mut polls = 0;
    loop {
        polls += 1;
        let server_wait = match make_request().send_with_response().await {
            Ok(response) if done(&response.value) => return Ok(response.value),
            Ok(response) => response.retry_after(),
            Err(error) if (policy.stop_on_error)(&error) => return Err(error),
            Err(error) => error.retry_after(),
        };
        let wait = policy.interval(polls).max(server_wait.unwrap_or_default());
        if polls >= max_polls || start.elapsed().saturating_add(wait) > policy.max_total_time {
            return Err(Error::PollExhausted {
                polls,
                elapsed: start.elapsed(),
            });
        }
        tracing::debug!(
            polls,
            wait_ms = wait.as_millis() as u64,
            "not done; polling again"
        );
        tokio::time::sleep(wait).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_double_up_to_the_maximum() {
        let p = PollPolicy::default()
            .initial_interval(Duration::from_millis(100))
            .max_interval(Duration::from_millis(350));
        let waits: Vec<_> = (1..=5).map(|n| p.interval(n).as_millis()).collect();
        assert_eq!(waits, [100, 200, 350, 350, 350]);
        // A maximum below the initial interval keeps the initial one.
        let p = p.max_interval(Duration::ZERO);
        assert_eq!(p.interval(3), Duration::from_millis(100));
        assert!(PollPolicy::default().interval(u32::MAX) <= Duration::from_secs(30));
    }
}

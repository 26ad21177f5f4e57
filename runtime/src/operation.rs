//! Long-running operations: a create or an action the service answers with `202 Accepted`,
//! a `Location` header naming a monitor, and no body (creating a team, copying a drive
//! item). [`Request::start`] returns the finished answer or an [`Operation`] to follow;
//! [`Operation::wait`] polls the monitor until the operation ends and then yields the
//! resource it made (or the operation's error).
//!
//! ```no_run
//! # async fn run(client: graph_odata_runtime::Client) -> Result<(), graph_odata_runtime::Error> {
//! use graph_odata_runtime::poll::PollPolicy;
//! use graph_odata_runtime::{ODataPath, Request};
//! use serde_json::{json, Value};
//!
//! let team: Value = Request::created(&client, ODataPath::root().segment("teams"))
//!     .json_body(&json!({"displayName": "Launch"}))
//!     .start()
//!     .await?
//!     .wait(PollPolicy::default())
//!     .await?;
//! # Ok(()) }
//! ```
//!
//! The monitor is polled with the token when it is on the service's origin (or an allowed
//! next-link host); a monitor elsewhere is a pre-authenticated URL (a drive item copy's) and
//! gets neither the token nor the client's headers. The resource is read from the
//! operation's `resourceLocation` (or `targetResourceLocation`), from where the monitor
//! redirects to, or from the `202`'s `Content-Location`, always on the service's origin. A
//! monitor that reports only the resource's id (a drive item copy's `resourceId`) ends
//! [`Operation::wait`] with [`Error::ResourceNotLocated`] naming it;
//! [`Operation::wait_status`] returns the final status itself.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http::header::{HeaderValue, ACCEPT, CONTENT_LOCATION, LOCATION, RETRY_AFTER, USER_AGENT};
use http::{HeaderMap, Method, StatusCode};
use serde_json::{Map, Value};
use tokio::time::Instant;
use url::Url;

use crate::client::Client;
use crate::error::{Error, ODataErrorDetail};
use crate::poll::PollPolicy;
use crate::prepared::PreparedRequest;
use crate::request::{decode_json, Decoder, Request};

impl<T: Send + 'static> Request<T> {
    /// Sends the request; an answer of `202 Accepted` with a `Location` header is a
    /// long-running operation ([`Accepted::Running`]), any other 2xx is decoded as
    /// [`send`](Request::send) does ([`Accepted::Done`]). The operation's resource is
    /// decoded like this request's answer.
    pub async fn start(self) -> Result<Accepted<T>, Error> {
        let prepared = self.build()?;
        let response = self.client().execute(prepared).await?;
        let location = response
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok());
        match location {
            Some(location) if response.status() == StatusCode::ACCEPTED => {
                let client = self.client().clone();
                let monitor = client.resolve_link(location)?;
                let resource = response
                    .headers()
                    .get(CONTENT_LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned);
                Ok(Accepted::Running(Operation {
                    client,
                    monitor,
                    resource,
                    first_wait: retry_after(response.headers()),
                    decode: self.decoder(),
                }))
            }
            _ => Ok(Accepted::Done((self.decoder())(response)?)),
        }
    }
}

/// What [`Request::start`] returns: the answer, or an operation still running.
#[derive(Debug)]
pub enum Accepted<T> {
    /// The service answered at once.
    Done(T),
    /// The service accepted the request and works on it.
    Running(Operation<T>),
}

impl<T> Accepted<T> {
    /// The answer: at once, or after [`Operation::wait`].
    pub async fn wait(self, policy: PollPolicy) -> Result<T, Error> {
        match self {
            Accepted::Done(value) => Ok(value),
            Accepted::Running(operation) => operation.wait(policy).await,
        }
    }
}

/// A running operation: its monitor URL, and how to read what it makes.
pub struct Operation<T> {
    client: Client,
    monitor: Url,
    /// The `202`'s `Content-Location`: where the resource will be.
    resource: Option<String>,
    /// The `202`'s `Retry-After`: how long to wait before the first poll.
    first_wait: Option<Duration>,
    decode: Decoder<T>,
}

impl<T> Operation<T> {
    /// The monitor URL (the `202`'s `Location`).
    pub fn monitor_url(&self) -> &Url {
        &self.monitor
    }

    /// Asks the monitor once for the operation's status. A monitor that answers with the
    /// finished resource itself, or redirects to it, reads as
    /// [`OperationState::Succeeded`].
    pub async fn status(&self) -> Result<OperationStatus, Error> {
        Ok(match self.poll().await? {
            Polled::Status(status, _) => status,
            Polled::Resource(_) | Polled::MovedTo(_) => OperationStatus::finished(),
        })
    }

    /// Polls the monitor until the operation ends, waiting between polls as `policy` says
    /// (and at least as long as a `Retry-After` asks), then reads the resource. A failed
    /// operation is [`Error::OperationFailed`]; running out of polls or time is
    /// [`Error::PollExhausted`]; a failed poll ends waiting unless
    /// [`PollPolicy::stop_on_error`] says otherwise. An operation that succeeds without
    /// saying where its resource is, when this request's answer is not empty, is
    /// [`Error::ResourceNotLocated`] (with the `resourceId` the monitor reported, if any;
    /// [`wait_status`](Self::wait_status) gives the whole final status instead).
    pub async fn wait(self, policy: PollPolicy) -> Result<T, Error> {
        match self.finish(policy).await? {
            Finished::Resource(response) => (self.decode)(response),
            Finished::MovedTo(location) => self.read(&location).await,
            Finished::Status(status) => match status.resource_location.or(self.resource.clone()) {
                Some(location) => self.read(&location).await,
                // An action that makes nothing decodes from no body; anything else needs a
                // location the service did not give.
                None => (self.decode)(http::Response::new(Bytes::new())).map_err(|_| {
                    Error::ResourceNotLocated {
                        resource_id: status.resource_id,
                        monitor: self.monitor_path(),
                    }
                }),
            },
        }
    }

    /// Polls the monitor like [`wait`](Self::wait) until the operation ends, and returns
    /// its final status without reading the resource: for monitors that report where the
    /// result is in their own terms (`resourceId`). A monitor that answered with the
    /// resource itself, or redirected to it, gives a status with its location (when known).
    pub async fn wait_status(self, policy: PollPolicy) -> Result<OperationStatus, Error> {
        Ok(match self.finish(policy).await? {
            Finished::Status(status) => status,
            Finished::Resource(_) => OperationStatus::finished(),
            Finished::MovedTo(location) => OperationStatus {
                resource_location: Some(location),
                ..OperationStatus::finished()
            },
        })
    }

    /// Polls until the operation ends with success (a failure is its error).
    async fn finish(&self, policy: PollPolicy) -> Result<Finished, Error> {
        let start = Instant::now();
        let max_polls = policy.max_polls.max(1);
        if let Some(wait) = self.first_wait {
            tokio::time::sleep(wait.min(policy.max_total_time)).await;
        }
        let mut polls = 0;
        loop {
            polls += 1;
            let server_wait = match self.poll().await {
                Ok(Polled::Resource(response)) => return Ok(Finished::Resource(response)),
                Ok(Polled::MovedTo(location)) => return Ok(Finished::MovedTo(location)),
                Ok(Polled::Status(status, wait)) => match status.state() {
                    OperationState::Succeeded => return Ok(Finished::Status(status)),
                    OperationState::Failed => {
                        return Err(Error::OperationFailed {
                            status: status.status,
                            error: status.error,
                            monitor: self.monitor_path(),
                        })
                    }
                    OperationState::Running => wait,
                },
                Err(error) if policy.stops_on(&error) => return Err(error),
                Err(error) => error.retry_after(),
            };
            let wait = policy.interval(polls).max(server_wait.unwrap_or_default());
            if polls >= max_polls || start.elapsed().saturating_add(wait) > policy.max_total_time {
                return Err(Error::PollExhausted {
                    polls,
                    elapsed: start.elapsed(),
                });
            }
            tokio::time::sleep(wait).await;
        }
    }

    /// The monitor URL's scheme, host and path (its query may be a credential).
    fn monitor_path(&self) -> String {
        format!(
            "{}{}",
            self.monitor.origin().ascii_serialization(),
            self.monitor.path()
        )
    }

    /// One poll of the monitor.
    async fn poll(&self) -> Result<Polled, Error> {
        let prepared = if self.client.is_allowed_origin(&self.monitor) {
            Request::<Value>::from_url(&self.client, Method::GET, self.monitor.as_str(), |_| {
                Ok(Value::Null)
            })
            .build()?
        } else {
            let mut headers = HeaderMap::new();
            headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
            headers.insert(USER_AGENT, self.client.user_agent().clone());
            PreparedRequest::without_token(Method::GET, self.monitor.clone(), headers, None)
        };
        let response = match self.client.execute(prepared).await {
            Ok(response) => response,
            // A monitor on another origin is not followed; its redirect names the resource.
            Err(Error::Http(e)) if e.status.is_redirection() => {
                return match e.headers.get(LOCATION).and_then(|v| v.to_str().ok()) {
                    Some(location) => Ok(Polled::MovedTo(location.to_owned())),
                    None => Err(Error::Http(e)),
                };
            }
            Err(e) => return Err(e),
        };
        let wait = retry_after(response.headers());
        let value: Value = decode_json(response.clone())?;
        match OperationStatus::from_value(value) {
            Some(status) => Ok(Polled::Status(status, wait)),
            // Not a status: the monitor led to the resource itself.
            None => Ok(Polled::Resource(response)),
        }
    }

    /// Reads the finished resource at `location` (on the service's origin) with the
    /// request's decoder.
    async fn read(&self, location: &str) -> Result<T, Error> {
        Request::from_url(&self.client, Method::GET, location, self.decode)
            .send()
            .await
    }
}

impl<T> fmt::Debug for Operation<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The path only: a pre-authenticated monitor URL's query is a credential.
        f.debug_struct("Operation")
            .field(
                "monitor",
                &format!(
                    "{}{}",
                    self.monitor.origin().ascii_serialization(),
                    self.monitor.path()
                ),
            )
            .field("resource", &self.resource)
            .finish_non_exhaustive()
    }
}

/// How an operation ended with success.
enum Finished {
    /// The monitor answered with the resource itself.
    Resource(http::Response<Bytes>),
    /// The monitor (on another origin) redirected to the resource.
    MovedTo(String),
    /// The monitor reported success.
    Status(OperationStatus),
}

/// What one poll found.
enum Polled {
    /// The operation's status, and the monitor's `Retry-After`.
    Status(OperationStatus, Option<Duration>),
    /// The resource itself (a monitor redirect the client followed).
    Resource(http::Response<Bytes>),
    /// A redirect to the resource that was not followed (a monitor on another origin).
    MovedTo(String),
}

/// Where an operation stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperationState {
    /// Not finished (`notStarted`, `running`, `inProgress`, `waiting`, or a status this
    /// runtime does not know).
    Running,
    /// Finished with success (`succeeded`, `completed`).
    Succeeded,
    /// Finished without success (`failed`, `skipped`, `invalid`, `cancelled`,
    /// `deleteFailed`).
    Failed,
}

/// An operation's status as its monitor reports it (`{"status": "running", ...}`).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct OperationStatus {
    /// The status, verbatim.
    pub status: String,
    /// `percentageComplete`, when sent.
    pub percentage_complete: Option<f64>,
    /// Where the finished resource is (`resourceLocation` or `targetResourceLocation`).
    pub resource_location: Option<String>,
    /// The finished resource's id (`resourceId`), which some monitors report instead of a
    /// location (a drive item copy's: the copy is `items/{resourceId}` of the target drive).
    pub resource_id: Option<String>,
    /// The operation's error (`error`), when sent.
    pub error: Option<ODataErrorDetail>,
    /// The whole answer.
    pub raw: Map<String, Value>,
}

impl OperationStatus {
    /// The status of an answer that is one: an object with a string `status`.
    fn from_value(value: Value) -> Option<Self> {
        let Value::Object(raw) = value else {
            return None;
        };
        let status = raw.get("status")?.as_str()?.to_owned();
        let text = |key: &str| raw.get(key).and_then(Value::as_str).map(str::to_owned);
        let resource_location = text("resourceLocation").or_else(|| text("targetResourceLocation"));
        let error = raw.get("error").and_then(Value::as_object).map(|e| {
            let field = |key: &str| e.get(key).and_then(Value::as_str).unwrap_or("").to_owned();
            ODataErrorDetail {
                code: field("code"),
                message: field("message"),
                target: e.get("target").and_then(Value::as_str).map(str::to_owned),
            }
        });
        Some(OperationStatus {
            status,
            percentage_complete: raw.get("percentageComplete").and_then(Value::as_f64),
            resource_location,
            resource_id: text("resourceId"),
            error,
            raw,
        })
    }

    /// The status of a monitor that answered with the resource.
    fn finished() -> Self {
        OperationStatus {
            status: "succeeded".into(),
            percentage_complete: Some(100.0),
            resource_location: None,
            resource_id: None,
            error: None,
            raw: Map::new(),
        }
    }

    /// Where the operation stands, from [`status`](Self::status) (any case).
    pub fn state(&self) -> OperationState {
        match self.status.to_ascii_lowercase().as_str() {
            "succeeded" | "completed" => OperationState::Succeeded,
            "failed" | "skipped" | "invalid" | "cancelled" | "canceled" | "deletefailed" => {
                OperationState::Failed
            }
            _ => OperationState::Running,
        }
    }
}

/// A `Retry-After` in seconds (the form monitors use).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let seconds: u64 = headers
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    Some(Duration::from_secs(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn statuses_of_graph_operations_map_to_states() {
        let state = |s: &str| {
            OperationStatus::from_value(json!({ "status": s }))
                .unwrap()
                .state()
        };
        for running in [
            "notStarted",
            "running",
            "inProgress",
            "waiting",
            "somethingNew",
        ] {
            assert_eq!(state(running), OperationState::Running, "{running}");
        }
        for done in ["succeeded", "completed", "Succeeded"] {
            assert_eq!(state(done), OperationState::Succeeded, "{done}");
        }
        for failed in ["failed", "skipped", "deleteFailed"] {
            assert_eq!(state(failed), OperationState::Failed, "{failed}");
        }
        assert!(OperationStatus::from_value(json!({"id": "1"})).is_none());
        assert!(OperationStatus::from_value(json!({"status": 3})).is_none());
        let status = OperationStatus::from_value(json!({
            "status": "failed",
            "targetResourceLocation": "/teams('1')",
            "error": {"code": "Conflict", "message": "name taken"}
        }))
        .unwrap();
        assert_eq!(status.resource_location.as_deref(), Some("/teams('1')"));
        assert_eq!(status.error.unwrap().code, "Conflict");
    }
}

//! JSON batching: up to [`MAX_BATCH_SIZE`] requests sent as one `POST /$batch`.
//!
//! ```no_run
//! # async fn run(client: graph_odata_runtime::Client) -> Result<(), graph_odata_runtime::Error> {
//! use graph_odata_runtime::batch::Batch;
//! use graph_odata_runtime::{Method, ODataPath, Page, Request};
//! use serde_json::Value;
//!
//! let mut batch = Batch::new(&client);
//! let me = batch.add(Request::<Value>::json(&client, Method::GET, ODataPath::root().segment("me")))?;
//! let groups = batch.add_after(
//!     Request::<Page<Value>>::page(&client, Method::GET, ODataPath::root().segment("groups")),
//!     &[me.id()],
//! )?;
//! let answers = batch.send().await?;
//! let me: Value = answers.get(&me)?; // this request's own result or error
//! let groups = answers.get(&groups)?;
//! # Ok(()) }
//! ```
//!
//! Each request keeps its own decoder: [`BatchResponses::get`] gives what `.await` on the
//! request alone would give, an OData error in one answer being that request's
//! [`Error::Http`]. Answers whose status the client's [`RetryPolicy`](crate::RetryPolicy)
//! retries (429 for every method; 503 and 504 for idempotent ones) are sent again in a
//! smaller batch after their `Retry-After` (or backoff), within the policy's attempts, its
//! longest wait and its total time, together with the requests that failed because they
//! depended on them (424).

use std::collections::HashSet;
use std::fmt;
// Tokio's clock, like the waits between rounds (see `client.rs`).
use tokio::time::Instant;

use http::StatusCode;
use serde_json::Value;

use crate::client::Client;
use crate::error::{DecodeError, Error};
use crate::path::ODataPath;
use crate::prepared::PreparedRequest;
use crate::request::{Decoder, Request};
use crate::retry::retry_after;

mod responses;
mod wire;

pub use responses::BatchResponses;
use responses::{Answer, Parts};

/// The most requests one JSON batch may hold (Microsoft Graph's limit).
pub const MAX_BATCH_SIZE: usize = 20;

/// Requests collected to be sent as one JSON batch; see the [module docs](self).
pub struct Batch {
    client: Client,
    entries: Vec<Entry>,
}

/// One request of a batch.
struct Entry {
    id: String,
    prepared: PreparedRequest,
    /// The sub-request as JSON, without `dependsOn`.
    json: Value,
    depends_on: Vec<String>,
}

/// The handle of a request added to a [`Batch`]: its id, and how to decode its answer.
pub struct BatchItem<T> {
    id: String,
    decode: Decoder<T>,
    /// [`PreparedRequest::envelope_is_error`] of the request.
    envelope_is_error: bool,
}

impl<T> BatchItem<T> {
    /// The request's id in the batch (`"1"`, `"2"`, ... in the order added), for
    /// [`Batch::add_after`].
    pub fn id(&self) -> &str {
        &self.id
    }
}

impl<T> Clone for BatchItem<T> {
    fn clone(&self) -> Self {
        BatchItem {
            id: self.id.clone(),
            decode: self.decode,
            envelope_is_error: self.envelope_is_error,
        }
    }
}

impl<T> fmt::Debug for BatchItem<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchItem").field("id", &self.id).finish()
    }
}

impl Batch {
    /// An empty batch sent with `client` (to its base URL's `/$batch`).
    pub fn new(client: &Client) -> Self {
        Batch {
            client: client.clone(),
            entries: Vec::new(),
        }
    }

    /// How many requests the batch holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the batch holds no request.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Adds `request`. Fails ([`Error::InvalidRequest`]) when the batch is full, when the
    /// request cannot be built, is not for this client's service, or has a body a JSON batch
    /// cannot carry (a JSON content type whose body is not JSON).
    pub fn add<T>(&mut self, request: Request<T>) -> Result<BatchItem<T>, Error> {
        self.add_after(request, &[])
    }

    /// Adds `request`, to be run only after the requests with ids `depends_on` (added
    /// before) succeeded; when one fails, the service answers this one `424 Failed
    /// Dependency`.
    pub fn add_after<T>(
        &mut self,
        request: Request<T>,
        depends_on: &[&str],
    ) -> Result<BatchItem<T>, Error> {
        if self.entries.len() >= MAX_BATCH_SIZE {
            return Err(Error::InvalidRequest(format!(
                "a JSON batch holds at most {MAX_BATCH_SIZE} requests"
            )));
        }
        for dependency in depends_on {
            if !self.entries.iter().any(|e| e.id == *dependency) {
                return Err(Error::InvalidRequest(format!(
                    "a batch request can only depend on a request added before it, not {dependency:?}"
                )));
            }
        }
        let prepared = request.build()?;
        let prefix = self.client.base_prefix();
        let relative = prepared
            .url
            .as_str()
            .strip_prefix(prefix)
            .filter(|rest| rest.is_empty() || rest.starts_with(['/', '?']))
            .ok_or_else(|| {
                Error::InvalidRequest(
                    "a batch holds only requests below the batch client's base URL".into(),
                )
            })?;
        let relative = if relative.starts_with('/') {
            relative.to_owned()
        } else {
            format!("/{relative}")
        };
        let id = (self.entries.len() + 1).to_string();
        let json = wire::encode(&id, &prepared, &relative)?;
        let item = BatchItem {
            id: id.clone(),
            decode: request.decoder(),
            envelope_is_error: prepared.envelope_is_error(),
        };
        self.entries.push(Entry {
            id,
            prepared,
            json,
            depends_on: depends_on.iter().map(|d| (*d).to_owned()).collect(),
        });
        Ok(item)
    }

    /// Sends the batch (an empty one sends nothing) and returns the answers. Fails only
    /// when the batch request itself fails or its answer is not a JSON batch response;
    /// each request's own failure is in its answer.
    pub async fn send(self) -> Result<BatchResponses, Error> {
        let policy = self.client.retry_policy().clone();
        let max_rounds = policy.max_attempts.max(1);
        let start = Instant::now();
        let mut answers = BatchResponses::default();
        let mut pending: Vec<&Entry> = self.entries.iter().collect();
        let mut round = 0;
        while !pending.is_empty() {
            round += 1;
            let ids: HashSet<&str> = pending.iter().map(|e| e.id.as_str()).collect();
            let body = serde_json::json!({
                "requests": pending.iter().map(|e| with_dependencies(e, &ids)).collect::<Vec<_>>()
            });
            let batch = Request::<Value>::custom(
                &self.client,
                http::Method::POST,
                ODataPath::root().segment("$batch"),
                decode_batch,
            )
            .json_body(&body)
            .send_with_response()
            .await?;
            let mut got = parse(batch.value, batch.status)?;
            let mut retry: Vec<&Entry> = Vec::new();
            let mut wait = None;
            for entry in pending {
                let Some(answer) = got.remove(&entry.id) else {
                    answers.insert(entry.id.clone(), missing(entry, batch.status, round));
                    continue;
                };
                let Answer::Parts(parts) = &answer else {
                    answers.insert(entry.id.clone(), answer);
                    continue;
                };
                let delay = policy
                    .status_is_retryable(&entry.prepared.method, parts.status)
                    .then(|| policy.delay(round, retry_after(&parts.headers)))
                    .flatten();
                if let Some(delay) = delay {
                    wait = wait.max(Some(delay));
                    retry.push(entry);
                }
                answers.insert(entry.id.clone(), answer.with_request(entry, round));
            }
            // Requests that failed only because a retried one did go again with it.
            let mut grew = true;
            while grew {
                grew = false;
                for entry in &self.entries {
                    let failed_dependency = answers.status_of(&entry.id)
                        == Some(StatusCode::FAILED_DEPENDENCY)
                        && entry
                            .depends_on
                            .iter()
                            .any(|d| retry.iter().any(|r| r.id == *d));
                    if failed_dependency && !retry.iter().any(|r| r.id == entry.id) {
                        retry.push(entry);
                        grew = true;
                    }
                }
            }
            let Some(wait) = wait else { break };
            if round >= max_rounds || start.elapsed().saturating_add(wait) > policy.max_total_time {
                break;
            }
            tracing::debug!(
                round,
                retried = retry.len(),
                wait_ms = wait.as_millis() as u64,
                "batch: sending throttled requests again"
            );
            tokio::time::sleep(wait).await;
            // Keep the order in which they were added.
            pending = self
                .entries
                .iter()
                .filter(|e| retry.iter().any(|r| r.id == e.id))
                .collect();
        }
        Ok(answers)
    }
}

impl fmt::Debug for Batch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Batch")
            .field(
                "requests",
                &self
                    .entries
                    .iter()
                    .map(|e| format!("{} {} {}", e.id, e.prepared.method, e.prepared.url.path()))
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// The sub-request with the `dependsOn` ids that are part of this round (the others
/// already succeeded).
fn with_dependencies(entry: &Entry, round: &HashSet<&str>) -> Value {
    let mut json = entry.json.clone();
    let depends_on: Vec<&str> = entry
        .depends_on
        .iter()
        .map(String::as_str)
        .filter(|d| round.contains(d))
        .collect();
    if !depends_on.is_empty() {
        json["dependsOn"] = depends_on.into();
    }
    json
}

/// The batch response body, as JSON (checked by [`parse`]).
fn decode_batch(response: http::Response<bytes::Bytes>) -> Result<Value, Error> {
    crate::request::decode_json(response)
}

/// The answers of a batch response by id.
fn parse(
    body: Value,
    status: StatusCode,
) -> Result<std::collections::HashMap<String, Answer>, Error> {
    let parsed: wire::BatchBody = serde_json::from_value(body).map_err(|e| {
        // The body was JSON (decode_batch checked), just not a batch response.
        Error::Decode(Box::new(DecodeError::new(
            status,
            None,
            format!("not a JSON batch response: {e}"),
            b"",
            1,
            None,
        )))
    })?;
    Ok(parsed
        .responses
        .into_iter()
        .map(|sub| {
            let id = sub.id.clone();
            let answer = match wire::decode(sub) {
                Ok((status, headers, body)) => Answer::Parts(Box::new(Parts {
                    status,
                    headers,
                    body,
                    request: None,
                    attempts: 0,
                })),
                Err(message) => Answer::Invalid {
                    batch_status: status,
                    message,
                },
            };
            (id, answer)
        })
        .collect())
}

/// The answer for a request the batch response left out.
fn missing(entry: &Entry, status: StatusCode, round: u32) -> Answer {
    Answer::Invalid {
        batch_status: status,
        message: format!(
            "the batch response (round {round}) has no answer for request {}",
            entry.id
        ),
    }
}

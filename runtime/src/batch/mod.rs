//! Batching: requests sent together as `POST /$batch`, any number of them, split into
//! batch requests of at most [`MAX_BATCH_SIZE`]; in Graph's JSON format, or as OData 4.0
//! `multipart/mixed` for services that take only that ([`BatchFormat`], chosen per client
//! with [`ClientBuilder::batch_format`](crate::ClientBuilder::batch_format)).
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
//!
//! More requests than one batch request holds are split into several, sent one after the
//! other: a JSON batch keeps a `dependsOn` chain in one batch request when it fits (chains
//! are packed whole, in the order added; only a chain longer than a batch request is cut). A request whose
//! dependency was in an earlier batch request and did not succeed is not sent; its answer
//! is a `424 Failed Dependency`, as the service gives within one batch. Answers are read
//! per request, whatever batch request carried them; [`BatchResponses::ids`] lists them in
//! the order added.

use std::collections::{HashMap, HashSet};
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

mod multipart;
mod responses;
mod split;
mod wire;

pub use responses::BatchResponses;
use responses::{Answer, Parts};

/// The most requests one batch request holds (Microsoft Graph's limit); a [`Batch`] with
/// more is sent as several.
pub const MAX_BATCH_SIZE: usize = 20;

/// The wire format of a client's batches.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum BatchFormat {
    /// JSON batch (OData 4.01, Microsoft Graph): `dependsOn` is sent to the service.
    #[default]
    Json,
    /// `multipart/mixed` (OData 4.0: Dynamics 365, SAP, CAP). The format has no
    /// `dependsOn`: a request is sent in a later batch request than the ones it depends
    /// on, and only when they succeeded.
    Multipart,
}

/// Requests collected to be sent as one JSON batch; see the [module docs](self).
pub struct Batch {
    client: Client,
    entries: Vec<Entry>,
}

/// One request of a batch.
struct Entry {
    id: String,
    prepared: PreparedRequest,
    /// The URL relative to the service root, with a leading `/`.
    relative: String,
    /// The sub-request as JSON, without `dependsOn` (JSON batches only).
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

    /// Adds `request`. Fails ([`Error::InvalidRequest`]) when the request cannot be built,
    /// is not for this client's service, or has a body a JSON batch cannot carry (a JSON
    /// content type whose body is not JSON). A batch holds any number of requests.
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
        let json = match self.client.batch_format() {
            BatchFormat::Json => wire::encode(&id, &prepared, &relative)?,
            BatchFormat::Multipart => Value::Null,
        };
        let item = BatchItem {
            id: id.clone(),
            decode: request.decoder(),
            envelope_is_error: prepared.envelope_is_error(),
        };
        self.entries.push(Entry {
            id,
            prepared,
            relative,
            json,
            depends_on: depends_on.iter().map(|d| (*d).to_owned()).collect(),
        });
        Ok(item)
    }

    /// Sends the batch (an empty one sends nothing; more than [`MAX_BATCH_SIZE`] requests
    /// go as several batch requests, one after the other) and returns the answers. Fails
    /// only when a batch request itself fails or its answer is not a batch response; each
    /// request's own failure is in its answer.
    pub async fn send(self) -> Result<BatchResponses, Error> {
        let format = self.client.batch_format();
        let position = |id: &str| self.entries.iter().position(|e| e.id == id);
        let depends_on: Vec<Vec<usize>> = self
            .entries
            .iter()
            .map(|e| e.depends_on.iter().filter_map(|d| position(d)).collect())
            .collect();
        let groups = split::split(&depends_on, MAX_BATCH_SIZE, format == BatchFormat::Json);
        let mut answers = BatchResponses::default();
        let mut skipped: HashSet<&str> = HashSet::new();
        for group in groups {
            let ids: HashSet<&str> = group.iter().map(|&i| self.entries[i].id.as_str()).collect();
            let mut members = Vec::new();
            for &i in &group {
                let entry = &self.entries[i];
                // A dependency answered in an earlier batch request must have succeeded.
                let failed = entry.depends_on.iter().find(|d| {
                    skipped.contains(d.as_str())
                        || (!ids.contains(d.as_str()) && !answers.succeeded(d))
                });
                match failed {
                    Some(dependency) => {
                        answers.insert(entry.id.clone(), failed_dependency(entry, dependency));
                        skipped.insert(&entry.id);
                    }
                    None => members.push(entry),
                }
            }
            self.send_rounds(members, format, &mut answers).await?;
        }
        answers.set_order(self.entries.iter().map(|e| e.id.clone()).collect());
        Ok(answers)
    }

    /// Sends one batch request's `members`, and again those the retry policy retries.
    async fn send_rounds(
        &self,
        members: Vec<&Entry>,
        format: BatchFormat,
        answers: &mut BatchResponses,
    ) -> Result<(), Error> {
        let policy = self.client.retry_policy().clone();
        let max_rounds = policy.max_attempts.max(1);
        let start = Instant::now();
        let mut pending: Vec<&Entry> = members.clone();
        let mut round = 0;
        while !pending.is_empty() {
            round += 1;
            let (batch_status, mut got) = match format {
                BatchFormat::Json => self.send_json(&pending).await?,
                BatchFormat::Multipart => self.send_multipart(&pending).await?,
            };
            let mut retry: Vec<&Entry> = Vec::new();
            let mut wait = None;
            for entry in pending {
                let Some(answer) = got.remove(&entry.id) else {
                    answers.insert(entry.id.clone(), missing(entry, batch_status, round));
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
                for entry in &members {
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
            pending = members
                .iter()
                .copied()
                .filter(|e| retry.iter().any(|r| r.id == e.id))
                .collect();
        }
        Ok(())
    }

    /// One JSON batch request: the batch response's status and the answers by id.
    async fn send_json(
        &self,
        pending: &[&Entry],
    ) -> Result<(StatusCode, HashMap<String, Answer>), Error> {
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
        Ok((batch.status, parse(batch.value, batch.status)?))
    }

    /// One multipart batch request: the batch response's status and the answers by id
    /// (by `Content-ID`, else by position).
    async fn send_multipart(
        &self,
        pending: &[&Entry],
    ) -> Result<(StatusCode, HashMap<String, Answer>), Error> {
        let boundary = format!("batch_{}", uuid::Uuid::new_v4());
        let mut body = Vec::new();
        for entry in pending {
            let url = entry.relative.trim_start_matches('/');
            multipart::encode_part(&mut body, &boundary, &entry.id, &entry.prepared, url);
        }
        multipart::finish(&mut body, &boundary);
        let batch = Request::<(String, bytes::Bytes)>::custom(
            &self.client,
            http::Method::POST,
            ODataPath::root().segment("$batch"),
            |response| {
                let content_type = response
                    .headers()
                    .get(http::header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_owned();
                Ok((content_type, response.into_body()))
            },
        )
        .bytes_body(body, &format!("multipart/mixed; boundary={boundary}"))
        .header("Accept", "multipart/mixed")
        .header("OData-Version", "4.0")
        .header("Prefer", "odata.continue-on-error")
        .send_with_response()
        .await?;
        let status = batch.status;
        let (content_type, bytes) = batch.value;
        let parts = multipart::parse(&content_type, &bytes).map_err(|message| {
            Error::Decode(Box::new(DecodeError::new(
                status,
                Some(content_type.clone()),
                format!("not a multipart batch response: {message}"),
                &bytes,
                1,
                None,
            )))
        })?;
        let mut got = HashMap::new();
        for (i, (content_id, status, headers, body)) in parts.into_iter().enumerate() {
            let id = match content_id {
                Some(id) => id,
                None => match pending.get(i) {
                    Some(entry) => entry.id.clone(),
                    None => continue,
                },
            };
            got.insert(
                id,
                Answer::Parts(Box::new(Parts {
                    status,
                    headers,
                    body,
                    request: None,
                    attempts: 0,
                })),
            );
        }
        Ok((status, got))
    }
}

/// The answer of a request not sent because `dependency`, answered in an earlier batch
/// request, did not succeed.
fn failed_dependency(entry: &Entry, dependency: &str) -> Answer {
    let body = serde_json::json!({"error": {
        "code": "FailedDependency",
        "message": format!("not sent: request {dependency} it depends on did not succeed"),
    }});
    let mut headers = http::HeaderMap::new();
    headers.insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    Answer::Parts(Box::new(Parts {
        status: StatusCode::FAILED_DEPENDENCY,
        headers,
        body: bytes::Bytes::from(body.to_string()),
        request: None,
        attempts: 0,
    }))
    .with_request(entry, 0)
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
fn parse(body: Value, status: StatusCode) -> Result<HashMap<String, Answer>, Error> {
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

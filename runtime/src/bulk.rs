//! Many operations sent as a sequence of requests of bounded size, with one outcome per
//! operation.
//!
//! Services that take operations in bulk cap how many one request may carry (a SCIM bulk
//! request to Microsoft Graph's inbound provisioning takes at most 50). [`Bulk::send`] cuts
//! the operations into requests of at most [`Bulk::max_per_request`], sends them one after
//! the other through a function the caller gives (so any request type can be used: the
//! generated `bulk_upload().submit(..)` of a synchronization client, or another service's),
//! and reports which request carried each operation, with the ids that find that request
//! again in the service's logs.
//!
//! Throttling is the client's: every request goes through [`Client`](crate::Client), whose
//! [`RetryPolicy`](crate::RetryPolicy) waits out a `429 Too Many Requests` for the time its
//! `Retry-After` asks. When the client gives up on a throttled request (the wait was longer
//! than the policy allows, or the attempts ran out), sending more would only be refused
//! too: the bulk stops there, the remaining operations are [`OperationOutcome::NotSent`],
//! and [`BulkResult::retry_after`] says when the service will take them.

use std::ops::Range;
use std::time::Duration;

use http::StatusCode;

use crate::error::Error;
use crate::response::Response;

/// How operations are cut into requests.
///
/// ```
/// use graph_odata_runtime::bulk::Bulk;
///
/// let bulk = Bulk::new(50);
/// assert_eq!(bulk.max_per_request(), 50);
/// assert_eq!(Bulk::new(0).max_per_request(), 1);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bulk {
    max_per_request: usize,
}

impl Bulk {
    /// Requests of at most `max_per_request` operations (0 counts as 1).
    pub fn new(max_per_request: usize) -> Self {
        Bulk {
            max_per_request: max_per_request.max(1),
        }
    }

    /// The most operations one request carries.
    pub fn max_per_request(&self) -> usize {
        self.max_per_request
    }

    /// Sends `operations` in order, `max_per_request` at a time: `send_chunk` (an async
    /// closure, `async |chunk| ...`) builds and sends the request for one run of operations. A failed request does not stop the
    /// others (its operations are [`OperationOutcome::Failed`]), except a throttled one
    /// (status 429 after the client's retries): then nothing more is sent.
    pub async fn send<Op, T, F>(&self, operations: &[Op], mut send_chunk: F) -> BulkResult
    where
        F: AsyncFnMut(&[Op]) -> Result<Response<T>, Error>,
    {
        let mut result = BulkResult {
            requests: Vec::new(),
            operations: vec![OperationOutcome::NotSent; operations.len()],
        };
        for (index, chunk) in operations.chunks(self.max_per_request).enumerate() {
            let start = index * self.max_per_request;
            let range = start..start + chunk.len();
            let answer = send_chunk(chunk).await.map(|r| Receipt::of(&r));
            let outcome = match &answer {
                Ok(receipt) => OperationOutcome::Accepted {
                    request: index,
                    request_id: receipt.request_id.clone(),
                    location: receipt.location.clone(),
                },
                Err(e) => OperationOutcome::Failed {
                    request: index,
                    status: e.status(),
                    request_id: e.request_id().map(str::to_owned),
                },
            };
            for slot in &mut result.operations[range.clone()] {
                *slot = outcome.clone();
            }
            let throttled =
                matches!(&answer, Err(e) if e.status() == Some(StatusCode::TOO_MANY_REQUESTS));
            result.requests.push(BulkRequest {
                operations: range,
                result: answer,
            });
            if throttled {
                break;
            }
        }
        result
    }
}

/// What a bulk send did: one entry per request sent, one outcome per operation.
#[derive(Debug)]
#[non_exhaustive]
pub struct BulkResult {
    /// The requests in the order they were sent.
    pub requests: Vec<BulkRequest>,
    /// The outcome of each operation, in the order the operations were given.
    pub operations: Vec<OperationOutcome>,
}

impl BulkResult {
    /// Whether every operation was accepted.
    pub fn all_accepted(&self) -> bool {
        self.operations
            .iter()
            .all(|o| matches!(o, OperationOutcome::Accepted { .. }))
    }

    /// The indexes of the operations that were not accepted (failed or not sent), to send
    /// again.
    pub fn not_accepted(&self) -> Vec<usize> {
        self.operations
            .iter()
            .enumerate()
            .filter(|(_, o)| !matches!(o, OperationOutcome::Accepted { .. }))
            .map(|(i, _)| i)
            .collect()
    }

    /// When the bulk stopped because the service throttled it: how long the service asked
    /// to wait before the rest is sent (its `Retry-After`), if it said.
    pub fn retry_after(&self) -> Option<Duration> {
        match &self.requests.last()?.result {
            Err(e) if e.status() == Some(StatusCode::TOO_MANY_REQUESTS) => e.retry_after(),
            _ => None,
        }
    }
}

/// One request of a bulk send.
#[derive(Debug)]
#[non_exhaustive]
pub struct BulkRequest {
    /// The indexes of the operations it carried.
    pub operations: Range<usize>,
    /// How the service answered (after the client's retries).
    pub result: Result<Receipt, Error>,
}

/// The answer to an accepted request, without its body.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Receipt {
    /// The success status (`202 Accepted` for a SCIM bulk upload to Graph).
    pub status: StatusCode,
    /// The service's `request-id`.
    pub request_id: Option<String>,
    /// The `client-request-id` the client sent (or the service echoed).
    pub client_request_id: Option<String>,
    /// The `Location` header: where the service reports on the request (for Graph's bulk
    /// upload, the provisioning logs of this request).
    pub location: Option<String>,
    /// Attempts the request took, retries after throttling included.
    pub attempts: u32,
}

impl Receipt {
    fn of<T>(response: &Response<T>) -> Self {
        Receipt {
            status: response.status,
            request_id: response.request_id().map(str::to_owned),
            client_request_id: response.client_request_id().map(str::to_owned),
            location: response.header("location").map(str::to_owned),
            attempts: response.attempts,
        }
    }
}

/// What happened to one operation.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum OperationOutcome {
    /// The request that carried it was accepted; the service may still reject the
    /// operation itself later (for Graph, see the provisioning logs at `location`).
    Accepted {
        /// Index of the request in [`BulkResult::requests`].
        request: usize,
        /// The service's `request-id` of that request.
        request_id: Option<String>,
        /// Its `Location` header.
        location: Option<String>,
    },
    /// The request that carried it failed; the error is in [`BulkResult::requests`].
    Failed {
        /// Index of the request in [`BulkResult::requests`].
        request: usize,
        /// The HTTP status, when the service answered.
        status: Option<StatusCode>,
        /// The service's `request-id`, when it answered.
        request_id: Option<String>,
    },
    /// Never sent: the service throttled an earlier request and the bulk stopped.
    NotSent,
}

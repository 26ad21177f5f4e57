//! The answers of a sent [`Batch`](super::Batch), decoded per request on demand.

use std::collections::HashMap;
use std::fmt;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};

use super::{BatchItem, Entry};
use crate::client::Attempts;
use crate::error::{DecodeError, Error, HttpError, ODataError};
use crate::request_info::RequestInfo;

/// The answers of a sent [`Batch`](super::Batch), by request.
#[derive(Default)]
pub struct BatchResponses {
    answers: HashMap<String, Answer>,
    /// The ids in the order the requests were added.
    order: Vec<String>,
}

/// A sub-response.
pub(super) struct Parts {
    pub(super) status: StatusCode,
    pub(super) headers: HeaderMap,
    pub(super) body: Bytes,
    /// Which request it answered (set once matched to its entry).
    pub(super) request: Option<RequestInfo>,
    /// In which round it came (1 for the first batch).
    pub(super) attempts: u32,
}

/// One request's answer.
pub(super) enum Answer {
    /// The sub-response.
    Parts(Box<Parts>),
    /// No usable answer: left out, or not a valid sub-response.
    Invalid {
        batch_status: StatusCode,
        message: String,
    },
}

impl Answer {
    /// Ties the answer to the request it answered, in round `round`.
    pub(super) fn with_request(self, entry: &Entry, round: u32) -> Self {
        match self {
            Answer::Parts(mut parts) => {
                let request = RequestInfo::new(
                    &entry.prepared.method,
                    &entry.prepared.url,
                    &entry.prepared.headers,
                )
                .answered(&parts.headers);
                parts.request = Some(request);
                parts.attempts = round;
                Answer::Parts(parts)
            }
            invalid => invalid,
        }
    }
}

impl BatchResponses {
    pub(super) fn insert(&mut self, id: String, answer: Answer) {
        self.answers.insert(id, answer);
    }

    pub(super) fn set_order(&mut self, ids: Vec<String>) {
        self.order = ids;
    }

    /// Whether the request `id` was answered with a 2xx.
    pub(super) fn succeeded(&self, id: &str) -> bool {
        self.status_of(id).is_some_and(|s| s.is_success())
    }

    /// The ids of the requests, in the order they were added to the batch (whichever batch
    /// request carried them).
    pub fn ids(&self) -> impl Iterator<Item = &str> + '_ {
        self.order.iter().map(String::as_str)
    }

    pub(super) fn status_of(&self, id: &str) -> Option<StatusCode> {
        match self.answers.get(id)? {
            Answer::Parts(parts) => Some(parts.status),
            Answer::Invalid { .. } => None,
        }
    }

    /// What sending `item`'s request alone would have given: its answer decoded with its
    /// own decoder, or its error ([`Error::Http`] for a non-2xx answer or an OData error
    /// body, [`Error::Decode`] for a body that does not decode or an answer the batch
    /// response lacks). Can be called more than once.
    pub fn get<T>(&self, item: &BatchItem<T>) -> Result<T, Error> {
        let answer = self.answers.get(&item.id).ok_or_else(|| {
            Error::InvalidRequest(format!("no request {:?} in this batch", item.id))
        })?;
        let Parts {
            status,
            headers,
            body,
            request,
            attempts,
        } = match answer {
            Answer::Parts(parts) => &**parts,
            Answer::Invalid {
                batch_status,
                message,
            } => {
                return Err(Error::Decode(Box::new(DecodeError::new(
                    *batch_status,
                    None,
                    message.clone(),
                    b"",
                    1,
                    None,
                ))))
            }
        };
        let request = request.clone().unwrap_or_default();
        let envelope = item.envelope_is_error && ODataError::is_envelope(body);
        if !status.is_success() || envelope {
            return Err(Error::from_http(HttpError::from_response(
                *status,
                headers.clone(),
                body,
                *attempts,
                request,
            )));
        }
        let mut response = http::Response::new(body.clone());
        *response.status_mut() = *status;
        *response.headers_mut() = headers.clone();
        response.extensions_mut().insert(Attempts(*attempts));
        response.extensions_mut().insert(request);
        (item.decode)(response)
    }

    /// The status of `item`'s answer (`None` when the batch response had none).
    pub fn status<T>(&self, item: &BatchItem<T>) -> Option<StatusCode> {
        self.status_of(&item.id)
    }

    /// The headers of `item`'s answer (`None` when the batch response had none).
    pub fn headers<T>(&self, item: &BatchItem<T>) -> Option<&HeaderMap> {
        match self.answers.get(&item.id)? {
            Answer::Parts(parts) => Some(&parts.headers),
            Answer::Invalid { .. } => None,
        }
    }

    /// How many requests have an answer (or a recorded lack of one).
    pub fn len(&self) -> usize {
        self.answers.len()
    }

    /// Whether there are no answers (an empty batch).
    pub fn is_empty(&self) -> bool {
        self.answers.is_empty()
    }
}

/// Ids and statuses only.
impl fmt::Debug for BatchResponses {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for id in &self.order {
            let Some(answer) = self.answers.get(id) else {
                continue;
            };
            match answer {
                Answer::Parts(parts) => map.entry(id, &parts.status.as_u16()),
                Answer::Invalid { .. } => map.entry(id, &"no answer"),
            };
        }
        map.finish()
    }
}

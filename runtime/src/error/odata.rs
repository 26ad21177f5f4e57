//! The OData error body (`{"error": {"code": .., "message": ..}}`) and its parser.

use std::fmt;

use serde_json::{Map, Value};

use super::text::{short, strip_bom};

/// An OData error body: `{"error": {"code": .., "message": .., "innerError": {..}}}`.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct ODataError {
    /// The service-defined error code, e.g. `Request_ResourceNotFound`.
    pub code: String,
    /// The human-readable message.
    pub message: String,
    /// The target of the error (a property name, ...), if given.
    pub target: Option<String>,
    /// Further errors, if given.
    pub details: Vec<ODataErrorDetail>,
    /// The `innerError` (or `innererror`) object, if given.
    pub inner_error: Option<InnerError>,
}

/// One entry of [`ODataError::details`].
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct ODataErrorDetail {
    /// The error code.
    pub code: String,
    /// The message.
    pub message: String,
    /// The target, if given.
    pub target: Option<String>,
}

/// The `innerError` of an OData error, with the fields Microsoft Graph fills in.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct InnerError {
    /// `request-id`: the service's id of the failed request (quote it in support cases).
    pub request_id: Option<String>,
    /// `client-request-id`: the id this client sent in the `client-request-id` header.
    pub client_request_id: Option<String>,
    /// `date`, as sent.
    pub date: Option<String>,
    /// The whole inner error object, as sent.
    pub raw: Map<String, Value>,
}

impl ODataError {
    /// Whether `body` is nothing but an OData error envelope (`{"error": {"code": ..,
    /// "message": ..}}`): a 2xx response with such a body is an error all the same.
    pub fn is_envelope(body: &[u8]) -> bool {
        let body = strip_bom(body);
        let trimmed = body.trim_ascii_start();
        if !trimmed.starts_with(b"{") {
            return false;
        }
        let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) else {
            return false;
        };
        map.len() == 1
            && map
                .get("error")
                .and_then(Value::as_object)
                .is_some_and(|e| {
                    e.get("code").is_some_and(Value::is_string)
                        || e.get("message").is_some_and(Value::is_string)
                })
    }

    /// Parses an OData error body. Returns `None` when the body is not JSON or has no
    /// `error` object; never fails otherwise (missing fields become empty strings).
    ///
    /// Also accepts OData v3 `{"odata.error": {"message": {"value": ..}}}` bodies.
    pub fn from_body(body: &[u8]) -> Option<Self> {
        let body = strip_bom(body);
        let value: Value = serde_json::from_slice(body).ok()?;
        let obj = value.get("error").or_else(|| value.get("odata.error"))?;
        let obj = obj.as_object()?;
        let details = obj
            .get("details")
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(Value::as_object)
                    .map(|d| ODataErrorDetail {
                        code: text(d.get("code")).unwrap_or_default(),
                        message: text(d.get("message")).unwrap_or_default(),
                        target: text(d.get("target")),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let inner_error = obj
            .get("innerError")
            .or_else(|| obj.get("innererror"))
            .and_then(Value::as_object)
            .map(|inner| InnerError {
                request_id: text(inner.get("request-id")),
                client_request_id: text(inner.get("client-request-id")),
                date: text(inner.get("date")),
                raw: inner.clone(),
            });
        Some(ODataError {
            code: text(obj.get("code")).unwrap_or_default(),
            message: text(obj.get("message")).unwrap_or_default(),
            target: text(obj.get("target")),
            details,
            inner_error,
        })
    }
}

impl fmt::Display for ODataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code)?;
        if !self.message.is_empty() {
            write!(f, ": {}", short(&self.message, 500))?;
        }
        if let Some(id) = self
            .inner_error
            .as_ref()
            .and_then(|i| i.request_id.as_ref())
        {
            write!(f, " (request-id {id})")?;
        }
        Ok(())
    }
}

/// A JSON value as text: strings as they are, numbers and booleans printed, OData v3
/// `{"lang": .., "value": ..}` messages unwrapped; `null`, arrays and other objects give `None`.
fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Object(o) => o.get("value").and_then(Value::as_str).map(str::to_owned),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_graph_error() {
        let body = br#"{"error":{"code":"Request_ResourceNotFound","message":"Resource 'x' does not exist.","innerError":{"date":"2024-01-01T00:00:00","request-id":"rid","client-request-id":"cid"}}}"#;
        let e = ODataError::from_body(body).unwrap();
        assert_eq!(e.code, "Request_ResourceNotFound");
        assert_eq!(e.message, "Resource 'x' does not exist.");
        let inner = e.inner_error.unwrap();
        assert_eq!(inner.request_id.as_deref(), Some("rid"));
        assert_eq!(inner.client_request_id.as_deref(), Some("cid"));
        assert_eq!(inner.date.as_deref(), Some("2024-01-01T00:00:00"));
        assert_eq!(inner.raw.len(), 3);
    }

    #[test]
    fn odd_error_bodies_do_not_fail() {
        assert!(ODataError::from_body(b"<html>").is_none());
        assert!(ODataError::from_body(b"{\"error\": 5}").is_none());
        assert!(ODataError::from_body(b"").is_none());
        let e = ODataError::from_body(
            br#"{"error":{"code":7,"details":[1,{"code":"c"}],"innererror":[]}}"#,
        )
        .unwrap();
        assert_eq!(e.code, "7");
        assert_eq!(e.details.len(), 1);
        assert!(e.inner_error.is_none());
        let v3 = ODataError::from_body(
            br#"{"odata.error":{"code":"x","message":{"lang":"en","value":"m"}}}"#,
        )
        .unwrap();
        assert_eq!(v3.message, "m");
    }
}

//! The JSON batch format (OData 4.01 JSON batch, as Microsoft Graph speaks it): one
//! sub-request as a JSON object, and a sub-response back as an HTTP response.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, CONTENT_TYPE, USER_AGENT};
use http::{HeaderMap, StatusCode};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::error::Error;
use crate::prepared::PreparedRequest;

/// A sub-request, without `dependsOn` (which changes between rounds):
/// `{"id", "method", "url", "headers", "body"}`. `url` is relative to the service root.
pub(super) fn encode(id: &str, request: &PreparedRequest, url: &str) -> Result<Value, Error> {
    let mut item = Map::new();
    item.insert("id".into(), id.into());
    item.insert("method".into(), request.method.as_str().into());
    item.insert("url".into(), url.into());
    let mut headers = Map::new();
    for (name, value) in &request.headers {
        // The batch request itself carries the user agent.
        if name == USER_AGENT {
            continue;
        }
        let value = value.to_str().map_err(|_| {
            Error::InvalidRequest(format!(
                "the value of header {name:?} is not text, which a JSON batch cannot carry"
            ))
        })?;
        headers.insert(name.as_str().to_owned(), value.into());
    }
    if let Some(body) = &request.body {
        let body = if is_json(&request.headers) {
            serde_json::from_slice::<Value>(body).map_err(|e| {
                Error::InvalidRequest(format!("a JSON batch needs a JSON body to be JSON: {e}"))
            })?
        } else {
            // Other content travels as base64 text.
            Value::String(STANDARD.encode(body))
        };
        item.insert("body".into(), body);
    }
    if !headers.is_empty() {
        item.insert("headers".into(), Value::Object(headers));
    }
    Ok(Value::Object(item))
}

/// The batch response body: `{"responses": [...]}`.
#[derive(Deserialize)]
pub(super) struct BatchBody {
    pub(super) responses: Vec<SubResponse>,
}

/// One sub-response: `{"id", "status", "headers", "body"}`.
#[derive(Deserialize)]
pub(super) struct SubResponse {
    pub(super) id: String,
    pub(super) status: u16,
    #[serde(default)]
    headers: Map<String, Value>,
    #[serde(default)]
    body: Option<Value>,
}

/// A sub-response as the parts of an HTTP response. Header values that are not strings
/// are written as JSON; invalid names and values are left out. A JSON body is serialized
/// again; a string body of another content type is base64 when it decodes as such (binary
/// content), else taken as text.
pub(super) fn decode(sub: SubResponse) -> Result<(StatusCode, HeaderMap, Bytes), String> {
    let status = StatusCode::from_u16(sub.status)
        .map_err(|_| format!("request {} was answered with status {}", sub.id, sub.status))?;
    let mut headers = HeaderMap::new();
    for (name, value) in sub.headers {
        let text = match value {
            Value::String(s) => s,
            other => other.to_string(),
        };
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::try_from(text)) {
            headers.append(name, value);
        }
    }
    let body = match sub.body {
        None | Some(Value::Null) => Bytes::new(),
        Some(Value::String(text)) if !is_json(&headers) => {
            let is_text = headers
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|ct| ct.trim_start().starts_with("text/"));
            match STANDARD.decode(&text) {
                Ok(bytes) if !is_text => Bytes::from(bytes),
                _ => Bytes::from(text),
            }
        }
        Some(json) => Bytes::from(serde_json::to_vec(&json).unwrap_or_default()),
    };
    Ok((status, headers, body))
}

/// Whether the `Content-Type` is JSON (`application/json`, `...+json`).
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|ct| {
            let essence = ct.split(';').next().unwrap_or("").trim();
            essence.eq_ignore_ascii_case("application/json")
                || essence.to_ascii_lowercase().ends_with("+json")
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::Method;
    use serde_json::json;

    fn prepared(method: Method, headers: &[(&str, &str)], body: Option<&[u8]>) -> PreparedRequest {
        let mut map = HeaderMap::new();
        for (n, v) in headers {
            map.insert(
                HeaderName::try_from(*n).unwrap(),
                HeaderValue::try_from(*v).unwrap(),
            );
        }
        PreparedRequest {
            method,
            url: url::Url::parse("https://h/v1.0/users").unwrap(),
            headers: map,
            body: body.map(Bytes::copy_from_slice),
            content_download: false,
            selects: false,
            timeout: None,
            retry: None,
            anonymous: false,
        }
    }

    #[test]
    fn encodes_json_and_binary_bodies() {
        let r = prepared(
            Method::PATCH,
            &[
                ("content-type", "application/json"),
                ("user-agent", "x/1"),
                ("if-match", "W/\"1\""),
            ],
            Some(br#"{"a":1}"#),
        );
        assert_eq!(
            encode("3", &r, "/users/a").unwrap(),
            json!({"id": "3", "method": "PATCH", "url": "/users/a",
                   "headers": {"content-type": "application/json", "if-match": "W/\"1\""},
                   "body": {"a": 1}})
        );
        let r = prepared(
            Method::PUT,
            &[("content-type", "image/png")],
            Some(b"\x89PNG"),
        );
        assert_eq!(
            encode("1", &r, "/me/photo/$value").unwrap()["body"],
            "iVBORw=="
        );
        let r = prepared(Method::GET, &[], None);
        assert_eq!(
            encode("1", &r, "/me").unwrap(),
            json!({"id": "1", "method": "GET", "url": "/me"})
        );
        let bad = prepared(
            Method::POST,
            &[("content-type", "application/json")],
            Some(b"{"),
        );
        assert!(matches!(
            encode("1", &bad, "/x"),
            Err(Error::InvalidRequest(_))
        ));
    }

    fn sub(value: Value) -> (StatusCode, HeaderMap, Bytes) {
        decode(serde_json::from_value(value).unwrap()).unwrap()
    }

    #[test]
    fn decodes_sub_responses() {
        let (status, headers, body) = sub(json!({"id": "1", "status": 200,
            "headers": {"Content-Type": "application/json", "Retry-After": 5, "bad name": "x"},
            "body": {"id": "u1"}}));
        assert_eq!(status, 200);
        assert_eq!(headers["retry-after"], "5");
        assert_eq!(headers.len(), 2);
        assert_eq!(&body[..], br#"{"id":"u1"}"#);
        let (_, _, body) = sub(json!({"id": "2", "status": 200,
            "headers": {"content-type": "image/png"}, "body": "iVBORw=="}));
        assert_eq!(&body[..], b"\x89PNG");
        let (_, _, body) = sub(json!({"id": "3", "status": 200,
            "headers": {"content-type": "text/plain"}, "body": "42"}));
        assert_eq!(&body[..], b"42");
        let (status, _, body) = sub(json!({"id": "4", "status": 204}));
        assert_eq!(status, 204);
        assert!(body.is_empty());
        let bad: SubResponse = serde_json::from_value(json!({"id": "5", "status": 1000})).unwrap();
        assert!(decode(bad).is_err());
    }
}

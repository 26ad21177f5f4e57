//! The multipart batch format of OData 4.0 (`multipart/mixed`), for services that take no
//! JSON batch (Dynamics 365, SAP, CAP): each request an `application/http` part with its
//! `Content-ID`, each answer a part holding an HTTP response. Change sets in an answer are
//! read too (their parts are answers like the others).

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, USER_AGENT};
use http::{HeaderMap, StatusCode};

use crate::prepared::PreparedRequest;

/// One answer: its `Content-ID` (when the service echoed it), status, headers and body.
pub(super) type Part = (Option<String>, StatusCode, HeaderMap, Bytes);

/// Appends the part of one request: `url` relative to the service root (`users('1')`).
pub(super) fn encode_part(
    out: &mut Vec<u8>,
    boundary: &str,
    id: &str,
    request: &PreparedRequest,
    url: &str,
) {
    let mut head = format!(
        "--{boundary}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: {id}\r\n\r\n{} {url} HTTP/1.1\r\n",
        request.method
    );
    for (name, value) in &request.headers {
        // The batch request itself carries the user agent.
        if name == USER_AGENT {
            continue;
        }
        if let Ok(value) = value.to_str() {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    head.push_str("\r\n");
    out.extend_from_slice(head.as_bytes());
    if let Some(body) = &request.body {
        out.extend_from_slice(body);
    }
    out.extend_from_slice(b"\r\n");
}

/// Ends the batch body.
pub(super) fn finish(out: &mut Vec<u8>, boundary: &str) {
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
}

/// The boundary of a `multipart/...; boundary=...` content type.
pub(super) fn boundary(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| value.trim().trim_matches('"').to_owned())
    })
}

/// The answers of a multipart batch response body, in order.
pub(super) fn parse(content_type: &str, body: &[u8]) -> Result<Vec<Part>, String> {
    let boundary = boundary(content_type)
        .ok_or_else(|| format!("the batch response ({content_type}) has no multipart boundary"))?;
    let mut parts = Vec::new();
    for part in split_parts(body, &boundary)? {
        let (headers, content) = split_head(part);
        let part_headers = header_lines(headers);
        let part_type = part_headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
            .map(|(_, v)| v.as_str())
            .unwrap_or("");
        if part_type
            .to_ascii_lowercase()
            .starts_with("multipart/mixed")
        {
            // A change set: its parts are answers too.
            parts.extend(parse(part_type, content)?);
            continue;
        }
        let content_id = part_headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-id"))
            .map(|(_, v)| v.clone());
        let (head, body) = split_head(content);
        let head = String::from_utf8_lossy(head);
        let mut lines = head.lines();
        let status_line = lines.next().unwrap_or("");
        let status = status_line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse::<u16>().ok())
            .and_then(|s| StatusCode::from_u16(s).ok())
            .ok_or_else(|| {
                format!("an answer of the batch response has no status line: {status_line:?}")
            })?;
        let mut map = HeaderMap::new();
        for (name, value) in header_lines(head.as_bytes()) {
            if let (Ok(name), Ok(value)) =
                (HeaderName::try_from(name), HeaderValue::try_from(value))
            {
                map.append(name, value);
            }
        }
        parts.push((content_id, status, map, Bytes::copy_from_slice(body)));
    }
    Ok(parts)
}

/// The parts between `--boundary` delimiters, without the line break before each one.
fn split_parts<'a>(body: &'a [u8], boundary: &str) -> Result<Vec<&'a [u8]>, String> {
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    let mut starts = Vec::new();
    let mut i = 0;
    while i + delimiter.len() <= body.len() {
        // A delimiter starts the body or a line.
        if &body[i..i + delimiter.len()] == delimiter && (i == 0 || body[i - 1] == b'\n') {
            starts.push(i);
            i += delimiter.len();
        } else {
            i += 1;
        }
    }
    if starts.is_empty() {
        return Err("the batch response has none of its boundary's delimiters".into());
    }
    let mut parts = Vec::new();
    for pair in starts.windows(2) {
        let after = pair[0] + delimiter.len();
        if body[after..].starts_with(b"--") {
            break;
        }
        let mut end = pair[1];
        // The line break before a delimiter belongs to the delimiter.
        if end > after && body[end - 1] == b'\n' {
            end -= 1;
            if end > after && body[end - 1] == b'\r' {
                end -= 1;
            }
        }
        let start = skip_line(body, after);
        parts.push(&body[start.min(end)..end]);
    }
    Ok(parts)
}

/// The position after the line break that ends the line at `from`.
fn skip_line(body: &[u8], from: usize) -> usize {
    body[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(body.len(), |p| from + p + 1)
}

/// A header block and what follows its blank line (CRLF or LF line breaks).
fn split_head(bytes: &[u8]) -> (&[u8], &[u8]) {
    let crlf = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|p| (p, 4));
    let lf = bytes.windows(2).position(|w| w == b"\n\n").map(|p| (p, 2));
    match (crlf, lf) {
        (Some(a), Some(b)) if b.0 < a.0 => (&bytes[..b.0], &bytes[b.0 + b.1..]),
        (Some((p, n)), _) | (None, Some((p, n))) => (&bytes[..p], &bytes[p + n..]),
        (None, None) => (bytes, &[]),
    }
}

/// The `Name: value` lines; a line without a colon, or whose name holds a space (a status
/// line), is no header.
fn header_lines(head: &[u8]) -> Vec<(String, String)> {
    String::from_utf8_lossy(head)
        .lines()
        .filter_map(|line| {
            let (name, value) = line.split_once(':')?;
            (!name.is_empty() && !name.contains(' '))
                .then(|| (name.trim().to_owned(), value.trim().to_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_and_change_sets_are_read_in_order() {
        let body = "--batch_r\r\n\
Content-Type: application/http\r\n\
Content-ID: 1\r\n\
\r\n\
HTTP/1.1 200 OK\r\n\
Content-Type: application/json\r\n\
\r\n\
{\"id\":\"a\"}\r\n\
--batch_r\r\n\
Content-Type: multipart/mixed; boundary=changeset_c\r\n\
\r\n\
--changeset_c\r\n\
Content-Type: application/http\r\n\
Content-ID: 2\r\n\
\r\n\
HTTP/1.1 204 No Content\r\n\
\r\n\
\r\n\
--changeset_c--\r\n\
--batch_r\r\n\
Content-Type: application/http\r\n\
\r\n\
HTTP/1.1 404 Not Found\r\n\
Content-Type: application/json\r\n\
\r\n\
{\"error\":{}}\r\n\
--batch_r--\r\n";
        let parts = parse("multipart/mixed; boundary=batch_r", body.as_bytes()).unwrap();
        let summary: Vec<_> = parts
            .iter()
            .map(|(id, status, _, body)| (id.clone(), status.as_u16(), body.clone()))
            .collect();
        assert_eq!(
            summary,
            [
                (Some("1".into()), 200, Bytes::from_static(b"{\"id\":\"a\"}")),
                (Some("2".into()), 204, Bytes::new()),
                (None, 404, Bytes::from_static(b"{\"error\":{}}")),
            ]
        );
        assert_eq!(parts[0].2.get("content-type").unwrap(), "application/json");
    }

    #[test]
    fn a_body_without_the_boundary_is_refused() {
        assert!(parse("multipart/mixed; boundary=x", b"{}").is_err());
        assert!(parse("application/json", b"--x\r\n").is_err());
        assert_eq!(
            boundary("multipart/mixed; Boundary=\"b_1\"").as_deref(),
            Some("b_1")
        );
    }
}

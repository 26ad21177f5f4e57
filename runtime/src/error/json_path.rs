//! Where in a JSON document a decoding error happened.

use serde_json::Value;

/// The JSON path (`$.value[3].name`) of the value that `body` has open at 1-based `line`
/// and byte `column` (a serde_json error position). With `container`, the path of the
/// object or array around that point instead (for "missing field" errors, reported after
/// the object's closing brace). `None` when the position is outside any value.
pub(crate) fn json_path_at(
    body: &[u8],
    line: usize,
    column: usize,
    container: bool,
) -> Option<String> {
    enum Frame {
        Object { key: Option<String>, want_key: bool },
        Array(usize),
    }
    let line_start = if line <= 1 {
        0
    } else {
        body.iter()
            .enumerate()
            .filter(|(_, &b)| b == b'\n')
            .nth(line - 2)
            .map(|(i, _)| i + 1)?
    };
    let mut end = (line_start + column).min(body.len());
    if container {
        // Step back over the closing bracket the error position is just after.
        while end > 0 && !matches!(body[end - 1], b'}' | b']') {
            end -= 1;
        }
        end = end.saturating_sub(1);
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < end {
        match body[i] {
            b'{' => stack.push(Frame::Object {
                key: None,
                want_key: true,
            }),
            b'[' => stack.push(Frame::Array(0)),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array(n)) => *n += 1,
                Some(Frame::Object { want_key, .. }) => *want_key = true,
                None => {}
            },
            b':' => {
                if let Some(Frame::Object { want_key, .. }) = stack.last_mut() {
                    *want_key = false;
                }
            }
            b'"' => {
                let start = i;
                i += 1;
                while i < body.len() && body[i] != b'"' {
                    i += if body[i] == b'\\' { 2 } else { 1 };
                }
                if let Some(Frame::Object {
                    key,
                    want_key: true,
                }) = stack.last_mut()
                {
                    *key = body
                        .get(start..=i)
                        .and_then(|quoted| serde_json::from_slice::<String>(quoted).ok());
                }
            }
            _ => {}
        }
        i += 1;
    }
    if stack.is_empty() {
        return None;
    }
    let last = stack.len() - 1;
    let mut path = String::from("$");
    for (depth, frame) in stack.iter().enumerate() {
        match frame {
            Frame::Array(n) => path.push_str(&format!("[{n}]")),
            // The key an object is at only counts once its value has started (and not at
            // all for the container itself).
            Frame::Object {
                key: Some(k),
                want_key,
            } if depth < last || !(*want_key || container) => {
                if !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                    path.push('.');
                    path.push_str(k);
                } else {
                    path.push_str(&format!("[{}]", Value::String(k.clone())));
                }
            }
            Frame::Object { .. } => {}
        }
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use std::fmt;

    use super::*;

    /// The path serde_json's error position points at, as decode_json computes it.
    fn failing_path<T: serde::de::DeserializeOwned + fmt::Debug>(body: &str) -> Option<String> {
        let e = serde_json::from_str::<T>(body).unwrap_err();
        let missing = e.to_string().starts_with("missing field");
        json_path_at(body.as_bytes(), e.line(), e.column(), missing)
    }

    #[test]
    fn decode_failures_name_the_json_path() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Item {
            id: String,
            #[serde(default)]
            n: Option<u8>,
            #[serde(default)]
            tags: Vec<u32>,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Page {
            value: Vec<Item>,
        }
        let cases = [
            (
                r#"{"value":[{"id":"a"},{"id":"b","n":300}]}"#,
                "$.value[1].n",
            ),
            (
                r#"{"value":[{"id":"a","tags":[1,2,"x"]}]}"#,
                "$.value[0].tags[2]",
            ),
            ("{\n \"value\": [\n  {\"id\": 5}\n ]\n}", "$.value[0].id"),
            (r#"{"value":[{"id":"a"},{"n":1}]}"#, "$.value[1]"),
            (
                r#"{"value":[{"id":"a\"},{"},{"id":"b","n":-1}]}"#,
                "$.value[1].n",
            ),
            (r#"{"value":{"id":"a"}}"#, "$.value"),
            (r#"{"value":[{"id":"é😀","n":"7"}]}"#, "$.value[0].n"),
        ];
        for (body, path) in cases {
            assert_eq!(failing_path::<Page>(body).as_deref(), Some(path), "{body}");
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Odd {
            #[serde(rename = "@odata.count")]
            count: u32,
        }
        assert_eq!(
            failing_path::<Odd>(r#"{"@odata.count":"x"}"#).as_deref(),
            Some(r#"$["@odata.count"]"#)
        );
        // Syntax errors too: the place a truncated body stopped.
        assert_eq!(
            failing_path::<Page>(r#"{"value":[{"id":"a"},{"id":"b"#).as_deref(),
            Some("$.value[1].id")
        );
        assert_eq!(failing_path::<Page>("5"), None);
        assert_eq!(json_path_at(b"", 3, 9, false), None);
        // Any position in any prefix of a body: an answer, never a panic.
        let body = "{\"a\":[1,{\"b\\\"\":\"x\\\"y\"}],\n\"é\":{\"\":[[]]}}";
        for cut in 0..=body.len() {
            let prefix = &body.as_bytes()[..cut];
            for line in 0..4 {
                for column in 0..body.len() + 2 {
                    for container in [false, true] {
                        let _ = json_path_at(prefix, line, column, container);
                    }
                }
            }
        }
    }
}

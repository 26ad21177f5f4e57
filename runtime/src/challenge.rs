//! Claims challenges: a `401` whose `WWW-Authenticate: Bearer ...` header carries
//! `claims="<base64 JSON>"` (continuous access evaluation, conditional access). The client
//! asks the credential for a token that satisfies the claims and sends the request once more.

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use http::header::WWW_AUTHENTICATE;
use http::HeaderMap;

/// Standard or URL-safe alphabet, padding optional.
const STANDARD: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);
const URL_SAFE: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The decoded claims (a JSON object as text) of the first `Bearer` challenge in the
/// `WWW-Authenticate` headers that has a `claims` parameter holding base64 of a JSON
/// object. `None` when there is none.
pub(crate) fn bearer_claims(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(WWW_AUTHENTICATE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(challenges)
        .filter(|c| c.scheme.eq_ignore_ascii_case("bearer"))
        .filter_map(|c| {
            c.params
                .into_iter()
                .find(|(name, _)| name.eq_ignore_ascii_case("claims"))
        })
        .find_map(|(_, value)| decode_claims(&value))
}

fn decode_claims(value: &str) -> Option<String> {
    let value = value.trim();
    let bytes = STANDARD
        .decode(value)
        .or_else(|_| URL_SAFE.decode(value))
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json.is_object().then_some(text)
}

/// One challenge: `Bearer realm="x", claims="..."`.
#[derive(Debug, PartialEq)]
struct Challenge {
    scheme: String,
    params: Vec<(String, String)>,
}

/// The challenges of one `WWW-Authenticate` value (RFC 9110 §11.6.1): a scheme, then
/// comma-separated `name=value` or `name="quoted"` parameters; a token not followed by
/// `=` starts the next challenge. A `token68` (`Basic abc==`) is skipped.
fn challenges(value: &str) -> Vec<Challenge> {
    let mut out: Vec<Challenge> = Vec::new();
    let mut rest = value;
    loop {
        rest = rest.trim_start_matches(|c: char| c == ',' || c.is_ascii_whitespace());
        if rest.is_empty() {
            return out;
        }
        let token_end = rest
            .find(|c: char| c == '=' || c == ',' || c.is_ascii_whitespace())
            .unwrap_or(rest.len());
        let token = &rest[..token_end];
        let after = rest[token_end..].trim_start_matches([' ', '\t']);
        if let (Some(value_text), Some(current)) = (after.strip_prefix('='), out.last_mut()) {
            let value_text = value_text.trim_start_matches([' ', '\t']);
            let (value, remaining) = if let Some(quoted) = value_text.strip_prefix('"') {
                unquote(quoted)
            } else {
                let end = value_text.find(',').unwrap_or(value_text.len());
                // A token68 ends in `=` padding: `abc==` reads as the parameter `abc` with
                // an empty value, which no one looks up.
                (value_text[..end].trim().to_owned(), &value_text[end..])
            };
            current.params.push((token.to_owned(), value));
            rest = remaining;
        } else if token.is_empty() {
            // A stray `=` (no challenge yet): skip it.
            rest = &rest[1..];
        } else {
            out.push(Challenge {
                scheme: token.to_owned(),
                params: Vec::new(),
            });
            rest = &rest[token_end..];
        }
    }
}

/// The text of a quoted string whose opening quote is already consumed, and what follows
/// its closing quote. An unterminated string runs to the end.
fn unquote(s: &str) -> (String, &str) {
    let mut out = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return (out, &s[i + 1..]),
            '\\' => {
                if let Some((_, escaped)) = chars.next() {
                    out.push(escaped);
                }
            }
            _ => out.push(c),
        }
    }
    (out, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLAIMS: &str = r#"{"access_token":{"nbf":{"essential":true,"value":"1604106651"}}}"#;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(WWW_AUTHENTICATE, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn finds_the_claims_of_a_bearer_challenge() {
        let encoded = base64::engine::general_purpose::STANDARD.encode(CLAIMS);
        let graph = format!(
            r#"Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000", error="insufficient_claims", claims="{encoded}""#
        );
        assert_eq!(bearer_claims(&headers(&[&graph])).as_deref(), Some(CLAIMS));
        // After another challenge, in another header, URL-safe without padding, odd case.
        let url_safe = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(CLAIMS);
        let value =
            format!(r#"Basic realm="x", BEARER error=insufficient_claims, Claims="{url_safe}""#);
        assert_eq!(
            bearer_claims(&headers(&["Negotiate", &value])).as_deref(),
            Some(CLAIMS)
        );
        let token68 = format!(r#"Basic YWxhZGRpbjpvcGVuc2VzYW1l==, Bearer claims={encoded}"#);
        assert_eq!(
            bearer_claims(&headers(&[&token68])).as_deref(),
            Some(CLAIMS)
        );
    }

    #[test]
    fn anything_else_is_no_claims_challenge() {
        let encoded = base64::engine::general_purpose::STANDARD.encode(CLAIMS);
        for value in [
            r#"Bearer error="invalid_token""#.to_owned(),
            format!(r#"Basic claims="{encoded}""#),
            r#"Bearer claims="not base64!""#.to_owned(),
            format!(
                r#"Bearer claims="{}""#,
                base64::engine::general_purpose::STANDARD.encode("[1,2]")
            ),
            r#"Bearer claims="#.to_owned(),
            r#"Bearer claims=""#.to_owned(),
            "=".to_owned(),
            ", , =,".to_owned(),
            String::new(),
        ] {
            assert_eq!(bearer_claims(&headers(&[&value])), None, "{value}");
        }
        assert_eq!(bearer_claims(&HeaderMap::new()), None);
    }

    #[test]
    fn quoted_strings_unescape() {
        let parsed = challenges(r#"Bearer a="x\"y", b=plain , c="""#);
        assert_eq!(
            parsed,
            [Challenge {
                scheme: "Bearer".into(),
                params: vec![
                    ("a".into(), "x\"y".into()),
                    ("b".into(), "plain".into()),
                    ("c".into(), String::new()),
                ],
            }]
        );
    }
}

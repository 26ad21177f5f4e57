//! Bounded, char-safe excerpts of response bodies and messages.

use super::BODY_EXCERPT_LIMIT;

pub(crate) fn strip_bom(body: &[u8]) -> &[u8] {
    body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body)
}

/// The first [`BODY_EXCERPT_LIMIT`] bytes of `body` as text, cut on a char boundary,
/// with `…` appended when cut.
pub(crate) fn excerpt(body: &[u8]) -> String {
    // Look at a few bytes more than the limit so a multi-byte char at the cut is seen whole.
    let head = &body[..body.len().min(BODY_EXCERPT_LIMIT + 4)];
    let text = String::from_utf8_lossy(head);
    if body.len() <= BODY_EXCERPT_LIMIT {
        return text.into_owned();
    }
    let mut out = short(&text, BODY_EXCERPT_LIMIT).to_owned();
    out.push('…');
    out
}

/// `s` if it has at most `max` bytes, else its start and its last eighth joined by `…`
/// (the end of a serde message holds the position of the failure), cut on char boundaries.
pub(crate) fn elide(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_owned();
    }
    let tail_len = max / 8;
    let mut tail_start = s.len() - tail_len;
    while !s.is_char_boundary(tail_start) {
        tail_start += 1;
    }
    format!("{}…{}", short(s, max - tail_len), &s[tail_start..])
}

/// `s` on one line: every run of whitespace (line breaks included) becomes one space.
pub(crate) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The longest prefix of `s` of at most `max` bytes that ends on a char boundary.
pub(crate) fn short(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_is_bounded_and_char_safe() {
        let body = "é".repeat(5000);
        let e = excerpt(body.as_bytes());
        assert!(e.len() <= BODY_EXCERPT_LIMIT + '…'.len_utf8());
        assert!(e.ends_with('…'));
        assert_eq!(excerpt(b"short"), "short");
        assert_eq!(excerpt(&[0xff, b'a']), "\u{fffd}a");
        let exact = "a".repeat(BODY_EXCERPT_LIMIT);
        assert_eq!(excerpt(exact.as_bytes()), exact);
    }

    #[test]
    fn elide_keeps_both_ends() {
        assert_eq!(elide("short", 10), "short");
        let long = format!("{}{}", "é".repeat(600), " at line 1 column 9");
        let e = elide(&long, 200);
        assert!(e.len() <= 200 + '…'.len_utf8(), "{}", e.len());
        assert!(e.starts_with("éé"));
        assert!(e.ends_with("at line 1 column 9"), "{e}");
        assert!(e.contains('…'));
    }
}

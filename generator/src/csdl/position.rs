//! Line and column of byte offsets in a document, for the positions every element keeps.
//!
//! The reader asks for positions in document order, so a cursor that only moves forward
//! finds each one: it knows the next line end ahead of it, and each line end of the document
//! is searched for once (one `memchr` call a line). There is no table of line starts over
//! the whole document and no search in one (15M instructions on Graph v1.0 before, 5M now).
//! An offset behind the cursor starts over from the top, which only error paths do.

use std::cell::Cell;

use crate::error::Pos;

/// Positions in `text`. Lines end at `\n`, `\r\n` and a lone `\r` (XML line-end handling);
/// columns count characters, from 1.
pub(super) struct Lines<'t> {
    text: &'t str,
    /// Whether any `\r` occurs: without one, only `\n` needs looking for.
    has_cr: bool,
    cursor: Cell<Cursor>,
    /// Where the cursor goes back to for an offset before it: the start of the text, or of
    /// the part of it that is the original's (the second half of a document parsed in
    /// halves opens with copies of tags that are not).
    home: (u32, usize),
}

#[derive(Clone, Copy)]
struct Cursor {
    /// Byte offset where the cursor's line starts.
    start: usize,
    /// Its 1-based number.
    line: u32,
    /// The first `\n` or `\r` at or after `start`, or the end of the text.
    next: usize,
}

impl<'t> Lines<'t> {
    pub(super) fn new(text: &'t str) -> Self {
        let mut lines = Lines {
            text,
            has_cr: memchr::memchr(b'\r', text.as_bytes()).is_some(),
            cursor: Cell::new(Cursor {
                start: 0,
                line: 1,
                next: 0,
            }),
            home: (1, 0),
        };
        lines.cursor.get_mut().next = lines.next_break(0);
        lines
    }

    /// Positions in `text` from the line that starts at byte `line_start`, line number
    /// `line`, on (as [`Self::line_of`] gave them), going back to `home` (a line number
    /// and the byte its line starts at) for an earlier offset; `has_cr` as `new` finds it.
    pub(super) fn resume(
        text: &'t str,
        has_cr: bool,
        home: (u32, usize),
        (line, line_start): (u32, usize),
    ) -> Self {
        let mut lines = Lines {
            text,
            has_cr,
            cursor: Cell::new(Cursor {
                start: line_start,
                line,
                next: 0,
            }),
            home,
        };
        lines.cursor.get_mut().next = lines.next_break(line_start);
        lines
    }

    /// The number and first byte of the line `offset` is on, for [`Self::resume`].
    pub(super) fn line_of(&self, offset: usize) -> (u32, usize) {
        self.pos(offset);
        let c = self.cursor.get();
        (c.line, c.start)
    }

    /// The first possible line end at or after `from`.
    fn next_break(&self, from: usize) -> usize {
        let rest = &self.text.as_bytes()[from..];
        let found = if self.has_cr {
            memchr::memchr2(b'\n', b'\r', rest)
        } else {
            memchr::memchr(b'\n', rest)
        };
        found.map_or(self.text.len(), |i| from + i)
    }

    /// The position of byte `offset` (clamped to the end of the text).
    pub(super) fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let bytes = self.text.as_bytes();
        let mut c = self.cursor.get();
        if offset < c.start {
            let (line, start) = self.home;
            c = Cursor {
                start,
                line,
                next: self.next_break(start),
            };
        }
        while c.next < offset {
            let at = c.next;
            // A `\r` followed by `\n` ends its line at the `\n`.
            if bytes[at] == b'\n' || bytes.get(at + 1) != Some(&b'\n') {
                c.line += 1;
                c.start = at + 1;
            }
            c.next = self.next_break(at + 1);
        }
        self.cursor.set(c);
        let before = &bytes[c.start..offset];
        // An indentation is nearly always ASCII, one character a byte (and then `offset` is
        // a character boundary: the byte before it is ASCII).
        let col = if before.is_ascii() {
            before.len()
        } else {
            self.text
                .get(c.start..offset)
                .map_or(0, |l| l.chars().count())
        };
        Pos {
            line: c.line,
            col: col as u32 + 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The position of `offset` by walking every character from the top (a `\r` directly
    /// before a `\n` of the text does not end a line: its `\n` does).
    fn walked(text: &str, offset: usize) -> Pos {
        let (mut line, mut col) = (1, 1);
        for (i, c) in text[..offset].char_indices() {
            let ends_line = c == '\n' || (c == '\r' && !text[i + 1..].starts_with('\n'));
            if ends_line {
                (line, col) = (line + 1, 1);
            } else {
                col += 1;
            }
        }
        Pos { line, col }
    }

    fn at(line: u32, col: u32) -> Pos {
        Pos { line, col }
    }

    #[test]
    fn lines_end_at_lf_crlf_and_lone_cr() {
        let text = "a\nb\r\nc\rd";
        let lines = Lines::new(text);
        assert_eq!(lines.pos(0), at(1, 1));
        assert_eq!(lines.pos(2), at(2, 1));
        assert_eq!(lines.pos(5), at(3, 1));
        assert_eq!(lines.pos(7), at(4, 1));
        assert_eq!(lines.pos(8), at(4, 2));
    }

    #[test]
    fn first_and_last_line_and_the_end() {
        let text = "<a>\n  <b/>\n</a>";
        let lines = Lines::new(text);
        assert_eq!(lines.pos(1), at(1, 2));
        assert_eq!(lines.pos(6), at(2, 3));
        assert_eq!(lines.pos(11), at(3, 1));
        assert_eq!(lines.pos(text.len()), at(3, 5));
        // Past the end is the end.
        assert_eq!(lines.pos(text.len() + 10), at(3, 5));
        assert_eq!(Lines::new("").pos(0), at(1, 1));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        // `é` is two bytes, `𝄞` four: the `<` after them is the fourth character.
        let text = "x\né𝄞 <b/>";
        assert_eq!(Lines::new(text).pos(text.find('<').unwrap()), at(2, 4));
    }

    #[test]
    fn an_offset_behind_the_cursor_starts_over() {
        let text = "a\nb\nc\r\nd";
        let lines = Lines::new(text);
        assert_eq!(lines.pos(7), at(4, 1));
        assert_eq!(lines.pos(2), at(2, 1));
        assert_eq!(lines.pos(0), at(1, 1));
        assert_eq!(lines.pos(4), at(3, 1));
    }

    #[test]
    fn every_offset_in_any_order_matches_a_walk_from_the_top() {
        for text in [
            "a\nb\r\nc\rd\r\r\n\n",
            "\r\n\r\n  é\r<x>\n𝄞\n",
            "no line end at all",
            "\n\n\n",
            "\r\r\r",
        ] {
            let offsets: Vec<usize> = (0..=text.len())
                .filter(|&o| text.is_char_boundary(o))
                .collect();
            let lines = Lines::new(text);
            for &o in &offsets {
                assert_eq!(lines.pos(o), walked(text, o), "{text:?} at {o}");
            }
            // Backwards, and jumping about, through the same cursor.
            for &o in offsets.iter().rev().chain(offsets.iter().step_by(3)) {
                assert_eq!(lines.pos(o), walked(text, o), "{text:?} at {o}");
            }
        }
    }

    /// A cursor resumed at the line of an offset (as deferred members are read) gives the
    /// positions a walk from the top gives, for that offset and every later one.
    #[test]
    fn resuming_at_a_line_matches_a_walk_from_the_top() {
        for text in ["a\nb\r\nc\rd\r\r\n\n", "\r\n\r\n  é\r<x>\n𝄞\n", "one line"] {
            let offsets: Vec<usize> = (0..=text.len())
                .filter(|&o| text.is_char_boundary(o))
                .collect();
            let has_cr = text.contains('\r');
            for &from in &offsets {
                let (line, start) = Lines::new(text).line_of(from);
                let resumed = Lines::resume(text, has_cr, (1, 0), (line, start));
                for &o in offsets.iter().filter(|&&o| o >= from) {
                    assert_eq!(
                        resumed.pos(o),
                        walked(text, o),
                        "{text:?} from {from} at {o}"
                    );
                }
            }
        }
    }
}

//! What the EDM types share to read and write their wire text: a byte cursor, digit and
//! fraction helpers, and the serde impls of types that travel as JSON strings.

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use serde::de::{self, Visitor};

use super::error::ParseEdmError;

/// Serde visitor for types deserialized from a JSON string through [`FromStr`].
pub(super) struct FromStrVisitor<T> {
    pub(super) edm_type: &'static str,
    pub(super) marker: PhantomData<T>,
}

impl<T> Visitor<'_> for FromStrVisitor<T>
where
    T: FromStr<Err = ParseEdmError>,
{
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a string containing an {} value", self.edm_type)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        v.parse().map_err(E::custom)
    }
}

/// Implements `Serialize` (the `Display` form as a string) and `Deserialize` (a string parsed
/// with `FromStr`).
macro_rules! string_serde {
    ($ty:ty, $edm:literal) => {
        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                deserializer.deserialize_str($crate::edm::wire::FromStrVisitor {
                    edm_type: $edm,
                    marker: ::std::marker::PhantomData,
                })
            }
        }
    };
}

/// Implements `From` both ways and `Deref` for a newtype around `$inner`.
macro_rules! newtype_conversions {
    ($ty:ident, $inner:ty) => {
        impl From<$inner> for $ty {
            fn from(value: $inner) -> Self {
                Self(value)
            }
        }

        impl From<$ty> for $inner {
            fn from(value: $ty) -> Self {
                value.0
            }
        }

        impl ::std::ops::Deref for $ty {
            type Target = $inner;

            fn deref(&self) -> &$inner {
                &self.0
            }
        }
    };
}

/// A byte cursor over an ASCII wire string. Non-ASCII bytes never match a digit or a literal,
/// so they simply make parsing fail.
pub(super) struct Cursor<'a> {
    bytes: &'a [u8],
    pub(super) pos: usize,
}

impl<'a> Cursor<'a> {
    pub(super) fn new(s: &'a str) -> Self {
        Self {
            bytes: s.as_bytes(),
            pos: 0,
        }
    }

    pub(super) fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    pub(super) fn next_byte(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        Some(b)
    }

    pub(super) fn eat(&mut self, expected: u8) -> bool {
        if self.peek() == Some(expected) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    pub(super) fn is_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    /// Exactly `n` ASCII digits (n <= 9), as a number.
    pub(super) fn fixed_digits(&mut self, n: usize) -> Option<u32> {
        let end = self.pos.checked_add(n)?;
        let digits = self.bytes.get(self.pos..end)?;
        let mut value: u32 = 0;
        for &d in digits {
            if !d.is_ascii_digit() {
                return None;
            }
            value = value * 10 + u32::from(d - b'0');
        }
        self.pos = end;
        Some(value)
    }

    /// The longest run of ASCII digits at the cursor (possibly empty).
    pub(super) fn digit_run(&mut self) -> &'a [u8] {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        &self.bytes[start..self.pos]
    }
}

/// Nanoseconds from fractional-second digits; digits beyond the ninth are truncated.
pub(super) fn fraction_to_nanos(digits: &[u8]) -> u32 {
    let mut nanos: u32 = 0;
    for i in 0..9 {
        let digit = digits.get(i).map_or(0, |d| u32::from(d - b'0'));
        nanos = nanos * 10 + digit;
    }
    nanos
}

/// Parses ASCII digits as a `u64`, `None` on overflow (or if not all digits).
pub(super) fn digits_to_u64(digits: &[u8]) -> Option<u64> {
    let mut value: u64 = 0;
    for &d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        value = value.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
    }
    Some(value)
}

/// Writes `.fraction` with trailing zeros trimmed, or nothing when `nanos` is zero.
pub(super) fn write_fraction(f: &mut fmt::Formatter<'_>, nanos: u32) -> fmt::Result {
    if nanos == 0 {
        return Ok(());
    }
    let mut value = nanos;
    let mut width = 9;
    while value % 10 == 0 {
        value /= 10;
        width -= 1;
    }
    write!(f, ".{value:0width$}")
}

pub(super) fn parse_whole<T>(
    s: &str,
    edm_type: &'static str,
    part: impl FnOnce(&mut Cursor<'_>) -> Result<T, &'static str>,
) -> Result<T, ParseEdmError> {
    let mut c = Cursor::new(s);
    let value = part(&mut c).map_err(|reason| ParseEdmError::new(edm_type, s, reason))?;
    if !c.is_end() {
        return Err(ParseEdmError::new(
            edm_type,
            s,
            "unexpected characters after the value",
        ));
    }
    Ok(value)
}

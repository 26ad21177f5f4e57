//! `Edm.Decimal`.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use super::error::ParseEdmError;
use super::wire::{digits_to_u64, Cursor};

/// `Edm.Decimal`: an exact decimal number, kept as its validated text.
///
/// The text is `[+|-]digits[.digits][(e|E)[+|-]digits]` (as JSON numbers and the OData ABNF
/// write it); `NaN` and infinities are rejected, and so are exponents that do not fit in `i64`.
///
/// # JSON
///
/// Deserializes from a JSON number (its textual form) or from a JSON string (the
/// `IEEE754Compatible=true` form). Note that without `serde_json`'s `arbitrary_precision` feature,
/// JSON numbers reach this type as `f64`/`i64`/`u64`, so non-integral numbers with more than
/// about 17 significant digits only stay exact when sent as strings.
///
/// Serializes as a JSON number when that is exact (an `i64`/`u64`, or an `f64` whose shortest
/// representation has the same value as the text), otherwise as a JSON string.
///
/// # Comparison
///
/// Equality, hashing and ordering use the numeric value, not the text: `1.50 == 1.5e0`,
/// `-0 == 0`. [`as_str`](Self::as_str) and [`Display`](fmt::Display) return the text unchanged.
#[derive(Debug, Clone)]
pub struct Decimal(String);

/// The pieces of a valid decimal text.
struct DecimalParts<'a> {
    negative: bool,
    integer: &'a [u8],
    fraction: &'a [u8],
    exponent: i64,
    has_exponent: bool,
}

fn split_decimal(s: &str) -> Result<DecimalParts<'_>, &'static str> {
    let mut c = Cursor::new(s);
    let negative = if c.eat(b'-') {
        true
    } else {
        c.eat(b'+');
        false
    };
    let integer = c.digit_run();
    if integer.is_empty() {
        return Err("expected digits");
    }
    let fraction = if c.eat(b'.') {
        let digits = c.digit_run();
        if digits.is_empty() {
            return Err("expected digits after '.'");
        }
        digits
    } else {
        &[]
    };
    let mut exponent = 0i64;
    let has_exponent = c.eat(b'e') || c.eat(b'E');
    if has_exponent {
        let exponent_negative = if c.eat(b'-') {
            true
        } else {
            c.eat(b'+');
            false
        };
        let digits = c.digit_run();
        if digits.is_empty() {
            return Err("expected digits in the exponent");
        }
        let magnitude = digits_to_u64(digits)
            .and_then(|m| i64::try_from(m).ok())
            .ok_or("exponent out of range")?;
        exponent = if exponent_negative {
            -magnitude
        } else {
            magnitude
        };
    }
    if !c.is_end() {
        return Err("unexpected characters after the number");
    }
    Ok(DecimalParts {
        negative,
        integer,
        fraction,
        exponent,
        has_exponent,
    })
}

/// A value-normalized view of a decimal: `sign * 0.DIGITS * 10^exponent`, where DIGITS are the
/// significant digits (no leading or trailing zeros). Zero has sign 0, no digits, exponent 0.
struct NormalizedDecimal<'a> {
    sign: i8,
    exponent: i128,
    integer: &'a [u8],
    fraction: &'a [u8],
    skip: usize,
    len: usize,
}

impl<'a> NormalizedDecimal<'a> {
    fn of(text: &'a str) -> Self {
        let Ok(parts) = split_decimal(text) else {
            // Unreachable for a validated `Decimal`; treat as zero rather than panic.
            return Self {
                sign: 0,
                exponent: 0,
                integer: &[],
                fraction: &[],
                skip: 0,
                len: 0,
            };
        };
        let all = || parts.integer.iter().chain(parts.fraction.iter());
        let total = parts.integer.len() + parts.fraction.len();
        let leading = all().take_while(|&&d| d == b'0').count();
        if leading == total {
            return Self {
                sign: 0,
                exponent: 0,
                integer: &[],
                fraction: &[],
                skip: 0,
                len: 0,
            };
        }
        let trailing = parts
            .fraction
            .iter()
            .rev()
            .chain(parts.integer.iter().rev())
            .take_while(|&&d| d == b'0')
            .count();
        Self {
            sign: if parts.negative { -1 } else { 1 },
            exponent: i128::from(parts.exponent) + parts.integer.len() as i128 - leading as i128,
            integer: parts.integer,
            fraction: parts.fraction,
            skip: leading,
            len: total - leading - trailing,
        }
    }

    fn digits(&self) -> impl Iterator<Item = u8> + 'a {
        self.integer
            .iter()
            .chain(self.fraction.iter())
            .copied()
            .skip(self.skip)
            .take(self.len)
    }

    fn cmp(&self, other: &Self) -> Ordering {
        match self.sign.cmp(&other.sign) {
            Ordering::Equal => {}
            unequal => return unequal,
        }
        let magnitude = self
            .exponent
            .cmp(&other.exponent)
            .then_with(|| self.digits().cmp(other.digits()));
        if self.sign < 0 {
            magnitude.reverse()
        } else {
            magnitude
        }
    }
}

impl Decimal {
    /// The decimal's text, exactly as parsed or received.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The nearest `f64` (infinite if the magnitude exceeds the `f64` range).
    pub fn to_f64(&self) -> f64 {
        // The text is a valid Rust float literal by construction.
        self.0.parse().unwrap_or(f64::NAN)
    }

    /// Consumes the decimal, returning its text.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl Default for Decimal {
    /// Zero (`0`).
    fn default() -> Self {
        Self("0".to_owned())
    }
}

impl PartialEq for Decimal {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Decimal {}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Self) -> Ordering {
        NormalizedDecimal::of(&self.0).cmp(&NormalizedDecimal::of(&other.0))
    }
}

impl Hash for Decimal {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let normalized = NormalizedDecimal::of(&self.0);
        normalized.sign.hash(state);
        normalized.exponent.hash(state);
        normalized.len.hash(state);
        for digit in normalized.digits() {
            digit.hash(state);
        }
    }
}

impl FromStr for Decimal {
    type Err = ParseEdmError;

    fn from_str(s: &str) -> Result<Self, ParseEdmError> {
        split_decimal(s).map_err(|reason| ParseEdmError::new("Edm.Decimal", s, reason))?;
        Ok(Self(s.to_owned()))
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Decimal {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<Decimal> for String {
    fn from(value: Decimal) -> Self {
        value.0
    }
}

impl From<i64> for Decimal {
    fn from(value: i64) -> Self {
        Self(value.to_string())
    }
}

impl From<u64> for Decimal {
    fn from(value: u64) -> Self {
        Self(value.to_string())
    }
}

impl From<i32> for Decimal {
    fn from(value: i32) -> Self {
        Self(value.to_string())
    }
}

impl From<u32> for Decimal {
    fn from(value: u32) -> Self {
        Self(value.to_string())
    }
}

impl TryFrom<f64> for Decimal {
    type Error = ParseEdmError;

    /// The shortest decimal text that round-trips to `value`; fails for NaN and infinities.
    fn try_from(value: f64) -> Result<Self, ParseEdmError> {
        match serde_json::Number::from_f64(value) {
            Some(number) => Ok(Self(number.to_string())),
            None => Err(ParseEdmError::new(
                "Edm.Decimal",
                &value.to_string(),
                "not a finite number",
            )),
        }
    }
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let is_integer_text = split_decimal(&self.0)
            .map(|p| p.fraction.is_empty() && !p.has_exponent)
            .unwrap_or(false);
        if is_integer_text {
            if let Ok(value) = self.0.parse::<i64>() {
                return serializer.serialize_i64(value);
            }
            if let Ok(value) = self.0.parse::<u64>() {
                return serializer.serialize_u64(value);
            }
        }
        if let Ok(value) = self.0.parse::<f64>() {
            if let Some(number) = serde_json::Number::from_f64(value) {
                let shortest = Self(number.to_string());
                if shortest == *self {
                    return serializer.serialize_f64(value);
                }
            }
        }
        serializer.serialize_str(&self.0)
    }
}

struct DecimalVisitor;

impl<'de> Visitor<'de> for DecimalVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an Edm.Decimal value as a JSON number or string")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        Decimal::try_from(v).map_err(E::custom)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        v.parse().map_err(E::custom)
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Decimal, A::Error> {
        // With serde_json's `arbitrary_precision` feature, numbers arrive as a special map;
        // `serde_json::Number` knows how to read it (and rejects real maps).
        let number = serde_json::Number::deserialize(de::value::MapAccessDeserializer::new(map))?;
        number.to_string().parse().map_err(de::Error::custom)
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DecimalVisitor)
    }
}

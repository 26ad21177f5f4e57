//! EDM primitive types.
//!
//! Rust types for the OData EDM primitives that have no exact std equivalent. Every type is a
//! small newtype that serializes as its OData JSON wire form, so it can be used directly inside
//! `Option<Vec<T>>` fields of generated structs without per-field serde attributes.
//!
//! | EDM type              | Rust type                         | JSON wire form                        |
//! |-----------------------|-----------------------------------|---------------------------------------|
//! | `Edm.DateTimeOffset`  | [`DateTimeOffset`]                | `"2024-05-01T10:00:00.1234567Z"`      |
//! | `Edm.Date`            | [`Date`]                          | `"2024-05-01"`                        |
//! | `Edm.TimeOfDay`       | [`TimeOfDay`]                     | `"10:00:00.5"`                        |
//! | `Edm.Duration`        | [`Duration`]                      | `"P1DT2H30M"`                         |
//! | `Edm.Binary`          | [`Binary`]                        | `"AAEC/w=="`                          |
//! | `Edm.Decimal`         | [`Decimal`]                       | `1.25` or `"1.25"`                    |
//! | `Edm.Guid`            | [`Guid`] (= [`uuid::Uuid`])       | `"01234567-89ab-cdef-0123-456789abcdef"` |
//! | `Edm.Untyped`         | [`Untyped`] (= [`serde_json::Value`]) | any JSON value                    |
//! | `Edm.Stream`          | [`Stream`] (= [`serde_json::Value`])  | any JSON value                    |
//!
//! All string-based types implement [`FromStr`] (error: [`ParseEdmError`]) and [`Display`]
//! (the wire form). Parsing never panics, whatever the input.
//!
//! [`Display`]: fmt::Display

use std::cmp::Ordering;
use std::fmt::{self, Write as _};
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::ops::Deref;
use std::str::FromStr;

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// `Edm.Guid`: a UUID, serialized as its hyphenated lowercase string form.
pub type Guid = uuid::Uuid;

/// `Edm.Untyped`: a JSON value of any shape (object, array, string, number, boolean or null).
pub type Untyped = serde_json::Value;

/// `Edm.Stream`: the JSON representation of a stream property.
///
/// Stream content is normally fetched separately (via its media read link); when a stream value
/// appears inline in a JSON payload it is kept as an arbitrary JSON value.
pub type Stream = serde_json::Value;

const NANOS_PER_SEC: u32 = 1_000_000_000;
const SECS_PER_MINUTE: u64 = 60;
const SECS_PER_HOUR: u64 = 3_600;
const SECS_PER_DAY: u64 = 86_400;
const SECS_PER_WEEK: u64 = 604_800;

/// Maximum number of characters of the offending input kept in a [`ParseEdmError`].
const MAX_SHOWN_INPUT_CHARS: usize = 64;

/// Maximum number of fractional-second digits accepted by `Edm.TimeOfDay` and
/// `Edm.DateTimeOffset` (the OData ABNF limit).
const MAX_TIME_FRACTION_DIGITS: usize = 12;

// ---------------------------------------------------------------------------------------------
// Error
// ---------------------------------------------------------------------------------------------

/// Error returned when a string is not a valid wire form of an EDM primitive type.
///
/// Its [`Display`](fmt::Display) names the EDM type, the offending input (truncated to
/// 64 characters) and what was wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseEdmError {
    edm_type: &'static str,
    input: String,
    truncated: bool,
    reason: &'static str,
}

impl ParseEdmError {
    fn new(edm_type: &'static str, input: &str, reason: &'static str) -> Self {
        let shown: String = input.chars().take(MAX_SHOWN_INPUT_CHARS).collect();
        let truncated = shown.len() < input.len();
        Self {
            edm_type,
            input: shown,
            truncated,
            reason,
        }
    }

    /// The qualified name of the EDM type that failed to parse, e.g. `"Edm.Duration"`.
    pub fn edm_type(&self) -> &'static str {
        self.edm_type
    }

    /// The offending input, truncated to its first 64 characters.
    pub fn input(&self) -> &str {
        &self.input
    }

    /// What was wrong with the input.
    pub fn reason(&self) -> &str {
        self.reason
    }
}

impl fmt::Display for ParseEdmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {} value {:?}", self.edm_type, self.input)?;
        if self.truncated {
            f.write_str(" (truncated)")?;
        }
        write!(f, ": {}", self.reason)
    }
}

impl std::error::Error for ParseEdmError {}

// ---------------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------------

/// Serde visitor for types deserialized from a JSON string through [`FromStr`].
struct FromStrVisitor<T> {
    edm_type: &'static str,
    marker: PhantomData<T>,
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
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_str(FromStrVisitor {
                    edm_type: $edm,
                    marker: PhantomData,
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

        impl Deref for $ty {
            type Target = $inner;

            fn deref(&self) -> &$inner {
                &self.0
            }
        }
    };
}

/// A byte cursor over an ASCII wire string. Non-ASCII bytes never match a digit or a literal,
/// so they simply make parsing fail.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn new(s: &'a str) -> Self {
        Self {
            bytes: s.as_bytes(),
            pos: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn next_byte(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        Some(b)
    }

    fn eat(&mut self, expected: u8) -> bool {
        if self.peek() == Some(expected) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn is_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    /// Exactly `n` ASCII digits (n <= 9), as a number.
    fn fixed_digits(&mut self, n: usize) -> Option<u32> {
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
    fn digit_run(&mut self) -> &'a [u8] {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        &self.bytes[start..self.pos]
    }
}

/// Nanoseconds from fractional-second digits; digits beyond the ninth are truncated.
fn fraction_to_nanos(digits: &[u8]) -> u32 {
    let mut nanos: u32 = 0;
    for i in 0..9 {
        let digit = digits.get(i).map_or(0, |d| u32::from(d - b'0'));
        nanos = nanos * 10 + digit;
    }
    nanos
}

/// Parses ASCII digits as a `u64`, `None` on overflow (or if not all digits).
fn digits_to_u64(digits: &[u8]) -> Option<u64> {
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
fn write_fraction(f: &mut fmt::Formatter<'_>, nanos: u32) -> fmt::Result {
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

fn write_date(f: &mut fmt::Formatter<'_>, date: time::Date) -> fmt::Result {
    let year = date.year();
    if year < 0 {
        f.write_char('-')?;
    }
    write!(
        f,
        "{:04}-{:02}-{:02}",
        year.unsigned_abs(),
        u8::from(date.month()),
        date.day()
    )
}

fn write_time(f: &mut fmt::Formatter<'_>, time: time::Time) -> fmt::Result {
    let (hour, minute, second, nanos) = time.as_hms_nano();
    write!(f, "{hour:02}:{minute:02}:{second:02}")?;
    write_fraction(f, nanos)
}

/// `[-]YYYY-MM-DD`
fn parse_date_part(c: &mut Cursor<'_>) -> Result<time::Date, &'static str> {
    let negative = c.eat(b'-');
    let year = c.fixed_digits(4).ok_or("expected a four-digit year")?;
    if !c.eat(b'-') {
        return Err("expected '-' after the four-digit year");
    }
    let month = c.fixed_digits(2).ok_or("expected a two-digit month")?;
    if !c.eat(b'-') {
        return Err("expected '-' after the month");
    }
    let day = c.fixed_digits(2).ok_or("expected a two-digit day")?;
    // All three values have at most four digits, so the conversions below cannot truncate.
    let year = if negative {
        -(year as i32)
    } else {
        year as i32
    };
    let month = time::Month::try_from(month as u8).map_err(|_| "month out of range")?;
    time::Date::from_calendar_date(year, month, day as u8)
        .map_err(|_| "day out of range for the month")
}

/// `HH:MM[:SS[.fraction]]`
fn parse_time_part(c: &mut Cursor<'_>) -> Result<time::Time, &'static str> {
    let hour = c.fixed_digits(2).ok_or("expected a two-digit hour")?;
    if !c.eat(b':') {
        return Err("expected ':' after the hour");
    }
    let minute = c.fixed_digits(2).ok_or("expected two-digit minutes")?;
    let mut second = 0;
    let mut nanos = 0;
    if c.eat(b':') {
        second = c.fixed_digits(2).ok_or("expected two-digit seconds")?;
        if c.eat(b'.') {
            let digits = c.digit_run();
            if digits.is_empty() {
                return Err("expected digits after '.'");
            }
            if digits.len() > MAX_TIME_FRACTION_DIGITS {
                return Err("more than 12 fractional second digits");
            }
            nanos = fraction_to_nanos(digits);
        }
    }
    if hour > 23 {
        return Err("hour out of range");
    }
    if minute > 59 {
        return Err("minutes out of range");
    }
    if second > 59 {
        return Err("seconds out of range (leap seconds are not supported)");
    }
    time::Time::from_hms_nano(hour as u8, minute as u8, second as u8, nanos)
        .map_err(|_| "time out of range")
}

fn parse_whole<T>(
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

// ---------------------------------------------------------------------------------------------
// DateTimeOffset
// ---------------------------------------------------------------------------------------------

/// `Edm.DateTimeOffset`: a point in time with a UTC offset, in the RFC 3339 form OData JSON uses.
///
/// Parsing accepts `YYYY-MM-DDTHH:MM[:SS[.fraction]]` followed by `Z` or a `+hh:mm` / `-hh:mm`
/// offset (`T` and `Z` may be lowercase). Years `0000` to `9999` are accepted, optionally with a
/// leading `-`; the fraction may have 1 to 12 digits and is kept to nanosecond precision
/// (digits beyond the ninth are truncated). Leniencies beyond RFC 3339: the seconds are optional
/// (as in the OData ABNF), the colon in the offset is optional (`+0200`), and a missing offset
/// is read as UTC.
///
/// Display (and serialization) prints `YYYY-MM-DDTHH:MM:SS[.fraction]` followed by `Z` for UTC
/// or `+hh:mm`/`-hh:mm` otherwise; the fraction has its trailing zeros trimmed and is omitted
/// when zero, so the 7-digit fractions Microsoft Graph sends round-trip byte-identically. An
/// offset with a non-zero seconds component (which OData cannot express) is printed converted
/// to UTC.
///
/// Equality, ordering and hashing compare the instant (as [`time::OffsetDateTime`] does), so
/// `10:00:00+02:00 == 08:00:00Z`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTimeOffset(pub time::OffsetDateTime);

newtype_conversions!(DateTimeOffset, time::OffsetDateTime);
string_serde!(DateTimeOffset, "Edm.DateTimeOffset");

impl DateTimeOffset {
    /// The current time in UTC.
    pub fn now_utc() -> Self {
        Self(time::OffsetDateTime::now_utc())
    }
}

fn parse_offset(c: &mut Cursor<'_>) -> Result<time::UtcOffset, &'static str> {
    match c.peek() {
        None => Ok(time::UtcOffset::UTC),
        Some(b'Z' | b'z') => {
            c.pos += 1;
            Ok(time::UtcOffset::UTC)
        }
        Some(sign @ (b'+' | b'-')) => {
            c.pos += 1;
            let hours = c
                .fixed_digits(2)
                .ok_or("expected a two-digit offset hour")?;
            c.eat(b':');
            let minutes = c
                .fixed_digits(2)
                .ok_or("expected two-digit offset minutes")?;
            if hours > 23 || minutes > 59 {
                return Err("offset out of range");
            }
            // Both values are below 100.
            let (hours, minutes) = (hours as i8, minutes as i8);
            let (hours, minutes) = if sign == b'-' {
                (-hours, -minutes)
            } else {
                (hours, minutes)
            };
            time::UtcOffset::from_hms(hours, minutes, 0).map_err(|_| "offset out of range")
        }
        Some(_) => Err("expected 'Z' or a '+hh:mm' / '-hh:mm' offset after the time"),
    }
}

impl FromStr for DateTimeOffset {
    type Err = ParseEdmError;

    fn from_str(s: &str) -> Result<Self, ParseEdmError> {
        parse_whole(s, "Edm.DateTimeOffset", |c| {
            let date = parse_date_part(c)?;
            if !(c.eat(b'T') || c.eat(b't')) {
                return Err("expected 'T' between the date and the time");
            }
            let time = parse_time_part(c)?;
            let offset = parse_offset(c)?;
            Ok(Self(time::OffsetDateTime::new_in_offset(
                date, time, offset,
            )))
        })
    }
}

impl fmt::Display for DateTimeOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut value = self.0;
        if value.offset().seconds_past_minute() != 0 {
            // Not expressible as +hh:mm: print the same instant in UTC. If that instant is out
            // of the representable range, fall back to dropping the offset seconds.
            value = value
                .checked_to_offset(time::UtcOffset::UTC)
                .unwrap_or(value);
        }
        write_date(f, value.date())?;
        f.write_char('T')?;
        write_time(f, value.time())?;
        let offset = value.offset();
        if offset.is_utc() {
            f.write_char('Z')
        } else {
            let sign = if offset.is_negative() { '-' } else { '+' };
            write!(
                f,
                "{sign}{:02}:{:02}",
                offset.whole_hours().unsigned_abs(),
                offset.minutes_past_hour().unsigned_abs()
            )
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Date
// ---------------------------------------------------------------------------------------------

/// `Edm.Date`: a calendar date without time or offset, wire form `YYYY-MM-DD`.
///
/// Years `0000` to `9999` are accepted (optionally with a leading `-` for years before 1 BCE,
/// which OData allows and [`time::Date`] supports).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date(pub time::Date);

newtype_conversions!(Date, time::Date);
string_serde!(Date, "Edm.Date");

impl FromStr for Date {
    type Err = ParseEdmError;

    fn from_str(s: &str) -> Result<Self, ParseEdmError> {
        parse_whole(s, "Edm.Date", parse_date_part).map(Self)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_date(f, self.0)
    }
}

// ---------------------------------------------------------------------------------------------
// TimeOfDay
// ---------------------------------------------------------------------------------------------

/// `Edm.TimeOfDay`: a clock time without date or offset.
///
/// Parsing accepts `HH:MM`, `HH:MM:SS` and `HH:MM:SS.fraction` with 1 to 12 fractional digits,
/// kept to nanosecond precision (digits beyond the ninth are truncated). Display prints
/// `HH:MM:SS` followed by the fraction with trailing zeros trimmed, if non-zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TimeOfDay(pub time::Time);

newtype_conversions!(TimeOfDay, time::Time);
string_serde!(TimeOfDay, "Edm.TimeOfDay");

impl FromStr for TimeOfDay {
    type Err = ParseEdmError;

    fn from_str(s: &str) -> Result<Self, ParseEdmError> {
        parse_whole(s, "Edm.TimeOfDay", parse_time_part).map(Self)
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_time(f, self.0)
    }
}

// ---------------------------------------------------------------------------------------------
// Duration
// ---------------------------------------------------------------------------------------------

/// `Edm.Duration` (an `xs:dayTimeDuration`): a signed span of time with nanosecond precision.
///
/// # Wire form
///
/// Parsing accepts `[-|+]P[nW][nD][T[nH][nM][n[.fraction]S]]`: at least one component, each at
/// most once and in this order, `T` only when followed by a time component, a fraction only on
/// the seconds. Weeks count as 7 days. Components are not range-limited (`PT90M` is accepted and
/// means `PT1H30M`). Years (`Y`) and months (`M` before `T`) are rejected because they have no
/// fixed length. Fractional digits beyond the ninth are truncated (toward zero). Values whose
/// magnitude does not fit in `u64` seconds are rejected.
///
/// Display (and serialization) prints the canonical form: `-` when negative, `P`, the days as
/// `{d}D` if non-zero, then `T` followed by `{h}H`, `{m}M` and `{s}[.fraction]S`, each only if
/// non-zero (fraction trimmed of trailing zeros). Zero prints `PT0S`. For example
/// `P10675199DT2H48M5.4775807S`, `-P1DT2H`, `PT40M` and `PT0.5S` round-trip byte-identically.
///
/// # Representation
///
/// Sign plus magnitude (`u64` seconds and `u32` nanoseconds below one second); zero is never
/// negative. Ordering follows the signed value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Duration {
    negative: bool,
    seconds: u64,
    nanos: u32,
}

impl Duration {
    /// The zero duration, `PT0S`.
    pub const ZERO: Self = Self {
        negative: false,
        seconds: 0,
        nanos: 0,
    };

    /// Creates a duration from a sign and a magnitude.
    ///
    /// Nanoseconds of one second or more are carried into `seconds` (saturating at `u64::MAX`
    /// seconds); a zero magnitude is never negative.
    pub const fn new(negative: bool, seconds: u64, nanos: u32) -> Self {
        let seconds = seconds.saturating_add((nanos / NANOS_PER_SEC) as u64);
        let nanos = nanos % NANOS_PER_SEC;
        Self {
            negative: negative && (seconds != 0 || nanos != 0),
            seconds,
            nanos,
        }
    }

    /// A duration of `seconds` whole seconds (negative for a negative argument).
    pub const fn from_secs(seconds: i64) -> Self {
        Self::new(seconds < 0, seconds.unsigned_abs(), 0)
    }

    /// A non-negative duration equal to `duration`.
    pub const fn from_std(duration: std::time::Duration) -> Self {
        Self::new(false, duration.as_secs(), duration.subsec_nanos())
    }

    /// The equivalent [`std::time::Duration`], or `None` if this duration is negative.
    pub const fn to_std(&self) -> Option<std::time::Duration> {
        if self.negative {
            None
        } else {
            Some(std::time::Duration::new(self.seconds, self.nanos))
        }
    }

    /// The magnitude of this duration as a [`std::time::Duration`], ignoring the sign.
    pub const fn unsigned_abs(&self) -> std::time::Duration {
        std::time::Duration::new(self.seconds, self.nanos)
    }

    /// A duration equal to the signed [`time::Duration`].
    pub const fn from_time(duration: time::Duration) -> Self {
        Self::new(
            duration.is_negative(),
            duration.whole_seconds().unsigned_abs(),
            duration.subsec_nanoseconds().unsigned_abs(),
        )
    }

    /// The equivalent [`time::Duration`], or `None` if the whole seconds do not fit in `i64`.
    pub fn to_time(&self) -> Option<time::Duration> {
        let seconds = i64::try_from(self.seconds).ok()?;
        // `nanos` is below one billion, so it fits in `i32` and cannot carry into the seconds.
        let nanos = i32::try_from(self.nanos).ok()?;
        Some(if self.negative {
            time::Duration::new(-seconds, -nanos)
        } else {
            time::Duration::new(seconds, nanos)
        })
    }

    /// Whether this duration is below zero.
    pub const fn is_negative(&self) -> bool {
        self.negative
    }

    /// Whether this duration is zero.
    pub const fn is_zero(&self) -> bool {
        self.seconds == 0 && self.nanos == 0
    }

    /// The whole seconds, signed (truncated toward zero: `-PT1.5S` gives `-1`).
    pub const fn whole_seconds(&self) -> i128 {
        if self.negative {
            -(self.seconds as i128)
        } else {
            self.seconds as i128
        }
    }

    /// The fractional part of the magnitude in nanoseconds (`0..1_000_000_000`); its sign is
    /// given by [`is_negative`](Self::is_negative).
    pub const fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// The signed value in seconds as a floating-point number (may lose precision).
    pub fn as_secs_f64(&self) -> f64 {
        let magnitude = self.seconds as f64 + f64::from(self.nanos) / f64::from(NANOS_PER_SEC);
        if self.negative {
            -magnitude
        } else {
            magnitude
        }
    }
}

impl Ord for Duration {
    fn cmp(&self, other: &Self) -> Ordering {
        let magnitude = |d: &Self| (d.seconds, d.nanos);
        match (self.negative, other.negative) {
            (false, false) => magnitude(self).cmp(&magnitude(other)),
            (true, true) => magnitude(other).cmp(&magnitude(self)),
            // A negative duration is never zero, so it is below any non-negative one.
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
        }
    }
}

impl PartialOrd for Duration {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl From<std::time::Duration> for Duration {
    fn from(value: std::time::Duration) -> Self {
        Self::from_std(value)
    }
}

impl From<time::Duration> for Duration {
    fn from(value: time::Duration) -> Self {
        Self::from_time(value)
    }
}

string_serde!(Duration, "Edm.Duration");

fn parse_duration(c: &mut Cursor<'_>) -> Result<Duration, &'static str> {
    let negative = if c.eat(b'-') {
        true
    } else {
        c.eat(b'+');
        false
    };
    if !c.eat(b'P') {
        return Err("expected 'P'");
    }
    let mut seconds: u64 = 0;
    let mut nanos: u32 = 0;
    let mut any_component = false;
    let mut in_time = false;
    // Rank of the last component seen, to enforce order and uniqueness.
    let mut last_rank = 0u8;
    while !c.is_end() {
        if !in_time && c.eat(b'T') {
            in_time = true;
            if c.is_end() {
                return Err("'T' must be followed by hours (H), minutes (M) or seconds (S)");
            }
            continue;
        }
        let whole = c.digit_run();
        if whole.is_empty() {
            return Err(if in_time {
                "expected a number followed by H, M or S"
            } else {
                "expected a number followed by W or D, or 'T'"
            });
        }
        let value = digits_to_u64(whole).ok_or("number too large")?;
        let fraction = if c.eat(b'.') {
            let digits = c.digit_run();
            if digits.is_empty() {
                return Err("expected digits after '.'");
            }
            Some(digits)
        } else {
            None
        };
        let designator = c
            .next_byte()
            .ok_or("missing designator (D, H, M, S) after a number")?;
        let (rank, unit) = match (in_time, designator) {
            (false, b'Y') => {
                return Err("years are not supported: a year has no fixed length")
            }
            (false, b'M') => {
                return Err(
                    "months are not supported: a month has no fixed length (minutes need 'T', as in PT1M)",
                )
            }
            (false, b'W') => (1, SECS_PER_WEEK),
            (false, b'D') => (2, SECS_PER_DAY),
            (true, b'H') => (3, SECS_PER_HOUR),
            (true, b'M') => (4, SECS_PER_MINUTE),
            (true, b'S') => (5, 1),
            (false, b'H' | b'S') => return Err("hours and seconds must follow 'T'"),
            (true, b'Y' | b'W' | b'D') => return Err("years, weeks and days must come before 'T'"),
            _ => return Err("unknown designator (expected W, D, H, M or S)"),
        };
        if rank <= last_rank {
            return Err("components repeated or out of order");
        }
        last_rank = rank;
        if let Some(digits) = fraction {
            if rank != 5 {
                return Err("only the seconds may have a fraction");
            }
            nanos = fraction_to_nanos(digits);
        }
        seconds = value
            .checked_mul(unit)
            .and_then(|v| seconds.checked_add(v))
            .ok_or("duration too large")?;
        any_component = true;
    }
    if !any_component {
        return Err("at least one component (such as T0S) is required");
    }
    Ok(Duration::new(negative, seconds, nanos))
}

impl FromStr for Duration {
    type Err = ParseEdmError;

    fn from_str(s: &str) -> Result<Self, ParseEdmError> {
        parse_whole(s, "Edm.Duration", parse_duration)
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_zero() {
            return f.write_str("PT0S");
        }
        if self.negative {
            f.write_char('-')?;
        }
        f.write_char('P')?;
        let days = self.seconds / SECS_PER_DAY;
        let rest = self.seconds % SECS_PER_DAY;
        let hours = rest / SECS_PER_HOUR;
        let minutes = rest % SECS_PER_HOUR / SECS_PER_MINUTE;
        let seconds = rest % SECS_PER_MINUTE;
        if days != 0 {
            write!(f, "{days}D")?;
        }
        if rest != 0 || self.nanos != 0 {
            f.write_char('T')?;
            if hours != 0 {
                write!(f, "{hours}H")?;
            }
            if minutes != 0 {
                write!(f, "{minutes}M")?;
            }
            if seconds != 0 || self.nanos != 0 {
                write!(f, "{seconds}")?;
                write_fraction(f, self.nanos)?;
                f.write_char('S')?;
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Binary
// ---------------------------------------------------------------------------------------------

const LENIENT_DECODE: GeneralPurposeConfig =
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
const STANDARD_LENIENT: GeneralPurpose =
    GeneralPurpose::new(&base64::alphabet::STANDARD, LENIENT_DECODE);
const URL_SAFE_LENIENT: GeneralPurpose =
    GeneralPurpose::new(&base64::alphabet::URL_SAFE, LENIENT_DECODE);

/// `Edm.Binary`: bytes, base64-encoded on the wire.
///
/// Display (and serialization) uses the standard alphabet with padding. Parsing accepts the
/// standard and the URL-safe alphabet (not mixed), with or without padding.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Binary(pub Vec<u8>);

newtype_conversions!(Binary, Vec<u8>);
string_serde!(Binary, "Edm.Binary");

impl From<&[u8]> for Binary {
    fn from(value: &[u8]) -> Self {
        Self(value.to_vec())
    }
}

impl AsRef<[u8]> for Binary {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl FromStr for Binary {
    type Err = ParseEdmError;

    fn from_str(s: &str) -> Result<Self, ParseEdmError> {
        let engine = if s.bytes().any(|b| b == b'-' || b == b'_') {
            &URL_SAFE_LENIENT
        } else {
            &STANDARD_LENIENT
        };
        engine.decode(s).map(Self).map_err(|error| {
            let reason = match error {
                base64::DecodeError::InvalidByte(..) => "invalid base64 character",
                base64::DecodeError::InvalidLength(_) => "invalid base64 length",
                base64::DecodeError::InvalidLastSymbol(..) => {
                    "invalid last base64 symbol (non-zero trailing bits)"
                }
                base64::DecodeError::InvalidPadding => "invalid base64 padding",
            };
            ParseEdmError::new("Edm.Binary", s, reason)
        })
    }
}

impl fmt::Display for Binary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(
            &base64::display::Base64Display::new(
                &self.0,
                &base64::engine::general_purpose::STANDARD,
            ),
            f,
        )
    }
}

// ---------------------------------------------------------------------------------------------
// Decimal
// ---------------------------------------------------------------------------------------------

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

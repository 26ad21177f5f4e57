//! The calendar family: `Edm.DateTimeOffset`, `Edm.Date` and `Edm.TimeOfDay`, with the
//! date and time parts they share.

use std::fmt::{self, Write as _};
use std::str::FromStr;

use super::error::ParseEdmError;
use super::wire::{fraction_to_nanos, parse_whole, write_fraction, Cursor};

/// Maximum number of fractional-second digits accepted by `Edm.TimeOfDay` and
/// `Edm.DateTimeOffset` (the OData ABNF limit).
const MAX_TIME_FRACTION_DIGITS: usize = 12;

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

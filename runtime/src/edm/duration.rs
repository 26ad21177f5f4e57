//! `Edm.Duration`.

use std::cmp::Ordering;
use std::fmt::{self, Write as _};
use std::str::FromStr;

use super::error::ParseEdmError;
use super::wire::{digits_to_u64, fraction_to_nanos, parse_whole, write_fraction, Cursor};

const NANOS_PER_SEC: u32 = 1_000_000_000;
const SECS_PER_MINUTE: u64 = 60;
const SECS_PER_HOUR: u64 = 3_600;
const SECS_PER_DAY: u64 = 86_400;
const SECS_PER_WEEK: u64 = 604_800;

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

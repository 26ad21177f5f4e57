//! Tests for the EDM primitive types in `graph_odata_runtime::edm`.

use std::collections::HashSet;
use std::fmt::Debug;
use std::str::FromStr;

use graph_odata_runtime::edm::{
    Binary, Date, DateTimeOffset, Decimal, Duration, Guid, ParseEdmError, TimeOfDay, Untyped,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// Parses `input`, checks `Display` gives it back byte-identically, and that it round-trips
/// through serde_json as a JSON string.
fn assert_round_trip<T>(input: &str)
where
    T: FromStr<Err = ParseEdmError> + std::fmt::Display + Serialize + DeserializeOwned + PartialEq,
    T: Debug,
{
    let value: T = input
        .parse()
        .unwrap_or_else(|e| panic!("{input:?} should parse: {e}"));
    assert_eq!(value.to_string(), input, "Display of {input:?}");
    let json = serde_json::to_string(&value).unwrap();
    assert_eq!(json, format!("\"{input}\""), "serialization of {input:?}");
    let back: T = serde_json::from_str(&json).unwrap();
    assert_eq!(back, value);
    assert_eq!(serde_json::to_string(&back).unwrap(), json);
}

/// Parses `input` and checks it displays as `canonical`.
fn assert_canonical<T>(input: &str, canonical: &str)
where
    T: FromStr<Err = ParseEdmError> + std::fmt::Display,
{
    let value: T = input
        .parse()
        .unwrap_or_else(|e| panic!("{input:?} should parse: {e}"));
    assert_eq!(value.to_string(), canonical, "Display of {input:?}");
}

/// Checks `input` is rejected by `FromStr` and by serde, with an error naming the EDM type.
fn assert_rejected<T>(input: &str, edm_type: &str)
where
    T: FromStr<Err = ParseEdmError> + DeserializeOwned + Debug,
{
    let error = match input.parse::<T>() {
        Ok(value) => panic!("{input:?} should be rejected, got {value:?}"),
        Err(error) => error,
    };
    assert_eq!(error.edm_type(), edm_type);
    let message = error.to_string();
    assert!(message.contains(edm_type), "{message}");
    assert!(!error.reason().is_empty());
    let json = serde_json::to_string(input).unwrap();
    let serde_error = serde_json::from_str::<T>(&json).expect_err(input);
    assert!(
        serde_error.to_string().contains(edm_type),
        "serde error should name the type: {serde_error}"
    );
}

/// Garbage every string-based EDM type must reject.
const GARBAGE: &[&str] = &[
    "",
    " ",
    "--",
    "garbage",
    "\u{0}",
    "１２３",
    "٢٠٢٤-٠٥-٠١",
    "🦀",
    "P\u{0661}D",
];

// ---------------------------------------------------------------------------------------------
// Error type
// ---------------------------------------------------------------------------------------------

#[test]
fn error_display_names_type_input_and_reason() {
    let error = "P1Y".parse::<Duration>().unwrap_err();
    let message = error.to_string();
    assert!(message.contains("Edm.Duration"), "{message}");
    assert!(message.contains("\"P1Y\""), "{message}");
    assert!(message.contains("year"), "{message}");
    assert_eq!(error.input(), "P1Y");
    let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(error);
    assert!(!boxed.to_string().is_empty());
}

#[test]
fn error_truncates_long_input() {
    let long = format!("X{}", "é".repeat(500));
    let error = long.parse::<Date>().unwrap_err();
    assert_eq!(error.input().chars().count(), 64);
    assert!(error.to_string().contains("truncated"));
    assert!(error.to_string().len() < 300);
}

// ---------------------------------------------------------------------------------------------
// DateTimeOffset
// ---------------------------------------------------------------------------------------------

#[test]
fn date_time_offset_round_trips() {
    for input in [
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59.9999999Z",
        "2024-05-01T10:00:00.1234567Z",
        "2024-05-01T10:00:00Z",
        "2024-05-01T10:00:00.5Z",
        "2024-05-01T10:00:00.123456789Z",
        "2024-05-01T10:00:00+02:00",
        "2024-05-01T10:00:00.25-05:30",
        "2024-02-29T23:59:59+14:00",
        "1970-01-01T00:00:00-00:01",
    ] {
        assert_round_trip::<DateTimeOffset>(input);
    }
}

#[test]
fn date_time_offset_canonicalizes() {
    for (input, canonical) in [
        ("2024-05-01T10:00:00.5000000Z", "2024-05-01T10:00:00.5Z"),
        ("2024-05-01T10:00:00.0000000Z", "2024-05-01T10:00:00Z"),
        ("2024-05-01t10:00:00z", "2024-05-01T10:00:00Z"),
        ("2024-05-01T10:00Z", "2024-05-01T10:00:00Z"),
        ("2024-05-01T10:00:00+00:00", "2024-05-01T10:00:00Z"),
        ("2024-05-01T10:00:00-00:00", "2024-05-01T10:00:00Z"),
        ("2024-05-01T10:00:00+0200", "2024-05-01T10:00:00+02:00"),
        ("2024-05-01T10:00:00", "2024-05-01T10:00:00Z"),
        // 12 digits accepted, truncated to nanoseconds.
        (
            "2024-05-01T10:00:00.123456789999Z",
            "2024-05-01T10:00:00.123456789Z",
        ),
    ] {
        assert_canonical::<DateTimeOffset>(input, canonical);
    }
}

#[test]
fn date_time_offset_components() {
    let value: DateTimeOffset = "2024-05-01T10:00:00.1234567+02:00".parse().unwrap();
    assert_eq!(value.year(), 2024);
    assert_eq!(value.month(), time::Month::May);
    assert_eq!(value.nanosecond(), 123_456_700);
    assert_eq!(value.offset(), time::macros::offset!(+2));
    let utc: DateTimeOffset = "2024-05-01T08:00:00.1234567Z".parse().unwrap();
    // Same instant, different offsets: equal, same hash.
    assert_eq!(value, utc);
    let set: HashSet<DateTimeOffset> = [value, utc].into_iter().collect();
    assert_eq!(set.len(), 1);
    let earlier: DateTimeOffset = "2024-05-01T07:59:59Z".parse().unwrap();
    assert!(earlier < value);

    let inner: time::OffsetDateTime = value.into();
    assert_eq!(DateTimeOffset::from(inner), value);
    assert_eq!(
        DateTimeOffset(time::macros::datetime!(2024-05-01 10:00:00.5 UTC)).to_string(),
        "2024-05-01T10:00:00.5Z"
    );
}

#[test]
fn date_time_offset_with_second_offset_prints_utc() {
    let offset = time::UtcOffset::from_hms(1, 0, 30).unwrap();
    let value = DateTimeOffset(time::macros::datetime!(2024-05-01 10:00:30 UTC).to_offset(offset));
    assert_eq!(value.to_string(), "2024-05-01T10:00:30Z");
    let back: DateTimeOffset = value.to_string().parse().unwrap();
    assert_eq!(back, value);
}

#[test]
fn date_time_offset_rejects_invalid() {
    for input in GARBAGE.iter().copied().chain([
        "2024-13-01T00:00:00Z",
        "2024-02-30T00:00:00Z",
        "2023-02-29T00:00:00Z",
        "2024-05-01",
        "2024-05-01 10:00:00Z",
        "2024-05-01T24:00:00Z",
        "2024-05-01T10:60:00Z",
        "2024-05-01T10:00:60Z",
        "2024-05-01T10:00:00.Z",
        "2024-05-01T10:00:00.1234567890123Z",
        "2024-05-01T10:00:00+24:00",
        "2024-05-01T10:00:00+02:60",
        "2024-05-01T10:00:00+2:00",
        "2024-05-01T10:00:00ZZ",
        "2024-05-01T10:00:00Z ",
        " 2024-05-01T10:00:00Z",
        "24-05-01T10:00:00Z",
        "20240-05-01T10:00:00Z",
        "2024-5-01T10:00:00Z",
        "2024-05-01T1:00:00Z",
        "2024-05-01T10:00:00X",
        "2024-05-01T10",
        "2024-05-01T10:00:00+",
        "٢٠٢٤-05-01T10:00:00Z",
    ]) {
        assert_rejected::<DateTimeOffset>(input, "Edm.DateTimeOffset");
    }
}

#[test]
fn date_time_offset_rejects_non_strings() {
    assert!(serde_json::from_str::<DateTimeOffset>("1714557600").is_err());
    assert!(serde_json::from_str::<DateTimeOffset>("null").is_err());
    assert!(serde_json::from_str::<Option<DateTimeOffset>>("null")
        .unwrap()
        .is_none());
}

// ---------------------------------------------------------------------------------------------
// Date
// ---------------------------------------------------------------------------------------------

#[test]
fn date_round_trips() {
    for input in ["0001-01-01", "9999-12-31", "2024-02-29", "2024-05-01"] {
        assert_round_trip::<Date>(input);
    }
    let date: Date = "2024-05-01".parse().unwrap();
    assert_eq!(date.0, time::macros::date!(2024 - 05 - 01));
    assert_eq!(date.day(), 1);
    assert!(date < "2024-05-02".parse().unwrap());
}

#[test]
fn date_rejects_invalid() {
    for input in GARBAGE.iter().copied().chain([
        "2024-13-01",
        "2024-00-01",
        "2024-01-00",
        "2024-01-32",
        "2023-02-29",
        "2024-05-01T00:00:00Z",
        "2024-5-1",
        "24-05-01",
        "2024/05/01",
        "2024-05-01 ",
        "+2024-05-01",
        "2024-0５-01",
    ]) {
        assert_rejected::<Date>(input, "Edm.Date");
    }
}

// ---------------------------------------------------------------------------------------------
// TimeOfDay
// ---------------------------------------------------------------------------------------------

#[test]
fn time_of_day_round_trips() {
    for input in [
        "00:00:00",
        "23:59:59.999999999",
        "10:00:00.5",
        "10:30:15.1234567",
    ] {
        assert_round_trip::<TimeOfDay>(input);
    }
}

#[test]
fn time_of_day_canonicalizes() {
    for (input, canonical) in [
        ("10:30", "10:30:00"),
        ("10:30:00.000", "10:30:00"),
        ("10:30:00.500", "10:30:00.5"),
        ("10:30:00.123456789012", "10:30:00.123456789"),
    ] {
        assert_canonical::<TimeOfDay>(input, canonical);
    }
    let time: TimeOfDay = "10:30:00.25".parse().unwrap();
    assert_eq!(time.0, time::macros::time!(10:30:00.25));
    assert_eq!(time.hour(), 10);
}

#[test]
fn time_of_day_rejects_invalid() {
    for input in GARBAGE.iter().copied().chain([
        "24:00:00",
        "10:60:00",
        "10:00:60",
        "10",
        "10:",
        "10:0",
        "10:00:",
        "10:00:00.",
        "10:00:00.1234567890123",
        "10:00:00Z",
        "10:00:00+01:00",
        "1:00:00",
        "10-00-00",
    ]) {
        assert_rejected::<TimeOfDay>(input, "Edm.TimeOfDay");
    }
}

// ---------------------------------------------------------------------------------------------
// Duration
// ---------------------------------------------------------------------------------------------

#[test]
fn duration_round_trips() {
    for input in [
        "P10675199DT2H48M5.4775807S",
        "-P1DT2H",
        "PT40M",
        "PT0.5S",
        "PT0S",
        "P1D",
        "PT1H",
        "PT1S",
        "PT0.000000001S",
        "P1DT1H1M1.1S",
        "-PT0.25S",
        "P213503982334601DT7H15S",
    ] {
        assert_round_trip::<Duration>(input);
    }
}

#[test]
fn duration_canonicalizes() {
    for (input, canonical) in [
        ("P1W", "P7D"),
        ("P2W1D", "P15D"),
        ("PT90M", "PT1H30M"),
        ("PT36H", "P1DT12H"),
        ("PT3600S", "PT1H"),
        ("P0D", "PT0S"),
        ("-PT0S", "PT0S"),
        ("-P0DT0H0M0.000S", "PT0S"),
        ("+P1D", "P1D"),
        ("P1DT0H0M0S", "P1D"),
        ("PT1.5000000S", "PT1.5S"),
        // More than nine fractional digits: truncated toward zero.
        ("PT0.1234567899S", "PT0.123456789S"),
        ("PT0.0000000009S", "PT0S"),
        ("P0DT0.1S", "PT0.1S"),
        ("P30500568904943W", "P213503982334601D"),
    ] {
        assert_canonical::<Duration>(input, canonical);
    }
}

#[test]
fn duration_rejects_invalid() {
    for input in GARBAGE.iter().copied().chain([
        "P",
        "PT",
        "-P",
        "-PT",
        "P1DT",
        "T1H",
        "1D",
        "P1Y",
        "P1M",
        "P1Y2M3D",
        "-P1M",
        "PT1Y",
        "PT1D",
        "PT1W",
        "P1H",
        "P1S",
        "P1",
        "PT1",
        "PT1.S",
        "PT.5S",
        "P1.5D",
        "PT1.5H",
        "PT1.5M",
        "P1D1D",
        "P1D1W",
        "PT1M1H",
        "PT1S1M",
        "PT1H1H",
        "P1DTT1H",
        "P1DT1HT1M",
        "p1d",
        "pt1h",
        "P1d",
        "P 1D",
        "P1D ",
        " P1D",
        "--P1D",
        "+-P1D",
        "P-1D",
        "P1X",
        "P99999999999999999999D",
        "PT99999999999999999999S",
        "P213503982334602D",
        "P30500568904944W",
        "P213503982334601DT7H16S",
        "P213503982334601DT24H",
        "PT18446744073709551615S1",
        "P١D",
    ]) {
        assert_rejected::<Duration>(input, "Edm.Duration");
    }
}

#[test]
fn duration_rejects_months_and_years_clearly() {
    let years = "P1Y".parse::<Duration>().unwrap_err();
    assert!(years.reason().contains("year"), "{years}");
    let months = "P1M".parse::<Duration>().unwrap_err();
    assert!(months.reason().contains("month"), "{months}");
}

#[test]
fn duration_max_values() {
    let max: Duration = "PT18446744073709551615.999999999S".parse().unwrap();
    assert_eq!(max.whole_seconds(), i128::from(u64::MAX));
    assert_eq!(max.subsec_nanos(), 999_999_999);
    let min: Duration = "-PT18446744073709551615.999999999S".parse().unwrap();
    assert_eq!(min.whole_seconds(), -i128::from(u64::MAX));
    assert!(min < max);
    let back: Duration = max.to_string().parse().unwrap();
    assert_eq!(back, max);
    assert_eq!(max.to_time(), None);
    assert_eq!(Duration::new(false, u64::MAX, u32::MAX), max_saturated());
}

fn max_saturated() -> Duration {
    Duration::new(false, u64::MAX, u32::MAX % 1_000_000_000)
}

#[test]
fn duration_api() {
    assert_eq!(Duration::default(), Duration::ZERO);
    assert_eq!(Duration::ZERO.to_string(), "PT0S");
    assert!(Duration::ZERO.is_zero());
    assert!(!Duration::ZERO.is_negative());

    let d = Duration::new(true, 1, 1_500_000_000);
    assert!(d.is_negative());
    assert_eq!(d.whole_seconds(), -2);
    assert_eq!(d.subsec_nanos(), 500_000_000);
    assert_eq!(d.as_secs_f64(), -2.5);
    assert_eq!(d.to_std(), None);
    assert_eq!(d.unsigned_abs(), std::time::Duration::from_millis(2500));
    assert_eq!(d.to_string(), "-PT2.5S");
    assert_eq!(d.to_time(), Some(time::Duration::milliseconds(-2500)));

    assert_eq!(Duration::new(true, 0, 0), Duration::ZERO);
    assert!(!Duration::new(true, 0, 0).is_negative());

    assert_eq!(Duration::from_secs(-90).to_string(), "-PT1M30S");
    assert_eq!(
        Duration::from_secs(i64::MIN).whole_seconds(),
        i128::from(i64::MIN)
    );
    assert_eq!(Duration::from_secs(86_400).to_string(), "P1D");

    let std = std::time::Duration::new(3_661, 5);
    let from_std = Duration::from_std(std);
    assert_eq!(from_std, Duration::from(std));
    assert_eq!(from_std.to_std(), Some(std));
    assert_eq!(from_std.to_string(), "PT1H1M1.000000005S");

    let t = time::Duration::new(-5, -250_000_000);
    assert_eq!(Duration::from(t).to_string(), "-PT5.25S");
    assert_eq!(Duration::from_time(t).to_time(), Some(t));
    assert_eq!(
        Duration::from(time::Duration::MIN).whole_seconds(),
        i128::from(i64::MIN)
    );

    let timespan_max: Duration = "P10675199DT2H48M5.4775807S".parse().unwrap();
    assert_eq!(timespan_max.whole_seconds(), 922_337_203_685);
    assert_eq!(timespan_max.subsec_nanos(), 477_580_700);
}

#[test]
fn duration_ordering() {
    let ordered: Vec<Duration> = [
        "-P2D",
        "-P1DT1S",
        "-P1D",
        "-PT1.5S",
        "-PT1S",
        "-PT0.000000001S",
        "PT0S",
        "PT0.000000001S",
        "PT1S",
        "PT1.5S",
        "P1D",
        "P1DT1S",
        "P10675199DT2H48M5.4775807S",
    ]
    .iter()
    .map(|s| s.parse().unwrap())
    .collect();
    for (i, a) in ordered.iter().enumerate() {
        for (j, b) in ordered.iter().enumerate() {
            assert_eq!(a.cmp(b), i.cmp(&j), "{a} vs {b}");
            assert_eq!(a.partial_cmp(b), Some(i.cmp(&j)));
        }
    }
    let mut shuffled = ordered.clone();
    shuffled.reverse();
    shuffled.sort();
    assert_eq!(shuffled, ordered);
    assert_eq!(
        "-PT0S".parse::<Duration>().unwrap(),
        "PT0S".parse::<Duration>().unwrap()
    );
}

// ---------------------------------------------------------------------------------------------
// Binary
// ---------------------------------------------------------------------------------------------

#[test]
fn binary_round_trips() {
    for input in [
        "",
        "AA==",
        "AAE=",
        "AAEC",
        "AAEC/w==",
        "+/+/",
        "SGVsbG8sIHdvcmxkIQ==",
    ] {
        assert_round_trip::<Binary>(input);
    }
    let value: Binary = "SGVsbG8sIHdvcmxkIQ==".parse().unwrap();
    assert_eq!(value.as_slice(), b"Hello, world!");
    assert_eq!(value.len(), 13);
    assert_eq!(Binary::from(&b"Hello, world!"[..]), value);
    let bytes: Vec<u8> = value.clone().into();
    assert_eq!(Binary::from(bytes), value);
}

#[test]
fn binary_accepts_url_safe_and_unpadded() {
    let expected = Binary(vec![0xfb, 0xff, 0xbf, 0x00, 0x01]);
    for input in ["+/+/AAE=", "+/+/AAE", "-_-_AAE=", "-_-_AAE"] {
        assert_eq!(input.parse::<Binary>().unwrap(), expected, "{input}");
        assert_eq!(
            serde_json::from_str::<Binary>(&format!("\"{input}\"")).unwrap(),
            expected
        );
    }
    assert_eq!(expected.to_string(), "+/+/AAE=");
    assert_eq!("AA".parse::<Binary>().unwrap(), Binary(vec![0]));
}

#[test]
fn binary_rejects_invalid() {
    for input in [
        " ",
        "--",
        "A",
        "AAAAA",
        "A===",
        "AA=A",
        "AB==",
        "+/-_",
        "AA AA",
        "AAAA\n",
        "***",
        "１２３４",
        "🦀🦀",
        "garbage",
    ] {
        assert_rejected::<Binary>(input, "Edm.Binary");
    }
}

// ---------------------------------------------------------------------------------------------
// Decimal
// ---------------------------------------------------------------------------------------------

#[test]
fn decimal_parses_and_displays_text() {
    for input in [
        "0",
        "-0",
        "+1",
        "1.5",
        "-1.50",
        "123456789012345678901234567890.123456789",
        "1e10",
        "1E-10",
        "-2.5e+3",
        "007",
    ] {
        let value: Decimal = input.parse().unwrap();
        assert_eq!(value.as_str(), input);
        assert_eq!(value.to_string(), input);
    }
}

#[test]
fn decimal_rejects_invalid() {
    for input in GARBAGE.iter().copied().chain([
        "NaN",
        "INF",
        "-INF",
        "Infinity",
        ".5",
        "5.",
        "1.2.3",
        "1e",
        "1e+",
        "1ee5",
        "+",
        "-",
        "1,5",
        "0x10",
        " 1",
        "1 ",
        "1e99999999999999999999",
        "١",
    ]) {
        assert_rejected::<Decimal>(input, "Edm.Decimal");
    }
}

#[test]
fn decimal_value_comparison() {
    let d = |s: &str| s.parse::<Decimal>().unwrap();
    assert_eq!(d("1.50"), d("1.5"));
    assert_eq!(d("1.5"), d("15e-1"));
    assert_eq!(d("0.015e2"), d("1.5"));
    assert_eq!(d("-0"), d("0.000"));
    assert_eq!(d("0e5"), d("0"));
    assert_eq!(d("007"), d("7"));
    assert_eq!(d("100"), d("1e2"));
    assert_ne!(d("1.5"), d("-1.5"));
    assert_ne!(d("1"), d("10"));

    let ordered = [
        "-1e10", "-100", "-1.5", "-1", "-0.001", "0", "0.001", "0.0011", "1", "1.0001", "1.5", "2",
        "10", "1e10", "1.5e10",
    ];
    for (i, a) in ordered.iter().enumerate() {
        for (j, b) in ordered.iter().enumerate() {
            assert_eq!(d(a).cmp(&d(b)), i.cmp(&j), "{a} vs {b}");
        }
    }

    let set: HashSet<Decimal> = ["1.5", "1.50", "15e-1", "0.15E1", "2"]
        .iter()
        .map(|s| d(s))
        .collect();
    assert_eq!(set.len(), 2);
}

#[test]
fn decimal_conversions() {
    assert_eq!(Decimal::from(-42i64).as_str(), "-42");
    assert_eq!(Decimal::from(u64::MAX).as_str(), "18446744073709551615");
    assert_eq!(Decimal::from(7i32).as_str(), "7");
    assert_eq!(Decimal::try_from(0.1).unwrap().as_str(), "0.1");
    assert_eq!(Decimal::try_from(2.5).unwrap(), "2.5".parse().unwrap());
    assert!(Decimal::try_from(f64::NAN).is_err());
    assert!(Decimal::try_from(f64::INFINITY).is_err());
    assert!(Decimal::try_from(f64::NEG_INFINITY).is_err());
    assert_eq!("1.25".parse::<Decimal>().unwrap().to_f64(), 1.25);
    assert_eq!("-1e3".parse::<Decimal>().unwrap().to_f64(), -1000.0);
    assert_eq!("1e400".parse::<Decimal>().unwrap().to_f64(), f64::INFINITY);
    assert_eq!(Decimal::default(), Decimal::from(0i64));
    let s: String = Decimal::from(5u64).into();
    assert_eq!(s, "5");
}

#[test]
fn decimal_json() {
    let from_json = |json: &str| serde_json::from_str::<Decimal>(json).unwrap();
    let to_json = |text: &str| serde_json::to_string(&text.parse::<Decimal>().unwrap()).unwrap();

    // From JSON numbers and strings.
    assert_eq!(from_json("42").as_str(), "42");
    assert_eq!(from_json("-42").as_str(), "-42");
    assert_eq!(
        from_json("18446744073709551615").as_str(),
        "18446744073709551615"
    );
    assert_eq!(from_json("1.5"), "1.5".parse().unwrap());
    assert_eq!(from_json("1e300"), "1e300".parse().unwrap());
    assert_eq!(
        from_json("\"123456789012345678901234567890.123456789\"").as_str(),
        "123456789012345678901234567890.123456789"
    );
    assert!(serde_json::from_str::<Decimal>("\"abc\"").is_err());
    assert!(serde_json::from_str::<Decimal>("true").is_err());
    assert!(serde_json::from_str::<Decimal>("{}").is_err());
    assert!(serde_json::from_str::<Decimal>("[1]").is_err());
    let error = serde_json::from_str::<Decimal>("\"1.2.3\"").unwrap_err();
    assert!(error.to_string().contains("Edm.Decimal"), "{error}");

    // Exact numbers serialize as numbers, others as strings.
    assert_eq!(to_json("42"), "42");
    assert_eq!(to_json("-42"), "-42");
    assert_eq!(to_json("18446744073709551615"), "18446744073709551615");
    assert_eq!(to_json("1.5"), "1.5");
    assert_eq!(to_json("0.1"), "0.1");
    assert_eq!(to_json("1.50"), "1.5");
    assert_eq!(to_json("1e300"), "1e+300");
    assert_eq!(
        to_json("123456789012345678901234567890"),
        "\"123456789012345678901234567890\""
    );
    assert_eq!(
        to_json("0.10000000000000000001"),
        "\"0.10000000000000000001\""
    );
    assert_eq!(to_json("1e400"), "\"1e400\"");
    assert_eq!(to_json("1e-400"), "\"1e-400\"");

    // Whatever the form, the value survives a round trip.
    for text in [
        "0",
        "42",
        "-1.25",
        "1e300",
        "123456789012345678901234567890",
        "0.10000000000000000001",
        "1e400",
        "-0.5e-3",
    ] {
        let value: Decimal = text.parse().unwrap();
        let back: Decimal = serde_json::from_str(&serde_json::to_string(&value).unwrap()).unwrap();
        assert_eq!(back, value, "{text}");
    }
}

// ---------------------------------------------------------------------------------------------
// Aliases
// ---------------------------------------------------------------------------------------------

#[test]
fn guid_and_untyped_aliases() {
    let guid: Guid = serde_json::from_str("\"01234567-89ab-cdef-0123-456789abcdef\"").unwrap();
    assert_eq!(
        serde_json::to_string(&guid).unwrap(),
        "\"01234567-89ab-cdef-0123-456789abcdef\""
    );
    let untyped: Untyped = serde_json::from_str(r#"{"a":[1,"x",null]}"#).unwrap();
    assert_eq!(untyped["a"][1], "x");
}

// ---------------------------------------------------------------------------------------------
// Inside generated-style structs
// ---------------------------------------------------------------------------------------------

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Model {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    created: Option<DateTimeOffset>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    times: Option<Vec<DateTimeOffset>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    dates: Option<Vec<Date>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    clock_times: Option<Vec<TimeOfDay>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    durations: Option<Vec<Duration>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    blobs: Option<Vec<Binary>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    amounts: Option<Vec<Decimal>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ids: Option<Vec<Guid>>,
}

#[test]
fn round_trip_inside_option_vec() {
    let json = r#"{"created":"0001-01-01T00:00:00Z","times":["0001-01-01T00:00:00Z","9999-12-31T23:59:59.9999999Z","2024-05-01T10:00:00.1234567+02:00"],"dates":["0001-01-01","2024-02-29"],"clockTimes":["10:00:00","23:59:59.1234567"],"durations":["P10675199DT2H48M5.4775807S","-P1DT2H","PT40M","PT0.5S","PT0S"],"blobs":["","AAEC/w=="],"amounts":[1,1.5,-2,"123456789012345678901234567890"],"ids":["01234567-89ab-cdef-0123-456789abcdef"]}"#;
    let model: Model = serde_json::from_str(json).unwrap();
    assert_eq!(model.durations.as_ref().unwrap().len(), 5);
    assert_eq!(model.blobs.as_ref().unwrap()[1].0, vec![0, 1, 2, 255]);
    assert_eq!(serde_json::to_string(&model).unwrap(), json);

    let empty: Model = serde_json::from_str("{}").unwrap();
    assert_eq!(serde_json::to_string(&empty).unwrap(), "{}");
    let nulls: Model = serde_json::from_str(r#"{"times":null,"durations":null}"#).unwrap();
    assert_eq!(nulls, empty);

    // One bad element fails the whole document with a useful message (not a panic).
    let error = serde_json::from_str::<Model>(r#"{"durations":["PT1H","P1Y"]}"#).unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("Edm.Duration") && message.contains("P1Y"),
        "{message}"
    );
    assert!(serde_json::from_str::<Model>(r#"{"dates":["2024-13-01"]}"#).is_err());
    assert!(serde_json::from_str::<Model>(r#"{"times":[42]}"#).is_err());
}

#[test]
fn byte_exact_serde_json_extremes() {
    for input in ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999Z"] {
        let json = format!("\"{input}\"");
        let value: DateTimeOffset = serde_json::from_str(&json).unwrap();
        assert_eq!(serde_json::to_string(&value).unwrap(), json);
    }
    let json = r#"["0001-01-01T00:00:00Z","9999-12-31T23:59:59.9999999Z"]"#;
    let values: Option<Vec<DateTimeOffset>> = serde_json::from_str(json).unwrap();
    assert_eq!(serde_json::to_string(&values).unwrap(), json);
}

/// Deterministic pseudo-random inputs: parsing must never panic, and whatever parses must
/// display to something that parses back to the same value.
#[test]
fn no_panics_on_noise() {
    const ALPHABET: &[u8] = b"0123456789-+:.PTYMWDHSZzt eE=/_AQ";
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..20_000 {
        let len = (next() % 24) as usize;
        let text: String = (0..len)
            .map(|_| char::from(ALPHABET[(next() % ALPHABET.len() as u64) as usize]))
            .collect();
        check_stable::<DateTimeOffset>(&text);
        check_stable::<Date>(&text);
        check_stable::<TimeOfDay>(&text);
        check_stable::<Duration>(&text);
        check_stable::<Binary>(&text);
        check_stable::<Decimal>(&text);
    }
}

fn check_stable<T>(text: &str)
where
    T: FromStr<Err = ParseEdmError> + std::fmt::Display + PartialEq + Debug,
{
    if let Ok(value) = text.parse::<T>() {
        let printed = value.to_string();
        let again: T = printed
            .parse()
            .unwrap_or_else(|e| panic!("{text:?} printed as {printed:?} which fails: {e}"));
        assert_eq!(again, value, "{text:?}");
        assert_eq!(again.to_string(), printed);
    }
}

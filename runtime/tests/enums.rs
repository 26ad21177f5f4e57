//! Tests for `graph_odata_runtime::enums`, using types written exactly in the shape the
//! generator emits.

use std::collections::{BTreeSet, HashSet};

use graph_odata_runtime::enums::{EvolvableEnum, FlagSet, FlagsEnum};

// ---------------------------------------------------------------------------------------------
// Generated-style evolvable enum
// ---------------------------------------------------------------------------------------------

/// Test copy of a generated evolvable enum.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SynchronizationStatusCode {
    NotConfigured,
    NotRun,
    Active,
    Paused,
    Quarantine,
    UnknownFutureValue,
    /// Unknown value, kept verbatim
    UnknownValue(String),
}

impl graph_odata_runtime::enums::EvolvableEnum for SynchronizationStatusCode {
    const MEMBERS: &'static [(&'static str, i64)] = &[
        ("NotConfigured", 0),
        ("NotRun", 1),
        ("Active", 2),
        ("Paused", 3),
        ("Quarantine", 4),
        ("unknownFutureValue", 5),
    ];
    fn from_wire(value: &str) -> Self {
        match value {
            "NotConfigured" => Self::NotConfigured,
            "NotRun" => Self::NotRun,
            "Active" => Self::Active,
            "Paused" => Self::Paused,
            "Quarantine" => Self::Quarantine,
            "unknownFutureValue" => Self::UnknownFutureValue,
            other => Self::UnknownValue(other.to_owned()),
        }
    }
    fn as_wire(&self) -> &str {
        match self {
            Self::NotConfigured => "NotConfigured",
            Self::NotRun => "NotRun",
            Self::Active => "Active",
            Self::Paused => "Paused",
            Self::Quarantine => "Quarantine",
            Self::UnknownFutureValue => "unknownFutureValue",
            Self::UnknownValue(v) => v,
        }
    }
}
impl serde::Serialize for SynchronizationStatusCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        graph_odata_runtime::enums::serialize_evolvable(self, s)
    }
}
impl<'de> serde::Deserialize<'de> for SynchronizationStatusCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        graph_odata_runtime::enums::deserialize_evolvable(d)
    }
}

// ---------------------------------------------------------------------------------------------
// Generated-style flags enum
// ---------------------------------------------------------------------------------------------

/// Test copy of a generated flags enum.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct SynchronizationJobRestartScope(graph_odata_runtime::enums::FlagSet);

impl graph_odata_runtime::enums::FlagsEnum for SynchronizationJobRestartScope {
    const MEMBERS: &'static [(&'static str, i64)] = &[
        ("None", 0),
        ("ConnectorDataStore", 1),
        ("Escrows", 2),
        ("Watermark", 4),
        ("QuarantineState", 8),
        ("Full", 15),
        ("ForceDeletes", 32),
    ];
    fn from_set(set: graph_odata_runtime::enums::FlagSet) -> Self {
        Self(set)
    }
    fn as_set(&self) -> &graph_odata_runtime::enums::FlagSet {
        &self.0
    }
}

impl SynchronizationJobRestartScope {
    pub const NONE: Self = Self(graph_odata_runtime::enums::FlagSet::from_bits(0));
    pub const CONNECTOR_DATA_STORE: Self = Self(graph_odata_runtime::enums::FlagSet::from_bits(1));
    pub const ESCROWS: Self = Self(graph_odata_runtime::enums::FlagSet::from_bits(2));
    pub const WATERMARK: Self = Self(graph_odata_runtime::enums::FlagSet::from_bits(4));
    pub const QUARANTINE_STATE: Self = Self(graph_odata_runtime::enums::FlagSet::from_bits(8));
    pub const FULL: Self = Self(graph_odata_runtime::enums::FlagSet::from_bits(15));
    pub const FORCE_DELETES: Self = Self(graph_odata_runtime::enums::FlagSet::from_bits(32));
}

impl std::fmt::Debug for SynchronizationJobRestartScope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        graph_odata_runtime::enums::debug_flags::<Self>(self, f)
    }
}
impl std::fmt::Display for SynchronizationJobRestartScope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        graph_odata_runtime::enums::fmt_flags::<Self>(self, f)
    }
}
impl std::str::FromStr for SynchronizationJobRestartScope {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(graph_odata_runtime::enums::parse_flags::<Self>(s))
    }
}
impl std::ops::BitOr for SynchronizationJobRestartScope {
    type Output = Self;
    fn bitor(self, rhs: Self) -> Self {
        graph_odata_runtime::enums::FlagsEnum::union(&self, &rhs)
    }
}
impl std::ops::BitOrAssign for SynchronizationJobRestartScope {
    fn bitor_assign(&mut self, rhs: Self) {
        *self = graph_odata_runtime::enums::FlagsEnum::union(&*self, &rhs);
    }
}
impl std::ops::BitAnd for SynchronizationJobRestartScope {
    type Output = Self;
    fn bitand(self, rhs: Self) -> Self {
        graph_odata_runtime::enums::FlagsEnum::intersection(&self, &rhs)
    }
}
impl serde::Serialize for SynchronizationJobRestartScope {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        graph_odata_runtime::enums::serialize_flags(self, s)
    }
}
impl<'de> serde::Deserialize<'de> for SynchronizationJobRestartScope {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        graph_odata_runtime::enums::deserialize_flags(d)
    }
}

/// A flags type without a zero member, with an overlapping pair of members.
#[derive(Clone, PartialEq, Eq, Hash, Default, Debug)]
pub struct Overlapping(FlagSet);

impl FlagsEnum for Overlapping {
    const MEMBERS: &'static [(&'static str, i64)] = &[("A", 3), ("B", 6)];
    fn from_set(set: FlagSet) -> Self {
        Self(set)
    }
    fn as_set(&self) -> &FlagSet {
        &self.0
    }
}

impl std::fmt::Display for Overlapping {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        graph_odata_runtime::enums::fmt_flags::<Self>(self, f)
    }
}

type Scope = SynchronizationJobRestartScope;
type Status = SynchronizationStatusCode;

fn scope(text: &str) -> Scope {
    text.parse().unwrap()
}

// ---------------------------------------------------------------------------------------------
// Evolvable enum tests
// ---------------------------------------------------------------------------------------------

#[test]
fn evolvable_known_members_round_trip() {
    for &(name, value) in Status::MEMBERS {
        let json = format!("\"{name}\"");
        let parsed: Status = serde_json::from_str(&json).unwrap();
        assert!(!parsed.is_unknown(), "{name}");
        assert_eq!(parsed.value(), Some(value));
        assert_eq!(parsed.as_wire(), name);
        assert_eq!(serde_json::to_string(&parsed).unwrap(), json);
    }
    assert_eq!(
        serde_json::from_str::<Status>("\"unknownFutureValue\"").unwrap(),
        Status::UnknownFutureValue
    );
}

#[test]
fn evolvable_unknown_strings_are_kept_verbatim() {
    for wire in [
        "SomethingNew",
        "active",
        "ACTIVE",
        " Active",
        "",
        "ünïcødé \" \\ ,",
    ] {
        let json = serde_json::to_string(wire).unwrap();
        let parsed: Status = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed, Status::UnknownValue(wire.to_owned()));
        assert!(parsed.is_unknown());
        assert_eq!(parsed.value(), None);
        assert_eq!(serde_json::to_string(&parsed).unwrap(), json);
    }
}

#[test]
fn evolvable_accepts_owned_and_borrowed_strings() {
    // A string with an escape is delivered owned; a plain one borrowed.
    assert_eq!(
        serde_json::from_str::<Status>(r#""Act\u0069ve""#).unwrap(),
        Status::Active
    );
    let value = serde_json::Value::String("Paused".to_owned());
    assert_eq!(
        serde_json::from_value::<Status>(value).unwrap(),
        Status::Paused
    );
    let reader = std::io::Cursor::new(b"\"NotRun\"".to_vec());
    assert_eq!(
        serde_json::from_reader::<_, Status>(reader).unwrap(),
        Status::NotRun
    );
}

#[test]
fn evolvable_accepts_integers() {
    assert_eq!(serde_json::from_str::<Status>("2").unwrap(), Status::Active);
    assert_eq!(
        serde_json::from_str::<Status>("0").unwrap(),
        Status::NotConfigured
    );
    assert_eq!(
        serde_json::from_str::<Status>("5").unwrap(),
        Status::UnknownFutureValue
    );
    let unknown: Status = serde_json::from_str("42").unwrap();
    assert_eq!(unknown, Status::UnknownValue("42".to_owned()));
    assert_eq!(serde_json::to_string(&unknown).unwrap(), "\"42\"");
    assert_eq!(
        serde_json::from_str::<Status>("-7").unwrap(),
        Status::UnknownValue("-7".to_owned())
    );
    assert_eq!(
        serde_json::from_str::<Status>("18446744073709551615").unwrap(),
        Status::UnknownValue("18446744073709551615".to_owned())
    );
    assert_eq!(
        serde_json::from_value::<Status>(serde_json::json!(3)).unwrap(),
        Status::Paused
    );
}

#[test]
fn evolvable_rejects_other_json() {
    for json in ["1.5", "true", "null", "[]", "{}", "[\"Active\"]"] {
        assert!(serde_json::from_str::<Status>(json).is_err(), "{json}");
    }
    assert_eq!(
        serde_json::from_str::<Option<Status>>("null").unwrap(),
        None
    );
}

#[test]
fn evolvable_provided_methods() {
    assert_eq!(Status::from_value(3), Some(Status::Paused));
    assert_eq!(Status::from_value(99), None);
    assert_eq!(Status::Quarantine.value(), Some(4));
    assert!(!Status::Quarantine.is_unknown());
    // An UnknownValue holding a known name still has that member's value.
    assert_eq!(Status::UnknownValue("Active".into()).value(), Some(2));
}

#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Job {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status: Option<Status>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    history: Option<Vec<Status>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    restart_scope: Option<Scope>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scopes: Option<Vec<Scope>>,
}

#[test]
fn enums_inside_generated_style_struct() {
    let json = r#"{"status":"Active","history":["NotRun","SomethingNew","unknownFutureValue"],"restartScope":"Escrows, Watermark, QuarantineState","scopes":["None","Full","Full, ForceDeletes","Escrows, SomethingNew"]}"#;
    let job: Job = serde_json::from_str(json).unwrap();
    assert_eq!(job.status, Some(Status::Active));
    assert_eq!(job.restart_scope.as_ref().unwrap().bits(), 14);
    assert_eq!(serde_json::to_string(&job).unwrap(), json);

    let from_numbers: Job = serde_json::from_str(r#"{"status":2,"restartScope":47}"#).unwrap();
    assert_eq!(
        serde_json::to_string(&from_numbers).unwrap(),
        r#"{"status":"Active","restartScope":"Full, ForceDeletes"}"#
    );
}

// ---------------------------------------------------------------------------------------------
// Flags tests
// ---------------------------------------------------------------------------------------------

#[test]
fn flags_required_round_trips() {
    let value = scope("Watermark, Escrows, QuarantineState");
    assert_eq!(value.bits(), 14);
    assert_eq!(value.to_string(), "Escrows, Watermark, QuarantineState");

    assert_eq!(scope("Full").bits(), 15);
    assert_eq!(Scope::from_bits(15).to_string(), "Full");

    assert_eq!(scope("Full,ForceDeletes").bits(), 47);
    assert_eq!(Scope::from_bits(47).to_string(), "Full, ForceDeletes");

    let unknown = scope("Escrows, SomethingNew");
    assert_eq!(unknown.bits(), 2);
    assert_eq!(unknown.unknown_members(), ["SomethingNew"]);
    assert_eq!(unknown.to_string(), "Escrows, SomethingNew");

    assert_eq!(scope("None").bits(), 0);
    assert_eq!(Scope::from_bits(0).to_string(), "None");
    assert_eq!(Scope::NONE.to_string(), "None");
    assert_eq!(Scope::default(), Scope::NONE);
}

#[test]
fn flags_exhaustive_bits_round_trip() {
    let mut printed = HashSet::new();
    for bits in 0..=63 {
        let value = Scope::from_bits(bits);
        let text = value.to_string();
        let back = scope(&text);
        assert_eq!(back.bits(), bits, "{bits} printed as {text:?}");
        assert!(back.unknown_members().is_empty(), "{text:?}");
        assert_eq!(back, value);
        assert_eq!(back.to_string(), text);
        // Through JSON too.
        let json = serde_json::to_string(&value).unwrap();
        assert_eq!(json, serde_json::to_string(&text).unwrap());
        assert_eq!(serde_json::from_str::<Scope>(&json).unwrap(), value);
        assert_eq!(
            serde_json::from_str::<Scope>(&bits.to_string()).unwrap(),
            value
        );
        assert!(printed.insert(text));
    }
    // Spot checks of the greedy choice.
    assert_eq!(Scope::from_bits(16).to_string(), "16");
    assert_eq!(Scope::from_bits(17).to_string(), "ConnectorDataStore, 16");
    assert_eq!(Scope::from_bits(63).to_string(), "Full, ForceDeletes, 16");
    assert_eq!(
        Scope::from_bits(7).to_string(),
        "ConnectorDataStore, Escrows, Watermark"
    );
    assert_eq!(Scope::from_bits(-1).to_string(), "Full, ForceDeletes, -48");
    assert_eq!(scope("Full, ForceDeletes, -48").bits(), -1);
}

#[test]
fn flags_parsing_tolerance() {
    for (text, bits) in [
        ("", 0),
        ("   ", 0),
        (",", 0),
        (" Escrows ,Watermark ", 6),
        ("Escrows,,Watermark,", 6),
        ("Escrows,Escrows", 2),
        ("None, Escrows", 2),
        ("Full, Escrows", 15),
        ("16", 16),
        ("Escrows, 16", 18),
        ("0", 0),
        ("18446744073709551615", -1),
        ("\tQuarantineState\n", 8),
    ] {
        let value = scope(text);
        assert_eq!(value.bits(), bits, "{text:?}");
        assert!(value.unknown_members().is_empty(), "{text:?}");
    }
    assert_eq!(scope("").to_string(), "None");
}

#[test]
fn flags_unknown_members() {
    let value = scope("escrows, Escrows, B, A, B ,  ,Full");
    // Member names are case-sensitive; unknown names keep their first-seen order, deduplicated.
    assert_eq!(value.bits(), 15);
    assert_eq!(value.unknown_members(), ["escrows", "B", "A"]);
    assert_eq!(value.to_string(), "Full, escrows, B, A");
    assert_eq!(scope(&value.to_string()), value);

    let only_unknown = scope("SomethingNew");
    assert_eq!(only_unknown.bits(), 0);
    assert_eq!(only_unknown.to_string(), "SomethingNew");
    assert!(!only_unknown.is_empty());

    let json = r#""Escrows, SomethingNew""#;
    let parsed: Scope = serde_json::from_str(json).unwrap();
    assert_eq!(serde_json::to_string(&parsed).unwrap(), json);
}

#[test]
fn flags_operators_and_provided_methods() {
    let mut value = Scope::ESCROWS | Scope::WATERMARK;
    assert_eq!(value.bits(), 6);
    value |= Scope::QUARANTINE_STATE;
    assert_eq!(value.bits(), 14);
    assert!(value.contains(&Scope::ESCROWS));
    assert!(value.contains(&(Scope::ESCROWS | Scope::WATERMARK)));
    assert!(!value.contains(&Scope::FULL));
    assert!(value.contains(&Scope::NONE));
    assert_eq!((value.clone() | Scope::CONNECTOR_DATA_STORE), Scope::FULL);
    assert_eq!((Scope::FULL & Scope::WATERMARK), Scope::WATERMARK);
    assert!((Scope::FULL & Scope::FORCE_DELETES).is_empty());
    assert!(Scope::NONE.is_empty());

    let with_unknown = scope("Escrows, X");
    let merged = with_unknown.clone() | scope("Watermark, Y, X");
    assert_eq!(merged.to_string(), "Escrows, Watermark, X, Y");
    assert!(merged.contains(&with_unknown));
    assert!(!with_unknown.contains(&merged));
    assert_eq!(
        (merged & scope("Full, Y")).to_string(),
        "Escrows, Watermark, Y"
    );

    // Usable in hashed and (via bits) ordered collections.
    let set: HashSet<Scope> = [Scope::FULL, scope("Full"), Scope::from_bits(15)].into();
    assert_eq!(set.len(), 1);
    let bits: BTreeSet<i64> = [Scope::FULL, Scope::NONE]
        .iter()
        .map(|s| s.bits())
        .collect();
    assert_eq!(bits.into_iter().collect::<Vec<_>>(), [0, 15]);
}

#[test]
fn flags_debug() {
    assert_eq!(
        format!("{:?}", scope("Escrows, Watermark")),
        r#"SynchronizationJobRestartScope("Escrows, Watermark")"#
    );
    assert_eq!(
        format!("{:?}", Scope::NONE),
        r#"SynchronizationJobRestartScope("None")"#
    );
    assert!(format!("{:#?}", Scope::FULL).contains("\"Full\""));
}

#[test]
fn flags_json_inputs() {
    assert_eq!(serde_json::from_str::<Scope>("47").unwrap().bits(), 47);
    assert_eq!(serde_json::from_str::<Scope>("-1").unwrap().bits(), -1);
    assert_eq!(
        serde_json::from_str::<Scope>("18446744073709551615")
            .unwrap()
            .bits(),
        -1
    );
    assert_eq!(
        serde_json::from_str::<Scope>(r#""Watermark,Escrows""#)
            .unwrap()
            .bits(),
        6
    );
    for json in ["1.5", "true", "null", "[]", "{}", r#"["Full"]"#] {
        assert!(serde_json::from_str::<Scope>(json).is_err(), "{json}");
    }
    assert_eq!(serde_json::from_str::<Option<Scope>>("null").unwrap(), None);
}

#[test]
fn flags_without_zero_member_and_overlaps() {
    assert_eq!(Overlapping::from_bits(0).to_string(), "0");
    assert_eq!(Overlapping::from_bits(3).to_string(), "A");
    assert_eq!(Overlapping::from_bits(6).to_string(), "B");
    // Greedy from the highest value: B (6) leaves bit 1, which A (3) does not fit.
    assert_eq!(Overlapping::from_bits(7).to_string(), "B, 1");
    assert_eq!(Overlapping::from_bits(15).to_string(), "B, 9");
    for bits in 0..=64 {
        let text = Overlapping::from_bits(bits).to_string();
        let back: Overlapping = graph_odata_runtime::enums::parse_flags(&text);
        assert_eq!(back.bits(), bits, "{text:?}");
    }
}

#[test]
fn flag_set_api() {
    const FULL: FlagSet = FlagSet::from_bits(15);
    assert_eq!(FULL.bits(), 15);
    assert!(FULL.contains_bits(6));
    assert!(!FULL.contains_bits(16));
    assert!(FlagSet::default().is_empty());
    assert!(FlagSet::from_bits(0).is_empty());

    let mut set = FlagSet::from_bits(2);
    set.insert_unknown("New");
    set.insert_unknown("New");
    set.insert_unknown("");
    assert_eq!(set.unknown_members(), ["New"]);
    assert!(!set.is_empty());

    let union = set.union(&FlagSet::from_bits(4));
    assert_eq!(union.bits(), 6);
    assert_eq!(union.unknown_members(), ["New"]);
    assert!(union.contains(&set));
    assert!(!set.contains(&union));

    let mut accumulated = FlagSet::default();
    accumulated.union_with(&union);
    assert_eq!(accumulated, union);

    let intersection = union.intersection(&FlagSet::from_bits(12));
    assert_eq!(intersection, FlagSet::from_bits(4));
}

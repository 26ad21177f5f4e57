//! Enum helpers.
//!
//! Generated code builds on two traits:
//!
//! * [`EvolvableEnum`] for every CSDL enum type that is not `IsFlags`. The generated Rust enum has
//!   one variant per member plus `UnknownValue(String)`, so values added to the service later
//!   deserialize without error and serialize back unchanged. Its serde impls are one-line calls to
//!   [`serialize_evolvable`] and [`deserialize_evolvable`].
//! * [`FlagsEnum`] for `IsFlags` enum types. The generated type is a newtype around [`FlagSet`]
//!   (known bits plus unknown member names) and delegates `Display`, `Debug`, `FromStr` and serde
//!   to [`fmt_flags`], [`debug_flags`], [`parse_flags`], [`serialize_flags`] and
//!   [`deserialize_flags`].
//!
//! Member names are matched exactly (case-sensitively), as they appear in the CSDL;
//! `unknownFutureValue` is an ordinary member.
//!
//! # Flags wire format
//!
//! OData JSON writes a flags value as a string with the member names separated by commas, such
//! as `"Watermark, Escrows, QuarantineState"`.
//!
//! **Parsing** ([`parse_flags`], [`deserialize_flags`]) splits on `,` and trims every piece;
//! empty pieces are ignored. A known member name ORs in its value; a piece that is a decimal
//! integer (`i64`, or `u64` reinterpreted as `i64` bits) ORs in that number; anything else is
//! kept as an unknown member name (trimmed, verbatim, duplicates dropped). It never fails.
//! [`deserialize_flags`] also accepts a JSON integer, taken as the bits.
//!
//! **Formatting** ([`fmt_flags`], [`serialize_flags`]): members are chosen greedily from the
//! highest value down (members with value 0 are skipped), taking a member when all its bits are
//! still in the remaining bits and removing them; so with `Full = 15`, bits 47 choose
//! `ForceDeletes` (32) and then `Full` (15). The chosen names are printed in ascending value
//! order, joined by `", "`, followed by any remaining bits that no member covers as one decimal
//! number, followed by the unknown member names in their original order. If that prints nothing
//! (bits 0 and no unknown names), the name of the first member whose value is 0 is printed, or
//! `"0"` if there is none. Formatting then parsing gives back the same bits and unknown names
//! for every value produced by parsing (unknown names added with [`FlagSet::insert_unknown`]
//! round-trip only if they contain no comma, no surrounding whitespace and are neither a known
//! member name nor a number).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::Serializer;

// ---------------------------------------------------------------------------------------------
// Evolvable enums
// ---------------------------------------------------------------------------------------------

/// A CSDL enum type (not `IsFlags`) generated as a Rust enum with an `UnknownValue(String)`
/// variant for members this version of the code does not know.
///
/// Generated code implements [`MEMBERS`](Self::MEMBERS), [`from_wire`](Self::from_wire) and
/// [`as_wire`](Self::as_wire); the other methods are provided.
pub trait EvolvableEnum: Sized {
    /// The known members as `(wire name, CSDL value)` pairs, in CSDL order.
    const MEMBERS: &'static [(&'static str, i64)];

    /// The value for a wire name: the matching known member (exact, case-sensitive match), or
    /// the unknown variant holding `value` verbatim.
    fn from_wire(value: &str) -> Self;

    /// The wire name: the member name for a known member, the kept text for an unknown one.
    fn as_wire(&self) -> &str;

    /// The CSDL numeric value of this member, or `None` if its wire name is not in
    /// [`MEMBERS`](Self::MEMBERS).
    fn value(&self) -> Option<i64> {
        member_value(Self::MEMBERS, self.as_wire())
    }

    /// Whether this value's wire name is not one of the known [`MEMBERS`](Self::MEMBERS).
    fn is_unknown(&self) -> bool {
        self.value().is_none()
    }

    /// The known member with CSDL numeric value `value` (the first one, if several share it),
    /// or `None`.
    fn from_value(value: i64) -> Option<Self> {
        member_name(Self::MEMBERS, value).map(Self::from_wire)
    }
}

fn member_value(members: &[(&str, i64)], name: &str) -> Option<i64> {
    members
        .iter()
        .find(|(member, _)| *member == name)
        .map(|&(_, value)| value)
}

fn member_name(members: &'static [(&'static str, i64)], value: i64) -> Option<&'static str> {
    members
        .iter()
        .find(|&&(_, member_value)| member_value == value)
        .map(|&(name, _)| name)
}

/// Serializes an evolvable enum as its wire name (a string). For `Serialize` impls.
pub fn serialize_evolvable<E, S>(value: &E, serializer: S) -> Result<S::Ok, S::Error>
where
    E: EvolvableEnum,
    S: Serializer,
{
    serializer.serialize_str(value.as_wire())
}

/// Deserializes an evolvable enum. For `Deserialize` impls.
///
/// Accepts a string (borrowed or owned; known members are matched without allocating), mapped
/// through [`EvolvableEnum::from_wire`], or an integer, mapped through
/// [`MEMBERS`](EvolvableEnum::MEMBERS) to the member name; an integer matching no member becomes
/// the unknown variant holding the number as decimal text. This uses
/// [`Deserializer::deserialize_any`], so it needs a self-describing format such as JSON.
pub fn deserialize_evolvable<'de, E, D>(deserializer: D) -> Result<E, D::Error>
where
    E: EvolvableEnum,
    D: Deserializer<'de>,
{
    deserializer.deserialize_any(EvolvableVisitor(PhantomData))
}

struct EvolvableVisitor<E>(PhantomData<E>);

impl<E: EvolvableEnum> EvolvableVisitor<E> {
    fn from_number(value: i64) -> E {
        match E::from_value(value) {
            Some(known) => known,
            None => E::from_wire(&value.to_string()),
        }
    }
}

impl<'de, E: EvolvableEnum> Visitor<'de> for EvolvableVisitor<E> {
    type Value = E;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an enum member name or its integer value")
    }

    fn visit_str<Er: de::Error>(self, v: &str) -> Result<E, Er> {
        Ok(E::from_wire(v))
    }

    fn visit_i64<Er: de::Error>(self, v: i64) -> Result<E, Er> {
        Ok(Self::from_number(v))
    }

    fn visit_u64<Er: de::Error>(self, v: u64) -> Result<E, Er> {
        Ok(match i64::try_from(v) {
            Ok(v) => Self::from_number(v),
            Err(_) => E::from_wire(&v.to_string()),
        })
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<E, A::Error> {
        // serde_json's `arbitrary_precision` feature delivers numbers as a special map.
        let number = serde_json::Number::deserialize(de::value::MapAccessDeserializer::new(map))?;
        match number.as_i64() {
            Some(v) => Ok(Self::from_number(v)),
            None if number.is_u64() => Ok(E::from_wire(&number.to_string())),
            None => Err(de::Error::invalid_type(
                de::Unexpected::Other("non-integer number"),
                &self,
            )),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Flags
// ---------------------------------------------------------------------------------------------

/// The value of a flags enum: the known bits plus member names this version does not know.
///
/// Equality and hashing compare the bits and the unknown names in order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct FlagSet {
    bits: i64,
    unknown: Vec<String>,
}

impl FlagSet {
    /// A set with the given bits and no unknown member names.
    pub const fn from_bits(bits: i64) -> Self {
        Self {
            bits,
            unknown: Vec::new(),
        }
    }

    /// The known bits.
    pub const fn bits(&self) -> i64 {
        self.bits
    }

    /// The unknown member names, in the order they were first seen.
    pub fn unknown_members(&self) -> &[String] {
        &self.unknown
    }

    /// Whether all of `bits` are set.
    pub const fn contains_bits(&self, bits: i64) -> bool {
        self.bits & bits == bits
    }

    /// Whether all bits and all unknown member names of `other` are in `self`.
    pub fn contains(&self, other: &Self) -> bool {
        self.contains_bits(other.bits) && other.unknown.iter().all(|n| self.unknown.contains(n))
    }

    /// The union: bits ORed, unknown names of `self` followed by those only in `other`.
    pub fn union(&self, other: &Self) -> Self {
        let mut result = self.clone();
        result.union_with(other);
        result
    }

    /// Adds the bits and unknown names of `other` to `self`.
    pub fn union_with(&mut self, other: &Self) {
        self.bits |= other.bits;
        for name in &other.unknown {
            self.insert_unknown(name.as_str());
        }
    }

    /// The intersection: bits ANDed, unknown names present in both (in `self`'s order).
    pub fn intersection(&self, other: &Self) -> Self {
        Self {
            bits: self.bits & other.bits,
            unknown: self
                .unknown
                .iter()
                .filter(|n| other.unknown.contains(n))
                .cloned()
                .collect(),
        }
    }

    /// Adds an unknown member name (kept verbatim, ignored if already present or empty).
    ///
    /// Callers should not pass names of known members or decimal numbers; use the bits for
    /// those, or parse the text with [`parse_flags`].
    pub fn insert_unknown(&mut self, name: impl Into<String>) {
        let name = name.into();
        if !name.is_empty() && !self.unknown.contains(&name) {
            self.unknown.push(name);
        }
    }

    /// Whether no bits are set and there are no unknown member names.
    pub fn is_empty(&self) -> bool {
        self.bits == 0 && self.unknown.is_empty()
    }

    /// Parses the wire form against a member table (see the [module docs](self)).
    fn parse(members: &[(&str, i64)], text: &str) -> Self {
        let mut set = Self::default();
        for piece in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            if let Some(value) = member_value(members, piece) {
                set.bits |= value;
            } else if let Ok(value) = piece.parse::<i64>() {
                set.bits |= value;
            } else if let Ok(value) = piece.parse::<u64>() {
                // Above `i64::MAX`: keep the same 64 bits.
                set.bits |= value as i64;
            } else {
                set.insert_unknown(piece);
            }
        }
        set
    }

    /// Writes the wire form against a member table (see the [module docs](self)).
    fn write(&self, members: &[(&str, i64)], f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut by_value_desc: Vec<&(&str, i64)> =
            members.iter().filter(|(_, value)| *value != 0).collect();
        by_value_desc.sort_by_key(|member| std::cmp::Reverse(member.1));
        let mut remaining = self.bits;
        let mut chosen: Vec<&(&str, i64)> = Vec::new();
        for member in by_value_desc {
            if remaining & member.1 == member.1 {
                remaining &= !member.1;
                chosen.push(member);
            }
        }
        chosen.sort_by_key(|member| member.1);

        let mut first = true;
        let mut piece = |f: &mut fmt::Formatter<'_>, text: &dyn fmt::Display| {
            if !first {
                f.write_str(", ")?;
            }
            first = false;
            write!(f, "{text}")
        };
        for (name, _) in chosen {
            piece(f, name)?;
        }
        if remaining != 0 {
            piece(f, &remaining)?;
        }
        for name in &self.unknown {
            piece(f, name)?;
        }
        if first {
            match member_name_zero(members) {
                Some(name) => f.write_str(name)?,
                None => f.write_str("0")?,
            }
        }
        Ok(())
    }
}

fn member_name_zero<'a>(members: &[(&'a str, i64)]) -> Option<&'a str> {
    members
        .iter()
        .find(|&&(_, value)| value == 0)
        .map(|&(name, _)| name)
}

/// A CSDL flags enum type (`IsFlags="true"`) generated as a newtype around [`FlagSet`].
///
/// Generated code implements [`MEMBERS`](Self::MEMBERS), [`from_set`](Self::from_set) and
/// [`as_set`](Self::as_set); the other methods are provided. See the [module docs](self) for
/// the wire format.
pub trait FlagsEnum: Sized {
    /// The known members as `(wire name, CSDL value)` pairs, in CSDL order. Composite members
    /// (such as `Full = 15`) and a zero member (such as `None = 0`) may be included.
    const MEMBERS: &'static [(&'static str, i64)];

    /// Wraps a set.
    fn from_set(set: FlagSet) -> Self;

    /// The wrapped set.
    fn as_set(&self) -> &FlagSet;

    /// A value with the given bits and no unknown member names.
    fn from_bits(bits: i64) -> Self {
        Self::from_set(FlagSet::from_bits(bits))
    }

    /// The known bits.
    fn bits(&self) -> i64 {
        self.as_set().bits()
    }

    /// The unknown member names, in the order they were first seen.
    fn unknown_members(&self) -> &[String] {
        self.as_set().unknown_members()
    }

    /// Whether all bits and unknown member names of `other` are in `self`.
    fn contains(&self, other: &Self) -> bool {
        self.as_set().contains(other.as_set())
    }

    /// The union of both values (for `BitOr` / `BitOrAssign` impls).
    fn union(&self, other: &Self) -> Self {
        Self::from_set(self.as_set().union(other.as_set()))
    }

    /// The intersection of both values (for `BitAnd` impls).
    fn intersection(&self, other: &Self) -> Self {
        Self::from_set(self.as_set().intersection(other.as_set()))
    }

    /// Whether no bits are set and there are no unknown member names.
    fn is_empty(&self) -> bool {
        self.as_set().is_empty()
    }
}

/// Writes the wire form of a flags value (for `Display` impls). See the [module docs](self).
pub fn fmt_flags<T: FlagsEnum>(value: &T, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    value.as_set().write(T::MEMBERS, f)
}

/// Writes `TypeName("wire form")` (for `Debug` impls), using the last path segment of the type
/// name.
pub fn debug_flags<T: FlagsEnum>(value: &T, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let full_name = std::any::type_name::<T>();
    let name = full_name.rsplit("::").next().unwrap_or(full_name);
    let wire = FlagsDisplay(value).to_string();
    f.debug_tuple(name).field(&wire).finish()
}

/// Parses the wire form of a flags value (for `FromStr` impls). Never fails: names that are not
/// known members are kept as unknown members. See the [module docs](self).
pub fn parse_flags<T: FlagsEnum>(text: &str) -> T {
    T::from_set(FlagSet::parse(T::MEMBERS, text))
}

/// Serializes a flags value as its wire string (for `Serialize` impls).
pub fn serialize_flags<T, S>(value: &T, serializer: S) -> Result<S::Ok, S::Error>
where
    T: FlagsEnum,
    S: Serializer,
{
    serializer.collect_str(&FlagsDisplay(value))
}

/// Deserializes a flags value (for `Deserialize` impls) from its wire string or from a JSON
/// integer (the bits). Uses [`Deserializer::deserialize_any`], so it needs a self-describing
/// format such as JSON.
pub fn deserialize_flags<'de, T, D>(deserializer: D) -> Result<T, D::Error>
where
    T: FlagsEnum,
    D: Deserializer<'de>,
{
    deserializer.deserialize_any(FlagsVisitor(PhantomData))
}

struct FlagsDisplay<'a, T>(&'a T);

impl<T: FlagsEnum> fmt::Display for FlagsDisplay<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_flags(self.0, f)
    }
}

struct FlagsVisitor<T>(PhantomData<T>);

impl<'de, T: FlagsEnum> Visitor<'de> for FlagsVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a comma-separated list of flag member names, or an integer")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        Ok(parse_flags(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        Ok(T::from_bits(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        // Values above `i64::MAX` keep the same 64 bits.
        Ok(T::from_bits(v as i64))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        // serde_json's `arbitrary_precision` feature delivers numbers as a special map.
        let number = serde_json::Number::deserialize(de::value::MapAccessDeserializer::new(map))?;
        if let Some(v) = number.as_i64() {
            Ok(T::from_bits(v))
        } else if let Some(v) = number.as_u64() {
            Ok(T::from_bits(v as i64))
        } else {
            Err(de::Error::invalid_type(
                de::Unexpected::Other("non-integer number"),
                &self,
            ))
        }
    }
}

//! CSDL names to Rust identifiers.
//!
//! Rules (documented in ARCHITECTURE.md):
//! * types and enum variants: `UpperCamelCase`; fields, modules: `snake_case`; flag
//!   constants: `SCREAMING_SNAKE_CASE` (heck's words; ASCII names through `ascii_case`);
//! * a name that starts with a digit gets a prefix (`_` for fields, `V` for variants and
//!   types), an empty one becomes `unnamed`;
//! * Rust keywords become raw identifiers (`r#type`), except those that cannot be raw
//!   (`self`, `Self`, `super`, `crate`, `_`), which get a trailing `_`;
//! * type names that would shadow prelude or runtime names get a `Type` suffix;
//! * when several CSDL names map to one identifier in the same scope, the CSDL names are
//!   sorted (byte order); the first keeps the identifier, the next ones get `2`, `3`, ...
//!   (`_2`, `_3` for snake and screaming case). The rename is shown in the item's docs.

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where",
    "while", "abstract", "become", "box", "do", "final", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];
/// Type names generated code relies on unqualified (std prelude, serde, runtime).
const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Vec",
    "Box",
    "String",
    "Default",
    "Clone",
    "Copy",
    "Debug",
    "PartialEq",
    "Eq",
    "Hash",
    "PartialOrd",
    "Ord",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Iterator",
    "IntoIterator",
    "Into",
    "From",
    "ToString",
    "ToOwned",
    "AsRef",
    "Serialize",
    "Deserialize",
    "Serializer",
    "Deserializer",
    "Self",
];

/// What kind of identifier is being made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Case {
    /// Types (structs, enums, aliases).
    Type,
    /// Enum variants.
    Variant,
    /// Struct fields, methods and modules.
    Snake,
    /// Associated constants.
    Screaming,
}

fn convert(name: &str, case: Case) -> String {
    let mut s = match ascii_case(name, case) {
        // From ASCII only letters, digits and `_` come out, all of them XID.
        Some(s) => s,
        None => {
            let s = match case {
                Case::Type | Case::Variant => name.to_upper_camel_case(),
                Case::Snake => name.to_snake_case(),
                Case::Screaming => name.to_shouty_snake_case(),
            };
            // Rust identifiers are XID: anything else heck kept (`²`, `½`, `①`, a stray
            // symbol) becomes `_`.
            s.chars()
                .map(|c| {
                    if unicode_ident::is_xid_continue(c) {
                        c
                    } else {
                        '_'
                    }
                })
                .collect()
        }
    };
    // A first character that cannot start an identifier gets a prefix below.
    if s.chars().all(|c| c == '_') {
        s.clear();
    }
    if s.is_empty() {
        s = match case {
            Case::Type | Case::Variant => "Unnamed".into(),
            Case::Snake => "unnamed".into(),
            Case::Screaming => "UNNAMED".into(),
        };
    }
    if s.starts_with(|c: char| c != '_' && !unicode_ident::is_xid_start(c)) {
        s = match case {
            Case::Type | Case::Variant => format!("V{s}"),
            Case::Snake | Case::Screaming => format!("_{s}"),
        };
    }
    if case == Case::Type && RESERVED_TYPES.contains(&s.as_str()) {
        s.push_str("Type");
    }
    s
}

/// heck's conversion of an ASCII `name`, without heck's formatter, which writes one `char`
/// at a time through `fmt` (planning `--all` of Graph spent 0.3G instructions there, on the
/// main thread before any file is written). `None` for other text, which heck converts.
/// The words are heck's: a run of ASCII letters and digits is a word, split after a
/// lower-case letter (and any digits after it) that an upper-case letter follows
/// (`odataType` -> `odata`, `Type`), and before the last of several upper-case letters
/// that a lower-case one follows (`HTTPCode` -> `HTTP`, `Code`). `ascii_case_is_heck`
/// compares every short word over a mixed alphabet with heck.
fn ascii_case(name: &str, case: Case) -> Option<String> {
    if !name.is_ascii() {
        return None;
    }
    let separator = match case {
        Case::Type | Case::Variant => "",
        Case::Snake | Case::Screaming => "_",
    };
    let mut out = String::with_capacity(name.len() + 4);
    let mut first = true;
    for_each_word(name.as_bytes(), |word| {
        if !first {
            out.push_str(separator);
        }
        first = false;
        match case {
            Case::Type | Case::Variant => {
                out.push(word[0].to_ascii_uppercase() as char);
                out.extend(word[1..].iter().map(|b| b.to_ascii_lowercase() as char));
            }
            Case::Snake => out.extend(word.iter().map(|b| b.to_ascii_lowercase() as char)),
            Case::Screaming => out.extend(word.iter().map(|b| b.to_ascii_uppercase() as char)),
        }
    });
    Some(out)
}

/// Calls `word` with each word of the ASCII `text` in order (never an empty one).
fn for_each_word(text: &[u8], mut word: impl FnMut(&[u8])) {
    /// The case of the last letter of the current word, if it has one yet.
    #[derive(Clone, Copy, PartialEq)]
    enum Last {
        Nothing,
        Lower,
        Upper,
    }
    for run in text.split(|b| !b.is_ascii_alphanumeric()) {
        let mut start = 0;
        let mut last = Last::Nothing;
        for (i, &c) in run.iter().enumerate() {
            let Some(&next) = run.get(i + 1) else {
                word(&run[start..]);
                break;
            };
            let with_c = if c.is_ascii_lowercase() {
                Last::Lower
            } else if c.is_ascii_uppercase() {
                Last::Upper
            } else {
                last
            };
            if with_c == Last::Lower && next.is_ascii_uppercase() {
                // `aB`, `a1B`: a word ends after `c`.
                word(&run[start..=i]);
                start = i + 1;
                last = Last::Nothing;
            } else if last == Last::Upper && c.is_ascii_uppercase() && next.is_ascii_lowercase() {
                // `ABc`: the capital before `c` starts the next word.
                word(&run[start..i]);
                start = i;
                last = Last::Nothing;
            } else {
                last = with_c;
            }
        }
    }
}

/// Whether `name` is a Rust identifier (raw where it is a keyword): XID start or `_`, then
/// XID continue, and not one of the names that cannot be raw.
pub fn is_identifier(name: &str) -> bool {
    // ASCII (nearly every name) without the Unicode tables: letters, digits and `_`, not
    // starting with a digit.
    if name.is_ascii() {
        let bytes = name.as_bytes();
        return bytes.first().is_some_and(|b| !b.is_ascii_digit())
            && bytes
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || *b == b'_')
            && !NOT_RAW.contains(&name);
    }
    let mut chars = name.chars();
    let start = chars
        .next()
        .is_some_and(|c| c == '_' || unicode_ident::is_xid_start(c));
    start && chars.all(unicode_ident::is_xid_continue) && !NOT_RAW.contains(&name)
}

/// Whether `ident` must be written as a raw identifier.
pub fn needs_raw(ident: &str) -> bool {
    KEYWORDS.contains(&ident)
}

/// Makes an identifier usable: keywords stay (emitted raw), non-raw-able ones get `_`.
fn usable(s: String) -> String {
    if NOT_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else {
        s
    }
}

/// One identifier assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// The identifier (without `r#`).
    pub ident: String,
    /// Set when the collision rule changed the identifier: the plain conversion.
    pub collided_with: Option<String>,
}

/// Assigns identifiers to `names` (unique CSDL names of one scope), avoiding `reserved`.
/// The result is keyed by CSDL name.
pub fn assign(names: &[&str], case: Case, reserved: &[&str]) -> BTreeMap<String, Named> {
    let wanted: Vec<(String, String)> = names
        .iter()
        .map(|name| (name.to_string(), usable(convert(name, case))))
        .collect();
    assign_wanted(wanted, case, reserved)
}

/// Conversions already made in one planning pass, so that a name met in many scopes (an
/// inherited property, in the scope of every derived type) is converted once.
#[derive(Debug, Default)]
pub struct Conversions<'n> {
    made: FxHashMap<(&'n str, Case), String>,
}

impl<'n> Conversions<'n> {
    /// `name` converted as [`assign`] converts it.
    fn identifier(&mut self, name: &'n str, case: Case) -> String {
        self.made
            .entry((name, case))
            .or_insert_with(|| usable(convert(name, case)))
            .clone()
    }
}

/// [`assign`] for a scope planned often: the identifier of each of `names`, in their order
/// (a name given twice gets the same one), with conversions kept in `conversions`. The
/// same rule gives the same identifiers; no keyed map is built.
pub fn assign_each<'n>(
    names: &[&'n str],
    case: Case,
    reserved: &[&str],
    conversions: &mut Conversions<'n>,
) -> Vec<Named> {
    let plains = names
        .iter()
        .map(|name| conversions.identifier(name, case))
        .collect();
    let mut settled = settle(names, plains, case, reserved);
    (0..names.len())
        .map(|i| {
            let winner = settled.winner[i];
            if winner == i {
                settled.named[i].take().expect("a winner is named once")
            } else {
                settled.named[winner].clone().expect("winners come first")
            }
        })
        .collect()
}

/// The collision rule of [`assign`] for identifiers that are already made: `wanted` pairs a
/// unique key (the CSDL name, or a name with a kind prefix) with the identifier it wants.
/// Keys are taken in byte order; the first key that wants an identifier gets it, later
/// ones get the numbered form. The result is keyed by key.
pub fn assign_wanted(
    wanted: Vec<(String, String)>,
    case: Case,
    reserved: &[&str],
) -> BTreeMap<String, Named> {
    let (mut keys, plains): (Vec<String>, Vec<String>) = wanted.into_iter().unzip();
    let key_refs: Vec<&str> = keys.iter().map(String::as_str).collect();
    let Settled {
        order, mut named, ..
    } = settle(&key_refs, plains, case, reserved);
    drop(key_refs);
    // `order` is in key order, so the map is built without a search per key.
    order
        .into_iter()
        .map(|i| {
            let name = named[i].take().expect("a winner is named once");
            (std::mem::take(&mut keys[i]), name)
        })
        .collect()
}

/// What [`settle`] decides, by index into its keys.
struct Settled {
    /// The keys that are named (one per distinct key), in key order.
    order: Vec<usize>,
    /// Per key: the index of the one of its spelling that is named (itself, unless the key
    /// was given twice).
    winner: Vec<usize>,
    /// The identifier of each named key (`None` for a repeated key).
    named: Vec<Option<Named>>,
}

/// The collision rule over `keys` and the identifiers they want (`plains`, same index).
/// A key given twice is named once, with the smaller identifier it wants.
///
/// Planning runs this once per scope (every struct's fields twice, every builder's
/// methods), so it sorts indices rather than pairs, and the names taken are a hash set of
/// borrowed names (only the numbered forms are made): a `BTreeSet` of owned names and a
/// `BTreeMap` filled one insert at a time cost 0.15G instructions on Graph, on the main
/// thread before any file is written. Only membership is asked of the sets, so their order
/// never reaches the output.
fn settle(keys: &[&str], mut plains: Vec<String>, case: Case, reserved: &[&str]) -> Settled {
    let mut order: Vec<usize> = (0..keys.len()).collect();
    // Equal (key, identifier) pairs are interchangeable, so an unstable sort is exact.
    order.sort_unstable_by(|&a, &b| (keys[a], &plains[a]).cmp(&(keys[b], &plains[b])));
    let mut winner: Vec<usize> = (0..keys.len()).collect();
    order.dedup_by(|later, first| {
        let repeated = keys[*later] == keys[*first];
        if repeated {
            winner[*later] = *first;
        }
        repeated
    });
    // Wanted names are made from converted names; anything that is still not an identifier
    // is converted here, so every name the plan hands out is valid.
    for &i in &order {
        if !is_identifier(&plains[i]) {
            plains[i] = usable(convert(&plains[i], case));
        }
    }
    let mut taken: FxHashSet<&str> =
        FxHashSet::with_capacity_and_hasher(reserved.len() + order.len(), Default::default());
    taken.extend(reserved.iter().copied());
    // First pass: every name whose plain conversion is free and not claimed by an earlier
    // (sorted) name keeps it.
    let kept: Vec<bool> = order
        .iter()
        .map(|&i| taken.insert(plains[i].as_str()))
        .collect();
    // Then the others, in key order, take the first numbered form nobody has.
    let sep = match case {
        Case::Snake | Case::Screaming => "_",
        Case::Type | Case::Variant => "",
    };
    let mut numbered: FxHashSet<String> = FxHashSet::default();
    let mut renamed: Vec<(usize, String)> = Vec::new();
    for (&i, kept) in order.iter().zip(kept) {
        if kept {
            continue;
        }
        let plain = &plains[i];
        // `self_` + `_2` would read `self__2`; the escape's `_` gives way to the counter.
        let stem = plain.strip_suffix('_').unwrap_or(plain);
        let mut n = 2;
        let ident = loop {
            let candidate = format!("{stem}{sep}{n}");
            if !taken.contains(candidate.as_str()) && !numbered.contains(&candidate) {
                break candidate;
            }
            n += 1;
        };
        numbered.insert(ident.clone());
        renamed.push((i, ident));
    }
    drop(taken);
    let mut named: Vec<Option<Named>> = vec![None; keys.len()];
    for &i in &order {
        named[i] = Some(Named {
            ident: std::mem::take(&mut plains[i]),
            collided_with: None,
        });
    }
    for (i, ident) in renamed {
        if let Some(n) = &mut named[i] {
            n.collided_with = Some(std::mem::replace(&mut n.ident, ident));
        }
    }
    Settled {
        order,
        winner,
        named,
    }
}

/// A single snake-case identifier (method, argument) for a CSDL name, with the same rules
/// as fields; collisions are the caller's business.
pub fn snake(name: &str) -> String {
    usable(convert(name, Case::Snake))
}

/// A single UpperCamelCase identifier for a CSDL name (digits, keywords and prelude names
/// handled as for types).
pub fn type_name(name: &str) -> String {
    usable(convert(name, Case::Type))
}

/// A namespace as a type-name prefix (`Rack.v1_1_10` -> `RackV1_1_10`): each dot- or
/// underscore-separated word in UpperCamelCase, with an `_` kept between two digits, so
/// `v1_1_10` and `v1_11_0` stay apart (heck alone gives `V1110` for both). Rust's
/// camel-case lint accepts an `_` between digits.
pub fn namespace_prefix(namespace: &str) -> String {
    let mut out = String::new();
    for word in namespace.split(['.', '_']) {
        let word: String = word
            .to_upper_camel_case()
            .chars()
            .filter(|c| unicode_ident::is_xid_continue(*c))
            .collect();
        if out.ends_with(|c: char| c.is_ascii_digit())
            && word.starts_with(|c: char| c.is_ascii_digit())
        {
            out.push('_');
        }
        out.push_str(&word);
    }
    if !out.starts_with(|c: char| unicode_ident::is_xid_start(c)) {
        out.insert(0, 'V');
    }
    out
}

/// The module identifier for a namespace (`microsoft.graph.callRecords` -> `microsoft_graph_call_records`).
pub fn module_name(namespace: &str) -> String {
    usable(convert(&namespace.replace('.', "_"), Case::Snake))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_and_digits() {
        let a = assign(
            &["type", "default", "self", "1st", "match"],
            Case::Snake,
            &[],
        );
        assert_eq!(a["type"].ident, "type");
        assert!(needs_raw(&a["type"].ident));
        assert_eq!(a["default"].ident, "default");
        assert_eq!(a["self"].ident, "self_");
        assert_eq!(a["1st"].ident, "_1st");
        let v = assign(
            &["Self", "1x", "unknownFutureValue"],
            Case::Variant,
            &["UnknownValue"],
        );
        assert_eq!(v["Self"].ident, "Self_");
        assert_eq!(v["1x"].ident, "V1x");
        assert_eq!(v["unknownFutureValue"].ident, "UnknownFutureValue");
    }

    #[test]
    fn collisions_are_deterministic_and_visible() {
        let a = assign(
            &["remote_Control_Software", "remoteControlSoftware"],
            Case::Variant,
            &[],
        );
        // Byte order: "remoteC..." < "remote_..." ('C' < '_').
        assert_eq!(a["remoteControlSoftware"].ident, "RemoteControlSoftware");
        assert_eq!(a["remote_Control_Software"].ident, "RemoteControlSoftware2");
        assert_eq!(
            a["remote_Control_Software"].collided_with.as_deref(),
            Some("RemoteControlSoftware")
        );
        let f = assign(
            &["additionalProperties", "x"],
            Case::Snake,
            &["additional_properties"],
        );
        assert_eq!(f["additionalProperties"].ident, "additional_properties_2");
        let k = assign(&["self", "Self"], Case::Snake, &[]);
        assert_eq!(k["Self"].ident, "self_");
        assert_eq!(k["self"].ident, "self_2");
        let v = assign(&["self", "Self"], Case::Variant, &[]);
        assert_eq!(v["Self"].ident, "Self_");
        assert_eq!(v["self"].ident, "Self2");
    }

    /// A numbered form skips what is reserved, what another name keeps, and what an
    /// earlier renamed name took.
    #[test]
    fn numbered_forms_skip_every_taken_name() {
        let a = assign(&["x", "X", "x_2"], Case::Snake, &["x_3"]);
        assert_eq!(a["X"].ident, "x");
        assert_eq!(a["x_2"].ident, "x_2");
        assert_eq!(a["x"].ident, "x_4");
        assert_eq!(a["x"].collided_with.as_deref(), Some("x"));
        let b = assign(&["a", "A", "a_"], Case::Snake, &[]);
        assert_eq!(
            [&b["A"].ident, &b["a"].ident, &b["a_"].ident],
            ["a", "a_2", "a_3"]
        );
        // A key wanted twice keeps its first (smallest) identifier.
        let c = assign_wanted(
            vec![
                ("k".into(), "b".into()),
                ("k".into(), "a".into()),
                ("j".into(), "a".into()),
            ],
            Case::Snake,
            &[],
        );
        assert_eq!(c.len(), 2);
        assert_eq!(c["j"].ident, "a");
        assert_eq!(c["k"].ident, "a_2");
    }

    #[test]
    fn namespace_prefixes_keep_digit_groups_apart() {
        assert_eq!(namespace_prefix("Rack.v1_1_10"), "RackV1_1_10");
        assert_eq!(namespace_prefix("Rack.v1_11_0"), "RackV1_11_0");
        assert_eq!(namespace_prefix("Rack.v1_1_1_0"), "RackV1_1_1_0");
        assert_eq!(
            namespace_prefix("microsoft.graph.callRecords"),
            "MicrosoftGraphCallRecords"
        );
        assert_eq!(namespace_prefix("1st.ns"), "V1stNs");
    }

    #[test]
    fn reserved_type_names() {
        let a = assign(&["option", "result", "user"], Case::Type, &[]);
        assert_eq!(a["option"].ident, "OptionType");
        assert_eq!(a["result"].ident, "ResultType");
        assert_eq!(a["user"].ident, "User");
    }

    /// The fast path gives heck's result for every word up to five characters over an
    /// alphabet of both cases, digits and separators, and for names real metadata uses.
    #[test]
    fn ascii_case_is_heck() {
        let alphabet = ['a', 'b', 'A', 'B', '1', '_', '.'];
        let mut words = vec![String::new()];
        let mut longest = vec![String::new()];
        for _ in 0..5 {
            longest = longest
                .iter()
                .flat_map(|w| alphabet.iter().map(move |c| format!("{w}{c}")))
                .collect();
            words.extend(longest.iter().cloned());
        }
        words.extend(
            [
                "odataType",
                "HTTPStatusCode",
                "userPrincipalName",
                "IPv6Range",
                "v1_1_10",
                "microsoft.graph.callRecords",
                "AAD_ObjectId",
                "x509Certificate",
                "Edm.Int32",
                "SAP__core.Description",
            ]
            .map(String::from),
        );
        for word in &words {
            let heck = [
                (Case::Type, word.to_upper_camel_case()),
                (Case::Snake, word.to_snake_case()),
                (Case::Screaming, word.to_shouty_snake_case()),
            ];
            for (case, expected) in heck {
                assert_eq!(
                    ascii_case(word, case).as_deref(),
                    Some(expected.as_str()),
                    "{word:?} {case:?}"
                );
            }
        }
        assert_eq!(ascii_case("caf\u{e9}", Case::Snake), None);
    }
}

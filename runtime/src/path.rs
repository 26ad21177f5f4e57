//! Percent-encoded OData resource paths.
//!
//! An [`ODataPath`] is built segment by segment; every piece of data put into it (keys,
//! literals) is percent-encoded so it can never change the shape of the path: a key
//! containing `/`, `?`, `#` or `%` stays one segment.

use std::fmt;

use serde::Serialize;

use crate::edm;
use crate::error::Error;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything but the RFC 3986 unreserved characters `A-Z a-z 0-9 - . _ ~`.
const DATA: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// For names from service metadata and system segments (`$value`, `$ref`, `$count`):
/// [`DATA`] but `$` kept.
const NAME: &AsciiSet = &DATA.remove(b'$');

/// For [`ODataLiteral::Raw`]: keeps the OData literal syntax (`'`, `(`, `)`, `,`, `=`, `:`,
/// `+`, ...) and encodes only what could leave the segment or break the URL.
const RAW: &AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// A resource path relative to the service root, already percent-encoded: empty for the
/// root, else `/segment/segment...`.
///
/// ```
/// use graph_odata_runtime::ODataPath;
///
/// let p = ODataPath::root().segment("users").key("a/b?c").segment("manager");
/// assert_eq!(p.as_str(), "/users/a%2Fb%3Fc/manager");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ODataPath(String);

impl ODataPath {
    /// The service root (an empty path).
    pub fn root() -> Self {
        ODataPath(String::new())
    }

    /// Wraps a path that is already percent-encoded, such as `/me/messages` from generated
    /// code. The caller is responsible for its encoding; data must go through
    /// [`key`](Self::key) and the other methods instead.
    pub fn from_encoded(path: impl Into<String>) -> Self {
        ODataPath(path.into())
    }

    /// Appends `/name`: an entity set, navigation property, bound operation, or system
    /// segment (`$value`, `$ref`, `$count`). `name` is percent-encoded except for `$`.
    pub fn segment(&self, name: &str) -> Self {
        let mut s = self.0.clone();
        s.push('/');
        s.extend(utf8_percent_encode(name, NAME));
        ODataPath(s)
    }

    /// Appends the key of one entity as its own segment: `/<id>`.
    ///
    /// Every byte of `id` except the unreserved characters is percent-encoded, so `/`, `?`,
    /// `#`, `%`, spaces, quotes, control characters and non-ASCII text stay inside the
    /// segment. Keys that would act as dot-segments or an empty segment (`.`, `..`, the
    /// empty string) are written in the OData parenthesis form instead, `('..')`, because URL
    /// parsers remove `.`/`..` segments even when the dots are percent-encoded.
    pub fn key(&self, id: &str) -> Self {
        let mut s = self.0.clone();
        if matches!(id, "" | "." | "..") {
            s.push_str("('");
            s.extend(utf8_percent_encode(id, DATA));
            s.push_str("')");
        } else {
            s.push('/');
            s.extend(utf8_percent_encode(id, DATA));
        }
        ODataPath(s)
    }

    /// Appends a path below the entity this path addresses, in the form some services take
    /// beside keys (OneDrive: `/drives/{id}/root:/folder/file.txt:`): `:/`, the path's
    /// segments, then `:`, after which the path continues like the entity's own
    /// (`:/children`, `:/content`).
    ///
    /// `path` is split at `/`; each segment is percent-encoded as data (so `:`, `#`, `?`,
    /// `%`, spaces and non-ASCII text stay inside it, and a `:` cannot end the address
    /// early), and empty segments (a leading, trailing or doubled `/`) are dropped. Dot
    /// segments are resolved within the given path the way a file system reads them (`.`
    /// is dropped, `..` removes the segment before it) and never climb above the entity:
    /// URL parsers would otherwise remove them, encoded or not, and with them segments of
    /// the entity's own URL. A path with no segment left is the entity itself (nothing is
    /// appended).
    ///
    /// ```
    /// use graph_odata_runtime::ODataPath;
    ///
    /// let root = ODataPath::root().segment("drives").key("b!x").segment("root");
    /// let file = root.path_address("/Reports 2024/Q1#final.txt");
    /// assert_eq!(file.as_str(), "/drives/b%21x/root:/Reports%202024/Q1%23final.txt:");
    /// assert_eq!(file.segment("content").as_str(), "/drives/b%21x/root:/Reports%202024/Q1%23final.txt:/content");
    /// ```
    pub fn path_address(&self, path: &str) -> Self {
        let mut segments: Vec<&str> = Vec::new();
        for segment in path.split('/') {
            match segment {
                "" | "." => {}
                ".." => {
                    segments.pop();
                }
                s => segments.push(s),
            }
        }
        if segments.is_empty() {
            return self.clone();
        }
        let mut s = self.0.clone();
        s.push(':');
        for segment in segments {
            s.push('/');
            s.extend(utf8_percent_encode(segment, DATA));
        }
        s.push(':');
        ODataPath(s)
    }

    /// Appends an entity addressed by its single key in OData's parenthesis form, for
    /// services that do not take a key as a segment: `/People('russellwhyte')`,
    /// `/Orders(10248)`, `/accounts(5e4b7c38-...)`. The literal is written as
    /// [`ODataLiteral`] writes it (strings quoted with quotes doubled, everything that
    /// could leave the segment percent-encoded).
    pub fn key_value(&self, entity_set_segment: &str, key: ODataLiteral) -> Self {
        let mut s = self.0.clone();
        s.push('/');
        s.extend(utf8_percent_encode(entity_set_segment, NAME));
        s.push('(');
        key.write_to(&mut s);
        s.push(')');
        ODataPath(s)
    }

    /// Appends an entity addressed by alternate key(s):
    /// `/applications(appId='7a2...')`. Every value is written as an OData string literal
    /// (quotes doubled: `O'Neil` becomes `'O''Neil'`) and percent-encoded so it stays inside
    /// the segment.
    pub fn alternate_key(&self, entity_set_segment: &str, pairs: &[(&str, &str)]) -> Self {
        let mut s = self.0.clone();
        s.push('/');
        s.extend(utf8_percent_encode(entity_set_segment, NAME));
        s.push('(');
        for (i, (name, value)) in pairs.iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            s.extend(utf8_percent_encode(name, NAME));
            s.push('=');
            push_string_literal(&mut s, value);
        }
        s.push(')');
        ODataPath(s)
    }

    /// Appends an entity addressed by a composite or typed key:
    /// `/orderLines(orderId=7,product='O''Neil')`. Each part is written as its literal
    /// (strings quoted with quotes doubled, numbers bare) and percent-encoded so it stays
    /// inside the segment.
    pub fn composite_key(&self, entity_set_segment: &str, parts: &[(&str, ODataLiteral)]) -> Self {
        // Same syntax as a function call's parameter list.
        self.operation(entity_set_segment, parts)
    }

    /// Appends a function call, always with parentheses:
    /// `/microsoft.graph.delta()`, `/microsoft.graph.getByIds(ids='a',top=5)`.
    pub fn operation(
        &self,
        qualified_or_plain_name: &str,
        params: &[(&str, ODataLiteral)],
    ) -> Self {
        let mut s = self.0.clone();
        s.push('/');
        s.extend(utf8_percent_encode(qualified_or_plain_name, NAME));
        s.push('(');
        for (i, (name, value)) in params.iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            s.extend(utf8_percent_encode(name, NAME));
            s.push('=');
            value.write_to(&mut s);
        }
        s.push(')');
        ODataPath(s)
    }

    /// Appends a function call whose arguments come from typed values: each argument is
    /// `(name, Some(literal))`, or `(name, None)` for an optional parameter left out (it is
    /// omitted from the URL). The first argument whose literal could not be made (a
    /// structured value that did not serialize) is the error.
    pub fn function<'a>(
        &self,
        qualified_or_plain_name: &str,
        args: impl IntoIterator<Item = (&'a str, Option<Result<ODataLiteral, Error>>)>,
    ) -> Result<Self, Error> {
        let mut params = Vec::new();
        for (name, value) in args {
            if let Some(value) = value {
                params.push((name, value?));
            }
        }
        Ok(self.operation(qualified_or_plain_name, &params))
    }

    /// Appends an action (no parentheses): `/microsoft.graph.sendMail`. The parameters go in
    /// the request body.
    pub fn action(&self, qualified_or_plain_name: &str) -> Self {
        self.segment(qualified_or_plain_name)
    }

    /// The encoded path.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is the service root.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for ODataPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for ODataPath {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// A function parameter value in OData URL literal syntax.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ODataLiteral {
    /// `'text'`, quotes doubled, percent-encoded.
    String(String),
    /// An integer.
    Int(i64),
    /// `true` / `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// A literal already in OData syntax (a GUID, `2024-01-31`, `2024-01-31T10:00:00Z`,
    /// `microsoft.graph.color'red'`, `duration'P1D'`): written as is, except that
    /// characters that could leave the segment (`/ ? # %`, spaces, controls, non-ASCII) are
    /// percent-encoded.
    Raw(String),
}

impl ODataLiteral {
    /// The literal of a primitive value (strings, numbers, booleans and the
    /// [`edm`] types), as a `Result` so that it lines up with the literals that
    /// can fail in [`ODataPath::function`] arguments. It never fails.
    pub fn of<T: ToODataLiteral + ?Sized>(value: &T) -> Result<ODataLiteral, Error> {
        Ok(value.to_odata_literal())
    }

    /// The literal of an enumeration member, qualified by its type:
    /// `microsoft.graph.color'red'`, flags as `ns.access'read,write'`. `value` displays as the
    /// member name(s), as generated enums do.
    pub fn enum_member(
        qualified_type: &str,
        value: &impl fmt::Display,
    ) -> Result<ODataLiteral, Error> {
        Ok(ODataLiteral::enum_literal(qualified_type, value))
    }

    /// [`enum_member`](Self::enum_member) without the `Result` (for keys).
    pub fn enum_literal(qualified_type: &str, value: &impl fmt::Display) -> ODataLiteral {
        let members = value.to_string().replace(", ", ",").replace('\'', "''");
        ODataLiteral::Raw(format!("{qualified_type}'{members}'"))
    }

    /// A structured value or a collection written as its JSON text (OData's JSON literal in
    /// a function call). A value that does not serialize is an error, never an empty literal.
    pub fn json(value: &impl Serialize) -> Result<ODataLiteral, Error> {
        serde_json::to_string(value)
            .map(ODataLiteral::Raw)
            .map_err(|e| Error::InvalidRequest(format!("cannot write a function argument: {e}")))
    }

    /// The literal as it appears in a URL path.
    pub fn to_url_string(&self) -> String {
        let mut s = String::new();
        self.write_to(&mut s);
        s
    }

    fn write_to(&self, s: &mut String) {
        match self {
            ODataLiteral::String(v) => push_string_literal(s, v),
            ODataLiteral::Int(v) => s.push_str(&v.to_string()),
            ODataLiteral::Bool(v) => s.push_str(if *v { "true" } else { "false" }),
            ODataLiteral::Null => s.push_str("null"),
            ODataLiteral::Raw(v) => s.extend(utf8_percent_encode(v, RAW)),
        }
    }
}

impl From<&str> for ODataLiteral {
    fn from(v: &str) -> Self {
        ODataLiteral::String(v.to_owned())
    }
}

impl From<String> for ODataLiteral {
    fn from(v: String) -> Self {
        ODataLiteral::String(v)
    }
}

impl From<i64> for ODataLiteral {
    fn from(v: i64) -> Self {
        ODataLiteral::Int(v)
    }
}

impl From<i32> for ODataLiteral {
    fn from(v: i32) -> Self {
        ODataLiteral::Int(v.into())
    }
}

impl From<bool> for ODataLiteral {
    fn from(v: bool) -> Self {
        ODataLiteral::Bool(v)
    }
}

impl<T: Into<ODataLiteral>> From<Option<T>> for ODataLiteral {
    fn from(v: Option<T>) -> Self {
        v.map_or(ODataLiteral::Null, Into::into)
    }
}

/// `'value'` with `'` doubled, the content percent-encoded (a doubled quote becomes
/// `%27%27`, which OData's ABNF accepts inside a string literal).
fn push_string_literal(s: &mut String, value: &str) {
    s.push('\'');
    s.extend(utf8_percent_encode(&value.replace('\'', "''"), DATA));
    s.push('\'');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_values_use_the_parenthesis_form() {
        let p = ODataPath::root();
        assert_eq!(
            p.key_value("People", "russellwhyte".to_odata_literal())
                .as_str(),
            "/People('russellwhyte')"
        );
        assert_eq!(
            p.key_value("Customers", "O'Neil/1?#".to_odata_literal())
                .as_str(),
            "/Customers('O%27%27Neil%2F1%3F%23')"
        );
        assert_eq!(
            p.key_value("Orders", 10248.to_odata_literal()).as_str(),
            "/Orders(10248)"
        );
        let guid: edm::Guid = "5e4b7c38-0000-4000-8000-000000000001".parse().unwrap();
        assert_eq!(
            p.segment("x")
                .key_value("accounts", guid.to_odata_literal())
                .as_str(),
            "/x/accounts(5e4b7c38-0000-4000-8000-000000000001)"
        );
    }

    #[test]
    fn path_addresses_encode_each_segment_and_keep_the_slashes() {
        let root = ODataPath::root()
            .segment("me")
            .segment("drive")
            .segment("root");
        assert_eq!(
            root.path_address("Folder/My file.txt").as_str(),
            "/me/drive/root:/Folder/My%20file.txt:"
        );
        // Data never ends the address or the path: `:`, `?`, `#`, `%`, `\`, non-ASCII.
        assert_eq!(
            root.path_address("a:b/c?d#e%f\\g/ünï ☃").as_str(),
            "/me/drive/root:/a%3Ab/c%3Fd%23e%25f%5Cg/%C3%BCn%C3%AF%20%E2%98%83:"
        );
        // Empty segments are dropped; dots are resolved inside the path, never above it.
        assert_eq!(
            root.path_address("//a//b/").as_str(),
            "/me/drive/root:/a/b:"
        );
        assert_eq!(
            root.path_address("a/./b/../c").as_str(),
            "/me/drive/root:/a/c:"
        );
        assert_eq!(root.path_address("../../x").as_str(), "/me/drive/root:/x:");
        assert_eq!(root.path_address("...").as_str(), "/me/drive/root:/...:");
        assert_eq!(root.path_address("a/..").as_str(), "/me/drive/root");
        assert_eq!(root.path_address("").as_str(), "/me/drive/root");
        // What follows continues after the closing `:`.
        assert_eq!(
            root.path_address("f.txt").segment("content").as_str(),
            "/me/drive/root:/f.txt:/content"
        );
        let item = ODataPath::root()
            .segment("drives")
            .key("d")
            .segment("items")
            .key("p");
        assert_eq!(
            item.path_address("new.txt").segment("content").as_str(),
            "/drives/d/items/p:/new.txt:/content"
        );
    }

    #[test]
    fn a_url_parser_keeps_a_path_address_as_written() {
        // The client joins paths to the base URL with `url`, which removes dot segments and
        // would re-encode anything it considers unsafe.
        for path in ["a/./b/../c", "x:y/ü #?/%2e%2E/..%2F", ".../..a/b.."] {
            let encoded = ODataPath::root().segment("root").path_address(path);
            let url = url::Url::parse(&format!("https://h/v1.0{encoded}")).unwrap();
            assert_eq!(url.path(), format!("/v1.0{encoded}"), "{path}");
            assert_eq!(url.query(), None);
            assert_eq!(url.fragment(), None);
        }
    }

    #[test]
    fn keys_stay_one_segment() {
        let p = ODataPath::root().segment("users");
        assert_eq!(
            p.key("a/b?c#d%e f'g..h").as_str(),
            "/users/a%2Fb%3Fc%23d%25e%20f%27g..h"
        );
        assert_eq!(p.key("ü").as_str(), "/users/%C3%BC");
        assert_eq!(p.key("a\r\nb\0").as_str(), "/users/a%0D%0Ab%00");
        assert_eq!(p.key("..").as_str(), "/users('..')");
        assert_eq!(p.key(".").as_str(), "/users('.')");
        assert_eq!(p.key("").as_str(), "/users('')");
        assert_eq!(p.key("...").as_str(), "/users/...");
        assert_eq!(p.key("a+b&c=d;e").as_str(), "/users/a%2Bb%26c%3Dd%3Be");
    }

    #[test]
    fn segments_and_operations() {
        let root = ODataPath::root();
        assert!(root.is_root());
        assert_eq!(root.as_str(), "");
        assert_eq!(
            root.segment("me")
                .segment("photo")
                .segment("$value")
                .as_str(),
            "/me/photo/$value"
        );
        assert_eq!(root.segment("a b/c").as_str(), "/a%20b%2Fc");
        assert_eq!(
            root.segment("users")
                .operation("microsoft.graph.delta", &[])
                .as_str(),
            "/users/microsoft.graph.delta()"
        );
        assert_eq!(
            root.operation(
                "f",
                &[
                    ("s", ODataLiteral::from("O'Neil & co/x")),
                    ("n", ODataLiteral::Int(-5)),
                    ("b", ODataLiteral::Bool(true)),
                    ("z", ODataLiteral::Null),
                    ("d", ODataLiteral::Raw("2024-01-31T10:00:00+01:00".into())),
                    ("e", ODataLiteral::Raw("ns.color'red'/x y".into())),
                ]
            )
            .as_str(),
            "/f(s='O%27%27Neil%20%26%20co%2Fx',n=-5,b=true,z=null,d=2024-01-31T10:00:00+01:00,e=ns.color'red'%2Fx%20y)"
        );
        assert_eq!(
            root.action("microsoft.graph.sendMail").as_str(),
            "/microsoft.graph.sendMail"
        );
    }

    #[test]
    fn alternate_keys_quote_and_encode() {
        let p = ODataPath::root().alternate_key("applications", &[("appId", "O'Neil")]);
        assert_eq!(p.as_str(), "/applications(appId='O%27%27Neil')");
        let p = ODataPath::root().alternate_key("x", &[("a", "1/2"), ("b", "é)")]);
        assert_eq!(p.as_str(), "/x(a='1%2F2',b='%C3%A9%29')");
    }
}

/// A value with an OData URL literal form: keys and function arguments of primitive types.
pub trait ToODataLiteral {
    /// The literal (`'text'`, `42`, `true`, a bare GUID or date, `duration'P1D'`,
    /// `binary'...'`).
    fn to_odata_literal(&self) -> ODataLiteral;
}

impl ToODataLiteral for str {
    fn to_odata_literal(&self) -> ODataLiteral {
        ODataLiteral::String(self.to_owned())
    }
}

impl ToODataLiteral for String {
    fn to_odata_literal(&self) -> ODataLiteral {
        ODataLiteral::String(self.clone())
    }
}

impl ToODataLiteral for bool {
    fn to_odata_literal(&self) -> ODataLiteral {
        ODataLiteral::Bool(*self)
    }
}

macro_rules! integer_literals {
    ($($t:ty),*) => {$(
        impl ToODataLiteral for $t {
            fn to_odata_literal(&self) -> ODataLiteral {
                ODataLiteral::Int(i64::from(*self))
            }
        }
    )*};
}
integer_literals!(u8, i8, i16, i32, i64);

macro_rules! float_literals {
    ($($t:ty),*) => {$(
        impl ToODataLiteral for $t {
            fn to_odata_literal(&self) -> ODataLiteral {
                let text = if self.is_nan() {
                    "NaN".to_owned()
                } else if self.is_infinite() {
                    if *self > 0.0 { "INF" } else { "-INF" }.to_owned()
                } else {
                    // `{:?}` keeps a decimal point or exponent, so the literal stays a
                    // floating-point one.
                    format!("{self:?}")
                };
                ODataLiteral::Raw(text)
            }
        }
    )*};
}
float_literals!(f32, f64);

/// Types whose `Display` is already their bare URL literal.
macro_rules! display_literals {
    ($($t:ty),*) => {$(
        impl ToODataLiteral for $t {
            fn to_odata_literal(&self) -> ODataLiteral {
                ODataLiteral::Raw(self.to_string())
            }
        }
    )*};
}
display_literals!(
    edm::Guid,
    edm::Date,
    edm::TimeOfDay,
    edm::DateTimeOffset,
    edm::Decimal
);

impl ToODataLiteral for edm::Duration {
    fn to_odata_literal(&self) -> ODataLiteral {
        ODataLiteral::Raw(format!("duration'{self}'"))
    }
}

impl ToODataLiteral for edm::Binary {
    fn to_odata_literal(&self) -> ODataLiteral {
        use base64::Engine as _;
        let text = base64::engine::general_purpose::URL_SAFE.encode(&self.0);
        ODataLiteral::Raw(format!("binary'{text}'"))
    }
}

impl<T: ToODataLiteral + ?Sized> ToODataLiteral for &T {
    fn to_odata_literal(&self) -> ODataLiteral {
        (**self).to_odata_literal()
    }
}

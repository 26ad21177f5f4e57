//! Reading `@odata.etag` out of any serializable entity without building a JSON value: a
//! serializer that looks at the top-level keys only and keeps the value of one of them.
//! Generated models keep the annotation in `additional_properties`, which their
//! `Serialize` writes as top-level entries, so this works for every model (and for a
//! `serde_json::Value` or a user's own struct) with no generated accessor.

use std::fmt;

use serde::ser::{self, Impossible, Serialize, SerializeMap, SerializeStruct, Serializer};

/// The instance annotation holding an entity's version.
pub const ODATA_ETAG: &str = "@odata.etag";

/// The entity's version, its `@odata.etag` annotation (`W/"abc"`), to pass to
/// `Request::if_match` (with the `client` feature) or
/// an `If-Match` header; `None` when the service sent none or `value` is not an object.
/// Only the top-level keys are looked at: nested values are never serialized.
pub fn etag<T: Serialize + ?Sized>(value: &T) -> Option<String> {
    value.serialize(Sniffer).ok().flatten()
}

/// Why sniffing stopped: the value is not an object, or serializing it failed.
#[derive(Debug)]
struct Skip;

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not an object")
    }
}

impl std::error::Error for Skip {}

impl ser::Error for Skip {
    fn custom<M: fmt::Display>(_: M) -> Self {
        Skip
    }
}

/// Declares the serializer methods that give up (`$out`) for the listed scalar types.
macro_rules! scalars {
    ($out:expr; $($method:ident: $ty:ty),*) => {
        $(fn $method(self, _: $ty) -> Result<Option<String>, Skip> { $out })*
    };
}

/// Serializes an object, keeping the string value of its `@odata.etag` entry.
struct Sniffer;

impl Serializer for Sniffer {
    type Ok = Option<String>;
    type Error = Skip;
    type SerializeSeq = Impossible<Option<String>, Skip>;
    type SerializeTuple = Impossible<Option<String>, Skip>;
    type SerializeTupleStruct = Impossible<Option<String>, Skip>;
    type SerializeTupleVariant = Impossible<Option<String>, Skip>;
    type SerializeMap = Entries;
    type SerializeStruct = Entries;
    type SerializeStructVariant = Impossible<Option<String>, Skip>;

    scalars!(Err(Skip); serialize_bool: bool, serialize_i8: i8, serialize_i16: i16,
        serialize_i32: i32, serialize_i64: i64, serialize_u8: u8, serialize_u16: u16,
        serialize_u32: u32, serialize_u64: u64, serialize_f32: f32, serialize_f64: f64,
        serialize_char: char, serialize_str: &str, serialize_bytes: &[u8]);

    fn serialize_none(self) -> Result<Option<String>, Skip> {
        Err(Skip)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Option<String>, Skip> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Option<String>, Skip> {
        Err(Skip)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Option<String>, Skip> {
        Err(Skip)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<Option<String>, Skip> {
        Err(Skip)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Option<String>, Skip> {
        value.serialize(self)
    }
    // An untagged wrapper (`Any<Base>`) serializes its inner entity as a newtype variant
    // or directly; either way the entity's own entries are what count.
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        value: &T,
    ) -> Result<Option<String>, Skip> {
        value.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Skip> {
        Err(Skip)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Skip> {
        Err(Skip)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Skip> {
        Err(Skip)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Skip> {
        Err(Skip)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Entries, Skip> {
        Ok(Entries::default())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Entries, Skip> {
        Ok(Entries::default())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Skip> {
        Err(Skip)
    }
}

/// The entries of the object: only the `@odata.etag` one's value is serialized.
#[derive(Default)]
struct Entries {
    /// The last key was `@odata.etag`.
    at_etag: bool,
    found: Option<String>,
}

impl Entries {
    fn keep<T: Serialize + ?Sized>(&mut self, value: &T) {
        if self.found.is_none() {
            self.found = value.serialize(Text).ok().flatten();
        }
    }
}

impl SerializeMap for Entries {
    type Ok = Option<String>;
    type Error = Skip;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Skip> {
        self.at_etag = key.serialize(Text).ok().flatten().as_deref() == Some(ODATA_ETAG);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Skip> {
        if std::mem::take(&mut self.at_etag) {
            self.keep(value);
        }
        Ok(())
    }
    fn end(self) -> Result<Option<String>, Skip> {
        Ok(self.found)
    }
}

impl SerializeStruct for Entries {
    type Ok = Option<String>;
    type Error = Skip;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Skip> {
        if key == ODATA_ETAG {
            self.keep(value);
        }
        Ok(())
    }
    fn end(self) -> Result<Option<String>, Skip> {
        Ok(self.found)
    }
}

/// Serializes a string (a key, the etag) into itself; anything else into `None`.
struct Text;

impl Serializer for Text {
    type Ok = Option<String>;
    type Error = Skip;
    type SerializeSeq = Impossible<Option<String>, Skip>;
    type SerializeTuple = Impossible<Option<String>, Skip>;
    type SerializeTupleStruct = Impossible<Option<String>, Skip>;
    type SerializeTupleVariant = Impossible<Option<String>, Skip>;
    type SerializeMap = Impossible<Option<String>, Skip>;
    type SerializeStruct = Impossible<Option<String>, Skip>;
    type SerializeStructVariant = Impossible<Option<String>, Skip>;

    scalars!(Ok(None); serialize_bool: bool, serialize_i8: i8, serialize_i16: i16,
        serialize_i32: i32, serialize_i64: i64, serialize_u8: u8, serialize_u16: u16,
        serialize_u32: u32, serialize_u64: u64, serialize_f32: f32, serialize_f64: f64,
        serialize_char: char, serialize_bytes: &[u8]);

    fn serialize_str(self, v: &str) -> Result<Option<String>, Skip> {
        Ok(Some(v.to_owned()))
    }
    fn serialize_none(self) -> Result<Option<String>, Skip> {
        Ok(None)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Option<String>, Skip> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Option<String>, Skip> {
        Ok(None)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Option<String>, Skip> {
        Ok(None)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<Option<String>, Skip> {
        Ok(None)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Option<String>, Skip> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Option<String>, Skip> {
        Ok(None)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Skip> {
        Err(Skip)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Skip> {
        Err(Skip)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Skip> {
        Err(Skip)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Skip> {
        Err(Skip)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Skip> {
        Err(Skip)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Skip> {
        Err(Skip)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Skip> {
        Err(Skip)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(serde::Serialize)]
    struct Task {
        title: String,
        #[serde(flatten)]
        additional_properties: serde_json::Map<String, serde_json::Value>,
    }

    #[derive(serde::Serialize)]
    struct Declared {
        #[serde(rename = "@odata.etag")]
        etag: Option<String>,
    }

    #[test]
    fn the_etag_is_read_from_the_top_level_entries() {
        let mut extra = serde_json::Map::new();
        extra.insert("@odata.etag".into(), json!("W/\"JzEtVGFzayAg\""));
        let task = Task {
            title: "t".into(),
            additional_properties: extra,
        };
        assert_eq!(etag(&task).as_deref(), Some("W/\"JzEtVGFzayAg\""));
        assert_eq!(
            etag(&json!({"@odata.etag": "\"1\"", "a": [1]})).as_deref(),
            Some("\"1\"")
        );
        let declared = Declared {
            etag: Some("\"2\"".into()),
        };
        assert_eq!(etag(&declared).as_deref(), Some("\"2\""));
        assert_eq!(
            etag(&Some(json!({"@odata.etag": "\"3\""}))).as_deref(),
            Some("\"3\"")
        );
    }

    /// Serialized the way generated models are: `ObjectSerializer`, declared properties
    /// first, `additional_properties` at the end.
    struct Generated {
        title: Option<String>,
        additional_properties: serde_json::Map<String, serde_json::Value>,
    }

    impl Serialize for Generated {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut object = crate::model::ObjectSerializer::with_type(
                serializer,
                &self.additional_properties,
                Some("#microsoft.graph.plannerTask"),
            )?;
            object.property("title", &self.title);
            object.end()
        }
    }

    #[test]
    fn a_generated_models_etag_is_found_among_its_additional_properties() {
        let mut extra = serde_json::Map::new();
        extra.insert("@odata.context".into(), json!("ctx"));
        extra.insert("@odata.etag".into(), json!("W/\"abc\""));
        let task = Generated {
            title: Some("t".into()),
            additional_properties: extra,
        };
        assert_eq!(etag(&task).as_deref(), Some("W/\"abc\""));
        let bare = Generated {
            title: None,
            additional_properties: serde_json::Map::new(),
        };
        assert_eq!(etag(&bare), None);
    }

    #[test]
    fn no_etag_is_none() {
        assert_eq!(etag(&json!({"a": {"@odata.etag": "\"nested\""}})), None);
        assert_eq!(etag(&json!({"@odata.etag": 5})), None);
        assert_eq!(etag(&json!([{"@odata.etag": "\"1\""}])), None);
        assert_eq!(etag(&Declared { etag: None }), None);
        assert_eq!(etag("text"), None);
    }
}

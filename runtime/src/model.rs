//! Serialization support for generated model structs.
//!
//! Generated structs keep undeclared properties and instance annotations in an
//! `additional_properties` map. [`ObjectSerializer`] writes the declared properties that are
//! set, then the additional ones, skipping any additional entry whose key names a declared
//! property that was written (the typed value wins). An additional entry `"name": null` for an
//! unset declared property is how an explicit JSON `null` is sent.

mod etag;
mod field;

pub use etag::{etag, ODATA_ETAG};
pub use field::Field;

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::{Map, Value};

/// The instance annotation naming a value's type.
pub const ODATA_TYPE: &str = "@odata.type";

/// The qualified type name in a JSON object's `@odata.type` (without the leading `#`), or "".
pub fn odata_type_of(value: &Value) -> &str {
    let t = value.get(ODATA_TYPE).and_then(Value::as_str).unwrap_or("");
    t.strip_prefix('#').unwrap_or(t)
}

/// Writes one JSON object from declared properties plus additional properties.
///
/// Generated code writes each declared property with [`property`](Self::property), which keeps
/// the first error for [`end`](Self::end) instead of returning it: one call and no `?` per
/// property, which is cheaper to compile (there are tens of thousands of them in a crate of
/// all of Graph).
pub struct ObjectSerializer<'a, M: SerializeMap> {
    map: M,
    additional: &'a Map<String, Value>,
    written: Vec<&'static str>,
    error: Option<M::Error>,
}

impl<'a, M: SerializeMap> ObjectSerializer<'a, M> {
    /// Starts the object.
    pub fn new<S>(serializer: S, additional: &'a Map<String, Value>) -> Result<Self, S::Error>
    where
        S: Serializer<SerializeMap = M, Error = M::Error>,
    {
        Self::with_type(serializer, additional, None)
    }

    /// Starts the object and, unless `additional` already has one, writes
    /// `"@odata.type": odata_type` first (how a derived value announces its type).
    pub fn with_type<S>(
        serializer: S,
        additional: &'a Map<String, Value>,
        odata_type: Option<&'static str>,
    ) -> Result<Self, S::Error>
    where
        S: Serializer<SerializeMap = M, Error = M::Error>,
    {
        let mut map = serializer.serialize_map(None)?;
        if let Some(t) = odata_type {
            if !additional.contains_key(ODATA_TYPE) {
                map.serialize_entry(ODATA_TYPE, t)?;
            }
        }
        Ok(ObjectSerializer {
            map,
            additional,
            written: Vec::new(),
            error: None,
        })
    }

    /// Writes declared property `name` when `value` is `Some`. An error is kept, later
    /// properties are skipped, and [`end`](Self::end) returns it.
    pub fn property<T: Serialize>(&mut self, name: &'static str, value: &Option<T>) {
        if let (None, Some(value)) = (&self.error, value) {
            match self.map.serialize_entry(name, value) {
                Ok(()) => self.written.push(name),
                Err(error) => self.error = Some(error),
            }
        }
    }

    /// Writes declared property `name` when `value` is `Some`.
    pub fn field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: Option<&T>,
    ) -> Result<(), M::Error> {
        if let Some(value) = value {
            self.map.serialize_entry(name, value)?;
            self.written.push(name);
        }
        Ok(())
    }

    /// Writes the additional properties and closes the object; or returns the error kept by
    /// [`property`](Self::property).
    pub fn end(mut self) -> Result<M::Ok, M::Error> {
        if let Some(error) = self.error {
            return Err(error);
        }
        for (key, value) in self.additional {
            if !self.written.contains(&key.as_str()) {
                self.map.serialize_entry(key, value)?;
            }
        }
        self.map.end()
    }
}

/// Deserialization half for generated structs: the generated code matches declared property
/// names; everything else lands in `additional_properties`. Smaller to compile than
/// `#[derive(Deserialize)]` with `#[serde(flatten)]`, and it does not buffer the object.
pub trait ODataObject: Default {
    /// Reads the value of `key` if it is a declared property; `Ok(false)` when it is not
    /// (the value has not been consumed then).
    fn read_property<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<bool, A::Error>;

    /// The map that keeps undeclared properties and instance annotations.
    fn additional_properties_mut(&mut self) -> &mut Map<String, Value>;

    /// The entity's version (`@odata.etag`), for
    /// `Request::if_match`; see [`etag()`].
    fn etag(&self) -> Option<String>
    where
        Self: Serialize,
    {
        etag(self)
    }
}

/// Reads the value of a primitive-typed property (or a collection of them) leniently and
/// losslessly: a value that fits `T` fills `slot`; one that does not (an empty or malformed
/// date, a GUID that is not one, a number out of range) leaves `slot` empty and is kept in
/// `extra` under `key`, verbatim, so the object re-encodes with it unchanged. An explicit
/// `null` is kept the same way (and re-encoded as `null`). One bad value never fails the
/// whole response.
///
/// Integers beyond the range of `i64`/`u64` are kept as `serde_json` numbers (floating
/// point) and so re-encode in another spelling.
///
/// Returns `Ok(true)`, so a generated [`ODataObject::read_property`] arm is just this call
/// (no `?` per property: cheaper to compile).
pub fn read_lenient<'de, A, T>(
    map: &mut A,
    key: &str,
    slot: &mut Option<T>,
    extra: &mut Map<String, Value>,
) -> Result<bool, A::Error>
where
    A: MapAccess<'de>,
    T: DeserializeOwned,
{
    let value: Value = map.next_value()?;
    if value.is_null() {
        *slot = None;
        extra.insert(key.to_owned(), Value::Null);
        return Ok(true);
    }
    match T::deserialize(&value) {
        Ok(typed) => {
            *slot = Some(typed);
            extra.remove(key);
        }
        Err(_) => {
            *slot = None;
            extra.insert(key.to_owned(), value);
        }
    }
    Ok(true)
}

/// Reads the value of a structured or enumeration property: its shape must fit (a wrong
/// shape is an error naming the JSON path), and an explicit `null` is kept in `extra`, so
/// the object re-encodes it. Returns `Ok(true)`, like [`read_lenient`].
pub fn read_nullable<'de, A, T>(
    map: &mut A,
    key: &str,
    slot: &mut Option<T>,
    extra: &mut Map<String, Value>,
) -> Result<bool, A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    *slot = map.next_value()?;
    if slot.is_none() {
        extra.insert(key.to_owned(), Value::Null);
    } else {
        extra.remove(key);
    }
    Ok(true)
}

/// Clears declared property `name` of `object` and records an explicit JSON `null` for it in
/// its additional properties, so an update (`PATCH`) payload resets the property on the
/// service. This is what reading `"name": null` does, so it goes through
/// [`ODataObject::read_property`]: the generated `set_null` methods need no code per property.
/// A `name` that is not declared just gets the `null` entry.
pub fn set_null<T: ODataObject>(object: &mut T, name: &str) {
    // `null` fits every declared property (they are all `Option`s), so this cannot fail.
    if !matches!(object.read_property(name, &mut NullValue), Ok(true)) {
        object
            .additional_properties_mut()
            .insert(name.to_owned(), Value::Null);
    }
}

/// A map whose one value is JSON `null` (see [`set_null`]).
struct NullValue;

impl<'de> MapAccess<'de> for NullValue {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        _seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        seed.deserialize(Value::Null)
    }
}

/// Deserializes a JSON object into a generated struct.
pub fn deserialize_object<'de, T, D>(deserializer: D) -> Result<T, D::Error>
where
    T: ODataObject,
    D: Deserializer<'de>,
{
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: ODataObject> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut value = T::default();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            if !value.read_property(&key.0, &mut map)? {
                let v: Value = map.next_value()?;
                value
                    .additional_properties_mut()
                    .insert(key.0.into_owned(), v);
            }
        }
        Ok(value)
    }
}

/// An object key, borrowed from the input when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a property name")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

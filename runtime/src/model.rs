//! Serialization support for generated model structs.
//!
//! Generated structs keep undeclared properties and instance annotations in an
//! `additional_properties` map. [`ObjectSerializer`] writes the declared properties that are
//! set, then the additional ones, skipping any additional entry whose key names a declared
//! property that was written (the typed value wins). An additional entry `"name": null` for an
//! unset declared property is how an explicit JSON `null` is sent.

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::{Map, Value};

/// Writes one JSON object from declared properties plus additional properties.
pub struct ObjectSerializer<'a, M> {
    map: M,
    additional: &'a Map<String, Value>,
    written: Vec<&'static str>,
}

impl<'a, M: SerializeMap> ObjectSerializer<'a, M> {
    /// Starts the object.
    pub fn new<S>(serializer: S, additional: &'a Map<String, Value>) -> Result<Self, S::Error>
    where
        S: Serializer<SerializeMap = M, Error = M::Error>,
    {
        Ok(ObjectSerializer {
            map: serializer.serialize_map(None)?,
            additional,
            written: Vec::new(),
        })
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

    /// Writes the additional properties and closes the object.
    pub fn end(mut self) -> Result<M::Ok, M::Error> {
        for (key, value) in self.additional {
            if !self.written.contains(&key.as_str()) {
                self.map.serialize_entry(key, value)?;
            }
        }
        self.map.end()
    }
}

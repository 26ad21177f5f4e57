//! The shapes of collection answers: one [`Page`] of a collection, and a whole [`Delta`]
//! round. Re-exported from [`request`](crate::request).

use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

#[cfg(doc)]
use crate::request::Request;

/// A whole round of a delta query ([`Request::collect_delta`]): every item of every page
/// (changed, added, and removed ones, which carry `@removed`), and the link that asks for
/// the changes since.
#[derive(Clone, Debug, PartialEq)]
pub struct Delta<T> {
    /// The items of all pages, in order.
    pub items: Vec<T>,
    /// The last page's `@odata.deltaLink`: store it, and resume with
    /// [`Request::resume_delta`].
    pub delta_link: String,
}

/// One page of an OData collection response:
/// `{"@odata.context": .., "@odata.count": 3, "value": [..], "@odata.nextLink": ".."}`.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    /// The items of this page.
    pub value: Vec<T>,
    /// `@odata.nextLink`: the URL of the next page, if any.
    pub next_link: Option<String>,
    /// `@odata.deltaLink`: on the last page of a delta query, the URL for the next round.
    pub delta_link: Option<String>,
    /// `@odata.count`, when asked for with `$count=true`.
    pub count: Option<i64>,
    /// All other members (`@odata.context`, other annotations).
    pub additional: Map<String, Value>,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Page {
            value: Vec::new(),
            next_link: None,
            delta_link: None,
            count: None,
            additional: Map::new(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Page<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PageVisitor<T>(std::marker::PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for PageVisitor<T> {
            type Value = Page<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an OData collection response object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Page<T>, A::Error> {
                let mut page = Page::default();
                let mut saw_value = false;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "value" => {
                            page.value = map.next_value()?;
                            saw_value = true;
                        }
                        "@odata.nextLink" | "@nextLink" | "odata.nextLink" => {
                            page.next_link = map.next_value()?;
                        }
                        "@odata.deltaLink" | "@deltaLink" | "odata.deltaLink" => {
                            page.delta_link = map.next_value()?;
                        }
                        "@odata.count" | "@count" | "odata.count" => {
                            page.count = match map.next_value::<Value>()? {
                                Value::Number(n) => n.as_i64(),
                                // IEEE754Compatible=true sends numbers as strings.
                                Value::String(s) => s.trim().parse().ok(),
                                _ => None,
                            };
                        }
                        _ => {
                            let v: Value = map.next_value()?;
                            page.additional.insert(key, v);
                        }
                    }
                }
                if !saw_value {
                    return Err(serde::de::Error::missing_field("value"));
                }
                Ok(page)
            }
        }

        deserializer.deserialize_map(PageVisitor(std::marker::PhantomData))
    }
}

impl<T: Serialize> Serialize for Page<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        for (k, v) in &self.additional {
            map.serialize_entry(k, v)?;
        }
        if let Some(count) = self.count {
            map.serialize_entry("@odata.count", &count)?;
        }
        map.serialize_entry("value", &self.value)?;
        if let Some(link) = &self.next_link {
            map.serialize_entry("@odata.nextLink", link)?;
        }
        if let Some(link) = &self.delta_link {
            map.serialize_entry("@odata.deltaLink", link)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_deserializes() {
        let page: Page<u32> = serde_json::from_str(
            r#"{"@odata.context":"ctx","@odata.count":"3","value":[1,2],"@odata.nextLink":"n","x@odata.type":"t"}"#,
        )
        .unwrap();
        assert_eq!(page.value, vec![1, 2]);
        assert_eq!(page.next_link.as_deref(), Some("n"));
        assert_eq!(page.count, Some(3));
        assert_eq!(page.additional.len(), 2);
        let back = serde_json::to_value(&page).unwrap();
        assert_eq!(back["@odata.nextLink"], "n");

        let err = serde_json::from_str::<Page<u32>>(r#"{"value":[1,"x"]}"#).unwrap_err();
        assert!(err.to_string().contains("line 1 column"), "{err}");
        assert!(serde_json::from_str::<Page<u32>>(r#"{"a":1}"#).is_err());
    }
}

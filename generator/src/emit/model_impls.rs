//! The serialization and reading impls of a model struct, built as syntax trees.
//!
//! Every struct gets the same four impls (`Serialize`, an inherent one with `ODATA_TYPE` and
//! `serialize_with_type`, `Deserialize`, `ODataObject`); only their self type, the
//! `@odata.type` string and one statement or `match` arm per field differ. So each impl is a
//! template (parsed once per formatting thread, [`syntax::impl_for`]) and the per-field
//! statements and arms are built directly: the formatter never parses what grows with the
//! model (BENCHMARKS.md, "Syntax trees built, not parsed").

use proc_macro2::{Ident, Span};
use quote::quote;
use syn::{Attribute, Expr, Item, Stmt};

use super::ident;
use super::syntax::{self, path_of, path_type};
use crate::runtime_items::{self, RuntimeItem};

/// One declared field as the impls see it: its wire name, its Rust name, the runtime function
/// that reads it, and the feature gate of its field (if any).
pub(super) struct ImplField<'a> {
    pub(super) wire: &'a str,
    pub(super) ident: &'a str,
    pub(super) reader: RuntimeItem,
    pub(super) cfg: Option<Attribute>,
}

/// The impls of the struct `name`, in file order. `allow` (lints that fields left out by
/// features can trigger) goes on the inherent and the `ODataObject` impls.
pub(super) fn model_impls(
    name: &Ident,
    odata_type: &str,
    fields: &[ImplField<'_>],
    allow: Option<Attribute>,
) -> Vec<Item> {
    let self_ty = path_type(syn::Path::from(name.clone()));
    let serialize = syntax::impl_for("model serialize", self_ty.clone(), || {
        quote! {
            impl serde::Serialize for Model {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    self.serialize_with_type(serializer, None)
                }
            }
        }
    });
    let mut inherent = serialize_with_type(self_ty.clone(), fields.is_empty());
    set_const(&mut inherent, "ODATA_TYPE", syntax::lit_str(odata_type));
    let writes = fields.iter().map(write_statement);
    insert_before_last(fn_body(&mut inherent, "serialize_with_type"), writes);
    let [deserialize, mut reading] = reading_impls(name, fields, Keys::Exact);
    if let Some(allow) = allow {
        inherent.attrs.push(allow.clone());
        reading.attrs.push(allow);
    }
    vec![
        Item::Impl(serialize),
        Item::Impl(inherent),
        Item::Impl(deserialize),
        Item::Impl(reading),
    ]
}

/// `impl Name { ODATA_TYPE; serialize_with_type }` without the per-field writes. An empty
/// struct's serializer state is never written to, so its binding is not `mut`.
fn serialize_with_type(self_ty: syn::Type, empty: bool) -> syn::ItemImpl {
    let make = move || {
        let object_serializer = runtime_items::OBJECT_SERIALIZER.path();
        let mutability = if empty { quote!() } else { quote!(mut) };
        quote! {
            impl Model {
                /// The CSDL qualified name, as `@odata.type` spells it.
                pub const ODATA_TYPE: &'static str = "";

                /// Serializes with `"@odata.type": odata_type` first, unless
                /// `additional_properties` already has one (used for derived values).
                pub fn serialize_with_type<S: serde::Serializer>(
                    &self,
                    serializer: S,
                    odata_type: Option<&'static str>,
                ) -> Result<S::Ok, S::Error> {
                    let #mutability object = #object_serializer::with_type(
                        serializer,
                        &self.additional_properties,
                        odata_type,
                    )?;
                    object.end()
                }
            }
        }
    };
    if empty {
        syntax::impl_for("model serialize_with_type, no fields", self_ty, make)
    } else {
        syntax::impl_for("model serialize_with_type", self_ty, make)
    }
}

/// How `read_property` matches a member's name.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Keys {
    /// Exactly (a model's properties), the readers imported by name.
    Exact,
    /// Ignoring ASCII case (an action's parameters, whose members services spell either
    /// way), the readers by their full paths.
    IgnoreAsciiCase,
}

/// `Deserialize` and `ODataObject` of the struct `name` with an `additional_properties`
/// map: one reader call per field in `read_property`, unknown members left to the runtime,
/// which keeps them.
pub(super) fn reading_impls(
    name: &Ident,
    fields: &[ImplField<'_>],
    keys: Keys,
) -> [syn::ItemImpl; 2] {
    let self_ty = path_type(syn::Path::from(name.clone()));
    let deserialize = syntax::impl_for("model deserialize", self_ty.clone(), || {
        let deserialize_object = runtime_items::DESERIALIZE_OBJECT.path();
        quote! {
            impl<'de> serde::Deserialize<'de> for Model {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    #deserialize_object(deserializer)
                }
            }
        }
    });
    let mut reading = read_property(self_ty, fields, keys);
    if !fields.is_empty() {
        let arms = fields.iter().map(|f| read_arm(f, keys));
        let body = fn_body(&mut reading, "read_property");
        match body.last_mut() {
            Some(Stmt::Expr(Expr::Match(m), None)) => {
                let wildcard = m.arms.pop().expect("the template ends with `_ =>`");
                m.arms.extend(arms);
                m.arms.push(wildcard);
            }
            _ => panic!("read_property ends with its `match`"),
        }
    }
    [deserialize, reading]
}

/// `impl ODataObject for Name` with an empty `match` (only `_ => Ok(false)`): which readers
/// it imports depends on the fields' kinds, so there is one template per combination.
fn read_property(self_ty: syn::Type, fields: &[ImplField<'_>], keys: Keys) -> syn::ItemImpl {
    let uses = |reader: RuntimeItem| fields.iter().any(|f| f.reader == reader);
    let readers: Vec<RuntimeItem> = [runtime_items::READ_LENIENT, runtime_items::READ_NULLABLE]
        .into_iter()
        .filter(|r| uses(*r))
        .collect();
    // A template's name must identify its code: one per key matching and set of imports.
    let name = match (
        uses(runtime_items::READ_LENIENT),
        uses(runtime_items::READ_NULLABLE),
    ) {
        _ if keys == Keys::IgnoreAsciiCase && !fields.is_empty() => "model read_property, any case",
        (false, false) => "model read_property, no fields",
        (true, false) => "model read_property, lenient",
        (false, true) => "model read_property, nullable",
        (true, true) => "model read_property, lenient and nullable",
    };
    let empty = fields.is_empty();
    syntax::impl_for(name, self_ty, move || {
        let odata_object = runtime_items::ODATA_OBJECT.path();
        // Empty structs touch neither the key nor the map.
        let (key, map, body) = if empty {
            (quote!(_key), quote!(_map), quote!(Ok(false)))
        } else {
            let import = match keys {
                Keys::Exact => runtime_items::import_group(runtime_items::crate_root(), &readers),
                Keys::IgnoreAsciiCase => quote!(),
            };
            // Each arm is the reader's `Result` itself: no `?` per property (each costs
            // the type checker and the borrow checker a little; there are tens of
            // thousands).
            let body = quote! {
                #import
                let extra = &mut self.additional_properties;
                match key {
                    _ => Ok(false),
                }
            };
            (quote!(key), quote!(map), body)
        };
        quote! {
            impl #odata_object for Model {
                fn read_property<'de, A: serde::de::MapAccess<'de>>(
                    &mut self,
                    #key: &str,
                    #map: &mut A,
                ) -> Result<bool, A::Error> {
                    #body
                }

                fn additional_properties_mut(&mut self) -> &mut serde_json::Map<String, serde_json::Value> {
                    &mut self.additional_properties
                }
            }
        }
    })
}

/// `#[cfg(..)] object.property("wire", &self.field);`
fn write_statement(f: &ImplField<'_>) -> Stmt {
    let mut call = syntax::method_call(
        local("object"),
        "property",
        [syntax::lit_str(f.wire), self_field(f.ident, false)],
    );
    if let (Some(cfg), Expr::MethodCall(m)) = (&f.cfg, &mut call) {
        m.attrs.push(cfg.clone());
    }
    Stmt::Expr(call, Some(Default::default()))
}

/// `#[cfg(..)] "wire" => reader(map, key, &mut self.field, extra),`, or with
/// [`Keys::IgnoreAsciiCase`] `key if key.eq_ignore_ascii_case("wire") => path::to::reader(...),`.
fn read_arm(f: &ImplField<'_>, keys: Keys) -> syn::Arm {
    let args = [
        local("map"),
        local("key"),
        self_field(f.ident, true),
        local("extra"),
    ];
    let (pat, reader) = match keys {
        Keys::Exact => (syntax::lit_pat(f.wire), path_of(&[f.reader.name_text()])),
        Keys::IgnoreAsciiCase => (syntax::ident_pat("key"), f.reader.syn_path()),
    };
    let mut arm = syntax::arm(
        f.cfg.iter().cloned().collect(),
        pat,
        syntax::call(reader, args),
    );
    if keys == Keys::IgnoreAsciiCase {
        let test = syntax::method_call(
            local("key"),
            "eq_ignore_ascii_case",
            [syntax::lit_str(f.wire)],
        );
        arm.guard = Some((Default::default(), Box::new(test)));
    }
    arm
}

/// `&self.name` or `&mut self.name`.
fn self_field(name: &str, mutable: bool) -> Expr {
    let field = Expr::Field(syn::ExprField {
        attrs: Vec::new(),
        base: Box::new(local("self")),
        dot_token: Default::default(),
        member: syn::Member::Named(ident(name)),
    });
    Expr::Reference(syn::ExprReference {
        attrs: Vec::new(),
        and_token: Default::default(),
        mutability: mutable.then(Default::default),
        expr: Box::new(field),
    })
}

/// A local variable (or `self`) as an expression.
fn local(name: &str) -> Expr {
    syntax::path_expr(syn::Path::from(Ident::new(name, Span::call_site())))
}

/// The statements of the template's function `name`.
fn fn_body<'i>(item: &'i mut syn::ItemImpl, name: &str) -> &'i mut Vec<Stmt> {
    item.items
        .iter_mut()
        .find_map(|i| match i {
            syn::ImplItem::Fn(f) if f.sig.ident == name => Some(&mut f.block.stmts),
            _ => None,
        })
        .unwrap_or_else(|| panic!("template has a function `{name}`"))
}

/// Sets the value of the template's associated constant `name`.
fn set_const(item: &mut syn::ItemImpl, name: &str, value: Expr) {
    let constant = item.items.iter_mut().find_map(|i| match i {
        syn::ImplItem::Const(c) if c.ident == name => Some(c),
        _ => None,
    });
    constant
        .unwrap_or_else(|| panic!("template has a constant `{name}`"))
        .expr = value;
}

/// Inserts `stmts` before the last statement (the function's result).
fn insert_before_last(body: &mut Vec<Stmt>, stmts: impl IntoIterator<Item = Stmt>) {
    let last = body.pop().expect("the template function has a result");
    body.extend(stmts);
    body.push(last);
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;
    use crate::emit::syntax::tests::assert_prints_like;

    fn name(s: &str) -> Ident {
        Ident::new(s, Span::call_site())
    }

    #[test]
    fn impls_print_as_the_token_version_did() {
        let fields = [
            ImplField {
                wire: "displayName",
                ident: "display_name",
                reader: runtime_items::READ_LENIENT,
                cfg: syntax::cfg(Some("users")),
            },
            ImplField {
                wire: "type",
                ident: "type",
                reader: runtime_items::READ_NULLABLE,
                cfg: None,
            },
        ];
        let allow = syntax::list_attr("allow", quote!(unused_mut));
        let built = model_impls(&name("Thing"), "#ns.thing", &fields, Some(allow));
        assert_prints_like(
            built,
            quote! {
                impl serde::Serialize for Thing {
                    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        self.serialize_with_type(serializer, None)
                    }
                }
                #[allow(unused_mut)]
                impl Thing {
                    /// The CSDL qualified name, as `@odata.type` spells it.
                    pub const ODATA_TYPE: &'static str = "#ns.thing";
                    /// Serializes with `"@odata.type": odata_type` first, unless
                    /// `additional_properties` already has one (used for derived values).
                    pub fn serialize_with_type<S: serde::Serializer>(
                        &self,
                        serializer: S,
                        odata_type: Option<&'static str>,
                    ) -> Result<S::Ok, S::Error> {
                        let mut object = graph_odata_runtime::model::ObjectSerializer::with_type(
                            serializer,
                            &self.additional_properties,
                            odata_type,
                        )?;
                        #[cfg(feature = "users")]
                        object.property("displayName", &self.display_name);
                        object.property("type", &self.r#type);
                        object.end()
                    }
                }
                impl<'de> serde::Deserialize<'de> for Thing {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        graph_odata_runtime::model::deserialize_object(deserializer)
                    }
                }
                #[allow(unused_mut)]
                impl graph_odata_runtime::model::ODataObject for Thing {
                    fn read_property<'de, A: serde::de::MapAccess<'de>>(
                        &mut self,
                        key: &str,
                        map: &mut A,
                    ) -> Result<bool, A::Error> {
                        use graph_odata_runtime::model::{read_lenient, read_nullable};
                        let extra = &mut self.additional_properties;
                        match key {
                            #[cfg(feature = "users")]
                            "displayName" => read_lenient(map, key, &mut self.display_name, extra),
                            "type" => read_nullable(map, key, &mut self.r#type, extra),
                            _ => Ok(false),
                        }
                    }
                    fn additional_properties_mut(&mut self) -> &mut serde_json::Map<String, serde_json::Value> {
                        &mut self.additional_properties
                    }
                }
            },
        );
    }

    #[test]
    fn parameters_match_keys_in_any_case_and_models_keep_their_imports() {
        let fields = [
            ImplField {
                wire: "saveToSentItems",
                ident: "save_to_sent_items",
                reader: runtime_items::READ_LENIENT,
                cfg: None,
            },
            ImplField {
                wire: "message",
                ident: "message",
                reader: runtime_items::READ_NULLABLE,
                cfg: None,
            },
        ];
        // Both kinds in one thread: each must get its own template.
        for keys in [Keys::IgnoreAsciiCase, Keys::Exact] {
            let [_, reading] = reading_impls(&name("SendMail"), &fields, keys);
            let text = prettyplease::unparse(&syn::File {
                shebang: None,
                attrs: Vec::new(),
                items: vec![Item::Impl(reading)],
            });
            let any_case = r#"key if key.eq_ignore_ascii_case("saveToSentItems") => {"#;
            let import = "use graph_odata_runtime::model::{read_lenient, read_nullable};";
            match keys {
                Keys::IgnoreAsciiCase => {
                    assert!(text.contains(any_case), "{text}");
                    assert!(
                        text.contains("graph_odata_runtime::model::read_nullable("),
                        "{text}"
                    );
                    assert!(!text.contains(import), "{text}");
                }
                Keys::Exact => {
                    assert!(text.contains(import), "{text}");
                    assert!(
                        text.contains(
                            r#""message" => read_nullable(map, key, &mut self.message, extra),"#
                        ),
                        "{text}"
                    );
                    assert!(!text.contains("eq_ignore_ascii_case"), "{text}");
                }
            }
        }
    }

    #[test]
    fn an_empty_struct_reads_and_writes_nothing() {
        let built = model_impls(&name("Empty"), "#ns.empty", &[], None);
        let text = prettyplease::unparse(&syn::File {
            shebang: None,
            attrs: Vec::new(),
            items: built,
        });
        assert!(text.contains("let object = "), "{text}");
        assert!(text.contains("_key: &str"), "{text}");
        assert!(!text.contains("match key"), "{text}");
        assert!(!text.contains("allow"), "{text}");
    }
}

//! Overrides: data (TOML) that patches known gaps in the metadata before selection.
//!
//! Each entry carries a `reason`. Additive entries are idempotent: when the metadata
//! already has the element, the entry is skipped and reported, so one override file can
//! serve several metadata versions.

use std::path::Path;

use serde::Deserialize;

use crate::error::{did_you_mean, Error, ErrorKind, Pos, Result};
use crate::model::{
    Annotations, Model, Navigation, Structured, Target, Type, TypeId, TypeKind, TypeRef,
};

/// The parsed override file.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Overrides {
    /// Entity types missing from the metadata.
    #[serde(default)]
    pub add_entity_type: Vec<AddEntityType>,
    /// Navigation properties missing from the metadata.
    #[serde(default)]
    pub add_navigation: Vec<AddNavigation>,
    /// HTTP method for updates of a type (`Capabilities.UpdateRestrictions/UpdateMethod`).
    #[serde(default)]
    pub update_method: Vec<UpdateMethod>,
    /// CSDL documents whose types the other entries use (read before the input resolves).
    #[serde(default)]
    pub add_schema: Vec<AddSchema>,
    /// Requests the metadata does not describe.
    #[serde(default)]
    pub add_operation: Vec<AddOperation>,
    /// Entities addressed by a path below another entity (`root:/folder/file.txt:`).
    #[serde(default)]
    pub path_address: Vec<PathAddressEntry>,
}

/// Adds path addressing to an entity type: a method of its item builder that opens the
/// same builder at `<entity URL>:/<path>:` (OneDrive's `/drives/{id}/root:/a/b.txt:`), from
/// which every request of the entity continues (`:/content`, `:/children`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PathAddressEntry {
    /// Qualified entity type that has it (its derived types too).
    pub binding: String,
    /// The client method's name.
    pub name: String,
    /// Why the metadata needs this.
    pub reason: String,
}

/// Adds the types of a CSDL document (generated only when something selected uses them).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AddSchema {
    /// The document, relative to the override file.
    pub file: String,
    /// Why the metadata needs this.
    pub reason: String,
}

/// Adds a request on an entity type's URL (or, with `Collection(...)`, on the URL of a
/// collection of it).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AddOperation {
    /// Qualified entity type the request is sent to; `Collection(ns.type)` for the URL of a
    /// collection of that type.
    pub binding: String,
    /// The client method's name.
    pub name: String,
    /// A segment after the entity's URL, if any.
    pub segment: Option<String>,
    /// HTTP method.
    pub method: String,
    /// Request content type (default `application/json`).
    pub content_type: Option<String>,
    /// Qualified type of the request body, if any; `Edm.Stream` for raw bytes the caller
    /// gives, sent with `content_type` (a MIME message as `text/plain`).
    pub body: Option<String>,
    /// Qualified type of the response body, if any; `Edm.Stream` for raw content.
    pub response: Option<String>,
    /// The documented success status.
    pub status: u16,
    /// Why the metadata needs this.
    pub reason: String,
}

/// The built-in documents that the built-in Graph fixes add (`add_schema`), by file name.
const GRAPH_SCHEMAS: &[(&str, &str)] =
    &[("scim.csdl.xml", include_str!("../overrides/scim.csdl.xml"))];

/// Adds an entity type (without properties beyond those inherited).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AddEntityType {
    /// Qualified name.
    pub name: String,
    /// Qualified base type.
    pub base: Option<String>,
    /// Media entity.
    #[serde(default)]
    pub has_stream: bool,
    /// Why the metadata needs this.
    pub reason: String,
}

/// Adds a navigation property.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AddNavigation {
    /// Qualified name of the declaring type.
    pub owner: String,
    /// Property name.
    pub name: String,
    /// Qualified target type, `Collection(...)` allowed.
    #[serde(rename = "type")]
    pub type_name: String,
    /// `ContainsTarget`.
    #[serde(default)]
    pub contains_target: bool,
    /// Why the metadata needs this.
    pub reason: String,
}

/// Sets the update method of a type.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct UpdateMethod {
    /// Qualified type name.
    pub target: String,
    /// `PUT` or `PATCH`.
    pub method: String,
    /// Why the metadata needs this.
    pub reason: String,
}

/// The known fixes of Microsoft Graph's metadata, shipped with the generator and applied by
/// default to Graph metadata (see [`Overrides::graph`]).
const GRAPH_FIXES: &str = include_str!("../overrides/graph.toml");

impl Overrides {
    /// The built-in fixes for Microsoft Graph metadata.
    pub fn graph() -> Overrides {
        // The file is part of the generator and parsed by a test; it cannot fail here.
        Overrides::parse(GRAPH_FIXES).unwrap_or_default()
    }

    /// The documents this file's `add_schema` entries name, read: built-in ones from the
    /// generator, others relative to `dir` (the override file's folder).
    pub fn schemas(&self, dir: Option<&Path>) -> Result<Vec<crate::csdl::LoadedDocument>> {
        let mut out = Vec::new();
        for add in &self.add_schema {
            let (document, path) = match dir {
                Some(dir) => {
                    let path = dir.join(&add.file);
                    (crate::csdl::read_file(&path)?, Some(path))
                }
                None => {
                    let text = GRAPH_SCHEMAS
                        .iter()
                        .find(|(name, _)| *name == add.file)
                        .map(|(_, text)| *text)
                        .ok_or_else(|| {
                            config(format!("no built-in schema `{}`", add.file), &add.file)
                        })?;
                    (crate::csdl::parse_document(text)?, None)
                }
            };
            out.push(crate::csdl::LoadedDocument {
                document,
                label: path.as_ref().map_or_else(
                    || format!("built-in {}", add.file),
                    |p| p.display().to_string(),
                ),
                path,
                external: true,
                ..crate::csdl::LoadedDocument::default()
            });
        }
        Ok(out)
    }

    /// Reads an override file.
    pub fn read(path: &Path) -> Result<Overrides> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, &e))?;
        Overrides::parse(&text).map_err(|e| e.in_file(path))
    }

    /// Parses override TOML.
    pub fn parse(text: &str) -> Result<Overrides> {
        toml::from_str(text).map_err(|e| {
            let mut err = Error::new(
                ErrorKind::Config,
                format!("invalid override file: {}", e.message()),
            );
            if let Some(span) = e.span() {
                err = err.at(Pos::of_offset(text, span.start));
            }
            err
        })
    }

    /// Every type name the entries mention (owners, targets, bindings, bodies, bases), as
    /// written: what a lazily resolved model fills before the entries apply
    /// ([`Model::fill_named`]), so an entry finds its type's members.
    pub fn type_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for add in &self.add_entity_type {
            names.extend(add.base.as_deref());
        }
        for add in &self.add_navigation {
            names.extend([add.owner.as_str(), add.type_name.as_str()]);
        }
        names.extend(self.update_method.iter().map(|u| u.target.as_str()));
        for add in &self.add_operation {
            names.push(&add.binding);
            names.extend(add.body.iter().chain(&add.response).map(String::as_str));
        }
        names.extend(self.path_address.iter().map(|p| p.binding.as_str()));
        names
    }

    /// Applies the overrides to `model`; returns one line per entry saying what happened.
    /// An entry whose target is not in the model is an error.
    pub fn apply(&self, model: &mut Model) -> Result<Vec<String>> {
        self.apply_with(model, false)
    }

    /// Applies the overrides whose targets the model has and skips (and reports) the
    /// others: for built-in fixes applied to any subset of a metadata file.
    pub fn apply_where_present(&self, model: &mut Model) -> Result<Vec<String>> {
        self.apply_with(model, true)
    }

    fn apply_with(&self, model: &mut Model, skip_missing: bool) -> Result<Vec<String>> {
        let mut report = Vec::new();
        let present = |model: &Model, name: &str| {
            let (_, inner) = split_collection(name);
            model
                .find_type(inner.split('/').next().unwrap_or(inner))
                .is_some()
        };
        for add in &self.add_entity_type {
            if skip_missing && add.base.as_deref().is_some_and(|b| !present(model, b)) {
                report.push(format!(
                    "add_entity_type {}: base type not in this metadata, skipped",
                    add.name
                ));
                continue;
            }
            if model.find_type(&add.name).is_some() {
                report.push(format!(
                    "add_entity_type {}: already defined, skipped",
                    add.name
                ));
                continue;
            }
            let (namespace, name) = add.name.rsplit_once('.').ok_or_else(|| {
                config(
                    format!("override type name `{}` is not qualified", add.name),
                    &add.name,
                )
            })?;
            let base = match &add.base {
                Some(b) => Some(entity(model, b)?),
                None => None,
            };
            model.types.push(Type {
                namespace: namespace.to_string(),
                name: name.to_string(),
                pos: Pos::default(),
                kind: TypeKind::Entity(Structured {
                    base,
                    has_stream: add.has_stream,
                    ..Structured::default()
                }),
                annotations: Annotations::default(),
                external: false,
            });
            let id = TypeId(model.types.len() - 1);
            if let Some(base) = base {
                if let TypeKind::Entity(s) = &mut model.types[base.0].kind {
                    s.derived.push(id);
                }
            }
            report.push(format!(
                "add_entity_type {}: added ({})",
                add.name, add.reason
            ));
        }
        for add in &self.add_navigation {
            if skip_missing && !(present(model, &add.owner) && present(model, &add.type_name)) {
                report.push(format!(
                    "add_navigation {}/{}: not in this metadata, skipped",
                    add.owner, add.name
                ));
                continue;
            }
            let owner = entity(model, &add.owner)?;
            if model
                .all_navigations(owner)
                .iter()
                .any(|(_, n)| n.name == add.name)
            {
                report.push(format!(
                    "add_navigation {}/{}: already defined, skipped",
                    add.owner, add.name
                ));
                continue;
            }
            let (collection, inner) = split_collection(&add.type_name);
            let target = entity(model, inner)?;
            if let TypeKind::Entity(s) = &mut model.types[owner.0].kind {
                s.navigations.push(Navigation {
                    name: add.name.clone(),
                    pos: Pos::default(),
                    ty: TypeRef {
                        collection,
                        target: Target::Type(target),
                    },
                    nullable: true,
                    contains_target: add.contains_target,
                    partner: None,
                    annotations: Annotations::default(),
                });
            }
            report.push(format!(
                "add_navigation {}/{}: added ({})",
                add.owner, add.name, add.reason
            ));
        }
        for u in &self.update_method {
            if skip_missing && !present(model, &u.target) {
                report.push(format!(
                    "update_method {}: not in this metadata, skipped",
                    u.target
                ));
                continue;
            }
            let method = u.method.to_uppercase();
            if method != "PUT" && method != "PATCH" {
                return Err(config(
                    format!("update method `{}` must be PUT or PATCH", u.method),
                    &u.target,
                ));
            }
            // `type` or `type/property`.
            let (type_name, property) = match u.target.split_once('/') {
                Some((t, p)) => (t, Some(p)),
                None => (u.target.as_str(), None),
            };
            let missing = || {
                config(
                    format!("override target `{}` is not defined", u.target),
                    &u.target,
                )
            };
            let id = model.find_type(type_name).ok_or_else(missing)?;
            let annotations = match (property, &mut model.types[id.0].kind) {
                (None, _) => &mut model.types[id.0].annotations,
                (Some(p), TypeKind::Entity(s) | TypeKind::Complex(s)) => {
                    &mut s
                        .properties
                        .iter_mut()
                        .find(|x| x.name == p)
                        .ok_or_else(missing)?
                        .annotations
                }
                (Some(_), _) => return Err(missing()),
            };
            if annotations.update_method.as_deref() == Some(method.as_str()) {
                report.push(format!(
                    "update_method {}: already {method}, skipped",
                    u.target
                ));
            } else {
                annotations.update_method = Some(method.clone());
                report.push(format!(
                    "update_method {}: {method} ({})",
                    u.target, u.reason
                ));
            }
        }
        for add in &self.add_operation {
            if skip_missing && !present(model, &add.binding) {
                report.push(format!(
                    "add_operation {}/{}: not in this metadata, skipped",
                    add.binding, add.name
                ));
                continue;
            }
            let (collection, binding_name) = split_collection(&add.binding);
            let binding = entity(model, binding_name)?;
            if !matches!(
                add.method.to_uppercase().as_str(),
                "GET" | "POST" | "PUT" | "PATCH" | "DELETE"
            ) {
                return Err(config(
                    format!(
                        "method `{}` must be GET, POST, PUT, PATCH or DELETE",
                        add.method
                    ),
                    &add.name,
                ));
            }
            let type_of = |name: &Option<String>| -> Result<Option<TypeRef>> {
                name.as_ref().map(|n| body_type(model, n)).transpose()
            };
            let exists = model.http_operations.iter().any(|o| {
                o.binding == binding
                    && o.collection == collection
                    && o.name == add.name
                    && o.method == add.method.to_uppercase()
            });
            if exists {
                report.push(format!(
                    "add_operation {}/{}: already defined, skipped",
                    add.binding, add.name
                ));
                continue;
            }
            let operation = crate::model::HttpOperation {
                binding,
                collection,
                name: add.name.clone(),
                segment: add.segment.clone(),
                method: add.method.to_uppercase(),
                content_type: add
                    .content_type
                    .clone()
                    .unwrap_or_else(|| "application/json".into()),
                body: type_of(&add.body)?,
                response: type_of(&add.response)?,
                status: add.status,
                reason: add.reason.clone(),
                annotations: Default::default(),
            };
            model.http_operations.push(operation);
            report.push(format!(
                "add_operation {}/{}: {} ({})",
                add.binding, add.name, add.method, add.reason
            ));
        }
        for add in &self.path_address {
            if skip_missing && !present(model, &add.binding) {
                report.push(format!(
                    "path_address {}/{}: not in this metadata, skipped",
                    add.binding, add.name
                ));
                continue;
            }
            let binding = entity(model, &add.binding)?;
            let exists = model
                .path_addresses
                .iter()
                .any(|p| p.binding == binding && p.name == add.name);
            if exists {
                report.push(format!(
                    "path_address {}/{}: already defined, skipped",
                    add.binding, add.name
                ));
                continue;
            }
            model.path_addresses.push(crate::model::PathAddress {
                binding,
                name: add.name.clone(),
                reason: add.reason.clone(),
            });
            report.push(format!(
                "path_address {}/{}: added ({})",
                add.binding, add.name, add.reason
            ));
        }
        for add in &self.add_schema {
            // Read with the input, before it resolved; reported here with the rest.
            report.push(format!("add_schema {}: read ({})", add.file, add.reason));
        }
        Ok(report)
    }
}

/// `Collection(ns.x)` → `(true, "ns.x")`, `ns.x` → `(false, "ns.x")`.
fn split_collection(name: &str) -> (bool, &str) {
    match name
        .strip_prefix("Collection(")
        .and_then(|t| t.strip_suffix(')'))
    {
        Some(inner) => (true, inner),
        None => (false, name),
    }
}

fn config(message: String, name: &str) -> Error {
    Error::new(ErrorKind::Config, message).named(name)
}

fn entity(model: &Model, name: &str) -> Result<TypeId> {
    let entities = || {
        model
            .types
            .iter()
            .filter(|t| t.is_entity())
            .map(|t| t.qualified_name())
            .collect::<Vec<_>>()
    };
    match model.find_type(name) {
        Some(id) if model.ty(id).is_entity() => Ok(id),
        Some(_) => Err(config(
            format!(
                "override: `{name}` is not an entity type{}",
                did_you_mean(name, entities().iter().map(String::as_str))
            ),
            name,
        )),
        None => Err(config(
            format!(
                "override: type `{name}` is not defined{}",
                did_you_mean(name, entities().iter().map(String::as_str))
            ),
            name,
        )),
    }
}

/// The type of a request or response body an override names: a qualified type,
/// `Collection(...)` of one, or `Edm.Stream` (raw content).
fn body_type(model: &Model, name: &str) -> Result<TypeRef> {
    let (collection, inner) = split_collection(name);
    if let Some(primitive) = inner.strip_prefix("Edm.") {
        return match crate::model::Primitive::from_edm(primitive) {
            Some(p @ crate::model::Primitive::Stream) if !collection => Ok(TypeRef::primitive(p)),
            _ => Err(config(
                format!(
                    "override body type `{name}`: of the EDM types only `Edm.Stream` (raw content) is a body here, not `{primitive}`"
                ),
                name,
            )),
        };
    }
    let id = model.find_type(inner).ok_or_else(|| {
        let names: Vec<String> = model.types.iter().map(|t| t.qualified_name()).collect();
        config(
            format!(
                "override type `{name}` is not defined{}",
                did_you_mean(inner, names.iter().map(String::as_str))
            ),
            name,
        )
    })?;
    Ok(TypeRef {
        collection,
        target: Target::Type(id),
    })
}

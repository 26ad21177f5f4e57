//! Stage 2: the resolved model. Every type reference points at a [`TypeId`] or a
//! [`Primitive`], aliases are gone, base types are checked for cycles, and annotations from
//! `<Annotations Target>` blocks are attached to their subjects.

mod annotations;
mod resolve;

// `AlternateKey` is named only by the tests (feature `internals`).
#[allow(unused_imports)]
pub use annotations::{
    AlternateKey, AnnotationData, Annotations, RequestDoc, RequestFacts, Revision,
};
pub use resolve::{resolve, resolve_all, resolve_lazy};

use rustc_hash::FxHashMap;

use crate::csdl::OperationKind;
use crate::error::{Pos, Warning};

/// Index of a type in [`Model::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// Index of an operation (one overload) in [`Model::operations`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OperationId(pub usize);

/// EDM primitive types.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Primitive {
    String,
    Boolean,
    Byte,
    SByte,
    Int16,
    Int32,
    Int64,
    Single,
    Double,
    Decimal,
    Guid,
    Date,
    TimeOfDay,
    DateTimeOffset,
    Duration,
    Binary,
    Stream,
    Untyped,
    /// `Edm.Geography*` / `Edm.Geometry*`: kept as GeoJSON values.
    Spatial(String),
    /// Abstract EDM types (`Edm.PrimitiveType`, `Edm.ComplexType`, `Edm.EntityType`, paths...).
    Abstract(String),
}

impl Primitive {
    /// Maps an `Edm.*` name (without the `Edm.` prefix) to a primitive.
    pub fn from_edm(name: &str) -> Option<Primitive> {
        Some(match name {
            "String" => Primitive::String,
            "Boolean" => Primitive::Boolean,
            "Byte" => Primitive::Byte,
            "SByte" => Primitive::SByte,
            "Int16" => Primitive::Int16,
            "Int32" => Primitive::Int32,
            "Int64" => Primitive::Int64,
            "Single" => Primitive::Single,
            "Double" => Primitive::Double,
            "Decimal" => Primitive::Decimal,
            "Guid" => Primitive::Guid,
            "Date" => Primitive::Date,
            "TimeOfDay" => Primitive::TimeOfDay,
            "DateTimeOffset" => Primitive::DateTimeOffset,
            "Duration" => Primitive::Duration,
            "Binary" => Primitive::Binary,
            "Stream" => Primitive::Stream,
            "Untyped" => Primitive::Untyped,
            s if s.starts_with("Geography") || s.starts_with("Geometry") => {
                Primitive::Spatial(s.to_string())
            }
            "PrimitiveType"
            | "ComplexType"
            | "EntityType"
            | "AnnotationPath"
            | "PropertyPath"
            | "NavigationPropertyPath"
            | "AnyPropertyPath"
            | "ModelElementPath" => Primitive::Abstract(name.to_string()),
            _ => return None,
        })
    }

    /// The CSDL spelling, `Edm.` included.
    pub fn edm_name(&self) -> String {
        let name = match self {
            Primitive::Spatial(s) | Primitive::Abstract(s) => s.as_str(),
            Primitive::String => "String",
            Primitive::Boolean => "Boolean",
            Primitive::Byte => "Byte",
            Primitive::SByte => "SByte",
            Primitive::Int16 => "Int16",
            Primitive::Int32 => "Int32",
            Primitive::Int64 => "Int64",
            Primitive::Single => "Single",
            Primitive::Double => "Double",
            Primitive::Decimal => "Decimal",
            Primitive::Guid => "Guid",
            Primitive::Date => "Date",
            Primitive::TimeOfDay => "TimeOfDay",
            Primitive::DateTimeOffset => "DateTimeOffset",
            Primitive::Duration => "Duration",
            Primitive::Binary => "Binary",
            Primitive::Stream => "Stream",
            Primitive::Untyped => "Untyped",
        };
        ["Edm.", name].concat()
    }
}

/// `namespace.name`.
pub(crate) fn qualify(namespace: &str, name: &str) -> String {
    [namespace, ".", name].concat()
}

/// What a type reference points at.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    Primitive(Primitive),
    Type(TypeId),
}

/// A resolved type reference, `Collection(...)` or single.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TypeRef {
    pub collection: bool,
    pub target: Target,
}

impl TypeRef {
    /// A single value of primitive type `p`.
    pub fn primitive(p: Primitive) -> TypeRef {
        TypeRef {
            collection: false,
            target: Target::Primitive(p),
        }
    }

    /// The named type this refers to, if it is not a primitive.
    pub fn type_id(&self) -> Option<TypeId> {
        match self.target {
            Target::Type(id) => Some(id),
            Target::Primitive(_) => None,
        }
    }
}

/// A resolved document.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// Schemas in document order: `(namespace, alias)`.
    pub namespaces: Vec<(String, Option<String>)>,
    pub types: Vec<Type>,
    pub operations: Vec<Operation>,
    pub containers: Vec<Container>,
    /// Vocabulary terms the documents define.
    pub terms: Vec<Term>,
    /// Requests the metadata does not describe, added by an override file.
    pub http_operations: Vec<HttpOperation>,
    /// Entities addressed by a path below another entity, added by an override file.
    pub path_addresses: Vec<PathAddress>,
    /// Problems that do not stop generation (annotation targets that point nowhere, ...).
    pub warnings: Vec<Warning>,
    /// Whether the main document is Microsoft Graph's ([`crate::csdl::Document::is_graph`]):
    /// the client follows Graph's URL conventions where OData leaves a choice.
    pub graph: bool,
    /// What a model from [`resolve_lazy`] keeps to resolve the members of more types
    /// ([`Model::fill`]); `None` for a model resolved whole, and once released.
    pending: Option<Box<resolve::Pending>>,
}

/// A request on an entity that the metadata does not describe (not an OData action or
/// function): added by an override file, with its HTTP method, content type, body and
/// response types, and success status.
#[derive(Debug, Clone)]
pub struct HttpOperation {
    /// The entity type whose URL it is sent to.
    pub binding: TypeId,
    /// Sent to the URL of a collection of `binding` (`POST /me/messages`), not of one entity.
    pub collection: bool,
    /// The client method's name (CSDL-style; the plan makes it snake case).
    pub name: String,
    /// A segment appended to the entity's URL, if any.
    pub segment: Option<String>,
    /// `POST`, `PUT`, `PATCH`, ...
    pub method: String,
    /// The request body's content type.
    pub content_type: String,
    /// The request body's type; `Edm.Stream`: raw bytes the caller gives, sent with
    /// `content_type`.
    pub body: Option<TypeRef>,
    /// The response body's type (none: the body is ignored; `Edm.Stream`: raw content).
    pub response: Option<TypeRef>,
    /// The documented success status.
    pub status: u16,
    /// Why the override adds it.
    pub reason: String,
    /// Its docs (from a docs overlay).
    pub annotations: Annotations,
}

/// An entity addressed by a path below another entity of the same type, beside its key
/// (OneDrive: `/drives/{id}/root:/folder/file.txt:`): added by an override file, rendered
/// as a method of the item builder that opens the same builder at `<entity URL>:/<path>:`.
#[derive(Debug, Clone)]
pub struct PathAddress {
    /// The entity type (and its derived types) that has the addressing.
    pub binding: TypeId,
    /// The client method's name (the plan makes it snake case).
    pub name: String,
    /// Why the override adds it.
    pub reason: String,
}

/// A vocabulary term definition (kept for reports; no code is generated for terms).
#[derive(Debug, Clone)]
pub struct Term {
    pub namespace: String,
    pub name: String,
    pub pos: Pos,
    /// The term's type, with aliases resolved (`Collection(Org.OData.Core.V1.Tag)`).
    pub type_name: String,
    /// `AppliesTo`, as written.
    pub applies_to: Option<String>,
    /// Declared in a referenced document.
    pub external: bool,
}

impl Term {
    /// `namespace.name`.
    pub fn qualified_name(&self) -> String {
        qualify(&self.namespace, &self.name)
    }
}

/// A named type.
#[derive(Debug, Clone)]
pub struct Type {
    pub namespace: String,
    pub name: String,
    pub pos: Pos,
    pub kind: TypeKind,
    pub annotations: Annotations,
    /// Declared in a referenced document (generated only when something selected uses it).
    pub external: bool,
}

impl Type {
    /// `namespace.name`.
    pub fn qualified_name(&self) -> String {
        qualify(&self.namespace, &self.name)
    }

    /// The structure of an entity or complex type.
    pub fn structured(&self) -> Option<&Structured> {
        match &self.kind {
            TypeKind::Entity(s) | TypeKind::Complex(s) => Some(s),
            _ => None,
        }
    }

    /// Whether this is an entity type.
    pub fn is_entity(&self) -> bool {
        matches!(self.kind, TypeKind::Entity(_))
    }
}

/// The four kinds of named types.
#[derive(Debug, Clone)]
pub enum TypeKind {
    Entity(Structured),
    Complex(Structured),
    Enum(Enum),
    /// A `TypeDefinition` over a primitive.
    Definition(Primitive),
}

/// An entity or complex type.
#[derive(Debug, Clone, Default)]
pub struct Structured {
    pub base: Option<TypeId>,
    pub is_abstract: bool,
    pub open: bool,
    pub has_stream: bool,
    /// Declared key properties (entity types; inherited keys are found through `base`): a
    /// property name, or a path into complex properties (`Info/ID`).
    pub key: Vec<String>,
    /// The aliases of key paths, `(path, alias)`: the name a URL gives the key part.
    pub key_aliases: Vec<(String, String)>,
    /// Own (not inherited) structural properties.
    pub properties: Vec<Property>,
    /// Own navigation properties.
    pub navigations: Vec<Navigation>,
    /// Types whose `BaseType` is this one, in document order.
    pub derived: Vec<TypeId>,
}

/// A structural property.
#[derive(Debug, Clone)]
pub struct Property {
    pub name: String,
    pub pos: Pos,
    pub ty: TypeRef,
    pub nullable: bool,
    pub default_value: Option<String>,
    pub max_length: Option<String>,
    pub precision: Option<String>,
    pub scale: Option<String>,
    pub annotations: Annotations,
}

/// A navigation property.
#[derive(Debug, Clone)]
pub struct Navigation {
    pub name: String,
    pub pos: Pos,
    pub ty: TypeRef,
    pub nullable: bool,
    pub contains_target: bool,
    pub partner: Option<String>,
    pub annotations: Annotations,
}

/// One part of an entity key, as [`Model::key_parts`] resolves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPart {
    /// The `PropertyRef` name: a property, or a path into complex properties.
    pub path: String,
    /// The name the URL gives it: the alias of a path, else the property name.
    pub wire: String,
    /// The type of the property the path ends at.
    pub ty: TypeRef,
}

/// An enum type.
#[derive(Debug, Clone)]
pub struct Enum {
    pub underlying: Primitive,
    pub is_flags: bool,
    pub members: Vec<Member>,
}

/// An enum member.
#[derive(Debug, Clone)]
pub struct Member {
    pub name: String,
    pub pos: Pos,
    pub value: i64,
    pub annotations: Annotations,
}

/// One action or function overload.
#[derive(Debug, Clone)]
pub struct Operation {
    pub kind: OperationKind,
    pub namespace: String,
    pub name: String,
    pub pos: Pos,
    /// The binding parameter's type, for bound operations.
    pub binding: Option<TypeRef>,
    pub is_composable: bool,
    pub entity_set_path: Option<String>,
    /// Parameters after the binding parameter.
    pub parameters: Vec<Parameter>,
    pub return_type: Option<ReturnType>,
    pub annotations: Annotations,
    /// Declared in a referenced document.
    pub external: bool,
}

impl Operation {
    /// `namespace.name`.
    pub fn qualified_name(&self) -> String {
        qualify(&self.namespace, &self.name)
    }
}

/// An operation parameter.
#[derive(Debug, Clone)]
pub struct Parameter {
    pub name: String,
    pub pos: Pos,
    pub ty: TypeRef,
    pub nullable: bool,
    pub annotations: Annotations,
}

/// An operation's return type.
#[derive(Debug, Clone)]
pub struct ReturnType {
    pub ty: TypeRef,
    pub nullable: bool,
}

/// An entity container.
#[derive(Debug, Clone)]
pub struct Container {
    pub namespace: String,
    pub name: String,
    pub entity_sets: Vec<EntitySet>,
    pub singletons: Vec<EntitySet>,
    pub imports: Vec<OperationImport>,
    pub annotations: Annotations,
}

/// An entity set or singleton.
#[derive(Debug, Clone)]
pub struct EntitySet {
    pub name: String,
    pub pos: Pos,
    pub entity_type: TypeId,
    /// `(path, target)` navigation property bindings.
    pub bindings: Vec<(String, String)>,
    pub annotations: Annotations,
}

/// An action or function import.
#[derive(Debug, Clone)]
pub struct OperationImport {
    pub kind: OperationKind,
    pub name: String,
    pub pos: Pos,
    /// Every unbound overload of the imported operation.
    pub overloads: Vec<OperationId>,
    pub entity_set: Option<String>,
    pub annotations: Annotations,
}

impl Model {
    /// Resolves the members (properties, navigations, enum members, annotations) of `ids`
    /// and of their base types, with the checks that need them, when this model came from
    /// [`resolve_lazy`]; does nothing for types already resolved. Read a type's members
    /// only after filling it: until then its lists are empty.
    pub fn fill(&mut self, ids: &[TypeId]) -> crate::error::Result<()> {
        resolve::fill(self, ids)
    }

    /// [`Model::fill`] for the types that targets name: a qualified type name, optionally
    /// in `Collection(...)` and followed by `/member` (`ns.Type/property`); a target that
    /// names no type (an operation, a container) is skipped.
    pub fn fill_named<'a>(
        &mut self,
        targets: impl IntoIterator<Item = &'a str>,
    ) -> crate::error::Result<()> {
        if self.pending.is_none() {
            return Ok(());
        }
        let ids: Vec<TypeId> = targets
            .into_iter()
            .filter_map(|t| {
                let t = t.trim();
                let t = t
                    .strip_prefix("Collection(")
                    .and_then(|t| t.strip_suffix(')'))
                    .unwrap_or(t);
                self.find_type(t.split(['/', '(']).next().unwrap_or(t))
            })
            .collect();
        self.fill(&ids)
    }

    /// Drops what [`resolve_lazy`] kept to fill more types (the documents): the members
    /// of types not filled by then stay empty.
    pub fn release(&mut self) {
        self.pending = None;
    }

    /// [`Self::release`], freeing the documents on a thread of their own: for a document
    /// read for roots they are its text and XML tree too (tens of megabytes for Graph), and
    /// nothing after selection waits for that memory. Freed here when no thread can start.
    pub fn release_in_background(&mut self) {
        if let Some(pending) = self.pending.take() {
            // A thread that cannot start drops its closure, and the documents with it.
            let _ = std::thread::Builder::new()
                .name("csdl-codegen-release".into())
                .spawn(move || drop(pending));
        }
    }

    /// The type with this id.
    pub fn ty(&self, id: TypeId) -> &Type {
        &self.types[id.0]
    }

    /// Looks a type up by `namespace.name` (aliases are not accepted here).
    pub fn find_type(&self, qualified: &str) -> Option<TypeId> {
        // Compared in place: building every `namespace.name` would allocate per type.
        let (namespace, name) = qualified.rsplit_once('.')?;
        self.types
            .iter()
            .position(|t| t.name == name && t.namespace == namespace)
            .map(TypeId)
    }

    /// The base-type chain of `id`, root first, `id` itself last.
    pub fn lineage(&self, id: TypeId) -> Vec<TypeId> {
        let mut chain = vec![id];
        let mut current = id;
        while let Some(base) = self.ty(current).structured().and_then(|s| s.base) {
            if chain.contains(&base) {
                break; // cycles are rejected by resolve; stay safe anyway
            }
            chain.push(base);
            current = base;
        }
        chain.reverse();
        chain
    }

    /// All structural properties of `id`, inherited ones first. A property a derived type
    /// redeclares keeps its inherited position with the derived declaration.
    pub fn all_properties(&self, id: TypeId) -> Vec<(TypeId, &Property)> {
        self.members(id, |s| &s.properties, |p| &p.name)
    }

    /// All navigation properties of `id`, inherited ones first (redeclarations as for
    /// [`Model::all_properties`]).
    pub fn all_navigations(&self, id: TypeId) -> Vec<(TypeId, &Navigation)> {
        self.members(id, |s| &s.navigations, |n| &n.name)
    }

    fn members<'a, M>(
        &'a self,
        id: TypeId,
        list: impl Fn(&'a Structured) -> &'a Vec<M>,
        name: impl Fn(&M) -> &str,
    ) -> Vec<(TypeId, &'a M)> {
        let lineage = self.lineage(id);
        let mut out: Vec<(TypeId, &'a M)> = Vec::new();
        let mut index: FxHashMap<&'a str, usize> = FxHashMap::default();
        for t in lineage {
            let Some(s) = self.ty(t).structured() else {
                continue;
            };
            for m in list(s) {
                let key: &'a str = name(m);
                match index.get(key) {
                    Some(&slot) => out[slot] = (t, m),
                    None => {
                        index.insert(key, out.len());
                        out.push((t, m));
                    }
                }
            }
        }
        out
    }

    /// Whether an entity is addressed with its key as a path segment (`/accounts/42`)
    /// rather than OData's parenthesis form (`/accounts(42)`): when an entity container
    /// says so (`Capabilities.KeyAsSegmentSupported`), and for Microsoft Graph, whose
    /// documentation writes every URL that way. Many services (Dynamics 365, SAP, the
    /// OData samples) accept only the parenthesis form, so it is the default.
    pub fn key_as_segment(&self) -> bool {
        let declared = self.containers.iter().find_map(|c| {
            c.annotations
                .term("Capabilities", "KeyAsSegmentSupported")
                .map(|v| !matches!(v, crate::csdl::Value::Bool(false)))
        });
        declared.unwrap_or(self.graph)
    }

    /// The URL segment that calls a bound operation: its namespace-qualified name
    /// (`/People('x')/Trippin.GetFavoriteAirline()`), which every OData service must
    /// accept and many require, except for Graph, whose documented URLs use the plain
    /// name (`.../jobs/{id}/start`), which Graph accepts.
    pub fn bound_operation_segment(&self, op: &Operation) -> String {
        if self.graph {
            op.name.clone()
        } else {
            op.qualified_name()
        }
    }

    /// The key property names of an entity type (declared on it or inherited).
    pub fn key_of(&self, id: TypeId) -> Vec<String> {
        self.lineage(id)
            .into_iter()
            .rev()
            .find_map(|t| {
                self.ty(t)
                    .structured()
                    .filter(|s| !s.key.is_empty())
                    .map(|s| s.key.clone())
            })
            .unwrap_or_default()
    }

    /// The key of an entity type as a URL writes it: each part with its wire name (the
    /// alias of a path into complex properties, else the property name) and the type of
    /// the property the path ends at. Parts whose path does not resolve (resolve rejects
    /// them) are left out.
    pub fn key_parts(&self, id: TypeId) -> Vec<KeyPart> {
        let Some(owner) = self
            .lineage(id)
            .into_iter()
            .rev()
            .find(|t| self.ty(*t).structured().is_some_and(|s| !s.key.is_empty()))
        else {
            return Vec::new();
        };
        let s = self.ty(owner).structured().expect("found as structured");
        s.key
            .iter()
            .filter_map(|path| {
                let property = self.property_at_path(owner, path)?;
                let alias = s.key_aliases.iter().find(|(p, _)| p == path);
                let wire = match alias {
                    Some((_, a)) => a.clone(),
                    // A path needs an alias (resolve warned); its last segment stands in.
                    None => path.rsplit('/').next().unwrap_or(path).to_string(),
                };
                Some(KeyPart {
                    path: path.clone(),
                    wire,
                    ty: property.ty.clone(),
                })
            })
            .collect()
    }

    /// The property a path of property names reaches from structured type `id`
    /// (`Info/ID`: property `ID` of the type of property `Info`), through single-valued
    /// complex properties, inherited ones included.
    pub fn property_at_path(&self, id: TypeId, path: &str) -> Option<&Property> {
        let mut owner = id;
        let mut segments = path.split('/').peekable();
        while let Some(segment) = segments.next() {
            let (_, p) = self
                .all_properties(owner)
                .into_iter()
                .find(|(_, p)| p.name == segment)?;
            if segments.peek().is_none() {
                return Some(p);
            }
            match p.ty.type_id() {
                Some(next) if !p.ty.collection && !self.ty(next).is_entity() => owner = next,
                _ => return None,
            }
        }
        None
    }

    /// Whether `derived` is `base` or inherits from it.
    pub fn inherits_from(&self, derived: TypeId, base: TypeId) -> bool {
        self.lineage(derived).contains(&base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_primitive_is_spelled_as_it_is_read() {
        for name in [
            "String",
            "Boolean",
            "Byte",
            "SByte",
            "Int16",
            "Int32",
            "Int64",
            "Single",
            "Double",
            "Decimal",
            "Guid",
            "Date",
            "TimeOfDay",
            "DateTimeOffset",
            "Duration",
            "Binary",
            "Stream",
            "Untyped",
            "GeographyPoint",
            "GeometryPolygon",
            "PrimitiveType",
            "ModelElementPath",
        ] {
            let primitive = Primitive::from_edm(name).unwrap();
            assert_eq!(primitive.edm_name(), format!("Edm.{name}"));
        }
    }

    #[test]
    fn qualify_joins_namespace_and_name() {
        assert_eq!(qualify("microsoft.graph", "user"), "microsoft.graph.user");
        assert_eq!(qualify("", "x"), ".x");
    }
}

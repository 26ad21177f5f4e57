//! The CSDL syntax tree. Field names follow the CSDL attribute names.

pub use super::deferred::Deferred;
use crate::error::Pos;

/// A whole EDMX document.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// `edmx:Reference` elements, in document order.
    pub references: Vec<Reference>,
    /// Every `Schema`, in document order.
    pub schemas: Vec<Schema>,
}

impl Document {
    /// Whether this is Microsoft Graph metadata (it declares `microsoft.graph`): Graph's
    /// built-in fixes, default roots, base URL and URL conventions follow from it.
    pub fn is_graph(&self) -> bool {
        self.schemas
            .iter()
            .any(|s| s.namespace == "microsoft.graph")
    }
}

/// An `edmx:Reference` to another CSDL document.
#[derive(Debug, Clone, Default)]
pub struct Reference {
    /// The `Uri` attribute, as written.
    pub uri: String,
    /// Where it is declared (warnings about the referenced document point here).
    pub pos: Pos,
    /// `edmx:Include`: namespaces of the referenced document this one uses.
    pub includes: Vec<Include>,
    /// `edmx:IncludeAnnotations`: annotations of the referenced document that apply here.
    pub include_annotations: Vec<IncludeAnnotations>,
}

/// An `edmx:Include`.
#[derive(Debug, Clone, Default)]
pub struct Include {
    pub namespace: String,
    pub alias: Option<String>,
    pub pos: Pos,
}

/// An `edmx:IncludeAnnotations`.
#[derive(Debug, Clone, Default)]
pub struct IncludeAnnotations {
    pub term_namespace: String,
    pub qualifier: Option<String>,
    pub target_namespace: Option<String>,
}

/// A vocabulary `Term` definition.
#[derive(Debug, Clone, Default)]
pub struct Term {
    pub name: String,
    pub pos: Pos,
    pub type_name: String,
    /// `AppliesTo`: space-separated element kinds (`EntityType Property ...`), if given.
    pub applies_to: Option<String>,
}

/// One `Schema` element.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    pub namespace: String,
    pub alias: Option<String>,
    pub pos: Pos,
    pub entity_types: Vec<StructuredType>,
    pub complex_types: Vec<StructuredType>,
    pub enum_types: Vec<EnumType>,
    pub type_definitions: Vec<TypeDefinition>,
    pub operations: Vec<Operation>,
    pub containers: Vec<EntityContainer>,
    /// Vocabulary `Term` definitions.
    pub terms: Vec<Term>,
    /// `<Annotations Target="...">` blocks, in document order.
    pub annotation_blocks: Vec<AnnotationBlock>,
    /// Annotations placed directly on the schema.
    pub annotations: Vec<Annotation>,
}

impl Schema {
    /// Appends `more`'s elements to this schema's, each list after its own (the rest of a
    /// schema split between the halves of a document read on two threads). `more`'s name,
    /// alias and position are not used: they are this schema's.
    pub(super) fn append(&mut self, more: Schema) {
        // Destructured whole, so that a list added to `Schema` is appended here too.
        let Schema {
            namespace: _,
            alias: _,
            pos: _,
            mut entity_types,
            mut complex_types,
            mut enum_types,
            mut type_definitions,
            mut operations,
            mut containers,
            mut terms,
            mut annotation_blocks,
            mut annotations,
        } = more;
        self.entity_types.append(&mut entity_types);
        self.complex_types.append(&mut complex_types);
        self.enum_types.append(&mut enum_types);
        self.type_definitions.append(&mut type_definitions);
        self.operations.append(&mut operations);
        self.containers.append(&mut containers);
        self.terms.append(&mut terms);
        self.annotation_blocks.append(&mut annotation_blocks);
        self.annotations.append(&mut annotations);
    }
}

/// `EntityType` or `ComplexType`.
#[derive(Debug, Clone, Default)]
pub struct StructuredType {
    pub name: String,
    pub pos: Pos,
    pub base_type: Option<String>,
    pub is_abstract: bool,
    pub open_type: bool,
    pub has_stream: bool,
    /// `Key/PropertyRef/@Name` (entity types only): a property name, or a path into
    /// complex properties (`Info/ID`).
    pub key: Vec<String>,
    /// `Key/PropertyRef/@Alias` of key paths: `(path, alias)`.
    pub key_aliases: Vec<(String, String)>,
    /// Properties, navigation properties and the type's own annotations: read with the
    /// type, or when first asked for ([`Deferred`]).
    pub members: Deferred<StructuredMembers>,
}

/// What an `EntityType` or `ComplexType` holds besides its attributes and key.
#[derive(Debug, Clone, Default)]
pub struct StructuredMembers {
    pub properties: Vec<Property>,
    pub navigation_properties: Vec<NavigationProperty>,
    pub annotations: Vec<Annotation>,
}

impl Deferred<StructuredMembers> {
    /// The members, read now if they were not yet (an error is one of reading CSDL, at
    /// the position of the member at fault).
    pub fn get(&self) -> crate::error::Result<&StructuredMembers> {
        self.get_with(super::reader::read_structured_members)
    }
}

impl StructuredType {
    /// Whether the type declares a property or navigation property named `name` (not
    /// counting base types); its members are not read for this.
    pub fn declares(&self, name: &str) -> bool {
        match self.members.read() {
            Some(m) => {
                m.properties.iter().any(|p| p.name == name)
                    || m.navigation_properties.iter().any(|n| n.name == name)
            }
            None => (self.members).has_named_child(&["Property", "NavigationProperty"], name),
        }
    }
}

/// A structural `Property`.
#[derive(Debug, Clone, Default)]
pub struct Property {
    pub name: String,
    pub pos: Pos,
    pub type_name: String,
    pub nullable: bool,
    pub default_value: Option<String>,
    pub max_length: Option<String>,
    pub precision: Option<String>,
    pub scale: Option<String>,
    pub unicode: Option<bool>,
    pub annotations: Vec<Annotation>,
}

/// A `NavigationProperty`.
#[derive(Debug, Clone, Default)]
pub struct NavigationProperty {
    pub name: String,
    pub pos: Pos,
    pub type_name: String,
    pub nullable: bool,
    pub contains_target: bool,
    pub partner: Option<String>,
    pub annotations: Vec<Annotation>,
}

/// An `EnumType`.
#[derive(Debug, Clone, Default)]
pub struct EnumType {
    pub name: String,
    pub pos: Pos,
    pub underlying_type: Option<String>,
    pub is_flags: bool,
    /// Members and the type's own annotations: read with the type, or when first asked
    /// for ([`Deferred`]).
    pub members: Deferred<EnumMembers>,
}

/// What an `EnumType` holds besides its attributes.
#[derive(Debug, Clone, Default)]
pub struct EnumMembers {
    pub members: Vec<EnumMember>,
    pub annotations: Vec<Annotation>,
}

impl Deferred<EnumMembers> {
    /// The members, read now if they were not yet (see [`Deferred::get`]).
    pub fn get(&self) -> crate::error::Result<&EnumMembers> {
        self.get_with(super::reader::read_enum_members)
    }
}

impl EnumType {
    /// Whether the type declares a member named `name`; its members are not read for this.
    pub fn declares(&self, name: &str) -> bool {
        match self.members.read() {
            Some(m) => m.members.iter().any(|m| m.name == name),
            None => self.members.has_named_child(&["Member"], name),
        }
    }
}

/// An enum `Member`; `value` is already made explicit (implicit values count up from 0).
#[derive(Debug, Clone, Default)]
pub struct EnumMember {
    pub name: String,
    pub pos: Pos,
    pub value: i64,
    pub annotations: Vec<Annotation>,
}

/// A `TypeDefinition`.
#[derive(Debug, Clone, Default)]
pub struct TypeDefinition {
    pub name: String,
    pub pos: Pos,
    pub underlying_type: String,
    pub annotations: Vec<Annotation>,
}

/// `Action` or `Function`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum OperationKind {
    #[default]
    Action,
    Function,
}

/// An `Action` or `Function` element (one overload).
#[derive(Debug, Clone, Default)]
pub struct Operation {
    pub kind: OperationKind,
    pub name: String,
    pub pos: Pos,
    pub is_bound: bool,
    pub is_composable: bool,
    pub entity_set_path: Option<String>,
    /// All parameters, the binding parameter first when `is_bound`.
    pub parameters: Vec<Parameter>,
    pub return_type: Option<ReturnType>,
    pub annotations: Vec<Annotation>,
}

/// An operation `Parameter`.
#[derive(Debug, Clone, Default)]
pub struct Parameter {
    pub name: String,
    pub pos: Pos,
    pub type_name: String,
    pub nullable: bool,
    pub annotations: Vec<Annotation>,
}

/// An operation `ReturnType`.
#[derive(Debug, Clone, Default)]
pub struct ReturnType {
    pub pos: Pos,
    pub type_name: String,
    pub nullable: bool,
}

/// An `EntityContainer`.
#[derive(Debug, Clone, Default)]
pub struct EntityContainer {
    pub name: String,
    pub entity_sets: Vec<EntitySet>,
    pub singletons: Vec<EntitySet>,
    pub action_imports: Vec<OperationImport>,
    pub function_imports: Vec<OperationImport>,
    pub annotations: Vec<Annotation>,
}

/// An `EntitySet` or `Singleton` (`entity_type` holds `EntityType` or `Type`).
#[derive(Debug, Clone, Default)]
pub struct EntitySet {
    pub name: String,
    pub pos: Pos,
    pub entity_type: String,
    pub navigation_bindings: Vec<NavigationBinding>,
    pub annotations: Vec<Annotation>,
}

/// A `NavigationPropertyBinding`.
#[derive(Debug, Clone, Default)]
pub struct NavigationBinding {
    pub path: String,
    pub target: String,
}

/// An `ActionImport` or `FunctionImport`.
#[derive(Debug, Clone, Default)]
pub struct OperationImport {
    pub name: String,
    pub pos: Pos,
    /// `Action` or `Function` attribute: the qualified operation name.
    pub operation: String,
    pub entity_set: Option<String>,
    pub annotations: Vec<Annotation>,
}

/// `<Annotations Target="...">`.
#[derive(Debug, Clone, Default)]
pub struct AnnotationBlock {
    pub target: String,
    pub qualifier: Option<String>,
    pub pos: Pos,
    /// Read with the block, or when first asked for ([`Deferred`]): most blocks of a large
    /// document annotate types that generation never reaches.
    pub annotations: Deferred<Vec<Annotation>>,
}

impl Deferred<Vec<Annotation>> {
    /// The annotations, read now if they were not yet (see [`Deferred::get`]).
    pub fn get(&self) -> crate::error::Result<&Vec<Annotation>> {
        self.get_with(super::reader::read_annotations)
    }
}

impl AnnotationBlock {
    /// Whether the block holds an annotation; the annotations are not read for this.
    pub fn has_annotations(&self) -> bool {
        match self.annotations.read() {
            Some(list) => !list.is_empty(),
            None => self.annotations.has_child("Annotation"),
        }
    }
}

/// One `Annotation`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Annotation {
    pub term: String,
    pub qualifier: Option<String>,
    pub pos: Pos,
    pub value: Value,
}

/// An annotation expression (constant, path, record or collection).
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Value {
    /// No value given: for Boolean terms this means `true`.
    #[default]
    Absent,
    Null,
    String(String),
    Bool(bool),
    Int(i64),
    /// Float, Decimal, Date, DateTimeOffset, Duration, Guid, Binary, TimeOfDay kept as text.
    Text {
        kind: String,
        text: String,
    },
    EnumMember(String),
    /// Path, PropertyPath, NavigationPropertyPath, AnnotationPath, ModelElementPath.
    Path {
        kind: String,
        path: String,
    },
    Record(Record),
    Collection(Vec<Value>),
    /// An expression this reader does not interpret (Apply, If, LabeledElement, ...).
    Other(String),
}

/// A `Record` expression.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    pub type_name: Option<String>,
    pub properties: Vec<(String, Value)>,
}

impl Record {
    /// The value of property `name`, if present.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.properties
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }
}

impl Value {
    /// The text of a string-like constant.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            Value::Text { text, .. } => Some(text),
            Value::EnumMember(s) => Some(s),
            Value::Path { path, .. } => Some(path),
            _ => None,
        }
    }
}

//! Turns the syntax trees into a [`Model`]: qualified and aliased names resolved, base types
//! checked (kinds and cycles), duplicates rejected, annotation blocks attached.
//!
//! The main document and the documents it references are resolved together. Aliases are
//! scoped per document (its schemas and its `edmx:Include`s); a type from a namespace a
//! document includes but whose document is unavailable becomes untyped JSON; types and
//! operations of referenced documents are marked `external`.

use std::borrow::Cow;
use std::collections::BTreeMap;

use rustc_hash::{FxHashMap, FxHashSet};

use super::*;
use crate::csdl::{self, Document, Loaded, LoadedDocument};
use crate::error::{Error, ErrorKind, Pos, Result, Warning};

mod lazy;

pub(super) use lazy::fill;
pub use lazy::{resolve_lazy, Pending};

/// What the loader knew of the whole input, given to the resolved model: its warnings
/// first, and whether the main document is Graph's.
fn model_from(loaded: &Loaded, model: &mut Model) {
    model.warnings.splice(0..0, loaded.warnings.iter().cloned());
    model.graph = loaded
        .documents
        .first()
        .is_some_and(|d| d.document.is_graph());
}

/// Resolves a single document (no references followed).
pub fn resolve(doc: &Document) -> Result<Model> {
    resolve_all(&Loaded::single(doc.clone()))
}

/// Resolves the main document of `loaded` with the documents it references. Errors in a
/// referenced document name that document's file.
pub fn resolve_all(loaded: &Loaded) -> Result<Model> {
    let mut r = Resolver::new(loaded)?;
    let result = (|| {
        r.register_types()?;
        r.fill_types()?;
        r.check_bases()?;
        r.beyond_types()
    })();
    if let Err(e) = result {
        return Err(r.locate(e));
    }
    let mut model = r.model;
    model_from(loaded, &mut model);
    Ok(model)
}

/// What names mean inside one document.
#[derive(Debug, Clone)]
struct Scope {
    /// Namespace or alias -> namespace.
    aliases: FxHashMap<String, String>,
    /// Included namespaces whose documents are unavailable.
    unavailable: FxHashSet<String>,
}

struct Resolver<'d> {
    docs: Vec<&'d LoadedDocument>,
    scopes: Vec<Scope>,
    /// The document being resolved.
    scope: usize,
    type_ids: FxHashMap<String, TypeId>,
    /// The document each type is declared in (by `TypeId`), so a check that runs over
    /// every type reports in the right file.
    type_docs: Vec<usize>,
    /// Properties typed as untyped JSON because their type's document is unavailable:
    /// `(owner, property)` to the namespace. A key that ends at one is an error.
    missing_types: FxHashMap<(TypeId, String), String>,
    /// Where each type is declared (by `TypeId`).
    decls: Vec<Decl>,
    /// Set when types are resolved on demand (`resolve_lazy`): what is done and what waits.
    lazy: Option<lazy::Progress>,
    model: Model,
}

/// Where a type is declared: document, schema, list and position in it.
#[derive(Debug, Clone, Copy)]
struct Decl {
    doc: usize,
    schema: usize,
    kind: DeclKind,
    index: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DeclKind {
    Entity,
    Complex,
    Enum,
    Definition,
}

/// Operations and containers by qualified name, for resolving annotation targets.
struct TargetIndex {
    operations: FxHashMap<String, Vec<usize>>,
    containers: FxHashMap<String, usize>,
}

/// An annotation block where it is declared: (document, schema, index) and the block.
type BlockAt<'d> = ((usize, usize, usize), &'d csdl::AnnotationBlock);

/// How many annotation blocks are worth looking up on two threads (a thread costs about
/// 0.1 ms; Graph v1.0's 4,918 blocks take about 2 ms on one).
const PARALLEL_BLOCKS: usize = 1024;

/// What annotation blocks name, in their order ([`Resolver::find_targets`]).
struct FoundTargets {
    /// For each block: `None` when none of its annotations applies, else the range of
    /// `subjects` its target names (empty when it names nothing).
    named: Vec<Option<std::ops::Range<usize>>>,
    subjects: Vec<Subject>,
    /// The error of the block after the last in `named`, if reading it failed (the blocks
    /// after it are not looked up), with the document that declares the block.
    error: Option<(usize, crate::error::Error)>,
}

impl FoundTargets {
    /// Appends what the blocks after these name, unless one of these failed.
    fn append(&mut self, later: FoundTargets) {
        if self.error.is_some() {
            return;
        }
        let offset = self.subjects.len();
        self.named.extend(
            (later.named.into_iter()).map(|named| named.map(|r| r.start + offset..r.end + offset)),
        );
        self.subjects.extend(later.subjects);
        self.error = later.error;
    }
}

/// Where an annotation lands.
#[derive(Clone, Copy)]
enum Subject {
    Type(TypeId),
    Property(TypeId, usize),
    Navigation(TypeId, usize),
    Member(TypeId, usize),
    Operation(OperationId),
    Parameter(OperationId, usize),
    Container(usize),
    EntitySet(usize, usize),
    Singleton(usize, usize),
    Import(usize, usize),
    /// A type, or a member of it, whose members are resolved later (`resolve_lazy`): the
    /// block is attached when they are.
    Later(TypeId),
}

impl<'d> Resolver<'d> {
    fn new(loaded: &'d Loaded) -> Result<Self> {
        let mut model = Model::default();
        let mut scopes = Vec::new();
        for (d, loaded_doc) in loaded.documents.iter().enumerate() {
            let doc = &loaded_doc.document;
            let mut aliases: FxHashMap<String, String> = FxHashMap::default();
            let mut declare = |alias: &str, namespace: &str, pos: Pos| -> Result<()> {
                if let Some(existing) = aliases.get(alias) {
                    if existing != namespace {
                        return Err(Error::new(
                            ErrorKind::Csdl,
                            format!("alias `{alias}` is declared for two namespaces"),
                        )
                        .at(pos)
                        .named(alias));
                    }
                }
                aliases.insert(alias.to_string(), namespace.to_string());
                Ok(())
            };
            let located = |e: Error| match (&loaded_doc.path, d) {
                (Some(path), d) if d > 0 => e.in_file(path),
                _ => e,
            };
            for schema in &doc.schemas {
                declare(&schema.namespace, &schema.namespace, schema.pos).map_err(located)?;
                if let Some(alias) = &schema.alias {
                    declare(alias, &schema.namespace, schema.pos).map_err(located)?;
                }
                if d == 0 {
                    model
                        .namespaces
                        .push((schema.namespace.clone(), schema.alias.clone()));
                }
            }
            for reference in &doc.references {
                for include in &reference.includes {
                    declare(&include.namespace, &include.namespace, include.pos)
                        .map_err(located)?;
                    if let Some(alias) = &include.alias {
                        declare(alias, &include.namespace, include.pos).map_err(located)?;
                    }
                }
            }
            scopes.push(Scope {
                aliases,
                unavailable: loaded_doc.unavailable.iter().cloned().collect(),
            });
        }
        Ok(Resolver {
            docs: loaded.documents.iter().collect(),
            scopes,
            scope: 0,
            type_ids: FxHashMap::default(),
            type_docs: Vec::new(),
            missing_types: FxHashMap::default(),
            decls: Vec::new(),
            lazy: None,
            model,
        })
    }

    /// Every schema of every document with its document's index.
    fn schemas(&self) -> Vec<(usize, &'d csdl::Schema)> {
        let docs = self.docs.clone();
        docs.into_iter()
            .enumerate()
            .flat_map(|(d, doc)| doc.document.schemas.iter().map(move |s| (d, s)))
            .collect()
    }

    /// Whether the document being resolved is a referenced one.
    fn external(&self) -> bool {
        self.docs[self.scope].external
    }

    /// The namespace of type reference `raw` when it names a type of an included namespace
    /// whose document is unavailable (the reference then types as untyped JSON).
    fn unavailable_namespace(&self, raw: &str) -> Option<String> {
        // Most documents have every included namespace at hand: nothing to look up.
        if self.scopes[self.scope].unavailable.is_empty() {
            return None;
        }
        let raw = raw.trim();
        let inner = raw
            .strip_prefix("Collection(")
            .and_then(|r| r.strip_suffix(')'))
            .unwrap_or(raw)
            .trim();
        let canonical = self.canonical(inner);
        if self.type_ids.contains_key(canonical.as_ref()) {
            return None;
        }
        let (ns, _) = canonical.rsplit_once('.')?;
        self.scopes[self.scope]
            .unavailable
            .contains(ns)
            .then(|| ns.to_string())
    }

    /// The error for a structure (`what`) that needs a type of namespace `ns`, whose
    /// document is unavailable: it names the reference's `Uri` and how to supply it.
    fn missing_reference(&self, what: String, ns: &str, pos: Pos, name: &str) -> Error {
        let uri = self.docs[self.scope]
            .document
            .references
            .iter()
            .find(|r| r.includes.iter().any(|i| i.namespace == ns))
            .map_or(ns, |r| r.uri.as_str());
        Error::new(
            ErrorKind::Unresolved,
            format!(
                "{what} is declared in the referenced document `{uri}` (namespace `{ns}`), which is not available: put the file next to the input, or pass its folder with --reference-dir (Generator::reference_dir)"
            ),
        )
        .at(pos)
        .named(name)
    }

    /// Attaches the file of the document being resolved to an error from a referenced one.
    fn locate(&self, e: Error) -> Error {
        match &self.docs[self.scope].path {
            Some(path) if self.scope > 0 => e.in_file(path),
            None if self.scope > 0 => e.in_file(std::path::Path::new(&self.docs[self.scope].label)),
            _ => e,
        }
    }

    /// A warning at `pos` of the document being resolved: without a file for the main
    /// document (the caller names it), in the referenced file otherwise.
    fn warning(&self, pos: Pos, message: String) -> Warning {
        let w = Warning::new(message).at(pos);
        if self.scope == 0 {
            w
        } else {
            w.in_file(&self.docs[self.scope].label)
        }
    }

    /// Keeps the leniency warnings of the document being resolved, unless it is a
    /// referenced one: what a referenced document does is its publisher's to fix, not the
    /// user's, and would repeat on every run (SAP's UI vocabulary narrows inherited
    /// properties).
    fn keep_warnings(&mut self, warnings: Vec<Warning>) {
        if !self.external() {
            self.model.warnings.extend(warnings);
        }
    }

    /// The warning for a member declared twice alike, merged into one.
    fn merged(&self, owner: &str, name: &str, pos: Pos) -> Warning {
        self.warning(
            pos,
            format!(
                "`{owner}` declares `{name}` twice alike; the declarations are merged into one"
            ),
        )
    }

    /// Interprets annotations with their terms spelled by namespace (aliases resolved).
    fn collect(&self, list: &[csdl::Annotation]) -> Annotations {
        let mut a = Annotations::default();
        for item in list {
            self.add_annotation(&mut a, item);
        }
        a
    }

    fn add_annotation(&self, to: &mut Annotations, annotation: &csdl::Annotation) {
        let term = self.canonical(&annotation.term);
        if term == annotation.term {
            to.add(annotation);
        } else {
            let mut a = annotation.clone();
            a.term = term.into_owned();
            to.add(&a);
        }
    }

    /// `graph.foo` -> `microsoft.graph.foo`; unknown prefixes are returned unchanged.
    /// Borrowed unless an alias is replaced: a name qualified by its namespace (which the
    /// scope maps to itself) is not copied.
    fn canonical<'a>(&self, qualified: &'a str) -> Cow<'a, str> {
        self.canonical_in(self.scope, qualified)
    }

    /// [`Self::canonical`] as the document `scope` spells names.
    fn canonical_in<'a>(&self, scope: usize, qualified: &'a str) -> Cow<'a, str> {
        match split_last_dot(qualified) {
            Some((ns, name)) => match self.scopes[scope].aliases.get(ns) {
                Some(full) if full != ns => {
                    let mut out = String::with_capacity(full.len() + 1 + name.len());
                    out.push_str(full);
                    out.push('.');
                    out.push_str(name);
                    Cow::Owned(out)
                }
                _ => Cow::Borrowed(qualified),
            },
            None => Cow::Borrowed(qualified),
        }
    }

    fn type_ref(&self, raw: &str, pos: Pos) -> Result<TypeRef> {
        let raw = raw.trim();
        let unresolved = |msg: String| Error::new(ErrorKind::Unresolved, msg).at(pos).named(raw);
        let (collection, inner) = match raw.strip_prefix("Collection(") {
            Some(rest) => match rest.strip_suffix(')') {
                Some(inner) => (true, inner.trim()),
                None => return Err(unresolved(format!("malformed collection type `{raw}`"))),
            },
            None => (false, raw),
        };
        if inner.contains(['(', ')']) || inner.is_empty() {
            return Err(unresolved(format!("malformed type reference `{raw}`")));
        }
        if let Some(edm) = inner.strip_prefix("Edm.") {
            return match Primitive::from_edm(edm) {
                Some(p) => Ok(TypeRef {
                    collection,
                    target: Target::Primitive(p),
                }),
                None => Err(unresolved(format!("unknown EDM primitive type `{inner}`"))),
            };
        }
        let canonical = self.canonical(inner);
        match self.type_ids.get(canonical.as_ref()) {
            Some(id) => Ok(TypeRef {
                collection,
                target: Target::Type(*id),
            }),
            None => match split_last_dot(&canonical) {
                // From a referenced document that is not at hand: untyped JSON (the loader
                // warned once for the namespace).
                Some((ns, _)) if self.scopes[self.scope].unavailable.contains(ns) => Ok(TypeRef {
                    collection,
                    target: Target::Primitive(Primitive::Untyped),
                }),
                _ => Err(unresolved(format!("type `{inner}` is not defined"))),
            },
        }
    }

    fn register_types(&mut self) -> Result<()> {
        // Sized once: growing them type by type rehashed and copied every entry several
        // times (Graph declares about 4,000 types).
        let schemas = self.schemas();
        let count: usize = (schemas.iter())
            .map(|(_, s)| {
                s.entity_types.len()
                    + s.complex_types.len()
                    + s.enum_types.len()
                    + s.type_definitions.len()
            })
            .sum();
        self.type_ids.reserve(count);
        self.type_docs.reserve(count);
        self.decls.reserve(count);
        self.model.types.reserve(count);
        let mut schema_index = (usize::MAX, 0);
        for (d, schema) in schemas {
            self.scope = d;
            schema_index = if schema_index.0 == d {
                (d, schema_index.1 + 1)
            } else {
                (d, 0)
            };
            let decl = |kind, index| Decl {
                doc: d,
                schema: schema_index.1,
                kind,
                index,
            };
            let entities = schema.entity_types.iter().enumerate();
            let names = entities
                .map(|(i, t)| (&t.name, t.pos, decl(DeclKind::Entity, i)))
                .chain(
                    (schema.complex_types.iter().enumerate())
                        .map(|(i, t)| (&t.name, t.pos, decl(DeclKind::Complex, i))),
                )
                .chain(
                    (schema.enum_types.iter().enumerate())
                        .map(|(i, t)| (&t.name, t.pos, decl(DeclKind::Enum, i))),
                )
                .chain(
                    (schema.type_definitions.iter().enumerate())
                        .map(|(i, t)| (&t.name, t.pos, decl(DeclKind::Definition, i))),
                );
            // Document order, so a duplicate is reported at its second definition.
            let mut names: Vec<(&String, Pos, Decl)> = names.collect();
            names.sort_by_key(|(_, pos, _)| *pos);
            for (name, pos, decl) in names {
                check_simple_identifier(name, pos)?;
                // Built directly: `format!` costs several times as much per type.
                let mut qualified = String::with_capacity(schema.namespace.len() + 1 + name.len());
                qualified.push_str(&schema.namespace);
                qualified.push('.');
                qualified.push_str(name);
                if self.type_ids.contains_key(&qualified) {
                    return Err(Error::new(
                        ErrorKind::Csdl,
                        format!("type `{qualified}` is defined twice"),
                    )
                    .at(pos)
                    .named(qualified));
                }
                let id = TypeId(self.model.types.len());
                self.type_ids.insert(qualified, id);
                self.type_docs.push(d);
                self.decls.push(decl);
                self.model.types.push(Type {
                    namespace: schema.namespace.clone(),
                    name: name.clone(),
                    pos,
                    kind: TypeKind::Definition(Primitive::Untyped),
                    annotations: Annotations::default(),
                    external: self.external(),
                });
            }
        }
        Ok(())
    }

    fn fill_types(&mut self) -> Result<()> {
        for (d, schema) in self.schemas() {
            self.scope = d;
            for (list, entity) in [(&schema.entity_types, true), (&schema.complex_types, false)] {
                for t in list {
                    let id = self.type_ids[&format!("{}.{}", schema.namespace, t.name)];
                    let mut warnings = Vec::new();
                    let s = self.structured(t, entity, &mut warnings)?;
                    self.keep_warnings(warnings);
                    // Read by `structured` just above.
                    let body = t.members.get()?;
                    for p in &body.properties {
                        if let Some(ns) = self.unavailable_namespace(&p.type_name) {
                            self.missing_types.insert((id, p.name.clone()), ns);
                        }
                    }
                    let annotations = self.collect(&body.annotations);
                    let ty = &mut self.model.types[id.0];
                    ty.kind = if entity {
                        TypeKind::Entity(s)
                    } else {
                        TypeKind::Complex(s)
                    };
                    ty.annotations = annotations;
                }
            }
            for e in &schema.enum_types {
                let id = self.type_ids[&format!("{}.{}", schema.namespace, e.name)];
                let mut warnings = Vec::new();
                let kind = TypeKind::Enum(self.enum_type(e, &schema.namespace, &mut warnings)?);
                self.keep_warnings(warnings);
                // Read by `enum_type` just above.
                let annotations = self.collect(&e.members.get()?.annotations);
                let ty = &mut self.model.types[id.0];
                ty.kind = kind;
                ty.annotations = annotations;
            }
            for d in &schema.type_definitions {
                let id = self.type_ids[&format!("{}.{}", schema.namespace, d.name)];
                let underlying = self.definition(d)?;
                let annotations = self.collect(&d.annotations);
                let ty = &mut self.model.types[id.0];
                ty.kind = TypeKind::Definition(underlying);
                ty.annotations = annotations;
            }
        }
        Ok(())
    }

    /// The primitive type a type definition stands for.
    fn definition(&self, d: &csdl::TypeDefinition) -> Result<Primitive> {
        match self.type_ref(&d.underlying_type, d.pos)? {
            TypeRef {
                collection: false,
                target: Target::Primitive(p),
            } => Ok(p),
            _ => Err(Error::new(
                ErrorKind::Csdl,
                "a type definition's underlying type must be a primitive type",
            )
            .at(d.pos)
            .named(&d.name)),
        }
    }

    /// An entity or complex type. An identical repeated property or navigation is merged
    /// (a warning in `warnings`); one that differs is an error.
    fn structured(
        &self,
        t: &csdl::StructuredType,
        entity: bool,
        warnings: &mut Vec<Warning>,
    ) -> Result<Structured> {
        let mut s = self.shell(t)?;
        self.members(t, &mut s, warnings)?;
        no_key_on_complex(t, entity, &s)?;
        Ok(s)
    }

    /// An entity or complex type without its members: base type, flags and key.
    fn shell(&self, t: &csdl::StructuredType) -> Result<Structured> {
        let base = match &t.base_type {
            Some(b) => {
                if let Some(ns) = self.unavailable_namespace(b) {
                    return Err(self.missing_reference(
                        format!("the base type `{b}` of `{}`", t.name),
                        &ns,
                        t.pos,
                        b,
                    ));
                }
                let r = self.type_ref(b, t.pos)?;
                let id = match r {
                    TypeRef {
                        collection: false,
                        target: Target::Type(id),
                    } => id,
                    _ => {
                        return Err(Error::new(
                            ErrorKind::Csdl,
                            format!("base type `{b}` of `{}` is not a structured type", t.name),
                        )
                        .at(t.pos)
                        .named(b))
                    }
                };
                Some(id)
            }
            None => None,
        };
        Ok(Structured {
            base,
            is_abstract: t.is_abstract,
            open: t.open_type,
            has_stream: t.has_stream,
            key: t.key.clone(),
            key_aliases: t.key_aliases.clone(),
            ..Structured::default()
        })
    }

    /// The properties and navigations of `t`, into `s`. An identical repeated one is
    /// merged (a warning in `warnings`); one that differs is an error.
    fn members(
        &self,
        t: &csdl::StructuredType,
        s: &mut Structured,
        warnings: &mut Vec<Warning>,
    ) -> Result<()> {
        // Member name -> (declaration index, model index) among properties (`Ok`) or
        // navigations (`Err`).
        type Slot = (usize, usize);
        let body = t.members.get()?;
        let mut seen: BTreeMap<&str, std::result::Result<Slot, Slot>> = BTreeMap::new();
        for (declared, p) in body.properties.iter().enumerate() {
            check_simple_identifier(&p.name, p.pos)?;
            if let Some(&earlier) = seen.get(p.name.as_str()) {
                match earlier {
                    Ok((first, i)) if same_property(&body.properties[first], p) => {
                        warnings.push(self.merged(&t.name, &p.name, p.pos));
                        for a in &p.annotations {
                            self.add_annotation(&mut s.properties[i].annotations, a);
                        }
                        continue;
                    }
                    _ => return Err(duplicate_member(&t.name, &p.name, p.pos)),
                }
            }
            seen.insert(&p.name, Ok((declared, s.properties.len())));
            s.properties.push(Property {
                name: p.name.clone(),
                pos: p.pos,
                ty: self.type_ref(&p.type_name, p.pos)?,
                nullable: p.nullable,
                default_value: p.default_value.clone(),
                max_length: p.max_length.clone(),
                precision: p.precision.clone(),
                scale: p.scale.clone(),
                annotations: self.collect(&p.annotations),
            });
        }
        for (declared, n) in body.navigation_properties.iter().enumerate() {
            check_simple_identifier(&n.name, n.pos)?;
            if let Some(&earlier) = seen.get(n.name.as_str()) {
                match earlier {
                    Err((first, i)) if same_navigation(&body.navigation_properties[first], n) => {
                        warnings.push(self.merged(&t.name, &n.name, n.pos));
                        for a in &n.annotations {
                            self.add_annotation(&mut s.navigations[i].annotations, a);
                        }
                        continue;
                    }
                    _ => return Err(duplicate_member(&t.name, &n.name, n.pos)),
                }
            }
            seen.insert(&n.name, Err((declared, s.navigations.len())));
            let ty = self.type_ref(&n.type_name, n.pos)?;
            s.navigations.push(Navigation {
                name: n.name.clone(),
                pos: n.pos,
                ty,
                nullable: n.nullable,
                contains_target: n.contains_target,
                partner: n.partner.clone(),
                annotations: self.collect(&n.annotations),
            });
        }
        Ok(())
    }

    /// An enum type. A member repeated with the same value is merged (a warning in
    /// `warnings`); with another value it is an error.
    fn enum_type(
        &self,
        e: &csdl::EnumType,
        namespace: &str,
        warnings: &mut Vec<Warning>,
    ) -> Result<Enum> {
        let underlying = enum_underlying(e, namespace)?;
        Ok(Enum {
            is_flags: e.is_flags,
            members: self.enum_members(e, &underlying, warnings)?,
            underlying,
        })
    }

    /// The members of enum type `e`, checked against its underlying type.
    fn enum_members(
        &self,
        e: &csdl::EnumType,
        underlying: &Primitive,
        warnings: &mut Vec<Warning>,
    ) -> Result<Vec<Member>> {
        let (min, max): (i64, i64) = match underlying {
            Primitive::Byte => (0, u8::MAX.into()),
            Primitive::SByte => (i8::MIN.into(), i8::MAX.into()),
            Primitive::Int16 => (i16::MIN.into(), i16::MAX.into()),
            Primitive::Int32 => (i32::MIN.into(), i32::MAX.into()),
            _ => (i64::MIN, i64::MAX),
        };
        let mut members: Vec<Member> = Vec::new();
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for m in &e.members.get()?.members {
            check_simple_identifier(&m.name, m.pos)?;
            if let Some(&i) = seen.get(m.name.as_str()) {
                if members[i].value != m.value {
                    return Err(duplicate_member(&e.name, &m.name, m.pos));
                }
                warnings.push(self.merged(&e.name, &m.name, m.pos));
                for a in &m.annotations {
                    self.add_annotation(&mut members[i].annotations, a);
                }
                continue;
            }
            seen.insert(&m.name, members.len());
            if m.value < min || m.value > max {
                return Err(Error::new(
                    ErrorKind::Csdl,
                    format!(
                        "value {} of enum member `{}.{}` is out of range for {}",
                        m.value,
                        e.name,
                        m.name,
                        underlying.edm_name()
                    ),
                )
                .at(m.pos)
                .named(format!("{}.{}", e.name, m.name)));
            }
            members.push(Member {
                name: m.name.clone(),
                pos: m.pos,
                value: m.value,
                annotations: self.collect(&m.annotations),
            });
        }
        Ok(members)
    }

    fn check_bases(&mut self) -> Result<()> {
        let n = self.model.types.len();
        for i in 0..n {
            // Errors name the file of the type being checked.
            self.scope = self.type_docs[i];
            self.check_navigation_targets(i)?;
            self.check_base(i)?;
        }
        self.link_derived();
        for i in 0..n {
            self.scope = self.type_docs[i];
            self.check_inherited(i)?;
        }
        for i in 0..n {
            self.scope = self.type_docs[i];
            self.check_keys(i)?;
        }
        Ok(())
    }

    /// Navigation targets are entity types (those declared after their owner are checked
    /// here, once every type is known).
    fn check_navigation_targets(&self, i: usize) -> Result<()> {
        let ty = &self.model.types[i];
        let Some(s) = ty.structured() else {
            return Ok(());
        };
        // Navigation targets declared after their owner are checked here.
        for nav in &s.navigations {
            if let Some(id) = nav.ty.type_id() {
                if !self.model.types[id.0].is_entity() {
                    return Err(Error::new(
                        ErrorKind::Csdl,
                        format!(
                            "navigation property `{}.{}` must target an entity type",
                            ty.name, nav.name
                        ),
                    )
                    .at(nav.pos)
                    .named(self.model.types[id.0].qualified_name()));
                }
            }
        }
        Ok(())
    }

    /// A base type is of the derived type's kind, and no base-type chain loops.
    fn check_base(&self, i: usize) -> Result<()> {
        let n = self.model.types.len();
        let ty = &self.model.types[i];
        let Some(s) = ty.structured() else {
            return Ok(());
        };
        let Some(base) = s.base else {
            return Ok(());
        };
        let base_ty = &self.model.types[base.0];
        if base_ty.is_entity() != ty.is_entity() || base_ty.structured().is_none() {
            return Err(Error::new(
                ErrorKind::Csdl,
                format!(
                    "`{}` cannot derive from `{}`: base and derived types must be of the same kind",
                    ty.qualified_name(),
                    base_ty.qualified_name()
                ),
            )
            .at(ty.pos)
            .named(base_ty.qualified_name()));
        }
        // Cycle check: a chain longer than the number of types must loop.
        let mut current = Some(base);
        let mut steps = 0;
        while let Some(c) = current {
            if c.0 == i || steps > n {
                return Err(Error::new(
                    ErrorKind::Cycle,
                    format!(
                        "the base-type chain of `{}` loops back to itself",
                        ty.qualified_name()
                    ),
                )
                .at(ty.pos)
                .named(ty.qualified_name()));
            }
            steps += 1;
            current = self.model.types[c.0].structured().and_then(|s| s.base);
        }
        Ok(())
    }

    /// Fills every structured type's list of the types derived from it.
    fn link_derived(&mut self) {
        for i in 0..self.model.types.len() {
            if let Some(base) = self.model.types[i].structured().and_then(|s| s.base) {
                if let TypeKind::Entity(s) | TypeKind::Complex(s) =
                    &mut self.model.types[base.0].kind
                {
                    s.derived.push(TypeId(i));
                }
            }
        }
    }

    /// A name may not repeat an inherited one, except a structural property redeclared
    /// with the same type (SAP vocabularies do it): the derived declaration wins
    /// (`Model::all_properties`), with a warning when its facets differ. A redeclaration
    /// with a narrower type that the inherited one admits (`Edm.Untyped` to
    /// `Edm.String`, a complex type to one derived from it) is accepted with a warning:
    /// the derived type's struct gets the narrower type. Referenced documents get no
    /// warnings for either (see `keep_warnings`).
    fn check_inherited(&mut self, i: usize) -> Result<()> {
        let id = TypeId(i);
        if self.model.types[i]
            .structured()
            .and_then(|s| s.base)
            .is_none()
        {
            return Ok(());
        }
        // Sized once: growing it member by member rehashed every name several times.
        let lineage = self.model.lineage(id);
        let members: usize = lineage
            .iter()
            .filter_map(|t| self.model.types[t.0].structured())
            .map(|s| s.properties.len() + s.navigations.len())
            .sum();
        let mut seen: FxHashMap<&str, InheritedMember> =
            FxHashMap::with_capacity_and_hasher(members, Default::default());
        for t in lineage {
            let Some(s) = self.model.types[t.0].structured() else {
                continue;
            };
            let members = s
                .properties
                .iter()
                .map(InheritedMember::Property)
                .chain(s.navigations.iter().map(InheritedMember::Navigation));
            for member in members {
                let (name, pos) = member.name_pos();
                let Some(earlier) = seen.insert(name, member) else {
                    continue;
                };
                match (earlier, member) {
                    (InheritedMember::Property(a), InheritedMember::Property(b))
                        if a.ty == b.ty =>
                    {
                        // Only report each redeclaration once, on the type declaring it;
                        // in referenced documents it is theirs to fix, not the user's.
                        if t == id && !same_facets(a, b) && !self.model.types[i].external {
                            let message = format!(
                                "`{}` redeclares the inherited property `{name}` with other facets; the redeclaration is used",
                                self.model.types[i].qualified_name()
                            );
                            let w = self.warning(pos, message);
                            self.model.warnings.push(w);
                        }
                    }
                    (InheritedMember::Property(a), InheritedMember::Property(b))
                        if admits(&self.model, &a.ty, &b.ty) =>
                    {
                        if t == id && !self.model.types[i].external {
                            let message = format!(
                                "`{}` redeclares the inherited property `{name}` of type `{}` with the narrower type `{}`; its struct's field has the narrower type",
                                self.model.types[i].qualified_name(),
                                self.spelled(&a.ty),
                                self.spelled(&b.ty),
                            );
                            let w = self.warning(pos, message);
                            self.model.warnings.push(w);
                        }
                    }
                    (InheritedMember::Property(_), InheritedMember::Property(_)) => {
                        return Err(Error::new(
                            ErrorKind::Csdl,
                            format!(
                                "`{}` redeclares the inherited property `{name}` with another type",
                                self.model.types[i].name
                            ),
                        )
                        .at(pos)
                        .named(name));
                    }
                    _ => return Err(duplicate_member(&self.model.types[i].name, name, pos)),
                }
            }
        }
        Ok(())
    }

    /// Keys name properties of the type or of a base type, or paths through single
    /// complex properties to one (`Info/ID`, which needs an alias).
    fn check_keys(&mut self, i: usize) -> Result<()> {
        let id = TypeId(i);
        let Some(s) = self.model.types[i].structured() else {
            return Ok(());
        };
        for k in &s.key {
            let ty = &self.model.types[i];
            let Some(property) = self.model.property_at_path(id, k) else {
                let what = if k.contains('/') {
                    "is not a path through single-valued complex properties to a property"
                } else {
                    "is not a property"
                };
                return Err(Error::new(
                    ErrorKind::Csdl,
                    format!(
                        "key property `{k}` {what} of `{}` or of its base types",
                        ty.name
                    ),
                )
                .at(ty.pos)
                .named(k));
            };
            // The type of the property where the path ends, in the type that declares it.
            let (parent, last) = match k.rsplit_once('/') {
                Some((head, last)) => (
                    self.model
                        .property_at_path(id, head)
                        .and_then(|p| p.ty.type_id())
                        .unwrap_or(id),
                    last,
                ),
                None => (id, k.as_str()),
            };
            let declaring = self
                .model
                .all_properties(parent)
                .into_iter()
                .find(|(_, p)| p.name == last)
                .map_or(parent, |(owner, _)| owner);
            if let Some(ns) = self.missing_types.get(&(declaring, last.to_string())) {
                let (pos, ns) = (property.pos, ns.clone());
                self.scope = self.type_docs[declaring.0];
                return Err(self.missing_reference(
                    format!("the type of key property `{k}` of `{}`", ty.name),
                    &ns,
                    pos,
                    k,
                ));
            }
            if k.contains('/') && !s.key_aliases.iter().any(|(p, _)| p == k) && !ty.external {
                let message = format!(
                    "key property path `{k}` of `{}` has no alias; URLs name it `{last}`",
                    ty.name
                );
                let w = self.warning(ty.pos, message);
                self.model.warnings.push(w);
            }
        }
        Ok(())
    }

    fn operations(&mut self) -> Result<()> {
        for (d, schema) in self.schemas() {
            self.scope = d;
            for op in &schema.operations {
                check_simple_identifier(&op.name, op.pos)?;
                let mut params = Vec::new();
                let mut seen = BTreeMap::new();
                for p in &op.parameters {
                    if seen.insert(p.name.as_str(), ()).is_some() {
                        return Err(duplicate_member(&op.name, &p.name, p.pos));
                    }
                    params.push(Parameter {
                        name: p.name.clone(),
                        pos: p.pos,
                        ty: self.type_ref(&p.type_name, p.pos)?,
                        nullable: p.nullable,
                        annotations: self.collect(&p.annotations),
                    });
                }
                let binding = if op.is_bound {
                    Some(params.remove(0).ty)
                } else {
                    None
                };
                let return_type = match &op.return_type {
                    Some(r) => Some(ReturnType {
                        ty: self.type_ref(&r.type_name, r.pos)?,
                        nullable: r.nullable,
                    }),
                    None => None,
                };
                self.model.operations.push(Operation {
                    kind: op.kind,
                    namespace: schema.namespace.clone(),
                    name: op.name.clone(),
                    pos: op.pos,
                    binding,
                    is_composable: op.is_composable,
                    entity_set_path: op.entity_set_path.clone(),
                    parameters: params,
                    return_type,
                    annotations: self.collect(&op.annotations),
                    external: self.external(),
                });
            }
        }
        Ok(())
    }

    fn containers(&mut self) -> Result<()> {
        // Only the main document's containers: a referenced document lends types, not a
        // service.
        for (_, schema) in self.schemas().into_iter().filter(|(d, _)| *d == 0) {
            self.scope = 0;
            for c in &schema.containers {
                let mut container = Container {
                    namespace: schema.namespace.clone(),
                    name: c.name.clone(),
                    entity_sets: Vec::new(),
                    singletons: Vec::new(),
                    imports: Vec::new(),
                    annotations: self.collect(&c.annotations),
                };
                // Entity sets, singletons and imports share one namespace per container.
                let mut children: Vec<(&String, Pos)> = c
                    .entity_sets
                    .iter()
                    .chain(&c.singletons)
                    .map(|s| (&s.name, s.pos))
                    .chain(
                        c.action_imports
                            .iter()
                            .chain(&c.function_imports)
                            .map(|i| (&i.name, i.pos)),
                    )
                    .collect();
                children.sort_by_key(|(_, pos)| *pos);
                let mut names: BTreeMap<&str, ()> = BTreeMap::new();
                for (name, pos) in children {
                    if names.insert(name.as_str(), ()).is_some() {
                        return Err(duplicate_member(&c.name, name, pos));
                    }
                }
                for (list, out) in [
                    (&c.entity_sets, &mut container.entity_sets),
                    (&c.singletons, &mut container.singletons),
                ] {
                    for s in list {
                        if let Some(ns) = self.unavailable_namespace(&s.entity_type) {
                            return Err(self.missing_reference(
                                format!("the entity type `{}` of `{}`", s.entity_type, s.name),
                                &ns,
                                s.pos,
                                &s.entity_type,
                            ));
                        }
                        let id = match self.type_ref(&s.entity_type, s.pos)? {
                            TypeRef {
                                collection: false,
                                target: Target::Type(id),
                            } if self.model.types[id.0].is_entity() => id,
                            _ => {
                                return Err(Error::new(
                                    ErrorKind::Csdl,
                                    format!("`{}` must name an entity type", s.name),
                                )
                                .at(s.pos)
                                .named(&s.entity_type))
                            }
                        };
                        out.push(EntitySet {
                            name: s.name.clone(),
                            pos: s.pos,
                            entity_type: id,
                            bindings: s
                                .navigation_bindings
                                .iter()
                                .map(|b| (b.path.clone(), b.target.clone()))
                                .collect(),
                            annotations: self.collect(&s.annotations),
                        });
                    }
                }
                for (list, kind) in [
                    (&c.action_imports, csdl::OperationKind::Action),
                    (&c.function_imports, csdl::OperationKind::Function),
                ] {
                    for i in list {
                        let target = self.canonical(&i.operation);
                        let overloads: Vec<OperationId> = self
                            .model
                            .operations
                            .iter()
                            .enumerate()
                            .filter(|(_, o)| {
                                o.binding.is_none()
                                    && o.kind == kind
                                    && o.qualified_name() == target
                            })
                            .map(|(n, _)| OperationId(n))
                            .collect();
                        if overloads.is_empty() {
                            return Err(Error::new(
                                ErrorKind::Unresolved,
                                format!(
                                    "import `{}` names no unbound operation `{}`",
                                    i.name, i.operation
                                ),
                            )
                            .at(i.pos)
                            .named(&i.operation));
                        }
                        container.imports.push(OperationImport {
                            kind,
                            name: i.name.clone(),
                            pos: i.pos,
                            overloads,
                            entity_set: i.entity_set.clone(),
                            annotations: self.collect(&i.annotations),
                        });
                    }
                }
                self.model.containers.push(container);
            }
        }
        Ok(())
    }

    /// The canonical spelling of a type reference, for matching overload signatures.
    fn spelled(&self, r: &TypeRef) -> String {
        let inner = match &r.target {
            Target::Primitive(p) => p.edm_name(),
            Target::Type(id) => self.model.types[id.0].qualified_name(),
        };
        if r.collection {
            ["Collection(", &inner, ")"].concat()
        } else {
            inner
        }
    }

    fn canonical_type_text(&self, raw: &str) -> String {
        self.canonical_type_text_in(self.scope, raw)
    }

    /// [`Self::canonical_type_text`] as the document `scope` spells names.
    fn canonical_type_text_in(&self, scope: usize, raw: &str) -> String {
        let raw = raw.trim();
        match raw
            .strip_prefix("Collection(")
            .and_then(|r| r.strip_suffix(')'))
        {
            Some(inner) => format!("Collection({})", self.canonical_in(scope, inner.trim())),
            None => self.canonical_in(scope, raw).into_owned(),
        }
    }

    fn terms(&mut self) {
        for (d, schema) in self.schemas() {
            self.scope = d;
            for t in &schema.terms {
                let term = Term {
                    namespace: schema.namespace.clone(),
                    name: t.name.clone(),
                    pos: t.pos,
                    type_name: self.canonical_type_text(&t.type_name),
                    applies_to: t.applies_to.clone(),
                    external: self.external(),
                };
                self.model.terms.push(term);
            }
        }
    }

    /// The phases after the types, the same for eager and lazy resolution: operations,
    /// containers, terms, and the targets of every annotation block.
    fn beyond_types(&mut self) -> Result<()> {
        self.operations()?;
        self.containers()?;
        self.terms();
        self.annotation_blocks()
    }

    fn annotation_blocks(&mut self) -> Result<()> {
        // Name indexes, so each target is a lookup, not a scan of every operation.
        let mut operations: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (i, op) in self.model.operations.iter().enumerate() {
            operations.entry(op.qualified_name()).or_default().push(i);
        }
        let containers: FxHashMap<String, usize> = self
            .model
            .containers
            .iter()
            .enumerate()
            .map(|(i, c)| (super::qualify(&c.namespace, &c.name), i))
            .collect();
        let index = TargetIndex {
            operations,
            containers,
        };
        // Every block's target is looked up first (on two threads for a large document:
        // the lookups only read), then what they name is attached in document order.
        let mut blocks = Vec::new();
        let mut schema_index = (usize::MAX, 0);
        for (d, schema) in self.schemas() {
            schema_index = if schema_index.0 == d {
                (d, schema_index.1 + 1)
            } else {
                (d, 0)
            };
            for (b, block) in schema.annotation_blocks.iter().enumerate() {
                blocks.push(((d, schema_index.1, b), block));
            }
        }
        let found = self.find_targets(&blocks, &index);
        for (&((d, schema, b), block), named) in blocks.iter().zip(&found.named) {
            // Blocks without an annotation that applies name nothing to attach.
            let Some(named) = named else {
                continue;
            };
            self.scope = d;
            let subjects = &found.subjects[named.clone()];
            if subjects.is_empty() {
                let w = self.warning(
                    block.pos,
                    format!(
                        "annotation target `{}` does not resolve; its annotations are ignored",
                        block.target
                    ),
                );
                self.model.warnings.push(w);
                continue;
            }
            let mut wanted = None;
            for &subject in subjects {
                if let Subject::Later(id) = subject {
                    self.defer((d, schema, b), id);
                } else {
                    let wanted = match &wanted {
                        Some(wanted) => wanted,
                        None => wanted.insert(self.wanted(d, block)?),
                    };
                    self.attach(block, wanted, subject);
                }
            }
        }
        match found.error {
            Some((d, e)) => {
                // Located in the block's document (`Resolver::locate`).
                self.scope = d;
                Err(e)
            }
            None => Ok(()),
        }
    }

    /// What each of `blocks` names ([`FoundTargets`]), on two threads when there are many:
    /// Graph v1.0 has 4,918 blocks, whose lookups took about 2 of the 5 ms that resolving
    /// it for roots takes, and the lookups only read the resolver.
    fn find_targets(&self, blocks: &[BlockAt<'d>], index: &TargetIndex) -> FoundTargets {
        let find = |blocks: &[BlockAt<'d>]| {
            let mut found = FoundTargets {
                named: Vec::with_capacity(blocks.len()),
                subjects: Vec::with_capacity(blocks.len()),
                error: None,
            };
            for &((d, _, _), block) in blocks {
                // Most blocks name a type not filled yet and are only deferred: which of
                // their annotations apply is collected when one is attached. The main
                // document's annotations all apply (`is_wanted`): whether there is one is
                // found without reading them (`csdl::Deferred`).
                let any_wanted = if d == 0 {
                    Ok(block.has_annotations())
                } else {
                    (block.annotations.get()).map(|a| a.iter().any(|a| self.is_wanted(d, block, a)))
                };
                match any_wanted {
                    Ok(false) => found.named.push(None),
                    Ok(true) => {
                        let start = found.subjects.len();
                        self.targets(d, &block.target, index, &mut found.subjects);
                        found.named.push(Some(start..found.subjects.len()));
                    }
                    Err(e) => {
                        found.error = Some((d, e));
                        break;
                    }
                }
            }
            found
        };
        if blocks.len() < PARALLEL_BLOCKS || crate::write::cores() < 2 {
            return find(blocks);
        }
        let (first, second) = blocks.split_at(blocks.len() / 2);
        let (mut found, later) = crate::write::on_two_threads(|| find(first), || find(second));
        found.append(later);
        found
    }

    /// The annotations of `block` (in document `d`) that apply: all of the main document's;
    /// a referenced document's only as its references' `IncludeAnnotations` say (by term
    /// namespace, qualifier, target namespace).
    fn wanted(
        &self,
        d: usize,
        block: &'d csdl::AnnotationBlock,
    ) -> Result<Vec<&'d csdl::Annotation>> {
        Ok((block.annotations.get()?.iter())
            .filter(|a| self.is_wanted(d, block, a))
            .collect())
    }

    /// Whether annotation `a` of `block` applies ([`Self::wanted`]).
    fn is_wanted(&self, d: usize, block: &csdl::AnnotationBlock, a: &csdl::Annotation) -> bool {
        d == 0 || {
            let filters = &self.docs[d].annotation_filters;
            let term = self.canonical_in(d, &a.term);
            let target = self.canonical_in(d, &block.target);
            let qualifier = a.qualifier.as_ref().or(block.qualifier.as_ref());
            filters.iter().any(|f| {
                term.strip_suffix(term.rsplit('.').next().unwrap_or_default())
                    == Some(&format!("{}.", f.term_namespace))
                    && f.qualifier.as_ref().is_none_or(|q| Some(q) == qualifier)
                    && f.target_namespace
                        .as_ref()
                        .is_none_or(|ns| target.starts_with(&format!("{ns}.")))
            })
        }
    }

    /// Adds the `wanted` annotations of `block` to `subject`.
    fn attach(
        &mut self,
        block: &csdl::AnnotationBlock,
        wanted: &[&csdl::Annotation],
        subject: Subject,
    ) {
        for a in wanted {
            let mut a = (*a).clone();
            a.term = self.canonical(&a.term).into_owned();
            // The block's qualifier applies to annotations without their own.
            if a.qualifier.is_none() && block.qualifier.is_some() {
                a.qualifier.clone_from(&block.qualifier);
            }
            self.annotations_mut(subject).add(&a);
        }
    }

    /// Resolves an annotation target path, as document `scope` spells it, to the elements it
    /// names (an unqualified overload name names every overload), appended to `out` (one
    /// buffer for many blocks: most name one element, and a vector each cost an
    /// allocation).
    fn targets(&self, scope: usize, target: &str, index: &TargetIndex, out: &mut Vec<Subject>) {
        let target = target.trim();
        // Split `head(signature)/rest` or `head/rest`, by whichever of `(` and `/` comes
        // first (one pass over the bytes: this runs for every block of the document).
        let first = target.bytes().position(|b| b == b'(' || b == b'/');
        let (head, signature, rest) = match first {
            Some(open) if target.as_bytes()[open] == b'(' => {
                let Some(close) = matching_paren(target, open) else {
                    return;
                };
                let rest = target[close + 1..].strip_prefix('/');
                (&target[..open], Some(&target[open + 1..close]), rest)
            }
            Some(slash) => (&target[..slash], None, Some(&target[slash + 1..])),
            None => (target, None, None),
        };
        if rest.is_some_and(|r| r.contains('/')) {
            return;
        }
        let qualified = self.canonical_in(scope, head);
        if signature.is_none() {
            if let Some(&id) = self.type_ids.get(qualified.as_ref()) {
                if !self.is_filled(id) {
                    if rest.is_none_or(|member| self.declares(id, member)) {
                        out.push(Subject::Later(id));
                    }
                    return;
                }
                let ty = &self.model.types[id.0];
                match rest {
                    None => out.push(Subject::Type(id)),
                    Some(member) => match &ty.kind {
                        TypeKind::Entity(s) | TypeKind::Complex(s) => {
                            if let Some(i) = s.properties.iter().position(|p| p.name == member) {
                                out.push(Subject::Property(id, i));
                            } else if let Some(i) =
                                s.navigations.iter().position(|n| n.name == member)
                            {
                                out.push(Subject::Navigation(id, i));
                            }
                        }
                        TypeKind::Enum(e) => {
                            if let Some(i) = e.members.iter().position(|m| m.name == member) {
                                out.push(Subject::Member(id, i));
                            }
                        }
                        TypeKind::Definition(_) => {}
                    },
                }
                return;
            }
            if let Some(&ci) = index.containers.get(qualified.as_ref()) {
                let c = &self.model.containers[ci];
                match rest {
                    None => out.push(Subject::Container(ci)),
                    Some(member) => {
                        if let Some(i) = c.entity_sets.iter().position(|s| s.name == member) {
                            out.push(Subject::EntitySet(ci, i));
                        } else if let Some(i) = c.singletons.iter().position(|s| s.name == member) {
                            out.push(Subject::Singleton(ci, i));
                        } else if let Some(i) = c.imports.iter().position(|s| s.name == member) {
                            out.push(Subject::Import(ci, i));
                        }
                    }
                }
                return;
            }
        }
        let wanted: Option<Vec<String>> = signature.map(|sig| {
            split_signature(sig)
                .iter()
                .map(|t| self.canonical_type_text_in(scope, t))
                .collect()
        });
        let overloads = index
            .operations
            .get(qualified.as_ref())
            .map_or(&[][..], Vec::as_slice);
        for &i in overloads {
            let op = &self.model.operations[i];
            if let Some(wanted) = &wanted {
                let actual: Vec<String> = op
                    .binding
                    .iter()
                    .chain(op.parameters.iter().map(|p| &p.ty))
                    .map(|t| self.spelled(t))
                    .collect();
                // CSDL 4.01 targets an action overload by its binding type alone
                // (`ns.act(ns.a)`, `ns.act()` when unbound); Graph spells every parameter.
                let binding_only: Vec<String> =
                    op.binding.iter().map(|t| self.spelled(t)).collect();
                let by_binding = op.kind == csdl::OperationKind::Action && &binding_only == wanted;
                if &actual != wanted && !by_binding {
                    continue;
                }
            }
            let id = OperationId(i);
            match rest {
                None => out.push(Subject::Operation(id)),
                Some(param) => {
                    if let Some(p) = op.parameters.iter().position(|p| p.name == param) {
                        out.push(Subject::Parameter(id, p));
                    }
                }
            }
        }
    }

    fn annotations_mut(&mut self, subject: Subject) -> &mut Annotations {
        let m = &mut self.model;
        match subject {
            Subject::Type(id) => &mut m.types[id.0].annotations,
            Subject::Property(id, i) => match &mut m.types[id.0].kind {
                TypeKind::Entity(s) | TypeKind::Complex(s) => &mut s.properties[i].annotations,
                _ => unreachable!("subject kinds are built from the matching type kind"),
            },
            Subject::Navigation(id, i) => match &mut m.types[id.0].kind {
                TypeKind::Entity(s) | TypeKind::Complex(s) => &mut s.navigations[i].annotations,
                _ => unreachable!("subject kinds are built from the matching type kind"),
            },
            Subject::Member(id, i) => match &mut m.types[id.0].kind {
                TypeKind::Enum(e) => &mut e.members[i].annotations,
                _ => unreachable!("subject kinds are built from the matching type kind"),
            },
            Subject::Operation(id) => &mut m.operations[id.0].annotations,
            Subject::Parameter(id, i) => &mut m.operations[id.0].parameters[i].annotations,
            Subject::Container(c) => &mut m.containers[c].annotations,
            Subject::EntitySet(c, i) => &mut m.containers[c].entity_sets[i].annotations,
            Subject::Singleton(c, i) => &mut m.containers[c].singletons[i].annotations,
            Subject::Import(c, i) => &mut m.containers[c].imports[i].annotations,
            Subject::Later(_) => unreachable!("deferred subjects are attached when filled"),
        }
    }
}

/// A property or navigation, for the inheritance checks.
#[derive(Clone, Copy)]
enum InheritedMember<'a> {
    Property(&'a Property),
    Navigation(&'a Navigation),
}

impl<'a> InheritedMember<'a> {
    fn name_pos(&self) -> (&'a str, Pos) {
        match self {
            InheritedMember::Property(p) => (p.name.as_str(), p.pos),
            InheritedMember::Navigation(n) => (n.name.as_str(), n.pos),
        }
    }
}

/// Whether two declarations of one property in one type say the same (their annotations
/// aside): the second is then merged into the first.
fn same_property(a: &csdl::Property, b: &csdl::Property) -> bool {
    a.type_name.trim() == b.type_name.trim()
        && a.nullable == b.nullable
        && a.default_value == b.default_value
        && a.max_length == b.max_length
        && a.precision == b.precision
        && a.scale == b.scale
        && a.unicode == b.unicode
}

/// [`same_property`] for navigation properties.
fn same_navigation(a: &csdl::NavigationProperty, b: &csdl::NavigationProperty) -> bool {
    a.type_name.trim() == b.type_name.trim()
        && a.nullable == b.nullable
        && a.contains_target == b.contains_target
        && a.partner == b.partner
}

/// Whether a property of type `base` admits the narrower type `derived` that a derived
/// type redeclares it with: `Edm.Untyped` admits anything, `Edm.PrimitiveType` any
/// primitive (or type definition), `Edm.ComplexType`/`Edm.EntityType` any type of that
/// kind, and a structured type its derived types. Collections must match.
fn admits(model: &Model, base: &TypeRef, derived: &TypeRef) -> bool {
    if base.collection != derived.collection {
        return false;
    }
    match (&base.target, &derived.target) {
        (Target::Primitive(Primitive::Untyped), _) => true,
        (Target::Primitive(Primitive::Abstract(a)), Target::Primitive(p)) => {
            a == "PrimitiveType" && !matches!(p, Primitive::Untyped | Primitive::Abstract(_))
        }
        (Target::Primitive(Primitive::Abstract(a)), Target::Type(d)) => matches!(
            (a.as_str(), &model.ty(*d).kind),
            ("PrimitiveType", TypeKind::Definition(_))
                | ("ComplexType", TypeKind::Complex(_))
                | ("EntityType", TypeKind::Entity(_))
        ),
        (Target::Type(b), Target::Type(d)) => {
            model.ty(*b).structured().is_some() && model.inherits_from(*d, *b)
        }
        _ => false,
    }
}

/// The underlying type of enum type `e`: an integer type, `Edm.Int32` when not given.
fn enum_underlying(e: &csdl::EnumType, namespace: &str) -> Result<Primitive> {
    Ok(match e.underlying_type.as_deref() {
        None => Primitive::Int32,
        Some(u) => match u.strip_prefix("Edm.").and_then(Primitive::from_edm) {
            Some(
                p @ (Primitive::Byte
                | Primitive::SByte
                | Primitive::Int16
                | Primitive::Int32
                | Primitive::Int64),
            ) => p,
            _ => {
                return Err(Error::new(
                    ErrorKind::Csdl,
                    format!("enum underlying type `{u}` is not an integer type"),
                )
                .at(e.pos)
                .named(format!("{namespace}.{}", e.name)))
            }
        },
    })
}

/// A complex type has no key. (Key properties may be inherited: they are checked once base
/// types are known.)
fn no_key_on_complex(t: &csdl::StructuredType, entity: bool, s: &Structured) -> Result<()> {
    if !entity && !s.key.is_empty() {
        return Err(
            Error::new(ErrorKind::Csdl, "a complex type cannot have a key")
                .at(t.pos)
                .named(&t.name),
        );
    }
    Ok(())
}

fn same_facets(a: &Property, b: &Property) -> bool {
    a.nullable == b.nullable
        && a.max_length == b.max_length
        && a.precision == b.precision
        && a.scale == b.scale
        && a.default_value == b.default_value
}

fn duplicate_member(owner: &str, name: &str, pos: Pos) -> Error {
    Error::new(
        ErrorKind::Csdl,
        format!("`{owner}` declares `{name}` more than once"),
    )
    .at(pos)
    .named(name)
}

/// CSDL names must be SimpleIdentifiers (a letter or `_`, then letters, digits, `_` and
/// combining marks; `_` alone is one). Real metadata also uses `-` (Graph's `request-id`)
/// and other characters, so anything is accepted that cannot break a qualified name or a
/// target path; the plan turns every accepted name into a valid Rust identifier.
fn check_simple_identifier(name: &str, pos: Pos) -> Result<()> {
    // Nearly every name is ASCII letters, digits and underscores: valid at a glance (one
    // table lookup a byte; the three range checks of `is_ascii_alphanumeric` cost about
    // twice as much, 1.8M instructions on the types and operations of Graph v1.0).
    let plain = name.len() <= 511
        && name.bytes().all(|b| WORD_BYTE[usize::from(b)] != 0)
        && name
            .bytes()
            .any(|b| WORD_BYTE[usize::from(b)] == ALPHANUMERIC);
    if plain {
        return Ok(());
    }
    let ok = !name.is_empty()
        && name.chars().count() <= 511
        && !name.chars().any(|c| {
            c.is_whitespace()
                || c.is_control()
                || matches!(c, '.' | '/' | '(' | ')' | ',' | '\'' | '"')
        })
        // A name needs a letter or digit, unless it is made of underscores (`_`, `__`).
        && (name.chars().any(char::is_alphanumeric) || name.chars().all(|c| c == '_'));
    if ok {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::Naming,
            format!("`{name}` is not a valid CSDL identifier"),
        )
        .at(pos)
        .named(name))
    }
}

/// [`WORD_BYTE`] of an ASCII letter or digit.
const ALPHANUMERIC: u8 = 1;
/// [`WORD_BYTE`] of `_`.
const UNDERSCORE: u8 = 2;

/// Per byte: [`ALPHANUMERIC`], [`UNDERSCORE`], or 0 for any other byte.
static WORD_BYTE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = if byte.is_ascii_alphanumeric() {
            ALPHANUMERIC
        } else if byte == b'_' {
            UNDERSCORE
        } else {
            0
        };
        b += 1;
    }
    table
};

/// `qualified.rsplit_once('.')`, searched from the end byte by byte: the name after the
/// dot is short, and `str`'s searcher costs more to set up than the search (2M
/// instructions of the resolution of Graph v1.0).
fn split_last_dot(qualified: &str) -> Option<(&str, &str)> {
    let dot = qualified.bytes().rposition(|b| b == b'.')?;
    Some((&qualified[..dot], &qualified[dot + 1..]))
}

fn matching_paren(s: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices().skip_while(|(i, _)| *i < open) {
        match c {
            '(' => depth += 1,
            ')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Splits `a, Collection(b), c` at top-level commas.
fn split_signature(sig: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    for c in sig.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(current.trim().to_string());
                current.clear();
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    if !current.trim().is_empty() {
        parts.push(current.trim().to_string());
    }
    parts
}

#[cfg(test)]
mod split_tests {
    use super::split_last_dot;

    #[test]
    fn splits_at_the_last_dot_as_rsplit_once_does() {
        for name in [
            "graph.user",
            "microsoft.graph.user",
            "user",
            "",
            ".",
            "a.",
            ".b",
            "ns.é.x",
        ] {
            assert_eq!(split_last_dot(name), name.rsplit_once('.'), "{name:?}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_byte_table_classes_bytes_as_the_ascii_tests_do() {
        for b in 0..=u8::MAX {
            let expected = if b.is_ascii_alphanumeric() {
                ALPHANUMERIC
            } else if b == b'_' {
                UNDERSCORE
            } else {
                0
            };
            assert_eq!(WORD_BYTE[usize::from(b)], expected, "byte {b}");
        }
    }

    #[test]
    fn simple_identifiers() {
        let pos = Pos::default();
        for ok in ["a", "user", "_x1", "_", "__", "é", "名前", "a-b"] {
            assert!(check_simple_identifier(ok, pos).is_ok(), "{ok}");
        }
        for bad in ["", "a.b", "a b", "a/b", "f(x)", "\u{7}", &"a".repeat(512)] {
            assert!(check_simple_identifier(bad, pos).is_err(), "{bad}");
        }
    }
}

//! Resolution on demand: [`resolve_lazy`] resolves what every later stage may ask of any
//! type (names, kinds, base types and the checks of base-type chains, derived types,
//! operations, containers, annotation targets), and leaves each type's members (properties,
//! navigations, enum members, annotations) and the checks that need them for
//! [`Model::fill`], called for the types the overrides and the docs overlay name and for each
//! type `select` reads. The Graph synchronization roots fill 109 of 3,827 types.
//!
//! A type is filled with the same code and the same messages as [`super::resolve_all`]
//! resolves it, its base types first; an error in the members of a type nothing reaches is
//! not reported (ARCHITECTURE.md, resolve).

use super::*;

/// What a lazily resolved model has filled, and what waits for a type to be filled.
#[derive(Debug, Clone)]
pub(super) struct Progress {
    /// Whether each type's members are resolved (by `TypeId`).
    filled: Vec<bool>,
    /// The annotation blocks that target each type or one of its members, attached when
    /// the type is filled: (document, schema, block), in document order.
    deferred: Vec<Vec<(usize, usize, usize)>>,
}

/// What a lazily resolved [`Model`] keeps to resolve more of its types: the documents and
/// the resolver's name tables.
#[derive(Clone)]
pub struct Pending {
    loaded: Loaded,
    tables: Tables,
}

impl std::fmt::Debug for Pending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let filled = self
            .tables
            .lazy
            .as_ref()
            .map_or(0, |p| p.filled.iter().filter(|f| **f).count());
        write!(
            f,
            "Pending({filled} of {} types filled)",
            self.tables.decls.len()
        )
    }
}

/// The resolver's state besides the documents and the model.
#[derive(Clone)]
pub(super) struct Tables {
    scopes: Vec<Scope>,
    type_ids: FxHashMap<String, TypeId>,
    type_docs: Vec<usize>,
    missing_types: FxHashMap<(TypeId, String), String>,
    decls: Vec<Decl>,
    lazy: Option<Progress>,
}

/// Resolves the main document of `loaded` with the documents it references, leaving the
/// members of every type for [`Model::fill`] (see the module docs). `loaded` is kept in the
/// model until [`Model::release`].
pub fn resolve_lazy(loaded: Loaded) -> Result<Model> {
    let (tables, mut model) = {
        let mut r = Resolver::new(&loaded)?;
        let result = (|| {
            r.register_types()?;
            r.shells()?;
            for i in 0..r.model.types.len() {
                r.scope = r.type_docs[i];
                r.check_base(i)?;
            }
            r.link_derived();
            r.beyond_types()
        })();
        if let Err(e) = result {
            return Err(r.locate(e));
        }
        r.suspend()
    };
    super::model_from(&loaded, &mut model);
    model.pending = Some(Box::new(Pending { loaded, tables }));
    Ok(model)
}

/// [`Model::fill`]: resolves the members of `ids` and of their base types, unless the
/// model was resolved whole or they are filled already.
pub(in crate::model) fn fill(model: &mut Model, ids: &[TypeId]) -> Result<()> {
    let Some(pending) = model.pending.take() else {
        return Ok(());
    };
    let Pending { loaded, tables } = *pending;
    let mut r = Resolver::resume(&loaded, tables, std::mem::take(model));
    let result = ids
        .iter()
        .try_for_each(|&id| r.fill(id))
        .map_err(|e| r.locate(e));
    let (tables, filled) = r.suspend();
    *model = filled;
    model.pending = Some(Box::new(Pending { loaded, tables }));
    result
}

impl<'d> Resolver<'d> {
    /// A resolver over `loaded` that continues where [`Resolver::suspend`] stopped.
    fn resume(loaded: &'d Loaded, tables: Tables, model: Model) -> Self {
        Resolver {
            docs: loaded.documents.iter().collect(),
            scopes: tables.scopes,
            scope: 0,
            type_ids: tables.type_ids,
            type_docs: tables.type_docs,
            missing_types: tables.missing_types,
            decls: tables.decls,
            lazy: tables.lazy,
            model,
        }
    }

    fn suspend(self) -> (Tables, Model) {
        let tables = Tables {
            scopes: self.scopes,
            type_ids: self.type_ids,
            type_docs: self.type_docs,
            missing_types: self.missing_types,
            decls: self.decls,
            lazy: self.lazy,
        };
        (tables, self.model)
    }

    fn schema_of(&self, decl: Decl) -> &'d csdl::Schema {
        let docs = &self.docs;
        &docs[decl.doc].document.schemas[decl.schema]
    }

    /// Every type without its members: kinds, base types, flags and keys of structured
    /// types, underlying types of enums, type definitions whole.
    pub(super) fn shells(&mut self) -> Result<()> {
        let n = self.decls.len();
        self.lazy = Some(Progress {
            filled: vec![false; n],
            deferred: vec![Vec::new(); n],
        });
        for i in 0..n {
            let decl = self.decls[i];
            self.scope = decl.doc;
            let schema = self.schema_of(decl);
            let kind = match decl.kind {
                DeclKind::Entity | DeclKind::Complex => {
                    let entity = decl.kind == DeclKind::Entity;
                    let list = if entity {
                        &schema.entity_types
                    } else {
                        &schema.complex_types
                    };
                    let t = &list[decl.index];
                    let s = self.shell(t)?;
                    no_key_on_complex(t, entity, &s)?;
                    if entity {
                        TypeKind::Entity(s)
                    } else {
                        TypeKind::Complex(s)
                    }
                }
                DeclKind::Enum => {
                    let e = &schema.enum_types[decl.index];
                    TypeKind::Enum(Enum {
                        underlying: enum_underlying(e, &schema.namespace)?,
                        is_flags: e.is_flags,
                        members: Vec::new(),
                    })
                }
                DeclKind::Definition => {
                    TypeKind::Definition(self.definition(&schema.type_definitions[decl.index])?)
                }
            };
            self.model.types[i].kind = kind;
        }
        Ok(())
    }

    /// Whether the members of `id` are resolved (always, unless resolving lazily).
    pub(super) fn is_filled(&self, id: TypeId) -> bool {
        self.lazy
            .as_ref()
            .is_none_or(|p| p.filled.get(id.0).is_none_or(|f| *f))
    }

    /// Whether the declaration of `id` has a member named `member`.
    pub(super) fn declares(&self, id: TypeId, member: &str) -> bool {
        let decl = self.decls[id.0];
        let schema = self.schema_of(decl);
        match decl.kind {
            DeclKind::Entity => schema.entity_types[decl.index].declares(member),
            DeclKind::Complex => schema.complex_types[decl.index].declares(member),
            DeclKind::Enum => schema.enum_types[decl.index].declares(member),
            DeclKind::Definition => false,
        }
    }

    /// Keeps annotation block `block` (document, schema, index) for when `id` is filled.
    pub(super) fn defer(&mut self, block: (usize, usize, usize), id: TypeId) {
        if let Some(p) = &mut self.lazy {
            p.deferred[id.0].push(block);
        }
    }

    /// Resolves the members of `id` (its base types first), as `fill_types` does, attaches
    /// its annotation blocks and runs the checks that need members: navigation targets,
    /// inherited members, keys.
    fn fill(&mut self, id: TypeId) -> Result<()> {
        if self.is_filled(id) {
            return Ok(());
        }
        if let Some(p) = &mut self.lazy {
            p.filled[id.0] = true;
        }
        if let Some(base) = self.model.types[id.0].structured().and_then(|s| s.base) {
            self.fill(base)?;
        }
        let decl = self.decls[id.0];
        self.scope = decl.doc;
        let schema = self.schema_of(decl);
        let mut warnings = Vec::new();
        let annotations = match decl.kind {
            DeclKind::Entity | DeclKind::Complex => {
                let t = match decl.kind {
                    DeclKind::Entity => &schema.entity_types[decl.index],
                    _ => &schema.complex_types[decl.index],
                };
                let (TypeKind::Entity(s) | TypeKind::Complex(s)) = &mut self.model.types[id.0].kind
                else {
                    unreachable!("a structured declaration has a structured shell");
                };
                let mut s = std::mem::take(s);
                let result = self.members(t, &mut s, &mut warnings);
                if let TypeKind::Entity(slot) | TypeKind::Complex(slot) =
                    &mut self.model.types[id.0].kind
                {
                    *slot = s;
                }
                result?;
                // Read by `members` just above.
                let body = t.members.get()?;
                for p in &body.properties {
                    if let Some(ns) = self.unavailable_namespace(&p.type_name) {
                        self.missing_types.insert((id, p.name.clone()), ns);
                    }
                }
                &body.annotations
            }
            DeclKind::Enum => {
                let e = &schema.enum_types[decl.index];
                let TypeKind::Enum(shell) = &self.model.types[id.0].kind else {
                    unreachable!("an enum declaration has an enum shell");
                };
                let members = self.enum_members(e, &shell.underlying, &mut warnings)?;
                if let TypeKind::Enum(shell) = &mut self.model.types[id.0].kind {
                    shell.members = members;
                }
                // Read by `enum_members` just above.
                &e.members.get()?.annotations
            }
            DeclKind::Definition => &schema.type_definitions[decl.index].annotations,
        };
        self.keep_warnings(warnings);
        self.model.types[id.0].annotations = self.collect(annotations);
        let blocks = match &mut self.lazy {
            Some(p) => std::mem::take(&mut p.deferred[id.0]),
            None => Vec::new(),
        };
        for (d, schema, b) in blocks {
            self.scope = d;
            let block = &self.docs[d].document.schemas[schema].annotation_blocks[b];
            let wanted = self.wanted(d, block)?;
            let index = TargetIndex {
                operations: FxHashMap::default(),
                containers: FxHashMap::default(),
            };
            let mut subjects = Vec::new();
            self.targets(d, &block.target, &index, &mut subjects);
            for subject in subjects {
                self.attach(block, &wanted, subject);
            }
        }
        self.scope = decl.doc;
        self.check_navigation_targets(id.0)?;
        self.check_inherited(id.0)?;
        self.fill_key_paths(id)?;
        self.scope = decl.doc;
        self.check_keys(id.0)
    }

    /// Fills the complex types the key paths of `id` pass through (`Info/ID`), which the
    /// key check reads.
    fn fill_key_paths(&mut self, id: TypeId) -> Result<()> {
        let key = self.model.key_of(id);
        for path in key.iter().filter(|k| k.contains('/')) {
            let mut owner = id;
            for segment in path.split('/') {
                let next = self
                    .model
                    .all_properties(owner)
                    .into_iter()
                    .find(|(_, p)| p.name == segment)
                    .and_then(|(_, p)| p.ty.type_id());
                let Some(next) = next else { break };
                self.fill(next)?;
                owner = next;
            }
        }
        Ok(())
    }
}

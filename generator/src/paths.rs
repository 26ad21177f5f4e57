//! The request surface of a selection: which path segments a client exposes and the URL
//! templates that reach each of them. The client emitter names a builder per segment;
//! `inspect` lists the URLs. One walk serves both, so they cannot disagree.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Model, TypeId};
use crate::select::Selection;

/// Navigations deeper than this are not followed (cycles through different navigations).
const MAX_DEPTH: usize = 8;

/// What a segment addresses.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// One entity.
    Item,
    /// An entity collection.
    Collection,
    /// A structural collection property the metadata marks updatable.
    Property(String),
}

/// One segment kind of one type.
#[derive(Debug, Clone)]
pub struct Segment {
    /// The entity type.
    pub ty: TypeId,
    /// What it addresses.
    pub kind: Kind,
    /// Selected types get the full set of operations; others only navigate along a root path.
    pub full: bool,
    /// Navigations from this segment: wire name -> (target type, collection).
    pub navs: BTreeMap<String, (TypeId, bool)>,
    /// URL templates that reach this segment.
    pub templates: BTreeSet<String>,
}

/// Walks every path root of `selection` through its navigations.
pub fn walk(model: &Model, selection: &Selection) -> BTreeMap<(TypeId, Kind), Segment> {
    let mut w = Walk {
        model,
        selection,
        segments: BTreeMap::new(),
    };
    for path in &selection.paths {
        let first_kind = if path.singleton {
            Kind::Item
        } else {
            Kind::Collection
        };
        let mut ty = path.set_type;
        let mut template = format!("/{}", path.set);
        if path.steps.is_empty() {
            // The root itself is the target: walk the set (or singleton) from its own URL.
            w.walk(ty, first_kind, template, 0);
            continue;
        }
        w.segment(ty, first_kind).templates.insert(template.clone());
        if !path.singleton {
            template.push_str("/{id}");
        }
        for step in &path.steps {
            let item = w.segment(ty, Kind::Item);
            item.templates.insert(template.clone());
            item.navs
                .insert(step.name.clone(), (step.target, step.collection));
            template = format!("{template}/{}", step.name);
            ty = step.target;
        }
        let kind = match path.steps.last() {
            Some(s) if s.collection => Kind::Collection,
            _ => Kind::Item,
        };
        w.walk(ty, kind, template, 0);
    }
    w.segments
}

/// Structural collection properties the metadata marks updatable (`UpdateRestrictions`).
pub fn updatable_collections(model: &Model, ty: TypeId) -> Vec<String> {
    model
        .all_properties(ty)
        .into_iter()
        .filter(|(_, p)| p.ty.collection && p.annotations.update_method.is_some())
        .map(|(_, p)| p.name.clone())
        .collect()
}

/// The update method of a type: `UpdateRestrictions/UpdateMethod` on it or a base, else PATCH.
pub fn update_method(model: &Model, ty: TypeId) -> String {
    model
        .lineage(ty)
        .iter()
        .rev()
        .find_map(|t| model.ty(*t).annotations.update_method.clone())
        .unwrap_or_else(|| "PATCH".into())
}

struct Walk<'a> {
    model: &'a Model,
    selection: &'a Selection,
    segments: BTreeMap<(TypeId, Kind), Segment>,
}

impl Walk<'_> {
    fn selected(&self, ty: TypeId) -> bool {
        self.selection.types.contains(&ty)
    }

    /// The segment of `(ty, kind)`, created with its navigations on first use.
    fn segment(&mut self, ty: TypeId, kind: Kind) -> &mut Segment {
        let key = (ty, kind.clone());
        if !self.segments.contains_key(&key) {
            let full = self.selected(ty);
            let mut navs = BTreeMap::new();
            if full && kind == Kind::Item {
                for (_, n) in self.model.all_navigations(ty) {
                    if let Some(t) = n.ty.type_id() {
                        if self.selected(t) {
                            navs.insert(n.name.clone(), (t, n.ty.collection));
                        }
                    }
                }
            }
            self.segments.insert(
                key.clone(),
                Segment {
                    ty,
                    kind,
                    full,
                    navs,
                    templates: BTreeSet::new(),
                },
            );
        }
        self.segments.get_mut(&key).expect("inserted above")
    }

    /// Records `template` for the segment and walks on from it.
    fn walk(&mut self, ty: TypeId, kind: Kind, template: String, depth: usize) {
        let segment = self.segment(ty, kind.clone());
        if !segment.templates.insert(template.clone()) || depth >= MAX_DEPTH {
            return;
        }
        match kind {
            Kind::Collection => self.walk(ty, Kind::Item, format!("{template}/{{id}}"), depth + 1),
            Kind::Item => {
                let navs: Vec<_> = segment.navs.clone().into_iter().collect();
                for (nav, (target, collection)) in navs {
                    if template.split('/').any(|s| s == nav) {
                        continue; // a cycle through the same navigation
                    }
                    let k = if collection {
                        Kind::Collection
                    } else {
                        Kind::Item
                    };
                    self.walk(target, k, format!("{template}/{nav}"), depth + 1);
                }
                for prop in updatable_collections(self.model, ty) {
                    self.segment(ty, Kind::Property(prop.clone()))
                        .templates
                        .insert(format!("{template}/{prop}"));
                }
            }
            Kind::Property(_) => {}
        }
    }
}

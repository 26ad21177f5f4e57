//! What a selection reaches, as a plain-text report: counts, types by kind, operations with
//! their binding, path roots, and the URL paths a generated client would expose. It lets a
//! user try roots (`csdl-codegen inspect <CSDL> --root ...`) before generating.
//!
//! The report is deterministic: every list is sorted (types and operations by qualified
//! name, URL paths by template), path roots keep the order they were given in.
//!
//! The URL paths are rendered from the client plan (`plan::client`), the same plan the
//! client crate is emitted from: every request a method sends, at the canonical (first,
//! shortest) URL of its builder. A builder reached by several paths is listed once.
//!
//! With a permissions table (`--permissions`), each request of a URL is followed by the
//! permissions the plan decided for it (`plan::permissions`), in the words of the method's
//! docs, so the report shows what the generated client documents.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::csdl::OperationKind;
use crate::model::{Model, Operation, Target, TypeId, TypeKind, TypeRef};
use crate::permissions::Table;
use crate::plan::client::{
    Action, BuilderRef, ClientPlan, Http, MethodKind, MethodPlan, OpenPlan, RequestPlan, Step, Url,
};
use crate::plan::permissions::{documented_text, MethodPermissions};
use crate::plan::surface::BuilderKind;
use crate::plan::Plan;
use crate::select::{PathRoot, Selection};

/// One URL a client exposes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub struct UrlPath {
    /// The URL template, `{id}` for keys, `(...)` for function parameters.
    pub template: String,
    /// HTTP methods, space-separated (`GET PATCH DELETE`), or `-` for a segment a client
    /// only navigates through.
    pub methods: String,
    /// What the URL addresses (`microsoft.graph.synchronizationJob`, `collection of ...`,
    /// `action microsoft.graph.start`, ...).
    pub what: String,
    /// With a permissions table, one line per HTTP method, in the order of `methods`: the
    /// permissions of the request, as the method's docs give them, labelled with the
    /// request (``Permissions for `GET /users/{id}` (narrowest first): ...``).
    pub permissions: Vec<String>,
}

/// The report; [`std::fmt::Display`] renders it as text.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Report {
    /// Whether everything was selected (`--all`).
    pub all: bool,
    /// Qualified names of the selected entity types, sorted, with ` : base` when derived.
    pub entity_types: Vec<String>,
    /// Qualified names of the selected complex types, sorted, with ` : base` when derived.
    pub complex_types: Vec<String>,
    /// Qualified names of the selected enum types, sorted, `(flags)` marked.
    pub enum_types: Vec<String>,
    /// Qualified names of the selected type definitions, sorted, with their primitive.
    pub type_definitions: Vec<String>,
    /// One line per selected operation overload, sorted.
    pub operations: Vec<String>,
    /// One line per path root, in the order given.
    pub path_roots: Vec<String>,
    /// The vocabulary terms the input document defines (`name: type (applies to)`), sorted.
    pub terms: Vec<String>,
    /// URL paths, sorted by template.
    pub urls: Vec<UrlPath>,
    /// Which selected elements have a description.
    pub docs: DocCoverage,
}

/// Which selected elements carry a description (from the metadata or a docs overlay):
/// every selected type; the properties, navigations and members of deeply selected types
/// (the types a root path only passes through are not counted); selected operations and
/// their parameters. Operations also count as undocumented without a success status.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DocCoverage {
    /// How many elements were checked.
    pub checked: usize,
    /// The CSDL targets of those without docs, sorted.
    pub undocumented: Vec<String>,
}

impl DocCoverage {
    /// The coverage of `selection` over `model`.
    pub(crate) fn new(model: &Model, selection: &Selection) -> DocCoverage {
        let mut checked = 0;
        let mut undocumented = Vec::new();
        let mut check = |target: String, documented: bool| {
            checked += 1;
            if !documented {
                undocumented.push(target);
            }
        };
        let described = |a: &crate::model::Annotations| a.description.is_some();
        for &id in &selection.types {
            let ty = model.ty(id);
            let name = ty.qualified_name();
            check(name.clone(), described(&ty.annotations));
            if !selection.is_deep(id) {
                continue;
            }
            match &ty.kind {
                TypeKind::Entity(s) | TypeKind::Complex(s) => {
                    for p in &s.properties {
                        check(format!("{name}/{}", p.name), described(&p.annotations));
                    }
                    for n in &s.navigations {
                        check(format!("{name}/{}", n.name), described(&n.annotations));
                    }
                }
                TypeKind::Enum(e) => {
                    for m in &e.members {
                        check(format!("{name}/{}", m.name), described(&m.annotations));
                    }
                }
                TypeKind::Definition(_) => {}
            }
        }
        for &op_id in &selection.operations {
            let op = &model.operations[op_id.0];
            let binding = op
                .binding
                .as_ref()
                .map(|b| type_ref(model, b))
                .unwrap_or_default();
            let target = format!("{}({binding})", op.qualified_name());
            let facts = op.annotations.facts.as_ref();
            check(
                target.clone(),
                described(&op.annotations) && facts.is_some_and(|f| f.status.is_some()),
            );
            for p in &op.parameters {
                check(format!("{target}/{}", p.name), described(&p.annotations));
            }
        }
        for h in &model.http_operations {
            if selection.types.contains(&h.binding) {
                let ns = &model.ty(h.binding).namespace;
                let target = format!("{ns}.{}({})", h.name, model.ty(h.binding).qualified_name());
                check(target, described(&h.annotations));
            }
        }
        undocumented.sort();
        DocCoverage {
            checked,
            undocumented,
        }
    }
}

impl Report {
    /// Builds the report of `selection` over `model`; with a permissions table, the URL
    /// paths name the permissions of their requests.
    pub(crate) fn new(model: &Model, selection: &Selection, permissions: Option<Table>) -> Report {
        let mut entity_types = Vec::new();
        let mut complex_types = Vec::new();
        let mut enum_types = Vec::new();
        let mut type_definitions = Vec::new();
        for &id in &selection.types {
            let ty = model.ty(id);
            let name = ty.qualified_name();
            let with_base = |base: Option<TypeId>| match base {
                Some(b) => format!("{name} : {}", model.ty(b).qualified_name()),
                None => name.clone(),
            };
            match &ty.kind {
                TypeKind::Entity(s) => entity_types.push(with_base(s.base)),
                TypeKind::Complex(s) => complex_types.push(with_base(s.base)),
                TypeKind::Enum(e) if e.is_flags => enum_types.push(format!("{name} (flags)")),
                TypeKind::Enum(_) => enum_types.push(name),
                TypeKind::Definition(p) => {
                    type_definitions.push(format!("{name} = {}", p.edm_name()))
                }
            }
        }
        let mut operations: Vec<String> = selection
            .operations
            .iter()
            .map(|id| operation_line(model, &model.operations[id.0]))
            .collect();
        for list in [
            &mut entity_types,
            &mut complex_types,
            &mut enum_types,
            &mut type_definitions,
            &mut operations,
        ] {
            list.sort();
            list.dedup();
        }
        // The client plan, as `generate --client-out` makes it: URLs are rendered from it.
        let mut plan = Plan::new(model, selection);
        plan.permissions = permissions;
        let cp = ClientPlan::new(&plan, None);
        let path_roots = selection
            .paths
            .iter()
            .zip(&cp.surface.roots)
            .map(|(p, template)| path_root_line(model, p, template))
            .collect();
        let mut terms: Vec<String> = model
            .terms
            .iter()
            .filter(|t| !t.external)
            .map(|t| match &t.applies_to {
                Some(a) => format!("{}: {} (applies to {a})", t.qualified_name(), t.type_name),
                None => format!("{}: {}", t.qualified_name(), t.type_name),
            })
            .collect();
        terms.sort();
        Report {
            all: selection.all,
            terms,
            entity_types,
            complex_types,
            enum_types,
            type_definitions,
            operations,
            path_roots,
            urls: url_paths(model, &cp),
            docs: DocCoverage::new(model, selection),
        }
    }

    /// The number of selected types.
    pub fn type_count(&self) -> usize {
        self.entity_types.len()
            + self.complex_types.len()
            + self.enum_types.len()
            + self.type_definitions.len()
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl std::fmt::Display for Report {
    /// The whole report, every URL path included.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.write(f, None)
    }
}

impl Report {
    /// The report as text, listing at most `max_urls` URL paths (the first ones in order;
    /// a last line says how many were left out). `None` lists them all.
    pub fn render(&self, max_urls: Option<usize>) -> String {
        let mut text = String::new();
        self.write(&mut text, max_urls)
            .expect("writing to a String");
        text
    }

    fn write(&self, f: &mut dyn std::fmt::Write, max_urls: Option<usize>) -> std::fmt::Result {
        writeln!(
            f,
            "selected: {}, {}, {}, {}{}",
            plural(self.type_count(), "type", "types"),
            plural(self.operations.len(), "operation", "operations"),
            plural(self.path_roots.len(), "path root", "path roots"),
            plural(self.urls.len(), "URL path", "URL paths"),
            if self.all { " (everything: --all)" } else { "" }
        )?;
        let sections: [(&str, &[String]); 6] = [
            ("entity types", &self.entity_types),
            ("complex types", &self.complex_types),
            ("enum types", &self.enum_types),
            ("type definitions", &self.type_definitions),
            ("operations", &self.operations),
            ("path roots", &self.path_roots),
        ];
        let sections: Vec<(&str, &[String])> = if self.terms.is_empty() {
            sections.to_vec()
        } else {
            let mut all = sections.to_vec();
            all.insert(5, ("terms", &self.terms));
            all
        };
        for (title, lines) in sections {
            writeln!(f, "\n{title} ({}):", lines.len())?;
            if lines.is_empty() {
                writeln!(f, "  (none)")?;
            }
            for line in lines {
                writeln!(f, "  {line}")?;
            }
        }
        let docs = &self.docs;
        writeln!(
            f,
            "\ndocumented: {} of {} elements (a description; operations also a success status)",
            docs.checked - docs.undocumented.len(),
            docs.checked
        )?;
        if !docs.undocumented.is_empty() {
            writeln!(f, "undocumented ({}):", docs.undocumented.len())?;
            for target in &docs.undocumented {
                writeln!(f, "  {target}")?;
            }
        }
        writeln!(f, "\nURL paths ({}):", self.urls.len())?;
        if self.urls.is_empty() {
            let why = if self.path_roots.is_empty() {
                "none: only path roots (`entitySet/{id}/navigation`) give a client URLs"
            } else {
                "(none)"
            };
            writeln!(f, "  {why}")?;
        }
        let shown = max_urls.map_or(self.urls.len(), |m| m.min(self.urls.len()));
        let urls = &self.urls[..shown];
        let width = urls.iter().map(|u| u.methods.len()).max().unwrap_or(0);
        for u in urls {
            writeln!(
                f,
                "  {:width$}  {}  {}",
                u.methods,
                u.template,
                u.what,
                width = width
            )?;
            for line in &u.permissions {
                writeln!(f, "    {line}")?;
            }
        }
        if shown < self.urls.len() {
            let more = self.urls.len() - shown;
            let noun = if more == 1 { "URL path" } else { "URL paths" };
            writeln!(f, "  ... and {more} more {noun}")?;
        }
        Ok(())
    }
}

/// `Collection(ns.x)`, `ns.x` or `Edm.String`.
fn type_ref(model: &Model, r: &TypeRef) -> String {
    let name = match &r.target {
        Target::Primitive(p) => p.edm_name(),
        Target::Type(id) => model.ty(*id).qualified_name(),
    };
    if r.collection {
        format!("Collection({name})")
    } else {
        name
    }
}

fn operation_line(model: &Model, op: &Operation) -> String {
    let kind = match op.kind {
        OperationKind::Action => "action  ",
        OperationKind::Function => "function",
    };
    let params: Vec<String> = op
        .parameters
        .iter()
        .map(|p| format!("{}: {}", p.name, type_ref(model, &p.ty)))
        .collect();
    let mut line = format!("{kind} {}({})", op.qualified_name(), params.join(", "));
    match &op.binding {
        Some(b) => write!(line, " on {}", type_ref(model, b)),
        None => write!(line, " unbound"),
    }
    .expect("writing to a String");
    if let Some(r) = &op.return_type {
        write!(line, " -> {}", type_ref(model, &r.ty)).expect("writing to a String");
    }
    line
}

fn path_root_line(model: &Model, p: &PathRoot, template: &str) -> String {
    let what = if p.singleton {
        "singleton"
    } else {
        "entity set"
    };
    let target = model.ty(p.target());
    let collection =
        p.steps.last().is_some_and(|s| s.collection) || (p.steps.is_empty() && !p.singleton);
    format!(
        "{template} -> {}{} ({what} `{}` of {})",
        if collection { "collection of " } else { "" },
        target.qualified_name(),
        p.set,
        model.ty(p.set_type).qualified_name(),
    )
}

/// The URL paths of a client plan: every request a method sends (a shared builder's at the
/// URL that opens it), grouped by URL template, sorted by template; a builder that sends no
/// request at its own URL is listed with `-` (navigation only). Only the canonical URL of
/// each builder is listed (the others can grow exponentially with the depth of the
/// navigation graph); the plan's templates are the ones the client's docs show.
fn url_paths(model: &Model, cp: &ClientPlan) -> Vec<UrlPath> {
    /// URL template -> (HTTP methods in order, what the first method says it addresses,
    /// the permissions of the first method that sends each).
    type Rows = BTreeMap<String, (Vec<&'static str>, String, Vec<String>)>;
    fn add(
        rows: &mut Rows,
        m: &MethodPlan,
        template: String,
        http: Http,
        what: impl FnOnce() -> String,
    ) {
        let permissions = permissions_line(m, http, &template);
        let row = rows
            .entry(template)
            .or_insert_with(|| (Vec::new(), what(), Vec::new()));
        if !row.0.contains(&http.as_str()) {
            row.0.push(http.as_str());
            row.2.extend(permissions);
        }
    }
    let mut rows = Rows::new();
    for (index, b) in cp.surface.builders.iter().enumerate() {
        let name = model.ty(b.ty).qualified_name();
        let also = match b.other_parents {
            0 => String::new(),
            1 => " (+1 other path)".to_string(),
            n => format!(" (+{n} other paths)"),
        };
        let collection = format!("collection of {name}");
        let owner = match &b.kind {
            BuilderKind::Item => &name,
            BuilderKind::Collection => &collection,
            BuilderKind::Property(_) => &name,
        };
        let mut own_url = false;
        for m in &cp.methods[index] {
            let what = || format!("{}{also}", method_what(model, m, owner, &b.kind));
            // An entity at a path below this one: its URL form, listed like a navigation.
            if let Action::Open(OpenPlan {
                step: Step::PathAddress,
                template,
                ..
            }) = &m.action
            {
                rows.entry(template.clone())
                    .or_insert_with(|| (Vec::new(), what(), Vec::new()));
            }
            for (template, r) in requests(cp, m) {
                own_url |= template == b.canonical;
                add(&mut rows, m, template, r.http, what);
            }
        }
        if !own_url {
            rows.entry(b.canonical.clone()).or_insert_with(|| {
                let what = format!("{owner} (navigation only){also}");
                (Vec::new(), what, Vec::new())
            });
        }
    }
    // Operation imports: methods of the client itself, at the service root.
    for m in &cp.client_methods {
        let MethodKind::Operation(op) = &m.kind else {
            continue;
        };
        let op = &model.operations[op.0];
        let kind = match op.kind {
            OperationKind::Action => "action import",
            OperationKind::Function => "function import",
        };
        let segment = match &m.action {
            Action::Send(RequestPlan {
                url: Url::Action(s) | Url::Function(s),
                ..
            }) => s.as_str(),
            _ => op.name.as_str(),
        };
        for (template, r) in requests(cp, m) {
            add(&mut rows, m, template, r.http, || {
                format!("{kind} `{segment}`")
            });
        }
    }
    rows.into_iter()
        .map(|(template, (methods, what, permissions))| UrlPath {
            template,
            methods: if methods.is_empty() {
                "-".to_string()
            } else {
                methods.join(" ")
            },
            what,
            permissions,
        })
        .collect()
}

/// The permissions line of the request `http` at `template` that method `m` sends (itself,
/// or through the shared builder it opens), as its docs give them but labelled with the
/// request; `None` without a permissions table.
fn permissions_line(m: &MethodPlan, http: Http, template: &str) -> Option<String> {
    let head = format!("Permissions for `{} {template}`", http.as_str());
    match m.permissions.as_ref()? {
        MethodPermissions::Request(p) => Some(p.sentence(&head)),
        MethodPermissions::Opened(requests) => requests
            .iter()
            .find(|p| p.http == http && p.template == template)
            .map(|p| p.sentence(&head)),
        MethodPermissions::Documented {
            delegated,
            application,
        } => {
            let text = documented_text(delegated.as_ref(), application.as_ref())?;
            Some(format!("{head} (docs overlay): {text}."))
        }
        // Not listed: a shared builder's own methods are listed through their opener.
        MethodPermissions::OfOpener => None,
    }
}

/// The requests method `m` stands for, with their full URL templates: the one it sends, or
/// those of the shared builder it opens.
fn requests<'p>(cp: &'p ClientPlan, m: &'p MethodPlan) -> Vec<(String, &'p RequestPlan)> {
    match &m.action {
        Action::Send(r) => vec![(r.template.clone(), r)],
        Action::Open(OpenPlan {
            target: BuilderRef::Shared(kind),
            template,
            ..
        }) => cp
            .shared(*kind)
            .map(|s| {
                s.methods
                    .iter()
                    .filter_map(|sm| match &sm.action {
                        Action::Send(r) => Some((format!("{template}{}", r.template), r)),
                        Action::Open(_) => None,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        Action::Open(_) => Vec::new(),
    }
}

/// What a method's URL addresses, as the report says it.
fn method_what(model: &Model, m: &MethodPlan, owner: &str, kind: &BuilderKind) -> String {
    let segment = m.action.segment().unwrap_or_default();
    match &m.kind {
        MethodKind::Content => format!("media content of {owner}"),
        MethodKind::StreamProperty => format!("stream property `{segment}` of {owner}"),
        MethodKind::Reference { .. } => format!("links of `{segment}` of {owner}"),
        MethodKind::Count | MethodKind::PropertyCount => {
            format!("count of {}", property_of(owner, kind))
        }
        MethodKind::Operation(op) => {
            let op = &model.operations[op.0];
            let kind = match op.kind {
                OperationKind::Action => "action",
                OperationKind::Function => "function",
            };
            format!("{kind} {}", op.qualified_name())
        }
        MethodKind::PathAddress(i) => format!(
            "{owner} at a path below it (`{}`), added by overrides",
            model.path_addresses[*i].name
        ),
        MethodKind::Http(i) => {
            let op = &model.http_operations[*i];
            match op.body {
                Some(_) => format!(
                    "request `{}` ({}), added by overrides",
                    op.name, op.content_type
                ),
                None => format!("request `{}`, added by overrides", op.name),
            }
        }
        _ => property_of(owner, kind),
    }
}

/// `owner`, or `property `p` of owner` for a property builder.
fn property_of(owner: &str, kind: &BuilderKind) -> String {
    match kind {
        BuilderKind::Property(p) => format!("property `{p}` of {owner}"),
        _ => owner.to_string(),
    }
}

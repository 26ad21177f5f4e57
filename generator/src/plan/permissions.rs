//! The permissions each request method documents, decided once from the run's permissions
//! table (`Plan::permissions`): which facts of the table grant the request, found through
//! which URL template, or that the table lists none. The emitter writes them into the
//! method's docs and `inspect` lists them beside its URLs; both render these facts with
//! [`RequestPermissions::sentence`], so the two cannot disagree.

use super::client::{Action, BuilderRef, ClientPlan, MethodPlan, SharedPlan};
use super::request::Http;
use super::surface::Builder;
use crate::model::Model;
use crate::permissions::{Granted, Table};

/// What a method says of its permissions (with a permissions table).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MethodPermissions {
    /// A docs overlay names the method's least-privileged permissions; they win over the
    /// table's, and the method's documented request shows them (`None`: not documented;
    /// empty: no permission of that kind can call it).
    Documented {
        /// Delegated permissions (a signed-in user).
        delegated: Option<Vec<String>>,
        /// Application permissions (an app acting as itself).
        application: Option<Vec<String>>,
    },
    /// The request the method sends.
    Request(RequestPermissions),
    /// The requests of the shared builder (raw content, `$ref` links) the method opens, at
    /// the URL it opens, in the order of the shared builder's methods.
    Opened(Vec<RequestPermissions>),
    /// A method of a shared builder: its URL depends on the method that opened the builder,
    /// which names the permissions of each of its requests.
    OfOpener,
}

/// What the table lists for one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestPermissions {
    /// The HTTP method.
    pub http: Http,
    /// The request's full URL template.
    pub template: String,
    /// The facts found for it.
    pub listed: Listed,
}

/// Which facts of the table grant a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listed {
    /// Those of the request's own URL template.
    Here(Granted),
    /// None for its own template; those of the same request through another link that
    /// reaches its builder (a builder is documented under the first URL the walk finds,
    /// which a table may not list, while it lists `/drives/{id}/items/{id}`).
    Elsewhere {
        /// That link's URL template of the request.
        template: String,
        /// Its facts.
        granted: Granted,
    },
    /// The table lists none.
    Nothing,
}

impl RequestPermissions {
    /// The sentence the docs and `inspect` give, starting with `head` (`Permissions`, or
    /// `Permissions for` and the request): the schemes in the table's order, each with its
    /// permissions narrowest first, after `(narrowest first)` (or `(narrowest first; as
    /// listed for` and the other link's request, when the facts are another link's); or that
    /// the pinned table lists no permission.
    ///
    /// ```text
    /// Permissions (narrowest first): Delegated `A.Read`, `A.ReadWrite`; Application `A.Read.All`.
    /// Permissions: no permission listed in the pinned permissions table.
    /// ```
    pub fn sentence(&self, head: &str) -> String {
        match &self.listed {
            Listed::Here(granted) => {
                format!("{head} (narrowest first): {}.", schemes_text(granted))
            }
            Listed::Elsewhere { template, granted } => format!(
                "{head} (narrowest first; as listed for `{} {template}`): {}.",
                self.http.as_str(),
                schemes_text(granted)
            ),
            Listed::Nothing => {
                format!("{head}: no permission listed in the pinned permissions table.")
            }
        }
    }
}

/// A docs overlay's least-privileged permissions as the docs and `inspect` give them:
/// ``delegated `A`, `B`; application none`` (a kind the overlay leaves out is left out);
/// `None` when it documents neither kind.
pub fn documented_text(
    delegated: Option<&Vec<String>>,
    application: Option<&Vec<String>>,
) -> Option<String> {
    let kinds: Vec<String> = [("delegated", delegated), ("application", application)]
        .into_iter()
        .filter_map(|(kind, names)| {
            let names = names?;
            if names.is_empty() {
                return Some(format!("{kind} none"));
            }
            let names: Vec<String> = names.iter().map(|n| format!("`{}`", n.trim())).collect();
            Some(format!("{kind} {}", names.join(", ")))
        })
        .collect();
    (!kinds.is_empty()).then(|| kinds.join("; "))
}

/// `<scheme> `A`, `B`; <scheme> `C``.
fn schemes_text(granted: &Granted) -> String {
    let parts: Vec<String> = granted
        .schemes
        .iter()
        .map(|(scheme, names)| {
            let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            format!("{scheme} {}", names.join(", "))
        })
        .collect();
    parts.join("; ")
}

/// Sets [`MethodPlan::permissions`] of every method of `cp` from `table`.
pub(super) fn decide(model: &Model, table: &Table, cp: &mut ClientPlan) {
    let ClientPlan {
        surface,
        methods,
        client_methods,
        shared,
        ..
    } = cp;
    let opened: &[SharedPlan] = shared;
    let built = methods.iter_mut().enumerate().flat_map(|(index, ms)| {
        let b = &surface.builders[index];
        ms.iter_mut().map(move |m| (Some(b), m))
    });
    for (b, m) in built.chain(client_methods.iter_mut().map(|m| (None, m))) {
        m.permissions = method_permissions(model, table, opened, b, m);
    }
    for m in shared.iter_mut().flat_map(|s| &mut s.methods) {
        m.permissions = Some(documented(model, m).unwrap_or(MethodPermissions::OfOpener));
    }
}

/// The permissions of method `m` of builder `b` (`None`: of the client type); `None` for a
/// method that opens a builder of the surface (it sends nothing).
fn method_permissions(
    model: &Model,
    table: &Table,
    shared: &[SharedPlan],
    b: Option<&Builder>,
    m: &MethodPlan,
) -> Option<MethodPermissions> {
    let requests = match &m.action {
        Action::Send(r) => {
            if let Some(d) = documented(model, m) {
                return Some(d);
            }
            let listed = listed_at(table, b, r.http, &r.template);
            return Some(MethodPermissions::Request(RequestPermissions {
                http: r.http,
                template: r.template.clone(),
                listed,
            }));
        }
        Action::Open(o) => {
            let BuilderRef::Shared(kind) = o.target else {
                return None;
            };
            let opened = shared.iter().find(|s| s.kind == kind)?;
            if let Some(d) = documented(model, m) {
                return Some(d);
            }
            // The shared builder's URLs are those of the link it opens, not the builder's:
            // no other link stands in for them.
            opened
                .methods
                .iter()
                .filter_map(|sm| match &sm.action {
                    Action::Send(r) => {
                        let template = format!("{}{}", o.template, r.template);
                        let listed = listed_at(table, None, r.http, &template);
                        Some(RequestPermissions {
                            http: r.http,
                            template,
                            listed,
                        })
                    }
                    Action::Open(_) => None,
                })
                .collect()
        }
    };
    Some(MethodPermissions::Opened(requests))
}

/// The overlay's permissions of `m`, when it documents them.
fn documented(model: &Model, m: &MethodPlan) -> Option<MethodPermissions> {
    let facts = m.overlay_facts(model)?;
    if facts.delegated.is_none() && facts.application.is_none() {
        return None;
    }
    Some(MethodPermissions::Documented {
        delegated: facts.delegated.clone(),
        application: facts.application.clone(),
    })
}

/// What the table lists for `http` at `template`, a request of builder `b`: the facts of
/// the template itself, else those of the same request through the first of the builder's
/// other links (its sample) that the table lists.
fn listed_at(table: &Table, b: Option<&Builder>, http: Http, template: &str) -> Listed {
    let method = http.as_str();
    if let Some(granted) = table.lookup(method, template) {
        return Listed::Here(granted);
    }
    let elsewhere = b.and_then(|b| {
        let rest = template.strip_prefix(b.canonical.as_str())?;
        b.sample
            .iter()
            .map(|s| format!("{s}{rest}"))
            .find_map(|t| table.lookup(method, &t).map(|g| (t, g)))
    });
    match elsewhere {
        Some((template, granted)) => Listed::Elsewhere { template, granted },
        None => Listed::Nothing,
    }
}

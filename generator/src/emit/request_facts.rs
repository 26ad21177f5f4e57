//! The facts lines of a request method's docs: its success status (from the plan) and the
//! permissions that grant it (from the permissions table, when the run has one). A docs
//! overlay that documents either keeps its own lines, shown by [`request_lead`] or the
//! operation's docs.
//!
//! [`request_lead`]: super::docs::request_lead

use proc_macro2::TokenStream;
use quote::quote;

use super::request::{Methods, Owner};
use crate::model::RequestFacts;
use crate::permissions::Granted;
use crate::plan::client::{Action, BuilderRef, MethodKind, MethodPlan};
use crate::plan::status::{status_text, success_status};

impl Methods<'_, '_> {
    /// `Success: ...` and `Permissions ...` doc lines of method `m`, after its `HTTP:` lines.
    pub(super) fn request_facts(&self, m: &MethodPlan, owner: &Owner) -> TokenStream {
        let overlay = self.overlay_facts(m);
        let has_status = overlay.is_some_and(|f| f.status.is_some());
        let has_permissions =
            overlay.is_some_and(|f| f.delegated.is_some() || f.application.is_some());
        let mut lines = Vec::new();
        match &m.action {
            Action::Send(r) => {
                if !has_status {
                    let status = success_status(self.plan.model, &m.kind, r);
                    lines.push(format!(" Success: `{}`.", status_text(status)));
                }
                if !has_permissions && self.plan.permissions.is_some() {
                    if owner.prefix.is_empty() {
                        lines.push(self.builder_permissions_line(owner.builder, r.http.as_str(), &r.template));
                    } else {
                        lines.push(" Permissions: those of the URL that opened this builder (see the method that opened it).".into());
                    }
                }
            }
            Action::Open(o) => {
                let BuilderRef::Shared(kind) = o.target else {
                    return quote!();
                };
                let Some(shared) = self.cp.shared(kind) else {
                    return quote!();
                };
                if has_permissions || self.plan.permissions.is_none() {
                    return quote!();
                }
                for sm in &shared.methods {
                    if let Action::Send(r) = &sm.action {
                        let template = format!("{}{}", o.template, r.template);
                        let label = format!("{} {template}", r.http.as_str());
                        lines.push(self.permissions_line(Some(&label), r.http.as_str(), &template));
                    }
                }
            }
        }
        let lines = lines.iter();
        quote!(#(#[doc = ""] #[doc = #lines])*)
    }

    /// The facts a docs overlay gives the method, if any.
    fn overlay_facts<'s>(&'s self, m: &'s MethodPlan) -> Option<&'s RequestFacts> {
        match &m.kind {
            MethodKind::Operation(op) => self.plan.model.operations[op.0].annotations.facts.as_ref(),
            MethodKind::Http(index) => self.plan.model.http_operations[*index].annotations.facts.as_ref(),
            _ => m.request.as_ref().map(|r| &r.facts),
        }
    }

    /// The permissions line of a request sent from a builder: those listed for its own
    /// URL template, else those listed for the same request through another link that
    /// reaches the builder (its sample of other URLs: a builder is documented under the
    /// first URL the walk finds, which the tables may not list, while they list
    /// `/drives/{id}/items/{id}`), naming that URL.
    fn builder_permissions_line(&self, builder: Option<usize>, http: &str, template: &str) -> String {
        if self.lookup(http, template).is_none() {
            let other = builder.map(|i| &self.cp.surface.builders[i]).and_then(|b| {
                let rest = template.strip_prefix(b.canonical.as_str())?;
                b.sample
                    .iter()
                    .map(|s| format!("{s}{rest}"))
                    .find_map(|t| self.lookup(http, &t).map(|g| (t, g)))
            });
            if let Some((other, granted)) = other {
                return format!(
                    " Permissions (narrowest first; as listed for `{http} {other}`): {}.",
                    schemes_text(&granted)
                );
            }
        }
        self.permissions_line(None, http, template)
    }

    /// `Permissions (narrowest first): <scheme> `A`, `B`; <scheme> `C`.`, or that the table
    /// has none; `label` names the request when the method documents several.
    fn permissions_line(&self, label: Option<&str>, http: &str, template: &str) -> String {
        let head = match label {
            Some(l) => format!(" Permissions for `{l}`"),
            None => " Permissions".to_string(),
        };
        match self.lookup(http, template) {
            Some(granted) => format!("{head} (narrowest first): {}.", schemes_text(&granted)),
            None => format!("{head}: no permission listed in the pinned permissions table."),
        }
    }

    /// What the permissions table lists for a request, if the run has a table.
    fn lookup(&self, http: &str, template: &str) -> Option<Granted> {
        self.plan.permissions.as_ref()?.lookup(http, template)
    }
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

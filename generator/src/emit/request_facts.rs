//! The facts lines of a request method's docs: its success status and, with a permissions
//! table, its permissions, both as the plan decided them (`plan::status`,
//! `plan::permissions`). A docs overlay that documents either keeps its own lines, shown by
//! [`request_lead`] or the operation's docs.
//!
//! [`request_lead`]: super::docs::request_lead

use super::request::Methods;
use crate::plan::client::{Action, MethodPlan};
use crate::plan::permissions::MethodPermissions;
use crate::plan::status::{status_text, success_status};

impl Methods<'_, '_> {
    /// `Success: ...` and `Permissions ...` doc lines of method `m`, after its `HTTP:` lines.
    pub(super) fn request_facts(&self, m: &MethodPlan) -> Vec<String> {
        let mut lines = Vec::new();
        if let Action::Send(r) = &m.action {
            let model = self.plan.model;
            if m.overlay_facts(model).is_none_or(|f| f.status.is_none()) {
                let status = success_status(model, &m.kind, r);
                lines.push(format!(" Success: `{}`.", status_text(status)));
            }
        }
        match &m.permissions {
            None | Some(MethodPermissions::Documented { .. }) => {}
            Some(MethodPermissions::Request(p)) => lines.push(p.sentence(" Permissions")),
            Some(MethodPermissions::Opened(requests)) => lines.extend(requests.iter().map(|p| {
                p.sentence(&format!(" Permissions for `{} {}`", p.http.as_str(), p.template))
            })),
            Some(MethodPermissions::OfOpener) => lines.push(
                " Permissions: those of the URL that opened this builder (see the method that opened it)."
                    .into(),
            ),
        }
        super::request::paragraphs(lines)
    }
}

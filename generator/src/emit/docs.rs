//! Doc comments: CSDL descriptions made safe for rustdoc, plus provenance lines.

use quote::quote;
use syn::Attribute;

use super::syntax;

use crate::model::{Annotations, RequestDoc, RequestFacts};
use crate::plan::permissions::documented_text;

/// Escapes text so rustdoc reads it as prose: no accidental links, HTML or code blocks.
pub(crate) fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '[' | ']' | '<' | '>' | '*' | '_' | '`' | '#' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '\r' => {}
            c if c.is_control() && c != '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// `#[doc]` attributes: description, long description, deprecation, then `extra` lines
/// (already markdown), then the documented facts of a request (docs overlay).
pub(crate) fn doc_attributes(annotations: &Annotations, extra: &[String]) -> Vec<Attribute> {
    doc_attrs(doc_text(annotations, extra))
}

/// [`doc_attributes`] followed by `after`, lines already as rustdoc's (with their leading
/// space), so all of them can be one run of doc lines ([`syntax::docs`]).
pub(crate) fn doc_attributes_with(
    annotations: &Annotations,
    extra: &[String],
    after: &[String],
) -> Vec<Attribute> {
    doc_attrs_then(doc_text(annotations, extra), after)
}

/// The lines of [`doc_attributes`], without rustdoc's leading space.
fn doc_text(annotations: &Annotations, extra: &[String]) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for text in [&annotations.description, &annotations.long_description]
        .into_iter()
        .flatten()
    {
        paragraph(&mut lines, prose(text));
    }
    if let Some(dep) = annotations.deprecation() {
        paragraph(
            &mut lines,
            vec![format!("**Deprecated**: {}", deprecation_note(dep))],
        );
    }
    paragraph(&mut lines, extra.to_vec());
    if let Some(facts) = &annotations.facts {
        paragraph(&mut lines, facts_lines(facts));
    }
    lines
}

/// Text from the metadata or an overlay, escaped for rustdoc, as lines.
fn prose(text: &str) -> Vec<String> {
    sanitize(text.trim())
        .lines()
        .map(|l| l.trim_end().to_string())
        .collect()
}

/// Appends `more` as a paragraph: after a blank line when `lines` has text already.
fn paragraph(lines: &mut Vec<String>, more: Vec<String>) {
    if more.is_empty() {
        return;
    }
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.extend(more);
}

/// The `#[doc]` attributes of the lines (an empty line stays empty, others get rustdoc's
/// space).
fn doc_attrs(lines: Vec<String>) -> Vec<Attribute> {
    doc_attrs_then(lines, &[])
}

/// [`doc_attrs`] of `lines`, then `after` (already rustdoc lines), as one run.
fn doc_attrs_then(lines: Vec<String>, after: &[String]) -> Vec<Attribute> {
    let lines: Vec<String> = lines.into_iter().map(rustdoc_line).collect();
    syntax::docs(lines.iter().chain(after).map(String::as_str))
}

/// A doc line as the attribute holds it: `///` text starts with a space, an empty line
/// stays empty.
fn rustdoc_line(line: String) -> String {
    if line.is_empty() {
        line
    } else {
        format!(" {line}")
    }
}

/// The note of a `#[deprecated]` attribute.
pub(crate) fn deprecation_note(r: &crate::model::Revision) -> String {
    let mut parts = Vec::new();
    if let Some(d) = &r.date {
        parts.push(format!("deprecated on {d}"));
    } else {
        parts.push("deprecated".to_string());
    }
    if let Some(d) = &r.removal_date {
        parts.push(format!("planned removal on {d}"));
    }
    if let Some(v) = &r.version {
        parts.push(format!("revision {v}"));
    }
    let mut note = parts.join(", ");
    if let Some(desc) = &r.description {
        note.push_str(": ");
        note.push_str(desc.trim());
    }
    note
}

/// `#[deprecated(...)]` when the annotations say so.
pub(crate) fn deprecated_attribute(annotations: &Annotations) -> Option<Attribute> {
    let r = annotations.deprecation()?;
    // `since` must be a semver version for clippy; the date goes into the note.
    let note = deprecation_note(r);
    Some(syntax::list_attr("deprecated", quote!(note = #note)))
}

/// Markdown lines for documented facts of a request: the success status and the
/// least-privileged permissions. Empty when nothing is documented.
fn facts_lines(facts: &RequestFacts) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(status) = &facts.status {
        lines.push(format!("- Success: `{}`", status.trim()));
    }
    let permissions = documented_text(facts.delegated.as_ref(), facts.application.as_ref());
    if let Some(text) = permissions {
        lines.push(format!("- Least-privileged permissions: {text}"));
    }
    lines
}

/// `#[doc]` attributes that open a method with its documented request: what it does, then
/// its facts, then a blank line before the method's own text.
pub(crate) fn request_lead(request: Option<&RequestDoc>) -> Vec<Attribute> {
    let Some(request) = request else {
        return Vec::new();
    };
    let mut lines: Vec<String> = Vec::new();
    if let Some(text) = &request.description {
        paragraph(&mut lines, prose(text));
    }
    paragraph(&mut lines, facts_lines(&request.facts));
    if lines.is_empty() {
        return Vec::new();
    }
    lines.push(String::new());
    doc_attrs(lines)
}

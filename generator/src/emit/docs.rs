//! Doc comments: CSDL descriptions made safe for rustdoc, plus provenance lines.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Annotations, RequestDoc, RequestFacts};

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

/// `#[doc]` attributes: description, long description, then `extra` lines (already markdown).
pub(crate) fn doc_lines(annotations: &Annotations, extra: &[String]) -> TokenStream {
    let mut lines: Vec<String> = Vec::new();
    for text in [&annotations.description, &annotations.long_description]
        .into_iter()
        .flatten()
    {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(
            sanitize(text.trim())
                .lines()
                .map(|l| l.trim_end().to_string()),
        );
    }
    if let Some(dep) = annotations.deprecation() {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push(format!("**Deprecated**: {}", deprecation_note(dep)));
    }
    if !extra.is_empty() {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(extra.iter().cloned());
    }
    let attrs = lines.into_iter().map(|l| {
        let l = if l.is_empty() { l } else { format!(" {l}") };
        quote!(#[doc = #l])
    });
    quote!(#(#attrs)*)
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
pub(crate) fn deprecated_attr(annotations: &Annotations) -> TokenStream {
    match annotations.deprecation() {
        Some(r) => {
            // `since` must be a semver version for clippy; the date goes into the note.
            let note = deprecation_note(r);
            quote!(#[deprecated(note = #note)])
        }
        None => quote!(),
    }
}

/// Markdown lines for documented facts of a request: the success status and the
/// least-privileged permissions. Empty when nothing is documented.
pub(crate) fn facts_lines(facts: &RequestFacts) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(status) = &facts.status {
        lines.push(format!("- Success: `{}`", status.trim()));
    }
    let kinds: Vec<String> = [
        ("delegated", &facts.delegated),
        ("application", &facts.application),
    ]
    .into_iter()
    .filter_map(|(kind, list)| {
        let list = list.as_ref()?;
        let names = if list.is_empty() {
            "none".to_string()
        } else {
            list.iter()
                .map(|p| format!("`{}`", p.trim()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        Some(format!("{kind} {names}"))
    })
    .collect();
    if !kinds.is_empty() {
        lines.push(format!(
            "- Least-privileged permissions: {}",
            kinds.join("; ")
        ));
    }
    lines
}

/// `#[doc]` attributes that open a method with its documented request: what it does, then
/// its facts, then a blank line before the method's own text.
pub(crate) fn request_lead(request: Option<&RequestDoc>) -> TokenStream {
    let Some(request) = request else {
        return quote!();
    };
    let mut lines: Vec<String> = Vec::new();
    if let Some(text) = &request.description {
        lines.extend(
            sanitize(text.trim())
                .lines()
                .map(|l| l.trim_end().to_string()),
        );
    }
    let facts = facts_lines(&request.facts);
    if !facts.is_empty() {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(facts);
    }
    if lines.is_empty() {
        return quote!();
    }
    lines.push(String::new());
    let attrs = lines.into_iter().map(|l| {
        let l = if l.is_empty() { l } else { format!(" {l}") };
        quote!(#[doc = #l])
    });
    quote!(#(#attrs)*)
}

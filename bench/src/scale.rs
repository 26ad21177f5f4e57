//! Larger inputs made from a real CSDL file: every `<Schema>` is copied `factor - 1` times
//! under renamed namespaces and aliases, so a 2x input holds the same metadata twice, with
//! every copy resolving only within itself.
//!
//! Copy `k` (2, 3, ...) renames namespace `N` to `copyK.N` and alias `A` to `A_copyK`, in the
//! `Namespace` and `Alias` attributes and in every qualified name inside every other attribute
//! value (`Type`, `BaseType`, `Target`, `EntityType`, `Action`, record types, ...) that
//! starts with a namespace or alias of the document. `Name` attributes and element text are
//! left alone. Names outside the document (`Edm.`, `Org.OData.`) are unchanged.

use std::ops::Range;

/// Returns `text` with every schema repeated `factor` times in total (`factor` 1 returns the
/// input unchanged).
pub fn scale_csdl(text: &str, factor: usize) -> Result<String, String> {
    if factor <= 1 {
        return Ok(text.to_owned());
    }
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: u32::MAX,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, options).map_err(|e| e.to_string())?;
    let schemas: Vec<roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "Schema")
        .collect();
    let Some(last) = schemas.last() else {
        return Err("the document has no <Schema> element".into());
    };
    let insert_at = last.range().end;
    // Qualifiers: namespaces and aliases, longest first so `microsoft.graph.security.x`
    // matches `microsoft.graph.security` before `microsoft.graph`.
    let mut qualifiers: Vec<(String, bool)> = Vec::new();
    for s in &schemas {
        if let Some(ns) = s.attribute("Namespace") {
            qualifiers.push((ns.to_owned(), false));
        }
        if let Some(alias) = s.attribute("Alias") {
            qualifiers.push((alias.to_owned(), true));
        }
    }
    qualifiers.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));

    let mut copies = String::with_capacity(text.len() * (factor - 1));
    for k in 2..=factor {
        for schema in &schemas {
            let range = schema.range();
            let mut edits: Vec<(Range<usize>, String)> = Vec::new();
            for node in schema.descendants().filter(|n| n.is_element()) {
                for attr in node.attributes() {
                    let value_range = attr.range_value();
                    let raw = &text[value_range.clone()];
                    if let Some(new) = rename_value(attr.name(), raw, &qualifiers, k) {
                        edits.push((value_range, new));
                    }
                }
            }
            edits.sort_by_key(|(r, _)| r.start);
            copies.push_str("\n    ");
            let mut pos = range.start;
            for (r, new) in edits {
                copies.push_str(&text[pos..r.start]);
                copies.push_str(&new);
                pos = r.end;
            }
            copies.push_str(&text[pos..range.end]);
        }
    }
    let mut out = String::with_capacity(text.len() + copies.len());
    out.push_str(&text[..insert_at]);
    out.push_str(&copies);
    out.push_str(&text[insert_at..]);
    Ok(out)
}

fn rename_qualifier(q: &str, is_alias: bool, k: usize) -> String {
    if is_alias {
        format!("{q}_copy{k}")
    } else {
        format!("copy{k}.{q}")
    }
}

/// The renamed attribute value, or `None` when nothing changes.
fn rename_value(attr: &str, raw: &str, qualifiers: &[(String, bool)], k: usize) -> Option<String> {
    match attr {
        "Name" => None,
        "Namespace" => qualifiers
            .iter()
            .find(|(q, alias)| !alias && q == raw)
            .map(|(q, _)| rename_qualifier(q, false, k)),
        "Alias" => qualifiers
            .iter()
            .find(|(q, alias)| *alias && q == raw)
            .map(|(q, _)| rename_qualifier(q, true, k)),
        _ => {
            let is_token = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.';
            let mut out = String::with_capacity(raw.len() + 8);
            let mut changed = false;
            let mut rest = raw;
            while !rest.is_empty() {
                let start = rest.find(is_token).unwrap_or(rest.len());
                out.push_str(&rest[..start]);
                rest = &rest[start..];
                let end = rest.find(|c: char| !is_token(c)).unwrap_or(rest.len());
                let token = &rest[..end];
                let hit = qualifiers.iter().find(|(q, _)| {
                    token.len() > q.len()
                        && token.starts_with(q.as_str())
                        && token.as_bytes()[q.len()] == b'.'
                });
                match hit {
                    Some((q, alias)) => {
                        out.push_str(&rename_qualifier(q, *alias, k));
                        out.push_str(&token[q.len()..]);
                        changed = true;
                    }
                    None => out.push_str(token),
                }
                rest = &rest[end..];
            }
            changed.then_some(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="a.b" Alias="ab" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="t" BaseType="ab.base"><Property Name="p" Type="Collection(a.b.c.u)" /></EntityType>
      <EntityType Name="base"><Property Name="q" Type="Edm.String" /></EntityType>
    </Schema>
    <Schema Namespace="a.b.c" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <ComplexType Name="u"><Annotation Term="Org.OData.Core.V1.Description" String="x" /></ComplexType>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>"#;

    #[test]
    fn copies_schemas_with_renamed_qualifiers() {
        let out = scale_csdl(DOC, 3).unwrap();
        assert_eq!(out.matches("<Schema ").count(), 6);
        assert!(out.contains(r#"Namespace="copy2.a.b" Alias="ab_copy2""#));
        assert!(out.contains(r#"Namespace="copy3.a.b.c""#));
        assert!(out.contains(r#"BaseType="ab_copy3.base""#));
        assert!(out.contains(r#"Type="Collection(copy2.a.b.c.u)""#));
        assert_eq!(
            out.matches(r#"Term="Org.OData.Core.V1.Description""#)
                .count(),
            3
        );
        assert_eq!(out.matches(r#"Name="t""#).count(), 3);
        assert_eq!(scale_csdl(DOC, 1).unwrap(), DOC);
    }
}

//! Writes a pinned subset of a CSDL document: what the roots reach, and nothing else.
//!
//! The subset keeps every selected type and operation whole, the entity types a path root
//! starts from or passes through (selected shallowly) trimmed to their structural
//! properties, key, alternate keys and the navigation properties of the path, the container's entity sets and singletons that roots start from, and the
//! annotation blocks that target kept elements. Prose is dropped: `Core.Description`,
//! `Core.LongDescription` and the `Description` of revision records.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use roxmltree::Node;

use crate::error::{Error, Result};
use crate::model::{Model, TypeId, TypeKind};
use crate::select::Selection;

/// What to keep, by qualified name.
struct Keep {
    /// Types kept whole.
    whole: BTreeSet<String>,
    /// The members of the types kept whole (inherited ones included), so an annotation
    /// whose target names a member the metadata does not declare is left out: it resolves
    /// to nothing in the full file too, and would only be a warning in the subset.
    whole_members: BTreeMap<String, BTreeSet<String>>,
    /// Types kept trimmed: members (properties, navigations) to keep.
    trimmed: BTreeMap<String, BTreeSet<String>>,
    /// Qualified operation names with the (qualified) binding types of kept overloads.
    operations: BTreeSet<(String, String)>,
    /// `(container qualified name, set name)`.
    sets: BTreeSet<(String, String)>,
}

/// Extracts the subset of `text` (the document `model` was resolved from) that `selection`
/// needs, as CSDL XML.
pub fn extract(text: &str, model: &Model, selection: &Selection) -> Result<String> {
    let keep = plan_keep(model, selection);
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc = roxmltree::Document::parse(text)
        .map_err(|e| Error::new(crate::ErrorKind::Xml, format!("malformed XML: {e}")))?;
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<!-- Pinned subset made by `cargo xtask update-specs` (csdl-codegen extract). Do not edit by hand. -->\n");
    let root = doc.root_element();
    let version = root.attribute("Version").unwrap_or("4.0");
    let _ = writeln!(
        out,
        "<edmx:Edmx Version=\"{}\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">",
        escape(version)
    );
    out.push_str("  <edmx:DataServices>\n");
    let aliases: BTreeMap<String, String> = model
        .namespaces
        .iter()
        .flat_map(|(ns, alias)| {
            std::iter::once((ns.clone(), ns.clone()))
                .chain(alias.iter().map(|a| (a.clone(), ns.clone())))
        })
        .collect();
    let canonical = |q: &str| -> String {
        match q.rsplit_once('.') {
            Some((ns, name)) => match aliases.get(ns) {
                Some(full) => format!("{full}.{name}"),
                None => q.to_string(),
            },
            None => q.to_string(),
        }
    };
    for ds in root
        .children()
        .filter(|n| n.has_tag_name("DataServices") || local(n) == "DataServices")
    {
        for schema in ds.children().filter(|n| local(n) == "Schema") {
            let ns = schema.attribute("Namespace").unwrap_or_default();
            let mut body = String::new();
            for child in schema.children().filter(Node::is_element) {
                let name = child.attribute("Name").unwrap_or_default();
                let qualified = format!("{ns}.{name}");
                match local(&child) {
                    "EntityType" | "ComplexType" | "EnumType" | "TypeDefinition" => {
                        if keep.whole.contains(&qualified) {
                            write_element(&mut body, child, 3, &|_| true);
                        } else if let Some(members) = keep.trimmed.get(&qualified) {
                            write_element(&mut body, child, 3, &|n: &Node| match local(n) {
                                "Property" | "NavigationProperty" => {
                                    members.contains(n.attribute("Name").unwrap_or_default())
                                }
                                _ => true,
                            });
                        }
                    }
                    "Action" | "Function" => {
                        let binding = child
                            .children()
                            .find(|n| local(n) == "Parameter")
                            .and_then(|p| p.attribute("Type"))
                            .map(|t| canonical_type(t, &canonical))
                            .unwrap_or_default();
                        let bound = child.attribute("IsBound") == Some("true");
                        let key = (
                            qualified.clone(),
                            if bound { binding } else { String::new() },
                        );
                        if keep.operations.contains(&key) {
                            write_element(&mut body, child, 3, &|_| true);
                        }
                    }
                    "EntityContainer" => {
                        let sets: Vec<Node> = child
                            .children()
                            .filter(|n| {
                                matches!(local(n), "EntitySet" | "Singleton")
                                    && keep.sets.contains(&(
                                        qualified.clone(),
                                        n.attribute("Name").unwrap_or_default().to_string(),
                                    ))
                            })
                            .collect();
                        if !sets.is_empty() {
                            let _ =
                                writeln!(body, "      <EntityContainer Name=\"{}\">", escape(name));
                            for s in sets {
                                // Bindings point at sets that are not kept.
                                write_element(&mut body, s, 4, &|n: &Node| {
                                    local(n) != "NavigationPropertyBinding"
                                });
                            }
                            body.push_str("      </EntityContainer>\n");
                        }
                    }
                    "Annotations" => {
                        let target = child.attribute("Target").unwrap_or_default();
                        if target_kept(target, &keep, &canonical) {
                            let mut block = String::new();
                            write_element(&mut block, child, 3, &|_| true);
                            // A block left with only prose is dropped.
                            if block.contains("<Annotation ") {
                                body.push_str(&block);
                            }
                        }
                    }
                    _ => {}
                }
            }
            if body.is_empty() {
                continue;
            }
            let _ = write!(out, "    <Schema Namespace=\"{}\"", escape(ns));
            if let Some(alias) = schema.attribute("Alias") {
                let _ = write!(out, " Alias=\"{}\"", escape(alias));
            }
            out.push_str(" xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">\n");
            out.push_str(&body);
            out.push_str("    </Schema>\n");
        }
    }
    out.push_str("  </edmx:DataServices>\n</edmx:Edmx>\n");
    Ok(out)
}

/// Reads `input`, selects from `roots` (everything, as `--all`, when empty), and writes
/// the subset to `output` (atomically).
pub fn extract_file(input: &Path, output: &Path, roots: &[crate::Root]) -> Result<(usize, usize)> {
    let bytes = std::fs::read(input).map_err(|e| Error::io(input, &e))?;
    let text = String::from_utf8_lossy(&bytes);
    let document = crate::csdl::parse_document(&text).map_err(|e| e.in_file(input))?;
    let model = crate::model::resolve(&document).map_err(|e| e.in_file(input))?;
    let selection = if roots.is_empty() {
        crate::select::select_all(&model)
    } else {
        crate::select::select(&model, roots).map_err(|e| e.in_file(input))?
    };
    let subset = extract(&text, &model, &selection).map_err(|e| e.in_file(input))?;
    let tmp = output.with_extension("xml.tmp");
    std::fs::write(&tmp, subset).map_err(|e| Error::io(&tmp, &e))?;
    std::fs::rename(&tmp, output).map_err(|e| Error::io(output, &e))?;
    Ok((selection.types.len(), selection.operations.len()))
}

fn plan_keep(model: &Model, selection: &Selection) -> Keep {
    let name = |id: TypeId| model.ty(id).qualified_name();
    let mut keep = Keep {
        whole: selection
            .types
            .iter()
            .filter(|&&id| selection.is_deep(id))
            .map(|&id| name(id))
            .collect(),
        whole_members: BTreeMap::new(),
        trimmed: BTreeMap::new(),
        operations: BTreeSet::new(),
        sets: BTreeSet::new(),
    };
    for &id in selection.types.iter().filter(|&&id| selection.is_deep(id)) {
        let mut members = BTreeSet::new();
        for t in model.lineage(id) {
            match &model.ty(t).kind {
                TypeKind::Enum(e) => members.extend(e.members.iter().map(|m| m.name.clone())),
                _ => {
                    if let Some(s) = model.ty(t).structured() {
                        members.extend(s.properties.iter().map(|p| p.name.clone()));
                        members.extend(s.navigations.iter().map(|n| n.name.clone()));
                    }
                }
            }
        }
        keep.whole_members.insert(name(id), members);
    }
    for &op in &selection.operations {
        let o = &model.operations[op.0];
        let binding = o
            .binding
            .as_ref()
            .and_then(|b| {
                b.type_id().map(|id| {
                    if b.collection {
                        format!("Collection({})", name(id))
                    } else {
                        name(id)
                    }
                })
            })
            .unwrap_or_default();
        keep.operations.insert((o.qualified_name(), binding));
    }
    for path in &selection.paths {
        let c = &model.containers[path.container];
        keep.sets
            .insert((format!("{}.{}", c.namespace, c.name), path.set.clone()));
        let mut trim = |id: TypeId, members: Vec<String>| {
            for t in model.lineage(id) {
                let n = name(t);
                if keep.whole.contains(&n) {
                    continue;
                }
                let entry = keep.trimmed.entry(n).or_default();
                // Key and alternate-key properties of the whole chain.
                if let Some(s) = model.ty(t).structured() {
                    entry.extend(s.key.iter().cloned());
                }
                for k in &model.ty(t).annotations.alternate_keys {
                    entry.extend(k.parts.iter().map(|(_, p)| p.clone()));
                }
                entry.extend(members.iter().cloned());
            }
        };
        trim(path.set_type, Vec::new());
        for step in &path.steps {
            trim(step.owner, vec![step.name.clone()]);
            trim(step.target, Vec::new());
        }
    }
    // Shallowly selected types keep their structural properties (not their navigations).
    for &id in &selection.shallow {
        if let Some(s) = model.ty(id).structured() {
            keep.trimmed
                .entry(name(id))
                .or_default()
                .extend(s.properties.iter().map(|p| p.name.clone()));
        }
    }
    keep
}

fn canonical_type(t: &str, canonical: &dyn Fn(&str) -> String) -> String {
    match t
        .strip_prefix("Collection(")
        .and_then(|r| r.strip_suffix(')'))
    {
        Some(inner) => format!("Collection({})", canonical(inner.trim())),
        None => canonical(t.trim()),
    }
}

fn target_kept(target: &str, keep: &Keep, canonical: &dyn Fn(&str) -> String) -> bool {
    let (head, signature, member) = match (target.find('('), target.find('/')) {
        (Some(open), slash) if slash.is_none_or(|s| open < s) => {
            let close = target.rfind(')').unwrap_or(target.len());
            let member = target.get(close + 1..).and_then(|r| r.strip_prefix('/'));
            (&target[..open], target.get(open + 1..close), member)
        }
        (_, Some(slash)) => (&target[..slash], None, Some(&target[slash + 1..])),
        _ => (target, None, None),
    };
    let q = canonical(head);
    if let Some(sig) = signature {
        let first = sig.split(", ").next().unwrap_or_default();
        let first = first.split(',').next().unwrap_or_default();
        // `Collection(x` was cut at the first comma; re-close it.
        let binding = if first.starts_with("Collection(") && !first.ends_with(')') {
            format!("{first})")
        } else {
            first.to_string()
        };
        let binding = canonical_type(&binding, canonical);
        return keep.operations.contains(&(q.clone(), binding))
            || keep.operations.contains(&(q, String::new()));
    }
    if keep.whole.contains(&q) {
        // Only the first segment of a member path is a member of the type itself.
        let first = member.map(|m| m.split('/').next().unwrap_or(m));
        return first.is_none_or(|m| keep.whole_members.get(&q).is_none_or(|ms| ms.contains(m)));
    }
    if let Some(members) = keep.trimmed.get(&q) {
        return member.is_none_or(|m| members.contains(m));
    }
    if keep.operations.iter().any(|(n, _)| n == &q) {
        return true;
    }
    match member {
        Some(m) => keep.sets.contains(&(q, m.to_string())),
        None => false,
    }
}

fn local<'a>(node: &Node<'a, '_>) -> &'a str {
    node.tag_name().name()
}

/// Prose annotations are not copied.
fn is_prose(node: &Node) -> bool {
    match local(node) {
        "Annotation" => node
            .attribute("Term")
            .is_some_and(|t| t.ends_with(".Description") || t.ends_with(".LongDescription")),
        "PropertyValue" => node.attribute("Property") == Some("Description"),
        _ => false,
    }
}

fn write_element(out: &mut String, node: Node, depth: usize, keep_child: &dyn Fn(&Node) -> bool) {
    let indent = "  ".repeat(depth);
    let _ = write!(out, "{indent}<{}", local(&node));
    for a in node.attributes() {
        if a.namespace().is_some() {
            continue;
        }
        let _ = write!(out, " {}=\"{}\"", a.name(), escape(a.value()));
    }
    let children: Vec<Node> = node
        .children()
        .filter(|c| c.is_element() && !is_prose(c) && keep_child(c))
        .collect();
    let text = node
        .children()
        .filter(Node::is_text)
        .filter_map(|t| t.text())
        .collect::<String>();
    if children.is_empty() && text.trim().is_empty() {
        out.push_str(" />\n");
    } else if children.is_empty() {
        let _ = writeln!(out, ">{}</{}>", escape(text.trim()), local(&node));
    } else {
        out.push_str(">\n");
        for c in children {
            write_element(out, c, depth + 1, &|_| true);
        }
        let _ = writeln!(out, "{indent}</{}>", local(&node));
    }
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An annotation of a member the type does not declare resolves to nothing in the full
    /// file; the subset leaves it out (it would be a warning there), and keeps the others.
    #[test]
    fn annotations_of_undeclared_members_are_left_out() {
        let text = r#"<?xml version="1.0"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="Ns" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="thing">
        <Key><PropertyRef Name="id"/></Key>
        <Property Name="id" Type="Edm.String" Nullable="false"/>
      </EntityType>
      <EntityContainer Name="C"><EntitySet Name="things" EntityType="Ns.thing"/></EntityContainer>
      <Annotations Target="Ns.thing/id"><Annotation Term="Org.OData.Core.V1.Computed" Bool="true"/></Annotations>
      <Annotations Target="Ns.thing/gone"><Annotation Term="Org.OData.Core.V1.Computed" Bool="true"/></Annotations>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>"#;
        let document = crate::csdl::parse_document(text).unwrap();
        let model = crate::model::resolve(&document).unwrap();
        let selection = crate::select::select(&model, &[crate::Root::parse("things")]).unwrap();
        let subset = extract(text, &model, &selection).unwrap();
        assert!(subset.contains(r#"Target="Ns.thing/id""#), "{subset}");
        assert!(!subset.contains("Ns.thing/gone"), "{subset}");
    }
}

//! roxmltree-based reader. DTDs are refused (roxmltree's default), every failure carries a
//! position, and nothing here panics on malformed input.

use std::path::Path;

use roxmltree::{Node, ParsingOptions};

use super::ast::*;
use crate::error::{Error, ErrorKind, Pos, Result};

/// Deepest annotation expression nesting accepted; deeper input is an error, not a stack overflow.
const MAX_EXPRESSION_DEPTH: usize = 64;
/// Upper bound on XML nodes (the whole Graph beta metadata has about 400k).
const MAX_NODES: u32 = 20_000_000;
/// The XML namespace of OData v4 `edmx:` elements.
pub const EDMX_NAMESPACE: &str = "http://docs.oasis-open.org/odata/ns/edmx";
/// The XML namespace of OData v4 `Schema` elements.
pub const EDM_NAMESPACE: &str = "http://docs.oasis-open.org/odata/ns/edm";

/// Reads and parses the CSDL file at `path`. Errors carry the path.
pub fn read_file(path: &Path) -> Result<Document> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, &e))?;
    let text = decode_utf8(&bytes).map_err(|e| e.in_file(path))?;
    parse_document(text).map_err(|e| e.in_file(path))
}

fn decode_utf8(bytes: &[u8]) -> Result<&str> {
    // Positions are counted after the byte-order mark everywhere.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        // Only the valid prefix is decoded; it is valid by construction.
        let prefix = std::str::from_utf8(valid).unwrap_or_default();
        Error::new(
            ErrorKind::Xml,
            format!(
                "input is not valid UTF-8 (invalid byte at offset {})",
                e.valid_up_to()
            ),
        )
        .at(pos_of_offset(prefix, prefix.len()))
    })
}

/// Byte offsets where lines start: after `\n`, after `\r\n`, and after a lone `\r` (XML
/// line-end handling).
fn line_starts(text: &str) -> Vec<usize> {
    // This runs over the whole document: `memchr`'s vectorised search costs a fraction of an
    // instruction per byte, std's `str` search several (18M instructions on Graph v1.0).
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    if memchr::memchr(b'\r', bytes).is_none() {
        starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
        return starts;
    }
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
            starts.push(i + 1);
        }
    }
    starts
}

fn pos_of_offset(text: &str, offset: usize) -> Pos {
    let offset = offset.min(text.len());
    let starts = line_starts(&text[..offset]);
    let line_start = starts.last().copied().unwrap_or(0);
    let col = text
        .get(line_start..offset)
        .map_or(0, |l| l.chars().count());
    Pos {
        line: starts.len() as u32,
        col: col as u32 + 1,
    }
}

/// Parses CSDL text. A leading byte-order mark is accepted.
pub fn parse_document(text: &str) -> Result<Document> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_NODES,
        ..ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, options).map_err(|e| {
        let p = e.pos();
        // Some roxmltree errors carry no position (reported as 1:1): point at the DTD, or at
        // the end of a truncated document, instead.
        let pos = match e {
            roxmltree::Error::DtdDetected => text
                .find("<!DOCTYPE")
                .map(|offset| pos_of_offset(text, offset)),
            roxmltree::Error::UnexpectedEndOfStream | roxmltree::Error::UnclosedRootNode => {
                Some(pos_of_offset(text, text.len()))
            }
            _ => None,
        };
        let pos = pos.unwrap_or(Pos {
            line: p.row,
            col: p.col,
        });
        let message = format!("malformed XML: {e}");
        let message = message
            .strip_suffix(&format!(" at {}:{}", p.row, p.col))
            .map(str::to_string)
            .unwrap_or(message);
        Error::new(ErrorKind::Xml, message).at(pos)
    })?;
    let line_starts = line_starts(text);
    let reader = Reader {
        doc: &doc,
        text,
        line_starts,
    };
    reader.document()
}

struct Reader<'a, 'input> {
    doc: &'a roxmltree::Document<'input>,
    text: &'input str,
    /// Byte offset of each line start: positions are a binary search away
    /// (roxmltree's own `text_pos_at` rescans from the start every time).
    line_starts: Vec<usize>,
}

fn local<'a>(node: &Node<'a, '_>) -> &'a str {
    node.tag_name().name()
}

fn children<'a, 'i>(node: Node<'a, 'i>) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children().filter(|n| n.is_element())
}

impl<'a, 'input> Reader<'a, 'input> {
    fn pos(&self, node: &Node) -> Pos {
        let offset = node.range().start;
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts[line - 1];
        let col = self
            .text
            .get(start..offset)
            .map_or(0, |l| l.chars().count());
        Pos {
            line: line as u32,
            col: col as u32 + 1,
        }
    }

    fn err(&self, node: &Node, message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Csdl, message).at(self.pos(node))
    }

    fn required(&self, node: &Node, attr: &str) -> Result<String> {
        match node.attribute(attr) {
            Some(v) if !v.trim().is_empty() => Ok(v.to_string()),
            _ => {
                let mut e = self.err(
                    node,
                    format!("<{}> is missing the `{attr}` attribute", local(node)),
                );
                if let Some(name) = node.attribute("Name") {
                    e = e.named(name);
                }
                Err(e)
            }
        }
    }

    fn boolean(&self, node: &Node, attr: &str, default: bool) -> Result<bool> {
        match node.attribute(attr) {
            None => Ok(default),
            Some(v) => match v.trim() {
                "true" | "True" | "1" => Ok(true),
                "false" | "False" | "0" => Ok(false),
                other => Err(self
                    .err(
                        node,
                        format!("attribute `{attr}` must be true or false, found `{other}`"),
                    )
                    .named(node.attribute("Name").unwrap_or(attr))),
            },
        }
    }

    fn document(&self) -> Result<Document> {
        let root = self.doc.root_element();
        if local(&root) != "Edmx" {
            return Err(self.err(
                &root,
                format!(
                    "expected an <edmx:Edmx> root element, found <{}>",
                    local(&root)
                ),
            ));
        }
        let version = root.attribute("Version").unwrap_or_default();
        let edmx_ns = root.tag_name().namespace().unwrap_or_default();
        if !matches!(version, "4.0" | "4.01") || edmx_ns != EDMX_NAMESPACE {
            let found = if version.is_empty() {
                "no Version".to_string()
            } else {
                format!("Version=\"{version}\"")
            };
            let old = matches!(version, "1.0" | "2.0" | "3.0") || edmx_ns != EDMX_NAMESPACE;
            let message = if old {
                format!(
                    "this is OData v2/v3 metadata ({found}, EDMX namespace `{edmx_ns}`): csdl-codegen reads OData v4 (Version 4.0 or 4.01, namespace {EDMX_NAMESPACE}); OData v2/v3 is not supported"
                )
            } else {
                format!(
                    "unsupported EDMX version ({found}): csdl-codegen reads OData v4 metadata, Version 4.0 or 4.01"
                )
            };
            return Err(self.err(&root, message).named(version));
        }
        let mut document = Document {
            references: Vec::new(),
            schemas: Vec::new(),
        };
        for child in children(root) {
            match local(&child) {
                "Reference" => document.references.push(self.reference(child)?),
                "DataServices" => {
                    for schema in children(child).filter(|n| local(n) == "Schema") {
                        let ns = schema.tag_name().namespace().unwrap_or_default();
                        if ns != EDM_NAMESPACE {
                            return Err(self
                                .err(
                                    &schema,
                                    format!(
                                        "<Schema> is in the XML namespace `{ns}`; OData v4 schemas use {EDM_NAMESPACE} (OData v2/v3 is not supported)"
                                    ),
                                )
                                .named(ns));
                        }
                        document.schemas.push(self.schema(schema)?);
                    }
                }
                _ => {}
            }
        }
        if document.schemas.is_empty() {
            return Err(self.err(&root, "the document has no <Schema> element"));
        }
        Ok(document)
    }

    fn reference(&self, node: Node) -> Result<Reference> {
        let mut reference = Reference {
            uri: self.required(&node, "Uri")?,
            pos: self.pos(&node),
            ..Reference::default()
        };
        for child in children(node) {
            match local(&child) {
                "Include" => reference.includes.push(Include {
                    namespace: self.required(&child, "Namespace")?,
                    alias: child.attribute("Alias").map(str::to_string),
                    pos: self.pos(&child),
                }),
                "IncludeAnnotations" => reference.include_annotations.push(IncludeAnnotations {
                    term_namespace: self.required(&child, "TermNamespace")?,
                    qualifier: child.attribute("Qualifier").map(str::to_string),
                    target_namespace: child.attribute("TargetNamespace").map(str::to_string),
                }),
                _ => {}
            }
        }
        Ok(reference)
    }

    fn schema(&self, node: Node) -> Result<Schema> {
        let mut schema = Schema {
            namespace: self.required(&node, "Namespace")?,
            alias: node.attribute("Alias").map(str::to_string),
            pos: self.pos(&node),
            ..Schema::default()
        };
        for child in children(node) {
            match local(&child) {
                "EntityType" => schema.entity_types.push(self.structured(child, true)?),
                "ComplexType" => schema.complex_types.push(self.structured(child, false)?),
                "EnumType" => schema.enum_types.push(self.enum_type(child)?),
                "TypeDefinition" => schema.type_definitions.push(TypeDefinition {
                    name: self.required(&child, "Name")?,
                    pos: self.pos(&child),
                    underlying_type: self.required(&child, "UnderlyingType")?,
                    annotations: self.inline_annotations(child)?,
                }),
                "Action" => schema
                    .operations
                    .push(self.operation(child, OperationKind::Action)?),
                "Function" => schema
                    .operations
                    .push(self.operation(child, OperationKind::Function)?),
                "EntityContainer" => schema.containers.push(self.container(child)?),
                "Annotations" => schema.annotation_blocks.push(AnnotationBlock {
                    target: self.required(&child, "Target")?,
                    qualifier: child.attribute("Qualifier").map(str::to_string),
                    pos: self.pos(&child),
                    annotations: self.inline_annotations(child)?,
                }),
                "Annotation" => schema.annotations.push(self.annotation(child)?),
                "Term" => schema.terms.push(Term {
                    name: self.required(&child, "Name")?,
                    pos: self.pos(&child),
                    type_name: self.required(&child, "Type")?,
                    applies_to: child.attribute("AppliesTo").map(str::to_string),
                }),
                // Unknown elements do not affect generated code.
                _ => {}
            }
        }
        Ok(schema)
    }

    fn structured(&self, node: Node, entity: bool) -> Result<StructuredType> {
        let mut ty = StructuredType {
            name: self.required(&node, "Name")?,
            pos: self.pos(&node),
            base_type: node.attribute("BaseType").map(str::to_string),
            is_abstract: self.boolean(&node, "Abstract", false)?,
            open_type: self.boolean(&node, "OpenType", false)?,
            has_stream: entity && self.boolean(&node, "HasStream", false)?,
            ..StructuredType::default()
        };
        for child in children(node) {
            match local(&child) {
                "Key" => {
                    for r in children(child).filter(|n| local(n) == "PropertyRef") {
                        let name = self.required(&r, "Name")?;
                        if let Some(alias) = r.attribute("Alias") {
                            ty.key_aliases.push((name.clone(), alias.to_string()));
                        }
                        ty.key.push(name);
                    }
                }
                "Property" => ty.properties.push(Property {
                    name: self.required(&child, "Name")?,
                    pos: self.pos(&child),
                    type_name: self.required(&child, "Type")?,
                    nullable: self.boolean(&child, "Nullable", true)?,
                    default_value: child.attribute("DefaultValue").map(str::to_string),
                    max_length: child.attribute("MaxLength").map(str::to_string),
                    precision: child.attribute("Precision").map(str::to_string),
                    scale: child.attribute("Scale").map(str::to_string),
                    unicode: match child.attribute("Unicode") {
                        Some(_) => Some(self.boolean(&child, "Unicode", true)?),
                        None => None,
                    },
                    annotations: self.inline_annotations(child)?,
                }),
                "NavigationProperty" => ty.navigation_properties.push(NavigationProperty {
                    name: self.required(&child, "Name")?,
                    pos: self.pos(&child),
                    type_name: self.required(&child, "Type")?,
                    nullable: self.boolean(&child, "Nullable", true)?,
                    contains_target: self.boolean(&child, "ContainsTarget", false)?,
                    partner: child.attribute("Partner").map(str::to_string),
                    annotations: self.inline_annotations(child)?,
                }),
                "Annotation" => ty.annotations.push(self.annotation(child)?),
                _ => {}
            }
        }
        Ok(ty)
    }

    fn enum_type(&self, node: Node) -> Result<EnumType> {
        let mut ty = EnumType {
            name: self.required(&node, "Name")?,
            pos: self.pos(&node),
            underlying_type: node.attribute("UnderlyingType").map(str::to_string),
            is_flags: self.boolean(&node, "IsFlags", false)?,
            ..EnumType::default()
        };
        // The implicit value of the next member; `None` after i64::MAX.
        let mut next: Option<i64> = Some(0);
        for child in children(node) {
            match local(&child) {
                "Member" => {
                    let name = self.required(&child, "Name")?;
                    let value = match child.attribute("Value") {
                        Some(v) => v.trim().parse::<i64>().map_err(|_| {
                            self.err(
                                &child,
                                format!("enum member value `{v}` is not a 64-bit integer"),
                            )
                            .named(format!("{}.{}", ty.name, name))
                        })?,
                        None => next.ok_or_else(|| {
                            self.err(
                                &child,
                                "the implicit value of this enum member overflows a 64-bit integer",
                            )
                            .named(format!("{}.{}", ty.name, name))
                        })?,
                    };
                    next = value.checked_add(1);
                    ty.members.push(EnumMember {
                        name,
                        pos: self.pos(&child),
                        value,
                        annotations: self.inline_annotations(child)?,
                    });
                }
                "Annotation" => ty.annotations.push(self.annotation(child)?),
                _ => {}
            }
        }
        Ok(ty)
    }

    fn operation(&self, node: Node, kind: OperationKind) -> Result<Operation> {
        let mut op = Operation {
            kind,
            name: self.required(&node, "Name")?,
            pos: self.pos(&node),
            is_bound: self.boolean(&node, "IsBound", false)?,
            is_composable: self.boolean(&node, "IsComposable", false)?,
            entity_set_path: node.attribute("EntitySetPath").map(str::to_string),
            ..Operation::default()
        };
        for child in children(node) {
            match local(&child) {
                "Parameter" => op.parameters.push(Parameter {
                    name: self.required(&child, "Name")?,
                    pos: self.pos(&child),
                    type_name: self.required(&child, "Type")?,
                    nullable: self.boolean(&child, "Nullable", true)?,
                    annotations: self.inline_annotations(child)?,
                }),
                "ReturnType" => {
                    op.return_type = Some(ReturnType {
                        pos: self.pos(&child),
                        type_name: self.required(&child, "Type")?,
                        nullable: self.boolean(&child, "Nullable", true)?,
                    })
                }
                "Annotation" => op.annotations.push(self.annotation(child)?),
                _ => {}
            }
        }
        if op.is_bound && op.parameters.is_empty() {
            return Err(self
                .err(&node, "a bound operation needs a binding parameter")
                .named(op.name));
        }
        Ok(op)
    }

    fn container(&self, node: Node) -> Result<EntityContainer> {
        let mut c = EntityContainer {
            name: self.required(&node, "Name")?,
            ..EntityContainer::default()
        };
        for child in children(node) {
            match local(&child) {
                "EntitySet" => c.entity_sets.push(self.entity_set(child, "EntityType")?),
                "Singleton" => c.singletons.push(self.entity_set(child, "Type")?),
                "ActionImport" => c.action_imports.push(self.import(child, "Action")?),
                "FunctionImport" => c.function_imports.push(self.import(child, "Function")?),
                "Annotation" => c.annotations.push(self.annotation(child)?),
                _ => {}
            }
        }
        Ok(c)
    }

    fn entity_set(&self, node: Node, type_attr: &str) -> Result<EntitySet> {
        let mut set = EntitySet {
            name: self.required(&node, "Name")?,
            pos: self.pos(&node),
            entity_type: self.required(&node, type_attr)?,
            ..EntitySet::default()
        };
        for child in children(node) {
            match local(&child) {
                "NavigationPropertyBinding" => set.navigation_bindings.push(NavigationBinding {
                    path: self.required(&child, "Path")?,
                    target: self.required(&child, "Target")?,
                }),
                "Annotation" => set.annotations.push(self.annotation(child)?),
                _ => {}
            }
        }
        Ok(set)
    }

    fn import(&self, node: Node, op_attr: &str) -> Result<OperationImport> {
        Ok(OperationImport {
            name: self.required(&node, "Name")?,
            pos: self.pos(&node),
            operation: self.required(&node, op_attr)?,
            entity_set: node.attribute("EntitySet").map(str::to_string),
            annotations: self.inline_annotations(node)?,
        })
    }

    fn inline_annotations(&self, node: Node) -> Result<Vec<Annotation>> {
        children(node)
            .filter(|n| local(n) == "Annotation")
            .map(|n| self.annotation(n))
            .collect()
    }

    fn annotation(&self, node: Node) -> Result<Annotation> {
        Ok(Annotation {
            term: self.required(&node, "Term")?,
            qualifier: node.attribute("Qualifier").map(str::to_string),
            pos: self.pos(&node),
            value: self.expression(node, 0)?,
        })
    }

    /// The value of an `Annotation` or `PropertyValue`: an attribute form or one child element.
    fn expression(&self, node: Node, depth: usize) -> Result<Value> {
        if depth > MAX_EXPRESSION_DEPTH {
            return Err(self.err(&node, "annotation expression nested too deeply"));
        }
        for attr in node.attributes() {
            if let Some(v) = constant(attr.name(), attr.value()) {
                return Ok(v);
            }
        }
        match children(node).find(|n| local(n) != "Annotation") {
            Some(child) => self.element_expression(child, depth + 1),
            None => Ok(Value::Absent),
        }
    }

    fn element_expression(&self, node: Node, depth: usize) -> Result<Value> {
        if depth > MAX_EXPRESSION_DEPTH {
            return Err(self.err(&node, "annotation expression nested too deeply"));
        }
        let name = local(&node);
        let text = node.text().unwrap_or("").trim();
        if let Some(v) = constant(name, text) {
            return Ok(v);
        }
        Ok(match name {
            "Null" => Value::Null,
            "Record" => {
                let mut record = Record {
                    type_name: node.attribute("Type").map(str::to_string),
                    properties: Vec::new(),
                };
                for pv in children(node).filter(|n| local(n) == "PropertyValue") {
                    let property = self.required(&pv, "Property")?;
                    record
                        .properties
                        .push((property, self.expression(pv, depth + 1)?));
                }
                Value::Record(record)
            }
            "Collection" => Value::Collection(
                children(node)
                    .filter(|n| local(n) != "Annotation")
                    .map(|n| self.element_expression(n, depth + 1))
                    .collect::<Result<_>>()?,
            ),
            other => Value::Other(other.to_string()),
        })
    }
}

/// Constant and path expressions, spelled the same as attribute and as element.
fn constant(kind: &str, text: &str) -> Option<Value> {
    Some(match kind {
        "String" => Value::String(text.to_string()),
        "Bool" => Value::Bool(matches!(text.trim(), "true" | "True")),
        "Int" => match text.trim().parse() {
            Ok(i) => Value::Int(i),
            Err(_) => Value::Text {
                kind: kind.to_string(),
                text: text.to_string(),
            },
        },
        "Float" | "Decimal" | "Date" | "DateTimeOffset" | "Duration" | "Guid" | "Binary"
        | "TimeOfDay" | "UrlRef" => Value::Text {
            kind: kind.to_string(),
            text: text.to_string(),
        },
        "EnumMember" => Value::EnumMember(text.trim().to_string()),
        "Path"
        | "PropertyPath"
        | "NavigationPropertyPath"
        | "AnnotationPath"
        | "ModelElementPath" => Value::Path {
            kind: kind.to_string(),
            path: text.trim().to_string(),
        },
        _ => return None,
    })
}

#[cfg(test)]
mod line_start_tests {
    use super::line_starts;

    #[test]
    fn lines_end_at_lf_crlf_and_lone_cr() {
        assert_eq!(line_starts("a\nb\r\nc\rd"), vec![0, 2, 5, 7]);
        assert_eq!(line_starts("a\nbc\n"), vec![0, 2, 5]);
        assert_eq!(line_starts("\r\r\n"), vec![0, 1, 3]);
        assert_eq!(line_starts(""), vec![0]);
    }
}

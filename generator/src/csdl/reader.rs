//! roxmltree-based reader. DTDs are refused (roxmltree's default), every failure carries a
//! position, and nothing here panics on malformed input.

use std::path::Path;
use std::sync::Arc;

use roxmltree::{Node, ParsingOptions};

use super::ast::*;
use super::deferred::Place;
use super::position::Lines;
use super::source::Source;
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

/// [`read_file`], leaving the members of structured and enum types unread: the document
/// keeps its text and XML tree, and each type reads its members when first asked
/// ([`Deferred`]). An error in members is reported when they are read.
pub fn read_file_deferred(path: &Path) -> Result<Document> {
    let bytes = read_with_room(path).map_err(|e| Error::io(path, &e))?;
    // `decode_utf8` words the error (and has it whenever this check fails).
    let text = String::from_utf8(bytes).map_err(|e| {
        let error = match decode_utf8(e.as_bytes()) {
            Err(error) => error,
            Ok(_) => Error::new(ErrorKind::Xml, format!("input is not valid UTF-8: {e}")),
        };
        error.in_file(path)
    })?;
    // Positions are counted after the byte-order marks `read_file` strips: one by
    // `decode_utf8`, one by `parse_document`. Skipped, not removed (that moved the text).
    let mut start = 0;
    for _ in 0..2 {
        if text[start..].starts_with('\u{feff}') {
            start += '\u{feff}'.len_utf8();
        }
    }
    let source =
        Source::new_in_halves(text, start, parse_xml, MAX_NODES).map_err(|e| e.in_file(path))?;
    read_source(&source).map_err(|e| e.in_file(path))
}

/// The document of a source read for later (members deferred). One parsed in halves is read
/// on two threads, a reader for each half, and the second half's elements join the first's
/// ([`SecondPart`]): Graph v1.0 reads in about 3.5 ms so, against 5.5 to 6 on one thread.
fn read_source(source: &Arc<Source>) -> Result<Document> {
    let first = Reader {
        doc: source.xml(),
        lines: Lines::resume(source.text(), source.has_cr, (1, 0), (1, 0)),
        defer: Some(source),
        second_half: false,
    };
    let Some(half) = source.second_half() else {
        return first.document();
    };
    let read_second = || {
        let reader = Reader {
            doc: half.xml,
            lines: Lines::resume(half.text, source.has_cr, half.home(), half.home()),
            defer: Some(source),
            second_half: true,
        };
        reader.second_part(half.open.ids)
    };
    let (document, second) = crate::write::on_two_threads(|| first.document(), read_second);
    // The first half's errors come first in the document, as a whole read finds them.
    let mut document = document?;
    second?.join(&mut document)?;
    Ok(document)
}

/// The bytes of the file at `path`, with room after them for the tags a document parsed in
/// halves inserts (`csdl/halves.rs`), so inserting them never moves the text.
fn read_with_room(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let size = file.metadata().map_or(0, |m| m.len());
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).saturating_add(4096));
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
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

fn pos_of_offset(text: &str, offset: usize) -> Pos {
    let offset = offset.min(text.len());
    // Counted on the text up to `offset`, as if it ended there.
    Lines::new(&text[..offset]).pos(offset)
}

/// Parses CSDL text. A leading byte-order mark is accepted.
pub fn parse_document(text: &str) -> Result<Document> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc = parse_xml(text, MAX_NODES)?;
    let reader = Reader {
        doc: &doc,
        lines: Lines::new(text),
        defer: None,
        second_half: false,
    };
    reader.document()
}

/// The XML tree of `text` (after any byte-order mark), with CSDL's parsing options and at
/// most `nodes` nodes.
fn parse_xml(text: &str, nodes: u32) -> Result<roxmltree::Document<'_>> {
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: nodes,
        ..ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text, options).map_err(|e| {
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
    })
}

/// The members of the structured type at `place`, as an eager read finds them.
pub(super) fn read_structured_members(place: &Place) -> Result<StructuredMembers> {
    Reader::at(place).and_then(|(reader, node)| reader.structured_members(node))
}

/// The annotations of the `Annotations` block at `place`, as an eager read finds them.
pub(super) fn read_annotations(place: &Place) -> Result<Vec<Annotation>> {
    Reader::at(place).and_then(|(reader, node)| reader.inline_annotations(node))
}

/// The members of the enum type at `place`, as an eager read finds them.
pub(super) fn read_enum_members(place: &Place) -> Result<EnumMembers> {
    Reader::at(place).and_then(|(reader, node)| reader.enum_members(node))
}

struct Reader<'a, 'input> {
    doc: &'a roxmltree::Document<'input>,
    /// Positions of nodes, asked in document order (roxmltree's own `text_pos_at` rescans
    /// from the start every time).
    lines: Lines<'input>,
    /// The document's source when members are left for later (`read_file_deferred`).
    defer: Option<&'a Arc<Source>>,
    /// Whether `doc` is the second half of a document parsed in halves
    /// (`csdl/halves.rs`), where members left for later are found again.
    second_half: bool,
}

/// What the second half of a document parsed in halves adds to the first half's document:
/// the rest of the schema open at the split, then (in `rest`, in document order) the schemas
/// after it in its `DataServices` and the root's elements after that. In the first half,
/// the open schema is the
/// last one read: the open elements are each their parent's last
/// ([`OpenCopies::verify`](super::halves::OpenCopies::verify)).
struct SecondPart {
    /// The open schema's elements after the split (its name and attributes are the first
    /// half's).
    continued: Schema,
    rest: Document,
}

impl SecondPart {
    /// Appends the second half's elements to `document`, read from the first half, in
    /// document order.
    fn join(self, document: &mut Document) -> Result<()> {
        let SecondPart { continued, rest } = self;
        let open = document.schemas.last_mut().ok_or_else(|| {
            Error::new(
                ErrorKind::Internal,
                "internal error: the first half of a split document has no schema",
            )
        })?;
        open.append(continued);
        document.references.extend(rest.references);
        document.schemas.extend(rest.schemas);
        Ok(())
    }
}

fn local<'a>(node: &Node<'a, '_>) -> &'a str {
    node.tag_name().name()
}

fn children<'a, 'i>(node: Node<'a, 'i>) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children().filter(|n| n.is_element())
}

impl<'a> Reader<'a, 'a> {
    /// A reader of the element at `place`, counting positions from its line.
    fn at(place: &'a Place) -> Result<(Self, Node<'a, 'a>)> {
        let source = &place.source;
        let missing = || {
            Error::new(
                ErrorKind::Internal,
                "internal error: deferred members point at no element",
            )
        };
        let (doc, text, home) = source.part(place.second).ok_or_else(missing)?;
        let reader = Reader {
            doc,
            lines: Lines::resume(text, source.has_cr, home, (place.line, place.line_start)),
            defer: None,
            second_half: place.second,
        };
        let node = reader.doc.get_node(place.node).ok_or_else(|| {
            Error::new(
                ErrorKind::Internal,
                "internal error: deferred members point at no element",
            )
        })?;
        Ok((reader, node))
    }
}

impl<'a, 'input> Reader<'a, 'input> {
    /// Members of `node` read now, or where to read them later.
    fn members<T>(
        &self,
        node: Node,
        read: impl FnOnce(&Self, Node) -> Result<T>,
    ) -> Result<Deferred<T>> {
        match self.defer {
            None => Ok(Deferred::new(read(self, node)?)),
            Some(source) => {
                let (line, line_start) = self.lines.line_of(node.range().start);
                Ok(Deferred::unread(Place {
                    source: Arc::clone(source),
                    second: self.second_half,
                    node: node.id(),
                    line,
                    line_start,
                }))
            }
        }
    }

    fn pos(&self, node: &Node) -> Pos {
        self.lines.pos(node.range().start)
    }

    fn err(&self, node: &Node, message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Csdl, message).at(self.pos(node))
    }

    fn required(&self, node: &Node, attr: &str) -> Result<String> {
        self.required_value(node, attr, node.attribute(attr))
    }

    /// [`Self::required`] of a value already looked up (by [`attributes`]).
    fn required_value(&self, node: &Node, attr: &str, value: Option<&str>) -> Result<String> {
        match value {
            Some(v) if !is_blank(v) => Ok(v.to_string()),
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
        self.boolean_value(node, attr, node.attribute(attr), default)
    }

    /// [`Self::boolean`] of a value already looked up (by [`attributes`]).
    fn boolean_value(
        &self,
        node: &Node,
        attr: &str,
        value: Option<&str>,
        default: bool,
    ) -> Result<bool> {
        match value {
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
        self.edmx_elements(children(root), &mut document)?;
        if document.schemas.is_empty() {
            return Err(self.err(&root, "the document has no <Schema> element"));
        }
        Ok(document)
    }

    /// The references and schemas among `nodes`, children of the root, into `document`.
    fn edmx_elements(
        &self,
        nodes: impl Iterator<Item = Node<'a, 'input>>,
        document: &mut Document,
    ) -> Result<()> {
        for child in nodes {
            match local(&child) {
                "Reference" => document.references.push(self.reference(child)?),
                "DataServices" => self.schemas(children(child), &mut document.schemas)?,
                _ => {}
            }
        }
        Ok(())
    }

    /// The schemas among `nodes`, children of a `DataServices`, into `schemas`.
    fn schemas(
        &self,
        nodes: impl Iterator<Item = Node<'a, 'input>>,
        schemas: &mut Vec<Schema>,
    ) -> Result<()> {
        for schema in nodes.filter(|n| local(n) == "Schema") {
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
            schemas.push(self.schema(schema)?);
        }
        Ok(())
    }

    /// What the second half of a document parsed in halves adds to the first
    /// ([`SecondPart`]), read from the half's copies of the open elements (`copies`: the
    /// root, `DataServices`, `Schema`), whose children continue them.
    fn second_part(&self, copies: [roxmltree::NodeId; 3]) -> Result<SecondPart> {
        let [root, data_services, schema] = copies.map(|id| self.doc.get_node(id));
        let (Some(root), Some(data_services), Some(schema)) = (root, data_services, schema) else {
            return Err(Error::new(
                ErrorKind::Internal,
                "internal error: the second half of a split document lost an open element",
            ));
        };
        let not_copied = |n: &Node| !copies.contains(&n.id());
        let mut continued = Schema::default();
        self.schema_elements(schema, &mut continued)?;
        let mut rest = Document {
            references: Vec::new(),
            schemas: Vec::new(),
        };
        self.schemas(
            children(data_services).filter(not_copied),
            &mut rest.schemas,
        )?;
        self.edmx_elements(children(root).filter(not_copied), &mut rest)?;
        Ok(SecondPart { continued, rest })
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

    fn schema(&self, node: Node<'a, 'input>) -> Result<Schema> {
        let mut schema = Schema {
            namespace: self.required(&node, "Namespace")?,
            alias: node.attribute("Alias").map(str::to_string),
            pos: self.pos(&node),
            ..Schema::default()
        };
        self.schema_elements(node, &mut schema)?;
        Ok(schema)
    }

    /// The types, operations, containers, annotations and terms of `node` (a `Schema`, or
    /// the second half's copy of one), appended to `schema`'s lists.
    fn schema_elements(&self, node: Node<'a, 'input>, schema: &mut Schema) -> Result<()> {
        // Each list sized before it is filled: they hold thousands of large elements, and
        // growing them copied each several times (about 2M instructions on Graph v1.0, the
        // counting pass a tenth of that). A schema split between the halves of a document
        // grows once more when the second half's part is appended (`SecondPart::join`).
        let mut counts = [0usize; 8];
        for child in children(node) {
            let list = match local(&child) {
                "EntityType" => 0,
                "ComplexType" => 1,
                "EnumType" => 2,
                "TypeDefinition" => 3,
                "Action" | "Function" => 4,
                "Annotations" => 5,
                "Annotation" => 6,
                "Term" => 7,
                _ => continue,
            };
            counts[list] += 1;
        }
        schema.entity_types.reserve(counts[0]);
        schema.complex_types.reserve(counts[1]);
        schema.enum_types.reserve(counts[2]);
        schema.type_definitions.reserve(counts[3]);
        schema.operations.reserve(counts[4]);
        schema.annotation_blocks.reserve(counts[5]);
        schema.annotations.reserve(counts[6]);
        schema.terms.reserve(counts[7]);
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
                "Annotations" => {
                    let [target, qualifier] = attributes(&child, ["Target", "Qualifier"]);
                    schema.annotation_blocks.push(AnnotationBlock {
                        target: self.required_value(&child, "Target", target)?,
                        qualifier: qualifier.map(str::to_string),
                        pos: self.pos(&child),
                        annotations: self.members(child, Self::inline_annotations)?,
                    })
                }
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
        Ok(())
    }

    fn structured(&self, node: Node, entity: bool) -> Result<StructuredType> {
        let [name, base_type, is_abstract, open_type, has_stream] = attributes(
            &node,
            ["Name", "BaseType", "Abstract", "OpenType", "HasStream"],
        );
        let mut ty = StructuredType {
            name: self.required_value(&node, "Name", name)?,
            pos: self.pos(&node),
            base_type: base_type.map(str::to_string),
            is_abstract: self.boolean_value(&node, "Abstract", is_abstract, false)?,
            open_type: self.boolean_value(&node, "OpenType", open_type, false)?,
            has_stream: entity && self.boolean_value(&node, "HasStream", has_stream, false)?,
            ..StructuredType::default()
        };
        let key = self.key(node, &mut ty);
        let members = self.members(node, Self::structured_members);
        // Both read, the first error in document order reported: members read now may
        // come before the key.
        match (key, members) {
            (Ok(()), Ok(members)) => ty.members = members,
            (Err(e), Ok(_)) | (Ok(()), Err(e)) => return Err(e),
            (Err(k), Err(m)) => return Err(if m.pos < k.pos { m } else { k }),
        }
        Ok(ty)
    }

    /// The key of an entity type, into `ty`.
    fn key(&self, node: Node, ty: &mut StructuredType) -> Result<()> {
        for key in children(node).filter(|n| local(n) == "Key") {
            for r in children(key).filter(|n| local(n) == "PropertyRef") {
                let name = self.required(&r, "Name")?;
                if let Some(alias) = r.attribute("Alias") {
                    ty.key_aliases.push((name.clone(), alias.to_string()));
                }
                ty.key.push(name);
            }
        }
        Ok(())
    }

    /// The properties, navigation properties and annotations of a structured type.
    fn structured_members(&self, node: Node) -> Result<StructuredMembers> {
        let mut members = StructuredMembers::default();
        for child in children(node) {
            match local(&child) {
                "Property" => {
                    let [name, type_name, nullable, default_value, max_length, precision, scale, unicode] =
                        attributes(
                            &child,
                            [
                                "Name",
                                "Type",
                                "Nullable",
                                "DefaultValue",
                                "MaxLength",
                                "Precision",
                                "Scale",
                                "Unicode",
                            ],
                        );
                    members.properties.push(Property {
                        name: self.required_value(&child, "Name", name)?,
                        pos: self.pos(&child),
                        type_name: self.required_value(&child, "Type", type_name)?,
                        nullable: self.boolean_value(&child, "Nullable", nullable, true)?,
                        default_value: default_value.map(str::to_string),
                        max_length: max_length.map(str::to_string),
                        precision: precision.map(str::to_string),
                        scale: scale.map(str::to_string),
                        unicode: match unicode {
                            Some(_) => Some(self.boolean_value(&child, "Unicode", unicode, true)?),
                            None => None,
                        },
                        annotations: self.inline_annotations(child)?,
                    })
                }
                "NavigationProperty" => {
                    let [name, type_name, nullable, contains_target, partner] = attributes(
                        &child,
                        ["Name", "Type", "Nullable", "ContainsTarget", "Partner"],
                    );
                    members.navigation_properties.push(NavigationProperty {
                        name: self.required_value(&child, "Name", name)?,
                        pos: self.pos(&child),
                        type_name: self.required_value(&child, "Type", type_name)?,
                        nullable: self.boolean_value(&child, "Nullable", nullable, true)?,
                        contains_target: self.boolean_value(
                            &child,
                            "ContainsTarget",
                            contains_target,
                            false,
                        )?,
                        partner: partner.map(str::to_string),
                        annotations: self.inline_annotations(child)?,
                    })
                }
                "Annotation" => members.annotations.push(self.annotation(child)?),
                _ => {}
            }
        }
        Ok(members)
    }

    fn enum_type(&self, node: Node) -> Result<EnumType> {
        Ok(EnumType {
            name: self.required(&node, "Name")?,
            pos: self.pos(&node),
            underlying_type: node.attribute("UnderlyingType").map(str::to_string),
            is_flags: self.boolean(&node, "IsFlags", false)?,
            members: self.members(node, Self::enum_members)?,
        })
    }

    /// The members (values made explicit) and annotations of an enum type.
    fn enum_members(&self, node: Node) -> Result<EnumMembers> {
        // Checked non-blank when the type was read.
        let type_name = node.attribute("Name").unwrap_or_default();
        let mut ty = EnumMembers::default();
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
                            .named(format!("{type_name}.{name}"))
                        })?,
                        None => next.ok_or_else(|| {
                            self.err(
                                &child,
                                "the implicit value of this enum member overflows a 64-bit integer",
                            )
                            .named(format!("{type_name}.{name}"))
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
        let [name, is_bound, is_composable, entity_set_path] =
            attributes(&node, ["Name", "IsBound", "IsComposable", "EntitySetPath"]);
        let mut op = Operation {
            kind,
            name: self.required_value(&node, "Name", name)?,
            pos: self.pos(&node),
            is_bound: self.boolean_value(&node, "IsBound", is_bound, false)?,
            is_composable: self.boolean_value(&node, "IsComposable", is_composable, false)?,
            entity_set_path: entity_set_path.map(str::to_string),
            ..Operation::default()
        };
        for child in children(node) {
            match local(&child) {
                "Parameter" => {
                    let [name, type_name, nullable] =
                        attributes(&child, ["Name", "Type", "Nullable"]);
                    op.parameters.push(Parameter {
                        name: self.required_value(&child, "Name", name)?,
                        pos: self.pos(&child),
                        type_name: self.required_value(&child, "Type", type_name)?,
                        nullable: self.boolean_value(&child, "Nullable", nullable, true)?,
                        annotations: self.inline_annotations(child)?,
                    })
                }
                "ReturnType" => {
                    let [type_name, nullable] = attributes(&child, ["Type", "Nullable"]);
                    op.return_type = Some(ReturnType {
                        pos: self.pos(&child),
                        type_name: self.required_value(&child, "Type", type_name)?,
                        nullable: self.boolean_value(&child, "Nullable", nullable, true)?,
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
        let mut annotations = Vec::new();
        // Most elements (a property, a parameter, a member) have no children at all; a
        // plain loop costs nothing then, where collecting a `Result` iterator did.
        if node.has_children() {
            for child in children(node).filter(|n| local(n) == "Annotation") {
                annotations.push(self.annotation(child)?);
            }
        }
        Ok(annotations)
    }

    fn annotation(&self, node: Node) -> Result<Annotation> {
        // One pass over the attributes finds the term, the qualifier and the value in
        // attribute form (each the first of its name, as `Node::attribute` and
        // [`Self::expression`] find them).
        let (mut term, mut qualifier, mut value) = (None, None, None);
        for attr in node.attributes() {
            match attr.name() {
                "Term" => {
                    term.get_or_insert(attr.value());
                }
                "Qualifier" => {
                    qualifier.get_or_insert(attr.value());
                }
                name => {
                    if value.is_none() {
                        value = constant(name, attr.value());
                    }
                }
            }
        }
        let term = self.required_value(&node, "Term", term)?;
        let pos = self.pos(&node);
        let value = match value {
            Some(v) => v,
            None => self.element_value(node, 0)?,
        };
        Ok(Annotation {
            term,
            qualifier: qualifier.map(str::to_string),
            pos,
            value,
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
        self.element_value(node, depth)
    }

    /// The value of `node` given by its first child element that is not an annotation (an
    /// expression without an attribute form), or `Absent`.
    fn element_value(&self, node: Node, depth: usize) -> Result<Value> {
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

/// The values of the attributes `names` of `node`, as `Node::attribute` finds them (the
/// first attribute of that local name, whatever its namespace), in one pass over its
/// attributes: a property has eight attributes that may be there, and looking each up went
/// through all of its attributes eight times.
fn attributes<'a, const N: usize>(node: &Node<'a, '_>, names: [&str; N]) -> [Option<&'a str>; N] {
    let mut values = [None; N];
    for attr in node.attributes() {
        if let Some(i) = names.iter().position(|&n| n == attr.name()) {
            values[i].get_or_insert(attr.value());
        }
    }
    values
}

/// Whether `v` is empty or only white space. Nearly every value starts with a letter, which
/// settles it without `trim` (about 50 instructions a call, 2.5M on Graph v1.0).
fn is_blank(v: &str) -> bool {
    match v.as_bytes().first() {
        Some(&b) if b.is_ascii() && !(b as char).is_whitespace() => false,
        _ => v.trim().is_empty(),
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
mod tests {
    use super::{attributes, is_blank};

    #[test]
    fn one_pass_finds_what_attribute_finds() {
        // `attribute` goes by local name and takes the first: `x:Type` here, `Name` there.
        let xml = r#"<P xmlns:x="urn:x" Name="a" x:Type="t" Type="u" x:Name="b" Nullable=" false" Scale="" />"#;
        let doc = roxmltree::Document::parse(xml).unwrap();
        let node = doc.root_element();
        let names = ["Name", "Type", "Nullable", "Scale", "Precision"];
        let found = attributes(&node, names);
        assert_eq!(found, names.map(|n| node.attribute(n)));
        assert_eq!(
            found,
            [Some("a"), Some("t"), Some(" false"), Some(""), None]
        );
    }

    #[test]
    fn an_annotation_takes_its_first_constant_attribute_whatever_the_order() {
        let xml = r#"<edmx:Edmx xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx" Version="4.0">
  <edmx:DataServices>
    <Schema xmlns="http://docs.oasis-open.org/odata/ns/edm" Namespace="ns">
      <Annotation String="first" Term="Core.Description" Bool="true" Qualifier="q" Term="Core.Other" />
      <Annotation Term="Core.Computed"><Annotation Term="Core.Note" /><Bool>false</Bool></Annotation>
      <Annotation Qualifier="only" Term="Core.Flag" />
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>"#;
        // A repeated attribute is malformed XML; the first of each name is what counts.
        assert!(super::parse_document(xml).is_err());
        let xml = xml.replace(r#" Term="Core.Other""#, "");
        let doc = super::parse_document(&xml).unwrap();
        let found: Vec<_> = doc.schemas[0]
            .annotations
            .iter()
            .map(|a| (a.term.as_str(), a.qualifier.as_deref(), a.value.clone()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "Core.Description",
                    Some("q"),
                    super::Value::String("first".into())
                ),
                ("Core.Computed", None, super::Value::Bool(false)),
                ("Core.Flag", Some("only"), super::Value::Absent),
            ]
        );
    }

    #[test]
    fn blank_is_what_trims_to_nothing() {
        for v in [
            "",
            " ",
            "\t\r\n",
            "\u{0B}",
            "\u{0C}",
            "\u{2003}",
            "\u{2003}x",
            " a",
            "a",
            "é",
            "_",
        ] {
            assert_eq!(is_blank(v), v.trim().is_empty(), "{v:?}");
        }
    }
}

//! A large document parsed on two threads.
//!
//! roxmltree parses one document on one thread, and for Graph that parse is most of what
//! generation from roots costs. A document read for roots ([`super::read_file_deferred`])
//! of a mebibyte or more is parsed as two documents at once: the text is split at the start
//! of a line inside the open `Schema` element near the middle of the parse's cost
//! ([`cost_middle`]), the first half closed with
//! the end tags of the three open elements (`Schema`, `DataServices`, `Edmx`), and the
//! second half opened with copies of their start tags. Both halves live in the one text
//! buffer: the tags are inserted at the split, which moves the half after it within the
//! buffer (read with room for them, `read_with_room`).
//!
//! The split is correct when both halves parse and the first half's tree shows that the
//! three elements whose start tags were copied are exactly the ones open at the split
//! ([`OpenCopies::verify`]): then the whole text is well-formed, with the same elements,
//! attributes and namespaces in scope. Each half is then read on a thread of its own, and
//! the second half's children of those elements join the first half's
//! (`reader::SecondPart`). roxmltree's limits are kept for the whole: each
//! half may hold half the nodes, and a text with nearly 2^16 namespace declarations (the
//! most distinct namespaces one document may have) is parsed whole. Anything else (no
//! element starts near the middle, a start tag found in a comment, a parse error in a
//! half) puts the text back as it was and parses it whole, so every error is the one a
//! whole parse reports. Positions in the second half are counted from the split's line;
//! its copied start tags are never asked for.

use roxmltree::{Document, Node, NodeId};

/// The smallest text worth two threads (thread start and the split cost about a
/// millisecond; a 1 MiB document parses in about six).
const MIN_SPLIT_BYTES: usize = 1 << 20;

/// How far past the middle a line that starts an element is looked for.
const SEARCH_BYTES: usize = 1 << 16;

/// What one `<` or `=` (a node or an attribute) costs roxmltree, in bytes of plain text.
/// Fitted to Graph v1.0 split at its byte middle: the first half (its types, with 50,471
/// `=` and 30,157 `<` in 1.79 MB) parsed in about 9.5 ms, the second (operations and
/// annotations: 27,004 and 24,916 in 1.73 MB) in about 7.
const MARKUP_COST: usize = 50;

/// How many evenly spaced samples of the text [`cost_middle`] counts, and their length.
const COST_SAMPLES: usize = 64;
const COST_SAMPLE_BYTES: usize = 4096;

/// Where a text is split and what is inserted there.
pub(super) struct Split {
    /// The split: a line start in the original text.
    pub(super) at: usize,
    /// The end tags that close the first half.
    close: String,
    /// The start tags that open the second half.
    open: String,
    /// Where the copied start tags begin in the original text: `Edmx`, `DataServices`,
    /// `Schema`.
    starts: [usize; 3],
    /// The lengths of their end tags.
    end_tags: [usize; 3],
}

impl Split {
    /// Finds a split of `text`, or `None` when it is small or its shape is not the usual
    /// one (then it is parsed whole).
    pub(super) fn find(text: &str) -> Option<Split> {
        if text.len() < MIN_SPLIT_BYTES {
            return None;
        }
        let at = element_line_after(text, cost_middle(text.as_bytes()))?;
        let root = first_start_tag(text)?;
        let schema = last_start_tag(text, at, "Schema")?;
        let data_services = last_start_tag(text, schema.start, "DataServices")?;
        if !(root.start < data_services.start && data_services.start < schema.start) {
            return None;
        }
        let tags = [root, data_services, schema];
        let mut close = String::new();
        for tag in tags.iter().rev() {
            close.push_str("</");
            close.push_str(&text[tag.name.clone()]);
            close.push('>');
        }
        let open: String = tags.iter().map(|t| &text[t.start..t.end]).collect();
        Some(Split {
            at,
            close,
            open,
            starts: tags.clone().map(|t| t.start),
            end_tags: tags.map(|t| t.name.len() + 3),
        })
    }

    /// Inserts the tags at the split of the text that starts at `start` in `text`, which
    /// becomes the first half, then the second.
    pub(super) fn insert(&self, text: &mut String, start: usize) {
        text.reserve_exact(self.close.len() + self.open.len());
        let mut tags = String::with_capacity(self.close.len() + self.open.len());
        tags.push_str(&self.close);
        tags.push_str(&self.open);
        text.insert_str(start + self.at, &tags);
    }

    /// Removes what [`Self::insert`] inserted.
    pub(super) fn remove(&self, text: &mut String, start: usize) {
        text.replace_range(
            start + self.at..start + self.first_len() + self.open.len(),
            "",
        );
    }

    /// The length of the first half (the text before the split and the end tags).
    pub(super) fn first_len(&self) -> usize {
        self.at + self.close.len()
    }

    /// The length of the start tags that open the second half.
    pub(super) fn open_len(&self) -> usize {
        self.open.len()
    }
}

/// The second half's copies of the three elements open at the split: `Edmx`,
/// `DataServices`, `Schema`, whose children continue those elements. In the first half,
/// each of the three is its parent's last element ([`OpenCopies::verify`]).
#[derive(Clone, Copy)]
pub(super) struct OpenCopies {
    pub(super) ids: [NodeId; 3],
}

impl OpenCopies {
    /// The second half's copies of the open elements, if the first half shows that the
    /// start tags the second copied are those of the elements open at the split (each its
    /// parent's last element), each closed by the end tags inserted there (see the module
    /// docs).
    pub(super) fn verify(split: &Split, first: &Document, second: &Document) -> Option<OpenCopies> {
        let root = first.root_element();
        let data_services = last_element_child(root)?;
        let schema = last_element_child(data_services)?;
        let opened = [root, data_services, schema];
        // Each closed by the inserted end tags (`Edmx` last): they end where those do.
        let mut end = split.first_len();
        for ((node, start), end_tag) in opened.iter().zip(split.starts).zip(split.end_tags) {
            let range = node.range();
            if range.start != start || range.end != end {
                return None;
            }
            end -= end_tag;
        }
        if end != split.at {
            return None;
        }
        let second_root = second.root_element();
        let second_data_services = first_element_child(second_root)?;
        let second_schema = first_element_child(second_data_services)?;
        Some(OpenCopies {
            ids: [second_root, second_data_services, second_schema].map(|n| n.id()),
        })
    }
}

fn first_element_child<'a, 'i>(node: Node<'a, 'i>) -> Option<Node<'a, 'i>> {
    node.children().find(Node::is_element)
}

fn last_element_child<'a, 'i>(node: Node<'a, 'i>) -> Option<Node<'a, 'i>> {
    node.children().rev().find(Node::is_element)
}

/// A start tag found in the text: where it starts and ends, and its qualified name.
#[derive(Clone)]
struct Tag {
    start: usize,
    end: usize,
    name: std::ops::Range<usize>,
}

/// The elements a `Schema` holds: outside comments and character data, a line that starts
/// with one of them starts a child of the open `Schema` in any CSDL (each is declared
/// nowhere else); the verification refuses a split anywhere else.
const SCHEMA_CHILDREN: [&str; 9] = [
    "EntityType",
    "ComplexType",
    "EnumType",
    "TypeDefinition",
    "Action",
    "Function",
    "Term",
    "Annotations",
    "EntityContainer",
];

/// Where about half of the cost of parsing `text` is spent: each byte costs 1 and each `<`
/// and `=` [`MARKUP_COST`] more, estimated from [`COST_SAMPLES`] samples, each standing for
/// the stretch of text it starts (a 256 KiB sample of Graph v1.0 costs about 20 µs to
/// count, the whole text about 300). A document's types hold more attributes per byte than
/// its annotations, so the middle of the bytes left the first half of Graph v1.0 a third
/// slower to parse than the second.
fn cost_middle(text: &[u8]) -> usize {
    let stride = text.len() / COST_SAMPLES;
    if stride < COST_SAMPLE_BYTES {
        return text.len() / 2;
    }
    let costs: Vec<usize> = (0..COST_SAMPLES)
        .map(|i| {
            let sample = &text[i * stride..i * stride + COST_SAMPLE_BYTES];
            let markup = memchr::memchr_iter(b'<', sample).count()
                + memchr::memchr_iter(b'=', sample).count();
            COST_SAMPLE_BYTES + MARKUP_COST * markup
        })
        .collect();
    let half = costs.iter().sum::<usize>() / 2;
    let mut spent = 0;
    for (i, &cost) in costs.iter().enumerate() {
        if spent + cost >= half {
            // Within the stretch, in proportion to its cost (in 64 bits: the product
            // passes 2^32 on large texts).
            let within = (stride as u64) * ((half - spent) as u64) / (cost as u64);
            return i * stride + usize::try_from(within).unwrap_or(stride);
        }
        spent += cost;
    }
    text.len() / 2
}

/// The start of the first line at or after `from` (within [`SEARCH_BYTES`]) that starts,
/// after its indent, with the start tag of an element a `Schema` holds.
fn element_line_after(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let limit = (from + SEARCH_BYTES).min(bytes.len());
    let mut at = from;
    while at < limit {
        let line = at + memchr::memchr(b'\n', &bytes[at..limit])? + 1;
        let rest = &text[line..];
        let tag = rest.trim_start_matches([' ', '\t']);
        if let Some(name) = tag.strip_prefix('<') {
            // With any prefix.
            let name = match name.find([':', ' ', '>', '/', '\t', '\r', '\n']) {
                Some(i) if name.as_bytes()[i] == b':' => &name[i + 1..],
                _ => name,
            };
            let starts = SCHEMA_CHILDREN.iter().any(|child| {
                name.strip_prefix(child)
                    .is_some_and(|after| after.starts_with([' ', '\t', '\r', '\n', '>']))
            });
            if starts {
                return Some(line);
            }
        }
        at = line;
    }
    None
}

/// The start tag at `start` (a `<` followed by a name): its end after the `>` outside
/// quoted values, and its name. `None` for an empty-element tag (`/>`).
fn tag_at(text: &str, start: usize) -> Option<Tag> {
    let bytes = text.as_bytes();
    let name_start = start + 1;
    let name_len = bytes[name_start..]
        .iter()
        .position(|&b| b.is_ascii_whitespace() || b == b'>' || b == b'/')?;
    let mut quote = None;
    for (i, &b) in bytes[name_start..].iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => {
                let end = name_start + i + 1;
                if bytes[end - 2] == b'/' {
                    return None;
                }
                return Some(Tag {
                    start,
                    end,
                    name: name_start..name_start + name_len,
                });
            }
            None => {}
        }
    }
    None
}

/// The root element's start tag: the first `<` that is not a declaration, processing
/// instruction or comment. A document type declaration gives `None`.
fn first_start_tag(text: &str) -> Option<Tag> {
    let mut at = 0;
    loop {
        at += text[at..].find('<')?;
        let rest = &text[at..];
        if rest.starts_with("<?") {
            at += rest.find("?>")? + 2;
        } else if rest.starts_with("<!--") {
            at += rest.find("-->")? + 3;
        } else if rest.starts_with("<!") {
            return None;
        } else {
            return tag_at(text, at);
        }
    }
}

/// The last start tag before `before` whose local name is `local` (with any prefix).
/// One inside a comment or a quoted value is found too; the verification catches it.
fn last_start_tag(text: &str, before: usize, local: &str) -> Option<Tag> {
    let bytes = text.as_bytes();
    // Searched forward, keeping the last: the forward search is vectorised, the reverse
    // one is not (about 5M instructions over half of Graph). Names that end in `local`
    // (`synchronizationSchema`) are passed over.
    let mut last = None;
    for i in memchr::memmem::find_iter(&bytes[..before], local.as_bytes()) {
        let after = bytes.get(i + local.len()).copied().unwrap_or(b'>');
        if !(after.is_ascii_whitespace() || after == b'>' || after == b'/') {
            continue;
        }
        let open = match bytes[..i].last() {
            Some(b'<') => i - 1,
            Some(b':') => {
                let prefix = bytes[..i - 1]
                    .iter()
                    .rev()
                    .take_while(|&&b| {
                        b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.'
                    })
                    .count();
                match bytes[..i - 1 - prefix].last() {
                    Some(b'<') if prefix > 0 => i - 2 - prefix,
                    _ => continue,
                }
            }
            _ => continue,
        };
        last = Some(open);
    }
    tag_at(text, last?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(body: &str) -> String {
        let types: String = (0..2000)
            .map(|i| format!("      <ComplexType Name=\"t{i}\">\n        <Property Name=\"p\" Type=\"Edm.String\"/>\n      </ComplexType>\n"))
            .collect();
        format!(
            "<?xml version=\"1.0\"?>\n<!-- head -->\n<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">\n  <edmx:DataServices>\n    <Schema Namespace=\"Ns\" xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">\n{types}{body}{types}    </Schema>\n  </edmx:DataServices>\n</edmx:Edmx>\n"
        )
    }

    #[test]
    fn a_split_finds_the_open_elements_and_undoes_itself() {
        let mut text = doc("").replace("\"p\"", &format!("\"{}\"", "p".repeat(200)));
        assert!(text.len() >= MIN_SPLIT_BYTES, "{}", text.len());
        let original = text.clone();
        let split = Split::find(&text).expect("a split");
        assert_eq!(text.as_bytes()[split.at - 1], b'\n');
        assert_eq!(split.close, "</Schema></edmx:DataServices></edmx:Edmx>");
        split.insert(&mut text, 0);
        let (first, second) = text.split_at(split.first_len());
        let first = Document::parse(first).expect("first half");
        let second = Document::parse(second).expect("second half");
        assert!(OpenCopies::verify(&split, &first, &second).is_some());
        split.remove(&mut text, 0);
        assert_eq!(text, original);
    }

    #[test]
    fn a_start_tag_in_a_comment_fails_verification() {
        let filler = "p".repeat(200);
        let mut text = doc("").replace("\"p\"", &format!("\"{filler}\""));
        // A comment just before the middle that looks like a Schema start tag.
        let middle = cost_middle(text.as_bytes());
        let line = text[..middle].rfind('\n').unwrap() + 1;
        text.insert_str(line, "    <!-- <Schema Namespace=\"Fake\"> -->\n");
        let split = Split::find(&text).expect("a split is tried");
        // What this test is about: the fake tag is the last `<Schema` before the split.
        assert!(
            split.at > line,
            "the split {} is before the comment at {line}",
            split.at
        );
        let mut spliced = text.clone();
        split.insert(&mut spliced, 0);
        let (first, second) = spliced.split_at(split.first_len());
        // A half that does not parse is refused as well.
        if let (Ok(first), Ok(second)) = (Document::parse(first), Document::parse(second)) {
            assert!(OpenCopies::verify(&split, &first, &second).is_none());
        }
    }

    #[test]
    fn the_split_balances_markup_not_bytes() {
        // Markup-dense text, then as many bytes of plain text: the cost is mostly in the
        // first half of the bytes.
        let dense = "<a b=\"1\"/>\n".repeat(1 << 16);
        let plain = "x".repeat(dense.len());
        let text = format!("{dense}{plain}");
        let middle = cost_middle(text.as_bytes());
        assert!(middle < dense.len(), "{middle} of {}", text.len());
        // Each line of `dense` is 11 bytes with one `<` and one `=`.
        let markup = 2 * (1 << 16);
        let markup_before = middle * 2 / 11;
        let cost_before = middle + MARKUP_COST * markup_before;
        let cost_after = text.len() - middle + MARKUP_COST * (markup - markup_before);
        // Within a twentieth of the even split of the cost.
        let diff = cost_before.abs_diff(cost_after);
        assert!(
            diff * 20 < cost_before + cost_after,
            "{cost_before} against {cost_after}"
        );
        // Uniform text splits at about its byte middle; a short one exactly there.
        let uniform = dense.repeat(2);
        let middle = cost_middle(uniform.as_bytes());
        assert!(
            middle.abs_diff(uniform.len() / 2) * 50 < uniform.len(),
            "{middle}"
        );
        assert_eq!(cost_middle(b"<a/>short"), 4);
    }

    #[test]
    fn small_texts_and_odd_shapes_are_not_split() {
        assert!(Split::find(&doc("")).is_none(), "under a mebibyte");
        let big = format!("<!DOCTYPE x>{}", "x".repeat(MIN_SPLIT_BYTES));
        assert!(Split::find(&big).is_none());
    }
}

/// A document read in halves reads as it does whole.
#[cfg(test)]
mod read_tests {
    use crate::csdl::{parse_document, read_file, read_file_deferred, Document};
    use crate::error::Result;

    /// A CSDL document of more than a mebibyte (so it is read in halves) with `late` among
    /// the types of its second half, lines ending in `eol`.
    fn big(late: &str, eol: &str) -> String {
        let mut types = String::new();
        for i in 0..3000 {
            let extra = if i == 2500 { late } else { "" };
            types.push_str(&format!(
                "      <!-- type {i} -->\n      <EntityType Name=\"t{i}\" BaseType=\"Ns.base\">\n        <Property Name=\"naïve{i}\" Type=\"Edm.String\" Nullable=\"false\"/>\n        <Property Name=\"size\" Type=\"Edm.Int32\"><Annotation Term=\"Core.Description\" String=\"Größe &amp; more\"/></Property>\n        <NavigationProperty Name=\"next\" Type=\"Ns.t{i}\"/>\n        {extra}\n      </EntityType>\n      <Annotations Target=\"Ns.t{i}/size\"><Annotation Term=\"Core.LongDescription\" String=\"n{i}\"/></Annotations>\n      <EnumType Name=\"e{i}\"><Member Name=\"a\"/><Member Name=\"b\" Value=\"7\"/></EnumType>\n"
            ));
        }
        let text = format!(
            "\u{feff}<?xml version=\"1.0\"?>\n<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">\n  <edmx:DataServices>\n    <Schema Namespace=\"Ns\" xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">\n      <EntityType Name=\"base\" Abstract=\"true\"><Key><PropertyRef Name=\"id\"/></Key><Property Name=\"id\" Type=\"Edm.String\" Nullable=\"false\"/></EntityType>\n{types}      <EntityContainer Name=\"C\"><EntitySet Name=\"ts\" EntityType=\"Ns.t1\"/></EntityContainer>\n    </Schema>\n    <Schema Namespace=\"Other\" xmlns=\"http://docs.oasis-open.org/odata/ns/edm\"><ComplexType Name=\"c\"><Property Name=\"p\" Type=\"Edm.String\"/></ComplexType></Schema>\n  </edmx:DataServices>\n  <edmx:Reference Uri=\"late.xml\"><edmx:Include Namespace=\"Late\"/></edmx:Reference>\n</edmx:Edmx>\n<!-- end -->\n"
        );
        text.replace('\n', eol)
    }

    /// Reads every deferred member and annotation, in document order within each list.
    fn read_all(doc: &Document) -> Result<()> {
        for schema in &doc.schemas {
            for t in schema.entity_types.iter().chain(&schema.complex_types) {
                t.members.get()?;
            }
            for e in &schema.enum_types {
                e.members.get()?;
            }
            for b in &schema.annotation_blocks {
                b.annotations.get()?;
            }
        }
        Ok(())
    }

    fn deferred(text: &str) -> (Result<Document>, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.csdl.xml");
        std::fs::write(&path, text).unwrap();
        (read_file_deferred(&path), dir)
    }

    #[test]
    fn a_document_read_in_halves_is_the_document_read_whole() {
        for eol in ["\n", "\r\n"] {
            let text = big("", eol);
            assert!(text.len() > 1 << 20);
            let (halves, _dir) = deferred(&text);
            let halves = halves.expect("reads");
            let late = &halves.schemas[0].entity_types[2501];
            assert!(late.members.in_second_half(), "the document was split");
            assert_eq!(
                halves.schemas.len(),
                2,
                "the schema after the split is read"
            );
            // The root's elements after the `DataServices` the split left open are read too
            // (out of CSDL's order, but a reader takes them where they are).
            assert_eq!(halves.references.len(), 1, "the late reference is read");
            read_all(&halves).expect("members read");
            let whole = parse_document(&text).expect("reads");
            assert!(
                format!("{whole:?}") == format!("{halves:?}"),
                "the documents differ ({eol:?})"
            );
        }
    }

    #[test]
    fn errors_in_the_second_half_are_those_of_the_whole() {
        // A malformed member, read when asked for: the same message and position.
        let text = big(
            r#"<Property Name="bad" Type="Edm.String" Nullable="maybe"/>"#,
            "\r\n",
        );
        let whole = parse_document(&text).expect_err("malformed");
        let (halves, _dir) = deferred(&text);
        let halves = read_all(&halves.expect("reads")).expect_err("malformed");
        assert_eq!((&halves.message, halves.pos), (&whole.message, whole.pos));
        // An error reported at an element after a later one was positioned (a bound action
        // without parameters, found once its children are read): the cursor goes back to
        // the split's line, not to the copied tags.
        let action = "      <Action Name=\"a\" IsBound=\"true\">\n        <ReturnType Type=\"Edm.String\"/>\n      </Action>\n";
        let text = big("", "\n").replace(
            "      <!-- type 2600 -->",
            &format!("{action}      <!-- type 2600 -->"),
        );
        let whole = parse_document(&text).expect_err("unbound");
        let (halves, _dir) = deferred(&text);
        let halves = halves.expect_err("unbound");
        assert!(whole.message.contains("binding parameter"), "{whole}");
        assert_eq!((&halves.message, halves.pos), (&whole.message, whole.pos));
        // The same error in both halves (the halves are read on two threads): the first
        // half's, as a whole read finds it first.
        let text = text.replace(
            "      <!-- type 100 -->",
            &format!("{action}      <!-- type 100 -->"),
        );
        let whole = parse_document(&text).expect_err("unbound");
        let (halves, _dir) = deferred(&text);
        let halves = halves.expect_err("unbound");
        assert!(whole.pos.is_some_and(|p| p.line < 1000), "{whole}");
        assert_eq!((&halves.message, halves.pos), (&whole.message, whole.pos));
        // Malformed XML: the halves fail, the whole is parsed and reports it.
        let text = big(r#"<Property Name="open" Type="Edm.String">"#, "\n");
        let (halves, dir) = deferred(&text);
        let whole = read_file(&dir.path().join("big.csdl.xml")).expect_err("malformed");
        assert_eq!(
            halves.expect_err("malformed").to_string(),
            whole.to_string()
        );
    }

    /// roxmltree refuses a document with more than 2^16 distinct namespaces; two halves
    /// that each stay under it are not taken for the whole.
    #[test]
    fn the_namespace_limit_is_the_wholes() {
        // Half of the declarations before the types, half after them: each half of the
        // text holds about 35,000, the whole 70,000.
        let declared = |from: usize| -> String {
            (from..from + 35_000)
                .map(|i| {
                    format!(
                        "      <Term Name=\"t{i}\" Type=\"Edm.String\" xmlns:n{i}=\"urn:{i}\"/>\n"
                    )
                })
                .collect()
        };
        let text = big("", "\n")
            .replace(
                "      <!-- type 0 -->",
                &format!("{}      <!-- type 0 -->", declared(0)),
            )
            .replace(
                "      <EntityContainer",
                &format!("{}      <EntityContainer", declared(35_000)),
            );
        let split =
            super::Split::find(&text['\u{feff}'.len_utf8()..]).expect("a split among the types");
        let before = &text[..split.at];
        assert!((30_000..40_000).contains(&before.matches("xmlns:n").count()));
        let (halves, dir) = deferred(&text);
        let whole = read_file(&dir.path().join("big.csdl.xml")).expect_err("too many namespaces");
        assert_eq!(
            halves.expect_err("too many namespaces").to_string(),
            whole.to_string()
        );
    }
}

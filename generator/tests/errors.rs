//! Bad inputs: every one must fail cleanly, through the library and through the binary.
//!
//! For the binary: exit code exactly 1 (never a panic's 101), `error: file:line:column: ...`
//! on stderr with the offending name, and the output directory untouched. For the library:
//! the right [`ErrorKind`], position, name and file.

use std::path::PathBuf;
use std::process::Command;

use csdl_codegen::{ErrorKind, Generator, Pos, Root};

mod support;
use support::{entries, tree};

const HEAD: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">\n  \
<edmx:DataServices>\n    \
<Schema Namespace=\"ns\" xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">\n";
const TAIL: &str = "    </Schema>\n  </edmx:DataServices>\n</edmx:Edmx>\n";

/// A CSDL document with `body` inside `<Schema Namespace="ns">`; the body starts on line 5.
fn csdl(body: &str) -> String {
    format!("{HEAD}{body}{TAIL}")
}

/// A small valid document (an entity set so path roots resolve).
fn valid_body() -> &'static str {
    concat!(
        "      <EntityType Name=\"thing\">\n",
        "        <Key><PropertyRef Name=\"id\"/></Key>\n",
        "        <Property Name=\"id\" Type=\"Edm.String\" Nullable=\"false\"/>\n",
        "        <Property Name=\"label\" Type=\"Edm.String\"/>\n",
        "      </EntityType>\n",
        "      <EntityContainer Name=\"Service\">\n",
        "        <EntitySet Name=\"things\" EntityType=\"ns.thing\"/>\n",
        "      </EntityContainer>\n",
    )
}

/// Which file the error must point at.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum In {
    Input,
    Overrides,
}

struct Case {
    input: Vec<u8>,
    kind: ErrorKind,
    file: In,
    /// Expected `(line, column)`.
    pos: Option<(u32, u32)>,
    /// Whether the position is left unchecked (see the strict, ignored variants).
    any_pos: bool,
    /// Expected offending name.
    name: Option<&'static str>,
    /// Text the message must contain.
    message: &'static str,
    roots: Option<Vec<&'static str>>,
    overrides: Option<&'static str>,
}

impl Case {
    fn new(input: impl Into<Vec<u8>>, kind: ErrorKind) -> Self {
        Case {
            input: input.into(),
            kind,
            file: In::Input,
            pos: None,
            any_pos: false,
            name: None,
            message: "",
            roots: None,
            overrides: None,
        }
    }
    fn at(mut self, line: u32, col: u32) -> Self {
        self.pos = Some((line, col));
        self
    }
    /// Checks everything but the position.
    fn any_pos(mut self) -> Self {
        self.any_pos = true;
        self
    }
    fn named(mut self, name: &'static str) -> Self {
        self.name = Some(name);
        self
    }
    fn says(mut self, message: &'static str) -> Self {
        self.message = message;
        self
    }
    fn root(mut self, root: &'static str) -> Self {
        self.roots.get_or_insert_with(Vec::new).push(root);
        self
    }
    fn overrides(mut self, text: &'static str) -> Self {
        self.overrides = Some(text);
        self.file = In::Overrides;
        self
    }
}

struct Setup {
    _dir: tempfile::TempDir,
    root: PathBuf,
    input: PathBuf,
    overrides: Option<PathBuf>,
    out: PathBuf,
}

fn setup(case: &Case) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    let input = root.join("input.csdl.xml");
    std::fs::write(&input, &case.input).unwrap();
    let overrides = case.overrides.map(|text| {
        let p = root.join("overrides.toml");
        std::fs::write(&p, text).unwrap();
        p
    });
    // A previous output tree that a failed run must leave alone.
    let out = root.join("models");
    support::previous_tree(&out);
    Setup {
        _dir: dir,
        root,
        input,
        overrides,
        out,
    }
}

fn expected_file(s: &Setup, case: &Case) -> PathBuf {
    match case.file {
        In::Input => s.input.clone(),
        In::Overrides => s.overrides.clone().unwrap(),
    }
}

fn check_library(case: &Case) {
    let s = setup(case);
    let mut g = Generator::new(&s.input);
    if let Some(roots) = &case.roots {
        g = g.roots(roots.iter().map(|r| Root::parse(r)).collect());
    }
    if let Some(o) = &s.overrides {
        g = g.overrides(o);
    }
    let err = g.generate().expect_err("generation must fail");
    assert_eq!(err.kind, case.kind, "kind of {err}");
    if !case.any_pos {
        assert_eq!(
            err.pos,
            case.pos.map(|(line, col)| Pos { line, col }),
            "position of {err}"
        );
    }
    assert_eq!(err.name.as_deref(), case.name, "name of {err}");
    assert_eq!(
        err.file.as_deref(),
        Some(expected_file(&s, case).as_path()),
        "file of {err}"
    );
    assert!(
        err.message.contains(case.message),
        "message of {err} should contain {:?}",
        case.message
    );
}

fn check_cli(case: &Case) {
    let s = setup(case);
    let before = tree(&s.out);
    let before_entries = entries(&s.root);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_csdl-codegen"));
    cmd.arg("generate")
        .arg("--input")
        .arg(&s.input)
        .arg("--out")
        .arg(&s.out);
    for r in case.roots.iter().flatten() {
        cmd.arg("--root").arg(r);
    }
    if let Some(o) = &s.overrides {
        cmd.arg("--overrides").arg(o);
    }
    let output = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(1),
        "exit code; stderr:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "panic:\n{stderr}");
    assert!(stderr.starts_with("error: "), "stderr:\n{stderr}");
    let file = expected_file(&s, case).display().to_string();
    let location = match case.pos {
        _ if case.any_pos => format!("error: {file}:"),
        Some((line, _)) => format!("error: {file}:{line}:"),
        None => format!("error: {file}: "),
    };
    assert!(
        stderr.contains(&location),
        "stderr should contain {location:?}:\n{stderr}"
    );
    if let (Some((line, col)), false) = (case.pos, case.any_pos) {
        // One position: the header's column is the caret's (the element's start, or the
        // offending name later on the line).
        let header = stderr.lines().next().unwrap_or_default();
        let shown: u32 = header[location.len()..]
            .split(':')
            .next()
            .and_then(|c| c.parse().ok())
            .unwrap_or_else(|| panic!("no column in {header:?}"));
        assert!(
            shown >= col,
            "column {shown} before the element's {col}:\n{stderr}"
        );
        assert!(
            stderr.contains(&format!("--> {file}:{line}:{shown}")),
            "the caret line names the same position:\n{stderr}"
        );
    }
    if let Some(name) = case.name {
        assert!(
            stderr.contains(name),
            "stderr should name {name}:\n{stderr}"
        );
    }
    assert!(stderr.contains(case.message), "stderr:\n{stderr}");
    assert_eq!(
        tree(&s.out),
        before,
        "the previous output must be untouched"
    );
    assert_eq!(
        entries(&s.root),
        before_entries,
        "no staging directory may be left behind"
    );
}

macro_rules! cases {
    ($($(#[$m:meta])* $name:ident => $case:ident;)*) => {
        mod library {
            use super::*;
            $($(#[$m])* #[test] fn $name() { check_library(&super::$case()) })*
        }
        mod cli {
            use super::*;
            $($(#[$m])* #[test] fn $name() { check_cli(&super::$case()) })*
        }
    };
}

fn unclosed_tag() -> Case {
    Case::new(
        csdl(concat!(
            "      <ComplexType Name=\"a\">\n",
            "        <Property Name=\"x\" Type=\"Edm.String\">\n",
            "      </ComplexType>\n",
        )),
        ErrorKind::Xml,
    )
    // The first closing tag that does not match: `</ComplexType>`.
    .at(7, 7)
    .says("malformed XML")
}

fn truncated() -> Case {
    let full = csdl(valid_body());
    // Cut in the middle of line 7 (`        <Property Name="id" Ty|pe=...`): 30 characters.
    let cut = full.find("Type=\"Edm.String\" Nullable").unwrap() + 2;
    Case::new(&full.as_bytes()[..cut], ErrorKind::Xml)
        .at(7, 31)
        .says("malformed XML")
}

fn truncated_any_pos() -> Case {
    truncated().any_pos()
}

fn truncated_between_elements() -> Case {
    // Everything up to (and including) `</edmx:DataServices>\n`: the root is never closed.
    let full = csdl(valid_body());
    let cut = full.find("</edmx:Edmx>").unwrap();
    let lines = full[..cut].matches('\n').count() as u32;
    Case::new(&full.as_bytes()[..cut], ErrorKind::Xml)
        .at(lines + 1, 1)
        .says("malformed XML")
}

fn truncated_between_elements_any_pos() -> Case {
    truncated_between_elements().any_pos()
}

fn dtd_entities() -> Case {
    let text = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n \
         <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n \
         <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n]>\n{}",
        &csdl(
            "      <ComplexType Name=\"a\">\n        <Property Name=\"x\" Type=\"Edm.String\" DefaultValue=\"&lol2;\"/>\n      </ComplexType>\n"
        )["<?xml version=\"1.0\" encoding=\"utf-8\"?>\n".len()..]
    );
    // The `<!DOCTYPE` is at 2:1.
    Case::new(text, ErrorKind::Xml).at(2, 1).says("DTD")
}

fn dtd_entities_any_pos() -> Case {
    dtd_entities().any_pos()
}

fn non_utf8() -> Case {
    let mut bytes = csdl(concat!(
        "      <ComplexType Name=\"a\">\n",
        "        <Property Name=\"x@\" Type=\"Edm.String\"/>\n",
        "      </ComplexType>\n",
    ))
    .into_bytes();
    let at = bytes.iter().position(|&b| b == b'@').unwrap();
    bytes[at] = 0xFF;
    // Line 6: 8 spaces, `<Property Name="x` is 17 characters, so the byte is column 26.
    Case::new(bytes, ErrorKind::Xml).at(6, 26).says("UTF-8")
}

fn utf16() -> Case {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in csdl(valid_body()).encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    Case::new(bytes, ErrorKind::Xml).at(1, 1).says("UTF-8")
}

fn dangling_type() -> Case {
    Case::new(
        csdl(concat!(
            "      <ComplexType Name=\"a\">\n",
            "        <Property Name=\"x\" Type=\"Edm.String\"/>\n",
            "        <Property Name=\"y\" Type=\"ns.missing\"/>\n",
            "      </ComplexType>\n",
        )),
        ErrorKind::Unresolved,
    )
    .at(7, 9)
    .named("ns.missing")
}

fn dangling_collection_type() -> Case {
    Case::new(
        csdl(concat!(
            "      <EntityType Name=\"a\">\n",
            "        <NavigationProperty Name=\"n\" Type=\"Collection(ns.missing)\"/>\n",
            "      </EntityType>\n",
        )),
        ErrorKind::Unresolved,
    )
    .at(6, 9)
    .named("Collection(ns.missing)")
}

fn dangling_after_multibyte() -> Case {
    // Columns count characters, not bytes: `é` is two bytes.
    Case::new(
        csdl(concat!(
            "      <ComplexType Name=\"a\">\n",
            "        <!-- é --><Property Name=\"y\" Type=\"ns.missing\"/>\n",
            "      </ComplexType>\n",
        )),
        ErrorKind::Unresolved,
    )
    .at(6, 19)
    .named("ns.missing")
}

fn dangling_base_type() -> Case {
    Case::new(
        csdl(concat!(
            "      <ComplexType Name=\"a\"/>\n",
            "      <ComplexType Name=\"b\" BaseType=\"ns.nothere\"/>\n",
        )),
        ErrorKind::Unresolved,
    )
    .at(6, 7)
    .named("ns.nothere")
}

fn inheritance_cycle() -> Case {
    Case::new(
        csdl(concat!(
            "      <ComplexType Name=\"a\" BaseType=\"ns.b\"/>\n",
            "      <ComplexType Name=\"b\" BaseType=\"ns.a\"/>\n",
        )),
        ErrorKind::Cycle,
    )
    .at(5, 7)
    .named("ns.a")
}

fn self_inheritance() -> Case {
    Case::new(
        csdl(concat!(
            "      <ComplexType Name=\"ok\"/>\n",
            "      <EntityType Name=\"me\" BaseType=\"ns.me\"/>\n",
        )),
        ErrorKind::Cycle,
    )
    .at(6, 7)
    .named("ns.me")
}

fn base_of_wrong_kind() -> Case {
    Case::new(
        csdl(concat!(
            "      <ComplexType Name=\"c\"/>\n",
            "      <EntityType Name=\"e\" BaseType=\"ns.c\">\n",
            "        <Key><PropertyRef Name=\"id\"/></Key>\n",
            "        <Property Name=\"id\" Type=\"Edm.String\" Nullable=\"false\"/>\n",
            "      </EntityType>\n",
        )),
        ErrorKind::Csdl,
    )
    .at(6, 7)
    .named("ns.c")
    .says("same kind")
}

fn base_is_enum() -> Case {
    Case::new(
        csdl(concat!(
            "      <EnumType Name=\"color\"><Member Name=\"red\"/></EnumType>\n",
            "      <ComplexType Name=\"c\" BaseType=\"ns.color\"/>\n",
        )),
        ErrorKind::Csdl,
    )
    .at(6, 7)
    .named("ns.color")
}

fn base_is_primitive() -> Case {
    Case::new(
        csdl("      <ComplexType Name=\"c\" BaseType=\"Edm.String\"/>\n"),
        ErrorKind::Csdl,
    )
    .at(5, 7)
    .named("Edm.String")
}

fn duplicate_type() -> Case {
    Case::new(
        csdl(concat!(
            "      <ComplexType Name=\"a\"/>\n",
            "      <EnumType Name=\"other\"/>\n",
            "      <ComplexType Name=\"a\"/>\n",
        )),
        ErrorKind::Csdl,
    )
    .at(7, 7)
    .named("ns.a")
    .says("twice")
}

fn duplicate_type_across_kinds() -> Case {
    // The second definition (in document order) is the duplicate, whatever its kind.
    Case::new(
        csdl(concat!(
            "      <ComplexType Name=\"a\"/>\n",
            "      <EnumType Name=\"other\"/>\n",
            "      <EntityType Name=\"a\"/>\n",
        )),
        ErrorKind::Csdl,
    )
    .at(7, 7)
    .named("ns.a")
    .says("twice")
}

fn duplicate_type_across_kinds_any_pos() -> Case {
    duplicate_type_across_kinds().any_pos()
}

fn duplicate_property() -> Case {
    Case::new(
        csdl(concat!(
            "      <ComplexType Name=\"a\">\n",
            "        <Property Name=\"x\" Type=\"Edm.String\"/>\n",
            "        <Property Name=\"y\" Type=\"Edm.String\"/>\n",
            "        <Property Name=\"x\" Type=\"Edm.Int32\"/>\n",
            "      </ComplexType>\n",
        )),
        ErrorKind::Csdl,
    )
    .at(8, 9)
    .named("x")
}

fn navigation_duplicating_property() -> Case {
    Case::new(
        csdl(concat!(
            "      <EntityType Name=\"a\">\n",
            "        <Key><PropertyRef Name=\"x\"/></Key>\n",
            "        <Property Name=\"x\" Type=\"Edm.String\" Nullable=\"false\"/>\n",
            "        <NavigationProperty Name=\"x\" Type=\"ns.a\"/>\n",
            "      </EntityType>\n",
        )),
        ErrorKind::Csdl,
    )
    .at(8, 9)
    .named("x")
}

fn property_duplicating_inherited() -> Case {
    Case::new(
        csdl(concat!(
            "      <ComplexType Name=\"derived\" BaseType=\"ns.base\">\n",
            "        <Property Name=\"own\" Type=\"Edm.String\"/>\n",
            "        <Property Name=\"shared\" Type=\"Edm.Int32\"/>\n",
            "      </ComplexType>\n",
            "      <ComplexType Name=\"base\">\n",
            "        <Property Name=\"shared\" Type=\"Edm.String\"/>\n",
            "      </ComplexType>\n",
        )),
        ErrorKind::Csdl,
    )
    .at(7, 9)
    .named("shared")
}

fn enum_value_out_of_range() -> Case {
    Case::new(
        csdl(concat!(
            "      <EnumType Name=\"small\" UnderlyingType=\"Edm.Byte\">\n",
            "        <Member Name=\"ok\" Value=\"255\"/>\n",
            "        <Member Name=\"big\" Value=\"256\"/>\n",
            "      </EnumType>\n",
        )),
        ErrorKind::Csdl,
    )
    .at(7, 9)
    .named("small.big")
    .says("out of range")
}

fn enum_implicit_value_out_of_range() -> Case {
    // Implicit values count up from the previous one: 255, then 256.
    Case::new(
        csdl(concat!(
            "      <EnumType Name=\"small\" UnderlyingType=\"Edm.Byte\">\n",
            "        <Member Name=\"last\" Value=\"255\"/>\n",
            "        <Member Name=\"over\"/>\n",
            "      </EnumType>\n",
        )),
        ErrorKind::Csdl,
    )
    .at(7, 9)
    .named("small.over")
}

fn enum_negative_byte() -> Case {
    Case::new(
        csdl(concat!(
            "      <EnumType Name=\"small\" UnderlyingType=\"Edm.Byte\">\n",
            "        <Member Name=\"neg\" Value=\"-1\"/>\n",
            "      </EnumType>\n",
        )),
        ErrorKind::Csdl,
    )
    .at(6, 9)
    .named("small.neg")
}

fn enum_value_not_integer() -> Case {
    Case::new(
        csdl(concat!(
            "      <EnumType Name=\"e\">\n",
            "        <Member Name=\"huge\" Value=\"99999999999999999999\"/>\n",
            "      </EnumType>\n",
        )),
        ErrorKind::Csdl,
    )
    .at(6, 9)
    .named("e.huge")
}

fn missing_name() -> Case {
    Case::new(
        csdl(concat!(
            "      <ComplexType Name=\"a\"/>\n",
            "      <ComplexType>\n",
            "        <Property Name=\"x\" Type=\"Edm.String\"/>\n",
            "      </ComplexType>\n",
        )),
        ErrorKind::Csdl,
    )
    .at(6, 7)
    .says("`Name`")
}

fn missing_type() -> Case {
    Case::new(
        csdl(concat!(
            "      <ComplexType Name=\"a\">\n",
            "        <Property Name=\"typeless\"/>\n",
            "      </ComplexType>\n",
        )),
        ErrorKind::Csdl,
    )
    .at(6, 9)
    .named("typeless")
    .says("`Type`")
}

fn unknown_primitive() -> Case {
    Case::new(
        csdl(concat!(
            "      <ComplexType Name=\"a\">\n",
            "        <Property Name=\"x\" Type=\"Edm.Strin\"/>\n",
            "      </ComplexType>\n",
        )),
        ErrorKind::Unresolved,
    )
    .at(6, 9)
    .named("Edm.Strin")
}

fn bad_boolean() -> Case {
    Case::new(
        csdl(concat!(
            "      <ComplexType Name=\"a\">\n",
            "        <Property Name=\"x\" Type=\"Edm.String\" Nullable=\"maybe\"/>\n",
            "      </ComplexType>\n",
        )),
        ErrorKind::Csdl,
    )
    .at(6, 9)
    .named("x")
}

fn bad_root() -> Case {
    // A root is a command-line argument: there is no line in the input to point at.
    Case::new(csdl(valid_body()), ErrorKind::Config)
        .root("nope/x")
        .named("nope/x")
}

fn bad_root_navigation() -> Case {
    Case::new(csdl(valid_body()), ErrorKind::Config)
        .root("things/{id}/nowhere")
        .named("things/{id}/nowhere")
        .says("nowhere")
}

fn bad_root_type() -> Case {
    Case::new(csdl(valid_body()), ErrorKind::Config)
        .root("ns.nothing")
        .named("ns.nothing")
}

fn override_syntax() -> Case {
    Case::new(csdl(valid_body()), ErrorKind::Config)
        .root("things")
        .overrides("[[update_method]]\ntarget = \"ns.thing\"\nmethod = PUT\n")
        .at(3, 10)
        .says("invalid override file")
}

fn override_unknown_field() -> Case {
    Case::new(csdl(valid_body()), ErrorKind::Config)
        .root("things")
        .overrides(
            "[[update_method]]\ntarget = \"ns.thing\"\nmethod = \"PUT\"\nreason = \"r\"\ncolour = \"red\"\n",
        )
        .at(5, 1)
        .says("colour")
}

fn override_unknown_target() -> Case {
    Case::new(csdl(valid_body()), ErrorKind::Config)
        .root("things")
        .overrides("[[update_method]]\ntarget = \"ns.ghost\"\nmethod = \"PUT\"\nreason = \"r\"\n")
        .named("ns.ghost")
}

cases! {
    malformed_xml_unclosed_tag => unclosed_tag;
    truncated_file => truncated_any_pos;

    truncated_file_position => truncated;
    truncated_between_elements => truncated_between_elements_any_pos;

    truncated_between_elements_position => truncated_between_elements;
    dtd_entity_declarations => dtd_entities_any_pos;

    dtd_entity_declarations_position => dtd_entities;
    non_utf8_bytes => non_utf8;
    utf16_input => utf16;
    dangling_type_reference => dangling_type;
    dangling_collection_reference => dangling_collection_type;
    column_counts_characters => dangling_after_multibyte;
    dangling_base_type_reference => dangling_base_type;
    inheritance_cycle_a_b_a => inheritance_cycle;
    inheritance_cycle_self => self_inheritance;
    base_type_of_wrong_kind => base_of_wrong_kind;
    base_type_is_enum => base_is_enum;
    base_type_is_primitive => base_is_primitive;
    duplicate_type_name => duplicate_type;
    duplicate_type_name_across_kinds => duplicate_type_across_kinds_any_pos;

    duplicate_type_name_across_kinds_position => duplicate_type_across_kinds;
    duplicate_property => duplicate_property;
    navigation_duplicates_property => navigation_duplicating_property;
    property_duplicates_inherited => property_duplicating_inherited;
    enum_value_out_of_range_for_byte => enum_value_out_of_range;
    enum_implicit_value_out_of_range_for_byte => enum_implicit_value_out_of_range;
    enum_negative_value_for_byte => enum_negative_byte;
    enum_value_not_an_integer => enum_value_not_integer;
    missing_name_attribute => missing_name;
    missing_type_attribute => missing_type;
    unknown_edm_primitive => unknown_primitive;
    bad_boolean_attribute => bad_boolean;
    bad_root_path => bad_root;
    bad_root_navigation => bad_root_navigation;
    bad_root_type => bad_root_type;
    bad_override_syntax => override_syntax;
    bad_override_unknown_field => override_unknown_field;
    bad_override_unknown_target => override_unknown_target;
}

/// Writes `bytes` to a temporary file and generates everything from it.
fn generate_all(bytes: &[u8]) -> csdl_codegen::Result<csdl_codegen::Output> {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input.csdl.xml");
    std::fs::write(&input, bytes).unwrap();
    Generator::new(&input).all(true).generate()
}

fn crlf(text: &str) -> String {
    text.replace('\n', "\r\n")
}

#[test]
fn crlf_line_endings_parse() {
    let lf = generate_all(csdl(valid_body()).as_bytes()).unwrap();
    let crlf = generate_all(crlf(&csdl(valid_body())).as_bytes()).unwrap();
    assert_eq!(lf.counts, (1, 0));
    assert_eq!(lf.models.len(), crlf.models.len());
    for (a, b) in lf.models.iter().zip(&crlf.models) {
        assert_eq!(a.path, b.path);
        // Only the `Source:` lines name the (different) input paths.
        let strip = |s: &str| {
            s.lines()
                .filter(|l| !l.contains("input.csdl.xml"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(strip(&a.contents), strip(&b.contents), "{}", a.path);
        assert!(!b.contents.contains('\r'), "{} keeps a CR", b.path);
    }
}

#[test]
fn byte_order_mark_parses() {
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(csdl(valid_body()).as_bytes());
    assert_eq!(generate_all(&bytes).unwrap().counts, (1, 0));
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(crlf(&csdl(valid_body())).as_bytes());
    assert_eq!(generate_all(&bytes).unwrap().counts, (1, 0));
}

#[test]
fn positions_on_crlf_files() {
    let mut case = dangling_type();
    case.input = crlf(std::str::from_utf8(&case.input).unwrap()).into_bytes();
    check_library(&case);
    check_cli(&case);

    let mut case = duplicate_property();
    case.input = crlf(std::str::from_utf8(&case.input).unwrap()).into_bytes();
    check_library(&case);

    let mut case = unclosed_tag();
    case.input = crlf(std::str::from_utf8(&case.input).unwrap()).into_bytes();
    check_library(&case);
}

#[test]
fn positions_with_byte_order_mark() {
    for case in [
        dangling_type(),
        unclosed_tag(),
        property_duplicating_inherited(),
    ] {
        let mut case = case;
        let mut bytes = "\u{feff}".as_bytes().to_vec();
        bytes.extend(crlf(std::str::from_utf8(&case.input).unwrap()).as_bytes());
        case.input = bytes;
        check_library(&case);
    }
}

#[test]
fn non_utf8_after_byte_order_mark() {
    // A BOM on line 1 does not move positions on later lines.
    let mut case = non_utf8();
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(&case.input);
    case.input = bytes;
    check_library(&case);
}

#[test]

fn non_utf8_on_first_line_after_byte_order_mark() {
    // `<?xml version="1.0"` is 19 characters; the invalid byte is column 20 (the BOM is not
    // a column, as for every other position, which is computed after the BOM is stripped).
    let mut bytes = "\u{feff}<?xml version=\"1.0\"".as_bytes().to_vec();
    bytes.push(0xFF);
    bytes.extend(b"?>\n<edmx:Edmx/>\n");
    let err = generate_all(&bytes).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Xml);
    assert_eq!(err.pos, Some(Pos { line: 1, col: 20 }), "{err}");
}

#[test]
fn deeply_nested_annotation_is_an_error_not_an_overflow() {
    let depth = 5_000;
    let body = format!(
        "      <ComplexType Name=\"a\">\n        <Annotation Term=\"Core.Example\">{}{}</Annotation>\n      </ComplexType>\n",
        "<Collection>".repeat(depth),
        "</Collection>".repeat(depth)
    );
    let err = generate_all(csdl(&body).as_bytes()).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Csdl, "{err}");
    assert_eq!(err.pos.map(|p| p.line), Some(6), "{err}");
}

#[test]
fn not_edmx_and_no_schema() {
    let err = generate_all(b"<?xml version=\"1.0\"?>\n<root/>\n").unwrap_err();
    assert_eq!(err.kind, ErrorKind::Csdl);
    assert_eq!(err.pos, Some(Pos { line: 2, col: 1 }));
    let err = generate_all(
        b"<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\"/>",
    )
    .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Csdl);
    assert_eq!(err.pos, Some(Pos { line: 1, col: 1 }));
}

#[test]
fn missing_input_file_is_io() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("absent.csdl.xml");
    let err = Generator::new(&input).generate().unwrap_err();
    assert_eq!(err.kind, ErrorKind::Io);
    assert_eq!(err.file.as_deref(), Some(input.as_path()));

    let output = Command::new(env!("CARGO_BIN_EXE_csdl-codegen"))
        .arg("generate")
        .arg("--input")
        .arg(&input)
        .arg("--out")
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&input.display().to_string()), "{stderr}");
    assert!(!dir.path().join("out").exists());
}

#[test]
fn success_replaces_the_previous_tree() {
    // The counterpart of the failure cases: a good input replaces the marker tree whole.
    let case = Case::new(csdl(valid_body()), ErrorKind::Config).root("things");
    let s = setup(&case);
    let output = Command::new(env!("CARGO_BIN_EXE_csdl-codegen"))
        .arg("generate")
        .arg("--input")
        .arg(&s.input)
        .arg("--out")
        .arg(&s.out)
        .arg("--root")
        .arg("things")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let after = tree(&s.out);
    assert!(after.contains_key("Cargo.toml"));
    assert!(!after.contains_key("src/nested/marker.txt"));
    assert_ne!(after["Cargo.toml"], b"# previous run\n");
    assert_eq!(
        entries(&s.root),
        vec!["input.csdl.xml".to_string(), "models".to_string()]
    );
}

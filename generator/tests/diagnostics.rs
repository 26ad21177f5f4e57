//! Rendered errors: the `error: file:line:column: message` line, then the source line with
//! a caret under the offending text, as rustc shows them.
//!
//! Snapshots are `snapshots/diagnostics__*.snap`, rendered without colour; temporary paths
//! are shown as `[TMP]`. After an intended change:
//! `INSTA_UPDATE=always cargo test -p csdl-codegen --test diagnostics`.

use std::ffi::OsStr;
use std::path::Path;

use csdl_codegen::diagnostics::{self, color_choice, render, render_with_source};
use csdl_codegen::{Error, ErrorKind, Generator, Pos, Root};

const HEAD: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">\n  \
<edmx:DataServices>\n    \
<Schema Namespace=\"ns\" xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">\n";
const TAIL: &str = "    </Schema>\n  </edmx:DataServices>\n</edmx:Edmx>\n";

/// A CSDL document with `body` inside `<Schema Namespace="ns">`; the body starts on line 5.
fn csdl(body: &str) -> String {
    format!("{HEAD}{body}{TAIL}")
}

fn valid_body() -> &'static str {
    concat!(
        "      <EntityType Name=\"thing\">\n",
        "        <Key><PropertyRef Name=\"id\"/></Key>\n",
        "        <Property Name=\"id\" Type=\"Edm.String\" Nullable=\"false\"/>\n",
        "      </EntityType>\n",
        "      <EntityContainer Name=\"Service\">\n",
        "        <EntitySet Name=\"things\" EntityType=\"ns.thing\"/>\n",
        "      </EntityContainer>\n",
    )
}

/// Generates from `input` (and `overrides`, with `roots`) in a temporary directory and
/// renders the error without colour, the directory shown as `[TMP]`.
fn rendered(input: impl AsRef<[u8]>, roots: &[&str], overrides: Option<&str>) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("input.csdl.xml");
    std::fs::write(&path, input).unwrap();
    let mut g = Generator::new(&path);
    g = if roots.is_empty() {
        g.all(true)
    } else {
        g.roots(roots.iter().map(|r| Root::parse(r)).collect())
    };
    if let Some(text) = overrides {
        let o = dir.path().join("overrides.toml");
        std::fs::write(&o, text).unwrap();
        g = g.overrides(o);
    }
    let err = g.generate().expect_err("generation must fail");
    let text = render(&err, false);
    // The first line is the plain error, its column moved to where the caret points (the
    // offending name) when the line spells the name after the element's start.
    let first = text.lines().next().unwrap_or_default();
    let mut at_caret = err.clone();
    if let Some(caret) = text
        .lines()
        .nth(1)
        .and_then(|l| l.rsplit(':').next())
        .and_then(|c| c.trim().parse::<u32>().ok())
    {
        if let Some(pos) = at_caret.pos.as_mut() {
            pos.col = caret;
        }
    }
    assert_eq!(first, format!("error: {at_caret}"), "{text}");
    assert!(!text.contains('\u{1b}'), "no colour: {text:?}");
    text.replace(&dir.path().display().to_string(), "[TMP]")
}

macro_rules! snapshot {
    ($name:ident, $input:expr) => {
        snapshot!($name, $input, &[], None);
    };
    ($name:ident, $input:expr, $roots:expr, $overrides:expr) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(stringify!($name), rendered($input, $roots, $overrides));
        }
    };
}

snapshot!(
    dangling_type_reference,
    csdl(concat!(
        "      <ComplexType Name=\"a\">\n",
        "        <Property Name=\"x\" Type=\"ns.missing\"/>\n",
        "      </ComplexType>\n",
    ))
);

snapshot!(
    dangling_collection_reference,
    csdl(concat!(
        "      <ComplexType Name=\"a\">\n",
        "        <Property Name=\"xs\" Type=\"Collection(ns.missing)\"/>\n",
        "      </ComplexType>\n",
    ))
);

snapshot!(
    duplicate_property,
    csdl(concat!(
        "      <ComplexType Name=\"a\">\n",
        "        <Property Name=\"x\" Type=\"Edm.String\"/>\n",
        "        <Property Name=\"x\" Type=\"Edm.Int32\"/>\n",
        "      </ComplexType>\n",
    ))
);

snapshot!(
    duplicate_type,
    csdl(concat!(
        "      <ComplexType Name=\"a\"/>\n",
        "      <EntityType Name=\"a\"/>\n",
    ))
);

snapshot!(
    enum_member_out_of_range,
    csdl(concat!(
        "      <EnumType Name=\"small\" UnderlyingType=\"Edm.Byte\">\n",
        "        <Member Name=\"big\" Value=\"256\"/>\n",
        "      </EnumType>\n",
    ))
);

snapshot!(
    inheritance_cycle,
    csdl(concat!(
        "      <ComplexType Name=\"a\" BaseType=\"ns.b\"/>\n",
        "      <ComplexType Name=\"b\" BaseType=\"ns.a\"/>\n",
    ))
);

snapshot!(
    missing_attribute_points_at_the_tag,
    csdl(concat!(
        "      <ComplexType>\n",
        "        <Property Name=\"x\" Type=\"Edm.String\"/>\n",
        "      </ComplexType>\n",
    ))
);

snapshot!(
    unclosed_tag_points_at_the_closing_tag,
    csdl(concat!(
        "      <ComplexType Name=\"a\">\n",
        "        <Property Name=\"x\" Type=\"Edm.String\">\n",
        "      </ComplexType>\n",
    ))
);

snapshot!(truncated_file_points_past_the_end, {
    let full = csdl(valid_body());
    let cut = full.find("Type=\"Edm.String\" Nullable").unwrap() + 2;
    full[..cut].to_string()
});

snapshot!(non_utf8_byte_is_shown_as_a_replacement_character, {
    let mut bytes = csdl(valid_body()).into_bytes();
    let at = bytes.windows(5).position(|w| w == b"thing").unwrap();
    bytes[at + 2] = 0xFF;
    bytes
});

snapshot!(
    crlf_and_byte_order_mark,
    format!(
        "\u{feff}{}",
        csdl(concat!(
            "      <ComplexType Name=\"a\">\n",
            "        <Property Name=\"x\" Type=\"ns.missing\"/>\n",
            "      </ComplexType>\n",
        ))
        .replace('\n', "\r\n")
    )
);

snapshot!(
    tabs_and_multibyte_characters_before_the_column,
    csdl(concat!(
        "\t<ComplexType Name=\"a\">\n",
        "\t\t<!-- é ☃ -->  <Property Name=\"x\" Type=\"ns.missing\"/>\n",
        "\t</ComplexType>\n",
    ))
);

snapshot!(
    long_line_is_cut_around_the_column,
    csdl(&format!(
        "      <ComplexType Name=\"a\">{}<Property Name=\"x\" Type=\"ns.missing\"/>{}</ComplexType>\n",
        "<Property Name=\"padding\" Type=\"Edm.String\"/>".repeat(10),
        "<Property Name=\"tail\" Type=\"Edm.String\"/>".repeat(10),
    ))
);

snapshot!(
    override_file_syntax,
    csdl(valid_body()),
    &["things"],
    Some("[[update_method]]\ntarget = \"ns.thing\"\nmethod = PUT\n")
);

snapshot!(
    bad_root_has_no_snippet,
    csdl(valid_body()),
    &["things/{id}/nowhere"],
    None
);

#[test]
fn missing_file_has_no_snippet() {
    let dir = tempfile::tempdir().unwrap();
    let err = Generator::new(dir.path().join("absent.xml"))
        .generate()
        .unwrap_err();
    let text = render(&err, false).replace(&dir.path().display().to_string(), "[TMP]");
    assert!(
        text.starts_with("error: [TMP]/absent.xml: cannot access file: "),
        "{text}"
    );
    assert_eq!(text.lines().count(), 1, "{text}");
}

#[test]
fn errors_without_file_or_position_render_as_one_line() {
    let err = Error::new(ErrorKind::Config, "no roots").named("x");
    assert_eq!(render(&err, false), "error: no roots (`x`)\n");
    // A position of line 0 (elements added by overrides) has no line to show.
    let err = Error::new(ErrorKind::Csdl, "added").at(Pos { line: 0, col: 0 });
    assert_eq!(render(&err, false), "error: 0:0: added\n");
    // A position past the end of the file shows no snippet either.
    let err = Error::new(ErrorKind::Csdl, "late").at(Pos { line: 99, col: 1 });
    assert_eq!(
        render_with_source(&err, "one line\n", false),
        "error: 99:1: late\n"
    );
}

#[test]
fn source_from_memory_renders_like_source_from_disk() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("input.csdl.xml");
    let text = csdl("      <ComplexType Name=\"a\" BaseType=\"ns.nope\"/>\n");
    std::fs::write(&path, &text).unwrap();
    let err = Generator::new(&path).all(true).generate().unwrap_err();
    assert_eq!(render(&err, false), render_with_source(&err, &text, false));
    assert!(
        render(&err, false).contains("^^^^^^^"),
        "{}",
        render(&err, false)
    );
}

#[test]
fn colour_only_when_asked() {
    let err = Error::new(ErrorKind::Unresolved, "type `ns.x` is not defined")
        .at(Pos { line: 1, col: 3 })
        .in_file(Path::new("a.xml"));
    let source = "<a b=\"ns.x\"/>\n";
    let plain = render_with_source(&err, source, false);
    let colored = render_with_source(&err, source, true);
    assert!(!plain.contains('\u{1b}'));
    assert!(colored.contains("\u{1b}["), "{colored:?}");
    // The same text once the escapes are removed.
    let mut stripped = String::new();
    let mut chars = colored.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            stripped.push(c);
        }
    }
    assert_eq!(stripped, plain);
}

#[test]
fn colour_choice_follows_the_terminal_and_no_color() {
    let some = |s: &'static str| Some(OsStr::new(s));
    assert!(color_choice(true, None, some("xterm-256color")));
    assert!(color_choice(true, None, None));
    assert!(
        color_choice(true, some(""), None),
        "an empty NO_COLOR is unset"
    );
    assert!(!color_choice(true, some("1"), None));
    assert!(!color_choice(true, None, some("dumb")));
    assert!(!color_choice(false, None, some("xterm")));
    // Tests run with stderr captured or piped: never a terminal here unless it is.
    let _ = diagnostics::stderr_color();
}

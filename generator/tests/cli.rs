//! The command line: `--help` of every subcommand, `--quiet`/`--verbose`, exit codes,
//! `inspect` reports, and the CLI writing exactly what the library's `Generator` writes.
//!
//! Snapshots are `snapshots/cli__*.snap`; temporary paths are shown as `[TMP]` and stage
//! timings as `[TIME]`. After an intended change:
//! `INSTA_UPDATE=always cargo test -p csdl-codegen --test cli`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use csdl_codegen::Generator;

mod support;
use support::{tree, without_command, workspace_root};

/// The binary, run from the workspace root, without colour.
fn cli() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_csdl-codegen"));
    cmd.current_dir(workspace_root()).env("NO_COLOR", "1");
    cmd
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut Command) -> Run {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().unwrap();
    Run {
        code: status.code(),
        stdout: String::from_utf8(stdout).unwrap(),
        stderr: String::from_utf8(stderr).unwrap(),
    }
}

/// `text` with `dir` shown as `[TMP]` and the numbers of `timing:` lines as `[TIME]`.
fn redact(text: &str, dir: &Path) -> String {
    let text = text.replace(&dir.display().to_string(), "[TMP]");
    text.lines()
        .map(|l| match l.strip_prefix("timing: ") {
            Some(rest) => {
                let stage = rest.split_whitespace().next().unwrap_or_default();
                assert!(rest.trim_end().ends_with(" ms"), "timing line: {l}");
                format!("timing: {stage} [TIME]")
            }
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

const HEAD: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">\n  \
<edmx:DataServices>\n    \
<Schema Namespace=\"contoso.fleet\" Alias=\"fleet\" xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">\n";
const TAIL: &str = "    </Schema>\n  </edmx:DataServices>\n</edmx:Edmx>\n";

/// A small service with every kind of type, bound operations, a singleton, a contained
/// collection, media, an updatable collection property, and a warning (an annotation target
/// that points nowhere).
fn fleet() -> String {
    let body = r#"      <EntityType Name="entity" Abstract="true">
        <Key><PropertyRef Name="id"/></Key>
        <Property Name="id" Type="Edm.String" Nullable="false"/>
      </EntityType>
      <EntityType Name="vehicle" BaseType="fleet.entity">
        <Property Name="plate" Type="fleet.plate"/>
        <Property Name="state" Type="fleet.vehicleState"/>
        <Property Name="features" Type="fleet.features"/>
        <Property Name="stops" Type="Collection(fleet.stop)"/>
        <NavigationProperty Name="trips" Type="Collection(fleet.trip)" ContainsTarget="true"/>
        <NavigationProperty Name="depot" Type="fleet.depot"/>
      </EntityType>
      <EntityType Name="trip" BaseType="fleet.entity" HasStream="true">
        <Property Name="distance" Type="Edm.Double"/>
      </EntityType>
      <EntityType Name="depot" BaseType="fleet.entity">
        <Property Name="address" Type="fleet.address"/>
      </EntityType>
      <EntityType Name="company" BaseType="fleet.entity">
        <NavigationProperty Name="vehicles" Type="Collection(fleet.vehicle)"/>
      </EntityType>
      <EntityType Name="unreached" BaseType="fleet.entity"/>
      <ComplexType Name="address">
        <Property Name="city" Type="Edm.String"/>
      </ComplexType>
      <ComplexType Name="stop">
        <Property Name="at" Type="Edm.DateTimeOffset"/>
      </ComplexType>
      <EnumType Name="vehicleState">
        <Member Name="parked"/>
        <Member Name="driving"/>
      </EnumType>
      <EnumType Name="features" IsFlags="true">
        <Member Name="none" Value="0"/>
        <Member Name="gps" Value="1"/>
      </EnumType>
      <TypeDefinition Name="plate" UnderlyingType="Edm.String"/>
      <Action Name="dispatch" IsBound="true">
        <Parameter Name="bindingParameter" Type="fleet.vehicle"/>
        <Parameter Name="depot" Type="Edm.String"/>
        <ReturnType Type="fleet.trip"/>
      </Action>
      <Function Name="available" IsBound="true">
        <Parameter Name="bindingParameter" Type="Collection(fleet.vehicle)"/>
        <Parameter Name="from" Type="Edm.DateTimeOffset"/>
        <ReturnType Type="Collection(fleet.vehicle)"/>
      </Function>
      <Action Name="reset" IsBound="false"/>
      <Annotations Target="fleet.vehicle/stops">
        <Annotation Term="Org.OData.Capabilities.V1.UpdateRestrictions">
          <Record><PropertyValue Property="UpdateMethod" EnumMember="Org.OData.Capabilities.V1.HttpMethod/PUT"/></Record>
        </Annotation>
      </Annotations>
      <Annotations Target="fleet.nowhere">
        <Annotation Term="Org.OData.Core.V1.Description" String="dangling"/>
      </Annotations>
      <EntityContainer Name="FleetService">
        <EntitySet Name="vehicles" EntityType="fleet.vehicle"/>
        <EntitySet Name="companies" EntityType="fleet.company"/>
        <Singleton Name="headquarters" Type="fleet.company"/>
        <ActionImport Name="reset" Action="fleet.reset"/>
      </EntityContainer>
"#;
    format!("{HEAD}{body}{TAIL}")
}

/// A temporary directory holding `fleet.csdl.xml`.
fn fleet_dir() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("fleet.csdl.xml");
    std::fs::write(&input, fleet()).unwrap();
    (dir, input)
}

// ---------------------------------------------------------------------------------------
// --help

#[test]
fn help_of_every_subcommand_has_examples() {
    for (name, args) in [
        ("help", &["--help"][..]),
        ("help_generate", &["generate", "--help"]),
        ("help_inspect", &["inspect", "--help"]),
        ("help_extract", &["extract", "--help"]),
    ] {
        let r = run(cli().args(args));
        assert_eq!(r.code, Some(0), "{args:?}: {}", r.stderr);
        assert!(r.stdout.contains("Examples:"), "{args:?}:\n{}", r.stdout);
        assert!(!r.stdout.contains('\u{1b}'), "no colour when piped");
        insta::assert_snapshot!(name, r.stdout);
    }
    // `-h` shows the examples too.
    let r = run(cli().args(["inspect", "-h"]));
    assert!(r.stdout.contains("Examples:"), "{}", r.stdout);
}

#[test]
fn version() {
    let r = run(cli().arg("--version"));
    assert_eq!(r.code, Some(0));
    assert_eq!(
        r.stdout.trim(),
        format!("csdl-codegen {}", env!("CARGO_PKG_VERSION"))
    );
}

// ---------------------------------------------------------------------------------------
// Exit codes

#[test]
fn usage_errors_exit_with_2() {
    for args in [
        &["generate", "--input", "x.xml"][..],
        &["--quiet", "--verbose", "inspect", "x.xml"],
        &["inspect", "x.xml", "--all", "--root", "users"],
        &["frobnicate"],
        &[],
    ] {
        let r = run(cli().args(args));
        assert_eq!(r.code, Some(2), "{args:?}: {}", r.stderr);
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    }
}

#[test]
fn errors_exit_with_1_and_show_the_source_line() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("bad.csdl.xml");
    let body = "      <ComplexType Name=\"a\">\n        <Property Name=\"x\" Type=\"fleet.missing\"/>\n      </ComplexType>\n";
    std::fs::write(&input, format!("{HEAD}{body}{TAIL}")).unwrap();
    for (args, name) in [
        (vec!["inspect", "--all"], "error_inspect"),
        (
            vec!["generate", "--all", "--out", "ignored", "--input"],
            "error_generate",
        ),
    ] {
        let r = run(cli().args(args).arg(&input));
        assert_eq!(r.code, Some(1), "{}", r.stderr);
        assert_eq!(r.stdout, "");
        assert!(
            r.stderr.starts_with(&format!(
                // The column of the offending name, where the caret points.
                "error: {}:6:34: type `fleet.missing` is not defined",
                input.display()
            )),
            "{}",
            r.stderr
        );
        assert!(!r.stderr.contains('\u{1b}'), "NO_COLOR: {:?}", r.stderr);
        insta::assert_snapshot!(name, redact(&r.stderr, dir.path()));
    }
    assert!(!workspace_root().join("ignored").exists());
}

#[test]
fn bad_root_exits_with_1_without_a_snippet() {
    let (dir, input) = fleet_dir();
    let r = run(cli()
        .arg("inspect")
        .arg(&input)
        .args(["--root", "trucks/{id}"]));
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert_eq!(
        redact(&r.stderr, dir.path()),
        "error: [TMP]/fleet.csdl.xml: root path `trucks/{id}`: `trucks` is not an entity set or singleton"
    );
}

// ---------------------------------------------------------------------------------------
// --quiet, default, --verbose

fn generate(verbosity: Option<&str>) -> (tempfile::TempDir, Run) {
    let (dir, input) = fleet_dir();
    let overrides = dir.path().join("overrides.toml");
    std::fs::write(
        &overrides,
        "[[update_method]]\ntarget = \"contoso.fleet.depot\"\nmethod = \"PUT\"\nreason = \"r\"\n",
    )
    .unwrap();
    let mut cmd = cli();
    cmd.args(verbosity)
        .arg("generate")
        .arg("--input")
        .arg(&input)
        .arg("--out")
        .arg(dir.path().join("out"))
        .arg("--overrides")
        .arg(&overrides)
        .args(["--root", "vehicles", "--crate-name", "fleet-models"]);
    let r = run(&mut cmd);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(r.stdout, "");
    assert!(dir.path().join("out/Cargo.toml").exists());
    (dir, r)
}

#[test]
fn quiet_prints_nothing() {
    let (_dir, r) = generate(Some("--quiet"));
    assert_eq!(r.stderr, "");
    let (_dir, r) = generate(Some("-q"));
    assert_eq!(r.stderr, "");
}

#[test]
fn default_prints_one_summary_line() {
    let (dir, r) = generate(None);
    // The summary, and the hint about the runtime dependency (no --runtime-path given).
    assert_eq!(r.stderr.lines().count(), 2, "{}", r.stderr);
    assert!(r.stderr.contains("--runtime-path"), "{}", r.stderr);
    insta::assert_snapshot!("generate_default", redact(&r.stderr, dir.path()));
}

#[test]
fn verbose_prints_warnings_overrides_and_timings() {
    let (dir, r) = generate(Some("--verbose"));
    for stage in [
        "read",
        "resolve",
        "overrides",
        "select",
        "plan",
        "emit + write",
        "total",
    ] {
        assert!(
            r.stderr.contains(&format!("timing: {stage} ")),
            "{stage}:\n{}",
            r.stderr
        );
    }
    insta::assert_snapshot!("generate_verbose", redact(&r.stderr, dir.path()));
}

#[test]
fn verbose_after_the_subcommand() {
    let (dir, input) = fleet_dir();
    let r = run(cli()
        .arg("inspect")
        .arg(&input)
        .args(["--root", "vehicles", "-v"]));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let stderr = redact(&r.stderr, dir.path());
    assert!(
        stderr.contains("warning: [TMP]/fleet.csdl.xml:"),
        "{stderr}"
    );
    assert!(stderr.contains("timing: inspect [TIME]"), "{stderr}");
}

#[test]
fn extract_prints_one_line_or_nothing() {
    let (dir, input) = fleet_dir();
    let out = dir.path().join("subset.csdl.xml");
    let r = run(cli()
        .arg("extract")
        .arg("--input")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .args(["--root", "vehicles"]));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(
        redact(&r.stderr, dir.path()),
        "kept 9 types and 2 operations in [TMP]/subset.csdl.xml"
    );
    let r = run(cli()
        .arg("-q")
        .arg("extract")
        .arg("--input")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .args(["--root", "vehicles"]));
    assert_eq!((r.code, r.stderr.as_str()), (Some(0), ""));
}

// ---------------------------------------------------------------------------------------
// inspect

#[test]
fn inspect_fleet() {
    let (dir, input) = fleet_dir();
    for (name, args) in [
        ("inspect_fleet_vehicles", &["--root", "vehicles"][..]),
        (
            "inspect_fleet_paths",
            &[
                "--root",
                "headquarters/vehicles",
                "--root",
                "companies/{id}",
            ],
        ),
        ("inspect_fleet_type_root", &["--root", "fleet.depot"]),
        ("inspect_fleet_all", &["--all"]),
    ] {
        let r = run(cli().arg("inspect").arg(&input).args(args));
        assert_eq!(r.code, Some(0), "{args:?}: {}", r.stderr);
        assert_eq!(
            r.stderr, "note: 1 warning: rerun with --verbose to see it\n",
            "{args:?}"
        );
        insta::assert_snapshot!(name, r.stdout);
        // Quiet changes nothing on stdout and prints nothing else.
        let q = run(cli().arg("inspect").arg(&input).args(args).arg("-q"));
        assert_eq!((q.stdout, q.stderr), (r.stdout, String::new()));
    }
    drop(dir);
}

#[test]
fn inspect_lists_at_most_max_urls() {
    let (_dir, input) = fleet_dir();
    let all = run(cli()
        .arg("inspect")
        .arg(&input)
        .args(["--root", "vehicles"]));
    let some =
        run(cli()
            .arg("inspect")
            .arg(&input)
            .args(["--root", "vehicles", "--max-urls", "3"]));
    assert_eq!(some.code, Some(0), "{}", some.stderr);
    assert_eq!(
        some.stderr,
        "note: 1 warning: rerun with --verbose to see it\n\
         note: 3 of 13 URL paths listed: --max-urls 0 lists them all\n"
    );
    let (head, tail) = some.stdout.split_once("URL paths (13):\n").unwrap();
    assert!(all.stdout.starts_with(head));
    let listed: Vec<&str> = tail.lines().collect();
    assert_eq!(listed.len(), 4, "{tail}");
    assert_eq!(listed[3], "  ... and 10 more URL paths");
    let full = all.stdout.split_once("URL paths (13):\n").unwrap().1;
    for (a, b) in listed[..3].iter().zip(full.lines()) {
        assert_eq!(
            a.split_whitespace().collect::<Vec<_>>(),
            b.split_whitespace().collect::<Vec<_>>()
        );
    }
    let zero =
        run(cli()
            .arg("inspect")
            .arg(&input)
            .args(["--root", "vehicles", "--max-urls", "0"]));
    assert_eq!(zero.stdout, all.stdout);
}

#[test]
fn inspect_synchronization() {
    for (name, input) in [
        (
            "inspect_synchronization_v1",
            "specs/graph-v1.0.sync.csdl.xml",
        ),
        (
            "inspect_synchronization_beta",
            "specs/graph-beta.sync.csdl.xml",
        ),
    ] {
        // The Graph fixes are built in and apply where the subset has their targets.
        let r = run(cli().args(["inspect", input]));
        assert_eq!(r.code, Some(0), "{}", r.stderr);
        assert_eq!(r.stderr, "");
        insta::assert_snapshot!(name, r.stdout);
    }
}

#[test]
fn inspect_is_deterministic() {
    let (_dir, input) = fleet_dir();
    let runs: BTreeSet<String> = (0..3)
        .map(|_| {
            run(cli().arg("inspect").arg(&input).args([
                "--root",
                "companies",
                "--root",
                "vehicles",
            ]))
            .stdout
        })
        .collect();
    assert_eq!(runs.len(), 1);
}

// ---------------------------------------------------------------------------------------
// The CLI is a thin layer: it writes what the library writes.

/// `generate` of the fleet service into `models` (and `client` when `with_client`) with
/// `extra` arguments.
fn generate_fleet(with_client: bool, extra: &[&str]) -> (tempfile::TempDir, Run) {
    let (dir, input) = fleet_dir();
    let mut cmd = cli();
    cmd.arg("generate")
        .arg("--input")
        .arg(&input)
        .arg("--out")
        .arg(dir.path().join("models"))
        .args(["--crate-name", "fleet-models"]);
    if with_client {
        cmd.arg("--client-out").arg(dir.path().join("client"));
    }
    let r = run(cmd.args(extra));
    (dir, r)
}

/// `generate --client-out` of the fleet service with `extra` arguments.
fn generate_fleet_client(extra: &[&str]) -> (tempfile::TempDir, Run) {
    generate_fleet(true, extra)
}

#[test]
fn a_client_of_another_service_needs_its_base_url() {
    // Metadata does not say where its service is; a default of Graph's root would send
    // this service's requests and tokens to Graph.
    let (dir, r) = generate_fleet_client(&[]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.stderr.contains("--base-url"), "{}", r.stderr);
    assert!(!dir.path().join("models").exists());
    assert!(!dir.path().join("client").exists());

    let (dir, r) = generate_fleet_client(&["--base-url", "https://fleet.example/odata"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let builders = std::fs::read_to_string(dir.path().join("client/src/builders.rs")).unwrap();
    assert!(
        builders.contains(
            "pub const DEFAULT_BASE_URL: &'static str = \"https://fleet.example/odata\";"
        ),
        "{builders}"
    );
    // Named after the namespace `contoso.fleet`, not after Graph.
    assert!(builders.contains("pub struct FleetClient {"), "{builders}");
    assert!(!builders.contains("GraphClient"), "{builders}");
}

#[test]
fn client_name_and_base_url_are_checked() {
    let (_dir, r) = generate_fleet_client(&[
        "--base-url",
        "https://fleet.example/odata",
        "--client-name",
        "Fleet",
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let builders = std::fs::read_to_string(_dir.path().join("client/src/builders.rs")).unwrap();
    assert!(builders.contains("pub struct Fleet {"), "{builders}");

    for (args, message) in [
        (
            [
                "--base-url",
                "https://fleet.example",
                "--client-name",
                "fleet-client",
            ],
            "is not a Rust type name",
        ),
        (
            [
                "--base-url",
                "fleet.example/odata",
                "--client-name",
                "Fleet",
            ],
            "must start with `https://` or `http://`",
        ),
        (
            [
                "--base-url",
                "https://me:pw@fleet.example",
                "--client-name",
                "Fleet",
            ],
            "carries credentials",
        ),
    ] {
        let (dir, r) = generate_fleet_client(&args);
        assert_eq!(r.code, Some(1), "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(message), "{args:?}: {}", r.stderr);
        assert!(!dir.path().join("models").exists(), "{args:?}");
    }
    // Client settings without a client crate are a usage error.
    let (_dir, r) = generate_fleet(false, &["--base-url", "https://fleet.example"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
}

#[test]
fn graph_clients_default_to_graph_v1() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(cli()
        .arg("-q")
        .arg("generate")
        .arg("--input")
        .arg(workspace_root().join("specs/graph-v1.0.sync.csdl.xml"))
        .arg("--out")
        .arg(dir.path().join("models"))
        .arg("--client-out")
        .arg(dir.path().join("client")));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let builders = std::fs::read_to_string(dir.path().join("client/src/builders.rs")).unwrap();
    assert!(
        builders.contains("DEFAULT_BASE_URL: &'static str = \"https://graph.microsoft.com/v1.0\";"),
        "{builders}"
    );
    assert!(builders.contains("pub struct GraphClient {"));
}

#[test]
fn cli_writes_what_the_generator_writes() {
    let root = workspace_root();
    let dir = tempfile::tempdir().unwrap();
    let input = root.join("specs/graph-beta.sync.csdl.xml");
    // An override file of the user's own, on top of the built-in Graph fixes.
    let overrides_file = dir.path().join("overrides.toml");
    std::fs::write(
        &overrides_file,
        "[[update_method]]\ntarget = \"microsoft.graph.synchronizationJob\"\nmethod = \"PUT\"\nreason = \"test\"\n",
    )
    .unwrap();
    for verbosity in ["-q", "-v"] {
        let cli_out = dir.path().join(format!("cli{verbosity}"));
        let r = run(cli()
            .arg(verbosity)
            .arg("generate")
            .arg("--input")
            .arg(&input)
            .arg("--out")
            .arg(&cli_out)
            .arg("--overrides")
            .arg(&overrides_file)
            .args(["--crate-name", "sync-models"]));
        assert_eq!(r.code, Some(0), "{}", r.stderr);

        let lib_out = dir.path().join("lib");
        Generator::new(&input)
            .overrides(&overrides_file)
            .crate_name("sync-models")
            .generate()
            .unwrap()
            .write_models(&lib_out)
            .unwrap();
        let (cli_tree, lib_tree) = (tree(&cli_out), tree(&lib_out));
        assert_eq!(
            cli_tree.keys().collect::<Vec<_>>(),
            lib_tree.keys().collect::<Vec<_>>()
        );
        // The same files, but for the regeneration command in headers: the CLI records the
        // command line it ran.
        let (cli_plain, lib_plain) = (without_command(&cli_tree), without_command(&lib_tree));
        for (path, contents) in &lib_plain {
            assert!(cli_plain[path] == *contents, "{path} differs");
        }
        let manifest = String::from_utf8_lossy(&cli_tree["Cargo.toml"]).into_owned();
        assert!(
            manifest.contains("# Regenerate: csdl-codegen"),
            "{manifest}"
        );
        assert!(
            manifest.contains("--input specs/graph-beta.sync.csdl.xml"),
            "the command names the input as typed, relative: {manifest}"
        );
        assert!(
            !manifest.contains(&dir.path().display().to_string()),
            "{manifest}"
        );
    }
}

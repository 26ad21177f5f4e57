//! The generator owns only what it wrote: no run of the CLI or the library deletes a file
//! that an earlier run did not write, models and client are written together or not at
//! all, and `--check` writes nothing.

use std::path::{Path, PathBuf};
use std::process::Command;

use csdl_codegen::write::{self, Target, MANIFEST};
use csdl_codegen::{ErrorKind, Generator, OutputFile, WriteMode};

mod support;
use support::{as_tree, entries, previous_tree, tree};

const DOCUMENT: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="Contoso.Ledger" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="account">
        <Key><PropertyRef Name="id"/></Key>
        <Property Name="id" Type="Edm.String" Nullable="false"/>
        <Property Name="balance" Type="Edm.Decimal"/>
      </EntityType>
      <EntityContainer Name="Ledger">
        <EntitySet Name="accounts" EntityType="Contoso.Ledger.account"/>
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;

struct Dir {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    input: PathBuf,
}

fn setup() -> Dir {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().to_path_buf();
    let input = root.join("ledger.csdl.xml");
    std::fs::write(&input, DOCUMENT).unwrap();
    Dir {
        _tmp: tmp,
        root,
        input,
    }
}

/// Runs `csdl-codegen generate --input <input> --all <args>` in `dir`; (exit code, stderr).
fn generate(d: &Dir, args: &[&str]) -> (Option<i32>, String) {
    // The ledger is not Graph: its client needs a service root.
    let base_url: &[&str] = if args.contains(&"--client-out") {
        &["--base-url", "https://ledger.example/odata"]
    } else {
        &[]
    };
    let output = Command::new(env!("CARGO_BIN_EXE_csdl-codegen"))
        .current_dir(&d.root)
        .args(["generate", "--all", "--input"])
        .arg(&d.input)
        .args(args)
        .args(base_url)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn write_file(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn a_directory_with_a_users_file_is_refused_and_kept() {
    let d = setup();
    write_file(&d.root.join("mydir/notes.txt"), "my notes\n");
    let before = tree(&d.root.join("mydir"));
    let (code, stderr) = generate(&d, &["--out", "mydir"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("notes.txt"), "names the file: {stderr}");
    assert!(stderr.contains("--force"), "names the way out: {stderr}");
    assert!(stderr.contains("mydir"), "names the user's path: {stderr}");
    assert!(tree(&d.root.join("mydir")) == before);
    assert_eq!(entries(&d.root), ["ledger.csdl.xml", "mydir"]);
}

#[test]
fn a_cargo_project_with_git_is_refused_and_kept() {
    let d = setup();
    let proj = d.root.join("proj");
    write_file(&proj.join("Cargo.toml"), "[package]\nname = \"proj\"\n");
    write_file(&proj.join("src/main.rs"), "fn main() {}\n");
    write_file(&proj.join(".git/HEAD"), "ref: refs/heads/main\n");
    for i in 0..12 {
        write_file(&proj.join(format!(".git/objects/{i:02}")), "object\n");
    }
    let before = tree(&proj);
    let (code, stderr) = generate(&d, &["--out", "proj"]);
    assert_eq!(code, Some(1), "{stderr}");
    // Top-level entries are named once each, not every file of `.git`.
    assert!(stderr.contains(".git/"), "{stderr}");
    assert!(stderr.contains("src/"), "{stderr}");
    assert!(stderr.contains("Cargo.toml"), "{stderr}");
    assert!(!stderr.contains("objects"), "{stderr}");
    assert!(tree(&proj) == before, "the project changed");
}

#[test]
fn a_users_file_inside_an_earlier_output_is_refused_then_forced() {
    let d = setup();
    let (code, stderr) = generate(&d, &["--out", "models"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(d.root.join("models").join(MANIFEST).is_file());
    // Regenerating over its own output is fine.
    let (code, stderr) = generate(&d, &["--out", "models"]);
    assert_eq!(code, Some(0), "{stderr}");

    write_file(&d.root.join("models/src/extra.rs"), "// mine\n");
    let before = tree(&d.root.join("models"));
    let (code, stderr) = generate(&d, &["--out", "models"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("src/extra.rs"), "{stderr}");
    assert!(stderr.contains(MANIFEST), "{stderr}");
    assert!(tree(&d.root.join("models")) == before);

    let (code, stderr) = generate(&d, &["--out", "models", "--force"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!d.root.join("models/src/extra.rs").exists());
    assert_eq!(entries(&d.root), ["ledger.csdl.xml", "models"]);
}

#[test]
fn a_manifest_does_not_vouch_for_files_it_does_not_list() {
    // A hand-made manifest listing nothing, or garbage, owns nothing.
    let d = setup();
    for manifest in ["files = []\n", "not toml at all [[[\n"] {
        write_file(&d.root.join("out").join(MANIFEST), manifest);
        write_file(&d.root.join("out/keep.rs"), "// mine\n");
        let (code, stderr) = generate(&d, &["--out", "out"]);
        assert_eq!(code, Some(1), "{stderr}");
        assert!(d.root.join("out/keep.rs").exists());
    }
}

#[test]
fn an_empty_directory_or_one_with_empty_folders_is_used() {
    let d = setup();
    std::fs::create_dir_all(d.root.join("out/empty/deeper")).unwrap();
    let (code, stderr) = generate(&d, &["--out", "out"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(d.root.join("out/Cargo.toml").is_file());
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_in_the_output_is_foreign() {
    let d = setup();
    let (code, _) = generate(&d, &["--out", "out"]);
    assert_eq!(code, Some(0));
    write_file(&d.root.join("elsewhere/data.txt"), "precious\n");
    std::os::unix::fs::symlink(d.root.join("elsewhere"), d.root.join("out/link")).unwrap();
    let (code, stderr) = generate(&d, &["--out", "out"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("link"), "{stderr}");
    // Even when forced, the link's target is not followed.
    let (code, stderr) = generate(&d, &["--out", "out", "--force"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(d.root.join("elsewhere/data.txt")).unwrap(),
        "precious\n"
    );
}

#[test]
fn a_client_out_that_is_a_file_leaves_out_untouched() {
    let d = setup();
    let models = d.root.join("models");
    let before = previous_tree(&models);
    write_file(&d.root.join("afile"), "a file\n");
    let (code, stderr) = generate(&d, &["--out", "models", "--client-out", "afile"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("afile"), "{stderr}");
    assert!(tree(&models) == before, "--out changed");
    assert_eq!(
        std::fs::read_to_string(d.root.join("afile")).unwrap(),
        "a file\n"
    );
    assert_eq!(entries(&d.root), ["afile", "ledger.csdl.xml", "models"]);
}

#[test]
fn an_output_below_a_file_names_the_file() {
    let d = setup();
    write_file(&d.root.join("afile"), "a file\n");
    let (code, stderr) = generate(&d, &["--out", "afile/sub"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("`afile` is a file"),
        "says what is wrong: {stderr}"
    );
    assert!(!stderr.contains("os error"), "{stderr}");
}

#[test]
fn overlapping_outputs_are_refused() {
    let d = setup();
    for (out, client) in [
        ("x", "x"),
        ("x", "x/client"),
        ("x/models", "x"),
        ("x", "./y/../x"),
    ] {
        let (code, stderr) = generate(&d, &["--out", out, "--client-out", client]);
        assert_eq!(code, Some(1), "{out} {client}: {stderr}");
        assert!(stderr.contains("overlap"), "{stderr}");
        assert_eq!(entries(&d.root), ["ledger.csdl.xml"], "{out} {client}");
    }
    // Siblings with a common prefix are not nested.
    let (code, stderr) = generate(&d, &["--out", "x", "--client-out", "x-client"]);
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn models_and_client_are_written_together_or_not_at_all() {
    let d = setup();
    let (models, client) = (d.root.join("models"), d.root.join("client"));
    let before_models = previous_tree(&models);
    // The client's files fail half way (`src/x` is a file, then a directory).
    let good = [OutputFile::new("src/lib.rs", "// new models\n")];
    let mut bad: Vec<OutputFile> = (0..20)
        .map(|i| OutputFile::new(format!("src/m{i}.rs"), "// m\n"))
        .collect();
    bad.push(OutputFile::new("src/x", "file\n"));
    bad.push(OutputFile::new("src/x/y.rs", "// y\n"));
    let targets = [
        Target {
            dir: &models,
            files: &good,
        },
        Target {
            dir: &client,
            files: &bad,
        },
    ];
    let err = write::write_trees(&targets, WriteMode::OwnOutputOnly).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Io, "{err}");
    // The error names the file as the user sees it, never the staging directory.
    let file = err.file.clone().unwrap();
    assert!(file.starts_with(&client), "{}", file.display());
    assert!(!err.to_string().contains(".client.new"), "{err}");
    assert!(tree(&models) == before_models, "models were swapped alone");
    assert!(!client.exists());
    assert_eq!(entries(&d.root), ["ledger.csdl.xml", "models"]);

    // Both succeed together.
    let ok = [OutputFile::new("src/lib.rs", "// client\n")];
    let targets = [
        Target {
            dir: &models,
            files: &good,
        },
        Target {
            dir: &client,
            files: &ok,
        },
    ];
    write::write_trees(&targets, WriteMode::OwnOutputOnly).unwrap();
    assert!(tree(&models) == as_tree(&good));
    assert!(tree(&client) == as_tree(&ok));
}

#[test]
fn the_library_refuses_foreign_files_too() {
    let d = setup();
    let out = d.root.join("out");
    write_file(&out.join("notes.txt"), "mine\n");
    let output = Generator::new(&d.input).all(true).generate().unwrap();
    let err = output.write_models(&out).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Config, "{err}");
    assert!(err.to_string().contains("notes.txt"), "{err}");
    assert!(err.to_string().contains("WriteMode::Force"), "{err}");
    assert!(out.join("notes.txt").exists());
    output.write(&out, None, WriteMode::Force).unwrap();
    assert!(tree(&out) == as_tree(&output.models));
}

#[test]
fn check_compares_without_writing() {
    let d = setup();
    // Nothing there yet: differs, and nothing is created.
    let (code, stderr) = generate(&d, &["--out", "m", "--client-out", "c", "--check"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("missing:"), "{stderr}");
    assert_eq!(entries(&d.root), ["ledger.csdl.xml"]);

    let (code, stderr) = generate(&d, &["--out", "m", "--client-out", "c"]);
    assert_eq!(code, Some(0), "{stderr}");
    let (code, stderr) = generate(&d, &["--out", "m", "--client-out", "c", "--check"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("up to date"), "{stderr}");

    write_file(&d.root.join("c/src/extra.rs"), "// mine\n");
    std::fs::write(d.root.join("m/Cargo.toml"), "# edited\n").unwrap();
    let before = (tree(&d.root.join("m")), tree(&d.root.join("c")));
    let (code, stderr) = generate(&d, &["--out", "m", "--client-out", "c", "--check"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("not generated: c/src/extra.rs"), "{stderr}");
    assert!(stderr.contains("changed: m/Cargo.toml"), "{stderr}");
    assert!(before == (tree(&d.root.join("m")), tree(&d.root.join("c"))));
}

#[test]
fn the_manifest_lists_every_file_sorted() {
    let files = [
        OutputFile::new("src/b.rs", ""),
        OutputFile::new("Cargo.toml", ""),
        OutputFile::new("src/\"odd\".rs", ""),
    ];
    let text = write::manifest(&files);
    let parsed: toml::Value = toml::from_str(&text).unwrap();
    let listed: Vec<&str> = parsed["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(listed, ["Cargo.toml", "src/\"odd\".rs", "src/b.rs"]);
}

#[cfg(unix)]
#[test]
fn an_output_that_is_a_symbolic_link_is_refused() {
    let d = setup();
    std::fs::create_dir_all(d.root.join("real")).unwrap();
    std::os::unix::fs::symlink(d.root.join("real"), d.root.join("link")).unwrap();
    let (code, stderr) = generate(&d, &["--out", "link"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("symbolic link"), "{stderr}");
    assert!(std::fs::symlink_metadata(d.root.join("link"))
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn generate_into_streams_the_same_tree_that_generate_then_write_gives() {
    let d = setup();
    let generator = Generator::new(&d.input)
        .all(true)
        .crate_name("ledger-models")
        .client(csdl_codegen::ClientInfo::new(
            "https://ledger.example/odata",
        ));
    let in_memory = generator.generate().unwrap();
    let (models, client) = (d.root.join("models"), d.root.join("client"));
    let report = generator
        .generate_into(&models, Some(&client), WriteMode::OwnOutputOnly)
        .unwrap();
    assert_eq!(tree(&models), as_tree(&in_memory.models));
    assert_eq!(tree(&client), as_tree(&in_memory.client));
    assert_eq!(report.counts, in_memory.counts);
    assert_eq!(report.warnings, in_memory.warnings);
}

#[test]
fn generate_into_refuses_a_foreign_directory_before_reading_the_input() {
    let d = setup();
    let models = d.root.join("models");
    write_file(&models.join("notes.md"), "mine");
    // The input does not exist: the ownership error must come first.
    let err = Generator::new(d.root.join("missing.xml"))
        .all(true)
        .generate_into(&models, None, WriteMode::OwnOutputOnly)
        .unwrap_err();
    assert!(err.to_string().contains("notes.md"), "{err}");
    assert_eq!(entries(&models), ["notes.md"]);
}

#[test]
fn generate_into_needs_a_client_directory_exactly_when_a_client_is_set() {
    let d = setup();
    let models = d.root.join("models");
    let with_client = Generator::new(&d.input)
        .all(true)
        .client(csdl_codegen::ClientInfo::default());
    let err = with_client
        .generate_into(&models, None, WriteMode::OwnOutputOnly)
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Config, "{err}");
    assert!(!models.exists());
}

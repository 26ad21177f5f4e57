//! Helpers shared by the generator's integration tests (each test file includes this module
//! with `mod support;`, so not every file uses every helper).
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use csdl_codegen::write::{manifest, MANIFEST};
use csdl_codegen::OutputFile;

/// The workspace root (the generator crate's parent directory).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the generator crate lives in the workspace")
        .to_path_buf()
}

/// The roots of the synchronization crates, from the list xtask's jobs read
/// (`specs/synchronization.roots`), so tests check the selection the crates are made of.
pub fn sync_roots() -> Vec<csdl_codegen::Root> {
    let path = workspace_root().join("specs/synchronization.roots");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(csdl_codegen::Root::parse)
        .collect()
}

/// The text of the generated file at `path` (relative to its crate).
pub fn file<'a>(files: &'a [OutputFile], path: &str) -> &'a str {
    &files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} was not generated"))
        .contents
}

/// Every file under `dir`, by `/`-separated relative path.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().to_string_lossy();
                out.insert(rel.replace('\\', "/"), std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// The tree that writing `files` produces: the files and their manifest.
pub fn as_tree(files: &[OutputFile]) -> BTreeMap<String, Vec<u8>> {
    let mut tree: BTreeMap<String, Vec<u8>> = files
        .iter()
        .map(|f| (f.path.clone(), f.contents.clone().into_bytes()))
        .collect();
    tree.insert(MANIFEST.to_string(), manifest(files).into_bytes());
    tree
}

/// Entry names directly in `dir`, sorted.
pub fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Writes `files` and their manifest into `dir` directly, as an earlier run of the generator
/// left them, and returns the tree.
pub fn earlier_output(dir: &Path, files: &[OutputFile]) -> BTreeMap<String, Vec<u8>> {
    for file in files {
        let path = dir.join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &file.contents).unwrap();
    }
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(MANIFEST), manifest(files)).unwrap();
    tree(dir)
}

/// A small earlier output (three files, one nested) for the write tests to protect.
pub fn previous_tree(out: &Path) -> BTreeMap<String, Vec<u8>> {
    earlier_output(
        out,
        &[
            OutputFile::new("Cargo.toml", "# previous run\n"),
            OutputFile::new("src/lib.rs", "// previous lib\n"),
            OutputFile::new("src/nested/marker.txt", "marker\n"),
        ],
    )
}

/// `tree` without the lines that record the regeneration command (the CLI writes the command
/// line it ran, which names its output directory), for comparing outputs of runs that were
/// given different paths.
pub fn without_command(tree: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Vec<u8>> {
    tree.iter()
        .map(|(path, bytes)| {
            let text = String::from_utf8_lossy(bytes);
            let kept: Vec<&str> = text
                .lines()
                .filter(|l| !(l.contains("Regenerate:") || l.contains("regenerate with")))
                .collect();
            (path.clone(), kept.join("\n").into_bytes())
        })
        .collect()
}

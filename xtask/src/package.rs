//! `cargo xtask package`: what `cargo package` of the workspace's published crates needs
//! before it runs.
//!
//! `cargo package` of several workspace crates publishes each into a temporary local
//! registry under the target directory and verifies the dependents against it. Cargo
//! unpacks those `.crate` files into `$CARGO_HOME/registry/src/-<hash of that registry's
//! path>/<name>-<version>/` and, like any registry source, never unpacks a version it
//! has unpacked before. Our crates keep their version while their API changes, so a
//! second run from the same checkout path (a CI machine reusing its clone's directory)
//! verified the generated crates against the runtime of an older commit and failed with
//! hundreds of errors that the commit itself did not have. Removing our own crates'
//! unpacked copies before each run makes Cargo unpack the fresh ones.

use std::path::{Path, PathBuf};

/// The crates that would be published, in dependency order.
pub const PUBLISHED: &[&str] = &[
    "graph-odata-runtime",
    "csdl-codegen",
    "graph-synchronization-models",
    "graph-synchronization-beta-models",
    "graph-synchronization-client",
    "graph-synchronization-beta-client",
    "graph-sdk-models",
    "graph-sdk-beta-models",
    "graph-sdk",
    "graph-sdk-beta",
];

/// [`PUBLISHED`] with the part crates of each split models crate
/// (`generated/<crate>/parts/<part>/`, named in their manifests) before the crate that
/// re-exports them.
pub fn published_with_parts(root: &Path) -> std::io::Result<Vec<String>> {
    let mut out = Vec::new();
    for krate in PUBLISHED {
        let parts = root.join("generated").join(krate).join("parts");
        let mut found = Vec::new();
        match std::fs::read_dir(&parts) {
            Ok(entries) => {
                for entry in entries {
                    let entry = entry?;
                    if !entry.file_type()?.is_dir() {
                        continue;
                    }
                    let manifest = entry.path().join("Cargo.toml");
                    let text = std::fs::read_to_string(&manifest)?;
                    let name = text
                        .lines()
                        .find_map(|l| l.strip_prefix("name = \""))
                        .and_then(|rest| rest.strip_suffix('"'))
                        .ok_or_else(|| {
                            std::io::Error::other(format!(
                                "{} names no package",
                                manifest.display()
                            ))
                        })?;
                    found.push(name.to_string());
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        // part-2 before part-10.
        found.sort_by_key(|name| {
            let number = name
                .rsplit('-')
                .next()
                .and_then(|n| n.parse::<usize>().ok());
            (number, name.clone())
        });
        out.extend(found);
        out.push(krate.to_string());
    }
    Ok(out)
}

/// Cargo's home: `$CARGO_HOME`, else `~/.cargo`.
pub fn cargo_home() -> Option<PathBuf> {
    if let Some(home) = std::env::var_os("CARGO_HOME").filter(|h| !h.is_empty()) {
        return Some(PathBuf::from(home));
    }
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|h| PathBuf::from(h).join(".cargo"))
}

/// Removes the unpacked copies of `crates` that local registries left in
/// `cargo_home/registry/src`, and returns what it removed.
///
/// Only local registries are touched: their directories are named `-<hash>` (no host),
/// unlike `index.crates.io-<hash>`. Within them only `<crate>-<version>` directories of
/// the given crates go; the version must start with a digit, so that
/// `graph-synchronization-models` does not also take `graph-synchronization-models-extra-1.0.0`.
pub fn forget_unpacked(cargo_home: &Path, crates: &[&str]) -> std::io::Result<Vec<PathBuf>> {
    let src = cargo_home.join("registry").join("src");
    let mut removed = Vec::new();
    let registries = match std::fs::read_dir(&src) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(removed),
        Err(e) => return Err(e),
    };
    for registry in registries {
        let registry = registry?;
        let is_local = registry.file_name().to_string_lossy().starts_with('-');
        if !is_local || !registry.file_type()?.is_dir() {
            continue;
        }
        for unpacked in std::fs::read_dir(registry.path())? {
            let unpacked = unpacked?;
            let name = unpacked.file_name();
            let name = name.to_string_lossy();
            let ours = crates.iter().any(|krate| {
                name.strip_prefix(krate)
                    .and_then(|rest| rest.strip_prefix('-'))
                    .is_some_and(|version| version.starts_with(|c: char| c.is_ascii_digit()))
            });
            if ours && unpacked.file_type()?.is_dir() {
                std::fs::remove_dir_all(unpacked.path())?;
                removed.push(unpacked.path());
            }
        }
    }
    removed.sort();
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(path: &Path) {
        std::fs::create_dir_all(path).unwrap();
        std::fs::write(path.join(".cargo-ok"), "{\"v\":1}").unwrap();
    }

    #[test]
    fn removes_only_our_crates_from_local_registries() {
        let home = std::env::temp_dir().join(format!("xtask-package-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&home);
        let src = home.join("registry/src");
        let local = src.join("-22c3805da5a543b4");
        let crates_io = src.join("index.crates.io-1949cf8c6b5b557f");
        dir(&local.join("graph-odata-runtime-0.1.0"));
        dir(&local.join("graph-synchronization-models-0.1.0+graph.v1.0.2026-08-04"));
        dir(&local.join("graph-synchronization-models-extra-1.0.0"));
        dir(&local.join("serde-1.0.228"));
        dir(&crates_io.join("graph-odata-runtime-0.1.0"));

        let removed = forget_unpacked(&home, PUBLISHED).unwrap();

        assert_eq!(
            removed,
            vec![
                local.join("graph-odata-runtime-0.1.0"),
                local.join("graph-synchronization-models-0.1.0+graph.v1.0.2026-08-04"),
            ]
        );
        assert!(local
            .join("graph-synchronization-models-extra-1.0.0")
            .exists());
        assert!(local.join("serde-1.0.228").exists());
        assert!(crates_io.join("graph-odata-runtime-0.1.0").exists());
        std::fs::remove_dir_all(&home).unwrap();
    }

    #[test]
    fn a_home_without_registry_is_fine() {
        let home = std::env::temp_dir().join(format!("xtask-package-none-{}", std::process::id()));
        assert_eq!(
            forget_unpacked(&home, PUBLISHED).unwrap(),
            Vec::<PathBuf>::new()
        );
    }

    /// Part crates come from their manifests, in number order, before the crate that
    /// re-exports them; crates without parts stay as they are.
    #[test]
    fn parts_are_packaged_before_their_crate() {
        let root = std::env::temp_dir().join(format!("xtask-parts-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for n in [1, 2, 10] {
            let part = root.join(format!("generated/graph-sdk-models/parts/part-{n}"));
            dir(&part);
            std::fs::write(
                part.join("Cargo.toml"),
                format!("[package]\nname = \"graph-sdk-models-part-{n}\"\n"),
            )
            .unwrap();
        }
        let all = published_with_parts(&root).unwrap();
        let at = |name: &str| all.iter().position(|c| c == name).unwrap();
        assert_eq!(all.len(), PUBLISHED.len() + 3);
        assert!(at("graph-sdk-models-part-1") < at("graph-sdk-models-part-2"));
        assert!(at("graph-sdk-models-part-2") < at("graph-sdk-models-part-10"));
        assert_eq!(at("graph-sdk-models-part-10") + 1, at("graph-sdk-models"));
        std::fs::write(
            root.join("generated/graph-sdk-models/parts/part-2/Cargo.toml"),
            "[package]\n",
        )
        .unwrap();
        assert!(
            published_with_parts(&root).is_err(),
            "a part without a name"
        );
        std::fs::remove_dir_all(&root).unwrap();
    }
}

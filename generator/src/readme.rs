//! Hand-written README text for generated crates ([`Generator::readme_intro`]).
//!
//! A generated README says only what the generator knows: the metadata file, the number of
//! types, how to build a request. A project that publishes the crates says what they are
//! for in a Markdown file of its own; the generator puts it under the crate's title instead
//! of the generic text. Several files for one crate are joined in order (a text shared by
//! two crates, then a paragraph for one of them).
//!
//! Code blocks of the text become doctests of the crate (its `lib.rs` includes the README),
//! so they must compile against the generated API. A file shared by crates with different
//! names names them by placeholder:
//!
//! | placeholder | becomes (for `graph-synchronization-client`) |
//! | --- | --- |
//! | `{{models_crate}}` | the models crate's package name, `graph-synchronization-models` |
//! | `{{models_path}}` | its Rust name, `graph_synchronization_models` |
//! | `{{client_crate}}` | the client crate's package name, `graph-synchronization-client` |
//! | `{{client_path}}` | its Rust name, `graph_synchronization_client` |
//! | `{{version}}` | the version of the generated crates, `0.1.0+graph.v1.0.2026-08-04` |
//! | `{{version_req}}` | the requirement a user writes in `Cargo.toml` for it, `0.1` |
//!
//! Any other `{{...}}` is an error, and so are the client placeholders when no client crate
//! is generated.
//!
//! [`Generator::readme_intro`]: crate::Generator::readme_intro

use crate::error::{Error, ErrorKind, Result};

/// Which of the generated crates a setting is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CrateKind {
    /// The models crate (serde types).
    Models,
    /// The client crate (request builders), generated when [`Generator::client`] is set.
    ///
    /// [`Generator::client`]: crate::Generator::client
    Client,
}

/// The names the placeholders stand for.
pub(crate) struct Names<'a> {
    pub models_crate: &'a str,
    pub client_crate: Option<&'a str>,
    pub version: &'a str,
}

/// The README texts of both crates, placeholders filled in (`None`: the generic text).
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct ReadmeTexts {
    /// The models crate's text.
    pub models: Option<String>,
    /// The client crate's text.
    pub client: Option<String>,
}

impl ReadmeTexts {
    /// Reads the files given for each crate, in order, and fills in the placeholders.
    pub(crate) fn read(files: &[(CrateKind, std::path::PathBuf)], names: &Names) -> Result<Self> {
        let mut texts = ReadmeTexts::default();
        for (kind, path) in files {
            if *kind == CrateKind::Client && names.client_crate.is_none() {
                return Err(Error::new(
                    ErrorKind::Config,
                    "a README text for the client crate was given, but no client crate is generated (Generator::client)",
                )
                .in_file(path));
            }
            let raw = std::fs::read_to_string(path).map_err(|e| Error::io(path, &e))?;
            let text = fill(&raw, names).map_err(|e| e.in_file(path))?;
            let slot = match kind {
                CrateKind::Models => &mut texts.models,
                CrateKind::Client => &mut texts.client,
            };
            match slot {
                Some(done) => {
                    done.push_str("\n\n");
                    done.push_str(text.trim());
                }
                None => *slot = Some(text.trim().to_string()),
            }
        }
        Ok(texts)
    }
}

/// Replaces the placeholders of `text`.
fn fill(text: &str, names: &Names) -> Result<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or_else(|| {
            Error::new(
                ErrorKind::Config,
                "a `{{` placeholder is not closed with `}}`",
            )
        })?;
        let name = after[..end].trim();
        let path = |krate: &str| krate.replace('-', "_");
        let value = match name {
            "models_crate" => names.models_crate.to_string(),
            "models_path" => path(names.models_crate),
            "client_crate" | "client_path" => {
                let client = names.client_crate.ok_or_else(|| {
                    Error::new(
                        ErrorKind::Config,
                        format!("`{{{{{name}}}}}` needs a client crate (Generator::client)"),
                    )
                })?;
                if name == "client_crate" {
                    client.to_string()
                } else {
                    path(client)
                }
            }
            "version" => names.version.to_string(),
            "version_req" => version_req(names.version),
            other => {
                return Err(Error::new(
                    ErrorKind::Config,
                    format!(
                        "unknown README placeholder `{{{{{other}}}}}`; known: models_crate, models_path, client_crate, client_path, version, version_req"
                    ),
                ))
            }
        };
        out.push_str(&value);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// `major.minor` of a version (build metadata and pre-release dropped), the usual caret
/// requirement.
fn version_req(version: &str) -> String {
    let core = version.split(['+', '-']).next().unwrap_or(version);
    core.split('.').take(2).collect::<Vec<_>>().join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(client: Option<&'static str>) -> Names<'static> {
        Names {
            models_crate: "a-models",
            client_crate: client,
            version: "1.0.0",
        }
    }

    #[test]
    fn placeholders_are_filled() {
        let text = "use {{client_path}}::X; // {{ client_crate }} on {{models_crate}} ({{models_path}}) {{version}}";
        assert_eq!(
            fill(text, &names(Some("a-client"))).unwrap(),
            "use a_client::X; // a-client on a-models (a_models) 1.0.0"
        );
    }

    #[test]
    fn unknown_or_unavailable_placeholders_are_errors() {
        let e = fill("{{crate}}", &names(None)).unwrap_err().to_string();
        assert!(e.contains("unknown README placeholder `{{crate}}`"), "{e}");
        let e = fill("{{client_path}}", &names(None))
            .unwrap_err()
            .to_string();
        assert!(e.contains("needs a client crate"), "{e}");
        assert!(fill("{{version", &names(None)).is_err());
    }

    #[test]
    fn version_requirements_drop_metadata_and_patch() {
        assert_eq!(version_req("0.1.0+graph.beta-usnat.2026-08-05"), "0.1");
        assert_eq!(version_req("1.2.3-rc.1"), "1.2");
        assert_eq!(version_req("2"), "2");
    }
}

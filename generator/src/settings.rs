//! Typed settings of the generated crates: where their dependencies come from, and what the
//! client crate is called.

/// Where a generated crate finds one of its dependencies; written into the crate's
/// `Cargo.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dependency {
    /// A version requirement on crates.io, such as `0.1`.
    Version(String),
    /// A local directory, as written into the manifest (a relative path is relative to the
    /// generated crate), and the version requirement that publishing needs.
    Path {
        /// The directory.
        path: String,
        /// The version requirement on crates.io, for publishing.
        version: Option<String>,
    },
    /// A git repository, at a branch, tag or commit.
    Git {
        /// The repository URL.
        url: String,
        /// The commit (`rev`); the default branch when `None`.
        rev: Option<String>,
    },
}

impl Dependency {
    /// A version requirement on crates.io.
    pub fn version(requirement: impl Into<String>) -> Self {
        Dependency::Version(requirement.into())
    }

    /// A local directory, without a version.
    pub fn path(path: impl Into<String>) -> Self {
        Dependency::Path {
            path: path.into(),
            version: None,
        }
    }

    /// The manifest line `name = ...` for this dependency, with `extra` keys (values already
    /// TOML, such as `false` or `["derive"]`) after the source.
    pub(crate) fn manifest_line(&self, name: &str, extra: &[(&str, &str)]) -> String {
        let mut keys: Vec<(&str, String)> = match self {
            Dependency::Version(v) if extra.is_empty() => {
                return format!("{name} = {}", toml_str(v));
            }
            Dependency::Version(v) => vec![("version", toml_str(v))],
            Dependency::Path { path, version } => {
                let mut keys = vec![("path", toml_str(path))];
                keys.extend(version.iter().map(|v| ("version", toml_str(v))));
                keys
            }
            Dependency::Git { url, rev } => {
                let mut keys = vec![("git", toml_str(url))];
                keys.extend(rev.iter().map(|r| ("rev", toml_str(r))));
                keys
            }
        };
        keys.extend(extra.iter().map(|(k, v)| (*k, v.to_string())));
        let table: Vec<String> = keys.iter().map(|(k, v)| format!("{k} = {v}")).collect();
        format!("{name} = {{ {} }}", table.join(", "))
    }
}

/// A TOML basic string holding exactly `s`: quotes, backslashes and control characters
/// are escaped (manifests and the ownership list of written files use it).
pub(crate) fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Settings of the client crate ([`crate::Generator::client`]). Every field has a default.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    /// Cargo package name; `<models crate>-client` when empty.
    pub crate_name: String,
    /// Name of the entry-point type; `GraphClient` when `None`.
    pub client_name: Option<String>,
    /// Where the client finds the models crate; by default the models crate's own version
    /// on crates.io.
    pub models: Option<Dependency>,
    /// Where the client finds `graph-odata-runtime`, when not where the models crate does
    /// ([`crate::Generator::runtime`]); a relative path differs when the crates are not
    /// siblings.
    pub runtime: Option<Dependency>,
    /// Default service root, e.g. `https://graph.microsoft.com/v1.0`.
    pub base_url: String,
    /// Hand-written examples copied into `examples/`: `(file name, source)`. They (like a
    /// hand-written client README) get `tokio` and `futures-util` as dev-dependencies.
    pub examples: Vec<(String, String)>,
}

impl ClientInfo {
    /// The entry-point type's name.
    pub fn client_ident(&self) -> &str {
        self.client_name.as_deref().unwrap_or("GraphClient")
    }
}

#[cfg(test)]
mod tests {
    use super::{toml_str, Dependency};

    #[test]
    fn toml_strings_read_back_exactly() {
        for text in [
            "plain",
            "a \"quote\" and \\ back",
            "tab\tnew\nline",
            "bell\u{7}del\u{7f}c1\u{85}",
            "ünïcode",
        ] {
            let doc = format!("x = {}", toml_str(text));
            let read: std::collections::BTreeMap<String, String> =
                toml::from_str(&doc).unwrap_or_else(|e| panic!("{doc}: {e}"));
            assert_eq!(read["x"], text, "{doc}");
        }
    }

    #[test]
    fn manifest_lines() {
        assert_eq!(
            Dependency::version("1").manifest_line("serde_json", &[]),
            r#"serde_json = "1""#
        );
        assert_eq!(
            Dependency::version("1").manifest_line("serde", &[("features", r#"["derive"]"#)]),
            r#"serde = { version = "1", features = ["derive"] }"#
        );
        let path = Dependency::Path {
            path: r"..\odd path".into(),
            version: Some("0.1.0".into()),
        };
        assert_eq!(
            path.manifest_line("rt", &[("default-features", "false")]),
            r#"rt = { path = "..\\odd path", version = "0.1.0", default-features = false }"#
        );
        let git = Dependency::Git {
            url: "https://example.test/r.git".into(),
            rev: Some("abc".into()),
        };
        assert_eq!(
            git.manifest_line("rt", &[]),
            r#"rt = { git = "https://example.test/r.git", rev = "abc" }"#
        );
    }
}

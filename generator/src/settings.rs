//! Typed settings of the generated crates: where their dependencies come from, and what the
//! client crate is called.

/// Where a generated crate finds one of its dependencies; written into the crate's
/// `Cargo.toml`. Made with [`Dependency::version`], [`Dependency::path`],
/// [`Dependency::path_and_version`] or [`Dependency::git`] (more sources and keys may come).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Dependency {
    /// A version requirement on crates.io, such as `0.1`.
    Version(String),
    /// A local directory, as written into the manifest (a relative path is relative to the
    /// generated crate), and the version requirement that publishing needs.
    #[non_exhaustive]
    Path {
        /// The directory.
        path: String,
        /// The version requirement on crates.io, for publishing.
        version: Option<String>,
    },
    /// A git repository, at a branch, tag or commit.
    #[non_exhaustive]
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

    /// A local directory, and the version requirement on crates.io that publishing the
    /// generated crate needs.
    pub fn path_and_version(path: impl Into<String>, version: impl Into<String>) -> Self {
        Dependency::Path {
            path: path.into(),
            version: Some(version.into()),
        }
    }

    /// A git repository at the commit `rev`, or its default branch when `None`.
    pub fn git(url: impl Into<String>, rev: Option<String>) -> Self {
        Dependency::Git {
            url: url.into(),
            rev,
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

/// Settings of the client crate ([`crate::Generator::client`]). Every field has a default,
/// except the base URL of a service other than Microsoft Graph. Made with
/// [`ClientInfo::new`] (or `default()`) and the setters, so that new settings are not a
/// breaking change.
///
/// ```
/// use csdl_codegen::{ClientInfo, Dependency};
///
/// let client = ClientInfo::new("https://services.example.com/odata/v4")
///     .crate_name("sales-client")
///     .client_name("SalesClient")
///     .runtime(Dependency::version("0.1"));
/// assert_eq!(client.crate_name, "sales-client");
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ClientInfo {
    /// Cargo package name; `<models crate>-client` when empty.
    pub crate_name: String,
    /// Name of the entry-point type, a Rust identifier. When `None`: the last segment of the
    /// primary namespace with `Client` (`microsoft.graph` gives `GraphClient`,
    /// `Contoso.Sales` gives `SalesClient`).
    pub client_name: Option<String>,
    /// Where the client finds the models crate; by default the models crate's own version
    /// on crates.io.
    pub models: Option<Dependency>,
    /// Where the client finds `graph-odata-runtime`, when not where the models crate does
    /// ([`crate::Generator::runtime`]); a relative path differs when the crates are not
    /// siblings.
    pub runtime: Option<Dependency>,
    /// Default service root, an `http` or `https` URL such as
    /// `https://graph.microsoft.com/beta`. When empty: [`GRAPH_V1_BASE_URL`] for Microsoft
    /// Graph metadata; other metadata must set it (a CSDL document does not say where its
    /// service is), and generation fails without it.
    pub base_url: String,
    /// Hand-written examples copied into `examples/`. They (like a hand-written client
    /// README) get `tokio` and `futures-util` as dev-dependencies.
    pub examples: Vec<Example>,
}

/// A hand-written example program of the client crate ([`ClientInfo::example`]).
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Example {
    /// The file name in `examples/` (`add_member.rs`); the example's name is its stem.
    pub file_name: String,
    /// The program's text, copied as it is.
    pub source: String,
    /// Features of the client crate the example needs (area features), written as its
    /// `required-features` in the manifest, so that a build without them skips it (and
    /// `cargo run --example` names them) instead of failing to compile it.
    pub required_features: Vec<String>,
}

impl ClientInfo {
    /// Client settings for the service at `base_url` (see [`ClientInfo::base_url`]), every
    /// other setting at its default.
    pub fn new(base_url: impl Into<String>) -> Self {
        ClientInfo::default().base_url(base_url)
    }

    /// The default service root, an `http` or `https` URL (empty: Microsoft Graph's for
    /// its metadata, an error for other metadata).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The Cargo package name (default: `<models crate>-client`).
    pub fn crate_name(mut self, name: impl Into<String>) -> Self {
        self.crate_name = name.into();
        self
    }

    /// The entry type's name (default: the primary namespace's last segment with `Client`).
    pub fn client_name(mut self, name: impl Into<String>) -> Self {
        self.client_name = Some(name.into());
        self
    }

    /// Where the client finds the models crate.
    pub fn models(mut self, dependency: Dependency) -> Self {
        self.models = Some(dependency);
        self
    }

    /// Where the client finds `graph-odata-runtime`, when not where the models crate does.
    pub fn runtime(mut self, dependency: Dependency) -> Self {
        self.runtime = Some(dependency);
        self
    }

    /// Adds a hand-written example, copied into the crate's `examples/<file_name>`.
    pub fn example(self, file_name: impl Into<String>, source: impl Into<String>) -> Self {
        self.example_requiring(file_name, source, Vec::<String>::new())
    }

    /// Adds a hand-written example that compiles only with some of the client's features
    /// (area features, [`crate::Generator::area_features`]); generation fails when one of
    /// them is not a feature of the client.
    pub fn example_requiring(
        mut self,
        file_name: impl Into<String>,
        source: impl Into<String>,
        features: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        self.examples.push(Example {
            file_name: file_name.into(),
            source: source.into(),
            required_features: features.into_iter().map(Into::into).collect(),
        });
        self
    }
}

/// The service root of Microsoft Graph v1.0, the default base URL for Graph metadata.
pub const GRAPH_V1_BASE_URL: &str = "https://graph.microsoft.com/v1.0";

/// Checks a client's base URL: an `http` or `https` URL with a host, without credentials,
/// query, fragment, spaces or control characters (it becomes a string constant of the
/// generated crate and the origin its tokens are sent to).
pub(crate) fn check_base_url(url: &str) -> crate::Result<()> {
    let problem = if let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    {
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
            Some("it contains spaces or control characters")
        } else if authority.is_empty() {
            Some("it has no host")
        } else if authority.contains('@') {
            Some("it carries credentials (`user@`); give them to the credential instead")
        } else if rest.contains(['?', '#']) {
            Some("a service root has no query or fragment")
        } else {
            None
        }
    } else {
        Some("it must start with `https://` or `http://`")
    };
    match problem {
        None => Ok(()),
        Some(why) => Err(crate::Error::new(
            crate::ErrorKind::Config,
            format!(
                "the client's base URL `{}` is not usable: {why}",
                url.escape_debug()
            ),
        )
        .named(url)),
    }
}

/// Checks a client entry type's name: a Rust identifier, not a keyword.
pub(crate) fn check_client_name(name: &str) -> crate::Result<()> {
    if syn::parse_str::<syn::Ident>(name).is_ok() && !name.starts_with("r#") {
        return Ok(());
    }
    Err(crate::Error::new(
        crate::ErrorKind::Config,
        format!(
            "the client's name `{}` is not a Rust type name (letters, digits and `_`, not a keyword)",
            name.escape_debug()
        ),
    )
    .named(name))
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
    fn base_urls() {
        for good in [
            "https://graph.microsoft.com/v1.0",
            "http://127.0.0.1:8080/odata",
            "https://erp.fabrikam.test/api/data/v9.2/",
            "https://[::1]:443/x",
        ] {
            assert!(super::check_base_url(good).is_ok(), "{good}");
        }
        for (bad, why) in [
            ("", "must start with"),
            ("graph.microsoft.com/v1.0", "must start with"),
            ("ftp://host/x", "must start with"),
            ("https://", "no host"),
            ("https:///path", "no host"),
            ("https://user:secret@host/x", "credentials"),
            ("https://host/x?$format=json", "no query"),
            ("https://host/x#top", "no query"),
            ("https://host/a b", "spaces"),
            (" https://host/x", "must start with"),
            ("https://host/x\n", "control"),
        ] {
            let e = super::check_base_url(bad).unwrap_err();
            assert!(e.message.contains(why), "{bad}: {}", e.message);
        }
    }

    #[test]
    fn client_names() {
        for good in ["GraphClient", "Client", "日本Client", "_Private"] {
            assert!(super::check_client_name(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "my-client",
            "1Client",
            "fn",
            "Self",
            "r#Client",
            "Graph Client",
            "a::B",
        ] {
            assert!(super::check_client_name(bad).is_err(), "{bad}");
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

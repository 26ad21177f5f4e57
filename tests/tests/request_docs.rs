//! Every request method of the synchronization clients says which permissions it needs (or
//! that Microsoft documents none), from the project's docs overlay
//! (`specs/docs/synchronization.toml`).
//!
//! The overlay documents the plain requests of entity sets and navigations (list, get,
//! create, update, replace, delete, count, content) and operations. The only exceptions are
//! the methods of the shared builders (raw content, `$ref` links), whose `HTTP:` lines follow
//! the URL that opened them (`GET ...`): the method that opens one names the permissions.

use std::path::Path;

/// `(HTTP line, whether its doc block names permissions)` for every method of a builders
/// file that sends a request.
fn request_methods(text: &str) -> Vec<(String, bool)> {
    let mut methods = Vec::new();
    let mut doc: Vec<&str> = Vec::new();
    for line in text.lines().map(str::trim) {
        if let Some(d) = line.strip_prefix("///") {
            doc.push(d);
        } else if line.starts_with("pub fn") {
            if let Some(http) = doc.iter().find_map(|d| d.trim().strip_prefix("HTTP: ")) {
                let named = doc
                    .iter()
                    .any(|d| d.contains("Least-privileged permissions"));
                methods.push((http.to_string(), named));
            }
            doc.clear();
        } else if !line.starts_with("#[") {
            doc.clear();
        }
    }
    methods
}

fn is_exception(http: &str) -> bool {
    http.contains(" ...")
}

#[test]
fn every_request_method_names_its_permissions() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for krate in [
        "graph-synchronization-client",
        "graph-synchronization-beta-client",
    ] {
        let path = root.join("generated").join(krate).join("src/builders.rs");
        let text = std::fs::read_to_string(&path).unwrap();
        let methods = request_methods(&text);
        assert!(
            methods.len() > 60,
            "{krate}: only {} methods",
            methods.len()
        );
        let silent: Vec<&str> = methods
            .iter()
            .filter(|(http, named)| !named && !is_exception(http))
            .map(|(http, _)| http.as_str())
            .collect();
        assert!(silent.is_empty(), "{krate}: no permissions on {silent:#?}");
    }
}

#[test]
fn the_scan_sees_a_method_without_permissions() {
    let text = "/// Lists things.\n///\n/// HTTP: `GET /things`\npub fn list(&self) {}\n\
                /// - Least-privileged permissions: delegated none; application none\n\
                /// HTTP: `DELETE /things/{id}`\n#[must_use]\npub fn delete(&self) {}\n";
    assert_eq!(
        request_methods(text),
        [
            ("`GET /things`".to_string(), false),
            ("`DELETE /things/{id}`".to_string(), true)
        ]
    );
}

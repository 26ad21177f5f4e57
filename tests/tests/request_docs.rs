//! Every request method of the synchronization clients says which permissions it needs (or
//! that Microsoft documents none), from the project's docs overlay
//! (`specs/docs/synchronization.toml`).
//!
//! The overlay documents the plain requests of entity sets and navigations (list, get,
//! create, update, replace, delete, count, content) and operations. The only exceptions are
//! the methods of the shared builders (raw content, `$ref` links), whose `HTTP:` lines follow
//! the URL that opened them (`GET ...`): the method that opens one names the permissions.
//!
//! Every request method of the whole-Graph SDKs documents its HTTP request, its success
//! status and what the pinned permissions table (`specs/graph.permissions.tsv`) says of it;
//! the test prints how many name permissions.

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

/// What the docs of one request method of a whole-Graph SDK say.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Facts {
    http: bool,
    success: bool,
    /// Names permissions from the pinned table.
    permissions: bool,
    /// Says the table lists none.
    none_listed: bool,
    /// A shared builder's method, whose permissions follow the URL that opened it.
    shared: bool,
}

/// `(signature, facts)` of every method that returns a `Request<...>` (sends a request).
fn sdk_request_methods(text: &str) -> Vec<(String, Facts)> {
    let mut methods = Vec::new();
    let mut doc: Vec<&str> = Vec::new();
    let mut lines = text.lines().map(str::trim);
    while let Some(line) = lines.next() {
        if let Some(d) = line.strip_prefix("///") {
            doc.push(d);
            continue;
        }
        if line.starts_with("pub fn") {
            // The signature may wrap; it ends at the body's brace.
            let mut signature = line.to_string();
            while !signature.ends_with('{') {
                match lines.next() {
                    Some(more) => signature.push_str(more),
                    None => break,
                }
            }
            if signature.contains("-> Request<") {
                let has = |p: &str| doc.iter().any(|d| d.trim().starts_with(p));
                let facts = Facts {
                    http: has("HTTP: `"),
                    success: has("Success: `") || has("- Success: `"),
                    permissions: has("Permissions (narrowest first):")
                        || has("Permissions (narrowest first; as listed for `")
                        || has("- Least-privileged permissions"),
                    none_listed: has("Permissions: no permission listed"),
                    shared: has("Permissions: those of the URL that opened"),
                };
                methods.push((signature, facts));
            }
            doc.clear();
        } else if line.starts_with("#[") {
            // An attribute (`#[deprecated(...)]` may wrap) keeps the doc block above it.
            let mut attribute = line.to_string();
            while !attribute.ends_with(']') {
                match lines.next() {
                    Some(more) => attribute.push_str(more),
                    None => break,
                }
            }
        } else {
            doc.clear();
        }
    }
    methods
}

#[test]
fn every_request_method_of_the_sdks_documents_its_request_status_and_permissions() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for (krate, least_with_permissions) in [("graph-sdk", 700), ("graph-sdk-beta", 750)] {
        let src = root.join("generated").join(krate).join("src");
        let mut files = vec![src.join("builders.rs")];
        let mut parts: Vec<_> = std::fs::read_dir(src.join("builders"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        parts.sort();
        files.extend(parts);
        let mut methods = Vec::new();
        for path in &files {
            methods.extend(sdk_request_methods(&std::fs::read_to_string(path).unwrap()));
        }
        assert!(
            methods.len() > 4_000,
            "{krate}: only {} methods",
            methods.len()
        );
        let undocumented: Vec<&str> = methods
            .iter()
            .filter(|(_, f)| !f.http || !f.success)
            .map(|(s, _)| s.as_str())
            .take(10)
            .collect();
        assert!(
            undocumented.is_empty(),
            "{krate}: no HTTP or success line: {undocumented:#?}"
        );
        // Every method says something about permissions: names them, says the table lists
        // none, or (a shared builder's) points to the method that opened it.
        let silent: Vec<&str> = methods
            .iter()
            .filter(|(_, f)| {
                [f.permissions, f.none_listed, f.shared]
                    .iter()
                    .filter(|b| **b)
                    .count()
                    != 1
            })
            .map(|(s, _)| s.as_str())
            .take(10)
            .collect();
        assert!(
            silent.is_empty(),
            "{krate}: no single permissions line: {silent:#?}"
        );
        let with = methods.iter().filter(|(_, f)| f.permissions).count();
        let shared = methods.iter().filter(|(_, f)| f.shared).count();
        println!(
            "{krate}: {} request methods, {with} name permissions ({:.1}%), {shared} shared-builder methods",
            methods.len(),
            100.0 * with as f64 / methods.len() as f64
        );
        assert!(
            with >= least_with_permissions,
            "{krate}: only {with} request methods name permissions"
        );
    }
}

#[test]
fn the_sdk_scan_reads_wrapped_signatures_and_each_kind_of_line() {
    let text = "/// HTTP: `GET /a`\n///\n/// Success: `200 OK`.\n///\n/// Permissions (narrowest first): S `P`.\n\
                pub fn get(\n    &self,\n) -> Request<A> {\n}\n\
                /// HTTP: `POST ...`\n/// Success: `204 No Content`.\n/// Permissions: those of the URL that opened this builder (see the method that opened it).\n\
                #[deprecated(\n    note = \"gone\"\n)]\npub fn add(&self) -> Request<()> {\n}\n\
                /// HTTP: `GET /b`\npub fn open(&self) -> BBuilder {\n}\n\
                /// Permissions: no permission listed in the pinned permissions table.\npub fn c(&self) -> Request<()> {\n}\n";
    let facts: Vec<Facts> = sdk_request_methods(text)
        .into_iter()
        .map(|(_, f)| f)
        .collect();
    assert_eq!(
        facts,
        [
            Facts {
                http: true,
                success: true,
                permissions: true,
                ..Facts::default()
            },
            Facts {
                http: true,
                success: true,
                shared: true,
                ..Facts::default()
            },
            Facts {
                none_listed: true,
                ..Facts::default()
            },
        ]
    );
}

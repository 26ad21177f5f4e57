//! A document and the documents it references (`edmx:Reference`), found without a network:
//!
//! 1. a local file: the reference's `Uri` relative to the referencing file, or its file name
//!    (or `<namespace>.xml`) in one of the reference directories the user gives;
//! 2. the standard OASIS vocabularies the generator carries ([`super::vocabularies`]);
//! 3. otherwise the referenced namespaces are *unavailable*: the resolver types what uses
//!    them as untyped JSON, and one warning per namespace says how to supply the document.
//!
//! Each document is loaded once (by canonical path or built-in name), so cycles and
//! repeated references end. A schema whose namespace an earlier document already declares
//! is left out, with a warning.

use std::collections::{HashSet, VecDeque};
use std::path::{Path, PathBuf};

use super::ast::{Document, IncludeAnnotations};
use super::{parse_document, read_file, vocabularies};
use crate::error::{Error, ErrorKind, Result, Warning};

/// The main document and the documents it needs.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// The main document first, then referenced ones in the order they were found.
    pub documents: Vec<LoadedDocument>,
    /// Problems that do not stop generation (unavailable references, duplicate schemas).
    pub warnings: Vec<Warning>,
}

/// One document with where it came from.
#[derive(Debug, Clone, Default)]
pub struct LoadedDocument {
    /// The syntax tree.
    pub document: Document,
    /// The file it was read from (`None` for a built-in vocabulary).
    pub path: Option<PathBuf>,
    /// How errors and reports name it: the path, or `built-in <namespace>`.
    pub label: String,
    /// Whether this is a referenced document (its types are generated only when reached).
    pub external: bool,
    /// Namespaces this document includes whose documents could not be found.
    pub unavailable: Vec<String>,
    /// The `IncludeAnnotations` of the references that led here: which of this document's
    /// annotations apply to the others.
    pub annotation_filters: Vec<IncludeAnnotations>,
}

impl Loaded {
    /// The files the documents were read from, the main document first (built-in
    /// vocabularies are not files). A build script reruns when one of them changes.
    pub fn files(&self) -> impl Iterator<Item = &Path> {
        self.documents.iter().filter_map(|d| d.path.as_deref())
    }

    /// A single document whose references are not followed (for callers that parsed
    /// text): the namespaces it includes are unavailable.
    pub fn single(document: Document) -> Loaded {
        let declared: HashSet<&str> = document
            .schemas
            .iter()
            .map(|s| s.namespace.as_str())
            .collect();
        let unavailable = document
            .references
            .iter()
            .flat_map(|r| &r.includes)
            .map(|i| i.namespace.clone())
            .filter(|ns| !declared.contains(ns.as_str()))
            .collect();
        Loaded {
            documents: vec![LoadedDocument {
                document,
                label: "input".into(),
                unavailable,
                ..LoadedDocument::default()
            }],
            warnings: Vec::new(),
        }
    }
}

/// Reads `input` and, transitively, the documents its references include.
pub fn load(input: &Path, reference_dirs: &[PathBuf]) -> Result<Loaded> {
    load_main(read_file(input)?, input, reference_dirs)
}

/// [`load`], leaving the members of the main document's types unread until asked for
/// ([`super::read_file_deferred`]): for generation from roots, which reaches a few of them.
pub fn load_deferred(input: &Path, reference_dirs: &[PathBuf]) -> Result<Loaded> {
    load_main(super::read_file_deferred(input)?, input, reference_dirs)
}

fn load_main(main: Document, input: &Path, reference_dirs: &[PathBuf]) -> Result<Loaded> {
    let mut loaded = Loaded {
        documents: vec![LoadedDocument {
            document: main,
            path: Some(input.to_path_buf()),
            label: input.display().to_string(),
            ..LoadedDocument::default()
        }],
        warnings: Vec::new(),
    };
    load_references(&mut loaded, reference_dirs)?;
    Ok(loaded)
}

/// Follows the references of every document in `loaded` (the first one is the main one).
pub fn load_references(loaded: &mut Loaded, reference_dirs: &[PathBuf]) -> Result<()> {
    let mut available: HashSet<String> = HashSet::new();
    let mut seen: HashSet<String> = HashSet::new();
    for d in &loaded.documents {
        available.extend(d.document.schemas.iter().map(|s| s.namespace.clone()));
        if let Some(p) = &d.path {
            seen.insert(identity_of_file(p));
        }
    }
    let mut warned: HashSet<String> = HashSet::new();
    let mut queue: VecDeque<usize> = (0..loaded.documents.len()).collect();
    while let Some(index) = queue.pop_front() {
        let references = loaded.documents[index].document.references.clone();
        let base_dir = loaded.documents[index]
            .path
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_path_buf);
        for reference in references {
            let needed: Vec<String> = reference
                .includes
                .iter()
                .map(|i| i.namespace.clone())
                .filter(|ns| !available.contains(ns))
                .collect();
            let wants_annotations = !reference.include_annotations.is_empty();
            if needed.is_empty() && !wants_annotations {
                continue;
            }
            let source = find_local(&reference.uri, &needed, base_dir.as_deref(), reference_dirs)
                .map(Source::File)
                .or_else(|| {
                    needed
                        .iter()
                        .chain(
                            reference
                                .include_annotations
                                .iter()
                                .map(|a| &a.term_namespace),
                        )
                        .find_map(|ns| vocabularies::builtin(ns).map(|text| (ns.clone(), text)))
                        .map(|(ns, text)| Source::Builtin(ns, text))
                });
            let Some(source) = source else {
                for ns in &needed {
                    loaded.documents[index].unavailable.push(ns.clone());
                    if warned.insert(ns.clone()) {
                        loaded.warnings.push(
                            Warning::new(format!(
                                "the referenced document {} (namespace `{ns}`) is not available: what uses its types is typed as untyped JSON. Put the file next to the input, or pass its folder with --reference-dir (Generator::reference_dir)",
                                reference.uri
                            ))
                            .at(reference.pos)
                            .in_file(&loaded.documents[index].label),
                        );
                    }
                }
                continue;
            };
            let identity = source.identity();
            if !seen.insert(identity.clone()) {
                // Already loaded (a cycle, or two references to one document): what it did
                // not declare is unavailable here too, and its annotations may be wanted.
                for ns in &needed {
                    if !available.contains(ns) {
                        loaded.documents[index].unavailable.push(ns.clone());
                    }
                }
                if let Some(d) = loaded.documents.iter_mut().find(|d| {
                    d.path.as_ref().map(|p| identity_of_file(p)) == Some(identity.clone())
                        || d.label == identity
                }) {
                    d.annotation_filters
                        .extend(reference.include_annotations.iter().cloned());
                }
                continue;
            }
            let (mut document, path, label) = match source {
                Source::File(path) => (
                    read_file(&path)?,
                    Some(path.clone()),
                    path.display().to_string(),
                ),
                Source::Builtin(ns, text) => {
                    let label = format!("built-in {ns}");
                    let doc = parse_document(text).map_err(|e| {
                        Error::new(
                            ErrorKind::Internal,
                            format!(
                                "internal error: the built-in vocabulary {ns} does not read: {e}"
                            ),
                        )
                    })?;
                    (doc, None, label)
                }
            };
            document.schemas.retain(|s| {
                let fresh = available.insert(s.namespace.clone());
                if !fresh {
                    loaded.warnings.push(
                        Warning::new(format!(
                            "namespace `{}` is already declared by an earlier document; this copy is ignored",
                            s.namespace
                        ))
                        .in_file(&label),
                    );
                }
                fresh
            });
            for ns in &needed {
                if available.contains(ns) {
                    continue;
                }
                loaded.documents[index].unavailable.push(ns.clone());
                if warned.insert(ns.clone()) {
                    loaded.warnings.push(
                        Warning::new(format!(
                            "the referenced document {} does not declare the included namespace `{ns}`: what uses its types is typed as untyped JSON",
                            reference.uri
                        ))
                        .at(reference.pos)
                        .in_file(&loaded.documents[index].label),
                    );
                }
            }
            loaded.documents.push(LoadedDocument {
                document,
                path,
                label,
                external: true,
                unavailable: Vec::new(),
                annotation_filters: reference.include_annotations.clone(),
            });
            queue.push_back(loaded.documents.len() - 1);
        }
    }
    Ok(())
}

enum Source {
    File(PathBuf),
    Builtin(String, &'static str),
}

impl Source {
    fn identity(&self) -> String {
        match self {
            Source::File(p) => identity_of_file(p),
            Source::Builtin(ns, _) => format!("built-in {ns}"),
        }
    }
}

fn identity_of_file(path: &Path) -> String {
    path.canonicalize()
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

/// A local file for a reference: the `Uri` relative to the referencing document, then the
/// `Uri`'s file name or `<namespace>.xml` in each reference directory. Only files inside
/// the referencing document's folder or a reference directory are read: a document cannot
/// make the generator read `/etc/passwd` or `../../secret` by naming it (absolute paths and
/// `file:` URIs are not followed).
fn find_local(
    uri: &str,
    namespaces: &[String],
    base_dir: Option<&Path>,
    reference_dirs: &[PathBuf],
) -> Option<PathBuf> {
    let without_query = uri.split(['?', '#']).next().unwrap_or(uri);
    let (scheme, rest) = match without_query.split_once("://") {
        Some((scheme, rest)) => (Some(scheme), rest),
        None => (None, without_query),
    };
    let mut candidates: Vec<PathBuf> = Vec::new();
    if scheme.is_none() && !rest.is_empty() && !Path::new(rest).has_root() {
        let relative = Path::new(rest);
        if let Some(dir) = base_dir {
            candidates.push(dir.join(relative));
        }
        candidates.extend(reference_dirs.iter().map(|d| d.join(relative)));
    }
    let file_name = rest.rsplit('/').next().filter(|n| !n.is_empty());
    for dir in reference_dirs
        .iter()
        .chain(base_dir.map(Path::to_path_buf).iter())
    {
        if let Some(name) = file_name {
            candidates.push(dir.join(name));
            if !name.contains('.') {
                candidates.push(dir.join(format!("{name}.xml")));
            }
        }
        for ns in namespaces {
            candidates.push(dir.join(format!("{ns}.xml")));
        }
    }
    let allowed: Vec<PathBuf> = base_dir
        .into_iter()
        .map(Path::to_path_buf)
        .chain(reference_dirs.iter().cloned())
        .filter_map(|d| d.canonicalize().ok())
        .collect();
    candidates.into_iter().find(|p| {
        p.is_file()
            && p.canonicalize()
                .is_ok_and(|c| allowed.iter().any(|dir| c.starts_with(dir)))
    })
}

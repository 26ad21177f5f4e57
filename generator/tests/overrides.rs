//! The override file: what it changes in the pinned inputs, and how bad files fail.

use csdl_codegen::model::{Model, TypeKind};
use csdl_codegen::overrides::Overrides;
use csdl_codegen::{ErrorKind, Generator, Output, Pos, Root};

mod support;
use support::workspace_root;

const V1: &str = "specs/graph-v1.0.sync.csdl.xml";
const BETA: &str = "specs/graph-beta.sync.csdl.xml";
const OVERRIDES: &str = "generator/overrides/graph.toml";

fn generate(input: &str, with_overrides: bool) -> Output {
    let root = workspace_root();
    let mut g = Generator::new(root.join(input))
        .roots(Root::synchronization())
        .source_label(input);
    // The fixes apply by default to Graph metadata, each where the subset has its targets
    // (some are for parts of Graph these subsets lack); without them, the metadata as it is.
    g = g.graph_fixes(with_overrides);
    let mut output = g.generate().unwrap();
    for line in &mut output.overrides {
        *line = line.trim_start_matches("built-in Graph fix: ").to_string();
    }
    output
}

#[test]
fn graph_fixes_are_built_in_and_apply_by_default() {
    let root = workspace_root();
    let client = |g: Generator| {
        let output = g
            .client(
                csdl_codegen::ClientInfo::new("https://graph.microsoft.com/v1.0").crate_name("c"),
            )
            .generate()
            .unwrap();
        let builders = support::file(&output.client, "src/builders.rs").to_string();
        (builders, output.overrides)
    };
    // The beta input lacks the schema's PUT: by default the fix is applied and reported.
    let (builders, report) = client(Generator::new(root.join(BETA)));
    let schema = builders
        .split("impl SynchronizationSchemaRequestBuilder {")
        .nth(1)
        .unwrap();
    let schema = &schema[..schema.find("\n}\n").unwrap()];
    assert!(schema.contains("pub fn replace("), "{schema}");
    assert!(!schema.contains("pub fn update("), "{schema}");
    assert!(
        report.iter().any(|l| l.starts_with(
            "built-in Graph fix: update_method microsoft.graph.synchronizationSchema"
        )),
        "{report:?}"
    );
    // Turned off: the metadata as it is (PATCH).
    let (builders, report) = client(Generator::new(root.join(BETA)).graph_fixes(false));
    let schema = builders
        .split("impl SynchronizationSchemaRequestBuilder {")
        .nth(1)
        .unwrap();
    assert!(schema[..schema.find("\n}\n").unwrap()].contains("pub fn update("));
    assert!(report.is_empty(), "{report:?}");
    // Not Graph: nothing applies.
    let (_, report) =
        client(Generator::new(root.join("tests/fixtures/service.csdl.xml")).all(true));
    assert!(report.is_empty(), "{report:?}");
    // The built-in file parses, and entries whose targets a subset lacks are skipped.
    let fixes = Overrides::graph();
    assert!(!fixes.update_method.is_empty());
    let mut identity = model("specs/graph-v1.0.identity-protection.csdl.xml");
    let report = fixes.apply_where_present(&mut identity).unwrap();
    assert!(report.iter().any(|l| l.contains("skipped")), "{report:?}");
}

fn file<'o>(output: &'o Output, path: &str) -> &'o str {
    &output
        .models
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no {path}"))
        .contents
}

const ENTITIES: &str = "src/microsoft_graph/entity_types.rs";

/// The resolved input, with the documents the override file adds (its `add_schema`s), as
/// the generator resolves it.
fn model(input: &str) -> Model {
    let main = csdl_codegen::csdl::read_file(&workspace_root().join(input)).unwrap();
    let mut loaded = csdl_codegen::csdl::Loaded::single(main);
    loaded.documents.extend(
        overrides()
            .schemas(Some(&workspace_root().join("generator/overrides")))
            .unwrap(),
    );
    csdl_codegen::model::resolve_all(&loaded).unwrap()
}

fn overrides() -> Overrides {
    Overrides::read(&workspace_root().join(OVERRIDES)).unwrap()
}

fn entry_count(o: &Overrides) -> usize {
    o.add_entity_type.len()
        + o.add_navigation.len()
        + o.update_method.len()
        + o.add_schema.len()
        + o.add_operation.len()
        + o.path_address.len()
}

/// The report line about `subject` (`add_entity_type X`, `update_method Y`, ...).
fn line<'o>(output: &'o Output, subject: &str) -> &'o str {
    let prefix = format!("{subject}: ");
    output
        .overrides
        .iter()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no report line for {subject}: {:#?}", output.overrides))
}

const ADD_TYPE: &str = "add_entity_type microsoft.graph.bulkUpload";
const ADD_NAV: &str = "add_navigation microsoft.graph.synchronizationJob/bulkUpload";
const SCHEMA_PUT: &str = "update_method microsoft.graph.synchronizationSchema";

#[test]
fn the_override_file_parses() {
    let o = overrides();
    assert!(o
        .add_entity_type
        .iter()
        .any(|e| e.name == "microsoft.graph.bulkUpload"
            && e.base.as_deref() == Some("microsoft.graph.entity")
            && e.has_stream));
    assert!(o
        .add_navigation
        .iter()
        .any(|n| n.owner == "microsoft.graph.synchronizationJob"
            && n.name == "bulkUpload"
            && n.type_name == "microsoft.graph.bulkUpload"
            && n.contains_target));
    assert!(o
        .update_method
        .iter()
        .any(|u| u.target == "microsoft.graph.synchronizationSchema" && u.method == "PUT"));
    // Every entry says why it exists.
    assert!(o
        .add_entity_type
        .iter()
        .all(|e| !e.reason.trim().is_empty()));
    assert!(o.add_navigation.iter().all(|e| !e.reason.trim().is_empty()));
    assert!(o.update_method.iter().all(|e| !e.reason.trim().is_empty()));
}

#[test]
fn beta_gains_bulk_upload() {
    let without = generate(BETA, false);
    assert!(without.overrides.is_empty());
    assert!(!file(&without, ENTITIES).contains("BulkUpload"));

    let with = generate(BETA, true);
    assert_eq!(with.overrides.len(), entry_count(&overrides()));
    assert!(line(&with, ADD_TYPE).ends_with(": added (Public-cloud beta has the bulkUpload media entity (same shape as v1.0); the pinned beta input (US-Gov national cloud) lacks it.)"));
    assert!(line(&with, ADD_NAV).contains(": added ("));
    assert!(line(&with, SCHEMA_PUT).contains(": PUT ("));
    let entities = file(&with, ENTITIES);
    assert!(entities.contains("pub struct BulkUpload {"));
    assert!(entities.contains("media entity (has a stream)"));
    assert!(entities.contains("pub bulk_upload: Option<BulkUpload>,"));
    // The media entity, and the SCIM bulk request types its POST sends.
    assert_eq!(with.counts.0, without.counts.0 + 3);

    // In the model: a media entity deriving from entity, contained under synchronizationJob.
    let mut m = model(BETA);
    overrides().apply_where_present(&mut m).unwrap();
    let bulk = m.find_type("microsoft.graph.bulkUpload").unwrap();
    let TypeKind::Entity(s) = &m.ty(bulk).kind else {
        panic!("bulkUpload is an entity type")
    };
    assert!(s.has_stream);
    assert_eq!(s.base, m.find_type("microsoft.graph.entity"));
    assert_eq!(m.key_of(bulk), ["id"]);
    let entity = m.ty(s.base.unwrap()).structured().unwrap();
    assert!(entity.derived.contains(&bulk));
    let job = m.find_type("microsoft.graph.synchronizationJob").unwrap();
    let nav = m
        .all_navigations(job)
        .into_iter()
        .find(|(_, n)| n.name == "bulkUpload")
        .unwrap()
        .1;
    assert!(nav.contains_target);
    assert!(!nav.ty.collection);
    assert_eq!(nav.ty.type_id(), Some(bulk));
}

#[test]
fn v1_additions_are_a_reported_no_op() {
    let without = generate(V1, false);
    let with = generate(V1, true);
    assert_eq!(with.overrides.len(), entry_count(&overrides()));
    assert_eq!(
        line(&with, ADD_TYPE),
        format!("{ADD_TYPE}: already defined, skipped")
    );
    assert_eq!(
        line(&with, ADD_NAV),
        format!("{ADD_NAV}: already defined, skipped")
    );
    assert!(line(&with, SCHEMA_PUT).contains(": PUT ("));
    // The models crate gains only the SCIM bulk types that bulkUpload's request sends
    // (update methods are for clients).
    assert_eq!(with.counts.0, without.counts.0 + 2);
    for file in &without.models {
        if !["src/lib.rs", "README.md"].contains(&file.path.as_str()) {
            assert!(with.models.contains(file), "{} changed", file.path);
        }
    }
    assert!(with
        .models
        .iter()
        .any(|f| f.path == "src/scim/complex_types.rs"));
}

/// Qualified names of the types with an update method.
fn with_update_method(m: &Model) -> Vec<String> {
    m.types
        .iter()
        .filter(|t| t.annotations.update_method.is_some())
        .map(|t| t.qualified_name())
        .collect()
}

#[test]
fn update_method_lands_on_synchronization_schema() {
    for input in [V1, BETA] {
        let mut m = model(input);
        let schema = m
            .find_type("microsoft.graph.synchronizationSchema")
            .unwrap();
        assert_eq!(m.ty(schema).annotations.update_method, None, "{input}");
        let mut expected = with_update_method(&m);
        overrides().apply_where_present(&mut m).unwrap();
        assert_eq!(
            m.ty(schema).annotations.update_method.as_deref(),
            Some("PUT"),
            "{input}"
        );
        // Among types, only the schema gained one.
        expected.push("microsoft.graph.synchronizationSchema".into());
        expected.sort();
        let mut actual = with_update_method(&m);
        actual.sort();
        assert_eq!(actual, expected, "{input}");
        // A second application changes nothing and says so.
        let again = overrides().apply_where_present(&mut m).unwrap();
        assert!(
            again
                .iter()
                .all(|l| l.contains("skipped") || l.starts_with("add_schema ")),
            "{again:#?}"
        );
    }
}

#[test]
fn malformed_toml_is_a_config_error_with_position() {
    let text = "# overrides\n[[update_method]]\ntarget = \"microsoft.graph.x\"\nmethod = \"PUT\nreason = \"r\"\n";
    let err = Overrides::parse(text).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Config);
    assert_eq!(err.pos, Some(Pos { line: 4, col: 14 }), "{err}");
    assert!(err.message.starts_with("invalid override file"), "{err}");

    // Through the generator, the error names the override file.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, text).unwrap();
    let err = Generator::new(workspace_root().join(V1))
        .overrides(&path)
        .generate()
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Config);
    assert_eq!(err.file.as_deref(), Some(path.as_path()));
    assert_eq!(err.pos, Some(Pos { line: 4, col: 14 }));
    assert!(err
        .to_string()
        .starts_with(&format!("{}:4:14: invalid override file", path.display())));
}

#[test]
fn unknown_entries_and_fields_are_rejected_with_position() {
    let err = Overrides::parse("[[add_enum]]\nname = \"x\"\n").unwrap_err();
    assert_eq!(err.kind, ErrorKind::Config);
    assert_eq!(err.pos.map(|p| p.line), Some(1), "{err}");
    assert!(err.message.contains("add_enum"), "{err}");

    let err = Overrides::parse(
        "[[add_navigation]]\nowner = \"a.b\"\nname = \"n\"\ntype = \"a.c\"\nreason = \"r\"\nnullable = false\n",
    )
    .unwrap_err();
    assert_eq!(err.pos, Some(Pos { line: 6, col: 1 }), "{err}");
    assert!(err.message.contains("nullable"), "{err}");

    // A missing `reason` is an error too: every entry must say why it exists.
    let err =
        Overrides::parse("[[update_method]]\ntarget = \"a.b\"\nmethod = \"PUT\"\n").unwrap_err();
    assert_eq!(err.kind, ErrorKind::Config);
    assert!(err.message.contains("reason"), "{err}");
}

#[test]
fn entries_that_do_not_fit_the_model() {
    let cases = [
        (
            "[[update_method]]\ntarget = \"microsoft.graph.synchronizationSchema\"\nmethod = \"POST\"\nreason = \"r\"\n",
            "microsoft.graph.synchronizationSchema",
            "POST",
        ),
        (
            "[[update_method]]\ntarget = \"microsoft.graph.ghost\"\nmethod = \"PUT\"\nreason = \"r\"\n",
            "microsoft.graph.ghost",
            "not defined",
        ),
        (
            "[[update_method]]\ntarget = \"microsoft.graph.synchronization/nothing\"\nmethod = \"PUT\"\nreason = \"r\"\n",
            "microsoft.graph.synchronization/nothing",
            "not defined",
        ),
        (
            "[[add_entity_type]]\nname = \"unqualified\"\nreason = \"r\"\n",
            "unqualified",
            "not qualified",
        ),
        (
            "[[add_entity_type]]\nname = \"microsoft.graph.newOne\"\nbase = \"microsoft.graph.synchronizationSchedule\"\nreason = \"r\"\n",
            "microsoft.graph.synchronizationSchedule",
            "not an entity type",
        ),
        (
            "[[add_navigation]]\nowner = \"microsoft.graph.nobody\"\nname = \"n\"\ntype = \"microsoft.graph.entity\"\nreason = \"r\"\n",
            "microsoft.graph.nobody",
            "not defined",
        ),
        (
            "[[add_navigation]]\nowner = \"microsoft.graph.synchronizationJob\"\nname = \"n\"\ntype = \"Collection(microsoft.graph.nothing)\"\nreason = \"r\"\n",
            "microsoft.graph.nothing",
            "not defined",
        ),
    ];
    for (text, name, needle) in cases {
        let mut m = model(V1);
        let err = Overrides::parse(text).unwrap().apply(&mut m).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Config, "{err}");
        assert_eq!(err.name.as_deref(), Some(name), "{err}");
        assert!(err.message.contains(needle), "{err}");
    }
}

#[test]
fn collection_navigation_and_lowercase_method() {
    let mut m = model(V1);
    let report = Overrides::parse(
        "[[add_navigation]]\nowner = \"microsoft.graph.synchronizationJob\"\nname = \"extras\"\ntype = \"Collection(microsoft.graph.synchronizationTemplate)\"\nreason = \"test\"\n\n[[update_method]]\ntarget = \"microsoft.graph.synchronizationJob\"\nmethod = \"patch\"\nreason = \"test\"\n",
    )
    .unwrap()
    .apply(&mut m)
    .unwrap();
    assert_eq!(
        report,
        [
            "add_navigation microsoft.graph.synchronizationJob/extras: added (test)",
            "update_method microsoft.graph.synchronizationJob: PATCH (test)",
        ]
    );
    let job = m.find_type("microsoft.graph.synchronizationJob").unwrap();
    let nav = m
        .all_navigations(job)
        .into_iter()
        .find(|(_, n)| n.name == "extras")
        .unwrap()
        .1;
    assert!(nav.ty.collection);
    assert!(!nav.contains_target);
    assert_eq!(
        m.ty(job).annotations.update_method.as_deref(),
        Some("PATCH")
    );
}

#[test]
fn property_targets() {
    // Beta's metadata does not say how `synchronization/secrets` is updated; v1.0's does.
    let text = "[[update_method]]\ntarget = \"microsoft.graph.synchronization/secrets\"\nmethod = \"PUT\"\nreason = \"test\"\n";
    let secrets_method = |m: &Model| {
        let sync = m.find_type("microsoft.graph.synchronization").unwrap();
        m.ty(sync)
            .structured()
            .unwrap()
            .properties
            .iter()
            .find(|p| p.name == "secrets")
            .unwrap()
            .annotations
            .update_method
            .clone()
    };
    let mut beta = model(BETA);
    assert_eq!(secrets_method(&beta), None);
    let report = Overrides::parse(text).unwrap().apply(&mut beta).unwrap();
    assert_eq!(
        report,
        ["update_method microsoft.graph.synchronization/secrets: PUT (test)"]
    );
    assert_eq!(secrets_method(&beta).as_deref(), Some("PUT"));

    let mut v1 = model(V1);
    assert_eq!(secrets_method(&v1).as_deref(), Some("PUT"));
    let report = Overrides::parse(text).unwrap().apply(&mut v1).unwrap();
    assert_eq!(
        report,
        ["update_method microsoft.graph.synchronization/secrets: already PUT, skipped"]
    );
}

//! The documentation overlay: its entries reach the generated docs, a key that matches
//! nothing is reported with a suggestion, and the project's own synchronization docs cover
//! every synchronization type, property, member, operation and parameter.

use csdl_codegen::{ClientInfo, ErrorKind, Generator};

mod support;
use support::{file, workspace_root};

const DOCUMENT: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="Contoso.Ledger" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EnumType Name="state"><Member Name="open"/><Member Name="closed"/></EnumType>
      <EntityType Name="account">
        <Key><PropertyRef Name="id"/></Key>
        <Property Name="id" Type="Edm.String" Nullable="false"/>
        <Property Name="state" Type="Contoso.Ledger.state"/>
        <NavigationProperty Name="entries" Type="Collection(Contoso.Ledger.entry)" ContainsTarget="true"/>
      </EntityType>
      <EntityType Name="entry">
        <Key><PropertyRef Name="id"/></Key>
        <Property Name="id" Type="Edm.String" Nullable="false"/>
      </EntityType>
      <Action Name="close" IsBound="true">
        <Parameter Name="bindingParameter" Type="Contoso.Ledger.account"/>
        <Parameter Name="reason" Type="Edm.String"/>
      </Action>
      <EntityContainer Name="Ledger">
        <EntitySet Name="accounts" EntityType="Contoso.Ledger.account"/>
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;

const OVERLAY: &str = r#"
["Contoso.Ledger.account"]
description = "An account of the ledger."
long_description = "Accounts hold entries."

["Contoso.Ledger.account/state"]
description = "Whether the account takes entries."

["Contoso.Ledger.state/closed"]
description = "The account takes no more entries."

["Contoso.Ledger.account/entries"]
description = "The entries booked on the account."

["Contoso.Ledger.account/entries".requests.create]
description = "Books an entry on the account."
status = "201 Created"
delegated = ["Ledger.ReadWrite"]
application = []

["Contoso.Ledger.close(Contoso.Ledger.account)"]
description = "Closes the account for good."
status = "204 No Content"
delegated = ["Ledger.ReadWrite"]
application = ["Ledger.ReadWrite.All"]

["Contoso.Ledger.close(Contoso.Ledger.account)/reason"]
description = "Why the account is closed, kept for auditors."

["Contoso.Ledger.Ledger/accounts"]
description = "Every account of the ledger."

["Contoso.Ledger.account/balance"]
optional = true
description = "Only some versions of the service have it."
"#;

struct Setup {
    _tmp: tempfile::TempDir,
    input: std::path::PathBuf,
    docs: std::path::PathBuf,
}

fn setup(overlay: &str) -> Setup {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("ledger.csdl.xml");
    let docs = tmp.path().join("ledger-docs.toml");
    std::fs::write(&input, DOCUMENT).unwrap();
    std::fs::write(&docs, overlay).unwrap();
    Setup {
        _tmp: tmp,
        input,
        docs,
    }
}

#[test]
fn overlay_entries_reach_models_and_client_docs() {
    let s = setup(OVERLAY);
    let out = Generator::new(&s.input)
        .all(true)
        .crate_name("ledger-models")
        .docs(&s.docs)
        .client(ClientInfo::new("https://ledger.example/odata"))
        .generate()
        .unwrap();
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    let entities = file(&out.models, "src/contoso_ledger/entity_types.rs");
    for text in [
        "/// An account of the ledger.",
        "/// Accounts hold entries.",
        "/// Whether the account takes entries.",
        "/// The entries booked on the account.",
    ] {
        assert!(entities.contains(text), "{text} missing:\n{entities}");
    }
    let enums = file(&out.models, "src/contoso_ledger/enum_types.rs");
    assert!(enums.contains("/// The account takes no more entries."));
    let builders = file(&out.client, "src/builders.rs");
    for text in [
        // The create request of the navigation, with its facts, before the method's own text.
        "/// Books an entry on the account.\n    ///\n    /// - Success: `201 Created`\n    /// - Least-privileged permissions: delegated `Ledger.ReadWrite`; application none\n",
        // The navigation method and the entry point open with their descriptions.
        "/// The entries booked on the account.",
        "/// Every account of the ledger.",
        // The action: description, facts.
        "/// Closes the account for good.",
        "/// - Success: `204 No Content`",
        "application `Ledger.ReadWrite.All`",
    ] {
        assert!(builders.contains(text), "{text} missing:\n{builders}");
    }
}

#[test]
fn a_key_that_matches_nothing_is_a_warning_with_a_suggestion() {
    let s = setup(
        "[\"Contoso.Ledger.account/stat\"]\ndescription = \"typo\"\n\n[\"Contoso.Ledger.acount\"]\ndescription = \"typo\"\n",
    );
    let selected = Generator::new(&s.input)
        .all(true)
        .docs(&s.docs)
        .select()
        .unwrap();
    let warnings: String = selected.warnings.iter().map(|w| format!("{w}\n")).collect();
    assert!(
        warnings.contains(
            "`Contoso.Ledger.account/stat` matches nothing in the metadata; did you mean `state`?"
        ),
        "{warnings}"
    );
    assert!(
        warnings.contains("did you mean `Contoso.Ledger.account`?"),
        "{warnings}"
    );
    assert!(warnings.contains("ledger-docs.toml"), "{warnings}");
}

#[test]
fn malformed_overlays_are_errors_with_the_file_and_position() {
    let s = setup("[\"Contoso.Ledger.account\"]\ndescription = 3\n");
    let err = Generator::new(&s.input)
        .all(true)
        .docs(&s.docs)
        .select()
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Config);
    let text = err.to_string();
    assert!(text.contains("ledger-docs.toml:2:"), "{text}");

    let s = setup("[\"Contoso.Ledger.account/entries\".requests.upsert]\ndescription = \"x\"\n");
    let err = Generator::new(&s.input)
        .all(true)
        .docs(&s.docs)
        .select()
        .unwrap_err();
    assert!(err
        .to_string()
        .contains("requests are list, get, create, update, replace, delete"));

    let s = setup("[\"Contoso.Ledger.account\"]\ndescripton = \"x\"\n");
    let err = Generator::new(&s.input)
        .all(true)
        .docs(&s.docs)
        .select()
        .unwrap_err();
    assert!(err.to_string().contains("descripton"), "{err}");
}

/// The project's docs leave nothing of the synchronization crates undocumented, in the v1.0
/// and the beta metadata: with the crates' roots (`specs/synchronization.roots`: the
/// synchronization API, the gallery, app role assignments, the provisioning logs), every
/// selected type, its properties, navigations and members, every operation (with its
/// success status) and every parameter.
#[test]
fn the_synchronization_docs_cover_the_whole_synchronization_surface() {
    let root = workspace_root();
    for spec in [
        "specs/graph-v1.0.sync.csdl.xml",
        "specs/graph-beta.sync.csdl.xml",
    ] {
        let inspection = Generator::new(root.join(spec))
            .roots(support::sync_roots())
            .docs(root.join("specs/docs/synchronization.toml"))
            .inspect()
            .unwrap();
        let docs_warnings: Vec<String> = inspection
            .warnings
            .iter()
            .map(|w| w.to_string())
            .filter(|w| w.contains("docs overlay"))
            .collect();
        assert!(docs_warnings.is_empty(), "{spec}: {docs_warnings:#?}");
        let coverage = &inspection.report.docs;
        assert!(
            coverage.checked > 400,
            "{spec}: only {} elements checked",
            coverage.checked
        );
        assert!(
            coverage.undocumented.is_empty(),
            "{spec}: undocumented:\n{}",
            coverage.undocumented.join("\n")
        );
    }
}

//! The facts every request method documents: its success status (from the client plan)
//! and, with a permissions table (`Generator::permissions`), the permissions that grant it,
//! narrowest first; a docs overlay's own facts win.

use std::collections::BTreeSet;

use csdl_codegen::{ClientInfo, ErrorKind, Generator};

mod support;
use support::file;

const DOCUMENT: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="Contoso.Ledger" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="account">
        <Key><PropertyRef Name="id"/></Key>
        <Property Name="id" Type="Edm.String" Nullable="false"/>
        <NavigationProperty Name="entries" Type="Collection(Contoso.Ledger.entry)" ContainsTarget="true"/>
        <NavigationProperty Name="partners" Type="Collection(Contoso.Ledger.account)"/>
      </EntityType>
      <EntityType Name="entry">
        <Key><PropertyRef Name="id"/></Key>
        <Property Name="id" Type="Edm.String" Nullable="false"/>
      </EntityType>
      <Action Name="close" IsBound="true">
        <Parameter Name="bindingParameter" Type="Contoso.Ledger.account"/>
      </Action>
      <Function Name="balance" IsBound="true">
        <Parameter Name="bindingParameter" Type="Contoso.Ledger.account"/>
        <Parameter Name="asOf" Type="Edm.Date"/>
        <ReturnType Type="Edm.Decimal"/>
      </Function>
      <EntityContainer Name="Ledger">
        <EntitySet Name="accounts" EntityType="Contoso.Ledger.account">
          <NavigationPropertyBinding Path="partners" Target="accounts"/>
        </EntitySet>
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;

/// Facts as a service's permission tables write them: lowercase paths, key segments for
/// the service's parenthesized keys, placeholders of any name, a function without its
/// arguments, a `$ref` left to its navigation.
const TABLE: &str = "# method\tpath\tscheme\tpermission\n\
GET\t/accounts\tDelegated\tLedger.Read\n\
GET\t/accounts\tDelegated\tLedger.ReadWrite.All\n\
GET\t/accounts\tApp\tLedger.Read.All\n\
POST\t/accounts\tDelegated\tLedger.ReadWrite.All\n\
POST\t/accounts/{account-id}/contoso.ledger.close\tApp\tLedger.ReadWrite.All\n\
GET\t/accounts/{id}/Contoso.Ledger.balance\tDelegated\tLedger.Read\n\
POST\t/accounts/{id}/partners\tDelegated\tLedger.ReadWrite.All\n";

struct Setup {
    _tmp: tempfile::TempDir,
    input: std::path::PathBuf,
    table: std::path::PathBuf,
}

fn setup(table: &str) -> Setup {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("ledger.csdl.xml");
    let path = tmp.path().join("ledger.permissions.tsv");
    std::fs::write(&input, DOCUMENT).unwrap();
    std::fs::write(&path, table).unwrap();
    Setup {
        _tmp: tmp,
        input,
        table: path,
    }
}

/// The same document where an account also reaches its `parent` account: a second link to
/// the account builder.
fn setup_with_parent(table: &str) -> Setup {
    let s = setup(table);
    let doc = DOCUMENT.replace(
        r#"<NavigationProperty Name="partners""#,
        r#"<NavigationProperty Name="parent" Type="Contoso.Ledger.account"/>
        <NavigationProperty Name="partners""#,
    );
    std::fs::write(&s.input, doc).unwrap();
    s
}

/// The generator of `s`'s client, with its permissions table when `table`.
fn generator(s: &Setup, table: bool) -> Generator {
    let g = Generator::new(&s.input)
        .all(true)
        .crate_name("ledger-models")
        .client(ClientInfo::new("https://ledger.example/odata"));
    if table {
        g.permissions(&s.table)
    } else {
        g
    }
}

fn builders(s: &Setup, table: bool) -> String {
    let out = generator(s, table).generate().unwrap();
    file(&out.client, "src/builders.rs").to_string()
}

/// The doc block (`///` lines, trimmed) right above the method whose `HTTP:` line is `http`.
fn doc_of(text: &str, http: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let at = lines
        .iter()
        .position(|l| *l == format!("/// HTTP: `{http}`"))
        .unwrap_or_else(|| panic!("no `{http}` in:\n{text}"));
    let end = at
        + lines[at..]
            .iter()
            .position(|l| !l.starts_with("///"))
            .unwrap();
    lines[at..end].join("\n")
}

#[test]
fn every_request_names_its_status_and_the_table_its_permissions() {
    let s = setup(TABLE);
    let text = builders(&s, true);
    assert_eq!(
        doc_of(&text, "GET /accounts"),
        "/// HTTP: `GET /accounts`\n///\n/// Success: `200 OK`.\n///\n\
         /// Permissions (narrowest first): Delegated `Ledger.Read`, `Ledger.ReadWrite.All`; App `Ledger.Read.All`."
    );
    assert_eq!(
        doc_of(&text, "POST /accounts"),
        "/// HTTP: `POST /accounts`\n///\n/// Success: `201 Created`.\n///\n\
         /// Permissions (narrowest first): Delegated `Ledger.ReadWrite.All`."
    );
    // `$count` takes the facts of the collection.
    assert!(doc_of(&text, "GET /accounts/$count").ends_with(
        "/// Success: `200 OK`.\n///\n/// Permissions (narrowest first): Delegated `Ledger.Read`, `Ledger.ReadWrite.All`; App `Ledger.Read.All`."
    ));
    assert_eq!(
        doc_of(&text, "POST /accounts({id})/Contoso.Ledger.close"),
        "/// HTTP: `POST /accounts({id})/Contoso.Ledger.close`\n///\n/// Success: `204 No Content`.\n///\n\
         /// Permissions (narrowest first): App `Ledger.ReadWrite.All`."
    );
    assert!(doc_of(&text, "GET /accounts({id})/Contoso.Ledger.balance(...)").ends_with(
        "/// Success: `200 OK`.\n///\n/// Permissions (narrowest first): Delegated `Ledger.Read`."
    ));
    assert!(doc_of(&text, "DELETE /accounts({id})").ends_with(
        "/// Success: `204 No Content`.\n///\n/// Permissions: no permission listed in the pinned permissions table."
    ));
    // The `$ref` builder's opener names the permissions of each of its requests; the
    // shared builder's own methods point back to it.
    assert!(
        text.contains("/// Permissions for `POST /accounts({id})/partners/$ref` (narrowest first): Delegated `Ledger.ReadWrite.All`."),
        "{text}"
    );
    assert!(text.contains(
        "/// Permissions for `GET /accounts({id})/partners/$ref`: no permission listed in the pinned permissions table."
    ));
    assert!(text.contains(
        "/// Permissions: those of the URL that opened this builder (see the method that opened it)."
    ));
}

#[test]
fn without_a_table_only_the_status_is_documented() {
    let s = setup(TABLE);
    let text = builders(&s, false);
    assert_eq!(
        doc_of(&text, "PATCH /accounts({id})"),
        "/// HTTP: `PATCH /accounts({id})`\n///\n/// Success: `204 No Content`."
    );
    assert!(!text.contains("Permissions"), "{text}");
}

#[test]
fn a_malformed_row_is_an_error_at_its_file_and_line() {
    let s = setup("GET\t/accounts\tDelegated\tLedger.Read\nGET /accounts Delegated Ledger.Read\n");
    let err = Generator::new(&s.input)
        .all(true)
        .permissions(&s.table)
        .client(ClientInfo::new("https://ledger.example/odata"))
        .generate()
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Config);
    let shown = err.to_string();
    assert!(
        shown.starts_with(&format!("{}:2:1: ", s.table.display())),
        "{shown}"
    );
    assert!(shown.contains("4 tab-separated fields"), "{shown}");
}

/// A builder is documented under the first URL that reaches it; when the table lists the
/// request only through another link to the same builder, the docs give those permissions
/// and name that URL.
#[test]
fn permissions_listed_for_another_link_to_the_builder_name_that_link() {
    let with_parent = |table: &str| builders(&setup_with_parent(table), true);
    let table =
        format!("{TABLE}DELETE\t/accounts/{{id}}/parent\tDelegated\tLedger.ReadWrite.All\n");
    let doc = doc_of(&with_parent(&table), "DELETE /accounts({id})");
    assert!(
        doc.ends_with(
            "/// Permissions (narrowest first; as listed for `DELETE /accounts({id})/parent`): Delegated `Ledger.ReadWrite.All`."
        ),
        "{doc}"
    );
    // Without that fact the method says the table lists none.
    let doc = doc_of(&with_parent(TABLE), "DELETE /accounts({id})");
    assert!(
        doc.ends_with("/// Permissions: no permission listed in the pinned permissions table."),
        "{doc}"
    );
}

/// Every permissions line the client's docs give, labelled with its request as `inspect`
/// labels it: ``Permissions for `GET /accounts` (narrowest first): ...``. A method's own
/// line follows its one `HTTP:` line; a docs overlay's permissions lead the method's docs,
/// before that line; a shared builder's own methods, which point to their opener, have
/// no request of their own.
fn permissions_in_docs(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let (mut http, mut overlay) = (String::new(), None);
    for line in text.lines().map(str::trim) {
        if let Some(names) = line.strip_prefix("/// - Least-privileged permissions: ") {
            overlay = Some(names.to_string());
        } else if let Some(request) = line.strip_prefix("/// HTTP: ") {
            http = request.to_string();
            if let Some(names) = overlay.take() {
                found.insert(format!("Permissions for {http} (docs overlay): {names}."));
            }
        } else if line.starts_with("/// Permissions for `") {
            found.insert(line["/// ".len()..].to_string());
        } else if let Some(rest) = line.strip_prefix("/// Permissions") {
            if !rest.contains("those of the URL that opened this builder") {
                found.insert(format!("Permissions for {http}{rest}"));
            }
        }
    }
    found
}

/// The permissions lines of `inspect`'s report.
fn permissions_in_inspect(g: &Generator) -> BTreeSet<String> {
    let report = g.inspect().unwrap().report.to_string();
    report
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("Permissions"))
        .map(str::to_string)
        .collect()
}

/// `inspect --permissions` lists under each URL the permissions the generated docs give
/// each of its requests, and nothing else: the table's, another link's, none listed, a
/// shared builder's requests at the URL that opens it, a docs overlay's.
#[test]
fn inspect_shows_the_permissions_the_docs_give() {
    let table =
        format!("{TABLE}DELETE\t/accounts/{{id}}/parent\tDelegated\tLedger.ReadWrite.All\n");
    let s = setup_with_parent(&table);
    let overlay = s.input.with_file_name("ledger.docs.toml");
    std::fs::write(
        &overlay,
        "[\"Contoso.Ledger.close(Contoso.Ledger.account)\"]\n\
         delegated = [\"Ledger.ReadWrite\"]\n\
         application = []\n",
    )
    .unwrap();
    let g = generator(&s, true).docs(&overlay);
    let out = g.generate().unwrap();
    let docs = permissions_in_docs(file(&out.client, "src/builders.rs"));
    for expected in [
        "Permissions for `GET /accounts` (narrowest first): Delegated `Ledger.Read`, `Ledger.ReadWrite.All`; App `Ledger.Read.All`.",
        "Permissions for `DELETE /accounts({id})` (narrowest first; as listed for `DELETE /accounts({id})/parent`): Delegated `Ledger.ReadWrite.All`.",
        "Permissions for `PATCH /accounts({id})`: no permission listed in the pinned permissions table.",
        "Permissions for `POST /accounts({id})/partners/$ref` (narrowest first): Delegated `Ledger.ReadWrite.All`.",
        "Permissions for `POST /accounts({id})/Contoso.Ledger.close` (docs overlay): delegated `Ledger.ReadWrite`; application none.",
    ] {
        assert!(docs.contains(expected), "{expected} not in {docs:#?}");
    }
    assert_eq!(permissions_in_inspect(&g), docs);
    // Without a table, inspect names no permissions.
    assert_eq!(
        permissions_in_inspect(&generator(&s, false)),
        BTreeSet::new()
    );
}

/// A method both deprecated and renamed: its facts, then `#[deprecated]`, then the line
/// that says why it was renamed (the order every request method's docs have had).
#[test]
fn a_renamed_method_says_so_after_its_deprecation() {
    let s = setup(TABLE);
    let doc = DOCUMENT.replace(
        r#"      <EntityContainer Name="Ledger">"#,
        r#"      <Function Name="entries" IsBound="true">
        <Parameter Name="bindingParameter" Type="Contoso.Ledger.account"/>
        <ReturnType Type="Edm.Int32"/>
        <Annotation Term="Org.OData.Core.V1.Revisions">
          <Collection>
            <Record>
              <PropertyValue Property="Date" Date="2025-03-01"/>
              <PropertyValue Property="Version" String="2025-03/Entries"/>
              <PropertyValue Property="Kind" EnumMember="Org.OData.Core.V1.RevisionKind/Deprecated"/>
              <PropertyValue Property="Description" String="Count the entries instead."/>
            </Record>
          </Collection>
        </Annotation>
      </Function>
      <EntityContainer Name="Ledger">"#,
    );
    std::fs::write(&s.input, doc).unwrap();
    let text = builders(&s, false);
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let http = "/// HTTP: `GET /accounts({id})/Contoso.Ledger.entries(...)`";
    let at = lines
        .iter()
        .position(|l| *l == http)
        .unwrap_or_else(|| panic!("no `{http}` in:\n{text}"));
    let tail = &lines[at..at + 8];
    assert_eq!(
        tail[..3],
        [http, "///", "/// Success: `200 OK`."],
        "{tail:#?}"
    );
    assert_eq!(tail[3], "#[deprecated(", "{tail:#?}");
    assert_eq!(tail[5..7], [")]", "///"], "{tail:#?}");
    assert!(
        tail[7].starts_with("/// Named `entries_2` because `entries` is taken here"),
        "{tail:#?}"
    );
}

//! Requests the metadata cannot express, added by an override file as data: an entity at a
//! path below another (`path_address`), raw bodies (`add_operation` with `Edm.Stream`),
//! requests on a collection's URL (`Collection(...)` bindings) and a PUT on a navigation's
//! URL. The client plan decides each request; the emitted client and `inspect` follow it.

use std::path::Path;

use csdl_codegen::overrides::Overrides;
use csdl_codegen::plan::client::{
    Action, Body, BuilderRef, ClientPlan, Http, MethodKind, MethodPlan, Pass, Response, Step, Url,
};
use csdl_codegen::plan::Plan;
use csdl_codegen::{ClientInfo, ErrorKind, Generator};

mod support;

/// A small file store with mail, written for these tests: drives hold a root item and items
/// whose children are items; a user sends mail through an action and owns messages; a group
/// may have a team; a folder (an item with an action of its own) is a cast away. Keys are path segments, as Graph writes them.
const STORE: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="Contoso.Store" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="entity" Abstract="true">
        <Key><PropertyRef Name="id"/></Key>
        <Property Name="id" Type="Edm.String" Nullable="false"/>
      </EntityType>
      <EntityType Name="drive" BaseType="Contoso.Store.entity">
        <NavigationProperty Name="root" Type="Contoso.Store.item" ContainsTarget="true"/>
        <NavigationProperty Name="items" Type="Collection(Contoso.Store.item)" ContainsTarget="true"/>
      </EntityType>
      <EntityType Name="item" BaseType="Contoso.Store.entity">
        <Property Name="name" Type="Edm.String"/>
        <Property Name="content" Type="Edm.Stream"/>
        <NavigationProperty Name="children" Type="Collection(Contoso.Store.item)" ContainsTarget="true"/>
      </EntityType>
      <EntityType Name="folder" BaseType="Contoso.Store.item"/>
      <EntityType Name="message" BaseType="Contoso.Store.entity">
        <Property Name="subject" Type="Edm.String"/>
      </EntityType>
      <EntityType Name="draft" BaseType="Contoso.Store.message">
        <NavigationProperty Name="attachments" Type="Collection(Contoso.Store.item)" ContainsTarget="true"/>
      </EntityType>
      <EntityType Name="team" BaseType="Contoso.Store.entity">
        <Property Name="displayName" Type="Edm.String"/>
      </EntityType>
      <EntityType Name="group" BaseType="Contoso.Store.entity">
        <NavigationProperty Name="team" Type="Contoso.Store.team" ContainsTarget="true"/>
      </EntityType>
      <EntityType Name="user" BaseType="Contoso.Store.entity">
        <NavigationProperty Name="drive" Type="Contoso.Store.drive" ContainsTarget="true"/>
        <NavigationProperty Name="messages" Type="Collection(Contoso.Store.message)" ContainsTarget="true"/>
      </EntityType>
      <Action Name="sendMail" IsBound="true">
        <Parameter Name="user" Type="Contoso.Store.user"/>
        <Parameter Name="Message" Type="Contoso.Store.message"/>
      </Action>
      <Action Name="archive" IsBound="true">
        <Parameter Name="folder" Type="Contoso.Store.folder"/>
      </Action>
      <EntityContainer Name="Store">
        <EntitySet Name="drives" EntityType="Contoso.Store.drive"/>
        <EntitySet Name="users" EntityType="Contoso.Store.user"/>
        <EntitySet Name="groups" EntityType="Contoso.Store.group"/>
        <Singleton Name="me" Type="Contoso.Store.user"/>
      </EntityContainer>
      <Annotations Target="Contoso.Store.Store">
        <Annotation Term="Org.OData.Capabilities.V1.KeyAsSegmentSupported"/>
      </Annotations>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;

const OVERRIDES: &str = r#"
[[path_address]]
binding = "Contoso.Store.item"
name = "byPath"
reason = "items by path"

[[add_operation]]
binding = "Contoso.Store.user"
name = "sendMailMime"
segment = "sendMail"
method = "POST"
content_type = "text/plain"
body = "Edm.Stream"
status = 202
reason = "MIME mail"

[[add_operation]]
binding = "Collection(Contoso.Store.message)"
name = "createFromMime"
method = "POST"
content_type = "text/plain"
body = "Edm.Stream"
response = "Contoso.Store.message"
status = 201
reason = "MIME draft"

[[add_operation]]
binding = "Contoso.Store.group"
name = "createTeam"
segment = "team"
method = "PUT"
body = "Contoso.Store.team"
response = "Contoso.Store.team"
status = 201
reason = "team for a group"

[[add_operation]]
binding = "Contoso.Store.message"
name = "mime"
segment = "$value"
method = "GET"
response = "Edm.Stream"
status = 200
reason = "raw message"
"#;

fn generator(dir: &Path, overrides: &str) -> Generator {
    let input = dir.join("store.xml");
    std::fs::write(&input, STORE).unwrap();
    let file = dir.join("overrides.toml");
    std::fs::write(&file, overrides).unwrap();
    Generator::new(&input).all(true).overrides(&file)
}

/// Runs `check` with the client plan of [`STORE`] under [`OVERRIDES`].
fn with_plan(check: impl FnOnce(&ClientPlan, &csdl_codegen::Inspection)) {
    let dir = tempfile::tempdir().unwrap();
    let generator = generator(dir.path(), OVERRIDES);
    let selected = generator.select().unwrap();
    let plan = Plan::new(&selected.model, &selected.selection);
    let cp = ClientPlan::new(&plan, None);
    check(&cp, &generator.inspect().unwrap());
}

fn builder(cp: &ClientPlan, template: &str) -> usize {
    cp.surface
        .builders
        .iter()
        .position(|b| b.canonical == template)
        .unwrap_or_else(|| panic!("no builder at {template}"))
}

fn method<'p>(cp: &'p ClientPlan, template: &str, ident: &str) -> &'p MethodPlan {
    cp.methods[builder(cp, template)]
        .iter()
        .find(|m| m.ident == ident)
        .unwrap_or_else(|| panic!("no method {ident} at {template}"))
}

fn has_method(cp: &ClientPlan, template: &str, ident: &str) -> bool {
    cp.methods[builder(cp, template)]
        .iter()
        .any(|m| m.ident == ident)
}

#[test]
fn a_path_address_opens_the_same_item_builder_below_the_entity() {
    with_plan(|cp, inspection| {
        let item = "/drives/{id}/root";
        let index = builder(cp, item);
        let by_path = method(cp, item, "by_path");
        assert_eq!(by_path.kind, MethodKind::PathAddress(0));
        let Action::Open(open) = &by_path.action else {
            panic!("by_path opens a builder")
        };
        // The builder a key opens, so everything an item has follows the path.
        assert_eq!(open.target, BuilderRef::Planned(index));
        assert_eq!(open.step, Step::PathAddress);
        assert_eq!(open.template, "/drives/{id}/root:/{path}:");
        assert_eq!(open.args.len(), 1);
        assert_eq!(open.args[0].ident, "path");
        assert_eq!(open.args[0].pass, Pass::AsRefStr);
        for continued in ["children", "content", "get", "delete"] {
            assert!(has_method(cp, item, continued), "{continued}");
        }
        // The one item builder serves root, items/{id} and children/{id} (and derived
        // types' casts lead back to it); a type unrelated to the binding has none.
        let key = cp.methods[builder(cp, "/drives/{id}/items")]
            .iter()
            .find(|m| m.kind == MethodKind::Key)
            .unwrap();
        assert!(matches!(&key.action, Action::Open(o) if o.target == BuilderRef::Planned(index)));
        for other in ["/drives/{id}", "/me", "/groups/{id}"] {
            assert!(!has_method(cp, other, "by_path"), "{other}");
        }
        // A derived type's builder opens the binding type's: a path reaches any item.
        let folder = method(cp, "/drives/{id}/root/Contoso.Store.folder", "by_path");
        assert!(
            matches!(&folder.action, Action::Open(o) if o.target == BuilderRef::Planned(index)
            && o.template == "/drives/{id}/root/Contoso.Store.folder:/{path}:")
        );
        // `inspect` lists the URL form with the builder's requests.
        let row = inspection
            .report
            .urls
            .iter()
            .find(|u| u.template == "/drives/{id}/root:/{path}:")
            .expect("the path form is listed");
        assert_eq!(row.methods, "-");
        assert!(
            row.what.contains("at a path below it (`byPath`)"),
            "{}",
            row.what
        );
    });
}

#[test]
fn raw_bodies_have_their_content_type_and_are_the_callers_bytes() {
    with_plan(|cp, _| {
        let mime = method(cp, "/me", "send_mail_mime");
        let Action::Send(r) = &mime.action else {
            panic!("a request")
        };
        assert_eq!(r.http, Http::Post);
        assert_eq!(r.template, "/me/sendMail");
        assert_eq!(r.url, Url::Segment("sendMail".into()));
        assert_eq!(r.body, Body::Raw("text/plain".into()));
        assert_eq!(r.response, Response::Empty);
        assert!(r.args.is_empty());
        // The metadata's JSON action stays beside it.
        assert!(has_method(cp, "/me", "send_mail"));

        // Bound to a collection: on the collection builder, at its own URL.
        let create = method(cp, "/me/messages", "create_from_mime");
        let Action::Send(r) = &create.action else {
            panic!("a request")
        };
        assert_eq!((r.http, r.template.as_str()), (Http::Post, "/me/messages"));
        assert_eq!(r.url, Url::Same);
        assert_eq!(r.body, Body::Raw("text/plain".into()));
        assert!(matches!(&r.response, Response::Json(t) if !t.collection));
        // ... of exactly that type: not on a cast collection of a derived type.
        assert!(!has_method(
            cp,
            "/me/messages/Contoso.Store.draft",
            "create_from_mime"
        ));
        assert!(has_method(cp, "/me/messages/Contoso.Store.draft", "create"));
        // ... and not on one message.
        assert!(!has_method(cp, "/me/messages/{id}", "create_from_mime"));

        // A raw response is media.
        let raw = method(cp, "/me/messages/{id}", "mime");
        let Action::Send(r) = &raw.action else {
            panic!("a request")
        };
        assert_eq!((r.http, r.response.clone()), (Http::Get, Response::Media));
        assert_eq!(r.template, "/me/messages/{id}/$value");
    });
}

#[test]
fn a_put_on_a_navigation_is_a_request_of_its_owner() {
    with_plan(|cp, _| {
        let put = method(cp, "/groups/{id}", "create_team");
        let Action::Send(r) = &put.action else {
            panic!("a request")
        };
        assert_eq!(
            (r.http, r.template.as_str()),
            (Http::Put, "/groups/{id}/team")
        );
        assert!(
            matches!(&r.body, Body::Typed { content_type, .. } if content_type == "application/json")
        );
        assert!(matches!(&r.response, Response::Json(_)));
        // The team's own update stays PATCH.
        assert!(has_method(cp, "/groups/{id}/team", "update"));
        assert!(!has_method(cp, "/groups/{id}/team", "replace"));
    });
}

#[test]
fn the_client_renders_what_the_plan_says() {
    let dir = tempfile::tempdir().unwrap();
    let output = generator(dir.path(), OVERRIDES)
        .client(ClientInfo::new("https://store.example/v1").crate_name("store"))
        .generate()
        .unwrap();
    let builders = support::file(&output.client, "src/builders.rs").to_string();
    let item = builders.split("impl ItemRequestBuilder {").nth(1).unwrap();
    let item = &item[..item.find("\n}\n").unwrap()];
    assert!(
        item.contains("pub fn by_path(&self, path: impl AsRef<str>) -> ItemRequestBuilder {"),
        "{item}"
    );
    assert!(
        item.contains("path: self.path.clone().path_address(path.as_ref())"),
        "{item}"
    );
    let user = builders.split("impl UserRequestBuilder {").nth(1).unwrap();
    let user = &user[..user.find("\n}\n").unwrap()];
    assert!(
        user.contains("pub fn send_mail_mime(&self, body: impl Into<Vec<u8>>) -> Request<()> {"),
        "{user}"
    );
    assert!(
        user.contains(".bytes_body(body.into(), \"text/plain\")"),
        "{user}"
    );
    // Without docs of their own, the entries' reasons say what the methods are for.
    assert!(
        user.contains("/// Added by the override file: MIME mail\n"),
        "{user}"
    );
    assert!(
        item.contains("/// Added by the override file: items by path\n"),
        "{item}"
    );
    // Every entry is reported with its reason.
    for line in [
        "path_address Contoso.Store.item/byPath: added (items by path)",
        "add_operation Collection(Contoso.Store.message)/createFromMime: POST (MIME draft)",
    ] {
        assert!(
            output.overrides.iter().any(|l| l == line),
            "{:#?}",
            output.overrides
        );
    }
}

#[test]
fn entries_that_do_not_fit_name_the_problem_and_a_likely_fix() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "[[path_address]]\nbinding = \"Contoso.Store.itme\"\nname = \"byPath\"\nreason = \"r\"\n",
            "Contoso.Store.itme",
            "type `Contoso.Store.itme` is not defined; did you mean `Contoso.Store.item`?",
        ),
        (
            "[[add_operation]]\nbinding = \"Collection(Contoso.Store.mesage)\"\nname = \"x\"\nmethod = \"POST\"\nstatus = 201\nreason = \"r\"\n",
            "Contoso.Store.mesage",
            "did you mean `Contoso.Store.message`?",
        ),
        (
            "[[add_operation]]\nbinding = \"Contoso.Store.user\"\nname = \"x\"\nmethod = \"POST\"\nbody = \"Edm.Binary\"\nstatus = 202\nreason = \"r\"\n",
            "Edm.Binary",
            "only `Edm.Stream` (raw content) is a body here, not `Binary`",
        ),
        (
            "[[add_operation]]\nbinding = \"Contoso.Store.user\"\nname = \"x\"\nmethod = \"POST\"\nbody = \"Contoso.Store.mesage\"\nstatus = 202\nreason = \"r\"\n",
            "Contoso.Store.mesage",
            "override type `Contoso.Store.mesage` is not defined; did you mean `Contoso.Store.message`?",
        ),
    ];
    for (text, name, needle) in cases {
        let err = generator(dir.path(), text).generate().unwrap_err();
        assert_eq!(err.kind, ErrorKind::Config, "{err}");
        assert_eq!(err.name.as_deref(), Some(name), "{err}");
        assert!(err.message.contains(needle), "{err}");
        assert!(err.file.is_some(), "{err}");
    }
    // A misspelt entry is refused by the parser, which lists the entries it knows.
    let err = Overrides::parse("[[path_adress]]\nbinding = \"a.b\"\n").unwrap_err();
    assert_eq!(err.kind, ErrorKind::Config);
    assert!(err.message.contains("path_address"), "{err}");
    let err = Overrides::parse("[[path_address]]\nbinding = \"a.b\"\nname = \"p\"\n").unwrap_err();
    assert!(err.message.contains("reason"), "{err}");
}

#[test]
fn applying_twice_adds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("store.xml");
    std::fs::write(&input, STORE).unwrap();
    let document = csdl_codegen::csdl::read_file(&input).unwrap();
    let mut model =
        csdl_codegen::model::resolve_all(&csdl_codegen::csdl::Loaded::single(document)).unwrap();
    let overrides = Overrides::parse(OVERRIDES).unwrap();
    overrides.apply(&mut model).unwrap();
    let again = overrides.apply(&mut model).unwrap();
    assert!(
        again
            .iter()
            .all(|l| l.ends_with("already defined, skipped")),
        "{again:#?}"
    );
    assert_eq!(model.path_addresses.len(), 1);
    assert_eq!(model.http_operations.len(), 4);
    assert!(model.http_operations.iter().any(|o| o.collection));
}

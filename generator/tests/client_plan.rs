//! The client plan describes every request before anything is rendered: HTTP method, URL
//! template and form, arguments and how each is passed, body and response kind. The
//! emitter and `inspect` render it; these tests check the plan itself, that `inspect`
//! lists exactly the requests the plan has, and the one thing the emitter adds to every
//! method it renders (`#[inline]`).

use std::collections::BTreeSet;

use csdl_codegen::plan::client::{
    Action, Body, BuilderRef, ClientPlan, LiteralKind, MethodKind, MethodPlan, Pass, Response,
    Shared, Step, Url,
};
use csdl_codegen::plan::Plan;
use csdl_codegen::{Generator, Root};

mod support;
use support::workspace_root;

/// A shop with deep containment (orders → lines → product), a composite key, a media
/// entity, a stream property, a non-containing navigation, bound actions and functions, and
/// imports.
const SHOP: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="Contoso.Shop" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EnumType Name="status"><Member Name="open"/><Member Name="closed"/></EnumType>
      <ComplexType Name="address"><Property Name="city" Type="Edm.String"/></ComplexType>
      <EntityType Name="order">
        <Key><PropertyRef Name="orderId"/></Key>
        <Property Name="orderId" Type="Edm.Int32" Nullable="false"/>
        <Property Name="label" Type="Edm.Stream"/>
        <NavigationProperty Name="lines" Type="Collection(Contoso.Shop.line)" ContainsTarget="true"/>
        <NavigationProperty Name="customer" Type="Contoso.Shop.customer"/>
      </EntityType>
      <EntityType Name="line">
        <Key><PropertyRef Name="orderId"/><PropertyRef Name="position"/></Key>
        <Property Name="orderId" Type="Edm.Int32" Nullable="false"/>
        <Property Name="position" Type="Edm.Int16" Nullable="false"/>
        <NavigationProperty Name="product" Type="Contoso.Shop.product"/>
      </EntityType>
      <EntityType Name="product" HasStream="true">
        <Key><PropertyRef Name="sku"/></Key>
        <Property Name="sku" Type="Edm.String" Nullable="false"/>
      </EntityType>
      <EntityType Name="customer">
        <Key><PropertyRef Name="id"/></Key>
        <Property Name="id" Type="Edm.Guid" Nullable="false"/>
      </EntityType>
      <Action Name="ship" IsBound="true">
        <Parameter Name="order" Type="Contoso.Shop.order"/>
        <Parameter Name="to" Type="Contoso.Shop.address"/>
      </Action>
      <Action Name="reprice" IsBound="true">
        <Parameter Name="order" Type="Contoso.Shop.order"/>
        <Parameter Name="factor" Type="Edm.Double"/>
        <Parameter Name="reason" Type="Edm.String"/>
      </Action>
      <Function Name="byStatus" IsBound="true">
        <Parameter Name="orders" Type="Collection(Contoso.Shop.order)"/>
        <Parameter Name="status" Type="Contoso.Shop.status" Nullable="false"/>
        <Parameter Name="since" Type="Edm.Date"/>
        <ReturnType Type="Collection(Contoso.Shop.order)"/>
      </Function>
      <Function Name="total" IsBound="true">
        <Parameter Name="order" Type="Contoso.Shop.order"/>
        <ReturnType Type="Edm.Decimal"/>
      </Function>
      <Action Name="reset"/>
      <EntityContainer Name="Shop">
        <EntitySet Name="orders" EntityType="Contoso.Shop.order">
          <NavigationPropertyBinding Path="customer" Target="customers"/>
        </EntitySet>
        <EntitySet Name="customers" EntityType="Contoso.Shop.customer"/>
        <ActionImport Name="reset" Action="Contoso.Shop.reset"/>
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;

/// Runs `check` with the client plan of `roots` over [`SHOP`] (everything without roots).
fn with_plan(roots: &[&str], check: impl FnOnce(&ClientPlan, &csdl_codegen::Inspection)) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("shop.xml");
    std::fs::write(&input, SHOP).unwrap();
    let generator = Generator::new(&input)
        .roots(roots.iter().map(|r| Root::parse(r)).collect())
        .all(roots.is_empty());
    let selected = generator.select().unwrap();
    let plan = Plan::new(&selected.model, &selected.selection);
    let cp = ClientPlan::new(&plan, None);
    check(&cp, &generator.inspect().unwrap());
}

/// The methods of the builder whose canonical URL is `template`.
fn methods<'p>(cp: &'p ClientPlan, template: &str) -> &'p [MethodPlan] {
    let index = cp
        .surface
        .builders
        .iter()
        .position(|b| b.canonical == template)
        .unwrap_or_else(|| panic!("no builder at {template}"));
    &cp.methods[index]
}

fn method<'p>(methods: &'p [MethodPlan], ident: &str) -> &'p MethodPlan {
    methods
        .iter()
        .find(|m| m.ident == ident)
        .unwrap_or_else(|| panic!("no method {ident}"))
}

#[test]
fn path_roots_put_a_key_after_every_collection_they_pass() {
    with_plan(&["orders/{id}/lines/{id}/product"], |cp, inspection| {
        assert_eq!(cp.surface.roots, ["/orders({id})/lines({id})/product"]);
        let line = &inspection.report.path_roots[0];
        assert!(
            line.starts_with("/orders({id})/lines({id})/product -> Contoso.Shop.product"),
            "{line}"
        );
        // The builder the root ends at has that URL.
        assert!(cp
            .surface
            .builders
            .iter()
            .any(|b| b.canonical == "/orders({id})/lines({id})/product"));
    });
}

#[test]
fn keys_are_typed_literals_single_or_composite() {
    with_plan(&["orders/{id}/lines/{id}/product"], |cp, _| {
        let orders = methods(cp, "/orders");
        let Action::Open(by_id) = &method(orders, "by_id").action else {
            panic!("by_id opens the item")
        };
        assert_eq!(by_id.step, Step::KeyValue);
        assert_eq!(by_id.template, "/orders({id})");
        assert_eq!(by_id.args[0].pass, Pass::Value);
        assert_eq!(
            by_id.args[0].literal,
            LiteralKind::Primitive(csdl_codegen::model::Primitive::Int32)
        );
        let lines = methods(cp, "/orders({id})/lines");
        let by_key = method(lines, "by_key");
        let Action::Open(open) = &by_key.action else {
            panic!("by_key opens the item")
        };
        assert_eq!(open.step, Step::CompositeKey);
        let parts: Vec<&str> = open.args.iter().map(|a| a.wire.as_str()).collect();
        assert_eq!(parts, ["orderId", "position"]);
    });
}

#[test]
fn each_request_has_its_method_url_body_and_response() {
    with_plan(&["orders"], |cp, _| {
        let orders = methods(cp, "/orders");
        let Action::Send(list) = &method(orders, "list").action else {
            panic!()
        };
        assert_eq!(
            (list.http.as_str(), list.template.as_str()),
            ("GET", "/orders")
        );
        assert!(matches!(list.response, Response::Page(_)));
        let Action::Send(count) = &method(orders, "count").action else {
            panic!()
        };
        assert_eq!(count.template, "/orders/$count");
        assert_eq!(count.response, Response::Count);
        let Action::Send(create) = &method(orders, "create").action else {
            panic!()
        };
        assert_eq!(create.http.as_str(), "POST");
        assert!(matches!(create.body, Body::Entity(_)));
        assert!(matches!(create.response, Response::Created(_)));
        // A function bound to the collection: GET, arguments as URL literals, optional
        // where nullable, an enum literal qualified by its type.
        let Action::Send(by_status) = &method(orders, "by_status").action else {
            panic!()
        };
        assert_eq!(by_status.http.as_str(), "GET");
        assert_eq!(by_status.url, Url::Function("Contoso.Shop.byStatus".into()));
        assert_eq!(by_status.template, "/orders/Contoso.Shop.byStatus(...)");
        let status = &by_status.args[0];
        assert_eq!(
            status.literal,
            LiteralKind::Enum("Contoso.Shop.status".into())
        );
        assert!(!status.optional);
        assert!(
            by_status.args[1].optional,
            "a nullable function parameter is optional"
        );
        assert!(matches!(by_status.response, Response::Page(_)));

        let order = methods(cp, "/orders({id})");
        let Action::Send(update) = &method(order, "update").action else {
            panic!()
        };
        assert_eq!(update.http.as_str(), "PATCH");
        // One action parameter is the body's one member, passed by reference.
        let Action::Send(ship) = &method(order, "ship").action else {
            panic!()
        };
        assert_eq!(ship.http.as_str(), "POST");
        assert_eq!(ship.url, Url::Action("Contoso.Shop.ship".into()));
        assert_eq!(ship.body, Body::Member);
        assert_eq!(ship.args[0].pass, Pass::Ref);
        // Two or more: the parameters struct.
        let Action::Send(reprice) = &method(order, "reprice").action else {
            panic!()
        };
        assert!(matches!(reprice.body, Body::Parameters(_)));
        assert!(reprice.args.is_empty());
        let Body::Parameters(op) = reprice.body else {
            unreachable!()
        };
        assert_eq!(cp.parameters[&op].ident, "RepriceParameters");
        // A primitive return is read from `{"value": ...}`.
        let Action::Send(total) = &method(order, "total").action else {
            panic!()
        };
        assert!(matches!(total.response, Response::Value(_)));
        // Links of a navigation that does not contain its target.
        let customer_ref = method(order, "customer_ref");
        assert_eq!(
            customer_ref.kind,
            MethodKind::Reference { collection: false }
        );
        assert!(matches!(
            &customer_ref.action,
            Action::Open(o) if o.target == BuilderRef::Shared(Shared::Reference)
        ));
        // The stream property opens the raw content builder.
        let label = method(order, "label");
        assert!(matches!(
            &label.action,
            Action::Open(o) if o.target == BuilderRef::Shared(Shared::Media) && o.template == "/orders({id})/label"
        ));
        // Only the shared builders some method opens exist.
        let shared: Vec<Shared> = cp.shared.iter().map(|s| s.kind).collect();
        assert_eq!(shared, [Shared::Media, Shared::Reference]);
    });
}

#[test]
fn unlinking_follows_the_key_convention() {
    // The OData 4.0 form names the entity by URL in `$id` (keys in parentheses here).
    let doc = SHOP.replace(
        r#"<NavigationProperty Name="customer" Type="Contoso.Shop.customer"/>"#,
        r#"<NavigationProperty Name="customer" Type="Contoso.Shop.customer"/><NavigationProperty Name="watchers" Type="Collection(Contoso.Shop.customer)"/>"#,
    );
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("shop.xml");
    std::fs::write(&input, doc).unwrap();
    let selected = Generator::new(&input)
        .roots(vec![Root::parse("orders")])
        .select()
        .unwrap();
    let plan = Plan::new(&selected.model, &selected.selection);
    let cp = ClientPlan::new(&plan, None);
    let refs = cp
        .shared(Shared::References)
        .expect("the links builder exists");
    let remove = refs.methods.iter().find(|m| m.ident == "remove").unwrap();
    let Action::Send(remove) = &remove.action else {
        panic!()
    };
    assert_eq!(remove.template, "/$ref?$id={url}");
    assert_eq!(remove.url, Url::SegmentWithId("$ref".into()));
}

/// `inspect` lists exactly the requests of the plan: every (method, URL) the plan sends is
/// a row, and every row with methods is a request of the plan.
#[test]
fn inspect_lists_exactly_the_planned_requests() {
    with_plan(
        &["orders/{id}/lines/{id}/product", "orders", "customers"],
        |cp, inspection| {
            let mut planned = BTreeSet::new();
            let all = cp.methods.iter().flatten().chain(&cp.client_methods);
            for m in all {
                match &m.action {
                    Action::Send(r) => {
                        planned.insert((r.http.as_str().to_string(), r.template.clone()));
                    }
                    Action::Open(o) => {
                        if let BuilderRef::Shared(kind) = o.target {
                            for sm in &cp.shared(kind).unwrap().methods {
                                if let Action::Send(r) = &sm.action {
                                    planned.insert((
                                        r.http.as_str().to_string(),
                                        format!("{}{}", o.template, r.template),
                                    ));
                                }
                            }
                        }
                    }
                }
            }
            let listed: BTreeSet<(String, String)> = inspection
                .report
                .urls
                .iter()
                .flat_map(|u| {
                    u.methods
                        .split(' ')
                        .filter(|m| *m != "-")
                        .map(|m| (m.to_string(), u.template.clone()))
                        .collect::<Vec<_>>()
                })
                .collect();
            assert_eq!(listed, planned);
            assert!(listed.contains(&("DELETE".into(), "/orders({id})/customer/$ref".into())));
            assert!(listed.contains(&(
                "GET".into(),
                "/orders({id})/lines({id})/product/$value".into()
            )));
        },
    );
}

#[test]
fn imports_are_requests_of_the_client() {
    with_plan(&[], |cp, inspection| {
        // The import is a method of the client.
        let reset = cp
            .client_methods
            .iter()
            .find(|m| m.ident == "reset")
            .unwrap();
        let Action::Send(reset) = &reset.action else {
            panic!()
        };
        assert_eq!(
            (reset.http.as_str(), reset.template.as_str()),
            ("POST", "/reset")
        );
        assert!(inspection
            .report
            .urls
            .iter()
            .any(|u| u.template == "/reset" && u.methods == "POST"));
    });
}

/// A parameter named like the struct's own `additional_properties` field gets the numbered
/// name, so the generated struct has no duplicate field.
#[test]
fn a_parameter_does_not_collide_with_additional_properties() {
    let doc = SHOP.replace(
        r#"<Parameter Name="reason" Type="Edm.String"/>"#,
        r#"<Parameter Name="reason" Type="Edm.String"/><Parameter Name="additionalProperties" Type="Edm.String"/>"#,
    );
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("shop.xml");
    std::fs::write(&input, doc).unwrap();
    let selected = Generator::new(&input)
        .roots(vec![Root::parse("orders")])
        .select()
        .unwrap();
    let plan = Plan::new(&selected.model, &selected.selection);
    let cp = ClientPlan::new(&plan, None);
    let reprice = cp
        .parameters
        .values()
        .find(|s| s.ident == "RepriceParameters")
        .unwrap();
    let field = reprice
        .fields
        .iter()
        .find(|f| f.wire == "additionalProperties")
        .unwrap();
    assert_eq!(field.ident, "additional_properties_2");
    assert_eq!(
        field.collided_with.as_deref(),
        Some("additional_properties")
    );
}

/// Action parameters travel as body members spelled the way the service documents them:
/// Graph's metadata writes older actions' parameters in PascalCase (`Message`,
/// `SaveToSentItems`) and its documentation, which the service accepts, in lowerCamelCase;
/// any other service gets the metadata's spelling (OData matches it exactly).
#[test]
fn action_body_members_follow_the_services_spelling() {
    let graph = SHOP
        .replace("Contoso.Shop", "microsoft.graph")
        .replace(
            r#"<Parameter Name="factor" Type="Edm.Double"/>
        <Parameter Name="reason" Type="Edm.String"/>"#,
            r#"<Parameter Name="Factor" Type="Edm.Double"/>
        <Parameter Name="SaveReason" Type="Edm.String"/>
        <Parameter Name="ID" Type="Edm.String"/>"#,
        )
        .replace(
            r#"<Parameter Name="to" Type="microsoft.graph.address"/>"#,
            r#"<Parameter Name="To" Type="microsoft.graph.address"/>"#,
        );
    let body_members = |doc: &str| {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("doc.xml");
        std::fs::write(&input, doc).unwrap();
        let selected = Generator::new(&input).all(true).select().unwrap();
        let plan = Plan::new(&selected.model, &selected.selection);
        let cp = ClientPlan::new(&plan, None);
        let reprice = cp
            .parameters
            .values()
            .find(|s| s.ident == "RepriceParameters")
            .unwrap();
        let fields: Vec<(String, String)> = reprice
            .fields
            .iter()
            .map(|f| (f.wire.clone(), f.ident.clone()))
            .collect();
        let ship = cp
            .methods
            .iter()
            .flatten()
            .find(|m| m.ident == "ship")
            .unwrap();
        let Action::Send(request) = &ship.action else {
            panic!("ship sends a request")
        };
        assert_eq!(request.body, Body::Member);
        (fields, request.args[0].wire.clone())
    };
    let (fields, ship) = body_members(&graph);
    let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    assert_eq!(
        fields,
        pairs(&[
            ("factor", "factor"),
            ("saveReason", "save_reason"),
            ("ID", "id")
        ])
    );
    assert_eq!(ship, "to");
    // The same names in another service's metadata are sent as written.
    let other = graph.replace("microsoft.graph", "Contoso.Shop");
    let (fields, ship) = body_members(&other);
    assert_eq!(
        fields,
        pairs(&[
            ("Factor", "factor"),
            ("SaveReason", "save_reason"),
            ("ID", "id")
        ])
    );
    assert_eq!(ship, "To");
}

/// The root type's fixed methods, written once per client: its constructors and its
/// accessor of the runtime client (a navigation of the same name is checked, since it takes
/// `&self` and returns a builder).
fn is_root_fixed(f: &syn::ImplItemFn) -> bool {
    let fixed = ["builder", "new", "from_client", "client"];
    let takes_self = matches!(f.sig.inputs.first(), Some(syn::FnArg::Receiver(_)));
    let returns_ref = matches!(&f.sig.output, syn::ReturnType::Type(_, t) if matches!(**t, syn::Type::Reference(_)));
    fixed.contains(&f.sig.ident.to_string().as_str()) && (!takes_self || returns_ref)
}

/// Every method of the inherent `impl`s in `items` (nested modules included) but the
/// root's fixed ones: `(name, whether it is #[inline])`.
fn client_methods(items: &[syn::Item], out: &mut Vec<(String, bool)>) {
    for item in items {
        match item {
            syn::Item::Mod(m) => client_methods(m.content.as_ref().map_or(&[], |c| &c.1), out),
            syn::Item::Impl(i) if i.trait_.is_none() => {
                for item in &i.items {
                    if let syn::ImplItem::Fn(f) = item {
                        if !is_root_fixed(f) {
                            let inline = f.attrs.iter().any(|a| a.path().is_ident("inline"));
                            out.push((f.sig.ident.to_string(), inline));
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// Every request method and every method that opens a builder is `#[inline]`: rustc then
/// compiles it, and the decoding it instantiates, where it is called, so that a client crate
/// generates no code for the responses it could decode. Checked on [`SHOP`]'s single-file
/// client and on the checked-in clients: the synchronization client and `graph-sdk`, whose
/// builders are gated by area features and split into numbered files.
#[test]
fn every_request_and_builder_method_is_compiled_where_it_is_called() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("shop.xml");
    std::fs::write(&input, SHOP).unwrap();
    let text = Generator::new(&input)
        .all(true)
        .client(csdl_codegen::ClientInfo::new("https://shop.example/odata"))
        .generate_module()
        .unwrap();
    let file = syn::parse_file(&text).unwrap();
    let client = file
        .items
        .iter()
        .find_map(|i| match i {
            syn::Item::Mod(m) if m.ident == "client" => m.content.as_ref(),
            _ => None,
        })
        .expect("the module has a client");
    let mut shop = Vec::new();
    client_methods(&client.1, &mut shop);
    // Every kind of method: sends (get, list, create, count, actions, functions, media) and
    // opens (keys, navigations).
    let names: BTreeSet<&str> = shop.iter().map(|(n, _)| n.as_str()).collect();
    for name in [
        "get", "list", "create", "count", "ship", "by_id", "lines", "content",
    ] {
        assert!(names.contains(name), "no method {name} in {names:?}");
    }
    let mut crates = vec![("shop", shop)];
    let root = workspace_root();
    for (krate, least) in [("graph-synchronization-client", 100), ("graph-sdk", 10_000)] {
        let src = root.join("generated").join(krate).join("src");
        let mut paths = vec![src.join("builders.rs")];
        if let Ok(parts) = std::fs::read_dir(src.join("builders")) {
            paths.extend(parts.map(|e| e.unwrap().path()));
        }
        let mut methods = Vec::new();
        for path in paths {
            let text = std::fs::read_to_string(&path).unwrap();
            client_methods(&syn::parse_file(&text).unwrap().items, &mut methods);
        }
        assert!(methods.len() >= least, "{krate}: {} methods", methods.len());
        crates.push((krate, methods));
    }
    for (krate, methods) in crates {
        let not_inline: Vec<&str> = methods
            .iter()
            .filter(|(_, inline)| !inline)
            .map(|(name, _)| name.as_str())
            .take(10)
            .collect();
        assert!(
            not_inline.is_empty(),
            "{krate}: not #[inline]: {not_inline:?}"
        );
    }
}

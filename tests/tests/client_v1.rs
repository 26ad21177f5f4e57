//! HTTP behaviour tests of `graph-synchronization-client` (Microsoft Graph v1.0) against a
//! local wiremock server. The tests themselves live in `sync_client/mod.rs`, shared with
//! `client_beta.rs`.

use graph_synchronization_client as client;

/// The base URL path the client is pointed at (`<server>/v1.0`).
const VERSION: &str = "v1.0";

#[path = "sync_client/mod.rs"]
mod sync_client;

#[test]
fn default_base_url_is_graph_v1() {
    assert_eq!(
        client::GraphClient::DEFAULT_BASE_URL,
        "https://graph.microsoft.com/v1.0"
    );
    let graph =
        client::GraphClient::new(client::runtime::StaticTokenCredential::new("t0k3n")).unwrap();
    let request = graph
        .service_principals()
        .by_id("sp-1")
        .synchronization()
        .get()
        .build()
        .unwrap();
    assert_eq!(
        request.url.as_str(),
        "https://graph.microsoft.com/v1.0/servicePrincipals/sp-1/synchronization"
    );
    let agent = request.headers["user-agent"].to_str().unwrap();
    assert!(
        agent.starts_with("graph-synchronization-client/"),
        "{agent}"
    );
}

/// v1.0's `instantiate` takes its two parameters in one struct; an unset one is left out.
#[test]
fn instantiate_sends_its_parameters_as_one_object() {
    use client::parameters::InstantiateParameters;
    let graph =
        client::GraphClient::new(client::runtime::StaticTokenCredential::new("t0k3n")).unwrap();
    let template = graph.application_templates().by_id("8b1025e4");
    for (parameters, body) in [
        (
            InstantiateParameters {
                display_name: Some("Contoso".into()),
                service_management_reference: Some("svc-42".into()),
                ..Default::default()
            },
            serde_json::json!({"displayName": "Contoso", "serviceManagementReference": "svc-42"}),
        ),
        (
            InstantiateParameters {
                display_name: Some("Contoso".into()),
                ..Default::default()
            },
            serde_json::json!({"displayName": "Contoso"}),
        ),
    ] {
        let request = template.instantiate(&parameters).build().unwrap();
        assert_eq!(request.method, client::runtime::Method::POST);
        assert_eq!(
            request.url.as_str(),
            "https://graph.microsoft.com/v1.0/applicationTemplates/8b1025e4/instantiate"
        );
        let sent: serde_json::Value = serde_json::from_slice(&request.body.unwrap()).unwrap();
        assert_eq!(sent, body);
    }
}

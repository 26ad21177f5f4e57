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

//! HTTP behaviour tests of `graph-synchronization-beta-client` (Microsoft Graph beta) against
//! a local wiremock server: the endpoints shared with v1.0 (`sync_client/mod.rs`) plus the
//! beta-only ones.
// The beta metadata deprecates the synchronization secrets; they are still tested.
#![allow(deprecated)]

use graph_synchronization_beta_client as client;

/// The base URL path the client is pointed at (`<server>/beta`).
const VERSION: &str = "beta";

#[path = "sync_client/mod.rs"]
mod sync_client;

mod http_support;

mod beta_only {
    use serde_json::json;
    use wiremock::matchers::{header, header_exists, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use super::client::runtime::StaticTokenCredential;
    use super::client::GraphClient;
    use super::http_support::local_client;

    #[tokio::test]
    async fn ping_on_both_roots() {
        let server = MockServer::start().await;
        let graph = GraphClient::from_client(local_client(&format!("{}/beta", server.uri())));
        for root in ["servicePrincipals/sp-1", "applications/app-1"] {
            Mock::given(method("GET"))
                .and(path(format!("/beta/{root}/synchronization/Ping()")))
                .and(header("authorization", "Bearer t0k3n"))
                .and(header_exists("client-request-id"))
                .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                    "@odata.context": "https://graph.microsoft.com/beta/$metadata#Edm.String",
                    "value": "pong"
                })))
                .expect(1)
                .mount(&server)
                .await;
        }

        let sp = graph.service_principals().by_id("sp-1").synchronization();
        assert_eq!(sp.ping().await.unwrap(), "pong");
        let app = graph.applications().by_id("app-1").synchronization();
        assert_eq!(app.ping().await.unwrap(), "pong");
        server.verify().await;
    }

    /// Beta's `instantiate` has one parameter, passed directly.
    #[test]
    fn instantiate_sends_the_display_name() {
        let graph = GraphClient::new(StaticTokenCredential::new("t0k3n")).unwrap();
        let request = graph
            .application_templates()
            .by_id("8b1025e4")
            .instantiate("Contoso")
            .build()
            .unwrap();
        assert_eq!(
            request.url.as_str(),
            "https://graph.microsoft.com/beta/applicationTemplates/8b1025e4/instantiate"
        );
        let sent: serde_json::Value = serde_json::from_slice(&request.body.unwrap()).unwrap();
        assert_eq!(sent, json!({"displayName": "Contoso"}));
    }

    #[test]
    fn default_base_url_is_graph_beta() {
        assert_eq!(
            GraphClient::DEFAULT_BASE_URL,
            "https://graph.microsoft.com/beta"
        );
    }
}

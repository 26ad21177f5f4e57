//! The provisioning example of `graph-synchronization-client`
//! (`generated/graph-synchronization-client/examples/provisioning.rs`, from
//! `specs/examples/provisioning.rs`) run against a local mock of Microsoft Graph:
//!
//! 1. create a synchronization job from the `BoxOutDelta` template on a service principal,
//! 2. start it,
//! 3. poll the job until its status code is `Active` (the service reports `NotRun` first),
//! 4. provision one user on demand and read the result.

mod http_support;
use http_support::local_client;

use std::time::Duration;

use graph_synchronization_client::GraphClient;
use serde_json::{json, Value};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[path = "../../generated/graph-synchronization-client/examples/provisioning.rs"]
mod provisioning;

use provisioning::{provision_user, Polling};

#[tokio::test]
async fn provision_a_user_through_a_new_box_job() {
    const SP: &str = "9f8e7d6c-0000-4000-8000-000000000001";
    const RULE: &str = "03f7d90d-bf71-41b1-bda6-aaf0ddbee5d8";
    const USER: &str = "1a2b3c4d-0000-4000-8000-000000000002";
    const JOB: &str = "BoxOutDelta.e4bbad1f6ab44ee2a3b1a5b8b7c7ac3f.9f8e7d6c";

    let server = MockServer::start().await;
    let jobs = format!("/v1.0/servicePrincipals/{SP}/synchronization/jobs");
    let job = format!("{jobs}/{JOB}");
    let authorized = || header("authorization", "Bearer t0k3n");

    // POST .../jobs creates the job from the template.
    Mock::given(method("POST"))
        .and(path(&jobs))
        .and(authorized())
        .and(body_json(json!({"templateId": "BoxOutDelta"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "id": JOB,
            "templateId": "BoxOutDelta",
            "status": {"code": "NotConfigured"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    // POST .../start.
    Mock::given(method("POST"))
        .and(path(format!("{job}/start")))
        .and(authorized())
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    // GET .../jobs/{id}: NotRun twice, then Active (mocks are tried in mounting order).
    let status = |code: &str| {
        ResponseTemplate::new(200).set_body_json(json!({"id": JOB, "status": {"code": code}}))
    };
    Mock::given(method("GET"))
        .and(path(&job))
        .and(query_param("$select", "id,status"))
        .and(authorized())
        .respond_with(status("NotRun"))
        .up_to_n_times(2)
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(&job))
        .and(query_param("$select", "id,status"))
        .and(authorized())
        .respond_with(status("Active"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    // POST .../provisionOnDemand for one user.
    Mock::given(method("POST"))
        .and(path(format!("{job}/provisionOnDemand")))
        .and(authorized())
        .and(body_json(json!({
            "parameters": [{
                "ruleId": RULE,
                "subjects": [{"objectId": USER, "objectTypeName": "User"}]
            }]
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.type": "#microsoft.graph.stringKeyStringValuePair",
            "key": "{\"provisioningSteps\":1}",
            "value": "{\"sourceIdentity\":{\"id\":\"1a2b3c4d-0000-4000-8000-000000000002\"},\"status\":\"success\"}"
        })))
        .expect(1)
        .mount(&server)
        .await;

    // Outside tests: `GraphClient::new(credential)?` talks to https://graph.microsoft.com/v1.0.
    let graph = GraphClient::from_client(local_client(&format!("{}/v1.0", server.uri())));

    let polling = Polling {
        interval: Duration::from_millis(5),
        max_polls: 10,
    };
    let report = provision_user(&graph, SP, RULE, USER, polling)
        .await
        .unwrap();

    // The report's value is a JSON document in a string.
    let details: Value = serde_json::from_str(report.value.as_deref().unwrap()).unwrap();
    assert_eq!(details["status"], "success");
    assert_eq!(details["sourceIdentity"]["id"], USER);

    server.verify().await;
    let requests = server.received_requests().await.unwrap();
    let calls: Vec<String> = requests
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path().rsplit('/').next().unwrap()))
        .collect();
    assert_eq!(
        calls,
        [
            "POST jobs",
            "POST start",
            &format!("GET {JOB}"),
            &format!("GET {JOB}"),
            &format!("GET {JOB}"),
            "POST provisionOnDemand",
        ]
    );
}

//! The five-step example of `graph-synchronization-client`
//! (`generated/graph-synchronization-client/examples/gallery_provisioning.rs`, from
//! `specs/examples/gallery_provisioning.rs`) run against a local mock of Microsoft Graph:
//! every request it sends is matched on method, path, query and body, and each mock must be
//! called exactly as often as the workflow needs it.

mod http_support;
use http_support::local_client;

use std::time::Duration;

use graph_synchronization_client::GraphClient;
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[path = "../../generated/graph-synchronization-client/examples/gallery_provisioning.rs"]
mod gallery_provisioning;

use gallery_provisioning::{provision_gallery_application, Plan};

const TEMPLATE: &str = "8b1025e4-1dd2-430b-a150-2ef79cd700f5";
const SP: &str = "9f8e7d6c-0000-4000-8000-000000000001";
const APP: &str = "9f8e7d6c-0000-4000-8000-000000000002";
const GROUP: &str = "1a2b3c4d-0000-4000-8000-000000000003";
const JOB: &str = "scim.e4bbad1f6ab44ee2a3b1a5b8b7c7ac3f.9f8e7d6c";

/// Mounts a mock that must be called `times` times.
async fn expect(
    server: &MockServer,
    mock: wiremock::MockBuilder,
    answer: ResponseTemplate,
    times: u64,
) {
    mock.and(header("authorization", "Bearer t0k3n"))
        .respond_with(answer)
        .expect(times)
        .mount(server)
        .await;
}

#[tokio::test]
async fn the_five_steps_from_the_gallery_to_the_provisioning_logs() {
    let server = MockServer::start().await;
    let sp = format!("/v1.0/servicePrincipals/{SP}");
    let sync = format!("{sp}/synchronization");
    let job = format!("{sync}/jobs/{JOB}");
    let ok = |body| ResponseTemplate::new(200).set_body_json(body);
    let credentials = json!([
        {"key": "BaseAddress", "value": "https://scim.example/scim"},
        {"key": "SecretToken", "value": "target-secret"}
    ]);

    // 1. Instantiate the gallery template, then assign the group.
    expect(
        &server,
        Mock::given(method("POST"))
            .and(path(format!(
                "/v1.0/applicationTemplates/{TEMPLATE}/instantiate"
            )))
            .and(body_json(json!({"displayName": "Contoso SCIM"}))),
        ResponseTemplate::new(201).set_body_json(json!({
            "application": {"id": APP, "displayName": "Contoso SCIM"},
            "servicePrincipal": {"id": SP, "displayName": "Contoso SCIM"}
        })),
        1,
    )
    .await;
    expect(
        &server,
        Mock::given(method("POST"))
            .and(path(format!("{sp}/appRoleAssignedTo")))
            .and(body_json(json!({
                "principalId": GROUP,
                "resourceId": SP,
                "appRoleId": "00000000-0000-0000-0000-000000000000"
            }))),
        ResponseTemplate::new(201)
            .set_body_json(json!({"id": "assignment-1", "principalId": GROUP})),
        1,
    )
    .await;
    // 2. The application's synchronization template, then the job made from it.
    expect(
        &server,
        Mock::given(method("GET")).and(path(format!("{sync}/templates"))),
        ok(json!({"value": [{"id": "scim", "factoryTag": "scim"}]})),
        1,
    )
    .await;
    expect(
        &server,
        Mock::given(method("POST"))
            .and(path(format!("{sync}/jobs")))
            .and(body_json(json!({"templateId": "scim"}))),
        ResponseTemplate::new(201).set_body_json(json!({"id": JOB, "templateId": "scim"})),
        1,
    )
    .await;
    // 3. Test the credentials, then save them.
    expect(
        &server,
        Mock::given(method("POST"))
            .and(path(format!("{job}/validateCredentials")))
            .and(body_json(
                json!({"useSavedCredentials": false, "credentials": credentials}),
            )),
        ResponseTemplate::new(204),
        1,
    )
    .await;
    expect(
        &server,
        Mock::given(method("PUT"))
            .and(path(format!("{sync}/secrets")))
            .and(body_json(json!({"value": credentials}))),
        ResponseTemplate::new(204),
        1,
    )
    .await;
    // 4. Start.
    expect(
        &server,
        Mock::given(method("POST")).and(path(format!("{job}/start"))),
        ResponseTemplate::new(204),
        1,
    )
    .await;
    // 5. The status: no cycle yet, then one finished (mocks are tried in mounting order).
    let status = || {
        Mock::given(method("GET"))
            .and(path(&job))
            .and(query_param("$select", "status"))
    };
    status()
        .and(header("authorization", "Bearer t0k3n"))
        .respond_with(ok(json!({"id": JOB, "status": {"code": "Active"}})))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    expect(
        &server,
        status(),
        ok(json!({"id": JOB, "status": {
            "code": "Active",
            "lastExecution": {"state": "Succeeded", "timeEnded": "2026-12-06T05:00:00Z"}
        }})),
        1,
    )
    .await;
    //    The job's provisioning log entries: two pages.
    let logs = "/v1.0/auditLogs/provisioning";
    let filter = format!("jobId eq '{JOB}'");
    let event = |id: &str, action: &str| {
        json!({
            "id": id,
            "jobId": JOB,
            "activityDateTime": "2026-12-06T05:00:00Z",
            "provisioningAction": action,
            "provisioningStatusInfo": {"status": "success"},
            "servicePrincipal": {"id": SP, "displayName": "Contoso SCIM"}
        })
    };
    expect(
        &server,
        Mock::given(method("GET"))
            .and(path(logs))
            .and(query_param("$filter", filter.as_str()))
            .and(query_param("$skiptoken", "page2")),
        ok(json!({"value": [event("e2", "update")]})),
        1,
    )
    .await;
    expect(
        &server,
        Mock::given(method("GET")).and(path(logs)).and(query_param("$filter", filter.as_str())),
        ok(json!({
            "value": [event("e1", "create")],
            "@odata.nextLink": format!("{}{logs}?$filter={}&$skiptoken=page2", server.uri(), filter.replace(' ', "%20"))
        })),
        1,
    )
    .await;

    let client = local_client(&format!("{}/v1.0", server.uri()));
    let plan = Plan {
        application_template_id: TEMPLATE.into(),
        display_name: "Contoso SCIM".into(),
        group_id: GROUP.parse().unwrap(),
        target_url: "https://scim.example/scim".into(),
        target_token: "target-secret".into(),
        poll_interval: Duration::from_millis(1),
        max_polls: 5,
    };
    let done = provision_gallery_application(&GraphClient::from_client(client), &plan)
        .await
        .unwrap();

    assert_eq!(
        (done.service_principal_id.as_str(), done.job_id.as_str()),
        (SP, JOB)
    );
    let ids: Vec<_> = done.events.iter().map(|e| e.id.as_deref()).collect();
    assert_eq!(ids, [Some("e1"), Some("e2")]);
    assert_eq!(done.events[0].job_id.as_deref(), Some(JOB));
    server.verify().await;
}

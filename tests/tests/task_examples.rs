//! The task examples of `graph-synchronization-client` (`generated/graph-synchronization-client/examples/`,
//! copied from `specs/examples/` by `cargo xtask codegen`) run against a local mock of Microsoft
//! Graph on 127.0.0.1. Each example keeps its work in a library function (its `main` only reads
//! the environment), which this file includes with `#[path]` and calls; the assertions are on
//! the requests the server saw: method, path, query and body.

mod http_support;
use http_support::local_client;

use graph_synchronization_client::{runtime, GraphClient};
use serde_json::{json, Value};
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

#[path = "../../generated/graph-synchronization-client/examples/edit_mappings.rs"]
mod edit_mappings;

#[path = "../../generated/graph-synchronization-client/examples/bulk_upload.rs"]
mod bulk_upload;

#[path = "../../generated/graph-synchronization-client/examples/list_jobs.rs"]
mod list_jobs;

const SP: &str = "9f8e7d6c-0000-4000-8000-000000000001";
const JOB: &str = "API2AAD.e4bbad1f6ab44ee2a3b1a5b8b7c7ac3f.9f8e7d6c";

/// A client for the mock server, as the examples' `main` builds it from `GRAPH_BASE_URL`.
fn graph(server: &MockServer) -> GraphClient {
    GraphClient::from_client(local_client(&format!("{}/v1.0", server.uri())))
}

/// `METHOD /path?query` of every request the server saw, in order.
async fn calls(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| match r.url.query() {
            Some(q) => format!("{} {}?{q}", r.method, r.url.path()),
            None => format!("{} {}", r.method, r.url.path()),
        })
        .collect()
}

fn body(request: &Request) -> Value {
    serde_json::from_slice(&request.body).unwrap()
}

#[tokio::test]
async fn edit_mappings_reads_the_schema_changes_one_mapping_and_puts_it_back() {
    let server = MockServer::start().await;
    let schema_path = format!("/v1.0/servicePrincipals/{SP}/synchronization/jobs/{JOB}/schema");
    let mapping = |target: &str, source: &str| {
        json!({
            "targetAttributeName": target,
            "flowType": "Always",
            "matchingPriority": 0,
            "source": {"name": source, "type": "Attribute", "parameters": []}
        })
    };
    let schema = json!({
        "id": JOB,
        "version": "Date:2026-08-01",
        "synchronizationRules": [{
            "id": "03f7d90d-bf71-41b1-bda6-aaf0ddbee5d8",
            "name": "USER_OUTBOUND_USER",
            "sourceDirectoryName": "Azure Active Directory",
            "targetDirectoryName": "Contoso",
            "objectMappings": [{
                "name": "Provision Azure Active Directory Users",
                "sourceObjectName": "User",
                "targetObjectName": "User",
                "enabled": true,
                "attributeMappings": [
                    mapping("userName", "userPrincipalName"),
                    mapping("displayName", "displayName"),
                    mapping("title", "jobTitle")
                ]
            }]
        }],
        "directories": []
    });
    Mock::given(method("GET"))
        .and(path(&schema_path))
        .and(header("authorization", "Bearer t0k3n"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&schema))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path(&schema_path))
        .and(header("authorization", "Bearer t0k3n"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let changed =
        edit_mappings::remap_attribute(&graph(&server), SP, JOB, "displayName", "mailNickname")
            .await
            .unwrap();
    assert_eq!(changed, 1);

    server.verify().await;
    assert_eq!(
        calls(&server).await,
        [format!("GET {schema_path}"), format!("PUT {schema_path}")]
    );
    // The PUT sends the schema as read, with only the displayName mapping's source changed.
    let mut expected = schema.clone();
    expected["synchronizationRules"][0]["objectMappings"][0]["attributeMappings"][1]["source"] =
        json!({"name": "mailNickname", "type": "Attribute"});
    let requests = server.received_requests().await.unwrap();
    assert_eq!(body(&requests[1]), expected);

    // A target that no mapping has is an error, and nothing is written.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(&schema_path))
        .respond_with(ResponseTemplate::new(200).set_body_json(&schema))
        .mount(&server)
        .await;
    let error = edit_mappings::remap_attribute(&graph(&server), SP, JOB, "nickName", "mail")
        .await
        .unwrap_err();
    assert!(error.to_string().contains("nickName"), "{error}");
    assert_eq!(calls(&server).await, [format!("GET {schema_path}")]);
}

#[tokio::test]
async fn bulk_upload_posts_scim_bulk_requests_of_at_most_fifty() {
    let server = MockServer::start().await;
    let bulk_path = format!("/v1.0/servicePrincipals/{SP}/synchronization/jobs/{JOB}/bulkUpload");
    Mock::given(method("POST"))
        .and(path(&bulk_path))
        .and(header("authorization", "Bearer t0k3n"))
        .and(header("content-type", "application/scim+json"))
        .respond_with(ResponseTemplate::new(202).insert_header(
            "location",
            "https://graph.microsoft.com/beta/auditLogs/provisioning",
        ))
        .expect(4)
        .mount(&server)
        .await;

    let workers = [
        bulk_upload::Worker {
            external_id: "70001".into(),
            user_name: "ada.lovelace@contoso.example".into(),
            given_name: "Ada".into(),
            family_name: "Lovelace".into(),
            department: "Engineering".into(),
            active: true,
        },
        bulk_upload::Worker {
            external_id: "70002".into(),
            user_name: "charles.babbage@contoso.example".into(),
            given_name: "Charles".into(),
            family_name: "Babbage".into(),
            department: "Research".into(),
            active: false,
        },
    ];
    let result = bulk_upload::upload_workers(&graph(&server), SP, JOB, &workers).await;
    assert!(result.all_accepted(), "{result:?}");

    assert_eq!(calls(&server).await, [format!("POST {bulk_path}")]);
    let requests = server.received_requests().await.unwrap();
    let user = |id: &str, user_name: &str, given: &str, family: &str, dept: &str, active: bool| {
        json!({
            "method": "POST",
            "bulkId": id,
            "path": "/Users",
            "data": {
                "schemas": [
                    "urn:ietf:params:scim:schemas:core:2.0:User",
                    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
                ],
                "externalId": id,
                "userName": user_name,
                "name": {"givenName": given, "familyName": family},
                "active": active,
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
                    "employeeNumber": id,
                    "department": dept
                }
            }
        })
    };
    assert_eq!(
        body(&requests[0]),
        json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
            "Operations": [
                user("70001", "ada.lovelace@contoso.example", "Ada", "Lovelace", "Engineering", true),
                user("70002", "charles.babbage@contoso.example", "Charles", "Babbage", "Research", false)
            ]
        })
    );

    // 120 records go out as requests of 50, 50 and 20, in order, each record mapped to the
    // request that carried it.
    let many: Vec<_> = (0..120)
        .map(|i| bulk_upload::Worker {
            external_id: i.to_string(),
            user_name: format!("u{i}@contoso.example"),
            given_name: "G".into(),
            family_name: "F".into(),
            department: "D".into(),
            active: true,
        })
        .collect();
    let result = bulk_upload::upload_workers(&graph(&server), SP, JOB, &many).await;
    assert!(result.all_accepted(), "{result:?}");
    let requests = server.received_requests().await.unwrap();
    let sizes: Vec<usize> = requests[1..]
        .iter()
        .map(|r| body(r)["Operations"].as_array().map_or(0, Vec::len))
        .collect();
    assert_eq!(sizes, [50, 50, 20]);
    assert_eq!(body(&requests[3])["Operations"][0]["bulkId"], "100");
    assert!(matches!(
        result.operations[119],
        runtime::bulk::OperationOutcome::Accepted { request: 2, ref location, .. }
            if location.as_deref() == Some("https://graph.microsoft.com/beta/auditLogs/provisioning")
    ));
    server.verify().await;
}

#[tokio::test]
async fn list_jobs_follows_next_links_of_service_principals_and_jobs() {
    use graph_synchronization_client::models::SynchronizationStatusCode;
    use list_jobs::JobSummary;

    let server = MockServer::start().await;
    let uri = server.uri();
    let sps = "/v1.0/servicePrincipals";
    let jobs_of = |sp: &str| format!("/v1.0/servicePrincipals/{sp}/synchronization/jobs");
    let ok = |body: Value| ResponseTemplate::new(200).set_body_json(body);
    let job = |id: &str, template: &str, code: &str| json!({"id": id, "templateId": template, "status": {"code": code}});

    // Service principals: two pages.
    Mock::given(method("GET"))
        .and(path(sps))
        .and(query_param("$select", "id,displayName"))
        .respond_with(ok(json!({
            "value": [{"id": "sp-a", "displayName": "Contoso HR"}],
            "@odata.nextLink": format!("{uri}{sps}?$select=id,displayName&$skiptoken=2")
        })))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(sps))
        .and(query_param("$skiptoken", "2"))
        .respond_with(ok(
            json!({"value": [{"id": "sp-b", "displayName": "Fabrikam"}, {"id": "sp-c"}]}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    // Jobs of sp-a: two pages; sp-b: one job; sp-c: none.
    Mock::given(method("GET"))
        .and(path(jobs_of("sp-a")))
        .and(query_param_is_missing("$skiptoken"))
        .and(query_param("$select", "id,templateId,status"))
        .respond_with(ok(json!({
            "value": [job("a1", "API2AAD", "Active")],
            "@odata.nextLink": format!("{uri}{}?$skiptoken=x", jobs_of("sp-a"))
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(jobs_of("sp-a")))
        .and(query_param("$skiptoken", "x"))
        .respond_with(ok(json!({"value": [job("a2", "API2AD", "Quarantine")]})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(jobs_of("sp-b")))
        .respond_with(ok(json!({"value": [job("b1", "BoxOutDelta", "Paused")]})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(jobs_of("sp-c")))
        .respond_with(ok(json!({"value": []})))
        .expect(1)
        .mount(&server)
        .await;

    let jobs = list_jobs::all_jobs(&graph(&server)).await.unwrap();

    server.verify().await;
    let summary = |sp: &str, id: &str, template: &str, status| JobSummary {
        service_principal: sp.into(),
        job_id: id.into(),
        template_id: Some(template.into()),
        status: Some(status),
    };
    assert_eq!(
        jobs,
        [
            summary(
                "Contoso HR",
                "a1",
                "API2AAD",
                SynchronizationStatusCode::Active
            ),
            summary(
                "Contoso HR",
                "a2",
                "API2AD",
                SynchronizationStatusCode::Quarantine
            ),
            summary(
                "Fabrikam",
                "b1",
                "BoxOutDelta",
                SynchronizationStatusCode::Paused
            ),
        ]
    );
    let select_jobs = "$select=id,templateId,status";
    assert_eq!(
        calls(&server).await,
        [
            format!("GET {sps}?$select=id,displayName"),
            format!("GET {}?{select_jobs}", jobs_of("sp-a")),
            format!("GET {}?$skiptoken=x", jobs_of("sp-a")),
            format!("GET {sps}?$select=id,displayName&$skiptoken=2"),
            format!("GET {}?{select_jobs}", jobs_of("sp-b")),
            format!("GET {}?{select_jobs}", jobs_of("sp-c")),
        ]
    );
}

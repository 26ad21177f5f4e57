//! The requests of the rest of the provisioning workflow, the same in v1.0 and beta: the
//! gallery (list with a filter, get), app role assignments (list, create, delete) and the
//! provisioning logs (a filter by job, every page). Each mock asserts the method, the exact
//! path and query, the headers of `given` and the body, and expects to be hit once.

use futures_util::TryStreamExt;
use serde_json::json;
use wiremock::matchers::{body_json, query_param};

use super::models::{AppRoleAssignment, ProvisioningAction};
use super::runtime::edm::Guid;
use super::{given, no_content, ok_json, setup, VERSION};

const SP: &str = "9028d19c-26a9-4809-8e3f-20ff73e2d75e";
const GROUP: &str = "5be8cd49-5ad6-4800-97e8-b3d71b966ac1";

#[tokio::test]
async fn gallery_templates_are_listed_with_a_filter_and_read_by_id() {
    let (server, graph) = setup().await;
    let templates = format!("/{VERSION}/applicationTemplates");
    given("GET", &templates)
        .and(query_param("$filter", "displayName eq 'Box'"))
        .respond_with(ok_json(
            json!({"value": [{"id": "box-template", "displayName": "Box"}]}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    given("GET", &format!("{templates}/box-template"))
        .and(query_param("$select", "id,supportedProvisioningTypes"))
        .respond_with(ok_json(
            json!({"id": "box-template", "supportedProvisioningTypes": ["sync"]}),
        ))
        .expect(1)
        .mount(&server)
        .await;

    let page = graph
        .application_templates()
        .list()
        .filter("displayName eq 'Box'")
        .await
        .unwrap();
    let id = page.value[0].id.clone().unwrap();
    let template = graph
        .application_templates()
        .by_id(&id)
        .get()
        .select(["id", "supportedProvisioningTypes"])
        .await
        .unwrap();
    assert_eq!(
        template.supported_provisioning_types,
        Some(vec!["sync".to_owned()])
    );
    server.verify().await;
}

#[tokio::test]
async fn assignments_are_listed_created_and_deleted() {
    let (server, graph) = setup().await;
    let assigned = format!("/{VERSION}/servicePrincipals/{SP}/appRoleAssignedTo");
    given("GET", &assigned)
        .respond_with(ok_json(
            json!({"value": [{"id": "a-1", "principalId": GROUP, "principalType": "Group"}]}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    given("POST", &assigned)
        .and(body_json(json!({
            "principalId": GROUP,
            "resourceId": SP,
            "appRoleId": "00000000-0000-0000-0000-000000000000"
        })))
        .respond_with(
            wiremock::ResponseTemplate::new(201)
                .set_body_json(json!({"id": "a-2", "principalId": GROUP})),
        )
        .expect(1)
        .mount(&server)
        .await;
    given("DELETE", &format!("{assigned}/a-1"))
        .respond_with(no_content())
        .expect(1)
        .mount(&server)
        .await;

    let to = graph.service_principals().by_id(SP).app_role_assigned_to();
    let listed = to.list().await.unwrap();
    assert_eq!(listed.value[0].principal_type.as_deref(), Some("Group"));
    let created = to
        .create(&AppRoleAssignment {
            principal_id: Some(GROUP.parse().unwrap()),
            resource_id: Some(SP.parse().unwrap()),
            app_role_id: Some(Guid::nil()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(created.id.as_deref(), Some("a-2"));
    to.by_id("a-1").delete().await.unwrap();
    server.verify().await;
}

#[tokio::test]
async fn a_jobs_provisioning_logs_are_filtered_and_followed_page_by_page() {
    let (server, graph) = setup().await;
    let logs = format!("/{VERSION}/auditLogs/provisioning");
    let filter = "jobId eq 'scim.1' and activityDateTime gt 2026-12-01T00:00:00Z";
    given("GET", &logs)
        .and(query_param("$filter", filter))
        .and(query_param("$top", "2"))
        .and(query_param("$skiptoken", "next"))
        .respond_with(ok_json(
            json!({"value": [{"id": "e3", "provisioningAction": "delete"}]}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    given("GET", &logs)
        .and(query_param("$filter", filter))
        .and(query_param("$top", "2"))
        .respond_with(ok_json(json!({
            "value": [
                {"id": "e1", "jobId": "scim.1", "provisioningAction": "create"},
                {"id": "e2", "jobId": "scim.1", "provisioningAction": "update"}
            ],
            "@odata.nextLink": format!(
                "{}{logs}?$filter={}&$top=2&$skiptoken=next",
                server.uri(),
                filter.replace(' ', "%20")
            )
        })))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;

    let events: Vec<_> = graph
        .audit_logs()
        .provisioning()
        .list()
        .filter(filter)
        .top(2)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    let actions: Vec<_> = events
        .iter()
        .map(|e| e.provisioning_action.clone())
        .collect();
    assert_eq!(
        actions,
        [
            Some(ProvisioningAction::Create),
            Some(ProvisioningAction::Update),
            Some(ProvisioningAction::Delete)
        ]
    );
    server.verify().await;
}

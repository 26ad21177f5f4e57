//! The build-script output compiles, is the subset asked for, and talks HTTP.

use build_script_example::graph::client::runtime::{Client, StaticTokenCredential};
use build_script_example::graph::models;
use build_script_example::job_statuses;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[test]
fn only_what_jobs_reach_is_generated() {
    // Jobs reach their schema, directories and the job's own complex types...
    let _ = models::SynchronizationSchema::default();
    let _ = models::DirectoryDefinition::default();
    let _ = models::SynchronizationSchedule::default();
    // ...and the generated file holds no synchronization templates (not reachable from jobs).
    let text = std::fs::read_to_string(concat!(env!("OUT_DIR"), "/graph.rs")).unwrap();
    assert!(!text.contains("pub struct SynchronizationTemplate "));
    assert!(text.contains("pub struct SynchronizationJob "));
}

#[tokio::test]
async fn the_included_client_works() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/servicePrincipals/sp1/synchronization/jobs"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "value": [{"id": "job1", "status": {"code": "Active"}}, {"id": "job2"}]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(
        &format!("{}/v1.0", server.uri()),
        StaticTokenCredential::new("t"),
    )
    .build()
    .unwrap();
    let statuses = job_statuses(client, "sp1").await.unwrap();
    assert_eq!(
        statuses,
        [
            (
                "job1".to_string(),
                Some(models::SynchronizationStatusCode::Active)
            ),
            ("job2".to_string(), None)
        ]
    );
}

#[test]
fn cargo_reruns_the_build_script_when_the_metadata_changes() {
    // Cargo keeps what the build script printed in `output`, beside OUT_DIR.
    let printed = std::fs::read_to_string(concat!(env!("OUT_DIR"), "/../output")).unwrap();
    assert!(
        printed
            .lines()
            .any(|l| l.starts_with("cargo:rerun-if-changed=")
                && l.ends_with("specs/graph-v1.0.sync.csdl.xml")),
        "{printed}"
    );
}

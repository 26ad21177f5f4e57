//! API-driven inbound provisioning: send user records from your own source of truth (an HR
//! export, a database) to a provisioning job as one SCIM bulk request.
//!
//! The job must come from the "API-driven provisioning" template; its attribute mappings
//! decide how the SCIM attributes below become Microsoft Entra ID (or Active Directory)
//! users. The service answers `202 Accepted` and processes the records afterwards; follow
//! them in the provisioning logs.
//!
//! ```sh
//! GRAPH_TOKEN=... SERVICE_PRINCIPAL_ID=... JOB_ID=... \
//!     cargo run -p graph-synchronization-client --example bulk_upload
//! ```
//! `GRAPH_BASE_URL` overrides the service root (default: Graph v1.0).
//!
//! This file is an input of `cargo xtask codegen` (`specs/examples/bulk_upload.rs`); the
//! workspace test `tests/tests/task_examples.rs` runs [`upload_workers`] against a local
//! server.

use graph_synchronization_client::models::scim::{BulkOperation, BulkRequest};
use graph_synchronization_client::runtime::{Client, StaticTokenCredential};
use graph_synchronization_client::GraphClient;
use serde_json::json;

/// The schema URN of a SCIM bulk request.
pub const BULK_REQUEST: &str = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";

/// One person of the source of truth.
pub struct Worker {
    /// A stable identifier in the source (the employee id); it matches the user.
    pub external_id: String,
    pub user_name: String,
    pub given_name: String,
    pub family_name: String,
    pub department: String,
    /// Whether the account should be enabled.
    pub active: bool,
}

/// The bulk request for `workers`: one `POST /Users` operation each (the service decides
/// whether that creates or updates the user). A request carries at most 50 operations.
pub fn bulk_request(workers: &[Worker]) -> BulkRequest {
    let operations = workers
        .iter()
        .map(|w| BulkOperation {
            method: Some("POST".to_owned()),
            bulk_id: Some(w.external_id.clone()),
            path: Some("/Users".to_owned()),
            data: Some(json!({
                "schemas": [
                    "urn:ietf:params:scim:schemas:core:2.0:User",
                    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
                ],
                "externalId": w.external_id,
                "userName": w.user_name,
                "name": {"givenName": w.given_name, "familyName": w.family_name},
                "active": w.active,
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
                    "employeeNumber": w.external_id,
                    "department": w.department
                }
            })),
            ..Default::default()
        })
        .collect();
    BulkRequest {
        schemas: Some(vec![BULK_REQUEST.to_owned()]),
        operations: Some(operations),
        fail_on_errors: None,
        ..Default::default()
    }
}

/// Sends `workers` to the job `job_id` of the service principal `service_principal_id`.
pub async fn upload_workers(
    graph: &GraphClient,
    service_principal_id: &str,
    job_id: &str,
    workers: &[Worker],
) -> Result<(), Box<dyn std::error::Error>> {
    if workers.len() > 50 {
        return Err("a bulk request carries at most 50 records; send several".into());
    }
    graph
        .service_principals()
        .by_id(service_principal_id)
        .synchronization()
        .jobs()
        .by_id(job_id)
        .bulk_upload()
        .submit(&bulk_request(workers))
        .await?;
    Ok(())
}

#[allow(dead_code)] // the workspace test includes this file and calls `upload_workers` only
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let var = |name: &str| std::env::var(name).map_err(|_| format!("set {name}"));
    let credential = StaticTokenCredential::new(var("GRAPH_TOKEN")?);
    let client = match std::env::var("GRAPH_BASE_URL") {
        Ok(base_url) => Client::builder(&base_url, credential).build()?,
        Err(_) => GraphClient::builder(credential).build()?,
    };
    let graph = GraphClient::from_client(client);
    let workers = [Worker {
        external_id: "70001".to_owned(),
        user_name: "ada.lovelace@contoso.example".to_owned(),
        given_name: "Ada".to_owned(),
        family_name: "Lovelace".to_owned(),
        department: "Engineering".to_owned(),
        active: true,
    }];
    upload_workers(
        &graph,
        &var("SERVICE_PRINCIPAL_ID")?,
        &var("JOB_ID")?,
        &workers,
    )
    .await?;
    println!("accepted; follow the records in the provisioning logs");
    Ok(())
}

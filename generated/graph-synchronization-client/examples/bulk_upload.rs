//! API-driven inbound provisioning: send user records from your own source of truth (an HR
//! export, a database) to a provisioning job as SCIM bulk requests.
//!
//! The job must come from the "API-driven provisioning" template; its attribute mappings
//! decide how the SCIM attributes below become Microsoft Entra ID (or Active Directory)
//! users. A bulk request carries at most 50 records, so the runtime's
//! [`Bulk`](graph_synchronization_client::runtime::bulk::Bulk) cuts any number of them into
//! requests of 50; the client's retry policy waits out throttling (`429` with
//! `Retry-After`). The service answers each request `202 Accepted` and processes its records
//! afterwards: each record's outcome names its request's `request-id` and `Location`, where
//! the provisioning logs report on it.
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
use graph_synchronization_client::runtime::bulk::{Bulk, BulkResult, OperationOutcome};
use graph_synchronization_client::runtime::{Client, StaticTokenCredential};
use graph_synchronization_client::GraphClient;
use serde_json::json;

/// The schema URN of a SCIM bulk request.
pub const BULK_REQUEST: &str = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";

/// The most operations Graph takes in one bulk request.
pub const MAX_OPERATIONS: usize = 50;

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
/// whether that creates or updates the user). A request carries at most [`MAX_OPERATIONS`].
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

/// Sends `workers` to the job `job_id` of the service principal `service_principal_id`, in
/// requests of at most [`MAX_OPERATIONS`]; one outcome per worker, in order.
pub async fn upload_workers(
    graph: &GraphClient,
    service_principal_id: &str,
    job_id: &str,
    workers: &[Worker],
) -> BulkResult {
    let bulk_upload = graph
        .service_principals()
        .by_id(service_principal_id)
        .synchronization()
        .jobs()
        .by_id(job_id)
        .bulk_upload();
    Bulk::new(MAX_OPERATIONS)
        .send(workers, async |chunk| {
            bulk_upload
                .submit(&bulk_request(chunk))
                .send_with_response()
                .await
        })
        .await
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
    let result = upload_workers(
        &graph,
        &var("SERVICE_PRINCIPAL_ID")?,
        &var("JOB_ID")?,
        &workers,
    )
    .await;
    for (worker, outcome) in workers.iter().zip(&result.operations) {
        match outcome {
            OperationOutcome::Accepted { request_id, .. } => println!(
                "{}: accepted (request {}); see the provisioning logs",
                worker.external_id,
                request_id.as_deref().unwrap_or("without id")
            ),
            other => println!("{}: not accepted: {other:?}", worker.external_id),
        }
    }
    if let Some(wait) = result.retry_after() {
        println!("throttled: send the rest again in {} s", wait.as_secs());
    }
    Ok(())
}

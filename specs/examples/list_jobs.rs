//! List the provisioning jobs of every service principal in the tenant, following
//! `@odata.nextLink` through every page with `.into_stream()`.
//!
//! ```sh
//! GRAPH_TOKEN=... cargo run -p graph-synchronization-client --example list_jobs
//! ```
//! `GRAPH_BASE_URL` overrides the service root (default: Graph v1.0).
//!
//! This file is an input of `cargo xtask codegen` (`specs/examples/list_jobs.rs`); the
//! workspace test `tests/tests/task_examples.rs` runs [`all_jobs`] against a local server.

use futures_util::TryStreamExt;
use graph_synchronization_client::models::{
    ServicePrincipalField, SynchronizationJobField, SynchronizationStatusCode,
};
use graph_synchronization_client::runtime::{Client, StaticTokenCredential};
use graph_synchronization_client::GraphClient;

/// One job and the application it belongs to.
#[derive(Debug, PartialEq)]
pub struct JobSummary {
    pub service_principal: String,
    pub job_id: String,
    pub template_id: Option<String>,
    pub status: Option<SynchronizationStatusCode>,
}

/// Every job of every service principal. Service principals without provisioning simply
/// have no jobs.
pub async fn all_jobs(graph: &GraphClient) -> Result<Vec<JobSummary>, Box<dyn std::error::Error>> {
    let mut summaries = Vec::new();
    let mut service_principals = graph
        .service_principals()
        .list()
        .select([
            ServicePrincipalField::Id,
            ServicePrincipalField::DisplayName,
        ])
        .into_stream();
    while let Some(sp) = service_principals.try_next().await? {
        let Some(sp_id) = sp.id else { continue };
        let name = sp.display_name.unwrap_or_else(|| sp_id.clone());
        let mut jobs = graph
            .service_principals()
            .by_id(&sp_id)
            .synchronization()
            .jobs()
            .list()
            .select([
                SynchronizationJobField::Id,
                SynchronizationJobField::TemplateId,
                SynchronizationJobField::Status,
            ])
            .into_stream();
        while let Some(job) = jobs.try_next().await? {
            summaries.push(JobSummary {
                service_principal: name.clone(),
                job_id: job.id.unwrap_or_default(),
                template_id: job.template_id,
                status: job.status.and_then(|s| s.code),
            });
        }
    }
    Ok(summaries)
}

#[allow(dead_code)] // the workspace test includes this file and calls `all_jobs` only
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = std::env::var("GRAPH_TOKEN").map_err(|_| "set GRAPH_TOKEN")?;
    let credential = StaticTokenCredential::new(token);
    let client = match std::env::var("GRAPH_BASE_URL") {
        Ok(base_url) => Client::builder(&base_url, credential).build()?,
        Err(_) => GraphClient::builder(credential).build()?,
    };
    let graph = GraphClient::from_client(client);
    for job in all_jobs(&graph).await? {
        println!(
            "{}\t{}\t{}\t{:?}",
            job.service_principal,
            job.job_id,
            job.template_id.as_deref().unwrap_or("-"),
            job.status
        );
    }
    Ok(())
}

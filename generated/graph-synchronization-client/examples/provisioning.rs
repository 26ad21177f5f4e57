//! Provision one user through a new synchronization job, end to end:
//!
//! 1. create a job from the `BoxOutDelta` gallery template on a service principal,
//! 2. start it,
//! 3. poll its status until it is active (or stop on quarantine),
//! 4. provision one user on demand and print the service's report.
//!
//! ```sh
//! GRAPH_TOKEN=... SERVICE_PRINCIPAL_ID=... RULE_ID=... USER_ID=... \
//!     cargo run -p graph-synchronization-client --example provisioning
//! ```
//! `GRAPH_BASE_URL` overrides the service root (default: Graph v1.0).
//!
//! This file is an input of `cargo xtask codegen` (`specs/examples/provisioning.rs`); the
//! workspace test `tests/tests/provisioning_example.rs` runs [`provision_user`] against a
//! local server.

use std::time::Duration;

use graph_synchronization_client::models::{
    StringKeyStringValuePair, SynchronizationJob, SynchronizationJobApplicationParameters,
    SynchronizationJobField, SynchronizationJobSubject, SynchronizationStatusCode,
};
use graph_synchronization_client::runtime::{self, Client, StaticTokenCredential};
use graph_synchronization_client::GraphClient;

/// How often and how long to wait for the job to become active.
pub struct Polling {
    /// Pause between two status reads.
    pub interval: Duration,
    /// Status reads before giving up.
    pub max_polls: u32,
}

/// Provisions `user_id` through the service principal `service_principal_id` with the
/// synchronization rule `rule_id`, and returns the service's provisioning report.
pub async fn provision_user(
    graph: &GraphClient,
    service_principal_id: &str,
    rule_id: &str,
    user_id: &str,
    polling: Polling,
) -> Result<StringKeyStringValuePair, Box<dyn std::error::Error>> {
    let synchronization = graph
        .service_principals()
        .by_id(service_principal_id)
        .synchronization();

    // 1. Create a job from the gallery template.
    let new_job = SynchronizationJob {
        template_id: Some("BoxOutDelta".to_owned()),
        ..Default::default()
    };
    let created = synchronization.jobs().create(&new_job).await?;
    let job_id = created
        .id
        .ok_or("the service returned a job without an id")?;
    let job = synchronization.jobs().by_id(&job_id);

    // 2. Start it.
    job.start().await?;

    // 3. Wait until it is active (or quarantined); only the status is needed. The runtime's
    //    poller bounds the number of reads and backs off between them.
    let status = |job: &SynchronizationJob| job.status.as_ref().and_then(|s| s.code.clone());
    let policy = runtime::poll::PollPolicy::default()
        .max_polls(polling.max_polls)
        .initial_interval(polling.interval)
        .max_interval(polling.interval);
    let current = runtime::poll::poll_until(
        || {
            job.get()
                .select([SynchronizationJobField::Id, SynchronizationJobField::Status])
        },
        |current| {
            matches!(
                status(current),
                Some(SynchronizationStatusCode::Active | SynchronizationStatusCode::Quarantine)
            )
        },
        policy,
    )
    .await
    .map_err(|e| format!("job {job_id} did not become active: {e}"))?;
    if status(&current) == Some(SynchronizationStatusCode::Quarantine) {
        return Err(format!("job {job_id} is in quarantine").into());
    }

    // 4. Provision one user now instead of waiting for the next cycle.
    let parameters = SynchronizationJobApplicationParameters {
        rule_id: Some(rule_id.to_owned()),
        subjects: Some(vec![SynchronizationJobSubject {
            object_id: Some(user_id.to_owned()),
            object_type_name: Some("User".to_owned()),
            ..Default::default()
        }]),
        ..Default::default()
    };
    Ok(job.provision_on_demand(&[parameters]).await?)
}

#[allow(dead_code)] // the workspace test includes this file and calls `provision_user` only
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let var = |name: &str| std::env::var(name).map_err(|_| format!("set {name}"));
    let credential = StaticTokenCredential::new(var("GRAPH_TOKEN")?);
    let client = match std::env::var("GRAPH_BASE_URL") {
        Ok(base_url) => Client::builder(&base_url, credential).build()?,
        Err(_) => GraphClient::builder(credential).build()?,
    };
    let graph = GraphClient::from_client(client);
    let polling = Polling {
        interval: Duration::from_secs(10),
        max_polls: 60,
    };
    let report = provision_user(
        &graph,
        &var("SERVICE_PRINCIPAL_ID")?,
        &var("RULE_ID")?,
        &var("USER_ID")?,
        polling,
    )
    .await?;
    println!(
        "{}\n{}",
        report.key.unwrap_or_default(),
        report.value.unwrap_or_default()
    );
    Ok(())
}

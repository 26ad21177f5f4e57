//! Provisioning a gallery application from nothing, in Microsoft's five steps:
//!
//! 1. add the application from the Microsoft Entra gallery (`instantiate` its template), and
//!    assign a group to it, which puts the group's members in scope;
//! 2. create the provisioning job from the application's synchronization template;
//! 3. test the target's credentials (`validateCredentials`) and save them (`secrets`);
//! 4. start the job;
//! 5. wait for its first cycle with the runtime's poller, then read what it did in the
//!    provisioning logs (`auditLogs/provisioning`, filtered on the job).
//!
//! ```sh
//! GRAPH_TOKEN=... APPLICATION_TEMPLATE_ID=... GROUP_ID=... \
//! TARGET_URL=https://scim.example.com/scim TARGET_TOKEN=... \
//!     cargo run -p graph-synchronization-client --example gallery_provisioning
//! ```
//! `GRAPH_BASE_URL` overrides the service root (default: Graph v1.0). The token needs
//! `Application.ReadWrite.All`, `AppRoleAssignment.ReadWrite.All`,
//! `Synchronization.ReadWrite.All`, `AuditLog.Read.All` and `Directory.Read.All` (delegated)
//! or their application counterparts.
//!
//! This file is an input of `cargo xtask codegen` (`specs/examples/gallery_provisioning.rs`);
//! the workspace test `tests/tests/gallery_provisioning_example.rs` runs
//! [`provision_gallery_application`] against a local server.

use std::time::Duration;

use futures_util::TryStreamExt;
use graph_synchronization_client::models::{
    AppRoleAssignment, ProvisioningObjectSummary, SynchronizationJob, SynchronizationJobField,
    SynchronizationSecret, SynchronizationSecretKeyStringValuePair, SynchronizationStatusCode,
};
use graph_synchronization_client::parameters::{
    InstantiateParameters, SynchronizationJobValidateCredentialsParameters,
};
use graph_synchronization_client::runtime::edm::Guid;
use graph_synchronization_client::runtime::{self, Client, StaticTokenCredential};
use graph_synchronization_client::GraphClient;

/// What to provision where.
pub struct Plan {
    /// The gallery template of the application (`applicationTemplates/{id}`).
    pub application_template_id: String,
    /// The name the application gets in the tenant.
    pub display_name: String,
    /// The group whose members are provisioned.
    pub group_id: Guid,
    /// The target's SCIM endpoint and the token it accepts.
    pub target_url: String,
    pub target_token: String,
    /// Pause between two status reads, and how many reads before giving up.
    pub poll_interval: Duration,
    pub max_polls: u32,
}

/// What the run created and what the first cycle did.
#[derive(Debug)]
pub struct Provisioned {
    pub service_principal_id: String,
    pub job_id: String,
    /// The provisioning log entries of the job after its first cycle.
    pub events: Vec<ProvisioningObjectSummary>,
}

/// Runs the five steps and returns what they created, with the first cycle's log entries.
pub async fn provision_gallery_application(
    graph: &GraphClient,
    plan: &Plan,
) -> Result<Provisioned, Box<dyn std::error::Error>> {
    // 1. Add the application from the gallery: one call creates the application
    //    registration and its service principal.
    let created = graph
        .application_templates()
        .by_id(&plan.application_template_id)
        .instantiate(&InstantiateParameters {
            display_name: Some(plan.display_name.clone()),
            ..Default::default()
        })
        .await?;
    let service_principal_id = created
        .service_principal
        .and_then(|sp| sp.id)
        .ok_or("instantiate returned no service principal")?;
    let service_principal = graph.service_principals().by_id(&service_principal_id);
    //    Assign the group to the application (the empty app role id means "no specific
    //    role"); a job scoped to assigned users and groups provisions its members.
    service_principal
        .app_role_assigned_to()
        .create(&AppRoleAssignment {
            principal_id: Some(plan.group_id),
            resource_id: Some(service_principal_id.parse()?),
            app_role_id: Some(Guid::nil()),
            ..Default::default()
        })
        .await?;

    // 2. Create the job from the application's synchronization template.
    let synchronization = service_principal.synchronization();
    let templates = synchronization.templates().list().await?;
    let template_id = templates
        .value
        .into_iter()
        .find_map(|t| t.id)
        .ok_or("the application offers no synchronization template")?;
    let job = synchronization
        .jobs()
        .create(&SynchronizationJob {
            template_id: Some(template_id),
            ..Default::default()
        })
        .await?;
    let job_id = job.id.ok_or("the service returned a job without an id")?;
    let job = synchronization.jobs().by_id(&job_id);

    // 3. Test the target's credentials, then save them for the job to use.
    let credentials = vec![
        SynchronizationSecretKeyStringValuePair {
            key: Some(SynchronizationSecret::BaseAddress),
            value: Some(plan.target_url.clone()),
            ..Default::default()
        },
        SynchronizationSecretKeyStringValuePair {
            key: Some(SynchronizationSecret::SecretToken),
            value: Some(plan.target_token.clone()),
            ..Default::default()
        },
    ];
    job.validate_credentials(&SynchronizationJobValidateCredentialsParameters {
        use_saved_credentials: Some(false),
        credentials: Some(credentials.clone()),
        ..Default::default()
    })
    .await?;
    synchronization.secrets().replace(&credentials).await?;

    // 4. Start the job.
    job.start().await?;

    // 5. Wait for the first cycle to finish (or the job to be quarantined): the status
    //    carries the last execution once a cycle ran.
    let policy = runtime::poll::PollPolicy::default()
        .max_polls(plan.max_polls)
        .initial_interval(plan.poll_interval)
        .max_interval(plan.poll_interval);
    let current = runtime::poll::poll_until(
        || job.get().select([SynchronizationJobField::Status]),
        |current| {
            current.status.as_ref().is_some_and(|s| {
                s.last_execution.is_some() || s.code == Some(SynchronizationStatusCode::Quarantine)
            })
        },
        policy,
    )
    .await
    .map_err(|e| format!("job {job_id} did not finish a cycle: {e}"))?;
    if current.status.and_then(|s| s.code) == Some(SynchronizationStatusCode::Quarantine) {
        return Err(format!("job {job_id} is in quarantine").into());
    }
    //    Then read what the cycle did: the job's entries of the provisioning logs, every page.
    let events = graph
        .audit_logs()
        .provisioning()
        .list()
        .filter(format!("jobId eq '{job_id}'"))
        .into_stream()
        .try_collect()
        .await?;

    Ok(Provisioned {
        service_principal_id,
        job_id,
        events,
    })
}

#[allow(dead_code)] // the workspace test includes this file and calls the function above only
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let var = |name: &str| std::env::var(name).map_err(|_| format!("set {name}"));
    let credential = StaticTokenCredential::new(var("GRAPH_TOKEN")?);
    let client = match std::env::var("GRAPH_BASE_URL") {
        Ok(base_url) => Client::builder(&base_url, credential).build()?,
        Err(_) => GraphClient::builder(credential).build()?,
    };
    let graph = GraphClient::from_client(client);
    let plan = Plan {
        application_template_id: var("APPLICATION_TEMPLATE_ID")?,
        display_name: "Provisioned from the gallery".to_owned(),
        group_id: var("GROUP_ID")?.parse()?,
        target_url: var("TARGET_URL")?,
        target_token: var("TARGET_TOKEN")?,
        poll_interval: Duration::from_secs(30),
        max_polls: 120,
    };
    let done = provision_gallery_application(&graph, &plan).await?;
    println!(
        "service principal {}, job {}: {} provisioning events",
        done.service_principal_id,
        done.job_id,
        done.events.len()
    );
    for event in &done.events {
        let action = event.provisioning_action.as_ref().map(|a| format!("{a:?}"));
        let status = event
            .provisioning_status_info
            .as_ref()
            .and_then(|s| s.status.as_ref())
            .map(|s| format!("{s:?}"));
        println!(
            "{} {} {}",
            event
                .activity_date_time
                .map(|t| t.to_string())
                .unwrap_or_default(),
            action.unwrap_or_default(),
            status.unwrap_or_default()
        );
    }
    Ok(())
}

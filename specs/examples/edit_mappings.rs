//! Change one attribute mapping of a provisioning job, read-modify-write:
//!
//! 1. read the job's schema,
//! 2. point the mapping of one target attribute at another source attribute,
//! 3. send the whole schema back with `replace` (PUT; the service accepts no PATCH here).
//!
//! ```sh
//! GRAPH_TOKEN=... SERVICE_PRINCIPAL_ID=... JOB_ID=... \
//!     TARGET_ATTRIBUTE=displayName SOURCE_ATTRIBUTE=mailNickname \
//!     cargo run -p graph-synchronization-client --example edit_mappings
//! ```
//! `GRAPH_BASE_URL` overrides the service root (default: Graph v1.0).
//!
//! This file is an input of `cargo xtask codegen` (`specs/examples/edit_mappings.rs`); the
//! workspace test `tests/tests/task_examples.rs` runs [`remap_attribute`] against a local
//! server.

use graph_synchronization_client::models::{AttributeMappingSource, AttributeMappingSourceType};
use graph_synchronization_client::runtime::{Client, StaticTokenCredential};
use graph_synchronization_client::GraphClient;

/// Makes every mapping whose target is `target_attribute` copy `source_attribute` unchanged,
/// and returns how many mappings changed. Everything else in the schema is sent back as read.
pub async fn remap_attribute(
    graph: &GraphClient,
    service_principal_id: &str,
    job_id: &str,
    target_attribute: &str,
    source_attribute: &str,
) -> Result<usize, Box<dyn std::error::Error>> {
    let schema = graph
        .service_principals()
        .by_id(service_principal_id)
        .synchronization()
        .jobs()
        .by_id(job_id)
        .schema();

    // 1. Read.
    let mut current = schema.get().await?;

    // 2. Modify: the mappings are nested as rules -> object mappings -> attribute mappings.
    let mut changed = 0;
    let mappings = current
        .synchronization_rules
        .iter_mut()
        .flatten()
        .flat_map(|rule| rule.object_mappings.iter_mut().flatten())
        .flat_map(|object| object.attribute_mappings.iter_mut().flatten());
    for mapping in mappings {
        if mapping.target_attribute_name.as_deref() == Some(target_attribute) {
            mapping.source = Some(AttributeMappingSource {
                name: Some(source_attribute.to_owned()),
                r#type: Some(AttributeMappingSourceType::Attribute),
                ..Default::default()
            });
            changed += 1;
        }
    }
    if changed == 0 {
        return Err(format!("no mapping targets the attribute {target_attribute}").into());
    }

    // 3. Write the whole schema back.
    schema.replace(&current).await?;
    Ok(changed)
}

#[allow(dead_code)] // the workspace test includes this file and calls `remap_attribute` only
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let var = |name: &str| std::env::var(name).map_err(|_| format!("set {name}"));
    let credential = StaticTokenCredential::new(var("GRAPH_TOKEN")?);
    let client = match std::env::var("GRAPH_BASE_URL") {
        Ok(base_url) => Client::builder(&base_url, credential).build()?,
        Err(_) => GraphClient::builder(credential).build()?,
    };
    let graph = GraphClient::from_client(client);
    let changed = remap_attribute(
        &graph,
        &var("SERVICE_PRINCIPAL_ID")?,
        &var("JOB_ID")?,
        &var("TARGET_ATTRIBUTE")?,
        &var("SOURCE_ATTRIBUTE")?,
    )
    .await?;
    println!("{changed} mapping(s) changed");
    Ok(())
}

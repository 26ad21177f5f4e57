//! Add a user to a group, then list the group's members:
//!
//! 1. `POST /groups/{id}/members/$ref` links the user to the group (the body names the
//!    user by its URL, `@odata.id`); nothing is created, the user already exists,
//! 2. `GET /groups/{id}/members` lists every member, page after page (`@odata.nextLink`).
//!    Members are directory objects of several types (users, groups, devices, service
//!    principals); the users are picked out by their `@odata.type`.
//!
//! ```sh
//! GRAPH_TOKEN=... GROUP_ID=... USER_ID=... \
//!     cargo run -p graph-sdk --features groups --example add_group_member
//! ```
//! `GRAPH_BASE_URL` overrides the service root (default: Graph v1.0). The token needs the
//! `GroupMember.ReadWrite.All` permission.
//!
//! Required features: groups
//!
//! This file is an input of `cargo xtask codegen` (`specs/examples/sdk/add_group_member.rs`);
//! the workspace test `tests/tests/sdk_examples.rs` runs [`add_and_list_members`] against a
//! local server.

use futures_util::StreamExt;
use graph_sdk::models::{User, UserField};
use graph_sdk::runtime::StaticTokenCredential;
use graph_sdk::GraphClient;

/// The members of a group after the user was added.
pub struct Members {
    /// The members that are users, in the service's order.
    pub users: Vec<User>,
    /// How many members are something else (groups, devices, service principals, ...).
    pub others: usize,
}

/// Adds the user `user_id` to the group `group_id` and lists the group's members.
pub async fn add_and_list_members(
    graph: &GraphClient,
    group_id: &str,
    user_id: &str,
) -> Result<Members, Box<dyn std::error::Error>> {
    let group = graph.groups().by_id(group_id);

    // 1. A link to an existing object is its URL on the same service.
    let user_url = format!(
        "{}/directoryObjects/{user_id}",
        graph.client().base_url().as_str().trim_end_matches('/')
    );
    group.members_ref().add(&user_url).await?;

    // 2. Every member, following the next links; only the properties printed below are
    //    asked for (the other members' types ignore the ones they do not have).
    let mut members = group
        .members()
        .list()
        .select([UserField::Id, UserField::DisplayName, UserField::Mail])
        .top(100)
        .into_stream();
    let mut found = Members {
        users: Vec::new(),
        others: 0,
    };
    while let Some(member) = members.next().await {
        match member?.as_user() {
            Some(user) => found.users.push(user.clone()),
            None => found.others += 1,
        }
    }
    Ok(found)
}

#[allow(dead_code)] // the workspace test includes this file and calls `add_and_list_members`
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let var = |name: &str| std::env::var(name).map_err(|_| format!("set {name}"));
    let mut client = GraphClient::builder(StaticTokenCredential::new(var("GRAPH_TOKEN")?));
    if let Ok(base_url) = std::env::var("GRAPH_BASE_URL") {
        client = client.base_url(base_url);
    }
    let graph = GraphClient::from_client(client.build()?);
    let members = add_and_list_members(&graph, &var("GROUP_ID")?, &var("USER_ID")?).await?;
    for user in &members.users {
        println!(
            "{}  {}  {}",
            user.id.as_deref().unwrap_or("-"),
            user.display_name.as_deref().unwrap_or("-"),
            user.mail.as_deref().unwrap_or("-"),
        );
    }
    println!(
        "{} users, {} other members",
        members.users.len(),
        members.others
    );
    Ok(())
}

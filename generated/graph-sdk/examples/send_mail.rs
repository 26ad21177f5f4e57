//! Send a mail from a user's mailbox, then list the latest messages of its inbox:
//!
//! 1. `POST /users/{id}/sendMail` with the message and `saveToSentItems`; the service
//!    answers `202 Accepted` with no body and delivers the mail afterwards,
//! 2. `GET /users/{id}/mailFolders/inbox/messages` with `$select`, `$orderby` and `$top`:
//!    the newest messages first, only the properties printed.
//!
//! ```sh
//! GRAPH_TOKEN=... USER_ID=... MAIL_TO=... \
//!     cargo run -p graph-sdk --features users --example send_mail
//! ```
//! `GRAPH_BASE_URL` overrides the service root (default: Graph v1.0). The token needs the
//! `Mail.Send` and `Mail.ReadBasic` permissions (a user signed in with delegated
//! permissions may use `me` as the user id).
//!
//! Required features: users
//!
//! This file is an input of `cargo xtask codegen` (`specs/examples/sdk/send_mail.rs`); the
//! workspace test `tests/tests/sdk_examples.rs` runs [`send_mail`] and [`latest_messages`]
//! against a local server.

use graph_sdk::models::{
    AnyMessage, BodyType, EmailAddress, ItemBody, Message, MessageField, Recipient,
};
use graph_sdk::parameters::SendMailParameters;
use graph_sdk::runtime::StaticTokenCredential;
use graph_sdk::GraphClient;

/// Sends an HTML mail with `subject` to `to` from the mailbox of `user_id`, keeping a copy
/// in its Sent Items.
pub async fn send_mail(
    graph: &GraphClient,
    user_id: &str,
    to: &str,
    subject: &str,
    html: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let message = Message {
        subject: Some(subject.to_owned()),
        body: Some(ItemBody {
            content_type: Some(BodyType::Html),
            content: Some(html.to_owned()),
            ..Default::default()
        }),
        to_recipients: Some(vec![Recipient {
            email_address: Some(EmailAddress {
                address: Some(to.to_owned()),
                ..Default::default()
            }),
            ..Default::default()
        }
        .into()]),
        ..Default::default()
    };
    let parameters = SendMailParameters {
        message: Some(message.into()),
        save_to_sent_items: Some(true),
        ..Default::default()
    };
    graph.users().by_id(user_id).send_mail(&parameters).await?;
    Ok(())
}

/// The `count` newest messages of the inbox of `user_id`. Meeting requests and responses
/// come as their own types (`AnyMessage::as_event_message` and its siblings); the caller
/// picks what it reads.
pub async fn latest_messages(
    graph: &GraphClient,
    user_id: &str,
    count: u64,
) -> Result<Vec<AnyMessage>, Box<dyn std::error::Error>> {
    let page = graph
        .users()
        .by_id(user_id)
        .mail_folders()
        // A well-known folder name works where a folder id does.
        .by_id("inbox")
        .messages()
        .list()
        .select([
            MessageField::Subject,
            MessageField::From,
            MessageField::ReceivedDateTime,
            MessageField::IsRead,
        ])
        .orderby(["receivedDateTime desc"])
        .top(count)
        .await?;
    Ok(page.value)
}

#[allow(dead_code)] // the workspace test includes this file and calls its functions
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let var = |name: &str| std::env::var(name).map_err(|_| format!("set {name}"));
    let mut client = GraphClient::builder(StaticTokenCredential::new(var("GRAPH_TOKEN")?));
    if let Ok(base_url) = std::env::var("GRAPH_BASE_URL") {
        client = client.base_url(base_url);
    }
    let graph = GraphClient::from_client(client.build()?);
    let user_id = var("USER_ID")?;
    send_mail(
        &graph,
        &user_id,
        &var("MAIL_TO")?,
        "Hello from Rust",
        "<p>Sent with <b>graph-sdk</b>.</p>",
    )
    .await?;
    for message in latest_messages(&graph, &user_id, 10).await? {
        let Some(message) = message.as_message() else {
            println!("({})", message.odata_type());
            continue;
        };
        let from = message
            .from
            .as_ref()
            .and_then(|from| from.as_recipient())
            .and_then(|from| from.email_address.as_ref())
            .and_then(|address| address.address.as_deref());
        println!(
            "{} {}  {}  {}",
            if message.is_read == Some(true) {
                " "
            } else {
                "*"
            },
            message
                .received_date_time
                .as_ref()
                .map_or_else(String::new, ToString::to_string),
            from.unwrap_or("-"),
            message.subject.as_deref().unwrap_or("(no subject)"),
        );
    }
    Ok(())
}

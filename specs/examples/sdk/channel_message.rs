//! Start a thread in a Teams channel, answer it, and read its replies:
//!
//! 1. `POST /teams/{id}/channels/{id}/messages` posts a message with an HTML body; the
//!    service answers with the message as posted (its id, time and sender),
//! 2. `POST .../messages/{id}/replies` answers it in the thread,
//! 3. `GET .../messages/{id}/replies` reads the thread's replies, page after page.
//!
//! ```sh
//! GRAPH_TOKEN=... TEAM_ID=... CHANNEL_ID=... \
//!     cargo run -p graph-sdk --features teams --example channel_message
//! ```
//! `GRAPH_BASE_URL` overrides the service root (default: Graph v1.0). Posting needs a user
//! signed in with the delegated `ChannelMessage.Send` permission; reading the replies
//! needs `ChannelMessage.Read.All`.
//!
//! Required features: teams
//!
//! This file is an input of `cargo xtask codegen` (`specs/examples/sdk/channel_message.rs`);
//! the workspace test `tests/tests/sdk_examples.rs` runs [`post_thread`] against a local
//! server.

use futures_util::TryStreamExt;
use graph_sdk::models::{BodyType, ChatMessage, ItemBody};
use graph_sdk::runtime::StaticTokenCredential;
use graph_sdk::GraphClient;

/// A thread as the service returned it.
pub struct Thread {
    /// The message that starts the thread, as posted.
    pub message: ChatMessage,
    /// Its replies, the one just posted among them.
    pub replies: Vec<ChatMessage>,
}

/// A chat message with an HTML body.
fn html_message(html: &str) -> ChatMessage {
    ChatMessage {
        body: Some(ItemBody {
            content_type: Some(BodyType::Html),
            content: Some(html.to_owned()),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// Posts `html` in the channel `channel_id` of the team `team_id`, answers it with
/// `reply_html`, and reads the thread's replies.
pub async fn post_thread(
    graph: &GraphClient,
    team_id: &str,
    channel_id: &str,
    html: &str,
    reply_html: &str,
) -> Result<Thread, Box<dyn std::error::Error>> {
    let messages = graph
        .teams()
        .by_id(team_id)
        .channels()
        .by_id(channel_id)
        .messages();

    // 1. Post; a chat message has derived types, so the answer comes as `AnyChatMessage`.
    let posted = messages.create(&html_message(html).into()).await?;
    let message = posted
        .as_chat_message()
        .cloned()
        .ok_or_else(|| format!("the service answered with a {}", posted.odata_type()))?;
    let id = message
        .id
        .clone()
        .ok_or("the service returned a message without an id")?;
    let thread = messages.by_id(&id);

    // 2. Answer it.
    thread
        .replies()
        .create(&html_message(reply_html).into())
        .await?;

    // 3. Every reply, following the next links.
    let replies: Vec<_> = thread.replies().list().into_stream().try_collect().await?;
    Ok(Thread {
        message,
        replies: replies
            .iter()
            .filter_map(|reply| reply.as_chat_message().cloned())
            .collect(),
    })
}

#[allow(dead_code)] // the workspace test includes this file and calls `post_thread`
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let var = |name: &str| std::env::var(name).map_err(|_| format!("set {name}"));
    let mut client = GraphClient::builder(StaticTokenCredential::new(var("GRAPH_TOKEN")?));
    if let Ok(base_url) = std::env::var("GRAPH_BASE_URL") {
        client = client.base_url(base_url);
    }
    let graph = GraphClient::from_client(client.build()?);
    let thread = post_thread(
        &graph,
        &var("TEAM_ID")?,
        &var("CHANNEL_ID")?,
        "<p>Release 2.4 is <b>out</b>: notes in the Files tab.</p>",
        "<p>Questions go in this thread.</p>",
    )
    .await?;
    println!(
        "posted {} at {}",
        thread.message.web_url.as_deref().unwrap_or("-"),
        thread
            .message
            .created_date_time
            .as_ref()
            .map_or_else(String::new, ToString::to_string),
    );
    for reply in &thread.replies {
        let sender = reply
            .from
            .as_ref()
            .and_then(|from| from.user.as_ref())
            .and_then(|user| user.as_teamwork_user_identity())
            .and_then(|user| user.display_name.as_deref());
        let text = reply.body.as_ref().and_then(|body| body.content.as_deref());
        println!("{}: {}", sender.unwrap_or("-"), text.unwrap_or(""));
    }
    Ok(())
}

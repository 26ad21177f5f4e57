//! The worked examples of `graph-sdk` (`generated/graph-sdk/examples/`, copied from
//! `specs/examples/sdk/` by `cargo xtask codegen`) run against a local mock of Microsoft
//! Graph on 127.0.0.1. Each example keeps its work in library functions (its `main` only
//! reads the environment), which this file includes with `#[path]` and calls with a client
//! built as `main` builds it from `GRAPH_BASE_URL`. The assertions are on every request the
//! server saw (method, path, query, JSON body, headers) and on what the examples read from
//! the answers, which are shaped like the service's documented responses.
//!
//! The examples need area features of `graph-sdk` (their `required-features`): this crate
//! enables their union (`tests/Cargo.toml`); a missing one fails the build of this file.

use graph_sdk::models::BodyType;
use graph_sdk::runtime::{RetryPolicy, StaticTokenCredential};
use graph_sdk::GraphClient;
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

#[path = "../../generated/graph-sdk/examples/add_group_member.rs"]
mod add_group_member;

#[path = "../../generated/graph-sdk/examples/send_mail.rs"]
mod send_mail;

#[path = "../../generated/graph-sdk/examples/channel_message.rs"]
mod channel_message;

const TOKEN: &str = "t0k3n";

/// A client for the mock server, built as the examples' `main` builds it (so it is a Graph
/// client with the SDK's user agent), without retries.
fn graph(server: &MockServer) -> GraphClient {
    let client = GraphClient::builder(StaticTokenCredential::new(TOKEN))
        .base_url(format!("{}/v1.0", server.uri()))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    GraphClient::from_client(client)
}

/// One request as the server saw it: `METHOD /path?query`, its JSON body, and the headers
/// the examples' requests are checked for.
#[derive(Debug, PartialEq)]
struct Seen {
    line: String,
    body: Option<Value>,
    content_type: Option<String>,
    prefer: Option<String>,
}

fn seen(request: &Request) -> Seen {
    let header = |name: &str| {
        request
            .headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    // Every request carries the token, the SDK's user agent and no consistency header
    // (none of these requests counts or searches).
    assert_eq!(header("authorization").as_deref(), Some("Bearer t0k3n"));
    let agent = header("user-agent").unwrap_or_default();
    assert!(agent.starts_with("graph-sdk/"), "user agent {agent}");
    assert_eq!(header("consistencylevel"), None);
    let line = match request.url.query() {
        Some(q) => format!("{} {}?{q}", request.method, request.url.path()),
        None => format!("{} {}", request.method, request.url.path()),
    };
    Seen {
        line,
        body: (!request.body.is_empty()).then(|| serde_json::from_slice(&request.body).unwrap()),
        content_type: header("content-type"),
        prefer: header("prefer"),
    }
}

/// Every request the server saw, in order.
async fn requests(server: &MockServer) -> Vec<Seen> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(seen)
        .collect()
}

/// A request without a body.
fn get(line: String) -> Seen {
    Seen {
        line,
        body: None,
        content_type: None,
        prefer: None,
    }
}

/// A request with a JSON body; `created` when it asks for the created entity back.
fn post(line: String, body: Value, created: bool) -> Seen {
    Seen {
        line,
        body: Some(body),
        content_type: Some("application/json".into()),
        prefer: created.then(|| "return=representation".into()),
    }
}

#[tokio::test]
async fn add_group_member_links_the_user_and_reads_every_page_of_members() {
    const GROUP: &str = "02bd9fd6-8f93-4758-87c3-1fb73740a315";
    const USER: &str = "6e7b768e-07e2-4810-8459-485f84f8f204";
    let server = MockServer::start().await;
    let uri = server.uri();
    let members = format!("/v1.0/groups/{GROUP}/members");

    // `POST .../members/$ref` answers 204 No Content.
    Mock::given(method("POST"))
        .and(path(format!("{members}/$ref")))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    // Two pages of members: users, a group and a device; the device has no mail, so the
    // service leaves `mail` out of it.
    Mock::given(method("GET"))
        .and(path(&members))
        .and(query_param_is_missing("$skiptoken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#directoryObjects(id,displayName,mail)",
            "@odata.nextLink": format!("{uri}{members}?$select=id,displayName,mail&$top=100&$skiptoken=RFNwdAIAAQAAAD8"),
            "value": [
                {
                    "@odata.type": "#microsoft.graph.user",
                    "id": "87d349ed-44d7-43e1-9a83-5f2406dee5bd",
                    "displayName": "Adele Vance",
                    "mail": "AdeleV@contoso.com"
                },
                {
                    "@odata.type": "#microsoft.graph.group",
                    "id": "45b7d2e7-b882-4a80-ba97-10b7a63b8fa4",
                    "displayName": "Sales and Marketing",
                    "mail": "SalesAndMarketing@contoso.com"
                }
            ]
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(&members))
        .and(query_param("$skiptoken", "RFNwdAIAAQAAAD8"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#directoryObjects(id,displayName,mail)",
            "value": [
                {
                    "@odata.type": "#microsoft.graph.device",
                    "id": "c4e2f1a0-3b5d-4e6f-8a7b-9c0d1e2f3a4b",
                    "displayName": "ADELEV-LAPTOP"
                },
                {
                    "@odata.type": "#microsoft.graph.user",
                    "id": USER,
                    "displayName": "Megan Bowen",
                    "mail": "MeganB@contoso.com"
                }
            ]
        })))
        .expect(1)
        .mount(&server)
        .await;

    let found = add_group_member::add_and_list_members(&graph(&server), GROUP, USER)
        .await
        .unwrap();

    let users: Vec<(&str, &str, &str)> = found
        .users
        .iter()
        .map(|u| {
            (
                u.id.as_deref().unwrap(),
                u.display_name.as_deref().unwrap(),
                u.mail.as_deref().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        users,
        [
            (
                "87d349ed-44d7-43e1-9a83-5f2406dee5bd",
                "Adele Vance",
                "AdeleV@contoso.com"
            ),
            (USER, "Megan Bowen", "MeganB@contoso.com"),
        ]
    );
    assert_eq!(found.others, 2);

    server.verify().await;
    assert_eq!(
        requests(&server).await,
        [
            // The link names the user by its URL on the same service.
            post(
                format!("POST {members}/$ref"),
                json!({"@odata.id": format!("{uri}/v1.0/directoryObjects/{USER}")}),
                false
            ),
            get(format!(
                "GET {members}?$select=id,displayName,mail&$top=100"
            )),
            // The next link is followed as the service wrote it.
            get(format!(
                "GET {members}?$select=id,displayName,mail&$top=100&$skiptoken=RFNwdAIAAQAAAD8"
            )),
        ]
    );
}

#[tokio::test]
async fn send_mail_sends_the_message_and_reads_the_newest_messages_of_the_inbox() {
    const USER: &str = "6e7b768e-07e2-4810-8459-485f84f8f204";
    let server = MockServer::start().await;
    let user = format!("/v1.0/users/{USER}");

    // `sendMail` answers 202 Accepted without a body.
    Mock::given(method("POST"))
        .and(path(format!("{user}/sendMail")))
        .respond_with(ResponseTemplate::new(202))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{user}/mailFolders/inbox/messages")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.context": format!("https://graph.microsoft.com/v1.0/$metadata#users('{USER}')/mailFolders('inbox')/messages(subject,from,receivedDateTime,isRead)"),
            "value": [
                {
                    "@odata.etag": "W/\"CQAAABYAAAC4ofQHEIqCSbQPot83AFcbAAAW/ZH5\"",
                    "id": "AAMkAGUAAAwTW09AAA=",
                    "subject": "Quarterly numbers",
                    "from": {"emailAddress": {"name": "Alex Wilber", "address": "AlexW@contoso.com"}},
                    "receivedDateTime": "2026-12-04T09:12:45Z",
                    "isRead": false
                },
                {
                    "@odata.etag": "W/\"CQAAABYAAAC4ofQHEIqCSbQPot83AFcbAAAW/ZH4\"",
                    "id": "AAMkAGUAAAwTW08AAA=",
                    "subject": "Re: Offsite agenda",
                    "from": {"emailAddress": {"name": "Megan Bowen", "address": "MeganB@contoso.com"}},
                    "receivedDateTime": "2026-12-03T16:40:02Z",
                    "isRead": true
                }
            ],
            "@odata.nextLink": format!("https://graph.microsoft.com/v1.0/users/{USER}/mailFolders/inbox/messages?$select=subject,from,receivedDateTime,isRead&$orderby=receivedDateTime+desc&$top=2&$skip=2")
        })))
        .expect(1)
        .mount(&server)
        .await;

    let graph = graph(&server);
    send_mail::send_mail(
        &graph,
        USER,
        "AdeleV@contoso.com",
        "Lunch?",
        "<p>Are you free at <b>noon</b>?</p>",
    )
    .await
    .unwrap();
    let messages = send_mail::latest_messages(&graph, USER, 2).await.unwrap();

    let read: Vec<(&str, &str, String, bool)> = messages
        .iter()
        .map(|m| {
            let m = m.as_message().expect("plain messages");
            let from = m.from.as_ref().and_then(|f| f.as_recipient()).unwrap();
            (
                m.subject.as_deref().unwrap(),
                from.email_address
                    .as_ref()
                    .unwrap()
                    .address
                    .as_deref()
                    .unwrap(),
                m.received_date_time.as_ref().unwrap().to_string(),
                m.is_read.unwrap(),
            )
        })
        .collect();
    assert_eq!(
        read,
        [
            (
                "Quarterly numbers",
                "AlexW@contoso.com",
                "2026-12-04T09:12:45Z".to_string(),
                false
            ),
            (
                "Re: Offsite agenda",
                "MeganB@contoso.com",
                "2026-12-03T16:40:02Z".to_string(),
                true
            ),
        ]
    );
    // The etag is kept with the message, for a later conditional update.
    assert_eq!(
        messages[0].as_message().unwrap().additional_properties["@odata.etag"],
        "W/\"CQAAABYAAAC4ofQHEIqCSbQPot83AFcbAAAW/ZH5\""
    );

    server.verify().await;
    assert_eq!(
        requests(&server).await,
        [
            // The action's parameters as Graph documents them (lowerCamelCase; the
            // metadata spells them `Message` and `SaveToSentItems`).
            post(
                format!("POST {user}/sendMail"),
                json!({
                    "message": {
                        "subject": "Lunch?",
                        "body": {"contentType": "html", "content": "<p>Are you free at <b>noon</b>?</p>"},
                        "toRecipients": [{"emailAddress": {"address": "AdeleV@contoso.com"}}]
                    },
                    "saveToSentItems": true
                }),
                false
            ),
            // Only one page is read: the next link is left alone.
            get(format!(
                "GET {user}/mailFolders/inbox/messages?$select=subject,from,receivedDateTime,isRead&$orderby=receivedDateTime%20desc&$top=2"
            )),
        ]
    );
}

/// A channel message as the service returns it (`POST` answers and `replies` items).
fn chat_message(id: &str, reply_to: Option<&str>, sender: &str, html: &str) -> Value {
    json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#teams('fbe2bf47-16c8-47cf-b4a5-4b9b187c508b')/channels('19%3A4a95f7d8db4c4e7fae857bcebe0623e6%40thread.tacv2')/messages/$entity",
        "id": id,
        "replyToId": reply_to,
        "etag": id,
        "messageType": "message",
        "createdDateTime": "2026-12-05T14:03:27.411Z",
        "lastModifiedDateTime": "2026-12-05T14:03:27.411Z",
        "lastEditedDateTime": null,
        "deletedDateTime": null,
        "subject": null,
        "summary": null,
        "chatId": null,
        "importance": "normal",
        "locale": "en-us",
        "webUrl": format!("https://teams.microsoft.com/l/message/19%3A4a95f7d8db4c4e7fae857bcebe0623e6%40thread.tacv2/{id}?groupId=fbe2bf47-16c8-47cf-b4a5-4b9b187c508b"),
        "policyViolation": null,
        "eventDetail": null,
        "from": {
            "application": null,
            "device": null,
            "user": {
                "@odata.type": "#microsoft.graph.teamworkUserIdentity",
                "id": "8ea0e38b-efb3-4757-924a-5f94061cf8c2",
                "displayName": sender,
                "userIdentityType": "aadUser",
                "tenantId": "2432b57b-0abd-43db-aa7b-16eadd115d34"
            }
        },
        "body": {"contentType": "html", "content": html},
        "channelIdentity": {
            "teamId": "fbe2bf47-16c8-47cf-b4a5-4b9b187c508b",
            "channelId": "19:4a95f7d8db4c4e7fae857bcebe0623e6@thread.tacv2"
        },
        "attachments": [],
        "mentions": [],
        "reactions": [],
        "messageHistory": []
    })
}

#[tokio::test]
async fn channel_message_posts_a_thread_answers_it_and_reads_every_reply() {
    const TEAM: &str = "fbe2bf47-16c8-47cf-b4a5-4b9b187c508b";
    const CHANNEL: &str = "19:4a95f7d8db4c4e7fae857bcebe0623e6@thread.tacv2";
    const MESSAGE: &str = "1733407407411";
    let server = MockServer::start().await;
    let uri = server.uri();
    // The channel id is one path segment, its `:` and `@` percent-encoded.
    let messages = format!(
        "/v1.0/teams/{TEAM}/channels/19%3A4a95f7d8db4c4e7fae857bcebe0623e6%40thread.tacv2/messages"
    );
    let replies = format!("{messages}/{MESSAGE}/replies");
    let posted_html = "<p>Release 2.4 is <b>out</b>.</p>";
    let reply_html = "<p>Questions go in this thread.</p>";

    Mock::given(method("POST"))
        .and(path(&messages))
        .respond_with(ResponseTemplate::new(201).set_body_json(chat_message(
            MESSAGE,
            None,
            "Adele Vance",
            posted_html,
        )))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(&replies))
        .respond_with(ResponseTemplate::new(201).set_body_json(chat_message(
            "1733407415983",
            Some(MESSAGE),
            "Adele Vance",
            reply_html,
        )))
        .expect(1)
        .mount(&server)
        .await;
    // The replies come in two pages, the newest first.
    Mock::given(method("GET"))
        .and(path(&replies))
        .and(query_param_is_missing("$skiptoken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#teams('fbe2bf47-16c8-47cf-b4a5-4b9b187c508b')/channels('19%3A4a95f7d8db4c4e7fae857bcebe0623e6%40thread.tacv2')/messages('1733407407411')/replies",
            "@odata.count": 2,
            "@odata.nextLink": format!("{uri}{replies}?$skiptoken=MSwwLDE3MzM0MDc0MTU5ODM"),
            "value": [chat_message("1733407415983", Some(MESSAGE), "Adele Vance", reply_html)]
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(&replies))
        .and(query_param("$skiptoken", "MSwwLDE3MzM0MDc0MTU5ODM"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [chat_message("1733407411200", Some(MESSAGE), "Megan Bowen", "<p>Congrats!</p>")]
        })))
        .expect(1)
        .mount(&server)
        .await;

    let thread =
        channel_message::post_thread(&graph(&server), TEAM, CHANNEL, posted_html, reply_html)
            .await
            .unwrap();

    let message = &thread.message;
    assert_eq!(message.id.as_deref(), Some(MESSAGE));
    assert_eq!(message.reply_to_id, None);
    assert_eq!(
        message.created_date_time.as_ref().unwrap().to_string(),
        "2026-12-05T14:03:27.411Z"
    );
    let body = message.body.as_ref().unwrap();
    assert_eq!(body.content_type, Some(BodyType::Html));
    assert_eq!(body.content.as_deref(), Some(posted_html));
    assert_eq!(
        message
            .channel_identity
            .as_ref()
            .unwrap()
            .channel_id
            .as_deref(),
        Some(CHANNEL)
    );
    let replies_read: Vec<(&str, &str, &str)> = thread
        .replies
        .iter()
        .map(|r| {
            let sender = r.from.as_ref().unwrap().user.as_ref().unwrap();
            let sender = sender.as_teamwork_user_identity().expect("a Teams user");
            (
                r.reply_to_id.as_deref().unwrap(),
                sender.display_name.as_deref().unwrap(),
                r.body.as_ref().unwrap().content.as_deref().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        replies_read,
        [
            (MESSAGE, "Adele Vance", reply_html),
            (MESSAGE, "Megan Bowen", "<p>Congrats!</p>"),
        ]
    );

    server.verify().await;
    let html = |content: &str| json!({"body": {"contentType": "html", "content": content}});
    assert_eq!(
        requests(&server).await,
        [
            post(format!("POST {messages}"), html(posted_html), true),
            post(format!("POST {replies}"), html(reply_html), true),
            get(format!("GET {replies}")),
            get(format!("GET {replies}?$skiptoken=MSwwLDE3MzM0MDc0MTU5ODM")),
        ]
    );
}

/// Every example of the crate is one this file runs.
#[test]
fn every_example_of_the_sdk_is_run_here() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/graph-sdk/examples");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["add_group_member.rs", "channel_message.rs", "send_mail.rs"]
    );
}

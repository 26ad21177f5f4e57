//! Requests of the whole-Graph SDK (`graph-sdk`) that the metadata cannot express, added by
//! the built-in override entries (`generator/overrides/graph.toml`), sent to a local mock of
//! Microsoft Graph on 127.0.0.1: OneDrive path addressing, a MIME mail as a raw body, the PUT
//! that makes a team for a group, and creates the service answers `202 Accepted` with a
//! `Location` and no body. The assertions are on what the server received: method, the path
//! exactly as sent (percent-encoding included), content type and body.
//!
//! The SDK is compiled here with the areas `drives`, `groups`, `users` and `teams` only.

mod http_support;
use http_support::local_client;

use graph_sdk::models::microsoft_graph::{AnyMessage, Team};
use graph_sdk::parameters::{CloneTypeParameters, CopyTypeParameters};
use graph_sdk::runtime::operation::Accepted;
use graph_sdk::runtime::poll::PollPolicy;
use graph_sdk::runtime::Error;
use graph_sdk::GraphClient;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn graph(server: &MockServer) -> GraphClient {
    GraphClient::from_client(local_client(&format!("{}/v1.0", server.uri())))
}

/// Every request the server saw, in order.
async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

/// `METHOD <path as sent>` (the raw request target, before any decoding).
fn line(request: &Request) -> String {
    format!("{} {}", request.method, request.url.path())
}

fn content_type(request: &Request) -> &str {
    request
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

fn from_json<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).unwrap()
}

#[tokio::test]
async fn a_file_is_uploaded_by_path_and_downloaded_again() {
    let server = MockServer::start().await;
    // Everything below the drive answers: uploads with the item, downloads with its bytes.
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "01ITEM"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(b"quarterly numbers\n".to_vec(), "text/plain"),
        )
        .mount(&server)
        .await;
    let graph = graph(&server);
    let file = graph
        .drives()
        .by_id("b!drive1")
        .root()
        .by_path("Reports 2024/Q1 #1: 50%?.txt");
    file.content()
        .put(b"quarterly numbers\n".to_vec(), "text/plain")
        .send()
        .await
        .unwrap();
    let media = file.content().get().send().await.unwrap();
    assert_eq!(media.bytes, b"quarterly numbers\n");
    assert_eq!(media.content_type.as_deref(), Some("text/plain"));
    // From an item: a new file below a folder given by id, and unicode names.
    graph
        .drives()
        .by_id("b!drive1")
        .items()
        .by_id("01FOLDER")
        .by_path("Ünïcode ☃.md")
        .content()
        .put(b"# hi".to_vec(), "text/markdown")
        .send()
        .await
        .unwrap();

    let requests = received(&server).await;
    let lines: Vec<String> = requests.iter().map(line).collect();
    assert_eq!(
        lines,
        [
            "PUT /v1.0/drives/b%21drive1/root:/Reports%202024/Q1%20%231%3A%2050%25%3F.txt:/content",
            "GET /v1.0/drives/b%21drive1/root:/Reports%202024/Q1%20%231%3A%2050%25%3F.txt:/content",
            "PUT /v1.0/drives/b%21drive1/items/01FOLDER:/%C3%9Cn%C3%AFcode%20%E2%98%83.md:/content",
        ]
    );
    assert!(requests.iter().all(|r| r.url.query().is_none()));
    assert_eq!(requests[0].body, b"quarterly numbers\n");
    assert_eq!(content_type(&requests[0]), "text/plain");
    assert_eq!(requests[2].body, b"# hi");
    assert_eq!(content_type(&requests[2]), "text/markdown");
}

#[tokio::test]
async fn children_and_actions_continue_after_a_path_from_every_drive() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "1", "name": "a.txt"}, {"id": "2", "name": "b"}]
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "uploadUrl": "https://upload.example/session", "nextExpectedRanges": ["0-"]
        })))
        .mount(&server)
        .await;
    let graph = graph(&server);
    let page = graph
        .users()
        .by_id("adele@contoso.com")
        .drive()
        .root()
        .by_path("/Shared/Team docs/")
        .children()
        .list()
        .send()
        .await
        .unwrap();
    let names: Vec<_> = page.value.iter().map(|i| i.name.clone().unwrap()).collect();
    assert_eq!(names, ["a.txt", "b"]);
    graph
        .groups()
        .by_id("g1")
        .drive()
        .root()
        .by_path("Plans/./2025/../2026")
        .children()
        .list()
        .send()
        .await
        .unwrap();
    let session = graph
        .drives()
        .by_id("d1")
        .root()
        .by_path("big.iso")
        .create_upload_session(&from_json(json!({"name": "big.iso"})))
        .send()
        .await
        .unwrap();
    assert_eq!(
        session.upload_url.as_deref(),
        Some("https://upload.example/session")
    );

    let requests = received(&server).await;
    let lines: Vec<String> = requests.iter().map(line).collect();
    assert_eq!(
        lines,
        [
            "GET /v1.0/users/adele%40contoso.com/drive/root:/Shared/Team%20docs:/children",
            "GET /v1.0/groups/g1/drive/root:/Plans/2026:/children",
            "POST /v1.0/drives/d1/root:/big.iso:/createUploadSession",
        ]
    );
    let body: Value = serde_json::from_slice(&requests[2].body).unwrap();
    assert_eq!(body, json!({"item": {"name": "big.iso"}}));
}

#[tokio::test]
async fn mail_goes_out_as_a_mime_message_in_a_text_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/users/adele%40contoso.com/sendMail"))
        .respond_with(ResponseTemplate::new(202))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1.0/users/adele%40contoso.com/messages"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "@odata.type": "#microsoft.graph.message", "id": "AAMk1", "subject": "Hello", "isDraft": true
        })))
        .mount(&server)
        .await;
    // A MIME message, base64-encoded as the service takes it.
    let mime = "RnJvbTogYWRlbGVAY29udG9zby5jb20NClRvOiBtZWdhbkBjb250b3NvLmNvbQ0KU3ViamVjdDogSGVsbG8NCg0KSGku";
    let graph = graph(&server);
    let adele = graph.users().by_id("adele@contoso.com");
    adele.send_mail_mime(mime).send().await.unwrap();
    let draft = adele
        .messages()
        .create_from_mime(mime.as_bytes())
        .send()
        .await
        .unwrap();
    let AnyMessage::Message(draft) = draft else {
        panic!("a message: {draft:?}")
    };
    assert_eq!(draft.subject.as_deref(), Some("Hello"));

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    for (request, target) in requests.iter().zip(["sendMail", "messages"]) {
        assert_eq!(
            line(request),
            format!("POST /v1.0/users/adele%40contoso.com/{target}")
        );
        assert_eq!(content_type(request), "text/plain");
        assert_eq!(request.body, mime.as_bytes());
    }
}

#[tokio::test]
async fn a_team_is_made_for_a_group_with_put() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/v1.0/groups/g1/team"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "id": "g1", "displayName": "Launch", "memberSettings": {"allowCreateUpdateChannels": true}
        })))
        .mount(&server)
        .await;
    let team: Team = from_json(json!({"memberSettings": {"allowCreateUpdateChannels": true}}));
    let made = graph(&server)
        .groups()
        .by_id("g1")
        .create_team(&team)
        .send()
        .await
        .unwrap();
    assert_eq!(made.display_name.as_deref(), Some("Launch"));
    let requests = received(&server).await;
    assert_eq!(line(&requests[0]), "PUT /v1.0/groups/g1/team");
    assert_eq!(content_type(&requests[0]), "application/json");
    let body: Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(
        body,
        json!({"memberSettings": {"allowCreateUpdateChannels": true}})
    );
}

#[tokio::test]
async fn a_create_answered_202_with_a_location_is_an_operation_to_wait_on() {
    let server = MockServer::start().await;
    // Creating a team: 202, the monitor in `Location`, the team in `Content-Location`.
    Mock::given(method("POST"))
        .and(path("/v1.0/teams"))
        .respond_with(
            ResponseTemplate::new(202)
                .insert_header("Location", "/teams('t1')/operations('op1')")
                .insert_header("Content-Location", "/teams('t1')"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/teams('t1')/operations('op1')"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "op1", "status": "succeeded", "targetResourceLocation": "/teams('t1')"
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/teams('t1')"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": "t1", "displayName": "Launch"})),
        )
        .mount(&server)
        .await;
    // Cloning a team and copying a drive item: 202 and a monitor, nothing else.
    for (verb, at) in [
        ("clone", "/v1.0/teams/t1/clone"),
        ("copy", "/v1.0/drives/d1/root:/a.txt:/copy"),
    ] {
        Mock::given(method("POST"))
            .and(path(at))
            .respond_with(
                ResponseTemplate::new(202)
                    .insert_header("Location", format!("/monitor/{verb}").as_str()),
            )
            .mount(&server)
            .await;
    }
    let graph = graph(&server);
    let team: Team = from_json(json!({
        "template@odata.bind": "https://graph.microsoft.com/v1.0/teamsTemplates('standard')",
        "displayName": "Launch"
    }));

    // `send` cannot read a team from no body, and says the create happened.
    let err = graph.teams().create(&team).send().await.unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    assert!(err.to_string().contains("do not retry the create"), "{err}");
    // `start` gives the operation, and waiting on it gives the team.
    let Accepted::Running(operation) = graph.teams().create(&team).start().await.unwrap() else {
        panic!("202 with a Location is a running operation")
    };
    assert!(operation
        .monitor_url()
        .as_str()
        .ends_with("/v1.0/teams('t1')/operations('op1')"));
    let made = operation.wait(PollPolicy::default()).await.unwrap();
    assert_eq!(made.id.as_deref(), Some("t1"));
    assert_eq!(made.display_name.as_deref(), Some("Launch"));

    let clone: CloneTypeParameters = from_json(json!({
        "displayName": "Launch (copy)", "mailNickname": "launch2",
        "partsToClone": "apps,tabs,settings,channels", "visibility": "private"
    }));
    let started = graph
        .teams()
        .by_id("t1")
        .clone_2(&clone)
        .start()
        .await
        .unwrap();
    assert!(
        matches!(&started, Accepted::Running(o) if o.monitor_url().path() == "/v1.0/monitor/clone")
    );
    let copy: CopyTypeParameters = from_json(json!({"name": "b.txt"}));
    let started = graph
        .drives()
        .by_id("d1")
        .root()
        .by_path("a.txt")
        .copy(&copy)
        .start()
        .await
        .unwrap();
    assert!(
        matches!(&started, Accepted::Running(o) if o.monitor_url().path() == "/v1.0/monitor/copy")
    );

    let lines: Vec<String> = received(&server).await.iter().map(line).collect();
    assert_eq!(
        lines,
        [
            "POST /v1.0/teams",
            "POST /v1.0/teams",
            "GET /v1.0/teams('t1')/operations('op1')",
            "GET /v1.0/teams('t1')",
            "POST /v1.0/teams/t1/clone",
            "POST /v1.0/drives/d1/root:/a.txt:/copy",
        ]
    );
}

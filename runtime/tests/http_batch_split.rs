//! Batches of any size (split into batch requests of at most 20, `dependsOn` chains kept
//! together, a failed dependency across batch requests honoured) and `multipart/mixed`
//! batches, against the in-process service on tokio's paused clock.

mod http_support;

use std::collections::HashMap;

use graph_odata_runtime::batch::{Batch, BatchFormat, MAX_BATCH_SIZE};
use graph_odata_runtime::{Error, Method, Request};
use http_support::{response, users, InProcess, RawRequest};
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Debug, Deserialize, PartialEq)]
struct User {
    id: String,
}

/// A JSON batch service answering each sub-request with `status_of(id)` and `{"id": <url>}`.
fn json_batch_service(status_of: impl Fn(&str) -> u16 + Send + Sync + 'static) -> InProcess {
    InProcess::start(move |r: &RawRequest| {
        let body: Value = serde_json::from_slice(&r.body).unwrap();
        let responses: Vec<Value> = body["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|sub| {
                let id = sub["id"].as_str().unwrap();
                json!({"id": id, "status": status_of(id),
                       "headers": {"content-type": "application/json"},
                       "body": {"id": sub["url"]}})
            })
            .collect();
        let out = serde_json::to_vec(&json!({ "responses": responses })).unwrap();
        response(200, "application/json", &out)
    })
}

/// The sub-requests of every batch request the service received.
fn batches(service: &InProcess) -> Vec<Vec<Value>> {
    service
        .requests()
        .iter()
        .map(|r| {
            let body: Value = serde_json::from_slice(&r.body).unwrap();
            body["requests"].as_array().unwrap().clone()
        })
        .collect()
}

/// 45 requests; 10 to 35 form a chain (each depends on the one before), longer than one
/// batch request holds.
fn forty_five(
    batch: &mut Batch,
    client: &graph_odata_runtime::Client,
) -> Vec<graph_odata_runtime::batch::BatchItem<User>> {
    let mut items: Vec<graph_odata_runtime::batch::BatchItem<User>> = Vec::new();
    for i in 1..=45 {
        let request = Request::<User>::json(client, Method::GET, users().key(&i.to_string()));
        let item = if (11..=35).contains(&i) {
            let before = items.last().unwrap().id().to_owned();
            batch.add_after(request, &[&before]).unwrap()
        } else {
            batch.add(request).unwrap()
        };
        items.push(item);
    }
    items
}

#[tokio::test(start_paused = true)]
async fn forty_five_requests_with_a_chain_across_the_split() {
    let service = json_batch_service(|_| 200);
    let client = service.client();
    let mut batch = Batch::new(&client);
    let items = forty_five(&mut batch, &client);
    assert_eq!(batch.len(), 45);
    let answers = batch.send().await.unwrap();

    let sent = batches(&service);
    assert_eq!(sent.len(), 3);
    let mut batch_of = HashMap::new();
    for (n, requests) in sent.iter().enumerate() {
        assert!(requests.len() <= MAX_BATCH_SIZE);
        for sub in requests {
            batch_of.insert(sub["id"].as_str().unwrap().to_owned(), n);
        }
    }
    // Every request went once.
    assert_eq!(batch_of.len(), 45);
    for (n, requests) in sent.iter().enumerate() {
        for sub in requests {
            let id: usize = sub["id"].as_str().unwrap().parse().unwrap();
            let depends_on: Vec<&str> = sub["dependsOn"]
                .as_array()
                .map(|d| d.iter().map(|v| v.as_str().unwrap()).collect())
                .unwrap_or_default();
            if (11..=35).contains(&id) {
                let before = (id - 1).to_string();
                if batch_of[&before] == n {
                    // In the same batch request the service keeps the order.
                    assert_eq!(depends_on, [before.as_str()]);
                } else {
                    // Across batch requests the client does: the dependency went earlier.
                    assert!(batch_of[&before] < n, "{id}");
                    assert!(depends_on.is_empty(), "{id}: {depends_on:?}");
                }
            } else {
                assert!(depends_on.is_empty());
            }
        }
    }
    // The chain was cut once, where a batch request was full.
    let cut: Vec<_> = (11..=35)
        .filter(|i| batch_of[&i.to_string()] != batch_of[&(i - 1).to_string()])
        .collect();
    assert_eq!(cut.len(), 1, "{cut:?}");

    // Answers, typed, in the order added.
    let ids: Vec<String> = answers.ids().map(str::to_owned).collect();
    assert_eq!(ids, (1..=45).map(|i| i.to_string()).collect::<Vec<_>>());
    for (i, item) in items.iter().enumerate() {
        assert_eq!(answers.get(item).unwrap().id, format!("/users/{}", i + 1));
    }
}

#[tokio::test(start_paused = true)]
async fn a_failed_dependency_in_an_earlier_batch_request_stops_the_rest_of_the_chain() {
    // Request 20 fails; it is the last of the chain in the first batch request.
    let service = json_batch_service(|id| if id == "20" { 404 } else { 200 });
    let client = service.client();
    let mut batch = Batch::new(&client);
    let items = forty_five(&mut batch, &client);
    let answers = batch.send().await.unwrap();

    let sent: Vec<String> = batches(&service)
        .iter()
        .flatten()
        .map(|sub| sub["id"].as_str().unwrap().to_owned())
        .collect();
    for id in 21..=35 {
        assert!(!sent.contains(&id.to_string()), "{id} was sent");
    }
    assert_eq!(sent.len(), 45 - 15);
    let err = answers.get(&items[19]).unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    for item in &items[20..35] {
        let err = answers.get(item).unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(424), "{item:?}");
        assert_eq!(err.odata_error().unwrap().code, "FailedDependency");
        assert!(matches!(err, Error::Http(_)));
    }
    assert_eq!(answers.get(&items[44]).unwrap().id, "/users/45");
}

/// The parts of a multipart batch request: (Content-ID, request line, headers, body).
fn parts(request: &RawRequest) -> Vec<(String, String, Vec<String>, String)> {
    let content_type = request.header("content-type").unwrap();
    let boundary = content_type.split("boundary=").nth(1).unwrap();
    let body = String::from_utf8(request.body.clone()).unwrap();
    let end = format!("--{boundary}--");
    assert!(body.trim_end().ends_with(&end), "{body}");
    body.split(&format!("--{boundary}"))
        .filter(|p| !p.trim().is_empty() && !p.starts_with("--"))
        .map(|part| {
            let (head, http) = part.split_once("\r\n\r\n").unwrap();
            assert!(head.contains("Content-Type: application/http"), "{head}");
            let id = head
                .lines()
                .find_map(|l| l.strip_prefix("Content-ID: "))
                .unwrap()
                .to_owned();
            let (request_head, body) = http.split_once("\r\n\r\n").unwrap();
            let mut lines = request_head.lines();
            let line = lines.next().unwrap().to_owned();
            let headers = lines.map(|l| l.to_ascii_lowercase()).collect();
            (id, line, headers, body.trim_end().to_owned())
        })
        .collect()
}

/// A multipart batch service: answers each part, echoing its Content-ID, in a change set
/// for the first answer (services do that for changes).
fn multipart_service() -> InProcess {
    InProcess::start(|r: &RawRequest| {
        assert_eq!(r.target, "/v1.0/$batch");
        assert_eq!(r.header("accept"), Some("multipart/mixed"));
        let mut out = String::new();
        for (i, (id, line, _, _)) in parts(r).into_iter().enumerate() {
            let url = line.split(' ').nth(1).unwrap();
            let body = format!(r#"{{"id":"{url}"}}"#);
            let answer =
                format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{body}\r\n");
            if i == 0 {
                out.push_str(&format!(
                    "--resp\r\nContent-Type: multipart/mixed; boundary=cs\r\n\r\n--cs\r\nContent-Type: application/http\r\nContent-ID: {id}\r\n\r\n{answer}--cs--\r\n"
                ));
            } else {
                out.push_str(&format!(
                    "--resp\r\nContent-Type: application/http\r\nContent-ID: {id}\r\n\r\n{answer}"
                ));
            }
        }
        out.push_str("--resp--\r\n");
        response(200, "multipart/mixed; boundary=resp", out.as_bytes())
    })
}

#[tokio::test(start_paused = true)]
async fn a_multipart_client_sends_odata_4_0_batches() {
    let service = multipart_service();
    let client = service
        .builder()
        .batch_format(BatchFormat::Multipart)
        .header("x-api-key", "k")
        .build()
        .unwrap();
    assert_eq!(client.batch_format(), BatchFormat::Multipart);
    let mut batch = Batch::new(&client);
    let first = batch
        .add(Request::<User>::json(
            &client,
            Method::GET,
            users().key("1"),
        ))
        .unwrap();
    let created = batch
        .add(Request::<User>::created(&client, users()).json_body(&json!({"name": "b"})))
        .unwrap();
    let after = batch
        .add_after(
            Request::<User>::json(&client, Method::GET, users().key("2")),
            &[created.id()],
        )
        .unwrap();
    let answers = batch.send().await.unwrap();
    assert_eq!(answers.get(&first).unwrap().id, "users/1");
    assert_eq!(answers.get(&created).unwrap().id, "users");
    assert_eq!(answers.get(&after).unwrap().id, "users/2");

    // The dependent request went in a second batch request, after its dependency.
    let requests = service.requests();
    assert_eq!(requests.len(), 2);
    assert!(requests[0]
        .header("content-type")
        .unwrap()
        .starts_with("multipart/mixed; boundary="));
    let first_batch = parts(&requests[0]);
    assert_eq!(
        first_batch
            .iter()
            .map(|(id, line, _, _)| format!("{id} {line}"))
            .collect::<Vec<_>>(),
        ["1 GET users/1 HTTP/1.1", "2 POST users HTTP/1.1"]
    );
    let (_, _, headers, body) = &first_batch[1];
    assert_eq!(body, r#"{"name":"b"}"#);
    assert!(headers.contains(&"content-type: application/json".to_owned()));
    assert!(headers.contains(&"x-api-key: k".to_owned()));
    // The token goes on the batch request only.
    assert!(headers.iter().all(|h| !h.starts_with("authorization")));
    assert!(requests[0].header("authorization").is_some());
    let second = parts(&requests[1]);
    assert_eq!(second[0].1, "GET users/2 HTTP/1.1");
}

#[tokio::test(start_paused = true)]
async fn a_multipart_answer_that_is_not_one_is_a_decode_error() {
    let service = InProcess::json("{}");
    let client = service
        .builder()
        .batch_format(BatchFormat::Multipart)
        .build()
        .unwrap();
    let mut batch = Batch::new(&client);
    batch
        .add(Request::<User>::json(&client, Method::GET, users()))
        .unwrap();
    let err = batch.send().await.unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
}

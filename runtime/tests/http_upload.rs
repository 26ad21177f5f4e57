//! Upload sessions (`upload::UploadSession`): ranges of 320 KiB multiples to a
//! pre-authenticated URL on another host, never with the token or the client's headers;
//! a failed range resumed from `nextExpectedRanges`; no byte sent twice otherwise. Against
//! local servers on loopback, and the in-process service for 100 MiB.

mod http_support;

use std::io::Cursor;
use std::sync::{Arc, Mutex};

use graph_odata_runtime::upload::{UploadProgress, UploadSession, RANGE_UNIT};
use graph_odata_runtime::Error;
use http_support::{builder, fast_retries, response, InProcess, RawRequest, RawServer};
use serde_json::Value;

/// What the upload host has received.
#[derive(Default)]
struct Session {
    /// The bytes received in order (or only their count, for large uploads).
    data: Vec<u8>,
    keep_data: bool,
    next: u64,
    /// The `Content-Range` of every PUT, and how many bytes it carried.
    puts: Vec<(String, usize)>,
    /// Fail the PUT with this index (0-based) after keeping this many of its bytes.
    fail_put: Option<(usize, usize)>,
    /// The status of that failure (500 unless set).
    fail_status: Option<u16>,
}

fn json(status: u16, body: &str) -> Vec<u8> {
    response(status, "application/json", body.as_bytes())
}

/// The upload host: takes a range that starts where it expects, answers like Graph.
fn host(state: Arc<Mutex<Session>>) -> impl Fn(&RawRequest) -> Vec<u8> + Send + Sync + 'static {
    move |request| {
        let mut s = state.lock().unwrap();
        if request.method == "GET" {
            return json(200, &format!(r#"{{"nextExpectedRanges":["{}-"]}}"#, s.next));
        }
        let range = request.header("content-range").unwrap_or("").to_owned();
        let index = s.puts.len();
        s.puts.push((range.clone(), request.body.len()));
        let (first, total) = range
            .strip_prefix("bytes ")
            .and_then(|r| r.split_once('/'))
            .map(|(span, total)| {
                let first: u64 = span.split('-').next().unwrap().parse().unwrap();
                (first, total.parse::<u64>().unwrap())
            })
            .expect("a Content-Range");
        if first != s.next {
            return json(
                416,
                r#"{"error":{"code":"invalidRange","message":"unexpected range"}}"#,
            );
        }
        let mut body = &request.body[..];
        let failing = s.fail_put.filter(|(at, _)| *at == index);
        if let Some((_, kept)) = failing {
            body = &body[..kept];
        }
        s.next += body.len() as u64;
        if s.keep_data {
            s.data.extend_from_slice(body);
        } else {
            // Only the ends: a large upload is checked without holding it.
            assert_eq!(body.first().copied(), Some(pattern_byte(first)));
        }
        if failing.is_some() {
            return json(
                s.fail_status.unwrap_or(500),
                r#"{"error":{"code":"generalException","message":"cut"}}"#,
            );
        }
        if s.next == total {
            json(201, &format!(r#"{{"id":"item","size":{total}}}"#))
        } else {
            json(202, &format!(r#"{{"nextExpectedRanges":["{}-"]}}"#, s.next))
        }
    }
}

fn pattern_byte(at: u64) -> u8 {
    (at % 251) as u8
}

fn file(len: usize) -> Vec<u8> {
    (0..len as u64).map(pattern_byte).collect()
}

struct Setup {
    service: RawServer,
    upload_host: RawServer,
    state: Arc<Mutex<Session>>,
}

async fn setup(fail_put: Option<(usize, usize)>) -> Setup {
    let state = Arc::new(Mutex::new(Session {
        keep_data: true,
        fail_put,
        ..Session::default()
    }));
    Setup {
        service: RawServer::json("{}").await,
        upload_host: RawServer::start(host(state.clone())).await,
        state,
    }
}

impl Setup {
    fn session(&self) -> UploadSession {
        let client = builder(&self.service.base())
            .header("x-api-key", "k")
            .retry_policy(fast_retries(1))
            .build()
            .unwrap();
        let url = format!(
            "http://{}/up/session-1?tempauth=opaque",
            self.upload_host.addr
        );
        UploadSession::new(&client, &url)
            .unwrap()
            .range_size(2 * RANGE_UNIT)
    }
}

#[tokio::test]
async fn ranges_go_to_the_upload_host_without_the_token_once_each() {
    let setup = setup(None).await;
    let data = file(5 * RANGE_UNIT + 1234);
    let progress = Arc::new(Mutex::new(Vec::new()));
    let seen = progress.clone();
    let item: Value = setup
        .session()
        .on_progress(move |p: UploadProgress| seen.lock().unwrap().push(p.sent))
        .upload(Cursor::new(data.clone()), data.len() as u64)
        .await
        .unwrap();
    assert_eq!(item["id"], "item");

    let state = setup.state.lock().unwrap();
    assert_eq!(state.data, data);
    let total = data.len();
    let ranges: Vec<_> = state.puts.iter().map(|(r, _)| r.as_str()).collect();
    let unit = 2 * RANGE_UNIT;
    assert_eq!(
        ranges,
        [
            format!("bytes 0-{}/{total}", unit - 1),
            format!("bytes {unit}-{}/{total}", 2 * unit - 1),
            format!("bytes {}-{}/{total}", 2 * unit, total - 1),
        ]
    );
    // No byte twice: the bodies add up to the file.
    assert_eq!(state.puts.iter().map(|(_, n)| n).sum::<usize>(), total);
    assert_eq!(
        *progress.lock().unwrap(),
        [unit as u64, 2 * unit as u64, total as u64]
    );
    for request in setup.upload_host.requests() {
        assert_eq!(request.target, "/up/session-1?tempauth=opaque");
        assert_eq!(request.header("authorization"), None);
        assert_eq!(request.header("x-api-key"), None);
    }
    assert!(setup.service.requests().is_empty());
}

#[tokio::test]
async fn a_failed_range_is_resumed_from_what_the_session_expects() {
    // The second range breaks off after 1000 of its bytes arrived.
    let setup = setup(Some((1, 1000))).await;
    let data = file(5 * RANGE_UNIT);
    let item: Value = setup
        .session()
        .upload(Cursor::new(data.clone()), data.len() as u64)
        .await
        .unwrap();
    assert_eq!(item["size"], data.len());
    let state = setup.state.lock().unwrap();
    assert_eq!(state.data, data);
    let unit = 2 * RANGE_UNIT;
    let resumed = unit + 1000;
    assert_eq!(
        state.puts[2].0,
        format!("bytes {resumed}-{}/{}", resumed + unit - 1, data.len())
    );
    // Only the failed range's unreceived part went twice.
    let sent: usize = state.puts.iter().map(|(_, n)| n).sum();
    assert_eq!(sent, data.len() + (unit - 1000));
    let methods: Vec<_> = setup
        .upload_host
        .requests()
        .into_iter()
        .map(|r| r.method)
        .collect();
    assert_eq!(methods, ["PUT", "PUT", "GET", "PUT", "PUT"]);
}

#[tokio::test]
async fn a_range_answered_503_is_sent_again_by_the_retry_policy() {
    let setup = setup(Some((1, 0))).await;
    setup.state.lock().unwrap().fail_status = Some(503);
    let data = file(5 * RANGE_UNIT);
    let client = builder(&setup.service.base())
        .retry_policy(fast_retries(3))
        .build()
        .unwrap();
    let url = format!("http://{}/up/s", setup.upload_host.addr);
    let _: Value = UploadSession::new(&client, &url)
        .unwrap()
        .range_size(2 * RANGE_UNIT)
        .upload(Cursor::new(data.clone()), data.len() as u64)
        .await
        .unwrap();
    let state = setup.state.lock().unwrap();
    assert_eq!(state.data, data);
    let unit = 2 * RANGE_UNIT;
    let ranges: Vec<_> = state.puts.iter().map(|(r, _)| r.clone()).collect();
    // The failed range went twice, with no status request in between; nothing else did.
    assert_eq!(ranges[1], ranges[2]);
    assert_eq!(
        state.puts.iter().map(|(_, n)| n).sum::<usize>(),
        data.len() + unit
    );
    let methods: Vec<_> = setup
        .upload_host
        .requests()
        .into_iter()
        .map(|r| r.method)
        .collect();
    assert_eq!(methods, ["PUT"; 4], "{ranges:?}");
}

#[tokio::test]
async fn range_failures_are_bounded() {
    let setup = setup(Some((0, 0))).await;
    let data = file(RANGE_UNIT);
    let err = setup
        .session()
        .max_range_failures(0)
        .upload::<Value, _>(Cursor::new(data), RANGE_UNIT as u64)
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
}

#[tokio::test]
async fn an_interrupted_upload_resumes_where_the_session_stands() {
    let setup = setup(None).await;
    let data = file(3 * RANGE_UNIT);
    let had = RANGE_UNIT + 7;
    {
        let mut state = setup.state.lock().unwrap();
        state.data = data[..had].to_vec();
        state.next = had as u64;
    }
    let _: Value = setup
        .session()
        .resume(Cursor::new(data.clone()), data.len() as u64)
        .await
        .unwrap();
    let state = setup.state.lock().unwrap();
    assert_eq!(state.data, data);
    assert_eq!(
        state.puts.iter().map(|(_, n)| n).sum::<usize>(),
        data.len() - had
    );
}

#[tokio::test]
async fn a_reader_shorter_than_announced_is_an_io_error() {
    let setup = setup(None).await;
    let err = setup
        .session()
        .upload::<Value, _>(Cursor::new(file(100)), 200)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err:?}");
}

#[tokio::test]
async fn a_100_mib_upload_sends_no_byte_twice() {
    const TOTAL: usize = 100 * 1024 * 1024;
    let state = Arc::new(Mutex::new(Session::default()));
    let upload_host = InProcess::start(host(state.clone()));
    let client = upload_host.client();
    let data = file(TOTAL);
    let _: Value = UploadSession::new(&client, "https://upload.test/session?tempauth=x")
        .unwrap()
        .upload(Cursor::new(data), TOTAL as u64)
        .await
        .unwrap();
    let state = state.lock().unwrap();
    assert_eq!(state.next, TOTAL as u64);
    assert_eq!(state.puts.iter().map(|(_, n)| n).sum::<usize>(), TOTAL);
    // Every range but the last is a multiple of 320 KiB.
    let (last, rest) = state.puts.split_last().unwrap();
    assert!(last.1 > 0);
    for (range, len) in rest {
        assert_eq!(len % RANGE_UNIT, 0, "{range}");
    }
    assert!(upload_host
        .requests()
        .iter()
        .all(|r| r.header("authorization").is_none()));
}

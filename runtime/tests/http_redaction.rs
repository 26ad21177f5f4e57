//! Secrets (the token, client and request headers) never appear in `Debug`, `Display`,
//! errors or traces.
//!
//! Alone in its test binary: tracing caches per call site whether anyone listens, for the
//! whole process, so a request sent by another test while this one installs its subscriber
//! could leave the request span switched off, and the trace would miss it.

mod http_support;

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use graph_odata_runtime::{AccessToken, Method, Request, Secret, StaticTokenCredential};
use http_support::{builder, users, TOKEN};
use serde_json::Value;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[test]
fn tokens_never_appear_in_debug_display_errors_or_traces() {
    let secret = Secret::new(TOKEN);
    assert_eq!(format!("{secret:?}"), "<redacted>");
    assert_eq!(format!("{secret}"), "<redacted>");
    assert_eq!(secret.expose(), TOKEN);
    let token = AccessToken::new(TOKEN, SystemTime::now());
    assert!(!format!("{token:?}").contains(TOKEN));
    assert!(!format!("{:?}", StaticTokenCredential::new(TOKEN)).contains(TOKEN));

    let logs = Arc::new(Mutex::new(String::new()));
    let subscriber = Capture {
        out: logs.clone(),
        next: AtomicU64::new(1),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (client, request_debug, err) = tracing::subscriber::with_default(subscriber, || {
        runtime.block_on(async {
            let server = MockServer::start().await;
            Mock::given(method("GET"))
                .respond_with(
                    ResponseTemplate::new(401)
                        .insert_header("WWW-Authenticate", "Bearer error=\"invalid_token\"")
                        .set_body_raw(
                            r#"{"error":{"code":"InvalidAuthenticationToken","message":"Access token has expired."}}"#,
                            "application/json",
                        ),
                )
                .mount(&server)
                .await;
            let client = builder(&format!("{}/v1.0", server.uri()))
                .header("x-api-key", "also-secret")
                .build()
                .unwrap();
            let request =
                Request::<Value>::json(&client, Method::GET, users()).header("x-other", "hidden");
            let request_debug = format!("{request:?}");
            let err = request.await.unwrap_err();
            (client, request_debug, err)
        })
    });
    let logs = logs.lock().unwrap().clone();

    let client_debug = format!("{client:?}");
    assert!(client_debug.contains("x-api-key"), "{client_debug}");
    assert!(!request_debug.contains("hidden"), "{request_debug}");
    for text in [
        client_debug,
        format!("{err:?}"),
        format!("{err}"),
        logs.clone(),
    ] {
        assert!(!text.contains(TOKEN), "{text}");
        assert!(!text.contains("also-secret"), "{text}");
    }
    assert_eq!(err.status(), Some(http::StatusCode::UNAUTHORIZED));
    assert!(format!("{err}").contains("InvalidAuthenticationToken"));
    assert!(logs.contains("status=401"), "{logs}");
    assert!(logs.contains("client_request_id="), "{logs}");
    assert!(logs.contains("path=/v1.0/users"), "{logs}");
}

/// A subscriber that records every span field and event as text.
struct Capture {
    out: Arc<Mutex<String>>,
    next: AtomicU64,
}

struct Recorder<'a>(&'a mut String);

impl tracing::field::Visit for Recorder<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn fmt::Debug) {
        use fmt::Write;
        let _ = write!(self.0, "{}={:?} ", field.name(), value);
    }

    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        use fmt::Write;
        let _ = write!(self.0, "{}={} ", field.name(), value);
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut out = self.out.lock().unwrap();
        out.push_str(span.metadata().name());
        out.push(' ');
        span.record(&mut Recorder(&mut out));
        out.push('\n');
        tracing::span::Id::from_u64(self.next.fetch_add(1, Ordering::Relaxed))
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut out = self.out.lock().unwrap();
        values.record(&mut Recorder(&mut out));
        out.push('\n');
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut out = self.out.lock().unwrap();
        event.record(&mut Recorder(&mut out));
        out.push('\n');
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

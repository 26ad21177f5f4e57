//! Proxies for the default transport: `ClientBuilder::proxy`, `no_proxy`, and the standard
//! environment variables. The "proxy" is a local recording server; the service hosts are
//! `.invalid` names that are never resolved (the proxy receives them). The environment is
//! tested in a child process, so this process's variables stay untouched.

mod http_support;

use std::process::Command;

use graph_odata_runtime::{Client, Error, Method, Request, StaticTokenCredential};
use http_support::{fast_retries, response, users, RawServer, TOKEN};
use serde_json::Value;

async fn proxy() -> RawServer {
    RawServer::start(|_| response(200, "application/json", br#"{"via":"proxy"}"#)).await
}

fn through(base: &str, proxy: &str) -> Client {
    Client::builder(base, StaticTokenCredential::new(TOKEN))
        .proxy(proxy)
        .retry_policy(fast_retries(1))
        .build()
        .unwrap()
}

#[tokio::test]
async fn an_http_service_is_reached_through_the_proxy() {
    let proxy = proxy().await;
    let client = through(
        "http://graph.invalid/v1.0",
        &format!("http://{}", proxy.addr),
    );
    let value: Value = Request::json(&client, Method::GET, users().key("a b"))
        .top(1)
        .await
        .unwrap();
    assert_eq!(value["via"], "proxy");
    let seen = proxy.requests();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].target,
        "http://graph.invalid/v1.0/users/a%20b?$top=1"
    );
    assert_eq!(seen[0].header("host"), Some("graph.invalid"));
    assert_eq!(seen[0].header("proxy-authorization"), None);
}

#[tokio::test]
async fn proxy_credentials_go_to_the_proxy_and_nowhere_else() {
    let proxy = proxy().await;
    let url = format!("http://alice:pa55word@{}", proxy.addr);
    let builder = Client::builder(
        "http://graph.invalid/v1.0",
        StaticTokenCredential::new(TOKEN),
    )
    .proxy(&url)
    .retry_policy(fast_retries(1));
    let debug = format!("{builder:?}");
    assert!(
        !debug.contains("pa55word") && !debug.contains("alice"),
        "{debug}"
    );
    assert!(debug.contains(&proxy.addr.to_string()), "{debug}");
    let client = builder.build().unwrap();
    Request::<Value>::json(&client, Method::GET, users())
        .await
        .unwrap();
    // Basic base64("alice:pa55word").
    assert_eq!(
        proxy.requests()[0].header("proxy-authorization"),
        Some("Basic YWxpY2U6cGE1NXdvcmQ=")
    );
}

#[tokio::test]
async fn an_https_service_is_tunnelled_and_the_proxy_never_sees_the_token() {
    // This proxy refuses the tunnel; what matters is what it was asked.
    let proxy = RawServer::start(|_| response(403, "text/plain", b"no")).await;
    let client = through(
        "https://graph.invalid/v1.0",
        &format!("http://{}", proxy.addr),
    );
    let err = Request::<Value>::json(&client, Method::GET, users().key("secret-key"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    let seen = proxy.requests();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].method, "CONNECT");
    assert_eq!(seen[0].target, "graph.invalid:443");
    assert_eq!(seen[0].header("authorization"), None);
    let text = format!("{seen:?}");
    assert!(
        !text.contains(TOKEN) && !text.contains("secret-key"),
        "{text}"
    );
}

#[test]
fn invalid_proxy_urls_are_configuration_errors_that_do_not_echo_the_url() {
    for url in [
        "socks5://127.0.0.1:1080",
        "proxy.example:3128",
        "http://",
        "not a url :secret@",
    ] {
        let err = Client::builder(
            "http://graph.invalid/v1.0",
            StaticTokenCredential::new(TOKEN),
        )
        .proxy(url)
        .build()
        .unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{url}: {err:?}");
        assert!(!err.to_string().contains("secret"), "{err}");
    }
    // A later no_proxy replaces a refused proxy.
    Client::builder(
        "http://graph.invalid/v1.0",
        StaticTokenCredential::new(TOKEN),
    )
    .proxy("socks5://x")
    .no_proxy()
    .build()
    .unwrap();
}

/// Where the direct server is, for the child.
const DIRECT_BASE: &str = "GRAPH_ODATA_RUNTIME_TEST_DIRECT_BASE";
/// Which case the child runs.
const MODE: &str = "GRAPH_ODATA_RUNTIME_TEST_PROXY_MODE";

/// Runs `child_with_proxy_environment` in a child process with only the given proxy
/// variables set, and returns what the proxy and the direct server received.
async fn in_child(mode: &str, vars: &[(&str, String)]) -> (Vec<String>, Vec<String>) {
    let proxy = proxy().await;
    let direct =
        RawServer::start(|_| response(200, "application/json", br#"{"via":"direct"}"#)).await;
    let mut child = Command::new(std::env::current_exe().unwrap());
    child
        .args([
            "--exact",
            "child_with_proxy_environment",
            "--ignored",
            "--test-threads=1",
        ])
        .env(DIRECT_BASE, direct.base())
        .env(MODE, mode);
    for name in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
        "REQUEST_METHOD",
    ] {
        child.env_remove(name);
    }
    for (name, value) in vars {
        child.env(name, value.replace("{proxy}", &proxy.addr.to_string()));
    }
    let output = tokio::task::spawn_blocking(move || child.output())
        .await
        .unwrap()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{mode}: {stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("1 passed"),
        "{mode}: the child test ran: {stdout}"
    );
    let direct_port = direct.addr.port();
    let proxied = proxy
        .targets()
        .into_iter()
        .map(|t| t.replace(&direct_port.to_string(), "PORT"))
        .collect();
    (proxied, direct.targets())
}

#[tokio::test]
async fn http_proxy_applies_unless_no_proxy_is_set() {
    let (proxied, direct) = in_child("plain", &[("HTTP_PROXY", "http://{proxy}".into())]).await;
    assert_eq!(
        proxied,
        [
            "http://graph.invalid/v1.0/users",
            "http://127.0.0.1:PORT/v1.0/users"
        ]
    );
    assert_eq!(direct, ["/v1.0/users"], "no_proxy() connects directly");
}

#[tokio::test]
async fn no_proxy_lists_the_hosts_that_bypass_it() {
    let (proxied, direct) = in_child(
        "bypass",
        &[
            ("http_proxy", "http://{proxy}".into()),
            ("no_proxy", "example.invalid, 127.0.0.1".into()),
        ],
    )
    .await;
    assert_eq!(proxied, ["http://graph.invalid/v1.0/users"]);
    assert_eq!(direct, ["/v1.0/users"]);
}

#[tokio::test]
async fn http_proxy_is_ignored_in_a_cgi_program() {
    // Inside CGI, HTTP_PROXY could come from a request's `Proxy:` header ("httpoxy").
    let (proxied, direct) = in_child(
        "cgi",
        &[
            ("HTTP_PROXY", "http://{proxy}".into()),
            ("REQUEST_METHOD", "GET".into()),
        ],
    )
    .await;
    assert!(proxied.is_empty(), "{proxied:?}");
    assert_eq!(direct, ["/v1.0/users"]);
}

/// Run by the tests above in a child process with proxy variables set; does nothing when
/// run otherwise.
#[tokio::test]
#[ignore = "run in a child process by the proxy environment tests"]
async fn child_with_proxy_environment() {
    let (Ok(direct), Ok(mode)) = (std::env::var(DIRECT_BASE), std::env::var(MODE)) else {
        return;
    };
    let via = |base: &str, no_proxy: bool| {
        let mut builder =
            Client::builder(base, StaticTokenCredential::new(TOKEN)).retry_policy(fast_retries(1));
        if no_proxy {
            builder = builder.no_proxy();
        }
        let client = builder.build().unwrap();
        async move {
            let value: Value = Request::json(&client, Method::GET, users()).await.unwrap();
            value["via"].as_str().unwrap().to_owned()
        }
    };
    match mode.as_str() {
        "plain" => {
            assert_eq!(via("http://graph.invalid/v1.0", false).await, "proxy");
            assert_eq!(via(&direct, false).await, "proxy");
            assert_eq!(via(&direct, true).await, "direct");
        }
        "bypass" => {
            assert_eq!(via("http://graph.invalid/v1.0", false).await, "proxy");
            assert_eq!(via(&direct, false).await, "direct");
        }
        "cgi" => assert_eq!(via(&direct, false).await, "direct"),
        other => panic!("unknown mode {other}"),
    }
}

//! National clouds: the base URL's host and the token scope follow the chosen cloud; the
//! path and every other setting stay. No request leaves the process (a recording transport
//! answers).

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use graph_odata_runtime::bytes::Bytes;
use graph_odata_runtime::{
    AccessToken, BoxFuture, Client, Error, Method, NationalCloud, ODataPath, Request,
    TokenCredential, Transport, TransportError,
};

#[derive(Clone, Default)]
struct Recorder {
    scopes: Arc<Mutex<Vec<String>>>,
    requests: Arc<Mutex<Vec<(String, String)>>>,
}

impl TokenCredential for Recorder {
    fn get_token<'a>(&'a self, scopes: &'a [String]) -> BoxFuture<'a, Result<AccessToken, Error>> {
        self.scopes.lock().unwrap().extend(scopes.iter().cloned());
        Box::pin(async {
            Ok(AccessToken::new(
                "t".to_string(),
                SystemTime::now() + Duration::from_secs(3600),
            ))
        })
    }
}

impl Transport for Recorder {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        let agent = request
            .headers()
            .get("user-agent")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        self.requests
            .lock()
            .unwrap()
            .push((request.uri().to_string(), agent));
        Box::pin(async {
            Ok(http::Response::builder()
                .status(200)
                .body(Bytes::from_static(b"{}"))
                .unwrap())
        })
    }
}

#[tokio::test]
async fn each_cloud_has_its_host_and_scope() {
    for (cloud, host) in [
        (NationalCloud::Global, "graph.microsoft.com"),
        (NationalCloud::UsGovL4, "graph.microsoft.us"),
        (NationalCloud::UsGovL5Dod, "dod-graph.microsoft.us"),
        (NationalCloud::China, "microsoftgraph.chinacloudapi.cn"),
    ] {
        let recorder = Recorder::default();
        let client = Client::builder("https://graph.microsoft.com/beta", recorder.clone())
            .user_agent("my-crate/1.0")
            .national_cloud(cloud)
            .transport(recorder.clone())
            .build()
            .unwrap();
        let _: serde_json::Value =
            Request::json(&client, Method::GET, ODataPath::root().segment("me"))
                .await
                .unwrap();
        let requests = recorder.requests.lock().unwrap().clone();
        assert_eq!(requests[0].0, format!("https://{host}/beta/me"));
        assert_eq!(requests[0].1, "my-crate/1.0", "the user agent stays");
        assert_eq!(
            recorder.scopes.lock().unwrap().as_slice(),
            [format!("https://{host}/.default")]
        );
    }
}

#[test]
fn base_url_replaces_the_root_only() {
    let recorder = Recorder::default();
    let client = Client::builder("https://graph.microsoft.com/v1.0", recorder)
        .base_url("https://graph.microsoft.us/v1.0")
        .build()
        .unwrap();
    let built = Request::<serde_json::Value>::json(
        &client,
        Method::GET,
        ODataPath::root().segment("users"),
    )
    .build()
    .unwrap();
    assert_eq!(built.url.as_str(), "https://graph.microsoft.us/v1.0/users");
}

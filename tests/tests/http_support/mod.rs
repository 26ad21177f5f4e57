//! The runtime client the HTTP tests of generated clients build (`mod http_support;` in
//! each): aimed at a local mock server, with the token the mocks expect, and without
//! retries, so a request the mocks do not match fails at once instead of being sent again.

use graph_odata_runtime::{Client, RetryPolicy, StaticTokenCredential};

/// The bearer token the client sends (the mocks match `Bearer t0k3n`).
const TOKEN: &str = "t0k3n";

/// A client for the service root `root` of a local server (`<server>/v1.0`); a generated
/// client wraps it with `from_client`.
pub fn local_client(root: &str) -> Client {
    Client::builder(root, StaticTokenCredential::new(TOKEN))
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("a client for the local server")
}

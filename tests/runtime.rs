//! Runtime tests of the generated clients against real HTTP servers on 127.0.0.1: the
//! committed `genesys-cloud` (Billing and Usage) and `runtime-client` (generated from
//! `tests/fixtures/runtime.json`, with the listing, read-write and wire shapes the first
//! lacks). One module per part of the runtime; `server` is the scripted HTTP server.

#[path = "runtime/server.rs"]
mod server;

#[path = "runtime/auth.rs"]
mod auth;
#[path = "runtime/auth_flows.rs"]
mod auth_flows;
#[path = "runtime/config.rs"]
mod config;
#[path = "runtime/environment.rs"]
mod environment;
#[path = "runtime/errors.rs"]
mod errors;
#[path = "runtime/faults.rs"]
mod faults;
#[path = "runtime/jobs.rs"]
mod jobs;
#[path = "runtime/models.rs"]
mod models;
#[path = "runtime/notifications.rs"]
mod notifications;
#[path = "runtime/pagination.rs"]
mod pagination;
#[path = "runtime/redirects.rs"]
mod redirects;
#[path = "runtime/retry.rs"]
mod retry;
#[path = "runtime/tracing.rs"]
mod tracing_spans;
#[path = "runtime/wire.rs"]
mod wire;

use std::time::Duration;

use runtime_client::runtime::RetryPolicy;

/// Retries quick enough for tests: 4 attempts, waits of at most 20 ms, 5 s in all.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::new()
        .max_attempts(4)
        .initial_backoff(Duration::from_millis(10))
        .max_backoff(Duration::from_millis(20))
        .max_elapsed(Duration::from_secs(5))
}

/// A `runtime-client` for `server`, with a bearer token and fast retries.
pub fn client(server: &server::Server) -> runtime_client::Client {
    runtime_client::Client::builder()
        .base_url(server.url())
        .bearer_token("test-token")
        .retry(fast_retries())
        .build()
        .expect("client builds")
}

/// A `genesys-cloud` client for `server`, with a bearer token and fast retries.
pub fn genesys(server: &server::Server) -> genesys_cloud::Client {
    genesys_cloud::Client::builder()
        .base_url(server.url())
        .bearer_token("test-token")
        .retry(
            genesys_cloud::runtime::RetryPolicy::new()
                .initial_backoff(Duration::from_millis(10))
                .max_backoff(Duration::from_millis(20)),
        )
        .build()
        .expect("client builds")
}

/// A user as `GET /api/v2/users/{userId}` answers it.
pub fn user_json(id: &str, name: &str) -> serde_json::Value {
    serde_json::json!({ "id": id, "name": name, "version": 1, "selfUri": format!("/api/v2/users/{id}") })
}

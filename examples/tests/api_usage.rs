//! `api_usage` end to end: a Usage API query started, polled through the client's job
//! helper until complete, and its rows added up per OAuth client.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::{Program, Reply, Server};
use serde_json::json;

#[tokio::test]
async fn prints_requests_per_client_and_status_class() {
    let polls = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&polls);
    let server = Server::start(move |request| match (request.method.as_str(), request.path()) {
        ("POST", "/api/v2/usage/query") => Reply::json(
            202,
            json!({"executionId": "exec-1", "resultsUri": "/api/v2/usage/query/exec-1/results"}),
        ),
        ("GET", "/api/v2/usage/query/exec-1/results") => {
            if seen.fetch_add(1, Ordering::SeqCst) == 0 {
                return Reply::json(200, json!({"queryStatus": "Running"}));
            }
            Reply::json(
                200,
                json!({
                    "queryStatus": "Complete",
                    "results": [
                        {"clientId": "client-1", "clientName": "Billing sync", "organizationId": "org-a",
                         "status200": 900, "status300": 0, "status400": 40, "status429": 30, "status500": 2,
                         "requests": 942, "date": "2026-11-01T00:00:00.000Z"},
                        {"clientId": "client-2", "clientName": "WFM export",
                         "status200": 5000, "status400": 1, "requests": 5001},
                        {"clientId": "client-1", "clientName": "Billing sync",
                         "status200": 100, "status300": 8, "requests": 108, "date": "2026-11-02T00:00:00.000Z"}
                    ]
                }),
            )
        }
        _ => Reply::json(404, json!({"message": "no route"})),
    })
    .await;
    let outcome = common::run(
        Program::ApiUsage,
        &[
            "--interval",
            "2026-11-01T00:00:00Z/2026-12-01T00:00:00Z",
            "--deadline",
            "20",
        ],
        &server.env(),
    )
    .await;
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    assert_eq!(outcome.stderr, "");
    insta::assert_snapshot!("api_usage_table", outcome.stdout);

    let requests = server.api_requests();
    assert_eq!(requests.len(), 3, "the query, then two polls");
    let query: serde_json::Value = serde_json::from_str(&requests[0].body).unwrap();
    assert_eq!(
        query["interval"],
        "2026-11-01T00:00:00.000Z/2026-12-01T00:00:00.000Z"
    );
    assert_eq!(query["groupBy"], json!(["OAuthClientId"]));
    assert_eq!(polls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_failed_query_is_exit_code_1() {
    let server = Server::start(|request| match request.method.as_str() {
        "POST" => Reply::json(202, json!({"executionId": "exec-2"})),
        _ => Reply::json(200, json!({"queryStatus": "Failed"})),
    })
    .await;
    let outcome = common::run(
        Program::ApiUsage,
        &["--interval", "2026-11-01T00:00:00Z/2026-12-01T00:00:00Z"],
        &server.env(),
    )
    .await;
    assert_eq!(outcome.code, 1);
    assert_eq!(outcome.stdout, "");
    assert!(
        outcome.stderr.starts_with("api_usage: ") && outcome.stderr.contains("exec-2"),
        "{}",
        outcome.stderr
    );
    assert_eq!(outcome.stderr.lines().count(), 1);
}

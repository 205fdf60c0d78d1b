//! The Usage API's asynchronous query: `send_and_wait` posts the query, polls its results
//! with backoff until `queryStatus` is `Complete` (the rows) or `Failed` (a typed error),
//! and gives up at the deadline.

use std::time::{Duration, Instant};

use genesys_cloud::models::{ApiUsageOrganizationQuery, ApiUsageOrganizationQueryGranularity};
use genesys_cloud::runtime::{Interval, PollOptions};
use genesys_cloud::Error;
use serde_json::json;

use crate::genesys;
use crate::server::{Reply, Server};

fn query() -> ApiUsageOrganizationQuery {
    let interval: Interval = "2024-01-01T00:00:00.000Z/2024-02-01T00:00:00.000Z"
        .parse()
        .unwrap();
    let mut query = ApiUsageOrganizationQuery::new(interval);
    query.granularity = Some(ApiUsageOrganizationQueryGranularity::Day);
    query
}

fn quick() -> PollOptions {
    PollOptions::new()
        .initial_delay(Duration::from_millis(20))
        .max_delay(Duration::from_millis(40))
        .deadline(Duration::from_secs(5))
}

/// Answers the POST with execution `exec-1` (202, as Genesys does while it runs), then each
/// poll with the next status of `states`, the last one repeating.
fn usage_server(
    states: &'static [&'static str],
) -> impl Fn(usize, &crate::server::Recorded) -> Reply {
    move |n, request| {
        if request.method == "POST" {
            return Reply::json(
                202,
                json!({"executionId": "exec-1", "resultsUri": "/api/v2/usage/query/exec-1/results"}),
            );
        }
        assert_eq!(request.path(), "/api/v2/usage/query/exec-1/results");
        let state = states[(n - 1).min(states.len() - 1)];
        let results = if state == "Complete" {
            json!([{"clientId": "c1", "status200": 10}, {"clientId": "c2", "status200": 5}])
        } else {
            json!([])
        };
        Reply::json(200, json!({"queryStatus": state, "results": results}))
    }
}

#[tokio::test]
async fn a_usage_query_is_polled_through_running_until_complete() {
    let server = Server::start(usage_server(&["Running", "Running", "Complete"])).await;
    let rows = genesys(&server)
        .usage()
        .post_usage_query(query())
        .send_and_wait(quick())
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].client_id.as_deref(), Some("c1"));
    assert_eq!(rows[0].status200, Some(10));
    let requests = server.requests();
    assert_eq!(requests.len(), 4, "one POST and three polls");
    assert_eq!(requests[0].json()["granularity"], "Day");
    assert_eq!(
        requests[0].json()["interval"],
        "2024-01-01T00:00:00.000Z/2024-02-01T00:00:00.000Z"
    );
    let gaps: Vec<Duration> = requests.windows(2).map(|w| w[1].at - w[0].at).collect();
    assert!(
        gaps.iter().all(|g| *g >= Duration::from_millis(15)),
        "polls wait between them: {gaps:?}"
    );
}

#[tokio::test]
async fn a_failed_usage_query_is_a_typed_error() {
    let server = Server::start(usage_server(&["Running", "Failed"])).await;
    let error = genesys(&server)
        .usage()
        .post_usage_query(query())
        .send_and_wait(quick())
        .await
        .unwrap_err();
    match &error {
        Error::JobFailed {
            operation,
            id,
            state,
        } => {
            assert_eq!(*operation, "getUsageQueryExecutionIdResults");
            assert_eq!(id, "exec-1");
            assert_eq!(state, "Failed");
        }
        other => panic!("expected JobFailed, got {other:?}"),
    }
    assert_eq!(
        error.to_string(),
        "getUsageQueryExecutionIdResults: job exec-1 ended Failed"
    );
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn a_usage_query_past_its_deadline_gives_up() {
    let server = Server::start(usage_server(&["Running"])).await;
    let options = PollOptions::new()
        .initial_delay(Duration::from_millis(20))
        .max_delay(Duration::from_millis(50))
        .deadline(Duration::from_millis(300));
    let started = Instant::now();
    let error = genesys(&server)
        .usage()
        .post_usage_query(query())
        .send_and_wait(options)
        .await
        .unwrap_err();
    let took = started.elapsed();
    assert!(
        matches!(error, Error::JobDeadline { operation: "getUsageQueryExecutionIdResults", ref id, waited } if id == "exec-1" && waited >= Duration::from_millis(300)),
        "{error:?}"
    );
    assert!(
        took < Duration::from_secs(2),
        "took {took:?} for a 300 ms deadline"
    );
    let polls = server.count() - 1;
    assert!(
        (3..=20).contains(&polls),
        "{polls} polls in 300 ms with waits of 20 to 50 ms"
    );
}

#[tokio::test]
async fn a_start_without_an_execution_id_is_a_decode_error() {
    let server = Server::start(|_, _| Reply::json(200, json!({"resultsUri": "/x"}))).await;
    let error = genesys(&server)
        .usage()
        .post_usage_query(query())
        .send_and_wait(quick())
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Decode { operation: "postUsageQuery", field: Some(ref f), .. } if f == "executionId"),
        "{error:?}"
    );
    assert_eq!(server.count(), 1);
}

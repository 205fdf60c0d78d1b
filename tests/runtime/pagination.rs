//! Pagination: `into_stream()` yields the items of every page of a listing, by page number,
//! by `cursor`, by `cursors.after` and by `nextUri`, with the builder's parameters on every
//! page, stopping after the last page or at the first error.

use futures_util::StreamExt;
use serde_json::json;

use crate::server::{Reply, Server};
use crate::{client, genesys};

fn user(i: u32) -> serde_json::Value {
    json!({"id": format!("u{i}"), "name": format!("User {i}")})
}

#[tokio::test]
async fn into_stream_walks_three_pages_by_page_number() {
    let server = Server::start(|_, request| {
        let page: u32 = request.query_value("pageNumber").map(|p| p.parse().unwrap()).unwrap_or(1);
        let items: Vec<_> = match page {
            1 => (1..=3).map(user).collect(),
            2 => (4..=6).map(user).collect(),
            3 => vec![user(7)],
            _ => panic!("page {page} does not exist"),
        };
        let next = (page < 3).then(|| format!("/api/v2/users?pageSize=3&pageNumber={}", page + 1));
        Reply::json(200, json!({"entities": items, "pageSize": 3, "pageNumber": page, "total": 7, "pageCount": 3, "nextUri": next}))
    })
    .await;
    let stream = client(&server)
        .users()
        .get_users()
        .page_size(3)
        .state(runtime_client::models::GetUsersState::Any)
        .into_stream();
    let users: Vec<_> = stream.map(|user| user.unwrap().id.unwrap()).collect().await;
    assert_eq!(users, ["u1", "u2", "u3", "u4", "u5", "u6", "u7"]);
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(
        requests[0].query_value("pageNumber"),
        None,
        "the first page is the builder's request as is"
    );
    assert_eq!(requests[1].query_value("pageNumber").as_deref(), Some("2"));
    assert_eq!(requests[2].query_value("pageNumber").as_deref(), Some("3"));
    assert!(requests
        .iter()
        .all(|r| r.query_value("pageSize").as_deref() == Some("3")
            && r.query_value("state").as_deref() == Some("any")));
}

#[tokio::test]
async fn into_stream_follows_a_cursor() {
    let server = Server::start(|_, request| {
        let (items, cursor) = match request.query_value("cursor").as_deref() {
            None => (vec![json!({"id": "a1"}), json!({"id": "a2"})], Some("c-2")),
            Some("c-2") => (vec![json!({"id": "a3"})], Some("c-3")),
            Some("c-3") => (vec![json!({"id": "a4"})], None),
            Some(other) => panic!("unknown cursor {other}"),
        };
        Reply::json(
            200,
            json!({"id": "tx-1", "pageSize": 2, "cursor": cursor, "entities": items}),
        )
    })
    .await;
    let mut stream = client(&server)
        .audit()
        .get_audits_query_transaction_id_results("tx-1")
        .page_size(2)
        .into_stream();
    let mut ids = Vec::new();
    while let Some(entry) = stream.next().await {
        ids.push(entry.unwrap().id.unwrap());
    }
    assert_eq!(ids, ["a1", "a2", "a3", "a4"]);
    assert_eq!(server.count(), 3);
    assert!(server
        .requests()
        .iter()
        .all(|r| r.path() == "/api/v2/audits/query/tx-1/results"));
}

#[tokio::test]
async fn into_stream_follows_cursors_after() {
    let server = Server::start(|_, request| {
        let (items, after) = match request.query_value("cursor").as_deref() {
            None => (vec![json!({"id": "c1"})], Some("next-1")),
            Some("next-1") => (vec![json!({"id": "c2"})], Some("next-2")),
            _ => (vec![json!({"id": "c3"})], None),
        };
        Reply::json(
            200,
            json!({"entities": items, "cursors": {"before": "b", "after": after}}),
        )
    })
    .await;
    let contacts = client(&server)
        .external_contacts()
        .get_externalcontacts_scan_contacts()
        .limit(10)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        contacts
            .iter()
            .map(|c| c.id.clone().unwrap())
            .collect::<Vec<_>>(),
        ["c1", "c2", "c3"]
    );
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn into_stream_follows_next_uri() {
    let server = Server::start(|n, _| {
        let next = match n {
            0 => Some("/api/v2/taskmanagement/workitems/w1/wrapups?after=p2&pageSize=1"),
            1 => Some("/api/v2/taskmanagement/workitems/w1/wrapups?after=p3&pageSize=1"),
            _ => None,
        };
        Reply::json(
            200,
            json!({"entities": [{"wrapupId": format!("w{n}")}], "nextUri": next}),
        )
    })
    .await;
    let wrapups = client(&server)
        .task_management()
        .get_taskmanagement_workitem_wrapups("w1")
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(wrapups.len(), 3);
    let requests = server.requests();
    assert_eq!(
        requests[1].target,
        "/api/v2/taskmanagement/workitems/w1/wrapups?after=p2&pageSize=1"
    );
    assert_eq!(requests[2].query_value("after").as_deref(), Some("p3"));
}

#[tokio::test]
async fn into_stream_stops_at_the_first_error() {
    let server = Server::start(|n, _| match n {
        0 => Reply::json(
            200,
            json!({"entities": [user(1)], "pageNumber": 1, "pageCount": 5}),
        ),
        _ => Reply::json(400, json!({"message": "bad page", "status": 400})),
    })
    .await;
    let results: Vec<_> = client(&server)
        .users()
        .get_users()
        .into_stream()
        .collect()
        .await;
    assert_eq!(results.len(), 2);
    assert!(results[0].is_ok());
    assert_eq!(results[1].as_ref().unwrap_err().status(), Some(400));
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_repeated_page_ends_the_stream() {
    // A server that answers every page with the same cursor cannot loop the stream.
    let server = Server::start(|_, _| {
        Reply::json(200, json!({"entities": [{"id": "x"}], "cursor": "same"}))
    })
    .await;
    let items = client(&server)
        .audit()
        .get_audits_query_transaction_id_results("tx")
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn usage_search_results_stream_across_pages_in_the_committed_client() {
    let server = Server::start(|_, request| {
        let (rows, after) = match request.query_value("after").as_deref() {
            None => (json!([{"clientId": "a", "requests": 1}]), Some("p2")),
            Some("p2") => (json!([{"clientId": "b", "requests": 2}]), Some("p3")),
            _ => (json!([{"clientId": "c", "requests": 3}]), None),
        };
        Reply::json(
            200,
            json!({"results": rows, "queryStatus": "Complete", "cursors": {"after": after}}),
        )
    })
    .await;
    let rows = genesys(&server)
        .usage()
        .get_usage_simplesearch_execution_id_results("exec-9")
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        rows.iter()
            .map(|r| r.client_id.clone().unwrap())
            .collect::<Vec<_>>(),
        ["a", "b", "c"]
    );
    assert_eq!(server.count(), 3);
}

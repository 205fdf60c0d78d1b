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

/// A server of `pages` pages of two users each by page number, answering page `n` after
/// `delay(n)`.
async fn numbered_pages(pages: u32, delay: fn(u32) -> u64) -> Server {
    Server::start(move |_, request| {
        let page: u32 = request
            .query_value("pageNumber")
            .map(|p| p.parse().unwrap())
            .unwrap_or(1);
        let items = vec![user(2 * page - 1), user(2 * page)];
        Reply::json(
            200,
            json!({"entities": items, "pageNumber": page, "pageCount": pages}),
        )
        .delay(std::time::Duration::from_millis(delay(page)))
    })
    .await
}

/// The page number each request asked for, in arrival order, and when it arrived.
fn page_requests(server: &Server) -> Vec<(u32, std::time::Instant)> {
    server
        .requests()
        .iter()
        .map(|r| {
            let page = r
                .query_value("pageNumber")
                .map_or(1, |p| p.parse().unwrap());
            (page, r.at)
        })
        .collect()
}

#[tokio::test]
async fn concurrent_paging_keeps_page_order_and_its_bound_on_pages_in_flight() {
    // Page 2 answers last of the first three in flight: its items still come first, and
    // page 5 is not asked for until page 2 is in (three pages in flight at most).
    let server = numbered_pages(6, |page| if page == 2 { 400 } else { 5 }).await;
    let stream = client(&server)
        .users()
        .get_users()
        .page_size(2)
        .into_stream()
        .concurrent(3);
    let users: Vec<_> = stream.map(|user| user.unwrap().id.unwrap()).collect().await;
    let expected: Vec<_> = (1..=12).map(|i| format!("u{i}")).collect();
    assert_eq!(users, expected);

    let requests = page_requests(&server);
    let mut asked: Vec<_> = requests.iter().map(|(page, _)| *page).collect();
    asked.sort_unstable();
    assert_eq!(asked, [1, 2, 3, 4, 5, 6], "each page asked for once");
    let at = |page: u32| requests.iter().find(|(p, _)| *p == page).unwrap().1;
    // Pages 2 to 4 went out together, right after page 1 came back.
    for page in [3, 4] {
        let apart = at(page).max(at(2)) - at(page).min(at(2));
        assert!(apart.as_millis() < 200, "page {page} {apart:?} from page 2");
    }
    // Page 5 waited for page 2 (400 ms) to leave the window of three.
    assert!(
        at(5) - at(2) >= std::time::Duration::from_millis(350),
        "page 5 asked for {:?} after page 2",
        at(5) - at(2)
    );
}

#[tokio::test]
async fn concurrent_paging_stops_at_the_first_error_in_page_order() {
    let server = Server::start(|_, request| {
        let page: u32 = request
            .query_value("pageNumber")
            .map_or(1, |p| p.parse().unwrap());
        match page {
            3 => Reply::json(404, json!({"message": "gone", "status": 404})),
            _ => Reply::json(
                200,
                json!({"entities": [user(page)], "pageNumber": page, "pageCount": 8}),
            ),
        }
    })
    .await;
    let results: Vec<_> = client(&server)
        .users()
        .get_users()
        .into_stream()
        .concurrent(4)
        .collect()
        .await;
    let ids: Vec<_> = results
        .iter()
        .map(|r| {
            r.as_ref()
                .map(|u| u.id.clone().unwrap())
                .map_err(|e| e.status())
        })
        .collect();
    assert_eq!(
        ids,
        [Ok("u1".to_owned()), Ok("u2".to_owned()), Err(Some(404))],
        "the items before the failed page, its error, then the end"
    );
    assert!(
        server.count() <= 5,
        "at most four pages in flight after the first"
    );
}

#[tokio::test]
async fn concurrent_paging_without_a_page_count_goes_one_page_after_another() {
    // A cursor listing has no page numbers: `concurrent` changes nothing.
    let server = Server::start(|_, request| {
        let (items, cursor) = match request.query_value("cursor").as_deref() {
            None => (json!([{"id": "x1"}]), Some("c2")),
            Some("c2") => (json!([{"id": "x2"}]), None),
            Some(other) => panic!("unknown cursor {other}"),
        };
        Reply::json(200, json!({"entities": items, "cursor": cursor}))
    })
    .await;
    let items = client(&server)
        .audit()
        .get_audits_query_transaction_id_results("tx")
        .into_stream()
        .concurrent(8)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(server.count(), 2);
}

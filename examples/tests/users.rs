//! `users` end to end: every page of `getUsers` through the paging stream.

mod common;

use common::{Program, Reply, Server};
use serde_json::json;

fn user(n: usize) -> serde_json::Value {
    json!({
        "id": format!("user-{n}"),
        "name": format!("User\t{n}"),
        "email": format!("user{n}@example.com"),
        "state": "active",
        "version": 1,
        "selfUri": format!("/api/v2/users/user-{n}")
    })
}

#[tokio::test]
async fn lists_the_users_of_every_page() {
    let server = Server::start(|request| {
        if request.path() != "/api/v2/users" {
            return Reply::json(404, json!({"message": "no route"}));
        }
        let page: usize = request
            .query("pageNumber")
            .and_then(|n| n.parse().ok())
            .unwrap_or(1);
        // Three pages of two users, the last with one.
        let users: Vec<_> = match page {
            1 => vec![user(1), user(2)],
            2 => vec![user(3), user(4)],
            3 => vec![user(5)],
            _ => vec![],
        };
        Reply::json(
            200,
            json!({
                "entities": users, "pageSize": 2, "pageNumber": page, "total": 5, "pageCount": 3,
                "selfUri": format!("/api/v2/users?pageSize=2&pageNumber={page}")
            }),
        )
    })
    .await;
    let outcome = common::run(Program::Users, &["--page-size", "2"], &server.env()).await;
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    insta::assert_snapshot!("users_lines", outcome.stdout);
    assert_eq!(outcome.stderr, "users: 5 users\n");
    let pages: Vec<(Option<String>, Option<String>, Option<String>)> = server
        .api_requests()
        .iter()
        .map(|r| (r.query("pageNumber"), r.query("pageSize"), r.query("state")))
        .collect();
    let expected: Vec<_> = [None, Some("2"), Some("3")]
        .into_iter()
        .map(|n| {
            (
                n.map(str::to_owned),
                Some("2".to_owned()),
                Some("active".to_owned()),
            )
        })
        .collect();
    assert_eq!(pages, expected);
}

#[tokio::test]
async fn a_failing_page_ends_the_listing_with_exit_code_1() {
    let server = Server::start(|request| match request.query("pageNumber").as_deref() {
        None => Reply::json(
            200,
            json!({"entities": [user(1)], "pageNumber": 1, "pageCount": 2}),
        ),
        _ => Reply::json(
            404,
            json!({"message": "gone", "code": "not.found", "status": 404}),
        ),
    })
    .await;
    let outcome = common::run(Program::Users, &[], &server.env()).await;
    assert_eq!(outcome.code, 1);
    assert_eq!(
        outcome.stdout,
        "id\tname\temail\tstate\nuser-1\tUser 1\tuser1@example.com\tactive\n"
    );
    assert_eq!(
        outcome.stderr,
        "users: getUsers: HTTP 404 not.found: gone (after 1 users)\n"
    );
}

//! Parameters on the wire: a path id as one percent-encoded segment, `multi` arrays as
//! repeated keys, date-times in Genesys's form, enum values as their wire names, and
//! optional parameters and fields omitted rather than sent empty.

use runtime_client::models::{GetUsersExpandItem, GetUsersSortOrder, User};
use runtime_client::runtime::DateTime;
use runtime_client::Error;

use crate::server::{decode, Reply, Server};
use crate::{client, user_json};

#[tokio::test]
async fn a_path_id_reaches_the_server_as_one_encoded_segment() {
    let server = Server::start(|_, _| Reply::json(200, user_json("u1", "Ann"))).await;
    let client = client(&server);
    let ids = [
        "../users",
        "a/b",
        "x?admin=true",
        "frag#ment",
        "with space",
        "ünïcødé-€-日本",
        "..",
        "%2F",
        "a+b&c=d",
    ];
    for id in ids.iter().filter(|id| **id != "..") {
        client.users().get_user(*id).send().await.unwrap();
    }
    let requests = server.requests();
    assert_eq!(requests.len(), ids.len() - 1);
    for (request, id) in requests.iter().zip(ids.iter().filter(|id| **id != "..")) {
        let path = request.path();
        let segment = path
            .strip_prefix("/api/v2/users/")
            .unwrap_or_else(|| panic!("{id:?} changed the path: {path}"));
        assert!(
            !segment.contains('/') && !segment.contains('?') && !segment.contains('#'),
            "{id:?} -> {segment}"
        );
        assert_eq!(request.query(), "", "{id:?} leaked into the query");
        assert_eq!(
            decode(&segment.replace('+', "%2B")),
            *id,
            "{id:?} arrived as {segment}"
        );
    }
    assert_eq!(requests[0].path(), "/api/v2/users/..%2Fusers");
    assert_eq!(requests[4].path(), "/api/v2/users/with%20space");

    // `..` alone would be resolved as "the parent" by any URL parser, encoded or not.
    let error = client.users().get_user("..").send().await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Encode {
                operation: "getUser",
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(server.count(), ids.len() - 1, "no request was sent for ..");
}

#[tokio::test]
async fn multi_arrays_repeat_the_key_and_enums_use_their_wire_names() {
    let server =
        Server::start(|_, _| Reply::json(200, serde_json::json!({"entities": [], "pageCount": 0})))
            .await;
    client(&server)
        .users()
        .get_users()
        .id(vec!["u1".into(), "u 2".into(), "u,3".into()])
        .expand(vec![
            GetUsersExpandItem::RoutingStatus,
            GetUsersExpandItem::Presence,
        ])
        .sort_order(GetUsersSortOrder::Descending)
        .page_size(50)
        .send()
        .await
        .unwrap();
    let request = &server.requests()[0];
    let pairs = request.query_pairs();
    let values = |name: &str| {
        pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(values("id"), ["u1", "u 2", "u,3"]);
    assert_eq!(values("expand"), ["routingStatus", "presence"]);
    assert_eq!(values("sortOrder"), ["descending"]);
    assert_eq!(values("pageSize"), ["50"]);
    assert!(
        request.query().contains("id=u1&id=u+2&id=u%2C3"),
        "{}",
        request.query()
    );
}

#[tokio::test]
async fn date_times_are_sent_in_the_form_genesys_documents() {
    let server = Server::start(|_, _| Reply::json(200, serde_json::json!({"entities": []}))).await;
    let start: DateTime = "2024-01-02T03:04:05.006Z".parse().unwrap();
    let end: DateTime = "2024-01-31T23:00:00+01:00".parse().unwrap();
    client(&server)
        .quality()
        .get_quality_calibrations("calibrator-1")
        .start_time(start)
        .end_time(end)
        .send()
        .await
        .unwrap();
    let request = &server.requests()[0];
    assert_eq!(
        request.query_value("startTime").as_deref(),
        Some("2024-01-02T03:04:05.006Z")
    );
    assert_eq!(
        request.query_value("endTime").as_deref(),
        Some("2024-01-31T22:00:00.000Z"),
        "converted to UTC"
    );
    assert_eq!(
        request.query_value("calibratorId").as_deref(),
        Some("calibrator-1")
    );
}

#[tokio::test]
async fn optional_parameters_and_fields_are_omitted_not_sent_empty() {
    let server = Server::start(|_, _| Reply::json(200, user_json("u1", "Ann"))).await;
    let client = client(&server);
    client.users().get_users().send().await.ok();
    client.users().get_user("u1").send().await.unwrap();
    client
        .users()
        .put_user("u1", User::new("Ann", 3))
        .send()
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(
        requests[0].target, "/api/v2/users",
        "no optional parameter is sent"
    );
    assert_eq!(requests[1].target, "/api/v2/users/u1");
    assert_eq!(
        requests[2].json(),
        serde_json::json!({"name": "Ann", "version": 3}),
        "unset fields are left out, not null"
    );
    assert_eq!(requests[2].method, "PUT");
}

//! Forward-compatible models: unknown enum values round-trip, unknown fields never fail a
//! decode and survive a GET-modify-PUT (nested ones too), and a field the definition marks
//! required but a response lacks decodes as `None`. Request models send a field as an
//! explicit `null` with `set_null`, and only then.

use runtime_client::models::{AuditLogMessageAction, Division, UpdateUser, User, UserState};

use crate::client;
use crate::server::{Reply, Server};

#[tokio::test]
async fn an_unknown_enum_value_decodes_and_is_sent_back_unchanged() {
    let server = Server::start(|_, _| {
        Reply::json(200, serde_json::json!({"id": "u1", "name": "Ann", "version": 2, "state": "suspended-pending-review"}))
    })
    .await;
    let client = client(&server);
    let user = client.users().get_user("u1").send().await.unwrap();
    assert_eq!(
        user.state,
        Some(UserState::UnknownValue("suspended-pending-review".into()))
    );
    client.users().put_user("u1", user).send().await.unwrap();
    assert_eq!(
        server.requests()[1].json()["state"],
        "suspended-pending-review"
    );

    let known: UserState = serde_json::from_str("\"inactive\"").unwrap();
    assert_eq!(known, UserState::Inactive);
    assert_eq!(
        serde_json::to_string(&AuditLogMessageAction::from("Archive")).unwrap(),
        "\"Archive\""
    );
}

#[tokio::test]
async fn unknown_fields_never_fail_a_decode() {
    let server = Server::start(|_, _| {
        Reply::json(
            200,
            serde_json::json!({
                "entities": [{"id": "c1", "name": "Calibration", "brandNewScore": {"nested": [1, 2]}}],
                "pageNumber": 1, "pageCount": 1, "someNewPagingHint": "x"
            }),
        )
    })
    .await;
    let listing = client(&server)
        .quality()
        .get_quality_calibrations("cal")
        .send()
        .await
        .unwrap();
    assert_eq!(
        listing.entities.unwrap()[0].name.as_deref(),
        Some("Calibration")
    );
}

#[tokio::test]
async fn a_get_modify_put_keeps_fields_the_client_does_not_know() {
    let server = Server::start(|n, request| match n {
        0 => Reply::json(
            200,
            serde_json::json!({
                "id": "u1",
                "name": "Ann",
                "version": 4,
                "division": {"id": "d1", "name": "Home", "homeRegion": "eu-west-1"},
                "acdAutoAnswer": true,
                "certifications": ["cx-1", "cx-2"],
                "biography": {"hobbies": ["chess"], "spouse": null}
            }),
        ),
        _ => Reply::json(200, request.json()),
    })
    .await;
    let client = client(&server);
    let mut user = client.users().get_user("u1").send().await.unwrap();
    assert_eq!(
        user.unknown_fields["acdAutoAnswer"],
        serde_json::json!(true)
    );
    user.name = Some("Ann Smith".into());
    user.version = Some(5);
    let saved = client.users().put_user("u1", user).send().await.unwrap();

    let sent = server.requests()[1].json();
    assert_eq!(sent["name"], "Ann Smith");
    assert_eq!(sent["version"], 5);
    assert_eq!(sent["acdAutoAnswer"], true);
    assert_eq!(sent["certifications"], serde_json::json!(["cx-1", "cx-2"]));
    assert_eq!(
        sent["biography"],
        serde_json::json!({"hobbies": ["chess"], "spouse": null})
    );
    assert_eq!(
        sent["division"]["homeRegion"], "eu-west-1",
        "unknown fields of nested models are kept too"
    );
    assert_eq!(
        saved.division.unwrap().unknown_fields["homeRegion"],
        "eu-west-1"
    );
}

#[tokio::test]
async fn a_missing_required_field_decodes_as_none() {
    // The definition marks `name` and `version` required; Genesys omits such fields in
    // some responses, so the client decodes them as None instead of failing the call.
    let server = Server::start(|_, _| Reply::json(200, serde_json::json!({"id": "u1"}))).await;
    let user = client(&server).users().get_user("u1").send().await.unwrap();
    assert_eq!(user.id.as_deref(), Some("u1"));
    assert_eq!(user.name, None);
    assert_eq!(user.version, None);
    assert!(user.unknown_fields.is_empty());
}

#[test]
fn escaped_field_names_nulls_and_wrong_shapes_decode_as_documented() {
    // A name with escapes is not borrowed from the input; it must still match its field,
    // and an unknown one is kept under its unescaped name.
    let user: User = serde_json::from_str(
        r#"{"na\u006de": "Ann", "version": null, "state": "inactive", "new\u0046ield": 1}"#,
    )
    .unwrap();
    assert_eq!(user.name.as_deref(), Some("Ann"));
    assert_eq!(user.version, None);
    assert_eq!(user.state, Some(UserState::Inactive));
    assert_eq!(user.unknown_fields["newField"], serde_json::json!(1));

    let error = serde_json::from_str::<User>("[1, 2]").unwrap_err();
    assert!(
        error.to_string().contains("expected a User object"),
        "{error}"
    );
}

#[test]
fn a_call_is_a_send_unpin_static_future() {
    fn assert_spawnable<F: std::future::Future + Send + Unpin + 'static>(_: &F) {}
    let client = runtime_client::Client::builder()
        .base_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    assert_spawnable(&client.users().get_user("u1").send());
    assert_spawnable(&client.users().get_user("u1").send_with_response());
}

#[tokio::test]
async fn awaiting_a_builder_sends_it() {
    let server = Server::start(|_, _| {
        Reply::json(
            200,
            serde_json::json!({"id": "u1", "name": "Ann", "version": 2}),
        )
    })
    .await;
    let user = client(&server).users().get_user("u1").await.unwrap();
    assert_eq!(user.name.as_deref(), Some("Ann"));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_patch_sends_one_field_as_null_and_leaves_the_other_unset_ones_out() {
    let server = Server::start(|_, _| {
        Reply::json(
            200,
            serde_json::json!({"id": "u1", "name": "Ann", "title": "Lead", "version": 4}),
        )
    })
    .await;
    let mut patch = UpdateUser::new(3);
    patch.title = Some("Lead".into());
    patch.set_null(|p| &mut p.department);
    let user = client(&server)
        .users()
        .patch_user("u1", patch)
        .send()
        .await
        .unwrap();

    let sent = &server.requests()[0];
    assert_eq!(sent.method, "PATCH");
    assert_eq!(
        String::from_utf8_lossy(&sent.body),
        r#"{"title":"Lead","department":null,"version":3}"#,
        "`name` is left out (unchanged), `department` is sent as null (cleared)"
    );
    // The answer decodes as any other.
    assert_eq!(user.title.as_deref(), Some("Lead"));
    assert_eq!(user.version, Some(4));
}

#[tokio::test]
async fn set_null_sends_that_field_as_null_and_leaves_other_unset_fields_out() {
    let server = Server::start(|_, request| Reply::json(200, request.json())).await;
    let mut user = User::new("Ann", 3);
    user.title = Some("Lead".into());
    user.set_null(|u| &mut u.email);
    user.division
        .get_or_insert_with(Division::default)
        .set_null(|d| &mut d.name);
    let saved = client(&server)
        .users()
        .put_user("u1", user)
        .send()
        .await
        .unwrap();

    let sent = &server.requests()[0];
    assert_eq!(sent.method, "PUT");
    assert_eq!(
        String::from_utf8_lossy(&sent.body),
        r#"{"name":"Ann","division":{"name":null},"email":null,"title":"Lead","version":3}"#
    );
    // The echoed body decodes with the nulls as `None`, and no field marked: sent back,
    // it leaves them out.
    assert_eq!(saved.email, None);
    assert_eq!(
        serde_json::to_string(&saved).unwrap(),
        r#"{"name":"Ann","division":{},"title":"Lead","version":3}"#
    );
    assert_eq!(saved, serde_json::from_value(sent.json()).unwrap());
}

#[tokio::test]
async fn a_get_modify_put_with_a_null_keeps_unknown_fields_and_a_later_value_wins() {
    let server = Server::start(|n, request| match n {
        0 => Reply::json(
            200,
            serde_json::json!({
                "id": "u1", "name": "Ann", "version": 4, "email": "ann@example.com",
                "title": "Agent", "acdAutoAnswer": true
            }),
        ),
        _ => Reply::json(200, request.json()),
    })
    .await;
    let client = client(&server);
    let mut user = client.users().get_user("u1").send().await.unwrap();
    assert_eq!(
        serde_json::to_value(&user).unwrap()["email"],
        "ann@example.com",
        "a decoded model sends what it received"
    );
    user.email = None;
    user.set_null(|u| &mut u.email).set_null(|u| &mut u.title);
    user.title = Some("Lead".into());
    client.users().put_user("u1", user).send().await.unwrap();

    let sent = server.requests()[1].json();
    assert_eq!(sent["email"], serde_json::Value::Null);
    assert!(sent.as_object().unwrap().contains_key("email"));
    assert_eq!(sent["title"], "Lead", "a value set after set_null is sent");
    assert_eq!(sent["acdAutoAnswer"], true);
    assert_eq!(sent["version"], 4);
}

#[test]
#[should_panic(
    expected = "set_null on a User: the closure must return one of the User's own fields"
)]
fn set_null_refuses_a_field_of_a_nested_model() {
    let mut user = User::default();
    user.set_null(|u| &mut u.division.get_or_insert_with(Division::default).name);
}

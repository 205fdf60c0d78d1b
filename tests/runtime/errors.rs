//! Errors: a Genesys error body decoded with its correlation id, a body that is not JSON
//! still giving a useful one-line error, decode errors naming the model and field, the
//! causes of a transport error reachable through `source()`, and the status and headers of
//! a success.

use genesys_cloud::models::ApiUsageOrganizationQuery;
use runtime_client::Error;

use crate::server::{Reply, Server};
use crate::{client, genesys};

#[tokio::test]
async fn an_error_body_is_decoded_with_the_correlation_id() {
    let server = Server::start(|_, _| {
        Reply::json(
            404,
            serde_json::json!({
                "message": "User u1 was not found\nin this organization",
                "code": "not.found",
                "status": 404,
                "messageWithParams": "User {id} was not found",
                "messageParams": {"id": "u1"},
                "contextId": "ctx-77",
                "details": [{"errorCode": "user.missing", "fieldName": "userId"}],
                "futureField": true
            }),
        )
        .header("ININ-Correlation-Id", "corr-1234")
        .header("inin-ratelimit-count", "17")
    })
    .await;
    let error = client(&server)
        .users()
        .get_user("u1")
        .send()
        .await
        .unwrap_err();
    let api = error.api().expect("an API error");
    assert_eq!(api.operation, "getUser");
    assert_eq!(api.status, 404);
    assert_eq!(api.correlation_id.as_deref(), Some("corr-1234"));
    assert_eq!(error.correlation_id(), Some("corr-1234"));
    let body = api.body.as_ref().expect("decoded body");
    assert_eq!(body.code.as_deref(), Some("not.found"));
    assert_eq!(body.context_id.as_deref(), Some("ctx-77"));
    assert_eq!(body.message_params.as_ref().unwrap()["id"], "u1");
    assert_eq!(body.details.as_ref().unwrap()[0]["fieldName"], "userId");
    assert_eq!(api.headers["inin-ratelimit-count"], "17");
    let line = error.to_string();
    assert_eq!(line, "getUser: HTTP 404 not.found: User u1 was not found in this organization (correlation id corr-1234)");
}

#[tokio::test]
async fn a_non_json_error_body_still_gives_a_useful_error() {
    let server = Server::start(|_, _| {
        Reply::status(502)
            .header("Content-Type", "text/html")
            .body("\n<html><body>502 Bad Gateway</body>\n</html>\n")
    })
    .await;
    let client = runtime_client::Client::builder()
        .base_url(server.url())
        .build()
        .unwrap();
    let error = client
        .users()
        .post_users(runtime_client::models::CreateUser::new("A", "a@b.c", "pw"))
        .send()
        .await
        .unwrap_err();
    let api = error.api().unwrap();
    assert_eq!(api.status, 502);
    assert!(api.body.is_none());
    assert!(api.raw.contains("502 Bad Gateway"));
    let line = error.to_string();
    assert_eq!(
        line,
        "postUsers: HTTP 502: <html><body>502 Bad Gateway</body>"
    );
    assert!(!line.contains('\n'));
}

#[tokio::test]
async fn decode_errors_name_the_model_and_the_field() {
    let server = Server::start(|_, _| {
        Reply::json(200, serde_json::json!({"entities": [{"id": "u1", "name": "Ann"}, {"id": "u2", "dateModified": "last tuesday"}], "pageNumber": 1}))
    })
    .await;
    let error = client(&server)
        .users()
        .get_users()
        .send()
        .await
        .unwrap_err();
    match &error {
        Error::Decode {
            operation,
            model,
            field,
            message,
            ..
        } => {
            assert_eq!(*operation, "getUsers");
            assert_eq!(*model, "UserEntityListing");
            assert_eq!(field.as_deref(), Some("entities[1].dateModified"));
            assert!(
                message.contains("input contains invalid characters") || !message.is_empty(),
                "{message}"
            );
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    let line = error.to_string();
    assert!(
        line.starts_with(
            "getUsers: cannot decode UserEntityListing at `entities[1].dateModified`: "
        ),
        "{line}"
    );
    assert!(!line.contains('\n'));
    let cause = std::error::Error::source(&error).expect("the decoder's error is the source");
    assert!(
        cause.downcast_ref::<serde_json::Error>().is_some(),
        "{cause:?}"
    );

    let server = Server::start(|_, _| Reply::status(200).body("<html>maintenance</html>")).await;
    let error = client(&server)
        .users()
        .get_user("u1")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Decode { model: "User", .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn status_and_headers_are_reachable_on_success() {
    let server = Server::start(|_, _| {
        Reply::json(202, serde_json::json!({"executionId": "exec-1", "resultsUri": "/api/v2/usage/query/exec-1/results"}))
            .header("ININ-Correlation-Id", "corr-202")
            .header("ETag", "\"v9\"")
            .header("inin-ratelimit-allowed", "300")
    })
    .await;
    let response = genesys(&server)
        .usage()
        .post_usage_query(ApiUsageOrganizationQuery::default())
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    assert_eq!(response.correlation_id(), Some("corr-202"));
    assert_eq!(response.etag(), Some("\"v9\""));
    assert_eq!(response.header("inin-ratelimit-allowed"), Some("300"));
    assert_eq!(response.body().execution_id.as_deref(), Some("exec-1"));
    assert_eq!(
        response.into_body().results_uri.as_deref(),
        Some("/api/v2/usage/query/exec-1/results")
    );
}

#[tokio::test]
async fn a_transport_error_keeps_its_causes_down_to_the_socket() {
    // A port nobody listens on: the connection is refused.
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = probe.local_addr().unwrap();
    drop(probe);
    let client = runtime_client::Client::builder()
        .base_url(format!("http://{addr}"))
        .retry(runtime_client::runtime::RetryPolicy::never())
        .build()
        .unwrap();
    let error = client.users().get_user("u1").send().await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Transport {
                attempts: 1,
                not_idempotent: false,
                ..
            }
        ),
        "{error:?}"
    );
    let mut causes = Vec::new();
    let mut cause = std::error::Error::source(&error);
    while let Some(c) = cause {
        causes.push(c);
        cause = c.source();
    }
    assert!(causes[0].is::<reqwest::Error>(), "{causes:?}");
    assert!(
        causes.iter().any(|c| c
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::ConnectionRefused)),
        "the socket's error is among the causes: {causes:?}"
    );
    assert!(!error.is_timeout());
    assert_eq!(error.attempts(), Some(1));
}

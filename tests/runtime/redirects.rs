//! Redirects (SECURITY.md): the generated client follows them as reqwest does, and its
//! credentials stay with the host they were meant for. An API call redirected to another
//! host arrives there without the bearer token, and a token request redirected to another
//! host arrives without the client's id and secret; a redirect within the same host keeps
//! the token (reqwest drops `Authorization` only when the host or port changes).

use crate::server::{Recorded, Reply, Server};
use crate::{fast_retries, user_json};

const SECRET: &str = "CLIENT-SECRET-redirected";

/// A server that answers everything with 200 and the user `u1`.
async fn elsewhere() -> Server {
    Server::start(|_, _| Reply::json(200, user_json("u1", "Ann"))).await
}

/// The same server's URL under another host name (`localhost` for `127.0.0.1`).
fn other_host(server: &Server) -> String {
    server.url().replace("127.0.0.1", "localhost")
}

fn authorization(request: &Recorded) -> Option<&str> {
    request.header("authorization")
}

#[tokio::test]
async fn an_api_call_redirected_to_another_host_carries_no_token() {
    let target = elsewhere().await;
    let location = format!("{}/api/v2/users/u1", other_host(&target));
    let api = Server::start(move |_, _| Reply::status(307).header("Location", &location)).await;
    let client = crate::client(&api);
    let user = client.users().get_user("u1").send().await.unwrap();
    assert_eq!(
        user.name.as_deref(),
        Some("Ann"),
        "the redirect was followed"
    );
    assert_eq!(
        authorization(&api.requests()[0]),
        Some("Bearer test-token"),
        "the API host gets the token"
    );
    let redirected = target.requests();
    assert_eq!(redirected.len(), 1);
    assert_eq!(
        authorization(&redirected[0]),
        None,
        "the other host gets no token"
    );
}

#[tokio::test]
async fn a_redirect_within_the_api_host_keeps_the_token() {
    let api = Server::start(|_, request| {
        if request.path() == "/moved" {
            Reply::json(200, user_json("u1", "Ann"))
        } else {
            Reply::status(307).header("Location", "/moved")
        }
    })
    .await;
    let client = crate::client(&api);
    client.users().get_user("u1").send().await.unwrap();
    let requests = api.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(authorization(&requests[1]), Some("Bearer test-token"));
}

#[tokio::test]
async fn a_token_request_redirected_to_another_host_carries_no_credentials() {
    let target = Server::start(|_, _| {
        Reply::json(
            200,
            serde_json::json!({"access_token": "stolen", "token_type": "bearer", "expires_in": 60}),
        )
    })
    .await;
    let location = format!("{}/oauth/token", other_host(&target));
    let login = Server::start(move |_, request| {
        if request.path() == "/oauth/token" {
            Reply::status(307).header("Location", &location)
        } else {
            Reply::json(200, user_json("u1", "Ann"))
        }
    })
    .await;
    let client = runtime_client::Client::builder()
        .base_url(login.url())
        .client_credentials("my-oauth-client", SECRET)
        .retry(fast_retries())
        .build()
        .unwrap();
    let _ = client.users().get_user("u1").send().await;
    assert!(
        authorization(&login.requests_to("/oauth/token")[0])
            .is_some_and(|h| h.starts_with("Basic ")),
        "the login host gets the client's credentials"
    );
    let redirected = target.requests();
    assert!(!redirected.is_empty(), "the redirect was followed");
    for request in redirected {
        assert_eq!(
            authorization(&request),
            None,
            "the other host gets no credentials"
        );
        assert!(
            !String::from_utf8_lossy(&request.body).contains(SECRET),
            "nor the secret in the body"
        );
    }
}

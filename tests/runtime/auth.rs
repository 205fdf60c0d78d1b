//! Authentication: one token request for 100 concurrent calls, refresh before expiry, a
//! 401 causing one refresh and one retry, a fixed bearer token, a custom token provider,
//! token endpoint failures, secrets absent from `Debug` output, errors and logs, and
//! operations declaring no security (`security: []`), sent without credentials.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use runtime_client::runtime::{AccessToken, BoxFuture, TokenProvider};
use runtime_client::Error;

use crate::server::{Reply, Server};
use crate::{fast_retries, user_json};

const CLIENT_ID: &str = "my-oauth-client";
const CLIENT_SECRET: &str = "CLIENT-SECRET-d41d8cd98f";

/// A server with a token endpoint handing out `token-1`, `token-2`, ... (after `delay`),
/// token n valid for `lifetimes[n - 1]` seconds (the last lifetime repeating), and an API
/// accepting only the tokens `accepted` says.
fn login_and_api(
    lifetimes: &'static [u64],
    delay: Duration,
    accepted: fn(&str) -> bool,
) -> impl Fn(usize, &crate::server::Recorded) -> Reply {
    let issued = AtomicUsize::new(0);
    move |_, request| {
        if request.path() == "/oauth/token" {
            let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
            let lifetime = lifetimes[(n - 1).min(lifetimes.len() - 1)];
            return Reply::json(200, serde_json::json!({"access_token": format!("token-{n}"), "token_type": "bearer", "expires_in": lifetime}))
                .delay(delay);
        }
        match request
            .header("authorization")
            .and_then(|h| h.strip_prefix("Bearer "))
        {
            Some(token) if accepted(token) => Reply::json(200, user_json("u1", "Ann")),
            _ => Reply::json(
                401,
                serde_json::json!({"message": "Invalid login credentials.", "code": "authentication.required", "status": 401}),
            ),
        }
    }
}

fn credentials_client(server: &Server) -> runtime_client::runtime::ClientBuilder {
    runtime_client::Client::builder()
        .base_url(server.url())
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .retry(fast_retries())
}

#[tokio::test]
async fn the_client_credentials_grant_asks_the_login_host() {
    let server = Server::start(login_and_api(&[86_400], Duration::ZERO, |t| t == "token-1")).await;
    let client = credentials_client(&server).build().unwrap();
    client.users().get_user("u1").send().await.unwrap();
    let token_requests = server.requests_to("/oauth/token");
    assert_eq!(token_requests.len(), 1);
    let request = &token_requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        "grant_type=client_credentials"
    );
    // Basic base64("my-oauth-client:CLIENT-SECRET-d41d8cd98f").
    assert_eq!(
        request.header("authorization"),
        Some("Basic bXktb2F1dGgtY2xpZW50OkNMSUVOVC1TRUNSRVQtZDQxZDhjZDk4Zg==")
    );
    assert_eq!(
        server.requests_to("/api/")[0].header("authorization"),
        Some("Bearer token-1")
    );
}

#[tokio::test]
async fn one_token_request_for_100_concurrent_calls_with_an_expired_token() {
    // token-1 lives 30 s, inside the 60 s refresh margin: it is due at once. Then 100
    // concurrent calls must share one refresh (slow, so they really wait together).
    let server = Server::start(login_and_api(
        &[30, 3600],
        Duration::from_millis(200),
        |t| t == "token-1" || t == "token-2",
    ))
    .await;
    let client = credentials_client(&server).build().unwrap();
    client.users().get_user("u0").send().await.unwrap();
    assert_eq!(server.requests_to("/oauth/token").len(), 1);

    let calls: Vec<_> = (0..100)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move { client.users().get_user(format!("u{i}")).send().await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(
        server.requests_to("/oauth/token").len(),
        2,
        "100 concurrent calls refreshed the token more than once"
    );
    let api = server.requests_to("/api/");
    assert_eq!(api.len(), 101);
    assert!(api[1..]
        .iter()
        .all(|r| r.header("authorization") == Some("Bearer token-2")));
}

#[tokio::test]
async fn the_token_is_cached_and_refreshed_before_it_expires() {
    // Valid 90 s, refreshed 60 s before expiry: the second call reuses it.
    let server = Server::start(login_and_api(&[90], Duration::ZERO, |_| true)).await;
    let client = credentials_client(&server).build().unwrap();
    client.users().get_user("u1").send().await.unwrap();
    client.users().get_user("u2").send().await.unwrap();
    assert_eq!(server.requests_to("/oauth/token").len(), 1);

    // Refreshed 120 s before expiry: a 90 s token is due although it has not expired.
    let server = Server::start(login_and_api(&[90], Duration::ZERO, |_| true)).await;
    let client = credentials_client(&server)
        .refresh_before(Duration::from_secs(120))
        .build()
        .unwrap();
    client.users().get_user("u1").send().await.unwrap();
    client.users().get_user("u2").send().await.unwrap();
    assert_eq!(server.requests_to("/oauth/token").len(), 2);
    let api = server.requests_to("/api/");
    assert_eq!(api[1].header("authorization"), Some("Bearer token-2"));
}

#[tokio::test]
async fn a_401_causes_one_refresh_and_one_retry() {
    // The API has revoked token-1 although it has not expired.
    let server = Server::start(login_and_api(&[86_400], Duration::ZERO, |t| t == "token-2")).await;
    let client = credentials_client(&server).build().unwrap();
    let user = client.users().get_user("u1").send().await.unwrap();
    assert_eq!(user.name.as_deref(), Some("Ann"));
    assert_eq!(server.requests_to("/oauth/token").len(), 2);
    let api = server.requests_to("/api/");
    assert_eq!(api.len(), 2);
    assert_eq!(api[0].header("authorization"), Some("Bearer token-1"));
    assert_eq!(api[1].header("authorization"), Some("Bearer token-2"));

    // A second 401 is the caller's: no further refresh or retry.
    let server = Server::start(login_and_api(&[86_400], Duration::ZERO, |_| false)).await;
    let client = credentials_client(&server).build().unwrap();
    let error = client.users().get_user("u1").send().await.unwrap_err();
    assert_eq!(error.status(), Some(401));
    assert_eq!(server.requests_to("/oauth/token").len(), 2);
    assert_eq!(server.requests_to("/api/").len(), 2);
}

#[tokio::test]
async fn a_caller_supplied_bearer_token_is_sent_and_not_retried_on_401() {
    let server = Server::start(|_, _| Reply::status(401)).await;
    let client = runtime_client::Client::builder()
        .base_url(server.url())
        .bearer_token("caller-token")
        .build()
        .unwrap();
    let error = client.users().get_user("u1").send().await.unwrap_err();
    assert_eq!(error.status(), Some(401));
    assert_eq!(
        server.count(),
        1,
        "a fixed token cannot be refreshed, so a 401 is not retried"
    );
    assert_eq!(
        server.requests()[0].header("authorization"),
        Some("Bearer caller-token")
    );
}

/// A provider for a grant the crate does not implement: counts its calls.
struct Vault {
    calls: Arc<AtomicUsize>,
}

impl TokenProvider for Vault {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Box::pin(async {
            Ok(AccessToken::expiring_in(
                "vault-token",
                Duration::from_secs(600),
            ))
        })
    }
}

#[tokio::test]
async fn a_custom_token_provider_is_used() {
    let server = Server::start(|_, _| Reply::json(200, user_json("u1", "Ann"))).await;
    let calls = Arc::new(AtomicUsize::new(0));
    let client = runtime_client::Client::builder()
        .base_url(server.url())
        .token_provider(Vault {
            calls: Arc::clone(&calls),
        })
        .build()
        .unwrap();
    client.users().get_user("u1").send().await.unwrap();
    client.users().get_user("u2").send().await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert!(server
        .requests()
        .iter()
        .all(|r| r.header("authorization") == Some("Bearer vault-token")));
    assert!(format!("{client:?}").contains("custom token provider"));
}

#[tokio::test]
async fn token_endpoint_failures_are_auth_errors_without_the_secret() {
    let server = Server::start(|_, request| {
        if request.path() == "/oauth/token" {
            Reply::json(
                400,
                serde_json::json!({"error": "invalid_client", "description": "client not found"}),
            )
        } else {
            Reply::json(200, user_json("u1", "Ann"))
        }
    })
    .await;
    let client = credentials_client(&server).build().unwrap();
    let error = client.users().get_user("u1").send().await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Auth {
                status: Some(400),
                ..
            }
        ),
        "{error:?}"
    );
    let text = error.to_string();
    assert!(
        text.contains("invalid_client") && text.contains("client not found"),
        "{text}"
    );
    assert!(!text.contains(CLIENT_SECRET) && !format!("{error:?}").contains(CLIENT_SECRET));
    assert_eq!(server.requests_to("/api/").len(), 0);
}

#[tokio::test]
async fn secrets_are_absent_from_debug_output_and_errors() {
    let server = Server::start(login_and_api(&[86_400], Duration::ZERO, |_| false)).await;
    let builder = credentials_client(&server);
    assert!(!format!("{builder:?}").contains(CLIENT_SECRET));
    let client = builder.build().unwrap();
    let error = client.users().get_user("u1").send().await.unwrap_err();
    for text in [
        format!("{client:?}"),
        format!("{:?}", client.clone()),
        error.to_string(),
        format!("{error:?}"),
    ] {
        assert!(!text.contains(CLIENT_SECRET), "secret in {text}");
        assert!(
            !text.contains("token-1") && !text.contains("token-2"),
            "token in {text}"
        );
    }
    assert!(
        format!("{client:?}").contains(CLIENT_ID),
        "the client id is not a secret and helps debugging"
    );

    let bearer = runtime_client::Client::builder()
        .bearer_token("BEARER-abc123")
        .build()
        .unwrap();
    assert!(!format!("{bearer:?}").contains("BEARER-abc123"));
    assert_eq!(
        format!("{:?}", AccessToken::new("BEARER-abc123").secret()),
        "<redacted>"
    );
    let options =
        runtime_client::runtime::CallOptions::new().header("Authorization", "Bearer BEARER-abc123");
    assert!(!format!("{options:?}").contains("BEARER-abc123"));
}

#[tokio::test]
async fn an_operation_declaring_no_security_sends_no_credentials_and_asks_for_no_token() {
    // getUserPublicprofile says `security: []` in tests/fixtures/runtime.json; getUser
    // requires PureCloud OAuth.
    let server = Server::start(|_, request: &crate::server::Recorded| {
        if request.path() == "/oauth/token" {
            Reply::json(
                200,
                serde_json::json!({"access_token": "token-1", "token_type": "bearer", "expires_in": 86_400}),
            )
        } else {
            Reply::json(200, user_json("u1", "Ann"))
        }
    })
    .await;
    let client = credentials_client(&server).build().unwrap();
    client
        .users()
        .get_user_publicprofile("u1")
        .send()
        .await
        .unwrap();
    assert!(server.requests_to("/oauth/token").is_empty());
    let public = server.requests_to("/api/v2/users/u1/publicprofile");
    assert_eq!(public.len(), 1);
    assert_eq!(public[0].header("authorization"), None);

    client.users().get_user("u1").send().await.unwrap();
    assert_eq!(server.requests_to("/oauth/token").len(), 1);
    let user = server.requests_to("/api/v2/users/u1");
    let user: Vec<_> = user
        .iter()
        .filter(|r| r.path() == "/api/v2/users/u1")
        .collect();
    assert_eq!(user[0].header("authorization"), Some("Bearer token-1"));
}

/// A provider whose token never comes.
struct Stuck;

impl TokenProvider for Stuck {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>> {
        Box::pin(std::future::pending())
    }
}

#[tokio::test]
async fn an_operation_declaring_no_security_never_waits_for_the_token() {
    let server = Server::start(|_, _| Reply::json(200, user_json("u1", "Ann"))).await;
    let client = runtime_client::Client::builder()
        .base_url(server.url())
        .token_provider(Stuck)
        .timeout(Duration::from_millis(500))
        .retry(fast_retries())
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    client
        .users()
        .get_user_publicprofile("u1")
        .send()
        .await
        .unwrap();
    assert!(started.elapsed() < Duration::from_millis(500));
    // The same client's authenticated call waits for the token until its timeout.
    let err = client.users().get_user("u1").send().await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert_eq!(server.requests().len(), 1);
}

//! Retries: 429 with `Retry-After` (seconds and HTTP date), 503 for every method with the
//! body re-sent intact, no retry on other 4xx, 502/504 and failures after sending only for
//! idempotent methods unless the call opts in, connection failures before sending for
//! every method, and the attempt and total-time bounds.

use std::sync::Arc;
use std::time::{Duration, Instant};

use runtime_client::models::CreateUser;
use runtime_client::runtime::{CallOptions, RetryPolicy};
use runtime_client::Error;

use crate::server::{Reply, Server};
use crate::{client, fast_retries, user_json};

fn create_user() -> CreateUser {
    let mut user = CreateUser::new("Ann", "ann@example.com", "s3cret-pa55");
    user.title = Some("Agent".into());
    user
}

#[tokio::test]
async fn a_429_waits_for_retry_after_seconds() {
    let server = Server::start(|n, _| match n {
        0 => Reply::json(
            429,
            serde_json::json!({"message": "Rate limit exceeded", "status": 429}),
        )
        .header("Retry-After", "1"),
        _ => Reply::json(200, user_json("u1", "Ann")),
    })
    .await;
    let user = client(&server).users().get_user("u1").send().await.unwrap();
    assert_eq!(user.name.as_deref(), Some("Ann"));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let waited = requests[1].at - requests[0].at;
    assert!(
        waited >= Duration::from_millis(950),
        "retried after {waited:?}, before Retry-After: 1"
    );
    assert!(
        waited < Duration::from_secs(3),
        "waited {waited:?} for Retry-After: 1"
    );
}

#[tokio::test]
async fn a_429_retry_after_http_date_is_honoured() {
    // An HTTP date 2 s ahead: whole seconds, so the wait is between 1 and 2 s.
    let at = chrono::Utc::now() + chrono::Duration::seconds(2);
    let date = at.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let server = Server::start(move |n, _| match n {
        0 => Reply::status(429).header("Retry-After", &date),
        _ => Reply::json(200, user_json("u1", "Ann")),
    })
    .await;
    client(&server).users().get_user("u1").send().await.unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let waited = requests[1].at - requests[0].at;
    assert!(
        waited >= Duration::from_millis(900),
        "retried after {waited:?}, before the Retry-After date"
    );
    assert!(waited < Duration::from_secs(3), "waited {waited:?}");
}

#[tokio::test]
async fn a_retry_after_date_in_the_past_means_no_wait() {
    let server = Server::start(|n, _| match n {
        0 => Reply::status(503).header("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"),
        _ => Reply::json(200, user_json("u1", "Ann")),
    })
    .await;
    let started = Instant::now();
    client(&server).users().get_user("u1").send().await.unwrap();
    assert_eq!(server.count(), 2);
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "took {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_503_twice_then_200_succeeds_in_three_attempts_with_the_body_resent_intact() {
    let server = Server::start(|n, _| match n {
        0 | 1 => Reply::status(503),
        _ => Reply::json(200, user_json("u1", "Ann")),
    })
    .await;
    // A POST: 503 means the request was not processed, so it is retried for every method.
    let user = client(&server)
        .users()
        .post_users(create_user())
        .send()
        .await
        .unwrap();
    assert_eq!(user.id.as_deref(), Some("u1"));
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    let expected = serde_json::json!({"name": "Ann", "email": "ann@example.com", "password": "s3cret-pa55", "title": "Agent"});
    for request in &requests {
        assert_eq!(request.method, "POST");
        assert_eq!(request.json(), expected);
        assert_eq!(request.header("content-type"), Some("application/json"));
    }
    assert!(
        requests.windows(2).all(|w| w[0].body == w[1].body),
        "every attempt sends the same bytes"
    );
}

#[tokio::test]
async fn a_400_is_not_retried() {
    let server = Server::start(|_, _| {
        Reply::json(
            400,
            serde_json::json!({"message": "bad", "code": "bad.request", "status": 400}),
        )
    })
    .await;
    let error = client(&server)
        .users()
        .get_user("u1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(400));
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn other_4xx_and_500_are_not_retried() {
    for status in [401, 403, 404, 409, 500] {
        let server = Server::start(move |_, _| Reply::status(status)).await;
        let client = runtime_client::Client::builder()
            .base_url(server.url())
            .retry(fast_retries())
            .build()
            .unwrap();
        let error = client.users().get_user("u1").send().await.unwrap_err();
        assert_eq!(error.status(), Some(status));
        assert_eq!(server.count(), 1, "HTTP {status} was retried");
    }
}

#[tokio::test]
async fn a_post_answered_502_is_not_retried_unless_opted_in() {
    let server = Server::start(|n, _| match n {
        0 | 1 => Reply::status(502),
        _ => Reply::json(200, user_json("u1", "Ann")),
    })
    .await;
    let client = client(&server);
    let error = client
        .users()
        .post_users(create_user())
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(502));
    assert_eq!(server.count(), 1, "a POST answered 502 was sent again");

    let user = client
        .users()
        .post_users(create_user())
        .with_options(CallOptions::new().retry_non_idempotent(true))
        .send()
        .await
        .unwrap();
    assert_eq!(user.id.as_deref(), Some("u1"));
    assert_eq!(server.count(), 3, "opted in: the 502 is retried");
}

#[tokio::test]
async fn idempotent_methods_are_retried_after_502_and_504() {
    let server = Server::start(|n, _| match n {
        0 => Reply::status(502),
        1 => Reply::status(504),
        _ => Reply::json(200, user_json("u1", "Ann")),
    })
    .await;
    let mut user = client(&server).users().get_user("u1").send().await.unwrap();
    assert_eq!(server.count(), 3);
    user.name = Some("Bea".into());
    let server = Server::start(|n, _| match n {
        0 => Reply::status(504),
        _ => Reply::json(200, user_json("u1", "Bea")),
    })
    .await;
    client(&server)
        .users()
        .put_user("u1", user)
        .send()
        .await
        .unwrap();
    assert_eq!(server.count(), 2, "a PUT is idempotent: retried after 504");
    let requests = server.requests();
    assert_eq!(requests[0].body, requests[1].body);
}

#[tokio::test]
async fn attempts_are_bounded_as_configured() {
    let server = Server::start(|_, _| Reply::status(503)).await;
    let client = runtime_client::Client::builder()
        .base_url(server.url())
        .retry(fast_retries().max_attempts(3))
        .build()
        .unwrap();
    let error = client.users().get_user("u1").send().await.unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(server.count(), 3);
    assert_eq!(error.attempts(), Some(3));
    assert!(error.to_string().ends_with("(after 3 attempts)"), "{error}");
}

#[tokio::test]
async fn total_time_is_bounded_as_configured() {
    // Retry-After asks for more than the budget left: the client gives up at once.
    let server = Server::start(|_, _| Reply::status(429).header("Retry-After", "30")).await;
    let client = runtime_client::Client::builder()
        .base_url(server.url())
        .retry(
            fast_retries()
                .max_attempts(10)
                .max_elapsed(Duration::from_millis(500)),
        )
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.users().get_user("u1").send().await.unwrap_err();
    assert_eq!(error.status(), Some(429));
    assert_eq!(server.count(), 1);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );

    // Backoff: waits of up to 100 ms within a 300 ms budget stop well before 50 attempts.
    let server = Server::start(|_, _| Reply::status(503)).await;
    let policy = RetryPolicy::new()
        .max_attempts(50)
        .initial_backoff(Duration::from_millis(100))
        .max_backoff(Duration::from_millis(100))
        .max_elapsed(Duration::from_millis(300));
    let client = runtime_client::Client::builder()
        .base_url(server.url())
        .retry(policy)
        .build()
        .unwrap();
    let started = Instant::now();
    client.users().get_user("u1").send().await.unwrap_err();
    let took = started.elapsed();
    assert!(
        took < Duration::from_millis(300) + Duration::from_millis(400),
        "took {took:?} for a 300 ms budget"
    );
    assert!(
        server.count() >= 2 && server.count() < 50,
        "{} attempts",
        server.count()
    );
}

#[tokio::test]
async fn per_call_retry_policy_overrides_the_clients() {
    let server = Server::start(|_, _| Reply::status(503)).await;
    let error = client(&server)
        .users()
        .get_user("u1")
        .with_options(CallOptions::new().retry(RetryPolicy::never()))
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn a_failure_after_sending_is_retried_only_for_idempotent_methods() {
    let server = Server::start(|n, _| match n {
        0 => Reply::hang_up(),
        _ => Reply::json(200, user_json("u1", "Ann")),
    })
    .await;
    let error = client(&server)
        .users()
        .post_users(create_user())
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Transport {
                operation: "postUsers",
                attempts: 1,
                not_idempotent: true,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        server.count(),
        1,
        "a POST whose connection dropped after sending was sent again"
    );

    let server = Server::start(|n, _| match n {
        0 => Reply::hang_up(),
        _ => Reply::json(200, user_json("u1", "Ann")),
    })
    .await;
    client(&server).users().get_user("u1").send().await.unwrap();
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_connection_refused_before_sending_is_retried_even_for_a_post() {
    // Take a free port, close it, and only start listening on it a little later: the first
    // attempts are refused (nothing was sent), a later one gets through.
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = probe.local_addr().unwrap();
    drop(probe);
    let late = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(150)).await;
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .expect("rebind the port");
        Server::serve(
            listener,
            Arc::new(|_, _| Reply::json(200, user_json("u1", "Ann"))),
        )
    });
    let policy = RetryPolicy::new()
        .max_attempts(30)
        .initial_backoff(Duration::from_millis(50))
        .max_backoff(Duration::from_millis(50))
        .max_elapsed(Duration::from_secs(10));
    let client = runtime_client::Client::builder()
        .base_url(format!("http://{addr}"))
        .retry(policy)
        .build()
        .unwrap();
    let user = client
        .users()
        .post_users(create_user())
        .send()
        .await
        .unwrap();
    assert_eq!(user.id.as_deref(), Some("u1"));
    let server = late.await.unwrap();
    assert_eq!(server.count(), 1, "the POST reached the server once");
}

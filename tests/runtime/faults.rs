//! Faults on API calls, each bounded in time: a connection reset in the middle of an answer
//! (an idempotent call retries, a POST does not and says why), truncated JSON (a decode
//! error naming the model), a server that stalls in the middle of a body and a token that
//! never arrives (the call's timeout fires), a 10 MB body (decoded within 100 MB of peak
//! memory), a flood of 429s (the call gives up within its policy, counting its attempts),
//! and 1,000 concurrent calls (each reaches the server exactly once). That a redirect to
//! another host carries no `Authorization` is `redirects::an_api_call_redirected_to_another_host_carries_no_token`.

use std::error::Error as _;
use std::time::{Duration, Instant};

use runtime_client::models::CreateUser;
use runtime_client::runtime::{AccessToken, BoxFuture, RetryPolicy, TokenProvider};
use runtime_client::Error;

use crate::server::{Reply, Server};
use crate::{client, fast_retries, user_json};

/// How long a test waits for calls that must time out sooner, so that a call that hangs
/// fails the test rather than stalling it.
const BOUND: Duration = Duration::from_secs(5);

/// A user answer whose body is long enough to be cut in its middle.
fn user_reply() -> Reply {
    Reply::json(200, user_json("u1", "Ann"))
}

#[tokio::test]
async fn a_reset_in_the_middle_of_an_answer_is_retried_for_a_get() {
    let server = Server::start(|n, _| match n {
        0 => user_reply().reset_after(10),
        _ => user_reply(),
    })
    .await;
    let user = client(&server).users().get_user("u1").send().await.unwrap();
    assert_eq!(user.name.as_deref(), Some("Ann"));
    assert_eq!(server.count(), 2, "the GET was sent again after the reset");
}

#[tokio::test]
async fn a_reset_in_the_middle_of_an_answer_to_a_post_is_not_retried_and_says_why() {
    let server = Server::start(|_, _| user_reply().reset_after(10)).await;
    let error = client(&server)
        .users()
        .post_users(CreateUser::new("Ann", "ann@example.com", "pw"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(server.count(), 1, "a POST was sent twice");
    match &error {
        Error::Transport {
            operation: "postUsers",
            attempts: 1,
            not_idempotent: true,
            ..
        } => {}
        other => panic!("expected an unretried transport error, got {other:?}"),
    }
    let line = error.to_string();
    assert!(
        line.starts_with(
            "postUsers: transport error (not retried because the method is not idempotent): "
        ),
        "{line}"
    );
    assert!(!line.contains('\n'), "{line}");
    assert!(
        error.source().is_some_and(|s| s.is::<reqwest::Error>()),
        "the HTTP error is the source: {error:?}"
    );
}

#[tokio::test]
async fn truncated_json_is_a_decode_error_naming_the_model() {
    let server = Server::start(|_, _| {
        Reply::status(200)
            .header("Content-Type", "application/json")
            .body(r#"{"id":"u1","name":"An"#)
    })
    .await;
    let error = client(&server)
        .users()
        .get_user("u1")
        .send()
        .await
        .unwrap_err();
    match &error {
        Error::Decode {
            operation, model, ..
        } => assert_eq!((*operation, *model), ("getUser", "User")),
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert!(
        error.to_string().starts_with("getUser: cannot decode User"),
        "{error}"
    );
    assert_eq!(
        server.count(),
        1,
        "a body that does not decode is not retried"
    );
}

#[tokio::test]
async fn a_server_that_stalls_in_the_middle_of_a_body_times_out_within_the_bound() {
    let server = Server::start(|_, _| user_reply().stall_after(10, Duration::from_secs(30))).await;
    let timeout = Duration::from_millis(200);
    let client = runtime_client::Client::builder()
        .base_url(server.url())
        .bearer_token("test-token")
        .timeout(timeout)
        .retry(fast_retries().max_attempts(2))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = tokio::time::timeout(BOUND, client.users().get_user("u1").send())
        .await
        .expect("the call ended")
        .unwrap_err();
    let took = started.elapsed();
    assert!(error.is_timeout(), "{error:?}");
    assert!(
        matches!(error, Error::Timeout { attempts: 2, .. }),
        "{error:?}"
    );
    assert_eq!(server.count(), 2, "a GET that timed out is retried");
    // Two attempts of 200 ms and one wait of at most 20 ms.
    assert!(
        took >= 2 * timeout && took < 2 * timeout + Duration::from_millis(600),
        "took {took:?}"
    );
    assert!(
        error
            .to_string()
            .starts_with("getUser: timed out (after 2 attempts): "),
        "{error}"
    );
    let source = error
        .source()
        .and_then(|s| s.downcast_ref::<reqwest::Error>());
    assert!(source.is_some_and(reqwest::Error::is_timeout), "{error:?}");
}

/// A token provider whose token never comes (a login host that accepts and never answers).
struct NeverAnswers;

impl TokenProvider for NeverAnswers {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>> {
        Box::pin(std::future::pending())
    }
}

#[tokio::test]
async fn a_token_that_never_comes_fails_every_call_within_its_timeout() {
    let server = Server::start(|_, _| user_reply()).await;
    let client = runtime_client::Client::builder()
        .base_url(server.url())
        .token_provider(NeverAnswers)
        .timeout(Duration::from_millis(200))
        .retry(fast_retries())
        .build()
        .unwrap();
    let started = Instant::now();
    let calls = (0..20).map(|i| client.users().get_user(format!("u{i}")).send());
    let results = tokio::time::timeout(BOUND, futures_util::future::join_all(calls))
        .await
        .expect("the calls ended");
    let took = started.elapsed();
    assert!(took < Duration::from_millis(800), "took {took:?}");
    for result in results {
        let error = result.unwrap_err();
        assert!(error.is_timeout(), "{error:?}");
        assert_eq!(
            error.to_string(),
            "getUser: timed out: no access token within 0.2 s"
        );
        assert!(error.source().is_some(), "{error:?}");
    }
    assert_eq!(server.count(), 0, "no request went out without a token");
}

#[tokio::test]
async fn the_token_wait_and_the_request_share_the_attempts_timeout() {
    /// A token that takes 100 ms to come.
    struct Slow;

    impl TokenProvider for Slow {
        fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>> {
            Box::pin(async {
                tokio::time::sleep(Duration::from_millis(100)).await;
                Ok(AccessToken::new("slow-token"))
            })
        }
    }

    // 100 ms for the token and 250 ms for the answer: over a 300 ms attempt, though each
    // alone is within it.
    let server = Server::start(|_, _| user_reply().delay(Duration::from_millis(250))).await;
    let client = runtime_client::Client::builder()
        .base_url(server.url())
        .token_provider(Slow)
        .timeout(Duration::from_millis(300))
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.users().get_user("u1").send().await.unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert!(
        started.elapsed() < Duration::from_millis(600),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(server.count(), 1, "the request went out with what was left");
}

/// The environment variable that makes this test binary measure the 10 MB decode.
const MEASURE: &str = "GENESYS_FAULTS_MEASURE_10MB";

/// A `/proc/self/status` figure (`VmHWM`, `VmRSS`) in KiB.
fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc/self/status"))
}

#[tokio::test]
async fn a_10_mb_body_decodes_within_100_mb_of_peak_memory() {
    // The peak is the process's: measured in a process of its own, running this test
    // alone, so that the other tests' memory does not count.
    if std::env::var_os(MEASURE).is_none() {
        let output = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "faults::a_10_mb_body_decodes_within_100_mb_of_peak_memory",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(MEASURE, "1")
            .output()
            .expect("run the measuring test");
        let stdout = String::from_utf8_lossy(&output.stdout);
        println!("{stdout}");
        assert!(
            output.status.success(),
            "{stdout}{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(stdout.contains("1 passed"), "the test ran: {stdout}");
        return;
    }
    let before_peak = status_kib("VmHWM");
    let before_rss = status_kib("VmRSS");
    // 10,000 users of about 1 KiB each, written out directly so that the test's own copy
    // of the body is all it adds.
    let name = "n".repeat(1_000);
    let entities: Vec<String> = (0..10_000)
        .map(|i| user_json(&format!("u{i}"), &name).to_string())
        .collect();
    let body = format!(
        r#"{{"entities":[{}],"pageNumber":1,"pageSize":10000}}"#,
        entities.join(",")
    )
    .into_bytes();
    drop(entities);
    assert!(body.len() >= 10_000_000, "{} bytes", body.len());
    let size = body.len();
    let server = Server::start(move |_, _| {
        Reply::status(200)
            .header("Content-Type", "application/json")
            .body(body.clone())
    })
    .await;
    let listing = client(&server).users().get_users().send().await.unwrap();
    let entities = listing.entities.unwrap_or_default();
    assert_eq!(entities.len(), 10_000);
    assert_eq!(entities[9_999].id.as_deref(), Some("u9999"));
    let after_peak = status_kib("VmHWM");
    let after_rss = status_kib("VmRSS");
    let grown_mb = after_peak.saturating_sub(before_peak.max(before_rss)) as f64 / 1024.0;
    println!(
        "10 MB body ({size} bytes): VmHWM {before_peak} -> {after_peak} KiB, \
         VmRSS {before_rss} -> {after_rss} KiB; peak {grown_mb:.1} MB above the baseline"
    );
    assert!(
        grown_mb < 100.0,
        "peak memory grew {grown_mb:.1} MB decoding 10 MB"
    );
}

#[tokio::test]
async fn a_flood_of_429s_gives_up_within_the_policy_counting_its_attempts() {
    let server = Server::start(|_, _| {
        Reply::json(
            429,
            serde_json::json!({"message": "Rate limit exceeded", "status": 429}),
        )
        .header("Retry-After", "0")
    })
    .await;
    let started = Instant::now();
    let error = client(&server)
        .users()
        .get_user("u1")
        .send()
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(error.status(), Some(429));
    assert_eq!(error.attempts(), Some(4), "{error:?}");
    assert_eq!(server.count(), 4, "the policy allows 4 attempts");
    assert_eq!(
        error.to_string(),
        "getUser: HTTP 429: Rate limit exceeded (after 4 attempts)"
    );

    // Many attempts allowed, but a budget of 700 ms for waits of 200 ms: the time bound
    // ends it.
    let server = Server::start(|_, _| Reply::status(429).header("Retry-After", "0.2")).await;
    let client = runtime_client::Client::builder()
        .base_url(server.url())
        .retry(
            fast_retries()
                .max_attempts(100)
                .max_elapsed(Duration::from_millis(700)),
        )
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.users().get_user("u1").send().await.unwrap_err();
    let took = started.elapsed();
    assert!(took < Duration::from_millis(1200), "took {took:?}");
    let attempts = error.attempts().unwrap();
    assert!((2..=4).contains(&attempts), "{attempts} attempts in 700 ms");
    assert_eq!(attempts as usize, server.count());
    assert!(
        error
            .to_string()
            .contains(&format!("(after {attempts} attempts)")),
        "{error}"
    );
}

#[tokio::test]
async fn a_thousand_concurrent_calls_each_reach_the_server_once() {
    let server = Server::start(|_, request| {
        let id = request.path().rsplit('/').next().unwrap_or_default();
        Reply::json(200, user_json(id, "Ann")).delay(Duration::from_millis(20))
    })
    .await;
    let client = client(&server);
    let started = Instant::now();
    let calls = (0..1_000).map(|i| client.users().get_user(format!("u{i}")).send());
    let results = futures_util::future::join_all(calls).await;
    let took = started.elapsed();
    for (i, result) in results.into_iter().enumerate() {
        let user = result.unwrap_or_else(|e| panic!("call {i} failed: {e}"));
        assert_eq!(
            user.id,
            Some(format!("u{i}")),
            "call {i} got another's answer"
        );
    }
    let mut paths: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.path().to_owned())
        .collect();
    assert_eq!(paths.len(), 1_000, "requests the server counted");
    paths.sort();
    paths.dedup();
    assert_eq!(paths.len(), 1_000, "a call was sent twice");
    assert!(took < Duration::from_secs(10), "took {took:?}");
    println!("1,000 concurrent calls in {took:?}");
}

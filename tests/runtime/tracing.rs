//! Tracing: one `genesys_cloud.call` span per call with the operation id, method, path
//! template, status, attempt count and latency; the token, the client secret and bodies
//! never appear in what is logged, at any level, unless wire logging is turned on, which
//! logs each exchange on `genesys_cloud.wire` with credentials redacted.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use runtime_client::models::CreateUser;
use runtime_client::runtime::{CallOptions, RetryPolicy, WireLog};
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::fmt::MakeWriter;

use crate::server::{Reply, Server};
use crate::{fast_retries, user_json};

/// Everything the subscriber writes, in one buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

/// Captures every span close and event, at TRACE, on this thread (the tests run on a
/// current-thread runtime, so the client's futures are polled here).
fn capture() -> (Captured, tracing::subscriber::DefaultGuard) {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .finish();
    (captured, tracing::subscriber::set_default(subscriber))
}

#[tokio::test]
async fn each_call_has_one_span_with_operation_method_path_status_attempts_and_latency() {
    let server = Server::start(|n, _| match n {
        0 => Reply::status(503),
        _ => Reply::json(200, user_json("u1", "Ann")).delay(Duration::from_millis(20)),
    })
    .await;
    let client = crate::client(&server);
    let (captured, _guard) = capture();
    client.users().get_user("u1").send().await.unwrap();
    client.users().get_user("u2").send().await.unwrap();
    let text = captured.text();
    let closes: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("genesys_cloud.call") && l.contains("close"))
        .collect();
    assert_eq!(closes.len(), 2, "one span per call:\n{text}");
    let first = closes[0];
    for expected in [
        "getUser",
        "method=GET",
        "/api/v2/users/{userId}",
        "status=200",
        "attempts=2",
        "latency_ms=",
    ] {
        assert!(
            first.contains(expected),
            "{expected:?} missing from {first}"
        );
    }
    assert!(
        !first.contains("/api/v2/users/u1"),
        "the template, not the filled path: {first}"
    );
    assert!(
        closes[1].contains("attempts=1") && closes[1].contains("status=200"),
        "{}",
        closes[1]
    );
    let latency: u64 = first
        .split("latency_ms=")
        .nth(1)
        .unwrap()
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        latency >= 20,
        "latency {latency} ms covers the 20 ms answer"
    );
}

#[tokio::test]
async fn secrets_and_bodies_never_reach_the_logs() {
    const SECRET: &str = "CLIENT-SECRET-9f86d081884c";
    const BODY_MARKER: &str = "BODY-MARKER-PASSWORD-e3b0c442";
    let server = Server::start(|_, request| {
        if request.path() == "/oauth/token" {
            Reply::json(
                200,
                serde_json::json!({"access_token": "ACCESS-TOKEN-2c26b46b", "expires_in": 3600}),
            )
        } else if request.method == "POST" {
            Reply::json(
                400,
                serde_json::json!({"message": "bad request", "status": 400}),
            )
        } else {
            Reply::json(401, serde_json::json!({"message": "no", "status": 401}))
        }
    })
    .await;
    let client = runtime_client::Client::builder()
        .base_url(server.url())
        .client_credentials("client-id", SECRET)
        .retry(fast_retries())
        .build()
        .unwrap();
    let (captured, _guard) = capture();
    let _ = client.users().get_user("u1").send().await;
    let _ = client
        .users()
        .post_users(CreateUser::new("Ann", "ann@example.com", BODY_MARKER))
        .send()
        .await;
    let text = captured.text();
    assert!(
        text.contains("genesys_cloud.call"),
        "nothing was captured:\n{text}"
    );
    assert!(
        text.contains("genesys_cloud.token"),
        "the token request has its span:\n{text}"
    );
    for secret in [SECRET, "ACCESS-TOKEN-2c26b46b", BODY_MARKER] {
        assert!(!text.contains(secret), "{secret} was logged:\n{text}");
    }
}

/// The lines of `text` that are wire events.
fn wire_lines(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| l.contains("genesys_cloud.wire"))
        .collect()
}

#[tokio::test]
async fn wire_logging_shows_each_exchange_with_credentials_redacted() {
    const TOKEN: &str = "ACCESS-TOKEN-d4735e3a";
    const PASSWORD: &str = "PASSWORD-5feceb66";
    const COOKIE: &str = "COOKIE-6b86b273";
    let server = Server::start(|_, request| {
        if request.path().ends_with("/gone") {
            return Reply::hang_up();
        }
        let reply = if request.method == "GET" {
            Reply::json(200, serde_json::json!({"entities": [], "pageNumber": 1}))
        } else {
            Reply::json(200, user_json("u1", &"x".repeat(300)))
        };
        reply.header("Set-Cookie", &format!("session={COOKIE}; Path=/"))
    })
    .await;
    let client = runtime_client::Client::builder()
        .base_url(server.url())
        .bearer_token(TOKEN)
        .retry(fast_retries())
        .log_wire(WireLog::on().max_body_bytes(200))
        .build()
        .unwrap();
    let (captured, _guard) = capture();
    client
        .users()
        .post_users(CreateUser::new("Ann", "ann@example.com", PASSWORD))
        .send()
        .await
        .unwrap();
    client
        .users()
        .get_users()
        .page_size(2)
        .send()
        .await
        .unwrap();
    client
        .users()
        .get_user("gone")
        .with_options(CallOptions::new().retry(RetryPolicy::never()))
        .send()
        .await
        .unwrap_err();
    let text = captured.text();
    let lines = wire_lines(&text);
    assert_eq!(
        lines.len(),
        6,
        "a request and its outcome per call:\n{text}"
    );
    let url = format!("url={}/api/v2/users", server.url());
    let (request, response) = (lines[0], lines[1]);
    for expected in [
        "TRACE",
        "method=POST",
        &url,
        r#"authorization: "Bearer [redacted]""#,
        r#"user-agent: "runtime-client/"#,
        r#"content-type: "application/json""#,
        r#"\"email\":\"ann@example.com\""#,
        r#"\"password\":\"[redacted]\""#,
    ] {
        assert!(
            request.contains(expected),
            "{expected:?} missing from {request}"
        );
    }
    for expected in [
        "method=POST",
        &url,
        "status=200",
        "elapsed_ms=",
        r#"set-cookie: "[redacted]""#,
        r#"\"id\":\"u1\""#,
        "bytes cut)",
    ] {
        assert!(
            response.contains(expected),
            "{expected:?} missing from {response}"
        );
    }
    assert!(
        lines[2].contains(&format!("{url}?pageSize=2")) && lines[2].contains("method=GET"),
        "the full URL with its query: {}",
        lines[2]
    );
    assert!(
        lines[5].contains("no response")
            && lines[5].contains(&format!("{url}/gone"))
            && lines[5].contains("error=request failed"),
        "a request without an answer: {}",
        lines[5]
    );
    for secret in [TOKEN, PASSWORD, COOKIE] {
        assert!(!text.contains(secret), "{secret} was logged:\n{text}");
    }
}

#[tokio::test]
async fn token_requests_are_wire_logged_with_their_secrets_redacted() {
    const SECRET: &str = "CLIENT-SECRET-4e07408562";
    const TOKEN: &str = "ISSUED-TOKEN-ef2d127de3";
    let server = Server::start(|_, request| match request.path() {
        "/oauth/token" => Reply::json(
            200,
            serde_json::json!({"access_token": TOKEN, "token_type": "bearer", "expires_in": 3600}),
        ),
        _ => Reply::json(200, user_json("u1", "Ann")),
    })
    .await;
    let client = runtime_client::Client::builder()
        .base_url(server.url())
        .client_credentials("client-id", SECRET)
        .retry(fast_retries())
        .log_wire(WireLog::on())
        .build()
        .unwrap();
    let (captured, _guard) = capture();
    client.users().get_user("u1").send().await.unwrap();
    let text = captured.text();
    let lines = wire_lines(&text);
    assert_eq!(lines.len(), 4, "the token request, then the call:\n{text}");
    let token_url = format!("url={}/oauth/token", server.url());
    for expected in [
        "method=POST",
        token_url.as_str(),
        r#"authorization: "Basic [redacted]""#,
        r#"user-agent: "runtime-client/"#,
        "grant_type=client_credentials",
    ] {
        assert!(
            lines[0].contains(expected),
            "{expected:?} missing from {}",
            lines[0]
        );
    }
    assert!(
        lines[1].contains("status=200") && lines[1].contains(r#"\"access_token\":\"[redacted]\""#),
        "the token answer, its token redacted: {}",
        lines[1]
    );
    for secret in [SECRET, TOKEN] {
        assert!(!text.contains(secret), "{secret} was logged:\n{text}");
    }
}

#[tokio::test]
async fn without_wire_logging_there_are_no_wire_events() {
    let server = Server::start(|_, _| Reply::json(200, user_json("u1", "Ann"))).await;
    let client = crate::client(&server);
    let (captured, _guard) = capture();
    client.users().get_user("u1").send().await.unwrap();
    let text = captured.text();
    assert!(
        text.contains("genesys_cloud.call"),
        "nothing was captured:\n{text}"
    );
    assert!(wire_lines(&text).is_empty(), "{text}");
    assert!(!text.contains("Ann"), "a body was logged:\n{text}");
}

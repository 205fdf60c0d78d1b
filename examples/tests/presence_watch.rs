//! `presence_watch` end to end: the channel and subscription endpoints on the HTTP server
//! of `common`, and a WebSocket server on 127.0.0.1 standing in for Genesys's streaming
//! host, whose `ws://` URI the channel's `connectUri` names. Every wait is bounded (the
//! program by `common::run`'s 30 s, each test's own expectations by a few seconds).

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Program, Reply, Server};
use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};
use tokio_tungstenite::tungstenite::Message;

const USER_A: &str = "0b9d2f8e-1c3a-4e5f-8a7b-6c5d4e3f2a10";
const USER_B: &str = "7e6d5c4b-3a29-4180-9f8e-7d6c5b4a3921";
const CHANNELS: &str = "/api/v2/notifications/channels";
const SUBSCRIPTIONS: &str = "/api/v2/notifications/channels/ch0/subscriptions";

/// What the WebSocket server does after sending its messages.
#[derive(Debug, Clone, Copy)]
enum Then {
    /// Keeps the socket open until the client goes.
    Hold,
    /// Closes it.
    Close,
}

/// A WebSocket server that sends `messages` on each connection, then does `then`; it
/// records the path each connection asked for.
struct Streaming {
    base: String,
    paths: Arc<Mutex<Vec<String>>>,
}

impl Streaming {
    async fn start(messages: Vec<Message>, then: Then) -> Streaming {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("ws://{}", listener.local_addr().unwrap());
        let paths = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&paths);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (messages, recorded) = (messages.clone(), Arc::clone(&recorded));
                tokio::spawn(async move {
                    // The handshake callback's error type is tungstenite's, not ours.
                    #[allow(clippy::result_large_err)]
                    let callback = |request: &Request, response: Response| {
                        recorded
                            .lock()
                            .unwrap()
                            .push(request.uri().path().to_owned());
                        Ok(response)
                    };
                    let Ok(mut socket) =
                        tokio_tungstenite::accept_hdr_async(stream, callback).await
                    else {
                        return;
                    };
                    for message in messages {
                        if socket.send(message).await.is_err() {
                            return;
                        }
                    }
                    match then {
                        Then::Hold => while let Some(Ok(_)) = socket.next().await {},
                        Then::Close => {
                            let _ = socket.close(None).await;
                        }
                    }
                });
            }
        });
        Streaming { base, paths }
    }

    fn paths(&self) -> Vec<String> {
        self.paths.lock().unwrap().clone()
    }
}

/// Genesys's notification endpoints: `POST` makes channel `ch0` on `streaming`; the
/// subscription requests get `subscriptions(n)` (`n` from 0), or an echo of their topics.
async fn genesys(
    streaming: &Streaming,
    subscriptions: impl Fn(usize) -> Option<Reply> + Send + Sync + 'static,
) -> Server {
    let connect_uri = format!("{}/channels/ch0", streaming.base);
    let count = AtomicUsize::new(0);
    Server::start(move |request| match (request.method.as_str(), request.path()) {
        ("POST", CHANNELS) => Reply::json(
            200,
            json!({"id": "ch0", "connectUri": connect_uri, "expires": "2026-12-03T04:00:00.000Z"}),
        ),
        ("PUT" | "POST", SUBSCRIPTIONS) => {
            subscriptions(count.fetch_add(1, Ordering::SeqCst)).unwrap_or_else(|| {
                let topics: serde_json::Value = serde_json::from_str(&request.body).unwrap();
                Reply::json(200, json!({ "entities": topics }))
            })
        }
        _ => Reply::json(404, json!({"message": "no route", "status": 404})),
    })
    .await
}

fn heartbeat() -> Message {
    Message::text(
        r#"{"topicName":"channel.metadata","eventBody":{"message":"WebSocket Heartbeat"}}"#,
    )
}

fn event(topic: String, body: serde_json::Value) -> Message {
    let text = json!({
        "topicName": topic, "version": "2", "eventBody": body,
        "metadata": {"CorrelationId": "c-1"}
    });
    Message::text(text.to_string())
}

fn presence(user: &str) -> String {
    format!("v2.users.{user}.presence")
}

fn routing_status(user: &str) -> String {
    format!("v2.users.{user}.routingStatus")
}

/// The topics of a subscription request's body.
fn topics(request: &common::Request) -> Vec<String> {
    let body: serde_json::Value = serde_json::from_str(&request.body).unwrap();
    body.as_array()
        .expect("a list of topics")
        .iter()
        .map(|topic| topic["id"].as_str().expect("a topic id").to_owned())
        .collect()
}

#[tokio::test]
async fn prints_each_presence_change_and_stops_after_the_duration() {
    let streaming = Streaming::start(
        vec![
            heartbeat(),
            event(
                presence(USER_A),
                json!({
                    "source": "PURECLOUD",
                    "presenceDefinition": {
                        "id": "6a3af858-942f-489d-9700-5f9bcdcdae9b",
                        "systemPresence": "Available"
                    },
                    "message": "Back\tat 10\nthen lunch",
                    "modifiedDate": "2026-12-02T09:00:00.000Z"
                }),
            ),
            event(
                routing_status(USER_A),
                json!({
                    "routingStatus": {"status": "IDLE", "startTime": "2026-12-02T09:00:01.000Z"}
                }),
            ),
            // Only the system presence: every other field is missing, or null.
            event(
                presence(USER_B),
                json!({"presenceDefinition": {"systemPresence": "Away"}, "message": null}),
            ),
            // A message of the wrong type: reported, and the program goes on.
            event(presence(USER_B), json!({"message": 42})),
            heartbeat(),
            event(
                presence(USER_B),
                json!({
                    "presenceDefinition": {"id": "e08eaf1b-ee47-4fa9-a231-1200e284798f", "systemPresence": "Busy"},
                    "modifiedDate": "2026-12-02T09:00:07.000Z"
                }),
            ),
        ],
        Then::Hold,
    )
    .await;
    let server = genesys(&streaming, |_| None).await;
    let started = Instant::now();
    let args = [
        "--user",
        USER_A,
        "--user",
        USER_B,
        "--user",
        USER_A,
        "--duration",
        "1.5",
    ];
    let outcome = common::run(Program::PresenceWatch, &args, &server.env()).await;
    let elapsed = started.elapsed();
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    insta::assert_snapshot!("presence_watch_lines", outcome.stdout);
    assert_eq!(
        outcome.stderr,
        "presence_watch: following 2 users on channel ch0\n\
         presence_watch: cannot decode the event body of \
         v2.users.7e6d5c4b-3a29-4180-9f8e-7d6c5b4a3921.presence at `message`: \
         invalid type: integer `42`, expected a string\n\
         presence_watch: stopped; 4 changes\n"
    );
    assert!(
        elapsed >= Duration::from_millis(1500) && elapsed < Duration::from_secs(5),
        "{elapsed:?}"
    );

    // One channel, one subscription request naming both topics of each user (once), and
    // one socket on the channel's URI.
    let requests = server.api_requests();
    let calls: Vec<(&str, &str)> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.path()))
        .collect();
    assert_eq!(calls, [("POST", CHANNELS), ("PUT", SUBSCRIPTIONS)]);
    assert_eq!(
        topics(&requests[1]),
        [
            presence(USER_A),
            routing_status(USER_A),
            presence(USER_B),
            routing_status(USER_B)
        ]
    );
    assert_eq!(
        requests[1].header("authorization"),
        Some("Bearer test-token")
    );
    assert_eq!(streaming.paths(), ["/channels/ch0"]);
    assert!(!outcome.stderr.contains("test-token") && !outcome.stdout.contains("test-token"));
}

#[tokio::test]
async fn a_stream_that_fails_for_good_ends_with_exit_code_1() {
    // The socket closes after one event; the resubscription that reconnecting makes is
    // refused, so the stream gives up at once.
    let streaming = Streaming::start(
        vec![event(
            presence(USER_A),
            json!({"presenceDefinition": {"systemPresence": "Offline"}, "modifiedDate": "2026-12-02T18:00:00.000Z"}),
        )],
        Then::Close,
    )
    .await;
    let server = genesys(&streaming, |n| {
        (n > 0).then(|| {
            Reply::json(
                403,
                json!({"message": "Missing permission", "code": "missing.permissions", "status": 403}),
            )
        })
    })
    .await;
    let started = Instant::now();
    let outcome = common::run(Program::PresenceWatch, &["--user", USER_A], &server.env()).await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(outcome.code, 1, "{}", outcome.stderr);
    assert_eq!(
        outcome.stdout,
        format!("2026-12-02T18:00:00.000Z\t{USER_A}\tpresence\tOffline\t\t\n")
    );
    let lines: Vec<&str> = outcome.stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{}", outcome.stderr);
    assert_eq!(lines[0], "presence_watch: following 1 users on channel ch0");
    assert_eq!(
        lines[1],
        "presence_watch: reconnecting (attempt 1, in 500 ms): the server closed the connection"
    );
    assert!(
        lines[2]
            .starts_with("presence_watch: notifications stopped after 1 reconnection attempts:")
            && lines[2].contains("403")
            && lines[2].contains("Missing permission"),
        "{}",
        lines[2]
    );
    let puts = server
        .api_requests()
        .iter()
        .filter(|r| r.method == "PUT")
        .count();
    assert_eq!(puts, 2);
    assert_eq!(streaming.paths(), ["/channels/ch0"]);
}

#[tokio::test]
async fn a_refused_channel_is_one_line_and_exit_code_1() {
    let server = Server::start(|_| {
        Reply::json(
            403,
            json!({"message": "Missing permission", "code": "missing.permissions", "status": 403}),
        )
    })
    .await;
    let outcome = common::run(Program::PresenceWatch, &["--user", USER_A], &server.env()).await;
    assert_eq!(outcome.code, 1, "{}", outcome.stderr);
    assert_eq!(outcome.stdout, "");
    assert_eq!(outcome.stderr.lines().count(), 1, "{}", outcome.stderr);
    assert!(
        outcome.stderr.starts_with("presence_watch: ") && outcome.stderr.contains("403"),
        "{}",
        outcome.stderr
    );
    let calls: Vec<(String, String)> = server
        .api_requests()
        .iter()
        .map(|r| (r.method.clone(), r.path().to_owned()))
        .collect();
    assert_eq!(calls, [("POST".to_owned(), CHANNELS.to_owned())]);
}

#[tokio::test]
async fn bad_arguments_exit_with_2_before_any_request() {
    let server = Server::start(|_| Reply::json(500, json!({}))).await;
    let env = server.env();
    let many: Vec<String> = (0..501).map(|n| format!("user-{n}")).collect();
    let mut too_many: Vec<&str> = Vec::new();
    for user in &many {
        too_many.extend(["--user", user.as_str()]);
    }
    let cases: Vec<(&str, Vec<&str>)> = vec![
        ("no user", vec![]),
        ("an empty user", vec!["--user", ""]),
        ("a user with a dot", vec!["--user", "a.b"]),
        ("a user with a space", vec!["--user", "a b"]),
        ("a zero duration", vec!["--user", USER_A, "--duration", "0"]),
        (
            "a negative duration",
            vec!["--user", USER_A, "--duration", "-1"],
        ),
        (
            "not a duration",
            vec!["--user", USER_A, "--duration", "soon"],
        ),
        ("too many users", too_many),
    ];
    for (what, args) in cases {
        let outcome = common::run(Program::PresenceWatch, &args, &env).await;
        assert_eq!(outcome.code, 2, "{what}: {}", outcome.stderr);
        assert_eq!(outcome.stdout, "", "{what}");
        assert!(!outcome.stderr.is_empty(), "{what}");
    }
    let outcome = common::run(Program::PresenceWatch, &[], &env).await;
    assert!(outcome.stderr.contains("--user <ID>"), "{}", outcome.stderr);
    let mut args = Vec::new();
    for user in &many {
        args.extend(["--user", user.as_str()]);
    }
    let outcome = common::run(Program::PresenceWatch, &args, &env).await;
    assert_eq!(
        outcome.stderr,
        "presence_watch: at most 500 users (1000 topics on one channel, 2 per user); 501 given\n"
    );
    assert!(server.requests().is_empty());
}

//! Notifications (`runtime::notifications`, feature `notifications-ws`) against a scripted
//! HTTP server for the channel and subscription endpoints and a real WebSocket server, both
//! on 127.0.0.1: events in order and decoded, a silent connection replaced, `socket_closing`
//! answered by a new connection with every subscription, an expired channel re-created, the
//! topic limit enforced before any request, 1,000 topics in one request, no token in the
//! logs, and a dropped stream that stops all work. Every wait is bounded.

use std::collections::BTreeSet;
use std::future::Future;
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use runtime_client::runtime::notifications::{
    Notification, NotificationChannel, NotificationError, NotificationOptions, NotificationStream,
    ReconnectReason, Status, MAX_TOPICS_PER_CHANNEL,
};
use runtime_client::runtime::WireLog;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

use crate::server::{Recorded, Reply, Server};

const SUBSCRIPTIONS: &str = "/subscriptions";
const USER_A: &str = "0b9d2f8e-1c3a-4e5f-8a7b-6c5d4e3f2a10";
const USER_B: &str = "7e6d5c4b-3a29-4180-9f8e-7d6c5b4a3921";

/// Bounds every wait of a test.
async fn within<T>(what: &str, future: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(5), future)
        .await
        .unwrap_or_else(|_| panic!("timed out waiting for {what}"))
}

/// A Genesys stand-in: the notification REST endpoints on a scripted HTTP server, channels
/// `ch0`, `ch1`, ... whose WebSockets a second server accepts and hands to the test.
struct Genesys {
    http: Server,
    expired: Arc<Mutex<BTreeSet<String>>>,
    /// Answers every request with 403 while set.
    refuse: Arc<AtomicBool>,
    /// Hangs up on every WebSocket connection while set.
    sockets_down: Arc<AtomicBool>,
    sockets: mpsc::UnboundedReceiver<(String, WebSocketStream<TcpStream>)>,
}

impl Genesys {
    async fn start() -> Genesys {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let ws_base = format!("ws://{}", listener.local_addr().unwrap());
        let (sender, sockets) = mpsc::unbounded_channel();
        let sockets_down = Arc::new(AtomicBool::new(false));
        let down = Arc::clone(&sockets_down);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                if down.load(Ordering::SeqCst) {
                    // Hang up before the handshake.
                    drop(stream);
                    continue;
                }
                let sender = sender.clone();
                tokio::spawn(async move {
                    let mut path = String::new();
                    // The handshake callback's error type is tungstenite's, not ours.
                    #[allow(clippy::result_large_err)]
                    let callback = |request: &Request, response: Response| {
                        path = request.uri().path().to_owned();
                        Ok(response)
                    };
                    if let Ok(socket) = tokio_tungstenite::accept_hdr_async(stream, callback).await
                    {
                        let _ = sender.send((path, socket));
                    }
                });
            }
        });
        let expired = Arc::new(Mutex::new(BTreeSet::<String>::new()));
        let channels = AtomicUsize::new(0);
        let gone = Arc::clone(&expired);
        let refuse = Arc::new(AtomicBool::new(false));
        let refused = Arc::clone(&refuse);
        let http = Server::start(move |_, request: &Recorded| {
            if refused.load(Ordering::SeqCst) {
                return Reply::json(403, serde_json::json!({"code": "missing.permissions"}));
            }
            let path = request.path();
            let Some(rest) = path.strip_prefix("/api/v2/notifications/channels") else {
                return Reply::status(404);
            };
            if rest.is_empty() && request.method == "POST" {
                let id = format!("ch{}", channels.fetch_add(1, Ordering::SeqCst));
                return Reply::json(
                    200,
                    serde_json::json!({
                        "id": id,
                        "connectUri": format!("{ws_base}/channels/{id}"),
                        "expires": "2026-12-03T04:00:00.000Z",
                    }),
                );
            }
            let rest = rest.trim_start_matches('/');
            let id = rest.split('/').next().unwrap_or_default();
            if gone.lock().unwrap().contains(id) {
                if request.method == "HEAD" {
                    // A HEAD answer has no body.
                    return Reply::status(404);
                }
                return Reply::json(404, serde_json::json!({"code": "not.found", "status": 404}));
            }
            match (request.method.as_str(), rest.ends_with(SUBSCRIPTIONS)) {
                ("HEAD", false) => Reply::status(200),
                ("PUT" | "POST", true) => {
                    Reply::json(200, serde_json::json!({ "entities": request.json() }))
                }
                ("DELETE", true) => Reply::status(204),
                ("GET", true) => Reply::json(
                    200,
                    serde_json::json!({"entities": [{"id": format!("v2.users.{USER_A}.presence")}]}),
                ),
                _ => Reply::status(404),
            }
        })
        .await;
        Genesys {
            http,
            expired,
            refuse,
            sockets_down,
            sockets,
        }
    }

    fn client(&self) -> runtime_client::Client {
        crate::client(&self.http)
    }

    /// The next WebSocket the client opened, with the path it asked for.
    async fn socket(&mut self) -> (String, WebSocketStream<TcpStream>) {
        within("a WebSocket connection", self.sockets.recv())
            .await
            .expect("the WebSocket server runs")
    }

    /// The subscription requests so far: method, channel path, topics.
    fn subscriptions(&self) -> Vec<(String, String, Vec<String>)> {
        self.http
            .requests()
            .into_iter()
            .filter(|r| r.path().ends_with(SUBSCRIPTIONS) && r.method != "GET")
            .map(|r| {
                let topics = if r.body.is_empty() {
                    Vec::new()
                } else {
                    r.json()
                        .as_array()
                        .expect("a list of topics")
                        .iter()
                        .map(|t| t["id"].as_str().expect("a topic id").to_owned())
                        .collect()
                };
                (r.method.clone(), r.path().to_owned(), topics)
            })
            .collect()
    }
}

fn presence(user: &str) -> String {
    format!("v2.users.{user}.presence")
}

fn heartbeat() -> Message {
    Message::text(
        r#"{"topicName":"channel.metadata","eventBody":{"message":"WebSocket Heartbeat"}}"#,
    )
}

fn event(topic: &str, body: serde_json::Value) -> Message {
    let text = serde_json::json!({"topicName": topic, "version": "2", "eventBody": body, "metadata": {"CorrelationId": "c-1"}});
    Message::text(text.to_string())
}

/// Quick reconnection for tests.
fn fast() -> NotificationOptions {
    NotificationOptions::new()
        .backoff(Duration::from_millis(10), Duration::from_millis(40))
        .connect_timeout(Duration::from_secs(2))
        .request_timeout(Duration::from_secs(2))
}

async fn next(stream: &mut NotificationStream) -> Notification {
    within("a notification", stream.recv())
        .await
        .expect("the stream goes on")
        .expect("not an error")
}

async fn next_status(stream: &mut NotificationStream) -> Status {
    match next(stream).await {
        Notification::Status(status) => status,
        other => panic!("expected a status, got {other:?}"),
    }
}

#[test]
fn channels_and_streams_can_move_between_tasks() {
    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>() {}
    send_sync::<NotificationChannel>();
    send_sync::<NotificationError>();
    send::<NotificationStream>();
}

#[tokio::test]
async fn events_arrive_in_order_with_their_ids_and_one_decodes_into_a_typed_struct() {
    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Presence {
        #[serde(rename = "presenceDefinition")]
        definition: Definition,
        source: String,
    }
    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Definition {
        #[serde(rename = "systemPresence")]
        system_presence: String,
    }

    let mut genesys = Genesys::start().await;
    let client = genesys.client();
    let channel = within(
        "the channel",
        NotificationChannel::create_with(&client, fast()),
    )
    .await
    .unwrap();
    assert_eq!(channel.info().id, "ch0");
    assert_eq!(
        channel.info().expires.as_deref(),
        Some("2026-12-03T04:00:00.000Z")
    );
    within(
        "subscribe",
        channel.subscribe([presence(USER_A), presence(USER_B), presence(USER_A)]),
    )
    .await
    .unwrap();
    assert_eq!(channel.topics(), [presence(USER_A), presence(USER_B)]);
    let mut stream = within("connect", channel.connect()).await.unwrap();
    let (path, mut socket) = genesys.socket().await;
    assert_eq!(path, "/channels/ch0");

    socket.send(heartbeat()).await.unwrap();
    for (n, user) in [USER_A, USER_B, USER_A].iter().enumerate() {
        let body = serde_json::json!({
            "presenceDefinition": {"systemPresence": format!("state{n}")},
            "source": "PURECLOUD",
        });
        socket.send(event(&presence(user), body)).await.unwrap();
    }
    assert_eq!(next_status(&mut stream).await, Status::Heartbeat);
    let mut events = Vec::new();
    for _ in 0..3 {
        match next(&mut stream).await {
            Notification::Event(event) => events.push(event),
            other => panic!("expected an event, got {other:?}"),
        }
    }
    let order: Vec<(&str, &str)> = events
        .iter()
        .map(|e| {
            (
                e.ids()[0],
                e.body()["presenceDefinition"]["systemPresence"]
                    .as_str()
                    .unwrap(),
            )
        })
        .collect();
    assert_eq!(
        order,
        [(USER_A, "state0"), (USER_B, "state1"), (USER_A, "state2")]
    );
    assert_eq!(events[1].pattern(), "v2.users.{id}.presence");
    assert_eq!(
        events[1].matches("v2.users.{id}.presence"),
        Some(vec![USER_B])
    );
    assert_eq!(events[1].correlation_id(), Some("c-1"));
    let typed: Presence = events[2].decode().unwrap();
    assert_eq!(
        typed,
        Presence {
            definition: Definition {
                system_presence: "state2".into()
            },
            source: "PURECLOUD".into()
        }
    );
    let error = events[0].decode::<Vec<String>>().unwrap_err();
    assert!(
        matches!(error, NotificationError::Decode { .. }),
        "{error:?}"
    );

    // The REST calls went through the client: its token, a JSON list of topic ids, one
    // request for the two new topics (the repeat was dropped).
    let requests = genesys.http.requests();
    assert_eq!(requests[0].method, "POST");
    assert_eq!(requests[0].path(), "/api/v2/notifications/channels");
    assert!(requests
        .iter()
        .all(|r| r.header("authorization") == Some("Bearer test-token")));
    assert_eq!(
        genesys.subscriptions(),
        [(
            "POST".to_owned(),
            "/api/v2/notifications/channels/ch0/subscriptions".to_owned(),
            vec![presence(USER_A), presence(USER_B)]
        )]
    );
}

#[tokio::test]
async fn a_silent_connection_is_pinged_then_replaced_with_every_topic() {
    let mut genesys = Genesys::start().await;
    let client = genesys.client();
    let options = fast().heartbeat_timeout(Duration::from_millis(400));
    let channel = NotificationChannel::create_with(&client, options)
        .await
        .unwrap();
    within("subscribe", channel.subscribe([presence(USER_A)]))
        .await
        .unwrap();
    let mut stream = channel.connect().await.unwrap();
    let (_, mut silent) = genesys.socket().await;

    // The first heartbeat arrives; then the server says nothing, not even to the ping.
    silent.send(heartbeat()).await.unwrap();
    assert_eq!(next_status(&mut stream).await, Status::Heartbeat);
    let started = std::time::Instant::now();
    match next_status(&mut stream).await {
        Status::Reconnecting {
            attempt: 1,
            reason: ReconnectReason::HeartbeatMissed { silent_for },
            ..
        } => assert!(silent_for >= Duration::from_millis(400), "{silent_for:?}"),
        other => panic!("expected a missed heartbeat, got {other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(2));
    let ping = within("the ping", silent.next()).await.unwrap().unwrap();
    assert_eq!(ping, Message::text(r#"{"message":"ping"}"#));

    assert_eq!(
        next_status(&mut stream).await,
        Status::Resubscribed {
            channel_id: "ch0".into(),
            topics: 1
        }
    );
    assert_eq!(
        next_status(&mut stream).await,
        Status::Reconnected {
            channel_id: "ch0".into()
        }
    );
    let (path, mut fresh) = genesys.socket().await;
    assert_eq!(path, "/channels/ch0");
    let last = genesys.subscriptions().pop().unwrap();
    assert_eq!(last.0, "PUT");
    assert_eq!(last.2, [presence(USER_A)]);
    fresh
        .send(event(&presence(USER_A), serde_json::json!({"n": 1})))
        .await
        .unwrap();
    match next(&mut stream).await {
        Notification::Event(event) => assert_eq!(event.body()["n"], 1),
        other => panic!("expected the event, got {other:?}"),
    }
}

#[tokio::test]
async fn a_ping_answered_keeps_the_connection() {
    let mut genesys = Genesys::start().await;
    let client = genesys.client();
    let options = fast().heartbeat_timeout(Duration::from_secs(1));
    let channel = NotificationChannel::create_with(&client, options)
        .await
        .unwrap();
    let mut stream = channel.connect().await.unwrap();
    let (_, mut socket) = genesys.socket().await;
    let answer = tokio::spawn(async move {
        for _ in 0..3 {
            let Some(Ok(ping)) = socket.next().await else {
                return false;
            };
            assert_eq!(ping, Message::text(r#"{"message":"ping"}"#));
            let pong = r#"{"topicName":"channel.metadata","eventBody":{"message":"pong"}}"#;
            socket.send(Message::text(pong)).await.unwrap();
        }
        true
    });
    for _ in 0..3 {
        assert_eq!(next_status(&mut stream).await, Status::Heartbeat);
    }
    assert!(within("the pongs", answer).await.unwrap());
    assert!(genesys.sockets.try_recv().is_err(), "no second connection");
}

#[tokio::test]
async fn socket_closing_leads_to_a_new_connection_without_losing_a_subscription() {
    let mut genesys = Genesys::start().await;
    let client = genesys.client();
    let channel = NotificationChannel::create_with(&client, fast())
        .await
        .unwrap();
    channel
        .subscribe([presence(USER_A), presence(USER_B)])
        .await
        .unwrap();
    let mut stream = channel.connect().await.unwrap();
    let (_, mut old) = genesys.socket().await;
    old.send(Message::text(
        r#"{"topicName":"v2.system.socket_closing","eventBody":{"message":"closing in 1 minute"}}"#,
    ))
    .await
    .unwrap();

    assert_eq!(next_status(&mut stream).await, Status::SocketClosing);
    assert_eq!(
        next_status(&mut stream).await,
        Status::Reconnecting {
            attempt: 1,
            reason: ReconnectReason::SocketClosing,
            wait: Duration::ZERO
        }
    );
    assert_eq!(
        next_status(&mut stream).await,
        Status::Resubscribed {
            channel_id: "ch0".into(),
            topics: 2
        }
    );
    assert_eq!(
        next_status(&mut stream).await,
        Status::Reconnected {
            channel_id: "ch0".into()
        }
    );
    let (path, mut new) = genesys.socket().await;
    assert_eq!(path, "/channels/ch0");
    let subscriptions = genesys.subscriptions();
    assert_eq!(subscriptions.len(), 2);
    assert_eq!(subscriptions[1].0, "PUT");
    assert_eq!(subscriptions[1].2, [presence(USER_A), presence(USER_B)]);
    // The old socket is let go once the new one is open.
    let closed = within("the old socket to close", old.next()).await;
    assert!(matches!(closed, Some(Ok(Message::Close(_)))), "{closed:?}");

    new.send(event(&presence(USER_B), serde_json::json!({"after": true})))
        .await
        .unwrap();
    match next(&mut stream).await {
        Notification::Event(event) => assert_eq!(event.ids(), [USER_B]),
        other => panic!("expected the event, got {other:?}"),
    }
}

#[tokio::test]
async fn an_expired_channel_is_replaced_and_every_topic_subscribed_again() {
    let mut genesys = Genesys::start().await;
    let client = genesys.client();
    let channel = NotificationChannel::create_with(&client, fast())
        .await
        .unwrap();
    let topics = [
        presence(USER_A),
        presence(USER_B),
        "v2.routing.queues.q1.conversations".to_owned(),
    ];
    channel.subscribe(topics.clone()).await.unwrap();
    let mut stream = channel.connect().await.unwrap();
    let (_, mut old) = genesys.socket().await;

    genesys.expired.lock().unwrap().insert("ch0".into());
    old.close(None).await.unwrap();
    assert_eq!(
        next_status(&mut stream).await,
        Status::Reconnecting {
            attempt: 1,
            reason: ReconnectReason::Closed,
            wait: Duration::from_millis(10)
        }
    );
    assert_eq!(
        next_status(&mut stream).await,
        Status::ChannelRecreated {
            old_id: "ch0".into(),
            new_id: "ch1".into()
        }
    );
    assert_eq!(
        next_status(&mut stream).await,
        Status::Resubscribed {
            channel_id: "ch1".into(),
            topics: 3
        }
    );
    assert_eq!(
        next_status(&mut stream).await,
        Status::Reconnected {
            channel_id: "ch1".into()
        }
    );
    let (path, mut new) = genesys.socket().await;
    assert_eq!(path, "/channels/ch1");
    assert_eq!(channel.info().id, "ch1");
    assert_eq!(channel.topics(), topics);
    let subscriptions = genesys.subscriptions();
    let paths: Vec<(&str, &str)> = subscriptions
        .iter()
        .map(|(m, p, _)| (m.as_str(), p.as_str()))
        .collect();
    assert_eq!(
        paths,
        [
            ("POST", "/api/v2/notifications/channels/ch0/subscriptions"),
            ("PUT", "/api/v2/notifications/channels/ch0/subscriptions"),
            ("PUT", "/api/v2/notifications/channels/ch1/subscriptions"),
        ]
    );
    assert_eq!(subscriptions[2].2, topics);

    new.send(event(
        "v2.routing.queues.q1.conversations",
        serde_json::json!({}),
    ))
    .await
    .unwrap();
    match next(&mut stream).await {
        Notification::Event(event) => assert_eq!(event.ids(), ["q1"]),
        other => panic!("expected the event, got {other:?}"),
    }
}

#[tokio::test]
async fn a_channel_that_is_gone_is_not_reused() {
    let genesys = Genesys::start().await;
    let client = genesys.client();
    let first = NotificationChannel::create(&client).await.unwrap().info();
    let reused = NotificationChannel::reuse(&client, first.clone(), fast())
        .await
        .unwrap();
    assert_eq!(reused.info(), first);
    assert_eq!(reused.topics(), [presence(USER_A)], "the topics it has");
    genesys.expired.lock().unwrap().insert("ch0".into());
    let replaced = NotificationChannel::reuse(&client, first, fast())
        .await
        .unwrap();
    assert_eq!(replaced.info().id, "ch1");
    assert!(replaced.topics().is_empty());
}

#[tokio::test]
async fn more_than_a_thousand_topics_are_refused_before_any_request() {
    let genesys = Genesys::start().await;
    let client = genesys.client();
    let channel = NotificationChannel::create_with(&client, fast())
        .await
        .unwrap();
    let before = genesys.http.count();
    let topics: Vec<String> = (0..1500)
        .map(|n| format!("v2.users.u{n}.presence"))
        .collect();

    let error = channel.subscribe(topics.clone()).await.unwrap_err();
    assert!(
        matches!(
            error,
            NotificationError::TooManyTopics {
                requested: 1500,
                limit: MAX_TOPICS_PER_CHANNEL
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "a notification channel can have at most 1000 topics; this change would give it 1500"
    );
    let error = channel
        .set_topics(topics[..1001].to_vec())
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        NotificationError::TooManyTopics {
            requested: 1001,
            ..
        }
    ));
    // 600 fit; 600 more would make 1,200.
    channel.subscribe(topics[..600].to_vec()).await.unwrap();
    let sent = genesys.http.count();
    let error = channel
        .subscribe(topics[600..1200].to_vec())
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        NotificationError::TooManyTopics {
            requested: 1200,
            ..
        }
    ));
    assert_eq!(
        genesys.http.count(),
        sent,
        "nothing sent for the refused change"
    );
    assert_eq!(sent, before + 1, "only the 600 were sent");
    assert_eq!(channel.topics().len(), 600);
    let error = channel
        .subscribe(["v2.users.a b.presence"])
        .await
        .unwrap_err();
    assert!(
        matches!(error, NotificationError::InvalidTopic { .. }),
        "{error:?}"
    );
    assert_eq!(genesys.http.count(), sent);
}

#[tokio::test]
async fn a_thousand_topics_go_in_one_request() {
    let genesys = Genesys::start().await;
    let client = genesys.client();
    let channel = NotificationChannel::create_with(&client, fast())
        .await
        .unwrap();
    let topics: Vec<String> = (0..1000)
        .map(|n| format!("v2.users.u{n}.presence"))
        .collect();
    channel.subscribe(topics.clone()).await.unwrap();
    channel
        .set_topics(topics.iter().rev().cloned())
        .await
        .unwrap();
    channel.unsubscribe(topics[..999].to_vec()).await.unwrap();
    channel.unsubscribe_all().await.unwrap();
    let subscriptions = genesys.subscriptions();
    let shape: Vec<(&str, usize)> = subscriptions
        .iter()
        .map(|(m, _, t)| (m.as_str(), t.len()))
        .collect();
    assert_eq!(
        shape,
        [("POST", 1000), ("PUT", 1000), ("PUT", 1), ("DELETE", 0)]
    );
    assert_eq!(subscriptions[0].2, topics);
    assert_eq!(subscriptions[2].2, [topics[999].clone()]);
    assert!(channel.topics().is_empty());
}

/// Everything the subscriber writes, in one buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_token_reaches_the_logs_even_with_wire_logging() {
    let mut genesys = Genesys::start().await;
    let client = runtime_client::Client::builder()
        .base_url(genesys.http.url())
        .bearer_token("secret-notification-token")
        .retry(crate::fast_retries())
        .log_wire(WireLog::on())
        .build()
        .unwrap();
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::TRACE)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let options = fast();
    let channel = NotificationChannel::create_with(&client, options)
        .await
        .unwrap();
    channel.subscribe([presence(USER_A)]).await.unwrap();
    let mut stream = channel.connect().await.unwrap();
    let (_, mut socket) = genesys.socket().await;
    socket
        .send(event(&presence(USER_A), serde_json::json!({})))
        .await
        .unwrap();
    assert!(matches!(next(&mut stream).await, Notification::Event(_)));
    // A reconnection too: its resubscription is logged the same way.
    socket.close(None).await.unwrap();
    loop {
        if let Status::Reconnected { .. } = next_status(&mut stream).await {
            break;
        }
    }
    drop(stream);

    let text = String::from_utf8_lossy(&captured.0.lock().unwrap()).into_owned();
    assert!(
        text.contains("/api/v2/notifications/channels/ch0/subscriptions"),
        "{text}"
    );
    assert!(
        text.contains("[redacted]") || text.contains("redacted"),
        "{text}"
    );
    assert!(!text.contains("secret-notification-token"), "{text}");
}

#[tokio::test]
async fn dropping_the_stream_closes_the_socket_and_stops_all_work() {
    let mut genesys = Genesys::start().await;
    let client = genesys.client();
    let options = fast().heartbeat_timeout(Duration::from_millis(100));
    let channel = NotificationChannel::create_with(&client, options)
        .await
        .unwrap();
    channel.subscribe([presence(USER_A)]).await.unwrap();
    let mut stream = channel.connect().await.unwrap();
    let (_, mut socket) = genesys.socket().await;
    socket.send(heartbeat()).await.unwrap();
    assert_eq!(next_status(&mut stream).await, Status::Heartbeat);
    let requests = genesys.http.count();

    drop(stream);
    // The server sees the connection end, and nothing follows: no ping, no reconnection,
    // no request, though the heartbeat timeout passes several times over.
    let end = within("the socket to close", socket.next()).await;
    assert!(!matches!(end, Some(Ok(Message::Text(_)))), "{end:?}");
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(genesys.http.count(), requests);
    assert!(genesys.sockets.try_recv().is_err(), "no new connection");
}

#[tokio::test]
async fn the_stream_gives_up_when_genesys_refuses_the_resubscription() {
    let mut genesys = Genesys::start().await;
    let client = genesys.client();
    let channel = NotificationChannel::create_with(&client, fast())
        .await
        .unwrap();
    channel.subscribe([presence(USER_A)]).await.unwrap();
    let mut stream = channel.connect().await.unwrap();
    let (_, mut socket) = genesys.socket().await;
    genesys.refuse.store(true, Ordering::SeqCst);
    socket.close(None).await.unwrap();
    assert!(matches!(
        next_status(&mut stream).await,
        Status::Reconnecting { attempt: 1, .. }
    ));
    let error = within("the error", stream.recv())
        .await
        .unwrap()
        .unwrap_err();
    match &error {
        NotificationError::GaveUp { attempts: 1, last } => {
            assert!(
                matches!(**last, NotificationError::Api(ref e) if e.status() == Some(403)),
                "{last:?}"
            );
        }
        other => panic!("expected GaveUp, got {other:?}"),
    }
    assert!(error.to_string().contains("403"), "{error}");
    assert!(within("the end", stream.recv()).await.is_none());
    assert!(genesys.sockets.try_recv().is_err(), "no new connection");
}

#[tokio::test]
async fn reconnection_backs_off_and_gives_up_after_the_attempts_allowed() {
    let mut genesys = Genesys::start().await;
    let client = genesys.client();
    let options = fast().max_reconnect_attempts(3);
    let channel = NotificationChannel::create_with(&client, options)
        .await
        .unwrap();
    channel.subscribe([presence(USER_A)]).await.unwrap();
    let mut stream = channel.connect().await.unwrap();
    let (_, mut socket) = genesys.socket().await;
    genesys.sockets_down.store(true, Ordering::SeqCst);
    socket.close(None).await.unwrap();

    let mut attempts = Vec::new();
    let error = loop {
        match within("the stream", stream.recv()).await {
            Some(Ok(Notification::Status(Status::Reconnecting {
                attempt,
                reason,
                wait,
            }))) => attempts.push((attempt, reason, wait.as_millis())),
            Some(Ok(Notification::Status(Status::Resubscribed { .. }))) => {}
            Some(Ok(other)) => panic!("unexpected {other:?}"),
            Some(Err(error)) => break error,
            None => panic!("ended without an error"),
        }
    };
    let waits: Vec<(u32, u128)> = attempts.iter().map(|(n, _, w)| (*n, *w)).collect();
    assert_eq!(waits, [(1, 10), (2, 20), (3, 40)]);
    assert_eq!(attempts[0].1, ReconnectReason::Closed);
    assert!(
        matches!(attempts[1].1, ReconnectReason::Failed(_)),
        "{attempts:?}"
    );
    match &error {
        NotificationError::GaveUp { attempts: 3, last } => {
            assert!(
                matches!(**last, NotificationError::Connect { .. }),
                "{last:?}"
            );
        }
        other => panic!("expected GaveUp, got {other:?}"),
    }
    assert!(within("the end", stream.recv()).await.is_none());
    // Each attempt subscribed the topic again before it tried the socket.
    let puts = genesys
        .subscriptions()
        .iter()
        .filter(|(m, _, _)| m == "PUT")
        .count();
    assert_eq!(puts, 3);
}

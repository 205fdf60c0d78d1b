//! Live events over Genesys Cloud's WebSocket notification channels (cargo feature
//! `notifications-ws`): a channel, its topics, and a [`NotificationStream`] that stays
//! connected. It calls the notification endpoints itself, through the client's request
//! machinery (authentication, retries, timeouts, wire log), since a crate generated without
//! the Notifications API group has no operations for them.
//!
//! # Channels and topics
//!
//! [`NotificationChannel::create`] makes a channel (`POST /api/v2/notifications/channels`);
//! [`NotificationChannel::reuse`] takes one made before, when it still exists (`HEAD`), or
//! makes a new one. Topics are names such as `v2.users.{id}.presence`:
//! [`subscribe`](NotificationChannel::subscribe) adds them (`POST .../subscriptions`),
//! [`set_topics`](NotificationChannel::set_topics) replaces them (`PUT`),
//! [`unsubscribe`](NotificationChannel::unsubscribe) and
//! [`unsubscribe_all`](NotificationChannel::unsubscribe_all) remove them (`PUT` of the rest,
//! or `DELETE`). Genesys allows [`MAX_TOPICS_PER_CHANNEL`] (1,000) topics on a channel and
//! refuses more; a change that would go past it is refused before any request with
//! [`NotificationError::TooManyTopics`], and up to 1,000 topics go in one request. Genesys
//! also allows 20 channels per user and OAuth client, replacing the oldest unconnected one
//! past that; the client does not count them.
//!
//! # The stream
//!
//! [`NotificationChannel::connect`] opens the channel's WebSocket and answers a
//! [`NotificationStream`] of [`Notification`]s: each an [`Event`] (its topic, the ids in the
//! topic name, the raw `eventBody`, and [`Event::decode`] into any serde type) or a
//! [`Status`], a non-fatal report a caller may log. The stream keeps itself connected:
//!
//! - Genesys sends a heartbeat on `channel.metadata` about every 30 seconds
//!   ([`Status::Heartbeat`]). After half the
//!   [`heartbeat_timeout`](NotificationOptions::heartbeat_timeout) (60 s by default) without
//!   any message, the client sends `{"message":"ping"}`, which Genesys answers on the same
//!   topic; a connection silent for the whole timeout is taken as dead.
//! - On a dead or closed connection, or when Genesys warns that it will close the socket
//!   (`v2.system.socket_closing`, [`Status::SocketClosing`]), the stream reconnects
//!   ([`Status::Reconnecting`], then [`Status::Reconnected`]): it subscribes every topic
//!   again (`PUT`, [`Status::Resubscribed`]), so no subscription is lost, and opens a new
//!   socket. After `socket_closing` the new socket is opened before the old one is dropped.
//! - A channel that expired (Genesys keeps one 24 hours: a 404 to the resubscription, or to
//!   the `HEAD` of a channel without topics) is replaced by a new one with every topic
//!   ([`Status::ChannelRecreated`]); [`NotificationChannel::info`] then names the new one.
//! - Failed attempts are retried after a backoff that doubles up to
//!   [`backoff`](NotificationOptions::backoff)'s bound; after
//!   [`max_reconnect_attempts`](NotificationOptions::max_reconnect_attempts) failures in a
//!   row, or at once when Genesys refuses the request (HTTP 400, 401 or 403), the stream
//!   yields [`NotificationError::GaveUp`] and ends.
//!
//! Every wait is bounded: the WebSocket handshake by
//! [`connect_timeout`](NotificationOptions::connect_timeout), each REST call the stream makes
//! by [`request_timeout`](NotificationOptions::request_timeout) (and the client's own
//! timeouts), each ping by the heartbeat timeout. The stream runs no task of its own: it
//! works while it is polled, and dropping it closes the socket and stops everything. Silence
//! is only counted while the stream is polled, so a caller that takes its time with an event
//! is not taken for a dead connection. One stream per channel: Genesys lets one WebSocket use
//! a channel at a time and disconnects the first when a second connects.
//!
//! The connection URI Genesys answers (`wss://streaming.{region domain}/channels/{id}`)
//! carries no token, and the REST calls are logged by the wire log with the usual
//! redaction. A `ws://` (unencrypted) URI is refused unless the client's own base URL is
//! `http://`, as in tests against a local server. The socket connects directly, with the
//! TLS roots of `webpki-roots`: the client's proxy and extra root certificates apply to the
//! REST calls only.
//!
//! # Typed events
//!
//! The Genesys definition describes no topic's event body, so events carry a
//! `serde_json::Value` and [`Event::decode`] turns it into the caller's type. Where a
//! definition carries topic schemas, a generated `Topic` enum mapping topic patterns to
//! models could be added later; [`Event::pattern`] is the key it would match.
//!
//! # Example
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use genesys_cloud::runtime::notifications::{
//!     Notification, NotificationChannel, Status,
//! };
//!
//! #[derive(Debug, serde::Deserialize)]
//! struct Presence {
//!     #[serde(rename = "presenceDefinition")]
//!     definition: Option<serde_json::Value>,
//! }
//!
//! let client = genesys_cloud::Client::from_env()?;
//! let channel = NotificationChannel::create(&client).await?;
//! channel
//!     .subscribe(["v2.users.2f4f3c1a-7c55-4b8f-9c7e-0d1f2a3b4c5d.presence"])
//!     .await?;
//! let mut stream = channel.connect().await?;
//! while let Some(item) = stream.recv().await {
//!     match item? {
//!         Notification::Event(event) if event.matches("v2.users.{id}.presence").is_some() => {
//!             let presence: Presence = event.decode()?;
//!             println!("{}: {:?}", event.ids()[0], presence.definition);
//!         }
//!         Notification::Event(event) => println!("{}: {}", event.topic(), event.body()),
//!         Notification::Status(Status::Heartbeat) => {}
//!         Notification::Status(status) => eprintln!("notifications: {status}"),
//!         _ => {}
//!     }
//! }
//! # Ok(()) }
//! ```

use std::collections::{BTreeSet, VecDeque};
use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::Message;

use super::request::{Request, Response};
use super::{Client, Error};

/// The most topics Genesys allows on one channel (and one WebSocket).
pub const MAX_TOPICS_PER_CHANNEL: usize = 1000;

/// The topic of heartbeats and of the answers to pings.
const METADATA_TOPIC: &str = "channel.metadata";

/// The topic of the warning Genesys sends before it closes a socket.
const SOCKET_CLOSING_TOPIC: &str = "v2.system.socket_closing";

/// What the client sends to make Genesys answer on `channel.metadata`.
const PING: &str = r#"{"message":"ping"}"#;

/// The longest wait for the close frame of a socket being replaced.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(1);

/// How much of an unrecognised message a [`Status::Unrecognized`] keeps.
const UNRECOGNIZED_CHARS: usize = 200;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// How a [`NotificationStream`] stays connected: the heartbeat bound, the timeouts and the
/// reconnection backoff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationOptions {
    heartbeat_timeout: Duration,
    connect_timeout: Duration,
    request_timeout: Duration,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_reconnect_attempts: u32,
    topics_per_request: usize,
}

impl Default for NotificationOptions {
    /// A 60 s heartbeat timeout (two of Genesys's 30 s heartbeats), 10 s to connect, 30 s
    /// for each REST call, backoff from 500 ms doubling up to 30 s, 10 attempts in a row.
    fn default() -> Self {
        NotificationOptions {
            heartbeat_timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_reconnect_attempts: 10,
            topics_per_request: MAX_TOPICS_PER_CHANNEL,
        }
    }
}

impl NotificationOptions {
    /// The defaults: a 60 s heartbeat timeout, 10 s to connect, 30 s for each REST call,
    /// backoff from 500 ms doubling up to 30 s, 10 attempts in a row.
    pub fn new() -> Self {
        Self::default()
    }

    /// How long a connection may stay silent (no heartbeat, no event, no answer to the
    /// ping sent halfway) before it is taken as dead and replaced. At least 10 ms.
    pub fn heartbeat_timeout(mut self, timeout: Duration) -> Self {
        self.heartbeat_timeout = timeout.max(Duration::from_millis(10));
        self
    }

    /// The longest wait for a WebSocket connection and its handshake. At least 1 ms.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout.max(Duration::from_millis(1));
        self
    }

    /// The longest wait for each REST call the stream makes while it reconnects (the
    /// client's per-attempt timeout and retry policy apply within it). At least 1 ms.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout.max(Duration::from_millis(1));
        self
    }

    /// The wait before the first reconnection attempt after a failure, doubling with each
    /// further attempt up to `max`. A reconnection after `socket_closing` starts at once.
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// How many reconnection attempts in a row may fail before the stream gives up with
    /// [`NotificationError::GaveUp`]. At least 1. A connection that delivers a message
    /// starts the count again.
    pub fn max_reconnect_attempts(mut self, attempts: u32) -> Self {
        self.max_reconnect_attempts = attempts.max(1);
        self
    }

    /// The wait before reconnection attempt `attempt` (1-based) for `reason`.
    fn wait_before(&self, attempt: u32, reason: &ReconnectReason) -> Duration {
        if attempt <= 1 && *reason == ReconnectReason::SocketClosing {
            return Duration::ZERO;
        }
        let doublings = attempt.saturating_sub(1).min(20);
        self.initial_backoff
            .saturating_mul(1u32 << doublings)
            .min(self.max_backoff)
    }
}

/// A channel as Genesys describes it: its id, the URI of its WebSocket, and when it
/// expires. Keep it to [`reuse`](NotificationChannel::reuse) the channel later.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ChannelInfo {
    /// The channel id.
    pub id: String,
    /// The WebSocket URI (`wss://streaming.{region domain}/channels/{id}`).
    pub connect_uri: String,
    /// When the channel expires, as Genesys wrote it (ISO 8601), when it said.
    pub expires: Option<String>,
}

impl ChannelInfo {
    /// A channel known by its id and connection URI.
    pub fn new(id: impl Into<String>, connect_uri: impl Into<String>) -> Self {
        ChannelInfo {
            id: id.into(),
            connect_uri: connect_uri.into(),
            expires: None,
        }
    }
}

/// The channel as `POST /api/v2/notifications/channels` answers it.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct ChannelJson {
    id: Option<String>,
    connect_uri: Option<String>,
    expires: Option<String>,
}

/// One topic of a subscription request's body, and of the listing that answers it.
#[derive(serde::Serialize, serde::Deserialize)]
struct TopicJson<'a> {
    #[serde(borrow)]
    id: std::borrow::Cow<'a, str>,
}

/// `GET /api/v2/notifications/channels/{channelId}/subscriptions`.
#[derive(serde::Deserialize)]
struct TopicListing<'a> {
    #[serde(borrow, default)]
    entities: Vec<TopicJson<'a>>,
}

/// A notification channel and the topics subscribed through it. Cheap to clone: clones
/// share the channel, so one can subscribe while another's stream runs. Changes of topics
/// and the stream's reconnections run one at a time.
#[derive(Clone)]
pub struct NotificationChannel {
    shared: Arc<Shared>,
}

struct Shared {
    client: Client,
    options: NotificationOptions,
    state: Mutex<State>,
    /// Held by every change of the channel or its topics, so they do not interleave.
    changes: tokio::sync::Mutex<()>,
}

struct State {
    info: ChannelInfo,
    topics: Vec<String>,
}

impl fmt::Debug for NotificationChannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.shared.state();
        f.debug_struct("NotificationChannel")
            .field("info", &state.info)
            .field("topics", &state.topics.len())
            .field("options", &self.shared.options)
            .finish_non_exhaustive()
    }
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        // The state is replaced whole under the lock, so a poisoned one is still whole.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn snapshot(&self) -> (ChannelInfo, Vec<String>) {
        let state = self.state();
        (state.info.clone(), state.topics.clone())
    }
}

impl NotificationChannel {
    /// Creates a channel (`POST /api/v2/notifications/channels`) with the default
    /// [`NotificationOptions`].
    ///
    /// # Errors
    ///
    /// [`NotificationError::Api`] when the call fails.
    pub async fn create(client: &Client) -> Result<Self, NotificationError> {
        Self::create_with(client, NotificationOptions::default()).await
    }

    /// Creates a channel with these options.
    ///
    /// # Errors
    ///
    /// [`NotificationError::Api`] when the call fails.
    pub async fn create_with(
        client: &Client,
        options: NotificationOptions,
    ) -> Result<Self, NotificationError> {
        let info = create_channel(client).await?;
        Ok(Self::from_parts(client, options, info, Vec::new()))
    }

    /// Takes up a channel made before, when it still exists (`HEAD`), with the topics it
    /// has (`GET .../subscriptions`); otherwise creates a new one, without topics.
    /// [`info`](Self::info) says which it is.
    ///
    /// # Errors
    ///
    /// [`NotificationError::Api`] when a call fails (other than the 404 of a channel that
    /// is gone).
    pub async fn reuse(
        client: &Client,
        info: ChannelInfo,
        options: NotificationOptions,
    ) -> Result<Self, NotificationError> {
        if !channel_exists(client, &info.id).await? {
            tracing::debug!(channel_id = %info.id, "notification channel gone; creating one");
            return Self::create_with(client, options).await;
        }
        let topics = channel_topics(client, &info.id).await?;
        Ok(Self::from_parts(client, options, info, topics))
    }

    fn from_parts(
        client: &Client,
        options: NotificationOptions,
        info: ChannelInfo,
        topics: Vec<String>,
    ) -> Self {
        NotificationChannel {
            shared: Arc::new(Shared {
                client: client.clone(),
                options,
                state: Mutex::new(State { info, topics }),
                changes: tokio::sync::Mutex::new(()),
            }),
        }
    }

    /// The channel: after a stream replaced an expired one, the new one.
    pub fn info(&self) -> ChannelInfo {
        self.shared.state().info.clone()
    }

    /// The topics subscribed through this channel, in the order they were added.
    pub fn topics(&self) -> Vec<String> {
        self.shared.state().topics.clone()
    }

    /// Adds topics (`POST .../subscriptions`); ones already subscribed are skipped.
    ///
    /// # Errors
    ///
    /// [`NotificationError::InvalidTopic`] for an empty topic or one with whitespace or
    /// control characters, [`NotificationError::TooManyTopics`] when the channel would have
    /// more than [`MAX_TOPICS_PER_CHANNEL`] (both before any request), and
    /// [`NotificationError::Api`] when a call fails.
    pub async fn subscribe<I, S>(&self, topics: I) -> Result<(), NotificationError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let wanted = checked_topics(topics)?;
        let _change = self.shared.changes.lock().await;
        let (info, current) = self.shared.snapshot();
        let known: BTreeSet<&str> = current.iter().map(String::as_str).collect();
        let added: Vec<String> = wanted
            .into_iter()
            .filter(|t| !known.contains(t.as_str()))
            .collect();
        within_limit(current.len() + added.len())?;
        if added.is_empty() {
            return Ok(());
        }
        let options = &self.shared.options;
        send_topics(&self.shared.client, &info.id, &added, false, options).await?;
        self.shared.state().topics.extend(added);
        Ok(())
    }

    /// Replaces every topic of the channel with these (`PUT .../subscriptions`, or `DELETE`
    /// for none).
    ///
    /// # Errors
    ///
    /// As [`subscribe`](Self::subscribe).
    pub async fn set_topics<I, S>(&self, topics: I) -> Result<(), NotificationError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let topics = checked_topics(topics)?;
        within_limit(topics.len())?;
        let _change = self.shared.changes.lock().await;
        let id = self.shared.state().info.id.clone();
        send_topics(
            &self.shared.client,
            &id,
            &topics,
            true,
            &self.shared.options,
        )
        .await?;
        self.shared.state().topics = topics;
        Ok(())
    }

    /// Removes these topics: the channel keeps the others (`PUT .../subscriptions` with
    /// them, or `DELETE` when none is left). Topics not subscribed are ignored.
    ///
    /// # Errors
    ///
    /// [`NotificationError::InvalidTopic`] before any request, [`NotificationError::Api`]
    /// when a call fails.
    pub async fn unsubscribe<I, S>(&self, topics: I) -> Result<(), NotificationError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let removed = checked_topics(topics)?;
        let removed: BTreeSet<&str> = removed.iter().map(String::as_str).collect();
        let _change = self.shared.changes.lock().await;
        let (info, current) = self.shared.snapshot();
        let kept: Vec<String> = current
            .iter()
            .filter(|t| !removed.contains(t.as_str()))
            .cloned()
            .collect();
        if kept.len() == current.len() {
            return Ok(());
        }
        let options = &self.shared.options;
        send_topics(&self.shared.client, &info.id, &kept, true, options).await?;
        self.shared.state().topics = kept;
        Ok(())
    }

    /// Removes every topic (`DELETE .../subscriptions`).
    ///
    /// # Errors
    ///
    /// [`NotificationError::Api`] when the call fails.
    pub async fn unsubscribe_all(&self) -> Result<(), NotificationError> {
        self.set_topics(Vec::<String>::new()).await
    }

    /// Opens the channel's WebSocket: the stream of its events, which stays connected (see
    /// the [module documentation](self)).
    ///
    /// # Errors
    ///
    /// [`NotificationError::Connect`] when the socket does not open,
    /// [`NotificationError::Timeout`] when it does not open within the connect timeout.
    pub async fn connect(&self) -> Result<NotificationStream, NotificationError> {
        let uri = self.info().connect_uri;
        let socket = open_socket(&self.shared, &uri).await?;
        let now = Instant::now();
        let driver = Driver {
            channel: self.clone(),
            socket: Some(socket),
            pending: VecDeque::new(),
            reconnect: None,
            attempt: 0,
            last_heard: now,
            returned_at: now,
            pinged: false,
            done: false,
        };
        let stream = futures_util::stream::unfold(driver, |mut driver| async move {
            let item = driver.next().await?;
            Some((item, driver))
        });
        Ok(NotificationStream {
            inner: Box::pin(stream),
        })
    }
}

/// The topics as given, checked and without repeats, in their first order.
fn checked_topics<I, S>(topics: I) -> Result<Vec<String>, NotificationError>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for topic in topics {
        let topic: String = topic.into();
        let reason = if topic.is_empty() {
            Some("it is empty")
        } else if topic.chars().any(|c| c.is_whitespace() || c.is_control()) {
            Some("it contains whitespace or control characters")
        } else {
            None
        };
        if let Some(reason) = reason {
            return Err(NotificationError::InvalidTopic { topic, reason });
        }
        if seen.insert(topic.clone()) {
            out.push(topic);
        }
    }
    Ok(out)
}

/// Refuses a channel of more than [`MAX_TOPICS_PER_CHANNEL`] topics.
fn within_limit(count: usize) -> Result<(), NotificationError> {
    if count > MAX_TOPICS_PER_CHANNEL {
        return Err(NotificationError::TooManyTopics {
            requested: count,
            limit: MAX_TOPICS_PER_CHANNEL,
        });
    }
    Ok(())
}

/// A request to a notification endpoint, with `{channelId}` filled when given.
fn channel_request(
    method: reqwest::Method,
    operation: &'static str,
    template: &'static str,
    channel_id: Option<&str>,
) -> Result<Request, Error> {
    let mut request = Request::new(method, operation, template);
    if let Some(id) = channel_id {
        request.path_param("channelId", id)?;
    }
    Ok(request)
}

/// `POST /api/v2/notifications/channels`.
async fn create_channel(client: &Client) -> Result<ChannelInfo, Error> {
    const OPERATION: &str = "postNotificationsChannels";
    let request = channel_request(
        reqwest::Method::POST,
        OPERATION,
        "/api/v2/notifications/channels",
        None,
    )?;
    let response = client.execute(request).await?;
    let channel: ChannelJson = response.json("Channel")?;
    let missing = |field: &str| Error::Decode {
        operation: OPERATION,
        model: "Channel",
        field: Some(field.to_owned()),
        message: "missing field a notification channel needs".to_owned(),
        source: None,
    };
    let info = ChannelInfo {
        id: channel.id.ok_or_else(|| missing("id"))?,
        connect_uri: channel.connect_uri.ok_or_else(|| missing("connectUri"))?,
        expires: channel.expires,
    };
    tracing::debug!(channel_id = %info.id, "notification channel created");
    Ok(info)
}

/// `HEAD /api/v2/notifications/channels/{channelId}`: false for a 404.
async fn channel_exists(client: &Client, id: &str) -> Result<bool, Error> {
    let request = channel_request(
        reqwest::Method::HEAD,
        "headNotificationsChannel",
        "/api/v2/notifications/channels/{channelId}",
        Some(id),
    )?;
    not_found_as_false(client.execute(request).await)
}

/// `GET /api/v2/notifications/channels/{channelId}/subscriptions`: the topic names.
async fn channel_topics(client: &Client, id: &str) -> Result<Vec<String>, Error> {
    let request = channel_request(
        reqwest::Method::GET,
        "getNotificationsChannelSubscriptions",
        "/api/v2/notifications/channels/{channelId}/subscriptions",
        Some(id),
    )?;
    let response: Response = client.execute(request).await?;
    let body = response.bytes();
    let listing: TopicListing<'_> =
        serde_json::from_slice(&body).map_err(|source| Error::Decode {
            operation: "getNotificationsChannelSubscriptions",
            model: "ChannelTopicEntityListing",
            field: None,
            message: source.to_string(),
            source: Some(source),
        })?;
    Ok(listing
        .entities
        .into_iter()
        .map(|t| t.id.into_owned())
        .collect())
}

/// `Ok(true)` for a success, `Ok(false)` for a 404, the error otherwise.
fn not_found_as_false(result: Result<Response, Error>) -> Result<bool, Error> {
    match result {
        Ok(_) => Ok(true),
        Err(error) if error.status() == Some(404) => Ok(false),
        Err(error) => Err(error),
    }
}

/// Sends `topics` to the channel's subscriptions: `replace` makes them the only ones
/// (`PUT` of the first batch, or `DELETE` for none), otherwise they are added (`POST`).
/// Later batches are added; a batch holds `topics_per_request` topics.
async fn send_topics(
    client: &Client,
    id: &str,
    topics: &[String],
    replace: bool,
    options: &NotificationOptions,
) -> Result<(), Error> {
    const TEMPLATE: &str = "/api/v2/notifications/channels/{channelId}/subscriptions";
    if topics.is_empty() {
        if replace {
            let request = channel_request(
                reqwest::Method::DELETE,
                "deleteNotificationsChannelSubscriptions",
                TEMPLATE,
                Some(id),
            )?;
            client.execute(request).await?;
        }
        return Ok(());
    }
    for (n, batch) in topics.chunks(options.topics_per_request.max(1)).enumerate() {
        let (method, operation) = if replace && n == 0 {
            (reqwest::Method::PUT, "putNotificationsChannelSubscriptions")
        } else {
            (
                reqwest::Method::POST,
                "postNotificationsChannelSubscriptions",
            )
        };
        let mut request = channel_request(method, operation, TEMPLATE, Some(id))?;
        let body: Vec<TopicJson<'_>> = batch
            .iter()
            .map(|t| TopicJson {
                id: std::borrow::Cow::Borrowed(t.as_str()),
            })
            .collect();
        request.json(&body)?;
        client.execute(request).await?;
    }
    Ok(())
}

/// Opens a WebSocket to `uri` within the connect timeout.
async fn open_socket(shared: &Shared, uri: &str) -> Result<Socket, NotificationError> {
    let plain_allowed = shared.client.base_url().starts_with("http://");
    let allowed = uri.starts_with("wss://") || (plain_allowed && uri.starts_with("ws://"));
    if !allowed {
        return Err(NotificationError::Connect {
            uri: uri.to_owned(),
            message:
                "the connection URI is not wss:// (ws:// is allowed only for an http:// base URL)"
                    .to_owned(),
            source: None,
        });
    }
    let limit = shared.options.connect_timeout;
    match tokio::time::timeout(limit, tokio_tungstenite::connect_async(uri)).await {
        Err(_) => Err(NotificationError::Timeout {
            what: "the WebSocket connection",
            limit,
        }),
        Ok(Err(source)) => Err(NotificationError::Connect {
            uri: uri.to_owned(),
            message: source.to_string(),
            source: Some(Box::new(source)),
        }),
        Ok(Ok((socket, _))) => {
            tracing::debug!(uri, "notification socket connected");
            Ok(socket)
        }
    }
}

/// An item of a [`NotificationStream`]: an event, or a report on the connection.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Notification {
    /// An event on a subscribed topic.
    Event(Event),
    /// A report on the connection: nothing to act on, something to log.
    Status(Status),
}

/// A non-fatal report on a [`NotificationStream`]'s connection. `Display` is one line.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Status {
    /// A message on `channel.metadata`: Genesys's heartbeat, or its answer to a ping.
    Heartbeat,
    /// Genesys warned it will close the socket (`v2.system.socket_closing`); the stream
    /// reconnects at once.
    SocketClosing,
    /// The stream is about to reconnect, after `wait`.
    Reconnecting {
        /// The attempt, from 1, among attempts in a row.
        attempt: u32,
        /// Why.
        reason: ReconnectReason,
        /// The wait before the attempt.
        wait: Duration,
    },
    /// A new socket is open.
    Reconnected {
        /// The channel it is connected to.
        channel_id: String,
    },
    /// The channel had expired and a new one replaced it.
    ChannelRecreated {
        /// The expired channel.
        old_id: String,
        /// The new channel.
        new_id: String,
    },
    /// Every topic was subscribed again.
    Resubscribed {
        /// The channel subscribed.
        channel_id: String,
        /// How many topics.
        topics: usize,
    },
    /// A message that is not a notification (not JSON, or without `topicName`), cut to
    /// 200 characters.
    Unrecognized {
        /// The message's start.
        text: String,
    },
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Status::Heartbeat => f.write_str("heartbeat"),
            Status::SocketClosing => f.write_str("the server will close the socket"),
            Status::Reconnecting {
                attempt,
                reason,
                wait,
            } => write!(
                f,
                "reconnecting (attempt {attempt}, in {} ms): {reason}",
                wait.as_millis()
            ),
            Status::Reconnected { channel_id } => write!(f, "reconnected to channel {channel_id}"),
            Status::ChannelRecreated { old_id, new_id } => {
                write!(f, "channel {old_id} expired; created channel {new_id}")
            }
            Status::Resubscribed { channel_id, topics } => {
                write!(f, "resubscribed {topics} topics on channel {channel_id}")
            }
            Status::Unrecognized { text } => write!(f, "unrecognized message: {text}"),
        }
    }
}

/// Why a [`NotificationStream`] reconnects.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReconnectReason {
    /// Nothing arrived, not even an answer to a ping, for this long.
    HeartbeatMissed {
        /// How long the connection was silent.
        silent_for: Duration,
    },
    /// The server closed the connection.
    Closed,
    /// The server warned it would close the socket.
    SocketClosing,
    /// The connection, or the previous reconnection attempt, failed (the error's line).
    Failed(String),
}

impl fmt::Display for ReconnectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReconnectReason::HeartbeatMissed { silent_for } => {
                write!(f, "no heartbeat for {} ms", silent_for.as_millis())
            }
            ReconnectReason::Closed => f.write_str("the server closed the connection"),
            ReconnectReason::SocketClosing => f.write_str("the server is closing the socket"),
            ReconnectReason::Failed(message) => write!(f, "failed: {message}"),
        }
    }
}

/// An event on a topic: the topic name, the ids in it, and the body.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    topic: String,
    body: serde_json::Value,
    correlation_id: Option<String>,
}

impl Event {
    /// An event with this topic and body (for tests of code that handles events).
    pub fn new(topic: impl Into<String>, body: serde_json::Value) -> Self {
        Event {
            topic: topic.into(),
            body,
            correlation_id: None,
        }
    }

    /// The topic name (`v2.users.8f1c…-…-….presence`).
    pub fn topic(&self) -> &str {
        &self.topic
    }

    /// The ids in the topic name, in order: the parts after the first that are not
    /// plain words (letters and `_`), as Genesys's UUIDs are not. `v2.users.{id}.presence`
    /// gives the user id. [`matches`](Self::matches) names the parts exactly.
    pub fn ids(&self) -> Vec<&str> {
        topic_parts(&self.topic)
            .enumerate()
            .filter(|(i, part)| is_id(*i, part))
            .map(|(_, part)| part)
            .collect()
    }

    /// The topic name with each id replaced by `{id}`: `v2.users.{id}.presence`, the form
    /// Genesys's topic list uses, to dispatch on.
    pub fn pattern(&self) -> String {
        topic_parts(&self.topic)
            .enumerate()
            .map(|(i, part)| if is_id(i, part) { "{id}" } else { part })
            .collect::<Vec<_>>()
            .join(".")
    }

    /// The parts of the topic name in the `{...}` places of `pattern`, when the topic has
    /// the pattern's form: `v2.routing.queues.{id}.users.{userId}` matches
    /// `v2.routing.queues.q1.users.u1` with `["q1", "u1"]`. `None` otherwise.
    pub fn matches(&self, pattern: &str) -> Option<Vec<&str>> {
        let mut ids = Vec::new();
        let mut parts = topic_parts(&self.topic);
        for expected in pattern.split('.') {
            let part = parts.next()?;
            if expected.starts_with('{') && expected.ends_with('}') {
                ids.push(part);
            } else if expected != part {
                return None;
            }
        }
        parts.next().is_none().then_some(ids)
    }

    /// The raw `eventBody`.
    pub fn body(&self) -> &serde_json::Value {
        &self.body
    }

    /// The raw `eventBody`, owned.
    pub fn into_body(self) -> serde_json::Value {
        self.body
    }

    /// The `metadata.CorrelationId` Genesys sent with the event, if any.
    pub fn correlation_id(&self) -> Option<&str> {
        self.correlation_id.as_deref()
    }

    /// Decodes the body into `T`, any serde type.
    ///
    /// # Errors
    ///
    /// [`NotificationError::Decode`] naming the topic and the field where decoding failed.
    pub fn decode<T: serde::de::DeserializeOwned>(&self) -> Result<T, NotificationError> {
        serde_path_to_error::deserialize(&self.body).map_err(|e| {
            let path = e.path().to_string();
            let source = e.into_inner();
            NotificationError::Decode {
                topic: self.topic.clone(),
                field: (path != ".").then_some(path),
                message: source.to_string(),
                source,
            }
        })
    }
}

/// The dot-separated parts of a topic name, without a `?` suffix (`?presence&station`).
fn topic_parts(topic: &str) -> std::str::Split<'_, char> {
    topic.split('?').next().unwrap_or_default().split('.')
}

/// Whether part `index` of a topic name is an id: not the first part (`v2`), and not a
/// plain word.
fn is_id(index: usize, part: &str) -> bool {
    index > 0 && !part.is_empty() && !part.chars().all(|c| c.is_ascii_alphabetic() || c == '_')
}

/// What went wrong with a channel, a subscription or a stream. `Display` is one line.
#[derive(Debug)]
#[non_exhaustive]
pub enum NotificationError {
    /// The channel would have more topics than Genesys allows; nothing was sent.
    TooManyTopics {
        /// How many topics the channel would have.
        requested: usize,
        /// The limit, [`MAX_TOPICS_PER_CHANNEL`].
        limit: usize,
    },
    /// A topic name that cannot be one; nothing was sent.
    InvalidTopic {
        /// The topic as given.
        topic: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A REST call failed.
    Api(Error),
    /// The WebSocket did not open.
    Connect {
        /// The URI (it carries no credentials).
        uri: String,
        /// Why.
        message: String,
        /// The WebSocket client's error, when there is one (a `tungstenite::Error`, boxed
        /// so that the WebSocket crate is no part of this API).
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// Something did not happen within its bound.
    Timeout {
        /// What did not happen.
        what: &'static str,
        /// The bound.
        limit: Duration,
    },
    /// An event's body did not decode into the caller's type.
    Decode {
        /// The event's topic.
        topic: String,
        /// Where in the body decoding failed (`presenceDefinition.id`), when known.
        field: Option<String>,
        /// What did not match.
        message: String,
        /// The JSON decoder's error.
        source: serde_json::Error,
    },
    /// The stream stopped reconnecting, after this many attempts in a row; it ends after
    /// this item.
    GaveUp {
        /// The attempts made.
        attempts: u32,
        /// The last attempt's error.
        last: Box<NotificationError>,
    },
}

impl From<Error> for NotificationError {
    fn from(error: Error) -> Self {
        NotificationError::Api(error)
    }
}

impl fmt::Display for NotificationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotificationError::TooManyTopics { requested, limit } => write!(
                f,
                "a notification channel can have at most {limit} topics; this change would give it {requested}"
            ),
            NotificationError::InvalidTopic { topic, reason } => {
                write!(f, "invalid notification topic {topic:?}: {reason}")
            }
            NotificationError::Api(error) => fmt::Display::fmt(error, f),
            NotificationError::Connect { uri, message, .. } => {
                write!(f, "notification socket {uri}: {message}")
            }
            NotificationError::Timeout { what, limit } => {
                write!(f, "{what} did not complete within {} ms", limit.as_millis())
            }
            NotificationError::Decode {
                topic,
                field,
                message,
                ..
            } => {
                write!(f, "cannot decode the event body of {topic}")?;
                if let Some(field) = field {
                    write!(f, " at `{field}`")?;
                }
                write!(f, ": {message}")
            }
            NotificationError::GaveUp { attempts, last } => {
                write!(f, "notifications stopped after {attempts} reconnection attempts: {last}")
            }
        }
    }
}

impl std::error::Error for NotificationError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            NotificationError::Api(error) => Some(error),
            NotificationError::Connect {
                source: Some(source),
                ..
            } => Some(source.as_ref() as &(dyn std::error::Error + 'static)),
            NotificationError::Decode { source, .. } => Some(source),
            NotificationError::GaveUp { last, .. } => Some(last.as_ref()),
            _ => None,
        }
    }
}

impl NotificationError {
    /// Whether retrying cannot help: Genesys refused the request itself (400, 401, 403).
    fn is_refusal(&self) -> bool {
        matches!(self, NotificationError::Api(error) if matches!(error.status(), Some(400 | 401 | 403)))
    }
}

/// The events of a channel and reports on its connection (see the
/// [module documentation](self)): a `futures` `Stream` of
/// `Result<`[`Notification`]`, `[`NotificationError`]`>`, or [`recv`](Self::recv) one at a
/// time. An `Err` is the last item. Dropping the stream closes the connection.
#[must_use = "a stream does nothing unless polled"]
pub struct NotificationStream {
    inner: Pin<Box<dyn futures_core::Stream<Item = Item> + Send>>,
}

type Item = Result<Notification, NotificationError>;

impl fmt::Debug for NotificationStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NotificationStream").finish_non_exhaustive()
    }
}

impl futures_core::Stream for NotificationStream {
    type Item = Item;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl NotificationStream {
    /// The next item; `None` once the stream has ended (after an `Err`). Cancel-safe: a
    /// `recv` dropped before it completes (in a `select!`) loses nothing, the next one
    /// goes on where it stopped.
    pub async fn recv(&mut self) -> Option<Item> {
        std::future::poll_fn(|cx| self.inner.as_mut().poll_next(cx)).await
    }
}

/// A reconnection under way.
struct Reconnect {
    reason: ReconnectReason,
    announced: bool,
}

/// The state behind a [`NotificationStream`].
struct Driver {
    channel: NotificationChannel,
    /// The open socket; during a reconnection after `socket_closing`, the old one.
    socket: Option<Socket>,
    /// Items to hand out before anything else.
    pending: VecDeque<Item>,
    reconnect: Option<Reconnect>,
    /// Reconnection attempts in a row; a message received starts again from 0.
    attempt: u32,
    last_heard: Instant,
    /// When the last item was handed out: silence counts only from then on.
    returned_at: Instant,
    pinged: bool,
    done: bool,
}

impl Driver {
    async fn next(&mut self) -> Option<Item> {
        self.last_heard = self.last_heard.max(self.returned_at);
        let item = self.step().await;
        self.returned_at = Instant::now();
        item
    }

    async fn step(&mut self) -> Option<Item> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                if item.is_err() {
                    self.done = true;
                    self.pending.clear();
                    self.socket = None;
                }
                return Some(item);
            }
            if self.done {
                return None;
            }
            if self.reconnect.is_some() {
                if let Some(status) = self.reconnect_step().await {
                    return Some(Ok(Notification::Status(status)));
                }
                continue;
            }
            self.listen_step().await;
        }
    }

    fn options(&self) -> &NotificationOptions {
        &self.channel.shared.options
    }

    /// Starts a reconnection; the old socket is kept only after `socket_closing`, to be
    /// dropped once the new one is open.
    fn start_reconnect(&mut self, reason: ReconnectReason) {
        if reason != ReconnectReason::SocketClosing {
            self.socket = None;
        }
        tracing::debug!(reason = %reason, "notification socket reconnecting");
        self.attempt += 1;
        self.reconnect = Some(Reconnect {
            reason,
            announced: false,
        });
    }

    /// One step of a reconnection: announce the attempt (the status to hand out), or wait
    /// and make it.
    async fn reconnect_step(&mut self) -> Option<Status> {
        let attempt = self.attempt;
        let reconnect = self.reconnect.as_mut()?;
        let wait = self
            .channel
            .shared
            .options
            .wait_before(attempt, &reconnect.reason);
        if !reconnect.announced {
            reconnect.announced = true;
            return Some(Status::Reconnecting {
                attempt,
                reason: reconnect.reason.clone(),
                wait,
            });
        }
        tokio::time::sleep(wait).await;
        match self.establish().await {
            Ok(socket) => {
                if let Some(mut old) = self.socket.replace(socket) {
                    // After `socket_closing`: the new socket is open, so the old one goes,
                    // with a close frame if one can be sent quickly (the server's answer
                    // is not awaited).
                    let close = old.send(Message::Close(None));
                    let _ = tokio::time::timeout(CLOSE_TIMEOUT, close).await;
                }
                self.reconnect = None;
                self.last_heard = Instant::now();
                self.pinged = false;
            }
            Err(error)
                if error.is_refusal() || attempt >= self.options().max_reconnect_attempts =>
            {
                self.pending.push_back(Err(NotificationError::GaveUp {
                    attempts: attempt,
                    last: Box::new(error),
                }));
            }
            Err(error) => {
                self.socket = None;
                self.attempt += 1;
                self.reconnect = Some(Reconnect {
                    reason: ReconnectReason::Failed(error.to_string()),
                    announced: false,
                });
            }
        }
        None
    }

    /// Subscribes every topic again (or checks that a channel without topics still
    /// exists), replaces an expired channel, and opens a new socket, queueing a status for
    /// each step done.
    async fn establish(&mut self) -> Result<Socket, NotificationError> {
        let shared = Arc::clone(&self.channel.shared);
        let _change = shared.changes.lock().await;
        let (mut info, topics) = shared.snapshot();
        let limit = shared.options.request_timeout;
        let bounded = |what: &'static str| {
            move |_: tokio::time::error::Elapsed| NotificationError::Timeout { what, limit }
        };
        let exists = if topics.is_empty() {
            let check = channel_exists(&shared.client, &info.id);
            tokio::time::timeout(limit, check)
                .await
                .map_err(bounded("the channel check"))??
        } else {
            let send = send_topics(&shared.client, &info.id, &topics, true, &shared.options);
            let sent = tokio::time::timeout(limit, send)
                .await
                .map_err(bounded("the resubscription"))?;
            match sent {
                Ok(()) => true,
                Err(error) if error.status() == Some(404) => false,
                Err(error) => return Err(error.into()),
            }
        };
        if !exists {
            let create = create_channel(&shared.client);
            let new = tokio::time::timeout(limit, create)
                .await
                .map_err(bounded("the channel creation"))??;
            if !topics.is_empty() {
                let send = send_topics(&shared.client, &new.id, &topics, true, &shared.options);
                tokio::time::timeout(limit, send)
                    .await
                    .map_err(bounded("the resubscription"))??;
            }
            tracing::debug!(old = %info.id, new = %new.id, "notification channel re-created");
            self.pending
                .push_back(Ok(Notification::Status(Status::ChannelRecreated {
                    old_id: std::mem::replace(&mut info, new.clone()).id,
                    new_id: new.id.clone(),
                })));
            shared.state().info = new;
        }
        if !topics.is_empty() {
            self.pending
                .push_back(Ok(Notification::Status(Status::Resubscribed {
                    channel_id: info.id.clone(),
                    topics: topics.len(),
                })));
        }
        let socket = open_socket(&shared, &info.connect_uri).await?;
        self.pending
            .push_back(Ok(Notification::Status(Status::Reconnected {
                channel_id: info.id,
            })));
        Ok(socket)
    }

    /// Waits for the next message (pinging halfway through the heartbeat timeout) and
    /// queues what it means, or starts a reconnection.
    async fn listen_step(&mut self) {
        let limit = self.options().heartbeat_timeout;
        let Some(socket) = self.socket.as_mut() else {
            self.start_reconnect(ReconnectReason::Closed);
            return;
        };
        let silent_for = self.last_heard.elapsed();
        if silent_for >= limit {
            self.start_reconnect(ReconnectReason::HeartbeatMissed { silent_for });
            return;
        }
        let ping_at = self.last_heard + limit / 2;
        if !self.pinged && Instant::now() >= ping_at {
            self.pinged = true;
            let send = socket.send(Message::text(PING));
            match tokio::time::timeout(limit - silent_for, send).await {
                Ok(Ok(())) => {}
                Ok(Err(error)) => self.start_reconnect(ReconnectReason::Failed(error.to_string())),
                Err(_) => {} // The next pass finds the silence.
            }
            return;
        }
        let wake = if self.pinged {
            self.last_heard + limit
        } else {
            ping_at
        };
        let received =
            tokio::time::timeout_at(tokio::time::Instant::from_std(wake), socket.next()).await;
        match received {
            Err(_) => {}
            Ok(None) => self.start_reconnect(ReconnectReason::Closed),
            Ok(Some(Err(error))) => {
                self.start_reconnect(ReconnectReason::Failed(error.to_string()))
            }
            Ok(Some(Ok(message))) => {
                self.last_heard = Instant::now();
                self.pinged = false;
                self.attempt = 0;
                self.receive(message);
            }
        }
    }

    /// Queues what a message means.
    fn receive(&mut self, message: Message) {
        let text = match message {
            Message::Text(text) => text,
            Message::Close(_) => return self.start_reconnect(ReconnectReason::Closed),
            Message::Binary(bytes) => {
                let text = format!("(a binary message of {} bytes)", bytes.len());
                return self.status(Status::Unrecognized { text });
            }
            Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => return,
        };
        match parse(text.as_str()) {
            Parsed::Heartbeat => self.status(Status::Heartbeat),
            Parsed::SocketClosing => {
                self.status(Status::SocketClosing);
                self.start_reconnect(ReconnectReason::SocketClosing);
            }
            Parsed::Event(event) => self.pending.push_back(Ok(Notification::Event(event))),
            Parsed::Unrecognized => self.status(Status::Unrecognized {
                text: text.chars().take(UNRECOGNIZED_CHARS).collect(),
            }),
        }
    }

    fn status(&mut self, status: Status) {
        self.pending.push_back(Ok(Notification::Status(status)));
    }
}

/// A notification as it comes over the socket.
#[derive(serde::Deserialize)]
struct WireNotification {
    #[serde(rename = "topicName")]
    topic_name: String,
    #[serde(rename = "eventBody", default)]
    event_body: serde_json::Value,
    #[serde(default)]
    metadata: Option<WireMetadata>,
}

#[derive(serde::Deserialize)]
struct WireMetadata {
    #[serde(rename = "CorrelationId")]
    correlation_id: Option<String>,
}

/// What one text message is.
#[derive(Debug, PartialEq)]
enum Parsed {
    Heartbeat,
    SocketClosing,
    Event(Event),
    Unrecognized,
}

fn parse(text: &str) -> Parsed {
    let Ok(wire) = serde_json::from_str::<WireNotification>(text) else {
        return Parsed::Unrecognized;
    };
    match wire.topic_name.as_str() {
        METADATA_TOPIC => Parsed::Heartbeat,
        SOCKET_CLOSING_TOPIC => Parsed::SocketClosing,
        _ => Parsed::Event(Event {
            topic: wire.topic_name,
            body: wire.event_body,
            correlation_id: wire.metadata.and_then(|m| m.correlation_id),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const USER: &str = "8f1c2d3e-4b5a-6978-8a9b-0c1d2e3f4a5b";

    #[test]
    fn ids_and_patterns_come_from_the_topic_name() {
        let event = Event::new(format!("v2.users.{USER}.presence"), serde_json::json!({}));
        assert_eq!(event.ids(), [USER]);
        assert_eq!(event.pattern(), "v2.users.{id}.presence");
        assert_eq!(event.matches("v2.users.{id}.presence"), Some(vec![USER]));
        assert_eq!(event.matches("v2.users.{id}.routingStatus"), None);
        assert_eq!(event.matches("v2.users.{id}"), None);
        assert_eq!(event.matches("v2.users.{id}.presence.more"), None);

        let queue = Event::new("v2.routing.queues.q-1.users.u-2", serde_json::json!({}));
        assert_eq!(queue.ids(), ["q-1", "u-2"]);
        assert_eq!(
            queue.matches("v2.routing.queues.{id}.users.{userId}"),
            Some(vec!["q-1", "u-2"])
        );
        let combined = Event::new(
            format!("v2.users.{USER}?presence&station"),
            serde_json::json!({}),
        );
        assert_eq!(combined.ids(), [USER]);
        assert!(
            Event::new("v2.system.socket_closing", serde_json::Value::Null)
                .ids()
                .is_empty()
        );
    }

    #[test]
    fn a_body_decodes_into_a_serde_type_or_names_the_field() {
        #[derive(Debug, serde::Deserialize, PartialEq)]
        struct Presence {
            source: String,
            version: u32,
        }
        let event = Event::new(
            "v2.users.u1.presence",
            serde_json::json!({"source": "PURECLOUD", "version": 3}),
        );
        assert_eq!(
            event.decode::<Presence>().unwrap(),
            Presence {
                source: "PURECLOUD".into(),
                version: 3
            }
        );
        let wrong = Event::new(
            "v2.users.u1.presence",
            serde_json::json!({"source": 1, "version": 3}),
        );
        let error = wrong.decode::<Presence>().unwrap_err();
        assert!(
            matches!(&error, NotificationError::Decode { field: Some(f), .. } if f == "source")
        );
        assert!(
            error.to_string().contains("v2.users.u1.presence"),
            "{error}"
        );
    }

    #[test]
    fn messages_are_heartbeats_warnings_events_or_unrecognized() {
        let heartbeat =
            r#"{"topicName":"channel.metadata","eventBody":{"message":"WebSocket Heartbeat"}}"#;
        assert_eq!(parse(heartbeat), Parsed::Heartbeat);
        let closing = r#"{"topicName":"v2.system.socket_closing","eventBody":{"message":"bye"}}"#;
        assert_eq!(parse(closing), Parsed::SocketClosing);
        let event = r#"{"topicName":"v2.users.u1.presence","version":"2","eventBody":{"a":1},"metadata":{"CorrelationId":"c1"}}"#;
        let Parsed::Event(event) = parse(event) else {
            panic!("not an event");
        };
        assert_eq!(event.topic(), "v2.users.u1.presence");
        assert_eq!(event.body(), &serde_json::json!({"a": 1}));
        assert_eq!(event.correlation_id(), Some("c1"));
        assert_eq!(parse("not json"), Parsed::Unrecognized);
        assert_eq!(parse(r#"{"eventBody":{}}"#), Parsed::Unrecognized);
    }

    #[test]
    fn topics_are_checked_and_deduplicated_and_the_limit_holds() {
        assert_eq!(checked_topics(["a.b", "c", "a.b"]).unwrap(), ["a.b", "c"]);
        for bad in ["", "a b", "a\nb"] {
            let error = checked_topics([bad]).unwrap_err();
            assert!(
                matches!(error, NotificationError::InvalidTopic { .. }),
                "{bad:?}"
            );
        }
        assert!(within_limit(MAX_TOPICS_PER_CHANNEL).is_ok());
        let error = within_limit(1500).unwrap_err();
        assert!(matches!(
            error,
            NotificationError::TooManyTopics {
                requested: 1500,
                limit: 1000
            }
        ));
        assert_eq!(
            error.to_string(),
            "a notification channel can have at most 1000 topics; this change would give it 1500"
        );
    }

    #[test]
    fn backoff_doubles_up_to_its_bound_and_socket_closing_starts_at_once() {
        let options = NotificationOptions::new()
            .backoff(Duration::from_millis(100), Duration::from_millis(350));
        let failed = ReconnectReason::Closed;
        let waits: Vec<u128> = (1..=4)
            .map(|n| options.wait_before(n, &failed).as_millis())
            .collect();
        assert_eq!(waits, [100, 200, 350, 350]);
        assert_eq!(
            options.wait_before(1, &ReconnectReason::SocketClosing),
            Duration::ZERO
        );
        assert_eq!(
            options.wait_before(2, &ReconnectReason::SocketClosing),
            Duration::from_millis(200)
        );
        assert_eq!(
            options.wait_before(u32::MAX, &failed),
            Duration::from_millis(350)
        );
    }
}

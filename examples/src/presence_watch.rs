//! `presence_watch`: follows the presence and routing status of given users over a
//! notification channel (`genesys_cloud::runtime::notifications`, feature
//! `notifications-ws`) and prints one line per change, as the events arrive.

use std::collections::BTreeSet;
use std::io::Write;
use std::time::Duration;

use clap::Parser;
use genesys_cloud::runtime::notifications::{
    Event, Notification, NotificationChannel, Status, MAX_TOPICS_PER_CHANNEL,
};
use serde::Deserialize;

use crate::cli::{self, Lookup, EXIT_FAILURE, EXIT_OK, EXIT_USAGE};

const PROGRAM: &str = "presence_watch";

/// The topics followed for each user.
const PRESENCE: &str = "v2.users.{id}.presence";
const ROUTING_STATUS: &str = "v2.users.{id}.routingStatus";
const TOPICS_PER_USER: usize = 2;

/// The most users one channel can follow (two topics each).
pub const MAX_USERS: usize = MAX_TOPICS_PER_CHANNEL / TOPICS_PER_USER;

/// Follows the presence and routing status of users and prints each change on stdout, one
/// tab-separated line: time, user id, `presence` or `routing`, the state (system presence,
/// or routing status), the presence definition id, the presence message.
///
/// Reports on the connection (reconnecting, channel re-created, resubscribed) go to stderr;
/// the program keeps itself connected. It runs until interrupted, or for --duration.
///
/// Environment: GENESYSCLOUD_REGION (us-east-1, eu-west-1, ...), and
/// GENESYSCLOUD_OAUTHCLIENT_ID with GENESYSCLOUD_OAUTHCLIENT_SECRET, or
/// GENESYSCLOUD_ACCESS_TOKEN; GENESYSCLOUD_PROXY_* and GENESYSCLOUD_GATEWAY_* as the
/// Genesys Cloud CLI reads them.
///
/// Exit codes: 0 stopped after --duration; 1 the channel cannot be made or the stream
/// failed for good; 2 the program cannot start (arguments, credentials, region).
#[derive(Debug, Parser)]
#[command(name = PROGRAM, version)]
pub struct Args {
    /// A user to follow, by id; repeatable, at least one, at most 500.
    #[arg(long = "user", value_name = "ID", required = true, value_parser = user_id)]
    pub users: Vec<String>,
    /// Stop after this many seconds (decimals allowed); without it, run until interrupted.
    #[arg(long, value_name = "SECS", value_parser = seconds)]
    pub duration: Option<Duration>,
}

/// A user id as a topic part: not empty, no whitespace, no `.` or `?` (which would change
/// the topic's shape).
fn user_id(text: &str) -> Result<String, String> {
    if text.is_empty() {
        return Err("a user id cannot be empty".to_owned());
    }
    if text
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '.' || c == '?')
    {
        return Err("a user id has no whitespace, `.` or `?`".to_owned());
    }
    Ok(text.to_owned())
}

/// A positive number of seconds.
fn seconds(text: &str) -> Result<Duration, String> {
    let value: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    if value.is_nan() || value <= 0.0 {
        return Err("the duration must be more than 0 seconds".to_owned());
    }
    Duration::try_from_secs_f64(value).map_err(|_| format!("{text:?} seconds is too long"))
}

/// The body of a `v2.users.{id}.presence` event. Every field may be missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PresenceEvent {
    /// What set the presence (`PURECLOUD`, an integration...).
    pub source: Option<String>,
    /// The presence.
    pub presence_definition: Option<PresenceDefinition>,
    /// The user's presence message.
    pub message: Option<String>,
    /// When the presence changed (ISO 8601).
    pub modified_date: Option<String>,
}

/// The presence of a [`PresenceEvent`]: the organization's presence definition, and the
/// system presence it stands for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PresenceDefinition {
    /// The presence definition's id.
    pub id: Option<String>,
    /// `Available`, `Away`, `Busy`, `Offline`, `On Queue`, `Meal`...
    pub system_presence: Option<String>,
}

/// The body of a `v2.users.{id}.routingStatus` event. Every field may be missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RoutingStatusEvent {
    /// The routing status.
    pub routing_status: Option<RoutingStatus>,
}

/// A user's routing status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RoutingStatus {
    /// `OFF_QUEUE`, `IDLE`, `INTERACTING`, `NOT_RESPONDING`, `COMMUNICATING`.
    pub status: Option<String>,
    /// Since when (ISO 8601).
    pub start_time: Option<String>,
}

/// The topics that follow `users`, two per user, in order.
pub fn topics(users: &[String]) -> Vec<String> {
    users
        .iter()
        .flat_map(|user| [PRESENCE, ROUTING_STATUS].map(|t| t.replace("{id}", user)))
        .collect()
}

/// Runs the program: `args` (program name first), the environment through `lookup`, changes
/// on `out`, reports and errors on `err`; returns the exit code.
pub async fn run<I, A>(args: I, lookup: Lookup<'_>, out: &mut dyn Write, err: &mut dyn Write) -> i32
where
    I: IntoIterator<Item = A>,
    A: Into<std::ffi::OsString> + Clone,
{
    let args: Args = match cli::parse_args(args, out, err) {
        Ok(args) => args,
        Err(code) => return code,
    };
    let mut seen = BTreeSet::new();
    let users: Vec<String> = args
        .users
        .into_iter()
        .filter(|user| seen.insert(user.clone()))
        .collect();
    if users.len() > MAX_USERS {
        let _ = writeln!(
            err,
            "{PROGRAM}: at most {MAX_USERS} users ({MAX_TOPICS_PER_CHANNEL} topics on one \
             channel, {TOPICS_PER_USER} per user); {} given",
            users.len()
        );
        return EXIT_USAGE;
    }
    let client = match cli::client_from_env(PROGRAM, lookup, err) {
        Ok(client) => client,
        Err(code) => return code,
    };
    let fail = |err: &mut dyn Write, e: &dyn std::fmt::Display| {
        let _ = writeln!(err, "{PROGRAM}: {e}");
        EXIT_FAILURE
    };
    let channel = match NotificationChannel::create(&client).await {
        Ok(channel) => channel,
        Err(e) => return fail(err, &e),
    };
    // A new channel: replacing its (no) topics is one PUT of them all.
    if let Err(e) = channel.set_topics(topics(&users)).await {
        return fail(err, &e);
    }
    let mut stream = match channel.connect().await {
        Ok(stream) => stream,
        Err(e) => return fail(err, &e),
    };
    let _ = writeln!(
        err,
        "{PROGRAM}: following {} users on channel {}",
        users.len(),
        channel.info().id
    );
    let deadline = args.duration.map(|d| tokio::time::Instant::now() + d);
    let mut changes = 0u64;
    loop {
        // `recv` is cancel-safe: the deadline loses nothing.
        let item = match deadline {
            None => stream.recv().await,
            Some(deadline) => match tokio::time::timeout_at(deadline, stream.recv()).await {
                Ok(item) => item,
                Err(_) => break,
            },
        };
        match item {
            None => break,
            Some(Err(e)) => {
                let _ = out.flush();
                return fail(err, &e);
            }
            Some(Ok(Notification::Event(event))) => match line(&event) {
                Ok(Some(line)) => {
                    if let Err(e) = out.write_all(line.as_bytes()).and_then(|()| out.flush()) {
                        let _ = writeln!(err, "{PROGRAM}: cannot write the output: {e}");
                        return EXIT_FAILURE;
                    }
                    changes += 1;
                }
                Ok(None) => {
                    let _ = writeln!(err, "{PROGRAM}: ignored an event on {}", event.topic());
                }
                // One odd event body is not worth stopping for.
                Err(e) => {
                    let _ = writeln!(err, "{PROGRAM}: {e}");
                }
            },
            Some(Ok(Notification::Status(Status::Heartbeat))) => {}
            Some(Ok(Notification::Status(status))) => {
                let _ = writeln!(err, "{PROGRAM}: {status}");
            }
            Some(Ok(_)) => {}
        }
    }
    let _ = writeln!(err, "{PROGRAM}: stopped; {changes} changes");
    EXIT_OK
}

/// An event's line: time, user id, `presence` or `routing`, state, presence definition id,
/// message, tab-separated (tabs and line breaks inside a value become spaces; a missing
/// value is empty, a missing time `-`). `Ok(None)` for a topic the program does not follow.
///
/// # Errors
///
/// When the body does not decode (a field of the wrong type).
pub fn line(
    event: &Event,
) -> Result<Option<String>, genesys_cloud::runtime::notifications::NotificationError> {
    let (user, kind, time, state, definition, message) = if let Some(ids) = event.matches(PRESENCE)
    {
        let body: PresenceEvent = event.decode()?;
        let definition = body.presence_definition.unwrap_or_default();
        (
            ids[0],
            "presence",
            body.modified_date,
            definition.system_presence,
            definition.id,
            body.message,
        )
    } else if let Some(ids) = event.matches(ROUTING_STATUS) {
        let body: RoutingStatusEvent = event.decode()?;
        let status = body.routing_status.unwrap_or_default();
        (
            ids[0],
            "routing",
            status.start_time,
            status.status,
            None,
            None,
        )
    } else {
        return Ok(None);
    };
    let clean = |value: Option<String>| value.unwrap_or_default().replace(['\t', '\r', '\n'], " ");
    let time = time
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| "-".to_owned());
    Ok(Some(format!(
        "{}\t{}\t{kind}\t{}\t{}\t{}\n",
        clean(Some(time)),
        clean(Some(user.to_owned())),
        clean(state),
        clean(definition),
        clean(message),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn two_topics_per_user() {
        let users = ["u1".to_owned(), "u2".to_owned()];
        assert_eq!(
            topics(&users),
            [
                "v2.users.u1.presence",
                "v2.users.u1.routingStatus",
                "v2.users.u2.presence",
                "v2.users.u2.routingStatus"
            ]
        );
    }

    #[test]
    fn missing_fields_are_empty_and_other_topics_ignored() {
        let empty = Event::new("v2.users.u1.presence", json!({}));
        assert_eq!(
            line(&empty).unwrap().as_deref(),
            Some("-\tu1\tpresence\t\t\t\n")
        );
        let routing = Event::new("v2.users.u1.routingStatus", json!({"routingStatus": null}));
        assert_eq!(
            line(&routing).unwrap().as_deref(),
            Some("-\tu1\trouting\t\t\t\n")
        );
        let other = Event::new("v2.users.u1.conversations", json!({}));
        assert_eq!(line(&other).unwrap(), None);
        let bad = Event::new("v2.users.u1.presence", json!([1, 2]));
        assert!(line(&bad).is_err());
    }

    #[test]
    fn durations_are_positive_seconds() {
        assert_eq!(seconds("1.5"), Ok(Duration::from_millis(1500)));
        assert_eq!(seconds("30"), Ok(Duration::from_secs(30)));
        for bad in ["0", "-2", "NaN", "inf", "1e300", "soon", ""] {
            assert!(seconds(bad).is_err(), "{bad}");
        }
    }
}

//! The one error type every operation returns, and the Genesys error body it decodes.

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderMap;

/// The error body Genesys returns with 4xx and 5xx responses.
#[derive(Debug, Clone, PartialEq, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct ErrorBody {
    /// Human-readable message.
    pub message: Option<String>,
    /// Machine-readable error code (`bad.request`).
    pub code: Option<String>,
    /// HTTP status, as Genesys repeats it in the body.
    pub status: Option<i32>,
    /// Message template with `{param}` placeholders.
    pub message_with_params: Option<String>,
    /// Values for the placeholders of `message_with_params`.
    pub message_params: Option<std::collections::BTreeMap<String, String>>,
    /// Correlation id Genesys support can trace.
    pub context_id: Option<String>,
    /// Further details, as sent.
    pub details: Option<Vec<serde_json::Value>>,
    /// Nested errors, as sent.
    pub errors: Option<Vec<ErrorBody>>,
}

/// An API answer with a non-success status: what Genesys said, and how to trace it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// The operationId that failed.
    pub operation: &'static str,
    /// HTTP status code.
    pub status: u16,
    /// The decoded error body, when it was Genesys JSON.
    pub body: Option<ErrorBody>,
    /// The raw body text (at most 2 KiB), for bodies that did not decode.
    pub raw: String,
    /// The `ININ-Correlation-Id` response header.
    pub correlation_id: Option<String>,
    /// The response headers (rate-limit headers, `Retry-After`, ...).
    pub headers: HeaderMap,
    /// How many attempts the call made, this answer's included (more than 1 after retries).
    pub attempts: u32,
}

impl ApiError {
    /// The error message: the body's `message`, else the first line of the raw body.
    pub fn message(&self) -> Option<&str> {
        match &self.body {
            Some(ErrorBody {
                message: Some(message),
                ..
            }) => Some(message),
            _ => self.raw.lines().map(str::trim).find(|l| !l.is_empty()),
        }
    }
}

/// Why an operation failed. `Display` gives one line naming the operation.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with a non-success status.
    Api(Box<ApiError>),
    /// The request could not be sent or the response not read (after any retries).
    Transport {
        /// The operationId that failed.
        operation: &'static str,
        /// The underlying HTTP error.
        source: reqwest::Error,
        /// How many attempts the call made, the failed one included.
        attempts: u32,
        /// The request may have reached the server, and it was not sent again because its
        /// method is not idempotent (see
        /// [`CallOptions::retry_non_idempotent`](super::CallOptions::retry_non_idempotent)).
        not_idempotent: bool,
    },
    /// An attempt did not complete within its timeout (after any retries): each attempt,
    /// the wait for its access token included, takes at most the call's timeout.
    Timeout {
        /// The operationId that failed.
        operation: &'static str,
        /// What ran out of time: the HTTP error (a `reqwest::Error`), or an error saying
        /// that no access token arrived within the timeout.
        source: Box<dyn std::error::Error + Send + Sync>,
        /// How many attempts the call made, the one that timed out included.
        attempts: u32,
        /// As for [`Error::Transport`]: the request may have reached the server and was not
        /// sent again because its method is not idempotent.
        not_idempotent: bool,
    },
    /// A success response did not decode into the expected type.
    Decode {
        /// The operationId that failed.
        operation: &'static str,
        /// The Rust type the body should have decoded into.
        model: &'static str,
        /// Where in the body decoding failed (`entities[2].dateCreated`), when known.
        field: Option<String>,
        /// What did not match.
        message: String,
        /// The JSON decoder's error, when the body did not decode (not when a field the
        /// client needs is missing, or the status was unexpected).
        source: Option<serde_json::Error>,
    },
    /// A request body could not be encoded.
    Encode {
        /// The operationId that failed.
        operation: &'static str,
        /// What went wrong.
        message: String,
        /// The JSON encoder's error, when the body did not encode.
        source: Option<serde_json::Error>,
    },
    /// No access token could be obtained (the token endpoint refused or failed).
    Auth {
        /// The token endpoint's HTTP status, when it answered.
        status: Option<u16>,
        /// What went wrong; never the secret.
        message: String,
        /// The failure underneath (a transport error, a timeout), when there is one. Shared,
        /// so that every call waiting for the same token refresh gets the same cause.
        source: Option<std::sync::Arc<dyn std::error::Error + Send + Sync>>,
    },
    /// The client or call is configured wrongly (bad base URL, bad header value).
    Config {
        /// What is wrong.
        message: String,
    },
    /// An asynchronous job finished in a failed state.
    JobFailed {
        /// The operationId that reported the failure.
        operation: &'static str,
        /// The job's id (execution id).
        id: String,
        /// The state it reported.
        state: String,
    },
    /// An asynchronous job had not finished when the caller's deadline passed.
    JobDeadline {
        /// The operationId that was polled.
        operation: &'static str,
        /// The job's id (execution id).
        id: String,
        /// How long it was waited for.
        waited: Duration,
    },
}

impl Error {
    /// The HTTP status of an API error (or of the token endpoint for an auth error).
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Auth { status, .. } => *status,
            _ => None,
        }
    }

    /// The API error, when the API answered with a non-success status.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }

    /// The correlation id Genesys support can trace, when the API answered.
    pub fn correlation_id(&self) -> Option<&str> {
        self.api().and_then(|api| api.correlation_id.as_deref())
    }

    /// How many attempts the call made before it gave up, for errors that end a call's
    /// attempts ([`Error::Api`], [`Error::Transport`], [`Error::Timeout`]).
    pub fn attempts(&self) -> Option<u32> {
        match self {
            Error::Api(api) => Some(api.attempts),
            Error::Transport { attempts, .. } | Error::Timeout { attempts, .. } => Some(*attempts),
            _ => None,
        }
    }

    /// Whether something ran out of time: an [`Error::Timeout`], or an [`Error::Auth`] whose
    /// token request timed out (a timeout among its causes).
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Timeout { .. } => true,
            Error::Auth { .. } => {
                let mut cause = std::error::Error::source(self);
                while let Some(error) = cause {
                    if is_a_timeout(error) {
                        return true;
                    }
                    cause = error.source();
                }
                false
            }
            _ => false,
        }
    }
}

/// Whether `error` itself (not its causes) is a timeout.
fn is_a_timeout(error: &(dyn std::error::Error + 'static)) -> bool {
    if let Some(error) = error.downcast_ref::<reqwest::Error>() {
        error.is_timeout()
    } else if let Some(error) = error.downcast_ref::<std::io::Error>() {
        error.kind() == std::io::ErrorKind::TimedOut
    } else {
        error.is::<TimedOut>() || error.is::<tokio::time::error::Elapsed>()
    }
}

/// A wait that reached its limit with no HTTP error to say so: the cause of an
/// [`Error::Timeout`] when a call's access token did not arrive within its timeout.
#[derive(Debug)]
pub(crate) struct TimedOut {
    /// What did not arrive (`"access token"`).
    pub(crate) waiting_for: &'static str,
    /// How long it was waited for.
    pub(crate) limit: Duration,
}

impl fmt::Display for TimedOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "no {} within {} s",
            self.waiting_for,
            self.limit.as_secs_f64()
        )
    }
}

impl std::error::Error for TimedOut {}

/// Writes ` (after N attempts)` when a call made more than one.
fn after_attempts(f: &mut fmt::Formatter<'_>, attempts: u32) -> fmt::Result {
    if attempts > 1 {
        write!(f, " (after {attempts} attempts)")?;
    }
    Ok(())
}

/// Writes the ` (not retried: ...)` note of a failure whose method kept it from a retry.
fn not_retried(f: &mut fmt::Formatter<'_>, not_idempotent: bool) -> fmt::Result {
    if not_idempotent {
        f.write_str(" (not retried because the method is not idempotent)")?;
    }
    Ok(())
}

/// Writes `text` on one line.
fn one_line(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    let mut first = true;
    for word in text.split_whitespace() {
        if !first {
            f.write_str(" ")?;
        }
        f.write_str(word)?;
        first = false;
    }
    Ok(())
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(api) => {
                write!(f, "{}: HTTP {}", api.operation, api.status)?;
                if let Some(code) = api.body.as_ref().and_then(|b| b.code.as_deref()) {
                    write!(f, " {code}")?;
                }
                if let Some(message) = api.message() {
                    f.write_str(": ")?;
                    let short: String = message.chars().take(300).collect();
                    one_line(f, &short)?;
                }
                after_attempts(f, api.attempts)?;
                if let Some(id) = &api.correlation_id {
                    write!(f, " (correlation id {id})")?;
                }
                Ok(())
            }
            Error::Transport {
                operation,
                source,
                attempts,
                not_idempotent,
            } => {
                write!(f, "{operation}: transport error")?;
                after_attempts(f, *attempts)?;
                not_retried(f, *not_idempotent)?;
                f.write_str(": ")?;
                one_line(f, &error_chain(source))
            }
            Error::Timeout {
                operation,
                source,
                attempts,
                not_idempotent,
            } => {
                write!(f, "{operation}: timed out")?;
                after_attempts(f, *attempts)?;
                not_retried(f, *not_idempotent)?;
                f.write_str(": ")?;
                one_line(f, &error_chain(source.as_ref()))
            }
            Error::Decode {
                operation,
                model,
                field,
                message,
                ..
            } => {
                write!(f, "{operation}: cannot decode {model}")?;
                if let Some(field) = field {
                    write!(f, " at `{field}`")?;
                }
                f.write_str(": ")?;
                one_line(f, message)
            }
            Error::Encode {
                operation, message, ..
            } => {
                write!(f, "{operation}: cannot encode the request: ")?;
                one_line(f, message)
            }
            Error::Auth { message, .. } => {
                f.write_str("authentication failed: ")?;
                one_line(f, message)
            }
            Error::Config { message } => {
                f.write_str("invalid client configuration: ")?;
                one_line(f, message)
            }
            Error::JobFailed {
                operation,
                id,
                state,
            } => write!(f, "{operation}: job {id} ended {state}"),
            Error::JobDeadline {
                operation,
                id,
                waited,
            } => {
                write!(
                    f,
                    "{operation}: job {id} still running after {:.1} s",
                    waited.as_secs_f64()
                )
            }
        }
    }
}

/// An error and its sources, `: `-separated (reqwest's own message alone is terse).
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(s) = source {
        let next = s.to_string();
        if !text.contains(&next) {
            text.push_str(": ");
            text.push_str(&next);
        }
        source = s.source();
    }
    text
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(source),
            Error::Timeout { source, .. } => Some(source.as_ref()),
            Error::Auth {
                source: Some(source),
                ..
            } => Some(source.as_ref()),
            Error::Decode {
                source: Some(source),
                ..
            }
            | Error::Encode {
                source: Some(source),
                ..
            } => Some(source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api_error(body: Option<ErrorBody>, raw: &str) -> Error {
        let mut headers = HeaderMap::new();
        headers.insert("inin-correlation-id", "c-1".parse().unwrap());
        Error::Api(Box::new(ApiError {
            operation: "getUser",
            status: 404,
            body,
            raw: raw.to_owned(),
            correlation_id: Some("c-1".to_owned()),
            headers,
            attempts: 1,
        }))
    }

    #[test]
    fn api_errors_show_on_one_line() {
        let body = ErrorBody {
            code: Some("not.found".to_owned()),
            message: Some("User\n  not\tfound ".to_owned()),
            ..ErrorBody::default()
        };
        let error = api_error(Some(body), "");
        assert_eq!(
            error.to_string(),
            "getUser: HTTP 404 not.found: User not found (correlation id c-1)"
        );
        assert_eq!(error.status(), Some(404));
        assert_eq!(error.correlation_id(), Some("c-1"));
    }

    #[test]
    fn long_messages_are_cut_at_300_characters() {
        let body = ErrorBody {
            message: Some("é".repeat(400)),
            ..ErrorBody::default()
        };
        let text = api_error(Some(body), "").to_string();
        assert_eq!(text.matches('é').count(), 300, "{text}");
    }

    #[test]
    fn without_a_decoded_body_the_raw_text_is_the_message() {
        let error = api_error(None, "\n  \n  <html>Not Found</html> \nmore");
        assert_eq!(
            error.api().unwrap().message(),
            Some("<html>Not Found</html>")
        );
        assert_eq!(api_error(None, " \n ").api().unwrap().message(), None);
        assert_eq!(
            api_error(None, "").to_string(),
            "getUser: HTTP 404 (correlation id c-1)"
        );
    }

    #[test]
    fn other_errors_name_what_failed() {
        let decode = Error::Decode {
            operation: "getUser",
            model: "User",
            field: Some("addresses[0].type".to_owned()),
            message: "unknown\nvariant".to_owned(),
            source: None,
        };
        assert_eq!(
            decode.to_string(),
            "getUser: cannot decode User at `addresses[0].type`: unknown variant"
        );
        let deadline = Error::JobDeadline {
            operation: "getJob",
            id: "j-1".to_owned(),
            waited: Duration::from_millis(1_260),
        };
        assert_eq!(
            deadline.to_string(),
            "getJob: job j-1 still running after 1.3 s"
        );
        let auth = Error::Auth {
            status: Some(401),
            message: "invalid_client".to_owned(),
            source: None,
        };
        assert_eq!(auth.to_string(), "authentication failed: invalid_client");
        assert_eq!(auth.status(), Some(401));
        assert!(auth.api().is_none());
        assert_eq!(auth.correlation_id(), None);
    }

    #[test]
    fn attempts_and_a_method_that_kept_a_retry_away_show_in_the_line() {
        let mut error = api_error(None, "Too many requests");
        if let Error::Api(api) = &mut error {
            api.attempts = 4;
        }
        assert_eq!(
            error.to_string(),
            "getUser: HTTP 404: Too many requests (after 4 attempts) (correlation id c-1)"
        );
        assert_eq!(error.attempts(), Some(4));
        let source = reqwest::Client::new()
            .get("http://[::1")
            .build()
            .unwrap_err();
        let transport = Error::Transport {
            operation: "postUsers",
            source,
            attempts: 1,
            not_idempotent: true,
        };
        assert!(
            transport.to_string().starts_with(
                "postUsers: transport error (not retried because the method is not idempotent): "
            ),
            "{transport}"
        );
        assert_eq!(transport.attempts(), Some(1));
        assert!(!transport.is_timeout());
        let timeout = Error::Timeout {
            operation: "getUser",
            source: Box::new(TimedOut {
                waiting_for: "access token",
                limit: Duration::from_secs(2),
            }),
            attempts: 3,
            not_idempotent: false,
        };
        assert_eq!(
            timeout.to_string(),
            "getUser: timed out (after 3 attempts): no access token within 2 s"
        );
        assert!(timeout.is_timeout());
        assert!(std::error::Error::source(&timeout).is_some_and(|s| s.is::<TimedOut>()));
        assert_eq!(api_error(None, "").attempts(), Some(1));
        assert_eq!(
            Error::Config {
                message: String::new()
            }
            .attempts(),
            None
        );
    }

    #[test]
    fn an_auth_error_is_a_timeout_when_a_timeout_is_among_its_causes() {
        let auth =
            |source: Option<std::sync::Arc<dyn std::error::Error + Send + Sync>>| Error::Auth {
                status: None,
                message: "token request failed".to_owned(),
                source,
            };
        let io = |kind| std::sync::Arc::new(std::io::Error::new(kind, "token request"));
        assert!(auth(Some(io(std::io::ErrorKind::TimedOut))).is_timeout());
        assert!(!auth(Some(io(std::io::ErrorKind::ConnectionRefused))).is_timeout());
        assert!(!auth(None).is_timeout());
        // Deeper in the chain: an error whose own source timed out.
        let nested = Error::Timeout {
            operation: "token",
            source: Box::new(TimedOut {
                waiting_for: "token response",
                limit: Duration::from_millis(300),
            }),
            attempts: 1,
            not_idempotent: false,
        };
        assert!(auth(Some(std::sync::Arc::new(nested))).is_timeout());
    }

    #[test]
    fn error_bodies_decode_from_genesys_json() {
        let body: ErrorBody = serde_json::from_str(
            r#"{"message":"m","code":"bad.request","status":400,"messageParams":{"a":"b"},
                "contextId":"ctx","errors":[{"code":"nested"}],"extra":true}"#,
        )
        .unwrap();
        assert_eq!(body.code.as_deref(), Some("bad.request"));
        assert_eq!(body.status, Some(400));
        assert_eq!(body.context_id.as_deref(), Some("ctx"));
        assert_eq!(body.message_params.unwrap()["a"], "b");
        assert_eq!(body.errors.unwrap()[0].code.as_deref(), Some("nested"));
    }
}

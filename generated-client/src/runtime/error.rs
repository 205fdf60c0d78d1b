//! The one error type every operation returns.

use std::fmt;

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
}

/// Why an operation failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with a non-success status.
    Api(Box<ApiError>),
    /// The request could not be sent or the response not read.
    Transport {
        /// The operationId that failed.
        operation: &'static str,
/// The underlying HTTP error.
        source: reqwest::Error,
    },
    /// A success response did not decode into the expected type.
    Decode {
        /// The operationId that failed.
        operation: &'static str,
        /// The Rust type the body should have decoded into.
        model: &'static str,
        /// What did not match.
        message: String,
    },
    /// A request body could not be encoded.
    Encode {
        /// The operationId that failed.
        operation: &'static str,
        /// What went wrong.
        message: String,
    },
    /// The client is configured wrongly (bad base URL, bad header value).
    Config {
        /// What is wrong.
        message: String,
    },
}

impl Error {
    /// The HTTP status of an API error.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(api) => Some(api.status),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(api) => {
                let ApiError { operation, status, body, raw, correlation_id } = &**api;
                write!(f, "{operation}: HTTP {status}")?;
                match body {
                    Some(ErrorBody { code, message, .. }) => {
                        if let Some(code) = code {
                            write!(f, " {code}")?;
                        }
                        if let Some(message) = message {
                            write!(f, ": {message}")?;
                        }
                    }
                    None if !raw.is_empty() => write!(f, ": {}", raw.lines().next().unwrap_or_default())?,
                    None => {}
                }
                if let Some(id) = correlation_id {
                    write!(f, " (correlation id {id})")?;
                }
                Ok(())
            }
            Error::Transport { operation, source } => write!(f, "{operation}: transport error: {source}"),
            Error::Decode { operation, model, message } => write!(f, "{operation}: cannot decode {model}: {message}"),
            Error::Encode { operation, message } => write!(f, "{operation}: cannot encode the request: {message}"),
            Error::Config { message } => write!(f, "invalid client configuration: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(source),
            _ => None,
        }
    }
}

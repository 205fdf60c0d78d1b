//! The login host's token endpoint, `{login}/oauth/token`: the one place every OAuth grant
//! sends its form from, with the client's `User-Agent`, a per-attempt timeout and the
//! client's retry policy, and where the answer becomes an access token or an
//! [`Error::Auth`].

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::HeaderValue;

use super::auth::{AccessToken, Secret};
use super::client::USER_AGENT;
use super::retry::retry_after;
use super::wire::{exchange, Outcome};
use super::{Error, RetryPolicy, WireLog};

/// Where and how OAuth grants ask for tokens: the login host's `/oauth/token`, the HTTP
/// client, the `User-Agent`, the per-attempt timeout and the retry policy.
///
/// Every grant of this crate ([`ClientCredentials`](super::ClientCredentials),
/// [`AuthorizationCode`](super::AuthorizationCode), [`RefreshToken`](super::RefreshToken),
/// [`Saml2Bearer`](super::Saml2Bearer)) sends its token requests through one. Get it from
/// [`ClientBuilder::token_endpoint`](super::ClientBuilder::token_endpoint), so the token
/// requests go where and as the client's API calls do, or make one with
/// [`TokenEndpoint::new`].
///
/// A token request is retried like an idempotent API call: after a connection failure or a
/// timeout, any 5xx, a 429 (after its `Retry-After`), and the HTTP 400 with which Genesys
/// answers its own rate limit (`"rate limit exceeded"`); never after another 4xx, so a wrong
/// secret fails at once. A request that uses up a single-use credential (an authorization
/// code, a rotating refresh token, a SAML assertion) is retried only when the server cannot
/// have processed it: a connection failure, 429, 503 or the rate-limit 400.
#[derive(Clone)]
pub struct TokenEndpoint {
    http: reqwest::Client,
    login_base_url: String,
    token_url: String,
    user_agent: HeaderValue,
    timeout: Duration,
    retry: RetryPolicy,
    wire: WireLog,
}

impl fmt::Debug for TokenEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenEndpoint")
            .field("token_url", &self.token_url)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

/// A successful token answer: the access token, and the refresh token when Genesys sent one.
pub(crate) struct TokenAnswer {
    pub(crate) access_token: AccessToken,
    pub(crate) refresh_token: Option<Secret>,
}

/// How the OAuth client identifies itself: with its secret (HTTP Basic), or, for a public
/// client (PKCE), with its id alone as the `client_id` form field.
#[derive(Clone)]
pub(crate) struct OAuthClient {
    pub(crate) id: String,
    pub(crate) secret: Option<Secret>,
}

impl OAuthClient {
    /// A confidential client: its id and secret, sent as HTTP Basic.
    pub(crate) fn confidential(id: impl Into<String>, secret: impl Into<String>) -> Self {
        OAuthClient {
            id: id.into(),
            secret: Some(Secret::new(secret)),
        }
    }

    /// A public client (PKCE): its id alone, sent as the `client_id` form field.
    pub(crate) fn public(id: impl Into<String>) -> Self {
        OAuthClient {
            id: id.into(),
            secret: None,
        }
    }
}

/// Whether a request may be sent again after the server may have processed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Repeat {
    /// Asking again has the effect of asking once (client credentials).
    Safe,
    /// The request uses up a credential (an authorization code, a rotating refresh token):
    /// only what cannot have been processed is retried.
    SingleUse,
}

/// The success body of `/oauth/token`.
#[derive(serde::Deserialize)]
struct TokenResponse {
    access_token: String,
    expires_in: Option<u64>,
    refresh_token: Option<String>,
}

/// The OAuth error body. Genesys names the text `description`; RFC 6749 names it
/// `error_description`; either or both may come.
#[derive(serde::Deserialize)]
struct TokenError {
    error: Option<String>,
    description: Option<String>,
    error_description: Option<String>,
}

impl TokenError {
    /// `error: description`, or `None` when the body names neither.
    fn detail(&self) -> Option<String> {
        let description = self
            .description
            .as_ref()
            .or(self.error_description.as_ref());
        let text = [self.error.as_ref(), description]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(": ");
        (!text.is_empty()).then_some(text)
    }

    /// Whether this is Genesys's answer to its own rate limit (an HTTP 400).
    fn is_rate_limit(&self) -> bool {
        [&self.description, &self.error_description]
            .into_iter()
            .flatten()
            .any(|text| text.to_ascii_lowercase().contains("rate limit exceeded"))
    }
}

impl TokenEndpoint {
    /// The token endpoint of `login_base_url` (such as `https://login.mypurecloud.com`),
    /// asked through `http`, with the crate's `User-Agent`, a 60 s timeout per attempt and
    /// the default [`RetryPolicy`].
    pub fn new(http: reqwest::Client, login_base_url: &str) -> Self {
        let login_base_url = login_base_url.trim_end_matches('/').to_owned();
        TokenEndpoint {
            http,
            token_url: format!("{login_base_url}/oauth/token"),
            login_base_url,
            user_agent: HeaderValue::from_static(USER_AGENT),
            timeout: Duration::from_secs(60),
            retry: RetryPolicy::default(),
            wire: WireLog::off(),
        }
    }

    /// Each attempt must be answered, body included, within this time (60 s by default),
    /// so a login host that never answers fails the request after at most the policy's
    /// attempts of this long each.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Retries token requests under this policy (its attempts and total time).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The URL tokens are asked from: `{login}/oauth/token`.
    pub fn url(&self) -> &str {
        &self.token_url
    }

    /// The login host's base URL, without a trailing `/`.
    pub fn login_base_url(&self) -> &str {
        &self.login_base_url
    }

    /// The token endpoint of a client: its HTTP client, login URL, `User-Agent`, retry
    /// policy and per-attempt timeout (when it has none, token requests keep theirs: they
    /// are always bounded).
    pub(crate) fn for_client(
        http: reqwest::Client,
        login_base_url: &str,
        user_agent: HeaderValue,
        timeout: Option<Duration>,
        retry: RetryPolicy,
        wire: WireLog,
    ) -> Self {
        let mut endpoint = TokenEndpoint::new(http, login_base_url).retry(retry);
        endpoint.user_agent = user_agent;
        endpoint.wire = wire;
        endpoint.timeout = timeout.unwrap_or(endpoint.timeout);
        endpoint
    }

    /// Posts `form` (with `client_id` added for a public client) to the token endpoint,
    /// retrying as the type's documentation says, and reads the answer. Every token request
    /// of every grant is this one function.
    pub(crate) async fn request(
        &self,
        client: &OAuthClient,
        form: &[(&str, &str)],
        repeat: Repeat,
    ) -> Result<TokenAnswer, Error> {
        let mut fields = form.to_vec();
        if client.secret.is_none() {
            fields.push(("client_id", client.id.as_str()));
        }
        let started = Instant::now();
        let deadline = started + self.retry.elapsed_budget();
        let mut attempts = 0u32;
        loop {
            attempts += 1;
            let mut request = self
                .http
                .post(&self.token_url)
                .header(reqwest::header::USER_AGENT, self.user_agent.clone())
                .header(reqwest::header::ACCEPT, "application/json")
                .timeout(self.timeout)
                .form(&fields);
            if let Some(secret) = &client.secret {
                request = request.basic_auth(&client.id, Some(secret.expose()));
            }
            let attempt = match request.build() {
                Ok(request) => exchange(&self.http, &self.wire, request).await,
                Err(error) => Outcome::Failed { error, sent: false },
            };
            let rejection = match &attempt {
                Outcome::Answer(status, _, body) if !(200..300).contains(status) => {
                    serde_json::from_slice::<TokenError>(body).ok()
                }
                _ => None,
            };
            let rate_limited = rejection.as_ref().is_some_and(TokenError::is_rate_limit);
            let single_use = repeat == Repeat::SingleUse;
            let wait = match &attempt {
                Outcome::Answer(429 | 503, headers, _) => {
                    Some(retry_after(headers, SystemTime::now()))
                }
                Outcome::Answer(400, headers, _) if rate_limited => {
                    Some(retry_after(headers, SystemTime::now()))
                }
                Outcome::Answer(500..=599, _, _) if !single_use => Some(None),
                Outcome::Failed { sent, .. } if !sent || !single_use => Some(None),
                _ => None,
            };
            let retries = attempts - 1;
            if let Some(wait) =
                wait.and_then(|asked| self.retry.next_wait(retries, asked, deadline))
            {
                tracing::debug!(
                    attempt = attempts,
                    wait_ms = wait.as_millis() as u64,
                    "retrying the token request"
                );
                tokio::time::sleep(wait).await;
                continue;
            }
            return self.finish(attempt, rejection, attempts);
        }
    }

    /// The token in a success, or the [`Error::Auth`] saying what failed after `attempts`.
    fn finish(
        &self,
        attempt: Outcome,
        rejection: Option<TokenError>,
        attempts: u32,
    ) -> Result<TokenAnswer, Error> {
        let tries = match attempts {
            1 => "1 attempt".to_owned(),
            n => format!("{n} attempts"),
        };
        let url = &self.token_url;
        match attempt {
            Outcome::Answer(status, _, body) if (200..300).contains(&status) => {
                // Only where it failed: serde's message may quote a value, a token perhaps.
                let token: TokenResponse =
                    serde_json::from_slice(&body).map_err(|e| Error::Auth {
                        status: Some(status),
                        message: format!(
                            "the token response from {url} is not an OAuth token \
                             (line {}, column {})",
                            e.line(),
                            e.column()
                        ),
                        source: None,
                    })?;
                let access_token = match token.expires_in {
                    Some(seconds) => {
                        AccessToken::expiring_in(token.access_token, Duration::from_secs(seconds))
                    }
                    None => AccessToken::new(token.access_token),
                };
                Ok(TokenAnswer {
                    access_token,
                    refresh_token: token.refresh_token.map(Secret::new),
                })
            }
            Outcome::Answer(status, _, _) => {
                let detail = rejection
                    .and_then(|r| r.detail())
                    .unwrap_or_else(|| "no OAuth error in the body".to_owned());
                Err(Error::Auth {
                    status: Some(status),
                    message: format!(
                        "the token request to {url} answered HTTP {status} after {tries}: {detail}"
                    ),
                    source: None,
                })
            }
            Outcome::Failed { error, .. } => {
                let what = if error.is_timeout() {
                    "timed out"
                } else if error.is_connect() {
                    "could not connect"
                } else {
                    "failed"
                };
                Err(Error::Auth {
                    status: None,
                    message: format!("the token request to {url} {what} after {tries}"),
                    source: Some(Arc::new(error)),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rejection(json: &str) -> TokenError {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn the_rate_limit_answer_is_recognised_under_either_key_and_any_case() {
        for json in [
            r#"{"error":"invalid_request","description":"rate limit exceeded"}"#,
            r#"{"error":"invalid_request","error_description":"Rate Limit Exceeded."}"#,
            r#"{"error":"invalid_request","description":"x","error_description":"rate limit exceeded"}"#,
        ] {
            assert!(rejection(json).is_rate_limit(), "{json}");
        }
        for json in [
            r#"{"error":"invalid_client","description":"client not found"}"#,
            r#"{"error":"rate limit exceeded"}"#,
            r#"{}"#,
        ] {
            assert!(!rejection(json).is_rate_limit(), "{json}");
        }
    }

    #[test]
    fn the_detail_names_the_error_and_its_description() {
        assert_eq!(
            rejection(r#"{"error":"invalid_client","description":"client not found"}"#)
                .detail()
                .as_deref(),
            Some("invalid_client: client not found")
        );
        assert_eq!(
            rejection(r#"{"error_description":"bad code"}"#)
                .detail()
                .as_deref(),
            Some("bad code")
        );
        assert_eq!(rejection("{}").detail(), None);
    }

    #[test]
    fn the_token_url_is_the_login_hosts_oauth_endpoint() {
        let endpoint = TokenEndpoint::new(reqwest::Client::new(), "https://login.example.com/");
        assert_eq!(endpoint.url(), "https://login.example.com/oauth/token");
        assert_eq!(endpoint.login_base_url(), "https://login.example.com");
    }
}

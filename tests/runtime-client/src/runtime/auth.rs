//! Authentication: access tokens that never print, the token-provider trait any OAuth grant
//! plugs into, a fixed bearer token, and the client-credentials grant with a cached token
//! refreshed before it expires by exactly one request however many calls wait for it.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::Error;

/// A boxed future, as [`TokenProvider`] methods return (the trait stays object safe).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A secret string (token, client secret): its `Debug` and `Display` print `<redacted>`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself, for sending it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// An OAuth access token and when it stops being valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessToken {
    secret: Secret,
    expires_at: Option<Instant>,
}

impl AccessToken {
    /// A token with no known expiry.
    pub fn new(token: impl Into<String>) -> Self {
        AccessToken {
            secret: Secret::new(token),
            expires_at: None,
        }
    }

    /// A token valid for `lifetime` from now.
    pub fn expiring_in(token: impl Into<String>, lifetime: Duration) -> Self {
        AccessToken {
            secret: Secret::new(token),
            expires_at: Some(Instant::now() + lifetime),
        }
    }

    /// The token, to put in the `Authorization` header.
    pub fn secret(&self) -> &Secret {
        &self.secret
    }

    /// When the token expires, if known.
    pub fn expires_at(&self) -> Option<Instant> {
        self.expires_at
    }
}

/// Supplies the access token for each request: implement it to plug in any OAuth grant
/// (authorization code with PKCE, SAML2 bearer, a token cache shared between processes).
///
/// The client calls [`token`](Self::token) before every attempt, so an implementation must
/// cache; when the API answers 401 it calls [`invalidate`](Self::invalidate) with the token
/// it sent, then `token` once more, and retries once if that gives a different token.
///
/// ```
/// use runtime_client::runtime::{AccessToken, BoxFuture, Error, TokenProvider};
///
/// struct FromVault;
///
/// impl TokenProvider for FromVault {
///     fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>> {
///         Box::pin(async { Ok(AccessToken::new("token from the vault")) })
///     }
/// }
///
/// let client = runtime_client::Client::builder().token_provider(FromVault).build().unwrap();
/// # let _ = client;
/// ```
pub trait TokenProvider: Send + Sync + 'static {
    /// A token valid now, fetched or refreshed if need be.
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>>;

    /// The API rejected `token` (401): the next [`token`](Self::token) call must not return
    /// it. The default does nothing (a fixed token cannot be replaced).
    fn invalidate(&self, token: &AccessToken) {
        let _ = token;
    }

    /// What kind of provider this is, for `Debug` output; never a secret.
    fn describe(&self) -> String {
        "custom token provider".to_owned()
    }
}

/// A fixed bearer token supplied by the caller.
#[derive(Debug, Clone)]
pub struct StaticToken(AccessToken);

impl StaticToken {
    /// Sends this token with every request.
    pub fn new(token: impl Into<String>) -> Self {
        StaticToken(AccessToken::new(token))
    }
}

impl TokenProvider for StaticToken {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>> {
        let token = self.0.clone();
        Box::pin(async move { Ok(token) })
    }

    fn describe(&self) -> String {
        "bearer token".to_owned()
    }
}

/// The OAuth client-credentials grant against a login host's `/oauth/token`.
///
/// The token is cached and refreshed [`refresh_before`](Self::refresh_before) its expiry
/// (60 s by default). Concurrent calls that find it missing or due wait for one refresh: a
/// hundred calls with an expired token cause exactly one token request.
pub struct ClientCredentials {
    http: reqwest::Client,
    token_url: String,
    client_id: String,
    client_secret: Secret,
    refresh_before: Duration,
    cached: Mutex<Option<AccessToken>>,
    refresh: tokio::sync::Mutex<()>,
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("refresh_before", &self.refresh_before)
            .finish_non_exhaustive()
    }
}

#[derive(serde::Deserialize)]
struct TokenResponse {
    access_token: String,
    expires_in: Option<u64>,
}

#[derive(serde::Deserialize)]
struct TokenError {
    error: Option<String>,
    #[serde(alias = "error_description")]
    description: Option<String>,
}

impl ClientCredentials {
    /// The grant for this OAuth client, asking `login_base_url` (such as
    /// `https://login.mypurecloud.com`) for tokens through `http`.
    pub fn new(
        http: reqwest::Client,
        login_base_url: &str,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        ClientCredentials {
            http,
            token_url: format!("{}/oauth/token", login_base_url.trim_end_matches('/')),
            client_id: client_id.into(),
            client_secret: Secret::new(client_secret),
            refresh_before: Duration::from_secs(60),
            cached: Mutex::new(None),
            refresh: tokio::sync::Mutex::new(()),
        }
    }

    /// Refreshes the token this long before it expires (a token whose whole lifetime is
    /// shorter is refreshed on every call).
    pub fn refresh_before(mut self, margin: Duration) -> Self {
        self.refresh_before = margin;
        self
    }

    /// The cached token, unless it is missing or due for refresh.
    fn fresh(&self) -> Option<AccessToken> {
        let cached = self.cached.lock().unwrap_or_else(|e| e.into_inner());
        cached
            .as_ref()
            .filter(|t| {
                t.expires_at
                    .map_or(true, |at| Instant::now() + self.refresh_before < at)
            })
            .cloned()
    }

    async fn fetch(&self) -> Result<AccessToken, Error> {
        let auth_error = |status: Option<u16>, message: String| Error::Auth {
            status,
            message,
            source: None,
        };
        let response = self
            .http
            .post(&self.token_url)
            .basic_auth(&self.client_id, Some(self.client_secret.expose()))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .map_err(|e| {
                auth_error(
                    None,
                    format!(
                        "token request to {} failed: {}",
                        self.token_url,
                        e.without_url()
                    ),
                )
            })?;
        let status = response.status().as_u16();
        let body = response.bytes().await.map_err(|e| {
            auth_error(
                Some(status),
                format!("token response unreadable: {}", e.without_url()),
            )
        })?;
        if !(200..300).contains(&status) {
            let detail = serde_json::from_slice::<TokenError>(&body)
                .ok()
                .map(|e| {
                    [e.error, e.description]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(": ")
                })
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "no OAuth error in the body".to_owned());
            return Err(auth_error(
                Some(status),
                format!(
                    "token request to {} answered HTTP {status}: {detail}",
                    self.token_url
                ),
            ));
        }
        let token: TokenResponse = serde_json::from_slice(&body).map_err(|e| {
            auth_error(
                Some(status),
                format!("token response from {} did not decode: {e}", self.token_url),
            )
        })?;
        Ok(match token.expires_in {
            Some(seconds) => {
                AccessToken::expiring_in(token.access_token, Duration::from_secs(seconds))
            }
            None => AccessToken::new(token.access_token),
        })
    }
}

impl TokenProvider for ClientCredentials {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>> {
        Box::pin(async move {
            if let Some(token) = self.fresh() {
                return Ok(token);
            }
            // One refresh at a time; whoever waited behind it finds the new token cached.
            let _refreshing = self.refresh.lock().await;
            if let Some(token) = self.fresh() {
                return Ok(token);
            }
            let span = tracing::debug_span!("genesys_cloud.token", grant = "client_credentials", url = %self.token_url);
            let token = tracing::Instrument::instrument(self.fetch(), span).await?;
            *self.cached.lock().unwrap_or_else(|e| e.into_inner()) = Some(token.clone());
            Ok(token)
        })
    }

    fn invalidate(&self, token: &AccessToken) {
        let mut cached = self.cached.lock().unwrap_or_else(|e| e.into_inner());
        if cached.as_ref().is_some_and(|c| c.secret == token.secret) {
            *cached = None;
        }
    }

    fn describe(&self) -> String {
        format!(
            "client credentials (client id {}, token URL {})",
            self.client_id, self.token_url
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn credentials() -> ClientCredentials {
        ClientCredentials::new(
            reqwest::Client::new(),
            "https://login.example.com/",
            "client-id",
            "client-secret",
        )
    }

    #[test]
    fn secrets_never_print() {
        let secret = Secret::new("hunter2");
        assert_eq!(format!("{secret} {secret:?}"), "<redacted> <redacted>");
        assert_eq!(secret.expose(), "hunter2");
        let token = AccessToken::expiring_in("token-value", Duration::from_secs(60));
        assert!(!format!("{token:?}").contains("token-value"));
        let debug = format!("{:?}", credentials());
        assert!(!debug.contains("client-secret"), "{debug}");
        assert!(debug.contains("client-id"), "{debug}");
    }

    #[test]
    fn the_token_url_is_the_login_hosts_oauth_endpoint() {
        assert_eq!(
            credentials().token_url,
            "https://login.example.com/oauth/token"
        );
        assert!(credentials()
            .describe()
            .contains("token URL https://login.example.com/oauth/token"));
    }

    #[test]
    fn a_cached_token_is_fresh_until_its_refresh_margin() {
        let provider = credentials().refresh_before(Duration::from_secs(60));
        assert_eq!(provider.fresh(), None);
        let set = |token: AccessToken| *provider.cached.lock().unwrap() = Some(token);
        set(AccessToken::expiring_in("late", Duration::from_secs(600)));
        assert_eq!(provider.fresh().unwrap().secret().expose(), "late");
        set(AccessToken::expiring_in("due", Duration::from_secs(30)));
        assert_eq!(provider.fresh(), None);
        set(AccessToken::new("forever"));
        assert_eq!(provider.fresh().unwrap().secret().expose(), "forever");
    }

    #[test]
    fn invalidate_drops_only_the_token_it_names() {
        let provider = credentials();
        *provider.cached.lock().unwrap() = Some(AccessToken::new("current"));
        provider.invalidate(&AccessToken::new("older"));
        assert!(provider.fresh().is_some());
        provider.invalidate(&AccessToken::new("current"));
        assert!(provider.fresh().is_none());
    }
}

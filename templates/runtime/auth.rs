//! Authentication: secrets and access tokens that never print, the token-provider trait
//! any OAuth grant plugs into, and a fixed bearer token. The grants Genesys offers are in
//! `grants.rs`, the token endpoint they share in `token_endpoint.rs`.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
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

/// Supplies the access token for each request. The crate's grants implement it
/// ([`ClientCredentials`](super::ClientCredentials),
/// [`AuthorizationCode`](super::AuthorizationCode), [`RefreshToken`](super::RefreshToken),
/// [`Saml2Bearer`](super::Saml2Bearer)); implement it to plug in any other source of
/// tokens (a token cache shared between processes, a vault).
///
/// The client calls [`token`](Self::token) before every attempt, so an implementation must
/// cache; when the API answers 401 it calls [`invalidate`](Self::invalidate) with the token
/// it sent, then `token` once more, and retries once if that gives a different token.
///
/// ```
/// use genesys_cloud::runtime::{AccessToken, BoxFuture, Error, TokenProvider};
///
/// struct FromVault;
///
/// impl TokenProvider for FromVault {
///     fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>> {
///         Box::pin(async { Ok(AccessToken::new("token from the vault")) })
///     }
/// }
///
/// let client = genesys_cloud::Client::builder().token_provider(FromVault).build().unwrap();
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

/// A shared provider is a provider: keep an `Arc` of a grant to read its state (such as
/// [`AuthorizationCode::refresh_token`](super::AuthorizationCode::refresh_token)) while the
/// client uses it.
impl<T: TokenProvider + ?Sized> TokenProvider for std::sync::Arc<T> {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>> {
        (**self).token()
    }

    fn invalidate(&self, token: &AccessToken) {
        (**self).invalidate(token)
    }

    fn describe(&self) -> String {
        (**self).describe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print() {
        let secret = Secret::new("hunter2");
        assert_eq!(format!("{secret} {secret:?}"), "<redacted> <redacted>");
        assert_eq!(secret.expose(), "hunter2");
        let token = AccessToken::expiring_in("token-value", Duration::from_secs(60));
        assert!(!format!("{token:?}").contains("token-value"));
        assert!(!format!("{:?}", StaticToken::new("token-value")).contains("token-value"));
    }
}

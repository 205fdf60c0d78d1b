//! The OAuth grants Genesys Cloud offers, as [`TokenProvider`]s: client credentials,
//! authorization code (with or without PKCE) and its refresh token, a stored refresh token,
//! and SAML2 bearer. Each caches its token and refreshes it by a single flight: one token
//! request at a time, run in its own task so that a caller that stops waiting (its call
//! timed out) does not cancel it, and whose outcome every waiting call gets, failure
//! included.
//!
//! The form fields are those of Genesys's
//! [platform authorization](https://developer.genesys.cloud/authorization/platform-auth/)
//! documentation and of its official SDKs.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::sync::watch;
use tracing::Instrument as _;

use super::auth::{AccessToken, BoxFuture, Secret, TokenProvider};
use super::pkce::PkceVerifier;
use super::token_endpoint::{OAuthClient, Repeat, TokenAnswer, TokenEndpoint};
use super::Error;

/// The default of `refresh_before`: tokens are refreshed a minute before they expire.
const REFRESH_BEFORE: Duration = Duration::from_secs(60);

/// What a grant sends to get a token.
enum Kind {
    /// `grant_type=client_credentials`, as often as needed.
    ClientCredentials,
    /// `grant_type=urn:ietf:params:oauth:grant-type:saml2-bearer`, `orgName`, `assertion`.
    Saml2Bearer { org_name: String, assertion: Secret },
    /// A code exchange first (if any), then `grant_type=refresh_token`.
    Refreshing,
}

/// An authorization code waiting to be exchanged.
struct Exchange {
    code: Secret,
    redirect_uri: String,
    verifier: Option<PkceVerifier>,
}

/// The outcome of one refresh, as every waiting call reads it.
type Outcome = Arc<Result<AccessToken, Error>>;

/// A grant's changing state.
struct State {
    token: Option<AccessToken>,
    refresh_token: Option<Secret>,
    exchange: Option<Exchange>,
    refresh_before: Duration,
    /// The refresh in flight: its number and where its outcome will appear.
    pending: Option<(u64, watch::Receiver<Option<Outcome>>)>,
    refreshes: u64,
}

/// What every grant type shares: the endpoint, the OAuth client, what it sends, its state.
struct Grant {
    name: &'static str,
    endpoint: TokenEndpoint,
    client: OAuthClient,
    kind: Kind,
    state: Mutex<State>,
}

impl Grant {
    fn new(
        name: &'static str,
        endpoint: TokenEndpoint,
        client: OAuthClient,
        kind: Kind,
        exchange: Option<Exchange>,
        refresh_token: Option<Secret>,
    ) -> Arc<Grant> {
        Arc::new(Grant {
            name,
            endpoint,
            client,
            kind,
            state: Mutex::new(State {
                token: None,
                refresh_token,
                exchange,
                refresh_before: REFRESH_BEFORE,
                pending: None,
                refreshes: 0,
            }),
        })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The cached token, unless it is missing or due for refresh.
    fn fresh(state: &State) -> Option<AccessToken> {
        state
            .token
            .as_ref()
            .filter(|t| {
                t.expires_at()
                    .map_or(true, |at| Instant::now() + state.refresh_before < at)
            })
            .cloned()
    }

    /// The cached token, or the one the refresh in flight (started now if none is) gets.
    async fn token(self: &Arc<Self>) -> Result<AccessToken, Error> {
        let mut outcome = {
            let mut state = self.lock();
            if let Some(token) = Self::fresh(&state) {
                return Ok(token);
            }
            match &state.pending {
                Some((_, outcome)) => outcome.clone(),
                None => self.start_refresh(&mut state)?,
            }
        };
        let done = outcome
            .wait_for(Option::is_some)
            .await
            .map_err(|_| stopped())?;
        match done.as_deref() {
            Some(Ok(token)) => Ok(token.clone()),
            Some(Err(error)) => Err(shared_error(error)),
            None => Err(stopped()),
        }
    }

    /// Starts the refresh in a task of its own, so that it ends (within the endpoint's
    /// bounds) even when every caller waiting for it gives up.
    fn start_refresh(
        self: &Arc<Self>,
        state: &mut State,
    ) -> Result<watch::Receiver<Option<Outcome>>, Error> {
        let runtime = tokio::runtime::Handle::try_current().map_err(|_| Error::Config {
            message: "getting an OAuth token needs a Tokio runtime".into(),
        })?;
        state.refreshes += 1;
        let number = state.refreshes;
        let (sender, outcome) = watch::channel(None);
        state.pending = Some((number, outcome.clone()));
        let grant = Arc::clone(self);
        let span = tracing::debug_span!("genesys_cloud.token", grant = self.name, url = %self.endpoint.url());
        runtime.spawn(
            async move {
                let done = EndRefresh {
                    grant: &grant,
                    number,
                };
                let result = grant.fetch().await;
                if let Ok(token) = &result {
                    grant.lock().token = Some(token.clone());
                }
                drop(done);
                // No receiver left is no error: every caller gave up.
                let _ = sender.send(Some(Arc::new(result)));
            }
            .instrument(span),
        );
        Ok(outcome)
    }

    /// One token request for this grant, storing what the answer rotates.
    async fn fetch(&self) -> Result<AccessToken, Error> {
        let answer = match &self.kind {
            Kind::ClientCredentials => {
                self.endpoint
                    .request(
                        &self.client,
                        &[("grant_type", "client_credentials")],
                        Repeat::Safe,
                    )
                    .await?
            }
            Kind::Saml2Bearer {
                org_name,
                assertion,
            } => {
                let form = [
                    (
                        "grant_type",
                        "urn:ietf:params:oauth:grant-type:saml2-bearer",
                    ),
                    ("orgName", org_name.as_str()),
                    ("assertion", assertion.expose()),
                ];
                self.endpoint
                    .request(&self.client, &form, Repeat::SingleUse)
                    .await?
            }
            Kind::Refreshing => self.refresh().await?,
        };
        let mut state = self.lock();
        if let Some(rotated) = answer.refresh_token {
            state.refresh_token = Some(rotated);
        }
        Ok(answer.access_token)
    }

    /// Exchanges the authorization code, when one is waiting; else uses the refresh token.
    async fn refresh(&self) -> Result<TokenAnswer, Error> {
        let (code, refresh_token) = {
            let state = self.lock();
            let code = state.exchange.as_ref().map(|e| {
                (
                    e.code.clone(),
                    e.redirect_uri.clone(),
                    e.verifier.as_ref().map(|v| v.secret().clone()),
                )
            });
            (code, state.refresh_token.clone())
        };
        if let Some((code, redirect_uri, verifier)) = code {
            let mut form = vec![
                ("grant_type", "authorization_code"),
                ("code", code.expose()),
                ("redirect_uri", redirect_uri.as_str()),
            ];
            if let Some(verifier) = &verifier {
                form.push(("code_verifier", verifier.expose()));
            }
            let answer = self
                .endpoint
                .request(&self.client, &form, Repeat::SingleUse)
                .await?;
            self.lock().exchange = None;
            return Ok(answer);
        }
        let Some(refresh_token) = refresh_token else {
            return Err(Error::Auth {
                status: None,
                message: format!(
                    "the access token of the {} grant (client id {}) expired or was rejected, \
                     and Genesys gave no refresh token: authorize again",
                    self.name, self.client.id
                ),
                source: None,
            });
        };
        let form = [
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token.expose()),
        ];
        self.endpoint
            .request(&self.client, &form, Repeat::SingleUse)
            .await
    }

    fn invalidate(&self, token: &AccessToken) {
        let mut state = self.lock();
        if state
            .token
            .as_ref()
            .is_some_and(|c| c.secret() == token.secret())
        {
            state.token = None;
        }
    }

    fn describe(&self) -> String {
        format!(
            "{} (client id {}, token URL {})",
            self.name,
            self.client.id,
            self.endpoint.url()
        )
    }

    fn debug(&self, f: &mut fmt::Formatter<'_>, type_name: &str) -> fmt::Result {
        let state = self.lock();
        f.debug_struct(type_name)
            .field("client_id", &self.client.id)
            .field("token_url", &self.endpoint.url())
            .field("refresh_before", &state.refresh_before)
            .field("token", &state.token)
            .finish_non_exhaustive()
    }
}

/// Ends refresh `number` of a grant when dropped, even if the refresh task panicked, so the
/// next call starts another rather than waiting for one that will not come.
struct EndRefresh<'a> {
    grant: &'a Grant,
    number: u64,
}

impl Drop for EndRefresh<'_> {
    fn drop(&mut self) {
        let mut state = self.grant.lock();
        if state
            .pending
            .as_ref()
            .is_some_and(|(n, _)| *n == self.number)
        {
            state.pending = None;
        }
    }
}

/// The error of a refresh, for one of the calls that waited for it: an [`Error::Auth`]
/// with its status, message and (shared) cause.
fn shared_error(error: &Error) -> Error {
    match error {
        Error::Auth {
            status,
            message,
            source,
        } => Error::Auth {
            status: *status,
            message: message.clone(),
            source: source.clone(),
        },
        other => Error::Auth {
            status: other.status(),
            message: other.to_string(),
            source: None,
        },
    }
}

/// The error of a call whose refresh ended without an outcome (its task panicked).
fn stopped() -> Error {
    Error::Auth {
        status: None,
        message: "the token refresh stopped without an answer".into(),
        source: None,
    }
}

/// Implements the public wrapper of a [`Grant`]: `Debug`, [`TokenProvider`] and
/// `refresh_before`.
macro_rules! grant_provider {
    ($name:ident) => {
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.debug(f, stringify!($name))
            }
        }

        impl TokenProvider for $name {
            fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>> {
                Box::pin(self.0.token())
            }

            fn invalidate(&self, token: &AccessToken) {
                self.0.invalidate(token)
            }

            fn describe(&self) -> String {
                self.0.describe()
            }
        }

        impl $name {
            /// Refreshes the token this long before it expires (60 s by default; a token
            /// whose whole lifetime is shorter is refreshed on every call).
            pub fn refresh_before(self, margin: Duration) -> Self {
                self.0.lock().refresh_before = margin;
                self
            }
        }
    };
}

/// The OAuth [client-credentials grant](https://developer.genesys.cloud/authorization/platform-auth/use-client-credentials):
/// a non-user application's token, from its client id and secret (HTTP Basic) and
/// `grant_type=client_credentials`. What [`ClientBuilder::client_credentials`] sets up.
///
/// The token is cached and refreshed 60 s before it expires
/// ([`refresh_before`](Self::refresh_before)); a hundred concurrent calls needing a new one
/// cause one token request.
///
/// [`ClientBuilder::client_credentials`]: super::ClientBuilder::client_credentials
pub struct ClientCredentials(Arc<Grant>);

grant_provider!(ClientCredentials);

impl ClientCredentials {
    /// The grant for this OAuth client, asking `endpoint` for tokens.
    pub fn new(
        endpoint: TokenEndpoint,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        let client = OAuthClient::confidential(client_id, client_secret);
        ClientCredentials(Grant::new(
            "client credentials",
            endpoint,
            client,
            Kind::ClientCredentials,
            None,
            None,
        ))
    }
}

/// The OAuth [authorization-code grant](https://developer.genesys.cloud/authorization/platform-auth/use-authorization-code),
/// for an application acting as a Genesys user: the code Genesys's login page redirected
/// back with is exchanged for a token (`grant_type=authorization_code`, `code`,
/// `redirect_uri`), and when that token expires or is rejected, the refresh token that came
/// with it gets a new one (`grant_type=refresh_token`, `refresh_token`). When an answer
/// carries a new refresh token, it replaces the old one (rotation); read it with
/// [`refresh_token`](Self::refresh_token) to store it.
///
/// [`new`](Self::new) is the confidential client's grant (HTTP Basic with the client
/// secret); [`pkce`](Self::pkce) the public client's, with a [`PkceVerifier`] and no secret.
///
/// ```no_run
/// # fn run(code: String) -> Result<(), genesys_cloud::Error> {
/// use std::sync::Arc;
/// use genesys_cloud::runtime::{AuthorizationCode, Region};
///
/// let builder = genesys_cloud::Client::builder().region(Region::EuWest1);
/// let auth = Arc::new(AuthorizationCode::new(
///     builder.token_endpoint()?,
///     "my-client-id",
///     "my-client-secret",
///     code,
///     "https://app.example.com/callback",
/// ));
/// let client = builder.token_provider(Arc::clone(&auth)).build()?;
/// // ... calls ...
/// if let Some(refresh_token) = auth.refresh_token() {
///     // Store refresh_token.expose() for RefreshToken::new next time.
/// #   let _ = refresh_token;
/// }
/// # let _ = client;
/// # Ok(()) }
/// ```
pub struct AuthorizationCode(Arc<Grant>);

grant_provider!(AuthorizationCode);

impl AuthorizationCode {
    /// The grant of a confidential OAuth client: exchanges `code` (with the `redirect_uri`
    /// the login page was given) on the first call.
    pub fn new(
        endpoint: TokenEndpoint,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        code: impl Into<String>,
        redirect_uri: impl Into<String>,
    ) -> Self {
        let client = OAuthClient::confidential(client_id, client_secret);
        AuthorizationCode::exchanging(
            "authorization code",
            endpoint,
            client,
            code.into(),
            redirect_uri.into(),
            None,
        )
    }

    /// The [PKCE grant](https://developer.genesys.cloud/authorization/platform-auth/use-pkce)
    /// of a public OAuth client (no secret): exchanges `code` with `client_id` and the
    /// `verifier` whose challenge the login page was given; refreshes send `client_id` too.
    pub fn pkce(
        endpoint: TokenEndpoint,
        client_id: impl Into<String>,
        verifier: PkceVerifier,
        code: impl Into<String>,
        redirect_uri: impl Into<String>,
    ) -> Self {
        let client = OAuthClient::public(client_id);
        AuthorizationCode::exchanging(
            "PKCE authorization code",
            endpoint,
            client,
            code.into(),
            redirect_uri.into(),
            Some(verifier),
        )
    }

    fn exchanging(
        name: &'static str,
        endpoint: TokenEndpoint,
        client: OAuthClient,
        code: String,
        redirect_uri: String,
        verifier: Option<PkceVerifier>,
    ) -> Self {
        let exchange = Exchange {
            code: Secret::new(code),
            redirect_uri,
            verifier,
        };
        AuthorizationCode(Grant::new(
            name,
            endpoint,
            client,
            Kind::Refreshing,
            Some(exchange),
            None,
        ))
    }

    /// The current refresh token (after any rotation), to store for a later
    /// [`RefreshToken`]; `None` before the code is exchanged, or when Genesys sent none.
    pub fn refresh_token(&self) -> Option<Secret> {
        self.0.lock().refresh_token.clone()
    }
}

/// A refresh token stored from an earlier [`AuthorizationCode`] grant, as a provider: each
/// token is asked for with `grant_type=refresh_token` and `refresh_token` (Genesys's
/// [refresh](https://developer.genesys.cloud/authorization/platform-auth/use-authorization-code#refresh-an-access-token)),
/// and a new refresh token in an answer replaces the old one; read it with
/// [`refresh_token`](Self::refresh_token) to store it again.
pub struct RefreshToken(Arc<Grant>);

grant_provider!(RefreshToken);

impl RefreshToken {
    /// The refresh token of a confidential OAuth client (HTTP Basic with its secret).
    pub fn new(
        endpoint: TokenEndpoint,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        refresh_token: impl Into<String>,
    ) -> Self {
        let client = OAuthClient::confidential(client_id, client_secret);
        RefreshToken::with_client(endpoint, client, refresh_token.into())
    }

    /// The refresh token of a public OAuth client (PKCE): sent with `client_id`, no secret.
    pub fn public(
        endpoint: TokenEndpoint,
        client_id: impl Into<String>,
        refresh_token: impl Into<String>,
    ) -> Self {
        let client = OAuthClient::public(client_id);
        RefreshToken::with_client(endpoint, client, refresh_token.into())
    }

    fn with_client(endpoint: TokenEndpoint, client: OAuthClient, refresh_token: String) -> Self {
        RefreshToken(Grant::new(
            "refresh token",
            endpoint,
            client,
            Kind::Refreshing,
            None,
            Some(Secret::new(refresh_token)),
        ))
    }

    /// The current refresh token (after any rotation), to store. Always `Some` for this
    /// grant; an `Option` as [`AuthorizationCode::refresh_token`] is.
    pub fn refresh_token(&self) -> Option<Secret> {
        self.0.lock().refresh_token.clone()
    }
}

/// The OAuth [SAML2 bearer grant](https://developer.genesys.cloud/authorization/platform-auth/use-saml2-bearer):
/// a SAML assertion from the organization's identity provider, for a token acting as the
/// user it names (HTTP Basic with the client secret,
/// `grant_type=urn:ietf:params:oauth:grant-type:saml2-bearer`, `orgName`, `assertion`).
///
/// The assertion is sent again when the token expires; an identity provider's assertions
/// are valid for minutes, so when Genesys refuses it, make a new provider with a new one.
/// The request is retried only when Genesys cannot have seen it (an assertion may be
/// accepted once).
pub struct Saml2Bearer(Arc<Grant>);

grant_provider!(Saml2Bearer);

impl Saml2Bearer {
    /// The grant for this OAuth client, organization (its short name, as in
    /// `orgName`) and assertion: the SAML response's assertion, base64-encoded.
    pub fn new(
        endpoint: TokenEndpoint,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        org_name: impl Into<String>,
        assertion: impl Into<String>,
    ) -> Self {
        let client = OAuthClient::confidential(client_id, client_secret);
        let kind = Kind::Saml2Bearer {
            org_name: org_name.into(),
            assertion: Secret::new(assertion),
        };
        Saml2Bearer(Grant::new(
            "SAML2 bearer",
            endpoint,
            client,
            kind,
            None,
            None,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn credentials() -> ClientCredentials {
        let endpoint = TokenEndpoint::new(reqwest::Client::new(), "https://login.example.com/");
        ClientCredentials::new(endpoint, "client-id", "client-secret")
    }

    fn set(provider: &ClientCredentials, token: AccessToken) {
        provider.0.lock().token = Some(token);
    }

    fn fresh(provider: &ClientCredentials) -> Option<AccessToken> {
        Grant::fresh(&provider.0.lock())
    }

    #[test]
    fn a_cached_token_is_fresh_until_its_refresh_margin() {
        let provider = credentials().refresh_before(Duration::from_secs(60));
        assert_eq!(fresh(&provider), None);
        set(
            &provider,
            AccessToken::expiring_in("late", Duration::from_secs(600)),
        );
        assert_eq!(fresh(&provider).unwrap().secret().expose(), "late");
        set(
            &provider,
            AccessToken::expiring_in("due", Duration::from_secs(30)),
        );
        assert_eq!(fresh(&provider), None);
        set(&provider, AccessToken::new("forever"));
        assert_eq!(fresh(&provider).unwrap().secret().expose(), "forever");
    }

    #[test]
    fn invalidate_drops_only_the_token_it_names() {
        let provider = credentials();
        set(&provider, AccessToken::new("current"));
        provider.invalidate(&AccessToken::new("older"));
        assert!(fresh(&provider).is_some());
        provider.invalidate(&AccessToken::new("current"));
        assert!(fresh(&provider).is_none());
    }

    #[test]
    fn the_description_names_the_grant_client_and_url() {
        assert_eq!(
            credentials().describe(),
            "client credentials (client id client-id, token URL https://login.example.com/oauth/token)"
        );
        let debug = format!("{:?}", credentials());
        assert!(
            debug.contains("client-id") && !debug.contains("client-secret"),
            "{debug}"
        );
    }

    #[test]
    fn waiters_get_the_refreshs_error_with_its_cause() {
        let cause: Arc<dyn std::error::Error + Send + Sync> =
            Arc::new(std::io::Error::other("reset"));
        let error = Error::Auth {
            status: Some(503),
            message: "down".into(),
            source: Some(Arc::clone(&cause)),
        };
        match shared_error(&error) {
            Error::Auth {
                status: Some(503),
                message,
                source: Some(source),
            } => {
                assert_eq!(message, "down");
                assert!(Arc::ptr_eq(&source, &cause));
            }
            other => panic!("{other:?}"),
        }
    }
}

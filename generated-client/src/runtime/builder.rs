//! Configuring a [`Client`]: where requests go (region, base URL, login URL), how they
//! authenticate, and the HTTP client's timeouts, retries and `User-Agent`.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;

use super::auth::{ClientCredentials, Secret, StaticToken, TokenProvider};
use super::client::{Inner, USER_AGENT};
use super::{Client, Error, Region, RetryPolicy, WireLog};

/// How the client authenticates.
enum AuthConfig {
    None,
    Credentials {
        client_id: String,
        client_secret: Secret,
    },
    Provider(Arc<dyn TokenProvider>),
}

/// Configures a [`Client`]: region or base URL, authentication, timeouts, retries.
pub struct ClientBuilder {
    region: Option<Region>,
    base_url: Option<String>,
    login_url: Option<String>,
    auth: AuthConfig,
    http: Option<reqwest::Client>,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    user_agent: Option<String>,
    retry: RetryPolicy,
    refresh_before: Option<Duration>,
    wire: WireLog,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            region: None,
            base_url: None,
            login_url: None,
            auth: AuthConfig::None,
            http: None,
            connect_timeout: Some(Duration::from_secs(10)),
            timeout: Some(Duration::from_secs(60)),
            user_agent: None,
            retry: RetryPolicy::default(),
            refresh_before: None,
            wire: WireLog::off(),
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let auth = match &self.auth {
            AuthConfig::None => "none".to_owned(),
            AuthConfig::Credentials { client_id, .. } => {
                format!("client credentials (client id {client_id})")
            }
            AuthConfig::Provider(provider) => provider.describe(),
        };
        f.debug_struct("ClientBuilder")
            .field("region", &self.region)
            .field("base_url", &self.base_url)
            .field("login_url", &self.login_url)
            .field("auth", &auth)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Talks to this region's API host, and gets tokens from its login host.
    pub fn region(mut self, region: Region) -> Self {
        self.region = Some(region);
        self
    }

    /// Sends requests to this base URL instead of a region's (tests, proxies).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Asks this base URL for OAuth tokens. By default: the region's login host, else the
    /// base URL with a leading `api.` host label replaced by `login.`, else the base URL.
    pub fn login_url(mut self, url: impl Into<String>) -> Self {
        self.login_url = Some(url.into());
        self
    }

    /// Authenticates every request with this OAuth bearer token.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.auth = AuthConfig::Provider(Arc::new(StaticToken::new(token)));
        self
    }

    /// Authenticates with the OAuth client-credentials grant, caching the token and
    /// refreshing it 60 s before it expires.
    pub fn client_credentials(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        self.auth = AuthConfig::Credentials {
            client_id: client_id.into(),
            client_secret: Secret::new(client_secret),
        };
        self
    }

    /// With [`client_credentials`](Self::client_credentials): refresh the token this long
    /// before it expires instead of 60 s.
    pub fn refresh_before(mut self, margin: Duration) -> Self {
        self.refresh_before = Some(margin);
        self
    }

    /// Gets tokens from this provider (any OAuth grant).
    pub fn token_provider(mut self, provider: impl TokenProvider) -> Self {
        self.auth = AuthConfig::Provider(Arc::new(provider));
        self
    }

    /// Uses this `reqwest::Client` (proxies, root certificates, middleware) for the API and
    /// for tokens. Its own connect timeout applies; [`connect_timeout`](Self::connect_timeout)
    /// does not.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// How long establishing a connection may take (10 s by default).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// How long each attempt may take, response body included (60 s by default).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Puts this product token (`my-app/1.2`) before the crate's own in `User-Agent`.
    pub fn user_agent(mut self, product: impl Into<String>) -> Self {
        self.user_agent = Some(product.into());
        self
    }

    /// The retry policy of every call (see [`RetryPolicy`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = self.api_base_url()?;
        // Only client credentials need it, so a bad login URL fails only their builds.
        let login = self.login_base_url(&base_url);
        let http = match self.http {
            Some(http) => http,
            None => {
                let mut builder = reqwest::Client::builder().use_rustls_tls();
                if let Some(timeout) = self.connect_timeout {
                    builder = builder.connect_timeout(timeout);
                }
                builder.build().map_err(|e| Error::Config {
                    message: e.to_string(),
                })?
            }
        };
        let user_agent = match &self.user_agent {
            Some(product) => format!("{product} {USER_AGENT}"),
            None => USER_AGENT.to_owned(),
        };
        let user_agent = HeaderValue::from_str(&user_agent).map_err(|_| Error::Config {
            message: format!("invalid user agent {user_agent:?}"),
        })?;
        let auth: Option<Arc<dyn TokenProvider>> = match self.auth {
            AuthConfig::None => None,
            AuthConfig::Provider(provider) => Some(provider),
            AuthConfig::Credentials {
                client_id,
                client_secret,
            } => {
                let mut provider = ClientCredentials::new(
                    http.clone(),
                    &login?,
                    client_id,
                    client_secret.expose(),
                );
                if let Some(margin) = self.refresh_before {
                    provider = provider.refresh_before(margin);
                }
                Some(Arc::new(provider))
            }
        };
        Ok(Client::from_inner(Inner {
            http,
            base_url,
            user_agent,
            timeout: self.timeout,
            retry: self.retry,
            auth,
            wire: self.wire,
        }))
    }

    /// Logs every HTTP exchange (method, URL, status, timing, headers, bodies cut to a set
    /// size, credentials redacted) as `tracing` events at `TRACE` on the target
    /// `genesys_cloud.wire`; off by default. See [`WireLog`].
    pub fn log_wire(mut self, log: WireLog) -> Self {
        self.wire = log;
        self
    }
}

impl ClientBuilder {
    /// The base URL requests go to: the one set, else the region's, else the definition's.
    fn api_base_url(&self) -> Result<String, Error> {
        match (&self.base_url, self.region) {
            (Some(url), _) => checked_url(url, "base URL"),
            (None, Some(region)) => Ok(region.api_base_url().to_owned()),
            (None, None) => checked_url(crate::DEFAULT_BASE_URL, "base URL"),
        }
    }

    /// The base URL client credentials ask for tokens, given the API's `base_url`: the one
    /// set, else the region's login host (unless a base URL was set, which wins over the
    /// region), else the one [`login_for`] derives from `base_url`.
    fn login_base_url(&self, base_url: &str) -> Result<String, Error> {
        match (&self.login_url, self.region, self.base_url.is_some()) {
            (Some(url), _, _) => checked_url(url, "login URL"),
            (None, Some(region), false) => Ok(region.login_base_url().to_owned()),
            (None, _, _) => Ok(login_for(base_url)),
        }
    }
}

/// The URL without a trailing `/`, or a configuration error.
fn checked_url(url: &str, what: &str) -> Result<String, Error> {
    let parsed = reqwest::Url::parse(url).map_err(|e| Error::Config {
        message: format!("{what} {url:?}: {e}"),
    })?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.cannot_be_a_base() {
        return Err(Error::Config {
            message: format!("{what} {url:?} must be an http:// or https:// URL"),
        });
    }
    Ok(url.trim_end_matches('/').to_owned())
}

/// The login base URL that goes with an API base URL: `https://api.X` -> `https://login.X`.
fn login_for(base_url: &str) -> String {
    match base_url.split_once("://api.") {
        Some((scheme, rest)) => format!(
            "{scheme}://login.{}",
            rest.split('/').next().unwrap_or(rest)
        ),
        None => base_url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_for_swaps_a_leading_api_label_and_drops_the_path() {
        assert_eq!(
            login_for("https://api.mypurecloud.ie"),
            "https://login.mypurecloud.ie"
        );
        assert_eq!(
            login_for("https://api.example.com:8443/proxy/v2"),
            "https://login.example.com:8443"
        );
        // No `api.` host label: the base URL itself (test servers, proxies).
        assert_eq!(login_for("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
        assert_eq!(
            login_for("https://myapi.example.com"),
            "https://myapi.example.com"
        );
    }

    #[test]
    fn checked_url_trims_the_slash_and_refuses_what_is_no_base() {
        assert_eq!(
            checked_url("https://api.example.com/", "base URL").unwrap(),
            "https://api.example.com"
        );
        assert_eq!(
            checked_url("http://localhost:1/api//", "base URL").unwrap(),
            "http://localhost:1/api"
        );
        for url in ["api.example.com", "ftp://example.com", "mailto:a@b.c", ""] {
            match checked_url(url, "base URL") {
                Err(Error::Config { message }) => {
                    assert!(message.starts_with("base URL"), "{message}")
                }
                other => panic!("{url:?}: {other:?}"),
            }
        }
    }

    /// The API and login base URLs a builder resolves to.
    fn urls(builder: ClientBuilder) -> (String, String) {
        let base = builder.api_base_url().unwrap();
        let login = builder.login_base_url(&base).unwrap();
        (base, login)
    }

    #[test]
    fn a_region_gives_both_hosts() {
        assert_eq!(
            urls(Client::builder().region(Region::EuWest2)),
            (
                "https://api.euw2.pure.cloud".to_owned(),
                "https://login.euw2.pure.cloud".to_owned()
            )
        );
    }

    #[test]
    fn a_base_url_wins_over_the_region_and_gives_the_login_host() {
        let builder = Client::builder()
            .region(Region::EuWest2)
            .base_url("https://api.mypurecloud.jp/");
        assert_eq!(
            urls(builder),
            (
                "https://api.mypurecloud.jp".to_owned(),
                "https://login.mypurecloud.jp".to_owned()
            )
        );
        let builder = Client::builder().base_url("http://127.0.0.1:9000");
        assert_eq!(
            urls(builder),
            (
                "http://127.0.0.1:9000".to_owned(),
                "http://127.0.0.1:9000".to_owned()
            )
        );
    }

    #[test]
    fn a_login_url_wins_over_everything() {
        let builder = Client::builder()
            .region(Region::EuWest2)
            .base_url("https://api.mypurecloud.jp")
            .login_url("https://sso.example.com/");
        assert_eq!(urls(builder).1, "https://sso.example.com");
    }

    #[test]
    fn a_bad_login_url_fails_only_the_builds_that_use_it() {
        let builder = || {
            Client::builder()
                .base_url("http://127.0.0.1:9")
                .login_url("not a url")
        };
        assert!(builder().bearer_token("token").build().is_ok());
        match builder().client_credentials("id", "secret").build() {
            Err(Error::Config { message }) => assert!(message.contains("login URL"), "{message}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_bad_base_url_fails_the_build() {
        match Client::builder().base_url("ftp://example.com").build() {
            Err(Error::Config { message }) => assert!(message.contains("base URL"), "{message}"),
            other => panic!("{other:?}"),
        }
    }
}

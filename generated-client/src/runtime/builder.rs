//! Configuring a [`Client`]: where requests go (region, base URL, login URL, an API
//! gateway), how they authenticate, how they connect (proxy, client TLS identity, extra root
//! certificates), and the HTTP client's timeouts, retries and `User-Agent`.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;

use super::auth::{Secret, StaticToken, TokenProvider};
use super::client::{Inner, USER_AGENT};
use super::grants::ClientCredentials;
use super::token_endpoint::TokenEndpoint;
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
///
/// Where requests go, most specific first:
///
/// | URL | from |
/// |---|---|
/// | API base URL | [`base_url`](Self::base_url), else the [`gateway`](Self::gateway)'s, else the [`region`](Self::region)'s API host, else `https://api.mypurecloud.com` |
/// | login base URL (`/oauth/token`) | [`login_url`](Self::login_url), else the gateway's, else the base URL with a leading `api.` host label replaced by `login.` when a base URL is set, else the region's login host, else `https://login.mypurecloud.com` |
///
/// [`ClientBuilder::from_env`] starts a builder from the `GENESYSCLOUD_*` environment
/// variables the Genesys CLI and Terraform provider read.
pub struct ClientBuilder {
    region: Option<Region>,
    base_url: Option<String>,
    login_url: Option<String>,
    gateway: Option<Gateway>,
    proxy: Option<String>,
    proxy_auth: Option<(String, Secret)>,
    identity_pem: Option<Vec<u8>>,
    root_certificates_pem: Vec<Vec<u8>>,
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
            gateway: None,
            proxy: None,
            proxy_auth: None,
            identity_pem: None,
            root_certificates_pem: Vec::new(),
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
            .field("gateway", &self.gateway)
            .field("proxy", &self.proxy.as_deref().map(without_userinfo))
            .field(
                "proxy_username",
                &self.proxy_auth.as_ref().map(|(username, _)| username),
            )
            .field("identity_pem", &self.identity_pem.is_some())
            .field("root_certificates_pem", &self.root_certificates_pem.len())
            .field("auth", &auth)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Talks to this region's API host, and gets tokens from its login host.
    ///
    /// A [`base_url`](Self::base_url) or [`gateway`](Self::gateway) wins over the region for
    /// the API, and a [`login_url`](Self::login_url) or gateway for tokens.
    ///
    /// ```no_run
    /// use genesys_cloud::runtime::Region;
    ///
    /// # fn run() -> Result<(), genesys_cloud::Error> {
    /// let client = genesys_cloud::Client::builder()
    ///     .region(Region::EuCentral1) // api.mypurecloud.de, login.mypurecloud.de
    ///     .client_credentials("client id", "client secret")
    ///     .build()?;
    /// # let _ = client;
    /// # Ok(()) }
    /// ```
    pub fn region(mut self, region: Region) -> Self {
        self.region = Some(region);
        self
    }

    /// Sends API requests to this base URL (`https://api.mypurecloud.ie`, a test server, a
    /// reverse proxy) instead of the region's or the gateway's; each call's path
    /// (`/api/v2/...`) is appended to it, after any path the base URL has.
    ///
    /// Unless a [`login_url`](Self::login_url) or [`gateway`](Self::gateway) says
    /// otherwise, tokens then come from the base URL with a leading `api.` host label
    /// replaced by `login.`, the scheme, port and path kept: `https://api.example.com/gc`
    /// asks `https://login.example.com/gc/oauth/token`, and `http://127.0.0.1:8080/gc`
    /// (no `api.` label) asks `http://127.0.0.1:8080/gc/oauth/token`.
    ///
    /// ```no_run
    /// # fn run() -> Result<(), genesys_cloud::Error> {
    /// let client = genesys_cloud::Client::builder()
    ///     .base_url("http://127.0.0.1:8080")
    ///     .bearer_token("token")
    ///     .build()?;
    /// assert_eq!(client.base_url(), "http://127.0.0.1:8080");
    /// # Ok(()) }
    /// ```
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Asks this base URL for OAuth tokens (`{url}/oauth/token`), whatever the region, base
    /// URL or gateway say. Without it: the [`gateway`](Self::gateway)'s login URL, else the
    /// one that goes with a [`base_url`](Self::base_url) (see there), else the region's
    /// login host, else `https://login.mypurecloud.com`.
    ///
    /// ```no_run
    /// # fn run() -> Result<(), genesys_cloud::Error> {
    /// let client = genesys_cloud::Client::builder()
    ///     .base_url("https://genesys.example.com/api-proxy")
    ///     .login_url("https://genesys.example.com/login-proxy")
    ///     .client_credentials("client id", "client secret")
    ///     .build()?;
    /// # let _ = client;
    /// # Ok(()) }
    /// ```
    pub fn login_url(mut self, url: impl Into<String>) -> Self {
        self.login_url = Some(url.into());
        self
    }

    /// Sends API calls and token requests through this API gateway (see [`Gateway`]): API
    /// calls to `{protocol}://{host}:{port}/{api path}/api/v2/...`, token requests to
    /// `{protocol}://{host}:{port}/{login path}/oauth/token`. It wins over the region; an
    /// explicit [`base_url`](Self::base_url) or [`login_url`](Self::login_url) wins over it.
    ///
    /// ```no_run
    /// use genesys_cloud::runtime::Gateway;
    ///
    /// # fn run() -> Result<(), genesys_cloud::Error> {
    /// let client = genesys_cloud::Client::builder()
    ///     .gateway(
    ///         Gateway::new("gateway.example.com")
    ///             .port(8443)
    ///             .api_path("genesys/api")
    ///             .login_path("genesys/login"),
    ///     )
    ///     .client_credentials("client id", "client secret")
    ///     .build()?;
    /// assert_eq!(client.base_url(), "https://gateway.example.com:8443/genesys/api");
    /// # Ok(()) }
    /// ```
    pub fn gateway(mut self, gateway: Gateway) -> Self {
        self.gateway = Some(gateway);
        self
    }

    /// Sends every request (API calls and token requests) through this HTTP proxy:
    /// `http://proxy.example.com:3128`, or `https://...` for a proxy spoken to over TLS.
    /// Plain-`http` targets go to it in absolute form (`GET http://host/api/v2/...`),
    /// `https` ones through a `CONNECT` tunnel. Setting it turns off the `HTTP_PROXY` /
    /// `HTTPS_PROXY` variables `reqwest` otherwise honours. Credentials go in
    /// [`proxy_basic_auth`](Self::proxy_basic_auth) (or the URL's `user:password@`).
    ///
    /// ```no_run
    /// # fn run() -> Result<(), genesys_cloud::Error> {
    /// let client = genesys_cloud::Client::builder()
    ///     .proxy("http://proxy.example.com:3128")
    ///     .proxy_basic_auth("proxy user", "proxy password")
    ///     .client_credentials("client id", "client secret")
    ///     .build()?;
    /// # let _ = client;
    /// # Ok(()) }
    /// ```
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// With [`proxy`](Self::proxy): authenticates to the proxy with HTTP basic auth
    /// (`Proxy-Authorization`). The password is kept as a [`Secret`].
    pub fn proxy_basic_auth(
        mut self,
        username: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        self.proxy_auth = Some((username.into(), Secret::new(password)));
        self
    }

    /// Presents this client certificate for mutual TLS (an API gateway that requires one):
    /// a PEM holding the certificate chain and its private key (PKCS #8, PKCS #1 or SEC1).
    /// A PEM that holds no certificate or no key fails [`build`](Self::build).
    ///
    /// ```no_run
    /// # fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// let client = genesys_cloud::Client::builder()
    ///     .base_url("https://gateway.example.com")
    ///     .identity_pem(std::fs::read("client.pem")?)
    ///     .build()?;
    /// # let _ = client;
    /// # Ok(()) }
    /// ```
    pub fn identity_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.identity_pem = Some(pem.into());
        self
    }

    /// Also trusts the certificates of this PEM bundle (a gateway or proxy with a private
    /// CA), beside the built-in web roots. A PEM without a certificate fails
    /// [`build`](Self::build).
    pub fn add_root_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.root_certificates_pem.push(pem.into());
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

    /// Uses this `reqwest::Client` (middleware, settings this builder lacks) for the API and
    /// for tokens. Its own connect timeout applies; [`connect_timeout`](Self::connect_timeout)
    /// does not, and [`proxy`](Self::proxy), [`identity_pem`](Self::identity_pem) and
    /// [`add_root_certificate_pem`](Self::add_root_certificate_pem) cannot: with any of them
    /// set, [`build`](Self::build) fails.
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
        let http = self.http_client_to_use()?;
        let user_agent = self.user_agent_header()?;
        let auth: Option<Arc<dyn TokenProvider>> = match self.auth {
            AuthConfig::None => None,
            AuthConfig::Provider(provider) => Some(provider),
            AuthConfig::Credentials {
                client_id,
                client_secret,
            } => {
                let endpoint = TokenEndpoint::for_client(
                    http.clone(),
                    &login?,
                    user_agent.clone(),
                    self.timeout,
                    self.retry,
                    self.wire,
                );
                let mut provider =
                    ClientCredentials::new(endpoint, client_id, client_secret.expose());
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

    /// The token endpoint of this builder's login host, for the OAuth grants a
    /// [`token_provider`](Self::token_provider) brings ([`AuthorizationCode`],
    /// [`RefreshToken`], [`Saml2Bearer`]): their token requests then go where the client's
    /// client-credentials requests would, with its HTTP client, `User-Agent`, timeout and
    /// retry policy. It takes the settings made so far, so ask for it after them.
    ///
    /// ```no_run
    /// # fn run() -> Result<(), genesys_cloud::Error> {
    /// use std::sync::Arc;
    /// use genesys_cloud::runtime::{RefreshToken, Region};
    ///
    /// let builder = genesys_cloud::Client::builder().region(Region::ApSoutheast2);
    /// let auth = Arc::new(RefreshToken::new(
    ///     builder.token_endpoint()?,
    ///     "my-client-id",
    ///     "my-client-secret",
    ///     "the refresh token stored last time",
    /// ));
    /// let client = builder.token_provider(Arc::clone(&auth)).build()?;
    /// // ... calls; then store the rotated refresh token for next time:
    /// let refresh_token = auth.refresh_token();
    /// # let _ = (client, refresh_token);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the base URL, the login URL or the user agent is invalid, or
    /// the HTTP client cannot be built.
    ///
    /// [`AuthorizationCode`]: super::AuthorizationCode
    /// [`RefreshToken`]: super::RefreshToken
    /// [`Saml2Bearer`]: super::Saml2Bearer
    pub fn token_endpoint(&self) -> Result<TokenEndpoint, Error> {
        let login = self.login_base_url(&self.api_base_url()?)?;
        let http = self.http_client_to_use()?;
        let user_agent = self.user_agent_header()?;
        Ok(TokenEndpoint::for_client(
            http,
            &login,
            user_agent,
            self.timeout,
            self.retry,
            self.wire,
        ))
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
    /// The base URL requests go to: the one set, else the gateway's, else the region's,
    /// else the definition's.
    fn api_base_url(&self) -> Result<String, Error> {
        match (&self.base_url, &self.gateway, self.region) {
            (Some(url), _, _) => checked_url(url, "base URL"),
            (None, Some(gateway), _) => gateway.url(gateway.api_path.as_deref()),
            (None, None, Some(region)) => Ok(region.api_base_url().to_owned()),
            (None, None, None) => checked_url(crate::DEFAULT_BASE_URL, "base URL"),
        }
    }

    /// The `User-Agent` of every request: the caller's product token, then the crate's.
    fn user_agent_header(&self) -> Result<HeaderValue, Error> {
        let user_agent = match &self.user_agent {
            Some(product) => format!("{product} {USER_AGENT}"),
            None => USER_AGENT.to_owned(),
        };
        HeaderValue::from_str(&user_agent).map_err(|_| Error::Config {
            message: format!("invalid user agent {user_agent:?}"),
        })
    }

    /// The base URL client credentials ask for tokens, given the API's `base_url`: the one
    /// set, else the gateway's, else the one [`login_for`] derives from a base URL that was
    /// set (which wins over the region), else the region's login host, else the one
    /// [`login_for`] derives from the definition's base URL.
    fn login_base_url(&self, base_url: &str) -> Result<String, Error> {
        match (
            &self.login_url,
            &self.gateway,
            self.base_url.is_some(),
            self.region,
        ) {
            (Some(url), _, _, _) => checked_url(url, "login URL"),
            (None, Some(gateway), _, _) => gateway.url(gateway.login_path.as_deref()),
            (None, None, false, Some(region)) => Ok(region.login_base_url().to_owned()),
            (None, None, _, _) => Ok(login_for(base_url)),
        }
    }

    /// The caller's `reqwest::Client`, or a new one with the connect timeout, proxy, client
    /// identity and root certificates set here.
    fn http_client_to_use(&self) -> Result<reqwest::Client, Error> {
        if let Some(http) = &self.http {
            let ignored = [
                ("proxy", self.proxy.is_some() || self.proxy_auth.is_some()),
                ("identity_pem", self.identity_pem.is_some()),
                (
                    "add_root_certificate_pem",
                    !self.root_certificates_pem.is_empty(),
                ),
            ];
            return match ignored.iter().find(|(_, set)| *set) {
                Some((setting, _)) => Err(Error::Config {
                    message: format!(
                        "{setting} cannot apply to a caller's http_client: set it on that reqwest::Client"
                    ),
                }),
                None => Ok(http.clone()),
            };
        }
        let mut builder = reqwest::Client::builder().use_rustls_tls();
        if let Some(timeout) = self.connect_timeout {
            builder = builder.connect_timeout(timeout);
        }
        if let Some(proxy) = self.reqwest_proxy()? {
            builder = builder.proxy(proxy);
        }
        if let Some(pem) = &self.identity_pem {
            let identity = reqwest::Identity::from_pem(pem).map_err(|e| Error::Config {
                message: format!("identity_pem: {}", innermost(&e)),
            })?;
            builder = builder.identity(identity);
        }
        for pem in &self.root_certificates_pem {
            let certificates = reqwest::Certificate::from_pem_bundle(pem)
                .map_err(|e| innermost(&e))
                .and_then(|certificates| match certificates.is_empty() {
                    true => Err("no certificate in the PEM".to_owned()),
                    false => Ok(certificates),
                })
                .map_err(|message| Error::Config {
                    message: format!("add_root_certificate_pem: {message}"),
                })?;
            for certificate in certificates {
                builder = builder.add_root_certificate(certificate);
            }
        }
        builder.build().map_err(|e| Error::Config {
            message: format!("HTTP client: {}", innermost(&e)),
        })
    }

    /// The proxy set, as `reqwest` takes it, or a configuration error naming it (without
    /// its credentials).
    fn reqwest_proxy(&self) -> Result<Option<reqwest::Proxy>, Error> {
        let url = match (&self.proxy, &self.proxy_auth) {
            (Some(url), _) => url,
            (None, None) => return Ok(None),
            (None, Some(_)) => {
                return Err(Error::Config {
                    message: "proxy_basic_auth without a proxy URL".to_owned(),
                })
            }
        };
        let shown = without_userinfo(url);
        let parsed = reqwest::Url::parse(url).map_err(|e| Error::Config {
            message: format!("proxy URL {shown:?}: {e}"),
        })?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
            return Err(Error::Config {
                message: format!("proxy URL {shown:?} must be an http:// or https:// URL"),
            });
        }
        let mut proxy = reqwest::Proxy::all(parsed).map_err(|e| Error::Config {
            message: format!("proxy URL {shown:?}: {}", innermost(&e)),
        })?;
        if let Some((username, password)) = &self.proxy_auth {
            proxy = proxy.basic_auth(username, password.expose());
        }
        Ok(Some(proxy))
    }
}

/// An API gateway in front of Genesys Cloud, like the official SDKs'
/// `GateWayConfiguration` and the Terraform provider's `gateway` block: one origin
/// (`{protocol}://{host}:{port}`) serving the API under an optional path and the login
/// (token) endpoint under another.
///
/// | set | API calls go to | token requests go to |
/// |---|---|---|
/// | host, port, protocol | `{origin}/api/v2/...` | `{origin}/oauth/token` |
/// | and `api_path("a")`, `login_path("l")` | `{origin}/a/api/v2/...` | `{origin}/l/oauth/token` |
///
/// With host `127.0.0.1`, a port and protocol `http` and no paths, this points a whole
/// program, token requests included, at a local server. Values are checked by
/// [`ClientBuilder::build`]: the protocol must be `http` or `https`, the host a bare host
/// name or address (no scheme, port or path), the port 1-65535.
///
/// ```no_run
/// use genesys_cloud::runtime::Gateway;
///
/// # fn run() -> Result<(), genesys_cloud::Error> {
/// let client = genesys_cloud::Client::builder()
///     .gateway(Gateway::new("127.0.0.1").protocol("http").port(8080))
///     .client_credentials("client id", "client secret")
///     .build()?;
/// assert_eq!(client.base_url(), "http://127.0.0.1:8080");
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gateway {
    protocol: String,
    host: String,
    port: Option<u16>,
    api_path: Option<String>,
    login_path: Option<String>,
}

impl Gateway {
    /// The gateway at this host, over `https` on the protocol's default port, without paths.
    pub fn new(host: impl Into<String>) -> Self {
        Gateway {
            protocol: "https".to_owned(),
            host: host.into(),
            port: None,
            api_path: None,
            login_path: None,
        }
    }

    /// `http` or `https` (the default).
    pub fn protocol(mut self, protocol: impl Into<String>) -> Self {
        self.protocol = protocol.into();
        self
    }

    /// The port, when it is not the protocol's default.
    pub fn port(mut self, port: u16) -> Self {
        self.port = Some(port);
        self
    }

    /// The path the gateway serves the API under (`genesys/api`; slashes around it do not
    /// matter): calls go to `{origin}/{path}/api/v2/...`.
    pub fn api_path(mut self, path: impl Into<String>) -> Self {
        self.api_path = Some(path.into());
        self
    }

    /// The path the gateway serves the login host under: token requests go to
    /// `{origin}/{path}/oauth/token`.
    pub fn login_path(mut self, path: impl Into<String>) -> Self {
        self.login_path = Some(path.into());
        self
    }

    /// `{protocol}://{host}[:{port}][/{path}]`, or a configuration error naming the part
    /// that is wrong.
    fn url(&self, path: Option<&str>) -> Result<String, Error> {
        let origin = origin(&self.protocol, &self.host, self.port).map_err(|part| {
            let (name, value) = match part {
                OriginPart::Protocol => ("protocol", self.protocol.clone()),
                OriginPart::Host => ("host", self.host.clone()),
                OriginPart::Port => ("port", format!("{}", self.port.unwrap_or_default())),
            };
            Error::Config {
                message: format!("gateway {name} {value:?} {}", part.expectation()),
            }
        })?;
        match path.map(|path| (path, url_path(path))) {
            None | Some((_, Some(""))) => Ok(origin),
            Some((_, Some(path))) => Ok(format!("{origin}/{path}")),
            Some((path, None)) => Err(Error::Config {
                message: format!("gateway path {path:?} {PATH_EXPECTATION}"),
            }),
        }
    }
}

/// What [`url_path`] refuses, to follow a path in an error message.
pub(super) const PATH_EXPECTATION: &str = "must be a URL path (no query, fragment or spaces)";

/// A gateway path without the slashes around it (`/a/b/` is `a/b`, `/` is empty), or
/// `None` when it holds a query, a fragment or whitespace.
pub(super) fn url_path(path: &str) -> Option<&str> {
    let path = path.trim().trim_matches('/');
    let bad = path.contains(['?', '#']) || path.chars().any(char::is_whitespace);
    (!bad).then_some(path)
}

/// The part of an origin that [`origin`] refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum OriginPart {
    Protocol,
    Host,
    Port,
}

impl OriginPart {
    /// What the part must be, to follow its name and value in an error message.
    pub(super) fn expectation(self) -> &'static str {
        match self {
            OriginPart::Protocol => "must be http or https",
            OriginPart::Host => "must be a host name or IP address (no scheme, port or path)",
            OriginPart::Port => "must be a port number (1-65535)",
        }
    }
}

/// `{protocol}://{host}[:{port}]`, the protocol lowercased, or the part that is wrong:
/// a protocol other than `http` or `https`, a host that is empty or holds a scheme, port,
/// path or credentials, port 0.
pub(super) fn origin(protocol: &str, host: &str, port: Option<u16>) -> Result<String, OriginPart> {
    let protocol = protocol.trim().to_ascii_lowercase();
    if !matches!(protocol.as_str(), "http" | "https") {
        return Err(OriginPart::Protocol);
    }
    let host = host.trim();
    let bad_character = |c: char| "/?#@\\%".contains(c) || c.is_whitespace();
    // A colon belongs only in a bracketed IPv6 address, never before a port.
    if host.is_empty()
        || host.contains(bad_character)
        || (host.contains(':') && !host.starts_with('['))
    {
        return Err(OriginPart::Host);
    }
    let origin = match port {
        Some(0) => return Err(OriginPart::Port),
        Some(port) => format!("{protocol}://{host}:{port}"),
        None => format!("{protocol}://{host}"),
    };
    match reqwest::Url::parse(&origin) {
        Ok(url) if url.host_str().is_some() && url.path() == "/" => Ok(origin),
        _ => Err(OriginPart::Host),
    }
}

/// The innermost cause of an error: `reqwest`'s own message (`builder error`) says less.
fn innermost(error: &(dyn std::error::Error + 'static)) -> String {
    let mut error = error;
    while let Some(source) = error.source() {
        error = source;
    }
    error.to_string()
}

/// A URL with any `user:password@` replaced by `***@`, to show in errors and `Debug`.
fn without_userinfo(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) if !scheme.is_empty() => format!("{scheme}://***{}", &rest[at..]),
        _ => url.to_owned(),
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

/// The login base URL that goes with an API base URL: a leading `api.` host label becomes
/// `login.`, and everything else (scheme, port, path) stays, so `https://api.X/p` gives
/// `https://login.X/p` and `http://127.0.0.1:8080/p` itself.
fn login_for(base_url: &str) -> String {
    match base_url.split_once("://") {
        Some((scheme, rest)) => match rest.strip_prefix("api.") {
            Some(rest) => format!("{scheme}://login.{rest}"),
            None => base_url.to_owned(),
        },
        None => base_url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_for_swaps_a_leading_api_label_and_keeps_the_path() {
        assert_eq!(
            login_for("https://api.mypurecloud.ie"),
            "https://login.mypurecloud.ie"
        );
        assert_eq!(
            login_for("https://api.example.com:8443/proxy/v2"),
            "https://login.example.com:8443/proxy/v2"
        );
        // No `api.` host label: the base URL itself (test servers, proxies).
        assert_eq!(login_for("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
        assert_eq!(
            login_for("http://127.0.0.1:8080/prefix"),
            "http://127.0.0.1:8080/prefix"
        );
        assert_eq!(
            login_for("https://myapi.example.com"),
            "https://myapi.example.com"
        );
    }

    #[test]
    fn origins_check_each_part() {
        assert_eq!(
            origin("HTTP", "127.0.0.1", Some(8080)),
            Ok("http://127.0.0.1:8080".to_owned())
        );
        assert_eq!(
            origin("https", "[::1]", None),
            Ok("https://[::1]".to_owned())
        );
        assert_eq!(
            origin("ftp", "example.com", None),
            Err(OriginPart::Protocol)
        );
        for host in ["", "http://x", "x:80", "x/y", "u@x", "a b", "x?y"] {
            assert_eq!(
                origin("http", host, None),
                Err(OriginPart::Host),
                "{host:?}"
            );
        }
        assert_eq!(origin("http", "x", Some(0)), Err(OriginPart::Port));
    }

    #[test]
    fn proxy_credentials_never_show() {
        assert_eq!(
            without_userinfo("http://user:pa@ss@proxy:3128/x"),
            "http://***@proxy:3128/x"
        );
        assert_eq!(without_userinfo("http://proxy:3128"), "http://proxy:3128");
        assert_eq!(without_userinfo("proxy@x"), "proxy@x");
        let builder = Client::builder()
            .proxy("http://user:hunter2@proxy.example.com:3128")
            .proxy_basic_auth("other", "hunter3");
        let shown = format!("{builder:?}");
        assert!(!shown.contains("hunter"), "{shown}");
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
    fn a_gateway_maps_both_urls_and_yields_to_explicit_ones() {
        let gateway = Gateway::new("gw.example.com").port(8443);
        let builder = Client::builder()
            .region(Region::EuWest2)
            .gateway(gateway.clone());
        assert_eq!(
            urls(builder),
            (
                "https://gw.example.com:8443".to_owned(),
                "https://gw.example.com:8443".to_owned()
            )
        );
        let paths = gateway.clone().api_path("/a/b/").login_path("l");
        assert_eq!(
            urls(Client::builder().gateway(paths)),
            (
                "https://gw.example.com:8443/a/b".to_owned(),
                "https://gw.example.com:8443/l".to_owned()
            )
        );
        let builder = Client::builder()
            .gateway(gateway)
            .base_url("http://127.0.0.1:9")
            .login_url("http://127.0.0.1:10");
        assert_eq!(
            urls(builder),
            (
                "http://127.0.0.1:9".to_owned(),
                "http://127.0.0.1:10".to_owned()
            )
        );
    }

    #[test]
    fn a_bad_gateway_fails_the_build_naming_the_part() {
        for (gateway, part) in [
            (
                Gateway::new("gw").protocol("ftp"),
                "gateway protocol \"ftp\"",
            ),
            (Gateway::new("gw:80"), "gateway host \"gw:80\""),
            (Gateway::new("gw").port(0), "gateway port \"0\""),
            (Gateway::new("gw").api_path("a?b"), "gateway path \"a?b\""),
        ] {
            match Client::builder().gateway(gateway).build() {
                Err(Error::Config { message }) => assert!(message.starts_with(part), "{message}"),
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn connection_settings_refuse_a_callers_http_client() {
        let builder = || Client::builder().http_client(reqwest::Client::new());
        assert!(builder().build().is_ok());
        for builder in [
            builder().proxy("http://proxy:3128"),
            builder().identity_pem("pem"),
            builder().add_root_certificate_pem("pem"),
        ] {
            match builder.build() {
                Err(Error::Config { message }) => {
                    assert!(
                        message.contains("cannot apply to a caller's http_client"),
                        "{message}"
                    )
                }
                other => panic!("{other:?}"),
            }
        }
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

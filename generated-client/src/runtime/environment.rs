//! Configuring a [`Client`] from the environment, under the `GENESYSCLOUD_*` names the
//! Genesys Cloud CLI and Terraform provider read: region, credentials, proxy and API
//! gateway. Every value is checked here, so a bad one is an [`Error::Config`] naming its
//! variable (and its value, unless it is a secret) before anything is built.

use super::builder::{origin, url_path, OriginPart, PATH_EXPECTATION};
use super::{Client, ClientBuilder, Error, Gateway, ParseRegionError, Region};

/// The region: a code (`us-east-1`), a domain or a host.
const REGION: &str = "GENESYSCLOUD_REGION";
/// The region variable this crate read before the `GENESYSCLOUD_*` names: a fallback.
const LEGACY_REGION: &str = "GENESYS_REGION";
/// A ready OAuth access token (bearer); wins over client credentials.
const ACCESS_TOKEN: &str = "GENESYSCLOUD_ACCESS_TOKEN";
/// The OAuth client id of the client-credentials grant.
const CLIENT_ID: &str = "GENESYSCLOUD_OAUTHCLIENT_ID";
/// The OAuth client secret of the client-credentials grant.
const CLIENT_SECRET: &str = "GENESYSCLOUD_OAUTHCLIENT_SECRET";
/// The HTTP proxy's host, port, protocol and basic-auth credentials.
const PROXY_HOST: &str = "GENESYSCLOUD_PROXY_HOST";
const PROXY_PORT: &str = "GENESYSCLOUD_PROXY_PORT";
const PROXY_PROTOCOL: &str = "GENESYSCLOUD_PROXY_PROTOCOL";
const PROXY_USERNAME: &str = "GENESYSCLOUD_PROXY_AUTH_USERNAME";
const PROXY_PASSWORD: &str = "GENESYSCLOUD_PROXY_AUTH_PASSWORD";
/// The API gateway's host, port, protocol, and one path (named `api` or `login`).
const GATEWAY_HOST: &str = "GENESYSCLOUD_GATEWAY_HOST";
const GATEWAY_PORT: &str = "GENESYSCLOUD_GATEWAY_PORT";
const GATEWAY_PROTOCOL: &str = "GENESYSCLOUD_GATEWAY_PROTOCOL";
const GATEWAY_PATH_NAME: &str = "GENESYSCLOUD_GATEWAY_PATH_NAME";
const GATEWAY_PATH_VALUE: &str = "GENESYSCLOUD_GATEWAY_PATH_VALUE";

impl ClientBuilder {
    /// A builder configured from the process environment, as the Genesys Cloud CLI and
    /// Terraform provider read it; see [`from_env_with`](Self::from_env_with) for the
    /// variables. Anything else (timeouts, retries, a user agent) is set on the builder it
    /// returns, and setters called on it win over the environment.
    ///
    /// ```no_run
    /// # fn run() -> Result<(), genesys_cloud::Error> {
    /// // GENESYSCLOUD_REGION=eu-west-1 GENESYSCLOUD_OAUTHCLIENT_ID=... GENESYSCLOUD_OAUTHCLIENT_SECRET=...
    /// let client = genesys_cloud::runtime::ClientBuilder::from_env()?
    ///     .user_agent("my-app/1.0")
    ///     .build()?;
    /// # let _ = client;
    /// # Ok(()) }
    /// ```
    pub fn from_env() -> Result<ClientBuilder, Error> {
        ClientBuilder::from_env_with(process_variable)
    }

    /// A builder configured from the variables `lookup` gives (`lookup(name)` is the
    /// variable's value, `None` when unset), so a program can read them from elsewhere and
    /// tests need not change the process environment. A value that is empty or only
    /// whitespace counts as unset; others are trimmed.
    ///
    /// | Variable | Sets | Value |
    /// |---|---|---|
    /// | `GENESYSCLOUD_REGION` | [`region`](Self::region) | a region code (`us-east-1`), domain (`mypurecloud.com`) or host |
    /// | `GENESYS_REGION` | [`region`](Self::region) | the same; read only when `GENESYSCLOUD_REGION` is unset (this crate's earlier name, kept so existing set-ups work) |
    /// | `GENESYSCLOUD_ACCESS_TOKEN` | [`bearer_token`](Self::bearer_token) | an OAuth access token (visible ASCII); never shown in errors; when set, it is used and the client-credential variables are not read (as the Terraform provider does) |
    /// | `GENESYSCLOUD_OAUTHCLIENT_ID` | [`client_credentials`](Self::client_credentials) | the OAuth client's id; needs the secret |
    /// | `GENESYSCLOUD_OAUTHCLIENT_SECRET` | [`client_credentials`](Self::client_credentials) | the OAuth client's secret; needs the id; never shown in errors |
    /// | `GENESYSCLOUD_PROXY_HOST` | [`proxy`](Self::proxy) | the proxy's host name or IP address; needed by every other `PROXY_` variable |
    /// | `GENESYSCLOUD_PROXY_PORT` | [`proxy`](Self::proxy) | 1-65535; by default the protocol's (80, 443) |
    /// | `GENESYSCLOUD_PROXY_PROTOCOL` | [`proxy`](Self::proxy) | `http` (the default) or `https`: how the proxy itself is spoken to |
    /// | `GENESYSCLOUD_PROXY_AUTH_USERNAME` | [`proxy_basic_auth`](Self::proxy_basic_auth) | the proxy user |
    /// | `GENESYSCLOUD_PROXY_AUTH_PASSWORD` | [`proxy_basic_auth`](Self::proxy_basic_auth) | the proxy password; needs the user; never shown in errors |
    /// | `GENESYSCLOUD_GATEWAY_HOST` | [`gateway`](Self::gateway) | the gateway's host name or IP address; needed by every other `GATEWAY_` variable |
    /// | `GENESYSCLOUD_GATEWAY_PORT` | [`Gateway::port`] | 1-65535; by default the protocol's |
    /// | `GENESYSCLOUD_GATEWAY_PROTOCOL` | [`Gateway::protocol`] | `https` (the default) or `http` |
    /// | `GENESYSCLOUD_GATEWAY_PATH_NAME` | [`Gateway::api_path`] or [`Gateway::login_path`] | `api` or `login`: which path `GENESYSCLOUD_GATEWAY_PATH_VALUE` is |
    /// | `GENESYSCLOUD_GATEWAY_PATH_VALUE` | the same | the path (`/genesys/api`); needs the name |
    ///
    /// With neither a token nor client credentials, the builder has no authentication (set
    /// one on it). The Terraform provider's `GENESYSCLOUD_GATEWAY_AUTH_USERNAME` and
    /// `_PASSWORD` are not read. A bad value is an [`Error::Config`] whose one-line message
    /// names the variable and its value (a secret's value is never shown), such as
    /// `GENESYSCLOUD_PROXY_PORT "80a" must be a port number (1-65535)`.
    ///
    /// ```
    /// use genesys_cloud::runtime::ClientBuilder;
    ///
    /// let variables = [
    ///     ("GENESYSCLOUD_GATEWAY_HOST", "127.0.0.1"),
    ///     ("GENESYSCLOUD_GATEWAY_PORT", "8080"),
    ///     ("GENESYSCLOUD_GATEWAY_PROTOCOL", "http"),
    ///     ("GENESYSCLOUD_ACCESS_TOKEN", "token"),
    /// ];
    /// let lookup = |name: &str| {
    ///     variables.iter().find(|(n, _)| *n == name).map(|(_, value)| value.to_string())
    /// };
    /// let client = ClientBuilder::from_env_with(lookup).unwrap().build().unwrap();
    /// assert_eq!(client.base_url(), "http://127.0.0.1:8080");
    ///
    /// let error = ClientBuilder::from_env_with(|name| {
    ///     (name == "GENESYSCLOUD_REGION").then(|| "mars-north-1".to_owned())
    /// })
    /// .unwrap_err();
    /// assert!(error.to_string().contains("GENESYSCLOUD_REGION \"mars-north-1\""));
    /// ```
    pub fn from_env_with(lookup: impl Fn(&str) -> Option<String>) -> Result<ClientBuilder, Error> {
        let env = Env { lookup: &lookup };
        let mut builder = ClientBuilder::default();
        if let Some(region) = region(&lookup)? {
            builder = builder.region(region);
        }
        if let Some(token) = env.get(ACCESS_TOKEN) {
            // RFC 6750 tokens are visible ASCII; anything else could not be sent in a header.
            if !token.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(config(format!(
                    "{ACCESS_TOKEN} must be an OAuth access token (visible ASCII characters only)"
                )));
            }
            builder = builder.bearer_token(token);
        } else if let Some((id, secret)) = env.pair(CLIENT_ID, CLIENT_SECRET)? {
            builder = builder.client_credentials(id, secret);
        }
        if let Some(proxy) = env.proxy()? {
            builder = builder.proxy(proxy);
            if let Some((username, password)) =
                env.user_and_password(PROXY_USERNAME, PROXY_PASSWORD)?
            {
                builder = builder.proxy_basic_auth(username, password);
            }
        }
        if let Some(gateway) = env.gateway()? {
            builder = builder.gateway(gateway);
        }
        Ok(builder)
    }
}

impl Client {
    /// A client configured from the `GENESYSCLOUD_*` environment variables:
    /// `ClientBuilder::from_env()?.build()` (see [`ClientBuilder::from_env_with`] for the
    /// variables).
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), genesys_cloud::Error> {
    /// // GENESYSCLOUD_REGION=eu-west-1 GENESYSCLOUD_OAUTHCLIENT_ID=... GENESYSCLOUD_OAUTHCLIENT_SECRET=...
    /// let client = genesys_cloud::Client::from_env()?;
    /// # let _ = client;
    /// # Ok(()) }
    /// ```
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env()?.build()
    }
}

/// A variable of the process environment (a value that is not Unicode, lossily).
pub(super) fn process_variable(name: &str) -> Option<String> {
    std::env::var_os(name).map(|value| value.to_string_lossy().into_owned())
}

/// The region `GENESYSCLOUD_REGION` names, else the one `GENESYS_REGION` names, else `None`.
pub(super) fn region(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Option<Region>, Error> {
    let env = Env { lookup };
    for name in [REGION, LEGACY_REGION] {
        if let Some(value) = env.get(name) {
            return value
                .parse()
                .map(Some)
                .map_err(|e: ParseRegionError| config(format!("{name} {e}")));
        }
    }
    Ok(None)
}

/// The variables, through the caller's lookup.
struct Env<'a> {
    lookup: &'a dyn Fn(&str) -> Option<String>,
}

impl Env<'_> {
    /// The variable's trimmed value, `None` when unset or blank.
    fn get(&self, name: &str) -> Option<String> {
        (self.lookup)(name)
            .map(|value| value.trim().to_owned())
            .filter(|value| !value.is_empty())
    }

    /// Both variables, or neither; one without the other is an error (showing neither
    /// value).
    fn pair(&self, first: &str, second: &str) -> Result<Option<(String, String)>, Error> {
        match (self.get(first), self.get(second)) {
            (Some(a), Some(b)) => Ok(Some((a, b))),
            (None, None) => Ok(None),
            (Some(_), None) => Err(missing(first, second)),
            (None, Some(_)) => Err(missing(second, first)),
        }
    }

    /// A user and password: the user alone means an empty password; a password alone is
    /// an error.
    fn user_and_password(
        &self,
        user: &str,
        password: &str,
    ) -> Result<Option<(String, String)>, Error> {
        match (self.get(user), self.get(password)) {
            (Some(user), password) => Ok(Some((user, password.unwrap_or_default()))),
            (None, None) => Ok(None),
            (None, Some(_)) => Err(missing(password, user)),
        }
    }

    /// The variable as a port number, `None` when unset.
    fn port(&self, name: &str) -> Result<Option<u16>, Error> {
        self.get(name)
            .map(|value| {
                value
                    .parse::<u16>()
                    .map_err(|_| invalid(name, &value, OriginPart::Port.expectation()))
            })
            .transpose()
    }

    /// The protocol, host and port the three variables give, checked together; `None`
    /// when the host is unset (and so is every variable in `others`, which need it).
    fn endpoint(
        &self,
        [host, port, protocol]: [&str; 3],
        default_protocol: &str,
        others: &[&str],
    ) -> Result<Option<Endpoint>, Error> {
        let Some(host_value) = self.get(host) else {
            return match [port, protocol]
                .iter()
                .chain(others)
                .find(|name| self.get(name).is_some())
            {
                Some(name) => Err(missing(name, host)),
                None => Ok(None),
            };
        };
        let port_value = self.port(port)?;
        let protocol_value = self
            .get(protocol)
            .unwrap_or_else(|| default_protocol.to_owned());
        let url = origin(&protocol_value, &host_value, port_value).map_err(|part| {
            let (name, value) = match part {
                OriginPart::Protocol => (protocol, protocol_value.clone()),
                OriginPart::Host => (host, host_value.clone()),
                OriginPart::Port => (port, self.get(port).unwrap_or_default()),
            };
            invalid(name, &value, part.expectation())
        })?;
        Ok(Some(Endpoint {
            protocol: protocol_value,
            host: host_value,
            port: port_value,
            url,
        }))
    }

    /// The proxy URL the `GENESYSCLOUD_PROXY_*` variables give.
    fn proxy(&self) -> Result<Option<String>, Error> {
        let names = [PROXY_HOST, PROXY_PORT, PROXY_PROTOCOL];
        let endpoint = self.endpoint(names, "http", &[PROXY_USERNAME, PROXY_PASSWORD])?;
        Ok(endpoint.map(|endpoint| endpoint.url))
    }

    /// The gateway the `GENESYSCLOUD_GATEWAY_*` variables give.
    fn gateway(&self) -> Result<Option<Gateway>, Error> {
        let names = [GATEWAY_HOST, GATEWAY_PORT, GATEWAY_PROTOCOL];
        let others = [GATEWAY_PATH_NAME, GATEWAY_PATH_VALUE];
        let Some(endpoint) = self.endpoint(names, "https", &others)? else {
            return Ok(None);
        };
        let mut gateway = Gateway::new(endpoint.host).protocol(endpoint.protocol);
        if let Some(port) = endpoint.port {
            gateway = gateway.port(port);
        }
        if let Some((name, value)) = self.pair(GATEWAY_PATH_NAME, GATEWAY_PATH_VALUE)? {
            if url_path(&value).is_none() {
                return Err(invalid(GATEWAY_PATH_VALUE, &value, PATH_EXPECTATION));
            }
            gateway = match name.to_ascii_lowercase().as_str() {
                "api" => gateway.api_path(value),
                "login" => gateway.login_path(value),
                _ => return Err(invalid(GATEWAY_PATH_NAME, &name, "must be api or login")),
            };
        }
        Ok(Some(gateway))
    }
}

/// A protocol, host and port from the environment, and the origin URL they make.
struct Endpoint {
    protocol: String,
    host: String,
    port: Option<u16>,
    url: String,
}

/// A configuration error.
fn config(message: String) -> Error {
    Error::Config { message }
}

/// The variable's value is wrong: `NAME "value" must be ...`.
fn invalid(name: &str, value: &str, expectation: &str) -> Error {
    config(format!("{name} {value:?} {expectation}"))
}

/// A variable is set without one it needs; neither value is shown.
fn missing(set: &str, unset: &str) -> Error {
    config(format!("{set} is set but {unset} is not"))
}

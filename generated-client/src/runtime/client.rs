//! The client: base URL, credentials and the HTTP connection pool, shared by every operation.

use std::fmt;
use std::sync::Arc;

use super::request::{Part, Payload};
use super::{ApiError, Error, ErrorBody, Request, Response};

/// A Genesys Cloud API client. Cheap to clone (the connection pool is shared) and
/// `Send + Sync`.
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let client = genesys_cloud::Client::builder()
///     .bearer_token("ACCESS_TOKEN")
///     .build()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    token: Option<String>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("token", &self.inner.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl Client {
    /// A builder with the default base URL.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL every path is appended to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends a request and reads the whole response; a non-success status is an
    /// [`Error::Api`].
    pub async fn execute(&self, request: Request) -> Result<Response, Error> {
        let operation = request.operation;
        let url = format!("{}{}", self.inner.base_url, request.path);
        let mut builder = self.inner.http.request(request.method, url).query(&request.query);
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        if let Some(token) = &self.inner.token {
            builder = builder.bearer_auth(token);
        }
        builder = match request.payload {
            Payload::Empty => builder,
            Payload::Json(bytes) => builder.header(reqwest::header::CONTENT_TYPE, "application/json").body(bytes),
            Payload::Form(fields) => builder.form(&fields),
            Payload::Binary(bytes, content_type) => builder.header(reqwest::header::CONTENT_TYPE, content_type).body(bytes),
            Payload::Multipart(parts) => {
                let mut form = reqwest::multipart::Form::new();
                for part in parts {
                    form = match part {
                        Part::Text(name, value) => form.text(name, value),
                        Part::File(name, bytes) => form.part(name, reqwest::multipart::Part::stream(bytes).file_name(name)),
                    };
                }
                builder.multipart(form)
            }
        };
        let response = builder.send().await.map_err(|source| Error::Transport { operation, source })?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(|source| Error::Transport { operation, source })?;
        if (200..300).contains(&status) {
            return Ok(Response { operation, status, headers, body });
        }
        let correlation_id = headers.get("inin-correlation-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
        let decoded = serde_json::from_slice::<ErrorBody>(&body).ok();
        let raw: String = String::from_utf8_lossy(&body).chars().take(2048).collect();
        Err(Error::Api(Box::new(ApiError { operation, status, body: decoded, raw, correlation_id })))
    }
}

/// Configures a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    token: Option<String>,
    http: Option<reqwest::Client>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl ClientBuilder {
    /// Sends requests to this base URL instead of the default (tests, proxies, other regions).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Authenticates every request with this OAuth bearer token.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Uses this `reqwest::Client` (proxies, root certificates, timeouts).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = self.base_url.unwrap_or_else(|| crate::DEFAULT_BASE_URL.to_owned());
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(Error::Config { message: format!("base URL {base_url:?} must start with http:// or https://") });
        }
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .user_agent(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")))
                .build()
                .map_err(|e| Error::Config { message: e.to_string() })?,
        };
        Ok(Client { inner: Arc::new(Inner { http, base_url: base_url.trim_end_matches('/').to_owned(), token: self.token }) })
    }
}

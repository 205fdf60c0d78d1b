//! The client: base URL, authentication, timeouts, retries and the HTTP connection pool,
//! shared by every operation; and the loop that sends one call's attempts.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{HeaderName, HeaderValue};
use tracing::Instrument;

use super::auth::{AccessToken, BoxFuture, TokenProvider};
use super::error::TimedOut;
use super::request::{Part, Payload, Request, Response};
use super::retry::{is_idempotent, retry_after};
use super::wire::{exchange, failure_kind, Outcome};
use super::{
    ApiError, ApiResponse, CallOptions, ClientBuilder, Error, ErrorBody, RetryPolicy, WireLog,
};

/// The `User-Agent` every request carries (after any the caller adds).
pub(super) const USER_AGENT: &str = concat!(
    env!("CARGO_PKG_NAME"),
    "/",
    env!("CARGO_PKG_VERSION"),
    " (Rust)"
);

/// A Genesys Cloud API client. Cheap to clone (clones share the connection pool and the
/// token cache) and `Send + Sync`.
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use runtime_client::runtime::Region;
///
/// let client = runtime_client::Client::builder()
///     .region(Region::EuWest1)
///     .client_credentials(std::env::var("GENESYS_CLIENT_ID")?, std::env::var("GENESYS_CLIENT_SECRET")?)
///     .build()?;
/// # let _ = client;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    options: Option<Arc<CallOptions>>,
}

/// What every clone of a [`Client`] shares; [`ClientBuilder`] makes it.
pub(super) struct Inner {
    pub(super) http: reqwest::Client,
    pub(super) base_url: String,
    pub(super) user_agent: HeaderValue,
    pub(super) timeout: Option<Duration>,
    pub(super) retry: RetryPolicy,
    pub(super) auth: Option<Arc<dyn TokenProvider>>,
    pub(super) wire: WireLog,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("auth", &self.inner.auth.as_ref().map(|a| a.describe()))
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .field("wire", &self.inner.wire)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// The future of one call, as `send()` and `send_with_response()` return it: resolves to
/// the decoded answer or an [`Error`]. `Send`, `'static` and `Unpin`, so it can be spawned,
/// stored or polled anywhere.
#[must_use = "a call does nothing until it is awaited"]
pub struct ResponseFuture<T>(BoxFuture<'static, Result<T, Error>>);

impl<T> Future for ResponseFuture<T> {
    type Output = Result<T, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.get_mut().0.as_mut().poll(cx)
    }
}

impl<T> fmt::Debug for ResponseFuture<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseFuture").finish_non_exhaustive()
    }
}

/// An operation's parameters, as its [`RequestBuilder`] holds them: each operation's
/// generated parameters type (the `P` of its builder) implements it, and
/// [`Output`](Self::Output) is what [`send`](RequestBuilder::send) answers.
///
/// Only `Output` is public API: how the parameters become a request and the response
/// becomes `Output` is the generated code's business, and implementing this trait outside
/// the crate is not supported.
pub trait Operation {
    /// The decoded answer.
    type Output: Send + 'static;

    /// Builds the request from the parameters set so far.
    #[doc(hidden)]
    fn request(&self) -> Result<Request, Error>;

    /// Decodes a successful response.
    #[doc(hidden)]
    fn decode(response: &Response) -> Result<Self::Output, Error>;
}

/// An operation's request builder, as each operation method returns it (every operation
/// names its own, such as `GetBillingReportsBillableusage`): required parameters are set
/// when it is made, optional ones through its setters; then [`send`](Self::send) it, or
/// [`send_with_response`](Self::send_with_response) for the status and headers too.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is sent"]
pub struct RequestBuilder<P> {
    pub(crate) client: Client,
    pub(crate) params: P,
}

impl<P> RequestBuilder<P> {
    /// A builder for `params` on `client`: each operation method's body. Not public API (a
    /// crate-private function would be dead code in a build without any API group).
    #[doc(hidden)]
    pub fn new(client: Client, params: P) -> Self {
        RequestBuilder { client, params }
    }

    /// Applies these per-call settings (timeout, retries, extra headers such as `If-Match`)
    /// over the client's.
    pub fn with_options(mut self, options: CallOptions) -> Self {
        self.client = self.client.with_options(options);
        self
    }
}

impl<P: Operation> RequestBuilder<P> {
    /// Sends the request and decodes the answer.
    ///
    /// # Errors
    ///
    /// [`Error::Api`] when the API answers with an error status (see each operation's
    /// documentation), [`Error::Transport`] or [`Error::Timeout`] when no answer arrives,
    /// [`Error::Decode`] when the answer is not what the definition describes.
    pub fn send(self) -> ResponseFuture<P::Output> {
        let request = self.params.request();
        self.client.call_body(request, P::decode)
    }

    /// Sends the request; the decoded body comes with the status and headers.
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send).
    pub fn send_with_response(self) -> ResponseFuture<ApiResponse<P::Output>> {
        let request = self.params.request();
        self.client.call(request, P::decode)
    }
}

/// Awaiting a builder sends it: `api.get_user(id).await` is `api.get_user(id).send().await`.
impl<P: Operation> std::future::IntoFuture for RequestBuilder<P> {
    type Output = Result<P::Output, Error>;
    type IntoFuture = ResponseFuture<P::Output>;

    fn into_future(self) -> Self::IntoFuture {
        self.send()
    }
}

impl Client {
    /// A builder: US East (`api.mypurecloud.com`) unless told otherwise, no authentication.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client sharing `inner`, without per-call options.
    pub(super) fn from_inner(inner: Inner) -> Client {
        Client {
            inner: Arc::new(inner),
            options: None,
        }
    }

    /// The base URL every path is appended to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// A client that applies `options` (timeout, retries, headers) to every call made
    /// through it, over any options this one already has. Shares everything else.
    pub fn with_options(&self, options: CallOptions) -> Client {
        let merged = match &self.options {
            Some(current) => current.merged(options),
            None => options,
        };
        Client {
            inner: Arc::clone(&self.inner),
            options: Some(Arc::new(merged)),
        }
    }

    /// Sends `request` with [`execute`](Self::execute) and decodes a success with `decode`:
    /// [`RequestBuilder::send_with_response`] is this call. Generic over the decoded type
    /// only, and the future is boxed, so operations answering the same model share one
    /// compiled future and no operation carries a future type of its own.
    pub(crate) fn call<T: Send + 'static>(
        self,
        request: Result<Request, Error>,
        decode: fn(&Response) -> Result<T, Error>,
    ) -> ResponseFuture<ApiResponse<T>> {
        ResponseFuture(Box::pin(async move {
            let response = self.execute(request?).await?;
            let body = decode(&response)?;
            Ok(response.with_body(body))
        }))
    }

    /// [`call`](Self::call), keeping only the decoded body: [`RequestBuilder::send`].
    pub(crate) fn call_body<T: Send + 'static>(
        self,
        request: Result<Request, Error>,
        decode: fn(&Response) -> Result<T, Error>,
    ) -> ResponseFuture<T> {
        ResponseFuture(Box::pin(async move {
            let response = self.execute(request?).await?;
            decode(&response)
        }))
    }

    /// Sends a request, with retries and authentication, and reads the whole response; a
    /// non-success status is an [`Error::Api`]. Runs in one `tracing` span,
    /// `genesys_cloud.call`, with the operation id, method, path template, status, attempt
    /// count and latency (never the token or a body).
    pub(crate) async fn execute(&self, request: Request) -> Result<Response, Error> {
        let span = tracing::info_span!(
            "genesys_cloud.call",
            operation = request.operation,
            method = %request.method,
            path = request.template,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let result = self
            .attempts(&request, &span, started)
            .instrument(span.clone())
            .await;
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        match &result {
            Ok(response) => {
                span.record("status", response.status);
            }
            Err(error) => {
                if let Some(status) = error.status() {
                    span.record("status", status);
                }
                span.in_scope(|| tracing::debug!(error = %error, "call failed"));
            }
        }
        result
    }

    /// The attempts of one call: each gets its access token and sends the request, both
    /// within the attempt's timeout, and the answer decides whether another follows.
    async fn attempts(
        &self,
        request: &Request,
        span: &tracing::Span,
        started: Instant,
    ) -> Result<Response, Error> {
        let options = self.options.as_deref();
        let policy = options.and_then(|o| o.retry).unwrap_or(self.inner.retry);
        let timeout = options.and_then(|o| o.timeout).or(self.inner.timeout);
        let resend = is_idempotent(&request.method)
            || options
                .and_then(|o| o.retry_non_idempotent)
                .unwrap_or(false);
        let deadline = started + policy.elapsed_budget();
        let mut attempts = 0u32;
        let mut retries = 0u32;
        let mut reauthenticated = false;
        // A request without credentials (`security: []`) never waits for a token.
        let auth = self.inner.auth.as_ref().filter(|_| request.credentials);
        loop {
            attempts += 1;
            span.record("attempts", attempts);
            let attempt_started = Instant::now();
            let token = match auth {
                Some(provider) => Some(
                    token_within(provider.as_ref(), timeout, request.operation, attempts).await?,
                ),
                None => None,
            };
            // The HTTP exchange has what the wait for the token left of the attempt's time.
            let left = timeout.map(|t| t.saturating_sub(attempt_started.elapsed()));
            let http_request = self
                .build(request, token.as_ref(), options, left)?
                .build()
                .map_err(|source| Error::Transport {
                    operation: request.operation,
                    source,
                    attempts,
                    not_idempotent: false,
                })?;
            let outcome = exchange(&self.inner.http, &self.inner.wire, http_request).await;
            if let (Outcome::Answer(401, ..), Some(provider), Some(sent), false) =
                (&outcome, auth, &token, reauthenticated)
            {
                // One refresh and one retry, when the provider has a new token.
                reauthenticated = true;
                provider.invalidate(sent);
                let fresh =
                    token_within(provider.as_ref(), timeout, request.operation, attempts).await?;
                if fresh.secret() != sent.secret() {
                    tracing::debug!(
                        status = 401,
                        "token rejected; retrying once with a new token"
                    );
                    continue;
                }
            }
            let retry = match &outcome {
                Outcome::Answer(429 | 503, headers, _) => {
                    Some(retry_after(headers, SystemTime::now()))
                }
                Outcome::Answer(502 | 504, _, _) if resend => Some(None),
                Outcome::Failed { sent, .. } if !sent || resend => Some(None),
                _ => None,
            };
            if let Some(wait) = retry.and_then(|asked| policy.next_wait(retries, asked, deadline)) {
                let reason = match &outcome {
                    Outcome::Answer(status, _, _) => format!("HTTP {status}"),
                    Outcome::Failed { error, .. } => failure_kind(error).to_owned(),
                };
                tracing::debug!(attempt = attempts, wait_ms = wait.as_millis() as u64, reason = %reason, "retrying");
                tokio::time::sleep(wait).await;
                retries += 1;
                continue;
            }
            return finish(request.operation, outcome, attempts, resend);
        }
    }

    /// The HTTP request of one attempt: method, URL, query, headers, token, timeout, body.
    fn build(
        &self,
        request: &Request,
        token: Option<&AccessToken>,
        options: Option<&CallOptions>,
        timeout: Option<Duration>,
    ) -> Result<reqwest::RequestBuilder, Error> {
        let url = format!("{}{}", self.inner.base_url, request.path);
        let mut builder = self
            .inner
            .http
            .request(request.method.clone(), url)
            .query(&request.query);
        builder = builder.header(reqwest::header::USER_AGENT, self.inner.user_agent.clone());
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        for (name, value) in options.map(|o| o.headers.as_slice()).unwrap_or_default() {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| Error::Config {
                message: format!("invalid header name {name:?}"),
            })?;
            let value = HeaderValue::from_str(value).map_err(|_| Error::Config {
                message: format!("invalid value for header {name}"),
            })?;
            builder = builder.header(name, value);
        }
        if let Some(token) = token {
            let mut value = HeaderValue::from_str(&format!("Bearer {}", token.secret().expose()))
                .map_err(|_| Error::Auth {
                status: None,
                message: "the access token is not a valid header value".into(),
                source: None,
            })?;
            value.set_sensitive(true);
            builder = builder.header(reqwest::header::AUTHORIZATION, value);
        }
        if let Some(timeout) = timeout {
            builder = builder.timeout(timeout);
        }
        Ok(match &request.payload {
            Payload::Empty => builder,
            Payload::Json(bytes) => builder
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(bytes.clone()),
            Payload::Form(fields) => builder.form(fields),
            Payload::Binary(bytes, content_type) => builder
                .header(reqwest::header::CONTENT_TYPE, *content_type)
                .body(bytes.clone()),
            Payload::Multipart(parts) => {
                let mut form = reqwest::multipart::Form::new();
                for part in parts {
                    form = match part {
                        Part::Text(name, value) => form.text(*name, value.clone()),
                        Part::File(name, bytes) => form.part(
                            *name,
                            reqwest::multipart::Part::stream(bytes.clone()).file_name(*name),
                        ),
                    };
                }
                builder.multipart(form)
            }
        })
    }
}

/// The provider's token, waited for at most `timeout`: a wait that reaches it fails the call
/// (`operation`, after `attempts` attempts) with [`Error::Timeout`], without a retry (a token
/// request has its own).
async fn token_within(
    provider: &dyn TokenProvider,
    timeout: Option<Duration>,
    operation: &'static str,
    attempts: u32,
) -> Result<AccessToken, Error> {
    let Some(limit) = timeout else {
        return provider.token().await;
    };
    match tokio::time::timeout(limit, provider.token()).await {
        Ok(token) => token,
        Err(_) => Err(Error::Timeout {
            operation,
            source: Box::new(TimedOut {
                waiting_for: "access token",
                limit,
            }),
            attempts,
            not_idempotent: false,
        }),
    }
}

/// The call's result from its last attempt's outcome: the response of a success, else the
/// error, which counts the `attempts` made; `resend` when the request could be sent again.
fn finish(
    operation: &'static str,
    outcome: Outcome,
    attempts: u32,
    resend: bool,
) -> Result<Response, Error> {
    match outcome {
        Outcome::Answer(status, headers, body) if (200..300).contains(&status) => Ok(Response {
            operation,
            status,
            headers,
            body,
        }),
        Outcome::Answer(status, headers, body) => {
            let correlation_id = headers
                .get("inin-correlation-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let decoded = serde_json::from_slice::<ErrorBody>(&body).ok();
            let raw: String = String::from_utf8_lossy(&body).chars().take(2048).collect();
            Err(Error::Api(Box::new(ApiError {
                operation,
                status,
                body: decoded,
                raw,
                correlation_id,
                headers,
                attempts,
            })))
        }
        Outcome::Failed { error, sent } => {
            // Sent and not resent: only the method kept this failure from a retry.
            let not_idempotent = sent && !resend;
            if error.is_timeout() {
                Err(Error::Timeout {
                    operation,
                    source: Box::new(error),
                    attempts,
                    not_idempotent,
                })
            } else {
                Err(Error::Transport {
                    operation,
                    source: error,
                    attempts,
                    not_idempotent,
                })
            }
        }
    }
}

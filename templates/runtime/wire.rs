//! Opt-in wire logging: each HTTP exchange's request and answer as `tracing` events at
//! `TRACE` on the target `genesys_cloud.wire`, with credentials redacted and bodies cut to a
//! set size. Off unless [`ClientBuilder::log_wire`](super::ClientBuilder::log_wire) turns it
//! on; nothing is formatted unless a subscriber takes the events.
//!
//! Every HTTP request the runtime sends, API calls and token requests alike, goes through
//! [`exchange`]: it sends the request, reads the whole answer and logs both, so the
//! redaction rules live here only. The target is the
//! same literal in every generated crate (`tracing` needs a constant), so a filter such as
//! `RUST_LOG=genesys_cloud.wire=trace` turns it on for any of them.
//!
//! Redacted: the values of the `Authorization`, `Proxy-Authorization`, `Cookie` and
//! `Set-Cookie` headers (the scheme, `Bearer` or `Basic`, is kept) and of any header marked
//! sensitive; in JSON bodies, the values of fields named like secrets (names ending in
//! `token`, `secret` or `password`, ignoring case, `_` and `-`, and `assertion` and
//! `code_verifier`); in form bodies and query strings the same, and `code` (an OAuth
//! authorization code). A JSON error body's `code` (`not.found`) is kept. Redaction works on
//! the text as it is, so a cut or malformed body is redacted too.

use std::fmt;
use std::time::Instant;

use reqwest::header::{HeaderMap, CONTENT_TYPE};
use reqwest::{Method, Url};

/// How one HTTP exchange ended.
pub(crate) enum Outcome {
    /// The server answered; the whole body was read.
    Answer(u16, HeaderMap, bytes::Bytes),
    /// No whole answer; `sent` when the request may have reached the server.
    Failed { error: reqwest::Error, sent: bool },
}

/// Sends `request` through `http`, reads the whole answer, and logs both to `log`: every
/// HTTP exchange of the runtime is this call.
pub(crate) async fn exchange(
    http: &reqwest::Client,
    log: &WireLog,
    request: reqwest::Request,
) -> Outcome {
    let logged = log.request(&request);
    let outcome = match http.execute(request).await {
        Ok(response) => {
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            match response.bytes().await {
                Ok(body) => Outcome::Answer(status, headers, body),
                Err(error) => Outcome::Failed { error, sent: true },
            }
        }
        Err(error) => {
            let sent = !error.is_connect();
            Outcome::Failed { error, sent }
        }
    };
    match &outcome {
        Outcome::Answer(status, headers, body) => logged.response(*status, headers, body),
        Outcome::Failed { error, .. } => logged.failed(error),
    }
    outcome
}

/// The `tracing` target of wire events, in every generated crate.
const TARGET: &str = "genesys_cloud.wire";

/// What replaces a redacted value.
const REDACTED: &str = "[redacted]";

/// How much of each body [`WireLog::on`] logs unless told otherwise.
const DEFAULT_MAX_BODY_BYTES: usize = 4096;

/// Wire logging: each HTTP exchange as `tracing` events at `TRACE` on the target
/// `genesys_cloud.wire` (whatever the crate's name): method, full URL, status, elapsed
/// milliseconds, request and response headers, and bodies cut to
/// [`max_body_bytes`](Self::max_body_bytes), with credentials, tokens and secrets redacted.
/// Off by default; a subscriber must also enable the target at `TRACE`.
///
/// ```no_run
/// # fn run() -> Result<(), genesys_cloud::Error> {
/// use genesys_cloud::runtime::WireLog;
///
/// let client = genesys_cloud::Client::builder()
///     .bearer_token("token")
///     .log_wire(WireLog::on().max_body_bytes(16 * 1024))
///     .build()?;
/// # let _ = client;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WireLog {
    enabled: bool,
    max_body_bytes: usize,
}

impl Default for WireLog {
    /// Off.
    fn default() -> Self {
        WireLog {
            enabled: false,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        }
    }
}

impl WireLog {
    /// No wire logging (the default).
    pub fn off() -> Self {
        Self::default()
    }

    /// Wire logging, with the first 4 KiB of each body.
    pub fn on() -> Self {
        WireLog {
            enabled: true,
            ..Self::default()
        }
    }

    /// Logs at most this many bytes of each body (cut at a character boundary, saying how
    /// many bytes were left out); 0 logs no bodies.
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = bytes;
        self
    }

    /// Logs `request` as it is about to be sent, when wire logging is on and a subscriber
    /// takes the events; the [`Exchange`] logs its outcome.
    pub(crate) fn request(&self, request: &reqwest::Request) -> Exchange {
        if !self.enabled || !tracing::enabled!(target: TARGET, tracing::Level::TRACE) {
            return Exchange(None);
        }
        tracing::trace!(
            target: TARGET,
            method = %request.method(),
            url = %RedactedUrl(request.url()),
            headers = %Headers(request.headers()),
            body = %Body {
                // A streamed body (multipart) cannot be read without sending it.
                bytes: request.body().map_or(Some(&[][..]), reqwest::Body::as_bytes),
                headers: request.headers(),
                max: self.max_body_bytes,
            },
            "request"
        );
        Exchange(Some(Sent {
            method: request.method().clone(),
            url: request.url().clone(),
            started: Instant::now(),
            max_body_bytes: self.max_body_bytes,
        }))
    }
}

/// One logged request, waiting for its outcome; does nothing when the request was not
/// logged.
pub(crate) struct Exchange(Option<Sent>);

/// What a logged request's outcome is logged with.
struct Sent {
    method: Method,
    url: Url,
    started: Instant,
    max_body_bytes: usize,
}

impl Exchange {
    /// Logs the answer: status, time since the request, headers and body.
    pub(crate) fn response(&self, status: u16, headers: &HeaderMap, body: &[u8]) {
        let Some(sent) = &self.0 else {
            return;
        };
        tracing::trace!(
            target: TARGET,
            method = %sent.method,
            url = %RedactedUrl(&sent.url),
            status,
            elapsed_ms = sent.started.elapsed().as_millis() as u64,
            headers = %Headers(headers),
            body = %Body {
                bytes: Some(body),
                headers,
                max: sent.max_body_bytes,
            },
            "response"
        );
    }

    /// Logs a request that got no (complete) answer.
    pub(crate) fn failed(&self, error: &reqwest::Error) {
        let Some(sent) = &self.0 else {
            return;
        };
        tracing::trace!(
            target: TARGET,
            method = %sent.method,
            url = %RedactedUrl(&sent.url),
            elapsed_ms = sent.started.elapsed().as_millis() as u64,
            error = %Failure(error),
            "no response"
        );
    }
}

/// What kind of failure a `reqwest::Error` is, for logs (its own text holds the URL).
pub(crate) fn failure_kind(error: &reqwest::Error) -> &'static str {
    if error.is_connect() {
        "connection failed"
    } else if error.is_timeout() {
        "timed out"
    } else if error.is_body() || error.is_decode() {
        "response body failed"
    } else {
        "request failed"
    }
}

/// A failure's kind and the errors under it (which, unlike its own text, hold no URL).
struct Failure<'a>(&'a reqwest::Error);

impl fmt::Display for Failure<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(failure_kind(self.0))?;
        let mut cause = std::error::Error::source(self.0);
        while let Some(error) = cause {
            write!(f, ": {error}")?;
            cause = error.source();
        }
        Ok(())
    }
}

/// A URL with the values of secret-named query parameters redacted.
struct RedactedUrl<'a>(&'a Url);

impl fmt::Display for RedactedUrl<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.as_str().split_once('?') {
            Some((head, query)) => write!(f, "{head}?{}", redact_form(query)),
            None => f.write_str(self.0.as_str()),
        }
    }
}

/// Headers as `{name: "value", ...}`, credentials redacted.
struct Headers<'a>(&'a HeaderMap);

impl fmt::Display for Headers<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("{")?;
        for (i, (name, value)) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{name}: ")?;
            let secret = value.is_sensitive()
                || [
                    "authorization",
                    "proxy-authorization",
                    "cookie",
                    "set-cookie",
                ]
                .contains(&name.as_str());
            match value.to_str() {
                Ok(text) if !secret => write!(f, "{text:?}")?,
                // Keep the scheme of credentials (`Bearer`, `Basic`): which kind was sent.
                Ok(text) if name.as_str().ends_with("authorization") => {
                    match text.split_once(' ') {
                        Some((scheme, _)) => write!(f, "\"{scheme} {REDACTED}\"")?,
                        None => write!(f, "\"{REDACTED}\"")?,
                    }
                }
                Ok(_) => write!(f, "\"{REDACTED}\"")?,
                Err(_) if secret => write!(f, "\"{REDACTED}\"")?,
                Err(_) => write!(f, "({} bytes, not text)", value.len())?,
            }
        }
        f.write_str("}")
    }
}

/// A body as quoted text, cut to `max` bytes and redacted as its `Content-Type` says;
/// `bytes` is `None` for a streamed body, which is not shown.
struct Body<'a> {
    bytes: Option<&'a [u8]>,
    headers: &'a HeaderMap,
    max: usize,
}

impl fmt::Display for Body<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(bytes) = self.bytes else {
            return f.write_str("(streamed, not shown)");
        };
        let Some(text) = cut(bytes, self.max) else {
            return write!(f, "({} bytes, not UTF-8)", bytes.len());
        };
        let form = self
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        let redacted = if form {
            redact_form(text)
        } else {
            redact_json(text)
        };
        write!(f, "{redacted:?}")?;
        let left_out = bytes.len() - text.len();
        if left_out > 0 {
            write!(f, " ({left_out} bytes cut)")?;
        }
        Ok(())
    }
}

/// The first `max` bytes of `bytes` as text, shortened to the last whole character; `None`
/// when they are not UTF-8.
fn cut(bytes: &[u8], max: usize) -> Option<&str> {
    let kept = &bytes[..bytes.len().min(max)];
    match std::str::from_utf8(kept) {
        Ok(text) => Some(text),
        // Only the last character was cut in two: drop it.
        Err(error) if error.error_len().is_none() => {
            std::str::from_utf8(&kept[..error.valid_up_to()]).ok()
        }
        Err(_) => None,
    }
}

/// Whether a field or parameter of this name holds a secret; `form` for form fields and
/// query parameters, where `code` is an OAuth authorization code.
fn is_secret(name: &str, form: bool) -> bool {
    let name: String = name
        .chars()
        .filter(|c| !matches!(c, '_' | '-'))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    ["token", "secret", "password"]
        .iter()
        .any(|end| name.ends_with(end))
        || name == "assertion"
        || name == "codeverifier"
        || (form && name == "code")
}

/// A form body or query string with the values of secret-named fields redacted.
fn redact_form(text: &str) -> String {
    text.split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) => {
                let decoded = percent_encoding::percent_decode_str(&name.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned();
                if is_secret(&decoded, true) {
                    format!("{name}={REDACTED}")
                } else {
                    pair.to_owned()
                }
            }
            None => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// JSON text with the values of secret-named fields redacted, read as tokens rather than
/// parsed, so a body that is cut or not quite JSON is redacted too.
fn redact_json(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let (mut i, mut copied) = (0, 0);
    while i < bytes.len() {
        if bytes[i] != b'"' {
            i += 1;
            continue;
        }
        let end = string_end(bytes, i);
        let colon = skip_whitespace(bytes, end);
        // A string followed by `:` is a field name, and it was closed, so `end - 1` is its
        // closing quote.
        if bytes.get(colon) != Some(&b':') || !is_secret(&text[i + 1..end - 1], false) {
            i = end;
            continue;
        }
        let start = skip_whitespace(bytes, colon + 1);
        let value_end = value_end(bytes, start);
        out.push_str(&text[copied..start]);
        out.push('"');
        out.push_str(REDACTED);
        out.push('"');
        copied = value_end;
        i = value_end;
    }
    out.push_str(&text[copied..]);
    out
}

/// The index after the JSON string starting at `start` (its closing quote), or the end.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The index of the first non-whitespace byte at or after `i`, or the end.
fn skip_whitespace(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    i.min(bytes.len())
}

/// The index after the JSON value starting at `start`: a string, an object or array (to
/// its matching bracket), or a scalar (to the next delimiter); the end when it is cut.
fn value_end(bytes: &[u8], start: usize) -> usize {
    match bytes.get(start) {
        None => bytes.len(),
        Some(b'"') => string_end(bytes, start),
        Some(b'{' | b'[') => {
            let (mut depth, mut i) = (0usize, start);
            while i < bytes.len() {
                match bytes[i] {
                    b'"' => {
                        i = string_end(bytes, i);
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            return i + 1;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            bytes.len()
        }
        Some(_) => bytes[start..]
            .iter()
            .position(|b| matches!(b, b',' | b'}' | b']') || b.is_ascii_whitespace())
            .map_or(bytes.len(), |n| start + n),
    }
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    #[test]
    fn secret_json_fields_are_redacted_whatever_their_value() {
        let json = r#"{"access_token":"a.b.c","expires_in":3600,"Refresh-Token" : "r\"x",
            "user":{"name":"Ann","password":12345,"clientSecret":{"v":["}"]}},"code":"not.found"}"#;
        let redacted = redact_json(json);
        for secret in ["a.b.c", r#"r\"x"#, "12345", r#"["}"]"#] {
            assert!(!redacted.contains(secret), "{secret}: {redacted}");
        }
        assert_eq!(
            redacted,
            r#"{"access_token":"[redacted]","expires_in":3600,"Refresh-Token" : "[redacted]",
            "user":{"name":"Ann","password":"[redacted]","clientSecret":"[redacted]"},"code":"not.found"}"#
        );
    }

    #[test]
    fn cut_json_is_redacted_too() {
        assert_eq!(
            redact_json(r#"{"id":"u1","id_token":"eyJhbGciOi"#),
            r#"{"id":"u1","id_token":"[redacted]""#
        );
        assert_eq!(redact_json(r#"["password""#), r#"["password""#);
        assert_eq!(redact_json("not json \"x"), "not json \"x");
    }

    #[test]
    fn secret_form_fields_and_query_parameters_are_redacted() {
        assert_eq!(
            redact_form("grant_type=authorization_code&code=abc&code_verifier=v&redirect_uri=x"),
            "grant_type=authorization_code&code=[redacted]&code_verifier=[redacted]&redirect_uri=x"
        );
        assert_eq!(
            redact_form("client%5Fsecret=s&assertion=PHNhbWw&flag"),
            "client%5Fsecret=[redacted]&assertion=[redacted]&flag"
        );
        let url = Url::parse("https://h.example/api/v2/x?pageSize=2&access_token=t").unwrap();
        assert_eq!(
            RedactedUrl(&url).to_string(),
            "https://h.example/api/v2/x?pageSize=2&access_token=[redacted]"
        );
    }

    #[test]
    fn credential_headers_keep_only_their_scheme() {
        let mut headers = HeaderMap::new();
        headers.insert("authorization", HeaderValue::from_static("Bearer tok-1"));
        headers.insert("cookie", HeaderValue::from_static("session=s-2"));
        headers.insert("set-cookie", HeaderValue::from_static("a=b; Path=/"));
        let mut custom = HeaderValue::from_static("k-3");
        custom.set_sensitive(true);
        headers.insert("x-api-key", custom);
        headers.insert("accept", HeaderValue::from_static("application/json"));
        let text = Headers(&headers).to_string();
        assert_eq!(
            text,
            r#"{authorization: "Bearer [redacted]", cookie: "[redacted]", set-cookie: "[redacted]", x-api-key: "[redacted]", accept: "application/json"}"#
        );
    }

    #[test]
    fn bodies_are_cut_at_a_character_boundary_saying_how_much() {
        let headers = HeaderMap::new();
        let body = |bytes: &[u8], max| {
            Body {
                bytes: Some(bytes),
                headers: &headers,
                max,
            }
            .to_string()
        };
        // "é" is two bytes: a cut through it drops it whole.
        assert_eq!(body("aéb".as_bytes(), 2), r#""a" (3 bytes cut)"#);
        assert_eq!(body("aéb".as_bytes(), 3), r#""aé" (1 bytes cut)"#);
        assert_eq!(body(b"{}", 10), r#""{}""#);
        assert_eq!(body(b"line\none", 0), r#""" (8 bytes cut)"#);
        assert_eq!(body(&[0xff, 0xfe, 0x00], 10), "(3 bytes, not UTF-8)");
        let streamed = Body {
            bytes: None,
            headers: &headers,
            max: 10,
        };
        assert_eq!(streamed.to_string(), "(streamed, not shown)");
        let mut form = HeaderMap::new();
        form.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        let form = Body {
            bytes: Some(b"grant_type=password&password=p"),
            headers: &form,
            max: 100,
        };
        assert_eq!(
            form.to_string(),
            r#""grant_type=password&password=[redacted]""#
        );
    }

    #[test]
    fn wire_logging_is_off_by_default() {
        assert_eq!(WireLog::default(), WireLog::off());
        assert!(!WireLog::off().enabled && WireLog::on().enabled);
        assert_eq!(WireLog::on().max_body_bytes, 4096);
        assert_eq!(WireLog::on().max_body_bytes(0).max_body_bytes, 0);
    }
}

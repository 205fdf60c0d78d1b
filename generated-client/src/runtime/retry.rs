//! When a call is retried and how long it waits: the retry policy, exponential backoff with
//! full jitter, `Retry-After` (seconds or an HTTP date), and per-call options.

use std::fmt;
use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;

/// How failed attempts are retried.
///
/// A call is retried when the API answers 429 (honouring `Retry-After`) or 503, or the
/// connection failed before the request was sent, whatever the method; and when it answers
/// 502 or 504, or failed after the request was sent, only for idempotent methods (GET, HEAD,
/// PUT, DELETE, OPTIONS) unless the call opts in with
/// [`CallOptions::retry_non_idempotent`], so a POST is never silently sent twice. Other
/// statuses are not retried.
///
/// Waits grow exponentially from [`initial_backoff`](Self::initial_backoff) up to
/// [`max_backoff`](Self::max_backoff), each drawn uniformly below that bound ("full
/// jitter"). A call makes at most [`max_attempts`](Self::max_attempts) attempts and starts
/// no wait that would end more than [`max_elapsed`](Self::max_elapsed) after the call
/// began; it then returns the last error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_elapsed: Duration,
}

impl Default for RetryPolicy {
    /// 4 attempts, waits from 250 ms up to 20 s, at most 60 s in all.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(20),
            max_elapsed: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// The default policy: 4 attempts, waits from 250 ms up to 20 s, at most 60 s in all.
    pub fn new() -> Self {
        Self::default()
    }

    /// A policy that never retries.
    pub fn never() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// At most this many attempts, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The bound of the first wait; each further wait's bound doubles.
    pub fn initial_backoff(mut self, wait: Duration) -> Self {
        self.initial_backoff = wait;
        self
    }

    /// The largest bound of a backoff wait (a `Retry-After` is honoured beyond it).
    pub fn max_backoff(mut self, wait: Duration) -> Self {
        self.max_backoff = wait;
        self
    }

    /// No wait is started that would end later than this after the call began.
    pub fn max_elapsed(mut self, total: Duration) -> Self {
        self.max_elapsed = total;
        self
    }

    /// The maximum number of attempts.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The total time budget of a call's retries.
    pub fn elapsed_budget(&self) -> Duration {
        self.max_elapsed
    }

    /// The wait before retry number `retry` (0 for the first retry): uniform in
    /// `[0, min(max_backoff, initial_backoff * 2^retry)]`.
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let bound = self
            .initial_backoff
            .saturating_mul(1u32.checked_shl(retry.min(31)).unwrap_or(u32::MAX))
            .min(self.max_backoff);
        bound.mul_f64(random_fraction())
    }
}

/// A uniform random number in `[0, 1)`, from the standard library's randomly keyed hasher
/// (enough for jitter; no cryptographic use).
pub(crate) fn random_fraction() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// The wait a `Retry-After` header asks for: delay-seconds, or an HTTP date (a date in the
/// past means no wait).
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    if let Ok(seconds) = value.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0)
            .then(|| Duration::from_secs_f64(seconds.min(86_400.0)));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    Some(
        SystemTime::from(date)
            .duration_since(now)
            .unwrap_or(Duration::ZERO),
    )
}

/// Whether a method can be sent twice with the effect of once.
pub(crate) fn is_idempotent(method: &reqwest::Method) -> bool {
    use reqwest::Method;
    [
        Method::GET,
        Method::HEAD,
        Method::PUT,
        Method::DELETE,
        Method::OPTIONS,
        Method::TRACE,
    ]
    .contains(method)
}

/// Settings for one call (or for every call made through a [`Client`](super::Client) from
/// [`Client::with_options`](super::Client::with_options)): timeout, retries, extra headers.
///
/// ```
/// use std::time::Duration;
/// use genesys_cloud::runtime::{CallOptions, RetryPolicy};
///
/// let options = CallOptions::new()
///     .timeout(Duration::from_secs(5))
///     .retry(RetryPolicy::never())
///     .header("If-Match", "\"3\"");
/// # let _ = options;
/// ```
#[derive(Clone, Default)]
pub struct CallOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) retry_non_idempotent: Option<bool>,
    pub(crate) headers: Vec<(String, String)>,
}

impl fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values may be credentials: only their names are shown.
        f.debug_struct("CallOptions")
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("retry_non_idempotent", &self.retry_non_idempotent)
            .field(
                "headers",
                &self
                    .headers
                    .iter()
                    .map(|(name, _)| name.as_str())
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl CallOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// Each attempt must complete (response body included) within this time; it then fails
    /// with [`Error::Timeout`](super::Error::Timeout) (and may be retried).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Uses this retry policy instead of the client's.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Also retries this call after 502, 504 and failures after sending when its method is
    /// not idempotent (POST, PATCH): for calls the caller knows are safe to repeat.
    pub fn retry_non_idempotent(mut self, yes: bool) -> Self {
        self.retry_non_idempotent = Some(yes);
        self
    }

    /// Adds a request header, such as `If-Match`. An invalid name or value makes the call
    /// fail with [`Error::Config`](super::Error::Config).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// These options with `other`'s set values taking precedence, and both sets of headers.
    pub(crate) fn merged(&self, other: CallOptions) -> CallOptions {
        let mut headers = self.headers.clone();
        headers.extend(other.headers);
        CallOptions {
            timeout: other.timeout.or(self.timeout),
            retry: other.retry.or(self.retry),
            retry_non_idempotent: other.retry_non_idempotent.or(self.retry_non_idempotent),
            headers,
        }
    }
}

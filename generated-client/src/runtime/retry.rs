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

    /// The wait before the next attempt, after `retries` retries, of a request that may be
    /// retried (`asked` is the wait the server asked for with `Retry-After`, else a
    /// backoff), or `None` when the attempts are spent or the wait would end past
    /// `deadline`. The one retry decision of API calls and token requests alike.
    pub(crate) fn next_wait(
        &self,
        retries: u32,
        asked: Option<Duration>,
        deadline: std::time::Instant,
    ) -> Option<Duration> {
        if retries + 1 >= self.max_attempts {
            return None;
        }
        let wait = asked.unwrap_or_else(|| self.backoff(retries));
        (std::time::Instant::now() + wait <= deadline).then_some(wait)
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

/// The longest wait a `Retry-After` is taken to ask for: a day. The call's time budget
/// ends any retry sooner; the cap keeps a huge value from overflowing the deadline's
/// arithmetic.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(86_400);

/// The wait a `Retry-After` header asks for: delay-seconds, or an HTTP date (a date in the
/// past means no wait), at most [`MAX_RETRY_AFTER`]; `None` when there is no such header
/// or it says neither.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    let wait = if let Ok(seconds) = value.parse::<u64>() {
        Duration::from_secs(seconds)
    } else if let Ok(seconds) = value.parse::<f64>() {
        if !(seconds.is_finite() && seconds >= 0.0) {
            return None;
        }
        Duration::from_secs_f64(seconds.min(MAX_RETRY_AFTER.as_secs_f64()))
    } else {
        let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
        SystemTime::from(date)
            .duration_since(now)
            .unwrap_or(Duration::ZERO)
    };
    Some(wait.min(MAX_RETRY_AFTER))
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

    /// Each attempt, the wait for its access token and the response body included, must
    /// complete within this time; it then fails with
    /// [`Error::Timeout`](super::Error::Timeout) (and may be retried, unless it was the
    /// token that did not come).
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

#[cfg(test)]
mod tests {
    use reqwest::header::{HeaderValue, RETRY_AFTER};
    use reqwest::Method;

    use super::*;

    #[test]
    fn the_next_wait_is_bounded_by_the_attempts_and_the_deadline() {
        let policy = RetryPolicy::new().max_attempts(3);
        let later = std::time::Instant::now() + Duration::from_secs(60);
        let asked = Some(Duration::from_secs(2));
        assert_eq!(policy.next_wait(0, asked, later), asked);
        assert_eq!(policy.next_wait(1, asked, later), asked);
        assert_eq!(
            policy.next_wait(2, asked, later),
            None,
            "three attempts made"
        );
        let soon = std::time::Instant::now() + Duration::from_secs(1);
        assert_eq!(policy.next_wait(0, asked, soon), None, "past the deadline");
        let backoff = policy.next_wait(0, None, later).unwrap();
        assert!(backoff <= Duration::from_millis(250), "{backoff:?}");
    }

    fn retry_after_of(value: &str) -> Option<Duration> {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_str(value).unwrap());
        retry_after(&headers, now())
    }

    /// 2015-10-21 07:28:00 UTC, the instant of RFC 9110's `Retry-After` example.
    fn now() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480)
    }

    #[test]
    fn retry_after_reads_delay_seconds() {
        assert_eq!(retry_after_of("120"), Some(Duration::from_secs(120)));
        assert_eq!(retry_after_of(" 7 "), Some(Duration::from_secs(7)));
        assert_eq!(retry_after_of("0"), Some(Duration::ZERO));
        assert_eq!(retry_after_of("1.5"), Some(Duration::from_millis(1500)));
    }

    #[test]
    fn retry_after_reads_an_http_date() {
        assert_eq!(
            retry_after_of("Wed, 21 Oct 2015 07:30:00 GMT"),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            retry_after_of("Wed, 21 Oct 2015 08:28:00 +0000"),
            Some(Duration::from_secs(3600))
        );
        // A date already past asks for no wait.
        assert_eq!(
            retry_after_of("Wed, 21 Oct 2015 07:00:00 GMT"),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn retry_after_caps_huge_values_at_a_day() {
        let day = Some(Duration::from_secs(86_400));
        assert_eq!(retry_after_of("18446744073709551615"), day);
        assert_eq!(retry_after_of("1e300"), day);
        assert_eq!(retry_after_of("Fri, 31 Dec 9999 23:59:59 GMT"), day);
    }

    #[test]
    fn retry_after_ignores_garbage() {
        for value in [
            "",
            "soon",
            "-5",
            "-0.5",
            "NaN",
            "inf",
            "10s",
            "2015-10-21T07:30:00Z",
        ] {
            assert_eq!(retry_after_of(value), None, "{value:?}");
        }
        assert_eq!(retry_after(&HeaderMap::new(), now()), None);
    }

    #[test]
    fn backoff_stays_under_its_doubling_bound() {
        let policy = RetryPolicy::new()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_secs(1));
        for _ in 0..200 {
            assert!(policy.backoff(0) <= Duration::from_millis(100));
            assert!(policy.backoff(2) <= Duration::from_millis(400));
            assert!(policy.backoff(4) <= Duration::from_secs(1));
            assert!(policy.backoff(u32::MAX) <= Duration::from_secs(1));
        }
        // Full jitter: waits spread over the bound rather than all sitting at it.
        let waits: Vec<Duration> = (0..200).map(|_| policy.backoff(3)).collect();
        assert!(waits.iter().any(|w| *w < Duration::from_millis(400)));
        assert!(waits.iter().any(|w| *w > Duration::from_millis(400)));
    }

    #[test]
    fn random_fractions_are_in_the_unit_interval() {
        for _ in 0..1000 {
            let x = random_fraction();
            assert!((0.0..1.0).contains(&x), "{x}");
        }
    }

    #[test]
    fn a_policy_makes_at_least_one_attempt() {
        assert_eq!(RetryPolicy::new().max_attempts(0).attempts(), 1);
        assert_eq!(RetryPolicy::never().attempts(), 1);
        assert_eq!(RetryPolicy::default().attempts(), 4);
    }

    #[test]
    fn only_methods_safe_to_repeat_are_idempotent() {
        for method in [Method::GET, Method::HEAD, Method::PUT, Method::DELETE] {
            assert!(is_idempotent(&method), "{method}");
        }
        for method in [Method::POST, Method::PATCH] {
            assert!(!is_idempotent(&method), "{method}");
        }
    }

    #[test]
    fn merged_options_prefer_the_later_and_keep_both_headers() {
        let client = CallOptions::new()
            .timeout(Duration::from_secs(5))
            .retry_non_idempotent(true)
            .header("X-A", "1");
        let call = CallOptions::new()
            .retry(RetryPolicy::never())
            .timeout(Duration::from_secs(1))
            .header("X-B", "2");
        let merged = client.merged(call);
        assert_eq!(merged.timeout, Some(Duration::from_secs(1)));
        assert_eq!(merged.retry, Some(RetryPolicy::never()));
        assert_eq!(merged.retry_non_idempotent, Some(true));
        assert_eq!(
            merged.headers,
            [
                ("X-A".to_owned(), "1".to_owned()),
                ("X-B".to_owned(), "2".to_owned())
            ]
        );
    }

    #[test]
    fn call_options_debug_hides_header_values() {
        let options = CallOptions::new().header("Authorization", "Bearer secret-token");
        let debug = format!("{options:?}");
        assert!(debug.contains("Authorization"), "{debug}");
        assert!(!debug.contains("secret-token"), "{debug}");
    }
}

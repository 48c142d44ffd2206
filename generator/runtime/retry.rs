//! When a failed attempt is sent again and after how long: the retry policy, the decision
//! for one attempt (a pure function), exponential backoff with full jitter, and the jitter
//! source.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

use super::retry_after::server_wait;

/// Default number of retries of a failed request; see [`RetryPolicy::max_retries`].
pub const DEFAULT_MAX_RETRIES: u32 = 2;

/// How a client retries failed requests. Every setting has a default; see each method.
///
/// ```text
/// let policy = RetryPolicy::new()
///     .max_retries(4)
///     .base_delay(Duration::from_millis(200))
///     .max_retry_wait(Duration::from_secs(30));
/// let client = Client::builder().retry_policy(policy).build()?;
/// ```
///
/// Which failures are retried:
/// - a connection that could not be established (the request was never sent): any method;
/// - a status listed in [`RetryPolicy::statuses`], a timeout, or a connection lost after the
///   request was sent: only idempotent methods (`GET`, `HEAD`, `PUT`, `DELETE`, `OPTIONS`,
///   `TRACE`), or an operation or call that opted in (`retry = true` in the generator's
///   settings, `RequestOptions::retry_non_idempotent`), since the server may have acted on
///   the first `POST` or `PATCH`.
///
/// How long a retry waits: what the server asks for (`Retry-After` in seconds or as a date,
/// or `retry_after` in a JSON body), else a random time between zero and
/// `base_delay * 2^retry`, at most `max_delay` ("full jitter"). No wait exceeds
/// `max_retry_wait`: when the server asks for longer, the error is returned at once.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct RetryPolicy {
    max_retries: u32,
    statuses: Vec<StatusCode>,
    base_delay: Duration,
    max_delay: Duration,
    max_retry_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: DEFAULT_MAX_RETRIES,
            statuses: DEFAULT_STATUSES
                .iter()
                .filter_map(|code| StatusCode::from_u16(*code).ok())
                .collect(),
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            max_retry_wait: Duration::from_secs(60),
        }
    }
}

/// Request Timeout, Too Many Requests, and the server errors that say "try again".
const DEFAULT_STATUSES: [u16; 6] = [408, 429, 500, 502, 503, 504];

impl RetryPolicy {
    /// The default policy: 2 retries of 408, 429, 500, 502, 503 and 504 answers and of
    /// connection failures, backoff from 0.5 s doubling up to 8 s, waits capped at 60 s.
    pub fn new() -> Self {
        Self::default()
    }

    /// A policy that never retries.
    pub fn none() -> Self {
        Self::default().max_retries(0)
    }

    /// How many times a failed request may be sent again. Default: 2.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The statuses that are retried. Default: 408, 429, 500, 502, 503, 504.
    pub fn statuses(mut self, statuses: impl IntoIterator<Item = StatusCode>) -> Self {
        self.statuses = statuses.into_iter().collect();
        self
    }

    /// The ceiling of the first backoff; it doubles with each retry. Default: 0.5 s.
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The largest backoff ceiling. Default: 8 s.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The longest a client waits before a retry, including a wait the server asks for
    /// with `Retry-After`; when the server asks for longer, the error is returned instead
    /// of retrying early. Default: 60 s.
    pub fn max_retry_wait(mut self, wait: Duration) -> Self {
        self.max_retry_wait = wait;
        self
    }

    /// The number of retries allowed.
    pub fn retries(&self) -> u32 {
        self.max_retries
    }
}

/// What one attempt came to, as far as retrying is concerned.
#[derive(Debug, Clone, Copy)]
pub enum Attempt<'a> {
    /// Connecting failed, so the request was never sent.
    NotSent,
    /// A timeout, or the connection failed after the request may have reached the server.
    Lost,
    /// The server answered with a status that is not a success.
    Answered {
        /// The status.
        status: StatusCode,
        /// The response headers, for `Retry-After`.
        headers: &'a HeaderMap,
        /// The response body, for a JSON `retry_after`.
        body: &'a [u8],
    },
    /// A success, or a failure that sending again cannot change.
    Done,
}

/// What one call allows, on top of the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallRetry {
    /// Retries allowed for this call.
    pub max_retries: u32,
    /// Whether the call may be sent again after the server may have received it: its
    /// method is idempotent, or the operation or the caller opted in.
    pub replay_safe: bool,
}

impl CallRetry {
    /// The retries a call gets from `policy`, its method, and the opt-ins.
    pub fn new(
        policy: &RetryPolicy,
        method: &Method,
        opted_in: bool,
        max_retries: Option<u32>,
    ) -> Self {
        CallRetry {
            max_retries: max_retries.unwrap_or(policy.max_retries),
            replay_safe: opted_in || is_idempotent(method),
        }
    }
}

/// The methods RFC 9110 §9.2.2 defines as idempotent, and `QUERY` (safe and idempotent,
/// as the HTTP QUERY method draft defines it).
pub fn is_idempotent(method: &Method) -> bool {
    [
        Method::GET,
        Method::HEAD,
        Method::PUT,
        Method::DELETE,
        Method::OPTIONS,
        Method::TRACE,
    ]
    .contains(method)
        || method.as_str() == "QUERY"
}

/// Whether to send again, and after how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Return the attempt's result.
    Stop,
    /// Wait, then send again.
    Retry {
        /// How long to wait first.
        wait: Duration,
        /// Whether the server asked for this wait.
        server_asked: bool,
    },
}

/// Decides what follows an attempt, after `retries_done` retries of this call. `now` reads
/// a `Retry-After` date; `random` is a uniformly random number for the jitter.
pub fn decide(
    policy: &RetryPolicy,
    call: CallRetry,
    retries_done: u32,
    attempt: Attempt<'_>,
    now: SystemTime,
    random: u64,
) -> Decision {
    if retries_done >= call.max_retries {
        return Decision::Stop;
    }
    let backoff = Decision::Retry {
        wait: backoff(policy, retries_done, random),
        server_asked: false,
    };
    match attempt {
        Attempt::Done => Decision::Stop,
        Attempt::NotSent => backoff,
        Attempt::Lost if call.replay_safe => backoff,
        Attempt::Lost => Decision::Stop,
        Attempt::Answered { status, .. }
            if !call.replay_safe || !policy.statuses.contains(&status) =>
        {
            Decision::Stop
        }
        Attempt::Answered { headers, body, .. } => match server_wait(headers, body, now) {
            Some(wait) if wait > policy.max_retry_wait => Decision::Stop,
            Some(wait) => Decision::Retry {
                wait,
                server_asked: true,
            },
            None => backoff,
        },
    }
}

/// Full jitter: a uniformly random wait between zero and
/// `min(max_delay, base_delay * 2^retries_done, max_retry_wait)`.
pub fn backoff(policy: &RetryPolicy, retries_done: u32, random: u64) -> Duration {
    let factor = 1u32.checked_shl(retries_done).unwrap_or(u32::MAX);
    let ceiling = policy
        .base_delay
        .saturating_mul(factor)
        .min(policy.max_delay)
        .min(policy.max_retry_wait);
    let nanos = ceiling.as_nanos();
    let scaled = match nanos.checked_mul(u128::from(random)) {
        Some(product) => product >> 64,
        None => (nanos >> 64).saturating_mul(u128::from(random)),
    };
    from_nanos(scaled).min(ceiling)
}

fn from_nanos(nanos: u128) -> Duration {
    const PER_SECOND: u128 = 1_000_000_000;
    let seconds = u64::try_from(nanos / PER_SECOND).unwrap_or(u64::MAX);
    let rest = u32::try_from(nanos % PER_SECOND).unwrap_or(0);
    Duration::new(seconds, rest)
}

/// A random number for the jitter, without a dependency: the standard library seeds each
/// `RandomState` randomly, and a counter makes consecutive draws differ.
pub fn jitter_source() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderValue, RETRY_AFTER};

    const NOW: SystemTime = SystemTime::UNIX_EPOCH;
    const SAFE: CallRetry = CallRetry {
        max_retries: 2,
        replay_safe: true,
    };
    const UNSAFE: CallRetry = CallRetry {
        max_retries: 2,
        replay_safe: false,
    };

    fn answered(status: u16, headers: &HeaderMap, body: &'static [u8]) -> Attempt<'static> {
        let headers: &'static HeaderMap = Box::leak(Box::new(headers.clone()));
        Attempt::Answered {
            status: StatusCode::from_u16(status).expect("valid status"),
            headers,
            body,
        }
    }

    fn retried(decision: Decision) -> bool {
        matches!(decision, Decision::Retry { .. })
    }

    #[test]
    fn default_statuses_are_retried_for_idempotent_calls_only() {
        let policy = RetryPolicy::default();
        let none = HeaderMap::new();
        for status in [408, 429, 500, 502, 503, 504] {
            let attempt = answered(status, &none, b"");
            assert!(
                retried(decide(&policy, SAFE, 0, attempt, NOW, 7)),
                "{status}"
            );
            assert!(!retried(decide(&policy, UNSAFE, 0, attempt, NOW, 7)));
        }
        for status in [400, 401, 403, 404, 409, 422, 501, 505] {
            let attempt = answered(status, &none, b"");
            assert!(
                !retried(decide(&policy, SAFE, 0, attempt, NOW, 7)),
                "{status}"
            );
        }
    }

    #[test]
    fn a_connection_never_made_is_retried_for_any_method_a_lost_one_only_if_safe() {
        let policy = RetryPolicy::default();
        assert!(retried(decide(
            &policy,
            UNSAFE,
            0,
            Attempt::NotSent,
            NOW,
            1
        )));
        assert!(retried(decide(&policy, SAFE, 1, Attempt::Lost, NOW, 1)));
        assert!(!retried(decide(&policy, UNSAFE, 0, Attempt::Lost, NOW, 1)));
        assert!(!retried(decide(&policy, SAFE, 0, Attempt::Done, NOW, 1)));
    }

    #[test]
    fn retries_stop_at_the_limit() {
        let policy = RetryPolicy::default();
        assert!(retried(decide(&policy, SAFE, 1, Attempt::NotSent, NOW, 1)));
        assert!(!retried(decide(&policy, SAFE, 2, Attempt::NotSent, NOW, 1)));
        let none = CallRetry::new(&policy, &Method::GET, false, Some(0));
        assert!(!retried(decide(&policy, none, 0, Attempt::NotSent, NOW, 1)));
    }

    #[test]
    fn the_methods_and_opt_ins_decide_replay_safety() {
        let policy = RetryPolicy::default();
        for method in [Method::GET, Method::HEAD, Method::PUT, Method::DELETE] {
            assert!(CallRetry::new(&policy, &method, false, None).replay_safe);
        }
        for method in [Method::POST, Method::PATCH] {
            assert!(!CallRetry::new(&policy, &method, false, None).replay_safe);
            assert!(CallRetry::new(&policy, &method, true, None).replay_safe);
        }
        assert_eq!(
            CallRetry::new(&policy, &Method::GET, false, None).max_retries,
            2
        );
    }

    #[test]
    fn the_server_wait_is_honoured_up_to_the_cap() {
        let policy = RetryPolicy::default();
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("37"));
        let with_header = answered(503, &headers, b"");
        let body = br#"{"error": "Rate limit exceeded", "retry_after": 37}"#;
        let with_body = answered(429, &HeaderMap::new(), body);
        let want = Decision::Retry {
            wait: Duration::from_secs(37),
            server_asked: true,
        };
        assert_eq!(decide(&policy, SAFE, 0, with_header, NOW, 1), want);
        assert_eq!(decide(&policy, SAFE, 0, with_body, NOW, 1), want);
        let capped = policy.max_retry_wait(Duration::from_secs(30));
        assert_eq!(
            decide(&capped, SAFE, 0, with_header, NOW, 1),
            Decision::Stop
        );
        assert_eq!(decide(&capped, SAFE, 0, with_body, NOW, 1), Decision::Stop);
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_with_full_jitter() {
        let policy = RetryPolicy::default();
        let top = u64::MAX;
        let ceilings = [500, 1000, 2000, 4000, 8000, 8000];
        for (retry, millis) in (0..).zip(ceilings) {
            let high = backoff(&policy, retry, top);
            assert!(high <= Duration::from_millis(millis), "{retry}: {high:?}");
            assert!(high > Duration::from_millis(millis) * 99 / 100, "{high:?}");
            assert_eq!(backoff(&policy, retry, 0), Duration::ZERO);
        }
        let half = backoff(&policy, 0, u64::MAX / 2);
        assert!(half.abs_diff(Duration::from_millis(250)) < Duration::from_millis(1));
        assert_eq!(backoff(&policy, u32::MAX, top), backoff(&policy, 10, top));
        let huge = policy
            .max_delay(Duration::MAX)
            .max_retry_wait(Duration::MAX)
            .base_delay(Duration::MAX);
        assert!(backoff(&huge, 3, top) > Duration::from_secs(1 << 40));
    }

    #[test]
    fn the_jitter_source_varies() {
        let draws: std::collections::BTreeSet<u64> = (0..100).map(|_| jitter_source()).collect();
        assert!(draws.len() > 95, "{}", draws.len());
    }
}

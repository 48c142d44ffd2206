//! Property test: any status, headers and body a server could send ends in a typed value or
//! a typed error, and the retry decision for it stays within the policy. No panic, no hang.
//!
//! `APIGEN_FUZZ_CASES` sets the number of generated responses (default 100,000).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use apigen_runtime::testing::{
    Attempt, CallRetry, Decision, decide, handle_json, header_wait, parse_http_date, server_wait,
};
use apigen_runtime::{Error, RetryPolicy};
use bytes::Bytes;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRunner};
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Deserialize;

/// A response type with the shapes generated code decodes: strings, small and large
/// integers, floats, optional and nested fields, arrays, and an open enum.
#[derive(Debug, Deserialize)]
#[allow(dead_code, reason = "decoded only to see that decoding never panics")]
struct Target {
    status: Status,
    message: String,
    replicas: Option<u8>,
    offset: Option<i32>,
    bytes: Option<u64>,
    ratio: Option<f64>,
    active: Option<bool>,
    tags: Option<Vec<String>>,
    child: Option<Box<Target>>,
}

/// An open enum as generated: unknown values are kept.
#[derive(Debug, Deserialize)]
#[allow(dead_code, reason = "decoded only to see that decoding never panics")]
#[serde(from = "String")]
enum Status {
    Canceled,
    RampingDown,
    Unknown(String),
}

impl From<String> for Status {
    fn from(value: String) -> Self {
        match value.as_str() {
            "CANCELED" => Status::Canceled,
            "RAMPING_DOWN" => Status::RampingDown,
            _ => Status::Unknown(value),
        }
    }
}

fn cases() -> u32 {
    std::env::var("APIGEN_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000)
}

const VALID: &str = r#"{"status": "CANCELED", "message": "Promotion canceled.", "replicas": 3, "offset": -7, "bytes": 18446744073709551615, "ratio": 0.5, "active": true, "tags": ["a", "b"], "child": {"status": "NEW_VALUE", "message": "m", "extra": {"x": [1, null]}}}"#;

fn json_scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|n| serde_json::json!(n).to_string()),
        Just("1e400".to_owned()),
        Just("-0".to_owned()),
        Just("256".to_owned()),
        Just("18446744073709551616".to_owned()),
        printable(12).prop_map(|s| format!("{s:?}")),
        Just("[]".to_owned()),
        Just("{}".to_owned()),
    ]
}

/// A JSON object with the target's field names (and others) given random values.
fn shuffled_object() -> impl Strategy<Value = Vec<u8>> {
    let names = prop::sample::select(vec![
        "status",
        "message",
        "replicas",
        "offset",
        "bytes",
        "ratio",
        "active",
        "tags",
        "child",
        "code",
        "error",
        "retry_after",
        "unknown",
    ]);
    prop::collection::vec((names, json_scalar()), 0..8).prop_map(|fields| {
        let body: Vec<String> = fields
            .iter()
            .map(|(name, value)| format!("{name:?}: {value}"))
            .collect();
        format!("{{{}}}", body.join(", ")).into_bytes()
    })
}

fn huge_body() -> impl Strategy<Value = Vec<u8>> {
    (0u8..4, 100_000usize..1_500_000).prop_map(|(kind, size)| match kind {
        0 => {
            let items = vec!["1"; size / 2].join(",");
            format!(r#"{{"status": "CANCELED", "message": "m", "tags": [{items}]}}"#).into_bytes()
        }
        1 => format!(r#"{{"status": "{}", "message": "m"}}"#, "x".repeat(size)).into_bytes(),
        2 => "[".repeat(size).into_bytes(),
        _ => vec![b'<'; size],
    })
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    let valid = VALID.as_bytes().to_vec();
    prop_oneof![
        80 => Just(Vec::new()),
        80 => Just(valid.clone()),
        120 => (0..VALID.len()).prop_map(|cut| VALID.as_bytes()[..cut].to_vec()),
        200 => shuffled_object(),
        80 => (0..VALID.len(), any::<u8>()).prop_map(move |(at, byte)| {
            let mut bytes = valid.clone();
            bytes.insert(at, byte | 0x80);
            bytes
        }),
        60 => Just(b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>".to_vec()),
        60 => (printable(40), json_scalar()).prop_map(|(text, wait)| format!(r#"{{"error": {text:?}, "retry_after": {wait}}}"#).into_bytes()),
        100 => blob(256),
        // About one body in 800, so the run stays within seconds in a debug build.
        1 => huge_body(),
    ]
}

fn retry_after_value() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u64..100).prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        Just("99999999999999999999999999".to_owned()),
        Just("-1".to_owned()),
        Just("Wed, 21 Oct 2015 07:28:00 GMT".to_owned()),
        Just("Fri, 31 Dec 9999 23:59:59 GMT".to_owned()),
        Just("Sunday, 06-Nov-94 08:49:37 GMT".to_owned()),
        Just("Sun Nov  6 08:49:37 1994".to_owned()),
        printable(40),
    ]
}

/// Up to `max` random bytes. Drawn from a seed rather than element by element, which
/// costs proptest one value tree per byte (too slow for 100,000 cases in a debug build).
fn blob(max: usize) -> impl Strategy<Value = Vec<u8>> {
    (0..=max, any::<u64>()).prop_map(|(len, seed)| {
        let mut state = seed | 1;
        (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state.to_le_bytes()[0]
            })
            .collect()
    })
}

/// Up to `max` printable ASCII characters.
fn printable(max: usize) -> impl Strategy<Value = String> {
    blob(max).prop_map(|bytes| {
        bytes
            .into_iter()
            .map(|b| char::from(0x20 + b % 0x5f))
            .collect()
    })
}

fn headers() -> impl Strategy<Value = HeaderMap> {
    let name = prop_oneof![
        Just("retry-after".to_owned()),
        Just("content-type".to_owned()),
        Just("x-request-id".to_owned()),
        printable(12),
    ];
    let value = prop_oneof![retry_after_value().prop_map(String::into_bytes), blob(40),];
    prop::collection::vec((name, value), 0..6).prop_map(|pairs| {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_bytes(&value),
            ) {
                map.append(name, value);
            }
        }
        map
    })
}

/// A policy, and its cap on any wait.
fn policy() -> impl Strategy<Value = (RetryPolicy, Duration)> {
    let millis = || prop_oneof![0u64..10_000, Just(u64::MAX)];
    (0u32..6, millis(), millis(), millis()).prop_map(|(retries, base, max, cap)| {
        let cap = Duration::from_millis(cap);
        let policy = RetryPolicy::new()
            .max_retries(retries)
            .base_delay(Duration::from_millis(base))
            .max_delay(Duration::from_millis(max))
            .max_retry_wait(cap);
        (policy, cap)
    })
}

fn now() -> impl Strategy<Value = SystemTime> {
    (0u64..8_000_000_000).prop_map(|secs| UNIX_EPOCH + Duration::from_secs(secs))
}

/// One generated response, and the setting it is decided in.
#[derive(Debug)]
struct Case {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
    policy: RetryPolicy,
    cap: Duration,
    call: CallRetry,
    retries_done: u32,
    now: SystemTime,
    random: u64,
}

fn case() -> impl Strategy<Value = Case> {
    let status = (100u16..1000).prop_map(|code| StatusCode::from_u16(code).expect("100-999"));
    let call = (0u32..6, any::<bool>()).prop_map(|(max_retries, replay_safe)| CallRetry {
        max_retries,
        replay_safe,
    });
    (
        status,
        headers(),
        body(),
        policy(),
        call,
        0u32..8,
        now(),
        any::<u64>(),
    )
        .prop_map(
            |(status, headers, body, (policy, cap), call, retries_done, now, random)| Case {
                status,
                headers,
                body,
                policy,
                cap,
                call,
                retries_done,
                now,
                random,
            },
        )
}

/// The response becomes a typed value or a typed error carrying its status and body.
fn check_response(case: &Case) -> Result<(), TestCaseError> {
    let body = Bytes::from(case.body.clone());
    let result =
        handle_json::<Target>(case.status, case.headers.clone(), body, ("code", "message"));
    match result {
        Ok(response) => prop_assert!(response.status.is_success()),
        Err(Error::Decode { status, body, .. }) => {
            prop_assert!(status.is_success());
            prop_assert_eq!(&body[..], &case.body[..]);
        }
        Err(Error::Api(api)) => {
            prop_assert!(!case.status.is_success());
            prop_assert_eq!(api.status, case.status);
            prop_assert_eq!(&api.body[..], &case.body[..]);
            let _ = api.to_string();
        }
        Err(other) => prop_assert!(false, "unexpected error kind {other:?}"),
    }
    Ok(())
}

/// The retry decision respects the limit, replay safety and the cap on any wait.
fn check_decision(case: &Case) -> Result<(), TestCaseError> {
    let attempts = [
        Attempt::Answered {
            status: case.status,
            headers: &case.headers,
            body: &case.body,
        },
        Attempt::NotSent,
        Attempt::Lost,
        Attempt::Done,
    ];
    for attempt in attempts {
        let decision = decide(
            &case.policy,
            case.call,
            case.retries_done,
            attempt,
            case.now,
            case.random,
        );
        let Decision::Retry { wait, .. } = decision else {
            continue;
        };
        prop_assert!(case.retries_done < case.call.max_retries);
        prop_assert!(wait <= case.cap, "{wait:?} > {:?}", case.cap);
        prop_assert!(!matches!(attempt, Attempt::Done));
        if !case.call.replay_safe {
            prop_assert!(matches!(attempt, Attempt::NotSent), "{attempt:?}");
        }
        if case.status.is_success() {
            prop_assert!(
                !matches!(attempt, Attempt::Answered { .. }),
                "a success retried"
            );
        }
    }
    let _ = server_wait(&case.headers, &case.body, case.now);
    Ok(())
}

#[test]
fn every_response_ends_in_a_typed_value_or_error_and_a_bounded_decision() {
    let cases = cases();
    let config = Config {
        cases,
        failure_persistence: None,
        // ChaCha, the default, is slow in a debug build.
        rng_algorithm: RngAlgorithm::XorShift,
        ..Config::default()
    };
    let started = std::time::Instant::now();
    let mut runner = TestRunner::new(config);
    let result = runner.run(&case(), |case| {
        check_response(&case)?;
        check_decision(&case)
    });
    if let Err(failure) = result {
        panic!("{failure}");
    }
    eprintln!("{cases} generated responses in {:?}", started.elapsed());
}

#[test]
fn any_text_as_a_date_or_retry_after_is_read_or_refused() {
    let config = Config {
        cases: cases() / 10,
        failure_persistence: None,
        // ChaCha, the default, is slow in a debug build.
        rng_algorithm: RngAlgorithm::XorShift,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let text = prop_oneof![
        retry_after_value(),
        "[A-Za-z]{3}, [0-9]{1,3} [A-Za-z]{3} [0-9]{1,5} [0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2} GMT",
        "[A-Za-z]{3} [A-Za-z]{3} [0-9 ]{1,3} [0-9:]{8} [0-9]{1,5}",
        ".{0,40}",
    ];
    let result = runner.run(&(text, now()), |(text, now)| {
        if let Some(date) = parse_http_date(&text) {
            prop_assert!(date >= UNIX_EPOCH - Duration::from_secs(62_200_000_000));
        }
        let _ = header_wait(&text, now);
        Ok(())
    });
    if let Err(failure) = result {
        panic!("{failure}");
    }
}

//! Retries over HTTP against the scripted server: which answers are retried for which
//! methods, the limits, `Retry-After` (header and JSON body) and the cap on any wait.

use std::time::{Duration, Instant, SystemTime};

use apigen_runtime::{RequestOptions, RetryPolicy};
use apigen_tests::mock_server::{MockResponse, MockServer};
use apigen_tests::runtime_api::{builder, call, client, fast_retries, request};
use reqwest::{Method, StatusCode};

const OK: &str = r#"{"ok": true}"#;

async fn server(script: Vec<MockResponse>) -> MockServer {
    MockServer::start(script).await.expect("scripted server")
}

fn no_options() -> RequestOptions {
    RequestOptions::new()
}

#[tokio::test]
async fn every_default_retry_status_then_200_succeeds_for_idempotent_methods() {
    let methods = [
        Method::GET,
        Method::HEAD,
        Method::PUT,
        Method::DELETE,
        Method::OPTIONS,
    ];
    for status in [408, 429, 500, 502, 503, 504] {
        for method in methods.clone() {
            let script = vec![
                MockResponse::json(status, "{}"),
                MockResponse::json(200, OK),
            ];
            let server = server(script).await;
            let client = client(&server.base_url());

            let result = client
                .execute_empty(request(method.clone(), "/things/1", no_options()))
                .await;

            assert!(result.is_ok(), "{method} after {status}: {result:?}");
            assert_eq!(server.requests().len(), 2, "{method} after {status}");
        }
    }
}

#[tokio::test]
async fn a_post_or_patch_answered_503_is_sent_once() {
    for method in [Method::POST, Method::PATCH] {
        let server = server(vec![
            MockResponse::json(503, "{}"),
            MockResponse::json(200, OK),
        ])
        .await;
        let client = client(&server.base_url());

        let err = call(&client, method.clone(), "/things", no_options())
            .await
            .expect_err("503 is not retried");

        assert_eq!(
            err.status(),
            Some(StatusCode::SERVICE_UNAVAILABLE),
            "{method}"
        );
        assert_eq!(server.requests().len(), 1, "{method}");
    }
}

#[tokio::test]
async fn a_post_is_retried_when_the_call_opts_in() {
    let server = server(vec![
        MockResponse::json(503, "{}"),
        MockResponse::json(200, OK),
    ])
    .await;
    let client = client(&server.base_url());

    let options = RequestOptions::new().retry_non_idempotent();
    let response = call(&client, Method::POST, "/things", options)
        .await
        .expect("retried");

    assert_eq!(response.value, serde_json::json!({"ok": true}));
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_post_is_retried_when_the_operation_opts_in() {
    let server = server(vec![
        MockResponse::json(502, "{}"),
        MockResponse::json(200, OK),
    ])
    .await;
    let client = client(&server.base_url());

    let mut marked = request(Method::POST, "/things", no_options());
    marked.retry_non_idempotent();
    let response = client.execute_empty(marked).await;

    assert!(response.is_ok(), "{response:?}");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn other_statuses_are_not_retried() {
    for status in [400, 401, 403, 404, 409, 422, 501] {
        let server = server(vec![
            MockResponse::json(status, "{}"),
            MockResponse::json(200, OK),
        ])
        .await;
        let client = client(&server.base_url());

        let err = call(&client, Method::GET, "/x", no_options())
            .await
            .expect_err("error status");

        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(server.requests().len(), 1, "{status}");
    }
}

#[tokio::test]
async fn the_retried_statuses_are_configurable() {
    let script = vec![MockResponse::json(409, "{}"), MockResponse::json(503, "{}")];
    let server = server(script).await;
    let policy = fast_retries().statuses([StatusCode::CONFLICT]);
    let client = builder(&server.base_url())
        .retry_policy(policy)
        .build()
        .expect("client");

    let err = call(&client, Method::GET, "/x", no_options())
        .await
        .expect_err("503 is final");

    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn retries_stop_at_the_client_limit_or_the_per_call_limit() {
    let cases = [(None, 2, 3), (Some(0), 2, 1), (Some(4), 2, 5), (None, 0, 1)];
    for (per_call, client_limit, sent) in cases {
        let server = server(vec![MockResponse::json(503, "{}")]).await;
        let policy = fast_retries().max_retries(client_limit);
        let client = builder(&server.base_url())
            .retry_policy(policy)
            .build()
            .expect("client");
        let options = match per_call {
            Some(limit) => RequestOptions::new().max_retries(limit),
            None => RequestOptions::new(),
        };

        let err = call(&client, Method::GET, "/x", options)
            .await
            .expect_err("always 503");

        assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
        assert_eq!(server.requests().len(), sent, "{per_call:?} {client_limit}");
    }
}

#[tokio::test]
async fn retry_after_in_seconds_is_honoured() {
    let limited = MockResponse::json(429, "{}").with_header("Retry-After", "1");
    let server = server(vec![limited, MockResponse::json(200, OK)]).await;
    let client = client(&server.base_url());

    call(&client, Method::GET, "/x", no_options())
        .await
        .expect("200 after waiting");

    let times = server.request_times();
    assert_eq!(times.len(), 2);
    let waited = times[1] - times[0];
    assert!(waited >= Duration::from_millis(990), "{waited:?}");
    assert!(waited < Duration::from_secs(3), "{waited:?}");
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    let in_two_seconds = SystemTime::now() + Duration::from_secs(2);
    let date = http_date(in_two_seconds);
    let limited = MockResponse::json(503, "{}").with_header("Retry-After", &date);
    let server = server(vec![limited, MockResponse::json(200, OK)]).await;
    let client = client(&server.base_url());

    call(&client, Method::GET, "/x", no_options())
        .await
        .expect("200 after waiting");

    let times = server.request_times();
    let waited = times[1] - times[0];
    // The date has whole seconds, so the wait is between one and two seconds.
    assert!(waited >= Duration::from_millis(900), "{date}: {waited:?}");
    assert!(waited < Duration::from_secs(3), "{date}: {waited:?}");
}

#[tokio::test]
async fn a_json_429_body_retry_after_is_honoured() {
    let body = r#"{"error": "Rate limit exceeded", "retry_after": 0.4}"#;
    let server = server(vec![
        MockResponse::json(429, body),
        MockResponse::json(200, OK),
    ])
    .await;
    let client = client(&server.base_url());

    call(&client, Method::GET, "/x", no_options())
        .await
        .expect("200 after waiting");

    let times = server.request_times();
    let waited = times[1] - times[0];
    assert!(waited >= Duration::from_millis(390), "{waited:?}");
}

#[tokio::test]
async fn a_wait_longer_than_the_cap_returns_the_error_at_once() {
    let body = r#"{"error": "Rate limit exceeded", "retry_after": 37}"#;
    let header = MockResponse::json(429, "{}").with_header("Retry-After", "37");
    for limited in [MockResponse::json(429, body), header] {
        let server = server(vec![limited, MockResponse::json(200, OK)]).await;
        let policy = fast_retries().max_retry_wait(Duration::from_secs(10));
        let client = builder(&server.base_url())
            .retry_policy(policy)
            .build()
            .expect("client");
        let started = Instant::now();

        let err = call(&client, Method::GET, "/x", no_options())
            .await
            .expect_err("not retried");

        assert!(started.elapsed() < Duration::from_secs(5));
        let api = err.api_error().expect("the 429 itself");
        assert_eq!(api.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(server.requests().len(), 1);
    }
}

#[tokio::test]
async fn backoff_waits_stay_under_their_doubling_ceilings() {
    let server = server(vec![MockResponse::json(503, "{}")]).await;
    let policy = RetryPolicy::new()
        .max_retries(3)
        .base_delay(Duration::from_millis(40))
        .max_delay(Duration::from_millis(80));
    let client = builder(&server.base_url())
        .retry_policy(policy)
        .build()
        .expect("client");
    let started = Instant::now();

    call(&client, Method::GET, "/x", no_options())
        .await
        .expect_err("always 503");

    // Ceilings 40, 80, 80 ms: full jitter waits at most 200 ms in all.
    assert_eq!(server.requests().len(), 4);
    assert!(
        started.elapsed() < Duration::from_millis(200 + 500),
        "{:?}",
        started.elapsed()
    );
}

/// `Sun, 06 Nov 1994 08:49:37 GMT` for `time`, rounded up to a whole second.
fn http_date(time: SystemTime) -> String {
    let since_epoch = time
        .duration_since(SystemTime::UNIX_EPOCH)
        .expect("after 1970");
    let secs = since_epoch.as_secs() + u64::from(since_epoch.subsec_nanos() > 0);
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{weekday}, {day:02} {} {year} {:02}:{:02}:{:02} GMT",
        months[(month - 1) as usize],
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// H. Hinnant's `civil_from_days`, for days since 1970-01-01.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[test]
fn the_test_date_formatter_agrees_with_the_parser() {
    let time = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777);
    assert_eq!(http_date(time), "Sun, 06 Nov 1994 08:49:37 GMT");
    let parsed = apigen_runtime::testing::parse_http_date(&http_date(time));
    assert_eq!(parsed, Some(time));
}

#[tokio::test]
async fn the_generated_cancel_promotion_answered_503_is_sent_once_unless_the_call_opts_in() {
    let script = vec![
        MockResponse::json(503, "{}"),
        MockResponse::json(503, "{}"),
        MockResponse::json(200, r#"{"status": "CANCELED", "message": "m"}"#),
    ];
    let server = server(script).await;
    let client = baseten::Client::builder()
        .api_key("k")
        .base_url(server.base_url())
        .build()
        .expect("client");

    let err = client.cancel_promotion("m", "e").await.expect_err("503");
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(server.requests().len(), 1);

    let options = baseten::RequestOptions::new().retry_non_idempotent();
    let response = client.cancel_promotion("m", "e").options(options).await;
    assert!(response.is_ok(), "{response:?}");
    assert_eq!(server.requests().len(), 3);
}

//! Idempotency keys over HTTP against the scripted server: an operation that takes one sends
//! a fresh key per call, the same on every attempt, and is retried although it is a POST;
//! `retry-after-ms` is honoured beside `Retry-After`.

use apigen_runtime::{Request, RequestOptions};
use apigen_tests::mock_server::{MockResponse, MockServer, RecordedRequest};
use apigen_tests::runtime_api::{builder, client, request};
use reqwest::Method;

const OK: &str = r#"{"ok": true}"#;

async fn server(script: Vec<MockResponse>) -> MockServer {
    MockServer::start(script).await.expect("scripted server")
}

/// A POST of an operation that takes its key in `Idempotency-Key`.
fn keyed_post(options: RequestOptions) -> Request {
    let mut request = request(Method::POST, "/payments", options);
    request.idempotency_header("Idempotency-Key");
    request
}

fn keys(requests: &[RecordedRequest]) -> Vec<String> {
    let key = |r: &RecordedRequest| r.header("idempotency-key").unwrap_or("<none>").to_owned();
    requests.iter().map(key).collect()
}

#[tokio::test]
async fn a_keyed_post_answered_503_then_200_is_sent_twice_with_one_key() {
    let server = server(vec![
        MockResponse::json(503, "{}"),
        MockResponse::json(200, OK),
    ])
    .await;
    let client = client(&server.base_url());

    let result = client
        .execute_json::<serde_json::Value>(keyed_post(RequestOptions::new()))
        .await;

    assert!(result.is_ok(), "{result:?}");
    let sent = server.requests();
    assert_eq!(sent.len(), 2);
    let keys = keys(&sent);
    assert_eq!(keys[0], keys[1]);
    assert_eq!(keys[0].len(), 36, "a UUID: {}", keys[0]);
    assert!(sent.iter().all(|r| r.method == "POST"));
}

#[tokio::test]
async fn every_attempt_of_a_call_carries_its_key_and_the_next_call_a_new_one() {
    let server = server(vec![
        MockResponse::json(500, "{}"),
        MockResponse::json(502, "{}"),
        MockResponse::json(200, OK),
        MockResponse::json(200, OK),
    ])
    .await;
    let client = client(&server.base_url());

    client
        .execute_json::<serde_json::Value>(keyed_post(RequestOptions::new()))
        .await
        .expect("third attempt");
    client
        .execute_json::<serde_json::Value>(keyed_post(RequestOptions::new()))
        .await
        .expect("second call");

    let keys = keys(&server.requests());
    assert_eq!(keys.len(), 4);
    assert!(keys[..3].iter().all(|k| *k == keys[0]), "{keys:?}");
    assert_ne!(keys[3], keys[0]);
}

#[tokio::test]
async fn the_callers_key_is_sent_on_every_attempt() {
    let server = server(vec![
        MockResponse::json(503, "{}"),
        MockResponse::json(200, OK),
        MockResponse::json(503, "{}"),
        MockResponse::json(200, OK),
    ])
    .await;
    let client = client(&server.base_url());

    let by_option = RequestOptions::new().idempotency_key("order-42");
    client
        .execute_json::<serde_json::Value>(keyed_post(by_option))
        .await
        .expect("retried");
    let by_header = RequestOptions::new().header("Idempotency-Key", "order-43");
    client
        .execute_json::<serde_json::Value>(keyed_post(by_header))
        .await
        .expect("retried");

    assert_eq!(
        keys(&server.requests()),
        ["order-42", "order-42", "order-43", "order-43"]
    );
}

#[tokio::test]
async fn a_post_without_a_key_is_still_sent_once() {
    let server = server(vec![
        MockResponse::json(503, "{}"),
        MockResponse::json(200, OK),
    ])
    .await;
    let client = client(&server.base_url());

    let plain = request(Method::POST, "/payments", RequestOptions::new());
    let err = client.execute_empty(plain).await.expect_err("not retried");

    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(keys(&server.requests()), ["<none>"]);
}

#[tokio::test]
async fn retry_after_ms_is_honoured_before_retry_after() {
    // `Retry-After: 120` alone exceeds the cap on any wait (60 s), so the error would be
    // returned at once; the finer `retry-after-ms` asks for 5 ms and wins.
    let server = server(vec![
        MockResponse::json(429, "{}")
            .with_header("Retry-After", "120")
            .with_header("retry-after-ms", "5"),
        MockResponse::json(200, OK),
    ])
    .await;
    let client = builder(&server.base_url()).build().expect("client");

    let result = client
        .execute_empty(request(Method::GET, "/things", RequestOptions::new()))
        .await;

    assert!(result.is_ok(), "{result:?}");
    assert_eq!(server.requests().len(), 2);
}

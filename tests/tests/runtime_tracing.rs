//! Tracing: one `api_call` span per call with operation, method, path template, status,
//! attempt and latency; one event per retry; and the key in none of it.

use std::time::Duration;

use apigen_runtime::{ClientBuilder, RequestOptions};
use apigen_tests::mock_server::{MockResponse, MockServer};
use apigen_tests::runtime_api::{KEY, QUERY_AUTH, call, fast_retries};
use apigen_tests::trace_capture::Capture;
use baseten::Client;
use reqwest::Method;

const OK: &str = r#"{"status": "CANCELED", "message": "Promotion canceled."}"#;

fn baseten_client(base_url: &str) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(base_url)
        .build()
        .expect("client")
}

#[tokio::test]
async fn each_call_has_one_span_with_its_operation_status_attempt_and_latency() {
    let slow_503 = MockResponse::json(503, "{}").with_delay(Duration::from_millis(20));
    let server = MockServer::start(vec![slow_503, MockResponse::json(200, OK)])
        .await
        .expect("server");
    let client = baseten_client(&server.base_url());
    let (capture, guard) = Capture::start();

    client
        .cancel_promotion("model_abc", "production")
        .options(baseten::RequestOptions::new().retry_non_idempotent())
        .await
        .expect("200 after a retry");
    drop(guard);

    capture.with(|captured| {
        let spans = captured.spans_named("api_call");
        assert_eq!(spans.len(), 1, "{spans:?}");
        let span = &spans[0];
        assert_eq!(span.level, "INFO");
        let field = |name: &str| span.fields.get(name).map(String::as_str);
        assert_eq!(field("operation"), Some("cancel_promotion"));
        assert_eq!(field("method"), Some("POST"));
        assert_eq!(
            field("path"),
            Some("/v1/models/{model_id}/environments/{env_name}/cancel_promotion")
        );
        assert_eq!(field("status"), Some("200"));
        assert_eq!(field("attempt"), Some("2"));
        let latency: u64 = field("latency_ms")
            .expect("latency")
            .parse()
            .expect("number");
        assert!(latency >= 20, "{latency}");
        let retries = captured.events_with_message("retrying");
        assert_eq!(retries.len(), 1);
        let retry = &retries[0];
        assert_eq!(retry.span.as_deref(), Some("api_call"));
        assert_eq!(retry.fields.get("attempt").map(String::as_str), Some("1"));
        let reason = retry.fields.get("reason").cloned().unwrap_or_default();
        assert!(reason.contains("503"), "{reason}");
        assert!(retry.fields.contains_key("wait_ms"));
        let finished = captured.events_with_message("call finished");
        assert_eq!(finished.len(), 1, "one event per call");
        let event = &finished[0];
        assert_eq!(event.level, "INFO");
        let field = |name: &str| event.fields.get(name).map(String::as_str);
        assert_eq!(field("operation"), Some("cancel_promotion"));
        assert_eq!(field("status"), Some("200"));
        assert_eq!(field("attempt"), Some("2"));
        assert_eq!(field("outcome"), Some("ok"));
        assert!(field("latency_ms").is_some());
    });
}

#[tokio::test]
async fn the_key_appears_in_no_span_event_or_error_even_when_it_travels_in_the_query() {
    let server = MockServer::start(vec![MockResponse::json(
        401,
        r#"{"code": "E", "message": "no"}"#,
    )])
    .await
    .expect("server");
    let (capture, guard) = Capture::start();
    let header_client = baseten_client(&server.base_url());
    let refused = closed_port_url();
    let query_client = ClientBuilder::new(&QUERY_AUTH)
        .api_key(KEY)
        .base_url(&refused)
        .retry_policy(fast_retries())
        .build()
        .expect("client");

    let api_error = header_client
        .cancel_promotion("m", "e")
        .await
        .expect_err("401");
    let transport_error = call(&query_client, Method::GET, "/x", RequestOptions::new())
        .await
        .expect_err("refused");
    drop(guard);

    let texts = [
        capture.with(|c| c.all_text()),
        api_error.to_string(),
        format!("{api_error:?}"),
        transport_error.to_string(),
        format!("{transport_error:?}"),
        format!("{header_client:?}"),
        format!("{query_client:?}"),
    ];
    for text in &texts {
        assert!(!text.contains(KEY), "key leaked: {text}");
        assert!(!text.contains("secret"), "key leaked: {text}");
    }
    assert!(capture.with(|c| c.spans_named("api_call").len()) == 2);
}

fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

#[tokio::test]
async fn the_span_status_is_the_last_attempts_and_absent_when_it_got_no_answer() {
    let script = vec![
        MockResponse::json(503, "{}"),
        MockResponse::close_before_answer(),
    ];
    let server = MockServer::start(script).await.expect("server");
    let client = apigen_tests::runtime_api::builder(&server.base_url())
        .max_retries(1)
        .build()
        .expect("client");
    let (capture, guard) = Capture::start();

    let err = call(&client, Method::GET, "/x", RequestOptions::new())
        .await
        .expect_err("connection closed");
    drop(guard);

    assert!(
        matches!(err, apigen_runtime::Error::Transport(_)),
        "{err:?}"
    );
    capture.with(|captured| {
        let span = captured.spans_named("api_call")[0];
        assert_eq!(span.fields.get("attempt").map(String::as_str), Some("2"));
        assert_eq!(span.fields.get("status"), None, "{span:?}");
        assert_eq!(
            span.fields.get("operation").map(String::as_str),
            Some("test_operation")
        );
    });
}

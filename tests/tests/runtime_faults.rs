//! Faults injected by the scripted server on 127.0.0.1, and timeouts: what is retried,
//! what is sent only once, and that every fault ends in a typed error.

use std::time::{Duration, Instant};

use apigen_runtime::{Error, RequestOptions};
use apigen_tests::mock_server::{Fault, MockResponse, MockServer};
use apigen_tests::runtime_api::{builder, call, client};
use apigen_tests::trace_capture::Capture;
use reqwest::Method;

const OK: &str = r#"{"ok": true, "padding": "0123456789012345678901234567890123456789"}"#;

async fn server(script: Vec<MockResponse>) -> MockServer {
    MockServer::start(script).await.expect("scripted server")
}

fn ok() -> MockResponse {
    MockResponse::json(200, OK)
}

/// A port on 127.0.0.1 where nothing listens: connecting is refused.
fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

#[tokio::test]
async fn a_refused_connection_is_retried_even_for_a_post() {
    let (capture, _guard) = Capture::start();
    let client = client(&closed_port_url());

    let err = call(&client, Method::POST, "/things", RequestOptions::new())
        .await
        .expect_err("nothing listens");

    assert!(
        matches!(&err, Error::Transport(e) if e.is_connect()),
        "{err:?}"
    );
    let attempts = capture.with(|c| {
        let span = c.spans_named("api_call")[0].clone();
        let retries = c.events_with_message("retrying").len();
        (span.fields.get("attempt").cloned(), retries)
    });
    assert_eq!(attempts, (Some("3".to_owned()), 2));
}

#[tokio::test]
async fn a_connection_closed_before_the_answer_is_retried_for_get_not_for_post() {
    let script = vec![MockResponse::close_before_answer(), ok()];
    let get_server = server(script.clone()).await;
    let post_server = server(script).await;

    let got = call(
        &client(&get_server.base_url()),
        Method::GET,
        "/x",
        RequestOptions::new(),
    )
    .await;
    let posted = call(
        &client(&post_server.base_url()),
        Method::POST,
        "/x",
        RequestOptions::new(),
    )
    .await;

    assert!(got.is_ok(), "{got:?}");
    assert_eq!(get_server.requests().len(), 2);
    assert!(matches!(posted, Err(Error::Transport(_))), "{posted:?}");
    assert_eq!(
        post_server.requests().len(),
        1,
        "the POST may have been acted on"
    );
}

#[tokio::test]
async fn a_connection_dropped_mid_body_is_retried_for_get_not_for_post() {
    let script = vec![ok().with_fault(Fault::CloseMidBody), ok()];
    let get_server = server(script.clone()).await;
    let post_server = server(script).await;

    let got = call(
        &client(&get_server.base_url()),
        Method::GET,
        "/x",
        RequestOptions::new(),
    )
    .await;
    let posted = call(
        &client(&post_server.base_url()),
        Method::POST,
        "/x",
        RequestOptions::new(),
    )
    .await;

    assert_eq!(got.expect("second attempt").value["ok"], true);
    assert_eq!(get_server.requests().len(), 2);
    assert!(matches!(posted, Err(Error::Transport(_))), "{posted:?}");
    assert_eq!(post_server.requests().len(), 1);
}

#[tokio::test]
async fn a_body_cut_short_without_retries_is_a_transport_error() {
    let server = server(vec![ok().with_fault(Fault::CloseMidBody)]).await;
    let client = client(&server.base_url());

    let err = call(
        &client,
        Method::GET,
        "/x",
        RequestOptions::new().max_retries(0),
    )
    .await
    .expect_err("truncated");

    assert!(matches!(err, Error::Transport(_)), "{err:?}");
}

#[tokio::test]
async fn a_timed_out_attempt_is_retried_for_get_and_sent_once_for_post() {
    let script = vec![ok().with_delay(Duration::from_secs(2)), ok()];
    let get_server = server(script.clone()).await;
    let post_server = server(script).await;
    let timeout = || RequestOptions::new().timeout(Duration::from_millis(200));

    let got = call(
        &client(&get_server.base_url()),
        Method::GET,
        "/x",
        timeout(),
    )
    .await;
    let posted = call(
        &client(&post_server.base_url()),
        Method::POST,
        "/x",
        timeout(),
    )
    .await;

    assert!(got.is_ok(), "{got:?}");
    assert_eq!(get_server.requests().len(), 2);
    assert!(matches!(posted, Err(Error::Timeout(_))), "{posted:?}");
    assert_eq!(post_server.requests().len(), 1);
}

#[tokio::test]
async fn a_stall_mid_body_counts_against_the_timeout() {
    let stalled = ok().with_fault(Fault::StallMidBody(Duration::from_secs(2)));
    let server = server(vec![stalled]).await;
    let client = client(&server.base_url());
    let options = RequestOptions::new()
        .timeout(Duration::from_millis(200))
        .max_retries(0);
    let started = Instant::now();

    let err = call(&client, Method::GET, "/x", options)
        .await
        .expect_err("stalls");

    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[tokio::test]
async fn the_timeout_applies_to_each_attempt_not_to_the_whole_call() {
    let slow_503 = MockResponse::json(503, "{}").with_delay(Duration::from_millis(250));
    let slow_ok = ok().with_delay(Duration::from_millis(250));
    let server = server(vec![slow_503, slow_ok]).await;
    let client = builder(&server.base_url())
        .timeout(Duration::from_millis(400))
        .build()
        .expect("client");
    let started = Instant::now();

    let response = call(&client, Method::GET, "/x", RequestOptions::new()).await;

    assert!(response.is_ok(), "{response:?}");
    assert!(started.elapsed() >= Duration::from_millis(500));
}

#[tokio::test]
async fn a_slow_answer_within_the_timeout_succeeds() {
    let server = server(vec![ok().with_delay(Duration::from_millis(300))]).await;
    let client = builder(&server.base_url())
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client");

    let response = call(&client, Method::GET, "/x", RequestOptions::new()).await;

    assert!(response.is_ok(), "{response:?}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_malformed_answer_is_a_transport_error() {
    for raw in [
        &b"HTTP/1.1 abc\r\n\r\n"[..],
        b"garbage\r\n\r\n",
        b"HTTP/1.1 200 OK\r\ncontent-length: x\r\n\r\n",
    ] {
        let server = server(vec![MockResponse::raw(raw)]).await;
        let client = client(&server.base_url());

        let err = call(
            &client,
            Method::GET,
            "/x",
            RequestOptions::new().max_retries(0),
        )
        .await
        .expect_err("malformed");

        assert!(matches!(err, Error::Transport(_)), "{err:?}");
    }
}

//! Sequences of JSON values from the scripted server on 127.0.0.1, streamed piece by piece:
//! what the runtime's `JsonStream` yields for JSON Lines, NDJSON and JSON text sequences,
//! how it ends, and how the call's timeout and retries stop at the response headers.

use std::time::{Duration, Instant};

use apigen_runtime::{Error, JsonStream, RequestOptions};
use apigen_tests::mock_server::{MockResponse, MockServer};
use apigen_tests::runtime_api::{client, request};
use futures_util::StreamExt;
use reqwest::Method;
use serde_json::{Value, json};

const NOW: Duration = Duration::ZERO;
const NDJSON: &str = "application/x-ndjson";
const JSON_SEQ: &str = "application/json-seq";

async fn server(script: Vec<MockResponse>) -> MockServer {
    MockServer::start(script).await.expect("scripted server")
}

/// Every item of the stream of `GET /records`, asked for as `media_type`, with `options`.
async fn items(
    server: &MockServer,
    media_type: &'static str,
    options: RequestOptions,
) -> Result<Vec<Result<Value, Error>>, Error> {
    let client = client(&server.base_url());
    let call = request(Method::GET, "/records", options);
    let values: JsonStream<Value> = client.execute_json_stream(call, media_type).await?.value;
    Ok(values.collect().await)
}

/// The values, or `{"error": raw text}` for each one that did not decode.
fn values(items: &[Result<Value, Error>]) -> Vec<Value> {
    items
        .iter()
        .map(|item| match item {
            Ok(value) => value.clone(),
            Err(Error::Decode { body, .. }) => json!({"error": String::from_utf8_lossy(body)}),
            Err(err) => panic!("unexpected error {err:?}"),
        })
        .collect()
}

#[tokio::test]
async fn lines_split_across_pieces_come_whole_one_value_each() {
    let server = server(vec![MockResponse::streamed(
        NDJSON,
        &[
            (NOW, "{\"n\": 1}\n{\"n\""),
            (Duration::from_millis(20), ": 2}\r\n\n"),
            (Duration::from_millis(20), "{\"n\": 3}"),
        ],
    )])
    .await;

    let items = items(&server, NDJSON, RequestOptions::new())
        .await
        .expect("the stream starts");

    assert_eq!(
        values(&items),
        [json!({"n": 1}), json!({"n": 2}), json!({"n": 3})]
    );
    assert_eq!(server.requests()[0].header("accept"), Some(NDJSON));
}

#[tokio::test]
async fn a_line_that_is_not_json_is_an_error_with_its_text_and_the_stream_goes_on() {
    let server = server(vec![MockResponse::streamed(
        "application/jsonl",
        &[(NOW, "{\"n\": 1}\n{\"n\": oops}\n{\"n\": 2}\n")],
    )])
    .await;

    let items = items(&server, "application/jsonl", RequestOptions::new())
        .await
        .expect("the stream starts");

    assert_eq!(
        values(&items),
        [
            json!({"n": 1}),
            json!({"error": "{\"n\": oops}"}),
            json!({"n": 2})
        ]
    );
    assert!(
        matches!(&items[1], Err(Error::Decode { status, .. }) if status.as_u16() == 200),
        "{:?}",
        items[1]
    );
}

#[tokio::test]
async fn records_of_a_json_text_sequence_are_one_value_each() {
    let server = server(vec![MockResponse::streamed(
        JSON_SEQ,
        &[
            (NOW, "\u{1e}{\"n\": 1}\n\u{1e}{\"n\":"),
            (Duration::from_millis(20), "\n 2}\n\u{1e}\u{1e}[3]\n"),
        ],
    )])
    .await;

    let items = items(&server, JSON_SEQ, RequestOptions::new())
        .await
        .expect("the stream starts");

    assert_eq!(
        values(&items),
        [json!({"n": 1}), json!({"n": 2}), json!([3])]
    );
    assert_eq!(server.requests()[0].header("accept"), Some(JSON_SEQ));
}

#[tokio::test]
async fn a_connection_dropped_mid_stream_is_one_transport_error_then_the_end_without_retry() {
    let server = server(vec![
        MockResponse::streamed(
            NDJSON,
            &[
                (NOW, "{\"n\": 1}\n"),
                (Duration::from_millis(20), "{\"n\": 2"),
            ],
        )
        .dropped(),
    ])
    .await;

    let items = items(&server, NDJSON, RequestOptions::new())
        .await
        .expect("the stream starts");

    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(values(&items[..1]), [json!({"n": 1})]);
    assert!(
        matches!(&items[1], Err(Error::Transport(_))),
        "{:?}",
        items[1]
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn an_error_status_is_an_api_error_and_is_retried_before_the_stream_starts() {
    let busy = MockResponse::json(503, r#"{"code": "BUSY", "message": "try again"}"#);
    let stream = MockResponse::streamed(NDJSON, &[(NOW, "1\n2\n")]);
    let retried = server(vec![busy, stream]).await;

    let items = items(&retried, NDJSON, RequestOptions::new())
        .await
        .expect("the second attempt streams");

    assert_eq!(values(&items), [json!(1), json!(2)]);
    assert_eq!(retried.requests().len(), 2);
}

#[tokio::test]
async fn a_success_of_another_media_type_is_a_decode_error_with_its_body() {
    let whole = server(vec![MockResponse::json(200, "[1, 2]")]).await;
    let other_framing = server(vec![MockResponse::streamed(
        JSON_SEQ,
        &[(NOW, "\u{1e}1\n")],
    )])
    .await;

    let err = items(&whole, NDJSON, RequestOptions::new())
        .await
        .expect_err("a JSON array is not a stream of lines");
    let framing = items(&other_framing, NDJSON, RequestOptions::new())
        .await
        .expect_err("records are not lines");

    match &err {
        Error::Decode { body, source, .. } => {
            assert_eq!(&body[..], b"[1, 2]");
            assert!(source.to_string().contains("JSON Lines"), "{source}");
            assert!(source.to_string().contains("application/json"), "{source}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert!(matches!(framing, Error::Decode { .. }), "{framing:?}");
}

#[tokio::test]
async fn a_stream_outlives_the_timeout_while_values_keep_flowing() {
    let pause = Duration::from_millis(100);
    let pieces: Vec<(Duration, String)> = (0..8).map(|n| (pause, format!("{n}\n"))).collect();
    let pieces: Vec<(Duration, &str)> = pieces.iter().map(|(p, s)| (*p, s.as_str())).collect();
    let server = server(vec![MockResponse::streamed(NDJSON, &pieces)]).await;
    let timeout = Duration::from_millis(300);
    let options = RequestOptions::new().timeout(timeout).max_retries(0);

    let started = Instant::now();
    let items = items(&server, NDJSON, options)
        .await
        .expect("the headers arrive at once");
    let took = started.elapsed();

    assert_eq!(values(&items), (0..8).map(|n| json!(n)).collect::<Vec<_>>());
    assert!(took > timeout * 2, "the stream ran for {took:?}");
}

#[tokio::test]
async fn headers_that_do_not_arrive_in_time_are_a_headers_timeout() {
    let late =
        MockResponse::streamed(NDJSON, &[(NOW, "1\n")]).with_delay(Duration::from_millis(800));
    let server = server(vec![late]).await;
    let timeout = Duration::from_millis(150);
    let options = RequestOptions::new().timeout(timeout).max_retries(0);

    let err = items(&server, NDJSON, options)
        .await
        .expect_err("no headers in time");

    assert!(
        matches!(err, Error::HeadersTimeout(limit) if limit == timeout),
        "{err:?}"
    );
}

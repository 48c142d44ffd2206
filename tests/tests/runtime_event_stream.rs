//! Server-sent events from the scripted server on 127.0.0.1, streamed piece by piece: what
//! the runtime's `EventStream` yields for each shape of the wire format, how it ends, and
//! how the call's timeout and retries stop at the response headers.

use std::time::{Duration, Instant};

use apigen_runtime::{ClientBuilder, Error, Event, EventStream, RequestOptions};
use apigen_tests::mock_server::{MockResponse, MockServer};
use apigen_tests::runtime_api::{KEY, QUERY_AUTH, builder, client, fast_retries, request};
use futures_util::StreamExt;
use reqwest::Method;
use serde_json::{Value, json};

const NOW: Duration = Duration::ZERO;

async fn server(script: Vec<MockResponse>) -> MockServer {
    MockServer::start(script).await.expect("scripted server")
}

/// Every item of a JSON event stream from `GET /events` with `options`.
async fn json_events(
    server: &MockServer,
    options: RequestOptions,
) -> Result<Vec<Result<Event<Value>, Error>>, Error> {
    let client = client(&server.base_url());
    let call = request(Method::GET, "/events", options);
    let events: EventStream<Value> = client.execute_events(call).await?.value;
    Ok(events.collect().await)
}

fn data(items: &[Result<Event<Value>, Error>]) -> Vec<Value> {
    items
        .iter()
        .map(|item| match item {
            Ok(event) => event.data.clone(),
            Err(err) => panic!("unexpected error {err:?}"),
        })
        .collect()
}

#[tokio::test]
async fn events_split_across_pieces_come_whole_with_their_fields() {
    let server = server(vec![MockResponse::event_stream(&[
        (NOW, "data: {\"n\""),
        (Duration::from_millis(20), ": 1}\n"),
        (Duration::from_millis(20), "\n: keep-alive comment\n\n"),
        (NOW, "event: delta\nid: 7\nre"),
        (
            Duration::from_millis(20),
            "try: 250\ndata: {\"n\":\ndata: 2}\n\n",
        ),
        (NOW, "event: ping\n\n"),
        (NOW, "data: {\"n\": 3}\r\n\r\n"),
    ])])
    .await;

    let items = json_events(&server, RequestOptions::new())
        .await
        .expect("the stream starts");

    assert_eq!(
        data(&items),
        [json!({"n": 1}), json!({"n": 2}), json!({"n": 3})]
    );
    let first = items[0].as_ref().expect("an event");
    assert_eq!(
        (first.event.as_deref(), first.id.as_deref(), first.retry),
        (None, None, None)
    );
    let second = items[1].as_ref().expect("an event");
    assert_eq!(second.event.as_deref(), Some("delta"));
    assert_eq!(second.id.as_deref(), Some("7"));
    assert_eq!(second.retry, Some(Duration::from_millis(250)));
    let sent = &server.requests()[0];
    assert_eq!(sent.header("accept"), Some("text/event-stream"));
}

#[tokio::test]
async fn done_ends_the_stream_and_what_follows_is_not_read() {
    let server = server(vec![MockResponse::event_stream(&[
        (NOW, "data: {\"n\": 1}\n\n"),
        (NOW, "data: [DONE]\n\n"),
        (NOW, "data: {\"n\": 2}\n\n"),
    ])])
    .await;

    let items = json_events(&server, RequestOptions::new())
        .await
        .expect("the stream starts");

    assert_eq!(data(&items), [json!({"n": 1})]);
}

#[tokio::test]
async fn data_that_is_not_json_is_an_error_with_the_raw_data_and_the_stream_goes_on() {
    let server = server(vec![MockResponse::event_stream(&[
        (NOW, "data: {\"n\": oops\n\n"),
        (NOW, "data: {\"n\": 1}\n\n"),
    ])])
    .await;

    let items = json_events(&server, RequestOptions::new())
        .await
        .expect("the stream starts");

    assert_eq!(items.len(), 2, "{items:?}");
    match &items[0] {
        Err(Error::Decode { status, body, .. }) => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(&body[..], b"{\"n\": oops");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert_eq!(data(&items[1..]), [json!({"n": 1})]);
}

#[tokio::test]
async fn text_data_is_taken_as_it_is() {
    let server = server(vec![MockResponse::event_stream(&[
        (NOW, "data: a line\n\n"),
        (NOW, "data: {not json}\ndata: second line\n\n"),
    ])])
    .await;
    let client = client(&server.base_url());

    let call = request(Method::GET, "/logs", RequestOptions::new());
    let events = client
        .execute_text_events(call)
        .await
        .expect("the stream starts")
        .value;
    let items: Vec<String> = events
        .map(|item| item.expect("text always decodes").data)
        .collect()
        .await;

    assert_eq!(items, ["a line", "{not json}\nsecond line"]);
}

#[tokio::test]
async fn a_connection_dropped_mid_stream_is_one_transport_error_then_the_end_without_retry() {
    let server = server(vec![
        MockResponse::event_stream(&[
            (NOW, "data: {\"n\": 1}\n\n"),
            (Duration::from_millis(20), "data: {\"n\": 2"),
        ])
        .dropped(),
    ])
    .await;

    let items = json_events(&server, RequestOptions::new())
        .await
        .expect("the stream starts");

    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(data(&items[..1]), [json!({"n": 1})]);
    assert!(
        matches!(&items[1], Err(Error::Transport(_))),
        "{:?}",
        items[1]
    );
    assert_eq!(
        server.requests().len(),
        1,
        "nothing is retried once the stream has started"
    );
}

#[tokio::test]
async fn a_transport_error_mid_stream_never_shows_a_key_sent_in_the_query() {
    let server = server(vec![
        MockResponse::event_stream(&[(NOW, "data: {\"n\"")]).dropped(),
    ])
    .await;
    let client = ClientBuilder::new(&QUERY_AUTH)
        .api_key(KEY)
        .base_url(server.base_url())
        .build()
        .expect("client");

    let call = request(Method::GET, "/events", RequestOptions::new());
    let events: EventStream<Value> = client.execute_events(call).await.expect("starts").value;
    let items: Vec<_> = events.collect().await;

    assert!(
        server.requests()[0].target.contains(KEY),
        "the key travels in the query"
    );
    let Some(Err(err)) = items.last() else {
        panic!("expected a last error, got {items:?}");
    };
    assert!(!format!("{err} {err:?}").contains(KEY), "{err:?}");
}

#[tokio::test]
async fn an_error_status_is_an_api_error_and_is_retried_before_the_stream_starts() {
    let busy = MockResponse::json(503, r#"{"code": "BUSY", "message": "try again"}"#);
    let refused = MockResponse::json(400, r#"{"code": "BAD", "message": "no stream"}"#);
    let stream = MockResponse::event_stream(&[(NOW, "data: {\"n\": 1}\n\n")]);
    let retried = server(vec![busy, stream]).await;
    let failed = server(vec![refused]).await;

    let items = json_events(&retried, RequestOptions::new())
        .await
        .expect("the second attempt streams");
    let err = json_events(&failed, RequestOptions::new())
        .await
        .expect_err("a 400 is an error");

    assert_eq!(data(&items), [json!({"n": 1})]);
    assert_eq!(retried.requests().len(), 2);
    let api = err.api_error().expect("an API error");
    assert_eq!(api.status.as_u16(), 400);
    assert_eq!(api.code.as_deref(), Some("BAD"));
    assert_eq!(failed.requests().len(), 1);
}

#[tokio::test]
async fn a_success_that_is_not_an_event_stream_is_a_decode_error_with_its_body() {
    let server = server(vec![MockResponse::json(200, r#"{"whole": true}"#)]).await;

    let err = json_events(&server, RequestOptions::new())
        .await
        .expect_err("JSON is not an event stream");

    match &err {
        Error::Decode { body, source, .. } => {
            assert_eq!(&body[..], br#"{"whole": true}"#);
            assert!(source.to_string().contains("application/json"), "{source}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_stream_outlives_the_timeout_while_events_keep_flowing() {
    let pause = Duration::from_millis(100);
    let pieces: Vec<(Duration, String)> = (0..8)
        .map(|n| (pause, format!("data: {{\"n\": {n}}}\n\n")))
        .collect();
    let pieces: Vec<(Duration, &str)> = pieces.iter().map(|(p, s)| (*p, s.as_str())).collect();
    let server = server(vec![MockResponse::event_stream(&pieces)]).await;
    let timeout = Duration::from_millis(300);
    let options = || RequestOptions::new().timeout(timeout).max_retries(0);

    let started = Instant::now();
    let items = json_events(&server, options())
        .await
        .expect("the headers arrive at once");
    let took = started.elapsed();
    let client = client(&server.base_url());
    let whole = client
        .execute_text(request(Method::GET, "/events", options()))
        .await;

    assert_eq!(items.len(), 8, "{items:?}");
    assert!(items.iter().all(Result::is_ok), "{items:?}");
    assert!(took > timeout * 2, "the stream ran for {took:?}");
    assert!(
        matches!(whole, Err(Error::Timeout(_))),
        "the same body read whole runs over the timeout: {whole:?}"
    );
}

#[tokio::test]
async fn headers_that_do_not_arrive_in_time_are_a_headers_timeout() {
    let late =
        MockResponse::event_stream(&[(NOW, "data: 1\n\n")]).with_delay(Duration::from_millis(800));
    let server = server(vec![late]).await;
    let timeout = Duration::from_millis(150);
    let client = builder(&server.base_url())
        .timeout(timeout)
        .retry_policy(fast_retries().max_retries(1))
        .build()
        .expect("client");

    let started = Instant::now();
    let call = request(Method::GET, "/events", RequestOptions::new());
    let err = client
        .execute_events::<Value>(call)
        .await
        .expect_err("no headers in time");

    assert!(
        matches!(err, Error::HeadersTimeout(limit) if limit == timeout),
        "{err:?}"
    );
    assert!(err.is_timeout());
    assert_eq!(server.requests().len(), 2, "a timed-out GET is retried");
    assert!(
        started.elapsed() < Duration::from_millis(700),
        "{:?}",
        started.elapsed()
    );
}

//! Server-sent events from the scripted server on 127.0.0.1, streamed piece by piece: what
//! the runtime's `EventStream` yields for each shape of the wire format, how it ends, how
//! the call's timeout and retries stop at the response headers, and how a resuming stream
//! reconnects with `Last-Event-ID`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use apigen_runtime::{
    AttemptRequest, ClientBuilder, Error, Event, EventStream, Hook, HookFuture, RequestOptions,
    ResumePolicy,
};
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

/// Counts the attempts it sees, and marks each with its number in `X-Attempt-Seen`.
#[derive(Debug, Default)]
struct CountAttempts(AtomicU32);

impl Hook for CountAttempts {
    fn before_attempt<'a>(
        &'a self,
        request: &'a mut AttemptRequest,
    ) -> HookFuture<'a, Result<(), Error>> {
        let seen = self.0.fetch_add(1, Ordering::SeqCst) + 1;
        Box::pin(async move { request.set_header("X-Attempt-Seen", &seen.to_string()) })
    }
}

/// A resuming stream of JSON events from `GET /events` of `server`, every item of it,
/// with a hook that counts attempts.
async fn resumed_events(
    server: &MockServer,
    policy: ResumePolicy,
) -> (Vec<Result<Event<Value>, Error>>, Arc<CountAttempts>) {
    let hook = Arc::new(CountAttempts::default());
    let client = builder(&server.base_url())
        .hook(Arc::clone(&hook))
        .build()
        .expect("client");
    let call = request(Method::GET, "/events", RequestOptions::new());
    let events: EventStream<Value> = client.execute_events(call).await.expect("starts").value;
    let items = tokio::time::timeout(Duration::from_secs(20), events.resuming(policy).collect())
        .await
        .expect("the stream ends");
    (items, hook)
}

/// Reconnects 10 ms after a break, unless the server asks otherwise.
fn quick() -> ResumePolicy {
    ResumePolicy::new().delay(Duration::from_millis(10))
}

#[tokio::test]
async fn a_resuming_stream_cut_after_an_event_id_reconnects_with_that_id() {
    let server = server(vec![
        MockResponse::event_stream(&[
            (NOW, "id: 7\ndata: {\"n\": 1}\n\n"),
            (NOW, "data: {\"n\": 2}\n\n"),
            (Duration::from_millis(20), "id: 9\ndata: {\"n\""),
        ])
        .dropped(),
        MockResponse::event_stream(&[(NOW, "id: 8\ndata: {\"n\": 3}\n\n")]),
    ])
    .await;

    let (items, hook) = resumed_events(&server, quick()).await;

    assert_eq!(
        data(&items),
        [json!({"n": 1}), json!({"n": 2}), json!({"n": 3})]
    );
    let sent = server.requests();
    assert_eq!(sent.len(), 2, "one reconnect");
    assert_eq!(sent[0].header("last-event-id"), None);
    assert_eq!(
        sent[1].header("last-event-id"),
        Some("7"),
        "the id of the cut-off block was never dispatched"
    );
    for request in &sent {
        assert_eq!(request.target, "/events");
        assert_eq!(request.header("accept"), Some("text/event-stream"));
        let credential = format!("Api-Key {KEY}");
        assert_eq!(request.header("authorization"), Some(credential.as_str()));
    }
    assert_eq!(
        sent[1].header("x-attempt-seen"),
        Some("2"),
        "the hooks ran again"
    );
    assert_eq!(hook.0.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_resumed_stream_keeps_the_last_id_across_events_without_one() {
    let server = server(vec![
        MockResponse::event_stream(&[(NOW, "id: a1\ndata: 1\n\n"), (NOW, "data: 2\n\n")]).dropped(),
        MockResponse::event_stream(&[(NOW, "data: 3\n\n")]).dropped(),
        MockResponse::event_stream(&[(NOW, "data: 4\n\n")]),
    ])
    .await;

    let (items, _) = resumed_events(&server, quick()).await;

    assert_eq!(data(&items), [json!(1), json!(2), json!(3), json!(4)]);
    let ids: Vec<Option<String>> = server
        .requests()
        .iter()
        .map(|r| r.header("last-event-id").map(str::to_owned))
        .collect();
    assert_eq!(ids, [None, Some("a1".into()), Some("a1".into())]);
}

#[tokio::test]
async fn a_resuming_stream_waits_the_reconnection_time_the_server_asks_for() {
    let server = server(vec![
        MockResponse::event_stream(&[(NOW, "retry: 300\nid: 1\ndata: 1\n\n")]).dropped(),
        MockResponse::event_stream(&[(NOW, "data: 2\n\n")]),
    ])
    .await;

    let (items, _) = resumed_events(&server, quick()).await;

    assert_eq!(data(&items), [json!(1), json!(2)]);
    let times = server.request_times();
    assert_eq!(times.len(), 2);
    let waited = times[1] - times[0];
    assert!(
        waited >= Duration::from_millis(300),
        "reconnected after {waited:?}, before the 300 ms the server asked for"
    );
}

#[tokio::test]
async fn a_reconnection_time_beyond_the_bound_waits_only_the_bound() {
    let server = server(vec![
        MockResponse::event_stream(&[(NOW, "retry: 3600000\nid: 1\ndata: 1\n\n")]).dropped(),
        MockResponse::event_stream(&[(NOW, "data: 2\n\n")]),
    ])
    .await;

    // An hour asked for; the bound is 20 ms, and `resumed_events` gives up after 20 s.
    let policy = quick().max_delay(Duration::from_millis(20));
    let (items, _) = resumed_events(&server, policy).await;

    assert_eq!(data(&items), [json!(1), json!(2)]);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn reconnects_in_a_row_without_an_event_are_bounded() {
    let first = MockResponse::event_stream(&[(NOW, "id: 1\ndata: 1\n\n")]).dropped();
    let eventless = MockResponse::event_stream(&[(NOW, ": nothing new\n\n")]).dropped();
    let server = server(vec![first, eventless]).await;

    let (items, _) = resumed_events(&server, quick().max_reconnects(2)).await;

    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(data(&items[..1]), [json!(1)]);
    assert!(
        matches!(&items[1], Err(Error::Transport(_))),
        "{:?}",
        items[1]
    );
    assert_eq!(server.requests().len(), 3, "the call and two reconnects");
}

#[tokio::test]
async fn a_stream_without_event_ids_does_not_reconnect() {
    let server = server(vec![
        MockResponse::event_stream(&[(NOW, "data: 1\n\n")]).dropped(),
        MockResponse::event_stream(&[(NOW, "data: 2\n\n")]),
    ])
    .await;

    let (items, _) = resumed_events(&server, quick()).await;

    assert_eq!(items.len(), 2, "{items:?}");
    assert!(matches!(&items[1], Err(Error::Transport(_))));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_stream_that_ends_or_a_stream_that_does_not_resume_is_not_sent_again() {
    let ended = server(vec![
        MockResponse::event_stream(&[(NOW, "id: 1\ndata: 1\n\n")]),
        MockResponse::event_stream(&[(NOW, "data: 2\n\n")]),
    ])
    .await;
    let cut = server(vec![
        MockResponse::event_stream(&[(NOW, "id: 1\ndata: 1\n\n")]).dropped(),
        MockResponse::event_stream(&[(NOW, "data: 2\n\n")]),
    ])
    .await;

    let (items, _) = resumed_events(&ended, quick()).await;
    let plain = json_events(&cut, RequestOptions::new())
        .await
        .expect("starts");

    assert_eq!(data(&items), [json!(1)]);
    assert_eq!(ended.requests().len(), 1, "the end of the body is the end");
    assert!(matches!(plain.last(), Some(Err(Error::Transport(_)))));
    assert_eq!(cut.requests().len(), 1, "resuming is opt-in");
}

#[tokio::test]
async fn a_reconnect_answered_with_an_error_ends_the_stream_with_it() {
    let server = server(vec![
        MockResponse::event_stream(&[(NOW, "id: 5\ndata: 1\n\n")]).dropped(),
        MockResponse::json(410, r#"{"code": "GONE", "message": "expired"}"#),
    ])
    .await;

    let (items, _) = resumed_events(&server, quick()).await;

    assert_eq!(items.len(), 2, "{items:?}");
    let api = match &items[1] {
        Err(err) => err.api_error().expect("an API error"),
        Ok(event) => panic!("expected an error, got {event:?}"),
    };
    assert_eq!(
        (api.status.as_u16(), api.code.as_deref()),
        (410, Some("GONE"))
    );
    assert_eq!(server.requests()[1].header("last-event-id"), Some("5"));
}

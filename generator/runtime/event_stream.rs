//! Server-sent events (`text/event-stream`): a response body read as a stream of typed
//! events, parsed by `sse-stream` (see `docs/decisions/0005`).
//!
//! What the stream yields, block by block of the wire format:
//! - a block whose data is empty or absent (a comment, a keep-alive, an `event:` or `retry:`
//!   line alone) is skipped, as the SSE specification says;
//! - a block whose data is exactly `[DONE]` ends the stream: OpenAI and Together send it
//!   after the last event;
//! - any other block is an `Ok(Event)` whose data is decoded (JSON into `T`, or the text as
//!   it is for `String` data), or an `Err(Error::Decode)` keeping the raw data when it does
//!   not decode; the stream goes on after it;
//! - a transport failure is one `Err(Error::Transport)` (or `Error::Timeout`), and the end,
//!   unless the stream resumes (below);
//! - a block cut off by the end of the body is dropped, as the specification says.
//!
//! Nothing is retried once the stream has started, and the call's timeout no longer applies:
//! it covers the wait for the response headers only.
//!
//! A stream may opt in to resuming ([`EventStream::resuming`]): when its connection breaks
//! after the server sent an event id, the call is sent again with `Last-Event-ID`, after the
//! reconnection time the server asked for (`retry:`, within the policy's bound), a bounded
//! number of times in a row.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use bytes::Bytes;
use futures_util::Stream;
use reqwest::StatusCode;
use reqwest::header::{HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use sse_stream::{Sse, SseByteStream};

use super::client::Client;
use super::error::Error;
use super::request::Request;

/// The data of the event that ends a stream of OpenAI's and Together's APIs.
const DONE: &str = "[DONE]";

/// The header a resumed stream sends the last event id in.
const LAST_EVENT_ID: HeaderName = HeaderName::from_static("last-event-id");

/// One server-sent event: its data, decoded, and the fields that came with it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Event<T> {
    /// The event type (`event:`), when the server named one; the SSE default is `message`.
    pub event: Option<String>,
    /// The event id (`id:`), when this event carries one; ids of earlier events are not
    /// carried over (see [`EventStream::last_event_id`] for that).
    pub id: Option<String>,
    /// The reconnection time the server asks for (`retry:`), when this event carries one.
    pub retry: Option<Duration>,
    /// The event's data (its `data:` lines joined by newlines), decoded.
    pub data: T,
}

/// How a resuming event stream reconnects (see [`EventStream::resuming`]).
///
/// ```text
/// let policy = ResumePolicy::new()
///     .max_reconnects(5)
///     .delay(Duration::from_millis(500))
///     .max_delay(Duration::from_secs(10));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub struct ResumePolicy {
    max_reconnects: u32,
    delay: Duration,
    max_delay: Duration,
}

impl Default for ResumePolicy {
    fn default() -> Self {
        ResumePolicy {
            max_reconnects: 3,
            delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(30),
        }
    }
}

impl ResumePolicy {
    /// At most 3 reconnects in a row, 1 s apart unless the server asks for another time
    /// with `retry:`, which is honoured up to 30 s.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many times in a row the stream may reconnect without an event in between;
    /// after that, the connection's error ends it.
    pub fn max_reconnects(mut self, reconnects: u32) -> Self {
        self.max_reconnects = reconnects;
        self
    }

    /// The wait before reconnecting while the server has not sent `retry:`.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// The longest wait a server's `retry:` may ask for; a longer one waits this long.
    pub fn max_delay(mut self, max_delay: Duration) -> Self {
        self.max_delay = max_delay;
        self
    }

    /// The wait before a reconnect: the server's reconnection time, within the bound, else
    /// the policy's delay.
    fn wait(&self, retry: Option<Duration>) -> Duration {
        retry.map_or(self.delay, |asked| asked.min(self.max_delay))
    }
}

/// Turns an event's data into `T`.
type Decoder<T> = fn(&str) -> Result<T, serde_json::Error>;

/// The blocks of the wire format, as `sse-stream` parses them from the body.
pub(crate) type Blocks = Pin<Box<dyn Stream<Item = Result<Sse, sse_stream::Error>> + Send>>;

/// A reconnect in flight: the wait, then the call sent again, up to its response headers.
type Reconnect = Pin<Box<dyn Future<Output = Result<(StatusCode, Blocks), Error>> + Send>>;

/// The call a stream came from, to send again when it resumes.
struct Origin {
    client: Client,
    request: Request,
}

/// A stream that resumes: how, and how many reconnects it made since its last event.
struct Resuming {
    origin: Origin,
    policy: ResumePolicy,
    in_a_row: u32,
}

/// The events of a `text/event-stream` response, as they arrive: a `futures` `Stream` of
/// `Result<Event<T>, Error>`.
///
/// ```text
/// use futures_util::StreamExt;
/// let mut events = client.create_chat_completion_stream(body).await?;
/// while let Some(event) = events.next().await {
///     match event {
///         Ok(event) => println!("{:?}", event.data),
///         Err(Error::Decode { body, .. }) => eprintln!("skipped an event: {body:?}"),
///         Err(err) => return Err(err),
///     }
/// }
/// ```
///
/// It ends after `data: [DONE]`, at the end of the body, or after a transport error (which
/// a resuming stream first tries to reconnect past; see [`EventStream::resuming`]). An event
/// whose data does not decode is an `Err(Error::Decode)` with the raw data, and the stream
/// goes on. Dropping it closes the connection.
#[must_use = "a stream does nothing unless polled"]
pub struct EventStream<T> {
    /// `None` once the stream has ended, or while it reconnects.
    blocks: Option<Blocks>,
    status: StatusCode,
    decode: Decoder<T>,
    /// Whether transport errors must lose their URL (it holds the API key).
    hide_url: bool,
    /// The last event id the server sent (`id:`), carried from block to block.
    last_id: Option<String>,
    /// The last reconnection time the server asked for (`retry:`).
    retry: Option<Duration>,
    /// The call the stream came from, until it opts in to resuming.
    origin: Option<Origin>,
    /// How the stream resumes, once it opted in.
    resuming: Option<Resuming>,
    /// The reconnect in flight.
    reconnect: Option<Reconnect>,
}

impl<T> EventStream<T> {
    /// The events of `body`, a response of status `status`, decoded by `decode`.
    pub(crate) fn new<S>(status: StatusCode, body: S, decode: Decoder<T>, hide_url: bool) -> Self
    where
        S: Stream<Item = Result<Bytes, reqwest::Error>> + Send + 'static,
    {
        Self::of_blocks(status, blocks(body), decode, hide_url)
    }

    fn of_blocks(status: StatusCode, blocks: Blocks, decode: Decoder<T>, hide_url: bool) -> Self {
        EventStream {
            blocks: Some(blocks),
            status,
            decode,
            hide_url,
            last_id: None,
            retry: None,
            origin: None,
            resuming: None,
            reconnect: None,
        }
    }

    /// The events of a success's body, read chunk by chunk as they arrive; `request` is the
    /// call that brought it, sent again by `client` if the stream resumes.
    pub(crate) fn of_response(
        response: reqwest::Response,
        decode: Decoder<T>,
        client: &Client,
        request: Request,
    ) -> Self {
        let hide_url = client.key_in_url();
        let mut stream = Self::new(response.status(), chunks(response), decode, hide_url);
        stream.origin = Some(Origin {
            client: client.clone(),
            request,
        });
        stream
    }

    /// The HTTP status of the response the events come from (the last one, once the stream
    /// has reconnected).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The last event id the server sent (its latest `id:` field, kept from event to event
    /// as the SSE specification says), which a resumed stream sends as `Last-Event-ID`.
    /// `None` before any, or after the server reset it with an empty `id:`.
    pub fn last_event_id(&self) -> Option<&str> {
        self.last_id.as_deref().filter(|id| !id.is_empty())
    }

    /// This stream, reconnecting when its connection breaks: once the server has sent an
    /// event id, a transport failure is followed by the same call sent again, with the
    /// credential, the hooks, its own retries and timeout, and `Last-Event-ID` set to the
    /// last id, after the reconnection time the server asked for (`retry:`, at most the
    /// policy's `max_delay`) or else the policy's `delay`. The events then go on where the
    /// server resumes them. At most `max_reconnects` reconnects in a row without an event
    /// in between; then, and when no id was sent, the failure ends the stream as it would
    /// without resuming. A reconnect that is answered with an error ends the stream with
    /// that error. The end of the body, and `[DONE]`, end the stream: the server finished.
    ///
    /// Opt in only where the API resumes from `Last-Event-ID`; a call that is not
    /// idempotent (a `POST`) is sent again all the same.
    pub fn resuming(mut self, policy: ResumePolicy) -> Self {
        if let Some(origin) = self.origin.take() {
            self.resuming = Some(Resuming {
                origin,
                policy,
                in_a_row: 0,
            });
        }
        self
    }

    /// Keeps the id and reconnection time a block carries, as the SSE specification says:
    /// an `id:` replaces the last id (an empty one resets it), whether or not the block
    /// has data.
    fn note(&mut self, block: &Sse) {
        if let Some(id) = &block.id {
            self.last_id = Some(id.clone());
        }
        if let Some(retry) = block.retry {
            self.retry = Some(Duration::from_millis(retry));
        }
    }

    /// The reconnect that follows the failure `err`, when the stream resumes, has an id to
    /// resume from, and has reconnects left; `None` when `err` ends the stream.
    fn reconnect_after(&mut self, err: &Error) -> Option<Reconnect> {
        if !matches!(err, Error::Transport(_) | Error::Timeout(_)) {
            return None;
        }
        let id = self.last_event_id()?.to_owned();
        let value = HeaderValue::from_bytes(id.as_bytes()).ok()?;
        let retry = self.retry;
        let resuming = self.resuming.as_mut()?;
        if resuming.in_a_row >= resuming.policy.max_reconnects {
            return None;
        }
        resuming.in_a_row += 1;
        let wait = resuming.policy.wait(retry);
        let mut request = resuming.origin.request.clone();
        request
            .options
            .headers
            .retain(|(name, _)| *name != LAST_EVENT_ID);
        request.headers.insert(LAST_EVENT_ID, value);
        let client = resuming.origin.client.clone();
        tracing::info!(
            operation = request.operation(),
            reconnect = resuming.in_a_row,
            wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
            "event stream broke; resuming it",
        );
        Some(Box::pin(async move {
            tokio::time::sleep(wait).await;
            let response = client.open_stream(request).await?;
            Ok((response.status(), events_of(response)))
        }))
    }
}

/// The blocks of a body.
fn blocks<S>(body: S) -> Blocks
where
    S: Stream<Item = Result<Bytes, reqwest::Error>> + Send + 'static,
{
    Box::pin(SseByteStream::new(body))
}

/// The blocks of a success's body, read chunk by chunk as they arrive.
fn events_of(response: reqwest::Response) -> Blocks {
    blocks(chunks(response))
}

/// The chunks of a response's body; the end after the first error.
pub(crate) fn chunks(
    response: reqwest::Response,
) -> impl Stream<Item = Result<Bytes, reqwest::Error>> + Send + 'static {
    futures_util::stream::unfold(Some(response), |response| async move {
        let mut response = response?;
        match response.chunk().await {
            Ok(Some(chunk)) => Some((Ok(chunk), Some(response))),
            Ok(None) => None,
            Err(err) => Some((Err(err), None)),
        }
    })
}

/// Decodes an event's data as JSON.
pub(crate) fn json<T: DeserializeOwned>(data: &str) -> Result<T, serde_json::Error> {
    serde_json::from_str(data)
}

/// Takes an event's data as it is.
pub(crate) fn text(data: &str) -> Result<String, serde_json::Error> {
    Ok(data.to_owned())
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("status", &self.status)
            .field(
                "ended",
                &(self.blocks.is_none() && self.reconnect.is_none()),
            )
            .field("resuming", &self.resuming.as_ref().map(|r| r.policy))
            .finish_non_exhaustive()
    }
}

impl<T> Stream for EventStream<T> {
    type Item = Result<Event<T>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // Every field is `Unpin`: the blocks and the reconnect are boxed.
        let this = self.get_mut();
        loop {
            if let Some(reconnect) = this.reconnect.as_mut() {
                let reconnected = ready!(reconnect.as_mut().poll(cx));
                this.reconnect = None;
                match reconnected {
                    Ok((status, blocks)) => {
                        this.status = status;
                        this.blocks = Some(blocks);
                    }
                    Err(err) => return Poll::Ready(Some(Err(err))),
                }
            }
            let Some(blocks) = this.blocks.as_mut() else {
                return Poll::Ready(None);
            };
            let step = match ready!(blocks.as_mut().poll_next(cx)) {
                None => Step::End,
                Some(Err(err)) => Step::Fail(stream_error(err, this.status, this.hide_url)),
                Some(Ok(block)) => {
                    this.note(&block);
                    step(block, this.status, this.decode)
                }
            };
            match step {
                Step::Skip => {}
                Step::Yield(item) => {
                    if let Some(resuming) = this.resuming.as_mut() {
                        resuming.in_a_row = 0;
                    }
                    return Poll::Ready(Some(item));
                }
                Step::End => {
                    this.blocks = None;
                    return Poll::Ready(None);
                }
                Step::Fail(err) => {
                    this.blocks = None;
                    match this.reconnect_after(&err) {
                        Some(reconnect) => this.reconnect = Some(reconnect),
                        None => return Poll::Ready(Some(Err(err))),
                    }
                }
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match (&self.blocks, &self.reconnect) {
            (None, None) => (0, Some(0)),
            _ => (0, None),
        }
    }
}

/// What one block of the wire format comes to.
#[derive(Debug)]
enum Step<T> {
    /// Nothing to yield: no data.
    Skip,
    /// An event, or data that does not decode; the stream goes on.
    Yield(Result<Event<T>, Error>),
    /// The end: `[DONE]`, or the end of the body.
    End,
    /// A last error, then the end (or a reconnect).
    Fail(Error),
}

/// The event a parsed block stands for, if any.
fn step<T>(block: Sse, status: StatusCode, decode: Decoder<T>) -> Step<T> {
    let Some(data) = block.data.filter(|data| !data.is_empty()) else {
        return Step::Skip;
    };
    if data == DONE {
        return Step::End;
    }
    let item = match decode(&data) {
        Ok(data) => Ok(Event {
            event: block.event,
            id: block.id,
            retry: block.retry.map(Duration::from_millis),
            data,
        }),
        Err(source) => Err(Error::Decode {
            status,
            body: Bytes::from(data),
            source,
        }),
    };
    Step::Yield(item)
}

/// A failure of the stream itself: the transport's error, or text that is not UTF-8.
fn stream_error(err: sse_stream::Error, status: StatusCode, hide_url: bool) -> Error {
    let source = match err {
        sse_stream::Error::Body(source) => source,
        other => return malformed(status, &other),
    };
    match source.downcast::<reqwest::Error>() {
        Ok(err) if hide_url => Error::from_reqwest(err.without_url()),
        Ok(err) => Error::from_reqwest(*err),
        Err(other) => malformed(status, &other),
    }
}

/// A body that is not a valid event stream, as a decoding error.
fn malformed(status: StatusCode, what: &dyn fmt::Display) -> Error {
    Error::Decode {
        status,
        body: Bytes::new(),
        source: serde::de::Error::custom(format!("not a valid event stream: {what}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json as j};
    use std::task::Waker;

    /// Every item left in a stream over a body held in memory, which never waits (so the
    /// copy of this module in a generated crate needs no executor).
    fn drain<T>(stream: &mut EventStream<T>) -> Vec<Result<Event<T>, Error>> {
        let mut cx = Context::from_waker(Waker::noop());
        let mut items = Vec::new();
        loop {
            match Pin::new(&mut *stream).poll_next(&mut cx) {
                Poll::Ready(Some(item)) => items.push(item),
                Poll::Ready(None) => return items,
                Poll::Pending => panic!("a body in memory never waits"),
            }
        }
    }

    /// The items of a stream whose body arrives in these chunks.
    fn items<T>(chunks: &[&str], decode: Decoder<T>) -> Vec<Result<Event<T>, Error>> {
        let chunks: Vec<Result<Bytes, reqwest::Error>> = chunks
            .iter()
            .map(|c| Ok(Bytes::copy_from_slice(c.as_bytes())))
            .collect();
        let body = futures_util::stream::iter(chunks);
        drain(&mut EventStream::new(StatusCode::OK, body, decode, false))
    }

    fn data<T: Clone>(items: &[Result<Event<T>, Error>]) -> Vec<T> {
        items
            .iter()
            .map(|item| match item {
                Ok(event) => event.data.clone(),
                Err(err) => panic!("unexpected error {err:?}"),
            })
            .collect()
    }

    #[test]
    fn json_data_decodes_across_chunk_boundaries() {
        let got = items::<Value>(
            &["data: {\"a\"", ": 1}\n", "\ndata: {\"a\": 2}\n\n"],
            json::<Value>,
        );
        assert_eq!(data(&got), [j!({"a": 1}), j!({"a": 2})]);
    }

    #[test]
    fn fields_come_with_the_data() {
        let got = items(&["event: delta\nid: 7\nretry: 1500\ndata: hello\n\n"], text);
        let event = got[0].as_ref().expect("an event");
        assert_eq!(event.event.as_deref(), Some("delta"));
        assert_eq!(event.id.as_deref(), Some("7"));
        assert_eq!(event.retry, Some(Duration::from_millis(1500)));
        assert_eq!(event.data, "hello");
    }

    #[test]
    fn multi_line_data_is_joined_with_newlines() {
        let got = items(&["data: {\"a\":\ndata: 1}\n\n"], json::<Value>);
        assert_eq!(data(&got), [j!({"a": 1})]);
        let got = items(&["data: one\r\ndata: two\r\n\r\n"], text);
        assert_eq!(data(&got), ["one\ntwo"]);
    }

    #[test]
    fn comments_and_blocks_without_data_are_skipped() {
        let got = items(
            &[": keep-alive\n\nevent: ping\n\nretry: 10\n\ndata:\n\ndata: x\n\n"],
            text,
        );
        assert_eq!(data(&got), ["x"]);
    }

    #[test]
    fn done_ends_the_stream() {
        let got = items(&["data: 1\n\ndata: [DONE]\n\ndata: 2\n\n"], json::<u32>);
        assert_eq!(data(&got), [1]);
        let got = items(&["data: [DONE]\n\n"], text);
        assert!(got.is_empty());
    }

    #[test]
    fn data_that_does_not_decode_is_an_error_with_the_raw_data_and_the_stream_goes_on() {
        let got = items(&["data: {oops\n\ndata: 2\n\n"], json::<u32>);
        assert_eq!(got.len(), 2);
        match &got[0] {
            Err(Error::Decode { status, body, .. }) => {
                assert_eq!(*status, StatusCode::OK);
                assert_eq!(&body[..], b"{oops");
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
        assert_eq!(got[1].as_ref().map(|e| e.data).ok(), Some(2));
    }

    #[test]
    fn a_block_cut_off_by_the_end_of_the_body_is_dropped() {
        let got = items(&["data: 1\n\ndata: 2\n"], json::<u32>);
        assert_eq!(data(&got), [1]);
    }

    #[test]
    fn a_transport_error_is_the_last_item() {
        super::super::install_crypto_provider();
        let transport = reqwest::Client::new()
            .get("http://[")
            .build()
            .expect_err("an invalid URL");
        let chunks = vec![
            Ok(Bytes::from_static(b"data: 1\n\n")),
            Err(transport),
            Ok(Bytes::from_static(b"data: 2\n\n")),
        ];
        let body = futures_util::stream::iter(chunks);
        let mut stream = EventStream::new(StatusCode::OK, body, json::<u32>, false);
        let got = drain(&mut stream);
        assert_eq!(got.len(), 2);
        assert!(matches!(&got[1], Err(Error::Transport(_))), "{:?}", got[1]);
        assert!(format!("{stream:?}").contains("ended: true"));
        assert!(drain(&mut stream).is_empty());
        assert_eq!(stream.size_hint(), (0, Some(0)));
    }

    #[test]
    fn text_that_is_not_utf8_is_a_decode_error_and_the_end() {
        let chunks: Vec<Result<Bytes, reqwest::Error>> = vec![
            Ok(Bytes::from_static(b"data: \xff\xfe\n\n")),
            Ok(Bytes::from_static(b"data: ok\n\n")),
        ];
        let body = futures_util::stream::iter(chunks);
        let got = drain(&mut EventStream::new(StatusCode::OK, body, text, false));
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(matches!(&got[0], Err(Error::Decode { .. })), "{got:?}");
    }

    #[test]
    fn the_last_event_id_is_kept_from_block_to_block_and_an_empty_id_resets_it() {
        let chunks: Vec<Result<Bytes, reqwest::Error>> = vec![
            Ok(Bytes::from_static(b"id: 1\ndata: a\n\ndata: b\n\n")),
            Ok(Bytes::from_static(b"id: 2\n\nretry: 40\n\n")),
        ];
        let body = futures_util::stream::iter(chunks);
        let mut stream = EventStream::new(StatusCode::OK, body, text, false);
        let got = drain(&mut stream);
        let ids: Vec<Option<&str>> = got
            .iter()
            .map(|e| e.as_ref().ok().and_then(|e| e.id.as_deref()))
            .collect();
        assert_eq!(ids, [Some("1"), None], "each event carries only its own id");
        assert_eq!(
            stream.last_event_id(),
            Some("2"),
            "a block without data sets it too"
        );
        assert_eq!(stream.retry, Some(Duration::from_millis(40)));

        let reset = futures_util::stream::iter(vec![Ok::<_, reqwest::Error>(Bytes::from_static(
            b"id: 3\ndata: a\n\nid\ndata: b\n\n",
        ))]);
        let mut stream = EventStream::new(StatusCode::OK, reset, text, false);
        assert_eq!(drain(&mut stream).len(), 2);
        assert_eq!(stream.last_event_id(), None);
    }

    #[test]
    fn a_reconnect_waits_the_servers_time_within_the_bound_else_the_delay() {
        let policy = ResumePolicy::new()
            .delay(Duration::from_millis(700))
            .max_delay(Duration::from_secs(2));
        assert_eq!(policy.wait(None), Duration::from_millis(700));
        assert_eq!(
            policy.wait(Some(Duration::from_millis(50))),
            Duration::from_millis(50)
        );
        assert_eq!(
            policy.wait(Some(Duration::from_secs(60))),
            Duration::from_secs(2)
        );
        assert_eq!(ResumePolicy::new(), ResumePolicy::default());
    }

    #[test]
    fn a_stream_without_the_call_it_came_from_does_not_resume() {
        super::super::install_crypto_provider();
        let transport = reqwest::Client::new()
            .get("http://[")
            .build()
            .expect_err("an invalid URL");
        let chunks = vec![
            Ok(Bytes::from_static(b"id: 1\ndata: 1\n\n")),
            Err(transport),
        ];
        let body = futures_util::stream::iter(chunks);
        let mut stream = EventStream::new(StatusCode::OK, body, json::<u32>, false)
            .resuming(ResumePolicy::new());
        let got = drain(&mut stream);
        assert_eq!(got.len(), 2);
        assert!(matches!(&got[1], Err(Error::Transport(_))), "{:?}", got[1]);
    }
}

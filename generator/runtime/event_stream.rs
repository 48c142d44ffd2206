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
//! - a transport failure is one `Err(Error::Transport)` (or `Error::Timeout`), and the end;
//! - a block cut off by the end of the body is dropped, as the specification says.
//!
//! Nothing is retried once the stream has started, and the call's timeout no longer applies:
//! it covers the wait for the response headers only.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use bytes::Bytes;
use futures_util::Stream;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use sse_stream::{Sse, SseByteStream};

use super::error::Error;

/// The data of the event that ends a stream of OpenAI's and Together's APIs.
const DONE: &str = "[DONE]";

/// One server-sent event: its data, decoded, and the fields that came with it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Event<T> {
    /// The event type (`event:`), when the server named one; the SSE default is `message`.
    pub event: Option<String>,
    /// The event id (`id:`), when this event carries one; ids of earlier events are not
    /// carried over.
    pub id: Option<String>,
    /// The reconnection time the server asks for (`retry:`), when this event carries one.
    pub retry: Option<Duration>,
    /// The event's data (its `data:` lines joined by newlines), decoded.
    pub data: T,
}

/// Turns an event's data into `T`.
type Decoder<T> = fn(&str) -> Result<T, serde_json::Error>;

/// The blocks of the wire format, as `sse-stream` parses them from the body.
type Blocks = Pin<Box<dyn Stream<Item = Result<Sse, sse_stream::Error>> + Send>>;

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
/// It ends after `data: [DONE]`, at the end of the body, or after a transport error. An event
/// whose data does not decode is an `Err(Error::Decode)` with the raw data, and the stream
/// goes on. Dropping it closes the connection.
#[must_use = "a stream does nothing unless polled"]
pub struct EventStream<T> {
    /// `None` once the stream has ended.
    blocks: Option<Blocks>,
    status: StatusCode,
    decode: Decoder<T>,
    /// Whether transport errors must lose their URL (it holds the API key).
    hide_url: bool,
}

impl<T> EventStream<T> {
    /// The events of `body`, a response of status `status`, decoded by `decode`.
    pub(crate) fn new<S>(status: StatusCode, body: S, decode: Decoder<T>, hide_url: bool) -> Self
    where
        S: Stream<Item = Result<Bytes, reqwest::Error>> + Send + 'static,
    {
        EventStream {
            blocks: Some(Box::pin(SseByteStream::new(body))),
            status,
            decode,
            hide_url,
        }
    }

    /// The events of a success's body, read chunk by chunk as they arrive.
    pub(crate) fn of_response(
        response: reqwest::Response,
        decode: Decoder<T>,
        hide_url: bool,
    ) -> Self {
        let status = response.status();
        Self::new(status, chunks(response), decode, hide_url)
    }

    /// The HTTP status of the response the events come from.
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

/// The chunks of a response's body; the end after the first error.
fn chunks(
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
            .field("ended", &self.blocks.is_none())
            .finish_non_exhaustive()
    }
}

impl<T> Stream for EventStream<T> {
    type Item = Result<Event<T>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // Every field is `Unpin`: the blocks are boxed.
        let this = self.get_mut();
        loop {
            let Some(blocks) = this.blocks.as_mut() else {
                return Poll::Ready(None);
            };
            let step = match ready!(blocks.as_mut().poll_next(cx)) {
                None => Step::End,
                Some(Err(err)) => Step::Fail(stream_error(err, this.status, this.hide_url)),
                Some(Ok(block)) => step(block, this.status, this.decode),
            };
            match step {
                Step::Skip => {}
                Step::Yield(item) => return Poll::Ready(Some(item)),
                Step::End => {
                    this.blocks = None;
                    return Poll::Ready(None);
                }
                Step::Fail(err) => {
                    this.blocks = None;
                    return Poll::Ready(Some(Err(err)));
                }
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self.blocks {
            Some(_) => (0, None),
            None => (0, Some(0)),
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
    /// A last error, then the end.
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
}

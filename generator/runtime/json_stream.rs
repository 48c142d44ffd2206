//! Sequences of JSON values: a response body read as a stream of typed items, one per line
//! (JSON Lines, `application/jsonl`, and NDJSON, `application/x-ndjson`) or one per record
//! (JSON text sequences, `application/json-seq`, RFC 7464); see `docs/decisions/0005`.
//!
//! What the stream yields:
//! - a line (or record) that is empty or only whitespace is skipped;
//! - any other is an `Ok(T)`, decoded from JSON, or an `Err(Error::Decode)` keeping the raw
//!   text when it does not decode (or, in a JSON text sequence, when a bare number, `true`,
//!   `false` or `null` ends without the whitespace that shows it was not cut off); the
//!   stream goes on after it;
//! - the last line, when the body ends without a newline after it, is read like the others;
//! - a transport failure is one `Err(Error::Transport)` (or `Error::Timeout`), and the end;
//!   the line it cut off is dropped.
//!
//! Nothing is retried once the stream has started, and the call's timeout no longer applies:
//! it covers the wait for the response headers only.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::{Bytes, BytesMut};
use futures_util::Stream;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::error::Error;

/// How the values of a body are told apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Framing {
    /// One value per line (`\n`, or `\r\n`): JSON Lines, NDJSON.
    Lines,
    /// Each value after an ASCII record separator (`0x1E`): JSON text sequences.
    Records,
}

/// The record separator of JSON text sequences.
const RS: u8 = 0x1E;

impl Framing {
    /// The framing of a media type (`application/x-ndjson; charset=utf-8`), if it is one
    /// of the sequences of JSON values.
    pub(crate) fn of(media_type: &str) -> Option<Framing> {
        let essence = media_type.split(';').next().unwrap_or_default().trim();
        let essence = essence.to_ascii_lowercase();
        match essence.as_str() {
            "application/jsonl"
            | "application/x-ndjson"
            | "application/ndjson"
            | "application/x-jsonlines"
            | "application/jsonlines" => Some(Framing::Lines),
            "application/json-seq" => Some(Framing::Records),
            other if other.starts_with("application/") && other.ends_with("+json-seq") => {
                Some(Framing::Records)
            }
            _ => None,
        }
    }

    fn delimiter(self) -> u8 {
        match self {
            Framing::Lines => b'\n',
            Framing::Records => RS,
        }
    }
}

/// Turns one value's text into `T`.
type Decoder<T> = fn(&[u8]) -> Result<T, serde_json::Error>;

/// The chunks of the body, as they arrive.
type Chunks = Pin<Box<dyn Stream<Item = Result<Bytes, reqwest::Error>> + Send>>;

/// The values of a JSON Lines, NDJSON or JSON text sequence response, as they arrive: a
/// `futures` `Stream` of `Result<T, Error>`.
///
/// ```text
/// use futures_util::StreamExt;
/// let mut lines = client.export_records().await?;
/// while let Some(record) = lines.next().await {
///     match record {
///         Ok(record) => println!("{record:?}"),
///         Err(Error::Decode { body, .. }) => eprintln!("skipped a line: {body:?}"),
///         Err(err) => return Err(err),
///     }
/// }
/// ```
///
/// It ends at the end of the body or after a transport error. A value that does not decode
/// is an `Err(Error::Decode)` with its raw text, and the stream goes on. Dropping it closes
/// the connection.
#[must_use = "a stream does nothing unless polled"]
pub struct JsonStream<T> {
    /// `None` once the body has ended.
    chunks: Option<Chunks>,
    /// Text received and not yet read as values.
    pending: BytesMut,
    /// How far `pending` is known to hold no delimiter.
    scanned: usize,
    framing: Framing,
    status: StatusCode,
    decode: Decoder<T>,
    /// Whether transport errors must lose their URL (it holds the API key).
    hide_url: bool,
}

impl<T> JsonStream<T> {
    /// The values of `body`, a response of status `status`, told apart by `framing` and
    /// decoded by `decode`.
    pub(crate) fn new<S>(
        status: StatusCode,
        body: S,
        framing: Framing,
        decode: Decoder<T>,
        hide_url: bool,
    ) -> Self
    where
        S: Stream<Item = Result<Bytes, reqwest::Error>> + Send + 'static,
    {
        JsonStream {
            chunks: Some(Box::pin(body)),
            pending: BytesMut::new(),
            scanned: 0,
            framing,
            status,
            decode,
            hide_url,
        }
    }

    /// The HTTP status of the response the values come from.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The next complete value's text in `pending`, taken out of it; at the end of the
    /// body, whatever is left.
    fn next_text(&mut self, at_end: bool) -> Option<Bytes> {
        let delimiter = self.framing.delimiter();
        let found = self.pending[self.scanned..]
            .iter()
            .position(|&b| b == delimiter);
        match found {
            Some(offset) => {
                let end = self.scanned + offset;
                let text = self.pending.split_to(end + 1).freeze();
                self.scanned = 0;
                Some(text.slice(..end))
            }
            None if at_end && !self.pending.is_empty() => {
                self.scanned = 0;
                Some(self.pending.split().freeze())
            }
            None => {
                self.scanned = self.pending.len();
                None
            }
        }
    }

    /// What one value's text comes to: nothing when it is blank, else the value or the
    /// error of its decoding.
    fn item(&self, text: Bytes) -> Option<Result<T, Error>> {
        let value = trim(&text);
        if value.is_empty() {
            return None;
        }
        let decoded = match self.framing {
            Framing::Records if cut_off(&text) => Err(serde::de::Error::custom(
                "a JSON text sequence value that may have been cut off (no whitespace after it)",
            )),
            _ => (self.decode)(value),
        };
        Some(decoded.map_err(|source| Error::Decode {
            status: self.status,
            body: text.slice_ref(value),
            source,
        }))
    }

    /// The transport's error, without its URL when that holds the key.
    fn transport(&self, err: reqwest::Error) -> Error {
        Error::from_reqwest(if self.hide_url {
            err.without_url()
        } else {
            err
        })
    }
}

/// Decodes one value as JSON.
pub(crate) fn json<T: DeserializeOwned>(text: &[u8]) -> Result<T, serde_json::Error> {
    serde_json::from_slice(text)
}

/// `text` without the whitespace around it (JSON's, and a line's `\r`).
fn trim(text: &[u8]) -> &[u8] {
    let is_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    let start = text.iter().position(|b| !is_space(b)).unwrap_or(text.len());
    let end = text
        .iter()
        .rposition(|b| !is_space(b))
        .map_or(start, |i| i + 1);
    &text[start..end]
}

/// Whether a record of a JSON text sequence is a bare number, `true`, `false` or `null`
/// without whitespace after it, which RFC 7464 says may have been cut off.
fn cut_off(record: &[u8]) -> bool {
    let ends_in_space = record
        .last()
        .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'));
    let first = trim(record).first().copied();
    !ends_in_space && matches!(first, Some(b'0'..=b'9' | b'-' | b't' | b'f' | b'n'))
}

impl<T> fmt::Debug for JsonStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JsonStream")
            .field("status", &self.status)
            .field("framing", &self.framing)
            .field("ended", &(self.chunks.is_none() && self.pending.is_empty()))
            .finish_non_exhaustive()
    }
}

impl<T> Stream for JsonStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // Every field is `Unpin`: the chunks are boxed.
        let this = self.get_mut();
        loop {
            let at_end = this.chunks.is_none();
            if let Some(text) = this.next_text(at_end) {
                match this.item(text) {
                    Some(item) => return Poll::Ready(Some(item)),
                    None => continue,
                }
            }
            let Some(chunks) = this.chunks.as_mut() else {
                return Poll::Ready(None);
            };
            match ready!(chunks.as_mut().poll_next(cx)) {
                Some(Ok(chunk)) => this.pending.extend_from_slice(&chunk),
                None => this.chunks = None,
                Some(Err(err)) => {
                    this.chunks = None;
                    this.pending.clear();
                    this.scanned = 0;
                    return Poll::Ready(Some(Err(this.transport(err))));
                }
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match (&self.chunks, self.pending.is_empty()) {
            (None, true) => (0, Some(0)),
            _ => (0, None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json as j};
    use std::task::Waker;

    /// Every item left in a stream over a body held in memory, which never waits (so the
    /// copy of this module in a generated crate needs no executor).
    fn drain<T>(stream: &mut JsonStream<T>) -> Vec<Result<T, Error>> {
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
    fn items(chunks: &[&[u8]], framing: Framing) -> Vec<Result<Value, Error>> {
        let chunks: Vec<Result<Bytes, reqwest::Error>> = chunks
            .iter()
            .map(|c| Ok(Bytes::copy_from_slice(c)))
            .collect();
        let body = futures_util::stream::iter(chunks);
        let mut stream = JsonStream::new(StatusCode::OK, body, framing, json::<Value>, false);
        drain(&mut stream)
    }

    /// The values, or the raw text of each error.
    fn values(items: &[Result<Value, Error>]) -> Vec<Value> {
        items
            .iter()
            .map(|item| match item {
                Ok(value) => value.clone(),
                Err(Error::Decode { body, .. }) => {
                    j!({"error": String::from_utf8_lossy(body)})
                }
                Err(other) => panic!("unexpected error {other:?}"),
            })
            .collect()
    }

    #[test]
    fn media_types_name_their_framing() {
        assert_eq!(Framing::of("application/jsonl"), Some(Framing::Lines));
        assert_eq!(
            Framing::of("Application/X-NDJSON; charset=utf-8"),
            Some(Framing::Lines)
        );
        assert_eq!(Framing::of("application/json-seq"), Some(Framing::Records));
        assert_eq!(
            Framing::of("application/geo+json-seq"),
            Some(Framing::Records)
        );
        assert_eq!(Framing::of("application/json"), None);
        assert_eq!(Framing::of("text/event-stream"), None);
    }

    #[test]
    fn lines_split_across_chunks_come_whole_and_blank_lines_are_skipped() {
        let got = items(
            &[
                b"{\"n\": 1}\n{\"n\"",
                b": 2}\r\n\n  \n[3,",
                b" 4]\n\"five\"",
            ],
            Framing::Lines,
        );
        assert_eq!(
            values(&got),
            [j!({"n": 1}), j!({"n": 2}), j!([3, 4]), j!("five")]
        );
    }

    #[test]
    fn a_line_that_does_not_decode_is_an_error_with_its_text_and_the_stream_goes_on() {
        let got = items(&[b"{\"n\": 1}\n{oops\n\xff\xfe\n2\n"], Framing::Lines);
        assert_eq!(got.len(), 4);
        assert!(matches!(&got[1], Err(Error::Decode { status, .. }) if *status == StatusCode::OK));
        assert_eq!(
            values(&got),
            [
                j!({"n": 1}),
                j!({"error": "{oops"}),
                j!({"error": "\u{fffd}\u{fffd}"}),
                j!(2)
            ]
        );
    }

    #[test]
    fn records_are_told_apart_by_the_record_separator() {
        let got = items(
            &[
                b"\x1e{\"n\": 1}\n\x1e\x1e{\"n\":",
                b"\n 2}\n\x1e\"three\"\n\x1e",
            ],
            Framing::Records,
        );
        assert_eq!(values(&got), [j!({"n": 1}), j!({"n": 2}), j!("three")]);
    }

    #[test]
    fn a_bare_number_without_whitespace_after_it_may_be_cut_off_and_is_an_error() {
        let got = items(&[b"\x1e12\n\x1e13\x1etrue"], Framing::Records);
        assert_eq!(
            values(&got),
            [j!(12), j!({"error": "13"}), j!({"error": "true"})]
        );
    }

    #[test]
    fn a_transport_error_is_the_last_item_and_drops_the_line_it_cut() {
        super::super::install_crypto_provider();
        let transport = reqwest::Client::new()
            .get("http://[")
            .build()
            .expect_err("an invalid URL");
        let chunks = vec![
            Ok(Bytes::from_static(b"1\n{\"cut")),
            Err(transport),
            Ok(Bytes::from_static(b"2\n")),
        ];
        let body = futures_util::stream::iter(chunks);
        let mut stream = JsonStream::new(StatusCode::OK, body, Framing::Lines, json::<u32>, false);
        let got = drain(&mut stream);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].as_ref().ok(), Some(&1));
        assert!(matches!(&got[1], Err(Error::Transport(_))), "{:?}", got[1]);
        assert!(format!("{stream:?}").contains("ended: true"));
        assert!(drain(&mut stream).is_empty());
        assert_eq!(stream.size_hint(), (0, Some(0)));
    }
}

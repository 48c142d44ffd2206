//! Runtime shared by every generated client: configuration, credentials, request execution
//! with retries and tracing, streams of server-sent events and of JSON values, and errors.
//!
//! This file and its siblings are hand-written. The generator copies them into each generated
//! crate as `src/runtime/`, less their tests (items marked `#[cfg(test)]` or
//! `#[cfg(feature = "testing")]`), so they must only refer to each other through `super::`
//! and must not depend on anything generated.

mod builder;
mod client;
mod encode;
mod error;
mod event_stream;
mod future;
mod hooks;
mod idempotency;
mod json_stream;
mod mock;
mod multipart;
pub mod nullable;
mod paginate;
mod request;
mod response;
mod retry;
mod retry_after;
mod send;
mod transport;

pub use builder::{ClientBuilder, install_crypto_provider};
pub use client::{ApiDefaults, AuthLocation, AuthScheme, Client};
pub use encode::{PathStyle, encode_path_segment, json_text, path_json, path_segment, path_value};
pub use error::{ApiError, Error, FromApiError};
pub use event_stream::{Event, EventStream, ResumePolicy};
pub use future::{ResponseFuture, SendFuture};
pub use futures_util::Stream;
pub use hooks::{AttemptOutcome, AttemptRequest, Hook, HookFuture};
pub use json_stream::JsonStream;
pub use mock::{MockResponse, MockTransport, RecordedRequest};
pub use multipart::Multipart;
pub use paginate::{Items, NextPage, Page, PageParts, Pages, Paging};
pub use request::{QueryStyle, Request, RequestOptions};
pub use response::{ApiResponse, FromSuccess};
pub use retry::RetryPolicy;
pub use transport::{Transport, TransportFuture};

/// The pure functions behind [`Client`], public so that property tests can drive them with
/// any response; not part of a generated client's API, and not copied into one.
#[cfg(feature = "testing")]
#[doc(hidden)]
pub mod testing {
    pub use super::response::handle_json;
    pub use super::retry::{Attempt, CallRetry, Decision, backoff, decide, is_idempotent};
    pub use super::retry_after::{header_wait, millis_wait, parse_http_date, server_wait};
}

//! The futures a request builder gives: [`ResponseFuture`] from `send_with_response`, and
//! [`SendFuture`] from `send` and from awaiting the builder itself.
//!
//! Both are named types generic only over the decoded type, so a generated crate has no
//! future, no `async fn` and no boxed coercion of its own per operation: every operation whose
//! answer decodes into the same type shares one (see the runtime's `send.rs`).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::error::Error;
use super::response::ApiResponse;

/// The boxed future of a call, sent when first polled.
type Boxed<'a, T> = Pin<Box<dyn Future<Output = Result<ApiResponse<T>, Error>> + Send + 'a>>;

/// A call under way, resolving to the decoded answer with its status and headers; returned
/// by the `send_with_response` method of every request builder. Nothing is sent until it is
/// awaited (or polled).
#[must_use = "a request does nothing until it is awaited"]
pub struct ResponseFuture<'a, T> {
    inner: Boxed<'a, T>,
}

impl<'a, T> ResponseFuture<'a, T> {
    /// Wraps the future of a call.
    pub(crate) fn new(
        future: impl Future<Output = Result<ApiResponse<T>, Error>> + Send + 'a,
    ) -> Self {
        ResponseFuture {
            inner: Box::pin(future),
        }
    }

    /// The same call resolving to the decoded answer alone.
    pub fn value(self) -> SendFuture<'a, T> {
        SendFuture { inner: self.inner }
    }
}

impl<T> Future for ResponseFuture<'_, T> {
    type Output = Result<ApiResponse<T>, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.inner.as_mut().poll(cx)
    }
}

impl<T> fmt::Debug for ResponseFuture<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseFuture").finish_non_exhaustive()
    }
}

/// A call under way, resolving to the decoded answer; returned by the `send` method of
/// every request builder, and what awaiting a builder gives. Nothing is sent until it is
/// awaited (or polled).
#[must_use = "a request does nothing until it is awaited"]
pub struct SendFuture<'a, T> {
    inner: Boxed<'a, T>,
}

impl<T> Future for SendFuture<'_, T> {
    type Output = Result<T, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.inner
            .as_mut()
            .poll(cx)
            .map(|answer| answer.map(|response| response.value))
    }
}

impl<T> fmt::Debug for SendFuture<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendFuture").finish_non_exhaustive()
    }
}

//! The futures a request builder gives: [`ResponseFuture`] from `send_with_response`, and
//! [`SendFuture`] from `send` and from awaiting the builder itself.
//!
//! Both are named types generic only over the decoded type, so a generated crate has no
//! future, no `async fn` and no boxed coercion of its own per operation. The call of every
//! operation whose answer is read whole is one and the same future type (the runtime's
//! `send.rs`), compiled once; only the plain function that reads its answer depends on the
//! decoded type.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::error::Error;
use super::response::{ApiResponse, Success};
use super::send::WholeCall;

/// How an answer read whole becomes the call's result: decoded (`decode::<T>`), taken as
/// text or bytes, or ignored.
type Finish<T> = fn(Success) -> Result<ApiResponse<T>, Error>;

/// A call under way, resolving to the decoded answer with its status and headers; returned
/// by the `send_with_response` method of every request builder. Nothing is sent until it is
/// awaited (or polled).
#[must_use = "a request does nothing until it is awaited"]
pub struct ResponseFuture<'a, T> {
    inner: Inner<'a, T>,
}

enum Inner<'a, T> {
    /// An answer read whole: the call is the same future type for every operation, and only
    /// `finish`, a plain function, depends on `T`.
    Whole {
        call: WholeCall<'a>,
        finish: Finish<T>,
    },
    /// Any other call (streams of events or of JSON values), boxed as it is.
    Boxed(Pin<Box<dyn Future<Output = Result<ApiResponse<T>, Error>> + Send + 'a>>),
}

impl<'a, T> ResponseFuture<'a, T> {
    /// The call of an answer read whole, read by `finish` once it arrives.
    pub(crate) fn whole(call: WholeCall<'a>, finish: Finish<T>) -> Self {
        ResponseFuture {
            inner: Inner::Whole { call, finish },
        }
    }

    /// Wraps the future of any other call.
    pub(crate) fn new(
        future: impl Future<Output = Result<ApiResponse<T>, Error>> + Send + 'a,
    ) -> Self {
        ResponseFuture {
            inner: Inner::Boxed(Box::pin(future)),
        }
    }

    /// The same call resolving to the decoded answer alone.
    pub fn value(self) -> SendFuture<'a, T> {
        SendFuture { inner: self }
    }
}

impl<T> Future for ResponseFuture<'_, T> {
    type Output = Result<ApiResponse<T>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match &mut self.get_mut().inner {
            Inner::Whole { call, finish } => {
                call.as_mut().poll(cx).map(|traced| traced.finish(*finish))
            }
            Inner::Boxed(future) => future.as_mut().poll(cx),
        }
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
    inner: ResponseFuture<'a, T>,
}

impl<T> Future for SendFuture<'_, T> {
    type Output = Result<T, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.inner)
            .poll(cx)
            .map(|answer| answer.map(|response| response.value))
    }
}

impl<T> fmt::Debug for SendFuture<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendFuture").finish_non_exhaustive()
    }
}

//! Hooks: the seam for the caller's own code around every attempt of every call (a signature
//! header, a metrics counter, a refreshed token), run inside the call's retries and span.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode, Url};

use super::error::Error;

/// The future a [`Hook`] method returns: `Box::pin(async move { … })`.
pub type HookFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Code of the caller's run around each attempt of each call; register it with
/// `ClientBuilder::hook`.
///
/// `before_attempt` runs once per attempt (a retried call runs it again, with the next
/// attempt number), after the request is complete (defaults, parameters, body, credential,
/// per-call headers, idempotency key) and before it is sent; it may change the request, or
/// stop the call by returning an error, which the call returns without retrying.
/// `after_attempt` runs once the attempt came to an answer (its body read, for a call that
/// is not streamed) or an error, before the retry decision is acted on; it sees whether
/// another attempt follows. Hooks run in the order they were added, inside the call's
/// `tracing` span; the per-attempt timeout covers the sending, not the hooks.
///
/// The credential is in the request's headers, marked sensitive: a hook sees it only by
/// reading that header's value, and neither [`AttemptRequest`]'s `Debug` nor the headers'
/// shows it.
///
/// Both methods do nothing unless implemented. They are async: return a boxed future.
///
/// ```text
/// #[derive(Debug, Default)]
/// struct Attempts(std::sync::atomic::AtomicU64);
///
/// impl Hook for Attempts {
///     fn after_attempt<'a>(&'a self, outcome: &'a AttemptOutcome<'a>) -> HookFuture<'a, ()> {
///         self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
///         Box::pin(async {})
///     }
/// }
/// ```
pub trait Hook: Send + Sync + 'static {
    /// Sees, and may change, the request of one attempt before it is sent.
    fn before_attempt<'a>(
        &'a self,
        request: &'a mut AttemptRequest,
    ) -> HookFuture<'a, Result<(), Error>> {
        let _ = request;
        Box::pin(std::future::ready(Ok(())))
    }

    /// Sees what one attempt came to.
    fn after_attempt<'a>(&'a self, outcome: &'a AttemptOutcome<'a>) -> HookFuture<'a, ()> {
        let _ = outcome;
        Box::pin(std::future::ready(()))
    }
}

/// A shared hook, so that the caller keeps a handle on it (to read a counter, say).
impl<H: Hook> Hook for std::sync::Arc<H> {
    fn before_attempt<'a>(
        &'a self,
        request: &'a mut AttemptRequest,
    ) -> HookFuture<'a, Result<(), Error>> {
        H::before_attempt(self, request)
    }

    fn after_attempt<'a>(&'a self, outcome: &'a AttemptOutcome<'a>) -> HookFuture<'a, ()> {
        H::after_attempt(self, outcome)
    }
}

/// The request of one attempt, as it will be sent.
pub struct AttemptRequest {
    request: reqwest::Request,
    operation: &'static str,
    path_template: &'static str,
    attempt: u32,
}

impl fmt::Debug for AttemptRequest {
    /// The operation, attempt, method, path and header names: no query, no header value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.request.headers().keys().map(|k| k.as_str()).collect();
        f.debug_struct("AttemptRequest")
            .field("operation", &self.operation)
            .field("attempt", &self.attempt)
            .field("method", self.request.method())
            .field("path", &self.request.url().path())
            .field("headers", &names)
            .finish_non_exhaustive()
    }
}

impl AttemptRequest {
    pub(crate) fn new(
        request: reqwest::Request,
        operation: &'static str,
        path_template: &'static str,
        attempt: u32,
    ) -> Self {
        AttemptRequest {
            request,
            operation,
            path_template,
            attempt,
        }
    }

    pub(crate) fn into_inner(self) -> reqwest::Request {
        self.request
    }

    /// The operation's method name, such as `list_users`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The operation's path template, such as `/v1/models/{model_id}`.
    pub fn path_template(&self) -> &'static str {
        self.path_template
    }

    /// The number of this attempt: 1 for the first, 2 for the first retry.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        self.request.method()
    }

    /// The URL, query included (and the key, for an API that takes it in the query).
    pub fn url(&self) -> &Url {
        self.request.url()
    }

    /// The URL, to change.
    pub fn url_mut(&mut self) -> &mut Url {
        self.request.url_mut()
    }

    /// The headers; the credential's value is marked sensitive.
    pub fn headers(&self) -> &HeaderMap {
        self.request.headers()
    }

    /// The headers, to change.
    pub fn headers_mut(&mut self) -> &mut HeaderMap {
        self.request.headers_mut()
    }

    /// Sets a header, replacing any of the same name; an invalid name or value is an
    /// `Error::InvalidRequest`.
    pub fn set_header(&mut self, name: &str, value: &str) -> Result<(), Error> {
        let parsed_name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| Error::InvalidRequest(format!("invalid header name {name:?}")))?;
        let value = HeaderValue::from_str(value)
            .map_err(|_| Error::InvalidRequest(format!("invalid value for header {name:?}")))?;
        self.request.headers_mut().insert(parsed_name, value);
        Ok(())
    }

    /// The body's bytes; `None` without a body, or for a multipart body, which is sent as
    /// a stream.
    pub fn body(&self) -> Option<&[u8]> {
        self.request.body().and_then(reqwest::Body::as_bytes)
    }

    /// Replaces the body.
    pub fn set_body(&mut self, body: impl Into<bytes::Bytes>) {
        *self.request.body_mut() = Some(reqwest::Body::from(body.into()));
    }

    /// The limit on this attempt, if any.
    pub fn timeout(&self) -> Option<Duration> {
        self.request.timeout().copied()
    }
}

/// What one attempt came to, for [`Hook::after_attempt`].
#[derive(Debug)]
pub struct AttemptOutcome<'a> {
    pub(crate) operation: &'static str,
    pub(crate) path_template: &'static str,
    pub(crate) method: &'a Method,
    pub(crate) attempt: u32,
    pub(crate) elapsed: Duration,
    pub(crate) will_retry: bool,
    pub(crate) answer: Result<Answered<'a>, &'a Error>,
}

/// A success's status, headers and (unless streamed) body.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Answered<'a> {
    pub(crate) status: StatusCode,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) body: Option<&'a [u8]>,
}

impl AttemptOutcome<'_> {
    /// The operation's method name, such as `list_users`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The operation's path template, such as `/v1/models/{model_id}`.
    pub fn path_template(&self) -> &'static str {
        self.path_template
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        self.method
    }

    /// The number of this attempt: 1 for the first, 2 for the first retry.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// How long the attempt took, hooks before it included.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }

    /// Whether the client sends another attempt after this one.
    pub fn will_retry(&self) -> bool {
        self.will_retry
    }

    /// Whether the attempt got a success answer.
    pub fn is_success(&self) -> bool {
        self.answer.is_ok()
    }

    /// The answer's status: a success's, or an error answer's (`Error::Api`, `Error::Decode`).
    pub fn status(&self) -> Option<StatusCode> {
        match &self.answer {
            Ok(answered) => Some(answered.status),
            Err(err) => err.status(),
        }
    }

    /// The answer's headers, success or error answer.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match &self.answer {
            Ok(answered) => Some(answered.headers),
            Err(Error::Api(api)) => Some(&api.headers),
            Err(_) => None,
        }
    }

    /// The answer's body, success or error answer; `None` for a stream of events, which is
    /// read after the call.
    pub fn body(&self) -> Option<&[u8]> {
        match &self.answer {
            Ok(answered) => answered.body,
            Err(Error::Api(api)) => Some(&api.body),
            Err(_) => None,
        }
    }

    /// The error the attempt ended with: an error answer, a timeout, a transport failure.
    pub fn error(&self) -> Option<&Error> {
        self.answer.as_ref().err().copied()
    }
}

//! Sending a request: one traced span per call, attempts retried as the retry policy
//! decides, and the credential attached to each attempt.

use std::future::Future;
use std::time::{Duration, Instant, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, COOKIE, HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use tracing::{Instrument, Span};

use super::client::{AuthLocation, Client};
use super::error::Error;
use super::event_stream::{self, EventStream};
use super::future::ResponseFuture;
use super::hooks::{Answered, AttemptOutcome, AttemptRequest};
use super::json_stream::{self, Framing, JsonStream};
use super::request::{Request, StreamMedia};
use super::response::{
    ApiResponse, FromSuccess, Success, classify, decode, decode_by_status, empty,
};
use super::retry::{Attempt, CallRetry, Decision, decide, jitter_source};
use super::transport::Sender;

impl Client {
    /// Sends `request` and decodes a JSON body of type `T`; generated code calls this.
    #[doc(hidden)]
    pub fn execute_json<T: DeserializeOwned>(&self, request: Request) -> ResponseFuture<'_, T> {
        ResponseFuture::whole(self.call_whole(request), decode::<T>)
    }

    /// Sends `request` and ignores the body of a success; generated code calls this.
    #[doc(hidden)]
    pub fn execute_empty(&self, request: Request) -> ResponseFuture<'_, ()> {
        ResponseFuture::whole(self.call_whole(request), |success| Ok(empty(success)))
    }

    /// Sends `request` and returns the body of a success as text; bytes that are not UTF-8
    /// are replaced by U+FFFD. Generated code calls this for `text/*` responses.
    #[doc(hidden)]
    pub fn execute_text(&self, request: Request) -> ResponseFuture<'_, String> {
        ResponseFuture::whole(self.call_whole(request), |success| {
            let text = String::from_utf8_lossy(&success.body).into_owned();
            Ok(empty(success).with_value(text))
        })
    }

    /// Sends `request` and returns the body of a success as bytes; generated code calls
    /// this for binary responses.
    #[doc(hidden)]
    pub fn execute_bytes(&self, request: Request) -> ResponseFuture<'_, bytes::Bytes> {
        ResponseFuture::whole(self.call_whole(request), |success| {
            let body = success.body.clone();
            Ok(empty(success).with_value(body))
        })
    }

    /// Sends `request` and decodes a success into `T` by its status: for operations that
    /// declare several success answers with different bodies. Generated code calls this.
    #[doc(hidden)]
    pub fn execute_by_status<T: FromSuccess>(&self, request: Request) -> ResponseFuture<'_, T> {
        ResponseFuture::whole(self.call_whole(request), decode_by_status::<T>)
    }

    /// Sends `request` with `Accept: text/event-stream` and returns the server-sent events
    /// of a success as they arrive, each one's data decoded from JSON as `T`; generated code
    /// calls this. The call's timeout and retries end when the response headers arrive.
    #[doc(hidden)]
    pub fn execute_events<T: DeserializeOwned + Send + 'static>(
        &self,
        request: Request,
    ) -> ResponseFuture<'_, EventStream<T>> {
        ResponseFuture::new(async move {
            let (request, response) = self.open_events(request).await?;
            Ok(stream_response(response, |response| {
                EventStream::of_response(response, event_stream::json::<T>, self, request)
            }))
        })
    }

    /// Like [`Client::execute_events`], with each event's data taken as text as it is.
    #[doc(hidden)]
    pub fn execute_text_events(&self, request: Request) -> ResponseFuture<'_, EventStream<String>> {
        ResponseFuture::new(async move {
            let (request, response) = self.open_events(request).await?;
            Ok(stream_response(response, |response| {
                EventStream::of_response(response, event_stream::text, self, request)
            }))
        })
    }

    /// Sends `request` with `Accept: media_type` and returns the JSON values of a success
    /// as they arrive, one per line (JSON Lines, NDJSON) or per record (JSON text
    /// sequences), each decoded as `T`; generated code calls this. The call's timeout and
    /// retries end when the response headers arrive.
    #[doc(hidden)]
    pub fn execute_json_stream<T: DeserializeOwned + Send + 'static>(
        &self,
        mut request: Request,
        media_type: &'static str,
    ) -> ResponseFuture<'_, JsonStream<T>> {
        ResponseFuture::new(async move {
            let framing = Framing::of(media_type).unwrap_or(Framing::Lines);
            let accept = HeaderValue::from_str(media_type).map_err(|_| {
                Error::InvalidRequest(format!("media type {media_type:?} is not a header value"))
            })?;
            request.stream(StreamMedia::Json(framing), accept);
            let response = self.open_stream(request).await?;
            let hide_url = self.key_in_url();
            Ok(stream_response(response, |response| {
                let status = response.status();
                let body = event_stream::chunks(response);
                JsonStream::new(status, body, framing, json_stream::json::<T>, hide_url)
            }))
        })
    }

    /// Sends a call of server-sent events up to its response headers; the request comes
    /// back as it was sent, for the stream to resume with.
    async fn open_events(
        &self,
        mut request: Request,
    ) -> Result<(Request, reqwest::Response), Error> {
        let accept = HeaderValue::from_static("text/event-stream");
        request.stream(StreamMedia::Events, accept);
        let response = self.open_stream(request.clone()).await?;
        Ok((request, response))
    }

    /// Sends a streamed call up to the response headers of its success, whose body is left
    /// unread: not generic, so that each item type adds only the reading of its stream.
    pub(crate) async fn open_stream(&self, request: Request) -> Result<reqwest::Response, Error> {
        self.traced::<Streamed>(request)
            .await
            .finish(|streamed| Ok(streamed.response))
    }

    /// The call of an answer read whole, boxed: one future type for every operation, whatever
    /// its answer decodes into, so that a crate of many operations compiles its state
    /// machine once. [`ResponseFuture`] decodes the answer and ends the call.
    fn call_whole(&self, request: Request) -> WholeCall<'_> {
        Box::pin(self.traced::<Success>(request))
    }

    /// Runs the call in its span up to its answer, recording the answer's status there;
    /// what reads the answer ends the call with [`Traced::finish`]. Generic only over the
    /// two kinds of answer (whole, or a stream not read yet), never over what the answer
    /// decodes into.
    async fn traced<A: Answer>(&self, request: Request) -> Traced<A> {
        let started = request.checked().and_then(CallTrace::start);
        let mut call = match started {
            Ok(call) => call,
            Err(error) => return Traced::failed(error),
        };
        let (sent, attempts) = self
            .with_retries::<A>(&call.request)
            .instrument(call.span.clone())
            .await;
        call.answered(sent.as_ref().map(A::status));
        Traced {
            call: Some((call, attempts)),
            sent,
        }
    }

    /// Sends attempts until one succeeds or the retry policy says stop; the hooks see each
    /// attempt's outcome before the client waits for the next.
    /// Returns the last attempt's result and the number of attempts made.
    async fn with_retries<A: Answer>(&self, request: &Request) -> (Result<A, Error>, u32) {
        let policy = &self.inner.retry;
        let call = CallRetry::new(
            policy,
            &request.method,
            request.replay_safe(),
            request.options.max_retries,
        );
        let mut retries_done = 0u32;
        loop {
            let number = retries_done.saturating_add(1);
            Span::current().record("attempt", number);
            let started = Instant::now();
            let result = A::attempt(self, request, number).await;
            let attempt = attempt_of(&result);
            let now = SystemTime::now();
            let decision = decide(policy, call, retries_done, attempt, now, jitter_source());
            let will_retry = matches!(decision, Decision::Retry { .. });
            let answer = result.as_ref().map(Answer::answered);
            self.after_hooks(request, number, started, answer, will_retry)
                .await;
            let Decision::Retry { wait, server_asked } = decision else {
                return (result, number);
            };
            tracing::info!(
                attempt = number,
                reason = %Reason(&result),
                wait_ms = millis(wait),
                server_asked,
                "retrying",
            );
            tokio::time::sleep(wait).await;
            retries_done = number;
        }
    }

    /// Runs the hooks on the request of attempt `number`, in order.
    async fn before_hooks(
        &self,
        prepared: reqwest::Request,
        request: &Request,
        number: u32,
    ) -> Result<reqwest::Request, Error> {
        if self.inner.hooks.is_empty() {
            return Ok(prepared);
        }
        let (operation, template) = (request.operation, request.path_template);
        let mut view = AttemptRequest::new(prepared, operation, template, number);
        for hook in &self.inner.hooks {
            hook.before_attempt(&mut view).await?;
        }
        Ok(view.into_inner())
    }

    /// Runs the hooks on what attempt `number` came to, in order.
    async fn after_hooks(
        &self,
        request: &Request,
        number: u32,
        started: Instant,
        answer: Result<Answered<'_>, &Error>,
        will_retry: bool,
    ) {
        if self.inner.hooks.is_empty() {
            return;
        }
        let outcome = AttemptOutcome {
            operation: request.operation,
            path_template: request.path_template,
            method: &request.method,
            attempt: number,
            elapsed: started.elapsed(),
            will_retry,
            answer,
        };
        for hook in &self.inner.hooks {
            hook.after_attempt(&outcome).await;
        }
    }

    /// Sends a prepared attempt: over the network, or through the caller's transport.
    async fn send_prepared(&self, prepared: reqwest::Request) -> Result<reqwest::Response, Error> {
        match &self.inner.sender {
            Sender::Http => self
                .inner
                .http
                .execute(prepared)
                .await
                .map_err(|e| self.transport(e)),
            Sender::Custom(transport) => transport.send(prepared).await,
        }
    }

    /// The request of attempt `number`, built and seen by the hooks.
    async fn prepared(
        &self,
        request: &Request,
        number: u32,
        timeout: Option<Duration>,
    ) -> Result<reqwest::Request, Error> {
        let mut prepared = self
            .prepare(request)?
            .build()
            .map_err(|e| self.transport(e))?;
        *prepared.timeout_mut() = timeout;
        self.before_hooks(prepared, request, number).await
    }

    /// Sends one attempt and reads the whole response, within the call's timeout
    /// (reqwest's, from connecting to the last byte of the body).
    async fn attempt(&self, request: &Request, number: u32) -> Result<Success, Error> {
        let prepared = self
            .prepared(request, number, self.timeout_of(request))
            .await?;
        let response = self.send_prepared(prepared).await?;
        self.read_whole(response).await
    }

    /// Sends one attempt of a streamed call. Its timeout covers the wait for the response
    /// headers, and the reading of an error answer's body, but not the stream of a success:
    /// reqwest's timeout would cut the stream at that time after the start.
    async fn attempt_streamed(&self, request: &Request, number: u32) -> Result<Streamed, Error> {
        let prepared = self.prepared(request, number, None).await?;
        let answer = async {
            let response = self.send_prepared(prepared).await?;
            let media = request.streamed.unwrap_or(StreamMedia::Events);
            let content_type = response.headers().get(reqwest::header::CONTENT_TYPE);
            if response.status().is_success() && media.accepts(content_type) {
                return Ok(Streamed { response });
            }
            let success = self.read_whole(response).await?;
            Err(not_a_stream(success, media))
        };
        match self.timeout_of(request) {
            Some(limit) => tokio::time::timeout(limit, answer)
                .await
                .unwrap_or(Err(Error::HeadersTimeout(limit))),
            None => answer.await,
        }
    }

    /// Reads a whole response: a success, or the error its status says.
    async fn read_whole(&self, mut response: reqwest::Response) -> Result<Success, Error> {
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let body = response.bytes().await.map_err(|e| self.transport(e))?;
        let defaults = self.inner.defaults;
        let fields = (defaults.error_code_field, defaults.error_message_field);
        classify(status, headers, body, fields)
    }

    /// The limit on each attempt of this call: its own, else the client's.
    fn timeout_of(&self, request: &Request) -> Option<Duration> {
        request.options.timeout.or(self.inner.timeout)
    }

    /// Whether the key travels in the query, so that URLs must be kept out of errors.
    pub(crate) fn key_in_url(&self) -> bool {
        self.inner.credential.is_some()
            && matches!(
                self.inner.scheme.map(|s| s.location),
                Some(AuthLocation::Query(_))
            )
    }

    /// A transport failure; without its URL when the key travels in the query.
    fn transport(&self, err: reqwest::Error) -> Error {
        Error::from_reqwest(if self.key_in_url() {
            err.without_url()
        } else {
            err
        })
    }

    /// The request of one attempt. Headers, weakest first: the client's defaults, the
    /// operation's header parameters, the credential, the call's own headers.
    fn prepare(&self, request: &Request) -> Result<reqwest::RequestBuilder, Error> {
        let options = &request.options;
        // A page named by a `Link` header carries its whole query already.
        let (url, mut query) = match &request.page_url {
            Some(url) => (url.to_string(), Vec::new()),
            None => {
                let mut query = request.query.clone();
                query.extend(options.query.iter().cloned());
                (format!("{}{}", self.inner.base_url, request.path), query)
            }
        };
        let mut headers = self.inner.default_headers.clone();
        headers.extend(request.headers.clone());
        if request.authenticated {
            self.authenticate(&mut headers, &mut query)?;
        }
        for (name, _) in &options.headers {
            headers.remove(name);
        }
        for (name, value) in &options.headers {
            headers.append(name.clone(), value.clone());
        }
        let mut builder = self
            .inner
            .http
            .request(request.method.clone(), url)
            .headers(headers);
        if !query.is_empty() {
            builder = builder.query(&query);
        }
        if let Some((content_type, body)) = &request.body {
            builder = builder
                .header(reqwest::header::CONTENT_TYPE, *content_type)
                .body(body.clone());
        }
        if let Some(cookie) = request.cookie_header() {
            builder = builder.header(COOKIE, cookie);
        }
        if let Some(credential) = self.basic_credential(request) {
            let (user, password) = credential.split_once(':').unwrap_or((credential, ""));
            builder = builder.basic_auth(user, Some(password).filter(|p| !p.is_empty()));
        }
        if let Some(multipart) = &request.multipart {
            let form = multipart.to_form();
            let content_type = multipart.content_type(form.boundary());
            builder = builder.multipart(form);
            if let Some(content_type) = content_type {
                let value =
                    reqwest::header::HeaderValue::from_str(&content_type).map_err(|_| {
                        Error::InvalidRequest(format!(
                            "media type {content_type:?} is not a header value"
                        ))
                    })?;
                let mut replaced = HeaderMap::new();
                replaced.insert(reqwest::header::CONTENT_TYPE, value);
                // `headers` replaces the form's own `multipart/form-data`.
                builder = builder.headers(replaced);
            }
        }
        Ok(builder)
    }

    /// The key, when this request authenticates with HTTP Basic.
    fn basic_credential(&self, request: &Request) -> Option<&str> {
        let scheme = self.inner.scheme?;
        let credential = self.inner.credential.as_ref()?;
        (request.authenticated && matches!(scheme.location, AuthLocation::Basic))
            .then_some(credential.0.as_str())
    }

    fn authenticate(
        &self,
        headers: &mut HeaderMap,
        query: &mut Vec<(String, String)>,
    ) -> Result<(), Error> {
        let (Some(credential), Some(scheme)) = (&self.inner.credential, self.inner.scheme) else {
            return Ok(());
        };
        let value = match scheme.prefix {
            Some(prefix) => format!("{prefix} {}", credential.0),
            None => credential.0.clone(),
        };
        match scheme.location {
            AuthLocation::Header(name) => {
                let name = header_name(name)?;
                headers.insert(name, secret_header(&value)?);
            }
            AuthLocation::Query(name) => query.push((name.to_owned(), value)),
            AuthLocation::Cookie(name) => {
                headers.append(COOKIE, secret_header(&format!("{name}={value}"))?);
            }
            // Added to the request builder by `basic_auth`, which encodes it.
            AuthLocation::Basic => {}
        }
        Ok(())
    }
}

/// A call's request with its span and clock, from its start to its log line.
///
/// The span, `api_call`, carries `operation`, `method`, `path` (the template, never the
/// values), `attempt` (the number of the last attempt), `status` (of the last attempt, when
/// it got an answer) and `latency_ms` of the whole call, retries and waits included (for a
/// stream of events, until its response headers arrived).
struct CallTrace {
    request: Request,
    span: Span,
    started: Instant,
    status: Option<u16>,
}

impl CallTrace {
    /// Attaches the call's idempotency key (one for every attempt) and opens its span.
    fn start(mut request: Request) -> Result<CallTrace, Error> {
        request.attach_idempotency_key()?;
        let span = tracing::info_span!(
            "api_call",
            operation = request.operation,
            method = %request.method,
            path = request.path_template,
            status = tracing::field::Empty,
            attempt = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        Ok(CallTrace {
            request,
            span,
            started: Instant::now(),
            status: None,
        })
    }

    /// Records the status of the last attempt, when it got an answer.
    fn answered(&mut self, sent: Result<StatusCode, &Error>) {
        self.status = match sent {
            Ok(status) => Some(status),
            Err(err) => err.status(),
        }
        .map(|status| status.as_u16());
        if let Some(status) = self.status {
            self.span.record("status", status);
        }
    }

    /// Records the latency and logs the call's outcome.
    fn end(self, attempts: u32, error: Option<&Error>) {
        let latency_ms = millis(self.started.elapsed());
        self.span.record("latency_ms", latency_ms);
        let (operation, status) = (self.request.operation, self.status);
        self.span.in_scope(|| {
            // One INFO event per call, so that `RUST_LOG=info` shows every call; what went
            // wrong, which may quote the answer, only at DEBUG.
            let outcome = if error.is_none() { "ok" } else { "error" };
            tracing::info!(
                operation,
                status,
                attempt = attempts,
                latency_ms,
                outcome,
                "call finished"
            );
            if let Some(err) = error {
                tracing::debug!(error = %err, "call failed");
            }
        });
    }
}

/// The boxed call of an answer read whole: what [`ResponseFuture`] polls.
pub(crate) type WholeCall<'a> =
    std::pin::Pin<Box<dyn Future<Output = Traced<Success>> + Send + 'a>>;

/// A call that has its answer (or failed), not ended yet: whoever reads the answer ends it
/// with [`Traced::finish`], which logs the outcome of the reading too.
pub(crate) struct Traced<A> {
    /// The call and its number of attempts; `None` when it failed before it started (a
    /// request that cannot be sent), which is neither traced nor logged.
    call: Option<(CallTrace, u32)>,
    sent: Result<A, Error>,
}

impl<A> Traced<A> {
    fn failed(error: Error) -> Self {
        Traced {
            call: None,
            sent: Err(error),
        }
    }

    /// Reads the answer with `read`, then records the call's latency and logs its outcome.
    pub(crate) fn finish<T>(self, read: impl FnOnce(A) -> Result<T, Error>) -> Result<T, Error> {
        let result = self.sent.and_then(read);
        if let Some((call, attempts)) = self.call {
            call.end(attempts, result.as_ref().err());
        }
        result
    }
}

/// What an attempt brings back when it succeeds: the whole response, or the start of a
/// stream of events.
trait Answer: Sized {
    /// Sends attempt `number` of `request`.
    fn attempt(
        client: &Client,
        request: &Request,
        number: u32,
    ) -> impl Future<Output = Result<Self, Error>> + Send;

    /// The status of the response.
    fn status(&self) -> StatusCode;

    /// What the hooks see of it.
    fn answered(&self) -> Answered<'_>;
}

impl Answer for Success {
    fn attempt(
        client: &Client,
        request: &Request,
        number: u32,
    ) -> impl Future<Output = Result<Self, Error>> + Send {
        client.attempt(request, number)
    }

    fn status(&self) -> StatusCode {
        self.status
    }

    fn answered(&self) -> Answered<'_> {
        Answered {
            status: self.status,
            headers: &self.headers,
            body: Some(&self.body),
        }
    }
}

/// A success whose body is a stream of events, not read yet.
struct Streamed {
    response: reqwest::Response,
}

impl Answer for Streamed {
    fn attempt(
        client: &Client,
        request: &Request,
        number: u32,
    ) -> impl Future<Output = Result<Self, Error>> + Send {
        client.attempt_streamed(request, number)
    }

    fn status(&self) -> StatusCode {
        self.response.status()
    }

    fn answered(&self) -> Answered<'_> {
        Answered {
            status: self.response.status(),
            headers: self.response.headers(),
            body: None,
        }
    }
}

/// A streamed success as the call returns it: its status, its headers, and its body made
/// into a stream by `stream`.
fn stream_response<S>(
    mut response: reqwest::Response,
    stream: impl FnOnce(reqwest::Response) -> S,
) -> ApiResponse<S> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    ApiResponse {
        status,
        headers,
        value: stream(response),
    }
}

/// A success that is not the stream asked for (a server that ignored `Accept`, or a request
/// that did not ask the API to stream), as a decoding error with its body.
fn not_a_stream(success: Success, media: StreamMedia) -> Error {
    let media_type = success
        .headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    Error::Decode {
        status: success.status,
        body: success.body,
        source: serde::de::Error::custom(format!(
            "expected {} response, got {media_type}",
            media.describe()
        )),
    }
}

/// What an attempt's result means for retrying. `reqwest` reports a failure to connect
/// (DNS, refused, TLS handshake, connect timeout) with `is_connect`: nothing was sent.
fn attempt_of<A>(result: &Result<A, Error>) -> Attempt<'_> {
    match result {
        Err(Error::Transport(err) | Error::Timeout(err)) if err.is_connect() => Attempt::NotSent,
        Err(Error::Transport(err)) if err.is_builder() || err.is_redirect() => Attempt::Done,
        Err(Error::Transport(_) | Error::Timeout(_) | Error::HeadersTimeout(_)) => Attempt::Lost,
        Err(Error::Api(api)) => Attempt::Answered {
            status: api.status,
            headers: &api.headers,
            body: &api.body,
        },
        Ok(_) | Err(_) => Attempt::Done,
    }
}

/// Why an attempt is retried, for the log: a kind and a status, never a URL or a body.
struct Reason<'a, A>(&'a Result<A, Error>);

impl<A> std::fmt::Display for Reason<'_, A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Err(Error::Api(api)) => write!(f, "HTTP {}", api.status),
            Err(Error::Timeout(_) | Error::HeadersTimeout(_)) => f.write_str("timed out"),
            Err(Error::Transport(err)) if err.is_connect() => f.write_str("could not connect"),
            Err(Error::Transport(_)) => f.write_str("connection lost"),
            Ok(_) | Err(_) => f.write_str("failed"),
        }
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

fn header_name(name: &str) -> Result<HeaderName, Error> {
    if name.eq_ignore_ascii_case("authorization") {
        return Ok(AUTHORIZATION);
    }
    HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| Error::Config(format!("invalid header name {name:?}")))
}

/// A header value marked sensitive, so that HTTP/2 never indexes it and `Debug` hides it.
fn secret_header(value: &str) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::from_str(value).map_err(|_| {
        Error::Config("the API key contains characters not allowed in a header".into())
    })?;
    value.set_sensitive(true);
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_is_told_by_its_media_type_or_its_absence() {
        let accepts = |media: StreamMedia, value: &'static str| {
            media.accepts(Some(&HeaderValue::from_static(value)))
        };
        let lines = StreamMedia::Json(Framing::Lines);
        let records = StreamMedia::Json(Framing::Records);
        assert!(accepts(StreamMedia::Events, "text/event-stream"));
        assert!(accepts(
            StreamMedia::Events,
            "Text/Event-Stream; charset=utf-8"
        ));
        assert!(!accepts(StreamMedia::Events, "application/json"));
        assert!(!accepts(StreamMedia::Events, "text/plain"));
        assert!(accepts(lines, "application/x-ndjson"));
        assert!(accepts(lines, "application/jsonl; charset=utf-8"));
        assert!(!accepts(lines, "application/json"));
        assert!(!accepts(lines, "application/json-seq"));
        assert!(accepts(records, "application/json-seq"));
        assert!(!accepts(records, "application/jsonl"));
        for media in [StreamMedia::Events, lines, records] {
            assert!(media.accepts(None));
        }
    }

    #[test]
    fn a_success_that_is_not_the_stream_asked_for_keeps_its_body_and_says_what_it_was() {
        let success = || {
            let mut headers = HeaderMap::new();
            headers.insert(
                reqwest::header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            Success {
                status: StatusCode::OK,
                headers,
                body: bytes::Bytes::from_static(b"{}"),
            }
        };
        let err = not_a_stream(success(), StreamMedia::Events);
        assert_eq!(
            err.to_string(),
            "could not decode the 200 OK response body: \
             expected a text/event-stream response, got application/json"
        );
        assert!(matches!(err, Error::Decode { ref body, .. } if &body[..] == b"{}"));
        let err = not_a_stream(success(), StreamMedia::Json(Framing::Lines));
        assert!(
            err.to_string()
                .ends_with("expected a JSON Lines response, got application/json"),
            "{err}"
        );
    }

    #[test]
    fn a_headers_timeout_is_a_lost_attempt_and_reads_as_a_timeout() {
        let result: Result<(), Error> = Err(Error::HeadersTimeout(Duration::from_secs(2)));
        assert!(matches!(attempt_of(&result), Attempt::Lost));
        assert_eq!(Reason(&result).to_string(), "timed out");
        let err = Error::HeadersTimeout(Duration::from_millis(1500));
        assert!(err.is_timeout());
        assert_eq!(err.status(), None);
        assert_eq!(
            err.to_string(),
            "request timed out: no response headers within 1500 ms"
        );
    }
}

//! Sending a request: one traced span per call, attempts retried as the retry policy
//! decides, and the credential attached to each attempt.

use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{AUTHORIZATION, COOKIE, HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use tracing::{Instrument, Span};

use super::client::{AuthLocation, Client};
use super::error::Error;
use super::request::Request;
use super::response::{
    ApiResponse, FromSuccess, Success, classify, decode, decode_by_status, empty,
};
use super::retry::{Attempt, CallRetry, Decision, decide, jitter_source};

impl Client {
    /// Sends `request` and decodes a JSON body of type `T`; generated code calls this.
    #[doc(hidden)]
    pub async fn execute_json<T: DeserializeOwned>(
        &self,
        request: Request,
    ) -> Result<ApiResponse<T>, Error> {
        self.traced(request, decode).await
    }

    /// Sends `request` and ignores the body of a success; generated code calls this.
    #[doc(hidden)]
    pub async fn execute_empty(&self, request: Request) -> Result<ApiResponse<()>, Error> {
        self.traced(request, |success| Ok(empty(success))).await
    }

    /// Sends `request` and returns the body of a success as text; bytes that are not UTF-8
    /// are replaced by U+FFFD. Generated code calls this for `text/*` responses.
    #[doc(hidden)]
    pub async fn execute_text(&self, request: Request) -> Result<ApiResponse<String>, Error> {
        self.traced(request, |success| {
            let text = String::from_utf8_lossy(&success.body).into_owned();
            Ok(empty(success).with_value(text))
        })
        .await
    }

    /// Sends `request` and returns the body of a success as bytes; generated code calls
    /// this for binary responses.
    #[doc(hidden)]
    pub async fn execute_bytes(
        &self,
        request: Request,
    ) -> Result<ApiResponse<bytes::Bytes>, Error> {
        self.traced(request, |success| {
            let body = success.body.clone();
            Ok(empty(success).with_value(body))
        })
        .await
    }

    /// Sends `request` and decodes a success into `T` by its status: for operations that
    /// declare several success answers with different bodies. Generated code calls this.
    #[doc(hidden)]
    pub async fn execute_by_status<T: FromSuccess>(
        &self,
        request: Request,
    ) -> Result<ApiResponse<T>, Error> {
        self.traced(request, decode_by_status).await
    }

    /// Runs the call in its span, then records its latency and outcome there.
    ///
    /// The span, `api_call`, carries `operation`, `method`, `path` (the template, never
    /// the values), `attempt` (the number of the last attempt), `status` (of the last
    /// attempt, when it got an answer) and `latency_ms` of the whole call, retries and
    /// waits included.
    async fn traced<T>(
        &self,
        request: Request,
        finish: impl FnOnce(Success) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let span = tracing::info_span!(
            "api_call",
            operation = request.operation,
            method = %request.method,
            path = request.path_template,
            status = tracing::field::Empty,
            attempt = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let sent = self.with_retries(&request).instrument(span.clone()).await;
        let status = match &sent {
            Ok(success) => Some(success.status),
            Err(err) => err.status(),
        };
        if let Some(status) = status {
            span.record("status", status.as_u16());
        }
        let result = sent.and_then(finish);
        span.record("latency_ms", millis(started.elapsed()));
        span.in_scope(|| match &result {
            Ok(_) => tracing::debug!("call succeeded"),
            Err(err) => tracing::debug!(error = %err, "call failed"),
        });
        result
    }

    /// Sends attempts until one succeeds or the retry policy says stop.
    async fn with_retries(&self, request: &Request) -> Result<Success, Error> {
        let policy = &self.inner.retry;
        let opted_in = request.retry_non_idempotent || request.options.retry_non_idempotent;
        let call = CallRetry::new(
            policy,
            &request.method,
            opted_in,
            request.options.max_retries,
        );
        let mut retries_done = 0u32;
        loop {
            Span::current().record("attempt", retries_done.saturating_add(1));
            let result = self.attempt(request).await;
            let attempt = attempt_of(&result);
            let now = SystemTime::now();
            let decision = decide(policy, call, retries_done, attempt, now, jitter_source());
            let Decision::Retry { wait, server_asked } = decision else {
                return result;
            };
            tracing::info!(
                attempt = retries_done.saturating_add(1),
                reason = %Reason(&result),
                wait_ms = millis(wait),
                server_asked,
                "retrying",
            );
            tokio::time::sleep(wait).await;
            retries_done = retries_done.saturating_add(1);
        }
    }

    /// Sends one attempt and reads the whole response.
    async fn attempt(&self, request: &Request) -> Result<Success, Error> {
        let builder = self.prepare(request)?;
        let mut response = builder.send().await.map_err(|e| self.transport(e))?;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let body = response.bytes().await.map_err(|e| self.transport(e))?;
        let defaults = self.inner.defaults;
        let fields = (defaults.error_code_field, defaults.error_message_field);
        classify(status, headers, body, fields)
    }

    /// A transport failure; without its URL when the key travels in the query.
    fn transport(&self, err: reqwest::Error) -> Error {
        let key_in_url = self.inner.credential.is_some()
            && matches!(
                self.inner.scheme.map(|s| s.location),
                Some(AuthLocation::Query(_))
            );
        Error::from_reqwest(if key_in_url { err.without_url() } else { err })
    }

    /// The request of one attempt. Headers, weakest first: the client's defaults, the
    /// operation's header parameters, the credential, the call's own headers.
    fn prepare(&self, request: &Request) -> Result<reqwest::RequestBuilder, Error> {
        let url = format!("{}{}", self.inner.base_url, request.path);
        let options = &request.options;
        let mut query = request.query.clone();
        query.extend(options.query.iter().cloned());
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
        if let Some(timeout) = options.timeout.or(self.inner.timeout) {
            builder = builder.timeout(timeout);
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
        if let Some(form) = &request.multipart {
            builder = builder.multipart(form.to_form());
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

/// What an attempt's result means for retrying. `reqwest` reports a failure to connect
/// (DNS, refused, TLS handshake, connect timeout) with `is_connect`: nothing was sent.
fn attempt_of(result: &Result<Success, Error>) -> Attempt<'_> {
    match result {
        Err(Error::Transport(err) | Error::Timeout(err)) if err.is_connect() => Attempt::NotSent,
        Err(Error::Transport(err)) if err.is_builder() || err.is_redirect() => Attempt::Done,
        Err(Error::Transport(_) | Error::Timeout(_)) => Attempt::Lost,
        Err(Error::Api(api)) => Attempt::Answered {
            status: api.status,
            headers: &api.headers,
            body: &api.body,
        },
        Ok(_) | Err(_) => Attempt::Done,
    }
}

/// Why an attempt is retried, for the log: a kind and a status, never a URL or a body.
struct Reason<'a>(&'a Result<Success, Error>);

impl std::fmt::Display for Reason<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Err(Error::Api(api)) => write!(f, "HTTP {}", api.status),
            Err(Error::Timeout(_)) => f.write_str("timed out"),
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

//! One request as generated code describes it, and the options a caller can add to any call.

use std::time::Duration;

use bytes::Bytes;
use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;

use super::error::Error;
use super::multipart::Multipart;

/// Settings a caller can give a single call, on top of the client's.
///
/// ```text
/// let options = RequestOptions::new()
///     .timeout(Duration::from_secs(5))
///     .max_retries(5)
///     .retry_non_idempotent()
///     .header("X-Request-Id", "abc-123")
///     .query("debug", "true");
/// ```
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct RequestOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) retry_non_idempotent: bool,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) invalid: Option<String>,
}

impl RequestOptions {
    /// No overrides: the client's settings apply.
    pub fn new() -> Self {
        Self::default()
    }

    /// Limit on each attempt of this call, replacing the client's timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Retries allowed for this call, replacing the client's setting.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// Allows retrying this call although its method (`POST`, `PATCH`) is not idempotent:
    /// say so when sending it twice does no harm, for example with an idempotency key.
    /// Without it such a call is retried only when its connection could not be made.
    pub fn retry_non_idempotent(mut self) -> Self {
        self.retry_non_idempotent = true;
        self
    }

    /// An extra header for this call, replacing a client default of the same name. An invalid name or value makes the call fail with
    /// `Error::InvalidRequest` before anything is sent.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let parsed_name = HeaderName::from_bytes(name.as_bytes());
        let parsed_value = HeaderValue::from_str(value);
        match (parsed_name, parsed_value) {
            (Ok(name), Ok(value)) => self.headers.push((name, value)),
            (Err(_), _) => self.invalid = Some(format!("invalid header name {name:?}")),
            (_, Err(_)) => self.invalid = Some(format!("invalid value for header {name:?}")),
        }
        self
    }

    /// An extra query parameter for this call.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// The retries allowed for this call, if set.
    pub fn retries(&self) -> Option<u32> {
        self.max_retries
    }
}

/// A request as a generated operation describes it; generated code builds these.
#[doc(hidden)]
#[derive(Debug)]
pub struct Request {
    pub(crate) operation: &'static str,
    pub(crate) method: Method,
    pub(crate) path_template: &'static str,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<(&'static str, Bytes)>,
    pub(crate) multipart: Option<Multipart>,
    pub(crate) authenticated: bool,
    pub(crate) retry_non_idempotent: bool,
    pub(crate) options: RequestOptions,
}

impl Request {
    /// A request for `operation`, sent with `method` to `path` (already encoded), which
    /// was filled in from `path_template`.
    pub fn new(
        operation: &'static str,
        method: Method,
        path_template: &'static str,
        path: String,
    ) -> Self {
        Request {
            operation,
            method,
            path_template,
            path,
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: None,
            multipart: None,
            authenticated: false,
            retry_non_idempotent: false,
            options: RequestOptions::default(),
        }
    }

    /// The operation's name, for logs and errors.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The path template, for logs.
    pub fn path_template(&self) -> &'static str {
        self.path_template
    }

    /// Adds a query parameter.
    pub fn query(&mut self, name: &str, value: impl ToString) {
        self.query.push((name.to_owned(), value.to_string()));
    }

    /// Adds a header parameter.
    pub fn header(&mut self, name: &'static str, value: impl ToString) -> Result<(), Error> {
        let name = HeaderName::from_static_checked(name)?;
        let value = HeaderValue::from_str(&value.to_string()).map_err(|_| {
            Error::InvalidRequest(format!("header {name}: value not allowed in a header"))
        })?;
        self.headers.append(name, value);
        Ok(())
    }

    /// Sends `body` as JSON.
    pub fn json_body<T: Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body).map_err(|err| {
            Error::InvalidRequest(format!("the request body does not serialize: {err}"))
        })?;
        self.body = Some(("application/json", Bytes::from(bytes)));
        Ok(())
    }

    /// Sends `body` as JSON with another JSON media type (`application/merge-patch+json`).
    pub fn json_body_as<T: Serialize + ?Sized>(
        &mut self,
        media_type: &'static str,
        body: &T,
    ) -> Result<(), Error> {
        self.json_body(body)?;
        if let Some((_, bytes)) = self.body.take() {
            self.body = Some((media_type, bytes));
        }
        Ok(())
    }

    /// Sends `body` as `application/x-www-form-urlencoded`; nested objects and arrays use
    /// brackets (`metadata[key]=value`, `items[0]=a`), as form-encoded APIs expect.
    pub fn form_body<T: Serialize>(&mut self, body: &T) -> Result<(), Error> {
        let text = serde_qs::to_string(body).map_err(|err| {
            Error::InvalidRequest(format!("the request body does not form-encode: {err}"))
        })?;
        self.body = Some(("application/x-www-form-urlencoded", Bytes::from(text)));
        Ok(())
    }

    /// Sends `form` as `multipart/form-data`.
    pub fn multipart_body(&mut self, form: Multipart) {
        self.multipart = Some(form);
    }

    /// Sends `body` as it is, with this media type (text or binary bodies).
    pub fn raw_body(&mut self, media_type: &'static str, body: impl Into<Bytes>) {
        self.body = Some((media_type, body.into()));
    }

    /// Attaches the client's credential when the request is sent.
    pub fn authenticated(&mut self) {
        self.authenticated = true;
    }

    /// Marks the operation as safe to retry although its method is not idempotent.
    pub fn retry_non_idempotent(&mut self) {
        self.retry_non_idempotent = true;
    }

    /// Applies a caller's per-call options.
    pub fn options(&mut self, options: RequestOptions) -> Result<(), Error> {
        if let Some(problem) = &options.invalid {
            return Err(Error::InvalidRequest(problem.clone()));
        }
        self.options = options;
        Ok(())
    }
}

trait FromStaticChecked: Sized {
    fn from_static_checked(name: &'static str) -> Result<Self, Error>;
}

impl FromStaticChecked for HeaderName {
    fn from_static_checked(name: &'static str) -> Result<Self, Error> {
        HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| Error::InvalidRequest(format!("invalid header name {name:?}")))
    }
}

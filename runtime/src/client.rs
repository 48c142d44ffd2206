//! The client: configuration from the builder, credentials kept out of every `Debug` and
//! `Display`, and the execution of one request.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{AUTHORIZATION, COOKIE, HeaderMap, HeaderName, HeaderValue};
use reqwest::{StatusCode, Url};
use serde::de::DeserializeOwned;

use super::error::{ApiError, Error};
use super::request::Request;

/// What the spec and its settings say about the API, fixed when the client is generated.
#[derive(Debug)]
pub struct ApiDefaults {
    /// The first absolute server URL of the spec, or `""` when it declares none.
    pub base_url: &'static str,
    /// Environment variable read by `Client::from_env`, if any.
    pub api_key_env: Option<&'static str>,
    /// Ways to send the key, the default first.
    pub auth: &'static [AuthScheme],
    /// `User-Agent` sent with every request.
    pub user_agent: &'static str,
    /// Field of an error body holding the error code.
    pub error_code_field: &'static str,
    /// Field of an error body holding the error message.
    pub error_message_field: &'static str,
}

/// One way of sending the API key, from the spec's `securitySchemes`.
#[derive(Debug)]
pub struct AuthScheme {
    /// The scheme's name in the spec, e.g. `ApiKeyAuth` or `BearerAuth`.
    pub name: &'static str,
    /// Where the key travels.
    pub location: AuthLocation,
    /// Word sent before the key, e.g. `Bearer` or `Api-Key`.
    pub prefix: Option<&'static str>,
}

/// Where a key travels.
#[derive(Debug, Clone, Copy)]
pub enum AuthLocation {
    /// In the header of this name.
    Header(&'static str),
    /// In the query parameter of this name.
    Query(&'static str),
    /// In the cookie of this name.
    Cookie(&'static str),
}

/// A secret that shows as `<redacted>` wherever it is printed.
#[derive(Clone)]
struct Credential(String);

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A client for the API. Cheap to clone: clones share one connection pool.
///
/// Create one with `Client::new(key)`, `Client::from_env()` or `Client::builder()`.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    credential: Option<Credential>,
    scheme: Option<&'static AuthScheme>,
    timeout: Option<Duration>,
    max_retries: u32,
    defaults: &'static ApiDefaults,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &inner.base_url)
            .field("auth_scheme", &inner.scheme.map(|s| s.name))
            .field("credential", &inner.credential)
            .field("timeout", &inner.timeout)
            .field("max_retries", &inner.max_retries)
            .finish_non_exhaustive()
    }
}

/// Default number of retries of a failed request; see `ClientBuilder::max_retries`.
pub const DEFAULT_MAX_RETRIES: u32 = 2;

/// Builds a [`Client`]; every setting has a default, see each method.
#[must_use]
pub struct ClientBuilder {
    defaults: &'static ApiDefaults,
    api_key: Option<Credential>,
    base_url: Option<String>,
    scheme: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    max_retries: u32,
    http: Option<reqwest::Client>,
    allow_insecure_http: bool,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key)
            .field("base_url", &self.base_url)
            .field("scheme", &self.scheme)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// A builder for an API described by `defaults`; generated code calls this.
    #[doc(hidden)]
    pub fn new(defaults: &'static ApiDefaults) -> Self {
        ClientBuilder {
            defaults,
            api_key: None,
            base_url: None,
            scheme: None,
            timeout: None,
            connect_timeout: None,
            max_retries: DEFAULT_MAX_RETRIES,
            http: None,
            allow_insecure_http: false,
        }
    }

    /// The API key. Without one, requests are sent without credentials.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(Credential(key.into()));
        self
    }

    /// The base URL requests are sent to. Default: the first server of the spec.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Sends the key with the named security scheme of the spec instead of the default one.
    pub fn auth_scheme(mut self, name: impl Into<String>) -> Self {
        self.scheme = Some(name.into());
        self
    }

    /// Limit on the whole request, from connecting to reading the last byte of the body.
    /// Default: none. A request that runs over it fails with `Error::Timeout`.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Limit on establishing a connection. Default: none. Ignored with `http_client`.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// How many times a failed request may be retried. Default: 2.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// Sends requests with this `reqwest::Client` (its proxy, TLS and pool settings).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Allows sending the key over plain `http://` to a host other than loopback.
    /// Default: refused, since anyone on the path could read the key.
    pub fn allow_insecure_http(mut self) -> Self {
        self.allow_insecure_http = true;
        self
    }

    /// Checks the settings and builds the client.
    ///
    /// Fails with `Error::Config` when the base URL is not an absolute `http(s)` URL, when
    /// the key would go over plain `http://` to a remote host, when the auth scheme is not
    /// one of the spec's, or when the HTTP client cannot be built.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = self.checked_base_url()?;
        let scheme = self.checked_scheme()?;
        let http = match self.http {
            Some(http) => http,
            None => build_http(self.defaults, self.connect_timeout)?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                credential: self.api_key,
                scheme,
                timeout: self.timeout,
                max_retries: self.max_retries,
                defaults: self.defaults,
            }),
        })
    }

    fn checked_base_url(&self) -> Result<String, Error> {
        let raw = self.base_url.as_deref().unwrap_or(self.defaults.base_url);
        if raw.is_empty() {
            return Err(Error::Config(
                "no base URL: the spec declares no absolute server URL; set one with `base_url`"
                    .into(),
            ));
        }
        let url =
            Url::parse(raw).map_err(|err| Error::Config(format!("base URL {raw:?}: {err}")))?;
        match url.scheme() {
            "https" => {}
            "http" if self.api_key.is_none() || self.allow_insecure_http || is_loopback(&url) => {}
            "http" => {
                return Err(Error::Config(format!(
                    "refusing to send the API key over plain http to {raw:?}; use https, or call `allow_insecure_http`"
                )));
            }
            other => {
                return Err(Error::Config(format!(
                    "base URL {raw:?}: unsupported scheme {other:?}"
                )));
            }
        }
        Ok(raw.trim_end_matches('/').to_owned())
    }

    fn checked_scheme(&self) -> Result<Option<&'static AuthScheme>, Error> {
        let schemes = self.defaults.auth;
        let Some(wanted) = &self.scheme else {
            return Ok(schemes.first());
        };
        match schemes.iter().find(|s| s.name == wanted) {
            Some(scheme) => Ok(Some(scheme)),
            None => {
                let known: Vec<&str> = schemes.iter().map(|s| s.name).collect();
                Err(Error::Config(format!(
                    "unknown auth scheme {wanted:?}; the spec declares {known:?}"
                )))
            }
        }
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

fn build_http(
    defaults: &ApiDefaults,
    connect_timeout: Option<Duration>,
) -> Result<reqwest::Client, Error> {
    let mut builder = reqwest::Client::builder().user_agent(defaults.user_agent);
    if let Some(timeout) = connect_timeout {
        builder = builder.connect_timeout(timeout);
    }
    builder
        .build()
        .map_err(|err| Error::Config(format!("cannot build the HTTP client: {err}")))
}

/// A response with a success status, before its body is decoded.
struct Success {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

/// A decoded success together with its status and headers (for example a request id).
///
/// Returned by the `send_with_response` method of every request.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiResponse<T> {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The decoded body.
    pub value: T,
}

impl Client {
    /// A client for `defaults` with this key and every other setting at its default.
    ///
    /// # Panics
    /// When the default base URL is invalid or the TLS backend cannot be initialized;
    /// generated defaults are checked when the client is generated.
    #[doc(hidden)]
    pub fn with_defaults(defaults: &'static ApiDefaults, key: String) -> Self {
        match ClientBuilder::new(defaults).api_key(key).build() {
            Ok(client) => client,
            Err(err) => panic!("{err}"),
        }
    }

    /// A client configured from the environment variable named in `defaults`.
    #[doc(hidden)]
    pub fn from_env_with(defaults: &'static ApiDefaults) -> Result<Self, Error> {
        let Some(var) = defaults.api_key_env else {
            return Err(Error::Config(
                "this API names no environment variable for its key".into(),
            ));
        };
        match std::env::var(var) {
            Ok(key) if !key.is_empty() => ClientBuilder::new(defaults).api_key(key).build(),
            Ok(_) => Err(Error::Config(format!(
                "environment variable {var} is empty"
            ))),
            Err(_) => Err(Error::Config(format!(
                "environment variable {var} is not set"
            ))),
        }
    }

    /// The base URL requests go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The number of retries allowed for a failed request.
    pub fn max_retries(&self) -> u32 {
        self.inner.max_retries
    }

    /// Sends `request` and decodes a JSON body of type `T`; generated code calls this.
    #[doc(hidden)]
    pub async fn execute_json<T: DeserializeOwned>(
        &self,
        request: Request,
    ) -> Result<ApiResponse<T>, Error> {
        let Success {
            status,
            headers,
            body,
        } = self.execute(request).await?;
        match serde_json::from_slice(&body) {
            Ok(value) => Ok(ApiResponse {
                status,
                headers,
                value,
            }),
            Err(source) => Err(Error::Decode {
                status,
                body,
                source,
            }),
        }
    }

    /// Sends `request` and ignores the body of a success; generated code calls this.
    #[doc(hidden)]
    pub async fn execute_empty(&self, request: Request) -> Result<ApiResponse<()>, Error> {
        let success = self.execute(request).await?;
        Ok(ApiResponse {
            status: success.status,
            headers: success.headers,
            value: (),
        })
    }

    async fn execute(&self, request: Request) -> Result<Success, Error> {
        let builder = self.prepare(request)?;
        let response = builder.send().await.map_err(Error::from_reqwest)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(Error::from_reqwest)?;
        if status.is_success() {
            return Ok(Success {
                status,
                headers,
                body,
            });
        }
        let defaults = self.inner.defaults;
        let fields = (defaults.error_code_field, defaults.error_message_field);
        Err(Error::Api(Box::new(ApiError::new(
            status, headers, body, fields,
        ))))
    }

    fn prepare(&self, request: Request) -> Result<reqwest::RequestBuilder, Error> {
        let url = format!("{}{}", self.inner.base_url, request.path);
        let mut query = request.query;
        query.extend(request.options.query.iter().cloned());
        let mut headers = request.headers;
        if request.authenticated {
            self.authenticate(&mut headers, &mut query)?;
        }
        headers.extend(
            request
                .options
                .headers
                .iter()
                .map(|(k, v)| (k.clone(), v.clone())),
        );
        let mut builder = self
            .inner
            .http
            .request(request.method, url)
            .headers(headers);
        if !query.is_empty() {
            builder = builder.query(&query);
        }
        if let Some(timeout) = request.options.timeout.or(self.inner.timeout) {
            builder = builder.timeout(timeout);
        }
        if let Some((content_type, body)) = request.body {
            builder = builder
                .header(reqwest::header::CONTENT_TYPE, content_type)
                .body(body);
        }
        Ok(builder)
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
        }
        Ok(())
    }
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

//! The client and what the spec says about the API: the settings a built client holds,
//! with the credential kept out of every `Debug` and `Display`.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderMap;

use super::hooks::Hook;
use super::retry::RetryPolicy;
use super::transport::Sender;

/// What the spec and its settings say about the API, fixed when the client is generated.
#[derive(Debug)]
pub struct ApiDefaults {
    /// The spec's first usable server URL (`https://`, or `http://` to loopback), or `""`
    /// when it declares none.
    pub base_url: &'static str,
    /// Environment variable `from_env` reads the key from, if any.
    pub api_key_env: Option<&'static str>,
    /// Environment variable `from_env` reads a base URL from, if any.
    pub base_url_env: Option<&'static str>,
    /// Whether some operation needs a credential, so that a client built without one is a
    /// mistake unless `without_auth` says otherwise.
    pub requires_auth: bool,
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
    /// HTTP Basic authentication: the key is `user:password` (`user` alone means no
    /// password), sent base64-encoded in `Authorization: Basic …`.
    Basic,
}

/// A secret that shows as `<redacted>` wherever it is printed.
#[derive(Clone)]
pub(super) struct Credential(pub(super) String);

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
    pub(super) inner: Arc<Inner>,
}

/// The settings of a built client.
pub(super) struct Inner {
    pub(super) http: reqwest::Client,
    pub(super) base_url: String,
    pub(super) credential: Option<Credential>,
    pub(super) scheme: Option<&'static AuthScheme>,
    pub(super) timeout: Option<Duration>,
    pub(super) retry: RetryPolicy,
    /// Sent with every request, `User-Agent` included.
    pub(super) default_headers: HeaderMap,
    pub(super) defaults: &'static ApiDefaults,
    /// The caller's hooks, in the order added.
    pub(super) hooks: Vec<Arc<dyn Hook>>,
    /// Where attempts go: the network, or the caller's transport.
    pub(super) sender: Sender,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        let header_names: Vec<&str> = inner.default_headers.keys().map(|k| k.as_str()).collect();
        f.debug_struct("Client")
            .field("base_url", &inner.base_url)
            .field("auth_scheme", &inner.scheme.map(|s| s.name))
            .field("credential", &inner.credential)
            .field("timeout", &inner.timeout)
            .field("retry", &inner.retry)
            .field("default_headers", &header_names)
            .field("hooks", &inner.hooks.len())
            .field("transport", &inner.sender)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// The base URL requests go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The number of retries allowed for a failed request.
    pub fn max_retries(&self) -> u32 {
        self.inner.retry.retries()
    }

    /// How failed requests are retried.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }
}

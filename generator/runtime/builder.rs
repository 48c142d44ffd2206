//! [`ClientBuilder`]: every setting of a client, its default, and the checks made before a
//! client is built.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, USER_AGENT};

use super::client::{ApiDefaults, AuthScheme, Client, Credential, Inner};
use super::error::Error;
use super::hooks::Hook;
use super::retry::RetryPolicy;
use super::transport::{Sender, Transport};

/// Builds a [`Client`]; every setting has a default, see each method.
#[must_use]
pub struct ClientBuilder {
    defaults: &'static ApiDefaults,
    api_key: Option<Credential>,
    base_url: Option<String>,
    scheme: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    retry: RetryPolicy,
    default_headers: HeaderMap,
    invalid_header: Option<String>,
    /// A problem found reading the environment, reported by `build`.
    invalid_env: Option<String>,
    without_auth: bool,
    http: Option<reqwest::Client>,
    allow_insecure_http: bool,
    hooks: Vec<Arc<dyn Hook>>,
    sender: Sender,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.default_headers.keys().map(|k| k.as_str()).collect();
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key)
            .field("base_url", &self.base_url)
            .field("scheme", &self.scheme)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("default_headers", &header_names)
            .field("hooks", &self.hooks.len())
            .field("transport", &self.sender)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// A builder for an API described by `defaults`; generated code calls this.
    #[doc(hidden)]
    pub fn new(defaults: &'static ApiDefaults) -> Self {
        let mut default_headers = HeaderMap::new();
        if let Ok(agent) = HeaderValue::from_str(defaults.user_agent) {
            default_headers.insert(USER_AGENT, agent);
        }
        ClientBuilder {
            defaults,
            api_key: None,
            base_url: None,
            scheme: None,
            timeout: None,
            connect_timeout: None,
            retry: RetryPolicy::default(),
            default_headers,
            invalid_header: None,
            invalid_env: None,
            without_auth: false,
            http: None,
            allow_insecure_http: false,
            hooks: Vec::new(),
            sender: Sender::Http,
        }
    }

    /// A builder for `defaults` with the key and base URL read from the environment
    /// variables `defaults` names, where they are set; generated code calls this.
    #[doc(hidden)]
    pub fn from_env_with(defaults: &'static ApiDefaults) -> Self {
        let mut builder = ClientBuilder::new(defaults);
        if let Some(var) = defaults.api_key_env {
            match std::env::var(var) {
                Ok(key) if !key.is_empty() => builder = builder.api_key(key),
                Ok(_) => builder.invalid_env = Some(format!("environment variable {var} is empty")),
                Err(std::env::VarError::NotUnicode(_)) => {
                    builder.invalid_env = Some(format!("environment variable {var} is not UTF-8"));
                }
                Err(std::env::VarError::NotPresent) => {}
            }
        }
        if let Some(var) = defaults.base_url_env {
            if let Ok(url) = std::env::var(var) {
                if !url.is_empty() {
                    builder = builder.base_url(url);
                }
            }
        }
        builder
    }

    /// The API key. A client of an API whose operations need a credential cannot be built
    /// without one, unless [`without_auth`](Self::without_auth) says so.
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

    /// Limit on each attempt of a request, from connecting to reading the last byte of the
    /// body. Default: none. An attempt that runs over it fails with `Error::Timeout`, which
    /// is retried like a lost connection (idempotent calls only). For a stream of server-sent
    /// events it ends when the response headers arrive (`Error::HeadersTimeout`), so that a
    /// long stream is not cut.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Limit on establishing a connection. Default: none. Ignored with `http_client`.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// How many times a failed request may be retried. Default: 2. The same as
    /// `retry_policy(RetryPolicy::new().max_retries(retries))` with the other settings kept.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.retry = self.retry.max_retries(retries);
        self
    }

    /// How failed requests are retried; replaces every retry setting, `max_retries`
    /// included. Default: [`RetryPolicy::default`].
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// A header sent with every request, replacing one of the same name set before
    /// (`User-Agent` included). An operation's own header parameters, the credential and
    /// per-call headers take precedence. An invalid name or value makes `build` fail.
    pub fn default_header(mut self, name: &str, value: &str) -> Self {
        let parsed_name = HeaderName::from_bytes(name.as_bytes());
        let parsed_value = HeaderValue::from_str(value);
        match (parsed_name, parsed_value) {
            (Ok(name), Ok(value)) => {
                self.default_headers.insert(name, value);
            }
            (Err(_), _) => self.invalid_header = Some(format!("invalid header name {name:?}")),
            (_, Err(_)) => {
                self.invalid_header = Some(format!("invalid value for header {name:?}"));
            }
        }
        self
    }

    /// Sends requests with this `reqwest::Client` (its proxy, TLS and pool settings).
    ///
    /// This crate builds reqwest with rustls but without a crypto provider of its own, so a
    /// `reqwest::Client` built in a program that enables none (reqwest's default features
    /// enable one) panics unless a provider is installed first: call
    /// [`install_crypto_provider`] before building it.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Adds a hook: code of yours that sees, and may change, the request of every attempt
    /// before it is sent, and sees what each attempt came to. Hooks run in the order added.
    /// See [`Hook`].
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.hooks.push(Arc::new(hook));
        self
    }

    /// Sends every attempt through `transport` instead of the network: in tests, a
    /// [`MockTransport`](super::MockTransport) with scripted answers. Default: `reqwest`.
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.sender = Sender::Custom(Arc::new(transport));
        self
    }

    /// Builds a client that sends no credential, for an API whose operations need one: for
    /// the operations that do not, or a server that authenticates otherwise (a proxy, a
    /// hook that signs each request).
    pub fn without_auth(mut self) -> Self {
        self.without_auth = true;
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
    /// Fails with `Error::Config` when there is no key for an API that needs one (and no
    /// `without_auth`), when the environment `from_env` read holds an empty key, when the
    /// base URL is missing or not an absolute `http(s)` URL, when the key would go over
    /// plain `http://` to a remote host, when the auth scheme is not one of the spec's, when
    /// a default header is invalid, or when the HTTP client cannot be built.
    pub fn build(self) -> Result<Client, Error> {
        if let Some(problem) = self
            .invalid_header
            .clone()
            .or_else(|| self.invalid_env.clone())
        {
            return Err(Error::Config(problem));
        }
        self.check_credential()?;
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
                retry: self.retry,
                default_headers: self.default_headers,
                defaults: self.defaults,
                hooks: self.hooks,
                sender: self.sender,
            }),
        })
    }

    fn check_credential(&self) -> Result<(), Error> {
        if self.api_key.is_some() || self.without_auth || !self.defaults.requires_auth {
            return Ok(());
        }
        let from_env = match self.defaults.api_key_env {
            Some(var) => format!(" (or set {var} and use `from_env`)"),
            None => String::new(),
        };
        Err(Error::Config(format!(
            "no API key: the API's operations need one; set it with `api_key`{from_env}, or \
             call `without_auth` to send requests without a credential"
        )))
    }

    fn checked_base_url(&self) -> Result<String, Error> {
        let raw = self.base_url.as_deref().unwrap_or(self.defaults.base_url);
        if raw.is_empty() {
            let from_env = match self.defaults.base_url_env {
                Some(var) => format!(" (or set {var} and use `from_env`)"),
                None => String::new(),
            };
            return Err(Error::Config(format!(
                "no base URL: the spec declares no usable server URL; set one with `base_url`{from_env}"
            )));
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
    install_crypto_provider();
    let mut builder = reqwest::Client::builder().user_agent(defaults.user_agent);
    if let Some(timeout) = connect_timeout {
        builder = builder.connect_timeout(timeout);
    }
    builder
        .build()
        .map_err(|err| Error::Config(format!("cannot build the HTTP client: {err}")))
}

/// Makes `ring` the process's TLS crypto provider unless one is installed already (a
/// program's own choice wins); calling it again does nothing.
///
/// [`ClientBuilder::build`] calls it. Call it yourself before building a `reqwest::Client`
/// to pass to [`ClientBuilder::http_client`]: reqwest is built here without a provider of its
/// own (so that `aws-lc-rs` and its C build stay out of the dependency tree), and it panics
/// when it finds none.
pub fn install_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // An `Err` means another thread installed one meanwhile, which is as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

//! Where an attempt is sent: over the network with `reqwest`, or to a [`Transport`] of the
//! caller's, such as the in-memory [`MockTransport`](super::MockTransport) for tests.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use super::error::Error;

/// The future a [`Transport`] returns.
pub type TransportFuture<'a> =
    Pin<Box<dyn Future<Output = Result<reqwest::Response, Error>> + Send + 'a>>;

/// Sends one attempt in place of the network; set one with `ClientBuilder::transport`.
///
/// The client calls it once per attempt, after the hooks, with the request as it would go
/// on the wire: URL, headers (the credential's marked sensitive), body and the attempt's
/// timeout (`reqwest::Request::timeout`, which a transport may honour). Retries, tracing
/// and decoding work as over the network. A `reqwest::Response` can be made from an
/// `http::Response` (`reqwest::Response::from`).
pub trait Transport: fmt::Debug + Send + Sync + 'static {
    /// Sends `request` and returns the response.
    fn send(&self, request: reqwest::Request) -> TransportFuture<'_>;
}

/// The way a client sends its attempts.
#[derive(Clone)]
pub(crate) enum Sender {
    /// Over the network.
    Http,
    /// Through the caller's transport.
    Custom(Arc<dyn Transport>),
}

impl fmt::Debug for Sender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Sender::Http => f.write_str("Http"),
            Sender::Custom(transport) => f.debug_tuple("Custom").field(transport).finish(),
        }
    }
}

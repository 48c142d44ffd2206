//! An in-memory [`Transport`] for the tests of code that uses the client: answers scripted
//! in order, every request recorded (without its credential), no server and no port.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};

use super::error::Error;
use super::transport::{Transport, TransportFuture};

/// Scripted answers and recorded requests, shared by its clones: give one clone to
/// `ClientBuilder::transport`, keep the other to script and inspect.
///
/// ```text
/// let mock = MockTransport::new();
/// mock.push(MockResponse::json(200, serde_json::json!({"id": "m1", "name": "llama"})));
/// let client = Client::builder().api_key("test-key").transport(mock.clone()).build()?;
///
/// let model = client.get_model("m1").await?;          // the code under test
///
/// let sent = mock.requests();
/// assert_eq!(sent[0].method, Method::GET);
/// assert_eq!(sent[0].path, "/v1/models/m1");
/// assert!(sent[0].headers.get("authorization").is_none()); // the key is never recorded
/// ```
#[derive(Debug, Clone, Default)]
pub struct MockTransport {
    state: Arc<Mutex<State>>,
}

#[derive(Debug, Default)]
struct State {
    answers: VecDeque<MockResponse>,
    requests: Vec<RecordedRequest>,
}

impl MockTransport {
    /// No answers scripted yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an answer to the script: each attempt takes the next one, in order (a retried
    /// call takes one per attempt). An attempt that finds none left fails with
    /// `Error::Config` naming it.
    pub fn push(&self, answer: MockResponse) -> &Self {
        self.lock().answers.push_back(answer);
        self
    }

    /// Every request sent so far, in order, one per attempt.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.lock().requests.clone()
    }

    /// How many scripted answers have not been used.
    pub fn remaining(&self) -> usize {
        self.lock().answers.len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A test that panicked while holding the lock leaves whole values behind.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn answer(&self, request: reqwest::Request) -> Result<reqwest::Response, Error> {
        let recorded = RecordedRequest::of(&request);
        let mut state = self.lock();
        let answer = state.answers.pop_front();
        let described = format!("{} {}", recorded.method, recorded.path);
        state.requests.push(recorded);
        match answer {
            Some(answer) => Ok(answer.into_response()),
            None => Err(Error::Config(format!(
                "MockTransport has no scripted answer left for {described}"
            ))),
        }
    }
}

impl Transport for MockTransport {
    fn send(&self, request: reqwest::Request) -> TransportFuture<'_> {
        Box::pin(std::future::ready(self.answer(request)))
    }
}

/// One scripted answer: a status, headers and a body.
#[derive(Debug, Clone)]
#[must_use]
pub struct MockResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl MockResponse {
    /// An answer with this status and no body. A code outside 100–999 reads as 500.
    pub fn new(status: u16) -> Self {
        MockResponse {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            headers: HeaderMap::new(),
            body: Bytes::new(),
        }
    }

    /// An `application/json` answer with this body.
    pub fn json(status: u16, body: serde_json::Value) -> Self {
        Self::new(status)
            .header("content-type", "application/json")
            .body(body.to_string())
    }

    /// A header of the answer, added to any of the same name; an invalid name or value is
    /// left out.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let name = HeaderName::from_bytes(name.as_bytes());
        let value = HeaderValue::from_str(value);
        if let (Ok(name), Ok(value)) = (name, value) {
            self.headers.append(name, value);
        }
        self
    }

    /// The body, as it is.
    pub fn body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = body.into();
        self
    }

    fn into_response(self) -> reqwest::Response {
        let mut response = http::Response::new(self.body);
        *response.status_mut() = self.status;
        *response.headers_mut() = self.headers;
        reqwest::Response::from(response)
    }
}

/// A request as the client sent it to a [`MockTransport`], without its credential.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The HTTP method.
    pub method: Method,
    /// The path, percent-encoded as sent (`/v1/models/m%201`).
    pub path: String,
    /// The query parameters, decoded, in order.
    pub query: Vec<(String, String)>,
    /// The headers, less those marked sensitive (the credential).
    pub headers: HeaderMap,
    /// The body's bytes (empty without a body, and for a multipart body, sent as a stream).
    pub body: Bytes,
}

impl RecordedRequest {
    fn of(request: &reqwest::Request) -> Self {
        let url = request.url();
        let mut headers = HeaderMap::new();
        for (name, value) in request.headers() {
            if !value.is_sensitive() {
                headers.append(name.clone(), value.clone());
            }
        }
        let body = request.body().and_then(reqwest::Body::as_bytes);
        RecordedRequest {
            method: request.method().clone(),
            path: url.path().to_owned(),
            query: url.query_pairs().into_owned().collect(),
            headers,
            body: body.map(Bytes::copy_from_slice).unwrap_or_default(),
        }
    }

    /// The value of a header (the first, if repeated), when it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The value of a query parameter (the first, if repeated).
    pub fn query_value(&self, name: &str) -> Option<&str> {
        let pair = self.query.iter().find(|(k, _)| k == name);
        pair.map(|(_, v)| v.as_str())
    }

    /// The body decoded as JSON.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }

    /// Whether the body was sent as JSON (`Content-Type: application/json` or `…+json`).
    pub fn is_json(&self) -> bool {
        let media = self.headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok());
        media.is_some_and(|m| {
            let essence = m.split(';').next().unwrap_or_default().trim();
            essence == "application/json" || essence.ends_with("+json")
        })
    }
}

//! A scripted HTTP/1.1 server on 127.0.0.1 for tests: it records every request and answers
//! each with the next response of its script, or with the fault the script names; a body can
//! also be streamed piece by piece, as a server sends events.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// A request as the server received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// `GET`, `POST`, …
    pub method: String,
    /// The request target as sent: path and query, still percent-encoded.
    pub target: String,
    /// Headers in the order received, names lowercased.
    pub headers: Vec<(String, String)>,
    /// The body bytes (empty when none was sent).
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The first header of this (lowercase) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One scripted answer.
#[derive(Debug, Clone)]
pub struct MockResponse {
    /// Status code.
    pub status: u16,
    /// Extra headers (`Content-Length` and `Connection: close` are added).
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
    /// Wait this long before answering.
    pub delay: Duration,
    /// Misbehave instead of answering normally.
    pub fault: Option<Fault>,
    /// Send the body in pieces over time instead of `body` at once.
    pub stream: Option<Streamed>,
}

/// A body sent with `Transfer-Encoding: chunked`, one chunk per piece, each after its pause.
#[derive(Debug, Clone)]
pub struct Streamed {
    /// The pieces, each with the pause before it.
    pub pieces: Vec<(Duration, Vec<u8>)>,
    /// How the body ends.
    pub end: StreamEnd,
}

/// How a streamed body ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamEnd {
    /// With the last chunk, as it should.
    Complete,
    /// The connection is closed without the last chunk: the body is cut off.
    Dropped,
}

/// A way for the server to misbehave, after it has read the request.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Close the connection without answering.
    CloseBeforeAnswer,
    /// Send the head, with the `Content-Length` of the whole body, and half of the body;
    /// then close the connection.
    CloseMidBody,
    /// Send the head and half of the body, wait this long, then send the rest.
    StallMidBody(Duration),
    /// Send these bytes as the whole answer, however malformed, then close.
    Raw(Vec<u8>),
}

impl MockResponse {
    /// A JSON answer with this status.
    pub fn json(status: u16, body: &str) -> Self {
        MockResponse {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
            delay: Duration::ZERO,
            fault: None,
            stream: None,
        }
    }

    /// A `200 text/event-stream` answer whose body is sent in these pieces, each after its
    /// pause.
    pub fn event_stream(pieces: &[(Duration, &str)]) -> Self {
        MockResponse::streamed("text/event-stream", pieces)
    }

    /// A `200` answer of media type `content_type` whose body is sent in these pieces, each
    /// after its pause.
    pub fn streamed(content_type: &str, pieces: &[(Duration, &str)]) -> Self {
        let mut response = MockResponse::json(200, "");
        response.headers = vec![("content-type".into(), content_type.into())];
        response.stream = Some(Streamed {
            pieces: pieces
                .iter()
                .map(|(pause, piece)| (*pause, piece.as_bytes().to_vec()))
                .collect(),
            end: StreamEnd::Complete,
        });
        response
    }

    /// This streamed answer, its connection closed before the body's end.
    pub fn dropped(mut self) -> Self {
        if let Some(stream) = &mut self.stream {
            stream.end = StreamEnd::Dropped;
        }
        self
    }

    /// An answer that is only a fault: the connection is closed without a response.
    pub fn close_before_answer() -> Self {
        MockResponse::json(200, "").with_fault(Fault::CloseBeforeAnswer)
    }

    /// An answer written byte for byte as given.
    pub fn raw(bytes: impl Into<Vec<u8>>) -> Self {
        MockResponse::json(200, "").with_fault(Fault::Raw(bytes.into()))
    }

    /// This answer with an extra header.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// This answer, sent after `delay`.
    pub fn with_delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// This answer, spoilt by `fault`.
    pub fn with_fault(mut self, fault: Fault) -> Self {
        self.fault = Some(fault);
        self
    }
}

/// The running server; it stops when dropped.
#[derive(Debug)]
pub struct MockServer {
    port: u16,
    requests: Arc<Mutex<Vec<(Instant, RecordedRequest)>>>,
    task: JoinHandle<()>,
}

impl MockServer {
    /// Starts a server answering requests with `script` in order; once the script is used
    /// up, every further request gets its last response.
    pub async fn start(script: Vec<MockResponse>) -> std::io::Result<MockServer> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&requests);
        let task = tokio::spawn(async move {
            let mut index = 0usize;
            while let Ok((stream, _)) = listener.accept().await {
                let response = script.get(index).or(script.last()).cloned();
                index += 1;
                let recorded = Arc::clone(&recorded);
                tokio::spawn(async move {
                    let _ = serve(stream, response, recorded).await;
                });
            }
        });
        Ok(MockServer {
            port,
            requests,
            task,
        })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        let requests = self.requests.lock().unwrap_or_else(PoisonError::into_inner);
        requests
            .iter()
            .map(|(_, request)| request.clone())
            .collect()
    }

    /// When each request received so far was read, in order.
    pub fn request_times(&self) -> Vec<Instant> {
        let requests = self.requests.lock().unwrap_or_else(PoisonError::into_inner);
        requests.iter().map(|(at, _)| *at).collect()
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    mut stream: TcpStream,
    response: Option<MockResponse>,
    recorded: Arc<Mutex<Vec<(Instant, RecordedRequest)>>>,
) -> std::io::Result<()> {
    let request = read_request(&mut stream).await?;
    recorded
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push((Instant::now(), request));
    let Some(response) = response else {
        return Ok(());
    };
    tokio::time::sleep(response.delay).await;
    if let Some(streamed) = &response.stream {
        return serve_streamed(&mut stream, &response, streamed).await;
    }
    let head = head(&response);
    let body = &response.body;
    let half = body.len() / 2;
    match &response.fault {
        None => {
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(body).await?;
        }
        Some(Fault::CloseBeforeAnswer) => {}
        Some(Fault::CloseMidBody) => {
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(&body[..half]).await?;
        }
        Some(Fault::StallMidBody(pause)) => {
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(&body[..half]).await?;
            stream.flush().await?;
            tokio::time::sleep(*pause).await;
            stream.write_all(&body[half..]).await?;
        }
        Some(Fault::Raw(bytes)) => stream.write_all(bytes).await?,
    }
    stream.shutdown().await
}

/// Sends the head, then each piece as a chunk after its pause, then the last chunk unless
/// the body is to be cut off.
async fn serve_streamed(
    stream: &mut TcpStream,
    response: &MockResponse,
    streamed: &Streamed,
) -> std::io::Result<()> {
    let head =
        status_and_headers(response) + "transfer-encoding: chunked\r\nconnection: close\r\n\r\n";
    stream.write_all(head.as_bytes()).await?;
    stream.flush().await?;
    for (pause, piece) in &streamed.pieces {
        tokio::time::sleep(*pause).await;
        stream
            .write_all(format!("{:x}\r\n", piece.len()).as_bytes())
            .await?;
        stream.write_all(piece).await?;
        stream.write_all(b"\r\n").await?;
        stream.flush().await?;
    }
    if streamed.end == StreamEnd::Complete {
        stream.write_all(b"0\r\n\r\n").await?;
    }
    stream.shutdown().await
}

/// The status line and headers, with `Content-Length` of the whole body.
fn head(response: &MockResponse) -> String {
    let mut head = status_and_headers(response);
    head.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n",
        response.body.len()
    ));
    head
}

/// The status line and the scripted headers.
fn status_and_headers(response: &MockResponse) -> String {
    let mut head = format!("HTTP/1.1 {} Scripted\r\n", response.status);
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head
}

/// Reads one request: the head up to the blank line, then `Content-Length` bytes of body.
async fn read_request(stream: &mut TcpStream) -> std::io::Result<RecordedRequest> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(end) = find(&buffer, b"\r\n\r\n") {
            break end;
        }
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let method = request_line.next().unwrap_or_default().to_owned();
    let target = request_line.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buffer[head_end + 4..].to_vec();
    while body.len() < length {
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..read]);
    }
    Ok(RecordedRequest {
        method,
        target,
        headers,
        body,
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

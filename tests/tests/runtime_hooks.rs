//! Hooks over HTTP against the scripted server: a signature header set before each attempt,
//! a metrics counter fed after each, errors that stop a call, the order of hooks, and the
//! credential kept out of what a hook prints.

use std::sync::{Arc, Mutex, PoisonError};

use apigen_runtime::{AttemptOutcome, AttemptRequest, Error, Hook, HookFuture, RequestOptions};
use apigen_tests::mock_server::{MockResponse, MockServer, RecordedRequest};
use apigen_tests::runtime_api::{KEY, builder, request};
use reqwest::Method;
use sha2::{Digest, Sha256};

const OK: &str = r#"{"ok": true}"#;

async fn server(script: Vec<MockResponse>) -> MockServer {
    MockServer::start(script).await.expect("scripted server")
}

/// Signs each attempt: `X-Signature: hex(sha256(secret, method, path and query, body))`.
struct Signer {
    secret: &'static str,
}

fn signature(secret: &str, method: &str, target: &str, body: &[u8]) -> String {
    let mut hasher = Sha256::new();
    for part in [
        secret.as_bytes(),
        method.as_bytes(),
        target.as_bytes(),
        body,
    ] {
        hasher.update(part);
        hasher.update(b"\n");
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Hook for Signer {
    fn before_attempt<'a>(
        &'a self,
        request: &'a mut AttemptRequest,
    ) -> HookFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            // Async work, such as fetching the secret, may happen here.
            tokio::task::yield_now().await;
            let url = request.url();
            let target = match url.query() {
                Some(query) => format!("{}?{query}", url.path()),
                None => url.path().to_owned(),
            };
            let body = request.body().unwrap_or_default();
            let signed = signature(self.secret, request.method().as_str(), &target, body);
            request.set_header("X-Signature", &signed)
        })
    }
}

#[derive(Default)]
struct Metrics {
    /// `(operation, attempt, status or 0, will_retry)` per attempt.
    attempts: Mutex<Vec<(String, u32, u16, bool)>>,
}

impl Hook for Metrics {
    fn after_attempt<'a>(&'a self, outcome: &'a AttemptOutcome<'a>) -> HookFuture<'a, ()> {
        let status = outcome.status().map_or(0, |s| s.as_u16());
        let row = (
            outcome.operation().to_owned(),
            outcome.attempt(),
            status,
            outcome.will_retry(),
        );
        self.attempts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(row);
        Box::pin(async {})
    }
}

fn signed_right(request: &RecordedRequest) -> bool {
    let want = signature("s3cret", &request.method, &request.target, &request.body);
    request.header("x-signature") == Some(want.as_str())
}

#[tokio::test]
async fn a_signature_hook_signs_every_attempt_of_a_call() {
    let server = server(vec![
        MockResponse::json(503, "{}"),
        MockResponse::json(200, OK),
    ])
    .await;
    let client = builder(&server.base_url())
        .hook(Signer { secret: "s3cret" })
        .build()
        .expect("client");
    let mut put = request(
        Method::PUT,
        "/things/1",
        RequestOptions::new().query("v", "2"),
    );
    put.json_body(&serde_json::json!({"name": "x"}));

    client.execute_empty(put).await.expect("retried once");

    let sent = server.requests();
    assert_eq!(sent.len(), 2);
    assert!(sent.iter().all(signed_right), "{sent:?}");
}

#[tokio::test]
async fn a_metrics_hook_sees_each_attempt_its_status_and_whether_it_is_retried() {
    let server = server(vec![
        MockResponse::json(503, "{}"),
        MockResponse::close_before_answer(),
        MockResponse::json(200, OK),
        MockResponse::json(404, "{}"),
    ])
    .await;
    let metrics = Arc::new(Metrics::default());
    let client = builder(&server.base_url())
        .hook(Arc::clone(&metrics))
        .build()
        .expect("client");

    client
        .execute_empty(request(Method::GET, "/things", RequestOptions::new()))
        .await
        .expect("third attempt");
    let err = client
        .execute_empty(request(Method::GET, "/things/9", RequestOptions::new()))
        .await
        .expect_err("404");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));

    let rows = metrics
        .attempts
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    let op = "test_operation".to_owned();
    assert_eq!(
        rows,
        [
            (op.clone(), 1, 503, true),
            (op.clone(), 2, 0, true),
            (op.clone(), 3, 200, false),
            (op, 1, 404, false),
        ]
    );
}

struct Refuse;

impl Hook for Refuse {
    fn before_attempt<'a>(
        &'a self,
        _request: &'a mut AttemptRequest,
    ) -> HookFuture<'a, Result<(), Error>> {
        Box::pin(async { Err(Error::Hook("no signing key loaded".into())) })
    }
}

#[tokio::test]
async fn a_hook_error_stops_the_call_before_anything_is_sent() {
    let server = server(vec![MockResponse::json(200, OK)]).await;
    let client = builder(&server.base_url())
        .hook(Refuse)
        .build()
        .expect("client");

    let err = client
        .execute_empty(request(Method::GET, "/things", RequestOptions::new()))
        .await
        .expect_err("refused");

    assert!(matches!(err, Error::Hook(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "a hook stopped the request: no signing key loaded"
    );
    assert!(server.requests().is_empty());
}

/// Records what a hook can print of the request, and the idempotency key it sees.
#[derive(Default)]
struct Peek {
    printed: Mutex<Vec<String>>,
}

impl Hook for Peek {
    fn before_attempt<'a>(
        &'a self,
        request: &'a mut AttemptRequest,
    ) -> HookFuture<'a, Result<(), Error>> {
        let key = request
            .headers()
            .get("idempotency-key")
            .map(|v| format!("{v:?}"));
        let text = format!("{request:?} {:?} {key:?}", request.headers());
        self.printed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(text);
        // Hooks run in order: the signer added before this one has signed already.
        let signed = request.headers().contains_key("x-signature");
        Box::pin(async move {
            match signed {
                true => Ok(()),
                false => Err(Error::Hook("the signer did not run first".into())),
            }
        })
    }
}

#[tokio::test]
async fn hooks_run_in_order_and_print_no_credential_but_see_the_idempotency_key() {
    let server = server(vec![
        MockResponse::json(502, "{}"),
        MockResponse::json(200, OK),
    ])
    .await;
    let peek = Arc::new(Peek::default());
    let client = builder(&server.base_url())
        .hook(Signer { secret: "s3cret" })
        .hook(Arc::clone(&peek))
        .build()
        .expect("client");
    let mut post = request(Method::POST, "/payments", RequestOptions::new());
    post.idempotency_header("Idempotency-Key");

    client.execute_empty(post).await.expect("retried");

    let printed = peek
        .printed
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    assert_eq!(printed.len(), 2);
    for text in &printed {
        assert!(!text.contains(KEY), "{text}");
        assert!(
            text.contains("Sensitive"),
            "the credential is there, hidden: {text}"
        );
        assert!(text.contains("attempt"), "{text}");
    }
    let sent_key = server.requests()[0]
        .header("idempotency-key")
        .map(str::to_owned);
    let sent_key = sent_key.expect("a key");
    assert!(printed.iter().all(|t| t.contains(&sent_key)), "{printed:?}");
}

struct Traced;

impl Hook for Traced {
    fn before_attempt<'a>(
        &'a self,
        request: &'a mut AttemptRequest,
    ) -> HookFuture<'a, Result<(), Error>> {
        tracing::info!(attempt = request.attempt(), "hook before");
        Box::pin(async { Ok(()) })
    }

    fn after_attempt<'a>(&'a self, outcome: &'a AttemptOutcome<'a>) -> HookFuture<'a, ()> {
        Box::pin(async move { tracing::info!(attempt = outcome.attempt(), "hook after") })
    }
}

#[tokio::test]
async fn hooks_run_inside_the_calls_span() {
    let server = server(vec![
        MockResponse::json(503, "{}"),
        MockResponse::json(200, OK),
    ])
    .await;
    let client = builder(&server.base_url())
        .hook(Traced)
        .build()
        .expect("client");
    let (capture, guard) = apigen_tests::trace_capture::Capture::start();

    client
        .execute_empty(request(Method::GET, "/things", RequestOptions::new()))
        .await
        .expect("retried");
    drop(guard);

    capture.with(|captured| {
        for message in ["hook before", "hook after"] {
            let events = captured.events_with_message(message);
            assert_eq!(events.len(), 2, "{message}: one per attempt");
            assert!(events.iter().all(|e| e.span.as_deref() == Some("api_call")));
            let attempts: Vec<&str> = events
                .iter()
                .filter_map(|e| e.fields.get("attempt").map(String::as_str))
                .collect();
            assert_eq!(attempts, ["1", "2"], "{message}");
        }
    });
}

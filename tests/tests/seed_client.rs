//! The client generated from the seed spec (`tests/fixtures/seed-cancel-promotion.yaml`,
//! crate `baseten-seed`) against a scripted server on 127.0.0.1: what it sends, and
//! how it decodes success, unknown enum values and error answers.

use apigen_tests::mock_server::{MockResponse, MockServer};
use baseten_seed::types::CancelPromotionStatusV1;
use baseten_seed::{Client, Error, RequestOptions};

const KEY: &str = "sk-test-secret-key-123";

async fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(server.base_url())
        .build()
        .expect("valid client settings")
}

#[tokio::test]
async fn sends_method_encoded_path_api_key_and_no_body() {
    let ok = r#"{"status": "CANCELED", "message": "Promotion canceled."}"#;
    let server = MockServer::start(vec![MockResponse::json(200, ok)])
        .await
        .expect("server");
    let client = client_for(&server).await;

    let response = client
        .cancel_promotion("a/b c", "production")
        .await
        .expect("200 decodes");

    // A response type is `#[non_exhaustive]`: read its fields rather than build one.
    assert_eq!(
        (&response.status, response.message.as_str()),
        (&CancelPromotionStatusV1::Canceled, "Promotion canceled.")
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.target,
        "/v1/models/a%2Fb%20c/environments/production/cancel_promotion"
    );
    assert_eq!(
        request.header("authorization"),
        Some("Api-Key sk-test-secret-key-123")
    );
    assert!(
        request.body.is_empty(),
        "no body for an operation without one"
    );
    assert_eq!(request.header("content-type"), None);
    assert!(
        request
            .header("content-length")
            .is_none_or(|len| len == "0"),
        "{:?}",
        request.headers
    );
    let agent = request.header("user-agent").unwrap_or_default();
    assert!(agent.starts_with("baseten-seed/"), "{agent}");
}

#[tokio::test]
async fn send_with_response_gives_status_and_headers_beside_the_value() {
    let mut ok = MockResponse::json(200, r#"{"status": "RAMPING_DOWN", "message": "m"}"#);
    ok.headers.push(("x-request-id".into(), "req-7".into()));
    let server = MockServer::start(vec![ok]).await.expect("server");
    let client = client_for(&server).await;

    let response = client
        .cancel_promotion("m", "e")
        .send_with_response()
        .await
        .expect("200");

    assert_eq!(response.status.as_u16(), 200);
    assert_eq!(
        response.headers.get("x-request-id").map(|v| v.as_bytes()),
        Some(&b"req-7"[..])
    );
    assert_eq!(response.value.status, CancelPromotionStatusV1::RampingDown);
}

#[tokio::test]
async fn an_unlisted_enum_value_decodes_into_unknown_and_extra_fields_are_ignored() {
    let body = r#"{"status": "FAILED", "message": "m", "added_later": [1, 2]}"#;
    let server = MockServer::start(vec![MockResponse::json(200, body)])
        .await
        .expect("server");
    let client = client_for(&server).await;

    let response = client.cancel_promotion("m", "e").await.expect("decodes");

    assert_eq!(
        response.status,
        CancelPromotionStatusV1::Unknown("FAILED".to_owned())
    );
    assert_eq!(response.status.as_str(), "FAILED");
    assert_eq!(
        serde_json::to_value(&response.status).expect("serializes"),
        "FAILED"
    );
}

#[tokio::test]
async fn an_error_status_with_code_and_message_is_a_typed_api_error() {
    let body = r#"{"code": "VALIDATION_ERROR", "message": "Environment production has no in progress promotion."}"#;
    let mut answer = MockResponse::json(400, body);
    answer
        .headers
        .push(("x-request-id".into(), "req-42".into()));
    let server = MockServer::start(vec![answer]).await.expect("server");
    let client = client_for(&server).await;

    let err = client
        .cancel_promotion("m", "production")
        .await
        .expect_err("400");

    let Error::Api(api) = &err else {
        panic!("expected Error::Api, got {err:?}")
    };
    assert_eq!(api.status.as_u16(), 400);
    assert_eq!(api.code.as_deref(), Some("VALIDATION_ERROR"));
    assert_eq!(
        api.message.as_deref(),
        Some("Environment production has no in progress promotion.")
    );
    assert_eq!(
        api.headers.get("x-request-id").map(|v| v.as_bytes()),
        Some(&b"req-42"[..])
    );
    assert_eq!(&api.body[..], body.as_bytes());
    assert_eq!(
        err.to_string(),
        "HTTP 400 Bad Request: VALIDATION_ERROR: Environment production has no in progress promotion."
    );
}

#[tokio::test]
async fn a_success_with_an_off_spec_body_is_a_decode_error_keeping_the_body() {
    let body = r#"{"status": "CANCELED"}"#;
    let server = MockServer::start(vec![MockResponse::json(200, body)])
        .await
        .expect("server");
    let client = client_for(&server).await;

    let err = client
        .cancel_promotion("m", "e")
        .await
        .expect_err("missing field");

    let Error::Decode {
        status,
        body: raw,
        source,
    } = &err
    else {
        panic!("expected Decode, got {err:?}")
    };
    assert_eq!(status.as_u16(), 200);
    assert_eq!(&raw[..], body.as_bytes());
    assert!(source.to_string().contains("message"), "{source}");
}

#[tokio::test]
async fn path_values_that_would_change_the_path_are_refused_before_sending() {
    let server = MockServer::start(vec![MockResponse::json(200, "{}")])
        .await
        .expect("server");
    let client = client_for(&server).await;

    for value in ["", ".", ".."] {
        let err = client.cancel_promotion(value, "e").await.expect_err(value);
        assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn the_key_never_appears_in_debug_or_display() {
    let body = r#"{"code": "E", "message": "no"}"#;
    let server = MockServer::start(vec![MockResponse::json(401, body)])
        .await
        .expect("server");
    let client = client_for(&server).await;
    let builder = Client::builder().api_key(KEY);

    let err = client.cancel_promotion("m", "e").await.expect_err("401");

    for text in [
        format!("{client:?}"),
        format!("{builder:?}"),
        format!("{err:?}"),
        err.to_string(),
        format!("{:?}", Client::new(KEY).expect("client")),
    ] {
        assert!(!text.contains(KEY), "key leaked in {text}");
        assert!(!text.contains("secret"), "key leaked in {text}");
    }
    assert!(format!("{client:?}").contains("<redacted>"));
}

#[tokio::test]
async fn a_timeout_is_its_own_error_kind() {
    let mut slow = MockResponse::json(200, r#"{"status": "CANCELED", "message": "m"}"#);
    slow.delay = std::time::Duration::from_secs(5);
    let server = MockServer::start(vec![slow]).await.expect("server");
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.base_url())
        .timeout(std::time::Duration::from_millis(200))
        .build()
        .expect("client");

    let err = client
        .cancel_promotion("m", "e")
        .await
        .expect_err("times out");

    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
}

#[tokio::test]
async fn per_call_options_add_headers_and_query_parameters_and_override_the_timeout() {
    let mut slow = MockResponse::json(200, r#"{"status": "CANCELED", "message": "m"}"#);
    slow.delay = std::time::Duration::from_millis(300);
    let server = MockServer::start(vec![
        MockResponse::json(200, r#"{"status": "CANCELED", "message": "m"}"#),
        slow,
    ])
    .await
    .expect("server");
    let client = client_for(&server).await;
    let options = RequestOptions::new()
        .header("X-Request-Id", "abc-123")
        .query("debug", "true");

    client
        .cancel_promotion("m", "e")
        .options(options)
        .await
        .expect("200");
    let timeout = RequestOptions::new().timeout(std::time::Duration::from_millis(50));
    let err = client
        .cancel_promotion("m", "e")
        .options(timeout)
        .await
        .expect_err("times out");

    let request = &server.requests()[0];
    assert_eq!(request.header("x-request-id"), Some("abc-123"));
    assert_eq!(
        request.target,
        "/v1/models/m/environments/e/cancel_promotion?debug=true"
    );
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
}

#[tokio::test]
async fn an_invalid_per_call_header_fails_before_sending() {
    let server = MockServer::start(vec![MockResponse::json(200, "{}")])
        .await
        .expect("server");
    let client = client_for(&server).await;

    let options = RequestOptions::new().header("Bad Header", "x");
    let err = client
        .cancel_promotion("m", "e")
        .options(options)
        .await
        .expect_err("invalid");

    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(server.requests().is_empty());
}

#[test]
fn defaults_come_from_the_spec_and_settings() {
    let client = Client::new(KEY).expect("the default URL is usable, so nothing can fail");
    assert_eq!(client.base_url(), "https://api.baseten.co");
    assert_eq!(client.max_retries(), 2);
    let configured = Client::builder()
        .api_key(KEY)
        .max_retries(5)
        .build()
        .expect("client");
    assert_eq!(configured.max_retries(), 5);
}

#[test]
fn a_client_without_a_key_is_refused_unless_it_says_it_sends_none() {
    let err = Client::builder().build().expect_err("no key");
    let message = err.to_string();
    assert!(message.contains("no API key"), "{message}");
    assert!(
        message.contains("BASETEN_API_KEY") && message.contains("without_auth"),
        "{message}"
    );
    let client = Client::builder()
        .without_auth()
        .build()
        .expect("an explicit choice");
    assert!(
        format!("{client:?}").contains("credential: None"),
        "{client:?}"
    );
}

#[test]
fn plain_http_to_a_remote_host_with_a_key_is_refused_unless_allowed() {
    let refused = Client::builder()
        .api_key(KEY)
        .base_url("http://api.example.com")
        .build();
    let Err(Error::Config(message)) = refused else {
        panic!("expected a config error")
    };
    assert!(message.contains("plain http"), "{message}");
    assert!(!message.contains(KEY));
    let allowed = Client::builder()
        .api_key(KEY)
        .base_url("http://api.example.com")
        .allow_insecure_http()
        .build();
    assert!(allowed.is_ok());
    assert!(
        Client::builder()
            .api_key(KEY)
            .base_url("http://localhost:1")
            .build()
            .is_ok()
    );
    assert!(Client::builder().base_url("not a url").build().is_err());
    assert!(Client::builder().auth_scheme("Nope").build().is_err());
}

/// `from_env` with the variable set and unset. Changing the environment is `unsafe` in
/// edition 2024 (and this workspace forbids `unsafe`), so each case runs this test binary
/// again with the environment it needs.
#[test]
fn from_env_reads_the_configured_variable() {
    let exe = std::env::current_exe().expect("test binary path");
    let run = |value: Option<&str>, base_url: Option<&str>| {
        let mut command = std::process::Command::new(&exe);
        command.args(["--exact", "from_env_child", "--ignored", "--nocapture"]);
        match value {
            Some(value) => command.env("BASETEN_API_KEY", value),
            None => command.env_remove("BASETEN_API_KEY"),
        };
        match base_url {
            Some(url) => command.env("BASETEN_BASE_URL", url),
            None => command.env_remove("BASETEN_BASE_URL"),
        };
        let output = command.output().expect("child test runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stdout)
        );
    };
    run(Some(KEY), None);
    run(Some(KEY), Some("http://127.0.0.1:9"));
    run(None, None);
    run(Some(""), None);
}

#[test]
#[ignore = "run by from_env_reads_the_configured_variable with a prepared environment"]
fn from_env_child() {
    match std::env::var("BASETEN_API_KEY")
        .ok()
        .filter(|v| !v.is_empty())
    {
        Some(_) => {
            let client = Client::from_env().expect("key set");
            assert!(!format!("{client:?}").contains(KEY));
            let expected = std::env::var("BASETEN_BASE_URL").ok();
            let expected = expected.as_deref().unwrap_or("https://api.baseten.co");
            assert_eq!(client.base_url(), expected);
            let built = baseten_seed::ClientBuilder::from_env()
                .max_retries(0)
                .build()
                .expect("the same, with a setting changed");
            assert_eq!(built.base_url(), expected);
        }
        None => {
            let err = Client::from_env().expect_err("key unset or empty");
            assert!(err.to_string().contains("BASETEN_API_KEY"), "{err}");
        }
    }
}

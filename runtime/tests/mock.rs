//! `MockTransport`: scripted answers in order, one per attempt, and every request recorded
//! as sent, without the credential.

use apigen_runtime::{
    ApiDefaults, AuthLocation, AuthScheme, ClientBuilder, Error, MockResponse, MockTransport,
    Request, RequestOptions,
};
use reqwest::Method;
use serde_json::json;

const KEY: &str = "sk-mock-secret-789";

static BEARER: ApiDefaults = ApiDefaults {
    base_url: "https://api.example.test",
    api_key_env: None,
    base_url_env: None,
    requires_auth: true,
    auth: &[AuthScheme {
        name: "BearerAuth",
        location: AuthLocation::Header("Authorization"),
        prefix: Some("Bearer"),
    }],
    user_agent: "mock-tests/1.0",
    error_code_field: "code",
    error_message_field: "message",
};

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    futures_executor::block_on(future)
}

#[test]
fn requests_are_recorded_as_sent_without_the_credential() {
    let mock = MockTransport::new();
    mock.push(MockResponse::json(201, json!({"id": "m1"})).header("x-request-id", "r-1"));
    let client = ClientBuilder::new(&BEARER)
        .api_key(KEY)
        .transport(mock.clone())
        .build()
        .expect("client");
    let mut request = Request::new("create_model", Method::POST, "/v1/models");
    request.path("/v1/models");
    request.authenticated();
    request.query("dry run", "yes & no");
    request.json_body(&json!({"name": "llama"}));
    request.options(RequestOptions::new().header("X-Team", "infra"));

    let answer = block_on(client.execute_json::<serde_json::Value>(request)).expect("answer");

    assert_eq!(answer.value, json!({"id": "m1"}));
    assert_eq!(answer.status, 201);
    assert_eq!(answer.headers["x-request-id"], "r-1");
    let sent = mock.requests();
    assert_eq!(sent.len(), 1);
    let sent = &sent[0];
    assert_eq!(sent.method, Method::POST);
    assert_eq!(sent.path, "/v1/models");
    assert_eq!(sent.query, [("dry run".to_owned(), "yes & no".to_owned())]);
    assert_eq!(sent.query_value("dry run"), Some("yes & no"));
    assert_eq!(sent.header("x-team"), Some("infra"));
    assert_eq!(sent.header("user-agent"), Some("mock-tests/1.0"));
    assert!(sent.is_json());
    assert_eq!(
        sent.json::<serde_json::Value>().expect("json"),
        json!({"name": "llama"})
    );
    assert!(sent.headers.get("authorization").is_none());
    assert!(!format!("{sent:?}").contains(KEY));
    assert_eq!(mock.remaining(), 0);
}

#[test]
fn each_attempt_takes_the_next_answer_and_none_left_is_an_error_naming_the_call() {
    let mock = MockTransport::new();
    mock.push(MockResponse::new(404));
    let client = ClientBuilder::new(&BEARER)
        .without_auth()
        .transport(mock.clone())
        .build()
        .expect("client");
    let get = |path: &'static str| {
        let mut request = Request::new("get_model", Method::GET, path);
        request.path(path);
        request
    };

    let first = block_on(client.execute_empty(get("/v1/models/a"))).expect_err("404");
    assert_eq!(first.status().map(|s| s.as_u16()), Some(404));
    let second = block_on(client.execute_empty(get("/v1/models/b"))).expect_err("no answer");
    assert!(matches!(second, Error::Config(_)), "{second:?}");
    assert!(second.to_string().contains("GET /v1/models/b"), "{second}");
    assert_eq!(mock.requests().len(), 2);
}

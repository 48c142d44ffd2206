//! A small API described by hand for driving the runtime crate (`apigen-runtime`) directly:
//! any method, any path, any retry policy, against the scripted server.

use std::time::Duration;

use apigen_runtime::{
    ApiDefaults, ApiResponse, AuthLocation, AuthScheme, Client, ClientBuilder, Error, Request,
    RequestOptions, RetryPolicy,
};
use reqwest::Method;

/// The key the tests send; it must never show up in logs or errors.
pub const KEY: &str = "sk-runtime-secret-key-456";

/// An API with the key in an `Authorization: Api-Key` header.
pub static HEADER_AUTH: ApiDefaults = ApiDefaults {
    base_url: "",
    api_key_env: None,
    base_url_env: None,
    requires_auth: true,
    auth: &[AuthScheme {
        name: "ApiKeyAuth",
        location: AuthLocation::Header("Authorization"),
        prefix: Some("Api-Key"),
    }],
    user_agent: "runtime-tests/1.0",
    error_code_field: "code",
    error_message_field: "message",
};

/// An API with the key in the query parameter `api_key`.
pub static QUERY_AUTH: ApiDefaults = ApiDefaults {
    base_url: "",
    api_key_env: None,
    base_url_env: None,
    requires_auth: true,
    auth: &[AuthScheme {
        name: "QueryKey",
        location: AuthLocation::Query("api_key"),
        prefix: None,
    }],
    user_agent: "runtime-tests/1.0",
    error_code_field: "code",
    error_message_field: "message",
};

/// Backoff of at most a few milliseconds, so retries do not slow the tests.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::new()
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(5))
}

/// A builder for `base_url` with the key and fast retries.
pub fn builder(base_url: &str) -> ClientBuilder {
    ClientBuilder::new(&HEADER_AUTH)
        .api_key(KEY)
        .base_url(base_url)
        .retry_policy(fast_retries())
}

/// A client for `base_url` with the key and fast retries.
pub fn client(base_url: &str) -> Client {
    match builder(base_url).build() {
        Ok(client) => client,
        Err(err) => panic!("client settings: {err}"),
    }
}

/// A call of `method path` named `operation`, authenticated, with `options` (invalid ones
/// make the call fail before it is sent).
pub fn request(method: Method, path: &'static str, options: RequestOptions) -> Request {
    let mut request = Request::new("test_operation", method, path);
    request.path(path);
    request.authenticated();
    request.options(options);
    request
}

/// Sends `method path` with `options` and decodes any JSON.
pub async fn call(
    client: &Client,
    method: Method,
    path: &'static str,
    options: RequestOptions,
) -> Result<ApiResponse<serde_json::Value>, Error> {
    client.execute_json(request(method, path, options)).await
}

//! Client defaults and per-call options: default headers, `User-Agent` with one's own
//! `reqwest::Client`, per-call headers replacing defaults, and invalid settings.

use apigen_runtime::{ClientBuilder, Error, RequestOptions};
use apigen_tests::mock_server::{MockResponse, MockServer};
use apigen_tests::runtime_api::{HEADER_AUTH, KEY, builder, call};
use reqwest::Method;

async fn server() -> MockServer {
    MockServer::start(vec![MockResponse::json(200, "{}")])
        .await
        .expect("scripted server")
}

#[tokio::test]
async fn default_headers_go_with_every_request_and_a_call_can_replace_them() {
    let server = server().await;
    let client = builder(&server.base_url())
        .default_header("X-Team", "infra")
        .default_header("X-Env", "ci")
        .build()
        .expect("client");

    call(&client, Method::GET, "/a", RequestOptions::new())
        .await
        .expect("200");
    let replaced = RequestOptions::new().header("X-Env", "prod");
    call(&client, Method::GET, "/b", replaced)
        .await
        .expect("200");

    let requests = server.requests();
    assert_eq!(requests[0].header("x-team"), Some("infra"));
    assert_eq!(requests[0].header("x-env"), Some("ci"));
    assert_eq!(requests[1].header("x-team"), Some("infra"));
    let envs: Vec<&str> = requests[1]
        .headers
        .iter()
        .filter(|(n, _)| n == "x-env")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(envs, ["prod"]);
}

#[tokio::test]
async fn the_user_agent_is_sent_with_a_callers_own_reqwest_client_and_can_be_replaced() {
    let server = server().await;
    apigen_runtime::install_crypto_provider();
    let own = reqwest::Client::builder().build().expect("reqwest client");
    let with_own = builder(&server.base_url())
        .http_client(own)
        .build()
        .expect("client");
    let replaced = builder(&server.base_url())
        .default_header("User-Agent", "deployer/3")
        .build()
        .expect("client");

    call(&with_own, Method::GET, "/a", RequestOptions::new())
        .await
        .expect("200");
    call(&replaced, Method::GET, "/b", RequestOptions::new())
        .await
        .expect("200");

    let requests = server.requests();
    assert_eq!(requests[0].header("user-agent"), Some("runtime-tests/1.0"));
    assert_eq!(requests[1].header("user-agent"), Some("deployer/3"));
}

#[tokio::test]
async fn a_default_header_cannot_displace_the_key() {
    let server = server().await;
    let client = builder(&server.base_url())
        .default_header("Authorization", "Bearer something-else")
        .build()
        .expect("client");

    call(&client, Method::GET, "/a", RequestOptions::new())
        .await
        .expect("200");

    let want = format!("Api-Key {KEY}");
    assert_eq!(
        server.requests()[0].header("authorization"),
        Some(want.as_str())
    );
}

#[test]
fn an_invalid_default_header_fails_the_build() {
    for (name, value) in [("Bad Name", "x"), ("X-Ok", "line\nbreak")] {
        let built = ClientBuilder::new(&HEADER_AUTH)
            .base_url("https://api.example.com")
            .default_header(name, value)
            .build();
        let Err(Error::Config(message)) = built else {
            panic!("{name:?}: expected a config error");
        };
        assert!(message.contains(name), "{message}");
    }
}

#[test]
fn debug_shows_the_retry_policy_and_default_header_names_but_no_values() {
    let client = builder("https://api.example.com")
        .default_header("X-Secret-Header", "hidden-value")
        .build()
        .expect("client");

    let text = format!("{client:?}");

    assert!(text.contains("max_retries: 2"), "{text}");
    assert!(text.contains("x-secret-header"), "{text}");
    assert!(!text.contains("hidden-value"), "{text}");
    assert!(!text.contains(KEY), "{text}");
}

//! Prism in proxy mode (`prism proxy spec/openapi.yaml <upstream>`) in front of a scripted
//! upstream that answers off-spec: what the generated client makes of what passes through.
//!
//! Without `--errors`, Prism validates the upstream's answer, logs each violation, lists them
//! in an `sl-violations` header and passes the answer through (a JSON body is re-serialized,
//! so whitespace may change). With `--errors`, it replaces an answer that violates the spec
//! with its own `500` problem answer (`…/prism/errors#VIOLATIONS`) naming each violation.

use std::path::Path;

use apigen_tests::mock_server::{MockResponse, MockServer};
use apigen_tests::prism::Prism;
use baseten::types::CancelPromotionStatusV1;
use baseten::{Client, Error};

const KEY: &str = "prism-proxy-key-789";

fn spec() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/openapi.yaml"))
}

/// A scripted upstream answering `body` with 200, and Prism proxying to it.
async fn proxied(body: &str, prism_args: &[&str]) -> (MockServer, Prism, Client) {
    let upstream = MockServer::start(vec![MockResponse::json(200, body)])
        .await
        .expect("upstream");
    let prism = match Prism::proxy(spec(), &upstream.base_url(), prism_args) {
        Ok(prism) => prism,
        Err(err) => panic!("cannot start Prism: {err}"),
    };
    let client = Client::builder()
        .api_key(KEY)
        .base_url(prism.base_url())
        .build()
        .expect("client");
    (upstream, prism, client)
}

#[tokio::test]
async fn unknown_enum_values_and_extra_fields_pass_through_and_decode() {
    let body = r#"{"status": "PAUSED_FOR_REVIEW", "message": "m", "added_later": {"x": [1, 2]}}"#;
    let (upstream, prism, client) = proxied(body, &[]).await;

    let call = client.cancel_promotion("model_abc", "production");
    let result = call.send_with_response().await;

    let response = result.unwrap_or_else(|err| panic!("{err}\nPrism log:\n{}", prism.logs()));
    let violations = response
        .headers
        .get("sl-violations")
        .map(|v| v.as_bytes().to_vec());
    let violations = String::from_utf8_lossy(&violations.unwrap_or_default()).into_owned();
    assert!(
        violations.contains("enum"),
        "{violations}\n{}",
        prism.logs()
    );
    let response = response.value;
    assert_eq!(
        response.status,
        CancelPromotionStatusV1::Unknown("PAUSED_FOR_REVIEW".to_owned())
    );
    assert_eq!(response.message, "m");
    let forwarded = upstream.requests();
    assert_eq!(forwarded.len(), 1, "{}", prism.logs());
    let auth = forwarded[0].header("authorization").unwrap_or_default();
    assert!(
        auth.ends_with(KEY),
        "the key reaches the upstream: {auth:?}"
    );
}

#[tokio::test]
async fn a_missing_required_field_is_a_decode_error_keeping_the_raw_body() {
    let body = r#"{"status":"CANCELED"}"#;
    let (_upstream, prism, client) = proxied(body, &[]).await;

    let err = client
        .cancel_promotion("model_abc", "production")
        .await
        .expect_err("message is required");

    let Error::Decode {
        status,
        body: raw,
        source,
    } = &err
    else {
        panic!("expected Decode, got {err:?}\nPrism log:\n{}", prism.logs())
    };
    assert_eq!(status.as_u16(), 200);
    assert_eq!(&raw[..], body.as_bytes());
    assert!(source.to_string().contains("message"), "{source}");
    assert!(
        prism.logs_soon_contain("message"),
        "Prism reports the violation:\n{}",
        prism.logs()
    );
}

#[tokio::test]
async fn with_errors_prism_replaces_an_off_spec_answer_with_its_own_error() {
    let body = r#"{"status": "CANCELED"}"#;
    let (upstream, prism, client) = proxied(body, &["--errors"]).await;

    let err = client
        .cancel_promotion("model_abc", "production")
        .await
        .expect_err("Prism refuses the answer");

    let Error::Api(api) = &err else {
        panic!(
            "expected Error::Api, got {err:?}\nPrism log:\n{}",
            prism.logs()
        )
    };
    assert_eq!(upstream.requests().len(), 1);
    assert_eq!(api.status.as_u16(), 500, "{}", prism.logs());
    let text = String::from_utf8_lossy(&api.body);
    assert!(
        text.contains("VIOLATIONS") || text.contains("violation"),
        "{text}"
    );
}

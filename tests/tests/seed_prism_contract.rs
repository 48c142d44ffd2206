//! Contract: the client generated from the seed spec against Prism, a mock server that
//! validates every request against that spec and answers from its schemas.

use std::path::Path;

use apigen_tests::prism::Prism;
use baseten_seed::types::CancelPromotionStatusV1;
use baseten_seed::{Client, Error};

fn spec() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/seed-cancel-promotion.yaml"
    ))
}

fn start(args: &[&str]) -> Prism {
    match Prism::mock(spec(), args) {
        Ok(prism) => prism,
        Err(err) => panic!("cannot start Prism: {err}"),
    }
}

#[tokio::test]
async fn the_seed_call_is_accepted_and_decoded() {
    for args in [&[][..], &["--dynamic", "--seed", "7"][..]] {
        let prism = start(args);
        let client = Client::builder()
            .api_key("test-key")
            .base_url(prism.base_url())
            .build()
            .expect("client");

        let result = client.cancel_promotion("model_abc", "production").await;

        let response = result.unwrap_or_else(|err| panic!("{err}\nPrism log:\n{}", prism.logs()));
        if args.is_empty() {
            assert_eq!(response.status, CancelPromotionStatusV1::Canceled);
        }
        assert!(
            !matches!(response.status, CancelPromotionStatusV1::Unknown(_)),
            "{response:?}"
        );
        assert!(!prism.logs().contains("[VALIDATOR] ✖"), "{}", prism.logs());
    }
}

#[tokio::test]
async fn a_call_without_a_key_gets_401_as_a_typed_error() {
    let prism = start(&[]);
    let client = Client::builder()
        .base_url(prism.base_url())
        .without_auth()
        .build()
        .expect("client");

    let err = client
        .cancel_promotion("model_abc", "production")
        .await
        .expect_err("no key");

    let Error::Api(api) = &err else {
        panic!("expected Error::Api, got {err:?}")
    };
    assert_eq!(api.status.as_u16(), 401, "{}", prism.logs());
    assert!(
        err.to_string().starts_with("HTTP 401 Unauthorized"),
        "{err}"
    );
}

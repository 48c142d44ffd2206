//! The prefix of an API key sent in `Authorization`, when no settings give one: read from
//! an example in the scheme's description (the seed spec's `ApiKeyAuth` says
//! "`Authorization: Api-Key <Your_Api_Key>`"), with a warning that says how to override it;
//! without an example, the key is sent bare and a warning says so.

use apigen::diagnostics::Diagnostic;
use apigen::model::AuthKind;
use apigen::{Generated, ManifestMode, Options, Settings};
use apigen_tests::fixtures;

const SEED: &str = "seed-cancel-promotion.yaml";
const EXAMPLE: &str = "`Authorization: Api-Key <Your_Api_Key>`";

fn seed() -> String {
    std::fs::read_to_string(fixtures::dir().join(SEED)).expect("the seed spec")
}

fn generate(spec: &str, settings: Settings) -> Generated {
    let options = Options {
        settings,
        spec_label: format!("tests/fixtures/{SEED}"),
        command: "cargo xtask generate".to_owned(),
        manifest: ManifestMode::Standalone,
        examples: Vec::new(),
    };
    apigen::generate_bytes(spec.as_bytes(), None, &options).expect("the seed generates")
}

/// The prefix `ApiKeyAuth` sends, and the warnings about it.
fn prefix_and_warnings(generated: &Generated) -> (Option<String>, Vec<&Diagnostic>) {
    let scheme = generated
        .api
        .auth
        .schemes
        .iter()
        .find(|s| s.wire_name == "ApiKeyAuth")
        .expect("the scheme");
    let AuthKind::Header { name, prefix } = &scheme.kind else {
        panic!("a header scheme: {:?}", scheme.kind);
    };
    assert_eq!(name, "Authorization");
    let warnings = generated
        .warnings
        .iter()
        .filter(|w| {
            w.pointer
                .starts_with("#/components/securitySchemes/ApiKeyAuth")
        })
        .collect();
    (prefix.clone(), warnings)
}

fn settings(toml: &str) -> Settings {
    Settings::from_toml(toml).expect("settings")
}

#[test]
fn without_settings_the_seed_sends_the_prefix_its_description_shows_and_warns() {
    let generated = generate(&seed(), Settings::default());

    let (prefix, warnings) = prefix_and_warnings(&generated);

    assert_eq!(prefix.as_deref(), Some("Api-Key"));
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let warning = warnings[0];
    assert_eq!(
        warning.pointer,
        "#/components/securitySchemes/ApiKeyAuth/description"
    );
    assert!(
        warning
            .message
            .contains("the key is sent as `Authorization: Api-Key <key>`"),
        "{}",
        warning.message
    );
    let help = warning.help.as_deref().unwrap_or_default();
    assert!(
        help.contains("`prefix = \"Api-Key\"` under `[auth.schemes.ApiKeyAuth]`")
            && help.contains("codegen.toml"),
        "{help}"
    );
    let client = generated
        .files
        .iter()
        .find(|f| f.path == "src/client.rs")
        .expect("client.rs");
    assert!(
        client
            .contents
            .contains("prefix: ::std::option::Option::Some(\"Api-Key\")"),
        "the generated client sends it"
    );
}

#[test]
fn a_configured_prefix_wins_without_a_warning_and_an_empty_one_sends_the_key_bare() {
    let configured = generate(
        &seed(),
        settings("[auth.schemes.ApiKeyAuth]\nprefix = \"Token\"\n"),
    );
    let bare = generate(
        &seed(),
        settings("[auth.schemes.ApiKeyAuth]\nprefix = \"\"\n"),
    );

    let (prefix, warnings) = prefix_and_warnings(&configured);
    assert_eq!(prefix.as_deref(), Some("Token"));
    assert!(warnings.is_empty(), "{warnings:?}");
    let (prefix, warnings) = prefix_and_warnings(&bare);
    assert_eq!(prefix, None);
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn without_an_example_the_key_is_sent_bare_with_a_warning() {
    let spec = seed();
    assert!(
        spec.contains(EXAMPLE),
        "the seed's description holds the example"
    );
    let spec = spec.replace(EXAMPLE, "the key alone");

    let generated = generate(&spec, Settings::default());

    let (prefix, warnings) = prefix_and_warnings(&generated);
    assert_eq!(prefix, None);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(
        warnings[0].pointer,
        "#/components/securitySchemes/ApiKeyAuth"
    );
    assert!(
        warnings[0].message.contains("bare"),
        "{}",
        warnings[0].message
    );
    let help = warnings[0].help.as_deref().unwrap_or_default();
    assert!(help.contains("[auth.schemes.ApiKeyAuth]"), "{help}");
}

//! The SDK's runnable examples (`generated-client/examples/`, copied from `spec/examples/`),
//! built and run against a Prism mock of
//! `spec/openapi.yaml` with `BASETEN_API_KEY` and `BASETEN_BASE_URL` set as a user would.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use apigen_tests::mock_server::{MockResponse, MockServer};
use apigen_tests::prism::Prism;

/// Builds every example of the SDK once; returns each one's executable by name.
fn examples() -> &'static BTreeMap<String, PathBuf> {
    static BUILT: OnceLock<BTreeMap<String, PathBuf>> = OnceLock::new();
    BUILT.get_or_init(|| {
        let output = cargo()
            .args(["build", "--quiet", "--package", "baseten", "--examples"])
            .args(["--message-format", "json"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("run cargo build --examples");
        assert!(
            output.status.success(),
            "cargo build --examples failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        executables(&String::from_utf8_lossy(&output.stdout))
    })
}

/// Variables cargo sets for the test binary itself (prefixes). The nested build must not
/// see them: a build script that tracks one (ring's tracks `CARGO_MANIFEST_DIR`) would run
/// again, and everything after it would be rebuilt, here and in the next `cargo test`.
const SET_FOR_TESTS: &[&str] = &[
    "CARGO_MANIFEST_",
    "CARGO_PKG_",
    "CARGO_CRATE_NAME",
    "CARGO_PRIMARY_PACKAGE",
    "CARGO_TARGET_TMPDIR",
];

/// `cargo`, in the environment the test was started from.
fn cargo() -> Command {
    let mut command = Command::new(env!("CARGO"));
    for (name, _) in std::env::vars_os() {
        let set_for_tests = name
            .to_str()
            .is_some_and(|name| SET_FOR_TESTS.iter().any(|prefix| name.starts_with(prefix)));
        if set_for_tests {
            command.env_remove(&name);
        }
    }
    command
}

/// The `executable` of each example artifact in cargo's JSON messages, by example name.
fn executables(messages: &str) -> BTreeMap<String, PathBuf> {
    let mut found = BTreeMap::new();
    for message in messages.lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(message) else {
            continue;
        };
        let target = &message["target"];
        let is_example = target["kind"]
            .as_array()
            .is_some_and(|kinds| kinds.iter().any(|kind| kind == "example"));
        if let (true, Some(name), Some(path)) = (
            is_example,
            target["name"].as_str(),
            message["executable"].as_str(),
        ) {
            found.insert(name.to_owned(), PathBuf::from(path));
        }
    }
    found
}

/// Runs an example with the key and Prism's URL in its environment.
fn run(example: &str, args: &[&str], prism: &Prism) -> Output {
    let path = examples()
        .get(example)
        .unwrap_or_else(|| panic!("no example `{example}` was built"));
    Command::new(path)
        .args(args)
        .env("BASETEN_API_KEY", "test-key")
        .env("BASETEN_BASE_URL", prism.base_url())
        .output()
        .unwrap_or_else(|err| panic!("run {}: {err}", path.display()))
}

/// Asserts the example exited with status 0; returns what it printed.
fn succeeded(example: &str, output: &Output, prism: &Prism) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{example} exited with {}\nstdout:\n{stdout}\nstderr:\n{}\nPrism:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr),
        prism.logs()
    );
    stdout
}

#[test]
fn every_example_runs_against_prism() {
    let spec = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/openapi.yaml"));
    let prism = Prism::mock(spec, &[]).unwrap_or_else(|err| panic!("{err}"));

    let output = run("list_models", &[], &prism);
    let stdout = succeeded("list_models", &output, &prism);
    assert!(stdout.contains("model(s)"), "{stdout}");

    let args = ["model_abc", "deployment_abc", "staging"];
    let output = run("promote_deployment", &args, &prism);
    let stdout = succeeded("promote_deployment", &output, &prism);
    assert!(stdout.contains("to staging"), "{stdout}");

    let output = run("cancel_promotion", &["model_abc", "production"], &prism);
    let stdout = succeeded("cancel_promotion", &output, &prism);
    assert!(stdout.starts_with("canceled: "), "{stdout}");

    let output = run("deploy", &[], &prism);
    let stdout = succeeded("deploy", &output, &prism);
    for step in [
        "model(s)",
        "deployment(s)",
        "at least one replica",
        "promoting",
        "promotion to staging",
    ] {
        assert!(stdout.contains(step), "{step:?} missing from:\n{stdout}");
    }

    // The base URL can also be given on the command line.
    let output = Command::new(&examples()["list_models"])
        .args(["--base-url", prism.base_url()])
        .env("BASETEN_API_KEY", "test-key")
        .env_remove("BASETEN_BASE_URL")
        .output()
        .expect("run list_models");
    succeeded("list_models --base-url", &output, &prism);

    assert!(!prism.logs().contains("[VALIDATOR] ✖"), "{}", prism.logs());
}

#[test]
fn an_example_without_a_key_exits_non_zero_and_says_why() {
    let path = &examples()["list_models"];
    let output = Command::new(path)
        .env_remove("BASETEN_API_KEY")
        .env("BASETEN_BASE_URL", "http://127.0.0.1:9")
        .output()
        .expect("run list_models");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("BASETEN_API_KEY"), "{stderr}");
}

#[test]
fn a_failed_call_exits_non_zero_and_says_why() {
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("free port")
        .port();
    let path = &examples()["cancel_promotion"];
    let output = Command::new(path)
        .arg("model_abc")
        .env("BASETEN_API_KEY", "test-key")
        .env("BASETEN_BASE_URL", format!("http://127.0.0.1:{port}"))
        .output()
        .expect("run cancel_promotion");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with("error: "), "{stderr}");
}

#[test]
fn missing_arguments_print_the_usage() {
    let output = Command::new(&examples()["cancel_promotion"])
        .env("BASETEN_API_KEY", "test-key")
        .output()
        .expect("run cancel_promotion");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("usage: cancel_promotion"), "{stderr}");
}

/// The deploy script's answers as Prism gives them, in the order it asks, then the `400`
/// Baseten answers a cancel when no promotion is in progress: the script must tell it apart.
#[tokio::test(flavor = "multi_thread")]
async fn the_deploy_script_tells_nothing_to_cancel_from_a_failure() {
    let spec = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/openapi.yaml"));
    let prism = Prism::mock(spec, &[]).unwrap_or_else(|err| panic!("{err}"));
    apigen_runtime::install_crypto_provider();
    let http = reqwest::Client::new();
    let ask = |method: reqwest::Method, path: String, body: Option<serde_json::Value>| {
        let mut request = http
            .request(method, format!("{}{path}", prism.base_url()))
            .header("Authorization", "Bearer test-key");
        if let Some(body) = body {
            request = request
                .header("Content-Type", "application/json")
                .body(body.to_string());
        }
        async move {
            let response = request.send().await.expect("Prism answers");
            assert!(
                response.status().is_success(),
                "{path}: {}",
                response.status()
            );
            response.text().await.expect("a body")
        }
    };
    let models = ask(reqwest::Method::GET, "/v1/models".into(), None).await;
    let id = serde_json::from_str::<serde_json::Value>(&models).expect("JSON")["models"][0]["id"]
        .as_str()
        .expect("a model id")
        .to_owned();
    let model = ask(reqwest::Method::GET, format!("/v1/models/{id}"), None).await;
    let deployments = ask(
        reqwest::Method::GET,
        format!("/v1/models/{id}/deployments"),
        None,
    )
    .await;
    let deployment = serde_json::from_str::<serde_json::Value>(&deployments).expect("JSON")
        ["deployments"][0]["id"]
        .as_str()
        .expect("a deployment id")
        .to_owned();
    let settings = ask(
        reqwest::Method::PATCH,
        format!("/v1/models/{id}/deployments/development/autoscaling_settings"),
        Some(serde_json::json!({"min_replica": 1})),
    )
    .await;
    let promoted = ask(
        reqwest::Method::POST,
        format!("/v1/models/{id}/environments/staging/promote"),
        Some(serde_json::json!({"deployment_id": deployment})),
    )
    .await;
    let none_in_progress = r#"{"code": "VALIDATION_ERROR", "message": "Environment staging has no in progress promotion."}"#;
    let script = [models, model, deployments, settings, promoted]
        .iter()
        .map(|body| MockResponse::json(200, body))
        .chain([MockResponse::json(400, none_in_progress)])
        .collect();
    let server = MockServer::start(script).await.expect("scripted server");
    let path = examples()["deploy"].clone();
    let base_url = server.base_url();
    let output = tokio::task::spawn_blocking(move || {
        Command::new(path)
            .env("BASETEN_API_KEY", "test-key")
            .env("BASETEN_BASE_URL", base_url)
            .output()
            .expect("run deploy")
    })
    .await
    .expect("the example ran");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("nothing to cancel: Environment staging has no in progress promotion."),
        "{stdout}"
    );
    let sent: Vec<String> = server
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.target))
        .collect();
    assert_eq!(sent.len(), 6, "{sent:?}");
    assert!(
        sent[5].ends_with("/environments/staging/cancel_promotion"),
        "{sent:?}"
    );
}

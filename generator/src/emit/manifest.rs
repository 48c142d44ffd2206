//! `Cargo.toml` and `rustfmt.toml` of the generated crate.

use crate::model::Api;

/// Whether the generated crate stands alone or belongs to an enclosing workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ManifestMode {
    /// With its own `[workspace]` table, so it builds wherever it is written.
    Standalone,
    /// Without one: a member of the workspace around it.
    WorkspaceMember,
}

/// Dependencies of every generated crate: those of the runtime crate (`runtime/Cargo.toml`
/// in apigen's repository), kept in step by a test there (`tests/tests/runtime_copy.rs`).
pub(crate) const DEPENDENCIES: &[(&str, &str)] = &[
    ("bytes", r#""1""#),
    (
        "futures-util",
        r#"{ version = "0.3", default-features = false }"#,
    ),
    ("getrandom", r#""0.2""#),
    ("http", r#""1""#),
    ("percent-encoding", r#""2.3""#),
    (
        "reqwest",
        r#"{ version = "0.13.5", default-features = false, features = ["json", "rustls-no-provider", "http2", "multipart", "query"] }"#,
    ),
    (
        "rustls",
        r#"{ version = "0.23", default-features = false, features = ["ring", "std", "tls12"] }"#,
    ),
    ("serde", r#"{ version = "1", features = ["derive"] }"#),
    ("serde_json", r#""1""#),
    ("serde_qs", r#""1.1""#),
    (
        "sse-stream",
        r#"{ version = "0.3", default-features = false }"#,
    ),
    ("tokio", r#"{ version = "1", features = ["time"] }"#),
    (
        "tracing",
        r#"{ version = "0.1.44", default-features = false, features = ["std"] }"#,
    ),
    ("url", r#""2.5""#),
];

/// The typed dates of `[types] dates = "jiff"`, only for an API that has some.
const DATES: &(&str, &str) = &(
    "jiff",
    r#"{ version = "1", default-features = false, features = ["std", "serde"] }"#,
);

/// A TOML basic string: JSON string escapes are valid TOML escapes.
fn quoted(value: &str) -> String {
    serde_json::Value::String(value.to_owned()).to_string()
}

pub(crate) fn manifest(api: &Api, mode: ManifestMode, has_examples: bool) -> String {
    let package = &api.package;
    let mut text = String::new();
    text.push_str("[package]\n");
    text.push_str(&format!("name = {}\n", quoted(&package.name)));
    text.push_str(&format!("version = {}\n", quoted(&package.version)));
    text.push_str("edition = \"2024\"\nrust-version = \"1.85\"\n");
    text.push_str(&format!("description = {}\n", quoted(&package.description)));
    text.push_str("publish = false\n\n[dependencies]\n");
    let dates = api.uses_dates().then_some(DATES);
    let mut dependencies: Vec<&(&str, &str)> = DEPENDENCIES.iter().chain(dates).collect();
    dependencies.sort();
    for (name, spec) in dependencies {
        text.push_str(&format!("{name} = {spec}\n"));
    }
    text.push_str(&format!(
        "\n[features]\n# Both `Serialize` and `Deserialize` on every type, whichever way it travels.\n{} = []\n",
        crate::stability::ALL_SERDE_FEATURE
    ));
    if has_examples {
        text.push_str("\n# The examples run on tokio.\n[dev-dependencies]\n");
        text.push_str(
            "tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\n",
        );
    }
    if mode == ManifestMode::Standalone {
        text.push_str("\n[workspace]\n");
    }
    text
}

/// The generated code is formatted by prettyplease, which `cargo fmt` would reformat.
pub(crate) fn rustfmt_settings() -> String {
    "disable_all_formatting = true\n".to_owned()
}

//! `Cargo.toml` and `rustfmt.toml` of the generated crate.

use crate::model::Api;
use crate::settings::Settings;

/// Whether the generated crate stands alone or belongs to an enclosing workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ManifestMode {
    /// With its own `[workspace]` table, so it builds wherever it is written.
    Standalone,
    /// Without one: a member of the workspace around it.
    WorkspaceMember,
}

/// Dependencies of every generated crate: those of `runtime/Cargo.toml`, kept in step by
/// a test.
pub(crate) const DEPENDENCIES: &[(&str, &str)] = &[
    ("bytes", r#""1""#),
    (
        "futures-util",
        r#"{ version = "0.3", default-features = false }"#,
    ),
    ("percent-encoding", r#""2.3""#),
    (
        "reqwest",
        r#"{ version = "0.12.28", default-features = false, features = ["json", "rustls-tls", "http2", "multipart"] }"#,
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
        r#"{ version = "0.1.41", default-features = false, features = ["std"] }"#,
    ),
    ("url", r#""2.5""#),
];

/// A TOML basic string: JSON string escapes are valid TOML escapes.
fn quoted(value: &str) -> String {
    serde_json::Value::String(value.to_owned()).to_string()
}

pub(crate) fn manifest(
    api: &Api,
    settings: &Settings,
    crate_name: &str,
    mode: ManifestMode,
    has_examples: bool,
) -> String {
    let version = settings.package.version.as_deref().unwrap_or("0.1.0");
    let description = settings
        .package
        .description
        .clone()
        .unwrap_or_else(|| format!("Rust client for {}", api.title));
    let mut text = String::new();
    text.push_str("[package]\n");
    text.push_str(&format!("name = {}\n", quoted(crate_name)));
    text.push_str(&format!("version = {}\n", quoted(version)));
    text.push_str("edition = \"2024\"\nrust-version = \"1.85\"\n");
    text.push_str(&format!("description = {}\n", quoted(&description)));
    text.push_str("publish = false\n\n[dependencies]\n");
    for (name, spec) in DEPENDENCIES {
        text.push_str(&format!("{name} = {spec}\n"));
    }
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

#[cfg(test)]
mod tests {
    use super::DEPENDENCIES;

    /// The copied runtime compiles in a generated crate only with the runtime's own dependencies.
    #[test]
    fn generated_dependencies_are_the_runtime_dependencies() {
        let runtime: toml::Table = toml::from_str(include_str!("../../../runtime/Cargo.toml"))
            .expect("runtime/Cargo.toml parses");
        let listed: String = DEPENDENCIES
            .iter()
            .map(|(name, spec)| format!("{name} = {spec}\n"))
            .collect();
        let generated: toml::Table = toml::from_str(&listed).expect("DEPENDENCIES parse");
        assert_eq!(
            runtime.get("dependencies"),
            Some(&toml::Value::Table(generated))
        );
    }
}

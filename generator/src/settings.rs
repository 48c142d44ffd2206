//! Settings: facts about an API that its spec states only in prose, read from a TOML file
//! beside the spec (`spec/codegen.toml`). Every field is optional.
//!
//! ```toml
//! [package]
//! name = "baseten"            # crate name; default: from info.title
//! version = "0.1.0"
//! description = "Rust client for the Baseten management API"
//!
//! [auth]
//! env_var = "BASETEN_API_KEY" # read by Client::from_env
//! default_scheme = "ApiKeyAuth"
//!
//! [auth.schemes.ApiKeyAuth]
//! prefix = "Api-Key"          # sent as `Authorization: Api-Key <key>`
//!
//! [auth.extra_schemes.ApiKeyAuth] # a scheme the spec names only in prose
//! header = "Authorization"
//! prefix = "Api-Key"
//!
//! [errors]                    # shape of the API's JSON error body
//! code_field = "code"
//! message_field = "message"
//!
//! [operations."POST /v1/models/{model_id}/deployments/{deployment_id}/promote"]
//! name = "promote_deployment" # replaces the derived method name
//! retry = true                # safe to retry although POST
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;

/// Everything the settings file can say.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The generated crate's manifest.
    #[serde(default)]
    pub package: PackageSettings,
    /// Authentication facts.
    #[serde(default)]
    pub auth: AuthSettings,
    /// The API's error body.
    #[serde(default)]
    pub errors: ErrorSettings,
    /// Per-operation settings, keyed by `"METHOD /path"` as in the spec (`"POST /v1/models"`).
    #[serde(default)]
    pub operations: BTreeMap<String, OperationSettings>,
}

/// `[operations."METHOD /path"]`
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct OperationSettings {
    /// The Rust method name, replacing the derived or `operationId` one.
    pub name: Option<String>,
    /// Retry this operation on retryable failures even though its method is not idempotent
    /// (a POST that the API deduplicates, say).
    #[serde(default)]
    pub retry: bool,
}

/// `[package]`
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PackageSettings {
    /// Crate name; default: `info.title` in kebab case.
    pub name: Option<String>,
    /// Crate version; default: `0.1.0`.
    pub version: Option<String>,
    /// Crate description; default: from `info.title`.
    pub description: Option<String>,
}

/// `[auth]`
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct AuthSettings {
    /// Environment variable `Client::from_env` reads the key from.
    pub env_var: Option<String>,
    /// The scheme used unless the caller picks another; default: the first one the
    /// top-level `security` names, else the first declared.
    pub default_scheme: Option<String>,
    /// Per-scheme facts, by the scheme's name in `components.securitySchemes`.
    #[serde(default)]
    pub schemes: BTreeMap<String, SchemeSettings>,
    /// Header schemes the API accepts but its spec describes only in prose, by the name
    /// callers choose them with (`ClientBuilder::auth_scheme`).
    #[serde(default)]
    pub extra_schemes: BTreeMap<String, ExtraScheme>,
}

/// `[auth.extra_schemes.NAME]`: a header scheme the spec does not declare.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ExtraScheme {
    /// Header the key travels in.
    pub header: String,
    /// Word sent before the key.
    pub prefix: Option<String>,
    /// Where the API documents it.
    pub description: Option<String>,
}

/// `[auth.schemes.NAME]`
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SchemeSettings {
    /// Word sent before the key (`Api-Key` gives `Authorization: Api-Key <key>`).
    pub prefix: Option<String>,
}

/// `[errors]`
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ErrorSettings {
    /// Field of a JSON error body that holds the error code.
    #[serde(default = "default_code_field")]
    pub code_field: String,
    /// Field of a JSON error body that holds the message.
    #[serde(default = "default_message_field")]
    pub message_field: String,
}

impl Default for ErrorSettings {
    fn default() -> Self {
        ErrorSettings {
            code_field: default_code_field(),
            message_field: default_message_field(),
        }
    }
}

fn default_code_field() -> String {
    "code".to_owned()
}

fn default_message_field() -> String {
    "message".to_owned()
}

impl Settings {
    /// Parses a settings file; errors name the line and the key.
    pub fn from_toml(text: &str) -> Result<Settings, String> {
        toml::from_str(text).map_err(|err| err.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_file_parses() {
        let text = r#"
            [package]
            name = "baseten"
            [auth]
            env_var = "BASETEN_API_KEY"
            [auth.schemes.ApiKeyAuth]
            prefix = "Api-Key"
        "#;
        let settings = Settings::from_toml(text).expect("valid settings");
        assert_eq!(settings.package.name.as_deref(), Some("baseten"));
        assert_eq!(
            settings.auth.schemes["ApiKeyAuth"].prefix.as_deref(),
            Some("Api-Key")
        );
        assert_eq!(settings.errors.code_field, "code");
        assert!(settings.operations.is_empty());
    }

    #[test]
    fn operations_are_keyed_by_method_and_path() {
        let text = "[operations.\"GET /v1/models\"]\nname = \"models\"\nretry = true\n";
        let settings = Settings::from_toml(text).expect("valid settings");
        let op = &settings.operations["GET /v1/models"];
        assert_eq!((op.name.as_deref(), op.retry), (Some("models"), true));
    }

    #[test]
    fn unknown_keys_are_refused() {
        let err = Settings::from_toml("[auth]\nenv = \"X\"\n").expect_err("typo");
        assert!(err.contains("env"), "{err}");
    }
}

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
//! prefix = "Api-Key"          # sent as `Authorization: Api-Key <key>`; "" sends it bare.
//!                             # Unset on `Authorization`: read from an example in the
//!                             # scheme's description, with a warning
//!
//! [auth.extra_schemes.ApiKeyAuth] # a scheme the spec names only in prose
//! header = "Authorization"
//! prefix = "Api-Key"
//!
//! [errors]                    # shape of the API's JSON error body
//! code_field = "code"
//! message_field = "message"
//!
//! [idempotency]               # the API deduplicates calls by a key in a header
//! header = "Idempotency-Key"  # its name (the default); operations declaring it get a key
//! methods = ["POST"]          # every operation of these methods takes it, declared or not
//!
//! [operations."POST /v1/models/{model_id}/deployments/{deployment_id}/promote"]
//! name = "promote_deployment" # replaces the derived method name
//! retry = true                # safe to retry although POST
//!
//! [operations."GET /v1/things".paging]  # how it pages, when the rule misses it
//! scheme = "cursor"           # none | cursor | page-token | offset | page-number | link
//! param = "after"             # the query parameter taking the cursor, offset or page
//! next = "meta.next"          # where the answer holds the next cursor or token
//! items = "data"              # the answer's field holding the items
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
    /// The API's idempotency key header.
    #[serde(default)]
    pub idempotency: IdempotencySettings,
    /// How schema formats map to Rust types.
    #[serde(default)]
    pub types: TypeSettings,
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
    /// How the operation pages, replacing what the generator's rule finds (or turning it
    /// off with `scheme = "none"`).
    pub paging: Option<PagingSettings>,
}

/// `[types]`: how some schema formats become Rust types.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TypeSettings {
    /// `format: date-time` and `format: date` strings: `"string"` (the default: the text as
    /// sent) or `"jiff"` (`jiff::Timestamp` and `jiff::civil::Date`; see decision 10).
    #[serde(default)]
    pub dates: DateMapping,
}

/// What `date-time` and `date` strings become.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum DateMapping {
    /// `String`, holding the text as the server sent it.
    #[default]
    String,
    /// `jiff::Timestamp` for `date-time`, `jiff::civil::Date` for `date`.
    Jiff,
}

/// `[idempotency]`: the header an API reads idempotency keys from.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct IdempotencySettings {
    /// The header's name; default `Idempotency-Key`. An operation that declares a header
    /// parameter of this name (in any case) gets a fresh key per call, sent on every
    /// attempt, and is retried like an idempotent method.
    pub header: Option<String>,
    /// Methods (`"POST"`) whose every operation takes the header although the spec does
    /// not declare it, as an API may say only in prose.
    #[serde(default)]
    pub methods: Vec<String>,
}

impl IdempotencySettings {
    /// The idempotency header's name.
    pub fn header_name(&self) -> &str {
        self.header.as_deref().unwrap_or("Idempotency-Key")
    }
}

/// `[operations."METHOD /path".paging]`: how an operation pages. Every key but `scheme` is
/// optional and found by the generator's rule for that scheme when left out.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PagingSettings {
    /// The scheme, or `none` for an operation that does not page.
    pub scheme: SchemeName,
    /// The query parameter that takes the cursor, page token, offset or page number.
    pub param: Option<String>,
    /// Cursor and page token: the answer's field holding the next one, dotted for nested
    /// fields (`meta.next_cursor`).
    pub next: Option<String>,
    /// Cursor: the field of the page's last item that is the next cursor (`id`), for APIs
    /// whose answer holds none of its own.
    pub next_item_field: Option<String>,
    /// The answer's field holding the items (`data`); the answer itself when it is a list.
    pub items: Option<String>,
    /// The answer's boolean field saying more pages follow (`has_more`).
    pub has_more: Option<String>,
    /// The answer's field with the total number of items (`total_count`).
    pub total: Option<String>,
}

/// A paging scheme's name in `codegen.toml`.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum SchemeName {
    /// Not paged: turns the generator's rule off for the operation.
    None,
    /// A cursor from the answer, sent back in a query parameter.
    Cursor,
    /// A page token from the answer, sent back in a query parameter.
    PageToken,
    /// An offset query parameter, advanced by the items received.
    Offset,
    /// A page number query parameter, advanced by one.
    PageNumber,
    /// The answer's `Link: <…>; rel="next"` header.
    Link,
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
    /// Environment variable `from_env` reads a base URL from; default: `env_var` with its
    /// `_API_KEY`, `_KEY` or `_TOKEN` ending replaced by `_BASE_URL` (`BASETEN_API_KEY` →
    /// `BASETEN_BASE_URL`).
    pub base_url_env: Option<String>,
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
    /// Word sent before the key (`Api-Key` gives `Authorization: Api-Key <key>`; an empty
    /// one sends the key bare). Unset for a key in `Authorization`, lowering reads it from
    /// an example `Authorization: <Scheme> <…>` in the scheme's description, and warns.
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
    fn paging_and_idempotency_parse() {
        let text = r#"
            [idempotency]
            methods = ["POST"]
            [operations."GET /v1/things".paging]
            scheme = "page-token"
            param = "token"
            next = "meta.next"
            [operations."GET /v1/other".paging]
            scheme = "none"
        "#;
        let settings = Settings::from_toml(text).expect("valid settings");
        assert_eq!(settings.idempotency.header_name(), "Idempotency-Key");
        assert_eq!(settings.idempotency.methods, ["POST"]);
        let paging = settings.operations["GET /v1/things"].paging.as_ref();
        let paging = paging.expect("paging");
        assert_eq!(paging.scheme, SchemeName::PageToken);
        assert_eq!(paging.next.as_deref(), Some("meta.next"));
        let off = settings.operations["GET /v1/other"].paging.as_ref();
        assert_eq!(off.map(|p| p.scheme), Some(SchemeName::None));
        let err = Settings::from_toml("[operations.\"GET /x\".paging]\nscheme = \"pages\"\n")
            .expect_err("unknown scheme");
        assert!(err.contains("page-token"), "{err}");
    }

    #[test]
    fn unknown_keys_are_refused() {
        let err = Settings::from_toml("[auth]\nenv = \"X\"\n").expect_err("typo");
        assert!(err.contains("env"), "{err}");
    }
}

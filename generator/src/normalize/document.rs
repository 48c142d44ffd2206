//! The document level: `info`, the top-level sections, `webhooks`, tags, `$self`, and the
//! sections of `components`.

use serde_json::Value;

use super::util::{kind, move_key, take_entries};
use super::{DROPPED_PREFIX, Object};
use crate::diagnostics::{Diagnostics, pointer};

/// The top-level keys whose value is an object or a list, read as absent when `null`.
const OPTIONAL_SECTIONS: [&str; 7] = [
    "servers",
    "paths",
    "components",
    "security",
    "tags",
    "externalDocs",
    "webhooks",
];

/// The sections of `components`, read as absent when `null`.
const COMPONENT_SECTIONS: [&str; 10] = [
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "pathItems",
];

/// Everything at the document level, before the walk over paths and components.
pub(super) fn normalize_root(root: &mut Object, diags: &mut Diagnostics) {
    drop_null_sections(root, "#", &OPTIONAL_SECTIONS, diags);
    normalize_info(root, diags);
    move_json_schema_dialect(root, diags);
    if root.get("paths").is_none_or(Value::is_null) {
        root.insert("paths".to_owned(), Value::Object(Object::new()));
    }
    move_key(root, "$self", "x-apigen-self");
    normalize_tags(root);
    move_webhooks(root, diags);
}

/// Removes the entries of `obj` named in `keys` whose value is `null`, with a warning each:
/// `components.headers: null` means there are none.
fn drop_null_sections(obj: &mut Object, ptr: &str, keys: &[&str], diags: &mut Diagnostics) {
    for key in keys {
        if obj.get(*key).is_some_and(Value::is_null) {
            obj.shift_remove(*key);
            diags.warning(
                pointer(ptr, key),
                format!("`{key}: null` is read as if `{key}` were absent"),
            );
        }
    }
}

/// Moves the 3.1-only `info.summary` and `info.license.identifier` under `x-apigen-` keys,
/// where `openapiv3` keeps them as extensions and lowering reads them. A missing or
/// non-string `version` (which the generator only shows in the crate docs) becomes `0.0.0`,
/// with a warning.
fn normalize_info(root: &mut Object, diags: &mut Diagnostics) {
    let Some(info) = root.get_mut("info").and_then(Value::as_object_mut) else {
        return;
    };
    move_key(info, "summary", "x-apigen-summary");
    if let Some(license) = info.get_mut("license").and_then(Value::as_object_mut) {
        move_key(license, "identifier", "x-apigen-license-identifier");
    }
    let version = match info.get("version") {
        Some(Value::String(_)) => return,
        Some(Value::Number(n)) => n.to_string(),
        Some(other) => {
            diags.warning(
                "#/info/version",
                format!(
                    "`info.version` must be a string, found {}; the crate docs give the API \
                     version as `0.0.0`",
                    kind(other)
                ),
            );
            "0.0.0".to_owned()
        }
        None => {
            diags
                .warning(
                    "#/info",
                    "`info.version` is missing; the crate docs give the API version as `0.0.0`",
                )
                .help("add the version of the API the document describes: `version: 1.0.0`");
            "0.0.0".to_owned()
        }
    };
    info.insert("version".to_owned(), Value::String(version));
}

/// Moves `jsonSchemaDialect` (3.1) to `x-apigen-jsonSchemaDialect` and warns.
fn move_json_schema_dialect(root: &mut Object, diags: &mut Diagnostics) {
    if move_key(root, "jsonSchemaDialect", "x-apigen-jsonSchemaDialect") {
        let message = "`jsonSchemaDialect` is not supported and was dropped; schemas are read \
                       with the OpenAPI 3.1 default dialect";
        diags.warning("#/jsonSchemaDialect", message);
    }
}

/// Moves the OpenAPI 3.2 fields of each tag (`summary`, `parent`, `kind`), which `openapiv3`
/// does not model, under `x-apigen-` keys, where lowering reads them.
fn normalize_tags(root: &mut Object) {
    let Some(tags) = root.get_mut("tags").and_then(Value::as_array_mut) else {
        return;
    };
    for tag in tags.iter_mut().filter_map(Value::as_object_mut) {
        for key in ["summary", "parent", "kind"] {
            move_key(tag, key, &format!("x-apigen-{key}"));
        }
    }
}

/// Moves top-level `webhooks` (3.1) to `x-apigen-webhooks` (the walk still normalizes the
/// schemas inside them, reported under `#/webhooks`), and warns once that they are skipped.
fn move_webhooks(root: &mut Object, diags: &mut Diagnostics) {
    let Some(webhooks) = root.shift_remove("webhooks") else {
        return;
    };
    let mut names: Vec<String> = webhooks
        .as_object()
        .map(|hooks| hooks.keys().map(|name| format!("`{name}`")).collect())
        .unwrap_or_default();
    names.sort();
    diags.warning(
        "#/webhooks",
        format!(
            "webhooks are not generated (a client receives no webhook calls): skipped {}",
            names.join(", ")
        ),
    );
    root.insert("x-apigen-webhooks".to_owned(), webhooks);
}

/// The sections of `components` before the walk: `null` ones removed, reusable path items
/// and `mutualTLS` schemes moved aside.
pub(super) fn prepare_components(components: &mut Object, ptr: &str, diags: &mut Diagnostics) {
    drop_null_sections(components, ptr, &COMPONENT_SECTIONS, diags);
    move_path_items(components, ptr, diags);
    move_mutual_tls_schemes(components, ptr, diags);
}

/// Moves `components.pathItems` (3.1) to `components.x-apigen-pathItems` (the walk still
/// normalizes the schemas inside), and warns: `openapiv3` has no place for reusable path
/// items, and references to them were inlined before this pass.
fn move_path_items(components: &mut Object, ptr: &str, diags: &mut Diagnostics) {
    let Some(items) = components.shift_remove("pathItems") else {
        return;
    };
    let base = pointer(ptr, "pathItems");
    let mut names: Vec<String> = items
        .as_object()
        .map(|items| items.keys().map(|name| format!("`{name}`")).collect())
        .unwrap_or_default();
    names.sort();
    diags.warning(
        base,
        format!(
            "reusable path items are generated only where a path refers to them: {}",
            names.join(", ")
        ),
    );
    components.insert("x-apigen-pathItems".to_owned(), items);
}

/// Moves security schemes of the 3.1-only type `mutualTLS`, which `openapiv3` rejects, to
/// `components.x-apigen-dropped-securitySchemes`, and warns for each.
fn move_mutual_tls_schemes(components: &mut Object, ptr: &str, diags: &mut Diagnostics) {
    let Some(schemes) = components
        .get_mut("securitySchemes")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let moved = take_entries(schemes, |scheme| {
        scheme.get("type").and_then(Value::as_str) == Some("mutualTLS")
    });
    let base = pointer(ptr, "securitySchemes");
    for name in moved.keys() {
        let message = "security scheme type `mutualTLS` is not supported and was dropped";
        diags.warning(pointer(&base, name), message);
    }
    if !moved.is_empty() {
        let key = format!("{DROPPED_PREFIX}securitySchemes");
        components.insert(key, Value::Object(moved));
    }
}

//! OpenAPI 3.2's `query` operation and `additionalOperations` (other methods by name), which
//! `openapiv3` does not model: normalization keeps them under `x-apigen-query` and
//! `x-apigen-additionalOperations`, and they are read here into operations beside the others.

use openapiv3::{OpenAPI, Operation, PathItem, ReferenceOr};
use serde_json::Value;

use crate::diagnostics::{Diagnostics, pointer};
use crate::model::Method;

/// An operation of a method `openapiv3` has no field for.
pub(super) struct ExtraOperation {
    /// The key of its path item in `paths`.
    pub(super) path_key: String,
    pub(super) method: Method,
    pub(super) op: Operation,
    /// Where the document writes it (`#/paths/~1search/query`).
    pub(super) at: String,
}

/// The `query` and `additionalOperations` operations of every path item, in path order; one
/// that cannot be read is reported and left out.
pub(super) fn extra_operations(doc: &OpenAPI, diags: &mut Diagnostics) -> Vec<ExtraOperation> {
    let mut found = Vec::new();
    for (path, item) in &doc.paths.paths {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let at = pointer("#/paths", path);
        found.extend(of_item(path, item, &at, diags));
    }
    found
}

fn of_item(path: &str, item: &PathItem, at: &str, diags: &mut Diagnostics) -> Vec<ExtraOperation> {
    let mut found = Vec::new();
    if let Some(value) = item.extensions.get("x-apigen-query") {
        let at = pointer(at, "query");
        found.extend(read(path, Method::Query, value, at, diags));
    }
    let additional = item
        .extensions
        .get("x-apigen-additionalOperations")
        .and_then(Value::as_object);
    for (name, value) in additional.into_iter().flatten() {
        let at = pointer(&pointer(at, "additionalOperations"), name);
        let Some(method) = method(name, &at, diags) else {
            continue;
        };
        found.extend(read(path, method, value, at, diags));
    }
    found
}

/// The method an `additionalOperations` key names; a key that is no HTTP token, or one of the
/// methods with a field of their own, is reported and left out.
fn method(name: &str, at: &str, diags: &mut Diagnostics) -> Option<Method> {
    let token = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c));
    if !token {
        diags.warning(
            at,
            format!("`{name}` is not an HTTP method name: the operation is not generated"),
        );
        return None;
    }
    let fixed = crate::grammar::METHODS
        .iter()
        .chain(&["query"])
        .any(|m| m.eq_ignore_ascii_case(name));
    if fixed {
        diags
            .warning(
                at,
                format!(
                    "`{name}` has a field of its own in a path item, not a place in \
                     `additionalOperations`: the operation is not generated"
                ),
            )
            .help(format!(
                "write the operation under `{}`",
                name.to_ascii_lowercase()
            ));
        return None;
    }
    Some(Method::Other(name.to_owned()))
}

fn read(
    path: &str,
    method: Method,
    value: &Value,
    at: String,
    diags: &mut Diagnostics,
) -> Option<ExtraOperation> {
    match serde_path_to_error::deserialize::<_, Operation>(value) {
        Ok(op) => Some(ExtraOperation {
            path_key: path.to_owned(),
            method,
            op,
            at,
        }),
        Err(err) => {
            diags.warning(
                &at,
                format!(
                    "not a valid OpenAPI operation (at `{}` in it): {}: the operation is not \
                     generated",
                    err.path(),
                    err.inner()
                ),
            );
            None
        }
    }
}

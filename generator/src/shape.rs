//! The normalized tree into the `openapiv3` model, reporting every shape it rejects, not only
//! the first.
//!
//! `openapiv3` stops at the first value of the wrong shape. To find the others, the part of
//! the document holding it is set aside and the tree is read again: an operation
//! (`#/paths/~1pets/get`), a path item, a component (`#/components/schemas/Pet`), or a
//! top-level entry (`servers`, `security`, `tags`); `info` is replaced by a placeholder. Each
//! shape is reported at its own pointer (unless normalization reported an error at or below
//! it, which is its cause), at most [`MAX_SHAPE_ERRORS`] of them.
//!
//! What setting a part aside costs decides how it is reported (see `Cost`): an operation
//! or a path item set aside is not generated, and a component schema replaced by `{}` is
//! typed as any JSON value, each with a warning, and the rest of the document still
//! generates. Anything else set aside (a parameter, response or body component that
//! operations refer to, `info`, `security`) is an error: without it requests would come out
//! wrong.

use serde_json::{Value, json};

use crate::diagnostics::{Diagnostics, pointer};

/// After this many shape errors the reading stops (each one costs a reading of the tree).
pub const MAX_SHAPE_ERRORS: usize = 20;

/// What was set aside to read past shape errors.
#[derive(Debug, Default)]
pub struct SetAside {
    /// Pointers of the components removed, whose references are not reported again.
    pub components: Vec<String>,
}

/// Reads `tree` into `openapiv3`, reporting each shape error in `diags`; `None` when the
/// document could not be read even after setting parts aside.
pub fn to_openapi(
    mut tree: Value,
    diags: &mut Diagnostics,
) -> Option<(openapiv3::OpenAPI, SetAside)> {
    let mut set_aside = SetAside::default();
    for _ in 0..MAX_SHAPE_ERRORS {
        let err = match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&tree) {
            Ok(doc) => return Some((doc, set_aside)),
            Err(err) => err,
        };
        let (at, message) = match refine_paths(&tree, &path_to_pointer(err.path())) {
            Some(found) => found,
            None => (path_to_pointer(err.path()), err.inner().to_string()),
        };
        // An error found earlier at or below this place (normalization's, which knows the
        // keyword) is the cause, and says it better.
        let explained = diags.iter().any(|d| {
            d.severity == crate::Severity::Error
                && (d.pointer == at || d.pointer.starts_with(&format!("{at}/")))
        });
        let Some(cost) = set_part_aside(&mut tree, &at, &mut set_aside) else {
            report(diags, &at, &message, Cost::Document, explained);
            return None;
        };
        report(diags, &at, &message, cost, explained);
    }
    diags
        .error(
            "#",
            format!(
                "more than {MAX_SHAPE_ERRORS} values have the wrong shape; the rest is not checked"
            ),
        )
        .help("fix the errors above and run again");
    None
}

/// What setting a part of the document aside costs the generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Cost {
    /// The operation `METHOD path` is not generated.
    Operation(String),
    /// The operations of the path item are not generated.
    PathItem(String),
    /// The component schema is typed as any JSON value.
    Schema,
    /// Something requests need: the document cannot be generated from.
    Document,
}

/// Reports a shape at `at` by what setting it aside costs: a warning when the cost stays
/// local, else an error (unless an error normalization reported explains it).
fn report(diags: &mut Diagnostics, at: &str, message: &str, cost: Cost, explained: bool) {
    let what = format!("not a valid OpenAPI document here: {message}");
    let local = match cost {
        Cost::Operation(op) => format!("{what}: the operation `{op}` is not generated"),
        Cost::PathItem(path) => {
            format!("{what}: the operations of the path `{path}` are not generated")
        }
        Cost::Schema => format!("{what}: the schema is typed as any JSON value"),
        Cost::Document if explained => return,
        Cost::Document => {
            diags.error(at, what).help(shape_help(message));
            return;
        }
    };
    diags.warning(at, local).help(shape_help(message));
}

/// `openapiv3` reads `paths`, path items and operations through maps of their own, which lose
/// the place of an error inside them; reading each part alone finds it again, down to the
/// field of an operation.
fn refine_paths(tree: &Value, at: &str) -> Option<(String, String)> {
    if at != "#/paths" {
        return None;
    }
    tree.get("paths")?
        .as_object()?
        .iter()
        .find_map(|(path, item)| {
            let at = pointer("#/paths", path);
            let err = first_error::<openapiv3::ReferenceOr<openapiv3::PathItem>>(item, &at)?;
            Some(refine_path_item(item, &at).unwrap_or(err))
        })
}

fn refine_path_item(item: &Value, at: &str) -> Option<(String, String)> {
    item.as_object()?.iter().find_map(|(key, value)| {
        let here = pointer(at, key);
        match key.as_str() {
            "parameters" => {
                first_error::<Vec<openapiv3::ReferenceOr<openapiv3::Parameter>>>(value, &here)
            }
            key if is_method(key) => {
                let err = first_error::<openapiv3::Operation>(value, &here)?;
                Some(refine_operation(value, &here).unwrap_or(err))
            }
            _ => None,
        }
    })
}

fn refine_operation(operation: &Value, at: &str) -> Option<(String, String)> {
    operation.as_object()?.iter().find_map(|(key, value)| {
        let here = pointer(at, key);
        match key.as_str() {
            "parameters" => {
                first_error::<Vec<openapiv3::ReferenceOr<openapiv3::Parameter>>>(value, &here)
            }
            "requestBody" => {
                first_error::<openapiv3::ReferenceOr<openapiv3::RequestBody>>(value, &here)
            }
            "responses" => first_error::<openapiv3::Responses>(value, &here),
            _ => None,
        }
    })
}

/// The error of reading `value` as a `T`, with its pointer below `at`.
fn first_error<T: serde::de::DeserializeOwned>(
    value: &Value,
    at: &str,
) -> Option<(String, String)> {
    let err = serde_path_to_error::deserialize::<_, T>(value).err()?;
    let inner = path_to_pointer(err.path());
    Some((format!("{at}{}", &inner[1..]), err.inner().to_string()))
}

/// How serde's name of a type reads to someone writing a spec.
fn expected_thing(expected: &str) -> String {
    let named = expected
        .strip_prefix("struct ")
        .or_else(|| expected.strip_prefix("internally tagged enum "))
        .or_else(|| expected.strip_prefix("enum "));
    match named {
        Some(name) => format!("an OpenAPI `{name}` object"),
        None => match expected {
            "a sequence" => "a list".to_owned(),
            other => other.to_owned(),
        },
    }
}

/// What to do about a shape `openapiv3` rejects, from its message.
fn shape_help(message: &str) -> String {
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
    {
        return format!("add the required field `{field}` here");
    }
    if let Some((_, expected)) = message.rsplit_once("expected ") {
        return format!("write {} here", expected_thing(expected));
    }
    "correct the value at this place, as the OpenAPI specification describes it".to_owned()
}

/// Sets aside the smallest part of the document that holds `at`, and says what that costs;
/// `None` when there is none to set aside (the root itself, or a place already set aside).
fn set_part_aside(tree: &mut Value, at: &str, set_aside: &mut SetAside) -> Option<Cost> {
    let segments: Vec<String> = at
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect();
    let root = tree.as_object_mut()?;
    let segs: Vec<&str> = segments.iter().map(String::as_str).collect();
    let done = |removed: bool, cost: Cost| removed.then_some(cost);
    match segs.as_slice() {
        [] if !root.contains_key("info") => done(
            replace(root, "info", json!({"title": "", "version": ""})),
            Cost::Document,
        ),
        [] => None,
        ["paths", path, method, ..] if is_method(method) => {
            let op = format!("{} {path}", method.to_ascii_uppercase());
            done(
                remove_in(root, &["paths", path], method),
                Cost::Operation(op),
            )
        }
        ["paths", path, ..] => done(
            remove_in(root, &["paths"], path),
            Cost::PathItem((*path).to_owned()),
        ),
        ["paths"] => done(replace(root, "paths", json!({})), Cost::Document),
        ["components", "schemas", name, ..] => done(
            replace_in(root, &["components", "schemas"], name, json!({})),
            Cost::Schema,
        ),
        ["components", section, name, ..] => {
            let removed = remove_in(root, &["components", section], name);
            if removed {
                let section_at = pointer("#/components", section);
                set_aside.components.push(pointer(&section_at, name));
            }
            done(removed, Cost::Document)
        }
        ["components", ..] => done(root.remove("components").is_some(), Cost::Document),
        ["info", ..] => done(
            replace(root, "info", json!({"title": "", "version": ""})),
            Cost::Document,
        ),
        ["openapi", ..] => done(replace(root, "openapi", json!("3.0.3")), Cost::Document),
        [top, ..] => done(root.remove(*top).is_some(), Cost::Document),
    }
}

fn is_method(key: &str) -> bool {
    [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ]
    .contains(&key)
}

/// Removes `key` from the object at `path` under `root`; `false` if there is none.
fn remove_in(root: &mut serde_json::Map<String, Value>, path: &[&str], key: &str) -> bool {
    let mut node = root;
    for step in path {
        match node.get_mut(*step).and_then(Value::as_object_mut) {
            Some(next) => node = next,
            None => return false,
        }
    }
    node.shift_remove(key).is_some()
}

/// Replaces `key` of the object at `path` under `root` by `value`, unless it already is
/// that (which would loop); `false` if there is nothing to replace.
fn replace_in(
    root: &mut serde_json::Map<String, Value>,
    path: &[&str],
    key: &str,
    value: Value,
) -> bool {
    let mut node = root;
    for step in path {
        match node.get_mut(*step).and_then(Value::as_object_mut) {
            Some(next) => node = next,
            None => return false,
        }
    }
    match node.get_mut(key) {
        Some(old) if *old != value => {
            *old = value;
            true
        }
        _ => false,
    }
}

/// Replaces `root[key]` by `value`, unless it already is that (which would loop).
fn replace(root: &mut serde_json::Map<String, Value>, key: &str, value: Value) -> bool {
    if root.get(key) == Some(&value) {
        return false;
    }
    root.insert(key.to_owned(), value);
    true
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut at = String::from("#");
    for segment in path.iter() {
        at = match segment {
            Segment::Seq { index } => pointer(&at, &index.to_string()),
            Segment::Map { key } => pointer(&at, key),
            Segment::Enum { variant } => pointer(&at, variant),
            Segment::Unknown => at,
        };
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_error_is_reported_and_its_part_set_aside() {
        let tree = json!({
            "openapi": "3.0.3",
            "info": {"title": "t"},
            "paths": {
                "/a": {"get": {"responses": "none"}, "post": {"responses": {}}},
                "/b": {"parameters": 7},
            },
            "components": {"schemas": {"S": {"type": 12}, "T": {"type": "string"}}},
        });
        let mut diags = Diagnostics::default();
        let (doc, set_aside) = to_openapi(tree, &mut diags).expect("readable once set aside");
        let found: Vec<String> = diags.into_sorted().iter().map(|d| d.to_string()).collect();
        assert_eq!(found.len(), 4, "{found:#?}");
        let has = |text: &str| found.iter().any(|e| e.contains(text));
        assert!(
            has("error: not a valid OpenAPI document here: missing field `version` (at #/info)"),
            "{found:#?}"
        );
        assert!(
            has("the operation `GET /a` is not generated (at #/paths/~1a/get/responses)"),
            "{found:#?}"
        );
        assert!(
            has("the operations of the path `/b` are not generated (at #/paths/~1b/parameters)"),
            "{found:#?}"
        );
        assert!(
            has("typed as any JSON value (at #/components/schemas/S"),
            "{found:#?}"
        );
        assert!(set_aside.components.is_empty());
        let schemas = &doc.components.as_ref().expect("kept").schemas;
        assert!(schemas.contains_key("S"), "replaced by `{{}}`, not removed");
        let post = doc.paths.paths["/a"]
            .as_item()
            .and_then(|p| p.post.as_ref());
        assert!(
            post.is_some(),
            "the valid operation beside a broken one stays"
        );
        assert!(doc.components.is_some_and(|c| c.schemas.contains_key("T")));
    }

    #[test]
    fn a_document_that_is_not_an_object_cannot_be_read() {
        let mut diags = Diagnostics::default();
        assert!(to_openapi(json!([1]), &mut diags).is_none());
        assert!(diags.has_errors());
    }
}

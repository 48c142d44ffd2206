//! The normalized tree into the `openapiv3` model, reporting every shape it rejects, not only
//! the first.
//!
//! `openapiv3` stops at the first value of the wrong shape. To find the others, the part of
//! the document holding it is set aside and the tree is read again: an operation
//! (`#/paths/~1pets/get`), a path item, a component (`#/components/schemas/Pet`), or a
//! top-level entry (`servers`, `security`, `tags`); `info` is replaced by a placeholder. Each
//! error is reported at its own pointer (unless normalization reported an error at or below
//! it, which is its cause), at most [`MAX_SHAPE_ERRORS`] of them, and the run
//! goes on to lowering, whose own errors are reported beside them (except that references to
//! a component set aside are not reported again). The run fails: nothing is generated from a
//! document with shape errors.

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
        if !explained {
            diags
                .error(&at, format!("not a valid OpenAPI document here: {message}"))
                .help(shape_help(&message));
        }
        if !set_part_aside(&mut tree, &at, &mut set_aside) {
            return None;
        }
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

/// Sets aside the smallest part of the document that holds `at`; `false` when there is none
/// to set aside (the root itself, or a place already set aside).
fn set_part_aside(tree: &mut Value, at: &str, set_aside: &mut SetAside) -> bool {
    let segments: Vec<String> = at
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect();
    let Some(root) = tree.as_object_mut() else {
        return false;
    };
    let segs: Vec<&str> = segments.iter().map(String::as_str).collect();
    match segs.as_slice() {
        [] if !root.contains_key("info") => {
            replace(root, "info", json!({"title": "", "version": ""}))
        }
        [] => false,
        ["paths", path, method, ..] if is_method(method) => {
            remove_in(root, &["paths", path], method)
        }
        ["paths", path, ..] => remove_in(root, &["paths"], path),
        ["paths"] => replace(root, "paths", json!({})),
        ["components", section, name, ..] => {
            let removed = remove_in(root, &["components", section], name);
            if removed {
                let section_at = pointer("#/components", section);
                set_aside.components.push(pointer(&section_at, name));
            }
            removed
        }
        ["components", ..] => root.remove("components").is_some(),
        ["info", ..] => replace(root, "info", json!({"title": "", "version": ""})),
        ["openapi", ..] => replace(root, "openapi", json!("3.0.3")),
        [top, ..] => root.remove(*top).is_some(),
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
        let errors: Vec<String> = diags.into_sorted().iter().map(|d| d.to_string()).collect();
        assert_eq!(errors.len(), 4, "{errors:#?}");
        assert!(
            errors.iter().any(
                |e| e.contains("(at #/info)") && e.contains("add the required field `version`")
            ),
            "{errors:#?}"
        );
        assert!(
            errors
                .iter()
                .any(|e| e.contains("(at #/paths/~1a/get/responses)")),
            "{errors:#?}"
        );
        assert!(
            errors
                .iter()
                .any(|e| e.contains("(at #/paths/~1b/parameters)")),
            "{errors:#?}"
        );
        assert!(
            errors.iter().any(|e| e.contains("#/components/schemas/S")),
            "{errors:#?}"
        );
        assert_eq!(set_aside.components, ["#/components/schemas/S"]);
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

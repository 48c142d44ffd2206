//! The walk over the objects that hold schemas, driven by the grammar: paths, path items,
//! operations, parameters, bodies, responses, headers, media types, callbacks and
//! components, each prepared for `openapiv3` on the way, and every schema normalized.

use serde_json::Value;

use super::schema::normalize_schema;
use super::util::{move_key, move_unknown_keys, not_supported, plural_keys, take_entries};
use super::{DROPPED_PREFIX, Object};
use crate::diagnostics::{Diagnostics, pointer};
use crate::grammar::{Kind, METHODS, Slot};

/// The keys of a path item that `openapiv3` models, besides the methods and `x-` extensions.
const PATH_ITEM_FIELDS: [&str; 5] = ["$ref", "summary", "description", "servers", "parameters"];

/// Where normalization keeps what `openapiv3` has no field for but lowering reads, by the
/// key the document spells it with: moved there before the walk, walked there, reported at
/// the key as written.
const KEPT: [(&str, &str); 4] = [
    ("webhooks", "x-apigen-webhooks"),
    ("pathItems", "x-apigen-pathItems"),
    ("query", "x-apigen-query"),
    ("additionalOperations", "x-apigen-additionalOperations"),
];

/// Walks the object of `kind` at `ptr`: prepares it for `openapiv3`, then walks each child
/// the grammar says holds objects (a schema is normalized as a whole, subschemas included).
pub(super) fn walk(value: &mut Value, kind: Kind, ptr: &str, diags: &mut Diagnostics) {
    if kind == Kind::Schema {
        normalize_schema(value, ptr, 0, diags);
        return;
    }
    let Some(obj) = value.as_object_mut() else {
        return;
    };
    if !prepare(obj, kind, ptr, diags) {
        return;
    }
    for (key, child) in obj.iter_mut() {
        if let Some(slot) = child_slot(kind, key) {
            walk_slot(child, slot, &pointer(ptr, written_key(key)), diags);
        }
    }
}

/// What the value under `key` of an object of `kind` holds, the keys normalization moved
/// aside included.
fn child_slot(kind: Kind, key: &str) -> Option<Slot> {
    match (kind, key) {
        (Kind::Document, "x-apigen-webhooks") | (Kind::Components, "x-apigen-pathItems") => {
            Some(Slot::Map(Kind::PathItem))
        }
        (Kind::PathItem, "x-apigen-query") => Some(Slot::One(Kind::Operation)),
        (Kind::PathItem, "x-apigen-additionalOperations") => Some(Slot::Map(Kind::Operation)),
        _ => kind.child(key),
    }
}

/// The key as the document wrote it, for a key normalization moved aside.
fn written_key(key: &str) -> &str {
    KEPT.iter()
        .find(|(_, kept)| *kept == key)
        .map_or(key, |(written, _)| written)
}

fn walk_slot(value: &mut Value, slot: Slot, ptr: &str, diags: &mut Diagnostics) {
    match (slot, value) {
        (Slot::One(kind), value) => walk(value, kind, ptr, diags),
        (Slot::Map(kind), Value::Object(map)) => {
            for (key, child) in map.iter_mut() {
                walk(child, kind, &pointer(ptr, key), diags);
            }
        }
        (Slot::List(kind), Value::Array(items)) => {
            for (index, child) in items.iter_mut().enumerate() {
                walk(child, kind, &pointer(ptr, &index.to_string()), diags);
            }
        }
        _ => {}
    }
}

/// Prepares one object for `openapiv3` before its children are walked; `false` when it is a
/// `$ref` to a reusable object, which is not walked into.
fn prepare(obj: &mut Object, kind: Kind, ptr: &str, diags: &mut Diagnostics) -> bool {
    match kind {
        Kind::PathItem => {
            if is_reference(obj, ptr, "path item", diags) {
                return false;
            }
            prepare_path_item(obj, ptr, diags);
        }
        Kind::Callback => return !is_reference(obj, ptr, "callback", diags),
        Kind::Parameter => {
            if is_reference(obj, ptr, "parameter", diags) {
                return false;
            }
            prepare_parameter(obj);
        }
        Kind::RequestBody => return !is_reference(obj, ptr, "request body", diags),
        Kind::Response => return !is_reference(obj, ptr, "response", diags),
        Kind::Header => return !is_reference(obj, ptr, "header", diags),
        Kind::Operation => prepare_operation(obj, ptr, diags),
        // Its `itemSchema` is made its `schema` before the schema is normalized.
        Kind::MediaType => super::item_schema::rewrite(&media_type_at(ptr), obj, ptr, diags),
        Kind::Components => super::document::prepare_components(obj, ptr, diags),
        _ => {}
    }
    true
}

/// The media type a media type object at `ptr` is under: the last segment of the pointer,
/// unescaped (`…/content/application~1jsonl` → `application/jsonl`).
fn media_type_at(ptr: &str) -> String {
    let last = ptr.rsplit('/').next().unwrap_or_default();
    last.replace("~1", "/").replace("~0", "~")
}

/// The OpenAPI 3.2 `query` method and `additionalOperations` move to `x-apigen-` keys, where
/// lowering reads them; any other key of a path item that `openapiv3` does not model moves to
/// `x-apigen-dropped-<key>`, with one warning naming them.
fn prepare_path_item(obj: &mut Object, ptr: &str, diags: &mut Diagnostics) {
    for (written, kept) in &KEPT[2..] {
        move_key(obj, written, kept);
    }
    let moved = move_unknown_keys(obj, |key| {
        PATH_ITEM_FIELDS.contains(&key) || METHODS.contains(&key)
    });
    if moved.is_empty() {
        return;
    }
    let names: Vec<&str> = moved.iter().map(String::as_str).collect();
    let subject = format!("{} in a path item", plural_keys("key", &names));
    diags.warning(ptr, not_supported(&subject, names.len()));
}

/// An OpenAPI 3.2 `in: querystring` parameter (the whole query string), which `openapiv3`
/// rejects, is read as `in: query` marked `x-apigen-querystring`.
fn prepare_parameter(obj: &mut Object) {
    if obj.get("in").and_then(Value::as_str) == Some("querystring") {
        obj.insert("in".to_owned(), Value::String("query".to_owned()));
        obj.insert("x-apigen-querystring".to_owned(), Value::Bool(true));
    }
}

/// In 3.1 `responses` is optional; `openapiv3` requires it, so an empty map is added when it
/// is missing. `openapiv3` cannot hold a `$ref` among an operation's callbacks (it would fail
/// to read the document), so referenced callbacks move to `x-apigen-dropped-callbacks` with a
/// warning.
fn prepare_operation(obj: &mut Object, ptr: &str, diags: &mut Diagnostics) {
    obj.entry("responses")
        .or_insert_with(|| Value::Object(Object::new()));
    let Some(callbacks) = obj.get_mut("callbacks").and_then(Value::as_object_mut) else {
        return;
    };
    let moved = take_entries(callbacks, |callback| callback.get("$ref").is_some());
    let base = pointer(ptr, "callbacks");
    for name in moved.keys() {
        let message = "a `$ref` callback on an operation is not supported and was dropped";
        diags.warning(pointer(&base, name), message);
    }
    if !moved.is_empty() {
        obj.insert(format!("{DROPPED_PREFIX}callbacks"), Value::Object(moved));
    }
}

/// True when `obj` is a `$ref` to a reusable object (not a schema). OpenAPI 3.1 allows
/// `summary` and `description` beside such a `$ref`; `openapiv3` drops every sibling, so each
/// one is named in a warning. The object itself is left as it is.
fn is_reference(obj: &Object, ptr: &str, what: &str, diags: &mut Diagnostics) -> bool {
    if !obj.contains_key("$ref") {
        return false;
    }
    let siblings: Vec<&str> = obj
        .keys()
        .map(String::as_str)
        .filter(|key| *key != "$ref")
        .collect();
    if !siblings.is_empty() {
        let subject = format!(
            "{} beside the `$ref` to a {what}",
            plural_keys("key", &siblings)
        );
        diags.warning(ptr, not_supported(&subject, siblings.len()));
    }
    true
}

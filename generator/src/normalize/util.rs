//! Small helpers over JSON objects, and the wording of messages.

use serde_json::Value;

use super::{DROPPED_PREFIX, Object};

/// Moves `obj[from]` to `obj[to]`; returns true when there was something to move.
pub(super) fn move_key(obj: &mut Object, from: &str, to: &str) -> bool {
    match obj.remove(from) {
        Some(value) => {
            obj.insert(to.to_owned(), value);
            true
        }
        None => false,
    }
}

/// Removes the entries of `map` whose value satisfies `matches` and returns them.
pub(super) fn take_entries(map: &mut Object, matches: impl Fn(&Value) -> bool) -> Object {
    let names: Vec<String> = map
        .iter()
        .filter(|(_, value)| matches(value))
        .map(|(name, _)| name.clone())
        .collect();
    names
        .into_iter()
        .filter_map(|name| map.remove(&name).map(|value| (name, value)))
        .collect()
}

/// `keyword `a`` or `keywords `a`, `b``.
pub(super) fn plural_keys(noun: &str, names: &[&str]) -> String {
    let mut quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    quoted.sort();
    let suffix = if names.len() == 1 { "" } else { "s" };
    format!("{noun}{suffix} {}", quoted.join(", "))
}

/// `<subject> is not supported and was dropped`, in the plural when `count` is not one.
pub(super) fn not_supported(subject: &str, count: usize) -> String {
    if count == 1 {
        format!("{subject} is not supported and was dropped")
    } else {
        format!("{subject} are not supported and were dropped")
    }
}

/// What kind of JSON value this is, for messages.
pub(super) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a map",
    }
}

/// Moves every key of `obj` that is neither `is_known` nor an `x-` extension to
/// `x-apigen-dropped-<key>`; returns the keys moved, in map order.
pub(super) fn move_unknown_keys(obj: &mut Object, is_known: impl Fn(&str) -> bool) -> Vec<String> {
    let unknown: Vec<String> = obj
        .keys()
        .filter(|key| !key.starts_with("x-") && !is_known(key))
        .cloned()
        .collect();
    for key in &unknown {
        if let Some(value) = obj.remove(key) {
            obj.insert(format!("{DROPPED_PREFIX}{key}"), value);
        }
    }
    unknown
}

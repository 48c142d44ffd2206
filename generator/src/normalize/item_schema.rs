//! OpenAPI 3.2's `itemSchema`: the schema of each item of a sequential media type
//! (`text/event-stream`, JSON Lines and NDJSON, JSON text sequences; see `crate::media`).
//!
//! `openapiv3` knows only `schema`, so on a sequential media type:
//! - `itemSchema` becomes the media type's `schema`, marked `x-apigen-item-schema: true`;
//!   lowering reads a sequential media type's `schema` as each item's (as 3.0 and 3.1 specs
//!   write it), and the mark tells it the schema came from `itemSchema`;
//! - a `schema` beside it, which describes the whole sequence, moves to
//!   `x-apigen-dropped-schema`, with a warning;
//! - in an event's item schema (inline, or each inline `oneOf`/`anyOf` branch), a `data`
//!   property that is a string holding JSON (`contentMediaType` JSON or absent) with a
//!   `contentSchema` becomes that `contentSchema`: the runtime decodes the data as JSON.
//!
//! On any other media type `itemSchema` is not generated: it moves to
//! `x-apigen-dropped-itemSchema`, with a warning. Diagnostics about the item schema point at
//! `…/schema` afterwards.

use serde_json::Value;

use super::Object;
use super::util::move_key;
use crate::diagnostics::{Diagnostics, pointer};
use crate::media::{Sequential, sequential};

/// The mark on a media type whose `schema` was its `itemSchema`.
pub(crate) const ITEM_SCHEMA_MARK: &str = "x-apigen-item-schema";

/// Rewrites the `itemSchema` of the media type `media_type`, at `at`, as the module says;
/// before its `schema` is normalized.
pub(super) fn rewrite(media_type: &str, media: &mut Object, at: &str, diags: &mut Diagnostics) {
    if !media.contains_key("itemSchema") {
        return;
    }
    let Some(kind) = sequential(media_type) else {
        move_key(media, "itemSchema", "x-apigen-dropped-itemSchema");
        diags.warning(
            pointer(at, "itemSchema"),
            format!(
                "`itemSchema` is generated only for sequential media types (server-sent \
                 events, JSON Lines, NDJSON, JSON text sequences), not `{media_type}`; it was \
                 dropped"
            ),
        );
        return;
    };
    if move_key(media, "schema", "x-apigen-dropped-schema") {
        diags.warning(
            pointer(at, "schema"),
            "`schema` beside `itemSchema` describes the whole sequence; the items are typed \
             by `itemSchema` and this schema was dropped",
        );
    }
    move_key(media, "itemSchema", "schema");
    media.insert(ITEM_SCHEMA_MARK.to_owned(), Value::Bool(true));
    if kind == Sequential::Events {
        if let Some(event) = media.get_mut("schema").and_then(Value::as_object_mut) {
            json_data_as_its_schema(event);
        }
    }
}

/// The rewrite of `data` in an event object and in its inline `oneOf`/`anyOf` branches.
fn json_data_as_its_schema(event: &mut Object) {
    take_content_schema(event);
    for keyword in ["oneOf", "anyOf"] {
        let branches = event.get_mut(keyword).and_then(Value::as_array_mut);
        for branch in branches.into_iter().flatten() {
            if let Some(branch) = branch.as_object_mut() {
                take_content_schema(branch);
            }
        }
    }
}

/// `properties.data: {type: string, contentMediaType: application/json, contentSchema: S}`
/// becomes `properties.data: S`; any other `data` is left as it is.
fn take_content_schema(event: &mut Object) {
    let Some(data) = event
        .get_mut("properties")
        .and_then(Value::as_object_mut)
        .and_then(|properties| properties.get_mut("data"))
    else {
        return;
    };
    let Some(fields) = data.as_object() else {
        return;
    };
    let holds_json = fields
        .get("contentMediaType")
        .is_none_or(|media| media.as_str().is_some_and(is_json));
    let is_text = fields
        .get("type")
        .is_none_or(|t| t.as_str() == Some("string"));
    if !(holds_json && is_text) {
        return;
    }
    if let Some(schema) = fields.get("contentSchema").cloned() {
        *data = schema;
    }
}

/// Whether a media type is JSON (`application/json`, `application/*+json`).
fn is_json(media_type: &str) -> bool {
    let essence = crate::media::essence(media_type);
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use crate::diagnostics::{Diagnostics, Severity};

    /// The content of a response after normalizing, and the warnings' pointers and texts.
    fn normalized(content: Value) -> (Value, Vec<(String, String)>) {
        let mut doc = json!({
            "openapi": "3.2.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/s": {"get": {"responses": {"200": {
                "description": "ok", "content": content,
            }}}}},
        });
        let mut diags = Diagnostics::default();
        super::super::normalize(&mut doc, &mut diags);
        let warnings = diags
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .map(|d| (d.pointer.clone(), d.message.clone()))
            .collect();
        let content = doc["paths"]["/s"]["get"]["responses"]["200"]["content"].take();
        (content, warnings)
    }

    #[test]
    fn an_item_schema_of_a_sequence_becomes_its_schema_with_the_mark() {
        let (content, warnings) = normalized(json!({
            "application/jsonl": {"itemSchema": {"type": ["string", "null"]}},
        }));
        assert_eq!(
            content,
            json!({"application/jsonl": {
                "schema": {"type": "string", "nullable": true},
                "x-apigen-item-schema": true,
            }})
        );
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn a_whole_sequence_schema_beside_it_is_dropped_with_a_warning() {
        let (content, warnings) = normalized(json!({
            "application/json-seq": {
                "schema": {"type": "array"},
                "itemSchema": {"type": "integer"},
            },
        }));
        let media = &content["application/json-seq"];
        assert_eq!(media["schema"], json!({"type": "integer"}));
        assert_eq!(media["x-apigen-dropped-schema"], json!({"type": "array"}));
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].0.ends_with("application~1json-seq/schema"));
        assert!(
            warnings[0].1.contains("whole sequence"),
            "{}",
            warnings[0].1
        );
    }

    #[test]
    fn event_data_holding_json_takes_its_content_schema() {
        let data = |schema: Value| {
            json!({
                "type": "string",
                "contentMediaType": "application/json",
                "contentSchema": schema,
            })
        };
        let (content, _) = normalized(json!({
            "text/event-stream": {"itemSchema": {
                "type": "object",
                "properties": {"event": {"type": "string"}, "data": data(json!({"type": "integer"}))},
                "oneOf": [
                    {"properties": {"data": data(json!({"type": "boolean"}))}},
                    {"properties": {"data": {"type": "string", "contentMediaType": "text/plain",
                                             "contentSchema": {"type": "integer"}}}},
                ],
            }},
        }));
        let event = &content["text/event-stream"]["schema"];
        assert_eq!(event["properties"]["data"], json!({"type": "integer"}));
        assert_eq!(
            event["oneOf"][0]["properties"]["data"],
            json!({"type": "boolean"})
        );
        assert_eq!(
            event["oneOf"][1]["properties"]["data"]["type"],
            json!("string"),
            "text data stays text"
        );
    }

    #[test]
    fn an_item_schema_elsewhere_is_dropped_with_a_warning() {
        let (content, warnings) = normalized(json!({
            "application/json": {"itemSchema": {"type": "integer"}},
        }));
        assert_eq!(
            content,
            json!({"application/json": {"x-apigen-dropped-itemSchema": {"type": "integer"}}})
        );
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].0.ends_with("application~1json/itemSchema"));
    }
}

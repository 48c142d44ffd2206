//! `text/event-stream` responses: the type of each server-sent event's `data`.
//!
//! Specs describe a stream in one of two ways. OpenAI's schema describes the data of one
//! event; Together's (like OpenAPI 3.2's `itemSchema`) describes the event itself, an object
//! with the fields of the wire format. The rule:
//! - no schema: the data is text (`String`);
//! - an *event object*, an object whose properties are among `data`, `event`, `id` and
//!   `retry` and include `data`: the data has the type of its `data` property;
//! - a `oneOf` or `anyOf` whose branches are all event objects: branches whose data can only
//!   be the `[DONE]` sentinel are left out (the runtime ends the stream on it). One branch
//!   left gives its data's type; none gives `String`; several give any JSON value, with a
//!   warning, since their data shapes are not themselves a schema of the document;
//! - any other schema is the data's type.
//!
//! Each `$ref` is followed through the resolver to see the shape; the data type itself is
//! lowered like any other schema, so a referenced component keeps its own name.

use openapiv3::{MediaType, ReferenceOr, Schema, SchemaKind, Type};

use super::Lowerer;
use super::schema::{lower_boxed, lower_schema};
use crate::diagnostics::pointer;
use crate::model::{Primitive, TypeRef};

/// The fields of the event-stream wire format.
const EVENT_FIELDS: &[&str] = &["data", "event", "id", "retry"];

/// The data of the event that ends OpenAI's and Together's streams.
const DONE: &str = "[DONE]";

/// The schema of an event object's `data` property, and its pointer.
type Data<'d> = (&'d ReferenceOr<Box<Schema>>, String);

/// The type of each event's data for a `text/event-stream` media type at `at`; an inline
/// data schema becomes a type named `{hint}Event`.
pub(super) fn data_type(cx: &mut Lowerer<'_>, media: &MediaType, at: &str, hint: &str) -> TypeRef {
    let Some(schema) = &media.schema else {
        return TypeRef::Primitive(Primitive::String);
    };
    let at = pointer(at, "schema");
    let hint = format!("{hint}Event");
    let Some((resolved, resolved_at)) = schema_of(cx, schema, &at) else {
        // A dangling `$ref`: lowering it reports the error.
        return lower_schema(cx, schema, &at, &hint);
    };
    if let Some((data, data_at)) = event_data(resolved, &resolved_at) {
        return lower_boxed(cx, data, &data_at, &hint);
    }
    match event_branches(cx, resolved, &resolved_at) {
        Some(branches) => branches_data_type(cx, branches, &resolved_at, &hint),
        None => lower_schema(cx, schema, &at, &hint),
    }
}

/// The data type of a union of event objects, without its sentinel branches.
fn branches_data_type(
    cx: &mut Lowerer<'_>,
    branches: Vec<Data<'_>>,
    at: &str,
    hint: &str,
) -> TypeRef {
    let kept: Vec<_> = branches
        .into_iter()
        .filter(|(data, _)| !is_sentinel(cx, data))
        .collect();
    match kept.as_slice() {
        [] => TypeRef::Primitive(Primitive::String),
        [(data, data_at)] => lower_boxed(cx, data, data_at, hint),
        _ => {
            cx.diags.warning(
                at,
                "the events of this stream carry data of several shapes; \
                 each event's data is typed as any JSON value",
            );
            TypeRef::Primitive(Primitive::Json)
        }
    }
}

/// The `data` property of an event object, with its pointer.
fn event_data<'d>(schema: &'d Schema, at: &str) -> Option<Data<'d>> {
    let properties = match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => &object.properties,
        SchemaKind::Any(any) if any.typ.as_deref().is_none_or(|t| t == "object") => &any.properties,
        _ => return None,
    };
    let data = properties.get("data")?;
    let only_event_fields = properties
        .keys()
        .all(|name| EVENT_FIELDS.contains(&name.as_str()));
    only_event_fields.then(|| (data, pointer(&pointer(at, "properties"), "data")))
}

/// The `data` properties of a `oneOf` or `anyOf` whose branches are all event objects.
fn event_branches<'d>(cx: &Lowerer<'d>, schema: &'d Schema, at: &str) -> Option<Vec<Data<'d>>> {
    let (branches, keyword) = match &schema.schema_kind {
        SchemaKind::OneOf { one_of } => (one_of, "oneOf"),
        SchemaKind::AnyOf { any_of } => (any_of, "anyOf"),
        _ => return None,
    };
    if branches.is_empty() {
        return None;
    }
    let branches_at = pointer(at, keyword);
    branches
        .iter()
        .enumerate()
        .map(|(i, branch)| {
            let (branch, branch_at) =
                schema_of(cx, branch, &pointer(&branches_at, &i.to_string()))?;
            event_data(branch, &branch_at)
        })
        .collect()
}

/// Whether a data schema allows only the `[DONE]` sentinel.
fn is_sentinel(cx: &Lowerer<'_>, data: &ReferenceOr<Box<Schema>>) -> bool {
    let schema = match data {
        ReferenceOr::Item(schema) => Some(&**schema),
        ReferenceOr::Reference { reference } => {
            cx.resolver.schema_ref(reference).ok().map(|(s, _)| s)
        }
    };
    match schema.map(|s| &s.schema_kind) {
        Some(SchemaKind::Type(Type::String(string))) => {
            matches!(string.enumeration.as_slice(), [Some(value)] if value == DONE)
        }
        _ => false,
    }
}

/// The schema itself, or the schema its `$ref` leads to, with its pointer; `None` for a
/// reference that leads nowhere (lowering it reports why).
fn schema_of<'d>(
    cx: &Lowerer<'d>,
    schema: &'d ReferenceOr<Schema>,
    at: &str,
) -> Option<(&'d Schema, String)> {
    cx.resolver.schema(schema, at).ok()
}

#[cfg(test)]
mod tests {
    use crate::diagnostics::{Diagnostics, Severity};
    use crate::model::{Api, Primitive, ResponseBody, TypeRef};
    use crate::settings::Settings;

    /// Components shared by the cases: a data schema, event objects, the sentinel.
    const COMPONENTS: &str = r#"
components:
  schemas:
    Chunk: {type: object, properties: {text: {type: string}}}
    Other: {type: object, properties: {url: {type: string}}}
    ChunkEvent: {type: object, required: [data], properties: {data: {$ref: '#/components/schemas/Chunk'}}}
    OtherEvent: {type: object, properties: {event: {type: string}, data: {$ref: '#/components/schemas/Other'}}}
    Sentinel: {type: object, properties: {data: {type: string, enum: ['[DONE]']}}}
    AliasOfChunkEvent: {$ref: '#/components/schemas/ChunkEvent'}
"#;

    /// Lowers a spec with one `GET /events` whose 200 response has `content`.
    fn lower(content: &str) -> (Api, Vec<String>) {
        let spec = format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\nservers: [{{url: 'https://t.example'}}]\npaths:\n  /events:\n    get:\n      \
             operationId: getEvents\n      responses:\n        '200':\n          description: ok\n          \
             content: {content}\n{COMPONENTS}"
        );
        let mut tree = crate::load::parse(&spec).expect("the spec parses");
        let mut diags = Diagnostics::default();
        crate::normalize::normalize(&mut tree, &mut diags);
        let (doc, _) = crate::shape::to_openapi(tree, &mut diags).expect("the spec is valid");
        let api = super::super::lower(&doc, &Settings::default(), &mut diags);
        let warnings = diags
            .iter()
            .map(|d| {
                assert_eq!(d.severity, Severity::Warning, "{d}");
                d.message.clone()
            })
            .collect();
        (api, warnings)
    }

    /// The Rust name of the data type of the only operation's events.
    fn data_type(content: &str) -> String {
        let (api, _) = lower(content);
        match &api.operations[0].success.one().expect("one success").body {
            ResponseBody::EventStream(TypeRef::Named(id)) => api.types.get(*id).rust_name.clone(),
            ResponseBody::EventStream(TypeRef::Primitive(Primitive::String)) => "String".into(),
            ResponseBody::EventStream(TypeRef::Primitive(Primitive::Json)) => "Json".into(),
            other => panic!("not an event stream: {other:?}"),
        }
    }

    #[test]
    fn the_schema_is_the_data_unless_it_describes_the_event() {
        let cases = [
            ("{text/event-stream: {}}", "String"),
            ("{text/event-stream: {schema: {type: string}}}", "String"),
            (
                "{text/event-stream: {schema: {$ref: '#/components/schemas/Chunk'}}}",
                "Chunk",
            ),
            (
                "{text/event-stream: {schema: {$ref: '#/components/schemas/ChunkEvent'}}}",
                "Chunk",
            ),
            (
                "{text/event-stream: {schema: {$ref: '#/components/schemas/AliasOfChunkEvent'}}}",
                "Chunk",
            ),
            (
                "{'text/event-stream; charset=utf-8': {schema: {type: object, properties: \
                 {id: {type: string}, data: {$ref: '#/components/schemas/Other'}}}}}",
                "Other",
            ),
            (
                "{text/event-stream: {schema: {type: object, properties: \
                 {data: {type: string}, extra: {type: string}}}}}",
                "GetEventsEvent",
            ),
            (
                "{text/event-stream: {schema: {oneOf: [{$ref: '#/components/schemas/ChunkEvent'}, \
                 {$ref: '#/components/schemas/Sentinel'}]}}}",
                "Chunk",
            ),
            (
                "{text/event-stream: {schema: {anyOf: [{$ref: '#/components/schemas/Sentinel'}]}}}",
                "String",
            ),
            (
                "{text/event-stream: {schema: {oneOf: [{$ref: '#/components/schemas/Chunk'}, \
                 {$ref: '#/components/schemas/ChunkEvent'}]}}}",
                "GetEventsEvent",
            ),
        ];
        for (content, want) in cases {
            assert_eq!(data_type(content), want, "{content}");
        }
    }

    #[test]
    fn event_objects_with_several_data_shapes_are_any_json_with_a_warning() {
        let content = "{text/event-stream: {schema: {oneOf: [{$ref: '#/components/schemas/ChunkEvent'}, \
                       {$ref: '#/components/schemas/OtherEvent'}, {$ref: '#/components/schemas/Sentinel'}]}}}";
        assert_eq!(data_type(content), "Json");
        let (_, warnings) = lower(content);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("several shapes"), "{warnings:?}");
    }

    #[test]
    fn events_beside_another_media_type_become_a_second_method() {
        let (api, warnings) = lower(
            "{application/json: {schema: {$ref: '#/components/schemas/Other'}}, \
             text/event-stream: {schema: {$ref: '#/components/schemas/ChunkEvent'}}}",
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        let ops: Vec<(&str, Option<&str>)> = api
            .operations
            .iter()
            .map(|op| (op.rust_name.as_str(), op.sibling.as_deref()))
            .collect();
        assert_eq!(
            ops,
            [
                ("get_events", Some("get_events_stream")),
                ("get_events_stream", Some("get_events")),
            ]
        );
        assert!(matches!(
            api.operations[0].success.one().expect("one success").body,
            ResponseBody::Json(_)
        ));
        assert!(matches!(
            api.operations[1].success.one().expect("one success").body,
            ResponseBody::EventStream(TypeRef::Named(_))
        ));
        assert_eq!(api.operations[0].path, api.operations[1].path);
    }

    #[test]
    fn events_beside_bytes_leave_the_bytes_to_the_first_method() {
        let (api, _) = lower("{audio/mpeg: {}, text/event-stream: {}}");
        assert_eq!(api.operations.len(), 2);
        assert_eq!(
            api.operations[0].success.one().expect("one success").body,
            ResponseBody::Binary
        );
        assert_eq!(
            api.operations[1].success.one().expect("one success").body,
            ResponseBody::EventStream(TypeRef::Primitive(Primitive::String))
        );
    }
}

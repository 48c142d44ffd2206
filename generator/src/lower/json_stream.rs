//! Sequences of JSON values (JSON Lines, NDJSON, JSON text sequences): the type of each item.
//!
//! The rule:
//! - no schema: each item is any JSON value;
//! - OpenAPI 3.2's `itemSchema` (made the media type's `schema` by normalizing, with a mark)
//!   is each item's schema;
//! - in a 3.2 document, a `schema` without `itemSchema` describes the whole sequence as an
//!   array, so an array schema's `items` is each item's; any other schema is taken as each
//!   item's;
//! - in 3.0 and 3.1 documents, which have no `itemSchema`, the `schema` is each item's, as
//!   such specs write it.
//!
//! An inline item schema becomes a type named `{hint}Item`.

use openapiv3::{MediaType, ReferenceOr, SchemaKind, Type};

use super::Lowerer;
use super::schema::{lower_boxed, lower_schema};
use crate::diagnostics::pointer;
use crate::model::{Primitive, TypeRef};
use crate::normalize::ITEM_SCHEMA_MARK;

/// The type of each value of the sequential JSON media type at `at`.
pub(super) fn item_type(cx: &mut Lowerer<'_>, media: &MediaType, at: &str, hint: &str) -> TypeRef {
    let Some(schema) = &media.schema else {
        return TypeRef::Primitive(Primitive::Json);
    };
    let at = pointer(at, "schema");
    let hint = format!("{hint}Item");
    let from_item_schema = media.extensions.contains_key(ITEM_SCHEMA_MARK);
    if !from_item_schema && describes_whole_sequences(&cx.doc.openapi) {
        if let ReferenceOr::Item(whole) = schema {
            if let SchemaKind::Type(Type::Array(array)) = &whole.schema_kind {
                if let Some(items) = &array.items {
                    return lower_boxed(cx, items, &pointer(&at, "items"), &hint);
                }
            }
        }
    }
    lower_schema(cx, schema, &at, &hint)
}

/// Whether the media type's `schema` describes a whole sequence in a document of this
/// version: OpenAPI 3.2 and later minor versions of 3.
fn describes_whole_sequences(version: &str) -> bool {
    let mut parts = version.trim().split('.');
    let major = parts.next().and_then(|p| p.parse::<u32>().ok());
    let minor = parts.next().and_then(|p| p.parse::<u32>().ok());
    matches!((major, minor), (Some(3), Some(minor)) if minor >= 2)
}

#[cfg(test)]
mod tests {
    use crate::diagnostics::Diagnostics;
    use crate::model::{Api, Primitive, ResponseBody, Success, TypeKind, TypeRef};
    use crate::settings::Settings;

    /// The success body of `GET /s`, answering `content`, in a document of `version`.
    fn lowered(version: &str, content: &str) -> (Api, ResponseBody) {
        let spec = format!(
            "openapi: {version}\ninfo: {{title: t, version: '1'}}\npaths:\n  /s:\n    get:\n      \
             operationId: s\n      responses:\n        '200':\n          description: ok\n          \
             content: {content}\n"
        );
        let mut tree = crate::load::parse(&spec).expect("the spec parses");
        let mut diags = Diagnostics::default();
        crate::normalize::normalize(&mut tree, &mut diags);
        let (doc, _) = crate::shape::to_openapi(tree, &mut diags).expect("the spec is valid");
        let api = super::super::lower(&doc, &Settings::default(), &mut diags);
        let body = match &api.operations[0].success {
            Success::One(response) => response.body.clone(),
            Success::ByStatus(_) => panic!("one success"),
        };
        (api, body)
    }

    fn stream_of(body: &ResponseBody) -> (&str, &TypeRef) {
        match body {
            ResponseBody::JsonStream { media_type, item } => (media_type, item),
            other => panic!("expected a JSON stream, got {other:?}"),
        }
    }

    #[test]
    fn a_3_0_schema_is_each_items_and_no_schema_is_any_json() {
        let (_, body) = lowered(
            "3.0.3",
            "{application/x-ndjson: {schema: {type: array, items: {type: integer}}}}",
        );
        let (media, item) = stream_of(&body);
        assert_eq!(media, "application/x-ndjson");
        assert!(matches!(item, TypeRef::Array(_)), "{item:?}");
        let (_, body) = lowered("3.1.0", "{application/jsonl: {}}");
        assert_eq!(stream_of(&body).1, &TypeRef::Primitive(Primitive::Json));
    }

    #[test]
    fn in_3_2_item_schema_types_the_items_and_an_array_schema_its_items() {
        let (_, body) = lowered(
            "3.2.0",
            "{application/jsonl: {itemSchema: {type: array, items: {type: integer}}}}",
        );
        assert!(matches!(stream_of(&body).1, TypeRef::Array(_)));
        let (_, body) = lowered(
            "3.2.0",
            "{application/json-seq: {schema: {type: array, items: {type: integer}}}}",
        );
        assert_eq!(stream_of(&body).1, &TypeRef::Primitive(Primitive::I64));
    }

    #[test]
    fn an_inline_item_schema_is_named_after_the_operation() {
        let (api, body) = lowered(
            "3.2.0",
            "{application/jsonl: {itemSchema: {type: object, properties: {n: {type: integer}}}}}",
        );
        let TypeRef::Named(id) = stream_of(&body).1 else {
            panic!("a named type");
        };
        let def = api.types.get(*id);
        assert_eq!(def.rust_name, "SItem");
        assert!(matches!(def.kind, TypeKind::Struct(_)));
    }
}

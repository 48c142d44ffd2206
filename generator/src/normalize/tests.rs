//! Tests of normalization: each rewrite by table, idempotence, every schema position.

use serde_json::{Value, json};

use super::normalize;
use super::schema::MAX_SCHEMA_DEPTH;
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};

/// A minimal 3.1 document holding `schema` as `components.schemas.S`.
fn doc_with_schema(schema: Value) -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {"S": schema}},
    })
}

/// Normalizes `doc`, checks that a second run changes nothing, and returns the
/// diagnostics of the first run.
fn run(doc: &mut Value) -> Vec<Diagnostic> {
    let mut diags = Diagnostics::default();
    normalize(doc, &mut diags);
    let mut again = doc.clone();
    normalize(&mut again, &mut Diagnostics::default());
    assert_eq!(&again, doc, "normalize is not idempotent");
    diags.into_sorted()
}

/// Normalizes one schema (as `components.schemas.S`); checks idempotence and that
/// `openapiv3` accepts the result.
fn run_schema(schema: Value) -> (Value, Vec<Diagnostic>) {
    let mut doc = doc_with_schema(schema);
    let diags = run(&mut doc);
    let out = doc["components"]["schemas"]["S"].take();
    let parsed = serde_json::from_value::<openapiv3::ReferenceOr<openapiv3::Schema>>(out.clone());
    assert!(parsed.is_ok(), "openapiv3 rejects {out}: {parsed:?}");
    (out, diags)
}

/// Runs table cases of (name, input schema, expected schema) with no diagnostics expected.
fn check_table(cases: Vec<(&str, Value, Value)>) {
    for (name, input, want) in cases {
        let (got, diags) = run_schema(input);
        assert_eq!(got, want, "case `{name}`");
        assert!(diags.is_empty(), "case `{name}`: unexpected {diags:?}");
    }
}

fn messages(diags: &[Diagnostic]) -> Vec<String> {
    diags.iter().map(ToString::to_string).collect()
}

#[test]
fn type_lists_become_nullable_or_any_of() {
    check_table(vec![
        (
            "nullable",
            json!({"type": ["string", "null"]}),
            json!({"type": "string", "nullable": true}),
        ),
        (
            "null first",
            json!({"type": ["null", "integer"]}),
            json!({"type": "integer", "nullable": true}),
        ),
        (
            "single",
            json!({"type": ["integer"]}),
            json!({"type": "integer"}),
        ),
        (
            "duplicates",
            json!({"type": ["integer", "integer"]}),
            json!({"type": "integer"}),
        ),
        (
            "null string",
            json!({"type": "null"}),
            json!({"nullable": true, "x-apigen-null": true}),
        ),
        (
            "null list",
            json!({"type": ["null"]}),
            json!({"nullable": true, "x-apigen-null": true}),
        ),
        (
            "plain",
            json!({"type": "string"}),
            json!({"type": "string"}),
        ),
        (
            "several with keywords",
            json!({
                "type": ["string", "integer", "null"],
                "format": "int64", "minLength": 1, "maximum": 5, "description": "d",
            }),
            json!({
                "anyOf": [
                    {"type": "string", "minLength": 1},
                    {"type": "integer", "format": "int64", "maximum": 5},
                ],
                "nullable": true, "description": "d",
            }),
        ),
        (
            "object and array",
            json!({
                "type": ["object", "array"],
                "properties": {"a": {"type": "string"}}, "required": ["a"],
                "additionalProperties": false, "items": {"type": "integer"}, "minItems": 1,
            }),
            json!({"anyOf": [
                {
                    "type": "object", "properties": {"a": {"type": "string"}},
                    "required": ["a"], "additionalProperties": false,
                },
                {"type": "array", "items": {"type": "integer"}, "minItems": 1},
            ]}),
        ),
        (
            "string format goes to the string branch",
            json!({"type": ["string", "number"], "format": "date-time"}),
            json!({"anyOf": [{"type": "string", "format": "date-time"}, {"type": "number"}]}),
        ),
        (
            "existing anyOf moves the split into allOf",
            json!({
                "type": ["string", "boolean"],
                "anyOf": [{"minLength": 1}, {"const": true}],
            }),
            json!({
                "anyOf": [
                    {"minLength": 1},
                    {"type": "boolean", "enum": [true], "x-apigen-const": true},
                ],
                "allOf": [{"anyOf": [{"type": "string"}, {"type": "boolean"}]}],
            }),
        ),
    ]);
}

#[test]
fn null_branches_collapse_into_nullable() {
    let reference = json!({"$ref": "#/components/schemas/T"});
    check_table(vec![
        (
            "inline branch merges",
            json!({"anyOf": [{"type": "string"}, {"type": "null"}]}),
            json!({"type": "string", "nullable": true}),
        ),
        (
            "ref branch becomes allOf, siblings kept",
            json!({
                "oneOf": [reference.clone(), {"type": "null", "description": "none"}],
                "description": "d", "default": null, "title": "T",
            }),
            json!({
                "allOf": [reference.clone()], "nullable": true,
                "description": "d", "default": null, "title": "T",
            }),
        ),
        (
            "ref branch with its own description",
            json!({"anyOf": [
                {"$ref": "#/components/schemas/T", "description": "inner"},
                {"type": "null"},
            ]}),
            json!({"allOf": [reference.clone()], "nullable": true, "description": "inner"}),
        ),
        (
            "schema annotations win",
            json!({
                "anyOf": [
                    {"type": "string", "description": "inner", "title": "I"},
                    {"type": "null"},
                ],
                "description": "outer",
            }),
            json!({"type": "string", "nullable": true, "description": "outer", "title": "I"}),
        ),
        (
            "several branches stay",
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": ["null"]}]}),
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}], "nullable": true}),
        ),
        (
            "only null",
            json!({"anyOf": [{"type": "null"}]}),
            json!({"nullable": true, "x-apigen-null": true}),
        ),
        (
            "const null branch",
            json!({"oneOf": [{"const": null}, {"type": "integer", "format": "int32"}]}),
            json!({"type": "integer", "format": "int32", "nullable": true}),
        ),
        (
            "nested",
            json!({"anyOf": [
                {"anyOf": [{"type": "string"}, {"type": "null"}]},
                {"type": "null"},
            ]}),
            json!({"type": "string", "nullable": true}),
        ),
        (
            "merged branch goes through the other rewrites",
            json!({"anyOf": [
                {"type": ["integer", "null"], "exclusiveMinimum": 0},
                {"type": "null"},
            ]}),
            json!({
                "type": "integer", "nullable": true, "minimum": 0, "exclusiveMinimum": true,
            }),
        ),
        (
            "boolean branch",
            json!({"anyOf": [true, {"type": "null"}]}),
            json!({"nullable": true}),
        ),
        (
            "enum with null",
            json!({"type": "string", "enum": ["a", null]}),
            json!({"type": "string", "enum": ["a", null], "nullable": true}),
        ),
        (
            "enum of only null",
            json!({"enum": [null]}),
            json!({"enum": [null], "nullable": true, "x-apigen-null": true}),
        ),
    ]);
}

#[test]
fn conflicting_branch_keyword_is_reported() {
    let (got, diags) =
        run_schema(json!({"type": "string", "anyOf": [{"type": "integer"}, {"type": "null"}]}));
    assert_eq!(got, json!({"type": "string", "nullable": true}));
    assert_eq!(
        messages(&diags),
        [
            "warning: keyword `type` of the only non-null `anyOf` branch conflicts with the \
          schema's own and was dropped (at #/components/schemas/S)"
        ]
    );
}

#[test]
fn const_becomes_single_enum() {
    check_table(vec![
        (
            "string",
            json!({"const": "a"}),
            json!({"type": "string", "enum": ["a"], "x-apigen-const": true}),
        ),
        (
            "integer",
            json!({"const": 3}),
            json!({"type": "integer", "enum": [3], "x-apigen-const": true}),
        ),
        (
            "number",
            json!({"const": 1.5}),
            json!({"type": "number", "enum": [1.5], "x-apigen-const": true}),
        ),
        (
            "boolean",
            json!({"const": false}),
            json!({"type": "boolean", "enum": [false], "x-apigen-const": true}),
        ),
        (
            "object",
            json!({"const": {"a": 1}}),
            json!({"type": "object", "enum": [{"a": 1}], "x-apigen-const": true}),
        ),
        (
            "array",
            json!({"const": [1]}),
            json!({"type": "array", "enum": [[1]], "x-apigen-const": true}),
        ),
        (
            "typed",
            json!({"type": "string", "const": "a", "description": "d"}),
            json!({
                "type": "string", "enum": ["a"], "x-apigen-const": true, "description": "d",
            }),
        ),
        (
            "null",
            json!({"const": null}),
            json!({
                "enum": [null], "nullable": true, "x-apigen-null": true, "x-apigen-const": true,
            }),
        ),
    ]);
}

#[test]
fn const_wins_over_enum_with_a_warning() {
    let (got, diags) = run_schema(json!({"type": "string", "const": "a", "enum": ["a", "b"]}));
    assert_eq!(
        got,
        json!({"type": "string", "enum": ["a"], "x-apigen-const": true})
    );
    assert_eq!(diags.len(), 1);
    assert!(diags[0].message.contains("`const` was kept"), "{diags:?}");
}

#[test]
fn schema_examples_list_becomes_example() {
    check_table(vec![
        (
            "first becomes example",
            json!({"type": "integer", "examples": [5, 6]}),
            json!({"type": "integer", "example": 5, "x-apigen-examples": [5, 6]}),
        ),
        (
            "existing example kept",
            json!({"type": "integer", "example": 1, "examples": [5]}),
            json!({"type": "integer", "example": 1, "x-apigen-examples": [5]}),
        ),
        (
            "empty list",
            json!({"type": "integer", "examples": []}),
            json!({"type": "integer", "x-apigen-examples": []}),
        ),
    ]);
}

#[test]
fn examples_maps_outside_schemas_are_left_alone() {
    let examples = json!({"one": {"value": 1}});
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {
            "parameters": [{
                "name": "p", "in": "query", "schema": {"type": "integer"},
                "examples": examples.clone(),
            }],
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"type": "integer"}, "examples": examples.clone(),
            }}}},
        }}},
    });
    let before = doc.clone();
    assert!(run(&mut doc).is_empty());
    assert_eq!(doc, before);
}

#[test]
fn numeric_exclusive_bounds_become_boolean_ones() {
    check_table(vec![
        (
            "min alone",
            json!({"type": "integer", "exclusiveMinimum": 5}),
            json!({"type": "integer", "minimum": 5, "exclusiveMinimum": true}),
        ),
        (
            "min stricter than minimum",
            json!({"type": "integer", "exclusiveMinimum": 5, "minimum": 3}),
            json!({"type": "integer", "minimum": 5, "exclusiveMinimum": true}),
        ),
        (
            "min equal to minimum",
            json!({"type": "number", "exclusiveMinimum": 3, "minimum": 3}),
            json!({"type": "number", "minimum": 3, "exclusiveMinimum": true}),
        ),
        (
            "minimum stricter",
            json!({"type": "integer", "exclusiveMinimum": 2, "minimum": 3}),
            json!({"type": "integer", "minimum": 3}),
        ),
        (
            "max alone",
            json!({"type": "number", "exclusiveMaximum": 1.5}),
            json!({"type": "number", "maximum": 1.5, "exclusiveMaximum": true}),
        ),
        (
            "max stricter than maximum",
            json!({"type": "integer", "exclusiveMaximum": 10, "maximum": 20}),
            json!({"type": "integer", "maximum": 10, "exclusiveMaximum": true}),
        ),
        (
            "maximum stricter",
            json!({"type": "integer", "exclusiveMaximum": 30, "maximum": 20}),
            json!({"type": "integer", "maximum": 20}),
        ),
        (
            "3.0 booleans stay",
            json!({
                "type": "integer", "minimum": 1, "exclusiveMinimum": true,
                "maximum": 9, "exclusiveMaximum": false,
            }),
            json!({
                "type": "integer", "minimum": 1, "exclusiveMinimum": true,
                "maximum": 9, "exclusiveMaximum": false,
            }),
        ),
    ]);
}

#[test]
fn schema_ref_with_siblings_becomes_all_of() {
    let reference = json!({"$ref": "#/components/schemas/T"});
    check_table(vec![
        ("pure ref untouched", reference.clone(), reference.clone()),
        (
            "annotations",
            json!({
                "$ref": "#/components/schemas/T", "description": "d", "readOnly": true,
                "nullable": true, "default": "x", "deprecated": true,
            }),
            json!({
                "allOf": [reference.clone()], "description": "d", "readOnly": true,
                "nullable": true, "default": "x", "deprecated": true,
            }),
        ),
        (
            "existing allOf",
            json!({"$ref": "#/components/schemas/T", "allOf": [{"required": ["a"]}]}),
            json!({"allOf": [reference.clone(), {"required": ["a"]}]}),
        ),
        (
            "extension sibling",
            json!({"$ref": "#/components/schemas/T", "x-foo": 1}),
            json!({"allOf": [reference.clone()], "x-foo": 1}),
        ),
        (
            "examples sibling",
            json!({"$ref": "#/components/schemas/T", "examples": ["a"]}),
            json!({"allOf": [reference.clone()], "example": "a", "x-apigen-examples": ["a"]}),
        ),
    ]);
}

#[test]
fn non_schema_ref_siblings_are_reported_not_rewritten() {
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {
            "parameters": [{
                "$ref": "#/components/parameters/P", "description": "d", "summary": "s",
            }],
            "responses": {"200": {"$ref": "#/components/responses/R", "description": "r"}},
        }}},
    });
    let before = doc.clone();
    let diags = messages(&run(&mut doc));
    assert_eq!(doc, before);
    assert_eq!(
        diags,
        [
            "warning: keys `description`, `summary` beside the `$ref` to a parameter are not \
             supported and were dropped (at #/paths/~1a/get/parameters/0)",
            "warning: key `description` beside the `$ref` to a response is not supported and \
             was dropped (at #/paths/~1a/get/responses/200)",
        ]
    );
}

#[test]
fn boolean_schemas_become_objects() {
    check_table(vec![
        ("true", json!(true), json!({})),
        ("false", json!(false), json!({"not": {}})),
        (
            "properties",
            json!({"type": "object", "properties": {"a": true, "b": false}}),
            json!({"type": "object", "properties": {"a": {}, "b": {"not": {}}}}),
        ),
        (
            "additionalProperties booleans stay",
            json!({"type": "object", "additionalProperties": false}),
            json!({"type": "object", "additionalProperties": false}),
        ),
        (
            "items true",
            json!({"type": "array", "items": true}),
            json!({"type": "array", "items": {}}),
        ),
    ]);
}

#[test]
fn items_false_is_kept_aside_with_a_warning() {
    let (got, diags) = run_schema(json!({"type": "array", "items": false}));
    assert_eq!(
        got,
        json!({"type": "array", "x-apigen-dropped-items": false})
    );
    assert_eq!(diags.len(), 1);
    assert!(diags[0].message.starts_with("`items: false`"), "{diags:?}");
}

#[test]
fn unsupported_keywords_move_aside_with_one_warning() {
    let (got, diags) = run_schema(json!({
        "type": "array",
        "prefixItems": [{"type": ["string", "null"]}],
        "$comment": "c",
        "xml": {"name": "n"},
        "x-kept": 1,
    }));
    assert_eq!(
        got,
        json!({
            "type": "array",
            "x-apigen-dropped-prefixItems": [{"type": "string", "nullable": true}],
            "x-apigen-dropped-$comment": "c",
            "x-apigen-dropped-xml": {"name": "n"},
            "x-kept": 1,
        })
    );
    assert_eq!(
        messages(&diags),
        [
            "warning: keywords `$comment`, `prefixItems`, `xml` are not supported and were \
          dropped (at #/components/schemas/S)"
        ]
    );
}

#[test]
fn unsupported_keyword_warning_names_the_schema() {
    let (_, diags) = run_schema(json!({"type": "object", "properties": {
        "bar": {"type": "array", "prefixItems": [{"type": "string"}]},
    }}));
    assert_eq!(
        messages(&diags),
        [
            "warning: keyword `prefixItems` is not supported and was dropped \
          (at #/components/schemas/S/properties/bar)"
        ]
    );
}

#[test]
fn dropped_schema_maps_are_still_normalized() {
    let (got, diags) = run_schema(json!({
        "type": "object",
        "$defs": {"D": {"const": "x"}},
        "patternProperties": {"^a": {"type": ["integer", "null"]}},
    }));
    assert_eq!(
        got["x-apigen-dropped-$defs"]["D"],
        json!({"type": "string", "enum": ["x"], "x-apigen-const": true})
    );
    assert_eq!(
        got["x-apigen-dropped-patternProperties"]["^a"],
        json!({"type": "integer", "nullable": true})
    );
    assert_eq!(diags.len(), 1, "{diags:?}");
}

/// Every schema position of the document, each holding `type: [string, null]`.
fn doc_with_every_schema_position() -> Value {
    let s = json!({"type": ["string", "null"]});
    let content = json!({"application/json": {
        "schema": s.clone(),
        "encoding": {"a": {"headers": {"H": {"schema": s.clone()}}}},
    }});
    let response = json!({
        "description": "ok",
        "content": content.clone(),
        "headers": {"H": {"schema": s.clone()}},
    });
    let operation = json!({
        "parameters": [
            {"name": "q", "in": "query", "schema": s.clone()},
            {"name": "c", "in": "query", "content": content.clone()},
        ],
        "requestBody": {"content": content.clone()},
        "responses": {"200": response.clone(), "default": response.clone()},
        "callbacks": {"cb": {"{$request.body#/url}": {"post": {
            "requestBody": {"content": content.clone()}, "responses": {},
        }}}},
    });
    json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": s.clone()}],
            "get": operation,
        }},
        "components": {
            "schemas": {"S": {
                "type": "object",
                "properties": {"p": s.clone()},
                "additionalProperties": s.clone(),
                "allOf": [s.clone()],
                "anyOf": [s.clone(), {"type": "integer"}],
                "oneOf": [s.clone(), {"type": "integer"}],
                "not": s.clone(),
            }, "A": {"type": "array", "items": s.clone()}},
            "parameters": {"P": {"name": "p", "in": "query", "schema": s.clone()}},
            "requestBodies": {"B": {"content": content.clone()}},
            "responses": {"R": response},
            "headers": {"H": {"schema": s.clone()}},
            "callbacks": {"C": {"{$url}": {"post": {"requestBody": {"content": content}}}}},
        },
    })
}

#[test]
fn every_schema_position_is_normalized() {
    let mut doc = doc_with_every_schema_position();
    assert!(run(&mut doc).is_empty());
    let media = "content/application~1json";
    let positions = [
        "/paths/~1a~1{id}/parameters/0/schema".to_owned(),
        "/paths/~1a~1{id}/get/parameters/0/schema".to_owned(),
        format!("/paths/~1a~1{{id}}/get/parameters/1/{media}/schema"),
        format!("/paths/~1a~1{{id}}/get/parameters/1/{media}/encoding/a/headers/H/schema"),
        format!("/paths/~1a~1{{id}}/get/requestBody/{media}/schema"),
        format!("/paths/~1a~1{{id}}/get/responses/200/{media}/schema"),
        format!("/paths/~1a~1{{id}}/get/responses/default/{media}/schema"),
        "/paths/~1a~1{id}/get/responses/200/headers/H/schema".to_owned(),
        format!(
            "/paths/~1a~1{{id}}/get/callbacks/cb/{{$request.body#~1url}}/post/requestBody/\
                 {media}/schema"
        ),
        "/components/schemas/S/properties/p".to_owned(),
        "/components/schemas/S/additionalProperties".to_owned(),
        "/components/schemas/S/allOf/0".to_owned(),
        "/components/schemas/S/anyOf/0".to_owned(),
        "/components/schemas/S/oneOf/0".to_owned(),
        "/components/schemas/S/not".to_owned(),
        "/components/schemas/A/items".to_owned(),
        "/components/parameters/P/schema".to_owned(),
        format!("/components/requestBodies/B/{media}/schema"),
        format!("/components/responses/R/{media}/schema"),
        "/components/responses/R/headers/H/schema".to_owned(),
        "/components/headers/H/schema".to_owned(),
        format!("/components/callbacks/C/{{$url}}/post/requestBody/{media}/schema"),
    ];
    let want = json!({"type": "string", "nullable": true});
    for position in positions {
        assert_eq!(doc.pointer(&position), Some(&want), "at {position}");
    }
    assert!(serde_json::from_value::<openapiv3::OpenAPI>(doc).is_ok());
}

#[test]
fn document_level_3_1_shapes_move_aside() {
    let mut doc = json!({
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "info": {
            "title": "t", "version": "1", "summary": "s",
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "webhooks": {"newPet": {"post": {"requestBody": {"content": {"application/json": {
            "schema": {"type": ["string", "null"], "$comment": "c"},
        }}}}}},
        "components": {
            "securitySchemes": {
                "mtls": {"type": "mutualTLS"},
                "key": {"type": "apiKey", "in": "header", "name": "k"},
            },
            "pathItems": {"I": {"get": {"responses": {}}}},
        },
    });
    let diags = messages(&run(&mut doc));
    let pointer_of = |doc: &Value, p: &str| doc.pointer(p).cloned();
    assert_eq!(doc["paths"], json!({}));
    assert_eq!(doc.get("webhooks"), None);
    assert_eq!(
        pointer_of(
            &doc,
            "/x-apigen-webhooks/newPet/post/requestBody/content/application~1json/schema"
        ),
        Some(json!({"type": "string", "nullable": true, "x-apigen-dropped-$comment": "c"}))
    );
    assert_eq!(
        pointer_of(&doc, "/x-apigen-jsonSchemaDialect").map(|v| v.is_string()),
        Some(true)
    );
    assert_eq!(pointer_of(&doc, "/info/x-apigen-summary"), Some(json!("s")));
    assert_eq!(
        pointer_of(&doc, "/info/license/x-apigen-license-identifier"),
        Some(json!("MIT"))
    );
    assert_eq!(
        pointer_of(&doc, "/components/x-apigen-pathItems/I/get/responses"),
        Some(json!({}))
    );
    assert_eq!(
        pointer_of(&doc, "/components/x-apigen-dropped-securitySchemes/mtls"),
        Some(json!({"type": "mutualTLS"}))
    );
    assert_eq!(
        diags,
        [
            "warning: reusable path items are generated only where a path refers to them: \
             `I` (at #/components/pathItems)",
            "warning: security scheme type `mutualTLS` is not supported and was dropped \
             (at #/components/securitySchemes/mtls)",
            "warning: `jsonSchemaDialect` is not supported and was dropped; schemas are read \
             with the OpenAPI 3.1 default dialect (at #/jsonSchemaDialect)",
            "warning: webhooks are not generated (a client receives no webhook calls): \
             skipped `newPet` (at #/webhooks)",
            "warning: keyword `$comment` is not supported and was dropped (at \
             #/webhooks/newPet/post/requestBody/content/application~1json/schema)",
        ]
    );
    assert!(serde_json::from_value::<openapiv3::OpenAPI>(doc).is_ok());
}

#[test]
fn unknown_path_item_keys_move_aside() {
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/models": {
            "get": {"responses": {}},
            "query": {},
            "additionalOperations": {"COPY": {}},
            "copy": {"responses": {}},
            "x-kept": 1,
        }},
    });
    let diags = messages(&run(&mut doc));
    assert_eq!(
        doc["paths"]["/models"],
        json!({
            "get": {"responses": {}},
            "x-apigen-query": {"responses": {}},
            "x-apigen-additionalOperations": {"COPY": {"responses": {}}},
            "x-apigen-dropped-copy": {"responses": {}},
            "x-kept": 1,
        })
    );
    assert_eq!(
        diags,
        [
            "warning: key `copy` in a path item is not supported and was dropped \
          (at #/paths/~1models)"
        ]
    );
}

#[test]
fn operations_get_responses_and_lose_ref_callbacks() {
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"callbacks": {
            "byRef": {"$ref": "#/components/callbacks/C"},
            "inline": {"{$url}": {"post": {}}},
        }}}},
    });
    let diags = run(&mut doc);
    let get = &doc["paths"]["/a"]["get"];
    assert_eq!(get["responses"], json!({}));
    assert_eq!(
        get["callbacks"],
        json!({"inline": {"{$url}": {"post": {"responses": {}}}}})
    );
    assert_eq!(
        get["x-apigen-dropped-callbacks"],
        json!({"byRef": {"$ref": "#/components/callbacks/C"}})
    );
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].pointer, "#/paths/~1a/get/callbacks/byRef");
    assert!(serde_json::from_value::<openapiv3::OpenAPI>(doc).is_ok());
}

#[test]
fn openapi_3_0_document_is_unchanged() {
    let mut doc = json!({
        "openapi": "3.0.0",
        "info": {"title": "Swagger Petstore", "version": "1.0.0", "license": {"name": "MIT"}},
        "servers": [{"url": "http://petstore.swagger.io/v1"}],
        "paths": {"/pets": {"get": {
            "operationId": "listPets",
            "parameters": [{
                "name": "limit", "in": "query", "required": false,
                "schema": {
                    "type": "integer", "format": "int32",
                    "maximum": 100, "exclusiveMaximum": true,
                },
            }],
            "responses": {
                "200": {
                    "description": "A paged array of pets",
                    "headers": {"x-next": {"schema": {"type": "string"}}},
                    "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Pets"},
                    }},
                },
                "default": {"$ref": "#/components/responses/Error"},
            },
        }}},
        "components": {
            "schemas": {
                "Pet": {
                    "type": "object", "required": ["id", "name"],
                    "properties": {
                        "id": {"type": "integer", "format": "int64"},
                        "name": {"type": "string", "nullable": true},
                        "tag": {"type": "string", "enum": ["a", "b"], "example": "a"},
                    },
                },
                "Pets": {
                    "type": "array", "maxItems": 100,
                    "items": {"$ref": "#/components/schemas/Pet"},
                },
                "Error": {"type": "object", "additionalProperties": {"type": "string"}},
            },
            "responses": {"Error": {"description": "error", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Error"},
            }}}},
        },
    });
    let before = doc.clone();
    assert!(run(&mut doc).is_empty());
    assert_eq!(doc, before);
}

#[test]
fn seed_ref_with_description_keeps_the_description() {
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {
            "CancelPromotionStatusV1": {"type": "string", "enum": ["CANCELED", "RAMPING_DOWN"]},
            "CancelPromotionResponseV1": {"type": "object", "properties": {"status": {
                "$ref": "#/components/schemas/CancelPromotionStatusV1",
                "description": "Status of the request to cancel a promotion.",
            }}},
        }},
    });
    assert!(run(&mut doc).is_empty());
    let api: openapiv3::OpenAPI = serde_json::from_value(doc).expect("openapiv3 accepts it");
    let description = status_description(&api);
    assert_eq!(
        description.as_deref(),
        Some("Status of the request to cancel a promotion.")
    );
}

/// The description of `CancelPromotionResponseV1.status`, as `openapiv3` sees it.
fn status_description(api: &openapiv3::OpenAPI) -> Option<String> {
    use openapiv3::{ReferenceOr, SchemaKind, Type};
    let components = api.components.as_ref()?;
    let schema = components
        .schemas
        .get("CancelPromotionResponseV1")?
        .as_item()?;
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
        return None;
    };
    let ReferenceOr::Item(status) = object.properties.get("status")? else {
        return None;
    };
    let SchemaKind::AllOf { all_of } = &status.schema_kind else {
        return None;
    };
    let target = ReferenceOr::ref_("#/components/schemas/CancelPromotionStatusV1");
    (all_of == &[target]).then(|| status.schema_data.description.clone())?
}

#[test]
fn normalize_is_idempotent_and_deterministic() {
    let mut doc = doc_with_every_schema_position();
    doc["components"]["schemas"]["M"] = json!({
        "type": ["object", "array", "null"],
        "properties": {"a": {"const": 1, "examples": [1]}, "b": {"$ref": "#/x", "title": "t"}},
        "items": {"anyOf": [{"$ref": "#/y"}, {"type": "null"}], "description": "d"},
        "exclusiveMinimum": 1, "if": {}, "then": false,
    });
    doc["webhooks"] = json!({"w": {"post": {}}});
    let mut first = doc.clone();
    let mut diags = Diagnostics::default();
    normalize(&mut first, &mut diags);
    let mut second = first.clone();
    normalize(&mut second, &mut Diagnostics::default());
    assert_eq!(first, second);
    let mut other = doc.clone();
    let mut other_diags = Diagnostics::default();
    normalize(&mut other, &mut other_diags);
    assert_eq!(first, other);
    let listed = |d: &Diagnostics| d.iter().cloned().collect::<Vec<_>>();
    assert_eq!(listed(&diags), listed(&other_diags));
    assert!(serde_json::from_value::<openapiv3::OpenAPI>(first).is_ok());
}

/// A chain of `depth` schemas, each the only property of the one above.
fn nested_properties(depth: usize) -> Value {
    let mut schema = json!({"type": ["string", "null"]});
    for _ in 0..depth {
        schema = json!({"type": "object", "properties": {"p": schema}});
    }
    schema
}

#[test]
fn garbage_does_not_panic() {
    let garbage = [
        json!(null),
        json!(5),
        json!("x"),
        json!([1, 2]),
        json!({"paths": 5, "components": 5, "info": 5, "webhooks": 5}),
        json!({"paths": {"/a": 5, "/b": {"get": 5, "parameters": 5}, "/c": {"get": {
            "parameters": [5, {"schema": 5}, {"content": 5}, {"content": {"a": 5}}],
            "responses": 5, "requestBody": [], "callbacks": {"a": 5, "b": {"$ref": 5}},
        }}}}),
        json!({"paths": {"/a": {"get": {"responses": {"200": {
            "headers": 5, "content": {"a": {"encoding": 5}},
        }}}}}}),
        json!({"components": {"schemas": [1], "parameters": 5, "securitySchemes": [1]}}),
        json!({"components": {"pathItems": 5, "callbacks": {"a": 5}}}),
        json!({"info": {"license": 5}, "webhooks": [1, 2]}),
        json!({"components": {"schemas": {
            "A": 5, "B": "x", "C": {"type": 5}, "D": {"anyOf": "x"}, "E": {"properties": [1]},
            "F": {"items": [1]}, "G": {"allOf": [5, null]}, "H": {"$ref": 5, "description": 1},
            "I": {"exclusiveMinimum": "x"}, "J": {"const": null, "enum": 3}, "K": {"type": []},
            "L": {"type": [1, "null"]}, "M": {"examples": 5},
            "N": {"anyOf": [5, {"type": "null"}]},
            "O": {"oneOf": [{"type": "null"}], "allOf": 5}, "P": {"$ref": "#/x", "allOf": 5},
            "Q": {"type": ["string", "integer"], "anyOf": [], "allOf": 5},
            "R": {"not": 5, "additionalProperties": 5, "$defs": 5, "prefixItems": {}},
            "S": {"exclusiveMaximum": 1e300, "maximum": -1e300},
            "T": {"anyOf": [
                {"anyOf": [{"anyOf": [{"type": "null"}, 5]}, {"type": "null"}]},
                {"type": "null"},
            ]},
            "U": nested_properties(MAX_SCHEMA_DEPTH + 20),
        }}}),
    ];
    for value in garbage {
        let mut doc = value.clone();
        let mut diags = Diagnostics::default();
        normalize(&mut doc, &mut diags);
        let mut again = doc.clone();
        normalize(&mut again, &mut Diagnostics::default());
    }
}

#[test]
fn garbage_is_reported_where_it_is() {
    let mut doc = doc_with_schema(json!({"type": "object", "properties": {
        "a": {"type": 5}, "b": "x", "c": {"anyOf": "x"},
    }}));
    let diags = run(&mut doc);
    let found: Vec<(&str, Severity)> = diags
        .iter()
        .map(|d| (d.pointer.as_str(), d.severity))
        .collect();
    assert_eq!(
        found,
        [
            (
                "#/components/schemas/S/properties/a/type",
                Severity::Warning
            ),
            ("#/components/schemas/S/properties/b", Severity::Warning),
            (
                "#/components/schemas/S/properties/c/anyOf",
                Severity::Warning
            ),
        ]
    );
    // Each degrades where it is: the document reads, the odd parts as any JSON value.
    assert_eq!(
        doc["components"]["schemas"]["S"]["properties"],
        json!({
            "a": {"x-apigen-dropped-type": 5}, "b": {},
            "c": {"x-apigen-dropped-anyOf": "x"},
        })
    );
    assert!(serde_json::from_value::<openapiv3::OpenAPI>(doc).is_ok());
    let mut not_an_object = json!([1]);
    assert!(
        run(&mut not_an_object)[0]
            .to_string()
            .starts_with("error: the document must be an object")
    );
}

#[test]
fn deep_nesting_is_reported_not_overflowed() {
    let mut doc = doc_with_schema(nested_properties(MAX_SCHEMA_DEPTH + 5));
    let diags = run(&mut doc);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].severity, Severity::Warning);
    assert!(diags[0].message.contains("nest deeper"));
}

#[test]
fn baseten_spec_deserializes_after_normalize() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../spec/source/management-v1.json"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let mut doc: Value = serde_json::from_str(&text).expect("the Baseten spec is JSON");
    let diags = run(&mut doc);
    assert!(
        diags.iter().all(|d| d.severity == Severity::Warning),
        "{diags:?}"
    );
    let api: openapiv3::OpenAPI = match serde_json::from_value(doc) {
        Ok(api) => api,
        Err(e) => panic!("openapiv3 rejects the normalized Baseten spec: {e}"),
    };
    assert_eq!(
        status_description(&api).as_deref(),
        Some("Status of the request to cancel a promotion. Can be CANCELED or RAMPING_DOWN.")
    );
}

#[test]
fn plain_intents_are_read_as_meant_with_a_warning() {
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "t"},
        "paths": {"/a": {"get": {"parameters": [
            {"name": "q", "in": "querystring", "content": {"application/json": {"schema": {}}}},
        ]}}},
        "components": {
            "headers": null,
            "schemas": {
                "Null": {"type": null},
                "File": {"type": "file"},
                "Pet": {"type": "object", "discriminator": "className"},
                "Shape": {"oneOf": [], "discriminator": {
                    "propertyName": "kind", "defaultMapping": "#/components/schemas/Pet",
                }},
                "Odd": {"type": "strng"},
            },
        },
    });
    let diags = messages(&run(&mut doc));
    assert_eq!(doc["info"]["version"], "0.0.0");
    assert_eq!(doc["components"].get("headers"), None);
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["Null"],
        json!({"nullable": true, "x-apigen-null": true})
    );
    assert_eq!(
        schemas["File"],
        json!({"type": "string", "format": "binary"})
    );
    assert_eq!(
        schemas["Pet"]["discriminator"],
        json!({"propertyName": "className"})
    );
    assert_eq!(
        schemas["Shape"]["discriminator"]["x-apigen-defaultMapping"],
        "#/components/schemas/Pet"
    );
    assert_eq!(schemas["Odd"], json!({"x-apigen-dropped-type": "strng"}));
    let parameter = &doc["paths"]["/a"]["get"]["parameters"][0];
    assert_eq!(parameter["in"], "query");
    assert_eq!(parameter["x-apigen-querystring"], true);
    let at = |pointer: &str| diags.iter().any(|d| d.contains(&format!("(at {pointer})")));
    for pointer in [
        "#/info",
        "#/components/headers",
        "#/components/schemas/Null/type",
        "#/components/schemas/File/type",
        "#/components/schemas/Pet/discriminator",
        "#/components/schemas/Odd/type",
    ] {
        assert!(at(pointer), "no warning at {pointer}: {diags:#?}");
    }
    assert!(
        diags.iter().all(|d| d.starts_with("warning:")),
        "{diags:#?}"
    );
    assert!(serde_json::from_value::<openapiv3::OpenAPI>(doc).is_ok());
}

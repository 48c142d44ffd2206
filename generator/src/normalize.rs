//! Normalize: rewrites OpenAPI 3.1 / JSON Schema 2020-12 shapes in the raw document into the
//! OpenAPI 3.0 shapes that `openapiv3` models, losing nothing the generator uses.
//!
//! The pass works on the `serde_json::Value` of the whole document, before it is deserialized
//! into `openapiv3::OpenAPI`. It walks every schema position (components, parameters, request
//! bodies, responses, headers, callbacks, webhooks, and the subschemas of each schema) and
//! applies one small rewrite per 3.1 shape:
//!
//! | 3.1 shape                           | 3.0 shape                                             |
//! |-------------------------------------|-------------------------------------------------------|
//! | `type: [T, "null"]`                 | `type: T, nullable: true`                             |
//! | `type: "null"`                      | `nullable: true, x-apigen-null: true`                 |
//! | `type: [A, B]`                      | `anyOf: [{type: A, ..}, {type: B, ..}]`               |
//! | `anyOf: [X, {type: "null"}]`        | X merged into the schema, `nullable: true`            |
//! | `const: V`                          | `enum: [V], x-apigen-const: true`                     |
//! | `examples: [a, b]`                  | `example: a, x-apigen-examples: [a, b]`               |
//! | `exclusiveMinimum: n`               | `minimum: n, exclusiveMinimum: true`                  |
//! | `{$ref: R, description: d}`         | `{allOf: [{$ref: R}], description: d}`                |
//! | `true` / `false` as a schema        | `{}` / `{not: {}}`                                    |
//! | keyword `openapiv3` does not model  | `x-apigen-dropped-<keyword>`, with a warning          |
//! | media type `itemSchema` (3.2)       | `schema`, `x-apigen-item-schema: true`                |
//!
//! Every rewrite is idempotent, so running the pass twice gives the same document as once.
//! Nothing is dropped silently: what `openapiv3` cannot hold is moved under an `x-apigen-`
//! key (which `openapiv3` keeps in `extensions`) and reported as a warning.

use serde_json::{Map, Value, json};

use crate::diagnostics::{Diagnostics, pointer};

mod item_schema;

pub(crate) use item_schema::ITEM_SCHEMA_MARK;

type Object = Map<String, Value>;

/// The HTTP methods a path item can hold, in the order `openapiv3` lists them.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The keys of a path item that `openapiv3` models, besides the methods and `x-` extensions.
const PATH_ITEM_FIELDS: [&str; 5] = ["$ref", "summary", "description", "servers", "parameters"];

/// Schema keywords that `openapiv3` 2.2 models (`SchemaData` and `SchemaKind`), plus `$ref`.
/// Any other key that does not start with `x-` would be dropped silently by `openapiv3`.
const SUPPORTED_KEYWORDS: [&str; 35] = [
    "$ref",
    "nullable",
    "readOnly",
    "writeOnly",
    "deprecated",
    "externalDocs",
    "example",
    "title",
    "description",
    "discriminator",
    "default",
    "type",
    "pattern",
    "multipleOf",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minimum",
    "maximum",
    "properties",
    "required",
    "additionalProperties",
    "minProperties",
    "maxProperties",
    "items",
    "minItems",
    "maxItems",
    "uniqueItems",
    "enum",
    "format",
    "minLength",
    "maxLength",
    "oneOf",
    "allOf",
    "anyOf",
    "not",
];

/// Keys that describe a schema without constraining it; on a merge the schema's own value wins.
const ANNOTATIONS: [&str; 6] = [
    "description",
    "title",
    "default",
    "example",
    "examples",
    "deprecated",
];

/// Keys a `{type: "null"}` branch may carry and still count as "just null".
const NULL_BRANCH_KEYS: [&str; 13] = [
    "type",
    "const",
    "enum",
    "nullable",
    "description",
    "title",
    "default",
    "example",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "$comment",
];

/// Keywords that only apply to strings; they follow the `string` branch of a type list.
const STRING_KEYWORDS: [&str; 6] = [
    "pattern",
    "minLength",
    "maxLength",
    "contentMediaType",
    "contentEncoding",
    "contentSchema",
];

/// Keywords that only apply to numbers; they follow the `integer` and `number` branches.
const NUMBER_KEYWORDS: [&str; 5] = [
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
];

/// Keywords that only apply to objects; they follow the `object` branch of a type list.
const OBJECT_KEYWORDS: [&str; 10] = [
    "properties",
    "required",
    "additionalProperties",
    "minProperties",
    "maxProperties",
    "patternProperties",
    "propertyNames",
    "dependentRequired",
    "dependentSchemas",
    "unevaluatedProperties",
];

/// Keywords that only apply to arrays; they follow the `array` branch of a type list.
const ARRAY_KEYWORDS: [&str; 9] = [
    "items",
    "prefixItems",
    "minItems",
    "maxItems",
    "uniqueItems",
    "contains",
    "minContains",
    "maxContains",
    "unevaluatedItems",
];

/// `format` values that belong to numbers; any other `format` belongs to strings.
const NUMERIC_FORMATS: [&str; 12] = [
    "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float", "double",
    "integer", "number",
];

/// Prefix under which an unsupported keyword is kept, so that its value is not lost.
const DROPPED_PREFIX: &str = "x-apigen-dropped-";

/// Dropped keywords whose values are maps of schemas that are still normalized.
const DROPPED_SCHEMA_MAPS: [&str; 2] = [
    "x-apigen-dropped-$defs",
    "x-apigen-dropped-patternProperties",
];

/// What to do about a `properties`-like keyword (or a list of schemas) of the wrong shape.
const SHAPE_HELP: &str = "write a map from names to schemas (`properties`) or a list of schemas \
                          (`allOf`, `oneOf`, `anyOf`)";

/// What to do about a `type` of the wrong shape.
const TYPE_HELP: &str = "use one of `string`, `number`, `integer`, `boolean`, `array`, `object`, \
                         `null`, or a list of them";

/// How deep schemas may nest before the pass stops descending (guards the stack).
const MAX_SCHEMA_DEPTH: usize = 200;

/// How many times a single remaining `anyOf`/`oneOf` branch may be merged into one schema.
const MAX_MERGES: usize = 16;

/// Rewrites 3.1 shapes in `doc` into 3.0 shapes; reports what it cannot carry.
///
/// The rewrite happens in place and is idempotent; see the module docs for the list of
/// rewrites. Values of any shape are accepted: what is not a document or not a schema where
/// one is expected is reported as an error and left alone.
pub fn normalize(doc: &mut Value, diags: &mut Diagnostics) {
    let Some(root) = doc.as_object_mut() else {
        diags
            .error(
                "#",
                format!("the document must be an object, found {}", kind(doc)),
            )
            .help("an OpenAPI document is a map that starts with `openapi: 3.1.0`");
        return;
    };
    normalize_info(root);
    move_json_schema_dialect(root, diags);
    if root.get("paths").is_none_or(Value::is_null) {
        root.insert("paths".to_owned(), Value::Object(Object::new()));
    }
    if let Some(paths) = root.get_mut("paths") {
        walk_paths(paths, "#/paths", diags);
    }
    move_webhooks(root, diags);
    if let Some(components) = root.get_mut("components") {
        walk_components(components, "#/components", diags);
    }
}

// ---------------------------------------------------------------------------------------------
// Document level
// ---------------------------------------------------------------------------------------------

/// Moves the 3.1-only `info.summary` and `info.license.identifier` under `x-apigen-` keys,
/// where `openapiv3` keeps them as extensions.
fn normalize_info(root: &mut Object) {
    let Some(info) = root.get_mut("info").and_then(Value::as_object_mut) else {
        return;
    };
    move_key(info, "summary", "x-apigen-summary");
    if let Some(license) = info.get_mut("license").and_then(Value::as_object_mut) {
        move_key(license, "identifier", "x-apigen-license-identifier");
    }
}

/// Moves `jsonSchemaDialect` (3.1) to `x-apigen-jsonSchemaDialect` and warns.
fn move_json_schema_dialect(root: &mut Object, diags: &mut Diagnostics) {
    if move_key(root, "jsonSchemaDialect", "x-apigen-jsonSchemaDialect") {
        let message = "`jsonSchemaDialect` is not supported and was dropped; schemas are read \
                       with the OpenAPI 3.1 default dialect";
        diags.warning("#/jsonSchemaDialect", message);
    }
}

/// Moves top-level `webhooks` (3.1) to `x-apigen-webhooks`, normalizes the schemas inside
/// them (reported under `#/webhooks`), and warns once that they are skipped.
fn move_webhooks(root: &mut Object, diags: &mut Diagnostics) {
    let Some(mut webhooks) = root.remove("webhooks") else {
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
    for (name, item) in entries_mut(&mut webhooks) {
        walk_path_item(item, &pointer("#/webhooks", name), diags);
    }
    root.insert("x-apigen-webhooks".to_owned(), webhooks);
}

/// Walks every entry of `components` that holds schemas, directly or deeper down.
fn walk_components(components: &mut Value, ptr: &str, diags: &mut Diagnostics) {
    let Some(obj) = components.as_object_mut() else {
        return;
    };
    for (name, schema) in member_entries(obj, "schemas") {
        normalize_schema(schema, &pointer(&pointer(ptr, "schemas"), name), 0, diags);
    }
    walk_component_map(obj, "parameters", ptr, walk_parameter, diags);
    walk_component_map(obj, "requestBodies", ptr, walk_request_body, diags);
    walk_component_map(obj, "responses", ptr, walk_response, diags);
    walk_component_map(obj, "headers", ptr, walk_header, diags);
    walk_component_map(obj, "callbacks", ptr, walk_callback, diags);
    move_path_items(obj, ptr, diags);
    move_mutual_tls_schemes(obj, ptr, diags);
}

/// Applies `walk` to every entry of the map `components.<key>`.
fn walk_component_map(
    components: &mut Object,
    key: &str,
    ptr: &str,
    walk: fn(&mut Value, &str, &mut Diagnostics),
    diags: &mut Diagnostics,
) {
    let base = pointer(ptr, key);
    for (name, value) in member_entries(components, key) {
        walk(value, &pointer(&base, name), diags);
    }
}

/// Moves `components.pathItems` (3.1) to `components.x-apigen-pathItems`, normalizing the
/// schemas inside, and warns: `openapiv3` has no place for reusable path items.
fn move_path_items(components: &mut Object, ptr: &str, diags: &mut Diagnostics) {
    let Some(mut items) = components.remove("pathItems") else {
        return;
    };
    let base = pointer(ptr, "pathItems");
    diags.warning(
        base.clone(),
        "`components.pathItems` is not supported and was dropped (kept as `x-apigen-pathItems`)",
    );
    for (name, item) in entries_mut(&mut items) {
        walk_path_item(item, &pointer(&base, name), diags);
    }
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

// ---------------------------------------------------------------------------------------------
// Paths, operations and the objects that hold schemas
// ---------------------------------------------------------------------------------------------

/// Walks the path items of `paths` (keys starting with `/`; extensions are skipped).
fn walk_paths(paths: &mut Value, ptr: &str, diags: &mut Diagnostics) {
    for (path, item) in entries_mut(paths) {
        if path.starts_with('/') {
            walk_path_item(item, &pointer(ptr, path), diags);
        }
    }
}

/// Walks the operations and the shared parameters of one path item.
fn walk_path_item(item: &mut Value, ptr: &str, diags: &mut Diagnostics) {
    let Some(obj) = item.as_object_mut() else {
        return;
    };
    if is_reference(obj, ptr, "path item", diags) {
        return;
    }
    move_unknown_path_item_keys(obj, ptr, diags);
    for method in METHODS {
        if let Some(operation) = obj.get_mut(method) {
            walk_operation(operation, &pointer(ptr, method), diags);
        }
    }
    if let Some(parameters) = obj.get_mut("parameters") {
        walk_parameters(parameters, &pointer(ptr, "parameters"), diags);
    }
}

/// Moves the keys of a path item that `openapiv3` does not model (such as the OpenAPI 3.2
/// `query` method) to `x-apigen-dropped-<key>`, with one warning naming them.
fn move_unknown_path_item_keys(obj: &mut Object, ptr: &str, diags: &mut Diagnostics) {
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

/// Walks one operation. In 3.1 `responses` is optional; `openapiv3` requires it, so an empty
/// map is added when it is missing.
fn walk_operation(operation: &mut Value, ptr: &str, diags: &mut Diagnostics) {
    let Some(obj) = operation.as_object_mut() else {
        return;
    };
    if let Some(parameters) = obj.get_mut("parameters") {
        walk_parameters(parameters, &pointer(ptr, "parameters"), diags);
    }
    if let Some(body) = obj.get_mut("requestBody") {
        walk_request_body(body, &pointer(ptr, "requestBody"), diags);
    }
    let responses = obj
        .entry("responses")
        .or_insert_with(|| Value::Object(Object::new()));
    walk_responses(responses, &pointer(ptr, "responses"), diags);
    walk_operation_callbacks(obj, ptr, diags);
}

/// Walks the callbacks of an operation. `openapiv3` cannot hold a `$ref` there (it would
/// fail to parse the document), so referenced callbacks move to
/// `x-apigen-dropped-callbacks` with a warning.
fn walk_operation_callbacks(operation: &mut Object, ptr: &str, diags: &mut Diagnostics) {
    let base = pointer(ptr, "callbacks");
    let Some(callbacks) = operation
        .get_mut("callbacks")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let moved = take_entries(callbacks, |callback| callback.get("$ref").is_some());
    for name in moved.keys() {
        let message = "a `$ref` callback on an operation is not supported and was dropped";
        diags.warning(pointer(&base, name), message);
    }
    for (name, callback) in callbacks.iter_mut() {
        walk_callback(callback, &pointer(&base, name), diags);
    }
    if !moved.is_empty() {
        operation.insert(format!("{DROPPED_PREFIX}callbacks"), Value::Object(moved));
    }
}

/// Walks a callback: a map from runtime expressions to path items.
fn walk_callback(callback: &mut Value, ptr: &str, diags: &mut Diagnostics) {
    if let Some(obj) = callback.as_object_mut() {
        if is_reference(obj, ptr, "callback", diags) {
            return;
        }
    }
    for (expression, item) in entries_mut(callback) {
        if !expression.starts_with("x-") {
            walk_path_item(item, &pointer(ptr, expression), diags);
        }
    }
}

/// Walks a list of parameters.
fn walk_parameters(parameters: &mut Value, ptr: &str, diags: &mut Diagnostics) {
    let Some(list) = parameters.as_array_mut() else {
        return;
    };
    for (index, parameter) in list.iter_mut().enumerate() {
        walk_parameter(parameter, &pointer(ptr, &index.to_string()), diags);
    }
}

/// Walks a parameter: its `schema`, or the schemas of its `content`.
fn walk_parameter(parameter: &mut Value, ptr: &str, diags: &mut Diagnostics) {
    let Some(obj) = parameter.as_object_mut() else {
        return;
    };
    if is_reference(obj, ptr, "parameter", diags) {
        return;
    }
    schema_at(obj, "schema", ptr, diags);
    walk_content(obj, ptr, diags);
}

/// Walks a request body: the schemas of its `content`.
fn walk_request_body(body: &mut Value, ptr: &str, diags: &mut Diagnostics) {
    let Some(obj) = body.as_object_mut() else {
        return;
    };
    if !is_reference(obj, ptr, "request body", diags) {
        walk_content(obj, ptr, diags);
    }
}

/// Walks the responses of an operation (status codes and `default`; extensions are skipped).
fn walk_responses(responses: &mut Value, ptr: &str, diags: &mut Diagnostics) {
    for (code, response) in entries_mut(responses) {
        if !code.starts_with("x-") {
            walk_response(response, &pointer(ptr, code), diags);
        }
    }
}

/// Walks a response: its `headers` and the schemas of its `content`.
fn walk_response(response: &mut Value, ptr: &str, diags: &mut Diagnostics) {
    let Some(obj) = response.as_object_mut() else {
        return;
    };
    if is_reference(obj, ptr, "response", diags) {
        return;
    }
    walk_headers(obj, ptr, diags);
    walk_content(obj, ptr, diags);
}

/// Walks the `headers` map of a response or an encoding.
fn walk_headers(obj: &mut Object, ptr: &str, diags: &mut Diagnostics) {
    let base = pointer(ptr, "headers");
    for (name, header) in member_entries(obj, "headers") {
        walk_header(header, &pointer(&base, name), diags);
    }
}

/// Walks a header: its `schema`, or the schemas of its `content`.
fn walk_header(header: &mut Value, ptr: &str, diags: &mut Diagnostics) {
    let Some(obj) = header.as_object_mut() else {
        return;
    };
    if is_reference(obj, ptr, "header", diags) {
        return;
    }
    schema_at(obj, "schema", ptr, diags);
    walk_content(obj, ptr, diags);
}

/// Walks the `content` map: each media type's `schema` (its `itemSchema` first made its
/// `schema`, see `item_schema`) and the headers of its `encoding`.
fn walk_content(obj: &mut Object, ptr: &str, diags: &mut Diagnostics) {
    let base = pointer(ptr, "content");
    for (media_type, media) in member_entries(obj, "content") {
        let at = pointer(&base, media_type);
        let Some(media) = media.as_object_mut() else {
            continue;
        };
        item_schema::rewrite(media_type, media, &at, diags);
        schema_at(media, "schema", &at, diags);
        let encodings = pointer(&at, "encoding");
        for (property, encoding) in member_entries(media, "encoding") {
            if let Some(encoding) = encoding.as_object_mut() {
                walk_headers(encoding, &pointer(&encodings, property), diags);
            }
        }
    }
}

/// Normalizes the schema at `obj[key]`, if there is one.
fn schema_at(obj: &mut Object, key: &str, ptr: &str, diags: &mut Diagnostics) {
    if let Some(schema) = obj.get_mut(key) {
        normalize_schema(schema, &pointer(ptr, key), 0, diags);
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

// ---------------------------------------------------------------------------------------------
// Schemas
// ---------------------------------------------------------------------------------------------

/// Normalizes one schema in place, then its subschemas.
fn normalize_schema(schema: &mut Value, ptr: &str, depth: usize, diags: &mut Diagnostics) {
    if depth > MAX_SCHEMA_DEPTH {
        let message = format!("schemas nest deeper than {MAX_SCHEMA_DEPTH} levels; not normalized");
        diags
            .error(ptr, message)
            .help("move the inner schemas into `#/components/schemas` and refer to them by `$ref`");
        return;
    }
    match schema {
        Value::Bool(accepts) => {
            let replacement = boolean_schema(*accepts);
            *schema = replacement;
        }
        Value::Object(obj) => {
            rewrite_schema(obj, ptr, diags);
            walk_subschemas(obj, ptr, depth + 1, diags);
        }
        other => {
            let message = format!(
                "expected a schema (an object or a boolean), found {}",
                kind(other)
            );
            diags.error(ptr, message).help(
                "write a schema object here, such as `{type: string}`, or `{}` for any value",
            );
        }
    }
}

/// Rule 7: the boolean schema `true` accepts anything (`{}`), `false` nothing (`{not: {}}`).
fn boolean_schema(accepts: bool) -> Value {
    if accepts {
        json!({})
    } else {
        json!({"not": {}})
    }
}

/// Applies every rewrite to one schema object, in an order where each sees the output of the
/// ones before (null branches first, so that a merged branch goes through the others).
fn rewrite_schema(obj: &mut Object, ptr: &str, diags: &mut Diagnostics) {
    for _ in 0..MAX_MERGES {
        if !collapse_null_branches(obj, ptr, diags) {
            break;
        }
    }
    rewrite_type(obj, ptr, diags);
    rewrite_const(obj, ptr, diags);
    mark_nullable_enum(obj);
    rewrite_examples(obj);
    rewrite_exclusive_bound(obj, Bound::Lower, ptr, diags);
    rewrite_exclusive_bound(obj, Bound::Upper, ptr, diags);
    wrap_ref_with_siblings(obj, ptr, diags);
    drop_items_false(obj, ptr, diags);
    move_unsupported_keywords(obj, ptr, diags);
}

/// Normalizes the subschemas of a schema: `properties`, `items`, `additionalProperties`,
/// `allOf`/`anyOf`/`oneOf`, `not`, and the dropped `prefixItems`, `$defs`, `patternProperties`.
fn walk_subschemas(obj: &mut Object, ptr: &str, depth: usize, diags: &mut Diagnostics) {
    for key in ["items", "not"] {
        if let Some(child) = obj.get_mut(key) {
            normalize_schema(child, &pointer(ptr, key), depth, diags);
        }
    }
    // `additionalProperties: true/false` is understood by `openapiv3` as it is.
    let additional = obj.get_mut("additionalProperties");
    if let Some(child) = additional.filter(|child| !child.is_boolean()) {
        normalize_schema(child, &pointer(ptr, "additionalProperties"), depth, diags);
    }
    let maps = std::iter::once("properties").chain(DROPPED_SCHEMA_MAPS);
    for key in maps {
        walk_schema_map(obj, key, ptr, depth, diags);
    }
    for key in ["allOf", "anyOf", "oneOf", "x-apigen-dropped-prefixItems"] {
        walk_schema_list(obj, key, ptr, depth, diags);
    }
}

/// Normalizes each schema of the map `obj[key]` (`properties`, `$defs`, ...).
fn walk_schema_map(obj: &mut Object, key: &str, ptr: &str, depth: usize, diags: &mut Diagnostics) {
    let base = pointer(ptr, original_keyword(key));
    match obj.get_mut(key) {
        None => {}
        Some(Value::Object(map)) => {
            for (name, child) in map.iter_mut() {
                normalize_schema(child, &pointer(&base, name), depth, diags);
            }
        }
        Some(other) => {
            let message = format!(
                "`{}` must be a map of schemas, found {}",
                original_keyword(key),
                kind(other)
            );
            diags.error(base, message).help(SHAPE_HELP);
        }
    }
}

/// Normalizes each schema of the list `obj[key]` (`allOf`, `prefixItems`, ...).
fn walk_schema_list(obj: &mut Object, key: &str, ptr: &str, depth: usize, diags: &mut Diagnostics) {
    let base = pointer(ptr, original_keyword(key));
    match obj.get_mut(key) {
        None => {}
        Some(Value::Array(list)) => {
            for (index, child) in list.iter_mut().enumerate() {
                normalize_schema(child, &pointer(&base, &index.to_string()), depth, diags);
            }
        }
        Some(other) => {
            let message = format!(
                "`{}` must be a list of schemas, found {}",
                original_keyword(key),
                kind(other)
            );
            diags.error(base, message).help(SHAPE_HELP);
        }
    }
}

/// The keyword as written in the document, for a key that may have been moved under
/// `x-apigen-dropped-`.
fn original_keyword(key: &str) -> &str {
    key.strip_prefix(DROPPED_PREFIX).unwrap_or(key)
}

// ---- Rule 2: null branches of anyOf / oneOf --------------------------------------------------

/// Rule 2: removes the null branches of `anyOf` and `oneOf` and marks the schema `nullable`.
/// A single remaining branch is merged into the schema (a `$ref` then becomes `allOf` through
/// rule 6). Returns true when a branch was merged, so the caller can look again.
fn collapse_null_branches(obj: &mut Object, ptr: &str, diags: &mut Diagnostics) -> bool {
    let mut merged = false;
    for key in ["anyOf", "oneOf"] {
        merged |= collapse_null_branches_of(obj, key, ptr, diags);
    }
    merged
}

/// Rule 2 for one keyword (`anyOf` or `oneOf`).
fn collapse_null_branches_of(
    obj: &mut Object,
    key: &str,
    ptr: &str,
    diags: &mut Diagnostics,
) -> bool {
    let Some(Value::Array(branches)) = obj.get_mut(key) else {
        return false;
    };
    if !branches.iter().any(is_null_schema) {
        return false;
    }
    let mut remaining: Vec<Value> = std::mem::take(branches)
        .into_iter()
        .filter(|branch| !is_null_schema(branch))
        .collect();
    obj.remove(key);
    let merged = match remaining.len() {
        0 => {
            mark_null_only_unless_typed(obj);
            false
        }
        1 => merge_single_branch(obj, key, remaining.remove(0), ptr, diags),
        _ => {
            obj.insert(key.to_owned(), Value::Array(remaining));
            false
        }
    };
    obj.insert("nullable".to_owned(), Value::Bool(true));
    merged
}

/// True when `value` is a schema that admits only `null`, possibly with annotations.
fn is_null_schema(value: &Value) -> bool {
    let Some(obj) = value.as_object() else {
        return false;
    };
    let says_null = obj.get("type").is_some_and(is_null_type)
        || obj.get("const").is_some_and(Value::is_null)
        || obj.get("enum").is_some_and(is_null_enum)
        || obj.get("x-apigen-null") == Some(&Value::Bool(true));
    says_null
        && obj
            .keys()
            .all(|key| key.starts_with("x-") || NULL_BRANCH_KEYS.contains(&key.as_str()))
}

/// True for `"null"` and for a non-empty list of only `"null"`.
fn is_null_type(ty: &Value) -> bool {
    match ty {
        Value::String(name) => name == "null",
        Value::Array(names) => !names.is_empty() && names.iter().all(|n| n == "null"),
        _ => false,
    }
}

/// True for an `enum` that lists only `null`.
fn is_null_enum(values: &Value) -> bool {
    values
        .as_array()
        .is_some_and(|list| !list.is_empty() && list.iter().all(Value::is_null))
}

/// After every branch of `anyOf`/`oneOf` turned out to be null: the schema admits only null,
/// unless it says otherwise by its own `type`, `$ref` or composition.
fn mark_null_only_unless_typed(obj: &mut Object) {
    let typed = [
        "type",
        "$ref",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "properties",
        "items",
    ]
    .iter()
    .any(|key| obj.contains_key(*key));
    if !typed {
        mark_null_only(obj);
    }
}

/// Marks a schema as admitting only null: `nullable: true, x-apigen-null: true`.
fn mark_null_only(obj: &mut Object) {
    obj.insert("nullable".to_owned(), Value::Bool(true));
    obj.insert("x-apigen-null".to_owned(), Value::Bool(true));
}

/// Merges the only non-null branch of `anyOf`/`oneOf` into the schema. Annotations of the
/// schema win over the branch's; any other conflicting keyword is reported and the schema's
/// value kept. A branch that is not a schema is put back for the walk to report.
fn merge_single_branch(
    obj: &mut Object,
    key: &str,
    branch: Value,
    ptr: &str,
    diags: &mut Diagnostics,
) -> bool {
    let branch = match branch {
        Value::Bool(accepts) => boolean_schema(accepts),
        other => other,
    };
    let Value::Object(branch) = branch else {
        obj.insert(key.to_owned(), Value::Array(vec![branch]));
        return false;
    };
    for (name, value) in branch {
        merge_keyword(obj, key, name, value, ptr, diags);
    }
    true
}

/// Merges one keyword of a single remaining branch into the schema.
fn merge_keyword(
    obj: &mut Object,
    key: &str,
    name: String,
    value: Value,
    ptr: &str,
    diags: &mut Diagnostics,
) {
    match obj.get(&name) {
        None => {
            obj.insert(name, value);
        }
        Some(existing) if *existing == value => {}
        Some(_) if ANNOTATIONS.contains(&name.as_str()) || name == "nullable" => {}
        Some(_) => {
            let message = format!(
                "keyword `{name}` of the only non-null `{key}` branch conflicts with the \
                 schema's own and was dropped"
            );
            diags.warning(ptr, message);
        }
    }
}

// ---- Rule 1: type lists ----------------------------------------------------------------------

/// Rule 1: `type: "null"` admits only null; a `type` list becomes a single `type` plus
/// `nullable`, or an `anyOf` with one branch per type.
fn rewrite_type(obj: &mut Object, ptr: &str, diags: &mut Diagnostics) {
    match obj.get("type") {
        Some(Value::String(name)) if name == "null" => {
            obj.remove("type");
            mark_null_only(obj);
        }
        None | Some(Value::String(_)) => {}
        Some(Value::Array(names)) => {
            let names = names.clone();
            rewrite_type_list(obj, &names, ptr, diags);
        }
        Some(other) => {
            let message = format!(
                "`type` must be a string or a list of strings, found {}",
                kind(other)
            );
            diags.error(pointer(ptr, "type"), message).help(TYPE_HELP);
        }
    }
}

/// Rule 1 for a `type` list.
fn rewrite_type_list(obj: &mut Object, names: &[Value], ptr: &str, diags: &mut Diagnostics) {
    let Some((types, has_null)) = distinct_types(names) else {
        let message = "`type` must be a string or a list of strings";
        diags.error(pointer(ptr, "type"), message).help(TYPE_HELP);
        return;
    };
    if types.len() > 1 && !can_split_types(obj) {
        return;
    }
    obj.remove("type");
    if has_null {
        obj.insert("nullable".to_owned(), Value::Bool(true));
    }
    match types.as_slice() {
        [] if has_null => mark_null_only(obj),
        [] => {
            let message = "an empty `type` list is invalid and was dropped";
            diags.warning(pointer(ptr, "type"), message);
        }
        [single] => {
            obj.insert("type".to_owned(), Value::String((*single).to_owned()));
        }
        several => split_types(obj, several),
    }
}

/// The distinct non-null names of a `type` list, in order, and whether it lists `"null"`;
/// `None` when an entry is not a string.
fn distinct_types(names: &[Value]) -> Option<(Vec<&str>, bool)> {
    let mut types: Vec<&str> = Vec::new();
    let mut has_null = false;
    for name in names {
        match name.as_str()? {
            "null" => has_null = true,
            ty if !types.contains(&ty) => types.push(ty),
            _ => {}
        }
    }
    Some((types, has_null))
}

/// True when the `anyOf` of a split type list has a place to go: `anyOf` itself, or `allOf`
/// when that is a list (anything else is reported by the walk over subschemas).
fn can_split_types(obj: &Object) -> bool {
    !obj.contains_key("anyOf") || obj.get("allOf").is_none_or(Value::is_array)
}

/// Replaces several types by an `anyOf` with one branch per type; each branch takes the
/// keywords that apply to its type. If the schema already has an `anyOf`, the new one goes
/// into `allOf`.
///
/// ```json
/// {"type": ["string", "array"], "minLength": 1, "items": {}}
/// ```
/// becomes
/// ```json
/// {"anyOf": [{"type": "string", "minLength": 1}, {"type": "array", "items": {}}]}
/// ```
fn split_types(obj: &mut Object, types: &[&str]) {
    let branches: Vec<Object> = types.iter().map(|ty| type_branch(obj, ty)).collect();
    for branch in &branches {
        for key in branch.keys().filter(|key| *key != "type") {
            obj.remove(key);
        }
    }
    let branches = Value::Array(branches.into_iter().map(Value::Object).collect());
    if !obj.contains_key("anyOf") {
        obj.insert("anyOf".to_owned(), branches);
        return;
    }
    let all_of = obj
        .entry("allOf")
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(list) = all_of {
        list.push(json!({ "anyOf": branches }));
    }
}

/// One branch of a split `type` list: `{type: ty}` plus the keywords of `obj` for `ty`.
fn type_branch(obj: &Object, ty: &str) -> Object {
    let mut branch = Object::new();
    branch.insert("type".to_owned(), Value::String(ty.to_owned()));
    for key in type_keywords(ty) {
        if let Some(value) = obj.get(*key) {
            branch.insert((*key).to_owned(), value.clone());
        }
    }
    if let Some(format) = obj.get("format").filter(|format| format_fits(ty, format)) {
        branch.insert("format".to_owned(), format.clone());
    }
    branch
}

/// The keywords (other than `format`) that apply only to values of type `ty`.
fn type_keywords(ty: &str) -> &'static [&'static str] {
    match ty {
        "string" => &STRING_KEYWORDS,
        "integer" | "number" => &NUMBER_KEYWORDS,
        "object" => &OBJECT_KEYWORDS,
        "array" => &ARRAY_KEYWORDS,
        _ => &[],
    }
}

/// True when `format` belongs to type `ty`: numeric formats to numbers, others to strings.
fn format_fits(ty: &str, format: &Value) -> bool {
    let numeric = format
        .as_str()
        .is_some_and(|f| NUMERIC_FORMATS.contains(&f));
    match ty {
        "string" => !numeric,
        "integer" | "number" => numeric,
        _ => false,
    }
}

// ---- Rule 3: const, and nullable enums -------------------------------------------------------

/// Rule 3: `const: V` becomes `enum: [V]` with `x-apigen-const: true`. A null `V` admits only
/// null; otherwise a missing `type` is inferred from `V`.
fn rewrite_const(obj: &mut Object, ptr: &str, diags: &mut Diagnostics) {
    let Some(value) = obj.remove("const") else {
        return;
    };
    if obj.contains_key("enum") {
        diags.warning(
            ptr,
            "both `const` and `enum` are set; `const` was kept and `enum` dropped",
        );
    }
    if value.is_null() {
        mark_null_only(obj);
    } else if !obj.contains_key("type") {
        if let Some(ty) = json_type(&value) {
            obj.insert("type".to_owned(), Value::String(ty.to_owned()));
        }
    }
    obj.insert("enum".to_owned(), Value::Array(vec![value]));
    obj.insert("x-apigen-const".to_owned(), Value::Bool(true));
}

/// The JSON Schema type of a value (`None` for null).
fn json_type(value: &Value) -> Option<&'static str> {
    match value {
        Value::Null => None,
        Value::Bool(_) => Some("boolean"),
        Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
        Value::Number(_) => Some("number"),
        Value::String(_) => Some("string"),
        Value::Array(_) => Some("array"),
        Value::Object(_) => Some("object"),
    }
}

/// Rule 2, for `enum`: an `enum` listing `null` makes the schema `nullable`; one listing only
/// `null` (and no `type`) admits only null.
fn mark_nullable_enum(obj: &mut Object) {
    let Some(Value::Array(values)) = obj.get("enum") else {
        return;
    };
    if !values.iter().any(Value::is_null) {
        return;
    }
    let only_null = values.iter().all(Value::is_null) && !obj.contains_key("type");
    obj.insert("nullable".to_owned(), Value::Bool(true));
    if only_null {
        mark_null_only(obj);
    }
}

// ---- Rule 4: examples ------------------------------------------------------------------------

/// Rule 4: a schema's `examples` list moves to `x-apigen-examples`; its first value becomes
/// `example` unless there is one.
fn rewrite_examples(obj: &mut Object) {
    if !obj.get("examples").is_some_and(Value::is_array) {
        return;
    }
    let Some(examples) = obj.remove("examples") else {
        return;
    };
    if !obj.contains_key("example") {
        if let Some(first) = examples.as_array().and_then(|list| list.first()) {
            obj.insert("example".to_owned(), first.clone());
        }
    }
    obj.insert("x-apigen-examples".to_owned(), examples);
}

// ---- Rule 5: numeric exclusive bounds --------------------------------------------------------

/// Which side of a range an exclusive bound limits.
#[derive(Debug, Clone, Copy)]
enum Bound {
    Lower,
    Upper,
}

impl Bound {
    /// The exclusive keyword and the inclusive keyword for this side.
    fn keys(self) -> (&'static str, &'static str) {
        match self {
            Bound::Lower => ("exclusiveMinimum", "minimum"),
            Bound::Upper => ("exclusiveMaximum", "maximum"),
        }
    }

    /// True when the exclusive bound `exclusive` is at least as strict as the inclusive
    /// bound `inclusive`.
    fn exclusive_is_stricter(self, exclusive: f64, inclusive: f64) -> bool {
        match self {
            Bound::Lower => exclusive >= inclusive,
            Bound::Upper => exclusive <= inclusive,
        }
    }
}

/// Rule 5: a numeric `exclusiveMinimum: n` (2020-12) becomes `minimum: n, exclusiveMinimum:
/// true` (3.0), unless an inclusive `minimum` is stricter, in which case the exclusive bound is
/// implied and dropped. Boolean bounds (3.0) stay. Same for the maximum.
fn rewrite_exclusive_bound(obj: &mut Object, bound: Bound, ptr: &str, diags: &mut Diagnostics) {
    let (exclusive_key, inclusive_key) = bound.keys();
    let limit = match obj.get(exclusive_key) {
        None | Some(Value::Bool(_)) => return,
        Some(Value::Number(limit)) => limit.clone(),
        Some(other) => {
            let message = format!(
                "`{exclusive_key}` must be a number or a boolean, found {}",
                kind(other)
            );
            diags
                .error(pointer(ptr, exclusive_key), message)
                .help("write the bound as a number (3.1) or `true`/`false` beside `minimum`/`maximum` (3.0)");
            return;
        }
    };
    let inclusive = obj.get(inclusive_key).and_then(Value::as_f64);
    let exclusive_wins = match (limit.as_f64(), inclusive) {
        (Some(exclusive), Some(inclusive)) => bound.exclusive_is_stricter(exclusive, inclusive),
        _ => true,
    };
    if exclusive_wins {
        obj.insert(inclusive_key.to_owned(), Value::Number(limit));
        obj.insert(exclusive_key.to_owned(), Value::Bool(true));
    } else {
        obj.remove(exclusive_key);
    }
}

// ---- Rule 6: $ref with siblings --------------------------------------------------------------

/// Rule 6: `openapiv3` drops every sibling of a `$ref`, so a `$ref` with siblings becomes
/// `allOf: [{$ref}]` beside them (an `allOf` that is not a list is left for the walk over
/// subschemas to report).
///
/// ```json
/// {"$ref": "#/components/schemas/Status", "description": "d"}
/// ```
/// becomes
/// ```json
/// {"allOf": [{"$ref": "#/components/schemas/Status"}], "description": "d"}
/// ```
fn wrap_ref_with_siblings(obj: &mut Object, ptr: &str, diags: &mut Diagnostics) {
    if !has_string_ref(obj, ptr, diags) || obj.len() == 1 {
        return;
    }
    if obj.get("allOf").is_some_and(|all_of| !all_of.is_array()) {
        return;
    }
    let Some(target) = obj.remove("$ref") else {
        return;
    };
    let all_of = obj
        .entry("allOf")
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(list) = all_of {
        list.insert(0, json!({ "$ref": target }));
    }
}

/// True when the schema has a `$ref` and it is a string; any other `$ref` is reported.
fn has_string_ref(obj: &Object, ptr: &str, diags: &mut Diagnostics) -> bool {
    match obj.get("$ref") {
        None => false,
        Some(Value::String(_)) => true,
        Some(other) => {
            let message = format!("`$ref` must be a string, found {}", kind(other));
            diags
                .error(pointer(ptr, "$ref"), message)
                .help("write the reference as a string, such as `'#/components/schemas/Pet'`");
            false
        }
    }
}

// ---- Rule 7 and 8: items: false, unsupported keywords ---------------------------------------

/// Rule 7: `items: false` (no items beyond `prefixItems`) has no 3.0 shape; it moves to
/// `x-apigen-dropped-items` with a warning.
fn drop_items_false(obj: &mut Object, ptr: &str, diags: &mut Diagnostics) {
    if obj.get("items") != Some(&Value::Bool(false)) {
        return;
    }
    if let Some(items) = obj.remove("items") {
        obj.insert(format!("{DROPPED_PREFIX}items"), items);
    }
    let message = "`items: false` (no items beyond `prefixItems`) is not supported and was dropped";
    diags.warning(ptr, message);
}

/// Rule 8: every keyword `openapiv3` does not model (and that is not an `x-` extension) moves
/// to `x-apigen-dropped-<keyword>`, with one warning per schema naming them all.
fn move_unsupported_keywords(obj: &mut Object, ptr: &str, diags: &mut Diagnostics) {
    let moved = move_unknown_keys(obj, |key| SUPPORTED_KEYWORDS.contains(&key));
    if moved.is_empty() {
        return;
    }
    let names: Vec<&str> = moved.iter().map(String::as_str).collect();
    diags.warning(
        ptr,
        not_supported(&plural_keys("keyword", &names), names.len()),
    );
}

/// Moves every key of `obj` that is neither `is_known` nor an `x-` extension to
/// `x-apigen-dropped-<key>`; returns the keys moved, in map order.
fn move_unknown_keys(obj: &mut Object, is_known: impl Fn(&str) -> bool) -> Vec<String> {
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

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// Moves `obj[from]` to `obj[to]`; returns true when there was something to move.
fn move_key(obj: &mut Object, from: &str, to: &str) -> bool {
    match obj.remove(from) {
        Some(value) => {
            obj.insert(to.to_owned(), value);
            true
        }
        None => false,
    }
}

/// Removes the entries of `map` whose value satisfies `matches` and returns them.
fn take_entries(map: &mut Object, matches: impl Fn(&Value) -> bool) -> Object {
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

/// The entries of `value` when it is an object; nothing otherwise.
fn entries_mut(value: &mut Value) -> impl Iterator<Item = (&String, &mut Value)> {
    value
        .as_object_mut()
        .into_iter()
        .flat_map(|obj| obj.iter_mut())
}

/// The entries of the map `obj[key]`, when there is one.
fn member_entries<'a>(
    obj: &'a mut Object,
    key: &str,
) -> impl Iterator<Item = (&'a String, &'a mut Value)> {
    obj.get_mut(key).into_iter().flat_map(entries_mut)
}

/// `keyword `a`` or `keywords `a`, `b``.
fn plural_keys(noun: &str, names: &[&str]) -> String {
    let mut quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    quoted.sort();
    let suffix = if names.len() == 1 { "" } else { "s" };
    format!("{noun}{suffix} {}", quoted.join(", "))
}

/// `<subject> is not supported and was dropped`, in the plural when `count` is not one.
fn not_supported(subject: &str, count: usize) -> String {
    if count == 1 {
        format!("{subject} is not supported and was dropped")
    } else {
        format!("{subject} are not supported and were dropped")
    }
}

/// What kind of JSON value this is, for messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a map",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{Diagnostic, Severity};

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
        let parsed =
            serde_json::from_value::<openapiv3::ReferenceOr<openapiv3::Schema>>(out.clone());
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
                "warning: `components.pathItems` is not supported and was dropped (kept as \
                 `x-apigen-pathItems`) (at #/components/pathItems)",
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
                "query": {"responses": {}},
                "x-kept": 1,
            }},
        });
        let diags = messages(&run(&mut doc));
        assert_eq!(
            doc["paths"]["/models"],
            json!({
                "get": {"responses": {}},
                "x-apigen-dropped-query": {"responses": {}},
                "x-kept": 1,
            })
        );
        assert_eq!(
            diags,
            [
                "warning: key `query` in a path item is not supported and was dropped \
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
                ("#/components/schemas/S/properties/a/type", Severity::Error),
                ("#/components/schemas/S/properties/b", Severity::Error),
                ("#/components/schemas/S/properties/c/anyOf", Severity::Error),
            ]
        );
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
        assert_eq!(diags[0].severity, Severity::Error);
        assert!(diags[0].message.contains("nest deeper"));
    }

    #[test]
    fn baseten_spec_deserializes_after_normalize() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../spec/source/management-v1.json"
        );
        let text =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
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
}

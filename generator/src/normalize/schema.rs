//! Schemas: the rewrites of 3.1 / JSON Schema 2020-12 shapes into 3.0 shapes, one small
//! function per rule, and the walk into subschemas.

use serde_json::{Value, json};

use super::util::{kind, move_unknown_keys, not_supported, plural_keys};
use super::{DROPPED_PREFIX, Object};
use crate::diagnostics::{Diagnostics, pointer};
use crate::grammar::{self, Slot};

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

/// What to do about a `properties`-like keyword (or a list of schemas) of the wrong shape.
const SHAPE_HELP: &str = "write a map from names to schemas (`properties`) or a list of schemas \
                          (`allOf`, `oneOf`, `anyOf`)";

/// What to do about a `type` of the wrong shape.
const TYPE_HELP: &str = "use one of `string`, `number`, `integer`, `boolean`, `array`, `object`, \
                         `null`, or a list of them";

/// How deep schemas may nest before the pass stops descending (guards the stack).
pub(super) const MAX_SCHEMA_DEPTH: usize = 200;

/// How many times a single remaining `anyOf`/`oneOf` branch may be merged into one schema.
const MAX_MERGES: usize = 16;

/// Normalizes one schema in place, then its subschemas. A value that is not a schema, or
/// schemas nested too deep to follow, become `{}` (any JSON value), with a warning.
pub(super) fn normalize_schema(
    schema: &mut Value,
    ptr: &str,
    depth: usize,
    diags: &mut Diagnostics,
) {
    if depth > MAX_SCHEMA_DEPTH {
        let message = format!(
            "schemas nest deeper than {MAX_SCHEMA_DEPTH} levels: this one is typed as any JSON value"
        );
        diags
            .warning(ptr, message)
            .help("move the inner schemas into `#/components/schemas` and refer to them by `$ref`");
        *schema = json!({});
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
        _ => {
            let message = format!(
                "expected a schema (an object or a boolean), found {}: the value is typed as \
                 any JSON value",
                kind(schema)
            );
            diags.warning(ptr, message).help(
                "write a schema object here, such as `{type: string}`, or `{}` for any value",
            );
            *schema = json!({});
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
    rewrite_discriminator(obj, ptr, diags);
    drop_items_false(obj, ptr, diags);
    move_unsupported_keywords(obj, ptr, diags);
}

/// Normalizes the subschemas of a schema: `properties`, `items`, `additionalProperties`,
/// `allOf`/`anyOf`/`oneOf`, `not`, and the dropped `prefixItems`, `$defs`, `patternProperties`,
/// each holding one schema, a map or a list of them as the grammar says. A keyword whose
/// value has another shape (`properties: [..]`) is set aside with a warning: the schema is
/// typed without it.
fn walk_subschemas(obj: &mut Object, ptr: &str, depth: usize, diags: &mut Diagnostics) {
    let keys: Vec<String> = obj
        .keys()
        .filter(|key| subschema_slot(key).is_some())
        .cloned()
        .collect();
    for key in keys {
        let (Some(slot), Some(value)) = (subschema_slot(&key), obj.get_mut(&key)) else {
            continue;
        };
        let at = pointer(ptr, original_keyword(&key));
        match (slot, value) {
            // `additionalProperties: true/false` is understood by `openapiv3` as it is.
            (Slot::One(_), Value::Bool(_)) if key == "additionalProperties" => {}
            (Slot::One(_), child) => normalize_schema(child, &at, depth, diags),
            (Slot::Map(_), Value::Object(map)) => {
                for (name, child) in map.iter_mut() {
                    normalize_schema(child, &pointer(&at, name), depth, diags);
                }
            }
            (Slot::List(_), Value::Array(list)) => {
                for (index, child) in list.iter_mut().enumerate() {
                    normalize_schema(child, &pointer(&at, &index.to_string()), depth, diags);
                }
            }
            (slot, other) => {
                let found = kind(other);
                set_aside_misshapen(obj, &key, slot, found, &at, diags);
            }
        }
    }
}

/// The subschema keywords normalization descends into, by the key they are found under,
/// and how they hold schemas (from the grammar).
fn subschema_slot(key: &str) -> Option<Slot> {
    let walked = match key.strip_prefix(DROPPED_PREFIX) {
        Some(dropped) => ["$defs", "patternProperties", "prefixItems"].contains(&dropped),
        None => [
            "items",
            "not",
            "additionalProperties",
            "properties",
            "allOf",
            "anyOf",
            "oneOf",
        ]
        .contains(&key),
    };
    walked
        .then(|| grammar::schema_child(original_keyword(key)))
        .flatten()
}

/// Moves a subschema keyword whose value has the wrong shape to `x-apigen-dropped-<key>`
/// (a keyword already set aside stays where it is), with a warning.
fn set_aside_misshapen(
    obj: &mut Object,
    key: &str,
    slot: Slot,
    found: &str,
    at: &str,
    diags: &mut Diagnostics,
) {
    if key.starts_with(DROPPED_PREFIX) {
        return;
    }
    let expected = match slot {
        Slot::List(_) => "a list of schemas",
        Slot::Map(_) | Slot::One(_) => "a map of schemas",
    };
    if let Some(value) = obj.remove(key) {
        obj.insert(format!("{DROPPED_PREFIX}{key}"), value);
    }
    diags
        .warning(
            at,
            format!(
                "`{key}` must be {expected}, found {found}: it was set aside, and the schema is \
                 typed without it"
            ),
        )
        .help(SHAPE_HELP);
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

/// The type names of JSON Schema (and OpenAPI 3.0), besides `null`.
const TYPE_NAMES: [&str; 6] = ["string", "number", "integer", "boolean", "array", "object"];

/// Rule 1: `type: "null"` admits only null; a `type` list becomes a single `type` plus
/// `nullable`, or an `anyOf` with one branch per type. A YAML `type: null` (unquoted, so the
/// value null) means the type `null`; Swagger 2's `type: file` means bytes; any other type
/// name, or a `type` that is not a name, is set aside with a warning, and the schema
/// accepts any type.
fn rewrite_type(obj: &mut Object, ptr: &str, diags: &mut Diagnostics) {
    let at = pointer(ptr, "type");
    match obj.get("type") {
        Some(Value::Null) => {
            let message = "`type: null` is the value null, not the type name: it was read as \
                           `type: \"null\"`";
            diags
                .warning(&at, message)
                .help("quote the type name: `type: \"null\"`");
            obj.remove("type");
            mark_null_only(obj);
        }
        Some(Value::String(name)) if name == "null" => {
            obj.remove("type");
            mark_null_only(obj);
        }
        Some(Value::String(name)) if name == "file" => {
            let message =
                "`type: file` is Swagger 2's: it was read as `type: string, format: binary`";
            diags.warning(&at, message);
            obj.insert("type".to_owned(), json!("string"));
            obj.insert("format".to_owned(), json!("binary"));
        }
        None => {}
        Some(Value::String(name)) if TYPE_NAMES.contains(&name.as_str()) => {}
        Some(Value::Array(names)) => {
            let names = names.clone();
            rewrite_type_list(obj, &names, ptr, diags);
        }
        Some(other) => {
            let found = match other {
                Value::String(name) => format!("the unknown type `{name}`"),
                other => kind(other).to_owned(),
            };
            set_aside_type(obj, &found, &at, diags);
        }
    }
}

/// Moves a `type` that cannot be read to `x-apigen-dropped-type`, with a warning.
fn set_aside_type(obj: &mut Object, found: &str, at: &str, diags: &mut Diagnostics) {
    if let Some(value) = obj.remove("type") {
        obj.insert(format!("{DROPPED_PREFIX}type"), value);
    }
    let message = format!(
        "`type` must be a type name or a list of them, found {found}: it was set aside, and \
         the schema accepts any type"
    );
    diags.warning(at, message).help(TYPE_HELP);
}

/// Rule 1 for a `type` list.
fn rewrite_type_list(obj: &mut Object, names: &[Value], ptr: &str, diags: &mut Diagnostics) {
    let at = pointer(ptr, "type");
    let Some((types, has_null)) = distinct_types(names) else {
        set_aside_type(
            obj,
            "a list with a value that is not a type name",
            &at,
            diags,
        );
        return;
    };
    let unknown: Vec<&str> = types
        .iter()
        .copied()
        .filter(|t| !TYPE_NAMES.contains(t))
        .collect();
    if !unknown.is_empty() {
        let found = format!("a list with the unknown {}", plural_keys("type", &unknown));
        set_aside_type(obj, &found, &at, diags);
        return;
    }
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
            diags.warning(&at, message);
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
                "`{exclusive_key}` must be a number or a boolean, found {}: it was set aside",
                kind(other)
            );
            diags
                .warning(pointer(ptr, exclusive_key), message)
                .help("write the bound as a number (3.1) or `true`/`false` beside `minimum`/`maximum` (3.0)");
            if let Some(value) = obj.remove(exclusive_key) {
                obj.insert(format!("{DROPPED_PREFIX}{exclusive_key}"), value);
            }
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
fn has_string_ref(obj: &mut Object, ptr: &str, diags: &mut Diagnostics) -> bool {
    match obj.get("$ref") {
        None => false,
        Some(Value::String(_)) => true,
        Some(other) => {
            let message = format!(
                "`$ref` must be a string, found {}: it was set aside, and the schema is typed \
                 without it",
                kind(other)
            );
            diags
                .warning(pointer(ptr, "$ref"), message)
                .help("write the reference as a string, such as `'#/components/schemas/Pet'`");
            if let Some(value) = obj.remove("$ref") {
                obj.insert(format!("{DROPPED_PREFIX}$ref"), value);
            }
            false
        }
    }
}

// ---- Discriminators ------------------------------------------------------------------------

/// A Swagger 2 discriminator, the property name as a string (`discriminator: className`),
/// becomes `{propertyName: className}` with a warning; OpenAPI 3.2's `defaultMapping`, which
/// `openapiv3` does not model, moves to `x-apigen-defaultMapping`, where lowering reads it.
fn rewrite_discriminator(obj: &mut Object, ptr: &str, diags: &mut Diagnostics) {
    let at = pointer(ptr, "discriminator");
    match obj.get_mut("discriminator") {
        Some(Value::String(name)) => {
            let name = name.clone();
            diags.warning(
                &at,
                format!(
                    "a discriminator is an object in OpenAPI 3: `discriminator: {name}` was read \
                     as `{{propertyName: {name}}}`"
                ),
            );
            obj.insert("discriminator".to_owned(), json!({ "propertyName": name }));
        }
        Some(Value::Object(discriminator)) => {
            super::util::move_key(discriminator, "defaultMapping", "x-apigen-defaultMapping");
        }
        Some(_) => {
            let found = obj.get("discriminator").map_or("nothing", kind);
            diags.warning(
                &at,
                format!("a discriminator must be an object, found {found}: it was set aside"),
            );
            if let Some(value) = obj.remove("discriminator") {
                obj.insert(format!("{DROPPED_PREFIX}discriminator"), value);
            }
        }
        None => {}
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

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
//! key (which `openapiv3` keeps in `extensions`) and reported as a warning, or carried into
//! the model from there (`info.summary`, `license.identifier`, and what OpenAPI 3.2 adds:
//! the `query` method and `additionalOperations`, `in: querystring`, `defaultMapping`, tag
//! `parent` and `kind`, `$self`).
//!
//! Where the intent of a value is plain although it is not what the specification allows
//! (`type: null` unquoted in YAML, a Swagger 2 `discriminator: className`, `components.headers:
//! null`, a missing `info.version`), it is rewritten to that intent with a warning. Where a
//! value cannot be read at all (a schema that is a string, a `type` of `12`), the smallest
//! part holding it degrades (the keyword is set aside, or the schema accepts any JSON
//! value) with a warning naming its pointer; nothing here refuses the document, except one
//! that is not an object.
//!
//! The walk follows the one description of the grammar (`crate::grammar`): which position
//! holds a path item, an operation, a parameter, a schema. `walk.rs` walks the objects that
//! hold schemas, `schema.rs` rewrites schemas, `document.rs` the document level,
//! `item_schema.rs` OpenAPI 3.2's `itemSchema` of sequential media.

mod document;
mod item_schema;
mod schema;
mod util;
mod walk;

use serde_json::{Map, Value};

use crate::diagnostics::Diagnostics;
use crate::grammar::Kind;

pub(crate) use item_schema::ITEM_SCHEMA_MARK;

type Object = Map<String, Value>;

/// Prefix under which an unsupported keyword is kept, so that its value is not lost.
const DROPPED_PREFIX: &str = "x-apigen-dropped-";

/// Rewrites 3.1 shapes in `doc` into 3.0 shapes; reports what it cannot carry.
///
/// The rewrite happens in place and is idempotent; see the module docs for the list of
/// rewrites. Values of any shape are accepted: what is not a schema where one is expected
/// degrades with a warning; only a document that is not an object is an error.
pub fn normalize(doc: &mut Value, diags: &mut Diagnostics) {
    let Some(root) = doc.as_object_mut() else {
        diags
            .error(
                "#",
                format!("the document must be an object, found {}", util::kind(doc)),
            )
            .help("an OpenAPI document is a map that starts with `openapi: 3.1.0`");
        return;
    };
    document::normalize_root(root, diags);
    walk::walk(doc, Kind::Document, "#", diags);
}

#[cfg(test)]
mod tests;

//! Local references to any place: before the document is read into `openapiv3`, each schema
//! that a schema position reaches by a local pointer other than
//! `#/components/schemas/NAME` (`#/components/schemas/Archive/properties/state`,
//! `#/paths/~1anything/post/requestBody/content/application~1json/schema/properties/x`,
//! `#/$defs/Name`) is copied into `#/components/schemas` under a deterministic name, and every
//! `$ref` to it is rewritten to point there (a `$ref` into it, to the same place inside the
//! component). Where the grammar says the target's place holds a schema, the schema there is
//! replaced by a `$ref` to its component, so that the two are one type; a place the grammar
//! says nothing of (`#/$defs`) keeps its copy, which nothing reads. Lowering then finds the
//! target as any other component, through [`super::Resolver`]. A `$ref` in a schema position
//! to an object that is not a schema is left for lowering to report.
//!
//! The name is the last segment of the pointer that names something (not an index, a
//! keyword such as `properties` or `schema`, nor a media type): `state`, `x`, `Name`. When
//! `#/components/schemas` already holds it, the segment before is put in front
//! (`ArchiveState`), then the smallest free numeric suffix (`State2`). Targets are named in
//! the order of their pointers, so names depend on the document alone, not on the order it
//! writes its keys in.
//! A pointer that leads nowhere, or to something that is not a schema (`#/components/schemas`
//! itself), is left as it is, for lowering to report. The pass is bounded: at most
//! `MAX_ROUNDS` (64) rounds, and copies no larger together than the document.

use serde_json::{Map, Value};

use super::LocalRef;
use crate::diagnostics::Diagnostics;
use crate::grammar::{Kind, Slot};

/// How many rounds of hoisting at most: a target inside another target moved in the same
/// round is hoisted in the next, so a round is needed per level of such nesting. Past this
/// many, the references left are reported by lowering.
const MAX_ROUNDS: usize = 64;

/// Hoists every schema a local pointer reaches outside `#/components/<section>/NAME`; see the
/// module docs.
pub fn hoist_local_targets(tree: &mut Value, diags: &mut Diagnostics) {
    enclosing_definitions(tree, diags);
    let mut moved: Vec<(Vec<String>, String)> = Vec::new();
    // Copies of places outside the grammar add to the document (a schema is moved, not
    // copied): together they may not be larger than the document was.
    let mut budget = node_count(tree);
    for _ in 0..MAX_ROUNDS {
        let mut targets: Vec<LocalRef> = Vec::new();
        visit_schemas(tree, Kind::Document, &mut |schema| {
            let reference = schema.get("$ref").and_then(Value::as_str);
            let Some(local) = reference.and_then(target_of) else {
                return;
            };
            if !targets.contains(&local) {
                targets.push(local);
            }
        });
        // By pointer, so that the order a document writes its keys in names nothing.
        targets.sort_by_key(LocalRef::pointer);
        let before = moved.len();
        for local in targets {
            // Inside a target moved this round: found again under its new name next round.
            let Some(target) = tree.pointer(&json_pointer(&local)).cloned() else {
                continue;
            };
            let at = place_of(&local.segments);
            // Only a schema, or an object the grammar says nothing of (`#/$defs/NAME`), is
            // hoisted; anything else is left for lowering to report.
            let schema_like = target.is_object() || target.is_boolean();
            if !schema_like || !matches!(at, Place::Schema | Place::Outside) {
                continue;
            }
            if at == Place::Outside {
                let Some(left) = budget.checked_sub(node_count(&target)) else {
                    continue; // left for lowering to report
                };
                budget = left;
            }
            let name = free_name(tree, &local);
            insert_schema(tree, &name, target);
            let to = crate::diagnostics::pointer("#/components/schemas", &name);
            if at == Place::Schema {
                // The schema in place becomes a reference to its component, so that both are
                // one type.
                if let Some(place) = tree.pointer_mut(&json_pointer(&local)) {
                    *place = serde_json::json!({ "$ref": to });
                }
            }
            moved.push((local.segments, name));
        }
        if moved.len() == before {
            drop_moved_definitions(tree);
            return;
        }
        visit_schemas(tree, Kind::Document, &mut |schema| {
            let reference = schema.get("$ref").and_then(Value::as_str);
            if let Some(new) = reference.and_then(|r| rewritten(r, &moved)) {
                schema.insert("$ref".to_owned(), Value::String(new));
            }
        });
    }
}

/// A `$ref: '#/$defs/NAME'` (or `#/definitions/NAME`) where the document has no such place,
/// written inside a schema that defines `NAME` among its own `$defs`: the author means that
/// one, as a schema read on its own would. The reference is rewritten to its full pointer,
/// with a warning.
fn enclosing_definitions(tree: &mut Value, diags: &mut Diagnostics) {
    let mut found: Vec<(Vec<String>, String)> = Vec::new();
    visit_schemas_at(
        tree,
        Kind::Document,
        &mut Vec::new(),
        &mut |schema, path| {
            let reference = schema.get("$ref").and_then(Value::as_str);
            if let Some(reference) =
                reference.filter(|r| r.starts_with("#/$defs/") || r.starts_with("#/definitions/"))
            {
                found.push((path.to_vec(), reference.to_owned()));
            }
        },
    );
    for (path, reference) in found {
        let Ok(local) = LocalRef::parse(&reference) else {
            continue;
        };
        if local.segments.len() != 2 || tree.pointer(&json_pointer(&local)).is_some() {
            continue;
        }
        let enclosing = (0..=path.len()).rev().find_map(|end| {
            let mut segments = path[..end].to_vec();
            segments.extend(local.segments.iter().cloned());
            let candidate = LocalRef { segments };
            tree.pointer(&json_pointer(&candidate)).map(|_| candidate)
        });
        let Some(enclosing) = enclosing else {
            continue;
        };
        let at = LocalRef {
            segments: path.clone(),
        }
        .pointer();
        let to = enclosing.pointer();
        diags
            .warning(
                &at,
                format!(
                    "`$ref: {reference}` names no place in the document; it is read as the \
                 definition of the schema around it, `{to}`"
                ),
            )
            .help(format!("write the full pointer: `$ref: '{to}'`"));
        let place = LocalRef { segments: path }.pointer();
        if let Some(Value::Object(schema)) = tree.pointer_mut(place.trim_start_matches('#')) {
            schema.insert("$ref".to_owned(), Value::String(to));
        }
    }
}

/// Removes the `$defs` and `definitions` of schemas whose every entry was moved into a
/// component (and is now only a `$ref` to it), so that nothing reports them dropped.
fn drop_moved_definitions(tree: &mut Value) {
    visit_schemas(tree, Kind::Document, &mut |schema| {
        for key in ["$defs", "definitions"] {
            let moved = schema
                .get(key)
                .and_then(Value::as_object)
                .is_some_and(|defs| {
                    defs.values().all(|d| {
                        lone_ref(d).is_some_and(|r| r.starts_with("#/components/schemas/"))
                    })
                });
            if moved {
                schema.remove(key);
            }
        }
    });
}

/// The reference of an object that is nothing but a `$ref` string.
fn lone_ref(value: &Value) -> Option<&str> {
    let object = value.as_object().filter(|o| o.len() == 1)?;
    object.get("$ref")?.as_str()
}

/// The reference to where a moved target now is: its component, or a place inside it.
fn rewritten(reference: &str, moved: &[(Vec<String>, String)]) -> Option<String> {
    let local = LocalRef::parse(reference).ok()?;
    let (prefix, name) = moved
        .iter()
        .find(|(prefix, _)| local.segments.starts_with(prefix))?;
    let mut segments = vec!["components".to_owned(), "schemas".to_owned(), name.clone()];
    segments.extend(local.segments[prefix.len()..].iter().cloned());
    Some(LocalRef { segments }.pointer())
}

/// How many values `value` holds, itself included.
fn node_count(value: &Value) -> usize {
    match value {
        Value::Object(map) => 1 + map.values().map(node_count).sum::<usize>(),
        Value::Array(items) => 1 + items.iter().map(node_count).sum::<usize>(),
        _ => 1,
    }
}

/// What the grammar says a pointer's place holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// A schema.
    Schema,
    /// Another object, or a map or list of objects (`#/components/schemas` itself).
    Other,
    /// Nothing: the grammar does not reach it (`#/$defs/Name` at the root).
    Outside,
}

/// What the object at a pointer is, by the grammar.
fn place_of(segments: &[String]) -> Place {
    let mut kind = Kind::Document;
    let mut rest = segments;
    while let [key, tail @ ..] = rest {
        match kind.child(key) {
            None => return Place::Outside,
            Some(Slot::One(next)) => (kind, rest) = (next, tail),
            Some(Slot::Map(next) | Slot::List(next)) => {
                let [_, tail @ ..] = tail else {
                    return Place::Other; // the map or list itself
                };
                (kind, rest) = (next, tail);
            }
        }
    }
    match kind {
        Kind::Schema => Place::Schema,
        _ => Place::Other,
    }
}

/// The target of a `$ref` that must be hoisted; see [`needs_hoisting`].
fn target_of(reference: &str) -> Option<LocalRef> {
    needs_hoisting(reference)
        .then(|| LocalRef::parse(reference).ok())
        .flatten()
}

/// A local pointer that is not to a component (`#/components/<section>/NAME`, whose section
/// lowering checks), nor one that does not parse, which lowering reports.
fn needs_hoisting(reference: &str) -> bool {
    let Ok(local) = LocalRef::parse(reference) else {
        return false;
    };
    local.component().is_none() && !local.segments.is_empty()
}

/// The RFC 6901 pointer `serde_json` looks up (`/components/schemas/a~1b`).
fn json_pointer(local: &LocalRef) -> String {
    local.pointer().trim_start_matches('#').to_owned()
}

/// Segments that say where something is rather than name it.
const KEYWORDS: [&str; 22] = [
    "components",
    "schemas",
    "properties",
    "items",
    "schema",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "additionalProperties",
    "patternProperties",
    "prefixItems",
    "$defs",
    "definitions",
    "paths",
    "content",
    "requestBody",
    "requestBodies",
    "responses",
    "parameters",
    "headers",
    "webhooks",
];

/// The segments of `reference` that name something, in order.
fn naming_segments(local: &LocalRef) -> Vec<String> {
    local
        .segments
        .iter()
        .filter(|s| {
            !s.is_empty()
                && !s.chars().all(|c| c.is_ascii_digit())
                && !s.contains('/')
                && !KEYWORDS.contains(&s.as_str())
                && !crate::grammar::METHODS.contains(&s.as_str())
        })
        .cloned()
        .collect()
}

/// The name the target of `reference` takes in `#/components/schemas`; see the module docs.
fn free_name(tree: &Value, local: &LocalRef) -> String {
    let taken = |name: &str| {
        tree.pointer("/components/schemas")
            .and_then(Value::as_object)
            .is_some_and(|schemas| schemas.contains_key(name))
    };
    let segments = naming_segments(local);
    let last = segments
        .last()
        .cloned()
        .unwrap_or_else(|| "Schema".to_owned());
    if !taken(&last) {
        return last;
    }
    let base = match segments.len() {
        2.. => format!("{}{}", segments[segments.len() - 2], capitalized(&last)),
        _ => last,
    };
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}{n}"))
        .find(|name| !taken(name))
        .unwrap_or(base) // unreachable: the numbers run out only after every name is taken
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// Adds `schema` as `#/components/schemas/<name>`, making the sections it needs.
fn insert_schema(tree: &mut Value, name: &str, schema: Value) {
    let Some(root) = tree.as_object_mut() else {
        return;
    };
    let components = root
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()));
    if !components.is_object() {
        return; // set aside later, with the shape error it is
    }
    let schemas = components.as_object_mut().map(|c| {
        c.entry("schemas")
            .or_insert_with(|| Value::Object(Map::new()))
    });
    if let Some(Value::Object(schemas)) = schemas {
        schemas.insert(name.to_owned(), schema);
    }
}

/// Calls `f` on every schema object of `value` (of kind `kind`), by the grammar.
fn visit_schemas(value: &mut Value, kind: Kind, f: &mut impl FnMut(&mut Map<String, Value>)) {
    visit_schemas_at(value, kind, &mut Vec::new(), &mut |schema, _| f(schema));
}

/// [`visit_schemas`], with the segments of each schema's pointer.
fn visit_schemas_at(
    value: &mut Value,
    kind: Kind,
    path: &mut Vec<String>,
    f: &mut impl FnMut(&mut Map<String, Value>, &[String]),
) {
    let Some(object) = value.as_object_mut() else {
        return;
    };
    if kind == Kind::Schema {
        f(object, path);
    }
    for (key, child) in object.iter_mut() {
        path.push(key.clone());
        match kind.child(key) {
            Some(Slot::One(kind)) => visit_schemas_at(child, kind, path, f),
            Some(Slot::Map(kind)) => {
                for (name, entry) in child.as_object_mut().into_iter().flatten() {
                    path.push(name.clone());
                    visit_schemas_at(entry, kind, path, f);
                    path.pop();
                }
            }
            Some(Slot::List(kind)) => {
                for (index, item) in child.as_array_mut().into_iter().flatten().enumerate() {
                    path.push(index.to_string());
                    visit_schemas_at(item, kind, path, f);
                    path.pop();
                }
            }
            None => {}
        }
        path.pop();
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::hoist_local_targets;
    use crate::diagnostics::Diagnostics;

    #[test]
    fn targets_anywhere_become_components_named_by_their_pointer() {
        let mut tree = json!({
            "openapi": "3.1.0",
            "$defs": {"Name": {"type": "string"}},
            "paths": {"/anything": {"post": {"requestBody": {"content": {"application/json": {
                "schema": {"type": "object", "properties": {
                    "circular": {"type": "object", "properties": {"next": {"$ref":
                        "#/paths/~1anything/post/requestBody/content/application~1json/schema/properties/circular"}}},
                }},
            }}}}}},
            "components": {"schemas": {
                "Archive": {"type": "object", "properties": {"state": {"enum": ["a", "b"]}}},
                "state": {"type": "integer"},
                "Uses": {"type": "object", "properties": {
                    "state": {"$ref": "#/components/schemas/Archive/properties/state"},
                    "name": {"$ref": "#/$defs/Name"},
                    "missing": {"$ref": "#/nowhere"},
                }},
            }},
        });
        let mut diags = Diagnostics::default();
        hoist_local_targets(&mut tree, &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        let schemas = &tree["components"]["schemas"];
        assert_eq!(schemas["ArchiveState"], json!({"enum": ["a", "b"]}));
        assert_eq!(schemas["Name"], json!({"type": "string"}));
        let uses = &schemas["Uses"]["properties"];
        assert_eq!(uses["state"]["$ref"], "#/components/schemas/ArchiveState");
        assert_eq!(uses["name"]["$ref"], "#/components/schemas/Name");
        assert_eq!(
            uses["missing"]["$ref"], "#/nowhere",
            "left for lowering to report"
        );
        // The recursive property refers to its hoisted self, and its place to the component.
        let to_circular = json!("#/components/schemas/circular");
        assert_eq!(
            schemas["circular"]["properties"]["next"]["$ref"],
            to_circular
        );
        let inline = &tree["paths"]["/anything"]["post"]["requestBody"]["content"]["application/json"]
            ["schema"]["properties"]["circular"];
        assert_eq!(inline["$ref"], to_circular);
        let archive = &schemas["Archive"]["properties"]["state"];
        assert_eq!(archive["$ref"], "#/components/schemas/ArchiveState");
        // A place the grammar says nothing of keeps its copy.
        assert_eq!(tree["$defs"]["Name"], json!({"type": "string"}));
    }

    #[test]
    fn a_root_pointer_to_definitions_of_the_schema_around_it_means_those() {
        let mut tree = json!({
            "openapi": "3.1.0",
            "paths": {"/speech": {"post": {"responses": {"200": {"description": "ok",
                "content": {"text/event-stream": {"schema": {
                    "$defs": {"Done": {"type": "object", "properties": {"ok": {"type": "boolean"}}}},
                    "type": "object",
                    "properties": {"data": {"oneOf": [{"$ref": "#/$defs/Done"}]}},
                }}},
            }}}}},
        });
        let mut diags = Diagnostics::default();
        hoist_local_targets(&mut tree, &mut diags);
        let schema = &tree["paths"]["/speech"]["post"]["responses"]["200"]["content"]["text/event-stream"]
            ["schema"];
        assert_eq!(
            schema["properties"]["data"]["oneOf"][0]["$ref"],
            "#/components/schemas/Done"
        );
        assert!(
            schema.get("$defs").is_none(),
            "moved, not reported as dropped"
        );
        assert_eq!(tree["components"]["schemas"]["Done"]["type"], "object");
        let warnings: Vec<String> = diags.iter().map(ToString::to_string).collect();
        assert_eq!(warnings.len(), 1, "{warnings:#?}");
        assert!(
            warnings[0].contains("read as the definition of the schema around it"),
            "{warnings:#?}"
        );
    }

    #[test]
    fn a_pointer_to_a_section_is_not_hoisted() {
        // Found by fuzzing: hoisting `#/components/schemas` itself copied the section into
        // itself, round after round.
        let mut tree = json!({
            "openapi": "3.0.3",
            "components": {"schemas": {
                "List": {"type": "array", "items": {"$ref": "#/components/schemas/Start"}, "$ref": "#/components/schemas"},
                "Start": {"$ref": "#/components/schemas/List"},
            }},
        });
        let before = tree.clone();
        let mut diags = Diagnostics::default();
        hoist_local_targets(&mut tree, &mut diags);
        assert_eq!(tree, before);
    }
}

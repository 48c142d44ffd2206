//! Unit tests of bundling, over in-memory side files.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::bundle;
use crate::SpecFiles;
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};

/// Bundles `root` (named `openapi.yaml`) with the side files `files` (path, text).
fn run(root: Value, files: &[(&str, &str)]) -> (Value, Vec<Diagnostic>) {
    let files: BTreeMap<String, String> = files
        .iter()
        .map(|(path, text)| ((*path).to_owned(), (*text).to_owned()))
        .collect();
    let read = |path: &str| {
        files
            .get(path)
            .cloned()
            .ok_or_else(|| "no such file".to_owned())
    };
    let spec = SpecFiles {
        root: "openapi.yaml",
        reader: &read,
    };
    let mut tree = root;
    let mut diags = Diagnostics::default();
    bundle(&mut tree, Some(&spec), &mut diags);
    (tree, diags.into_sorted())
}

fn errors(diags: &[Diagnostic]) -> Vec<String> {
    diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(ToString::to_string)
        .collect()
}

/// A root whose one operation answers with `schema`.
fn answering(schema: Value) -> Value {
    json!({
        "openapi": "3.0.3",
        "paths": {"/pets": {"get": {"responses": {"200": {
            "description": "ok",
            "content": {"application/json": {"schema": schema}},
        }}}}},
    })
}

fn response_schema(tree: &Value) -> &Value {
    &tree["paths"]["/pets"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
}

#[test]
fn a_whole_file_schema_is_hoisted_under_its_stem() {
    let pet = "type: object\nproperties:\n  name: {type: string}\n";
    let (tree, diags) = run(
        answering(json!({"$ref": "schemas/pet.yaml"})),
        &[("schemas/pet.yaml", pet)],
    );
    assert_eq!(diags, []);
    assert_eq!(
        response_schema(&tree),
        &json!({"$ref": "#/components/schemas/pet"})
    );
    assert_eq!(
        tree["components"]["schemas"]["pet"]["properties"]["name"],
        json!({"type": "string"})
    );
}

#[test]
fn a_fragment_names_the_hoisted_schema_and_local_refs_mean_their_own_file() {
    let common = r##"
components:
  schemas:
    Error:
      type: object
      properties:
        detail: {$ref: '#/components/schemas/Detail'}
    Detail: {type: string}
definitions:
  Tag: {type: string}
"##;
    let root = answering(json!({"type": "array", "items": [
        {"$ref": "./common.yaml#/components/schemas/Error"},
        {"$ref": "common.yaml#/definitions/Tag"},
    ]}));
    let (tree, diags) = run(root, &[("common.yaml", common)]);
    assert_eq!(diags, []);
    let schemas = &tree["components"]["schemas"];
    let names: Vec<&String> = schemas
        .as_object()
        .map(|m| m.keys().collect())
        .unwrap_or_default();
    assert_eq!(names, ["Error", "Tag", "Detail"]);
    assert_eq!(
        schemas["Error"]["properties"]["detail"],
        json!({"$ref": "#/components/schemas/Detail"})
    );
    assert_eq!(
        response_schema(&tree)["items"][1],
        json!({"$ref": "#/components/schemas/Tag"})
    );
}

#[test]
fn paths_are_relative_to_the_referring_file_in_nested_directories() {
    let pet = "properties:\n  owner: {$ref: './people/owner.yaml'}\n  tag: {$ref: '../shared/tag.json'}\n";
    let owner = "properties:\n  pets: {type: array, items: {$ref: '../pet.yaml'}}\n";
    let tag = r#"{"type": "string"}"#;
    let files = [
        ("schemas/pet.yaml", pet),
        ("schemas/people/owner.yaml", owner),
        ("shared/tag.json", tag),
    ];
    let (tree, diags) = run(answering(json!({"$ref": "schemas/pet.yaml"})), &files);
    assert_eq!(diags, []);
    let schemas = &tree["components"]["schemas"];
    assert_eq!(
        schemas["pet"]["properties"]["owner"],
        json!({"$ref": "#/components/schemas/owner"})
    );
    assert_eq!(
        schemas["owner"]["properties"]["pets"]["items"],
        json!({"$ref": "#/components/schemas/pet"})
    );
    assert_eq!(schemas["tag"], json!({"type": "string"}));
}

#[test]
fn a_file_referred_to_twice_becomes_one_component() {
    let root = json!({
        "openapi": "3.0.3",
        "paths": {},
        "components": {"schemas": {
            "A": {"properties": {"x": {"$ref": "pet.yaml"}}},
            "B": {"properties": {"y": {"$ref": "./sub/../pet.yaml#"}}},
        }},
    });
    let (tree, diags) = run(root, &[("pet.yaml", "type: string\n")]);
    assert_eq!(diags, []);
    let schemas = tree["components"]["schemas"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    assert_eq!(schemas.len(), 3, "{schemas:?}");
    assert_eq!(
        schemas["A"]["properties"]["x"],
        schemas["B"]["properties"]["y"]
    );
}

#[test]
fn a_taken_name_gets_a_suffix_and_a_warning() {
    let root = json!({
        "openapi": "3.0.3",
        "paths": {},
        "components": {"schemas": {
            "Error": {"type": "string"},
            "Pair": {"allOf": [
                {"$ref": "a/Error.yaml"},
                {"$ref": "b/Error.yaml"},
                {"$ref": "a/Error.yaml"},
            ]},
        }},
    });
    let files = [
        ("a/Error.yaml", "type: integer\n"),
        ("b/Error.yaml", "type: boolean\n"),
    ];
    let (tree, diags) = run(root, &files);
    let schemas = &tree["components"]["schemas"];
    assert_eq!(schemas["Error"], json!({"type": "string"}));
    assert_eq!(schemas["Error2"], json!({"type": "integer"}));
    assert_eq!(schemas["Error3"], json!({"type": "boolean"}));
    let refs: Vec<&Value> = (0..3)
        .map(|i| &schemas["Pair"]["allOf"][i]["$ref"])
        .collect();
    assert_eq!(
        refs,
        [
            "#/components/schemas/Error2",
            "#/components/schemas/Error3",
            "#/components/schemas/Error2"
        ]
    );
    let warnings: Vec<(&str, Severity)> = diags
        .iter()
        .map(|d| (d.pointer.as_str(), d.severity))
        .collect();
    assert_eq!(
        warnings,
        [
            ("a/Error.yaml#", Severity::Warning),
            ("b/Error.yaml#", Severity::Warning)
        ]
    );
}

#[test]
fn a_root_component_that_only_refers_to_a_file_takes_its_place() {
    let root = json!({
        "openapi": "3.0.3",
        "paths": {},
        "components": {"schemas": {
            "Pet": {"$ref": "schemas/pet.yaml"},
            "Animal": {"$ref": "schemas/pet.yaml"},
            "Owner": {"properties": {"pet": {"$ref": "schemas/pet.yaml"}}},
        }},
    });
    let (tree, diags) = run(root, &[("schemas/pet.yaml", "type: object\n")]);
    assert_eq!(diags, []);
    let schemas = &tree["components"]["schemas"];
    assert_eq!(schemas["Pet"], json!({"type": "object"}));
    assert_eq!(
        schemas["Animal"],
        json!({"$ref": "#/components/schemas/Pet"})
    );
    assert_eq!(
        schemas["Owner"]["properties"]["pet"],
        json!({"$ref": "#/components/schemas/Pet"})
    );
    assert_eq!(schemas.as_object().map(|m| m.len()), Some(3));
}

#[test]
fn recursion_within_and_across_files_goes_through_named_components() {
    let node = "properties:\n  next: {$ref: '#'}\n  other: {$ref: 'b.yaml'}\n";
    let other = "properties:\n  back: {$ref: 'a.yaml'}\n";
    let files = [("a.yaml", node), ("b.yaml", other)];
    let (tree, diags) = run(answering(json!({"$ref": "a.yaml"})), &files);
    assert_eq!(diags, []);
    let schemas = &tree["components"]["schemas"];
    assert_eq!(
        schemas["a"]["properties"]["next"]["$ref"],
        "#/components/schemas/a"
    );
    assert_eq!(
        schemas["a"]["properties"]["other"]["$ref"],
        "#/components/schemas/b"
    );
    assert_eq!(
        schemas["b"]["properties"]["back"]["$ref"],
        "#/components/schemas/a"
    );
}

#[test]
fn parameters_responses_and_path_items_are_inlined_with_their_schemas_hoisted() {
    let common = r##"
parameters:
  Limit: {name: limit, in: query, schema: {type: integer}}
  Page: {$ref: '#/parameters/Limit', description: the page size}
responses:
  NotFound:
    description: not found
    content:
      application/json:
        schema: {$ref: '#/schemas/Error'}
schemas:
  Error: {type: object}
"##;
    let item = "get:
  parameters: [{$ref: '../common.yaml#/parameters/Page'}]
  responses:
    '404': {$ref: '../common.yaml#/responses/NotFound'}
";
    let root = json!({"openapi": "3.0.3", "paths": {"/pets": {"$ref": "paths/pets.yaml"}}});
    let (tree, diags) = run(root, &[("common.yaml", common), ("paths/pets.yaml", item)]);
    assert_eq!(diags, []);
    let get = &tree["paths"]["/pets"]["get"];
    assert_eq!(
        get["parameters"][0],
        json!({
            "name": "limit", "in": "query", "schema": {"type": "integer"},
            "description": "the page size",
        })
    );
    assert_eq!(
        get["responses"]["404"]["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/Error"})
    );
    assert_eq!(
        tree["components"]["schemas"]["Error"],
        json!({"type": "object"})
    );
}

#[test]
fn a_cycle_of_non_schema_references_is_reported() {
    let loop_file = "A: {$ref: '#/B'}\nB: {$ref: '#/A'}\n";
    let root = json!({"openapi": "3.0.3", "paths": {"/a": {"get": {
        "parameters": [{"$ref": "loop.yaml#/A"}],
        "responses": {},
    }}}});
    let (_, diags) = run(root, &[("loop.yaml", loop_file)]);
    assert_eq!(
        errors(&diags),
        [
            "error: cannot resolve `$ref: #/A`: the parameter at `loop.yaml#/A` refers back to \
          itself (at loop.yaml#/B); help: inline one object of the cycle instead of referring \
          to it"
        ]
    );
}

#[test]
fn a_side_file_referring_to_the_root_gets_a_local_reference() {
    let root = json!({
        "openapi": "3.0.3",
        "paths": {},
        "components": {
            "schemas": {"Error": {"type": "object"}, "Wrapper": {"$ref": "s/w.yaml"}},
        },
    });
    let wrapper = "properties:\n  error: {$ref: '../openapi.yaml#/components/schemas/Error'}\n";
    let (tree, diags) = run(root, &[("s/w.yaml", wrapper)]);
    assert_eq!(diags, []);
    assert_eq!(
        tree["components"]["schemas"]["Wrapper"]["properties"]["error"],
        json!({"$ref": "#/components/schemas/Error"})
    );
}

#[test]
fn literal_data_is_not_looked_into() {
    let schema = json!({
        "$ref": "pet.yaml",
        "example": {"$ref": "nothing.yaml"},
        "x-note": {"$ref": "nothing.yaml"},
    });
    let (tree, diags) = run(answering(schema), &[("pet.yaml", "type: string\n")]);
    assert_eq!(diags, []);
    assert_eq!(
        response_schema(&tree)["example"],
        json!({"$ref": "nothing.yaml"})
    );
}

#[test]
fn discriminator_mappings_follow_their_schemas() {
    let pets = r##"
components:
  schemas:
    Pet:
      oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: 'dog.yaml'}]
      discriminator:
        propertyName: kind
        mapping: {cat: Cat, dog: 'dog.yaml', other: Unknown}
    Cat: {type: object}
"##;
    let (tree, diags) = run(
        answering(json!({"$ref": "pets.yaml#/components/schemas/Pet"})),
        &[("pets.yaml", pets), ("dog.yaml", "type: object\n")],
    );
    assert_eq!(diags, []);
    let mapping = &tree["components"]["schemas"]["Pet"]["discriminator"]["mapping"];
    assert_eq!(
        mapping,
        &json!({
            "cat": "#/components/schemas/Cat",
            "dog": "#/components/schemas/dog",
            "other": "Unknown",
        })
    );
}

#[test]
fn every_unresolvable_reference_is_reported_at_once_with_its_file() {
    let common = "components:\n  schemas:\n    Error: {properties: {x: {$ref: 'gone.yaml'}}}\n";
    let root = answering(json!({"allOf": [
        {"$ref": "missing.yaml"},
        {"$ref": "common.yaml#/components/schemas/Nope"},
        {"$ref": "https://example.com/pet.yaml"},
        {"$ref": "bad.yaml#/A"},
        {"$ref": "common.yaml#/components/schemas/Error"},
        {"$ref": "common.yaml#Error"},
    ]}));
    let files = [("common.yaml", common), ("bad.yaml", "A: [1, 2\nB: 3\n")];
    let (_, diags) = run(root, &files);
    let at = "#/paths/~1pets/get/responses/200/content/application~1json/schema/allOf";
    let want = [
        format!(
            "error: cannot resolve `$ref: missing.yaml`: cannot read `missing.yaml`: no such \
             file (at {at}/0); help: check the file's path, relative to the file that refers to it"
        ),
        format!(
            "error: cannot resolve `$ref: common.yaml#/components/schemas/Nope`: `common.yaml` \
             has no `#/components/schemas/Nope` (`Nope` is missing) (at {at}/1); help: check the \
             pointer after `#` against the keys of that file"
        ),
        format!(
            "error: cannot resolve `$ref: https://example.com/pet.yaml`: remote references are \
             not supported: the generator does no network I/O; save the document beside the \
             spec and refer to it by a relative path (at {at}/2)"
        ),
        format!(
            "error: cannot resolve `$ref: bad.yaml#/A`: `bad.yaml` is invalid YAML at line 2, \
             column 2: illegal placement of ':' indicator (at {at}/3); help: fix the syntax of \
             that file"
        ),
        format!(
            "error: cannot resolve `$ref: common.yaml#Error`: only JSON pointer fragments \
             (`#/…`) are supported, not `#Error` (at {at}/5); help: refer to other files by a \
             relative path and a JSON pointer (`common.yaml#/Pet`)"
        ),
        "error: cannot resolve `$ref: gone.yaml`: cannot read `gone.yaml`: no such file (at \
         common.yaml#/components/schemas/Error/properties/x); help: check the file's path, \
         relative to the file that refers to it"
            .to_owned(),
    ];
    assert_eq!(errors(&diags), want);
}

#[test]
fn without_a_reader_a_reference_to_another_file_says_so() {
    let mut tree = answering(json!({"$ref": "pet.yaml"}));
    let mut diags = Diagnostics::default();
    bundle(&mut tree, None, &mut diags);
    let errors = errors(&diags.into_sorted());
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].contains("no way to read other files"),
        "{}",
        errors[0]
    );
}

#[test]
fn a_self_contained_spec_is_left_as_it_is() {
    let root = json!({
        "openapi": "3.0.3",
        "paths": {"/a": {"get": {"parameters": [{"$ref": "#/components/parameters/P"}]}}},
        "components": {
            "parameters": {"P": {"name": "p", "in": "query"}},
            "schemas": {"A": {"$ref": "#/components/schemas/B"}, "B": {}},
        },
    });
    let (tree, diags) = run(root.clone(), &[]);
    assert_eq!((tree, diags), (root, Vec::new()));
}

#[test]
fn bundling_is_deterministic() {
    let pet = "properties:\n  a: {$ref: 'x.yaml'}\n  b: {$ref: 'y.yaml'}\n";
    let files = [
        ("pet.yaml", pet),
        ("x.yaml", "{}"),
        ("y.yaml", "type: string\n"),
    ];
    let first = run(answering(json!({"$ref": "pet.yaml"})), &files);
    let second = run(answering(json!({"$ref": "pet.yaml"})), &files);
    assert_eq!(first, second);
    let text = |v: &Value| serde_json::to_string(v).unwrap_or_default();
    assert_eq!(text(&first.0), text(&second.0));
}

#[test]
fn a_ref_where_openapi_allows_none_is_resolved_as_a_json_reference() {
    let pet = "type: object\ndescription: {$ref: 'text/pet.yml'}\nproperties: {$ref: props.yml}\n";
    let props = "name: {type: string}\nowner: {$ref: '#/Owner'}\nOwner: {type: string}\n";
    let (tree, diags) = run(
        answering(json!({"$ref": "schemas/pet.yaml"})),
        &[
            ("schemas/pet.yaml", pet),
            ("schemas/props.yml", props),
            ("schemas/text/pet.yml", "A pet.\n"),
        ],
    );
    assert!(errors(&diags).is_empty(), "{diags:#?}");
    let hoisted = &tree["components"]["schemas"]["pet"];
    assert_eq!(hoisted["description"], "A pet.");
    assert_eq!(hoisted["properties"]["name"], json!({"type": "string"}));
    // A `$ref` inside the target means its own file.
    assert_eq!(
        hoisted["properties"]["owner"]["$ref"],
        "#/components/schemas/Owner"
    );
    let warned: Vec<&str> = diags.iter().map(|d| d.pointer.as_str()).collect();
    assert_eq!(
        warned,
        [
            "schemas/pet.yaml#/description",
            "schemas/pet.yaml#/properties"
        ],
        "{diags:#?}"
    );
}

#[test]
fn references_by_the_self_uri_are_local_or_relative() {
    let mut root = answering(json!({
        "$ref": "https://example.com/api/openapi.yaml#/components/schemas/Pet"
    }));
    root["$self"] = json!("https://example.com/api/openapi.yaml");
    root["components"] = json!({"schemas": {
        "Pet": {"type": "object", "properties": {
            "owner": {"$ref": "https://example.com/api/owner.yaml"},
            "elsewhere": {"$ref": "https://example.org/other.yaml"},
        }},
    }});
    let owner = "type: object\nproperties:\n  name: {type: string}\n";
    let (tree, diags) = run(root, &[("owner.yaml", owner)]);
    assert_eq!(response_schema(&tree)["$ref"], "#/components/schemas/Pet");
    let pet = &tree["components"]["schemas"]["Pet"]["properties"];
    assert_eq!(pet["owner"]["$ref"], "#/components/schemas/owner");
    assert_eq!(tree["components"]["schemas"]["owner"]["type"], "object");
    // Another origin is still a remote reference, and an error.
    let errors = errors(&diags);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].contains("example.org"), "{errors:#?}");
}

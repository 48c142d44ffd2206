//! Determinism: the order in which a spec writes the keys of its maps changes nothing in the
//! output, except in the maps whose order means something (listed in `ORDERED`, and in the
//! README's "Determinism" section). That the same spec gives the same bytes in separate
//! processes is tested beside the `xtask` binary (`xtask/tests/determinism.rs`).

use std::path::Path;

use apigen::{ManifestMode, Options};
use apigen_tests::fixtures;
use serde_json::{Map, Value};

/// Maps whose order carries meaning, by the key that holds them: struct fields follow
/// `properties`; the examples of a parameter keep their order in its docs; the first value of
/// a `discriminator.mapping` that selects a schema names its variant.
const ORDERED: &[&str] = &["properties", "examples", "mapping"];

/// A spec with maps whose order a careless generator would follow: several media types of
/// one kind, security requirements naming several schemes, several webhooks.
const MAPS_IN_ANY_ORDER: &str = r#"
openapi: 3.1.0
info: {title: Maps in any order, version: "1"}
security: [{b_key: [], a_key: []}]
webhooks:
  second: {post: {responses: {'200': {description: ok}}}}
  first: {post: {responses: {'200': {description: ok}}}}
paths:
  /upload:
    post:
      operationId: upload
      requestBody:
        content:
          image/png: {}
          application/octet-stream: {}
      responses:
        '200':
          description: Text.
          content:
            text/plain: {}
            text/csv: {}
  /report:
    post:
      operationId: report
      requestBody:
        content:
          application/json; charset=utf-8: {schema: {type: object, properties: {b: {type: integer}}}}
          application/json: {schema: {type: object, properties: {a: {type: string}}}}
      responses:
        '200':
          description: JSON.
          content:
            application/problem+json: {schema: {type: string}}
            application/vnd.api+json: {schema: {type: integer}}
components:
  securitySchemes:
    b_key: {type: apiKey, in: header, name: X-B}
    a_key: {type: apiKey, in: header, name: X-A}
"#;

/// Every map's keys in reverse order, except the maps of [`ORDERED`] and literal data
/// (`example`, `default`, `enum`, `x-…`), which is data, not document.
fn reverse_maps(value: &mut Value, key: &str) {
    let literal = matches!(key, "example" | "default" | "enum" | "const") || key.starts_with("x-");
    if literal {
        return;
    }
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
            if !ORDERED.contains(&key) {
                entries.reverse();
            }
            let mut reordered = Map::new();
            for (k, mut v) in entries {
                reverse_maps(&mut v, &k);
                reordered.insert(k, v);
            }
            *map = reordered;
        }
        Value::Array(items) => {
            for item in items {
                reverse_maps(item, "");
            }
        }
        _ => {}
    }
}

fn options(label: &str) -> Options {
    Options {
        settings: apigen::Settings::default(),
        spec_label: label.to_owned(),
        command: "cargo xtask generate".to_owned(),
        manifest: ManifestMode::Standalone,
        examples: Vec::new(),
    }
}

/// The specs: every valid fixture that is one file, and the small specs of the corpus.
fn specs() -> Vec<std::path::PathBuf> {
    let mut specs: Vec<_> = fixtures::valid()
        .into_iter()
        .filter(|p| !p.to_string_lossy().contains("multi-file"))
        .collect();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut small: Vec<_> = std::fs::read_dir(&corpus)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    small.retain(|p: &std::path::PathBuf| {
        let spec = p.extension().is_some_and(|e| e == "yaml" || e == "json");
        spec && p.metadata().is_ok_and(|m| m.len() < 100_000)
    });
    small.sort();
    specs.extend(small);
    specs
}

#[test]
fn reordering_the_keys_of_maps_changes_nothing() {
    let mut compared = 0;
    let inline = (
        Path::new("maps-in-any-order.yaml").to_path_buf(),
        MAPS_IN_ANY_ORDER.to_owned(),
    );
    let read = specs().into_iter().map(|path| {
        let text = std::fs::read_to_string(&path).expect("spec reads");
        (path, text)
    });
    for (path, text) in std::iter::once(inline).chain(read) {
        let options = options("spec.yaml");
        let original = match apigen::generate(&text, &options) {
            Ok(generated) => generated,
            Err(err) if path.starts_with("maps-in-any-order.yaml") => panic!("{err}"),
            // A spec of the corpus the generator refuses has no output to compare.
            Err(_) => continue,
        };
        let mut tree = apigen::load::parse(&text).expect("spec parses");
        reverse_maps(&mut tree, "");
        let reordered = serde_json::to_string(&tree).expect("tree serializes");
        let again = apigen::generate(&reordered, &options)
            .unwrap_or_else(|err| panic!("{}: reordered, refused: {err}", path.display()));
        for (a, b) in original.files.iter().zip(&again.files) {
            assert_eq!(a.path, b.path, "{}", path.display());
            if a.contents != b.contents {
                let line = a
                    .contents
                    .lines()
                    .zip(b.contents.lines())
                    .position(|(x, y)| x != y)
                    .unwrap_or(0);
                let show = |c: &str| {
                    c.lines()
                        .skip(line.saturating_sub(2))
                        .take(5)
                        .collect::<Vec<_>>()
                        .join("\n")
                };
                panic!(
                    "{}: {} differs at line {}:\n--- as written\n{}\n--- reordered\n{}",
                    path.display(),
                    a.path,
                    line + 1,
                    show(&a.contents),
                    show(&b.contents)
                );
            }
        }
        assert_eq!(
            original.files.len(),
            again.files.len(),
            "{}",
            path.display()
        );
        assert_eq!(original.warnings, again.warnings, "{}", path.display());
        compared += 1;
    }
    assert!(compared > 20, "only {compared} specs compared");
}

//! `spec/openapi.yaml` is the live Baseten spec, converted to YAML with nothing else changed.

use std::path::Path;

fn load(path: &Path) -> serde_json::Value {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    apigen::load::parse(&text).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

#[test]
fn spec_is_the_live_spec() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let yaml = load(&root.join("spec/openapi.yaml"));
    let json = load(&root.join("../shared/specs/baseten/management-v1.json"));
    assert!(
        yaml == json,
        "spec/openapi.yaml differs from the live spec it was converted from"
    );
    let operations: usize = yaml["paths"]
        .as_object()
        .map(|paths| {
            paths
                .values()
                .flat_map(|item| item.as_object().into_iter().flat_map(|m| m.keys()))
                .filter(|k| ["get", "put", "post", "delete", "patch"].contains(&k.as_str()))
                .count()
        })
        .unwrap_or_default();
    assert_eq!(operations, 183);
}

#[test]
fn the_seed_fixture_is_the_seed_spec_byte_for_byte() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixture = std::fs::read(root.join("fixtures/seed-cancel-promotion.yaml")).expect("fixture");
    let seed = std::fs::read(root.join("../../shared/specs/baseten/seed-cancel-promotion.yaml"))
        .expect("the seed spec beside the repository");
    assert_eq!(fixture, seed);
}

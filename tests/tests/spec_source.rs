//! The specs the repository holds are what their recorded sources say: `spec/openapi.yaml` is
//! the live Baseten spec converted to YAML with nothing else changed, and every copied
//! document (the live JSON, the Baseten history, the seed, the public corpus) has the SHA-256
//! its `SOURCES.tsv` records, with a row for each file and a file for each vendored row.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn load(path: &Path) -> serde_json::Value {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    apigen::load::parse(&text).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

fn sha256(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    Sha256::digest(&bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The rows of a `SOURCES.tsv` as column name → value maps, header first.
fn rows(path: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("a header line").split('\t').collect();
    lines
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            assert_eq!(cells.len(), header.len(), "{}: {line}", path.display());
            header
                .iter()
                .zip(cells)
                .map(|(k, v)| ((*k).to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

#[test]
fn spec_is_the_live_spec() {
    let root = root();
    let yaml = load(&root.join("spec/openapi.yaml"));
    let json = load(&root.join("spec/source/management-v1.json"));
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
fn baseten_copies_have_their_recorded_hashes() {
    let root = root();
    let rows = rows(&root.join("spec/SOURCES.tsv"));
    assert!(
        rows.len() >= 5,
        "the live spec, three history versions and the seed"
    );
    for row in rows {
        let file = &row["file"];
        assert_eq!(
            sha256(&root.join(file)),
            row["sha256"],
            "{file} is not its recorded copy"
        );
    }
    // The history's specs are copies; their `NAME.codegen.toml` settings are the project's own.
    let history: BTreeSet<String> = std::fs::read_dir(root.join("spec/history"))
        .expect("spec/history")
        .map(|entry| {
            format!(
                "spec/history/{}",
                entry.expect("entry").file_name().to_string_lossy()
            )
        })
        .filter(|file| !file.ends_with(".codegen.toml"))
        .collect();
    let recorded: BTreeSet<String> = self::rows(&root.join("spec/SOURCES.tsv"))
        .into_iter()
        .map(|row| row["file"].clone())
        .filter(|file| file.starts_with("spec/history/"))
        .collect();
    assert_eq!(
        history, recorded,
        "every history spec has a row in spec/SOURCES.tsv"
    );
}

#[test]
fn corpus_copies_have_their_recorded_hashes_and_a_row_each() {
    let dir = root().join("tests/corpus");
    let mut vendored = BTreeSet::new();
    for row in rows(&dir.join("SOURCES.tsv")) {
        let file = &row["file"];
        if row["vendored"] == "yes" {
            assert_eq!(
                sha256(&dir.join(file)),
                row["sha256"],
                "tests/corpus/{file}"
            );
            vendored.insert(file.clone());
        } else {
            assert!(
                row["vendored"].starts_with("no: "),
                "{file}: `vendored` is `yes` or `no: <why>`"
            );
            assert!(!dir.join(file).exists(), "{file} is marked not vendored");
        }
    }
    let present: BTreeSet<String> = std::fs::read_dir(&dir)
        .expect("tests/corpus")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| {
            [".json", ".yaml", ".yml"]
                .iter()
                .any(|ext| name.ends_with(ext))
        })
        .collect();
    assert_eq!(
        present, vendored,
        "every corpus document has a row in SOURCES.tsv"
    );
}

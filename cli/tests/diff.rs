//! `apigen diff` end to end: two specs in, the report of what changed in the Rust API out.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const BEFORE: &str = "\
openapi: 3.0.3
info: {title: Pet Store, version: 1.0.0}
paths:
  /pets/{pet_id}:
    get:
      operationId: getPet
      parameters:
        - {name: pet_id, in: path, required: true, schema: {type: string}}
      responses:
        '204': {description: The pet exists.}
";

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("apigen-diff-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn apigen_diff(old: &Path, new: &Path) -> (bool, String) {
    let run = Command::new(env!("CARGO_BIN_EXE_apigen"))
        .arg("diff")
        .args([old, new])
        .output()
        .expect("the apigen binary runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success() || !stderr.is_empty());
    (
        run.status.success(),
        format!("{}{stderr}", String::from_utf8_lossy(&run.stdout)),
    )
}

#[test]
fn a_renamed_operation_is_breaking_and_a_new_one_additive() {
    let dir = temp_dir("report");
    let (old, new) = (dir.join("old.yaml"), dir.join("new.yaml"));
    fs::write(&old, BEFORE).expect("write");
    let after = BEFORE.replace("operationId: getPet", "operationId: fetchPet")
        + "  /pets:\n    get:\n      operationId: listPets\n      responses:\n        '204': {description: ok}\n";
    fs::write(&new, after).expect("write");
    let (ok, text) = apigen_diff(&old, &new);
    assert!(ok, "{text}");
    assert!(
        text.contains("1 breaking, 1 additive, 0 other; a major change (0.1.0 → 0.2.0)"),
        "{text}"
    );
    assert!(
        text.contains("- `Client::get_pet` (`GET /pets/{pet_id}`): renamed to `Client::fetch_pet`"),
        "{text}"
    );
    assert!(
        text.contains("- `Client::list_pets` (`GET /pets`): added, with `requests::ListPets`"),
        "{text}"
    );
    let (ok, text) = apigen_diff(&old, &old);
    assert!(ok && text.ends_with(": no change\n"), "{text}");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_spec_that_does_not_load_is_an_error_naming_it() {
    let dir = temp_dir("bad");
    let (old, missing) = (dir.join("old.yaml"), dir.join("missing.yaml"));
    fs::write(&old, BEFORE).expect("write");
    let (ok, text) = apigen_diff(&old, &missing);
    assert!(!ok && text.contains("missing.yaml"), "{text}");
    let _ = fs::remove_dir_all(&dir);
}

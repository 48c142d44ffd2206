//! The code generated for every fixture builds, passes clippy with `-D warnings`, and
//! documents without rustdoc warnings: a snapshot of code that does not build proves nothing.

use std::path::Path;
use std::process::Command;

use apigen::ManifestMode;
use apigen_tests::fixtures;

#[test]
fn generated_fixture_crates_build_warning_free() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixture-crates");
    let _ = std::fs::remove_dir_all(root.join("crates"));
    let mut members = Vec::new();
    for spec in fixtures::valid() {
        let generated = fixtures::generate(&spec, ManifestMode::WorkspaceMember)
            .unwrap_or_else(|err| panic!("{}: {err}", spec.display()));
        let stem = spec
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let dir = root.join("crates").join(&stem);
        for file in &generated.files {
            let path = dir.join(&file.path);
            std::fs::create_dir_all(path.parent().expect("files are under the crate dir"))
                .expect("create dir");
            std::fs::write(&path, &file.contents).expect("write file");
        }
        members.push(format!("\"crates/{stem}\""));
    }
    let manifest = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
        members.join(", ")
    );
    std::fs::write(root.join("Cargo.toml"), manifest).expect("write workspace manifest");
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    std::fs::copy(lock, root.join("Cargo.lock")).expect("copy the workspace lockfile");

    cargo(
        &root,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    );
    cargo(&root, &["doc", "--workspace", "--no-deps"]);
}

fn cargo(root: &Path, args: &[&str]) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(args)
        .current_dir(root)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .env("RUSTDOCFLAGS", "-D warnings")
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo {} failed in {}:\n{}",
        args.join(" "),
        root.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

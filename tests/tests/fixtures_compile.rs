//! The code generated for every fixture builds, passes clippy with `-D warnings`, and
//! documents without rustdoc warnings, and the examples in its docs compile: a snapshot of
//! code that does not build proves nothing.
//! A fixture with a behaviour test (`fixtures/behaviour/NAME.rs`) gets it as an integration
//! test of its crate, and those tests run.

use std::path::Path;
use std::process::Command;

use apigen::ManifestMode;
use apigen_tests::fixtures;

#[test]
fn generated_fixture_crates_build_warning_free() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixture-crates");
    let _ = std::fs::remove_dir_all(root.join("crates"));
    let mut members = Vec::new();
    let mut behaviour = Vec::new();
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
        if add_behaviour_test(&dir, &stem) {
            behaviour.push(generated.crate_name.clone());
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
    // The crate docs' examples compile (they are `no_run`).
    cargo(&root, &["test", "--workspace", "--doc"]);
    for package in &behaviour {
        cargo(&root, &["test", "-p", package, "--test", "behaviour"]);
    }
}

/// Copies `fixtures/behaviour/STEM.rs`, when there is one, into the crate's `tests/`, with
/// the scripted server (`src/mock_server.rs`, as `mod mock_server`) and the dev-dependency
/// they run on. Says whether there was one.
fn add_behaviour_test(dir: &Path, stem: &str) -> bool {
    let source = fixtures::dir().join("behaviour").join(format!("{stem}.rs"));
    let Ok(test) = std::fs::read_to_string(&source) else {
        return false;
    };
    std::fs::create_dir_all(dir.join("tests/mock_server")).expect("create tests dir");
    std::fs::write(dir.join("tests/behaviour.rs"), test).expect("write behaviour test");
    let server = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/mock_server.rs");
    std::fs::copy(server, dir.join("tests/mock_server/mod.rs")).expect("copy the scripted server");
    let manifest_path = dir.join("Cargo.toml");
    let mut manifest = std::fs::read_to_string(&manifest_path).expect("read manifest");
    assert!(
        !manifest.contains("[dev-dependencies]"),
        "{stem}: fixtures have no examples, so no dev-dependencies"
    );
    manifest.push_str(
        "\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\", \"net\", \"io-util\"] }\n",
    );
    std::fs::write(manifest_path, manifest).expect("write manifest");
    true
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

//! Fixture specs (`tests/fixtures/`): generating them the same way in every test.

use std::path::{Path, PathBuf};

use apigen::{Generated, ManifestMode, Options, Settings, SpecFiles};

/// The folder of fixture specs.
pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Valid fixtures (`*.yaml` and `*.json` directly in `fixtures/`), sorted.
pub fn valid() -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir())
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    found.retain(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"));
    found.sort();
    found
}

/// The settings beside a fixture (`NAME.codegen.toml`), or the defaults.
pub fn settings_for(spec: &Path) -> Settings {
    let settings = spec.with_extension("codegen.toml");
    match std::fs::read_to_string(&settings) {
        Ok(text) => {
            Settings::from_toml(&text).unwrap_or_else(|err| panic!("{}: {err}", settings.display()))
        }
        Err(_) => Settings::default(),
    }
}

/// Generates a fixture as a workspace member, labelled by its file name; a `$ref` to another
/// file is read relative to the fixture's directory (side files live in a subdirectory, such
/// as `fixtures/multi-file/`, so that they are not fixtures themselves).
pub fn generate(spec: &Path, manifest: ManifestMode) -> Result<Generated, apigen::Error> {
    let bytes = std::fs::read(spec).unwrap_or_else(|err| panic!("{}: {err}", spec.display()));
    let label = spec
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let options = Options {
        settings: settings_for(spec),
        spec_label: format!("tests/fixtures/{label}"),
        command: "cargo xtask generate".to_owned(),
        manifest,
        examples: Vec::new(),
    };
    let dir = spec.parent().unwrap_or(Path::new("."));
    let read = |path: &str| read_side_file(&dir.join(path));
    let files = SpecFiles {
        root: &label,
        reader: &read,
    };
    apigen::generate_bytes(&bytes, Some(&files), &options)
}

/// A side file's text; a missing file is "no such file" on every platform.
fn read_side_file(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|err| match err.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        _ => err.to_string(),
    })
}

/// The files a snapshot shows: the generated Rust and manifest, not the copied runtime nor
/// the API summary (the diff reports' snapshots show what it holds).
pub fn snapshot_text(generated: &Generated) -> String {
    let mut text = String::new();
    for warning in &generated.warnings {
        text.push_str(&format!("// {warning}\n"));
    }
    for file in generated
        .files
        .iter()
        .filter(|f| !f.path.starts_with("src/runtime/") && f.path != apigen::summary::FILE_NAME)
    {
        text.push_str(&format!(
            "\n// ===== {} =====\n{}",
            file.path, file.contents
        ));
    }
    text
}

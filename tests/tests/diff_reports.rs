//! Snapshots of the report of what changed in the generated Rust API (`apigen::diff`): one
//! pair of specs per kind of change (`fixtures/diff/<kind>/{old,new}.yaml`, each with its
//! `codegen.toml`), and every real step of the Baseten spec's history (`spec/history/` v0 →
//! v1 → v2 → `spec/openapi.yaml`).

use std::path::{Path, PathBuf};

use apigen::{Generated, ManifestMode, Options, Settings};
use apigen_tests::fixtures;

/// Generates `spec` with `settings`, under one label for every spec so that two outputs
/// differ only where the specs make them.
fn generate(spec: &Path, settings: Settings) -> Generated {
    let text =
        std::fs::read_to_string(spec).unwrap_or_else(|err| panic!("{}: {err}", spec.display()));
    let options = Options {
        settings,
        spec_label: "the spec".to_owned(),
        command: "apigen diff".to_owned(),
        manifest: ManifestMode::Standalone,
        examples: Vec::new(),
    };
    apigen::generate(&text, &options).unwrap_or_else(|err| panic!("{}: {err}", spec.display()))
}

/// The report as the snapshots show it: its counts, the bump it needs, the Markdown.
fn report(old: &Generated, new: &Generated) -> (apigen::diff::Report, String) {
    let report = apigen::diff::diff_models(&old.api, &new.api);
    let bump = report.bump(old.files != new.files);
    let text = format!(
        "{}; bump: {bump}\n\n{}",
        report.counts(),
        report.to_markdown()
    );
    (report, text)
}

fn kinds() -> Vec<PathBuf> {
    let dir = fixtures::dir().join("diff");
    let mut kinds: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_dir())
        .collect();
    kinds.sort();
    kinds
}

#[test]
fn every_kind_of_change() {
    let kinds = kinds();
    assert!(kinds.len() >= 25, "one fixture pair per kind of change");
    for dir in kinds {
        let kind = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let side = |name: &str| {
            let spec = dir.join(format!("{name}.yaml"));
            generate(&spec, fixtures::settings_for(&spec))
        };
        let (report, text) = report(&side("old"), &side("new"));
        // Each pair changes the API, except the one that changes only its documentation.
        assert_eq!(report.is_empty(), kind == "docs-only", "{kind}:\n{text}");
        insta::assert_snapshot!(kind, text);
    }
}

#[test]
fn every_real_step_of_the_history() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let history = |name: &str| {
        let spec = root.join(format!("spec/history/{name}.yaml"));
        (spec.clone(), fixtures::settings_for(&spec))
    };
    let current = || {
        let settings = std::fs::read_to_string(root.join("spec/codegen.toml")).expect("settings");
        let settings = Settings::from_toml(&settings).expect("valid settings");
        (root.join("spec/openapi.yaml"), settings)
    };
    let versions = [
        ("v0", history("v0-100ops-apikey")),
        ("v1", history("v1-150ops-apikey")),
        ("v2", history("v2-183ops-bearer")),
        ("spec", current()),
    ];
    let generated: Vec<(&str, Generated)> = versions
        .into_iter()
        .map(|(name, (spec, settings))| (name, generate(&spec, settings)))
        .collect();
    for pair in generated.windows(2) {
        let ((old_name, old), (new_name, new)) = (&pair[0], &pair[1]);
        let (_, text) = report(old, new);
        insta::assert_snapshot!(format!("history_{old_name}_to_{new_name}"), text);
    }
}

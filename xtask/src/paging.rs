//! `cargo xtask paging [--dir DIR [--settings FILE]]`: how many operations of each spec get a
//! stream, by paging scheme, as a Markdown table (the corpus notes in `CONFORMANCE.md` hold
//! one), the time-window queries that are not followed, and the operations that take an
//! idempotency key.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use apigen::model::{Api, Paging};
use apigen::{ManifestMode, Options, Settings, SpecFiles};

const SCHEMES: [&str; 5] = ["cursor", "page-token", "offset", "page-number", "link"];

pub fn run(args: &[&str]) -> Result<(), String> {
    let (dir, settings) = match args {
        [] => (crate::codegen::workspace_root().join("tests/corpus"), None),
        ["--dir", dir] => (PathBuf::from(dir), None),
        ["--dir", dir, "--settings", file] => (PathBuf::from(dir), Some(PathBuf::from(file))),
        _ => return Err("usage: cargo xtask paging [--dir DIR [--settings FILE]]".into()),
    };
    let settings = match settings {
        Some(file) => {
            let text = fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            Settings::from_toml(&text).map_err(|e| format!("{}: {e}", file.display()))?
        }
        None => Settings::default(),
    };
    let mut specs: Vec<PathBuf> = fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("json" | "yaml" | "yml")
            )
        })
        .collect();
    specs.sort();
    let schemes = SCHEMES.join(" | ");
    println!("| spec | operations | paged | {schemes} | time windows | idempotency keys |");
    println!(
        "| --- | ---: | ---: |{} ---: | ---: |",
        " ---: |".repeat(SCHEMES.len())
    );
    for spec in specs {
        match lower(&spec, &settings) {
            Ok(api) => println!("{}", row(&spec, &api)),
            Err(_) => {
                let name = spec
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default();
                println!(
                    "| `{name}` | generation error |{}",
                    " |".repeat(SCHEMES.len() + 3)
                );
            }
        }
    }
    Ok(())
}

fn lower(spec: &Path, settings: &Settings) -> Result<Api, String> {
    let text = fs::read_to_string(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    let dir = spec.parent().unwrap_or(Path::new(".")).to_owned();
    let read = move |path: &str| fs::read_to_string(dir.join(path)).map_err(|e| e.to_string());
    let root = spec
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let files = SpecFiles {
        root,
        reader: &read,
    };
    let options = Options {
        settings: settings.clone(),
        spec_label: root.to_owned(),
        command: "cargo xtask paging".to_owned(),
        manifest: ManifestMode::Standalone,
        examples: Vec::new(),
    };
    apigen::generate_with_files(&text, &files, &options)
        .map(|generated| generated.api)
        .map_err(|err| format!("{}: {err}", spec.display()))
}

fn row(spec: &Path, api: &Api) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut windows = 0;
    for op in &api.operations {
        match &op.paging {
            Paging::Paged(p) => *counts.entry(p.scheme.name()).or_default() += 1,
            Paging::Window(_) => windows += 1,
            Paging::None => {}
        }
    }
    let keyed = api
        .operations
        .iter()
        .filter(|op| op.idempotency_header.is_some())
        .count();
    let name = spec
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let paged: usize = counts.values().sum();
    let cells: Vec<String> = SCHEMES
        .iter()
        .map(|s| counts.get(s).copied().unwrap_or(0).to_string())
        .collect();
    format!(
        "| `{name}` | {} | {paged} | {} | {windows} | {keyed} |",
        api.operations.len(),
        cells.join(" | ")
    )
}

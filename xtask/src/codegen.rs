//! `codegen` and `generate`: run the generator and write (or check) the files it makes.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use apigen::{ManifestMode, Options, Settings};

/// Whether to write the output or only compare it with what is on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write files whose contents changed; delete files the generator no longer makes.
    Write,
    /// Change nothing; fail naming every stale, missing or extra file.
    Check,
}

/// The workspace root (the parent of `xtask/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Regenerates `generated-client/` from `spec/openapi.yaml` and `spec/codegen.toml`.
pub fn codegen(mode: Mode) -> Result<(), String> {
    let root = workspace_root();
    let spec = read(&root.join("spec/openapi.yaml"))?;
    let settings = Settings::from_toml(&read(&root.join("spec/codegen.toml"))?)
        .map_err(|err| format!("spec/codegen.toml: {err}"))?;
    let options = Options {
        settings,
        spec_label: "spec/openapi.yaml".to_owned(),
        command: "cargo xtask codegen".to_owned(),
        manifest: ManifestMode::WorkspaceMember,
    };
    let generated =
        apigen::generate(&spec, &options).map_err(|err| format!("spec/openapi.yaml: {err}"))?;
    report_warnings("spec/openapi.yaml", &generated.warnings);
    sync_dir(&root.join("generated-client"), &generated.files, mode)
}

/// `generate <SPEC> <OUT_DIR> [--name CRATE] [--settings FILE]`.
pub fn generate_cmd(args: &[&str]) -> Result<(), String> {
    let (spec_path, out_dir, name, settings_path) = parse_generate_args(args)?;
    let spec = read(Path::new(spec_path))?;
    let mut settings = match settings_path {
        Some(path) => {
            Settings::from_toml(&read(Path::new(path))?).map_err(|err| format!("{path}: {err}"))?
        }
        None => Settings::default(),
    };
    if let Some(name) = name {
        settings.package.name = Some(name.to_owned());
    }
    let label = Path::new(spec_path).file_name().map_or_else(
        || spec_path.to_owned(),
        |n| n.to_string_lossy().into_owned(),
    );
    let options = Options {
        settings,
        spec_label: label,
        command: "cargo xtask generate".to_owned(),
        manifest: ManifestMode::Standalone,
    };
    let generated =
        apigen::generate(&spec, &options).map_err(|err| format!("{spec_path}: {err}"))?;
    report_warnings(spec_path, &generated.warnings);
    sync_dir(Path::new(out_dir), &generated.files, Mode::Write)?;
    eprintln!(
        "wrote crate `{}` to {out_dir}: {} operations, {} types",
        generated.crate_name,
        generated.api.operations.len(),
        generated.api.types.types.len()
    );
    Ok(())
}

type GenerateArgs<'a> = (&'a str, &'a str, Option<&'a str>, Option<&'a str>);

fn parse_generate_args<'a>(args: &[&'a str]) -> Result<GenerateArgs<'a>, String> {
    let mut positional = Vec::new();
    let (mut name, mut settings) = (None, None);
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match *arg {
            "--name" => name = Some(*rest.next().ok_or("--name needs a value")?),
            "--settings" => settings = Some(*rest.next().ok_or("--settings needs a value")?),
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            value => positional.push(value),
        }
    }
    match positional.as_slice() {
        [spec, out] => Ok((spec, out, name, settings)),
        _ => Err(
            "usage: cargo xtask generate <SPEC> <OUT_DIR> [--name CRATE] [--settings FILE]"
                .to_owned(),
        ),
    }
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|err| format!("{}: {err}", path.display()))
}

fn report_warnings(spec: &str, warnings: &[apigen::Diagnostic]) {
    for warning in warnings {
        eprintln!("{spec}: {warning}");
    }
}

/// Makes `dir` hold exactly `files`: writes only files whose contents differ and deletes
/// files the generator no longer makes (in `Check` mode, lists them instead).
pub fn sync_dir(dir: &Path, files: &[apigen::File], mode: Mode) -> Result<(), String> {
    let mut stale = Vec::new();
    for file in files {
        let path = dir.join(&file.path);
        if ensure_file_contents(&path, &file.contents, mode)? {
            stale.push(file.path.clone());
        }
    }
    let wanted: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for extra in existing_files(dir)?
        .into_iter()
        .filter(|p| !wanted.contains(p.as_str()))
    {
        if mode == Mode::Write {
            fs::remove_file(dir.join(&extra)).map_err(|err| format!("{extra}: {err}"))?;
        }
        stale.push(format!("{extra} (no longer generated)"));
    }
    match (mode, stale.is_empty()) {
        (Mode::Check, false) => Err(format!(
            "{} is stale; run `cargo xtask codegen`. Stale files:\n  {}",
            dir.display(),
            stale.join("\n  ")
        )),
        _ => Ok(()),
    }
}

/// Writes `contents` to `path` when it differs; returns whether it differed.
fn ensure_file_contents(path: &Path, contents: &str, mode: Mode) -> Result<bool, String> {
    if fs::read_to_string(path).is_ok_and(|old| old == contents) {
        return Ok(false);
    }
    if mode == Mode::Write {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|err| format!("{}: {err}", parent.display()))?;
        }
        fs::write(path, contents).map_err(|err| format!("{}: {err}", path.display()))?;
    }
    Ok(true)
}

/// Files under `dir` (relative, `/`-separated), skipping `target/`.
fn existing_files(dir: &Path) -> Result<Vec<String>, String> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let Ok(entries) = fs::read_dir(&current) else {
            continue;
        };
        for entry in entries {
            let path = entry.map_err(|err| err.to_string())?.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "target") {
                    pending.push(path);
                }
            } else if let Ok(relative) = path.strip_prefix(dir) {
                found.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cargo test` alone catches a stale `generated-client/`.
    #[test]
    fn generated_client_is_fresh() {
        if let Err(message) = codegen(Mode::Check) {
            panic!("{message}");
        }
    }

    #[test]
    fn check_mode_names_stale_and_extra_files_and_write_mode_fixes_them() {
        let dir = std::env::temp_dir().join(format!("xtask-sync-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let files = vec![apigen::File {
            path: "src/a.rs".into(),
            contents: "// a\n".into(),
        }];
        fs::create_dir_all(dir.join("src")).expect("temp dir");
        fs::write(dir.join("src/old.rs"), "old").expect("temp file");
        let err = sync_dir(&dir, &files, Mode::Check).expect_err("stale");
        assert!(
            err.contains("src/a.rs") && err.contains("src/old.rs (no longer generated)"),
            "{err}"
        );
        sync_dir(&dir, &files, Mode::Write).expect("write");
        sync_dir(&dir, &files, Mode::Check).expect("fresh after write");
        assert!(!dir.join("src/old.rs").exists());
        let _ = fs::remove_dir_all(&dir);
    }
}

#[cfg(test)]
mod tidy {
    use super::workspace_root;

    /// Every hand-written module says what it is for on its first line.
    #[test]
    fn every_module_starts_with_a_doc_line() {
        let root = workspace_root();
        let mut missing = Vec::new();
        for dir in [
            "generator/src",
            "runtime/src",
            "xtask/src",
            "tests/src",
            "tests/tests",
        ] {
            for file in rust_files(&root.join(dir)) {
                let text = std::fs::read_to_string(&file).unwrap_or_default();
                if !text.starts_with("//!") {
                    missing.push(file.display().to_string());
                }
            }
        }
        assert!(
            missing.is_empty(),
            "modules without a `//!` first line: {missing:#?}"
        );
    }

    fn rust_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut found = Vec::new();
        let Ok(entries) = std::fs::read_dir(dir) else {
            return found;
        };
        for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
            if path.is_dir() {
                found.extend(rust_files(&path));
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
        found
    }
}

//! The file-system half of the generator: reading a spec and the files it refers to, the
//! settings beside it, and writing a generated crate (only the files whose contents
//! changed), and comparing the crates of two specs ([`diff`]). The `apigen` binary and this
//! repository's `cargo xtask` both run through here.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use apigen::{ManifestMode, Options, Settings, SpecFiles};

pub mod diff;

/// Whether to write the output or only compare it with what is on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write files whose contents changed; delete files the generator no longer makes.
    Write,
    /// Change nothing; fail naming every stale, missing or extra file.
    Check,
}

/// The settings file looked for beside a spec when none is named: `<stem>.codegen.toml`
/// (`petstore.codegen.toml` beside `petstore.yaml`), then `codegen.toml`.
pub fn settings_beside(spec: &Path) -> Option<PathBuf> {
    let dir = spec.parent().unwrap_or(Path::new(""));
    let stem = spec.file_stem()?.to_string_lossy();
    [format!("{stem}.codegen.toml"), "codegen.toml".to_owned()]
        .into_iter()
        .map(|name| dir.join(name))
        .find(|path| path.is_file())
}

/// Reads the settings at `path`.
pub fn read_settings(path: &Path) -> Result<Settings, String> {
    Settings::from_toml(&read(path)?).map_err(|err| format!("{}: {err}", path.display()))
}

/// What `apigen generate` is asked to do.
#[derive(Debug, Clone)]
pub struct GenerateArgs {
    /// The spec (JSON or YAML).
    pub spec: PathBuf,
    /// The directory the crate is written to.
    pub out: PathBuf,
    /// The crate's name, over the settings' `package.name` and the spec's title.
    pub name: Option<String>,
    /// The settings file; when `None`, the one beside the spec ([`settings_beside`]), if any.
    pub settings: Option<PathBuf>,
}

impl GenerateArgs {
    /// Parses `<SPEC> <OUT_DIR> [--name CRATE] [--settings FILE]`.
    pub fn parse(args: &[&str]) -> Result<GenerateArgs, String> {
        let mut positional = Vec::new();
        let (mut name, mut settings) = (None, None);
        let mut rest = args.iter();
        while let Some(arg) = rest.next() {
            match *arg {
                "--name" => name = Some((*rest.next().ok_or("--name needs a value")?).to_owned()),
                "--settings" => {
                    settings = Some(PathBuf::from(
                        *rest.next().ok_or("--settings needs a value")?,
                    ));
                }
                flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
                value => positional.push(value),
            }
        }
        match positional.as_slice() {
            [spec, out] => Ok(GenerateArgs {
                spec: PathBuf::from(spec),
                out: PathBuf::from(out),
                name,
                settings,
            }),
            _ => Err("expected <SPEC> <OUT_DIR>".to_owned()),
        }
    }
}

/// Generates a standalone crate from `args.spec` into `args.out`, printing the warnings,
/// which settings file was used and what was written to standard error. `command` is how the user ran it, for the
/// `@generated` header (`apigen generate`).
pub fn generate(args: &GenerateArgs, command: &str) -> Result<apigen::Generated, String> {
    let spec_label = args.spec.display().to_string();
    let text = read(&args.spec)?;
    let settings_path = args
        .settings
        .clone()
        .or_else(|| settings_beside(&args.spec));
    let mut settings = match &settings_path {
        Some(path) => read_settings(path)?,
        None => Settings::default(),
    };
    if let Some(path) = settings_path.as_ref().filter(|_| args.settings.is_none()) {
        eprintln!(
            "{spec_label}: using the settings beside it, {}",
            path.display()
        );
    }
    if let Some(name) = &args.name {
        settings.package.name = Some(name.clone());
    }
    let label = args
        .spec
        .file_name()
        .map_or_else(|| spec_label.clone(), |n| n.to_string_lossy().into_owned());
    let options = Options {
        settings,
        spec_label: label,
        command: command.to_owned(),
        manifest: ManifestMode::Standalone,
        examples: Vec::new(),
    };
    let generated = generate_spec_file(&args.spec, &text, &options)
        .map_err(|err| format!("{spec_label}: {err}"))?;
    report_warnings(&spec_label, &generated.warnings);
    sync_dir(&args.out, &generated.files, Mode::Write)?;
    eprintln!(
        "wrote crate `{}` to {}: {} operations, {} types",
        generated.crate_name,
        args.out.display(),
        generated.api.operations.len(),
        generated.api.types.types.len()
    );
    Ok(generated)
}

/// Generates from the spec at `path`, whose text is `text`; a `$ref` to another file is read
/// relative to the spec's directory.
pub fn generate_spec_file(
    path: &Path,
    text: &str,
    options: &Options,
) -> Result<apigen::Generated, apigen::Error> {
    with_spec_files(path, |files| {
        apigen::generate_with_files(text, files, options)
    })
}

/// Runs `f` with a reader of the files beside the spec at `path`.
pub fn with_spec_files<T>(path: &Path, f: impl FnOnce(&SpecFiles<'_>) -> T) -> T {
    let dir = path.parent().unwrap_or(Path::new("."));
    let root = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let read = |file: &str| {
        let bytes = fs::read(dir.join(file)).map_err(|err| err.to_string())?;
        apigen::load::decode(&bytes)
            .map(str::to_owned)
            .map_err(|err| err.to_string())
    };
    f(&SpecFiles {
        root: &root,
        reader: &read,
    })
}

/// The text of the file at `path`, or an error naming it; bytes that are not UTF-8 are an
/// error at their offset.
pub fn read(path: &Path) -> Result<String, String> {
    let bytes = fs::read(path).map_err(|err| format!("{}: {err}", path.display()))?;
    apigen::load::decode(&bytes)
        .map(str::to_owned)
        .map_err(|err| format!("{}: {err}", path.display()))
}

/// Prints each warning, prefixed with the spec's name, to standard error.
pub fn report_warnings(spec: &str, warnings: &[apigen::Diagnostic]) {
    for warning in warnings {
        eprintln!("{spec}: {warning}");
    }
}

/// The changelog of a generated crate: not generated, so [`sync_dir`] keeps it.
pub const CHANGELOG: &str = "CHANGELOG.md";

/// Makes `dir` hold exactly `files` (and its [`CHANGELOG`], if any): writes only files whose
/// contents differ and deletes files the generator no longer makes (in `Check` mode, lists
/// them instead). Returns the paths that were (or, in `Check` mode, would be) changed.
pub fn sync_dir(dir: &Path, files: &[apigen::File], mode: Mode) -> Result<Vec<String>, String> {
    let mut stale = Vec::new();
    for file in files {
        let path = dir.join(&file.path);
        if ensure_file_contents(&path, &file.contents, mode)? {
            stale.push(file.path.clone());
        }
    }
    let mut wanted: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    wanted.insert(CHANGELOG);
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
        _ => Ok(stale),
    }
}

/// Writes `contents` to `path` when it differs; returns whether it differed.
pub fn ensure_file_contents(path: &Path, contents: &str, mode: Mode) -> Result<bool, String> {
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

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("apigen-cli-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("temp dir");
        dir
    }

    #[test]
    fn check_mode_names_stale_and_extra_files_and_write_mode_fixes_them() {
        let dir = temp_dir("sync");
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
        assert!(
            sync_dir(&dir, &files, Mode::Check)
                .expect("fresh")
                .is_empty()
        );
        assert!(!dir.join("src/old.rs").exists());
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn settings_beside_the_spec_prefer_the_spec_s_own_name() {
        let dir = temp_dir("beside");
        let spec = dir.join("petstore.yaml");
        assert_eq!(settings_beside(&spec), None);
        fs::write(dir.join("codegen.toml"), "").expect("write");
        assert_eq!(settings_beside(&spec), Some(dir.join("codegen.toml")));
        fs::write(dir.join("petstore.codegen.toml"), "").expect("write");
        assert_eq!(
            settings_beside(&spec),
            Some(dir.join("petstore.codegen.toml"))
        );
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn arguments_parse_in_any_order() {
        let args =
            GenerateArgs::parse(&["--name", "pets", "a.yaml", "out", "--settings", "s.toml"])
                .expect("parses");
        assert_eq!(args.spec, PathBuf::from("a.yaml"));
        assert_eq!(args.out, PathBuf::from("out"));
        assert_eq!(args.name.as_deref(), Some("pets"));
        assert_eq!(args.settings, Some(PathBuf::from("s.toml")));
        assert!(GenerateArgs::parse(&["a.yaml"]).is_err());
        assert!(GenerateArgs::parse(&["a.yaml", "out", "--bogus"]).is_err());
        assert!(GenerateArgs::parse(&["a.yaml", "out", "--name"]).is_err());
    }
}

//! `diff <OLD_SPEC> <NEW_SPEC>`: what changed in the generated Rust API between two specs,
//! from the two models ([`apigen::diff`]), as the Markdown a maintainer pastes into release
//! notes.
//!
//! Each spec is read with its settings: `--old-settings` / `--new-settings`, else
//! `NAME.codegen.toml` beside `NAME.yaml`, else `codegen.toml` in the spec's directory, else
//! none (`spec/history/v1-150ops-apikey.yaml` reads `spec/history/v1-150ops-apikey.codegen.toml`,
//! `spec/openapi.yaml` reads `spec/codegen.toml`).

use std::path::{Path, PathBuf};

use apigen::diff::{Bump, Report};
use apigen::summary::Summary;
use apigen::{ManifestMode, Options, Settings};

use crate::codegen::generate_spec_file;

const USAGE: &str =
    "usage: cargo xtask diff <OLD_SPEC> <NEW_SPEC> [--old-settings FILE] [--new-settings FILE]";

/// One side of the comparison.
#[derive(Debug)]
pub struct Side {
    /// The spec.
    pub spec: PathBuf,
    /// Its settings file, if any.
    pub settings: Option<PathBuf>,
}

/// The comparison of two generated crates.
#[derive(Debug)]
pub struct Comparison {
    /// The API changes.
    pub report: Report,
    /// Whether any generated file differs (documentation alone is a patch).
    pub output_changed: bool,
    /// The old crate's version, which the bump applies to.
    pub old_version: String,
}

impl Comparison {
    /// The bump the changes need.
    pub fn bump(&self) -> Bump {
        self.report.bump(self.output_changed)
    }
}

/// `cargo xtask diff …`: prints the report.
pub fn run(args: &[&str]) -> Result<(), String> {
    let (old, new) = parse_args(args)?;
    let comparison = compare(&old, &new)?;
    print!(
        "{}",
        report_text(
            &format!("{} → {}", old.spec.display(), new.spec.display()),
            &comparison
        )
    );
    Ok(())
}

fn parse_args(args: &[&str]) -> Result<(Side, Side), String> {
    let mut positional = Vec::new();
    let (mut old_settings, mut new_settings) = (None, None);
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match *arg {
            "--old-settings" => old_settings = Some(PathBuf::from(*rest.next().ok_or(USAGE)?)),
            "--new-settings" => new_settings = Some(PathBuf::from(*rest.next().ok_or(USAGE)?)),
            flag if flag.starts_with("--") => {
                return Err(format!("unknown option {flag}\n{USAGE}"));
            }
            value => positional.push(PathBuf::from(value)),
        }
    }
    let [old, new] = <[PathBuf; 2]>::try_from(positional).map_err(|_| USAGE.to_owned())?;
    let side = |spec: PathBuf, settings: Option<PathBuf>| Side {
        settings: settings.or_else(|| settings_beside(&spec)),
        spec,
    };
    Ok((side(old, old_settings), side(new, new_settings)))
}

/// `NAME.codegen.toml` beside `NAME.yaml`, else `codegen.toml` in the same directory.
pub fn settings_beside(spec: &Path) -> Option<PathBuf> {
    let own = spec.with_extension("codegen.toml");
    let shared = spec.with_file_name("codegen.toml");
    [own, shared].into_iter().find(|path| path.is_file())
}

/// Generates both sides and compares them.
pub fn compare(old: &Side, new: &Side) -> Result<Comparison, String> {
    let before = generate(old)?;
    let after = generate(new)?;
    let (old_summary, new_summary) = (Summary::of(&before.api), Summary::of(&after.api));
    Ok(Comparison {
        report: apigen::diff::diff(&old_summary, &new_summary),
        output_changed: before.files != after.files,
        old_version: old_summary.package.version,
    })
}

/// Generates a side as a standalone crate; both sides get the same label, so that their
/// files differ only where the specs make them.
pub fn generate(side: &Side) -> Result<apigen::Generated, String> {
    let read = |path: &Path| {
        std::fs::read_to_string(path).map_err(|err| format!("{}: {err}", path.display()))
    };
    let settings = match &side.settings {
        Some(path) => {
            Settings::from_toml(&read(path)?).map_err(|err| format!("{}: {err}", path.display()))?
        }
        None => Settings::default(),
    };
    let options = Options {
        settings,
        spec_label: "the spec".to_owned(),
        command: "cargo xtask diff".to_owned(),
        manifest: ManifestMode::Standalone,
        examples: Vec::new(),
    };
    generate_spec_file(&side.spec, &read(&side.spec)?, &options)
        .map_err(|err| format!("{}: {err}", side.spec.display()))
}

/// The report as printed: a line with the counts and the bump, then the Markdown.
pub fn report_text(title: &str, comparison: &Comparison) -> String {
    let bump = comparison.bump();
    let next = bump
        .apply(&comparison.old_version)
        .map(|next| format!("{} → {next}", comparison.old_version))
        .unwrap_or_else(|err| err);
    let mut text = match bump {
        Bump::None => format!("{title}: no change\n"),
        _ => format!(
            "{title}: {}; a {bump} change ({next})\n",
            comparison.report.counts()
        ),
    };
    if comparison.report.is_empty() && comparison.output_changed {
        text.push_str("\nOnly the documentation and the generated code's text changed.\n");
    }
    if !comparison.report.is_empty() {
        text.push('\n');
        text.push_str(&comparison.report.to_markdown());
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_found_beside_the_spec() {
        let root = crate::codegen::workspace_root();
        assert_eq!(
            settings_beside(&root.join("spec/openapi.yaml")),
            Some(root.join("spec/codegen.toml"))
        );
        assert_eq!(
            settings_beside(&root.join("spec/history/v1-150ops-apikey.yaml")),
            Some(root.join("spec/history/v1-150ops-apikey.codegen.toml"))
        );
        assert_eq!(
            settings_beside(&root.join("tests/fixtures/unions.yaml")),
            None
        );
    }

    #[test]
    fn explicit_settings_win_and_stray_arguments_are_refused() {
        let (old, new) =
            parse_args(&["a.yaml", "b.yaml", "--new-settings", "x.toml"]).expect("valid arguments");
        assert_eq!(old.spec, PathBuf::from("a.yaml"));
        assert_eq!(new.settings, Some(PathBuf::from("x.toml")));
        assert!(parse_args(&["a.yaml"]).is_err());
        assert!(parse_args(&["a.yaml", "b.yaml", "--bump"]).is_err());
    }
}

//! `apigen diff <OLD_SPEC> <NEW_SPEC>` (and `cargo xtask diff`): what changed in the
//! generated Rust API between two specs, from the two models ([`apigen::diff`]), as the
//! Markdown a maintainer pastes into release notes.
//!
//! Each spec is read with its settings: `--old-settings` / `--new-settings`, else the ones
//! beside it ([`crate::settings_beside`]: `spec/history/v1-150ops-apikey.yaml` reads
//! `spec/history/v1-150ops-apikey.codegen.toml`, `spec/openapi.yaml` reads
//! `spec/codegen.toml`).

use std::path::PathBuf;

use apigen::diff::{Bump, Report};
use apigen::summary::Summary;
use apigen::{ManifestMode, Options, Settings};

/// One side of the comparison: a spec and its settings.
#[derive(Debug, Clone)]
pub struct Side {
    /// The spec.
    pub spec: PathBuf,
    /// Its settings file, if any.
    pub settings: Option<PathBuf>,
}

impl Side {
    /// The spec with the settings named, else those beside it.
    pub fn new(spec: PathBuf, settings: Option<PathBuf>) -> Side {
        Side {
            settings: settings.or_else(|| crate::settings_beside(&spec)),
            spec,
        }
    }
}

/// What `diff` is asked to compare.
#[derive(Debug, Clone)]
pub struct DiffArgs {
    /// The spec before.
    pub old: Side,
    /// The spec after.
    pub new: Side,
}

impl DiffArgs {
    /// Parses `<OLD_SPEC> <NEW_SPEC> [--old-settings FILE] [--new-settings FILE]`.
    pub fn parse(args: &[&str]) -> Result<DiffArgs, String> {
        let mut positional = Vec::new();
        let (mut old_settings, mut new_settings) = (None, None);
        let mut rest = args.iter();
        while let Some(arg) = rest.next() {
            let mut value = |flag: &str| {
                rest.next()
                    .map(PathBuf::from)
                    .ok_or(format!("{flag} needs a value"))
            };
            match *arg {
                "--old-settings" => old_settings = Some(value("--old-settings")?),
                "--new-settings" => new_settings = Some(value("--new-settings")?),
                flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
                value => positional.push(PathBuf::from(value)),
            }
        }
        let [old, new] = <[PathBuf; 2]>::try_from(positional)
            .map_err(|_| "expected <OLD_SPEC> <NEW_SPEC>".to_owned())?;
        Ok(DiffArgs {
            old: Side::new(old, old_settings),
            new: Side::new(new, new_settings),
        })
    }
}

/// The comparison of two generated crates.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The API changes.
    pub report: Report,
    /// Whether any generated file differs (documentation alone is a patch).
    pub output_changed: bool,
    /// The old crate's version, which the bump applies to.
    pub old_version: String,
}

impl Comparison {
    /// The comparison of the crate an `old` summary describes with the one generated now.
    pub fn of(old: &Summary, new: &apigen::Generated, output_changed: bool) -> Comparison {
        Comparison {
            report: apigen::diff::diff(old, &Summary::of(&new.api)),
            output_changed,
            old_version: old.package.version.clone(),
        }
    }

    /// The bump the changes need.
    pub fn bump(&self) -> Bump {
        self.report.bump(self.output_changed)
    }
}

/// The report of `diff`, as printed: a line with the counts and the bump, then the Markdown.
pub fn diff(args: &DiffArgs) -> Result<String, String> {
    let comparison = compare(&args.old, &args.new)?;
    let title = format!("{} → {}", args.old.spec.display(), args.new.spec.display());
    Ok(report_text(&title, &comparison))
}

/// Generates both sides and compares them.
pub fn compare(old: &Side, new: &Side) -> Result<Comparison, String> {
    let before = generate(old)?;
    let after = generate(new)?;
    let summary = Summary::of(&before.api);
    Ok(Comparison::of(
        &summary,
        &after,
        before.files != after.files,
    ))
}

/// Generates a side as a standalone crate, in memory. Both sides get the same label, so that
/// their files differ only where the specs and settings make them.
pub fn generate(side: &Side) -> Result<apigen::Generated, String> {
    let settings = match &side.settings {
        Some(path) => crate::read_settings(path)?,
        None => Settings::default(),
    };
    let options = Options {
        settings,
        spec_label: "the spec".to_owned(),
        command: "apigen diff".to_owned(),
        manifest: ManifestMode::Standalone,
        examples: Vec::new(),
    };
    let text = crate::read(&side.spec)?;
    crate::generate_spec_file(&side.spec, &text, &options)
        .map_err(|err| format!("{}: {err}", side.spec.display()))
}

/// A report as printed: `TITLE: 1 breaking, 2 additive, 0 other; a major change (0.1.0 →
/// 0.2.0)`, then the Markdown sections.
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
    fn explicit_settings_win_and_stray_arguments_are_refused() {
        let args = DiffArgs::parse(&["a.yaml", "b.yaml", "--new-settings", "x.toml"])
            .expect("valid arguments");
        assert_eq!(args.old.spec, PathBuf::from("a.yaml"));
        assert_eq!(args.new.settings, Some(PathBuf::from("x.toml")));
        assert!(DiffArgs::parse(&["a.yaml"]).is_err());
        assert!(DiffArgs::parse(&["a.yaml", "b.yaml", "--bump"]).is_err());
        assert!(DiffArgs::parse(&["a.yaml", "b.yaml", "--old-settings"]).is_err());
    }

    #[test]
    fn a_report_leads_with_its_counts_and_bump() {
        let comparison = Comparison {
            report: Report::default(),
            output_changed: true,
            old_version: "0.3.1".to_owned(),
        };
        assert_eq!(
            report_text("a → b", &comparison),
            "a → b: 0 breaking, 0 additive, 0 other; a patch change (0.3.1 → 0.3.2)\n\n\
             Only the documentation and the generated code's text changed.\n"
        );
    }
}

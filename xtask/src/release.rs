//! What `codegen` reports and records when the spec changed: the report between the committed
//! crate (its `api.json`) and the new one, the version bump it needs (`--bump`, written to the
//! settings' `[package] version`), and a CHANGELOG section (`--changelog`).

use std::fs;
use std::path::Path;

use apigen::diff::Bump;
use apigen::summary::{self, Summary};

use apigen_cli::diff::Comparison;

pub use apigen_cli::CHANGELOG;

const CHANGELOG_TITLE: &str = "# Changelog\n\n\
    What changed in each version of this crate's API, as `cargo xtask codegen --changelog` \
    reports it between the crate it regenerates and the one it replaces.\n";

/// The summary committed in `dir`, if there is one.
pub fn previous_summary(dir: &Path) -> Result<Option<Summary>, String> {
    let path = dir.join(summary::FILE_NAME);
    match fs::read_to_string(&path) {
        Ok(text) => Summary::from_json(&text)
            .map(Some)
            .map_err(|err| format!("{}: {err}", path.display())),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(format!("{}: {err}", path.display())),
    }
}

/// The version the bump gives the committed crate, when it is not the settings' already.
pub fn next_version(comparison: &Comparison, current: &str) -> Result<Option<String>, String> {
    let next = comparison.bump().apply(&comparison.old_version)?;
    Ok((next != current).then_some(next))
}

/// `settings` with `[package] version` set to `version`, everything else as it was; the result
/// is read back to make sure it says so.
pub fn set_package_version(settings: &str, version: &str) -> Result<String, String> {
    let line = format!("version = \"{version}\"");
    let mut lines: Vec<String> = settings.lines().map(str::to_owned).collect();
    let package = lines
        .iter()
        .position(|l| l.trim() == "[package]")
        .ok_or("the settings have no [package] table")?;
    let end = lines[package + 1..]
        .iter()
        .position(|l| l.trim_start().starts_with('['))
        .map_or(lines.len(), |i| package + 1 + i);
    let existing = (package + 1..end).find(|&i| {
        let trimmed = lines[i].trim_start();
        trimmed.starts_with("version") && trimmed["version".len()..].trim_start().starts_with('=')
    });
    match existing {
        Some(i) => lines[i] = line,
        None => lines.insert(package + 1, line),
    }
    let mut text = lines.join("\n");
    if settings.ends_with('\n') {
        text.push('\n');
    }
    let read = apigen::Settings::from_toml(&text)?;
    match read.package.version.as_deref() {
        Some(v) if v == version => Ok(text),
        _ => Err("could not set [package] version in the settings".to_owned()),
    }
}

/// Writes the section for `version` at the top of `dir/CHANGELOG.md` (a section of the same
/// heading already there is replaced, so running it twice changes nothing). Returns whether
/// there was anything to write.
pub fn write_changelog(dir: &Path, version: &str, comparison: &Comparison) -> Result<bool, String> {
    if comparison.bump() == Bump::None {
        return Ok(false);
    }
    let path = dir.join(CHANGELOG);
    let old = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(err) => return Err(format!("{}: {err}", path.display())),
    };
    let text = with_section(&old, &section(version, comparison));
    fs::write(&path, text).map_err(|err| format!("{}: {err}", path.display()))?;
    Ok(true)
}

/// `## VERSION` and the report's sections, one level down.
fn section(version: &str, comparison: &Comparison) -> String {
    let mut text = format!("## {version}\n\n");
    if comparison.report.is_empty() {
        text.push_str("### Other changes\n\n- Documentation only: the API did not change.\n");
    } else {
        text.push_str(&comparison.report.to_markdown());
    }
    text
}

/// `changelog` with `section` first under its title, replacing a first section of the same
/// heading.
fn with_section(changelog: &str, section: &str) -> String {
    let body = changelog.split_once("\n## ").map_or("", |(_, rest)| rest);
    let heading = section.lines().next().unwrap_or_default();
    let rest = match body.lines().next() {
        Some(first) if format!("## {first}") == heading => body
            .split_once("\n## ")
            .map_or(String::new(), |(_, after)| format!("## {after}")),
        Some(_) => format!("## {body}"),
        None => String::new(),
    };
    let mut text = format!("{CHANGELOG_TITLE}\n{section}");
    if !rest.is_empty() {
        text.push('\n');
        text.push_str(&rest);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use apigen::diff::{Change, Level, Report};

    const SETTINGS: &str = "# comment\n[package]\nname = \"x\"\nversion = \"0.1.0\" # kept? no\n\n[auth]\nenv_var = \"X\"\n";

    #[test]
    fn the_version_is_set_in_the_package_table_only() {
        let text = set_package_version(SETTINGS, "0.2.0").expect("set");
        assert_eq!(
            text,
            "# comment\n[package]\nname = \"x\"\nversion = \"0.2.0\"\n\n[auth]\nenv_var = \"X\"\n"
        );
        let without = "[package]\nname = \"x\"\n[auth]\n";
        let text = set_package_version(without, "1.0.0").expect("inserted");
        assert_eq!(
            text,
            "[package]\nversion = \"1.0.0\"\nname = \"x\"\n[auth]\n"
        );
        assert!(set_package_version("[auth]\n", "1.0.0").is_err());
    }

    fn comparison(levels: &[Level]) -> Comparison {
        let changes = levels
            .iter()
            .map(|level| Change {
                level: *level,
                item: "`types::A`".to_owned(),
                wire: "schema `A`".to_owned(),
                what: "struct added".to_owned(),
            })
            .collect();
        Comparison {
            report: Report { changes },
            output_changed: true,
            old_version: "0.1.0".to_owned(),
        }
    }

    #[test]
    fn a_changelog_gets_its_newest_section_first_once() {
        let first = with_section("", &section("0.1.1", &comparison(&[Level::Additive])));
        assert!(first.starts_with(CHANGELOG_TITLE));
        assert!(
            first.ends_with(
                "## 0.1.1\n\n### Additions\n\n- `types::A` (schema `A`): struct added\n"
            )
        );
        let second = with_section(&first, &section("0.2.0", &comparison(&[Level::Breaking])));
        let again = with_section(&second, &section("0.2.0", &comparison(&[Level::Breaking])));
        assert_eq!(second, again);
        let headings: Vec<&str> = again.lines().filter(|l| l.starts_with("## ")).collect();
        assert_eq!(headings, ["## 0.2.0", "## 0.1.1"]);
        let docs = section("0.2.1", &comparison(&[]));
        assert!(docs.contains("Documentation only"));
    }
}

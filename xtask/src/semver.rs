//! `semver-check`: our report against `cargo-semver-checks`, on every real step of the
//! Baseten spec's history (`spec/history/` v0 → v1 → v2 → `spec/openapi.yaml`).
//!
//! Each step's two crates are generated into `target/semver-check/<step>/{old,new}`, compared
//! by `cargo xtask diff`'s code path, and checked by `cargo semver-checks check-release
//! --baseline-root old --release-type patch`, which fails on every minor or major finding. The
//! verdicts must agree, and every item `cargo-semver-checks` names must appear in our report:
//! where it finds something we miss, our report is wrong. With `--fixtures`, every pair of
//! `tests/fixtures/diff/` too, where ours may be stricter (it sees types and behaviour the
//! other cannot) but never laxer. The tables of both verdicts are written to
//! `docs/semver-cross-check.md`.
//!
//! `cargo-semver-checks` is not a dependency: it is installed by hand
//! (`cargo install --locked cargo-semver-checks`), and only this command runs it.

use std::path::{Path, PathBuf};
use std::process::Command;

use apigen::diff::Bump;

use apigen_cli::diff::{Comparison, Side, compare, generate};

use crate::codegen::{Mode, sync_dir, workspace_root};

/// The real steps: (name, old spec, new spec), relative to the workspace root.
const STEPS: &[(&str, &str, &str)] = &[
    (
        "v0 → v1",
        "spec/history/v0-100ops-apikey.yaml",
        "spec/history/v1-150ops-apikey.yaml",
    ),
    (
        "v1 → v2",
        "spec/history/v1-150ops-apikey.yaml",
        "spec/history/v2-183ops-bearer.yaml",
    ),
    (
        "v2 → spec",
        "spec/history/v2-183ops-bearer.yaml",
        "spec/openapi.yaml",
    ),
];

/// Where the crates and their shared target directory go, relative to the root.
const OUT: &str = "target/semver-check";

/// The table, relative to the root.
const TABLE: &str = "docs/semver-cross-check.md";

/// `cargo-semver-checks`' verdict on one step.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Theirs {
    /// `major`, `minor`, or `none` ("no semver update required").
    bump: Bump,
    /// The lints that failed, with the items each names.
    findings: Vec<Finding>,
    /// The lints that only warned.
    warnings: Vec<Finding>,
}

/// One lint's failure or warning and the items it names.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Finding {
    lint: String,
    items: Vec<String>,
}

/// One row of a table.
struct Row {
    step: String,
    ours: Comparison,
    /// Its verdict, or why it could not give one.
    theirs: Result<Theirs, String>,
    /// Items `cargo-semver-checks` names that our report does not.
    missed: Vec<String>,
}

impl Row {
    /// The verdicts are the same, and it found nothing our report misses.
    fn agrees(&self) -> bool {
        match &self.theirs {
            Ok(theirs) => same_verdict(self.ours.bump(), theirs.bump) && self.missed.is_empty(),
            Err(_) => false,
        }
    }

    /// Ours is the stricter verdict, and it found nothing ours misses: a change it cannot see
    /// (a type, a behaviour).
    fn ours_stricter(&self) -> bool {
        match &self.theirs {
            Ok(theirs) => {
                self.missed.is_empty()
                    && !same_verdict(self.ours.bump(), theirs.bump)
                    && self.ours.bump() > theirs.bump
            }
            Err(_) => false,
        }
    }
}

impl Row {
    /// It compares a crate with an earlier version of itself; a renamed crate is another one,
    /// which our report calls breaking.
    fn crate_renamed(&self) -> bool {
        let renamed = self
            .ours
            .report
            .changes
            .iter()
            .any(|c| c.wire == "`[package] name`" && c.level == apigen::diff::Level::Breaking);
        renamed && matches!(&self.theirs, Err(err) if err.contains("not found in"))
    }
}

/// `cargo-semver-checks` cannot tell a patch from no change: it only says no update is needed.
fn same_verdict(ours: Bump, theirs: Bump) -> bool {
    match ours {
        Bump::Patch | Bump::None => theirs == Bump::None,
        _ => ours == theirs,
    }
}

/// `cargo xtask semver-check [--fixtures]`.
pub fn run(args: &[&str]) -> Result<(), String> {
    let fixtures = match args {
        [] => false,
        ["--fixtures"] => true,
        _ => return Err("usage: cargo xtask semver-check [--fixtures]".to_owned()),
    };
    let root = workspace_root();
    let history: Vec<(String, PathBuf, PathBuf)> = STEPS
        .iter()
        .map(|(step, old, new)| ((*step).to_owned(), root.join(old), root.join(new)))
        .collect();
    let rows = check(&root, "history", history)?;
    let mut text = intro();
    text.push_str(&history_table(&rows));
    let mut agree = rows.iter().all(Row::agrees);
    if fixtures {
        let rows = check(&root, "fixtures", fixture_pairs(&root)?)?;
        text.push_str(&fixtures_table(&rows));
        agree &= rows
            .iter()
            .all(|r| r.agrees() || r.ours_stricter() || r.crate_renamed());
    }
    std::fs::write(root.join(TABLE), &text).map_err(|err| format!("{TABLE}: {err}"))?;
    println!("{text}");
    if agree {
        Ok(())
    } else {
        Err(format!(
            "our report and cargo-semver-checks disagree; see {TABLE}"
        ))
    }
}

/// Every `tests/fixtures/diff/<kind>` pair, by kind.
fn fixture_pairs(root: &Path) -> Result<Vec<(String, PathBuf, PathBuf)>, String> {
    let dir = root.join("tests/fixtures/diff");
    let mut kinds: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|err| format!("{}: {err}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_dir())
        .collect();
    kinds.sort();
    Ok(kinds
        .into_iter()
        .map(|kind| {
            let name = kind
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (name, kind.join("old.yaml"), kind.join("new.yaml"))
        })
        .collect())
}

/// Generates, compares and checks each step, its crates under `target/semver-check/<group>/`.
fn check(
    root: &Path,
    group: &str,
    steps: Vec<(String, PathBuf, PathBuf)>,
) -> Result<Vec<Row>, String> {
    let target = root.join(OUT).join("target");
    let mut rows = Vec::new();
    for (i, (step, old, new)) in steps.into_iter().enumerate() {
        eprintln!("==> {step}: {} → {}", old.display(), new.display());
        let dir = root.join(OUT).join(group).join(format!("{i:02}"));
        let (old, new) = (Side::new(old, None), Side::new(new, None));
        write_crate(&old, &dir.join("old"))?;
        write_crate(&new, &dir.join("new"))?;
        let ours = compare(&old, &new)?;
        // Paths in its messages are written relative to the workspace.
        let prefix = format!("{}/", root.display());
        let theirs = semver_checks(&dir, &target).map_err(|err| err.replace(&prefix, ""));
        let report = ours.report.to_markdown();
        let missed: Vec<String> = theirs
            .as_ref()
            .map(|t| missed(t, &report))
            .unwrap_or_default()
            .into_iter()
            .map(|line| line.replace(&prefix, ""))
            .collect();
        rows.push(Row {
            step,
            ours,
            theirs,
            missed,
        });
    }
    Ok(rows)
}

fn write_crate(side: &Side, dir: &Path) -> Result<(), String> {
    let generated = generate(side)?;
    sync_dir(dir, &generated.files, Mode::Write).map(|_| ())
}

/// Runs `cargo semver-checks` on a step's crates and reads its verdict.
fn semver_checks(dir: &Path, target: &Path) -> Result<Theirs, String> {
    let output = Command::new("cargo")
        .args(["semver-checks", "check-release", "--manifest-path"])
        .arg(dir.join("new/Cargo.toml"))
        .arg("--baseline-root")
        .arg(dir.join("old"))
        .args(["--release-type", "patch", "--color", "never"])
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .map_err(|err| format!("cannot run cargo semver-checks: {err}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if stderr.contains("no such command") {
        return Err(
            "cargo-semver-checks is not installed: cargo install --locked cargo-semver-checks"
                .to_owned(),
        );
    }
    parse(&stdout, &stderr).ok_or_else(|| {
        // Its error and cause come first, before a backtrace.
        let reason: Vec<&str> = stderr
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .take_while(|l| !l.starts_with("Stack backtrace"))
            .filter(|l| *l != "Caused by:")
            .collect();
        reason.join(": ")
    })
}

/// The verdict from the `Summary` line of stderr, the findings from stdout's
/// `--- failure LINT: …` / `--- warning LINT: …` sections and their `Failed in:` lists.
fn parse(stdout: &str, stderr: &str) -> Option<Theirs> {
    let summary = stderr
        .lines()
        .find(|l| l.trim_start().starts_with("Summary"))?;
    let bump = if summary.contains("new major version") {
        Bump::Major
    } else if summary.contains("new minor version") {
        Bump::Minor
    } else if summary.contains("no semver update required") {
        Bump::None
    } else {
        return None;
    };
    let (mut findings, mut warnings) = (Vec::new(), Vec::new());
    let mut current: Option<(bool, Finding)> = None;
    let mut listing = false;
    for line in stdout.lines() {
        if let Some(rest) = line.strip_prefix("--- ") {
            finish(current.take(), &mut findings, &mut warnings);
            let (kind, rest) = rest.split_once(' ')?;
            let lint = rest.split(':').next().unwrap_or_default().to_owned();
            let finding = Finding {
                lint,
                items: Vec::new(),
            };
            current = Some((kind == "failure", finding));
            listing = false;
        } else if line.trim() == "Failed in:" {
            listing = true;
        } else if listing && !line.trim().is_empty() {
            if let Some((_, finding)) = &mut current {
                finding.items.push(line.trim().to_owned());
            }
        } else if line.trim().is_empty() {
            listing = false;
        }
    }
    finish(current, &mut findings, &mut warnings);
    Some(Theirs {
        bump,
        findings,
        warnings,
    })
}

fn finish(
    current: Option<(bool, Finding)>,
    findings: &mut Vec<Finding>,
    warnings: &mut Vec<Finding>,
) {
    match current {
        Some((true, finding)) => findings.push(finding),
        Some((false, finding)) => warnings.push(finding),
        None => {}
    }
}

/// The Rust path a `Failed in:` line names, as our report writes it:
/// `field CreateLlmModelRequestV1.weights in …` → `CreateLlmModelRequestV1::weights`,
/// `struct baseten::types::LlmModelV1, previously in …` → `types::LlmModelV1`,
/// `variant V1InteractiveSessionProvider:Ssh in …` → `V1InteractiveSessionProvider::Ssh`,
/// `baseten::Client::get_usage_summary takes 0 parameters …` → `Client::get_usage_summary`.
fn item_path(line: &str) -> String {
    const KINDS: &[&str] = &[
        "field ",
        "variant ",
        "struct ",
        "enum ",
        "method ",
        "function ",
        "trait ",
        "type ",
    ];
    let mut rest = line;
    for kind in KINDS {
        let starts = rest
            .get(..kind.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(kind));
        if starts {
            rest = &rest[kind.len()..];
            break;
        }
    }
    let token = rest.split([' ', ',']).next().unwrap_or_default();
    // The crate's own name (`baseten::types::X`) is not in our report's paths.
    let token = ["Client::", "types::", "requests::"]
        .iter()
        .filter_map(|module| token.find(module))
        .min()
        .map_or(token, |start| &token[start..]);
    // `Enum:Variant` and `Struct.field` are `::` paths in our report.
    let mut path = String::new();
    let mut chars = token.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '.' => path.push_str("::"),
            ':' if chars.peek() == Some(&':') => {
                chars.next();
                path.push_str("::");
            }
            ':' => path.push_str("::"),
            other => path.push(other),
        }
    }
    path
}

/// Items named by a failed lint that our report does not name. A warning's item counts as
/// named when its parent is (`Enum::Unknown moved` is reported as a value added to `Enum`).
fn missed(theirs: &Theirs, report: &str) -> Vec<String> {
    let named =
        |path: &str| report.contains(&format!("{path}`")) || report.contains(&format!("{path}::"));
    let mut missed = Vec::new();
    for finding in &theirs.findings {
        for item in &finding.items {
            let path = item_path(item);
            if !named(&path) {
                missed.push(format!("{}: {item}", finding.lint));
            }
        }
    }
    for finding in &theirs.warnings {
        for item in &finding.items {
            let path = item_path(item);
            let parent = path.rsplit_once("::").map_or(path.as_str(), |(p, _)| p);
            if !named(&path) && !named(parent) {
                missed.push(format!("{} (warning): {item}", finding.lint));
            }
        }
    }
    missed
}

fn intro() -> String {
    let version = Command::new("cargo")
        .args(["semver-checks", "--version"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    format!(
        "# Semver cross-check\n\n\
         `cargo xtask semver-check --fixtures` writes this file. For each pair of specs, both \
         crates are generated, compared by `cargo xtask diff` (ours), and checked by \
         `cargo semver-checks check-release --release-type patch` (theirs, which cannot tell a \
         patch from no change). Every item it names must be in our report. Run with {version}.\n"
    )
}

fn theirs_cell(theirs: &Result<Theirs, String>) -> String {
    let theirs = match theirs {
        Ok(theirs) => theirs,
        Err(err) => return format!("no verdict: {}", err.lines().next().unwrap_or_default()),
    };
    let lints: Vec<String> = theirs
        .findings
        .iter()
        .map(|f| format!("`{}` ×{}", f.lint, f.items.len()))
        .chain(
            theirs
                .warnings
                .iter()
                .map(|f| format!("`{}` ×{} (warning)", f.lint, f.items.len())),
        )
        .collect();
    if lints.is_empty() {
        theirs.bump.to_string()
    } else {
        format!("{}: {}", theirs.bump, lints.join(", "))
    }
}

fn ours_cell(row: &Row) -> String {
    format!("{} ({})", row.ours.bump(), row.ours.report.counts())
}

fn missed_lines(rows: &[Row]) -> String {
    let mut text = String::new();
    for row in rows.iter().filter(|r| !r.missed.is_empty()) {
        text.push_str(&format!("\nMissed by our report in {}:\n", row.step));
        for item in &row.missed {
            text.push_str(&format!("- {item}\n"));
        }
    }
    text
}

/// The real steps: the verdicts must be the same.
fn history_table(rows: &[Row]) -> String {
    let mut text = String::from(
        "\n## The real history\n\n| step | ours | cargo-semver-checks | agree |\n| --- | --- | --- | --- |\n",
    );
    for row in rows {
        let agree = if row.agrees() { "yes" } else { "**no**" };
        text.push_str(&format!(
            "| {} | {} | {} | {agree} |\n",
            row.step,
            ours_cell(row),
            theirs_cell(&row.theirs)
        ));
    }
    text.push_str(&missed_lines(rows));
    text
}

/// One pair per kind of change: ours may be stricter where it sees what the other cannot
/// (types, behaviour), naming the first such change; it must never be laxer.
fn fixtures_table(rows: &[Row]) -> String {
    let mut text = String::from(
        "\n## One pair per kind of change (`tests/fixtures/diff/`)\n\n\
         `cargo-semver-checks` asks for no new version when something is only added, and does \
         not compare types or what the client is built with; where ours is stricter, the first \
         change of ours at that level is one of those.\n\n\
         | kind | ours | cargo-semver-checks | agree |\n| --- | --- | --- | --- |\n",
    );
    for row in rows {
        let agree = if row.agrees() {
            "yes".to_owned()
        } else if row.crate_renamed() {
            "ours stricter: the crate is renamed, so there is no earlier version of it".to_owned()
        } else if row.ours_stricter() {
            let level = match row.ours.bump() {
                Bump::Major => apigen::diff::Level::Breaking,
                Bump::Minor => apigen::diff::Level::Additive,
                _ => apigen::diff::Level::Patch,
            };
            let first = row.ours.report.changes.iter().find(|c| c.level == level);
            let first = first.map(|c| c.to_string()).unwrap_or_default();
            format!("ours stricter: {}", first.replace('|', "\\|"))
        } else {
            "**no**".to_owned()
        };
        text.push_str(&format!(
            "| {} | {} | {} | {agree} |\n",
            row.step,
            ours_cell(row),
            theirs_cell(&row.theirs)
        ));
    }
    text.push_str(&missed_lines(rows));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_in_lines_name_the_paths_of_our_report() {
        let cases = [
            (
                "field CreateLlmModelRequestV1.weights in /x/new/src/types.rs:980",
                "CreateLlmModelRequestV1::weights",
            ),
            (
                "variant V1InteractiveSessionProvider:Ssh in /x/types.rs:6593",
                "V1InteractiveSessionProvider::Ssh",
            ),
            (
                "Client::create_deployment, previously in file /x/client.rs:594",
                "Client::create_deployment",
            ),
            (
                "baseten::Client::get_usage_summary takes 0 parameters in /x, but now takes 2",
                "Client::get_usage_summary",
            ),
            (
                "struct baseten::requests::ListCheckpoints, previously in file /x",
                "requests::ListCheckpoints",
            ),
            (
                "method baseten::Client::create_job_log in /x",
                "Client::create_job_log",
            ),
            ("Enum Kind in /x/types.rs:90", "Kind"),
            ("method pets::Client::list_pets in /x", "Client::list_pets"),
            ("ListPets::limit, previously in file /x", "ListPets::limit"),
            (
                "V1InteractiveSessionProvider::Unknown moved from position 3 to 4, in /x",
                "V1InteractiveSessionProvider::Unknown",
            ),
        ];
        for (line, path) in cases {
            assert_eq!(item_path(line), path, "{line}");
        }
    }

    #[test]
    fn the_verdict_and_findings_are_read_from_both_streams() {
        let stderr = "     Checked [   0.287s] 229 checks: 222 pass, 6 fail, 1 warn, 31 skip\n\n     Summary semver requires new major version: 5 major and 1 minor checks failed\n";
        let stdout = "\n--- failure enum_variant_added: enum variant added on exhaustive enum ---\n\nDescription:\nA publicly-visible enum …\n\nFailed in:\n  variant Kind:Ssh in /x/types.rs:1\n\n--- warning partial_ord_enum_variants_reordered: reordered ---\n\nFailed in:\n  Kind::Unknown moved from position 3 to 4, in /x\n";
        let theirs = parse(stdout, stderr).expect("a verdict");
        assert_eq!(theirs.bump, Bump::Major);
        assert_eq!(theirs.findings.len(), 1);
        assert_eq!(
            theirs.findings[0].items,
            ["variant Kind:Ssh in /x/types.rs:1"]
        );
        assert_eq!(
            theirs.warnings[0].lint,
            "partial_ord_enum_variants_reordered"
        );
        let report = "- `types::Kind::Ssh` (value `\"ssh\"`): variant added\n";
        assert!(missed(&theirs, report).is_empty());
        assert_eq!(missed(&theirs, "nothing").len(), 2);
    }
}

//! `corpus`: generate a client for every spec of the public corpus, check that each one builds
//! without warnings, and write the results to `CONFORMANCE.md`.
//!
//! Every generated crate is a member of one throwaway workspace in `target/corpus/`, so the
//! dependencies build once and a single `cargo check --keep-going` covers all of them;
//! compiler errors are attributed to specs by the manifest path in cargo's JSON messages.
//! Only the library target is checked: `--all-targets` would add a `cfg(test)` build of each
//! crate, which checks nothing generated (only the copied runtime's unit tests, which the
//! workspace tests already) and takes three times as long on the GitHub spec.
//! `tests/corpus-expected.toml` says which specs must pass; `--ci` fails when one does not.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use apigen::{ManifestMode, Options, Settings, Severity};

use crate::codegen::{self, workspace_root};

/// The corpus, relative to the workspace root.
const DEFAULT_DIR: &str = "tests/corpus";
/// Expected result per spec, relative to the workspace root.
const EXPECTED: &str = "tests/corpus-expected.toml";
/// The report a full run writes, relative to the workspace root.
const REPORT: &str = "CONFORMANCE.md";
/// Where the crates, the workspace and its target directory go, relative to the root.
const OUT: &str = "target/corpus";
/// `--ci` runs every spec up to this size...
const CI_MAX_BYTES: u64 = 200 * 1024;
/// ...and these larger ones: GitHub's (120 000 generated lines, about 50 s of `cargo check` and
/// 2.2 GB on 2 cores) and Together's (24 000 lines, 15 s). OpenAI's (190 000 lines, 90 s,
/// 3.5 GB) and Stripe's (360 000 lines, 160 s, 5.7 GB) are left to the full run.
const CI_LARGE: &[&str] = &["progenitor-api.github.com.json", "together.yaml"];
/// Small specs are generated repeatedly for a stable time, within this budget per spec.
const TIMING_BUDGET: Duration = Duration::from_millis(500);
/// At most this many timed runs per spec; the median is reported.
const MAX_RUNS: usize = 5;

const NOTES_START: &str = "<!-- notes -->";
const NOTES_END: &str = "<!-- /notes -->";

const USAGE: &str = "usage: cargo xtask corpus [--dir DIR] [--only NAME,NAME] [--ci] \
                     [--no-check | --clippy] [--bless]";

/// How the generated crates are compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Compile {
    /// `cargo check` with `RUSTFLAGS=-D warnings`, as the issue asks.
    Check,
    /// `cargo clippy -- -D warnings`: stricter, and slower.
    Clippy,
    /// Generation only.
    Skip,
}

/// The command line of `cargo xtask corpus`.
#[derive(Debug, Default)]
struct Args {
    dir: Option<PathBuf>,
    only: Vec<String>,
    ci: bool,
    compile: Option<Compile>,
    bless: bool,
}

impl Args {
    fn parse(args: &[&str]) -> Result<Args, String> {
        let mut parsed = Args::default();
        let mut rest = args.iter();
        while let Some(arg) = rest.next() {
            match *arg {
                "--dir" => parsed.dir = Some(PathBuf::from(*rest.next().ok_or(USAGE)?)),
                "--only" => {
                    let names = rest.next().ok_or(USAGE)?;
                    parsed.only.extend(names.split(',').map(str::to_owned));
                }
                "--ci" => parsed.ci = true,
                "--bless" => parsed.bless = true,
                "--no-check" => parsed.set_compile(Compile::Skip)?,
                "--clippy" => parsed.set_compile(Compile::Clippy)?,
                other => return Err(format!("unknown argument {other}\n{USAGE}")),
            }
        }
        if parsed.bless && parsed.compile() == Compile::Skip {
            return Err("--bless needs the check: it records which specs build".to_owned());
        }
        if parsed.bless && parsed.dir.is_some() {
            return Err("--bless records results of the default corpus only, not --dir".to_owned());
        }
        Ok(parsed)
    }

    fn set_compile(&mut self, compile: Compile) -> Result<(), String> {
        match self.compile.replace(compile) {
            Some(old) if old != compile => Err(format!(
                "--no-check and --clippy exclude each other\n{USAGE}"
            )),
            _ => Ok(()),
        }
    }

    /// The command as typed, for the report (without `--bless`, which changes no result).
    fn command_line(&self) -> String {
        let mut command = "cargo xtask corpus".to_owned();
        if let Some(dir) = &self.dir {
            command.push_str(&format!(" --dir {}", dir.display()));
        }
        if !self.only.is_empty() {
            command.push_str(&format!(" --only {}", self.only.join(",")));
        }
        if self.ci {
            command.push_str(" --ci");
        }
        match self.compile() {
            Compile::Check => {}
            Compile::Clippy => command.push_str(" --clippy"),
            Compile::Skip => command.push_str(" --no-check"),
        }
        command
    }

    fn compile(&self) -> Compile {
        self.compile.unwrap_or(Compile::Check)
    }

    /// A full run of the default corpus with `cargo check`: the only one that rewrites
    /// `CONFORMANCE.md`.
    fn is_full_run(&self) -> bool {
        self.dir.is_none() && self.only.is_empty() && !self.ci && self.compile() == Compile::Check
    }
}

/// `cargo xtask corpus [...]`.
pub fn run(args: &[&str]) -> Result<(), String> {
    let args = Args::parse(args)?;
    let root = workspace_root();
    let dir = args.dir.clone().unwrap_or_else(|| root.join(DEFAULT_DIR));
    let specs = select(list_specs(&dir)?, &args)?;
    let mut info = RunInfo::collect(&root, &args);
    let out = root.join(OUT);
    let mut rows = Vec::new();
    for spec in &specs {
        let row = generate_spec(spec, &out.join("crates"))?;
        eprintln!("{}", row.progress_line());
        rows.push(row);
    }
    info.peak_memory = peak_memory();
    info.check = match args.compile() {
        Compile::Skip => None,
        compile => Some(check_crates(&root, &out, &mut rows, compile)?),
    };
    write_report(&root, &args, &info, &rows)?;
    eprintln!("{} specs: {}", rows.len(), result_counts(&rows));
    compare_with_expectations(&root, &args, &rows)
}

/// One spec file of the corpus.
#[derive(Debug, Clone)]
struct Spec {
    path: PathBuf,
    /// The file name, which names the spec everywhere (two specs may share a stem).
    name: String,
    bytes: u64,
}

impl Spec {
    /// The file name without its extension, which `--only` also accepts.
    fn stem(&self) -> &str {
        self.name
            .rsplit_once('.')
            .map_or(&self.name, |(stem, _)| stem)
    }

    /// The directory of its crate: the file name with `.` as `-`.
    fn crate_dir(&self) -> String {
        self.name.replace('.', "-")
    }

    /// A crate name no other spec of the corpus gets (titles collide across specs).
    fn package_name(&self) -> String {
        let sanitized: String = self
            .crate_dir()
            .chars()
            .map(|c| match c.to_ascii_lowercase() {
                c @ ('a'..='z' | '0'..='9' | '-' | '_') => c,
                _ => '-',
            })
            .collect();
        format!("corpus-{sanitized}")
    }
}

/// Every `.json`, `.yaml` and `.yml` file directly in `dir`, sorted by name.
fn list_specs(dir: &Path) -> Result<Vec<Spec>, String> {
    let entries = fs::read_dir(dir).map_err(|err| format!("{}: {err}", dir.display()))?;
    let mut specs = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|err| format!("{}: {err}", dir.display()))?;
        let path = entry.path();
        let is_spec = path
            .extension()
            .is_some_and(|e| e == "json" || e == "yaml" || e == "yml");
        if !is_spec || !path.is_file() {
            continue;
        }
        let bytes = entry.metadata().map_or(0, |m| m.len());
        let name = entry.file_name().to_string_lossy().into_owned();
        specs.push(Spec { path, name, bytes });
    }
    specs.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(specs)
}

/// The specs `--ci` and `--only` select; an `--only` name that matches nothing is an error.
fn select(specs: Vec<Spec>, args: &Args) -> Result<Vec<Spec>, String> {
    let mut selected: Vec<Spec> = specs
        .into_iter()
        .filter(|s| !args.ci || s.bytes <= CI_MAX_BYTES || CI_LARGE.contains(&s.name.as_str()))
        .collect();
    if !args.only.is_empty() {
        let matches = |s: &Spec, name: &String| s.name == *name || s.stem() == name;
        if let Some(unknown) = args
            .only
            .iter()
            .find(|name| !selected.iter().any(|s| matches(s, name)))
        {
            return Err(format!(
                "--only {unknown}: no such spec among those selected"
            ));
        }
        selected.retain(|s| args.only.iter().any(|name| matches(s, name)));
    }
    Ok(selected)
}

/// What became of one spec.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    /// Generated, and the crate passed the check.
    Ok,
    /// Generated; not compiled (`--no-check`).
    Generated,
    /// The generator refused the spec: its first error, and how many there were.
    GenerationError(String),
    /// The crate was generated but did not pass the check: the first compiler error.
    CheckFailed(String),
}

impl Outcome {
    /// The result without its details, as `tests/corpus-expected.toml` records it.
    fn kind(&self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Generated => "generated",
            Outcome::GenerationError(_) => "generation error",
            Outcome::CheckFailed(_) => "check failed",
        }
    }

    fn describe(&self) -> String {
        match self {
            Outcome::Ok => "ok".to_owned(),
            Outcome::Generated => "generated (not checked)".to_owned(),
            Outcome::GenerationError(detail) => format!("generation error: {detail}"),
            Outcome::CheckFailed(detail) => format!("check failed: {detail}"),
        }
    }
}

/// One line of the table.
#[derive(Debug, Clone)]
struct Row {
    spec: Spec,
    operations: usize,
    types: usize,
    warnings: usize,
    generation: Duration,
    lines: usize,
    outcome: Outcome,
}

impl Row {
    /// What generation gave, printed before the check runs.
    fn progress_line(&self) -> String {
        let result = match &self.outcome {
            Outcome::Generated => "generated".to_owned(),
            other => other.describe(),
        };
        format!(
            "{}: {} operations, {} types, {} warnings, {:.1} ms, {} lines: {result}",
            self.spec.name,
            self.operations,
            self.types,
            self.warnings,
            millis(self.generation),
            self.lines,
        )
    }
}

/// Generates one spec, timed, and writes its crate under `crates_dir` (or removes a stale one).
fn generate_spec(spec: &Spec, crates_dir: &Path) -> Result<Row, String> {
    let text =
        fs::read_to_string(&spec.path).map_err(|err| format!("{}: {err}", spec.path.display()))?;
    let mut settings = Settings::default();
    settings.package.name = Some(spec.package_name());
    let options = Options {
        settings,
        spec_label: spec.name.clone(),
        command: "cargo xtask corpus".to_owned(),
        manifest: ManifestMode::WorkspaceMember,
        examples: Vec::new(),
    };
    let (result, generation) = timed_generate(&spec.path, &text, &options);
    drop(text);
    let dir = crates_dir.join(spec.crate_dir());
    let mut row = Row {
        spec: spec.clone(),
        operations: 0,
        types: 0,
        warnings: 0,
        generation,
        lines: 0,
        outcome: Outcome::Generated,
    };
    match result {
        Ok(generated) => {
            codegen::sync_dir(&dir, &generated.files, codegen::Mode::Write)?;
            row.operations = generated.api.operations.len();
            row.types = generated.api.types.types.len();
            row.warnings = generated.warnings.len();
            row.lines = generated_lines(&generated.files);
        }
        Err(err) => {
            remove_dir(&dir)?;
            row.outcome = Outcome::GenerationError(generation_error(&err));
        }
    }
    Ok(row)
}

/// Runs the generator once, or (while it is fast) up to [`MAX_RUNS`] times within
/// [`TIMING_BUDGET`]; returns the last result and the median time.
fn timed_generate(
    path: &Path,
    text: &str,
    options: &Options,
) -> (Result<apigen::Generated, apigen::Error>, Duration) {
    let mut times = Vec::new();
    loop {
        let start = Instant::now();
        let result = codegen::generate_spec_file(path, text, options);
        times.push(start.elapsed());
        let spent: Duration = times.iter().sum();
        if times.len() >= MAX_RUNS || spent >= TIMING_BUDGET {
            return (result, median(&mut times));
        }
    }
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    match times.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => times[n / 2],
        n => (times[n / 2 - 1] + times[n / 2]) / 2,
    }
}

/// Lines of generated Rust, not counting the copied runtime.
fn generated_lines(files: &[apigen::File]) -> usize {
    files
        .iter()
        .filter(|f| f.path.ends_with(".rs") && !f.path.starts_with("src/runtime/"))
        .map(|f| f.contents.lines().count())
        .sum()
}

/// The first error of a failed generation, with how many more there were.
fn generation_error(err: &apigen::Error) -> String {
    let apigen::Error::Invalid(diagnostics) = err else {
        return err.to_string();
    };
    let errors: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    match errors.as_slice() {
        [] => "no error reported".to_owned(),
        [first, rest @ ..] => format!(
            "{} (at {}{})",
            first.message,
            first.pointer,
            more_errors("; ", rest.len())
        ),
    }
}

/// `; 3 more errors`, `; 1 more error`, or nothing.
fn more_errors(separator: &str, count: usize) -> String {
    match count {
        0 => String::new(),
        1 => format!("{separator}1 more error"),
        n => format!("{separator}{n} more errors"),
    }
}

fn remove_dir(dir: &Path) -> Result<(), String> {
    match fs::remove_dir_all(dir) {
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
            Err(format!("{}: {err}", dir.display()))
        }
        _ => Ok(()),
    }
}

/// What the compile step did.
#[derive(Debug, Clone)]
struct CheckRun {
    compile: Compile,
    crates: usize,
    time: Duration,
    /// Whether the target directory was there before (dependencies already built).
    warm: bool,
}

/// Writes the workspace of generated crates, compiles it once and marks each row `Ok` or
/// `CheckFailed`.
fn check_crates(
    root: &Path,
    out: &Path,
    rows: &mut [Row],
    compile: Compile,
) -> Result<CheckRun, String> {
    let members: Vec<String> = rows
        .iter()
        .filter(|r| r.outcome == Outcome::Generated)
        .map(|r| r.spec.crate_dir())
        .collect();
    let target = out.join("target");
    let warm = target.exists();
    let start = Instant::now();
    let failures = if members.is_empty() {
        CargoFailures::default()
    } else {
        write_workspace(root, out, &members)?;
        run_cargo(out, &target, compile)?
    };
    let time = start.elapsed();
    for row in rows.iter_mut().filter(|r| r.outcome == Outcome::Generated) {
        row.outcome = failures.outcome_for(&row.spec.crate_dir());
    }
    Ok(CheckRun {
        compile,
        crates: members.len(),
        time,
        warm,
    })
}

/// `target/corpus/Cargo.toml`, listing the crates, and the repository's `Cargo.lock` beside
/// it so that the dependencies are the versions the SDK is tested with.
pub(crate) fn write_workspace(root: &Path, out: &Path, members: &[String]) -> Result<(), String> {
    let list: Vec<String> = members
        .iter()
        .map(|m| format!("    \"crates/{m}\",\n"))
        .collect();
    let manifest = format!(
        "# Written by `cargo xtask corpus`: one member per spec that generated.\n\
         [workspace]\nresolver = \"3\"\nmembers = [\n{}]\n",
        list.concat()
    );
    write_if_changed(&out.join("Cargo.toml"), &manifest)?;
    let lock =
        fs::read_to_string(root.join("Cargo.lock")).map_err(|err| format!("Cargo.lock: {err}"))?;
    write_if_changed(&out.join("Cargo.lock"), &lock)
}

fn write_if_changed(path: &Path, contents: &str) -> Result<(), String> {
    if fs::read_to_string(path).is_ok_and(|old| old == contents) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|err| format!("{}: {err}", parent.display()))?;
    }
    fs::write(path, contents).map_err(|err| format!("{}: {err}", path.display()))
}

/// Runs one `cargo check` (or clippy) over the whole workspace, keeping going past failures,
/// and collects the errors of each crate from the JSON messages on stdout.
pub(crate) fn run_cargo(
    out: &Path,
    target: &Path,
    compile: Compile,
) -> Result<CargoFailures, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    let common = ["--workspace", "--keep-going", "--message-format=json"];
    match compile {
        Compile::Clippy => command
            .arg("clippy")
            .args(common)
            .args(["--", "-D", "warnings"]),
        _ => command.arg("check").args(common),
    };
    eprintln!("==> {} in {}", check_command(compile), out.display());
    let output = command
        .current_dir(out)
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTFLAGS", "-D warnings")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env("CARGO_TERM_COLOR", "never")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|err| format!("cannot run cargo: {err}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut failures = CargoFailures::from_messages(&stdout, &out.join("crates"));
    if !output.status.success() && failures.by_crate.is_empty() && failures.other.is_empty() {
        failures.other.push(format!(
            "cargo failed ({}) before any compiler error; see its output above",
            output.status
        ));
    }
    Ok(failures)
}

/// Compiler errors, per crate directory, from cargo's JSON messages.
#[derive(Debug, Default)]
pub(crate) struct CargoFailures {
    /// Crate directory → its errors, in the order reported.
    pub(crate) by_crate: BTreeMap<String, Vec<String>>,
    /// Errors outside the generated crates (a dependency, the workspace): they fail every crate.
    pub(crate) other: Vec<String>,
}

impl CargoFailures {
    fn from_messages(stdout: &str, crates_dir: &Path) -> CargoFailures {
        let mut failures = CargoFailures::default();
        for line in stdout.lines() {
            let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            let Some(error) = compiler_error(&message) else {
                continue;
            };
            let manifest = message["manifest_path"].as_str().map(Path::new);
            match manifest.and_then(|m| crate_of(m, crates_dir)) {
                Some(dir) => failures.by_crate.entry(dir).or_default().push(error),
                None => failures.other.push(error),
            }
        }
        failures
    }

    fn outcome_for(&self, crate_dir: &str) -> Outcome {
        if let Some(errors) = self.by_crate.get(crate_dir) {
            let more = match errors.len() {
                1 => String::new(),
                n => format!(" ({})", more_errors("", n - 1)),
            };
            return Outcome::CheckFailed(format!("{}{more}", errors[0]));
        }
        match self.other.first() {
            Some(first) => Outcome::CheckFailed(first.clone()),
            None => Outcome::Ok,
        }
    }
}

/// `message at file:line:column` for an error-level compiler message (warnings are errors under
/// `-D warnings`), skipping rustc's closing "aborting due to …" summary.
fn compiler_error(message: &serde_json::Value) -> Option<String> {
    if message["reason"] != "compiler-message" {
        return None;
    }
    let diagnostic = &message["message"];
    let text = diagnostic["message"].as_str()?;
    if diagnostic["level"] != "error" || text.starts_with("aborting due to") {
        return None;
    }
    let spans = diagnostic["spans"].as_array();
    let primary = spans.and_then(|s| s.iter().find(|s| s["is_primary"] == true));
    Some(match primary {
        Some(span) => format!(
            "{text} at {}:{}:{}",
            short_path(span["file_name"].as_str().unwrap_or("?")),
            span["line_start"],
            span["column_start"]
        ),
        None => text.to_owned(),
    })
}

/// A span's file inside its crate (`src/types.rs`) rather than from the workspace root.
fn short_path(file: &str) -> &str {
    file.strip_prefix("crates/")
        .and_then(|rest| rest.split_once('/'))
        .map_or(file, |(_, inside)| inside)
}

/// The crate directory of a manifest under `crates_dir`, if it is one of ours.
fn crate_of(manifest: &Path, crates_dir: &Path) -> Option<String> {
    let dir = manifest.parent()?;
    if dir.parent()? != crates_dir {
        return None;
    }
    Some(dir.file_name()?.to_string_lossy().into_owned())
}

/// What the report's introduction says about the run.
#[derive(Debug)]
struct RunInfo {
    command: String,
    dir: String,
    cores: usize,
    rustc: String,
    revision: String,
    profile: &'static str,
    /// The 1-minute load average when the run started: other jobs slow every time down.
    load: Option<String>,
    check: Option<CheckRun>,
    peak_memory: Option<String>,
}

impl RunInfo {
    /// What is known before the run; the check and the peak memory are filled in later.
    fn collect(root: &Path, args: &Args) -> RunInfo {
        RunInfo {
            command: args.command_line(),
            dir: args
                .dir
                .as_ref()
                .map_or_else(|| DEFAULT_DIR.to_owned(), |d| d.display().to_string()),
            cores: std::thread::available_parallelism().map_or(1, usize::from),
            rustc: command_output("rustc", &["--version"], root),
            revision: revision(root),
            profile: if cfg!(debug_assertions) {
                "debug"
            } else {
                "release"
            },
            load: load_average(),
            check: None,
            peak_memory: None,
        }
    }
}

/// The first line a command prints, or `unknown`.
fn command_output(program: &str, args: &[&str], dir: &Path) -> String {
    Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.lines().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The commit, and whether the generator has uncommitted changes.
fn revision(root: &Path) -> String {
    let commit = command_output("git", &["rev-parse", "--short", "HEAD"], root);
    let dirty = Command::new("git")
        .args(["status", "--porcelain", "--", "generator", "runtime"])
        .current_dir(root)
        .output()
        .is_ok_and(|o| !o.stdout.is_empty());
    match dirty {
        true => format!("{commit} with uncommitted changes to generator/ or runtime/"),
        false => commit,
    }
}

/// The 1-minute load average (Linux only).
fn load_average() -> Option<String> {
    let text = fs::read_to_string("/proc/loadavg").ok()?;
    text.split_whitespace().next().map(str::to_owned)
}

/// The most memory this process held (Linux only): the generation of the largest spec.
fn peak_memory() -> Option<String> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(format!("{} MB", kb / 1024))
}

/// Writes `CONFORMANCE.md` (a full run) or `target/corpus/CONFORMANCE.md` (any other),
/// keeping the hand-written notes of the one at the root.
fn write_report(root: &Path, args: &Args, info: &RunInfo, rows: &[Row]) -> Result<(), String> {
    let existing = match args.dir {
        None => fs::read_to_string(root.join(REPORT)).unwrap_or_default(),
        Some(_) => String::new(), // those notes are about another corpus
    };
    let report = render_report(info, rows, &notes_of(&existing));
    let path = match args.is_full_run() {
        true => root.join(REPORT),
        false => root.join(OUT).join(REPORT),
    };
    write_if_changed(&path, &report)?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

/// The hand-written notes between the markers, or a placeholder.
fn notes_of(report: &str) -> String {
    let start = report.find(NOTES_START).map(|i| i + NOTES_START.len());
    let end = report.find(NOTES_END);
    match (start, end) {
        (Some(start), Some(end)) if start <= end => report[start..end].trim().to_owned(),
        _ => "Explain here why a spec fails: a limit of the generator, or a document that is \
              genuinely invalid (which rule, where)."
            .to_owned(),
    }
}

fn render_report(info: &RunInfo, rows: &[Row], notes: &str) -> String {
    let mut text = String::from("# Conformance: the public corpus\n\n");
    text.push_str(&render_intro(info));
    text.push_str("\n| spec | size | operations | types | warnings | generation (ms) | generated lines | result |\n");
    text.push_str("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
    for row in rows {
        text.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {:.1} | {} | {} |\n",
            row.spec.name,
            size(row.spec.bytes),
            row.operations,
            row.types,
            row.warnings,
            millis(row.generation),
            row.lines,
            table_cell(&row.outcome.describe())
        ));
    }
    text.push_str(&render_totals(rows));
    text.push_str(&format!(
        "\n## Notes\n\n{NOTES_START}\n{notes}\n{NOTES_END}\n"
    ));
    text
}

fn render_intro(info: &RunInfo) -> String {
    let sources = match info.dir == DEFAULT_DIR {
        true => " (`SOURCES.tsv` there says where each came from)",
        false => "",
    };
    let mut text = format!(
        "Each OpenAPI document in `{}`{sources} is generated into a crate with \
         `apigen::generate_with_files`, and the crates are compiled together. `cargo xtask corpus` \
         rewrites this file; only the notes at the end are written by hand.\n\n",
        info.dir
    );
    text.push_str(&format!("- Command: `{}`\n", info.command));
    let load = match &info.load {
        Some(load) => format!(", load average {load} at the start"),
        None => String::new(),
    };
    text.push_str(&format!(
        "- Machine: {} cores{load}; {}; generator at {}\n",
        info.cores, info.rustc, info.revision
    ));
    text.push_str(&format!(
        "- Generation time: in-process, median of up to {MAX_RUNS} runs within {} ms per spec \
         (one run for the large ones), xtask built in the {} profile",
        TIMING_BUDGET.as_millis(),
        info.profile
    ));
    match &info.peak_memory {
        Some(peak) => text.push_str(&format!("; peak memory {peak}\n")),
        None => text.push('\n'),
    }
    text.push_str(&check_line(info.check.as_ref()));
    text
}

fn check_line(check: Option<&CheckRun>) -> String {
    let Some(check) = check else {
        return "- Check: not run (`--no-check`)\n".to_owned();
    };
    let dependencies = match check.warm {
        true => "already built",
        false => "built from scratch",
    };
    format!(
        "- Check: one `{}` over the {} crates that generated, shared target directory, \
         dependencies {dependencies}: {:.0} s\n",
        check_command(check.compile),
        check.crates,
        check.time.as_secs_f64()
    )
}

fn check_command(compile: Compile) -> &'static str {
    match compile {
        Compile::Clippy => "RUSTFLAGS=\"-D warnings\" cargo clippy --workspace -- -D warnings",
        _ => "RUSTFLAGS=\"-D warnings\" cargo check --workspace",
    }
}

fn render_totals(rows: &[Row]) -> String {
    let sum = |f: fn(&Row) -> usize| rows.iter().map(f).sum::<usize>();
    let generation: Duration = rows.iter().map(|r| r.generation).sum();
    let bytes: u64 = rows.iter().map(|r| r.spec.bytes).sum();
    format!(
        "| **{} specs** | {} | {} | {} | {} | {:.1} | {} | **{}** |\n",
        rows.len(),
        size(bytes),
        sum(|r| r.operations),
        sum(|r| r.types),
        sum(|r| r.warnings),
        millis(generation),
        sum(|r| r.lines),
        result_counts(rows),
    )
}

/// `16 ok, 4 generation error, 4 check failed`.
fn result_counts(rows: &[Row]) -> String {
    let count = |kind: &str| rows.iter().filter(|r| r.outcome.kind() == kind).count();
    let counts: Vec<String> = ["ok", "generated", "generation error", "check failed"]
        .into_iter()
        .filter(|kind| count(kind) > 0)
        .map(|kind| format!("{} {kind}", count(kind)))
        .collect();
    counts.join(", ")
}

fn millis(time: Duration) -> f64 {
    time.as_secs_f64() * 1000.0
}

fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1024 * 1024 => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
        b => format!("{:.1} KB", b as f64 / 1024.0),
    }
}

/// Text safe inside a Markdown table cell: one line, `|` escaped, at most 300 characters.
fn table_cell(text: &str) -> String {
    let one_line = text.replace(['\n', '\r'], " ").replace('|', "\\|");
    match one_line.char_indices().nth(300) {
        Some((cut, _)) => format!("{}…", &one_line[..cut]),
        None => one_line,
    }
}

/// Compares the results with `tests/corpus-expected.toml` (rewriting it with `--bless`);
/// with `--ci`, a spec expected to pass that does not is an error. Not for `--dir`.
fn compare_with_expectations(root: &Path, args: &Args, rows: &[Row]) -> Result<(), String> {
    if args.dir.is_some() {
        return Ok(()); // the expectations are those of the default corpus
    }
    let path = root.join(EXPECTED);
    let text = fs::read_to_string(&path).unwrap_or_default();
    let mut expected = parse_expectations(&text).map_err(|err| format!("{EXPECTED}: {err}"))?;
    if args.bless {
        bless(&mut expected, rows);
        write_if_changed(&path, &render_expectations(&expected))?;
        eprintln!("wrote {EXPECTED}");
        return Ok(());
    }
    let (regressions, changes) = differences(&expected, rows);
    for change in &changes {
        eprintln!("note: {change}; record it with `cargo xtask corpus --bless`");
    }
    for regression in &regressions {
        eprintln!("regression: {regression}");
    }
    match args.ci && !regressions.is_empty() {
        true => Err(format!(
            "{} spec(s) expected to pass did not (see above)",
            regressions.len()
        )),
        false => Ok(()),
    }
}

/// Records the results: `ok`, or the kind of failure, keeping an `invalid: …` explanation
/// for a spec that still fails.
fn bless(expected: &mut BTreeMap<String, String>, rows: &[Row]) {
    for row in rows {
        let kind = row.outcome.kind();
        let keep = expected
            .get(&row.spec.name)
            .is_some_and(|old| old.starts_with("invalid:") && kind != "ok");
        if !keep {
            expected.insert(row.spec.name.clone(), kind.to_owned());
        }
    }
}

/// Specs expected `ok` that failed, and every other difference from the expectations.
fn differences(expected: &BTreeMap<String, String>, rows: &[Row]) -> (Vec<String>, Vec<String>) {
    let (mut regressions, mut changes) = (Vec::new(), Vec::new());
    for row in rows {
        let got = row.outcome.kind();
        let name = &row.spec.name;
        match expected.get(name).map(String::as_str) {
            None => changes.push(format!("{name} has no expectation; got {got}")),
            Some("ok") if !matches!(got, "ok" | "generated") => {
                regressions.push(format!(
                    "{name}: expected ok, got {}",
                    row.outcome.describe()
                ));
            }
            Some(want) if want.starts_with("invalid:") && got != "generation error" => {
                changes.push(format!("{name} is recorded as {want:?} but got {got}"));
            }
            Some(want) if want != "ok" && !want.starts_with("invalid:") && want != got => {
                if got != "generated" {
                    changes.push(format!("{name}: expected {want}, got {got}"));
                }
            }
            Some(_) => {}
        }
    }
    (regressions, changes)
}

const EXPECTED_HEADER: &str = "\
# Expected result of `cargo xtask corpus` for each spec of tests/corpus/, by file name.
#   \"ok\"                generates and passes `cargo check` with -D warnings; `--ci` fails if not
#   \"generation error\"  the generator refuses it (a limit of the generator, to be lifted)
#   \"check failed\"      it generates, but the crate does not build warning-free
#   \"invalid: <why>\"    the document is genuinely invalid (which rule, where); kept by --bless
# `cargo xtask corpus --bless` rewrites this file from the results (comments are not kept).
";

/// `"name" = "value"` lines (TOML basic strings); comments and blank lines are skipped.
fn parse_expectations(text: &str) -> Result<BTreeMap<String, String>, String> {
    let mut expected = BTreeMap::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = parse_entry(line)
            .ok_or_else(|| format!("line {}: expected `\"name\" = \"result\"`", index + 1))?;
        expected.insert(key, value);
    }
    Ok(expected)
}

fn parse_entry(line: &str) -> Option<(String, String)> {
    let (key, rest) = if line.starts_with('"') {
        let mut stream = serde_json::Deserializer::from_str(line).into_iter::<String>();
        let key = stream.next()?.ok()?;
        let rest = line[stream.byte_offset()..]
            .trim_start()
            .strip_prefix('=')?;
        (key, rest)
    } else {
        let (key, rest) = line.split_once('=')?;
        (key.trim().to_owned(), rest)
    };
    Some((key, serde_json::from_str(rest.trim()).ok()?))
}

fn render_expectations(expected: &BTreeMap<String, String>) -> String {
    let mut text = EXPECTED_HEADER.to_owned();
    for (name, value) in expected {
        // JSON string escapes are valid TOML basic-string escapes.
        let quote = |s: &str| serde_json::Value::String(s.to_owned()).to_string();
        text.push_str(&format!("{} = {}\n", quote(name), quote(value)));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, outcome: Outcome) -> Row {
        Row {
            spec: Spec {
                path: PathBuf::from(name),
                name: name.to_owned(),
                bytes: 2048,
            },
            operations: 3,
            types: 4,
            warnings: 1,
            generation: Duration::from_millis(12),
            lines: 100,
            outcome,
        }
    }

    #[test]
    fn expectations_round_trip_through_bless_and_keep_invalid_explanations() {
        let text =
            "# comment\n\"a.yaml\" = \"ok\"\nb.json = \"invalid: no \\\"openapi\\\" field\"\n";
        let mut expected = parse_expectations(text).expect("parses");
        assert_eq!(expected["b.json"], "invalid: no \"openapi\" field");
        let rows = [
            row("a.yaml", Outcome::CheckFailed("x".into())),
            row("b.json", Outcome::GenerationError("y".into())),
            row("c.github.com.json", Outcome::Ok),
        ];
        bless(&mut expected, &rows);
        let reparsed = parse_expectations(&render_expectations(&expected)).expect("reparses");
        assert_eq!(reparsed, expected);
        assert_eq!(expected["a.yaml"], "check failed");
        assert_eq!(expected["b.json"], "invalid: no \"openapi\" field");
        assert_eq!(expected["c.github.com.json"], "ok");
    }

    #[test]
    fn a_malformed_expectation_line_is_an_error_naming_the_line() {
        let err = parse_expectations("\"a\" = \"ok\"\n\"b\" ok\n").expect_err("malformed");
        assert!(err.contains("line 2"), "{err}");
    }

    #[test]
    fn only_a_spec_expected_ok_that_fails_is_a_regression() {
        let expected = parse_expectations(
            "\"a\" = \"ok\"\n\"b\" = \"generation error\"\n\"c\" = \"ok\"\n\"d\" = \"check failed\"\n",
        )
        .expect("parses");
        let rows = [
            row("a", Outcome::GenerationError("e".into())),
            row("b", Outcome::Ok),
            row("c", Outcome::Generated),
            row("d", Outcome::Generated),
            row("e", Outcome::Ok),
        ];
        let (regressions, changes) = differences(&expected, &rows);
        assert_eq!(regressions.len(), 1, "{regressions:?}");
        assert!(regressions[0].starts_with("a: expected ok"));
        assert_eq!(changes.len(), 2, "{changes:?}");
    }

    #[test]
    fn compiler_errors_are_attributed_to_the_crate_of_their_manifest() {
        let crates = Path::new("/w/target/corpus/crates");
        let error = |manifest: &str, text: &str| {
            serde_json::json!({
                "reason": "compiler-message",
                "manifest_path": manifest,
                "message": {"level": "error", "message": text, "spans": [
                    {"is_primary": true, "file_name": "crates/a-yaml/src/types.rs",
                     "line_start": 7, "column_start": 5}
                ]}
            })
            .to_string()
        };
        let stdout = [
            error("/w/target/corpus/crates/a-yaml/Cargo.toml", "unused import"),
            error(
                "/w/target/corpus/crates/a-yaml/Cargo.toml",
                "mismatched types",
            ),
            error(
                "/w/target/corpus/crates/a-yaml/Cargo.toml",
                "aborting due to 2 previous errors",
            ),
            "not json".to_owned(),
        ]
        .join("\n");
        let failures = CargoFailures::from_messages(&stdout, crates);
        assert_eq!(
            failures.outcome_for("a-yaml"),
            Outcome::CheckFailed("unused import at src/types.rs:7:5 (1 more error)".into())
        );
        assert_eq!(failures.outcome_for("b-json"), Outcome::Ok);
        let elsewhere = error("/registry/serde/Cargo.toml", "broken dependency");
        let failures = CargoFailures::from_messages(&elsewhere, crates);
        assert!(matches!(
            failures.outcome_for("b-json"),
            Outcome::CheckFailed(_)
        ));
    }

    #[test]
    fn notes_survive_a_rewrite_of_the_report() {
        let old =
            format!("# old\n| table |\n## Notes\n{NOTES_START}\nStripe: too big.\n{NOTES_END}\n");
        let notes = notes_of(&old);
        assert_eq!(notes, "Stripe: too big.");
        let info = RunInfo {
            command: "cargo xtask corpus".into(),
            dir: DEFAULT_DIR.into(),
            cores: 2,
            rustc: "rustc".into(),
            revision: "abc".into(),
            profile: "debug",
            load: None,
            check: None,
            peak_memory: None,
        };
        let rows = [row("a|b.yaml", Outcome::GenerationError("x | y\nz".into()))];
        let report = render_report(&info, &rows, &notes);
        assert_eq!(notes_of(&report), notes);
        assert!(report.contains("generation error: x \\| y z"), "{report}");
    }

    #[test]
    fn package_names_are_unique_per_file_and_valid() {
        let spec = |name: &str| Spec {
            path: PathBuf::from(name),
            name: name.to_owned(),
            bytes: 0,
        };
        let json = spec("progenitor-param-overrides.json");
        let yaml = spec("progenitor-param-overrides.yaml");
        assert_ne!(json.package_name(), yaml.package_name());
        assert_eq!(
            spec("progenitor-api.github.com.json").package_name(),
            "corpus-progenitor-api-github-com-json"
        );
        assert_eq!(json.stem(), "progenitor-param-overrides");
    }

    #[test]
    fn arguments_parse_and_conflicts_are_refused() {
        let args = Args::parse(&["--ci", "--only", "a,b", "--clippy"]).expect("parses");
        assert!(args.ci && args.compile() == Compile::Clippy && args.only == ["a", "b"]);
        assert!(!args.is_full_run());
        assert!(Args::parse(&["--no-check", "--clippy"]).is_err());
        assert!(Args::parse(&["--bless", "--no-check"]).is_err());
        assert!(Args::parse(&["--bless", "--dir", "elsewhere"]).is_err());
        assert!(Args::parse(&[]).expect("parses").is_full_run());
        assert!(!Args::parse(&["--no-check"]).expect("parses").is_full_run());
        assert!(Args::parse(&["--frobnicate"]).is_err());
    }
}

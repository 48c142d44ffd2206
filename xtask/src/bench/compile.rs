//! Compile time of generated crates: a throwaway workspace under `target/bench/ws/` whose
//! members share one target directory with every dependency prebuilt, so that a timed
//! `cargo check` or `cargo build` compiles only the crate whose `lib.rs` was touched.
//! Progenitor's output for the same spec is generated in the same run by `cargo progenitor`,
//! installed under `target/bench/tools/` when it is not there (outside this repository's
//! dependency graph).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::callers;
use super::measure::{self, Sample, Summary};
use super::{Context, rust_lines};

/// The version of `cargo-progenitor` compared against.
pub const PROGENITOR_VERSION: &str = "0.15.1";
/// The spec both generators compile from, relative to the root.
pub const NEXUS: &str = "tests/corpus/progenitor-nexus.json";
/// Our nexus crate and progenitor's, compared.
const OURS: &str = "nexus-ours";
const PROGENITOR: &str = "nexus-progenitor";

/// How a crate is compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mode {
    /// `cargo check --lib`.
    Check,
    /// `cargo build --lib`, dev profile.
    Build,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Check => "check",
            Mode::Build => "build",
        }
    }
}

/// The bench workspace: `Cargo.toml`, `crates/<name>/`, `target/`.
#[derive(Debug)]
pub struct Workspace {
    pub dir: PathBuf,
}

impl Workspace {
    /// The workspace of this run, with the repository's `Cargo.lock` as its starting point
    /// so that shared dependencies are the versions the SDK is tested with.
    pub fn open(ctx: &Context) -> Result<Workspace, String> {
        let dir = ctx.dir("ws");
        fs::create_dir_all(dir.join("crates"))
            .map_err(|err| format!("{}: {err}", dir.display()))?;
        let lock = dir.join("Cargo.lock");
        if !lock.exists() {
            fs::copy(ctx.root.join("Cargo.lock"), &lock)
                .map_err(|err| format!("Cargo.lock: {err}"))?;
        }
        Ok(Workspace { dir })
    }

    pub fn crate_dir(&self, name: &str) -> PathBuf {
        self.dir.join("crates").join(name)
    }

    /// Writes a member crate from generated files (only those that changed).
    pub fn add_files(&self, name: &str, files: &[apigen::File]) -> Result<PathBuf, String> {
        let dir = self.crate_dir(name);
        apigen_cli::sync_dir(&dir, files, apigen_cli::Mode::Write)?;
        self.write_manifest()?;
        Ok(dir)
    }

    /// Lists every crate under `crates/` as a member. The default dev profile: no settings
    /// of this repository's own apply.
    pub fn write_manifest(&self) -> Result<(), String> {
        let mut members: Vec<String> = fs::read_dir(self.dir.join("crates"))
            .map_err(|err| err.to_string())?
            .filter_map(|e| e.ok())
            .filter(|e| e.path().join("Cargo.toml").exists())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        members.sort();
        let list: String = members
            .iter()
            .map(|m| format!("    \"crates/{m}\",\n"))
            .collect();
        let manifest = format!(
            "# Written by `cargo xtask bench`: generated crates compiled side by side.\n\
             [workspace]\nresolver = \"3\"\nmembers = [\n{list}]\n"
        );
        measure::write_if_changed(&self.dir.join("Cargo.toml"), manifest.as_bytes())
    }

    /// A cargo command in the workspace: its own target directory, no incremental
    /// compilation (a touched file recompiles in full) and no flags from the environment.
    pub fn cargo(&self, args: &[&str]) -> Command {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let mut command = Command::new(cargo);
        command
            .args(args)
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", self.dir.join("target"))
            .env("CARGO_INCREMENTAL", "0")
            .env("CARGO_TERM_COLOR", "never")
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .env_remove("CARGO_BUILD_RUSTFLAGS");
        command
    }

    /// Compiles each of `packages` with its dependencies once, untimed. One cargo run per
    /// package: features unify only among the packages of one run, so the dependencies a
    /// package is timed against are those it gets when compiled alone.
    pub fn warm(&self, packages: &[String], mode: Mode) -> Result<(), String> {
        for package in packages {
            eprintln!("    warming: cargo {} --lib -p {package}", mode.name());
            measure::timed(&mut self.cargo(&[mode.name(), "--lib", "--quiet", "-p", package]))?;
        }
        Ok(())
    }

    /// The packages of `packages` that `cargo check` accepts, and the first error of each
    /// other (a variant that no longer compiles is left out, not the whole section).
    pub fn compiling(&self, packages: &[String]) -> (Vec<String>, Vec<(String, String)>) {
        let (mut ok, mut failed) = (Vec::new(), Vec::new());
        for package in packages {
            match self.warm(std::slice::from_ref(package), Mode::Check) {
                Ok(()) => ok.push(package.clone()),
                Err(message) => {
                    let first = message
                        .lines()
                        .find(|l| l.starts_with("error"))
                        .unwrap_or("does not compile")
                        .to_owned();
                    eprintln!("    {package} does not compile: {first}");
                    failed.push((package.clone(), first));
                }
            }
        }
        (ok, failed)
    }

    /// Touches the crate's `lib.rs`, then times `cargo <mode> --lib -p <package>`.
    pub fn time(&self, package: &str, mode: Mode) -> Result<Sample, String> {
        measure::touch(&self.crate_dir(package).join("src/lib.rs"))?;
        measure::timed(&mut self.cargo(&[mode.name(), "--lib", "--quiet", "-p", package]))
    }

    /// Times every package in every mode, `runs` times, interleaved: for each mode, run 1
    /// of every package, then run 2 of every package, and so on.
    pub fn interleave(
        &self,
        packages: &[String],
        modes: &[Mode],
        runs: usize,
    ) -> Result<Timings, String> {
        let mut timings = Timings::default();
        for &mode in modes {
            self.warm(packages, mode)?;
            for run in 1..=runs {
                for package in packages {
                    // A rustc that dies (out of memory beside other builds) costs one retry
                    // and, failing again, that sample only.
                    let sample = match self
                        .time(package, mode)
                        .or_else(|_| self.time(package, mode))
                    {
                        Ok(sample) => sample,
                        Err(message) => {
                            eprintln!(
                                "    {} {package} run {run} failed twice, left out: {}",
                                mode.name(),
                                message.lines().next().unwrap_or("")
                            );
                            continue;
                        }
                    };
                    eprintln!(
                        "    {} {package} run {run}/{runs}: {:.1} s wall, {:.1} s CPU",
                        mode.name(),
                        sample.wall,
                        sample.cpu
                    );
                    timings
                        .samples
                        .entry((package.clone(), mode))
                        .or_default()
                        .push(sample);
                }
            }
        }
        Ok(timings)
    }
}

/// Samples per package and mode.
#[derive(Debug, Default)]
pub struct Timings {
    pub samples: BTreeMap<(String, Mode), Vec<Sample>>,
}

impl Timings {
    pub fn wall(&self, package: &str, mode: Mode) -> Option<Summary> {
        self.summary(package, mode, |s| s.wall)
    }

    pub fn cpu(&self, package: &str, mode: Mode) -> Option<Summary> {
        self.summary(package, mode, |s| s.cpu)
    }

    fn summary(&self, package: &str, mode: Mode, f: fn(&Sample) -> f64) -> Option<Summary> {
        let samples = self.samples.get(&(package.to_owned(), mode))?;
        Summary::of(&samples.iter().map(f).collect::<Vec<_>>())
    }
}

/// Generates a workspace member from a spec with this generator.
pub fn generate_ours(
    ctx: &Context,
    ws: &Workspace,
    spec: &Path,
    settings: Option<&Path>,
    name: &str,
) -> Result<apigen::Generated, String> {
    let text = apigen_cli::read(spec)?;
    let mut settings = match settings {
        Some(path) => apigen_cli::read_settings(path)?,
        None => apigen::Settings::default(),
    };
    settings.package.name = Some(name.to_owned());
    let label = spec
        .strip_prefix(&ctx.root)
        .unwrap_or(spec)
        .display()
        .to_string();
    let options = apigen::Options {
        settings,
        spec_label: label.clone(),
        command: "cargo xtask bench".to_owned(),
        manifest: apigen::ManifestMode::WorkspaceMember,
        examples: Vec::new(),
    };
    let generated = apigen_cli::generate_spec_file(spec, &text, &options)
        .map_err(|err| format!("{label}: {err}"))?;
    ws.add_files(name, &generated.files)?;
    Ok(generated)
}

/// `cargo-progenitor`, installed under `target/bench/tools/` if it is not there yet.
pub fn progenitor(ctx: &Context) -> Result<PathBuf, String> {
    let root = ctx.root.join("target/bench/tools");
    let bin = root.join("bin/cargo-progenitor");
    if bin.exists() {
        return Ok(bin);
    }
    eprintln!(
        "    installing cargo-progenitor {PROGENITOR_VERSION} into {}",
        root.display()
    );
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut install = Command::new(cargo);
    install
        .args([
            "install",
            "cargo-progenitor",
            "--locked",
            "--version",
            PROGENITOR_VERSION,
            "--root",
        ])
        .arg(&root)
        .env_remove("CARGO_TARGET_DIR");
    measure::timed(&mut install)?;
    Ok(bin)
}

/// Generates a workspace member from `spec` with progenitor (`interface`: `positional` or
/// `builder`), timing the whole process.
pub fn generate_progenitor(
    ctx: &Context,
    ws: &Workspace,
    spec: &Path,
    name: &str,
    interface: &str,
) -> Result<Sample, String> {
    let bin = progenitor(ctx)?;
    let dir = ws.crate_dir(name);
    let mut command = Command::new(bin);
    command
        .arg("progenitor")
        .arg("--input")
        .arg(spec)
        .arg("--output")
        .arg(&dir)
        .args([
            "--name",
            name,
            "--version",
            "0.1.0",
            "--interface",
            interface,
        ]);
    let sample = measure::timed(&mut command)?;
    ws.write_manifest()?;
    Ok(sample)
}

/// Copies the SDK (`generated-client/`, its `src/` and manifest) into the workspace as
/// `baseten`; returns that name.
pub fn copy_sdk(ctx: &Context, ws: &Workspace) -> Result<String, String> {
    let name = "baseten".to_owned();
    let dir = ws.crate_dir(&name);
    measure::copy_dir(&ctx.root.join("generated-client/src"), &dir.join("src"))?;
    let manifest = apigen_cli::read(&ctx.root.join("generated-client/Cargo.toml"))?;
    measure::write_if_changed(&dir.join("Cargo.toml"), manifest.as_bytes())?;
    ws.write_manifest()?;
    Ok(name)
}

/// The section: our nexus crate against progenitor's, and the Baseten SDK.
pub fn run(ctx: &Context) -> Result<String, String> {
    let ws = Workspace::open(ctx)?;
    if ctx.args.smoke {
        // The harness only: generate a small crate into the workspace, compile nothing.
        let spec = ctx.root.join("tests/fixtures/seed-cancel-promotion.yaml");
        generate_ours(ctx, &ws, &spec, None, "smoke-ours")?;
        let member = Member {
            name: "smoke-ours".to_owned(),
            what: "ours, the seed spec".to_owned(),
            lines: rust_lines(&ws.crate_dir("smoke-ours")),
        };
        let caller = Member::caller(&ws, "smoke-ours", callers::Generator::Ours)?;
        return Ok(render(ctx, &[member, caller], &Timings::default()));
    }
    let spec = ctx.root.join(NEXUS);
    let crates = vec![
        Member::ours(ctx, &ws, &spec)?,
        Member::progenitor(ctx, &ws, &spec, "positional")?,
        Member::progenitor(ctx, &ws, &spec, "builder")?,
        Member::sdk(ctx, &ws)?,
        Member::caller(&ws, OURS, callers::Generator::Ours)?,
        Member::caller(&ws, PROGENITOR, callers::Generator::Progenitor)?,
    ];
    let names: Vec<String> = crates.iter().map(|c| c.name.clone()).collect();
    let timings = ws.interleave(&names, &[Mode::Check, Mode::Build], ctx.args.runs_or(3))?;
    Ok(render(ctx, &crates, &timings))
}

/// A crate of the section's table.
#[derive(Debug)]
struct Member {
    name: String,
    what: String,
    lines: usize,
}

impl Member {
    fn ours(ctx: &Context, ws: &Workspace, spec: &Path) -> Result<Member, String> {
        let name = OURS.to_owned();
        generate_ours(ctx, ws, spec, None, &name)?;
        let lines = rust_lines(&ws.crate_dir(&name));
        Ok(Member {
            name,
            what: "ours".to_owned(),
            lines,
        })
    }

    fn progenitor(
        ctx: &Context,
        ws: &Workspace,
        spec: &Path,
        interface: &str,
    ) -> Result<Member, String> {
        let name = match interface {
            "positional" => PROGENITOR.to_owned(),
            other => format!("nexus-progenitor-{other}"),
        };
        generate_progenitor(ctx, ws, spec, &name, interface)?;
        let lines = rust_lines(&ws.crate_dir(&name));
        let what = format!("progenitor {PROGENITOR_VERSION}, `--interface {interface}`");
        Ok(Member { name, what, lines })
    }

    /// A program calling every operation of `sdk` (see `callers`).
    fn caller(ws: &Workspace, sdk: &str, generator: callers::Generator) -> Result<Member, String> {
        let (name, operations) = callers::write(ws, sdk, generator)?;
        let lines = rust_lines(&ws.crate_dir(&name));
        Ok(Member {
            name,
            what: format!("calls each of the {operations} operations of `{sdk}` once"),
            lines,
        })
    }

    /// The Baseten SDK as committed in `generated-client/` (examples left out: only the
    /// library is compiled).
    fn sdk(ctx: &Context, ws: &Workspace) -> Result<Member, String> {
        let name = copy_sdk(ctx, ws)?;
        let lines = rust_lines(&ws.crate_dir(&name));
        Ok(Member {
            name,
            what: "the Baseten SDK, `generated-client/`".to_owned(),
            lines,
        })
    }
}

fn render(ctx: &Context, crates: &[Member], timings: &Timings) -> String {
    let runs = ctx.args.runs_or(3);
    let mut text = format!(
        "Crate-only `cargo check --lib` and `cargo build --lib` (dev profile, cargo's defaults: \
         `debug = true`, no incremental compilation) of each crate after touching its \
         `src/lib.rs`, every dependency prebuilt in the shared target directory; {runs} runs \
         each, interleaved. Seconds: median (min–max). CPU is user + system time of cargo \
         and rustc, steadier than wall time on a loaded machine.\n\n\
         | crate | generated lines | check, wall | check, CPU | build, wall | build, CPU |\n\
         | --- | ---: | ---: | ---: | ---: | ---: |\n"
    );
    for member in crates {
        let cell = |s: Option<Summary>| s.map_or("n/a".to_owned(), |s| s.show(1));
        text.push_str(&format!(
            "| `{}` ({}) | {} | {} | {} | {} | {} |\n",
            member.name,
            member.what,
            member.lines,
            cell(timings.wall(&member.name, Mode::Check)),
            cell(timings.cpu(&member.name, Mode::Check)),
            cell(timings.wall(&member.name, Mode::Build)),
            cell(timings.cpu(&member.name, Mode::Build)),
        ));
    }
    let (ours, theirs) = (OURS, PROGENITOR);
    let line = |label: &str, f: &dyn Fn(&str) -> Option<Summary>| {
        format!(
            "| {label} | {} | ≤ 0.70× |\n",
            measure::ratio(f(ours), f(theirs))
        )
    };
    text.push_str(
        "\n| ours ÷ progenitor's (nexus) | ratio of medians | target |\n| --- | ---: | ---: |\n",
    );
    text.push_str(&line("`cargo check`, wall", &|p| {
        timings.wall(p, Mode::Check)
    }));
    text.push_str(&line("`cargo check`, CPU", &|p| {
        timings.cpu(p, Mode::Check)
    }));
    text.push_str(&line("`cargo build`, wall", &|p| {
        timings.wall(p, Mode::Build)
    }));
    text.push_str(&line("`cargo build`, CPU", &|p| {
        timings.cpu(p, Mode::Build)
    }));
    let lines_of = |name: &str| {
        crates
            .iter()
            .find(|c| c.name == name)
            .map(|c| c.lines as f64)
    };
    if let (Some(a), Some(b)) = (lines_of(ours), lines_of(theirs)) {
        text.push_str(&format!("| generated lines | {:.2}× | |\n", a / b));
    }
    text.push_str(&whole_program(timings));
    text
}

/// The build of a program calling every operation: the SDK's crate-only build plus its
/// caller's (each after touching its `lib.rs`, the other prebuilt), by the medians of each.
/// Our operations are compiled where they are called, so this is the figure for a program
/// that calls them all, and the crate-only build above that for one that calls none.
fn whole_program(timings: &Timings) -> String {
    let sum = |sdk: &str, f: &dyn Fn(&str) -> Option<Summary>| -> Option<f64> {
        Some(f(sdk)?.median + f(&format!("{sdk}-caller"))?.median)
    };
    let mut text = String::from(
        "\nA program that calls every operation: the crate's build plus that of a library calling \
         each operation once (`<crate>-caller` above), medians added. Our request builders are \
         `#[inline]`, so an operation's code is compiled in the crate that calls it: this is our \
         worst case, and the crate-only build that of a program calling no operation.\n\n\
         | build of SDK + caller of every operation | ours | progenitor's | ratio | target |\n\
         | --- | ---: | ---: | ---: | ---: |\n",
    );
    let cpu = |p: &str| timings.cpu(p, Mode::Build);
    let wall = |p: &str| timings.wall(p, Mode::Build);
    for (label, f) in [
        ("CPU", &cpu as &dyn Fn(&str) -> Option<Summary>),
        ("wall", &wall),
    ] {
        let (a, b) = (sum(OURS, f), sum(PROGENITOR, f));
        let cell = |v: Option<f64>| v.map_or("n/a".to_owned(), |v| format!("{v:.1} s"));
        let ratio = measure::ratio_of(a, b);
        text.push_str(&format!(
            "| `cargo build`, {label} | {} | {} | {ratio} | ≤ 0.70× |\n",
            cell(a),
            cell(b)
        ));
    }
    text
}

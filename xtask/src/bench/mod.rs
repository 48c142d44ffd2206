//! `bench`: how long the generator takes, how long what it generates takes to compile
//! (against progenitor's output for the same spec), where that time goes, how both scale,
//! and what a call through a generated client costs; the tables of `BENCHMARKS.md`.
//!
//! Every number comes from one run on one machine: the report states the machine, the
//! toolchain, the load average and the command. Measured variants are interleaved
//! (A B A B …) so that a change of load spreads over all of them, and each figure is a
//! median with its minimum and maximum. Nothing here asserts a speed: the targets are
//! printed beside the ratios. `--smoke` runs every part of the harness on tiny inputs, in
//! seconds, and writes its report under `target/bench/` instead.

mod callers;
mod compile;
mod generation;
mod instructions;
mod measure;
mod probe;
mod report;
mod runtime;
mod scaling;
mod variants;

use std::path::{Path, PathBuf};

use crate::codegen::workspace_root;

const USAGE: &str = "usage: cargo xtask bench [--runs N] [--only SECTION,...] [--smoke]
sections: compile, features, generation, scaling, runtime, instructions";

/// A part of the benchmark, with its own table in `BENCHMARKS.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    /// Crate-only `cargo check` and `cargo build` of generated crates, ours and progenitor's.
    Compile,
    /// The same for variants of our nexus crate, each without one generated feature.
    Features,
    /// The generator's stages, time and memory, beside the parse and format floors.
    Generation,
    /// Generation and `cargo check` of the Baseten spec repeated 1, 2, 4 and 8 times.
    Scaling,
    /// A call through the generated client against a hand-written one.
    Runtime,
    /// Instructions of `cargo check`'s `rustc`, ours and progenitor's, under callgrind.
    Instructions,
}

impl Section {
    const ALL: [Section; 6] = [
        Section::Compile,
        Section::Features,
        Section::Generation,
        Section::Scaling,
        Section::Runtime,
        Section::Instructions,
    ];

    fn name(self) -> &'static str {
        match self {
            Section::Compile => "compile",
            Section::Features => "features",
            Section::Generation => "generation",
            Section::Scaling => "scaling",
            Section::Runtime => "runtime",
            Section::Instructions => "instructions",
        }
    }

    fn parse(name: &str) -> Result<Section, String> {
        Section::ALL
            .into_iter()
            .find(|s| s.name() == name)
            .ok_or_else(|| format!("unknown section `{name}`\n{USAGE}"))
    }
}

/// The command line of `cargo xtask bench`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Args {
    /// Timed runs of each measurement (the default depends on the section).
    pub runs: Option<usize>,
    /// The sections to run, in their order; all when empty.
    pub only: Vec<Section>,
    /// Tiny inputs and one run: a check of the harness itself.
    pub smoke: bool,
}

impl Args {
    fn parse(args: &[&str]) -> Result<Args, String> {
        let mut parsed = Args {
            runs: None,
            only: Vec::new(),
            smoke: false,
        };
        let mut rest = args.iter();
        while let Some(arg) = rest.next() {
            match *arg {
                "--runs" => {
                    let value = rest.next().ok_or(USAGE)?;
                    let runs = value
                        .parse::<usize>()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or_else(|| format!("--runs needs a positive number, not `{value}`"))?;
                    parsed.runs = Some(runs);
                }
                "--only" => {
                    for name in rest.next().ok_or(USAGE)?.split(',') {
                        parsed.only.push(Section::parse(name.trim())?);
                    }
                }
                "--smoke" => parsed.smoke = true,
                other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
            }
        }
        parsed.only.sort();
        parsed.only.dedup();
        Ok(parsed)
    }

    fn sections(&self) -> Vec<Section> {
        match self.only.is_empty() {
            true => Section::ALL.to_vec(),
            false => self.only.clone(),
        }
    }

    /// The runs of a measurement whose default is `default`; one in a smoke run.
    fn runs_or(&self, default: usize) -> usize {
        match self.smoke {
            true => 1,
            false => self.runs.unwrap_or(default),
        }
    }

    /// The command as typed, for the report.
    fn command_line(&self) -> String {
        let mut command = "cargo xtask bench".to_owned();
        if let Some(runs) = self.runs {
            command.push_str(&format!(" --runs {runs}"));
        }
        if !self.only.is_empty() {
            let names: Vec<&str> = self.only.iter().map(|s| s.name()).collect();
            command.push_str(&format!(" --only {}", names.join(",")));
        }
        if self.smoke {
            command.push_str(" --smoke");
        }
        command
    }
}

/// Where the bench works and what it knows about the run.
#[derive(Debug)]
pub struct Context {
    /// The repository's root.
    pub root: PathBuf,
    /// `target/bench/` (`target/bench/smoke/` in a smoke run): everything the bench writes
    /// but the report.
    pub out: PathBuf,
    pub args: Args,
}

impl Context {
    fn dir(&self, name: &str) -> PathBuf {
        self.out.join(name)
    }
}

/// `cargo xtask bench [...]`; `bench probe …` is the child process that times one
/// generation (see [`probe`]).
pub fn run(args: &[&str]) -> Result<(), String> {
    if let ["probe", rest @ ..] = args {
        return probe::run(rest);
    }
    let args = Args::parse(args)?;
    let root = workspace_root();
    let out = match args.smoke {
        true => root.join("target/bench/smoke"),
        false => root.join("target/bench"),
    };
    let ctx = Context { root, out, args };
    let machine = report::Machine::collect(&ctx);
    eprintln!("bench on {}", machine.describe());
    let path = match ctx.args.smoke {
        true => ctx.out.join("BENCHMARKS.md"),
        false => ctx.root.join("BENCHMARKS.md"),
    };
    let mut failed = Vec::new();
    for section in ctx.args.sections() {
        eprintln!("==> bench: {}", section.name());
        let started = std::time::Instant::now();
        let result = match section {
            Section::Compile => compile::run(&ctx),
            Section::Features => variants::run(&ctx),
            Section::Generation => generation::run(&ctx),
            Section::Scaling => scaling::run(&ctx),
            Section::Runtime => runtime::run(&ctx),
            Section::Instructions => instructions::run(&ctx),
        };
        // A section that fails leaves its old table; the others are still measured.
        match result {
            Ok(body) => {
                eprintln!("{body}");
                let took = started.elapsed();
                report::write(
                    &path,
                    &machine,
                    &ctx.args.command_line(),
                    &[(section, body, took)],
                )?;
                eprintln!("wrote {} ({})", path.display(), section.name());
            }
            Err(message) => {
                eprintln!("bench: {} failed: {message}", section.name());
                failed.push(section.name());
            }
        }
    }
    match failed.is_empty() {
        true => Ok(()),
        false => Err(format!(
            "bench: sections that failed: {}",
            failed.join(", ")
        )),
    }
}

/// A generated or copied crate in a bench workspace.
fn rust_lines(dir: &Path) -> usize {
    measure::files_with_ext(&dir.join("src"), "rs")
        .iter()
        .map(|p| std::fs::read_to_string(p).map_or(0, |t| t.lines().count()))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_parse_and_name_the_command() {
        let args = Args::parse(&["--only", "scaling,compile", "--runs", "2"]).expect("parses");
        assert_eq!(args.only, vec![Section::Compile, Section::Scaling]);
        assert_eq!(args.runs_or(5), 2);
        assert_eq!(
            args.command_line(),
            "cargo xtask bench --runs 2 --only compile,scaling"
        );
        let smoke = Args::parse(&["--smoke"]).expect("parses");
        assert_eq!(smoke.runs_or(5), 1);
        assert_eq!(smoke.sections(), Section::ALL.to_vec());
        assert!(Args::parse(&["--only", "bogus"]).is_err());
        assert!(Args::parse(&["--runs", "0"]).is_err());
        assert!(Args::parse(&["--fast"]).is_err());
    }
}

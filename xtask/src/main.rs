//! Project tasks, run as `cargo xtask <task>`:
//!
//! - `codegen [--check | [--bump] [--changelog]]`: regenerate `generated-client/` from `spec/`
//!   (or check it is fresh), printing what changed in its API since the committed `api.json`;
//!   `--bump` sets the crate's version by semver, `--changelog` adds the report to its CHANGELOG;
//! - `generate <SPEC> <OUT_DIR> [--name CRATE] [--settings FILE]`: a standalone crate for any spec;
//! - `diff <OLD_SPEC> <NEW_SPEC> [--old-settings FILE] [--new-settings FILE]`: what changed in
//!   the generated Rust API between two specs, classified for semver;
//! - `semver-check`: that report against `cargo-semver-checks` on the spec's real history
//!   (needs `cargo install --locked cargo-semver-checks`; not part of `test`);
//! - `corpus [--ci] …`: generate and compile every spec of the public corpus, write `CONFORMANCE.md`;
//! - `paging [--dir DIR [--settings FILE]]`: paged operations of each spec, by scheme;
//! - `fuzz [--execs N] … | --compile N`: feed the generator mutated and random inputs (see
//!   `FUZZING.md`); `fuzz-worker` is the process that runs them;
//! - `bench [--runs N] [--only SECTION,...] [--smoke]`: benchmarks, written to `BENCHMARKS.md`;
//! - `test`: install the test tools and run every check and test, as CI does.

mod bench;
mod codegen;
mod corpus;
mod diff;
mod fuzz;
mod paging;
mod release;
mod semver;
mod test;
mod testgen;

use std::process::ExitCode;

const USAGE: &str = "usage:
  cargo xtask codegen [--check | [--bump] [--changelog]]
  cargo xtask generate <SPEC> <OUT_DIR> [--name CRATE] [--settings FILE]
  cargo xtask diff <OLD_SPEC> <NEW_SPEC> [--old-settings FILE] [--new-settings FILE]
  cargo xtask semver-check
  cargo xtask corpus [--dir DIR] [--only NAME,NAME] [--ci] [--no-check | --clippy] [--bless]
  cargo xtask paging [--dir DIR [--settings FILE]]
  cargo xtask fuzz [--execs N] [--seed S] [--from I] [--jobs J] [--ci] | --compile N
  cargo xtask bench [--runs N] [--only compile,features,generation,scaling,runtime,instructions] [--smoke]
  cargo xtask test";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["codegen", rest @ ..] => codegen::run(rest),
        ["generate", rest @ ..] => codegen::generate_cmd(rest),
        ["diff", rest @ ..] => diff::run(rest),
        ["semver-check", rest @ ..] => semver::run(rest),
        ["corpus", rest @ ..] => corpus::run(rest),
        ["paging", rest @ ..] => paging::run(rest),
        ["fuzz", rest @ ..] => fuzz::run(rest),
        ["fuzz-worker", rest @ ..] => fuzz::worker::run(rest),
        ["fuzz-case", rest @ ..] => fuzz::worker::show(rest),
        ["bench", rest @ ..] => bench::run(rest),
        ["test"] => test::run(),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

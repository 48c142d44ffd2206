//! `fuzz --compile N`: the output of mutated specs that generate must compile.
//!
//! Cases are drawn in order (the same cases as the fuzz run of the same seed) until `N`
//! distinct outputs have been generated (outputs that differ only in their crate name count
//! once). Each becomes a crate of one throwaway workspace in `target/fuzz-compile/`, like
//! `cargo xtask corpus` does, so that the dependencies build once, and the crates are checked
//! in batches with `RUSTFLAGS=-D warnings cargo check --keep-going`. A crate that does not
//! pass is a generator bug: its spec is saved in `target/fuzz-compile/failures/`.

use std::collections::BTreeSet;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::time::Instant;

use super::cases;
use super::worker::{self, Outcome};
use crate::codegen;
use crate::corpus::{self, Compile};

/// Crates checked by one `cargo check`.
const BATCH: usize = 250;
/// Give up after drawing this many cases per output wanted.
const MAX_DRAWS_PER_OUTPUT: u64 = 100;

/// One generated crate to check.
struct Picked {
    index: u64,
    label: String,
    dir: String,
}

/// Generates, writes and checks `count` distinct outputs of the cases of `seed`.
pub fn run(root: &Path, seed: u64, count: u64) -> Result<(), String> {
    let out = root.join("target/fuzz-compile");
    let crates = out.join("crates");
    let _ = fs::remove_dir_all(&crates);
    fs::create_dir_all(out.join("failures")).map_err(|err| format!("{}: {err}", out.display()))?;
    let start = Instant::now();
    let (picked, drawn) = generate(seed, count, &crates)?;
    eprintln!(
        "compile: {} distinct outputs from {drawn} cases, generated in {:.0} s",
        picked.len(),
        start.elapsed().as_secs_f64()
    );
    let check_start = Instant::now();
    let mut failed = Vec::new();
    for batch in picked.chunks(BATCH) {
        let members: Vec<String> = batch.iter().map(|p| p.dir.clone()).collect();
        corpus::write_workspace(root, &out, &members)?;
        let failures = corpus::run_cargo(&out, &out.join("target"), Compile::Check)?;
        if let Some(other) = failures.other.first() {
            return Err(format!(
                "the check failed outside the generated crates: {other}"
            ));
        }
        for p in batch {
            if let Some(errors) = failures.by_crate.get(&p.dir) {
                failed.push(format!("case {} ({}): {}", p.index, p.label, errors[0]));
                save_failure(seed, p, &out);
            }
        }
        eprintln!(
            "compile: {} crates checked, {} failed",
            members.len(),
            failed.len()
        );
    }
    let summary = format!(
        "fuzz --compile: seed {seed}, {drawn} cases drawn, {} distinct outputs generated and \
         checked (RUSTFLAGS=-D warnings cargo check) in {:.0} s: {} failed",
        picked.len(),
        check_start.elapsed().as_secs_f64(),
        failed.len()
    );
    let report = format!("{summary}\n{}\n", failed.join("\n"));
    fs::write(out.join("summary.txt"), &report).map_err(|err| err.to_string())?;
    eprintln!("{report}");
    match failed.is_empty() {
        true => Ok(()),
        false => Err(format!(
            "{} output(s) do not compile; see {}",
            failed.len(),
            out.display()
        )),
    }
}

/// Draws cases until `count` distinct outputs are written under `crates`.
fn generate(seed: u64, count: u64, crates: &Path) -> Result<(Vec<Picked>, u64), String> {
    let seeds = cases::load_seeds(&cases::seeds_root());
    let last_panic = worker::capture_panics();
    let mut seen = BTreeSet::new();
    let mut picked = Vec::new();
    let mut index = 0;
    while (picked.len() as u64) < count && index < count * MAX_DRAWS_PER_OUTPUT {
        let case = cases::case(&seeds, seed, index);
        let mut options = worker::options();
        let dir = format!("c{index}");
        options.settings.package.name = Some(format!("fuzz-{dir}"));
        if let Outcome::Generated(generated) = worker::run_case(&case.bytes, &options, &last_panic)
        {
            if seen.insert(fingerprint(&generated.files)) {
                codegen::sync_dir(&crates.join(&dir), &generated.files, codegen::Mode::Write)?;
                picked.push(Picked {
                    index,
                    label: case.label,
                    dir,
                });
            }
        }
        index += 1;
    }
    Ok((picked, index))
}

/// A hash of the files of a crate, without its name (the manifest's `name` line) and the
/// copied runtime, so that outputs differing only in their crate name count once.
fn fingerprint(files: &[apigen::File]) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for file in files.iter().filter(|f| !f.path.starts_with("src/runtime/")) {
        file.path.hash(&mut hasher);
        for line in file.contents.lines().filter(|l| !l.starts_with("name = ")) {
            line.hash(&mut hasher);
        }
    }
    hasher.finish()
}

fn save_failure(seed: u64, picked: &Picked, out: &Path) {
    let seeds = cases::load_seeds(&cases::seeds_root());
    let case = cases::case(&seeds, seed, picked.index);
    let name = format!("seed{seed}-case{}", picked.index);
    let _ = fs::write(
        out.join("failures").join(format!("{name}.input")),
        &case.bytes,
    );
    let _ = fs::write(
        out.join("failures").join(format!("{name}.txt")),
        format!("{}\n", case.label),
    );
}

//! `test`: everything CI checks, in one command, on a fresh clone.

use std::path::Path;
use std::process::Command;

use crate::codegen::workspace_root;

/// Installs the pinned Prism, then runs formatting, lint, the codegen check, a dry run of
/// publishing the crates users install, and every test.
pub fn run() -> Result<(), String> {
    let root = workspace_root();
    step(
        "npm",
        &["ci", "--prefix", "tests/prism", "--no-audit", "--no-fund"],
        &root,
    )?;
    step("cargo", &["fmt", "--all", "--check"], &root)?;
    step(
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ],
        &root,
    )?;
    crate::codegen::codegen(crate::codegen::Mode::Check)?;
    // The crates users install package and build from their tarballs alone. Cargo unpacks the
    // tarballs of the crates published together into its home under a name taken from the
    // target directory, and keeps that copy while the version stays the same: a second run
    // in the same directory would build `apigen-cli` against the first run's `apigen-codegen`.
    // Each run therefore packages into a target directory of its own.
    let target = fresh_publish_target(&root)?;
    step_with(
        "cargo",
        &[
            "publish",
            "--dry-run",
            "--locked",
            "-p",
            "apigen-codegen",
            "-p",
            "apigen-cli",
        ],
        &root,
        &[("CARGO_TARGET_DIR", target.as_os_str())],
    )?;
    step("cargo", &["test", "--workspace", "--locked"], &root)?;
    // The benchmark harness still runs (on the seed spec, compiling nothing, timing nothing
    // against a target): a second or two.
    step("cargo", &["xtask", "bench", "--smoke"], &root)?;
    // The public corpus (small specs plus two large ones) generates and compiles.
    step("cargo", &["xtask", "corpus", "--ci"], &root)?;
    // A short fuzz run: 1,500 numbered cases that must each end in code or a clear error.
    step("cargo", &["xtask", "fuzz", "--ci"], &root)?;
    // The generated crates document without a rustdoc warning (RUSTDOCFLAGS is set below).
    step(
        "cargo",
        &[
            "doc",
            "--locked",
            "--no-deps",
            "-p",
            "baseten",
            "-p",
            "baseten-seed",
        ],
        &root,
    )
}

fn step(program: &str, args: &[&str], dir: &Path) -> Result<(), String> {
    step_with(program, args, dir, &[])
}

/// [`step`] with more environment variables.
fn step_with(
    program: &str,
    args: &[&str],
    dir: &Path,
    env: &[(&str, &std::ffi::OsStr)],
) -> Result<(), String> {
    eprintln!("==> {program} {}", args.join(" "));
    let status = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("INSTA_UPDATE", "no")
        .env("CARGO_TERM_COLOR", "never")
        .env("RUSTDOCFLAGS", "-D warnings")
        .envs(env.iter().copied())
        .status()
        .map_err(|err| format!("cannot run {program}: {err}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}

/// A new, empty target directory for the dry run of publishing, under `target/publish/`;
/// those of earlier runs are removed.
fn fresh_publish_target(root: &Path) -> Result<std::path::PathBuf, String> {
    let parent = root.join("target").join("publish");
    match std::fs::remove_dir_all(&parent) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(format!("cannot remove {}: {e}", parent.display())),
    }
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    Ok(parent.join(stamp.to_string()))
}

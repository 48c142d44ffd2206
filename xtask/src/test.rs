//! `test`: everything CI checks, in one command, on a fresh clone.

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
    // The crates users install package and build from their tarballs alone.
    step(
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
    )?;
    step("cargo", &["test", "--workspace", "--locked"], &root)?;
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

fn step(program: &str, args: &[&str], dir: &std::path::Path) -> Result<(), String> {
    eprintln!("==> {program} {}", args.join(" "));
    let status = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("INSTA_UPDATE", "no")
        .env("CARGO_TERM_COLOR", "never")
        .env("RUSTDOCFLAGS", "-D warnings")
        .status()
        .map_err(|err| format!("cannot run {program}: {err}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}

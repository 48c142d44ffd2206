//! `apigen`: generate a Rust client crate from an OpenAPI document.

use std::process::ExitCode;

const USAGE: &str = "\
apigen: a typed async Rust client crate from an OpenAPI 3.0/3.1 document (JSON or YAML)

usage:
  apigen generate <SPEC> <OUT_DIR> [--name CRATE] [--settings FILE]
  apigen diff <OLD_SPEC> <NEW_SPEC> [--old-settings FILE] [--new-settings FILE]
  apigen --version

generate  writes a standalone crate to OUT_DIR (only files whose contents changed).
          --name      the crate's name (default: the settings' package.name, else the
                      spec's info.title in kebab case)
          --settings  a codegen.toml of facts the spec states only in prose; default:
                      <SPEC stem>.codegen.toml, else codegen.toml, beside the spec

diff      prints what changed in the generated Rust API from OLD_SPEC to NEW_SPEC, each
          change named in Rust and as the spec says it, classified breaking, additive or
          other for semver, and the version bump that needs (Markdown, for release notes).
          The settings of each are found as for generate, or named.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["generate", rest @ ..] => generate(rest),
        ["diff", rest @ ..] => diff(rest),
        ["--version" | "-V"] => {
            println!("apigen {}", env!("CARGO_PKG_VERSION"));
            Ok(())
        }
        ["--help" | "-h" | "help"] => {
            println!("{USAGE}");
            Ok(())
        }
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

fn generate(args: &[&str]) -> Result<(), String> {
    let args = apigen_cli::GenerateArgs::parse(args).map_err(|err| format!("{err}\n\n{USAGE}"))?;
    apigen_cli::generate(&args, "apigen generate").map(drop)
}

fn diff(args: &[&str]) -> Result<(), String> {
    let args =
        apigen_cli::diff::DiffArgs::parse(args).map_err(|err| format!("{err}\n\n{USAGE}"))?;
    print!("{}", apigen_cli::diff::diff(&args)?);
    Ok(())
}

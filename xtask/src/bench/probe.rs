//! The child process that measures one generation, so that its memory is its own:
//! `bench probe parse <SPEC>` times the bare parse of the spec into a `serde_json::Value`
//! (the parse floor) and reports the resident memory it took; `bench probe generate <SPEC>
//! <SETTINGS|-> <OUT_DIR>` runs the pipeline stage by stage ([`apigen::profile`]), writes the
//! crate, then times `prettyplease::unparse` of its own Rust files (the format floor);
//! `bench probe format <FILE.rs>` takes a Rust file apart the way the format stage sees it
//! (text into a token stream, the stream into a `syn::File`, that into text again) and
//! reports the time and the memory each step adds. Each prints one JSON object on standard
//! output. Peak memory is read per stage from `VmHWM`,
//! reset between stages (Linux).

use std::path::Path;
use std::time::Instant;

use apigen::profile::Stage;

use super::measure::{reset_peak, status_kb};

const USAGE: &str = "usage: cargo xtask bench probe parse <SPEC>
       cargo xtask bench probe generate <SPEC> <SETTINGS|-> <OUT_DIR>
       cargo xtask bench probe format <FILE.rs>";

pub fn run(args: &[&str]) -> Result<(), String> {
    let report = match args {
        ["parse", spec] => parse(Path::new(spec))?,
        ["generate", spec, settings, out] => {
            let settings = (*settings != "-").then(|| Path::new(settings));
            generate(Path::new(spec), settings, Path::new(out))?
        }
        ["format", file] => format(Path::new(file))?,
        _ => return Err(USAGE.to_owned()),
    };
    println!("{report}");
    Ok(())
}

fn kb(field: &str) -> serde_json::Value {
    status_kb(field).map_or(serde_json::Value::Null, serde_json::Value::from)
}

fn parse(spec: &Path) -> Result<serde_json::Value, String> {
    let text = apigen_cli::read(spec)?;
    let before = kb("VmRSS");
    reset_peak();
    let started = Instant::now();
    let tree = apigen::load::parse(&text).map_err(|err| format!("{}: {err}", spec.display()))?;
    let seconds = started.elapsed().as_secs_f64();
    let peak = kb("VmHWM");
    drop(tree);
    Ok(serde_json::json!({ "seconds": seconds, "rss_before_kb": before, "peak_kb": peak }))
}

/// Each step of formatting `file` from tokens: seconds, and the resident kilobytes it
/// added (the rise of the peak over what was held before it).
fn format(file: &Path) -> Result<serde_json::Value, String> {
    let text = apigen_cli::read(file)?;
    let mut steps = Vec::new();
    let mut step = |name: &str, started: Instant, before: Option<u64>| {
        let added = status_kb("VmHWM")
            .zip(before)
            .map(|(peak, before)| peak.saturating_sub(before));
        steps.push(serde_json::json!({
            "step": name,
            "seconds": started.elapsed().as_secs_f64(),
            "added_kb": added,
        }));
    };
    let (before, started) = (rss_and_reset(), Instant::now());
    let tokens: proc_macro2::TokenStream = text.parse().map_err(|err| format!("{err:?}"))?;
    step("text into tokens", started, before);
    let (before, started) = (rss_and_reset(), Instant::now());
    let syntax = syn::parse2::<syn::File>(tokens).map_err(|err| err.to_string())?;
    step("tokens into syn::File (syn::parse2)", started, before);
    let (before, started) = (rss_and_reset(), Instant::now());
    let out = prettyplease::unparse(&syntax);
    step(
        "syn::File into text (prettyplease::unparse)",
        started,
        before,
    );
    let (before, started) = (rss_and_reset(), Instant::now());
    drop(syntax);
    step("syn::File dropped", started, before);
    Ok(serde_json::json!({ "bytes": text.len(), "out_bytes": out.len(), "steps": steps }))
}

/// The resident kilobytes now, with the peak reset to them.
fn rss_and_reset() -> Option<u64> {
    reset_peak();
    status_kb("VmRSS")
}

fn generate(spec: &Path, settings: Option<&Path>, out: &Path) -> Result<serde_json::Value, String> {
    let text = apigen_cli::read(spec)?;
    let settings = match settings {
        Some(path) => apigen_cli::read_settings(path)?,
        None => apigen::Settings::default(),
    };
    let options = apigen::Options {
        settings,
        spec_label: spec.display().to_string(),
        command: "cargo xtask bench".to_owned(),
        manifest: apigen::ManifestMode::Standalone,
        examples: Vec::new(),
    };
    let before = kb("VmRSS");
    let mut stages = Vec::new();
    reset_peak();
    let mut last = Instant::now();
    let generated = apigen_cli::with_spec_files(spec, |files| {
        apigen::profile::generate_observed(&text, Some(files), &options, &mut |stage: Stage| {
            let now = Instant::now();
            stages.push(serde_json::json!({
                "stage": stage.name(),
                "seconds": (now - last).as_secs_f64(),
                "peak_kb": kb("VmHWM"),
            }));
            reset_peak();
            last = Instant::now();
        })
    })
    .map_err(|err| format!("{}: {err}", spec.display()))?;
    let started = Instant::now();
    let _ = std::fs::remove_dir_all(out);
    apigen_cli::sync_dir(out, &generated.files, apigen_cli::Mode::Write)?;
    stages.push(serde_json::json!({
        "stage": "write",
        "seconds": started.elapsed().as_secs_f64(),
        "peak_kb": kb("VmHWM"),
    }));
    let (format_floor, lines) = format_floor(&generated.files)?;
    Ok(serde_json::json!({
        "rss_before_kb": before,
        "stages": stages,
        "format_floor_seconds": format_floor,
        "lines": lines,
        "operations": generated.api.operations.len(),
        "types": generated.api.types.types.len(),
    }))
}

/// Seconds `prettyplease::unparse` takes over the generated Rust files (the runtime's, which
/// are copied as text, left out), and the lines of every Rust file.
fn format_floor(files: &[apigen::File]) -> Result<(f64, usize), String> {
    let mut seconds = 0.0;
    let mut lines = 0;
    for file in files.iter().filter(|f| f.path.ends_with(".rs")) {
        lines += file.contents.lines().count();
        if file.path.starts_with("src/runtime/") {
            continue;
        }
        let syntax =
            syn::parse_file(&file.contents).map_err(|err| format!("{}: {err}", file.path))?;
        let started = Instant::now();
        let text = prettyplease::unparse(&syntax);
        seconds += started.elapsed().as_secs_f64();
        drop(text);
    }
    Ok((seconds, lines))
}

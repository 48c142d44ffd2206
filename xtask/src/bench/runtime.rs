//! Client run time: a harness of our own (`harness/main.rs`, decision 0012) compiled in
//! release against the Baseten SDK in the bench workspace, run once; it interleaves its cases
//! and reports each round's per-call time.

use std::process::Command;

use super::Context;
use super::compile::{self, Workspace};
use super::measure::{self, Summary};

const HARNESS: &str = include_str!("harness/main.rs");
const NAME: &str = "bench-runtime";

fn manifest() -> String {
    format!(
        "# Written by `cargo xtask bench`.\n[package]\nname = \"{NAME}\"\nversion = \"0.0.0\"\n\
         edition = \"2024\"\npublish = false\n\n[dependencies]\n\
         baseten = {{ path = \"../baseten\" }}\n\
         reqwest = {{ version = \"0.13.5\", default-features = false, features = [\"json\"] }}\n\
         serde_json = \"1\"\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt\"] }}\n"
    )
}

/// The section.
pub fn run(ctx: &Context) -> Result<String, String> {
    let ws = Workspace::open(ctx)?;
    compile::copy_sdk(ctx, &ws)?;
    let dir = ws.crate_dir(NAME);
    measure::write_if_changed(&dir.join("Cargo.toml"), manifest().as_bytes())?;
    measure::write_if_changed(&dir.join("src/main.rs"), HARNESS.as_bytes())?;
    ws.write_manifest()?;
    if ctx.args.smoke {
        return Ok(format!(
            "(smoke run: the harness was written to {}, not run)\n",
            dir.display()
        ));
    }
    eprintln!("    cargo build --release -p {NAME}");
    measure::timed(&mut ws.cargo(&["build", "--release", "--quiet", "-p", NAME]))?;
    let bin = ws.dir.join("target/release").join(NAME);
    let stdout = measure::output(&mut Command::new(bin))?;
    let cases: Vec<(String, Option<Summary>)> = stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .map(|v| {
            let rounds: Vec<f64> = v["rounds_ns"].as_array().map_or(Vec::new(), |a| {
                a.iter().filter_map(|x| x.as_f64()).collect()
            });
            (
                v["case"].as_str().unwrap_or("?").to_owned(),
                Summary::of(&rounds),
            )
        })
        .collect();
    Ok(render(&cases))
}

fn render(cases: &[(String, Option<Summary>)]) -> String {
    let mut text = String::from(
        "A harness of our own (`xtask/src/bench/harness/main.rs`; why not criterion: \
         [decision 13](docs/decisions/0013-benchmark-harness.md)), release profile, one \
         current-thread tokio runtime: every case is warmed up, then timed in 21 rounds of a \
         batch of calls, the rounds of all cases interleaved. Microseconds per call: median \
         (min–max) of the rounds. The loopback server is the harness's own (HTTP/1.1, \
         keep-alive, a fixed answer); the generated client and the hand-written calls share one \
         `reqwest::Client` (`ClientBuilder::http_client`), retries off, so the difference is \
         the generated layer alone. The in-memory case sends through `MockTransport`.\n\n\
         | case | µs per call |\n| --- | ---: |\n",
    );
    for (name, summary) in cases {
        let cell = summary.map_or("n/a".to_owned(), |s| {
            Summary {
                median: s.median / 1e3,
                min: s.min / 1e3,
                max: s.max / 1e3,
                count: s.count,
            }
            .show(1)
        });
        text.push_str(&format!("| {name} | {cell} |\n"));
    }
    let find = |prefix: &str| {
        cases
            .iter()
            .find(|(n, _)| n.starts_with(prefix))
            .and_then(|(_, s)| *s)
    };
    text.push_str("\n| ratio | measured | target |\n| --- | ---: | ---: |\n");
    text.push_str(&format!(
        "| one call (`get_model`): client ÷ by hand | {} | ≤ 1.05× |\n",
        measure::ratio(find("get_model, generated"), find("get_model, by hand"))
    ));
    text.push_str(&format!(
        "| 10,000 deployments over loopback: client ÷ by hand | {} | |\n",
        measure::ratio(
            find("list 10,000 deployments, generated"),
            find("list 10,000 deployments, by hand")
        )
    ));
    text.push_str(&format!(
        "| 10,000 deployments decoded: client (in memory) ÷ `serde_json::from_slice` | {} | ≤ 1.10× |\n",
        measure::ratio(find("decode 10,000 deployments, generated"), find("decode 10,000 deployments, serde_json"))
    ));
    text
}

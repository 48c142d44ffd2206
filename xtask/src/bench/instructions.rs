//! Instructions the crate's own `rustc` executes for `cargo check`, counted by
//! `valgrind --tool=callgrind`: the one compile-time figure that other builds on the machine
//! do not disturb. Each crate's `rustc` command line is the one `cargo check -vv` prints
//! (its environment included), run again under callgrind with its own output directory, so
//! the workspace's artifacts are left as they are.

use std::path::Path;
use std::process::Command;

use super::Context;
use super::compile::{self, Workspace};

/// Our nexus crate and progenitor's, as the compile section names them.
const OURS: &str = "nexus-ours";
const PROGENITOR: &str = "nexus-progenitor";

/// The section: instructions of `cargo check` for ours and progenitor's nexus crate.
pub fn run(ctx: &Context) -> Result<String, String> {
    let ws = Workspace::open(ctx)?;
    if ctx.args.smoke {
        // The harness only: nothing is compiled, nothing counted.
        return Ok(render(&[]));
    }
    if Command::new("valgrind").arg("--version").output().is_err() {
        return Err("valgrind is not installed".to_owned());
    }
    let spec = ctx.root.join(compile::NEXUS);
    compile::generate_ours(ctx, &ws, &spec, None, OURS)?;
    compile::generate_progenitor(ctx, &ws, &spec, PROGENITOR, "positional")?;
    let mut counts = Vec::new();
    for name in [OURS, PROGENITOR] {
        ws.warm(&[name.to_owned()], compile::Mode::Check)?;
        let line = rustc_line(&ws, name)?;
        eprintln!("    callgrind: rustc of {name} (cargo check)");
        counts.push((name, instructions(ctx, &ws, name, &line)?));
    }
    Ok(render(&counts))
}

/// The `rustc` command of `cargo check --lib -p <name>`, with its environment, as
/// `cargo check -vv` prints it after the crate's `lib.rs` is touched.
fn rustc_line(ws: &Workspace, name: &str) -> Result<String, String> {
    super::measure::touch(&ws.crate_dir(name).join("src/lib.rs"))?;
    let output = ws
        .cargo(&["check", "--lib", "-vv", "-p", name])
        .output()
        .map_err(|err| format!("cannot run cargo: {err}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let wanted = format!("--crate-name {} ", name.replace('-', "_"));
    stderr
        .lines()
        .filter_map(|line| line.trim().strip_prefix("Running `"))
        .filter_map(|line| line.strip_suffix('`'))
        .find(|line| line.contains(&wanted))
        .map(str::to_owned)
        .ok_or_else(|| format!("`cargo check -vv -p {name}` printed no rustc command for it"))
}

/// `line` with `valgrind --tool=callgrind` before its `rustc` and `out_dir` as its
/// `--out-dir`; `None` when it is not a `rustc` command line.
fn under_callgrind(line: &str, callgrind_out: &Path, out_dir: &Path) -> Option<String> {
    let crate_name = line.find(" --crate-name ")?;
    let rustc = line[..crate_name].rfind(' ').map_or(0, |space| space + 1);
    let (env, command) = line.split_at(rustc);
    let at = command.find("--out-dir ")? + "--out-dir ".len();
    let end = command[at..].find(' ').map_or(command.len(), |e| at + e);
    Some(format!(
        "{env}valgrind --tool=callgrind --callgrind-out-file={} {}{}{}",
        callgrind_out.display(),
        &command[..at],
        out_dir.display(),
        &command[end..]
    ))
}

/// Runs `line` under callgrind and returns the instructions it collected.
fn instructions(ctx: &Context, ws: &Workspace, name: &str, line: &str) -> Result<u64, String> {
    let dir = ctx.dir("callgrind").join(name);
    std::fs::create_dir_all(&dir).map_err(|err| format!("{}: {err}", dir.display()))?;
    let command = under_callgrind(line, &dir.join("callgrind.out"), &dir)
        .ok_or_else(|| format!("not a rustc command line: {line}"))?;
    let output = Command::new("sh")
        .arg("-c")
        .arg(&command)
        .current_dir(&ws.dir)
        .output()
        .map_err(|err| format!("cannot run sh: {err}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    collected(&stderr).ok_or_else(|| {
        format!(
            "callgrind of {name} counted nothing ({}): {}",
            output.status,
            stderr.lines().last().unwrap_or("")
        )
    })
}

/// The count of callgrind's `==123== Collected : 17770858964` line.
fn collected(stderr: &str) -> Option<u64> {
    stderr
        .lines()
        .find_map(|line| line.split_once("Collected :"))
        .and_then(|(_, count)| count.trim().parse().ok())
}

fn render(counts: &[(&str, u64)]) -> String {
    let mut text = format!(
        "Instructions executed by the `rustc` of crate-only `cargo check --lib` (the command \
         line `cargo check -vv` prints, run again under `valgrind --tool=callgrind`), one run \
         each: the count does not depend on the load. Target: ours ≤ 0.70 × progenitor's \
         (`{PROGENITOR}`, progenitor 0.15.1, `--interface positional`).\n\n\
         | crate | instructions | ÷ progenitor's |\n| --- | ---: | ---: |\n"
    );
    let theirs = counts
        .iter()
        .find(|(name, _)| *name == PROGENITOR)
        .map(|(_, count)| *count as f64);
    for (name, count) in counts {
        let ratio = theirs.map_or("n/a".to_owned(), |t| format!("{:.2}×", *count as f64 / t));
        text.push_str(&format!(
            "| `{name}` | {:.2} G | {ratio} |\n",
            *count as f64 / 1e9
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valgrind_goes_between_the_environment_and_rustc_with_its_own_out_dir() {
        let line = "CARGO_PKG_DESCRIPTION='a b c' CARGO_PKG_NAME=x /t/bin/rustc --crate-name x \
                    src/lib.rs --out-dir /ws/target/debug/deps -L dependency=/ws/target/debug/deps";
        let spliced =
            under_callgrind(line, Path::new("/o/cg.out"), Path::new("/o")).expect("rustc");
        assert_eq!(
            spliced,
            "CARGO_PKG_DESCRIPTION='a b c' CARGO_PKG_NAME=x valgrind --tool=callgrind \
             --callgrind-out-file=/o/cg.out /t/bin/rustc --crate-name x src/lib.rs --out-dir /o \
             -L dependency=/ws/target/debug/deps"
        );
        assert_eq!(
            under_callgrind("ls -l", Path::new("/o/f"), Path::new("/o")),
            None
        );
    }

    #[test]
    fn the_collected_count_is_read_from_callgrinds_summary() {
        let stderr = "==1== Events    : Ir\n==1== Collected : 17770858964\n==1==\n";
        assert_eq!(collected(stderr), Some(17_770_858_964));
        assert_eq!(collected("no summary"), None);
    }
}

//! `BENCHMARKS.md`: each section's tables between its markers, with the machine, toolchain,
//! load and command of the run that measured them; text outside the markers is kept.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use super::{Context, Section};

/// What the report says about the machine and the run.
#[derive(Debug, Clone)]
pub struct Machine {
    pub cpu: String,
    pub cores: usize,
    pub memory: String,
    pub rustc: String,
    pub revision: String,
    /// The load averages (1, 5, 15 minutes) when the run started.
    pub load: String,
}

impl Machine {
    pub fn collect(ctx: &Context) -> Machine {
        Machine {
            cpu: cpu_model(),
            cores: std::thread::available_parallelism().map_or(1, usize::from),
            memory: total_memory(),
            rustc: first_line("rustc", &["--version"], &ctx.root),
            revision: revision(&ctx.root),
            load: load_average(),
        }
    }

    pub fn describe(&self) -> String {
        format!(
            "{} ({} cores, {}), {}, commit {}, load average {}",
            self.cpu, self.cores, self.memory, self.rustc, self.revision, self.load
        )
    }
}

fn cpu_model() -> String {
    fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, name)| name.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned())
}

fn total_memory() -> String {
    fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
            let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(format!("{} GiB", (kb + 512 * 1024) / (1024 * 1024)))
        })
        .unwrap_or_else(|| "unknown memory".to_owned())
}

/// The 1, 5 and 15-minute load averages (Linux), or `unknown`.
pub fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The commit measured, and whether tracked files other than `BENCHMARKS.md` differ from it
/// (then the measured code is not that commit's).
fn revision(dir: &Path) -> String {
    let commit = first_line("git", &["rev-parse", "--short", "HEAD"], dir);
    let changed = Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=no"])
        .current_dir(dir)
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .is_some_and(|status| status.lines().any(|l| !l.ends_with("BENCHMARKS.md")));
    match changed {
        true => format!("{commit} with uncommitted changes"),
        false => commit,
    }
}

fn first_line(program: &str, args: &[&str], dir: &Path) -> String {
    Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.lines().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".to_owned())
}

fn start_marker(section: Section) -> String {
    format!("<!-- bench:{} -->", section.name())
}

fn end_marker(section: Section) -> String {
    format!("<!-- /bench:{} -->", section.name())
}

/// Writes each section's body between its markers in the report at `path`, keeping
/// everything else; a section without markers yet is appended.
pub fn write(
    path: &Path,
    machine: &Machine,
    command: &str,
    sections: &[(Section, String, Duration)],
) -> Result<(), String> {
    let mut text = fs::read_to_string(path).unwrap_or_else(|_| "# Benchmarks\n".to_owned());
    for (section, body, took) in sections {
        let block = format!(
            "{}\n_Measured by `{command}` on {}; load average {} at the start of the run, {} \
             when this section ended ({:.0} s)._\n\n{}\n{}",
            start_marker(*section),
            machine_line(machine),
            machine.load,
            load_average(),
            took.as_secs_f64(),
            body.trim_end(),
            end_marker(*section)
        );
        text = replace_block(&text, *section, &block);
    }
    super::measure::write_if_changed(path, text.as_bytes())
}

fn machine_line(machine: &Machine) -> String {
    format!(
        "{}, {} cores, {}, {}, commit {}",
        machine.cpu, machine.cores, machine.memory, machine.rustc, machine.revision
    )
}

/// `text` with the block of `section` (markers included) replaced by `block`, or with
/// `block` appended under a heading when the markers are missing.
fn replace_block(text: &str, section: Section, block: &str) -> String {
    let (start, end) = (start_marker(section), end_marker(section));
    match (text.find(&start), text.find(&end)) {
        (Some(s), Some(e)) if s < e => {
            format!("{}{block}{}", &text[..s], &text[e + end.len()..])
        }
        _ => format!("{}\n\n## {}\n\n{block}\n", text.trim_end(), section.name()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_is_replaced_between_its_markers_and_the_rest_kept() {
        let text = "# B\n\nintro\n<!-- bench:compile -->\nold\n<!-- /bench:compile -->\nnotes\n";
        let out = replace_block(
            text,
            Section::Compile,
            "<!-- bench:compile -->\nnew\n<!-- /bench:compile -->",
        );
        assert_eq!(
            out,
            "# B\n\nintro\n<!-- bench:compile -->\nnew\n<!-- /bench:compile -->\nnotes\n"
        );
        let appended = replace_block(
            "# B\n",
            Section::Runtime,
            "<!-- bench:runtime -->x<!-- /bench:runtime -->",
        );
        assert!(
            appended.ends_with("## runtime\n\n<!-- bench:runtime -->x<!-- /bench:runtime -->\n")
        );
    }
}

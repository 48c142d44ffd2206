//! Measuring: medians with their extremes, the wall and CPU time of a child process, and
//! the process's peak memory.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Instant, SystemTime};

/// The median of some measurements, with the smallest and the largest.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub median: f64,
    pub min: f64,
    pub max: f64,
    pub count: usize,
}

impl Summary {
    /// `None` for no values; the median of an even count is the mean of the middle two.
    pub fn of(values: &[f64]) -> Option<Summary> {
        if values.is_empty() {
            return None;
        }
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let median = match n % 2 {
            1 => sorted[n / 2],
            _ => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
        };
        Some(Summary {
            median,
            min: sorted[0],
            max: sorted[n - 1],
            count: n,
        })
    }

    /// `12.3 (12.1–13.0)` with `digits` decimals; the range only for more than one value.
    pub fn show(&self, digits: usize) -> String {
        match self.count {
            1 => format!("{:.digits$}", self.median),
            _ => format!(
                "{:.digits$} ({:.digits$}–{:.digits$})",
                self.median, self.min, self.max
            ),
        }
    }
}

/// `a / b` as `0.83×`, or `n/a`.
pub fn ratio(a: Option<Summary>, b: Option<Summary>) -> String {
    ratio_of(a.map(|s| s.median), b.map(|s| s.median))
}

/// `a ÷ b` as `0.64×`, or `n/a`.
pub fn ratio_of(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => format!("{:.2}×", a / b),
        _ => "n/a".to_owned(),
    }
}

/// One timed run of a child process.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    /// Wall time, seconds.
    pub wall: f64,
    /// User plus system CPU time of the child and the processes it waited for, seconds.
    pub cpu: f64,
}

/// Runs `command` to its end, failing with its output if it fails; returns its times.
pub fn timed(command: &mut Command) -> Result<Sample, String> {
    timed_output(command).map(|(sample, _)| sample)
}

/// Like [`timed`], with the command's standard output.
pub fn timed_output(command: &mut Command) -> Result<(Sample, String), String> {
    let cpu_before = children_cpu();
    let started = Instant::now();
    let output = command
        .output()
        .map_err(|err| format!("cannot run {command:?}: {err}"))?;
    let wall = started.elapsed().as_secs_f64();
    let cpu = children_cpu() - cpu_before;
    if !output.status.success() {
        return Err(format!(
            "{command:?} failed ({}):\n{}{}",
            output.status,
            tail(&String::from_utf8_lossy(&output.stdout), 40),
            tail(&String::from_utf8_lossy(&output.stderr), 40)
        ));
    }
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    Ok((Sample { wall, cpu }, stdout))
}

/// Runs `command`, failing with its output if it fails; returns its standard output.
pub fn output(command: &mut Command) -> Result<String, String> {
    let output = command
        .output()
        .map_err(|err| format!("cannot run {command:?}: {err}"))?;
    if !output.status.success() {
        return Err(format!(
            "{command:?} failed ({}):\n{}",
            output.status,
            tail(&String::from_utf8_lossy(&output.stderr), 40)
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The last `lines` lines of `text`.
fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    let start = all.len().saturating_sub(lines);
    all[start..].iter().map(|l| format!("{l}\n")).collect()
}

/// CPU seconds (user and system) of the children this process has waited for, from
/// `/proc/self/stat` (Linux; 0 elsewhere).
fn children_cpu() -> f64 {
    let Ok(stat) = fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // The command name (field 2) is in parentheses and may hold spaces: count after it.
    let Some((_, after)) = stat.rsplit_once(')') else {
        return 0.0;
    };
    let fields: Vec<&str> = after.split_whitespace().collect();
    // Fields 16 and 17 of the file (cutime, cstime) are 13 and 14 after the name.
    let ticks: f64 = [13, 14]
        .iter()
        .filter_map(|&i| fields.get(i)?.parse::<f64>().ok())
        .sum();
    ticks / clock_ticks()
}

/// The kernel's clock ticks per second (`getconf CLK_TCK`), 100 if unknown.
fn clock_ticks() -> f64 {
    static TICKS: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(100.0)
    })
}

/// Sets the modification time of `path` to now, so that cargo rebuilds its crate.
pub fn touch(path: &Path) -> Result<(), String> {
    let file = fs::OpenOptions::new()
        .append(true)
        .open(path)
        .map_err(|err| format!("{}: {err}", path.display()))?;
    file.set_modified(SystemTime::now())
        .map_err(|err| format!("{}: {err}", path.display()))
}

/// Every file under `dir` whose name ends with `.ext`, sorted.
pub fn files_with_ext(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let Ok(entries) = fs::read_dir(&current) else {
            continue;
        };
        for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == ext) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// Copies the directory `from` to `to`, leaving out `target/`.
pub fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    fs::create_dir_all(to).map_err(|err| format!("{}: {err}", to.display()))?;
    let entries = fs::read_dir(from).map_err(|err| format!("{}: {err}", from.display()))?;
    for entry in entries {
        let path = entry.map_err(|err| err.to_string())?.path();
        let Some(name) = path.file_name() else {
            continue;
        };
        if path.is_dir() {
            if name != "target" {
                copy_dir(&path, &to.join(name))?;
            }
        } else {
            write_if_changed(&to.join(name), &fs::read(&path).map_err(|e| e.to_string())?)?;
        }
    }
    Ok(())
}

/// Writes `contents` to `path` (creating its directory) unless it already holds them, so
/// that cargo sees no change where there is none.
pub fn write_if_changed(path: &Path, contents: &[u8]) -> Result<(), String> {
    if fs::read(path).is_ok_and(|old| old == contents) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|err| format!("{}: {err}", parent.display()))?;
    }
    fs::write(path, contents).map_err(|err| format!("{}: {err}", path.display()))
}

/// A field of `/proc/self/status` in kilobytes (`VmHWM`, `VmRSS`); Linux only.
pub fn status_kb(field: &str) -> Option<u64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status
        .lines()
        .find(|l| l.strip_prefix(field).is_some_and(|r| r.starts_with(':')))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Resets this process's peak resident memory to its current size (Linux: writing `5` to
/// `/proc/self/clear_refs`); false where that is not possible.
pub fn reset_peak() -> bool {
    fs::write("/proc/self/clear_refs", "5").is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_take_the_median_and_extremes() {
        let s = Summary::of(&[3.0, 1.0, 2.0]).expect("values");
        assert_eq!((s.median, s.min, s.max), (2.0, 1.0, 3.0));
        assert_eq!(
            Summary::of(&[1.0, 2.0, 4.0, 3.0]).map(|s| s.median),
            Some(2.5)
        );
        assert_eq!(Summary::of(&[]), None);
        assert_eq!(s.show(1), "2.0 (1.0–3.0)");
        assert_eq!(
            Summary::of(&[2.0]).map(|s| s.show(2)).as_deref(),
            Some("2.00")
        );
        assert_eq!(ratio(Summary::of(&[1.0]), Summary::of(&[4.0])), "0.25×");
        assert_eq!(ratio(None, Summary::of(&[4.0])), "n/a");
    }

    #[test]
    fn a_child_s_cpu_time_is_counted() {
        let sample = timed(
            Command::new("sh").args(["-c", "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done"]),
        );
        let sample = sample.expect("sh runs");
        assert!(sample.wall > 0.0);
        assert!(timed(&mut Command::new("false")).is_err());
    }
}

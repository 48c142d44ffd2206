//! `fuzz-worker`: runs a range of cases in this process, under a memory limit, and reports on
//! standard output, one line per event, to the `fuzz` command that started it:
//!
//! ```text
//! progress 1200            every case before 1200 has run
//! slow 1234 1530 ms of CPU time (1900 ms)   case 1234 took that long
//! panic 1240 <message>     case 1240 panicked (caught; the worker goes on)
//! internal 1250 <message>  case 1250 generated code that does not parse
//! done 81234 950 250       the range is done: peak RSS 81234 KiB, 950 errors, 250 generated
//! ```
//!
//! A case that aborts the process (memory exhausted under the limit, a stack overflow) or
//! hangs leaves the last `progress` line as the place to look from.

use std::io::Write;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use apigen::{ManifestMode, Options, Settings};

use super::cases::{self, Seed};

/// Every this many cases, a `progress` line.
const PROGRESS_EVERY: u64 = 100;

/// A case that takes more CPU time than this is reported. CPU time (of this thread, user and
/// system), not wall time: other jobs on the machine must not make a case look slow.
pub const SLOW: Duration = Duration::from_secs(1);

/// The CPU time this thread has used.
pub fn cpu_time() -> Duration {
    use nix::sys::resource::{UsageWho, getrusage};
    let Ok(usage) = getrusage(UsageWho::RUSAGE_THREAD) else {
        return Duration::ZERO;
    };
    let micros = |t: nix::sys::time::TimeVal| {
        Duration::from_secs(t.tv_sec().max(0) as u64)
            + Duration::from_micros(t.tv_usec().max(0) as u64)
    };
    micros(usage.user_time()) + micros(usage.system_time())
}

/// The options every case is generated with.
pub fn options() -> Options {
    let mut settings = Settings::default();
    settings.package.name = Some("fuzz-case".to_owned());
    Options {
        settings,
        spec_label: "fuzz-case.yaml".to_owned(),
        command: "cargo xtask fuzz".to_owned(),
        manifest: ManifestMode::WorkspaceMember,
        examples: Vec::new(),
    }
}

/// What one case gave.
pub enum Outcome {
    /// A crate.
    Generated(Box<apigen::Generated>),
    /// A clear error.
    Refused,
    /// The generator made code that does not parse (its own bug).
    Internal(String),
    /// A panic, with its message.
    Panic(String),
}

/// Runs one case, catching a panic; the panic's message is kept, not printed.
pub fn run_case(bytes: &[u8], options: &Options, last_panic: &Mutex<String>) -> Outcome {
    let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
        apigen::generate_bytes(bytes, None, options)
    }));
    match result {
        Ok(Ok(generated)) => Outcome::Generated(Box::new(generated)),
        Ok(Err(apigen::Error::Internal(message))) => Outcome::Internal(message),
        Ok(Err(_)) => Outcome::Refused,
        Err(_) => Outcome::Panic(
            last_panic
                .lock()
                .map(|m| m.clone())
                .unwrap_or_else(|_| "a panic".to_owned()),
        ),
    }
}

/// A panic hook that keeps the message (with its location) for [`run_case`].
pub fn capture_panics() -> Arc<Mutex<String>> {
    let last = Arc::new(Mutex::new(String::new()));
    let keep = Arc::clone(&last);
    std::panic::set_hook(Box::new(move |info| {
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let payload = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        if let Ok(mut slot) = keep.lock() {
            *slot = format!("{payload}{location}").replace('\n', " ");
        }
    }));
    last
}

/// The number after `name` in `args`.
fn number(args: &[&str], name: &str) -> Result<u64, String> {
    let at = args
        .iter()
        .position(|a| *a == name)
        .ok_or(format!("{name} is needed"))?;
    args.get(at + 1)
        .and_then(|v| v.parse().ok())
        .ok_or(format!("{name} needs a number"))
}

/// `fuzz-case --seed S --index I [--out FILE]`: prints how case `I` was made, runs it and
/// prints the outcome and time; with `--out`, writes its bytes to FILE.
pub fn show(args: &[&str]) -> Result<(), String> {
    let (seed, index) = (number(args, "--seed")?, number(args, "--index")?);
    let seeds = cases::load_seeds(&cases::seeds_root());
    let case = cases::case(&seeds, seed, index);
    println!(
        "case {index} of seed {seed}: {} ({} bytes)",
        case.label,
        case.bytes.len()
    );
    if let Some(at) = args.iter().position(|a| *a == "--out") {
        let path = args.get(at + 1).ok_or("--out needs a file")?;
        std::fs::write(path, &case.bytes).map_err(|err| format!("{path}: {err}"))?;
    }
    let last_panic = capture_panics();
    let (start, cpu_start) = (Instant::now(), cpu_time());
    let outcome = run_case(&case.bytes, &options(), &last_panic);
    let cpu = cpu_time().saturating_sub(cpu_start);
    let what = match outcome {
        Outcome::Generated(g) => format!("generated, {} warnings", g.warnings.len()),
        Outcome::Refused => "refused".to_owned(),
        Outcome::Internal(m) => format!("internal error: {}", first_line(&m)),
        Outcome::Panic(m) => format!("panic: {m}"),
    };
    println!(
        "{what} in {} ms ({} ms of CPU time)",
        start.elapsed().as_millis(),
        cpu.as_millis()
    );
    Ok(())
}

/// `fuzz-worker --seed S --from A --to B --memory-mib M`.
pub fn run(args: &[&str]) -> Result<(), String> {
    let get = |name: &str| number(args, name);
    let (seed, from, to, memory) = (
        get("--seed")?,
        get("--from")?,
        get("--to")?,
        get("--memory-mib")?,
    );
    limit_memory(memory)?;
    let seeds = cases::load_seeds(&cases::seeds_root());
    let last_panic = capture_panics();
    let options = options();
    let (mut generated, mut refused) = (0u64, 0u64);
    let mut out = std::io::stdout().lock();
    for index in from..to {
        run_one(
            &seeds,
            seed,
            index,
            &options,
            &last_panic,
            &mut out,
            &mut generated,
            &mut refused,
        )?;
        if (index + 1) % PROGRESS_EVERY == 0 {
            line(&mut out, &format!("progress {}", index + 1))?;
        }
    }
    let peak = peak_rss_kib().unwrap_or(0);
    line(&mut out, &format!("done {peak} {refused} {generated}"))
}

#[allow(clippy::too_many_arguments)] // the counters and the output of one loop
fn run_one(
    seeds: &[Seed],
    seed: u64,
    index: u64,
    options: &Options,
    last_panic: &Mutex<String>,
    out: &mut impl Write,
    generated: &mut u64,
    refused: &mut u64,
) -> Result<(), String> {
    let case = cases::case(seeds, seed, index);
    let (start, cpu_start) = (Instant::now(), cpu_time());
    let outcome = run_case(&case.bytes, options, last_panic);
    let (elapsed, cpu) = (start.elapsed(), cpu_time().saturating_sub(cpu_start));
    drop(case);
    match outcome {
        Outcome::Generated(_) => *generated += 1,
        Outcome::Refused => *refused += 1,
        Outcome::Internal(message) => {
            line(out, &format!("internal {index} {}", first_line(&message)))?
        }
        Outcome::Panic(message) => line(out, &format!("panic {index} {message}"))?,
    }
    if cpu > SLOW {
        let (cpu, wall) = (cpu.as_millis(), elapsed.as_millis());
        line(
            out,
            &format!("slow {index} {cpu} ms of CPU time ({wall} ms)"),
        )?;
    }
    Ok(())
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

fn line(out: &mut impl Write, text: &str) -> Result<(), String> {
    writeln!(out, "{text}")
        .and_then(|()| out.flush())
        .map_err(|err| format!("cannot report to the fuzz command: {err}"))
}

/// Limits this process's address space, so that a case that needs more memory aborts the
/// worker (which the `fuzz` command reports) instead of exhausting the machine.
fn limit_memory(mib: u64) -> Result<(), String> {
    let bytes = mib * 1024 * 1024;
    nix::sys::resource::setrlimit(nix::sys::resource::Resource::RLIMIT_AS, bytes, bytes)
        .map_err(|err| format!("cannot limit memory to {mib} MiB: {err}"))
}

/// The most memory this process has held (`VmHWM`, Linux).
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

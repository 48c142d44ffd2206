//! `fuzz`: feeds the generator inputs it was never meant to see, and holds it to ending each
//! one with code or a clear error, quickly and in bounded memory.
//!
//! The cases are numbered and made from the number alone ([`cases`]): raw bytes, mutated
//! texts and mutated trees of the seed specs. Worker processes (`fuzz-worker`, see
//! [`worker`]) run ranges of cases with their address space limited (1 GiB by default) and
//! report panics, internal errors and cases slower than a second; this command watches them.
//! A worker that dies (memory exhausted, stack overflow) or stays silent for a minute (a
//! hang) is replaced, and the cases since its last report are run one by one, each in its
//! own worker, to find the one to blame. Each finding is written to `target/fuzz/findings/`
//! (the input, and a note of what happened); turn it into a regression fixture in
//! `tests/fixtures/fuzz-regressions/` once fixed. `--compile N` instead checks that the
//! output of mutated specs compiles ([`compile`]).
//!
//! ```text
//! cargo xtask fuzz [--execs N] [--seed S] [--from I] [--jobs J] [--memory-mib M] [--release-note]
//! cargo xtask fuzz --ci              # 1,500 cases, seed 1: a regression run for CI
//! cargo xtask fuzz --compile 1000    # the output of 1,000 mutated specs, cargo-checked
//! ```

mod cases;
mod compile;
mod mutate;
pub mod worker;

use std::collections::VecDeque;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::codegen::workspace_root;

const USAGE: &str = "usage: cargo xtask fuzz [--execs N] [--seed S] [--from I] [--jobs J] \
                     [--chunk C] [--memory-mib M] [--ci] | --compile N [--seed S]";

/// Where the log, the summary and the findings go, relative to the workspace root.
const OUT: &str = "target/fuzz";
/// A worker silent for this long is hung.
const HANG: Duration = Duration::from_secs(60);

/// The command line.
#[derive(Debug, Clone)]
struct Args {
    execs: u64,
    seed: u64,
    from: u64,
    jobs: usize,
    chunk: u64,
    memory_mib: u64,
    ci: bool,
    compile: Option<u64>,
}

impl Args {
    fn parse(args: &[&str]) -> Result<Args, String> {
        let mut parsed = Args {
            execs: 20_000,
            seed: 1,
            from: 0,
            jobs: 1,
            chunk: 5_000,
            memory_mib: 1024,
            ci: false,
            compile: None,
        };
        let mut rest = args.iter();
        while let Some(arg) = rest.next() {
            let mut number = || -> Result<u64, String> {
                rest.next()
                    .and_then(|v| v.replace('_', "").parse().ok())
                    .ok_or(format!("{arg} needs a number\n{USAGE}"))
            };
            match *arg {
                "--execs" => parsed.execs = number()?,
                "--seed" => parsed.seed = number()?,
                "--from" => parsed.from = number()?,
                "--jobs" => parsed.jobs = number()?.max(1) as usize,
                "--chunk" => parsed.chunk = number()?.max(1),
                "--memory-mib" => parsed.memory_mib = number()?,
                "--compile" => parsed.compile = Some(number()?),
                "--ci" => {
                    parsed.ci = true;
                    parsed.execs = 1_500;
                    parsed.chunk = 250;
                    parsed.jobs = 2;
                }
                other => return Err(format!("unknown argument {other}\n{USAGE}")),
            }
        }
        Ok(parsed)
    }
}

/// `cargo xtask fuzz …`.
pub fn run(args: &[&str]) -> Result<(), String> {
    let args = Args::parse(args)?;
    let root = workspace_root();
    let out = root.join(OUT);
    fs::create_dir_all(out.join("findings")).map_err(|err| format!("{OUT}: {err}"))?;
    if let Some(count) = args.compile {
        return compile::run(&root, args.seed, count);
    }
    let seeds = cases::load_seeds(&cases::seeds_root());
    let mut log = Log::open(&out.join("fuzz.log"))?;
    log.line(&format!(
        "fuzz: seed {}, cases {}..{}, {} worker(s), {} MiB each, {} seed specs",
        args.seed,
        args.from,
        args.from + args.execs,
        args.jobs,
        args.memory_mib,
        seeds.len()
    ));
    let state = Arc::new(Mutex::new(State::new(&args)));
    let start = Instant::now();
    let workers: Vec<_> = (0..args.jobs)
        .map(|_| {
            let (state, args) = (Arc::clone(&state), args.clone());
            std::thread::spawn(move || work(&state, &args))
        })
        .collect();
    monitor(&state, &mut log, start, &workers);
    for worker in workers {
        let _ = worker.join();
    }
    let state = state
        .lock()
        .map_err(|_| "a fuzz thread panicked".to_owned())?;
    finish(&state, &seeds, &args, &out, &mut log, start.elapsed())
}

/// What the workers have found so far, and the ranges still to run.
#[derive(Debug)]
struct State {
    pending: VecDeque<(u64, u64)>,
    done: u64,
    refused: u64,
    generated: u64,
    peak_kib: u64,
    findings: Vec<Finding>,
    busy: usize,
}

impl State {
    fn new(args: &Args) -> State {
        let mut pending = VecDeque::new();
        let end = args.from + args.execs;
        let mut at = args.from;
        while at < end {
            let next = (at + args.chunk).min(end);
            pending.push_back((at, next));
            at = next;
        }
        State {
            pending,
            done: 0,
            refused: 0,
            generated: 0,
            peak_kib: 0,
            findings: Vec::new(),
            busy: 0,
        }
    }
}

/// One input to look at.
#[derive(Debug, Clone)]
struct Finding {
    index: u64,
    kind: &'static str,
    detail: String,
}

/// A thread that runs ranges in worker processes until none is left.
fn work(state: &Mutex<State>, args: &Args) {
    loop {
        let Some(range) = take(state) else { return };
        run_range(state, args, range);
        if let Ok(mut s) = state.lock() {
            s.busy -= 1;
        }
    }
}

fn take(state: &Mutex<State>) -> Option<(u64, u64)> {
    let mut s = state.lock().ok()?;
    let range = s.pending.pop_front()?;
    s.busy += 1;
    Some(range)
}

/// How a worker's run of a range ended.
enum Ended {
    /// Every case ran.
    Done,
    /// It died or hung; every case before `resume` had run.
    Failed {
        resume: u64,
        how: String,
        hung: bool,
    },
}

/// Runs `from..to`; after a death or a hang, finds the case to blame one case at a time and
/// goes on after it.
fn run_range(state: &Mutex<State>, args: &Args, (from, to): (u64, u64)) {
    let mut from = from;
    while from < to {
        match run_worker(state, args, from, to) {
            Ended::Done => return,
            Ended::Failed { resume, .. } => {
                from = blame(state, args, resume, to);
            }
        }
    }
}

/// Runs the cases from `from` alone until one dies or hangs, records it, and returns the
/// case after it (or `to`, if none fails alone).
fn blame(state: &Mutex<State>, args: &Args, from: u64, to: u64) -> u64 {
    for index in from..to {
        if let Ended::Failed { how, hung, .. } = run_worker(state, args, index, index + 1) {
            record(
                state,
                Finding {
                    index,
                    kind: if hung { "hang" } else { "died" },
                    detail: how,
                },
            );
            return index + 1;
        }
    }
    to
}

fn record(state: &Mutex<State>, finding: Finding) {
    eprintln!(
        "finding: case {} {}: {}",
        finding.index, finding.kind, finding.detail
    );
    if let Ok(mut s) = state.lock() {
        s.findings.push(finding);
    }
}

/// One worker process over `from..to`, its reports read as they come.
fn run_worker(state: &Mutex<State>, args: &Args, from: u64, to: u64) -> Ended {
    let exe = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("xtask"));
    let spawned = Command::new(exe)
        .args(["fuzz-worker", "--seed", &args.seed.to_string()])
        .args(["--from", &from.to_string(), "--to", &to.to_string()])
        .args(["--memory-mib", &args.memory_mib.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(err) => {
            return Ended::Failed {
                resume: to,
                how: format!("cannot start a worker: {err}"),
                hung: false,
            };
        }
    };
    let lines = read_lines(&mut child);
    let mut resume = from;
    loop {
        match lines.recv_timeout(HANG) {
            Ok(text) => match report(state, &text, &mut resume, to) {
                Some(()) => {
                    let _ = child.wait();
                    return Ended::Done;
                }
                None => continue,
            },
            Err(RecvTimeoutError::Timeout) => {
                let _ = child.kill();
                let _ = child.wait();
                return Ended::Failed {
                    resume,
                    how: format!("no report for {} s", HANG.as_secs()),
                    hung: true,
                };
            }
            Err(RecvTimeoutError::Disconnected) => {
                let status = child.wait().map(|s| s.to_string()).unwrap_or_default();
                let stderr = stderr_tail(&mut child);
                return Ended::Failed {
                    resume,
                    how: format!("the worker ended ({status}) {stderr}"),
                    hung: false,
                };
            }
        }
    }
}

/// The worker's standard output, line by line, on a channel (so that silence can time out).
fn read_lines(child: &mut Child) -> mpsc::Receiver<String> {
    let (send, receive) = mpsc::channel();
    if let Some(stdout) = child.stdout.take() {
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    return;
                }
            }
        });
    }
    receive
}

fn stderr_tail(child: &mut Child) -> String {
    let mut text = String::new();
    if let Some(mut stderr) = child.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut stderr, &mut text);
    }
    let tail: Vec<&str> = text.lines().rev().take(3).collect();
    tail.into_iter().rev().collect::<Vec<_>>().join(" | ")
}

/// Takes one report line into the state; `Some` when the range (up to `to`) is done.
fn report(state: &Mutex<State>, text: &str, resume: &mut u64, to: u64) -> Option<()> {
    let mut words = text.splitn(3, ' ');
    let (kind, first, rest) = (words.next()?, words.next(), words.next().unwrap_or(""));
    let number = first.and_then(|w| w.parse::<u64>().ok());
    let mut s = state.lock().ok()?;
    match (kind, number) {
        ("progress", Some(next)) => {
            s.done += next - *resume;
            *resume = next;
        }
        ("done", Some(peak)) => {
            let mut counts = rest.split(' ').filter_map(|w| w.parse::<u64>().ok());
            s.refused += counts.next().unwrap_or(0);
            s.generated += counts.next().unwrap_or(0);
            s.peak_kib = s.peak_kib.max(peak);
            s.done += to - *resume;
            *resume = to;
            return Some(());
        }
        ("slow" | "panic" | "internal", Some(index)) => {
            let kind = match kind {
                "slow" => "slow",
                "panic" => "panic",
                _ => "internal",
            };
            eprintln!("finding: case {index} {kind}: {rest}");
            s.findings.push(Finding {
                index,
                kind,
                detail: rest.to_owned(),
            });
        }
        _ => {}
    }
    None
}

/// Prints a status line every half minute until the workers are done.
fn monitor<T>(
    state: &Mutex<State>,
    log: &mut Log,
    start: Instant,
    workers: &[std::thread::JoinHandle<T>],
) {
    let mut last = Instant::now();
    while workers.iter().any(|w| !w.is_finished()) {
        std::thread::sleep(Duration::from_millis(200));
        if last.elapsed() < Duration::from_secs(30) {
            continue;
        }
        last = Instant::now();
        if let Ok(s) = state.lock() {
            let secs = start.elapsed().as_secs_f64();
            log.line(&format!(
                "{:>7.0} s: {} cases ({:.0}/s), {} findings, {} ranges left",
                secs,
                s.done,
                s.done as f64 / secs.max(0.001),
                s.findings.len(),
                s.pending.len() + s.busy
            ));
        }
    }
}

/// Writes the findings and the summary; fails when something was found (in `--ci`, slow
/// cases are listed but do not fail: the machine is shared and the build unoptimized).
fn finish(
    state: &State,
    seeds: &[cases::Seed],
    args: &Args,
    out: &Path,
    log: &mut Log,
    elapsed: Duration,
) -> Result<(), String> {
    let mut findings = state.findings.clone();
    findings.sort_by_key(|f| (f.index, f.kind));
    findings.dedup_by_key(|f| (f.index, f.kind));
    for finding in &findings {
        let case = cases::case(seeds, args.seed, finding.index);
        let name = format!("seed{}-case{}-{}", args.seed, finding.index, finding.kind);
        let dir = out.join("findings");
        let _ = fs::write(dir.join(format!("{name}.input")), &case.bytes);
        let note = format!("{}\n{}\n{}\n", finding.kind, case.label, finding.detail);
        let _ = fs::write(dir.join(format!("{name}.txt")), note);
        log.line(&format!(
            "finding: case {} {}: {} ({})",
            finding.index, finding.kind, finding.detail, case.label
        ));
    }
    let summary = format!(
        "fuzz done: {} cases in {:.0} s ({:.0}/s), seed {}, cases {}..{}; {} generated, {} \
         refused with an error; peak RSS of a worker {} MiB (limit {} MiB); {} findings \
         ({} slow over 1 s)",
        state.done,
        elapsed.as_secs_f64(),
        state.done as f64 / elapsed.as_secs_f64().max(0.001),
        args.seed,
        args.from,
        args.from + args.execs,
        state.generated,
        state.refused,
        state.peak_kib / 1024,
        args.memory_mib,
        findings.len(),
        findings.iter().filter(|f| f.kind == "slow").count(),
    );
    log.line(&summary);
    let _ = fs::write(out.join("summary.txt"), format!("{summary}\n"));
    let failing = findings
        .iter()
        .filter(|f| !(args.ci && f.kind == "slow"))
        .count();
    match failing {
        0 => Ok(()),
        n => Err(format!(
            "{n} finding(s): inputs and notes in {}",
            out.join("findings").display()
        )),
    }
}

/// Lines to standard error and to the log file.
struct Log {
    file: fs::File,
}

impl Log {
    fn open(path: &Path) -> Result<Log, String> {
        let file = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|err| format!("{}: {err}", path.display()))?;
        Ok(Log { file })
    }

    fn line(&mut self, text: &str) {
        eprintln!("{text}");
        let _ = writeln!(self.file, "{text}");
    }
}

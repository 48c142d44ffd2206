//! Runs the pinned Prism mock server (`tests/prism`) on a free loopback port for a test, and stops it with its whole process group on drop.
//!
//! ```no_run
//! use apigen_tests::prism::Prism;
//!
//! let prism = Prism::mock("fixtures/petstore.yaml".as_ref(), &["--dynamic", "--seed", "1"])?;
//! let base_url = prism.base_url(); // "http://127.0.0.1:<port>"
//! // ... point the generated client at `base_url`, and on failure show `prism.logs()`:
//! // Prism logs each request and each violation, e.g.
//! // `[VALIDATOR] ✖  error     Request body must have required property 'name'`.
//! # Ok::<(), apigen_tests::prism::PrismError>(())
//! ```
//!
//! Prism is installed by `npm ci --prefix tests/prism` (which `cargo xtask test` runs);
//! the version is pinned in `tests/prism/package.json` and its lockfile.

use std::ffi::OsStr;
use std::io::{self, BufRead, BufReader, Read};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

/// Where `npm ci --prefix tests/prism` puts the Prism launcher (a node script).
const PRISM_BIN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/prism/node_modules/.bin/prism");
/// Prism listens on loopback only.
const HOST: &str = "127.0.0.1";
/// Ports tried when another process takes the free port before Prism binds it.
const START_ATTEMPTS: u32 = 3;
/// Total time Prism gets to start listening (it usually needs 1–2 s).
const READY_TIMEOUT: Duration = Duration::from_secs(60);
/// Pause between two readiness or exit checks.
const POLL_INTERVAL: Duration = Duration::from_millis(50);
/// Time Prism gets to exit after SIGTERM before its group gets SIGKILL.
const TERM_GRACE: Duration = Duration::from_secs(3);
/// Time forked helpers get to vanish after SIGKILL (their reaper is init, not us).
const GROUP_EXIT_TIMEOUT: Duration = Duration::from_secs(2);
/// Time the pipe readers get to collect the last output of a Prism that exited early.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(2);

/// Everything Prism printed so far, stdout and stderr interleaved line by line.
type Log = Arc<Mutex<String>>;

/// Why a Prism server could not be started.
#[derive(Debug, thiserror::Error)]
pub enum PrismError {
    /// `tests/prism/node_modules` has not been installed.
    #[error(
        "Prism is not installed (no {}): run `npm ci --prefix tests/prism`, or `cargo xtask test`, which does it",
        path.display()
    )]
    NotInstalled {
        /// The launcher that was looked for.
        path: PathBuf,
    },
    /// The spec given to Prism is not a file.
    #[error("spec {} is not a file", path.display())]
    SpecNotFound {
        /// The spec path as given.
        path: PathBuf,
    },
    /// An operating-system call failed.
    #[error("could not {action}: {source}")]
    Io {
        /// What was being done, e.g. "spawn Prism (is `node` on PATH?)".
        action: &'static str,
        /// The underlying error.
        source: io::Error,
    },
    /// Prism exited before it was listening.
    #[error("`{command}` exited ({status}) before listening; its output:\n{output}")]
    Exited {
        /// The command line that was run.
        command: String,
        /// How Prism exited.
        status: ExitStatus,
        /// What Prism printed.
        output: String,
    },
    /// Prism was still not listening when the deadline passed.
    #[error("`{command}` was not listening after {timeout:?}; its output:\n{output}")]
    Timeout {
        /// The command line that was run.
        command: String,
        /// How long we waited.
        timeout: Duration,
        /// What Prism printed.
        output: String,
    },
    /// Every attempt found its port taken (EADDRINUSE) by the time Prism bound it.
    #[error("Prism found its port in use in all {attempts} attempts; last output:\n{output}")]
    PortsBusy {
        /// How many ports were tried.
        attempts: u32,
        /// What the last Prism printed.
        output: String,
    },
}

/// A Prism mock server running on 127.0.0.1 for the life of this value; killed on drop.
#[derive(Debug)]
pub struct Prism {
    child: Child,
    base_url: String,
    log: Log,
    readers: Vec<JoinHandle<()>>,
}

impl Prism {
    /// Starts `prism mock <spec> -h 127.0.0.1 -p <free port>` (plus extra args such as `--dynamic`/`--seed`), waits until it accepts HTTP, returns it.
    ///
    /// `extra_args` must not repeat `-h`/`-p`.
    pub fn mock(spec: &Path, extra_args: &[&str]) -> Result<Prism, PrismError> {
        ensure_spec(spec)?;
        start(&[OsStr::new("mock"), spec.as_os_str()], extra_args)
    }

    /// Starts `prism proxy <spec> <upstream> -h 127.0.0.1 -p <port>` the same way as [`Prism::mock`].
    pub fn proxy(spec: &Path, upstream: &str, extra_args: &[&str]) -> Result<Prism, PrismError> {
        ensure_spec(spec)?;
        let command = [OsStr::new("proxy"), spec.as_os_str(), OsStr::new(upstream)];
        start(&command, extra_args)
    }

    /// The server's root, `http://127.0.0.1:<port>`, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// What Prism printed so far (stdout+stderr), for assertion messages: Prism logs request validation errors.
    pub fn logs(&self) -> String {
        lock(&self.log).clone()
    }

    /// Whether Prism's logs come to contain `needle` within a few seconds: Prism may print
    /// what it found in an answer after it has forwarded the answer.
    pub fn logs_soon_contain(&self, needle: &str) -> bool {
        let deadline = Instant::now() + std::time::Duration::from_secs(5);
        loop {
            if self.logs().contains(needle) {
                return true;
            }
            if Instant::now() > deadline {
                return false;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    /// Polls until Prism says it listens on `port` and accepts a TCP connection there.
    fn wait_until_listening(&mut self, port: u16, command: String) -> Result<(), PrismError> {
        let deadline = Instant::now() + READY_TIMEOUT;
        let ready_line = format!("Prism is listening on http://{HOST}:{port}");
        loop {
            if let Some(status) = self.exit_status()? {
                self.drain_readers();
                let output = self.logs();
                return Err(PrismError::Exited {
                    command,
                    status,
                    output,
                });
            }
            if self.logs().contains(&ready_line) && accepts_connections(port) {
                return Ok(());
            }
            if Instant::now() >= deadline {
                let output = self.logs();
                return Err(PrismError::Timeout {
                    command,
                    timeout: READY_TIMEOUT,
                    output,
                });
            }
            thread::sleep(POLL_INTERVAL);
        }
    }

    fn exit_status(&mut self) -> Result<Option<ExitStatus>, PrismError> {
        self.child.try_wait().map_err(|source| PrismError::Io {
            action: "check whether Prism is running",
            source,
        })
    }

    /// Gives the reader threads a moment to append what Prism printed before it exited.
    fn drain_readers(&self) {
        let deadline = Instant::now() + DRAIN_TIMEOUT;
        while Instant::now() < deadline && !self.readers.iter().all(JoinHandle::is_finished) {
            thread::sleep(POLL_INTERVAL);
        }
    }

    /// SIGTERM to Prism's process group, SIGKILL to it after a grace period, then reaps Prism.
    fn stop(&mut self) {
        let Ok(raw) = i32::try_from(self.child.id()) else {
            // Unreachable on Unix (pid_t is i32); fall back to killing Prism alone.
            let _ = self.child.kill();
            let _ = self.child.wait();
            return;
        };
        // Prism was started as the leader of its own group, so the group id is its pid.
        let group = Pid::from_raw(raw);
        // Errors here mean the group is already gone (ESRCH), which is what we want.
        let _ = killpg(group, Signal::SIGTERM);
        let deadline = Instant::now() + TERM_GRACE;
        while Instant::now() < deadline && matches!(self.child.try_wait(), Ok(None)) {
            thread::sleep(POLL_INTERVAL);
        }
        // Also takes down anything Prism forked (`--multiprocess`). While such a process
        // lives, the kernel keeps the group id reserved, so this cannot hit another group;
        // if none lives, the id was freed a moment ago and pids are not reused that fast.
        let _ = killpg(group, Signal::SIGKILL);
        let _ = self.child.wait();
        wait_for_empty_group(group);
    }
}

/// Waits (boundedly) until every process of `group` is gone and reaped, so that none outlives the test.
fn wait_for_empty_group(group: Pid) {
    let deadline = Instant::now() + GROUP_EXIT_TIMEOUT;
    // Signal 0 checks for existence; it fails with ESRCH once the group is empty.
    while Instant::now() < deadline && killpg(group, None).is_ok() {
        thread::sleep(POLL_INTERVAL);
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        self.stop();
    }
}

fn start(command: &[&OsStr], extra_args: &[&str]) -> Result<Prism, PrismError> {
    start_on(command, extra_args, free_port)
}

/// Tries up to [`START_ATTEMPTS`] ports from `next_port`, retrying only when Prism reports EADDRINUSE.
fn start_on(
    command: &[&OsStr],
    extra_args: &[&str],
    mut next_port: impl FnMut() -> Result<u16, PrismError>,
) -> Result<Prism, PrismError> {
    let bin = installed_binary(Path::new(PRISM_BIN))?;
    let mut last_output = String::new();
    for _ in 0..START_ATTEMPTS {
        let port = next_port()?;
        let mut prism = spawn(bin, command, extra_args, port)?;
        match prism.wait_until_listening(port, command_line(command, extra_args, port)) {
            Ok(()) => return Ok(prism),
            Err(PrismError::Exited { output, .. }) if output.contains("EADDRINUSE") => {
                last_output = output;
            }
            Err(other) => return Err(other),
        }
    }
    Err(PrismError::PortsBusy {
        attempts: START_ATTEMPTS,
        output: last_output,
    })
}

fn installed_binary(path: &Path) -> Result<&Path, PrismError> {
    if path.is_file() {
        Ok(path)
    } else {
        Err(PrismError::NotInstalled {
            path: path.to_path_buf(),
        })
    }
}

fn ensure_spec(spec: &Path) -> Result<(), PrismError> {
    if spec.is_file() {
        Ok(())
    } else {
        Err(PrismError::SpecNotFound {
            path: spec.to_path_buf(),
        })
    }
}

/// A port that was free a moment ago: bound on 127.0.0.1:0, read, released.
fn free_port() -> Result<u16, PrismError> {
    let io_error = |source| PrismError::Io {
        action: "reserve a free port on 127.0.0.1",
        source,
    };
    let listener = TcpListener::bind((HOST, 0)).map_err(io_error)?;
    Ok(listener.local_addr().map_err(io_error)?.port())
}

/// Spawns Prism in its own process group with both pipes captured into its log.
fn spawn(
    bin: &Path,
    command: &[&OsStr],
    extra_args: &[&str],
    port: u16,
) -> Result<Prism, PrismError> {
    let child = Command::new(bin)
        .args(command)
        .args(["-h", HOST, "-p", &port.to_string()])
        .args(extra_args)
        // Plain log lines even if the caller's environment forces colours.
        .env("FORCE_COLOR", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .map_err(|source| PrismError::Io {
            action: "spawn Prism (is `node` on PATH?)",
            source,
        })?;
    let mut prism = Prism {
        child,
        base_url: format!("http://{HOST}:{port}"),
        log: Log::default(),
        readers: Vec::new(),
    };
    // From here on, an early return drops `prism`, which kills the child.
    attach_readers(&mut prism)?;
    Ok(prism)
}

fn attach_readers(prism: &mut Prism) -> Result<(), PrismError> {
    let io_error = |source| PrismError::Io {
        action: "start a thread reading Prism's output",
        source,
    };
    if let Some(stdout) = prism.child.stdout.take() {
        prism
            .readers
            .push(capture(stdout, &prism.log).map_err(io_error)?);
    }
    if let Some(stderr) = prism.child.stderr.take() {
        prism
            .readers
            .push(capture(stderr, &prism.log).map_err(io_error)?);
    }
    Ok(())
}

/// Appends each line read from `pipe` to `log` until end of file, so the pipe never fills up.
fn capture(pipe: impl Read + Send + 'static, log: &Log) -> io::Result<JoinHandle<()>> {
    let log = Arc::clone(log);
    thread::Builder::new()
        .name("prism-output".into())
        .spawn(move || {
            let mut reader = BufReader::new(pipe);
            let mut line = Vec::new();
            // Stops at end of file (Prism exited) or on a read error: nothing more can come.
            while reader
                .read_until(b'\n', &mut line)
                .is_ok_and(|read| read > 0)
            {
                lock(&log).push_str(&String::from_utf8_lossy(&line));
                line.clear();
            }
        })
}

/// Locks the log; a reader thread that panicked while holding it leaves text that is still worth showing.
fn lock(log: &Mutex<String>) -> MutexGuard<'_, String> {
    log.lock().unwrap_or_else(PoisonError::into_inner)
}

fn accepts_connections(port: u16) -> bool {
    let address = SocketAddr::from(([127, 0, 0, 1], port));
    TcpStream::connect_timeout(&address, Duration::from_secs(1)).is_ok()
}

/// `prism mock spec.yaml -h 127.0.0.1 -p 4010 --dynamic`, for error messages.
fn command_line(command: &[&OsStr], extra_args: &[&str], port: u16) -> String {
    let mut words = vec!["prism".to_owned()];
    words.extend(
        command
            .iter()
            .map(|word| word.to_string_lossy().into_owned()),
    );
    words.extend([
        "-h".to_owned(),
        HOST.to_owned(),
        "-p".to_owned(),
        port.to_string(),
    ]);
    words.extend(extra_args.iter().map(|&word| word.to_owned()));
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::sync::atomic::{AtomicU32, Ordering};

    /// OpenAPI 3.1: GET /ping answers `{"ok": true}` and needs an `Authorization` API key.
    const PING_SPEC: &str = r#"openapi: 3.1.0
info: {title: ping, version: "1.0"}
components:
  securitySchemes:
    apiKey: {type: apiKey, in: header, name: Authorization}
security:
  - apiKey: []
paths:
  /ping:
    get:
      operationId: ping
      parameters:
        - {name: times, in: query, required: false, schema: {type: integer}}
      responses:
        "200":
          description: pong
          content:
            application/json:
              schema:
                type: object
                required: [ok]
                properties: {ok: {type: boolean}}
              example: {ok: true}
"#;

    /// A spec file in the temp dir, removed on drop.
    struct TempSpec(PathBuf);

    impl TempSpec {
        fn new(text: &str) -> TempSpec {
            static NEXT: AtomicU32 = AtomicU32::new(0);
            let name = format!(
                "apigen-prism-{}-{}.yaml",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed)
            );
            let path = std::env::temp_dir().join(name);
            std::fs::write(&path, text).expect("write temp spec");
            TempSpec(path)
        }
    }

    impl Drop for TempSpec {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    /// Sends `GET <target>` with the given header lines; returns the status code and the whole response.
    fn get(base_url: &str, target: &str, headers: &[&str]) -> (u16, String) {
        let host = base_url.strip_prefix("http://").expect("http base URL");
        let mut stream = TcpStream::connect(host).expect("connect to Prism");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("set timeout");
        let mut request = format!("GET {target} HTTP/1.1\r\nHost: {host}\r\n");
        for header in headers {
            request.push_str(header);
            request.push_str("\r\n");
        }
        request.push_str("Connection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).expect("send request");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read response");
        let status = response
            .split(' ')
            .nth(1)
            .and_then(|code| code.parse().ok())
            .unwrap_or_else(|| panic!("no status line in {response:?}"));
        (status, response)
    }

    fn ping_server() -> (TempSpec, Prism) {
        let spec = TempSpec::new(PING_SPEC);
        let prism = Prism::mock(&spec.0, &[]).unwrap_or_else(|error| panic!("{error}"));
        (spec, prism)
    }

    #[test]
    fn mock_answers_with_the_example_when_the_key_is_sent() {
        let (_spec, prism) = ping_server();
        let (status, response) = get(prism.base_url(), "/ping", &["Authorization: x"]);
        assert_eq!(status, 200, "{response}\n--- Prism:\n{}", prism.logs());
        assert!(response.ends_with(r#"{"ok":true}"#), "{response}");
    }

    #[test]
    fn mock_answers_401_problem_json_without_the_key() {
        let (_spec, prism) = ping_server();
        let (status, response) = get(prism.base_url(), "/ping", &[]);
        assert_eq!(status, 401, "{response}\n--- Prism:\n{}", prism.logs());
        assert!(
            response.contains("https://stoplight.io/prism/errors#UNAUTHORIZED"),
            "{response}"
        );
    }

    #[test]
    fn mock_answers_422_and_logs_the_violation_for_an_invalid_request() {
        let (_spec, prism) = ping_server();
        let (status, response) = get(prism.base_url(), "/ping?times=abc", &["Authorization: x"]);
        assert_eq!(status, 422, "{response}\n--- Prism:\n{}", prism.logs());
        assert!(
            response.contains(r#""location":["query","times"]"#),
            "{response}"
        );
        let logs = prism.logs();
        assert!(
            logs.contains("Request query parameter times must be integer"),
            "{logs}"
        );
    }

    #[test]
    fn two_servers_run_at_once_on_different_ports() {
        let (_spec, first) = ping_server();
        let (_spec2, second) = ping_server();
        assert_ne!(first.base_url(), second.base_url());
        for prism in [&first, &second] {
            let (status, response) = get(prism.base_url(), "/ping", &["Authorization: x"]);
            assert_eq!(status, 200, "{response}\n--- Prism:\n{}", prism.logs());
        }
    }

    #[test]
    fn a_port_taken_meanwhile_is_retried_on_another() {
        let spec = TempSpec::new(PING_SPEC);
        let taken = TcpListener::bind((HOST, 0)).expect("bind");
        let taken_port = taken.local_addr().expect("address").port();
        let mut ports = [Ok(taken_port), free_port()].into_iter();
        let command = [OsStr::new("mock"), spec.0.as_os_str()];
        let prism = start_on(&command, &[], || ports.next().expect("two ports"))
            .unwrap_or_else(|error| panic!("{error}"));
        assert_ne!(prism.base_url(), format!("http://{HOST}:{taken_port}"));
        let (status, response) = get(prism.base_url(), "/ping", &["Authorization: x"]);
        assert_eq!(status, 200, "{response}\n--- Prism:\n{}", prism.logs());
    }

    #[test]
    fn ports_taken_every_time_give_up_after_three_attempts() {
        let spec = TempSpec::new(PING_SPEC);
        let taken = TcpListener::bind((HOST, 0)).expect("bind");
        let taken_port = taken.local_addr().expect("address").port();
        let command = [OsStr::new("mock"), spec.0.as_os_str()];
        let error = start_on(&command, &[], || Ok(taken_port)).expect_err("port is taken");
        assert!(
            matches!(error, PrismError::PortsBusy { attempts: 3, .. }),
            "{error}"
        );
        assert!(error.to_string().contains("EADDRINUSE"), "{error}");
    }

    #[test]
    fn drop_leaves_no_process_behind() {
        // `--multiprocess` makes Prism fork its HTTP server: the group kill must take both.
        let spec = TempSpec::new(PING_SPEC);
        let prism =
            Prism::mock(&spec.0, &["--multiprocess"]).unwrap_or_else(|error| panic!("{error}"));
        let group = Pid::from_raw(i32::try_from(prism.child.id()).expect("pid fits pid_t"));
        let port = prism
            .base_url()
            .rsplit(':')
            .next()
            .expect("port")
            .to_owned();
        drop(prism);
        // Signal 0 to the group fails with ESRCH once no member is left.
        assert_eq!(killpg(group, None), Err(nix::errno::Errno::ESRCH));
        let port = port.parse().expect("numeric port");
        assert!(!accepts_connections(port), "port {port} still open");
    }

    #[test]
    fn proxy_forwards_to_the_upstream() {
        let (spec, upstream) = ping_server();
        let proxy = Prism::proxy(&spec.0, upstream.base_url(), &[])
            .unwrap_or_else(|error| panic!("{error}"));
        let (status, response) = get(proxy.base_url(), "/ping", &["Authorization: x"]);
        assert_eq!(status, 200, "{response}\n--- Prism:\n{}", proxy.logs());
        assert!(
            proxy.logs().contains("Forwarding \"get\" request"),
            "{}",
            proxy.logs()
        );
    }

    #[test]
    fn an_unloadable_spec_reports_prism_output() {
        let spec = TempSpec::new("openapi: [unclosed\n");
        let error = Prism::mock(&spec.0, &[]).expect_err("Prism must refuse a broken spec");
        assert!(matches!(error, PrismError::Exited { .. }), "{error}");
        assert!(error.to_string().contains("prism mock"), "{error}");
    }

    #[test]
    fn a_missing_spec_is_reported_before_starting() {
        let error = Prism::mock(Path::new("/nonexistent/spec.yaml"), &[]).expect_err("no spec");
        assert!(matches!(error, PrismError::SpecNotFound { .. }), "{error}");
    }

    #[test]
    fn a_missing_install_says_how_to_install() {
        let error = installed_binary(Path::new("/nonexistent/prism")).expect_err("not installed");
        assert!(
            error.to_string().contains("npm ci --prefix tests/prism"),
            "{error}"
        );
    }

    #[test]
    fn command_line_shows_what_was_run() {
        let command = [OsStr::new("mock"), OsStr::new("a.yaml")];
        assert_eq!(
            command_line(&command, &["--seed", "1"], 4010),
            "prism mock a.yaml -h 127.0.0.1 -p 4010 --seed 1"
        );
    }
}

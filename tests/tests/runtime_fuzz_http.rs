//! Fuzz over real HTTP: the generated client's `cancel_promotion` against a scripted server
//! answering with generated raw responses (random statuses, headers, framing and bodies).
//! Every call must end in a typed value or error, within a deadline: no panic, no hang.
//!
//! `APIGEN_FUZZ_HTTP_CASES` sets the number of responses (default 3,000) and
//! `APIGEN_FUZZ_SEED` the seed (default: from the clock, printed on failure).

use std::time::{Duration, Instant};

use apigen_tests::mock_server::{MockResponse, MockServer};
use baseten::{Client, Error};

/// A small xorshift generator: reproducible from its seed, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const VALID: &str = r#"{"status": "CANCELED", "message": "Promotion canceled."}"#;

fn status_line(rng: &mut Rng) -> String {
    let code = match rng.below(20) {
        0 => rng.pick(&["abc", "0", "99", "1000", "", "20O"]).to_owned(),
        1 => (600 + rng.below(400)).to_string(),
        2 => (100 + rng.below(100)).to_string(),
        _ => rng
            .pick(&[
                "200", "201", "204", "400", "401", "404", "409", "429", "500", "502", "503", "504",
            ])
            .to_owned(),
    };
    format!("HTTP/1.1 {code} Fuzzed\r\n")
}

fn header_lines(rng: &mut Rng) -> Vec<u8> {
    let mut out = Vec::new();
    for _ in 0..rng.below(5) {
        let line = match rng.below(6) {
            0 => format!(
                "Retry-After: {}\r\n",
                rng.pick(&[
                    "0",
                    "1",
                    "37",
                    "-1",
                    "soon",
                    "Wed, 21 Oct 2015 07:28:00 GMT",
                    "99999999999999999999"
                ])
            ),
            1 => format!(
                "Content-Type: {}\r\n",
                rng.pick(&[
                    "application/json",
                    "text/html; charset=utf-8",
                    "application/problem+json",
                    ""
                ])
            ),
            2 => format!("X-Request-Id: req-{}\r\n", rng.next()),
            3 => "Content-Encoding: gzip\r\n".to_owned(),
            _ => {
                let len = 1 + rng.below(12);
                let mut raw = rng.bytes(len);
                raw.retain(|b| *b != b'\r' && *b != b'\n');
                out.extend_from_slice(b"X-Fuzz: ");
                out.extend_from_slice(&raw);
                "\r\n".to_owned()
            }
        };
        out.extend_from_slice(line.as_bytes());
    }
    out
}

fn body(rng: &mut Rng) -> Vec<u8> {
    match rng.below(12) {
        0 => Vec::new(),
        1 => VALID.as_bytes().to_vec(),
        2 => VALID.as_bytes()[..rng.below(VALID.len())].to_vec(),
        3 => br#"{"status": 7, "message": ["wrong", "types"]}"#.to_vec(),
        4 => br#"{"status": "NEW_STATE", "message": "m", "extra": {"deep": [1e400]}}"#.to_vec(),
        5 => {
            let mut bytes = VALID.as_bytes().to_vec();
            let at = rng.below(bytes.len());
            bytes.insert(at, 0xC3);
            bytes.insert(at, 0xFF);
            bytes
        }
        6 => b"<html><body><h1>502 Bad Gateway</h1></body></html>".to_vec(),
        7 => format!(
            r#"{{"error": "Rate limit exceeded", "retry_after": {}}}"#,
            rng.below(100)
        )
        .into_bytes(),
        8 => br#"{"code": 123, "message": {"nested": true}}"#.to_vec(),
        9 if rng.chance(5) => {
            let size = 100_000 + rng.below(1_900_000);
            format!(
                r#"{{"status": "CANCELED", "message": "{}"}}"#,
                "x".repeat(size)
            )
            .into_bytes()
        }
        10 => "[".repeat(rng.below(5000)).into_bytes(),
        _ => {
            let len = rng.below(300);
            rng.bytes(len)
        }
    }
}

/// A whole response: status line, headers, framing (right, wrong or missing length, or
/// chunks, well-formed or not) and body.
fn response(rng: &mut Rng) -> Vec<u8> {
    let body = body(rng);
    let mut out = status_line(rng).into_bytes();
    out.extend(header_lines(rng));
    match rng.below(10) {
        0 => {}
        1 => out.extend(
            format!("Content-Length: {}\r\n", body.len() + 1 + rng.below(100)).into_bytes(),
        ),
        2 => out.extend(format!("Content-Length: {}\r\n", rng.below(body.len() + 1)).into_bytes()),
        3 => {
            out.extend(b"Transfer-Encoding: chunked\r\n\r\n");
            out.extend(format!("{:x}\r\n", body.len()).into_bytes());
            out.extend(&body);
            out.extend(
                rng.pick(&["\r\n0\r\n\r\n", "\r\n", "\r\nzz\r\n"])
                    .as_bytes(),
            );
            return out;
        }
        _ => out.extend(format!("Content-Length: {}\r\n", body.len()).into_bytes()),
    }
    out.extend(b"\r\n");
    out.extend(body);
    out
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

#[tokio::test]
async fn every_generated_response_over_http_ends_in_a_typed_value_or_error() {
    let cases = env_number("APIGEN_FUZZ_HTTP_CASES").unwrap_or(3_000) as usize;
    let seed = env_number("APIGEN_FUZZ_SEED").unwrap_or_else(|| {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
        now.map_or(1, |d| d.as_nanos() as u64) | 1
    });
    let mut rng = Rng(seed);
    let script: Vec<MockResponse> = (0..cases)
        .map(|_| MockResponse::raw(response(&mut rng)))
        .collect();
    let server = MockServer::start(script).await.expect("server");
    apigen_runtime::install_crypto_provider();
    let unpooled = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .expect("reqwest client");
    let client = Client::builder()
        .api_key("fuzz-key")
        .base_url(server.base_url())
        .http_client(unpooled)
        .build()
        .expect("client");
    let started = Instant::now();
    let mut kinds = std::collections::BTreeMap::<&str, usize>::new();

    for case in 0..cases {
        let call = client.cancel_promotion("m", "e");
        let outcome = tokio::time::timeout(Duration::from_secs(10), call).await;
        let Ok(result) = outcome else {
            panic!("seed {seed}, case {case}: no answer within 10 s");
        };
        let kind = match &result {
            Ok(_) => "value",
            Err(Error::Decode { .. }) => "decode",
            Err(Error::Api(_)) => "api",
            Err(Error::Transport(_)) => "transport",
            Err(other) => panic!("seed {seed}, case {case}: unexpected {other:?}"),
        };
        *kinds.entry(kind).or_default() += 1;
    }

    assert_eq!(
        server.requests().len(),
        cases,
        "seed {seed}: one request per response"
    );
    eprintln!(
        "{cases} responses over HTTP in {:?}: {kinds:?} (seed {seed})",
        started.elapsed()
    );
    for kind in ["value", "decode", "api", "transport"] {
        assert!(
            cases < 2_000 || kinds.get(kind).is_some_and(|n| *n > 0),
            "no {kind}: {kinds:?}"
        );
    }
}

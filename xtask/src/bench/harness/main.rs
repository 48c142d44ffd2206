//! Run time of calls through the generated `baseten` client against the same calls written
//! by hand with `reqwest` and `serde_json`, on a loopback server of its own; and the decoding
//! of a large list answer through the client (over an in-memory transport) against
//! `serde_json::from_slice` into the same types. Written by `cargo xtask bench` into its
//! workspace and run there in release; prints one JSON object per case.
//!
//! Each case runs `WARM_UP` times, then `ROUNDS` rounds of a batch of calls; the rounds of
//! all cases are interleaved so that a change of load spreads over all of them.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use baseten::types::{DeploymentsV1, ModelV1};

const WARM_UP: usize = 50;
const ROUNDS: usize = 21;
const SMALL_BATCH: usize = 200;
const LARGE_BATCH: usize = 3;
const DEPLOYMENTS: usize = 10_000;

fn model() -> serde_json::Value {
    serde_json::json!({
        "id": "m1", "created_at": "2024-01-01T00:00:00Z", "name": "llama",
        "deployments_count": 2, "production_deployment_id": "d1",
        "development_deployment_id": null, "instance_type_name": "A10G", "team_name": "default"
    })
}

fn deployment(i: usize) -> serde_json::Value {
    serde_json::json!({
        "id": format!("dep{i:06}"), "created_at": "2024-01-01T00:00:00Z",
        "name": format!("deployment {i}"), "model_id": "m1", "is_production": i == 0,
        "is_development": false, "status": if i % 3 == 0 { "ACTIVE" } else { "SCALED_TO_ZERO" },
        "active_replica_count": i % 4,
        "autoscaling_settings": {
            "min_replica": 0, "max_replica": 4, "autoscaling_window": 60,
            "scale_down_delay": 900, "concurrency_target": 2,
            "target_utilization_percentage": 70
        },
        "instance_type_name": "A10G", "environment": null,
        "labels": {"team": "ml", "tier": i % 2},
        "region": {"slug": "us-east", "display_name": "US East"},
        "request_backpressure_settings": {"policy": "QUEUE_ON_FULL"}
    })
}

/// A keep-alive HTTP/1.1 server on 127.0.0.1 answering every request with `body`.
fn serve(body: Vec<u8>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let addr = listener.local_addr().expect("local address");
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    );
    let mut answer = head.into_bytes();
    answer.extend_from_slice(&body);
    let answer: &'static [u8] = answer.leak();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || connection(stream, answer));
        }
    });
    addr
}

fn connection(stream: TcpStream, answer: &[u8]) {
    let _ = stream.set_nodelay(true);
    let mut writer = stream.try_clone().expect("clone the stream");
    let mut reader = BufReader::new(stream);
    loop {
        let mut length = 0usize;
        let mut line = String::new();
        loop {
            line.clear();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) if line == "\r\n" => break,
                Ok(_) => {
                    let lower = line.to_ascii_lowercase();
                    if let Some(value) = lower.strip_prefix("content-length:") {
                        length = value.trim().parse().unwrap_or(0);
                    }
                }
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() || writer.write_all(answer).is_err() {
            return;
        }
    }
}

/// Per-call nanoseconds of each round.
struct Case {
    name: &'static str,
    calls: usize,
    rounds: Vec<f64>,
}

async fn get_model_by_hand(http: &reqwest::Client, url: &str) -> ModelV1 {
    let response = http
        .get(format!("{url}/v1/models/m1"))
        .bearer_auth("bench-key")
        .header(reqwest::header::ACCEPT, "application/json")
        .send()
        .await
        .expect("send");
    assert!(response.status().is_success());
    let body = response.bytes().await.expect("body");
    serde_json::from_slice(&body).expect("decode")
}

async fn list_by_hand(http: &reqwest::Client, url: &str) -> DeploymentsV1 {
    let response = http
        .get(format!("{url}/v1/models/m1/deployments"))
        .bearer_auth("bench-key")
        .header(reqwest::header::ACCEPT, "application/json")
        .send()
        .await
        .expect("send");
    assert!(response.status().is_success());
    let body = response.bytes().await.expect("body");
    serde_json::from_slice(&body).expect("decode")
}

fn client(http: &reqwest::Client, url: &str) -> baseten::Client {
    baseten::Client::builder()
        .api_key("bench-key")
        .base_url(url)
        .http_client(http.clone())
        .max_retries(0)
        .build()
        .expect("client")
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    baseten::install_crypto_provider();
    let model_body = serde_json::to_vec(&model()).expect("encode");
    let list =
        serde_json::json!({"deployments": (0..DEPLOYMENTS).map(deployment).collect::<Vec<_>>()});
    let list_body = serde_json::to_vec(&list).expect("encode");
    let small_url = format!("http://{}", serve(model_body));
    let large_url = format!("http://{}", serve(list_body.clone()));
    let http = reqwest::Client::new();
    let small = client(&http, &small_url);
    let large = client(&http, &large_url);
    let mock = baseten::MockTransport::new();
    let in_memory = baseten::Client::builder()
        .api_key("bench-key")
        .base_url("https://api.baseten.co")
        .transport(mock.clone())
        .max_retries(0)
        .build()
        .expect("client");
    let answer = baseten::MockResponse::new(200)
        .header("content-type", "application/json")
        .body(list_body.clone());
    let decoded: DeploymentsV1 = serde_json::from_slice(&list_body).expect("the list decodes");
    assert_eq!(decoded.deployments.len(), DEPLOYMENTS);

    let mut cases = vec![
        Case {
            name: "get_model, generated client",
            calls: SMALL_BATCH,
            rounds: Vec::new(),
        },
        Case {
            name: "get_model, by hand",
            calls: SMALL_BATCH,
            rounds: Vec::new(),
        },
        Case {
            name: "list 10,000 deployments, generated client",
            calls: LARGE_BATCH,
            rounds: Vec::new(),
        },
        Case {
            name: "list 10,000 deployments, by hand",
            calls: LARGE_BATCH,
            rounds: Vec::new(),
        },
        Case {
            name: "decode 10,000 deployments, generated client (in-memory transport)",
            calls: LARGE_BATCH,
            rounds: Vec::new(),
        },
        Case {
            name: "decode 10,000 deployments, serde_json::from_slice",
            calls: LARGE_BATCH,
            rounds: Vec::new(),
        },
    ];
    for round in 0..=ROUNDS {
        // Round 0 warms up and is not recorded.
        for (i, case) in cases.iter_mut().enumerate() {
            let calls = if round == 0 {
                WARM_UP.min(case.calls * 4)
            } else {
                case.calls
            };
            let mut took = Duration::ZERO;
            for _ in 0..calls {
                took += match i {
                    0 => {
                        time(|| async { small.get_model("m1").await.expect("call").id.len() }).await
                    }
                    1 => {
                        time(|| async { get_model_by_hand(&http, &small_url).await.id.len() }).await
                    }
                    2 => {
                        time(|| async {
                            large
                                .list_model_deployments("m1")
                                .await
                                .expect("call")
                                .deployments
                                .len()
                        })
                        .await
                    }
                    3 => {
                        time(|| async { list_by_hand(&http, &large_url).await.deployments.len() })
                            .await
                    }
                    4 => {
                        mock.push(answer.clone());
                        time(|| async {
                            in_memory
                                .list_model_deployments("m1")
                                .await
                                .expect("call")
                                .deployments
                                .len()
                        })
                        .await
                    }
                    _ => {
                        time(|| async {
                            serde_json::from_slice::<DeploymentsV1>(&list_body)
                                .expect("decode")
                                .deployments
                                .len()
                        })
                        .await
                    }
                };
            }
            if round > 0 {
                case.rounds.push(took.as_nanos() as f64 / calls as f64);
            }
        }
    }
    for case in &cases {
        let line =
            serde_json::json!({"case": case.name, "calls": case.calls, "rounds_ns": case.rounds});
        println!("{line}");
    }
    eprintln!(
        "body sizes: {} and {} bytes",
        serde_json::to_vec(&model()).map_or(0, |b| b.len()),
        list_body.len()
    );
}

/// The time `f`'s future takes; its result is kept from the optimizer.
async fn time<F, Fut>(f: F) -> Duration
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = usize>,
{
    let started = Instant::now();
    let out = f().await;
    let took = started.elapsed();
    std::hint::black_box(out);
    took
}

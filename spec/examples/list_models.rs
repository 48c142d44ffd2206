//! Lists the models of the workspace with the `baseten` SDK.
//!
//! ```sh
//! BASETEN_API_KEY=... cargo run -p baseten --example list_models
//! ```
//!
//! The key comes from `BASETEN_API_KEY`. The base URL is `https://api.baseten.co` unless
//! `BASETEN_BASE_URL` or `--base-url <URL>` names another (a Prism mock, a proxy).

use std::process::ExitCode;

use baseten::{Client, ClientBuilder};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let (client, args) = client_from_env()?;
    if !args.is_empty() {
        return Err("usage: list_models [--base-url <URL>]".to_owned());
    }
    let response = client.list_models().await.map_err(|err| err.to_string())?;
    println!("{} model(s)", response.models.len());
    for model in &response.models {
        let production = model.production_deployment_id.as_deref().unwrap_or("none");
        println!(
            "{}  {}  deployments: {}  production: {production}",
            model.id, model.name, model.deployments_count
        );
    }
    Ok(())
}

/// A client with the key from `BASETEN_API_KEY` and the base URL from `--base-url` or
/// `BASETEN_BASE_URL`; returns the other command-line arguments.
fn client_from_env() -> Result<(Client, Vec<String>), String> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut builder = ClientBuilder::from_env();
    if let Some(at) = args.iter().position(|arg| arg == "--base-url") {
        let url = args.get(at + 1).ok_or("--base-url needs a URL")?.clone();
        args.drain(at..at + 2);
        builder = builder.base_url(url);
    }
    let client = builder.build().map_err(|err| err.to_string())?;
    Ok((client, args))
}

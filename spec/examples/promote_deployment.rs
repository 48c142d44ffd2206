//! Promotes a deployment of a model to an environment with the `baseten` SDK.
//!
//! ```sh
//! BASETEN_API_KEY=... cargo run -p baseten --example promote_deployment -- \
//!     <MODEL_ID> <DEPLOYMENT_ID> [ENVIRONMENT]
//! ```
//!
//! The environment defaults to `production`. The key comes from `BASETEN_API_KEY`. The base
//! URL is `https://api.baseten.co` unless `BASETEN_BASE_URL` or `--base-url <URL>` names
//! another (a Prism mock, a proxy).

use std::process::ExitCode;

use baseten::{Client, ClientBuilder};
use baseten::types::PromoteToEnvironmentRequestV1;

const USAGE: &str =
    "usage: promote_deployment <MODEL_ID> <DEPLOYMENT_ID> [ENVIRONMENT] [--base-url <URL>]";

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
    let (model_id, deployment_id, environment) = match args.as_slice() {
        [model, deployment] => (model, deployment, "production"),
        [model, deployment, environment] => (model, deployment, environment.as_str()),
        _ => return Err(USAGE.to_owned()),
    };
    let request = PromoteToEnvironmentRequestV1::new(deployment_id);
    let deployment = client
        .promote_model_environment(model_id, environment, request)
        .await
        .map_err(|err| err.to_string())?;
    println!(
        "promoting deployment {} ({}) of model {} to {environment}: {}",
        deployment.id, deployment.name, deployment.model_id, deployment.status
    );
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

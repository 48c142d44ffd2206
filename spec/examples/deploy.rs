//! A deploy script with the `baseten` SDK: lists the models, reads one, lists its
//! deployments, changes one autoscaling setting of its development deployment, promotes a
//! deployment to an environment, and cancels that promotion, telling the `400` the API
//! answers when no promotion is in progress apart from a failure.
//!
//! ```sh
//! BASETEN_API_KEY=... cargo run -p baseten --example deploy -- [ENVIRONMENT]
//! ```
//!
//! The environment defaults to `staging`. The key comes from `BASETEN_API_KEY`. The base
//! URL is `https://api.baseten.co` unless `BASETEN_BASE_URL` or `--base-url <URL>` names
//! another (a Prism mock, a proxy).

use std::process::ExitCode;

use baseten::types::{PromoteToEnvironmentRequestV1, UpdateAutoscalingSettingsV1};
use baseten::{Client, ClientBuilder, Error};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let (client, args) = client_from_env()?;
    let environment = args.first().map_or("staging", String::as_str);

    let models = client.list_models().await?;
    println!("{} model(s)", models.models.len());
    let Some(first) = models.models.first() else {
        return Ok(());
    };
    let model = client.get_model(&first.id).await?;
    println!("model {} ({})", model.id, model.name);

    let deployments = client.list_model_deployments(&model.id).await?;
    println!("{} deployment(s)", deployments.deployments.len());

    // One setting changed, every other left as it is.
    let settings = UpdateAutoscalingSettingsV1::default().min_replica(1);
    client
        .update_development_deployment_autoscaling_settings(&model.id, settings)
        .await?;
    println!("development deployment: at least one replica");

    if let Some(deployment) = deployments.deployments.first() {
        let request = PromoteToEnvironmentRequestV1::new(&deployment.id);
        let promoted = client
            .promote_model_environment(&model.id, environment, request)
            .await?;
        println!("promoting {} to {environment}: {}", promoted.id, promoted.status);
    }

    match client.cancel_promotion(&model.id, environment).await {
        Ok(canceled) => println!("promotion to {environment}: {}", canceled.status),
        // No promotion in progress: the API answers 400 with its error code and message.
        Err(Error::Api(err)) if err.status.as_u16() == 400 => {
            let message = err.message.as_deref().unwrap_or("no message");
            println!("nothing to cancel: {message}");
        }
        Err(err) => return Err(err.into()),
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

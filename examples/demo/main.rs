//! A complete app with "Sign in with Twitter": `cargo run --example demo`.
//!
//! Without X keys (`TWITTER_CLIENT_ID` for OAuth 2.0, `TWITTER_API_KEY` for OAuth 1.0a) it starts
//! the test kit's local provider in-process, so the whole flow can be clicked through offline,
//! with the protocol `TWITTER_PROTOCOL` names (`oauth1` by default, or `oauth2`). See the README
//! for the environment variables.

mod app;

use std::process::ExitCode;

#[actix_web::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,actix_twitter_login=debug".into()),
        )
        .init();
    // The message as written, not its `Debug` form, for settings the demo refuses.
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("demo: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> std::io::Result<()> {
    let settings =
        app::Settings::from_vars(|name| std::env::var(name).ok()).map_err(std::io::Error::other)?;
    let settings_protocol = match &settings.keys {
        app::Keys::Local(protocol) => Some(*protocol),
        _ => None,
    };
    let running = app::start(settings).await?;
    if let Some(provider) = &running.provider {
        tracing::info!(
            provider = %provider.base_url(),
            protocol = ?settings_protocol,
            "no X keys are set: using the built-in local provider (sign in as alice, bob or carol)"
        );
    }
    println!("Open {}/ in a browser", running.url);
    running.server.await
}

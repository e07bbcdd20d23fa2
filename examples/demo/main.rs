//! A complete app with "Sign in with Twitter": `cargo run --example demo`.
//!
//! Without `TWITTER_API_KEY` it starts the test kit's local provider in-process, so the whole
//! flow can be clicked through offline. See the README for the environment variables.

mod app;

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,actix_twitter_login=debug".into()),
        )
        .init();
    let settings =
        app::Settings::from_vars(|name| std::env::var(name).ok()).map_err(std::io::Error::other)?;
    let running = app::start(settings).await?;
    if let Some(provider) = &running.provider {
        tracing::info!(
            provider = %provider.base_url(),
            "TWITTER_API_KEY is not set: using the built-in local provider (sign in as alice, bob or carol)"
        );
    }
    println!("Open {}/ in a browser", running.url);
    running.server.await
}

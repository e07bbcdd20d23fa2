//! Moves the users stored with OAuth 1.0a token credentials to OAuth 2.0 through X's token
//! exchange, without asking them to sign in again; prints what it did.
//!
//! ```text
//! cargo run --example migrate -- --dry-run      # count and open the rows; no call, no write
//! cargo run --example migrate                   # the move
//! cargo run --example migrate -- --limit 100    # the first 100 rows only
//! ```
//!
//! Reads from the environment:
//! - `DATABASE_URL`: the app's database; default `twitter-login.db` (the demo's);
//!   `postgres://...` for PostgreSQL.
//! - `TOKEN_KEY` and `TOKEN_KEY_ID`: the key (64 hex digits) the app stores token credentials
//!   under and its id (`TokenKeys::from_hex`); the id defaults to `demo`, as in the demo.
//! - `TWITTER_CLIENT_ID`, and `TWITTER_CLIENT_SECRET` for a confidential client: the app's
//!   OAuth 2.0 client (not its OAuth 1.0a consumer key). Not needed for a dry run.
//! - `TWITTER_API_BASE_URL`: default `https://api.x.com`; `TWITTER_ALLOW_INSECURE_PROVIDER=1`
//!   allows plain http to a host other than loopback.
//!
//! Only one run at a time, across instances: a second one is refused. Run it again after a
//! stop, a crash or failures: it goes on with the rows still to move.

use std::process::ExitCode;

use actix_twitter_login::{
    accounts::{Accounts, MigrationOptions},
    store::{self, DieselResolver, StoreOptions, TokenKeys},
};

const DEFAULT_DATABASE_URL: &str = "twitter-login.db";

#[actix_web::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("migrate: {error}");
            ExitCode::FAILURE
        }
    }
}

/// An environment variable; empty counts as unset.
fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.is_empty())
}

fn required(name: &str) -> Result<String, String> {
    var(name).ok_or_else(|| format!("{name} is not set"))
}

/// `--dry-run` and `--limit N`.
fn options() -> Result<MigrationOptions, String> {
    let mut options = MigrationOptions::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        options = match arg.as_str() {
            "--dry-run" => options.dry_run(true),
            "--limit" => {
                let rows = args.next().and_then(|n| n.parse().ok());
                options.limit(rows.ok_or("--limit needs a number of rows")?)
            }
            other => {
                return Err(format!(
                    "unknown argument `{other}`: use --dry-run, --limit N"
                ))
            }
        };
    }
    Ok(options)
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let options = options()?;
    let database_url = var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned());
    let key_id = var("TOKEN_KEY_ID").unwrap_or_else(|| "demo".to_owned());
    let keys = TokenKeys::from_hex(&key_id, &required("TOKEN_KEY")?)?;
    let pool = store::connect(&database_url, &StoreOptions::default())?;
    store::run_migrations(&pool)?;
    let resolver = DieselResolver::new(pool).store_tokens(keys);
    let mut builder = Accounts::builder(&resolver);
    match var("TWITTER_CLIENT_ID") {
        Some(id) => {
            let secret = var("TWITTER_CLIENT_SECRET");
            builder = builder.oauth2_client(id, secret.as_deref());
        }
        None if std::env::args().any(|arg| arg == "--dry-run") => {}
        None => return Err("TWITTER_CLIENT_ID is not set (the OAuth 2.0 client id)".into()),
    }
    if let Some(url) = var("TWITTER_API_BASE_URL") {
        builder = builder.api_base_url(url);
    }
    if var("TWITTER_ALLOW_INSECURE_PROVIDER").as_deref() == Some("1") {
        builder = builder.allow_insecure_provider_urls(true);
    }
    let accounts = builder.build()?;
    let summary = accounts.migrate_to_oauth2(options).await?;
    println!("{summary}");
    Ok(())
}

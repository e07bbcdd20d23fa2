//! The login benchmark: what the middleware costs on requests it does not own, what a complete
//! login costs the app process, how much memory the app holds after many logins, and whether
//! logins are lost or users duplicated under load.
//!
//! One binary plays three roles, chosen by `--role`:
//!
//! - the orchestrator (the default, what `cargo bench --bench login` runs): starts the other
//!   roles as separate processes, drives the load from its own process and prints the figures;
//! - `--role app`: the app under test (`HttpServer`, 2 workers, SQLite, cookie sessions), signing
//!   in over OAuth 1.0a, with `--protocol oauth2` over OAuth 2.0, with `--without-login` the same
//!   app without the `TwitterLoginMiddleware`;
//! - `--role provider`: the test kit's local provider (OAuth 1.0a and 2.0) with one account per
//!   login;
//! - `--role floor` (with `--protocol oauth2` for OAuth 2.0): the floor app, the same app
//!   signing in with its own two handlers, unsigned and unchecked, to measure what the crate
//!   costs above what any login must pay;
//! - `--role floor-provider`: the floor apps' provider, answering the same round trips unsigned.
//!
//! Children print what the orchestrator needs on stdout (`port N`, `ready`), take commands on
//! stdin, and exit when their stdin closes, so nothing outlives the run.
//!
//! Quick runs: `BENCH_LOGINS=2000 cargo bench --bench login` (see [`orchestrator::Settings`]).
//! Both protocols run the same saturated logins, then the same returning logins paced at
//! `BENCH_PACED_RATE` per second.

mod app;
mod browser;
mod check;
mod children;
mod cost;
mod floor;
mod floor_app;
mod floor_provider;
mod logins;
mod orchestrator;
mod ping;
mod procfs;
mod provider;
mod report;
mod rounds;
mod run;

use std::{
    io::BufRead as _,
    sync::mpsc::{self, Receiver},
};

/// The client credentials the app and the provider share.
const CONSUMER_KEY: &str = "bench-consumer-key";
const CONSUMER_SECRET: &str = "bench-consumer-secret-0123456789abcdef";
/// The OAuth 2.0 client the OAuth 2.0 app and the provider share.
const CLIENT_ID: &str = "bench-oauth2-client-id";
const CLIENT_SECRET: &str = "bench-oauth2-client-secret-0123456789";
/// The app's callback route (the middleware's default callback path).
const CALLBACK_PATH: &str = "/oauth/callback/twitter";

/// The handle of the provider account number `n`.
fn screen_name(n: usize) -> String {
    format!("u{n}")
}

/// The provider's (Twitter's) user id of account number `n`.
fn twitter_id(n: usize) -> String {
    (1_000_000_000 + n).to_string()
}

/// The value following `name` in the arguments.
fn arg_value<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
}

/// The lines the parent writes to this child's stdin. The process exits when stdin closes:
/// the parent is done or gone.
fn stdin_lines() -> Receiver<String> {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if sender.send(line).is_err() {
                break;
            }
        }
        std::process::exit(0);
    });
    receiver
}

fn main() {
    // `cargo bench` adds `--bench`; any argument this binary does not know is ignored.
    let args: Vec<String> = std::env::args().skip(1).collect();
    match arg_value(&args, "--role") {
        Some("app") => app::run(&args),
        Some("provider") => provider::run(&args),
        Some("floor") => floor_app::run(&args),
        Some("floor-provider") => floor_provider::run(&args),
        Some(other) => panic!("unknown role {other:?}"),
        None => orchestrator::run(),
    }
}

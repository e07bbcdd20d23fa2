//! `--role app`: the app under test, as an application would set it up: the crate's routes, a
//! home page and an ordinary `/ping` route, wrapped in the login, identity and session
//! middleware, with users in a SQLite file and sessions in the encrypted cookie.
//!
//! With `--without-login` it is the same app without the `TwitterLoginMiddleware`, for the
//! pass-through comparison.
//!
//! Protocol on stdio: prints `port N` once listening; with the middleware, reads the provider's
//! base URL as the first stdin line; prints `ready` once serving.

use std::{
    io::Write as _,
    net::{Ipv4Addr, TcpListener},
};

use actix_identity::{Identity, IdentityMiddleware};
use actix_session::{storage::CookieSessionStore, SessionMiddleware};
use actix_twitter_login::{
    store::{self, DieselResolver, StoreOptions},
    TwitterLoginMiddleware,
};
use actix_web::{cookie::Key, web, App, HttpResponse, HttpServer};

use super::{
    arg_value, stdin_lines, CALLBACK_PATH, CLIENT_ID, CLIENT_SECRET, CONSUMER_KEY, CONSUMER_SECRET,
};

/// Worker threads of the app's server (the machine has two cores).
pub const WORKERS: usize = 2;

/// The routes both apps have, around which the middleware stacks differ.
macro_rules! routes {
    ($routes:expr) => {
        App::new()
            .configure(|c| $routes.configure(c))
            .route("/", web::get().to(home))
            .route("/ping", web::get().to(ping))
    };
}

/// Runs the app made by the factory on the listener with [`WORKERS`] workers.
macro_rules! serve {
    ($listener:expr, $factory:expr) => {
        HttpServer::new($factory)
            .workers(WORKERS)
            .listen($listener)
            .expect("listen")
            .run()
    };
}

pub fn run(args: &[String]) {
    let database = arg_value(args, "--db").expect("--db <sqlite file>");
    let with_login = !args.iter().any(|a| a == "--without-login");
    let oauth2 = arg_value(args, "--protocol") == Some("oauth2");

    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind the app");
    let port = listener.local_addr().expect("a local address").port();
    say(&format!("port {port}"));
    let commands = stdin_lines();

    let pool = store::connect(database, &StoreOptions::default()).expect("open the database");
    store::run_migrations(&pool).expect("migrate");
    let key = Key::from(&[7u8; 64]);
    let session = move || {
        SessionMiddleware::builder(CookieSessionStore::default(), key.clone())
            .cookie_secure(false)
            .build()
    };

    let callback_url = format!("http://127.0.0.1:{port}{CALLBACK_PATH}");
    actix_web::rt::System::new().block_on(async move {
        let server = if with_login {
            let provider = commands.recv().expect("the provider's base URL on stdin");
            let builder = if oauth2 {
                TwitterLoginMiddleware::oauth2_builder(CLIENT_ID, &callback_url)
                    .client_secret(CLIENT_SECRET)
                    .authorize_url(format!("{provider}/i/oauth2/authorize"))
            } else {
                TwitterLoginMiddleware::builder(CONSUMER_KEY, CONSUMER_SECRET, &callback_url)
            };
            // Every virtual browser comes from 127.0.0.1: no per-client limit on the start.
            let twitter = builder
                .without_login_rate_limit()
                .api_base_url(provider)
                .resolve_user(DieselResolver::new(pool.clone()))
                .build()
                .expect("a valid configuration");
            let routes = twitter.routes();
            serve!(listener, move || routes!(routes.clone())
                .wrap(twitter.clone())
                .wrap(IdentityMiddleware::default())
                .wrap(session()))
        } else {
            // The same routes (the login page and logout), from a middleware this app does not
            // wrap.
            let routes = TwitterLoginMiddleware::new(CONSUMER_KEY, CONSUMER_SECRET, &callback_url)
                .expect("a valid configuration")
                .routes();
            serve!(listener, move || routes!(routes.clone())
                .wrap(IdentityMiddleware::default())
                .wrap(session()))
        };
        say("ready");
        server.await.expect("the app server runs");
        // Both apps hold their pool until the server stops (the app without the middleware
        // keeps it open and idle).
        drop(pool);
    });
}

/// One line to the orchestrator.
pub fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")
        .and_then(|()| out.flush())
        .expect("stdout");
}

/// `/`: who is signed in, as the orchestrator checks after each login.
pub async fn home(identity: Option<Identity>) -> HttpResponse {
    match identity.and_then(|i| i.id().ok()) {
        Some(id) => HttpResponse::Ok().body(format!("signed in as {id}")),
        None => HttpResponse::Ok().body("anonymous"),
    }
}

/// An ordinary route the middleware does not own.
pub async fn ping() -> &'static str {
    "pong"
}

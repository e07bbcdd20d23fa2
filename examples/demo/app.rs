//! The demo app itself, separate from `main` so the tests can run exactly this app.

use std::net::TcpListener;

use actix_identity::{IdentityExt as _, IdentityMiddleware};
use actix_session::SessionMiddleware;
use actix_twitter_login::{
    store::{self, DieselResolver, StoreOptions},
    TwitterLoginMiddleware,
};
use actix_twitter_login_testkit::{MockProvider, MockUser, RunningProvider};
use actix_web::{cookie::Key, dev::Server, web, App, HttpRequest, HttpResponse, HttpServer};
use tera::{Context, Tera};

use sessions::Sessions;

#[path = "sessions.rs"]
mod sessions;

/// The app's settings, from the environment.
#[derive(Clone)]
pub struct Settings {
    /// `TWITTER_API_KEY` and `TWITTER_API_SECRET`; `None` starts the local provider.
    pub consumer: Option<(String, String)>,
    /// `TWITTER_CALLBACK_URL`; default `http://HOST:PORT/oauth/callback/twitter`.
    pub callback_url: Option<String>,
    /// `TWITTER_API_BASE_URL`; default `https://api.x.com`.
    pub api_base_url: Option<String>,
    /// `HOST`; default `127.0.0.1`.
    pub host: String,
    /// `PORT`; default 8080 (0 picks a free port).
    pub port: u16,
    /// `DATABASE_URL`; default the SQLite file `twitter-login.db` (`postgres://...` for
    /// PostgreSQL, with `--features postgres`).
    pub database_url: String,
    /// `REDIS_URL`: sessions in Redis (with `--features redis`) instead of the cookie.
    pub redis_url: Option<String>,
    /// `SESSION_KEY`: the cookie key as hex, at least 64 bytes, shared by every instance.
    pub session_key: Option<Key>,
}

impl Settings {
    /// The settings from `lookup` (the environment, in `main`); empty values count as unset.
    pub fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let var = |name: &str| lookup(name).filter(|v| !v.is_empty());
        let consumer = match (var("TWITTER_API_KEY"), var("TWITTER_API_SECRET")) {
            (Some(key), Some(secret)) => Some((key, secret)),
            (Some(_), None) => {
                return Err("TWITTER_API_KEY is set but TWITTER_API_SECRET is not".into())
            }
            _ => None,
        };
        let port = match var("PORT") {
            Some(port) => port
                .parse()
                .map_err(|_| format!("PORT `{port}` is not a port number"))?,
            None => 8080,
        };
        Ok(Self {
            consumer,
            callback_url: var("TWITTER_CALLBACK_URL"),
            api_base_url: var("TWITTER_API_BASE_URL"),
            host: var("HOST").unwrap_or_else(|| "127.0.0.1".into()),
            port,
            database_url: var("DATABASE_URL").unwrap_or_else(|| "twitter-login.db".into()),
            redis_url: var("REDIS_URL"),
            session_key: var("SESSION_KEY")
                .map(|hex| session_key(&hex))
                .transpose()?,
        })
    }
}

/// The running app.
pub struct Running {
    /// `http://HOST:PORT`.
    pub url: String,
    /// The server; await it to run until stopped.
    pub server: Server,
    /// The local provider, when no X keys were given.
    pub provider: Option<RunningProvider>,
}

/// Opens the database, starts the local provider if needed, and starts the app.
pub async fn start(settings: Settings) -> std::io::Result<Running> {
    let listener = TcpListener::bind((settings.host.as_str(), settings.port))?;
    let address = listener.local_addr()?;
    let url = format!("http://{}:{}", settings.host, address.port());
    let callback_url = settings
        .callback_url
        .clone()
        .unwrap_or_else(|| format!("{url}/oauth/callback/twitter"));

    let pool = store::connect(&settings.database_url, &StoreOptions::default())
        .map_err(std::io::Error::other)?;
    store::run_migrations(&pool).map_err(std::io::Error::other)?;

    let (key, secret, provider) = match settings.consumer.clone() {
        Some((key, secret)) => (key, secret, None),
        None => {
            let (key, secret) = ("local-consumer-key".to_owned(), random_secret());
            let provider = MockProvider::builder(&key, &secret)
                .callback_url(&callback_url)
                .user(MockUser::new("1001", "alice", "Alice"))
                .user(MockUser::new("1002", "bob", "Bob"))
                .user(MockUser::new("1003", "carol", "Carol <b>&</b> Co"))
                .start()
                .await?;
            (key, secret, Some(provider))
        }
    };
    let mut builder = TwitterLoginMiddleware::builder(key, secret, &callback_url)
        .failure_redirect("/login")
        .failure_message(true)
        .resolve_user(DieselResolver::new(pool.clone()));
    if let Some(base) = provider
        .as_ref()
        .map(RunningProvider::base_url)
        .or(settings.api_base_url)
    {
        builder = builder.api_base_url(base);
    }
    let twitter = builder.build().map_err(std::io::Error::other)?;

    let secure_cookies = callback_url.starts_with("https://");
    let cookie_key = settings.session_key.clone().unwrap_or_else(|| {
        tracing::warn!(
            "SESSION_KEY is not set: using a random cookie key, so sessions will not survive a \
             restart and are not shared with other instances"
        );
        Key::generate()
    });
    let sessions = Sessions::new(settings.redis_url.as_deref()).await?;
    let local_provider = provider.is_some();
    let pages = web::Data::new(pages());
    let routes = twitter.routes(); // GET /login, POST /logout
    let server = HttpServer::new(move || {
        let routes = routes.clone();
        App::new()
            .app_data(web::Data::new(pool.clone()))
            .app_data(pages.clone())
            .app_data(web::Data::new(LocalProvider(local_provider)))
            .configure(|c| routes.configure(c))
            .route("/", web::get().to(home))
            .route("/me", web::get().to(me))
            .wrap(twitter.clone())
            .wrap(IdentityMiddleware::default())
            .wrap(
                SessionMiddleware::builder(sessions.clone(), cookie_key.clone())
                    .cookie_secure(secure_cookies)
                    .build(),
            )
    })
    .listen(listener)?
    .run();
    Ok(Running {
        url,
        server,
        provider,
    })
}

struct LocalProvider(bool);

/// Parses `SESSION_KEY`: hex, at least 64 bytes.
fn session_key(hex: &str) -> Result<Key, String> {
    let hex = hex.trim();
    let bytes: Option<Vec<u8>> = (0..hex.len())
        .step_by(2)
        .map(|i| {
            hex.get(i..i + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
        })
        .collect();
    match bytes {
        Some(bytes) if bytes.len() >= 64 => Ok(Key::from(&bytes)),
        Some(bytes) => Err(format!(
            "SESSION_KEY has {} bytes; it needs at least 64 (128 hex digits)",
            bytes.len()
        )),
        None => Err("SESSION_KEY is not hex".into()),
    }
}

fn random_secret() -> String {
    use rand::{distributions::Alphanumeric, Rng as _};
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(40)
        .map(char::from)
        .collect()
}

fn pages() -> Tera {
    let mut tera = Tera::default();
    tera.add_raw_template("index.html", include_str!("index.html"))
        .expect("the demo's page parses");
    tera
}

async fn current_user(req: &HttpRequest, pool: &store::Pool) -> Option<store::User> {
    let id = req.get_identity().ok()?.id().ok()?;
    let pool = pool.clone();
    web::block(move || store::find_user(&pool, &id))
        .await
        .ok()?
        .ok()?
}

async fn home(
    req: HttpRequest,
    pool: web::Data<store::Pool>,
    pages: web::Data<Tera>,
    local: web::Data<LocalProvider>,
) -> HttpResponse {
    let mut context = Context::new();
    if let Some(user) = current_user(&req, &pool).await {
        context.insert("id", &user.id);
        context.insert("name", &user.name);
    }
    context.insert("local_provider", &local.0);
    match pages.render("index.html", &context) {
        Ok(page) => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(page),
        Err(_) => HttpResponse::InternalServerError().body("The page could not be shown."),
    }
}

async fn me(req: HttpRequest, pool: web::Data<store::Pool>) -> HttpResponse {
    match current_user(&req, &pool).await {
        Some(user) => {
            HttpResponse::Ok().json(serde_json::json!({"id": user.id, "name": user.name}))
        }
        None => HttpResponse::Unauthorized().json(serde_json::json!({"error": "not signed in"})),
    }
}

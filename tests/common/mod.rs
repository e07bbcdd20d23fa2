//! The shared test harness: a strict local provider and an app wrapped with the middleware,
//! both served over real HTTP on 127.0.0.1, and a cookie-keeping browser to drive them.
#![allow(dead_code)]

pub mod browser;
pub mod memory_store;

use std::{net::TcpListener, path::PathBuf};

use actix_identity::IdentityMiddleware;
use actix_session::{
    storage::{CookieSessionStore, SessionStore},
    SessionMiddleware,
};
use actix_twitter_login::{
    mock::{MockProvider, MockUser, RunningProvider},
    store::{self, DieselVerifier, StoreOptions},
    TwitterLogin, TwitterLoginBuilder,
};
use actix_web::{
    cookie::Key, dev::ServerHandle, middleware::Condition, web, App, HttpRequest, HttpResponse,
    HttpServer,
};
use diesel::{prelude::*, sql_types::BigInt};

pub use browser::{Browser, Page};
pub use memory_store::MemoryStore;

pub const CONSUMER_KEY: &str = "test-consumer-key";
pub const CONSUMER_SECRET: &str = "test-consumer-secret-value-0123456789";
pub const CALLBACK_PATH: &str = "/oauth/callback/twitter";
pub const SESSION_COOKIE: &str = "id";

/// Which session store the app uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sessions {
    /// actix-session's encrypted cookie store (the default).
    Cookie,
    /// A server-side store in memory, whose cookie is only a session id.
    Memory,
}

/// A provider plus an app, running.
pub struct TestApp {
    pub provider: RunningProvider,
    pub base_url: String,
    pub database: PathBuf,
    pub memory: MemoryStore,
    server: ServerHandle,
    _dir: tempfile::TempDir,
}

/// How to start a [`TestApp`].
pub struct Setup {
    users: Vec<MockUser>,
    sessions: Sessions,
    database_url: Option<String>,
    configure: Box<dyn FnOnce(TwitterLoginBuilder) -> TwitterLoginBuilder>,
    with_verifier: bool,
    identity: bool,
}

impl Default for Setup {
    fn default() -> Self {
        Self {
            users: Vec::new(),
            sessions: Sessions::Cookie,
            database_url: None,
            configure: Box::new(|b| b),
            with_verifier: true,
            identity: true,
        }
    }
}

impl Setup {
    pub fn user(mut self, user: MockUser) -> Self {
        self.users.push(user);
        self
    }

    pub fn sessions(mut self, sessions: Sessions) -> Self {
        self.sessions = sessions;
        self
    }

    /// A database URL instead of a fresh SQLite file (e.g. one that cannot be opened).
    pub fn database_url(mut self, url: impl Into<String>) -> Self {
        self.database_url = Some(url.into());
        self
    }

    /// Leaves the builder's verifier alone (for tests that set their own).
    pub fn own_verifier(mut self) -> Self {
        self.with_verifier = false;
        self
    }

    /// Leaves `IdentityMiddleware` out (a misconfigured app).
    pub fn without_identity(mut self) -> Self {
        self.identity = false;
        self
    }

    pub fn configure(
        mut self,
        configure: impl FnOnce(TwitterLoginBuilder) -> TwitterLoginBuilder + 'static,
    ) -> Self {
        self.configure = Box::new(configure);
        self
    }

    pub async fn start(self) -> TestApp {
        TestApp::start(self).await
    }
}

impl TestApp {
    pub fn setup() -> Setup {
        Setup::default()
    }

    async fn start(setup: Setup) -> TestApp {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the app");
        let port = listener.local_addr().unwrap().port();
        let base_url = format!("http://127.0.0.1:{port}");
        let callback_url = format!("{base_url}{CALLBACK_PATH}");

        let mut provider =
            MockProvider::builder(CONSUMER_KEY, CONSUMER_SECRET).callback_url(&callback_url);
        for user in setup.users {
            provider = provider.user(user);
        }
        let provider = provider.start().await.expect("start the local provider");

        let dir = tempfile::tempdir().unwrap();
        let database = dir.path().join("users.db");
        let options = StoreOptions {
            connection_timeout: std::time::Duration::from_millis(500),
            ..StoreOptions::default()
        };
        let pool = match &setup.database_url {
            Some(url) => store::connect_lazy(url, &options),
            None => {
                let pool =
                    store::connect(database.to_str().unwrap(), &options).expect("open SQLite");
                store::run_migrations(&pool).expect("migrate");
                pool
            }
        };

        let mut builder = TwitterLogin::builder(CONSUMER_KEY, CONSUMER_SECRET, &callback_url)
            .api_base_url(provider.base_url())
            .provider_timeout(std::time::Duration::from_secs(2));
        if setup.with_verifier {
            builder = builder.verifier(DieselVerifier::new(pool.clone()));
        }
        let twitter = (setup.configure)(builder)
            .build()
            .expect("a valid configuration");

        let key = Key::from(&[7u8; 64]);
        let memory = MemoryStore::default();
        let server = match setup.sessions {
            Sessions::Cookie => serve(
                listener,
                twitter,
                pool,
                key,
                setup.identity,
                CookieSessionStore::default,
            ),
            Sessions::Memory => {
                let memory = memory.clone();
                serve(listener, twitter, pool, key, setup.identity, move || {
                    memory.clone()
                })
            }
        };
        TestApp {
            provider,
            base_url,
            database,
            memory,
            server,
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Counts rows in the SQLite database the app writes to.
    pub fn count(&self, table: &str) -> i64 {
        #[derive(QueryableByName)]
        struct Count {
            #[diesel(sql_type = BigInt)]
            n: i64,
        }
        let mut conn = SqliteConnection::establish(self.database.to_str().unwrap()).unwrap();
        diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
            .get_result::<Count>(&mut conn)
            .unwrap()
            .n
    }

    /// Starts a login and approves it at the provider as `screen_name`; returns the callback
    /// URL the provider redirected to (not yet visited).
    pub async fn approve(&self, browser: &Browser, screen_name: &str) -> String {
        let start = browser.get(&self.url("/login/twitter")).await;
        assert_eq!(start.status, 302, "login start: {}", start.body);
        let authenticate = start.location.expect("a redirect to the provider");
        let token = query_value(&authenticate, "oauth_token").expect("oauth_token in the redirect");
        let approve = browser
            .get(&format!(
                "{}/oauth/authenticate/approve?oauth_token={token}&user={screen_name}",
                self.provider.base_url()
            ))
            .await;
        assert_eq!(approve.status, 302, "approve: {}", approve.body);
        approve.location.expect("a redirect to the callback")
    }

    /// A whole login as `screen_name`; returns the callback's response.
    pub async fn login(&self, browser: &Browser, screen_name: &str) -> Page {
        let callback = self.approve(browser, screen_name).await;
        browser.get(&callback).await
    }

    /// `GET /me` as this browser: `Some((id, name))` when signed in.
    pub async fn me(&self, browser: &Browser) -> Option<(String, String)> {
        let page = browser.get(&self.url("/me")).await;
        if page.status != 200 {
            return None;
        }
        let json: serde_json::Value = serde_json::from_str(&page.body).unwrap();
        Some((
            json["id"].to_string(),
            json["name"].as_str().unwrap().to_owned(),
        ))
    }

    pub async fn stop(self) {
        self.server.stop(false).await;
        self.provider.stop().await;
    }
}

/// One query parameter's decoded value.
pub fn query_value(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

fn serve<S, F>(
    listener: TcpListener,
    twitter: TwitterLogin,
    pool: store::Pool,
    key: Key,
    identity: bool,
    store: F,
) -> ServerHandle
where
    S: SessionStore + 'static,
    F: Fn() -> S + Clone + Send + 'static,
{
    let server = HttpServer::new(move || {
        App::new()
            .app_data(web::Data::new(pool.clone()))
            .configure(actix_twitter_login::routes)
            .route("/", web::get().to(home))
            .route("/me", web::get().to(me))
            .route("/plain", web::get().to(|| async { "plain" }))
            .route("/login/twitter", web::post().to(|| async { "posted" }))
            .wrap(twitter.clone())
            .wrap(Condition::new(identity, IdentityMiddleware::default()))
            .wrap(
                SessionMiddleware::builder(store(), key.clone())
                    .cookie_name(SESSION_COOKIE.into())
                    .cookie_secure(false)
                    .build(),
            )
    })
    .workers(2)
    .disable_signals()
    .listen(listener)
    .expect("listen")
    .run();
    let handle = server.handle();
    actix_web::rt::spawn(server);
    handle
}

async fn home(req: HttpRequest) -> HttpResponse {
    use actix_identity::IdentityExt as _;
    match req.get_identity().ok().and_then(|i| i.id().ok()) {
        Some(id) => HttpResponse::Ok().body(format!("signed in as {id}")),
        None => HttpResponse::Ok().body("anonymous"),
    }
}

async fn me(req: HttpRequest, pool: web::Data<store::Pool>) -> HttpResponse {
    use actix_identity::IdentityExt as _;
    let Some(id) = req.get_identity().ok().and_then(|i| i.id().ok()) else {
        return HttpResponse::Unauthorized().finish();
    };
    let pool = pool.get_ref().clone();
    match web::block(move || store::find_user(&pool, &id)).await {
        Ok(Ok(Some(user))) => {
            HttpResponse::Ok().json(serde_json::json!({"id": user.id, "name": user.name}))
        }
        _ => HttpResponse::Unauthorized().finish(),
    }
}

//! The shared test harness: a strict local provider and an app wrapped with the middleware,
//! both served over real HTTP on 127.0.0.1, and a cookie-keeping browser to drive them.

pub mod app;
pub mod backend;
pub mod browser;
pub mod memory_store;
#[cfg(all(feature = "postgres", feature = "redis"))]
pub mod proxy;
mod steps;

use std::net::TcpListener;

use actix_session::storage::CookieSessionStore;
use actix_twitter_login::{
    accounts::Accounts,
    store::{self, DieselResolver, StoreOptions, TokenKeys},
    TwitterLoginMiddleware, TwitterLoginMiddlewareBuilder,
};
use actix_twitter_login_testkit::{MockProvider, MockUser, OAuth2Client, RunningProvider};
use actix_web::{cookie::Key, dev::ServerHandle};

pub use app::{redis_store, serve};
pub use backend::{Backend, Database};
pub use browser::{Browser, Page};
pub use memory_store::MemoryStore;
#[cfg(all(feature = "postgres", feature = "redis"))]
pub use proxy::Proxy;
pub use steps::{approve, approve_at, approve_redirect, me, query_value};

pub const CONSUMER_KEY: &str = "test-consumer-key";
pub const CONSUMER_SECRET: &str = "test-consumer-secret-value-0123456789";
pub const CALLBACK_PATH: &str = "/oauth/callback/twitter";
pub const CLIENT_ID: &str = "test-oauth2-client-id";
pub const CLIENT_SECRET: &str = "test-oauth2-client-secret-value-9876543210";

/// The protocol the app signs in with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// OAuth 1.0a (the default).
    OAuth1,
    /// OAuth 2.0 with a confidential client (a client secret).
    OAuth2Confidential,
    /// OAuth 2.0 with a public client (no secret).
    OAuth2Public,
}
pub const SESSION_COOKIE: &str = "id";

/// Which session store the app uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sessions {
    /// actix-session's encrypted cookie store (the default).
    Cookie,
    /// A server-side store in memory, whose cookie is only a session id.
    Memory,
    /// actix-session's Redis store (`TEST_REDIS_URL`).
    Redis,
}

/// A provider plus an app, running.
pub struct TestApp {
    pub provider: RunningProvider,
    pub base_url: String,
    pub database: Database,
    pub memory: MemoryStore,
    /// The app's linked accounts and their stored tokens.
    pub accounts: Accounts,
    /// The key prefix of this app's sessions, with Redis sessions.
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    pub session_key_prefix: String,
    /// The proxy in front of the database server, when asked for.
    #[cfg(all(feature = "postgres", feature = "redis"))]
    pub database_proxy: Option<Proxy>,
    /// The proxy in front of Redis, when asked for.
    #[cfg(all(feature = "postgres", feature = "redis"))]
    pub redis_proxy: Option<Proxy>,
    server: ServerHandle,
}

/// How to start a [`TestApp`].
pub struct Setup {
    protocol: Protocol,
    provider: Box<
        dyn FnOnce(
            actix_twitter_login_testkit::MockProviderBuilder,
        ) -> actix_twitter_login_testkit::MockProviderBuilder,
    >,
    users: Vec<MockUser>,
    sessions: Option<Sessions>,
    database_url: Option<String>,
    #[cfg(all(feature = "postgres", feature = "redis"))]
    proxy_database: bool,
    #[cfg(all(feature = "postgres", feature = "redis"))]
    proxy_redis: bool,
    configure: Box<dyn FnOnce(TwitterLoginMiddlewareBuilder) -> TwitterLoginMiddlewareBuilder>,
    with_resolver: bool,
    identity: bool,
    backend: Option<Backend>,
    session_key_prefix: Option<String>,
}

impl Default for Setup {
    fn default() -> Self {
        Self {
            protocol: Protocol::OAuth1,
            provider: Box::new(|p| p),
            users: Vec::new(),
            sessions: None,
            database_url: None,
            #[cfg(all(feature = "postgres", feature = "redis"))]
            proxy_database: false,
            #[cfg(all(feature = "postgres", feature = "redis"))]
            proxy_redis: false,
            configure: Box::new(|b| b),
            with_resolver: true,
            identity: true,
            backend: None,
            session_key_prefix: None,
        }
    }
}

impl Setup {
    /// The key prefix of the app's Redis sessions: another app's, to share its sessions.
    /// Default: one of the app's own, so that signing a user out everywhere reaches no other
    /// test's sessions.
    pub fn session_key_prefix(mut self, prefix: &str) -> Self {
        self.session_key_prefix = Some(prefix.to_owned());
        self
    }

    /// Signs in with this protocol instead of OAuth 1.0a.
    pub fn protocol(mut self, protocol: Protocol) -> Self {
        self.protocol = protocol;
        self
    }

    /// Changes the provider's settings (code lifetime, ...).
    pub fn provider(
        mut self,
        configure: impl FnOnce(
                actix_twitter_login_testkit::MockProviderBuilder,
            ) -> actix_twitter_login_testkit::MockProviderBuilder
            + 'static,
    ) -> Self {
        self.provider = Box::new(configure);
        self
    }

    pub fn user(mut self, user: MockUser) -> Self {
        self.users.push(user);
        self
    }

    #[cfg(all(feature = "postgres", feature = "redis"))]
    /// A backend other than the run's (`TEST_BACKEND`), for tests that need one.
    pub fn backend(mut self, backend: Backend) -> Self {
        self.backend = Some(backend);
        self
    }

    /// A session store other than the run's backend's.
    pub fn sessions(mut self, sessions: Sessions) -> Self {
        self.sessions = Some(sessions);
        self
    }

    /// A database URL instead of a fresh database (e.g. one that cannot be opened).
    pub fn database_url(mut self, url: impl Into<String>) -> Self {
        self.database_url = Some(url.into());
        self
    }

    #[cfg(all(feature = "postgres", feature = "redis"))]
    /// Reaches the database server through a [`Proxy`] the test can cut.
    pub fn proxy_database(mut self) -> Self {
        self.proxy_database = true;
        self
    }

    #[cfg(all(feature = "postgres", feature = "redis"))]
    /// Reaches Redis through a [`Proxy`] the test can cut (Redis sessions).
    pub fn proxy_redis(mut self) -> Self {
        self.proxy_redis = true;
        self.sessions = Some(Sessions::Redis);
        self
    }

    /// Leaves the builder's resolver alone (for tests that set their own).
    pub fn own_resolver(mut self) -> Self {
        self.with_resolver = false;
        self
    }

    /// Leaves `IdentityMiddleware` out (a misconfigured app).
    pub fn without_identity(mut self) -> Self {
        self.identity = false;
        self
    }

    pub fn configure(
        mut self,
        configure: impl FnOnce(TwitterLoginMiddlewareBuilder) -> TwitterLoginMiddlewareBuilder + 'static,
    ) -> Self {
        self.configure = Box::new(configure);
        self
    }

    pub async fn start(self) -> TestApp {
        TestApp::start(self).await
    }
}

/// Short pool timeouts, so that an outage fails a login within seconds, not r2d2's 30.
pub fn store_options() -> StoreOptions {
    StoreOptions {
        connection_timeout: std::time::Duration::from_secs(2),
        ..StoreOptions::default()
    }
}

/// A listener on a free loopback port and its base URL.
pub fn bind() -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind the app");
    let port = listener.local_addr().unwrap().port();
    (listener, format!("http://127.0.0.1:{port}"))
}

/// The key every test app signs and encrypts its cookies with.
/// The app's own sign-up (`/test/sign-up`) gives its users a way to sign in besides X.
fn local_sign_in(pool: store::Pool) -> impl Fn(i32) -> bool + Send + Sync + 'static {
    move |user_id| {
        store::find_user(&pool, &user_id.to_string())
            .ok()
            .flatten()
            .is_some_and(|user| user.name == app::LOCAL_USER)
    }
}

/// The key the test app seals stored tokens with.
pub fn token_keys() -> TokenKeys {
    TokenKeys::from_hex("test-key-1", &"5a".repeat(32)).expect("a valid key")
}

pub fn cookie_key() -> Key {
    Key::from(&[7u8; 64])
}

impl TestApp {
    pub fn setup() -> Setup {
        Setup::default()
    }

    async fn start(setup: Setup) -> TestApp {
        let backend = setup.backend.unwrap_or_else(Backend::from_env);
        let (listener, base_url) = bind();
        let callback_url = format!("{base_url}{CALLBACK_PATH}");

        let oauth2_client = match setup.protocol {
            Protocol::OAuth2Public => OAuth2Client::public(CLIENT_ID),
            _ => OAuth2Client::confidential(CLIENT_ID, CLIENT_SECRET),
        };
        let mut provider = MockProvider::builder(CONSUMER_KEY, CONSUMER_SECRET)
            .callback_url(&callback_url)
            .oauth2_client(oauth2_client);
        for user in setup.users {
            provider = provider.user(user);
        }
        let provider = (setup.provider)(provider)
            .start()
            .await
            .expect("start the local provider");

        let database = Database::new(backend);
        let pool = match &setup.database_url {
            Some(url) => store::connect_lazy(url, &store_options()),
            None => {
                let pool =
                    store::connect(&database.url, &store_options()).expect("open the database");
                store::run_migrations(&pool).expect("migrate");
                pool
            }
        };
        #[cfg(all(feature = "postgres", feature = "redis"))]
        let database_proxy = setup
            .proxy_database
            .then(|| Proxy::start(&backend::host_port(&database.url)));
        #[cfg(all(feature = "postgres", feature = "redis"))]
        let pool = match &database_proxy {
            Some(proxy) => store::connect_lazy(
                &backend::with_host_port(&database.url, proxy.addr()),
                &store_options(),
            ),
            None => pool,
        };

        let builder = match setup.protocol {
            Protocol::OAuth1 => {
                TwitterLoginMiddleware::builder(CONSUMER_KEY, CONSUMER_SECRET, &callback_url)
            }
            Protocol::OAuth2Confidential => {
                TwitterLoginMiddleware::oauth2_builder(CLIENT_ID, &callback_url)
                    .client_secret(CLIENT_SECRET)
                    .authorize_url(format!("{}/i/oauth2/authorize", provider.base_url()))
            }
            Protocol::OAuth2Public => {
                TwitterLoginMiddleware::oauth2_builder(CLIENT_ID, &callback_url)
                    .authorize_url(format!("{}/i/oauth2/authorize", provider.base_url()))
            }
        };
        let mut builder = builder
            .api_base_url(provider.base_url())
            .provider_timeout(std::time::Duration::from_secs(2));
        let resolver = DieselResolver::new(pool.clone()).store_tokens(token_keys());
        let mut accounts = Accounts::builder(&resolver)
            .api_base_url(provider.base_url())
            .provider_timeout(std::time::Duration::from_secs(2))
            .oauth1_client(CONSUMER_KEY, CONSUMER_SECRET)
            .other_sign_in(local_sign_in(pool.clone()));
        accounts = match setup.protocol {
            Protocol::OAuth2Public => accounts.oauth2_client(CLIENT_ID, None),
            _ => accounts.oauth2_client(CLIENT_ID, Some(CLIENT_SECRET)),
        };
        let accounts = accounts.build().expect("a valid accounts configuration");
        if setup.with_resolver {
            builder = builder.resolve_user(resolver);
        }
        let twitter = (setup.configure)(builder)
            .build()
            .expect("a valid configuration");

        let memory = MemoryStore::default();
        let sessions = setup.sessions.unwrap_or(match backend {
            Backend::SqliteCookie => Sessions::Cookie,
            Backend::PostgresRedis => Sessions::Redis,
        });
        #[cfg(all(feature = "postgres", feature = "redis"))]
        let redis_proxy = setup
            .proxy_redis
            .then(|| Proxy::start(&backend::host_port(&backend::redis_url())));
        let id = setup.identity;
        let acc = accounts.clone();
        let session_key_prefix = setup
            .session_key_prefix
            .clone()
            .unwrap_or_else(|| format!("atl-test:{}:session:", rand::random::<u64>()));
        let server = match sessions {
            Sessions::Cookie => serve(
                listener,
                twitter,
                pool,
                acc,
                id,
                CookieSessionStore::default,
            ),
            Sessions::Memory => {
                let memory = memory.clone();
                serve(listener, twitter, pool, acc, id, move || memory.clone())
            }
            Sessions::Redis => {
                #[cfg(all(feature = "postgres", feature = "redis"))]
                let url = match &redis_proxy {
                    Some(proxy) => backend::with_host_port(&backend::redis_url(), proxy.addr()),
                    None => backend::redis_url(),
                };
                #[cfg(not(all(feature = "postgres", feature = "redis")))]
                let url = backend::redis_url();
                let store = redis_store(&url, &session_key_prefix).await;
                serve(listener, twitter, pool, acc, id, move || store.clone())
            }
        };
        TestApp {
            provider,
            base_url,
            database,
            memory,
            accounts,
            session_key_prefix,
            #[cfg(all(feature = "postgres", feature = "redis"))]
            database_proxy,
            #[cfg(all(feature = "postgres", feature = "redis"))]
            redis_proxy,
            server,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Counts rows in the database the app writes to.
    pub fn count(&self, table: &str) -> i64 {
        self.database.count(table)
    }

    /// Starts a login and approves it at the provider as `screen_name`; returns the callback
    /// URL the provider redirected to (not yet visited).
    pub async fn approve(&self, browser: &Browser, screen_name: &str) -> String {
        approve(
            browser,
            &self.base_url,
            &self.provider.base_url(),
            screen_name,
        )
        .await
    }

    /// [`approve`](Self::approve), starting at `start` (the login path with a query, say).
    pub async fn approve_from(&self, browser: &Browser, start: &str, screen_name: &str) -> String {
        approve_at(
            browser,
            &self.url(start),
            &self.provider.base_url(),
            screen_name,
        )
        .await
    }

    /// Approves the login whose redirect to the provider is `location`; returns the callback
    /// URL (not yet visited).
    pub async fn approve_location(
        &self,
        browser: &Browser,
        location: &str,
        screen_name: &str,
    ) -> String {
        approve_redirect(browser, location, &self.provider.base_url(), screen_name).await
    }

    /// A whole login as `screen_name`; returns the callback's response.
    pub async fn login(&self, browser: &Browser, screen_name: &str) -> Page {
        let callback = self.approve(browser, screen_name).await;
        browser.get(&callback).await
    }

    /// `GET /me` as this browser: `Some((id, name))` when signed in.
    pub async fn me(&self, browser: &Browser) -> Option<(String, String)> {
        me(browser, &self.base_url).await
    }

    pub async fn stop(self) {
        self.server.stop(false).await;
        self.provider.stop().await;
    }
}

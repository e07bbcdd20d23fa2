//! [`MockProvider`] and its builder: what the provider knows, and starting it.

use std::{
    fmt, io,
    net::{Ipv4Addr, SocketAddr},
    sync::Arc,
    time::Duration,
};

use actix_web::{web, App, HttpServer};

use crate::{
    handlers, oauth2,
    state::{Config, Shared},
    users::Users,
    MockUser, OAuth2Client, RunningProvider,
};

/// Configures and starts a [`RunningProvider`].
pub struct MockProviderBuilder {
    consumer_key: String,
    consumer_secret: String,
    callbacks: Vec<String>,
    users: Vec<MockUser>,
    app_name: String,
    timestamp_window: Duration,
    request_token_ttl: Duration,
    oauth2: oauth2::Settings,
    bind: SocketAddr,
}

impl fmt::Debug for MockProviderBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockProviderBuilder")
            .field("consumer_key", &self.consumer_key)
            .field("consumer_secret", &"[redacted]")
            .field("callbacks", &self.callbacks)
            .field("users", &self.users)
            .field("app_name", &self.app_name)
            .field("timestamp_window", &self.timestamp_window)
            .field("request_token_ttl", &self.request_token_ttl)
            .field("oauth2", &self.oauth2)
            .field("bind", &self.bind)
            .finish()
    }
}

/// Entry point: `MockProvider::builder(key, secret)`.
#[derive(Debug)]
pub struct MockProvider;

impl MockProvider {
    /// A provider that knows one OAuth 1.0a client (consumer key and secret); add an OAuth 2.0
    /// client with [`MockProviderBuilder::oauth2_client`].
    pub fn builder(
        consumer_key: impl Into<String>,
        consumer_secret: impl Into<String>,
    ) -> MockProviderBuilder {
        MockProviderBuilder {
            consumer_key: consumer_key.into(),
            consumer_secret: consumer_secret.into(),
            callbacks: Vec::new(),
            users: Vec::new(),
            app_name: "Local Test App".to_owned(),
            timestamp_window: Duration::from_secs(300),
            request_token_ttl: Duration::from_secs(15 * 60),
            oauth2: oauth2::Settings::default(),
            bind: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        }
    }
}

impl MockProviderBuilder {
    /// Registers a callback URL; `oauth_callback`, and OAuth 2.0's `redirect_uri`, must equal a
    /// registered one exactly (including trailing slashes). Call again to register more (X
    /// allows 10 per app). With none registered every request-token call gets the 415 error,
    /// and every OAuth 2.0 authorization request the error page.
    pub fn callback_url(mut self, url: impl Into<String>) -> Self {
        self.callbacks.push(url.into());
        self
    }

    /// Adds a user (default when none is added: alice 1001 and bob 1002).
    pub fn user(mut self, user: MockUser) -> Self {
        self.users.push(user);
        self
    }

    /// The app name shown on the authorization page (default `Local Test App`).
    pub fn app_name(mut self, name: impl Into<String>) -> Self {
        self.app_name = name.into();
        self
    }

    /// How far `oauth_timestamp` may be from the provider's clock (default 300 s); replayed
    /// nonces are remembered this long.
    pub fn timestamp_window(mut self, window: Duration) -> Self {
        self.timestamp_window = window;
        self
    }

    /// How long a request token stays valid (default 15 minutes).
    pub fn request_token_ttl(mut self, ttl: Duration) -> Self {
        self.request_token_ttl = ttl;
        self
    }

    /// The OAuth 2.0 client (its Client ID, and client secret if confidential); calling this
    /// again replaces it. Without one every OAuth 2.0 request is refused as from an unknown
    /// client.
    pub fn oauth2_client(mut self, client: OAuth2Client) -> Self {
        self.oauth2.client = Some(client);
        self
    }

    /// How long an OAuth 2.0 authorization code stays valid (default 30 s, as on X).
    pub fn code_ttl(mut self, ttl: Duration) -> Self {
        self.oauth2.code_ttl = ttl;
        self
    }

    /// How long an OAuth 2.0 access token stays valid (default 2 hours, as on X); the token
    /// response's `expires_in` says so in seconds.
    pub fn access_token_ttl(mut self, ttl: Duration) -> Self {
        self.oauth2.access_token_ttl = ttl;
        self
    }

    /// How many OAuth 2.0 token exchanges (of OAuth 1.0a access tokens) one source IP address
    /// may make per `period` (default 10,000 per 15 minutes, X's limit per app and IP address).
    /// The window opens at the first exchange and lasts `period`; the exchanges past `count`
    /// in it get 429 `rate_limited` with `x-rate-limit-reset`, and use nothing up. A count of
    /// 0 refuses every exchange.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// use std::time::Duration;
    ///
    /// use actix_twitter_login_testkit::{MockProvider, OAuth2Client};
    ///
    /// let provider = MockProvider::builder("consumer-key", "consumer-secret")
    ///     .oauth2_client(OAuth2Client::confidential("client-id", "client-secret"))
    ///     .token_exchange_limit(100, Duration::from_secs(1))
    ///     .start()
    ///     .await?;
    /// # let _ = provider;
    /// # Ok(()) }
    /// ```
    pub fn token_exchange_limit(mut self, count: u32, period: Duration) -> Self {
        self.oauth2.exchange_limit = oauth2::limit::ExchangeLimit { count, period };
        self
    }

    /// The address to listen on (default `127.0.0.1:0`, an ephemeral port).
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.bind = addr;
        self
    }

    /// Starts the provider inside the current actix system (e.g. under `#[actix_web::test]`
    /// or `#[actix_web::main]`), with one worker thread.
    pub async fn start(self) -> io::Result<RunningProvider> {
        let users = if self.users.is_empty() {
            vec![
                MockUser::new("1001", "alice", "Alice"),
                MockUser::new("1002", "bob", "Bob"),
            ]
        } else {
            self.users
        };
        let shared = Arc::new(Shared::new(Config {
            consumer_key: self.consumer_key,
            consumer_secret: self.consumer_secret,
            callbacks: self.callbacks,
            users: Users::new(users),
            app_name: self.app_name,
            timestamp_window: self.timestamp_window,
            request_token_ttl: self.request_token_ttl,
            oauth2: self.oauth2,
        }));
        let data = web::Data::from(Arc::clone(&shared));
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .configure(handlers::routes)
                .default_service(web::to(handlers::not_found))
        })
        .workers(1)
        .disable_signals()
        .shutdown_timeout(1)
        .bind(self.bind)?;
        let addr = server
            .addrs()
            .first()
            .copied()
            .ok_or_else(|| io::Error::other("the provider did not bind any address"))?;
        let server = server.run();
        let handle = server.handle();
        actix_web::rt::spawn(server);
        tracing::debug!(%addr, "local OAuth 1.0a and OAuth 2.0 provider started");
        Ok(RunningProvider::new(addr, shared, handle))
    }
}

//! A strict local OAuth 1.0a and OAuth 2.0 provider: Twitter's OAuth and profile endpoints on
//! loopback, for tests and offline demos. Both protocols share the same users and ids.
//!
//! The provider serves, relative to [`RunningProvider::base_url`]:
//!
//! | Route | What it does |
//! |---|---|
//! | `POST /oauth/request_token` | issues temporary credentials for a registered `oauth_callback` |
//! | `GET /oauth/authenticate`, `GET /oauth/authorize` | an HTML page listing the users, plus "Cancel" |
//! | `GET /oauth/authenticate/approve?oauth_token=T&user=<screen_name>` | 302 to the callback with `oauth_token` and `oauth_verifier` |
//! | `GET /oauth/authenticate/deny?oauth_token=T` | 302 to the callback with `denied=T` |
//! | `POST /oauth/access_token` | exchanges an approved request token and its verifier for token credentials |
//! | `GET /2/users/me` | the v2 user object (`profile_image_url`, `confirmed_email` on request), for a signed request or a bearer token |
//! | `GET /1.1/account/verify_credentials.json` | the v1.1 user object (`email` with `include_email=true`) |
//! | `GET /i/oauth2/authorize` | OAuth 2.0: an HTML page listing the users, plus "Cancel" |
//! | `GET /i/oauth2/authorize/approve?<the same query>&user=<screen_name>` | 302 to the `redirect_uri` with `state` and `code` |
//! | `GET /i/oauth2/authorize/deny?<the same query>` | 302 to the `redirect_uri` with `error=access_denied` and `state` |
//! | `POST /2/oauth2/token` | `grant_type=authorization_code` or `refresh_token`: X's JSON token response |
//! | `POST /2/oauth2/revoke` | revokes an access or refresh token: `{"revoked":true}` |
//!
//! # OAuth 1.0a
//!
//! Every signed request is checked with this crate's own RFC 5849 code ([`signature`]): the
//! `Authorization` header must carry HMAC-SHA1 `oauth_*` parameters, the timestamp must be within
//! the window (default 300 s), a `(consumer key, nonce, timestamp)` triple is accepted once, and
//! the signature must match. Errors use X's real shapes: v1.1 JSON codes 32, 89, 135 and 215, the
//! XML 415 body, v2 problem+json, and an empty 411 for a POST without `Content-Length`.
//!
//! Request tokens are single use and expire after 15 minutes; the first authenticated
//! `access_token` call consumes one whatever its outcome.
//!
//! # OAuth 2.0
//!
//! The authorization code grant with PKCE (RFC 6749, RFC 7636), for the one
//! [`OAuth2Client`] given to [`MockProviderBuilder::oauth2_client`]: a confidential client
//! authenticates at the token and revocation endpoints with HTTP Basic only, a public client
//! sends its `client_id` in the body and no `Authorization` header. The authorization request
//! needs `response_type=code`, the client's `client_id`, a `redirect_uri` equal to a registered
//! callback URL, known scopes, a `state` of at most 500 characters, and an `S256` or `plain`
//! code challenge; an unknown client or redirect URI gets an error page, any other fault a
//! redirect with `error=invalid_request` (or `invalid_scope`) and the `state`.
//!
//! An authorization code is single use (its first presentation consumes it whatever the
//! outcome) and lives 30 seconds ([`MockProviderBuilder::code_ttl`]); the token request must
//! name the same redirect URI and a code verifier of 43 to 128 unreserved characters that
//! matches the code challenge. Access tokens live two hours
//! ([`MockProviderBuilder::access_token_ttl`]); a refresh token is issued only with
//! `offline.access`, and each refresh spends it and issues a new one. `GET /2/users/me` takes
//! `Authorization: Bearer <access token>` with the scopes `tweet.read` and `users.read` (403
//! without), and answers `confirmed_email` only with `users.email`. The token and revocation
//! endpoints answer RFC 6749's JSON errors (`invalid_client` with 401, `invalid_request`,
//! `invalid_grant`, `invalid_scope`, `unsupported_grant_type` with 400).
//!
//! # Faults and counters
//!
//! [`Fault`]s injected with [`RunningProvider::inject`] apply after the credentials are checked
//! (signature, client authentication or bearer token, as X's 429 and 453 do) and before anything
//! is consumed (request token, authorization code, refresh token); [`Fault::Delay`] delays the
//! normal answer without blocking other requests. [`RunningProvider::requests`] counts the
//! requests per endpoint, [`RunningProvider::rejected`] the refused credentials and grants of
//! both protocols, and [`RunningProvider::issued_secrets`] lists the secrets, codes and tokens
//! issued.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use actix_twitter_login_testkit::{MockProvider, MockUser, OAuth2Client};
//!
//! let provider = MockProvider::builder("consumer-key", "consumer-secret")
//!     .callback_url("http://127.0.0.1:8080/auth/twitter/callback")
//!     .user(MockUser::new("1001", "alice", "Alice").with_email("alice@example.com"))
//!     .oauth2_client(OAuth2Client::confidential("client-id", "client-secret"))
//!     .start()
//!     .await?;
//! let api_base = provider.base_url(); // e.g. http://127.0.0.1:41234
//! let authorize_url = format!("{api_base}/i/oauth2/authorize");
//! # let _ = authorize_url;
//! provider.stop().await;
//! # Ok(()) }
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::{
    fmt, io,
    net::{Ipv4Addr, SocketAddr},
    sync::Arc,
    time::Duration,
};

use actix_web::{dev::ServerHandle, web, App, HttpServer};

mod auth;
mod expiry;
mod fault;
mod handlers;
mod nonces;
mod oauth2;
mod page;
mod reply;
pub mod signature;
mod state;
#[cfg(test)]
mod tests;
mod users;
mod users_me;

pub use fault::{Fault, MockEndpoint};
pub use oauth2::OAuth2Client;
use state::{Config, Shared};
pub use users::MockUser;
use users::Users;

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
        Ok(RunningProvider {
            addr,
            shared,
            handle: Some(handle),
        })
    }
}

/// A running local provider. Dropping it stops the server too (without waiting).
pub struct RunningProvider {
    addr: SocketAddr,
    shared: Arc<Shared>,
    handle: Option<ServerHandle>,
}

impl fmt::Debug for RunningProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RunningProvider")
            .field("base_url", &self.base_url())
            .finish_non_exhaustive()
    }
}

impl RunningProvider {
    /// `http://127.0.0.1:<port>`: the API base URL to configure the login with.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address the provider listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Makes `endpoint` answer with `fault` until [`clear_faults`](Self::clear_faults).
    pub fn inject(&self, endpoint: MockEndpoint, fault: Fault) {
        self.shared.lock().faults.insert(endpoint, fault);
    }

    /// Removes every injected fault.
    pub fn clear_faults(&self) {
        self.shared.lock().faults.clear();
    }

    /// The most recent secrets issued (up to 1024): OAuth 1.0a temporary and token secrets,
    /// OAuth 2.0 authorization codes, access tokens and refresh tokens, for tests that check no
    /// secret leaks into logs, pages or cookies.
    pub fn issued_secrets(&self) -> Vec<String> {
        self.shared.lock().issued_secrets.iter().cloned().collect()
    }

    /// How many requests reached `endpoint` so far (whatever their outcome).
    pub fn requests(&self, endpoint: MockEndpoint) -> usize {
        self.shared
            .lock()
            .requests
            .get(&endpoint)
            .copied()
            .unwrap_or(0)
    }

    /// How many requests were refused by the OAuth checks so far. OAuth 1.0a: missing or
    /// malformed OAuth data, unknown consumer key or token, stale timestamp, bad signature,
    /// replayed nonce. OAuth 2.0: every error of the token and revocation endpoints
    /// (`invalid_client`, `invalid_request`, `invalid_grant`, ...) and every unknown, revoked or
    /// expired bearer token. Injected faults and a bearer token's missing scope are not counted.
    pub fn rejected(&self) -> usize {
        self.shared.lock().rejected
    }

    /// Stops the server and waits until it has stopped.
    pub async fn stop(mut self) {
        if let Some(handle) = self.handle.take() {
            handle.stop(true).await;
        }
    }
}

impl Drop for RunningProvider {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take() {
            // The stop command is sent when `stop` is called; the returned future only waits.
            drop(handle.stop(false));
        }
    }
}

/// The README's example, compiled as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

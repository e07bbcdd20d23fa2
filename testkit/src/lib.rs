//! A strict local OAuth 1.0a provider: Twitter's OAuth and profile endpoints on loopback, for
//! tests and offline demos.
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
//! | `GET /2/users/me` | the v2 user object (`profile_image_url`, `confirmed_email` on request) |
//! | `GET /1.1/account/verify_credentials.json` | the v1.1 user object (`email` with `include_email=true`) |
//!
//! Every signed request is checked with this crate's own RFC 5849 code ([`signature`]): the
//! `Authorization` header must carry HMAC-SHA1 `oauth_*` parameters, the timestamp must be within
//! the window (default 300 s), a `(consumer key, nonce, timestamp)` triple is accepted once, and
//! the signature must match. Errors use X's real shapes: v1.1 JSON codes 32, 89, 135 and 215, the
//! XML 415 body, v2 problem+json, and an empty 411 for a POST without `Content-Length`.
//!
//! Request tokens are single use and expire after 15 minutes; the first authenticated
//! `access_token` call consumes one whatever its outcome. [`Fault`]s injected with
//! [`RunningProvider::inject`] apply after the signature checks (as X's 429 and 453 do) and
//! before the token is consumed; [`Fault::Delay`] delays the normal answer without blocking
//! other requests.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use actix_twitter_login_testkit::{MockProvider, MockUser};
//!
//! let provider = MockProvider::builder("consumer-key", "consumer-secret")
//!     .callback_url("http://127.0.0.1:8080/auth/twitter/callback")
//!     .user(MockUser::new("1001", "alice", "Alice").with_email("alice@example.com"))
//!     .start()
//!     .await?;
//! let api_base = provider.base_url(); // e.g. http://127.0.0.1:41234
//! # let _ = api_base;
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
mod handlers;
mod nonces;
mod page;
mod reply;
pub mod signature;
mod state;
#[cfg(test)]
mod tests;
mod users;

use state::{Config, Shared};
use users::Users;

/// A user the local provider can sign in as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockUser {
    /// The numeric user id, as a string (e.g. `"1001"`).
    pub id: String,
    /// The handle (`screen_name` / `username`).
    pub screen_name: String,
    /// The display name.
    pub name: String,
    /// The email the provider returns when asked for one.
    pub email: Option<String>,
}

impl MockUser {
    /// A user with the given id, handle and display name, and no email.
    pub fn new(
        id: impl Into<String>,
        screen_name: impl Into<String>,
        name: impl Into<String>,
    ) -> Self {
        Self {
            id: id.into(),
            screen_name: screen_name.into(),
            name: name.into(),
            email: None,
        }
    }

    /// The same user with an email address.
    pub fn with_email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// The avatar URL the provider reports for this user
    /// (`https://pbs.twimg.com/profile_images/<id>/<screen_name>_normal.jpg`).
    pub fn profile_image_url(&self) -> String {
        format!(
            "https://pbs.twimg.com/profile_images/{}/{}_normal.jpg",
            signature::percent_encode(&self.id),
            signature::percent_encode(&self.screen_name)
        )
    }
}

/// A provider endpoint a fault can be injected into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MockEndpoint {
    /// `POST /oauth/request_token`.
    RequestToken,
    /// `POST /oauth/access_token`.
    AccessToken,
    /// `GET /2/users/me`.
    UsersMe,
    /// `GET /1.1/account/verify_credentials.json`.
    VerifyCredentials,
}

/// A fault the provider answers with instead of its normal reply.
///
/// Faults apply once the request's signature has been verified (a badly signed request still
/// gets its authentication error), except [`Fault::Delay`], which waits first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// This status with a small plain-text body.
    Status(u16),
    /// 200 with a body that is neither form nor JSON.
    Garbage,
    /// 403 `{"errors":[{"code":453,...}]}` (the access tier lacks the endpoint).
    Forbidden453,
    /// 429 rate limited (v1.1 code 88, or v2 problem+json `rate-limit-exceeded`).
    RateLimited,
    /// 403 v2 problem+json with `reason: client-not-enrolled`.
    ClientNotEnrolled,
    /// 403 XML `<errors><error code="415">Callback URL not approved...</error></errors>`.
    CallbackNotApproved,
    /// A request-token reply with `oauth_callback_confirmed=false` (other endpoints answer
    /// normally).
    CallbackNotConfirmed,
    /// Wait this long, then answer normally.
    Delay(Duration),
    /// The inner fault on about `percent` % of the calls, chosen at random; the normal answer
    /// on the others.
    Sometimes {
        /// How often, from 0 to 100.
        percent: u8,
        /// What those calls get.
        fault: Box<Fault>,
    },
    /// Any status, content type and body.
    Body {
        /// HTTP status.
        status: u16,
        /// `Content-Type` header value.
        content_type: String,
        /// The body.
        body: String,
    },
}

/// Configures and starts a [`RunningProvider`].
pub struct MockProviderBuilder {
    consumer_key: String,
    consumer_secret: String,
    callbacks: Vec<String>,
    users: Vec<MockUser>,
    app_name: String,
    timestamp_window: Duration,
    request_token_ttl: Duration,
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
            .field("bind", &self.bind)
            .finish()
    }
}

/// Entry point: `MockProvider::builder(key, secret)`.
#[derive(Debug)]
pub struct MockProvider;

impl MockProvider {
    /// A provider that knows one client (consumer key and secret).
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
            bind: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        }
    }
}

impl MockProviderBuilder {
    /// Registers a callback URL; `oauth_callback` must equal a registered one exactly
    /// (including trailing slashes). Call again to register more (X allows 10 per app). With
    /// none registered every request-token call gets the 415 error.
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
        tracing::debug!(%addr, "local OAuth 1.0a provider started");
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

    /// The most recent temporary and token secrets issued (up to 1024), for tests that check
    /// no secret leaks into logs, pages or cookies.
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

    /// How many signed requests were refused by the OAuth checks so far: missing or malformed
    /// OAuth data, unknown consumer key or token, stale timestamp, bad signature, replayed nonce.
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

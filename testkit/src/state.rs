//! The provider's configuration and mutable state (tokens, nonces, faults, counters).

use std::{
    collections::HashMap,
    sync::{Mutex, MutexGuard},
    time::{Duration, Instant},
};

use super::{
    expiry::TokenTable, nonces::NonceLog, oauth2, signature::random_string, users::Users, Fault,
    MockEndpoint, MockUser,
};

/// At most this many request tokens are kept; the oldest is dropped to make room.
const MAX_REQUEST_TOKENS: usize = 10_000;
/// At most this many access tokens are kept; the oldest is dropped to make room.
const MAX_ACCESS_TOKENS: usize = 10_000;
/// At most this many recent nonces are kept (besides the purge by timestamp).
const MAX_NONCES: usize = 100_000;

/// What the provider was built with; never changes while it runs. `Debug` leaves the
/// consumer secret out.
pub(crate) struct Config {
    /// The one client's consumer key.
    pub consumer_key: String,
    /// The one client's consumer secret.
    pub consumer_secret: String,
    /// The registered callback URLs.
    pub callbacks: Vec<String>,
    /// The users one can sign in as, indexed by id and screen name.
    pub users: Users,
    /// The app name shown on the authorization page.
    pub app_name: String,
    /// How far `oauth_timestamp` may be from the provider's clock.
    pub timestamp_window: Duration,
    /// How long a request token stays valid.
    pub request_token_ttl: Duration,
    /// The OAuth 2.0 client and lifetimes.
    pub oauth2: oauth2::Settings,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("consumer_key", &self.consumer_key)
            .field("callbacks", &self.callbacks)
            .field("app_name", &self.app_name)
            .field("timestamp_window", &self.timestamp_window)
            .field("request_token_ttl", &self.request_token_ttl)
            .field("oauth2", &self.oauth2)
            .finish_non_exhaustive()
    }
}

impl Config {
    /// The first user with this exact id.
    pub fn user_by_id(&self, id: &str) -> Option<&MockUser> {
        self.users.by_id(id)
    }

    /// The first user whose screen name equals `screen_name` ignoring ASCII case.
    pub fn user_by_screen_name(&self, screen_name: &str) -> Option<&MockUser> {
        self.users.by_screen_name(screen_name)
    }

    /// Whether `callback` is exactly one of the registered callback URLs.
    pub fn callback_registered(&self, callback: &str) -> bool {
        self.callbacks.iter().any(|c| c == callback)
    }
}

/// What the user did on the authorization page.
#[derive(Debug, Clone)]
pub(crate) enum Grant {
    /// Not decided yet.
    Pending,
    /// The user signed in as `user_id`; the callback got `verifier`.
    Approved {
        /// The user chosen.
        user_id: String,
        /// The `oauth_verifier` sent to the callback.
        verifier: String,
    },
    /// The user cancelled.
    Denied,
}

/// Temporary credentials issued by `request_token`.
#[derive(Debug, Clone)]
pub(crate) struct RequestToken {
    /// The temporary secret.
    pub secret: String,
    /// The `oauth_callback` the token was issued for.
    pub callback: String,
    /// When the token was issued (it expires a TTL later).
    pub issued: Instant,
    /// What the user decided so far.
    pub grant: Grant,
}

/// Token credentials issued by `access_token`.
#[derive(Debug, Clone)]
struct AccessToken {
    /// The token secret.
    secret: String,
    /// The user the token stands for.
    user_id: String,
}

/// Everything that changes while the provider runs.
#[derive(Debug, Default)]
pub(crate) struct State {
    /// Request tokens by token, oldest first.
    request_tokens: TokenTable<RequestToken>,
    /// Access tokens by token, oldest first.
    access_tokens: TokenTable<AccessToken>,
    /// The `(consumer key, nonce, timestamp)` triples seen within the window.
    nonces: NonceLog,
    /// The OAuth 2.0 authorization codes, access tokens and refresh tokens.
    pub oauth2: oauth2::OAuth2Tokens,
    /// The token exchange's rate-limit windows, by source IP address.
    pub exchange_windows: oauth2::limit::ExchangeWindows,
    /// The faults injected, by endpoint.
    pub faults: HashMap<MockEndpoint, Fault>,
    /// How many requests reached each endpoint.
    pub requests: HashMap<MockEndpoint, usize>,
    /// How many requests the OAuth checks refused (1.0a signatures, OAuth 2.0 client
    /// authentication, grants and bearer tokens).
    pub rejected: usize,
    /// The most recent secrets issued, newest last (for tests that look for leaks).
    pub issued_secrets: std::collections::VecDeque<String>,
}

/// How many issued secrets are remembered for [`State::issued_secrets`].
const MAX_REMEMBERED_SECRETS: usize = 1024;

impl State {
    /// Issues a request token for `callback` and returns `(token, secret)`.
    pub fn issue_request_token(&mut self, callback: &str, ttl: Duration) -> (String, String) {
        let now = Instant::now();
        self.request_tokens.expire(now, ttl);
        self.request_tokens.make_room(MAX_REQUEST_TOKENS);
        let token = random_string(32);
        let secret = random_string(40);
        self.request_tokens.insert(
            token.clone(),
            now,
            RequestToken {
                secret: secret.clone(),
                callback: callback.to_owned(),
                issued: now,
                grant: Grant::Pending,
            },
        );
        self.remember_secret(&secret);
        (token, secret)
    }

    /// The request token if it was issued and has not expired or been used.
    pub fn request_token(&self, token: &str, ttl: Duration) -> Option<&RequestToken> {
        self.request_tokens
            .get(token)
            .filter(|t| t.issued.elapsed() < ttl)
    }

    /// Removes the request token (it is single use) and returns it if it was still valid.
    pub fn take_request_token(&mut self, token: &str, ttl: Duration) -> Option<RequestToken> {
        self.request_tokens
            .remove(token)
            .filter(|t| t.issued.elapsed() < ttl)
    }

    /// Records the user's decision on a pending token; returns its callback URL, or `None` when
    /// the token is unknown, expired or already decided.
    pub fn decide(&mut self, token: &str, ttl: Duration, grant: Grant) -> Option<String> {
        let record = self
            .request_tokens
            .get_mut(token)
            .filter(|t| t.issued.elapsed() < ttl && matches!(t.grant, Grant::Pending))?;
        record.grant = grant;
        Some(record.callback.clone())
    }

    /// Issues token credentials `<user_id>-<random>` for the user; returns `(token, secret)`.
    pub fn issue_access_token(&mut self, user_id: &str) -> (String, String) {
        self.access_tokens.make_room(MAX_ACCESS_TOKENS);
        let token = format!("{user_id}-{}", random_string(40));
        let secret = random_string(45);
        self.access_tokens.insert(
            token.clone(),
            Instant::now(),
            AccessToken {
                secret: secret.clone(),
                user_id: user_id.to_owned(),
            },
        );
        self.remember_secret(&secret);
        (token, secret)
    }

    /// Adds `secret` to [`Self::issued_secrets`], forgetting the oldest beyond the limit.
    pub(crate) fn remember_secret(&mut self, secret: &str) {
        if self.issued_secrets.len() >= MAX_REMEMBERED_SECRETS {
            self.issued_secrets.pop_front();
        }
        self.issued_secrets.push_back(secret.to_owned());
    }

    /// Invalidates token credentials (`POST /1.1/oauth/invalidate_token`): they are forgotten,
    /// so every later use finds no such token. `false` if they were not held.
    pub fn invalidate_access_token(&mut self, token: &str) -> bool {
        self.access_tokens.remove(token).is_some()
    }

    /// `(secret, user_id)` of an issued access token.
    pub fn access_token(&self, token: &str) -> Option<(&str, &str)> {
        self.access_tokens
            .get(token)
            .map(|t| (t.secret.as_str(), t.user_id.as_str()))
    }

    /// Records a `(consumer key, nonce, timestamp)` triple; `false` if it was already seen.
    /// Triples whose timestamp has left the window are purged first: a request carrying one
    /// would be refused for its timestamp anyway.
    pub fn record_nonce(
        &mut self,
        key: &str,
        nonce: &str,
        timestamp: u64,
        now: u64,
        window: Duration,
    ) -> bool {
        let window = window.as_secs();
        self.nonces
            .keep_between(now.saturating_sub(window), now.saturating_add(window));
        // When full, the oldest timestamp's triples go; a replay of those falls back on the
        // window.
        self.nonces.record(key, nonce, timestamp, MAX_NONCES)
    }
}

#[cfg(test)]
impl State {
    /// How many request tokens, access tokens and nonces are held.
    pub fn sizes(&self) -> (usize, usize, usize) {
        (
            self.request_tokens.len(),
            self.access_tokens.len(),
            self.nonces.len(),
        )
    }

    /// How many entries the issue orders of the request and access tokens hold, stale ones
    /// (of tokens taken) included.
    pub fn issue_order_lens(&self) -> (usize, usize) {
        (
            self.request_tokens.order_len(),
            self.access_tokens.order_len(),
        )
    }
}

/// Configuration and state, shared by the server workers and the [`RunningProvider`] handle.
///
/// [`RunningProvider`]: super::RunningProvider
pub(crate) struct Shared {
    pub config: Config,
    state: Mutex<State>,
}

/// `Debug` shows the configuration without its secret, and none of the state, which holds
/// the secrets of issued tokens.
impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Shared {
    /// Shares `config` with an empty state.
    pub fn new(config: Config) -> Self {
        Self {
            config,
            state: Mutex::new(State::default()),
        }
    }

    /// Locks the state; a panic in another holder does not make the state unusable.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Counts a request to each of `endpoints` (an endpoint, then the narrower kinds of request
    /// it is, if any) and returns the fault injected into the narrowest one that has a fault,
    /// if any.
    pub fn begin(&self, endpoints: &[MockEndpoint]) -> Option<Fault> {
        let mut state = self.lock();
        for endpoint in endpoints {
            *state.requests.entry(*endpoint).or_default() += 1;
        }
        let narrowest = endpoints
            .iter()
            .rev()
            .find(|endpoint| state.faults.contains_key(endpoint))?;
        match state.faults.get_mut(narrowest)? {
            Fault::Sometimes { percent, fault } => {
                let roll: u8 = rand::Rng::gen_range(&mut rand::thread_rng(), 0..100);
                (roll < *percent).then(|| (**fault).clone())
            }
            Fault::Times { count, fault } => {
                let left = count.checked_sub(1)?;
                *count = left;
                Some((**fault).clone())
            }
            fault => Some(fault.clone()),
        }
    }
}

/// Counts the request, applies a `Delay` fault, and returns the injected fault, if any.
pub(crate) async fn begin(shared: &Shared, endpoint: MockEndpoint) -> Option<Fault> {
    begin_all(shared, &[endpoint]).await
}

/// [`begin`] for a request that counts toward each of `endpoints`, the narrowest last (as
/// [`Shared::begin`]).
pub(crate) async fn begin_all(shared: &Shared, endpoints: &[MockEndpoint]) -> Option<Fault> {
    let fault = shared.begin(endpoints);
    if let Some(Fault::Delay(delay)) = &fault {
        actix_web::rt::time::sleep(*delay).await;
    }
    fault
}

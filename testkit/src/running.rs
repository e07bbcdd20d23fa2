//! [`RunningProvider`]: the handle a test holds on a started provider.

use std::{fmt, net::SocketAddr, sync::Arc};

use actix_web::dev::ServerHandle;

use crate::{state::Shared, Fault, MockEndpoint};

/// A running local provider. Dropping it stops the server too (without waiting).
pub struct RunningProvider {
    addr: SocketAddr,
    pub(crate) shared: Arc<Shared>,
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
    /// The handle on a server started at `addr` with `shared` as its state.
    pub(crate) fn new(addr: SocketAddr, shared: Arc<Shared>, handle: ServerHandle) -> Self {
        Self {
            addr,
            shared,
            handle: Some(handle),
        }
    }

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

    /// Test helper: token credentials `(token, secret)` for the user with this screen name
    /// (ignoring ASCII case), issued as `POST /oauth/access_token` issues them but without a
    /// browser or any request, e.g. to seed an app's store with users signed in over OAuth
    /// 1.0a. They work everywhere a pair from the three-legged flow works, and count toward the
    /// same bound on held token credentials (10,000, the oldest dropped first). Not counted in
    /// [`requests`](Self::requests). `None` when the provider has no such user.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// use actix_twitter_login_testkit::{MockProvider, MockUser};
    ///
    /// let provider = MockProvider::builder("consumer-key", "consumer-secret")
    ///     .user(MockUser::new("1001", "alice", "Alice"))
    ///     .start()
    ///     .await?;
    /// let (token, secret) = provider.issue_oauth1_token("alice").expect("alice is a user");
    /// # let _ = (token, secret);
    /// # Ok(()) }
    /// ```
    pub fn issue_oauth1_token(&self, screen_name: &str) -> Option<(String, String)> {
        let user = self.shared.config.user_by_screen_name(screen_name)?;
        Some(self.shared.lock().issue_access_token(&user.id))
    }

    /// Test helper: invalidates token credentials as `POST /1.1/oauth/invalidate_token` does
    /// (as when the user revokes the app), without a signed request: from then on they fail
    /// everywhere, and their token exchange gets `invalid_grant`. Not counted in
    /// [`requests`](Self::requests). `false` when the provider holds no such token.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// use actix_twitter_login_testkit::MockProvider;
    ///
    /// let provider = MockProvider::builder("consumer-key", "consumer-secret").start().await?;
    /// let (token, _secret) = provider.issue_oauth1_token("alice").expect("a default user");
    /// assert!(provider.invalidate_oauth1_token(&token));
    /// assert!(!provider.invalidate_oauth1_token(&token));
    /// # Ok(()) }
    /// ```
    pub fn invalidate_oauth1_token(&self, token: &str) -> bool {
        self.shared.lock().invalidate_access_token(token)
    }

    /// How many requests reached `endpoint` so far (whatever their outcome). A token exchange
    /// counts as [`MockEndpoint::OAuth2Token`] and as [`MockEndpoint::OAuth2TokenExchange`], so
    /// the latter says exactly how many exchanges reached the provider.
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
    /// expired bearer token. Injected faults, a bearer token's missing scope and a token
    /// exchange over the limit (429) are not counted.
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

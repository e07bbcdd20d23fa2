//! The middleware's validated configuration, shared by every worker.

use std::{sync::Arc, time::Duration};

use crate::{
    guard::Guard, login_page::LoginStart, protocol::Protocol, replay::SpentTokens,
    resolve::ResolveUser, templates::Templates,
};

/// The API base URL the provider URLs derive from by default.
pub const DEFAULT_API_BASE_URL: &str = "https://api.x.com";

/// The path that starts a login unless the builder says otherwise.
pub(crate) const DEFAULT_LOGIN_PATH: &str = "/login/twitter";

/// The path whose `POST` links an X account to the signed-in user, unless the builder says
/// otherwise.
pub(crate) const DEFAULT_LINK_PATH: &str = "/link/twitter";

/// What a failed login pushes onto the session's `messages` list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum FailureMessage {
    /// Push nothing (the default, as in passport).
    #[default]
    Off,
    /// Push the built-in text for each failure (e.g. "You cancelled signing in with Twitter.").
    BuiltIn,
    /// Push this text for every failure.
    Custom(String),
}

impl From<bool> for FailureMessage {
    fn from(on: bool) -> Self {
        if on {
            Self::BuiltIn
        } else {
            Self::Off
        }
    }
}

impl From<&str> for FailureMessage {
    fn from(text: &str) -> Self {
        Self::Custom(text.to_owned())
    }
}

impl From<String> for FailureMessage {
    fn from(text: String) -> Self {
        Self::Custom(text)
    }
}

/// The validated configuration, shared by every worker.
pub(crate) struct Config {
    pub protocol: Protocol,
    pub callback_path: String,
    pub login_path: String,
    /// The path whose `POST` starts a link.
    pub link_path: String,
    pub success_redirect: String,
    pub failure_redirect: Option<String>,
    pub failure_message: FailureMessage,
    pub session_key: String,
    pub max_pending_logins: usize,
    pub pending_login_ttl: Duration,
    pub resolver: Box<dyn ResolveUser>,
    pub resolve_timeout: Duration,
    /// The login start's query parameter naming where to return after signing in.
    pub return_to_param: String,
    /// The login start's rate limit and the bound on provider calls in flight.
    pub guard: Guard,
    /// The login starts with a `POST` of the login form (and its CSRF token).
    pub post_login_start: bool,
    /// The callback URL is https: cookies of the login's own are `Secure`.
    pub secure_cookies: bool,
    pub templates: Arc<Templates>,
    /// The tokens this middleware's callbacks spent (see [`crate::replay`]).
    pub spent: SpentTokens,
    /// The tokens every instance's callbacks spent, in Redis.
    #[cfg(feature = "redis")]
    pub shared_spent: Option<crate::RedisSpentTokens>,
}

impl Config {
    /// How the login page's button starts a login.
    pub(crate) fn login_start(&self) -> LoginStart {
        LoginStart {
            path: self.login_path.clone(),
            return_to_param: self.return_to_param.clone(),
            post: self.post_login_start,
            secure: self.secure_cookies,
        }
    }
}

//! The middleware's configuration and its builder.

use std::time::Duration;

use url::Url;

use std::sync::Arc;

use crate::{
    credentials::ClientCredentials,
    oauth::{ProfileSource, SignedUrl},
    templates::Templates,
    verify::Verify,
};

/// The API base URL the four provider URLs derive from by default.
pub const DEFAULT_API_BASE_URL: &str = "https://api.x.com";

/// What a failed login pushes onto the session's `messages` list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
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

/// What to do when the profile call fails (for example 403 code 453, or 429).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProfileErrorPolicy {
    /// Continue with the identity from the access-token reply and log a warning (the default).
    #[default]
    UseAccessToken,
    /// Fail the login.
    Fail,
}

/// The provider URLs, all absolute; the signed ones carry no query and are prepared for
/// signing once, here.
#[derive(Debug, Clone)]
pub(crate) struct Endpoints {
    pub request_token: SignedUrl,
    pub authenticate: Url,
    pub access_token: SignedUrl,
    pub users_me: SignedUrl,
    pub verify_credentials: SignedUrl,
}

/// The validated configuration, shared by every worker.
pub(crate) struct Config {
    pub client: ClientCredentials,
    pub callback_url: String,
    pub callback_path: String,
    pub login_path: String,
    pub endpoints: Endpoints,
    pub force_login: bool,
    pub screen_name: Option<String>,
    pub profile_source: ProfileSource,
    pub user_fields: String,
    pub include_email: bool,
    pub on_profile_error: ProfileErrorPolicy,
    pub success_redirect: String,
    pub failure_redirect: Option<String>,
    pub failure_message: FailureMessage,
    pub session_key: String,
    pub provider_timeout: Duration,
    pub max_reply_bytes: usize,
    pub max_pending_logins: usize,
    pub pending_login_ttl: Duration,
    pub verifier: Box<dyn Verify>,
    pub verify_timeout: Duration,
    pub templates: Arc<Templates>,
}

//! OAuth 1.0a (RFC 5849) as X speaks it: signing, the three provider calls, token replies,
//! the callback's query and provider errors.
//!
//! Everything here takes what it needs as arguments ([`Client`] for the app's side of the
//! protocol) and knows nothing of the middleware, the session or the user store.

pub(crate) mod callback;
pub(crate) mod calls;
mod credentials;
pub(crate) mod reply;
pub(crate) mod sign;
#[cfg(test)]
mod strategies;

use std::time::Duration;

use url::Url;

pub(crate) use credentials::{ClientCredentials, TemporaryCredentials};
pub(crate) use sign::SignedUrl;

use crate::{profile::ProfileSource, provider::Limits};

/// What to do when the profile call fails (for example 403 code 453, or 429).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ProfileErrorPolicy {
    /// Continue with the identity from the access-token reply and log a warning (the default).
    #[default]
    UseAccessToken,
    /// Fail the login.
    Fail,
}

/// The provider URLs, all absolute; the signed ones carry no query and are prepared for
/// signing once, when the configuration is built.
#[derive(Debug, Clone)]
pub(crate) struct Endpoints {
    pub request_token: SignedUrl,
    pub authenticate: Url,
    pub access_token: SignedUrl,
    pub users_me: SignedUrl,
    pub verify_credentials: SignedUrl,
}

/// The client (RFC 5849 §1.1: the app) as it takes part in the protocol: its credentials,
/// its callback, the provider's endpoints and what it asks of them.
#[derive(Debug)]
pub(crate) struct Client {
    pub credentials: ClientCredentials,
    /// `oauth_callback`, sent exactly as registered with X.
    pub callback: String,
    pub endpoints: Endpoints,
    pub force_login: bool,
    pub screen_name: Option<String>,
    pub profile_source: ProfileSource,
    /// `user.fields` for `/2/users/me`, `confirmed_email` included when the email is asked for.
    pub user_fields: String,
    pub include_email: bool,
    pub on_profile_error: ProfileErrorPolicy,
    /// The deadline of each provider call, body included.
    pub timeout: Duration,
    /// The largest provider reply read, in bytes.
    pub max_reply_bytes: usize,
}

impl Client {
    pub(crate) fn limits(&self) -> Limits {
        Limits {
            timeout: self.timeout,
            max_reply_bytes: self.max_reply_bytes,
        }
    }

    /// The URL the user is sent to with the temporary credentials' token.
    pub(crate) fn authenticate_url(&self, token: &str) -> String {
        let mut url = self.endpoints.authenticate.clone();
        {
            let mut query = url.query_pairs_mut();
            query.append_pair("oauth_token", token);
            if self.force_login {
                query.append_pair("force_login", "true");
            }
            if let Some(screen_name) = &self.screen_name {
                query.append_pair("screen_name", screen_name);
            }
        }
        url.into()
    }
}

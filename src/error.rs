//! Errors: [`ConfigError`] at build time, [`LoginFailure`] at request time.

use actix_web::http::StatusCode;

use crate::{
    callback::MalformedCallback,
    guard::Throttled,
    provider::ProviderError,
    resolve::{ResolveError, ResolveErrorKind},
};

/// A configuration the builder refused; it names the bad value (never a secret).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A required value is empty.
    #[error("`{option}` must not be empty")]
    Empty {
        /// The option's name.
        option: &'static str,
    },
    /// The callback URL is not an absolute http(s) URL.
    #[error("callback URL `{value}` is not usable: {reason}")]
    CallbackUrl {
        /// The value given.
        value: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A path or redirect target is not a same-origin path starting with `/` (or an absolute
    /// http(s) URL where one is allowed), or holds what a redirect must not: a leading `//`, a
    /// backslash, control characters, raw or percent-encoded.
    #[error("`{option}` `{value}` is not usable: {reason}")]
    Path {
        /// The option's name.
        option: &'static str,
        /// The value given.
        value: String,
        /// Why it is refused.
        reason: &'static str,
    },
    /// A provider URL is not usable.
    #[error("`{option}` URL `{value}` is not usable: {reason}")]
    Url {
        /// The option's name.
        option: &'static str,
        /// The value given.
        value: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A provider URL is plain `http` to a host that is not loopback, and
    /// [`allow_insecure_provider_urls`](crate::TwitterLoginMiddlewareBuilder::allow_insecure_provider_urls)
    /// was not asked for: the provider, or anyone on the path, could answer the token request
    /// with any user id and so sign anyone in.
    #[error(
        "`{option}` URL `{value}` is plain http to a host that is not loopback: the provider, \
         or anyone on the path, could answer the token request with any user id and sign \
         anyone in; use https (plain http is allowed for 127.0.0.0/8, ::1 and localhost)"
    )]
    InsecureUrl {
        /// The option's name (`api_base_url` for a URL derived from it).
        option: &'static str,
        /// The value given.
        value: String,
    },
    /// The login path is the callback URL's path.
    #[error("the login path and the callback URL's path are both `{path}`")]
    RouteClash {
        /// The shared path.
        path: String,
    },
    /// An option of one protocol was given to the other's builder (e.g. `force_login`, which
    /// is OAuth 1.0a's, on [`TwitterLoginMiddleware::oauth2_builder`](crate::TwitterLoginMiddleware::oauth2_builder)).
    #[error("`{option}` is an option of {protocol} only")]
    WrongProtocol {
        /// The option's name.
        option: &'static str,
        /// The protocol it belongs to.
        protocol: &'static str,
    },
    /// The OAuth 2.0 scope list is not usable.
    #[error("scopes `{value}` are not usable: {reason}")]
    Scopes {
        /// The list given.
        value: String,
        /// What is wrong with it.
        reason: String,
    },
    /// `max_pending_logins` is more than a session can hold: with the cookie store, that many
    /// pending logins could take the session cookie past the 4096 bytes browsers keep, and
    /// logins would fail without a word.
    #[error(
        "`max_pending_logins` is {value}, more than the {max} pending logins a session cookie \
         can hold"
    )]
    MaxPendingLogins {
        /// The value given.
        value: usize,
        /// The largest value accepted.
        max: usize,
    },
    /// A duration or limit is zero (for `pending_login_ttl`: under one second, as pending
    /// logins are timed in whole seconds).
    #[error("`{option}` must be greater than zero (pending_login_ttl: at least one second)")]
    Zero {
        /// The option's name.
        option: &'static str,
    },
}

/// Why a login failed. Its `Display` is for the log (it never holds a secret); users see
/// [`LoginFailure::user_message`].
#[derive(Debug, thiserror::Error)]
pub(crate) enum LoginFailure {
    /// The user cancelled at Twitter (`denied` on the callback).
    #[error("the user denied the authorization")]
    Denied,
    /// The callback came with no pending login in this session (expired, lost cookie, another
    /// browser).
    #[error("no pending login in this session")]
    NoPendingLogin,
    /// The callback's `oauth_token` is not one this session is waiting for.
    #[error("the callback's oauth_token or state does not match a pending login of this session")]
    TokenMismatch,
    /// The callback's temporary credentials were already used (a replayed callback, e.g. with
    /// a copy of an older session cookie).
    #[error("the callback's oauth_token or state was already used")]
    Replayed,
    /// The callback's query is malformed, oversized or incomplete.
    #[error("malformed callback: {0}")]
    MalformedCallback(&'static str),
    /// A provider call failed.
    #[error(transparent)]
    Provider(#[from] ProviderError),
    /// The profile does not belong to the user the access token was issued for.
    #[error("the profile id does not match the access token's user_id")]
    ProfileMismatch,
    /// The resolve step found no user.
    #[error("the resolve step returned no user")]
    NoUser(Option<String>),
    /// The resolve step failed.
    #[error(transparent)]
    ResolveUser(#[from] ResolveError),
    /// The session could not be read or written, or identity is not set up.
    #[error("session: {0}")]
    Session(String),
    /// A store the login needs (the shared set of spent keys) cannot be reached.
    #[error("unavailable: {0}")]
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    Unavailable(String),
    /// A login form post without the form's CSRF token, or that the browser says came from
    /// another site, or that could not be read.
    #[error("login form refused: {0}")]
    LoginForm(&'static str),
    /// A login started from another site's page while this session's pending logins are at
    /// their bound: starting it would push out one the user started here.
    #[error("a cross-site login start would evict a pending login")]
    CrossSiteStart,
    /// A link form post without the session's account form token, from another site, or
    /// unreadable.
    #[error("link form refused: {0}")]
    LinkForm(&'static str),
    /// A link started by a request with no signed-in user.
    #[error("a link was started without a signed-in user")]
    NotSignedIn,
    /// The user who started a link is no longer the one signed in at its callback.
    #[error("the signed-in user changed during a link")]
    LinkUserChanged,
    /// The resolve step refused the link (e.g. the X account belongs to another user).
    #[error("the link was refused")]
    LinkRefused(Option<String>),
    /// Turned away before any call to X: a client's rate limit, or the provider calls in
    /// flight.
    #[error("turned away: {}", .0.reason)]
    Throttled(Throttled),
}

impl From<MalformedCallback> for LoginFailure {
    fn from(MalformedCallback(reason): MalformedCallback) -> Self {
        Self::MalformedCallback(reason)
    }
}

impl LoginFailure {
    /// The status answered when no failure redirect is configured.
    ///
    /// | failure | status |
    /// |---|---|
    /// | denied, no user, no pending login, token mismatch, replayed | 401 |
    /// | malformed callback | 400 |
    /// | provider timeout | 504 |
    /// | other provider errors, profile mismatch | 502 |
    /// | resolve step: unavailable, shared spent keys unreachable | 503 |
    /// | resolve step: internal, session | 500 |
    /// | rate limit, provider calls in flight | 429 |
    /// | a cross-site start that would evict a pending login, a refused login or link form | 403 |
    /// | a link with no signed-in user | 401 |
    /// | a link whose user changed, a refused link | 403, 409 |
    pub(crate) fn status(&self) -> StatusCode {
        match self {
            LoginFailure::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
            LoginFailure::CrossSiteStart
            | LoginFailure::LoginForm(_)
            | LoginFailure::LinkForm(_)
            | LoginFailure::LinkUserChanged => StatusCode::FORBIDDEN,
            LoginFailure::NotSignedIn => StatusCode::UNAUTHORIZED,
            LoginFailure::LinkRefused(_) => StatusCode::CONFLICT,
            LoginFailure::Denied
            | LoginFailure::NoUser(_)
            | LoginFailure::NoPendingLogin
            | LoginFailure::TokenMismatch
            | LoginFailure::Replayed => StatusCode::UNAUTHORIZED,
            LoginFailure::MalformedCallback(_) => StatusCode::BAD_REQUEST,
            LoginFailure::Provider(ProviderError::Timeout { .. }) => StatusCode::GATEWAY_TIMEOUT,
            LoginFailure::Provider(_) | LoginFailure::ProfileMismatch => StatusCode::BAD_GATEWAY,
            LoginFailure::ResolveUser(e) if e.kind() == ResolveErrorKind::Unavailable => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            LoginFailure::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            LoginFailure::ResolveUser(_) | LoginFailure::Session(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    /// The seconds a client should wait before trying again, when the failure says.
    pub(crate) fn retry_after_secs(&self) -> Option<u64> {
        match self {
            LoginFailure::Throttled(throttled) => Some(throttled.retry_after_secs),
            _ => None,
        }
    }

    /// The short, readable text shown to the user (the built-in failure message).
    pub(crate) fn user_message(&self) -> &str {
        match self {
            LoginFailure::Throttled(_) => {
                "Too many sign-in attempts right now. Please wait a moment and try again."
            }
            LoginFailure::LoginForm(_) => {
                "This sign-in form expired or came from another site. Please sign in from this site's page."
            }
            LoginFailure::CrossSiteStart => {
                "This sign-in was started from another site. Please sign in from this site's own page."
            }
            LoginFailure::LinkForm(_) => {
                "This form expired or came from another site. Please connect X from this site's page."
            }
            LoginFailure::NotSignedIn => "Please sign in before connecting an X account.",
            LoginFailure::LinkUserChanged => {
                "You signed out or changed accounts while connecting X. Please try again."
            }
            LoginFailure::LinkRefused(Some(message)) => message,
            LoginFailure::LinkRefused(None) => {
                "This X account cannot be connected to your account."
            }
            LoginFailure::Denied => "You cancelled signing in with Twitter.",
            LoginFailure::NoPendingLogin => {
                "Your sign-in with Twitter expired or was started in another browser. Please try again."
            }
            LoginFailure::TokenMismatch => {
                "This sign-in with Twitter does not match the one you started. Please try again."
            }
            LoginFailure::Replayed => {
                "This sign-in with Twitter was already used. Please sign in again."
            }
            LoginFailure::MalformedCallback(_) => {
                "Twitter sent back an incomplete answer. Please try again."
            }
            LoginFailure::Provider(ProviderError::Timeout { .. }) => {
                "Twitter did not answer in time. Please try again later."
            }
            LoginFailure::Provider(_) | LoginFailure::ProfileMismatch => {
                "Signing in with Twitter failed: Twitter could not confirm your account. Please try again later."
            }
            LoginFailure::NoUser(Some(message)) => message,
            LoginFailure::NoUser(None) => "Your Twitter account may not sign in here.",
            LoginFailure::ResolveUser(e) if e.kind() == ResolveErrorKind::Unavailable => {
                "Sign-in is temporarily unavailable. Please try again later."
            }
            LoginFailure::Unavailable(_) => {
                "Sign-in is temporarily unavailable. Please try again later."
            }
            LoginFailure::ResolveUser(_) | LoginFailure::Session(_) => {
                "Something went wrong while signing you in. Please try again."
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::Endpoint;
    use std::time::Duration;

    #[test]
    fn status_map_is_explicit() {
        assert_eq!(LoginFailure::Denied.status(), 401);
        assert_eq!(LoginFailure::TokenMismatch.status(), 401);
        assert_eq!(LoginFailure::MalformedCallback("x").status(), 400);
        let timeout = ProviderError::Timeout {
            endpoint: Endpoint::AccessToken,
            after: Duration::from_secs(1),
        };
        assert_eq!(LoginFailure::Provider(timeout).status(), 504);
        let down = ResolveError::unavailable("db down");
        assert_eq!(LoginFailure::ResolveUser(down).status(), 503);
        assert_eq!(
            LoginFailure::ResolveUser(ResolveError::internal("bug")).status(),
            500
        );
    }

    #[test]
    fn no_user_message_replaces_the_built_in_text() {
        let failure = LoginFailure::NoUser(Some("Invite required".into()));
        assert_eq!(failure.user_message(), "Invite required");
        assert_ne!(LoginFailure::NoUser(None).user_message(), "");
    }
}

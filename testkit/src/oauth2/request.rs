//! The authorization request (RFC 6749 §4.1.1 with RFC 7636 §4.3), checked the same way by the
//! authorization page and by its approve and deny links.

use super::{
    params::Params,
    pkce::{challenge_is_well_formed, ChallengeMethod},
    scope::Scopes,
};
use crate::state::Config;

/// The most characters of `state` X accepts.
pub(crate) const MAX_STATE_LEN: usize = 500;

/// A valid authorization request.
#[derive(Debug, Clone)]
pub(crate) struct AuthorizationRequest {
    /// The registered client's `client_id`.
    pub client_id: String,
    /// The registered redirect URI it named.
    pub redirect_uri: String,
    /// The scopes it asked for.
    pub scopes: Scopes,
    /// Its `state`, returned to the redirect URI as is.
    pub state: String,
    /// Its `code_challenge`.
    pub code_challenge: String,
    /// Its `code_challenge_method`.
    pub method: ChallengeMethod,
}

/// Why an authorization request was refused, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// The client or the redirect URI cannot be trusted (RFC 6749 §4.1.2.1): an error page, no
    /// redirect.
    Page(&'static str),
    /// Back to the redirect URI with `error` and, when the request had one, `state`.
    Redirect {
        /// The registered redirect URI.
        redirect_uri: String,
        /// `invalid_request` or `invalid_scope`.
        error: &'static str,
        /// The request's `state`, if it had a usable one.
        state: Option<String>,
        /// What was wrong, for the log.
        reason: &'static str,
    },
}

/// Checks an authorization request against the registered client and redirect URIs.
pub(crate) fn check(params: &Params, config: &Config) -> Result<AuthorizationRequest, Refusal> {
    let client = config.oauth2.client.as_ref();
    let client_id = match (params.one("client_id"), client) {
        (Ok(Some(id)), Some(client)) if id == client.id() => id,
        _ => {
            return Err(Refusal::Page(
                "The client_id is missing or names no registered client.",
            ))
        }
    };
    let redirect_uri = match params.one("redirect_uri") {
        Ok(Some(uri)) if config.callback_registered(uri) => uri,
        _ => {
            return Err(Refusal::Page(
                "The redirect_uri is missing or is not a registered callback URL.",
            ))
        }
    };
    let state = params.one("state");
    let usable_state = match state {
        Ok(Some(state)) if !state.is_empty() => Some(state.to_owned()),
        _ => None,
    };
    let refuse = |error, reason| Refusal::Redirect {
        redirect_uri: redirect_uri.to_owned(),
        error,
        state: usable_state.clone(),
        reason,
    };
    let invalid = |reason| refuse("invalid_request", reason);

    if params.one("response_type") != Ok(Some("code")) {
        return Err(invalid("response_type must be code"));
    }
    let state = match state {
        Ok(Some(state)) if !state.is_empty() => state,
        _ => return Err(invalid("state is required, once")),
    };
    if state.chars().count() > MAX_STATE_LEN {
        return Err(invalid("state is longer than 500 characters"));
    }
    let method = match params.one("code_challenge_method") {
        Ok(Some(method)) => ChallengeMethod::parse(method),
        _ => None,
    };
    let Some(method) = method else {
        return Err(invalid("code_challenge_method must be S256 or plain"));
    };
    let code_challenge = match params.one("code_challenge") {
        Ok(Some(challenge)) if challenge_is_well_formed(method, challenge) => challenge,
        _ => return Err(invalid("code_challenge is missing or malformed")),
    };
    let scopes = match params.one("scope") {
        Ok(Some(scope)) => Scopes::parse(scope),
        Ok(None) => None,
        Err(_) => return Err(invalid("scope is repeated")),
    };
    let Some(scopes) = scopes else {
        return Err(refuse(
            "invalid_scope",
            "scope is missing, malformed or names an unknown scope",
        ));
    };
    Ok(AuthorizationRequest {
        client_id: client_id.to_owned(),
        redirect_uri: redirect_uri.to_owned(),
        scopes,
        state: state.to_owned(),
        code_challenge: code_challenge.to_owned(),
        method,
    })
}

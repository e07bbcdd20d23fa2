//! The token exchange at `POST /2/oauth2/token` (RFC 8693 with X's parameters): an OAuth 1.0a
//! access token and its secret, exchanged for OAuth 2.0 tokens for the same user, without a
//! consent screen.

use std::{
    net::{IpAddr, Ipv4Addr},
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use actix_web::{HttpRequest, HttpResponse};

use super::{
    client::OAuth2Client,
    error::OAuthError,
    limit::ExchangeLimit,
    params::Params,
    scope::{Scopes, EXCHANGE_SCOPES},
    store::TokenGrant,
    token::token_response,
};
use crate::{auth::is_form, reply, signature::constant_time_eq, state::Shared};

/// The `grant_type` of a token exchange (RFC 8693 §2.1).
pub(crate) const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
/// The `subject_token_type` X defines for an OAuth 1.0a access token.
pub(crate) const OAUTH1_TOKEN_TYPE: &str = "urn:x:params:oauth:token-type:oauth1_token";

/// X's description of a revoked, invalidated or unknown OAuth 1.0a token, or a wrong secret:
/// it gives no reason.
const INVALID_SUBJECT_TOKEN: &str = "Value passed for the token was invalid.";

/// Whether a token request is a token exchange: a form body whose one `grant_type` is
/// [`GRANT_TYPE`]. Decided before the request is counted, so that it counts as one.
pub(crate) fn is_token_exchange(req: &HttpRequest, body: &[u8]) -> bool {
    is_form(req)
        && std::str::from_utf8(body)
            .ok()
            .and_then(Params::parse)
            .is_some_and(|params| params.one("grant_type") == Ok(Some(GRANT_TYPE)))
}

/// `grant_type=urn:ietf:params:oauth:grant-type:token-exchange` with `subject_token` (an OAuth
/// 1.0a access token the provider issued and has not invalidated), `subject_token_type`
/// ([`OAUTH1_TOKEN_TYPE`]), `oauth_token_secret` (its secret) and an optional `scope` (some of
/// [`EXCHANGE_SCOPES`], all of them by default).
///
/// Over the exchange limit: 429 `rate_limited`, which uses nothing up and is not counted as
/// rejected. Otherwise the user's new OAuth 2.0 tokens, which supersede those of the subject
/// token's previous exchange (and of their refreshes): they stop working at once.
pub(crate) fn exchange(
    req: &HttpRequest,
    shared: &Shared,
    params: &Params,
    client: &OAuth2Client,
) -> Result<HttpResponse, OAuthError> {
    if let Some(limited) = over_limit(req, shared) {
        return Ok(limited);
    }
    let subject_token = params.required("subject_token")?;
    let subject_token_type = params.required("subject_token_type")?;
    let secret = params.required("oauth_token_secret")?;
    let requested = params.optional("scope")?;
    if subject_token_type != OAUTH1_TOKEN_TYPE {
        return Err(OAuthError::invalid_request(format!(
            "Value passed for subject_token_type [{subject_token_type}] is not supported."
        )));
    }
    let granted = Scopes::of(EXCHANGE_SCOPES);
    let scopes = match requested {
        None => granted,
        Some(requested) => match Scopes::parse(requested) {
            Some(narrower) if granted.includes(&narrower) => narrower,
            _ => {
                return Err(OAuthError::invalid_scope(
                    "The requested scope exceeds the scope the token exchange can grant.",
                ))
            }
        },
    };
    let ttl = shared.config.oauth2.access_token_ttl;
    let mut state = shared.lock();
    let user_id = match state.access_token(subject_token) {
        Some((held, user_id)) if constant_time_eq(held, secret) => user_id.to_owned(),
        _ => return Err(OAuthError::invalid_grant(INVALID_SUBJECT_TOKEN)),
    };
    if shared.config.user_by_id(&user_id).is_none() {
        return Err(OAuthError::invalid_grant(INVALID_SUBJECT_TOKEN));
    }
    let exchange = state.begin_token_exchange(subject_token);
    let scope = scopes.to_string();
    let grant = TokenGrant {
        client_id: client.id().to_owned(),
        user_id,
        scopes,
        issued: Instant::now(),
        exchange: Some(exchange),
    };
    let tokens = state.issue_oauth2_tokens(grant, ttl);
    drop(state);
    Ok(token_response(&tokens, &scope, ttl))
}

/// The 429 reply when the request's source IP address has used up its window; otherwise the
/// exchange is counted in it.
fn over_limit(req: &HttpRequest, shared: &Shared) -> Option<HttpResponse> {
    let limit = shared.config.oauth2.exchange_limit;
    let ip = req
        .peer_addr()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |addr| addr.ip());
    let exhausted = shared
        .lock()
        .exchange_windows
        .admit(ip, Instant::now(), limit)
        .err()?;
    tracing::debug!(%ip, "local provider refused a token exchange over the limit");
    Some(rate_limited(limit, exhausted.reset_in))
}

/// X's 429 for a token exchange over `limit`, whose window ends in `reset_in`.
pub(crate) fn rate_limited(limit: ExchangeLimit, reset_in: Duration) -> HttpResponse {
    // X's reset is a Unix time in whole seconds: the first one at which the window is over.
    let reset = (SystemTime::now() + reset_in)
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() + u64::from(d.subsec_nanos() > 0));
    reply::exchange_rate_limited(limit.count, reset)
}

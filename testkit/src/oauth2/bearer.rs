//! `Authorization: Bearer <access token>` on the v2 endpoints (RFC 6750 §2.1).

use actix_web::{http::header, HttpRequest};

use super::store::TokenGrant;
use crate::state::Shared;

/// Whether the request's `Authorization` header uses the `Bearer` scheme (any case).
pub(crate) fn is_bearer(req: &HttpRequest) -> bool {
    scheme_and_credentials(req).is_some_and(|(scheme, _)| scheme.eq_ignore_ascii_case("Bearer"))
}

fn scheme_and_credentials(req: &HttpRequest) -> Option<(&str, &str)> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    Some(value.split_once(' ').unwrap_or((value, "")))
}

/// The grant behind the request's bearer token, if it is an OAuth 2.0 access token that is
/// held (not revoked, not dropped) and younger than the access token TTL. A refusal is counted
/// as rejected.
pub(crate) fn authenticate(req: &HttpRequest, shared: &Shared) -> Option<TokenGrant> {
    let token = scheme_and_credentials(req)
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("Bearer"))
        .map(|(_, token)| token.trim())
        .filter(|token| !token.is_empty());
    let mut state = shared.lock();
    let grant = token.and_then(|token| {
        state
            .oauth2_access_token(token, shared.config.oauth2.access_token_ttl)
            .cloned()
    });
    if grant.is_none() {
        state.rejected += 1;
        tracing::debug!(
            path = req.path(),
            "local provider refused a bearer token (unknown, revoked or expired)"
        );
    }
    grant
}

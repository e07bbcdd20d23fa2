//! OAuth 2.0 beside OAuth 1.0a: the authorization code grant (RFC 6749 §4.1) with PKCE
//! (RFC 7636), refresh tokens (§6), the exchange of OAuth 1.0a access tokens (RFC 8693 with X's
//! parameters), token revocation (RFC 7009) and bearer tokens on the v2 endpoints (RFC 6750),
//! as strictly as X runs them.

use std::time::Duration;

use actix_web::web;

pub(crate) mod authorize;
pub(crate) mod bearer;
pub(crate) mod client;
pub(crate) mod error;
pub(crate) mod exchange;
mod issue;
pub(crate) mod limit;
pub(crate) mod params;
pub(crate) mod pkce;
pub(crate) mod request;
pub(crate) mod revoke;
pub(crate) mod scope;
pub(crate) mod store;
pub(crate) mod token;

pub use client::OAuth2Client;
pub(crate) use store::OAuth2Tokens;

/// How long an authorization code stays valid by default (X: 30 seconds).
pub(crate) const DEFAULT_CODE_TTL: Duration = Duration::from_secs(30);
/// How long an access token stays valid by default (X: two hours).
pub(crate) const DEFAULT_ACCESS_TOKEN_TTL: Duration = Duration::from_secs(2 * 60 * 60);

/// What the OAuth 2.0 side was built with. `Debug` leaves the client secret out (the client's
/// own `Debug` redacts it).
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// The one client; without it every OAuth 2.0 request is refused as an unknown client.
    pub client: Option<OAuth2Client>,
    /// How long an authorization code stays valid.
    pub code_ttl: Duration,
    /// How long an access token stays valid.
    pub access_token_ttl: Duration,
    /// How many token exchanges one IP address may make per period.
    pub exchange_limit: limit::ExchangeLimit,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            client: None,
            code_ttl: DEFAULT_CODE_TTL,
            access_token_ttl: DEFAULT_ACCESS_TOKEN_TTL,
            exchange_limit: limit::ExchangeLimit::default(),
        }
    }
}

/// Registers the OAuth 2.0 routes (`/2/users/me` is registered with the OAuth 1.0a routes and
/// serves both).
pub(crate) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/i/oauth2/authorize", web::get().to(authorize::authorize))
        .route(
            "/i/oauth2/authorize/approve",
            web::get().to(authorize::approve),
        )
        .route("/i/oauth2/authorize/deny", web::get().to(authorize::deny))
        .route("/2/oauth2/token", web::post().to(token::token))
        .route("/2/oauth2/revoke", web::post().to(revoke::revoke));
}

//! A strict local OAuth 1.0a and OAuth 2.0 provider: Twitter's OAuth and profile endpoints on
//! loopback, for tests and offline demos. Both protocols share the same users and ids.
//!
//! The provider serves, relative to [`RunningProvider::base_url`]:
//!
//! | Route | What it does |
//! |---|---|
//! | `POST /oauth/request_token` | issues temporary credentials for a registered `oauth_callback` |
//! | `GET /oauth/authenticate`, `GET /oauth/authorize` | an HTML page listing the users, plus "Cancel" |
//! | `GET /oauth/authenticate/approve?oauth_token=T&user=<screen_name>` | 302 to the callback with `oauth_token` and `oauth_verifier` |
//! | `GET /oauth/authenticate/deny?oauth_token=T` | 302 to the callback with `denied=T` |
//! | `POST /oauth/access_token` | exchanges an approved request token and its verifier for token credentials |
//! | `GET /2/users/me` | the v2 user object (`profile_image_url`, `confirmed_email` on request), for a signed request or a bearer token |
//! | `GET /1.1/account/verify_credentials.json` | the v1.1 user object (`email` with `include_email=true`) |
//! | `POST /1.1/oauth/invalidate_token` (or `.json`) | invalidates the token credentials that sign it: `{"access_token":..}` |
//! | `GET /i/oauth2/authorize` | OAuth 2.0: an HTML page listing the users, plus "Cancel" |
//! | `GET /i/oauth2/authorize/approve?<the same query>&user=<screen_name>` | 302 to the `redirect_uri` with `state` and `code` |
//! | `GET /i/oauth2/authorize/deny?<the same query>` | 302 to the `redirect_uri` with `error=access_denied` and `state` |
//! | `POST /2/oauth2/token` | `grant_type=authorization_code`, `refresh_token`, or `urn:ietf:params:oauth:grant-type:token-exchange` (OAuth 1.0a token credentials for OAuth 2.0 tokens): X's JSON token response |
//! | `POST /2/oauth2/revoke` | revokes an access or refresh token: `{"revoked":true}` |
//!
//! # OAuth 1.0a
//!
//! Every signed request is checked with this crate's own RFC 5849 code ([`signature`]): the
//! `Authorization` header must carry HMAC-SHA1 `oauth_*` parameters, the timestamp must be within
//! the window (default 300 s), a `(consumer key, nonce, timestamp)` triple is accepted once, and
//! the signature must match. Errors use X's real shapes: v1.1 JSON codes 32, 89, 135 and 215, the
//! XML 415 body, v2 problem+json, and an empty 411 for a POST without `Content-Length`.
//!
//! Request tokens are single use and expire after 15 minutes; the first authenticated
//! `access_token` call consumes one whatever its outcome. Token credentials stay valid until
//! invalidated with `POST /1.1/oauth/invalidate_token`; from then on every use of them is
//! refused as of an unknown token. [`RunningProvider::issue_oauth1_token`] issues token
//! credentials for a user without the three-legged flow, to seed a test's store.
//!
//! # OAuth 2.0
//!
//! The authorization code grant with PKCE (RFC 6749, RFC 7636), for the one
//! [`OAuth2Client`] given to [`MockProviderBuilder::oauth2_client`]: a confidential client
//! authenticates at the token and revocation endpoints with HTTP Basic only, a public client
//! sends its `client_id` in the body and no `Authorization` header. The authorization request
//! needs `response_type=code`, the client's `client_id`, a `redirect_uri` equal to a registered
//! callback URL, known scopes, a `state` of at most 500 characters, and an `S256` or `plain`
//! code challenge; an unknown client or redirect URI gets an error page, any other fault a
//! redirect with `error=invalid_request` (or `invalid_scope`) and the `state`.
//!
//! An authorization code is single use (its first presentation consumes it whatever the
//! outcome) and lives 30 seconds ([`MockProviderBuilder::code_ttl`]); the token request must
//! name the same redirect URI and a code verifier of 43 to 128 unreserved characters that
//! matches the code challenge. Access tokens live two hours
//! ([`MockProviderBuilder::access_token_ttl`]); a refresh token is issued only with
//! `offline.access`, and each refresh spends it and issues a new one. `GET /2/users/me` takes
//! `Authorization: Bearer <access token>` with the scopes `tweet.read` and `users.read` (403
//! without), and answers `confirmed_email` only with `users.email`. The token and revocation
//! endpoints answer RFC 6749's JSON errors (`invalid_client` with 401, `invalid_request`,
//! `invalid_grant`, `invalid_scope`, `unsupported_grant_type` with 400).
//!
//! # From OAuth 1.0a to OAuth 2.0: the token exchange
//!
//! X moves OAuth 1.0a users to OAuth 2.0 with RFC 8693's token exchange at the token endpoint:
//! `grant_type=urn:ietf:params:oauth:grant-type:token-exchange`, `subject_token` (the user's
//! OAuth 1.0a access token), `subject_token_type=urn:x:params:oauth:token-type:oauth1_token`,
//! `oauth_token_secret` (its secret), an optional `scope`, and the client authentication of the
//! other grants. The token credentials must be ones the provider issued and has not
//! invalidated, token and secret both matching; otherwise 400 `invalid_grant`, with no reason.
//! The reply is the usual token response for the same user, with the scopes of an app with
//! "Read" permission and email access (`tweet.read users.read follows.read users.email`) and
//! `offline.access`, or the fewer that `scope` asks for (`invalid_scope` for more).
//!
//! Each exchange of a token supersedes the tokens of its previous exchange, and those refreshed
//! from them: they stop working at `/2/users/me` and at the refresh grant. The OAuth 1.0a token
//! keeps working, and invalidating it later leaves the OAuth 2.0 tokens already issued alone.
//! Exchanges are rate-limited per source IP address
//! ([`MockProviderBuilder::token_exchange_limit`], X's 10,000 per 15 minutes by default): past
//! the limit, 429 `rate_limited` with `x-rate-limit-*` headers.
//!
//! # Faults and counters
//!
//! [`Fault`]s injected with [`RunningProvider::inject`] apply after the credentials are checked
//! (signature, client authentication or bearer token, as X's 429 and 453 do) and before anything
//! is consumed or superseded (request token, authorization code, refresh token, a token
//! exchange's previous tokens); [`Fault::Delay`] delays the normal answer without blocking other
//! requests. A fault injected into [`MockEndpoint::OAuth2TokenExchange`] applies to token
//! exchanges only, in place of one injected into [`MockEndpoint::OAuth2Token`].
//! [`RunningProvider::requests`] counts the requests per endpoint (a token exchange counts as
//! both), [`RunningProvider::rejected`] the refused credentials and grants of both protocols,
//! and [`RunningProvider::issued_secrets`] lists the secrets, codes and tokens issued.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use actix_twitter_login_testkit::{MockProvider, MockUser, OAuth2Client};
//!
//! let provider = MockProvider::builder("consumer-key", "consumer-secret")
//!     .callback_url("http://127.0.0.1:8080/auth/twitter/callback")
//!     .user(MockUser::new("1001", "alice", "Alice").with_email("alice@example.com"))
//!     .oauth2_client(OAuth2Client::confidential("client-id", "client-secret"))
//!     .start()
//!     .await?;
//! let api_base = provider.base_url(); // e.g. http://127.0.0.1:41234
//! let authorize_url = format!("{api_base}/i/oauth2/authorize");
//! # let _ = authorize_url;
//! provider.stop().await;
//! # Ok(()) }
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod auth;
mod builder;
mod expiry;
mod fault;
mod handlers;
mod nonces;
mod oauth2;
mod page;
mod reply;
mod running;
pub mod signature;
mod state;
#[cfg(test)]
mod tests;
mod users;
mod users_me;

pub use builder::{MockProvider, MockProviderBuilder};
pub use fault::{Fault, MockEndpoint};
pub use oauth2::OAuth2Client;
pub use running::RunningProvider;
pub use users::MockUser;

/// The README's example, compiled as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

//! Thin public wrappers over the crate's internal parsers and signer, for the fuzz targets in
//! `fuzz/` and the property and regression tests in `tests/`.
//!
//! Not a public API: this module exists only with the internal `__fuzzing` feature, is hidden
//! from the documentation, and may change in any release. Each function forwards to the code
//! the middleware itself runs; none adds checks of its own.

use std::time::Duration;

use actix_session::{Session, SessionExt as _};
use serde::Serialize;

use crate::{
    callback::CallbackQuery,
    credentials::{ClientCredentials, Secret, TemporaryCredentials, TokenCredentials},
    error::LoginFailure,
    oauth::{
        reply,
        sign::{self, Signing},
        ErrorBody, Profile,
    },
    session,
};

/// The longest callback query the middleware accepts, in bytes.
pub const MAX_CALLBACK_QUERY_BYTES: usize = crate::callback::MAX_QUERY_BYTES;

/// The most characters a provider message keeps once cleaned.
pub const MESSAGE_CHARS: usize = crate::oauth::text::MESSAGE_CHARS;

/// Parses a request-token reply body, as the login's first leg does.
///
/// # Errors
/// The reason the reply is refused, as the middleware would log it.
pub fn temporary_credentials(body: &[u8]) -> Result<TemporaryCredentials, String> {
    reply::temporary_credentials(body).map_err(|e| e.to_string())
}

/// An access-token reply, parsed.
#[derive(Debug, Clone)]
pub struct AccessReply {
    /// `oauth_token` and `oauth_token_secret`.
    pub credentials: TokenCredentials,
    /// `user_id`.
    pub user_id: String,
    /// `screen_name`.
    pub screen_name: String,
}

/// Parses an access-token reply body, as the callback does.
///
/// # Errors
/// The reason the reply is refused, as the middleware would log it.
pub fn access_reply(body: &[u8]) -> Result<AccessReply, String> {
    reply::access_reply(body)
        .map(|a| AccessReply {
            credentials: a.credentials,
            user_id: a.user_id,
            screen_name: a.screen_name,
        })
        .map_err(|e| e.to_string())
}

/// Parses a provider error body and looks up its operator hint.
pub fn error_body(content_type: Option<&str>, body: &[u8]) -> (ErrorBody, Option<&'static str>) {
    let parsed = ErrorBody::parse(content_type, body);
    let hint = parsed.hint();
    (parsed, hint)
}

/// Parses a `/2/users/me` reply.
///
/// # Errors
/// The reason the reply is refused.
pub fn users_me(body: &[u8]) -> Result<Profile, String> {
    Profile::from_users_me(body)
}

/// Parses a v1.1 `verify_credentials` reply.
///
/// # Errors
/// The reason the reply is refused.
pub fn verify_credentials(body: &[u8]) -> Result<Profile, String> {
    Profile::from_verify_credentials(body)
}

/// What a callback query parsed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Callback {
    /// `oauth_token` and `oauth_verifier`.
    Approved {
        /// The temporary credentials' token.
        token: String,
        /// The verifier.
        verifier: String,
    },
    /// `denied=<token>`.
    Denied {
        /// The denied token, if not empty.
        token: Option<String>,
    },
}

/// Parses a raw callback query string, as the callback route does.
///
/// # Errors
/// The failure the middleware answers with (always [`LoginFailure::MalformedCallback`]).
pub fn callback_query(query: &str) -> Result<Callback, LoginFailure> {
    CallbackQuery::parse(query).map(|parsed| match parsed {
        CallbackQuery::Approved { token, verifier } => Callback::Approved { token, verifier },
        CallbackQuery::Denied { token } => Callback::Denied { token },
    })
}

/// A fresh session, detached from any request, holding `stored` (serialized to JSON) under
/// `key`: the state the middleware finds when it reads the pending logins. Pass a
/// `serde_json::value::RawValue` to store JSON text exactly as given.
///
/// # Errors
/// When `stored` cannot be serialized.
pub fn session_holding(key: &str, stored: &impl Serialize) -> Result<Session, String> {
    let session = empty_session();
    session.insert(key, stored).map_err(|e| e.to_string())?;
    Ok(session)
}

/// A fresh, empty session.
pub fn empty_session() -> Session {
    actix_web::test::TestRequest::default()
        .to_srv_request()
        .get_session()
}

/// Remembers temporary credentials in `session` at the time `now` (seconds since the epoch),
/// as the login's first leg does.
///
/// # Errors
/// When the session cannot be written.
pub fn remember(
    session: &Session,
    key: &str,
    credentials: &TemporaryCredentials,
    max: usize,
    ttl: Duration,
    now: u64,
) -> Result<(), String> {
    session::remember_at(session, key, credentials, max, ttl, now)
}

pub use crate::session::Taken;

/// Takes the pending login for `token` at the time `now`, as the callback does.
///
/// # Errors
/// When the session cannot be written.
pub fn take(
    session: &Session,
    key: &str,
    token: &str,
    ttl: Duration,
    now: u64,
) -> Result<Taken, String> {
    session::take_at(session, key, token, ttl, now)
}

/// The credentials and extra `oauth_*` parameters of one signed request.
#[derive(Debug, Clone, Copy)]
pub struct SignInput<'a> {
    /// `oauth_consumer_key`.
    pub consumer_key: &'a str,
    /// The consumer secret.
    pub consumer_secret: &'a str,
    /// `oauth_token` and its secret, if any.
    pub token: Option<(&'a str, &'a str)>,
    /// `oauth_callback`, if any.
    pub callback: Option<&'a str>,
    /// `oauth_verifier`, if any.
    pub verifier: Option<&'a str>,
}

/// The `Authorization` header value the middleware sends for `method uri` with the given raw
/// query parameters (random nonce, current timestamp).
pub fn authorization(
    method: &str,
    uri: &str,
    params: &[(&str, &str)],
    input: &SignInput<'_>,
) -> String {
    let client = ClientCredentials {
        key: input.consumer_key.to_owned(),
        secret: Secret::new(input.consumer_secret),
    };
    let token_secret = input.token.map(|(_, secret)| Secret::new(secret));
    let token = input
        .token
        .zip(token_secret.as_ref())
        .map(|((token, _), secret)| (token, secret));
    sign::authorization(
        method,
        uri,
        params,
        &Signing {
            client: &client,
            token,
            callback: input.callback,
            verifier: input.verifier,
            fixed: None,
        },
    )
}

/// The request URI the middleware sends: `uri` with `params` as its query, encoded as signed.
pub fn with_query(uri: &str, params: &[(&str, &str)]) -> String {
    sign::with_query(uri, params)
}

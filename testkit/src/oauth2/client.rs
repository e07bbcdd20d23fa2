//! The OAuth 2.0 client and its authentication at the token and revocation endpoints
//! (RFC 6749 §2.3).

use std::fmt;

use actix_web::{http::header, HttpRequest};
use base64::{engine::general_purpose::STANDARD, Engine as _};

use super::{error::OAuthError, params::Params, Settings};
use crate::signature::{constant_time_eq, form_decode};

/// The OAuth 2.0 client the provider knows (its OAuth 2.0 Client ID, not the OAuth 1.0a
/// consumer key).
///
/// A confidential client has a client secret and authenticates with
/// `Authorization: Basic base64(client_id:client_secret)`; a public client has none and sends
/// `client_id` in the form body. `Debug` leaves the client secret out.
#[derive(Clone, PartialEq, Eq)]
pub struct OAuth2Client {
    id: String,
    secret: Option<String>,
}

impl OAuth2Client {
    /// A confidential client (X's "Web App, Automated App or Bot"), with a client secret.
    pub fn confidential(id: impl Into<String>, secret: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            secret: Some(secret.into()),
        }
    }

    /// A public client (X's "Native App" or "Single page App"), without a client secret.
    pub fn public(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            secret: None,
        }
    }

    /// The client identifier.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Whether the client is confidential (has a client secret).
    pub fn is_confidential(&self) -> bool {
        self.secret.is_some()
    }
}

impl fmt::Debug for OAuth2Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("OAuth2Client");
        debug.field("id", &self.id);
        match self.secret {
            Some(_) => debug
                .field("client_type", &"confidential")
                .field("secret", &"[redacted]"),
            None => debug.field("client_type", &"public"),
        };
        debug.finish()
    }
}

/// X's description of a confidential client's missing or bad Basic credentials.
const MISSING_BASIC: &str = "Missing valid authorization header";

/// Authenticates the client of a token or revocation request, as X does: a confidential client
/// with HTTP Basic only (`client_secret_basic`), a public client with `client_id` in the body
/// and no `Authorization` header (`none`). Anything else is `invalid_client`.
pub(crate) fn authenticate<'a>(
    req: &HttpRequest,
    params: &Params,
    settings: &'a Settings,
) -> Result<&'a OAuth2Client, OAuthError> {
    let Some(client) = settings.client.as_ref() else {
        return Err(OAuthError::invalid_client(
            "No OAuth 2.0 client is registered with this provider.",
        ));
    };
    let body_id = params.optional("client_id")?;
    if params.optional("client_secret")?.is_some() {
        return Err(OAuthError::invalid_client(
            "client_secret in the request body is not supported; use HTTP Basic authentication.",
        ));
    }
    let authorization = req.headers().get(header::AUTHORIZATION);
    match &client.secret {
        Some(secret) => {
            let (id, sent) = authorization
                .and_then(|v| v.to_str().ok())
                .and_then(parse_basic)
                .ok_or_else(|| OAuthError::invalid_client(MISSING_BASIC))?;
            if id != client.id || !constant_time_eq(&sent, secret) {
                return Err(OAuthError::invalid_client(MISSING_BASIC));
            }
            if body_id.is_some_and(|body_id| body_id != client.id) {
                return Err(OAuthError::invalid_client(
                    "client_id does not match the authenticated client.",
                ));
            }
        }
        None => {
            if authorization.is_some() {
                return Err(OAuthError::invalid_client(
                    "A public client does not authenticate with an Authorization header.",
                ));
            }
            if body_id != Some(client.id.as_str()) {
                return Err(OAuthError::invalid_client(
                    "Missing or unknown client_id for a public client.",
                ));
            }
        }
    }
    Ok(client)
}

/// The `(client_id, client_secret)` of an `Authorization: Basic` value: base64 of
/// `id:secret`, each form-urlencoded first (RFC 6749 §2.3.1).
pub(crate) fn parse_basic(value: &str) -> Option<(String, String)> {
    let (scheme, credentials) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("Basic") {
        return None;
    }
    let decoded = STANDARD.decode(credentials.trim()).ok()?;
    let decoded = String::from_utf8(decoded).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((form_decode(id).ok()?, form_decode(secret).ok()?))
}

//! What the app receives of a login: the [`Credentials`] of whichever protocol ran (OAuth 1.0a
//! token credentials, or OAuth 2.0 tokens), and [`Secret`].
//!
//! Every secret is wrapped in [`Secret`], whose `Debug` output is redacted and which has no
//! `PartialEq`, so a secret cannot end up in a log line or be compared in variable time by
//! accident.

use std::{fmt, time::SystemTime};

/// A secret string: a consumer secret or a token secret.
///
/// `Debug` prints `Secret([redacted])`; there is no `Display` and no `PartialEq`.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret value.
    ///
    /// # Security Warning
    /// Never log or render the value. Compare it only with
    /// [`subtle::ConstantTimeEq`]-style comparisons.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// What acts for the signed-in user, from whichever protocol signed them in.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Credentials {
    /// OAuth 1.0a token credentials.
    OAuth1(TokenCredentials),
    /// OAuth 2.0 tokens.
    OAuth2(AccessToken),
}

/// An OAuth 2.0 access token (RFC 6749), with the refresh token, expiry and scopes that came
/// with it.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct AccessToken {
    /// The access token (`Authorization: Bearer`).
    pub token: Secret,
    /// The refresh token, when `offline.access` was granted.
    pub refresh_token: Option<Secret>,
    /// When the access token expires (from `expires_in`), if the provider said.
    pub expires_at: Option<SystemTime>,
    /// The granted scopes.
    pub scopes: Vec<String>,
}

/// Token credentials (the "access token") that act for the signed-in user.
#[derive(Clone, Debug)]
pub struct TokenCredentials {
    /// The token identifier (`oauth_token`).
    pub token: String,
    /// The token shared secret (`oauth_token_secret`).
    pub secret: Secret,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_secrets() {
        let token = TokenCredentials {
            token: "tok".into(),
            secret: Secret::new("very-secret-value"),
        };
        let printed = format!("{token:?} {:?}", token.secret);
        assert!(!printed.contains("very-secret-value"), "{printed}");
        assert!(printed.contains("[redacted]"));
        assert_eq!(token.secret.expose(), "very-secret-value");
    }
}

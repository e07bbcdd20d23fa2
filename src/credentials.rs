//! Credentials in RFC 5849's words: client, temporary and token credentials.
//!
//! Every secret is wrapped in [`Secret`], whose `Debug` output is redacted and which has no
//! `PartialEq`, so a secret cannot end up in a log line or be compared in variable time by
//! accident.

use std::fmt;

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

/// The client credentials: the app's consumer key (API key) and consumer secret.
#[derive(Clone, Debug)]
pub struct ClientCredentials {
    /// The consumer key (`oauth_consumer_key`); not secret.
    pub key: String,
    /// The consumer secret.
    pub secret: Secret,
}

/// Temporary credentials (the "request token") obtained in the first leg of the flow.
#[derive(Clone, Debug)]
pub struct TemporaryCredentials {
    /// The temporary credentials identifier (`oauth_token`).
    pub token: String,
    /// The temporary credentials shared secret (`oauth_token_secret`).
    pub secret: Secret,
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
        let client = ClientCredentials {
            key: "key".into(),
            secret: Secret::new("consumer-secret-value"),
        };
        let printed = format!("{token:?} {client:?} {:?}", token.secret);
        assert!(!printed.contains("very-secret-value"), "{printed}");
        assert!(!printed.contains("consumer-secret-value"), "{printed}");
        assert!(printed.contains("[redacted]"));
        assert_eq!(token.secret.expose(), "very-secret-value");
    }
}

//! The client's own credentials and the temporary credentials of one login (RFC 5849 §1.1).
//! Token credentials, which the app receives, are [`crate::TokenCredentials`].

use crate::credentials::Secret;

/// The client credentials: the app's consumer key (API key) and consumer secret.
#[derive(Clone, Debug)]
pub(crate) struct ClientCredentials {
    /// The consumer key (`oauth_consumer_key`); not secret.
    pub key: String,
    /// The consumer secret.
    pub secret: Secret,
}

/// Temporary credentials (the "request token") obtained in the first leg of the flow.
#[derive(Clone, Debug)]
pub(crate) struct TemporaryCredentials {
    /// The temporary credentials identifier (`oauth_token`).
    pub token: String,
    /// The temporary credentials shared secret (`oauth_token_secret`).
    pub secret: Secret,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_secrets() {
        let client = ClientCredentials {
            key: "key".into(),
            secret: Secret::new("consumer-secret-value"),
        };
        let temporary = TemporaryCredentials {
            token: "tok".into(),
            secret: Secret::new("temporary-secret-value"),
        };
        let printed = format!("{client:?} {temporary:?}");
        assert!(!printed.contains("consumer-secret-value"), "{printed}");
        assert!(!printed.contains("temporary-secret-value"), "{printed}");
        assert!(printed.contains("[redacted]"));
    }
}

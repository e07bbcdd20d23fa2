//! What can go wrong acting for a user.

use crate::{provider::ProviderError, store::TokenStoreError};

/// Why [`Accounts`](super::Accounts) could not do what was asked. Its text names no token or
/// secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AccountError {
    /// The user has no linked X account (or no stored tokens for it).
    #[error("the user has no linked X account with stored tokens")]
    NotLinked,
    /// X refused the stored tokens (revoked, or a refresh token already used): the user must
    /// sign in with X again. The link is marked so ([`LinkedAccount::needs_reauthorization`]).
    ///
    /// [`LinkedAccount::needs_reauthorization`]: crate::accounts::LinkedAccount::needs_reauthorization
    #[error("X refused the stored tokens: the user must sign in with X again")]
    NeedsReauthorization,
    /// The stored tokens are OAuth 1.0a token credentials, and OAuth 2.0 was asked for: move
    /// them with the migration job, or have the user sign in again.
    #[error("the stored tokens are OAuth 1.0a token credentials, not OAuth 2.0 tokens")]
    NotOAuth2,
    /// Unlinking would remove the user's last way to sign in.
    #[error("unlinking would remove the user's last way to sign in")]
    LastSignIn,
    /// The builder was given no client for this protocol.
    #[error("no {0} client is configured: see AccountsBuilder")]
    NoClient(&'static str),
    /// X could not be reached, timed out, or answered with an error other than a refusal of
    /// the tokens; the stored tokens are left as they were.
    #[error("X: {0}")]
    Provider(String),
    /// The session store (Redis) failed.
    #[error("sessions: {0}")]
    Sessions(String),
    /// The store failed (a database error, a key missing from the ring, an altered row).
    #[error(transparent)]
    Store(#[from] TokenStoreError),
}

impl From<ProviderError> for AccountError {
    fn from(error: ProviderError) -> Self {
        // The error's text is cleaned and bounded, and quotes no credential.
        Self::Provider(error.to_string())
    }
}

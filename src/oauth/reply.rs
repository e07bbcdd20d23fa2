//! Parsing the provider's form-encoded token replies (whatever their content type).
//!
//! STUB: to be implemented. Signatures below are the contract.

use crate::credentials::{TemporaryCredentials, TokenCredentials};

/// Why a token reply could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ReplyError {
    /// The body is not `application/x-www-form-urlencoded` text.
    #[error("the reply is not form-encoded")]
    NotForm,
    /// A required parameter is absent or empty.
    #[error("the reply lacks `{0}`")]
    Missing(&'static str),
    /// `oauth_callback_confirmed` is absent or not `true` (RFC 5849 section 2.1).
    #[error("the provider did not confirm the callback (oauth_callback_confirmed)")]
    CallbackNotConfirmed,
}

/// The access-token reply: token credentials plus the identity X returns with them.
#[derive(Debug, Clone)]
pub(crate) struct AccessReply {
    pub credentials: TokenCredentials,
    /// `user_id`: the numeric id as a string.
    pub user_id: String,
    /// `screen_name`.
    pub screen_name: String,
}

/// Parses the request-token reply; requires `oauth_token`, `oauth_token_secret` and
/// `oauth_callback_confirmed=true`.
pub(crate) fn temporary_credentials(_body: &[u8]) -> Result<TemporaryCredentials, ReplyError> {
    Err(ReplyError::NotForm)
}

/// Parses the access-token reply; requires `oauth_token`, `oauth_token_secret`, `user_id`,
/// `screen_name`.
pub(crate) fn access_reply(_body: &[u8]) -> Result<AccessReply, ReplyError> {
    Err(ReplyError::NotForm)
}

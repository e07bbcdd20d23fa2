//! What the app shows of a user's linked X account.

use actix_web::web;

use super::{AccountError, Accounts};
use crate::store::{link, TokenStoreError};

/// A user's linked X account, as an account page shows it. No token in it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LinkedAccount {
    /// The X user id.
    pub subject: String,
    /// The protocol of the stored tokens (`"oauth1"` or `"oauth2"`), when tokens are stored.
    pub protocol: Option<String>,
    /// X refused the stored tokens: the user must sign in with X again for the app to act
    /// for them.
    pub needs_reauthorization: bool,
}

impl Accounts {
    /// The user's linked X account, if any.
    ///
    /// # Errors
    /// The store's error.
    pub async fn linked(&self, user_id: i32) -> Result<Option<LinkedAccount>, AccountError> {
        let accounts = self.clone();
        let row = web::block(move || {
            let inner = accounts.inner();
            let mut conn = inner.pool.get().map_err(|e| e.to_string())?;
            link::linked(&mut conn, &inner.provider, user_id).map_err(|e| e.to_string())
        })
        .await
        .map_err(|e| e.to_string())
        .and_then(|row| row)
        .map_err(|e| AccountError::Store(TokenStoreError::Database(e)))?;
        Ok(row.map(|(subject, protocol, marked)| LinkedAccount {
            subject,
            protocol,
            needs_reauthorization: marked.unwrap_or(false),
        }))
    }
}

//! Token credentials of linked accounts, stored sealed: each row of `federated_tokens` holds
//! one credential's tokens encrypted under a [`TokenKeys`] key (named by its id), bound to the
//! row, with only what is no secret (protocol, expiry, the re-authorization mark) in the clear.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::{
    keys::{KeyError, Sealed, TokenKeys},
    pool::{with_connection, Pool, PooledConnection},
    schema::{federated_credentials, federated_tokens, token_revocations},
};
use crate::credentials::{AccessToken, Credentials, Secret, TokenCredentials};

/// Why stored token credentials could not be written or read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TokenStoreError {
    /// No connection, or a query failed.
    #[error("token storage: {0}")]
    Database(String),
    /// A key is missing, or a stored value does not open.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// A stored value opened but is not token credentials (written by something else).
    #[error("stored token credentials are unreadable")]
    Unreadable,
    /// The resolver has no keys ([`store_tokens`](super::DieselResolver::store_tokens)).
    #[error("no token keys: call DieselResolver::store_tokens")]
    NoKeys,
}

impl From<diesel::result::Error> for TokenStoreError {
    fn from(error: diesel::result::Error) -> Self {
        Self::Database(error.to_string())
    }
}

/// What is sealed: one credential's tokens. No `Debug`: it holds secrets.
#[derive(Serialize, Deserialize)]
#[serde(tag = "protocol", rename_all = "lowercase")]
enum Stored {
    OAuth1 {
        token: String,
        secret: String,
    },
    OAuth2 {
        access_token: String,
        refresh_token: Option<String>,
        expires_at: Option<u64>,
        scopes: Vec<String>,
    },
}

impl Stored {
    fn of(credentials: &Credentials) -> Self {
        match credentials {
            Credentials::OAuth1(c) => Self::OAuth1 {
                token: c.token.clone(),
                secret: c.secret.expose().to_owned(),
            },
            Credentials::OAuth2(t) => Self::OAuth2 {
                access_token: t.token.expose().to_owned(),
                refresh_token: t.refresh_token.as_ref().map(|r| r.expose().to_owned()),
                expires_at: t.expires_at.and_then(seconds),
                scopes: t.scopes.clone(),
            },
        }
    }

    fn protocol(&self) -> &'static str {
        match self {
            Self::OAuth1 { .. } => "oauth1",
            Self::OAuth2 { .. } => "oauth2",
        }
    }

    fn expires_at(&self) -> Option<i64> {
        match self {
            Self::OAuth2 { expires_at, .. } => expires_at.and_then(|s| i64::try_from(s).ok()),
            Self::OAuth1 { .. } => None,
        }
    }

    fn into_credentials(self) -> Credentials {
        match self {
            Self::OAuth1 { token, secret } => Credentials::OAuth1(TokenCredentials {
                token,
                secret: Secret::new(secret),
            }),
            Self::OAuth2 {
                access_token,
                refresh_token,
                expires_at,
                scopes,
            } => Credentials::OAuth2(AccessToken {
                token: Secret::new(access_token),
                refresh_token: refresh_token.map(Secret::new),
                expires_at: expires_at.map(|s| UNIX_EPOCH + Duration::from_secs(s)),
                scopes,
            }),
        }
    }
}

fn seconds(time: SystemTime) -> Option<u64> {
    time.duration_since(UNIX_EPOCH).ok().map(|d| d.as_secs())
}

pub(crate) fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// What a sealed row is bound to: a value moved to another row does not open.
fn context(credential_id: i32) -> Vec<u8> {
    format!("actix-twitter-login/federated_tokens/v1/{credential_id}").into_bytes()
}

/// One credential's tokens sealed for its row, with what the row keeps in the clear.
pub(super) struct SealedRow {
    pub protocol: &'static str,
    pub sealed: Sealed,
    pub expires_at: Option<i64>,
}

/// Seals `credentials` for the row of `credential_id`.
pub(super) fn seal_row(
    keys: &TokenKeys,
    credential_id: i32,
    credentials: &Credentials,
) -> Result<SealedRow, TokenStoreError> {
    let stored = Stored::of(credentials);
    let plaintext = serde_json::to_vec(&stored).map_err(|_| TokenStoreError::Unreadable)?;
    Ok(SealedRow {
        protocol: stored.protocol(),
        sealed: keys.seal(&plaintext, &context(credential_id)),
        expires_at: stored.expires_at(),
    })
}

/// Opens the sealed value of the row of `credential_id`.
pub(super) fn open_row(
    keys: &TokenKeys,
    credential_id: i32,
    sealed: &Sealed,
) -> Result<Credentials, TokenStoreError> {
    let plaintext = keys.open(sealed, &context(credential_id))?;
    let stored: Stored =
        serde_json::from_slice(&plaintext).map_err(|_| TokenStoreError::Unreadable)?;
    Ok(stored.into_credentials())
}

/// Seals and writes (or replaces) the tokens of the credential `(provider, subject)`, and
/// clears its re-authorization mark.
pub(super) fn save(
    conn: &mut PooledConnection,
    keys: &TokenKeys,
    provider: &str,
    subject: &str,
    credentials: &Credentials,
) -> Result<(), TokenStoreError> {
    with_connection!(conn, |conn| {
        let credential_id: i32 = federated_credentials::table
            .filter(federated_credentials::provider.eq(provider))
            .filter(federated_credentials::subject.eq(subject))
            .select(federated_credentials::id)
            .first(conn)?;
        let SealedRow {
            protocol,
            sealed,
            expires_at,
        } = seal_row(keys, credential_id, credentials)?;
        let row = (
            federated_tokens::protocol.eq(protocol),
            federated_tokens::key_id.eq(&sealed.key_id),
            federated_tokens::sealed.eq(&sealed.bytes),
            federated_tokens::expires_at.eq(expires_at),
            federated_tokens::needs_reauthorization.eq(false),
            federated_tokens::updated_at.eq(now()),
        );
        diesel::insert_into(federated_tokens::table)
            .values((federated_tokens::credential_id.eq(credential_id), row))
            .on_conflict(federated_tokens::credential_id)
            .do_update()
            .set(row)
            .execute(conn)?;
        Ok(())
    })
}

/// Re-seals under the current key every row (stored tokens, and tokens queued for revocation)
/// sealed under another; the number re-sealed.
pub(super) fn reseal(pool: &Pool, keys: &TokenKeys) -> Result<usize, TokenStoreError> {
    let mut conn = pool
        .get()
        .map_err(|e| TokenStoreError::Database(e.to_string()))?;
    let current = keys.current_id().to_owned();
    with_connection!(&mut conn, |conn| {
        let stale: Vec<(i32, String, Vec<u8>)> = federated_tokens::table
            .filter(federated_tokens::key_id.ne(&current))
            .select((
                federated_tokens::credential_id,
                federated_tokens::key_id,
                federated_tokens::sealed,
            ))
            .load(conn)?;
        let mut resealed = 0;
        for (credential_id, key_id, bytes) in stale {
            let context = context(credential_id);
            let read = Sealed { key_id, bytes };
            let plaintext = keys.open(&read, &context)?;
            let sealed = keys.seal(&plaintext, &context);
            // Only if nothing replaced the row meanwhile (a sign-in, or a refresh by an
            // instance still on the old key, whose rotated refresh token must not be lost).
            resealed += diesel::update(federated_tokens::table.find(credential_id))
                .filter(federated_tokens::key_id.eq(&read.key_id))
                .filter(federated_tokens::sealed.eq(&read.bytes))
                .set((
                    federated_tokens::key_id.eq(&sealed.key_id),
                    federated_tokens::sealed.eq(&sealed.bytes),
                ))
                .execute(conn)?;
        }
        // Tokens queued for revocation too: they must still open once the old key is gone.
        let queued: Vec<(i32, i32, String, Vec<u8>)> = token_revocations::table
            .filter(token_revocations::key_id.ne(&current))
            .select((
                token_revocations::id,
                token_revocations::credential_id,
                token_revocations::key_id,
                token_revocations::sealed,
            ))
            .load(conn)?;
        for (id, credential_id, key_id, bytes) in queued {
            let context = context(credential_id);
            let plaintext = keys.open(&Sealed { key_id, bytes }, &context)?;
            let sealed = keys.seal(&plaintext, &context);
            resealed += diesel::update(token_revocations::table.find(id))
                .set((
                    token_revocations::key_id.eq(&sealed.key_id),
                    token_revocations::sealed.eq(&sealed.bytes),
                ))
                .execute(conn)?;
        }
        Ok(resealed)
    })
}

impl super::DieselResolver {
    /// Stores each sign-in's token credentials (OAuth 1.0a token and secret; OAuth 2.0 access
    /// token, refresh token, expiry and scopes), sealed under `keys`' current key, replacing
    /// the account's previous ones, so the app can act for the user later
    /// ([`stored_credentials`](Self::stored_credentials)). Default: nothing is stored. A
    /// sign-in whose tokens cannot be stored fails. They never reach the session, the log,
    /// `Debug` output or a page. Rotate keys with
    /// [`TokenKeys::with_old_key`] and [`reseal_tokens`](Self::reseal_tokens).
    ///
    /// ```
    /// use actix_twitter_login::store::{self, DieselResolver, StoreOptions, TokenKeys};
    ///
    /// # let dir = tempfile::tempdir()?;
    /// # let database_url = dir.path().join("app.db");
    /// # let database_url = database_url.to_str().unwrap();
    /// let pool = store::connect(database_url, &StoreOptions::default())?;
    /// store::run_migrations(&pool)?;
    /// let keys = TokenKeys::from_hex("2026-11", &"ab".repeat(32))?; // from your configuration
    /// let resolver = DieselResolver::new(pool).store_tokens(keys);
    /// # drop(resolver);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn store_tokens(mut self, keys: TokenKeys) -> Self {
        self.token_keys = Some(keys);
        self
    }

    /// Re-seals every stored row sealed under an old key with the current one (after a key
    /// rotation, before dropping the old key from the ring); the number of rows re-sealed.
    /// Safe to run again, and beside sign-ins. Blocking.
    ///
    /// # Errors
    /// As [`stored_credentials`](Self::stored_credentials); rows done before an error stay
    /// done.
    pub fn reseal_tokens(&self) -> Result<usize, TokenStoreError> {
        let keys = self.token_keys.as_ref().ok_or(TokenStoreError::NoKeys)?;
        reseal(self.pool(), keys)
    }
}

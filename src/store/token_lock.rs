//! A user's stored tokens read for handing out or refreshing: once without any lock (the fast
//! path), and once under a lock on the row that is held while the caller decides what to do
//! (and calls X), so that of several callers in any number of instances one refreshes and the
//! others read what it stored. PostgreSQL locks the row (`SELECT ... FOR UPDATE`); SQLite takes
//! the database's write lock (`BEGIN IMMEDIATE`). What the caller decides is written in the
//! same transaction, which runs on a connection of its own ([`Pool::dedicated`]): a slow X
//! keeps none of the pool's connections from the app's other work.

use std::time::Duration;

use diesel::{prelude::*, result::QueryResult};

use super::{
    dedicated::with_dedicated,
    keys::{Sealed, TokenKeys},
    pool::{with_connection, Pool},
    schema::{federated_credentials, federated_tokens},
    tokens::{now, open_row, seal_row, SealedRow, TokenStoreError},
};
use crate::credentials::Credentials;

/// A user's stored tokens, opened, with their re-authorization mark. No `Debug`: it holds
/// secrets.
pub(crate) struct TokenRow {
    /// The tokens.
    pub credentials: Credentials,
    /// X refused the tokens: the user must sign in again.
    pub needs_reauthorization: bool,
}

/// What to do with the locked row, and what to answer.
pub(crate) enum Decision<T> {
    /// Leave the row as it is.
    Keep(T),
    /// Replace the tokens (and clear the mark).
    Replace(Credentials, T),
    /// Mark the row: the user must sign in again.
    MarkNeedsReauthorization(T),
}

/// The stored tokens of `user_id`'s credential at `provider`, read without a lock. Blocking.
pub(crate) fn read(
    pool: &Pool,
    keys: &TokenKeys,
    provider: &str,
    user_id: i32,
) -> Result<Option<TokenRow>, TokenStoreError> {
    let mut conn = pool.get().map_err(database)?;
    let row: Option<(i32, String, Vec<u8>, bool)> = with_connection!(&mut conn, |conn| {
        federated_tokens::table
            .inner_join(federated_credentials::table)
            .filter(federated_credentials::user_id.eq(user_id))
            .filter(federated_credentials::provider.eq(provider))
            .select((
                federated_tokens::credential_id,
                federated_tokens::key_id,
                federated_tokens::sealed,
                federated_tokens::needs_reauthorization,
            ))
            .first(conn)
            .optional()
    })?;
    row.map(|(credential_id, key_id, bytes, marked)| {
        opened(keys, credential_id, key_id, bytes, marked)
    })
    .transpose()
}

/// Locks the stored tokens of `user_id`'s credential at `provider`, reads them (`None` when
/// there are none), and applies what `decide` decides before committing; an error from
/// `decide` rolls the transaction back. Waiting for the lock takes at most `wait`. Blocking;
/// `decide` runs on this thread, holding the lock, and the transaction on a connection of its
/// own (see [`Pool::dedicated`]), closed when it ends.
pub(crate) fn decide_locked<T, E, F>(
    pool: &Pool,
    keys: &TokenKeys,
    provider: &str,
    user_id: i32,
    wait: Duration,
    decide: F,
) -> Result<T, E>
where
    E: From<TokenStoreError>,
    F: FnOnce(Option<TokenRow>) -> Result<Decision<T>, E>,
{
    let mut conn = pool.dedicated().map_err(|e| E::from(database(e)))?;
    let outcome = with_dedicated!(&mut conn, |conn| {
        conn.locked_transaction(wait, |conn| {
            let credential_id: Option<i32> = federated_credentials::table
                .filter(federated_credentials::user_id.eq(user_id))
                .filter(federated_credentials::provider.eq(provider))
                .select(federated_credentials::id)
                .first(conn)
                .optional()?;
            let row = match credential_id {
                Some(id) => conn.lock_tokens(id)?.map(|row| (id, row)),
                None => None,
            };
            let (credential_id, row) = match row {
                Some((id, (key_id, bytes, marked))) => {
                    (id, Some(opened(keys, id, key_id, bytes, marked)?))
                }
                None => (0, None),
            };
            let (update, answer) = match decide(row).map_err(Failure::Decided)? {
                Decision::Keep(answer) => return Ok(answer),
                Decision::Replace(credentials, answer) => (Some(credentials), answer),
                Decision::MarkNeedsReauthorization(answer) => (None, answer),
            };
            let target = federated_tokens::table.find(credential_id);
            let written = match update {
                Some(credentials) => {
                    let SealedRow {
                        protocol,
                        sealed,
                        expires_at,
                    } = seal_row(keys, credential_id, &credentials)?;
                    diesel::update(target)
                        .set((
                            federated_tokens::protocol.eq(protocol),
                            federated_tokens::key_id.eq(&sealed.key_id),
                            federated_tokens::sealed.eq(&sealed.bytes),
                            federated_tokens::expires_at.eq(expires_at),
                            federated_tokens::needs_reauthorization.eq(false),
                            federated_tokens::updated_at.eq(now()),
                        ))
                        .execute(conn)
                }
                None => diesel::update(target)
                    .set((
                        federated_tokens::needs_reauthorization.eq(true),
                        federated_tokens::updated_at.eq(now()),
                    ))
                    .execute(conn),
            };
            written?;
            Ok(answer)
        })
    });
    outcome.map_err(|failure| match failure {
        Failure::Store(error) => {
            tracing::warn!(user_id, %error, "stored tokens could not be locked, read or written");
            E::from(error)
        }
        Failure::Decided(error) => error,
    })
}

fn opened(
    keys: &TokenKeys,
    credential_id: i32,
    key_id: String,
    bytes: Vec<u8>,
    needs_reauthorization: bool,
) -> Result<TokenRow, TokenStoreError> {
    Ok(TokenRow {
        credentials: open_row(keys, credential_id, &Sealed { key_id, bytes })?,
        needs_reauthorization,
    })
}

fn database(error: impl std::fmt::Display) -> TokenStoreError {
    TokenStoreError::Database(error.to_string())
}

/// Why a locked transaction failed: the store, or the caller's decision.
enum Failure<E> {
    Store(TokenStoreError),
    Decided(E),
}

impl<E> From<diesel::result::Error> for Failure<E> {
    fn from(error: diesel::result::Error) -> Self {
        Self::Store(error.into())
    }
}

impl<E> From<TokenStoreError> for Failure<E> {
    fn from(error: TokenStoreError) -> Self {
        Self::Store(error)
    }
}

/// The busy timeout every SQLite connection is set up with (see the backend's `SETUP`).
#[cfg(feature = "sqlite")]
const SQLITE_BUSY_TIMEOUT_MS: u128 = 5000;

/// How each backend locks one row of `federated_tokens` for a transaction.
trait RowLock: Connection {
    /// Runs `f` in a transaction in which [`lock_tokens`](Self::lock_tokens) locks, waiting at
    /// most `wait` for a lock.
    fn locked_transaction<T, E, F>(&mut self, wait: Duration, f: F) -> Result<T, E>
    where
        E: From<diesel::result::Error>,
        F: FnOnce(&mut Self) -> Result<T, E>;

    /// The row of `credential_id` (key id, sealed value, mark), locked until the transaction
    /// ends.
    fn lock_tokens(&mut self, credential_id: i32) -> QueryResult<Option<(String, Vec<u8>, bool)>>;
}

#[cfg(feature = "sqlite")]
impl RowLock for diesel::SqliteConnection {
    /// `BEGIN IMMEDIATE`: the database's write lock, taken up front; the busy timeout is the
    /// wait, for this transaction only.
    fn locked_transaction<T, E, F>(&mut self, wait: Duration, f: F) -> Result<T, E>
    where
        E: From<diesel::result::Error>,
        F: FnOnce(&mut Self) -> Result<T, E>,
    {
        use diesel::connection::SimpleConnection;

        self.batch_execute(&format!("PRAGMA busy_timeout = {}", wait.as_millis()))?;
        let outcome = self.immediate_transaction(f);
        let restored =
            self.batch_execute(&format!("PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}"));
        if let Err(error) = restored {
            tracing::warn!(%error, "cannot restore the SQLite busy timeout");
        }
        outcome
    }

    /// The transaction already holds the write lock: a plain read.
    fn lock_tokens(&mut self, credential_id: i32) -> QueryResult<Option<(String, Vec<u8>, bool)>> {
        federated_tokens::table
            .find(credential_id)
            .select((
                federated_tokens::key_id,
                federated_tokens::sealed,
                federated_tokens::needs_reauthorization,
            ))
            .first(self)
            .optional()
    }
}

#[cfg(feature = "postgres")]
impl RowLock for diesel::PgConnection {
    /// `READ COMMITTED`, so the locking read sees what the previous holder committed, with a
    /// statement timeout of `wait` for this transaction only.
    fn locked_transaction<T, E, F>(&mut self, wait: Duration, f: F) -> Result<T, E>
    where
        E: From<diesel::result::Error>,
        F: FnOnce(&mut Self) -> Result<T, E>,
    {
        self.build_transaction().read_committed().run(|conn| {
            diesel::sql_query(format!(
                "SET LOCAL statement_timeout = {}",
                wait.as_millis()
            ))
            .execute(conn)?;
            f(conn)
        })
    }

    /// `SELECT ... FOR UPDATE`.
    fn lock_tokens(&mut self, credential_id: i32) -> QueryResult<Option<(String, Vec<u8>, bool)>> {
        federated_tokens::table
            .find(credential_id)
            .select((
                federated_tokens::key_id,
                federated_tokens::sealed,
                federated_tokens::needs_reauthorization,
            ))
            .for_update()
            .first(self)
            .optional()
    }
}

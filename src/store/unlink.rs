//! Unlinking an X account, the store's side: the credential goes (its stored tokens with it)
//! in one write transaction that also queues those tokens for revocation at X, so a revocation
//! is never lost to a crash or an outage; and the queue itself.

use diesel::{prelude::*, result::Error};

use super::{
    backend::BackendConnection,
    keys::{Sealed, TokenKeys},
    pool::{with_connection, PooledConnection},
    schema::{federated_credentials, federated_tokens, token_revocations},
    tokens::{open_row, TokenStoreError},
};

pub(crate) use super::tokens::now;
use crate::credentials::Credentials;

/// What unlinking came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unlinked {
    /// The credential is gone; these queued revocations hold its tokens (none if none were
    /// stored).
    Done { queued: Vec<i32> },
    /// The user has no account at this provider.
    NotLinked,
    /// It is the user's last credential, and the app knows no other way for them to sign in.
    LastSignIn,
}

/// Removes `user_id`'s credential at `provider` unless it is their last way to sign in
/// (`other_sign_in` says whether the app has another), queuing its stored tokens for
/// revocation.
pub(crate) fn unlink(
    conn: &mut PooledConnection,
    provider: &str,
    user_id: i32,
    other_sign_in: bool,
) -> Result<Unlinked, Error> {
    with_connection!(conn, |conn| conn.write_transaction(|conn| {
        let credential: Option<i32> = federated_credentials::table
            .filter(federated_credentials::provider.eq(provider))
            .filter(federated_credentials::user_id.eq(user_id))
            .select(federated_credentials::id)
            .first(conn)
            .optional()?;
        let Some(credential_id) = credential else {
            return Ok(Unlinked::NotLinked);
        };
        let others: i64 = federated_credentials::table
            .filter(federated_credentials::user_id.eq(user_id))
            .filter(federated_credentials::id.ne(credential_id))
            .count()
            .get_result(conn)?;
        if others == 0 && !other_sign_in {
            return Ok(Unlinked::LastSignIn);
        }
        let queued = queue_tokens!(conn, &[credential_id]);
        diesel::delete(federated_credentials::table.find(credential_id)).execute(conn)?;
        Ok(Unlinked::Done { queued })
    }))
}

/// Queues the stored tokens of `user_id`'s credentials at `provider` for revocation and
/// deletes them (the credentials stay: the user can still sign in); the queued ids.
pub(crate) fn forget_tokens(
    conn: &mut PooledConnection,
    provider: &str,
    user_id: i32,
) -> Result<Vec<i32>, Error> {
    with_connection!(conn, |conn| conn.write_transaction(|conn| {
        let credentials: Vec<i32> = federated_credentials::table
            .filter(federated_credentials::provider.eq(provider))
            .filter(federated_credentials::user_id.eq(user_id))
            .select(federated_credentials::id)
            .load(conn)?;
        let queued = queue_tokens!(conn, &credentials);
        diesel::delete(
            federated_tokens::table.filter(federated_tokens::credential_id.eq_any(&credentials)),
        )
        .execute(conn)?;
        Ok(queued)
    }))
}

/// Copies the stored token rows of these credentials into the revocation queue, due now;
/// the queued ids. A macro, not a function: it runs on each backend's own connection type.
macro_rules! queue_tokens {
    ($conn:expr, $credentials:expr) => {{
        // A refresh holding the row is waited for: what it stores is what gets queued.
        $conn.lock_token_rows($credentials)?;
        let rows: Vec<(i32, String, String, Vec<u8>)> = federated_tokens::table
            .filter(federated_tokens::credential_id.eq_any($credentials))
            .select((
                federated_tokens::credential_id,
                federated_tokens::protocol,
                federated_tokens::key_id,
                federated_tokens::sealed,
            ))
            .load($conn)?;
        let now = now();
        let mut queued = Vec::with_capacity(rows.len());
        for (credential_id, protocol, key_id, sealed) in rows {
            let id: i32 = diesel::insert_into(token_revocations::table)
                .values((
                    token_revocations::credential_id.eq(credential_id),
                    token_revocations::protocol.eq(protocol),
                    token_revocations::key_id.eq(key_id),
                    token_revocations::sealed.eq(sealed),
                    token_revocations::next_attempt_at.eq(now),
                    token_revocations::created_at.eq(now),
                ))
                .returning(token_revocations::id)
                .get_result($conn)?;
            queued.push(id);
        }
        queued
    }};
}
use queue_tokens;

/// Locks the token rows about to be queued for revocation until the transaction ends.
trait LockTokenRows {
    fn lock_token_rows<'a>(
        &mut self,
        credentials: impl IntoIterator<Item = &'a i32>,
    ) -> Result<(), Error>;
}

#[cfg(feature = "sqlite")]
impl LockTokenRows for diesel::SqliteConnection {
    /// The write transaction (`BEGIN IMMEDIATE`) already excludes every other writer.
    fn lock_token_rows<'a>(
        &mut self,
        _credentials: impl IntoIterator<Item = &'a i32>,
    ) -> Result<(), Error> {
        Ok(())
    }
}

#[cfg(feature = "postgres")]
impl LockTokenRows for diesel::PgConnection {
    /// `SELECT ... FOR UPDATE`: under `READ COMMITTED`, a refresh in flight commits first and
    /// the read that follows sees its tokens.
    fn lock_token_rows<'a>(
        &mut self,
        credentials: impl IntoIterator<Item = &'a i32>,
    ) -> Result<(), Error> {
        let ids: Vec<i32> = credentials.into_iter().copied().collect();
        federated_tokens::table
            .filter(federated_tokens::credential_id.eq_any(&ids))
            .select(federated_tokens::credential_id)
            .for_update()
            .load::<i32>(self)
            .map(drop)
    }
}

/// A queued revocation, opened.
pub(crate) struct Revocation {
    pub id: i32,
    pub attempts: i32,
    pub credentials: Result<Credentials, TokenStoreError>,
}

/// The revocations due now (of `only`, when given), oldest first, at most `limit`.
pub(crate) fn due(
    conn: &mut PooledConnection,
    keys: &TokenKeys,
    only: Option<&[i32]>,
    limit: i64,
) -> Result<Vec<Revocation>, Error> {
    let rows: Vec<(i32, i32, i32, String, Vec<u8>)> = with_connection!(conn, |conn| {
        let mut query = token_revocations::table
            .filter(token_revocations::next_attempt_at.le(now()))
            .order(token_revocations::id)
            .limit(limit)
            .select((
                token_revocations::id,
                token_revocations::attempts,
                token_revocations::credential_id,
                token_revocations::key_id,
                token_revocations::sealed,
            ))
            .into_boxed();
        if let Some(ids) = only {
            query = query.filter(token_revocations::id.eq_any(ids));
        }
        query.load(conn)
    })?;
    Ok(rows
        .into_iter()
        .map(|(id, attempts, credential_id, key_id, sealed)| Revocation {
            id,
            attempts,
            credentials: open_row(
                keys,
                credential_id,
                &Sealed {
                    key_id,
                    bytes: sealed,
                },
            ),
        })
        .collect())
}

/// The revocation is done (or given up): off the queue.
pub(crate) fn remove(conn: &mut PooledConnection, id: i32) -> Result<(), Error> {
    with_connection!(conn, |conn| diesel::delete(
        token_revocations::table.find(id)
    )
    .execute(conn)
    .map(drop))
}

/// The revocation failed: try again at `next_attempt_at`.
pub(crate) fn retry_at(
    conn: &mut PooledConnection,
    id: i32,
    attempts: i32,
    next_attempt_at: i64,
) -> Result<(), Error> {
    with_connection!(conn, |conn| diesel::update(
        token_revocations::table.find(id)
    )
    .set((
        token_revocations::attempts.eq(attempts),
        token_revocations::next_attempt_at.eq(next_attempt_at),
    ))
    .execute(conn)
    .map(drop))
}

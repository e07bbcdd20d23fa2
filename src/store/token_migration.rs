//! The store's side of moving stored OAuth 1.0a token credentials to OAuth 2.0: the work list
//! (rows still `oauth1` and not marked for re-authorization), read in batches, and the two
//! writes of an exchange's outcome. Each write is one transaction that first renews the job's
//! lease, so a run whose lease was taken over writes nothing, and changes the row only if it
//! still holds what was read, so a sign-in meanwhile is never overwritten.

use diesel::prelude::*;

use super::{
    backend::BackendConnection,
    job_lock::{renew_on, Lease},
    keys::{Sealed, TokenKeys},
    pool::{with_connection, Pool},
    schema::{federated_credentials, federated_tokens, token_revocations},
    tokens::{self, TokenStoreError},
};
use crate::credentials::{AccessToken, Credentials, TokenCredentials};

/// A row of the work list. No `Debug`: it holds the token credentials.
pub(crate) struct OAuth1Row {
    pub credential_id: i32,
    /// The row's value as read: a write applies only while the row still holds it.
    sealed: Sealed,
    /// The token credentials, or why the row does not open.
    pub credentials: Result<TokenCredentials, TokenStoreError>,
}

/// What became of a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Written {
    /// The row was changed.
    Done,
    /// The row changed since it was read (a sign-in replaced it, or the account was
    /// unlinked): it was left as it is.
    Changed,
    /// The lease is another run's, or gone: nothing was written.
    LeaseLost,
}

fn database(error: impl std::fmt::Display) -> TokenStoreError {
    TokenStoreError::Database(error.to_string())
}

/// Up to `size` rows of the work list at `provider` after the credential id `after`, in the
/// order of their credential ids, opened.
pub(crate) fn oauth1_batch(
    pool: &Pool,
    keys: &TokenKeys,
    provider: &str,
    after: i32,
    size: i64,
) -> Result<Vec<OAuth1Row>, TokenStoreError> {
    let mut conn = pool.get().map_err(database)?;
    let rows: Vec<(i32, String, Vec<u8>)> = with_connection!(&mut conn, |conn| {
        federated_tokens::table
            .inner_join(federated_credentials::table)
            .filter(federated_credentials::provider.eq(provider))
            .filter(federated_tokens::protocol.eq("oauth1"))
            .filter(federated_tokens::needs_reauthorization.eq(false))
            .filter(federated_tokens::credential_id.gt(after))
            .order(federated_tokens::credential_id)
            .limit(size)
            .select((
                federated_tokens::credential_id,
                federated_tokens::key_id,
                federated_tokens::sealed,
            ))
            .load(conn)
    })?;
    Ok(rows
        .into_iter()
        .map(|(credential_id, key_id, bytes)| {
            let sealed = Sealed { key_id, bytes };
            let credentials = match tokens::open_row(keys, credential_id, &sealed) {
                Ok(Credentials::OAuth1(credentials)) => Ok(credentials),
                Ok(Credentials::OAuth2(_)) => Err(TokenStoreError::Unreadable),
                Err(error) => Err(error),
            };
            OAuth1Row {
                credential_id,
                sealed,
                credentials,
            }
        })
        .collect())
}

/// How many rows the work list at `provider` holds.
pub(crate) fn count_oauth1(pool: &Pool, provider: &str) -> Result<u64, TokenStoreError> {
    let mut conn = pool.get().map_err(database)?;
    let count: i64 = with_connection!(&mut conn, |conn| {
        federated_tokens::table
            .inner_join(federated_credentials::table)
            .filter(federated_credentials::provider.eq(provider))
            .filter(federated_tokens::protocol.eq("oauth1"))
            .filter(federated_tokens::needs_reauthorization.eq(false))
            .count()
            .get_result(conn)
    })?;
    Ok(u64::try_from(count).unwrap_or(0))
}

/// Replaces `row`'s OAuth 1.0a token credentials with the OAuth 2.0 `tokens` they were
/// exchanged for, holding `lease`.
pub(crate) fn save_exchanged(
    pool: &Pool,
    keys: &TokenKeys,
    lease: &Lease,
    row: &OAuth1Row,
    tokens: AccessToken,
) -> Result<Written, TokenStoreError> {
    let tokens::SealedRow {
        protocol,
        sealed,
        expires_at,
    } = tokens::seal_row(keys, row.credential_id, &Credentials::OAuth2(tokens))?;
    let mut conn = pool.get().map_err(database)?;
    with_connection!(&mut conn, |conn| conn.write_transaction(|conn| {
        if !renew_on!(conn, lease)? {
            return Ok(Written::LeaseLost);
        }
        let changed = diesel::update(federated_tokens::table.find(row.credential_id))
            .filter(federated_tokens::protocol.eq("oauth1"))
            .filter(federated_tokens::key_id.eq(&row.sealed.key_id))
            .filter(federated_tokens::sealed.eq(&row.sealed.bytes))
            .set((
                federated_tokens::protocol.eq(protocol),
                federated_tokens::key_id.eq(&sealed.key_id),
                federated_tokens::sealed.eq(&sealed.bytes),
                federated_tokens::expires_at.eq(expires_at),
                federated_tokens::needs_reauthorization.eq(false),
                federated_tokens::updated_at.eq(tokens::now()),
            ))
            .execute(conn)?;
        if changed == 1 {
            return Ok(Written::Done);
        }
        // The tokens are gone (the user unlinked X, or their tokens were revoked, while the
        // exchange was in flight): the new pair is a grant nobody holds, so it is revoked as
        // theirs were. Tokens changed otherwise (a new sign-in) are left to the user.
        let gone = federated_tokens::table
            .find(row.credential_id)
            .select(federated_tokens::credential_id)
            .first::<i32>(conn)
            .optional()?
            .is_none();
        if gone {
            let now = tokens::now();
            diesel::insert_into(token_revocations::table)
                .values((
                    token_revocations::credential_id.eq(row.credential_id),
                    token_revocations::protocol.eq(protocol),
                    token_revocations::key_id.eq(&sealed.key_id),
                    token_revocations::sealed.eq(&sealed.bytes),
                    token_revocations::next_attempt_at.eq(now),
                    token_revocations::created_at.eq(now),
                ))
                .execute(conn)?;
        }
        Ok(Written::Changed)
    }))
    .map_err(Into::into)
}

/// Marks `row` for re-authorization (X refused its token credentials), holding `lease`. The
/// token credentials stay, so that unlinking can still invalidate them.
pub(crate) fn mark_for_reauthorization(
    pool: &Pool,
    lease: &Lease,
    row: &OAuth1Row,
) -> Result<Written, TokenStoreError> {
    let mut conn = pool.get().map_err(database)?;
    with_connection!(&mut conn, |conn| conn.write_transaction(|conn| {
        if !renew_on!(conn, lease)? {
            return Ok(Written::LeaseLost);
        }
        let changed = diesel::update(federated_tokens::table.find(row.credential_id))
            .filter(federated_tokens::protocol.eq("oauth1"))
            .filter(federated_tokens::key_id.eq(&row.sealed.key_id))
            .filter(federated_tokens::sealed.eq(&row.sealed.bytes))
            .set((
                federated_tokens::needs_reauthorization.eq(true),
                federated_tokens::updated_at.eq(tokens::now()),
            ))
            .execute(conn)?;
        Ok(if changed == 1 {
            Written::Done
        } else {
            Written::Changed
        })
    }))
    .map_err(Into::into)
}

/// Test helpers: seeding a store with OAuth 1.0a users, and reading every row back.
#[cfg(test)]
pub(crate) mod seed {
    use diesel::prelude::*;

    use super::super::{
        backend::BackendConnection,
        keys::TokenKeys,
        pool::{with_connection, Pool},
        schema::{federated_credentials, federated_tokens, job_locks, users},
        tokens::{self, TokenStoreError},
    };
    use crate::credentials::{Credentials, Secret, TokenCredentials};

    /// Stores a user linked at `provider` as `subject` with OAuth 1.0a `(token, secret)`, for
    /// each of `users`, in one transaction.
    pub(crate) fn oauth1_users(
        pool: &Pool,
        keys: &TokenKeys,
        provider: &str,
        users: &[(String, String, String)],
    ) {
        let mut conn = pool.get().expect("connection");
        with_connection!(&mut conn, |conn| conn.write_transaction(|conn| {
            for (subject, token, secret) in users {
                let user_id: i32 = diesel::insert_into(users::table)
                    .values(users::name.eq(subject))
                    .returning(users::id)
                    .get_result(conn)?;
                let credential_id: i32 = diesel::insert_into(federated_credentials::table)
                    .values((
                        federated_credentials::user_id.eq(user_id),
                        federated_credentials::provider.eq(provider),
                        federated_credentials::subject.eq(subject),
                    ))
                    .returning(federated_credentials::id)
                    .get_result(conn)?;
                let credentials = Credentials::OAuth1(TokenCredentials {
                    token: token.clone(),
                    secret: Secret::new(secret.as_str()),
                });
                let tokens::SealedRow {
                    protocol, sealed, ..
                } = tokens::seal_row(keys, credential_id, &credentials).expect("seal");
                diesel::insert_into(federated_tokens::table)
                    .values((
                        federated_tokens::credential_id.eq(credential_id),
                        federated_tokens::protocol.eq(protocol),
                        federated_tokens::key_id.eq(&sealed.key_id),
                        federated_tokens::sealed.eq(&sealed.bytes),
                        federated_tokens::updated_at.eq(tokens::now()),
                    ))
                    .execute(conn)?;
            }
            diesel::QueryResult::Ok(())
        }))
        .expect("seed the store");
    }

    /// A stored row, opened: `(subject, protocol, needs_reauthorization, credentials)`.
    pub(crate) type Row = (String, String, bool, Credentials);

    /// Every stored row at `provider`, opened, in credential id order.
    pub(crate) fn rows(pool: &Pool, keys: &TokenKeys, provider: &str) -> Vec<Row> {
        let mut conn = pool.get().expect("connection");
        let rows: Vec<(i32, String, String, bool, String, Vec<u8>)> =
            with_connection!(&mut conn, |conn| federated_tokens::table
                .inner_join(federated_credentials::table)
                .filter(federated_credentials::provider.eq(provider))
                .order(federated_tokens::credential_id)
                .select((
                    federated_tokens::credential_id,
                    federated_credentials::subject,
                    federated_tokens::protocol,
                    federated_tokens::needs_reauthorization,
                    federated_tokens::key_id,
                    federated_tokens::sealed,
                ))
                .load(conn))
            .expect("read the rows");
        rows.into_iter()
            .map(|(id, subject, protocol, marked, key_id, bytes)| {
                let sealed = super::Sealed { key_id, bytes };
                let credentials: Result<_, TokenStoreError> = tokens::open_row(keys, id, &sealed);
                (subject, protocol, marked, credentials.expect("opens"))
            })
            .collect()
    }

    /// How many job leases are held (taken and not released).
    pub(crate) fn leases_held(pool: &Pool) -> i64 {
        let mut conn = pool.get().expect("connection");
        with_connection!(&mut conn, |conn| job_locks::table.count().get_result(conn))
            .expect("count the leases")
    }
}

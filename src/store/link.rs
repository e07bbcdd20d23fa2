//! Linking an X account to a user who is already signed in, and unlinking it: the store's side.
//!
//! One X account belongs to one user (the unique `(provider, subject)` index), and a user has at
//! most one X account per provider: linking never moves an account from one user to another
//! and never merges users.

use actix_web::web;
use diesel::{
    prelude::*,
    result::{DatabaseErrorKind, Error},
};

use super::{
    availability::resolve_error,
    backend::BackendConnection,
    error::StoreError,
    find::parse_identity,
    keys::TokenKeys,
    pool::{with_connection, Pool, PooledConnection},
    schema::{federated_credentials, users},
    tokens,
};
use crate::{
    credentials::Credentials,
    profile::Profile,
    resolve::{ResolveError, Verdict},
};

/// Shown when the X account belongs to another user.
const OWNED_BY_OTHER: &str = "This X account is already connected to another account here. \
    Sign in with it instead, or disconnect it from that account first.";
/// Shown when the user already has another X account.
const OTHER_ACCOUNT_LINKED: &str =
    "Another X account is already connected to your account. Disconnect it first.";
/// Shown when the signed-in identity is no user of the store.
const NO_SUCH_USER: &str = "Your account could not be found. Please sign in again.";

/// What linking an X account to a user came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Linked {
    /// The account is now the user's (or already was).
    Done,
    /// The account belongs to another user: refused.
    OwnedByOther,
    /// The user already has another account at this provider: refused.
    AnotherAccount,
    /// No user has this id.
    NoSuchUser,
}

/// Attaches the credential `(provider, subject)` to `user_id`, in one write transaction. A
/// concurrent sign-in or link that creates the credential first wins; this one then reports
/// whose it is.
pub(crate) fn link(
    conn: &mut PooledConnection,
    provider: &str,
    user_id: i32,
    subject: &str,
) -> Result<Linked, Error> {
    if provider.is_empty() || subject.is_empty() {
        return Err(Error::QueryBuilderError(
            "an empty provider or subject cannot be linked".into(),
        ));
    }
    with_connection!(conn, |conn| {
        // Run twice at most: a unique violation means a concurrent sign-in or link created
        // the credential first; the second run reads whose it is.
        let mut outcome = Err(Error::NotFound);
        for _ in 0..2 {
            outcome = conn.write_transaction(|conn| {
                let owner: Option<i32> = federated_credentials::table
                    .filter(federated_credentials::provider.eq(provider))
                    .filter(federated_credentials::subject.eq(subject))
                    .select(federated_credentials::user_id)
                    .first(conn)
                    .optional()?;
                match owner {
                    Some(owner) if owner == user_id => return Ok(Linked::Done),
                    Some(_) => return Ok(Linked::OwnedByOther),
                    None => {}
                }
                let exists: Option<i32> = users::table
                    .find(user_id)
                    .select(users::id)
                    .first(conn)
                    .optional()?;
                if exists.is_none() {
                    return Ok(Linked::NoSuchUser);
                }
                let other: Option<String> = federated_credentials::table
                    .filter(federated_credentials::provider.eq(provider))
                    .filter(federated_credentials::user_id.eq(user_id))
                    .select(federated_credentials::subject)
                    .first(conn)
                    .optional()?;
                if other.is_some() {
                    return Ok(Linked::AnotherAccount);
                }
                diesel::insert_into(federated_credentials::table)
                    .values((
                        federated_credentials::user_id.eq(user_id),
                        federated_credentials::provider.eq(provider),
                        federated_credentials::subject.eq(subject),
                    ))
                    .execute(conn)?;
                Ok(Linked::Done)
            });
            match &outcome {
                Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => continue,
                _ => break,
            }
        }
        outcome
    })
}

/// [`DieselResolver`](super::DieselResolver)'s link step on its pool, provider name and token
/// keys: links, then stores the token credentials when there are keys; a refusal is a
/// [`Verdict::NoUser`] with the message for the user.
pub(super) async fn verdict(
    (pool, provider, keys): (Pool, std::sync::Arc<str>, Option<TokenKeys>),
    user_id: String,
    credentials: Credentials,
    profile: Profile,
) -> Result<Verdict, ResolveError> {
    let Some(id) = parse_identity(&user_id) else {
        tracing::info!(%user_id, "a link for an identity that is no user id of the store");
        return Ok(Verdict::NoUser(Some(NO_SUCH_USER.to_owned())));
    };
    let subject = profile.id.clone();
    let outcome = web::block(move || -> Result<_, StoreError> {
        let mut conn = pool.get()?;
        let linked =
            link(&mut conn, &provider, id, &profile.id).map_err(|e| pool.query_error(e))?;
        let stored = match (&keys, linked) {
            (Some(keys), Linked::Done) => {
                tokens::save(&mut conn, keys, &provider, &profile.id, &credentials)
            }
            _ => Ok(()),
        };
        Ok((linked, stored))
    })
    .await
    .map_err(|error| {
        tracing::error!(%subject, %error, "link task failed");
        ResolveError::internal(error)
    })?;
    let (linked, stored) = outcome.map_err(|error| resolve_error(error, &subject))?;
    if let Err(error) = stored {
        tracing::error!(%subject, %error, "the token credentials were not stored");
        return Err(ResolveError::internal(error));
    }
    let refused = match linked {
        Linked::Done => {
            tracing::info!(user_id = id, %subject, "linked an X account");
            return Ok(Verdict::User(user_id));
        }
        Linked::OwnedByOther => OWNED_BY_OTHER,
        Linked::AnotherAccount => OTHER_ACCOUNT_LINKED,
        Linked::NoSuchUser => NO_SUCH_USER,
    };
    tracing::info!(user_id = id, %subject, outcome = ?linked, "link refused");
    Ok(Verdict::NoUser(Some(refused.to_owned())))
}

/// A linked account's subject and, when tokens are stored, their protocol and whether X
/// refused them.
pub(crate) type LinkRow = (String, Option<String>, Option<bool>);

/// `user_id`'s X account at `provider`.
pub(crate) fn linked(
    conn: &mut PooledConnection,
    provider: &str,
    user_id: i32,
) -> Result<Option<LinkRow>, Error> {
    use super::schema::federated_tokens;
    with_connection!(conn, |conn| federated_credentials::table
        .left_join(federated_tokens::table)
        .filter(federated_credentials::provider.eq(provider))
        .filter(federated_credentials::user_id.eq(user_id))
        .select((
            federated_credentials::subject,
            federated_tokens::protocol.nullable(),
            federated_tokens::needs_reauthorization.nullable(),
        ))
        .first(conn)
        .optional())
}

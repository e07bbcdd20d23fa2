//! Users by identity, and passport's find-or-create by federated credential.

use diesel::result::{DatabaseErrorKind, Error};

use super::{
    backend::BackendConnection,
    error::StoreError,
    pool::{with_connection, Pool, PooledConnection},
    queries::UserQueries,
    user::User,
    PROVIDER,
};
use crate::profile::Profile;

/// Looks a user up by identity, the string [`DieselResolver`](super::DieselResolver) logs in
/// with (the user id in decimal).
///
/// An identity that is not a user id in canonical decimal form (`"twitter:12"`, `"+7"`, `""`)
/// is no user: `Ok(None)`, without a query. This blocks the thread: in a handler, call it
/// inside `actix_web::web::block`.
///
/// ```
/// use actix_twitter_login::store::{self, StoreOptions};
///
/// # let dir = tempfile::tempdir()?;
/// # let database_url = dir.path().join("app.db");
/// # let database_url = database_url.to_str().unwrap();
/// let pool = store::connect(database_url, &StoreOptions::default())?;
/// store::run_migrations(&pool)?;
/// // The identity from actix-identity, e.g. `identity.id()?`:
/// assert_eq!(store::find_user(&pool, "1")?, None);
/// assert_eq!(store::find_user(&pool, "twitter:12")?, None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`StoreError::Pool`] if no connection can be had, [`StoreError::Query`] if the query fails.
pub fn find_user(pool: &Pool, id: &str) -> Result<Option<User>, StoreError> {
    let Some(id) = parse_identity(id) else {
        return Ok(None);
    };
    let mut conn = pool.get()?;
    with_connection!(&mut conn, |conn| conn.user_by_id(id))
        .map_err(|source| pool.query_error(source))
}

pub(super) fn parse_identity(id: &str) -> Option<i32> {
    let parsed: i32 = id.parse().ok()?;
    (parsed.to_string() == id).then_some(parsed)
}

/// Creates a user with this name and no credential: a user of the app's own sign-up (say,
/// with a password the app keeps), who may link an X account later
/// ([`ResolveUser::link`](crate::ResolveUser::link)).
///
/// ```
/// use actix_twitter_login::store::{self, StoreOptions};
///
/// # let dir = tempfile::tempdir()?;
/// # let database_url = dir.path().join("app.db");
/// # let database_url = database_url.to_str().unwrap();
/// let pool = store::connect(database_url, &StoreOptions::default())?;
/// store::run_migrations(&pool)?;
/// let user = store::create_user(&mut pool.get()?, "Ada")?;
/// assert_eq!(store::find_user(&pool, &user.id.to_string())?, Some(user));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// Diesel's error when the insert fails.
pub fn create_user(conn: &mut PooledConnection, name: &str) -> Result<User, Error> {
    with_connection!(conn, |conn| conn.insert_user(name))
}

/// Finds the user signed in with this Twitter profile, or creates one: passport's
/// `federated_credentials` verify, on a connection from [`Pool::get`]: one read for a
/// returning user, one transaction for a new one.
///
/// A returning user is one read of the credential `(`[`PROVIDER`](super::PROVIDER)`,
/// profile.id)`, outside any transaction. A miss opens a write transaction (SQLite: `BEGIN
/// IMMEDIATE`, so concurrent first logins queue; PostgreSQL: `READ COMMITTED`, so a re-read
/// sees a concurrent winner) that looks again and inserts a user named after the profile (its
/// display name, else its username) with the credential. A concurrent first login that loses
/// the race on the unique `(provider, subject)` index rolls back its savepoint and returns the
/// winner's user: one user per credential, never a user without one. For the users of another
/// provider, see [`find_or_create_at`].
///
/// ```
/// use actix_twitter_login::{store::{self, StoreOptions}, Profile};
///
/// # let dir = tempfile::tempdir()?;
/// # let database_url = dir.path().join("app.db");
/// # let database_url = database_url.to_str().unwrap();
/// let pool = store::connect(database_url, &StoreOptions::default())?;
/// store::run_migrations(&pool)?;
/// let mut conn = pool.get()?;
///
/// let mut profile = Profile::new("12", "jack");
/// profile.display_name = Some("Jack".into());
/// let created = store::find_or_create(&mut conn, &profile)?;
/// assert_eq!(created.name, "Jack");
/// // The next sign-in with the same Twitter account finds the same user.
/// assert_eq!(store::find_or_create(&mut conn, &profile)?, created);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// Diesel's error when a query fails; [`Error::QueryBuilderError`] for a profile with an empty
/// id, which would otherwise be one account shared by every such profile.
pub fn find_or_create(conn: &mut PooledConnection, profile: &Profile) -> Result<User, Error> {
    find_or_create_at(conn, PROVIDER, profile)
}

/// [`find_or_create`] for the credential `(provider, profile.id)`: the users of another
/// provider than X, such as a local test provider, whose ids are not X's and must never find
/// or create X's users. [`DieselResolver::provider`](super::DieselResolver::provider) signs
/// in with it.
///
/// ```
/// use actix_twitter_login::{store::{self, StoreOptions}, Profile};
///
/// # let dir = tempfile::tempdir()?;
/// # let database_url = dir.path().join("app.db");
/// # let database_url = database_url.to_str().unwrap();
/// let pool = store::connect(database_url, &StoreOptions::default())?;
/// store::run_migrations(&pool)?;
/// let mut conn = pool.get()?;
///
/// let profile = Profile::new("1001", "alice");
/// let local = store::find_or_create_at(&mut conn, "local-test-provider", &profile)?;
/// // The same id at X is another account, so another user.
/// assert_ne!(store::find_or_create(&mut conn, &profile)?, local);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// As [`find_or_create`], and [`Error::QueryBuilderError`] for an empty provider name.
pub fn find_or_create_at(
    conn: &mut PooledConnection,
    provider: &str,
    profile: &Profile,
) -> Result<User, Error> {
    if provider.is_empty() {
        return Err(Error::QueryBuilderError(
            "the provider name is empty: no credential can be looked up".into(),
        ));
    }
    if profile.id.is_empty() {
        return Err(Error::QueryBuilderError(
            "the profile has an empty id: no credential can be looked up".into(),
        ));
    }
    with_connection!(conn, |conn| find_or_create_in(conn, provider, profile))
}

fn find_or_create_in<C>(conn: &mut C, provider: &str, profile: &Profile) -> Result<User, Error>
where
    C: BackendConnection + UserQueries,
{
    if let Some(user) = conn.user_by_subject(provider, &profile.id)? {
        return Ok(user);
    }
    conn.write_transaction(|conn| match conn.user_by_subject(provider, &profile.id)? {
        Some(user) => Ok(user),
        None => create_or_reread(conn, provider, profile),
    })
}

/// Creates the user and credential inside a savepoint; if the credential already exists, the
/// savepoint (with its new user) is rolled back and the existing user is read instead.
pub(super) fn create_or_reread<C: UserQueries>(
    conn: &mut C,
    provider: &str,
    profile: &Profile,
) -> Result<User, Error> {
    match conn.transaction(|conn| create(conn, provider, profile)) {
        Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info)) => {
            tracing::debug!(
                subject = %profile.id,
                "a concurrent first login created this credential; using its user"
            );
            conn.user_by_subject(provider, &profile.id)?
                .ok_or(Error::DatabaseError(
                    DatabaseErrorKind::UniqueViolation,
                    info,
                ))
        }
        other => other,
    }
}

fn create<C: UserQueries>(conn: &mut C, provider: &str, profile: &Profile) -> Result<User, Error> {
    let user = conn.insert_user(display_name(profile))?;
    conn.insert_credential(user.id, provider, &profile.id)?;
    tracing::info!(
        user_id = user.id,
        provider,
        subject = %profile.id,
        "created a user for a first login"
    );
    Ok(user)
}

/// The display name if there is a non-blank one, else the username.
fn display_name(profile: &Profile) -> &str {
    profile
        .display_name
        .as_deref()
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .unwrap_or(&profile.username)
}

#[cfg(test)]
mod tests {
    use super::parse_identity;

    #[test]
    fn only_canonical_decimal_ids_are_identities() {
        assert_eq!(parse_identity("1"), Some(1));
        assert_eq!(parse_identity("2147483647"), Some(i32::MAX));
        for not_an_id in ["", "twitter:1", "+1", "01", " 1", "1 ", "2147483648", "1.0"] {
            assert_eq!(parse_identity(not_an_id), None, "{not_an_id:?}");
        }
    }
}

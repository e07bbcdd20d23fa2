//! Running the embedded migrations (each backend's set, with the same versions and names, is
//! compiled in with the backend).

use super::{
    backend::{BackendConnection, BoxError},
    error::StoreError,
    pool::{with_connection, Pool},
};

/// Applies the migrations the database does not have yet, and returns their versions
/// (like `"202611261853000000"`, from the folder name), oldest first.
///
/// The migrations are those of the pool's [`Backend`](super::Backend); both sets create the
/// same tables under the same versions. Running it again applies nothing and returns an empty
/// list, so it is safe to call at every start, before `HttpServer::run`.
///
/// Several instances may start at once on one database: the run holds a lock (PostgreSQL: the
/// session-level advisory lock `0x61746c2d6d696772`, released when the run ends; SQLite: the
/// file's write lock, the whole run being one `BEGIN IMMEDIATE` transaction), so one instance
/// migrates while the others wait, then find nothing left to do. An instance waits at most
/// as long as a statement may (5 s) before failing with [`StoreError::Migration`].
///
/// ```
/// use actix_twitter_login::store::{self, StoreOptions};
///
/// # let dir = tempfile::tempdir()?;
/// # let database_url = dir.path().join("app.db");
/// # let database_url = database_url.to_str().unwrap();
/// let pool = store::connect(database_url, &StoreOptions::default())?;
/// let applied = store::run_migrations(&pool)?;
/// assert_eq!(applied.len(), 4);
/// assert!(store::run_migrations(&pool)?.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`StoreError::Pool`] if no connection can be had, [`StoreError::Migration`] if a migration
/// fails or the lock cannot be had in time. A failed migration leaves nothing half-applied:
/// on PostgreSQL each migration runs in its own transaction (those before it stay applied),
/// on SQLite the run is one transaction (nothing of it stays).
pub fn run_migrations(pool: &Pool) -> Result<Vec<String>, StoreError> {
    let mut conn = pool.get()?;
    let applied = with_connection!(&mut conn, |conn| conn.with_migration_lock(run_pending))
        .map_err(|source| StoreError::Migration {
            database: pool.database().to_owned(),
            source,
        })?;
    if !applied.is_empty() {
        tracing::info!(database = %pool.database(), ?applied, "applied database migrations");
    }
    Ok(applied)
}

fn run_pending<C: BackendConnection>(conn: &mut C) -> Result<Vec<String>, BoxError> {
    let applied = conn.run_pending_migrations(C::MIGRATIONS)?;
    Ok(applied.iter().map(ToString::to_string).collect())
}

//! Which database a URL is for, and what differs between the backends: the setup every new
//! connection runs, the migrations, and the transaction a login runs in. Everything else in
//! the store is written once, generic over [`BackendConnection`].

use std::fmt;

use diesel::{r2d2::R2D2Connection, result::QueryResult, Connection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness};

/// The database backend behind a [`Pool`](super::Pool), chosen by the database URL.
///
/// A URL with the scheme `postgres://` or `postgresql://` is PostgreSQL (feature `postgres`);
/// anything else is a SQLite path or `file:` URI (feature `sqlite`). Both variants exist
/// whatever the features, so a URL can be classified, and refused with a clear error, even
/// when its backend is not compiled in.
///
/// ```
/// use actix_twitter_login::store::Backend;
///
/// assert_eq!(Backend::for_url("postgres://app@db/app"), Backend::Postgres);
/// assert_eq!(Backend::for_url("PostgreSQL://app@db/app"), Backend::Postgres);
/// assert_eq!(Backend::for_url("app.db"), Backend::Sqlite);
/// assert_eq!(Backend::Postgres.feature(), "postgres");
/// assert_eq!(Backend::Sqlite.to_string(), "SQLite");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Backend {
    /// SQLite: a database file (bundled SQLite, feature `sqlite`).
    Sqlite,
    /// PostgreSQL: a server reached through libpq (feature `postgres`).
    Postgres,
}

impl Backend {
    /// The backend a database URL is for: PostgreSQL for a `postgres://` or `postgresql://`
    /// URL (the scheme in any case), SQLite for anything else.
    pub fn for_url(database_url: &str) -> Self {
        let scheme = database_url
            .split_once("://")
            .map_or("", |(scheme, _)| scheme);
        if scheme.eq_ignore_ascii_case("postgres") || scheme.eq_ignore_ascii_case("postgresql") {
            Self::Postgres
        } else {
            Self::Sqlite
        }
    }

    /// The Cargo feature of this crate that compiles the backend in.
    pub fn feature(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }

    /// Whether this build includes the backend (its [`feature`](Self::feature) is on).
    pub fn is_enabled(self) -> bool {
        match self {
            Self::Sqlite => cfg!(feature = "sqlite"),
            Self::Postgres => cfg!(feature = "postgres"),
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Sqlite => "SQLite",
            Self::Postgres => "PostgreSQL",
        })
    }
}

/// The SQLite migrations, compiled into the binary.
#[cfg(feature = "sqlite")]
const SQLITE: EmbeddedMigrations = diesel_migrations::embed_migrations!("migrations/sqlite");

/// The PostgreSQL migrations, compiled into the binary.
#[cfg(feature = "postgres")]
const POSTGRES: EmbeddedMigrations = diesel_migrations::embed_migrations!("migrations/postgres");

/// A Diesel connection of a backend the store supports, with what differs per backend.
pub(super) trait BackendConnection:
    R2D2Connection + MigrationHarness<<Self as Connection>::Backend> + 'static
{
    /// SQL run on every new connection before the pool hands it out ("" for none).
    const SETUP: &'static str;

    /// The migrations written for this backend, compiled in.
    const MIGRATIONS: EmbeddedMigrations;

    /// The pool size when [`StoreOptions::max_size`](super::StoreOptions::max_size) is `None`.
    const DEFAULT_POOL_SIZE: u32;

    /// Whether the pool checks a connection (`SELECT 1`) each time it hands one out: needed
    /// where a server can drop connections, pointless on a file.
    const TEST_ON_CHECK_OUT: bool;

    /// Runs `f` in the transaction a login's find-or-create needs.
    fn write_transaction<T, F>(&mut self, f: F) -> QueryResult<T>
    where
        F: FnOnce(&mut Self) -> QueryResult<T>;

    /// Runs `migrate` holding the database's migration lock, so that instances starting at
    /// once migrate one after the other: the first applies what is pending, the others find
    /// nothing left to do. A caller waits for the lock as long as the backend lets a
    /// statement wait (5 s), then fails.
    fn with_migration_lock<T, F>(&mut self, migrate: F) -> Result<T, BoxError>
    where
        F: FnOnce(&mut Self) -> Result<T, BoxError>;
}

/// The error of a migration run: the migration harness's, or the database's.
pub(super) type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[cfg(feature = "sqlite")]
impl BackendConnection for diesel::SqliteConnection {
    /// Enforce foreign keys (SQLite's default is off), wait up to 5 s for a lock instead of
    /// failing at once, and use write-ahead logging so readers and the writer do not block
    /// each other.
    const SETUP: &'static str = "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; \
                                 PRAGMA journal_mode = WAL;";

    const MIGRATIONS: EmbeddedMigrations = SQLITE;

    const DEFAULT_POOL_SIZE: u32 = 1;

    const TEST_ON_CHECK_OUT: bool = false;

    /// `BEGIN IMMEDIATE`: the write lock is taken up front, so concurrent logins queue on the
    /// busy timeout instead of failing when a read lock cannot be upgraded.
    fn write_transaction<T, F>(&mut self, f: F) -> QueryResult<T>
    where
        F: FnOnce(&mut Self) -> QueryResult<T>,
    {
        self.immediate_transaction(f)
    }

    /// The whole run in one `BEGIN IMMEDIATE` transaction (each migration a savepoint in
    /// it): the file's write lock is the migration lock, and the busy timeout is the wait.
    fn with_migration_lock<T, F>(&mut self, migrate: F) -> Result<T, BoxError>
    where
        F: FnOnce(&mut Self) -> Result<T, BoxError>,
    {
        self.immediate_transaction(migrate)
    }
}

/// The key of the PostgreSQL advisory lock held while migrating: the ASCII of `atl-migr`.
#[cfg(feature = "postgres")]
pub(super) const MIGRATION_LOCK_KEY: i64 = 0x6174_6c2d_6d69_6772;

#[cfg(feature = "postgres")]
impl BackendConnection for diesel::PgConnection {
    /// No login statement may hang on a server that stopped answering.
    const SETUP: &'static str = "SET statement_timeout = 5000";

    const MIGRATIONS: EmbeddedMigrations = POSTGRES;

    const DEFAULT_POOL_SIZE: u32 = 8;

    const TEST_ON_CHECK_OUT: bool = true;

    /// `READ COMMITTED`, even where the server's default is stricter: each statement sees
    /// what other transactions committed before it, so the re-read after losing a first-login
    /// race finds the winner (under `REPEATABLE READ` it would not).
    fn write_transaction<T, F>(&mut self, f: F) -> QueryResult<T>
    where
        F: FnOnce(&mut Self) -> QueryResult<T>,
    {
        self.build_transaction().read_committed().run(f)
    }

    /// The session-level advisory lock [`MIGRATION_LOCK_KEY`], taken before the run and
    /// released after it, whether it succeeded or not. (Each migration runs in a transaction
    /// of its own, so a transaction-level lock would not cover the run.)
    fn with_migration_lock<T, F>(&mut self, migrate: F) -> Result<T, BoxError>
    where
        F: FnOnce(&mut Self) -> Result<T, BoxError>,
    {
        use diesel::{sql_query, sql_types::BigInt, RunQueryDsl};

        #[derive(diesel::QueryableByName)]
        struct Unlocked {
            #[diesel(sql_type = diesel::sql_types::Bool)]
            unlocked: bool,
        }

        sql_query("SELECT pg_advisory_lock($1)")
            .bind::<BigInt, _>(MIGRATION_LOCK_KEY)
            .execute(self)?;
        let migrated = migrate(self);
        let unlocked = sql_query("SELECT pg_advisory_unlock($1) AS unlocked")
            .bind::<BigInt, _>(MIGRATION_LOCK_KEY)
            .get_result::<Unlocked>(self);
        match (migrated, unlocked) {
            (Ok(applied), Ok(Unlocked { unlocked: true })) => Ok(applied),
            (Ok(_), Ok(Unlocked { unlocked: false })) => {
                Err("the migration lock was not held when it was to be released".into())
            }
            (Ok(_), Err(error)) => {
                Err(format!("cannot release the migration lock: {error}").into())
            }
            (Err(error), unlocked) => {
                if let Err(unlock_error) = unlocked {
                    tracing::warn!(%unlock_error, "cannot release the migration lock");
                }
                Err(error)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Backend;

    #[test]
    fn the_url_scheme_picks_the_backend() {
        for url in [
            "postgres://localhost/app",
            "postgresql://u:p@db:5432/app?sslmode=require",
            "POSTGRES://localhost/app",
        ] {
            assert_eq!(Backend::for_url(url), Backend::Postgres, "{url}");
        }
        for url in [
            "app.db",
            "/var/lib/app/app.db",
            "file:app.db?mode=rwc",
            "sqlite://app.db",
            ":memory:",
            "",
            "postgres",
            "postgres:/x",
            "host=db dbname=app",
            "./postgres://x",
        ] {
            assert_eq!(Backend::for_url(url), Backend::Sqlite, "{url}");
        }
    }

    #[test]
    fn features_name_the_backends() {
        assert_eq!(Backend::Sqlite.feature(), "sqlite");
        assert_eq!(Backend::Postgres.feature(), "postgres");
        assert_eq!(Backend::Sqlite.is_enabled(), cfg!(feature = "sqlite"));
        assert_eq!(Backend::Postgres.is_enabled(), cfg!(feature = "postgres"));
        assert_eq!(Backend::Postgres.to_string(), "PostgreSQL");
    }
}

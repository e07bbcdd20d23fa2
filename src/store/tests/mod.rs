//! The store's tests, run on every backend compiled in.
//!
//! SQLite tests use real files in temporary directories (`:memory:` would give every pooled
//! connection a database of its own). PostgreSQL tests each create a database of their own on
//! the server `TEST_DATABASE_URL` names (see [`pg_server`]), so they can run in parallel; they
//! fail, rather than skip, when that server cannot be reached.

/// Declares, for each `fn(Backend)` listed, one `#[test]` per backend compiled in, as
/// `sqlite::<name>` and `postgres::<name>`.
macro_rules! on_each_backend {
    ($($name:ident),+ $(,)?) => {
        #[cfg(feature = "sqlite")]
        mod sqlite {
            $(#[test] fn $name() { super::$name($crate::store::Backend::Sqlite) })+
        }
        #[cfg(feature = "postgres")]
        mod postgres {
            $(#[test] fn $name() { super::$name($crate::store::Backend::Postgres) })+
        }
    };
}
pub(crate) use on_each_backend;

mod concurrency;
mod find_or_create;
mod job_locks;
mod link;
mod migrations;
#[cfg(feature = "postgres")]
mod pg_server;
mod pool;
#[cfg(feature = "postgres")]
mod postgres_only;
mod resolver;
mod tokens;

use std::time::Duration;

use diesel::prelude::*;

use super::{
    connect,
    pool::with_connection,
    run_migrations,
    schema::{federated_credentials, users},
    Backend, Pool, StoreOptions,
};
use crate::profile::Profile;

/// A fresh, empty database of one backend, removed when dropped.
pub(crate) struct TestDatabase {
    pub(crate) url: String,
    /// What removes the database when dropped: the SQLite file's temporary directory, or the
    /// PostgreSQL [`pg_server::Database`].
    _owner: Box<dyn std::any::Any>,
}

impl TestDatabase {
    pub(crate) fn new(backend: Backend) -> Self {
        match backend {
            #[cfg(feature = "sqlite")]
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temporary directory");
                let url = dir
                    .path()
                    .join("store.db")
                    .to_str()
                    .expect("UTF-8 temporary path")
                    .to_owned();
                Self {
                    url,
                    _owner: Box::new(dir),
                }
            }
            #[cfg(feature = "postgres")]
            Backend::Postgres => {
                let database = pg_server::Database::create();
                Self {
                    url: database.url().to_owned(),
                    _owner: Box::new(database),
                }
            }
            #[allow(unreachable_patterns)] // unreachable when every backend is compiled in
            other => panic!("{other} is not compiled in"),
        }
    }
}

/// A migrated fresh database; keep the [`TestDatabase`] alive as long as the pool.
pub(crate) fn migrated(backend: Backend, options: &StoreOptions) -> (TestDatabase, Pool) {
    let database = TestDatabase::new(backend);
    let pool = connect(&database.url, options).expect("connect");
    assert_eq!(pool.backend(), backend);
    let applied = run_migrations(&pool).expect("migrations");
    assert_eq!(applied.len(), migrations::MIGRATIONS.len(), "{applied:?}");
    (database, pool)
}

/// Small pool settings for tests that need only a connection or two.
fn small() -> StoreOptions {
    StoreOptions {
        max_size: Some(2),
        connection_timeout: Duration::from_secs(10),
        ..StoreOptions::default()
    }
}

/// A database URL of the backend that cannot be opened, and text its error must contain: a
/// file in a missing directory (the directory is returned to keep), or a port where no
/// PostgreSQL listens.
fn unopenable(backend: Backend) -> (tempfile::TempDir, String, &'static str) {
    let dir = tempfile::tempdir().expect("temporary directory");
    match backend {
        Backend::Sqlite => {
            let path = dir.path().join("missing").join("app.db");
            let path = path.to_str().expect("UTF-8 path").to_owned();
            (dir, path, "unable to open database file")
        }
        Backend::Postgres => (
            dir,
            "postgres://postgres@127.0.0.1:1/test".to_owned(),
            r#"connection to server at "127.0.0.1", port 1 failed: Connection refused"#,
        ),
    }
}

/// The backend's error text for a query on a missing table.
fn missing_table(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "no such table: ",
        Backend::Postgres => "does not exist",
    }
}

fn profile(id: &str, username: &str, display_name: Option<&str>) -> Profile {
    let mut profile = Profile::new(id, username);
    profile.display_name = display_name.map(str::to_owned);
    profile
}

/// (users, credentials, users without a credential).
fn counts(pool: &Pool) -> (i64, i64, i64) {
    let mut conn = pool.get().expect("connection");
    with_connection!(&mut conn, |conn| {
        let users: i64 = users::table.count().get_result(conn).expect("count users");
        let credentials: i64 = federated_credentials::table
            .count()
            .get_result(conn)
            .expect("count credentials");
        let orphans: i64 = users::table
            .left_join(federated_credentials::table)
            .filter(federated_credentials::id.is_null())
            .count()
            .get_result(conn)
            .expect("count orphan users");
        (users, credentials, orphans)
    })
}

#[test]
fn pools_and_connections_can_be_shared_and_printed() {
    fn shared<T: Clone + Send + Sync + std::fmt::Debug>() {}
    fn printed<T: Send + std::fmt::Debug>() {}
    shared::<Pool>();
    shared::<super::DieselResolver>();
    printed::<super::PooledConnection>();
}

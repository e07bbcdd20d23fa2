//! A connection of its own to a pool's database, for a transaction that stays open while
//! something slow is under way (a refresh holds its token row's lock while X answers): it
//! takes none of the pool's connections, so the app's other database work goes on meanwhile.
//! It is opened with the pool's URL and set up like the pool's connections (SQLite: foreign
//! keys, the 5 s busy timeout, WAL; PostgreSQL: the statement timeout and libpq's connect and
//! TCP timeouts), and closed when dropped.

use diesel::r2d2;

use super::{
    backend::{Backend, BackendConnection},
    error::StoreError,
    pool::{Pool, PooledConnection},
    setup::set_up,
};

/// A connection of its own to the pool's database, or, for an in-memory SQLite database, which
/// another connection could not see, one of the pool's.
pub(crate) enum Dedicated {
    /// The pool's: the database lives in the memory of the pool's connection.
    Pooled(PooledConnection),
    /// A SQLite connection of its own.
    #[cfg(feature = "sqlite")]
    Sqlite(diesel::SqliteConnection),
    /// A PostgreSQL connection of its own.
    #[cfg(feature = "postgres")]
    Postgres(diesel::PgConnection),
}

/// Runs `$body` with `$conn` bound to the Diesel connection inside a [`Dedicated`]
/// (`&mut SqliteConnection` or `&mut PgConnection`), like
/// [`with_connection`](super::pool::with_connection) for a pooled one.
macro_rules! with_dedicated {
    ($dedicated:expr, |$conn:ident| $body:expr) => {
        match $dedicated {
            $crate::store::dedicated::Dedicated::Pooled(pooled) => {
                $crate::store::pool::with_connection!(pooled, |$conn| $body)
            }
            #[cfg(feature = "sqlite")]
            $crate::store::dedicated::Dedicated::Sqlite(own) => {
                let $conn: &mut ::diesel::SqliteConnection = own;
                $body
            }
            #[cfg(feature = "postgres")]
            $crate::store::dedicated::Dedicated::Postgres(own) => {
                let $conn: &mut ::diesel::PgConnection = own;
                $body
            }
        }
    };
}
pub(super) use with_dedicated;

impl Pool {
    /// Opens a connection of its own to the pool's database and sets it up like the pool's
    /// (for an in-memory SQLite database, takes one of the pool's instead). Blocking; a
    /// PostgreSQL server that does not answer costs at most the pool's connection timeout
    /// (libpq's `connect_timeout`).
    ///
    /// # Errors
    /// [`StoreError::Connect`] if it cannot be opened or set up; for an in-memory database,
    /// or a backend not compiled in, what [`Pool::get`] fails with.
    pub(crate) fn dedicated(&self) -> Result<Dedicated, StoreError> {
        let url: &str = &self.connect_url;
        match self.backend() {
            #[cfg(feature = "sqlite")]
            Backend::Sqlite if !in_memory(url) => open(self, url).map(Dedicated::Sqlite),
            #[cfg(feature = "postgres")]
            Backend::Postgres => open(self, url).map(Dedicated::Postgres),
            _ => self.get().map(Dedicated::Pooled),
        }
    }
}

fn open<C: BackendConnection>(pool: &Pool, url: &str) -> Result<C, StoreError> {
    C::establish(url)
        .map_err(r2d2::Error::ConnectionError)
        .and_then(|mut conn| set_up(&mut conn).map(|()| conn))
        .map_err(|source| StoreError::Connect {
            database: pool.database().to_owned(),
            source,
        })
}

#[cfg(feature = "sqlite")]
/// Whether a SQLite URL names a database in memory, which only the connection that opened it
/// (or, with a shared cache, only connections while one is open) can see.
fn in_memory(url: &str) -> bool {
    url.is_empty() || url.contains(":memory:") || url.contains("mode=memory")
}

#[cfg(all(test, feature = "sqlite"))]
mod tests {
    use diesel::{connection::SimpleConnection, prelude::*, sql_query, sql_types::Text};

    use super::{in_memory, Dedicated};
    use crate::store::{connect, StoreOptions};

    #[derive(QueryableByName)]
    struct Value {
        #[diesel(sql_type = Text)]
        value: String,
    }

    /// The value of the pragma `name`, whose column is `column`.
    fn pragma(conn: &mut SqliteConnection, name: &str, column: &str) -> String {
        sql_query(format!(
            "SELECT CAST({column} AS TEXT) AS value FROM pragma_{name}"
        ))
        .get_result::<Value>(conn)
        .map(|row| row.value)
        .expect(name)
    }

    #[test]
    fn a_file_gets_a_connection_of_its_own_set_up_like_the_pools() {
        let dir = tempfile::tempdir().unwrap();
        let url = dir.path().join("own.db");
        let pool = connect(url.to_str().unwrap(), &StoreOptions::default()).unwrap();
        let held = pool.get().unwrap();
        // The pool's only connection is taken; this one is another.
        let mut own = match pool.dedicated().unwrap() {
            Dedicated::Sqlite(conn) => conn,
            _ => panic!("not a connection of its own"),
        };
        assert_eq!(pragma(&mut own, "foreign_keys", "foreign_keys"), "1");
        assert_eq!(pragma(&mut own, "busy_timeout", "timeout"), "5000");
        assert_eq!(pragma(&mut own, "journal_mode", "journal_mode"), "wal");
        own.batch_execute("CREATE TABLE t (x INTEGER)").unwrap();
        drop(held);
    }

    #[test]
    fn an_in_memory_database_uses_the_pools_connection() {
        for url in [
            ":memory:",
            "",
            "file::memory:",
            "file:db?mode=memory&cache=shared",
        ] {
            assert!(in_memory(url), "{url}");
        }
        assert!(!in_memory("app.db"));
        let pool = connect(":memory:", &StoreOptions::default()).unwrap();
        assert!(matches!(pool.dedicated().unwrap(), Dedicated::Pooled(_)));
    }
}

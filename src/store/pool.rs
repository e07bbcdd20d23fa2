//! The connection pool: eager and lazy construction on the backend the URL names, and the
//! pooled connection.

use std::{fmt, sync::Arc};

use diesel::r2d2::{self, ConnectionManager};

use super::{
    backend::Backend,
    error::{redact, StoreError},
    options::StoreOptions,
    setup::{self, Refusal},
};

/// How many connections a [`Pool`] holds (see [`Pool::state`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolState {
    /// The most connections the pool opens ([`StoreOptions::max_size`]).
    pub max_size: u32,
    /// The open connections, idle or in use.
    pub connections: u32,
    /// The open connections not in use.
    pub idle_connections: u32,
}

/// A pool of connections to a SQLite or PostgreSQL database, cheap to clone (clones share
/// the connections).
///
/// Made by [`connect`] or [`connect_lazy`], which pick the [`Backend`] from the database URL.
/// SQLite connections have foreign keys on, a 5 s busy timeout and WAL journaling.
/// PostgreSQL connections are checked (`SELECT 1`) before they are handed out, so connections
/// a restarted server dropped are replaced, and the pool works again once the database is
/// back; a SQLite file cannot drop a connection, so there is no such check.
/// `Debug` shows the database with any password redacted.
///
/// ```no_run
/// use actix_twitter_login::store::{self, Backend, StoreOptions};
///
/// let pool = store::connect("postgres://app@localhost/app", &StoreOptions::default())?;
/// assert_eq!(pool.backend(), Backend::Postgres);
/// let mut conn = pool.get()?; // blocks: call it in `actix_web::web::block`
/// # drop(conn);
/// # Ok::<(), store::StoreError>(())
/// ```
#[derive(Clone)]
pub struct Pool {
    inner: Inner,
    database: Arc<str>,
    /// The URL connections are opened with, password included: never shown.
    pub(super) connect_url: Arc<str>,
    refusal: Refusal,
}

#[derive(Clone)]
enum Inner {
    #[cfg(feature = "sqlite")]
    Sqlite(r2d2::Pool<ConnectionManager<diesel::SqliteConnection>>),
    #[cfg(feature = "postgres")]
    Postgres(r2d2::Pool<ConnectionManager<diesel::PgConnection>>),
    /// A lazy pool for a backend this build does not include: every `get` fails.
    Disabled(Backend),
}

/// A connection taken from a [`Pool`] by [`Pool::get`]; it goes back to the pool when dropped.
///
/// Pass it to [`find_or_create`](super::find_or_create), or match on it to run Diesel queries
/// of your own on the backend's connection (it dereferences to `SqliteConnection` or
/// `PgConnection`). There is one variant per backend compiled in.
#[non_exhaustive]
pub enum PooledConnection {
    /// A SQLite connection.
    #[cfg(feature = "sqlite")]
    Sqlite(r2d2::PooledConnection<ConnectionManager<diesel::SqliteConnection>>),
    /// A PostgreSQL connection.
    #[cfg(feature = "postgres")]
    Postgres(r2d2::PooledConnection<ConnectionManager<diesel::PgConnection>>),
}

/// Runs `$body` with `$conn` bound to the Diesel connection inside a [`PooledConnection`]
/// (`&mut SqliteConnection` or `&mut PgConnection`): the body is written once and compiled
/// for each backend.
macro_rules! with_connection {
    ($pooled:expr, |$conn:ident| $body:expr) => {
        match $pooled {
            #[cfg(feature = "sqlite")]
            $crate::store::PooledConnection::Sqlite(pooled) => {
                let $conn: &mut ::diesel::SqliteConnection = pooled;
                $body
            }
            #[cfg(feature = "postgres")]
            $crate::store::PooledConnection::Postgres(pooled) => {
                let $conn: &mut ::diesel::PgConnection = pooled;
                $body
            }
        }
    };
}
pub(super) use with_connection;

impl PooledConnection {
    /// The backend this connection is to.
    pub fn backend(&self) -> Backend {
        match self {
            #[cfg(feature = "sqlite")]
            Self::Sqlite(_) => Backend::Sqlite,
            #[cfg(feature = "postgres")]
            Self::Postgres(_) => Backend::Postgres,
        }
    }
}

impl fmt::Debug for PooledConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PooledConnection")
            .field(&self.backend())
            .finish()
    }
}

impl Pool {
    /// Takes a connection, waiting at most the pool's connection timeout.
    ///
    /// This blocks the thread: in a handler, call it inside `actix_web::web::block`.
    ///
    /// # Errors
    /// [`StoreError::Pool`] if no connection is free or can be opened in time,
    /// [`StoreError::Refused`] instead when the server refuses the URL's credentials or
    /// database, [`StoreError::BackendDisabled`] if the pool's backend is not compiled in.
    pub fn get(&self) -> Result<PooledConnection, StoreError> {
        let pool_error = |source| match self.refusal.get() {
            Some(reason) => StoreError::Refused {
                database: self.database().to_owned(),
                reason,
            },
            None => StoreError::Pool {
                database: self.database().to_owned(),
                source,
            },
        };
        match &self.inner {
            #[cfg(feature = "sqlite")]
            Inner::Sqlite(pool) => pool.get().map(PooledConnection::Sqlite).map_err(pool_error),
            #[cfg(feature = "postgres")]
            Inner::Postgres(pool) => pool
                .get()
                .map(PooledConnection::Postgres)
                .map_err(pool_error),
            Inner::Disabled(backend) => Err(StoreError::BackendDisabled {
                database: self.database().to_owned(),
                backend: *backend,
            }),
        }
    }

    /// The backend the pool's database URL names.
    pub fn backend(&self) -> Backend {
        match &self.inner {
            #[cfg(feature = "sqlite")]
            Inner::Sqlite(_) => Backend::Sqlite,
            #[cfg(feature = "postgres")]
            Inner::Postgres(_) => Backend::Postgres,
            Inner::Disabled(backend) => *backend,
        }
    }

    /// The database URL or path this pool opens, with any password redacted.
    pub fn database(&self) -> &str {
        &self.database
    }

    /// How many connections the pool holds now.
    pub fn state(&self) -> PoolState {
        let (max_size, state) = match &self.inner {
            #[cfg(feature = "sqlite")]
            Inner::Sqlite(pool) => (pool.max_size(), pool.state()),
            #[cfg(feature = "postgres")]
            Inner::Postgres(pool) => (pool.max_size(), pool.state()),
            Inner::Disabled(_) => {
                return PoolState {
                    max_size: 0,
                    connections: 0,
                    idle_connections: 0,
                }
            }
        };
        PoolState {
            max_size,
            connections: state.connections,
            idle_connections: state.idle_connections,
        }
    }

    pub(super) fn query_error(&self, source: diesel::result::Error) -> StoreError {
        StoreError::Query {
            database: self.database().to_owned(),
            source,
        }
    }
}

impl fmt::Debug for Pool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state();
        f.debug_struct("Pool")
            .field("backend", &self.backend())
            .field("database", &self.database)
            .field("max_size", &state.max_size)
            .field("connections", &state.connections)
            .field("idle_connections", &state.idle_connections)
            .finish()
    }
}

/// Opens a pool on the database the URL names and waits until its connections are open.
///
/// A `postgres://` or `postgresql://` URL is a PostgreSQL server (feature `postgres`);
/// anything else is a SQLite database file path or `file:` URI (feature `sqlite`; the file is
/// created if missing). It fails fast: one connection is opened and set up first, so a
/// database that cannot be opened is reported at once, with the driver's own message (for
/// PostgreSQL, libpq's, e.g. `connection to server at "127.0.0.1", port 5432 failed:
/// Connection refused`), instead of after the connection timeout. Run
/// [`run_migrations`](super::run_migrations) next.
///
/// ```no_run
/// use actix_twitter_login::store::{self, StoreOptions};
///
/// let pool = store::connect("app.db", &StoreOptions::default())?;
/// store::run_migrations(&pool)?;
/// # Ok::<(), store::StoreError>(())
/// ```
///
/// # Errors
/// [`StoreError::Connect`] if the database cannot be opened or set up within the connection
/// timeout, [`StoreError::Pool`] if the pool cannot fill within it,
/// [`StoreError::BackendDisabled`] if the URL's backend is not compiled in.
pub fn connect(database_url: &str, options: &StoreOptions) -> Result<Pool, StoreError> {
    let database: Arc<str> = redact(database_url).into();
    let connect_url = setup::connect_url(database_url, options);
    let refusal = Refusal::default();
    let inner = match Backend::for_url(database_url) {
        #[cfg(feature = "sqlite")]
        Backend::Sqlite => Inner::Sqlite(setup::eager(&connect_url, &database, options, &refusal)?),
        #[cfg(feature = "postgres")]
        Backend::Postgres => {
            Inner::Postgres(setup::eager(&connect_url, &database, options, &refusal)?)
        }
        #[allow(unreachable_patterns)] // unreachable when every backend is compiled in
        backend => {
            return Err(StoreError::BackendDisabled {
                database: database.as_ref().to_owned(),
                backend,
            })
        }
    };
    Ok(Pool {
        inner,
        database,
        connect_url: connect_url.into(),
        refusal,
    })
}

/// Makes a pool without opening anything: connections are opened when they are asked for
/// (unless [`StoreOptions::min_idle`] says to keep some open), and a database that cannot be
/// opened shows up as a [`StoreError::Pool`] from each [`Pool::get`], after the connection
/// timeout, while the pool keeps retrying in the background.
///
/// Use it when the web server must start even while the database is down. A URL whose
/// backend is not compiled in makes a pool whose every `get` fails with
/// [`StoreError::BackendDisabled`].
///
/// ```
/// use std::time::Duration;
/// use actix_twitter_login::store::{self, StoreOptions};
///
/// let options = StoreOptions {
///     connection_timeout: Duration::from_millis(100),
///     ..StoreOptions::default()
/// };
/// let pool = store::connect_lazy("no-such-dir/app.db", &options);
/// assert!(pool.get().is_err());
/// ```
pub fn connect_lazy(database_url: &str, options: &StoreOptions) -> Pool {
    let database: Arc<str> = redact(database_url).into();
    let connect_url = setup::connect_url(database_url, options);
    let refusal = Refusal::default();
    let inner = match Backend::for_url(database_url) {
        #[cfg(feature = "sqlite")]
        Backend::Sqlite => Inner::Sqlite(setup::lazy(&connect_url, &database, options, &refusal)),
        #[cfg(feature = "postgres")]
        Backend::Postgres => {
            Inner::Postgres(setup::lazy(&connect_url, &database, options, &refusal))
        }
        #[allow(unreachable_patterns)] // unreachable when every backend is compiled in
        backend => {
            tracing::error!(
                %database,
                "{backend} support is not compiled in: enable the `{}` feature",
                backend.feature()
            );
            Inner::Disabled(backend)
        }
    };
    Pool {
        inner,
        database,
        connect_url: connect_url.into(),
        refusal,
    }
}

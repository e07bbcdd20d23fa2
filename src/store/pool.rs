//! The connection pool: options, eager and lazy construction, per-connection pragmas, and a
//! quiet error handler.

use std::{
    fmt,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    time::Duration,
};

use diesel::{
    connection::SimpleConnection,
    r2d2::{self, ConnectionManager, CustomizeConnection, HandleError},
    Connection, SqliteConnection,
};

use super::error::{redact, StoreError};

/// The pragmas every connection runs when it is opened: enforce foreign keys (SQLite's default
/// is off), wait up to 5 s for a lock instead of failing at once, and use write-ahead logging
/// so readers and the writer do not block each other.
const PRAGMAS: &str = "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; \
                       PRAGMA journal_mode = WAL;";

/// A pooled connection, handed out by [`Pool::get`]; it goes back to the pool when dropped.
pub type PooledConnection = r2d2::PooledConnection<ConnectionManager<SqliteConnection>>;

/// Pool settings for [`connect`] and [`connect_lazy`].
///
/// The defaults are `max_size` 8 and `connection_timeout` 5 s (r2d2's own default timeout is
/// 30 s, far too long to keep a login request waiting).
///
/// ```
/// use std::time::Duration;
/// use actix_twitter_login::store::StoreOptions;
///
/// let options = StoreOptions {
///     max_size: 4,
///     ..StoreOptions::default()
/// };
/// assert_eq!(options.connection_timeout, Duration::from_secs(5));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreOptions {
    /// The most connections the pool keeps open (default 8). The pool opens them all up front.
    pub max_size: u32,
    /// How long taking a connection may wait, for a free one or for the database to open,
    /// before it fails (default 5 s). [`connect`] also waits at most this long for the pool to
    /// fill.
    pub connection_timeout: Duration,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            max_size: 8,
            connection_timeout: Duration::from_secs(5),
        }
    }
}

/// A pool of SQLite connections, cheap to clone (clones share the connections).
///
/// Made by [`connect`] or [`connect_lazy`]; every connection has foreign keys on, a 5 s busy
/// timeout and WAL journaling. `Debug` shows the database with any password redacted.
///
/// ```no_run
/// use actix_twitter_login::store::{self, StoreOptions};
///
/// let pool = store::connect("app.db", &StoreOptions::default())?;
/// let mut conn = pool.get()?; // blocks: call it in `actix_web::web::block`
/// # drop(conn);
/// # Ok::<(), store::StoreError>(())
/// ```
#[derive(Clone)]
pub struct Pool {
    inner: r2d2::Pool<ConnectionManager<SqliteConnection>>,
    database: Arc<str>,
}

impl Pool {
    /// Takes a connection, waiting at most the pool's connection timeout.
    ///
    /// This blocks the thread: in a handler, call it inside `actix_web::web::block`.
    ///
    /// # Errors
    /// [`StoreError::Pool`] if no connection is free or can be opened in time.
    pub fn get(&self) -> Result<PooledConnection, StoreError> {
        self.inner.get().map_err(|source| StoreError::Pool {
            database: self.database().to_owned(),
            source,
        })
    }

    /// The database URL or path this pool opens, with any password redacted.
    pub fn database(&self) -> &str {
        &self.database
    }

    /// The underlying r2d2 pool, for what this type does not cover (state, custom timeouts).
    pub fn r2d2(&self) -> &r2d2::Pool<ConnectionManager<SqliteConnection>> {
        &self.inner
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
        let state = self.inner.state();
        f.debug_struct("Pool")
            .field("database", &self.database)
            .field("max_size", &self.inner.max_size())
            .field("connections", &state.connections)
            .field("idle_connections", &state.idle_connections)
            .finish()
    }
}

/// Opens a pool on a SQLite database (a file path or a `file:` URI; the file is created if
/// missing) and waits until its connections are open.
///
/// It fails fast: one connection is opened and set up first, so a database that cannot be
/// opened is reported at once instead of after the connection timeout. Run
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
/// [`StoreError::Connect`] if the database cannot be opened or set up,
/// [`StoreError::Pool`] if the pool cannot fill within the connection timeout.
pub fn connect(database_url: &str, options: &StoreOptions) -> Result<Pool, StoreError> {
    let database = redact(database_url);
    probe(database_url).map_err(|source| StoreError::Connect {
        database: database.clone(),
        source,
    })?;
    let inner = builder(&database, options)
        .build(ConnectionManager::new(database_url))
        .map_err(|source| StoreError::Pool {
            database: database.clone(),
            source,
        })?;
    Ok(Pool {
        inner,
        database: database.into(),
    })
}

/// Makes a pool without opening anything: connections are opened in the background, and a
/// database that cannot be opened shows up as a [`StoreError::Pool`] from each
/// [`Pool::get`], after the connection timeout.
///
/// Use it when the web server must start even while the database is down.
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
    let database = redact(database_url);
    let inner = builder(&database, options).build_unchecked(ConnectionManager::new(database_url));
    Pool {
        inner,
        database: database.into(),
    }
}

/// Opens and sets up one connection directly, for an immediate and precise error.
fn probe(database_url: &str) -> Result<(), r2d2::Error> {
    let mut conn = SqliteConnection::establish(database_url)?;
    conn.batch_execute(PRAGMAS)?;
    Ok(())
}

fn builder(
    database: &str,
    options: &StoreOptions,
) -> r2d2::Builder<ConnectionManager<SqliteConnection>> {
    if options.max_size > 1 && (database == ":memory:" || database.contains("mode=memory")) {
        tracing::warn!(
            database,
            "each pooled connection to an in-memory database has a database of its own; \
             use a file, or max_size 1"
        );
    }
    let failing = Arc::new(AtomicBool::new(false));
    r2d2::Pool::builder()
        .max_size(options.max_size)
        .connection_timeout(options.connection_timeout)
        .connection_customizer(Box::new(SqliteSetup {
            database: database.into(),
            failing: Arc::clone(&failing),
        }))
        .error_handler(Box::new(QuietErrorHandler {
            database: database.into(),
            failing,
        }))
}

/// Runs [`PRAGMAS`] on every new connection, and notes when connections open again after
/// failures.
#[derive(Debug)]
struct SqliteSetup {
    database: Arc<str>,
    failing: Arc<AtomicBool>,
}

impl CustomizeConnection<SqliteConnection, r2d2::Error> for SqliteSetup {
    fn on_acquire(&self, conn: &mut SqliteConnection) -> Result<(), r2d2::Error> {
        conn.batch_execute(PRAGMAS)?;
        if self.failing.swap(false, Ordering::Relaxed) {
            tracing::info!(database = %self.database, "database connections open again");
        }
        Ok(())
    }
}

/// r2d2's default handler logs every failed attempt at ERROR, and r2d2 retries every few
/// hundred milliseconds while the database is down. This one logs the first failure of an
/// outage at WARN and the retries at DEBUG; a successful connection ends the outage.
#[derive(Debug)]
struct QuietErrorHandler {
    database: Arc<str>,
    failing: Arc<AtomicBool>,
}

impl HandleError<r2d2::Error> for QuietErrorHandler {
    fn handle_error(&self, error: r2d2::Error) {
        if self.failing.swap(true, Ordering::Relaxed) {
            tracing::debug!(database = %self.database, %error, "database connection failed again");
        } else {
            tracing::warn!(
                database = %self.database,
                %error,
                "cannot open a database connection; retrying in the background"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use std::{
        io,
        sync::{Arc, Mutex},
    };

    use diesel::{result::ConnectionError, Connection, SqliteConnection};

    use super::*;

    #[derive(Clone, Default)]
    struct Capture(Arc<Mutex<Vec<u8>>>);

    impl io::Write for Capture {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().expect("log buffer").extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn levels(log: &Capture) -> Vec<String> {
        let text = String::from_utf8(log.0.lock().expect("log buffer").clone()).expect("UTF-8");
        text.lines()
            .map(|line| {
                line.split_whitespace()
                    .nth(1)
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect()
    }

    #[test]
    fn an_outage_is_logged_once_at_warn_and_its_end_at_info() {
        let log = Capture::default();
        let writer = log.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        let failing = Arc::new(AtomicBool::new(false));
        let handler = QuietErrorHandler {
            database: "app.db".into(),
            failing: Arc::clone(&failing),
        };
        let setup = SqliteSetup {
            database: "app.db".into(),
            failing,
        };
        let refused = || r2d2::Error::ConnectionError(ConnectionError::BadConnection("x".into()));

        tracing::subscriber::with_default(subscriber, || {
            for _ in 0..3 {
                handler.handle_error(refused());
            }
            let mut conn = SqliteConnection::establish(":memory:").expect("in-memory database");
            setup.on_acquire(&mut conn).expect("pragmas");
            setup.on_acquire(&mut conn).expect("pragmas again");
            handler.handle_error(refused());
        });

        assert_eq!(levels(&log), ["WARN", "DEBUG", "DEBUG", "INFO", "WARN"]);
    }
}

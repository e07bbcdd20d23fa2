//! Building the r2d2 pool of one backend: the probe that makes [`connect`](super::connect)
//! fail fast, the per-connection setup, and a quiet error handler.

use std::{
    sync::{
        atomic::{AtomicBool, Ordering},
        mpsc, Arc, Mutex,
    },
    thread,
    time::Duration,
};

use diesel::{
    r2d2::{self, ConnectionManager, CustomizeConnection, HandleError},
    result::ConnectionError,
};

use super::{
    backend::BackendConnection,
    error::{is_refusal, StoreError},
    options::StoreOptions,
};

/// The server's message while it refuses the pool's connections for a reason waiting does
/// not mend (see [`is_refusal`]); `None` once a connection opens, or while the failures are
/// of another kind. Shared by the pool's error handler, its connection setup and [`Pool`].
///
/// [`Pool`]: super::Pool
#[derive(Debug, Clone, Default)]
pub(super) struct Refusal(Arc<Mutex<Option<String>>>);

impl Refusal {
    pub(super) fn get(&self) -> Option<String> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn set(&self, refusal: Option<String>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = refusal;
    }
}

/// The URL the pool's connections are opened with: a PostgreSQL URL with
/// [`postgres_defaults`], any other as it is.
pub(super) fn connect_url(database_url: &str, options: &StoreOptions) -> String {
    match super::Backend::for_url(database_url) {
        #[cfg(feature = "postgres")]
        super::Backend::Postgres => postgres_defaults(database_url, options),
        _ => {
            let _ = options;
            database_url.to_owned()
        }
    }
}

/// The libpq parameters that keep a silent server from hanging a login: a connect timeout,
/// TCP keepalives and a TCP user timeout, each added unless the URL already sets it.
#[cfg(feature = "postgres")]
pub(super) fn postgres_defaults(database_url: &str, options: &StoreOptions) -> String {
    let seconds = options.connection_timeout.as_secs().max(1);
    let millis = options.connection_timeout.as_millis().max(1000);
    let defaults = [
        ("connect_timeout", seconds.to_string()),
        ("keepalives", "1".to_owned()),
        ("keepalives_idle", "5".to_owned()),
        ("keepalives_interval", "2".to_owned()),
        ("keepalives_count", "3".to_owned()),
        ("tcp_user_timeout", millis.to_string()),
    ];
    let (head, fragment) = match database_url.split_once('#') {
        Some((head, fragment)) => (head, Some(fragment)),
        None => (database_url, None),
    };
    let query = head.split_once('?').map_or("", |(_, q)| q);
    let mut url = head.to_owned();
    for (name, value) in defaults {
        let present = query
            .split('&')
            .any(|pair| pair.split('=').next() == Some(name));
        if !present {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(&format!("{name}={value}"));
        }
    }
    if let Some(fragment) = fragment {
        url.push('#');
        url.push_str(fragment);
    }
    url
}

/// Checks that the database opens, then builds the pool and waits for it to fill.
pub(super) fn eager<C: BackendConnection>(
    database_url: &str,
    database: &Arc<str>,
    options: &StoreOptions,
    refusal: &Refusal,
) -> Result<r2d2::Pool<ConnectionManager<C>>, StoreError> {
    probe::<C>(database_url, options.connection_timeout).map_err(|source| StoreError::Connect {
        database: database.as_ref().to_owned(),
        source,
    })?;
    builder(database, options, options.min_idle, refusal)
        .build(ConnectionManager::new(database_url))
        .map_err(|source| StoreError::Pool {
            database: database.as_ref().to_owned(),
            source,
        })
}

/// Builds the pool without opening anything; with `min_idle` unset, it opens connections
/// only when they are asked for.
pub(super) fn lazy<C: BackendConnection>(
    database_url: &str,
    database: &Arc<str>,
    options: &StoreOptions,
    refusal: &Refusal,
) -> r2d2::Pool<ConnectionManager<C>> {
    builder(
        database,
        options,
        Some(options.min_idle.unwrap_or(0)),
        refusal,
    )
    .build_unchecked(ConnectionManager::new(database_url))
}

/// Opens and sets up one connection directly, for an immediate and precise error (the
/// pool's own error is a timeout carrying the last error as text).
///
/// The connection is opened on a thread of its own, so an unresponsive server (where libpq
/// may wait minutes for TCP) costs at most `timeout`; the thread is then left to finish.
fn probe<C: BackendConnection>(database_url: &str, timeout: Duration) -> Result<(), r2d2::Error> {
    let (sender, receiver) = mpsc::channel();
    let database_url = database_url.to_owned();
    thread::Builder::new()
        .name("store-probe".into())
        .spawn(move || {
            let opened = C::establish(&database_url)
                .map_err(r2d2::Error::ConnectionError)
                .and_then(|mut conn| set_up(&mut conn));
            // The receiver is gone only if the caller gave up waiting: nothing to report to.
            let _ = sender.send(opened);
        })
        .map_err(|error| {
            r2d2::Error::ConnectionError(ConnectionError::BadConnection(format!(
                "cannot start a thread to open the database: {error}"
            )))
        })?;
    receiver.recv_timeout(timeout).unwrap_or_else(|_| {
        Err(r2d2::Error::ConnectionError(
            ConnectionError::BadConnection(format!(
                "the database did not answer within {timeout:?}"
            )),
        ))
    })
}

pub(super) fn set_up<C: BackendConnection>(conn: &mut C) -> Result<(), r2d2::Error> {
    if !C::SETUP.is_empty() {
        conn.batch_execute(C::SETUP)?;
    }
    Ok(())
}

fn builder<C: BackendConnection>(
    database: &Arc<str>,
    options: &StoreOptions,
    min_idle: Option<u32>,
    refusal: &Refusal,
) -> r2d2::Builder<ConnectionManager<C>> {
    let max_size = options.max_size.unwrap_or(C::DEFAULT_POOL_SIZE);
    if max_size > 1 && (database.as_ref() == ":memory:" || database.contains("mode=memory")) {
        tracing::warn!(
            %database,
            "each pooled connection to an in-memory database has a database of its own; \
             use a file, or max_size 1"
        );
    }
    let failing = Arc::new(AtomicBool::new(false));
    // On a server, r2d2 checks each connection before handing it out (`test_on_check_out`),
    // which is what replaces connections a restarted server has dropped. A SQLite file
    // cannot drop a connection: the check would only cost a statement per login.
    r2d2::Pool::builder()
        .test_on_check_out(C::TEST_ON_CHECK_OUT)
        .max_size(max_size)
        .min_idle(min_idle)
        .idle_timeout(options.idle_timeout)
        .connection_timeout(options.connection_timeout)
        .connection_customizer(Box::new(Setup {
            database: Arc::clone(database),
            failing: Arc::clone(&failing),
            refusal: refusal.clone(),
        }))
        .error_handler(Box::new(QuietErrorHandler {
            database: Arc::clone(database),
            failing,
            refusal: refusal.clone(),
        }))
}

/// Runs the backend's setup SQL on every new connection, and notes when connections open
/// again after failures.
#[derive(Debug)]
struct Setup {
    database: Arc<str>,
    failing: Arc<AtomicBool>,
    refusal: Refusal,
}

impl<C: BackendConnection> CustomizeConnection<C, r2d2::Error> for Setup {
    fn on_acquire(&self, conn: &mut C) -> Result<(), r2d2::Error> {
        set_up(conn)?;
        self.refusal.set(None);
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
    refusal: Refusal,
}

impl HandleError<r2d2::Error> for QuietErrorHandler {
    fn handle_error(&self, error: r2d2::Error) {
        let message = error.to_string();
        self.refusal.set(is_refusal(&message).then_some(message));
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

#[cfg(all(test, feature = "sqlite"))]
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
            refusal: Refusal::default(),
        };
        let setup = Setup {
            database: "app.db".into(),
            failing,
            refusal: Refusal::default(),
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

#[cfg(all(test, feature = "postgres"))]
mod postgres_default_tests {
    use std::time::Duration;

    use super::{postgres_defaults, StoreOptions};

    #[test]
    fn silent_servers_are_bounded_unless_the_url_says_otherwise() {
        let options = StoreOptions {
            connection_timeout: Duration::from_millis(2500),
            ..StoreOptions::default()
        };
        let url = postgres_defaults("postgres://u@db/app", &options);
        assert_eq!(
            url,
            "postgres://u@db/app?connect_timeout=2&keepalives=1&keepalives_idle=5\
             &keepalives_interval=2&keepalives_count=3&tcp_user_timeout=2500"
        );
        let url = postgres_defaults(
            "postgres://u@db/app?sslmode=require&connect_timeout=9",
            &options,
        );
        assert!(
            url.starts_with("postgres://u@db/app?sslmode=require&connect_timeout=9&keepalives=1"),
            "{url}"
        );
        assert_eq!(url.matches("connect_timeout").count(), 1, "{url}");
    }
}

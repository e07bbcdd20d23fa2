//! Opening the database: eager and lazy pools, their errors.

use std::time::{Duration, Instant};

use super::{small, unopenable, TestDatabase};
use crate::store::{connect, connect_lazy, run_migrations, Backend, StoreError, StoreOptions};

on_each_backend!(
    connect_opens_the_pool_up_front,
    connect_fails_fast_with_the_drivers_message,
    a_lazy_pool_opens_connections_only_when_asked,
    a_lazy_pool_reports_an_unopenable_database_on_get,
    a_lazy_pool_works_once_the_database_can_be_opened,
    passwords_in_urls_stay_out_of_errors_and_debug,
);

fn short_timeout() -> StoreOptions {
    StoreOptions {
        max_size: Some(2),
        connection_timeout: Duration::from_millis(200),
        ..StoreOptions::default()
    }
}

#[test]
fn defaults_are_eight_connections_five_seconds_and_ten_idle_minutes() {
    let options = StoreOptions::default();
    assert_eq!(options.max_size, None);
    assert_eq!(options.connection_timeout, Duration::from_secs(5));
    assert_eq!(options.min_idle, None);
    assert_eq!(options.idle_timeout, Some(Duration::from_secs(600)));
}

fn connect_opens_the_pool_up_front(backend: Backend) {
    let db = TestDatabase::new(backend);
    let pool = connect(&db.url, &small()).expect("connect");
    let state = pool.state();
    assert_eq!((state.max_size, state.connections), (2, 2));
    assert_eq!(pool.database(), db.url);
    assert_eq!(pool.backend(), backend);
    assert!(format!("{pool:?}").contains(&format!("{backend:?}")));
}

fn connect_fails_fast_with_the_drivers_message(backend: Backend) {
    let (_dir, url, message) = unopenable(backend);
    let options = StoreOptions {
        connection_timeout: Duration::from_secs(30),
        ..StoreOptions::default()
    };

    let started = Instant::now();
    let error = connect(&url, &options).unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(matches!(error, StoreError::Connect { .. }), "{error:?}");
    let text = error.to_string();
    assert!(text.contains(&url) && text.contains(message), "{text}");
}

fn a_lazy_pool_opens_connections_only_when_asked(backend: Backend) {
    let db = TestDatabase::new(backend);
    let pool = connect_lazy(&db.url, &small());
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(pool.state().connections, 0);
    let conn = pool.get().expect("a connection");
    assert_eq!(conn.backend(), backend);
    assert_eq!(pool.state().connections, 1);
}

fn a_lazy_pool_reports_an_unopenable_database_on_get(backend: Backend) {
    let (_dir, url, message) = unopenable(backend);
    let pool = connect_lazy(&url, &short_timeout());

    let started = Instant::now();
    let error = pool.get().map(drop).unwrap_err();
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(150) && waited < Duration::from_secs(3),
        "{waited:?}"
    );
    assert!(matches!(error, StoreError::Pool { .. }), "{error:?}");
    let text = error.to_string();
    assert!(text.contains(&url) && text.contains(message), "{text}");
}

fn a_lazy_pool_works_once_the_database_can_be_opened(backend: Backend) {
    let db = TestDatabase::new(backend);
    let pool = connect_lazy(&db.url, &small());
    assert_eq!(run_migrations(&pool).expect("migrations").len(), 4);
}

fn passwords_in_urls_stay_out_of_errors_and_debug(backend: Backend) {
    // Neither URL can be opened: SQLite refuses a remote authority in a file: URI without
    // touching any file, and nothing listens on port 1.
    let (url, redacted) = match backend {
        Backend::Sqlite => (
            "file://alice:hunter2@db.example/app.db",
            "file://alice:[redacted]@db.example/app.db",
        ),
        Backend::Postgres => (
            "postgres://alice:hunter2@127.0.0.1:1/app",
            "postgres://alice:[redacted]@127.0.0.1:1/app",
        ),
    };
    let pool = connect_lazy(url, &short_timeout());
    let debug = format!("{pool:?}");
    let error = pool.get().map(drop).unwrap_err().to_string();
    let eager = connect(url, &short_timeout()).unwrap_err().to_string();
    for text in [&debug, &error, &eager] {
        assert!(!text.contains("hunter2"), "{text}");
        assert!(text.contains(redacted), "{text}");
    }
}

/// The URL of a backend this build leaves out: `connect` refuses it, and a lazy pool on it
/// refuses every `get`, naming the feature to enable.
#[cfg(not(all(feature = "sqlite", feature = "postgres")))]
#[test]
fn a_backend_that_is_not_compiled_in_names_its_feature() {
    let (url, backend) = if cfg!(feature = "sqlite") {
        ("postgres://alice:hunter2@db.example/app", Backend::Postgres)
    } else {
        ("app.db", Backend::Sqlite)
    };
    assert!(!backend.is_enabled());
    let expected = format!("enable the `{}` feature", backend.feature());

    let error = connect(url, &short_timeout()).unwrap_err();
    assert!(
        matches!(error, StoreError::BackendDisabled { backend: b, .. } if b == backend),
        "{error:?}"
    );
    assert!(error.to_string().contains(&expected), "{error}");
    assert!(!error.to_string().contains("hunter2"), "{error}");

    let pool = connect_lazy(url, &short_timeout());
    assert_eq!(pool.backend(), backend);
    assert_eq!(pool.state().connections, 0);
    let error = pool.get().map(drop).unwrap_err();
    assert!(error.to_string().contains(&expected), "{error}");
}

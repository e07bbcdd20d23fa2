//! Opening the database: eager and lazy pools, their errors.

use std::time::{Duration, Instant};

use super::{database_path, small};
use crate::store::{connect, connect_lazy, StoreError, StoreOptions};

fn short_timeout() -> StoreOptions {
    StoreOptions {
        max_size: 2,
        connection_timeout: Duration::from_millis(200),
    }
}

#[test]
fn defaults_are_eight_connections_and_five_seconds() {
    let options = StoreOptions::default();
    assert_eq!(options.max_size, 8);
    assert_eq!(options.connection_timeout, Duration::from_secs(5));
}

#[test]
fn connect_opens_the_pool_up_front() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = database_path(&dir);
    let pool = connect(&path, &small()).expect("connect");
    assert_eq!(pool.r2d2().state().connections, 2);
    assert_eq!(pool.database(), path);
    assert!(dir.path().join("store.db").exists());
}

#[test]
fn connect_fails_fast_and_names_the_path() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("missing").join("app.db");
    let path = path.to_str().expect("UTF-8 path");
    let options = StoreOptions {
        connection_timeout: Duration::from_secs(30),
        ..StoreOptions::default()
    };

    let started = Instant::now();
    let error = connect(path, &options).unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(matches!(error, StoreError::Connect { .. }), "{error:?}");
    let text = error.to_string();
    assert!(
        text.contains(path) && text.contains("unable to open database file"),
        "{text}"
    );
}

#[test]
fn connect_refuses_a_file_that_is_not_a_database() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = database_path(&dir);
    std::fs::write(&path, vec![b'x'; 4096]).expect("write junk");
    let error = connect(&path, &short_timeout()).unwrap_err();
    assert!(matches!(error, StoreError::Connect { .. }), "{error:?}");
    assert!(
        error.to_string().contains("file is not a database"),
        "{error}"
    );
}

#[test]
fn a_lazy_pool_reports_an_unopenable_database_on_get() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("missing").join("app.db");
    let path = path.to_str().expect("UTF-8 path");
    let pool = connect_lazy(path, &short_timeout());

    let started = Instant::now();
    let error = pool.get().map(drop).unwrap_err();
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(150) && waited < Duration::from_secs(3),
        "{waited:?}"
    );
    assert!(matches!(error, StoreError::Pool { .. }), "{error:?}");
    assert!(error.to_string().contains(path), "{error}");
}

#[test]
fn a_lazy_pool_works_once_the_database_can_be_opened() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = database_path(&dir);
    let pool = connect_lazy(&path, &small());
    assert_eq!(
        crate::store::run_migrations(&pool)
            .expect("migrations")
            .len(),
        2
    );
}

#[test]
fn passwords_in_urls_stay_out_of_errors_and_debug() {
    // A remote authority in a file: URI is refused by SQLite without touching any file.
    let url = "file://alice:hunter2@db.example/app.db";
    let pool = connect_lazy(url, &short_timeout());
    let debug = format!("{pool:?}");
    let error = pool.get().map(drop).unwrap_err().to_string();
    let eager = connect(url, &short_timeout()).unwrap_err().to_string();
    for text in [&debug, &error, &eager] {
        assert!(!text.contains("hunter2"), "{text}");
        assert!(
            text.contains("file://alice:[redacted]@db.example/app.db"),
            "{text}"
        );
    }
}

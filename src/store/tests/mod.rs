//! Tests on real SQLite files in temporary directories (`:memory:` would give every pooled
//! connection a database of its own).

mod concurrency;
mod find_or_create;
mod migrations;
mod pool;
mod verifier;

use std::time::Duration;

use diesel::prelude::*;
use tempfile::TempDir;

use super::{
    connect, run_migrations,
    schema::{federated_credentials, users},
    Pool, StoreOptions,
};
use crate::oauth::Profile;

/// A migrated database in a fresh temporary directory; keep the directory alive.
fn migrated(options: &StoreOptions) -> (TempDir, Pool) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let pool = connect(&database_path(&dir), options).expect("connect");
    let applied = run_migrations(&pool).expect("migrations");
    assert_eq!(applied.len(), 2, "{applied:?}");
    (dir, pool)
}

fn database_path(dir: &TempDir) -> String {
    dir.path()
        .join("store.db")
        .to_str()
        .expect("UTF-8 temporary path")
        .to_owned()
}

/// Small pool settings for tests that need only a connection or two.
fn small() -> StoreOptions {
    StoreOptions {
        max_size: 2,
        connection_timeout: Duration::from_secs(10),
    }
}

fn profile(id: &str, username: &str, display_name: Option<&str>) -> Profile {
    let mut profile = Profile::from_access_token(id, username);
    profile.display_name = display_name.map(str::to_owned);
    profile
}

/// (users, credentials, users without a credential).
fn counts(pool: &Pool) -> (i64, i64, i64) {
    let conn = &mut pool.get().expect("connection");
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
}

//! Which database and session store the behaviour tests run against.
//!
//! `cargo test` runs them on SQLite and the encrypted cookie store. With
//! `TEST_BACKEND=postgres-redis` (and `--features postgres,redis`) the same tests run on a fresh
//! PostgreSQL database per app and on Redis sessions. A service that cannot be reached fails the
//! test with a message naming the variable to set; nothing is skipped.

use diesel::{prelude::*, sql_types::BigInt};

/// Chooses the backend of the whole run.
pub const BACKEND_VAR: &str = "TEST_BACKEND";
/// The PostgreSQL server (any database on it; fresh ones are created next to it).
#[cfg(feature = "postgres")]
pub const DATABASE_VAR: &str = "TEST_DATABASE_URL";
/// The Redis server.
pub const REDIS_VAR: &str = "TEST_REDIS_URL";

#[cfg(feature = "postgres")]
const DEFAULT_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/test";
const DEFAULT_REDIS_URL: &str = "redis://127.0.0.1:6379";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// SQLite and actix-session's cookie store: the embedded defaults.
    SqliteCookie,
    /// PostgreSQL and actix-session's Redis store: several machines.
    PostgresRedis,
}

impl Backend {
    pub fn from_env() -> Backend {
        match std::env::var(BACKEND_VAR).as_deref() {
            Err(_) | Ok("") | Ok("sqlite-cookie") => Backend::SqliteCookie,
            Ok("postgres-redis") => {
                if !cfg!(all(feature = "postgres", feature = "redis")) {
                    panic!("{BACKEND_VAR}=postgres-redis needs `--features postgres,redis`");
                }
                Backend::PostgresRedis
            }
            Ok(other) => panic!("{BACKEND_VAR}={other}: use `sqlite-cookie` or `postgres-redis`"),
        }
    }
}

/// The URL of the PostgreSQL server the tests create their databases on.
#[cfg(feature = "postgres")]
pub fn postgres_server_url() -> String {
    std::env::var(DATABASE_VAR).unwrap_or_else(|_| DEFAULT_DATABASE_URL.to_owned())
}

/// The Redis server's URL.
pub fn redis_url() -> String {
    std::env::var(REDIS_VAR).unwrap_or_else(|_| DEFAULT_REDIS_URL.to_owned())
}

/// `host:port` of a URL like `postgres://user@host:port/db` or `redis://host:port`.
#[cfg(all(feature = "postgres", feature = "redis"))]
pub fn host_port(url: &str) -> String {
    let parsed = url::Url::parse(url).expect("a valid service URL");
    let host = parsed.host_str().expect("a host").to_owned();
    let port = parsed.port().unwrap_or(if parsed.scheme() == "redis" {
        6379
    } else {
        5432
    });
    format!("{host}:{port}")
}

/// The same URL with `host:port` replaced (to go through a proxy).
#[cfg(all(feature = "postgres", feature = "redis"))]
pub fn with_host_port(url: &str, addr: std::net::SocketAddr) -> String {
    let mut parsed = url::Url::parse(url).expect("a valid service URL");
    parsed.set_host(Some(&addr.ip().to_string())).unwrap();
    parsed.set_port(Some(addr.port())).unwrap();
    parsed.into()
}

/// A database for one test app: a SQLite file in a temporary folder, or a fresh PostgreSQL
/// database dropped when this is dropped.
pub struct Database {
    pub url: String,
    postgres: bool,
    _dir: tempfile::TempDir,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

impl Database {
    pub fn new(backend: Backend) -> Database {
        let dir = tempfile::tempdir().unwrap();
        match backend {
            Backend::SqliteCookie => Database {
                url: dir.path().join("users.db").to_str().unwrap().to_owned(),
                postgres: false,
                _dir: dir,
            },
            Backend::PostgresRedis => Database {
                url: create_postgres_database(),
                postgres: true,
                _dir: dir,
            },
        }
    }

    /// Counts the rows of a table.
    pub fn count(&self, table: &str) -> i64 {
        let query = format!("SELECT COUNT(*) AS n FROM {table}");
        if self.postgres {
            return count_postgres(&self.url, &query);
        }
        let mut conn = SqliteConnection::establish(&self.url).unwrap();
        diesel::sql_query(query)
            .get_result::<Count>(&mut conn)
            .unwrap()
            .n
    }
}

impl Database {
    /// Runs one statement on the database (a test's own change, say a clock moved on).
    pub fn execute(&self, statement: &str) {
        if self.postgres {
            return execute_postgres(&self.url, statement);
        }
        let mut conn = SqliteConnection::establish(&self.url).unwrap();
        diesel::sql_query(statement).execute(&mut conn).unwrap();
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if self.postgres {
            drop_postgres_database(&self.url);
        }
    }
}

#[cfg(feature = "postgres")]
fn create_postgres_database() -> String {
    use rand::{distributions::Alphanumeric, Rng as _};
    let server = postgres_server_url();
    let mut admin = PgConnection::establish(&server).unwrap_or_else(|e| {
        panic!(
            "cannot reach PostgreSQL at {server}: {e}. Set {DATABASE_VAR} to a reachable server."
        )
    });
    let name: String = rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(12)
        .map(|c| char::from(c).to_ascii_lowercase())
        .collect();
    let name = format!("atl_{name}");
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .unwrap();
    let mut url = url::Url::parse(&server).unwrap();
    url.set_path(&name);
    url.into()
}

#[cfg(feature = "postgres")]
fn drop_postgres_database(url: &str) {
    let name = url::Url::parse(url)
        .unwrap()
        .path()
        .trim_start_matches('/')
        .to_owned();
    if let Ok(mut admin) = PgConnection::establish(&postgres_server_url()) {
        let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&mut admin);
    }
}

#[cfg(feature = "postgres")]
fn execute_postgres(url: &str, statement: &str) {
    let mut conn = PgConnection::establish(url).unwrap();
    diesel::sql_query(statement).execute(&mut conn).unwrap();
}

#[cfg(feature = "postgres")]
fn count_postgres(url: &str, query: &str) -> i64 {
    let mut conn = PgConnection::establish(url).unwrap();
    diesel::sql_query(query)
        .get_result::<Count>(&mut conn)
        .unwrap()
        .n
}

#[cfg(not(feature = "postgres"))]
fn create_postgres_database() -> String {
    unreachable!("Backend::from_env refuses postgres-redis without the postgres feature")
}

#[cfg(not(feature = "postgres"))]
fn drop_postgres_database(_url: &str) {}

#[cfg(not(feature = "postgres"))]
fn count_postgres(_url: &str, _query: &str) -> i64 {
    unreachable!()
}

#[cfg(not(feature = "postgres"))]
fn execute_postgres(_url: &str, _statement: &str) {
    unreachable!()
}

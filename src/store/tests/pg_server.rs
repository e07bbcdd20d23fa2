//! The PostgreSQL test server: `TEST_DATABASE_URL`, a fresh database per test, and a relay
//! that can make the server look down.

use std::{
    collections::hash_map::RandomState,
    hash::BuildHasher,
    io,
    net::{Shutdown, TcpListener, TcpStream, ToSocketAddrs},
    process,
    sync::{
        atomic::{AtomicBool, AtomicU64, Ordering},
        Arc,
    },
    thread,
    time::{Duration, Instant},
};

use diesel::{Connection, PgConnection, QueryableByName, RunQueryDsl};
use url::Url;

use crate::store::error::redact;

/// The server the tests use when `TEST_DATABASE_URL` is not set.
const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// The URL of a database on the test server whose user may `CREATE DATABASE`.
pub(super) fn server_url() -> String {
    std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_URL.to_owned())
}

/// A connection to the server's own database; panics, naming `TEST_DATABASE_URL`, when the
/// server cannot be reached: the PostgreSQL tests fail rather than skip.
fn admin(server_url: &str) -> PgConnection {
    PgConnection::establish(server_url).unwrap_or_else(|error| {
        panic!(
            "cannot reach the PostgreSQL test server at {}: {error}\n\
             Set TEST_DATABASE_URL (default {DEFAULT_URL}) to a database on a running server \
             where this user may CREATE DATABASE, or run without the `postgres` feature.",
            redact(server_url)
        )
    })
}

/// A database of its own on the test server, named `atl_<random>`; dropped, along with any
/// connection to it, when this is dropped.
pub(super) struct Database {
    name: String,
    url: String,
    server_url: String,
}

impl Database {
    /// Creates the database.
    pub(super) fn create() -> Self {
        static CREATED: AtomicU64 = AtomicU64::new(0);
        let server_url = server_url();
        let unique = (process::id(), CREATED.fetch_add(1, Ordering::Relaxed));
        let name = format!("atl_{:016x}", RandomState::new().hash_one(unique));
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut admin(&server_url))
            .unwrap_or_else(|error| panic!("CREATE DATABASE {name}: {error}"));
        let mut url = Url::parse(&server_url).expect("TEST_DATABASE_URL is a URL");
        url.set_path(&name);
        Self {
            name,
            url: url.into(),
            server_url,
        }
    }

    /// The database's URL.
    pub(super) fn url(&self) -> &str {
        &self.url
    }

    /// Closes every connection to the database, as a server restart does, and waits until
    /// they are gone (`pg_terminate_backend` only signals them).
    pub(super) fn terminate_connections(&self) {
        #[derive(QueryableByName)]
        struct Left {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            left: i64,
        }
        let mut admin = admin(&self.server_url);
        let started = Instant::now();
        loop {
            let left = diesel::sql_query(
                "SELECT count(pg_terminate_backend(pid)) AS left FROM pg_stat_activity \
                 WHERE datname = $1",
            )
            .bind::<diesel::sql_types::Text, _>(&self.name)
            .get_result::<Left>(&mut admin)
            .expect("terminate the connections")
            .left;
            if left == 0 {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "{left} connections to {} outlived termination",
                self.name
            );
            thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        // No panic here: this also runs while a failed test unwinds.
        let dropped = PgConnection::establish(&self.server_url)
            .map_err(|error| error.to_string())
            .and_then(|mut conn| {
                diesel::sql_query(format!(
                    "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                    self.name
                ))
                .execute(&mut conn)
                .map_err(|error| error.to_string())
            });
        if let Err(error) = dropped {
            eprintln!("cannot drop the test database {}: {error}", self.name);
        }
    }
}

/// A TCP relay on loopback to the test server. While it is down it accepts connections and
/// closes them at once, which is how a server that is down or restarting looks to libpq.
/// Connections relayed while it was up are left alone: close them on the server.
pub(super) struct Relay {
    port: u16,
    up: Arc<AtomicBool>,
    stopped: Arc<AtomicBool>,
}

impl Relay {
    /// A relay to the server of `database_url`, up.
    pub(super) fn start(database_url: &str) -> Self {
        let url = Url::parse(database_url).expect("a URL");
        let host = url.host_str().expect("a host").to_owned();
        let server = (host.as_str(), url.port().unwrap_or(5432))
            .to_socket_addrs()
            .expect("the server's address")
            .next()
            .expect("an address");
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let port = listener.local_addr().expect("the relay's address").port();
        let up = Arc::new(AtomicBool::new(true));
        let stopped = Arc::new(AtomicBool::new(false));
        let (is_up, is_stopped) = (Arc::clone(&up), Arc::clone(&stopped));
        thread::spawn(move || {
            for client in listener.incoming() {
                if is_stopped.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(client) = client else { continue };
                if is_up.load(Ordering::SeqCst) {
                    if let Ok(server) = TcpStream::connect(server) {
                        let _ = relay(client, server);
                    }
                }
            }
        });
        Self { port, up, stopped }
    }

    /// `database_url`, reached through the relay.
    pub(super) fn url(&self, database_url: &str) -> String {
        let mut url = Url::parse(database_url).expect("a URL");
        url.set_host(Some("127.0.0.1")).expect("a host");
        url.set_port(Some(self.port)).expect("a port");
        url.into()
    }

    /// Lets new connections through (`true`) or closes them at once (`false`).
    pub(super) fn set_up(&self, up: bool) {
        self.up.store(up, Ordering::SeqCst);
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.stopped.store(true, Ordering::SeqCst);
        // Wake the accepting thread so it sees the flag and ends.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// Copies bytes both ways until either side closes.
fn relay(client: TcpStream, server: TcpStream) -> io::Result<()> {
    let pairs = [(client.try_clone()?, server.try_clone()?), (server, client)];
    for (mut from, mut to) in pairs {
        thread::spawn(move || {
            let _ = io::copy(&mut from, &mut to);
            let _ = to.shutdown(Shutdown::Both);
        });
    }
    Ok(())
}

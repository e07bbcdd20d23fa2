//! What only PostgreSQL does: first logins that really race, the migration lock released after
//! a failed run, and a server that goes away and comes back.

use std::{
    thread,
    time::{Duration, Instant},
};

use diesel::{connection::SimpleConnection, prelude::*, sql_query, sql_types::BigInt};

use super::{
    counts, migrated,
    pg_server::{Database, Relay},
    profile, small, TestDatabase,
};
use crate::{
    credentials::{Credentials, Secret, TokenCredentials},
    store::{
        backend::MIGRATION_LOCK_KEY, connect, find_or_create, find_user, queries::UserQueries,
        run_migrations, Backend, DieselResolver, PooledConnection, StoreOptions,
    },
    ResolveErrorKind, ResolveUser, Verdict,
};

#[derive(QueryableByName)]
struct Waiting {
    #[diesel(sql_type = BigInt)]
    waiting: i64,
}

/// How many other sessions on this connection's database wait for a lock.
fn lock_waiters(conn: &mut PgConnection) -> i64 {
    sql_query(
        "SELECT count(*) AS waiting FROM pg_stat_activity \
         WHERE datname = current_database() AND wait_event_type = 'Lock'",
    )
    .get_result::<Waiting>(conn)
    .expect("pg_stat_activity")
    .waiting
}

fn pg(conn: &mut PooledConnection) -> &mut PgConnection {
    match conn {
        PooledConnection::Postgres(conn) => conn,
        #[allow(unreachable_patterns)] // unreachable without the `sqlite` feature
        _ => panic!("not a PostgreSQL connection"),
    }
}

#[derive(QueryableByName)]
struct Locked {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    locked: bool,
}

/// A run that fails releases the migration lock as well: the failed instance's connection
/// goes back to its pool open, and must not keep the next instance waiting.
#[test]
fn a_failed_migration_run_releases_the_migration_lock() {
    let db = TestDatabase::new(Backend::Postgres);
    let one = StoreOptions {
        max_size: Some(1),
        ..small()
    };
    let failed = connect(&db.url, &one).expect("connect");
    pg(&mut failed.get().expect("connection"))
        .batch_execute("CREATE TABLE users (id INTEGER)")
        .expect("a table in the first migration's way");
    let error = run_migrations(&failed).expect_err("the first migration fails");
    assert!(error.to_string().contains("already exists"), "{error}");
    assert_eq!(
        failed.state().connections,
        1,
        "its connection is still open"
    );

    let other = connect(&db.url, &one).expect("connect");
    let taken = sql_query("SELECT pg_try_advisory_lock($1) AS locked")
        .bind::<BigInt, _>(MIGRATION_LOCK_KEY)
        .get_result::<Locked>(pg(&mut other.get().expect("connection")))
        .expect("pg_try_advisory_lock")
        .locked;
    assert!(taken, "the failed run left the migration lock held");
}

/// Two first logins with the same account, interleaved for real: the loser's lookup runs
/// before the winner commits, so its credential insert waits on the unique index, fails
/// once the winner commits, and the loser rolls its user back and returns the winner's, even
/// on a session whose default isolation is `REPEATABLE READ`.
#[test]
fn a_login_that_loses_the_race_on_the_unique_index_returns_the_winners_user() {
    let (_db, pool) = migrated(
        Backend::Postgres,
        &StoreOptions {
            max_size: Some(3),
            ..small()
        },
    );
    let login = profile("12", "jack", Some("Jack"));

    // The winner's transaction has inserted the user and credential but not committed.
    let mut winner_conn = pool.get().expect("winner's connection");
    let winner_pg = pg(&mut winner_conn);
    winner_pg.batch_execute("BEGIN").expect("BEGIN");
    let winner = winner_pg.insert_user("Jack").expect("insert the winner");
    winner_pg
        .insert_credential(winner.id, crate::store::PROVIDER, &login.id)
        .expect("insert the winner's credential");

    let loser = {
        let (pool, login) = (pool.clone(), login.clone());
        thread::spawn(move || {
            let mut conn = pool.get().expect("connection");
            // A stricter default would hide the winner from the re-read, were find_or_create
            // not to ask for READ COMMITTED itself.
            pg(&mut conn)
                .batch_execute("SET default_transaction_isolation = 'repeatable read'")
                .expect("SET");
            find_or_create(&mut conn, &login)
        })
    };
    let mut observer = pool.get().expect("observer's connection");
    let started = Instant::now();
    while lock_waiters(pg(&mut observer)) == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the loser never waited"
        );
        thread::sleep(Duration::from_millis(10));
    }
    pg(&mut winner_conn)
        .batch_execute("COMMIT")
        .expect("COMMIT");

    let loser = loser
        .join()
        .expect("loser's thread")
        .expect("find_or_create");
    assert_eq!(loser, winner);
    assert_eq!(counts(&pool), (1, 1, 0), "no orphan user is left behind");
}

fn token() -> Credentials {
    Credentials::OAuth1(TokenCredentials {
        token: "370773112-token".into(),
        secret: Secret::new("token-secret-value"),
    })
}

/// Connections the server closed are replaced as they are taken from the pool, and while the
/// server cannot be reached logins are `Unavailable`; once it is back, the same pool and
/// resolver work again, without a restart.
#[test]
fn the_same_pool_works_again_after_the_server_comes_back() {
    let database = Database::create();
    let relay = Relay::start(database.url());
    let options = StoreOptions {
        max_size: Some(2),
        connection_timeout: Duration::from_secs(2),
        ..StoreOptions::default()
    };
    let pool = connect(&relay.url(database.url()), &options).expect("connect");
    run_migrations(&pool).expect("migrations");
    let resolver = DieselResolver::new(pool.clone());
    let sign_in =
        || actix_rt::System::new().block_on(resolver.resolve(token(), profile("12", "jack", None)));
    let Ok(Verdict::User(id)) = sign_in() else {
        panic!("the first sign-in failed");
    };

    // Every pooled connection is closed by the server; the next ones are opened afresh.
    database.terminate_connections();
    assert!(find_user(&pool, &id).expect("find_user").is_some());

    // The server goes away. Connections still being opened through the relay get a moment to
    // finish, so that terminating them leaves none behind.
    relay.set_up(false);
    thread::sleep(Duration::from_millis(200));
    database.terminate_connections();
    let started = Instant::now();
    let error = sign_in().unwrap_err();
    assert_eq!(error.kind(), ResolveErrorKind::Unavailable, "{error}");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );

    // It comes back: the same resolver signs the same user in.
    relay.set_up(true);
    assert_eq!(
        sign_in().expect("sign-in after the outage"),
        Verdict::User(id)
    );
    assert_eq!(counts(&pool), (1, 1, 0));
}

/// Nothing listens on port 1: the resolver answers `Unavailable` within the short timeout,
/// and an eager `connect` reports libpq's own message at once.
#[test]
fn an_unreachable_server_is_unavailable_quickly_and_connect_says_why() {
    const URL: &str = "postgres://postgres@127.0.0.1:1/test";
    let options = StoreOptions {
        connection_timeout: Duration::from_millis(200),
        ..StoreOptions::default()
    };
    let resolver = DieselResolver::new(crate::store::connect_lazy(URL, &options));
    let started = Instant::now();
    let error = actix_rt::System::new()
        .block_on(resolver.resolve(token(), profile("12", "jack", None)))
        .unwrap_err();
    assert_eq!(error.kind(), ResolveErrorKind::Unavailable, "{error}");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );

    let started = Instant::now();
    let error = connect(URL, &options).unwrap_err().to_string();
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert!(
        error.contains(r#"connection to server at "127.0.0.1", port 1 failed: Connection refused"#),
        "{error}"
    );
}

/// A fresh database per test: another test's users are not visible here.
#[test]
fn each_test_has_a_database_of_its_own() {
    let (first, first_pool) = migrated(Backend::Postgres, &small());
    let second = TestDatabase::new(Backend::Postgres);
    assert_ne!(first.url, second.url);
    find_or_create(
        &mut first_pool.get().expect("connection"),
        &profile("1", "a", None),
    )
    .expect("create");
    let second_pool = connect(&second.url, &small()).expect("connect");
    run_migrations(&second_pool).expect("migrations");
    assert_eq!(counts(&first_pool), (1, 1, 0));
    assert_eq!(counts(&second_pool), (0, 0, 0));
}

/// A role the server does not know is a configuration error, not an outage: every login
/// fails with an internal error (500) naming the cause, instead of "try again later" forever,
/// however many wait for a connection at once.
#[test]
fn a_role_the_server_refuses_is_an_internal_error() {
    let mut url = url::Url::parse(&super::pg_server::server_url()).expect("a URL");
    url.set_username("atl_no_such_role").expect("a username");
    let options = StoreOptions {
        max_size: Some(1),
        connection_timeout: Duration::from_secs(2),
        ..StoreOptions::default()
    };
    let resolver = DieselResolver::new(crate::store::connect_lazy(url.as_str(), &options));
    let logins: Vec<_> = (0..4)
        .map(|n| {
            let resolver = resolver.clone();
            thread::spawn(move || {
                actix_rt::System::new()
                    .block_on(resolver.resolve(token(), profile(&n.to_string(), "jack", None)))
            })
        })
        .collect();
    for login in logins {
        let error = login.join().expect("a login thread").unwrap_err();
        assert_eq!(error.kind(), ResolveErrorKind::Internal, "{error}");
        let text = error.to_string();
        assert!(
            text.contains(r#"role "atl_no_such_role" does not exist"#),
            "{text}"
        );
    }
    let refused = resolver.pool().get().map(drop).unwrap_err();
    assert!(
        matches!(refused, crate::store::StoreError::Refused { .. }),
        "{refused:?}"
    );
}

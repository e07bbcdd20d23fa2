//! The schema: migrations, pragmas, constraints.

use std::{
    sync::{Arc, Barrier},
    thread,
};

use diesel::{
    prelude::*,
    result::{DatabaseErrorKind, Error},
    QueryableByName,
};
use diesel_migrations::MigrationHarness;

use super::{counts, migrated, missing_table, small, with_connection, TestDatabase};
use crate::store::{
    backend::BackendConnection,
    connect, run_migrations,
    schema::{federated_credentials, users},
    Backend, PooledConnection, StoreOptions, PROVIDER,
};

on_each_backend!(
    migrations_apply_once_and_then_are_idempotent,
    migration_versions_are_the_folder_timestamps,
    down_migrations_revert_cleanly_and_up_again,
    unique_indexes_refuse_a_second_credential_for_an_identity_or_a_user_at_a_provider,
    credentials_need_a_user_and_go_with_it,
    instances_starting_at_once_all_migrate_and_apply_each_migration_once,
);

fn migrations_apply_once_and_then_are_idempotent(backend: Backend) {
    let (db, pool) = migrated(backend, &small());
    assert_eq!(
        run_migrations(&pool).expect("second run"),
        Vec::<String>::new()
    );

    // A new pool on the same database finds everything applied, and the tables empty.
    drop(pool);
    let pool = connect(&db.url, &small()).expect("reconnect");
    assert!(run_migrations(&pool).expect("third run").is_empty());
    assert_eq!(counts(&pool), (0, 0, 0));
}

/// Several app instances starting at once on one fresh database: each has its own pool and
/// calls [`run_migrations`] at the same moment. Every call succeeds; one applies both
/// migrations and the others, having waited, find nothing to do.
fn instances_starting_at_once_all_migrate_and_apply_each_migration_once(backend: Backend) {
    const INSTANCES: usize = 8;
    let db = TestDatabase::new(backend);
    let options = StoreOptions {
        max_size: Some(1),
        ..small()
    };
    let pools: Vec<_> = (0..INSTANCES)
        .map(|_| connect(&db.url, &options).expect("connect"))
        .collect();
    let start = Arc::new(Barrier::new(INSTANCES));
    let runs: Vec<_> = pools
        .iter()
        .map(|pool| {
            let (pool, start) = (pool.clone(), Arc::clone(&start));
            thread::spawn(move || {
                start.wait();
                run_migrations(&pool)
            })
        })
        .collect();
    let applied: Vec<Vec<String>> = runs
        .into_iter()
        .map(|run| match run.join().expect("thread") {
            Ok(applied) => applied,
            Err(error) => panic!("an instance failed to migrate: {error}"),
        })
        .collect();

    let migrated: Vec<_> = applied.iter().filter(|a| !a.is_empty()).collect();
    assert_eq!(
        migrated,
        [&MIGRATIONS],
        "one instance applies every migration, the others nothing: {applied:?}"
    );
    let mut conn = pools[0].get().expect("connection");
    let recorded: i64 = with_connection!(&mut conn, |conn| diesel::sql_query(
        "SELECT count(*) AS count FROM __diesel_schema_migrations"
    )
    .get_result::<Count>(conn))
    .expect("count the applied migrations")
    .count;
    drop(conn);
    assert_eq!(
        recorded,
        MIGRATIONS.len() as i64,
        "each migration is recorded once"
    );
    assert_eq!(counts(&pools[0]), (0, 0, 0), "the tables are there, empty");
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    count: i64,
}

/// The migrations' versions, in order: the folders' timestamps.
pub(super) const MIGRATIONS: [&str; 6] = [
    "202611261853000000",
    "202611261853010000",
    "202611300900000000",
    "202611301100000000",
    "202611301200000000",
    "202611301300000000",
];

fn migration_versions_are_the_folder_timestamps(backend: Backend) {
    let db = TestDatabase::new(backend);
    let pool = connect(&db.url, &small()).expect("connect");
    assert_eq!(run_migrations(&pool).expect("migrations"), MIGRATIONS);
}

fn down_migrations_revert_cleanly_and_up_again(backend: Backend) {
    let (_db, pool) = migrated(backend, &small());
    let conn = &mut pool.get().expect("connection");
    let (reverted, missing, reapplied, count) = with_connection!(conn, |conn| {
        let reverted = conn
            .revert_all_migrations(migrations_of(conn))
            .expect("revert")
            .len();
        let missing = users::table.count().get_result::<i64>(conn).unwrap_err();
        let reapplied = conn
            .run_pending_migrations(migrations_of(conn))
            .expect("re-apply")
            .len();
        let count = users::table.count().get_result::<i64>(conn).expect("count");
        (reverted, missing, reapplied, count)
    });
    assert_eq!(reverted, MIGRATIONS.len());
    assert!(
        missing.to_string().contains(missing_table(backend)),
        "{missing}"
    );
    assert_eq!((reapplied, count), (MIGRATIONS.len(), 0));
}

fn migrations_of<C: BackendConnection>(_: &C) -> diesel_migrations::EmbeddedMigrations {
    C::MIGRATIONS
}

fn insert_user(conn: &mut PooledConnection, name: &str) -> i32 {
    with_connection!(conn, |conn| diesel::insert_into(users::table)
        .values(users::name.eq(name))
        .returning(users::id)
        .get_result(conn))
    .expect("insert user")
}

fn insert_credential(
    conn: &mut PooledConnection,
    user_id: i32,
    provider: &str,
    subject: &str,
) -> QueryResult<usize> {
    with_connection!(conn, |conn| diesel::insert_into(
        federated_credentials::table
    )
    .values((
        federated_credentials::user_id.eq(user_id),
        federated_credentials::provider.eq(provider),
        federated_credentials::subject.eq(subject),
    ))
    .execute(conn))
}

fn unique_indexes_refuse_a_second_credential_for_an_identity_or_a_user_at_a_provider(
    backend: Backend,
) {
    let (_db, pool) = migrated(backend, &small());
    let conn = &mut pool.get().expect("connection");
    let alice = insert_user(conn, "alice");
    let mallory = insert_user(conn, "mallory");
    insert_credential(conn, alice, PROVIDER, "12").expect("first credential");

    let duplicate = insert_credential(conn, mallory, PROVIDER, "12").unwrap_err();
    assert!(
        matches!(
            duplicate,
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)
        ),
        "{duplicate:?}"
    );
    // The same subject at another provider, or another subject, is a different identity.
    insert_credential(conn, mallory, "https://example.com", "12").expect("other provider");
    insert_credential(conn, mallory, PROVIDER, "13").expect("other subject");
    // But one user has one account at a provider.
    let second = insert_credential(conn, mallory, PROVIDER, "14").unwrap_err();
    assert!(
        matches!(
            second,
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)
        ),
        "{second:?}"
    );
    assert_eq!(counts(&pool), (2, 3, 0));
}

fn credentials_need_a_user_and_go_with_it(backend: Backend) {
    let (_db, pool) = migrated(backend, &small());
    let conn = &mut pool.get().expect("connection");

    let dangling = insert_credential(conn, 999, PROVIDER, "12").unwrap_err();
    assert!(
        matches!(
            dangling,
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _)
        ),
        "{dangling:?}"
    );

    let user = insert_user(conn, "ada");
    insert_credential(conn, user, PROVIDER, "12").expect("credential");
    let left: i64 = with_connection!(conn, |conn| {
        diesel::delete(users::table.find(user))
            .execute(conn)
            .expect("delete user");
        federated_credentials::table.count().get_result(conn)
    })
    .expect("count");
    assert_eq!(left, 0, "ON DELETE CASCADE removes the user's credentials");
}

#[cfg(feature = "sqlite")]
mod sqlite_only {
    use diesel::{
        sql_query,
        sql_types::{Integer, Text},
        QueryableByName, RunQueryDsl,
    };

    use super::{migrated, small, with_connection};
    use crate::store::Backend;

    #[derive(QueryableByName)]
    struct ForeignKeys {
        #[diesel(sql_type = Integer)]
        foreign_keys: i32,
    }

    #[derive(QueryableByName)]
    struct BusyTimeout {
        #[diesel(sql_type = Integer)]
        timeout: i32,
    }

    #[derive(QueryableByName)]
    struct JournalMode {
        #[diesel(sql_type = Text)]
        journal_mode: String,
    }

    #[test]
    fn every_pooled_sqlite_connection_has_the_pragmas() {
        let (_db, pool) = migrated(Backend::Sqlite, &small());
        // Hold both connections at once, so both are checked, not one twice.
        let mut held = [pool.get().expect("first"), pool.get().expect("second")];
        for conn in &mut held {
            let (fk, busy, journal) = with_connection!(conn, |conn| {
                let fk: ForeignKeys = sql_query("PRAGMA foreign_keys")
                    .get_result(conn)
                    .expect("fk");
                let busy: BusyTimeout = sql_query("PRAGMA busy_timeout")
                    .get_result(conn)
                    .expect("busy");
                let journal: JournalMode = sql_query("PRAGMA journal_mode")
                    .get_result(conn)
                    .expect("jm");
                (fk, busy, journal)
            });
            assert_eq!(fk.foreign_keys, 1);
            assert_eq!(busy.timeout, 5000);
            assert_eq!(journal.journal_mode, "wal");
        }
    }
}

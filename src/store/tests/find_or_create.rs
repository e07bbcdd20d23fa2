//! find_or_create and find_user.

use diesel::{connection::SimpleConnection, prelude::*, result::Error};

use super::{counts, migrated, missing_table, profile, small, with_connection, TestDatabase};
use crate::store::{
    backend::BackendConnection,
    connect,
    find::create_or_reread,
    find_or_create, find_or_create_at, find_user,
    schema::{federated_credentials, users},
    Backend, StoreError, User, PROVIDER,
};

on_each_backend!(
    first_login_creates_one_user_and_one_credential,
    login_again_returns_the_same_user,
    two_twitter_accounts_are_two_users,
    subjects_are_compared_exactly,
    name_is_the_display_name_else_the_username,
    an_empty_profile_id_is_refused,
    another_providers_subjects_are_other_users,
    an_empty_provider_name_is_refused,
    losing_a_first_login_race_rolls_back_and_rereads,
    a_returning_user_needs_no_write,
    find_user_reads_users_by_identity,
    find_user_reports_query_errors_with_the_database,
);

fn first_login_creates_one_user_and_one_credential(backend: Backend) {
    let (_db, pool) = migrated(backend, &small());
    let conn = &mut pool.get().expect("connection");
    let user = find_or_create(conn, &profile("12", "jack", Some("Jack"))).expect("create");
    assert_eq!(user.name, "Jack");
    assert_eq!(counts(&pool), (1, 1, 0));

    let (user_id, provider, subject): (i32, String, String) = with_connection!(conn, |conn| {
        federated_credentials::table
            .select((
                federated_credentials::user_id,
                federated_credentials::provider,
                federated_credentials::subject,
            ))
            .first(conn)
    })
    .expect("the credential");
    assert_eq!(
        (user_id, provider.as_str(), subject.as_str()),
        (user.id, PROVIDER, "12")
    );
}

fn login_again_returns_the_same_user(backend: Backend) {
    let (_db, pool) = migrated(backend, &small());
    let conn = &mut pool.get().expect("connection");
    let first = find_or_create(conn, &profile("12", "jack", Some("Jack"))).expect("create");
    // The handle and name changed on Twitter since; the account is the same one.
    let again = find_or_create(conn, &profile("12", "jack2", Some("Jack D"))).expect("find");
    assert_eq!(again, first);
    assert_eq!(counts(&pool), (1, 1, 0));
}

fn two_twitter_accounts_are_two_users(backend: Backend) {
    let (_db, pool) = migrated(backend, &small());
    let conn = &mut pool.get().expect("connection");
    let jack = find_or_create(conn, &profile("12", "jack", None)).expect("jack");
    let biz = find_or_create(conn, &profile("13", "biz", None)).expect("biz");
    assert_ne!(jack.id, biz.id);
    assert_eq!((jack.name.as_str(), biz.name.as_str()), ("jack", "biz"));
    assert_eq!(counts(&pool), (2, 2, 0));
}

fn subjects_are_compared_exactly(backend: Backend) {
    let (_db, pool) = migrated(backend, &small());
    let conn = &mut pool.get().expect("connection");
    let a = find_or_create(conn, &profile("12", "a", None)).expect("12");
    let b = find_or_create(conn, &profile("012", "b", None)).expect("012");
    let c = find_or_create(conn, &profile("12 ", "c", None)).expect("'12 '");
    assert!(a.id != b.id && b.id != c.id && a.id != c.id);
    assert_eq!(counts(&pool), (3, 3, 0));
}

fn name_is_the_display_name_else_the_username(backend: Backend) {
    let (_db, pool) = migrated(backend, &small());
    let conn = &mut pool.get().expect("connection");
    let named = find_or_create(conn, &profile("1", "ada", Some("Ada Lovelace"))).expect("1");
    let unnamed = find_or_create(conn, &profile("2", "grace", None)).expect("2");
    let blank = find_or_create(conn, &profile("3", "alan", Some("  "))).expect("3");
    assert_eq!(named.name, "Ada Lovelace");
    assert_eq!(unnamed.name, "grace");
    assert_eq!(blank.name, "alan");

    let stored: Vec<String> = with_connection!(conn, |conn| users::table
        .order(users::id)
        .select(users::name)
        .load(conn))
    .expect("names");
    assert_eq!(stored, ["Ada Lovelace", "grace", "alan"]);
}

fn an_empty_profile_id_is_refused(backend: Backend) {
    let (_db, pool) = migrated(backend, &small());
    let conn = &mut pool.get().expect("connection");
    let refused = find_or_create(conn, &profile("", "nobody", None)).unwrap_err();
    assert!(
        matches!(refused, Error::QueryBuilderError(_)),
        "{refused:?}"
    );
    assert_eq!(counts(&pool), (0, 0, 0));
}

/// The same subject at another provider is another account: the provider's own user, never
/// X's, stored under the provider's name.
fn another_providers_subjects_are_other_users(backend: Backend) {
    let (_db, pool) = migrated(backend, &small());
    let conn = &mut pool.get().expect("connection");
    let local = "local-test-provider";
    let at_x = find_or_create(conn, &profile("12", "jack", Some("Jack"))).expect("X's 12");
    let at_local = find_or_create_at(conn, local, &profile("12", "j", None)).expect("local 12");
    assert_ne!(at_local.id, at_x.id);
    assert_eq!(at_local.name, "j");
    let again = find_or_create_at(conn, local, &profile("12", "j", None)).expect("again");
    assert_eq!(again, at_local);
    assert_eq!(
        find_or_create_at(conn, PROVIDER, &profile("12", "jack", None)).expect("X again"),
        at_x
    );
    assert_eq!(counts(&pool), (2, 2, 0));

    let providers: Vec<(i32, String)> = with_connection!(conn, |conn| {
        federated_credentials::table
            .order(federated_credentials::user_id)
            .select((
                federated_credentials::user_id,
                federated_credentials::provider,
            ))
            .load(conn)
    })
    .expect("the credentials");
    assert_eq!(
        providers,
        [
            (at_x.id, PROVIDER.to_owned()),
            (at_local.id, local.to_owned())
        ]
    );
}

fn an_empty_provider_name_is_refused(backend: Backend) {
    let (_db, pool) = migrated(backend, &small());
    let conn = &mut pool.get().expect("connection");
    let refused = find_or_create_at(conn, "", &profile("12", "jack", None)).unwrap_err();
    assert!(
        matches!(refused, Error::QueryBuilderError(_)),
        "{refused:?}"
    );
    assert_eq!(counts(&pool), (0, 0, 0));
}

/// The path taken when a concurrent first login inserted the credential between this login's
/// lookup and its insert: the insert meets the unique index, the new user is rolled back and
/// the existing one is returned.
fn losing_a_first_login_race_rolls_back_and_rereads(backend: Backend) {
    let (_db, pool) = migrated(backend, &small());
    let conn = &mut pool.get().expect("connection");
    let winner = find_or_create(conn, &profile("12", "jack", Some("Jack"))).expect("winner");

    // Skip the lookup, as if it had run just before the winner committed.
    let loser = with_connection!(conn, |conn| conn.write_transaction(
        |conn| create_or_reread(conn, PROVIDER, &profile("12", "jack", None))
    ))
    .expect("reread");
    assert_eq!(loser, winner);
    assert_eq!(counts(&pool), (1, 1, 0), "no orphan user is left behind");

    // On SQLite the rolled-back insert did not even use up an id; PostgreSQL's sequences are
    // not transactional, so there it did.
    let next = find_or_create(conn, &profile("13", "biz", None)).expect("next");
    let used = match backend {
        Backend::Sqlite => 1,
        Backend::Postgres => 2,
    };
    assert_eq!(next.id, winner.id + used);
    assert_eq!(counts(&pool), (2, 2, 0));
}

/// A returning user is found by one read, outside any write transaction: on a connection
/// that may not write, the returning user still signs in and a new one is refused.
fn a_returning_user_needs_no_write(backend: Backend) {
    let (_db, pool) = migrated(backend, &small());
    let conn = &mut pool.get().expect("connection");
    let jack = find_or_create(conn, &profile("12", "jack", Some("Jack"))).expect("create");
    let read_only = match backend {
        Backend::Sqlite => "PRAGMA query_only = ON",
        Backend::Postgres => "SET default_transaction_read_only = on",
    };
    with_connection!(conn, |conn| conn.batch_execute(read_only)).expect("read only");

    let again = find_or_create(conn, &profile("12", "jack", None)).expect("returning user");
    assert_eq!(again, jack);
    let refused = find_or_create(conn, &profile("13", "biz", None));
    assert!(refused.is_err(), "{refused:?}");
    assert_eq!(counts(&pool), (1, 1, 0));
}

fn find_user_reads_users_by_identity(backend: Backend) {
    let (_db, pool) = migrated(backend, &small());
    let created = {
        let conn = &mut pool.get().expect("connection");
        find_or_create(conn, &profile("12", "jack", Some("Jack"))).expect("create")
    };
    let found = find_user(&pool, &created.id.to_string()).expect("find");
    assert_eq!(
        found,
        Some(User {
            id: created.id,
            name: "Jack".into()
        })
    );

    let other = (created.id + 1).to_string();
    for missing in [other.as_str(), "twitter:12", "", "+1", "abc"] {
        assert_eq!(
            find_user(&pool, missing).expect("lookup"),
            None,
            "{missing:?}"
        );
    }
}

fn find_user_reports_query_errors_with_the_database(backend: Backend) {
    // Not migrated: the table is missing.
    let db = TestDatabase::new(backend);
    let pool = connect(&db.url, &small()).expect("connect");
    let error = find_user(&pool, "1").unwrap_err();
    assert!(matches!(error, StoreError::Query { .. }), "{error:?}");
    let text = error.to_string();
    assert!(
        text.contains(&db.url) && text.contains(missing_table(backend)),
        "{text}"
    );
}

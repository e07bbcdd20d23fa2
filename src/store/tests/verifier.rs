//! DieselVerifier as the login middleware calls it.

use std::time::{Duration, Instant};

use super::{counts, migrated, profile, small};
use crate::{
    credentials::{Secret, TokenCredentials},
    store::{connect, connect_lazy, find_user, DieselVerifier, StoreOptions},
    Verdict, Verify, VerifyErrorKind,
};

fn token() -> TokenCredentials {
    TokenCredentials {
        token: "370773112-token".into(),
        secret: Secret::new("token-secret-value"),
    }
}

#[actix_rt::test]
async fn verifier_logs_in_as_the_found_or_created_user() {
    let (_dir, pool) = migrated(&small());
    let verifier = DieselVerifier::new(pool.clone());

    let first = verifier
        .verify(token(), profile("12", "jack", Some("Jack")))
        .await
        .expect("first login");
    let Verdict::User(id) = first.clone() else {
        panic!("expected a user, got {first:?}");
    };
    let user = find_user(&pool, &id)
        .expect("lookup")
        .expect("the new user");
    assert_eq!(user.name, "Jack");

    let again = verifier
        .verify(token(), profile("12", "jack", None))
        .await
        .expect("second login");
    assert_eq!(again, Verdict::User(id));
    assert_eq!(counts(&pool), (1, 1, 0));
}

#[actix_rt::test]
async fn an_unopenable_database_is_unavailable_within_the_timeout() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("missing").join("app.db");
    let options = StoreOptions {
        max_size: 2,
        connection_timeout: Duration::from_millis(200),
    };
    let verifier = DieselVerifier::new(connect_lazy(path.to_str().expect("UTF-8"), &options));

    let started = Instant::now();
    let error = verifier
        .verify(token(), profile("12", "jack", None))
        .await
        .unwrap_err();
    let waited = started.elapsed();
    assert_eq!(error.kind(), VerifyErrorKind::Unavailable, "{error}");
    assert!(waited < Duration::from_secs(3), "{waited:?}");
    assert!(error.to_string().contains("app.db"), "{error}");
}

#[actix_rt::test]
async fn a_missing_schema_is_an_internal_error() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = super::database_path(&dir);
    let verifier = DieselVerifier::new(connect(&path, &small()).expect("connect"));
    let error = verifier
        .verify(token(), profile("12", "jack", None))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), VerifyErrorKind::Internal, "{error}");
    assert!(error.to_string().contains("no such table"), "{error}");
}

#[test]
fn debug_shows_the_database_and_nothing_secret() {
    let (dir, pool) = migrated(&small());
    let verifier = DieselVerifier::new(pool);
    let debug = format!("{verifier:?}");
    assert!(debug.contains(&super::database_path(&dir)), "{debug}");
    assert!(!debug.contains("token-secret-value"), "{debug}");
}

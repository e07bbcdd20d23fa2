//! DieselResolver as the login middleware calls it.

use std::time::{Duration, Instant};

use super::{counts, migrated, missing_table, profile, small, unopenable, TestDatabase};
use crate::{
    credentials::{Credentials, Secret, TokenCredentials},
    store::{connect, connect_lazy, find_user, Backend, DieselResolver, StoreOptions, PROVIDER},
    ResolveErrorKind, ResolveUser, Verdict,
};

on_each_backend!(
    resolver_logs_in_as_the_found_or_created_user,
    a_resolver_for_another_provider_keeps_its_users_apart,
    an_unopenable_database_is_unavailable_within_the_timeout,
    a_missing_schema_is_an_internal_error,
    debug_shows_the_database_and_nothing_secret,
);

/// Runs an async test body on an actix system, as the middleware would call the resolver.
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    actix_rt::System::new().block_on(future)
}

fn token() -> Credentials {
    Credentials::OAuth1(TokenCredentials {
        token: "370773112-token".into(),
        secret: Secret::new("token-secret-value"),
    })
}

fn resolver_logs_in_as_the_found_or_created_user(backend: Backend) {
    let (_db, pool) = migrated(backend, &small());
    block_on(logs_in_as_the_found_or_created_user(pool));
}

async fn logs_in_as_the_found_or_created_user(pool: crate::store::Pool) {
    let resolver = DieselResolver::new(pool.clone());

    let first = resolver
        .resolve(token(), profile("12", "jack", Some("Jack")))
        .await
        .expect("first login");
    let Verdict::User(id) = first.clone() else {
        panic!("expected a user, got {first:?}");
    };
    let user = find_user(&pool, &id)
        .expect("lookup")
        .expect("the new user");
    assert_eq!(user.name, "Jack");

    let again = resolver
        .resolve(token(), profile("12", "jack", None))
        .await
        .expect("second login");
    assert_eq!(again, Verdict::User(id));
    assert_eq!(counts(&pool), (1, 1, 0));
}

/// A resolver given another provider's name signs its users in under that name: X's resolver
/// never finds them, nor they X's.
fn a_resolver_for_another_provider_keeps_its_users_apart(backend: Backend) {
    let (_db, pool) = migrated(backend, &small());
    let local = DieselResolver::new(pool.clone()).provider("local-test-provider");
    let x = DieselResolver::new(pool.clone());
    assert_eq!(x.provider_name(), PROVIDER);
    block_on(async {
        let from_local = local.resolve(token(), profile("12", "jack", None)).await;
        let from_x = x.resolve(token(), profile("12", "jack", None)).await;
        let (Ok(Verdict::User(local_id)), Ok(Verdict::User(x_id))) = (from_local, from_x) else {
            panic!("both sign in");
        };
        assert_ne!(local_id, x_id);
        let again = local.resolve(token(), profile("12", "jack", None)).await;
        assert_eq!(
            again.expect("the local user again"),
            Verdict::User(local_id)
        );
    });
    assert_eq!(counts(&pool), (2, 2, 0));
}

fn an_unopenable_database_is_unavailable_within_the_timeout(backend: Backend) {
    let (_dir, url, message) = unopenable(backend);
    let options = StoreOptions {
        max_size: Some(2),
        connection_timeout: Duration::from_millis(200),
        ..StoreOptions::default()
    };
    let resolver = DieselResolver::new(connect_lazy(&url, &options));

    let started = Instant::now();
    let error = block_on(resolver.resolve(token(), profile("12", "jack", None))).unwrap_err();
    let waited = started.elapsed();
    assert_eq!(error.kind(), ResolveErrorKind::Unavailable, "{error}");
    assert!(waited < Duration::from_secs(3), "{waited:?}");
    let text = error.to_string();
    assert!(text.contains(&url) && text.contains(message), "{text}");
}

fn a_missing_schema_is_an_internal_error(backend: Backend) {
    let db = TestDatabase::new(backend);
    let resolver = DieselResolver::new(connect(&db.url, &small()).expect("connect"));
    let error = block_on(resolver.resolve(token(), profile("12", "jack", None))).unwrap_err();
    assert_eq!(error.kind(), ResolveErrorKind::Internal, "{error}");
    assert!(
        error.to_string().contains(missing_table(backend)),
        "{error}"
    );
}

fn debug_shows_the_database_and_nothing_secret(backend: Backend) {
    let (db, pool) = migrated(backend, &small());
    let resolver = DieselResolver::new(pool);
    let debug = format!("{resolver:?}");
    assert!(debug.contains(&db.url), "{debug}");
    assert!(!debug.contains("token-secret-value"), "{debug}");
}

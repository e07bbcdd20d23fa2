//! What a refresh may not hold up: the pool's connections while X answers, callers queued
//! behind it for longer than a deadline, and (on SQLite) writers waiting for the write lock.

use std::time::{Duration, Instant};

use actix_twitter_login_testkit::{Fault, MockEndpoint};
use futures_util::future::{join, join_all};

use super::{oauth2, run, Setup, CLIENT_ID, CLIENT_SECRET, OFFLINE, SOON};
use crate::{
    accounts::{AccountError, Accounts},
    credentials::Credentials,
    store::{connect, find_user, tests::on_each_backend, Backend, DieselResolver, StoreOptions},
};

on_each_backend!(
    a_slow_refresh_leaves_the_pool_to_other_work,
    callers_queued_behind_a_refresh_x_does_not_answer_give_up_in_time,
    refreshes_take_turns_at_the_instances_refresh_connections,
);

/// Accounts on a pool of one connection, calling X with this deadline, with 4 refresh
/// connections.
fn one_connection(setup: &Setup, provider_timeout: Duration) -> Accounts {
    refreshing_on(setup, provider_timeout, 4)
}

/// Accounts on a pool of one connection, calling X with this deadline, with this many refresh
/// connections.
fn refreshing_on(setup: &Setup, provider_timeout: Duration, connections: usize) -> Accounts {
    let one = StoreOptions {
        max_size: Some(1),
        ..StoreOptions::default()
    };
    let pool = connect(&setup.database.url, &one).expect("connect");
    Accounts::builder(&DieselResolver::new(pool).store_tokens(super::keys()))
        .oauth2_client(CLIENT_ID, Some(CLIENT_SECRET))
        .api_base_url(setup.provider.base_url())
        .provider_timeout(provider_timeout)
        .refresh_connections(connections)
        .build()
        .expect("accounts")
}

/// How long `f` takes.
async fn timed<T>(f: impl std::future::Future<Output = T>) -> (T, Duration) {
    let started = Instant::now();
    let out = f.await;
    (out, started.elapsed())
}

fn a_slow_refresh_leaves_the_pool_to_other_work(backend: Backend) {
    run(async {
        let setup = Setup::new(backend).await;
        let (alice, _) = setup.alice_with(SOON).await;
        let fresh = oauth2("bob-access", None, Some(Duration::from_secs(3600)));
        let bob = setup.sign_in("1002", Credentials::OAuth2(fresh)).await;
        let accounts = one_connection(&setup, Duration::from_secs(5));
        let pool = accounts.inner().pool.clone();
        let slow = Fault::Delay(Duration::from_millis(2000));
        setup.provider.inject(MockEndpoint::OAuth2Token, slow);

        let refreshing = accounts.access_token(alice);
        let others = async {
            // The refresh is waiting for X by now.
            actix_web::rt::time::sleep(Duration::from_millis(400)).await;
            let (found, read) = timed(actix_web::web::block(move || {
                find_user(&pool, &alice.to_string())
            }))
            .await;
            assert_eq!(found.unwrap().unwrap().unwrap().id, alice);
            let (token, handed_out) = timed(accounts.access_token(bob)).await;
            assert_eq!(token.unwrap().token.expose(), "bob-access");
            (read, handed_out)
        };
        let (refreshed, (read, handed_out)) = join(refreshing, others).await;
        assert!(refreshed.is_ok(), "{refreshed:?}");
        assert_eq!(setup.refreshes(), 1);
        // Neither waited for X: the refresh holds no connection of the pool.
        assert!(read < Duration::from_millis(500), "find_user took {read:?}");
        assert!(
            handed_out < Duration::from_millis(500),
            "bob's token took {handed_out:?}"
        );
    });
}

fn callers_queued_behind_a_refresh_x_does_not_answer_give_up_in_time(backend: Backend) {
    run(async {
        let setup = Setup::new(backend).await;
        let (alice, _) = setup.alice_with(SOON).await;
        let timeout = Duration::from_secs(1);
        let accounts = one_connection(&setup, timeout);
        // X answers long after every deadline.
        let never = Fault::Delay(Duration::from_secs(60));
        setup.provider.inject(MockEndpoint::OAuth2Token, never);

        let callers = (0..8).map(|_| timed(accounts.access_token(alice)));
        let results = join_all(callers).await;
        for (result, took) in &results {
            assert!(
                matches!(result, Err(AccountError::Provider(_))),
                "{result:?}"
            );
            // One call's deadline, and 5 s at most for the wait: not one deadline per caller.
            assert!(*took < timeout + Duration::from_secs(6), "{took:?}");
        }
        // The callers queued behind the failed refresh got its failure without asking X.
        assert_eq!(setup.refreshes(), 1);
        let slowest = results.iter().map(|(_, took)| *took).max().unwrap();
        assert!(slowest < timeout * 2, "{slowest:?}");
        assert_eq!(accounts.inner().refreshing.queued_users(), 0);
    });
}

fn refreshes_take_turns_at_the_instances_refresh_connections(backend: Backend) {
    run(async {
        let setup = Setup::new(backend).await;
        let (alice, _) = setup.alice_with(SOON).await;
        let (access, refresh) = setup.provider.issue_oauth2_tokens("bob", OFFLINE).unwrap();
        let token = oauth2(&access, refresh.as_deref(), SOON);
        let bob = setup.sign_in("1002", Credentials::OAuth2(token)).await;
        let accounts = refreshing_on(&setup, Duration::from_secs(5), 1);
        let slow = Fault::Delay(Duration::from_millis(700));
        setup.provider.inject(MockEndpoint::OAuth2Token, slow);

        let both = join(
            timed(accounts.access_token(alice)),
            timed(accounts.access_token(bob)),
        );
        let ((alice_token, alice_took), (bob_token, bob_took)) = both.await;
        assert!(alice_token.is_ok() && bob_token.is_ok());
        assert_eq!(setup.refreshes(), 2);
        // One refresh connection: the second refresh began when the first ended (on
        // PostgreSQL the two rows' locks would not have kept them apart).
        let last = alice_took.max(bob_took);
        assert!(last >= Duration::from_millis(1400), "{last:?}");
        assert_eq!(accounts.inner().refresh_slots.available_permits(), 1);
    });
}

/// On SQLite the refresh holds the write lock while X answers: its call ends (at most 4 s)
/// before a write waiting for the lock gives up (the 5 s busy timeout), whatever the provider
/// timeout.
#[cfg(feature = "sqlite")]
#[test]
fn on_sqlite_a_refresh_ends_before_waiting_writers_give_up() {
    run(async {
        let setup = Setup::new(Backend::Sqlite).await;
        let (alice, _) = setup.alice_with(SOON).await;
        let accounts = one_connection(&setup, Duration::from_secs(10));
        let slow = Fault::Delay(Duration::from_secs(7));
        setup.provider.inject(MockEndpoint::OAuth2Token, slow);

        let refreshing = timed(accounts.access_token(alice));
        let writing = async {
            actix_web::rt::time::sleep(Duration::from_millis(300)).await;
            // A sign-in writes: it waits for the refresh's write lock.
            let bob = oauth2("bob-access", None, Some(Duration::from_secs(3600)));
            setup.sign_in("1002", Credentials::OAuth2(bob)).await
        };
        let ((refreshed, took), bob) = join(refreshing, writing).await;
        assert!(
            matches!(refreshed, Err(AccountError::Provider(_))),
            "{refreshed:?}"
        );
        assert!(took < Duration::from_millis(4800), "{took:?}");
        assert_ne!(bob, alice);
    });
}

//! The migration job's behaviour on a few users: the lease, the dry run, retries, a refused
//! client.

use std::time::Duration;

use actix_twitter_login_testkit::{Fault, MockEndpoint};
use futures_util::future::join;

use super::{quick, setup, until, Setup};
use crate::{
    accounts::MigrationError,
    credentials::Credentials,
    store::{
        job_lock::{self, Lease},
        tests::on_each_backend,
        Backend,
    },
};

on_each_backend!(
    a_second_job_is_refused_while_a_lease_is_held_and_runs_once_it_ran_out,
    a_dry_run_writes_nothing_and_calls_nothing,
    a_passing_5xx_is_retried,
    a_lasting_5xx_leaves_the_rows_for_a_later_run,
    a_refused_client_stops_the_job_and_changes_nothing,
    tokens_forgotten_during_their_exchange_get_the_new_pair_revoked,
    a_provider_that_only_answers_429_stops_the_job,
);

fn run(test: impl std::future::Future<Output = ()>) {
    actix_web::rt::System::new().block_on(test);
}

/// The stored rows as `(protocol, marked, token)`, to compare before and after.
fn snapshot(s: &Setup) -> Vec<(String, bool, String)> {
    s.rows()
        .into_iter()
        .map(|(_, protocol, marked, credentials)| {
            let token = match credentials {
                Credentials::OAuth1(c) => c.token,
                Credentials::OAuth2(t) => t.token.expose().to_owned(),
            };
            (protocol, marked, token)
        })
        .collect()
}

fn a_second_job_is_refused_while_a_lease_is_held_and_runs_once_it_ran_out(backend: Backend) {
    run(async {
        let s = setup(backend, 20, None).await;
        // A job on another instance took the lease and died without releasing it.
        let crashed = Lease::new("oauth1-to-oauth2", Duration::from_millis(800));
        assert_eq!(job_lock::acquire(&s.pool, &crashed).unwrap(), Ok(()));
        let accounts = s.accounts();
        match accounts.migrate_to_oauth2(quick()).await {
            Err(MigrationError::AlreadyRunning { holder, expires_in }) => {
                assert_eq!(holder, crashed.holder);
                assert!(expires_in <= Duration::from_millis(800), "{expires_in:?}");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(s.exchanges(), 0);
        actix_web::rt::time::sleep(Duration::from_millis(900)).await;
        let summary = accounts.migrate_to_oauth2(quick()).await.expect("a run");
        assert_eq!((summary.found, summary.exchanged), (20, 20), "{summary:?}");
        // The lease ended with the run: the next one runs at once, with nothing to do.
        let next = accounts.migrate_to_oauth2(quick()).await.expect("a run");
        assert_eq!((next.found, next.remaining), (0, 0));
        assert!(!job_lock::renew(&s.pool, &crashed).unwrap(), "taken over");
    });
}

fn a_dry_run_writes_nothing_and_calls_nothing(backend: Backend) {
    run(async {
        let s = setup(backend, 20, None).await;
        assert!(s.provider.invalidate_oauth1_token(&s.users[4].1));
        let before = snapshot(&s);
        let accounts = s.accounts();
        let dry = accounts
            .migrate_to_oauth2(quick().dry_run(true))
            .await
            .expect("dry run");
        assert!(dry.dry_run);
        assert_eq!(
            (dry.found, dry.failed, dry.remaining),
            (20, 0, 20),
            "{dry:?}"
        );
        assert_eq!((dry.exchanged, dry.needs_reauthorization), (0, 0));
        assert_eq!(s.provider.requests(MockEndpoint::OAuth2Token), 0);
        assert_eq!(snapshot(&s), before);
        let limited = accounts
            .migrate_to_oauth2(quick().dry_run(true).limit(5))
            .await
            .unwrap();
        assert_eq!((limited.found, limited.remaining), (5, 20));
        // A dry run takes no lease: it runs beside a real one.
        let lease = Lease::new("oauth1-to-oauth2", Duration::from_secs(5));
        assert_eq!(job_lock::acquire(&s.pool, &lease).unwrap(), Ok(()));
        let beside = accounts.migrate_to_oauth2(quick().dry_run(true)).await;
        assert_eq!(beside.expect("dry run").found, 20);
        assert_eq!(snapshot(&s), before);
    });
}

fn a_passing_5xx_is_retried(backend: Backend) {
    run(async {
        let s = setup(backend, 5, None).await;
        s.provider
            .inject(MockEndpoint::OAuth2TokenExchange, Fault::Status(503));
        let accounts = s.accounts();
        let options = quick().max_retries(20);
        let (summary, ()) = join(accounts.migrate_to_oauth2(options), async {
            until(|| s.exchanges() >= 3).await;
            s.provider.clear_faults();
        })
        .await;
        let summary = summary.expect("a run");
        assert_eq!((summary.exchanged, summary.failed), (5, 0), "{summary:?}");
        assert!(summary.retries >= 2, "{summary:?}");
        assert_eq!(s.exchanges() as u64, 5 + summary.retries);
        assert_eq!(s.check_oauth2_rows().await, 5);
    });
}

fn a_lasting_5xx_leaves_the_rows_for_a_later_run(backend: Backend) {
    run(async {
        let s = setup(backend, 5, None).await;
        s.provider
            .inject(MockEndpoint::OAuth2TokenExchange, Fault::Status(500));
        let before = snapshot(&s);
        let accounts = s.accounts();
        let summary = accounts
            .migrate_to_oauth2(quick().max_retries(2))
            .await
            .expect("a run");
        assert_eq!(
            (summary.found, summary.failed, summary.remaining),
            (5, 5, 5)
        );
        assert_eq!((summary.exchanged, summary.needs_reauthorization), (0, 0));
        assert_eq!((summary.retries, s.exchanges()), (10, 15));
        assert_eq!(snapshot(&s), before, "left as they were, not marked");
        s.provider.clear_faults();
        let later = accounts.migrate_to_oauth2(quick()).await.expect("a run");
        assert_eq!((later.exchanged, later.remaining), (5, 0), "{later:?}");
        assert_eq!(s.check_oauth2_rows().await, 5);
    });
}

fn a_refused_client_stops_the_job_and_changes_nothing(backend: Backend) {
    run(async {
        let s = setup(backend, 5, None).await;
        let before = snapshot(&s);
        let wrong = s.accounts_with(s.pool.clone(), "not-the-secret");
        match wrong.migrate_to_oauth2(quick()).await {
            Err(MigrationError::Refused(reason)) => {
                assert!(reason.contains("invalid_client"), "{reason}");
                assert!(!reason.contains("not-the-secret"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(s.exchanges(), 1, "stopped at the first refusal");
        assert_eq!(snapshot(&s), before);
        // The stopped job released its lease.
        let summary = s.accounts().migrate_to_oauth2(quick()).await.unwrap();
        assert_eq!(summary.exchanged, 5);
    });
}

/// The user's tokens are revoked (or the account unlinked) while their exchange is at X: the
/// pair X answered with is nobody's, so it is queued for revocation, not dropped live.
fn tokens_forgotten_during_their_exchange_get_the_new_pair_revoked(backend: Backend) {
    run(async {
        let s = setup(backend, 1, None).await;
        let user_id = crate::store::find_or_create(
            &mut s.pool.get().unwrap(),
            &crate::Profile::new(&s.users[0].0, "user0"),
        )
        .unwrap()
        .id;
        s.provider.inject(
            MockEndpoint::OAuth2TokenExchange,
            Fault::Delay(Duration::from_millis(400)),
        );
        let accounts = s.accounts();
        let job = accounts.migrate_to_oauth2(quick());
        let forget = async {
            until(|| s.exchanges() == 1).await;
            accounts.revoke_tokens(user_id).await.expect("forgotten")
        };
        let (summary, _) = join(job, forget).await;
        let summary = summary.expect("a run");
        assert_eq!(
            (summary.exchanged, summary.changed_meanwhile),
            (0, 1),
            "{summary:?}"
        );
        assert!(s.rows().is_empty(), "nothing stored");
        s.provider.clear_faults();
        let revoked = accounts.retry_revocations().await.expect("retried");
        assert_eq!(revoked.revoked, 1, "the exchanged pair: {revoked:?}");
        assert!(s.provider.requests(MockEndpoint::OAuth2Revoke) >= 1);
    });
}

fn a_provider_that_only_answers_429_stops_the_job(backend: Backend) {
    run(async {
        let s = setup(backend, 3, None).await;
        s.provider
            .inject(MockEndpoint::OAuth2TokenExchange, Fault::RateLimited);
        let before = snapshot(&s);
        let options = quick().max_rate_limit_wait(Duration::from_millis(5));
        match s.accounts().migrate_to_oauth2(options).await {
            Err(MigrationError::RateLimited { waits }) => assert_eq!(waits, 10),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            s.exchanges(),
            11,
            "one row, ten waits, then the job stopped"
        );
        assert_eq!(snapshot(&s), before);
    });
}

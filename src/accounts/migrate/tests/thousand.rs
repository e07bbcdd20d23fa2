//! A thousand stored OAuth 1.0a users moved to OAuth 2.0: a tenth revoked at X, the exchange
//! limit met, a first run stopped part-way, a second killed while a third is refused, and a
//! last one that finishes.

use std::time::{Duration, Instant};

use actix_twitter_login_testkit::{Fault, MockEndpoint};
use futures_util::future::{select, Either};

use super::{instance, quick, setup, until};
use crate::{
    accounts::MigrationError,
    credentials::Credentials,
    store::{tests::on_each_backend, Backend},
};

on_each_backend!(a_thousand_users_move_through_refusals_waits_a_stop_and_a_second_job);

const USERS: usize = 1000;

fn a_thousand_users_move_through_refusals_waits_a_stop_and_a_second_job(backend: Backend) {
    actix_web::rt::System::new().block_on(async {
        let started = Instant::now();
        let s = setup(backend, USERS, Some((150, Duration::from_secs(1)))).await;
        let revoked: Vec<_> = s
            .users
            .iter()
            .enumerate()
            .filter(|(n, _)| n % 10 == 3)
            .collect();
        for (_, (_, token, _)) in &revoked {
            assert!(s.provider.invalidate_oauth1_token(token));
        }
        let accounts = s.accounts();

        // A first run, stopped after 250 rows. X rate-limits one of its exchanges for certain
        // (whether the exchange limit is met depends on the machine's speed); the job waits
        // (at most a second here, not the 15 minutes X names) and goes on.
        s.provider.inject(
            MockEndpoint::OAuth2TokenExchange,
            Fault::Times {
                count: 1,
                fault: Box::new(Fault::RateLimited),
            },
        );
        let first = accounts
            .migrate_to_oauth2(
                quick()
                    .limit(250)
                    .max_rate_limit_wait(Duration::from_secs(1)),
            )
            .await
            .expect("first run");
        assert!(first.rate_limit_waits >= 1, "{first:?}");
        assert_eq!((first.found, first.exchanged), (250, 225), "{first:?}");
        assert_eq!((first.needs_reauthorization, first.failed), (25, 0));
        assert_eq!((first.changed_meanwhile, first.remaining), (0, 750));
        assert_eq!(s.exchanges(), 250 + first.rate_limit_waits as usize);

        // A second run on another instance, killed part-way. While it runs, a third is refused.
        let other = s.accounts_with(instance(&s.db), super::CLIENT_SECRET);
        let before = s.exchanges();
        let second = Box::pin(other.migrate_to_oauth2(quick()));
        let third = Box::pin(async {
            until(|| s.exchanges() >= before + 200).await;
            accounts.migrate_to_oauth2(quick()).await
        });
        match select(second, third).await {
            Either::Left((finished, _)) => panic!("the second run was not stopped: {finished:?}"),
            Either::Right((refused, second)) => {
                match refused {
                    Err(MigrationError::AlreadyRunning { expires_in, .. }) => {
                        assert!(expires_in > Duration::ZERO)
                    }
                    other => panic!("the third run was not refused: {other:?}"),
                }
                // Dropping its future is as a kill: it stops at once, wherever it is. A write
                // already under way still lands; once the lease is released (which waits for
                // that write's transaction), no other can.
                drop(second);
                until(|| s.leases_held() == 0).await;
            }
        }
        let rows = s.rows();
        let by_second = rows.iter().filter(|r| r.1 == "oauth2").count() as u64 - first.exchanged;
        let marked_by_second =
            rows.iter().filter(|r| r.2).count() as u64 - first.needs_reauthorization;
        assert!(by_second + marked_by_second >= 150, "{by_second}");

        // A last run goes on with what is left, at once: the killed run released its lease.
        let last = accounts.migrate_to_oauth2(quick()).await.expect("last run");
        assert_eq!(
            last.found,
            last.exchanged + last.needs_reauthorization,
            "{last:?}"
        );
        assert_eq!(
            (last.failed, last.changed_meanwhile, last.remaining),
            (0, 0, 0)
        );
        assert_eq!(first.exchanged + by_second + last.exchanged, 900);
        assert_eq!(
            first.needs_reauthorization + marked_by_second + last.needs_reauthorization,
            100
        );

        // Every valid user holds a working OAuth 2.0 pair (the newest: older ones no longer
        // work); the revoked ones are marked, with their token credentials kept.
        assert_eq!(s.check_oauth2_rows().await, 900);
        let rows = s.rows();
        for (n, (subject, token, _)) in s.users.iter().enumerate() {
            let (stored_subject, protocol, marked, credentials) = &rows[n];
            assert_eq!(stored_subject, subject);
            if n % 10 == 3 {
                assert_eq!((protocol.as_str(), *marked), ("oauth1", true), "{subject}");
                match credentials {
                    Credentials::OAuth1(c) => assert_eq!(&c.token, token),
                    Credentials::OAuth2(_) => panic!("{subject}"),
                }
            }
        }
        // Nothing is left to do.
        let again = accounts.migrate_to_oauth2(quick()).await.unwrap();
        assert_eq!((again.found, again.remaining), (0, 0));
        eprintln!(
            "{backend}: {USERS} users in {:.1} s ({} rate-limit waits; {} exchanges reached X)",
            started.elapsed().as_secs_f64(),
            first.rate_limit_waits + last.rate_limit_waits,
            s.exchanges()
        );
    });
}

//! Forgetting a user's tokens while a refresh of them is at X: what is queued for revocation
//! is what the refresh stored, never the spent tokens it replaced.

use std::time::{Duration, Instant};

use actix_twitter_login_testkit::{Fault, MockEndpoint};
use futures_util::future::join;

use super::{run, Setup, SOON};
use crate::store::{tests::on_each_backend, Backend};

on_each_backend!(tokens_forgotten_during_a_refresh_are_revoked_as_refreshed);

fn tokens_forgotten_during_a_refresh_are_revoked_as_refreshed(backend: Backend) {
    run(async {
        let setup = Setup::new(backend).await;
        let (user, old) = setup.alice_with(SOON).await;
        let accounts = setup.instance();
        setup.provider.inject(
            MockEndpoint::OAuth2Token,
            Fault::Delay(Duration::from_millis(500)),
        );
        let refresh = accounts.access_token(user);
        let forget = async {
            // Once the refresh is at X (holding the row), the user's tokens are forgotten.
            let started = Instant::now();
            while setup.refreshes() == 0 {
                assert!(started.elapsed() < Duration::from_secs(10), "no refresh");
                actix_web::rt::time::sleep(Duration::from_millis(2)).await;
            }
            accounts.revoke_tokens(user).await
        };
        let (fresh, revocations) = join(refresh, forget).await;
        let fresh = fresh.expect("refreshed");
        assert_ne!(fresh.token.expose(), old.token.expose());
        let revocations = revocations.expect("revoked");
        assert_eq!(revocations.revoked, 1, "{revocations:?}");
        assert!(setup.stored(user).await.is_none(), "forgotten");
        // What X revoked is the refreshed grant: its access token no longer works.
        let reply = crate::middleware::http_client()
            .get(format!("{}/2/users/me", setup.provider.base_url()))
            .bearer_auth(fresh.token.expose())
            .send()
            .await
            .expect("users/me");
        assert_eq!(reply.status(), 401);
    });
}

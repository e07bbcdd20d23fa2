//! `Accounts::access_token` against the local X on each backend: one refresh for many callers
//! in two instances, no call while the token is fresh, a refused refresh token marks the link,
//! a failed call keeps the stored tokens, and the errors of rows that cannot be refreshed.

use std::time::{Duration, SystemTime};

use actix_twitter_login_testkit::{
    Fault, MockEndpoint, MockProvider, OAuth2Client, RunningProvider,
};
use futures_util::future::join_all;

use crate::{
    accounts::{AccountError, Accounts},
    credentials::{AccessToken, Credentials, Secret, TokenCredentials},
    profile::Profile,
    store::{
        connect,
        tests::{migrated, on_each_backend, TestDatabase},
        token_lock, Backend, DieselResolver, Pool, StoreOptions, TokenKeys,
    },
    ResolveUser, Verdict,
};

on_each_backend!(
    fifty_callers_on_two_instances_refresh_once,
    a_token_far_from_its_expiry_is_handed_out_without_calling_x,
    a_refused_refresh_token_marks_the_link_and_x_is_not_asked_again,
    a_failed_refresh_keeps_the_stored_tokens,
    rows_that_cannot_give_an_oauth2_token_say_why,
    waiting_for_a_refresh_takes_no_pooled_connection,
);

mod bounds;
mod margin;
mod unlink_race;

const CLIENT_ID: &str = "refresh-test-client";
const CLIENT_SECRET: &str = "refresh-test-client-secret";
const OFFLINE: &str = "tweet.read users.read offline.access";

/// The local X, a migrated database, and a resolver storing tokens on it.
struct Setup {
    provider: RunningProvider,
    database: TestDatabase,
    resolver: DieselResolver,
}

fn keys() -> TokenKeys {
    TokenKeys::new("k1", &[7; 32]).unwrap()
}

impl Setup {
    async fn new(backend: Backend) -> Self {
        let provider = MockProvider::builder("consumer-key", "consumer-secret")
            .oauth2_client(OAuth2Client::confidential(CLIENT_ID, CLIENT_SECRET))
            .start()
            .await
            .expect("the local X starts");
        let (database, pool) = migrated(backend, &StoreOptions::default());
        let resolver = DieselResolver::new(pool).store_tokens(keys());
        Self {
            provider,
            database,
            resolver,
        }
    }

    /// Another instance of the app: a pool of its own on the same database.
    fn instance(&self) -> Accounts {
        let pool = connect(&self.database.url, &StoreOptions::default()).expect("connect");
        self.accounts_on(pool, &self.provider.base_url())
    }

    fn accounts_on(&self, pool: Pool, api_base_url: &str) -> Accounts {
        Accounts::builder(&DieselResolver::new(pool).store_tokens(keys()))
            .oauth2_client(CLIENT_ID, Some(CLIENT_SECRET))
            .api_base_url(api_base_url)
            .provider_timeout(Duration::from_secs(5))
            .build()
            .expect("accounts")
    }

    /// Signs `screen_name` (alice 1001, bob 1002) in with `credentials`; the user id.
    async fn sign_in(&self, subject: &str, credentials: Credentials) -> i32 {
        let profile = Profile::new(subject, "handle");
        match self.resolver.resolve(credentials, profile).await {
            Ok(Verdict::User(user)) => user.parse().unwrap(),
            other => panic!("{other:?}"),
        }
    }

    /// Tokens the local X issued to alice, stored as if they expire in `expires_in`.
    async fn alice_with(&self, expires_in: Option<Duration>) -> (i32, AccessToken) {
        let (access, refresh) = self.provider.issue_oauth2_tokens("alice", OFFLINE).unwrap();
        let token = oauth2(&access, refresh.as_deref(), expires_in);
        let user = self
            .sign_in("1001", Credentials::OAuth2(token.clone()))
            .await;
        (user, token)
    }

    /// The user's stored tokens and mark.
    async fn stored(&self, user_id: i32) -> Option<(Credentials, bool)> {
        let pool = self.resolver.pool().clone();
        actix_web::web::block(move || {
            token_lock::read(&pool, &keys(), crate::store::PROVIDER, user_id)
        })
        .await
        .unwrap()
        .unwrap()
        .map(|row| (row.credentials, row.needs_reauthorization))
    }

    fn refreshes(&self) -> usize {
        self.provider.requests(MockEndpoint::OAuth2Token)
    }
}

fn oauth2(access: &str, refresh: Option<&str>, expires_in: Option<Duration>) -> AccessToken {
    AccessToken {
        token: Secret::new(access),
        refresh_token: refresh.map(Secret::new),
        expires_at: expires_in.map(|d| SystemTime::now() + d),
        scopes: OFFLINE.split(' ').map(str::to_owned).collect(),
    }
}

/// Near expiry: inside the default 60 s refresh margin.
const SOON: Option<Duration> = Some(Duration::from_secs(10));

fn run(test: impl std::future::Future<Output = ()>) {
    actix_web::rt::System::new().block_on(test);
}

fn tokens(stored: Option<(Credentials, bool)>) -> (AccessToken, bool) {
    match stored {
        Some((Credentials::OAuth2(token), marked)) => (token, marked),
        Some((Credentials::OAuth1(_), _)) => panic!("OAuth 1.0a tokens stored"),
        None => panic!("no tokens stored"),
    }
}

/// Whether X accepts `token` as a bearer token at `GET /2/users/me`.
async fn works_at_x(provider: &RunningProvider, token: &AccessToken) -> bool {
    let reply = crate::middleware::http_client()
        .get(format!("{}/2/users/me", provider.base_url()))
        .bearer_auth(token.token.expose())
        .send()
        .await
        .expect("the local X answers");
    reply.status() == 200
}

fn fifty_callers_on_two_instances_refresh_once(backend: Backend) {
    run(async {
        let setup = Setup::new(backend).await;
        let (user, old) = setup.alice_with(SOON).await;
        let instances = [setup.instance(), setup.instance()];
        // X answers slowly, so that both instances ask while the first refresh is under way.
        let slow = Fault::Delay(Duration::from_millis(300));
        setup.provider.inject(MockEndpoint::OAuth2Token, slow);
        let calls = (0..50).map(|i| instances[i % 2].access_token(user));
        let results = join_all(calls).await;

        assert_eq!(setup.refreshes(), 1, "exactly one refresh at X");
        let first = results[0]
            .as_ref()
            .expect("a token")
            .token
            .expose()
            .to_owned();
        assert_ne!(first, old.token.expose(), "a refreshed token");
        for result in &results {
            let token = result.as_ref().expect("every caller gets a token");
            assert_eq!(token.token.expose(), first);
        }
        let token = results[0].as_ref().unwrap();
        assert!(works_at_x(&setup.provider, token).await);
        for instance in &instances {
            assert_eq!(instance.inner().refreshing.queued_users(), 0);
        }
        // The rotated refresh token was stored with the access token, and works once.
        let (stored, marked) = tokens(setup.stored(user).await);
        assert!(!marked);
        assert_eq!(stored.token.expose(), first);
        let new_refresh = stored.refresh_token.as_ref().unwrap().expose();
        assert_ne!(new_refresh, old.refresh_token.as_ref().unwrap().expose());
        assert!(stored.expires_at.unwrap() > SystemTime::now() + Duration::from_secs(7000));
        assert_eq!(stored.scopes, old.scopes);
        // Handed out again without another call.
        let again = instances[1].access_token(user).await.unwrap();
        assert_eq!(again.token.expose(), first);
        assert_eq!(setup.refreshes(), 1);
    });
}

fn a_token_far_from_its_expiry_is_handed_out_without_calling_x(backend: Backend) {
    run(async {
        let setup = Setup::new(backend).await;
        let accounts = setup.instance();
        // X would fail any call.
        setup
            .provider
            .inject(MockEndpoint::OAuth2Token, Fault::Status(503));
        for expires_in in [Some(Duration::from_secs(2 * 60 * 60)), None] {
            let (user, stored) = setup.alice_with(expires_in).await;
            let token = accounts.access_token(user).await.unwrap();
            assert_eq!(token.token.expose(), stored.token.expose());
            assert_eq!(
                token.expires_at,
                stored.expires_at.map(|at| {
                    // The store keeps whole seconds.
                    let secs = at.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs();
                    SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
                })
            );
        }
        assert_eq!(setup.refreshes(), 0);
    });
}

fn a_refused_refresh_token_marks_the_link_and_x_is_not_asked_again(backend: Backend) {
    run(async {
        let setup = Setup::new(backend).await;
        let accounts = setup.instance();
        // A refresh token X has never issued (or has seen used) is invalid_grant.
        let unknown = oauth2("access", Some("unknown-refresh-token"), SOON);
        let user = setup.sign_in("1001", Credentials::OAuth2(unknown)).await;
        for _ in 0..2 {
            assert!(matches!(
                accounts.access_token(user).await,
                Err(AccountError::NeedsReauthorization)
            ));
        }
        assert_eq!(setup.refreshes(), 1, "X is not asked again");
        assert_eq!(setup.provider.rejected(), 1);
        let (_, marked) = tokens(setup.stored(user).await);
        assert!(marked);
        // A sign-in clears the mark.
        let (again, _) = setup.alice_with(SOON).await;
        assert_eq!(again, user);
        assert!(accounts.access_token(user).await.is_ok());
        assert_eq!(setup.refreshes(), 2);

        // Expired without a refresh token: nothing to ask X.
        let expired = oauth2("access", None, None);
        let expired = AccessToken {
            expires_at: Some(SystemTime::now() - Duration::from_secs(1)),
            ..expired
        };
        let bob = setup.sign_in("1002", Credentials::OAuth2(expired)).await;
        assert!(matches!(
            accounts.access_token(bob).await,
            Err(AccountError::NeedsReauthorization)
        ));
        assert!(tokens(setup.stored(bob).await).1);
        // Near expiry without a refresh token: it serves until it expires.
        let soon = setup
            .sign_in(
                "1002",
                Credentials::OAuth2(oauth2("bob-access", None, SOON)),
            )
            .await;
        assert_eq!(
            accounts.access_token(soon).await.unwrap().token.expose(),
            "bob-access"
        );
        assert_eq!(setup.refreshes(), 2);
    });
}

fn a_failed_refresh_keeps_the_stored_tokens(backend: Backend) {
    run(async {
        let setup = Setup::new(backend).await;
        let (user, old) = setup.alice_with(SOON).await;
        let accounts = setup.instance();
        let unchanged = |stored: Option<(Credentials, bool)>| {
            let (token, marked) = tokens(stored);
            assert!(!marked);
            assert_eq!(token.token.expose(), old.token.expose());
            assert_eq!(
                token.refresh_token.as_ref().unwrap().expose(),
                old.refresh_token.as_ref().unwrap().expose()
            );
        };
        for fault in [Fault::Status(503), Fault::RateLimited] {
            setup.provider.inject(MockEndpoint::OAuth2Token, fault);
            let error = accounts.access_token(user).await.unwrap_err();
            assert!(matches!(error, AccountError::Provider(_)), "{error:?}");
            unchanged(setup.stored(user).await);
        }
        // X cannot be reached at all.
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let nowhere = format!("http://{}", closed.local_addr().unwrap());
        drop(closed);
        let unreachable = setup.accounts_on(setup.resolver.pool().clone(), &nowhere);
        let error = unreachable.access_token(user).await.unwrap_err();
        assert!(matches!(error, AccountError::Provider(_)), "{error:?}");
        unchanged(setup.stored(user).await);
        assert_eq!(setup.refreshes(), 2);

        // X is back: the old refresh token still works.
        setup.provider.clear_faults();
        let token = accounts.access_token(user).await.unwrap();
        assert_ne!(token.token.expose(), old.token.expose());
        assert!(works_at_x(&setup.provider, &token).await);
        assert_eq!(setup.refreshes(), 3);
    });
}

fn rows_that_cannot_give_an_oauth2_token_say_why(backend: Backend) {
    run(async {
        let setup = Setup::new(backend).await;
        let accounts = setup.instance();
        let oauth1 = Credentials::OAuth1(TokenCredentials {
            token: "1001-token".into(),
            secret: Secret::new("token-secret"),
        });
        let alice = setup.sign_in("1001", oauth1).await;
        let error = accounts.access_token(alice).await.unwrap_err();
        assert!(matches!(error, AccountError::NotOAuth2), "{error:?}");
        // No such user, and a user signed in without stored tokens.
        let error = accounts.access_token(alice + 100).await.unwrap_err();
        assert!(matches!(error, AccountError::NotLinked), "{error:?}");
        let without_tokens = DieselResolver::new(setup.resolver.pool().clone());
        let bob = match without_tokens
            .resolve(oauth2_credentials(), Profile::new("1002", "bob"))
            .await
        {
            Ok(Verdict::User(user)) => user.parse().unwrap(),
            other => panic!("{other:?}"),
        };
        let error = accounts.access_token(bob).await.unwrap_err();
        assert!(matches!(error, AccountError::NotLinked), "{error:?}");

        // Without an OAuth 2.0 client, a fresh token is still handed out; a refresh cannot be.
        let no_client = Accounts::builder(&setup.resolver).build().unwrap();
        let (carol, _) = setup.alice_with(Some(Duration::from_secs(3600))).await;
        assert!(no_client.access_token(carol).await.is_ok());
        let (carol, _) = setup.alice_with(SOON).await;
        let error = no_client.access_token(carol).await.unwrap_err();
        assert!(matches!(error, AccountError::NoClient(_)), "{error:?}");
        assert_eq!(setup.refreshes(), 0);
    });
}

fn waiting_for_a_refresh_takes_no_pooled_connection(backend: Backend) {
    run(async {
        let setup = Setup::new(backend).await;
        let (alice, _) = setup.alice_with(SOON).await;
        let fresh = oauth2("bob-access", None, Some(Duration::from_secs(3600)));
        let bob = setup.sign_in("1002", Credentials::OAuth2(fresh)).await;
        let two = StoreOptions {
            max_size: Some(2),
            ..StoreOptions::default()
        };
        let pool = connect(&setup.database.url, &two).expect("connect");
        let accounts = setup.accounts_on(pool, &setup.provider.base_url());
        let slow = Fault::Delay(Duration::from_millis(1500));
        setup.provider.inject(MockEndpoint::OAuth2Token, slow);
        let refreshing = join_all((0..10).map(|_| accounts.access_token(alice)));
        let other = async {
            actix_web::rt::time::sleep(Duration::from_millis(300)).await;
            let asked = std::time::Instant::now();
            let token = accounts.access_token(bob).await.unwrap();
            assert_eq!(token.token.expose(), "bob-access");
            asked.elapsed()
        };
        let (refreshed, waited) = futures_util::future::join(refreshing, other).await;
        assert!(refreshed.iter().all(Result::is_ok));
        assert_eq!(setup.refreshes(), 1);
        // Alice's nine waiters hold no connection: one is left for bob at once.
        assert!(waited < Duration::from_millis(700), "{waited:?}");
    });
}

fn oauth2_credentials() -> Credentials {
    Credentials::OAuth2(oauth2("access", Some("refresh"), SOON))
}

//! Two independent app instances (separate servers, workers, pools and HTTP clients) sharing
//! PostgreSQL, Redis and the cookie key: a login started on one completes on the other.

use crate::common::{
    approve, backend::redis_url, bind, me, redis_store, serve, store_options, token_keys, Backend,
    Browser, Database, CALLBACK_PATH, CONSUMER_KEY, CONSUMER_SECRET,
};
use std::time::Duration;

use actix_twitter_login::{
    accounts::Accounts,
    redis_spent_tokens,
    store::{self, DieselResolver},
    RedisStoreOptions, TwitterLoginMiddleware,
};
use actix_twitter_login_testkit::{Fault, MockEndpoint, MockProvider, MockUser, RunningProvider};
use actix_web::dev::ServerHandle;
use futures_util::future::join_all;

struct Pair {
    a: String,
    b: String,
    provider: RunningProvider,
    database: Database,
    servers: Vec<ServerHandle>,
}

impl Pair {
    /// Instances A and B; the callback URL registered with the provider points at B.
    async fn start(users: &[MockUser]) -> Pair {
        let database = Database::new(Backend::PostgresRedis);
        let (listener_a, a) = bind();
        let (listener_b, b) = bind();
        let callback_url = format!("{b}{CALLBACK_PATH}");
        let mut provider =
            MockProvider::builder(CONSUMER_KEY, CONSUMER_SECRET).callback_url(&callback_url);
        for user in users {
            provider = provider.user(user.clone());
        }
        let provider = provider.start().await.expect("the provider starts");
        let mut servers = Vec::new();
        // Both instances share their sessions: one prefix.
        let prefix = format!("atl-test:{}:session:", rand::random::<u64>());
        for listener in [listener_a, listener_b] {
            let pool =
                store::connect(&database.url, &store_options()).expect("PostgreSQL is reachable");
            store::run_migrations(&pool).expect("migrate");
            let spent = redis_spent_tokens(&redis_url(), &RedisStoreOptions::default())
                .await
                .expect("Redis is reachable");
            let twitter =
                TwitterLoginMiddleware::builder(CONSUMER_KEY, CONSUMER_SECRET, &callback_url)
                    .api_base_url(provider.base_url())
                    .resolve_user(DieselResolver::new(pool.clone()))
                    .shared_spent_tokens(spent)
                    // Every browser comes from 127.0.0.1.
                    .without_login_rate_limit()
                    .build()
                    .unwrap();
            let sessions = redis_store(&redis_url(), &prefix).await;
            let accounts =
                Accounts::builder(&DieselResolver::new(pool.clone()).store_tokens(token_keys()))
                    .api_base_url(provider.base_url())
                    .build()
                    .unwrap();
            servers.push(serve(listener, twitter, pool, accounts, true, move || {
                sessions.clone()
            }));
        }
        Pair {
            a,
            b,
            provider,
            database,
            servers,
        }
    }

    async fn stop(self) {
        for server in self.servers {
            server.stop(false).await;
        }
        self.provider.stop().await;
    }
}

#[actix_web::test]
async fn a_login_started_on_a_completes_on_b_and_is_seen_on_a() {
    let pair = Pair::start(&[MockUser::new("1001", "alice", "Alice")]).await;
    let browser = Browser::new();
    let provider = pair.provider.base_url();

    let callback = approve(&browser, &pair.a, &provider, "alice").await;
    assert!(
        callback.starts_with(&pair.b),
        "the callback goes to B: {callback}"
    );
    let done = browser.get(&callback).await;
    assert_eq!(
        done.location.as_deref(),
        Some("/"),
        "{} {}",
        done.status,
        done.body
    );
    let on_a = me(&browser, &pair.a)
        .await
        .expect("A sees the login done on B");
    assert_eq!(on_a.1, "Alice");

    // Re-login through B: the same user.
    let other = Browser::new();
    let callback = approve(&other, &pair.b, &provider, "alice").await;
    assert_eq!(other.get(&callback).await.location.as_deref(), Some("/"));
    assert_eq!(me(&other, &pair.b).await, Some(on_a.clone()));
    assert_eq!(me(&other, &pair.a).await, Some(on_a));
    assert_eq!(pair.database.count("users"), 1);

    // Logout on A revokes the session on B too (server-side sessions).
    assert_eq!(
        browser.post(&format!("{}/logout", pair.a)).await.status,
        303
    );
    assert_eq!(me(&browser, &pair.b).await, None);
    pair.stop().await;
}

#[actix_web::test]
async fn two_hundred_parallel_first_logins_of_twenty_accounts_make_twenty_users() {
    let users: Vec<MockUser> = (0..20)
        .map(|i| {
            MockUser::new(
                format!("{}", 7000 + i),
                format!("acct{i}"),
                format!("Account {i}"),
            )
        })
        .collect();
    let pair = Pair::start(&users).await;
    let provider = pair.provider.base_url();
    let logins = (0..200).map(|i| {
        let start = if i % 2 == 0 {
            pair.a.clone()
        } else {
            pair.b.clone()
        };
        let name = users[i % 20].screen_name.clone();
        let (provider, a) = (provider.clone(), pair.a.clone());
        async move {
            let browser = Browser::new();
            let callback = approve(&browser, &start, &provider, &name).await;
            let done = browser.get(&callback).await;
            assert_eq!(
                done.location.as_deref(),
                Some("/"),
                "{name}: {} {}",
                done.status,
                done.body
            );
            me(&browser, &a).await.expect("signed in, seen on A")
        }
    });
    let mut ids: Vec<String> = join_all(logins)
        .await
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 20);
    assert_eq!(pair.database.count("users"), 20);
    assert_eq!(pair.database.count("federated_credentials"), 20);
    pair.stop().await;
}

#[actix_web::test]
async fn one_callback_raced_on_both_instances_signs_in_once() {
    let pair = Pair::start(&[MockUser::new("1001", "alice", "Alice")]).await;
    let browser = Browser::new();
    let provider = pair.provider.base_url();
    let on_b = approve(&browser, &pair.a, &provider, "alice").await;
    let on_a = on_b.replacen(&pair.b, &pair.a, 1);
    // Both instances read the session (in Redis) before either writes it back: the
    // provider holds each access-token call a while.
    pair.provider.inject(
        MockEndpoint::AccessToken,
        Fault::Delay(Duration::from_millis(500)),
    );
    let (first, second) = futures_util::future::join(browser.get(&on_b), browser.get(&on_a)).await;
    let mut statuses = [first.status.as_u16(), second.status.as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [302, 401], "{} / {}", first.body, second.body);
    let refused = if first.status == 401 { &first } else { &second };
    assert!(
        refused.body.contains("already used") || refused.body.contains("expired"),
        "{}",
        refused.body
    );
    assert_eq!(
        pair.provider.requests(MockEndpoint::AccessToken),
        1,
        "the loser never reached X"
    );
    pair.stop().await;
}

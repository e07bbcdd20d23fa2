//! The migration job against the local provider, on each backend: a thousand users through
//! waits, refusals, a stop and a second job; the lease; the dry run; retries.

mod behaviour;
mod thousand;

use std::time::{Duration, Instant};

use actix_twitter_login_testkit::{
    MockEndpoint, MockProvider, MockUser, OAuth2Client, RunningProvider,
};

use super::MigrationOptions;
use crate::{
    accounts::Accounts,
    credentials::Credentials,
    store::{
        connect, run_migrations,
        tests::TestDatabase,
        token_migration::seed::{self, Row},
        Backend, DieselResolver, Pool, StoreOptions, TokenKeys, PROVIDER,
    },
};

const CLIENT_ID: &str = "migration-client";
const CLIENT_SECRET: &str = "migration-client-secret";

/// A store of OAuth 1.0a users and the provider that issued their token credentials.
struct Setup {
    db: TestDatabase,
    pool: Pool,
    keys: TokenKeys,
    provider: RunningProvider,
    /// `(subject, token, secret)`, in credential id order.
    users: Vec<(String, String, String)>,
}

/// `count` users at a provider admitting `limit` exchanges per period, each stored with OAuth
/// 1.0a token credentials it issued.
async fn setup(backend: Backend, count: usize, limit: Option<(u32, Duration)>) -> Setup {
    let mut builder = MockProvider::builder("consumer-key", "consumer-secret")
        .oauth2_client(OAuth2Client::confidential(CLIENT_ID, CLIENT_SECRET));
    for n in 0..count {
        let id = (2_000_000 + n).to_string();
        builder = builder.user(MockUser::new(id, format!("user{n}"), format!("User {n}")));
    }
    if let Some((count, period)) = limit {
        builder = builder.token_exchange_limit(count, period);
    }
    let provider = builder.start().await.expect("start the provider");
    let users: Vec<_> = (0..count)
        .map(|n| {
            let (token, secret) = provider.issue_oauth1_token(&format!("user{n}")).unwrap();
            ((2_000_000 + n).to_string(), token, secret)
        })
        .collect();
    let db = TestDatabase::new(backend);
    let pool = instance(&db);
    run_migrations(&pool).expect("migrations");
    let keys = TokenKeys::new("k1", &[7; 32]).unwrap();
    seed::oauth1_users(&pool, &keys, PROVIDER, &users);
    Setup {
        db,
        pool,
        keys,
        provider,
        users,
    }
}

/// A pool of its own on the test database, as another instance of the app would have.
fn instance(db: &TestDatabase) -> Pool {
    let options = StoreOptions {
        max_size: Some(2),
        connection_timeout: Duration::from_secs(10),
        ..StoreOptions::default()
    };
    connect(&db.url, &options).expect("connect")
}

impl Setup {
    /// The app's accounts on `pool`, authenticating with `secret`.
    fn accounts_with(&self, pool: Pool, secret: &str) -> Accounts {
        let resolver = DieselResolver::new(pool).store_tokens(self.keys.clone());
        Accounts::builder(&resolver)
            .oauth2_client(CLIENT_ID, Some(secret))
            .api_base_url(self.provider.base_url())
            .build()
            .expect("accounts")
    }

    fn accounts(&self) -> Accounts {
        self.accounts_with(self.pool.clone(), CLIENT_SECRET)
    }

    /// Every stored row, opened.
    fn rows(&self) -> Vec<Row> {
        seed::rows(&self.pool, &self.keys, PROVIDER)
    }

    /// How many job leases are held (taken and not released).
    fn leases_held(&self) -> i64 {
        seed::leases_held(&self.pool)
    }

    fn exchanges(&self) -> usize {
        self.provider.requests(MockEndpoint::OAuth2TokenExchange)
    }

    /// Checks that each OAuth 2.0 row's access token works at `/2/users/me` for its user
    /// (X invalidates a pair at the next exchange: only the newest works), and returns how
    /// many rows hold OAuth 2.0 tokens.
    async fn check_oauth2_rows(&self) -> usize {
        let http = crate::middleware::http_client();
        let url = format!("{}/2/users/me", self.provider.base_url());
        let mut checked = 0;
        for (subject, protocol, marked, credentials) in self.rows() {
            let Credentials::OAuth2(tokens) = credentials else {
                assert_eq!(protocol, "oauth1");
                continue;
            };
            assert_eq!((protocol.as_str(), marked), ("oauth2", false), "{subject}");
            assert!(tokens.refresh_token.is_some(), "{subject}");
            let mut reply = http
                .get(&url)
                .bearer_auth(tokens.token.expose())
                .send()
                .await
                .expect("users/me");
            assert_eq!(reply.status(), 200, "{subject}");
            let body: serde_json::Value = reply.json().await.expect("JSON");
            assert_eq!(body["data"]["id"], subject.as_str());
            checked += 1;
        }
        checked
    }
}

/// Quick retries and a short lease, no progress bar.
fn quick() -> MigrationOptions {
    MigrationOptions::new()
        .progress(false)
        .backoff(Duration::from_millis(10), Duration::from_millis(80))
        .lease(Duration::from_secs(5))
}

/// Waits until `done`, failing after 10 s.
async fn until(mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < Duration::from_secs(10), "timed out");
        actix_web::rt::time::sleep(Duration::from_millis(2)).await;
    }
}

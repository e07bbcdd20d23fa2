//! [`AccountsBuilder`]: the app's clients at X and the provider URLs, checked once.

use std::{sync::Arc, time::Duration};

use url::Url;

use super::{
    client::{OAuth1Client, OAuth2Client, XClient},
    Accounts, Inner,
};
use crate::{
    config::DEFAULT_API_BASE_URL,
    credentials::Secret,
    error::ConfigError,
    oauth1::{ClientCredentials, SignedUrl},
    provider::Limits,
    store::{DieselResolver, Pool, TokenKeys},
    validate,
};

/// The largest reply read from X, in bytes.
const MAX_REPLY_BYTES: usize = 64 * 1024;

/// The app's answer to "can this user sign in some other way?" (a password, say).
#[derive(Clone)]
pub(crate) struct OtherSignIn(pub Arc<dyn Fn(i32) -> bool + Send + Sync>);

impl std::fmt::Debug for OtherSignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OtherSignIn(..)")
    }
}

/// Configures [`Accounts`]; from [`Accounts::builder`].
#[derive(Debug)]
pub struct AccountsBuilder {
    pool: Pool,
    provider: Arc<str>,
    keys: Option<TokenKeys>,
    oauth2: Option<(String, Option<Secret>)>,
    oauth1: Option<(String, Secret)>,
    api_base_url: String,
    allow_insecure_provider_urls: bool,
    provider_timeout: Duration,
    refresh_margin: Duration,
    refresh_connections: usize,
    other_sign_in: Option<OtherSignIn>,
}

impl AccountsBuilder {
    pub(super) fn new(resolver: &DieselResolver) -> Self {
        Self {
            pool: resolver.pool().clone(),
            provider: resolver.provider_name().into(),
            keys: resolver.token_keys.clone(),
            oauth2: None,
            oauth1: None,
            api_base_url: DEFAULT_API_BASE_URL.to_owned(),
            allow_insecure_provider_urls: false,
            provider_timeout: Duration::from_secs(10),
            refresh_margin: Duration::from_secs(60),
            refresh_connections: 4,
            other_sign_in: None,
        }
    }

    /// Tells [`Accounts::unlink`] whether a user can sign in some other way than their linked
    /// accounts: the app's own password, say. Called with the user id, on a blocking thread.
    /// Default: a user can sign in only with their linked accounts, so the last one is never
    /// unlinked ([`AccountError::LastSignIn`](super::AccountError::LastSignIn)).
    ///
    /// ```
    /// # let dir = tempfile::tempdir()?;
    /// # let pool = actix_twitter_login::store::connect(dir.path().join("a.db").to_str().unwrap(), &Default::default())?;
    /// # let keys = actix_twitter_login::store::TokenKeys::from_hex("k1", &"ab".repeat(32))?;
    /// # let resolver = actix_twitter_login::store::DieselResolver::new(pool).store_tokens(keys);
    /// # fn has_password(_user_id: i32) -> bool { true }
    /// use actix_twitter_login::accounts::Accounts;
    ///
    /// let accounts = Accounts::builder(&resolver)
    ///     .other_sign_in(|user_id| has_password(user_id))
    ///     .build()?;
    /// # drop(accounts);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn other_sign_in(
        mut self,
        has_other: impl Fn(i32) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.other_sign_in = Some(OtherSignIn(Arc::new(has_other)));
        self
    }

    /// The OAuth 2.0 client the app signs in with: its id and, for a confidential client, its
    /// secret (`None` for a public client). Needed to refresh and revoke OAuth 2.0 tokens and
    /// to move OAuth 1.0a tokens to OAuth 2.0.
    ///
    /// ```
    /// # let dir = tempfile::tempdir()?;
    /// # let pool = actix_twitter_login::store::connect(dir.path().join("a.db").to_str().unwrap(), &Default::default())?;
    /// # let keys = actix_twitter_login::store::TokenKeys::from_hex("k1", &"ab".repeat(32))?;
    /// # let resolver = actix_twitter_login::store::DieselResolver::new(pool).store_tokens(keys);
    /// use actix_twitter_login::accounts::Accounts;
    ///
    /// let accounts = Accounts::builder(&resolver)
    ///     .oauth2_client("client-id", Some("client-secret"))
    ///     .build()?;
    /// # drop(accounts);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn oauth2_client(
        mut self,
        client_id: impl Into<String>,
        client_secret: Option<&str>,
    ) -> Self {
        self.oauth2 = Some((client_id.into(), client_secret.map(Secret::new)));
        self
    }

    /// The OAuth 1.0a client credentials (consumer key and secret). Needed to invalidate
    /// stored OAuth 1.0a token credentials when a user unlinks.
    ///
    /// ```
    /// # let dir = tempfile::tempdir()?;
    /// # let pool = actix_twitter_login::store::connect(dir.path().join("a.db").to_str().unwrap(), &Default::default())?;
    /// # let keys = actix_twitter_login::store::TokenKeys::from_hex("k1", &"ab".repeat(32))?;
    /// # let resolver = actix_twitter_login::store::DieselResolver::new(pool).store_tokens(keys);
    /// use actix_twitter_login::accounts::Accounts;
    ///
    /// let accounts = Accounts::builder(&resolver)
    ///     .oauth1_client("consumer-key", "consumer-secret")
    ///     .build()?;
    /// # drop(accounts);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn oauth1_client(mut self, consumer_key: impl Into<String>, consumer_secret: &str) -> Self {
        self.oauth1 = Some((consumer_key.into(), Secret::new(consumer_secret)));
        self
    }

    /// The API base URL X's endpoints derive from: `{base}/2/oauth2/token`,
    /// `{base}/2/oauth2/revoke`, `{base}/1.1/oauth/invalidate_token`. Default:
    /// `https://api.x.com`. It must be `https`, or plain `http` to a loopback host, unless
    /// [`allow_insecure_provider_urls`](Self::allow_insecure_provider_urls) is set.
    ///
    /// ```
    /// # let dir = tempfile::tempdir()?;
    /// # let pool = actix_twitter_login::store::connect(dir.path().join("a.db").to_str().unwrap(), &Default::default())?;
    /// # let keys = actix_twitter_login::store::TokenKeys::from_hex("k1", &"ab".repeat(32))?;
    /// # let resolver = actix_twitter_login::store::DieselResolver::new(pool).store_tokens(keys);
    /// use actix_twitter_login::{accounts::Accounts, ConfigError};
    ///
    /// let local = Accounts::builder(&resolver).api_base_url("http://127.0.0.1:9000").build();
    /// assert!(local.is_ok());
    /// let plain = Accounts::builder(&resolver).api_base_url("http://api.example").build();
    /// assert!(matches!(plain.unwrap_err(), ConfigError::InsecureUrl { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn api_base_url(mut self, url: impl Into<String>) -> Self {
        self.api_base_url = url.into();
        self
    }

    /// Allows a plain-`http` API base URL to any host. Default: `false`. For a test provider
    /// on another machine of a private network only: whoever is on the path reads the tokens.
    ///
    /// ```
    /// # let dir = tempfile::tempdir()?;
    /// # let pool = actix_twitter_login::store::connect(dir.path().join("a.db").to_str().unwrap(), &Default::default())?;
    /// # let keys = actix_twitter_login::store::TokenKeys::from_hex("k1", &"ab".repeat(32))?;
    /// # let resolver = actix_twitter_login::store::DieselResolver::new(pool).store_tokens(keys);
    /// use actix_twitter_login::accounts::Accounts;
    ///
    /// let accounts = Accounts::builder(&resolver)
    ///     .api_base_url("http://x-mock.internal:9000")
    ///     .allow_insecure_provider_urls(true)
    ///     .build();
    /// assert!(accounts.is_ok());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn allow_insecure_provider_urls(mut self, allow: bool) -> Self {
        self.allow_insecure_provider_urls = allow;
        self
    }

    /// The deadline of each call to X, body included. Default: 10 seconds.
    ///
    /// ```
    /// # let dir = tempfile::tempdir()?;
    /// # let pool = actix_twitter_login::store::connect(dir.path().join("a.db").to_str().unwrap(), &Default::default())?;
    /// # let keys = actix_twitter_login::store::TokenKeys::from_hex("k1", &"ab".repeat(32))?;
    /// # let resolver = actix_twitter_login::store::DieselResolver::new(pool).store_tokens(keys);
    /// use std::time::Duration;
    /// use actix_twitter_login::{accounts::Accounts, ConfigError};
    ///
    /// let zero = Accounts::builder(&resolver).provider_timeout(Duration::ZERO).build();
    /// assert!(matches!(zero.unwrap_err(), ConfigError::Zero { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn provider_timeout(mut self, timeout: Duration) -> Self {
        self.provider_timeout = timeout;
        self
    }

    /// How long before its expiry a stored access token is refreshed rather than handed out.
    /// Default: 60 seconds.
    ///
    /// ```
    /// # let dir = tempfile::tempdir()?;
    /// # let pool = actix_twitter_login::store::connect(dir.path().join("a.db").to_str().unwrap(), &Default::default())?;
    /// # let keys = actix_twitter_login::store::TokenKeys::from_hex("k1", &"ab".repeat(32))?;
    /// # let resolver = actix_twitter_login::store::DieselResolver::new(pool).store_tokens(keys);
    /// use std::time::Duration;
    /// use actix_twitter_login::accounts::Accounts;
    ///
    /// let accounts = Accounts::builder(&resolver)
    ///     .refresh_margin(Duration::from_secs(300))
    ///     .build()?;
    /// # drop(accounts);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        self
    }

    /// How many database connections of their own refreshes may have open at once
    /// (see [`Accounts::access_token`]): more refreshes wait for one. Default: 4. They are
    /// not the pool's, so count them against the database's connection limit too.
    ///
    /// ```
    /// # let dir = tempfile::tempdir()?;
    /// # let pool = actix_twitter_login::store::connect(dir.path().join("a.db").to_str().unwrap(), &Default::default())?;
    /// # let keys = actix_twitter_login::store::TokenKeys::from_hex("k1", &"ab".repeat(32))?;
    /// # let resolver = actix_twitter_login::store::DieselResolver::new(pool).store_tokens(keys);
    /// use actix_twitter_login::{accounts::Accounts, ConfigError};
    ///
    /// let two = Accounts::builder(&resolver).refresh_connections(2).build();
    /// assert!(two.is_ok());
    /// let none = Accounts::builder(&resolver).refresh_connections(0).build();
    /// assert!(matches!(none.unwrap_err(), ConfigError::Zero { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn refresh_connections(mut self, connections: usize) -> Self {
        self.refresh_connections = connections;
        self
    }

    /// Checks the configuration.
    ///
    /// # Errors
    /// [`ConfigError::Empty`] for a resolver without token keys (`token_keys`; see
    /// [`DieselResolver::store_tokens`]) or an empty client id or key; [`ConfigError::Url`] or
    /// [`ConfigError::InsecureUrl`] for the API base URL; [`ConfigError::Zero`] for a zero
    /// timeout or no refresh connection.
    ///
    /// ```
    /// # let dir = tempfile::tempdir()?;
    /// # let pool = actix_twitter_login::store::connect(dir.path().join("a.db").to_str().unwrap(), &Default::default())?;
    /// # let keys = actix_twitter_login::store::TokenKeys::from_hex("k1", &"ab".repeat(32))?;
    /// # let resolver = actix_twitter_login::store::DieselResolver::new(pool).store_tokens(keys);
    /// use actix_twitter_login::{accounts::Accounts, ConfigError};
    ///
    /// let empty = Accounts::builder(&resolver).oauth2_client("", None).build();
    /// assert!(matches!(empty.unwrap_err(), ConfigError::Empty { option: "client_id" }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn build(self) -> Result<Accounts, ConfigError> {
        let keys = self.keys.clone().ok_or(ConfigError::Empty {
            option: "token_keys (DieselResolver::store_tokens)",
        })?;
        // Checked whichever clients are set.
        self.url("")?;
        if self.provider_timeout.is_zero() {
            return Err(ConfigError::Zero {
                option: "provider_timeout",
            });
        }
        if self.refresh_connections == 0 {
            return Err(ConfigError::Zero {
                option: "refresh_connections",
            });
        }
        let oauth2 = match &self.oauth2 {
            Some((id, _)) if id.is_empty() => {
                return Err(ConfigError::Empty {
                    option: "client_id",
                })
            }
            Some((id, secret)) => Some(OAuth2Client {
                id: id.clone(),
                secret: secret.clone(),
                token_url: self.url("2/oauth2/token")?,
                revoke_url: self.url("2/oauth2/revoke")?,
            }),
            None => None,
        };
        let oauth1 = match &self.oauth1 {
            Some((key, _)) if key.is_empty() => {
                return Err(ConfigError::Empty {
                    option: "consumer_key",
                })
            }
            Some((key, secret)) => Some(OAuth1Client {
                credentials: ClientCredentials {
                    key: key.clone(),
                    secret: secret.clone(),
                },
                invalidate_url: SignedUrl::new(self.url("1.1/oauth/invalidate_token")?),
            }),
            None => None,
        };
        Ok(Accounts::from_inner(Inner {
            pool: self.pool,
            provider: self.provider,
            keys,
            x: XClient {
                oauth2,
                oauth1,
                limits: Limits {
                    timeout: self.provider_timeout,
                    max_reply_bytes: MAX_REPLY_BYTES,
                },
                refresh_margin: self.refresh_margin,
            },
            other_sign_in: self.other_sign_in,
            refreshing: Default::default(),
            refresh_slots: Arc::new(tokio::sync::Semaphore::new(
                self.refresh_connections
                    .min(tokio::sync::Semaphore::MAX_PERMITS),
            )),
        }))
    }

    /// `{api_base_url}/{path}`, checked.
    fn url(&self, path: &str) -> Result<Url, ConfigError> {
        let mut base = validate::http_url(
            "api_base_url",
            &self.api_base_url,
            false,
            self.allow_insecure_provider_urls,
        )?;
        if !base.path().ends_with('/') {
            let with_slash = format!("{}/", base.path());
            base.set_path(&with_slash);
        }
        base.join(path).map_err(|e| ConfigError::Url {
            option: "api_base_url",
            value: self.api_base_url.clone(),
            reason: e.to_string(),
        })
    }
}

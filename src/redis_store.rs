//! Sessions in Redis for several app instances (feature `redis`): actix-session's Redis store
//! on a connection pool, with every call bounded in time.

use std::time::Duration;

use actix_session::storage::RedisSessionStore;
use deadpool_redis::{Config, Pool, Runtime};

use crate::deadline_store::DeadlineStore;

/// The default prefix of every session's Redis key: [`RedisSessions`](crate::RedisSessions)
/// finds a user's sessions under it, and nothing else of the app's Redis is touched.
pub const DEFAULT_SESSION_KEY_PREFIX: &str = "actix-twitter-login:session:";

/// Settings for [`redis_session_store`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedisStoreOptions {
    /// Pooled connections, per process. Default: 16.
    pub max_size: usize,
    /// The most a session load or save may take, connecting included; past it the request
    /// fails with a 500 instead of waiting. Default: 2 seconds.
    pub timeout: Duration,
    /// What each session's Redis key starts with (the session key follows). Give each app
    /// sharing one Redis a prefix of its own: signing a user out everywhere
    /// ([`RedisSessions`](crate::RedisSessions)) looks under it only. Default:
    /// [`DEFAULT_SESSION_KEY_PREFIX`].
    pub key_prefix: String,
}

impl Default for RedisStoreOptions {
    fn default() -> Self {
        Self {
            max_size: 16,
            timeout: Duration::from_secs(2),
            key_prefix: DEFAULT_SESSION_KEY_PREFIX.to_owned(),
        }
    }
}

/// Why [`redis_session_store`] could not make a store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RedisStoreError {
    /// The URL or the pool settings are not usable.
    #[error("the Redis URL or pool settings are not usable: {0}")]
    Config(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// Redis could not be reached, or did not answer, within the timeout.
    #[error("Redis cannot be reached: {0}")]
    Unreachable(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// actix-session's [`RedisSessionStore`] on a deadpool-redis pool, wrapped in a
/// [`DeadlineStore`]: a request fails cleanly while Redis is away, and the next one after it is
/// back works again, without a restart (broken connections are dropped from the pool and new
/// ones made on demand).
///
/// Checks once that Redis answers, so a wrong URL fails at startup. Each session is kept under
/// the key `<key_prefix><session key>` (by default `actix-twitter-login:session:<session
/// key>`), so that
/// [`RedisSessions::sign_out_everywhere`](crate::RedisSessions::sign_out_everywhere) can find
/// a user's sessions.
///
/// # Errors
/// [`RedisStoreError::Config`] for an invalid URL, [`RedisStoreError::Unreachable`] when Redis
/// does not answer within the timeout.
///
/// ```no_run
/// use actix_session::SessionMiddleware;
/// use actix_twitter_login::{redis_session_store, RedisStoreOptions};
/// use actix_web::cookie::Key;
///
/// # async fn run() -> Result<(), actix_twitter_login::RedisStoreError> {
/// let store = redis_session_store("redis://127.0.0.1:6379", &RedisStoreOptions::default()).await?;
/// let middleware = SessionMiddleware::new(store.clone(), Key::generate());
/// # drop(middleware);
/// # Ok(()) }
/// ```
pub async fn redis_session_store(
    url: &str,
    options: &RedisStoreOptions,
) -> Result<DeadlineStore<RedisSessionStore>, RedisStoreError> {
    let pool = checked_pool(url, options).await?;
    let prefix = options.key_prefix.clone();
    let store = RedisSessionStore::builder_pooled(pool)
        .cache_keygen(move |session_key| format!("{prefix}{session_key}"))
        .build()
        .await
        .map_err(|e| RedisStoreError::Unreachable(e.into()))?;
    Ok(DeadlineStore::new(store, options.timeout))
}

/// A pool on `url` with the options' size and timeouts, checked once to answer.
pub(crate) async fn checked_pool(
    url: &str,
    options: &RedisStoreOptions,
) -> Result<Pool, RedisStoreError> {
    let timeout = Some(options.timeout);
    let pool = Config::from_url(url)
        .builder()
        .map_err(|e| RedisStoreError::Config(e.into()))?
        .max_size(options.max_size)
        .wait_timeout(timeout)
        .create_timeout(timeout)
        .recycle_timeout(timeout)
        .runtime(Runtime::Tokio1)
        .build()
        .map_err(|e| RedisStoreError::Config(e.into()))?;
    // Fail at startup, not at the first request, when Redis cannot be reached.
    drop(
        pool.get()
            .await
            .map_err(|e| RedisStoreError::Unreachable(e.into()))?,
    );
    Ok(pool)
}

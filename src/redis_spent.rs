//! The spent pending-login keys in Redis (feature `redis`), shared by every instance: the
//! callback's single use holds across instances even when two of them race one callback.

use std::time::Duration;

use actix_web::rt::time::timeout;
use deadpool_redis::{redis, Pool};
use sha2::{Digest as _, Sha256};

use crate::redis_store::{checked_pool, RedisStoreError, RedisStoreOptions};

/// Where the spent keys live in Redis.
const PREFIX: &str = "actix-twitter-login:spent:";

/// The set of callback keys (OAuth 1.0a temporary tokens, OAuth 2.0 states) already spent,
/// kept in Redis for every instance: give it to
/// [`shared_spent_tokens`](crate::TwitterLoginMiddlewareBuilder::shared_spent_tokens) when
/// sessions live in Redis and several instances serve the callback.
///
/// Each key is recorded with `SET ... NX EX`, an atomic "first one wins": of two callbacks
/// racing the same pending login on two instances, one goes on and the other fails cleanly
/// before anything is sent to X. Keys are stored as SHA-256 digests, for as long as the pending
/// login could have been accepted. While Redis cannot be reached, callbacks fail with 503.
#[derive(Clone)]
pub struct RedisSpentTokens {
    pool: Pool,
    timeout: Duration,
}

impl std::fmt::Debug for RedisSpentTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisSpentTokens")
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// A [`RedisSpentTokens`] on its own pool (`options.max_size` connections, every call within
/// `options.timeout`).
///
/// # Errors
/// [`RedisStoreError::Config`] for an invalid URL, [`RedisStoreError::Unreachable`] when Redis
/// does not answer within the timeout.
///
/// ```no_run
/// use actix_twitter_login::{redis_spent_tokens, RedisStoreOptions, TwitterLoginMiddleware};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let options = RedisStoreOptions::default();
/// let spent = redis_spent_tokens("redis://127.0.0.1:6379", &options).await?;
/// let twitter = TwitterLoginMiddleware::builder("key", "secret", "https://app.example/cb")
///     .shared_spent_tokens(spent)
///     .build()?;
/// # drop(twitter);
/// # Ok(()) }
/// ```
pub async fn redis_spent_tokens(
    url: &str,
    options: &RedisStoreOptions,
) -> Result<RedisSpentTokens, RedisStoreError> {
    Ok(RedisSpentTokens {
        pool: checked_pool(url, options).await?,
        timeout: options.timeout,
    })
}

impl RedisSpentTokens {
    /// Records `key` as spent for `valid_for`; `Ok(false)` when it already was.
    pub(crate) async fn spend(&self, key: &str, valid_for: Duration) -> Result<bool, String> {
        let digest = Sha256::digest(key.as_bytes());
        let mut redis_key = String::with_capacity(PREFIX.len() + 64);
        redis_key.push_str(PREFIX);
        for byte in digest {
            redis_key.push_str(&format!("{byte:02x}"));
        }
        let set = async {
            let mut connection = self.pool.get().await.map_err(|e| e.to_string())?;
            let reply: Option<String> = redis::cmd("SET")
                .arg(&redis_key)
                .arg(1)
                .arg("NX")
                .arg("EX")
                .arg(valid_for.as_secs().max(1))
                .query_async(&mut connection)
                .await
                .map_err(|e| e.to_string())?;
            Ok(reply.is_some())
        };
        timeout(self.timeout, set)
            .await
            .map_err(|_| format!("Redis did not answer within {:?}", self.timeout))?
    }
}

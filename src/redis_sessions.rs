//! Signing a user out everywhere (feature `redis`): every session of theirs in the Redis store
//! made by [`redis_session_store`](crate::redis_session_store) is deleted, so each of their
//! browsers (and anyone holding a copy of a cookie) is signed out at its next request.
//!
//! One limit: a request of theirs in flight at that very moment can store its session again
//! when it ends (actix-session saves under a new key when its key is gone). For an account
//! taken over, change what the attacker used to get in as well, and sign out everywhere again
//! once their requests have ended.

use std::time::Duration;

use actix_web::rt::time::timeout;
use deadpool_redis::{redis, Pool};

use crate::redis_store::{checked_pool, RedisStoreError, RedisStoreOptions};

/// actix-identity's session key for the identity.
const IDENTITY_KEY: &str = "actix_identity.user_id";
/// Keys asked for per `SCAN` step.
const SCAN_COUNT: usize = 500;

/// The sessions of [`redis_session_store`](crate::redis_session_store), by user. Cheap to
/// clone.
#[derive(Clone)]
pub struct RedisSessions {
    pool: Pool,
    timeout: Duration,
    key_prefix: String,
}

impl std::fmt::Debug for RedisSessions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisSessions")
            .field("timeout", &self.timeout)
            .field("key_prefix", &self.key_prefix)
            .finish_non_exhaustive()
    }
}

/// A handle on the sessions the Redis session store keeps at `url`, under `options`'
/// `key_prefix` (give it the options the store was made with).
///
/// ```no_run
/// use actix_twitter_login::{redis_sessions, RedisStoreOptions};
///
/// # async fn run() -> Result<(), actix_twitter_login::RedisStoreError> {
/// let sessions = redis_sessions("redis://127.0.0.1:6379", &RedisStoreOptions::default()).await?;
/// let signed_out = sessions.sign_out_everywhere("42").await?;
/// println!("{signed_out} sessions ended");
/// # Ok(()) }
/// ```
///
/// # Errors
/// As [`redis_session_store`](crate::redis_session_store).
pub async fn redis_sessions(
    url: &str,
    options: &RedisStoreOptions,
) -> Result<RedisSessions, RedisStoreError> {
    Ok(RedisSessions {
        pool: checked_pool(url, options).await?,
        timeout: options.timeout,
        key_prefix: options.key_prefix.clone(),
    })
}

impl RedisSessions {
    /// Deletes every session signed in as `identity` (the id given to `Identity::login`); the
    /// number deleted. It walks all sessions (`SCAN` over the store's key prefix, in steps of
    /// 500), so it costs time in proportion to the sessions stored: an occasional action
    /// ("sign out everywhere", an account taken over), not one for every request. Each step
    /// has the store's timeout. A request of theirs in flight at that moment can store its
    /// session again as it ends (see the module's documentation).
    ///
    /// # Errors
    /// [`RedisStoreError::Unreachable`] when Redis does not answer in time; sessions deleted
    /// before stay deleted.
    pub async fn sign_out_everywhere(&self, identity: &str) -> Result<usize, RedisStoreError> {
        let unreachable = |e: String| RedisStoreError::Unreachable(e.into());
        let mut connection = timeout(self.timeout, self.pool.get())
            .await
            .map_err(|_| unreachable("no connection in time".into()))?
            .map_err(|e| unreachable(e.to_string()))?;
        let pattern = format!("{}*", glob_escaped(&self.key_prefix));
        let mut cursor: u64 = 0;
        let mut deleted = 0;
        loop {
            let step = async {
                let (next, keys): (u64, Vec<String>) = redis::cmd("SCAN")
                    .arg(cursor)
                    .arg("MATCH")
                    .arg(&pattern)
                    .arg("COUNT")
                    .arg(SCAN_COUNT)
                    .query_async(&mut connection)
                    .await?;
                if keys.is_empty() {
                    return Ok::<_, redis::RedisError>((next, 0));
                }
                let states: Vec<Option<String>> = redis::cmd("MGET")
                    .arg(&keys)
                    .query_async(&mut connection)
                    .await?;
                let theirs: Vec<&String> = keys
                    .iter()
                    .zip(&states)
                    .filter(|(_, state)| {
                        state.as_deref().is_some_and(|s| signed_in_as(s, identity))
                    })
                    .map(|(key, _)| key)
                    .collect();
                if theirs.is_empty() {
                    return Ok((next, 0));
                }
                let gone: usize = redis::cmd("DEL")
                    .arg(&theirs)
                    .query_async(&mut connection)
                    .await?;
                Ok((next, gone))
            };
            let (next, gone) = timeout(self.timeout, step)
                .await
                .map_err(|_| unreachable(format!("no answer within {:?}", self.timeout)))?
                .map_err(|e| unreachable(e.to_string()))?;
            deleted += gone;
            cursor = next;
            if cursor == 0 {
                break;
            }
        }
        tracing::info!(%identity, sessions = deleted, "signed out everywhere");
        Ok(deleted)
    }
}

/// `text` with Redis glob characters escaped, to match itself only.
fn glob_escaped(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// Whether a stored session state (actix-session's JSON map of JSON values) is signed in as
/// `identity`.
fn signed_in_as(state: &str, identity: &str) -> bool {
    let Ok(map) = serde_json::from_str::<std::collections::HashMap<String, String>>(state) else {
        return false;
    };
    map.get(IDENTITY_KEY)
        .and_then(|value| serde_json::from_str::<String>(value).ok())
        .is_some_and(|id| id == identity)
}

#[cfg(test)]
mod tests {
    use super::{glob_escaped, signed_in_as};

    #[test]
    fn a_prefix_matches_only_itself() {
        assert_eq!(glob_escaped("app:session:"), "app:session:");
        assert_eq!(glob_escaped("a*b?[c]\\"), "a\\*b\\?\\[c\\]\\\\");
    }

    #[test]
    fn only_the_identity_s_own_sessions_match() {
        let state = r#"{"actix_identity.user_id":"\"42\"","messages":"[]"}"#;
        assert!(signed_in_as(state, "42"));
        assert!(!signed_in_as(state, "4"));
        assert!(!signed_in_as(
            r#"{"actix_identity.user_id":"\"420\""}"#,
            "42"
        ));
        assert!(!signed_in_as(r#"{"messages":"[]"}"#, "42"));
        assert!(!signed_in_as("not json", "42"));
    }
}

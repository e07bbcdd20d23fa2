//! Where the demo keeps sessions: the encrypted cookie, or Redis when `REDIS_URL` is set.

use actix_session::storage::{
    CookieSessionStore, LoadError, SaveError, SessionKey, SessionStore, UpdateError,
};
use actix_web::cookie::time::Duration;
use std::collections::HashMap;

type State = HashMap<String, String>;

/// One of actix-session's stores, chosen at startup.
#[derive(Clone)]
pub enum Sessions {
    /// The whole session in an encrypted cookie (one machine; logout cannot revoke a copy).
    Cookie,
    /// Only a session id in the cookie; the state in Redis, shared by every instance.
    #[cfg(feature = "redis")]
    Redis(actix_twitter_login::DeadlineStore<actix_session::storage::RedisSessionStore>),
}

impl Sessions {
    /// The cookie store, or Redis at `redis_url`.
    pub async fn new(redis_url: Option<&str>) -> std::io::Result<Self> {
        match redis_url {
            None => Ok(Sessions::Cookie),
            #[cfg(feature = "redis")]
            Some(url) => {
                let options = actix_twitter_login::RedisStoreOptions::default();
                let store = actix_twitter_login::redis_session_store(url, &options)
                    .await
                    .map_err(|e| {
                        std::io::Error::other(format!("cannot reach Redis at REDIS_URL: {e}"))
                    })?;
                tracing::info!("sessions are kept in Redis");
                Ok(Sessions::Redis(store))
            }
            #[cfg(not(feature = "redis"))]
            Some(_) => Err(std::io::Error::other(
                "REDIS_URL is set: run with `--features redis` to keep sessions in Redis",
            )),
        }
    }
}

impl SessionStore for Sessions {
    async fn load(&self, key: &SessionKey) -> Result<Option<State>, LoadError> {
        match self {
            Sessions::Cookie => CookieSessionStore::default().load(key).await,
            #[cfg(feature = "redis")]
            Sessions::Redis(store) => store.load(key).await,
        }
    }

    async fn save(&self, state: State, ttl: &Duration) -> Result<SessionKey, SaveError> {
        match self {
            Sessions::Cookie => CookieSessionStore::default().save(state, ttl).await,
            #[cfg(feature = "redis")]
            Sessions::Redis(store) => store.save(state, ttl).await,
        }
    }

    async fn update(
        &self,
        key: SessionKey,
        state: State,
        ttl: &Duration,
    ) -> Result<SessionKey, UpdateError> {
        match self {
            Sessions::Cookie => CookieSessionStore::default().update(key, state, ttl).await,
            #[cfg(feature = "redis")]
            Sessions::Redis(store) => store.update(key, state, ttl).await,
        }
    }

    async fn update_ttl(&self, key: &SessionKey, ttl: &Duration) -> Result<(), anyhow::Error> {
        match self {
            Sessions::Cookie => CookieSessionStore::default().update_ttl(key, ttl).await,
            #[cfg(feature = "redis")]
            Sessions::Redis(store) => store.update_ttl(key, ttl).await,
        }
    }

    async fn delete(&self, key: &SessionKey) -> Result<(), anyhow::Error> {
        match self {
            Sessions::Cookie => CookieSessionStore::default().delete(key).await,
            #[cfg(feature = "redis")]
            Sessions::Redis(store) => store.delete(key).await,
        }
    }
}

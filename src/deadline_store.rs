//! A session store wrapper that gives every call a deadline.
//!
//! actix-session's Redis store waits for its client to reconnect when Redis goes away, so a
//! request can hang for as long as the reconnection takes. Wrapped in [`DeadlineStore`], such a
//! request fails with a clean 500 once the deadline passes, and works again as soon as the store
//! does, without a restart.

use std::{collections::HashMap, future::Future, time::Duration};

use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_web::{cookie::time::Duration as CookieDuration, rt::time::timeout};

/// Wraps a [`SessionStore`] so that each of its calls fails after `deadline` instead of waiting.
///
/// ```no_run
/// # #[cfg(feature = "redis")]
/// # async fn run() -> anyhow::Result<()> {
/// use std::time::Duration;
/// use actix_session::{storage::RedisSessionStore, SessionMiddleware};
/// use actix_twitter_login::DeadlineStore;
/// use actix_web::cookie::Key;
///
/// let redis = RedisSessionStore::new("redis://127.0.0.1:6379").await?;
/// let store = DeadlineStore::new(redis, Duration::from_secs(2));
/// let sessions = SessionMiddleware::new(store.clone(), Key::generate());
/// # drop(sessions);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct DeadlineStore<S> {
    inner: S,
    deadline: Duration,
}

impl<S> DeadlineStore<S> {
    /// Wraps `inner`; each call may take at most `deadline`.
    pub fn new(inner: S, deadline: Duration) -> Self {
        Self { inner, deadline }
    }
}

type State = HashMap<String, String>;

async fn bounded<T, E>(
    deadline: Duration,
    call: impl Future<Output = Result<T, E>>,
    timed_out: impl FnOnce(anyhow::Error) -> E,
) -> Result<T, E> {
    match timeout(deadline, call).await {
        Ok(result) => result,
        Err(_) => Err(timed_out(anyhow::anyhow!(
            "the session store did not answer within {deadline:?}"
        ))),
    }
}

impl<S: SessionStore> SessionStore for DeadlineStore<S> {
    async fn load(&self, key: &SessionKey) -> Result<Option<State>, LoadError> {
        bounded(self.deadline, self.inner.load(key), LoadError::Other).await
    }

    async fn save(&self, state: State, ttl: &CookieDuration) -> Result<SessionKey, SaveError> {
        bounded(self.deadline, self.inner.save(state, ttl), SaveError::Other).await
    }

    async fn update(
        &self,
        key: SessionKey,
        state: State,
        ttl: &CookieDuration,
    ) -> Result<SessionKey, UpdateError> {
        bounded(
            self.deadline,
            self.inner.update(key, state, ttl),
            UpdateError::Other,
        )
        .await
    }

    async fn update_ttl(&self, key: &SessionKey, ttl: &CookieDuration) -> anyhow::Result<()> {
        bounded(self.deadline, self.inner.update_ttl(key, ttl), |e| e).await
    }

    async fn delete(&self, key: &SessionKey) -> anyhow::Result<()> {
        bounded(self.deadline, self.inner.delete(key), |e| e).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A store that never answers.
    struct Stuck;

    impl SessionStore for Stuck {
        async fn load(&self, _: &SessionKey) -> Result<Option<State>, LoadError> {
            std::future::pending().await
        }
        async fn save(&self, _: State, _: &CookieDuration) -> Result<SessionKey, SaveError> {
            std::future::pending().await
        }
        async fn update(
            &self,
            _: SessionKey,
            _: State,
            _: &CookieDuration,
        ) -> Result<SessionKey, UpdateError> {
            std::future::pending().await
        }
        async fn update_ttl(&self, _: &SessionKey, _: &CookieDuration) -> anyhow::Result<()> {
            std::future::pending().await
        }
        async fn delete(&self, _: &SessionKey) -> anyhow::Result<()> {
            std::future::pending().await
        }
    }

    #[actix_web::test]
    async fn a_stuck_store_fails_at_the_deadline() {
        let store = DeadlineStore::new(Stuck, Duration::from_millis(50));
        let key = SessionKey::try_from("k".repeat(32)).unwrap();
        let started = std::time::Instant::now();
        let error = store.load(&key).await.unwrap_err();
        assert!(
            error.to_string().contains("retrieving the session state"),
            "{error}"
        );
        assert!(store
            .save(State::new(), &CookieDuration::seconds(1))
            .await
            .is_err());
        assert!(store.delete(&key).await.is_err());
        assert!(started.elapsed() < Duration::from_secs(2));
    }
}

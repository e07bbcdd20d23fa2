//! A server-side session store in memory: the cookie holds only a random session id, so a test
//! can see whether login renewed it.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_web::cookie::time::Duration;
use rand::{distributions::Alphanumeric, Rng as _};

type State = HashMap<String, String>;

#[derive(Clone, Default)]
pub struct MemoryStore {
    sessions: Arc<Mutex<HashMap<String, State>>>,
}

impl MemoryStore {
    /// The ids of the stored sessions.
    pub fn keys(&self) -> Vec<String> {
        self.sessions.lock().unwrap().keys().cloned().collect()
    }
}

fn new_key() -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(48)
        .map(char::from)
        .collect()
}

impl SessionStore for MemoryStore {
    async fn load(&self, key: &SessionKey) -> Result<Option<State>, LoadError> {
        Ok(self.sessions.lock().unwrap().get(key.as_ref()).cloned())
    }

    async fn save(&self, state: State, _ttl: &Duration) -> Result<SessionKey, SaveError> {
        let key = new_key();
        self.sessions.lock().unwrap().insert(key.clone(), state);
        Ok(SessionKey::try_from(key).expect("a valid key"))
    }

    async fn update(
        &self,
        key: SessionKey,
        state: State,
        _ttl: &Duration,
    ) -> Result<SessionKey, UpdateError> {
        self.sessions
            .lock()
            .unwrap()
            .insert(key.as_ref().to_owned(), state);
        Ok(key)
    }

    async fn update_ttl(&self, _key: &SessionKey, _ttl: &Duration) -> Result<(), anyhow::Error> {
        Ok(())
    }

    async fn delete(&self, key: &SessionKey) -> Result<(), anyhow::Error> {
        self.sessions.lock().unwrap().remove(key.as_ref());
        Ok(())
    }
}

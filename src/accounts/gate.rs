//! One refresh per user at a time in this instance: the callers that find a user's access token
//! near its expiry queue here, each without a thread or a pooled connection, and each looks at
//! the store again once it is its turn. Across instances the row lock decides
//! ([`crate::store::token_lock`]); this only keeps one user's waiters from taking every pooled
//! connection while X answers.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, PoisonError},
};

use tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard};

/// The users with a refresh under way or waiting, each with its queue and how many callers
/// are in it. `Debug` shows none of them.
#[derive(Default)]
pub(crate) struct RefreshGate {
    queues: Mutex<HashMap<i32, Queue>>,
}

#[derive(Debug, Default)]
struct Queue {
    mutex: Arc<AsyncMutex<()>>,
    callers: usize,
}

/// A caller's turn at a user's refresh; the next caller's comes when it is dropped.
#[derive(Debug)]
pub(crate) struct Turn<'a> {
    gate: &'a RefreshGate,
    user_id: i32,
    guard: Option<OwnedMutexGuard<()>>,
}

impl std::fmt::Debug for RefreshGate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RefreshGate").finish_non_exhaustive()
    }
}

impl RefreshGate {
    /// Waits for `user_id`'s turn.
    pub(crate) async fn enter(&self, user_id: i32) -> Turn<'_> {
        let mutex = {
            let mut queues = self.lock();
            let queue = queues.entry(user_id).or_default();
            queue.callers += 1;
            Arc::clone(&queue.mutex)
        };
        let mut turn = Turn {
            gate: self,
            user_id,
            guard: None,
        };
        // Dropped while waiting, `turn` still leaves the queue.
        turn.guard = Some(mutex.lock_owned().await);
        turn
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i32, Queue>> {
        self.queues.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// How many users have a queue (for tests: none once every turn is over).
    #[cfg(test)]
    pub(crate) fn queued_users(&self) -> usize {
        self.lock().len()
    }
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        drop(self.guard.take());
        let mut queues = self.gate.lock();
        if let Some(queue) = queues.get_mut(&self.user_id) {
            queue.callers -= 1;
            if queue.callers == 0 {
                queues.remove(&self.user_id);
            }
        }
    }
}

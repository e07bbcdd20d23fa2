//! One refresh per user at a time in this instance: the callers that find a user's access token
//! near its expiry queue here, each without a thread or a connection, and each looks at the
//! store again once it is its turn. Across instances the row lock decides
//! ([`crate::store::token_lock`]); this only keeps one user's waiters from each opening a
//! connection and calling X while another refresh of theirs is under way.
//!
//! Waiting is bounded by a deadline, and a refresh that fails for a passing reason (X down,
//! slow, rate limiting) hands its failure to the callers queued behind it, so that they do not
//! each call X in turn.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, PoisonError},
};

use actix_web::rt::time::{timeout, Instant};
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
    /// How many turns of this queue ended in a failure for a passing reason.
    failures: u64,
    /// The last such failure's reason (no secret: [`AccountError::Provider`]'s text).
    ///
    /// [`AccountError::Provider`]: super::AccountError::Provider
    last_failure: Option<String>,
}

/// A caller's turn at a user's refresh; the next caller's comes when it is dropped.
#[derive(Debug)]
pub(crate) struct Turn<'a> {
    gate: &'a RefreshGate,
    user_id: i32,
    guard: Option<OwnedMutexGuard<()>>,
}

/// Why a caller got no turn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NoTurn {
    /// The deadline passed while it waited.
    TimedOut,
    /// A refresh that was under way or queued when it came failed, for this reason.
    Failed(String),
}

impl std::fmt::Debug for RefreshGate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RefreshGate").finish_non_exhaustive()
    }
}

impl RefreshGate {
    /// Waits for `user_id`'s turn until `deadline`. A caller that was queued while a turn
    /// ended in [`Turn::failed`] gets that failure instead of a turn.
    pub(crate) async fn enter(&self, user_id: i32, deadline: Instant) -> Result<Turn<'_>, NoTurn> {
        let (mutex, seen) = {
            let mut queues = self.lock();
            let queue = queues.entry(user_id).or_default();
            queue.callers += 1;
            (Arc::clone(&queue.mutex), queue.failures)
        };
        let mut turn = Turn {
            gate: self,
            user_id,
            guard: None,
        };
        // Timed out or dropped while waiting, `turn` still leaves the queue.
        let left = deadline.saturating_duration_since(Instant::now());
        let guard = timeout(left, mutex.lock_owned())
            .await
            .map_err(|_| NoTurn::TimedOut)?;
        turn.guard = Some(guard);
        let missed = {
            let queues = self.lock();
            queues
                .get(&user_id)
                .filter(|queue| queue.failures > seen)
                .and_then(|queue| queue.last_failure.clone())
        };
        match missed {
            Some(reason) => Err(NoTurn::Failed(reason)),
            None => Ok(turn),
        }
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

impl Turn<'_> {
    /// This turn's refresh failed for a passing reason: the callers queued now get `reason`
    /// rather than a turn of their own.
    pub(crate) fn failed(&self, reason: String) {
        if let Some(queue) = self.gate.lock().get_mut(&self.user_id) {
            queue.failures += 1;
            queue.last_failure = Some(reason);
        }
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use actix_web::rt::time::{sleep, Instant};
    use futures_util::future::join;

    use super::{NoTurn, RefreshGate};

    fn run(test: impl std::future::Future<Output = ()>) {
        actix_web::rt::System::new().block_on(test);
    }

    fn after(millis: u64) -> Instant {
        Instant::now() + Duration::from_millis(millis)
    }

    #[test]
    fn waiting_for_a_turn_ends_at_the_deadline() {
        run(async {
            let gate = RefreshGate::default();
            let held = gate.enter(1, after(1000)).await.expect("the first turn");
            let started = Instant::now();
            let waited = gate.enter(1, after(200)).await;
            assert_eq!(waited.unwrap_err(), NoTurn::TimedOut);
            let took = started.elapsed();
            assert!(took >= Duration::from_millis(200), "{took:?}");
            assert!(took < Duration::from_millis(600), "{took:?}");
            // Another user's turn does not wait.
            drop(gate.enter(2, after(0)).await.expect("another user's turn"));
            drop(held);
            assert_eq!(gate.queued_users(), 0);
            drop(
                gate.enter(1, after(100))
                    .await
                    .expect("the turn is free again"),
            );
        });
    }

    #[test]
    fn callers_queued_behind_a_failure_get_it_and_later_ones_a_turn() {
        run(async {
            let gate = RefreshGate::default();
            let holder = gate.enter(1, after(1000)).await.expect("the first turn");
            let failing = async {
                sleep(Duration::from_millis(100)).await;
                holder.failed("X timed out".to_owned());
                drop(holder);
            };
            let waiters = async {
                let first = gate.enter(1, after(1000));
                let second = gate.enter(1, after(1000));
                let (first, second) = join(first, second).await;
                for waited in [first, second] {
                    assert_eq!(waited.unwrap_err(), NoTurn::Failed("X timed out".into()));
                }
            };
            join(failing, waiters).await;
            assert_eq!(gate.queued_users(), 0);
            // A caller that comes after a failure, while its turn is still held, gets a turn.
            let holder = gate.enter(1, after(1000)).await.expect("a new turn");
            holder.failed("503".to_owned());
            let releasing = async {
                sleep(Duration::from_millis(50)).await;
                drop(holder);
            };
            let (_, later) = join(releasing, gate.enter(1, after(1000))).await;
            assert!(later.is_ok(), "{later:?}");
        });
    }
}

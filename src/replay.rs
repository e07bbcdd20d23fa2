//! Pending-login keys (temporary-credential tokens) already spent by one middleware.
//!
//! With the cookie session store a copy of the cookie taken before the callback still lists the
//! pending login, so the session alone cannot make a callback single use. Every key the
//! callback consumes (or the user denies) is recorded here until it would have expired anyway;
//! a second callback with it fails before anything is sent to the provider. The set belongs to
//! the middleware and is shared by its workers; with a server-side store (Redis) the session
//! already guarantees this across instances.

use std::{
    collections::{hash_map::RandomState, HashSet, VecDeque},
    hash::BuildHasher,
    sync::Mutex,
};

/// At most this many spent tokens are remembered (16 bytes each, about 1 MiB with the set);
/// past it the oldest is forgotten first. That happens before its expiry only above about 70
/// logins a second sustained over the 15-minute default lifetime.
const MAX_SPENT: usize = 65_536;

#[derive(Debug, Default)]
pub(crate) struct SpentTokens {
    inner: Mutex<Inner>,
    /// Tokens are kept as keyed 64-bit hashes: small, and useless to anyone reading memory.
    hasher: RandomState,
}

#[derive(Debug, Default)]
struct Inner {
    /// `(expires, hash)`, oldest first.
    order: VecDeque<(u64, u64)>,
    set: HashSet<u64>,
}

impl SpentTokens {
    /// Records `token` as spent until `expires` (seconds since the epoch); `false` when it
    /// was already spent.
    pub(crate) fn spend(&self, token: &str, now: u64, expires: u64) -> bool {
        let hash = self.hasher.hash_one(token);
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        while let Some(&(expiry, old)) = inner.order.front() {
            let expired = expiry <= now;
            if !expired && inner.order.len() < MAX_SPENT {
                break;
            }
            log_forgetting(expired);
            inner.order.pop_front();
            inner.set.remove(&old);
        }
        if !inner.set.insert(hash) {
            return false;
        }
        inner.order.push_back((expires, hash));
        true
    }
}

/// Logs a token forgotten before its expiry (the bound was reached). Log only: excluded from
/// mutation testing (`.cargo/mutants.toml`).
fn log_forgetting(expired: bool) {
    if !expired {
        tracing::debug!("forgetting a spent token before its expiry: raise MAX_SPENT");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_spent_once_until_it_expires() {
        let spent = SpentTokens::default();
        assert!(spent.spend("a", 100, 200));
        assert!(!spent.spend("a", 150, 250));
        assert!(spent.spend("b", 150, 250));
        // After its expiry it is forgotten (the session no longer accepts it either).
        assert!(spent.spend("a", 201, 300));
        // Spent until `expires`, and no longer from that second on.
        assert!(spent.spend("c", 300, 400));
        assert!(!spent.spend("c", 399, 500), "a second before its expiry");
        assert!(spent.spend("c", 400, 500), "at its expiry");
    }

    #[test]
    fn memory_is_bounded() {
        let spent = SpentTokens::default();
        for i in 0..(MAX_SPENT + 10) {
            assert!(spent.spend(&format!("t{i}"), 0, u64::MAX));
        }
        let inner = spent.inner.lock().unwrap();
        assert!(inner.order.len() <= MAX_SPENT);
        assert_eq!(inner.order.len(), inner.set.len());
    }
}

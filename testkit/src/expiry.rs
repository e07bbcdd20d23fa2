//! Tokens kept in the order they were issued, so that expiry and the size cap drop the oldest
//! first in amortized O(1) time per token.

use std::{
    collections::{HashMap, VecDeque},
    time::{Duration, Instant},
};

/// How many stale keys [`TokenTable`] tolerates in its issue order when it holds few tokens.
const MIN_STALE_ALLOWANCE: usize = 64;

/// A token's value and the sequence number of its entry in the issue order.
#[derive(Debug)]
struct Slot<V> {
    /// Which [`Issue`] in the issue order belongs to this token.
    seq: u64,
    /// What the token stands for.
    value: V,
}

/// One token in the issue order.
#[derive(Debug)]
struct Issue {
    /// When the token was issued.
    at: Instant,
    /// Matches the token's [`Slot::seq`] while the token is held; once the token is removed (or
    /// issued again under the same key) this entry is stale and is skipped.
    seq: u64,
    /// The token.
    key: String,
}

/// Tokens by key, with their issue order.
///
/// `order` holds one live entry per held token, oldest first, plus the stale entries of tokens
/// removed with [`remove`](Self::remove) (or replaced): those are skipped when they reach the
/// front and compacted away once they outnumber both the tokens held and
/// [`MIN_STALE_ALLOWANCE`]. Every method that changes the table ends with that check, so between
/// calls `order` holds at most `2 * len + MIN_STALE_ALLOWANCE` entries.
#[derive(Debug)]
pub(crate) struct TokenTable<V> {
    /// The tokens held.
    slots: HashMap<String, Slot<V>>,
    /// Every token held, plus some stale ones, in the order they were issued.
    order: VecDeque<Issue>,
    /// How many entries of `order` are stale.
    stale: usize,
    /// The sequence number of the next token issued.
    next_seq: u64,
}

impl<V> Default for TokenTable<V> {
    fn default() -> Self {
        Self {
            slots: HashMap::new(),
            order: VecDeque::new(),
            stale: 0,
            next_seq: 0,
        }
    }
}

impl<V> TokenTable<V> {
    /// How many tokens are held.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// The value of a held token.
    pub fn get(&self, key: &str) -> Option<&V> {
        self.slots.get(key).map(|slot| &slot.value)
    }

    /// The value of a held token, to change it.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        self.slots.get_mut(key).map(|slot| &mut slot.value)
    }

    /// Adds a token issued at `at`, which must not be earlier than the tokens already held (the
    /// order is the insertion order). A token already held under `key` is replaced.
    pub fn insert(&mut self, key: String, at: Instant, value: V) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.order.push_back(Issue {
            at,
            seq,
            key: key.clone(),
        });
        if self.slots.insert(key, Slot { seq, value }).is_some() {
            self.stale += 1;
        }
        self.compact_if_stale();
    }

    /// Removes a token and returns its value.
    pub fn remove(&mut self, key: &str) -> Option<V> {
        let slot = self.slots.remove(key)?;
        self.stale += 1;
        self.compact_if_stale();
        Some(slot.value)
    }

    /// Drops the tokens issued `ttl` or longer before `now`.
    pub fn expire(&mut self, now: Instant, ttl: Duration) {
        while self
            .order
            .front()
            .is_some_and(|front| now.duration_since(front.at) >= ttl)
        {
            self.pop_front();
        }
        self.drop_stale_front();
        self.compact_if_stale();
    }

    /// Drops the oldest tokens until fewer than `cap` are held, to make room for one more.
    pub fn make_room(&mut self, cap: usize) {
        while self.slots.len() >= cap && !self.order.is_empty() {
            self.pop_front();
        }
        self.drop_stale_front();
        self.compact_if_stale();
    }

    /// How many entries the issue order holds, stale ones included.
    #[cfg(test)]
    pub fn order_len(&self) -> usize {
        self.order.len()
    }

    /// Pops the oldest entry of the issue order, and its token if it is still held.
    fn pop_front(&mut self) {
        let Some(issue) = self.order.pop_front() else {
            return;
        };
        if self.is_live(&issue) {
            self.slots.remove(&issue.key);
        } else {
            self.stale -= 1;
        }
    }

    /// Pops the stale entries at the front of the issue order (they would only be skipped).
    fn drop_stale_front(&mut self) {
        while self.order.front().is_some_and(|front| !self.is_live(front)) {
            self.order.pop_front();
            self.stale -= 1;
        }
    }

    /// Rebuilds the issue order without its stale entries once they outnumber the tokens held:
    /// the O(n) pass is paid for by the at least n/2 removals since the last one.
    fn compact_if_stale(&mut self) {
        if self.stale > self.slots.len().max(MIN_STALE_ALLOWANCE) {
            let slots = &self.slots;
            self.order
                .retain(|issue| slots.get(&issue.key).is_some_and(|s| s.seq == issue.seq));
            self.stale = 0;
        }
    }

    /// Whether `issue` is the entry of a token still held.
    fn is_live(&self, issue: &Issue) -> bool {
        self.slots
            .get(&issue.key)
            .is_some_and(|slot| slot.seq == issue.seq)
    }
}

//! The `(consumer key, nonce, timestamp)` triples seen recently, grouped by timestamp so that
//! purging old ones and capping their number cost O(log n + removed) per request.

use std::collections::{BTreeMap, HashSet};

/// The recent nonce triples, by timestamp.
#[derive(Debug, Default)]
pub(crate) struct NonceLog {
    /// The `(consumer key, nonce)` pairs seen with each `oauth_timestamp`.
    by_timestamp: BTreeMap<u64, HashSet<(String, String)>>,
    /// How many triples are held in all (the sum of the sets' sizes).
    len: usize,
}

impl NonceLog {
    /// How many triples are held.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Forgets the triples whose timestamp is before `oldest` or after `newest`.
    pub fn keep_between(&mut self, oldest: u64, newest: u64) {
        while let Some(first) = self.by_timestamp.first_entry() {
            if *first.key() >= oldest {
                break;
            }
            self.len -= first.remove().len();
        }
        while let Some(last) = self.by_timestamp.last_entry() {
            if *last.key() <= newest {
                break;
            }
            self.len -= last.remove().len();
        }
    }

    /// Records the triple; `false` if it is already held. To keep at most `cap` triples, a new
    /// one first evicts every triple of the oldest timestamp held when `cap` are held already.
    pub fn record(&mut self, key: &str, nonce: &str, timestamp: u64, cap: usize) -> bool {
        let pair = (key.to_owned(), nonce.to_owned());
        if self
            .by_timestamp
            .get(&timestamp)
            .is_some_and(|seen| seen.contains(&pair))
        {
            return false;
        }
        if self.len >= cap {
            if let Some((_, evicted)) = self.by_timestamp.pop_first() {
                self.len -= evicted.len();
            }
        }
        self.by_timestamp.entry(timestamp).or_default().insert(pair);
        self.len += 1;
        true
    }
}

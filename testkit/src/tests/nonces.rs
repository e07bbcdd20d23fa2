//! The nonce log: replays refused, triples outside the window purged, the oldest timestamp
//! evicted first when full.

use std::collections::HashSet;

use rand::{rngs::StdRng, Rng, SeedableRng};

use crate::nonces::NonceLog;

const CAP: usize = 1_000;

#[test]
fn a_triple_is_recorded_once() {
    let mut log = NonceLog::default();
    assert!(log.record("key", "n1", 100, CAP));
    assert!(!log.record("key", "n1", 100, CAP));
    // Any part changed makes a new triple.
    assert!(log.record("key", "n1", 101, CAP));
    assert!(log.record("key", "n2", 100, CAP));
    assert!(log.record("other", "n1", 100, CAP));
    assert!(!log.record("other", "n1", 100, CAP));
    assert_eq!(log.len(), 4);
}

#[test]
fn a_replay_within_the_window_is_refused_after_purges() {
    let mut log = NonceLog::default();
    assert!(log.record("key", "n1", 1_000, CAP));
    // The clock moves on, the triple stays inside [now - 300, now + 300].
    for now in 1_000..=1_300 {
        log.keep_between(now - 300, now + 300);
        assert!(!log.record("key", "n1", 1_000, CAP), "at {now}");
    }
    // Once outside, it is purged.
    log.keep_between(1_001, 1_601);
    assert_eq!(log.len(), 0);
}

#[test]
fn purging_keeps_the_bounds_and_drops_both_sides() {
    let mut log = NonceLog::default();
    for ts in [5, 9, 10, 10, 15, 20, 21, 30] {
        log.record("key", &format!("n{ts}"), ts, CAP);
    }
    // Two records at 10 share a nonce: one triple.
    assert_eq!(log.len(), 7);
    log.keep_between(10, 20);
    assert_eq!(log.len(), 3);
    assert!(!log.record("key", "n10", 10, CAP));
    assert!(!log.record("key", "n15", 15, CAP));
    assert!(!log.record("key", "n20", 20, CAP));
    assert!(log.record("key", "n9", 9, CAP));
    assert!(log.record("key", "n21", 21, CAP));
    // An empty range of timestamps empties the log.
    log.keep_between(u64::MAX, u64::MAX);
    assert_eq!(log.len(), 0);
}

#[test]
fn when_full_the_oldest_timestamp_is_evicted() {
    let mut log = NonceLog::default();
    assert!(log.record("key", "a", 10, 4));
    assert!(log.record("key", "b", 10, 4));
    assert!(log.record("key", "c", 12, 4));
    assert!(log.record("key", "d", 11, 4));
    assert_eq!(log.len(), 4);
    // Full: both triples at 10 go to make room.
    assert!(log.record("key", "e", 13, 4));
    assert_eq!(log.len(), 3);
    assert!(!log.record("key", "d", 11, 4));
    assert!(!log.record("key", "c", 12, 4));
    // The evicted triples are accepted again (the timestamp window still applies elsewhere).
    assert!(log.record("key", "a", 10, 4));
    assert_eq!(log.len(), 4);
    // Full again: the oldest timestamp is now 10 once more, holding only the new triple.
    assert!(log.record("key", "f", 14, 4));
    assert_eq!(log.len(), 4);
    assert!(log.record("key", "a", 10, 4));
}

#[test]
fn the_log_agrees_with_a_linear_model() {
    let window = 20;
    // Below the ~30 triples the window would hold, so that the cap evicts often.
    let cap = 15;
    let (mut evictions, mut replays) = (0, 0);
    let mut log = NonceLog::default();
    // The former implementation: a set of triples, scanned to purge and to find the oldest.
    let mut model: HashSet<(String, String, u64)> = HashSet::new();
    let mut rng = StdRng::seed_from_u64(11);
    let mut now = 1_000u64;
    for step in 0..30_000 {
        now += rng.gen_range(0..3);
        // Timestamps a little beyond the window on both sides, as a skewed client sends.
        let timestamp = now + rng.gen_range(0..2 * window + 10) - window - 5;
        let key = format!("k{}", rng.gen_range(0..2));
        let nonce = format!("n{}", rng.gen_range(0..8));

        log.keep_between(now - window, now + window);
        let fresh = log.record(&key, &nonce, timestamp, cap);

        model.retain(|(_, _, ts)| ts.abs_diff(now) <= window);
        let triple = (key, nonce, timestamp);
        let expected = !model.contains(&triple);
        if expected {
            if model.len() >= cap {
                evictions += 1;
                let min = model.iter().map(|(_, _, ts)| *ts).min().unwrap();
                model.retain(|(_, _, ts)| *ts != min);
            }
            model.insert(triple);
        } else {
            replays += 1;
        }
        assert_eq!(fresh, expected, "step {step}");
        assert_eq!(log.len(), model.len(), "step {step}");
        assert!(log.len() <= cap);
    }
    assert!(evictions > 1_000 && replays > 100, "{evictions} {replays}");
}

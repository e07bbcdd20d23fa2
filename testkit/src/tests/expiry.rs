//! The token table: expiry and the cap drop the oldest tokens first, taken tokens are skipped,
//! and the issue order stays bounded.

use std::{
    collections::HashMap,
    time::{Duration, Instant},
};

use rand::{rngs::StdRng, Rng, SeedableRng};

use crate::expiry::TokenTable;

/// `n` seconds after `base`.
fn at(base: Instant, n: u64) -> Instant {
    base + Duration::from_secs(n)
}

/// Which of `keys` the table holds.
fn held<'a>(table: &TokenTable<u32>, keys: &[&'a str]) -> Vec<&'a str> {
    keys.iter()
        .copied()
        .filter(|k| table.get(k).is_some())
        .collect()
}

#[test]
fn expiry_drops_the_tokens_issued_a_ttl_or_more_ago() {
    let base = Instant::now();
    let mut table = TokenTable::default();
    for (n, key) in ["a", "b", "c", "d"].into_iter().enumerate() {
        table.insert(key.to_owned(), at(base, n as u64), n as u32);
    }
    table.expire(at(base, 3), Duration::from_secs(2));
    // a (3 s old) and b (2 s old) have expired; c (1 s) and d (0 s) have not.
    assert_eq!(held(&table, &["a", "b", "c", "d"]), ["c", "d"]);
    assert_eq!(table.len(), 2);
    assert_eq!(table.get("c"), Some(&2));
    // Expiring again at the same time changes nothing.
    table.expire(at(base, 3), Duration::from_secs(2));
    assert_eq!(table.len(), 2);
    assert_eq!(table.order_len(), 2);
}

#[test]
fn making_room_drops_the_oldest_tokens_still_held() {
    let base = Instant::now();
    let mut table = TokenTable::default();
    for (n, key) in ["a", "b", "c", "d", "e"].into_iter().enumerate() {
        table.insert(key.to_owned(), at(base, n as u64), n as u32);
    }
    assert_eq!(table.remove("a"), Some(0));
    assert_eq!(table.remove("c"), Some(2));
    assert_eq!(table.remove("c"), None);
    // Room for one more under a cap of 2: b and d go (a and c are already gone), e stays.
    table.make_room(2);
    assert_eq!(held(&table, &["a", "b", "c", "d", "e"]), ["e"]);
    assert_eq!(table.order_len(), 1);
    // Under the cap nothing is dropped.
    table.make_room(2);
    assert_eq!(table.len(), 1);
}

#[test]
fn values_can_be_changed_in_place() {
    let mut table = TokenTable::default();
    table.insert("a".to_owned(), Instant::now(), 1);
    *table.get_mut("a").unwrap() += 41;
    assert_eq!(table.get("a"), Some(&42));
    assert!(table.get_mut("b").is_none());
}

#[test]
fn a_key_issued_again_is_not_dropped_by_its_former_entry() {
    let base = Instant::now();
    let mut table = TokenTable::default();
    // Taken, then issued again later.
    table.insert("a".to_owned(), at(base, 0), 1);
    table.remove("a");
    table.insert("b".to_owned(), at(base, 1), 2);
    table.insert("a".to_owned(), at(base, 2), 3);
    table.expire(at(base, 3), Duration::from_secs(2));
    assert_eq!(held(&table, &["a", "b"]), ["a"]);
    assert_eq!(table.get("a"), Some(&3));
    // Replaced while still held.
    table.insert("c".to_owned(), at(base, 3), 4);
    table.insert("c".to_owned(), at(base, 10), 5);
    table.expire(at(base, 11), Duration::from_secs(5));
    assert_eq!(held(&table, &["a", "c"]), ["c"]);
    assert_eq!(table.get("c"), Some(&5));
    assert_eq!(table.order_len(), 1);
}

#[test]
fn taking_every_token_keeps_the_issue_order_bounded() {
    let base = Instant::now();
    let mut table = TokenTable::default();
    // A long TTL and a large cap: neither ever drops a thing, only compaction does.
    for n in 0..100_000u64 {
        table.expire(at(base, n), Duration::from_secs(1_000_000));
        table.make_room(10_000);
        let key = format!("t{n}");
        table.insert(key.clone(), at(base, n), 0);
        // Even tokens are taken at once; odd ones one step later, except one in five, kept.
        if n % 2 == 0 {
            assert_eq!(table.remove(&key), Some(0));
        } else if n >= 2 && (n - 2) % 10 != 1 {
            assert_eq!(table.remove(&format!("t{}", n - 2)), Some(0));
        }
        assert!(table.order_len() <= 2 * table.len() + 64, "after {n}");
    }
    assert!(table.len() <= 10_000);
}

#[test]
fn issuing_and_taking_at_the_cap_keeps_both_sizes_bounded() {
    let base = Instant::now();
    let mut table = TokenTable::default();
    for n in 0..50_000u64 {
        table.make_room(100);
        table.insert(format!("t{n}"), at(base, n), 0);
        if n % 3 == 0 {
            table.remove(&format!("t{n}"));
        }
        assert!(table.len() <= 100);
        assert!(table.order_len() <= 2 * 100 + 64, "after {n}");
    }
}

#[test]
fn the_table_agrees_with_a_linear_model() {
    let base = Instant::now();
    let ttl = Duration::from_secs(40);
    let cap = 25;
    let mut table = TokenTable::default();
    // The former implementation: a map scanned for expiry and for the oldest token.
    let mut model: HashMap<String, (Instant, u64)> = HashMap::new();
    let mut rng = StdRng::seed_from_u64(7);
    for step in 0..20_000u64 {
        let now = at(base, step);
        let key = format!("k{}", rng.gen_range(0..60));
        match rng.gen_range(0..4) {
            0 => {
                assert_eq!(table.remove(&key), model.remove(&key).map(|(_, v)| v));
            }
            _ => {
                table.expire(now, ttl);
                model.retain(|_, (issued, _)| now.duration_since(*issued) < ttl);
                table.make_room(cap);
                while model.len() >= cap {
                    let oldest = model.iter().min_by_key(|(_, (i, _))| *i).unwrap().0;
                    model.remove(&oldest.clone());
                }
                table.insert(key.clone(), now, step);
                model.insert(key, (now, step));
            }
        }
        assert_eq!(table.len(), model.len(), "step {step}");
        for (key, (_, value)) in &model {
            assert_eq!(table.get(key), Some(value), "step {step}");
        }
        assert!(table.order_len() <= 2 * table.len() + 64);
    }
}

//! Many first logins at once: exactly one user per identity.

use std::{
    collections::HashMap,
    sync::{Arc, Barrier},
    thread,
    time::{Duration, Instant},
};

use super::{counts, migrated, profile};
use crate::store::{find_or_create, Backend, StoreOptions};

const THREADS: usize = 50;
const SUBJECTS: usize = 5;

on_each_backend!(concurrent_first_logins_make_exactly_one_user_per_subject);

fn concurrent_first_logins_make_exactly_one_user_per_subject(backend: Backend) {
    let options = StoreOptions {
        max_size: Some(8),
        // Generous: 50 threads share 8 connections on a possibly busy machine.
        connection_timeout: Duration::from_secs(30),
        ..StoreOptions::default()
    };
    let (_db, pool) = migrated(backend, &options);
    let start = Arc::new(Barrier::new(THREADS));
    let started = Instant::now();

    let handles: Vec<_> = (0..THREADS)
        .map(|i| {
            let pool = pool.clone();
            let start = Arc::clone(&start);
            thread::spawn(move || {
                let subject = format!("{}", 1000 + i % SUBJECTS);
                let login = profile(&subject, &format!("user{subject}"), None);
                start.wait();
                let mut conn = pool.get().expect("pooled connection");
                let user = find_or_create(&mut conn, &login).expect("find_or_create");
                (subject, user)
            })
        })
        .collect();

    let mut ids: HashMap<String, Vec<i32>> = HashMap::new();
    for handle in handles {
        let (subject, user) = handle.join().expect("thread");
        assert_eq!(user.name, format!("user{subject}"));
        ids.entry(subject).or_default().push(user.id);
    }
    let elapsed = started.elapsed();

    assert_eq!(ids.len(), SUBJECTS);
    for (subject, seen) in &ids {
        assert_eq!(seen.len(), THREADS / SUBJECTS, "{subject}");
        assert!(
            seen.iter().all(|id| *id == seen[0]),
            "{subject} got {seen:?}"
        );
    }
    let mut distinct: Vec<i32> = ids.values().map(|seen| seen[0]).collect();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), SUBJECTS, "one user per subject");
    assert_eq!(counts(&pool), (5, 5, 0), "users, credentials, orphan users");
    // On PostgreSQL each login that lost a race used up an id of the rolled-back user (the
    // sequence is not transactional), so the highest id tells how many did; SQLite's logins
    // queue on the write lock and never race.
    let lost = distinct.last().map_or(0, |max| *max as usize - SUBJECTS);
    eprintln!(
        "{backend}: {THREADS} concurrent find_or_create calls over {SUBJECTS} subjects in \
         {elapsed:?}; {lost} lost a first-login race and re-read the winner"
    );
}

//! Linking at the store: one user per X account, one X account per user at a provider, even
//! when links and sign-ins race.

use std::{
    sync::{Arc, Barrier},
    thread,
};

use super::{migrated, profile, small};
use crate::store::{
    create_user, find_or_create,
    link::{link, Linked},
    Backend, StoreOptions, PROVIDER,
};

on_each_backend!(
    an_account_is_linked_once_and_never_moved,
    two_accounts_linked_at_once_to_one_user_leave_one,
    an_empty_provider_or_subject_is_never_linked,
);

fn an_empty_provider_or_subject_is_never_linked(backend: Backend) {
    let (_db, pool) = migrated(backend, &small());
    let mut conn = pool.get().unwrap();
    let ada = create_user(&mut conn, "Ada").unwrap();
    assert!(link(&mut conn, "", ada.id, "13").is_err());
    assert!(link(&mut conn, PROVIDER, ada.id, "").is_err());
    assert!(link(&mut conn, "", ada.id, "").is_err());
    // Nothing was linked: Ada can still link an account of her own.
    assert_eq!(
        link(&mut conn, PROVIDER, ada.id, "13").unwrap(),
        Linked::Done
    );
}

fn an_account_is_linked_once_and_never_moved(backend: Backend) {
    let (_db, pool) = migrated(backend, &small());
    let mut conn = pool.get().unwrap();
    let ada = create_user(&mut conn, "Ada").unwrap();
    let owner = find_or_create(&mut conn, &profile("12", "jack", None)).unwrap();
    assert_eq!(
        link(&mut conn, PROVIDER, ada.id, "13").unwrap(),
        Linked::Done
    );
    assert_eq!(
        link(&mut conn, PROVIDER, ada.id, "13").unwrap(),
        Linked::Done,
        "again"
    );
    assert_eq!(
        link(&mut conn, PROVIDER, ada.id, "12").unwrap(),
        Linked::OwnedByOther
    );
    assert_eq!(
        link(&mut conn, PROVIDER, owner.id, "13").unwrap(),
        Linked::OwnedByOther
    );
    assert_eq!(
        link(&mut conn, PROVIDER, 999, "14").unwrap(),
        Linked::NoSuchUser
    );
    // The accounts stay with their users.
    assert_eq!(
        find_or_create(&mut conn, &profile("13", "ada", None)).unwrap(),
        ada
    );
    assert_eq!(
        find_or_create(&mut conn, &profile("12", "jack", None)).unwrap(),
        owner
    );
}

fn two_accounts_linked_at_once_to_one_user_leave_one(backend: Backend) {
    const ROUNDS: usize = 10;
    let options = StoreOptions {
        max_size: Some(2),
        ..small()
    };
    let (_db, pool) = migrated(backend, &options);
    for round in 0..ROUNDS {
        let user = create_user(&mut pool.get().unwrap(), "Ada").unwrap();
        let barrier = Arc::new(Barrier::new(2));
        let outcomes: Vec<Linked> = ["a", "b"]
            .map(|tab| {
                let (pool, barrier) = (pool.clone(), Arc::clone(&barrier));
                let subject = format!("{round}{tab}");
                thread::spawn(move || {
                    let mut conn = pool.get().unwrap();
                    barrier.wait();
                    link(&mut conn, PROVIDER, user.id, &subject).unwrap()
                })
            })
            .map(|handle| handle.join().unwrap())
            .into_iter()
            .collect();
        let done = outcomes.iter().filter(|o| **o == Linked::Done).count();
        assert_eq!(done, 1, "round {round}: {outcomes:?}");
        assert!(outcomes.contains(&Linked::AnotherAccount), "{outcomes:?}");
    }
}

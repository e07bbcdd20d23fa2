//! Job leases: one holder at a time across pools (instances), taken over only once run out,
//! renewed and released only by their holder.

use std::{thread, time::Duration};

use super::{migrated, small};
use crate::store::{
    connect,
    job_lock::{acquire, release, renew, Lease},
    Backend,
};

on_each_backend!(
    a_lease_has_one_holder_across_instances_until_released,
    a_lease_that_ran_out_is_taken_over_and_its_old_holder_cannot_renew_it,
);

const JOB: &str = "test-job";

fn a_lease_has_one_holder_across_instances_until_released(backend: Backend) {
    let (db, pool) = migrated(backend, &small());
    let other_instance = connect(&db.url, &small()).expect("connect");
    let first = Lease::new(JOB, Duration::from_secs(60));
    let second = Lease::new(JOB, Duration::from_secs(60));
    assert_ne!(first.holder, second.holder);

    assert_eq!(acquire(&pool, &first).unwrap(), Ok(()));
    let held = acquire(&other_instance, &second).unwrap().unwrap_err();
    assert_eq!(held.holder, first.holder);
    assert!(held.expires_in > Duration::from_secs(50), "{held:?}");
    // The holder itself cannot take it twice either; another job's name is free.
    assert!(acquire(&pool, &first).unwrap().is_err());
    assert_eq!(
        acquire(&pool, &Lease::new("other-job", Duration::from_secs(60))).unwrap(),
        Ok(())
    );

    // Only the holder renews and releases it.
    assert!(!renew(&other_instance, &second).unwrap());
    release(&other_instance, &second).unwrap();
    assert!(acquire(&other_instance, &second).unwrap().is_err());
    assert!(renew(&pool, &first).unwrap());
    release(&pool, &first).unwrap();
    assert!(!renew(&pool, &first).unwrap(), "released");
    assert_eq!(acquire(&other_instance, &second).unwrap(), Ok(()));
}

fn a_lease_that_ran_out_is_taken_over_and_its_old_holder_cannot_renew_it(backend: Backend) {
    let (db, pool) = migrated(backend, &small());
    let other_instance = connect(&db.url, &small()).expect("connect");
    let crashed = Lease::new(JOB, Duration::from_millis(200));
    let next = Lease::new(JOB, Duration::from_secs(60));
    assert_eq!(acquire(&pool, &crashed).unwrap(), Ok(()));
    assert!(acquire(&other_instance, &next).unwrap().is_err());
    thread::sleep(Duration::from_millis(300));
    // Ran out but not taken over: still its holder's, who may renew it.
    assert!(renew(&pool, &crashed).unwrap());
    assert!(acquire(&other_instance, &next).unwrap().is_err());
    thread::sleep(Duration::from_millis(300));
    assert_eq!(acquire(&other_instance, &next).unwrap(), Ok(()));
    assert!(!renew(&pool, &crashed).unwrap(), "taken over");
    // Its release leaves the new holder's row alone.
    release(&pool, &crashed).unwrap();
    assert!(renew(&other_instance, &next).unwrap());
}

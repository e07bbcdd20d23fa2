//! Leases in `job_locks`: a job that must never run twice at once, even from two instances on
//! one database, holds a row under its name. The row is taken by inserting it, or by taking
//! over one whose lease ran out (its holder crashed); it is renewed while the job runs and
//! deleted at its end. The same statements work on SQLite and PostgreSQL.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chacha20poly1305::aead::{rand_core::RngCore, OsRng};
use diesel::{prelude::*, query_dsl::methods::FilterDsl};

use super::{
    pool::{with_connection, Pool},
    schema::job_locks,
    tokens::TokenStoreError,
};

/// On a Diesel connection (inside a write transaction, it also locks the row until the
/// commit): renews `lease` and evaluates to `QueryResult<bool>`, whether it is still held. A
/// lease that ran out but was not taken over is still this holder's: no other run started.
macro_rules! renew_on {
    ($conn:expr, $lease:expr) => {
        ::diesel::update($crate::store::schema::job_locks::table.find($lease.name))
            .filter($crate::store::schema::job_locks::holder.eq(&$lease.holder))
            .set(
                $crate::store::schema::job_locks::expires_at_ms
                    .eq($crate::store::job_lock::now_ms()
                        .saturating_add(i64::try_from($lease.ttl.as_millis()).unwrap_or(i64::MAX))),
            )
            .execute($conn)
            .map(|renewed| renewed == 1)
    };
}
pub(super) use renew_on;

/// One run's lease on a job: the job's name, who holds it, and how long it lasts unrenewed.
#[derive(Debug, Clone)]
pub(crate) struct Lease {
    pub name: &'static str,
    /// Made up by each run: the process id and 64 random bits.
    pub holder: String,
    pub ttl: Duration,
}

/// Who holds a lease another run asked for, and for how much longer unrenewed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HeldBy {
    pub holder: String,
    pub expires_in: Duration,
}

/// Milliseconds since the Unix epoch.
pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn ms(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

impl Lease {
    /// A new holder's lease on the job `name`.
    pub(crate) fn new(name: &'static str, ttl: Duration) -> Self {
        let holder = format!("{}-{:016x}", std::process::id(), OsRng.next_u64());
        Self { name, holder, ttl }
    }

    fn expires_at_ms(&self) -> i64 {
        now_ms().saturating_add(ms(self.ttl))
    }
}

/// Takes the lease: inserts its row, or takes over a row whose lease ran out. When another
/// holder's lease is still running, returns who holds it.
pub(crate) fn acquire(pool: &Pool, lease: &Lease) -> Result<Result<(), HeldBy>, TokenStoreError> {
    let mut conn = pool
        .get()
        .map_err(|e| TokenStoreError::Database(e.to_string()))?;
    with_connection!(&mut conn, |conn| {
        let now = now_ms();
        let row = (
            job_locks::name.eq(lease.name),
            job_locks::holder.eq(&lease.holder),
            job_locks::expires_at_ms.eq(lease.expires_at_ms()),
        );
        // `ON CONFLICT (name) DO UPDATE ... WHERE job_locks.expires_at_ms < now`: one
        // statement, so two runs taking over the same expired row cannot both succeed.
        let upsert = diesel::insert_into(job_locks::table)
            .values(row)
            .on_conflict(job_locks::name)
            .do_update()
            .set((
                job_locks::holder.eq(&lease.holder),
                job_locks::expires_at_ms.eq(lease.expires_at_ms()),
            ));
        let taken = FilterDsl::filter(upsert, job_locks::expires_at_ms.lt(now)).execute(conn)?;
        if taken == 1 {
            return Ok(Ok(()));
        }
        let held: Option<(String, i64)> = job_locks::table
            .find(lease.name)
            .select((job_locks::holder, job_locks::expires_at_ms))
            .first(conn)
            .optional()?;
        Ok(Err(match held {
            Some((holder, expires_at)) => HeldBy {
                holder,
                expires_in: Duration::from_millis(
                    u64::try_from(expires_at.saturating_sub(now)).unwrap_or(0),
                ),
            },
            // Released between the two statements: report it held for no time.
            None => HeldBy {
                holder: String::new(),
                expires_in: Duration::ZERO,
            },
        }))
    })
}

/// Renews the lease for another `ttl` from now; `false` when its row is gone or another
/// holder's (the lease was taken over after running out, or released).
pub(crate) fn renew(pool: &Pool, lease: &Lease) -> Result<bool, TokenStoreError> {
    let mut conn = pool
        .get()
        .map_err(|e| TokenStoreError::Database(e.to_string()))?;
    with_connection!(&mut conn, |conn| Ok(renew_on!(conn, lease)?))
}

/// Deletes the lease's row, if it is still this holder's.
pub(crate) fn release(pool: &Pool, lease: &Lease) -> Result<(), TokenStoreError> {
    let mut conn = pool
        .get()
        .map_err(|e| TokenStoreError::Database(e.to_string()))?;
    with_connection!(&mut conn, |conn| {
        diesel::delete(job_locks::table.find(lease.name))
            .filter(job_locks::holder.eq(&lease.holder))
            .execute(conn)?;
        Ok(())
    })
}

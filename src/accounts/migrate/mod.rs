//! Moving stored OAuth 1.0a users to OAuth 2.0 without asking them again: each stored pair of
//! token credentials is exchanged at X (`POST /2/oauth2/token`, the token exchange grant) for
//! an OAuth 2.0 pair, which replaces it in the store.
//!
//! X invalidates the previous OAuth 2.0 pair of a token at each exchange, so two runs must
//! never overlap: a run holds a lease in the database (`job_locks`), which a second run, on
//! this instance or another, finds taken. Each exchange's outcome is committed at once, so a
//! run killed at any point loses at most the exchange in flight, and the next run goes on
//! with the rows still `oauth1`.

mod error;
mod exchange;
mod options;
mod progress;
mod summary;
#[cfg(test)]
mod tests;

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

pub use error::MigrationError;
pub use options::MigrationOptions;
pub use summary::MigrationSummary;

use super::{Accounts, Inner};
use crate::{
    credentials::AccessToken,
    middleware::http_client,
    store::{
        job_lock::{self, Lease},
        token_migration::{self, OAuth1Row, Written},
        TokenStoreError,
    },
};
use exchange::Outcome;
use progress::Progress;

/// The job's name in `job_locks`.
const JOB: &str = "oauth1-to-oauth2";
/// How many rows are read at a time.
const BATCH: i64 = 200;
/// The most 429 waits for one row before the job stops: X's own limit resets within 15
/// minutes, so this many waits in a row means something else answers.
const MAX_RATE_LIMIT_WAITS: u32 = 10;

impl Accounts {
    /// Moves every stored OAuth 1.0a user at this provider to OAuth 2.0, through X's token
    /// exchange, without asking them again; returns what it did.
    ///
    /// The work list is every stored row of OAuth 1.0a token credentials not marked for
    /// re-authorization. For each: X's new OAuth 2.0 pair replaces it (committed at once); a
    /// refusal of the token (`invalid_grant`) marks the link for re-authorization (those users
    /// must sign in again) and is never retried; a 429 is waited out (until
    /// `x-rate-limit-reset`, or with backoff) and does not count as a failure; a 5xx, timeout
    /// or network error is retried with backoff up to
    /// [`max_retries`](MigrationOptions::max_retries), then the row is left for a later run.
    /// Any other refusal (`invalid_client`, ...) is configuration: the job stops.
    ///
    /// Run it again to go on after a crash, a stop or failures: it takes up the rows still to
    /// move, and each exchange gives a new pair that supersedes the one before, so the newest
    /// pair is always the one stored. Only one run at a time: a second one, here or on another
    /// instance, fails at once with [`MigrationError::AlreadyRunning`]. Dropping the future
    /// stops the run at once (what was written stays written) and releases its lease; a run
    /// that dies without that (a killed process) keeps the next one out for at most
    /// [`lease`](MigrationOptions::lease).
    ///
    /// Run it inside an actix system (as `#[actix_web::main]` or `actix_web::rt::System`
    /// give); the store's calls go to actix's blocking pool.
    ///
    /// ```no_run
    /// use actix_twitter_login::accounts::{Accounts, MigrationOptions};
    ///
    /// # async fn run(accounts: Accounts) -> Result<(), Box<dyn std::error::Error>> {
    /// let summary = accounts
    ///     .migrate_to_oauth2(MigrationOptions::new().dry_run(true))
    ///     .await?;
    /// println!("{summary}");
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// See [`MigrationError`]. The summary of a run that stopped is in the log.
    pub async fn migrate_to_oauth2(
        &self,
        options: MigrationOptions,
    ) -> Result<MigrationSummary, MigrationError> {
        let started = Instant::now();
        let inner = Arc::clone(&self.inner);
        if options.dry_run {
            return dry_run(inner, &options, started).await;
        }
        inner.x.oauth2().map_err(|_| MigrationError::NoClient)?;
        // A lease must outlast an exchange in flight and its renewal, or another run could take
        // it over mid-exchange.
        let lease = Lease::new(JOB, options.lease.max(inner.x.limits.timeout * 3));
        let (pool, taking) = (inner.pool.clone(), lease.clone());
        if let Err(held) = blocking(move || job_lock::acquire(&pool, &taking)).await? {
            return Err(MigrationError::AlreadyRunning {
                holder: held.holder,
                expires_in: held.expires_in,
            });
        }
        let mut held = Held {
            inner: Arc::clone(&inner),
            lease: Some(lease.clone()),
        };
        let pool = inner.pool.clone();
        let provider = Arc::clone(&inner.provider);
        let total = blocking(move || token_migration::count_oauth1(&pool, &provider)).await?;
        tracing::info!(rows = total, "moving stored OAuth 1.0a users to OAuth 2.0");
        let mut run = Run {
            progress: Progress::new(
                options.progress,
                options.limit.map_or(total, |limit| limit.min(total)),
            ),
            inner: Arc::clone(&inner),
            options,
            lease,
            http: http_client(),
            summary: MigrationSummary::default(),
            renewed: Instant::now(),
        };
        let outcome = run.all().await;
        run.progress.finish();
        held.release().await;
        let mut summary = run.summary;
        let pool = inner.pool.clone();
        let provider = Arc::clone(&inner.provider);
        summary.remaining = blocking(move || token_migration::count_oauth1(&pool, &provider))
            .await
            .unwrap_or(summary.failed);
        summary.elapsed = started.elapsed();
        match outcome {
            Ok(()) => {
                tracing::info!(?summary, "moved stored OAuth 1.0a users to OAuth 2.0");
                Ok(summary)
            }
            Err(error) => {
                tracing::warn!(%error, ?summary, "the move to OAuth 2.0 stopped");
                Err(error)
            }
        }
    }
}

/// Runs a blocking store call on actix's blocking pool.
async fn blocking<T, F>(call: F) -> Result<T, MigrationError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, TokenStoreError> + Send + 'static,
{
    match actix_web::web::block(call).await {
        Ok(result) => result.map_err(MigrationError::Store),
        Err(error) => Err(MigrationError::Store(TokenStoreError::Database(format!(
            "the blocking pool: {error}"
        )))),
    }
}

/// The lease while it is held: released at the end of the run, or, if the run's future is
/// dropped, when this is (one short blocking statement).
struct Held {
    inner: Arc<Inner>,
    lease: Option<Lease>,
}

impl Held {
    async fn release(&mut self) {
        if let Some(lease) = self.lease.take() {
            let pool = self.inner.pool.clone();
            if let Err(error) = blocking(move || job_lock::release(&pool, &lease)).await {
                tracing::warn!(%error, "cannot release the migration job's lease");
            }
        }
    }
}

impl Drop for Held {
    /// On a thread of its own: a drop runs on the async worker, and the database may be slow
    /// or away.
    fn drop(&mut self) {
        if let Some(lease) = self.lease.take() {
            let pool = self.inner.pool.clone();
            std::thread::spawn(move || {
                if let Err(error) = job_lock::release(&pool, &lease) {
                    tracing::warn!(%error, "cannot release the migration job's lease");
                }
            });
        }
    }
}

/// A run in progress.
struct Run {
    inner: Arc<Inner>,
    options: MigrationOptions,
    lease: Lease,
    http: awc::Client,
    summary: MigrationSummary,
    /// When the lease was last renewed.
    renewed: Instant,
    progress: Progress,
}

impl Run {
    /// Every row of the work list, in credential id order, up to the limit.
    async fn all(&mut self) -> Result<(), MigrationError> {
        let mut after = 0;
        loop {
            let batch = read_batch(&self.inner, after).await?;
            if batch.is_empty() {
                return Ok(());
            }
            for row in batch {
                if self
                    .options
                    .limit
                    .is_some_and(|limit| self.summary.found >= limit)
                {
                    return Ok(());
                }
                after = row.credential_id;
                self.summary.found += 1;
                self.one(row).await?;
                self.progress.row_done(&self.summary);
            }
        }
    }

    /// One row: exchanged, marked, or left for a later run.
    async fn one(&mut self, row: OAuth1Row) -> Result<(), MigrationError> {
        let credential_id = row.credential_id;
        let credentials = match &row.credentials {
            Ok(credentials) => credentials,
            Err(error) => {
                tracing::warn!(credential_id, %error, "stored tokens do not open: left as they are");
                self.summary.failed += 1;
                return Ok(());
            }
        };
        let inner = Arc::clone(&self.inner);
        let client = inner.x.oauth2().map_err(|_| MigrationError::NoClient)?;
        let (mut attempt, mut limited) = (0, 0);
        loop {
            self.keep_lease().await?;
            let outcome = exchange::exchange(&self.http, client, inner.x.limits, credentials).await;
            match outcome {
                Outcome::Exchanged(tokens) => return self.save(row, tokens).await,
                Outcome::Revoked => return self.mark(row).await,
                Outcome::RateLimited(_) if limited >= MAX_RATE_LIMIT_WAITS => {
                    return Err(MigrationError::RateLimited { waits: limited });
                }
                Outcome::RateLimited(asked) => {
                    let wait = asked
                        .unwrap_or_else(|| self.options.backoff_for(limited))
                        .min(self.options.max_rate_limit_wait);
                    limited += 1;
                    self.summary.rate_limit_waits += 1;
                    tracing::debug!(wait_ms = wait.as_millis(), "token exchange rate-limited");
                    self.progress.waiting("rate limited", wait);
                    self.wait(wait).await?;
                }
                Outcome::Transient(error) if attempt >= self.options.max_retries => {
                    tracing::warn!(credential_id, %error, "token exchange kept failing: left for a later run");
                    self.summary.failed += 1;
                    return Ok(());
                }
                Outcome::Transient(error) => {
                    let wait = self.options.backoff_for(attempt);
                    attempt += 1;
                    self.summary.retries += 1;
                    tracing::debug!(credential_id, %error, wait_ms = wait.as_millis(), "token exchange failed: retrying");
                    self.progress.waiting("X failed", wait);
                    self.wait(wait).await?;
                }
                Outcome::Fatal(error) => return Err(MigrationError::Refused(error.to_string())),
            }
        }
    }

    async fn save(&mut self, row: OAuth1Row, tokens: AccessToken) -> Result<(), MigrationError> {
        let (inner, lease) = (Arc::clone(&self.inner), self.lease.clone());
        let written = blocking(move || {
            token_migration::save_exchanged(&inner.pool, &inner.keys, &lease, &row, tokens)
        })
        .await?;
        self.written(written)?;
        if written == Written::Done {
            self.summary.exchanged += 1;
        }
        Ok(())
    }

    async fn mark(&mut self, row: OAuth1Row) -> Result<(), MigrationError> {
        let (inner, lease) = (Arc::clone(&self.inner), self.lease.clone());
        let written =
            blocking(move || token_migration::mark_for_reauthorization(&inner.pool, &lease, &row))
                .await?;
        self.written(written)?;
        if written == Written::Done {
            self.summary.needs_reauthorization += 1;
        }
        Ok(())
    }

    /// Counts a write that did not happen; stops the run when the lease is lost.
    fn written(&mut self, written: Written) -> Result<(), MigrationError> {
        match written {
            Written::LeaseLost => return Err(MigrationError::LeaseLost),
            Written::Changed => self.summary.changed_meanwhile += 1,
            Written::Done => {}
        }
        self.renewed = Instant::now();
        Ok(())
    }

    /// Renews the lease when a third of it has passed since the last renewal.
    async fn keep_lease(&mut self) -> Result<(), MigrationError> {
        if self.renewed.elapsed() < self.options.lease / 3 {
            return Ok(());
        }
        let (pool, lease) = (self.inner.pool.clone(), self.lease.clone());
        if !blocking(move || job_lock::renew(&pool, &lease)).await? {
            return Err(MigrationError::LeaseLost);
        }
        self.renewed = Instant::now();
        Ok(())
    }

    /// Waits, renewing the lease on the way.
    async fn wait(&mut self, wait: Duration) -> Result<(), MigrationError> {
        let step = (self.options.lease / 3).max(Duration::from_millis(10));
        let until = Instant::now() + wait;
        loop {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(());
            }
            actix_web::rt::time::sleep(left.min(step)).await;
            self.keep_lease().await?;
        }
    }
}

/// The next rows of the work list after the credential id `after`.
async fn read_batch(inner: &Arc<Inner>, after: i32) -> Result<Vec<OAuth1Row>, MigrationError> {
    let inner = Arc::clone(inner);
    blocking(move || {
        token_migration::oauth1_batch(&inner.pool, &inner.keys, &inner.provider, after, BATCH)
    })
    .await
}

/// Counts and opens the rows a run would take up; calls nothing, writes nothing.
async fn dry_run(
    inner: Arc<Inner>,
    options: &MigrationOptions,
    started: Instant,
) -> Result<MigrationSummary, MigrationError> {
    let mut summary = MigrationSummary {
        dry_run: true,
        ..MigrationSummary::default()
    };
    let mut after = 0;
    'rows: loop {
        let batch = read_batch(&inner, after).await?;
        if batch.is_empty() {
            break;
        }
        for row in batch {
            if options
                .limit
                .is_some_and(|limit| summary.found + summary.failed >= limit)
            {
                break 'rows;
            }
            after = row.credential_id;
            match row.credentials {
                Ok(_) => summary.found += 1,
                Err(error) => {
                    tracing::warn!(credential_id = row.credential_id, %error, "stored tokens do not open");
                    summary.failed += 1;
                }
            }
        }
    }
    let pool = inner.pool.clone();
    let provider = Arc::clone(&inner.provider);
    summary.remaining = blocking(move || token_migration::count_oauth1(&pool, &provider)).await?;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

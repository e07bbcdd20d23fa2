//! [`MigrationOptions`]: how the migration job runs.

use std::time::Duration;

/// How [`Accounts::migrate_to_oauth2`](crate::accounts::Accounts::migrate_to_oauth2) runs.
/// Every setting has a default fit for X ([`MigrationOptions::new`]).
#[derive(Debug, Clone)]
pub struct MigrationOptions {
    pub(super) dry_run: bool,
    pub(super) progress: bool,
    pub(super) max_retries: u32,
    pub(super) backoff: Duration,
    pub(super) max_backoff: Duration,
    pub(super) max_rate_limit_wait: Duration,
    pub(super) lease: Duration,
    pub(super) limit: Option<u64>,
}

impl Default for MigrationOptions {
    fn default() -> Self {
        Self {
            dry_run: false,
            progress: true,
            max_retries: 5,
            backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(60),
            // X's window is 15 minutes: no wait it asks for is longer.
            max_rate_limit_wait: Duration::from_secs(15 * 60 + 5),
            lease: Duration::from_secs(60),
            limit: None,
        }
    }
}

impl MigrationOptions {
    /// The defaults: a real run with a progress bar on a terminal, 5 retries of a failed call
    /// backing off from 1 s to at most 60 s, rate-limit waits of at most 15 minutes and 5 s, a
    /// 60 s lease, and every stored row.
    ///
    /// ```
    /// use actix_twitter_login::accounts::MigrationOptions;
    ///
    /// let options = MigrationOptions::new();
    /// # let _ = options;
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// A dry run: counts and opens (decrypts) the stored rows a run would exchange, and does
    /// nothing else: no call to X, no write, no lease. Default: `false`.
    ///
    /// ```
    /// use actix_twitter_login::accounts::MigrationOptions;
    ///
    /// let options = MigrationOptions::new().dry_run(true);
    /// # let _ = options;
    /// ```
    pub fn dry_run(mut self, dry_run: bool) -> Self {
        self.dry_run = dry_run;
        self
    }

    /// Whether to show a progress bar on standard error. It is only ever drawn when standard
    /// error is a terminal, so logs and CI output stay clean. Default: `true`.
    ///
    /// ```
    /// use actix_twitter_login::accounts::MigrationOptions;
    ///
    /// let quiet = MigrationOptions::new().progress(false);
    /// # let _ = quiet;
    /// ```
    pub fn progress(mut self, progress: bool) -> Self {
        self.progress = progress;
        self
    }

    /// How many times an exchange that failed for a passing reason (5xx, a timeout, a network
    /// error, an unusable reply) is tried again before its row is left for a later run.
    /// Default: 5. Rate-limited exchanges are waited for and not counted here; a revoked token
    /// (`invalid_grant`) is never retried.
    ///
    /// ```
    /// use actix_twitter_login::accounts::MigrationOptions;
    ///
    /// let options = MigrationOptions::new().max_retries(10);
    /// # let _ = options;
    /// ```
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The backoff before the first retry of a failed exchange, doubled for each next one up
    /// to `max`; also the first wait on a 429 that does not say when to come back. Default:
    /// 1 s, at most 60 s.
    ///
    /// ```
    /// use std::time::Duration;
    /// use actix_twitter_login::accounts::MigrationOptions;
    ///
    /// let options = MigrationOptions::new()
    ///     .backoff(Duration::from_millis(500), Duration::from_secs(30));
    /// # let _ = options;
    /// ```
    pub fn backoff(mut self, first: Duration, max: Duration) -> Self {
        self.backoff = first;
        self.max_backoff = max.max(first);
        self
    }

    /// The longest a single rate-limit wait may be, whatever X's `x-rate-limit-reset` says.
    /// Default: 15 minutes and 5 seconds (X's window is 15 minutes).
    ///
    /// ```
    /// use std::time::Duration;
    /// use actix_twitter_login::accounts::MigrationOptions;
    ///
    /// let options = MigrationOptions::new().max_rate_limit_wait(Duration::from_secs(60));
    /// # let _ = options;
    /// ```
    pub fn max_rate_limit_wait(mut self, max: Duration) -> Self {
        self.max_rate_limit_wait = max;
        self
    }

    /// How long the job's lease lasts unrenewed. The job renews it with every write and while
    /// it waits; a job that stops without releasing it (a crash, a kill) keeps the next run
    /// out for at most this long. It is at least three provider timeouts (a shorter one is
    /// raised to that), so that it outlasts an exchange in flight. Default: 60 s.
    ///
    /// ```
    /// use std::time::Duration;
    /// use actix_twitter_login::accounts::MigrationOptions;
    ///
    /// let options = MigrationOptions::new().lease(Duration::from_secs(120));
    /// # let _ = options;
    /// ```
    pub fn lease(mut self, lease: Duration) -> Self {
        self.lease = lease;
        self
    }

    /// Stops after this many stored rows, leaving the others for a later run: to move users in
    /// slices, or to try the job on a few first. Default: no limit.
    ///
    /// ```
    /// use actix_twitter_login::accounts::MigrationOptions;
    ///
    /// let first_hundred = MigrationOptions::new().limit(100);
    /// # let _ = first_hundred;
    /// ```
    pub fn limit(mut self, rows: u64) -> Self {
        self.limit = Some(rows);
        self
    }

    /// The wait before retry number `attempt` (0 for the first): the backoff doubled
    /// `attempt` times, at most the maximum.
    pub(super) fn backoff_for(&self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.min(20));
        self.backoff.saturating_mul(factor).min(self.max_backoff)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::MigrationOptions;

    #[test]
    fn the_backoff_doubles_up_to_its_maximum() {
        let options =
            MigrationOptions::new().backoff(Duration::from_millis(100), Duration::from_millis(700));
        let waits: Vec<_> = (0..5).map(|n| options.backoff_for(n).as_millis()).collect();
        assert_eq!(waits, [100, 200, 400, 700, 700]);
        assert_eq!(
            MigrationOptions::new().backoff_for(u32::MAX),
            Duration::from_secs(60)
        );
    }
}

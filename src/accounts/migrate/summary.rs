//! [`MigrationSummary`]: what a run of the migration job did.

use std::{fmt, time::Duration};

/// What a run of [`Accounts::migrate_to_oauth2`](crate::accounts::Accounts::migrate_to_oauth2)
/// did. In a real run `found == exchanged + needs_reauthorization + failed + changed_meanwhile`;
/// in a dry run `found` is what a run would exchange and `failed` what does not open.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct MigrationSummary {
    /// Whether it was a dry run (nothing exchanged, nothing written).
    pub dry_run: bool,
    /// Stored OAuth 1.0a rows the run took up (in a dry run: those that open).
    pub found: u64,
    /// Rows now holding the OAuth 2.0 tokens they were exchanged for.
    pub exchanged: u64,
    /// Rows X refused (`invalid_grant`: revoked or invalid token credentials), now marked for
    /// re-authorization: those users must sign in again. Never retried.
    pub needs_reauthorization: u64,
    /// Rows left as they were for a later run: their exchange kept failing for a passing
    /// reason, or they do not open (a key missing from the ring, an altered row).
    pub failed: u64,
    /// Rows that changed while their exchange was in flight: the user signed in again (their
    /// new tokens are kept, the exchanged ones dropped), or unlinked X or had their tokens
    /// revoked (the exchanged tokens are queued for revocation, see
    /// [`Accounts::retry_revocations`](crate::accounts::Accounts::retry_revocations)).
    pub changed_meanwhile: u64,
    /// Exchanges tried again after a passing failure.
    pub retries: u64,
    /// Waits for X's rate limit (not counted as failures).
    pub rate_limit_waits: u64,
    /// Rows of the work list left when the run ended, for a later run: the failed ones, and
    /// those past a [`limit`](super::MigrationOptions::limit).
    pub remaining: u64,
    /// How long the run took.
    pub elapsed: Duration,
}

impl fmt::Display for MigrationSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let elapsed = self.elapsed.as_secs_f64();
        if self.dry_run {
            writeln!(f, "Dry run: nothing exchanged, nothing written.")?;
            writeln!(
                f,
                "  to exchange:            {} stored OAuth 1.0a token credentials",
                self.found
            )?;
            writeln!(f, "  do not open:            {}", self.failed)?;
            return write!(f, "  elapsed:                {elapsed:.1} s");
        }
        writeln!(f, "OAuth 1.0a to OAuth 2.0: {} rows taken up.", self.found)?;
        writeln!(f, "  exchanged:              {}", self.exchanged)?;
        writeln!(
            f,
            "  must sign in again:     {}",
            self.needs_reauthorization
        )?;
        writeln!(f, "  failed, left for later: {}", self.failed)?;
        writeln!(f, "  changed meanwhile:      {}", self.changed_meanwhile)?;
        writeln!(
            f,
            "  retries:                {} (and {} rate-limit waits)",
            self.retries, self.rate_limit_waits
        )?;
        writeln!(f, "  still to move:          {}", self.remaining)?;
        write!(f, "  elapsed:                {elapsed:.1} s")
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::MigrationSummary;

    #[test]
    fn the_summary_reads_as_a_few_lines() {
        let summary = MigrationSummary {
            found: 10,
            exchanged: 7,
            needs_reauthorization: 2,
            failed: 1,
            rate_limit_waits: 3,
            remaining: 1,
            elapsed: Duration::from_millis(1500),
            ..MigrationSummary::default()
        };
        let text = summary.to_string();
        assert!(
            text.starts_with("OAuth 1.0a to OAuth 2.0: 10 rows taken up."),
            "{text}"
        );
        assert!(text.contains("exchanged:              7"), "{text}");
        assert!(text.contains("must sign in again:     2"), "{text}");
        assert!(text.contains("(and 3 rate-limit waits)"), "{text}");
        assert!(text.ends_with("1.5 s"), "{text}");
        let dry = MigrationSummary {
            dry_run: true,
            found: 4,
            ..MigrationSummary::default()
        };
        assert!(dry.to_string().starts_with("Dry run"), "{dry}");
    }
}

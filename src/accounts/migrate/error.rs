//! Why the migration job stopped.

use std::time::Duration;

use crate::store::TokenStoreError;

/// Why [`Accounts::migrate_to_oauth2`](crate::accounts::Accounts::migrate_to_oauth2) stopped
/// before the end. What it exchanged before stays stored; run it again to go on. Its text
/// names no token or secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MigrationError {
    /// Another run holds the job's lease (this instance's or another's): two runs at once would
    /// each invalidate the pairs the other stores. Nothing was done.
    #[error(
        "another migration job is running (lease holder {holder}, for {expires_in:?} more \
         unless renewed): nothing was done"
    )]
    AlreadyRunning {
        /// The running job's lease holder: its process id and a random part.
        holder: String,
        /// How long its lease lasts if it is not renewed (a job that crashed renews nothing).
        expires_in: Duration,
    },
    /// The lease ran out (the job was stalled longer than the lease) and another run took it
    /// over: this one stopped without writing what it had in flight, leaving the rest to the
    /// other.
    #[error("another migration job took the lease over: stopped, leaving the rest to it")]
    LeaseLost,
    /// No OAuth 2.0 client is configured ([`AccountsBuilder::oauth2_client`]).
    ///
    /// [`AccountsBuilder::oauth2_client`]: crate::accounts::AccountsBuilder::oauth2_client
    #[error("no OAuth 2.0 client is configured: see AccountsBuilder::oauth2_client")]
    NoClient,
    /// X refused the exchange for a reason no retry fixes, such as `invalid_client` or
    /// `unauthorized_client` (wrong client id or secret, OAuth 2.0 not set up for the app):
    /// the job stopped at the first such refusal.
    #[error("X refused the token exchange, stopped: {0}")]
    Refused(String),
    /// X (or something in front of it) kept answering 429 for one row, wait after wait: the
    /// job stopped rather than wait for ever. Run it again later.
    #[error("X kept answering 429 (rate limited) for one row, {waits} waits in a row: stopped")]
    RateLimited {
        /// The waits made for that row.
        waits: u32,
    },
    /// The store failed (a database error or the blocking pool).
    #[error(transparent)]
    Store(#[from] TokenStoreError),
}

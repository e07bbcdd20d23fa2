//! Acting for signed-in users later: their linked X accounts and stored tokens.
//!
//! [`Accounts`] works on the store of a [`DieselResolver`] that stores token credentials
//! ([`DieselResolver::store_tokens`]) and talks to X as the app's client: OAuth 2.0 for
//! access tokens and their refresh, revocation and the move of OAuth 1.0a tokens to OAuth 2.0;
//! OAuth 1.0a to invalidate 1.0a token credentials.
//!
//! ```
//! use actix_twitter_login::{accounts::Accounts, store::{self, DieselResolver, StoreOptions, TokenKeys}};
//!
//! # let dir = tempfile::tempdir()?;
//! # let database_url = dir.path().join("app.db");
//! # let database_url = database_url.to_str().unwrap();
//! let pool = store::connect(database_url, &StoreOptions::default())?;
//! store::run_migrations(&pool)?;
//! let keys = TokenKeys::from_hex("2026-11", &"ab".repeat(32))?; // from your configuration
//! let resolver = DieselResolver::new(pool).store_tokens(keys);
//! let accounts = Accounts::builder(&resolver)
//!     .oauth2_client("client-id", Some("client-secret"))
//!     .build()?;
//! # drop(accounts);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod builder;
pub(crate) mod client;
mod error;
mod gate;
mod linked;
mod migrate;
mod refresh;
mod revoke;
mod routes;
mod unlink;

use std::sync::Arc;

pub use builder::AccountsBuilder;
pub use error::AccountError;
pub use linked::LinkedAccount;
pub use migrate::{MigrationError, MigrationOptions, MigrationSummary};
#[cfg(feature = "redis")]
pub use unlink::SignedOut;
pub use unlink::{Revocations, Unlinked};

use crate::store::{DieselResolver, Pool, TokenKeys};
use client::XClient;

/// The linked X accounts of the app's users and their stored tokens: a handle that is cheap
/// to clone and shared by every worker. Made with [`Accounts::builder`].
#[derive(Debug, Clone)]
pub struct Accounts {
    inner: Arc<Inner>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub pool: Pool,
    pub provider: Arc<str>,
    pub keys: TokenKeys,
    pub x: XClient,
    /// Whether a user has a way to sign in other than their credentials (the app's own).
    pub other_sign_in: Option<builder::OtherSignIn>,
    /// One refresh per user at a time in this instance.
    pub refreshing: gate::RefreshGate,
    /// The connections of its own a refresh may open: this many refreshes at once at most.
    pub refresh_slots: Arc<tokio::sync::Semaphore>,
}

impl Accounts {
    /// A builder on the resolver's store: its pool, its provider name and its token keys.
    ///
    /// ```
    /// use actix_twitter_login::{accounts::Accounts, store::{self, DieselResolver, StoreOptions}};
    ///
    /// # let dir = tempfile::tempdir()?;
    /// # let database_url = dir.path().join("app.db");
    /// # let database_url = database_url.to_str().unwrap();
    /// let pool = store::connect(database_url, &StoreOptions::default())?;
    /// // Without `store_tokens` there is nothing to act with:
    /// let error = Accounts::builder(&DieselResolver::new(pool)).build().unwrap_err();
    /// assert!(error.to_string().contains("store_tokens"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn builder(resolver: &DieselResolver) -> AccountsBuilder {
        AccountsBuilder::new(resolver)
    }

    pub(crate) fn inner(&self) -> &Inner {
        &self.inner
    }

    pub(crate) fn from_inner(inner: Inner) -> Self {
        Self {
            inner: Arc::new(inner),
        }
    }
}

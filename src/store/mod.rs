//! The Diesel find-or-create verifier over an r2d2 pool of SQLite connections, with embedded
//! migrations (feature `sqlite`).
//!
//! It is the verify step of passport's todos example: a `users` table, and a
//! `federated_credentials` table that links `(provider, subject)`, here
//! `(`[`PROVIDER`]`, <Twitter user id>)`, to a user. The first sign-in creates the user; later
//! ones find it.
//!
//! ```no_run
//! use actix_twitter_login::store::{self, DieselVerifier, StoreOptions};
//!
//! let pool = store::connect("app.db", &StoreOptions::default())?;
//! store::run_migrations(&pool)?;
//! let verifier = DieselVerifier::new(pool.clone());
//! // Hand `verifier` to the login middleware; read the signed-in user back with
//! // `store::find_user(&pool, &identity_id)` (inside `web::block`).
//! # drop(verifier);
//! # Ok::<(), store::StoreError>(())
//! ```

mod error;
mod migrate;
mod pool;
mod schema;
mod user;
mod verifier;

#[cfg(test)]
mod tests;

pub use error::StoreError;
pub use migrate::run_migrations;
pub use pool::{connect, connect_lazy, Pool, PooledConnection, StoreOptions};
pub use user::{find_or_create, find_user, User};
pub use verifier::DieselVerifier;

/// The `provider` of Twitter credentials in `federated_credentials`, as in passport's
/// todos example.
///
/// ```
/// assert_eq!(actix_twitter_login::store::PROVIDER, "https://twitter.com");
/// ```
pub const PROVIDER: &str = "https://twitter.com";

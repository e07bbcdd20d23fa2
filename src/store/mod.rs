//! The Diesel find-or-create resolver over an r2d2 pool of SQLite (feature `sqlite`) or
//! PostgreSQL (feature `postgres`) connections, with embedded migrations.
//!
//! The database URL picks the [`Backend`]: `postgres://…` or `postgresql://…` is PostgreSQL,
//! anything else a SQLite file. The queries are written once and run on either; each backend
//! has its own migrations (`migrations/sqlite`, `migrations/postgres`) creating the same
//! tables.
//!
//! It is the resolve step of passport's todos example: a `users` table, and a
//! `federated_credentials` table that links `(provider, subject)`, here
//! `(`[`PROVIDER`]`, <Twitter user id>)`, to a user. The first sign-in creates the user; later
//! ones find it. Another provider, such as a local test provider whose ids are not X's, keeps
//! its users apart under a name of its own ([`DieselResolver::provider`]).
//!
//! ```no_run
//! use actix_twitter_login::store::{self, DieselResolver, StoreOptions};
//!
//! let pool = store::connect("app.db", &StoreOptions::default())?;
//! store::run_migrations(&pool)?;
//! let resolver = DieselResolver::new(pool.clone());
//! // Hand `resolver` to the login middleware; read the signed-in user back with
//! // `store::find_user(&pool, &identity_id)` (inside `web::block`).
//! # drop(resolver);
//! # Ok::<(), store::StoreError>(())
//! ```

mod availability;
mod backend;
mod dedicated;
mod error;
mod find;
pub(crate) mod job_lock;
mod keys;
pub(crate) mod link;
mod migrate;
mod options;
mod pool;
mod queries;
mod resolver;
mod schema;
mod setup;
pub(crate) mod token_lock;
pub(crate) mod token_migration;
mod tokens;
pub(crate) mod unlink;
mod user;

#[cfg(test)]
pub(crate) mod tests;

pub use backend::Backend;
pub use error::StoreError;
pub use find::{create_user, find_or_create, find_or_create_at, find_user};
pub use keys::{KeyError, TokenKeys};
pub use migrate::run_migrations;
pub use options::StoreOptions;
pub use pool::{connect, connect_lazy, Pool, PoolState, PooledConnection};
pub use resolver::DieselResolver;
pub use tokens::TokenStoreError;
pub use user::User;

/// The `provider` of Twitter credentials in `federated_credentials`, as in passport's
/// todos example: what [`find_or_create`] and [`DieselResolver::new`] store and look up.
///
/// ```
/// assert_eq!(actix_twitter_login::store::PROVIDER, "https://twitter.com");
/// ```
pub const PROVIDER: &str = "https://twitter.com";

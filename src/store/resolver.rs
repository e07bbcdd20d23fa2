//! [`DieselResolver`]: the [`ResolveUser`] step backed by the store.

use std::sync::Arc;

use actix_web::web;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use futures_core::future::LocalBoxFuture;

use super::{
    error::{is_refusal, StoreError},
    find::find_or_create_at,
    keys::TokenKeys,
    link,
    pool::Pool,
    tokens, PROVIDER,
};
use crate::{
    credentials::Credentials,
    profile::Profile,
    resolve::{ResolveError, ResolveUser, Verdict},
};

/// The resolve step of passport's todos example: finds the local user signed in with the
/// Twitter profile, or creates one (see [`find_or_create`](super::find_or_create)), and logs
/// in as that user, with the user id as the identity. Its credentials are X's,
/// `(`[`PROVIDER`]`, profile id)`, unless [`provider`](Self::provider) names another.
///
/// The database work runs in `actix_web::web::block`, off the async workers, on either
/// backend. Errors map to [`ResolveErrorKind`](crate::ResolveErrorKind)s: no pooled connection
/// in time, or a locked, unreachable, restarting or full database, is `Unavailable` (503);
/// anything else (a missing schema, a backend that is not compiled in, a server that refuses
/// the URL's password, role or database) is `Internal` (500).
/// The token credentials are never logged; they are stored, sealed, only with
/// [`store_tokens`](Self::store_tokens).
///
/// ```no_run
/// use actix_twitter_login::{store::{self, DieselResolver, StoreOptions}, ResolveUser};
///
/// let pool = store::connect("app.db", &StoreOptions::default())?;
/// store::run_migrations(&pool)?;
/// let resolver = DieselResolver::new(pool);
/// # fn assert_resolve_user(_: impl ResolveUser) {}
/// # assert_resolve_user(resolver);
/// # Ok::<(), store::StoreError>(())
/// ```
#[derive(Debug, Clone)]
pub struct DieselResolver {
    pool: Pool,
    provider: Arc<str>,
    /// With these, each sign-in's token credentials are stored, sealed.
    pub(crate) token_keys: Option<TokenKeys>,
}

impl DieselResolver {
    /// A resolver on this pool for X's users ([`PROVIDER`]); the pool's database must be
    /// migrated ([`run_migrations`](super::run_migrations)).
    pub fn new(pool: Pool) -> Self {
        Self {
            pool,
            provider: PROVIDER.into(),
            token_keys: None,
        }
    }

    /// The provider name its credentials are stored and looked up under, as
    /// [`find_or_create_at`](super::find_or_create_at) takes it. Default: [`PROVIDER`]
    /// (`https://twitter.com`), for X. Give another provider, such as a local test provider,
    /// a name of its own: its user ids are not X's, and under X's name its `1001` would be
    /// the X account `1001`. Keep a name once users have signed in with it; an empty one fails
    /// every login.
    ///
    /// ```
    /// use actix_twitter_login::store::{self, DieselResolver, StoreOptions};
    ///
    /// # let dir = tempfile::tempdir()?;
    /// # let database_url = dir.path().join("app.db");
    /// # let database_url = database_url.to_str().unwrap();
    /// let pool = store::connect(database_url, &StoreOptions::default())?;
    /// store::run_migrations(&pool)?;
    /// let resolver = DieselResolver::new(pool).provider("local-test-provider");
    /// assert_eq!(resolver.provider_name(), "local-test-provider");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn provider(mut self, name: impl Into<String>) -> Self {
        self.provider = name.into().into();
        self
    }

    /// The provider name its credentials are stored under: [`PROVIDER`] unless
    /// [`provider`](Self::provider) named another.
    ///
    /// ```
    /// use actix_twitter_login::store::{self, DieselResolver, StoreOptions, PROVIDER};
    ///
    /// # let dir = tempfile::tempdir()?;
    /// # let database_url = dir.path().join("app.db");
    /// # let database_url = database_url.to_str().unwrap();
    /// let pool = store::connect(database_url, &StoreOptions::default())?;
    /// assert_eq!(DieselResolver::new(pool).provider_name(), PROVIDER);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn provider_name(&self) -> &str {
        &self.provider
    }

    /// The pool, e.g. to look users up with [`find_user`](super::find_user).
    pub fn pool(&self) -> &Pool {
        &self.pool
    }
}

impl ResolveUser for DieselResolver {
    fn resolve(
        &self,
        // Stored (sealed) with `store_tokens`, else dropped here.
        credentials: Credentials,
        profile: Profile,
    ) -> LocalBoxFuture<'static, Result<Verdict, ResolveError>> {
        let (pool, provider) = (self.pool.clone(), Arc::clone(&self.provider));
        let keys = self.token_keys.clone();
        Box::pin(async move {
            let subject = profile.id.clone();
            let found = web::block(move || {
                let mut conn = pool.get()?;
                let user = find_or_create_at(&mut conn, &provider, &profile)
                    .map_err(|source| pool.query_error(source))?;
                let Some(keys) = keys else {
                    return Ok(Ok(user));
                };
                Ok(
                    tokens::save(&mut conn, &keys, &provider, &profile.id, &credentials)
                        .map(|()| user),
                )
            })
            .await;
            let found = match found {
                Ok(Ok(Err(error))) => {
                    tracing::error!(%subject, %error, "the token credentials were not stored");
                    return Err(ResolveError::internal(error));
                }
                Ok(Ok(Ok(user))) => Ok(user),
                Ok(Err(error)) => Err(error),
                Err(error) => {
                    tracing::error!(%subject, %error, "sign-in task failed");
                    return Err(ResolveError::internal(error));
                }
            };
            match found {
                Ok(user) => {
                    tracing::debug!(user_id = user.id, %subject, "signed in");
                    Ok(Verdict::User(user.id.to_string()))
                }
                Err(error) => Err(resolve_error(error, &subject)),
            }
        })
    }

    fn link(
        &self,
        user_id: &str,
        credentials: Credentials,
        profile: Profile,
    ) -> LocalBoxFuture<'static, Result<Verdict, ResolveError>> {
        Box::pin(link::verdict(
            self.clone(),
            user_id.to_owned(),
            credentials,
            profile,
        ))
    }
}

/// The store's error as the resolve step reports it, logged.
pub(super) fn resolve_error(error: StoreError, subject: &str) -> ResolveError {
    if is_unavailable(&error) {
        tracing::warn!(%subject, %error, "database unavailable; sign-in refused");
        ResolveError::unavailable(error)
    } else {
        tracing::error!(%subject, %error, "sign-in failed in the database");
        ResolveError::internal(error)
    }
}

/// Whether the error is the database being unavailable for now, rather than a bug, bad data
/// or a configuration the server refuses.
fn is_unavailable(error: &StoreError) -> bool {
    match error {
        StoreError::Connect { source, .. } => !is_refusal(&source.to_string()),
        StoreError::Pool { source, .. } => !is_refusal(&source.to_string()),
        StoreError::Query { source, .. } => is_transient(source),
        StoreError::Refused { .. }
        | StoreError::BackendDisabled { .. }
        | StoreError::Migration { .. } => false,
    }
}

fn is_transient(error: &DieselError) -> bool {
    /// SQLite's texts for SQLITE_BUSY, SQLITE_LOCKED, SQLITE_CANTOPEN, SQLITE_IOERR and
    /// SQLITE_FULL, which diesel reports as `DatabaseErrorKind::Unknown`.
    const SQLITE_MESSAGES: [&str; 5] = [
        "database is locked",
        "database table is locked",
        "unable to open database file",
        "disk I/O error",
        "database or disk is full",
    ];
    /// PostgreSQL's (English) texts for a deadlock, a statement or lock timeout, a server
    /// starting, stopping or recovering, and a connection it ended; diesel reports most of
    /// them as `DatabaseErrorKind::Unknown`. In another server language they are internal.
    const POSTGRES_MESSAGES: [&str; 5] = [
        "deadlock detected",
        "canceling statement due to",
        "the database system is",
        "terminating connection due to",
        "server closed the connection unexpectedly",
    ];
    match error {
        DieselError::DatabaseError(
            DatabaseErrorKind::UnableToSendCommand
            | DatabaseErrorKind::ClosedConnection
            | DatabaseErrorKind::SerializationFailure,
            _,
        ) => true,
        DieselError::DatabaseError(_, info) => SQLITE_MESSAGES
            .iter()
            .chain(&POSTGRES_MESSAGES)
            .any(|message| info.message().starts_with(message)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use diesel::result::{DatabaseErrorKind, Error};

    use super::*;

    fn query(kind: DatabaseErrorKind, message: &str) -> StoreError {
        StoreError::Query {
            database: "app.db".into(),
            source: Error::DatabaseError(kind, Box::new(message.to_owned())),
        }
    }

    #[test]
    fn locked_or_unreachable_databases_are_unavailable() {
        for error in [
            query(DatabaseErrorKind::Unknown, "database is locked"),
            query(DatabaseErrorKind::Unknown, "database table is locked"),
            query(DatabaseErrorKind::Unknown, "disk I/O error"),
            query(DatabaseErrorKind::Unknown, "database or disk is full"),
            query(DatabaseErrorKind::UnableToSendCommand, "connection lost"),
            query(
                DatabaseErrorKind::ClosedConnection,
                "server closed the connection",
            ),
            query(
                DatabaseErrorKind::SerializationFailure,
                "could not serialize access",
            ),
            query(DatabaseErrorKind::Unknown, "deadlock detected"),
            query(
                DatabaseErrorKind::Unknown,
                "canceling statement due to statement timeout",
            ),
            query(
                DatabaseErrorKind::Unknown,
                "the database system is shutting down",
            ),
            query(
                DatabaseErrorKind::ClosedConnection,
                "terminating connection due to administrator command",
            ),
        ] {
            assert!(is_unavailable(&error), "{error}");
        }
    }

    /// The pool error of a pool whose connections all fail with `last_error`. The pool's
    /// threads try at once; the timeout only has to outlast the first (instant) failure for
    /// the error to carry its text.
    fn pool(last_error: &str) -> StoreError {
        let pool = diesel::r2d2::Pool::builder()
            .connection_timeout(std::time::Duration::from_millis(500))
            .build_unchecked(Refusing(last_error.to_owned()));
        StoreError::Pool {
            database: "postgres://app@db/app".into(),
            source: pool.get().expect_err("no connection"),
        }
    }

    /// A connection manager whose every connection attempt fails with this message.
    #[derive(Debug)]
    struct Refusing(String);

    impl diesel::r2d2::ManageConnection for Refusing {
        type Connection = ();
        type Error = diesel::r2d2::Error;
        fn connect(&self) -> Result<(), Self::Error> {
            Err(diesel::r2d2::Error::ConnectionError(
                diesel::ConnectionError::BadConnection(self.0.clone()),
            ))
        }
        fn is_valid(&self, (): &mut ()) -> Result<(), Self::Error> {
            Ok(())
        }
        fn has_broken(&self, (): &mut ()) -> bool {
            false
        }
    }

    #[test]
    fn a_server_refusing_the_configuration_is_internal_an_unreachable_one_unavailable() {
        let server = r#"connection to server at "127.0.0.1", port 5432 failed: "#;
        for refused in [
            r#"FATAL:  password authentication failed for user "app""#,
            r#"FATAL:  role "app" does not exist"#,
            r#"FATAL:  database "app" does not exist"#,
            r#"FATAL:  no pg_hba.conf entry for host "10.0.0.9", user "app", database "app""#,
        ] {
            let error = pool(&format!("{server}{refused}"));
            assert!(!is_unavailable(&error), "{error}");
        }
        for outage in [
            "Connection refused\n\tIs the server running on that host?",
            "FATAL:  the database system is starting up",
            "FATAL:  sorry, too many clients already",
            "timeout expired",
        ] {
            let error = pool(&format!("{server}{outage}"));
            assert!(is_unavailable(&error), "{error}");
        }
    }

    #[test]
    fn other_errors_are_internal() {
        for error in [
            query(DatabaseErrorKind::Unknown, "no such table: users"),
            query(
                DatabaseErrorKind::Unknown,
                r#"relation "users" does not exist"#,
            ),
            StoreError::BackendDisabled {
                database: "postgres://db/app".into(),
                backend: crate::store::Backend::Postgres,
            },
            query(
                DatabaseErrorKind::UniqueViolation,
                "UNIQUE constraint failed",
            ),
            query(
                DatabaseErrorKind::Unknown,
                "attempt to write a readonly database",
            ),
            StoreError::Query {
                database: "app.db".into(),
                source: Error::NotFound,
            },
            StoreError::Migration {
                database: "app.db".into(),
                source: "bad migration".into(),
            },
        ] {
            assert!(!is_unavailable(&error), "{error}");
        }
    }
}

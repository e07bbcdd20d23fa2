//! Whether a store error is the database being away for now (the resolve step answers 503 and
//! the user may try again) or a bug, bad data or a configuration the server refuses (500).

use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::error::{is_refusal, StoreError};
use crate::resolve::ResolveError;

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

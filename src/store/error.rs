//! The store's error type, and the redaction of passwords in database URLs.

use std::error::Error as StdError;

use super::Backend;

/// An error from the store: opening the database, taking a pooled connection, migrating, or
/// querying, on either backend.
///
/// Every variant names the database it is about, with any password in the URL redacted (a
/// `user:password@` part becomes `user:[redacted]@`, and so does a `password=` parameter),
/// so the text is safe to log. One exception: libpq's own message, carried as the source,
/// may quote a piece of a URL it could not parse, such as a password with an unencoded `/`
/// read as a port; percent-encode reserved characters in passwords.
///
/// ```
/// use actix_twitter_login::store::{self, StoreError, StoreOptions};
///
/// // The parent directory does not exist, so SQLite cannot create the file.
/// let err = store::connect("no-such-dir/app.db", &StoreOptions::default()).unwrap_err();
/// assert!(matches!(err, StoreError::Connect { .. }));
/// assert!(err.to_string().contains("no-such-dir/app.db"));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database could not be opened, or a new connection could not be set up (SQLite's
    /// pragmas failed, e.g. because the file is not a database). For PostgreSQL the source
    /// carries libpq's message, like `connection to server at "127.0.0.1", port 5432 failed:
    /// Connection refused`.
    #[error("cannot open database {database}: {source}")]
    Connect {
        /// The database URL or path, password redacted.
        database: String,
        /// Why the connection failed.
        #[source]
        source: diesel::r2d2::Error,
    },
    /// The pool could not hand out a connection within its connection timeout.
    #[error("no connection to database {database}: {source}")]
    Pool {
        /// The database URL or path, password redacted.
        database: String,
        /// r2d2's error, which carries the last connection error as text.
        #[source]
        source: diesel::r2d2::PoolError,
    },
    /// The database server refuses the pool's connections for a reason waiting does not
    /// mend: the password, role or database the URL names, or no `pg_hba.conf` entry for it.
    /// A configuration error, reported by [`Pool::get`](super::Pool::get) while every
    /// attempt to connect meets it.
    #[error("database {database} refuses the connection: {reason}")]
    Refused {
        /// The database URL or path, password redacted.
        database: String,
        /// The server's message, e.g. `FATAL:  role "app" does not exist`.
        reason: String,
    },
    /// The database URL is for a backend this build does not include: enable the crate
    /// feature the message names (`sqlite` or `postgres`).
    #[error(
        "cannot open database {database}: {backend} support is not compiled in; \
         enable the `{feature}` feature of actix-twitter-login",
        feature = .backend.feature()
    )]
    BackendDisabled {
        /// The database URL or path, password redacted.
        database: String,
        /// The backend the URL is for.
        backend: Backend,
    },
    /// Running the embedded migrations failed.
    #[error("migrations failed on database {database}: {source}")]
    Migration {
        /// The database URL or path, password redacted.
        database: String,
        /// The migration harness's error.
        #[source]
        source: Box<dyn StdError + Send + Sync>,
    },
    /// A query failed.
    #[error("query failed on database {database}: {source}")]
    Query {
        /// The database URL or path, password redacted.
        database: String,
        /// Diesel's error.
        #[source]
        source: diesel::result::Error,
    },
}

/// Whether a connection error's text is the server refusing these credentials or this
/// database: a wrong password, an unknown role or database, no `pg_hba.conf` entry. Waiting
/// does not mend those: they are configuration errors, not an outage. The texts are libpq's
/// (English) messages.
pub(crate) fn is_refusal(message: &str) -> bool {
    const REFUSALS: [&str; 2] = ["password authentication failed", "no pg_hba.conf entry"];
    REFUSALS.iter().any(|refusal| message.contains(refusal))
        || message.contains("FATAL:")
            && (message.contains("role \"") || message.contains("database \""))
            && message.contains("\" does not exist")
}

/// The text of `url` with any password replaced by `[redacted]`: the password of a
/// `scheme://user:password@host` authority, and the value of every `password=` parameter
/// (URL query or libpq-style `key=value` list). Anything else is kept, so the result still
/// tells which database is meant.
pub(crate) fn redact(url: &str) -> String {
    redact_password_parameters(&redact_userinfo(url))
}

const REDACTED: &str = "[redacted]";

fn redact_userinfo(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_owned();
    };
    let rest = &url[scheme_end..];
    // `user:password@`: the user name runs to the first ':' and holds none of '/', '?', '#',
    // '@'. The password runs to the last '@' of the text, since its writer may have left a
    // '/', '?', '#' or '@' in it unencoded. An '@' further on (in a query) costs some of the
    // text after the password, never the password.
    let Some(colon) = rest.find(':') else {
        return url.to_owned();
    };
    if rest[..colon].contains(['/', '?', '#', '@']) {
        return url.to_owned();
    }
    match rest.rfind('@') {
        Some(at) if at > colon => format!(
            "{}{}:{REDACTED}{}",
            &url[..scheme_end],
            &rest[..colon],
            &rest[at..]
        ),
        _ => url.to_owned(),
    }
}

fn redact_password_parameters(text: &str) -> String {
    const KEY: &str = "password=";
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut search_from = 0;
    while let Some(found) = lower[search_from..].find(KEY) {
        let value_start = search_from + found + KEY.len();
        let value = &text[value_start..];
        let value_len = if let Some(quoted) = value.strip_prefix('\'') {
            // libpq's quoted value: up to the closing quote (backslash escapes it).
            let mut escaped = false;
            let close = quoted.char_indices().find_map(|(i, c)| match c {
                _ if escaped => {
                    escaped = false;
                    None
                }
                '\\' => {
                    escaped = true;
                    None
                }
                '\'' => Some(i),
                _ => None,
            });
            close.map_or(value.len(), |i| i + 2)
        } else {
            value
                .find(|c: char| c == '&' || c == '#' || c.is_whitespace())
                .unwrap_or(value.len())
        };
        out.push_str(&text[copied..value_start]);
        out.push_str(REDACTED);
        copied = value_start + value_len;
        search_from = copied;
    }
    out.push_str(&text[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn paths_are_kept_as_they_are() {
        for path in [
            "app.db",
            "/var/lib/app/app.db",
            "sqlite://app.db",
            "file:app.db?mode=rwc",
            "file:///srv/mail@host/app.db",
            ":memory:",
        ] {
            assert_eq!(redact(path), path);
        }
    }

    #[test]
    fn url_password_is_redacted_but_user_and_host_are_kept() {
        let redacted = redact("postgres://alice:s3cr%40t@db.example:5432/app?sslmode=require");
        assert_eq!(
            redacted,
            "postgres://alice:[redacted]@db.example:5432/app?sslmode=require"
        );
        assert_eq!(
            redact("postgres://alice@db.example/app"),
            "postgres://alice@db.example/app"
        );
        // An '@' inside the password: the authority ends at the last '@'.
        assert_eq!(
            redact("postgres://bob:p@ss@host/db"),
            "postgres://bob:[redacted]@host/db"
        );
        // Reserved characters inside the password, not percent-encoded.
        assert_eq!(
            redact("postgres://bob:pa/ss/@host:5432/db?sslmode=require"),
            "postgres://bob:[redacted]@host:5432/db?sslmode=require"
        );
        for password in ["/", "pa?ss", "pa#ss", "p@ss/word", "a:b@c/d?e#f"] {
            assert_eq!(
                redact(&format!("postgresql://bob:{password}@host/db")),
                "postgresql://bob:[redacted]@host/db",
                "{password}"
            );
        }
        // No password: kept, whatever the '@' and ':' elsewhere.
        for kept in [
            "postgres://alice@db.example:5432/app",
            "postgres://db.example:5432/app",
            "file:///srv/mail@host/app.db",
        ] {
            assert_eq!(redact(kept), kept);
        }
    }

    #[test]
    fn password_parameters_are_redacted() {
        assert_eq!(
            redact("postgres://host/db?user=alice&password=hunter2&sslmode=disable"),
            "postgres://host/db?user=alice&password=[redacted]&sslmode=disable"
        );
        assert_eq!(
            redact("host=db user=alice PASSWORD=hunter2 dbname=app"),
            "host=db user=alice PASSWORD=[redacted] dbname=app"
        );
        assert_eq!(
            redact("host=db password='two words \\' quote' dbname=app"),
            "host=db password=[redacted] dbname=app"
        );
        assert_eq!(
            redact("host=db sslpassword=x password="),
            "host=db sslpassword=[redacted] password=[redacted]"
        );
        let both = redact("postgres://u:hunter2@h/db?password=hunter3");
        assert!(!both.contains("hunter"), "{both}");
    }
}

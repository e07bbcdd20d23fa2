//! The pool's settings.

use std::time::Duration;

/// Pool settings for [`connect`](super::connect) and [`connect_lazy`](super::connect_lazy).
///
/// The defaults are `max_size` per backend (SQLite 1, PostgreSQL 8), `connection_timeout`
/// 5 s (r2d2's own default is 30 s, far too long to keep a login request waiting), `min_idle`
/// `None` and `idle_timeout` 10 min.
///
/// ```
/// use std::time::Duration;
/// use actix_twitter_login::store::StoreOptions;
///
/// let options = StoreOptions {
///     max_size: Some(4),
///     ..StoreOptions::default()
/// };
/// assert_eq!(options.connection_timeout, Duration::from_secs(5));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreOptions {
    /// The most connections the pool keeps open. `None` (the default) picks per backend:
    /// 1 for SQLite, which writes one transaction at a time anyway (more connections only
    /// wait on each other's locks and keep a page cache each), 8 for PostgreSQL.
    pub max_size: Option<u32>,
    /// How long taking a connection may wait, for a free one or for the database to open,
    /// before it fails (default 5 s). [`connect`](super::connect) also waits at most this long for the
    /// database to answer and for the pool to fill.
    pub connection_timeout: Duration,
    /// How many idle connections the pool keeps open. `None` (the default) means all of them
    /// (`max_size`) for [`connect`](super::connect), which opens them up front, and none for
    /// [`connect_lazy`](super::connect_lazy), which opens connections only when they are asked for.
    pub min_idle: Option<u32>,
    /// How long a connection beyond `min_idle` may stay idle before it is closed (default
    /// 10 min); `None` keeps idle connections open.
    pub idle_timeout: Option<Duration>,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            max_size: None,
            connection_timeout: Duration::from_secs(5),
            min_idle: None,
            idle_timeout: Some(Duration::from_secs(10 * 60)),
        }
    }
}

//! [`Accounts::access_token`]: a usable OAuth 2.0 access token on demand, refreshed once.
//!
//! The stored token is read without a lock and handed out while it is more than the refresh
//! margin from its expiry. Otherwise the caller waits for its turn at the user's refresh in
//! this instance ([`super::gate`]), reads again, and if the token is still near its expiry,
//! takes one of the instance's refresh connections and refreshes it in one blocking task: the
//! task opens a connection of its own to the database (none of the pool's, which the app's
//! other work needs meanwhile), locks the row ([`token_lock`]), reads it again (another
//! instance may have refreshed it meanwhile), calls X holding the lock, and stores the rotated
//! tokens in the same transaction. The call runs on a runtime of the task's own, as awc's
//! client must stay on one thread; the task finishes even if the caller goes away, so a
//! refresh X has answered is stored, never lost with its single-use refresh token.
//!
//! Waiting for the turn and for a refresh connection ends at one deadline, the call's and
//! [`WAIT_BEYOND_CALL`]; a refresh that fails for a passing reason hands its failure to the
//! callers queued behind it, so X down costs one call per queue, not one per caller.

use std::{
    sync::Arc,
    time::{Duration, SystemTime},
};

use actix_web::{
    rt::time::{timeout, Instant},
    web,
};

use super::{client::OAuth2Client, gate::NoTurn, AccountError, Accounts};
use crate::{
    credentials::{AccessToken, Credentials},
    middleware::http_client,
    oauth2::refresh::{is_refused_grant, refresh, RefreshClient},
    provider::{Endpoint, Limits, ProviderError},
    store::{
        token_lock::{self, Decision, TokenRow},
        Backend, TokenStoreError,
    },
};

/// How much longer than a call to X a caller may wait: for its turn and a refresh connection
/// in this instance, and, once it has them, for the row lock.
const WAIT_BEYOND_CALL: Duration = Duration::from_secs(5);

/// The longest refresh call on SQLite. The refresh holds the database's write lock while X
/// answers, and the app's other writes wait for that lock at most the busy timeout (5 s): the
/// call must end, and the transaction commit, before they give up.
const SQLITE_CALL_CAP: Duration = Duration::from_secs(4);

impl Accounts {
    /// A usable OAuth 2.0 access token of the user `user_id`, to call X's API for them
    /// (`Authorization: Bearer`): the stored one while it is more than the
    /// [`refresh_margin`](super::AccountsBuilder::refresh_margin) from its expiry (or has
    /// none), else a refreshed one, stored with the rotated refresh token before it is handed
    /// out.
    ///
    /// A token is refreshed once however many requests, in however many instances of the app,
    /// ask at the same moment: the others wait and get the refreshed token. The refresh locks
    /// the user's token row while X answers (PostgreSQL: the row, `SELECT ... FOR UPDATE`;
    /// SQLite: the database's write lock, `BEGIN IMMEDIATE`), on a database connection of its
    /// own rather than one of the pool's, so the app's other database work goes on meanwhile.
    /// An instance has at most [`refresh_connections`](super::AccountsBuilder::refresh_connections)
    /// (default 4) of them open at once.
    ///
    /// The call to X takes at most the
    /// [`provider_timeout`](super::AccountsBuilder::provider_timeout); on SQLite at most 4 s,
    /// so that the app's other writes, which wait for the write lock at most the busy timeout
    /// (5 s), do not fail meanwhile. Reads on SQLite go on during a refresh (the database is in
    /// WAL mode). A caller waits for a refresh of the same user under way in this instance, and
    /// for a refresh connection, at most that call deadline and 5 s together, then fails with
    /// [`AccountError::Provider`]; the refresh itself waits for the row lock (a refresh in
    /// another instance) at most as long. Callers that were waiting for a refresh that failed
    /// for a passing reason (X unreachable, a timeout, 429, 5xx) get its error rather than each
    /// calling X in turn.
    ///
    /// # Security Warning
    /// The token acts for the user: never log it or show it.
    ///
    /// ```no_run
    /// use actix_twitter_login::accounts::{AccountError, Accounts};
    ///
    /// # async fn demo(accounts: Accounts, user_id: i32) -> Result<(), Box<dyn std::error::Error>> {
    /// match accounts.access_token(user_id).await {
    ///     Ok(token) => {
    ///         let bearer = format!("Bearer {}", token.token.expose());
    ///         // ... call X's API with it
    /// #       drop(bearer);
    ///     }
    ///     // Ask the user to sign in with X again.
    ///     Err(AccountError::NeedsReauthorization) => {}
    ///     Err(error) => return Err(error.into()),
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`AccountError::NotLinked`] when no tokens are stored for the user;
    /// [`AccountError::NotOAuth2`] when they are OAuth 1.0a token credentials;
    /// [`AccountError::NeedsReauthorization`] when X refused the refresh token (`invalid_grant`:
    /// revoked, or already used), or the token has expired without a refresh token: the link is
    /// marked so, and X is not asked again until the user signs in again;
    /// [`AccountError::NoClient`] when a refresh is due and no OAuth 2.0 client is configured;
    /// [`AccountError::Provider`] when X cannot be reached, times out or answers another error
    /// (the stored tokens are left as they were; should X have refreshed them and its answer
    /// been lost, their refresh token is spent, and the next refresh marks the link), when the
    /// refresh this caller waited for failed so, or when the wait for a turn or a refresh
    /// connection passed its deadline;
    /// [`AccountError::Store`] for a database error, a connection that cannot be opened or a
    /// row lock not had in time included.
    pub async fn access_token(&self, user_id: i32) -> Result<AccessToken, AccountError> {
        if let Freshness::Usable(token) = self.read_tokens(user_id).await? {
            return Ok(token);
        }
        self.inner().x.oauth2()?;
        let limits = self.refresh_limits();
        let bound = limits.timeout + WAIT_BEYOND_CALL;
        let deadline = Instant::now() + bound;
        let turn = match self.inner().refreshing.enter(user_id, deadline).await {
            Ok(turn) => turn,
            Err(NoTurn::Failed(reason)) => return Err(AccountError::Provider(reason)),
            Err(NoTurn::TimedOut) => {
                return Err(timed_out(bound, "the refresh of the token under way"))
            }
        };
        // The caller before this one may have refreshed it.
        if let Freshness::Usable(token) = self.read_tokens(user_id).await? {
            return Ok(token);
        }
        let slots = Arc::clone(&self.inner().refresh_slots);
        // The semaphore is never closed: an error is as good as a timeout.
        let left = deadline.saturating_duration_since(Instant::now());
        let Ok(Ok(slot)) = timeout(left, slots.acquire_owned()).await else {
            return Err(timed_out(bound, "a refresh connection"));
        };
        let accounts = self.clone();
        let refreshed = web::block(move || {
            let refreshed = accounts.refresh_locked(user_id, limits);
            drop(slot);
            refreshed
        })
        .await
        .map_err(|e| TokenStoreError::Database(e.to_string()))?;
        if let Err(AccountError::Provider(reason)) = &refreshed {
            turn.failed(reason.clone());
        }
        refreshed
    }

    /// The limits of a refresh call: the provider timeout, at most [`SQLITE_CALL_CAP`] on
    /// SQLite.
    fn refresh_limits(&self) -> Limits {
        let inner = self.inner();
        let mut limits = inner.x.limits;
        if inner.pool.backend() == Backend::Sqlite {
            limits.timeout = limits.timeout.min(SQLITE_CALL_CAP);
        }
        limits
    }

    /// The user's stored token, read without a lock, judged.
    async fn read_tokens(&self, user_id: i32) -> Result<Freshness, AccountError> {
        let accounts = self.clone();
        let row = web::block(move || {
            let inner = accounts.inner();
            token_lock::read(&inner.pool, &inner.keys, &inner.provider, user_id)
        })
        .await
        .map_err(|e| TokenStoreError::Database(e.to_string()))??;
        judge(row, self.inner().x.refresh_margin, SystemTime::now())
    }

    /// Locks the user's token row, and refreshes the token unless that is done, calling X
    /// within `limits`. Blocking.
    fn refresh_locked(&self, user_id: i32, limits: Limits) -> Result<AccessToken, AccountError> {
        let inner = self.inner();
        let client = inner.x.oauth2()?;
        let margin = inner.x.refresh_margin;
        let wait = limits.timeout + WAIT_BEYOND_CALL;
        token_lock::decide_locked::<_, AccountError, _>(
            &inner.pool,
            &inner.keys,
            &inner.provider,
            user_id,
            wait,
            |row| {
                let token = match judge(row, margin, SystemTime::now())? {
                    Freshness::Usable(token) => return Ok(Decision::Keep(Ok(token))),
                    Freshness::Stale(token) => token,
                };
                if token.refresh_token.is_none() {
                    if token.expires_at.is_some_and(|at| at <= SystemTime::now()) {
                        tracing::info!(
                            user_id,
                            "the access token has expired and there is no refresh token: \
                             the user must sign in with X again"
                        );
                        return Ok(Decision::MarkNeedsReauthorization(Err(
                            AccountError::NeedsReauthorization,
                        )));
                    }
                    // Nothing to refresh with: the token serves until it expires.
                    return Ok(Decision::Keep(Ok(token)));
                }
                match call_x(client, limits, &token) {
                    Ok(refreshed) => {
                        tracing::debug!(user_id, "refreshed the access token");
                        let stored = Credentials::OAuth2(refreshed.clone());
                        Ok(Decision::Replace(stored, Ok(refreshed)))
                    }
                    Err(error) if is_refused_grant(&error) => {
                        tracing::info!(
                            user_id,
                            %error,
                            "X refused the refresh token: the user must sign in with X again"
                        );
                        Ok(Decision::MarkNeedsReauthorization(Err(
                            AccountError::NeedsReauthorization,
                        )))
                    }
                    Err(error) => {
                        tracing::warn!(
                            user_id,
                            %error,
                            "the access token could not be refreshed; the stored tokens are kept"
                        );
                        Err(error.into())
                    }
                }
            },
        )?
    }
}

/// The error of a wait for `what` that passed its deadline, `bound` after it began.
fn timed_out(bound: Duration, what: &str) -> AccountError {
    AccountError::Provider(format!(
        "waited {bound:?} for {what} in vain: X may be slow or down"
    ))
}

/// A stored OAuth 2.0 access token: to hand out, or to refresh first.
enum Freshness {
    Usable(AccessToken),
    Stale(AccessToken),
}

/// What the stored row says: an error for no row, a marked row or OAuth 1.0a tokens; a token
/// without an expiry, or expiring more than `margin` after `now`, is usable.
fn judge(
    row: Option<TokenRow>,
    margin: Duration,
    now: SystemTime,
) -> Result<Freshness, AccountError> {
    let row = row.ok_or(AccountError::NotLinked)?;
    if row.needs_reauthorization {
        return Err(AccountError::NeedsReauthorization);
    }
    let token = match row.credentials {
        Credentials::OAuth2(token) => token,
        Credentials::OAuth1(_) => return Err(AccountError::NotOAuth2),
    };
    let usable = match token.expires_at {
        None => true,
        Some(at) => now.checked_add(margin).is_some_and(|due| at > due),
    };
    Ok(if usable {
        Freshness::Usable(token)
    } else {
        Freshness::Stale(token)
    })
}

/// The refresh call, made on this (blocking) thread on a runtime of its own.
fn call_x(
    client: &OAuth2Client,
    limits: Limits,
    token: &AccessToken,
) -> Result<AccessToken, ProviderError> {
    let unavailable = |reason: String| ProviderError::Network {
        endpoint: Endpoint::Refresh,
        reason,
    };
    let runtime = actix_web::rt::Runtime::new()
        .map_err(|e| unavailable(format!("no runtime for the call: {e}")))?;
    let client = RefreshClient {
        id: &client.id,
        secret: client.secret.as_ref(),
        token_url: &client.token_url,
        limits,
    };
    runtime
        .block_on(async { refresh(&http_client(), client, token).await })
        .unwrap_or_else(|| Err(unavailable("no refresh token".to_owned())))
}

#[cfg(test)]
mod tests;

//! Unlinking a user's X account, forgetting their tokens, and the revocations at X that go
//! with both.

use actix_web::web;

use super::{
    revoke::{self, Outcome, MAX_ATTEMPTS},
    AccountError, Accounts,
};
use crate::{
    middleware::http_client,
    store::{unlink as queue, TokenStoreError},
};

/// What [`Accounts::unlink`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Unlinked {
    /// Whether X confirmed every revocation right away. When not, they are queued and
    /// [`Accounts::retry_revocations`] makes them later; the unlink stands either way.
    pub revoked: bool,
}

/// What [`Accounts::retry_revocations`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Revocations {
    /// Revoked at X (or no longer valid there).
    pub revoked: usize,
    /// Failed for now; tried again later.
    pub retrying: usize,
    /// Refused by X for good, unreadable, or failed too often: off the queue, logged.
    pub given_up: usize,
}

/// What [`Accounts::sign_out_everywhere`] did.
#[cfg(feature = "redis")]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignedOut {
    /// The user's sessions deleted from Redis.
    pub sessions: usize,
    /// The revocations of the user's stored tokens at X.
    pub revocations: Revocations,
}

impl Accounts {
    /// Signs the user out everywhere: deletes every session of theirs from the Redis session
    /// store (see [`RedisSessions`](crate::RedisSessions)), then revokes and forgets their
    /// stored tokens as [`revoke_tokens`](Self::revoke_tokens) does. For a user who lost a
    /// device, or whose account was taken over. Their links stay: they sign in again as
    /// before.
    ///
    /// # Errors
    /// [`AccountError::Sessions`] when Redis fails (the tokens are then left as they were:
    /// try again), or the store's error.
    #[cfg(feature = "redis")]
    pub async fn sign_out_everywhere(
        &self,
        user_id: i32,
        sessions: &crate::RedisSessions,
    ) -> Result<SignedOut, AccountError> {
        let ended = sessions
            .sign_out_everywhere(&user_id.to_string())
            .await
            .map_err(|error| AccountError::Sessions(error.to_string()))?;
        let revocations = self.revoke_tokens(user_id).await?;
        Ok(SignedOut {
            sessions: ended,
            revocations,
        })
    }

    /// Unlinks the user's X account: its credential and stored tokens are deleted and the
    /// tokens revoked at X, unless it is the user's last way to sign in
    /// ([`AccountError::LastSignIn`]; see
    /// [`other_sign_in`](super::AccountsBuilder::other_sign_in)).
    ///
    /// The unlink is committed before X is asked: a revocation that fails (X down, slow or
    /// throttling) is logged and queued for [`retry_revocations`](Self::retry_revocations),
    /// and never undoes or blocks the unlink. The wait for X is bounded by the provider
    /// timeout.
    ///
    /// # Errors
    /// [`AccountError::NotLinked`], [`AccountError::LastSignIn`], or the store's error.
    pub async fn unlink(&self, user_id: i32) -> Result<Unlinked, AccountError> {
        let accounts = self.clone();
        let unlinked = web::block(move || {
            let inner = accounts.inner();
            let other_sign_in = inner
                .other_sign_in
                .as_ref()
                .is_some_and(|has| has.0(user_id));
            let mut conn = inner.pool.get().map_err(database)?;
            queue::unlink(&mut conn, &inner.provider, user_id, other_sign_in).map_err(database)
        })
        .await
        .map_err(database)??;
        let queued = match unlinked {
            queue::Unlinked::Done { queued } => queued,
            queue::Unlinked::NotLinked => return Err(AccountError::NotLinked),
            queue::Unlinked::LastSignIn => return Err(AccountError::LastSignIn),
        };
        tracing::info!(user_id, "unlinked an X account");
        // The unlink is committed: whatever happens now, it stands, and the revocations stay
        // queued until they are made.
        let revoked = match self.revoke_queued(Some(queued)).await {
            Ok(done) => done.retrying == 0 && done.given_up == 0,
            Err(error) => {
                tracing::warn!(user_id, %error, "revocations left queued for later");
                false
            }
        };
        Ok(Unlinked { revoked })
    }

    /// Revokes every stored token of the user at X and deletes them; the link stays, so the
    /// user can still sign in with X (and is asked again for access). The app can no longer
    /// act for the user until they do. Revocations that fail are queued as for
    /// [`unlink`](Self::unlink).
    ///
    /// # Errors
    /// The store's error.
    pub async fn revoke_tokens(&self, user_id: i32) -> Result<Revocations, AccountError> {
        let accounts = self.clone();
        let queued = web::block(move || {
            let inner = accounts.inner();
            let mut conn = inner.pool.get().map_err(database)?;
            queue::forget_tokens(&mut conn, &inner.provider, user_id).map_err(database)
        })
        .await
        .map_err(database)??;
        tracing::info!(
            user_id,
            tokens = queued.len(),
            "revoking a user's stored tokens"
        );
        self.revoke_queued(Some(queued)).await
    }

    /// Makes the revocations that are due: those that failed before and whose wait is over.
    /// Call it from a timer (every few minutes), on one instance or several: each revocation
    /// is safe to make twice.
    ///
    /// # Errors
    /// The store's error; X's failures are counted, not returned.
    pub async fn retry_revocations(&self) -> Result<Revocations, AccountError> {
        self.revoke_queued(None).await
    }

    async fn revoke_queued(&self, only: Option<Vec<i32>>) -> Result<Revocations, AccountError> {
        let mut done = Revocations::default();
        if only.as_ref().is_some_and(Vec::is_empty) {
            return Ok(done);
        }
        let accounts = self.clone();
        let due = web::block(move || {
            let inner = accounts.inner();
            let mut conn = inner.pool.get().map_err(database)?;
            queue::due(&mut conn, &inner.keys, only.as_deref(), 500).map_err(database)
        })
        .await
        .map_err(database)??;
        let http = http_client();
        for revocation in due {
            let outcome = match &revocation.credentials {
                Ok(credentials) => {
                    match revoke::revoke(&http, &self.inner().x, credentials).await {
                        Ok(outcome) => outcome,
                        Err(error) => {
                            tracing::error!(id = revocation.id, %error, "cannot revoke a token");
                            Outcome::Later
                        }
                    }
                }
                Err(error) => {
                    tracing::error!(id = revocation.id, %error, "a queued revocation is unreadable");
                    Outcome::Refused
                }
            };
            let attempts = revocation.attempts.saturating_add(1);
            let outcome = match outcome {
                Outcome::Later if attempts >= MAX_ATTEMPTS => {
                    tracing::error!(id = revocation.id, attempts, "revocation given up");
                    Outcome::Refused
                }
                other => other,
            };
            match outcome {
                Outcome::Done => done.revoked += 1,
                Outcome::Refused => done.given_up += 1,
                Outcome::Later => {
                    tracing::warn!(
                        id = revocation.id,
                        attempts,
                        "revocation failed; retrying later"
                    );
                    done.retrying += 1;
                }
            }
            let accounts = self.clone();
            let id = revocation.id;
            web::block(move || {
                let mut conn = accounts.inner().pool.get().map_err(database)?;
                match outcome {
                    Outcome::Later => {
                        let wait = revoke::wait_after(attempts - 1).as_secs();
                        let next = queue::now().saturating_add(i64::try_from(wait).unwrap_or(0));
                        queue::retry_at(&mut conn, id, attempts, next)
                    }
                    Outcome::Done | Outcome::Refused => queue::remove(&mut conn, id),
                }
                .map_err(database)
            })
            .await
            .map_err(database)??;
        }
        Ok(done)
    }
}

/// A store failure as an [`AccountError`].
fn database(error: impl std::fmt::Display) -> AccountError {
    AccountError::Store(TokenStoreError::Database(error.to_string()))
}

//! [`DieselResolver`]: the [`ResolveUser`] step backed by the store.

use std::sync::Arc;

use actix_web::web;
use futures_core::future::LocalBoxFuture;

use super::{
    availability::resolve_error, find::find_or_create_at, keys::TokenKeys, link, pool::Pool,
    token_lock, tokens, tokens::TokenStoreError, PROVIDER,
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

    /// The token credentials stored for the user `user_id`'s account at this resolver's
    /// provider, opened; `None` when none are stored. Blocking: call it in
    /// `actix_web::web::block`.
    ///
    /// # Errors
    /// [`TokenStoreError::NoKeys`] without [`store_tokens`](Self::store_tokens); a database
    /// error; a row sealed under a key the ring does not hold, or altered.
    pub fn stored_credentials(&self, user_id: i32) -> Result<Option<Credentials>, TokenStoreError> {
        let keys = self.token_keys.as_ref().ok_or(TokenStoreError::NoKeys)?;
        token_lock::read(self.pool(), keys, self.provider_name(), user_id)
            .map(|row| row.map(|row| row.credentials))
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
        let store = (
            self.pool.clone(),
            Arc::clone(&self.provider),
            self.token_keys.clone(),
        );
        Box::pin(link::verdict(
            store,
            user_id.to_owned(),
            credentials,
            profile,
        ))
    }
}

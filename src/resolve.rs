//! The resolve step: the app decides who a Twitter profile is, like passport's
//! `verify(token, tokenSecret, profile, done)`.

use std::{error::Error as StdError, fmt, future::Future};

use futures_core::future::LocalBoxFuture;

use crate::{credentials::Credentials, profile::Profile};

/// What the resolve step decided, passport's `done(null, user)` and `done(null, false, info)`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Verdict {
    /// Log this user in: the id is stored with actix-identity.
    User(String),
    /// No user for this profile: a login failure, with an optional message for the login page
    /// (it replaces the built-in text when failure messages are on).
    NoUser(Option<String>),
}

/// What kind of failure a [`ResolveError`] is; it picks the HTTP status when there is no
/// failure redirect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResolveErrorKind {
    /// A dependency (the database, a pool) is unavailable for now: 503.
    Unavailable,
    /// Anything else: 500.
    Internal,
}

/// An error in the resolve step, passport's `done(err)`. Its text goes to the log only; the user
/// sees a short generic message.
#[derive(Debug)]
pub struct ResolveError {
    kind: ResolveErrorKind,
    source: Box<dyn StdError + Send + Sync>,
}

impl ResolveError {
    /// A dependency is unavailable for now (503).
    pub fn unavailable(source: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        Self {
            kind: ResolveErrorKind::Unavailable,
            source: source.into(),
        }
    }

    /// Any other error (500).
    pub fn internal(source: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        Self {
            kind: ResolveErrorKind::Internal,
            source: source.into(),
        }
    }

    /// The kind of failure.
    pub fn kind(&self) -> ResolveErrorKind {
        self.kind
    }
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "resolving the user failed: {}", self.source)
    }
}

impl StdError for ResolveError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&*self.source)
    }
}

/// Decides which local user a signed-in Twitter profile is.
///
/// Implemented for every `Fn(Credentials, Profile) -> impl Future<Output = Result<Verdict,
/// ResolveError>>`, so a closure works as well as a type:
///
/// ```
/// use actix_twitter_login::{Verdict, ResolveUser};
///
/// fn assert_resolve_user(_: impl ResolveUser) {}
/// assert_resolve_user(|_credentials, profile: actix_twitter_login::Profile| async move {
///     // By id: a username can change hands.
///     Ok(if profile.id == "783214" {
///         Verdict::NoUser(Some("This account may not sign in.".into()))
///     } else {
///         Verdict::User(format!("twitter:{}", profile.id))
///     })
/// });
/// ```
pub trait ResolveUser: Send + Sync + 'static {
    /// Maps token credentials and profile to a [`Verdict`].
    ///
    /// The future runs on the request's worker thread: do blocking work (Diesel) in
    /// `actix_web::web::block`.
    fn resolve(
        &self,
        credentials: Credentials,
        profile: Profile,
    ) -> LocalBoxFuture<'static, Result<Verdict, ResolveError>>;

    /// Links the X account of `profile` to the signed-in user `user_id` (the identity
    /// actix-identity holds), after a link the user started from this site
    /// ([`account_form_token`](crate::account_form_token)) came back approved.
    /// [`Verdict::User`] says the account is now that user's; [`Verdict::NoUser`] refuses,
    /// with the message the user is shown (for an account that belongs to another user, say
    /// so: never move it, never merge the users).
    ///
    /// The default refuses every link: a resolver that maps profiles to identities without a
    /// store of its own has nothing to link to. [`DieselResolver`](crate::store::DieselResolver)
    /// links.
    ///
    /// ```
    /// use actix_twitter_login::{
    ///     Credentials, Profile, ProfileIdResolver, ResolveUser, Secret, TokenCredentials, Verdict,
    /// };
    ///
    /// # actix_web::rt::System::new().block_on(async {
    /// let credentials = Credentials::OAuth1(TokenCredentials {
    ///     token: "token".into(),
    ///     secret: Secret::new("secret"),
    /// });
    /// let verdict = ProfileIdResolver
    ///     .link("7", credentials, Profile::new("12", "jack"))
    ///     .await
    ///     .unwrap();
    /// assert!(matches!(verdict, Verdict::NoUser(Some(_))));
    /// # });
    /// ```
    fn link(
        &self,
        user_id: &str,
        credentials: Credentials,
        profile: Profile,
    ) -> LocalBoxFuture<'static, Result<Verdict, ResolveError>> {
        let _ = (user_id, credentials, profile);
        Box::pin(async {
            Ok(Verdict::NoUser(Some(
                "Connecting an X account to your account is not available here.".to_owned(),
            )))
        })
    }
}

impl<F, Fut> ResolveUser for F
where
    F: Fn(Credentials, Profile) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Verdict, ResolveError>> + 'static,
{
    fn resolve(
        &self,
        credentials: Credentials,
        profile: Profile,
    ) -> LocalBoxFuture<'static, Result<Verdict, ResolveError>> {
        Box::pin((self)(credentials, profile))
    }
}

/// The default resolver: the Twitter user id, as `twitter:<id>`, is the identity. No database.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProfileIdResolver;

impl ResolveUser for ProfileIdResolver {
    fn resolve(
        &self,
        _credentials: Credentials,
        profile: Profile,
    ) -> LocalBoxFuture<'static, Result<Verdict, ResolveError>> {
        Box::pin(async move { Ok(Verdict::User(format!("twitter:{}", profile.id))) })
    }
}

#[cfg(test)]
mod tests {
    use std::{error::Error as _, io};

    use super::{ResolveError, ResolveErrorKind};

    #[test]
    fn a_resolve_error_keeps_its_cause_for_the_error_chain() {
        let cause = io::Error::new(io::ErrorKind::ConnectionRefused, "the database is down");
        let error = ResolveError::unavailable(cause);
        assert_eq!(error.kind(), ResolveErrorKind::Unavailable);
        let source = error.source().expect("the cause");
        let cause = source.downcast_ref::<io::Error>().expect("the io error");
        assert_eq!(cause.kind(), io::ErrorKind::ConnectionRefused);
        assert_eq!(
            error.to_string(),
            "resolving the user failed: the database is down"
        );
    }
}

//! The builder's options for the OAuth 1.0a exchange: where the user is sent, and where the
//! profile comes from.

use super::TwitterLoginMiddlewareBuilder;
use crate::{oauth1::ProfileErrorPolicy, profile::ProfileSource};

impl TwitterLoginMiddlewareBuilder {
    /// Sends the user to `oauth/authorize` (always asks for approval) instead of
    /// `oauth/authenticate` (skips it for users who approved before). Default: `false`.
    ///
    /// ```
    /// # use actix_twitter_login::TwitterLoginMiddleware;
    /// let builder = TwitterLoginMiddleware::builder("key", "secret", "http://127.0.0.1:8080/cb")
    ///     .use_authorize(true);
    /// assert!(builder.build().is_ok());
    /// ```
    pub fn use_authorize(mut self, on: bool) -> Self {
        self.use_authorize = on;
        self
    }

    /// Adds `force_login=true`: the user must enter their credentials even if signed in to X.
    /// Default: `false`.
    ///
    /// ```
    /// # use actix_twitter_login::TwitterLoginMiddleware;
    /// let builder = TwitterLoginMiddleware::builder("key", "secret", "http://127.0.0.1:8080/cb")
    ///     .force_login(true);
    /// assert!(builder.build().is_ok());
    /// ```
    pub fn force_login(mut self, on: bool) -> Self {
        self.force_login = on;
        self
    }

    /// Adds `screen_name=...` to prefill the X sign-in form. Default: none.
    ///
    /// ```
    /// # use actix_twitter_login::TwitterLoginMiddleware;
    /// let builder = TwitterLoginMiddleware::builder("key", "secret", "http://127.0.0.1:8080/cb")
    ///     .screen_name("alice");
    /// assert!(builder.build().is_ok());
    /// ```
    pub fn screen_name(mut self, screen_name: impl Into<String>) -> Self {
        self.screen_name = Some(screen_name.into());
        self
    }

    /// Where the profile comes from. Default: [`ProfileSource::UsersMe`] (`GET /2/users/me`).
    ///
    /// ```
    /// # use actix_twitter_login::{ProfileSource, TwitterLoginMiddleware};
    /// let builder = TwitterLoginMiddleware::builder("key", "secret", "http://127.0.0.1:8080/cb")
    ///     .profile_source(ProfileSource::AccessToken); // no extra call, no cost
    /// assert!(builder.build().is_ok());
    /// ```
    pub fn profile_source(mut self, source: ProfileSource) -> Self {
        self.profile_source = source;
        self
    }

    /// The `user.fields` asked of `/2/users/me`. Default: `id,name,username,profile_image_url`
    /// (`confirmed_email` is added with [`include_email`](Self::include_email)).
    ///
    /// ```
    /// # use actix_twitter_login::TwitterLoginMiddleware;
    /// let builder = TwitterLoginMiddleware::builder("key", "secret", "http://127.0.0.1:8080/cb")
    ///     .user_fields("id,name,username,verified");
    /// assert!(builder.build().is_ok());
    /// ```
    pub fn user_fields(mut self, fields: impl Into<String>) -> Self {
        self.user_fields = fields.into();
        self
    }

    /// Asks for the user's email (`include_email=true` on v1.1, `confirmed_email` on v2); the
    /// app needs X's email permission. Default: `false`.
    ///
    /// ```
    /// # use actix_twitter_login::TwitterLoginMiddleware;
    /// let builder = TwitterLoginMiddleware::builder("key", "secret", "http://127.0.0.1:8080/cb")
    ///     .include_email(true);
    /// assert!(builder.build().is_ok());
    /// ```
    pub fn include_email(mut self, on: bool) -> Self {
        self.include_email = on;
        self
    }

    /// What a failed profile call does. Default: [`ProfileErrorPolicy::UseAccessToken`]
    /// (continue with `user_id`/`screen_name` from the access-token reply, log a warning).
    ///
    /// ```
    /// # use actix_twitter_login::{ProfileErrorPolicy, TwitterLoginMiddleware};
    /// let builder = TwitterLoginMiddleware::builder("key", "secret", "http://127.0.0.1:8080/cb")
    ///     .on_profile_error(ProfileErrorPolicy::Fail);
    /// assert!(builder.build().is_ok());
    /// ```
    pub fn on_profile_error(mut self, policy: ProfileErrorPolicy) -> Self {
        self.on_profile_error = policy;
        self
    }
}

//! The builder's options for the OAuth 1.0a exchange (refused on an OAuth 2.0 builder): where
//! the user is sent, and where the profile comes from.

use super::{
    protocols::{provider_url, MAX_REPLY_BYTES, OAUTH1},
    TwitterLoginMiddlewareBuilder,
};
use crate::{
    credentials::Secret,
    error::ConfigError,
    oauth1::{self, ClientCredentials, Endpoints, ProfileErrorPolicy},
    profile::ProfileSource,
};

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
        self.only_for(OAUTH1, "use_authorize")
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
        self.only_for(OAUTH1, "force_login")
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
        self.only_for(OAUTH1, "screen_name")
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
        self.only_for(OAUTH1, "profile_source")
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
        self.only_for(OAUTH1, "on_profile_error")
    }
}

/// The OAuth 1.0a client of an OAuth 1.0a builder.
pub(super) fn client(
    b: &TwitterLoginMiddlewareBuilder,
    consumer_key: &str,
    consumer_secret: &Secret,
    user_fields: String,
) -> Result<oauth1::Client, ConfigError> {
    if consumer_key.trim().is_empty() {
        return Err(ConfigError::Empty {
            option: "consumer_key",
        });
    }
    if consumer_secret.expose().is_empty() {
        return Err(ConfigError::Empty {
            option: "consumer_secret",
        });
    }
    Ok(oauth1::Client {
        credentials: ClientCredentials {
            key: consumer_key.to_owned(),
            secret: consumer_secret.clone(),
        },
        callback: b.callback_url.clone(),
        endpoints: endpoints(b)?,
        force_login: b.force_login,
        screen_name: b.screen_name.clone().filter(|s| !s.is_empty()),
        profile_source: b.profile_source,
        user_fields,
        include_email: b.include_email,
        on_profile_error: b.on_profile_error,
        timeout: b.provider_timeout,
        max_reply_bytes: MAX_REPLY_BYTES,
    })
}

/// The five provider URLs: each one given, or derived from the API base URL.
fn endpoints(b: &TwitterLoginMiddlewareBuilder) -> Result<Endpoints, ConfigError> {
    let url = |option, given: &Option<String>, rel, signed: bool| {
        provider_url(b, option, given.as_deref(), rel, !signed)
    };
    let authenticate = if b.use_authorize {
        "oauth/authorize"
    } else {
        "oauth/authenticate"
    };
    Ok(Endpoints {
        request_token: url(
            "request_token_url",
            &b.request_token_url,
            "oauth/request_token",
            true,
        )?
        .into(),
        authenticate: url("authenticate_url", &b.authenticate_url, authenticate, false)?,
        access_token: url(
            "access_token_url",
            &b.access_token_url,
            "oauth/access_token",
            true,
        )?
        .into(),
        users_me: url("users_me_url", &b.users_me_url, "2/users/me", true)?.into(),
        verify_credentials: url(
            "verify_credentials_url",
            &b.verify_credentials_url,
            "1.1/account/verify_credentials.json",
            true,
        )?
        .into(),
    })
}

//! The builder's provider URL overrides, each derived from the API base URL by default.

use super::{protocols::OAUTH1, TwitterLoginMiddlewareBuilder};

impl TwitterLoginMiddlewareBuilder {
    /// Overrides the request-token URL. Default: `{api_base_url}/oauth/request_token`.
    ///
    /// ```
    /// # use actix_twitter_login::TwitterLoginMiddleware;
    /// let builder = TwitterLoginMiddleware::builder("key", "secret", "http://127.0.0.1:8080/cb")
    ///     .request_token_url("https://api.twitter.com/oauth/request_token");
    /// assert!(builder.build().is_ok());
    /// ```
    pub fn request_token_url(mut self, url: impl Into<String>) -> Self {
        self.request_token_url = Some(url.into());
        self.only_for(OAUTH1, "request_token_url")
    }

    /// Overrides the URL the user is sent to. Default: `{api_base_url}/oauth/authenticate`
    /// (or `/oauth/authorize` with [`use_authorize`](Self::use_authorize)). Its own query
    /// parameters are kept.
    ///
    /// ```
    /// # use actix_twitter_login::TwitterLoginMiddleware;
    /// let builder = TwitterLoginMiddleware::builder("key", "secret", "http://127.0.0.1:8080/cb")
    ///     .authenticate_url("https://api.twitter.com/oauth/authenticate?lang=en");
    /// assert!(builder.build().is_ok());
    /// ```
    pub fn authenticate_url(mut self, url: impl Into<String>) -> Self {
        self.authenticate_url = Some(url.into());
        self.only_for(OAUTH1, "authenticate_url")
    }

    /// Overrides the access-token URL. Default: `{api_base_url}/oauth/access_token`.
    ///
    /// ```
    /// # use actix_twitter_login::TwitterLoginMiddleware;
    /// let builder = TwitterLoginMiddleware::builder("key", "secret", "http://127.0.0.1:8080/cb")
    ///     .access_token_url("https://api.twitter.com/oauth/access_token");
    /// assert!(builder.build().is_ok());
    /// ```
    pub fn access_token_url(mut self, url: impl Into<String>) -> Self {
        self.access_token_url = Some(url.into());
        self.only_for(OAUTH1, "access_token_url")
    }

    /// Overrides the v2 profile URL. Default: `{api_base_url}/2/users/me`.
    ///
    /// ```
    /// # use actix_twitter_login::TwitterLoginMiddleware;
    /// let builder = TwitterLoginMiddleware::builder("key", "secret", "http://127.0.0.1:8080/cb")
    ///     .users_me_url("https://api.twitter.com/2/users/me");
    /// assert!(builder.build().is_ok());
    /// ```
    pub fn users_me_url(mut self, url: impl Into<String>) -> Self {
        self.users_me_url = Some(url.into());
        self
    }

    /// Overrides the v1.1 profile URL. Default:
    /// `{api_base_url}/1.1/account/verify_credentials.json`.
    ///
    /// ```
    /// # use actix_twitter_login::TwitterLoginMiddleware;
    /// let builder = TwitterLoginMiddleware::builder("key", "secret", "http://127.0.0.1:8080/cb")
    ///     .verify_credentials_url("https://api.twitter.com/1.1/account/verify_credentials.json");
    /// assert!(builder.build().is_ok());
    /// ```
    pub fn verify_credentials_url(mut self, url: impl Into<String>) -> Self {
        self.verify_credentials_url = Some(url.into());
        self.only_for(OAUTH1, "verify_credentials_url")
    }
}

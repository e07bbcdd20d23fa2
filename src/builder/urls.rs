//! The builder's provider URL overrides, each derived from the API base URL by default, and the
//! one option that lets them be plain http to any host.

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

    /// Allows provider URLs that are plain `http` to any host. Default: `false`: every
    /// provider URL ([`api_base_url`](Self::api_base_url) and the URLs derived from it, each
    /// URL set one by one, and OAuth 2.0's [`authorize_url`](Self::authorize_url)) must be
    /// `https`, or plain `http` to a loopback host (an address in 127.0.0.0/8, `::1`, or the
    /// name `localhost`), and `build()` refuses any other with
    /// [`ConfigError::InsecureUrl`](crate::ConfigError::InsecureUrl).
    ///
    /// # Security warning
    ///
    /// Never for X, never in production. The provider's answer to the token request (OAuth
    /// 1.0a's `access_token` with its `user_id`, OAuth 2.0's token and `/2/users/me`) is what
    /// signs a user in. Over plain http, a provider that is not the one you meant, or anyone on
    /// the path to it, can answer it with any `user_id` and sign anyone in as anyone; they also
    /// read the users' tokens (and an OAuth 2.0 client secret) and can show users a sign-in
    /// page of their own. Turn it on only for a test provider on a network you control.
    ///
    /// ```
    /// # use actix_twitter_login::{ConfigError, TwitterLoginMiddleware};
    /// let builder = || {
    ///     TwitterLoginMiddleware::builder("key", "secret", "http://127.0.0.1:8080/cb")
    ///         .api_base_url("http://test-provider.internal:9000")
    /// };
    /// let refused = builder().build().err();
    /// assert!(matches!(refused, Some(ConfigError::InsecureUrl { option: "api_base_url", .. })));
    /// // A test provider in another container of a test setup:
    /// assert!(builder().allow_insecure_provider_urls(true).build().is_ok());
    /// ```
    pub fn allow_insecure_provider_urls(mut self, allow: bool) -> Self {
        self.allow_insecure_provider_urls = allow;
        self
    }
}

/// The transport rule every provider URL meets (`validate::http_url`).
#[cfg(test)]
mod tests {
    use crate::{error::ConfigError, validate::http_url};

    fn checked(value: &str, insecure_allowed: bool) -> Result<(), ConfigError> {
        http_url("api_base_url", value, true, insecure_allowed).map(drop)
    }

    #[test]
    fn plain_http_is_refused_unless_the_host_is_loopback() {
        for refused in [
            "http://example.com",
            "http://localhost.example.com",
            "http://127.0.0.1.nip.io",
            "http://128.0.0.1/",
            "http://[::2]/",
        ] {
            let expected = ConfigError::InsecureUrl {
                option: "api_base_url",
                value: refused.to_owned(),
            };
            assert_eq!(checked(refused, false), Err(expected), "{refused}");
        }
        for accepted in [
            "https://example.com",
            "https://localhost.example.com",
            "http://127.0.0.1:9/",
            "http://127.5.6.7/",
            "http://[::1]:8080/",
            "http://localhost:8080/",
            "http://LOCALHOST/",
        ] {
            assert_eq!(checked(accepted, false), Ok(()), "{accepted}");
        }
    }

    #[test]
    fn the_opt_in_accepts_plain_http_to_any_host_and_nothing_else() {
        assert_eq!(checked("http://example.com", true), Ok(()));
        assert!(matches!(
            checked("ftp://example.com", true),
            Err(ConfigError::Url { .. })
        ));
    }
}

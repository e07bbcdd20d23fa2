//! The builder that validates into a [`TwitterLoginMiddleware`] middleware.

mod build;
mod oauth1;
mod oauth2;
mod protocols;
mod start;
mod urls;

use std::time::Duration;

use crate::{
    config::{FailureMessage, DEFAULT_API_BASE_URL, DEFAULT_LINK_PATH, DEFAULT_LOGIN_PATH},
    credentials::Secret,
    error::ConfigError,
    middleware::TwitterLoginMiddleware,
    oauth1::ProfileErrorPolicy,
    profile::ProfileSource,
    resolve::{ProfileIdResolver, ResolveUser},
    templates::Templates,
};

/// Builds a [`TwitterLoginMiddleware`] middleware; see each method for its default.
///
/// ```
/// use actix_twitter_login::TwitterLoginMiddleware;
///
/// let twitter = TwitterLoginMiddleware::builder("key", "secret", "http://127.0.0.1:8080/oauth/callback/twitter")
///     .failure_redirect("/login")
///     .failure_message(true)
///     .build()
///     .expect("valid configuration");
/// # drop(twitter);
/// ```
#[must_use]
pub struct TwitterLoginMiddlewareBuilder {
    pub(crate) client: protocols::ClientSettings,
    /// The first option given that belongs to the other protocol: `(option, protocol)`.
    pub(crate) misapplied: Option<(&'static str, &'static str)>,
    /// The callback URL (OAuth 2.0: the redirect URI).
    pub(crate) callback_url: String,
    pub(crate) login_path: String,
    pub(crate) link_path: String,
    pub(crate) api_base_url: String,
    pub(crate) request_token_url: Option<String>,
    pub(crate) authenticate_url: Option<String>,
    pub(crate) access_token_url: Option<String>,
    pub(crate) users_me_url: Option<String>,
    pub(crate) verify_credentials_url: Option<String>,
    pub(crate) allow_insecure_provider_urls: bool,
    pub(crate) use_authorize: bool,
    pub(crate) force_login: bool,
    pub(crate) screen_name: Option<String>,
    pub(crate) profile_source: ProfileSource,
    pub(crate) user_fields: String,
    pub(crate) include_email: bool,
    pub(crate) on_profile_error: ProfileErrorPolicy,
    pub(crate) success_redirect: String,
    pub(crate) failure_redirect: Option<String>,
    pub(crate) failure_message: FailureMessage,
    pub(crate) session_key: String,
    pub(crate) provider_timeout: Duration,
    pub(crate) max_pending_logins: usize,
    pub(crate) pending_login_ttl: Duration,
    pub(crate) resolver: Box<dyn ResolveUser>,
    pub(crate) templates: Templates,
    pub(crate) resolve_timeout: Duration,
    pub(crate) return_to_param: String,
    pub(crate) login_rate_limit: Option<(u32, Duration)>,
    pub(crate) rate_limit_key: Option<crate::guard::KeyFn>,
    pub(crate) max_in_flight_provider_calls: usize,
    pub(crate) post_login_start: bool,
    #[cfg(feature = "redis")]
    pub(crate) shared_spent: Option<crate::RedisSpentTokens>,
}

impl std::fmt::Debug for TwitterLoginMiddlewareBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TwitterLoginMiddlewareBuilder")
            .field("client", &self.client)
            .field("callback_url", &self.callback_url)
            .field("login_path", &self.login_path)
            .field("link_path", &self.link_path)
            .field("api_base_url", &self.api_base_url)
            .finish_non_exhaustive()
    }
}

impl TwitterLoginMiddleware {
    /// A builder with the three required values: the consumer key and secret (X's "API Key"
    /// and "API Key Secret") and the callback URL registered with X. The callback route is the
    /// callback URL's path.
    ///
    /// ```
    /// # use actix_twitter_login::TwitterLoginMiddleware;
    /// let twitter = TwitterLoginMiddleware::builder("key", "secret", "http://127.0.0.1:8080/oauth/callback/twitter")
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(twitter.callback_path(), "/oauth/callback/twitter");
    /// ```
    pub fn builder(
        consumer_key: impl Into<String>,
        consumer_secret: impl Into<String>,
        callback_url: impl Into<String>,
    ) -> TwitterLoginMiddlewareBuilder {
        TwitterLoginMiddlewareBuilder::new(consumer_key, consumer_secret, callback_url)
    }

    /// The middleware with every default: `builder(..).build()`.
    ///
    /// # Errors
    /// See [`TwitterLoginMiddlewareBuilder::build`].
    pub fn new(
        consumer_key: impl Into<String>,
        consumer_secret: impl Into<String>,
        callback_url: impl Into<String>,
    ) -> Result<Self, ConfigError> {
        Self::builder(consumer_key, consumer_secret, callback_url).build()
    }
}

impl TwitterLoginMiddlewareBuilder {
    pub(crate) fn new(
        consumer_key: impl Into<String>,
        consumer_secret: impl Into<String>,
        callback_url: impl Into<String>,
    ) -> Self {
        let client = protocols::ClientSettings::OAuth1 {
            consumer_key: consumer_key.into(),
            consumer_secret: Secret::new(consumer_secret),
        };
        Self::with_client(client, callback_url.into())
    }

    pub(crate) fn with_client(client: protocols::ClientSettings, callback_url: String) -> Self {
        Self {
            client,
            misapplied: None,
            callback_url,
            login_path: DEFAULT_LOGIN_PATH.to_owned(),
            link_path: DEFAULT_LINK_PATH.to_owned(),
            api_base_url: DEFAULT_API_BASE_URL.to_owned(),
            request_token_url: None,
            authenticate_url: None,
            access_token_url: None,
            users_me_url: None,
            verify_credentials_url: None,
            allow_insecure_provider_urls: false,
            use_authorize: false,
            force_login: false,
            screen_name: None,
            profile_source: ProfileSource::default(),
            user_fields: "id,name,username,profile_image_url".to_owned(),
            include_email: false,
            on_profile_error: ProfileErrorPolicy::default(),
            success_redirect: "/".to_owned(),
            failure_redirect: None,
            failure_message: FailureMessage::default(),
            session_key: "oauth:twitter".to_owned(),
            provider_timeout: Duration::from_secs(10),
            max_pending_logins: 4,
            pending_login_ttl: Duration::from_secs(15 * 60),
            resolver: Box::new(ProfileIdResolver),
            templates: Templates::default(),
            resolve_timeout: Duration::from_secs(10),
            return_to_param: start::DEFAULT_RETURN_TO_PARAM.to_owned(),
            login_rate_limit: Some((start::DEFAULT_LOGIN_RATE, Duration::from_secs(60))),
            rate_limit_key: None,
            max_in_flight_provider_calls: start::DEFAULT_MAX_IN_FLIGHT,
            post_login_start: false,
            #[cfg(feature = "redis")]
            shared_spent: None,
        }
    }

    /// The path that starts a login with `GET`. Default: `/login/twitter`.
    ///
    /// ```
    /// # use actix_twitter_login::TwitterLoginMiddleware;
    /// let builder = TwitterLoginMiddleware::builder("key", "secret", "http://127.0.0.1:8080/cb")
    ///     .login_path("/auth/twitter");
    /// assert!(builder.build().is_ok());
    /// ```
    pub fn login_path(mut self, path: impl Into<String>) -> Self {
        self.login_path = path.into();
        self
    }

    /// The API base URL from which the provider URLs derive: `2/users/me`; with OAuth 1.0a
    /// `oauth/request_token`, `oauth/authenticate`, `oauth/access_token` and
    /// `1.1/account/verify_credentials.json`; with OAuth 2.0 `2/oauth2/token`.
    /// Default: `https://api.x.com` (`https://api.twitter.com` is the same API). Plain `http`
    /// only to a loopback host, as for every provider URL (see
    /// [`allow_insecure_provider_urls`](Self::allow_insecure_provider_urls)).
    ///
    /// ```
    /// # use actix_twitter_login::TwitterLoginMiddleware;
    /// let builder = TwitterLoginMiddleware::builder("key", "secret", "http://127.0.0.1:8080/cb")
    ///     .api_base_url("http://127.0.0.1:9000");
    /// assert!(builder.build().is_ok());
    /// ```
    pub fn api_base_url(mut self, url: impl Into<String>) -> Self {
        self.api_base_url = url.into();
        self
    }

    /// Where a successful login redirects: a path starting with `/`, or an absolute http(s)
    /// URL. Default: `/`.
    ///
    /// ```
    /// # use actix_twitter_login::TwitterLoginMiddleware;
    /// let builder = TwitterLoginMiddleware::builder("key", "secret", "http://127.0.0.1:8080/cb")
    ///     .success_redirect("/home");
    /// assert!(builder.build().is_ok());
    /// ```
    pub fn success_redirect(mut self, target: impl Into<String>) -> Self {
        self.success_redirect = target.into();
        self
    }

    /// Where a failed login redirects. Default: none, which answers with a small HTML page
    /// and a 4xx/5xx status (401 when the user cancelled or was refused).
    ///
    /// ```
    /// # use actix_twitter_login::TwitterLoginMiddleware;
    /// let builder = TwitterLoginMiddleware::builder("key", "secret", "http://127.0.0.1:8080/cb")
    ///     .failure_redirect("/login");
    /// assert!(builder.build().is_ok());
    /// ```
    pub fn failure_redirect(mut self, target: impl Into<String>) -> Self {
        self.failure_redirect = Some(target.into());
        self
    }

    /// What a failure pushes onto the session's `messages` list: `true` for the built-in text
    /// of each failure, `false` for nothing, or a string used for every failure.
    /// Default: `false`.
    ///
    /// ```
    /// # use actix_twitter_login::TwitterLoginMiddleware;
    /// let builder = TwitterLoginMiddleware::builder("key", "secret", "http://127.0.0.1:8080/cb")
    ///     .failure_message("Sign-in with Twitter failed.");
    /// assert!(builder.build().is_ok());
    /// ```
    pub fn failure_message(mut self, message: impl Into<FailureMessage>) -> Self {
        self.failure_message = message.into();
        self
    }

    /// The session key under which pending logins (temporary credentials) are kept.
    /// Default: `oauth:twitter`.
    ///
    /// ```
    /// # use actix_twitter_login::TwitterLoginMiddleware;
    /// let builder = TwitterLoginMiddleware::builder("key", "secret", "http://127.0.0.1:8080/cb")
    ///     .session_key("oauth:x");
    /// assert!(builder.build().is_ok());
    /// ```
    pub fn session_key(mut self, key: impl Into<String>) -> Self {
        self.session_key = key.into();
        self
    }

    /// The deadline for each provider call, body included. Default: 10 seconds.
    ///
    /// ```
    /// # use actix_twitter_login::TwitterLoginMiddleware;
    /// # use std::time::Duration;
    /// let builder = TwitterLoginMiddleware::builder("key", "secret", "http://127.0.0.1:8080/cb")
    ///     .provider_timeout(Duration::from_secs(5));
    /// assert!(builder.build().is_ok());
    /// ```
    pub fn provider_timeout(mut self, timeout: Duration) -> Self {
        self.provider_timeout = timeout;
        self
    }

    /// How many logins one session may have pending at once (several tabs); the oldest is
    /// dropped past this. Default: 4; at least 1, at most 5.
    ///
    /// With actix-session's cookie store the pending logins live in the session's encrypted
    /// cookie, which browsers drop, and with it the login, once it passes 4096 bytes. Five
    /// pending logins at their largest (an OAuth 1.0a temporary token of 256 bytes and secret
    /// of 128), three messages and an identity come to about 3.8 KB; six would not fit, so
    /// [`build`](Self::build) refuses more than five with
    /// [`ConfigError::MaxPendingLogins`](crate::ConfigError::MaxPendingLogins) (and 0 with
    /// [`ConfigError::Zero`](crate::ConfigError::Zero)), whatever the session store.
    ///
    /// ```
    /// # use actix_twitter_login::{ConfigError, TwitterLoginMiddleware};
    /// let builder = TwitterLoginMiddleware::builder("key", "secret", "http://127.0.0.1:8080/cb")
    ///     .max_pending_logins(2);
    /// assert!(builder.build().is_ok());
    ///
    /// let too_many = TwitterLoginMiddleware::builder("key", "secret", "http://127.0.0.1:8080/cb")
    ///     .max_pending_logins(6)
    ///     .build();
    /// assert!(matches!(too_many, Err(ConfigError::MaxPendingLogins { value: 6, max: 5 })));
    /// ```
    pub fn max_pending_logins(mut self, max: usize) -> Self {
        self.max_pending_logins = max;
        self
    }

    /// How long a pending login stays valid, in whole seconds (at least one). Default: 15
    /// minutes.
    ///
    /// ```
    /// # use actix_twitter_login::TwitterLoginMiddleware;
    /// # use std::time::Duration;
    /// let builder = TwitterLoginMiddleware::builder("key", "secret", "http://127.0.0.1:8080/cb")
    ///     .pending_login_ttl(Duration::from_secs(300));
    /// assert!(builder.build().is_ok());
    /// ```
    pub fn pending_login_ttl(mut self, ttl: Duration) -> Self {
        self.pending_login_ttl = ttl;
        self
    }

    /// The resolve step: decides which local user a signed-in profile is (passport's `verify`
    /// callback). Default: [`ProfileIdResolver`], which logs the user in as `twitter:<id>` with
    /// no database.
    ///
    /// ```
    /// # use actix_twitter_login::{Profile, TwitterLoginMiddleware, Verdict};
    /// let builder = TwitterLoginMiddleware::builder("key", "secret", "http://127.0.0.1:8080/cb")
    ///     .resolve_user(|_credentials, profile: Profile| async move {
    ///         Ok(Verdict::User(profile.username))
    ///     });
    /// assert!(builder.build().is_ok());
    /// ```
    pub fn resolve_user(mut self, resolver: impl ResolveUser) -> Self {
        self.resolver = Box::new(resolver);
        self
    }

    /// The deadline for the resolve step (a database that stopped answering, say); past it the
    /// login fails as "temporarily unavailable" (503). Default: 10 seconds.
    ///
    /// ```
    /// # use actix_twitter_login::TwitterLoginMiddleware;
    /// # use std::time::Duration;
    /// let builder = TwitterLoginMiddleware::builder("key", "secret", "http://127.0.0.1:8080/cb")
    ///     .resolve_timeout(Duration::from_secs(3));
    /// assert!(builder.build().is_ok());
    /// ```
    pub fn resolve_timeout(mut self, timeout: Duration) -> Self {
        self.resolve_timeout = timeout;
        self
    }

    /// The templates for the failure page (when there is no failure redirect) and, through
    /// [`TwitterLoginMiddleware::routes`], the login page. Default: the built-in ones.
    ///
    /// ```
    /// # use actix_twitter_login::{Templates, TwitterLoginMiddleware};
    /// let builder = TwitterLoginMiddleware::builder("key", "secret", "http://127.0.0.1:8080/cb")
    ///     .templates(Templates::from_dir("templates").unwrap());
    /// assert!(builder.build().is_ok());
    /// ```
    pub fn templates(mut self, templates: Templates) -> Self {
        self.templates = templates;
        self
    }
}

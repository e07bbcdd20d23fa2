//! Options of the login start: where the user returns to after signing in, and the limits
//! that keep a script from spending the app's quota at X.

use std::{sync::Arc, time::Duration};

use actix_web::dev::ServiceRequest;

use super::TwitterLoginMiddlewareBuilder;

/// The query parameter of the login start that names the page to return to, by default.
pub(crate) const DEFAULT_RETURN_TO_PARAM: &str = "return_to";

impl TwitterLoginMiddlewareBuilder {
    /// The path whose `POST` links an X account to the signed-in user. Default:
    /// `/link/twitter`. The form carries [`account_form_token`](crate::account_form_token) in
    /// [`ACCOUNT_FORM_FIELD`](crate::ACCOUNT_FORM_FIELD) and, optionally, a return-to; a post
    /// from another site, without the token, or with no user signed in is refused. The link
    /// goes through the resolver's [`link`](crate::ResolveUser::link).
    ///
    /// ```
    /// # use actix_twitter_login::{ConfigError, TwitterLoginMiddleware};
    /// let builder = TwitterLoginMiddleware::builder("key", "secret", "http://127.0.0.1:8080/cb")
    ///     .link_path("/account/connect/x");
    /// assert!(builder.build().is_ok());
    /// let clash = TwitterLoginMiddleware::builder("key", "secret", "http://127.0.0.1:8080/cb")
    ///     .link_path("/login/twitter")
    ///     .build();
    /// assert!(matches!(clash.unwrap_err(), ConfigError::RouteClash { .. }));
    /// ```
    pub fn link_path(mut self, path: impl Into<String>) -> Self {
        self.link_path = path.into();
        self
    }

    /// The query parameter of the login start that names where to go after signing in, e.g.
    /// `GET /login/twitter?return_to=/settings`. Default: `return_to`.
    ///
    /// The value is kept with the pending login (so it survives the session renewal at login)
    /// and used instead of [`success_redirect`](Self::success_redirect) when it is a path on
    /// this site of at most 256 bytes: anything that could lead elsewhere (`//host`, `/\host`,
    /// `https://...`, backslashes, control characters, tabs and newlines, raw or
    /// percent-encoded) is ignored, and the success redirect is used. Build fails with
    /// [`ConfigError::Empty`](crate::ConfigError::Empty) for an empty name and
    /// [`ConfigError::Path`](crate::ConfigError::Path) for a name that is not letters,
    /// digits, `_`, `-` or `.`.
    ///
    /// ```
    /// # use actix_twitter_login::TwitterLoginMiddleware;
    /// let builder = TwitterLoginMiddleware::builder("key", "secret", "http://127.0.0.1:8080/cb")
    ///     .return_to_param("next");
    /// assert!(builder.build().is_ok());
    /// ```
    pub fn return_to_param(mut self, name: impl Into<String>) -> Self {
        self.return_to_param = name.into();
        self
    }
}

/// Login starts one client may make per minute, by default.
pub(crate) const DEFAULT_LOGIN_RATE: u32 = 30;
/// Provider calls in flight at once, by default.
pub(crate) const DEFAULT_MAX_IN_FLIGHT: usize = 128;

impl TwitterLoginMiddlewareBuilder {
    /// At most `count` login starts per client in each `period` (a burst of `count`, then one
    /// more every `period / count`); past it the start is answered 429 with `Retry-After` and
    /// the failure page, before anything is sent to X or written to the session. Clients are
    /// told apart by [`rate_limit_key`](Self::rate_limit_key). Default: 30 per minute. Build
    /// fails with [`ConfigError::Zero`](crate::ConfigError::Zero) for a zero count or period.
    ///
    /// ```
    /// # use actix_twitter_login::TwitterLoginMiddleware;
    /// use std::time::Duration;
    ///
    /// let builder = TwitterLoginMiddleware::builder("key", "secret", "http://127.0.0.1:8080/cb")
    ///     .login_rate_limit(10, Duration::from_secs(60));
    /// assert!(builder.build().is_ok());
    /// ```
    pub fn login_rate_limit(mut self, count: u32, period: Duration) -> Self {
        self.login_rate_limit = Some((count, period));
        self
    }

    /// No per-client limit on login starts (for an app that limits them in front of it).
    ///
    /// ```
    /// # use actix_twitter_login::TwitterLoginMiddleware;
    /// let builder = TwitterLoginMiddleware::builder("key", "secret", "http://127.0.0.1:8080/cb")
    ///     .without_login_rate_limit();
    /// assert!(builder.build().is_ok());
    /// ```
    pub fn without_login_rate_limit(mut self) -> Self {
        self.login_rate_limit = None;
        self
    }

    /// What tells clients apart for [`login_rate_limit`](Self::login_rate_limit): a key per
    /// request, or `None` for a request not to limit. Default: the peer's IP address (for IPv6
    /// its /64 network). Behind a reverse proxy every request comes from the proxy: key on the
    /// header the proxy sets, and only on one it overwrites (a client can send any header).
    ///
    /// ```
    /// # use actix_twitter_login::TwitterLoginMiddleware;
    /// let builder = TwitterLoginMiddleware::builder("key", "secret", "http://127.0.0.1:8080/cb")
    ///     // The proxy in front sets `X-Real-IP` to the client's address.
    ///     .rate_limit_key(|req| {
    ///         let ip = req.headers().get("x-real-ip")?.to_str().ok()?;
    ///         Some(ip.to_owned())
    ///     });
    /// assert!(builder.build().is_ok());
    /// ```
    pub fn rate_limit_key(
        mut self,
        key: impl Fn(&ServiceRequest) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        self.rate_limit_key = Some(Arc::new(key));
        self
    }

    /// At most this many calls to X in flight at once, across the middleware's workers (login
    /// starts and callbacks); past it a login is answered 429 with `Retry-After: 1` before
    /// anything is sent to X or taken from the session. Default: 128. Build fails with
    /// [`ConfigError::Zero`](crate::ConfigError::Zero) for zero.
    ///
    /// ```
    /// # use actix_twitter_login::TwitterLoginMiddleware;
    /// let builder = TwitterLoginMiddleware::builder("key", "secret", "http://127.0.0.1:8080/cb")
    ///     .max_in_flight_provider_calls(32);
    /// assert!(builder.build().is_ok());
    /// ```
    pub fn max_in_flight_provider_calls(mut self, max: usize) -> Self {
        self.max_in_flight_provider_calls = max;
        self
    }
}

impl TwitterLoginMiddlewareBuilder {
    /// Start the login with a `POST` of the login page's form, which carries a CSRF token
    /// (`true`), instead of a `GET` of the login path (`false`, the default, as passport).
    ///
    /// With `POST`, another site can neither start a login for a visitor nor make them spend
    /// the app's quota at X by linking or framing: the form's token must equal the
    /// `twitter_login_csrf` cookie the page set (`HttpOnly`, `SameSite=Strict`, scoped to the
    /// login path, `Secure` when the callback URL is https; no session is written for it), and
    /// a form the browser says came from another site is refused (403). A `GET` of the login
    /// path then answers the login page with the form instead of starting a login. OmniAuth 2
    /// made this its default after CVE-2015-9284. An app's own `login.html` must render the
    /// form when `csrf_token` is set (see [`Templates`](crate::Templates)).
    ///
    /// ```
    /// # use actix_twitter_login::TwitterLoginMiddleware;
    /// let builder = TwitterLoginMiddleware::builder("key", "secret", "http://127.0.0.1:8080/cb")
    ///     .post_login_start(true);
    /// assert!(builder.build().is_ok());
    /// ```
    pub fn post_login_start(mut self, post: bool) -> Self {
        self.post_login_start = post;
        self
    }
}

#[cfg(feature = "redis")]
impl TwitterLoginMiddlewareBuilder {
    /// Records spent callback keys in Redis as well, for every instance (feature `redis`):
    /// with sessions in Redis and several instances, two callbacks racing one pending login on
    /// two instances would otherwise both pass, since each instance remembers only what it
    /// spent itself. Default: none (each middleware's memory only).
    ///
    /// ```no_run
    /// # use actix_twitter_login::{redis_spent_tokens, RedisStoreOptions, TwitterLoginMiddleware};
    /// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// let spent = redis_spent_tokens("redis://127.0.0.1:6379", &RedisStoreOptions::default()).await?;
    /// let builder = TwitterLoginMiddleware::builder("key", "secret", "http://127.0.0.1:8080/cb")
    ///     .shared_spent_tokens(spent);
    /// assert!(builder.build().is_ok());
    /// # Ok(()) }
    /// ```
    pub fn shared_spent_tokens(mut self, spent: crate::RedisSpentTokens) -> Self {
        self.shared_spent = Some(spent);
        self
    }
}

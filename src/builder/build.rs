//! `build()`: the builder's values, checked, become the middleware's [`Config`].

use std::{num::NonZeroU32, sync::Arc};

use super::{oauth1, oauth2, protocols::ClientSettings, TwitterLoginMiddlewareBuilder};
use crate::{
    config::Config,
    error::ConfigError,
    guard::{self, Guard},
    middleware::TwitterLoginMiddleware,
    protocol::Protocol,
    replay::SpentTokens,
    session::MAX_PENDING_LOGINS,
    validate,
};

impl TwitterLoginMiddlewareBuilder {
    /// Validates the configuration. A provider URL must be `https`, or plain `http` to a
    /// loopback host, unless [`allow_insecure_provider_urls`](Self::allow_insecure_provider_urls)
    /// is set ([`ConfigError::InsecureUrl`]).
    ///
    /// # Errors
    /// A [`ConfigError`] naming the bad value: an empty consumer key or secret, a callback URL
    /// that is not absolute http(s), a path without a leading `/`, a provider URL that is not
    /// absolute http(s) (or carries a query where it is signed), a zero timeout or limit, more
    /// pending logins than a session cookie holds.
    ///
    /// ```
    /// # use actix_twitter_login::{ConfigError, TwitterLoginMiddleware};
    /// let err = TwitterLoginMiddleware::builder("key", "secret", "/oauth/callback/twitter").build().unwrap_err();
    /// assert!(matches!(err, ConfigError::CallbackUrl { .. }));
    /// ```
    pub fn build(self) -> Result<TwitterLoginMiddleware, ConfigError> {
        config(self).map(|config| TwitterLoginMiddleware::from_config(Arc::new(config)))
    }
}

fn config(b: TwitterLoginMiddlewareBuilder) -> Result<Config, ConfigError> {
    if let Some((option, protocol)) = b.misapplied {
        return Err(ConfigError::WrongProtocol { option, protocol });
    }
    let callback = validate::callback_url(&b.callback_url)?;
    let callback_path = callback.path().to_owned();
    validate::path("login_path", &b.login_path)?;
    if b.login_path == callback_path {
        return Err(ConfigError::RouteClash {
            path: callback_path,
        });
    }
    validate::path("link_path", &b.link_path)?;
    if b.link_path == callback_path || b.link_path == b.login_path {
        return Err(ConfigError::RouteClash { path: b.link_path });
    }
    validate::redirect("success_redirect", &b.success_redirect)?;
    if let Some(target) = &b.failure_redirect {
        validate::redirect("failure_redirect", target)?;
    }
    if b.return_to_param.is_empty() {
        return Err(ConfigError::Empty {
            option: "return_to_param",
        });
    }
    if !b
        .return_to_param
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    {
        return Err(ConfigError::Path {
            option: "return_to_param",
            value: b.return_to_param,
            reason: "a parameter name is letters, digits, `_`, `-` or `.`",
        });
    }
    let rate = match b.login_rate_limit {
        None => None,
        Some((count, period)) => {
            let count = NonZeroU32::new(count).ok_or(ConfigError::Zero {
                option: "login_rate_limit",
            })?;
            if period.is_zero() {
                return Err(ConfigError::Zero {
                    option: "login_rate_limit",
                });
            }
            Some((count, period))
        }
    };
    if b.max_in_flight_provider_calls == 0 {
        return Err(ConfigError::Zero {
            option: "max_in_flight_provider_calls",
        });
    }
    let guard = Guard::new(
        rate,
        b.rate_limit_key
            .clone()
            .unwrap_or_else(|| Arc::new(guard::peer_address)),
        b.max_in_flight_provider_calls,
    );
    if b.session_key.is_empty() {
        return Err(ConfigError::Empty {
            option: "session_key",
        });
    }
    if b.provider_timeout.is_zero() {
        return Err(ConfigError::Zero {
            option: "provider_timeout",
        });
    }
    if b.max_pending_logins == 0 {
        return Err(ConfigError::Zero {
            option: "max_pending_logins",
        });
    }
    if b.max_pending_logins > MAX_PENDING_LOGINS {
        return Err(ConfigError::MaxPendingLogins {
            value: b.max_pending_logins,
            max: MAX_PENDING_LOGINS,
        });
    }
    if b.resolve_timeout.is_zero() {
        return Err(ConfigError::Zero {
            option: "resolve_timeout",
        });
    }
    // Pending logins are timed in whole seconds.
    if b.pending_login_ttl.as_secs() == 0 {
        return Err(ConfigError::Zero {
            option: "pending_login_ttl",
        });
    }
    if b.user_fields.trim().is_empty() {
        return Err(ConfigError::Empty {
            option: "user_fields",
        });
    }
    let mut user_fields = b.user_fields.replace(' ', "");
    if b.include_email && !user_fields.split(',').any(|f| f == "confirmed_email") {
        user_fields.push_str(",confirmed_email");
    }
    let protocol = match &b.client {
        ClientSettings::OAuth1 {
            consumer_key,
            consumer_secret,
        } => Protocol::OAuth1(oauth1::client(
            &b,
            consumer_key,
            consumer_secret,
            user_fields,
        )?),
        ClientSettings::OAuth2 {
            client_id,
            client_secret,
            scopes,
            authorize_url,
            token_url,
        } => Protocol::OAuth2(oauth2::client(
            &b,
            oauth2::Given {
                client_id,
                client_secret: client_secret.as_ref(),
                scopes,
                authorize_url,
                token_url: token_url.as_deref(),
            },
            user_fields,
        )?),
    };
    Ok(Config {
        protocol,
        callback_path,
        login_path: b.login_path,
        link_path: b.link_path,
        success_redirect: b.success_redirect,
        failure_redirect: b.failure_redirect,
        failure_message: b.failure_message,
        session_key: b.session_key,
        max_pending_logins: b.max_pending_logins,
        pending_login_ttl: b.pending_login_ttl,
        resolver: b.resolver,
        resolve_timeout: b.resolve_timeout,
        return_to_param: b.return_to_param,
        guard,
        post_login_start: b.post_login_start,
        #[cfg(feature = "redis")]
        shared_spent: b.shared_spent,
        secure_cookies: callback.scheme().eq_ignore_ascii_case("https"),
        templates: Arc::new(b.templates),
        spent: SpentTokens::default(),
    })
}

#[cfg(test)]
mod tests;

//! `build()`: the builder's values, checked, become the middleware's [`Config`].

use std::sync::Arc;

use super::TwitterLoginMiddlewareBuilder;
use crate::{
    config::Config,
    error::ConfigError,
    middleware::TwitterLoginMiddleware,
    oauth1::{self, ClientCredentials, Endpoints},
    protocol::Protocol,
    replay::SpentTokens,
    validate,
};

/// The largest provider reply read, in bytes; a larger one is a failure.
const MAX_REPLY_BYTES: usize = 64 * 1024;

impl TwitterLoginMiddlewareBuilder {
    /// Validates the configuration.
    ///
    /// # Errors
    /// A [`ConfigError`] naming the bad value: an empty consumer key or secret, a callback URL
    /// that is not absolute http(s), a path without a leading `/`, a provider URL that is not
    /// absolute http(s) (or carries a query where it is signed), a zero timeout or limit.
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
    if b.consumer_key.trim().is_empty() {
        return Err(ConfigError::Empty {
            option: "consumer_key",
        });
    }
    if b.consumer_secret.expose().is_empty() {
        return Err(ConfigError::Empty {
            option: "consumer_secret",
        });
    }
    let callback = validate::callback_url(&b.callback_url)?;
    let callback_path = callback.path().to_owned();
    validate::path("login_path", &b.login_path)?;
    if b.login_path == callback_path {
        return Err(ConfigError::RouteClash {
            path: callback_path,
        });
    }
    validate::redirect("success_redirect", &b.success_redirect)?;
    if let Some(target) = &b.failure_redirect {
        validate::redirect("failure_redirect", target)?;
    }
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
    let endpoints = endpoints(&b)?;
    let mut user_fields = b.user_fields.replace(' ', "");
    if b.include_email && !user_fields.split(',').any(|f| f == "confirmed_email") {
        user_fields.push_str(",confirmed_email");
    }
    let client = oauth1::Client {
        credentials: ClientCredentials {
            key: b.consumer_key,
            secret: b.consumer_secret,
        },
        callback: b.callback_url,
        endpoints,
        force_login: b.force_login,
        screen_name: b.screen_name.filter(|s| !s.is_empty()),
        profile_source: b.profile_source,
        user_fields,
        include_email: b.include_email,
        on_profile_error: b.on_profile_error,
        timeout: b.provider_timeout,
        max_reply_bytes: MAX_REPLY_BYTES,
    };
    Ok(Config {
        protocol: Protocol::OAuth1(client),
        callback_path,
        login_path: b.login_path,
        success_redirect: b.success_redirect,
        failure_redirect: b.failure_redirect,
        failure_message: b.failure_message,
        session_key: b.session_key,
        max_pending_logins: b.max_pending_logins,
        pending_login_ttl: b.pending_login_ttl,
        resolver: b.resolver,
        resolve_timeout: b.resolve_timeout,
        templates: Arc::new(b.templates),
        spent: SpentTokens::default(),
    })
}

/// The five provider URLs: each one given, or derived from the API base URL.
fn endpoints(b: &TwitterLoginMiddlewareBuilder) -> Result<Endpoints, ConfigError> {
    let mut base = validate::http_url("api_base_url", &b.api_base_url, true)?;
    // The base is joined with relative paths: it must end with a slash.
    if !base.path().ends_with('/') {
        let path = format!("{}/", base.path());
        base.set_path(&path);
    }
    let derive = |option: &'static str, given: &Option<String>, rel: &str, signed: bool| match given
    {
        Some(url) => validate::http_url(option, url, !signed),
        None => base.join(rel).map_err(|e| ConfigError::Url {
            option: "api_base_url",
            value: b.api_base_url.clone(),
            reason: e.to_string(),
        }),
    };
    let authenticate = if b.use_authorize {
        "oauth/authorize"
    } else {
        "oauth/authenticate"
    };
    Ok(Endpoints {
        request_token: derive(
            "request_token_url",
            &b.request_token_url,
            "oauth/request_token",
            true,
        )?
        .into(),
        authenticate: derive("authenticate_url", &b.authenticate_url, authenticate, false)?,
        access_token: derive(
            "access_token_url",
            &b.access_token_url,
            "oauth/access_token",
            true,
        )?
        .into(),
        users_me: derive("users_me_url", &b.users_me_url, "2/users/me", true)?.into(),
        verify_credentials: derive(
            "verify_credentials_url",
            &b.verify_credentials_url,
            "1.1/account/verify_credentials.json",
            true,
        )?
        .into(),
    })
}

#[cfg(test)]
mod tests {
    use crate::{builder::TwitterLoginMiddlewareBuilder, error::ConfigError, protocol::Protocol};

    fn client(b: TwitterLoginMiddlewareBuilder) -> crate::oauth1::Client {
        let Protocol::OAuth1(client) = super::config(b).unwrap().protocol;
        client
    }

    #[test]
    fn the_callback_url_is_sent_exactly_as_registered() {
        let given = "HTTP://Example.COM:80/oauth/callback/twitter";
        let config =
            super::config(TwitterLoginMiddlewareBuilder::new("key", "secret", given)).unwrap();
        assert_eq!(config.callback_path, "/oauth/callback/twitter");
        let Protocol::OAuth1(client) = config.protocol;
        assert_eq!(client.callback, given);
    }

    #[test]
    fn a_callback_url_without_a_path_is_refused() {
        for given in [
            "https://example.com",
            "https://example.com/",
            "http://127.0.0.1:8080/?a=1",
        ] {
            let built = super::config(TwitterLoginMiddlewareBuilder::new("key", "secret", given));
            assert!(
                matches!(built, Err(ConfigError::CallbackUrl { ref value, .. }) if value == given),
                "{given}"
            );
        }
    }

    #[test]
    fn provider_urls_derive_from_the_base() {
        let b = TwitterLoginMiddlewareBuilder::new("key", "secret", "http://127.0.0.1:8080/cb")
            .api_base_url("http://127.0.0.1:9000/prefix");
        let e = client(b).endpoints;
        assert_eq!(
            e.request_token.as_str(),
            "http://127.0.0.1:9000/prefix/oauth/request_token"
        );
        assert_eq!(
            e.authenticate.as_str(),
            "http://127.0.0.1:9000/prefix/oauth/authenticate"
        );
        assert_eq!(
            e.access_token.as_str(),
            "http://127.0.0.1:9000/prefix/oauth/access_token"
        );
        assert_eq!(
            e.users_me.as_str(),
            "http://127.0.0.1:9000/prefix/2/users/me"
        );
        assert_eq!(
            e.verify_credentials.as_str(),
            "http://127.0.0.1:9000/prefix/1.1/account/verify_credentials.json"
        );
        let defaults = client(TwitterLoginMiddlewareBuilder::new(
            "k",
            "s",
            "http://127.0.0.1:8080/cb",
        ));
        assert_eq!(
            defaults.endpoints.request_token.as_str(),
            "https://api.x.com/oauth/request_token"
        );
    }
}

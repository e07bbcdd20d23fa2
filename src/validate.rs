//! Turns a builder into a validated [`Config`], naming any bad value.

use url::Url;

use crate::{
    builder::TwitterLoginBuilder,
    config::{Config, Endpoints},
    credentials::ClientCredentials,
    error::ConfigError,
};

/// The largest provider reply read, in bytes; a larger one is a failure.
pub(crate) const MAX_REPLY_BYTES: usize = 64 * 1024;

pub(crate) fn build(b: TwitterLoginBuilder) -> Result<Config, ConfigError> {
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
    let callback = callback_url(&b.callback_url)?;
    let callback_path = callback.path().to_owned();
    path("login_path", &b.login_path)?;
    if b.login_path == callback_path {
        return Err(ConfigError::RouteClash {
            path: callback_path,
        });
    }
    redirect("success_redirect", &b.success_redirect)?;
    if let Some(target) = &b.failure_redirect {
        redirect("failure_redirect", target)?;
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
    if b.verify_timeout.is_zero() {
        return Err(ConfigError::Zero {
            option: "verify_timeout",
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
    let mut base = http_url("api_base_url", &b.api_base_url, true)?;
    // The base is joined with relative paths: it must end with a slash.
    if !base.path().ends_with('/') {
        let path = format!("{}/", base.path());
        base.set_path(&path);
    }
    let derive = |option: &'static str, given: &Option<String>, rel: &str, signed: bool| match given
    {
        Some(url) => http_url(option, url, !signed),
        None => base.join(rel).map_err(|e| ConfigError::Url {
            option: "api_base_url",
            value: b.api_base_url.clone(),
            reason: e.to_string(),
        }),
    };
    let auth_rel = if b.use_authorize {
        "oauth/authorize"
    } else {
        "oauth/authenticate"
    };
    let endpoints = Endpoints {
        request_token: derive(
            "request_token_url",
            &b.request_token_url,
            "oauth/request_token",
            true,
        )?
        .into(),
        authenticate: derive("authenticate_url", &b.authenticate_url, auth_rel, false)?,
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
    };
    let mut user_fields = b.user_fields.replace(' ', "");
    if b.include_email && !user_fields.split(',').any(|f| f == "confirmed_email") {
        user_fields.push_str(",confirmed_email");
    }
    Ok(Config {
        client: ClientCredentials {
            key: b.consumer_key,
            secret: b.consumer_secret,
        },
        callback_url: b.callback_url,
        callback_path,
        login_path: b.login_path,
        endpoints,
        force_login: b.force_login,
        screen_name: b.screen_name.filter(|s| !s.is_empty()),
        profile_source: b.profile_source,
        user_fields,
        include_email: b.include_email,
        on_profile_error: b.on_profile_error,
        success_redirect: b.success_redirect,
        failure_redirect: b.failure_redirect,
        failure_message: b.failure_message,
        session_key: b.session_key,
        provider_timeout: b.provider_timeout,
        max_reply_bytes: MAX_REPLY_BYTES,
        max_pending_logins: b.max_pending_logins,
        pending_login_ttl: b.pending_login_ttl,
        verifier: b.verifier,
        verify_timeout: b.verify_timeout,
        templates: std::sync::Arc::new(b.templates),
    })
}

fn callback_url(value: &str) -> Result<Url, ConfigError> {
    let bad = |reason: &str| ConfigError::CallbackUrl {
        value: value.to_owned(),
        reason: reason.to_owned(),
    };
    let url = Url::parse(value).map_err(|e| bad(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("the scheme must be http or https"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("it has no host"));
    }
    if url.fragment().is_some() {
        return Err(bad("it must not have a fragment"));
    }
    if url.path() == "/" {
        return Err(bad(
            "its path becomes the callback route, so it needs one of its own, e.g. /oauth/callback/twitter",
        ));
    }
    Ok(url)
}

fn http_url(option: &'static str, value: &str, query_allowed: bool) -> Result<Url, ConfigError> {
    let bad = |reason: String| ConfigError::Url {
        option,
        value: value.to_owned(),
        reason,
    };
    let url = Url::parse(value).map_err(|e| bad(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(bad("it must be an absolute http or https URL".into()));
    }
    if !query_allowed && url.query().is_some() {
        return Err(bad("a signed URL must not carry a query".into()));
    }
    if url.fragment().is_some() {
        return Err(bad("it must not have a fragment".into()));
    }
    Ok(url)
}

fn path(option: &'static str, value: &str) -> Result<(), ConfigError> {
    if value.starts_with('/') && !value.starts_with("//") && !value.contains(['?', '#']) {
        Ok(())
    } else {
        Err(ConfigError::Path {
            option,
            value: value.to_owned(),
        })
    }
}

fn redirect(option: &'static str, value: &str) -> Result<(), ConfigError> {
    if value.starts_with('/') && !value.starts_with("//") && !value.starts_with("/\\") {
        return Ok(());
    }
    match Url::parse(value) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => Ok(()),
        _ => Err(ConfigError::Path {
            option,
            value: value.to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use crate::{builder::TwitterLoginBuilder, error::ConfigError};

    #[test]
    fn the_callback_url_is_sent_exactly_as_registered() {
        let given = "HTTP://Example.COM:80/oauth/callback/twitter";
        let config = super::build(TwitterLoginBuilder::new("key", "secret", given)).unwrap();
        assert_eq!(config.callback_url, given);
        assert_eq!(config.callback_path, "/oauth/callback/twitter");
    }

    #[test]
    fn a_callback_url_without_a_path_is_refused() {
        for given in [
            "https://example.com",
            "https://example.com/",
            "http://127.0.0.1:8080/?a=1",
        ] {
            let built = super::build(TwitterLoginBuilder::new("key", "secret", given));
            assert!(
                matches!(built, Err(ConfigError::CallbackUrl { ref value, .. }) if value == given),
                "{given}"
            );
        }
    }

    #[test]
    fn provider_urls_derive_from_the_base() {
        let b = TwitterLoginBuilder::new("key", "secret", "http://127.0.0.1:8080/cb")
            .api_base_url("http://127.0.0.1:9000/prefix");
        let config = super::build(b).unwrap();
        let e = &config.endpoints;
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
        let defaults = super::build(TwitterLoginBuilder::new(
            "k",
            "s",
            "http://127.0.0.1:8080/cb",
        ))
        .unwrap();
        assert_eq!(
            defaults.endpoints.request_token.as_str(),
            "https://api.x.com/oauth/request_token"
        );
    }
}

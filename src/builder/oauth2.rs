//! The OAuth 2.0 side of the builder: its constructor, its options, and its client.

use ::oauth2::{AuthUrl, RedirectUrl};

use super::{
    protocols::{provider_url, ClientSettings, MAX_REPLY_BYTES, OAUTH2},
    TwitterLoginMiddlewareBuilder,
};
use crate::{
    credentials::Secret, error::ConfigError, middleware::TwitterLoginMiddleware, oauth2 as protocol,
};

impl TwitterLoginMiddleware {
    /// A builder for OAuth 2.0 (Authorization Code with PKCE): the app's OAuth 2.0 client id (not
    /// the 1.0a API key) and the redirect URI registered with X, whose path becomes the callback
    /// route. Without [`client_secret`](TwitterLoginMiddlewareBuilder::client_secret) the client
    /// is public (X's Native App or Single page App); with it, confidential (Web App).
    ///
    /// ```
    /// # use actix_twitter_login::TwitterLoginMiddleware;
    /// let twitter = TwitterLoginMiddleware::oauth2_builder("client-id", "http://127.0.0.1:8080/oauth/callback/twitter")
    ///     .client_secret("client-secret")
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(twitter.callback_path(), "/oauth/callback/twitter");
    /// ```
    pub fn oauth2_builder(
        client_id: impl Into<String>,
        redirect_uri: impl Into<String>,
    ) -> TwitterLoginMiddlewareBuilder {
        let client = ClientSettings::OAuth2 {
            client_id: client_id.into(),
            client_secret: None,
            scopes: protocol::DEFAULT_SCOPES.to_owned(),
            authorize_url: protocol::DEFAULT_AUTHORIZE_URL.to_owned(),
            token_url: None,
        };
        TwitterLoginMiddlewareBuilder::with_client(client, redirect_uri.into())
    }
}

impl TwitterLoginMiddlewareBuilder {
    /// OAuth 2.0: the client secret of a confidential client (X's Web App, Automated App or
    /// bot), sent with HTTP Basic authentication. Default: none (a public client, which sends
    /// its `client_id` in the body).
    ///
    /// ```
    /// # use actix_twitter_login::TwitterLoginMiddleware;
    /// let builder = TwitterLoginMiddleware::oauth2_builder("client-id", "http://127.0.0.1:8080/cb")
    ///     .client_secret("client-secret");
    /// assert!(builder.build().is_ok());
    /// ```
    pub fn client_secret(mut self, secret: impl Into<String>) -> Self {
        if let ClientSettings::OAuth2 { client_secret, .. } = &mut self.client {
            *client_secret = Some(Secret::new(secret));
        }
        self.only_for(OAUTH2, "client_secret")
    }

    /// OAuth 2.0: the scopes asked for, space-separated. Default: `tweet.read users.read` (what
    /// `/2/users/me` needs; both must stay). Add `offline.access` for a refresh token;
    /// [`include_email`](Self::include_email) adds `users.email`.
    ///
    /// ```
    /// # use actix_twitter_login::TwitterLoginMiddleware;
    /// let builder = TwitterLoginMiddleware::oauth2_builder("client-id", "http://127.0.0.1:8080/cb")
    ///     .scopes("tweet.read users.read offline.access");
    /// assert!(builder.build().is_ok());
    /// ```
    pub fn scopes(mut self, list: impl Into<String>) -> Self {
        if let ClientSettings::OAuth2 { scopes, .. } = &mut self.client {
            *scopes = list.into();
        }
        self.only_for(OAUTH2, "scopes")
    }

    /// OAuth 2.0: where users are sent to authorize the app. Default:
    /// `https://x.com/i/oauth2/authorize`. Plain `http` only to a loopback host (see
    /// [`allow_insecure_provider_urls`](Self::allow_insecure_provider_urls)).
    ///
    /// ```
    /// # use actix_twitter_login::TwitterLoginMiddleware;
    /// let builder = TwitterLoginMiddleware::oauth2_builder("client-id", "http://127.0.0.1:8080/cb")
    ///     .authorize_url("http://127.0.0.1:9000/i/oauth2/authorize");
    /// assert!(builder.build().is_ok());
    /// ```
    pub fn authorize_url(mut self, url: impl Into<String>) -> Self {
        if let ClientSettings::OAuth2 { authorize_url, .. } = &mut self.client {
            *authorize_url = url.into();
        }
        self.only_for(OAUTH2, "authorize_url")
    }

    /// OAuth 2.0: overrides the token URL. Default: `{api_base_url}/2/oauth2/token`.
    ///
    /// ```
    /// # use actix_twitter_login::TwitterLoginMiddleware;
    /// let builder = TwitterLoginMiddleware::oauth2_builder("client-id", "http://127.0.0.1:8080/cb")
    ///     .token_url("https://api.x.com/2/oauth2/token");
    /// assert!(builder.build().is_ok());
    /// ```
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        if let ClientSettings::OAuth2 { token_url, .. } = &mut self.client {
            *token_url = Some(url.into());
        }
        self.only_for(OAUTH2, "token_url")
    }
}

/// The OAuth 2.0 values a builder was given.
pub(super) struct Given<'a> {
    pub client_id: &'a str,
    pub client_secret: Option<&'a Secret>,
    pub scopes: &'a str,
    pub authorize_url: &'a str,
    pub token_url: Option<&'a str>,
}

/// The OAuth 2.0 client of an OAuth 2.0 builder.
pub(super) fn client(
    b: &TwitterLoginMiddlewareBuilder,
    given: Given<'_>,
    user_fields: String,
) -> Result<protocol::Client, ConfigError> {
    if given.client_id.trim().is_empty() {
        return Err(ConfigError::Empty {
            option: "client_id",
        });
    }
    if given.client_secret.is_some_and(|s| s.expose().is_empty()) {
        return Err(ConfigError::Empty {
            option: "client_secret",
        });
    }
    let mut scopes = scopes(given.scopes)?;
    if b.include_email && !scopes.iter().any(|s| s == "users.email") {
        scopes.push("users.email".to_owned());
    }
    let authorize_url = crate::validate::http_url(
        "authorize_url",
        given.authorize_url,
        true,
        b.allow_insecure_provider_urls,
    )?;
    let bad = |e: ::oauth2::url::ParseError| ConfigError::Url {
        option: "authorize_url",
        value: given.authorize_url.to_owned(),
        reason: e.to_string(),
    };
    Ok(protocol::Client {
        id: given.client_id.to_owned(),
        secret: given.client_secret.cloned(),
        // Checked as the callback URL; kept as given, since X compares it exactly.
        redirect_uri: RedirectUrl::new(b.callback_url.clone()).map_err(|e| {
            ConfigError::CallbackUrl {
                value: b.callback_url.clone(),
                reason: e.to_string(),
            }
        })?,
        authorize_url: AuthUrl::new(authorize_url.into()).map_err(bad)?,
        token_url: provider_url(b, "token_url", given.token_url, "2/oauth2/token", false)?,
        users_me_url: provider_url(
            b,
            "users_me_url",
            b.users_me_url.as_deref(),
            "2/users/me",
            false,
        )?,
        scopes,
        user_fields,
        timeout: b.provider_timeout,
        max_reply_bytes: MAX_REPLY_BYTES,
    })
}

/// The scope list: scope tokens (RFC 6749 §3.3) separated by spaces, with the two that
/// `/2/users/me` needs.
fn scopes(list: &str) -> Result<Vec<String>, ConfigError> {
    let bad = |reason: &str| ConfigError::Scopes {
        value: list.to_owned(),
        reason: reason.to_owned(),
    };
    let scopes: Vec<String> = list
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    let token = |s: &String| {
        s.bytes()
            .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\')
    };
    if !scopes.iter().all(token) {
        return Err(bad("a scope holds a character scopes may not have"));
    }
    for needed in ["tweet.read", "users.read"] {
        if !scopes.iter().any(|s| s == needed) {
            return Err(bad(
                "signing in reads /2/users/me, which needs tweet.read and users.read",
            ));
        }
    }
    Ok(scopes)
}

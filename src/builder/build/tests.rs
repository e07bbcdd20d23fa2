//! `build()` on each bad value.

use crate::{
    builder::TwitterLoginMiddlewareBuilder, error::ConfigError, protocol::Protocol,
    session::MAX_PENDING_LOGINS, TwitterLoginMiddleware,
};

fn client(b: TwitterLoginMiddlewareBuilder) -> crate::oauth1::Client {
    match super::config(b).unwrap().protocol {
        Protocol::OAuth1(client) => client,
        other => panic!("not OAuth 1.0a: {other:?}"),
    }
}

fn oauth2(b: TwitterLoginMiddlewareBuilder) -> crate::oauth2::Client {
    match super::config(b).unwrap().protocol {
        Protocol::OAuth2(client) => client,
        other => panic!("not OAuth 2.0: {other:?}"),
    }
}

fn refused(b: TwitterLoginMiddlewareBuilder) -> ConfigError {
    match super::config(b) {
        Ok(_) => panic!("a bad configuration was accepted"),
        Err(error) => error,
    }
}

fn oauth2_builder() -> TwitterLoginMiddlewareBuilder {
    TwitterLoginMiddleware::oauth2_builder("client-id", "HTTP://Example.COM:80/oauth/cb")
}

#[test]
fn an_oauth2_client_derives_its_urls_and_keeps_the_redirect_uri_as_given() {
    let client = oauth2(oauth2_builder().api_base_url("http://127.0.0.1:9000/x"));
    assert_eq!(
        client.redirect_uri.as_str(),
        "HTTP://Example.COM:80/oauth/cb"
    );
    assert_eq!(
        client.authorize_url.as_str(),
        "https://x.com/i/oauth2/authorize"
    );
    assert_eq!(
        client.token_url.as_str(),
        "http://127.0.0.1:9000/x/2/oauth2/token"
    );
    assert_eq!(
        client.users_me_url.as_str(),
        "http://127.0.0.1:9000/x/2/users/me"
    );
    assert_eq!(client.scopes, ["tweet.read", "users.read"]);
    assert!(client.secret.is_none(), "public unless a secret is given");
    let client = oauth2(oauth2_builder().client_secret("s").include_email(true));
    assert_eq!(
        client.secret.map(|s| s.expose().to_owned()).as_deref(),
        Some("s")
    );
    assert_eq!(client.scopes, ["tweet.read", "users.read", "users.email"]);
    assert!(client.user_fields.ends_with(",confirmed_email"));
}

#[test]
fn oauth2_scopes_must_read_the_profile() {
    for bad in ["users.read", "tweet.read", "", "tweet.read users.read a\"b"] {
        let built = super::config(oauth2_builder().scopes(bad));
        assert!(
            matches!(built, Err(ConfigError::Scopes { ref value, .. }) if value == bad),
            "{bad:?}"
        );
    }
    let client = oauth2(oauth2_builder().scopes("  offline.access tweet.read  users.read"));
    assert_eq!(
        client.scopes,
        ["offline.access", "tweet.read", "users.read"]
    );
}

#[test]
fn an_option_of_the_other_protocol_is_refused() {
    let err = refused(oauth2_builder().force_login(true));
    assert_eq!(
        err,
        ConfigError::WrongProtocol {
            option: "force_login",
            protocol: "OAuth 1.0a"
        }
    );
    let b = TwitterLoginMiddlewareBuilder::new("key", "secret", "http://127.0.0.1/cb");
    let err = refused(b.scopes("tweet.read users.read"));
    assert_eq!(
        err,
        ConfigError::WrongProtocol {
            option: "scopes",
            protocol: "OAuth 2.0"
        }
    );
}

#[test]
fn an_empty_client_id_or_secret_is_refused() {
    let b = TwitterLoginMiddleware::oauth2_builder(" ", "http://127.0.0.1/cb");
    assert_eq!(
        refused(b),
        ConfigError::Empty {
            option: "client_id"
        }
    );
    assert_eq!(
        refused(oauth2_builder().client_secret("")),
        ConfigError::Empty {
            option: "client_secret"
        }
    );
}

#[test]
fn max_pending_logins_is_at_most_what_a_session_cookie_holds() {
    let oauth1 = || TwitterLoginMiddlewareBuilder::new("key", "secret", "http://127.0.0.1/cb");
    for b in [oauth1(), oauth2_builder()] {
        let config = super::config(b.max_pending_logins(MAX_PENDING_LOGINS)).unwrap();
        assert_eq!(config.max_pending_logins, MAX_PENDING_LOGINS);
    }
    for b in [oauth1(), oauth2_builder()] {
        assert_eq!(
            refused(b.max_pending_logins(MAX_PENDING_LOGINS + 1)),
            ConfigError::MaxPendingLogins {
                value: MAX_PENDING_LOGINS + 1,
                max: MAX_PENDING_LOGINS
            }
        );
    }
    let err = refused(oauth1().max_pending_logins(usize::MAX));
    assert_eq!(
        err.to_string(),
        format!(
            "`max_pending_logins` is {}, more than the {MAX_PENDING_LOGINS} pending logins \
             a session cookie can hold",
            usize::MAX
        )
    );
    assert_eq!(
        refused(oauth1().max_pending_logins(0)),
        ConfigError::Zero {
            option: "max_pending_logins"
        }
    );
    // The default is within the bound.
    assert!(super::config(oauth1()).unwrap().max_pending_logins <= MAX_PENDING_LOGINS);
}

#[test]
fn the_callback_url_is_sent_exactly_as_registered() {
    let given = "HTTP://Example.COM:80/oauth/callback/twitter";
    let config = super::config(TwitterLoginMiddlewareBuilder::new("key", "secret", given)).unwrap();
    assert_eq!(config.callback_path, "/oauth/callback/twitter");
    match config.protocol {
        Protocol::OAuth1(client) => assert_eq!(client.callback, given),
        other => panic!("not OAuth 1.0a: {other:?}"),
    }
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

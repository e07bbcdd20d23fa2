//! `build()` refuses each bad value with a [`ConfigError`] that names it; one case per test.

use std::time::Duration;

use actix_twitter_login::{ConfigError, TwitterLoginMiddleware, TwitterLoginMiddlewareBuilder};

const CALLBACK: &str = "http://127.0.0.1:8080/oauth/callback/twitter";

fn builder() -> TwitterLoginMiddlewareBuilder {
    TwitterLoginMiddleware::builder("key", "secret", CALLBACK)
}

fn refused(builder: TwitterLoginMiddlewareBuilder) -> ConfigError {
    builder.build().expect_err("a bad configuration is refused")
}

#[test]
fn an_empty_consumer_key_is_refused() {
    let err = TwitterLoginMiddleware::new("", "secret", CALLBACK).unwrap_err();
    assert_eq!(
        err,
        ConfigError::Empty {
            option: "consumer_key"
        }
    );
}

#[test]
fn an_empty_consumer_secret_is_refused() {
    let err = TwitterLoginMiddleware::new("key", "", CALLBACK).unwrap_err();
    assert_eq!(
        err,
        ConfigError::Empty {
            option: "consumer_secret"
        }
    );
}

#[test]
fn a_callback_url_that_is_not_absolute_http_is_refused() {
    for bad in [
        "/oauth/callback",
        "ftp://host/cb",
        "javascript:alert(1)",
        "http://",
        "not a url",
    ] {
        match TwitterLoginMiddleware::new("key", "secret", bad).unwrap_err() {
            ConfigError::CallbackUrl { value, .. } => assert_eq!(value, bad),
            other => panic!("{bad}: {other:?}"),
        }
    }
}

#[test]
fn a_login_path_without_a_leading_slash_is_refused() {
    let err = refused(builder().login_path("login/twitter"));
    assert!(err.to_string().contains("login/twitter"), "{err}");
    assert!(
        matches!(
            err,
            ConfigError::Path {
                option: "login_path",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn a_login_path_equal_to_the_callback_path_is_refused() {
    let err = refused(builder().login_path("/oauth/callback/twitter"));
    assert!(matches!(err, ConfigError::RouteClash { .. }), "{err}");
}

#[test]
fn a_protocol_relative_failure_redirect_is_refused() {
    let err = refused(builder().failure_redirect("//evil.example"));
    assert!(
        matches!(
            err,
            ConfigError::Path {
                option: "failure_redirect",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn an_absolute_failure_redirect_is_accepted() {
    assert!(builder()
        .failure_redirect("https://example.com/login")
        .build()
        .is_ok());
}

#[test]
fn a_relative_success_redirect_is_refused() {
    let err = refused(builder().success_redirect("home"));
    assert!(
        matches!(
            err,
            ConfigError::Path {
                option: "success_redirect",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn an_api_base_url_without_a_scheme_is_refused() {
    let err = refused(builder().api_base_url("api.x.com"));
    assert!(
        matches!(
            err,
            ConfigError::Url {
                option: "api_base_url",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn a_signed_url_with_a_query_is_refused() {
    let err = refused(builder().request_token_url("https://api.x.com/oauth/request_token?x=1"));
    assert!(
        matches!(
            err,
            ConfigError::Url {
                option: "request_token_url",
                ..
            }
        ),
        "{err}"
    );
}

const PLAIN_HTTP: &str = "http://example.com";

/// `build()` refuses the builder's plain-http provider URL, naming `option`, and accepts it
/// with `allow_insecure_provider_urls(true)`.
fn refused_as_insecure(builder: impl Fn() -> TwitterLoginMiddlewareBuilder, option: &str) {
    let err = refused(builder());
    match &err {
        ConfigError::InsecureUrl { option: o, value } => {
            assert_eq!((*o, value.as_str()), (option, PLAIN_HTTP));
        }
        other => panic!("{option}: {other:?}"),
    }
    let message = err.to_string();
    for said in [option, PLAIN_HTTP, "any user id", "https"] {
        assert!(message.contains(said), "{said:?} in {message}");
    }
    assert!(
        builder().allow_insecure_provider_urls(true).build().is_ok(),
        "{option}: the opt-in accepts it"
    );
}

fn oauth2_builder() -> TwitterLoginMiddlewareBuilder {
    TwitterLoginMiddleware::oauth2_builder("client-id", CALLBACK)
}

#[test]
fn a_plain_http_api_base_url_is_refused() {
    refused_as_insecure(|| builder().api_base_url(PLAIN_HTTP), "api_base_url");
    refused_as_insecure(|| oauth2_builder().api_base_url(PLAIN_HTTP), "api_base_url");
}

#[test]
fn a_plain_http_request_token_url_is_refused() {
    refused_as_insecure(
        || builder().request_token_url(PLAIN_HTTP),
        "request_token_url",
    );
}

#[test]
fn a_plain_http_authenticate_url_is_refused() {
    refused_as_insecure(
        || builder().authenticate_url(PLAIN_HTTP),
        "authenticate_url",
    );
}

#[test]
fn a_plain_http_access_token_url_is_refused() {
    refused_as_insecure(
        || builder().access_token_url(PLAIN_HTTP),
        "access_token_url",
    );
}

#[test]
fn a_plain_http_verify_credentials_url_is_refused() {
    refused_as_insecure(
        || builder().verify_credentials_url(PLAIN_HTTP),
        "verify_credentials_url",
    );
}

#[test]
fn a_plain_http_users_me_url_is_refused() {
    refused_as_insecure(|| builder().users_me_url(PLAIN_HTTP), "users_me_url");
    refused_as_insecure(|| oauth2_builder().users_me_url(PLAIN_HTTP), "users_me_url");
}

#[test]
fn a_plain_http_authorize_url_is_refused() {
    refused_as_insecure(
        || oauth2_builder().authorize_url(PLAIN_HTTP),
        "authorize_url",
    );
}

#[test]
fn a_plain_http_token_url_is_refused() {
    refused_as_insecure(|| oauth2_builder().token_url(PLAIN_HTTP), "token_url");
}

#[test]
fn plain_http_provider_urls_on_loopback_are_accepted() {
    for base in [
        "http://127.0.0.1:9000",
        "http://[::1]:9000",
        "http://localhost:9000",
    ] {
        assert!(builder().api_base_url(base).build().is_ok(), "{base}");
        let oauth2 = oauth2_builder()
            .api_base_url(base)
            .authorize_url(format!("{base}/i/oauth2/authorize"));
        assert!(oauth2.build().is_ok(), "{base}");
    }
}

#[test]
fn a_zero_provider_timeout_is_refused() {
    let err = refused(builder().provider_timeout(Duration::ZERO));
    assert_eq!(
        err,
        ConfigError::Zero {
            option: "provider_timeout"
        }
    );
}

#[test]
fn a_zero_resolve_timeout_is_refused() {
    let err = refused(builder().resolve_timeout(Duration::ZERO));
    assert_eq!(
        err,
        ConfigError::Zero {
            option: "resolve_timeout"
        }
    );
}

#[test]
fn zero_pending_logins_are_refused() {
    let err = refused(builder().max_pending_logins(0));
    assert_eq!(
        err,
        ConfigError::Zero {
            option: "max_pending_logins"
        }
    );
}

#[test]
fn a_pending_login_ttl_under_a_second_is_refused() {
    let err = refused(builder().pending_login_ttl(Duration::from_millis(999)));
    assert_eq!(
        err,
        ConfigError::Zero {
            option: "pending_login_ttl"
        }
    );
}

#[test]
fn an_empty_session_key_is_refused() {
    let err = refused(builder().session_key(""));
    assert_eq!(
        err,
        ConfigError::Empty {
            option: "session_key"
        }
    );
}

#[test]
fn empty_user_fields_are_refused() {
    let err = refused(builder().user_fields(" "));
    assert_eq!(
        err,
        ConfigError::Empty {
            option: "user_fields"
        }
    );
}

#[test]
fn the_callback_route_is_the_callback_urls_path() {
    let twitter =
        TwitterLoginMiddleware::new("key", "secret", "https://example.com/auth/x/cb?from=x")
            .unwrap();
    assert_eq!(twitter.callback_path(), "/auth/x/cb");
    assert_eq!(twitter.login_path(), "/login/twitter");
}

/// Paths, redirects and the login start's limits.
mod start;

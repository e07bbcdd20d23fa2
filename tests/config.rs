//! `build()` refuses bad configurations and names the bad value.

use std::time::Duration;

use actix_twitter_login::{ConfigError, TwitterLogin};

const CALLBACK: &str = "http://127.0.0.1:8080/oauth/callback/twitter";

#[test]
fn required_values_are_checked() {
    let err = TwitterLogin::new("", "secret", CALLBACK).unwrap_err();
    assert_eq!(
        err,
        ConfigError::Empty {
            option: "consumer_key"
        }
    );
    let err = TwitterLogin::new("key", "", CALLBACK).unwrap_err();
    assert_eq!(
        err,
        ConfigError::Empty {
            option: "consumer_secret"
        }
    );
    for bad in [
        "/oauth/callback",
        "ftp://host/cb",
        "javascript:alert(1)",
        "http://",
        "not a url",
    ] {
        match TwitterLogin::new("key", "secret", bad).unwrap_err() {
            ConfigError::CallbackUrl { value, .. } => assert_eq!(value, bad),
            other => panic!("{bad}: {other:?}"),
        }
    }
}

#[test]
fn paths_and_urls_are_checked_and_named() {
    let b = || TwitterLogin::builder("key", "secret", CALLBACK);
    let err = b().login_path("login/twitter").build().unwrap_err();
    assert!(err.to_string().contains("login/twitter"), "{err}");
    let err = b().failure_redirect("//evil.example").build().unwrap_err();
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
    let err = b().success_redirect("home").build().unwrap_err();
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
    let err = b().api_base_url("api.x.com").build().unwrap_err();
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
    let err = b()
        .request_token_url("https://api.x.com/oauth/request_token?x=1")
        .build()
        .unwrap_err();
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
    let err = b()
        .login_path("/oauth/callback/twitter")
        .build()
        .unwrap_err();
    assert!(matches!(err, ConfigError::RouteClash { .. }), "{err}");
    let err = b().provider_timeout(Duration::ZERO).build().unwrap_err();
    assert_eq!(
        err,
        ConfigError::Zero {
            option: "provider_timeout"
        }
    );
    let err = b().max_pending_logins(0).build().unwrap_err();
    assert_eq!(
        err,
        ConfigError::Zero {
            option: "max_pending_logins"
        }
    );
    assert!(b()
        .failure_redirect("https://example.com/login")
        .build()
        .is_ok());
}

#[test]
fn the_callback_route_is_the_callback_urls_path() {
    let twitter =
        TwitterLogin::new("key", "secret", "https://example.com/auth/x/cb?from=x").unwrap();
    assert_eq!(twitter.callback_path(), "/auth/x/cb");
    assert_eq!(twitter.login_path(), "/login/twitter");
}

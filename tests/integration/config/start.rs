//! Paths, redirects and the login start's limits: refused with the option they belong to.

use std::time::Duration;

use actix_twitter_login::{ConfigError, TwitterLoginMiddleware};

use super::{builder, refused, CALLBACK};

#[test]
fn redirects_and_paths_with_control_characters_are_refused() {
    for (option, err) in [
        (
            "success_redirect",
            refused(builder().success_redirect("/home\r\nSet-Cookie: x=1")),
        ),
        (
            "failure_redirect",
            refused(builder().failure_redirect("/\t/evil.example")),
        ),
        (
            "failure_redirect",
            refused(builder().failure_redirect("/%5Cevil.example")),
        ),
        (
            "login_path",
            refused(builder().login_path("/login\ttwitter")),
        ),
    ] {
        assert!(
            matches!(&err, ConfigError::Path { option: o, .. } if *o == option),
            "{err}"
        );
    }
}

#[test]
fn route_paths_are_checked_like_the_builders() {
    let routes = || {
        TwitterLoginMiddleware::new("key", "secret", CALLBACK)
            .unwrap()
            .routes()
    };
    for (option, result) in [
        ("login_page", routes().login_page("signin")),
        ("login_page", routes().login_page("//evil.example")),
        ("login_page", routes().login_page("/sign\nin")),
        ("logout", routes().logout("/log out")),
        ("logout", routes().logout("/logout/{id}")),
        ("after_logout", routes().after_logout("/\\evil.example")),
        ("after_logout", routes().after_logout("/%2F%2Fevil.example")),
    ] {
        let err = result.expect_err("a bad route path is refused");
        assert!(
            matches!(&err, ConfigError::Path { option: o, .. } if *o == option),
            "{err}"
        );
    }
    assert!(routes()
        .login_page("/signin")
        .and_then(|r| r.logout("/signout"))
        .and_then(|r| r.after_logout("https://app.example/bye"))
        .is_ok());
}

#[test]
fn a_return_to_parameter_name_that_is_not_a_plain_word_is_refused() {
    assert_eq!(
        refused(builder().return_to_param("")),
        ConfigError::Empty {
            option: "return_to_param"
        }
    );
    let err = refused(builder().return_to_param("next&x"));
    assert!(
        matches!(
            err,
            ConfigError::Path {
                option: "return_to_param",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn zero_login_limits_are_refused() {
    for (option, builder) in [
        (
            "login_rate_limit",
            builder().login_rate_limit(0, Duration::from_secs(60)),
        ),
        (
            "login_rate_limit",
            builder().login_rate_limit(5, Duration::ZERO),
        ),
        (
            "max_in_flight_provider_calls",
            builder().max_in_flight_provider_calls(0),
        ),
    ] {
        assert_eq!(refused(builder), ConfigError::Zero { option });
    }
}

//! The request-token and access-token reply parsers on arbitrary bodies.
//!
//! Beyond "no panic": an accepted reply holds non-empty values free of control characters, a
//! decimal `user_id` that fits a `u64`, and survives being encoded again and re-parsed; JSON
//! and markup bodies are never accepted; a refusal reason is one clean line.
#![no_main]

use actix_twitter_login::fuzzing;
use libfuzzer_sys::fuzz_target;
use url::form_urlencoded::Serializer;

fn check_value(name: &str, value: &str) {
    assert!(!value.is_empty(), "{name} is empty");
    assert!(!value.chars().any(char::is_control), "{name} {value:?}");
}

fn check_reason(reason: &str) {
    assert!(!reason.is_empty());
    assert!(!reason.chars().any(char::is_control), "{reason:?}");
}

fuzz_target!(|data: &[u8]| {
    let markup = std::str::from_utf8(data)
        .map(|text| text.trim().starts_with(['{', '[', '<']))
        .unwrap_or(true);

    match fuzzing::temporary_credentials(data) {
        Ok(temporary) => {
            assert!(!markup, "accepted a JSON, markup or non-UTF-8 body");
            check_value("oauth_token", &temporary.token);
            check_value("oauth_token_secret", temporary.secret.expose());
            let again = Serializer::new(String::new())
                .append_pair("oauth_token", &temporary.token)
                .append_pair("oauth_token_secret", temporary.secret.expose())
                .append_pair("oauth_callback_confirmed", "true")
                .finish();
            let reparsed = fuzzing::temporary_credentials(again.as_bytes())
                .expect("a re-encoded reply parses");
            assert_eq!(reparsed.token, temporary.token);
            assert_eq!(reparsed.secret.expose(), temporary.secret.expose());
        }
        Err(reason) => check_reason(&reason),
    }

    match fuzzing::access_reply(data) {
        Ok(access) => {
            assert!(!markup, "accepted a JSON, markup or non-UTF-8 body");
            check_value("oauth_token", &access.credentials.token);
            check_value("oauth_token_secret", access.credentials.secret.expose());
            check_value("screen_name", &access.screen_name);
            assert!(
                access.user_id.bytes().all(|b| b.is_ascii_digit()),
                "user_id {:?}",
                access.user_id
            );
            assert!(
                access.user_id.parse::<u64>().is_ok(),
                "{:?}",
                access.user_id
            );
            let again = Serializer::new(String::new())
                .append_pair("oauth_token", &access.credentials.token)
                .append_pair("oauth_token_secret", access.credentials.secret.expose())
                .append_pair("user_id", &access.user_id)
                .append_pair("screen_name", &access.screen_name)
                .finish();
            let reparsed =
                fuzzing::access_reply(again.as_bytes()).expect("a re-encoded reply parses");
            assert_eq!(reparsed.credentials.token, access.credentials.token);
            assert_eq!(reparsed.user_id, access.user_id);
            assert_eq!(reparsed.screen_name, access.screen_name);
        }
        Err(reason) => check_reason(&reason),
    }
});

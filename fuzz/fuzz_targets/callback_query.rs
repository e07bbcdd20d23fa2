//! The callback's query handling on arbitrary query strings.
//!
//! Beyond "no panic": every refusal is a malformed-callback failure; an oversized query is
//! refused; an approved callback has a non-empty token and verifier of at most 256 bytes each
//! and round-trips through `application/x-www-form-urlencoded`; a denied token is non-empty
//! and bounded the same way.
#![no_main]

use actix_twitter_login::{
    fuzzing::{self, Callback},
    LoginFailure,
};
use libfuzzer_sys::fuzz_target;
use url::form_urlencoded::Serializer;

const MAX_VALUE_BYTES: usize = 256;

fn check_value(name: &str, value: &str) {
    assert!(!value.is_empty(), "{name} is empty");
    assert!(
        value.len() <= MAX_VALUE_BYTES,
        "{name}: {} bytes",
        value.len()
    );
}

fuzz_target!(|data: &[u8]| {
    // A request's query string is text (the HTTP layer refuses anything else).
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = fuzzing::callback_query(query);
    if query.len() > fuzzing::MAX_CALLBACK_QUERY_BYTES {
        assert!(parsed.is_err(), "an oversized query was accepted");
    }
    match parsed {
        Ok(Callback::Approved { token, verifier }) => {
            check_value("oauth_token", &token);
            check_value("oauth_verifier", &verifier);
            let again = Serializer::new(String::new())
                .append_pair("oauth_token", &token)
                .append_pair("oauth_verifier", &verifier)
                .finish();
            assert_eq!(
                fuzzing::callback_query(&again).ok(),
                Some(Callback::Approved { token, verifier })
            );
        }
        Ok(Callback::Denied { token }) => {
            if let Some(token) = token {
                check_value("denied", &token);
            }
        }
        Err(LoginFailure::MalformedCallback(reason)) => assert!(!reason.is_empty()),
        Err(other) => panic!("not a malformed-callback failure: {other:?}"),
    }
});

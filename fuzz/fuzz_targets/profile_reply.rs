//! The profile parsers (`/2/users/me`, v1.1 `verify_credentials`) on arbitrary bodies.
//!
//! Beyond "no panic": an accepted profile has a decimal id that fits a `u64` and a non-empty
//! handle of at most 64 characters without whitespace or control characters; a refusal reason
//! is one bounded line.
#![no_main]

use actix_twitter_login::{fuzzing, Profile};
use libfuzzer_sys::fuzz_target;

fn check(result: Result<Profile, String>) {
    match result {
        Ok(profile) => {
            assert_eq!(profile.provider, "twitter");
            assert!(!profile.id.is_empty());
            assert!(
                profile.id.bytes().all(|b| b.is_ascii_digit()),
                "{:?}",
                profile.id
            );
            assert!(profile.id.parse::<u64>().is_ok(), "{:?}", profile.id);
            let handle = &profile.username;
            assert!(
                !handle.is_empty() && handle.chars().count() <= 64,
                "{handle:?}"
            );
            assert!(
                !handle.chars().any(|c| c.is_whitespace() || c.is_control()),
                "{handle:?}"
            );
            assert!(profile.raw.is_some());
        }
        Err(reason) => {
            assert!(!reason.is_empty());
            assert!(!reason.chars().any(char::is_control), "{reason:?}");
            assert!(
                reason.chars().count() <= 512,
                "{} chars",
                reason.chars().count()
            );
        }
    }
}

fuzz_target!(|data: &[u8]| {
    check(fuzzing::users_me(data));
    check(fuzzing::verify_credentials(data));
});

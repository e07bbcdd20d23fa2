//! When a stored token is handed out as it is, and when it is refreshed first: it must outlive
//! the margin, strictly.

use std::time::{Duration, SystemTime};

use super::{super::judge, oauth2};
use crate::{accounts::refresh::Freshness, credentials::Credentials, store::token_lock::TokenRow};

const MARGIN: Duration = Duration::from_secs(60);

/// A fixed clock.
fn now() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000)
}

/// Whether a token expiring at `at` is handed out as it is (rather than refreshed first).
fn usable(at: SystemTime) -> bool {
    let mut token = oauth2("access", Some("refresh"), None);
    token.expires_at = Some(at);
    let row = TokenRow {
        credentials: Credentials::OAuth2(token),
        needs_reauthorization: false,
    };
    match judge(Some(row), MARGIN, now()) {
        Ok(Freshness::Usable(_)) => true,
        Ok(Freshness::Stale(_)) => false,
        Err(error) => panic!("{error:?}"),
    }
}

#[test]
fn a_token_is_refreshed_unless_it_outlives_the_margin() {
    let second = Duration::from_secs(1);
    assert!(usable(now() + MARGIN + second));
    assert!(!usable(now() + MARGIN));
    assert!(!usable(now() + MARGIN - second));
    assert!(!usable(now() - second));
}

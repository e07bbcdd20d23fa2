//! The state's bounds: expiry of request tokens and the purge of old nonces.

use std::time::Duration;

use crate::mock::state::{Grant, State};

const WINDOW: Duration = Duration::from_secs(300);

#[test]
fn a_nonce_triple_is_accepted_once_and_old_ones_are_purged() {
    let mut state = State::default();
    let now = 1_700_000_000;
    assert!(state.record_nonce("key", "n1", now, now, WINDOW));
    assert!(!state.record_nonce("key", "n1", now, now, WINDOW));
    // The triple is (key, nonce, timestamp): changing any part makes it new.
    assert!(state.record_nonce("other", "n1", now, now, WINDOW));
    assert!(state.record_nonce("key", "n1", now - 1, now, WINDOW));
    assert!(state.record_nonce("key", "n2", now, now, WINDOW));
    assert_eq!(state.sizes().2, 4);
    // Once the clock has moved past the window, the old triples are dropped.
    let later = now + WINDOW.as_secs() + 2;
    assert!(state.record_nonce("key", "n3", later, later, WINDOW));
    assert_eq!(state.sizes().2, 1);
}

#[test]
fn request_tokens_expire_and_are_purged_on_issue() {
    let mut state = State::default();
    let ttl = Duration::from_millis(50);
    let (token, _) = state.issue_request_token("http://cb", ttl);
    assert!(state.request_token(&token, ttl).is_some());
    std::thread::sleep(Duration::from_millis(80));
    assert!(state.request_token(&token, ttl).is_none());
    assert!(state.decide(&token, ttl, Grant::Denied).is_none());
    state.issue_request_token("http://cb", ttl);
    assert_eq!(state.sizes().0, 1);
}

#[test]
fn a_request_token_is_decided_once_and_taken_once() {
    let mut state = State::default();
    let ttl = Duration::from_secs(60);
    let (token, secret) = state.issue_request_token("http://cb?x=1", ttl);
    assert_eq!(state.request_token(&token, ttl).unwrap().secret, secret);
    assert_eq!(
        state.decide(&token, ttl, Grant::Denied).as_deref(),
        Some("http://cb?x=1")
    );
    assert!(state.decide(&token, ttl, Grant::Denied).is_none());
    assert!(state.take_request_token(&token, ttl).is_some());
    assert!(state.take_request_token(&token, ttl).is_none());
    assert_eq!(state.sizes().0, 0);
}

#[test]
fn access_tokens_carry_the_user_id() {
    let mut state = State::default();
    let (token, secret) = state.issue_access_token("1001");
    assert!(token.starts_with("1001-"));
    assert_eq!(state.access_token(&token), Some((secret.as_str(), "1001")));
    assert_eq!(state.access_token("1001-other"), None);
}

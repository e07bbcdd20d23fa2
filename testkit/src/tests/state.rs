//! The state's bounds: expiry of request tokens and the purge of old nonces.

use std::time::Duration;

use crate::state::{Grant, State};

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

#[test]
fn issuing_and_taking_many_request_tokens_keeps_the_state_bounded() {
    let mut state = State::default();
    let ttl = Duration::from_secs(600);
    // More than the cap of 10,000 request tokens, each taken at once (as a finished login does).
    for _ in 0..25_000 {
        let (token, _) = state.issue_request_token("http://cb", ttl);
        assert!(state.take_request_token(&token, ttl).is_some());
        let (order, _) = state.issue_order_lens();
        assert!(order <= 2 * state.sizes().0 + 64);
    }
    assert_eq!(state.sizes().0, 0);
    // Tokens left pending are capped, the oldest dropped first.
    let (first, _) = state.issue_request_token("http://cb", ttl);
    for _ in 0..10_500 {
        state.issue_request_token("http://cb", ttl);
    }
    assert_eq!(state.sizes().0, 10_000);
    assert!(state.request_token(&first, ttl).is_none());
    assert!(state.issue_order_lens().0 <= 2 * 10_000 + 64);
}

#[test]
fn access_tokens_are_capped_oldest_first() {
    let mut state = State::default();
    let (first, _) = state.issue_access_token("1001");
    let (second, _) = state.issue_access_token("1002");
    for _ in 0..9_999 {
        state.issue_access_token("1003");
    }
    // The cap is 10,000: the first token made room for the last.
    assert_eq!(state.sizes().1, 10_000);
    assert_eq!(state.issue_order_lens().1, 10_000);
    assert_eq!(state.access_token(&first), None);
    assert!(state.access_token(&second).is_some());
}

#[test]
fn debug_output_holds_no_secret() {
    use crate::{
        state::{Config, Shared},
        users::Users,
        MockUser,
    };
    let shared = Shared::new(Config {
        consumer_key: "the-consumer-key".into(),
        consumer_secret: "the-consumer-secret".into(),
        callbacks: vec!["http://127.0.0.1:8080/cb".into()],
        users: Users::new(vec![MockUser::new("1001", "alice", "Alice")]),
        app_name: "app".into(),
        timestamp_window: WINDOW,
        request_token_ttl: WINDOW,
        oauth2: Default::default(),
    });
    let (_, request_secret) = shared
        .lock()
        .issue_request_token("http://127.0.0.1:8080/cb", WINDOW);
    let (_, access_secret) = shared.lock().issue_access_token("1001");
    let debug = format!("{shared:?} {:?}", shared.config);
    assert!(debug.contains("the-consumer-key"), "{debug}");
    for secret in ["the-consumer-secret", &request_secret, &access_secret] {
        assert!(!debug.contains(secret), "{secret} in {debug}");
    }
}

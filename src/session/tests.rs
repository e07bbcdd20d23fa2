//! Pending logins and messages in a session: bounds, expiry, single use.

use actix_session::SessionExt as _;
use actix_web::test::TestRequest;

use super::*;

const KEY: &str = "oauth:twitter";
const TTL: Duration = Duration::from_secs(900);

fn temporary(token: &str) -> PendingLogin {
    PendingLogin {
        key: token.into(),
        secret: Secret::new(format!("{token}-secret")),
        return_to: None,
        link_user: None,
    }
}

fn found(taken: Taken) -> String {
    match taken {
        Taken::Found(login) => {
            assert_eq!(login.secret.expose(), format!("{}-secret", login.key));
            login.key
        }
        other => panic!("expected a pending login, got {other:?}"),
    }
}

#[test]
fn several_pending_logins_each_single_use() {
    let session = TestRequest::default().to_srv_request().get_session();
    remember_at(&session, KEY, &temporary("a"), 4, TTL, 1000).unwrap();
    remember_at(&session, KEY, &temporary("b"), 4, TTL, 1001).unwrap();
    assert_eq!(found(take_at(&session, KEY, "b", TTL, 1002).unwrap()), "b");
    assert!(matches!(
        take_at(&session, KEY, "b", TTL, 1002).unwrap(),
        Taken::Mismatch
    ));
    assert_eq!(found(take_at(&session, KEY, "a", TTL, 1002).unwrap()), "a");
    assert!(matches!(
        take_at(&session, KEY, "a", TTL, 1002).unwrap(),
        Taken::Empty
    ));
    assert!(
        session.get::<serde_json::Value>(KEY).unwrap().is_none(),
        "the key is removed once empty"
    );
}

#[test]
fn the_oldest_is_dropped_past_the_bound() {
    let session = TestRequest::default().to_srv_request().get_session();
    for (i, token) in ["a", "b", "c"].into_iter().enumerate() {
        remember_at(&session, KEY, &temporary(token), 2, TTL, 1000 + i as u64).unwrap();
    }
    assert!(matches!(
        take_at(&session, KEY, "a", TTL, 1003).unwrap(),
        Taken::Mismatch
    ));
    assert_eq!(found(take_at(&session, KEY, "c", TTL, 1003).unwrap()), "c");
    assert_eq!(found(take_at(&session, KEY, "b", TTL, 1003).unwrap()), "b");
}

#[test]
fn pending_logins_expire() {
    let session = TestRequest::default().to_srv_request().get_session();
    remember_at(&session, KEY, &temporary("a"), 4, TTL, 1000).unwrap();
    assert!(matches!(
        take_at(&session, KEY, "a", TTL, 1000 + 900).unwrap(),
        Taken::Empty
    ));
    remember_at(&session, KEY, &temporary("b"), 4, TTL, 1000).unwrap();
    assert_eq!(
        found(take_at(&session, KEY, "b", TTL, 1000 + 899).unwrap()),
        "b"
    );
    // A clock that went backwards does not keep a login alive forever.
    remember_at(&session, KEY, &temporary("c"), 4, TTL, 5000).unwrap();
    assert!(matches!(
        take_at(&session, KEY, "c", TTL, 10).unwrap(),
        Taken::Empty
    ));
}

#[test]
fn unreadable_state_is_discarded_not_a_panic() {
    let session = TestRequest::default().to_srv_request().get_session();
    session.insert(KEY, "not a list").unwrap();
    assert!(matches!(
        take_at(&session, KEY, "a", TTL, 1000).unwrap(),
        Taken::Empty
    ));
    remember_at(&session, KEY, &temporary("a"), 4, TTL, 1000).unwrap();
    assert_eq!(found(take_at(&session, KEY, "a", TTL, 1000).unwrap()), "a");
}

#[test]
fn messages_are_bounded_and_taken_once() {
    let session = TestRequest::default().to_srv_request().get_session();
    for i in 0..10 {
        push_message(&session, format!("m{i}")).unwrap();
    }
    let messages = take_messages(&session);
    assert_eq!(messages.len(), MAX_MESSAGES);
    assert_eq!(messages.last().map(String::as_str), Some("m9"));
    assert!(take_messages(&session).is_empty());
}

/// Whether a login remembered at `now` with `ttl` is found by a callback at the same instant.
fn found_at_once(token: &str, secret: &str, ttl: Duration) -> bool {
    let session = TestRequest::default().to_srv_request().get_session();
    let login = PendingLogin {
        key: token.to_owned(),
        secret: Secret::new(secret),
        return_to: None,
        link_user: None,
    };
    let now = 1_000_000;
    remember_at(&session, KEY, &login, 4, ttl, now).expect("remembered");
    match take_at(&session, KEY, token, ttl, now).expect("read") {
        Taken::Found(taken) => taken.key == token && taken.secret.expose() == secret,
        Taken::Mismatch | Taken::Empty => false,
    }
}

/// The fuzz target `pending_state`, minimized input `" 1"`: a 1 ms ttl, `max` 4, empty token and secret.
///
/// Pending logins are compared in whole seconds (`Duration::as_secs`), so a ttl under one
/// second would expire every login the moment it is made. The builder refuses such a ttl;
/// honouring it would pass as well.
#[test]
fn a_sub_second_pending_login_ttl_is_refused_or_honoured() {
    for ttl in [Duration::from_millis(1), Duration::from_millis(500)] {
        let built = crate::TwitterLoginMiddleware::builder(
            "key",
            "secret",
            "http://127.0.0.1:8080/callback",
        )
        .pending_login_ttl(ttl)
        .build();
        if built.is_ok() {
            assert!(found_at_once("", "", ttl), "ttl {ttl:?}: fuzz input");
            assert!(found_at_once("token", "secret", ttl), "ttl {ttl:?}");
        }
    }
}

#[test]
fn a_whole_second_ttl_finds_the_login_it_just_made() {
    assert!(found_at_once("", "", Duration::from_secs(1)));
    assert!(found_at_once(
        "token",
        "secret",
        Duration::from_millis(1500)
    ));
}

#[test]
fn a_login_issued_by_an_instance_whose_clock_is_ahead_is_still_fresh() {
    for (ahead, found) in [
        (1, true),
        (CLOCK_SKEW_SECS, true),
        (CLOCK_SKEW_SECS + 1, false),
    ] {
        let session = TestRequest::default().to_srv_request().get_session();
        remember_at(&session, KEY, &temporary("t"), 4, TTL, 1_000_000 + ahead).unwrap();
        let taken = take_at(&session, KEY, "t", TTL, 1_000_000).unwrap();
        assert_eq!(matches!(taken, Taken::Found(_)), found, "{ahead} s ahead");
    }
    // Ahead or not, it expires with the ttl.
    let session = TestRequest::default().to_srv_request().get_session();
    remember_at(&session, KEY, &temporary("t"), 4, TTL, 1_000_000).unwrap();
    let late = 1_000_000 + TTL.as_secs();
    assert!(matches!(
        take_at(&session, KEY, "t", TTL, late).unwrap(),
        Taken::Empty
    ));
}

//! What the login keeps in the actix-session: the pending logins (single use, expiring,
//! bounded in number) and the `messages` list.
//!
//! A pending login is whatever the protocol must find again at the callback: a key the
//! callback presents (the temporary credentials' `oauth_token` in OAuth 1.0a) and a secret the
//! browser never sees in the clear (the temporary credentials' secret): it lives in the session,
//! which is an encrypted cookie or a server-side store.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use actix_session::{Session, SessionInsertError};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

use crate::credentials::Secret;

/// The session key of the messages list, as passport's `failureMessage` uses it.
pub const MESSAGES_KEY: &str = "messages";

/// At most this many messages are kept; older ones are dropped first.
const MAX_MESSAGES: usize = 8;

/// How far another instance's clock may run ahead of this one's, in seconds, for a pending
/// login it issued to still count as fresh here.
const CLOCK_SKEW_SECS: u64 = 30;

/// How long a pending login issued now may be accepted somewhere: its ttl, plus the clock
/// skew allowed between instances.
pub(crate) fn valid_for(ttl: Duration) -> Duration {
    ttl + Duration::from_secs(CLOCK_SKEW_SECS)
}

/// The most pending logins a session may hold (the builder refuses a larger
/// `max_pending_logins`): with actix-session's cookie store they live in the session's
/// encrypted cookie, which browsers drop, silently, past 4096 bytes. Five pending logins at
/// their largest (an OAuth 1.0a temporary token of 256 bytes and secret of 128; OAuth 2.0's
/// state and code verifier are smaller), three messages and an identity make a `Set-Cookie`
/// of about 3.8 KB; six would pass 4 KB. A return-to path makes a pending login larger:
/// [`MAX_PENDING_BYTES`] bounds the list whatever its entries hold.
pub(crate) const MAX_PENDING_LOGINS: usize = 5;

/// The most the pending-login list may take in the session, as JSON: past it the oldest are
/// dropped (the newest always stays), so the cookie stays under 4 KB with return-to paths too.
/// Five of the largest pending logins without a return-to take about 2,130 bytes.
pub(crate) const MAX_PENDING_BYTES: usize = 2200;

/// A login started in this session and not yet finished.
#[derive(Debug, Clone)]
pub(crate) struct PendingLogin {
    /// What the callback presents to find it.
    pub key: String,
    /// What only the server side may know of it.
    pub secret: Secret,
    /// Where to go after signing in (a checked same-origin path), when the start asked.
    pub return_to: Option<String>,
}

/// One pending login as stored in the session (no `Debug`: it holds a secret).
#[derive(Serialize, Deserialize)]
struct Pending {
    /// The key (`oauth_token` of the temporary credentials).
    t: String,
    /// The secret. Kept in the session only: use an encrypted (`Private`) cookie or a
    /// server-side store.
    s: String,
    /// When it was issued, in seconds since the Unix epoch.
    i: u64,
    /// The return-to path, when the start gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    r: Option<String>,
}

/// The outcome of looking up the callback's key.
#[derive(Debug)]
pub(crate) enum Taken {
    /// The pending login, now removed from the session.
    Found(PendingLogin),
    /// Other logins are pending, but not this key.
    Mismatch,
    /// Nothing is pending: the session is new, lost, or every login expired.
    Empty,
}

pub(crate) fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn load(session: &Session, key: &str, now: u64, ttl: Duration) -> Vec<Pending> {
    let list: Vec<Pending> = match session.get(key) {
        Ok(list) => list.unwrap_or_default(),
        Err(_) => {
            tracing::warn!(
                key,
                "discarding unreadable pending-login state in the session"
            );
            Vec::new()
        }
    };
    list.into_iter()
        // Issued at most CLOCK_SKEW_SECS "in the future": another instance's clock may be a
        // little ahead of this one's.
        .filter(|p| p.i <= now + CLOCK_SKEW_SECS && now.saturating_sub(p.i) < ttl.as_secs())
        .collect()
}

fn store(session: &Session, key: &str, list: &[Pending]) -> Result<(), SessionInsertError> {
    if list.is_empty() {
        session.remove(key);
        return Ok(());
    }
    session.insert(key, list)
}

/// Remembers a newly started login, dropping expired ones and the oldest past `max`.
pub(crate) fn remember(
    session: &Session,
    key: &str,
    login: &PendingLogin,
    max: usize,
    ttl: Duration,
) -> Result<(), SessionInsertError> {
    remember_at(session, key, login, max, ttl, now())
}

pub(crate) fn remember_at(
    session: &Session,
    key: &str,
    login: &PendingLogin,
    max: usize,
    ttl: Duration,
    now: u64,
) -> Result<(), SessionInsertError> {
    let mut list = load(session, key, now, ttl);
    list.push(Pending {
        t: login.key.clone(),
        s: login.secret.expose().to_owned(),
        i: now,
        r: login.return_to.clone(),
    });
    let excess = list.len().saturating_sub(max);
    list.drain(..excess);
    while list.len() > 1
        && serde_json::to_string(&list).map_or(0, |json| json.len()) > MAX_PENDING_BYTES
    {
        list.remove(0);
    }
    store(session, key, &list)
}

/// How many logins this session has pending (not expired).
pub(crate) fn pending_count(session: &Session, key: &str, ttl: Duration) -> usize {
    load(session, key, now(), ttl).len()
}

/// Takes (removes) the pending login whose key is `token`, comparing in constant time.
pub(crate) fn take(
    session: &Session,
    key: &str,
    token: &str,
    ttl: Duration,
) -> Result<Taken, SessionInsertError> {
    take_at(session, key, token, ttl, now())
}

pub(crate) fn take_at(
    session: &Session,
    key: &str,
    token: &str,
    ttl: Duration,
    now: u64,
) -> Result<Taken, SessionInsertError> {
    let mut list = load(session, key, now, ttl);
    let mut found = None;
    for (index, pending) in list.iter().enumerate() {
        if bool::from(pending.t.as_bytes().ct_eq(token.as_bytes())) {
            found = Some(index);
        }
    }
    let taken = match found {
        Some(index) => {
            let pending = list.remove(index);
            Taken::Found(PendingLogin {
                key: pending.t,
                secret: Secret::new(pending.s),
                return_to: pending.r,
            })
        }
        None if list.is_empty() => Taken::Empty,
        None => Taken::Mismatch,
    };
    store(session, key, &list)?;
    Ok(taken)
}

/// Pushes a message onto the session's `messages` list (at most eight are kept).
///
/// # Errors
/// When the session cannot be written (serialization failure).
pub fn push_message(
    session: &Session,
    message: impl Into<String>,
) -> Result<(), actix_session::SessionInsertError> {
    let mut messages: Vec<String> = session.get(MESSAGES_KEY).ok().flatten().unwrap_or_default();
    messages.push(message.into());
    let excess = messages.len().saturating_sub(MAX_MESSAGES);
    messages.drain(..excess);
    session.insert(MESSAGES_KEY, messages)
}

/// Takes the session's `messages` list, leaving it empty: show each message once.
pub fn take_messages(session: &Session) -> Vec<String> {
    let messages = session.remove_as::<Vec<String>>(MESSAGES_KEY);
    match messages {
        Some(Ok(messages)) => messages,
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod cookie_size;

#[cfg(test)]
mod tests {
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
}

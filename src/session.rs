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
    /// For a link: the identity of the user who started it, who must still be the one signed
    /// in at the callback.
    pub link_user: Option<String>,
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
    /// The identity that started a link, for a link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    u: Option<String>,
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
        u: login.link_user.clone(),
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
                link_user: pending.u,
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
mod tests;

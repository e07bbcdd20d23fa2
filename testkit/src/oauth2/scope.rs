//! OAuth 2.0 scopes (RFC 6749 §3.3) as X defines them.

use std::fmt;

/// Every scope X's authorization server knows.
pub(crate) const KNOWN_SCOPES: &[&str] = &[
    "block.read",
    "block.write",
    "bookmark.read",
    "bookmark.write",
    "dm.read",
    "dm.write",
    "follows.read",
    "follows.write",
    "like.read",
    "like.write",
    "list.read",
    "list.write",
    "media.write",
    "mute.read",
    "mute.write",
    "offline.access",
    "space.read",
    "tweet.moderate.write",
    "tweet.read",
    "tweet.write",
    "users.email",
    "users.read",
];

/// The scope that gets a refresh token issued with the access token.
pub(crate) const OFFLINE_ACCESS: &str = "offline.access";
/// The scope that lets `GET /2/users/me` answer `confirmed_email`.
pub(crate) const USERS_EMAIL: &str = "users.email";
/// The scopes a token exchange grants: those of an app with OAuth 1.0a "Read" permission and
/// email access (the provider answers emails over OAuth 1.0a), and `offline.access`, always.
pub(crate) const EXCHANGE_SCOPES: &[&str] = &[
    "tweet.read",
    "users.read",
    "follows.read",
    USERS_EMAIL,
    OFFLINE_ACCESS,
];
/// The scopes `GET /2/users/me` requires.
pub(crate) const USERS_ME_SCOPES: &[&str] = &["tweet.read", "users.read"];

/// A set of known scopes, in the order they were first requested.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Scopes(Vec<String>);

impl Scopes {
    /// These scopes, each known.
    pub fn of(scopes: &[&str]) -> Self {
        Self(scopes.iter().map(|&scope| scope.to_owned()).collect())
    }

    /// The scopes of a `scope` parameter: scope tokens separated by single spaces. `None` when
    /// it is empty, malformed (leading, trailing or doubled spaces) or names an unknown scope.
    /// A scope requested twice is granted once.
    pub fn parse(value: &str) -> Option<Self> {
        let mut scopes: Vec<String> = Vec::new();
        for token in value.split(' ') {
            if !KNOWN_SCOPES.contains(&token) {
                return None;
            }
            if !scopes.iter().any(|s| s == token) {
                scopes.push(token.to_owned());
            }
        }
        Some(Self(scopes))
    }

    /// Whether `scope` is one of them.
    pub fn contains(&self, scope: &str) -> bool {
        self.0.iter().any(|s| s == scope)
    }

    /// Whether every one of `other` is one of them.
    pub fn includes(&self, other: &Scopes) -> bool {
        other.0.iter().all(|s| self.contains(s))
    }

    /// The scopes, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }
}

/// Space-separated, as the `scope` parameter and the token response's `scope` field.
impl fmt::Display for Scopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join(" "))
    }
}

//! The OAuth 2.0 grants the provider holds: authorization codes, access tokens and refresh
//! tokens, each in a [`TokenTable`] bounded in size (and in age for codes and access tokens),
//! and the latest token exchange of each OAuth 1.0a access token.

use std::{
    fmt,
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};

use super::{pkce::ChallengeMethod, scope::Scopes};
use crate::{expiry::TokenTable, signature::random_string, state::State};

/// At most this many authorization codes are kept; the oldest is dropped to make room.
const MAX_CODES: usize = 10_000;
/// At most this many OAuth 2.0 access tokens are kept; the oldest is dropped to make room.
const MAX_ACCESS_TOKENS: usize = 10_000;
/// At most this many refresh tokens are kept; the oldest is dropped to make room.
const MAX_REFRESH_TOKENS: usize = 10_000;
/// At most this many exchanged OAuth 1.0a access tokens are remembered (as many as the OAuth
/// 1.0a access tokens held); the one exchanged least recently is forgotten to make room, and
/// the tokens of its exchange stop working.
const MAX_EXCHANGED: usize = 10_000;

/// An authorization code and what it was issued for.
#[derive(Debug, Clone)]
pub(crate) struct CodeGrant {
    /// The client it was issued to.
    pub client_id: String,
    /// The redirect URI of the authorization request.
    pub redirect_uri: String,
    /// The code challenge of the authorization request.
    pub code_challenge: String,
    /// How the code challenge was derived.
    pub method: ChallengeMethod,
    /// The scopes granted.
    pub scopes: Scopes,
    /// The user who approved.
    pub user_id: String,
    /// When it was issued (it expires a code TTL later).
    pub issued: Instant,
}

/// What an access token or a refresh token stands for.
#[derive(Debug, Clone)]
pub(crate) struct TokenGrant {
    /// The client it was issued to.
    pub client_id: String,
    /// The user it acts for.
    pub user_id: String,
    /// The scopes granted.
    pub scopes: Scopes,
    /// When it was issued.
    pub issued: Instant,
    /// The token exchange it descends from (directly or by refreshes), if any: it works only
    /// while that is the latest exchange of its subject token.
    pub exchange: Option<Exchange>,
}

/// One token exchange (RFC 8693): the OAuth 1.0a access token exchanged (the subject token),
/// and which of its exchanges it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Exchange {
    /// The OAuth 1.0a access token.
    pub subject_token: String,
    /// The exchange's serial number, unique in the provider.
    pub serial: u64,
}

/// A refresh token's grant, and the access token issued with it (revoked with it).
#[derive(Clone)]
struct RefreshGrant {
    grant: TokenGrant,
    access_token: String,
}

/// The tokens issued by one token response. `Debug` shows neither.
pub(crate) struct IssuedTokens {
    /// The access token.
    pub access_token: String,
    /// The refresh token, when `offline.access` was granted.
    pub refresh_token: Option<String>,
}

impl fmt::Debug for IssuedTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IssuedTokens")
            .field("access_token", &"[redacted]")
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "[redacted]"),
            )
            .finish()
    }
}

/// Why a token could not be revoked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct IssuedToAnotherClient;

/// The OAuth 2.0 grants held. `Debug` shows only how many there are: the keys are secrets.
#[derive(Default)]
pub(crate) struct OAuth2Tokens {
    codes: TokenTable<CodeGrant>,
    access_tokens: TokenTable<TokenGrant>,
    refresh_tokens: TokenTable<RefreshGrant>,
    /// The serial number of the latest exchange of each subject token.
    latest_exchanges: TokenTable<u64>,
    /// The serial number of the next exchange.
    next_exchange: u64,
}

impl OAuth2Tokens {
    /// Whether `grant` still works: it descends from no token exchange, or from the latest
    /// exchange of its subject token.
    fn is_current(&self, grant: &TokenGrant) -> bool {
        grant.exchange.as_ref().is_none_or(|exchange| {
            self.latest_exchanges.get(&exchange.subject_token) == Some(&exchange.serial)
        })
    }
}

impl fmt::Debug for OAuth2Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuth2Tokens").finish_non_exhaustive()
    }
}

#[cfg(test)]
impl OAuth2Tokens {
    /// How many codes, access tokens and refresh tokens are held.
    pub fn sizes(&self) -> (usize, usize, usize) {
        (
            self.codes.len(),
            self.access_tokens.len(),
            self.refresh_tokens.len(),
        )
    }
}

/// A random string in the shape of X's OAuth 2.0 credentials: base64url of
/// `<random>:<unix milliseconds>:1:0:<kind>:1`, `kind` being `ac` (code), `at` or `rt`.
fn x_credential(kind: &str) -> String {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    URL_SAFE_NO_PAD.encode(format!("{}:{millis}:1:0:{kind}:1", random_string(43)))
}

impl State {
    /// Issues an authorization code for `grant` (its `issued` set to now); codes older than
    /// `ttl` are dropped first.
    pub fn issue_authorization_code(&mut self, mut grant: CodeGrant, ttl: Duration) -> String {
        grant.issued = Instant::now();
        let tokens = &mut self.oauth2;
        tokens.codes.expire(grant.issued, ttl);
        tokens.codes.make_room(MAX_CODES);
        let code = x_credential("ac");
        tokens.codes.insert(code.clone(), grant.issued, grant);
        self.remember_secret(&code);
        code
    }

    /// Removes the authorization code (it is single use) and returns it if it had not expired.
    pub fn take_authorization_code(&mut self, code: &str, ttl: Duration) -> Option<CodeGrant> {
        self.oauth2
            .codes
            .remove(code)
            .filter(|grant| grant.issued.elapsed() < ttl)
    }

    /// Issues an access token for `grant` (its `issued` set to now), and a refresh token when
    /// `offline.access` was granted; access tokens older than `ttl` are dropped first.
    pub fn issue_oauth2_tokens(&mut self, mut grant: TokenGrant, ttl: Duration) -> IssuedTokens {
        grant.issued = Instant::now();
        let tokens = &mut self.oauth2;
        tokens.access_tokens.expire(grant.issued, ttl);
        tokens.access_tokens.make_room(MAX_ACCESS_TOKENS);
        let access_token = x_credential("at");
        let refresh_token = grant
            .scopes
            .contains(super::scope::OFFLINE_ACCESS)
            .then(|| {
                tokens.refresh_tokens.make_room(MAX_REFRESH_TOKENS);
                let refresh_token = x_credential("rt");
                tokens.refresh_tokens.insert(
                    refresh_token.clone(),
                    grant.issued,
                    RefreshGrant {
                        grant: grant.clone(),
                        access_token: access_token.clone(),
                    },
                );
                refresh_token
            });
        tokens
            .access_tokens
            .insert(access_token.clone(), grant.issued, grant);
        self.remember_secret(&access_token);
        if let Some(refresh_token) = &refresh_token {
            self.remember_secret(refresh_token);
        }
        IssuedTokens {
            access_token,
            refresh_token,
        }
    }

    /// Removes the refresh token (each is used once; a refresh issues a new one) and returns
    /// its grant, unless a later token exchange has superseded it.
    pub fn take_refresh_token(&mut self, token: &str) -> Option<TokenGrant> {
        let grant = self.oauth2.refresh_tokens.remove(token).map(|r| r.grant);
        grant.filter(|grant| self.oauth2.is_current(grant))
    }

    /// The grant of an access token that is held, younger than `ttl`, and not superseded by a
    /// later token exchange.
    pub fn oauth2_access_token(&self, token: &str, ttl: Duration) -> Option<&TokenGrant> {
        self.oauth2
            .access_tokens
            .get(token)
            .filter(|grant| grant.issued.elapsed() < ttl && self.oauth2.is_current(grant))
    }

    /// Records a new exchange of `subject_token` (an OAuth 1.0a access token): the tokens of
    /// its previous exchanges, and of their refreshes, stop working.
    pub fn begin_token_exchange(&mut self, subject_token: &str) -> Exchange {
        let tokens = &mut self.oauth2;
        let serial = tokens.next_exchange;
        tokens.next_exchange += 1;
        if tokens.latest_exchanges.get(subject_token).is_none() {
            tokens.latest_exchanges.make_room(MAX_EXCHANGED);
        }
        tokens
            .latest_exchanges
            .insert(subject_token.to_owned(), Instant::now(), serial);
        Exchange {
            subject_token: subject_token.to_owned(),
            serial,
        }
    }

    /// Revokes an access token or a refresh token of `client_id` (a refresh token with the
    /// access token issued with it). An unknown token is not an error (RFC 7009 §2.2); a token
    /// of another client is.
    pub fn revoke_oauth2_token(
        &mut self,
        token: &str,
        client_id: &str,
    ) -> Result<(), IssuedToAnotherClient> {
        let tokens = &mut self.oauth2;
        if let Some(grant) = tokens.access_tokens.get(token) {
            if grant.client_id != client_id {
                return Err(IssuedToAnotherClient);
            }
            tokens.access_tokens.remove(token);
        } else if let Some(refresh) = tokens.refresh_tokens.get(token) {
            if refresh.grant.client_id != client_id {
                return Err(IssuedToAnotherClient);
            }
            let access_token = refresh.access_token.clone();
            tokens.refresh_tokens.remove(token);
            tokens.access_tokens.remove(&access_token);
        }
        Ok(())
    }
}

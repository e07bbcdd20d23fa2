//! Proof Key for Code Exchange (RFC 7636): the code verifier and code challenge rules.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use sha2::{Digest, Sha256};

use crate::signature::constant_time_eq;

/// How the code challenge was derived from the code verifier (`code_challenge_method`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChallengeMethod {
    /// `S256`: BASE64URL-ENCODE(SHA256(ASCII(code_verifier))), without padding.
    S256,
    /// `plain`: the code verifier itself.
    Plain,
}

impl ChallengeMethod {
    /// The method named by a `code_challenge_method` value (case-sensitive, as RFC 7636 spells
    /// them).
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "S256" => Some(Self::S256),
            "plain" => Some(Self::Plain),
            _ => None,
        }
    }
}

/// Whether `verifier` is a well-formed code verifier: 43 to 128 characters of
/// `[A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~"` (RFC 7636 §4.1).
pub(crate) fn verifier_is_well_formed(verifier: &str) -> bool {
    (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

/// Whether `challenge` can be a code challenge of `method`: for `S256` the 43 base64url
/// characters of a SHA-256 digest, for `plain` a well-formed code verifier.
pub(crate) fn challenge_is_well_formed(method: ChallengeMethod, challenge: &str) -> bool {
    match method {
        ChallengeMethod::S256 => {
            challenge.len() == 43
                && challenge
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
        }
        ChallengeMethod::Plain => verifier_is_well_formed(challenge),
    }
}

/// The `S256` code challenge of `verifier`.
pub(crate) fn s256_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// Whether `verifier` is well formed and derives `challenge` with `method` (RFC 7636 §4.6).
pub(crate) fn verifier_matches(verifier: &str, method: ChallengeMethod, challenge: &str) -> bool {
    if !verifier_is_well_formed(verifier) {
        return false;
    }
    match method {
        ChallengeMethod::S256 => constant_time_eq(&s256_challenge(verifier), challenge),
        ChallengeMethod::Plain => constant_time_eq(verifier, challenge),
    }
}

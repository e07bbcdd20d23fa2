//! The OAuth 2.0 pieces on their own: PKCE, Basic credentials, scopes, the grants' bounds, and
//! `Debug` output without secrets.

use std::time::{Duration, Instant};

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use sha2::{Digest, Sha256};

use super::oauth2_support::{CHALLENGE, VERIFIER};
use crate::{
    oauth2::{
        client::parse_basic,
        pkce::{
            challenge_is_well_formed, s256_challenge, verifier_is_well_formed, verifier_matches,
            ChallengeMethod,
        },
        scope::Scopes,
        store::{CodeGrant, TokenGrant},
    },
    state::{Config, Shared, State},
    users::Users,
    MockProvider, MockUser, OAuth2Client,
};

#[test]
fn s256_matches_rfc7636_appendix_b() {
    assert_eq!(s256_challenge(VERIFIER), CHALLENGE);
    assert!(verifier_matches(VERIFIER, ChallengeMethod::S256, CHALLENGE));
    assert!(!verifier_matches(
        CHALLENGE,
        ChallengeMethod::S256,
        CHALLENGE
    ));
    assert!(verifier_matches(VERIFIER, ChallengeMethod::Plain, VERIFIER));
    assert!(!verifier_matches(
        VERIFIER,
        ChallengeMethod::Plain,
        CHALLENGE
    ));
    // Any verifier, against SHA-256 and base64url computed here.
    let verifier = "A-._~".repeat(20);
    let expected = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    assert_eq!(s256_challenge(&verifier), expected);
    assert!(verifier_matches(
        &verifier,
        ChallengeMethod::S256,
        &expected
    ));
}

#[test]
fn code_verifiers_are_43_to_128_unreserved_characters() {
    for len in [43, 64, 128] {
        assert!(verifier_is_well_formed(&"a".repeat(len)), "{len}");
    }
    for len in [0, 42, 129] {
        assert!(!verifier_is_well_formed(&"a".repeat(len)), "{len}");
    }
    assert!(verifier_is_well_formed(&format!("{}-._~", "Z9".repeat(20))));
    for bad in ['+', '/', '=', ' ', '%', 'é'] {
        let verifier = format!("{}{bad}", "a".repeat(43));
        assert!(!verifier_is_well_formed(&verifier), "{verifier}");
        // A malformed verifier never matches, even its own plain challenge.
        assert!(!verifier_matches(
            &verifier,
            ChallengeMethod::Plain,
            &verifier
        ));
    }
}

#[test]
fn code_challenges_are_checked_for_their_method() {
    assert!(challenge_is_well_formed(ChallengeMethod::S256, CHALLENGE));
    assert!(!challenge_is_well_formed(
        ChallengeMethod::S256,
        &CHALLENGE[..42]
    ));
    assert!(!challenge_is_well_formed(
        ChallengeMethod::S256,
        &format!("{CHALLENGE}=")
    ));
    assert!(!challenge_is_well_formed(
        ChallengeMethod::S256,
        &"a~".repeat(22)[..43]
    ));
    assert!(challenge_is_well_formed(ChallengeMethod::Plain, VERIFIER));
    assert!(!challenge_is_well_formed(
        ChallengeMethod::Plain,
        "challenge"
    ));
    assert_eq!(ChallengeMethod::parse("S256"), Some(ChallengeMethod::S256));
    assert_eq!(
        ChallengeMethod::parse("plain"),
        Some(ChallengeMethod::Plain)
    );
    for bad in ["s256", "PLAIN", "S512", ""] {
        assert_eq!(ChallengeMethod::parse(bad), None, "{bad}");
    }
}

#[test]
fn basic_credentials_are_base64_of_form_encoded_id_and_secret() {
    let encode = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let parsed = parse_basic(&format!("Basic {}", encode("my%20id:se%3Acret+x")));
    assert_eq!(parsed, Some(("my id".to_owned(), "se:cret x".to_owned())));
    let parsed = parse_basic(&format!("basic {}", encode("id:a:b")));
    assert_eq!(parsed, Some(("id".to_owned(), "a:b".to_owned())));
    for bad in [
        format!("Basic {}", encode("no-colon")),
        format!("Bearer {}", encode("id:secret")),
        "Basic !!!".to_owned(),
        "Basic".to_owned(),
        format!("Basic {}", encode("id:%zz")),
    ] {
        assert_eq!(parse_basic(&bad), None, "{bad}");
    }
}

#[test]
fn scopes_are_parsed_strictly_and_kept_in_order() {
    let scopes = Scopes::parse("users.read tweet.read users.read").unwrap();
    assert_eq!(scopes.to_string(), "users.read tweet.read");
    assert!(scopes.contains("tweet.read") && !scopes.contains("users.email"));
    let fewer = Scopes::parse("tweet.read").unwrap();
    assert!(scopes.includes(&fewer) && !fewer.includes(&scopes));
    for bad in [
        "",
        " tweet.read",
        "tweet.read ",
        "tweet.read  users.read",
        "Tweet.read",
        "x",
    ] {
        assert_eq!(Scopes::parse(bad), None, "{bad:?}");
    }
}

fn code_grant(client_id: &str) -> CodeGrant {
    CodeGrant {
        client_id: client_id.into(),
        redirect_uri: "http://127.0.0.1:8080/cb".into(),
        code_challenge: CHALLENGE.into(),
        method: ChallengeMethod::S256,
        scopes: Scopes::parse("tweet.read users.read offline.access").unwrap(),
        user_id: "1001".into(),
        issued: Instant::now(),
    }
}

fn token_grant(scope: &str) -> TokenGrant {
    TokenGrant {
        client_id: "client".into(),
        user_id: "1001".into(),
        scopes: Scopes::parse(scope).unwrap(),
        issued: Instant::now(),
        exchange: None,
    }
}

#[test]
fn codes_are_single_use_expire_and_are_capped() {
    let mut state = State::default();
    let ttl = Duration::from_secs(60);
    let code = state.issue_authorization_code(code_grant("client"), ttl);
    assert_eq!(
        state.take_authorization_code(&code, ttl).unwrap().user_id,
        "1001"
    );
    assert!(state.take_authorization_code(&code, ttl).is_none());
    // With no lifetime a code is expired at once, and taking it still removes it.
    let code = state.issue_authorization_code(code_grant("client"), Duration::ZERO);
    assert!(state
        .take_authorization_code(&code, Duration::ZERO)
        .is_none());
    assert_eq!(state.oauth2.sizes().0, 0);
    let first = state.issue_authorization_code(code_grant("client"), ttl);
    for _ in 0..10_050 {
        state.issue_authorization_code(code_grant("client"), ttl);
    }
    assert_eq!(state.oauth2.sizes().0, 10_000);
    assert!(state.take_authorization_code(&first, ttl).is_none());
}

#[test]
fn oauth2_tokens_are_capped_oldest_first() {
    let mut state = State::default();
    let ttl = Duration::from_secs(7200);
    let first = state.issue_oauth2_tokens(token_grant("tweet.read offline.access"), ttl);
    for _ in 0..10_000 {
        state.issue_oauth2_tokens(token_grant("tweet.read offline.access"), ttl);
    }
    assert_eq!(state.oauth2.sizes(), (0, 10_000, 10_000));
    assert!(state
        .oauth2_access_token(&first.access_token, ttl)
        .is_none());
    assert!(state
        .take_refresh_token(&first.refresh_token.unwrap())
        .is_none());
    // Only the newest secrets are remembered.
    assert_eq!(state.issued_secrets.len(), 1024);
}

#[test]
fn debug_output_holds_no_oauth2_secret() {
    let client = OAuth2Client::confidential("the-client-id", "the-client-secret");
    assert_eq!(
        format!("{client:?}"),
        r#"OAuth2Client { id: "the-client-id", client_type: "confidential", secret: "[redacted]" }"#
    );
    let builder = MockProvider::builder("key", "the-consumer-secret").oauth2_client(client.clone());
    let shared = Shared::new(Config {
        consumer_key: "key".into(),
        consumer_secret: "the-consumer-secret".into(),
        callbacks: vec!["http://127.0.0.1:8080/cb".into()],
        users: Users::new(vec![MockUser::new("1001", "alice", "Alice")]),
        app_name: "app".into(),
        timestamp_window: Duration::from_secs(300),
        request_token_ttl: Duration::from_secs(300),
        oauth2: crate::oauth2::Settings {
            client: Some(client),
            ..Default::default()
        },
    });
    let ttl = Duration::from_secs(60);
    let code = shared
        .lock()
        .issue_authorization_code(code_grant("the-client-id"), ttl);
    let tokens = shared
        .lock()
        .issue_oauth2_tokens(token_grant("tweet.read offline.access"), ttl);
    // (The state itself is never shown: `Shared`'s `Debug` leaves it out.)
    let debug = format!("{builder:?} {shared:?} {:?} {tokens:?}", shared.config);
    assert!(debug.contains("the-client-id"), "{debug}");
    let refresh_token = tokens.refresh_token.clone().unwrap();
    for secret in [
        "the-client-secret",
        &code,
        &tokens.access_token,
        &refresh_token,
    ] {
        assert!(!debug.contains(secret), "{secret} in {debug}");
    }
}

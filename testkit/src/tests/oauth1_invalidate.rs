//! `POST /1.1/oauth/invalidate_token` and token credentials issued without a browser.

use std::collections::HashSet;

use super::support::*;
use crate::{signature::Signer, Fault, MockEndpoint, RunningProvider};

const INVALIDATE: &str = "/1.1/oauth/invalidate_token";
const VERIFY: &str = "/1.1/account/verify_credentials.json";
const CODE_32: &str = r#"{"errors":[{"code":32,"message":"Could not authenticate you."}]}"#;
const CODE_89: &str = r#"{"errors":[{"code":89,"message":"Invalid or expired token."}]}"#;
const V2_UNAUTHORIZED: &str =
    r#"{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}"#;

/// A `POST path` signed by `signer`.
async fn invalidate_with(provider: &RunningProvider, signer: &Signer, path: &str) -> Reply {
    let auth = authorization(provider, signer, "POST", path, &[]);
    post(provider, path, Some(&auth), &[]).await
}

/// `POST /1.1/oauth/invalidate_token` signed with the token credentials.
async fn invalidate(provider: &RunningProvider, token: &str, secret: &str) -> Reply {
    invalidate_with(provider, &signer().token(token, secret), INVALIDATE).await
}

#[actix_web::test]
async fn an_invalidated_token_fails_everywhere() {
    let provider = start().await;
    let (token, secret) = login(&provider, "alice").await;
    let (other, other_secret) = login(&provider, "alice").await;
    assert_eq!(
        get_signed(&provider, VERIFY, &token, &secret).await.status,
        200
    );

    let reply = invalidate(&provider, &token, &secret).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(reply.content_type, "application/json; charset=utf-8");
    assert_eq!(reply.json(), serde_json::json!({ "access_token": token }));

    get_signed(&provider, VERIFY, &token, &secret)
        .await
        .assert(401, CODE_89);
    get_signed(&provider, "/2/users/me", &token, &secret)
        .await
        .assert(401, V2_UNAUTHORIZED);
    // Invalidating it again finds no such token, as X answers after an invalidation.
    invalidate(&provider, &token, &secret)
        .await
        .assert(401, CODE_89);
    // The user's other token credentials are untouched.
    let reply = get_signed(&provider, VERIFY, &other, &other_secret).await;
    assert_eq!(reply.json()["id_str"], "1001", "{reply:?}");
    assert_eq!(provider.requests(MockEndpoint::InvalidateToken), 2);
}

#[actix_web::test]
async fn the_json_path_invalidates_too() {
    let provider = start().await;
    let (token, secret) = login(&provider, "bob").await;
    let path = "/1.1/oauth/invalidate_token.json";
    let reply = invalidate_with(&provider, &signer().token(&token, &secret), path).await;
    assert_eq!(reply.json()["access_token"], token.as_str(), "{reply:?}");
    get_signed(&provider, VERIFY, &token, &secret)
        .await
        .assert(401, CODE_89);
}

#[actix_web::test]
async fn a_badly_signed_invalidation_changes_nothing() {
    let provider = start().await;
    let (token, secret) = login(&provider, "alice").await;
    let wrong_secret = Signer::new(KEY, "not-the-consumer-secret").token(&token, &secret);
    let bad = [
        // The wrong token secret, the wrong consumer secret.
        signer().token(&token, "not-the-token-secret"),
        wrong_secret,
    ];
    for signer in &bad {
        invalidate_with(&provider, signer, INVALIDATE)
            .await
            .assert(401, CODE_32);
    }
    // Signed for the other path than the one requested.
    let auth = authorization(
        &provider,
        &signer().token(&token, &secret),
        "POST",
        "/1.1/oauth/invalidate_token.json",
        &[],
    );
    post(&provider, INVALIDATE, Some(&auth), &[])
        .await
        .assert(401, CODE_32);
    // Unsigned: no OAuth data at all.
    let reply = post(&provider, INVALIDATE, None, &[]).await;
    assert_eq!(reply.status, 400, "{reply:?}");
    assert_eq!(reply.json()["errors"][0]["code"], 215);
    // An unknown token.
    invalidate(&provider, "1001-unknown", &secret)
        .await
        .assert(401, CODE_89);
    assert_eq!(provider.rejected(), 5);
    // The token still works, and a correct signature then invalidates it.
    assert_eq!(
        get_signed(&provider, VERIFY, &token, &secret).await.status,
        200
    );
    assert_eq!(invalidate(&provider, &token, &secret).await.status, 200);
    assert_eq!(provider.rejected(), 5);
}

#[actix_web::test]
async fn faults_apply_to_the_invalidation_after_the_signature_and_keep_the_token() {
    let provider = start().await;
    let (token, secret) = login(&provider, "alice").await;
    provider.inject(MockEndpoint::InvalidateToken, Fault::RateLimited);
    invalidate_with(&provider, &signer().token(&token, "wrong"), INVALIDATE)
        .await
        .assert(401, CODE_32);
    invalidate(&provider, &token, &secret).await.assert(
        429,
        r#"{"errors":[{"code":88,"message":"Rate limit exceeded"}]}"#,
    );
    provider.inject(MockEndpoint::InvalidateToken, Fault::Status(503));
    invalidate(&provider, &token, &secret)
        .await
        .assert(503, "503 Service Unavailable");
    // Other endpoints are not affected, and the token was not invalidated.
    assert_eq!(
        get_signed(&provider, VERIFY, &token, &secret).await.status,
        200
    );
    provider.clear_faults();
    assert_eq!(invalidate(&provider, &token, &secret).await.status, 200);
    assert_eq!(provider.requests(MockEndpoint::InvalidateToken), 4);
}

#[actix_web::test]
async fn issued_token_credentials_act_for_the_user_without_any_request() {
    let provider = start().await;
    assert_eq!(provider.issue_oauth1_token("carol"), None);
    let (token, secret) = provider.issue_oauth1_token("BOB").expect("bob is a user");
    let reply = get_signed(&provider, VERIFY, &token, &secret).await;
    assert_eq!(reply.json()["screen_name"], "bob", "{reply:?}");
    let reply = get_signed(&provider, "/2/users/me", &token, &secret).await;
    assert_eq!(reply.json()["data"]["id"], "1002", "{reply:?}");
    assert!(provider.issued_secrets().contains(&secret));
    // Nothing reached the OAuth endpoints.
    for endpoint in [MockEndpoint::RequestToken, MockEndpoint::AccessToken] {
        assert_eq!(provider.requests(endpoint), 0);
    }
    // Seeding a thousand users is quick, and every pair is distinct.
    let pairs: Vec<_> = (0..1000)
        .map(|n| {
            let user = if n % 2 == 0 { "alice" } else { "bob" };
            provider.issue_oauth1_token(user).expect("a user")
        })
        .collect();
    let tokens: HashSet<_> = pairs.iter().map(|(token, _)| token).collect();
    assert_eq!(tokens.len(), 1000);
    let (token, secret) = &pairs[998];
    let reply = get_signed(&provider, VERIFY, token, secret).await;
    assert_eq!(reply.json()["screen_name"], "alice", "{reply:?}");
    // They can be invalidated like any.
    assert_eq!(invalidate(&provider, token, secret).await.status, 200);
    get_signed(&provider, VERIFY, token, secret)
        .await
        .assert(401, CODE_89);
}

#[actix_web::test]
async fn token_credentials_invalidated_by_the_helper_fail_everywhere() {
    let provider = start().await;
    let (token, secret) = provider
        .issue_oauth1_token("alice")
        .expect("alice is a user");
    let (kept, kept_secret) = provider
        .issue_oauth1_token("alice")
        .expect("alice is a user");
    assert!(provider.invalidate_oauth1_token(&token));
    assert!(!provider.invalidate_oauth1_token(&token), "already gone");
    assert!(!provider.invalidate_oauth1_token("no-such-token"));
    get_signed(&provider, VERIFY, &token, &secret)
        .await
        .assert(401, CODE_89);
    // The user's other token credentials are untouched, and nothing was counted.
    let reply = get_signed(&provider, VERIFY, &kept, &kept_secret).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(provider.requests(MockEndpoint::InvalidateToken), 0);
}

//! `GET /2/users/me` with `Authorization: Bearer <access token>`: token checks, scopes,
//! `user.fields` and `confirmed_email`.

use std::time::Duration;

use super::{oauth2_support::*, support::*};
use crate::MockEndpoint;

const V2_FORBIDDEN: &str =
    r#"{"title":"Forbidden","type":"about:blank","status":403,"detail":"Forbidden"}"#;
const WITH_EMAIL: &str = "/2/users/me?user.fields=confirmed_email,profile_image_url";

#[actix_web::test]
async fn users_me_needs_tweet_read_and_users_read() {
    let provider = Caller::Confidential.start().await;
    for scope in [
        "users.read",
        "tweet.read",
        "users.read offline.access users.email",
    ] {
        let tokens = Caller::Confidential.login(&provider, scope, "alice").await;
        let reply = get_bearer(&provider, "/2/users/me", tokens.access_token()).await;
        reply.assert(403, V2_FORBIDDEN);
        assert_eq!(reply.content_type, "application/problem+json");
    }
    // A missing scope is not an authentication failure.
    assert_eq!(provider.rejected(), 0);
    let tokens = Caller::Confidential
        .login(&provider, "users.read tweet.read", "alice")
        .await;
    let reply = get_bearer(&provider, "/2/users/me", tokens.access_token()).await;
    assert_eq!(reply.status, 200, "{reply:?}");
}

#[actix_web::test]
async fn confirmed_email_needs_users_email_an_email_and_the_field() {
    let provider = Caller::Public.start().await;
    let with_scope = "tweet.read users.read users.email";
    let alice = Caller::Public.login(&provider, with_scope, "alice").await;
    let data = get_bearer(&provider, WITH_EMAIL, alice.access_token())
        .await
        .json();
    assert_eq!(data["data"]["confirmed_email"], ALICE_EMAIL, "{data}");
    assert_eq!(
        data["data"]["profile_image_url"],
        "https://pbs.twimg.com/profile_images/1001/alice_normal.jpg"
    );
    // Not asked for.
    let data = get_bearer(&provider, "/2/users/me", alice.access_token())
        .await
        .json();
    assert!(data["data"].get("confirmed_email").is_none(), "{data}");
    // Asked for, without users.email.
    let alice = Caller::Public.login(&provider, USERS_ME, "alice").await;
    let data = get_bearer(&provider, WITH_EMAIL, alice.access_token())
        .await
        .json();
    assert!(data["data"].get("confirmed_email").is_none(), "{data}");
    assert!(data["data"]["profile_image_url"].is_string(), "{data}");
    // Asked for with users.email, but bob has no email.
    let bob = Caller::Public.login(&provider, with_scope, "bob").await;
    let data = get_bearer(&provider, WITH_EMAIL, bob.access_token())
        .await
        .json();
    assert_eq!(data["data"]["id"], "1002");
    assert!(data["data"].get("confirmed_email").is_none(), "{data}");
}

#[actix_web::test]
async fn unknown_user_fields_get_the_invalid_request_problem() {
    let provider = Caller::Confidential.start().await;
    let tokens = Caller::Confidential
        .login(&provider, USERS_ME, "alice")
        .await;
    let path = "/2/users/me?user.fields=name,pinned_tweet_id";
    let reply = get_bearer(&provider, path, tokens.access_token()).await;
    assert_eq!(reply.status, 400, "{reply:?}");
    assert_eq!(reply.content_type, "application/problem+json");
    let body = reply.json();
    assert_eq!(
        body["errors"][0]["parameters"]["user.fields"][0],
        "pinned_tweet_id"
    );
    let reply = get_bearer(
        &provider,
        "/2/users/me?user.fields=%zz",
        tokens.access_token(),
    )
    .await;
    assert_eq!(reply.status, 400, "{reply:?}");
    assert_eq!(
        reply.json()["type"],
        "https://api.twitter.com/2/problems/invalid-request"
    );
}

#[actix_web::test]
async fn bad_bearer_tokens_get_the_v2_401_and_are_counted() {
    let provider = Caller::Confidential.start().await;
    let tokens = Caller::Confidential
        .login(&provider, OFFLINE_SCOPES, "alice")
        .await;
    let code = code_for(&provider, &AuthRequest::new(CLIENT_ID), "alice").await;
    let (oauth1_token, _) = login(&provider, "alice").await;
    let bad = [
        "Bearer unknown".to_owned(),
        "Bearer ".to_owned(),
        "Bearer".to_owned(),
        format!("Bearer {}x", tokens.access_token()),
        format!("Bearer {}", tokens.refresh_token()),
        format!("Bearer {code}"),
        format!("Bearer {oauth1_token}"),
        format!("Bearer {CLIENT_SECRET}"),
    ];
    for (n, auth) in bad.iter().enumerate() {
        let reply = get(&provider, "/2/users/me", Some(auth)).await;
        reply.assert(401, V2_UNAUTHORIZED);
        assert_eq!(reply.content_type, "application/problem+json");
        assert_eq!(provider.rejected(), n + 1);
    }
    // The scheme is case-insensitive (RFC 7235 §2.1).
    let auth = format!("bearer {}", tokens.access_token());
    assert_eq!(get(&provider, "/2/users/me", Some(&auth)).await.status, 200);
    assert_eq!(provider.requests(MockEndpoint::UsersMe), bad.len() + 1);
}

const OFFLINE_SCOPES: &str = "tweet.read users.read offline.access";

#[actix_web::test]
async fn an_access_token_expires_after_its_ttl() {
    let provider = Caller::Confidential
        .builder()
        .access_token_ttl(Duration::ZERO)
        .start()
        .await
        .unwrap();
    let tokens = Caller::Confidential
        .login(&provider, OFFLINE_SCOPES, "alice")
        .await;
    assert_eq!(tokens.0["expires_in"], 0);
    get_bearer(&provider, "/2/users/me", tokens.access_token())
        .await
        .assert(401, V2_UNAUTHORIZED);
    assert_eq!(provider.rejected(), 1);
    // expires_in follows the option.
    let provider = Caller::Public
        .builder()
        .access_token_ttl(Duration::from_secs(60))
        .start()
        .await
        .unwrap();
    let tokens = Caller::Public.login(&provider, USERS_ME, "bob").await;
    assert_eq!(tokens.0["expires_in"], 60);
    assert_eq!(
        get_bearer(&provider, "/2/users/me", tokens.access_token())
            .await
            .status,
        200
    );
}

#[actix_web::test]
async fn both_protocols_share_the_users_and_the_endpoint() {
    let provider = Caller::Confidential.start().await;
    let (token, secret) = login(&provider, "bob").await;
    let signed = get_signed(&provider, "/2/users/me", &token, &secret).await;
    let tokens = Caller::Confidential.login(&provider, USERS_ME, "bob").await;
    let bearer = get_bearer(&provider, "/2/users/me", tokens.access_token()).await;
    assert_eq!(signed.status, 200, "{signed:?}");
    assert_eq!(signed.json(), bearer.json());
    assert_eq!(provider.requests(MockEndpoint::UsersMe), 2);
    // The 1.0a consumer credentials are not an OAuth 2.0 client.
    let form = [("grant_type", "refresh_token"), ("refresh_token", "x")];
    let reply = post(&provider, TOKEN, Some(&basic(KEY, SECRET)), &form).await;
    assert_oauth_error(&reply, 401, "invalid_client");
}

//! Refresh tokens (`grant_type=refresh_token`) and `POST /2/oauth2/revoke`.

use std::time::{Duration, Instant};

use super::{oauth2_support::*, support::*};
use crate::{
    oauth2::{scope::Scopes, store::TokenGrant},
    MockEndpoint,
};

const OFFLINE: &str = "tweet.read users.read offline.access";

/// `grant_type=refresh_token` as `caller`, with extra form parameters.
async fn refresh(
    provider: &crate::RunningProvider,
    caller: Caller,
    refresh_token: &str,
    extra: &[(&str, &str)],
) -> Reply {
    let mut form = vec![
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token),
    ];
    form.extend_from_slice(extra);
    caller.post(provider, TOKEN, &form).await
}

#[actix_web::test]
async fn a_refresh_token_comes_only_with_offline_access() {
    let provider = Caller::Confidential.start().await;
    let without = Caller::Confidential
        .login(&provider, USERS_ME, "alice")
        .await;
    assert!(without.0.get("refresh_token").is_none(), "{without:?}");
    let with = Caller::Confidential
        .login(&provider, OFFLINE, "alice")
        .await;
    assert!(with.0["refresh_token"].is_string(), "{with:?}");
    assert_ne!(with.refresh_token(), with.access_token());
    // An access token is not a refresh token.
    let reply = refresh(&provider, Caller::Confidential, without.access_token(), &[]).await;
    assert_oauth_error(&reply, 400, "invalid_grant");
}

#[actix_web::test]
async fn refresh_tokens_rotate_and_are_single_use() {
    for caller in [Caller::Confidential, Caller::Public] {
        let provider = caller.start().await;
        let first = caller.login(&provider, OFFLINE, "bob").await;
        let reply = refresh(&provider, caller, first.refresh_token(), &[]).await;
        assert_eq!(reply.status, 200, "{reply:?}");
        let second = Tokens(reply.json());
        assert_eq!(second.0["token_type"], "bearer");
        assert_eq!(second.0["expires_in"], 7200);
        assert_eq!(second.0["scope"], OFFLINE);
        assert_ne!(second.refresh_token(), first.refresh_token());
        assert_ne!(second.access_token(), first.access_token());
        // The old refresh token is spent; the new one works, once.
        let reply = refresh(&provider, caller, first.refresh_token(), &[]).await;
        assert_oauth_error(&reply, 400, "invalid_grant");
        let reply = refresh(&provider, caller, second.refresh_token(), &[]).await;
        assert_eq!(reply.status, 200, "{reply:?}");
        let reply = refresh(&provider, caller, second.refresh_token(), &[]).await;
        assert_oauth_error(&reply, 400, "invalid_grant");
        assert_eq!(provider.rejected(), 2);
        // The refreshed access token acts for the same user.
        let me = get_bearer(&provider, "/2/users/me", second.access_token()).await;
        assert_eq!(me.json()["data"]["id"], "1002", "{me:?}");
    }
}

#[actix_web::test]
async fn a_refresh_may_narrow_the_scope_but_not_widen_it() {
    let provider = Caller::Public.start().await;
    let tokens = Caller::Public.login(&provider, OFFLINE, "alice").await;
    let reply = refresh(
        &provider,
        Caller::Public,
        tokens.refresh_token(),
        &[("scope", "tweet.read users.email offline.access")],
    )
    .await;
    assert_oauth_error(&reply, 400, "invalid_scope");
    // That attempt spent the refresh token too.
    let reply = refresh(&provider, Caller::Public, tokens.refresh_token(), &[]).await;
    assert_oauth_error(&reply, 400, "invalid_grant");
    let tokens = Caller::Public.login(&provider, OFFLINE, "alice").await;
    let reply = refresh(
        &provider,
        Caller::Public,
        tokens.refresh_token(),
        &[("scope", "users.read offline.access")],
    )
    .await;
    assert_eq!(reply.status, 200, "{reply:?}");
    let narrowed = Tokens(reply.json());
    assert_eq!(narrowed.0["scope"], "users.read offline.access");
    let me = get_bearer(&provider, "/2/users/me", narrowed.access_token()).await;
    assert_eq!(me.status, 403, "{me:?}");
}

#[actix_web::test]
async fn a_refresh_token_of_another_client_is_invalid_grant() {
    let provider = Caller::Public.start().await;
    let grant = TokenGrant {
        client_id: "another-client".into(),
        user_id: "1001".into(),
        scopes: Scopes::parse(OFFLINE).unwrap(),
        issued: Instant::now(),
        exchange: None,
    };
    let tokens = provider
        .shared
        .lock()
        .issue_oauth2_tokens(grant, Duration::from_secs(60));
    let refresh_token = tokens.refresh_token.unwrap();
    // This client can revoke neither of the other's tokens...
    for token in [&tokens.access_token, &refresh_token] {
        let reply = Caller::Public
            .post(&provider, REVOKE, &[("token", token)])
            .await;
        assert_oauth_error(&reply, 400, "invalid_request");
    }
    let me = get_bearer(&provider, "/2/users/me", &tokens.access_token).await;
    assert_eq!(me.status, 200, "{me:?}");
    // ...nor refresh with the refresh token.
    let reply = refresh(&provider, Caller::Public, &refresh_token, &[]).await;
    assert_oauth_error(&reply, 400, "invalid_grant");
    assert_eq!(provider.rejected(), 3);
}

#[actix_web::test]
async fn a_revoked_access_token_is_refused_at_users_me() {
    let provider = Caller::Confidential.start().await;
    let tokens = Caller::Confidential
        .login(&provider, OFFLINE, "alice")
        .await;
    let access_token = tokens.access_token();
    assert_eq!(
        get_bearer(&provider, "/2/users/me", access_token)
            .await
            .status,
        200
    );
    let reply = Caller::Confidential
        .post(
            &provider,
            REVOKE,
            &[("token", access_token), ("token_type_hint", "access_token")],
        )
        .await;
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(reply.json(), serde_json::json!({ "revoked": true }));
    get_bearer(&provider, "/2/users/me", access_token)
        .await
        .assert(401, V2_UNAUTHORIZED);
    assert_eq!(provider.rejected(), 1);
    assert_eq!(provider.requests(MockEndpoint::OAuth2Revoke), 1);
    // The refresh token survives an access token's revocation.
    let reply = refresh(&provider, Caller::Confidential, tokens.refresh_token(), &[]).await;
    assert_eq!(reply.status, 200, "{reply:?}");
}

#[actix_web::test]
async fn a_revoked_refresh_token_is_refused_with_its_access_token() {
    let provider = Caller::Public.start().await;
    let tokens = Caller::Public.login(&provider, OFFLINE, "bob").await;
    let reply = Caller::Public
        .post(&provider, REVOKE, &[("token", tokens.refresh_token())])
        .await;
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(reply.json()["revoked"], true);
    let reply = refresh(&provider, Caller::Public, tokens.refresh_token(), &[]).await;
    assert_oauth_error(&reply, 400, "invalid_grant");
    let me = get_bearer(&provider, "/2/users/me", tokens.access_token()).await;
    me.assert(401, V2_UNAUTHORIZED);
    assert_eq!(provider.rejected(), 2);
}

#[actix_web::test]
async fn revoke_authenticates_the_client_and_needs_a_token() {
    let provider = Caller::Confidential.start().await;
    let tokens = Caller::Confidential
        .login(&provider, USERS_ME, "alice")
        .await;
    let form = [("token", tokens.access_token())];
    for auth in [None, Some(basic(CLIENT_ID, "wrong"))] {
        let reply = post(&provider, REVOKE, auth.as_deref(), &form).await;
        assert_oauth_error(&reply, 401, "invalid_client");
    }
    let reply = Caller::Confidential
        .post(&provider, REVOKE, &[("token_type_hint", "x")])
        .await;
    assert_oauth_error(&reply, 400, "invalid_request");
    assert_eq!(provider.rejected(), 3);
    // Nothing above revoked the token.
    assert_eq!(
        get_bearer(&provider, "/2/users/me", tokens.access_token())
            .await
            .status,
        200
    );
    // An unknown token is not an error (RFC 7009 §2.2).
    let reply = Caller::Confidential
        .post(&provider, REVOKE, &[("token", "unknown")])
        .await;
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(provider.rejected(), 3);
    assert_eq!(provider.requests(MockEndpoint::OAuth2Revoke), 4);
}

#[actix_web::test]
async fn issued_tokens_work_as_the_flows_and_are_not_counted() {
    let provider = Caller::Public.start().await;
    assert!(provider.issue_oauth2_tokens("nobody", OFFLINE).is_none());
    assert!(provider
        .issue_oauth2_tokens("alice", "no.such.scope")
        .is_none());
    let (access_token, none) = provider.issue_oauth2_tokens("ALICE", USERS_ME).unwrap();
    assert!(none.is_none(), "no refresh token without offline.access");
    let me = get_bearer(&provider, "/2/users/me", &access_token).await;
    assert_eq!(me.json()["data"]["id"], "1001", "{me:?}");
    let (_, refresh_token) = provider.issue_oauth2_tokens("bob", OFFLINE).unwrap();
    let refresh_token = refresh_token.expect("offline.access gives a refresh token");
    assert_eq!(provider.requests(MockEndpoint::OAuth2Token), 0);
    let reply = refresh(&provider, Caller::Public, &refresh_token, &[]).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    let reply = refresh(&provider, Caller::Public, &refresh_token, &[]).await;
    assert_oauth_error(&reply, 400, "invalid_grant");
    assert_eq!(provider.requests(MockEndpoint::OAuth2Token), 2);
    // Without an OAuth 2.0 client there is nothing to issue tokens to.
    let plain = builder().start().await.unwrap();
    assert!(plain.issue_oauth2_tokens("alice", USERS_ME).is_none());
}

//! The token exchange at `POST /2/oauth2/token`: OAuth 1.0a token credentials exchanged for
//! OAuth 2.0 tokens of the same user, each exchange superseding the previous one.

use super::{oauth2_support::*, support::*};
use crate::{MockEndpoint, RunningProvider};

/// What X grants an app with Read permission and email access, and `offline.access`.
const EXCHANGED: &str = "tweet.read users.read follows.read users.email offline.access";
const VERIFY: &str = "/1.1/account/verify_credentials.json";

/// A token request: its `Authorization` header, if any, and its form body.
type Attempt<'a> = (Option<&'a str>, &'a [(&'a str, &'a str)]);

/// `grant_type=refresh_token` as `caller`.
async fn refresh(provider: &RunningProvider, caller: Caller, refresh_token: &str) -> Reply {
    let form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token),
    ];
    caller.post(provider, TOKEN, &form).await
}

/// The id `/2/users/me` answers for the bearer token, or the status it refuses it with.
async fn me(provider: &RunningProvider, access_token: &str) -> Result<String, u16> {
    let reply = get_bearer(provider, "/2/users/me", access_token).await;
    match reply.status {
        200 => Ok(reply.json()["data"]["id"].as_str().unwrap().to_owned()),
        status => Err(status),
    }
}

/// Exchanges `(token, secret)` as `caller`; panics unless the provider answers tokens.
async fn exchanged(provider: &RunningProvider, caller: Caller, pair: &(String, String)) -> Tokens {
    let reply = caller
        .exchange_oauth1(provider, &pair.0, &pair.1, &[])
        .await;
    assert_eq!(reply.status, 200, "{reply:?}");
    Tokens(reply.json())
}

#[actix_web::test]
async fn an_exchange_answers_oauth2_tokens_for_the_same_user() {
    for caller in [Caller::Confidential, Caller::Public] {
        let provider = caller.start().await;
        let (token, secret) = login(&provider, "alice").await;
        let reply = caller
            .exchange_oauth1(&provider, &token, &secret, &[])
            .await;
        assert_eq!(reply.status, 200, "{reply:?}");
        assert!(
            reply.content_type.starts_with("application/json"),
            "{reply:?}"
        );
        assert_eq!(reply.headers.get("cache-control").unwrap(), "no-store");
        let tokens = Tokens(reply.json());
        let mut keys: Vec<_> = tokens.0.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        let expected = [
            "access_token",
            "expires_in",
            "refresh_token",
            "scope",
            "token_type",
        ];
        assert_eq!(keys, expected);
        assert_eq!(tokens.0["token_type"], "bearer");
        assert_eq!(tokens.0["expires_in"], 7200);
        assert_eq!(tokens.0["scope"], EXCHANGED);
        assert_ne!(tokens.access_token(), token);

        // The same user, with the email users.email grants.
        let path = "/2/users/me?user.fields=confirmed_email";
        let reply = get_bearer(&provider, path, tokens.access_token()).await;
        assert_eq!(reply.json()["data"]["id"], "1001", "{reply:?}");
        assert_eq!(reply.json()["data"]["confirmed_email"], ALICE_EMAIL);
        // The refresh token works like any, and the OAuth 1.0a token keeps working.
        let reply = refresh(&provider, caller, tokens.refresh_token()).await;
        assert_eq!(reply.status, 200, "{reply:?}");
        assert_eq!(
            me(&provider, Tokens(reply.json()).access_token()).await,
            Ok("1001".into())
        );
        assert_eq!(
            get_signed(&provider, VERIFY, &token, &secret).await.status,
            200
        );

        assert!(provider
            .issued_secrets()
            .contains(&tokens.refresh_token().to_owned()));
        assert_eq!(provider.requests(MockEndpoint::OAuth2TokenExchange), 1);
        assert_eq!(provider.requests(MockEndpoint::OAuth2Token), 2);
        assert_eq!(provider.rejected(), 0);
    }
}

#[actix_web::test]
async fn a_wrong_secret_or_an_unknown_token_is_invalid_grant() {
    let provider = Caller::Confidential.start().await;
    let (token, secret) = login(&provider, "alice").await;
    let (_, other_secret) = login(&provider, "alice").await;
    let (request_token, request_secret) = request_token(&provider).await;
    let bad = [
        (token.as_str(), "not-the-secret"),
        // The secret of the user's other token credentials.
        (token.as_str(), other_secret.as_str()),
        // Token and secret swapped.
        (secret.as_str(), token.as_str()),
        ("1001-unknown", secret.as_str()),
        // Temporary credentials are not token credentials.
        (request_token.as_str(), request_secret.as_str()),
    ];
    for (token, secret) in bad {
        let reply = Caller::Confidential
            .exchange_oauth1(&provider, token, secret, &[])
            .await;
        assert_oauth_error(&reply, 400, "invalid_grant");
    }
    assert_eq!(provider.rejected(), bad.len());
    // None of them changed anything.
    exchanged(
        &provider,
        Caller::Confidential,
        &(token.clone(), secret.clone()),
    )
    .await;
    assert_eq!(
        provider.requests(MockEndpoint::OAuth2TokenExchange),
        bad.len() + 1
    );
}

#[actix_web::test]
async fn an_invalidated_token_is_invalid_grant() {
    let provider = Caller::Confidential.start().await;
    let pair = login(&provider, "bob").await;
    let tokens = exchanged(&provider, Caller::Confidential, &pair).await;
    let path = "/1.1/oauth/invalidate_token";
    let auth = authorization(
        &provider,
        &signer().token(&pair.0, &pair.1),
        "POST",
        path,
        &[],
    );
    assert_eq!(post(&provider, path, Some(&auth), &[]).await.status, 200);

    let reply = Caller::Confidential
        .exchange_oauth1(&provider, &pair.0, &pair.1, &[])
        .await;
    assert_oauth_error(&reply, 400, "invalid_grant");
    // The tokens an earlier exchange issued are separate grants: they keep working.
    assert_eq!(
        me(&provider, tokens.access_token()).await,
        Ok("1002".into())
    );
}

#[actix_web::test]
async fn each_exchange_supersedes_the_previous_pair() {
    let caller = Caller::Public;
    let provider = caller.start().await;
    let pair = login(&provider, "alice").await;
    let signed_in = caller.login(&provider, USERS_ME, "alice").await;
    let first = exchanged(&provider, caller, &pair).await;
    let second = exchanged(&provider, caller, &pair).await;
    assert_eq!(me(&provider, first.access_token()).await, Err(401));
    let reply = refresh(&provider, caller, first.refresh_token()).await;
    assert_oauth_error(&reply, 400, "invalid_grant");
    assert_eq!(
        me(&provider, second.access_token()).await,
        Ok("1001".into())
    );

    // The newest pair's refreshes descend from its exchange: the next exchange ends them too.
    let reply = refresh(&provider, caller, second.refresh_token()).await;
    let refreshed = Tokens(reply.json());
    assert_eq!(
        me(&provider, refreshed.access_token()).await,
        Ok("1001".into())
    );
    let third = exchanged(&provider, caller, &pair).await;
    assert_eq!(me(&provider, refreshed.access_token()).await, Err(401));
    let reply = refresh(&provider, caller, refreshed.refresh_token()).await;
    assert_oauth_error(&reply, 400, "invalid_grant");

    // A failed exchange supersedes nothing; neither does the exchange of the user's other token
    // credentials, and tokens from the authorization code grant are no exchange's.
    let reply = caller
        .exchange_oauth1(&provider, &pair.0, "wrong", &[])
        .await;
    assert_oauth_error(&reply, 400, "invalid_grant");
    let other = login(&provider, "alice").await;
    let others = exchanged(&provider, caller, &other).await;
    for access_token in [&third, &others, &signed_in].map(Tokens::access_token) {
        assert_eq!(me(&provider, access_token).await, Ok("1001".into()));
    }
    let reply = refresh(&provider, caller, third.refresh_token()).await;
    assert_eq!(reply.status, 200, "{reply:?}");
}

#[actix_web::test]
async fn the_scope_may_narrow_the_grant_but_not_widen_it() {
    let caller = Caller::Confidential;
    let provider = caller.start().await;
    let (token, secret) = login(&provider, "alice").await;
    // Beyond the grant, unknown, or empty.
    for scope in [
        "tweet.read users.read tweet.write",
        "dm.read",
        "no.such.scope",
        "",
    ] {
        let extra = [("scope", scope)];
        let reply = caller
            .exchange_oauth1(&provider, &token, &secret, &extra)
            .await;
        assert_oauth_error(&reply, 400, "invalid_scope");
    }
    let extra = [("scope", "users.read tweet.read")];
    let reply = caller
        .exchange_oauth1(&provider, &token, &secret, &extra)
        .await;
    assert_eq!(reply.status, 200, "{reply:?}");
    let tokens = Tokens(reply.json());
    assert_eq!(tokens.0["scope"], "users.read tweet.read");
    // Without offline.access, no refresh token.
    assert!(tokens.0.get("refresh_token").is_none(), "{tokens:?}");
    let extra = [("scope", "users.read offline.access")];
    let reply = caller
        .exchange_oauth1(&provider, &token, &secret, &extra)
        .await;
    let narrow = Tokens(reply.json());
    assert!(narrow.0["refresh_token"].is_string(), "{narrow:?}");
    assert_eq!(me(&provider, narrow.access_token()).await, Err(403));
}

#[actix_web::test]
async fn a_malformed_exchange_is_invalid_request_and_uses_nothing_up() {
    let caller = Caller::Confidential;
    let provider = caller.start().await;
    let pair = login(&provider, "alice").await;
    let first = exchanged(&provider, caller, &pair).await;
    let full = [
        ("grant_type", TOKEN_EXCHANGE),
        ("subject_token", pair.0.as_str()),
        ("subject_token_type", OAUTH1_TOKEN),
        ("oauth_token_secret", pair.1.as_str()),
    ];
    // Each of the three parameters left out, then sent twice.
    for name in ["subject_token", "subject_token_type", "oauth_token_secret"] {
        let without: Vec<_> = full.iter().copied().filter(|(n, _)| *n != name).collect();
        let reply = caller.post(&provider, TOKEN, &without).await;
        assert_oauth_error(&reply, 400, "invalid_request");
        let mut twice = full.to_vec();
        twice.extend(full.iter().copied().filter(|(n, _)| *n == name));
        let reply = caller.post(&provider, TOKEN, &twice).await;
        assert_oauth_error(&reply, 400, "invalid_request");
    }
    // An access token of another kind.
    let extra = [(
        "subject_token_type",
        "urn:ietf:params:oauth:token-type:access_token",
    )];
    let mut other_type = full.to_vec();
    other_type.retain(|(n, _)| *n != "subject_token_type");
    other_type.extend(extra);
    let reply = caller.post(&provider, TOKEN, &other_type).await;
    assert_oauth_error(&reply, 400, "invalid_request");
    assert_eq!(provider.rejected(), 7);
    assert_eq!(provider.requests(MockEndpoint::OAuth2TokenExchange), 8);
    // The previous pair still works, and the token can still be exchanged.
    assert_eq!(me(&provider, first.access_token()).await, Ok("1001".into()));
    exchanged(&provider, caller, &pair).await;
}

#[actix_web::test]
async fn the_client_authenticates_as_for_the_login() {
    let provider = Caller::Confidential.start().await;
    let pair = login(&provider, "alice").await;
    let first = exchanged(&provider, Caller::Confidential, &pair).await;
    let form = [
        ("grant_type", TOKEN_EXCHANGE),
        ("subject_token", pair.0.as_str()),
        ("subject_token_type", OAUTH1_TOKEN),
        ("oauth_token_secret", pair.1.as_str()),
    ];
    let mut with_id = form.to_vec();
    with_id.push(("client_id", CLIENT_ID));
    let mut with_secret = form.to_vec();
    with_secret.push(("client_secret", CLIENT_SECRET));
    let basic_ok = basic(CLIENT_ID, CLIENT_SECRET);
    let basic_wrong = basic(CLIENT_ID, "wrong");
    let refused: [Attempt; 4] = [
        // A confidential client as a public one, a wrong secret, no authentication, the secret
        // in the body.
        (None, &with_id),
        (Some(&basic_wrong), &form),
        (None, &form),
        (Some(&basic_ok), &with_secret),
    ];
    for (auth, form) in refused {
        let reply = post(&provider, TOKEN, auth, form).await;
        assert_oauth_error(&reply, 401, "invalid_client");
        assert!(reply.headers.contains_key("www-authenticate"), "{reply:?}");
    }
    // None of them superseded the first pair.
    assert_eq!(me(&provider, first.access_token()).await, Ok("1001".into()));

    let provider = Caller::Public.start().await;
    let pair = login(&provider, "bob").await;
    let form = [
        ("grant_type", TOKEN_EXCHANGE),
        ("subject_token", pair.0.as_str()),
        ("subject_token_type", OAUTH1_TOKEN),
        ("oauth_token_secret", pair.1.as_str()),
    ];
    let mut other_id = form.to_vec();
    other_id.push(("client_id", CLIENT_ID));
    let mut with_id = form.to_vec();
    with_id.push(("client_id", PUBLIC_CLIENT_ID));
    let basic_public = basic(PUBLIC_CLIENT_ID, "");
    let refused: [Attempt; 3] = [
        (None, &form),
        (None, &other_id),
        (Some(&basic_public), &with_id),
    ];
    for (auth, form) in refused {
        let reply = post(&provider, TOKEN, auth, form).await;
        assert_oauth_error(&reply, 401, "invalid_client");
    }
    let tokens = Tokens(post(&provider, TOKEN, None, &with_id).await.json());
    assert_eq!(
        me(&provider, tokens.access_token()).await,
        Ok("1002".into())
    );

    // Without an OAuth 2.0 client, nothing is exchanged.
    let provider = start().await;
    let pair = login(&provider, "bob").await;
    let reply = Caller::Public
        .exchange_oauth1(&provider, &pair.0, &pair.1, &[])
        .await;
    assert_oauth_error(&reply, 401, "invalid_client");
}

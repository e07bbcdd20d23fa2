//! `POST /2/oauth2/token` with `grant_type=authorization_code`: client authentication, the
//! single-use and expiring code, the redirect URI and PKCE.

use std::{
    collections::HashMap,
    time::{Duration, Instant},
};

use super::{oauth2_support::*, support::*};
use crate::{oauth2::pkce::ChallengeMethod, oauth2::scope::Scopes, oauth2::store::CodeGrant};
use crate::{signature::percent_encode, MockEndpoint, OAuth2Client};

#[actix_web::test]
async fn a_confidential_client_signs_in_end_to_end() {
    let provider = Caller::Confidential.start().await;
    // The page's own link for alice, followed.
    let request = AuthRequest::new(CLIENT_ID);
    let page = visit(&provider, "/i/oauth2/authorize", &request, None).await;
    let start = page.body.find("/i/oauth2/authorize/approve?").unwrap();
    let end = start + page.body[start..].find('"').unwrap();
    let link = page.body[start..end].replace("&amp;", "&");
    assert!(link.ends_with("user=alice"), "{link}");
    let (_, params) = redirect_params(&get(&provider, &link, None).await);
    assert_eq!(params["state"], STATE);
    let code = &params["code"];

    let reply = Caller::Confidential
        .exchange(&provider, code, VERIFIER)
        .await;
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(reply.content_type, "application/json;charset=UTF-8");
    assert_eq!(reply.headers.get("cache-control").unwrap(), "no-store");
    let body = reply.json();
    assert_eq!(body["token_type"], "bearer");
    assert_eq!(body["expires_in"], 7200);
    assert_eq!(body["scope"], USERS_ME);
    assert!(body.get("refresh_token").is_none(), "{body}");
    let access_token = body["access_token"].as_str().unwrap();
    assert!(reply
        .body
        .starts_with(r#"{"token_type":"bearer","expires_in":7200,"access_token":"#));

    let me = get_bearer(&provider, "/2/users/me", access_token).await;
    assert_eq!(me.status, 200, "{me:?}");
    assert_eq!(
        me.json(),
        serde_json::json!({"data": {"id": "1001", "name": "Alice", "username": "alice"}})
    );
    assert_eq!(provider.requests(MockEndpoint::OAuth2Token), 1);
    assert_eq!(provider.requests(MockEndpoint::UsersMe), 1);
    assert_eq!(provider.rejected(), 0);
    assert_eq!(provider.issued_secrets(), [code.as_str(), access_token]);
}

#[actix_web::test]
async fn a_public_client_signs_in_end_to_end() {
    let provider = Caller::Public.start().await;
    let tokens = Caller::Public
        .login(&provider, "users.read offline.access tweet.read", "bob")
        .await;
    assert_eq!(tokens.0["scope"], "users.read offline.access tweet.read");
    assert!(tokens.0["refresh_token"].is_string(), "{tokens:?}");
    let me = get_bearer(&provider, "/2/users/me", tokens.access_token()).await;
    assert_eq!(me.status, 200, "{me:?}");
    assert_eq!(me.json()["data"]["id"], "1002");
    assert_eq!(provider.rejected(), 0);
    let secrets = provider.issued_secrets();
    assert_eq!(secrets.len(), 3);
    assert!(secrets.contains(&tokens.access_token().to_owned()));
    assert!(secrets.contains(&tokens.refresh_token().to_owned()));
}

#[actix_web::test]
async fn a_code_is_single_use() {
    let provider = Caller::Confidential.start().await;
    let code = code_for(&provider, &AuthRequest::new(CLIENT_ID), "alice").await;
    let first = Caller::Confidential
        .exchange(&provider, &code, VERIFIER)
        .await;
    assert_eq!(first.status, 200, "{first:?}");
    let second = Caller::Confidential
        .exchange(&provider, &code, VERIFIER)
        .await;
    assert_oauth_error(&second, 400, "invalid_grant");
    assert_eq!(provider.rejected(), 1);
}

#[actix_web::test]
async fn a_code_expires_after_its_ttl() {
    let provider = Caller::Public
        .builder()
        .code_ttl(Duration::from_secs(1))
        .start()
        .await
        .unwrap();
    let request = AuthRequest::new(PUBLIC_CLIENT_ID);
    let fresh = code_for(&provider, &request, "alice").await;
    let stale = code_for(&provider, &request, "alice").await;
    let reply = Caller::Public.exchange(&provider, &fresh, VERIFIER).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    // The behaviour under test is time itself.
    actix_web::rt::time::sleep(Duration::from_millis(1100)).await;
    let reply = Caller::Public.exchange(&provider, &stale, VERIFIER).await;
    assert_oauth_error(&reply, 400, "invalid_grant");
    assert_eq!(provider.rejected(), 1);
}

#[actix_web::test]
async fn a_wrong_code_verifier_fails_and_consumes_the_code() {
    let provider = Caller::Confidential.start().await;
    let request = AuthRequest::new(CLIENT_ID);
    let other_verifier = "x".repeat(43);
    let malformed = &VERIFIER[..42];
    for (n, verifier) in [other_verifier.as_str(), malformed, CHALLENGE]
        .into_iter()
        .enumerate()
    {
        let code = code_for(&provider, &request, "alice").await;
        let reply = Caller::Confidential
            .exchange(&provider, &code, verifier)
            .await;
        assert_oauth_error(&reply, 400, "invalid_grant");
        // The first presentation consumed the code: the right verifier comes too late.
        let reply = Caller::Confidential
            .exchange(&provider, &code, VERIFIER)
            .await;
        assert_oauth_error(&reply, 400, "invalid_grant");
        assert_eq!(provider.rejected(), 2 * (n + 1));
    }
}

#[actix_web::test]
async fn the_plain_method_compares_the_verifier_itself() {
    let provider = Caller::Public.start().await;
    let request = AuthRequest::new(PUBLIC_CLIENT_ID)
        .set("code_challenge_method", "plain")
        .set("code_challenge", VERIFIER);
    let code = code_for(&provider, &request, "alice").await;
    let reply = Caller::Public.exchange(&provider, &code, CHALLENGE).await;
    assert_oauth_error(&reply, 400, "invalid_grant");
    let code = code_for(&provider, &request, "alice").await;
    let reply = Caller::Public.exchange(&provider, &code, VERIFIER).await;
    assert_eq!(reply.status, 200, "{reply:?}");
}

#[actix_web::test]
async fn the_redirect_uri_must_be_the_authorization_requests() {
    let other = "http://127.0.0.1:8080/other/callback";
    let provider = Caller::Confidential
        .builder()
        .callback_url(other)
        .start()
        .await
        .unwrap();
    let code = code_for(&provider, &AuthRequest::new(CLIENT_ID), "alice").await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", &code),
        ("redirect_uri", other),
        ("code_verifier", VERIFIER),
    ];
    let reply = Caller::Confidential.post(&provider, TOKEN, &form).await;
    assert_oauth_error(&reply, 400, "invalid_grant");
    assert_eq!(provider.rejected(), 1);
}

#[actix_web::test]
async fn a_code_of_another_client_is_invalid_grant() {
    let provider = Caller::Confidential.start().await;
    // A code issued to another client (as if the registration had changed since).
    let code = provider.shared.lock().issue_authorization_code(
        CodeGrant {
            client_id: "another-client".into(),
            redirect_uri: CALLBACK.into(),
            code_challenge: CHALLENGE.into(),
            method: ChallengeMethod::S256,
            scopes: Scopes::parse(USERS_ME).unwrap(),
            user_id: "1001".into(),
            issued: Instant::now(),
        },
        Duration::from_secs(30),
    );
    let reply = Caller::Confidential
        .exchange(&provider, &code, VERIFIER)
        .await;
    assert_oauth_error(&reply, 400, "invalid_grant");
    assert_eq!(provider.rejected(), 1);
}

#[actix_web::test]
async fn a_confidential_client_authenticates_with_basic_only() {
    let provider = Caller::Confidential.start().await;
    let code = code_for(&provider, &AuthRequest::new(CLIENT_ID), "alice").await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", CALLBACK),
        ("code_verifier", VERIFIER),
    ];
    let with_body = |extra: (&'static str, &'static str)| {
        let mut form = form.to_vec();
        form.push(extra);
        form
    };
    type Attempt<'a> = (Option<String>, Vec<(&'a str, &'a str)>);
    let attempts: Vec<Attempt> = vec![
        (None, form.to_vec()),
        (None, with_body(("client_id", CLIENT_ID))),
        (None, with_body(("client_secret", CLIENT_SECRET))),
        (Some(basic(CLIENT_ID, "wrong-secret")), form.to_vec()),
        (Some(basic("someone-else", CLIENT_SECRET)), form.to_vec()),
        (Some(basic(KEY, SECRET)), form.to_vec()),
        (Some(format!("Bearer {CLIENT_SECRET}")), form.to_vec()),
        (Some("Basic !!!".to_owned()), form.to_vec()),
        (
            Some(basic(CLIENT_ID, CLIENT_SECRET)),
            with_body(("client_id", "someone-else")),
        ),
        (
            Some(basic(CLIENT_ID, CLIENT_SECRET)),
            with_body(("client_secret", CLIENT_SECRET)),
        ),
    ];
    for (n, (auth, form)) in attempts.iter().enumerate() {
        let reply = post(&provider, TOKEN, auth.as_deref(), form).await;
        assert_oauth_error(&reply, 401, "invalid_client");
        assert_eq!(
            reply.headers.get("www-authenticate").unwrap(),
            "Basic realm=\"X\""
        );
        assert_eq!(provider.rejected(), n + 1);
    }
    // An unauthenticated request does not consume the code; client_id in the body may repeat
    // the authenticated one.
    let reply = post(
        &provider,
        TOKEN,
        Some(&basic(CLIENT_ID, CLIENT_SECRET)),
        &with_body(("client_id", CLIENT_ID)),
    )
    .await;
    assert_eq!(reply.status, 200, "{reply:?}");
}

#[actix_web::test]
async fn a_public_client_sends_its_id_and_no_basic_header() {
    let provider = Caller::Public.start().await;
    let code = code_for(&provider, &AuthRequest::new(PUBLIC_CLIENT_ID), "alice").await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", CALLBACK),
        ("code_verifier", VERIFIER),
    ];
    let with_id = |id: &'static str| {
        let mut form = form.to_vec();
        form.push(("client_id", id));
        form
    };
    let basic_header = basic(PUBLIC_CLIENT_ID, "");
    let attempts = [
        (Some(basic_header.as_str()), with_id(PUBLIC_CLIENT_ID)),
        (Some(basic_header.as_str()), form.to_vec()),
        (None, form.to_vec()),
        (None, with_id("someone-else")),
    ];
    for (n, (auth, form)) in attempts.iter().enumerate() {
        let reply = post(&provider, TOKEN, *auth, form).await;
        assert_oauth_error(&reply, 401, "invalid_client");
        assert_eq!(provider.rejected(), n + 1);
    }
    let reply = post(&provider, TOKEN, None, &with_id(PUBLIC_CLIENT_ID)).await;
    assert_eq!(reply.status, 200, "{reply:?}");
}

#[actix_web::test]
async fn without_an_oauth2_client_every_token_request_is_an_unknown_client() {
    let provider = start().await;
    let form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", "x"),
        ("client_id", "x"),
    ];
    for auth in [None, Some(basic(CLIENT_ID, CLIENT_SECRET))] {
        let reply = post(&provider, TOKEN, auth.as_deref(), &form).await;
        assert_oauth_error(&reply, 401, "invalid_client");
    }
    // A provider with a client of the other kind does not know this one either.
    let provider = builder()
        .oauth2_client(OAuth2Client::confidential("first", "s"))
        .oauth2_client(OAuth2Client::public(PUBLIC_CLIENT_ID))
        .start()
        .await
        .unwrap();
    let reply = post(&provider, TOKEN, Some(&basic("first", "s")), &form).await;
    assert_oauth_error(&reply, 401, "invalid_client");
    assert_eq!(provider.rejected(), 1);
}

#[actix_web::test]
async fn bad_bodies_and_missing_parameters_are_invalid_request() {
    let provider = Caller::Confidential.start().await;
    let code = code_for(&provider, &AuthRequest::new(CLIENT_ID), "alice").await;
    let auth = basic(CLIENT_ID, CLIENT_SECRET);
    let full = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", CALLBACK),
        ("code_verifier", VERIFIER),
    ];
    // A valid form body, not labelled as one; then a JSON body.
    let form_body = full
        .iter()
        .map(|(n, v)| format!("{}={}", percent_encode(n), percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let json_body = serde_json::json!(full.iter().copied().collect::<HashMap<_, _>>());
    for (content_type, body) in [
        ("text/plain", form_body),
        ("application/json", json_body.to_string()),
    ] {
        let response = client()
            .post(format!("{}{TOKEN}", provider.base_url()))
            .insert_header(("authorization", auth.as_str()))
            .content_type(content_type)
            .send_body(body)
            .await
            .unwrap();
        assert_oauth_error(&read(response).await, 400, "invalid_request");
    }
    let without = |name: &str| -> Vec<(&str, &str)> {
        full.iter().copied().filter(|(n, _)| *n != name).collect()
    };
    for form in [without("grant_type"), without("code")] {
        let reply = post(&provider, TOKEN, Some(&auth), &form).await;
        assert_oauth_error(&reply, 400, "invalid_request");
    }
    let mut repeated = full.to_vec();
    repeated.push(("code", "another"));
    let reply = post(&provider, TOKEN, Some(&auth), &repeated).await;
    assert_oauth_error(&reply, 400, "invalid_request");
    // So far the code was never presented: a missing verifier is its first presentation.
    let reply = post(&provider, TOKEN, Some(&auth), &without("code_verifier")).await;
    assert_oauth_error(&reply, 400, "invalid_request");
    assert_eq!(
        reply.json()["error_description"],
        "Missing required parameter [code_verifier]."
    );
    let reply = post(&provider, TOKEN, Some(&auth), &full).await;
    assert_oauth_error(&reply, 400, "invalid_grant");
    for grant_type in ["password", "client_credentials", "AUTHORIZATION_CODE"] {
        let reply = post(&provider, TOKEN, Some(&auth), &[("grant_type", grant_type)]).await;
        assert_oauth_error(&reply, 400, "unsupported_grant_type");
    }
    assert_eq!(provider.rejected(), 10);
    assert_eq!(provider.requests(MockEndpoint::OAuth2Token), 10);
}

#[actix_web::test]
async fn the_token_endpoint_takes_post_only() {
    let provider = Caller::Confidential.start().await;
    let reply = get(&provider, TOKEN, None).await;
    assert_eq!(reply.status, 404, "{reply:?}");
    assert_eq!(provider.requests(MockEndpoint::OAuth2Token), 0);
}

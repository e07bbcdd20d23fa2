//! Injected faults.

use std::time::{Duration, Instant};

use super::support::*;
use crate::{Fault, MockEndpoint};

/// X's bodies, written out here rather than taken from the implementation.
const FORBIDDEN_453_JSON: &str = r#"{"errors":[{"message":"You currently have access to a subset of Twitter API v2 endpoints and limited v1.1 endpoints (e.g. media post, oauth) only. If you need access to this endpoint, you may need a different access level. You can learn more here: https://developer.twitter.com/en/portal/product","code":453}]}"#;
const CLIENT_NOT_ENROLLED_JSON: &str = r#"{"client_id":"101","detail":"When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a Twitter developer App that is attached to a Project. You can create a project via the developer portal.","registration_url":"https://developer.twitter.com/en/docs/projects/overview","title":"Client Forbidden","required_enrollment":"Appropriate Level of API Access","reason":"client-not-enrolled","type":"https://api.twitter.com/2/problems/client-forbidden"}"#;

const VERIFY: &str = "/1.1/account/verify_credentials.json";

#[actix_web::test]
async fn rate_limited_uses_each_api_generation_shape() {
    let provider = start().await;
    let (token, secret) = login(&provider, "alice").await;
    provider.inject(MockEndpoint::UsersMe, Fault::RateLimited);
    provider.inject(MockEndpoint::VerifyCredentials, Fault::RateLimited);

    let reply = get_signed(&provider, "/2/users/me", &token, &secret).await;
    assert_eq!(reply.status, 429, "{reply:?}");
    assert_eq!(reply.content_type, "application/problem+json");
    assert_eq!(
        reply.json()["type"],
        "https://api.x.com/2/problems/rate-limit-exceeded"
    );
    assert_eq!(reply.headers.get("x-rate-limit-remaining").unwrap(), "0");
    let reset: u64 = reply
        .headers
        .get("x-rate-limit-reset")
        .unwrap()
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(reset > crate::signature::unix_now());

    get_signed(&provider, VERIFY, &token, &secret).await.assert(
        429,
        r#"{"errors":[{"code":88,"message":"Rate limit exceeded"}]}"#,
    );

    provider.clear_faults();
    assert_eq!(
        get_signed(&provider, "/2/users/me", &token, &secret)
            .await
            .status,
        200
    );
    assert_eq!(provider.requests(MockEndpoint::UsersMe), 2);
    assert_eq!(provider.requests(MockEndpoint::VerifyCredentials), 1);
}

#[actix_web::test]
async fn access_level_faults_answer_x_bodies() {
    let provider = start().await;
    let (token, secret) = login(&provider, "alice").await;
    provider.inject(MockEndpoint::VerifyCredentials, Fault::Forbidden453);
    let reply = get_signed(&provider, VERIFY, &token, &secret).await;
    reply.assert(403, FORBIDDEN_453_JSON);
    assert_eq!(reply.json()["errors"][0]["code"], 453);

    provider.inject(MockEndpoint::UsersMe, Fault::ClientNotEnrolled);
    let reply = get_signed(&provider, "/2/users/me", &token, &secret).await;
    reply.assert(403, CLIENT_NOT_ENROLLED_JSON);
    assert_eq!(reply.content_type, "application/problem+json");
    assert_eq!(reply.json()["reason"], "client-not-enrolled");
}

#[actix_web::test]
async fn faults_apply_after_the_signature_check() {
    let provider = start().await;
    provider.inject(MockEndpoint::RequestToken, Fault::RateLimited);
    let bad = crate::signature::Signer::new(KEY, "wrong").callback(CALLBACK);
    let reply = request_token_with(&provider, bad).await;
    assert_eq!(reply.status, 401, "{reply:?}");
    let reply = request_token_with(&provider, signer().callback(CALLBACK)).await;
    assert_eq!(reply.status, 429, "{reply:?}");
}

#[actix_web::test]
async fn callback_faults_on_the_request_token_step() {
    let provider = start().await;
    provider.inject(MockEndpoint::RequestToken, Fault::CallbackNotConfirmed);
    let reply = request_token_with(&provider, signer().callback(CALLBACK)).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(reply.form()["oauth_callback_confirmed"], "false");

    provider.inject(MockEndpoint::RequestToken, Fault::CallbackNotApproved);
    let reply = request_token_with(&provider, signer().callback(CALLBACK)).await;
    assert_eq!(reply.status, 403, "{reply:?}");
    assert!(
        reply
            .body
            .contains("<error code=\"415\">Callback URL not approved"),
        "{reply:?}"
    );
}

#[actix_web::test]
async fn status_garbage_and_body_faults() {
    let provider = start().await;
    provider.inject(MockEndpoint::RequestToken, Fault::Status(503));
    let reply = request_token_with(&provider, signer().callback(CALLBACK)).await;
    reply.assert(503, "503 Service Unavailable");
    assert!(reply.content_type.starts_with("text/plain"), "{reply:?}");

    provider.inject(MockEndpoint::RequestToken, Fault::Garbage);
    let reply = request_token_with(&provider, signer().callback(CALLBACK)).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    assert!(!reply.body.contains("oauth_token"), "{reply:?}");
    assert!(serde_json::from_str::<serde_json::Value>(&reply.body).is_err());

    provider.inject(
        MockEndpoint::RequestToken,
        Fault::Body {
            status: 418,
            content_type: "text/x-teapot".into(),
            body: "short and stout".into(),
        },
    );
    let reply = request_token_with(&provider, signer().callback(CALLBACK)).await;
    reply.assert(418, "short and stout");
    assert_eq!(reply.content_type, "text/x-teapot");
}

#[actix_web::test]
async fn a_fault_on_access_token_does_not_consume_the_request_token() {
    let provider = start().await;
    let (token, secret) = request_token(&provider).await;
    let verifier = approve(&provider, &token, "bob").await;
    provider.inject(MockEndpoint::AccessToken, Fault::Status(500));
    assert_eq!(
        access_token(&provider, &token, &secret, &verifier)
            .await
            .status,
        500
    );
    provider.clear_faults();
    let reply = access_token(&provider, &token, &secret, &verifier).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(reply.form()["screen_name"], "bob");
}

#[actix_web::test]
async fn a_delay_answers_normally_and_does_not_block_other_requests() {
    let provider = start().await;
    let (token, secret) = login(&provider, "alice").await;
    provider.inject(
        MockEndpoint::UsersMe,
        Fault::Delay(Duration::from_millis(2500)),
    );
    let auth = authorization(
        &provider,
        &signer().token(&token, &secret),
        "GET",
        "/2/users/me",
        &[],
    );
    let url = format!("{}/2/users/me", provider.base_url());
    let started = Instant::now();
    let slow = actix_web::rt::spawn(async move {
        let response = client()
            .get(url)
            .insert_header(("authorization", auth))
            .send()
            .await;
        (response.map(|r| r.status().as_u16()), started.elapsed())
    });
    actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    let quick_start = Instant::now();
    let reply = request_token_with(&provider, signer().callback(CALLBACK)).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    assert!(
        quick_start.elapsed() < Duration::from_millis(2000),
        "{:?}",
        quick_start.elapsed()
    );
    assert!(!slow.is_finished(), "the delayed request answered early");
    let (status, elapsed) = slow.await.unwrap();
    assert_eq!(status.unwrap(), 200);
    assert!(elapsed >= Duration::from_millis(2500), "{elapsed:?}");
}

#[actix_web::test]
async fn a_json_fault_answers_its_body_once_the_request_is_verified() {
    let provider = start().await;
    let (token, secret) = login(&provider, "alice").await;
    let body = r#"{"data":{"id":"1002","name":"Bob","username":"bob"}}"#;
    provider.inject(MockEndpoint::UsersMe, Fault::Json(body.to_owned()));
    let reply = get_signed(&provider, "/2/users/me", &token, &secret).await;
    reply.assert(200, body);
    assert!(
        reply.content_type.starts_with("application/json"),
        "{reply:?}"
    );
    // A request that fails its signature still gets the authentication error.
    let forged = get_signed(&provider, "/2/users/me", &token, "not-the-secret").await;
    assert_eq!(forged.status, 401, "{forged:?}");
}

//! `GET /2/users/me` and `GET /1.1/account/verify_credentials.json`.

use super::support::*;

const V2_UNAUTHORIZED: &str =
    r#"{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}"#;
const CODE_89: &str = r#"{"errors":[{"code":89,"message":"Invalid or expired token."}]}"#;
const VERIFY: &str = "/1.1/account/verify_credentials.json";

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap()
}

#[actix_web::test]
async fn users_me_answers_the_default_fields() {
    let provider = start().await;
    let (token, secret) = login(&provider, "alice").await;
    let reply = get_signed(&provider, "/2/users/me", &token, &secret).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    assert!(
        reply.content_type.starts_with("application/json"),
        "{reply:?}"
    );
    assert_eq!(
        reply.json(),
        json(r#"{"data":{"id":"1001","name":"Alice","username":"alice"}}"#)
    );
}

#[actix_web::test]
async fn users_me_adds_requested_fields_and_email_only_when_there_is_one() {
    let provider = start().await;
    let path = "/2/users/me?user.fields=id%2Cname%2Cusername%2Cprofile_image_url%2Cconfirmed_email";
    let (token, secret) = login(&provider, "alice").await;
    let reply = get_signed(&provider, path, &token, &secret).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    let data = &reply.json()["data"];
    assert_eq!(data["confirmed_email"], ALICE_EMAIL);
    assert_eq!(
        data["profile_image_url"],
        "https://pbs.twimg.com/profile_images/1001/alice_normal.jpg"
    );
    let (token, secret) = login(&provider, "bob").await;
    let reply = get_signed(&provider, path, &token, &secret).await;
    let data = &reply.json()["data"];
    assert_eq!(data["id"], "1002");
    assert!(data.get("confirmed_email").is_none(), "{data}");
    assert!(data["profile_image_url"].is_string(), "{data}");
}

#[actix_web::test]
async fn users_me_refuses_unknown_fields_with_an_invalid_request_problem() {
    let provider = start().await;
    let (token, secret) = login(&provider, "alice").await;
    let reply = get_signed(
        &provider,
        "/2/users/me?user.fields=name,pinned_tweet_id",
        &token,
        &secret,
    )
    .await;
    assert_eq!(reply.status, 400, "{reply:?}");
    assert_eq!(reply.content_type, "application/problem+json");
    let body = reply.json();
    assert_eq!(
        body["type"],
        "https://api.twitter.com/2/problems/invalid-request"
    );
    assert_eq!(
        body["errors"][0]["parameters"]["user.fields"][0],
        "pinned_tweet_id"
    );
}

#[actix_web::test]
async fn users_me_answers_401_problem_for_bad_credentials() {
    let provider = start().await;
    let (token, secret) = login(&provider, "alice").await;
    for (token, secret) in [
        ("1001-unknown", secret.as_str()),
        (token.as_str(), "wrong-secret"),
    ] {
        let reply = get_signed(&provider, "/2/users/me", token, secret).await;
        reply.assert(401, V2_UNAUTHORIZED);
        assert_eq!(reply.content_type, "application/problem+json");
    }
    get(&provider, "/2/users/me", None)
        .await
        .assert(401, V2_UNAUTHORIZED);
    // Request-token credentials are not token credentials.
    let (temp, temp_secret) = request_token(&provider).await;
    get_signed(&provider, "/2/users/me", &temp, &temp_secret)
        .await
        .assert(401, V2_UNAUTHORIZED);
}

#[actix_web::test]
async fn verify_credentials_answers_a_v11_user_with_email_on_request() {
    let provider = start().await;
    let (token, secret) = login(&provider, "alice").await;
    let path = format!("{VERIFY}?include_email=true&skip_status=true&include_entities=false");
    let reply = get_signed(&provider, &path, &token, &secret).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    let user = reply.json();
    assert_eq!(user["id"], 1001);
    assert_eq!(user["id_str"], "1001");
    assert_eq!(user["name"], "Alice");
    assert_eq!(user["screen_name"], "alice");
    assert_eq!(
        user["profile_image_url_https"],
        "https://pbs.twimg.com/profile_images/1001/alice_normal.jpg"
    );
    assert_eq!(user["email"], ALICE_EMAIL);
    assert!(user.get("status").is_none(), "{user}");

    let reply = get_signed(&provider, VERIFY, &token, &secret).await;
    let user = reply.json();
    assert!(user.get("email").is_none(), "{user}");
    assert!(user.get("status").is_some(), "{user}");

    // Asked for, but bob has none: null, as X documents.
    let (token, secret) = login(&provider, "bob").await;
    let reply = get_signed(
        &provider,
        &format!("{VERIFY}?include_email=true"),
        &token,
        &secret,
    )
    .await;
    assert!(reply.json()["email"].is_null(), "{reply:?}");
}

#[actix_web::test]
async fn verify_credentials_answers_code_89_for_an_unknown_token() {
    let provider = start().await;
    get_signed(&provider, VERIFY, "1001-nope", "secret")
        .await
        .assert(401, CODE_89);
    let (token, _) = login(&provider, "alice").await;
    let code_32 = r#"{"errors":[{"code":32,"message":"Could not authenticate you."}]}"#;
    get_signed(&provider, VERIFY, &token, "wrong")
        .await
        .assert(401, code_32);
    assert_eq!(provider.rejected(), 2);
}

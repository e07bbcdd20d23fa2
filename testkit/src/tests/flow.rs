//! The authorization page, approve and deny, and `POST /oauth/access_token`.

use std::time::Duration;

use super::support::*;
use crate::{MockEndpoint, MockProvider, MockUser};

const INVALID_REQUEST_TOKEN: &str = "Invalid request token.";
const INVALID_VERIFIER: &str =
    "Error processing your OAuth request: Invalid oauth_verifier parameter";
const INVALID_PAGE_TEXT: &str =
    "The request token for this page is invalid. It may have already been used, or expired because it is too old.";

#[actix_web::test]
async fn the_page_lists_every_user_and_a_cancel_link() {
    let provider = start().await;
    let (token, _) = request_token(&provider).await;
    for path in ["/oauth/authenticate", "/oauth/authorize"] {
        let reply = get(
            &provider,
            &format!("{path}?oauth_token={token}&force_login=true"),
            None,
        )
        .await;
        assert_eq!(reply.status, 200, "{reply:?}");
        assert_eq!(reply.content_type, "text/html; charset=utf-8");
        let body = &reply.body;
        assert!(
            body.contains(
                "<title>Sign in to Local Test App with your X account (local provider)</title>"
            ),
            "{body}"
        );
        let alice =
            format!("href=\"/oauth/authenticate/approve?oauth_token={token}&amp;user=alice\"");
        let bob = format!("href=\"/oauth/authenticate/approve?oauth_token={token}&amp;user=bob\"");
        let cancel = format!("href=\"/oauth/authenticate/deny?oauth_token={token}\">Cancel</a>");
        assert!(
            body.contains(&alice) && body.contains(&bob) && body.contains(&cancel),
            "{body}"
        );
        assert!(body.contains("force_login"), "{body}");
    }
    // A screen_name hint puts that user first.
    let reply = get(
        &provider,
        &format!("/oauth/authenticate?oauth_token={token}&screen_name=bob"),
        None,
    )
    .await;
    let bob_at = reply.body.find("user=bob").unwrap();
    assert!(
        bob_at < reply.body.find("user=alice").unwrap(),
        "{}",
        reply.body
    );
}

#[actix_web::test]
async fn the_page_escapes_names() {
    let provider = MockProvider::builder(KEY, SECRET)
        .callback_url(CALLBACK)
        .app_name("<App & \"Co\">")
        .user(MockUser::new("7", "x<y", "<script>alert('x')</script>"))
        .start()
        .await
        .unwrap();
    let (token, _) = request_token(&provider).await;
    let reply = get(
        &provider,
        &format!("/oauth/authenticate?oauth_token={token}"),
        None,
    )
    .await;
    assert_eq!(reply.status, 200, "{reply:?}");
    assert!(
        !reply.body.contains("<script>") && !reply.body.contains("<App"),
        "{}",
        reply.body
    );
    assert!(
        reply
            .body
            .contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"),
        "{}",
        reply.body
    );
    assert!(
        reply
            .body
            .contains("Sign in to &lt;App &amp; &quot;Co&quot;&gt;"),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("user=x%3Cy"), "{}", reply.body);
}

#[actix_web::test]
async fn the_page_refuses_unknown_or_missing_tokens() {
    let provider = start().await;
    for path in [
        "/oauth/authenticate?oauth_token=nope",
        "/oauth/authenticate",
        "/oauth/authorize?oauth_token=%zz",
    ] {
        let reply = get(&provider, path, None).await;
        assert_eq!(reply.status, 400, "{reply:?}");
        assert!(reply.body.contains(INVALID_PAGE_TEXT), "{reply:?}");
    }
}

#[actix_web::test]
async fn approve_redirects_to_the_callback_with_token_and_verifier_once() {
    let provider = start().await;
    let (token, _) = request_token(&provider).await;
    let reply = get(
        &provider,
        &format!("/oauth/authenticate/approve?oauth_token={token}&user=alice"),
        None,
    )
    .await;
    assert_eq!(reply.status, 302, "{reply:?}");
    let location = reply.location.unwrap();
    let prefix = format!("{CALLBACK}?oauth_token={token}&oauth_verifier=");
    assert!(location.starts_with(&prefix), "{location}");
    assert!(location.len() > prefix.len() + 16, "{location}");
    // The token is decided: the page, approve and deny now refuse it.
    for path in [
        format!("/oauth/authenticate?oauth_token={token}"),
        format!("/oauth/authenticate/approve?oauth_token={token}&user=bob"),
        format!("/oauth/authenticate/deny?oauth_token={token}"),
    ] {
        let reply = get(&provider, &path, None).await;
        assert_eq!(reply.status, 400, "{path}: {reply:?}");
        assert!(reply.body.contains(INVALID_PAGE_TEXT), "{reply:?}");
    }
}

#[actix_web::test]
async fn approve_appends_to_a_callback_that_has_a_query() {
    let callback = "http://127.0.0.1:8080/cb?next=%2Fhome";
    let provider = builder().callback_url(callback).start().await.unwrap();
    let reply = request_token_with(&provider, signer().callback(callback)).await;
    let token = reply.form()["oauth_token"].clone();
    let reply = get(
        &provider,
        &format!("/oauth/authenticate/approve?oauth_token={token}&user=bob"),
        None,
    )
    .await;
    let location = reply.location.unwrap();
    assert!(
        location.starts_with(&format!("{callback}&oauth_token={token}&oauth_verifier=")),
        "{location}"
    );
}

#[actix_web::test]
async fn approve_refuses_an_unknown_user() {
    let provider = start().await;
    let (token, secret) = request_token(&provider).await;
    let reply = get(
        &provider,
        &format!("/oauth/authenticate/approve?oauth_token={token}&user=mallory"),
        None,
    )
    .await;
    assert_eq!(reply.status, 400, "{reply:?}");
    // The token is still pending and can be approved properly.
    let verifier = approve(&provider, &token, "ALICE").await;
    let reply = access_token(&provider, &token, &secret, &verifier).await;
    assert_eq!(reply.form()["screen_name"], "alice");
}

#[actix_web::test]
async fn deny_redirects_with_denied_and_kills_the_token() {
    let provider = start().await;
    let (token, secret) = request_token(&provider).await;
    let reply = get(
        &provider,
        &format!("/oauth/authenticate/deny?oauth_token={token}"),
        None,
    )
    .await;
    assert_eq!(reply.status, 302, "{reply:?}");
    assert_eq!(
        reply.location.unwrap(),
        format!("{CALLBACK}?denied={token}")
    );
    access_token(&provider, &token, &secret, "anything")
        .await
        .assert(401, INVALID_REQUEST_TOKEN);
}

#[actix_web::test]
async fn access_token_answers_token_credentials_and_identity() {
    let provider = start().await;
    let (token, secret) = request_token(&provider).await;
    let verifier = approve(&provider, &token, "alice").await;
    let reply = access_token(&provider, &token, &secret, &verifier).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(reply.content_type, "text/html; charset=utf-8");
    let form = reply.form();
    assert_eq!(form.len(), 4, "{form:?}");
    assert!(form["oauth_token"].starts_with("1001-"), "{form:?}");
    assert!(form["oauth_token_secret"].len() >= 20);
    assert_eq!(form["user_id"], "1001");
    assert_eq!(form["screen_name"], "alice");
    assert_eq!(provider.requests(MockEndpoint::AccessToken), 1);
}

#[actix_web::test]
async fn access_token_accepts_the_verifier_in_the_form_body() {
    let provider = start().await;
    let (token, secret) = request_token(&provider).await;
    let verifier = approve(&provider, &token, "bob").await;
    let form = [("oauth_verifier", verifier.as_str())];
    let auth = authorization(
        &provider,
        &signer().token(&token, &secret),
        "POST",
        "/oauth/access_token",
        &form,
    );
    let reply = post(&provider, "/oauth/access_token", Some(&auth), &form).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(reply.form()["user_id"], "1002");
}

#[actix_web::test]
async fn access_token_is_single_use() {
    let provider = start().await;
    let (token, secret) = request_token(&provider).await;
    let verifier = approve(&provider, &token, "alice").await;
    assert_eq!(
        access_token(&provider, &token, &secret, &verifier)
            .await
            .status,
        200
    );
    access_token(&provider, &token, &secret, &verifier)
        .await
        .assert(401, INVALID_REQUEST_TOKEN);
}

#[actix_web::test]
async fn a_wrong_verifier_is_refused_and_consumes_the_token() {
    let provider = start().await;
    let (token, secret) = request_token(&provider).await;
    let verifier = approve(&provider, &token, "alice").await;
    access_token(&provider, &token, &secret, "wrong")
        .await
        .assert(401, INVALID_VERIFIER);
    access_token(&provider, &token, &secret, &verifier)
        .await
        .assert(401, INVALID_REQUEST_TOKEN);
    // A missing verifier is refused the same way.
    let (token, secret) = request_token(&provider).await;
    approve(&provider, &token, "alice").await;
    let auth = authorization(
        &provider,
        &signer().token(&token, &secret),
        "POST",
        "/oauth/access_token",
        &[],
    );
    post(&provider, "/oauth/access_token", Some(&auth), &[])
        .await
        .assert(401, INVALID_VERIFIER);
}

#[actix_web::test]
async fn a_badly_signed_attempt_does_not_consume_the_token() {
    let provider = start().await;
    let (token, secret) = request_token(&provider).await;
    let verifier = approve(&provider, &token, "alice").await;
    let code_32 = r#"{"errors":[{"code":32,"message":"Could not authenticate you."}]}"#;
    access_token(&provider, &token, "wrong-secret", &verifier)
        .await
        .assert(401, code_32);
    assert_eq!(
        access_token(&provider, &token, &secret, &verifier)
            .await
            .status,
        200
    );
}

#[actix_web::test]
async fn unapproved_unknown_and_expired_tokens_are_refused() {
    let provider = builder()
        .request_token_ttl(Duration::from_millis(300))
        .start()
        .await
        .unwrap();
    // Never approved: the attempt consumes it.
    let (token, secret) = request_token(&provider).await;
    access_token(&provider, &token, &secret, "v")
        .await
        .assert(401, INVALID_REQUEST_TOKEN);
    access_token(&provider, "unknown", "s", "v")
        .await
        .assert(401, INVALID_REQUEST_TOKEN);
    // Expired between approval and exchange, and before approval.
    let (token, secret) = request_token(&provider).await;
    let verifier = approve(&provider, &token, "alice").await;
    let (late, _) = request_token(&provider).await;
    actix_web::rt::time::sleep(Duration::from_millis(400)).await;
    access_token(&provider, &token, &secret, &verifier)
        .await
        .assert(401, INVALID_REQUEST_TOKEN);
    let reply = get(
        &provider,
        &format!("/oauth/authenticate?oauth_token={late}"),
        None,
    )
    .await;
    assert_eq!(reply.status, 400, "{reply:?}");
}

#[actix_web::test]
async fn unknown_paths_get_code_34_and_stop_closes_the_port() {
    let provider = start().await;
    let not_found = r#"{"errors":[{"code":34,"message":"Sorry, that page does not exist"}]}"#;
    get(&provider, "/1.1/nothing.json", None)
        .await
        .assert(404, not_found);
    let base = provider.base_url();
    provider.stop().await;
    assert!(client().get(base).send().await.is_err());
}

//! Unlinking X: a `POST` with the account form token that removes the link, revokes the
//! stored tokens at X (retrying later when X fails), and never removes a user's last way to
//! sign in.

use actix_twitter_login::accounts::AccountError;
use actix_twitter_login_testkit::{Fault, MockEndpoint};

use crate::common::{Browser, Page, Protocol, TestApp};

async fn form_token(app: &TestApp, browser: &Browser) -> String {
    browser.get(&app.url("/test/account-form-token")).await.body
}

async fn post_unlink(app: &TestApp, browser: &Browser, token: &str, site: &str) -> Page {
    browser
        .post_form(
            &app.url("/unlink/twitter"),
            &[("csrf_token", token)],
            &[("Sec-Fetch-Site", site)],
        )
        .await
}

/// Signs up with the app's own sign-up and links X as `screen_name`; the user id.
async fn linked_user(app: &TestApp, browser: &Browser, screen_name: &str) -> i32 {
    let id = browser.post(&app.url("/test/sign-up")).await.body;
    let token = form_token(app, browser).await;
    let start = browser
        .post_form(
            &app.url("/link/twitter"),
            &[("csrf_token", &token)],
            &[("Sec-Fetch-Site", "same-origin")],
        )
        .await;
    let callback = app
        .approve_location(browser, &start.location.expect("to X"), screen_name)
        .await;
    assert_eq!(browser.get(&callback).await.status, 302);
    id.parse().expect("a user id")
}

/// Whether the provider still takes the tokens it issued for this sign-in: probed through the
/// stored credentials, at X's profile endpoint.
fn revocations(app: &TestApp) -> usize {
    app.provider.requests(MockEndpoint::OAuth2Revoke)
        + app.provider.requests(MockEndpoint::InvalidateToken)
}

#[actix_web::test]
async fn unlinking_revokes_the_stored_tokens_at_x_and_removes_the_link() {
    for (protocol, endpoint) in [
        (Protocol::OAuth1, MockEndpoint::InvalidateToken),
        (Protocol::OAuth2Confidential, MockEndpoint::OAuth2Revoke),
        (Protocol::OAuth2Public, MockEndpoint::OAuth2Revoke),
    ] {
        let app = TestApp::setup().protocol(protocol).start().await;
        let browser = Browser::new();
        let user_id = linked_user(&app, &browser, "alice").await;
        assert_eq!(app.count("federated_tokens"), 1, "{protocol:?}");
        let linked = app.accounts.linked(user_id).await.unwrap().expect("linked");
        assert!(!linked.needs_reauthorization);
        let token = form_token(&app, &browser).await;
        let done = post_unlink(&app, &browser, &token, "same-origin").await;
        assert_eq!(done.status, 303, "{protocol:?}: {}", done.body);
        assert_eq!(app.count("federated_credentials"), 0, "{protocol:?}");
        assert_eq!(app.count("federated_tokens"), 0, "{protocol:?}");
        assert_eq!(app.count("token_revocations"), 0, "revoked: {protocol:?}");
        assert!(app.provider.requests(endpoint) >= 1, "{protocol:?}");
        assert_eq!(app.accounts.linked(user_id).await.unwrap(), None);
        // The login page shows what happened.
        let page = browser.get(&app.url("/login")).await;
        assert!(
            page.body.contains("Your X account is disconnected."),
            "{}",
            page.body
        );
        app.stop().await;
    }
}

/// An app on OAuth 2.0 (a confidential client) with alice signed up and her X account linked.
async fn alice_linked_over_oauth2() -> (TestApp, i32) {
    let app = TestApp::setup()
        .protocol(Protocol::OAuth2Confidential)
        .start()
        .await;
    let user_id = linked_user(&app, &Browser::new(), "alice").await;
    (app, user_id)
}

#[actix_web::test]
async fn an_unlink_says_whether_x_revoked_the_tokens() {
    let (app, user_id) = alice_linked_over_oauth2().await;
    let unlinked = app.accounts.unlink(user_id).await.expect("unlinked");
    assert!(unlinked.revoked);
    assert_eq!(app.count("token_revocations"), 0);
    assert!(revocations(&app) >= 1);
    app.stop().await;
}

#[actix_web::test]
async fn a_revocation_x_fails_is_queued_and_made_later_without_blocking_the_unlink() {
    let (app, user_id) = alice_linked_over_oauth2().await;
    app.provider
        .inject(MockEndpoint::OAuth2Revoke, Fault::Status(503));
    let before = unix_now();
    let unlinked = app.accounts.unlink(user_id).await.expect("unlinked");
    let after = unix_now();
    assert!(!unlinked.revoked);
    assert_eq!(app.count("federated_credentials"), 0);
    assert_eq!(app.count("token_revocations"), 1, "queued");
    // One attempt made; the next is due a minute later.
    let due_in_a_minute = format!(
        "token_revocations WHERE attempts = 1 AND next_attempt_at BETWEEN {} AND {}",
        before + 60,
        after + 60
    );
    assert_eq!(app.count(&due_in_a_minute), 1);
    // Not due yet: a retry right away asks X nothing.
    let before = revocations(&app);
    let none = app.accounts.retry_revocations().await.unwrap();
    assert_eq!((none.revoked, none.retrying), (0, 0));
    assert_eq!(revocations(&app), before);
    app.database
        .execute("UPDATE token_revocations SET next_attempt_at = 0");
    app.provider.clear_faults();
    let later = app.accounts.retry_revocations().await.unwrap();
    assert_eq!(later.revoked, 1);
    assert_eq!(app.count("token_revocations"), 0);
    app.stop().await;
}

#[actix_web::test]
async fn a_revocation_that_keeps_failing_is_given_up_at_its_twentieth_attempt() {
    let (app, user_id) = alice_linked_over_oauth2().await;
    app.provider
        .inject(MockEndpoint::OAuth2Revoke, Fault::Status(503));
    app.accounts.unlink(user_id).await.expect("unlinked");
    // Eighteen attempts made: the nineteenth is tried again later, the twentieth is the last.
    app.database
        .execute("UPDATE token_revocations SET attempts = 18, next_attempt_at = 0");
    let nineteenth = app.accounts.retry_revocations().await.unwrap();
    assert_eq!((nineteenth.retrying, nineteenth.given_up), (1, 0));
    app.database
        .execute("UPDATE token_revocations SET next_attempt_at = 0");
    let twentieth = app.accounts.retry_revocations().await.unwrap();
    assert_eq!(
        (twentieth.revoked, twentieth.retrying, twentieth.given_up),
        (0, 0, 1)
    );
    assert_eq!(app.count("token_revocations"), 0);
    app.stop().await;
}

/// Seconds since the Unix epoch.
fn unix_now() -> i64 {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    i64::try_from(since.as_secs()).unwrap()
}

#[actix_web::test]
async fn the_last_way_to_sign_in_is_not_unlinked() {
    let app = TestApp::setup().start().await;
    let browser = Browser::new();
    app.login(&browser, "alice").await;
    let (id, _) = app.me(&browser).await.expect("signed in");
    let user_id: i32 = id.parse().unwrap();
    let token = form_token(&app, &browser).await;
    let page = post_unlink(&app, &browser, &token, "same-origin").await;
    assert_eq!(page.status, 303);
    assert_eq!(app.count("federated_credentials"), 1);
    assert_eq!(revocations(&app), 0);
    let shown = browser.get(&app.url("/login")).await;
    assert!(shown.body.contains("only way to sign in"), "{}", shown.body);
    assert!(matches!(
        app.accounts.unlink(user_id).await,
        Err(AccountError::LastSignIn)
    ));
    app.stop().await;
}

#[actix_web::test]
async fn an_unlink_from_another_site_or_without_the_token_or_a_user_changes_nothing() {
    let app = TestApp::setup().start().await;
    let browser = Browser::new();
    linked_user(&app, &browser, "alice").await;
    let token = form_token(&app, &browser).await;
    assert_eq!(
        post_unlink(&app, &browser, &token, "cross-site")
            .await
            .status,
        403
    );
    assert_eq!(
        post_unlink(&app, &browser, "", "same-origin").await.status,
        403
    );
    let anonymous = Browser::new();
    let anonymous_token = form_token(&app, &anonymous).await;
    let page = post_unlink(&app, &anonymous, &anonymous_token, "same-origin").await;
    assert_eq!(page.status, 401);
    assert_eq!(app.count("federated_credentials"), 1);
    assert_eq!(revocations(&app), 0);
    app.stop().await;
}

//! Linking an X account to a user who is already signed in: attached to that user, refused for
//! an account another user holds, and never started from another site or without a user.

use actix_twitter_login_testkit::MockEndpoint;

use crate::common::{Browser, Page, Protocol, TestApp};

/// Signs up with the app's own sign-up in this browser; the new user's id.
async fn sign_up(app: &TestApp, browser: &Browser) -> String {
    let page = browser.post(&app.url("/test/sign-up")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    page.body
}

/// The session's account form token.
async fn form_token(app: &TestApp, browser: &Browser) -> String {
    let page = browser.get(&app.url("/test/account-form-token")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    page.body
}

/// Posts the link form, as the app's own page would.
async fn post_link(app: &TestApp, browser: &Browser, token: &str) -> Page {
    browser
        .post_form(
            &app.url("/link/twitter"),
            &[("csrf_token", token)],
            &[("Sec-Fetch-Site", "same-origin")],
        )
        .await
}

/// A whole link as `screen_name`: the callback's response.
async fn link(app: &TestApp, browser: &Browser, screen_name: &str) -> Page {
    let token = form_token(app, browser).await;
    let start = post_link(app, browser, &token).await;
    assert_eq!(start.status, 302, "{}", start.body);
    let location = start.location.expect("to X");
    let callback = app.approve_location(browser, &location, screen_name).await;
    browser.get(&callback).await
}

#[actix_web::test]
async fn a_user_of_the_app_s_own_sign_up_links_x_and_then_signs_in_with_it() {
    for protocol in [Protocol::OAuth1, Protocol::OAuth2Confidential] {
        let app = TestApp::setup().protocol(protocol).start().await;
        let browser = Browser::new();
        let user_id = sign_up(&app, &browser).await;
        let done = link(&app, &browser, "alice").await;
        assert_eq!(done.status, 302, "{protocol:?}: {}", done.body);
        assert_eq!(done.location.as_deref(), Some("/"), "{protocol:?}");
        assert_eq!(
            app.me(&browser).await.map(|(id, _)| id),
            Some(user_id.clone())
        );
        assert_eq!(app.count("federated_credentials"), 1, "{protocol:?}");
        assert_eq!(app.count("users"), 1, "no new user: {protocol:?}");
        // The next sign-in with that X account is the same user.
        let elsewhere = Browser::new();
        app.login(&elsewhere, "alice").await;
        assert_eq!(app.me(&elsewhere).await.map(|(id, _)| id), Some(user_id));
        assert_eq!(app.count("users"), 1, "{protocol:?}");
        app.stop().await;
    }
}

#[actix_web::test]
async fn an_x_account_another_user_holds_is_not_linked() {
    let app = TestApp::setup().start().await;
    let (owner, other) = (Browser::new(), Browser::new());
    app.login(&owner, "alice").await;
    let owner_id = app.me(&owner).await.expect("signed in").0;
    let other_id = sign_up(&app, &other).await;
    let refused = link(&app, &other, "alice").await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(
        refused
            .body
            .contains("already connected to another account"),
        "{}",
        refused.body
    );
    // Nothing moved, nothing merged; each stays who they were.
    assert_eq!(app.count("federated_credentials"), 1);
    assert_eq!(app.me(&other).await.map(|(id, _)| id), Some(other_id));
    let again = Browser::new();
    app.login(&again, "alice").await;
    assert_eq!(app.me(&again).await.map(|(id, _)| id), Some(owner_id));
    app.stop().await;
}

#[actix_web::test]
async fn a_second_x_account_is_not_linked_to_the_same_user() {
    let app = TestApp::setup().start().await;
    let browser = Browser::new();
    sign_up(&app, &browser).await;
    assert_eq!(link(&app, &browser, "alice").await.status, 302);
    let refused = link(&app, &browser, "bob").await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(
        refused.body.contains("Disconnect it first"),
        "{}",
        refused.body
    );
    assert_eq!(app.count("federated_credentials"), 1);
    app.stop().await;
}

#[actix_web::test]
async fn a_link_needs_the_session_s_token_this_site_and_a_signed_in_user() {
    let app = TestApp::setup().start().await;
    let browser = Browser::new();
    sign_up(&app, &browser).await;
    let token = form_token(&app, &browser).await;
    let without = post_link(&app, &browser, "").await;
    assert_eq!(without.status, 403, "{}", without.body);
    let wrong = post_link(&app, &browser, &format!("{token}x")).await;
    assert_eq!(wrong.status, 403, "{}", wrong.body);
    let cross = browser
        .post_form(
            &app.url("/link/twitter"),
            &[("csrf_token", &token)],
            &[("Sec-Fetch-Site", "cross-site")],
        )
        .await;
    assert_eq!(cross.status, 403, "{}", cross.body);
    // A token of an anonymous session: no user to link to.
    let anonymous = Browser::new();
    let anonymous_token = form_token(&app, &anonymous).await;
    let signed_out = post_link(&app, &anonymous, &anonymous_token).await;
    assert_eq!(signed_out.status, 401, "{}", signed_out.body);
    assert_eq!(app.provider.requests(MockEndpoint::RequestToken), 0);
    app.stop().await;
}

/// Starts a link in this browser and approves it at X; the callback URL, not yet visited.
async fn approved_link(app: &TestApp, browser: &Browser, screen_name: &str) -> String {
    let token = form_token(app, browser).await;
    let start = post_link(app, browser, &token).await;
    app.approve_location(browser, &start.location.expect("to X"), screen_name)
        .await
}

#[actix_web::test]
async fn a_link_whose_user_changed_or_signed_out_meanwhile_links_nothing() {
    let app = TestApp::setup().start().await;
    let browser = Browser::new();
    sign_up(&app, &browser).await;
    let callback = approved_link(&app, &browser, "alice").await;
    // Another user signs in in the same browser: the session (and its pending login) stays.
    let other = sign_up(&app, &browser).await;
    let done = browser.get(&callback).await;
    assert_eq!(done.status, 403, "{}", done.body);
    assert!(done.body.contains("changed accounts"), "{}", done.body);
    assert_eq!(app.me(&browser).await.map(|(id, _)| id), Some(other));

    let callback = approved_link(&app, &browser, "alice").await;
    let logout = browser
        .post_with(&app.url("/logout"), &[("Sec-Fetch-Site", "same-origin")])
        .await;
    assert_eq!(logout.status, 303);
    // Logging out ends the session, and the pending login with it.
    let done = browser.get(&callback).await;
    assert_eq!(done.status, 401, "{}", done.body);

    assert_eq!(app.count("federated_credentials"), 0);
    assert_eq!(app.provider.requests(MockEndpoint::AccessToken), 0);
    app.stop().await;
}

/// The identity that starts a link is kept with the pending login, whose size is bounded: up to
/// 64 bytes it goes to X, past that it is refused before X is asked.
#[actix_web::test]
async fn a_link_is_started_for_identities_of_up_to_64_bytes() {
    let app = TestApp::setup().start().await;
    for (length, status, asked) in [(64, 302, 1), (65, 500, 1)] {
        let browser = Browser::new();
        let identity = "i".repeat(length);
        let signed_in = browser
            .post(&app.url(&format!("/test/sign-in-as/{identity}")))
            .await;
        assert_eq!(signed_in.status, 200);
        let token = form_token(&app, &browser).await;
        let start = post_link(&app, &browser, &token).await;
        assert_eq!(start.status, status, "{length}: {}", start.body);
        assert_eq!(app.provider.requests(MockEndpoint::RequestToken), asked);
    }
    app.stop().await;
}

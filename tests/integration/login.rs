//! The happy path: first login, re-login, two accounts, session id renewal, sign-out.

use crate::common::{Browser, Sessions, TestApp, SESSION_COOKIE};
use actix_twitter_login_testkit::MockUser;

#[actix_web::test]
async fn first_login_creates_the_user_and_signs_in() {
    let app = TestApp::setup().start().await;
    let browser = Browser::new();
    assert_eq!(app.me(&browser).await, None);

    let done = app.login(&browser, "alice").await;
    assert_eq!(done.status, 302, "{}", done.body);
    assert_eq!(done.location.as_deref(), Some("/"));
    let (id, name) = app.me(&browser).await.expect("signed in");
    assert_eq!(name, "Alice");
    assert_eq!(app.count("users"), 1);
    assert_eq!(app.count("federated_credentials"), 1);
    assert!(browser
        .get(&app.url("/"))
        .await
        .body
        .contains(&format!("signed in as {id}")));
    // Every signature the crate made passed the provider's own verification.
    assert_eq!(app.provider.rejected(), 0);
    assert_eq!(
        app.provider
            .requests(actix_twitter_login_testkit::MockEndpoint::UsersMe),
        1
    );
    app.stop().await;
}

#[actix_web::test]
async fn re_login_is_the_same_user_and_two_accounts_are_two_users() {
    let app = TestApp::setup().start().await;
    let first = Browser::new();
    app.login(&first, "alice").await;
    let alice = app.me(&first).await.expect("alice signed in");

    let again = Browser::new();
    app.login(&again, "alice").await;
    assert_eq!(app.me(&again).await, Some(alice.clone()));

    let other = Browser::new();
    app.login(&other, "bob").await;
    let bob = app.me(&other).await.expect("bob signed in");
    assert_ne!(bob.0, alice.0);
    assert_eq!(bob.1, "Bob");
    assert_eq!(app.count("users"), 2);
    assert_eq!(app.count("federated_credentials"), 2);
    app.stop().await;
}

#[actix_web::test]
async fn login_renews_the_session_id() {
    let app = TestApp::setup().sessions(Sessions::Memory).start().await;
    let browser = Browser::new();
    let callback = app.approve(&browser, "alice").await;
    let before = browser
        .cookie(SESSION_COOKIE)
        .expect("a session holds the pending login");
    let ids_before = app.memory.keys();
    assert_eq!(
        ids_before.len(),
        1,
        "one server-side session holds the pending login"
    );

    let done = browser.get(&callback).await;
    assert_eq!(done.status, 302, "{}", done.body);
    let after = browser
        .cookie(SESSION_COOKIE)
        .expect("a session after login");
    assert_ne!(before, after, "the session cookie must change at login");
    let ids_after = app.memory.keys();
    assert_eq!(ids_after.len(), 1, "{ids_after:?}");
    assert_ne!(ids_before, ids_after, "the session id must change at login");
    assert!(app.me(&browser).await.is_some());

    // A fixated (old) session id carries no identity.
    let attacker = Browser::new();
    attacker.set_cookie(SESSION_COOKIE, &before);
    assert_eq!(app.me(&attacker).await, None);
    app.stop().await;
}

#[actix_web::test]
async fn logout_forgets_the_identity() {
    let app = TestApp::setup().start().await;
    let browser = Browser::new();
    app.login(&browser, "bob").await;
    assert!(app.me(&browser).await.is_some());
    let out = browser.post(&app.url("/logout")).await;
    assert_eq!(out.status, 303);
    assert_eq!(out.location.as_deref(), Some("/"));
    assert_eq!(app.me(&browser).await, None);
    app.stop().await;
}

#[actix_web::test]
async fn a_cross_site_logout_is_refused() {
    let app = TestApp::setup().start().await;
    let browser = Browser::new();
    app.login(&browser, "bob").await;
    let own_host = app.base_url.trim_start_matches("http://").to_owned();
    for headers in [
        vec![("Sec-Fetch-Site", "cross-site")],
        vec![("Sec-Fetch-Site", "same-site")],
        vec![("Origin", "http://evil.example")],
        vec![("Origin", "null")],
        // Fetch Metadata wins over a matching Origin.
        vec![
            ("Sec-Fetch-Site", "cross-site"),
            ("Origin", app.base_url.as_str()),
        ],
    ] {
        let out = browser.post_with(&app.url("/logout"), &headers).await;
        assert_eq!(out.status, 403, "{headers:?}: {}", out.body);
        assert!(
            app.me(&browser).await.is_some(),
            "{headers:?}: still signed in"
        );
    }
    // From the site's own page, by either header.
    let origin = format!("http://{own_host}");
    let out = browser
        .post_with(&app.url("/logout"), &[("Origin", origin.as_str())])
        .await;
    assert_eq!(out.status, 303, "{}", out.body);
    assert_eq!(app.me(&browser).await, None);
    app.login(&browser, "bob").await;
    let out = browser
        .post_with(&app.url("/logout"), &[("Sec-Fetch-Site", "same-origin")])
        .await;
    assert_eq!(out.status, 303, "{}", out.body);
    assert_eq!(app.me(&browser).await, None);
    app.stop().await;
}

#[actix_web::test]
async fn two_tabs_can_both_complete() {
    let app = TestApp::setup()
        .user(MockUser::new("1001", "alice", "Alice"))
        .start()
        .await;
    let browser = Browser::new();
    let first_tab = app.approve(&browser, "alice").await;
    let second_tab = app.approve(&browser, "alice").await;
    assert_eq!(
        browser.get(&second_tab).await.location.as_deref(),
        Some("/")
    );
    assert_eq!(browser.get(&first_tab).await.location.as_deref(), Some("/"));
    assert_eq!(app.count("users"), 1);
    app.stop().await;
}

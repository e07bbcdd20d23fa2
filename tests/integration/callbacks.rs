//! Callbacks that must fail cleanly: denied, replayed, forged, another browser's, no session,
//! malformed. None of them may reach the provider's access-token endpoint with a token this
//! session did not issue, and none may answer 500.

use actix_twitter_login_testkit::MockEndpoint;

use crate::common::{query_value, Browser, Protocol, TestApp};

fn with_messages(app: crate::common::Setup) -> crate::common::Setup {
    app.configure(|b| b.failure_redirect("/login").failure_message(true))
}

async fn login_page_messages(app: &TestApp, browser: &Browser) -> String {
    let page = browser.get(&app.url("/login")).await;
    assert_eq!(page.status, 200);
    page.body
}

#[actix_web::test]
async fn denied_redirects_with_its_own_message_and_spends_the_token() {
    let app = with_messages(TestApp::setup()).start().await;
    let browser = Browser::new();
    let start = browser.get(&app.url("/login/twitter")).await;
    let token = query_value(start.location.as_deref().unwrap(), "oauth_token").unwrap();
    let deny = browser
        .get(&format!(
            "{}/oauth/authenticate/deny?oauth_token={token}",
            app.provider.base_url()
        ))
        .await;
    let callback = deny.location.expect("redirect to the callback");
    assert_eq!(
        query_value(&callback, "denied").as_deref(),
        Some(token.as_str())
    );

    let done = browser.get(&callback).await;
    assert_eq!(done.status, 302);
    assert_eq!(done.location.as_deref(), Some("/login"));
    let page = login_page_messages(&app, &browser).await;
    assert!(
        page.contains("You cancelled signing in with Twitter."),
        "{page}"
    );
    // Shown once, then cleared.
    assert!(!login_page_messages(&app, &browser)
        .await
        .contains("cancelled"));
    assert_eq!(app.me(&browser).await, None);
    app.stop().await;
}

#[actix_web::test]
async fn denied_without_a_redirect_answers_401_with_a_page() {
    let app = TestApp::setup().start().await;
    let browser = Browser::new();
    let done = browser
        .get(&app.url("/oauth/callback/twitter?denied=whatever"))
        .await;
    assert_eq!(done.status, 401);
    assert!(
        done.body.contains("You cancelled signing in with Twitter."),
        "{}",
        done.body
    );
    app.stop().await;
}

#[actix_web::test]
async fn a_replayed_callback_fails() {
    let app = with_messages(TestApp::setup()).start().await;
    let browser = Browser::new();
    let callback = app.approve(&browser, "alice").await;
    assert_eq!(browser.get(&callback).await.location.as_deref(), Some("/"));
    let replay = browser.get(&callback).await;
    assert_eq!(replay.status, 302);
    assert_eq!(replay.location.as_deref(), Some("/login"));
    assert!(login_page_messages(&app, &browser)
        .await
        .contains("Please try again"));
    assert_eq!(app.count("users"), 1);
    app.stop().await;
}

#[actix_web::test]
async fn a_forged_token_never_reaches_the_provider() {
    let app = with_messages(TestApp::setup()).start().await;
    let browser = Browser::new();
    let callback = app.approve(&browser, "alice").await;
    let verifier = query_value(&callback, "oauth_verifier").unwrap();
    let forged = app.url(&format!(
        "/oauth/callback/twitter?oauth_token=forged&oauth_verifier={verifier}"
    ));
    let done = browser.get(&forged).await;
    assert_eq!(done.location.as_deref(), Some("/login"));
    let page = login_page_messages(&app, &browser).await;
    assert!(
        page.contains("does not match the one you started"),
        "{page}"
    );
    assert_eq!(app.provider.requests(MockEndpoint::AccessToken), 0);
    // The real callback still works afterwards.
    assert_eq!(browser.get(&callback).await.location.as_deref(), Some("/"));
    app.stop().await;
}

#[actix_web::test]
async fn another_browsers_callback_is_refused_login_csrf() {
    let app = with_messages(TestApp::setup()).start().await;
    let attacker = Browser::new();
    let victim = Browser::new();
    // The attacker approves as themselves and sends the callback link to the victim.
    let callback = app.approve(&attacker, "bob").await;
    let done = victim.get(&callback).await;
    // The victim had no session: the page itself, and none made for the message.
    assert_eq!(done.status, 401, "{}", done.body);
    assert!(
        done.body
            .contains("expired or was started in another browser"),
        "{}",
        done.body
    );
    assert!(done.set_cookies.is_empty(), "{:?}", done.set_cookies);
    assert_eq!(
        app.me(&victim).await,
        None,
        "the victim must not be signed in as the attacker"
    );

    // A victim with a login of their own pending is not signed in as the attacker either.
    let callback = app.approve(&attacker, "bob").await;
    let _own = victim.get(&app.url("/login/twitter")).await;
    let done = victim.get(&callback).await;
    assert_eq!(done.location.as_deref(), Some("/login"));
    assert_eq!(app.me(&victim).await, None);
    let page = login_page_messages(&app, &victim).await;
    assert!(
        page.contains("does not match the one you started"),
        "{page}"
    );
    app.stop().await;
}

#[actix_web::test]
async fn a_callback_without_a_session_cookie_fails_without_500() {
    let app = TestApp::setup().start().await;
    let browser = Browser::new();
    let callback = app.approve(&browser, "alice").await;
    browser.clear_cookies();
    let done = browser.get(&callback).await;
    assert_eq!(done.status, 401, "{}", done.body);
    assert!(done
        .body
        .contains("expired or was started in another browser"));
    app.stop().await;
}

#[actix_web::test]
async fn malformed_callbacks_fail_with_400() {
    let app = TestApp::setup().start().await;
    let browser = Browser::new();
    let long = "x".repeat(5000);
    for query in [
        "",
        "?oauth_token=only",
        "?oauth_token=a&oauth_token=b&oauth_verifier=v",
        &format!("?oauth_token={long}&oauth_verifier=v"),
    ] {
        let done = browser
            .get(&app.url(&format!("/oauth/callback/twitter{query}")))
            .await;
        assert_eq!(done.status, 400, "query {query:.40}: {}", done.body);
    }
    app.stop().await;
}

/// Both protocols: the copy still lists the pending login, and the middleware's spent set
/// refuses it before anything reaches the provider.
#[actix_web::test]
async fn a_copy_of_the_cookie_from_before_the_callback_cannot_replay_it() {
    for (protocol, exchange) in [
        (Protocol::OAuth1, MockEndpoint::AccessToken),
        (Protocol::OAuth2Confidential, MockEndpoint::OAuth2Token),
    ] {
        let app = TestApp::setup()
            .protocol(protocol)
            .sessions(crate::common::Sessions::Cookie)
            .start()
            .await;
        let browser = Browser::new();
        let callback = app.approve(&browser, "alice").await;
        let old_cookie = browser
            .cookie(crate::common::SESSION_COOKIE)
            .expect("the pending login's cookie");
        assert_eq!(browser.get(&callback).await.location.as_deref(), Some("/"));

        let thief = Browser::new();
        thief.set_cookie(crate::common::SESSION_COOKIE, &old_cookie);
        let replay = thief.get(&callback).await;
        assert_eq!(replay.status, 401, "{protocol:?}: {}", replay.body);
        assert!(replay.body.contains("already used"), "{}", replay.body);
        assert_eq!(
            app.provider.requests(exchange),
            1,
            "{protocol:?}: the replay never reaches the provider"
        );
        assert_eq!(app.me(&thief).await, None);
        app.stop().await;
    }
}

/// A login the user cancelled is spent like one that went through: a copy of the cookie from
/// before the cancel, with the cancelled login's key and a made-up grant, is refused before
/// anything reaches the provider.
#[actix_web::test]
async fn a_cancelled_login_s_key_is_spent() {
    for (protocol, exchange) in [
        (Protocol::OAuth1, MockEndpoint::AccessToken),
        (Protocol::OAuth2Confidential, MockEndpoint::OAuth2Token),
    ] {
        let app = TestApp::setup()
            .protocol(protocol)
            .sessions(crate::common::Sessions::Cookie)
            .start()
            .await;
        let browser = Browser::new();
        let start = browser.get(&app.url("/login/twitter")).await;
        let location = start.location.expect("to the provider");
        let old_cookie = browser
            .cookie(crate::common::SESSION_COOKIE)
            .expect("the pending login's cookie");
        let (deny, forged) = match protocol {
            Protocol::OAuth1 => {
                let token = query_value(&location, "oauth_token").unwrap();
                (
                    format!(
                        "{}/oauth/authenticate/deny?oauth_token={token}",
                        app.provider.base_url()
                    ),
                    format!("/oauth/callback/twitter?oauth_token={token}&oauth_verifier=made-up"),
                )
            }
            _ => {
                let (_, query) = location.split_once('?').unwrap();
                let state = query_value(&location, "state").unwrap();
                (
                    format!(
                        "{}/i/oauth2/authorize/deny?{query}",
                        app.provider.base_url()
                    ),
                    format!("/oauth/callback/twitter?code=made-up&state={state}"),
                )
            }
        };
        let callback = browser.get(&deny).await.location.expect("to the callback");
        let cancelled = browser.get(&callback).await;
        assert_eq!(cancelled.status, 401, "{protocol:?}: {}", cancelled.body);

        let thief = Browser::new();
        thief.set_cookie(crate::common::SESSION_COOKIE, &old_cookie);
        let replay = thief.get(&app.url(&forged)).await;
        assert_eq!(replay.status, 401, "{protocol:?}: {}", replay.body);
        assert!(replay.body.contains("already used"), "{}", replay.body);
        assert_eq!(app.provider.requests(exchange), 0, "{protocol:?}");
        app.stop().await;
    }
}

/// A pending login expires with the clock: the same callback that signs in at once fails once
/// its time is up, before anything reaches the provider.
#[actix_web::test]
async fn a_pending_login_expires_with_the_clock() {
    const TTL: std::time::Duration = std::time::Duration::from_secs(2);
    let app = TestApp::setup()
        .configure(|b| b.pending_login_ttl(TTL))
        .start()
        .await;
    let browser = Browser::new();
    let in_time = app.login(&browser, "alice").await;
    assert_eq!(in_time.location.as_deref(), Some("/"), "{}", in_time.body);

    let late = Browser::new();
    let callback = app.approve(&late, "bob").await;
    // Pending logins are timed in whole seconds: past the ttl and the next second boundary.
    actix_web::rt::time::sleep(TTL + std::time::Duration::from_millis(1100)).await;
    let done = late.get(&callback).await;
    assert_eq!(done.status, 401, "{}", done.body);
    assert!(done.body.contains("expired"), "{}", done.body);
    assert_eq!(
        app.provider.requests(MockEndpoint::AccessToken),
        1,
        "alice's only"
    );
    assert_eq!(app.me(&late).await, None);
    app.stop().await;
}

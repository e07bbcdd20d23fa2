//! `?return_to=` on the login start: back to that page after signing in, kept with the pending
//! login across the session renewal, never to another site.

use crate::common::{Browser, Protocol, Sessions, TestApp};

const PROTOCOLS: [Protocol; 2] = [Protocol::OAuth1, Protocol::OAuth2Confidential];

/// Starts at `start`, approves as alice, and answers where the callback redirected.
async fn returns_to(app: &TestApp, start: &str) -> Option<String> {
    let browser = Browser::new();
    let callback = app.approve_from(&browser, start, "alice").await;
    let done = browser.get(&callback).await;
    assert_eq!(done.status, 302, "{start}: {}", done.body);
    assert!(app.me(&browser).await.is_some(), "{start}: signed in");
    done.location
}

#[actix_web::test]
async fn a_login_returns_to_the_page_it_was_started_for() {
    for protocol in PROTOCOLS {
        // A server-side store, so the session id's renewal at login is real.
        let app = TestApp::setup()
            .protocol(protocol)
            .sessions(Sessions::Memory)
            .start()
            .await;
        let start = "/login/twitter?return_to=%2Fsettings%3Ftab%3D2%23email";
        assert_eq!(
            returns_to(&app, start).await.as_deref(),
            Some("/settings?tab=2#email"),
            "{protocol:?}"
        );
        // Without one: the success redirect.
        assert_eq!(
            returns_to(&app, "/login/twitter").await.as_deref(),
            Some("/"),
            "{protocol:?}"
        );
        app.stop().await;
    }
}

#[actix_web::test]
async fn each_tab_returns_to_its_own_page() {
    for protocol in PROTOCOLS {
        let app = TestApp::setup().protocol(protocol).start().await;
        let browser = Browser::new();
        let first = app
            .approve_from(&browser, "/login/twitter?return_to=/first", "alice")
            .await;
        let second = app
            .approve_from(&browser, "/login/twitter?return_to=/second", "alice")
            .await;
        let done = browser.get(&second).await;
        assert_eq!(done.location.as_deref(), Some("/second"), "{protocol:?}");
        let done = browser.get(&first).await;
        assert_eq!(done.location.as_deref(), Some("/first"), "{protocol:?}");
        app.stop().await;
    }
}

#[actix_web::test]
async fn a_return_to_elsewhere_falls_back_to_the_success_redirect() {
    for protocol in PROTOCOLS {
        let app = TestApp::setup()
            .protocol(protocol)
            .configure(|b| b.success_redirect("/welcome"))
            .start()
            .await;
        for value in [
            "%2F%2Fevil.example",
            "%2F%5Cevil.example",
            "https%3A%2F%2Fevil.example%2F",
            "%2F%09%2Fevil.example",
            "%2Fa%0D%0ASet-Cookie%3A%20x%3D1",
            "%2F%252F%252Fevil.example",
            "%2F%255Cevil.example",
            "evil.example",
        ] {
            let start = format!("/login/twitter?return_to={value}");
            assert_eq!(
                returns_to(&app, &start).await.as_deref(),
                Some("/welcome"),
                "{protocol:?} {value}"
            );
        }
        app.stop().await;
    }
}

#[actix_web::test]
async fn the_parameter_name_is_configurable() {
    let app = TestApp::setup()
        .configure(|b| b.return_to_param("next"))
        .start()
        .await;
    assert_eq!(
        returns_to(&app, "/login/twitter?next=/inbox")
            .await
            .as_deref(),
        Some("/inbox")
    );
    assert_eq!(
        returns_to(&app, "/login/twitter?return_to=/inbox")
            .await
            .as_deref(),
        Some("/")
    );
    app.stop().await;
}

#[actix_web::test]
async fn the_login_page_button_carries_a_safe_return_to() {
    let app = TestApp::setup().start().await;
    let browser = Browser::new();
    let page = browser
        .get(&app.url("/login?return_to=%2Fsettings%3Ftab%3D2"))
        .await;
    assert!(
        page.body
            .contains("href=\"&#x2F;login&#x2F;twitter?return_to=%2Fsettings%3Ftab%3D2\""),
        "{}",
        page.body
    );
    let page = browser
        .get(&app.url("/login?return_to=%2F%2Fevil.example"))
        .await;
    assert!(
        page.body.contains("href=\"&#x2F;login&#x2F;twitter\""),
        "{}",
        page.body
    );
    assert!(!page.body.contains("evil"), "{}", page.body);
    app.stop().await;
}

//! Limits against hostile peers: provider replies are capped in size and time, pending logins
//! per session are bounded, callback queries are bounded.

use std::time::{Duration, Instant};

use crate::common::{Browser, TestApp, SESSION_COOKIE};
use actix_twitter_login_testkit::{Fault, MockEndpoint};

#[actix_web::test]
async fn a_reply_over_64_kib_is_a_failure_not_an_allocation() {
    let app = TestApp::setup().start().await;
    let browser = Browser::new();
    // Just over the cap, and far over it: both fail the same way, quickly.
    for size in [64 * 1024 + 1, 8 * 1024 * 1024] {
        app.provider.inject(
            MockEndpoint::RequestToken,
            Fault::Body {
                status: 200,
                content_type: "text/html".into(),
                body: format!(
                    "oauth_token=t&oauth_token_secret=s&oauth_callback_confirmed=true&pad={}",
                    "x".repeat(size)
                ),
            },
        );
        let started = Instant::now();
        let page = browser.get(&app.url("/login/twitter")).await;
        assert_eq!(page.status, 502, "{size}: {}", page.body);
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{size}: {:?}",
            started.elapsed()
        );
    }
    // Error bodies are capped the same way.
    app.provider.inject(
        MockEndpoint::RequestToken,
        Fault::Body {
            status: 401,
            content_type: "application/json".into(),
            body: format!(
                "{{\"errors\":[{{\"code\":32,\"message\":\"{}\"}}]}}",
                "m".repeat(200_000)
            ),
        },
    );
    assert_eq!(browser.get(&app.url("/login/twitter")).await.status, 502);
    app.provider.clear_faults();
    // Exactly at a normal size, all is well.
    assert_eq!(browser.get(&app.url("/login/twitter")).await.status, 302);
    app.stop().await;
}

#[actix_web::test]
async fn a_reply_that_is_too_slow_is_a_failure() {
    let app = TestApp::setup()
        .configure(|b| b.provider_timeout(Duration::from_millis(300)))
        .start()
        .await;
    let browser = Browser::new();
    let callback = app.approve(&browser, "alice").await;
    app.provider.inject(
        MockEndpoint::AccessToken,
        Fault::Delay(Duration::from_secs(3)),
    );
    let started = Instant::now();
    let page = browser.get(&callback).await;
    assert_eq!(page.status, 504, "{}", page.body);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    app.stop().await;
}

#[actix_web::test]
async fn pending_logins_per_session_are_bounded() {
    let app = TestApp::setup()
        .configure(|b| b.max_pending_logins(3))
        .start()
        .await;
    let browser = Browser::new();
    let mut callbacks = Vec::new();
    let mut cookie_sizes = Vec::new();
    for _ in 0..10 {
        callbacks.push(app.approve(&browser, "alice").await);
        cookie_sizes.push(browser.cookie(SESSION_COOKIE).unwrap().len());
    }
    // The cookie stops growing once the bound is reached (give or take encoding noise).
    let bounded = *cookie_sizes[2..].iter().max().unwrap();
    assert!(bounded <= cookie_sizes[2] + 40, "{cookie_sizes:?}");
    assert!(bounded < 1024, "{cookie_sizes:?}");
    // The oldest seven were dropped; the newest three still complete.
    let oldest = browser.get(&callbacks[0]).await;
    assert_eq!(oldest.status, 401, "{}", oldest.body);
    for callback in &callbacks[7..] {
        assert_eq!(browser.get(callback).await.location.as_deref(), Some("/"));
    }
    app.stop().await;
}

#[actix_web::test]
async fn oversized_and_malformed_callback_queries_are_clean_failures() {
    let app = TestApp::setup().start().await;
    let browser = Browser::new();
    // A login is pending, so only the query itself can be what fails.
    let callback = app.approve(&browser, "alice").await;
    let huge = "a".repeat(3000);
    for query in [
        format!("oauth_token={huge}&oauth_verifier=v"),
        format!("x={huge}&oauth_token=t&oauth_verifier=v"),
        "oauth_token=t&oauth_verifier=".to_owned(),
        "oauth_token=t&oauth_verifier=v&oauth_verifier=w".to_owned(),
        "denied=a&denied=b".to_owned(),
    ] {
        let page = browser
            .get(&app.url(&format!("/oauth/callback/twitter?{query}")))
            .await;
        assert_eq!(page.status, 400, "{query:.60}: {}", page.body);
        assert!(
            page.body.contains("incomplete answer"),
            "{query:.60}: {}",
            page.body
        );
    }
    assert_eq!(app.provider.requests(MockEndpoint::AccessToken), 0);
    // The pending login survived the hostile queries.
    assert_eq!(browser.get(&callback).await.location.as_deref(), Some("/"));
    app.stop().await;
}

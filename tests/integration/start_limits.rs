//! The login start cannot be used to spend the app's quota at X: a per-client rate limit and a
//! bound on the provider calls in flight, each answered 429 with `Retry-After` and the failure
//! page, before anything is sent to X or written to the session.

use std::time::Duration;

use actix_twitter_login_testkit::{Fault, MockEndpoint};

use crate::common::{Browser, TestApp};

/// An app that lets one provider call run at a time, with a provider timeout well above the
/// delays these tests inject, however busy the machine.
async fn one_provider_call_at_a_time() -> TestApp {
    TestApp::setup()
        .configure(|b| {
            b.max_in_flight_provider_calls(1)
                .provider_timeout(Duration::from_secs(30))
        })
        .start()
        .await
}

/// Waits (at most 5 s) until `count` request-token calls have reached the provider.
async fn request_tokens_reach(app: &TestApp, count: usize) {
    for _ in 0..500 {
        if app.provider.requests(MockEndpoint::RequestToken) >= count {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(app.provider.requests(MockEndpoint::RequestToken), count);
}

#[actix_web::test]
async fn a_client_past_its_rate_limit_gets_429_and_x_sees_nothing() {
    let app = TestApp::setup()
        .configure(|b| {
            b.login_rate_limit(3, Duration::from_secs(60))
                .failure_redirect("/login")
                .failure_message(true)
        })
        .start()
        .await;
    let browser = Browser::new();
    let first = app.approve(&browser, "alice").await;
    for _ in 0..2 {
        let start = browser.get(&app.url("/login/twitter")).await;
        assert_eq!(start.status, 302, "{}", start.body);
    }
    let refused = browser.get(&app.url("/login/twitter")).await;
    assert_eq!(refused.status, 429, "{}", refused.body);
    let retry_after: u64 = refused
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .expect("whole seconds");
    assert!((1..=20).contains(&retry_after), "{retry_after}");
    assert!(
        refused.body.contains("Too many sign-in attempts"),
        "{}",
        refused.body
    );
    assert!(refused.set_cookies.is_empty(), "{:?}", refused.set_cookies);
    assert_eq!(app.provider.requests(MockEndpoint::RequestToken), 3);
    // The logins already pending are untouched.
    assert_eq!(browser.get(&first).await.location.as_deref(), Some("/"));
    app.stop().await;
}

#[actix_web::test]
async fn the_rate_limit_key_tells_clients_apart() {
    let app = TestApp::setup()
        .configure(|b| {
            b.login_rate_limit(1, Duration::from_secs(60))
                .rate_limit_key(|req| {
                    let client = req.headers().get("x-client")?.to_str().ok()?;
                    Some(client.to_owned())
                })
        })
        .start()
        .await;
    let start = |client: &'static str| {
        let app = &app;
        async move {
            Browser::new()
                .get_with(&app.url("/login/twitter"), &[("x-client", client)])
                .await
                .status
        }
    };
    assert_eq!(start("a").await, 302);
    assert_eq!(start("b").await, 302);
    assert_eq!(start("a").await, 429);
    // No key: not limited.
    for _ in 0..3 {
        assert_eq!(
            Browser::new().get(&app.url("/login/twitter")).await.status,
            302
        );
    }
    app.stop().await;
}

#[actix_web::test]
async fn provider_calls_in_flight_are_bounded() {
    let app = one_provider_call_at_a_time().await;
    app.provider.inject(
        MockEndpoint::RequestToken,
        Fault::Delay(Duration::from_millis(1500)),
    );
    let (slow, fast) = (Browser::new(), Browser::new());
    let start_url = app.url("/login/twitter");
    let first_start = slow.get(&start_url);
    let second_start = async {
        // Sent once the first start is waiting at the provider.
        request_tokens_reach(&app, 1).await;
        fast.get(&start_url).await
    };
    let (first, second) = futures_util::future::join(first_start, second_start).await;
    assert_eq!(first.status, 302, "{}", first.body);
    assert_eq!(second.status, 429, "{}", second.body);
    assert_eq!(second.header("retry-after").as_deref(), Some("1"));
    assert_eq!(app.provider.requests(MockEndpoint::RequestToken), 1);
    // Once the call is back, the place is free again.
    app.provider.clear_faults();
    assert_eq!(fast.get(&app.url("/login/twitter")).await.status, 302);
    app.stop().await;
}

#[actix_web::test]
async fn a_cross_site_start_does_not_evict_a_pending_login() {
    let app = TestApp::setup()
        .configure(|b| b.max_pending_logins(2))
        .start()
        .await;
    let browser = Browser::new();
    let cross_site = [("Sec-Fetch-Site", "cross-site")];
    // Below the bound a cross-site start (a link from another site) is served.
    let linked = browser
        .get_with(&app.url("/login/twitter"), &cross_site)
        .await;
    assert_eq!(linked.status, 302, "{}", linked.body);
    let own = app.approve(&browser, "alice").await;
    let calls = app.provider.requests(MockEndpoint::RequestToken);
    // At the bound, another site's page cannot push the user's own login out.
    for _ in 0..3 {
        let pushed = browser
            .get_with(&app.url("/login/twitter"), &cross_site)
            .await;
        assert_eq!(pushed.status, 403, "{}", pushed.body);
        assert!(
            pushed.body.contains("started from another site"),
            "{}",
            pushed.body
        );
    }
    assert_eq!(app.provider.requests(MockEndpoint::RequestToken), calls);
    assert_eq!(browser.get(&own).await.location.as_deref(), Some("/"));
    // From the site itself, the oldest is dropped as before.
    let same_site = [("Sec-Fetch-Site", "same-origin")];
    for _ in 0..3 {
        let start = browser
            .get_with(&app.url("/login/twitter"), &same_site)
            .await;
        assert_eq!(start.status, 302);
    }
    app.stop().await;
}

#[actix_web::test]
async fn a_callback_turned_away_keeps_its_pending_login_for_a_retry() {
    let app = one_provider_call_at_a_time().await;
    let (user, other) = (Browser::new(), Browser::new());
    let callback = app.approve(&user, "alice").await;
    app.provider.inject(
        MockEndpoint::RequestToken,
        Fault::Delay(Duration::from_millis(1500)),
    );
    let start_url = app.url("/login/twitter");
    let slow_start = other.get(&start_url);
    let turned_away = async {
        request_tokens_reach(&app, 2).await;
        user.get(&callback).await
    };
    let (_, refused) = futures_util::future::join(slow_start, turned_away).await;
    assert_eq!(refused.status, 429, "{}", refused.body);
    assert_eq!(app.provider.requests(MockEndpoint::AccessToken), 0);
    // The pending login is still there: the retry signs in.
    let retry = user.get(&callback).await;
    assert_eq!(retry.location.as_deref(), Some("/"), "{}", retry.body);
    app.stop().await;
}

//! A provider that answers errors, garbage, or nothing: each is a failure with a message,
//! never a panic, a hang or a 500 page.

use std::time::{Duration, Instant};

use crate::common::{Browser, TestApp};
use actix_twitter_login::{ProfileErrorPolicy, ProfileSource};
use actix_twitter_login_testkit::{Fault, MockEndpoint};

async fn start_fails(app: &TestApp, browser: &Browser) -> crate::common::Page {
    let page = browser.get(&app.url("/login/twitter")).await;
    assert_ne!(
        page.status, 302,
        "login must not proceed: {:?}",
        page.location
    );
    page
}

#[actix_web::test]
async fn request_token_faults_fail_with_a_status_and_message() {
    let app = TestApp::setup().start().await;
    let browser = Browser::new();
    let cases = [
        (Fault::Status(500), 502),
        (Fault::Garbage, 502),
        (Fault::CallbackNotApproved, 502),
        (Fault::CallbackNotConfirmed, 502),
        (Fault::Status(429), 502),
        (
            Fault::Body {
                status: 200,
                content_type: "text/html".into(),
                body: "oauth_token=a".into(),
            },
            502,
        ),
    ];
    for (fault, status) in cases {
        app.provider
            .inject(MockEndpoint::RequestToken, fault.clone());
        let page = start_fails(&app, &browser).await;
        assert_eq!(page.status, status, "{fault:?}: {}", page.body);
        assert!(
            page.body.contains("Twitter could not confirm your account"),
            "{fault:?}: {}",
            page.body
        );
        app.provider.clear_faults();
    }
    assert_eq!(
        browser.get(&app.url("/login/twitter")).await.status,
        302,
        "recovers"
    );
    app.stop().await;
}

#[actix_web::test]
async fn a_slow_provider_times_out_instead_of_hanging() {
    let app = TestApp::setup()
        .configure(|b| b.provider_timeout(Duration::from_millis(300)))
        .start()
        .await;
    app.provider.inject(
        MockEndpoint::RequestToken,
        Fault::Delay(Duration::from_secs(5)),
    );
    let browser = Browser::new();
    let started = Instant::now();
    let page = start_fails(&app, &browser).await;
    assert_eq!(page.status, 504);
    assert!(page.body.contains("did not answer in time"));
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "took {:?}",
        started.elapsed()
    );
    app.stop().await;
}

#[actix_web::test]
async fn an_unreachable_provider_is_a_failure() {
    let other = TestApp::setup().start().await;
    let app = TestApp::setup()
        .session_key_prefix(&other.session_key_prefix)
        .configure(|b| {
            b.api_base_url("http://127.0.0.1:9")
                .failure_redirect("/login")
                .failure_message(true)
        })
        .start()
        .await;
    // A browser with a session (a login pending on another app of the same cookie key and
    // session store): redirected, the message waiting on the login page.
    let browser = Browser::new();
    let _pending = other.approve(&browser, "alice").await;
    let page = browser.get(&app.url("/login/twitter")).await;
    assert_eq!(page.location.as_deref(), Some("/login"));
    let login = browser.get(&app.url("/login")).await;
    assert!(
        login
            .body
            .contains("Twitter could not confirm your account"),
        "{}",
        login.body
    );
    // A first visit: the failure page itself, and no session made to hold the message.
    let page = Browser::new().get(&app.url("/login/twitter")).await;
    assert_eq!(page.status, 502, "{}", page.body);
    assert!(
        page.body.contains("Twitter could not confirm your account"),
        "{}",
        page.body
    );
    assert!(page.set_cookies.is_empty(), "{:?}", page.set_cookies);
    app.stop().await;
    other.stop().await;
}

#[actix_web::test]
async fn access_token_faults_fail_and_create_no_user() {
    let app = TestApp::setup().start().await;
    for fault in [
        Fault::Status(500),
        Fault::Garbage,
        Fault::Status(401),
        Fault::Delay(Duration::from_secs(5)),
    ] {
        let browser = Browser::new();
        let callback = app.approve(&browser, "alice").await;
        app.provider
            .inject(MockEndpoint::AccessToken, fault.clone());
        let page = browser.get(&callback).await;
        assert!(
            matches!(page.status.as_u16(), 502 | 504),
            "{fault:?}: {} {}",
            page.status,
            page.body
        );
        assert_eq!(app.me(&browser).await, None);
        app.provider.clear_faults();
    }
    assert_eq!(app.count("users"), 0);
    app.stop().await;
}

#[actix_web::test]
async fn profile_faults_fall_back_to_the_access_token_identity_by_default() {
    let app = TestApp::setup().start().await;
    for fault in [
        Fault::Forbidden453,
        Fault::RateLimited,
        Fault::ClientNotEnrolled,
        Fault::Garbage,
    ] {
        app.provider.inject(MockEndpoint::UsersMe, fault.clone());
        let browser = Browser::new();
        let done = app.login(&browser, "alice").await;
        assert_eq!(
            done.location.as_deref(),
            Some("/"),
            "{fault:?}: {}",
            done.body
        );
        let (_, name) = app.me(&browser).await.expect("signed in");
        // Without a profile the name is the handle from the access-token reply.
        assert_eq!(name, "alice", "{fault:?}");
        app.provider.clear_faults();
    }
    assert_eq!(app.count("users"), 1);
    app.stop().await;
}

#[actix_web::test]
async fn profile_faults_fail_the_login_when_configured() {
    let app = TestApp::setup()
        .configure(|b| b.on_profile_error(ProfileErrorPolicy::Fail))
        .start()
        .await;
    app.provider
        .inject(MockEndpoint::UsersMe, Fault::Forbidden453);
    let browser = Browser::new();
    let done = app.login(&browser, "alice").await;
    assert_eq!(done.status, 502, "{}", done.body);
    assert_eq!(app.count("users"), 0);
    app.stop().await;
}

#[actix_web::test]
async fn each_profile_source_yields_the_profile() {
    for (source, expected_name) in [
        (ProfileSource::UsersMe, "Alice"),
        (ProfileSource::VerifyCredentials, "Alice"),
        (ProfileSource::AccessToken, "alice"),
    ] {
        let app = TestApp::setup()
            .configure(move |b| b.profile_source(source).include_email(true))
            .start()
            .await;
        let browser = Browser::new();
        let done = app.login(&browser, "alice").await;
        assert_eq!(
            done.location.as_deref(),
            Some("/"),
            "{source:?}: {}",
            done.body
        );
        assert_eq!(
            app.me(&browser).await.unwrap().1,
            expected_name,
            "{source:?}"
        );
        let profile_calls = app.provider.requests(MockEndpoint::UsersMe)
            + app.provider.requests(MockEndpoint::VerifyCredentials);
        let expected_calls = usize::from(source != ProfileSource::AccessToken);
        assert_eq!(profile_calls, expected_calls, "{source:?}");
        app.stop().await;
    }
}

/// X (or whatever answers in its place) returning the profile of another account than the one
/// the access token names: the login fails, whatever the profile-error policy, and no user is
/// made for either account.
#[actix_web::test]
async fn a_profile_of_another_account_than_the_token_s_is_refused() {
    for (source, endpoint, body) in [
        (
            ProfileSource::UsersMe,
            MockEndpoint::UsersMe,
            r#"{"data":{"id":"1002","name":"Bob","username":"bob"}}"#,
        ),
        (
            ProfileSource::VerifyCredentials,
            MockEndpoint::VerifyCredentials,
            r#"{"id":1002,"id_str":"1002","name":"Bob","screen_name":"bob"}"#,
        ),
    ] {
        let app = TestApp::setup()
            .configure(move |b| b.profile_source(source))
            .start()
            .await;
        app.provider.inject(endpoint, Fault::Json(body.to_owned()));
        let browser = Browser::new();
        let done = app.login(&browser, "alice").await;
        assert_eq!(done.status, 502, "{source:?}: {}", done.body);
        assert_eq!(app.count("users"), 0, "{source:?}");
        assert_eq!(app.me(&browser).await, None);
        app.stop().await;
    }
}

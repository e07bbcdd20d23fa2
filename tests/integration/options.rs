//! Options that change what is sent or received: authenticate vs authorize, force_login,
//! screen_name, profile sources with email, and a missing identity middleware.

use std::sync::{Arc, Mutex};

use crate::common::{query_value, Browser, TestApp};
use actix_twitter_login::{Profile, ProfileSource, Verdict};
use actix_twitter_login_testkit::MockUser;

#[actix_web::test]
async fn the_redirect_carries_force_login_and_screen_name() {
    let app = TestApp::setup()
        .configure(|b| b.force_login(true).screen_name("alice"))
        .start()
        .await;
    let start = Browser::new().get(&app.url("/login/twitter")).await;
    let location = start.location.unwrap();
    assert!(
        location.starts_with(&format!("{}/oauth/authenticate?", app.provider.base_url())),
        "{location}"
    );
    assert_eq!(
        query_value(&location, "force_login").as_deref(),
        Some("true")
    );
    assert_eq!(
        query_value(&location, "screen_name").as_deref(),
        Some("alice")
    );
    assert!(query_value(&location, "oauth_token").is_some());
    app.stop().await;
}

#[actix_web::test]
async fn use_authorize_sends_the_user_to_oauth_authorize() {
    let app = TestApp::setup()
        .configure(|b| b.use_authorize(true))
        .start()
        .await;
    let browser = Browser::new();
    let start = browser.get(&app.url("/login/twitter")).await;
    let location = start.location.unwrap();
    assert!(
        location.starts_with(&format!("{}/oauth/authorize?", app.provider.base_url())),
        "{location}"
    );
    assert_eq!(query_value(&location, "force_login"), None);
    assert_eq!(browser.get(&location).await.status, 200);
    app.stop().await;
}

#[actix_web::test]
async fn profiles_carry_the_email_when_asked_for() {
    for source in [ProfileSource::UsersMe, ProfileSource::VerifyCredentials] {
        let seen: Arc<Mutex<Vec<Profile>>> = Arc::default();
        let record = Arc::clone(&seen);
        let app = TestApp::setup()
            .user(MockUser::new("2001", "dana", "Dana").with_email("dana@example.test"))
            .own_resolver()
            .configure(move |b| {
                b.profile_source(source).include_email(true).resolve_user(
                    move |_creds, profile: Profile| {
                        record.lock().unwrap().push(profile.clone());
                        async move { Ok(Verdict::User(profile.id)) }
                    },
                )
            })
            .start()
            .await;
        let done = app.login(&Browser::new(), "dana").await;
        assert_eq!(
            done.location.as_deref(),
            Some("/"),
            "{source:?}: {}",
            done.body
        );
        let profiles = seen.lock().unwrap().clone();
        assert_eq!(profiles.len(), 1);
        let profile = &profiles[0];
        assert_eq!(profile.provider, "twitter");
        assert_eq!(profile.id, "2001");
        assert_eq!(profile.username, "dana");
        assert_eq!(profile.display_name.as_deref(), Some("Dana"));
        assert_eq!(
            profile.emails,
            vec!["dana@example.test".to_owned()],
            "{source:?}"
        );
        assert_eq!(profile.photos.len(), 1, "{source:?}");
        assert!(profile.raw.is_some());
        app.stop().await;
    }
}

#[actix_web::test]
async fn without_identity_middleware_the_login_fails_without_a_panic() {
    let app = TestApp::setup().without_identity().start().await;
    let browser = Browser::new();
    let done = app.login(&browser, "alice").await;
    assert_eq!(done.status, 500, "{}", done.body);
    assert!(done.body.contains("Something went wrong"));
    // The server is still answering.
    assert_eq!(browser.get(&app.url("/plain")).await.body, "plain");
    app.stop().await;
}

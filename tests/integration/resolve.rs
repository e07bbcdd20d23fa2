//! The resolve step: closures, "no user", errors, and a database that is down.

use std::time::{Duration, Instant};

use crate::common::{Browser, TestApp};
use actix_twitter_login::{Profile, ResolveError, Verdict};

#[actix_web::test]
async fn a_resolve_step_returning_no_user_fails_with_its_message() {
    let app = TestApp::setup()
        .own_resolver()
        .configure(|b| {
            b.failure_redirect("/login")
                .failure_message(true)
                .resolve_user(|_creds, profile: Profile| async move {
                    Ok(if profile.id == "1002" {
                        Verdict::NoUser(Some("Invite required".into()))
                    } else {
                        Verdict::User(profile.id)
                    })
                })
        })
        .start()
        .await;
    let browser = Browser::new();
    let done = app.login(&browser, "bob").await;
    assert_eq!(done.location.as_deref(), Some("/login"));
    assert!(browser
        .get(&app.url("/login"))
        .await
        .body
        .contains("Invite required"));
    assert!(browser.get(&app.url("/")).await.body.contains("anonymous"));

    let done = app.login(&browser, "alice").await;
    assert_eq!(done.location.as_deref(), Some("/"));
    assert!(browser
        .get(&app.url("/"))
        .await
        .body
        .contains("signed in as 1001"));
    app.stop().await;
}

#[actix_web::test]
async fn a_verifier_error_is_a_500_page_without_details() {
    let app = TestApp::setup()
        .own_resolver()
        .configure(|b| {
            b.resolve_user(|_creds, _profile| async move {
                Err::<Verdict, _>(ResolveError::internal("secret internal detail"))
            })
        })
        .start()
        .await;
    let browser = Browser::new();
    let done = app.login(&browser, "alice").await;
    assert_eq!(done.status, 500);
    assert!(
        !done.body.contains("secret internal detail"),
        "{}",
        done.body
    );
    assert!(done.body.contains("Something went wrong"));
    app.stop().await;
}

#[actix_web::test]
async fn a_database_that_is_down_fails_the_login_cleanly() {
    let app = TestApp::setup()
        .database_url("/nonexistent-directory/for-sure/users.db")
        .configure(|b| b.failure_redirect("/login").failure_message(true))
        .start()
        .await;
    let browser = Browser::new();
    let started = Instant::now();
    let done = app.login(&browser, "alice").await;
    assert_eq!(done.location.as_deref(), Some("/login"), "{}", done.body);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    let page = browser.get(&app.url("/login")).await;
    assert!(
        page.body.contains("temporarily unavailable"),
        "{}",
        page.body
    );
    assert_eq!(app.me(&browser).await, None);

    // The same failure without a redirect is a 503.
    app.stop().await;
    let app = TestApp::setup()
        .database_url("/nonexistent-directory/for-sure/users.db")
        .start()
        .await;
    let browser = Browser::new();
    assert_eq!(app.login(&browser, "alice").await.status, 503);
    app.stop().await;
}

#[actix_web::test]
async fn a_verifier_that_never_answers_is_cut_off() {
    let app = TestApp::setup()
        .own_resolver()
        .configure(|b| {
            b.resolve_timeout(Duration::from_millis(300))
                .resolve_user(|_creds, _profile| {
                    std::future::pending::<Result<Verdict, ResolveError>>()
                })
        })
        .start()
        .await;
    let browser = Browser::new();
    let started = Instant::now();
    let done = app.login(&browser, "alice").await;
    assert_eq!(done.status, 503, "{}", done.body);
    assert!(
        done.body.contains("temporarily unavailable"),
        "{}",
        done.body
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    app.stop().await;
}

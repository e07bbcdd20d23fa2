//! A provider failing 20% of its calls at random: every failed login ends on the failure page
//! with a message, every successful one is intact, and no user is duplicated.

use crate::common::{Browser, TestApp};
use actix_twitter_login_testkit::{Fault, MockEndpoint, MockUser};
use futures_util::future::join_all;

#[actix_web::test]
async fn twenty_percent_provider_failures_lose_nothing() {
    let mut setup =
        // Every browser comes from 127.0.0.1: no per-client limit on the login start here.
        TestApp::setup().configure(|b| {
            b.failure_redirect("/login")
                .failure_message(true)
                .without_login_rate_limit()
        });
    for i in 0..10 {
        setup = setup.user(MockUser::new(
            format!("{}", 9000 + i),
            format!("f{i}"),
            format!("Flaky {i}"),
        ));
    }
    let app = setup.start().await;
    for endpoint in [
        MockEndpoint::RequestToken,
        MockEndpoint::AccessToken,
        MockEndpoint::UsersMe,
    ] {
        app.provider.inject(
            endpoint,
            Fault::Sometimes {
                percent: 20,
                fault: Box::new(Fault::Status(503)),
            },
        );
    }
    let provider = app.provider.base_url();
    let outcomes = join_all((0..120).map(|i| {
        let (app, provider) = (&app, provider.clone());
        async move {
            let name = format!("f{}", i % 10);
            let browser = Browser::new();
            let start = browser.get(&app.url("/login/twitter")).await;
            let to_provider = start
                .location
                .as_deref()
                .is_some_and(|l| l.starts_with(&provider));
            let done = if to_provider {
                let callback = approve_started(&browser, &provider, &start, &name).await;
                browser.get(&callback).await
            } else {
                start
            };
            match done.location.as_deref() {
                Some("/") => {
                    let (_, display) = app
                        .me(&browser)
                        .await
                        .expect("a successful login is signed in");
                    // The profile call may have failed (then the handle is the name), never
                    // anything else.
                    assert!(
                        display == format!("Flaky {}", i % 10) || display == name,
                        "{display}"
                    );
                    Some(name)
                }
                Some("/login") => {
                    let page = browser.get(&app.url("/login")).await;
                    assert!(page.body.contains("Please try again"), "{}", page.body);
                    assert_eq!(app.me(&browser).await, None);
                    None
                }
                // A failed start, before the browser had a session: the page itself, and no
                // session made to hold its message.
                None if !to_provider => {
                    assert_eq!(done.status, 502, "{}", done.body);
                    assert!(done.body.contains("Please try again"), "{}", done.body);
                    assert!(done.set_cookies.is_empty(), "{:?}", done.set_cookies);
                    assert_eq!(app.me(&browser).await, None);
                    None
                }
                other => panic!(
                    "a login must end signed in or on the failure page: {other:?} {}",
                    done.body
                ),
            }
        }
    }))
    .await;
    let succeeded: Vec<String> = outcomes.into_iter().flatten().collect();
    let mut accounts = succeeded.clone();
    accounts.sort();
    accounts.dedup();
    assert!(
        succeeded.len() >= 30,
        "about 0.8^2 of the logins succeed: {}",
        succeeded.len()
    );
    assert!(succeeded.len() < 120, "some logins must have failed");
    assert_eq!(
        app.count("users"),
        accounts.len() as i64,
        "one user per account, no duplicates"
    );
    assert_eq!(app.count("federated_credentials"), accounts.len() as i64);
    app.stop().await;
}

/// Approves a login whose start (`302` to the provider) is `start`.
async fn approve_started(
    browser: &Browser,
    provider: &str,
    start: &crate::common::Page,
    name: &str,
) -> String {
    let location = start.location.as_deref().expect("to the provider");
    let token = crate::common::query_value(location, "oauth_token").expect("a token");
    let page = browser
        .get(&format!(
            "{provider}/oauth/authenticate/approve?oauth_token={token}&user={name}"
        ))
        .await;
    page.location.expect("to the callback")
}

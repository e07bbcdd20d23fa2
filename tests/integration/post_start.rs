//! `post_login_start(true)`: the login starts with a `POST` of the login page's form and its
//! CSRF token; another site can neither start a login nor spend the app's quota at X.

use actix_twitter_login_testkit::MockEndpoint;

use crate::common::{Browser, Page, Protocol, TestApp};

/// The login form's CSRF token, as the page renders it.
fn csrf_token(page: &Page) -> String {
    let (_, rest) = page
        .body
        .split_once("name=\"csrf_token\" value=\"")
        .unwrap_or_else(|| panic!("a login form: {}", page.body));
    rest.split('"').next().unwrap().to_owned()
}

async fn post_app(protocol: Protocol) -> TestApp {
    TestApp::setup()
        .protocol(protocol)
        .configure(|b| b.post_login_start(true))
        .start()
        .await
}

#[actix_web::test]
async fn the_login_page_form_signs_in_and_returns_to_its_page() {
    for protocol in [Protocol::OAuth1, Protocol::OAuth2Confidential] {
        let app = post_app(protocol).await;
        let browser = Browser::new();
        let page = browser.get(&app.url("/login?return_to=/inbox")).await;
        assert!(page.body.contains("method=\"post\""), "{}", page.body);
        assert!(
            page.set_cookies
                .iter()
                .any(|c| c.starts_with("twitter_login_csrf=") && c.contains("HttpOnly")),
            "{:?}",
            page.set_cookies
        );
        let token = csrf_token(&page);
        let start = browser
            .post_form(
                &app.url("/login/twitter"),
                &[("csrf_token", &token), ("return_to", "/inbox")],
                &[("Sec-Fetch-Site", "same-origin")],
            )
            .await;
        assert_eq!(start.status, 302, "{protocol:?}: {}", start.body);
        let location = start.location.unwrap();
        let callback = app.approve_location(&browser, &location, "alice").await;
        let done = browser.get(&callback).await;
        assert_eq!(done.location.as_deref(), Some("/inbox"), "{protocol:?}");
        assert!(app.me(&browser).await.is_some());
        app.stop().await;
    }
}

#[actix_web::test]
async fn a_post_without_the_forms_token_or_from_another_site_is_refused() {
    let app = post_app(Protocol::OAuth1).await;
    let browser = Browser::new();
    let token = csrf_token(&browser.get(&app.url("/login")).await);
    let url = app.url("/login/twitter");
    let refused = [
        browser.post_form(&url, &[], &[]).await,
        browser
            .post_form(&url, &[("csrf_token", "forged")], &[])
            .await,
        browser
            .post_form(
                &url,
                &[("csrf_token", &token)],
                &[("Sec-Fetch-Site", "cross-site")],
            )
            .await,
        browser
            .post_form(
                &url,
                &[("csrf_token", &token)],
                &[("Origin", "https://evil.example")],
            )
            .await,
        // The right token, but the browser never got the cookie.
        Browser::new()
            .post_form(&url, &[("csrf_token", &token)], &[])
            .await,
    ];
    for page in refused {
        assert_eq!(page.status, 403, "{}", page.body);
        assert!(
            page.body.contains("came from another site"),
            "{}",
            page.body
        );
    }
    assert_eq!(app.provider.requests(MockEndpoint::RequestToken), 0);
    // The real form still works.
    let start = browser
        .post_form(&url, &[("csrf_token", &token)], &[])
        .await;
    assert_eq!(start.status, 302, "{}", start.body);
    assert_eq!(app.provider.requests(MockEndpoint::RequestToken), 1);
    app.stop().await;
}

#[actix_web::test]
async fn a_get_of_the_login_path_shows_the_form_and_starts_nothing() {
    let app = post_app(Protocol::OAuth1).await;
    let browser = Browser::new();
    let page = browser
        .get(&app.url("/login/twitter?return_to=%2Fsettings"))
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("method=\"post\""), "{}", page.body);
    assert!(
        page.body
            .contains("name=\"return_to\" value=\"&#x2F;settings\""),
        "{}",
        page.body
    );
    assert!(
        page.set_cookies
            .iter()
            .all(|c| c.starts_with("twitter_login_csrf=")),
        "only the form's cookie, no session: {:?}",
        page.set_cookies
    );
    assert_eq!(app.provider.requests(MockEndpoint::RequestToken), 0);
    app.stop().await;
}

#[actix_web::test]
async fn a_login_form_of_up_to_4096_bytes_is_read_and_a_longer_one_refused() {
    let app = post_app(Protocol::OAuth1).await;
    let browser = Browser::new();
    let token = csrf_token(&browser.get(&app.url("/login")).await);
    let url = app.url("/login/twitter");
    // `csrf_token=<token>&pad=<x...>`, padded to the byte (the token needs no escaping).
    let fixed = format!("csrf_token={token}&pad=").len();
    let pad = |len: usize| "x".repeat(len - fixed);
    let too_large = browser
        .post_form(&url, &[("csrf_token", &token), ("pad", &pad(4097))], &[])
        .await;
    assert_eq!(too_large.status, 403, "{}", too_large.body);
    assert_eq!(app.provider.requests(MockEndpoint::RequestToken), 0);
    let longest = browser
        .post_form(&url, &[("csrf_token", &token), ("pad", &pad(4096))], &[])
        .await;
    assert_eq!(longest.status, 302, "{}", longest.body);
    assert_eq!(app.provider.requests(MockEndpoint::RequestToken), 1);
    app.stop().await;
}

//! Requests the middleware does not own pass through untouched.

use crate::common::{Browser, TestApp};

#[actix_web::test]
async fn other_routes_and_methods_pass_through_without_a_session() {
    let app = TestApp::setup().start().await;
    let browser = Browser::new();
    let page = browser.get(&app.url("/plain")).await;
    assert_eq!(page.status, 200);
    assert_eq!(page.body, "plain");
    assert!(
        page.set_cookies.is_empty(),
        "no session is created: {:?}",
        page.set_cookies
    );

    let posted = browser.post(&app.url("/login/twitter")).await;
    assert_eq!(posted.body, "posted", "only GET starts a login");
    assert_eq!(browser.get(&app.url("/nope")).await.status, 404);
    assert_eq!(
        app.provider
            .requests(actix_twitter_login_testkit::MockEndpoint::RequestToken),
        0
    );
    app.stop().await;
}

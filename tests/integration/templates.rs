//! An app's own templates: the failure page from the builder, the login page and button path
//! from `TwitterLoginMiddleware::routes`.

use crate::common::{Browser, TestApp};
use actix_twitter_login::Templates;

#[actix_web::test]
async fn the_apps_own_templates_and_login_path_are_used() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("failure.html"),
        "<p id=custom-failure>{{ message }} <a href=\"{{ login_url }}\">again</a></p>",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("login.html"),
        "<a id=custom-login href=\"{{ login_url }}\">X</a>{% for m in messages %}<i>{{ m }}</i>{% endfor %}",
    )
    .unwrap();
    let templates = Templates::from_dir(dir.path()).unwrap();
    let app = TestApp::setup()
        .configure(move |b| b.templates(templates).login_path("/auth/twitter"))
        .start()
        .await;
    let browser = Browser::new();
    let failure = browser
        .get(&app.url("/oauth/callback/twitter?denied=x"))
        .await;
    assert_eq!(failure.status, 401);
    assert!(
        failure
            .body
            .starts_with("<p id=custom-failure>You cancelled"),
        "{}",
        failure.body
    );
    assert!(
        failure.body.contains("href=\"&#x2F;auth&#x2F;twitter\""),
        "{}",
        failure.body
    );

    let routes_page = browser.get(&app.url("/custom/login")).await;
    assert_eq!(routes_page.status, 200, "{}", routes_page.body);
    assert!(
        routes_page
            .body
            .starts_with("<a id=custom-login href=\"&#x2F;auth&#x2F;twitter\">"),
        "{}",
        routes_page.body
    );
    app.stop().await;
}

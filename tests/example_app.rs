//! The demo app, exactly as `cargo run --example demo` runs it, clicked through offline.

mod common;

#[path = "../examples/demo/app.rs"]
mod app;

use common::{query_value, Browser};

#[actix_web::test]
async fn the_demo_signs_in_shows_the_name_escaped_and_signs_out() {
    let dir = tempfile::tempdir().unwrap();
    let settings = app::Settings {
        consumer: None,
        callback_url: None,
        api_base_url: None,
        host: "127.0.0.1".into(),
        port: 0,
        database_url: dir.path().join("demo.db").to_str().unwrap().to_owned(),
        redis_url: None,
        session_key: None,
    };
    let running = app::start(settings).await.expect("the demo starts");
    let url = running.url.clone();
    let provider = running
        .provider
        .as_ref()
        .expect("no keys: the local provider runs")
        .base_url();
    let handle = running.server.handle();
    actix_web::rt::spawn(running.server);

    let browser = Browser::new();
    let home = browser.get(&format!("{url}/")).await;
    assert!(home.body.contains("You are not signed in"), "{}", home.body);
    let login = browser.get(&format!("{url}/login")).await;
    assert!(login.body.contains("Sign in with Twitter"));
    assert_eq!(browser.get(&format!("{url}/me")).await.status, 401);

    // The local provider's sign-in page lists its users.
    let start = browser.get(&format!("{url}/login/twitter")).await;
    let authenticate = start.location.expect("to the provider");
    assert!(authenticate.starts_with(&provider), "{authenticate}");
    let page = browser.get(&authenticate).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("carol"), "{}", page.body);
    let token = query_value(&authenticate, "oauth_token").unwrap();
    let approve = browser
        .get(&format!(
            "{provider}/oauth/authenticate/approve?oauth_token={token}&user=carol"
        ))
        .await;
    let done = browser
        .get(&approve.location.expect("to the callback"))
        .await;
    assert_eq!(done.location.as_deref(), Some("/"), "{}", done.body);

    let home = browser.get(&format!("{url}/")).await;
    assert!(
        home.body.contains("Carol &lt;b&gt;&amp;&lt;&#x2F;b&gt; Co"),
        "{}",
        home.body
    );
    assert!(!home.body.contains("<b>&</b>"));
    let me: serde_json::Value =
        serde_json::from_str(&browser.get(&format!("{url}/me")).await.body).unwrap();
    assert_eq!(me["name"], "Carol <b>&</b> Co");
    assert!(me["id"].is_number());

    let out = browser.post(&format!("{url}/logout")).await;
    assert_eq!(out.status, 303);
    assert!(browser
        .get(&format!("{url}/"))
        .await
        .body
        .contains("You are not signed in"));
    handle.stop(false).await;
}

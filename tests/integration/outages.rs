//! PostgreSQL or Redis going away mid-run: clean failures, no panic, and recovery without a
//! restart once the service is back. The services are cut with a proxy, not stopped.

use std::time::{Duration, Instant};

use crate::common::{Backend, Browser, TestApp};

#[actix_web::test]
async fn postgres_going_away_fails_logins_with_a_message_and_they_recover() {
    let app = TestApp::setup()
        .backend(Backend::PostgresRedis)
        .proxy_database()
        .configure(|b| b.failure_redirect("/login").failure_message(true))
        .start()
        .await;
    let proxy = app.database_proxy.as_ref().unwrap();
    let first = Browser::new();
    assert_eq!(
        app.login(&first, "alice").await.location.as_deref(),
        Some("/")
    );

    proxy.cut();
    let browser = Browser::new();
    let started = Instant::now();
    let done = app.login(&browser, "bob").await;
    assert_eq!(
        done.location.as_deref(),
        Some("/login"),
        "{} {}",
        done.status,
        done.body
    );
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

    proxy.restore();
    let done = app.login(&browser, "bob").await;
    assert_eq!(
        done.location.as_deref(),
        Some("/"),
        "recovered: {} {}",
        done.status,
        done.body
    );
    assert_eq!(
        app.me(&browser).await.map(|(_, name)| name).as_deref(),
        Some("Bob")
    );
    assert_eq!(app.count("users"), 2);
    app.stop().await;
}

#[actix_web::test]
async fn postgres_going_away_without_a_redirect_is_a_503() {
    let app = TestApp::setup()
        .backend(Backend::PostgresRedis)
        .proxy_database()
        .start()
        .await;
    app.database_proxy.as_ref().unwrap().cut();
    let done = app.login(&Browser::new(), "alice").await;
    assert_eq!(done.status, 503, "{}", done.body);
    app.stop().await;
}

#[actix_web::test]
async fn redis_going_away_is_a_clean_error_and_recovers() {
    let app = TestApp::setup()
        .backend(Backend::PostgresRedis)
        .proxy_redis()
        .start()
        .await;
    let proxy = app.redis_proxy.as_ref().unwrap();
    let browser = Browser::new();
    assert_eq!(
        app.login(&browser, "alice").await.location.as_deref(),
        Some("/")
    );

    proxy.cut();
    let started = Instant::now();
    let page = Browser::new().get(&app.url("/login/twitter")).await;
    assert!(
        page.status.is_server_error(),
        "{} {}",
        page.status,
        page.body
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );

    proxy.restore();
    // The pool replaces broken connections on demand: poll, with a deadline.
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let page = Browser::new().get(&app.url("/login/twitter")).await;
        if page.status == 302 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no recovery: {} {}",
            page.status,
            page.body
        );
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
    let again = Browser::new();
    assert_eq!(
        app.login(&again, "alice").await.location.as_deref(),
        Some("/")
    );
    assert_eq!(app.me(&again).await, app.me(&browser).await);
    app.stop().await;
}

#[actix_web::test]
async fn the_shared_spent_set_going_away_fails_callbacks_before_x() {
    use actix_twitter_login::{redis_spent_tokens, RedisStoreOptions};
    use actix_twitter_login_testkit::MockEndpoint;

    use crate::common::{backend, Proxy, Sessions};

    let proxy = Proxy::start(&backend::host_port(&backend::redis_url()));
    let options = RedisStoreOptions {
        timeout: Duration::from_secs(1),
        ..RedisStoreOptions::default()
    };
    let spent = redis_spent_tokens(&format!("redis://{}", proxy.addr()), &options)
        .await
        .expect("Redis through the proxy");
    let app = TestApp::setup()
        .backend(Backend::PostgresRedis)
        .sessions(Sessions::Cookie)
        .configure(move |b| b.shared_spent_tokens(spent))
        .start()
        .await;
    let browser = Browser::new();
    let callback = app.approve(&browser, "alice").await;
    proxy.cut();
    let page = browser.get(&callback).await;
    assert_eq!(page.status, 503, "{}", page.body);
    assert!(
        page.body.contains("temporarily unavailable"),
        "{}",
        page.body
    );
    assert_eq!(app.provider.requests(MockEndpoint::AccessToken), 0);

    proxy.restore();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let done = app.login(&Browser::new(), "alice").await;
        if done.location.as_deref() == Some("/") {
            break;
        }
        assert!(Instant::now() < deadline, "no recovery: {}", done.body);
        actix_web::rt::time::sleep(Duration::from_millis(200)).await;
    }
    app.stop().await;
}

//! Secrets (the consumer secret and the OAuth 2.0 client secret, temporary and token secrets,
//! authorization codes, access and refresh tokens) never appear in `Debug` output, logs, pages,
//! or a client-readable cookie.

use std::{
    io::Write,
    sync::{Arc, Mutex},
};

use crate::common::{Browser, Protocol, Sessions, TestApp, CLIENT_SECRET, CONSUMER_SECRET};
use actix_twitter_login::TwitterLoginMiddleware;
use actix_twitter_login_testkit::{Fault, MockEndpoint};

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn debug_output_redacts_the_consumer_secret() {
    let builder =
        TwitterLoginMiddleware::builder("key", "s3cr3t-consumer", "http://127.0.0.1:8080/cb");
    let printed = format!("{builder:?}");
    assert!(!printed.contains("s3cr3t-consumer"), "{printed}");
    let twitter = builder.build().unwrap();
    let printed = format!("{twitter:?}");
    assert!(!printed.contains("s3cr3t-consumer"), "{printed}");
    assert!(printed.contains("[redacted]"), "{printed}");
    let builder = TwitterLoginMiddleware::oauth2_builder("id", "http://127.0.0.1:8080/cb")
        .client_secret("s3cr3t-client");
    let printed = format!("{builder:?}");
    assert!(!printed.contains("s3cr3t-client"), "{printed}");
    let printed = format!("{:?}", builder.build().unwrap());
    assert!(!printed.contains("s3cr3t-client"), "{printed}");
    assert!(printed.contains("[redacted]"), "{printed}");
}

#[actix_web::test]
async fn logs_pages_and_cookies_never_hold_a_secret() {
    let capture = Capture::default();
    let writer = capture.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .init();

    let runs = [
        (Protocol::OAuth1, Sessions::Cookie),
        (Protocol::OAuth1, Sessions::Memory),
        (Protocol::OAuth2Confidential, Sessions::Cookie),
        (Protocol::OAuth2Confidential, Sessions::Memory),
    ];
    for (protocol, sessions) in runs {
        let token_endpoint = match protocol {
            Protocol::OAuth1 => MockEndpoint::AccessToken,
            _ => MockEndpoint::OAuth2Token,
        };
        let app = TestApp::setup()
            .protocol(protocol)
            .sessions(sessions)
            .start()
            .await;
        let browser = Browser::new();
        let mut seen = Vec::new();

        // A successful login, hop by hop, keeping every page and Set-Cookie.
        let start = browser.get(&app.url("/login/twitter")).await;
        let callback = app.approve(&browser, "alice").await;
        let done = browser.get(&callback).await;
        assert_eq!(done.location.as_deref(), Some("/"));
        seen.extend([start.body, done.body]);
        seen.extend(start.set_cookies);
        seen.extend(done.set_cookies);

        // Failures that log: a profile fault (warning) and an access-token fault (error).
        app.provider
            .inject(MockEndpoint::UsersMe, Fault::Forbidden453);
        let page = app.login(&Browser::new(), "bob").await;
        seen.push(page.body);
        app.provider.clear_faults();
        let other = Browser::new();
        let callback = app.approve(&other, "bob").await;
        app.provider.inject(token_endpoint, Fault::Status(500));
        let page = other.get(&callback).await;
        assert_eq!(page.status, 502);
        seen.push(page.body);
        seen.extend(page.set_cookies);
        app.provider.clear_faults();

        let secrets = app.provider.issued_secrets();
        assert!(
            secrets.len() >= 4,
            "temporary and token secrets were issued: {}",
            secrets.len()
        );
        let logs = String::from_utf8_lossy(&capture.0.lock().unwrap()).into_owned();
        assert!(
            logs.contains("Twitter login failed"),
            "the failures were logged"
        );
        let app_secrets = [CONSUMER_SECRET, CLIENT_SECRET];
        for secret in secrets.iter().map(String::as_str).chain(app_secrets) {
            assert!(!logs.contains(secret), "a secret reached the logs");
            for text in &seen {
                assert!(
                    !text.contains(secret),
                    "a secret reached the client: {text}"
                );
            }
        }
        app.stop().await;
    }
}

//! How failures are logged: junk on a request without a session stays below `info`.

use std::{
    io::Write,
    sync::{Arc, Mutex},
};

use actix_identity::IdentityMiddleware;
use actix_session::{storage::CookieSessionStore, Session, SessionMiddleware};
use actix_web::{
    cookie::Key,
    http::{header, StatusCode},
    test::{call_service, init_service, TestRequest},
    web, App,
};

use crate::TwitterLoginMiddleware;

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

impl Capture {
    fn take(&self) -> String {
        String::from_utf8(std::mem::take(&mut *self.0.lock().unwrap())).unwrap()
    }
}

#[actix_web::test]
async fn a_failure_without_a_session_is_logged_below_info() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let twitter = TwitterLoginMiddleware::builder(
        "key",
        "secret",
        "http://127.0.0.1:8080/oauth/callback/twitter",
    )
    .failure_message(true)
    .build()
    .unwrap();
    let app = init_service(
        App::new()
            .route(
                "/remember",
                web::get().to(|session: Session| async move {
                    session.insert("seen", true).unwrap();
                    "ok"
                }),
            )
            .wrap(twitter)
            .wrap(IdentityMiddleware::default())
            .wrap(SessionMiddleware::new(
                CookieSessionStore::default(),
                Key::generate(),
            )),
    )
    .await;
    let forged = "/oauth/callback/twitter?oauth_token=forged&oauth_verifier=v";

    let junk = call_service(&app, TestRequest::get().uri(forged).to_request()).await;
    assert_eq!(junk.status(), StatusCode::UNAUTHORIZED);
    assert!(junk.headers().get(header::SET_COOKIE).is_none());
    let logged = capture.take();
    assert!(!logged.contains("Twitter login failed"), "{logged}");

    // The same callback from a browser that has a session is logged at `info`.
    let remembered = call_service(&app, TestRequest::get().uri("/remember").to_request()).await;
    let cookie = remembered
        .response()
        .cookies()
        .next()
        .expect("a session cookie")
        .into_owned();
    let request = TestRequest::get().uri(forged).cookie(cookie).to_request();
    let seen = call_service(&app, request).await;
    assert_eq!(seen.status(), StatusCode::UNAUTHORIZED);
    let logged = capture.take();
    assert!(
        logged.contains("INFO") && logged.contains("Twitter login failed"),
        "{logged}"
    );
}

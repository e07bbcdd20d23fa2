//! The bound on pending logins, measured: with actix-session's cookie store, the session's
//! cookie must stay under the 4096 bytes browsers keep of a cookie.

use std::time::Duration;

use actix_identity::{Identity, IdentityMiddleware};
use actix_session::{storage::CookieSessionStore, Session, SessionMiddleware};
use actix_web::{
    cookie::{Cookie, Key},
    dev::{Service, ServiceResponse},
    http::header::SET_COOKIE,
    test, web, App, HttpMessage as _, HttpRequest, HttpResponse,
};

use super::{push_message, remember, take, PendingLogin, Taken, MAX_PENDING_LOGINS};
use crate::{
    credentials::Secret,
    oauth1::reply::{MAX_TEMPORARY_SECRET_BYTES, MAX_TEMPORARY_TOKEN_BYTES},
};

const KEY: &str = "oauth:twitter";
const TTL: Duration = Duration::from_secs(900);

/// What browsers keep of a cookie: RFC 6265 section 6.1's least, and Chrome's and Firefox's
/// most.
const COOKIE_BYTES: usize = 4096;

/// The `i`-th pending login at its largest: an OAuth 1.0a temporary token and secret as long
/// as they may be, of characters the session's JSON stores as they are. (OAuth 2.0's are
/// smaller: a 22-character state and a 43-character code verifier.)
fn largest(i: usize) -> PendingLogin {
    let key = format!("{i:04}");
    PendingLogin {
        key: format!("{key}{}", "t".repeat(MAX_TEMPORARY_TOKEN_BYTES - key.len())),
        secret: Secret::new("s".repeat(MAX_TEMPORARY_SECRET_BYTES)),
    }
}

/// Fills the session as a browser with several tabs could: `count` pending logins at their
/// largest, three messages longer than any built-in one, and a signed-in identity with a
/// long id and both of its timestamps.
async fn fill(req: HttpRequest, session: Session, count: web::Path<usize>) -> HttpResponse {
    let count = count.into_inner();
    for i in 0..count {
        remember(&session, KEY, &largest(i), count, TTL).expect("remembered");
    }
    for _ in 0..3 {
        push_message(&session, "m".repeat(100)).expect("message");
    }
    Identity::login(&req.extensions(), "u".repeat(64)).expect("identity");
    HttpResponse::Ok().finish()
}

/// Takes each of the `count` pending logins back, as their callbacks would.
async fn take_all(session: Session, count: web::Path<usize>) -> HttpResponse {
    for i in 0..count.into_inner() {
        let expected = largest(i);
        match take(&session, KEY, &expected.key, TTL).expect("read") {
            Taken::Found(found) => assert_eq!(found.secret.expose(), expected.secret.expose()),
            other => panic!("pending login {i} is not in the cookie: {other:?}"),
        }
    }
    HttpResponse::Ok().finish()
}

/// The app's session cookie after `GET /fill/{count}`: the length of the whole `Set-Cookie`
/// value (name, encrypted value and attributes), and the cookie.
async fn session_cookie<S, R>(app: &S, fill: R) -> (usize, Cookie<'static>)
where
    S: Service<R, Response = ServiceResponse, Error = actix_web::Error>,
{
    let res = test::call_service(app, fill).await;
    assert!(res.status().is_success(), "{}", res.status());
    let set_cookie = res.headers().get(SET_COOKIE).expect("a session cookie");
    let text = set_cookie.to_str().expect("ASCII").to_owned();
    (
        set_cookie.len(),
        Cookie::parse_encoded(text).expect("a cookie"),
    )
}

fn get(path: String) -> test::TestRequest {
    test::TestRequest::get().uri(&path)
}

#[actix_web::test]
async fn the_most_pending_logins_at_their_largest_fit_a_cookie() {
    let app = test::init_service(
        App::new()
            .route("/fill/{count}", web::get().to(fill))
            .route("/take/{count}", web::get().to(take_all))
            .wrap(
                IdentityMiddleware::builder()
                    .login_deadline(Some(Duration::from_secs(3600)))
                    .visit_deadline(Some(Duration::from_secs(3600)))
                    .build(),
            )
            // The defaults: a private (encrypted) cookie, Secure, HttpOnly, SameSite=Lax.
            .wrap(SessionMiddleware::new(
                CookieSessionStore::default(),
                Key::generate(),
            )),
    )
    .await;

    let fill = get(format!("/fill/{MAX_PENDING_LOGINS}")).to_request();
    let (bytes, cookie) = session_cookie(&app, fill).await;
    assert!(
        bytes < COOKIE_BYTES,
        "{MAX_PENDING_LOGINS} pending logins: a Set-Cookie of {bytes} bytes"
    );
    // The cookie really holds them all.
    let req = get(format!("/take/{MAX_PENDING_LOGINS}")).cookie(cookie);
    let res = test::call_service(&app, req.to_request()).await;
    assert!(res.status().is_success(), "{}", res.status());

    // And the bound is the largest that fits: one more would not.
    let fill = get(format!("/fill/{}", MAX_PENDING_LOGINS + 1)).to_request();
    let (more, _) = session_cookie(&app, fill).await;
    assert!(
        more >= COOKIE_BYTES,
        "{} pending logins fit too ({more} bytes): raise the bound",
        MAX_PENDING_LOGINS + 1
    );
    eprintln!("Set-Cookie: {bytes} bytes; with one pending login more, {more}");
}

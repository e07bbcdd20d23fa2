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

use super::{
    push_message, remember, take, PendingLogin, Taken, MAX_PENDING_BYTES, MAX_PENDING_LOGINS,
};
use crate::{
    credentials::Secret,
    oauth1::reply::{MAX_TEMPORARY_SECRET_BYTES, MAX_TEMPORARY_TOKEN_BYTES},
    validate::MAX_RETURN_TO_BYTES,
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
        return_to: None,
        link_user: None,
    }
}

/// [`largest`] with the largest return-to path as well.
fn largest_returning(i: usize) -> PendingLogin {
    PendingLogin {
        return_to: Some(format!("/{}", "r".repeat(MAX_RETURN_TO_BYTES - 1))),
        link_user: None,
        ..largest(i)
    }
}

/// Fills the session as a browser with several tabs could: `count` pending logins at their
/// largest, three messages longer than any built-in one, and a signed-in identity with a
/// long id and both of its timestamps.
async fn fill(req: HttpRequest, session: Session, path: web::Path<(usize, bool)>) -> HttpResponse {
    let (count, returning) = path.into_inner();
    for i in 0..count {
        let login = if returning {
            largest_returning(i)
        } else {
            largest(i)
        };
        remember(&session, KEY, &login, count, TTL).expect("remembered");
    }
    for _ in 0..3 {
        push_message(&session, "m".repeat(100)).expect("message");
    }
    Identity::login(&req.extensions(), "u".repeat(64)).expect("identity");
    HttpResponse::Ok().finish()
}

/// Takes each of the `count` pending logins back, as their callbacks would.
/// Takes the pending logins `from..to` back, as their callbacks would.
async fn take_all(session: Session, range: web::Path<(usize, usize)>) -> HttpResponse {
    let (from, to) = range.into_inner();
    for i in from..to {
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
            .route("/fill/{count}/{returning}", web::get().to(fill))
            .route("/take/{from}/{to}", web::get().to(take_all))
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

    let fill = get(format!("/fill/{MAX_PENDING_LOGINS}/false")).to_request();
    let (bytes, cookie) = session_cookie(&app, fill).await;
    assert!(
        bytes < COOKIE_BYTES,
        "{MAX_PENDING_LOGINS} pending logins: a Set-Cookie of {bytes} bytes"
    );
    // The cookie really holds them all.
    let req = get(format!("/take/0/{MAX_PENDING_LOGINS}")).cookie(cookie);
    let res = test::call_service(&app, req.to_request()).await;
    assert!(res.status().is_success(), "{}", res.status());

    // With the largest return-to paths too, the byte budget keeps the cookie under 4 KB: the
    // oldest are dropped, the newest kept.
    let fill = get(format!("/fill/{MAX_PENDING_LOGINS}/true")).to_request();
    let (returning, cookie) = session_cookie(&app, fill).await;
    assert!(
        returning < COOKIE_BYTES,
        "with return-to paths: {returning} bytes"
    );
    let newest = MAX_PENDING_LOGINS - 1;
    let req = get(format!("/take/{newest}/{MAX_PENDING_LOGINS}")).cookie(cookie);
    let res = test::call_service(&app, req.to_request()).await;
    assert!(res.status().is_success(), "{}", res.status());
    eprintln!("Set-Cookie: {bytes} bytes; with return-to paths, {returning}");
}

#[actix_web::test]
async fn the_byte_budget_holds_the_most_pending_logins_without_a_return_to() {
    let list: Vec<_> = (0..MAX_PENDING_LOGINS)
        .map(|i| {
            let login = largest(i);
            serde_json::json!({"t": login.key, "s": login.secret.expose(), "i": 1_764_500_000u64})
        })
        .collect();
    let bytes = serde_json::to_string(&list).unwrap().len();
    assert!(bytes <= MAX_PENDING_BYTES, "{bytes} > {MAX_PENDING_BYTES}");
}

//! The demo's account part: the home page's linked X account with its "Connect X" and
//! "Disconnect X" buttons, and a guest sign-up that stands for an app's own sign-in (a
//! password, say), so a user can have an account before X and keep it after.

use actix_identity::Identity;
use actix_session::SessionExt as _;
use actix_twitter_login::{
    account_form_token,
    accounts::{Accounts, LinkedAccount},
    store, take_messages,
};
use actix_web::{http::header, web, HttpMessage as _, HttpRequest, HttpResponse};
use tera::Context;

/// The name of the demo's guests: users of its own sign-up.
pub const GUEST: &str = "Guest";

/// Whether the user can sign in without X: in the demo, guests can (their sign-up stands for
/// an app's own password).
pub fn other_sign_in(pool: store::Pool) -> impl Fn(i32) -> bool + Send + Sync + 'static {
    move |user_id| {
        store::find_user(&pool, &user_id.to_string())
            .ok()
            .flatten()
            .is_some_and(|user| user.name == GUEST)
    }
}

/// What the home page shows of the account: the session's messages, the form token and the
/// linked X account.
pub async fn context(req: &HttpRequest, accounts: &Accounts, user_id: i32, context: &mut Context) {
    let session = req.get_session();
    context.insert("messages", &take_messages(&session));
    if let Ok(token) = account_form_token(&session) {
        context.insert("csrf_token", &token);
    }
    match accounts.linked(user_id).await {
        Ok(Some(LinkedAccount {
            subject,
            protocol,
            needs_reauthorization,
            ..
        })) => {
            context.insert("x_account", &subject);
            context.insert("x_tokens", &protocol);
            context.insert("x_needs_reauthorization", &needs_reauthorization);
        }
        Ok(None) => {}
        Err(error) => tracing::warn!(%error, "the linked account could not be read"),
    }
}

/// `POST /signup`: a new guest, signed in. Refused from another site's page, which could
/// otherwise sign a visitor in as a guest of its making.
pub async fn sign_up(req: HttpRequest, pool: web::Data<store::Pool>) -> HttpResponse {
    let site = req.headers().get("sec-fetch-site").map(|v| v.as_bytes());
    if matches!(site, Some(b"cross-site" | b"same-site")) {
        return HttpResponse::Forbidden().body("Sign up from this site's own page.");
    }
    let pool = pool.get_ref().clone();
    let created = web::block(move || {
        let mut conn = pool.get().map_err(|e| e.to_string())?;
        store::create_user(&mut conn, GUEST).map_err(|e| e.to_string())
    })
    .await;
    match created {
        Ok(Ok(user)) => match Identity::login(&req.extensions(), user.id.to_string()) {
            Ok(_) => HttpResponse::SeeOther()
                .insert_header((header::LOCATION, "/"))
                .finish(),
            Err(_) => HttpResponse::InternalServerError().body("Signing in failed."),
        },
        _ => HttpResponse::InternalServerError().body("Signing up failed."),
    }
}

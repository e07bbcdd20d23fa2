//! The demo's account part: the home page's linked X account with its "Connect X" and
//! "Disconnect X" buttons, and a guest sign-up that stands for an app's own sign-in (a
//! password, say), so a user can have an account before X and keep it after.

use std::{
    collections::HashSet,
    sync::{Arc, Mutex},
};

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

/// The guests this process signed up: users with a way in besides X (their sign-up stands for
/// an app's own password). Kept by id, never by name, which an X user chooses; forgotten at a
/// restart, after which a guest's X link counts as their only way in, the safe side.
#[derive(Clone, Default)]
pub struct Guests(Arc<Mutex<HashSet<i32>>>);

impl Guests {
    fn add(&self, user_id: i32) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(user_id);
    }

    /// Whether the user can sign in without X.
    pub fn other_sign_in(&self) -> impl Fn(i32) -> bool + Send + Sync + 'static {
        let guests = self.clone();
        move |user_id| {
            guests
                .0
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .contains(&user_id)
        }
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
pub async fn sign_up(
    req: HttpRequest,
    pool: web::Data<store::Pool>,
    guests: web::Data<Guests>,
) -> HttpResponse {
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
        Ok(Ok(user)) => {
            guests.add(user.id);
            match Identity::login(&req.extensions(), user.id.to_string()) {
                Ok(_) => HttpResponse::SeeOther()
                    .insert_header((header::LOCATION, "/"))
                    .finish(),
                Err(_) => HttpResponse::InternalServerError().body("Signing in failed."),
            }
        }
        _ => HttpResponse::InternalServerError().body("Signing up failed."),
    }
}

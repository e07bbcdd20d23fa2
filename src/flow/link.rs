//! Linking an X account to the signed-in user: the link starts with a `POST` of the link path
//! carrying the session's account form token ([`crate::account_form`]), from this site, by a
//! signed-in user; the callback links the account only while that same user is signed in.

use actix_session::SessionExt as _;
use actix_web::dev::{ServiceRequest, ServiceResponse};

use super::{fail, has_session, started};
use crate::{
    account_form::{self, ACCOUNT_FORM_FIELD},
    config::Config,
    error::LoginFailure,
    login_form, routes, validate,
};

/// The longest identity a link is started for: it is kept in the session with the pending
/// login, whose size is bounded.
const MAX_IDENTITY_BYTES: usize = 64;

/// `POST` of the link path: checks the form, then starts a login that links.
pub(crate) async fn start(
    mut req: ServiceRequest,
    config: &Config,
    http: &awc::Client,
) -> ServiceResponse {
    let had_session = has_session(&req);
    let form = match login_form::read(&mut req).await {
        Ok(form) => form,
        Err(reason) => return fail(req, config, LoginFailure::LinkForm(reason), had_session),
    };
    let field = form.get(ACCOUNT_FORM_FIELD).map(String::as_str);
    if !account_form::accepts(req.request(), &req.get_session(), field) {
        let failure =
            LoginFailure::LinkForm("no matching account form token, or sent from another site");
        return fail(req, config, failure, had_session);
    }
    let user = routes::identity(req.request()).and_then(|identity| identity.id().ok());
    let Some(user) = user else {
        return fail(req, config, LoginFailure::NotSignedIn, had_session);
    };
    if user.len() > MAX_IDENTITY_BYTES {
        let failure = LoginFailure::Session(format!(
            "an identity of {} bytes is too long to link (at most {MAX_IDENTITY_BYTES})",
            user.len()
        ));
        return fail(req, config, failure, had_session);
    }
    let return_to = form
        .get(&config.return_to_param)
        .and_then(|value| validate::return_to(value))
        .map(str::to_owned);
    started(req, config, http, return_to, Some(user)).await
}

/// Whether the user who started the link is still the one signed in: a sign-out, or another
/// user's sign-in in the same browser, ends the link before anything is asked of X.
pub(super) fn still_signed_in(req: &ServiceRequest, user: &str) -> Result<(), LoginFailure> {
    let current = routes::identity(req.request()).and_then(|identity| identity.id().ok());
    match current {
        Some(current) if current == user => Ok(()),
        _ => Err(LoginFailure::LinkUserChanged),
    }
}

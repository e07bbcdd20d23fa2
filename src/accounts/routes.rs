//! The "Disconnect X" route: a `POST` with the session's account form token, from this site,
//! by the signed-in user, that unlinks their X account and says how it went on the session's
//! messages.

use std::collections::HashMap;

use actix_session::SessionExt as _;
use actix_web::{http::header, web, HttpRequest, HttpResponse, Resource};

use super::{AccountError, Accounts};
use crate::{
    account_form::{self, ACCOUNT_FORM_FIELD},
    error::ConfigError,
    routes::identity,
    session, validate,
};

struct State {
    accounts: Accounts,
    after_unlink: String,
}

impl Accounts {
    /// The unlink route, to mount with `App::service`: a `POST` of `path` carrying
    /// [`account_form_token`](crate::account_form_token) in
    /// [`ACCOUNT_FORM_FIELD`] unlinks the signed-in user's X
    /// account ([`unlink`](Self::unlink)), pushes what happened onto the session's
    /// `messages`, and redirects (303) to `after_unlink`. A post from another site or without
    /// the token gets 403, one without a signed-in user 401; neither changes anything.
    ///
    /// ```
    /// # let dir = tempfile::tempdir()?;
    /// # let pool = actix_twitter_login::store::connect(dir.path().join("a.db").to_str().unwrap(), &Default::default())?;
    /// # let keys = actix_twitter_login::store::TokenKeys::from_hex("k1", &"ab".repeat(32))?;
    /// # let resolver = actix_twitter_login::store::DieselResolver::new(pool).store_tokens(keys);
    /// use actix_twitter_login::{accounts::Accounts, ConfigError};
    ///
    /// let accounts = Accounts::builder(&resolver).build()?;
    /// let route = accounts.unlink_route("/unlink/twitter", "/account")?;
    /// let app = actix_web::App::new().service(route);
    /// # drop(app);
    /// assert!(matches!(
    ///     accounts.unlink_route("unlink", "/").err(),
    ///     Some(ConfigError::Path { .. })
    /// ));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`ConfigError::Path`] for a path or redirect target the login's own routes would
    /// refuse.
    pub fn unlink_route(&self, path: &str, after_unlink: &str) -> Result<Resource, ConfigError> {
        validate::path("unlink_path", path)?;
        validate::redirect("after_unlink", after_unlink)?;
        let state = web::Data::new(State {
            accounts: self.clone(),
            after_unlink: after_unlink.to_owned(),
        });
        Ok(web::resource(path.to_owned())
            .app_data(state)
            .route(web::post().to(unlink)))
    }
}

async fn unlink(
    req: HttpRequest,
    form: Option<web::Form<HashMap<String, String>>>,
    state: web::Data<State>,
) -> HttpResponse {
    let session = req.get_session();
    let field = form
        .as_ref()
        .and_then(|form| form.get(ACCOUNT_FORM_FIELD))
        .map(String::as_str);
    if !account_form::accepts(&req, &session, field) {
        return refused(403, "This form expired or came from another site.");
    }
    let user = identity(&req).and_then(|identity| identity.id().ok());
    let Some(user_id) = user.and_then(|id| id.parse::<i32>().ok()) else {
        return refused(401, "Please sign in first.");
    };
    let message = match state.accounts.unlink(user_id).await {
        Ok(_) => "Your X account is disconnected.",
        Err(AccountError::NotLinked) => "No X account is connected to your account.",
        Err(AccountError::LastSignIn) => {
            "X is your only way to sign in here, so it stays connected."
        }
        Err(error) => {
            tracing::error!(user_id, %error, "unlinking failed");
            "Disconnecting X failed. Please try again."
        }
    };
    if let Err(error) = session::push_message(&session, message.to_owned()) {
        tracing::warn!(%error, "could not store the unlink message in the session");
    }
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, state.after_unlink.as_str()))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish()
}

fn refused(status: u16, text: &'static str) -> HttpResponse {
    let status = actix_web::http::StatusCode::from_u16(status)
        .unwrap_or(actix_web::http::StatusCode::FORBIDDEN);
    HttpResponse::build(status)
        .content_type("text/plain; charset=utf-8")
        .body(text)
}

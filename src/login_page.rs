//! The login page, as the mounted route renders it and, when the login starts by `POST`, the
//! login path itself: a link to the login path, or a form posting to it with a CSRF token.

use actix_web::{http::header, HttpResponse};

use crate::{
    csrf,
    templates::{FormFields, LoginPage, Templates},
    validate,
};

/// How a login is started, as the page's button must do it.
#[derive(Debug, Clone)]
pub(crate) struct LoginStart {
    /// The middleware's login path.
    pub path: String,
    /// The parameter naming the page to return to.
    pub return_to_param: String,
    /// Started by a `POST` of a form with a CSRF token (else a `GET` link).
    pub post: bool,
    /// Whether the CSRF cookie is `Secure` (the callback URL is https).
    pub secure: bool,
}

impl LoginStart {
    /// The return-to named in a query string, when it is a path on this site.
    pub(crate) fn return_to(&self, query: &str) -> Option<String> {
        return_to(query, &self.return_to_param)
    }
}

/// The return-to named `param` in a query string, when it is a path on this site; one that is
/// not is ignored (and logged at `debug`).
pub(crate) fn return_to(query: &str, param: &str) -> Option<String> {
    let given = url::form_urlencoded::parse(query.as_bytes())
        .find(|(name, _)| *name == param)
        .map(|(_, value)| value)?;
    let accepted = validate::return_to(&given).map(str::to_owned);
    if accepted.is_none() {
        tracing::debug!(
            length = given.len(),
            "ignoring a return-to that is not a path on this site"
        );
    }
    accepted
}

/// What the page shows besides the button.
pub(crate) struct Shown<'a> {
    pub messages: &'a [String],
    pub user_id: Option<&'a str>,
    pub logout_url: &'a str,
    pub return_to: Option<String>,
}

/// The rendered page (200, never cached), with the CSRF cookie when the form needs one.
pub(crate) fn render(start: &LoginStart, templates: &Templates, shown: Shown<'_>) -> HttpResponse {
    let issued = start.post.then(|| csrf::issue(&start.path, start.secure));
    let link = match (&shown.return_to, start.post) {
        (Some(path), false) => {
            let query = url::form_urlencoded::Serializer::new(String::new())
                .append_pair(&start.return_to_param, path)
                .finish();
            format!("{}?{query}", start.path)
        }
        _ => start.path.clone(),
    };
    let page = LoginPage {
        messages: shown.messages,
        login_url: &link,
        logout_url: shown.logout_url,
        user_id: shown.user_id,
        form: issued.as_ref().map(|issued| FormFields {
            csrf_token: &issued.token,
            return_to_param: &start.return_to_param,
            return_to: shown.return_to.as_deref(),
        }),
    };
    match templates.login_page(&page) {
        Ok(body) => {
            let mut response = HttpResponse::Ok();
            response
                .content_type("text/html; charset=utf-8")
                .insert_header((header::CACHE_CONTROL, "no-store"));
            if let Some(issued) = issued {
                response.cookie(issued.cookie);
            }
            response.body(body)
        }
        Err(e) => {
            tracing::error!(error = %e, "the login page template failed to render");
            HttpResponse::InternalServerError().body("The login page could not be shown.")
        }
    }
}

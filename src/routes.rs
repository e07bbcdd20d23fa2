//! Mountable routes: the login page (with the session's messages) and logout.

use std::{
    panic::{catch_unwind, AssertUnwindSafe},
    sync::Arc,
};

use actix_identity::{Identity, IdentityExt as _};
use actix_session::SessionExt as _;
use actix_web::{http::header, web, HttpRequest, HttpResponse};

use crate::{
    error::ConfigError,
    login_page::{self, LoginStart, Shown},
    origin::{self, Site},
    session,
    templates::Templates,
    validate,
};

/// The login page and logout routes that go with one middleware, from
/// [`TwitterLoginMiddleware::routes`](crate::TwitterLoginMiddleware::routes): the page's "Sign
/// in with Twitter" button points at that middleware's login path, and the pages render with its
/// templates. Their own paths default to `GET /login` and `POST /logout`.
#[derive(Debug, Clone)]
pub struct Routes {
    login_page: String,
    logout: String,
    start: LoginStart,
    after_logout: String,
    templates: Arc<Templates>,
}

struct State {
    logout: String,
    start: LoginStart,
    after_logout: String,
    templates: Arc<Templates>,
}

impl Routes {
    pub(crate) fn new(start: LoginStart, templates: Arc<Templates>) -> Self {
        Self {
            login_page: "/login".to_owned(),
            logout: "/logout".to_owned(),
            start,
            after_logout: "/".to_owned(),
            templates,
        }
    }

    /// The login page's path. Default: `/login`.
    ///
    /// # Errors
    /// [`ConfigError::Path`] unless it is a path starting with `/` without a query, a
    /// fragment, `{..}` segments, a leading `//`, backslashes or control characters.
    ///
    /// ```
    /// # fn twitter() -> actix_twitter_login::TwitterLoginMiddleware {
    /// #     actix_twitter_login::TwitterLoginMiddleware::new("key", "secret", "http://127.0.0.1:8080/cb").unwrap()
    /// # }
    /// let routes = twitter().routes().login_page("/signin")?;
    /// # drop(routes);
    /// # Ok::<(), actix_twitter_login::ConfigError>(())
    /// ```
    pub fn login_page(mut self, path: impl Into<String>) -> Result<Self, ConfigError> {
        let path = path.into();
        validate::path("login_page", &path)?;
        self.login_page = path;
        Ok(self)
    }

    /// The logout path (`POST`). Default: `/logout`.
    ///
    /// # Errors
    /// [`ConfigError::Path`], as for [`login_page`](Self::login_page).
    ///
    /// ```
    /// # fn twitter() -> actix_twitter_login::TwitterLoginMiddleware {
    /// #     actix_twitter_login::TwitterLoginMiddleware::new("key", "secret", "http://127.0.0.1:8080/cb").unwrap()
    /// # }
    /// let routes = twitter().routes().logout("/signout")?;
    /// # drop(routes);
    /// # Ok::<(), actix_twitter_login::ConfigError>(())
    /// ```
    pub fn logout(mut self, path: impl Into<String>) -> Result<Self, ConfigError> {
        let path = path.into();
        validate::path("logout", &path)?;
        self.logout = path;
        Ok(self)
    }

    /// Where logout redirects. Default: `/`.
    ///
    /// # Errors
    /// [`ConfigError::Path`] unless it is a same-origin path (no leading `//`, backslashes or
    /// control characters, raw or percent-encoded) or an absolute http(s) URL.
    ///
    /// ```
    /// # fn twitter() -> actix_twitter_login::TwitterLoginMiddleware {
    /// #     actix_twitter_login::TwitterLoginMiddleware::new("key", "secret", "http://127.0.0.1:8080/cb").unwrap()
    /// # }
    /// let routes = twitter().routes().after_logout("/goodbye")?;
    /// # drop(routes);
    /// # Ok::<(), actix_twitter_login::ConfigError>(())
    /// ```
    pub fn after_logout(mut self, path: impl Into<String>) -> Result<Self, ConfigError> {
        let path = path.into();
        validate::redirect("after_logout", &path)?;
        self.after_logout = path;
        Ok(self)
    }

    /// Mounts the routes, for `App::configure`.
    ///
    /// ```
    /// # fn twitter() -> actix_twitter_login::TwitterLoginMiddleware {
    /// #     actix_twitter_login::TwitterLoginMiddleware::new("key", "secret", "http://127.0.0.1:8080/cb").unwrap()
    /// # }
    /// let routes = twitter().routes().login_page("/signin")?;
    /// let app = actix_web::App::new().configure(|c| routes.configure(c));
    /// # drop(app);
    /// # Ok::<(), actix_twitter_login::ConfigError>(())
    /// ```
    pub fn configure(self, config: &mut web::ServiceConfig) {
        let state = web::Data::new(State {
            logout: self.logout.clone(),
            start: self.start,
            after_logout: self.after_logout,
            templates: self.templates,
        });
        config.service(
            web::resource(self.login_page)
                .app_data(state.clone())
                .route(web::get().to(login_page)),
        );
        config.service(
            web::resource(self.logout)
                .app_data(state)
                .route(web::post().to(logout)),
        );
    }
}

/// The request's identity, or `None` when signed out or when `IdentityMiddleware` is missing
/// (actix-identity panics then; that is caught and logged here).
pub(crate) fn identity(req: &HttpRequest) -> Option<Identity> {
    match catch_unwind(AssertUnwindSafe(|| req.get_identity())) {
        Ok(identity) => identity.ok(),
        Err(_) => {
            tracing::error!("IdentityMiddleware is not mounted: no identity can be read");
            None
        }
    }
}

/// The login page. Its button starts the login; a `return_to` the page was given (e.g. by a
/// page that needs a signed-in user) goes with it when it is a path on this site.
async fn login_page(req: HttpRequest, state: web::Data<State>) -> HttpResponse {
    let user_id = identity(&req).and_then(|identity| identity.id().ok());
    let messages = session::take_messages(&req.get_session());
    let shown = Shown {
        messages: &messages,
        user_id: user_id.as_deref(),
        logout_url: &state.logout,
        return_to: state.start.return_to(req.query_string()),
    };
    login_page::render(&state.start, &state.templates, shown)
}

/// `POST /logout`, refused (403) when the browser says another site's page sent it: a
/// cross-site form cannot sign users out.
async fn logout(req: HttpRequest, state: web::Data<State>) -> HttpResponse {
    if origin::of(&req) == Site::Cross {
        tracing::debug!("refusing a cross-site logout");
        return HttpResponse::Forbidden()
            .content_type("text/plain; charset=utf-8")
            .body("Sign out from this site's own page.");
    }
    if let Some(identity) = identity(&req) {
        identity.logout();
    }
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, state.after_logout.as_str()))
        .finish()
}

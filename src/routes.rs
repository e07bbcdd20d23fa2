//! Mountable routes: the login page (with the session's messages) and logout.

use std::{
    panic::{catch_unwind, AssertUnwindSafe},
    sync::Arc,
};

use actix_identity::{Identity, IdentityExt as _};
use actix_session::SessionExt as _;
use actix_web::{http::header, web, HttpRequest, HttpResponse};

use crate::{session, templates::Templates};

/// Mounts the default routes: `GET /login` (the login page) and `POST /logout`.
///
/// ```
/// use actix_web::App;
/// let app = App::new().configure(actix_twitter_login::routes);
/// # drop(app);
/// ```
pub fn routes(config: &mut web::ServiceConfig) {
    Routes::default().configure(config);
}

/// The login page and logout routes, with their paths and templates.
#[derive(Debug, Clone)]
pub struct Routes {
    login_page: String,
    logout: String,
    twitter_login: String,
    after_logout: String,
    templates: Arc<Templates>,
}

impl Default for Routes {
    fn default() -> Self {
        Self {
            login_page: "/login".to_owned(),
            logout: "/logout".to_owned(),
            twitter_login: "/login/twitter".to_owned(),
            after_logout: "/".to_owned(),
            templates: Arc::new(Templates::default()),
        }
    }
}

struct State {
    logout: String,
    twitter_login: String,
    after_logout: String,
    templates: Arc<Templates>,
}

impl Routes {
    /// The login page's path. Default: `/login`.
    ///
    /// ```
    /// # use actix_twitter_login::Routes;
    /// let routes = Routes::default().login_page("/signin");
    /// # drop(routes);
    /// ```
    #[must_use]
    pub fn login_page(mut self, path: impl Into<String>) -> Self {
        self.login_page = path.into();
        self
    }

    /// The logout path (`POST`). Default: `/logout`.
    ///
    /// ```
    /// # use actix_twitter_login::Routes;
    /// let routes = Routes::default().logout("/signout");
    /// # drop(routes);
    /// ```
    #[must_use]
    pub fn logout(mut self, path: impl Into<String>) -> Self {
        self.logout = path.into();
        self
    }

    /// Where the "Sign in with Twitter" button points: the middleware's login path.
    /// Default: `/login/twitter`.
    ///
    /// ```
    /// # use actix_twitter_login::Routes;
    /// let routes = Routes::default().twitter_login("/auth/twitter");
    /// # drop(routes);
    /// ```
    #[must_use]
    pub fn twitter_login(mut self, path: impl Into<String>) -> Self {
        self.twitter_login = path.into();
        self
    }

    /// Where logout redirects. Default: `/`.
    ///
    /// ```
    /// # use actix_twitter_login::Routes;
    /// let routes = Routes::default().after_logout("/goodbye");
    /// # drop(routes);
    /// ```
    #[must_use]
    pub fn after_logout(mut self, path: impl Into<String>) -> Self {
        self.after_logout = path.into();
        self
    }

    /// The templates to render with. Default: the built-in ones.
    ///
    /// ```
    /// # use actix_twitter_login::{Routes, Templates};
    /// let routes = Routes::default().templates(Templates::from_dir("templates").unwrap());
    /// # drop(routes);
    /// ```
    #[must_use]
    pub fn templates(mut self, templates: Templates) -> Self {
        self.templates = Arc::new(templates);
        self
    }

    pub(crate) fn shared_templates(mut self, templates: Arc<Templates>) -> Self {
        self.templates = templates;
        self
    }

    /// Mounts the routes, for `App::configure`.
    ///
    /// ```
    /// # use actix_twitter_login::Routes;
    /// let app = actix_web::App::new().configure(|c| Routes::default().login_page("/signin").configure(c));
    /// # drop(app);
    /// ```
    pub fn configure(self, config: &mut web::ServiceConfig) {
        let state = web::Data::new(State {
            logout: self.logout.clone(),
            twitter_login: self.twitter_login,
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

async fn login_page(req: HttpRequest, state: web::Data<State>) -> HttpResponse {
    let user_id = identity(&req).and_then(|identity| identity.id().ok());
    let messages = session::take_messages(&req.get_session());
    match state.templates.login_page(
        &messages,
        &state.twitter_login,
        &state.logout,
        user_id.as_deref(),
    ) {
        Ok(page) => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(page),
        Err(e) => {
            tracing::error!(error = %e, "the login page template failed to render");
            HttpResponse::InternalServerError().body("The login page could not be shown.")
        }
    }
}

async fn logout(req: HttpRequest, state: web::Data<State>) -> HttpResponse {
    if let Some(identity) = identity(&req) {
        identity.logout();
    }
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, state.after_logout.as_str()))
        .finish()
}

//! Mountable routes: the login page (with the session's messages) and logout.

use std::{
    panic::{catch_unwind, AssertUnwindSafe},
    sync::Arc,
};

use actix_identity::{Identity, IdentityExt as _};
use actix_session::SessionExt as _;
use actix_web::{http::header, web, HttpRequest, HttpResponse};

use crate::{session, templates::Templates};

/// The login page and logout routes that go with one middleware, from
/// [`TwitterLoginMiddleware::routes`](crate::TwitterLoginMiddleware::routes): the page's "Sign
/// in with Twitter" button points at that middleware's login path, and the pages render with its
/// templates. Their own paths default to `GET /login` and `POST /logout`.
#[derive(Debug, Clone)]
pub struct Routes {
    login_page: String,
    logout: String,
    twitter_login: String,
    after_logout: String,
    templates: Arc<Templates>,
}

struct State {
    logout: String,
    twitter_login: String,
    after_logout: String,
    templates: Arc<Templates>,
}

impl Routes {
    pub(crate) fn new(twitter_login: &str, templates: Arc<Templates>) -> Self {
        Self {
            login_page: "/login".to_owned(),
            logout: "/logout".to_owned(),
            twitter_login: twitter_login.to_owned(),
            after_logout: "/".to_owned(),
            templates,
        }
    }

    /// The login page's path. Default: `/login`.
    ///
    /// ```
    /// # fn twitter() -> actix_twitter_login::TwitterLoginMiddleware {
    /// #     actix_twitter_login::TwitterLoginMiddleware::new("key", "secret", "http://127.0.0.1:8080/cb").unwrap()
    /// # }
    /// let routes = twitter().routes().login_page("/signin");
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
    /// # fn twitter() -> actix_twitter_login::TwitterLoginMiddleware {
    /// #     actix_twitter_login::TwitterLoginMiddleware::new("key", "secret", "http://127.0.0.1:8080/cb").unwrap()
    /// # }
    /// let routes = twitter().routes().logout("/signout");
    /// # drop(routes);
    /// ```
    #[must_use]
    pub fn logout(mut self, path: impl Into<String>) -> Self {
        self.logout = path.into();
        self
    }

    /// Where logout redirects. Default: `/`.
    ///
    /// ```
    /// # fn twitter() -> actix_twitter_login::TwitterLoginMiddleware {
    /// #     actix_twitter_login::TwitterLoginMiddleware::new("key", "secret", "http://127.0.0.1:8080/cb").unwrap()
    /// # }
    /// let routes = twitter().routes().after_logout("/goodbye");
    /// # drop(routes);
    /// ```
    #[must_use]
    pub fn after_logout(mut self, path: impl Into<String>) -> Self {
        self.after_logout = path.into();
        self
    }

    /// Mounts the routes, for `App::configure`.
    ///
    /// ```
    /// # fn twitter() -> actix_twitter_login::TwitterLoginMiddleware {
    /// #     actix_twitter_login::TwitterLoginMiddleware::new("key", "secret", "http://127.0.0.1:8080/cb").unwrap()
    /// # }
    /// let routes = twitter().routes().login_page("/signin");
    /// let app = actix_web::App::new().configure(|c| routes.configure(c));
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

//! The `Transform` and its inner service: route the login path and the callback path, pass
//! every other request through untouched.

use std::{rc::Rc, sync::Arc};

use actix_web::{
    body::{EitherBody, MessageBody},
    dev::{forward_ready, Service, ServiceRequest, ServiceResponse, Transform},
    http::{header, Method},
    Error,
};
use futures_core::future::LocalBoxFuture;
use futures_util::future::{ready, Either, MapOk, Ready, TryFutureExt as _};

use crate::{config::Config, flow, routes::Routes};

/// The "Sign in with Twitter" middleware. Build it with [`TwitterLoginMiddleware::builder`]
/// once, outside `HttpServer::new` (its clones, one per worker, share the tokens spent at the
/// callback), and add it with `App::wrap` inside (that is, before in code) the identity and
/// session middleware:
///
/// ```no_run
/// use actix_identity::IdentityMiddleware;
/// use actix_session::{storage::CookieSessionStore, SessionMiddleware};
/// use actix_twitter_login::TwitterLoginMiddleware;
/// use actix_web::{cookie::Key, App, HttpServer};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let twitter = TwitterLoginMiddleware::builder("consumer-key", "consumer-secret",
///         "http://127.0.0.1:8080/oauth/callback/twitter")
///     .failure_redirect("/login")
///     .failure_message(true)
///     .build()?;
/// let routes = twitter.routes(); // the login page and logout that go with it
/// let key = Key::generate();
/// HttpServer::new(move || {
///     let routes = routes.clone();
///     App::new()
///         .configure(|c| routes.configure(c))
///         .wrap(twitter.clone())
///         .wrap(IdentityMiddleware::default())
///         .wrap(SessionMiddleware::new(CookieSessionStore::default(), key.clone()))
/// })
/// .bind(("127.0.0.1", 8080))?
/// .run()
/// .await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct TwitterLoginMiddleware {
    config: Arc<Config>,
}

impl std::fmt::Debug for TwitterLoginMiddleware {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TwitterLoginMiddleware")
            .field("protocol", &self.config.protocol)
            .field("login_path", &self.config.login_path)
            .finish_non_exhaustive()
    }
}

impl TwitterLoginMiddleware {
    pub(crate) fn from_config(config: Arc<Config>) -> Self {
        Self { config }
    }

    /// The path that starts a login (`GET`).
    pub fn login_path(&self) -> &str {
        &self.config.login_path
    }

    /// The callback route: the callback URL's path.
    pub fn callback_path(&self) -> &str {
        &self.config.callback_path
    }

    /// The login page and logout routes that go with this middleware: the page's "Sign in
    /// with Twitter" button points at its login path, and the page uses its templates.
    ///
    /// ```
    /// # use actix_twitter_login::TwitterLoginMiddleware;
    /// let twitter = TwitterLoginMiddleware::builder("key", "secret", "http://127.0.0.1:8080/auth/twitter/cb")
    ///     .login_path("/auth/twitter")
    ///     .build()
    ///     .unwrap();
    /// let routes = twitter.routes();
    /// let app = actix_web::App::new()
    ///     .configure(|c| routes.configure(c))
    ///     .wrap(twitter);
    /// # drop(app);
    /// ```
    pub fn routes(&self) -> Routes {
        Routes::new(
            self.config.login_start(),
            Arc::clone(&self.config.templates),
        )
    }
}

impl<S, B> Transform<S, ServiceRequest> for TwitterLoginMiddleware
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = InnerTwitterLoginMiddleware<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(InnerTwitterLoginMiddleware {
            service,
            config: Arc::clone(&self.config),
            client: Rc::new(http_client()),
        }))
    }
}

/// The inner service of [`TwitterLoginMiddleware`].
#[doc(hidden)]
pub struct InnerTwitterLoginMiddleware<S> {
    service: S,
    config: Arc<Config>,
    client: Rc<awc::Client>,
}

type PassThrough<F, B> = MapOk<F, fn(ServiceResponse<B>) -> ServiceResponse<EitherBody<B>>>;

impl<S, B> Service<ServiceRequest> for InnerTwitterLoginMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = Either<
        PassThrough<S::Future, B>,
        LocalBoxFuture<'static, Result<Self::Response, Self::Error>>,
    >;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let (get, post) = (req.method() == Method::GET, req.method() == Method::POST);
        if req.path() == self.config.login_path {
            let (config, client) = (Arc::clone(&self.config), Rc::clone(&self.client));
            match (get, post, config.post_login_start) {
                (true, _, false) => {
                    return Either::Right(Box::pin(async move {
                        Ok(flow::start(req, &config, &client)
                            .await
                            .map_into_right_body())
                    }));
                }
                (_, true, true) => {
                    return Either::Right(Box::pin(async move {
                        Ok(flow::start_posted(req, &config, &client)
                            .await
                            .map_into_right_body())
                    }));
                }
                (true, _, true) => {
                    return Either::Right(Box::pin(async move {
                        Ok(flow::login_form(req, &config).map_into_right_body())
                    }));
                }
                _ => {}
            }
        }
        if post && req.path() == self.config.link_path {
            let (config, client) = (Arc::clone(&self.config), Rc::clone(&self.client));
            return Either::Right(Box::pin(async move {
                Ok(flow::link::start(req, &config, &client)
                    .await
                    .map_into_right_body())
            }));
        }
        if get {
            let path = req.path();
            if path == self.config.callback_path {
                let (config, client) = (Arc::clone(&self.config), Rc::clone(&self.client));
                return Either::Right(Box::pin(async move {
                    Ok(flow::callback(req, &config, &client)
                        .await
                        .map_into_right_body())
                }));
            }
        }
        let map: fn(ServiceResponse<B>) -> ServiceResponse<EitherBody<B>> =
            ServiceResponse::map_into_left_body;
        Either::Left(self.service.call(req).map_ok(map))
    }
}

/// Builds the HTTP client used for provider calls (one per worker: awc's client is `!Send`).
pub(crate) fn http_client() -> awc::Client {
    // awc's rustls support needs a process-wide crypto provider; installing it twice is fine.
    let _ = rustls::crypto::ring::default_provider().install_default();
    // awc's own timeout (5 s unless set) would only cover the wait for the headers, with a
    // second timer per call: `exchange` puts one deadline on the whole exchange instead.
    awc::Client::builder()
        .disable_redirects()
        .disable_timeout()
        .add_default_header((
            header::USER_AGENT,
            concat!("actix-twitter-login/", env!("CARGO_PKG_VERSION")),
        ))
        .finish()
}

#[cfg(test)]
mod tests {
    use super::TwitterLoginMiddleware;

    fn middleware() -> TwitterLoginMiddleware {
        TwitterLoginMiddleware::new("key", "secret", "http://127.0.0.1:8080/cb").unwrap()
    }

    #[test]
    fn each_middleware_owns_its_spent_tokens_and_its_clones_share_them() {
        let (first, second) = (middleware(), middleware());
        let worker = first.clone(); // what each worker's service holds
        assert!(first.config.spent.spend("token", 1, 100));
        assert!(
            !worker.config.spent.spend("token", 2, 100),
            "shared by the workers"
        );
        assert!(
            second.config.spent.spend("token", 2, 100),
            "not by another middleware"
        );
    }
}

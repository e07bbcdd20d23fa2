//! The app every behaviour test runs: the crate's routes plus `/`, `/me` and `/plain`, wrapped
//! in the login, identity and session middleware.

use std::net::TcpListener;

use actix_identity::IdentityMiddleware;
use actix_session::{storage::SessionStore, SessionMiddleware};
use actix_twitter_login::{accounts::Accounts, store, TwitterLoginMiddleware};
use actix_web::{
    dev::ServerHandle, middleware::Condition, web, App, HttpRequest, HttpResponse, HttpServer,
};

#[cfg(not(feature = "redis"))]
use super::MemoryStore;
use super::{cookie_key, SESSION_COOKIE};

/// Serves the test app (routes, `/`, `/me`, `/plain`) wrapped in the login, identity and
/// session middleware, in the background.
pub fn serve<S, F>(
    listener: TcpListener,
    twitter: TwitterLoginMiddleware,
    pool: store::Pool,
    accounts: Accounts,
    identity: bool,
    store: F,
) -> ServerHandle
where
    S: SessionStore + 'static,
    F: Fn() -> S + Clone + Send + 'static,
{
    // The routes that go with this middleware, on their default paths and on paths of their own.
    let routes = twitter.routes();
    let own_routes = twitter
        .routes()
        .login_page("/custom/login")
        .and_then(|routes| routes.logout("/custom/logout"))
        .expect("valid route paths");
    let server = HttpServer::new(move || {
        let (routes, own_routes) = (routes.clone(), own_routes.clone());
        let unlink = accounts
            .unlink_route("/unlink/twitter", "/")
            .expect("a valid unlink route");
        App::new()
            .service(unlink)
            .app_data(web::Data::new(pool.clone()))
            .configure(|c| routes.configure(c))
            .configure(|c| own_routes.configure(c))
            .route("/", web::get().to(home))
            .route("/me", web::get().to(me_handler))
            .route("/plain", web::get().to(|| async { "plain" }))
            .route("/test/sign-up", web::post().to(sign_up))
            .route("/test/sign-in-as/{identity}", web::post().to(sign_in_as))
            .route(
                "/test/account-form-token",
                web::get().to(account_form_token),
            )
            .route("/login/twitter", web::post().to(|| async { "posted" }))
            .wrap(twitter.clone())
            .wrap(Condition::new(identity, IdentityMiddleware::default()))
            .wrap(
                SessionMiddleware::builder(store(), cookie_key())
                    .cookie_name(SESSION_COOKIE.into())
                    .cookie_secure(false)
                    .build(),
            )
    })
    .workers(2)
    .disable_signals()
    .listen(listener)
    .expect("listen")
    .run();
    let handle = server.handle();
    actix_web::rt::spawn(server);
    handle
}

async fn home(req: HttpRequest) -> HttpResponse {
    use actix_identity::IdentityExt as _;
    match req.get_identity().ok().and_then(|i| i.id().ok()) {
        Some(id) => HttpResponse::Ok().body(format!("signed in as {id}")),
        None => HttpResponse::Ok().body("anonymous"),
    }
}

async fn me_handler(req: HttpRequest, pool: web::Data<store::Pool>) -> HttpResponse {
    use actix_identity::IdentityExt as _;
    let Some(id) = req.get_identity().ok().and_then(|i| i.id().ok()) else {
        return HttpResponse::Unauthorized().finish();
    };
    let pool = pool.get_ref().clone();
    match web::block(move || store::find_user(&pool, &id)).await {
        Ok(Ok(Some(user))) => {
            HttpResponse::Ok().json(serde_json::json!({"id": user.id, "name": user.name}))
        }
        // An identity that is no user of the database (a test's own resolver made it).
        Ok(Ok(None)) => HttpResponse::Unauthorized().finish(),
        Ok(Err(e)) => HttpResponse::InternalServerError().body(e.to_string()),
        Err(e) => HttpResponse::InternalServerError().body(e.to_string()),
    }
}

/// The name of every user of the app's own sign-up.
pub const LOCAL_USER: &str = "Local user";

/// The app's own sign-up: a user without an X account, signed in.
async fn sign_up(req: HttpRequest, pool: web::Data<store::Pool>) -> HttpResponse {
    let pool = pool.get_ref().clone();
    let created = web::block(
        move || -> Result<store::User, Box<dyn std::error::Error + Send + Sync>> {
            Ok(store::create_user(&mut pool.get()?, LOCAL_USER)?)
        },
    )
    .await;
    match created {
        Ok(Ok(user)) => {
            use actix_web::HttpMessage as _;
            actix_identity::Identity::login(&req.extensions(), user.id.to_string())
                .expect("log in");
            HttpResponse::Ok().body(user.id.to_string())
        }
        Ok(Err(e)) => HttpResponse::InternalServerError().body(e.to_string()),
        Err(e) => HttpResponse::InternalServerError().body(e.to_string()),
    }
}

/// Signs in with any identity string, as an app with identities of its own would.
async fn sign_in_as(req: HttpRequest, identity: web::Path<String>) -> HttpResponse {
    use actix_web::HttpMessage as _;
    match actix_identity::Identity::login(&req.extensions(), identity.into_inner()) {
        Ok(_) => HttpResponse::Ok().finish(),
        Err(e) => HttpResponse::InternalServerError().body(e.to_string()),
    }
}

/// The session's account form token, as a page would render it.
async fn account_form_token(req: HttpRequest) -> HttpResponse {
    use actix_session::SessionExt as _;
    match actix_twitter_login::account_form_token(&req.get_session()) {
        Ok(token) => HttpResponse::Ok().body(token),
        Err(e) => HttpResponse::InternalServerError().body(e.to_string()),
    }
}

/// Redis store options with a key prefix of this app's own: apps of parallel tests share one
/// Redis, and signing a user out everywhere must not reach another test's sessions.
#[cfg(feature = "redis")]
pub fn redis_options(key_prefix: &str) -> actix_twitter_login::RedisStoreOptions {
    actix_twitter_login::RedisStoreOptions {
        key_prefix: key_prefix.to_owned(),
        ..Default::default()
    }
}

#[cfg(feature = "redis")]
pub async fn redis_store(
    url: &str,
    key_prefix: &str,
) -> actix_twitter_login::DeadlineStore<actix_session::storage::RedisSessionStore> {
    let options = redis_options(key_prefix);
    actix_twitter_login::redis_session_store(url, &options)
        .await
        .unwrap_or_else(|e| {
            panic!(
                "cannot reach Redis at {url}: {e}. Set {} to a reachable server.",
                super::backend::REDIS_VAR
            )
        })
}

#[cfg(not(feature = "redis"))]
pub async fn redis_store(_url: &str, _key_prefix: &str) -> MemoryStore {
    panic!("Redis sessions need `--features redis`")
}

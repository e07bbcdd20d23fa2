//! The demo app itself, separate from `main` so the tests can run exactly this app.

use std::{net::TcpListener, time::Duration};

use actix_identity::{IdentityExt as _, IdentityMiddleware};
use actix_session::{config::PersistentSession, SessionMiddleware};
use actix_twitter_login::{
    accounts::Accounts,
    store::{self, DieselResolver, StoreOptions, TokenKeys},
    TwitterLoginMiddleware,
};
use actix_twitter_login_testkit::{MockProvider, MockUser, OAuth2Client, RunningProvider};
use actix_web::{
    cookie::{time, Key},
    dev::Server,
    web, App, HttpRequest, HttpResponse, HttpServer,
};
use tera::{Context, Tera};

use sessions::Sessions;

pub use settings::{Keys, Protocol, Settings};

/// How long a login lasts at most, and without a visit.
const LOGIN_DEADLINE: Duration = Duration::from_secs(7 * 24 * 3600);
const VISIT_DEADLINE: Duration = Duration::from_secs(24 * 3600);
/// How often revocations X failed are tried again.
const REVOCATION_RETRY: Duration = Duration::from_secs(5 * 60);

#[path = "account.rs"]
mod account;
#[path = "sessions.rs"]
mod sessions;
#[path = "settings.rs"]
mod settings;

/// The provider name the local provider's users are stored under (`federated_credentials`'s
/// `provider`): their ids are made up (alice is 1001), and under X's name
/// ([`store::PROVIDER`]) they would be the X accounts of those ids.
pub const LOCAL_PROVIDER: &str = "actix-twitter-login-testkit";

/// The running app.
pub struct Running {
    /// `http://HOST:PORT`.
    pub url: String,
    /// The server; await it to run until stopped.
    pub server: Server,
    /// The local provider, when no X keys were given.
    pub provider: Option<RunningProvider>,
}

/// Opens the database, starts the local provider if needed, and starts the app.
pub async fn start(settings: Settings) -> std::io::Result<Running> {
    let listener = TcpListener::bind((settings.host.as_str(), settings.port))?;
    let address = listener.local_addr()?;
    let url = format!("http://{}:{}", settings.host, address.port());
    let callback_url = settings
        .callback_url
        .clone()
        .unwrap_or_else(|| format!("{url}/oauth/callback/twitter"));

    let pool = store::connect(&settings.database_url, &StoreOptions::default())
        .map_err(std::io::Error::other)?;
    store::run_migrations(&pool).map_err(std::io::Error::other)?;

    let token_keys = settings.token_keys.clone().unwrap_or_else(|| {
        tracing::warn!(
            "TOKEN_KEY is not set: using a random key, so the X tokens stored now will not open \
             after a restart"
        );
        TokenKeys::new("demo-random", &rand::random::<[u8; 32]>()).expect("a 32-byte key")
    });
    let guests = account::Guests::default();
    let resolver = match settings.keys {
        Keys::Local(_) => DieselResolver::new(pool.clone()).provider(LOCAL_PROVIDER),
        _ => DieselResolver::new(pool.clone()),
    }
    .store_tokens(token_keys);
    let mut accounts = Accounts::builder(&resolver)
        .allow_insecure_provider_urls(settings.allow_insecure_provider)
        .other_sign_in(guests.other_sign_in());
    let (builder, provider) = match settings.keys.clone() {
        Keys::OAuth1 { key, secret } => {
            accounts = accounts.oauth1_client(&key, &secret);
            (
                TwitterLoginMiddleware::builder(key, secret, &callback_url),
                None,
            )
        }
        Keys::OAuth2 {
            client_id,
            client_secret,
        } => {
            accounts = accounts.oauth2_client(&client_id, client_secret.as_deref());
            let mut builder = TwitterLoginMiddleware::oauth2_builder(client_id, &callback_url);
            if let Some(secret) = client_secret {
                builder = builder.client_secret(secret);
            }
            if let Some(url) = settings.authorize_url.clone() {
                builder = builder.authorize_url(url);
            }
            (builder, None)
        }
        Keys::Local(protocol) => {
            let (key, secret) = ("local-consumer-key".to_owned(), random_secret());
            let (client_id, client_secret) = ("local-client-id".to_owned(), random_secret());
            accounts = accounts
                .oauth1_client(&key, &secret)
                .oauth2_client(&client_id, Some(&client_secret));
            let provider = MockProvider::builder(&key, &secret)
                .oauth2_client(OAuth2Client::confidential(&client_id, &client_secret))
                .callback_url(&callback_url)
                .user(MockUser::new("1001", "alice", "Alice"))
                .user(MockUser::new("1002", "bob", "Bob"))
                .user(MockUser::new("1003", "carol", "Carol <b>&</b> Co"))
                .start()
                .await?;
            let builder = match protocol {
                Protocol::OAuth1 => TwitterLoginMiddleware::builder(key, secret, &callback_url),
                Protocol::OAuth2 => {
                    TwitterLoginMiddleware::oauth2_builder(client_id, &callback_url)
                        .client_secret(client_secret)
                        .authorize_url(format!("{}/i/oauth2/authorize", provider.base_url()))
                }
            };
            (builder, Some(provider))
        }
    };
    let mut builder = builder
        .failure_redirect("/login")
        .failure_message(true)
        .allow_insecure_provider_urls(settings.allow_insecure_provider)
        .resolve_user(resolver);
    if let Some(scopes) = settings.scopes.clone() {
        builder = builder.scopes(scopes);
    }
    if let Some(base) = provider
        .as_ref()
        .map(RunningProvider::base_url)
        .or(settings.api_base_url)
    {
        builder = builder.api_base_url(&base);
        accounts = accounts.api_base_url(base);
    }
    let accounts = accounts
        .build()
        .map_err(|error| std::io::Error::other(settings::refusal_message(error)))?;
    // Revocations X failed are tried again now and then.
    let retrying = accounts.clone();
    actix_web::rt::spawn(async move {
        let mut interval = actix_web::rt::time::interval(REVOCATION_RETRY);
        loop {
            interval.tick().await;
            if let Err(error) = retrying.retry_revocations().await {
                tracing::warn!(%error, "retrying revocations failed");
            }
        }
    });
    let twitter = builder
        .build()
        .map_err(|error| std::io::Error::other(settings::refusal_message(error)))?;

    // The scheme as the URL parser reads it: `HTTPS://…` is https too.
    let secure_cookies = url::Url::parse(&callback_url).is_ok_and(|url| url.scheme() == "https");
    let cookie_key = settings.session_key.clone().unwrap_or_else(|| {
        tracing::warn!(
            "SESSION_KEY is not set: using a random cookie key, so sessions will not survive a \
             restart and are not shared with other instances"
        );
        Key::generate()
    });
    let sessions = Sessions::new(settings.redis_url.as_deref()).await?;
    let local_provider = provider.is_some();
    let pages = web::Data::new(pages());
    let routes = twitter.routes(); // GET /login, POST /logout
    let server = HttpServer::new(move || {
        let routes = routes.clone();
        let unlink = accounts
            .unlink_route("/unlink/twitter", "/")
            .expect("valid paths");
        App::new()
            .app_data(web::Data::new(pool.clone()))
            .app_data(web::Data::new(accounts.clone()))
            .app_data(web::Data::new(guests.clone()))
            .service(unlink)
            .route("/signup", web::post().to(account::sign_up))
            .app_data(pages.clone())
            .app_data(web::Data::new(LocalProvider(local_provider)))
            .configure(|c| routes.configure(c))
            .route("/", web::get().to(home))
            .route("/me", web::get().to(me))
            .wrap(twitter.clone())
            // A login ends a week after it began, or after a day without a visit. With the
            // cookie store a stolen cookie lives until then; the Redis store revokes at logout.
            .wrap(
                IdentityMiddleware::builder()
                    .login_deadline(Some(LOGIN_DEADLINE))
                    .visit_deadline(Some(VISIT_DEADLINE))
                    .build(),
            )
            .wrap(
                SessionMiddleware::builder(sessions.clone(), cookie_key.clone())
                    .cookie_secure(secure_cookies)
                    .session_lifecycle(
                        PersistentSession::default().session_ttl(time::Duration::days(7)),
                    )
                    .build(),
            )
    })
    .listen(listener)?
    .run();
    Ok(Running {
        url,
        server,
        provider,
    })
}

struct LocalProvider(bool);

fn random_secret() -> String {
    use rand::{distributions::Alphanumeric, Rng as _};
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(40)
        .map(char::from)
        .collect()
}

fn pages() -> Tera {
    let mut tera = Tera::default();
    tera.add_raw_template("index.html", include_str!("index.html"))
        .expect("the demo's page parses");
    tera
}

async fn current_user(req: &HttpRequest, pool: &store::Pool) -> Option<store::User> {
    let id = req.get_identity().ok()?.id().ok()?;
    let pool = pool.clone();
    web::block(move || store::find_user(&pool, &id))
        .await
        .ok()?
        .ok()?
}

async fn home(
    req: HttpRequest,
    pool: web::Data<store::Pool>,
    accounts: web::Data<Accounts>,
    pages: web::Data<Tera>,
    local: web::Data<LocalProvider>,
) -> HttpResponse {
    let mut context = Context::new();
    if let Some(user) = current_user(&req, &pool).await {
        context.insert("id", &user.id);
        context.insert("name", &user.name);
        account::context(&req, &accounts, user.id, &mut context).await;
    }
    context.insert("local_provider", &local.0);
    match pages.render("index.html", &context) {
        Ok(page) => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(page),
        Err(_) => HttpResponse::InternalServerError().body("The page could not be shown."),
    }
}

async fn me(req: HttpRequest, pool: web::Data<store::Pool>) -> HttpResponse {
    match current_user(&req, &pool).await {
        Some(user) => {
            HttpResponse::Ok().json(serde_json::json!({"id": user.id, "name": user.name}))
        }
        None => HttpResponse::Unauthorized().json(serde_json::json!({"error": "not signed in"})),
    }
}

//! `--role floor`: the floor a login cannot go below, to measure what the crate itself costs.
//!
//! The same app as `--role app` (the crate's routes, `/`, `/ping`, the same session and
//! identity middleware, users in a SQLite file) without the `TwitterLoginMiddleware`: its own
//! two handlers serve the login start and the callback, and make the same provider round trips
//! as the crate, unsigned, to the floor provider (`--role floor-provider`), then the same user
//! lookup (`store::find_or_create`) and the same sign-in (`Identity::login`). No signing, no
//! PKCE, one pending login per session, no expiry, no replay set, no constant-time match: only
//! what any hand-written login pays. With `--protocol oauth2` its round trips are OAuth 2.0's.
//!
//! Protocol on stdio: prints `port N` once listening, reads the floor provider's base URL as the
//! first stdin line, prints `ready` once serving.

use std::net::{Ipv4Addr, TcpListener};

use actix_identity::{Identity, IdentityMiddleware};
use actix_session::{storage::CookieSessionStore, Session, SessionMiddleware};
use actix_twitter_login::{
    store::{self, Pool, StoreOptions},
    Profile, TwitterLoginMiddleware,
};
use actix_web::{
    cookie::Key, http::header, web, App, HttpMessage as _, HttpRequest, HttpResponse, HttpServer,
};
use serde::Deserialize;

use super::{
    app::{home, ping, say, WORKERS},
    arg_value, stdin_lines, CALLBACK_PATH, CLIENT_ID, CLIENT_SECRET, CONSUMER_KEY, CONSUMER_SECRET,
};

/// Where the floor keeps its one pending login (the OAuth 1.0a token, or the OAuth 2.0 state).
const PENDING: &str = "floor_pending";
/// The largest provider reply the floor reads.
const MAX_REPLY: usize = 1 << 16;

/// What every worker's handlers share.
struct Floor {
    client: awc::Client,
    provider: String,
    callback: String,
    pool: Pool,
    oauth2: bool,
}

pub fn run(args: &[String]) {
    let database = arg_value(args, "--db").expect("--db <sqlite file>");
    let oauth2 = arg_value(args, "--protocol") == Some("oauth2");

    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind the floor app");
    let port = listener.local_addr().expect("a local address").port();
    say(&format!("port {port}"));
    let commands = stdin_lines();
    let provider = commands
        .recv()
        .expect("the floor provider's base URL on stdin");

    let pool = store::connect(database, &StoreOptions::default()).expect("open the database");
    store::run_migrations(&pool).expect("migrate");
    let key = Key::from(&[7u8; 64]);
    let callback = format!("http://127.0.0.1:{port}{CALLBACK_PATH}");
    // The login page and logout, as the other apps have them.
    let routes = TwitterLoginMiddleware::new(CONSUMER_KEY, CONSUMER_SECRET, &callback)
        .expect("a valid configuration")
        .routes();
    let _ = rustls::crypto::ring::default_provider().install_default();

    actix_web::rt::System::new().block_on(async move {
        let server = HttpServer::new(move || {
            let floor = Floor {
                client: awc::Client::builder()
                    .disable_redirects()
                    .disable_timeout()
                    .finish(),
                provider: provider.clone(),
                callback: callback.clone(),
                pool: pool.clone(),
                oauth2,
            };
            let routes = routes.clone();
            App::new()
                .app_data(web::Data::new(floor))
                .configure(|c| routes.configure(c))
                .route("/", web::get().to(home))
                .route("/ping", web::get().to(ping))
                .route("/login/twitter", web::get().to(start))
                .route(CALLBACK_PATH, web::get().to(callback_route))
                .wrap(IdentityMiddleware::default())
                .wrap(
                    SessionMiddleware::builder(CookieSessionStore::default(), key.clone())
                        .cookie_secure(false)
                        .build(),
                )
        })
        .workers(WORKERS)
        .listen(listener)
        .expect("listen")
        .run();
        say("ready");
        server.await.expect("the floor app runs");
    });
}

/// A failed leg: the failure page with its message, as the crate answers one.
fn failure(reason: impl std::fmt::Display) -> HttpResponse {
    HttpResponse::BadGateway().body(format!("<p role=\"alert\">{reason}</p>"))
}

fn redirect(location: &str) -> HttpResponse {
    HttpResponse::Found()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// `GET /login/twitter`: 1.0a asks for a request token; 2.0 draws a state. Either is kept in
/// the session, and the browser is sent to the provider.
async fn start(floor: web::Data<Floor>, session: Session) -> HttpResponse {
    let (pending, location) = if floor.oauth2 {
        let state = format!("{:032x}", rand::random::<u128>());
        let query = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("response_type", "code")
            .append_pair("client_id", CLIENT_ID)
            .append_pair("redirect_uri", &floor.callback)
            .append_pair("scope", "tweet.read users.read")
            .append_pair("state", &state)
            .finish();
        let location = format!("{}/i/oauth2/authorize?{query}", floor.provider);
        (state, location)
    } else {
        let reply = floor
            .post(
                "/oauth/request_token",
                &[("oauth_callback", floor.callback.as_str())],
            )
            .await;
        let token = match reply.map(|body| form_value(&body, "oauth_token")) {
            Ok(Some(token)) => token,
            Ok(None) => return failure("request_token: no oauth_token"),
            Err(e) => return failure(e),
        };
        let location = format!("{}/oauth/authenticate?oauth_token={token}", floor.provider);
        (token, location)
    };
    if let Err(e) = session.insert(PENDING, pending) {
        return failure(e);
    }
    redirect(&location)
}

#[derive(Deserialize)]
struct CallbackQuery {
    oauth_token: Option<String>,
    oauth_verifier: Option<String>,
    code: Option<String>,
    state: Option<String>,
}

/// The callback: the pending login taken from the session and matched, the grant exchanged,
/// the profile fetched, the user found or created, and the user signed in.
async fn callback_route(
    request: HttpRequest,
    floor: web::Data<Floor>,
    session: Session,
    query: web::Query<CallbackQuery>,
) -> HttpResponse {
    let pending = session.remove_as::<String>(PENDING).and_then(Result::ok);
    let query = query.into_inner();
    let (matched, grant) = if floor.oauth2 {
        (query.state, query.code)
    } else {
        (query.oauth_token, query.oauth_verifier)
    };
    let (Some(pending), Some(matched), Some(grant)) = (pending, matched, grant) else {
        return failure("no pending login, or an incomplete callback");
    };
    if pending != matched {
        return failure("not this session's pending login");
    }
    let access_token = match floor.exchange(&pending, &grant).await {
        Ok(token) => token,
        Err(e) => return failure(e),
    };
    let profile = match floor.profile(&access_token).await {
        Ok(profile) => profile,
        Err(e) => return failure(e),
    };
    let pool = floor.pool.clone();
    let found = web::block(move || {
        let mut conn = pool.get().map_err(|e| e.to_string())?;
        store::find_or_create(&mut conn, &profile).map_err(|e| e.to_string())
    })
    .await;
    let user = match found {
        Ok(Ok(user)) => user,
        Ok(Err(e)) => return failure(e),
        Err(e) => return failure(e),
    };
    if let Err(e) = Identity::login(&request.extensions(), user.id.to_string()) {
        return failure(e);
    }
    redirect("/")
}

#[derive(Deserialize)]
struct TokenReply {
    access_token: String,
}

#[derive(Deserialize)]
struct UsersMe {
    data: UserData,
}

#[derive(Deserialize)]
struct UserData {
    id: String,
    username: String,
    name: Option<String>,
}

impl Floor {
    /// The grant (1.0a verifier, 2.0 authorization code) for an access token.
    async fn exchange(&self, pending: &str, grant: &str) -> Result<String, String> {
        if self.oauth2 {
            let body = self
                .post(
                    "/2/oauth2/token",
                    &[
                        ("grant_type", "authorization_code"),
                        ("code", grant),
                        ("redirect_uri", &self.callback),
                        ("client_id", CLIENT_ID),
                        ("client_secret", CLIENT_SECRET),
                    ],
                )
                .await?;
            serde_json::from_slice::<TokenReply>(&body)
                .map(|reply| reply.access_token)
                .map_err(|e| format!("token: {e}"))
        } else {
            let body = self
                .post(
                    "/oauth/access_token",
                    &[("oauth_token", pending), ("oauth_verifier", grant)],
                )
                .await?;
            form_value(&body, "oauth_token").ok_or_else(|| "access_token: no oauth_token".into())
        }
    }

    /// `/2/users/me` with the access token.
    async fn profile(&self, access_token: &str) -> Result<Profile, String> {
        let mut response = self
            .client
            .get(format!("{}/2/users/me", self.provider))
            .insert_header((header::AUTHORIZATION, format!("Bearer {access_token}")))
            .send()
            .await
            .map_err(|e| format!("users/me: {e}"))?;
        let body = response
            .body()
            .limit(MAX_REPLY)
            .await
            .map_err(|e| format!("users/me: {e}"))?;
        if !response.status().is_success() {
            return Err(format!("users/me: {}", response.status()));
        }
        let me: UsersMe = serde_json::from_slice(&body).map_err(|e| format!("users/me: {e}"))?;
        let mut profile = Profile::new(&me.data.id, &me.data.username);
        profile.display_name = me.data.name;
        Ok(profile)
    }

    /// A form POST to the floor provider; the reply's body.
    async fn post(&self, path: &str, form: &[(&str, &str)]) -> Result<Vec<u8>, String> {
        let mut response = self
            .client
            .post(format!("{}{path}", self.provider))
            .send_form(&form)
            .await
            .map_err(|e| format!("{path}: {e}"))?;
        let body = response
            .body()
            .limit(MAX_REPLY)
            .await
            .map_err(|e| format!("{path}: {e}"))?;
        if !response.status().is_success() {
            return Err(format!("{path}: {}", response.status()));
        }
        Ok(body.to_vec())
    }
}

/// The value of `name` in a form-encoded body.
fn form_value(body: &[u8], name: &str) -> Option<String> {
    url::form_urlencoded::parse(body)
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

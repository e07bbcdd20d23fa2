//! `--role floor-provider`: the provider of the floor apps. It answers the same round trips as
//! the test kit's provider, in the same shapes, but unsigned and unchecked: the verifier and the
//! authorization code are the account number, the access token names the account. It is only
//! as strict as the virtual browser needs (an unknown request token is refused), so that the
//! floor apps pay for the round trips and nothing else.
//!
//! Protocol on stdio: prints `port N` once listening; exits when stdin closes.

use std::{
    collections::HashMap,
    net::{Ipv4Addr, TcpListener},
    sync::{
        atomic::{AtomicU64, Ordering},
        Mutex,
    },
};

use actix_web::{http::header, web, App, HttpRequest, HttpResponse, HttpServer};
use serde::Deserialize;

use super::{app::say, screen_name, stdin_lines, twitter_id};

/// The request tokens issued and not yet approved, with the callback each was issued for.
#[derive(Default)]
struct Issued {
    next: AtomicU64,
    callbacks: Mutex<HashMap<String, String>>,
}

pub fn run(_args: &[String]) {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind the floor provider");
    say(&format!(
        "port {}",
        listener.local_addr().expect("an address").port()
    ));
    // Exits the process when the orchestrator closes stdin.
    let _commands = stdin_lines();
    let issued = web::Data::new(Issued::default());
    actix_web::rt::System::new().block_on(async move {
        HttpServer::new(move || {
            App::new()
                .app_data(issued.clone())
                .route("/oauth/request_token", web::post().to(request_token))
                .route("/oauth/authenticate/approve", web::get().to(approve))
                .route("/oauth/access_token", web::post().to(access_token))
                .route("/i/oauth2/authorize/approve", web::get().to(authorize))
                .route("/2/oauth2/token", web::post().to(token))
                .route("/2/users/me", web::get().to(users_me))
        })
        .workers(2)
        .listen(listener)
        .expect("listen")
        .run()
        .await
        .expect("the floor provider runs");
    });
}

fn form(body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/x-www-form-urlencoded")
        .body(body)
}

fn refused(why: &str) -> HttpResponse {
    HttpResponse::BadRequest().body(why.to_owned())
}

/// The account number of a handle `uN`.
fn account(user: &str) -> Option<usize> {
    user.strip_prefix('u')?.parse().ok()
}

#[derive(Deserialize)]
struct RequestToken {
    oauth_callback: String,
}

async fn request_token(issued: web::Data<Issued>, form_: web::Form<RequestToken>) -> HttpResponse {
    let n = issued.next.fetch_add(1, Ordering::Relaxed);
    let token = format!("floor-request-token-{n}");
    issued
        .callbacks
        .lock()
        .expect("not poisoned")
        .insert(token.clone(), form_.into_inner().oauth_callback);
    form(format!(
        "oauth_token={token}&oauth_token_secret=floor-request-secret-{n}&oauth_callback_confirmed=true"
    ))
}

#[derive(Deserialize)]
struct Approve {
    oauth_token: String,
    user: String,
}

/// The user approves: back to the callback, with the account number as the verifier.
async fn approve(issued: web::Data<Issued>, query: web::Query<Approve>) -> HttpResponse {
    let callback = issued
        .callbacks
        .lock()
        .expect("not poisoned")
        .remove(&query.oauth_token);
    let (Some(callback), Some(n)) = (callback, account(&query.user)) else {
        return refused("unknown request token or user");
    };
    let location = format!(
        "{callback}?oauth_token={}&oauth_verifier={n}",
        query.oauth_token
    );
    HttpResponse::Found()
        .insert_header((header::LOCATION, location))
        .finish()
}

#[derive(Deserialize)]
struct AccessToken {
    oauth_verifier: usize,
}

async fn access_token(form_: web::Form<AccessToken>) -> HttpResponse {
    let n = form_.oauth_verifier;
    form(format!(
        "oauth_token={n}-floor-access-token&oauth_token_secret=floor-token-secret-{n}\
         &user_id={}&screen_name={}",
        twitter_id(n),
        screen_name(n)
    ))
}

#[derive(Deserialize)]
struct Authorize {
    redirect_uri: String,
    state: String,
    user: String,
}

/// The user approves: back to the redirect URI, with the account number as the code.
async fn authorize(query: web::Query<Authorize>) -> HttpResponse {
    let Some(n) = account(&query.user) else {
        return refused("unknown user");
    };
    let state: String = url::form_urlencoded::byte_serialize(query.state.as_bytes()).collect();
    let location = format!("{}?state={state}&code={n}", query.redirect_uri);
    HttpResponse::Found()
        .insert_header((header::LOCATION, location))
        .finish()
}

#[derive(Deserialize)]
struct Token {
    code: usize,
}

async fn token(form_: web::Form<Token>) -> HttpResponse {
    let n = form_.code;
    HttpResponse::Ok().json(serde_json::json!({
        "token_type": "bearer",
        "expires_in": 7200,
        "access_token": format!("{n}-floor-access-token"),
        "scope": "tweet.read users.read",
    }))
}

/// The account the bearer (or 1.0a) access token names.
async fn users_me(request: HttpRequest) -> HttpResponse {
    let n = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .and_then(|token| token.split_once('-'))
        .and_then(|(n, _)| n.parse::<usize>().ok());
    let Some(n) = n else {
        return HttpResponse::Unauthorized().finish();
    };
    HttpResponse::Ok().json(serde_json::json!({
        "data": {"id": twitter_id(n), "name": format!("User {n}"), "username": screen_name(n)}
    }))
}

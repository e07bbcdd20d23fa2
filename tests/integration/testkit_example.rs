//! How an app tests its own "Sign in with Twitter" with the test kit: the app in-process (as
//! `actix_web::test` serves it), the kit's provider on loopback, and the three hops of a login
//! driven by hand. The testkit's README points here.

use actix_identity::{Identity, IdentityMiddleware};
use actix_session::{storage::CookieSessionStore, SessionMiddleware};
use actix_twitter_login::TwitterLoginMiddleware;
use actix_twitter_login_testkit::{MockEndpoint, MockProvider, MockUser};
use actix_web::{
    cookie::{Cookie, Key},
    dev::ServiceResponse,
    http::header,
    test, web, App, HttpResponse,
};

/// The callback URL the app registers (with X, and here with the kit). The app itself is not
/// listening there: the test hands the callback's path and query to the in-process app.
const CALLBACK_URL: &str = "http://127.0.0.1:8080/oauth/callback/twitter";

async fn me(identity: Option<Identity>) -> HttpResponse {
    match identity.and_then(|identity| identity.id().ok()) {
        Some(id) => HttpResponse::Ok().body(id),
        None => HttpResponse::Unauthorized().finish(),
    }
}

fn location<B>(response: &ServiceResponse<B>) -> String {
    response
        .headers()
        .get(header::LOCATION)
        .expect("a redirect")
        .to_str()
        .expect("an ASCII location")
        .to_owned()
}

fn session_cookie<B>(response: &ServiceResponse<B>) -> Cookie<'static> {
    response
        .response()
        .cookies()
        .find(|cookie| cookie.name() == "id")
        .expect("the session cookie")
        .into_owned()
}

fn query_value(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

#[actix_web::test]
async fn an_app_signs_a_user_in_against_the_test_kit() {
    let provider = MockProvider::builder("app-key", "app-secret")
        .callback_url(CALLBACK_URL)
        .user(MockUser::new("1001", "alice", "Alice"))
        .start()
        .await
        .expect("the provider starts");
    let twitter = TwitterLoginMiddleware::builder("app-key", "app-secret", CALLBACK_URL)
        .api_base_url(provider.base_url())
        .build()
        .expect("a valid configuration");
    let app = test::init_service(
        App::new()
            .route("/me", web::get().to(me))
            .wrap(twitter)
            .wrap(IdentityMiddleware::default())
            .wrap(
                SessionMiddleware::builder(CookieSessionStore::default(), Key::from(&[7; 64]))
                    .cookie_name("id".into())
                    .cookie_secure(false)
                    .build(),
            ),
    )
    .await;

    // 1. The login starts: the app asks the provider for temporary credentials (a signed call
    //    the provider verifies) and sends the browser to the authorization page.
    let start = test::call_service(
        &app,
        test::TestRequest::get().uri("/login/twitter").to_request(),
    )
    .await;
    assert_eq!(start.status(), 302);
    let authorize = location(&start);
    assert!(authorize.starts_with(&format!("{}/oauth/authenticate?", provider.base_url())));
    let token = query_value(&authorize, "oauth_token").expect("oauth_token");
    let cookie = session_cookie(&start);

    // 2. The user approves as alice: the provider redirects to the callback URL.
    let http = awc::Client::builder().disable_redirects().finish();
    let approved = http
        .get(format!(
            "{}/oauth/authenticate/approve?oauth_token={token}&user=alice",
            provider.base_url()
        ))
        .send()
        .await
        .expect("the provider answers");
    assert_eq!(approved.status(), 302);
    let callback = approved
        .headers()
        .get(header::LOCATION)
        .expect("a redirect")
        .to_str()
        .unwrap()
        .to_owned();
    let path_and_query = callback
        .strip_prefix("http://127.0.0.1:8080")
        .expect("the callback URL");

    // 3. The callback: the app exchanges the verifier for token credentials, reads the profile
    //    and signs alice in (the default identity is `twitter:<id>`).
    let done = test::call_service(
        &app,
        test::TestRequest::get()
            .uri(path_and_query)
            .cookie(cookie)
            .to_request(),
    )
    .await;
    assert_eq!(done.status(), 302);
    assert_eq!(location(&done), "/");
    let me = test::call_service(
        &app,
        test::TestRequest::get()
            .uri("/me")
            .cookie(session_cookie(&done))
            .to_request(),
    )
    .await;
    assert_eq!(me.status(), 200);
    assert_eq!(test::read_body(me).await, "twitter:1001");

    // Every request the app signed passed the provider's own signature check.
    assert_eq!(provider.rejected(), 0);
    assert_eq!(provider.requests(MockEndpoint::AccessToken), 1);
    provider.stop().await;
}

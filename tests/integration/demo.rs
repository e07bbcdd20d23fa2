//! The demo app, exactly as `cargo run --example demo` runs it, clicked through offline.

/// The account part: connect and disconnect X.
mod accounts;
#[path = "../../examples/demo/app.rs"]
mod app;
/// Settings the demo refuses to start with.
mod refusals;

use actix_twitter_login::{
    store::{self, DieselResolver, StoreOptions},
    Credentials, Profile, ResolveUser, Secret, TokenCredentials, Verdict,
};
use diesel::{prelude::*, sql_types::Text};

use crate::common::{approve, query_value, Browser};

#[actix_web::test]
async fn the_demo_signs_in_shows_the_name_escaped_and_signs_out() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("demo.db").to_str().unwrap().to_owned();
    // As a fresh machine runs it: no X keys, no Redis, no session key; but a database of
    // its own, which DEMO_OFFLINE says is meant.
    let settings = app::Settings::from_vars(|name| match name {
        "PORT" => Some("0".into()),
        "DATABASE_URL" => Some(database.clone()),
        "DEMO_OFFLINE" => Some("1".into()),
        "TWITTER_API_KEY" => Some(String::new()), // empty is unset
        _ => None,
    })
    .expect("the settings");
    assert_eq!(settings.keys, app::Keys::Local(app::Protocol::OAuth1));
    assert!(settings.session_key.is_none());
    assert_eq!(settings.host, "127.0.0.1");
    let running = app::start(settings).await.expect("the demo starts");
    let url = running.url.clone();
    let provider = running
        .provider
        .as_ref()
        .expect("no keys: the local provider runs")
        .base_url();
    let handle = running.server.handle();
    actix_web::rt::spawn(running.server);

    let browser = Browser::new();
    let home = browser.get(&format!("{url}/")).await;
    assert!(home.body.contains("You are not signed in"), "{}", home.body);
    let login = browser.get(&format!("{url}/login")).await;
    assert!(login.body.contains("Sign in with Twitter"));
    assert_eq!(browser.get(&format!("{url}/me")).await.status, 401);

    // The local provider's sign-in page lists its users.
    let start = browser.get(&format!("{url}/login/twitter")).await;
    let authenticate = start.location.expect("to the provider");
    assert!(authenticate.starts_with(&provider), "{authenticate}");
    let page = browser.get(&authenticate).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("carol"), "{}", page.body);
    let token = query_value(&authenticate, "oauth_token").unwrap();
    let approve = browser
        .get(&format!(
            "{provider}/oauth/authenticate/approve?oauth_token={token}&user=carol"
        ))
        .await;
    let done = browser
        .get(&approve.location.expect("to the callback"))
        .await;
    assert_eq!(done.location.as_deref(), Some("/"), "{}", done.body);
    // A login's life is bounded: the session cookie expires (7 days), it is not for ever.
    assert!(
        done.set_cookies
            .iter()
            .any(|c| c.starts_with("id=") && c.contains("Max-Age=604800")),
        "{:?}",
        done.set_cookies
    );

    let home = browser.get(&format!("{url}/")).await;
    assert!(
        home.body.contains("Carol &lt;b&gt;&amp;&lt;&#x2F;b&gt; Co"),
        "{}",
        home.body
    );
    assert!(!home.body.contains("<b>&</b>"));
    let me: serde_json::Value =
        serde_json::from_str(&browser.get(&format!("{url}/me")).await.body).unwrap();
    assert_eq!(me["name"], "Carol <b>&</b> Co");
    assert!(me["id"].is_number());

    // carol is the local provider's 1003, stored under its name: for X's resolver, the X
    // account 1003 is someone else.
    assert_eq!(
        credentials(&database),
        [(app::LOCAL_PROVIDER.to_owned(), "1003".to_owned())]
    );
    let pool = store::connect(&database, &StoreOptions::default()).unwrap();
    let token = Credentials::OAuth1(TokenCredentials {
        token: "1003-token".into(),
        secret: Secret::new("token-secret"),
    });
    let at_x = DieselResolver::new(pool)
        .resolve(token, Profile::new("1003", "carol"))
        .await
        .expect("X's 1003 signs in");
    assert_ne!(at_x, Verdict::User(me["id"].to_string()));

    let out = browser.post(&format!("{url}/logout")).await;
    assert_eq!(out.status, 303);
    assert!(browser
        .get(&format!("{url}/"))
        .await
        .body
        .contains("You are not signed in"));
    handle.stop(false).await;
}

/// The session cookie is `Secure` when the callback URL is https, whatever the case of its
/// scheme, and only then.
#[actix_web::test]
async fn the_session_cookie_is_secure_when_the_callback_url_is_https() {
    for (callback, secure) in [
        ("HTTPS://demo.example/oauth/callback/twitter", true),
        ("https://demo.example/oauth/callback/twitter", true),
        ("http://demo.example/oauth/callback/twitter", false),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let database = dir.path().join("demo.db").to_str().unwrap().to_owned();
        let settings = app::Settings::from_vars(|name| match name {
            "PORT" => Some("0".into()),
            "DATABASE_URL" => Some(database.clone()),
            "DEMO_OFFLINE" => Some("1".into()),
            "TWITTER_CALLBACK_URL" => Some(callback.into()),
            _ => None,
        })
        .expect("the settings");
        let running = app::start(settings).await.expect("the demo starts");
        let (url, handle) = (running.url.clone(), running.server.handle());
        actix_web::rt::spawn(running.server);

        // Starting a login keeps the pending login in the session cookie.
        let start = Browser::new().get(&format!("{url}/login/twitter")).await;
        assert_eq!(start.status, 302, "{}", start.body);
        let cookie = start
            .set_cookies
            .iter()
            .find(|raw| raw.starts_with("id="))
            .expect("the session cookie");
        let attributes: Vec<String> = cookie
            .split(';')
            .skip(1)
            .map(|attribute| attribute.trim().to_ascii_lowercase())
            .collect();
        assert_eq!(
            attributes.iter().any(|attribute| attribute == "secure"),
            secure,
            "{callback}: {cookie}"
        );
        handle.stop(false).await;
        running.provider.expect("the local provider").stop().await;
    }
}

#[derive(QueryableByName)]
struct Credential {
    #[diesel(sql_type = Text)]
    provider: String,
    #[diesel(sql_type = Text)]
    subject: String,
}

/// Every `(provider, subject)` of the demo's SQLite database, in the order they were made.
fn credentials(database: &str) -> Vec<(String, String)> {
    let mut conn = SqliteConnection::establish(database).unwrap();
    diesel::sql_query("SELECT provider, subject FROM federated_credentials ORDER BY id")
        .load::<Credential>(&mut conn)
        .unwrap()
        .into_iter()
        .map(|credential| (credential.provider, credential.subject))
        .collect()
}

/// Each bad setting is refused with a message naming the variable.
#[test]
fn bad_demo_settings_are_named() {
    let refused = |name: &'static str, value: &'static str| {
        let lookup = move |var: &str| (var == name).then(|| value.to_owned());
        match app::Settings::from_vars(lookup) {
            Ok(_) => panic!("{name}={value} was accepted"),
            Err(message) => message,
        }
    };
    assert!(refused("PORT", "eighty").contains("PORT"));
    assert!(refused("TWITTER_API_KEY", "key").contains("TWITTER_API_SECRET"));
    assert!(refused("TWITTER_PROTOCOL", "oauth3").contains("TWITTER_PROTOCOL"));
    let flag = "TWITTER_ALLOW_INSECURE_PROVIDER";
    assert!(refused(flag, "yes").contains(flag));
    let both = |var: &str| match var {
        "TWITTER_CLIENT_ID" | "TWITTER_API_KEY" | "TWITTER_API_SECRET" => Some("x".to_owned()),
        _ => None,
    };
    let error = app::Settings::from_vars(both)
        .err()
        .expect("both protocols refused");
    assert!(error.contains("not both"), "{error}");
    assert!(refused("SESSION_KEY", "zz").contains("not hex"));
    assert!(refused("SESSION_KEY", "abab").contains("at least 64"));
    let key = "ab".repeat(64);
    let settings = app::Settings::from_vars(|var| match var {
        "SESSION_KEY" => Some(key.clone()),
        "DEMO_OFFLINE" => Some("1".into()),
        _ => None,
    })
    .expect("a 64-byte key");
    assert!(settings.session_key.is_some());
}

/// `TWITTER_CLIENT_ID` picks OAuth 2.0 (public without `TWITTER_CLIENT_SECRET`).
#[test]
fn the_keys_pick_the_protocol() {
    let vars = |pairs: &'static [(&'static str, &'static str)]| {
        move |var: &str| {
            pairs
                .iter()
                .find(|(name, _)| *name == var)
                .map(|(_, value)| (*value).to_owned())
        }
    };
    let settings = app::Settings::from_vars(vars(&[("TWITTER_CLIENT_ID", "id")])).unwrap();
    assert_eq!(
        settings.keys,
        app::Keys::OAuth2 {
            client_id: "id".into(),
            client_secret: None
        }
    );
    let settings = app::Settings::from_vars(vars(&[
        ("TWITTER_API_KEY", "k"),
        ("TWITTER_API_SECRET", "s"),
    ]))
    .unwrap();
    assert_eq!(
        settings.keys,
        app::Keys::OAuth1 {
            key: "k".into(),
            secret: "s".into()
        }
    );
    let settings = app::Settings::from_vars(vars(&[("TWITTER_PROTOCOL", "oauth2")])).unwrap();
    assert_eq!(settings.keys, app::Keys::Local(app::Protocol::OAuth2));
}

#[actix_web::test]
async fn the_offline_demo_signs_in_with_oauth2_too() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("demo.db").to_str().unwrap().to_owned();
    let settings = app::Settings::from_vars(|name| match name {
        "PORT" => Some("0".into()),
        "DATABASE_URL" => Some(database.clone()),
        "DEMO_OFFLINE" => Some("1".into()),
        "TWITTER_PROTOCOL" => Some("oauth2".into()),
        _ => None,
    })
    .expect("the settings");
    let running = app::start(settings).await.expect("the demo starts");
    let (url, handle) = (running.url.clone(), running.server.handle());
    let provider = running
        .provider
        .as_ref()
        .expect("the local provider")
        .base_url();
    actix_web::rt::spawn(running.server);
    let browser = Browser::new();
    let callback = approve(&browser, &url, &provider, "carol").await;
    assert!(
        callback.contains("code=") && callback.contains("state="),
        "{callback}"
    );
    let done = browser.get(&callback).await;
    assert_eq!(done.location.as_deref(), Some("/"), "{}", done.body);
    let me: serde_json::Value =
        serde_json::from_str(&browser.get(&format!("{url}/me")).await.body).unwrap();
    assert_eq!(me["name"], "Carol <b>&</b> Co");
    handle.stop(false).await;
}

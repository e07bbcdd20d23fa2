//! Settings the demo refuses to start with, each named with why and what to set, and the
//! opt-ins that allow them.

use super::app;

/// Starts the demo with these variables, on a free port and a database of its own, and stops
/// it; the message it refused with, if it did not start.
async fn start(vars: &[(&str, &str)]) -> Result<(), String> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let database = dir.path().join("demo.db").to_str().unwrap().to_owned();
    let lookup = |name: &str| match name {
        "PORT" => Some("0".to_owned()),
        "DATABASE_URL" => Some(database.clone()),
        _ => vars
            .iter()
            .find(|(var, _)| *var == name)
            .map(|(_, value)| (*value).to_owned()),
    };
    let running = app::start(app::Settings::from_vars(lookup)?)
        .await
        .map_err(|error| error.to_string())?;
    let handle = running.server.handle();
    actix_web::rt::spawn(running.server);
    handle.stop(false).await;
    Ok(())
}

const OAUTH1_KEYS: [(&str, &str); 2] = [("TWITTER_API_KEY", "k"), ("TWITTER_API_SECRET", "s")];
const OAUTH2_KEYS: [(&str, &str); 1] = [("TWITTER_CLIENT_ID", "id")];

/// The message names the variable and its value, says why, and what to set instead.
fn assert_explains(message: &str, variable: &str, value: &str) {
    for said in [
        variable,
        value,
        "any user id",
        "https",
        "TWITTER_ALLOW_INSECURE_PROVIDER=1",
    ] {
        assert!(message.contains(said), "{said:?} in {message}");
    }
}

#[actix_web::test]
async fn a_plain_http_api_base_url_is_refused_with_what_to_set() {
    let url = "http://api.example.com";
    for keys in [&OAUTH1_KEYS[..], &OAUTH2_KEYS[..]] {
        let vars = [keys, &[("TWITTER_API_BASE_URL", url)]].concat();
        let message = start(&vars)
            .await
            .expect_err("a plain-http provider is refused");
        assert_explains(&message, "TWITTER_API_BASE_URL", url);
    }
}

#[actix_web::test]
async fn a_plain_http_authorize_url_is_refused_with_what_to_set() {
    let url = "http://x.example.com/i/oauth2/authorize";
    let vars = [&OAUTH2_KEYS[..], &[("TWITTER_AUTHORIZE_URL", url)]].concat();
    let message = start(&vars)
        .await
        .expect_err("a plain-http provider is refused");
    assert_explains(&message, "TWITTER_AUTHORIZE_URL", url);
}

#[actix_web::test]
async fn the_opt_in_starts_the_demo_on_a_plain_http_provider() {
    let insecure = [
        ("TWITTER_API_BASE_URL", "http://api.example.com"),
        (
            "TWITTER_AUTHORIZE_URL",
            "http://x.example.com/i/oauth2/authorize",
        ),
        ("TWITTER_ALLOW_INSECURE_PROVIDER", "1"),
    ];
    for keys in [&OAUTH1_KEYS[..], &OAUTH2_KEYS[..]] {
        let vars = [keys, &insecure[..]].concat();
        start(&vars).await.expect("the demo starts");
    }
}

#[actix_web::test]
async fn a_plain_http_provider_on_loopback_needs_no_opt_in() {
    let loopback = [
        ("TWITTER_API_BASE_URL", "http://127.0.0.1:9000"),
        (
            "TWITTER_AUTHORIZE_URL",
            "http://localhost:9000/i/oauth2/authorize",
        ),
    ];
    let vars = [&OAUTH2_KEYS[..], &loopback[..]].concat();
    start(&vars).await.expect("the demo starts");
}

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

/// The settings these variables make, or the message they are refused with.
fn settings(vars: &[(&str, &str)]) -> Result<app::Settings, String> {
    app::Settings::from_vars(|name| {
        vars.iter()
            .find(|(var, _)| *var == name)
            .map(|(_, value)| (*value).to_owned())
    })
}

fn refused(vars: &[(&str, &str)]) -> String {
    match settings(vars) {
        Ok(_) => panic!("{vars:?} was accepted"),
        Err(message) => message,
    }
}

/// Without X keys, next to any setting of a deployment, the demo refuses to run the local
/// provider, naming the settings it found and what to set.
#[test]
fn the_offline_demo_refuses_a_deployments_settings() {
    let key = "ab".repeat(64);
    let deployment = [
        ("DATABASE_URL", "postgres://app@db.internal/app"),
        ("REDIS_URL", "redis://127.0.0.1:6379"),
        ("SESSION_KEY", key.as_str()),
    ];
    for (name, value) in deployment
        .iter()
        .chain([&("DATABASE_URL", "/srv/users.db")])
    {
        let message = refused(&[(name, value)]);
        for said in [
            name,
            "DEMO_OFFLINE=1",
            "TWITTER_CLIENT_ID",
            "TWITTER_API_KEY",
        ] {
            assert!(message.contains(said), "{said:?} in {message}");
        }
    }
    for protocol in ["oauth1", "oauth2"] {
        let vars = [&deployment[..], &[("TWITTER_PROTOCOL", protocol)][..]].concat();
        let message = refused(&vars);
        assert!(
            message.contains("DATABASE_URL, REDIS_URL, SESSION_KEY are set"),
            "{message}"
        );
    }
}

#[test]
fn demo_offline_runs_the_local_provider_beside_them() {
    let key = "ab".repeat(64);
    let vars = [
        ("DATABASE_URL", "postgres://app@db.internal/app"),
        ("REDIS_URL", "redis://127.0.0.1:6379"),
        ("SESSION_KEY", key.as_str()),
        ("DEMO_OFFLINE", "1"),
    ];
    let settings = settings(&vars).expect("asked for");
    assert_eq!(settings.keys, app::Keys::Local(app::Protocol::OAuth1));
}

/// The first screen's `cargo run --example demo`: no setting at all, or the defaults named.
#[test]
fn a_fresh_machine_needs_no_setting() {
    for vars in [
        &[][..],
        &[("DATABASE_URL", "twitter-login.db"), ("PORT", "8081")],
    ] {
        let settings = settings(vars).expect("the offline demo");
        assert_eq!(settings.keys, app::Keys::Local(app::Protocol::OAuth1));
        assert_eq!(settings.database_url, "twitter-login.db");
    }
}

#[test]
fn demo_offline_with_x_keys_is_refused() {
    for keys in [&OAUTH1_KEYS[..], &OAUTH2_KEYS[..]] {
        let vars = [keys, &[("DEMO_OFFLINE", "1")][..]].concat();
        assert!(refused(&vars).contains("DEMO_OFFLINE=1"));
    }
    assert!(refused(&[("DEMO_OFFLINE", "yes")]).contains("DEMO_OFFLINE"));
}

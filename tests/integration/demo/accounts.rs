//! The demo's account part: a guest connects X and disconnects it; a user who signs in with X
//! only cannot disconnect it.

use crate::common::{approve_redirect, Browser};

use super::app;

/// The home page's form token.
fn csrf_token(page: &str) -> String {
    let (_, rest) = page
        .split_once("name=\"csrf_token\" value=\"")
        .unwrap_or_else(|| panic!("an account form: {page}"));
    rest.split('"').next().unwrap().to_owned()
}

/// The demo running offline with this protocol on a database of its own.
struct Demo {
    url: String,
    provider: String,
    handle: actix_web::dev::ServerHandle,
    _local: actix_twitter_login_testkit::RunningProvider,
    _dir: tempfile::TempDir,
}

async fn demo(protocol: &str) -> Demo {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("demo.db").to_str().unwrap().to_owned();
    let protocol = protocol.to_owned();
    let settings = app::Settings::from_vars(|name| match name {
        "PORT" => Some("0".into()),
        "DATABASE_URL" => Some(database.clone()),
        "DEMO_OFFLINE" => Some("1".into()),
        "TWITTER_PROTOCOL" => Some(protocol.clone()),
        _ => None,
    })
    .expect("the settings");
    let running = app::start(settings).await.expect("the demo starts");
    let local = running.provider.expect("no keys: the local provider runs");
    let (url, handle) = (running.url, running.server.handle());
    actix_web::rt::spawn(running.server);
    Demo {
        url,
        provider: local.base_url(),
        handle,
        _local: local,
        _dir: dir,
    }
}

#[actix_web::test]
async fn a_guest_connects_x_and_disconnects_it() {
    for protocol in ["oauth1", "oauth2"] {
        let Demo {
            url,
            provider,
            handle,
            ..
        } = &demo(protocol).await;
        let browser = Browser::new();
        let signed_up = browser
            .post_with(
                &format!("{url}/signup"),
                &[("Sec-Fetch-Site", "same-origin")],
            )
            .await;
        assert_eq!(signed_up.status, 303, "{}", signed_up.body);
        let home = browser.get(&format!("{url}/")).await.body;
        assert!(home.contains("No X account is connected"), "{home}");

        let connect = browser
            .post_form(
                &format!("{url}/link/twitter"),
                &[("csrf_token", &csrf_token(&home))],
                &[("Sec-Fetch-Site", "same-origin")],
            )
            .await;
        assert_eq!(connect.status, 302, "{protocol}: {}", connect.body);
        let callback =
            approve_redirect(&browser, &connect.location.unwrap(), provider, "alice").await;
        assert_eq!(browser.get(&callback).await.location.as_deref(), Some("/"));
        let home = browser.get(&format!("{url}/")).await.body;
        assert!(
            home.contains("Signed in as <strong>Guest</strong>"),
            "{home}"
        );
        assert!(home.contains("X user <strong>1001</strong>"), "{home}");
        assert!(home.contains("tokens stored"), "{protocol}: {home}");

        let disconnect = browser
            .post_form(
                &format!("{url}/unlink/twitter"),
                &[("csrf_token", &csrf_token(&home))],
                &[("Sec-Fetch-Site", "same-origin")],
            )
            .await;
        assert_eq!(disconnect.status, 303, "{}", disconnect.body);
        let home = browser.get(&format!("{url}/")).await.body;
        assert!(home.contains("Your X account is disconnected."), "{home}");
        assert!(home.contains("No X account is connected"), "{home}");
        handle.stop(false).await;
    }
}

#[actix_web::test]
async fn x_is_not_disconnected_from_a_user_who_has_no_other_way_in() {
    let Demo {
        url,
        provider,
        handle,
        ..
    } = &demo("oauth2").await;
    let browser = Browser::new();
    let start = browser.get(&format!("{url}/login/twitter")).await;
    let callback = approve_redirect(&browser, &start.location.unwrap(), provider, "bob").await;
    browser.get(&callback).await;
    let home = browser.get(&format!("{url}/")).await.body;
    assert!(home.contains("Disconnect X"), "{home}");
    browser
        .post_form(
            &format!("{url}/unlink/twitter"),
            &[("csrf_token", &csrf_token(&home))],
            &[("Sec-Fetch-Site", "same-origin")],
        )
        .await;
    let home = browser.get(&format!("{url}/")).await.body;
    assert!(home.contains("only way to sign in"), "{home}");
    assert!(home.contains("X user <strong>1002</strong>"), "{home}");
    handle.stop(false).await;
}

#[actix_web::test]
async fn a_guest_sign_up_from_another_site_is_refused() {
    let Demo { url, handle, .. } = &demo("oauth1").await;
    let browser = Browser::new();
    let refused = browser
        .post_with(
            &format!("{url}/signup"),
            &[("Sec-Fetch-Site", "cross-site")],
        )
        .await;
    assert_eq!(refused.status, 403);
    assert_eq!(browser.get(&format!("{url}/me")).await.status, 401);
    handle.stop(false).await;
}

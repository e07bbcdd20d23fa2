//! Signing in over OAuth 2.0 (Authorization Code + PKCE): confidential and public clients; deny;
//! forged, foreign and replayed states (a copied old cookie: `callbacks`); no session; an expired code; X's error shapes; the same
//! X account through both protocols; email present, absent and not granted.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use actix_twitter_login::{Credentials, Profile, Verdict};
use actix_twitter_login_testkit::{Fault, MockEndpoint, MockUser};
use futures_util::future::join_all;

use crate::common::{query_value, Browser, Protocol, Setup, TestApp};

const CONFIDENTIAL: Protocol = Protocol::OAuth2Confidential;

fn with_messages(app: Setup) -> Setup {
    app.configure(|b| b.failure_redirect("/login").failure_message(true))
}

async fn messages(app: &TestApp, browser: &Browser) -> String {
    browser.get(&app.url("/login")).await.body
}

/// Starts a login and returns the provider's authorization URL.
async fn start(app: &TestApp, browser: &Browser) -> String {
    let start = browser.get(&app.url("/login/twitter")).await;
    assert_eq!(start.status, 302, "{}", start.body);
    start.location.expect("a redirect to the provider")
}

fn token_calls(app: &TestApp) -> usize {
    app.provider.requests(MockEndpoint::OAuth2Token)
}

#[actix_web::test]
async fn a_confidential_client_signs_in_and_finds_the_user_again() {
    let app = TestApp::setup().protocol(CONFIDENTIAL).start().await;
    let browser = Browser::new();
    let authorize = start(&app, &browser).await;
    assert!(
        authorize.starts_with(&format!("{}/i/oauth2/authorize?", app.provider.base_url())),
        "{authorize}"
    );
    assert_eq!(
        query_value(&authorize, "code_challenge_method").as_deref(),
        Some("S256")
    );
    assert_eq!(
        query_value(&authorize, "response_type").as_deref(),
        Some("code")
    );
    assert_eq!(
        query_value(&authorize, "redirect_uri"),
        Some(app.url("/oauth/callback/twitter"))
    );
    assert!(
        authorize.contains("scope=tweet.read%20users.read"),
        "{authorize}"
    );
    let done = app.login(&browser, "alice").await;
    assert_eq!(done.location.as_deref(), Some("/"), "{}", done.body);
    let (id, name) = app.me(&browser).await.expect("signed in");
    assert_eq!(name, "Alice");
    // Again, in another browser: the same user.
    let other = Browser::new();
    app.login(&other, "alice").await;
    assert_eq!(app.me(&other).await.map(|(id, _)| id), Some(id));
    assert_eq!(
        (app.count("users"), app.count("federated_credentials")),
        (1, 1)
    );
    assert_eq!(app.provider.rejected(), 0);
    assert_eq!(token_calls(&app), 2);
    app.stop().await;
}

#[actix_web::test]
async fn a_public_client_signs_in() {
    let app = TestApp::setup()
        .protocol(Protocol::OAuth2Public)
        .start()
        .await;
    let browser = Browser::new();
    let done = app.login(&browser, "bob").await;
    assert_eq!(done.location.as_deref(), Some("/"), "{}", done.body);
    assert_eq!(
        app.me(&browser).await.map(|(_, name)| name).as_deref(),
        Some("Bob")
    );
    assert_eq!(app.provider.rejected(), 0);
    app.stop().await;
}

#[actix_web::test]
async fn the_resolve_step_gets_the_oauth2_tokens_and_the_email_only_when_granted() {
    for (include_email, with_email, expected) in [
        (true, true, vec!["dana@example.test".to_owned()]),
        // The account has no email.
        (true, false, vec![]),
        // The app does not ask for it (no users.email scope, no confirmed_email field).
        (false, true, vec![]),
    ] {
        let seen: Arc<Mutex<Vec<(Credentials, Profile)>>> = Arc::default();
        let record = Arc::clone(&seen);
        let mut dana = MockUser::new("2001", "dana", "Dana");
        if with_email {
            dana = dana.with_email("dana@example.test");
        }
        let app = TestApp::setup()
            .protocol(CONFIDENTIAL)
            .user(dana)
            .own_resolver()
            .configure(move |b| {
                b.include_email(include_email)
                    .scopes("tweet.read users.read offline.access")
                    .resolve_user(move |credentials, profile: Profile| {
                        record.lock().unwrap().push((credentials, profile.clone()));
                        async move { Ok(Verdict::User(profile.id)) }
                    })
            })
            .start()
            .await;
        let done = app.login(&Browser::new(), "dana").await;
        assert_eq!(done.location.as_deref(), Some("/"), "{}", done.body);
        let seen = seen.lock().unwrap().clone();
        let (credentials, profile) = &seen[0];
        assert_eq!(profile.id, "2001");
        assert_eq!(
            profile.emails, expected,
            "email {include_email} {with_email}"
        );
        let Credentials::OAuth2(token) = credentials else {
            panic!("not OAuth 2.0 credentials: {credentials:?}");
        };
        assert!(!token.token.expose().is_empty());
        assert!(
            token.refresh_token.is_some(),
            "offline.access gives a refresh token"
        );
        assert!(
            token.scopes.iter().any(|s| s == "offline.access"),
            "{:?}",
            token.scopes
        );
        assert_eq!(
            token.scopes.iter().any(|s| s == "users.email"),
            include_email
        );
        // X's access tokens live two hours.
        let lifetime = token
            .expires_at
            .and_then(|at| at.duration_since(std::time::SystemTime::now()).ok())
            .expect("an expiry in the future");
        assert!(lifetime > Duration::from_secs(7100) && lifetime <= Duration::from_secs(7200));
        app.stop().await;
    }
}

#[actix_web::test]
async fn deny_is_the_cancelled_message_and_spends_the_state() {
    let app = with_messages(TestApp::setup().protocol(CONFIDENTIAL))
        .start()
        .await;
    let browser = Browser::new();
    let authorize = start(&app, &browser).await;
    let (_, query) = authorize.split_once('?').unwrap();
    let deny = browser
        .get(&format!(
            "{}/i/oauth2/authorize/deny?{query}",
            app.provider.base_url()
        ))
        .await;
    let callback = deny.location.expect("back to the callback");
    assert_eq!(
        query_value(&callback, "error").as_deref(),
        Some("access_denied")
    );
    let page = browser.get(&callback).await;
    assert_eq!(page.location.as_deref(), Some("/login"));
    assert!(messages(&app, &browser)
        .await
        .contains("You cancelled signing in with Twitter."));
    // The state is spent: a code forged for it afterwards finds nothing (the session is empty
    // now, so the failure page answers it).
    let state = query_value(&authorize, "state").unwrap();
    let forged = browser
        .get(&app.url(&format!(
            "/oauth/callback/twitter?code=forged&state={state}"
        )))
        .await;
    assert_eq!(forged.status, 401, "{}", forged.body);
    assert_eq!(app.me(&browser).await, None);
    assert_eq!(token_calls(&app), 0);
    app.stop().await;
}

#[actix_web::test]
async fn forged_foreign_and_replayed_states_fail_before_any_call_to_x() {
    let app = TestApp::setup().protocol(CONFIDENTIAL).start().await;
    let browser = Browser::new();
    start(&app, &browser).await;
    // A state this session never issued.
    let forged = browser
        .get(&app.url("/oauth/callback/twitter?code=c&state=not-issued"))
        .await;
    assert_eq!(forged.status, 401, "{}", forged.body);
    // Another browser's callback: no pending login there.
    let callback = app.approve(&browser, "alice").await;
    let thief = Browser::new();
    assert_eq!(thief.get(&callback).await.status, 401);
    // The callback itself works once, then never again.
    assert_eq!(browser.get(&callback).await.location.as_deref(), Some("/"));
    assert_eq!(token_calls(&app), 1);
    let replay = browser.get(&callback).await;
    assert_eq!(replay.status, 401, "{}", replay.body);
    assert_eq!(token_calls(&app), 1);
    app.stop().await;
}

#[actix_web::test]
async fn a_callback_without_a_session_fails_cleanly() {
    let app = TestApp::setup().protocol(CONFIDENTIAL).start().await;
    let callback = app.approve(&Browser::new(), "alice").await;
    let page = Browser::new().get(&callback).await;
    assert_eq!(page.status, 401, "{}", page.body);
    assert!(
        page.body
            .contains("expired or was started in another browser"),
        "{}",
        page.body
    );
    assert_eq!(token_calls(&app), 0);
    app.stop().await;
}

#[actix_web::test]
async fn a_code_past_its_lifetime_is_a_failure_page() {
    let app = TestApp::setup()
        .protocol(CONFIDENTIAL)
        .provider(|p| p.code_ttl(Duration::from_millis(200)))
        .start()
        .await;
    let browser = Browser::new();
    let callback = app.approve(&browser, "alice").await;
    // The code's lifetime is the behaviour under test: let it pass.
    actix_web::rt::time::sleep(Duration::from_millis(400)).await;
    let page = browser.get(&callback).await;
    assert_eq!(page.status, 502, "{}", page.body);
    assert_eq!(app.provider.rejected(), 1, "X refused the expired code");
    assert_eq!(app.me(&browser).await, None);
    app.stop().await;
}

#[actix_web::test]
async fn an_error_other_than_denied_on_the_callback_fails_without_a_call() {
    let app = with_messages(TestApp::setup().protocol(CONFIDENTIAL))
        .start()
        .await;
    let browser = Browser::new();
    let state = query_value(&start(&app, &browser).await, "state").unwrap();
    let page = browser
        .get(&app.url(&format!(
            "/oauth/callback/twitter?error=invalid_scope&error_description=bad&state={state}"
        )))
        .await;
    assert_eq!(page.location.as_deref(), Some("/login"));
    let shown = messages(&app, &browser).await;
    assert!(shown.contains("could not confirm your account"), "{shown}");
    assert_eq!(token_calls(&app), 0);
    app.stop().await;
}

#[actix_web::test]
async fn x_s_error_replies_are_failure_pages_with_a_status() {
    let faults = [
        (
            MockEndpoint::OAuth2Token,
            Fault::OAuthError {
                status: 401,
                error: "invalid_client".into(),
                description: "Missing valid authorization header".into(),
            },
            502,
        ),
        (MockEndpoint::OAuth2Token, Fault::RateLimited, 502),
        // A lifetime past the end of time is no expiry, not a panic (the token is then refused
        // at /2/users/me: it is not one the provider issued).
        (
            MockEndpoint::OAuth2Token,
            Fault::Body {
                status: 200,
                content_type: "application/json".into(),
                body: r#"{"token_type":"bearer","access_token":"x","expires_in":18446744073709551615}"#
                    .into(),
            },
            502,
        ),
        (
            MockEndpoint::OAuth2Token,
            Fault::Body {
                status: 201,
                content_type: "application/json".into(),
                body: r#"{"error":"\u001b[31mforged\nlog line"}"#.into(),
            },
            502,
        ),
        (
            MockEndpoint::OAuth2Token,
            Fault::OAuthError {
                status: 400,
                error: "invalid_grant".into(),
                description: "Value passed for the authorization code was invalid.".into(),
            },
            502,
        ),
        (MockEndpoint::OAuth2Token, Fault::Garbage, 502),
        (MockEndpoint::OAuth2Token, Fault::Status(500), 502),
        (
            MockEndpoint::OAuth2Token,
            Fault::Delay(Duration::from_secs(5)),
            504,
        ),
        (MockEndpoint::UsersMe, Fault::CreditsDepleted, 502),
        (MockEndpoint::UsersMe, Fault::RateLimited, 502),
        (MockEndpoint::UsersMe, Fault::ClientNotEnrolled, 502),
    ];
    let app = TestApp::setup().protocol(CONFIDENTIAL).start().await;
    for (endpoint, fault, status) in faults {
        app.provider.clear_faults();
        app.provider.inject(endpoint, fault.clone());
        let browser = Browser::new();
        let page = app.login(&browser, "alice").await;
        assert_eq!(page.status, status, "{endpoint:?} {fault:?}: {}", page.body);
        let message = match status {
            504 => "Twitter did not answer in time.",
            _ => "Twitter could not confirm your account.",
        };
        assert!(page.body.contains(message), "{fault:?}: {}", page.body);
        assert_eq!(app.me(&browser).await, None, "{fault:?}");
    }
    assert_eq!(app.count("users"), 0);
    app.stop().await;
}

#[actix_web::test]
async fn the_same_x_account_is_the_same_user_through_either_protocol() {
    let first = TestApp::setup().start().await;
    let browser = Browser::new();
    first.login(&browser, "alice").await;
    let (oauth1_id, _) = first.me(&browser).await.expect("signed in over OAuth 1.0a");
    let url = first.database.url.clone();
    let second = TestApp::setup()
        .protocol(CONFIDENTIAL)
        .database_url(url)
        .start()
        .await;
    let other = Browser::new();
    let done = second.login(&other, "alice").await;
    assert_eq!(done.location.as_deref(), Some("/"), "{}", done.body);
    let (oauth2_id, _) = second.me(&other).await.expect("signed in over OAuth 2.0");
    assert_eq!(oauth1_id, oauth2_id);
    assert_eq!(first.count("users"), 1);
    second.stop().await;
    first.stop().await;
}

#[actix_web::test]
async fn concurrent_first_logins_make_one_user_per_account() {
    let mut setup = TestApp::setup().protocol(Protocol::OAuth2Public);
    let names: Vec<String> = (0..4).map(|i| format!("p{i}")).collect();
    for (i, name) in names.iter().enumerate() {
        setup = setup.user(MockUser::new(
            format!("{}", 7000 + i),
            name,
            format!("P {i}"),
        ));
    }
    let app = setup.start().await;
    let logins = (0..20).map(|i| {
        let (app, name) = (&app, names[i % 4].clone());
        async move {
            let browser = Browser::new();
            let done = app.login(&browser, &name).await;
            assert_eq!(done.location.as_deref(), Some("/"), "{name}: {}", done.body);
        }
    });
    join_all(logins).await;
    assert_eq!(
        (app.count("users"), app.count("federated_credentials")),
        (4, 4)
    );
    app.stop().await;
}

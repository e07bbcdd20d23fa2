//! Signing a user out everywhere: every Redis session of theirs ends and their stored tokens
//! are revoked at X; other users keep theirs.

use actix_twitter_login::redis_sessions;
use actix_twitter_login_testkit::MockEndpoint;

use crate::common::{app::redis_options, backend::redis_url, Browser, Sessions, TestApp};

#[actix_web::test]
async fn every_session_of_the_user_ends_and_their_tokens_are_revoked() {
    let app = TestApp::setup().sessions(Sessions::Redis).start().await;
    let (laptop, phone, other) = (Browser::new(), Browser::new(), Browser::new());
    app.login(&laptop, "alice").await;
    app.login(&phone, "alice").await;
    app.login(&other, "bob").await;
    let alice: i32 = app.me(&laptop).await.expect("signed in").0.parse().unwrap();
    assert_eq!(
        app.me(&phone).await.map(|(id, _)| id),
        Some(alice.to_string())
    );
    assert_eq!(app.count("federated_tokens"), 2);

    let sessions = redis_sessions(&redis_url(), &redis_options(&app.session_key_prefix))
        .await
        .expect("Redis is reachable");
    let signed_out = app
        .accounts
        .sign_out_everywhere(alice, &sessions)
        .await
        .expect("signed out");
    assert_eq!(signed_out.sessions, 2);
    assert_eq!(signed_out.revocations.revoked, 1);
    assert_eq!(app.provider.requests(MockEndpoint::InvalidateToken), 1);

    assert_eq!(app.me(&laptop).await, None);
    assert_eq!(app.me(&phone).await, None);
    assert!(app.me(&other).await.is_some(), "bob stays signed in");
    assert_eq!(app.count("federated_tokens"), 1, "bob's tokens stay");
    assert_eq!(app.count("federated_credentials"), 2, "the links stay");
    // Alice can sign in again.
    app.login(&laptop, "alice").await;
    assert_eq!(
        app.me(&laptop).await.map(|(id, _)| id),
        Some(alice.to_string())
    );
    app.stop().await;
}

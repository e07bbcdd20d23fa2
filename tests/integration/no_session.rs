//! Requests that come without a session: every failure is answered, and none makes a session
//! to hold its message, so a loop of cookie-less requests stores nothing server-side.

use crate::common::{Browser, Protocol, Sessions, TestApp};

/// Junk callbacks of each protocol: malformed, forged, cancelled, another browser's.
fn junk(protocol: Protocol) -> Vec<&'static str> {
    let mut queries = vec![
        "",
        "?oauth_token=a&oauth_token=b&oauth_verifier=v",
        "?oauth_token=forged&oauth_verifier=v",
        "?denied=forged",
    ];
    if protocol != Protocol::OAuth1 {
        queries = vec![
            "",
            "?code=c&code=d&state=s",
            "?code=forged&state=forged",
            "?error=access_denied&state=forged",
            "?error=server_error&state=forged",
        ];
    }
    queries
}

#[actix_web::test]
async fn cookie_less_failures_store_no_session_and_answer_the_page() {
    for protocol in [Protocol::OAuth1, Protocol::OAuth2Confidential] {
        let app = TestApp::setup()
            .protocol(protocol)
            .sessions(Sessions::Memory)
            .configure(|b| b.failure_redirect("/login").failure_message(true))
            .start()
            .await;
        for round in 0..5 {
            for query in junk(protocol) {
                let page = Browser::new()
                    .get(&app.url(&format!("/oauth/callback/twitter{query}")))
                    .await;
                assert!(
                    page.status.is_client_error(),
                    "{protocol:?} {query}: {}",
                    page.status
                );
                assert!(
                    page.body.contains("<p role=\"alert\">")
                        && !page.body.contains("<p role=\"alert\"></p>"),
                    "{protocol:?} {query}: the page says why: {}",
                    page.body
                );
                assert!(
                    page.set_cookies.is_empty(),
                    "{protocol:?} {query} (round {round}): {:?}",
                    page.set_cookies
                );
            }
        }
        assert!(
            app.memory.keys().is_empty(),
            "{protocol:?}: sessions stored for junk: {}",
            app.memory.keys().len()
        );

        // The same junk from a browser that has a session keeps the redirect and the message.
        let browser = Browser::new();
        let _pending = browser.get(&app.url("/login/twitter")).await;
        assert_eq!(app.memory.keys().len(), 1);
        let page = browser
            .get(&app.url(&format!("/oauth/callback/twitter{}", junk(protocol)[2])))
            .await;
        assert_eq!(page.location.as_deref(), Some("/login"), "{protocol:?}");
        let login = browser.get(&app.url("/login")).await;
        assert!(
            login.body.contains("does not match the one you started"),
            "{protocol:?}: {}",
            login.body
        );
        assert_eq!(app.memory.keys().len(), 1, "{protocol:?}: the same session");
        app.stop().await;
    }
}

//! The OAuth 2.0 authorization page and its approve and deny links.

use super::{oauth2_support::*, support::*};
use crate::{signature::percent_encode, MockProvider, MockUser, OAuth2Client};

const AUTHORIZE: &str = "/i/oauth2/authorize";
const APPROVE: &str = "/i/oauth2/authorize/approve";
const DENY: &str = "/i/oauth2/authorize/deny";
const ERROR_PAGE_TEXT: &str = "You weren't able to give access to the App.";

/// Checks a redirect back to the callback with `error` and, when given, `state`.
fn assert_error_redirect(reply: &Reply, error: &str, state: Option<&str>) {
    let (base, params) = redirect_params(reply);
    assert_eq!(base, CALLBACK, "{reply:?}");
    assert_eq!(params["error"], error, "{reply:?}");
    assert_eq!(params.get("state").map(String::as_str), state, "{reply:?}");
    assert!(!params.contains_key("code"), "{reply:?}");
}

/// Checks the 400 error page, and that it redirects nowhere.
fn assert_error_page(reply: &Reply) {
    assert_eq!(reply.status, 400, "{reply:?}");
    assert!(reply.location.is_none(), "{reply:?}");
    assert_eq!(reply.content_type, "text/html; charset=utf-8");
    assert!(reply.body.contains(ERROR_PAGE_TEXT), "{reply:?}");
}

#[actix_web::test]
async fn the_page_lists_every_user_with_the_same_query_and_a_cancel_link() {
    let provider = Caller::Confidential.start().await;
    let request = AuthRequest::new(CLIENT_ID).set("scope", "tweet.read users.read users.email");
    let reply = visit(&provider, AUTHORIZE, &request, None).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(reply.content_type, "text/html; charset=utf-8");
    let body = &reply.body;
    assert!(
        body.contains(
            "<title>Local Test App wants to access your X account (local provider)</title>"
        ),
        "{body}"
    );
    // The query goes back unchanged (HTML-escaped in the attribute).
    let query = request.query().replace('&', "&amp;");
    for user in ["alice", "bob"] {
        let link = format!("href=\"{APPROVE}?{query}&amp;user={user}\"");
        assert!(body.contains(&link), "{link} in {body}");
    }
    assert!(
        body.contains(&format!("href=\"{DENY}?{query}\">Cancel</a>")),
        "{body}"
    );
    assert!(body.contains("<code>users.email</code>"), "{body}");
    // Nothing is issued by showing the page.
    assert!(provider.issued_secrets().is_empty());
}

#[actix_web::test]
async fn the_page_escapes_names() {
    let provider = MockProvider::builder(KEY, SECRET)
        .callback_url(CALLBACK)
        .app_name("<App & \"Co\">")
        .user(MockUser::new("7", "x<y", "<script>alert('x')</script>"))
        .oauth2_client(OAuth2Client::public(PUBLIC_CLIENT_ID))
        .start()
        .await
        .unwrap();
    let reply = visit(
        &provider,
        AUTHORIZE,
        &AuthRequest::new(PUBLIC_CLIENT_ID),
        None,
    )
    .await;
    assert_eq!(reply.status, 200, "{reply:?}");
    let body = &reply.body;
    assert!(
        !body.contains("<script>") && !body.contains("<App"),
        "{body}"
    );
    assert!(
        body.contains("&lt;App &amp; &quot;Co&quot;&gt; wants"),
        "{body}"
    );
    assert!(body.contains("user=x%3Cy"), "{body}");
}

#[actix_web::test]
async fn approve_redirects_with_state_and_code_before_any_fragment() {
    let callback = "http://127.0.0.1:8080/cb?app=1#top";
    let provider = Caller::Confidential
        .builder()
        .callback_url(callback)
        .start()
        .await
        .unwrap();
    let request = AuthRequest::new(CLIENT_ID).set("redirect_uri", callback);
    let reply = visit(&provider, APPROVE, &request, Some("BOB")).await;
    assert_eq!(reply.status, 302, "{reply:?}");
    assert_eq!(reply.headers.get("cache-control").unwrap(), "no-store");
    let location = reply.location.as_deref().unwrap();
    let code = &provider.issued_secrets()[0];
    assert_eq!(
        location,
        format!(
            "http://127.0.0.1:8080/cb?app=1&state={}&code={code}#top",
            percent_encode(STATE)
        )
    );
    // Approving again is a new authorization: a new code.
    let again = visit(&provider, APPROVE, &request, Some("alice")).await;
    assert_ne!(again.location.as_deref(), Some(location));
    assert_eq!(provider.issued_secrets().len(), 2);
}

#[actix_web::test]
async fn deny_redirects_with_access_denied_and_the_state() {
    let provider = Caller::Public.start().await;
    let reply = visit(&provider, DENY, &AuthRequest::new(PUBLIC_CLIENT_ID), None).await;
    assert_error_redirect(&reply, "access_denied", Some(STATE));
    assert!(provider.issued_secrets().is_empty());
}

#[actix_web::test]
async fn an_unknown_client_or_redirect_uri_gets_the_error_page_not_a_redirect() {
    let provider = Caller::Confidential.start().await;
    let good = AuthRequest::new(CLIENT_ID);
    let bad = [
        good.clone().set("client_id", "someone-else"),
        good.clone().set("client_id", KEY), // the OAuth 1.0a consumer key is not a client id
        good.clone().without("client_id"),
        good.clone().repeat("client_id", CLIENT_ID),
        good.clone().set(
            "redirect_uri",
            "http://127.0.0.1:8080/auth/twitter/callback/",
        ),
        good.clone().set("redirect_uri", "http://evil.example/cb"),
        good.clone().without("redirect_uri"),
        good.clone().repeat("redirect_uri", CALLBACK),
    ];
    for request in &bad {
        for path in [AUTHORIZE, APPROVE, DENY] {
            let reply = visit(&provider, path, request, Some("alice")).await;
            assert_error_page(&reply);
        }
    }
    assert_error_page(&get(&provider, &format!("{AUTHORIZE}?state=%zz"), None).await);
    // Without an OAuth 2.0 client every client is unknown.
    let without = start().await;
    assert_error_page(&visit(&without, AUTHORIZE, &good, None).await);
}

#[actix_web::test]
async fn bad_parameters_redirect_with_invalid_request_and_the_state() {
    let provider = Caller::Confidential.start().await;
    let good = AuthRequest::new(CLIENT_ID);
    let long_state = "s".repeat(501);
    let cases = [
        (good.clone().without("state"), None),
        (good.clone().set("state", ""), None),
        (good.clone().repeat("state", "other"), None),
        (
            good.clone().set("state", &long_state),
            Some(long_state.as_str()),
        ),
        (good.clone().without("response_type"), Some(STATE)),
        (good.clone().set("response_type", "token"), Some(STATE)),
        (good.clone().without("code_challenge"), Some(STATE)),
        (
            good.clone().set("code_challenge", &CHALLENGE[1..]),
            Some(STATE),
        ),
        (
            good.clone()
                .set("code_challenge", &CHALLENGE.replace('-', "+")),
            Some(STATE),
        ),
        (good.clone().without("code_challenge_method"), Some(STATE)),
        (
            good.clone().set("code_challenge_method", "s256"),
            Some(STATE),
        ),
        (
            good.clone().set("code_challenge_method", "S512"),
            Some(STATE),
        ),
        // A plain code challenge is a code verifier: 43 characters at least.
        (
            good.clone()
                .set("code_challenge_method", "plain")
                .set("code_challenge", "challenge"),
            Some(STATE),
        ),
    ];
    for (request, state) in &cases {
        for path in [AUTHORIZE, APPROVE, DENY] {
            let reply = visit(&provider, path, request, Some("alice")).await;
            assert_error_redirect(&reply, "invalid_request", *state);
        }
    }
    // 500 characters of state are accepted.
    let request = good.set("state", &"s".repeat(500));
    assert_eq!(
        visit(&provider, AUTHORIZE, &request, None).await.status,
        200
    );
    assert!(provider.issued_secrets().is_empty());
}

#[actix_web::test]
async fn unknown_or_malformed_scopes_redirect_with_invalid_scope() {
    let provider = Caller::Public.start().await;
    let good = AuthRequest::new(PUBLIC_CLIENT_ID);
    for request in [
        good.clone().set("scope", "tweet.read users.admin"),
        good.clone().set("scope", "tweet.read  users.read"),
        good.clone().set("scope", "tweet.read,users.read"),
        good.clone().set("scope", ""),
        good.clone().without("scope"),
    ] {
        for path in [AUTHORIZE, APPROVE, DENY] {
            let reply = visit(&provider, path, &request, Some("alice")).await;
            assert_error_redirect(&reply, "invalid_scope", Some(STATE));
        }
    }
    // Every X scope is known, and the plain method with a real verifier is accepted.
    let every = "tweet.read tweet.write tweet.moderate.write users.email users.read follows.read follows.write offline.access space.read mute.read mute.write like.read like.write list.read list.write block.read block.write bookmark.read bookmark.write dm.read dm.write media.write";
    let request = good
        .set("scope", every)
        .set("code_challenge_method", "plain")
        .set("code_challenge", VERIFIER);
    assert_eq!(
        visit(&provider, AUTHORIZE, &request, None).await.status,
        200
    );
}

#[actix_web::test]
async fn approve_needs_a_known_user() {
    let provider = Caller::Confidential.start().await;
    let request = AuthRequest::new(CLIENT_ID);
    for user in [Some("carol"), Some(""), None] {
        let reply = visit(&provider, APPROVE, &request, user).await;
        assert_eq!(reply.status, 400, "{reply:?}");
        assert!(reply.body.contains("Unknown account"), "{reply:?}");
    }
    assert!(provider.issued_secrets().is_empty());
    assert_eq!(provider.rejected(), 0);
}

#[actix_web::test]
async fn a_scope_list_separated_by_plus_is_refused_as_x_does() {
    let provider = Caller::Confidential.start().await;
    let query = AuthRequest::new(CLIENT_ID).query();
    assert!(query.contains("scope=tweet.read%20users.read"), "{query}");
    for path in [AUTHORIZE, APPROVE] {
        let plus = query.replace("tweet.read%20users.read", "tweet.read+users.read");
        let reply = get(&provider, &format!("{path}?{plus}&user=alice"), None).await;
        assert_error_redirect(&reply, "invalid_request", Some(STATE));
        let spaced = get(&provider, &format!("{path}?{query}&user=alice"), None).await;
        let expected = if path == AUTHORIZE { 200 } else { 302 };
        assert_eq!(spaced.status, expected, "{spaced:?}");
        if path == APPROVE {
            assert!(
                redirect_params(&spaced).1.contains_key("code"),
                "{spaced:?}"
            );
        }
    }
}

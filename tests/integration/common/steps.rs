//! The steps of a login as a test takes them: start and approve at the provider, ask the app
//! who is signed in, read a query value.

use super::Browser;

/// Starts a login on the app at `app` and approves it at the provider as `screen_name`;
/// returns the callback URL the provider redirected to (not yet visited). Either protocol: the
/// provider's redirect says which.
pub async fn approve(browser: &Browser, app: &str, provider: &str, screen_name: &str) -> String {
    approve_at(
        browser,
        &format!("{app}/login/twitter"),
        provider,
        screen_name,
    )
    .await
}

/// [`approve`], starting the login at the URL `start`.
pub async fn approve_at(
    browser: &Browser,
    start: &str,
    provider: &str,
    screen_name: &str,
) -> String {
    let start = browser.get(start).await;
    assert_eq!(start.status, 302, "login start: {}", start.body);
    let authenticate = start.location.expect("a redirect to the provider");
    approve_redirect(browser, &authenticate, provider, screen_name).await
}

/// Approves, as `screen_name`, the login the app's redirect to the provider (`authenticate`)
/// started; returns the callback URL the provider redirected to (not yet visited).
pub async fn approve_redirect(
    browser: &Browser,
    authenticate: &str,
    provider: &str,
    screen_name: &str,
) -> String {
    let approve = match authenticate.split_once("/i/oauth2/authorize?") {
        Some((_, query)) => {
            browser
                .get(&format!(
                    "{provider}/i/oauth2/authorize/approve?{query}&user={screen_name}"
                ))
                .await
        }
        None => {
            let token =
                query_value(authenticate, "oauth_token").expect("oauth_token in the redirect");
            browser
                .get(&format!(
                    "{provider}/oauth/authenticate/approve?oauth_token={token}&user={screen_name}"
                ))
                .await
        }
    };
    assert_eq!(approve.status, 302, "approve: {}", approve.body);
    approve.location.expect("a redirect to the callback")
}

/// `GET /me` on the app at `app`: `Some((id, name))` when signed in, `None` when signed out
/// (401); anything else fails the test.
pub async fn me(browser: &Browser, app: &str) -> Option<(String, String)> {
    let page = browser.get(&format!("{app}/me")).await;
    match page.status.as_u16() {
        200 => {}
        401 => return None,
        other => panic!("GET /me answered {other}: {}", page.body),
    }
    let json: serde_json::Value = serde_json::from_str(&page.body).unwrap();
    Some((
        json["id"].to_string(),
        json["name"].as_str().unwrap().to_owned(),
    ))
}

/// One query parameter's decoded value.
pub fn query_value(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

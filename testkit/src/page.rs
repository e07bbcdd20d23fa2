//! The authorization page (`/oauth/authenticate`, `/oauth/authorize`) and its approve and
//! cancel links.

use actix_web::{http::header, web, HttpRequest, HttpResponse};

use super::{
    signature::{self, parse_form, random_string},
    state::{Grant, Shared},
};

/// The text X shows for an unknown, used or expired request token.
pub(crate) const INVALID_TOKEN_TEXT: &str =
    "The request token for this page is invalid. It may have already been used, or expired because it is too old.";

/// Escapes text for HTML element content and quoted attribute values.
pub(crate) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    out
}

/// The decoded query parameters, or `None` when the query cannot be decoded.
fn query(req: &HttpRequest) -> Option<Vec<(String, String)>> {
    parse_form(req.query_string()).ok()
}

fn get<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// An HTML page, not to be cached.
pub(crate) fn html(
    mut builder: actix_web::HttpResponseBuilder,
    title: &str,
    body: &str,
) -> HttpResponse {
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>{}</title></head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n",
        escape_html(title)
    );
    builder
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(page)
}

/// The 400 page for an unknown, used or expired request token.
fn invalid_token_page() -> HttpResponse {
    let body = format!(
        "<h1>Whoa there!</h1>\n<p>{}</p>\n",
        escape_html(INVALID_TOKEN_TEXT)
    );
    html(HttpResponse::BadRequest(), "X / Error", &body)
}

/// `GET /oauth/authenticate?oauth_token=T[&force_login=true][&screen_name=x]` (and `/oauth/authorize`).
pub(crate) async fn authorize(req: HttpRequest, shared: web::Data<Shared>) -> HttpResponse {
    let Some(params) = query(&req) else {
        return invalid_token_page();
    };
    let Some(token) = get(&params, "oauth_token") else {
        return invalid_token_page();
    };
    let ttl = shared.config.request_token_ttl;
    let pending = shared
        .lock()
        .request_token(token, ttl)
        .is_some_and(|t| matches!(t.grant, Grant::Pending));
    if !pending {
        return invalid_token_page();
    }
    let app = escape_html(&shared.config.app_name);
    let title = format!(
        "Sign in to {} with your X account (local provider)",
        shared.config.app_name
    );
    let hint = get(&params, "screen_name").and_then(|s| shared.config.user_by_screen_name(s));
    let mut users: Vec<_> = shared.config.users.iter().collect();
    if let Some(hinted) = hint {
        users.sort_by_key(|u| u.id != hinted.id);
    }
    let token_enc = signature::percent_encode(token);
    let mut body = format!(
        "<h1>Sign in to {app} with your X account</h1>\n<p>This is a local OAuth 1.0a provider for tests. Choose an account to authorize {app}, or cancel.</p>\n"
    );
    if get(&params, "force_login").is_some_and(|v| v == "true" || v == "1") {
        body.push_str(
            "<p>Login was forced (<code>force_login=true</code>): pick an account.</p>\n",
        );
    }
    body.push_str("<ul>\n");
    for user in users {
        let href = format!(
            "/oauth/authenticate/approve?oauth_token={token_enc}&user={}",
            signature::percent_encode(&user.screen_name)
        );
        let suggested = if hint.is_some_and(|h| h.id == user.id) {
            " (suggested)"
        } else {
            ""
        };
        body.push_str(&format!(
            "<li><a href=\"{}\">Sign in as {} (@{}){suggested}</a></li>\n",
            escape_html(&href),
            escape_html(&user.name),
            escape_html(&user.screen_name)
        ));
    }
    body.push_str("</ul>\n");
    let cancel = format!("/oauth/authenticate/deny?oauth_token={token_enc}");
    body.push_str(&format!(
        "<p><a href=\"{}\">Cancel</a></p>\n",
        escape_html(&cancel)
    ));
    html(HttpResponse::Ok(), &title, &body)
}

/// A 302 to `location`, not to be cached.
pub(crate) fn redirect(location: &str) -> HttpResponse {
    HttpResponse::Found()
        .insert_header((header::LOCATION, location))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish()
}

/// `GET /oauth/authenticate/approve?oauth_token=T&user=<screen_name>`: redirects to the
/// callback with `oauth_token` and a fresh `oauth_verifier`.
pub(crate) async fn approve(req: HttpRequest, shared: web::Data<Shared>) -> HttpResponse {
    let Some(params) = query(&req) else {
        return invalid_token_page();
    };
    let Some(token) = get(&params, "oauth_token") else {
        return invalid_token_page();
    };
    let user = get(&params, "user").and_then(|s| shared.config.user_by_screen_name(s));
    let Some(user) = user else {
        let body = "<h1>Unknown account</h1>\n<p>No such account on this local provider.</p>\n";
        return html(HttpResponse::BadRequest(), "X / Error", body);
    };
    let verifier = random_string(32);
    let grant = Grant::Approved {
        user_id: user.id.clone(),
        verifier: verifier.clone(),
    };
    let callback = shared
        .lock()
        .decide(token, shared.config.request_token_ttl, grant);
    match callback {
        Some(callback) => redirect(&append_query(
            &callback,
            &[("oauth_token", token), ("oauth_verifier", &verifier)],
        )),
        None => invalid_token_page(),
    }
}

/// `GET /oauth/authenticate/deny?oauth_token=T`: redirects to the callback with `denied=T`.
pub(crate) async fn deny(req: HttpRequest, shared: web::Data<Shared>) -> HttpResponse {
    let Some(params) = query(&req) else {
        return invalid_token_page();
    };
    let Some(token) = get(&params, "oauth_token") else {
        return invalid_token_page();
    };
    let callback = shared
        .lock()
        .decide(token, shared.config.request_token_ttl, Grant::Denied);
    match callback {
        Some(callback) => redirect(&append_query(&callback, &[("denied", token)])),
        None => invalid_token_page(),
    }
}

/// `callback` with `pairs` appended to its query (RFC 5849 §2.2), before any fragment.
pub(crate) fn append_query(callback: &str, pairs: &[(&str, &str)]) -> String {
    let (base, fragment) = match callback.split_once('#') {
        Some((base, fragment)) => (base, Some(fragment)),
        None => (callback, None),
    };
    let query = pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                signature::percent_encode(k),
                signature::percent_encode(v)
            )
        })
        .collect::<Vec<_>>()
        .join("&");
    let separator = match base.find('?') {
        None => "?",
        Some(_) if base.ends_with('?') || base.ends_with('&') => "",
        Some(_) => "&",
    };
    match fragment {
        Some(fragment) => format!("{base}{separator}{query}#{fragment}"),
        None => format!("{base}{separator}{query}"),
    }
}

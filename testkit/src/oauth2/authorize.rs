//! The OAuth 2.0 authorization page (`GET /i/oauth2/authorize`) and its approve and deny
//! links, which carry the same authorization request and are checked again.

use std::time::Instant;

use actix_web::{web, HttpRequest, HttpResponse};

use super::{
    params::Params,
    request::{self, AuthorizationRequest, Refusal},
    store::CodeGrant,
};
use crate::{
    page::{append_query, escape_html, html, redirect},
    signature::percent_encode,
    state::Shared,
};

/// The 400 page for a request that cannot be redirected back (unknown client, unregistered
/// redirect URI, undecodable query).
fn error_page(reason: &str) -> HttpResponse {
    let body = format!(
        "<h1>Something went wrong</h1>\n<p>You weren't able to give access to the App. Go back and try logging in again.</p>\n<p>{}</p>\n",
        escape_html(reason)
    );
    html(HttpResponse::BadRequest(), "X / Error", &body)
}

/// The checked authorization request and its parameters.
fn checked(req: &HttpRequest, shared: &Shared) -> Result<(AuthorizationRequest, Params), Refusal> {
    let params = Params::parse(req.query_string())
        .ok_or(Refusal::Page("The request could not be decoded."))?;
    let request = request::check(&params, &shared.config)?;
    // X wants the scope list's spaces as `%20`: a `+` there is refused.
    let plus = req
        .query_string()
        .split('&')
        .any(|pair| pair.starts_with("scope=") && pair.contains('+'));
    if plus {
        return Err(Refusal::Redirect {
            redirect_uri: request.redirect_uri.clone(),
            error: "invalid_request",
            state: Some(request.state.clone()),
            reason: "scope must separate its scopes with %20, not +",
        });
    }
    Ok((request, params))
}

/// The reply that refuses an authorization request: the error page, or a redirect with
/// `error` and `state`.
fn refuse(refusal: Refusal) -> HttpResponse {
    match refusal {
        Refusal::Page(reason) => error_page(reason),
        Refusal::Redirect {
            redirect_uri,
            error,
            state,
            reason,
        } => {
            tracing::debug!(
                error,
                reason,
                "local provider refused an authorization request"
            );
            let mut pairs = vec![("error", error)];
            if let Some(state) = &state {
                pairs.push(("state", state));
            }
            redirect(&append_query(&redirect_uri, &pairs))
        }
    }
}

/// `GET /i/oauth2/authorize?response_type=code&client_id=..&redirect_uri=..&scope=..&state=..
/// &code_challenge=..&code_challenge_method=..`: the page listing the users, plus "Cancel".
pub(crate) async fn authorize(req: HttpRequest, shared: web::Data<Shared>) -> HttpResponse {
    let request = match checked(&req, &shared) {
        Ok((request, _)) => request,
        Err(refusal) => return refuse(refusal),
    };
    let app = escape_html(&shared.config.app_name);
    let title = format!(
        "{} wants to access your X account (local provider)",
        shared.config.app_name
    );
    let mut body = format!(
        "<h1>{app} wants to access your X account</h1>\n<p>This is a local OAuth 2.0 provider for tests. Choose an account to authorize {app}, or cancel.</p>\n<p>{app} will be able to use these scopes:</p>\n<ul>\n"
    );
    for scope in request.scopes.iter() {
        body.push_str(&format!("<li><code>{}</code></li>\n", escape_html(scope)));
    }
    body.push_str("</ul>\n<ul>\n");
    let query = req.query_string();
    for user in shared.config.users.iter() {
        let href = format!(
            "/i/oauth2/authorize/approve?{query}&user={}",
            percent_encode(&user.screen_name)
        );
        body.push_str(&format!(
            "<li><a href=\"{}\">Authorize as {} (@{})</a></li>\n",
            escape_html(&href),
            escape_html(&user.name),
            escape_html(&user.screen_name)
        ));
    }
    body.push_str("</ul>\n");
    let cancel = format!("/i/oauth2/authorize/deny?{query}");
    body.push_str(&format!(
        "<p><a href=\"{}\">Cancel</a></p>\n",
        escape_html(&cancel)
    ));
    html(HttpResponse::Ok(), &title, &body)
}

/// `GET /i/oauth2/authorize/approve?<the authorization request>&user=<screen_name>`: redirects
/// to the redirect URI with `state` and a fresh authorization code.
pub(crate) async fn approve(req: HttpRequest, shared: web::Data<Shared>) -> HttpResponse {
    let (request, params) = match checked(&req, &shared) {
        Ok(checked) => checked,
        Err(refusal) => return refuse(refusal),
    };
    let user = params
        .one("user")
        .ok()
        .flatten()
        .and_then(|s| shared.config.user_by_screen_name(s));
    let Some(user) = user else {
        let body = "<h1>Unknown account</h1>\n<p>No such account on this local provider.</p>\n";
        return html(HttpResponse::BadRequest(), "X / Error", body);
    };
    let grant = CodeGrant {
        client_id: request.client_id,
        redirect_uri: request.redirect_uri.clone(),
        code_challenge: request.code_challenge,
        method: request.method,
        scopes: request.scopes,
        user_id: user.id.clone(),
        issued: Instant::now(),
    };
    let code = shared
        .lock()
        .issue_authorization_code(grant, shared.config.oauth2.code_ttl);
    redirect(&append_query(
        &request.redirect_uri,
        &[("state", &request.state), ("code", &code)],
    ))
}

/// `GET /i/oauth2/authorize/deny?<the authorization request>`: redirects to the redirect URI
/// with `error=access_denied` and `state`.
pub(crate) async fn deny(req: HttpRequest, shared: web::Data<Shared>) -> HttpResponse {
    match checked(&req, &shared) {
        Ok((request, _)) => redirect(&append_query(
            &request.redirect_uri,
            &[("error", "access_denied"), ("state", &request.state)],
        )),
        Err(refusal) => refuse(refusal),
    }
}

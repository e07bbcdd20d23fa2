//! The OAuth 1.0a token endpoints and the v1.1 profile endpoint, and every route of the
//! provider.

use actix_web::{
    http::{header, StatusCode},
    web, HttpRequest, HttpResponse,
};

use super::{
    auth::{verify, AuthFailure, TokenUse},
    oauth2, page, reply,
    signature::constant_time_eq,
    state::{begin, Grant, Shared},
    users_me, Fault, MockEndpoint, MockUser,
};

/// Registers every route of the provider.
pub(crate) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/oauth/request_token", web::post().to(request_token))
        .route("/oauth/access_token", web::post().to(access_token))
        .route("/oauth/authenticate", web::get().to(page::authorize))
        .route("/oauth/authorize", web::get().to(page::authorize))
        .route("/oauth/authenticate/approve", web::get().to(page::approve))
        .route("/oauth/authenticate/deny", web::get().to(page::deny))
        .route("/2/users/me", web::get().to(users_me::users_me))
        .route(
            "/1.1/account/verify_credentials.json",
            web::get().to(verify_credentials),
        )
        .route(
            "/1.1/oauth/invalidate_token",
            web::post().to(invalidate_token),
        )
        .route(
            "/1.1/oauth/invalidate_token.json",
            web::post().to(invalidate_token),
        )
        .configure(oauth2::routes);
}

/// The reply for an unknown path: X's v1.1 code 34.
pub(crate) async fn not_found() -> HttpResponse {
    reply::v11_error(StatusCode::NOT_FOUND, 34, "Sorry, that page does not exist")
}

/// The error replies of the v1.1-era endpoints (OAuth and verify_credentials).
fn v11_failure(failure: AuthFailure) -> HttpResponse {
    match failure {
        AuthFailure::Malformed => reply::bad_authentication_data(),
        AuthFailure::StaleTimestamp => reply::timestamp_out_of_bounds(),
        AuthFailure::UnknownToken => reply::invalid_or_expired_token(),
        AuthFailure::UnknownConsumer | AuthFailure::BadSignature | AuthFailure::ReplayedNonce => {
            reply::could_not_authenticate()
        }
    }
}

const INVALID_REQUEST_TOKEN: &str = "Invalid request token.";
const INVALID_VERIFIER: &str =
    "Error processing your OAuth request: Invalid oauth_verifier parameter";

/// `POST /oauth/request_token`.
async fn request_token(
    req: HttpRequest,
    body: web::Bytes,
    shared: web::Data<Shared>,
) -> HttpResponse {
    let fault = begin(&shared, MockEndpoint::RequestToken).await;
    if !req.headers().contains_key(header::CONTENT_LENGTH) {
        return reply::length_required();
    }
    let verified = match verify(&req, &body, &shared, TokenUse::None) {
        Ok(verified) => verified,
        Err(failure) => return v11_failure(failure),
    };
    if let Some(response) = fault
        .as_ref()
        .and_then(|f| reply::fault(MockEndpoint::RequestToken, f))
    {
        return response;
    }
    let callback = match verified.param("oauth_callback") {
        Some(callback) if shared.config.callback_registered(callback) => callback,
        _ => return reply::callback_not_approved(),
    };
    let confirmed = if fault == Some(Fault::CallbackNotConfirmed) {
        "false"
    } else {
        "true"
    };
    let (token, secret) = shared
        .lock()
        .issue_request_token(callback, shared.config.request_token_ttl);
    reply::form(&[
        ("oauth_token", &token),
        ("oauth_token_secret", &secret),
        ("oauth_callback_confirmed", confirmed),
    ])
}

/// `POST /oauth/access_token`.
async fn access_token(
    req: HttpRequest,
    body: web::Bytes,
    shared: web::Data<Shared>,
) -> HttpResponse {
    let fault = begin(&shared, MockEndpoint::AccessToken).await;
    if !req.headers().contains_key(header::CONTENT_LENGTH) {
        return reply::length_required();
    }
    let verified = match verify(&req, &body, &shared, TokenUse::Request) {
        Ok(verified) => verified,
        Err(AuthFailure::UnknownToken) => {
            return reply::plain(StatusCode::UNAUTHORIZED, INVALID_REQUEST_TOKEN)
        }
        Err(failure) => return v11_failure(failure),
    };
    if let Some(response) = fault
        .as_ref()
        .and_then(|f| reply::fault(MockEndpoint::AccessToken, f))
    {
        return response;
    }
    // The first authenticated attempt consumes the request token, whatever its outcome.
    let token = verified.token.as_deref().unwrap_or_default();
    let record = shared
        .lock()
        .take_request_token(token, shared.config.request_token_ttl);
    let (user_id, verifier) = match record.map(|r| r.grant) {
        Some(Grant::Approved { user_id, verifier }) => (user_id, verifier),
        _ => return reply::plain(StatusCode::UNAUTHORIZED, INVALID_REQUEST_TOKEN),
    };
    let sent = verified.param("oauth_verifier").unwrap_or_default();
    if !constant_time_eq(sent, &verifier) {
        return reply::plain(StatusCode::UNAUTHORIZED, INVALID_VERIFIER);
    }
    let Some(user) = shared.config.user_by_id(&user_id) else {
        return reply::plain(StatusCode::UNAUTHORIZED, INVALID_REQUEST_TOKEN);
    };
    let (token, secret) = shared.lock().issue_access_token(&user.id);
    reply::form(&[
        ("oauth_token", &token),
        ("oauth_token_secret", &secret),
        ("user_id", &user.id),
        ("screen_name", &user.screen_name),
    ])
}

/// `POST /1.1/oauth/invalidate_token[.json]`, signed with the token credentials to invalidate:
/// `{"access_token":"<token>"}`, after which the token is unknown everywhere (401 code 89 here
/// and on `verify_credentials`, the v2 401 on `/2/users/me`, `invalid_grant` at the token
/// exchange). Other parameters are signed like any and otherwise ignored.
async fn invalidate_token(
    req: HttpRequest,
    body: web::Bytes,
    shared: web::Data<Shared>,
) -> HttpResponse {
    let fault = begin(&shared, MockEndpoint::InvalidateToken).await;
    if !req.headers().contains_key(header::CONTENT_LENGTH) {
        return reply::length_required();
    }
    let verified = match verify(&req, &body, &shared, TokenUse::Access) {
        Ok(verified) => verified,
        Err(failure) => return v11_failure(failure),
    };
    if let Some(response) = fault
        .as_ref()
        .and_then(|f| reply::fault(MockEndpoint::InvalidateToken, f))
    {
        return response;
    }
    let token = verified.token.unwrap_or_default();
    if !shared.lock().invalidate_access_token(&token) {
        // Invalidated by a concurrent request since the signature was checked.
        return reply::invalid_or_expired_token();
    }
    reply::json(&serde_json::json!({ "access_token": token }))
}

/// The user behind a verified access token.
fn token_user<'a>(shared: &'a Shared, user_id: Option<&str>) -> Option<&'a MockUser> {
    user_id.and_then(|id| shared.config.user_by_id(id))
}

/// Whether a v1.1 boolean query parameter is set (`true`, `t` or `1`).
fn flag(value: Option<&str>) -> bool {
    matches!(value, Some("true" | "t" | "1"))
}

/// `GET /1.1/account/verify_credentials.json`.
async fn verify_credentials(req: HttpRequest, shared: web::Data<Shared>) -> HttpResponse {
    let fault = begin(&shared, MockEndpoint::VerifyCredentials).await;
    let verified = match verify(&req, &[], &shared, TokenUse::Access) {
        Ok(verified) => verified,
        Err(failure) => return v11_failure(failure),
    };
    if let Some(response) = fault
        .as_ref()
        .and_then(|f| reply::fault(MockEndpoint::VerifyCredentials, f))
    {
        return response;
    }
    let Some(user) = token_user(&shared, verified.user_id.as_deref()) else {
        return reply::invalid_or_expired_token();
    };
    let id = match user.id.parse::<u64>() {
        Ok(n) => serde_json::json!(n),
        Err(_) => serde_json::json!(user.id),
    };
    let image = user.profile_image_url();
    let mut body = serde_json::json!({
        "id": id,
        "id_str": user.id,
        "name": user.name,
        "screen_name": user.screen_name,
        "location": "",
        "description": "",
        "url": null,
        "protected": false,
        "verified": false,
        "created_at": "Wed Jun 01 00:00:00 +0000 2011",
        "profile_image_url": image.replacen("https://", "http://", 1),
        "profile_image_url_https": image,
    });
    if !flag(verified.param("skip_status")) {
        body["status"] = serde_json::json!({
            "created_at": "Wed Jun 01 00:00:00 +0000 2011",
            "id": 1,
            "id_str": "1",
            "text": "Hello from the local provider",
        });
    }
    if flag(verified.param("include_email")) {
        body["email"] = serde_json::json!(user.email);
    }
    reply::json(&body)
}

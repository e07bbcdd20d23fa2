//! Replies in the shapes X really uses: form bodies served as `text/html`, v1.1 JSON errors,
//! the OAuth endpoints' XML error, v2 problem+json, OAuth 2.0 JSON errors, and the empty 411.

use actix_web::{
    http::{header, StatusCode},
    HttpResponse, HttpResponseBuilder,
};

use super::{signature::unix_now, Fault, MockEndpoint};

const JSON: &str = "application/json; charset=utf-8";
const PROBLEM_JSON: &str = "application/problem+json";

/// The 403 body X sends when `oauth_callback` is not an approved callback URL.
pub(crate) const CALLBACK_NOT_APPROVED_XML: &str = "<?xml version='1.0' encoding='UTF-8'?><errors><error code=\"415\">Callback URL not approved for this client application. Approved callback URLs can be adjusted in your application settings</error></errors>";

/// The 403 code-453 body (the access level lacks the endpoint).
pub(crate) const FORBIDDEN_453_JSON: &str = r#"{"errors":[{"message":"You currently have access to a subset of Twitter API v2 endpoints and limited v1.1 endpoints (e.g. media post, oauth) only. If you need access to this endpoint, you may need a different access level. You can learn more here: https://developer.twitter.com/en/portal/product","code":453}]}"#;

/// The 403 body for an app that is not attached to a Project.
pub(crate) const CLIENT_NOT_ENROLLED_JSON: &str = r#"{"client_id":"101","detail":"When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a Twitter developer App that is attached to a Project. You can create a project via the developer portal.","registration_url":"https://developer.twitter.com/en/docs/projects/overview","title":"Client Forbidden","required_enrollment":"Appropriate Level of API Access","reason":"client-not-enrolled","type":"https://api.twitter.com/2/problems/client-forbidden"}"#;

/// The v2 problem for any authentication failure.
pub(crate) const V2_UNAUTHORIZED_JSON: &str =
    r#"{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}"#;

/// The v2 problem for a token that lacks a scope the endpoint needs.
pub(crate) const V2_FORBIDDEN_JSON: &str =
    r#"{"title":"Forbidden","type":"about:blank","status":403,"detail":"Forbidden"}"#;

/// The 402 problem for a pay-per-use account without credits.
pub(crate) const CREDITS_DEPLETED_JSON: &str = r#"{"account_id":101,"title":"CreditsDepleted","detail":"Your enrolled account [101] does not have any credits to fulfill this request.","type":"https://api.x.com/2/problems/credits-depleted"}"#;

/// The v2 problem for a query that cannot be decoded.
pub(crate) const V2_INVALID_REQUEST_JSON: &str = r#"{"title":"Invalid Request","detail":"One or more parameters to your request was invalid.","type":"https://api.twitter.com/2/problems/invalid-request"}"#;

/// The v2 problem for an exhausted rate limit.
pub(crate) const V2_RATE_LIMITED_JSON: &str = r#"{"title":"Too Many Requests","detail":"Too Many Requests","type":"https://api.x.com/2/problems/rate-limit-exceeded","status":429}"#;

/// The 200 body of the `Garbage` fault: an HTML error page, neither a form nor JSON.
pub(crate) const GARBAGE_HTML: &str =
    "<!DOCTYPE html><html><head><title>X / Error</title></head><body><h1>Something is technically wrong.</h1></body></html>";

/// A v1.1-style `{"errors":[{"code":..,"message":..}]}` reply.
pub(crate) fn v11_error(status: StatusCode, code: u32, message: &str) -> HttpResponse {
    let body = serde_json::json!({ "errors": [{ "code": code, "message": message }] });
    HttpResponse::build(status)
        .content_type(JSON)
        .body(body.to_string())
}

/// 400 code 215: the OAuth data is missing or malformed.
pub(crate) fn bad_authentication_data() -> HttpResponse {
    v11_error(StatusCode::BAD_REQUEST, 215, "Bad Authentication data.")
}

/// 401 code 32: unknown consumer key, bad signature or replayed nonce.
pub(crate) fn could_not_authenticate() -> HttpResponse {
    v11_error(StatusCode::UNAUTHORIZED, 32, "Could not authenticate you.")
}

/// 401 code 135: the timestamp is outside the accepted window.
pub(crate) fn timestamp_out_of_bounds() -> HttpResponse {
    v11_error(StatusCode::UNAUTHORIZED, 135, "Timestamp out of bounds.")
}

/// 401 code 89: the access token is unknown.
pub(crate) fn invalid_or_expired_token() -> HttpResponse {
    v11_error(StatusCode::UNAUTHORIZED, 89, "Invalid or expired token.")
}

/// The generic v2 401 problem (key order as X sends it).
pub(crate) fn v2_unauthorized() -> HttpResponse {
    HttpResponse::Unauthorized()
        .content_type(PROBLEM_JSON)
        .body(V2_UNAUTHORIZED_JSON)
}

/// The v2 403 problem for a bearer token without the scopes the endpoint needs.
pub(crate) fn v2_forbidden() -> HttpResponse {
    HttpResponse::Forbidden()
        .content_type(PROBLEM_JSON)
        .body(V2_FORBIDDEN_JSON)
}

/// The v2 400 `invalid-request` problem for a query that cannot be decoded.
pub(crate) fn v2_undecodable_query() -> HttpResponse {
    HttpResponse::BadRequest()
        .content_type(PROBLEM_JSON)
        .body(V2_INVALID_REQUEST_JSON)
}

/// An OAuth 2.0 error (RFC 6749 §5.2): `{"error":..,"error_description":..}`, not to be cached.
pub(crate) fn oauth_error(status: StatusCode, error: &str, description: &str) -> HttpResponse {
    let body = serde_json::json!({ "error": error, "error_description": description });
    HttpResponse::build(status)
        .content_type(JSON)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::PRAGMA, "no-cache"))
        .body(body.to_string())
}

/// A v2 400 `invalid-request` problem naming a bad query parameter value.
pub(crate) fn v2_invalid_request(parameter: &str, bad: &[&str], allowed: &[&str]) -> HttpResponse {
    let message = format!(
        "The `{parameter}` query parameter value [{}] is not one of [{}]",
        bad.join(","),
        allowed.join(",")
    );
    let body = serde_json::json!({
        "errors": [{ "parameters": { parameter: bad }, "message": message }],
        "title": "Invalid Request",
        "detail": "One or more parameters to your request was invalid.",
        "type": "https://api.twitter.com/2/problems/invalid-request",
    });
    HttpResponse::BadRequest()
        .content_type(PROBLEM_JSON)
        .body(body.to_string())
}

/// 403 with X's XML code-415 body.
pub(crate) fn callback_not_approved() -> HttpResponse {
    HttpResponse::Forbidden()
        .content_type("application/xml;charset=utf-8")
        .body(CALLBACK_NOT_APPROVED_XML)
}

/// 411 with an empty body (a POST without `Content-Length`).
pub(crate) fn length_required() -> HttpResponse {
    HttpResponse::LengthRequired().finish()
}

/// A plain-text reply (the OAuth endpoints' token errors).
pub(crate) fn plain(status: StatusCode, text: &str) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/plain; charset=utf-8")
        .body(text.to_owned())
}

/// A form-encoded token reply served as `text/html; charset=utf-8`, as X does.
pub(crate) fn form(pairs: &[(&str, &str)]) -> HttpResponse {
    let body = pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                super::signature::percent_encode(k),
                super::signature::percent_encode(v)
            )
        })
        .collect::<Vec<_>>()
        .join("&");
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-cache, no-store, must-revalidate"))
        .body(body)
}

/// A JSON 200 reply.
pub(crate) fn json(value: &serde_json::Value) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(JSON)
        .body(value.to_string())
}

/// Rate-limit headers describing an exhausted 15-minute window.
fn with_exhausted_rate_limit(mut builder: HttpResponseBuilder) -> HttpResponseBuilder {
    builder
        .insert_header(("x-rate-limit-limit", "75"))
        .insert_header(("x-rate-limit-remaining", "0"))
        .insert_header(("x-rate-limit-reset", (unix_now() + 900).to_string()));
    builder
}

/// 429 for a token exchange over the limit: the OAuth error `rate_limited` with X's rate-limit
/// headers (`limit` exchanges per window, none left, the window ends at `reset`, a Unix time)
/// and, as X, no `Retry-After`.
pub(crate) fn exchange_rate_limited(limit: u32, reset: u64) -> HttpResponse {
    let mut response = oauth_error(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        "Too many token exchanges. Try again after the time in x-rate-limit-reset.",
    );
    let headers = response.headers_mut();
    for (name, value) in [
        ("x-rate-limit-limit", limit.to_string()),
        ("x-rate-limit-remaining", "0".to_owned()),
        ("x-rate-limit-reset", reset.to_string()),
    ] {
        if let Ok(value) = header::HeaderValue::from_str(&value) {
            headers.insert(header::HeaderName::from_static(name), value);
        }
    }
    response
}

/// The reply a fault replaces the normal answer with, or `None` when the fault only changes
/// the normal answer (`Delay`, `CallbackNotConfirmed`).
pub(crate) fn fault(endpoint: MockEndpoint, fault: &Fault) -> Option<HttpResponse> {
    let v2 = endpoint.is_v2();
    Some(match fault {
        Fault::Delay(_)
        | Fault::CallbackNotConfirmed
        | Fault::Sometimes { .. }
        | Fault::Times { .. } => return None,
        Fault::Status(code) => {
            let status = StatusCode::from_u16(*code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let text = format!(
                "{} {}",
                status.as_u16(),
                status.canonical_reason().unwrap_or("Injected fault")
            );
            plain(status, &text)
        }
        Fault::Garbage => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(GARBAGE_HTML),
        Fault::Json(body) => HttpResponse::Ok().content_type(JSON).body(body.clone()),
        Fault::Forbidden453 => HttpResponse::Forbidden()
            .content_type(JSON)
            .body(FORBIDDEN_453_JSON),
        Fault::RateLimited if v2 => with_exhausted_rate_limit(HttpResponse::TooManyRequests())
            .content_type(PROBLEM_JSON)
            .body(V2_RATE_LIMITED_JSON),
        Fault::RateLimited => {
            let body =
                serde_json::json!({ "errors": [{ "code": 88, "message": "Rate limit exceeded" }] });
            with_exhausted_rate_limit(HttpResponse::TooManyRequests())
                .content_type(JSON)
                .body(body.to_string())
        }
        Fault::ClientNotEnrolled => HttpResponse::Forbidden()
            .content_type(PROBLEM_JSON)
            .body(CLIENT_NOT_ENROLLED_JSON),
        Fault::CallbackNotApproved => callback_not_approved(),
        Fault::CreditsDepleted => HttpResponse::PaymentRequired()
            .content_type(PROBLEM_JSON)
            .body(CREDITS_DEPLETED_JSON),
        Fault::OAuthError {
            status,
            error,
            description,
        } => {
            let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::BAD_REQUEST);
            oauth_error(status, error, description)
        }
        Fault::Body {
            status,
            content_type,
            body,
        } => {
            let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let mut builder = HttpResponse::build(status);
            if let Ok(value) = header::HeaderValue::from_str(content_type) {
                builder.insert_header((header::CONTENT_TYPE, value));
            }
            builder.body(body.clone())
        }
    })
}

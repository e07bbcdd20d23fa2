//! `GET /2/users/me`, for OAuth 1.0a signed requests and OAuth 2.0 bearer tokens alike.

use actix_web::{web, HttpRequest, HttpResponse};

use super::{
    auth::{verify, TokenUse},
    oauth2::{bearer, scope},
    reply,
    signature::parse_form,
    state::{begin, Shared},
    MockEndpoint, MockUser,
};

/// Every `user.fields` value `GET /2/users/me` accepts (X API v2 OpenAPI spec 2.167).
const USER_FIELDS: &[&str] = &[
    "confirmed_email",
    "connection_status",
    "created_at",
    "description",
    "entities",
    "id",
    "is_identity_verified",
    "location",
    "name",
    "parody",
    "profile_banner_url",
    "profile_image_url",
    "protected",
    "public_metrics",
    "receives_your_dm",
    "subscribes_to_you",
    "subscription",
    "subscription_type",
    "url",
    "username",
    "verified",
    "verified_followers_count",
    "verified_type",
    "withheld",
];

/// `GET /2/users/me?user.fields=...`: a bearer token when the `Authorization` header says
/// `Bearer`, an OAuth 1.0a signature otherwise.
pub(crate) async fn users_me(req: HttpRequest, shared: web::Data<Shared>) -> HttpResponse {
    if bearer::is_bearer(&req) {
        with_bearer_token(&req, &shared).await
    } else {
        with_signature(&req, &shared).await
    }
}

/// The OAuth 1.0a path: token credentials, and `confirmed_email` whenever asked for.
async fn with_signature(req: &HttpRequest, shared: &Shared) -> HttpResponse {
    let fault = begin(shared, MockEndpoint::UsersMe).await;
    let verified = match verify(req, &[], shared, TokenUse::Access) {
        Ok(verified) => verified,
        // v2 answers every authentication failure with the same problem.
        Err(_) => return reply::v2_unauthorized(),
    };
    if let Some(response) = fault
        .as_ref()
        .and_then(|f| reply::fault(MockEndpoint::UsersMe, f))
    {
        return response;
    }
    let user = verified
        .user_id
        .as_deref()
        .and_then(|id| shared.config.user_by_id(id));
    let Some(user) = user else {
        return reply::v2_unauthorized();
    };
    user_object(user, verified.param("user.fields"), true)
}

/// The OAuth 2.0 path: an access token with `tweet.read` and `users.read`, and
/// `confirmed_email` only with `users.email`.
async fn with_bearer_token(req: &HttpRequest, shared: &Shared) -> HttpResponse {
    let fault = begin(shared, MockEndpoint::UsersMe).await;
    let Some(grant) = bearer::authenticate(req, shared) else {
        return reply::v2_unauthorized();
    };
    if let Some(response) = fault
        .as_ref()
        .and_then(|f| reply::fault(MockEndpoint::UsersMe, f))
    {
        return response;
    }
    if !scope::USERS_ME_SCOPES
        .iter()
        .all(|needed| grant.scopes.contains(needed))
    {
        return reply::v2_forbidden();
    }
    let Some(user) = shared.config.user_by_id(&grant.user_id) else {
        return reply::v2_unauthorized();
    };
    let Ok(query) = parse_form(req.query_string()) else {
        return reply::v2_undecodable_query();
    };
    let fields = query
        .iter()
        .find(|(name, _)| name == "user.fields")
        .map(|(_, value)| value.as_str());
    user_object(user, fields, grant.scopes.contains(scope::USERS_EMAIL))
}

/// `{"data":{...}}` for `user` with the `user.fields` asked for; `confirmed_email` only when
/// `email_allowed` and the user has one.
fn user_object(user: &MockUser, user_fields: Option<&str>, email_allowed: bool) -> HttpResponse {
    let fields: Vec<&str> = user_fields
        .map(|v| v.split(',').filter(|f| !f.is_empty()).collect())
        .unwrap_or_default();
    let unknown: Vec<&str> = fields
        .iter()
        .copied()
        .filter(|f| !USER_FIELDS.contains(f))
        .collect();
    if !unknown.is_empty() {
        return reply::v2_invalid_request("user.fields", &unknown, USER_FIELDS);
    }
    let mut data = serde_json::json!({
        "id": user.id,
        "name": user.name,
        "username": user.screen_name,
    });
    for field in fields {
        let value = match field {
            "profile_image_url" => serde_json::json!(user.profile_image_url()),
            "confirmed_email" => match &user.email {
                Some(email) if email_allowed => serde_json::json!(email),
                _ => continue,
            },
            "created_at" => serde_json::json!("2011-06-01T00:00:00.000Z"),
            "description" | "location" => serde_json::json!(""),
            "protected" | "verified" | "parody" => serde_json::json!(false),
            "verified_type" => serde_json::json!("none"),
            _ => continue,
        };
        data[field] = value;
    }
    reply::json(&serde_json::json!({ "data": data }))
}

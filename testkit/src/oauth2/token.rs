//! `POST /2/oauth2/token` (RFC 6749 §4.1.3 and §6 with RFC 7636 §4.5; the token exchange is in
//! [`exchange`](super::exchange)), and the frame both OAuth 2.0 endpoints run in.

use std::time::{Duration, Instant};

use actix_web::{
    http::{header, StatusCode},
    web, HttpRequest, HttpResponse,
};

use super::{
    client::{authenticate, OAuth2Client},
    error::OAuthError,
    exchange,
    params::{read_form, Params},
    pkce,
    scope::Scopes,
    store::{Exchange, IssuedTokens, TokenGrant},
};
use crate::{
    reply,
    state::{begin_all, Shared},
    Fault, MockEndpoint,
};

/// X's description of an unknown, used, expired or foreign authorization code.
const INVALID_CODE: &str = "Value passed for the authorization code was invalid.";
/// X's description of an unknown, used or foreign refresh token.
const INVALID_REFRESH_TOKEN: &str = "Value passed for the token was invalid.";

/// Runs an OAuth 2.0 endpoint as X does: counts the request toward each of `endpoints` (the
/// endpoint, then the narrower kind of request it is, if any; see [`begin_all`]) and applies a
/// `Delay` fault, 411 without `Content-Length`, reads the form body, authenticates the client,
/// answers with the injected fault if any (in the shape of the last of `endpoints`), and only
/// then calls `answer`. Every OAuth error is counted as rejected.
pub(crate) async fn run<F>(
    req: &HttpRequest,
    body: &[u8],
    shared: &Shared,
    endpoints: &[MockEndpoint],
    answer: F,
) -> HttpResponse
where
    F: FnOnce(&Params, &OAuth2Client) -> Result<HttpResponse, OAuthError>,
{
    let fault = begin_all(shared, endpoints).await;
    let endpoint = *endpoints.last().unwrap_or(&MockEndpoint::OAuth2Token);
    if !req.headers().contains_key(header::CONTENT_LENGTH) {
        return reply::length_required();
    }
    let authenticated = read_form(req, body).and_then(|params| {
        let client = authenticate(req, &params, &shared.config.oauth2)?;
        Ok((params, client))
    });
    let outcome = authenticated.and_then(|(params, client)| {
        match fault
            .as_ref()
            .and_then(|f| fault_reply(shared, endpoint, f))
        {
            Some(response) => Ok(response),
            None => answer(&params, client),
        }
    });
    outcome.unwrap_or_else(|error| {
        shared.lock().rejected += 1;
        tracing::debug!(
            path = req.path(),
            error = error.error,
            description = %error.description,
            "local provider refused an OAuth 2.0 request"
        );
        error.into_response()
    })
}

/// The reply an injected fault replaces the answer with: [`reply::fault`]'s, except that
/// [`Fault::RateLimited`] on a token exchange answers as the exchange limit does.
fn fault_reply(shared: &Shared, endpoint: MockEndpoint, fault: &Fault) -> Option<HttpResponse> {
    if endpoint == MockEndpoint::OAuth2TokenExchange && *fault == Fault::RateLimited {
        let limit = shared.config.oauth2.exchange_limit;
        return Some(exchange::rate_limited(limit, limit.period));
    }
    reply::fault(endpoint, fault)
}

/// `POST /2/oauth2/token`. A token exchange counts as [`MockEndpoint::OAuth2TokenExchange`]
/// too.
pub(crate) async fn token(
    req: HttpRequest,
    body: web::Bytes,
    shared: web::Data<Shared>,
) -> HttpResponse {
    let endpoints: &[MockEndpoint] = if exchange::is_token_exchange(&req, &body) {
        &[MockEndpoint::OAuth2Token, MockEndpoint::OAuth2TokenExchange]
    } else {
        &[MockEndpoint::OAuth2Token]
    };
    run(
        &req,
        &body,
        &shared,
        endpoints,
        |params, client| match params.required("grant_type")? {
            "authorization_code" => authorization_code(&shared, params, client),
            "refresh_token" => refresh(&shared, params, client),
            exchange::GRANT_TYPE => exchange::exchange(&req, &shared, params, client),
            other => Err(OAuthError::unsupported_grant_type(format!(
                "The grant_type [{other}] is not supported."
            ))),
        },
    )
    .await
}

/// `grant_type=authorization_code`: the code (consumed by its first presentation, whatever the
/// outcome), the same redirect URI, and a code verifier that matches the code challenge.
fn authorization_code(
    shared: &Shared,
    params: &Params,
    client: &OAuth2Client,
) -> Result<HttpResponse, OAuthError> {
    let code = params.required("code")?;
    let record = shared
        .lock()
        .take_authorization_code(code, shared.config.oauth2.code_ttl);
    let redirect_uri = params.required("redirect_uri")?;
    let verifier = params.required("code_verifier")?;
    let record = record
        .filter(|r| r.client_id == client.id())
        .ok_or_else(|| OAuthError::invalid_grant(INVALID_CODE))?;
    if record.redirect_uri != redirect_uri {
        return Err(OAuthError::invalid_grant(
            "Value passed for the redirect uri did not match the uri of the authorization code.",
        ));
    }
    if !pkce::verifier_matches(verifier, record.method, &record.code_challenge) {
        return Err(OAuthError::invalid_grant(
            "Value passed for the code verifier did not match the code challenge.",
        ));
    }
    Ok(issue(shared, client, record.user_id, record.scopes, None))
}

/// `grant_type=refresh_token`: a refresh token of this client, consumed by its first
/// presentation; the new tokens have the same scopes, or fewer when `scope` asks for fewer, and
/// descend from the same token exchange, if any.
fn refresh(
    shared: &Shared,
    params: &Params,
    client: &OAuth2Client,
) -> Result<HttpResponse, OAuthError> {
    let token = params.required("refresh_token")?;
    let grant = shared.lock().take_refresh_token(token);
    let requested = params.optional("scope")?;
    let grant = grant
        .filter(|g| g.client_id == client.id())
        .ok_or_else(|| OAuthError::invalid_grant(INVALID_REFRESH_TOKEN))?;
    let scopes = match requested {
        None => grant.scopes,
        Some(requested) => match Scopes::parse(requested) {
            Some(narrower) if grant.scopes.includes(&narrower) => narrower,
            _ => {
                return Err(OAuthError::invalid_scope(
                    "The requested scope exceeds the scope granted by the resource owner.",
                ))
            }
        },
    };
    Ok(issue(shared, client, grant.user_id, scopes, grant.exchange))
}

/// Issues the tokens and answers X's token response.
fn issue(
    shared: &Shared,
    client: &OAuth2Client,
    user_id: String,
    scopes: Scopes,
    exchange: Option<Exchange>,
) -> HttpResponse {
    let ttl = shared.config.oauth2.access_token_ttl;
    let grant = TokenGrant {
        client_id: client.id().to_owned(),
        user_id,
        scopes,
        issued: Instant::now(),
        exchange,
    };
    let scope = grant.scopes.to_string();
    let tokens = shared.lock().issue_oauth2_tokens(grant, ttl);
    token_response(&tokens, &scope, ttl)
}

/// `{"token_type":"bearer","expires_in":..,"access_token":..,"scope":..[,"refresh_token":..]}`
/// in X's key order, not to be cached (RFC 6749 §5.1).
pub(super) fn token_response(tokens: &IssuedTokens, scope: &str, ttl: Duration) -> HttpResponse {
    let string = |s: &str| serde_json::Value::from(s).to_string();
    let mut body = format!(
        "{{\"token_type\":\"bearer\",\"expires_in\":{},\"access_token\":{},\"scope\":{}",
        ttl.as_secs(),
        string(&tokens.access_token),
        string(scope)
    );
    if let Some(refresh_token) = &tokens.refresh_token {
        body.push_str(&format!(",\"refresh_token\":{}", string(refresh_token)));
    }
    body.push('}');
    HttpResponse::build(StatusCode::OK)
        .content_type("application/json;charset=UTF-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::PRAGMA, "no-cache"))
        .body(body)
}

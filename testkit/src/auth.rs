//! Strict verification of a signed request, common to every OAuth-protected endpoint.

use actix_web::{http::header, HttpRequest};

use super::{
    signature::{self, AuthorizationHeader},
    state::Shared,
};

/// Which credentials sign the request besides the client credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenUse {
    /// None: `POST /oauth/request_token`.
    None,
    /// Temporary credentials: `POST /oauth/access_token`.
    Request,
    /// Token credentials: the profile endpoints.
    Access,
}

/// Why a signed request was refused. Each endpoint turns it into its own error shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AuthFailure {
    /// No or an unreadable `Authorization` header, a missing `oauth_*` parameter, an unsupported
    /// method or version, or undecodable parameters.
    Malformed,
    /// The consumer key is not the registered one.
    UnknownConsumer,
    /// `oauth_token` names no valid token of the kind the endpoint needs.
    UnknownToken,
    /// `oauth_timestamp` is outside the window.
    StaleTimestamp,
    /// The signature does not match.
    BadSignature,
    /// The `(consumer key, nonce, timestamp)` triple was already used.
    ReplayedNonce,
}

/// A request whose signature checked out.
#[derive(Debug)]
pub(crate) struct Verified {
    /// Every signed parameter: query, form body and `oauth_*` (with `oauth_signature`).
    pub params: Vec<(String, String)>,
    /// The `oauth_token` that signed it, if any.
    pub token: Option<String>,
    /// The user id behind the access token (`TokenUse::Access` only).
    pub user_id: Option<String>,
}

impl Verified {
    /// The value of a signed parameter (names are unique among `oauth_*` parameters).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Checks the request and, on failure, counts it as rejected.
pub(crate) fn verify(
    req: &HttpRequest,
    body: &[u8],
    shared: &Shared,
    token_use: TokenUse,
) -> Result<Verified, AuthFailure> {
    let result = check(req, body, shared, token_use);
    if let Err(failure) = &result {
        shared.lock().rejected += 1;
        tracing::debug!(
            ?failure,
            path = req.path(),
            "local provider refused a signed request"
        );
    }
    result
}

fn check(
    req: &HttpRequest,
    body: &[u8],
    shared: &Shared,
    token_use: TokenUse,
) -> Result<Verified, AuthFailure> {
    let config = &shared.config;
    let header_value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or(AuthFailure::Malformed)?
        .to_str()
        .map_err(|_| AuthFailure::Malformed)?;
    let oauth = AuthorizationHeader::parse(header_value).map_err(|_| AuthFailure::Malformed)?;
    let required = |name: &str| {
        oauth
            .get(name)
            .filter(|v| !v.is_empty())
            .ok_or(AuthFailure::Malformed)
    };
    let consumer_key = required("oauth_consumer_key")?;
    let nonce = required("oauth_nonce")?;
    let timestamp = required("oauth_timestamp")?;
    let sent_signature = required("oauth_signature")?;
    if required("oauth_signature_method")? != "HMAC-SHA1" {
        return Err(AuthFailure::Malformed);
    }
    if oauth.get("oauth_version").is_some_and(|v| v != "1.0") {
        return Err(AuthFailure::Malformed);
    }
    if !nonce.is_ascii() {
        return Err(AuthFailure::Malformed);
    }
    let token = match token_use {
        TokenUse::None => None,
        TokenUse::Request | TokenUse::Access => Some(required("oauth_token")?),
    };
    let timestamp: u64 = match timestamp.parse() {
        Ok(ts) if timestamp.bytes().all(|b| b.is_ascii_digit()) => ts,
        _ => return Err(AuthFailure::Malformed),
    };

    // Query and form-body parameters are signed too; an `oauth_*` name may not repeat a header one.
    let mut params =
        signature::parse_form(req.query_string()).map_err(|_| AuthFailure::Malformed)?;
    if is_form(req) {
        let body = std::str::from_utf8(body).map_err(|_| AuthFailure::Malformed)?;
        params.extend(signature::parse_form(body).map_err(|_| AuthFailure::Malformed)?);
    }
    if params
        .iter()
        .any(|(n, _)| oauth.get(n).is_some() || n == "oauth_signature")
    {
        return Err(AuthFailure::Malformed);
    }
    params.extend(oauth.params().iter().cloned());

    let now = signature::unix_now();
    if timestamp.abs_diff(now) > config.timestamp_window.as_secs() {
        return Err(AuthFailure::StaleTimestamp);
    }
    if consumer_key != config.consumer_key {
        return Err(AuthFailure::UnknownConsumer);
    }
    let (token_secret, user_id) = {
        let state = shared.lock();
        match (token_use, token) {
            (TokenUse::Request, Some(token)) => {
                let record = state
                    .request_token(token, config.request_token_ttl)
                    .ok_or(AuthFailure::UnknownToken)?;
                (Some(record.secret.clone()), None)
            }
            (TokenUse::Access, Some(token)) => {
                let (secret, user_id) =
                    state.access_token(token).ok_or(AuthFailure::UnknownToken)?;
                (Some(secret.to_owned()), Some(user_id.to_owned()))
            }
            _ => (None, None),
        }
    };

    let base_uri = base_uri(req)?;
    if !signature::verify(
        req.method().as_str(),
        &base_uri,
        &params,
        &config.consumer_secret,
        token_secret.as_deref(),
        sent_signature,
    ) {
        return Err(AuthFailure::BadSignature);
    }
    let fresh =
        shared
            .lock()
            .record_nonce(consumer_key, nonce, timestamp, now, config.timestamp_window);
    if !fresh {
        return Err(AuthFailure::ReplayedNonce);
    }
    let token = token.map(str::to_owned);
    Ok(Verified {
        params,
        token,
        user_id,
    })
}

/// Whether the body is `application/x-www-form-urlencoded` (parameters in it are signed).
pub(crate) fn is_form(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|essence| {
            essence
                .trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}

/// `http://<Host header><path>` normalized; the provider serves plain HTTP only.
fn base_uri(req: &HttpRequest) -> Result<String, AuthFailure> {
    let host = match req.headers().get(header::HOST) {
        Some(host) => host
            .to_str()
            .map_err(|_| AuthFailure::Malformed)?
            .to_owned(),
        None => match req.uri().authority() {
            Some(authority) => authority.as_str().to_owned(),
            None => req.app_config().local_addr().to_string(),
        },
    };
    if host.is_empty() || host.contains(['/', '?', '#', '@']) {
        return Err(AuthFailure::Malformed);
    }
    signature::base_string_uri(&format!("http://{host}{}", req.uri().path()))
        .map_err(|_| AuthFailure::Malformed)
}

//! The OAuth 2.0 error replies of the token and revocation endpoints (RFC 6749 §5.2).

use std::borrow::Cow;

use actix_web::{
    http::{header, StatusCode},
    HttpResponse,
};

use crate::reply;

/// An error the token or revocation endpoint answers with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OAuthError {
    /// 400, or 401 for `invalid_client`.
    pub status: StatusCode,
    /// The `error` code.
    pub error: &'static str,
    /// The `error_description`.
    pub description: Cow<'static, str>,
}

impl OAuthError {
    fn new(status: StatusCode, error: &'static str, description: Cow<'static, str>) -> Self {
        Self {
            status,
            error,
            description,
        }
    }

    /// 400 `invalid_request`: a parameter is missing, repeated or malformed, or the body is not
    /// a form.
    pub fn invalid_request(description: impl Into<Cow<'static, str>>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            description.into(),
        )
    }

    /// 401 `invalid_client`: client authentication failed.
    pub fn invalid_client(description: impl Into<Cow<'static, str>>) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            description.into(),
        )
    }

    /// 400 `invalid_grant`: the authorization code or refresh token is invalid, expired, used,
    /// or was issued to another client or for another redirect URI, or the code verifier fails.
    pub fn invalid_grant(description: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_grant", description.into())
    }

    /// 400 `invalid_scope`: a refresh asked for a scope beyond the grant.
    pub fn invalid_scope(description: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_scope", description.into())
    }

    /// 400 `unsupported_grant_type`.
    pub fn unsupported_grant_type(description: impl Into<Cow<'static, str>>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            description.into(),
        )
    }

    /// The JSON reply; a 401 also carries `WWW-Authenticate: Basic` (RFC 6749 §5.2).
    pub fn into_response(self) -> HttpResponse {
        let mut response = reply::oauth_error(self.status, self.error, &self.description);
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Basic realm=\"X\""),
            );
        }
        response
    }
}

//! The endpoints a fault can be injected into, and the faults.

use std::time::Duration;

/// A provider endpoint a fault can be injected into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MockEndpoint {
    /// `POST /oauth/request_token`.
    RequestToken,
    /// `POST /oauth/access_token`.
    AccessToken,
    /// `GET /2/users/me`, for OAuth 1.0a and OAuth 2.0 (bearer) requests alike.
    UsersMe,
    /// `GET /1.1/account/verify_credentials.json`.
    VerifyCredentials,
    /// `POST /1.1/oauth/invalidate_token` (OAuth 1.0a token credentials invalidated).
    InvalidateToken,
    /// `POST /2/oauth2/token` (OAuth 2.0 token endpoint), whatever the grant type: token
    /// exchanges count here too.
    OAuth2Token,
    /// `POST /2/oauth2/token` with
    /// `grant_type=urn:ietf:params:oauth:grant-type:token-exchange` (an OAuth 1.0a access token
    /// exchanged for OAuth 2.0 tokens). A token exchange counts here and as
    /// [`OAuth2Token`](Self::OAuth2Token); a fault injected here applies to token exchanges only,
    /// in place of one injected into `OAuth2Token`.
    OAuth2TokenExchange,
    /// `POST /2/oauth2/revoke` (OAuth 2.0 token revocation).
    OAuth2Revoke,
}

impl MockEndpoint {
    /// Whether the endpoint belongs to X API v2 (its errors are v2 problem+json, not v1.1
    /// codes).
    pub(crate) fn is_v2(self) -> bool {
        matches!(
            self,
            Self::UsersMe | Self::OAuth2Token | Self::OAuth2TokenExchange | Self::OAuth2Revoke
        )
    }
}

/// A fault the provider answers with instead of its normal reply.
///
/// Faults apply once the request's credentials have been checked (a badly signed request, an
/// unauthenticated client or a bad bearer token still gets its authentication error), and
/// before anything is consumed or superseded (a request token, an authorization code, a refresh
/// token, the tokens of a token exchange's previous exchange, token credentials being
/// invalidated), except [`Fault::Delay`], which waits first.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// This status with a small plain-text body (500 if it is not a valid HTTP status).
    Status(u16),
    /// 200 with a body that is neither form nor JSON.
    Garbage,
    /// 403 `{"errors":[{"code":453,...}]}` (the access tier lacks the endpoint).
    Forbidden453,
    /// 429 rate limited (v1.1 code 88, or on the v2 and OAuth 2.0 endpoints the problem+json
    /// `rate-limit-exceeded`, or on a token exchange the OAuth error `rate_limited` that the
    /// exchange limit answers, see [`MockProviderBuilder::token_exchange_limit`]).
    ///
    /// [`MockProviderBuilder::token_exchange_limit`]: crate::MockProviderBuilder::token_exchange_limit
    RateLimited,
    /// 403 v2 problem+json with `reason: client-not-enrolled`.
    ClientNotEnrolled,
    /// 403 XML `<errors><error code="415">Callback URL not approved...</error></errors>`.
    CallbackNotApproved,
    /// A request-token reply with `oauth_callback_confirmed=false` (other endpoints answer
    /// normally).
    CallbackNotConfirmed,
    /// Wait this long, then answer normally.
    Delay(Duration),
    /// 200 with this JSON body instead of the normal answer: a reply that is well formed but
    /// says something else, such as the profile of another account than the token's.
    Json(String),
    /// The inner fault on about `percent` % of the calls, chosen at random; the normal answer
    /// on the others.
    Sometimes {
        /// How often, from 0 to 100.
        percent: u8,
        /// What those calls get.
        fault: Box<Fault>,
    },
    /// The inner fault on the next `count` calls, then the normal answer: a passing outage of
    /// a known length, such as one rate-limited call.
    Times {
        /// How many calls get the inner fault.
        count: u32,
        /// What those calls get.
        fault: Box<Fault>,
    },
    /// Any status, content type and body.
    Body {
        /// HTTP status.
        status: u16,
        /// `Content-Type` header value.
        content_type: String,
        /// The body.
        body: String,
    },
    /// 402 `application/problem+json` with `title: CreditsDepleted` (the pay-per-use account
    /// has no credits left).
    CreditsDepleted,
    /// An OAuth 2.0 error reply (RFC 6749 §5.2): `{"error":..,"error_description":..}` as JSON
    /// with this status (400 if it is not a valid HTTP status).
    OAuthError {
        /// HTTP status.
        status: u16,
        /// The `error` code, e.g. `invalid_request` or `temporarily_unavailable`.
        error: String,
        /// The `error_description`.
        description: String,
    },
}

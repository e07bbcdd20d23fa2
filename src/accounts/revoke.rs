//! Revoking tokens at X: OAuth 2.0's `POST /2/oauth2/revoke` (RFC 7009) and OAuth 1.0a's
//! `POST /1.1/oauth/invalidate_token`, and the queue of revocations still to make.
//!
//! A token is queued (in the same transaction that unlinks the account or forgets the
//! tokens) before X is asked, and leaves the queue only when X confirms, says the token is no
//! longer valid anyway, or refuses it for good; a revocation that fails for now (X down, slow,
//! throttling) is tried again later, with a growing wait.

use std::time::Duration;

use actix_web::http::header;

use super::{
    client::{OAuth1Client, OAuth2Client, XClient},
    AccountError,
};
use crate::{
    credentials::{Credentials, Secret},
    oauth1::sign::Signing,
    provider::{exchange, Endpoint, ProviderError},
};

/// After this many failed attempts a revocation is given up (and logged as an error).
pub(super) const MAX_ATTEMPTS: i32 = 20;
/// The longest wait between two attempts.
const MAX_WAIT: Duration = Duration::from_secs(24 * 60 * 60);

/// What asking X to revoke one queued token came to.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Outcome {
    /// Revoked, or no longer valid at X anyway: off the queue.
    Done,
    /// X refused for good (say, a token of another client): off the queue, logged.
    Refused,
    /// Not now (a network failure, a timeout, 429, 5xx, or 401: the client's own credentials
    /// refused, which a fixed configuration mends): try again later.
    Later,
}

/// How long to wait before attempt number `attempts + 1`: a minute, doubling, at most a day.
pub(super) fn wait_after(attempts: i32) -> Duration {
    let doublings = u32::try_from(attempts.clamp(0, 20)).unwrap_or(20);
    Duration::from_secs(60)
        .saturating_mul(2u32.saturating_pow(doublings))
        .min(MAX_WAIT)
}

/// Revokes one stored token set at X.
pub(super) async fn revoke(
    http: &awc::Client,
    x: &XClient,
    credentials: &Credentials,
) -> Result<Outcome, AccountError> {
    let result = match credentials {
        Credentials::OAuth2(token) => {
            let client = x.oauth2()?;
            // The refresh token first: with it goes the grant; then the access token.
            let mut result = Ok(());
            if let Some(refresh) = &token.refresh_token {
                result = revoke_oauth2(http, x, client, refresh, "refresh_token").await;
            }
            match result {
                Ok(()) => revoke_oauth2(http, x, client, &token.token, "access_token").await,
                error => error,
            }
        }
        Credentials::OAuth1(token) => {
            let client = x.oauth1()?;
            invalidate_oauth1(http, x, client, &token.token, &token.secret).await
        }
    };
    Ok(outcome(result))
}

fn outcome(result: Result<(), ProviderError>) -> Outcome {
    match result {
        Ok(()) => Outcome::Done,
        // OAuth 1.0a: a token X no longer knows (code 89, "Invalid or expired token") cannot
        // sign the call that would invalidate it. Any other 401 (code 32: the client
        // credentials are wrong) is no proof of anything: tried again, and logged.
        Err(ProviderError::Status {
            endpoint: Endpoint::InvalidateToken,
            status: 401,
            body,
        }) if body.code.as_deref() == Some("89") => Outcome::Done,
        Err(ProviderError::Status { status, .. })
            if status == 401 || status == 429 || status >= 500 =>
        {
            Outcome::Later
        }
        Err(ProviderError::Status { .. }) => Outcome::Refused,
        Err(_) => Outcome::Later,
    }
}

/// `POST /2/oauth2/revoke` with `token` and `token_type_hint`; a confidential client
/// authenticates with HTTP Basic, a public one sends its `client_id`.
async fn revoke_oauth2(
    http: &awc::Client,
    x: &XClient,
    client: &OAuth2Client,
    token: &Secret,
    hint: &str,
) -> Result<(), ProviderError> {
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    form.append_pair("token", token.expose())
        .append_pair("token_type_hint", hint);
    let mut request = http
        .post(client.revoke_url.as_str())
        .insert_header((header::CONTENT_TYPE, "application/x-www-form-urlencoded"));
    match &client.secret {
        // RFC 6749 §2.3.1: both form-encoded before they are joined.
        Some(secret) => {
            request = request.basic_auth(form_encoded(&client.id), form_encoded(secret.expose()));
        }
        None => {
            form.append_pair("client_id", &client.id);
        }
    }
    let body = form.finish().into_bytes();
    exchange(request, Some(body), Endpoint::Revoke, x.limits)
        .await
        .map(drop)
}

fn form_encoded(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// `POST /1.1/oauth/invalidate_token`, signed with the token credentials it invalidates.
async fn invalidate_oauth1(
    http: &awc::Client,
    x: &XClient,
    client: &OAuth1Client,
    token: &str,
    secret: &Secret,
) -> Result<(), ProviderError> {
    let authorization = client.invalidate_url.authorization(
        "POST",
        &[],
        &Signing {
            client: &client.credentials,
            token: Some((token, secret)),
            callback: None,
            verifier: None,
            fixed: None,
        },
    );
    let request = http
        .post(client.invalidate_url.as_str())
        .insert_header((header::AUTHORIZATION, authorization));
    exchange(request, None, Endpoint::InvalidateToken, x.limits)
        .await
        .map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_from_a_minute_to_a_day() {
        let day = Duration::from_secs(86_400);
        assert_eq!(wait_after(0), Duration::from_secs(60));
        assert_eq!(wait_after(1), Duration::from_secs(120));
        assert_eq!(wait_after(5), Duration::from_secs(60 * 32));
        assert_eq!(wait_after(10), Duration::from_secs(60 * 1024));
        assert_eq!(wait_after(11), day);
        assert_eq!(wait_after(i32::MAX), day);
        assert_eq!(wait_after(-3), Duration::from_secs(60));
    }

    #[test]
    fn only_passing_failures_are_tried_again() {
        let status = |endpoint, status| {
            Err(ProviderError::Status {
                endpoint,
                status,
                body: crate::provider::ErrorBody::parse(None, b""),
            })
        };
        assert_eq!(outcome(Ok(())), Outcome::Done);
        let expired = crate::provider::ErrorBody::parse(
            Some("application/json"),
            br#"{"errors":[{"code":89,"message":"Invalid or expired token."}]}"#,
        );
        let unauthenticated = crate::provider::ErrorBody::parse(
            Some("application/json"),
            br#"{"errors":[{"code":32,"message":"Could not authenticate you."}]}"#,
        );
        let unauthorized = |body| {
            outcome(Err(ProviderError::Status {
                endpoint: Endpoint::InvalidateToken,
                status: 401,
                body,
            }))
        };
        assert_eq!(unauthorized(expired), Outcome::Done);
        assert_eq!(unauthorized(unauthenticated), Outcome::Later);
        assert_eq!(
            outcome(status(Endpoint::InvalidateToken, 401)),
            Outcome::Later
        );
        assert_eq!(outcome(status(Endpoint::Revoke, 401)), Outcome::Later);
        assert_eq!(outcome(status(Endpoint::Revoke, 400)), Outcome::Refused);
        assert_eq!(outcome(status(Endpoint::Revoke, 429)), Outcome::Later);
        assert_eq!(
            outcome(status(Endpoint::InvalidateToken, 503)),
            Outcome::Later
        );
        let timeout = Err(ProviderError::Timeout {
            endpoint: Endpoint::Revoke,
            after: Duration::from_secs(1),
        });
        assert_eq!(outcome(timeout), Outcome::Later);
    }
}

//! One token exchange at `POST /2/oauth2/token`: OAuth 1.0a token credentials for OAuth 2.0
//! tokens (RFC 8693 with X's parameters), authenticated as the login's client, and what the
//! job does with each kind of answer.
//!
//! The call is a plain form POST under the provider limits (one deadline, capped reply), not
//! [`crate::provider::exchange`]: a 429's `x-rate-limit-reset` header says how long to wait.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use actix_web::{
    http::{header, StatusCode},
    rt::time::timeout,
};
use awc::error::{PayloadError, SendRequestError};
use serde::Deserialize;
use url::form_urlencoded;

use crate::{
    accounts::client::OAuth2Client,
    credentials::{AccessToken, Secret, TokenCredentials},
    provider::{Endpoint, ErrorBody, Limits, ProviderError},
};

/// The `grant_type` of a token exchange (RFC 8693 §2.1).
pub(super) const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
/// The `subject_token_type` X defines for an OAuth 1.0a access token.
pub(super) const OAUTH1_TOKEN_TYPE: &str = "urn:x:params:oauth:token-type:oauth1_token";

const ENDPOINT: Endpoint = Endpoint::TokenExchange;

/// What an exchange came to.
pub(super) enum Outcome {
    /// The new OAuth 2.0 pair; the previous exchange's pair no longer works.
    Exchanged(AccessToken),
    /// `invalid_grant`: the token credentials are revoked or invalid. Never retried.
    Revoked,
    /// 429: wait (this long, when X said) and try again.
    RateLimited(Option<Duration>),
    /// A passing failure (5xx, timeout, network, unusable reply): retry with backoff.
    Transient(ProviderError),
    /// A refusal no retry fixes (`invalid_client`, ...): stop the job.
    Fatal(ProviderError),
}

/// X's token reply. No `Debug`: it holds the tokens.
#[derive(Deserialize)]
struct TokenReply {
    access_token: String,
    refresh_token: Option<String>,
    expires_in: Option<u64>,
    scope: Option<String>,
}

/// The form body: X's parameters, and `client_id` for a public client.
fn form(client: &OAuth2Client, credentials: &TokenCredentials) -> String {
    let mut form = form_urlencoded::Serializer::new(String::new());
    form.append_pair("grant_type", GRANT_TYPE)
        .append_pair("subject_token", &credentials.token)
        .append_pair("subject_token_type", OAUTH1_TOKEN_TYPE)
        .append_pair("oauth_token_secret", credentials.secret.expose());
    if client.secret.is_none() {
        form.append_pair("client_id", &client.id);
    }
    form.finish()
}

/// RFC 6749 §2.3.1: the id and secret are form-encoded before they go into Basic.
fn form_encoded(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// Exchanges `credentials`, within `limits`.
pub(super) async fn exchange(
    http: &awc::Client,
    client: &OAuth2Client,
    limits: Limits,
    credentials: &TokenCredentials,
) -> Outcome {
    let mut request = http
        .post(client.token_url.as_str())
        .insert_header((header::CONTENT_TYPE, "application/x-www-form-urlencoded"))
        .insert_header((header::ACCEPT, "application/json"));
    if let Some(secret) = &client.secret {
        request = request.basic_auth(form_encoded(&client.id), form_encoded(secret.expose()));
    }
    let body = form(client, credentials);
    let requested = SystemTime::now();
    let (after, limit) = (limits.timeout, limits.max_reply_bytes);
    let call = async {
        let mut response = request.send_body(body).await.map_err(|e| match e {
            SendRequestError::Timeout => ProviderError::Timeout {
                endpoint: ENDPOINT,
                after,
            },
            other => ProviderError::Network {
                endpoint: ENDPOINT,
                reason: other.to_string(),
            },
        })?;
        let status = response.status();
        let text = |name: &str| {
            let value = response.headers().get(name)?.to_str().ok()?;
            Some(value.trim().to_owned())
        };
        let content_type = text(header::CONTENT_TYPE.as_str());
        let wait = rate_limit_wait(
            text("retry-after").as_deref(),
            text("x-rate-limit-reset").as_deref(),
            SystemTime::now(),
        );
        let body = response.body().limit(limit).await.map_err(|e| match e {
            PayloadError::Overflow => ProviderError::TooLarge {
                endpoint: ENDPOINT,
                limit,
            },
            other => ProviderError::Network {
                endpoint: ENDPOINT,
                reason: other.to_string(),
            },
        })?;
        Ok((status, content_type, wait, body))
    };
    let (status, content_type, wait, body) = match timeout(after, call).await {
        Ok(Ok(reply)) => reply,
        Ok(Err(error)) => return Outcome::Transient(error),
        Err(_) => {
            return Outcome::Transient(ProviderError::Timeout {
                endpoint: ENDPOINT,
                after,
            })
        }
    };
    if status.is_success() {
        return match tokens(&body, requested) {
            Ok(tokens) => Outcome::Exchanged(tokens),
            Err(reason) => Outcome::Transient(ProviderError::Malformed {
                endpoint: ENDPOINT,
                reason: reason.to_owned(),
            }),
        };
    }
    let body = ErrorBody::parse(content_type.as_deref(), &body);
    classify(status, body, wait)
}

/// What a non-2xx answer means for the job.
fn classify(status: StatusCode, body: ErrorBody, wait: Option<Duration>) -> Outcome {
    let revoked =
        status == StatusCode::BAD_REQUEST && body.code.as_deref() == Some("invalid_grant");
    let error = ProviderError::Status {
        endpoint: ENDPOINT,
        status: status.as_u16(),
        body,
    };
    match status.as_u16() {
        _ if revoked => Outcome::Revoked,
        429 => Outcome::RateLimited(wait),
        408 | 500..=599 => Outcome::Transient(error),
        _ => Outcome::Fatal(error),
    }
}

/// The OAuth 2.0 tokens of a success reply, or why it is not usable (never quoting it).
fn tokens(body: &[u8], requested: SystemTime) -> Result<AccessToken, &'static str> {
    let reply: TokenReply =
        serde_json::from_slice(body).map_err(|_| "the token reply is not the JSON expected")?;
    if reply.access_token.is_empty() {
        return Err("the token reply has an empty access_token");
    }
    Ok(AccessToken {
        token: Secret::new(reply.access_token),
        refresh_token: reply
            .refresh_token
            .filter(|token| !token.is_empty())
            .map(Secret::new),
        // An absurd lifetime is no expiry rather than an overflow.
        expires_at: reply
            .expires_in
            .and_then(|seconds| requested.checked_add(Duration::from_secs(seconds))),
        scopes: reply
            .scope
            .unwrap_or_default()
            .split(' ')
            .filter(|scope| !scope.is_empty())
            .map(str::to_owned)
            .collect(),
    })
}

/// How long a 429 asks to wait: `Retry-After` in seconds, else until `x-rate-limit-reset` (a
/// Unix time in seconds); `None` when neither says (or the reset is already past, as by a
/// clock ahead of X's).
fn rate_limit_wait(
    retry_after: Option<&str>,
    reset: Option<&str>,
    now: SystemTime,
) -> Option<Duration> {
    if let Some(seconds) = retry_after.and_then(|v| v.parse::<u64>().ok()) {
        return Some(Duration::from_secs(seconds));
    }
    let reset = UNIX_EPOCH.checked_add(Duration::from_secs(reset?.parse().ok()?))?;
    reset
        .duration_since(now)
        .ok()
        .filter(|wait| !wait.is_zero())
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use actix_web::http::StatusCode;

    use super::*;
    use crate::provider::ErrorBody;

    fn body(json: &str) -> ErrorBody {
        ErrorBody::parse(Some("application/json"), json.as_bytes())
    }

    #[test]
    fn answers_are_classified_as_x_documents_them() {
        let grant = body(r#"{"error":"invalid_grant","error_description":"Value passed"}"#);
        let client = body(r#"{"error":"invalid_client"}"#);
        let cases = [
            (400, grant.clone(), "revoked"),
            (401, grant, "fatal"),
            (401, client.clone(), "fatal"),
            (400, body(r#"{"error":"invalid_request"}"#), "fatal"),
            (403, client, "fatal"),
            (429, body(r#"{"error":"rate_limited"}"#), "rate limited"),
            (500, body("{}"), "transient"),
            (503, body(""), "transient"),
            (408, body(""), "transient"),
        ];
        for (status, error, expected) in cases {
            let outcome = classify(StatusCode::from_u16(status).unwrap(), error, None);
            let kind = match outcome {
                Outcome::Revoked => "revoked",
                Outcome::RateLimited(_) => "rate limited",
                Outcome::Transient(_) => "transient",
                Outcome::Fatal(_) => "fatal",
                Outcome::Exchanged(_) => "exchanged",
            };
            assert_eq!(kind, expected, "{status}");
        }
    }

    #[test]
    fn a_429_says_how_long_to_wait() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
        assert_eq!(
            rate_limit_wait(Some("7"), Some("1000100"), now),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            rate_limit_wait(None, Some("1000030"), now),
            Some(Duration::from_secs(30))
        );
        for past in ["1000000", "999999"] {
            assert_eq!(rate_limit_wait(None, Some(past), now), None);
        }
        assert_eq!(rate_limit_wait(Some("soon"), Some("x"), now), None);
        assert_eq!(rate_limit_wait(None, None, now), None);
    }

    #[test]
    fn a_success_reply_gives_the_pair_and_never_quotes_a_bad_one() {
        let at = UNIX_EPOCH + Duration::from_secs(100);
        let reply = br#"{"token_type":"bearer","expires_in":7200,"access_token":"a-t",
            "refresh_token":"r-t","scope":"tweet.read users.read offline.access"}"#;
        let tokens = tokens(reply, at).ok().unwrap();
        assert_eq!(tokens.token.expose(), "a-t");
        assert_eq!(tokens.refresh_token.unwrap().expose(), "r-t");
        assert_eq!(
            tokens.expires_at,
            Some(UNIX_EPOCH + Duration::from_secs(7300))
        );
        assert_eq!(
            tokens.scopes,
            ["tweet.read", "users.read", "offline.access"]
        );
        for bad in [
            &br#"{"access_token":""}"#[..],
            br#"{"access_token":7}"#,
            b"a-t",
        ] {
            let reason = super::tokens(bad, at).err().unwrap();
            assert!(!reason.contains("a-t") && !reason.contains('7'), "{reason}");
        }
    }

    #[test]
    fn a_public_client_sends_its_id_and_a_confidential_one_does_not() {
        let credentials = TokenCredentials {
            token: "1001-tok en".into(),
            secret: Secret::new("s&cret"),
        };
        let mut client = OAuth2Client {
            id: "client".into(),
            secret: None,
            token_url: "http://127.0.0.1/2/oauth2/token".parse().unwrap(),
            revoke_url: "http://127.0.0.1/2/oauth2/revoke".parse().unwrap(),
        };
        let public = form(&client, &credentials);
        assert_eq!(
            public,
            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange\
             &subject_token=1001-tok+en\
             &subject_token_type=urn%3Ax%3Aparams%3Aoauth%3Atoken-type%3Aoauth1_token\
             &oauth_token_secret=s%26cret&client_id=client"
        );
        client.secret = Some(Secret::new("secret"));
        assert!(!form(&client, &credentials).contains("client_id"));
    }
}

//! Refreshing an access token (RFC 6749 §6): `POST /2/oauth2/token` with
//! `grant_type=refresh_token` through the `oauth2` crate over awc, as the code exchange is made.

use std::time::{Instant, SystemTime};

use oauth2::{
    basic::BasicClient, ClientId, ClientSecret, RefreshToken, RequestTokenError,
    TokenResponse as _, TokenUrl,
};
use url::Url;

use super::http;
use crate::{
    credentials::{AccessToken, Secret},
    provider::{Endpoint, Limits, ProviderError},
    text::{self, MESSAGE_CHARS},
};

/// The client that refreshes: its id, its secret when confidential (HTTP Basic; a public
/// client sends its `client_id` in the body), and the token endpoint.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RefreshClient<'a> {
    pub id: &'a str,
    pub secret: Option<&'a Secret>,
    pub token_url: &'a Url,
    pub limits: Limits,
}

/// Exchanges `token`'s refresh token for new tokens. The reply's refresh token replaces the
/// old one (X's are single use); a reply without one keeps the old one (RFC 6749 §6), and a
/// reply without `scope` keeps the old scopes. `None` when `token` has no refresh token.
pub(crate) async fn refresh(
    http_client: &awc::Client,
    client: RefreshClient<'_>,
    token: &AccessToken,
) -> Option<Result<AccessToken, ProviderError>> {
    let refresh_token = token.refresh_token.as_ref()?;
    let endpoint = Endpoint::Refresh;
    let mut oauth = BasicClient::new(ClientId::new(client.id.to_owned()))
        .set_token_uri(TokenUrl::from_url(client.token_url.clone()));
    if let Some(secret) = client.secret {
        oauth = oauth.set_client_secret(ClientSecret::new(secret.expose().to_owned()));
    }
    let requested = Instant::now();
    let refresh_token = RefreshToken::new(refresh_token.expose().to_owned());
    let reply = oauth
        .exchange_refresh_token(&refresh_token)
        .request_async(&http::client(http_client, endpoint, client.limits))
        .await;
    let reply = match reply {
        Ok(reply) => reply,
        Err(error) => return Some(Err(request_error(endpoint, error))),
    };
    let scopes = match reply.scopes() {
        Some(scopes) => scopes
            .iter()
            .map(|scope| scope.to_string())
            .filter(|scope| !scope.is_empty())
            .collect(),
        None => token.scopes.clone(),
    };
    Some(Ok(AccessToken {
        token: Secret::new(reply.access_token().secret().as_str()),
        refresh_token: match reply.refresh_token() {
            Some(new) => Some(Secret::new(new.secret().as_str())),
            None => token.refresh_token.clone(),
        },
        // An absurd lifetime is no expiry rather than an overflow.
        expires_at: reply
            .expires_in()
            .and_then(|lifetime| (SystemTime::now() - requested.elapsed()).checked_add(lifetime)),
        scopes,
    }))
}

/// Whether X refused the refresh token itself (`400 invalid_grant`: revoked, already used, or
/// expired), so that only a new sign-in helps.
pub(crate) fn is_refused_grant(error: &ProviderError) -> bool {
    matches!(
        error,
        ProviderError::Status { status: 400, body, .. }
            if body.code.as_deref() == Some("invalid_grant")
    )
}

/// A failed token request as a [`ProviderError`]; only a cleaned, bounded excerpt of the reply
/// is quoted, never a value of it.
pub(super) fn request_error<TE: oauth2::ErrorResponse>(
    endpoint: Endpoint,
    error: RequestTokenError<ProviderError, TE>,
) -> ProviderError {
    let reason = match error {
        RequestTokenError::Request(error) => return error,
        // Only 2xx replies reach the crate: an error body there is not a token reply.
        RequestTokenError::ServerResponse(error) => {
            format!("a success reply carries the error `{error}`")
        }
        RequestTokenError::Parse(error, _) => {
            format!("the token reply is not usable at `{}`", error.path())
        }
        RequestTokenError::Other(reason) => reason,
    };
    ProviderError::Malformed {
        endpoint,
        reason: text::clean(&reason, MESSAGE_CHARS)
            .unwrap_or_else(|| "the token reply is not usable".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use actix_twitter_login_testkit::{Fault, MockEndpoint, MockProvider, OAuth2Client};

    use super::*;
    use crate::provider::ErrorBody;

    fn status(status: u16, body: &str) -> ProviderError {
        ProviderError::Status {
            endpoint: Endpoint::Refresh,
            status,
            body: ErrorBody::parse(Some("application/json"), body.as_bytes()),
        }
    }

    #[test]
    fn only_a_400_invalid_grant_is_a_refused_grant() {
        let invalid_grant = r#"{"error":"invalid_grant","error_description":"Value passed for the token was invalid."}"#;
        assert!(is_refused_grant(&status(400, invalid_grant)));
        assert!(!is_refused_grant(&status(401, invalid_grant)));
        assert!(!is_refused_grant(&status(
            400,
            r#"{"error":"invalid_request"}"#
        )));
        assert!(!is_refused_grant(&status(
            401,
            r#"{"error":"invalid_client"}"#
        )));
        assert!(!is_refused_grant(&status(503, "")));
        assert!(!is_refused_grant(&ProviderError::Network {
            endpoint: Endpoint::Refresh,
            reason: "connection refused".into(),
        }));
    }

    #[actix_web::test]
    async fn a_new_token_s_lifetime_counts_from_when_it_was_asked_for() {
        let lifetime = Duration::from_secs(3600);
        let provider = MockProvider::builder("consumer-key", "consumer-secret")
            .oauth2_client(OAuth2Client::confidential("client", "client-secret"))
            .access_token_ttl(lifetime)
            .start()
            .await
            .expect("the local X starts");
        let (access, refresh_token) = provider
            .issue_oauth2_tokens("alice", "tweet.read users.read offline.access")
            .expect("alice is a user");
        let old = AccessToken {
            token: Secret::new(&access),
            refresh_token: refresh_token.as_deref().map(Secret::new),
            expires_at: None,
            scopes: Vec::new(),
        };
        // X takes a second to answer; the lifetime it names still runs from the request.
        let delay = Duration::from_secs(1);
        provider.inject(MockEndpoint::OAuth2Token, Fault::Delay(delay));
        let token_url = Url::parse(&format!("{}/2/oauth2/token", provider.base_url())).unwrap();
        let secret = Secret::new("client-secret");
        let client = RefreshClient {
            id: "client",
            secret: Some(&secret),
            token_url: &token_url,
            limits: Limits {
                timeout: Duration::from_secs(10),
                max_reply_bytes: 64 * 1024,
            },
        };
        let asked = SystemTime::now();
        let new = refresh(&crate::middleware::http_client(), client, &old)
            .await
            .expect("a refresh token")
            .expect("X refreshes");
        assert!(SystemTime::now() >= asked + delay);
        let expires_at = new.expires_at.expect("an expiry");
        assert!(expires_at >= asked + lifetime, "{expires_at:?}");
        assert!(expires_at < asked + lifetime + delay / 2, "{expires_at:?}");
    }
}

//! The two provider calls of an OAuth 2.0 login: the code exchange (through the `oauth2` crate)
//! and the profile (`GET /2/users/me` with the bearer token).

use std::time::SystemTime;

use actix_web::http::header;
use oauth2::{
    basic::BasicClient, AuthorizationCode, ClientId, ClientSecret, PkceCodeVerifier,
    TokenResponse as _, TokenUrl,
};

use super::{http, Client};
use crate::{
    credentials::{AccessToken, Secret},
    profile::Profile,
    provider::{exchange, Endpoint, ProviderError},
};

/// `POST /2/oauth2/token` with `grant_type=authorization_code`, the code, the redirect URI and
/// the code verifier; a confidential client authenticates with HTTP Basic, a public one sends
/// its `client_id` in the body.
pub(crate) async fn exchange_code(
    http_client: &awc::Client,
    client: &Client,
    code: &str,
    code_verifier: &Secret,
) -> Result<AccessToken, ProviderError> {
    let endpoint = Endpoint::Token;
    let mut oauth = BasicClient::new(ClientId::new(client.id.clone()))
        .set_token_uri(TokenUrl::from_url(client.token_url.clone()))
        .set_redirect_uri(client.redirect_uri.clone());
    if let Some(secret) = &client.secret {
        oauth = oauth.set_client_secret(ClientSecret::new(secret.expose().to_owned()));
    }
    let requested = std::time::Instant::now();
    let reply = oauth
        .exchange_code(AuthorizationCode::new(code.to_owned()))
        .set_pkce_verifier(PkceCodeVerifier::new(code_verifier.expose().to_owned()))
        .request_async(&http::client(http_client, endpoint, client.limits()))
        .await
        // Every reason quotes the provider at most in a cleaned, bounded excerpt.
        .map_err(|error| super::refresh::request_error(endpoint, error))?;
    let granted = match reply.scopes() {
        Some(scopes) => scopes
            .iter()
            .map(|scope| scope.to_string())
            .filter(|scope| !scope.is_empty())
            .collect(),
        None => client.scopes.clone(),
    };
    Ok(AccessToken {
        token: Secret::new(reply.access_token().secret().as_str()),
        refresh_token: reply
            .refresh_token()
            .map(|token| Secret::new(token.secret().as_str())),
        // An absurd lifetime is no expiry rather than an overflow.
        expires_at: reply
            .expires_in()
            .and_then(|lifetime| (SystemTime::now() - requested.elapsed()).checked_add(lifetime)),
        scopes: granted,
    })
}

/// `GET /2/users/me?user.fields=...` with `Authorization: Bearer`.
pub(crate) async fn profile(
    http_client: &awc::Client,
    client: &Client,
    token: &AccessToken,
) -> Result<Profile, ProviderError> {
    let endpoint = Endpoint::Profile;
    let mut url = client.users_me_url.clone();
    url.query_pairs_mut()
        .append_pair("user.fields", &client.user_fields);
    let request = http_client.get(url.as_str()).insert_header((
        header::AUTHORIZATION,
        format!("Bearer {}", token.token.expose()),
    ));
    let reply = exchange(request, None, endpoint, client.limits()).await?;
    Profile::from_users_me(&reply.body)
        .map_err(|reason| ProviderError::Malformed { endpoint, reason })
}
